"""Community profiles, bridges and the meta-graph: hand-worked answers and conservation."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from _community import shuffled_copy, two_cliques  # noqa: F401,F811  (two_cliques is a fixture)
from netlib.community import communities, community_bridges, community_graph, community_profiles
from netlib.errors import ParameterError


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


def test_profiles_and_bridges_do_not_depend_on_insertion_order(karate):
    other = shuffled_copy(karate, 1)
    part = communities(karate, seed=0)
    pd.testing.assert_frame_equal(community_profiles(karate, part), community_profiles(other, part))
    pd.testing.assert_frame_equal(community_bridges(karate, part), community_bridges(other, part),
                                  check_index_type=False)


def test_community_graph_conserves_weight(karate):
    part = communities(karate, seed=3)
    H = community_graph(karate, part)
    assert sorted(H.nodes) == list(range(part.nunique()))
    total = sum(w for _, _, w in karate.edges(data="weight"))
    meta = sum(w for _, _, w in H.edges(data="weight")) + sum(d for _, d in H.nodes(data="internal_weight"))
    assert meta == pytest.approx(total)
    assert sum(d for _, d in H.nodes(data="size")) == karate.number_of_nodes()
    assert sum(t for *_, t in H.edges(data="ties")) + sum(d for _, d in H.nodes(data="internal_ties")) == 78
