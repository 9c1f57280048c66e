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
from netlib.report.notebooks import (DEFAULT_PARAMETERS, NOTEBOOKS, _run_suite, _title_and_summary, check_parameters,
                                     notebook_paths, read_notebook)
from netlib.report.pages import _footer, _nav, _write_text, banners, export_html
from netlib.privacy import pseudonymize

__all__ = ["ReportResult", "build_report", "notebook_setup"]


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
    exports: dict[str, Path] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    findings: Any = None

    def __repr__(self) -> str:
        total = sum(self.seconds.values())
        return f"ReportResult({len(self.pages)} pages in {self.out}, {total:.1f} s; index={self.index.name})"


#: Pages whose numbers rest on the diffusion assumptions (they show them at the top).
USES_ASSUMPTIONS = ("02_influencers", "04_spread_paths", "06_campaign_plan")


def load(data=None, *, columns=None, read_options: dict[str, Any] | None = None):
    """Read ``data`` the way a report does: None is the shipped sample, a CustomerData is used as it is,
    anything else goes through :func:`netlib.read_data` with ``columns`` renames and ``read_options``.

    Raises
    ------
    ParameterError
        When this netlib's ``read_data`` does not know one of ``read_options``.

    Examples
    --------
    >>> import netlib as nl
    >>> data = nl.report.load()  # None: the shipped sample
    >>> len(data.customers), data.report.rows_rejected
    (2000, 0)
    """
    import inspect

    import netlib as nl
    from netlib.io import CustomerData

    if data is None and not columns and not read_options:
        return data_or_sample(None)
    if isinstance(data, CustomerData):
        if columns or read_options:
            raise ParameterError("columns and reading options apply to files; this data is already loaded")
        return data
    if data is None:
        raise ParameterError("columns and reading options need a data folder; the shipped sample is already read")
    options = dict(read_options or {})
    accepted = inspect.signature(nl.read_data).parameters
    unknown = sorted(k for k in options if k not in accepted)
    if unknown:
        raise ParameterError(f"this netlib's read_data does not accept {unknown}; it accepts "
                             f"{sorted(k for k in accepted if k != 'data')}")
    if columns:
        options["columns"] = columns
    return nl.read_data(data, **options)


def notebook_setup(data_path=None, *, read_options: dict[str, Any] | None = None, network: bool = True):
    """The first code cell every suite notebook shares: tables made interactive, the data read, the network built.

    DataTables is loaded offline into the notebook when it runs in IPython outside a report kernel
    (the report pages load it once from beside them); the data is read as :func:`load` reads it; the
    network is :func:`netlib.customer_network` of it (arrays: every analysis takes it, and
    ``G.to_networkx()`` gives the networkx DiGraph :func:`netlib.build_network` returns).

    In a report run the report has read, validated and built both once: they are loaded from the run's
    cache (:mod:`netlib.report.runcache`), the same data with the same load report, in seconds.

    Parameters
    ----------
    data_path : path or CustomerData, optional
        The notebook's ``data_path`` parameter (None: the shipped sample).
    read_options : dict, optional
        The notebook's ``read_options`` parameter, passed to :func:`netlib.read_data`.
    network : bool
        Build the network (False for notebooks that read behaviour only).

    Returns
    -------
    (CustomerData, CustomerNetwork or None)

    Raises
    ------
    ParameterError
        As :func:`load`.

    Examples
    --------
    >>> import netlib as nl
    >>> data, G = nl.report.notebook_setup()
    >>> len(data.customers), G.number_of_nodes()
    (2000, 2000)
    """
    from netlib.network import customer_network
    from netlib.report.runcache import active, shared
    from netlib.report.tables import init_tables

    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with jupyterlab
        get_ipython = None
    init = init_tables() if get_ipython is not None and get_ipython() is not None else None
    if init is not None:
        from IPython.display import display

        display(init)
    cache = active()
    if cache is not None and cache.serves(data_path, read_options):
        data = cache.load_data()
        return data, shared(customer_network, data) if network else None
    data = load(data_path, read_options=read_options)
    return data, customer_network(data) if network else None


def unrecognised_files(data) -> list[str]:
    """Files in a data folder that no table or taxonomy was read from (reported, never silently ignored)."""
    from netlib.report.findings import TAXONOMY_FILES

    if not isinstance(data, (str, os.PathLike)) or not Path(data).is_dir():
        return []
    known = ("customers", "interactions", "events", "truth_", "readme", "sha256sums", "license")
    out = []
    for f in sorted(Path(data).iterdir()):
        if f.name.startswith(".") or f.is_dir() or f.name in TAXONOMY_FILES:
            continue
        if not f.name.lower().startswith(known):
            out.append(f.name)
    return out


def _prepare_data(data, pseudonymize_ids: bool, salt: str | None, workdir: Path, *, columns=None,
                  read_options=None):
    """Validate the data once here (fail before any kernel starts) and decide what path the notebooks read."""
    from netlib.io import CustomerData, write_data

    loaded = load(data, columns=columns, read_options=read_options)
    if pseudonymize_ids:
        loaded = pseudonymize(loaded, salt=salt)
    if pseudonymize_ids or isinstance(data, CustomerData):
        folder = workdir / "data"
        write_data(loaded, folder, format="parquet")
        return loaded, str(folder), {}
    if data is None:
        return loaded, None, {}
    opts = dict(read_options or {})
    if columns:
        opts["columns"] = {t: dict(m) for t, m in columns.items()}
    return loaded, str(Path(data).resolve()), opts


def _check_out(out) -> Path:
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ParameterError(f"--out {out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


def build_report(data=None, out="report", *, notebooks=None, parameters: dict[str, Any] | None = None,
                 seed: int = 42, k: int = 10, p: float | None = None, runs: int = 1000, taxonomy=None,
                 columns: dict[str, dict[str, str]] | None = None, read_options: dict[str, Any] | None = None,
                 show_code: bool = False, pseudonymize: bool = False, salt: str | None = None,
                 self_contained: bool = False, keep_notebooks: bool = False, exports: bool = True,
                 progress: bool | None = None, timeout: int = 1800, kernel_name: str | None = None,
                 jobs: int = 1) -> ReportResult:
    """Run the notebook suite on ``data`` and write the summary (``index.html``), one page per notebook and
    the exports to ``out``.

    Parameters
    ----------
    data : path, CustomerData or None
        A folder (or mapping) :func:`netlib.read_data` reads, loaded data, or None for the shipped sample.
        A folder may hold any of the three tables: pages the data cannot support are replaced by a short
        note saying what is missing.
    out : path
        Output folder. The report is built in a staging folder beside it and swapped in whole, so a
        failing or interrupted run leaves the previous report as it was. ``out`` must be new, empty or an
        earlier netlib report; two runs cannot write it at once.
    notebooks : list of names or paths, optional
        A subset of the suite (``["01", "03"]``); all six by default.
    parameters : dict, optional
        Extra papermill parameters; each goes to the notebooks whose ``parameters`` cell declares it.
    seed, k : int
        Passed to every notebook as ``seed`` and ``k`` (the seed of all stochastic steps; seeds to pick).
    p : float, optional
        Pass-on probability for every reach figure; by default estimated from the share log
        (:func:`netlib.report.estimate_p`) and stated with its basis on every page that uses it.
    runs : int
        Monte-Carlo runs per reach estimate.
    taxonomy : path or mapping, optional
        Event-type → behaviour mapping; by default a ``taxonomy.yaml``/``.csv`` in the data folder, else
        netlib's default (unknown types matched by netlib's rules where available, every match shown).
    columns : dict, optional
        Column renames per table, ``{"interactions": {"src": "source"}}``.
    read_options : dict, optional
        Further keywords for :func:`netlib.read_data` (``dayfirst``, ``encoding``, ...).
    show_code : bool
        Keep the code cells in the pages.
    pseudonymize : bool
        Replace every customer id by a stable salted hash (:func:`pseudonym`) and drop identifying columns
        before anything sees the data, so no raw id can reach a page or an export.
    salt : str, optional
        The salt for ``pseudonymize``; ``$NETLIB_SALT`` when not given, else a fresh random one (the
        pseudonyms then differ from run to run; :attr:`ReportResult.salt_was_given` is False).
    self_contained : bool
        Embed plotly.js and DataTables once in every page (each page works alone, ~5.7 MB each) instead
        of shipping ``plotly.min.js`` and ``datatables.js`` once beside the pages.
    keep_notebooks : bool
        Also write the executed notebooks to ``out/notebooks/``.
    exports : bool
        Write the exports (CSV, one Excel workbook, data dictionary) to ``out/exports/``.
    progress : bool, optional
        Progress bar per notebook (default: only in a terminal).
    jobs : int
        Notebooks run at once, each in its own kernel (2 on a two-core machine roughly halves the time).

    Raises
    ------
    ReportError
        A notebook failed (names the notebook and the cell); or ``out`` cannot be written, is in use by
        another run, or holds files netlib did not write.

    Notes
    -----
    Work the pages share is done once per run (:mod:`netlib.report.runcache`): this process reads and
    validates the data and builds the network, and writes both to the run's cache; every kernel loads
    them from there, and an analysis several pages ask for with the same arguments (influencers, the
    default communities, the reconstructed cascades, the campaign's seeds) is computed by whichever
    process asks first and loaded by the others. The summary's analyses run in this process beside the
    kernels; when they are done their findings are set aside on disk and the memory they held is given
    back until the pages are written.
    """
    from concurrent.futures import ThreadPoolExecutor

    from netlib.network import customer_network
    from netlib.report.findings import NEEDS, estimate_p, find_taxonomy, present_tables
    from netlib.report.output import check_target, staged_folder
    from netlib.report.runcache import RunCache

    out = Path(out)
    check_target(out)
    salt_given = True
    if pseudonymize:
        salt = salt or os.environ.get("NETLIB_SALT")
        if not salt:
            salt, salt_given = secrets.token_hex(16), False
    elif salt:
        raise ParameterError("salt is only used with pseudonymize=True")
    paths = notebook_paths(notebooks)
    known = {"p", "runs", "taxonomy", "read_options"}  # the report's own parameters, passed to every notebook
    check_parameters(paths, parameters, known)  # before any data is read
    t_start = time.perf_counter()
    tax_path = taxonomy if taxonomy is not None else find_taxonomy(data if not hasattr(data, "customers") else None)
    tax_label = f"{Path(tax_path).name}" if isinstance(tax_path, (str, os.PathLike)) else \
        ("a mapping given to the report" if tax_path is not None else "netlib's default taxonomy")
    with tempfile.TemporaryDirectory(prefix="netlib-report-") as tmp:
        loaded, data_path, read_opts = _prepare_data(data, pseudonymize, salt, Path(tmp), columns=columns,
                                                     read_options=read_options)
        tables = present_tables(loaded)
        network = customer_network(loaded) if "interactions" in tables else None
        cache = RunCache.create(Path(tmp) / "cache", loaded, network=network, data_path=data_path,
                                read_options=read_opts)
        assumptions = estimate_p(loaded, seed=seed, k=k, runs=runs, p=p)
        tax_param = str(Path(tax_path).resolve()) if isinstance(tax_path, (str, os.PathLike)) else None
        if tax_path is not None and tax_param is None:
            tax_param = _mapping_file(tax_path, Path(tmp))
        params = {**DEFAULT_PARAMETERS, "seed": seed, "k": k, "p": assumptions.p, "runs": runs,
                  "taxonomy": tax_param, "read_options": read_opts, **(parameters or {}), "data_path": data_path}
        skipped = {pth.stem: NEEDS[pth.stem] for pth in paths
                   if pth.stem in NEEDS and not all(t in tables for t in NEEDS[pth.stem])}
        runnable = [pth for pth in paths if pth.stem not in skipped]
        # The summary's analyses run beside the kernels and leave what the pages share (influencers,
        # communities ...) in the run cache: whichever asks first computes, the others wait and load. When
        # they are done, the findings are set aside on disk and this process gives their memory back.
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="netlib-findings")
        try:
            job = pool.submit(_summary_findings, loaded, cache, Path(tmp) / "findings.pkl", k=k, seed=seed,
                              p=assumptions.p, runs=runs, taxonomy=tax_path, taxonomy_source=tax_label)
            del loaded, network, cache
            _, executed, seconds = _run_suite(runnable, params, figure_json=False, progress=progress,
                                              timeout=timeout, kernel_name=kernel_name, jobs=jobs, known=known,
                                              cache=Path(tmp) / "cache")
            findings = _take_back(job.result(), RunCache(Path(tmp) / "cache"))
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        loaded = findings.data
    findings.pseudonymized = pseudonymize
    findings.assumptions = assumptions
    if pseudonymize:
        findings.warnings.append(_note("Customer ids are pseudonyms (salted SHA-256); the exports' README says how "
                                       "to map them back with the salt you kept."))
    extra = unrecognised_files(data)
    if extra:
        findings.warnings.append(_note(f"Files in the data folder that were not read: {', '.join(extra)} (netlib reads "
                                       "files named customers, interactions and events, and a taxonomy file)."))
    return _write_report(out, staged_folder, paths=paths, executed=executed, seconds=seconds, skipped=skipped,
                         findings=findings, params=params, data=data, loaded=loaded, pseudonymize=pseudonymize,
                         self_contained=self_contained, show_code=show_code, keep_notebooks=keep_notebooks,
                         exports=exports, salt_given=salt_given, t_start=t_start)


def _summary_findings(data, cache, path: Path, **options) -> Path:
    """:func:`netlib.report.analyse` of ``data`` with ``cache`` active, set aside to ``path``; the memory
    it held is given back (the data and network stay in the cache for :func:`_take_back`)."""
    from netlib.report.findings import analyse
    from netlib.report.runcache import activated

    try:
        with activated(cache):
            findings = analyse(data, **options)
        return _set_aside(findings, path)
    finally:
        cache.forget()
        del data, cache
        findings = None
        _release_memory()


def _set_aside(findings, path: Path) -> Path:
    """Write the findings without the data and the network (both are in the run's cache) to ``path``."""
    import pickle
    from dataclasses import replace

    from netlib.io import atomic_write

    with atomic_write(path, "wb") as handle:
        pickle.dump(replace(findings, data=None, G=None), handle, protocol=5)
    return path


def _take_back(path: Path, cache):
    """The findings :func:`_set_aside` wrote, with the data and the network loaded from the run's cache."""
    import pickle

    with open(path, "rb") as handle:
        findings = pickle.load(handle)
    findings.data = cache.load_data(memory_map=False)  # a copy: the run's folder goes before the pages do
    findings.G = cache.load_network()
    return findings


def _release_memory() -> None:
    """Give back to the system what this process freed (the kernels need it more while they run)."""
    import ctypes
    import gc

    gc.collect()
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


#: How netlib.spark.to_customer_data marks, in the load report's notes, the steps that ran on Spark.
SPARK_NOTE = "ran on Spark: "


def spark_steps(data) -> list[str]:
    """The steps that ran on Spark before the hand-off, from the notes netlib.spark leaves on the data."""
    notes = getattr(getattr(data, "report", None), "notes", None) or []
    return [n[len(SPARK_NOTE):] for n in notes if n.startswith(SPARK_NOTE)]


def _note(text: str):
    from netlib.report.findings import Notice

    return Notice(text, ("summary",), "note")


def _mapping_file(taxonomy, folder: Path) -> str:
    """A taxonomy given as a mapping, written to a file the notebooks can read."""
    import yaml

    from netlib.patterns import load_taxonomy

    path = folder / "taxonomy.yaml"
    path.write_text(yaml.safe_dump(load_taxonomy(taxonomy)), encoding="utf-8")
    return str(path)


def _write_explorer(path: Path, findings, *, pseudonymize: bool, exports: bool) -> None:
    """The network explorer page, over the same customer and community tables the exports hold."""
    from netlib.explorer import write_explorer
    from netlib.report.exports import community_table, customer_table

    customers = customer_table(findings)
    write_explorer(findings.G, path, customers=customers, communities=community_table(findings), seeds=findings.seeds,
                   size_by="influence_score" if "influence_score" in customers.columns else None,
                   seed=findings.assumptions.seed, title="Customer network explorer",
                   export_href="exports/customers.csv" if exports else None, pseudonymized=pseudonymize)


def _write_report(out: Path, staged_folder, *, paths, executed, seconds, skipped, findings, params, data, loaded,
                  pseudonymize, self_contained, show_code, keep_notebooks, exports, salt_given, t_start):
    import nbformat

    from netlib import __version__
    from netlib.report.exports import export_tables_to
    from netlib.report.summary import missing_text, note_html, summary_html

    source_label = "shipped sample" if data is None else loaded.source
    meta = {
        "netlib": __version__,
        "data": source_label,
        "parameters": ", ".join(f"{k_}={v!r}" for k_, v in params.items() if k_ not in ("data_path", "read_options")),
        "taxonomy": findings.taxonomy_source,
        "customer ids": "pseudonymized (salted SHA-256)" if pseudonymize else "as in the data",
        "python": sys.version.split()[0],
    }
    if spark_steps(loaded):
        meta["ran on Spark"] = "; ".join(spark_steps(loaded))
    entries = []
    for pth in paths:
        nb = executed.get(pth) or read_notebook(pth)
        title, summary = _title_and_summary(nb, pth.stem)
        entries.append({"file": f"{pth.stem}.html", "title": title, "summary": summary, "stem": pth.stem,
                        "ok": pth.stem not in skipped,
                        "why": missing_text(pth.stem, findings.tables) if pth.stem in skipped else ""})
    nav_pages = [(e["file"], e["title"]) for e in entries]
    mode = "inline" if self_contained else "beside"
    pages: dict[str, Path] = {}
    export_links: dict[str, str] = {}
    with staged_folder(out) as stage:
        plotly_path = None
        if mode == "beside":
            from plotly.offline import get_plotlyjs

            from netlib.report.tables import datatables_js

            plotly_path = out / "plotly.min.js"
            _write_text(stage / "plotly.min.js", get_plotlyjs())
            _write_text(stage / "datatables.js", datatables_js())
        for pth, entry in zip(paths, entries):
            nav = _nav(nav_pages, entry["file"])
            if pth.stem in skipped:
                html_text = note_html(entry["title"], entry["why"], nav=nav, footer=_footer(meta))
            else:
                header = banners(findings.assumptions.sentence() if pth.stem in USES_ASSUMPTIONS else None,
                                 findings.warnings_for(pth.stem) if pth.stem in NOTEBOOKS else [])
                html_text = export_html(executed[pth], show_code=show_code, plotlyjs=mode, title=entry["title"],
                                        nav=nav, header=header,
                                        footer=_footer({**meta, "notebook": pth.name,
                                                        "seconds": f"{seconds[pth.stem]:.1f}"}))
                if keep_notebooks:
                    _write_text(stage / "notebooks" / f"{pth.stem}.ipynb", nbformat.writes(executed[pth]))
            _write_text(stage / entry["file"], html_text)
            pages[pth.stem] = out / entry["file"]
        written = {}
        if exports:
            result = export_tables_to(findings, stage / "exports")
            written = {name: out / "exports" / path.name for name, path in result.csv.items()}
            written["workbook"] = out / "exports" / result.workbook.name
            written["dictionary"] = out / "exports" / result.dictionary.name
            export_links = {"All tables in one Excel workbook (netlib_export.xlsx)": "exports/netlib_export.xlsx"}
            export_links.update({f"{name}.csv ({result.rows[name]:,} rows)": f"exports/{path.name}"
                                 for name, path in result.csv.items()})
            export_links["What every column means (data_dictionary.csv)"] = "exports/data_dictionary.csv"
            export_links["README.txt"] = "exports/README.txt"
        if findings.G is not None:
            _write_explorer(stage / "explorer.html", findings, pseudonymize=pseudonymize, exports=exports)
        meta["generated"] = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d %H:%M UTC")
        meta["run time"] = f"{time.perf_counter() - t_start:.1f} s"
        meta["files"] = ("pages load plotly.min.js and datatables.js from this folder: keep the folder together"
                         if mode == "beside" else "each page carries its own plotly.js and DataTables")
        _write_text(stage / "index.html", summary_html(findings, entries=entries, meta=meta, exports=export_links,
                                                       nav=_nav(nav_pages, "index.html"), footer=_footer(meta),
                                                       tables_mode=mode))
    return ReportResult(out=out, index=out / "index.html", pages=pages, seconds=seconds, plotlyjs=plotly_path,
                        salt_was_given=salt_given, provenance=meta, exports=written,
                        skipped={s: entries[[e["stem"] for e in entries].index(s)]["why"] for s in skipped},
                        findings=findings)


