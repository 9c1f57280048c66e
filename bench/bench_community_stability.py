"""community_stability at scale: the closest-other-community kernel against the table it replaced, and
the seeded runs spread over processes against one process.

Run: ``PYTHONPATH=$PWD .venv/bin/python bench/bench_community_stability.py NETWORK [--runs 10] [--part all]``
where NETWORK is a data folder (``nl.read_data``) or a tie-array ``.npz`` (``/work/cache/world1m_csr.npz``;
above ~3 GB, go through ``/work/bigrun``).

1. ``affinities``: the memberships of ``--runs`` seeded Leiden runs, then each customer's closest other
   community from them, by the compiled kernel (``stability._affinities``) and by the sparse
   customers × communities table it replaced (the reference kept in ``tests/test_community_stability.py``):
   seconds, the growth of this process's peak memory, and whether the answers are equal bit for bit.
2. ``jobs``: ``community_stability`` (``--runs`` runs) and ``resolution_sweep`` (4 resolutions) with
   ``jobs=1`` and with the default (every core from 100,000 ties on): wall seconds, their ratio and
   whether the answers are equal. The machine is shared: the ratio is what counts, and only on a quiet one.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

import netlib as nl

REPO = Path(__file__).resolve().parents[1]


def _network(source: str):
    if source.endswith(".npz"):
        sys.path.insert(0, str(REPO / "bench"))
        from bench_imm import world_network

        return world_network(source)
    return nl.customer_network(nl.read_data(source))


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def bench_affinities(G, runs: int) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from test_community_stability import _affinities_by_table

    from netlib.community.stability import _affinities

    res = nl.community_stability(G, runs=runs, seed=42)
    reference = res.memberships[int(res.runs["modularity"].idxmax())]
    _affinities(np.array([0, 0, 1]), np.array([[0, 1, 1]]))  # the kernel compiled (or loaded) outside the timing
    out = {}
    for name, fn in (("kernel", _affinities), ("customers x communities table", _affinities_by_table)):
        before = _peak_gb()
        t = time.perf_counter()
        out[name] = fn(reference, res.memberships)
        secs = time.perf_counter() - t
        print(f"  {name:30s} {secs:8.2f} s   peak +{max(_peak_gb() - before, 0):.2f} GiB", flush=True)
    same = all(np.array_equal(a, b) for a, b in zip(*out.values()))
    print(f"  equal bit for bit: {same}; {int(res.customers['boundary'].sum()):,} boundary customers")


def bench_jobs(G, runs: int) -> None:
    got = {}
    for jobs in (1, None):
        t = time.perf_counter()
        st = nl.community_stability(G, runs=runs, seed=42, jobs=jobs)
        sw = nl.resolution_sweep(G, resolutions=[0.5, 1.0, 2.0, 4.0], seed=42, jobs=jobs)
        got[jobs] = (time.perf_counter() - t, st, sw)
        print(f"  jobs={jobs!s:5s} {got[jobs][0]:8.1f} s wall", flush=True)
    (t1, a, x), (tn, b, y) = got[1], got[None]
    same = (a.memberships == b.memberships).all() and a.customers.equals(b.customers) and x.equals(y)
    print(f"  one process / default: {t1 / tn:.2f}x; equal: {bool(same)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("network")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--part", choices=("all", "affinities", "jobs"), default="all")
    args = ap.parse_args()
    t = time.perf_counter()
    G = _network(args.network)
    nl.communities(G, seed=1)  # the conversions are kept with the network: made once, outside the timings
    print(f"{args.network}: {G.number_of_nodes():,} customers, ready in {time.perf_counter() - t:.1f} s", flush=True)
    if args.part in ("all", "affinities"):
        print(f"1. closest other community from {args.runs} runs")
        bench_affinities(G, args.runs)
    if args.part in ("all", "jobs"):
        print(f"2. seeded runs over processes ({args.runs} stability runs + 4 resolutions)")
        bench_jobs(G, args.runs)


if __name__ == "__main__":
    main()
