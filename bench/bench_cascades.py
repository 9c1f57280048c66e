"""Cascades on real data: reconstruction speed, structural virality in linear time, Twitter16 labels.

Run: .venv/bin/python bench/bench_cascades.py [--datasets DIR]

Prints
- Higgs retweets (354,930 rows): reconstruction time per attribution rule, the cleaning report, and
  the size and structural-virality distribution of the cascades;
- structural virality by subtree sizes (netlib) against all-pairs BFS (scipy's C BFS and networkx)
  on the same random trees, with the ratio, and the linear method on 100k-node trees;
- Twitter16: load time, lines touched by each cleaning rule, structural virality by label and a
  rumour vs non-rumour comparison (Mann-Whitney U);
- CollegeMsg: time-respecting vs static reach;
- the synthetic sample: share of planted cascade parents recovered;
- routes on a BA graph: the hop-limited Monte-Carlo of ``reachable_within`` (simulations per second)
  and ``territories``.
Compiled kernels are cached per source file (``cache=True``): after kernels move, the first run
compiles them again, so run twice and read the second.
The machine is shared, so absolute times are noisy; ratios measured in the same process count.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import shortest_path
from scipy.stats import mannwhitneyu

from netlib.cascades import (
    cascade_influencers,
    cascade_metrics,
    read_propagation_trees,
    reachable_within,
    reconstruct_cascades,
    structural_virality,
    temporal_reach,
    territories,
)


def clock(fn, *args, repeat=1, **kwargs):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - t0)
    return best, out


def describe(s: pd.Series) -> str:
    q = s.quantile([0.5, 0.9, 0.99])
    return (f"n={len(s):,} mean={s.mean():.3f} median={q[0.5]:.3g} p90={q[0.9]:.3g} p99={q[0.99]:.3g} "
            f"max={s.max():.4g}")


def random_tree(n: int, rng) -> np.ndarray:
    """A random recursive tree: node i attaches to a uniform earlier node."""
    return np.r_[-1, (rng.random(n - 1) * np.arange(1, n)).astype(np.int64)]


def sv_bfs_scipy(parent: np.ndarray) -> float:
    n = len(parent)
    child = np.flatnonzero(parent >= 0)
    A = sp.csr_array((np.ones(len(child)), (child, parent[child])), shape=(n, n))
    D = shortest_path(A, directed=False, unweighted=True)
    return D.sum() / (n * (n - 1))


def sv_bfs_networkx(parent: np.ndarray) -> float:
    T = nx.Graph()
    T.add_nodes_from(range(len(parent)))
    T.add_edges_from((i, int(p)) for i, p in enumerate(parent) if p >= 0)
    n = len(parent)
    return sum(sum(nx.single_source_shortest_path_length(T, v).values()) for v in T) / (n * (n - 1))


def bench_sv() -> None:
    print("\n== structural virality: subtree sizes (linear) vs all-pairs BFS ==")
    rng = np.random.default_rng(42)
    structural_virality([-1, 0])  # load the compiled kernel
    print(f"{'n':>8} {'linear s':>10} {'scipy BFS s':>12} {'ratio':>8} {'networkx s':>11} {'ratio':>8}  SV")
    for n in (500, 1000, 2000, 4000):
        parent = random_tree(n, rng)
        t_lin, sv = clock(structural_virality, parent, repeat=3)
        t_sp, sv_sp = clock(sv_bfs_scipy, parent)
        assert abs(sv - sv_sp) < 1e-9
        if n <= 1000:
            t_nx, sv_nx = clock(sv_bfs_networkx, parent)
            assert abs(sv - sv_nx) < 1e-9
            nx_cols = f"{t_nx:11.3f} {t_nx / t_lin:8.0f}"
        else:
            nx_cols = f"{'-':>11} {'-':>8}"
        print(f"{n:8,d} {t_lin:10.5f} {t_sp:12.3f} {t_sp / t_lin:8.0f} {nx_cols}  {sv:.4f}")
    n = 100_000
    for name, parent, exact in (("random recursive", random_tree(n, rng), None),
                                ("star", np.r_[-1, np.zeros(n - 1, dtype=np.int64)], 2 * (n - 1) / n),
                                ("path", np.arange(-1, n - 1), (n + 1) / 3)):
        t_lin, sv = clock(structural_virality, parent, repeat=3)
        check = "" if exact is None else f" (closed form {exact:.4f})"
        print(f"100k-node {name} tree: {t_lin:.4f} s, SV = {sv:.4f}{check}")
    # all-pairs BFS is quadratic: extrapolate the scipy baseline from 4,000 nodes to 100,000
    parent = random_tree(4000, rng)
    t_sp, _ = clock(sv_bfs_scipy, parent)
    t_lin, _ = clock(structural_virality, random_tree(n, rng), repeat=3)
    est = t_sp * (n / 4000) ** 2
    print(f"scipy all-pairs BFS extrapolated to 100k nodes: ~{est:,.0f} s (and {8 * n * n / 1e9:.0f} GB of "
          f"distances) vs {t_lin:.4f} s linear: ratio ~{est / t_lin:,.0f}")


def read_higgs_retweets(home: Path) -> pd.DataFrame:
    try:
        from netlib.datasets import load_frames

        act = load_frames("higgs-twitter", "activity", data_home=home)["activity"]
        rt = act[act["type"] == "RT"]
        a, b, ts = rt["user_a"], rt["user_b"], rt["timestamp"]
    except ImportError:  # pragma: no cover - datasets module absent
        raw = pd.read_csv(home / "higgs-twitter" / "higgs-activity_time.txt.gz", sep=" ", header=None,
                          names=["a", "b", "ts", "kind"])
        rt = raw[raw["kind"] == "RT"]
        a, b, ts = rt["a"], rt["b"], pd.to_datetime(rt["ts"], unit="s", utc=True)
    # the file lists retweeter, retweeted: the item travels from the retweeted user to the retweeter
    return pd.DataFrame({"source": b.astype("str").to_numpy(), "target": a.astype("str").to_numpy(),
                         "timestamp": ts.to_numpy()})


def bench_higgs(home: Path) -> None:
    print("\n== Higgs retweets: reconstruction (one topic; a cascade = one root's tree) ==")
    inter = read_higgs_retweets(home)
    print(f"{len(inter):,} retweet rows")
    reconstruct_cascades(inter.head(1000))  # warm up
    for rule in ("first", "last", "strongest"):
        t, c = clock(reconstruct_cascades, inter, rule=rule)
        r = c.attrs["report"]
        print(f"rule={rule:9s} {t:6.2f} s  adopters={r['adopters']:,} roots={r['roots']:,} "
              f"tree_edges={r['tree_edges']:,} repeated={r['repeated_shares']:,} "
              f"receive_after_share={r['receive_after_share']:,} (cycles {r['cycles']:,}) "
              f"redundant_exposures={r['redundant_exposures']:,} ties_broken={r['ties_broken']:,}")
        if rule == "first":
            first = c
    t, m = clock(cascade_metrics, first)
    print(f"cascade_metrics on {len(first):,} adoptions / {len(m):,} cascades: {t:.2f} s")
    print("size:               ", describe(m["size"]))
    big = m[m["size"] >= 10]
    print("SV (size >= 2):     ", describe(m["structural_virality"].dropna()))
    print(f"SV (size >= 10, {len(big):,} cascades):", describe(big["structural_virality"]))
    print("depth (size >= 10): ", describe(big["depth"].astype(float)))
    print("largest cascades:")
    print(m.head(5)[["root", "size", "depth", "max_breadth", "time_to_50", "time_to_90",
                     "structural_virality"]].to_string(index=False))
    t, inf = clock(cascade_influencers, first, k=5)
    print(f"cascade_influencers: {t:.2f} s; top 5:")
    print(inf[["downstream", "direct", "max_downstream"]].to_string())


def bench_twitter16(home: Path) -> None:
    print("\n== Twitter16 propagation trees ==")
    path = home / "twitter16-propagation-trees" / "twitter16_trees.tar.gz"
    t, c = clock(read_propagation_trees, path)
    r = c.attrs["report"]
    print(f"loaded {r['files']} trees, {r['lines_in']:,} lines in {t:.2f} s")
    for key in ("unparsable_lines", "missing_child", "self_loops", "duplicate_lines", "root_reparented",
                "extra_parents", "cycle_lines", "implied_roots", "time_inversions", "root_lines", "tree_edges"):
        print(f"  {key:18s} {r[key]:>9,}")
    t, m = clock(cascade_metrics, c)
    print(f"cascade_metrics: {t:.2f} s for {len(m)} cascades")
    m["label"] = m["item_id"].map(c.attrs["labels"])
    print("size:", describe(m["size"].astype(float)))
    print("depth:", describe(m["depth"].astype(float)))
    print(m.groupby("label")[["size", "depth", "structural_virality"]].agg(["mean", "median"]).round(3).to_string())
    rumour = m.loc[m["label"] != "non-rumor", "structural_virality"]
    non = m.loc[m["label"] == "non-rumor", "structural_virality"]
    u = mannwhitneyu(rumour, non, alternative="two-sided")
    print(f"SV rumour (true/false/unverified, n={len(rumour)}) mean {rumour.mean():.3f} median {rumour.median():.3f} "
          f"vs non-rumour (n={len(non)}) mean {non.mean():.3f} median {non.median():.3f}; "
          f"Mann-Whitney U p = {u.pvalue:.2g}")
    for lab in ("false", "true", "unverified"):
        s = m.loc[m["label"] == lab, "structural_virality"]
        print(f"  {lab:10s} vs non-rumour: p = {mannwhitneyu(s, non, alternative='two-sided').pvalue:.2g}")


def bench_collegemsg(home: Path) -> None:
    print("\n== CollegeMsg: time-respecting reach ==")
    from netlib.datasets import load_frames

    msgs = load_frames("collegemsg", data_home=home)["messages"]
    temporal_reach(msgs.head(100))  # compile
    t, r = clock(temporal_reach, msgs)
    print(f"{len(msgs):,} messages, {len(r):,} users: all-sources temporal reach in {t:.2f} s")
    print("temporal reach:", describe(r["temporal_reach"].astype(float)))
    print("static reach:  ", describe(r["static_reach"].astype(float)))
    print(f"total temporal / static reachable pairs: {r['temporal_reach'].sum() / r['static_reach'].sum():.3f}")


def bench_sample() -> None:
    print("\n== synthetic sample: planted cascades ==")
    from netlib.datasets import load_sample

    data = load_sample()
    shares = data.interactions[data.interactions["kind"] == "share"]
    truth = data.truth.cascades
    for rule in ("first", "last", "strongest"):
        c = reconstruct_cascades(shares, rule=rule)
        m = c.merge(truth, on=["item_id", "customer"], suffixes=("", "_t"))
        agree = (m["parent"].fillna("") == m["parent_t"].fillna("")).mean()
        print(f"rule={rule:9s} adopters {len(c):,} (planted {len(truth):,}); parents agreeing {agree:.4f}")


def bench_routes(n: int = 20_000) -> None:
    print(f"\n== routes on BA n={n:,} m=3 ==")
    G = nx.barabasi_albert_graph(n, 3, seed=5).to_directed()
    seeds = [v for v, _ in sorted(G.degree, key=lambda x: (-x[1], x[0]))[:20]]
    reachable_within(nx.path_graph(4), [0], 2, p=0.5, runs=10, seed=0)  # load the compiled kernel
    for label, p in (("p = 0.05", 0.05), ("weighted cascade", "wc")):
        t0, _ = clock(reachable_within, G, seeds, 3, p=p, seed=1, repeat=3)  # exact part only
        runs = 2_000
        t, r = clock(reachable_within, G, seeds, 3, p=p, runs=runs, seed=1, repeat=3)
        print(f"reachable_within h=3 {label:16s}: exact {t0:.3f} s, +{runs:,} runs {t:.3f} s "
              f"({runs / max(t - t0, 1e-9):,.0f} sims/s); reached {len(r):,}, "
              f"mean P(reached) {r['probability'].mean():.4f}")
    t, terr = clock(territories, G, seeds[:5], p="wc")
    print(f"territories, 5 seeds, weighted cascade: {t:.2f} s for {len(terr):,} customers")


def _load_file(name: str, path: Path):
    """Import one source file under another module name (an older netlib's module, for A/B timing)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _interleaved(fa, fb, repeat: int = 11) -> tuple[float, float]:
    """Median seconds of ``fa`` and ``fb``, called alternately so machine load hits both alike."""
    ta, tb = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fa()
        ta.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        fb()
        tb.append(time.perf_counter() - t0)
    return float(np.median(ta)), float(np.median(tb))


def bench_against(tree: Path, n: int = 20_000) -> None:
    """The kernels of this tree against those of an older netlib source tree, in one process.

    ``tree`` is an exported checkout (``git archive d769b3c | tar -x -C /tmp/head``); its
    ``_kernels.py`` and ``cascades.py`` are loaded under other names and called on the same arrays.
    """
    print(f"\n== kernels: this tree (new) vs {tree} (old), same process, medians of interleaved calls ==")
    from netlib import _kernels as K
    from netlib import _spread
    from netlib.cascades._forest import _climb
    from netlib.errors import NetlibError

    old_k = _load_file("_old_kernels", tree / "netlib" / "_kernels.py")
    old_c = _load_file("_old_cascades", tree / "netlib" / "cascades.py")
    G = nx.barabasi_albert_graph(n, 3, seed=5).to_directed()
    seeds = [v for v, _ in sorted(G.degree, key=lambda x: (-x[1], x[0]))[:20]]
    nch = K.num_threads()
    for label, p in (("p = 0.05", 0.05), ("weighted cascade", "wc")):
        spec = _spread.setup(G, "ic", p=p)
        c = spec.csr
        _, pos = _spread.seed_positions(c, seeds)
        code, arcs, indeg, a, b, steps = spec._kernel_args()
        runs, base = (4_000 if p != "wc" else 400), np.uint64(12345)  # weighted cascade runs are long here

        def sim(k=K):
            return k.sim_runs(code, c.indptr, c.indices, arcs, indeg, a, b, steps, pos, 0, runs, base, 2, nch)

        sim(), sim(old_k)  # compile / load caches
        t_new, t_old = _interleaved(sim, lambda: sim(old_k))
        print(f"sim_runs IC {label:16s} ({runs:,} runs): new {t_new:.3f} s, old {t_old:.3f} s, "
              f"old/new {t_old / t_new:.2f}")
        probs = spec.arc_probs.astype(np.float64)
        ip, ix = c.indptr.astype(np.int64), c.indices.astype(np.int64)

        def hop_new():
            return spec.reach_counts(pos, 3, runs, int(base))

        def hop_old():
            return old_c._reach_runs(ip, ix, probs, pos, 3, runs, base)

        hop_new(), hop_old()
        t_new, t_old = _interleaved(hop_new, hop_old)
        print(f"hop-limited IC (h=3) {label:16s}: new reach_counts {t_new:.3f} s, old _reach_runs {t_old:.3f} s, "
              f"old/new {t_old / t_new:.2f}")
    rng = np.random.default_rng(1)
    parent = random_tree(1_000_000, rng)
    _, depth, _, _ = _climb(parent)
    order = np.argsort(-depth, kind="stable").astype(np.int64)
    K.subtree_sizes(parent, order), old_c._subtree_sizes_kernel(parent, order)
    t_new, t_old = _interleaved(lambda: K.subtree_sizes(parent, order),
                                lambda: old_c._subtree_sizes_kernel(parent, order))
    print(f"subtree sizes, 1M-node tree: new {t_new * 1e3:.2f} ms, old {t_old * 1e3:.2f} ms, old/new {t_old / t_new:.2f}")
    from netlib.cascades.temporal import _contacts
    from netlib.datasets import load_frames

    try:
        msgs = load_frames("collegemsg", data_home=DATA_HOME)["messages"]
    except (NetlibError, OSError) as err:  # the dataset is optional here
        print(f"(CollegeMsg not available: {err})")
        return
    S, D, T, group_end, cust, _, _ = _contacts(msgs)
    src = np.arange(0, len(cust), 8, dtype=np.int64)
    K.temporal_reach_all(S, D, T, group_end, len(cust), src[:2], True)
    old_c._temporal_reach_all(S, D, T, group_end, len(cust), src[:2], True)
    t_new, t_old = _interleaved(lambda: K.temporal_reach_all(S, D, T, group_end, len(cust), src, True),
                                lambda: old_c._temporal_reach_all(S, D, T, group_end, len(cust), src, True),
                                repeat=3)
    print(f"temporal reach, CollegeMsg, {len(src)} sources: new {t_new:.3f} s, old {t_old:.3f} s, "
          f"old/new {t_old / t_new:.2f}")


DATA_HOME = Path(os.environ.get("NETLIB_DATA_HOME") or Path(__file__).resolve().parents[1].parent / "shared" / "datasets")


def main() -> None:
    ap = argparse.ArgumentParser()
    default = os.environ.get("NETLIB_DATA_HOME") or str(Path(__file__).resolve().parents[1].parent / "shared" / "datasets")
    ap.add_argument("--datasets", default=default)
    ap.add_argument("--quick", action="store_true", help="structural virality, routes and CollegeMsg only")
    ap.add_argument("--against", metavar="TREE", help="time the kernels against an older exported source tree "
                    "(git archive d769b3c | tar -x -C TREE) in this process, and stop")
    args = ap.parse_args()
    home = Path(args.datasets)
    if args.against:
        global DATA_HOME
        DATA_HOME = home
        bench_against(Path(args.against))
        return
    bench_sv()
    bench_routes()
    if args.quick:
        if home.is_dir():
            bench_collegemsg(home)
        return
    if home.is_dir():
        bench_higgs(home)
        bench_twitter16(home)
        bench_collegemsg(home)
    else:
        print(f"\n(public datasets not found at {home}; skipping Higgs, Twitter16, CollegeMsg)")
    bench_sample()


if __name__ == "__main__":
    main()
