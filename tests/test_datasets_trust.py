"""netlib.datasets.trust: CiaoDVD and FilmTrust, counts pinned to the folder READMEs."""

from __future__ import annotations

import networkx as nx

from netlib import datasets as ds
from netlib.datasets import load_frames


def test_ciaodvd_and_filmtrust(datasets_dir):
    C = ds.ciaodvd(data_home=datasets_dir)
    assert (C.number_of_nodes(), C.number_of_edges()) == (4658, 40133) and nx.number_of_selfloops(C) == 0
    r = load_frames("ciaodvd", "ratings", data_home=datasets_dir)["ratings"]
    assert len(r) == 72665 and (r["user"].nunique(), r["movie"].nunique()) == (17615, 16121)
    assert r["rating"].value_counts().sort_index().tolist() == [2651, 4685, 10074, 22560, 32695]
    assert (r["date"].min().date().isoformat(), r["date"].max().date().isoformat()) == ("2000-05-31", "2013-11-28")
    assert len(set(C) & set(r["user"])) == 2740
    F = ds.filmtrust(data_home=datasets_dir)
    assert (F.number_of_nodes(), F.number_of_edges()) == (861, 1806)
    fr = load_frames("filmtrust", "ratings", data_home=datasets_dir)["ratings"]
    assert (len(fr), fr["user"].nunique(), fr["item"].nunique()) == (35497, 1508, 2071)
    assert sorted(fr["rating"].unique()) == [0.5 * k for k in range(1, 9)]
