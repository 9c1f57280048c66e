"""Stability across seeds and resolutions, and the resolution sweep."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from _community import KARATE_MAX_Q, KARATE_MAX_Q_RES_05, KARATE_MAX_Q_RES_2, shuffled_copy, two_cliques  # noqa: F401,F811  (two_cliques is a fixture)
from netlib.community import communities, community_stability, resolution_sweep
from netlib.errors import ParameterError

def test_stability_and_sweep_do_not_depend_on_insertion_order(karate):
    other = shuffled_copy(karate, 1)
    a = community_stability(karate, runs=3, seed=2, method="louvain")
    b = community_stability(other, runs=3, seed=2, method="louvain")
    pd.testing.assert_frame_equal(a.customers, b.customers, check_index_type=False)
    pd.testing.assert_frame_equal(resolution_sweep(karate, resolutions=[0.5, 2.0], seed=1),
                                  resolution_sweep(other, resolutions=[0.5, 2.0], seed=1))

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
    table = resolution_sweep(karate, resolutions=[0.5, 1.0, 2.0], weight=None, seed=6)
    assert table.index.name == "resolution"
    assert table.loc[1.0, "modularity"] == pytest.approx(KARATE_MAX_Q)
    assert table.loc[0.5, "quality"] == pytest.approx(KARATE_MAX_Q_RES_05)
    assert table.loc[2.0, "quality"] == pytest.approx(KARATE_MAX_Q_RES_2)
    assert table["n_communities"].is_monotonic_increasing
    assert math.isnan(table["nmi_previous"].iloc[0])
    part = communities(karate, weight=None, resolution=2.0, seed=6)
    assert part.nunique() == table.loc[2.0, "n_communities"]
    assert part.attrs["modularity"] == pytest.approx(table.loc[2.0, "quality"])


def test_resolutions_by_position_still_work_for_one_release(karate):
    with pytest.warns(DeprecationWarning, match=r"resolution_sweep: pass resolutions= by keyword"):
        old = resolution_sweep(karate, [0.5, 2.0], weight=None, seed=3)
    pd.testing.assert_frame_equal(old, resolution_sweep(karate, resolutions=[0.5, 2.0], weight=None, seed=3))
    with pytest.raises(TypeError, match="multiple values for argument 'resolutions'"):
        resolution_sweep(karate, [0.5], resolutions=[2.0])
    with pytest.raises(TypeError, match="takes 1 positional argument"):
        resolution_sweep(karate, [0.5], "leiden")


def test_stability_tables_name_their_index(karate):
    res = community_stability(karate, runs=2, seed=1)
    assert res.customers.index.name == "customer_id"
    assert res.runs.index.name == "run"
    assert res.ties.index.name == "tie" and len(res.ties) == karate.number_of_edges()
    assert res.reference.index.name == "customer_id" and res.reference.name == "community"
