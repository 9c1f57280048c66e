"""Benchmark: notebook 06's reach-vs-seeds curve, the fixed-run design against ``reach_curve``.

Run (from the repository root, PYTHONPATH pointing at it):

    python bench/bench_influence_curve.py [--world /work/cache/report1m/world200k] [--p 0.0705] [--k 10]

On one customer network, each of three seed lists (HIST, degree discount, top degree; 2k seeds each)
is evaluated at p/2, p and 2p for the prefixes 1, 2, k/2, k, 2k, both ways in the same process:

- ``before``: what notebook 06 did, one ``simulate(runs=1000)`` per prefix and p (45 simulations);
- ``after``: one ``reach_curve`` per seed list and p (9 calls), every prefix played out in the same
  runs, runs sized until each 95% interval is within ±2% of its reach.

Prints CPU and wall seconds of each, their ratio, and for every point whether the two estimates agree
(difference within 1.96 × the combined standard error). Seed selection is not timed (the same picks
feed both).
"""

from __future__ import annotations

import argparse
import math
import resource
import time

import networkx as nx

import netlib as nl


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def network(path: str | None, n: int):
    if path:
        return nl.customer_network(nl.read_data(path))
    return nl.customer_network(nl.generate(n, seed=1, progress=False))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--world", default=None, help="a customer data folder (default: a synthetic world of --n)")
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--p", type=float, default=0.0705, help="pass-on probability (the 200k world's estimate)")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--precision", type=float, default=0.02)
    args = ap.parse_args()
    H = nx.gnm_random_graph(60, 300, directed=True, seed=1)  # compile the kernels before timing
    nl.simulate(H, [0], p=0.3, runs=10, seed=1)
    nl.reach_curve(H, [0, 1], p=0.3, runs=10, seed=1)
    G = network(args.world, args.n)
    k, p = args.k, args.p
    steps = sorted({1, 2, max(1, k // 2), k, 2 * k})
    picks = {m: nl.maximize_influence(G, 2 * k, p=p, method=m, seed=42, runs=1, progress=False).seeds
             for m in ("hist", "degree_discount", "top_degree")}
    print(f"{G.number_of_nodes():,} customers, {G.number_of_edges():,} ties; p = {p:g} (range {p / 2:g} to {2 * p:g}); "
          f"prefixes {steps}", flush=True)
    before, after = {}, {}
    c, t = cpu_seconds(), time.perf_counter()
    for m, seeds in picks.items():
        for pp in (p / 2, p, 2 * p):
            for j in steps:
                sim = nl.simulate(G, seeds[:j], p=pp, runs=1000, seed=42, progress=False)
                before[m, pp, j] = (sim.mean, sim.sem, 1000)
    old_cpu, old_wall = cpu_seconds() - c, time.perf_counter() - t
    c, t = cpu_seconds(), time.perf_counter()
    for m, seeds in picks.items():
        for pp in (p / 2, p, 2 * p):
            curve = nl.reach_curve(G, seeds, sizes=steps, p=pp, precision=args.precision, seed=42, progress=False)
            for j, row in curve.iterrows():
                after[m, pp, j] = (row["mean"], (row["ci_high"] - row["mean"]) / 1.959964, int(row["runs"]))
    new_cpu, new_wall = cpu_seconds() - c, time.perf_counter() - t
    print(f"before (45 x simulate, 1,000 runs): {old_cpu:8.1f} s CPU {old_wall:8.1f} s wall")
    print(f"after  (9 x reach_curve, ±{args.precision:.0%}):      {new_cpu:8.1f} s CPU {new_wall:8.1f} s wall"
          f"   -> {old_cpu / max(new_cpu, 1e-9):.1f}x less CPU")
    agree = 0
    for key, (m0, s0, _) in before.items():
        m1, s1, r1 = after[key]
        ok = abs(m1 - m0) <= 1.96 * math.hypot(s0, s1) + 1e-9
        agree += ok
        print(f"  {key[0]:15s} p={key[1]:.4f} j={key[2]:3d}: before {m0:10.1f} ± {1.96 * s0:7.1f}   "
              f"after {m1:10.1f} ± {1.96 * s1:7.1f} ({r1:,} runs)  {'agree' if ok else 'DIFFER'}")
    print(f"{agree} of {len(before)} points agree within 1.96 combined standard errors")


if __name__ == "__main__":
    main()
