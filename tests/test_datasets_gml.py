"""netlib.datasets.gml: football, dolphins and polbooks, counts pinned to REFERENCE_VALUES.md."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from netlib import datasets as ds
from netlib.datasets import ground_truth, load_frames


def _modularity(G: nx.Graph, attr: str) -> float:
    """Reference modularity (networkx) of the label partition on the undirected simple graph."""
    H = nx.Graph(G.to_undirected() if G.is_directed() else G)
    H.remove_edges_from(nx.selfloop_edges(H))
    groups: dict = {}
    for n, d in H.nodes(data=True):
        groups.setdefault(d[attr], set()).add(n)
    return nx.community.modularity(H, groups.values(), weight=None)


def test_football(datasets_dir):
    G = ds.football(data_home=datasets_dir)
    assert (G.number_of_nodes(), G.number_of_edges()) == (115, 613)
    assert G.graph["duplicate_edges"] == 3 and nx.is_connected(G)
    assert sum(nx.triangles(G).values()) // 3 == 810
    assert nx.average_clustering(G) == pytest.approx(0.4032, abs=5e-5)
    sizes = pd.Series(dict(G.nodes(data="conference"))).value_counts()
    assert len(sizes) == 12 and (sizes.min(), sizes.max()) == (5, 13)
    assert _modularity(G, "conference") == pytest.approx(0.5540, abs=5e-5)
    assert _modularity(G, "conference_evans") == pytest.approx(0.5744, abs=5e-5)
    # Evans' corrections, from footballTSEReadMe.txt: North Texas moves from Sun Belt to Big West
    assert G.nodes[11]["conference_name"] == "Sun Belt" and G.nodes[11]["conference_evans_name"] == "Big West"
    assert G.nodes[0]["label"] == "BrighamYoung"
    E = ds.football(labels="evans", data_home=datasets_dir)
    assert ground_truth(E).nunique() == 19 and ground_truth(G).nunique() == 12


def test_dolphins_and_polbooks(datasets_dir):
    D = ds.dolphins(data_home=datasets_dir)
    assert (D.number_of_nodes(), D.number_of_edges()) == (62, 159) and nx.is_connected(D)
    assert sum(nx.triangles(D).values()) // 3 == 95
    assert nx.average_clustering(D) == pytest.approx(0.2590, abs=5e-5)
    assert D.nodes[0]["label"] == "Beak"
    P = ds.polbooks(data_home=datasets_dir)
    assert (P.number_of_nodes(), P.number_of_edges()) == (105, 441) and nx.is_connected(P)
    assert pd.Series(dict(P.nodes(data="leaning"))).value_counts().to_dict() == {"c": 49, "l": 43, "n": 13}
    assert _modularity(P, "leaning") == pytest.approx(0.4149, abs=5e-5)
    assert sum(nx.triangles(P).values()) // 3 == 560
    frames = load_frames("polbooks", data_home=datasets_dir)
    assert frames["nodes"].shape == (105, 3) and len(frames["edges"]) == 441
