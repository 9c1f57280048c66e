"""Tests for netlib.patterns.reconcile: reconcile_connect."""

from __future__ import annotations

import pandas as pd
import pytest

from netlib.errors import ParameterError, SchemaError
from netlib.patterns import reconcile_connect


def _share_world():
    t = pd.to_datetime(["2024-03-01 10:00", "2024-03-01 11:00", "2024-03-02 09:00", "2024-03-03 08:00",
                        "2024-03-04 12:00"], utc=True)
    events = pd.DataFrame({
        "customer_id": ["a", "a", "b", "c", "a", "b"],
        "timestamp": list(t) + [t[0]],
        "event_type": ["share", "message", "refer", "share", "login", "review"],
        "target": ["b", "b", "c", "a", None, None],
    })
    inter = pd.DataFrame({"source": ["a", "a", "b", "c"], "target": ["b", "b", "c", "a"],
                          "timestamp": t[:4], "kind": ["share", "message", "referral", "share"]})
    return events, inter


def test_reconcile_connect_counts_agree_with_the_network():
    from netlib.network import build_network

    events, inter = _share_world()
    rec = reconcile_connect(events, inter)
    assert rec.attrs["reconciled"] is True
    assert rec.loc[("a", "b"), "connect_events"] == 2 and rec.loc[("a", "b"), "interactions"] == 2
    assert rec.attrs["totals"]["connect_without_target"] == 1  # b's review names no one
    G = build_network(inter)
    assert {(s, t): d["count"] for s, t, d in G.edges(data=True)} == rec["interactions"].to_dict()
    exact = reconcile_connect(events, inter, keys=("timestamp",))
    assert exact.attrs["reconciled"] is True
    by_cust = reconcile_connect(events, inter, by="customer")
    assert by_cust.index.name == "customer_id"
    assert by_cust["connect_events"].to_dict() == {"a": 2, "b": 1, "c": 1}


def test_reconcile_connect_reports_mismatches():
    events, inter = _share_world()
    moved = inter.copy()
    moved.loc[3, "timestamp"] = pd.Timestamp("2024-03-09", tz="UTC")
    rec = reconcile_connect(events, moved, keys=["timestamp"])
    assert rec.attrs["reconciled"] is False
    assert rec.loc[("c", "a"), "events_unmatched"] == 1 and rec.loc[("c", "a"), "interactions_unmatched"] == 1
    only_shares = reconcile_connect(events, inter, kinds={"share"})
    assert only_shares.attrs["totals"]["events_unmatched"] == 2  # the message and the referral
    # a taxonomy that does not call "message" connect leaves the message interaction unmatched
    tax = {"share": "connect", "refer": "connect", "message": "engage"}
    rec2 = reconcile_connect(events, inter, taxonomy=tax)
    assert rec2.attrs["totals"]["interactions_unmatched"] == 1
    with pytest.raises(SchemaError, match="'target'"):
        reconcile_connect(events.drop(columns="target"), inter)
    with pytest.raises(ParameterError, match="interactions table"):
        reconcile_connect(events)
    with pytest.raises(ParameterError, match="by must be"):
        reconcile_connect(events, inter, by="edge")
