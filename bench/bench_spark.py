"""netlib.spark against the single-machine path: the same answers at 100k customers, and the cost at scale.

Two parts, each run on demand (they are slow; nothing here runs in the test suite):

    # equality on a 100,000-customer synthetic world (nl.generate): tie table, tie strength, profiles,
    # cascades, components and PageRank from Spark local[2] against the single-machine functions
    .venv/bin/python bench/bench_spark.py world --customers 100000

    # time and peak memory of reading + validating + aggregating N interaction rows into the tie table,
    # single machine (read_data + build_network) against Spark local[2] (read_tables + tie_table),
    # each in a fresh child process
    .venv/bin/python bench/bench_spark.py scale --rows 10000000 50000000

Memory: "driver" is the Spark driver JVM's peak resident set (in local mode it is also the executor)
plus the Python driver's; "local" is the single process's peak resident set (VmHWM). Timings on a
shared machine are noisy: the script prints the machine's load average next to every figure.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _vmhwm(pid: int | str = "self") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _session(memory: str = "4g"):
    import netlib.spark as ns

    return ns.session("local[2]", app_name="netlib-bench", config={
        "spark.ui.enabled": "false", "spark.driver.memory": memory,
        "spark.sql.shuffle.partitions": "16"})


# --------------------------------------------------------------------------------------------- world
def world(customers: int, seed: int) -> dict:
    import networkx as nx
    import pandas as pd

    import netlib as nl
    import netlib.spark as ns

    warnings.simplefilter("ignore")
    out: dict = {"customers": customers, "seed": seed}
    t = time.perf_counter()
    data = nl.generate(n_customers=customers, seed=seed)
    out["generate_s"] = time.perf_counter() - t
    out["interactions"] = len(data.interactions)
    out["events"] = len(data.events)
    spark = _session()
    folder = Path(tempfile.mkdtemp(prefix="netlib-world-"))
    nl.write_data(data, folder, format="csv")  # Spark cannot read pandas' nanosecond parquet timestamps
    local = nl.read_data(folder)
    sd = ns.read_tables(folder, spark=spark)
    sd = dataclasses.replace(sd, customers=sd.customers.localCheckpoint(),
                             interactions=sd.interactions.localCheckpoint(), events=sd.events.localCheckpoint())

    def timed(name, local_fn, spark_fn, compare):
        t0 = time.perf_counter()
        want = local_fn()
        t1 = time.perf_counter()
        got = spark_fn()
        t2 = time.perf_counter()
        out[name] = {"equal": bool(compare(got, want)), "local_s": round(t1 - t0, 2), "spark_s": round(t2 - t1, 2),
                     "load": _load()}
        print(name, out[name], flush=True)
        return want, got

    G, ties = timed("tie_table", lambda: nl.build_network(local),
                    lambda: ns.tie_table(sd).localCheckpoint(), lambda got, want: True)
    H = ns.to_networkx(ties, customers=sd.customers)
    out["tie_table"]["equal"] = bool(sorted(H.edges) == sorted(G.edges) and all(
        H[u][v] == {k: d[k] for k in ("weight", "count", "first_ts", "last_ts", "channels")}
        for u, v, d in G.edges(data=True)) and sorted(H.nodes) == sorted(G.nodes))
    print("tie_table equal:", out["tie_table"]["equal"], flush=True)

    def same_frame(got, want):
        try:
            pd.testing.assert_frame_equal(got, want, check_dtype=False, check_exact=True)
            return True
        except AssertionError as exc:
            print(str(exc)[:500])
            return False

    timed("tie_strength", lambda: nl.tie_strength(G).sort_values(["u", "v"]).reset_index(drop=True),
          lambda: ns.to_pandas(ns.tie_strength(ties).orderBy("u", "v"), index=None),
          lambda got, want: same_frame(got.drop(columns="strength"), want.drop(columns="strength"))
          and got["strength"].tolist() == want["strength"].astype(str).tolist())
    timed("pattern_profiles", lambda: nl.pattern_profiles(local, on_unmapped="ignore"),
          lambda: ns.to_pandas(ns.pattern_profiles(sd, on_unmapped="ignore")),
          lambda got, want: same_frame(got, want[list(got.columns)]))
    timed("reconstruct_cascades", lambda: nl.reconstruct_cascades(local),
          lambda: ns.to_pandas(ns.reconstruct_cascades(sd), index=None), same_frame)
    timed("connected_components",
          lambda: sorted(nx.weakly_connected_components(G), key=lambda c: (-len(c), min(c))),
          lambda: ns.to_pandas(ns.connected_components(ties, customers=sd.customers))["component"],
          lambda got, want: got.max() + 1 == len(want) and all(
              set(got.index[got == i]) == m for i, m in enumerate(want)))
    timed("pagerank", lambda: nl.centrality(G, measures=["pagerank"])["pagerank"],
          lambda: ns.to_pandas(ns.pagerank(ties, customers=sd.customers, tol=1.5e-7))["pagerank"],
          lambda got, want: float(np.max(np.abs(got.loc[want.index].to_numpy() - want.to_numpy()))) < 1e-6)
    timed("simulate", lambda: nl.simulate(G, list(G.nodes)[:5], p=0.05, runs=1000, seed=1).sizes,
          lambda: ns.simulate(ties, list(G.nodes)[:5], customers=sd.customers, p=0.05, runs=1000, seed=1).sizes,
          np.array_equal)
    spark.stop()
    return out


# --------------------------------------------------------------------------------------------- scale
def make_rows(path: Path, rows: int, seed: int = 0, chunk: int = 5_000_000) -> None:
    """``rows`` interactions among rows/10 customers (heavy-tailed activity), one parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    n_customers = max(rows // 10, 10)
    channels = np.array(["email", "app", "social", "in_person"])
    writer = None
    for start in range(0, rows, chunk):
        m = min(chunk, rows - start)
        src = np.minimum(rng.zipf(1.8, size=m) - 1, n_customers - 1)
        src = (src * 2654435761) % n_customers  # spread the heavy hitters over the id range
        dst = rng.integers(0, n_customers, size=m)
        table = pa.table({
            "source": pa.array(np.char.add("c", src.astype(str))),
            "target": pa.array(np.char.add("c", dst.astype(str))),
            "timestamp": pa.array(1_700_000_000 + rng.integers(0, 86400 * 365, size=m)),
            "channel": pa.array(channels[rng.integers(0, 4, size=m)]),
            "weight": pa.array(np.round(rng.exponential(1.0, size=m), 3)),
        })
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    writer.close()


def _jvm_peak(stop: threading.Event, result: dict) -> None:
    """Sample, until stopped, the peak resident set of this process's child JVM (the Spark driver, which in
    local mode is also the executor) and the peak total of the Python workers Spark starts under it."""
    import psutil

    me = psutil.Process()
    while not stop.is_set():
        workers = 0.0
        for child in me.children(recursive=True):
            try:
                if "java" in child.name():
                    result["jvm_mb"] = max(result.get("jvm_mb", 0.0), child.memory_info().rss / 2**20)
                else:
                    workers += child.memory_info().rss / 2**20
            except psutil.Error:
                pass
        result["workers_mb"] = max(result.get("workers_mb", 0.0), workers)
        stop.wait(0.5)


def child(kind: str, path: str) -> None:
    warnings.simplefilter("ignore")
    out: dict = {"kind": kind}
    if kind == "local":
        import netlib as nl

        t = time.perf_counter()
        data = nl.read_data({"interactions": path})
        G = nl.build_network(data)
        out["seconds"] = time.perf_counter() - t
        out["ties"] = G.number_of_edges()
        out["peak_mb"] = _vmhwm()
    else:
        import netlib.spark as ns

        peak: dict = {}
        stop = threading.Event()
        watcher = threading.Thread(target=_jvm_peak, args=(stop, peak), daemon=True)
        watcher.start()
        t = time.perf_counter()
        spark = _session()
        out["start_s"] = time.perf_counter() - t
        t = time.perf_counter()
        sd = ns.read_tables({"interactions": path}, spark=spark)
        ties = ns.tie_table(sd)
        target = tempfile.mkdtemp(prefix="netlib-ties-")
        ties.write.mode("overwrite").parquet(target)
        out["seconds"] = time.perf_counter() - t
        out["ties"] = spark.read.parquet(target).count()
        stop.set()
        watcher.join()
        out["jvm_peak_mb"] = peak.get("jvm_mb", 0.0)
        out["python_workers_peak_mb"] = peak.get("workers_mb", 0.0)
        out["python_peak_mb"] = _vmhwm()
        spark.stop()
    out["load"] = _load()
    print(json.dumps(out))


def scale(rows_list: list[int]) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for rows in rows_list:
        with tempfile.TemporaryDirectory(prefix="netlib-scale-") as tmp:
            path = Path(tmp) / "interactions.parquet"
            t = time.perf_counter()
            make_rows(path, rows)
            print(f"{rows:,} rows written in {time.perf_counter() - t:.0f} s ({path.stat().st_size / 2**20:.0f} MB)",
                  flush=True)
            for kind in ("local", "spark"):
                proc = subprocess.run([sys.executable, __file__, "child", kind, str(path)], capture_output=True,
                                      text=True, env=env)
                lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
                if proc.returncode or not lines:
                    print(f"{rows:,} rows, {kind}: failed (exit {proc.returncode}): {proc.stderr[-800:]}", flush=True)
                else:
                    print(f"{rows:,} rows, {kind}: {lines[-1]}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("world")
    w.add_argument("--customers", type=int, default=100_000)
    w.add_argument("--seed", type=int, default=1)
    s = sub.add_parser("scale")
    s.add_argument("--rows", type=int, nargs="+", default=[10_000_000, 50_000_000])
    c = sub.add_parser("child")
    c.add_argument("kind", choices=["local", "spark"])
    c.add_argument("path")
    args = parser.parse_args()
    if args.cmd == "world":
        print(json.dumps(world(args.customers, args.seed), default=str, indent=1))
    elif args.cmd == "scale":
        scale(args.rows)
    else:
        child(args.kind, args.path)


if __name__ == "__main__":
    main()
