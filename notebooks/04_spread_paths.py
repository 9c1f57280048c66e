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
# # 4. Spread paths
# Along which paths ideas spread, seen two ways: how items actually travelled (each share attributed
# to the earlier sharer the customer first heard it from, one tree per cascade), and the routes a
# campaign's message would take between customers and communities.

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
from netlib.report import describe_communities, estimate_p, notebook_setup, say, shared, table

# shared(f, G, ...) is f(G, ...); in a report run it is computed once for all pages (netlib.report.shared)
data, G = notebook_setup(data_path, read_options=read_options)
assumptions = estimate_p(data, seed=seed, k=k, runs=runs, p=p)
part = shared(nl.communities, G, seed=seed)
casc = shared(nl.reconstruct_cascades, data)
say(f"{casc['item_id'].nunique():,} items were shared and adopted by {len(casc):,} customers in all."
    if len(casc) else "The data has no item shares, so no cascade can be reconstructed; the routes below still apply.")

# %% [markdown]
# ## The cascades
# Size (adopters), depth (longest chain), widest step and structural virality: the mean distance
# between adopters, low for a broadcast from one sender, high for a long person-to-person chain
# (Goel, Anderson, Hofman & Watts 2016).

# %%
metrics = nl.cascade_metrics(casc) if len(casc) else None
if metrics is not None:
    big = metrics.iloc[0]
    hops = casc[casc["parent"].notna()]
    inside = (hops["parent"].map(part) == hops["customer"].map(part)).mean() if len(hops) else float("nan")
    display(say(f"The largest cascade (item {big['item_id']}, started by {big['root']}) reached {int(big['size']):,}",
                f"customers in {int(big['depth'])} steps; {inside:.0%} of all passes stayed inside a community."))
    display(table(metrics.drop(columns=["start"]).set_index(["item_id", "root"]), caption="The cascades, largest first",
                  whole="cascades.csv of the report's exports"))

# %%
plot.virality_scatter(metrics) if metrics is not None else None

# %% [markdown]
# ## The largest cascade
# Time runs left to right; each row is one adopter, placed under the customer they got the item from.

# %%
plot.cascade_tree(casc) if len(casc) else None

# %% [markdown]
# ## Adoption over time
# Cumulative adopters of the largest items, measured from each item's first share.

# %%
plot.adoption_curves(nl.adoption_curves(casc, elapsed=True), top=k) if len(casc) else None

# %% [markdown]
# ## Routes between communities
# The heaviest links between communities carry most of what crosses from one group to another; the
# last column counts the observed adoptions that crossed each link.

# %%
ranking = shared(nl.influencers, G, top=None, p=assumptions.p, seed=seed)
described, links = describe_communities(G, part, customers=data.customers, ranking=ranking)
if len(casc):  # adoptions passed between two communities, counted per unordered pair of communities
    hops = casc[casc["parent"].notna()]
    cross = pd.DataFrame({"a": hops["parent"].map(part), "b": hops["customer"].map(part)}).dropna().astype("int64")
    cross = cross[cross["a"] != cross["b"]]
    pairs = pd.DataFrame({"a": cross.min(axis=1), "b": cross.max(axis=1)}).value_counts()
    ends = links[["community_a", "community_b"]].astype("int64")
    links["cascade_hops"] = pairs.reindex(pd.MultiIndex.from_arrays([ends.min(axis=1), ends.max(axis=1)]),
                                          fill_value=0).to_numpy(dtype="int64")
table(links.head(20), caption="The main routes between communities", link_ids=False)

# %% [markdown]
# ## Where a campaign's message would go
# The campaign of page 6 (IMM seeds at the report's pass-on probability): the territory each seed is
# the most likely first to reach, and the most probable path from the seeds to the most influential
# member of each large community.

# %%
seeds = shared(nl.maximize_influence, G, min(k, G.number_of_nodes()), p=assumptions.p, seed=seed,
               mc_runs=100).seeds
terr = nl.territories(G, seeds, p=assumptions.p)
won = terr["seed"].value_counts().reindex(seeds).fillna(0).astype(int)
main = {s: part.reindex(terr.index[terr["seed"] == s]).value_counts().index[0] for s in seeds if won[s]}
table(pd.DataFrame({"territory_size": won, "territory_share": won / G.number_of_nodes(),
                    "community": part.reindex(seeds), "territory_main_community": pd.Series(main)}
                   ).rename_axis("seed"), caption="Each seed's territory")

# %%
paths = []
for c in described.index[described["size"] > 1][:8]:
    target = next((v for v in ranking.index if part.get(v) == c and v not in seeds), None)
    if target is None or pd.isna(terr.loc[target, "seed"]):
        continue
    route = nl.most_probable_path(G, terr.loc[target, "seed"], target, p=assumptions.p)
    paths.append({"community": c, "community_name": described.loc[c, "name"], "target": target,
                  "path": " → ".join(route.nodes), "probability": route.probability})
table(pd.DataFrame(paths).set_index("community"), caption="Most probable path from the seeds into each large community")

# %%
plot.network_map(G, communities=part, highlight=pd.Series(range(1, len(seeds) + 1), index=seeds), seed=seed,
                 paths=[p_["path"].split(" → ") for p_ in paths], title="Campaign seeds and their most probable paths")
