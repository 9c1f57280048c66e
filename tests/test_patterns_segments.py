"""Tests for netlib.patterns.segments: segments and the behaviour ladder."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _patterns_data import _mix_profiles, _profiles, hand_log

from netlib.errors import ParameterError
from netlib.patterns import BEHAVIOURS, behaviour_ladder, segments


@pytest.fixture
def hand():
    return hand_log()

def test_segments_find_planted_groups_by_silhouette():
    prof = _mix_profiles()
    seg = segments(prof, seed=7)
    assert seg.attrs["k"] == 3 and seg.attrs["criterion"] == "silhouette"
    assert max(seg.attrs["scores"], key=seg.attrs["scores"].get) == 3
    assert seg["segment"].value_counts().sort_index().tolist() == [10, 6, 4]
    assert seg.loc["c00", "segment_name"] == "access"
    assert seg.loc["c10", "segment_name"] == "connect"
    assert seg.loc["c19", "segment_name"] == "collaborate + connect"
    assert (seg["segment"].iloc[:10] == 0).all() and (seg["segment"].iloc[16:] == 2).all()
    assert seg.attrs["centers"][1]["connect"] == pytest.approx(0.7, abs=0.03)


def test_segments_deterministic_for_seed_and_row_order():
    prof = _mix_profiles()
    a = segments(prof, seed=11, k_range=(2, 5))
    b = segments(prof.sample(frac=1.0, random_state=1), seed=11, k_range=(2, 5))
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["scores"] == b.attrs["scores"]


def test_segments_chosen_on_a_subsample_still_assign_everyone():
    prof = _mix_profiles()
    a = segments(prof, seed=3, sample_size=15, k_range=(2, 4))
    b = segments(prof, seed=3, sample_size=15, k_range=(2, 4))
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["k"] == 3 and (a["segment"] >= 0).all()
    assert a["segment"].value_counts().sort_index().tolist() == [10, 6, 4]
    with pytest.raises(ParameterError, match="sample_size"):
        segments(prof, sample_size=1)


def test_segments_inactive_and_degenerate_cases():
    prof = _mix_profiles()
    prof.loc["c05", list(BEHAVIOURS)] = np.nan
    seg = segments(prof, k=2, seed=0)
    assert seg.loc["c05", "segment"] == -1 and seg.loc["c05", "segment_name"] == "inactive"
    same = prof.iloc[:3].copy()
    same[list(BEHAVIOURS)] = [1.0, 0, 0, 0, 0]
    one = segments(same, seed=0)
    assert one.attrs["k"] == 1 and one["segment"].tolist() == [0, 0, 0]
    assert one.attrs["criterion"] == "single distinct profile"
    with pytest.raises(ParameterError, match="only 1 distinct"):
        segments(same, k=2)
    with pytest.raises(ParameterError, match="k_range"):
        segments(prof, k_range=(1, 4))
    with pytest.raises(ParameterError, match=r"\['collaborate'\]"):
        segments(prof.drop(columns="collaborate"))


def test_segments_on_real_profiles_of_hand_log(hand):
    seg = segments(_profiles(hand), seed=0)
    # c's events are one ignored logout and two 'unboxing' the taxonomy does not map: c is unprofiled
    # (segment -2), not inactive (-1); without the unmapped_count column nothing tells them apart
    assert seg.loc["c", "segment"] == -2 and seg.loc["c", "segment_name"] == "unprofiled"
    old_style = segments(_profiles(hand).drop(columns="unmapped_count"), seed=0)
    assert old_style.loc["c", "segment"] == -1 and old_style.loc["c", "segment_name"] == "inactive"
    assert seg.attrs["k"] == 1  # two active customers are too few for a silhouette


# ---------------------------------------------------------------------------------------------- ladder

def test_behaviour_ladder_counts(hand):
    lad = behaviour_ladder(_profiles(hand))
    # a shows access, engage, connect, collaborate; b shows customize only; c shows nothing
    assert lad.index.tolist() == list(BEHAVIOURS)
    assert lad["shows"].tolist() == [1, 1, 1, 1, 1]
    assert lad["reaches"].tolist() == [2, 2, 2, 1, 1]
    assert lad["climbs"].tolist() == [1, 1, 0, 0, 0]
    assert lad["highest"].tolist() == [0, 0, 1, 0, 1]
    assert lad["share_reaches"].tolist() == pytest.approx([2 / 3, 2 / 3, 2 / 3, 1 / 3, 1 / 3])
    assert lad["step_conversion"].tolist() == pytest.approx([2 / 3, 1, 1, 0.5, 1])
    assert lad.attrs["n_inactive"] == 1 and lad.attrs["n_customers"] == 3
    lad2 = behaviour_ladder(_profiles(hand), min_events=2)
    assert lad2["shows"].tolist() == [1, 0, 1, 0, 0]
    with pytest.raises(ParameterError, match="access_count"):
        behaviour_ladder(pd.DataFrame({"access": [1.0]}))
    with pytest.raises(ParameterError, match="min_events"):
        behaviour_ladder(_profiles(hand), min_events=0)


def test_segments_equal_sklearn_on_all_threads():
    """segments fits on one thread; the answer is sklearn's own on its default threads, both steps:
    k chosen on a subsample (KMeans + silhouette per candidate) and the chosen centres refined on everyone."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    from netlib._util import as_rng, int_seed

    rng = np.random.default_rng(5)
    centres = np.eye(5)[[0, 3, 4]] * 0.8 + 0.04
    X = np.vstack([rng.dirichlet(40 * c, size=n) for c, n in zip(centres, (300, 200, 100))])
    prof = pd.DataFrame(X, columns=list(BEHAVIOURS), index=pd.Index([f"c{i:04d}" for i in range(len(X))],
                                                                   name="customer_id"))
    seg = segments(prof, seed=9, sample_size=250, k_range=(2, 5))
    r = as_rng(9)
    sub = X[np.sort(r.choice(len(X), size=250, replace=False))]
    scores, models = {}, {}
    for c in range(2, 6):
        models[c] = KMeans(n_clusters=c, n_init=10, random_state=int_seed(r)).fit(sub)
        scores[c] = float(silhouette_score(sub, models[c].labels_))
    assert seg.attrs["scores"] == pytest.approx(scores, abs=1e-12)
    k = max(scores, key=scores.get)
    assert seg.attrs["k"] == k == 3
    labels = KMeans(n_clusters=k, init=models[k].cluster_centers_, n_init=1).fit(X).labels_
    # the same partition, whatever the numbering
    assert pd.crosstab(seg["segment"].to_numpy(), labels).gt(0).sum(axis=1).eq(1).all()
    assert seg["segment"].value_counts().tolist() == sorted(np.bincount(labels), reverse=True)
