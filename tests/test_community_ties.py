"""The graph as arrays: partitions read from any form, ids kept, the conversion kept between calls."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from _community import expected_q, groups, two_triangles
from netlib.community import communities, community_bridges, modularity
from netlib.errors import ParameterError

def test_customer_index_keeps_the_ids():
    G = nx.path_graph(6)
    part = communities(G, seed=0)
    assert isinstance(part.index, pd.RangeIndex)  # ids 0..n-1 stay a range
    part.index.name = "renamed"  # in place: later results on the same graph keep their own name
    assert communities(G, seed=0).index.name == "customer_id"
    assert community_bridges(G, part).index.name == "customer_id"
    for mapping in ({v: v + 1 for v in G}, {2: 9}, {v: f"c{v}" for v in G}, {2: np.int64(2)}):
        H = nx.relabel_nodes(G, mapping)
        part = communities(H, seed=0)
        assert part.index.name == "customer_id" and not isinstance(part.index, pd.RangeIndex)
        assert list(part.index) == sorted(H)

def test_partition_inputs_are_equivalent(karate):
    part = communities(karate, seed=1)
    as_dict = {v: f"label-{c}" for v, c in part.items()}
    q = modularity(karate, part)
    assert modularity(karate, as_dict) == pytest.approx(q)
    assert modularity(karate, groups(part)) == pytest.approx(q)

def test_multigraph_parallel_edges_are_summed():
    M = nx.MultiGraph()
    M.add_edge(0, 1, weight=1.0)
    M.add_edge(0, 1, weight=2.0)
    M.add_edges_from([(1, 2), (2, 3)])
    S = nx.Graph()
    S.add_edge(0, 1, weight=3.0)
    S.add_edges_from([(1, 2), (2, 3)])
    part = {0: 0, 1: 0, 2: 1, 3: 1}
    assert modularity(M, part) == pytest.approx(nx.community.modularity(S, [{0, 1}, {2, 3}]))


def test_graph_views_and_conversion_paths_agree(karate, directed_weighted):
    from netlib._csr import to_csr
    from netlib.community._ties import _to_ties

    view = karate.subgraph([v for v in karate if v != 11])  # a filtered view takes the generic path
    copy = nx.Graph(view)
    pd.testing.assert_series_equal(communities(view, seed=1), communities(copy, seed=1))
    for G in (karate, directed_weighted):
        ties = _to_ties(G, "weight")
        A = to_csr(G, weight="weight", self_loops=True).matrix
        S = (A + A.T).toarray() if G.is_directed() else A.toarray()
        dense = np.zeros_like(S)
        dense[ties.u, ties.v] = ties.w
        assert np.allclose(dense + dense.T, S)

# --- the conversion kept between calls -------------------------------------------------------

def test_unchanged_graph_reuses_its_conversion(karate):
    from netlib.community._ties import _to_ties

    first = _to_ties(karate, "weight")
    assert _to_ties(karate, "weight") is first
    assert _to_ties(karate, None) is not first  # another weight attribute is another conversion
    with pytest.raises(ValueError, match="read-only"):
        first.w[0] = 5.0
    assert _to_ties(karate.copy(), "weight") is not first


@pytest.mark.parametrize("change", ["in place", "set_edge_attributes", "add_edge", "remove_edge", "add_node"])
def test_changed_graph_is_converted_again(change):
    G = two_triangles()
    part = pd.Series({v: 0 if v[0] == "a" else 1 for v in G})
    assert modularity(G, part) == pytest.approx(expected_q(G, part))
    if change == "in place":
        G["a0"]["b0"]["weight"] = 20.0  # bypasses networkx's cache clearing
    elif change == "set_edge_attributes":
        nx.set_edge_attributes(G, {("a0", "b0"): 20.0}, "weight")
    elif change == "add_edge":
        G.add_edge("a1", "b1", weight=3.0)
    elif change == "remove_edge":
        G.remove_edge("a1", "a2")
    else:
        G.add_node("c")
        part["c"] = 2
    assert modularity(G, part) == pytest.approx(expected_q(G, part))
    after = communities(G, seed=0)
    fresh = communities(nx.Graph(G), seed=0)  # a new graph object: nothing cached
    pd.testing.assert_series_equal(after, fresh)
    assert after.attrs["modularity"] == pytest.approx(fresh.attrs["modularity"])


def test_heavy_bridge_edited_in_place_changes_the_partition():
    G = two_triangles()
    assert communities(G, seed=0).nunique() == 2
    G["a0"]["b0"]["weight"] = 50.0
    part = communities(G, seed=0)
    assert part["a0"] == part["b0"] and part["a1"] != part["b1"]


def test_views_follow_their_parent():
    G = two_triangles()
    view = G.subgraph(["a0", "a1", "a2", "b0"])
    part = pd.Series({"a0": 0, "a1": 0, "a2": 0, "b0": 1})
    before = modularity(view, part)
    G.add_edge("a1", "b0")  # clears G's cache, not the view's: views are never cached
    assert modularity(view, part) == pytest.approx(expected_q(nx.Graph(view), part))
    assert modularity(view, part) != pytest.approx(before)


def test_a_change_releases_the_kept_conversion():
    import gc
    import weakref

    from netlib.community._ties import _to_ties

    G = two_triangles()
    kept = weakref.ref(_to_ties(G, "weight"))
    gc.collect()
    assert kept() is not None
    G.add_edge("a1", "b1")
    gc.collect()
    assert kept() is None


def test_pickled_graph_carries_no_conversion(karate):
    import copy
    import pickle

    size = len(pickle.dumps(karate))
    communities(karate, seed=0)
    assert len(pickle.dumps(karate)) < size + 200  # an empty conversion store
    clone = pickle.loads(pickle.dumps(karate))
    assert clone.__networkx_cache__["netlib.community"] == {}
    assert copy.deepcopy(karate).__networkx_cache__["netlib.community"] == {}
    pd.testing.assert_series_equal(communities(clone, seed=0), communities(karate, seed=0))

def test_partition_errors(karate):
    part = communities(karate, seed=0)
    with pytest.raises(ParameterError, match="missing, e.g. 33"):
        modularity(karate, part.drop(33))
    with pytest.raises(ParameterError, match="not in the graph, e.g. 'ghost'"):
        modularity(karate, {**part.to_dict(), "ghost": 0})
    with pytest.raises(ParameterError, match="more than one community"):
        modularity(karate, [set(range(20)), set(range(19, 34))])
    with pytest.raises(ParameterError, match="missing community label"):
        modularity(karate, part.astype(float).where(part.index != 5))
    with pytest.raises(ParameterError, match="missing community label"):
        modularity(karate, part.astype(object).where(part.index != 5))
    with pytest.raises(ParameterError, match="1 customer\\(s\\) not in the graph, e.g. 'ghost'"):
        modularity(karate, pd.concat([part.drop(33), pd.Series({"ghost": 0})]))


def test_a_series_is_read_as_the_loop_reads_any_mapping():
    # a Series is read by one index lookup: codes (first appearance in node order) and labels (with
    # their types) are the ones the customer-by-customer loop gave
    from netlib.community._ties import _membership, _to_ties

    G = nx.relabel_nodes(nx.karate_club_graph(), {v: f"c{v:02d}" for v in range(34)})
    ties = _to_ties(G, "weight")
    part = communities(G, seed=3)
    for series in (part, part.iloc[::-1], ("g" + part.astype(str)).sample(frac=1.0, random_state=1),
                   part.astype("Int64"), part.astype(np.int32)):
        codes, labels = _membership(ties, series, with_labels=True)
        want_codes, want_labels = pd.factorize(pd.Series([series[v] for v in ties.nodes], dtype=object))
        want_labels = list(want_labels)
        np.testing.assert_array_equal(codes, want_codes)
        assert labels == want_labels and [type(v) for v in labels] == [type(v) for v in want_labels]
    assert _membership(ties, part).tolist() == pd.factorize(part.to_numpy())[0].tolist()
