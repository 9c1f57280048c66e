"""Influence maximisation: which ``k`` customers to seed so an idea reaches the most people.

See :func:`maximize_influence`; the reverse-influence-sampling methods live in
``netlib.influence._ris`` and the heuristics in ``netlib.influence._heuristics``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netlib._spread import check_runs, curve_frame, run_base, run_batched, run_until, setup
from netlib._util import SeedLike, as_rng, provenance
from netlib.diffusion import SimulationResult
from netlib.errors import ParameterError
from netlib.influence import _heuristics as H
from netlib.influence._ris import check_rr_model, imm, opim_hist

__all__ = ["InfluenceResult", "maximize_influence", "METHODS", "DEFAULT_METHOD"]

#: Seed-selection methods of :func:`maximize_influence`.
METHODS = ("hist", "opim", "imm", "celf", "degree_discount", "top_degree")

#: The method used when none is given (chosen by measurement: bench/bench_imm.py).
DEFAULT_METHOD = "hist"

_RIS = ("hist", "opim", "imm")

#: Most Monte-Carlo runs the precision-sized reach estimate may use.
MAX_EVAL_RUNS = 100_000

#: Fewest Monte-Carlo runs of the precision-sized reach estimate.
MIN_EVAL_RUNS = 200


@dataclass(frozen=True, repr=False)
class InfluenceResult:
    """Outcome of :func:`maximize_influence`.

    Attributes
    ----------
    seeds : list
        Chosen customers in pick order.
    spread : float
        Expected reach of ``seeds``, from a Monte-Carlo estimate independent of the selection.
    ci : (float, float)
        Confidence interval of ``spread``.
    marginal_gains : list of float
        Estimated added reach of each pick given the earlier ones (the method's own estimate:
        RR-set coverage for the RIS methods, Monte-Carlo for the others).
    estimate : float
        The method's own estimate of the reach (sum of ``marginal_gains``).
    guarantee : float or None
        RIS methods: with probability ≥ 1 - ``delta`` the seeds reach at least ``guarantee`` × the
        optimum.
    simulation : SimulationResult
        The independent evaluation (``.sizes``, ``.runs``, ``.curve``).
    details : dict
        How the method ran (RR sets drawn, sampling, certified ratio, sentinels...).
    provenance : dict
        Function, parameters, netlib version, and ``evaluation`` (runs used, interval, precision).

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> res = nl.maximize_influence(nx.star_graph(5), 1, p=1.0, seed=1, progress=False)
    >>> res.seeds, res.spread, res.method, round(res.guarantee, 3)
    ([0], 6.0, 'hist', 0.532)
    """

    seeds: list
    spread: float
    ci: tuple[float, float]
    marginal_gains: list[float]
    estimate: float
    method: str
    model: str
    guarantee: float | None
    simulation: SimulationResult
    details: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One row per pick: ``pick`` (1-based), ``marginal_gain``, ``cumulative_gain``, indexed by customer."""
        gains = np.asarray(self.marginal_gains, dtype=float)
        df = pd.DataFrame({"pick": np.arange(1, len(self.seeds) + 1), "marginal_gain": gains,
                           "cumulative_gain": np.cumsum(gains)},
                          index=pd.Index(self.seeds, name="customer_id"))
        df.attrs["provenance"] = self.provenance
        return df

    def __repr__(self) -> str:
        lo, hi = self.ci
        g = f", guarantee={self.guarantee:.3f}" if self.guarantee is not None else ""
        return (f"InfluenceResult(method={self.method!r}, model={self.model!r}, k={len(self.seeds)}, "
                f"spread={self.spread:.4g}, ci=({lo:.4g}, {hi:.4g}){g})")


def maximize_influence(G: nx.Graph, k: int, *, model: str = "ic", p: Any = None, method: str = DEFAULT_METHOD,
                       seed: SeedLike = None, epsilon: float = 0.1, delta: float | None = None,
                       runs: int | None = None, precision: float = 0.01, mc_runs: int = 1000,
                       weight: str | None = "weight", confidence: float = 0.95,
                       progress: bool | None = None) -> InfluenceResult:
    """Choose ``k`` seed customers that maximise the expected reach of a cascade.

    Parameters
    ----------
    G : networkx graph
        Directed edges point the way influence flows.
    k : int
        Number of seeds (at most the number of customers).
    model : {"ic", "lt"}
        Independent cascade or linear threshold (see :func:`netlib.diffusion.simulate`).
    p : float or str, optional
        IC pass-on probability: a number, ``"wc"`` (weighted cascade, 1 / in-degree; the default, as
        in :func:`netlib.simulate`, which says why) or an edge attribute.
    method : {"hist", "opim", "imm", "celf", "degree_discount", "top_degree"}
        The three reverse-influence-sampling methods share one guarantee: with probability
        ≥ 1 − ``delta`` the seeds reach at least (1 − 1/e − ``epsilon``) × the best possible.
        ``"hist"`` (the default): OPIM-C's stopping rule after a sentinel set, so reverse-reachable
        (RR) sets stop where they meet it (Guo et al. 2020); it stays in memory where spread is
        large, and costs about what ``"opim"`` costs where it is small. ``"opim"``: OPIM-C (Tang
        et al. 2018), stopping as soon as two independent samples certify the ratio. Both draw RR
        sets by subset sampling (SUBSIM, Guo et al. 2020). ``"imm"``: IMM (Tang, Shi & Xiao
        2015), the sample size fixed by its worst-case bound. ``"celf"``: lazy greedy on
        Monte-Carlo estimates (Leskovec et al. 2007), slow on large graphs. ``"degree_discount"``:
        Chen, Wang & Yang (2009), IC only, each edge with its own probability; fast heuristic.
        ``"top_degree"``: highest out-degree.
    seed : int, numpy Generator or None
        Randomness; the same seed gives the same seeds and numbers.
    epsilon : float
        Approximation slack of the RIS methods, in (0, 1).
    delta : float, optional
        Failure probability of the RIS methods, default ``1 / n``.
    runs : int or None
        Monte-Carlo runs of the independent estimate of the final spread (and, for the heuristics,
        of each prefix's reach). None (the default): as many as ``precision`` needs.
    precision : float
        With ``runs=None``: runs are added until the half-width of the interval ``.ci`` is at most
        this share of the spread (0.01: ± 1%), between 200 and 100,000 runs. ``"hist"`` and
        ``"opim"`` also keep sampling until the seeds cover ``1 / precision²`` RR sets, so the
        relative standard error of their own estimate of the reach is at most ``precision``:
        stopping at the first certified round leaves enough sampling noise in the greedy to cost
        reach (−3.5% on BA 100k under weighted cascade, −8% on the 50k-customer world at p = 0.1;
        bench/bench_imm.py). A larger value trades reach for speed.
    mc_runs : int
        CELF: Monte-Carlo runs per spread evaluation.
    weight : str or None
        LT: edge attribute of influence weights.
    confidence : float
        Level of the confidence interval ``.ci`` of the spread.
    progress : bool or None
        Progress bar (None: only in terminals and notebooks).

    Returns
    -------
    InfluenceResult
        ``.seeds`` in pick order, ``.spread`` with ``.ci``, ``.marginal_gains``, ``.guarantee``,
        ``.details``, ``.provenance`` (with ``evaluation``: the runs used and the interval);
        ``.to_frame()`` for a table.

    Raises
    ------
    ParameterError
        Unknown method or model, ``k`` outside 1..n, ``epsilon``/``delta``/``precision`` outside
        (0, 1), degree discount with LT.

    Notes
    -----
    The guarantee of ``"opim"`` and ``"hist"`` is certified, not assumed: from the sample that
    chose the seeds, the greedy's trace bounds the optimum from above; a second, independent
    sample bounds the seeds' reach from below; sampling stops once lower / upper ≥ 1 − 1/e − ε
    (each bound holding with probability ≥ 1 − δ over every round), or at OPIM-C's worst-case
    sample size. With sentinels, the RR sets of the second phase stop at the sentinel set ``S_b``;
    every set the greedy then builds contains ``S_b``, for which truncated sets count coverage
    exactly, and OPT ≤ σ(S_b ∪ OPT) keeps the upper bound valid. Sample sizes follow OPIM-C's
    doubling refined eightfold (the union bound runs over every size on that grid; sampling jumps to
    where the seeds are predicted to cover ``1 / precision²`` sets), and the second sample is sized
    from the first alone, before it is drawn, to what the test needs. Where the network percolates
    at ``p`` (RR sets of thousands of customers), sets are drawn by a search from both ends: forward
    from the sentinels and backward from the root over one live-edge world with hashed coins, which
    draws the same sets with less work (1M-customer world, p = 0.1: 291M → 34M-46M customers visited,
    by seed).
    ``details["two_sided"]`` says whether it was used. ``details["certified_ratio"]``
    is the ratio reached and ``details["certified"]`` whether the bounds or the sample cap
    settled it. RR sets are held flat (int32 members and int64 offsets; one-node sets as counts;
    sets that meet the sentinels as a count), and the greedy keeps nodes sorted by coverage so
    each update is a swap.

    IMM follows Chen (2018)'s correction: its final RR sets are drawn afresh, independent of those
    that estimated the lower bound. The reported ``spread`` always comes from fresh simulations,
    never from the sets that chose the seeds.

    References
    ----------
    .. [1] Tang, Tang, Xiao & Yuan (2018). Online processing algorithms for influence maximization. SIGMOD.
    .. [2] Guo, Wang, Wei & Chen (2020). Influence maximization revisited: efficient
       reverse reachable set generation with bound tightened. SIGMOD. (SUBSIM and HIST; reference code github.com/qtguo/subsim.)
    .. [3] Tang, Shi & Xiao (2015). Influence maximization in near-linear time: a martingale
       approach. SIGMOD.
    .. [4] Chen (2018). An issue in the martingale analysis of the influence maximization
       algorithm IMM. CSoNet.
    .. [5] Borgs, Brautbar, Chayes & Lucier (2014). Maximizing social influence in nearly optimal time. SODA.
    .. [6] Leskovec, Krause, Guestrin, Faloutsos, VanBriesen & Glance (2007). Cost-effective
       outbreak detection in networks. KDD.
    .. [7] Chen, Wang & Yang (2009). Efficient influence maximization in social networks. KDD.
    .. [8] Kempe, Kleinberg & Tardos (2003). Maximizing the spread of influence through a social network. KDD.

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.DiGraph([(0, 1), (0, 2), (0, 3), (4, 5)])
    >>> res = nl.maximize_influence(G, 2, p=1.0, seed=1)
    >>> res.seeds, res.spread, res.simulation.runs
    ([0, 4], 6.0, 200)
    >>> round(res.guarantee, 3)
    0.532
    >>> nl.maximize_influence(G, 1, method="degree_discount", seed=1, runs=100).seeds
    [0]
    """
    if not isinstance(method, str) or method.lower() not in METHODS:
        raise ParameterError(f"unknown method {method!r}; choose one of {list(METHODS)}")
    method = method.lower()
    check_rr_model(model, "maximize_influence")
    if runs is not None:
        runs = check_runs(runs)
    if isinstance(precision, bool) or not isinstance(precision, (int, float)) or not 0 < precision < 1:
        raise ParameterError(f"precision must lie in (0, 1); got {precision!r}")
    mc_runs = check_runs(mc_runs)
    spec = setup(G, model, p=p, weight=weight)
    n = spec.csr.n
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= n:
        raise ParameterError(f"k must be a whole number from 1 to the number of customers ({n}); got {k!r}")
    k = int(k)
    if not 0 < epsilon < 1:
        raise ParameterError(f"epsilon must lie in (0, 1); got {epsilon!r}")
    if not 0 < confidence < 1:
        raise ParameterError(f"confidence must lie in (0, 1); got {confidence!r}")
    if delta is None:
        delta = 1.0 / max(n, 2)
    if not 0 < delta < 1:
        raise ParameterError(f"delta must lie in (0, 1); got {delta!r}")
    if method == "degree_discount" and spec.model != "ic":
        raise ParameterError("degree_discount is derived for the independent cascade; use model='ic' or "
                             "another method")
    rng = as_rng(seed)
    details: dict[str, Any] = {}
    guarantee = None
    gains = None
    if method in _RIS:
        if n < 2:
            picks, gains = np.array([0]), np.array([1.0])
        elif method == "imm":
            picks, gains, details = imm(spec, k, epsilon, delta, rng, progress)
        else:
            picks, gains, details = opim_hist(spec, k, epsilon, delta, rng, progress, method == "hist",
                                              covered_sets=precision ** -2)
        guarantee = 1 - 1 / math.e - epsilon
    elif method == "celf":
        picks, gains = H.celf(spec, k, mc_runs, run_base(rng), progress)
        details = {"mc_runs": mc_runs}
    else:
        picks = H.degree_discount(spec, k) if method == "degree_discount" else H.top_degree(spec, k)
    gains_base = run_base(rng) if gains is None else None
    eval_base = run_base(rng)
    if runs is None:
        sizes, curve, reached = run_until(spec, picks, eval_base, precision=precision, confidence=confidence,
                                          min_runs=MIN_EVAL_RUNS, max_runs=MAX_EVAL_RUNS, progress=progress,
                                          desc="evaluate seeds")
    else:
        sizes, curve = run_batched(spec, picks, runs, eval_base, progress, "evaluate seeds")
        reached = None
    used = int(sizes.shape[0])
    if gains is None:
        gains = spec.prefix_gains(picks, used, gains_base)
    ids = spec.csr.ids(picks)
    frame = curve_frame(curve, used, n)
    prov = provenance("maximize_influence", k=k, model=spec.model, method=method, seed=seed, epsilon=epsilon,
                      delta=delta, runs=runs, precision=precision, mc_runs=mc_runs,
                      weight=weight, confidence=confidence, **spec.params)
    sim = SimulationResult(spec.model, dict(spec.params), ids, used, n, sizes, frame, confidence,
                           provenance("simulate", model=spec.model, runs=used, n_seeds=len(ids), **spec.params))
    lo, hi = sim.ci
    prov["evaluation"] = {"runs": used, "mean": sim.mean, "ci": [lo, hi], "confidence": confidence,
                          "precision": precision if runs is None else None, "precision_reached": reached}
    if guarantee is not None:
        prov["guarantee"] = {"ratio": guarantee, "probability": 1 - delta,
                             "statement": f"with probability >= 1 - {delta:.3g}, the seeds' expected reach is at "
                                          f"least {guarantee:.4f} x the best reach of any {k} customers",
                             **{key: details[key] for key in ("certified", "certified_ratio", "rr_sets",
                                                              "validation_sets", "two_sided") if key in details}}
    return InfluenceResult(ids, sim.mean, sim.ci, [float(g) for g in gains], float(np.sum(gains)), method,
                           spec.model, guarantee, sim, details, prov)
