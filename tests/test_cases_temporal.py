"""netlib_cases.temporal: reach by start time on hand-made logs, and temporal against static reach on
CollegeMsg (skipped without the datasets)."""

from __future__ import annotations

import pandas as pd
import pytest

from netlib_cases import reach_by_start


def test_reach_by_start_follows_time():
    log = pd.DataFrame({"source": ["x", "a", "b", "c"], "target": ["y", "b", "c", "d"], "timestamp": [1, 2, 3, 4]})
    out = reach_by_start(log, ["a"], [0, 2.5]).set_index("start")
    assert out.loc[0, "reached"] == 3 and out.loc[0, "median_hops"] == 2
    assert out.loc[2.5, "reached"] == 0      # a's only message was at time 2


def test_reach_by_start_uses_the_first_message_after_start():
    log = pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "d"], "timestamp": [1, 2, 3]})
    assert reach_by_start(log, ["a"], [0])["reached"].iloc[0] == 3


def test_collegemsg_temporal_against_static_reach(datasets_dir):
    from netlib.cascades import temporal_reach
    from netlib.datasets import load_frames

    m = load_frames("collegemsg", data_home=datasets_dir)["messages"]
    log = pd.DataFrame({"source": m["source"].astype("string"), "target": m["target"].astype("string"),
                        "timestamp": m["timestamp"]})
    r = temporal_reach(log, progress=False)
    senders = r[r["static_reach"] > 0]
    assert len(r) == 1899 and len(senders) == 1350
    assert senders["ratio"].median() == pytest.approx(0.826, abs=0.002)
    assert senders["static_reach"].median() == 1853
    assert (r["temporal_reach"] <= r["static_reach"]).all()
