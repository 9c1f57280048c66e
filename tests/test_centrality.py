"""Centrality battery: agreement with networkx, sampled estimators within their bounds, contract."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netlib.centrality import MEASURES, centrality
from netlib.errors import ParameterError

TOL = 1e-9  # exact measures agree with networkx to this absolute tolerance


def _graphs():
    karate = nx.karate_club_graph()  # weighted, undirected
    di = nx.gnp_random_graph(60, 0.06, seed=3, directed=True)
    rng = random.Random(5)
    for u, v in di.edges():
        di[u][v]["weight"] = rng.uniform(0.5, 3.0)
    return [karate, di]


@pytest.fixture(scope="module", params=[0, 1], ids=["karate", "directed_gnp"])
def graph_and_df(request):
    G = _graphs()[request.param]
    return G, centrality(G, seed=1)


def test_pagerank_matches_networkx(graph_and_df):
    G, df = graph_and_df
    ref = nx.pagerank(G, weight="weight", tol=1e-13)
    assert np.allclose(df["pagerank"], [ref[v] for v in df.index], atol=TOL)
    assert df["pagerank"].sum() == pytest.approx(1.0)


def test_exact_betweenness_closeness_match_networkx(graph_and_df):
    G, df = graph_and_df
    assert df.attrs["betweenness"]["method"] == "exact"
    bc = nx.betweenness_centrality(G)
    assert np.allclose(df["betweenness"], [bc[v] for v in df.index], atol=TOL)
    cl = nx.closeness_centrality(G)
    assert np.allclose(df["closeness"], [cl[v] for v in df.index], atol=TOL)


def test_core_clustering_katz_voterank_match_networkx(graph_and_df):
    G, df = graph_and_df
    core = nx.core_number(G)
    assert (df["core"] == pd.Series(core)).all()
    cc = nx.clustering(nx.Graph(G))
    assert np.allclose(df["clustering"], [cc[v] for v in df.index], atol=TOL)
    kz = nx.katz_centrality(G, alpha=df.attrs["katz_alpha"], weight="weight", tol=1e-13, max_iter=100_000)
    assert np.allclose(df["katz"], [kz[v] for v in df.index], atol=1e-8)
    elected = df["voterank"].dropna().sort_values().index.tolist()
    assert elected == nx.voterank(G)


def test_degrees_and_strengths_on_directed_weighted(directed_weighted):
    df = centrality(directed_weighted, ["degree", "strength"])
    assert df.loc["a", "out_strength"] == 5.0  # a->b 2, a->c 3
    assert df.loc["a", "in_strength"] == 1.5   # c->a 1, d->a 0.5
    assert df.loc["a", "strength"] == 6.5
    assert df.loc["a", "degree"] == 4
    assert df.loc["d", "in_degree"] == 0
    assert list(df.columns) == [*MEASURES["degree"], *MEASURES["strength"]]


def test_star_betweenness_and_eigenvector():
    G = nx.star_graph(5)
    df = centrality(G, ["betweenness", "eigenvector"])
    assert df.loc[0, "betweenness"] == pytest.approx(1.0)
    assert (df.loc[1:, "betweenness"] == 0).all()
    ev = nx.eigenvector_centrality(G, tol=1e-12, max_iter=10_000)
    assert np.allclose(df["eigenvector"], [ev[v] for v in df.index], atol=1e-6)


def test_sampled_betweenness_within_stated_bound():
    G = nx.barabasi_albert_graph(400, 3, seed=7)
    exact = centrality(G, ["betweenness"], exact=True)["betweenness"]
    eps = 0.02
    est = centrality(G, ["betweenness"], exact=False, epsilon=eps, delta=0.1, seed=3)
    info = est.attrs["betweenness"]
    assert info["method"] == "sampled" and info["epsilon"] == eps and info["samples"] > 1000
    assert (est["betweenness"] - exact).abs().max() <= eps
    top_exact = set(exact.nlargest(5).index)
    assert len(top_exact & set(est["betweenness"].nlargest(5).index)) >= 4


def test_large_graph_switches_to_sampling_and_records_it():
    G = nx.barabasi_albert_graph(3000, 3, seed=1)
    df = centrality(G, ["betweenness", "closeness"], seed=2)
    assert df.attrs["betweenness"]["method"] == "sampled"
    assert df.attrs["closeness"]["method"] == "sampled"
    assert "within" in df.attrs["betweenness"]["bound"]
    # the hubs of a BA graph come out on top
    assert df["betweenness"].idxmax() in set(dict(sorted(G.degree, key=lambda x: -x[1])[:5]))
    ref = nx.closeness_centrality(G, u=0)
    assert df.loc[0, "closeness"] == pytest.approx(ref, rel=0.1)


def test_same_seed_same_numbers_and_insertion_order_irrelevant():
    G = nx.barabasi_albert_graph(300, 2, seed=4)
    edges = list(G.edges())
    random.Random(1).shuffle(edges)
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes(), reverse=True))
    H.add_edges_from(edges)
    a = centrality(G, exact=False, seed=9)
    b = centrality(H, exact=False, seed=9)
    pd.testing.assert_frame_equal(a, b)
    assert a.index.name == "customer_id"


def test_empty_single_and_disconnected(empty_graph, single_node, disconnected):
    df = centrality(empty_graph)
    assert len(df) == 0 and "pagerank" in df.columns
    one = centrality(single_node)
    assert one.loc["only", "pagerank"] == pytest.approx(1.0)
    assert one.loc["only", "betweenness"] == 0
    d = centrality(disconnected)
    assert d.loc[6, "closeness"] == 0 and d.loc[6, "core"] == 0
    assert (d.loc[[0, 1, 2], "clustering"] == 1).all()


def test_errors():
    G = nx.path_graph(4)
    with pytest.raises(ParameterError, match="unknown centrality measure 'fame'"):
        centrality(G, ["fame"])
    with pytest.raises(ParameterError, match="epsilon"):
        centrality(G, epsilon=0)
    with pytest.raises(ParameterError, match="seed"):
        centrality(G, seed="x")
