"""Benchmark: netlib.patterns.pattern_profiles on a large event log, against a plain pandas baseline.

Run: .venv/bin/python bench/bench_patterns.py [n_events] [n_customers] [--memory]

Defaults: 10,000,000 events from 1,000,000 customers over one year, 21 event types (one of them
unknown to the taxonomy, one ignored). The baseline is the straightforward pandas way to get the same
table (map types, groupby customer x behaviour, unstack, groupby for weeks and last event); both are
run in this process on the same frame, and their outputs are checked to agree. The machine is shared,
so the ratio is the figure to read, not the seconds.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

from netlib.patterns import (
    BEHAVIOURS,
    load_taxonomy,
    normalize_event_type,
    pattern_profiles,
)

TYPES = ["login", "app_open", "search", "page_view", "view", "like", "comment", "watch", "save_preference",
         "wishlist", "configure", "subscribe", "share", "refer", "review", "message", "follow", "co_create",
         "idea_vote", "logout", "mystery_event"]


def make_events(n_events: int, n_customers: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = pd.array([f"c{i:07d}" for i in range(n_customers)], dtype="str")
    cust = rng.integers(0, n_customers, n_events)
    p = np.linspace(3, 1, len(TYPES))
    types = pd.array(TYPES, dtype="str")
    kind = rng.choice(len(TYPES), size=n_events, p=p / p.sum())
    start = pd.Timestamp("2024-01-01", tz="UTC").value
    ts = start + rng.integers(0, 365 * 86_400, n_events) * 10**9
    return pd.DataFrame({
        "customer_id": ids.take(cust),
        "timestamp": pd.to_datetime(ts, utc=True).as_unit("ns"),
        "event_type": types.take(kind),
    })


def baseline(events: pd.DataFrame) -> pd.DataFrame:
    """What one writes with pandas alone: map, groupby, unstack."""
    tax = load_taxonomy()
    lookup = {t: tax.get(normalize_event_type(t)) for t in events["event_type"].unique()}
    behaviour = events["event_type"].map(lookup)
    ev = events.assign(behaviour=behaviour)
    ev = ev[ev["behaviour"].isin(BEHAVIOURS)]
    counts = ev.groupby(["customer_id", "behaviour"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(BEHAVIOURS), fill_value=0)
    shares = counts.div(counts.sum(axis=1), axis=0)
    week = ev["timestamp"].dt.tz_localize(None).dt.to_period("W-SUN")
    weeks = ev.assign(week=week).groupby("customer_id")["week"].nunique()
    last = ev.groupby("customer_id")["timestamp"].max()
    ref = events["timestamp"].max()
    out = shares.join(counts.add_suffix("_count"))
    out["intensity"] = counts.sum(axis=1) / weeks
    out["recency_days"] = (ref - last).dt.total_seconds() / 86_400
    out["breadth"] = (counts > 0).sum(axis=1)
    return out


def timed(fn, *args, **kw):
    """Run once; wall seconds and CPU seconds of this process (CPU is less hurt by a busy machine)."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0, time.process_time() - c0


def peak_mb(fn, *args, **kw) -> float:
    tracemalloc.start()
    fn(*args, **kw)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n_events = int(args[0]) if args else 10_000_000
    n_customers = int(args[1]) if len(args) > 1 else max(1, n_events // 10)
    t0 = time.perf_counter()
    events = make_events(n_events, n_customers)
    print(f"made {n_events:,} events for {n_customers:,} customers in {time.perf_counter() - t0:.1f} s")

    prof, w_ours, c_ours = timed(pattern_profiles, events, on_unmapped="ignore")
    base, w_base, c_base = timed(baseline, events)

    active = prof.index[prof["n_events"] > 0]  # customers with only unmapped/ignored events: not in baseline
    assert base.index.sort_values().equals(active)
    prof, base = prof.loc[active], base.reindex(active)
    for col in [*BEHAVIOURS, "intensity", "recency_days"]:
        assert np.allclose(prof[col].to_numpy(float), base[col].to_numpy(float), equal_nan=True), col
    assert (prof["breadth"].to_numpy() == base["breadth"].to_numpy()).all()
    print(f"unmapped report: {prof.attrs['unmapped']}")
    print(f"pattern_profiles: wall {w_ours:6.2f} s, cpu {c_ours:6.2f} s")
    print(f"pandas baseline : wall {w_base:6.2f} s, cpu {c_base:6.2f} s")
    print(f"speed-up: {w_base / w_ours:.1f}x wall, {c_base / c_ours:.1f}x cpu; outputs agree")
    # on_unmapped="suggest" adds the keyword rules for the unknown types (one table over the unique types)
    sugg, w_sugg, c_sugg = timed(pattern_profiles, events, on_unmapped="suggest")
    print(f"on_unmapped='suggest': wall {w_sugg:6.2f} s ({w_sugg / w_ours:.2f}x 'ignore'); "
          f"suggested {sugg.attrs['suggested']}, still unmapped {sugg.attrs['unmapped']}")
    if "--memory" in sys.argv:
        print(f"peak traced memory: pattern_profiles {peak_mb(pattern_profiles, events, on_unmapped='ignore'):,.0f} MB, "
              f"baseline {peak_mb(baseline, events):,.0f} MB")


if __name__ == "__main__":
    main()
