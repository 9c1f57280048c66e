"""Reverse influence sampling (OPIM-C, HIST, IMM) against exact answers on tiny graphs.

Exact spread comes from enumerating every live-edge world of a small independent-cascade graph
(Kempe et al. 2003): sigma(S) = sum over worlds of P(world) * |nodes reachable from S|. The optimum
is found by trying every k-subset.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest

from netlib._spread import setup
from netlib.influence import maximize_influence
from netlib.influence._heuristics import degree_discount
from netlib.influence._ris import Sampler, _Pool

R = pytest.importorskip("netlib._ris_kernels")


def exact_spread_table(G: nx.DiGraph, probs: dict) -> tuple[list, np.ndarray, np.ndarray]:
    """Every live-edge world: (nodes, world probabilities, reach[world, node] as bit masks)."""
    nodes = sorted(G.nodes())
    pos = {v: i for i, v in enumerate(nodes)}
    arcs = list(G.edges())
    worlds = []
    weights = []
    for live in itertools.product((False, True), repeat=len(arcs)):
        w = 1.0
        adj = {v: [] for v in nodes}
        for (u, v), on in zip(arcs, live):
            p = probs[(u, v)]
            w *= p if on else 1 - p
            if on:
                adj[u].append(v)
        if w == 0:
            continue
        reach = []
        for s in nodes:
            seen = {s}
            stack = [s]
            while stack:
                x = stack.pop()
                for y in adj[x]:
                    if y not in seen:
                        seen.add(y)
                        stack.append(y)
            reach.append(sum(1 << pos[y] for y in seen))
        worlds.append(reach)
        weights.append(w)
    return nodes, np.asarray(weights), np.asarray(worlds, dtype=object)


def exact_sigma(table, seeds) -> float:
    nodes, weights, worlds = table
    pos = {v: i for i, v in enumerate(nodes)}
    total = 0.0
    for w, reach in zip(weights, worlds):
        mask = 0
        for s in seeds:
            mask |= reach[pos[s]]
        total += w * bin(mask).count("1")
    return total


def small_cases():
    """(name, graph, p for maximize_influence, per-arc probabilities) on 7 nodes, 11 arcs."""
    cases = []
    rng = np.random.default_rng(3)
    for s in range(3):
        G = nx.gnm_random_graph(7, 11, directed=True, seed=10 + s)
        indeg = dict(G.in_degree())
        cases.append((f"uniform{s}", G, 0.4, {e: 0.4 for e in G.edges()}))
        cases.append((f"wc{s}", G, "wc", {(u, v): 1 / indeg[v] for u, v in G.edges()}))
        H = G.copy()
        for u, v in H.edges():
            H[u][v]["q"] = float(rng.choice([0.15, 0.5, 0.85]))
        cases.append((f"edge{s}", H, "q", {(u, v): H[u][v]["q"] for u, v in H.edges()}))
    return cases


CASES = small_cases()


@pytest.mark.slow
@pytest.mark.parametrize("method", ["hist", "opim", "imm"])
def test_selected_set_reaches_the_guaranteed_share_of_the_optimum(method):
    """Every case and seed: sigma(S) >= (1 - 1/e - eps) OPT, with sigma exact; and the ratio the
    method certified is a true lower bound of sigma(S) / OPT."""
    eps = 0.1
    used_sentinels = False
    for name, G, p, probs in CASES:
        table = exact_spread_table(G, probs)
        for k in (1, 2, 3):
            opt = max(exact_sigma(table, T) for T in itertools.combinations(G.nodes(), k))
            for seed in (1,):
                res = maximize_influence(G, k, p=p, method=method, seed=seed, epsilon=eps, delta=0.05,
                                         runs=50, precision=0.05, progress=False)
                got = exact_sigma(table, res.seeds)
                assert got >= (1 - 1 / math.e - eps) * opt - 1e-9, (name, k, seed, res.seeds, got, opt)
                assert res.provenance["guarantee"]["ratio"] == pytest.approx(1 - 1 / math.e - eps)
                if method != "imm":
                    assert res.details["certified_ratio"] <= got / opt + 1e-9, (name, k, seed)
                    assert res.provenance["guarantee"]["certified_ratio"] == res.details["certified_ratio"]
                    if res.details["certified"] == "bounds":
                        assert res.details["certified_ratio"] >= 1 - 1 / math.e - eps
                    used_sentinels |= res.details["sentinels"] > 0
    if method == "hist":
        assert used_sentinels  # the sentinel phase ran on some of these cases


@pytest.mark.parametrize("name", ["uniform0", "wc0", "edge0"])
def test_rr_set_sampling_modes_estimate_exact_spread(name):
    """Each SUBSIM mode (uniform skips, per-node skips, sorted skips): n * P(RR set meets S) is
    sigma(S), checked on singletons and pairs; and sets stopping at S count the same hits."""
    _, G, p, probs = next(c for c in CASES if c[0] == name)
    spec = setup(G, "ic", p=p)
    sampler = Sampler(spec)
    expected_mode = {"uniform0": R.UNIFORM, "wc0": R.PER_NODE, "edge0": R.SORTED}[name]
    assert sampler.mode == expected_mode
    table = exact_spread_table(G, probs)
    theta = 200_000
    pool = _Pool(sampler, 12345, sampler.mask())
    pool.extend_to(theta, _NoBar())
    n = spec.csr.n
    for seeds in ([0], [3], [1, 5], [2, 4, 6]):
        pos = np.asarray([spec.csr.index[s] for s in seeds])
        covered = R.cover_counts(n, pool.singles, pool.offsets, pool.members, pos)
        sigma = exact_sigma(table, seeds)
        share = sigma / n
        se = math.sqrt(share * (1 - share) / theta) * n
        assert abs(n * covered / theta - sigma) <= 4.5 * se + 1e-9, (seeds, n * covered / theta, sigma)
        hits, *_ = sampler.draw(0, theta, 12345, sampler.mask(pos), False)
        assert hits == covered  # the same streams: a set meets S exactly when it stops at S


@pytest.mark.parametrize("name", ["uniform0", "wc0", "edge0"])
def test_two_sided_search_draws_the_same_sets(name):
    """The search from both ends (hashed coins, forward from S and backward from the root) against
    exact answers: a set meets S with probability sigma(S) / n, and a stored set (one that misses S)
    holds some node of T with probability (sigma(S + T) - sigma(S)) / n. Counting only (store 0,
    which may stop as soon as S's forward reach is known) finds the same hits."""
    _, G, p, probs = next(c for c in CASES if c[0] == name)
    spec = setup(G, "ic", p=p)
    sampler = Sampler(spec)
    assert sampler.meet_arrays() is not None
    table = exact_spread_table(G, probs)
    n = spec.csr.n
    theta = 200_000
    for stop_nodes in ([0], [2, 5]):
        pos = np.asarray([spec.csr.index[s] for s in stop_nodes])
        pool = _Pool(sampler, 777, sampler.mask(pos), meet=True)
        pool.extend_to(theta, _NoBar())
        sigma_s = exact_sigma(table, stop_nodes)
        share = sigma_s / n
        assert abs(pool.hits / theta - share) <= 4.5 * math.sqrt(share * (1 - share) / theta) + 1e-9
        for extra in ([1], [3, 6], [4]):
            covered = R.cover_counts(n, pool.singles, pool.offsets, pool.members,
                                     np.asarray([spec.csr.index[s] for s in extra]))
            share = (exact_sigma(table, stop_nodes + extra) - sigma_s) / n
            assert abs(covered / theta - share) <= 4.5 * math.sqrt(share * (1 - share) / theta) + 1e-9, extra
        assert sampler.draw(0, theta, 777, sampler.mask(pos), 0, True)[0] == pool.hits


def test_greedy_bound_is_greedy_and_bounds_every_k_set():
    rng = np.random.default_rng(0)
    n, k = 9, 3
    sets = [rng.choice(n, size=int(rng.integers(1, 5)), replace=False) for _ in range(60)]
    singles = np.zeros(n, dtype=np.int64)
    multi = [s for s in sets if len(s) > 1]
    for s in sets:
        if len(s) == 1:
            singles[s[0]] += 1
    offsets = np.concatenate([[0], np.cumsum([len(s) for s in multi])]).astype(np.int64)
    members = np.concatenate(multi).astype(np.int32)
    picks, gains, bound = R.greedy_bound(n, singles, offsets, members, k, np.zeros(0, dtype=np.int64), 0)

    def cov(T):
        return sum(1 for s in sets if set(s.tolist()) & set(T))

    chosen: list[int] = []
    for v, g in zip(picks.tolist(), gains.tolist()):  # each pick is a best marginal gain
        best = max(cov(chosen + [u]) - cov(chosen) for u in range(n) if u not in chosen)
        assert g == cov(chosen + [v]) - cov(chosen) == best
        chosen.append(v)
    assert bound >= max(cov(T) for T in itertools.combinations(range(n), k))
    # forced picks first: the bound then covers forced + any k nodes
    forced = np.asarray([picks[-1]], dtype=np.int64)
    p2, _, b2 = R.greedy_bound(n, singles, offsets, members, k, forced, 0)
    assert p2[0] == forced[0]
    assert b2 >= max(cov(list(T) + [int(forced[0])]) for T in itertools.combinations(range(n), k))


@pytest.mark.slow
def test_sentinels_keep_memory_small_where_spread_is_large():
    """p = 0.3 on a dense random graph percolates: plain OPIM-C stores whole RR sets, HIST stops
    them at its sentinels; both certify the guarantee and reach the same within noise."""
    G = nx.gnm_random_graph(3000, 30_000, directed=True, seed=1)
    hist = maximize_influence(G, 5, p=0.3, method="hist", seed=1, precision=0.05, progress=False)
    opim = maximize_influence(G, 5, p=0.3, method="opim", seed=1, precision=0.05, progress=False)
    assert hist.details["sentinels"] >= 1 and hist.details["sentinel_hit_share"] > 0.5
    assert hist.details["certified"] == opim.details["certified"] == "bounds"
    assert hist.details["rr_bytes_peak"] * 5 < opim.details["rr_bytes_peak"]
    se = math.hypot(hist.simulation.sem, opim.simulation.sem)
    assert abs(hist.spread - opim.spread) <= 4 * se + 0.01 * opim.spread
    for res in (hist, opim):  # sampling went on until the seeds covered 1 / precision^2 sets
        assert res.details["covered_sets"] >= res.details["covered_sets_asked"] == 400  # 1 / 0.05^2


def test_reach_estimate_is_sized_to_the_precision():
    G = nx.barabasi_albert_graph(400, 2, seed=3).to_directed()
    res = maximize_influence(G, 4, p=0.1, method="top_degree", seed=2, precision=0.02, progress=False)
    ev = res.provenance["evaluation"]
    lo, hi = res.ci
    assert ev["runs"] == res.simulation.runs >= 200 and ev["precision_reached"]
    assert (hi - lo) / 2 <= 0.02 * res.spread
    assert ev["ci"] == [lo, hi] and res.provenance["parameters"]["precision"] == 0.02
    finer = maximize_influence(G, 4, p=0.1, method="top_degree", seed=2, precision=0.005, progress=False)
    assert finer.simulation.runs > res.simulation.runs
    # the first runs are the same runs: a fixed run count reproduces the adaptive estimate's prefix
    fixed = maximize_influence(G, 4, p=0.1, method="top_degree", seed=2, runs=res.simulation.runs, progress=False)
    assert fixed.spread == res.spread and fixed.provenance["evaluation"]["precision"] is None
    with pytest.raises(Exception, match=r"precision must lie in \(0, 1\); got 2"):
        maximize_influence(G, 4, precision=2)


def test_degree_discount_uses_each_edges_probability():
    """The per-edge score is the expected one-hop gain: P(not yet activated by a chosen in-neighbour)
    * (1 + expected activated not-chosen out-neighbours), checked by enumerating the live arcs."""
    G = nx.DiGraph()
    G.add_edge("a", "b", q=0.9)
    G.add_edge("a", "c", q=0.9)
    for j in range(4):  # h has more ties, each weak: its expected one-hop reach is lower
        G.add_edge("h", f"x{j}", q=0.1)
    G.add_edge("a", "h", q=0.5)
    G.add_edge("c", "y", q=0.6)
    spec = setup(G, "ic", p="q")
    picks = [spec.csr.nodes[i] for i in degree_discount(spec, 3)]

    def one_hop_gain(v, chosen):
        ins = [(u, G[u][v]["q"]) for u in chosen if G.has_edge(u, v)]
        outs = [G[v][w]["q"] for w in G.successors(v) if w not in chosen]
        total = 0.0  # enumerate the arcs from chosen in-neighbours and v's out-arcs
        for live_in in itertools.product((0, 1), repeat=len(ins)):
            pin = math.prod(q if on else 1 - q for (_, q), on in zip(ins, live_in))
            if any(live_in):
                continue
            for live_out in itertools.product((0, 1), repeat=len(outs)):
                pout = math.prod(q if on else 1 - q for q, on in zip(outs, live_out))
                total += pin * pout * (1 + sum(live_out))
        return total

    chosen: list = []
    for v in picks:
        gains = {u: one_hop_gain(u, chosen) for u in G.nodes() if u not in chosen}
        assert gains[v] == pytest.approx(max(gains.values())), (v, chosen, gains)
        chosen.append(v)
    assert picks[0] == "a"
    # the mean-probability rule would have ranked h (degree 4) first
    assert spec.csr.out_degree[spec.csr.index["h"]] == spec.csr.out_degree.max()


class _NoBar:
    def update(self, _):
        pass


def lt_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_weighted_edges_from([(0, 1, 1.0), (0, 2, 2.0), (1, 2, 1.0), (2, 3, 1.0), (3, 1, 3.0), (4, 3, 1.0),
                               (4, 0, 1.0), (2, 4, 1.0)])
    return G


def exact_lt_spread(G: nx.DiGraph, seed_sets) -> dict:
    """LT as live edges (Kempe et al. 2003): each node keeps at most one in-arc, arc u->v with
    probability w_uv / (in-weight of v). Exact spread of each seed set (a tuple) by enumerating those choices."""
    nodes = sorted(G.nodes())
    options = []
    for v in nodes:
        ins = list(G.in_edges(v, data="weight"))
        total = sum(w for _, _, w in ins)
        options.append([(u, w / total) for u, _, w in ins] or [(None, 1.0)])
    exact = {}
    for choice in itertools.product(*options):
        prob = math.prod(q for _, q in choice)
        parent = {v: u for v, (u, _) in zip(nodes, choice)}
        for seeds in seed_sets:
            reached = 0
            for v in nodes:  # v is reached when following kept in-arcs back from v meets a seed
                x, seen = v, set()
                while x is not None and x not in seen and x not in seeds:
                    seen.add(x)
                    x = parent[x]
                reached += x in seeds
            exact[seeds] = exact.get(seeds, 0.0) + prob * reached
    return exact


def test_linear_threshold_reverse_walks_estimate_exact_spread():
    """The reverse walks (with and without stopping at S) estimate LT's exact spread."""
    G = lt_graph()
    spec = setup(G, "lt")
    sampler = Sampler(spec)
    assert sampler.mode == R.LT
    exact = exact_lt_spread(G, ((0,), (2, 4)))
    theta = 200_000
    pool = _Pool(sampler, 777, sampler.mask())
    pool.extend_to(theta, _NoBar())
    for seeds, sigma in exact.items():
        pos = np.asarray(seeds)
        covered = R.cover_counts(5, pool.singles, pool.offsets, pool.members, pos)
        se = math.sqrt(sigma / 5 * (1 - sigma / 5) / theta) * 5
        assert abs(5 * covered / theta - sigma) <= 4.5 * se, (seeds, 5 * covered / theta, sigma)
        assert sampler.draw(0, theta, 777, sampler.mask(pos), 0)[0] == covered
