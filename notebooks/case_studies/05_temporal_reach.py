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
# # Case study 5. Temporal messages: reach when paths must respect time
# CollegeMsg (Panzarasa, Opsahl & Carley 2009): 59,835 private messages among 1,899 students of UC
# Irvine, April-October 2004. The static network of who ever wrote to whom overstates how far news can
# travel: news told to `A` on 1 June can only go on through messages `A` sends *after* 1 June. A
# **time-respecting path** is a chain of messages with increasing times (Holme & Saramäki 2012).
#
# For every student: the static reach (students reachable in the aggregated directed network) and the
# temporal reach (reachable by a time-respecting path starting at any time). Then, for the most
# reaching students, how reach shrinks when the news starts later in the term.

# %% tags=["parameters"]
data_dir = None  # folder holding CollegeMsg/; None: NETLIB_DATA_HOME, else netlib's cache folder
every = 1  # use every n-th student as a source (1 = all 1,899)
n_sources = 5  # students followed over start dates
starts_every_days = 14  # days between start dates

# %%
import pandas as pd
import plotly.express as px

import netlib as nl
import netlib_cases as cs

home = nl.datasets.data_home(data_dir, needs=["CollegeMsg"])
msgs = nl.datasets.load_frames("collegemsg", data_home=home)["messages"]
log = pd.DataFrame({"source": msgs["source"].astype("string"), "target": msgs["target"].astype("string"),
                    "timestamp": msgs["timestamp"]})
f"{len(log):,} messages, {pd.concat([log['source'], log['target']]).nunique():,} students, " \
    f"{log['timestamp'].min():%Y-%m-%d} to {log['timestamp'].max():%Y-%m-%d}"

# %%
everyone = sorted(pd.concat([log["source"], log["target"]]).unique())
reach = nl.temporal_reach(log, sources=everyone[::every], progress=False)
reach.describe().round(3)

# %%
senders = reach[reach["static_reach"] > 0]
pd.Series({
    "students used as sources": len(reach),
    "share who reach anyone (static)": (reach["static_reach"] > 0).mean(),
    "median static reach (senders)": senders["static_reach"].median(),
    "median temporal reach (senders)": senders["temporal_reach"].median(),
    "median temporal / static (senders)": senders["ratio"].median(),
    "share of senders keeping >= 90% of static reach": (senders["ratio"] >= 0.9).mean(),
}).round(3)

# %%
px.scatter(senders.reset_index(), x="static_reach", y="temporal_reach", hover_name="customer_id", opacity=0.5,
           title="Reach ignoring time against reach along time-respecting paths (one point per student)")

# %%
px.histogram(senders, x="ratio", nbins=50, title="Temporal reach as a share of static reach")

# %% [markdown]
# ## Starting later reaches fewer
# News that starts on a given date can only use messages sent from then on. For the students with the
# largest temporal reach, the number of students reached by news starting at each date:

# %%
t0, t1 = log["timestamp"].min(), log["timestamp"].max()
starts = list(pd.date_range(t0.normalize(), t1, freq=f"{starts_every_days}D"))
by_start = cs.reach_by_start(log, list(reach.index[:n_sources]), starts)
px.line(by_start, x="start", y="reached", color="source", markers=True,
        title="Students reached by news starting at each date")

# %% [markdown]
# **What this shows.** About 29% of the students never send a message, so they reach no one either
# way. Among those who do, the static network says nearly everyone (about 1,850 students) is
# reachable; along time-respecting paths the median sender reaches about 83% of that. Reach also
# depends on *when* the news starts: activity peaks in the first weeks of the data, and news starting
# after mid-June reaches far fewer students, whatever the static network says.
