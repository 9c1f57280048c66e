"""Build the report: run the suite on the data and write the pages, the summary and the exports."""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from netlib._sample import data_or_sample
from netlib.errors import ParameterError
from netlib.report.notebooks import DEFAULT_PARAMETERS, _run_suite, notebook_paths
from netlib.report.notebooks import _title_and_summary
from netlib.report.pages import _footer, _index_html, _nav, _write_text, export_html
from netlib.report.pseudonyms import pseudonymize

__all__ = ["ReportResult", "build_report"]


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


