"""Cascade shape (structural virality, cascade_metrics), adoption curves and cascade influencers."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from _cascades_data import log

from netlib.cascades import (
    adoption_curves,
    cascade_influencers,
    cascade_metrics,
    reconstruct_cascades,
    structural_virality,
)
from netlib.errors import DataError, ParameterError, SchemaError


def all_pairs_sv(parent):
    """Reference: mean shortest-path distance by BFS from every node (networkx)."""
    T = nx.Graph()
    T.add_nodes_from(range(len(parent)))
    T.add_edges_from((i, p) for i, p in enumerate(parent) if p >= 0)
    n = len(parent)
    total = sum(sum(nx.single_source_shortest_path_length(T, v).values()) for v in T)
    return total / (n * (n - 1))


# --------------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 3, 10, 1000])
def test_structural_virality_closed_forms(n):
    assert structural_virality([-1] + [0] * (n - 1)) == pytest.approx(2 * (n - 1) / n)
    assert structural_virality(np.arange(-1, n - 1)) == pytest.approx((n + 1) / 3)


def test_structural_virality_matches_all_pairs_bfs():
    rng = np.random.default_rng(3)
    for n in (2, 5, 17, 60):
        parent = np.r_[-1, [rng.integers(0, i) for i in range(1, n)]]
        assert structural_virality(parent) == pytest.approx(all_pairs_sv(parent))
    assert np.isnan(structural_virality([-1]))


def test_structural_virality_errors():
    with pytest.raises(DataError, match="exactly one root"):
        structural_virality([-1, -1])
    with pytest.raises(DataError, match="cycle"):
        structural_virality([-1, 2, 1])
    with pytest.raises(DataError, match="parent indices"):
        structural_virality([-1, 5])


def test_structural_virality_large_tree_is_fast():
    import time

    n = 100_000
    structural_virality([-1, 0])  # compile / load the kernel
    t0 = time.perf_counter()
    sv = structural_virality(np.arange(-1, n - 1))
    assert time.perf_counter() - t0 < 1.0
    assert sv == pytest.approx((n + 1) / 3)


def test_cascade_metrics_hand_example():
    # x: r -> a, b; a -> c -> d (times 0, 1, 2, 3, 10); y: single adopter s
    c = pd.DataFrame({
        "item_id": ["x"] * 5 + ["y"],
        "customer": ["r", "a", "b", "c", "d", "s"],
        "parent": [None, "r", "r", "a", "c", None],
        "time": [0.0, 1.0, 2.0, 3.0, 10.0, 5.0],
    })
    m = cascade_metrics(c)
    assert m["item_id"].tolist() == ["x", "y"]
    x = m.iloc[0]
    assert (x["root"], x["size"], x["depth"], x["max_breadth"], x["root_children"]) == ("r", 5, 3, 2, 2)
    assert (x["time_to_50"], x["time_to_90"], x["duration"]) == (2.0, 10.0, 10.0)  # 3rd and 5th adopter
    parent = [-1, 0, 0, 1, 3]
    assert x["structural_virality"] == pytest.approx(all_pairs_sv(parent))
    y = m.iloc[1]
    assert y["size"] == 1 and np.isnan(y["structural_virality"]) and y["time_to_50"] == 0.0


def test_cascade_metrics_star_and_path_cascades():
    n = 50
    star = pd.DataFrame({"item_id": "s", "customer": [str(i) for i in range(n)],
                         "parent": [None] + ["0"] * (n - 1), "time": np.arange(n, dtype=float)})
    path = pd.DataFrame({"item_id": "p", "customer": [str(i) for i in range(n)],
                         "parent": [None] + [str(i) for i in range(n - 1)], "time": np.arange(n, dtype=float)})
    m = cascade_metrics(pd.concat([star, path])).set_index("item_id")
    assert m.loc["s", "structural_virality"] == pytest.approx(2 * (n - 1) / n)
    assert m.loc["p", "structural_virality"] == pytest.approx((n + 1) / 3)
    assert (m.loc["s", "depth"], m.loc["s", "max_breadth"]) == (1, n - 1)
    assert (m.loc["p", "depth"], m.loc["p", "max_breadth"]) == (n - 1, 1)
    assert m.loc["p", "time_to_50"] == 24.0 and m.loc["p", "time_to_90"] == 44.0


def test_cascade_metrics_errors():
    base = {"item_id": ["x", "x"], "time": [0, 1]}
    with pytest.raises(DataError, match="more than once"):
        cascade_metrics(pd.DataFrame(dict(base, customer=["a", "a"], parent=[None, "a"])))
    with pytest.raises(DataError, match="not an adopter"):
        cascade_metrics(pd.DataFrame(dict(base, customer=["a", "b"], parent=[None, "q"])))
    with pytest.raises(DataError, match="cycle"):
        cascade_metrics(pd.DataFrame(dict(base, customer=["a", "b"], parent=["b", "a"])))
    with pytest.raises(SchemaError, match="parent"):
        cascade_metrics(pd.DataFrame(dict(base, customer=["a", "b"])))


# --------------------------------------------------------------------------------------------------
# Curves and influencers
# --------------------------------------------------------------------------------------------------

HAND = pd.DataFrame({
    "item_id": ["x"] * 5 + ["y", "y"],
    "customer": ["r", "a", "b", "c", "d", "a", "e"],
    "parent": [None, "r", "r", "a", "c", None, "a"],
    "time": [0.0, 1.0, 1.0, 3.0, 10.0, 5.0, 9.0],
})


def test_adoption_curves_per_item_and_aggregate():
    cur = adoption_curves(HAND)
    x = cur[cur["item_id"] == "x"]
    assert x["time"].tolist() == [0.0, 1.0, 3.0, 10.0]
    assert x["new"].tolist() == [1, 2, 1, 1] and x["adopters"].tolist() == [1, 3, 4, 5]
    assert x["fraction"].tolist() == pytest.approx([0.2, 0.6, 0.8, 1.0])
    agg = adoption_curves(HAND, by=None)
    assert agg["adopters"].iloc[-1] == len(HAND) and agg["adopters"].is_monotonic_increasing
    # aligned at each item's launch and binned by 2: x at 0,1,1 | 3 | 10 ; y at 0 | 4
    al = adoption_curves(HAND, by=None, elapsed=True, freq=2)
    assert al["elapsed"].tolist() == [0.0, 2.0, 4.0, 10.0]
    assert al["new"].tolist() == [4, 1, 1, 1]
    cas = adoption_curves(HAND, by="cascade")
    assert set(zip(cas["item_id"], cas["root"])) == {("x", "r"), ("y", "a")}
    with pytest.raises(ParameterError, match="by must be"):
        adoption_curves(HAND, by="customer")


def test_adoption_curves_on_datetimes_with_freq():
    c = reconstruct_cascades(log([("a", "b", 0), ("a", "c", 1800), ("b", "d", 3700)]))
    cur = adoption_curves(c, freq="1h")
    assert cur["new"].tolist() == [3, 1]
    assert cur["time"].iloc[1] == pd.Timestamp(3600, unit="s", tz="UTC")


def test_cascade_influencers_count_downstream_not_just_direct():
    inf = cascade_influencers(HAND)
    assert inf.index.name == "customer_id"
    assert inf.loc["r", "downstream"] == 4 and inf.loc["r", "direct"] == 2
    assert inf.loc["a", "downstream"] == 3 and inf.loc["a", "direct"] == 2  # c, d in x; e in y
    assert inf.loc["a", "adoptions"] == 2 and inf.loc["a", "seeded"] == 1 and inf.loc["a", "triggered"] == 2
    assert inf.index[:2].tolist() == ["r", "a"] and inf["rank"].tolist() == list(range(1, 7))
    # downstream sums to the sum of depths (each adoption counted once per ancestor)
    depths = reconstruct_like_depths(HAND)
    assert inf["downstream"].sum() == sum(depths)
    assert cascade_influencers(HAND, top=2).index.tolist() == ["r", "a"]
    with pytest.raises(ParameterError, match="top must be"):
        cascade_influencers(HAND, top=0)
    # the old keyword k= still works for one release, with a warning naming the new one
    with pytest.warns(DeprecationWarning, match="k= is renamed top="):
        assert cascade_influencers(HAND, k=2).index.tolist() == ["r", "a"]
    with pytest.warns(DeprecationWarning), pytest.raises(ParameterError, match="k must be"):
        cascade_influencers(HAND, k=0)
    with pytest.warns(DeprecationWarning), pytest.raises(ParameterError, match="give top= only"):
        cascade_influencers(HAND, top=2, k=2)
    assert cascade_influencers(HAND, top=2).attrs["provenance"]["parameters"] == {"top": 2}


def reconstruct_like_depths(c):
    par = dict(zip(zip(c["item_id"], c["customer"]), c["parent"]))
    out = []
    for (it, _), parent in par.items():
        d, p = 0, parent
        while p is not None and not pd.isna(p):
            d, p = d + 1, par[(it, p)]
        out.append(d)
    return out


def test_cascade_influencers_do_not_depend_on_row_order():
    inf = cascade_influencers(HAND)
    assert inf.equals(cascade_influencers(HAND.iloc[::-1]))


def test_cascade_tables_have_named_indexes():
    """Adoption rows: RangeIndex ``adoption``; cascades: ``cascade`` (each (item_id, root) once);
    curve points: ``point``; customers: ``customer_id``."""
    c = reconstruct_cascades(log([("a", "b", 0), ("a", "c", 1), ("b", "d", 2), ("e", "f", 3)]))
    assert c.index.name == "adoption" and c.index.equals(pd.RangeIndex(6, name="adoption"))
    m = cascade_metrics(c)
    assert m.index.name == "cascade" and m.index.tolist() == [0, 1]
    assert not m.duplicated(["item_id", "root"]).any() and m["root"].tolist() == ["a", "e"]
    assert adoption_curves(c).index.name == "point"
    assert cascade_influencers(c).index.name == "customer_id"
    # a cascade table with any index (here a shuffled, reversed one) gives the same metrics
    shuffled = c.iloc[[3, 5, 1, 0, 4, 2]].set_axis([9, 8, 7, 6, 5, 4])
    pd.testing.assert_frame_equal(cascade_metrics(shuffled), m)
