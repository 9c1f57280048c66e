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
# # 1. The customer network
# Who talks to whom: the interactions between customers, aggregated into one weighted, directed
# network, with its size, its degree distribution and the strength of its ties.
#
# Every row of the input is either used or listed in the load report with the reason it was set aside.

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
from netlib.report import notebook_setup, say, shared, table

# shared(f, G, ...) is f(G, ...); in a report run it is computed once for all pages (netlib.report.shared)
data, G = notebook_setup(data_path, read_options=read_options)
say(f"Read {len(data.customers):,} customers, {len(data.interactions):,} interactions and {len(data.events):,} events",
    f"from {data.source}.")

# %% [markdown]
# ## What was read
# The load report accounts for every row: rows in = rows kept + rows rejected.

# %%
rep = data.report
say(f"{rep.rows_in:,} rows read: {rep.rows_kept:,} kept, {rep.rows_rejected:,} set aside.",
    "Every rejected row is listed below with its reason." if rep.rows_rejected else "")

# %%
table(rep.tables.rename(columns={"source": "file"}), caption="Rows per table", link_ids=False)

# %%
table(rep.rejected, caption="Rows set aside, with the reason", link_ids=False) if rep.rows_rejected else \
    say("No row was set aside.")

# %% [markdown]
# ## The network at a glance
# One node per customer (customers without interactions stay as isolated nodes) and one tie per
# ordered pair that interacted, weighted by how often they did. The suite holds the network as arrays
# (`nl.customer_network`, a few dozen bytes per tie, so a million customers fit in memory); every
# analysis takes it, and `G.to_networkx()` gives the same network as a networkx graph.

# %%
summary = nl.network_summary(G, top=k)
deg = nl.centrality(G, ["degree"])["degree"]
alone = int((deg == 0).sum())
say(f"{G.number_of_nodes():,} customers and {G.number_of_edges():,} ties.",
    f"The median customer has {deg.median():,.0f} ties and the busiest {deg.max():,};",
    f"{alone:,} customer{' has' if alone == 1 else 's have'} no tie." if alone else "every customer has at least one tie.")

# %%
counts = pd.Series({name.replace("_", " "): (f"{v:.1%}" if v >= 0.001 or v == 0 else f"{100 * v:.2g}%")
                    if name in ("reciprocity", "density") or "share" in name
                    else f"{v:,}" for name, v in summary["counts"].items()}, name="value")
table(counts.rename_axis("measure").to_frame(), caption="The network in numbers", page_length=20, link_ids=False)

# %% [markdown]
# The customers with the most ties (in + out):

# %%
table(summary["top"], caption=f"The {k} customers with the most ties")

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
strength["share_of_ties"] = strength["ties"] / strength["ties"].sum()
per = ties.attrs["per_customer"]
say(f"{strength.loc['core', 'share_of_ties']:.0%} of ties are core and {strength.loc['weak', 'share_of_ties']:.0%} weak;",
    f"the median customer has {per['median_core']:g} core and {per['median_significant']:g} significant ties.")

# %%
table(strength.rename_axis("strength"), caption="Ties by strength", link_ids=False)

# %% [markdown]
# ## Map
# Customers placed community by community (the same parameters draw the same map), sized by their
# number of ties; customers without ties are counted in the title instead of drawn. The next pages
# colour it by community and highlight the influencers.

# %%
plot.network_map(G, communities=shared(nl.communities, G, seed=seed), seed=seed)
