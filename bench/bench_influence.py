"""Benchmark: diffusion, influence maximisation and the centrality battery on a BA graph.

Run: .venv/bin/python bench/bench_influence.py [--n 100000] [--m 5]

Prints ratios against baselines run in the same process (times are noisy on a shared machine):
1. Monte-Carlo IC reach of 50 top-degree seeds, p = 0.01: netlib's kernel vs a straightforward
   pure-Python BFS (simulations per second), with both means and their confidence intervals.
2. IMM, k = 50, epsilon = 0.1: seconds, RR sets, reach.
3. IMM vs CELF greedy vs degree heuristics on a graph small enough for CELF (weighted cascade and
   uniform p), reach measured by independent simulations.
4. The centrality battery on the large graph, with how betweenness was computed and its bound.
"""

from __future__ import annotations

import argparse
import math
import random
import time

import networkx as nx
import numpy as np

from netlib.centrality import centrality
from netlib.diffusion import simulate
from netlib.influence import maximize_influence


def python_ic(adj: dict, seeds: list, p: float, runs: int, rng: random.Random) -> np.ndarray:
    """The straightforward baseline: BFS over adjacency lists, one random draw per edge."""
    sizes = np.empty(runs, dtype=np.int64)
    for r in range(runs):
        active = set(seeds)
        frontier = list(seeds)
        while frontier:
            nxt = []
            for u in frontier:
                for v in adj[u]:
                    if v not in active and rng.random() < p:
                        active.add(v)
                        nxt.append(v)
            frontier = nxt
        sizes[r] = len(active)
    return sizes


def ci(sizes: np.ndarray) -> tuple[float, float, float]:
    m = sizes.mean()
    h = 1.96 * sizes.std(ddof=1) / math.sqrt(len(sizes))
    return m, m - h, m + h


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--m", type=int, default=5)
    ap.add_argument("--small", type=int, default=2000, help="nodes of the graph CELF runs on")
    args = ap.parse_args()

    t = time.perf_counter()
    G = nx.barabasi_albert_graph(args.n, args.m, seed=42)
    print(f"graph: BA n={args.n:,} m={args.m} ({G.number_of_edges():,} edges) built in {time.perf_counter() - t:.1f} s")
    seeds = [v for v, _ in sorted(G.degree, key=lambda x: (-x[1], x[0]))[:50]]
    p = 0.01

    # warm the compiled kernels on a tiny graph so JIT/cache loading is not timed
    simulate(nx.path_graph(5), [0], p=p, runs=10, seed=0, progress=False)

    # 1. Monte-Carlo IC -------------------------------------------------------------------------
    adj = {u: list(nbrs) for u, nbrs in G.adjacency()}
    rng = random.Random(1)
    t = time.perf_counter()
    py_runs = 0
    py_sizes = []
    while time.perf_counter() - t < 10 or py_runs < 500:
        py_sizes.append(python_ic(adj, seeds, p, 100, rng))
        py_runs += 100
    py_time = time.perf_counter() - t
    py_sizes = np.concatenate(py_sizes)
    runs = 100_000
    t = time.perf_counter()
    res = simulate(G, seeds, p=p, runs=runs, seed=1, progress=False)
    nl_time = time.perf_counter() - t
    t = time.perf_counter()
    simulate(G, seeds, p=p, runs=10, seed=1, progress=False)
    conv = time.perf_counter() - t  # graph conversion + 10 runs
    py_rate = py_runs / py_time
    nl_rate = runs / nl_time
    nl_rate_sim = runs / max(nl_time - conv, 1e-9)
    pm, plo, phi = ci(py_sizes)
    print("\n1. Monte-Carlo IC reach, 50 top-degree seeds, p = 0.01")
    print(f"   pure-Python BFS : {py_rate:10,.0f} sims/s  ({py_runs:,} runs)  mean {pm:.2f} [{plo:.2f}, {phi:.2f}]")
    print(f"   netlib (numba)  : {nl_rate:10,.0f} sims/s incl. conversion, {nl_rate_sim:,.0f} sims/s simulating "
          f"({runs:,} runs)  mean {res.mean:.2f} [{res.ci[0]:.2f}, {res.ci[1]:.2f}]")
    print(f"   ratio: {nl_rate / py_rate:.0f}x including graph conversion, {nl_rate_sim / py_rate:.0f}x simulating")
    agree = abs(pm - res.mean) <= 1.96 * math.hypot(py_sizes.std(ddof=1) / math.sqrt(len(py_sizes)), res.sem)
    print(f"   means agree within the combined 95% interval: {agree}")

    # 2. IMM on the large graph ------------------------------------------------------------------
    t = time.perf_counter()
    imm = maximize_influence(G, 50, p=p, method="imm", seed=1, epsilon=0.1, runs=10_000, progress=False)
    imm_time = time.perf_counter() - t
    t = time.perf_counter()
    dd = maximize_influence(G, 50, p=p, method="degree_discount", seed=1, runs=10_000, progress=False)
    dd_time = time.perf_counter() - t
    print("\n2. IMM, k = 50, epsilon = 0.1, p = 0.01")
    print(f"   IMM            : {imm_time:6.1f} s, {imm.details['rr_sets']:,} RR sets (+{imm.details['rr_sets_sampling_phase']:,} "
          f"estimating the bound), reach {imm.spread:.1f} [{imm.ci[0]:.1f}, {imm.ci[1]:.1f}], own estimate {imm.estimate:.1f}")
    print(f"   degree discount: {dd_time:6.1f} s (incl. 50 prefix evaluations), reach {dd.spread:.1f} [{dd.ci[0]:.1f}, {dd.ci[1]:.1f}]")

    # 3. IMM vs CELF on a smaller graph ----------------------------------------------------------
    H = nx.barabasi_albert_graph(args.small, 3, seed=7)
    print(f"\n3. IMM vs CELF on BA n={args.small:,} m=3, k = 20 (reach from 20,000 independent simulations)")
    for label, pp in (("weighted cascade", "wc"), ("p = 0.05", 0.05)):
        rows = []
        for method in ("imm", "celf", "degree_discount", "top_degree"):
            t = time.perf_counter()
            r = maximize_influence(H, 20, p=pp, method=method, seed=3, runs=20_000, mc_runs=1000, progress=False)
            rows.append((method, time.perf_counter() - t, r))
        celf = rows[1][2]
        for method, secs, r in rows:
            print(f"   {label:16s} {method:15s} {secs:7.1f} s  reach {r.spread:8.2f} ± {1.96 * r.simulation.sem:.2f}"
                  f"  ({r.spread / celf.spread:.4f} of CELF)")

    # 4. centrality battery -----------------------------------------------------------------------
    t = time.perf_counter()
    df = centrality(G, seed=1)
    cen_time = time.perf_counter() - t
    b = df.attrs["betweenness"]
    print(f"\n4. centrality battery on BA n={args.n:,}: {cen_time:.1f} s for {len(df.columns)} columns")
    print(f"   betweenness: {b['method']} ({b.get('algorithm')}), {b.get('samples', 0):,} samples; {b.get('bound', '')}")
    print(f"   closeness: {df.attrs['closeness']['method']}; {df.attrs['closeness'].get('bound', '')}")


if __name__ == "__main__":
    main()
