"""The network explorer: time to interactive in headless Chromium, page size, and the layout at scale.

    .venv/bin/python bench/bench_explorer.py                 # sample + 100,000 customers
    .venv/bin/python bench/bench_explorer.py 20000           # sample + 20,000 customers
    .venv/bin/python bench/bench_explorer.py 100000 --layouts [--cap 600]
                                                             # + whole-graph layouts to compare with
    .venv/bin/python bench/bench_explorer.py --world /work/cache/report1m/world200k \
        --customers OUT/exports/customers.csv --communities OUT/exports/communities.csv
                                                             # a world folder, with a report's own tables
    /work/bigrun .venv/bin/python bench/bench_explorer.py --world /work/cache/world1m \
        --npz /work/cache/world1m_csr.npz                    # the 1M world from its tie arrays

Time to interactive is the page's own clock: ``performance.now()`` when the explorer is ready (0 is
the start of navigation), so it covers parsing the HTML, inflating the data, building the graph and
the first WebGL frame. Chromium is Debian's, driven by selenium through ``tests/_webdriver.py`` (network
cut off, software WebGL). The baseline in the same browser is the explorer of the 34-member karate club:
the ratio shows what the data cost on top of starting sigma.js.

``--world``: the page as a report writes it for a world folder: the network read from the folder (or
rebuilt from ``--npz`` tie arrays), the customer table a report's exports hold (``--customers``,
``--communities``) or else one made like it from the world's own files (attributes from
``customers.csv``, communities and behaviour shares from ``truth_customers.csv``, PageRank, degree
and out-strength from the network, rank by PageRank, the 10 top ranked as seeds, as a report picks). It prints the
seconds and peak memory of writing the page (layout included), the page size and the time to
interactive, and keeps the page in ``--keep`` when given.

Layouts (``--layouts``): the explorer's community-clustered layout against igraph's Fruchterman–Reingold
(grid) and DrL, networkx's spring layout and ForceAtlas2 (``fa2_modified``, when installed) on the same
graph, each in its own process, stopped after ``--cap`` seconds. Ratios are against the explorer's layout
of every placed customer measured in the same run.
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

import netlib as nl
from netlib.explorer import write_explorer
from netlib.explorer import _layout
from netlib.explorer._data import MAX_NODES

REPO = Path(__file__).resolve().parents[1]
READY = "window.netlibExplorer && (window.netlibExplorer.ready || window.netlibExplorer.errors.length > 0)"


def _browser():
    sys.path.insert(0, str(REPO / "tests"))
    import _webdriver

    reason = _webdriver.missing_reason()
    if reason:
        raise SystemExit(f"cannot measure the page: {reason}")
    return _webdriver.Browser(width=1400, height=900)


def _wait(browser, expression: str, timeout: float) -> None:
    """Poll ``expression``; a page busy in one long task can keep a poll waiting past selenium's 120 s."""
    from selenium.common.exceptions import TimeoutException
    from urllib3.exceptions import ReadTimeoutError

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if browser.js(f"return ({expression});"):
                return
        except (TimeoutException, ReadTimeoutError, TimeoutError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"timed out after {timeout:g} s waiting for: {expression}")


def tti(browser, page: Path, runs: int = 3) -> tuple[float, dict]:
    """Median time to interactive (s) over ``runs`` loads, and the page's own marks of the last one."""
    times = []
    for _ in range(runs):
        # navigate from a blank page by script: selenium's get() gives up after 120 s on a busy machine
        blank = page.parent / "blank.html"
        blank.write_text("<!doctype html><title>blank</title>", encoding="utf-8")
        browser.open(blank)
        browser.js("location.href = arguments[0];", page.resolve().as_uri())
        _wait(browser, f"location.href.endsWith({page.name!r}) && {READY}", timeout=900)
        errors = browser.js("return window.netlibExplorer.errors")
        if errors:
            raise SystemExit(f"{page}: the explorer reported errors: {errors}")
        times.append(browser.js("return window.netlibExplorer.readyAt") / 1000)
    marks = browser.js("return window.netlibExplorer.marks")
    return float(np.median(times)), marks


_ALTERNATIVE = r"""
import sys, time, pickle
import numpy as np
which, path = sys.argv[1], sys.argv[2]
n, edges = pickle.load(open(path, "rb"))
t = time.perf_counter()
if which == "igraph FR grid":
    import igraph as ig
    ig.Graph(n=n, edges=edges).layout_fruchterman_reingold(grid=True)
elif which == "igraph DrL":
    import igraph as ig
    ig.Graph(n=n, edges=edges).layout_drl()
elif which == "networkx spring":
    import networkx as nx
    G = nx.Graph(); G.add_nodes_from(range(n)); G.add_edges_from(edges)
    t = time.perf_counter()
    nx.spring_layout(G, seed=0, iterations=50)
elif which == "ForceAtlas2":
    import networkx as nx
    from fa2_modified import ForceAtlas2
    G = nx.Graph(); G.add_nodes_from(range(n)); G.add_edges_from(edges)
    t = time.perf_counter()
    ForceAtlas2(barnesHutOptimize=True, verbose=False).forceatlas2_networkx_layout(G, pos=None, iterations=100)
print(time.perf_counter() - t)
"""


def layouts(G: nx.Graph, cap: float) -> None:
    t = _layout.ties(G)
    labels, comp = _layout.components(t)
    placed = comp >= _layout.MIN_COMPONENT
    t0 = time.perf_counter()
    membership = nl.communities(G, seed=0, progress=False).reindex(t.nodes).to_numpy()
    t_comm = time.perf_counter() - t0
    t0 = time.perf_counter()
    _layout.community_layout(t, membership, placed, seed=0)
    ours = time.perf_counter() - t0
    print(f"   communities (Leiden, needed by the layout) {t_comm:7.1f} s")
    print(f"   explorer layout, all {int(placed.sum()):,} placed customers {ours:7.1f} s  = 1.0 x")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "edges.pkl"
        with open(path, "wb") as fh:
            pickle.dump((t.n, np.column_stack([t.u, t.v]).tolist()), fh)
        for which in ("igraph FR grid", "igraph DrL", "networkx spring", "ForceAtlas2"):
            try:
                out = subprocess.run([sys.executable, "-c", _ALTERNATIVE, which, str(path)], capture_output=True,
                                     text=True, timeout=cap, check=False)
            except subprocess.TimeoutExpired:
                print(f"   {which:<44} > {cap:5.0f} s (stopped)  > {cap / ours:.1f} x")
                continue
            if out.returncode:
                last = (out.stderr.strip().splitlines() or ["?"])[-1]
                print(f"   {which:<44} not run: {last}")
                continue
            sec = float(out.stdout.strip().splitlines()[-1])
            print(f"   {which:<44} {sec:7.1f} s  = {sec / ours:.1f} x")


def _network(folder: Path, npz: str | None):
    import pandas as pd

    if npz is None:
        return nl.customer_network(nl.read_data(folder))
    z = np.load(npz)
    if "meta" in z.files:  # saved by CustomerNetwork.save
        return nl.CustomerNetwork.load(npz)
    m = len(z["indices"])
    nat = np.full(m, np.iinfo(np.int64).min, dtype=np.int64)
    return nl.CustomerNetwork(pd.Index(z["ids"], name="customer_id"), z["indptr"], z["indices"], z["weights"],
                              np.ones(m, dtype=np.int32), nat, nat.copy(), ("all",),
                              np.arange(m + 1, dtype=np.int64), np.zeros(m, dtype=np.int32),
                              np.ones(m, dtype=np.int32))


def _world_tables(net, folder: Path, customers: str | None, communities: str | None):
    """(customers, communities, seeds): a report's exports when given, else a table made like them."""
    import pandas as pd

    if customers:
        cust = pd.read_csv(customers, dtype={"customer_id": str}, keep_default_na=False, na_values=[""])
        cust = cust.set_index("customer_id")
        comm = pd.read_csv(communities).set_index("community") if communities else None
        return cust, comm, cust.index[cust["is_seed"].astype(bool)].tolist()
    cust = pd.read_csv(folder / "customers.csv", dtype=str).set_index("customer_id")
    cust = cust.rename(columns={"segment": "customer_segment"})
    truth = pd.read_csv(folder / "truth_customers.csv", dtype={"customer_id": str}).set_index("customer_id")
    cust = cust.reindex(net.ids.astype(str))
    cust.index.name = "customer_id"
    behaviours = ["access", "engage", "customize", "connect", "collaborate"]
    shares = truth[behaviours].reindex(cust.index)
    cust["community"] = pd.factorize(truth["community"].reindex(cust.index))[0]
    cust["segment"] = shares.idxmax(axis=1)
    cust[behaviours] = shares
    pr = nl.centrality(net, ["pagerank"], seed=0)["pagerank"].to_numpy()
    out_deg, in_deg = np.diff(net.indptr), np.bincount(net.indices, minlength=net.n)
    strength = np.bincount(np.repeat(np.arange(net.n), out_deg), weights=net.weight, minlength=net.n)
    cust["influence_score"] = pr
    cust["influence_rank"] = pd.Series(pr, index=cust.index).rank(ascending=False, method="first").astype(int)
    cust["degree"] = out_deg + in_deg
    cust["out_strength"] = strength
    seeds = cust.index[cust["influence_rank"] <= 10].tolist()
    cust["is_seed"] = cust.index.isin(seeds)
    return cust, None, seeds


def world_page(args) -> None:
    from bench_imm import PeakRSS

    folder = Path(args.world)
    t0 = time.perf_counter()
    net = _network(folder, args.npz)
    cust, comm, seeds = _world_tables(net, folder, args.customers, args.communities)
    print(f"== {folder} ({net.n:,} customers, {net.m:,} directed ties; network and tables in "
          f"{time.perf_counter() - t0:.1f} s; load average {Path('/proc/loadavg').read_text().split()[0]})", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.keep) if args.keep else Path(tmp) / "explorer.html"
        t0, c0 = time.perf_counter(), time.process_time()
        with PeakRSS() as rss:
            write_explorer(net, out, customers=cust, communities=comm, seeds=seeds, size_by="influence_score",
                           seed=0, export_href="exports/customers.csv")
        print(f"   written in {time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU; peak "
              f"+{(rss.peak - rss.start) / 2**30:.2f} GiB above the {rss.start / 2**30:.2f} GiB held before; "
              f"page {out.stat().st_size / 1e6:.1f} MB", flush=True)
        if args.no_browser:
            return
        browser = _browser()
        try:
            t_base, _ = tti(browser, write_explorer(nx.karate_club_graph(), Path(tmp) / "karate.html", seed=0))
            sec, marks = tti(browser, out, runs=args.runs)
        finally:
            browser.close()
        print(f"   interactive in {sec:.2f} s (median of {args.runs}) = {sec / t_base:.1f} x karate ({t_base:.2f} s)")
        print(f"      page marks (ms from script start): {marks}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--world", help="a world folder: the page a report writes for it (see the notes)")
    ap.add_argument("--npz", help="with --world: its network from these tie arrays (or a CustomerNetwork.save file)")
    ap.add_argument("--customers", help="with --world: a report's exports/customers.csv")
    ap.add_argument("--communities", help="with --world: a report's exports/communities.csv")
    ap.add_argument("--keep", help="with --world: write the page here")
    ap.add_argument("--runs", type=int, default=3, help="page loads timed (the median is shown)")
    ap.add_argument("--no-browser", action="store_true", help="with --world: only write the page")
    ap.add_argument("--layouts", action="store_true", help="also time whole-graph layouts to compare with")
    ap.add_argument("--cap", type=float, default=600.0, help="seconds before an alternative layout is stopped")
    args = ap.parse_args()
    if args.world:
        sys.path.insert(0, str(REPO / "bench"))
        world_page(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        print(f"== pages (machine load average now: {Path('/proc/loadavg').read_text().split()[0]})")
        base = write_explorer(nx.karate_club_graph(), out / "karate.html", seed=0)
        t0 = time.perf_counter()
        sample_page = write_explorer(nl.build_network(nl.load_sample()), out / "sample.html", seed=0)
        t_sample = time.perf_counter() - t0
        t0 = time.perf_counter()
        world = nl.generate(n_customers=args.n, seed=1, progress=False)
        G = nl.build_network(world)
        t_world = time.perf_counter() - t0
        t0 = time.perf_counter()
        big_page = write_explorer(G, out / "big.html", customers=world.customers.set_index("customer_id"), seed=0)
        t_big = time.perf_counter() - t0
        browser = _browser()
        try:
            t_base, _ = tti(browser, base)
            for label, page, build in (("sample (2,000 customers)", sample_page, t_sample),
                                       (f"{args.n:,} customers (map: {min(args.n, MAX_NODES):,} drawn)", big_page, t_big)):
                sec, marks = tti(browser, page)
                size = page.stat().st_size / 1e6
                print(f"   {label:<44} interactive {sec:6.2f} s = {sec / t_base:5.1f} x karate ({t_base:.2f} s); "
                      f"page {size:5.2f} MB; written in {build:6.1f} s")
                print(f"      page marks (ms from script start): {marks}")
        finally:
            browser.close()
        print(f"   (generating + building the {args.n:,}-customer world: {t_world:.1f} s)")
        if args.layouts:
            print(f"== layouts, {args.n:,} customers ({G.number_of_edges():,} directed ties)")
            layouts(G, args.cap)


if __name__ == "__main__":
    main()
