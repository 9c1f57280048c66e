"""Community detection: known answers, invariants, directed and tiny graphs, errors, optima."""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from _community import (KARATE_MAX_Q, KARATE_MAX_Q_RES_05, KARATE_MAX_Q_RES_2, METHODS, best_modularity, groups,
                        modularity_matrix, shuffled_copy, two_cliques)  # noqa: F401,F811  (two_cliques: a fixture)
from netlib.community import communities, modularity
from netlib.community._ties import _to_ties
from netlib.community.detect import _Runner
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


# --- against every partition: the enumerated optimum ------------------------------------------


def small_graphs() -> dict[str, nx.Graph]:
    """Graphs of up to 10 nodes whose best partition is found by enumerating all of them."""
    rnd = random.Random(5)
    weighted = nx.gnp_random_graph(9, 0.45, seed=3)
    for u, v in weighted.edges:
        weighted[u][v]["weight"] = rnd.choice([0.5, 1.0, 2.0, 4.0])
    loops = nx.Graph([(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)])
    loops.add_edge(0, 0, weight=2.0)
    loops.add_edge(4, 4, weight=0.5)
    loops.add_node(6)  # an isolate
    return {
        "karate 0-9": nx.Graph(nx.karate_club_graph().subgraph(range(10))),
        "ring of cliques": nx.ring_of_cliques(4, 2),
        "petersen": nx.petersen_graph(),
        "weighted gnp": weighted,
        "loops and isolate": loops,
        "two triangles": nx.barbell_graph(3, 0),
    }


def small_digraphs() -> dict[str, nx.DiGraph]:
    rnd = random.Random(8)
    weighted = nx.gnp_random_graph(9, 0.3, seed=4, directed=True)
    for u, v in weighted.edges:
        weighted[u][v]["weight"] = rnd.choice([0.5, 1.0, 3.0])
    tail = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("a", "c"), ("d", "a"), ("e", "f"), ("f", "g"),
                       ("g", "e"), ("e", "a"), ("g", "g")])
    return {
        "issue 16": nx.DiGraph([(0, 1), (0, 3), (1, 2), (1, 3), (2, 0), (2, 1), (3, 4)]),
        "weighted gnp": weighted,
        "two cycles and a loop": tail,
        "one-way chain": nx.DiGraph([(i, i + 1) for i in range(7)]),
    }


RESOLUTIONS = [0.5, 1.0, 1.7, 3.0]
SEEDS = [0, 1, 2, 3]


def test_the_enumeration_scores_partitions_as_networkx_does():
    rnd = np.random.default_rng(0)
    cases = [(G, False) for G in small_graphs().values()] + [(G, d) for G in small_digraphs().values()
                                                             for d in (False, True)]
    for G, directed in cases:
        nodes, B = modularity_matrix(G, 1.3, directed=directed)
        for _ in range(5):
            labels = rnd.integers(0, 3, len(nodes))
            blocks = [{v for v, c in zip(nodes, labels) if c == k} for k in set(labels.tolist())]
            H = G if directed or not G.is_directed() else nx.Graph()
            if H is not G:  # networkx's directed formula is the directed objective: symmetrise by hand
                for u, v, w in G.edges(data="weight", default=1.0):
                    H.add_edge(u, v, weight=H.get_edge_data(u, v, {"weight": 0.0})["weight"] + w)
                H.add_nodes_from(G)
            expected = nx.community.modularity(H, blocks, weight="weight", resolution=1.3)
            assert float(np.sum(B * (labels[:, None] == labels[None, :]))) == pytest.approx(expected, abs=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["leiden", "louvain"])
@pytest.mark.parametrize("name", list(small_graphs()))
def test_every_seed_reaches_the_enumerated_optimum(name, method):
    G = small_graphs()[name]
    for res in RESOLUTIONS:
        best, _ = best_modularity(G, res)
        for seed in SEEDS:
            part = communities(G, method=method, resolution=res, seed=seed)
            assert part.attrs["modularity"] == pytest.approx(best, abs=1e-9), (name, method, res, seed)
            assert modularity(G, part, resolution=res) == pytest.approx(best, abs=1e-9)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(small_digraphs()))
def test_directed_leiden_reaches_the_enumerated_directed_optimum(name):
    G = small_digraphs()[name]
    for res in RESOLUTIONS:
        best, _ = best_modularity(G, res, directed=True)
        for seed in SEEDS:
            part = communities(G, directed="directed", resolution=res, seed=seed)
            assert part.attrs["modularity"] == pytest.approx(best, abs=1e-9), (name, res, seed)
            assert modularity(G, part, resolution=res, directed="directed") == pytest.approx(best, abs=1e-9)
        symmetrised, _ = best_modularity(G, res)  # and the default reading reaches its own optimum
        assert communities(G, resolution=res, seed=0).attrs["modularity"] == pytest.approx(symmetrised, abs=1e-9)


def test_issue_16_directed_example():
    # Leicht-Newman directed modularity: {0,1,2},{3,4} is the only best of the 52 partitions, Q = 8/49
    G = nx.DiGraph([(0, 1), (0, 3), (1, 2), (1, 3), (2, 0), (2, 1), (3, 4)])
    best, winners = best_modularity(G, 1.0, directed=True)
    assert best == pytest.approx(8 / 49) and winners.tolist() == [[0, 0, 0, 1, 1]]
    for seed in range(10):
        part = communities(G, directed="directed", seed=seed, restarts=1)
        assert groups(part) == [{0, 1, 2}, {3, 4}]
        assert part.attrs["modularity"] == pytest.approx(8 / 49)
        assert nx.community.modularity(G, groups(part)) == pytest.approx(8 / 49)


def test_louvain_at_other_resolutions_reaches_the_known_optimum(karate):
    # python-louvain 0.16 alone stops at 0.6113 for seed 1 (γ on the wrong term of its stopping score)
    for seed in range(5):
        part = communities(karate, method="louvain", weight=None, resolution=0.5, seed=seed)
        assert part.attrs["modularity"] == pytest.approx(KARATE_MAX_Q_RES_05, abs=1e-12)


def test_python_louvain_alone_stops_early_at_other_resolutions(karate):
    """Why netlib corrects python-louvain's stopping score. When this fails, python-louvain has been
    fixed upstream and the correction (``detect._louvain_dendrogram``) can go."""
    import community as community_louvain

    from netlib.community.detect import _louvain_dendrogram

    generate, at_level = _louvain_dendrogram()

    def corrected(**kwargs) -> dict:
        levels = generate(karate, **kwargs)
        return at_level(levels, len(levels) - 1)

    upstream = community_louvain.best_partition(karate, weight="none", resolution=0.5, random_state=1)
    assert modularity(karate, upstream, weight=None, resolution=0.5) == pytest.approx(0.6113, abs=5e-5)
    ours = corrected(weight="none", resolution=0.5, random_state=1)
    assert modularity(karate, ours, weight=None, resolution=0.5) == pytest.approx(KARATE_MAX_Q_RES_05)
    for seed in range(3):  # at γ = 1 the two are the same computation
        assert community_louvain.best_partition(karate, random_state=seed) == corrected(random_state=seed)


@pytest.mark.parametrize("name", ["karate 0-9", "weighted gnp", "ring of cliques", "petersen"])
def test_label_propagation_ends_in_a_dominant_community(name):
    """What label propagation guarantees: every customer with ties ends in a community holding the
    largest share of their tie weight (no modularity optimum); and the restart kept scores best."""
    G = small_graphs()[name]
    for seed in SEEDS:
        part = communities(G, method="label_propagation", seed=seed, restarts=5)
        for v in G:
            pull = {}
            for u, w in ((u, d.get("weight", 1.0)) for u, d in G[v].items() if u != v):
                pull[part[u]] = pull.get(part[u], 0.0) + w
            if pull:
                assert pull.get(part[v], 0.0) == pytest.approx(max(pull.values())), (name, seed, v)
        runner = _Runner(_to_ties(G, "weight"), "label_propagation", 1.0)
        runs = [modularity(G, dict(zip(sorted(G), runner.run(s)))) for s in _run_seeds(seed, 5)]
        assert part.attrs["modularity"] == pytest.approx(max(runs))
        assert part.attrs["modularity"] <= best_modularity(G, 1.0)[0] + 1e-12


def _run_seeds(seed: int, restarts: int) -> list[int]:
    """The int seeds ``communities(seed=seed, restarts=...)`` gives its runs."""
    from netlib._util import int_seed

    rng = np.random.default_rng(seed)
    return [int_seed(rng) for _ in range(restarts)]
