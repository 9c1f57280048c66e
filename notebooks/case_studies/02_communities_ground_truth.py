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
# # Case study 2. Community structure with ground truth
# Three networks whose real groups are known: Zachary's karate club (the two factions after the club
# split; Zachary 1977), American college football 2000 (the 12 conferences; Girvan & Newman 2002) and
# the email network of a European research institution (42 departments; Yin et al. 2017). For each,
# netlib's community methods (Leiden, Louvain, label propagation) are scored two ways:
#
# * **modularity** against the best value known: the proven optimum for karate, 0.41979 (Brandes et
#   al. 2008), and the published optimum for football, 0.6046 (Aloise et al. 2010); none is published
#   for email-Eu-core;
# * **agreement with the real groups**: normalised mutual information (NMI), adjusted mutual
#   information (AMI) and the adjusted Rand index (ARI).
#
# All graphs are read unweighted and undirected (email: who emailed whom in either direction,
# self-loops dropped), as the published values are.

# %% tags=["parameters"]
data_dir = None  # folder holding football/ and email-Eu-core/; None: NETLIB_DATA_HOME, else netlib's cache folder
seed = 42  # seeds every community detection run
restarts = None  # restarts per method; None = netlib's size-dependent default (50 on small graphs)

# %%
import networkx as nx
import plotly.express as px

import netlib as nl
import netlib_cases as cs

home = nl.datasets.data_home(data_dir, needs=["football", "email-Eu-core"])
karate = nl.datasets.karate_club()
football = nl.datasets.football(data_home=home)
email = nl.datasets.email_eu_core(data_home=home)
email_u = nx.Graph(email.to_undirected())
email_u.remove_edges_from(list(nx.selfloop_edges(email_u)))
networks = {
    "karate": (karate, nl.datasets.ground_truth(karate)),
    "football": (football, nl.datasets.ground_truth(football)),
    "email-Eu-core": (email_u, nl.datasets.ground_truth(email)),
}
{name: f"{G.number_of_nodes()} nodes, {G.number_of_edges()} ties, {truth.nunique()} groups"
 for name, (G, truth) in networks.items()}

# %%
bench = cs.community_benchmark(networks, seed=seed, restarts=restarts)
bench.round(4)

# %%
px.bar(bench.reset_index(), x="network", y="nmi", color="method", barmode="group",
       title="Agreement with the real groups (NMI; ground truth = 1)")

# %%
found = bench.reset_index()
px.bar(found, x="network", y="modularity", color="method", barmode="group",
       title="Modularity found; dashes mark the best known value").add_scatter(
    x=[n for n in bench.index.get_level_values(0).unique()],
    y=[cs.BEST_KNOWN_MODULARITY[n]["modularity"] for n in bench.index.get_level_values(0).unique()],
    mode="markers", marker={"symbol": "line-ew-open", "size": 40, "line": {"width": 3}}, name="best known")

# %% [markdown]
# **What this shows.** Leiden and Louvain reach the proven optimum on karate (0.41979) and the
# published optimum on football (to four decimals). Higher modularity does not mean closer to the
# real groups: on karate the optimum splits the club into four groups (NMI about 0.59 against the
# two factions), and the real groups score *lower* modularity than the optimum everywhere (karate
# 0.358, football 0.554, email 0.288). Football's conferences are recovered well (NMI about 0.89).
# The 42 email departments are recovered only in part (NMI about 0.59), and label propagation
# puts almost all of email-Eu-core into one community (modularity 0), a known failure of that method
# on dense cores.
#
# The club on a map, coloured by Leiden community, with each member's faction in the hover text:

# %%
part = nl.communities(karate, weight=None, seed=seed)
faction = networks["karate"][1].map(networks["karate"][1].attrs["labels"]).rename("faction").to_frame()
nl.plot.network_map(karate, communities=part, hover=faction, seed=seed,
                 title="Karate club: Leiden communities (modularity optimum)")

# %%
nl.plot.community_sizes(nl.communities(email_u, weight=None, seed=seed), title="email-Eu-core: Leiden community sizes")
