"""Routes on the network: most probable paths, reach within h hops, territories; the shared p and seeds."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netlib.cascades import (
    SpreadPath,
    k_most_probable_paths,
    most_probable_path,
    reachable_within,
    territories,
)
from netlib.errors import ParameterError


# --------------------------------------------------------------------------------------------------
# Paths on the network
# --------------------------------------------------------------------------------------------------

@pytest.fixture
def pgraph():
    G = nx.DiGraph()
    G.add_edge("a", "b", p=0.9)
    G.add_edge("b", "c", p=0.9)
    G.add_edge("a", "c", p=0.5)
    G.add_edge("c", "d", p=1.0)
    G.add_edge("e", "d", p=0.95)
    G.add_edge("d", "f", p=0.0)
    return G


def test_most_probable_path(pgraph):
    path = most_probable_path(pgraph, "a", "d", p="p")
    assert path.nodes == ["a", "b", "c", "d"] and path.probability == pytest.approx(0.81) and path.hops == 3
    assert most_probable_path(pgraph, "d", "a", p="p") == SpreadPath([], 0.0)
    assert most_probable_path(pgraph, "a", "f", p="p").probability == 0.0  # p = 0 ties carry nothing
    assert most_probable_path(pgraph, "a", "a", p="p").nodes == ["a"]


def test_most_probable_path_matches_brute_force():
    rng = np.random.default_rng(5)
    G = nx.gnp_random_graph(12, 0.3, seed=5, directed=True)
    for u, v in G.edges:
        G[u][v]["p"] = float(rng.uniform(0.05, 1.0))
    for s, t in itertools.permutations(range(6), 2):
        best = max((np.prod([G[u][v]["p"] for u, v in itertools.pairwise(pth)])
                    for pth in nx.all_simple_paths(G, s, t)), default=0.0)
        assert most_probable_path(G, s, t, p="p").probability == pytest.approx(best)


def test_k_most_probable_paths(pgraph):
    k = k_most_probable_paths(pgraph, "a", "d", k=5, p="p")
    assert k["path"].tolist() == [["a", "b", "c", "d"], ["a", "c", "d"]]
    assert k["probability"].tolist() == pytest.approx([0.81, 0.5])
    assert k["rank"].tolist() == [1, 2] and k["hops"].tolist() == [3, 2]
    assert len(k_most_probable_paths(pgraph, "a", "d", k=1, p="p")) == 1
    assert len(k_most_probable_paths(pgraph, "d", "a", p="p")) == 0
    with pytest.raises(ParameterError, match="k must be"):
        k_most_probable_paths(pgraph, "a", "d", k=0, p="p")


def test_reachable_within_exact_and_monte_carlo(pgraph):
    r = reachable_within(pgraph, "a", 2, p="p", runs=4000, seed=3)
    assert r.index.name == "customer_id"
    assert r["hops"].to_dict() == {"a": 0, "b": 1, "c": 1, "d": 2}
    assert r["path_probability"].to_dict() == pytest.approx({"a": 1.0, "b": 0.9, "c": 0.81, "d": 0.5})
    # exact IC probabilities: c is reached by a directly (0.5) or via b (0.81): 1 - 0.5 * 0.19;
    # within 2 rounds d needs c in round 1 (0.5)
    exact = {"a": 1.0, "b": 0.9, "c": 1 - 0.5 * 0.19, "d": 0.5}
    for v, q in exact.items():
        assert abs(r.loc[v, "probability"] - q) <= 4 * max(r.loc[v, "probability_se"], 1e-3)
    again = reachable_within(pgraph, "a", 2, p="p", runs=4000, seed=3)
    pd.testing.assert_frame_equal(r, again)
    assert reachable_within(pgraph, "a", 3, p="p").loc["d", "path_probability"] == pytest.approx(0.81)
    assert list(reachable_within(pgraph, "a", 0, p="p").index) == ["a"]
    with pytest.raises(ParameterError, match="not a node"):
        reachable_within(pgraph, "zz", 2, p="p")


def test_probability_arguments(pgraph):
    assert most_probable_path(pgraph, "a", "d", p=0.5).probability == pytest.approx(0.25)
    # weighted cascade: 1 / in-degree of the receiver; c has in-degree 2, d has 2
    assert most_probable_path(pgraph, "a", "d", p="wc").probability == pytest.approx(0.25)
    with pytest.raises(ParameterError, match="lack it"):
        most_probable_path(pgraph, "a", "d", p="missing")
    with pytest.raises(ParameterError, match=r"\[0, 1\]"):
        most_probable_path(pgraph, "a", "d", p=1.5)
    with pytest.raises(ParameterError, match="not a node"):
        most_probable_path(pgraph, "a", "zz", p="p")


def test_territories():
    G = nx.path_graph(7)
    t = territories(G, [0, 6], p=0.5)
    assert t["seed"].to_dict() == {0: 0, 1: 0, 2: 0, 3: 0, 4: 6, 5: 6, 6: 6}  # 3 is a tie: first seed
    assert t.loc[3, "margin"] == 0.0 and t.loc[3, "runner_up"] == 6
    assert t.loc[2, "probability"] == pytest.approx(0.25) and t.loc[2, "hops"] == 2
    # seeds order does not change who owns what, except ties
    t2 = territories(G, [6, 0], p=0.5)
    assert t2.loc[3, "seed"] == 6 and t2.drop(3)["seed"].to_dict() == t.drop(3)["seed"].to_dict()
    # against a brute force on a random weighted graph
    rng = np.random.default_rng(2)
    H = nx.gnp_random_graph(15, 0.25, seed=2, directed=True)
    for u, v in H.edges:
        H[u][v]["p"] = float(rng.uniform(0.1, 0.9))
    seeds = [0, 1, 2]
    t = territories(H, seeds, p="p")
    for v in t.index:
        probs = [most_probable_path(H, s, v, p="p").probability for s in seeds]
        assert t.loc[v, "probability"] == pytest.approx(max(probs))


def test_path_answers_do_not_depend_on_insertion_order():
    rng = np.random.default_rng(11)
    G = nx.gnp_random_graph(30, 0.15, seed=11, directed=True)
    for u, v in G.edges:
        G[u][v]["p"] = float(rng.choice([0.2, 0.5, 0.8]))  # many equal-probability routes
    H = nx.DiGraph()
    H.add_nodes_from(reversed(list(G.nodes)))
    H.add_edges_from(reversed(list(G.edges(data=True))))
    pd.testing.assert_frame_equal(territories(G, [0, 5, 9], p="p"), territories(H, [0, 5, 9], p="p"))
    pd.testing.assert_frame_equal(reachable_within(G, [0], 3, p="p", runs=200, seed=4),
                                  reachable_within(H, [0], 3, p="p", runs=200, seed=4))
    assert most_probable_path(G, 0, 7, p="p") == most_probable_path(H, 0, 7, p="p")


# --------------------------------------------------------------------------------------------------
# The shared spread engine: one p, one seeding, the simulator's runs
# --------------------------------------------------------------------------------------------------

def test_default_p_is_weighted_cascade(pgraph):
    """Routes use the one default pass-on probability (weighted cascade), recorded as resolved."""
    assert most_probable_path(pgraph, "a", "d") == most_probable_path(pgraph, "a", "d", p="wc")
    assert most_probable_path(pgraph, "a", "d").probability == pytest.approx(0.25)  # 1 * 1/2 * 1/2
    r = reachable_within(pgraph, "a", 3)
    pd.testing.assert_frame_equal(r, reachable_within(pgraph, "a", 3, p="WC"), check_exact=True)
    assert r.attrs["provenance"]["parameters"]["p"] == "wc"
    assert k_most_probable_paths(pgraph, "a", "d", p=0.5).attrs["provenance"]["parameters"]["p"] == 0.5
    assert territories(pgraph, ["a"]).attrs["provenance"]["parameters"]["p"] == "wc"


@pytest.mark.parametrize("p", [0.3, "wc", "q"])
def test_reachable_within_runs_are_the_simulators_runs(p):
    """With h at least the number of customers, the hop-limited runs are simulate's runs for the same
    seed: every run's activations, counted per customer, add up to simulate's sizes exactly."""
    from netlib.diffusion import simulate

    G = nx.gnp_random_graph(40, 0.08, seed=3, directed=True)
    rng = np.random.default_rng(3)
    for u, v in G.edges:
        G[u][v]["q"] = float(rng.uniform(0.1, 0.9))
    runs = 500
    r = reachable_within(G, [0, 7], 40, p=p, runs=runs, seed=11)
    sim = simulate(G, [0, 7], p=p, runs=runs, seed=11)
    assert int(np.rint(r["probability"] * runs).sum()) == int(sim.sizes.sum())
    # fewer hops, the same runs stopped earlier: never more customers reached
    short = reachable_within(G, [0, 7], 1, p=p, runs=runs, seed=11)
    assert (short["probability"] <= r["probability"].reindex(short.index) + 1e-12).all()


def test_reachable_within_monte_carlo_matches_exact_enumeration():
    """Probability of being reached within h rounds, against the exact sum over all 2^m live-edge
    worlds (each tie live independently with its probability; reached = within h live hops)."""
    G = nx.DiGraph()
    probs = {(0, 1): 0.6, (0, 2): 0.3, (1, 2): 0.5, (2, 3): 0.7, (1, 3): 0.2, (3, 4): 0.9, (2, 4): 0.4}
    for (u, v), q in probs.items():
        G.add_edge(u, v, q=q)
    edges = list(probs)
    h = 2
    exact = dict.fromkeys(G.nodes, 0.0)
    for live in itertools.product([False, True], repeat=len(edges)):
        weight = np.prod([probs[e] if on else 1 - probs[e] for e, on in zip(edges, live)])
        H = nx.DiGraph([e for e, on in zip(edges, live) if on])
        H.add_nodes_from(G)
        for v, d in nx.single_source_shortest_path_length(H, 0, cutoff=h).items():
            exact[v] += weight
    r = reachable_within(G, 0, h, p="q", runs=20_000, seed=5)
    for v in G.nodes:
        if v in r.index:
            assert abs(r.loc[v, "probability"] - exact[v]) <= 4 * max(r.loc[v, "probability_se"], 1e-3), v
        else:
            assert exact[v] == 0.0


def test_runs_keyword():
    G = nx.path_graph(4, create_using=nx.DiGraph)
    plain = reachable_within(G, 0, 2, p=0.5)
    assert "probability" not in plain.columns
    with pytest.warns(DeprecationWarning, match="runs=None"):
        off = reachable_within(G, 0, 2, p=0.5, runs=0)
    pd.testing.assert_frame_equal(off, plain)
    with pytest.raises(ParameterError, match="runs must be a positive whole number; got -1"):
        reachable_within(G, 0, 2, p=0.5, runs=-1)
    with pytest.raises(ParameterError, match="seeds must name at least one node"):
        reachable_within(G, [], 2, p=0.5)
    with pytest.raises(ParameterError, match="seed 9 is not a node"):
        territories(G, [0, 9], p=0.5)


def test_k_most_probable_paths_index_is_named(pgraph):
    k = k_most_probable_paths(pgraph, "a", "d", k=5, p="p")
    assert k.index.equals(pd.RangeIndex(2, name="route"))


def test_spread_path_pickled_before_the_split_loads():
    """tests/data/pickles/cascades_spread_path.pkl was written by netlib at d769b3c (cascades.py)."""
    import pickle
    from pathlib import Path

    path = Path(__file__).parent / "data" / "pickles" / "cascades_spread_path.pkl"
    old = pickle.loads(path.read_bytes())
    assert old == SpreadPath(["a", "b", "c"], 0.81) and old.hops == 2
    # new pickles name the public path too, so a later move of the module cannot break them
    data = pickle.dumps(old)
    assert b"netlib.cascades" in data and b"netlib.cascades.routes" not in data
    assert pickle.loads(pickle.dumps(old)) == old
