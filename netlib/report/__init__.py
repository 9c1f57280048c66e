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

Modules: ``notebooks`` (finding and running the suite), ``pages`` (HTML export), ``build`` (the
report), ``figures`` (static images), ``pseudonyms``.
"""

from __future__ import annotations

from netlib.report.build import ReportResult, build_report
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
from netlib.report.pseudonyms import PII_COLUMNS, pseudonym, pseudonymize

__all__ = [
    "NOTEBOOKS",
    "PII_COLUMNS",
    "FiguresResult",
    "ReportError",
    "ReportResult",
    "build_figures",
    "build_report",
    "export_html",
    "notebook_figures",
    "notebook_paths",
    "notebooks_dir",
    "pseudonym",
    "pseudonymize",
    "read_notebook",
    "run_notebook",
    "write_images",
]
