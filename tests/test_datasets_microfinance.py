"""netlib.datasets.microfinance: the village household networks, counts pinned to the README."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from netlib import datasets as ds
from netlib.datasets import load_frames


def test_microfinance(datasets_dir):
    G = ds.microfinance(data_home=datasets_dir)
    hh = load_frames("microfinance", "households", data_home=datasets_dir)["households"]
    assert G.number_of_nodes() == len(hh) == 8622
    villages = hh.groupby("village").size()
    assert len(villages) == 38 and (villages.min(), villages.max()) == (139, 329)
    loan = pd.Series(dict(G.nodes(data="loan")))
    leader = pd.Series(dict(G.nodes(data="leader")))
    assert loan.sum() == 1255 and round(100 * loan.mean(), 2) == 14.56
    assert leader.sum() == 1014 and round(100 * loan[leader == 1].mean(), 2) == 19.23
    assert G.graph["unknown_households"] == [1183, 4072, 4196, 4240, 20111, 23255, 45222, 45223, 46132]
    edges = load_frames("microfinance", "edges", data_home=datasets_dir)["edges"]
    assert len(edges) == 80356 and nx.Graph(list(zip(edges["hh1"], edges["hh2"]))).number_of_edges() == 40178
    assert all(G.nodes[u]["village"] == G.nodes[v]["village"] for u, v in G.edges)  # no cross-village ties
    in_edges = set(edges["hh1"]) | set(edges["hh2"])
    assert len(in_edges) == 8182 and len(set(hh["hh"]) - in_edges) == 449
    # one household's only ties go to unknown households, so the graph has one isolate more
    assert nx.number_of_isolates(G) == 450
    V = ds.microfinance(village=np.int64(1), data_home=datasets_dir)
    assert V.number_of_nodes() == villages[1] and {d for _, d in V.nodes(data="village")} == {1}
