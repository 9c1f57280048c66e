"""Influence maximisation and the influencers table: exact cases, IMM vs CELF, contract, errors."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netlib.diffusion import simulate
from netlib.errors import ParameterError
from netlib.influence import METHODS, influencers, maximize_influence

STAR_SIZES = [3, 5, 8, 13, 21]  # leaves per star


@pytest.fixture(scope="module")
def stars():
    """Disjoint out-stars (centre -> leaves) of distinct sizes; returns (graph, centres)."""
    G = nx.DiGraph()
    centres, nid = [], 0
    for s in STAR_SIZES:
        centres.append(nid)
        G.add_edges_from((nid, nid + j) for j in range(1, s + 1))
        nid += s + 1
    return G, centres


@pytest.mark.parametrize("method", METHODS)
def test_every_method_picks_the_largest_star_centres(stars, method):
    G, centres = stars
    res = maximize_influence(G, 3, p=1.0, method=method, seed=1, runs=200, mc_runs=50)
    assert res.seeds == [centres[4], centres[3], centres[2]]  # largest first
    assert res.spread == 22 + 14 + 9 and res.ci == (45.0, 45.0)
    if method == "imm":
        assert res.guarantee == pytest.approx(1 - 1 / math.e - 0.1)
        assert res.details["rr_sets"] > 0
        assert np.allclose(res.marginal_gains, [22, 14, 9], rtol=0.25)
    else:
        assert res.marginal_gains == [22.0, 14.0, 9.0]
    table = res.to_frame()
    assert table.index.name == "customer_id" and table["cumulative_gain"].iloc[-1] == pytest.approx(res.estimate)


def test_imm_reaches_at_least_celf_within_error():
    G = nx.barabasi_albert_graph(300, 2, seed=5).to_directed()
    imm = maximize_influence(G, 5, p="wc", seed=2, runs=5000)
    celf = maximize_influence(G, 5, p="wc", method="celf", seed=2, runs=5000, mc_runs=300)
    assert imm.spread >= celf.spread - 4 * math.hypot(imm.simulation.sem, celf.simulation.sem)
    # IMM's own estimate agrees with the independent Monte-Carlo evaluation
    assert imm.estimate == pytest.approx(imm.spread, rel=0.1)
    # the heuristic is not better than the guarantee-carrying method beyond noise
    top = maximize_influence(G, 5, p="wc", method="top_degree", seed=2, runs=5000)
    assert imm.spread >= top.spread - 4 * math.hypot(imm.simulation.sem, top.simulation.sem)


def test_spread_reported_is_an_independent_simulation():
    G = nx.barabasi_albert_graph(200, 2, seed=1)
    res = maximize_influence(G, 4, p=0.2, method="degree_discount", seed=3, runs=4000)
    check = simulate(G, res.seeds, p=0.2, runs=4000, seed=99)
    assert abs(res.spread - check.mean) <= 4 * math.hypot(res.simulation.sem, check.sem)
    lo, hi = res.ci
    assert lo <= res.spread <= hi


def test_linear_threshold_on_a_chain():
    G = nx.path_graph(6, create_using=nx.DiGraph)  # every node's one in-arc has weight 1
    res = maximize_influence(G, 1, model="lt", seed=1, runs=100)
    assert res.seeds == [0] and res.spread == 6
    assert res.model == "lt"


def test_same_seed_same_answer():
    G = nx.barabasi_albert_graph(400, 3, seed=2)
    a = maximize_influence(G, 5, p=0.05, seed=7, runs=2000)
    b = maximize_influence(G, 5, p=0.05, seed=7, runs=2000)
    assert a.seeds == b.seeds and a.spread == b.spread and a.marginal_gains == b.marginal_gains
    assert a.provenance["parameters"]["seed"] == 7


def test_marginal_gains_nonincreasing_for_greedy_methods():
    G = nx.barabasi_albert_graph(300, 2, seed=4)
    res = maximize_influence(G, 6, p=0.1, seed=1, runs=1000)
    g = res.marginal_gains
    assert all(g[i + 1] <= g[i] + 1e-9 for i in range(len(g) - 1))  # greedy coverage is submodular
    assert all(x > 0 for x in g)


def test_maximize_errors():
    G = nx.path_graph(4)
    with pytest.raises(ParameterError, match="unknown method 'magic'"):
        maximize_influence(G, 2, method="magic")
    with pytest.raises(ParameterError, match="models 'ic' and 'lt'"):
        maximize_influence(G, 2, model="sir")
    with pytest.raises(ParameterError, match=r"k must be a whole number from 1 to the number of customers \(4\); got 5"):
        maximize_influence(G, 5)
    with pytest.raises(ParameterError, match="epsilon"):
        maximize_influence(G, 2, epsilon=1.5)
    with pytest.raises(ParameterError, match="degree_discount is derived for the independent cascade"):
        maximize_influence(G, 2, model="lt", method="degree_discount")


def test_influencers_table_says_why(stars):
    G, centres = stars
    comm = pd.Series({v: (0 if v < 10 else 1) for v in G.nodes()})
    df = influencers(G, top=3, p=1.0, seed=1, partition=comm)
    assert df.index.tolist() == [centres[4], centres[3], centres[2]]
    assert df.index.name == "customer_id"
    top = df.iloc[0]
    assert top["rank"] == 1
    assert top["expected_reach"] == pytest.approx(22, rel=0.05)  # a centre reaches its whole star
    assert top["reach_1hop"] == pytest.approx(21 / (G.number_of_nodes() - 1))
    assert top["community"] == 1
    assert top["why"].startswith("#1 by")
    assert "expected reach" in top["why"] and "out-strength" in top["why"]
    assert df.attrs["function"] == "netlib.influencers"
    full = influencers(G, top=None, p=1.0, seed=1)
    assert len(full) == G.number_of_nodes()
    assert full["rank"].tolist() == list(range(1, len(full) + 1))
    # the old keywords k= and communities= give the same table for one release, with a warning
    with pytest.warns(DeprecationWarning) as caught:
        old = influencers(G, k=3, p=1.0, seed=1, communities=comm)
    assert sorted(str(w.message).split(":")[1].split(";")[0].strip() for w in caught) == [
        "the keyword communities= is renamed partition=", "the keyword k= is renamed top="]
    pd.testing.assert_frame_equal(old.drop(columns="why"), df.drop(columns="why"))
    assert old["why"].tolist() == df["why"].tolist()


def test_expected_reach_matches_simulation():
    G = nx.barabasi_albert_graph(300, 2, seed=8).to_directed()
    df = influencers(G, top=None, p=0.2, seed=1, rr_sets=300_000)
    v = df.index[0]
    sim = simulate(G, [v], p=0.2, runs=20_000, seed=1)
    se = math.hypot(df.loc[v, "expected_reach_se"], sim.sem)
    assert abs(df.loc[v, "expected_reach"] - sim.mean) <= 4 * se


def test_influencers_errors():
    G = nx.path_graph(3)
    with pytest.raises(ParameterError, match="cannot rank by \\['fame'\\]"):
        influencers(G, by=["fame"])
    with pytest.raises(ParameterError, match="partition must be a pandas Series"):
        influencers(G, partition={0: 1})
    with pytest.raises(ParameterError, match="top must be a positive"):
        influencers(G, top=0)
    with pytest.warns(DeprecationWarning), pytest.raises(ParameterError, match="communities must be a pandas Series"):
        influencers(G, communities={0: 1})
    with pytest.warns(DeprecationWarning), pytest.raises(ParameterError, match="k must be a positive"):
        influencers(G, k=0)
    with pytest.warns(DeprecationWarning), pytest.raises(ParameterError, match="give partition= only"):
        influencers(G, partition=pd.Series({0: 1}), communities=pd.Series({0: 1}))


@pytest.mark.slow
def test_planted_influencers_rank_near_the_top_of_the_sample():
    """On the shipped synthetic sample every planted influencer lands in the top 10 % by score and
    by expected reach. Precision@5 is low there (0.2; 0.4 of them in the top 10): ordinary hubs
    with up to 180 friends outrank some planted influencers in the observed network."""
    synth = pytest.importorskip("netlib.synth")  # noqa: F841 - the sample is generated by it
    from netlib._sample import load_sample
    from netlib.network import build_network

    data = load_sample()
    G = build_network(data)
    truth = data.truth.customers
    planted = truth.index[truth["influencer"]]
    df = influencers(G, top=None, seed=1, progress=False)
    n = len(df)
    for col in ("score", "expected_reach"):
        ranks = df[col].rank(ascending=False, method="min").reindex(planted)
        assert (ranks <= 0.1 * n).all(), (col, ranks.tolist())
    top10 = set(df.index[:10])
    assert len(top10 & set(planted)) >= 1


@pytest.mark.parametrize("model", ["ic", "lt"])
def test_heuristic_gains_add_up_to_the_reach(model):
    """The heuristics' marginal gains come from one incremental pass per realisation; they must sum
    to the reach of the whole set (estimated independently) and each be non-negative."""
    G = nx.barabasi_albert_graph(300, 2, seed=6).to_directed()
    res = maximize_influence(G, 5, model=model, p=0.1 if model == "ic" else None, method="top_degree",
                             seed=4, runs=8000)
    assert min(res.marginal_gains) > 0
    assert abs(res.estimate - res.spread) <= 4 * res.simulation.sem * math.sqrt(2)


def test_confidence_level_of_the_spread_interval():
    G = nx.barabasi_albert_graph(200, 2, seed=3).to_directed()
    a = maximize_influence(G, 3, p=0.1, method="top_degree", seed=5, runs=2000)
    b = maximize_influence(G, 3, p=0.1, method="top_degree", seed=5, runs=2000, confidence=0.99)
    assert a.seeds == b.seeds and a.spread == b.spread
    z95, z99 = 1.959963984540054, 2.5758293035489004
    assert (a.ci[1] - a.ci[0]) / 2 == pytest.approx(z95 * a.simulation.sem)
    assert (b.ci[1] - b.ci[0]) / 2 == pytest.approx(z99 * b.simulation.sem)
    assert b.provenance["parameters"]["confidence"] == 0.99
    with pytest.raises(ParameterError, match=r"confidence must lie in \(0, 1\); got 1.5"):
        maximize_influence(G, 3, confidence=1.5)
