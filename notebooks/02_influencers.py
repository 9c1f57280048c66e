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
# # 2. Influencers
# Who can spread an idea furthest: customers ranked by the reach a message seeded with them alone
# would have under an independent-cascade model, by how many customers sit within two steps, by how
# much they share and by how often they bridge others, with the evidence for every rank.

# %% tags=["parameters"]
data_path = None  # folder with customers / interactions / events files (None: the shipped sample)
seed = 42  # seeds every stochastic step (reach estimates, communities, layouts)
k = 10  # how many influencers / seeds to name
p = None  # pass-on probability of a tie (None: estimated from the share log; the report passes its estimate)
runs = 1000  # Monte-Carlo runs per reach estimate
taxonomy = None  # event-type -> behaviour file (None: taxonomy.yaml in the data folder, else netlib's default)
read_options = {}  # further netlib.read_data keywords, e.g. {"columns": {"interactions": {"src": "source"}}}

# %%
import netlib as nl
from netlib import plot
from netlib.report import estimate_p, notebook_setup, say, shared, table

# shared(f, G, ...) is f(G, ...); in a report run it is computed once for all pages (netlib.report.shared)
data, G = notebook_setup(data_path, read_options=read_options)
assumptions = estimate_p(data, seed=seed, k=k, runs=runs, p=p)
say(assumptions.sentence(), kind="assumptions")

# %% [markdown]
# ## The ranking
# Each customer's influence score is the mean of their percentiles on the four measures (1 = top on
# all); the rank orders the scores, and *why* says where the customer stands on each measure.

# %%
ranking = shared(nl.influencers, G, top=None, p=assumptions.p, seed=seed)
top = ranking.head(k)
first = top.iloc[0]
say(f"The most influential customer is {top.index[0]}: {first['why']}.",
    f"A message seeded with them alone is expected to reach {first['expected_reach']:,.0f} customers",
    f"({first['expected_reach'] / G.number_of_nodes():.1%} of the network).")

# %%
table(top[["rank", "expected_reach", "reach_2hop", "out_strength", "betweenness", "why"]],
      caption=f"The {k} most influential customers and the measures behind their rank")

# %%
plot.ranking_measures(top)

# %% [markdown]
# ## How skewed attention is
# Who receives interactions (in-degree) is usually even more skewed than who sends them.

# %%
cent = nl.centrality(G, ["in_degree", "out_degree", "pagerank"], seed=seed)
share = cent["in_degree"].nlargest(max(1, len(cent) // 10)).sum() / max(cent["in_degree"].sum(), 1)
say(f"The top 10% of customers by in-degree receive {share:.0%} of all ties.")

# %%
plot.degree_distribution(cent, column="in_degree")

# %% [markdown]
# ## Where the influencers sit
# The network drawn community by community; the ranked influencers are highlighted and labelled with
# their rank.

# %%
part = shared(nl.communities, G, seed=seed)
plot.network_map(G, communities=part, size=cent["pagerank"], size_label="PageRank", highlight=top["rank"], seed=seed,
                 title=f"Where the {k} most influential customers sit")

# %% [markdown]
# ## Influence seen in real spreading
# The ranking above is a model. The shares themselves tell who actually set off adoptions: customers
# ranked by how many adoptions happened downstream of them in the reconstructed cascades.

# %%
cascades = shared(nl.reconstruct_cascades, data)
observed = nl.cascade_influencers(cascades, top=k) if len(cascades) else None
both = sorted(set(top.index) & set(observed.index)) if observed is not None else []
say(f"{len(both)} of the {k} modelled influencers are also among the {k} customers with the most adoptions",
    f"downstream ({', '.join(both)})." if both else "downstream.") if observed is not None else \
    say("The data has no item shares, so observed spreading cannot be compared with the model.")

# %%
table(observed, caption="Customers with the most adoptions downstream") if observed is not None else None

# %%
plot.influencer_bars(observed, score="downstream", title="Customers with the most adoptions downstream") \
    if observed is not None else None
