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
# # 6. Campaign plan
# Putting it together: the campaign to run, with its expected reach and the range that reach spans
# over plausible pass-on probabilities; for each behaviour segment the Rogers strategy that fits it
# and the customers to seed it with; and how reach grows with the number of seeds.

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
from netlib.report import behaviour_profiles, estimate_p, notebook_setup, say, shared, table
from netlib.report.findings import _degenerate, round_reach

# shared(f, G, ...) is f(G, ...); in a report run it is computed once for all pages (netlib.report.shared)
data, G = notebook_setup(data_path, read_options=read_options)
n = G.number_of_nodes()
a = estimate_p(data, seed=seed, k=k, runs=runs, p=p)
say(a.sentence(), kind="assumptions")


# %%
def reach(seeds):
    """Expected reach at the report's p, and at the low and high ends of its plausible range."""
    return {label: nl.simulate(G, seeds, p=pp, runs=runs, seed=seed).mean
            for label, pp in (("low", a.p_low), ("mid", a.p), ("high", a.p_high))}


# %% [markdown]
# ## Recommendation
# The best single campaign of *k* seeds, picked by reverse influence sampling (HIST, Guo et al. 2020; with IMM's (1 − 1/e − ε)
# guarantee under the model).

# %%
best = nl.maximize_influence(G, min(k, n), p=a.p, seed=seed, mc_runs=100)
r = reach(best.seeds)
say(f"Seed {', '.join(best.seeds)}. Expected reach: about {round_reach(r['mid'])} customers ({r['mid'] / n:.1%});",
    f"between {round_reach(r['low'])} and {round_reach(r['high'])} if the pass-on probability is",
    f"between {a.p_low:.1%} and {a.p_high:.1%}.")

# %%
ranking = shared(nl.influencers, G, top=None, p=a.p, seed=seed)
table(ranking.loc[best.seeds, ["rank", "expected_reach", "why"]].assign(pick_order=range(1, len(best.seeds) + 1)),
      caption="The campaign's seeds, in the order they were picked")

# %% [markdown]
# ## Seeds per segment
# Within each behaviour segment, the customers ranked most influential; the reach is simulated over the
# whole network (a message does not stay inside its segment).

# %%
if len(data.events):
    profiles, mapping, unmapped_share = behaviour_profiles(data, taxonomy)
    seg = nl.segments(profiles, seed=seed)
    playbook = nl.strategy_playbook(profiles, seg)
    degenerate = _degenerate(profiles, unmapped_share)
    rows = []
    members = seg["segment"].reindex(ranking.index)
    for s, info in playbook.iterrows():
        chosen = list(ranking.index[members == s][:k])
        if not chosen or s == -1:
            continue
        rr = reach(chosen)
        rows.append({"segment": info["name"], "customers": info["n_customers"], "strategy": info["strategy"],
                     "seeds": ", ".join(chosen), "expected_reach": rr["mid"], "reach_if_p_low": rr["low"],
                     "reach_if_p_high": rr["high"]})
    plan = pd.DataFrame(rows).set_index("segment")
    display(say(f"No strategy is recommended: {degenerate}.", kind="warning") if degenerate else
            table(plan, caption="Seeds and reach per behaviour segment", ids=("seeds",)))
else:
    display(say("The data has no events, so there are no behaviour segments to plan for."))

# %% [markdown]
# ## Reach against the number of seeds
# Each method picks its seeds in order; the first *j* of them are simulated for growing *j*. IMM
# carries a guarantee; degree discount and top degree are fast heuristics. Bands show the reach over
# the plausible range of the pass-on probability.

# %%
steps = sorted({1, 2, max(1, k // 2), k, 2 * k})
curve = []
for method in ("imm", "degree_discount", "top_degree"):
    picked = nl.maximize_influence(G, min(max(steps), n), p=a.p, method=method, seed=seed, mc_runs=100).seeds
    for j in steps:
        rr = reach(picked[:j])
        curve.append({"method": method, "seeds": j, "mean": rr["mid"], "ci_low": rr["low"], "ci_high": rr["high"]})
curve = pd.DataFrame(curve)
plot.reach_curves(curve, x="seeds", band="plausible pass-on probability")
