"""Wall time of the full report: the shipped sample and a synthetic world of N customers.

    .venv/bin/python bench/bench_report.py            # sample + 100,000 customers
    .venv/bin/python bench/bench_report.py 20000      # sample + 20,000 customers

Prints seconds per notebook and in total, the page, export and folder sizes, and the load average
(the machine's business while it ran). The baseline in the same process is a notebook that only
imports netlib and loads the data (kernel start-up plus loading), so the ratios show what the analyses
themselves cost. The report runs its notebooks two at a time (``jobs=2``) while the summary and
exports are computed beside them.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from netlib.io import write_data
from netlib.report import build_report, run_notebook
from netlib.synth import generate


def _baseline(data_path: str | None) -> float:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("data_path = None")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(
        "import netlib as nl\nfrom netlib.datasets import load_sample\n"
        "data = nl.read_data(data_path) if data_path else load_sample()\nG = nl.build_network(data)")]
    t0 = time.perf_counter()
    run_notebook(nb, {"data_path": data_path}, name="baseline")
    return time.perf_counter() - t0


def _size(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def _run(label: str, data_path: str | None, out: Path) -> None:
    base = _baseline(data_path)
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    result = build_report(data_path, out, progress=True, jobs=2)
    total = time.perf_counter() - t0
    print(f"\n== {label}: full report {total:.1f} s = {total / base:.1f} x baseline "
          f"(index + {len(result.pages)} pages; load average {load0:.1f} -> {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores)")
    print(f"   baseline notebook (kernel start + load + build_network): {base:.1f} s")
    for name, sec in result.seconds.items():
        size = result.pages[name].stat().st_size / 1e6
        print(f"   {name:<22} {sec:7.1f} s  = {sec / base:5.1f} x baseline   page {size:5.2f} MB")
    print(f"   index.html {result.index.stat().st_size / 1e6:.2f} MB; plotly.min.js "
          f"{(result.out / 'plotly.min.js').stat().st_size / 1e6:.2f} MB and datatables.js "
          f"{(result.out / 'datatables.js').stat().st_size / 1e6:.2f} MB, once; exports "
          f"{_size(result.out / 'exports'):.2f} MB; whole folder {_size(result.out):.2f} MB")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory(prefix="netlib-bench-report-") as tmp:
        tmp = Path(tmp)
        _run("shipped sample", None, tmp / "sample")
        t0 = time.perf_counter()
        data = generate(n, seed=1)
        folder = tmp / "world"
        write_data(data, folder, format="parquet")
        print(f"\ngenerated {data} in {time.perf_counter() - t0:.1f} s")
        _run(f"synthetic world of {n:,} customers", str(folder), tmp / "big")


if __name__ == "__main__":
    main()
