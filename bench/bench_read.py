"""read_data before and after its columnar validation (issue 17), in the same process, on the same world.

Run: PYTHONPATH=$PWD .venv/bin/python bench/bench_read.py WORLD_DIR [--repeat 1] [--no-old]
     (1M customers: under ``flock /work/bigrun.lock``; each read peaks near 5 GB there)

WORLD_DIR is a synthetic world (``python -m netlib.synth --write-sample DIR --n-customers N``). The old path
is ``tests/_io_old.py``'s :func:`old_reader` (pandera row checks, ``newlines_in_values`` on for every csv,
every text column stripped). Each read is timed (wall clock and this process's CPU time, which includes
pyarrow's threads; on a shared machine the CPU time is the steadier figure) and the two results are asserted
equal: the same tables, dtypes, rejected rows, decisions and notes. The ratios old / new are printed.

Measured 2026-11-28 on the 1M world (12.2M interactions, 13.5M events; 2 shared cores at load ~9, so the
wall clock mostly measures the others' load): new 31.3 s CPU, peak 3.7 GiB; old 38.2 s CPU, peak 7.3 GiB
(1.22x less CPU, half the memory); results equal.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

import netlib as nl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from _io_old import old_reader, same_data  # noqa: E402
from bench_scale import _reset_peak, _status  # noqa: E402  (this folder is on the path when run as a script)


def timed(label: str, fn) -> tuple[object, float, float]:
    _reset_peak()
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"  {label:<26} {wall:7.2f} s  (cpu {cpu:7.2f} s)   peak {_status('VmHWM'):7,.0f} MiB", flush=True)
    return out, wall, cpu


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("world", type=Path)
    ap.add_argument("--repeat", type=int, default=1, help="reads of each path (the best is kept)")
    ap.add_argument("--no-old", action="store_true", help="time the new path only")
    args = ap.parse_args(argv)
    nl.read_data({"interactions": pd.DataFrame({"source": ["a"], "target": ["b"], "timestamp": [0]})})  # imports
    print(f"world: {args.world}")
    best = {}
    for path in (["new"] if args.no_old else ["new", "old"]):
        runs = []
        for i in range(args.repeat):
            if path == "old":
                with old_reader():
                    data, wall, cpu = timed(f"read_data (old) #{i + 1}", lambda: nl.read_data(args.world))
            else:
                data, wall, cpu = timed(f"read_data (new) #{i + 1}", lambda: nl.read_data(args.world))
            runs.append((wall, cpu))
            if path == "new" and i == 0:
                new_data = data
            elif path == "old" and i == 0:
                same_data(new_data, data)
                print("  old and new results are equal (tables, dtypes, rejected rows, decisions, notes)")
            del data
        best[path] = (min(w for w, _ in runs), min(c for _, c in runs))
    r = new_data.report
    print(f"  {r.rows_in:,} rows in, {r.rows_kept:,} kept, {r.rows_rejected:,} rejected")
    if "old" in best:
        (ow, oc), (nw, nc) = best["old"], best["new"]
        print(f"ratio old/new: wall {ow / nw:.2f}x, cpu {oc / nc:.2f}x")


if __name__ == "__main__":
    main()
