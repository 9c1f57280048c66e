"""Communities: known answers, invariants, agreement with networkx, edge cases and errors."""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netlib.community import (
    communities,
    community_bridges,
    community_graph,
    community_profiles,
    community_stability,
    modularity,
    partition_quality,
    resolution_sweep,
)
from netlib.errors import ParameterError

KARATE_MAX_Q = 0.4197896120973046  # igraph's exact optimum (REFERENCE_VALUES.md, [P])
KARATE_MAX_Q_RES_05 = 0.6217948717948718
KARATE_MAX_Q_RES_2 = 0.16452991452991447
METHODS = ["leiden", "louvain", "label_propagation"]


def groups(part: pd.Series) -> list[set]:
    return [set(part.index[part == c]) for c in range(part.nunique())]


def shuffled_copy(G: nx.Graph, seed: int) -> nx.Graph:
    """The same graph with nodes and edges inserted in another order."""
    rnd = random.Random(seed)
    nodes = list(G.nodes(data=True))
    edges = list(G.edges(data=True))
    rnd.shuffle(nodes)
    rnd.shuffle(edges)
    H = G.__class__()
    H.add_nodes_from(nodes)
    H.add_edges_from(edges)
    return H


@pytest.fixture
def two_cliques() -> nx.Graph:
    """Two 5-cliques (a0..a4, b0..b4) and a hub 'm' tied once to a0 and once to b0."""
    G = nx.Graph()
    for side in "ab":
        members = [f"{side}{i}" for i in range(5)]
        G.add_edges_from((u, v) for i, u in enumerate(members) for v in members[i + 1:])
    G.add_edges_from([("m", "a0"), ("m", "b0")])
    return G


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


def test_modularity_hand_worked():
    # barbell of two triangles: m = 7, each side L_c = 3, d_c = 7 → Q = 2 (3/7 − 1/4) = 5/14
    G = nx.barbell_graph(3, 0)
    assert modularity(G, [{0, 1, 2}, {3, 4, 5}]) == pytest.approx(5 / 14)
    assert modularity(G, {v: 0 for v in G}) == pytest.approx(0.0)
    # γ scales the null-model term only: Q_γ = 2 (3/7 − γ/4)
    assert modularity(G, [{0, 1, 2}, {3, 4, 5}], resolution=2.0) == pytest.approx(2 * (3 / 7 - 0.5))


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


def test_other_analyses_do_not_depend_on_insertion_order(karate):
    other = shuffled_copy(karate, 1)
    a = community_stability(karate, runs=3, seed=2, method="louvain")
    b = community_stability(other, runs=3, seed=2, method="louvain")
    pd.testing.assert_frame_equal(a.customers, b.customers, check_index_type=False)
    pd.testing.assert_frame_equal(resolution_sweep(karate, [0.5, 2.0], seed=1),
                                  resolution_sweep(other, [0.5, 2.0], seed=1))
    part = communities(karate, seed=0)
    pd.testing.assert_frame_equal(community_profiles(karate, part), community_profiles(other, part))
    pd.testing.assert_frame_equal(community_bridges(karate, part), community_bridges(other, part),
                                  check_index_type=False)


def test_modularity_agrees_with_networkx(karate):
    part = communities(karate, seed=2)  # weighted (the karate graph carries 'weight')
    for weight in ("weight", None):
        for res in (0.7, 1.0, 1.5):
            assert modularity(karate, part, weight=weight, resolution=res) == pytest.approx(
                nx.community.modularity(karate, groups(part), weight=weight, resolution=res), abs=1e-12)
    # self-loops count as in networkx
    G = karate.copy()
    G.add_edge(0, 0, weight=3.0)
    G.add_edge(33, 33, weight=1.0)
    assert modularity(G, part) == pytest.approx(nx.community.modularity(G, groups(part)), abs=1e-12)


def test_directed_modularity_agrees_with_networkx(directed_weighted):
    part = {"a": 0, "b": 0, "c": 1, "d": 1}
    sets = [{"a", "b"}, {"c", "d"}]
    assert modularity(directed_weighted, part, directed="directed") == pytest.approx(
        nx.community.modularity(directed_weighted, sets))
    # symmetrise: summed weights, then ordinary modularity
    U = nx.Graph()
    for u, v, w in directed_weighted.edges(data="weight"):
        prior = U.get_edge_data(u, v, {"weight": 0.0})["weight"]
        U.add_edge(u, v, weight=prior + w)
    assert U["a"]["c"]["weight"] == 4.0
    assert modularity(directed_weighted, part) == pytest.approx(nx.community.modularity(U, sets))


def test_partition_inputs_are_equivalent(karate):
    part = communities(karate, seed=1)
    as_dict = {v: f"label-{c}" for v, c in part.items()}
    q = modularity(karate, part)
    assert modularity(karate, as_dict) == pytest.approx(q)
    assert modularity(karate, groups(part)) == pytest.approx(q)


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


def two_triangles(w_bridge: float = 1.0) -> nx.Graph:
    """Triangles a0-a1-a2 and b0-b1-b2 joined by a0-b0."""
    G = nx.Graph()
    G.add_weighted_edges_from([("a0", "a1", 1.0), ("a1", "a2", 1.0), ("a0", "a2", 1.0),
                               ("b0", "b1", 1.0), ("b1", "b2", 1.0), ("b0", "b2", 1.0),
                               ("a0", "b0", w_bridge)])
    return G


def expected_q(G: nx.Graph, part: pd.Series) -> float:
    return nx.community.modularity(G, [set(part.index[part == c]) for c in part.unique()], weight="weight")


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


# --- quality ---------------------------------------------------------------------------------


def test_partition_quality_agrees_with_networkx(karate):
    part = communities(karate, weight=None, seed=0)
    qual = partition_quality(karate, part, weight=None)
    coverage, performance = nx.community.partition_quality(karate, groups(part))
    assert qual.summary["coverage"] == pytest.approx(coverage)
    assert qual.summary["performance"] == pytest.approx(performance)
    assert qual.summary["modularity"] == pytest.approx(KARATE_MAX_Q)
    for c, row in qual.communities.iterrows():
        assert row["conductance"] == pytest.approx(nx.conductance(karate, set(part.index[part == c])))
        assert row["size"] == (part == c).sum()
    assert qual.communities["internal_ties"].sum() == pytest.approx(coverage * karate.number_of_edges())


def test_partition_quality_against_truth(karate):
    truth = pd.Series({v: karate.nodes[v]["club"] for v in karate})
    perfect = partition_quality(karate, truth, weight=None, truth=truth)
    assert perfect.summary["nmi"] == pytest.approx(1.0)
    assert perfect.summary["ami"] == pytest.approx(1.0)
    assert perfect.summary["ari"] == pytest.approx(1.0)
    assert list(perfect.communities.index) == ["Mr. Hi", "Officer"]
    # hand-worked: all in one community vs two clubs → NMI 0, ARI 0
    lumped = partition_quality(karate, {v: 0 for v in karate}, weight=None, truth=truth)
    assert lumped.summary["nmi"] == pytest.approx(0.0)
    assert lumped.summary["ari"] == pytest.approx(0.0)
    assert lumped.summary["coverage"] == pytest.approx(1.0)
    # labels for only some customers: scored on those
    partial = partition_quality(karate, truth, weight=None, truth=truth.iloc[:10])
    assert partial.summary["n_compared"] == 10
    with pytest.raises(ParameterError, match="no customer of the graph"):
        partition_quality(karate, truth, truth={"x": 1})


# --- stability and resolution sweep ----------------------------------------------------------


def test_stability_finds_the_boundary_hub(two_cliques):
    # label propagation breaks the hub's tie at random, so the hub changes side between runs
    res = community_stability(two_cliques, method="label_propagation", runs=20, seed=4)
    cust = res.customers
    assert cust.index.name == "customer_id"
    assert bool(cust.at["m", "boundary"])
    assert cust.loc[cust.index != "m", "boundary"].sum() == 0
    assert cust.at["m", "closest_other"] != cust.at["m", "community"]
    together_a = res.coassignment(["m", "a1", "b1"])
    assert 0 < together_a.at["m", "a1"] < 1 and together_a.at["m", "a1"] + together_a.at["m", "b1"] == 1
    assert together_a.at["a1", "b1"] == 0
    # members of the clique the hub is not in (in the reference) always keep all their co-members
    far = "b" if cust.at["m", "community"] == cust.at["a1", "community"] else "a"
    assert cust.loc[[f"{far}{i}" for i in range(5)], "stability"].min() == pytest.approx(1.0)
    assert cust.at["m", "other_affinity"] == pytest.approx(1 - cust.at["m", "stability"])
    tie = res.ties[(res.ties.source == "a0") & (res.ties.target == "m")]
    assert float(tie["together"].iloc[0]) == pytest.approx(together_a.at["m", "a1"])
    full = res.coassignment()
    assert np.allclose(full.to_numpy(), full.to_numpy().T) and np.allclose(np.diag(full), 1.0)
    assert len(res.runs) == 20 and set(res.runs.columns) >= {"resolution", "seed", "modularity", "ari", "nmi"}
    assert res.reference.attrs["modularity"] == res.runs["modularity"].max()


def test_stability_is_seeded_and_spans_resolutions(karate):
    a = community_stability(karate, weight=None, runs=3, resolutions=[0.5, 1.0, 2.0], seed=8)
    b = community_stability(karate, weight=None, runs=3, resolutions=[0.5, 1.0, 2.0], seed=8)
    pd.testing.assert_frame_equal(a.customers, b.customers)
    assert (a.memberships == b.memberships).all()
    assert a.runs["resolution"].tolist() == [0.5] * 3 + [1.0] * 3 + [2.0] * 3
    assert a.runs.groupby("resolution")["n_communities"].max().is_monotonic_increasing
    assert a.reference.attrs["modularity"] == pytest.approx(KARATE_MAX_Q)
    with pytest.raises(ParameterError, match="runs must be a positive int"):
        community_stability(karate, runs=0)
    with pytest.raises(ParameterError, match="at most 5,000"):
        a.coassignment(list(karate.nodes) * 200)


def test_resolution_sweep_matches_communities(karate):
    table = resolution_sweep(karate, [0.5, 1.0, 2.0], weight=None, seed=6)
    assert table.index.name == "resolution"
    assert table.loc[1.0, "modularity"] == pytest.approx(KARATE_MAX_Q)
    assert table.loc[0.5, "quality"] == pytest.approx(KARATE_MAX_Q_RES_05)
    assert table.loc[2.0, "quality"] == pytest.approx(KARATE_MAX_Q_RES_2)
    assert table["n_communities"].is_monotonic_increasing
    assert math.isnan(table["nmi_previous"].iloc[0])
    part = communities(karate, weight=None, resolution=2.0, seed=6)
    assert part.nunique() == table.loc[2.0, "n_communities"]
    assert part.attrs["modularity"] == pytest.approx(table.loc[2.0, "quality"])


# --- profiles, bridges, meta-graph -----------------------------------------------------------


def test_profiles_hand_worked(two_cliques):
    part = communities(two_cliques, seed=0)
    prof = community_profiles(two_cliques, part, top=2)
    side_m = prof.loc[0]
    assert side_m["size"] == 6 and side_m["internal_ties"] == 11 and side_m["external_ties"] == 1
    assert side_m["density"] == pytest.approx(11 / 15)
    assert prof.loc[1, "density"] == pytest.approx(1.0)
    # conductance: cut 1, volumes 23 and 21 → 1 / min(23, 21) for both sides
    assert side_m["conductance"] == pytest.approx(1 / 21)
    assert prof.loc[1, "conductance"] == pytest.approx(1 / 21)
    assert prof.loc[0, "main_neighbour"] == 1 and prof.loc[0, "main_neighbour_weight"] == 1.0
    # the member tied outside ranks first by degree
    assert prof.loc[0, "top_members"][0] == ("a0" if part["m"] == part["a0"] else "b0")
    assert prof.attrs["top_by"] == "degree"
    assert prof["bridges"].tolist() == [1, 1]


def test_profiles_with_centrality_and_behaviour(karate):
    part = communities(karate, weight=None, seed=0)
    score = pd.Series({v: -float(v) for v in karate}, name="custom")
    prof = community_profiles(karate, part, weight=None, centrality=score, top=3)
    for c, row in prof.iterrows():
        assert row["top_members"] == sorted(part.index[part == c])[:3]
    assert prof.attrs["top_by"] == "custom"
    cent = pd.DataFrame({"pagerank": pd.Series(nx.pagerank(karate)), "degree": pd.Series(dict(karate.degree()))})
    with pytest.raises(ParameterError, match="rank_by"):
        community_profiles(karate, part, centrality=cent)
    by_pr = community_profiles(karate, part, centrality=cent, rank_by="pagerank", top=1)
    leaders = {row["top_members"][0] for _, row in by_pr.iterrows()}
    assert {0, 33} <= leaders
    behaviour = pd.DataFrame({"access": 1.0, "engage": 0.0, "collaborate": 0.0}, index=list(karate.nodes))
    behaviour.loc[part.index[part == 0], "collaborate"] = 5.0
    prof = community_profiles(karate, part, behaviour=behaviour)
    assert prof.loc[0, "dominant_behaviour"] == "collaborate"
    assert prof.loc[1, "dominant_behaviour"] == "access"
    assert prof.loc[0, "mean_collaborate"] == pytest.approx(5.0)


def test_bridges_participation_coefficient(two_cliques):
    part = communities(two_cliques, seed=0)
    bridges = community_bridges(two_cliques, part)
    assert bridges.index.name == "customer_id"
    hub_side = "a0" if part["m"] == part["a0"] else "b0"
    other = "b0" if hub_side == "a0" else "a0"
    # hub: one tie each way → 1 − (½² + ½²) = ½; the far clique's contact: 4 inside, 1 out → 1 − (0.8² + 0.2²)
    assert set(bridges.index) == {"m", other}
    assert bridges.at["m", "participation"] == pytest.approx(0.5)
    assert bridges.at[other, "participation"] == pytest.approx(1 - 0.8 ** 2 - 0.2 ** 2)
    assert bridges.index[0] == "m" and bridges.at["m", "other_communities"] == 1


def test_community_graph_conserves_weight(karate):
    part = communities(karate, seed=3)
    H = community_graph(karate, part)
    assert sorted(H.nodes) == list(range(part.nunique()))
    total = sum(w for _, _, w in karate.edges(data="weight"))
    meta = sum(w for _, _, w in H.edges(data="weight")) + sum(d for _, d in H.nodes(data="internal_weight"))
    assert meta == pytest.approx(total)
    assert sum(d for _, d in H.nodes(data="size")) == karate.number_of_nodes()
    assert sum(t for *_, t in H.edges(data="ties")) + sum(d for _, d in H.nodes(data="internal_ties")) == 78


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


@pytest.mark.datasets
def test_polbooks_and_email_against_ground_truth(datasets_dir):
    from netlib import datasets

    books = datasets.polbooks(data_home=datasets_dir)
    truth = datasets.ground_truth(books)
    assert modularity(books, truth) == pytest.approx(0.4149, abs=5e-5)  # REFERENCE_VALUES.md [C]
    leiden = [communities(books, seed=s).attrs["modularity"] for s in range(3)]
    assert max(leiden) - min(leiden) < 1e-12  # the same best value every seed
    assert min(leiden) > 0.4149
    email = datasets.email_eu_core(data_home=datasets_dir)
    depts = datasets.ground_truth(email)
    simple = nx.Graph(email)
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    assert modularity(simple, depts) == pytest.approx(0.2880, abs=5e-5)
    part = communities(email, seed=0)
    qual = partition_quality(email, part, truth=depts)
    assert qual.summary["modularity"] > 0.43
    assert qual.summary["nmi"] > 0.55
