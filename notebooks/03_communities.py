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
# # 3. Communities
# Groups of customers who interact far more with each other than with the rest, found with Leiden
# (Traag, Waltman & van Eck 2019), each described by what its members share. Community ids are
# numbered by size: 0 is the largest.

# %% tags=["parameters"]
data_path = None  # folder with customers / interactions / events files (None: the shipped sample)
seed = 42  # seeds every stochastic step (reach estimates, communities, layouts)
k = 10  # how many influencers / seeds to name
p = None  # pass-on probability of a tie (None: estimated from the share log; the report passes its estimate)
runs = 1000  # Monte-Carlo runs per reach estimate
taxonomy = None  # event-type -> behaviour file (None: taxonomy.yaml in the data folder, else netlib's default)
read_options = {}  # further netlib.read_data keywords, e.g. {"columns": {"interactions": {"src": "source"}}}
resolution = 1.0  # higher finds more, smaller communities
stability_runs = 10  # how many seeded runs measure stability

# %%
import pandas as pd

import netlib as nl
from netlib import plot
from netlib.report import behaviour_profiles, describe_communities, estimate_p, notebook_setup, say, shared, table

# shared(f, G, ...) is f(G, ...); in a report run it is computed once for all pages (netlib.report.shared)
data, G = notebook_setup(data_path, read_options=read_options)
part = shared(nl.communities, G, resolution=resolution, seed=seed)
sizes = part.value_counts()
real = sizes[sizes > 1]
n_alone = int((sizes == 1).sum())
alone = f" (plus {n_alone:,} customer{'s' if n_alone != 1 else ''} on their own)" if n_alone else ""
say(f"Leiden finds {len(real):,} communities of two or more customers{alone};",
    f"the largest holds {sizes.iloc[0]:,} customers ({sizes.iloc[0] / len(part):.0%}).")

# %%
plot.community_sizes(part)

# %% [markdown]
# ## Each community in words
# What the members share: attribute values over-represented in the community (lift = how many times
# more common than among all customers), its behaviour mix, its most influential members and the
# communities it links to, largest community first.

# %%
ranking = shared(nl.influencers, G, top=None, p=estimate_p(data, p=p).p, seed=seed)
profiles = behaviour_profiles(data, taxonomy)[0] if len(data.events) else None
described, links = describe_communities(G, part, customers=data.customers, ranking=ranking, profiles=profiles)
table(described[["name", "size", "share_of_customers", "internal_tie_share", "top_influencers", "linked_to",
                 "description"]], caption="The communities, largest first, described", ids=("top_influencers",),
      whole="communities.csv of the report's exports")

# %%
plot.network_map(G, communities=part, names=described["name"], highlight=ranking["rank"].head(k), seed=seed,
                 title="Communities, with the most influential customers labelled")

# %% [markdown]
# ## How communities connect
# One bubble per community, sized by its customers; lines are the interactions between communities,
# wider for more.

# %%
plot.community_meta_graph(nl.community_graph(G, part), names=described["name"], seed=seed)

# %%
table(links.head(20), caption="The links between communities, heaviest first", link_ids=False)

# %% [markdown]
# ## How stable are they?
# The same detection run with different seeds: customers who land with the same co-members every
# time are firmly placed; boundary customers sit between two communities. The heatmap shows the least
# firmly placed customers beside members of their communities: pale blocks mean the runs disagree.

# %%
stab = nl.community_stability(G, runs=stability_runs, resolution=resolution, seed=seed)
firm = stab.customers["stability"]
say(f"Across {stability_runs} runs, {(firm >= 0.9).mean():.0%} of customers stay with at least 90% of their",
    f"co-members every time; {int(stab.customers['boundary'].sum()):,} sit on a boundary between communities.")

# %%
unsure = stab.customers.nsmallest(40, "stability").index  # the least firmly placed customers
home = stab.reference[stab.reference.isin(stab.reference[unsure].unique())]
shown = list(dict.fromkeys([*unsure, *home.groupby(home).head(15).index]))  # with members of their communities
plot.coassignment(stab.coassignment(shown), partition=stab.reference)

# %% [markdown]
# ## Choosing the scale
# The resolution sets how coarse the communities are. A good working scale keeps modularity high and
# agrees with its neighbours (NMI with the previous row near 1).

# %%
sweep = nl.resolution_sweep(G, seed=seed)
table(sweep, caption="Communities found at each resolution", link_ids=False)

# %%
plot.resolution_sweep(sweep)

# %% [markdown]
# ## Appendix: how good is the split?
# Each quality measure in one sentence.

# %%
truth = data.truth.customers["community"] if data.truth is not None else None
quality = nl.partition_quality(G, part, truth=truth)
MEANING = {
    "modularity": "How much more tie weight falls inside communities than chance would put there "
                  "(0: none; above 0.3: clear structure).",
    "coverage": "Share of all tie weight that lies inside communities.",
    "performance": "Share of customer pairs classed right: tied pairs together, untied pairs apart.",
    "mean_conductance": "Mean share of a community's tie weight that leaves it (lower = better separated).",
    "n_communities": "How many communities were found.",
    "nmi": "Agreement with the known communities (1 = identical), normalised mutual information.",
    "ami": "The same agreement, corrected for chance.",
    "ari": "Share of customer pairs both splits treat alike, corrected for chance.",
}
q = quality.summary.rename("value").to_frame()
q["meaning"] = [MEANING.get(str(i), "") for i in q.index]
table(q.rename_axis("measure"), caption="Quality of the community split", page_length=20, link_ids=False)
