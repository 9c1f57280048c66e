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


# A realistic CRM export (issue 14): web events named in the shop's own words. page_view, login, search and
# like are in the default taxonomy; review_posted, product_configured, forum_reply, co_design_submission,
# wishlist_add and newsletter_open are not (about 40% of the events). Each customer follows one planted
# behaviour; "contributors" only post reviews and co-design submissions (no page views at all).
EXPORT_ARCHETYPES = {  # planted behaviour: (share of customers, event-type mix)
    "access": (0.44, {"page_view": .7, "login": .15, "search": .1, "newsletter_open": .05}),
    "connect": (0.17, {"page_view": .3, "login": .05, "review_posted": .55, "like": .1}),
    "collaborate": (0.12, {"page_view": .3, "co_design_submission": .35, "forum_reply": .35}),
    "customize": (0.16, {"page_view": .35, "product_configured": .45, "wishlist_add": .2}),
    "engage": (0.08, {"page_view": .3, "newsletter_open": .6, "like": .1}),
    "contributors": (0.03, {"review_posted": .5, "co_design_submission": .5}),
}


def realistic_export(n: int = 300, seed: int = 3) -> tuple[pd.DataFrame, pd.Series]:
    """(events, planted archetype per customer) of a seeded export of ``n`` customers, ~21 events each."""
    rng = np.random.default_rng(seed)
    names = list(EXPORT_ARCHETYPES)
    kinds = rng.choice(len(names), size=n, p=[EXPORT_ARCHETYPES[k][0] for k in names])
    ids = [f"C{1000 + i}" for i in range(n)]
    t0 = pd.Timestamp("2025-01-06", tz="UTC").value // 10**9
    rows = []
    for cid, a in zip(ids, kinds):
        mix = EXPORT_ARCHETYPES[names[a]][1]
        types = rng.choice(list(mix), size=1 + rng.poisson(20), p=list(mix.values()))
        times = t0 + rng.integers(0, 90 * 86_400, size=len(types))
        rows += [(cid, t, e) for t, e in zip(times, types)]
    events = pd.DataFrame(rows, columns=["customer_id", "timestamp", "event_type"])
    events["timestamp"] = pd.to_datetime(events["timestamp"], unit="s", utc=True)
    return events, pd.Series([names[a] for a in kinds], index=pd.Index(ids, name="customer_id"))
