"""A messy CRM export, as a marketing team would hand it over: the test bed for reports on real data.

Customers carry name, email, region and loyalty tier (region and tier follow the planted communities,
with noise); interactions are referrals, messages and item shares; web events use names netlib's
default taxonomy does not know (``page_view``, ``review_posted``, ``product_configured``,
``forum_reply``, ``co_design_submission``, ``wishlist_add``, ``newsletter_open``). Built from a seeded
synthetic world, so the planted behaviours are known.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

#: The export's event names for each Rogers behaviour (what a CRM might call them).
EVENT_NAMES = {
    "access": ["page_view"],
    "engage": ["newsletter_open"],
    "customize": ["product_configured", "wishlist_add"],
    "connect": ["review_posted"],
    "collaborate": ["forum_reply", "co_design_submission"],
}
REGIONS = ["North", "South", "East", "West", "Central"]
TIERS = ["Bronze", "Silver", "Gold", "Platinum"]


def crm_export(folder, *, n: int = 300, seed: int = 0, events: bool = True, evil: str | None = None) -> Path:
    """Write ``customers.csv``, ``interactions.csv`` (and ``events.csv``) to ``folder``; return it.

    ``evil``, when given, is put into one customer's name, one region value and one event type, to check
    that no page runs it.
    """
    import netlib as nl
    from netlib.patterns import default_taxonomy

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    world = nl.generate(n, seed=seed)
    rng = np.random.default_rng(seed)
    community = world.truth.customers["community"].reindex(world.customers["customer_id"]).to_numpy()
    region = np.array([REGIONS[int(c) % len(REGIONS)] for c in community], dtype=object)
    noise = rng.random(n) < 0.2
    region[noise] = rng.choice(REGIONS, noise.sum())
    tier = np.array([TIERS[(int(c) // len(REGIONS)) % len(TIERS)] for c in community], dtype=object)
    noise = rng.random(n) < 0.3
    tier[noise] = rng.choice(TIERS, noise.sum())
    names = world.customers["name"].astype(str).to_numpy()
    customers = pd.DataFrame({
        "customer_id": world.customers["customer_id"].astype(str),
        "name": names,
        "email": [f"{nm.lower().replace(' ', '.')}@example.com" for nm in names],
        "region": region,
        "loyalty_tier": tier,
    })
    inter = world.interactions.copy()
    inter["kind"] = inter["kind"].astype(str).replace({"message": "message", "share": "share", "referral": "referral"})
    inter["timestamp"] = inter["timestamp"].dt.strftime("%Y-%m-%d %H:%M:%S")
    if evil is not None:
        customers.loc[0, "name"] = evil
        customers.loc[1, "region"] = evil
    customers.to_csv(folder / "customers.csv", index=False)
    inter.to_csv(folder / "interactions.csv", index=False)
    if events:
        tax = default_taxonomy()
        ev = world.events[["customer_id", "timestamp", "event_type"]].copy()
        behaviour = ev["event_type"].map(tax)
        ev = ev[behaviour.isin(EVENT_NAMES)].copy()
        behaviour = behaviour[ev.index]
        pick = rng.random(len(ev))
        ev["event_type"] = [EVENT_NAMES[b][int(u * len(EVENT_NAMES[b]))] for b, u in zip(behaviour, pick)]
        ev["timestamp"] = ev["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        if evil is not None:
            ev.iloc[:5, ev.columns.get_loc("event_type")] = evil
        ev.to_csv(folder / "events.csv", index=False)
    (folder / "referrals_backup.csv").write_text("source,target\n")  # a file netlib does not read
    return folder
