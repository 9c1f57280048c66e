"""Ten million customers, fifty million ties: centrality, communities and influence maximization (issue 17).

Run, one stage per process so that each stage's peak memory is its own:

    PYTHONPATH=$PWD .venv/bin/python bench/bench_10m.py build NET.npz [--n 10000000 --avg-degree 5]
    PYTHONPATH=$PWD .venv/bin/python bench/bench_10m.py centrality NET.npz [--json out.json]
    PYTHONPATH=$PWD .venv/bin/python bench/bench_10m.py communities NET.npz
    PYTHONPATH=$PWD .venv/bin/python bench/bench_10m.py imm NET.npz [--k 50]

(each under ``flock`` on a shared machine: a stage may take most of its memory).

``build`` draws the synthetic world's planted sharing network (netlib.synth's first four steps with
the generator's default parameters: heavy-tailed communities, a block configuration model of
friendships with power-law degrees, influencers with followers; friend ties in both directions) and
saves it as a :class:`netlib.CustomerNetwork` (weight = tie strength, one interaction per tie, no
times, the tie's channel). With ``--avg-degree 5`` ten million customers hold about 51 million ties.
The interaction and event tables the full generator would also write (over 100M rows each at this
size) are not drawn: the analyses measured here read only the network.

Each stage prints, and with ``--json`` records, wall seconds, CPU seconds of the process and the
process's peak resident memory (``ru_maxrss``; it includes loading the network).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

import netlib as nl

_CHANNELS = ("app", "email", "in_person", "social")  # sorted; synth's tie channel codes 0..3 are
_FROM_SYNTH = np.array([2, 0, 3, 1], np.int8)         # in_person, app, social, email


def planted_network(n: int, avg_degree: float, seed: int) -> nl.CustomerNetwork:
    """The synthetic world's planted sharing arcs at ``n`` customers as a CustomerNetwork."""
    from netlib.synth import graph
    from netlib.synth._arrays import _labels

    w = SimpleNamespace(n=n, k=max(2, round(n / 100)), mu=0.2, avg_degree=avg_degree, degree_exponent=2.5,
                        dmax=min(n - 1, round(15 * avg_degree)), n_inf=max(3, round(n / 400)),
                        reach=min(n - 1, round(10 * avg_degree)), window=180 * 86400,
                        events_per_customer=12.0, share_prob=0.025)
    rng_c, rng_t, rng_i, rng_p = np.random.default_rng(seed).spawn(4)
    graph.communities(w, rng_c)
    graph.friendships(w, rng_t)
    graph.influencers(w, rng_i)
    graph.profiles(w, rng_p)
    graph.sharing_arcs(w)
    m = len(w.arc_dst)
    ids = pd.Index(pd.Series(_labels("C", n), dtype="str"), name="customer_id")
    none = np.full(m, np.iinfo(np.int64).min, np.int64)  # NaT: the planted ties carry no times
    return nl.CustomerNetwork(
        ids=ids, indptr=w.indptr.astype(np.int64), indices=w.arc_dst.astype(np.int32),
        weight=w.arc_w.astype(np.float64), count=np.ones(m, np.int32), first_ns=none, last_ns=none.copy(),
        channels=_CHANNELS, channel_ptr=np.arange(m + 1, dtype=np.int64),
        channel_code=_FROM_SYNTH[w.arc_chan], channel_count=np.ones(m, np.int32),
        graph={"source": f"bench_10m planted network n={n} avg_degree={avg_degree} seed={seed}",
               "customers": n, "ties": m})


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("stage", choices=["build", "centrality", "communities", "imm"])
    ap.add_argument("network", type=Path, help="the .npz the build stage writes and the others read")
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--avg-degree", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--k", type=int, default=50)
    ap.add_argument("--json", type=Path, help="append this stage's row to a JSON list here")
    args = ap.parse_args(argv)

    t0, c0 = time.perf_counter(), time.process_time()
    row = {"stage": args.stage}
    if args.stage == "build":
        net = planted_network(args.n, args.avg_degree, args.seed)
        net.save(args.network)
        row.update(customers=net.n, ties=net.m, bytes_per_tie=round(net.nbytes / net.m, 1))
    else:
        net = nl.CustomerNetwork.load(args.network)
        row["load_seconds"] = round(time.perf_counter() - t0, 1)
        row.update(customers=net.n, ties=net.m)
        if args.stage == "centrality":
            out = nl.centrality(net, seed=args.seed)
            row["estimators"] = out.attrs["provenance"].get("estimators")
        elif args.stage == "communities":
            out = nl.communities(net, seed=args.seed, progress=True)
            row.update(communities=int(out.nunique()), modularity=round(float(nl.modularity(net, out)), 4))
        else:
            res = nl.maximize_influence(net, args.k, seed=args.seed, progress=True)
            row.update(method=res.method, model=res.model, reach=res.spread, ci=res.ci,
                       guarantee=res.provenance.get("guarantee", {}).get("statement"))
    row.update(seconds=round(time.perf_counter() - t0, 1), cpu_seconds=round(time.process_time() - c0, 1),
               peak_mib=round(_peak_mib()))
    print(json.dumps(row, default=str), flush=True)
    if args.json:
        rows = json.loads(args.json.read_text()) if args.json.exists() else []
        args.json.write_text(json.dumps(rows + [row], indent=2, default=str))


if __name__ == "__main__":
    main()
