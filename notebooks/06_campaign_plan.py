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
# # 6. Campaign plan
# Putting it together: for each behaviour segment, the Rogers strategy that fits it and the customers
# to seed it with; how far a campaign seeded that way is expected to reach; and how the reach grows
# with the number of seeds under each seed-selection method.

# %% tags=["parameters"]
data_path = None  # folder with customers / interactions / events files; None = the shipped sample
seed = 42  # seeds every selection and simulation
k = 10  # seeds per campaign
p = 0.05  # probability that a tie passes the message on (independent cascade)
runs = 1000  # Monte-Carlo runs per reach estimate

# %%
import pandas as pd

import netlib as nl
from netlib import plot
from netlib.datasets import load_sample
from netlib.diffusion import simulate
from netlib.influence import influencers, maximize_influence
from netlib.patterns import pattern_profiles, segments, strategy_playbook

data = nl.read_data(data_path) if data_path else load_sample()
G = nl.build_network(data)
profiles = pattern_profiles(data, on_unmapped="ignore")
seg = segments(profiles, seed=seed)
playbook = strategy_playbook(profiles, seg)
ranking = influencers(G, k=None, p=p, seed=seed)

# %% [markdown]
# ## Seeds per segment
# Within each segment, the customers ranked most influential; the reach is simulated over the whole
# network (a message does not stay inside its segment).

# %%
rows = []
members = seg["segment"].reindex(ranking.index)
for s, info in playbook.iterrows():
    chosen = list(ranking.index[members == s][:k])
    if not chosen:
        continue
    sim = simulate(G, chosen, p=p, runs=runs, seed=seed)
    rows.append({"segment": s, "name": info["name"], "customers": info["n_customers"],
                 "strategy": info["strategy"], "seeds": ", ".join(chosen), "expected_reach": sim.mean,
                 "ci_low": sim.ci[0], "ci_high": sim.ci[1]})
plan = pd.DataFrame(rows).set_index("segment")
plan

# %% [markdown]
# ## Reach against the number of seeds
# Each method picks its seeds in order; the first *j* of them are simulated for growing *j*. IMM
# (Tang, Shi & Xiao 2015) carries a (1 − 1/e − ε) guarantee; degree discount and top degree are fast
# heuristics. Bands are 95% confidence intervals of the mean reach.

# %%
steps = sorted({1, 2, max(1, k // 2), k, 2 * k})
curve = []
for method in ("imm", "degree_discount", "top_degree"):
    picked = maximize_influence(G, max(steps), p=p, method=method, seed=seed, mc_runs=200).seeds
    for j in steps:
        sim = simulate(G, picked[:j], p=p, runs=runs, seed=seed)
        curve.append({"method": method, "k": j, "mean": sim.mean, "ci_low": sim.ci[0], "ci_high": sim.ci[1]})
curve = pd.DataFrame(curve)
plot.reach_curves(curve)

# %% [markdown]
# ## Recommendation
# The best single campaign of *k* seeds, and per segment what to do.

# %%
best = maximize_influence(G, k, p=p, method="imm", seed=seed, mc_runs=runs)
pd.Series({"seeds": ", ".join(best.seeds), "expected reach": round(best.spread, 1),
           "95% interval": f"{best.ci[0]:.1f} – {best.ci[1]:.1f}",
           "share of customers": f"{best.spread / G.number_of_nodes():.1%}"}, name="IMM campaign").to_frame()

# %%
playbook[["name", "n_customers", "strategy", "action", "evidence"]]
