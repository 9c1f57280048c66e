# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 5. Rogers behaviours
# David L. Rogers' five customer-network behaviours, access, engage, customize, connect and
# collaborate, read from the behavioural event log: every event type maps to one of the five (a
# taxonomy file, or netlib's rules for names it does not list, every match shown for review), and
# each customer gets a profile of shares.

# %% tags=["parameters"]
data_path = None  # folder with customers / interactions / events files (None: the shipped sample)
seed = 42  # seeds every stochastic step (reach estimates, communities, layouts)
k = 10  # how many influencers / seeds to name
p = None  # pass-on probability of a tie (None: estimated from the share log; the report passes its estimate)
runs = 1000  # Monte-Carlo runs per reach estimate
taxonomy = None  # event-type -> behaviour file (None: taxonomy.yaml in the data folder, else netlib's default)
read_options = {}  # further netlib.read_data keywords, e.g. {"columns": {"interactions": {"src": "source"}}}

# %%
import pandas as pd

import netlib as nl
from netlib import plot
from netlib.report import behaviour_profiles, describe_communities, notebook_setup, say, shared, table
from netlib.report.findings import UNMAPPED_WARN, _degenerate

# shared(f, G, ...) is f(G, ...); in a report run it is computed once for all pages (netlib.report.shared)
data, _ = notebook_setup(data_path, read_options=read_options, network=False)
profiles, mapping, unmapped_share = behaviour_profiles(data, taxonomy)
degenerate = _degenerate(profiles, unmapped_share)
say(f"{unmapped_share:.0%} of behavioural events have an event type nothing maps to a behaviour; they are left out of",
    "every share below. Review the mapping and pass a taxonomy file.", kind="page-warning") \
    if unmapped_share > UNMAPPED_WARN else say(f"{len(data.events):,} events of {len(profiles):,} customers.")

# %% [markdown]
# ## How event types were mapped
# Each event type found, how often it occurs, and the behaviour it was counted as: from the taxonomy,
# matched by netlib's rules (check these), or left unmapped.

# %%
if mapping is not None:
    display(table(mapping, caption="Every event type and the behaviour it counts as", link_ids=False))
else:
    unm = pd.Series(profiles.attrs.get("unmapped", {}), name="events", dtype="int64")
    display(table(unm.rename_axis("event_type").to_frame(), caption="Event types no taxonomy entry maps", link_ids=False)
            if len(unm) else say("Every event type is in the taxonomy."))

# %% [markdown]
# ## Segments
# Customers grouped by their behaviour mix (seeded k-means, the number of segments chosen by
# silhouette), each named after its leading behaviour.

# %%
seg = nl.segments(profiles, seed=seed)
playbook = nl.strategy_playbook(profiles, seg)
outside = ", ".join(f"{n:,} {name}" for n, name in zip(playbook["n_customers"][playbook.index < 0],
                                                          playbook["name"][playbook.index < 0]))
say(f"No behaviour profile is drawn: {degenerate}." if degenerate else
    f"{seg.attrs['k']:,} segments" + (f" (besides {outside} customers)" if outside else "") +
    f"; the largest, '{playbook['name'].iloc[0]}', holds {playbook['share_of_customers'].iloc[0]:.0%} of customers.")

# %%
plot.rogers_radar(playbook, name="name") if not degenerate else None

# %% [markdown]
# ## The ladder
# The behaviours as rungs from access up to collaborate: how many customers show each, reach it (or a
# higher rung), and climb every rung up to it.

# %%
ladder = nl.behaviour_ladder(profiles)
plot.behaviour_ladder(ladder)

# %% [markdown]
# ## Behaviour and network position
# Do communities lean to particular behaviours? Lift = the community's mean share over everyone's.

# %%
if len(data.interactions):
    G = shared(nl.customer_network, data)
    part = shared(nl.communities, G, seed=seed)
    position = nl.behaviour_by_position(profiles, nl.centrality(G, ["degree", "pagerank"]), part, seed=seed)
    names = describe_communities(G, part, customers=data.customers)[0]["name"]
    lift = position.community_lift.rename(index=lambda c: f"{c}: {names.get(c, '')}" if c in names.index else c)
    display(plot.behaviour_heatmap(lift))
    display(table(position.correlations.head(k), caption="Behaviour against network position", link_ids=False))
else:
    display(say("The data has no interactions, so behaviour cannot be set against network position."))

# %% [markdown]
# ## Strategy per segment
# The Rogers strategy each segment's leading behaviour calls for, with the numbers behind it.

# %%
if degenerate:
    display(say(f"No strategy is recommended: {degenerate}.", kind="warning"))
else:
    display(table(playbook[["name", "n_customers", "share_of_customers", "strategy", "action", "evidence"]],
                  caption="Strategy per behaviour segment", link_ids=False))
