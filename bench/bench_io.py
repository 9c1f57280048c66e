"""Loading benchmark: N interaction rows (default 5 million) as csv and parquet.

Times ``netlib.read_data`` (pyarrow reader + parsing + pandera validation + row accounting) against a
plain ``pandas.read_csv`` of the same file with the default C engine and no validation (the baseline),
each in a fresh child process so peak memory (max RSS) is the load's own.

    .venv/bin/python bench/bench_io.py            # 5,000,000 rows
    .venv/bin/python bench/bench_io.py --rows 500000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def make_files(folder: Path, rows: int, seed: int = 0) -> dict[str, Path]:
    rng = np.random.default_rng(seed)
    n_customers = max(rows // 10, 10)
    ids = np.char.add("c", rng.integers(0, n_customers, size=(2, rows)).astype(str))
    ts = 1_600_000_000 + np.sort(rng.integers(0, 86400 * 365, size=rows))
    channels = np.array(["email", "app", "social", "in_person"])[rng.integers(0, 4, size=rows)]
    df = pd.DataFrame({"source": ids[0], "target": ids[1], "timestamp": ts, "channel": channels,
                       "item_id": rng.integers(0, 50_000, size=rows).astype(str),
                       "weight": np.round(rng.exponential(1.0, size=rows), 3)})
    paths = {}
    for fmt in ("csv", "parquet"):
        sub = folder / fmt
        sub.mkdir()
        path = sub / f"interactions.{fmt}"
        if fmt == "csv":
            df.to_csv(path, index=False)
        else:
            df.to_parquet(path, index=False)
        paths[fmt] = path
    return paths


def peak_mb() -> float:
    """Peak resident memory of this process (VmHWM; ru_maxrss would inherit the parent's peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, path: str) -> None:
    import netlib as nl

    nl.read_data({"interactions": pd.DataFrame({"source": ["a"], "target": ["b"], "timestamp": [0]})})  # warm up
    before = peak_mb()
    t0 = time.perf_counter()
    if kind == "baseline":
        df = pd.read_csv(path)
        rows = len(df)
        kept = rows
    else:
        data = nl.read_data(Path(path).parent)
        rows = data.report.rows_in
        kept = data.report.rows_kept
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "base_mb": before, "rows": rows, "kept": kept}))


def run(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        paths = make_files(Path(tmp), args.rows)
        print(f"wrote {args.rows:,} interaction rows as csv ({paths['csv'].stat().st_size / 1e6:,.0f} MB) and "
              f"parquet ({paths['parquet'].stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t0:.1f} s")
        base = run("baseline", paths["csv"])
        print(f"baseline pandas.read_csv (C engine, no validation): {base['seconds']:.2f} s, "
              f"peak {base['peak_mb']:,.0f} MB (after imports: {base['base_mb']:,.0f} MB)")
        for fmt in ("csv", "parquet"):
            r = run("netlib", paths[fmt])
            assert r["rows"] == args.rows and r["kept"] == args.rows, r
            print(f"netlib.read_data {fmt:<8}: {r['seconds']:.2f} s, peak {r['peak_mb']:,.0f} MB, "
                  f"{r['rows']:,} rows in, {r['kept']:,} kept; "
                  f"{base['seconds'] / r['seconds']:.2f}x the baseline's speed (validated and typed)")


if __name__ == "__main__":
    main()
