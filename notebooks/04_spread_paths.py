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
# # 4. Spread paths
# How items actually travelled: each share of an item is attributed to the earlier sharer the
# customer first heard it from, which turns the interaction log into one tree per cascade. The trees
# show how far, how deep and how virally each item spread.

# %% tags=["parameters"]
data_path = None  # folder with customers / interactions / events files; None = the shipped sample
seed = 42  # not used by the reconstruction (it is deterministic); kept for a uniform parameter set
k = 10  # how many cascades and spreaders to list

# %%
import pandas as pd

import netlib as nl
from netlib import plot
from netlib.cascades import adoption_curves, cascade_influencers, cascade_metrics, reconstruct_cascades
from netlib.datasets import load_sample

data = nl.read_data(data_path) if data_path else load_sample()

# %% [markdown]
# ## Reconstruction
# Every interaction row lands in exactly one bucket of this report (tree edges, repeated shares, shares
# received after the customer had already shared, ...).

# %%
casc = reconstruct_cascades(data)
pd.Series(casc.attrs["report"], name="rows").to_frame()

# %% [markdown]
# ## The cascades
# Size (adopters), depth (longest chain), largest breadth and structural virality: the mean distance
# between adopters, low for a broadcast from one sender, high for a long person-to-person chain
# (Goel, Anderson, Hofman & Watts 2016).

# %%
metrics = cascade_metrics(casc)
metrics.head(k)

# %%
plot.virality_scatter(metrics)

# %% [markdown]
# ## The largest cascade
# Time runs left to right; each row is one adopter, placed under the customer they got the item from.

# %%
plot.cascade_tree(casc)

# %% [markdown]
# ## Adoption over time
# Cumulative adopters of the largest items, measured from each item's first share.

# %%
plot.adoption_curves(adoption_curves(casc, elapsed=True), top=k)

# %% [markdown]
# ## Who set spreading off
# Customers with the most adoptions downstream of them, across all cascades.

# %%
spreaders = cascade_influencers(casc, k=k)
spreaders

# %%
plot.influencer_bars(spreaders, score="downstream", title="Customers with the most adoptions downstream")
