"""Community detection: known answers, invariants, directed and tiny graphs, errors, optima."""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from _community import (KARATE_MAX_Q, KARATE_MAX_Q_RES_05, KARATE_MAX_Q_RES_2, METHODS, groups, shuffled_copy,
                        two_cliques)  # noqa: F401,F811  (two_cliques is a fixture)
from netlib.community import communities, modularity
from netlib.errors import ParameterError

# --- known answers ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_karate_default_reaches_best_known_modularity(karate, seed):
    part = communities(karate, weight=None, seed=seed)
    assert part.attrs["modularity"] == pytest.approx(KARATE_MAX_Q, abs=1e-12)
    assert modularity(karate, part, weight=None) == pytest.approx(KARATE_MAX_Q, abs=1e-12)
    assert sorted(part.value_counts().tolist(), reverse=True) == [12, 11, 6, 5]
    # the two leaders end up apart, as in the club's split
    assert part[0] != part[33]


def test_karate_louvain_reaches_best_known_modularity(karate):
    part = communities(karate, method="louvain", weight=None, seed=7)
    assert part.attrs["modularity"] == pytest.approx(KARATE_MAX_Q, abs=1e-12)


@pytest.mark.parametrize("resolution, best", [(0.5, KARATE_MAX_Q_RES_05), (2.0, KARATE_MAX_Q_RES_2)])
def test_karate_best_known_modularity_at_other_resolutions(karate, resolution, best):
    part = communities(karate, weight=None, resolution=resolution, seed=11)
    assert part.attrs["modularity"] == pytest.approx(best, abs=1e-12)
    assert modularity(karate, part, weight=None, resolution=resolution) == pytest.approx(best, abs=1e-12)

def test_two_cliques_found_and_hub_joins_one_side(two_cliques):
    for method in METHODS:
        part = communities(two_cliques, method=method, seed=3)
        assert part.nunique() == 2, method
        assert len({part[f"a{i}"] for i in range(5)}) == 1
        assert len({part[f"b{i}"] for i in range(5)}) == 1
        assert part["a0"] != part["b0"]
        assert part[part == 0].size == 6  # the side holding the hub is the largest
        assert part["m"] == 0


# --- invariants ------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_partition_covers_every_node_once_and_ids_by_size(karate, method):
    part = communities(karate, method=method, seed=5)
    assert part.index.name == "customer_id"
    assert part.name == "community"
    assert part.dtype == np.int64
    assert part.index.is_unique and set(part.index) == set(karate.nodes)
    sizes = part.value_counts().sort_index()
    assert list(sizes.index) == list(range(len(sizes)))
    assert sizes.is_monotonic_decreasing

def test_equal_sizes_numbered_by_first_member(disconnected):
    part = communities(disconnected, seed=0)
    assert part.to_dict() == {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2}


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_same_partition(karate, method):
    a = communities(karate, method=method, seed=42, restarts=1)
    b = communities(karate, method=method, seed=42, restarts=1)
    pd.testing.assert_series_equal(a, b)
    c = communities(karate, method=method, seed=np.random.default_rng(42), restarts=3)
    d = communities(karate, method=method, seed=np.random.default_rng(42), restarts=3)
    pd.testing.assert_series_equal(c, d)


def test_global_random_state_untouched(karate):
    random.seed(123)
    np.random.seed(123)
    expected_py, expected_np = random.random(), np.random.random()
    random.seed(123)
    np.random.seed(123)
    for method in METHODS:
        communities(karate, method=method, seed=1, restarts=2)
    assert random.random() == expected_py
    assert np.random.random() == expected_np


@pytest.mark.parametrize("method", METHODS)
def test_insertion_order_does_not_matter(karate, method):
    base = communities(karate, method=method, seed=9, restarts=2)
    for s in range(3):
        other = communities(shuffled_copy(karate, s), method=method, seed=9, restarts=2)
        pd.testing.assert_series_equal(base, other, check_index_type=False)

# --- directed, disconnected, tiny graphs ---------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_directed_graph_symmetrised(directed_weighted, method):
    part = communities(directed_weighted, method=method, seed=0)
    assert set(part.index) == {"a", "b", "c", "d"}
    assert part.attrs["modularity"] == pytest.approx(modularity(directed_weighted, part))


def test_directed_leiden_uses_directed_modularity(directed_weighted):
    G = nx.DiGraph(directed_weighted)
    G.add_weighted_edges_from([("e", "f", 2.0), ("f", "g", 2.0), ("g", "e", 2.0), ("e", "a", 0.2)])
    part = communities(G, directed="directed", seed=0)
    assert part.attrs["modularity"] == pytest.approx(nx.community.modularity(G, groups(part)))
    assert part["e"] == part["f"] == part["g"] != part["a"]


@pytest.mark.parametrize("method", ["louvain", "label_propagation"])
def test_directed_objective_refused_where_unsupported(directed_weighted, method):
    with pytest.raises(ParameterError, match="no directed variant"):
        communities(directed_weighted, method=method, directed="directed")


@pytest.mark.parametrize("method", METHODS)
def test_disconnected_graph_with_isolate(disconnected, method):
    part = communities(disconnected, method=method, seed=0)
    assert part.to_dict() == {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2}


@pytest.mark.parametrize("method", METHODS)
def test_single_node_and_empty_graph(single_node, empty_graph, method):
    part = communities(single_node, method=method, seed=0)
    assert part.to_dict() == {"only": 0}
    assert math.isnan(part.attrs["modularity"])
    empty = communities(empty_graph, method=method, seed=0)
    assert empty.empty and empty.index.name == "customer_id" and empty.dtype == np.int64


def test_edgeless_graph_gives_singletons_and_nan_modularity():
    G = nx.Graph()
    G.add_nodes_from(["z", "x", "y"])
    part = communities(G, seed=0)
    assert part.to_dict() == {"x": 0, "y": 1, "z": 2}
    assert math.isnan(modularity(G, part))

# --- errors ----------------------------------------------------------------------------------


def test_error_messages(karate):
    with pytest.raises(ParameterError, match="method must be one of"):
        communities(karate, method="girvan_newman")
    with pytest.raises(ParameterError, match="resolution must be a positive number"):
        communities(karate, resolution=0)
    with pytest.raises(ParameterError, match="restarts must be a positive int"):
        communities(karate, restarts=0)
    with pytest.raises(ParameterError, match="directed must be one of"):
        communities(karate, directed="both")
    with pytest.raises(ParameterError, match="seed must be"):
        communities(karate, seed="abc")
    with pytest.raises(ParameterError, match="networkx graph"):
        communities({0: [1]})
    G = karate.copy()
    G[0][1]["weight"] = -1.0
    with pytest.raises(ParameterError, match="non-negative"):
        communities(G)

def test_provenance(karate):
    part = communities(karate, method="louvain", seed=3, resolution=1.2)
    assert part.attrs["function"] == "netlib.communities"
    assert part.attrs["parameters"]["method"] == "louvain"
    assert part.attrs["parameters"]["seed"] == 3
    assert part.attrs["restarts"] == 50


# --- public datasets -------------------------------------------------------------------------


@pytest.mark.datasets
@pytest.mark.parametrize("name, best", [("football", 0.6046), ("dolphins", 0.528519)])
def test_default_reaches_best_known_modularity_on_classics(datasets_dir, name, best):
    from netlib import datasets

    G = getattr(datasets, name)(data_home=datasets_dir)
    for seed in range(4):
        part = communities(G, seed=seed)
        assert part.attrs["modularity"] == pytest.approx(best, abs=5e-5 if name == "football" else 1e-6)
