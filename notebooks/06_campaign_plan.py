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
runs = 1000  # Monte-Carlo runs per reach estimate of the other pages (this page sizes its runs to `precision`)
precision = 0.02  # every reach estimate: runs added until its 95% interval is within ± this share of the reach
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
def reach(seeds, sizes=None):
    """Expected reach of the first j seeds (j in sizes; all of them when None) at the report's p, and at
    the low and high ends of its plausible range: one table per p (mean, 95% interval, runs) by j."""
    return {label: shared(nl.reach_curve, G, list(seeds), sizes=sizes or [len(seeds)], p=pp, precision=precision,
                          seed=seed)
            for label, pp in (("low", a.p_low), ("mid", a.p), ("high", a.p_high))}


def runs_used(*estimates):
    """'n runs' or 'n to m runs' over the estimates given (dicts from reach)."""
    used = pd.concat([e["runs"] for r in estimates for e in r.values()])
    return f"{used.min():,} runs" if used.min() == used.max() else f"{used.min():,} to {used.max():,} runs"


# %% [markdown]
# ## Recommendation
# The best single campaign of *k* seeds, picked by reverse influence sampling (HIST, Guo et al. 2020; with IMM's (1 − 1/e − ε)
# guarantee under the model).

# %%
best = shared(nl.maximize_influence, G, min(k, n), p=a.p, seed=seed, mc_runs=100)
r = reach(best.seeds)
mid, low, high = (r[x].iloc[-1] for x in ("mid", "low", "high"))
say(f"Seed {', '.join(best.seeds)}. Expected reach: about {round_reach(mid['mean'])} customers",
    f"({mid['mean'] / n:.1%}; 95% interval {mid['ci_low']:,.0f} to {mid['ci_high']:,.0f} over {mid['runs']:,}",
    f"simulated cascades); between {round_reach(low['mean'])} and {round_reach(high['mean'])} if the pass-on",
    f"probability is between {a.p_low:.1%} and {a.p_high:.1%}.")

# %%
ranking = shared(nl.influencers, G, top=None, p=a.p, seed=seed)
table(ranking.loc[best.seeds, ["rank", "expected_reach", "why"]].assign(pick_order=range(1, len(best.seeds) + 1)),
      caption="The campaign's seeds, in the order they were picked")

# %% [markdown]
# ## Seeds per segment
# Within each behaviour segment, the customers ranked most influential; the reach is simulated over the
# whole network (a message does not stay inside its segment), each estimate to the same precision.

# %%
if len(data.events):
    profiles, mapping, unmapped_share = behaviour_profiles(data, taxonomy)
    seg = nl.segments(profiles, seed=seed)
    playbook = nl.strategy_playbook(profiles, seg)
    degenerate = _degenerate(profiles, unmapped_share)
    rows, estimates = [], []
    members = seg["segment"].reindex(ranking.index)
    for s, info in playbook.iterrows():
        chosen = list(ranking.index[members == s][:k])
        if not chosen or s == -1:
            continue
        rr = reach(chosen)
        estimates.append(rr)
        m = rr["mid"].iloc[-1]
        rows.append({"segment": info["name"], "customers": info["n_customers"], "strategy": info["strategy"],
                     "seeds": ", ".join(chosen), "expected_reach": m["mean"], "reach_95%_from": m["ci_low"],
                     "reach_95%_to": m["ci_high"], "reach_if_p_low": rr["low"]["mean"].iloc[-1],
                     "reach_if_p_high": rr["high"]["mean"].iloc[-1]})
    plan = pd.DataFrame(rows).set_index("segment")
    display(say(f"No strategy is recommended: {degenerate}.", kind="warning") if degenerate else
            table(plan, caption=f"Seeds and reach per behaviour segment (mean reach over {runs_used(*estimates)} "
                                f"per estimate, each 95% interval within ±{precision:.0%})", ids=("seeds",)))
else:
    display(say("The data has no events, so there are no behaviour segments to plan for."))

# %% [markdown]
# ## Reach against the number of seeds
# Each method picks its seeds in order; the reach of the first *j* is estimated for growing *j*, every
# method's seeds the same way. HIST carries a guarantee (with IMM's (1 − 1/e − ε) ratio); degree
# discount and top degree are fast heuristics. Bands show the reach over the plausible range of the
# pass-on probability; the table gives each point's Monte-Carlo interval.

# %%
steps = sorted({j for j in (1, 2, max(1, k // 2), k, 2 * k) if j <= n})
curve = []
for method in ("hist", "degree_discount", "top_degree"):
    picked = nl.maximize_influence(G, min(max(steps), n), p=a.p, method=method, seed=seed, mc_runs=100).seeds
    rr = reach(picked, steps)
    curve.append(pd.DataFrame({"method": method, "seeds": steps, "expected_reach": rr["mid"]["mean"].to_numpy(),
                               "reach_95%_from": rr["mid"]["ci_low"].to_numpy(),
                               "reach_95%_to": rr["mid"]["ci_high"].to_numpy(),
                               "reach_if_p_low": rr["low"]["mean"].to_numpy(),
                               "reach_if_p_high": rr["high"]["mean"].to_numpy(),
                               "runs": rr["mid"]["runs"].to_numpy()}))
curve = pd.concat(curve, ignore_index=True)
display(say(f"Each point is the mean reach of the method's first j seeds over simulated cascades of the",
            f"independent cascade model, the seeds added one at a time to the same cascades (so one run gives",
            f"every j); runs were added until each point's 95% interval was within ±{precision:.0%} of its reach",
            f"({curve['runs'].min():,} to {curve['runs'].max():,} runs at p = {a.p:.1%}; the same rule at the",
            f"low and high p)."))
plot.reach_curves(curve, x="seeds", mean="expected_reach", low="reach_if_p_low", high="reach_if_p_high",
                  band="plausible pass-on probability")

# %%
table(curve.set_index("method").drop(columns="runs"), caption="Reach against the number of seeds, per method",
      page_length=len(curve))
