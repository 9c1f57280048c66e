# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 5. Rogers behaviours
# David L. Rogers' five customer-network behaviours, access, engage, customize, connect and
# collaborate, read from the behavioural event log: every event type maps to one of the five (the
# taxonomy is a plain, overridable table), and each customer gets a profile of shares.

# %% tags=["parameters"]
data_path = None  # folder with customers / interactions / events files; None = the shipped sample
seed = 42  # seeds the segmentation and the community detection
k = 10  # not used here; kept so every notebook takes the same parameters

# %%
import pandas as pd

import netlib as nl
from netlib import plot
from netlib.centrality import centrality
from netlib.community import communities
from netlib.datasets import load_sample
from netlib.patterns import (behaviour_by_position, behaviour_ladder, pattern_profiles, segments,
                             strategy_playbook)

data = nl.read_data(data_path) if data_path else load_sample()
G = nl.build_network(data)

# %% [markdown]
# ## Profiles
# Shares of each behaviour per customer. Event types the taxonomy does not know are counted here,
# never dropped silently.

# %%
profiles = pattern_profiles(data, on_unmapped="ignore")
pd.Series(profiles.attrs["events"], name="events").to_frame()

# %%
pd.Series(profiles.attrs["unmapped"], name="unmapped events", dtype="int64").to_frame()

# %% [markdown]
# ## Segments
# Customers grouped by their behaviour mix (seeded k-means, the number of segments chosen by
# silhouette), each named after its leading behaviour.

# %%
seg = segments(profiles, seed=seed)
playbook = strategy_playbook(profiles, seg)
plot.rogers_radar(playbook, name="name")

# %% [markdown]
# ## The ladder
# The behaviours as rungs from access up to collaborate: how many customers show each, reach it (or a
# higher rung), and climb every rung up to it.

# %%
ladder = behaviour_ladder(profiles)
plot.behaviour_ladder(ladder)

# %% [markdown]
# ## Behaviour and network position
# Do communities lean to particular behaviours? Lift = the community's mean share over everyone's.

# %%
part = communities(G, seed=seed)
position = behaviour_by_position(profiles, centrality(G, ["degree", "pagerank"]), part, seed=seed)
plot.behaviour_heatmap(position.community_lift)

# %%
position.correlations.head(k)

# %% [markdown]
# ## Strategy per segment
# The Rogers strategy each segment's leading behaviour calls for, with the numbers behind it.

# %%
playbook[["name", "n_customers", "share_of_customers", "strategy", "action", "evidence"]]
