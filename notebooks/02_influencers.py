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
# # 2. Influencers
# Who can spread an idea furthest: customers ranked by the reach a message seeded with them alone
# would have under an independent-cascade model, by how many customers sit within two steps, by how
# much they share and by how often they bridge others, with the evidence for every rank.

# %% tags=["parameters"]
data_path = None  # folder with customers / interactions / events files; None = the shipped sample
seed = 42  # seeds the reach estimates, the sampled centralities and the layout
k = 10  # how many influencers to rank

# %%
import netlib as nl
from netlib import plot
from netlib.cascades import cascade_influencers, reconstruct_cascades
from netlib.centrality import centrality
from netlib.datasets import load_sample
from netlib.influence import influencers

data = nl.read_data(data_path) if data_path else load_sample()
G = nl.build_network(data)

# %% [markdown]
# ## The ranking
# `score` is the mean percentile over the ranking measures (1 = top on all); `why` says where the
# customer ranks on each.

# %%
top = influencers(G, k=k, seed=seed)
top[["rank", "score", "expected_reach", "reach_2hop", "out_strength", "betweenness", "why"]]

# %%
plot.influencer_bars(top)

# %% [markdown]
# ## Centrality
# The whole battery, one row per customer; the distribution of who receives shares (in-degree) is
# usually even more skewed than the total.

# %%
cent = centrality(G, seed=seed)
cent.describe().T

# %%
plot.degree_distribution(cent, column="in_degree")

# %% [markdown]
# ## Where the influencers sit
# Customers sized by PageRank; the ranked influencers are the largest markers.

# %%
plot.network_map(G, size=cent["pagerank"], hover=cent[["in_degree", "out_degree", "betweenness"]], seed=seed)

# %% [markdown]
# ## Influence seen in real spreading
# The ranking above is a model. The shares themselves tell who actually set off adoptions: customers
# ranked by how many adoptions happened downstream of them in the reconstructed cascades.

# %%
observed = cascade_influencers(reconstruct_cascades(data), k=k)
observed

# %%
plot.influencer_bars(observed, score="downstream", title="Customers with the most adoptions downstream")
