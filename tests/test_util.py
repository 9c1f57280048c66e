"""Shared private helpers (netlib._util, netlib._csr) checked against the library code they stand in for."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from netlib._util import factorize_sorted

ids = st.one_of(st.text(max_size=6), st.none(), st.just(np.nan))


def same_as_pandas(values: list, use_na_sentinel: bool) -> None:
    arr = np.array(values, dtype=object)
    codes, uniques = factorize_sorted(arr, use_na_sentinel=use_na_sentinel)
    want_codes, want_uniques = pd.factorize(arr, sort=True, use_na_sentinel=use_na_sentinel)
    np.testing.assert_array_equal(codes, want_codes)
    assert pd.Index(uniques).equals(pd.Index(want_uniques))


@settings(max_examples=200, deadline=None)
@given(st.lists(ids, max_size=40), st.booleans())
def test_factorize_sorted_matches_pandas_on_text(values, use_na_sentinel):
    same_as_pandas(values, use_na_sentinel)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.integers(-5, 5), st.text(max_size=3), st.none()), max_size=20), st.booleans())
def test_factorize_sorted_falls_back_to_pandas_on_other_values(values, use_na_sentinel):
    same_as_pandas(values, use_na_sentinel)


def test_factorize_sorted_orders_by_code_point():
    codes, uniques = factorize_sorted(np.array(["é", "Z", "a", None, "ab", "😀", "a"], dtype=object))
    assert list(uniques) == ["Z", "a", "ab", "é", "😀"]
    assert codes.tolist() == [3, 0, 1, -1, 2, 4, 1]


def test_arc_positions_agree_with_networkx_for_every_kind_of_id():
    import networkx as nx

    from netlib._csr import node_order, to_csr

    base = nx.gnm_random_graph(60, 200, seed=3, directed=True)
    for name in (lambda v: f"c{v:03d}", lambda v: f"é{v}\ud800" if v % 7 == 0 else f"x{v}", lambda v: (v % 5, v),
                 lambda v: v * 7 + 3, lambda v: -v * 10**12, lambda v: 2**70 + v):
        G = nx.relabel_nodes(base, {v: name(v) for v in base})
        for u, v in list(G.edges())[::3]:
            G[u][v]["weight"] = 2.5
        nodes = node_order(G)
        want = nx.to_scipy_sparse_array(G, nodelist=nodes, weight="weight", format="csr")
        got = to_csr(G, weight="weight").matrix
        assert (got != want).nnz == 0


def test_arc_weights_read_every_edge_when_few_carry_the_attribute():
    import networkx as nx

    from netlib._csr import arc_arrays, to_csr

    G = nx.path_graph(6)
    assert to_csr(G, default=2.0).weights.tolist() == [2.0] * 10  # no edge has a weight: the default
    nx.set_edge_attributes(G, {(4, 5): {"cost": 1.0}})  # other attributes do not count as weights
    assert to_csr(G).weights.tolist() == [1.0] * 10
    G.add_edge(4, 5, weight=7.0)  # only the last edge read carries one
    want = nx.to_scipy_sparse_array(G, nodelist=range(6), weight="weight", format="csr")
    assert (to_csr(G).matrix != want).nnz == 0
    M = nx.MultiGraph([(0, 1), (0, 1), (1, 2)])
    M.add_edge(1, 2, weight=3.0)
    *_, rows, cols, w = arc_arrays(M, weight=None)
    assert dict(zip(zip(rows.tolist(), cols.tolist()), w.tolist())) == {(0, 1): 2.0, (1, 0): 2.0, (1, 2): 2.0,
                                                                      (2, 1): 2.0}
    *_, w = arc_arrays(M)
    assert sorted(w.tolist()) == [2.0, 2.0, 4.0, 4.0]
