"""Shared test data for the tests of netlib.patterns (tests/test_patterns_*.py)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from netlib.patterns import BEHAVIOURS, UnmappedEventTypesWarning, pattern_profiles


def _log(rows):
    """Events frame from (customer, ISO time, event_type[, target]) tuples."""
    cols = ["customer_id", "timestamp", "event_type", "target"][: len(rows[0])]
    df = pd.DataFrame(rows, columns=cols)
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True)
    return df


# a: 5 behavioural events over 3 calendar weeks; b: 3 customize events in one week (Fri, Sat, Sun);
# c: only an ignored and two unmapped events. 2024-01-01 is a Monday.
HAND = [
    ("a", "2024-01-01 09:00", "login"),
    ("a", "2024-01-02 09:00", "search"),
    ("a", "2024-01-03 09:00", "like"),
    ("a", "2024-01-08 09:00", "share"),
    ("a", "2024-01-15 09:00", "co_create"),
    ("b", "2024-01-05 09:00", "wishlist"),
    ("b", "2024-01-06 09:00", "Wishlist"),
    ("b", "2024-01-07 23:59", "configure"),
    ("c", "2024-01-10 09:00", "logout"),
    ("c", "2024-01-18 09:00", "unboxing"),
    ("c", "2024-01-20 09:00", "unboxing"),
]


def hand_log():
    return _log(HAND)


def _profiles(events, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnmappedEventTypesWarning)
        return pattern_profiles(events, **kw)


def _mix_profiles(seed=0):
    """20 customers in three clear groups: access-led (10), connect-led (6), collaborate-led (4)."""
    rng = np.random.default_rng(seed)
    rows = []
    for centre, n in (((0.8, 0.15, 0.05, 0, 0), 10), ((0.2, 0.1, 0, 0.7, 0), 6), ((0.1, 0, 0, 0.35, 0.55), 4)):
        for _ in range(n):
            v = np.clip(np.asarray(centre) + rng.normal(0, 0.02, 5), 0, None)
            rows.append(v / v.sum())
    ids = [f"c{i:02d}" for i in range(len(rows))]
    prof = pd.DataFrame(rows, columns=list(BEHAVIOURS), index=pd.Index(ids, name="customer_id"))
    for b in BEHAVIOURS:
        prof[f"{b}_count"] = np.round(prof[b] * 20).astype(int)
    prof["intensity"] = 2.0
    prof["recency_days"] = 3.0
    prof["breadth"] = (prof[[f"{b}_count" for b in BEHAVIOURS]] > 0).sum(axis=1)
    return prof
