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
# # 1. The customer network
# Who talks to whom: the interactions between customers, aggregated into one weighted, directed
# network, with its size, its degree distribution and the strength of its ties.
#
# Every row of the input is either used or listed in the load report with the reason it was set aside.

# %% tags=["parameters"]
data_path = None  # folder with customers / interactions / events files; None = the shipped sample
seed = 42  # seeds the layout of the map
k = 10  # how many top customers to list

# %%
import pandas as pd

import netlib as nl
from netlib import plot
from netlib.datasets import load_sample

data = nl.read_data(data_path) if data_path else load_sample()
data

# %% [markdown]
# ## What was read
# The load report accounts for every row: rows in = rows kept + rows rejected.

# %%
data.report

# %% [markdown]
# ## The network at a glance
# One node per customer (customers without interactions stay as isolated nodes) and one tie per
# ordered pair that interacted, weighted by how often they did.

# %%
G = nl.build_network(data)
summary = nl.network_summary(G, top=k)
pd.Series(summary["counts"], name="value").to_frame()

# %%
summary["degrees"]

# %% [markdown]
# The customers with the most ties (in + out):

# %%
summary["top"]

# %% [markdown]
# ## Degree distribution
# Customer networks are usually heavy-tailed: most customers have a few ties, a few have very many.
# On log–log axes a heavy tail reads as a roughly straight, falling line.

# %%
plot.degree_distribution(G)

# %% [markdown]
# ## Tie strength
# Each tie is scored from frequency, recency, reciprocity and the number of channels it uses, and
# classed core, significant or weak (thresholds in `netlib.TieStrengthRule`).

# %%
ties = nl.tie_strength(G)
strength = ties["strength"].value_counts().reindex(["core", "significant", "weak"]).rename("ties").to_frame()
strength["share"] = strength["ties"] / strength["ties"].sum()
strength

# %%
pd.Series(ties.attrs["per_customer"], name="median ties per customer").to_frame()

# %% [markdown]
# ## Map
# Customers placed by a seeded layout (the same parameters draw the same map), sized by their number
# of ties. The next notebooks colour it by community and size it by influence.

# %%
plot.network_map(G, seed=seed)
