"""Benchmark: influence maximisation (k = 50, epsilon = 0.1) — HIST / OPIM-C against IMM as it was.

Run (from the repository root, PYTHONPATH pointing at it):

    python bench/bench_imm.py --part ratio [--ba 100000] [--world50k /work/cache/imm/world50k]
    python bench/bench_imm.py --part 1m [--npz /work/cache/world1m_csr.npz]   (peak under 1.5 GB)
    python bench/bench_imm.py --part degree [--ba 100000]

``ratio``: on BA 100k (m = 5, seed 42) and the 50k-customer synthetic world, each method on the same
graph in the same process: seconds (selection + the reach estimate), peak resident memory above the
process's level before the call (sampled every 10 ms from /proc), RR sets, reach with its 95%
interval. ``imm`` is run as it was before (10,000 fixed evaluation runs); the new methods size their
evaluation to ±1% and refine their selection until the seeds cover 1 / 0.01² = 10,000 RR sets. Where IMM's RR sets would not fit (BA 100k at p = 0.1 percolates), its storage is
estimated from the mean RR-set size and its sample size and it is not run.
``1m``: absolute time (wall and CPU seconds) and peak memory of the default method at 1M customers
under p = 0.1 and with every default (``maximize_influence(G, 50, seed=0)``: weighted cascade, the
default ``p`` since netlib._spread.DEFAULT_P became "wc"), on the customer network rebuilt from the
tie arrays (what ``bench_scale.py`` times, without reading the CSV folder). ``--no-imm`` skips the IMM baseline of ``ratio`` (its figures are deterministic:
compare with an earlier log).
``degree``: degree discount (each edge's own probability) vs top degree on BA 100k under weighted
cascade, reach of each from the same precision-sized evaluation.
"""

from __future__ import annotations

import argparse
import math
import resource
import threading
import time

import networkx as nx
import numpy as np

import netlib as nl
from netlib._spread import setup
from netlib.influence import maximize_influence


class PeakRSS:
    """Peak resident set size above the level at entry, sampled from /proc/self/statm."""

    def __init__(self, interval: float = 0.01):
        self.interval = interval
        self.page = resource.getpagesize()

    def _rss(self) -> int:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * self.page

    def __enter__(self):
        self.start = self._rss()
        self.peak = self.start
        self._stop = threading.Event()

        def watch():
            while not self._stop.is_set():
                self.peak = max(self.peak, self._rss())
                time.sleep(self.interval)

        self._thread = threading.Thread(target=watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())

    @property
    def delta_mb(self) -> float:
        return (self.peak - self.start) / 2**20


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(fn, *args, **kwargs):
    with PeakRSS() as mem:
        t = time.perf_counter()
        c = cpu_seconds()
        out = fn(*args, **kwargs)
        secs = time.perf_counter() - t
    timed.cpu = cpu_seconds() - c
    return out, secs, mem.delta_mb


def describe(res) -> str:
    lo, hi = res.ci
    d = res.details
    sets = d.get("rr_sets", 0) + d.get("rr_sets_sampling_phase", 0) + d.get("rr_sets_sentinel_phase", 0)
    extra = f", {d.get('sentinels', 0)} sentinels" if "sentinels" in d else ""
    if d.get("two_sided"):
        extra += " (two-sided search)"
    if "validation_sets" in d:
        extra += f", {d['validation_sets']:,} validation sets"
    return (f"reach {res.spread:9.1f} [{lo:9.1f}, {hi:9.1f}] ({res.simulation.runs:,} runs), "
            f"{sets:,} RR sets{extra}")


def warm() -> None:
    """Compile / load every kernel on a tiny graph so JIT is not timed."""
    H = nx.gnm_random_graph(60, 300, directed=True, seed=1)
    for p in (0.3, "wc"):
        for method in ("hist", "opim", "imm"):
            maximize_influence(H, 3, p=p, method=method, seed=1, runs=20, progress=False)


def imm_storage_estimate(G, p, k: int, eps: float, reach: float) -> tuple[float, float]:
    """(mean RR-set size from 2,000 sets, GB IMM's final sample would at least hold).

    IMM draws theta = lambda* / LB sets with LB <= OPT; ``reach`` (the best reach found) stands in for
    OPT, so this is a lower bound. Each stored node costs 4 bytes in the sets and 8 in the old
    kernel's coverage index.
    """
    from netlib.influence._ris import Sampler, log_binom

    spec = setup(G, "ic", p=p)
    n = spec.csr.n
    s = Sampler(spec)
    _, visited, *_ = s.draw(0, 2000, 7, s.mask(), False)
    mean = visited / 2000
    ln = math.log(n)
    ell = math.log(n) / ln * (1 + math.log(2) / ln)
    e1 = 1 - 1 / math.e
    lam = 2 * n * (e1 * math.sqrt(ell * ln + math.log(2)) + math.sqrt(e1 * (log_binom(n, k) + ell * ln + math.log(2)))) ** 2 / eps**2
    return mean, lam / reach * mean * 12 / 1e9


def part_ratio(args) -> None:
    warm()
    graphs = []
    t = time.perf_counter()
    ba = nx.barabasi_albert_graph(args.ba, 5, seed=42)
    graphs.append((f"BA n={args.ba:,} m=5", ba, time.perf_counter() - t))
    if args.world50k:
        t = time.perf_counter()
        world = nl.build_network(nl.read_data(args.world50k))
        graphs.append((f"world {world.number_of_nodes():,} customers", world, time.perf_counter() - t))
    for name, G, secs in graphs:
        print(f"\n== {name}: {G.number_of_edges():,} ties (built in {secs:.1f} s)", flush=True)
        for p in (0.1, "wc", 0.01):
            label = f"p={p}"
            rows = {}
            for method in ("hist", "opim"):
                rows[method] = timed(maximize_influence, G, 50, p=p, method=method, seed=1, progress=False)
            mean, gb = imm_storage_estimate(G, p, 50, 0.1, rows["hist"][0].spread)
            print(f"  {label}: mean RR-set size {mean:,.1f}; IMM would store >= {gb:,.2f} GB", flush=True)
            if gb <= args.imm_gb and not args.no_imm:
                rows = {"imm (before)": timed(maximize_influence, G, 50, p=p, method="imm", seed=1, runs=10_000,
                                              progress=False), **rows}
            base = rows.get("imm (before)")
            for method, (res, secs, mb) in rows.items():
                ratio = f"{base[1] / secs:6.1f}x faster, {base[2] / max(mb, 1):5.1f}x less memory" if base else ""
                same = ""
                if base and method != "imm (before)":
                    diff = res.spread - base[0].spread
                    half = 1.96 * math.hypot(res.simulation.sem, base[0].simulation.sem)
                    same = f", reach {diff:+.1f} vs IMM (95% half-width {half:.1f}: {'same' if abs(diff) <= half else 'DIFFERENT'})"
                print(f"    {method:13s} {secs:7.1f} s  +{mb:7.0f} MB  {describe(res)}  {ratio}{same}", flush=True)


def world_network(npz: str) -> "nl.CustomerNetwork":
    """The 1M world's customer network from its tie arrays (ids, CSR, summed weights): the graph
    ``nl.customer_network(nl.read_data(world))`` holds, without interaction counts, times or channels
    (no influence method reads them)."""
    import pandas as pd

    z = np.load(npz)
    m = int(z["indices"].shape[0])
    nat = np.full(m, np.iinfo(np.int64).min, dtype=np.int64)
    return nl.CustomerNetwork(pd.Index(z["ids"], name="customer_id"), z["indptr"], z["indices"], z["weights"],
                              np.ones(m, dtype=np.int32), nat, nat.copy(), ("all",),
                              np.arange(m + 1, dtype=np.int64), np.zeros(m, dtype=np.int32),
                              np.ones(m, dtype=np.int32))


def part_1m(args) -> None:
    warm()
    t = time.perf_counter()
    net = world_network(args.npz)
    print(f"1M world: {net.n:,} customers, {net.m:,} ties; network from the tie arrays in "
          f"{time.perf_counter() - t:.1f} s; process RSS {PeakRSS()._rss() / 2**30:.2f} GiB", flush=True)
    for label, kw in (("p=0.1", {"p": 0.1, "epsilon": 0.1, "seed": 1}), ("defaults (p='wc')", {"seed": 0})):
        res, secs, mb = timed(maximize_influence, net, 50, progress=False, **kw)
        d = res.details
        print(f"  {label}: {res.method} {secs:.1f} s wall, {timed.cpu:.1f} s CPU, peak +{mb:,.0f} MB above the graph; "
              f"{describe(res)}; certified ratio {d['certified_ratio']:.3f} ({d['certified']}), RR storage peak "
              f"{d['rr_bytes_peak'] / 2**20:,.0f} MB, sampling: {d['sampling']}", flush=True)
    print(f"  process peak RSS (graph included): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB")


def part_degree(args) -> None:
    warm()
    G = nx.barabasi_albert_graph(args.ba, 5, seed=42)
    for p in ("wc", 0.01):
        out = {}
        for method in ("top_degree", "degree_discount"):
            out[method] = timed(maximize_influence, G, 50, p=p, method=method, seed=1, precision=0.005,
                                progress=False)
        top = out["top_degree"][0]
        for method, (res, secs, _) in out.items():
            half = 1.96 * math.hypot(res.simulation.sem, top.simulation.sem)
            print(f"  BA {args.ba:,} p={p}: {method:16s} {secs:5.1f} s  {describe(res)}  "
                  f"{res.spread / top.spread - 1:+.2%} vs top degree (95% half-width of the difference {half:.1f})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=["ratio", "1m", "degree"], default="ratio")
    ap.add_argument("--ba", type=int, default=100_000)
    ap.add_argument("--world50k", default="/work/cache/imm/world50k")
    ap.add_argument("--npz", default="/work/cache/world1m_csr.npz")
    ap.add_argument("--imm-gb", type=float, default=4.0, help="run IMM only where it would store less")
    ap.add_argument("--no-imm", action="store_true", help="ratio: skip the IMM baseline")
    args = ap.parse_args()
    {"ratio": part_ratio, "1m": part_1m, "degree": part_degree}[args.part](args)


if __name__ == "__main__":
    main()
