"""Time-respecting paths: earliest arrival and temporal reach against static reach."""

from __future__ import annotations

import pandas as pd
import pytest

from netlib.cascades import earliest_arrival, temporal_reach
from netlib.errors import ParameterError


# --------------------------------------------------------------------------------------------------
# Time-respecting paths
# --------------------------------------------------------------------------------------------------

TEMPORAL = pd.DataFrame({"source": ["a", "b", "b", "c", "d"], "target": ["b", "c", "d", "e", "a"],
                         "timestamp": [1, 2, 0, 2, 5]})


def test_earliest_arrival_strict_and_not():
    e = earliest_arrival(TEMPORAL, "a")
    assert e["hops"].to_dict() == {"a": 0, "b": 1, "c": 2}  # b->d happened before a reached b
    assert e["arrival"].tolist()[1:] == [1, 2] and e["via"].tolist()[1:] == ["a", "b"]
    loose = earliest_arrival(TEMPORAL, "a", strict=False)  # c->e at the same instant c was reached
    assert loose["via"].to_dict()["e"] == "c" and loose.loc["e", "hops"] == 3
    late = earliest_arrival(TEMPORAL, "a", start=2)
    assert list(late.index) == ["a"]  # a's only message was at 1
    with pytest.raises(ParameterError, match="no message"):
        earliest_arrival(TEMPORAL, "zz")


def test_temporal_reach_vs_static():
    r = temporal_reach(TEMPORAL)
    assert r.loc["a", "temporal_reach"] == 2 and r.loc["a", "static_reach"] == 4
    assert r.loc["d", "temporal_reach"] == 1 and r.loc["e", "static_reach"] == 0
    assert (r["temporal_reach"] <= r["static_reach"]).all()
    # against earliest_arrival from every customer
    for v in r.index:
        assert r.loc[v, "temporal_reach"] == len(earliest_arrival(TEMPORAL, v)) - 1
    some = temporal_reach(TEMPORAL, sources=["d", "a"])
    assert some.index.tolist() == ["a", "d"] and some.equals(r.loc[["a", "d"]])
    with pytest.raises(ParameterError, match="no message"):
        temporal_reach(TEMPORAL, sources=["zz"])


@pytest.mark.datasets
def test_collegemsg_time_respecting_reach(datasets_dir):
    from netlib.datasets import load_frames

    msgs = load_frames("collegemsg", data_home=datasets_dir)["messages"]
    assert len(msgs) == 59_835
    r = temporal_reach(msgs)
    assert len(r) == 1_899
    assert (r["temporal_reach"] <= r["static_reach"]).all()
    # static reach is the size of what each user's component reaches; time order cuts it down
    assert r["temporal_reach"].sum() < 0.8 * r["static_reach"].sum()
    first = r.index[0]
    assert r.loc[first, "temporal_reach"] == len(earliest_arrival(msgs, first)) - 1


def test_earliest_arrival_from_start_uses_the_first_message_at_start():
    log = pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "d"],
                        "timestamp": pd.to_datetime([1, 2, 3], unit="s", utc=True)})
    for start in (pd.Timestamp(0, unit="s", tz="UTC"), pd.Timestamp(1, unit="s", tz="UTC")):
        out = earliest_arrival(log, "a", start=start)
        assert out["hops"].to_dict() == {"a": 0, "b": 1, "c": 2, "d": 3}
    late = earliest_arrival(log, "a", start=pd.Timestamp(2, unit="s", tz="UTC"))
    assert late.index.tolist() == ["a"]  # a's only message came before the start
