"""Run the notebook suite with parameters and export offline HTML reports and static figures.

The notebooks in ``notebooks/`` (``01_build_network`` … ``06_campaign_plan``) are the single definition
of what a report shows. :func:`build_report` executes them with papermill in a kernel of the running
interpreter, exports each to HTML with nbconvert (code cells hidden unless ``show_code=True``) and writes
an index page linking them. :func:`build_figures` runs the same suite and writes every figure it draws
as a static image through kaleido.

Reports render with no network at all: plotly.js is shipped once beside the pages (``plotly.min.js``)
or, with ``self_contained=True``, embedded once in each page; nbconvert's CDN scripts (require.js,
MathJax, mermaid) are left out. Every string that comes from data reaches the page escaped (pandas
tables escape their cells, figure text travels as JSON and :mod:`netlib.plot` escapes it for plotly's
markup), and ``pseudonymize=True`` replaces every customer id by a salted hash before the notebooks
ever see the data.
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import logging
import os
import re
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from netlib._sample import data_or_sample
from netlib.errors import DataError, NetlibError, ParameterError

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

#: The suite, in reading order.
NOTEBOOKS: tuple[str, ...] = (
    "01_build_network",
    "02_influencers",
    "03_communities",
    "04_spread_paths",
    "05_rogers_behaviours",
    "06_campaign_plan",
)

#: Customer attribute columns that :func:`pseudonymize` drops (compared case-insensitively): they name
#: or reach a person directly, so hashing the id alone would not hide who the row is.
PII_COLUMNS: tuple[str, ...] = (
    "name", "first_name", "last_name", "full_name", "display_name", "email", "e_mail", "phone",
    "phone_number", "mobile", "address", "street", "postcode", "zip", "ip", "ip_address",
)

#: Parameters every report run passes to the notebooks that declare them.
DEFAULT_PARAMETERS: dict[str, Any] = {"data_path": None, "seed": 42, "k": 10}

_SETUP_TAG = "netlib-setup"
_FIGURE_MIME = "application/vnd.plotly.v1+json"


class ReportError(NetlibError):
    """A notebook of the suite failed; the message names the notebook, the cell and the error."""

    def __init__(self, message: str, *, notebook: str | None = None, cell: int | None = None,
                 ename: str | None = None, evalue: str | None = None):
        super().__init__(message)
        self.notebook = notebook
        self.cell = cell
        self.ename = ename
        self.evalue = evalue


# --------------------------------------------------------------------------------------------------
# Finding and reading notebooks
# --------------------------------------------------------------------------------------------------


def notebooks_dir() -> Path:
    """The folder holding the suite: ``$NETLIB_NOTEBOOKS`` if set, else ``notebooks/`` beside the package."""
    env = os.environ.get("NETLIB_NOTEBOOKS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "notebooks"


def notebook_paths(notebooks=None) -> list[Path]:
    """Resolve ``notebooks`` (None = the whole suite; names such as ``"03"`` or ``"03_communities"``; or
    paths to ``.ipynb`` / jupytext ``.py`` files) to existing files, in suite order for names.

    The ``.ipynb`` is used when present, else its paired percent-format ``.py``.
    """
    folder = notebooks_dir()
    if notebooks is None:
        wanted: list[Any] = list(NOTEBOOKS)
    elif isinstance(notebooks, (str, os.PathLike)):
        wanted = [notebooks]
    else:
        wanted = list(notebooks)
    out = []
    for item in wanted:
        path = Path(item)
        if path.suffix in (".ipynb", ".py") and path.is_file():
            out.append(path)
            continue
        matches = [n for n in NOTEBOOKS if n == str(item) or n.split("_", 1)[0] == str(item)]
        if len(matches) != 1:
            raise ParameterError(f"unknown notebook {str(item)!r}; expected one of {list(NOTEBOOKS)}, their "
                                 "number (e.g. '03') or a path to an .ipynb or .py file")
        name = matches[0]
        for suffix in (".ipynb", ".py"):
            if (folder / f"{name}{suffix}").is_file():
                out.append(folder / f"{name}{suffix}")
                break
        else:
            raise NetlibError(f"notebook {name} not found in {folder} (set NETLIB_NOTEBOOKS to the folder "
                              "holding the suite)")
    return out


def read_notebook(path: str | os.PathLike):
    """Read an ``.ipynb`` or a jupytext percent-format ``.py`` as an ``nbformat`` notebook."""
    import jupytext
    import nbformat

    path = Path(path)
    if path.suffix == ".py":
        return jupytext.read(path, fmt="py:percent")
    return nbformat.read(path, as_version=4)


def _title_and_summary(nb, fallback: str) -> tuple[str, str]:
    """The first markdown heading and the first paragraph after it (plain text)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = [ln.strip() for ln in cell.source.splitlines()]
        title = next((ln.lstrip("#").strip() for ln in lines if ln.startswith("#")), fallback)
        body, para = [ln for ln in lines if ln and not ln.startswith("#")], []
        for ln in body:
            para.append(ln)
            if ln.endswith("."):
                break
        return title, " ".join(para)
    return fallback, ""


# --------------------------------------------------------------------------------------------------
# Pseudonymisation
# --------------------------------------------------------------------------------------------------


def pseudonym(ids, salt: str) -> pd.Series:
    """Stable salted hashes of customer ids: ``"c"`` + the first 16 hex digits of SHA-256(salt, id).

    The same id and salt always give the same pseudonym, so tables, figures and reports made with one
    salt agree; without the salt the ids cannot be recovered by hashing candidate ids. Missing values
    stay missing.

    Examples
    --------
    >>> pseudonym(["a", "b", "a"], salt="s").tolist() == pseudonym(["a", "b", "a"], salt="s").tolist()
    True
    >>> pseudonym(["a"], salt="s")[0] != pseudonym(["a"], salt="t")[0]
    True
    """
    if not isinstance(salt, str) or not salt:
        raise ParameterError("salt must be a non-empty string")
    values = pd.Series(ids, dtype="string")
    key = salt.encode("utf-8") + b"\x00"
    uniques = values.dropna().unique()
    table = {u: "c" + hashlib.sha256(key + u.encode("utf-8")).hexdigest()[:16] for u in uniques}
    if len(set(table.values())) != len(table):  # pragma: no cover - 64-bit collision
        raise NetlibError("pseudonym collision; use another salt")
    return values.map(table).astype("string")


def pseudonymize(data, *, salt: str, drop: tuple[str, ...] | None = None):
    """A copy of ``data`` with every customer id replaced by :func:`pseudonym` and identifying columns dropped.

    Parameters
    ----------
    data : CustomerData
    salt : str
        Secret salt; keep it to make later reports use the same pseudonyms.
    drop : tuple of str, optional
        Customer attribute columns to drop (case-insensitive); :data:`PII_COLUMNS` by default.

    Returns
    -------
    CustomerData
        ``customers.customer_id``, ``interactions.source`` / ``target`` and ``events.customer_id`` hashed;
        the ground truth (which names customers) is left out; the load report's rejected rows are
        emptied of their raw values.
    """
    from netlib.io import CustomerData

    if not isinstance(data, CustomerData):
        raise DataError(f"pseudonymize expects CustomerData, got {type(data).__name__}")
    drop_set = {c.lower() for c in (PII_COLUMNS if drop is None else drop)}
    customers = data.customers.drop(columns=[c for c in data.customers.columns
                                             if c.lower() in drop_set and c != "customer_id"])
    customers = customers.assign(customer_id=pseudonym(customers["customer_id"], salt).values)
    inter = data.interactions.assign(source=pseudonym(data.interactions["source"], salt).values,
                                     target=pseudonym(data.interactions["target"], salt).values)
    events = data.events.assign(customer_id=pseudonym(data.events["customer_id"], salt).values)
    report = data.report
    rejected = getattr(report, "rejected", None)
    if isinstance(rejected, pd.DataFrame) and len(rejected) and "value" in rejected.columns:
        report = replace(report, rejected=rejected.assign(value="<hidden>"))
    return replace(data, customers=customers, interactions=inter, events=events, report=report, truth=None,
                   source=f"{data.source} (pseudonymized)")


# --------------------------------------------------------------------------------------------------
# Running one notebook
# --------------------------------------------------------------------------------------------------


def _setup_source(figure_json: bool) -> str:
    return (
        "import os as _os\n"
        "_os.environ['NETLIB_NO_PROGRESS'] = '1'\n"
        "from netlib.report import _kernel_setup\n"
        f"_kernel_setup(figure_json={figure_json!r})\n"
    )


def _kernel_setup(figure_json: bool = False) -> None:
    """Inside a report kernel: render figures as bare ``<div>``s without plotly.js (the page carries it
    once), with deterministic element ids, plus the figure JSON when ``figure_json`` (static export)."""
    import plotly.io as pio
    from plotly.io._base_renderers import MimetypeRenderer

    class _ReportRenderer(MimetypeRenderer):
        count = 0

        def to_mimebundle(self, fig_dict):
            _ReportRenderer.count += 1
            div = pio.to_html(fig_dict, include_plotlyjs=False, include_mathjax=False, full_html=False,
                              div_id=f"netlib-figure-{_ReportRenderer.count}", default_width="100%",
                              default_height=520, validate=False,
                              config={"responsive": True, "displaylogo": False})
            bundle = {"text/html": div}
            if figure_json:
                bundle[_FIGURE_MIME] = json.loads(pio.to_json(fig_dict, validate=False))
            return bundle

    pio.renderers["netlib_report"] = _ReportRenderer()
    pio.renderers.default = "netlib_report"


def _prepare(nb, figure_json: bool):
    import nbformat

    nb = copy.deepcopy(nb)
    for i, cell in enumerate(nb.cells):
        cell.metadata["netlib_cell"] = i + 1
    setup = nbformat.v4.new_code_cell(_setup_source(figure_json))
    setup.metadata["tags"] = [_SETUP_TAG]
    nb.cells.insert(0, setup)
    nb.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"})
    return nb


def _this_python_manager():
    """A jupyter KernelManager whose kernel is always ``sys.executable -m ipykernel_launcher``.

    A kernelspec named ``python3`` found first on the Jupyter path (a user-level one, say) may point
    at another interpreter without netlib; this manager ignores kernelspecs altogether.
    """
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import KernelManager

    class ThisPythonKernelManager(KernelManager):
        @property
        def kernel_spec(self):
            if getattr(self, "_netlib_spec", None) is None:
                self._netlib_spec = KernelSpec(
                    argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    display_name=f"Python ({sys.executable})", language="python", resource_dir="")
            return self._netlib_spec

    return ThisPythonKernelManager


def _declared_parameters(nb) -> set[str]:
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            return set(re.findall(r"^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=", cell.source, flags=re.MULTILINE))
    return set()


def run_notebook(notebook, parameters: dict[str, Any] | None = None, *, cwd=None, timeout: int = 1800,
                 kernel_name: str | None = None, figure_json: bool = False, name: str | None = None):
    """Execute one notebook with papermill and return the executed ``nbformat`` notebook.

    Parameters
    ----------
    notebook : path or nbformat notebook
        An ``.ipynb``, a jupytext percent-format ``.py`` or an in-memory notebook.
    parameters : dict, optional
        Values for the names the notebook's ``parameters`` cell declares; others are ignored.
    cwd : path, optional
        Working directory of the kernel (default: the notebook's folder).
    timeout : int
        Seconds one cell may run.
    kernel_name : str, optional
        A Jupyter kernelspec to run the notebook in. By default the kernel is the interpreter running
        this function (``sys.executable``), whatever kernelspecs are installed.
    figure_json : bool
        Also store each figure's JSON in its output (for :func:`notebook_figures`).

    Raises
    ------
    ReportError
        When a cell fails: the message names the notebook, the cell number (1-based, as in the source
        notebook), the first line of its code and the error.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    if isinstance(notebook, (str, os.PathLike)):
        path = Path(notebook)
        nb = read_notebook(path)
        name = name or path.stem
        cwd = cwd or path.parent
    else:
        nb, name = notebook, name or "notebook"
    declared = _declared_parameters(nb)
    params = {k: v for k, v in (parameters or {}).items() if k in declared}
    prepared = _prepare(nb, figure_json)
    # papermill's own parameter parser warns about lines it cannot type; we pass declared names only
    logging.getLogger("papermill").setLevel(logging.ERROR)
    try:
        engine = {} if kernel_name else {"kernel_manager_class": _this_python_manager()}
        out = pm.execute_notebook(prepared, None, parameters=params, kernel_name=kernel_name or "python3",
                                  progress_bar=False, log_output=False, cwd=str(cwd) if cwd else None,
                                  execution_timeout=timeout, report_mode=False,
                                  extra_arguments=["--IPKernelApp.log_level=CRITICAL"], **engine)
    except PapermillExecutionError as exc:
        cell = None
        for c in prepared.cells:
            if c.cell_type == "code" and c.source == exc.source:
                cell = c.metadata.get("netlib_cell")
                break
        first = next((ln for ln in exc.source.splitlines() if ln.strip() and not ln.startswith("#")), "")
        where = f"cell {cell}" if cell else f"cell In [{exc.exec_count}]"
        raise ReportError(f"notebook {name} failed at {where} ({first.strip()[:80]}): {exc.ename}: {exc.evalue}",
                          notebook=name, cell=cell, ename=exc.ename, evalue=exc.evalue) from None
    return out


def notebook_figures(nb) -> list[dict]:
    """The figures (plotly JSON dicts) an executed notebook displayed, in order (needs ``figure_json=True``)."""
    figs = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if _FIGURE_MIME in data:
                fig = data[_FIGURE_MIME]
                figs.append(json.loads(fig) if isinstance(fig, str) else dict(fig))
    return figs


# --------------------------------------------------------------------------------------------------
# HTML export
# --------------------------------------------------------------------------------------------------

_TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}
{{ resources.netlib.plotly_tag }}
{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<style type="text/css">{{ resources.netlib.css }}</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.netlib.header }}
{%- endblock body_header -%}
{% block body_footer %}
{{ resources.netlib.footer }}
{{ super() }}
{% endblock body_footer %}
"""

_CSS = """
body.jp-Notebook { max-width: 1180px; margin: 0 auto; }
nav.netlib-nav { font: 14px/1.4 system-ui, sans-serif; padding: 10px 16px; border-bottom: 1px solid #ddd;
  display: flex; flex-wrap: wrap; gap: 14px; }
nav.netlib-nav a { color: #1f4e8c; text-decoration: none; }
nav.netlib-nav a.current { font-weight: 600; color: #111; }
footer.netlib-footer { font: 12px/1.5 system-ui, sans-serif; color: #555; padding: 16px; border-top: 1px solid #ddd; }
footer.netlib-footer code { font-size: 11px; }
"""


def _plotly_tag(mode: str, prefix: str = "") -> str:
    if mode == "inline":
        from plotly.offline import get_plotlyjs

        js = get_plotlyjs().replace("</script", "<\\/script")
        return f'<script type="text/javascript">window.PlotlyConfig = {{MathJaxConfig: "local"}};</script>\n' \
               f'<script type="text/javascript">{js}</script>'
    return ('<script type="text/javascript">window.PlotlyConfig = {MathJaxConfig: "local"};</script>\n'
            f'<script type="text/javascript" src="{html.escape(prefix)}plotly.min.js" charset="utf-8"></script>')


def _nav(pages: list[tuple[str, str]], current: str | None) -> str:
    links = ['<a href="index.html">Report index</a>']
    for fname, title in pages:
        cls = ' class="current"' if fname == current else ""
        links.append(f'<a href="{html.escape(fname)}"{cls}>{html.escape(title)}</a>')
    return '<nav class="netlib-nav">' + " ".join(links) + "</nav>"


def _footer(meta: dict[str, Any]) -> str:
    items = "; ".join(f"{html.escape(str(k))}: <code>{html.escape(str(v))}</code>" for k, v in meta.items())
    return f'<footer class="netlib-footer">{items}</footer>'


def export_html(nb, *, show_code: bool = False, plotlyjs: str = "beside", title: str | None = None,
                nav: str = "", footer: str = "") -> str:
    """Export an executed notebook to one HTML page that renders with no network.

    Parameters
    ----------
    nb : nbformat notebook (executed by :func:`run_notebook`)
    show_code : bool
        Keep the code cells (hidden by default: readers see the narrative, tables and figures).
    plotlyjs : {"beside", "inline"}
        ``"beside"`` loads ``plotly.min.js`` from the page's folder; ``"inline"`` embeds it once in the page.
    title : str, optional
        The page title (escaped).
    nav, footer : str
        Trusted HTML put above and below the notebook (built by :func:`build_report`).
    """
    import jinja2
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    if plotlyjs not in ("beside", "inline"):
        raise ParameterError(f"plotlyjs must be 'beside' or 'inline', got {plotlyjs!r}")
    nb = copy.deepcopy(nb)
    for cell in nb.cells:  # progress bars and warnings are for the analyst's console, not the reader
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
            if not show_code and "injected-parameters" in cell.metadata.get("tags", []):
                cell.metadata.setdefault("tags", []).append(_SETUP_TAG)
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {_SETUP_TAG}
    c.HTMLExporter.exclude_input = not show_code
    c.HTMLExporter.exclude_input_prompt = not show_code
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.embed_images = True
    exporter = HTMLExporter(config=c, template_name="lab",
                            extra_loaders=[jinja2.DictLoader({"netlib_report.html.j2": _TEMPLATE})],
                            template_file="netlib_report.html.j2")
    if title is not None:
        nb.metadata["title"] = title
    resources = {"netlib": {"plotly_tag": _plotly_tag(plotlyjs), "css": _CSS, "header": nav, "footer": footer}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


# --------------------------------------------------------------------------------------------------
# The whole suite
# --------------------------------------------------------------------------------------------------


@dataclass
class ReportResult:
    """What :func:`build_report` wrote: the index page, one page per notebook, seconds per notebook."""

    out: Path
    index: Path
    pages: dict[str, Path]
    seconds: dict[str, float]
    plotlyjs: Path | None = None
    salt_was_given: bool = True
    provenance: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        total = sum(self.seconds.values())
        return f"ReportResult({len(self.pages)} pages in {self.out}, {total:.1f} s; index={self.index.name})"


@dataclass
class FiguresResult:
    """What :func:`build_figures` wrote: one file per figure, ``<notebook>-<nn>-<plot function>.<format>``."""

    out: Path
    files: list[Path]
    seconds: float



def _prepare_data(data, pseudonymize_ids: bool, salt: str | None, workdir: Path):
    """Validate the data once here (fail before any kernel starts) and decide what path the notebooks read."""
    from netlib.io import CustomerData, write_data

    loaded = data_or_sample(data)
    if pseudonymize_ids:
        loaded = pseudonymize(loaded, salt=salt)
        folder = workdir / "data"
        write_data(loaded, folder, format="parquet")
        return loaded, str(folder)
    if data is None:
        return loaded, None
    if isinstance(data, CustomerData):
        folder = workdir / "data"
        write_data(loaded, folder, format="parquet")
        return loaded, str(folder)
    return loaded, str(Path(data).resolve())


def _check_out(out) -> Path:
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ParameterError(f"--out {out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


def _run_suite(paths: list[Path], params: dict[str, Any], *, figure_json: bool, progress, timeout: int,
               kernel_name: str | None, jobs: int = 1):
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

    from netlib._util import progress as bar

    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ParameterError(f"jobs must be a positive int; got {jobs!r}")
    declared_any: set[str] = set()
    nbs = {}
    for p in paths:
        nbs[p] = read_notebook(p)
        declared_any |= _declared_parameters(nbs[p])
    unknown = sorted(set(params) - declared_any - set(DEFAULT_PARAMETERS))
    if unknown:
        raise ParameterError(f"no notebook declares parameter(s) {unknown}; declared: {sorted(declared_any)}")
    executed, seconds = {}, {}

    def one(p: Path):
        t0 = time.perf_counter()
        nb = run_notebook(nbs[p], params, cwd=p.parent, name=p.stem, figure_json=figure_json, timeout=timeout,
                          kernel_name=kernel_name)
        return p, nb, time.perf_counter() - t0

    with bar(total=len(paths), desc="report", unit="notebook", progress=progress) as pb:
        if jobs == 1:
            for p in paths:
                pb.set_description(f"report: {p.stem}")
                _, executed[p], seconds[p.stem] = one(p)
                pb.update(1)
        else:  # each notebook has its own kernel process; threads only wait on them
            with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="netlib-report") as pool:
                pending = {pool.submit(one, p) for p in paths}
                while pending:
                    done, pending = wait(pending, return_when=FIRST_EXCEPTION)
                    for fut in done:
                        if fut.exception() is not None:
                            for other in pending:
                                other.cancel()
                            raise fut.exception()
                        p, nb, sec = fut.result()
                        executed[p], seconds[p.stem] = nb, sec
                        pb.set_description(f"report: {p.stem} done")
                        pb.update(1)
    seconds = {p.stem: seconds[p.stem] for p in paths}
    return nbs, executed, seconds


def _write_text(path: Path, text: str) -> None:
    from netlib.io import atomic_write

    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, 0o644)  # readable like any published page (the temporary file was private)


def _index_html(entries: list[dict[str, str]], meta: dict[str, Any], counts: str, plotly_note: str) -> str:
    rows = "\n".join(
        f'<li><a href="{html.escape(e["file"])}">{html.escape(e["title"])}</a>'
        f'<p>{html.escape(e["summary"])}</p></li>' for e in entries)
    meta_rows = "\n".join(f"<tr><th>{html.escape(str(k))}</th><td><code>{html.escape(str(v))}</code></td></tr>"
                          for k, v in meta.items())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>netlib report</title>
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; max-width: 860px; margin: 2em auto; padding: 0 1em; color: #222; }}
h1 {{ margin-bottom: .2em; }} ol {{ padding-left: 1.2em; }} li {{ margin: .8em 0; }}
li a {{ font-size: 1.1em; font-weight: 600; color: #1f4e8c; text-decoration: none; }} li p {{ margin: .2em 0; color: #444; }}
table {{ border-collapse: collapse; font-size: 13px; }} th, td {{ text-align: left; padding: 3px 10px 3px 0; vertical-align: top; }}
.note {{ color: #666; font-size: 13px; }}
</style>
</head>
<body>
<h1>netlib report</h1>
<p>{html.escape(counts)}</p>
<ol>
{rows}
</ol>
<h2>How this report was made</h2>
<table>
{meta_rows}
</table>
<p class="note">{html.escape(plotly_note)}</p>
</body>
</html>
"""


def build_report(data=None, out="report", *, notebooks=None, parameters: dict[str, Any] | None = None,
                 seed: int = 42, k: int = 10, show_code: bool = False, pseudonymize: bool = False,
                 salt: str | None = None, self_contained: bool = False, keep_notebooks: bool = False,
                 progress: bool | None = None, timeout: int = 1800, kernel_name: str | None = None,
                 jobs: int = 1) -> ReportResult:
    """Run the notebook suite on ``data`` and write one HTML page per notebook plus ``index.html`` to ``out``.

    Parameters
    ----------
    data : path, CustomerData or None
        A folder (or mapping) :func:`netlib.read_data` reads, loaded data, or None for the shipped sample.
    out : path
        Output folder (created). Every file is written atomically; a failing run leaves earlier pages intact.
    notebooks : list of names or paths, optional
        A subset of the suite (``["01", "03"]``); all six by default.
    parameters : dict, optional
        Extra papermill parameters; each goes to the notebooks whose ``parameters`` cell declares it.
    seed, k : int
        Passed to every notebook as ``seed`` and ``k`` (the seed of all stochastic steps; seeds to pick).
    show_code : bool
        Keep the code cells in the pages.
    pseudonymize : bool
        Replace every customer id by a stable salted hash (:func:`pseudonym`) and drop :data:`PII_COLUMNS`
        before the notebooks see the data, so no raw id can reach a page.
    salt : str, optional
        The salt for ``pseudonymize``; ``$NETLIB_SALT`` when not given, else a fresh random one (the
        pseudonyms then differ from run to run; :attr:`ReportResult.salt_was_given` is False).
    self_contained : bool
        Embed plotly.js once in every page (each page works alone, ~4.7 MB each) instead of shipping
        ``plotly.min.js`` once beside the pages.
    keep_notebooks : bool
        Also write the executed notebooks to ``out/notebooks/``.
    progress : bool, optional
        Progress bar per notebook (default: only in a terminal).
    jobs : int
        Notebooks run at once, each in its own kernel (2 on a two-core machine roughly halves the time).

    Raises
    ------
    ReportError
        A notebook failed: names the notebook and the cell.
    """
    import nbformat

    from netlib import __version__

    out = _check_out(out)
    salt_given = True
    if pseudonymize:
        salt = salt or os.environ.get("NETLIB_SALT")
        if not salt:
            salt, salt_given = secrets.token_hex(16), False
    elif salt:
        raise ParameterError("salt is only used with pseudonymize=True")
    paths = notebook_paths(notebooks)
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="netlib-report-") as tmp:
        loaded, data_path = _prepare_data(data, pseudonymize, salt, Path(tmp))
        params = {**DEFAULT_PARAMETERS, "seed": seed, "k": k, **(parameters or {}), "data_path": data_path}
        nbs, executed, seconds = _run_suite(paths, params, figure_json=False, progress=progress,
                                            timeout=timeout, kernel_name=kernel_name, jobs=jobs)
    source_label = "shipped sample" if data is None else loaded.source
    meta = {
        "netlib": __version__,
        "data": source_label,
        "parameters": ", ".join(f"{k_}={v!r}" for k_, v in params.items() if k_ != "data_path"),
        "customer ids": "pseudonymized (salted SHA-256)" if pseudonymize else "as in the data",
        "python": sys.version.split()[0],
    }
    pages_meta = []
    for p in paths:
        title, summary = _title_and_summary(nbs[p], p.stem)
        pages_meta.append({"file": f"{p.stem}.html", "title": title, "summary": summary, "stem": p.stem})
    nav_pages = [(e["file"], e["title"]) for e in pages_meta]
    mode = "inline" if self_contained else "beside"
    plotly_path = None
    if mode == "beside":
        from plotly.offline import get_plotlyjs

        plotly_path = out / "plotly.min.js"
        _write_text(plotly_path, get_plotlyjs())
    pages: dict[str, Path] = {}
    for p, entry in zip(paths, pages_meta):
        page = export_html(executed[p], show_code=show_code, plotlyjs=mode, title=entry["title"],
                           nav=_nav(nav_pages, entry["file"]),
                           footer=_footer({**meta, "notebook": p.name, "seconds": f"{seconds[p.stem]:.1f}"}))
        pages[p.stem] = out / entry["file"]
        _write_text(pages[p.stem], page)
        if keep_notebooks:
            _write_text(out / "notebooks" / f"{p.stem}.ipynb", nbformat.writes(executed[p]))
    counts = (f"{len(loaded.customers):,} customers, {len(loaded.interactions):,} interactions, "
              f"{len(loaded.events):,} events ({source_label}).")
    note = ("Pages load plotly.min.js from this folder: keep the folder together." if mode == "beside"
            else "Each page carries its own copy of plotly.js and opens on its own.")
    meta["generated"] = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d %H:%M UTC")
    meta["run time"] = f"{time.perf_counter() - t_start:.1f} s"
    index = out / "index.html"
    _write_text(index, _index_html(pages_meta, meta, counts, note))
    return ReportResult(out=out, index=index, pages=pages, seconds=seconds, plotlyjs=plotly_path,
                        salt_was_given=salt_given, provenance=meta)


def _slug(text: str, limit: int = 40) -> str:
    s = re.sub(r"<[^>]*>", " ", text or "")
    s = re.sub(r"[^A-Za-z0-9]+", "-", s).strip("-").lower()
    return s[:limit].rstrip("-") or "figure"


def _figure_title(fig: dict) -> str:
    t = fig.get("layout", {}).get("title")
    if isinstance(t, dict):
        return t.get("text") or ""
    return t or ""


def build_figures(data=None, out="figures", *, format: str = "svg", notebooks=None,
                  parameters: dict[str, Any] | None = None, seed: int = 42, k: int = 10,
                  pseudonymize: bool = False, salt: str | None = None, width: int = 900, height: int = 560,
                  scale: float = 2.0, progress: bool | None = None, timeout: int = 1800,
                  kernel_name: str | None = None, jobs: int = 1) -> FiguresResult:
    """Run the suite and write every figure it draws as a static ``png``, ``svg`` or ``pdf`` file.

    Files are named ``<notebook>-<nn>-<plot function>.<format>`` (``03_communities-02-network_map.svg``;
    a title slug for figures not drawn by :mod:`netlib.plot`); the same data, seed and versions give
    the same bytes. Images are drawn by kaleido, which drives a Chrome or Chromium installed on the machine
    (on Debian/Ubuntu: ``apt-get install chromium``; or set ``BROWSER_PATH``).

    Raises
    ------
    NetlibError
        When no Chrome/Chromium is found (checked before any notebook runs).
    ReportError
        A notebook failed.
    """
    if format not in ("png", "svg", "pdf"):
        raise ParameterError(f"format must be 'png', 'svg' or 'pdf', got {format!r}")
    _find_chrome()
    out = _check_out(out)
    if pseudonymize:
        salt = salt or os.environ.get("NETLIB_SALT") or secrets.token_hex(16)
    paths = notebook_paths(notebooks)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="netlib-figures-") as tmp:
        _, data_path = _prepare_data(data, pseudonymize, salt, Path(tmp))
        params = {**DEFAULT_PARAMETERS, "seed": seed, "k": k, **(parameters or {}), "data_path": data_path}
        _, executed, _ = _run_suite(paths, params, figure_json=True, progress=progress, timeout=timeout,
                                    kernel_name=kernel_name, jobs=jobs)
    specs = []
    for p in paths:
        for i, fig in enumerate(notebook_figures(executed[p]), start=1):
            meta = fig.get("layout", {}).get("meta")
            kind = meta.get("figure") if isinstance(meta, dict) and meta.get("figure") else _slug(_figure_title(fig))
            name = f"{p.stem}-{i:02d}-{kind}.{format}"
            specs.append((fig, out / name))
    files = write_images([f for f, _ in specs], [p for _, p in specs], format=format, width=width,
                         height=height, scale=scale)
    return FiguresResult(out=out, files=files, seconds=time.perf_counter() - t0)


_NO_CHROME = ("static figures are drawn by kaleido, which needs Chrome or Chromium and found none. "
              "Install it (Debian/Ubuntu: `apt-get install chromium`; macOS/Windows: install Google Chrome) "
              "or point BROWSER_PATH at the browser's executable.")


def _find_chrome() -> str:
    """The Chrome/Chromium kaleido will use, or a :class:`NetlibError` saying how to get one."""
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError as exc:  # pragma: no cover - kaleido is a dependency
        raise NetlibError(f"kaleido is not installed ({exc}); install netlib's dependencies") from None
    env = os.environ.get("BROWSER_PATH")
    if env:
        if Path(env).is_file():
            return env
        raise NetlibError(f"BROWSER_PATH={env} is not a file. " + _NO_CHROME)
    try:
        found = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - choreographer raises assorted errors when nothing is found
        found = None
    if not found:
        raise NetlibError(_NO_CHROME)
    return str(found)


def _normalise_image(data: bytes, format: str) -> bytes:
    """Make kaleido's output byte-for-byte repeatable: plotly names SVG clip paths after a random
    per-render id, and Chrome stamps PDFs with the time and a random document id."""
    if format == "svg":
        found = re.search(rb'id="defs-([0-9a-f]+)"', data)
        if found:
            data = data.replace(found.group(1), b"0" * len(found.group(1)))
    elif format == "pdf":
        data = re.sub(rb"/(CreationDate|ModDate) ?\(D:[^)]*\)",
                      lambda m: m.group(0)[: m.group(0).index(b"(") + 1] + b"D:20000101000000Z" + b")", data)
        data = re.sub(rb"/ID ?\[ ?<[0-9A-Fa-f]+> ?<[0-9A-Fa-f]+> ?\]",
                      lambda m: re.sub(rb"[0-9A-Fa-f](?=[0-9A-Fa-f]*>)", b"0", m.group(0)), data)
    return data


def write_images(figs: list, paths: list, *, format: str | None = None, width: int = 900, height: int = 560,
                 scale: float = 2.0) -> list[Path]:
    """Write plotly figures (``go.Figure`` or dicts) to static files in one kaleido session, atomically.

    ``format`` (``png``, ``svg``, ``pdf``) defaults to each path's suffix. MathJax is not loaded (no
    network); plotly.js comes from the installed plotly package. SVG and PDF output is normalised so
    the same figure always gives the same bytes.
    """
    import kaleido

    if not figs:
        return []
    if len(figs) != len(paths):
        raise ParameterError(f"write_images: {len(figs)} figures but {len(paths)} paths")
    _find_chrome()
    paths = [Path(p) for p in paths]
    formats = [format or p.suffix.lstrip(".").lower() for p in paths]
    bad = sorted({f for f in formats if f not in ("png", "svg", "pdf")})
    if bad:
        raise ParameterError(f"image format must be png, svg or pdf; got {bad}")
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".netlib-img-", dir=paths[0].parent) as tmp:
        specs = []
        for i, (fig, fmt) in enumerate(zip(figs, formats)):
            fig_dict = copy.deepcopy(fig.to_dict() if hasattr(fig, "to_dict") else fig)
            for j, trace in enumerate(fig_dict.get("data", [])):
                trace.setdefault("uid", f"{j:06x}")  # plotly draws a random one otherwise
            specs.append({"fig": fig_dict, "path": Path(tmp) / f"{i:04d}.{fmt}",
                          "opts": {"format": fmt, "width": width, "height": height, "scale": scale}})
        try:
            kaleido.write_fig_from_object_sync(specs, kopts={"mathjax": False})
        except Exception as exc:
            if type(exc).__name__ == "ChromeNotFoundError":
                raise NetlibError(_NO_CHROME) from None
            raise
        for spec, fmt, path in zip(specs, formats, paths):
            path.parent.mkdir(parents=True, exist_ok=True)
            spec["path"].write_bytes(_normalise_image(spec["path"].read_bytes(), fmt))
            os.replace(spec["path"], path)
            os.chmod(path, 0o644)
    return paths
