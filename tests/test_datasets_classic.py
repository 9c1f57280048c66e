"""netlib.datasets.classic: the graphs networkx ships, with their ground truth."""

from __future__ import annotations

import networkx as nx

from netlib import datasets as ds
from netlib.datasets import ground_truth, load_graph


def test_karate_club_and_ground_truth():
    G = load_graph("karate")
    assert (G.number_of_nodes(), G.number_of_edges()) == (34, 78)
    assert G.nodes[0]["club"] == "Mr. Hi" and G.nodes[33]["club"] == "Officer"
    gt = ground_truth(G)
    assert gt.index.name == "customer_id" and gt.name == "club" and list(gt.index) == list(range(34))
    assert gt.value_counts().to_dict() == {0: 17, 1: 17}
    assert gt.attrs["labels"] == {0: "Mr. Hi", 1: "Officer"}  # equal sizes: ordered by label
    assert gt[0] == 0 and gt[33] == 1
    assert "Zachary" in G.graph["citation"]


def test_other_classic_graphs():
    L = ds.les_miserables()
    assert (L.number_of_nodes(), L.number_of_edges()) == (77, 254) and L["Valjean"]["Javert"]["weight"] > 0
    F = ds.florentine_families()
    assert (F.number_of_nodes(), F.number_of_edges()) == (15, 20) and max(F.degree, key=lambda x: x[1])[0] == "Medici"
    D = ds.davis_southern_women()
    assert D.number_of_nodes() == 32 and nx.is_bipartite(D)
    assert sum(1 for _, b in D.nodes(data="bipartite") if b == 0) == 18
