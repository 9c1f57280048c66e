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
# # 3. Communities
# Groups of customers who interact far more with each other than with the rest, found with Leiden
# (Traag, Waltman & van Eck 2019). Community ids are numbered by size: 0 is the largest.

# %% tags=["parameters"]
data_path = None  # folder with customers / interactions / events files; None = the shipped sample
seed = 42  # seeds community detection and the layouts
k = 10  # not used here; kept so every notebook takes the same parameters
resolution = 1.0  # higher finds more, smaller communities
stability_runs = 10  # how many seeded runs measure stability

# %%
import pandas as pd

import netlib as nl
from netlib import plot
from netlib.centrality import centrality
from netlib.community import (communities, community_graph, community_profiles, community_stability,
                              partition_quality, resolution_sweep)
from netlib.datasets import load_sample

data = nl.read_data(data_path) if data_path else load_sample()
G = nl.build_network(data)

# %%
part = communities(G, resolution=resolution, seed=seed)
truth = data.truth.customers["community"] if data.truth is not None else None
quality = partition_quality(G, part, truth=truth)
quality.summary.to_frame("value")

# %%
plot.community_sizes(part)

# %% [markdown]
# ## Each community in numbers
# Size, how much of its tie weight stays inside, conductance (low = well separated), its most central
# members and the members bridging to other communities.

# %%
pagerank = centrality(G, ["pagerank"])
profiles = community_profiles(G, part, centrality=pagerank)
profiles.head(15)

# %%
plot.network_map(G, communities=part, size=pagerank["pagerank"], seed=seed)

# %% [markdown]
# ## How communities connect
# One node per community, sized by its customers; lines are the ties between communities.

# %%
plot.community_meta_graph(community_graph(G, part), seed=seed)

# %% [markdown]
# ## Choosing the scale
# The resolution sets how coarse the communities are. A good working scale keeps modularity high and
# agrees with its neighbours (NMI with the previous row near 1).

# %%
sweep = resolution_sweep(G, seed=seed)
sweep

# %%
plot.resolution_sweep(sweep)

# %% [markdown]
# ## How stable are they?
# The same detection run with different seeds: customers who land with the same co-members every
# time are firmly placed; boundary customers sit between two communities. The heatmap shows the least
# firmly placed customers beside members of their communities: pale blocks mean the runs disagree.

# %%
stab = community_stability(G, runs=stability_runs, resolution=resolution, seed=seed)
stab.customers[["stability", "boundary"]].describe().T

# %%
unsure = stab.customers.nsmallest(40, "stability").index  # the least firmly placed customers
home = stab.reference[stab.reference.isin(stab.reference[unsure].unique())]
shown = list(dict.fromkeys([*unsure, *home.groupby(home).head(15).index]))  # with members of their communities
plot.coassignment(stab.coassignment(shown), partition=stab.reference)
