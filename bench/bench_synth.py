"""Benchmark of netlib.synth.generate: time, peak memory and table sizes at 100k and 1M customers.

Run: .venv/bin/python bench/bench_synth.py [--sizes 100000 1000000]

Each size runs in a fresh child process so its peak resident memory (ru_maxrss) is its own.
The 2,000-customer sample size is run first as the baseline; the ratios show how time and
memory grow with size (linear growth means time ratio ~ size ratio). The largest size is run
once more with ``validate=False`` to show what the read_data validation pass costs.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def _one(n: int, validate: bool) -> dict:
    from netlib.synth import generate

    t = time.perf_counter()
    data = generate(n, seed=0, progress=False, validate=validate)
    seconds = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    truth = data.truth
    return {"n": n, "validate": validate, "seconds": round(seconds, 2), "peak_mb": round(peak_mb),
            "interactions": len(data.interactions), "events": len(data.events),
            "ties": len(truth.ties), "adoptions": len(truth.cascades),
            "memberships": len(truth.projects)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-validate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_one(args.child, not args.no_validate)))
        return
    rows = []
    runs = [(2000, True)] + [(n, True) for n in args.sizes] + [(max(args.sizes), False)]
    for n, validate in runs:
        cmd = [sys.executable, __file__, "--child", str(n)] + ([] if validate else ["--no-validate"])
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        r = rows[-1]
        base = rows[0]
        print(f"n={r['n']:>9,} {'' if validate else '(validate=False) '} {r['seconds']:>7.1f} s  peak {r['peak_mb']:>6,} MB  "
              f"interactions {r['interactions']:>11,}  events {r['events']:>11,}  ties {r['ties']:>11,}  "
              f"adoptions {r['adoptions']:>9,}  | x{r['n'] / base['n']:,.0f} customers: "
              f"time x{r['seconds'] / base['seconds']:,.1f}, memory x{r['peak_mb'] / base['peak_mb']:,.1f}",
              flush=True)


if __name__ == "__main__":
    main()
