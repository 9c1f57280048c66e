"""Reports: run the notebook suite with parameters and export offline HTML pages, a summary written from
the data, exports (CSV and one Excel workbook) and static figures.

The notebooks in ``notebooks/`` (``01_build_network`` … ``06_campaign_plan``) define what the pages
show. :func:`build_report` executes them with papermill in a kernel of the running interpreter, exports
each to HTML with nbconvert (code cells hidden unless ``show_code=True``) and writes an index page
linking them. :func:`build_figures` runs the same suite and writes every figure it draws as a static
image through kaleido.

Reports render with no network at all: plotly.js is shipped once beside the pages (``plotly.min.js``)
or, with ``self_contained=True``, embedded once in each page; nbconvert's CDN scripts (require.js,
MathJax, mermaid) are left out. Every string that comes from data reaches the page escaped (pandas
tables escape their cells, figure text travels as JSON and :mod:`netlib.plot` escapes it for plotly's
markup), and ``pseudonymize=True`` replaces every customer id by a salted hash before the notebooks
ever see the data.

:func:`analyse` computes once what the summary (``index.html``) and the exports say, with one set of
:class:`Assumptions` (the pass-on probability estimated from the share log) shown on every page that uses
them; :func:`customer_table` and :func:`community_table` are the exported tables, :func:`export` writes
them all (CSV and one Excel workbook with a data dictionary).

Modules: ``notebooks`` (finding and running the suite), ``pages`` (HTML export), ``build`` (the
report), ``output`` (staging, locking), ``findings``, ``describe``, ``summary``, ``exports``, ``tables``,
``figures`` (static images), ``runcache`` (one report run's shared work, done once: :func:`shared`);
pseudonyms come from :mod:`netlib.privacy`.
"""

from __future__ import annotations

from netlib.report.build import ReportResult, build_report, load, notebook_setup
from netlib.report.describe import describe_communities
from netlib.report.exports import ExportResult, community_table, customer_table, export
from netlib.report.findings import Assumptions, Findings, analyse, behaviour_profiles, estimate_p
from netlib.report.figures import FiguresResult, build_figures, write_images
from netlib.report.notebooks import (
    NOTEBOOKS,
    ReportError,
    notebook_figures,
    notebook_paths,
    notebooks_dir,
    read_notebook,
    run_notebook,
)
from netlib.report.pages import export_html
from netlib.report.runcache import shared
from netlib.report.tables import init_tables, say, table
from netlib.privacy import PII_COLUMNS, pseudonym, pseudonymize

__all__ = [
    "NOTEBOOKS",
    "PII_COLUMNS",
    "Assumptions",
    "ExportResult",
    "Findings",
    "FiguresResult",
    "ReportError",
    "ReportResult",
    "analyse",
    "behaviour_profiles",
    "build_figures",
    "build_report",
    "community_table",
    "customer_table",
    "describe_communities",
    "estimate_p",
    "export",
    "export_html",
    "init_tables",
    "load",
    "notebook_figures",
    "notebook_paths",
    "notebook_setup",
    "notebooks_dir",
    "pseudonym",
    "pseudonymize",
    "read_notebook",
    "run_notebook",
    "say",
    "shared",
    "table",
    "write_images",
]
