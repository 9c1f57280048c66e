"""The community package: old import paths, pickles made before the split, one __all__ per module."""

from __future__ import annotations

import importlib
import pickle
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import netlib
import netlib.community as community
from netlib.community import communities, modularity

PICKLES = Path(__file__).parent / "data" / "pickles"
MODULES = ["_ties", "detect", "quality", "stability", "describe"]


def load(name: str):
    with open(PICKLES / f"{name}.pkl", "rb") as handle:
        return pickle.load(handle)


def test_every_name_imported_today_still_imports():
    # notebooks 03 and 05 and netlib/__init__ import these from netlib.community
    for name in ["communities", "community_bridges", "community_graph", "community_profiles",
                 "community_stability", "modularity", "partition_quality", "resolution_sweep",
                 "PartitionQuality", "StabilityResult", "METHODS", "DIRECTED_MODES", "MAX_AUTO_RESTARTS"]:
        assert hasattr(community, name), name
    for name in community.__all__:  # functions and result classes are the top-level ones
        assert name in netlib.__all__ and getattr(netlib, name) is getattr(community, name), name


def test_each_module_declares_all_and_defines_what_it_lists():
    for name in MODULES:
        module = importlib.import_module(f"netlib.community.{name}")
        assert isinstance(module.__all__, list)
        for public in module.__all__:  # defined there, not re-exported from a sibling
            value = getattr(module, public)
            assert not callable(value) or value.__module__ == module.__name__, (name, public)
    listed = [n for name in MODULES for n in importlib.import_module(f"netlib.community.{name}").__all__]
    assert set(community.__all__) <= set(listed)


def test_graph_pickled_after_communities_at_head_loads():
    from netlib._csr import _Conversions

    G = load("community_graph_after_communities")  # made at d769b3c: names netlib.community._Conversions
    assert community._Conversions is _Conversions
    assert type(G.__networkx_cache__["netlib.community"]) is _Conversions
    assert G.__networkx_cache__["netlib.community"] == {}
    assert nx.utils.graphs_equal(G, nx.karate_club_graph())
    part = communities(G, weight=None, seed=1)  # the kept (empty) store is filled and used again
    assert part.attrs["modularity"] == pytest.approx(0.4197896120973046, abs=1e-12)
    assert len(G.__networkx_cache__["netlib.community"]) == 1


def test_partition_quality_pickled_at_head_loads():
    quality = load("community_partition_quality")
    assert type(quality) is community.PartitionQuality
    G = nx.karate_club_graph()
    fresh = community.partition_quality(G, communities(G, weight=None, seed=1), weight=None)
    pd.testing.assert_series_equal(quality.summary, fresh.summary)
    pd.testing.assert_frame_equal(quality.communities, fresh.communities, check_like=True)
    assert quality.attrs["function"] == "netlib.partition_quality"


def test_stability_result_pickled_at_head_loads():
    result = load("community_stability_result")
    assert type(result) is community.StabilityResult
    assert result.memberships.shape == (3, 34)
    assert result.runs["resolution"].tolist() == [1.0, 1.0, 1.0]
    together = result.coassignment([0, 33])  # methods of the class work on the old object
    assert together.to_numpy().diagonal().tolist() == [1.0, 1.0]
    assert modularity(nx.karate_club_graph(), result.reference, weight=None) == pytest.approx(
        result.reference.attrs["modularity"])
    assert np.array_equal(result.reference.to_numpy(), result.memberships[int(result.runs["modularity"].idxmax())])
