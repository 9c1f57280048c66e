"""Monte-Carlo reach and influence maximisation with netlib's kernels running on Spark partitions.

The graph is collected once into compact arrays on the driver (CSR, a few bytes per tie) and
broadcast to the executors. Every Monte-Carlo run and every reverse-reachable (RR) set ``r`` draws
from its own random stream ``r`` of a base seed (see :mod:`netlib._kernels`), so a range of run
numbers is a self-contained task: Spark runs the ranges on its partitions with netlib's compiled
kernels and the driver adds the pieces up. The numbers are therefore the very numbers the
single-machine functions compute with the same seed, whatever the partitioning. IMM's greedy
selection runs on the driver over the collected RR sets, exactly as :func:`netlib.maximize_influence`
does, so its guarantee is unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from netlib._spread import check_runs
from netlib._util import SeedLike, as_rng
from netlib.diffusion import SimulationResult, model_parameters
from netlib.errors import ParameterError
from netlib.influence import InfluenceResult
from netlib.spark._session import provenance, require

__all__ = ["simulate", "maximize_influence"]

_MAX_CURVE_STEPS = 10_000  # as netlib.diffusion: adoption curves keep at most this many steps


@dataclass
class _Compact:
    """The broadcastable CSR form of a tie table (nodes sorted by id, as netlib's node_order)."""

    nodes: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    probs: np.ndarray | None   # per-arc probabilities, None for a uniform p
    rindptr: np.ndarray
    rindices: np.ndarray
    rprobs: np.ndarray | None

    @property
    def n(self) -> int:
        return len(self.nodes)

    def positions(self, seeds) -> tuple[list, np.ndarray]:
        if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
            seeds = [seeds]
        out, pos, seen = [], [], set()
        for s in seeds:
            i = int(np.searchsorted(self.nodes, str(s)))
            if i >= self.n or self.nodes[i] != str(s):
                raise ParameterError(f"seed {s!r} is not a node of the graph")
            if i not in seen:
                seen.add(i)
                out.append(str(s))
                pos.append(i)
        return out, np.asarray(pos, dtype=np.int64)


def _resolve_p(p: Any) -> float | str:
    if p is None:  # netlib's one default for the independent cascade
        table = model_parameters()
        p = table.loc[(table["model"] == "ic") & (table["parameter"] == "p"), "default"].iloc[0]
    if isinstance(p, str):
        return "wc" if p.lower() in ("wc", "weighted_cascade") else p
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)) or not 0 <= float(p) <= 1:
        raise ParameterError(f"p must be a probability in [0, 1], 'wc' or an edge attribute; got {p!r}")
    return float(p)


def _compact(ties: DataFrame, customers: DataFrame | None, p: float | str) -> _Compact:
    """Collect the tie table into CSR arrays (self-loops dropped, as netlib.to_csr does)."""
    require(ties, ("source", "target"), "ties")
    cols = [F.col("source").cast("string").alias("s"), F.col("target").cast("string").alias("t")]
    attr = isinstance(p, str) and p != "wc"
    if attr:
        if p not in ties.columns:
            raise ParameterError(f"p={p!r} names no column of the tie table; found: {ties.columns}")
        cols.append(F.col(p).cast("double").alias("a"))
    arcs = ties.where(F.col("source") != F.col("target")).select(*cols).toPandas()
    ids = [arcs["s"].to_numpy(dtype=object), arcs["t"].to_numpy(dtype=object)]
    if customers is not None:
        ids.append(customers.select(F.col("customer_id").cast("string")).toPandas()["customer_id"]
                   .to_numpy(dtype=object))
    nodes = np.unique(np.concatenate(ids).astype(str)) if sum(len(x) for x in ids) else np.zeros(0, dtype=str)
    n = len(nodes)
    rows = np.searchsorted(nodes, arcs["s"].to_numpy(dtype=str)).astype(np.int64)
    cols_ = np.searchsorted(nodes, arcs["t"].to_numpy(dtype=str)).astype(np.int64)
    key = rows * max(n, 1) + cols_
    order = np.argsort(key)
    if len(key) and (np.diff(key[order]) == 0).any():
        raise ParameterError("the tie table lists a (source, target) pair twice; aggregate it with tie_table first")
    rows, cols_ = rows[order], cols_[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    indices = cols_.astype(np.int32)
    probs = None
    if p == "wc":
        indeg = np.bincount(cols_, minlength=n)
        probs = 1.0 / np.maximum(indeg[cols_], 1).astype(np.float64)
    elif attr:
        probs = arcs["a"].to_numpy(dtype=np.float64)[order]
        if np.isnan(probs).any() or (probs < 0).any() or (probs > 1).any():
            raise ParameterError(f"edge attribute {p!r} must hold probabilities in [0, 1] on every tie")
    # the reverse graph (in-arcs of each node) for RR sets, arc values carried along
    rorder = np.argsort(cols_ * max(n, 1) + rows, kind="stable")
    rindptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(cols_, minlength=n), out=rindptr[1:])
    rindices = rows[rorder].astype(np.int32)
    rprobs = probs[rorder] if probs is not None else None
    return _Compact(nodes, indptr, indices, probs, rindptr, rindices, rprobs)


def _ranges(total: int, tasks: int) -> list[tuple[int, int]]:
    bounds = [(total * i) // tasks for i in range(tasks + 1)]
    return [(bounds[i], bounds[i + 1] - bounds[i]) for i in range(tasks) if bounds[i + 1] > bounds[i]]


def _sim_task(parts, graph, p, seeds, base, ncurve):  # runs on the executors
    from netlib import _kernels as K

    indptr, indices, probs = graph.value
    uniform = probs is None
    code = K.IC_UNIFORM if uniform else K.IC_ARCS
    arcs = np.zeros(1) if uniform else probs
    dummy = np.zeros(1)
    for start, count in parts:
        sizes, curve = K.sim_runs(code, indptr, indices, arcs, dummy, float(p) if uniform else 0.0, 0.0, 0,
                                  seeds, start, count, np.uint64(base), ncurve, 1)
        yield start, sizes, curve


def _rr_task(parts, graph, p, base):  # runs on the executors
    from netlib import _kernels as K

    rindptr, rindices, rprobs = graph.value
    uniform = rprobs is None
    for start, count in parts:
        singles, offsets, members = K.rr_sets_ic(rindptr, rindices, rprobs, float(p) if uniform else 0.0,
                                                 uniform, start, count, np.uint64(base), 1)
        hit = np.flatnonzero(singles)
        yield start, hit, singles[hit], offsets, members


class _SparkSampler:
    """What netlib.influence's IMM needs from a model: ``csr.n`` and ``rr_sets(start, count, base)``."""

    def __init__(self, spark, graph: _Compact, p: float | str, tasks: int):
        self.csr = graph
        self.spark = spark
        self.p = p if isinstance(p, float) else 0.0
        self.tasks = tasks
        sc = spark.sparkContext
        self._forward = sc.broadcast((graph.indptr, graph.indices, graph.probs))
        self._reverse = sc.broadcast((graph.rindptr, graph.rindices, graph.rprobs))

    def rr_sets(self, start: int, count: int, base: int):
        ranges = [(start + s, c) for s, c in _ranges(count, self.tasks)]
        reverse, p, base_ = self._reverse, self.p, int(base)
        pieces = sorted(self.spark.sparkContext.parallelize(ranges, len(ranges))
                        .mapPartitions(lambda it: _rr_task(it, reverse, p, base_)).collect(), key=lambda x: x[0])
        singles = np.zeros(self.csr.n, dtype=np.int64)
        offsets, members, shift = [np.zeros(1, dtype=np.int64)], [], 0
        for _, hit, counts, off, mem in pieces:
            singles[hit] += counts
            offsets.append(off[1:] + shift)
            members.append(mem)
            shift += mem.shape[0]
        members_ = np.concatenate(members) if members else np.zeros(0, dtype=np.int32)
        return singles, np.concatenate(offsets), members_

    def run(self, seeds: np.ndarray, runs: int, base: int) -> tuple[np.ndarray, np.ndarray]:
        ncurve = min(self.csr.n, _MAX_CURVE_STEPS) + 1
        forward, p, base_ = self._forward, self.p, int(base)
        seeds = np.asarray(seeds, dtype=np.int64)
        ranges = _ranges(runs, self.tasks)
        pieces = (self.spark.sparkContext.parallelize(ranges, len(ranges))
                  .mapPartitions(lambda it: _sim_task(it, forward, p, seeds, base_, ncurve)).collect())
        sizes = np.empty(runs, dtype=np.int64)
        curve = np.zeros(ncurve, dtype=np.int64)
        for start, s, c in pieces:
            sizes[start:start + len(s)] = s
            curve += c
        return sizes, curve

    def close(self) -> None:
        self._forward.unpersist()
        self._reverse.unpersist()


def _curve(curve: np.ndarray, runs: int, n: int) -> pd.DataFrame:
    last = int(np.flatnonzero(curve)[-1]) + 1 if curve.any() else 1
    new = curve[:last] / runs
    frame = pd.DataFrame({"new": new, "adopted": np.cumsum(new)}, index=pd.RangeIndex(last, name="step"))
    frame["share"] = frame["adopted"] / n if n else np.nan
    return frame


def _tasks(spark, tasks: int | None) -> int:
    if tasks is None:
        return max(2 * spark.sparkContext.defaultParallelism, 1)
    if isinstance(tasks, bool) or not isinstance(tasks, (int, np.integer)) or tasks < 1:
        raise ParameterError(f"tasks must be a positive whole number; got {tasks!r}")
    return int(tasks)


def simulate(ties: DataFrame, seeds, *, customers: DataFrame | None = None, p: Any = None, runs: int = 1000,
             seed: SeedLike = None, confidence: float = 0.95, tasks: int | None = None) -> SimulationResult:
    """Independent-cascade reach of ``seeds`` by Monte-Carlo runs spread over Spark tasks.

    Parameters
    ----------
    ties : pyspark.sql.DataFrame
        Tie table (``source`` → ``target``: the way influence flows).
    seeds : customer id or iterable of ids
    customers : pyspark.sql.DataFrame, optional
        Customers without ties count as nodes (they matter for the share of the network reached).
    p : float or str, optional
        Pass-on probability: a number, ``"wc"`` (1 / in-degree; netlib's default, used when None), or a
        column of ``ties`` holding per-tie probabilities.
    runs : int
        Monte-Carlo runs.
    seed : int, numpy Generator or None
        The same seed gives the same runs as :func:`netlib.simulate` on the same network.
    confidence : float
        Level of the interval ``.ci``.
    tasks : int, optional
        Spark tasks to split the runs over (default: twice the default parallelism).

    Returns
    -------
    SimulationResult
        As :func:`netlib.simulate` (model ``"ic"``), with ``provenance["engine"] == "spark"``.
    """
    runs = check_runs(runs)
    if not 0 < confidence < 1:
        raise ParameterError(f"confidence must lie in (0, 1); got {confidence!r}")
    p = _resolve_p(p)
    spark = ties.sparkSession
    graph = _compact(ties, customers, p)
    ids, pos = graph.positions(seeds)
    sampler = _SparkSampler(spark, graph, p, _tasks(spark, tasks))
    try:
        base = int(as_rng(seed).integers(0, 2**63 - 1))
        sizes, curve = sampler.run(pos, runs, base)
    finally:
        sampler.close()
    prov = provenance("simulate", model="ic", runs=runs, seed=seed if not isinstance(seed, np.random.Generator)
                      else "<numpy.random.Generator>", confidence=confidence, n_seeds=len(ids), p=p)
    return SimulationResult("ic", {"p": p}, ids, runs, graph.n, sizes, _curve(curve, runs, graph.n), confidence, prov)


def maximize_influence(ties: DataFrame, k: int, *, customers: DataFrame | None = None, p: Any = None,
                       seed: SeedLike = None, epsilon: float = 0.1, delta: float | None = None,
                       runs: int = 10_000, tasks: int | None = None) -> InfluenceResult:
    """IMM seed selection with RR sets sampled on Spark and the greedy cover on the driver.

    The algorithm and its guarantee are :func:`netlib.maximize_influence`'s (``method="imm"``,
    independent cascade; Tang, Shi & Xiao 2015 with Chen's 2018 fresh-sample fix): with probability
    at least 1 − ``delta`` the seeds reach at least (1 − 1/e − ``epsilon``) × the best possible. Only
    where the RR sets are drawn changes, and each set depends only on its number and the seed, so
    the same seed picks the same customers as the single-machine function. The RR sets are
    collected on the driver for the greedy cover (as many as the single-machine run holds in memory).

    Parameters
    ----------
    ties : pyspark.sql.DataFrame
        Tie table (``source`` → ``target``).
    k : int
        Number of seeds, 1..n.
    customers : pyspark.sql.DataFrame, optional
        Customers without ties are nodes too (RR roots are drawn over all customers).
    p : float or str, optional
        As in :func:`simulate`.
    seed : int, numpy Generator or None
    epsilon, delta : float
        IMM's approximation slack and failure probability (default 1 / n).
    runs : int
        Monte-Carlo runs of the independent estimate of the seeds' reach.
    tasks : int, optional
        Spark tasks per batch of RR sets or runs.

    Returns
    -------
    InfluenceResult
        As :func:`netlib.maximize_influence`, with ``provenance["engine"] == "spark"``.

    References
    ----------
    .. [1] Tang, Shi & Xiao (2015). Influence maximization in near-linear time: a martingale approach. SIGMOD.
    .. [2] Chen (2018). An issue in the martingale analysis of the influence maximization algorithm IMM. CSoNet.
    """
    from netlib.influence import _imm  # the single-machine IMM, fed with RR sets drawn on Spark

    runs = check_runs(runs)
    if not 0 < epsilon < 1:
        raise ParameterError(f"epsilon must lie in (0, 1); got {epsilon!r}")
    p = _resolve_p(p)
    spark = ties.sparkSession
    graph = _compact(ties, customers, p)
    n = graph.n
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= n:
        raise ParameterError(f"k must be a whole number from 1 to the number of customers ({n}); got {k!r}")
    k = int(k)
    if delta is None:
        delta = 1.0 / max(n, 2)
    if not 0 < delta < 1:
        raise ParameterError(f"delta must lie in (0, 1); got {delta!r}")
    rng = as_rng(seed)
    sampler = _SparkSampler(spark, graph, p, _tasks(spark, tasks))
    try:
        if n < 2:
            picks, gains, details = np.array([0]), np.array([1.0]), {}
        else:
            picks, gains, details = _imm(sampler, k, epsilon, delta, rng, False)
        eval_base = int(rng.integers(0, 2**63 - 1))
        sizes, curve = sampler.run(picks, runs, eval_base)
    finally:
        sampler.close()
    ids = [str(graph.nodes[int(i)]) for i in picks]
    seed_label = seed if not isinstance(seed, np.random.Generator) else "<numpy.random.Generator>"
    prov = provenance("maximize_influence", k=k, model="ic", method="imm", seed=seed_label, epsilon=epsilon,
                      delta=delta, runs=runs, p=p)
    sim = SimulationResult("ic", {"p": p}, ids, runs, n, sizes, _curve(curve, runs, n), 0.95,
                           provenance("simulate", model="ic", runs=runs, n_seeds=len(ids), p=p))
    return InfluenceResult(ids, sim.mean, sim.ci, [float(g) for g in gains], float(np.sum(gains)), "imm", "ic",
                           1 - 1 / math.e - epsilon, sim, details, prov)
