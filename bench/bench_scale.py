"""End to end at scale (issue 17): read → network → centrality → communities → IMM k=50 → cascades → profiles.

Run: PYTHONPATH=$PWD .venv/bin/python bench/bench_scale.py WORLD_DIR [--baseline] [--no-networkx] [--skip imm ...]
     [--json out.json]
     (1M customers: under ``flock /work/bigrun.lock``; the baseline alone peaks near 10 GB there)

WORLD_DIR is a synthetic world written by ``python -m netlib.synth --write-sample DIR --n-customers N``.
Each stage is timed (wall clock, and the CPU time of this process: on a shared machine the wall
clock of a stage grows with everyone else's load, its CPU time much less) with its peak resident memory (the kernel's high-water mark, reset
before each stage through /proc/self/clear_refs), and the process peak is printed at the end.
``build_network`` (the compact build converted to networkx) runs unless ``--no-networkx``;
``--baseline`` also runs, in the same process and on the same data, the networkx build that netlib
used before issue 17 (``tests/_nx_network.py``), and prints the ratios: the machine is shared, so
absolute times are noisy and ratios count.
Analyses run on the compact network; one that does not accept it yet on this branch (it checks for a
networkx graph) is run on the networkx twin instead, and the table says so.
Compiled kernels are cached per source file: run twice after kernels move and read the second run.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
from pathlib import Path

import netlib as nl
from netlib.errors import ParameterError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def _status(key: str) -> float:
    """A /proc/self/status memory line in MiB (VmHWM: peak since the last reset, VmRSS: now)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # resets VmHWM to the current RSS (Linux >= 4.0)
    except OSError:
        pass


class Stages:
    def __init__(self):
        self.rows: list[dict] = []

    def run(self, name: str, fn, note: str = ""):
        _reset_peak()
        before = _status("VmRSS")
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        self.rows.append({"stage": name, "seconds": round(secs, 2), "cpu_seconds": round(cpu, 2),
                          "peak_mib": round(_status("VmHWM")), "held_mib": round(_status("VmRSS") - before),
                          "note": note})
        print(f"  {name:<34} {secs:8.2f} s  (cpu {cpu:8.2f} s)   peak {self.rows[-1]['peak_mib']:7,} MiB   {note}",
              flush=True)
        return out

    def seconds(self, name: str) -> float:
        return next(r["seconds"] for r in self.rows if r["stage"] == name)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("world", type=Path)
    ap.add_argument("--baseline", action="store_true", help="also time the old networkx build (and build_network)")
    ap.add_argument("--no-networkx", action="store_true", help="skip build_network (the networkx twin)")
    ap.add_argument("--skip", nargs="*", default=[],
                    choices=["centrality", "communities", "imm", "cascades", "profiles"])
    ap.add_argument("--k", type=int, default=50)
    ap.add_argument("--json", type=Path, help="write the table here as JSON")
    args = ap.parse_args(argv)

    st = Stages()
    print(f"world: {args.world}")
    data = st.run("read_data", lambda: nl.read_data(args.world))
    print(f"  {len(data.customers):,} customers, {len(data.interactions):,} interactions, {len(data.events):,} events")
    net = st.run("customer_network (compact)", lambda: nl.customer_network(data))
    arrays = net.nbytes - net.ids.memory_usage(deep=True)
    per_tie = {"ties": net.m, "tie_arrays_bytes_per_tie": round(arrays / net.m, 1),
               "with_ids_bytes_per_tie": round(net.nbytes / net.m, 1)}
    print(f"  {net.m:,} ties; tie arrays {per_tie['tie_arrays_bytes_per_tie']} B/tie, "
          f"with the ids {per_tie['with_ids_bytes_per_tie']} B/tie")

    G = None
    if args.baseline:
        from _nx_network import reference_build_network

        st.run("baseline: networkx build (before)", lambda: reference_build_network(data))
        gc.collect()
    if not args.no_networkx:
        G = st.run("build_network (compact → networkx)", lambda: nl.build_network(data))
    if args.baseline:
        base = st.seconds("baseline: networkx build (before)")
        ratios = f"customer_network {base / st.seconds('customer_network (compact)'):.1f}×"
        if G is not None:
            ratios += f", build_network {base / st.seconds('build_network (compact → networkx)'):.1f}×"
        print(f"  ratios to the old build: {ratios}")

    def graph_for(fn, name):
        """Run on the compact network; if this branch's analysis refuses it, on the networkx twin."""
        nonlocal G
        try:
            return st.run(name, lambda: fn(net))
        except ParameterError as exc:
            if "networkx graph" not in str(exc):
                raise
            st.rows.pop() if st.rows and st.rows[-1]["stage"] == name else None
            if G is None:
                G = st.run("to_networkx (for a stage that needs it)", net.to_networkx)
            return st.run(name, lambda: fn(G), note="on the networkx twin (compact refused on this branch)")

    if "centrality" not in args.skip:
        graph_for(lambda g: nl.centrality(g, seed=0), "centrality (default battery)")
    if "communities" not in args.skip:
        graph_for(lambda g: nl.communities(g, seed=0, progress=False), "communities")
    if "imm" not in args.skip:
        graph_for(lambda g: nl.maximize_influence(g, args.k, seed=0, progress=False), f"maximize_influence k={args.k}")
    if "cascades" not in args.skip:
        cascades = st.run("reconstruct_cascades", lambda: nl.reconstruct_cascades(data.interactions))
        st.run("cascade_metrics", lambda: nl.cascade_metrics(cascades))
    if "profiles" not in args.skip:
        st.run("pattern_profiles", lambda: nl.pattern_profiles(data))

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = sum(r["seconds"] for r in st.rows if not r["stage"].startswith(("baseline", "build_network")))
    print(f"pipeline total {total:.1f} s (baseline rows excluded); process peak {peak:,.0f} MiB")
    if args.json:
        args.json.write_text(json.dumps({"world": str(args.world), "customers": len(data.customers),
                                         "interactions": len(data.interactions), **per_tie, "stages": st.rows,
                                         "pipeline_seconds": round(total, 1), "process_peak_mib": round(peak)},
                                        indent=2))


if __name__ == "__main__":
    main()
