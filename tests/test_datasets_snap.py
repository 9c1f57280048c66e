"""netlib.datasets.snap: counts pinned to ../shared/datasets/REFERENCE_VALUES.md and the folder READMEs."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from netlib import datasets as ds
from netlib.datasets import ground_truth, load_customer_data, load_frames, load_graph
from test_datasets_gml import _modularity


def test_email_eu_core(datasets_dir):
    G = ds.email_eu_core(data_home=datasets_dir)
    assert (G.number_of_nodes(), G.number_of_edges()) == (1005, 25571)
    assert nx.number_of_selfloops(G) == 642
    wcc = max(nx.weakly_connected_components(G), key=len)
    assert len(wcc) == 986 and G.subgraph(wcc).number_of_edges() == 25552
    assert len(max(nx.strongly_connected_components(G), key=len)) == 803
    gt = ground_truth(G)
    assert gt.nunique() == 42 and (gt == 0).sum() == 109 and gt.attrs["labels"][0] == 4
    assert _modularity(G, "department") == pytest.approx(0.2880, abs=5e-5)
    U = nx.Graph(G.to_undirected())
    U.remove_edges_from(nx.selfloop_edges(U))
    assert U.number_of_edges() == 16064
    assert sum(nx.triangles(U).values()) // 3 == 105461
    assert nx.average_clustering(U) == pytest.approx(0.3994, abs=5e-5)


def test_college_msg(datasets_dir):
    msgs = load_frames("collegemsg", data_home=datasets_dir)["messages"]
    assert len(msgs) == 59835 and str(msgs["timestamp"].dtype) == "datetime64[ns, UTC]"
    assert msgs["timestamp"].min() == pd.Timestamp("2004-04-15 14:56:01", tz="UTC")
    assert msgs["timestamp"].max() == pd.Timestamp("2004-10-26 07:52:22", tz="UTC")
    G = ds.college_msg(data_home=datasets_dir)
    assert (G.number_of_nodes(), G.number_of_edges()) == (1899, 20296)
    assert sum(c for _, _, c in G.edges(data="count")) == 59835 and nx.number_of_selfloops(G) == 0
    assert nx.Graph(G).number_of_edges() == 13838
    u, v, d = next(iter(G.edges(data=True)))
    assert d["first_ts"] <= d["last_ts"] and d["weight"] == float(d["count"])


def test_bitcoin(datasets_dir):
    for name, nodes, edges, positive in [("bitcoin-otc", 5881, 35592, 32029), ("bitcoin-alpha", 3783, 24186, 22650)]:
        G = load_graph(name, data_home=datasets_dir)
        assert (G.number_of_nodes(), G.number_of_edges()) == (nodes, edges), name
        ratings = [r for _, _, r in G.edges(data="rating")]
        assert sum(r > 0 for r in ratings) == positive and (min(ratings), max(ratings)) == (-10, 10)
    r = load_frames("bitcoin-otc", data_home=datasets_dir)["ratings"]
    assert r["timestamp"].dt.date.min().isoformat() == "2010-11-08"
    assert r["timestamp"].dt.date.max().isoformat() == "2016-01-25"


@pytest.mark.slow
def test_higgs_twitter(datasets_dir):
    act = load_frames("higgs-twitter", "activity", data_home=datasets_dir)["activity"]
    assert len(act) == 563069
    assert act["type"].value_counts().to_dict() == {"RT": 354930, "MT": 171237, "RE": 36902}
    assert act["timestamp"].min() == pd.Timestamp("2012-07-01 00:02:52", tz="UTC")
    assert act["timestamp"].max() == pd.Timestamp("2012-07-07 23:59:53", tz="UTC")
    G = ds.higgs_twitter(data_home=datasets_dir)
    assert (G.number_of_nodes(), G.number_of_edges()) == (256491, 328132)
    assert G.size(weight="weight") == 354930
    # information flows from the retweeted user: user 88 is retweeted 18,977 times
    assert G.out_degree(88, weight="weight") == 18977
    assert len(max(nx.weakly_connected_components(G), key=len)) == 223833
    data = load_customer_data("higgs", data_home=datasets_dir)
    rt = data.interactions[data.interactions["kind"] == "retweet"]
    assert len(rt) == 354930 and (rt["source"] == "88").sum() == 18977
    assert len(data.customers) == 304691
