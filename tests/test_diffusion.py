"""Diffusion models: closed forms, equivalences, reproducibility, declared parameters, errors."""

from __future__ import annotations

import math

import networkx as nx
import numba
import numpy as np
import pytest

from netlib.diffusion import MODELS, model_parameters, reach_curve, simulate
from netlib.errors import ParameterError


def _within(res, expected, z=4.0):
    """|mean - expected| within z standard errors (z = 4: false alarm ~ 6e-5)."""
    return abs(res.mean - expected) <= z * max(res.sem, 1e-12)


def test_path_and_star_with_p1_are_exact():
    P = nx.path_graph(8, create_using=nx.DiGraph)
    for start in (0, 3, 7):
        res = simulate(P, [start], p=1.0, runs=50, seed=1)
        assert (res.sizes == 8 - start).all()
    res = simulate(P, [0], p=1.0, runs=5, seed=1)
    assert res.curve["adopted"].tolist() == list(range(1, 9))
    assert res.curve["share"].iloc[-1] == 1.0
    S = nx.star_graph(6)  # undirected: a leaf reaches everything through the centre
    assert (simulate(S, [3], p=1.0, runs=20, seed=1).sizes == 7).all()
    assert simulate(S, [3], p=1.0, runs=20, seed=1).curve["new"].tolist() == [1, 1, 5]


def test_star_expected_reach_closed_forms():
    S = nx.star_graph(10)
    res = simulate(S, [0], p=0.3, runs=20_000, seed=2)
    assert _within(res, 1 + 10 * 0.3)
    lo, hi = res.ci
    assert lo < res.mean < hi
    # weighted cascade: leaf -> centre with 1/deg(centre) = 0.1, centre -> each leaf with 1/1
    wc = simulate(S, [1], p="wc", runs=20_000, seed=2)
    assert _within(wc, 1 + 0.1 * 10)
    assert wc.parameters["p"] == "wc"


def test_er_bond_percolation_giant_cluster():
    """IC on an ER graph is bond percolation: many random seeds reach the giant cluster, whose
    share S solves S = 1 - exp(-c p S) (Newman 2002)."""
    n, c, p = 4000, 4.0, 0.5
    G = nx.fast_gnp_random_graph(n, c / (n - 1), seed=11)
    S = 0.5
    for _ in range(200):
        S = 1 - math.exp(-c * p * S)
    seeds = np.random.default_rng(0).choice(n, size=40, replace=False).tolist()
    res = simulate(G, seeds, p=p, runs=300, seed=3)
    # finite-size fluctuation of the giant cluster ~ 1/sqrt(n) plus the small clusters of the seeds
    assert abs(res.share - S) < 0.03, (res.share, S)


def test_per_edge_attribute_equals_uniform_p():
    G = nx.barabasi_albert_graph(300, 3, seed=1).to_directed()
    nx.set_edge_attributes(G, 0.2, "prob")
    a = simulate(G, [0, 1, 2], p=0.2, runs=4000, seed=5)
    b = simulate(G, [0, 1, 2], p="prob", runs=4000, seed=6)
    assert abs(a.mean - b.mean) <= 4 * math.hypot(a.sem, b.sem)


def test_sir_with_gamma_one_is_ic():
    G = nx.barabasi_albert_graph(300, 2, seed=2)
    a = simulate(G, [5], model="sir", beta=0.3, gamma=1.0, runs=4000, seed=1)
    b = simulate(G, [5], model="ic", p=0.3, runs=4000, seed=2)
    assert abs(a.mean - b.mean) <= 4 * math.hypot(a.sem, b.sem)
    slow = simulate(G, [5], model="sir", beta=0.3, gamma=0.2, runs=2000, seed=1)
    assert slow.mean > a.mean  # longer infectious periods reach more


def test_linear_threshold_closed_forms():
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "c", 3.0), ("b", "c", 1.0)])
    # c's normalised in-weight from a is 3/4, so P(theta_c <= 3/4) = 3/4
    assert _within(simulate(G, ["a"], model="lt", runs=20_000, seed=1), 1.75)
    assert _within(simulate(G, ["b"], model="lt", runs=20_000, seed=1), 1.25)
    assert (simulate(G, ["a", "b"], model="lt", runs=100, seed=1).sizes == 3).all()
    chain = nx.path_graph(6, create_using=nx.DiGraph)  # one in-neighbour each: weight 1, always adopts
    assert (simulate(chain, [0], model="lt", runs=50, seed=1).sizes == 6).all()


def test_bass_without_network_is_geometric():
    G = nx.empty_graph(200)
    p, steps = 0.05, 10
    res = simulate(G, [0], model="bass", p=p, q=0.4, steps=steps, runs=2000, seed=1)
    expected = 1 + 199 * (1 - (1 - p) ** steps)
    assert _within(res, expected)
    assert len(res.curve) == steps + 1
    # imitation speeds adoption on a network
    K = nx.complete_graph(50)
    slow = simulate(K, [0], model="bass", p=0.01, q=0.0, steps=10, runs=500, seed=1)
    fast = simulate(K, [0], model="bass", p=0.01, q=0.5, steps=10, runs=500, seed=1)
    assert fast.mean > slow.mean + 10


def test_spread_monotone_in_seed_set():
    G = nx.barabasi_albert_graph(500, 2, seed=3)
    order = [0, 10, 20, 30, 40, 50]
    means, sems = [], []
    for i in range(1, len(order) + 1):
        r = simulate(G, order[:i], p=0.1, runs=3000, seed=7)
        means.append(r.mean)
        sems.append(r.sem)
    for i in range(1, len(means)):
        assert means[i] >= means[i - 1] - 3 * math.hypot(sems[i], sems[i - 1])
    assert means[-1] > means[0]


def test_same_seed_same_numbers_across_thread_counts():
    G = nx.barabasi_albert_graph(400, 3, seed=1)
    for model, kw in [("ic", {"p": 0.1}), ("lt", {}), ("sir", {"beta": 0.2}), ("bass", {"steps": 5})]:
        a = simulate(G, [0, 1], model=model, runs=3000, seed=42, **kw)
        b = simulate(G, [0, 1], model=model, runs=3000, seed=42, **kw)
        assert np.array_equal(a.sizes, b.sizes), model
        old = numba.get_num_threads()
        numba.set_num_threads(1)
        try:
            c = simulate(G, [0, 1], model=model, runs=3000, seed=42, **kw)
        finally:
            numba.set_num_threads(old)
        assert np.array_equal(a.sizes, c.sizes), model
    d = simulate(G, [0, 1], p=0.1, runs=3000, seed=43)
    assert not np.array_equal(a.sizes, d.sizes)


def test_seeds_handling_and_provenance():
    G = nx.path_graph(["x", "y", "z"], create_using=nx.DiGraph)
    res = simulate(G, "x", p=1.0, runs=3, seed=1)  # one node id given bare
    assert res.seeds == ["x"] and res.mean == 3
    dup = simulate(G, ["y", "y"], p=1.0, runs=3, seed=1)
    assert dup.seeds == ["y"] and dup.mean == 2
    assert res.provenance["function"] == "netlib.simulate"
    assert res.provenance["parameters"]["p"] == 1.0


def test_declared_parameters_table():
    table = model_parameters()
    assert set(table["model"]) == {"ic", "sir", "bass"}
    row = table[(table.model == "sir") & (table.parameter == "gamma")].iloc[0]
    assert (row.low, row.high, row.default) == (0.0, 1.0, MODELS["sir"].parameter("gamma").default)


def test_errors():
    G = nx.path_graph(3)
    with pytest.raises(ParameterError, match="unknown model 'xyz'"):
        simulate(G, [0], model="xyz")
    with pytest.raises(ParameterError, match=r"'p' must lie in \[0.0, 1.0\]; got 1.5"):
        simulate(G, [0], p=1.5)
    with pytest.raises(ParameterError, match=r"unexpected \['beta'\]"):
        simulate(G, [0], model="ic", beta=0.2)
    with pytest.raises(ParameterError, match="seed 9 is not a node"):
        simulate(G, [9])
    with pytest.raises(ParameterError, match="runs must be a positive"):
        simulate(G, [0], runs=0)
    with pytest.raises(ParameterError, match="whole number"):
        simulate(G, [0], model="bass", steps=2.5)
    H = nx.DiGraph([(0, 1), (1, 2)])
    H[0][1]["prob"] = 0.5
    with pytest.raises(ParameterError, match="lack it"):
        simulate(H, [0], p="prob")
    H[1][2]["prob"] = 3.0
    with pytest.raises(ParameterError, match="probabilities in"):
        simulate(H, [0], p="prob")


# --------------------------------------------------------------------------- reach_curve
@pytest.mark.parametrize("name", ["uniform0", "wc1", "edge2"])
def test_reach_curve_holds_exact_spread_within_its_intervals(name):
    """Every prefix's interval holds the exact spread (every live-edge world enumerated), at the
    precision asked for; the sizes asked for are the rows."""
    from test_influence_ris import CASES, exact_sigma, exact_spread_table

    _, G, p, probs = next(c for c in CASES if c[0] == name)
    table = exact_spread_table(G, probs)
    order = [3, 0, 5, 1, 6, 2]
    curve = reach_curve(G, order, p=p, precision=0.01, confidence=0.999, seed=7, progress=False)
    assert curve.index.name == "k" and curve.index.tolist() == [1, 2, 3, 4, 5, 6]
    for j, row in curve.iterrows():
        sigma = exact_sigma(table, order[:j])
        assert row["ci_low"] <= sigma <= row["ci_high"], (name, j, sigma, row.to_dict())
        assert row["precision_reached"] and row["ci_high"] - row["mean"] <= 0.01 * row["mean"] + 1e-9
    assert curve["runs"].is_monotonic_decreasing  # a run that reaches a prefix reaches every shorter one


def test_reach_curve_under_linear_threshold_holds_exact_spread():
    from test_influence_ris import exact_lt_spread, lt_graph

    G = lt_graph()
    order = (2, 4, 0)
    exact = exact_lt_spread(G, [order[:j] for j in (1, 2, 3)])
    curve = reach_curve(G, list(order), model="lt", precision=0.01, confidence=0.999, seed=3, progress=False)
    for j, row in curve.iterrows():
        assert row["ci_low"] <= exact[order[:j]] <= row["ci_high"], (j, exact[order[:j]], row.to_dict())


def test_reach_curve_prefixes_share_their_runs():
    """Prefix j of a precision-sized curve is the fixed-run estimate of seeds[:j] over the same runs
    (runs numbered from 0; later seeds never change the cascade of earlier ones)."""
    G = nx.gnm_random_graph(300, 900, directed=True, seed=4)
    seeds = [5, 17, 40, 41, 99, 250, 3]
    curve = reach_curve(G, seeds, sizes=[1, 3, 7], p=0.15, precision=0.03, seed=11, progress=False)
    for j, row in curve.iterrows():
        alone = reach_curve(G, seeds, sizes=[j], p=0.15, runs=int(row["runs"]), seed=11, progress=False)
        assert alone.loc[j, "mean"] == row["mean"] and alone.loc[j, "ci_high"] == row["ci_high"]
    # the last prefix agrees with simulate (different draws, the same expectation)
    sim = simulate(G, seeds, p=0.15, runs=4000, seed=2)
    last = curve.loc[7]
    assert abs(sim.mean - last["mean"]) <= 4 * math.hypot(sim.sem, (last["ci_high"] - last["mean"]) / 1.96)
    # duplicates are dropped, keeping the first-seen order; an unknown seed or size is named
    assert reach_curve(G, [5, 5, 17], runs=10, seed=1).index.tolist() == [1, 2]
    with pytest.raises(ParameterError, match="sizes must be whole numbers from 1 to the number of distinct seeds"):
        reach_curve(G, seeds, sizes=[0, 2])
    with pytest.raises(ParameterError, match="sizes must be whole numbers"):
        reach_curve(G, seeds, sizes=[8])
    with pytest.raises(ParameterError, match="supports models 'ic' and 'lt'"):
        reach_curve(G, seeds, model="sir")
    with pytest.raises(ParameterError, match="precision must lie in"):
        reach_curve(G, seeds, precision=0)
    with pytest.raises(ParameterError, match="seed 'x' is not a node"):
        reach_curve(G, ["x"])
    prov = curve.attrs["provenance"]
    assert prov["function"] == "netlib.reach_curve" and prov["parameters"]["precision"] == 0.03
    assert "runs added until each half-width is at most 3% of the reach" in curve.attrs["estimator"]
