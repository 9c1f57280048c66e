"""Find, read and run the notebook suite with papermill, each notebook in a kernel of this interpreter."""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

from netlib.errors import NetlibError, ParameterError, ReportError

__all__ = ["NOTEBOOKS", "ReportError", "notebook_figures", "notebook_paths", "notebooks_dir", "read_notebook",
           "run_notebook"]

#: The suite, in reading order.
NOTEBOOKS: tuple[str, ...] = (
    "01_build_network",
    "02_influencers",
    "03_communities",
    "04_spread_paths",
    "05_rogers_behaviours",
    "06_campaign_plan",
)

#: Parameters every report run passes to the notebooks that declare them.
DEFAULT_PARAMETERS: dict[str, Any] = {"data_path": None, "seed": 42, "k": 10}

_SETUP_TAG = "netlib-setup"
_FIGURE_MIME = "application/vnd.plotly.v1+json"


# --------------------------------------------------------------------------------------------------
# Finding and reading notebooks
# --------------------------------------------------------------------------------------------------


def notebooks_dir() -> Path:
    """The folder holding the suite: ``$NETLIB_NOTEBOOKS`` if set, else ``notebooks/`` beside the package.

    Examples
    --------
    >>> import netlib as nl
    >>> nl.report.notebooks_dir().name
    'notebooks'
    """
    env = os.environ.get("NETLIB_NOTEBOOKS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "notebooks"


def notebook_paths(notebooks=None) -> list[Path]:
    """Resolve ``notebooks`` (None = the whole suite; names such as ``"03"`` or ``"03_communities"``; or
    paths to ``.ipynb`` / jupytext ``.py`` files) to existing files, in suite order for names.

    The ``.ipynb`` is used when present, else its paired percent-format ``.py``.

    Examples
    --------
    >>> import netlib as nl
    >>> [p.name for p in nl.report.notebook_paths()][:2]
    ['01_build_network.ipynb', '02_influencers.ipynb']
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
    """Read an ``.ipynb`` or a jupytext percent-format ``.py`` as an ``nbformat`` notebook.

    Examples
    --------
    >>> import netlib as nl
    >>> nb = nl.report.read_notebook(nl.report.notebook_paths()[0])
    >>> nb.cells[0].cell_type, nb.metadata["jupytext"]["formats"]
    ('markdown', 'ipynb,py:percent')
    """
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
# Running one notebook
# --------------------------------------------------------------------------------------------------


def _setup_source(figure_json: bool, cache=None) -> str:
    return (
        "import os as _os\n"
        "_os.environ['NETLIB_NO_PROGRESS'] = '1'\n"
        "_os.environ['NETLIB_REPORT'] = '1'\n"
        + (f"_os.environ['NETLIB_REPORT_CACHE'] = {str(cache)!r}\n" if cache is not None else "")
        + "from netlib.report.notebooks import _kernel_setup\n"
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


def _prepare(nb, figure_json: bool, cache=None):
    import nbformat

    nb = copy.deepcopy(nb)
    for i, cell in enumerate(nb.cells):
        cell.metadata["netlib_cell"] = i + 1
    setup = nbformat.v4.new_code_cell(_setup_source(figure_json, cache))
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
                 kernel_name: str | None = None, figure_json: bool = False, name: str | None = None,
                 cache=None):
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
    cache : path, optional
        A report run's cache folder (:class:`netlib.report.runcache.RunCache`): the notebook loads the
        data, the network and the shared analyses from it instead of computing them.

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
    prepared = _prepare(nb, figure_json, cache)
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
    """The figures (plotly JSON dicts) an executed notebook displayed, in order (needs ``figure_json=True``).

    Examples
    --------
    >>> import nbformat
    >>> import netlib as nl
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("fig", outputs=[nbformat.v4.new_output(
    ...     "display_data", data={"application/vnd.plotly.v1+json": {"data": [{"type": "bar", "y": [1, 2]}], "layout": {}}})])])
    >>> [f["data"][0]["type"] for f in nl.report.notebook_figures(nb)]
    ['bar']
    """
    figs = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if _FIGURE_MIME in data:
                fig = data[_FIGURE_MIME]
                figs.append(json.loads(fig) if isinstance(fig, str) else dict(fig))
    return figs


def check_parameters(paths: list[Path], params, known=()) -> dict:
    """Read the notebooks and refuse parameters none of them declares (``known`` ones are always fine)."""
    declared_any: set[str] = set()
    nbs = {}
    for p in paths:
        nbs[p] = read_notebook(p)
        declared_any |= _declared_parameters(nbs[p])
    unknown = sorted(set(params or ()) - declared_any - set(DEFAULT_PARAMETERS) - set(known))
    if unknown:
        raise ParameterError(f"no notebook declares parameter(s) {unknown}; declared: {sorted(declared_any)}")
    return nbs


def _run_suite(paths: list[Path], params: dict[str, Any], *, figure_json: bool, progress, timeout: int,
               kernel_name: str | None, jobs: int = 1, known=(), cache=None):
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

    from netlib._util import progress as bar

    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ParameterError(f"jobs must be a positive int; got {jobs!r}")
    nbs = check_parameters(paths, params, known)
    executed, seconds = {}, {}

    def one(p: Path):
        t0 = time.perf_counter()
        nb = run_notebook(nbs[p], params, cwd=p.parent, name=p.stem, figure_json=figure_json, timeout=timeout,
                          kernel_name=kernel_name, cache=cache)
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


