"""The report's own work and its notebooks on a big world, step by step, with the run cache.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_report_share.py WORLD [--notebooks 01 02] [--no-exports]

Does what :func:`netlib.report.build_report` does, timing each step of the report's own process and its
resident memory (now and peak, from ``/proc/self/status``): read and validate, build the network, write
the run cache, estimate p, the summary's analyses (:func:`netlib.report.analyse`, which leaves the shared
analyses in the cache), setting the findings aside and giving memory back; then runs the notebooks asked
for one by one against the cache (as the report's kernels do), printing seconds per cell and the peak
of the kernel's process tree; then takes the findings back and writes the exports and the summary page.
Compare a notebook with ``/work/tools/nb_at_scale.py`` (the same notebook without a report run).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path


def _status(key: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key):
                return int(line.split()[1]) / 2**20
    return float("nan")


def _kernels_rss() -> int:
    """Resident memory of this process's descendants (the kernels), bytes."""
    from bench_report_scale import _tree_rss  # bench/ is on the path when this file runs

    with open("/proc/self/stat") as fh:
        own = int(fh.read().rsplit(")", 1)[1].split()[21]) * os.sysconf("SC_PAGE_SIZE")
    return _tree_rss(os.getpid())[0] - own


class _Steps:
    def __init__(self):
        self.t = time.perf_counter()

    def __call__(self, what: str) -> None:
        now = time.perf_counter()
        print(f"  {what:<44} {now - self.t:8.1f} s   rss {_status('VmRSS'):5.2f} GiB   "
              f"peak {_status('VmHWM'):5.2f} GiB", flush=True)
        self.t = now


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("world")
    ap.add_argument("--notebooks", nargs="*", default=[])
    ap.add_argument("--no-exports", action="store_true")
    ap.add_argument("--no-analyse", action="store_true",
                    help="skip the summary's analyses (the notebooks then compute what they share when first "
                         "asked) and everything after the notebooks")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--runs", type=int, default=1000)
    args = ap.parse_args()

    import netlib as nl
    from netlib.report.build import _release_memory, _set_aside, _take_back, load
    from netlib.report.findings import analyse, estimate_p, find_taxonomy, present_tables
    from netlib.report.notebooks import DEFAULT_PARAMETERS, notebook_paths, run_notebook
    from netlib.report.runcache import RunCache, activated

    print(f"netlib from {nl.__file__}; world {args.world}", flush=True)
    step = _Steps()
    tmp = Path(tempfile.mkdtemp(prefix="bench-report-share-"))
    data = load(args.world)
    step("read and validate")
    tables = present_tables(data)
    network = nl.customer_network(data) if "interactions" in tables else None
    step("customer_network")
    data_path = str(Path(args.world).resolve())
    cache = RunCache.create(tmp / "cache", data, network=network, data_path=data_path, read_options={})
    step("write the run cache")
    a = estimate_p(data, seed=args.seed, k=args.k, runs=args.runs)
    step("estimate_p")
    tax = find_taxonomy(args.world)
    if not args.no_analyse:
        with activated(cache):
            findings = analyse(data, k=args.k, seed=args.seed, p=a.p, runs=args.runs, taxonomy=tax)
        step("analyse (the summary's analyses)")
        kept = _set_aside(findings, tmp / "findings.pkl")
        del findings
    del data, network, cache
    _release_memory()
    step("findings set aside, memory given back")
    params = {**DEFAULT_PARAMETERS, "data_path": data_path, "seed": args.seed, "k": args.k, "p": a.p,
              "runs": args.runs, "taxonomy": str(tax) if tax else None, "read_options": {}}
    for path in notebook_paths(args.notebooks) if args.notebooks else []:
        peak, stop = [0], threading.Event()

        def watch():
            while not stop.is_set():
                peak[0] = max(peak[0], _kernels_rss())
                time.sleep(0.5)

        threading.Thread(target=watch, daemon=True).start()
        t0 = time.perf_counter()
        try:
            done = run_notebook(path, params, cwd=path.parent, name=path.stem, timeout=7200, cache=tmp / "cache")
        finally:
            stop.set()
        print(f"== {path.stem}: {time.perf_counter() - t0:.1f} s, kernel peak {peak[0] / 2**30:.2f} GiB; "
              f"this process rss {_status('VmRSS'):.2f} GiB", flush=True)
        import pandas as pd

        for i, c in enumerate(done.cells, 1):
            m = c.metadata.get("papermill", {})
            s, e = m.get("start_time"), m.get("end_time")
            if c.cell_type == "code" and s and e:
                sec = (pd.Timestamp(e) - pd.Timestamp(s)).total_seconds()
                first = c.source.strip().splitlines()[0][:80] if c.source.strip() else ""
                print(f"   cell {i:3d} {sec:8.1f} s  {first}", flush=True)
    if args.no_analyse:
        return 0
    step = _Steps()
    findings = _take_back(kept, RunCache(tmp / "cache"))
    step("take the findings back")
    if not args.no_exports:
        from netlib.report.exports import export_tables_to

        out = tmp / "exports"
        result = export_tables_to(findings, out)
        step("exports (CSV, workbook, dictionary)")
        for f in sorted(out.iterdir()):
            print(f"     {f.name:<28} {f.stat().st_size / 1e6:9.2f} MB")
    from netlib.report.summary import summary_html

    html = summary_html(findings, entries=[], meta={"data": args.world}, exports={}, nav="", footer="",
                        tables_mode="beside")
    step(f"summary page ({len(html) / 1e6:.2f} MB)")
    from netlib.report.build import _write_explorer

    _write_explorer(tmp / "explorer.html", findings, pseudonymize=False, exports=True)
    step(f"explorer page ({(tmp / 'explorer.html').stat().st_size / 1e6:.1f} MB)")
    print(f"peak rss of this process {_status('VmHWM'):.2f} GiB; files in {tmp}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
