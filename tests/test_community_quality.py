"""Partition quality: modularity by hand and against networkx, coverage, conductance, truth."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from _community import KARATE_MAX_Q, groups
from netlib.community import communities, modularity, partition_quality
from netlib.errors import ParameterError

def test_modularity_hand_worked():
    # barbell of two triangles: m = 7, each side L_c = 3, d_c = 7 → Q = 2 (3/7 − 1/4) = 5/14
    G = nx.barbell_graph(3, 0)
    assert modularity(G, [{0, 1, 2}, {3, 4, 5}]) == pytest.approx(5 / 14)
    assert modularity(G, {v: 0 for v in G}) == pytest.approx(0.0)
    # γ scales the null-model term only: Q_γ = 2 (3/7 − γ/4)
    assert modularity(G, [{0, 1, 2}, {3, 4, 5}], resolution=2.0) == pytest.approx(2 * (3 / 7 - 0.5))

def test_modularity_agrees_with_networkx(karate):
    part = communities(karate, seed=2)  # weighted (the karate graph carries 'weight')
    for weight in ("weight", None):
        for res in (0.7, 1.0, 1.5):
            assert modularity(karate, part, weight=weight, resolution=res) == pytest.approx(
                nx.community.modularity(karate, groups(part), weight=weight, resolution=res), abs=1e-12)
    # self-loops count as in networkx
    G = karate.copy()
    G.add_edge(0, 0, weight=3.0)
    G.add_edge(33, 33, weight=1.0)
    assert modularity(G, part) == pytest.approx(nx.community.modularity(G, groups(part)), abs=1e-12)


def test_directed_modularity_agrees_with_networkx(directed_weighted):
    part = {"a": 0, "b": 0, "c": 1, "d": 1}
    sets = [{"a", "b"}, {"c", "d"}]
    assert modularity(directed_weighted, part, directed="directed") == pytest.approx(
        nx.community.modularity(directed_weighted, sets))
    # symmetrise: summed weights, then ordinary modularity
    U = nx.Graph()
    for u, v, w in directed_weighted.edges(data="weight"):
        prior = U.get_edge_data(u, v, {"weight": 0.0})["weight"]
        U.add_edge(u, v, weight=prior + w)
    assert U["a"]["c"]["weight"] == 4.0
    assert modularity(directed_weighted, part) == pytest.approx(nx.community.modularity(U, sets))

# --- quality ---------------------------------------------------------------------------------


def test_partition_quality_agrees_with_networkx(karate):
    part = communities(karate, weight=None, seed=0)
    qual = partition_quality(karate, part, weight=None)
    coverage, performance = nx.community.partition_quality(karate, groups(part))
    assert qual.summary["coverage"] == pytest.approx(coverage)
    assert qual.summary["performance"] == pytest.approx(performance)
    assert qual.summary["modularity"] == pytest.approx(KARATE_MAX_Q)
    for c, row in qual.communities.iterrows():
        assert row["conductance"] == pytest.approx(nx.conductance(karate, set(part.index[part == c])))
        assert row["size"] == (part == c).sum()
    assert qual.communities["internal_ties"].sum() == pytest.approx(coverage * karate.number_of_edges())


def test_partition_quality_against_truth(karate):
    truth = pd.Series({v: karate.nodes[v]["club"] for v in karate})
    perfect = partition_quality(karate, truth, weight=None, truth=truth)
    assert perfect.summary["nmi"] == pytest.approx(1.0)
    assert perfect.summary["ami"] == pytest.approx(1.0)
    assert perfect.summary["ari"] == pytest.approx(1.0)
    assert list(perfect.communities.index) == ["Mr. Hi", "Officer"]
    # hand-worked: all in one community vs two clubs → NMI 0, ARI 0
    lumped = partition_quality(karate, {v: 0 for v in karate}, weight=None, truth=truth)
    assert lumped.summary["nmi"] == pytest.approx(0.0)
    assert lumped.summary["ari"] == pytest.approx(0.0)
    assert lumped.summary["coverage"] == pytest.approx(1.0)
    # labels for only some customers: scored on those
    partial = partition_quality(karate, truth, weight=None, truth=truth.iloc[:10])
    assert partial.summary["n_compared"] == 10
    with pytest.raises(ParameterError, match="no customer of the graph"):
        partition_quality(karate, truth, truth={"x": 1})

@pytest.mark.datasets
def test_polbooks_and_email_against_ground_truth(datasets_dir):
    from netlib import datasets

    books = datasets.polbooks(data_home=datasets_dir)
    truth = datasets.ground_truth(books)
    assert modularity(books, truth) == pytest.approx(0.4149, abs=5e-5)  # REFERENCE_VALUES.md [C]
    leiden = [communities(books, seed=s).attrs["modularity"] for s in range(3)]
    assert max(leiden) - min(leiden) < 1e-12  # the same best value every seed
    assert min(leiden) > 0.4149
    email = datasets.email_eu_core(data_home=datasets_dir)
    depts = datasets.ground_truth(email)
    simple = nx.Graph(email)
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    assert modularity(simple, depts) == pytest.approx(0.2880, abs=5e-5)
    part = communities(email, seed=0)
    qual = partition_quality(email, part, truth=depts)
    assert qual.summary["modularity"] > 0.43
    assert qual.summary["nmi"] > 0.55
