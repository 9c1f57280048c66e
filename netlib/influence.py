"""Influencers and influence maximisation.

Two questions an analyst asks: "who is influential here, and why?" (:func:`influencers`, a ranked
table with its evidence) and "which k customers should we seed so an idea reaches the most people?"
(:func:`maximize_influence`, with IMM's approximation guarantee by default). Models, the pass-on
probability and seeding come from the shared spread engine ``netlib._spread``.

Both run on compiled kernels over the graph's CSR arrays: reverse-reachable (RR) sets for IMM and
for single-customer reach estimates, Monte-Carlo simulation for CELF and for the independent
estimate of every seed set's spread.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from netlib._csr import to_csr
from netlib._spread import Spec, check_runs, curve_frame, run_base, run_batched, setup
from netlib._util import MISSING, SeedLike, as_rng, lazy_module, progress as _progress, provenance, renamed_keyword
from netlib.diffusion import SimulationResult
from netlib.errors import ParameterError

K = lazy_module("netlib._kernels")

__all__ = ["InfluenceResult", "maximize_influence", "influencers", "METHODS"]

#: Seed-selection methods of :func:`maximize_influence`.
METHODS = ("imm", "celf", "degree_discount", "top_degree")


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
        RR-set coverage for IMM, Monte-Carlo for the others).
    estimate : float
        The method's own estimate of the reach (sum of ``marginal_gains``).
    guarantee : float or None
        IMM: with probability ≥ 1 - ``delta`` the seeds reach at least ``guarantee`` × the optimum.
    simulation : SimulationResult
        The independent evaluation (``.sizes``, ``.curve``).
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
        df.attrs.update(self.provenance)
        return df

    def __repr__(self) -> str:
        lo, hi = self.ci
        g = f", guarantee={self.guarantee:.3f}" if self.guarantee is not None else ""
        return (f"InfluenceResult(method={self.method!r}, model={self.model!r}, k={len(self.seeds)}, "
                f"spread={self.spread:.4g}, ci=({lo:.4g}, {hi:.4g}){g})")


# --------------------------------------------------------------------------- RR-set machinery
class _RRCollection:
    """RR sets numbered 0..count-1: singleton sets as per-node counts, the rest as CSR arrays."""

    def __init__(self, spec: Spec, base: int):
        self.spec = spec
        self.base = base
        self.count = 0
        self.singles = np.zeros(spec.csr.n, dtype=np.int64)
        self._offsets: list[np.ndarray] = []
        self._members: list[np.ndarray] = []
        self._nmem = 0

    def extend_to(self, target: int, bar=None) -> None:
        target = int(target)
        step = max(200_000, target // 20)
        while self.count < target:
            cnt = min(step, target - self.count)
            singles, offs, mem = self.spec.rr_sets(self.count, cnt, self.base)
            self.singles += singles
            self._offsets.append(offs[1:] + self._nmem)
            self._members.append(mem)
            self._nmem += mem.shape[0]
            self.count += cnt
            if bar is not None:
                bar.update(cnt)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        offsets = np.concatenate([np.zeros(1, dtype=np.int64), *self._offsets])
        members = np.concatenate(self._members) if self._members else np.zeros(0, dtype=np.int32)
        self._offsets, self._members = [offsets[1:]], [members]
        return offsets, members

    def select(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Greedy max coverage; returns (picks, sets newly covered by each pick)."""
        offsets, members = self.arrays()
        return K.greedy_cover(self.spec.csr.n, self.singles, offsets, members, k)

    def coverage(self) -> np.ndarray:
        """Number of sets containing each node."""
        _, members = self.arrays()
        return self.singles + np.bincount(members, minlength=self.spec.csr.n)


def _check_rr_model(model: Any, where: str) -> None:
    """RR sets exist for triggering models: independent cascade and linear threshold."""
    if not isinstance(model, str) or model.lower() not in ("ic", "lt"):
        raise ParameterError(f"{where} supports models 'ic' and 'lt'; got {model!r}")


def _log_binom(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def _imm(spec: Spec, k: int, epsilon: float, delta: float, rng: np.random.Generator,
         progress: bool | None) -> tuple[np.ndarray, np.ndarray, dict]:
    """IMM (Tang, Shi & Xiao 2015) with the fresh-sample fix of Chen (2018).

    Returns (picks, marginal gains in customers, details).
    """
    n = spec.csr.n
    ln = math.log(n)
    ell = math.log(1.0 / delta) / ln * (1.0 + math.log(2) / ln)  # delta = n^-ell, split over two phases
    eps_p = math.sqrt(2.0) * epsilon
    lcnk = _log_binom(n, k)
    lam_p = (2 + 2 / 3 * eps_p) * (lcnk + ell * ln + math.log(max(math.log2(n), 1.0))) * n / eps_p**2
    e1 = 1 - 1 / math.e
    alpha = math.sqrt(ell * ln + math.log(2))
    beta = math.sqrt(e1 * (lcnk + ell * ln + math.log(2)))
    lam_star = 2 * n * (e1 * alpha + beta) ** 2 / epsilon**2
    sampling = _RRCollection(spec, run_base(rng))
    lb = 1.0
    with _progress(progress=progress, desc="IMM sampling", unit="RR set") as bar:
        for i in range(1, max(int(math.log2(n)), 1)):
            x = n / 2**i
            sampling.extend_to(math.ceil(lam_p / x), bar)
            _, gains = sampling.select(k)
            frac = gains.sum() / sampling.count
            if n * frac >= (1 + eps_p) * x:
                lb = n * frac / (1 + eps_p)
                break
        theta = math.ceil(lam_star / lb)
        # Chen (2018): the final selection uses RR sets independent of the estimation phase
        final = _RRCollection(spec, run_base(rng))
        final.extend_to(theta, bar)
    picks, gains = final.select(k)
    details = {"rr_sets": int(final.count), "rr_sets_sampling_phase": int(sampling.count),
               "lower_bound": float(lb), "epsilon": epsilon, "delta": delta, "ell": ell}
    return picks, gains * (n / final.count), details


def _celf(spec: Spec, k: int, runs: int, base: int, progress: bool | None) -> tuple[np.ndarray, np.ndarray]:
    """CELF lazy greedy (Leskovec et al. 2007) on Monte-Carlo spread with common random numbers."""
    n = spec.csr.n

    def sigma(nodes: list[int]) -> float:
        sizes, _ = spec.run(np.asarray(nodes, dtype=np.int64), runs, base, ncurve=1)
        return float(sizes.mean())

    heap: list[tuple[float, int, int]] = []
    with _progress(total=n + k, progress=progress, desc="CELF", unit="eval") as bar:
        for v in range(n):
            heapq.heappush(heap, (-sigma([v]), v, 0))
            bar.update(1)
        picks: list[int] = []
        gains: list[float] = []
        current = 0.0
        while len(picks) < min(k, n):
            neg, v, rnd = heapq.heappop(heap)
            if rnd == len(picks):
                picks.append(v)
                gains.append(-neg)
                current += -neg
                bar.update(1)
            else:
                heapq.heappush(heap, (-(sigma(picks + [v]) - current), v, len(picks)))
    return np.asarray(picks, dtype=np.int64), np.asarray(gains)


def _degree_discount(spec: Spec, k: int) -> np.ndarray:
    """DegreeDiscountIC (Chen, Wang & Yang 2009), generalised to directed graphs: with ``t_in``
    chosen in-neighbours and ``t_out`` chosen out-neighbours, score = d_out − t_out − t_in −
    (d_out − t_out)·t_in·p; undirected graphs give Chen's d − 2t − (d − t)·t·p."""
    c = spec.csr
    p = spec.mean_p
    dout = c.out_degree.astype(np.float64)
    t_in = np.zeros(c.n)
    t_out = np.zeros(c.n)
    chosen = np.zeros(c.n, dtype=bool)
    rev = c.reverse
    picks = []
    for _ in range(min(k, c.n)):
        score = dout - t_out - t_in - (dout - t_out) * t_in * p
        score[chosen] = -np.inf
        v = int(np.argmax(score))
        picks.append(v)
        chosen[v] = True
        t_in[c.indices[c.indptr[v]:c.indptr[v + 1]]] += 1       # v is now a chosen in-neighbour of these
        t_out[rev.indices[rev.indptr[v]:rev.indptr[v + 1]]] += 1  # and a chosen out-neighbour of these
    return np.asarray(picks, dtype=np.int64)


def _top_degree(spec: Spec, k: int) -> np.ndarray:
    d = spec.csr.out_degree
    return np.lexsort((np.arange(d.size), -d))[:k].astype(np.int64)


def maximize_influence(G: nx.Graph, k: int, *, model: str = "ic", p: Any = None, method: str = "imm",
                       seed: SeedLike = None, epsilon: float = 0.1, delta: float | None = None,
                       runs: int = 10_000, mc_runs: int = 1000, weight: str | None = "weight",
                       confidence: float = 0.95, progress: bool | None = None) -> InfluenceResult:
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
    method : {"imm", "celf", "degree_discount", "top_degree"}
        ``"imm"``: Tang, Shi & Xiao (2015), with probability ≥ 1 − ``delta`` the seeds reach at
        least (1 − 1/e − ``epsilon``) × the best possible. ``"celf"``: lazy greedy on Monte-Carlo
        estimates (Leskovec et al. 2007), the classic reference, slow on large graphs.
        ``"degree_discount"``: Chen, Wang & Yang (2009), IC only, fast heuristic.
        ``"top_degree"``: highest out-degree.
    seed : int, numpy Generator or None
        Randomness; the same seed gives the same seeds and numbers.
    epsilon : float
        IMM approximation slack, in (0, 1).
    delta : float, optional
        IMM failure probability, default ``1 / n``.
    runs : int
        Monte-Carlo runs of the independent estimate of the final spread (and, for the heuristics,
        of each prefix's reach).
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
        ``.provenance``; ``.to_frame()`` for a table.

    Raises
    ------
    ParameterError
        Unknown method or model, ``k`` outside 1..n, ``epsilon``/``delta`` outside (0, 1),
        degree discount with LT.

    Notes
    -----
    IMM here follows Chen (2018)'s correction: the RR sets used for the final selection are drawn
    afresh, independent of those that estimated the lower bound, which restores the stated
    guarantee. RR sets that hold only their root are stored as counts, so the tens of millions of
    sets small edge probabilities need fit in memory. The reported ``spread`` always comes from
    ``runs`` fresh simulations, never from the sets that chose the seeds.

    References
    ----------
    .. [1] Tang, Shi & Xiao (2015). Influence maximization in near-linear time: a martingale
       approach. SIGMOD.
    .. [2] Chen (2018). An issue in the martingale analysis of the influence maximization
       algorithm IMM. CSoNet.
    .. [3] Borgs, Brautbar, Chayes & Lucier (2014). Maximizing social influence in nearly optimal time. SODA.
    .. [4] Leskovec, Krause, Guestrin, Faloutsos, VanBriesen & Glance (2007). Cost-effective
       outbreak detection in networks. KDD.
    .. [5] Chen, Wang & Yang (2009). Efficient influence maximization in social networks. KDD.
    .. [6] Kempe, Kleinberg & Tardos (2003). Maximizing the spread of influence through a social network. KDD.

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.DiGraph([(0, 1), (0, 2), (0, 3), (4, 5)])
    >>> nl.maximize_influence(G, 2, p=1.0, seed=1, runs=100).seeds
    [0, 4]
    """
    if not isinstance(method, str) or method.lower() not in METHODS:
        raise ParameterError(f"unknown method {method!r}; choose one of {list(METHODS)}")
    method = method.lower()
    _check_rr_model(model, "maximize_influence")
    runs = check_runs(runs)
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
    if method == "imm":
        if n < 2:
            picks, gains = np.array([0]), np.array([1.0])
        else:
            picks, gains, details = _imm(spec, k, epsilon, delta, rng, progress)
        guarantee = 1 - 1 / math.e - epsilon
    elif method == "celf":
        picks, gains = _celf(spec, k, mc_runs, run_base(rng), progress)
        details = {"mc_runs": mc_runs}
    else:
        picks = _degree_discount(spec, k) if method == "degree_discount" else _top_degree(spec, k)
        gains = spec.prefix_gains(picks, runs, run_base(rng))
    eval_base = run_base(rng)
    sizes, curve = run_batched(spec, picks, runs, eval_base, progress, "evaluate seeds")
    ids = spec.csr.ids(picks)
    frame = curve_frame(curve, runs, n)
    prov = provenance("maximize_influence", k=k, model=spec.model, method=method, seed=seed, epsilon=epsilon,
                      delta=delta, runs=runs, mc_runs=mc_runs, weight=weight, confidence=confidence, **spec.params)
    sim = SimulationResult(spec.model, dict(spec.params), ids, runs, n, sizes, frame, confidence,
                           provenance("simulate", model=spec.model, runs=runs, n_seeds=len(ids), **spec.params))
    return InfluenceResult(ids, sim.mean, sim.ci, [float(g) for g in gains], float(np.sum(gains)), method,
                           spec.model, guarantee, sim, details, prov)


# --------------------------------------------------------------------------- influencers table
_LABELS = {
    "expected_reach": "expected reach",
    "reach_2hop": "2-hop reach",
    "reach_1hop": "1-hop reach",
    "out_strength": "out-strength",
    "out_degree": "out-degree",
    "betweenness": "betweenness",
    "pagerank": "PageRank",
    "katz": "Katz",
    "core": "k-core",
    "closeness": "closeness",
}


def _fmt(measure: str, value: float) -> str:
    if measure in ("reach_1hop", "reach_2hop"):
        return f"{value:.1%} of network"
    if measure == "expected_reach":
        return f"{value:.1f} customers"
    if measure in ("out_degree", "core"):
        return f"{int(value)}"
    if measure == "out_strength":
        return f"{value:.4g}"
    return f"{value:.3g}"


def influencers(G: nx.Graph, top: int | None = 10, *, by: Sequence[str] = ("expected_reach", "reach_2hop",
                "out_strength", "betweenness"), model: str = "ic", p: Any = None, weight: str | None = "weight",
                partition: pd.Series | None = None, rr_sets: int | None = None, seed: SeedLike = None,
                progress: bool | None = None, communities: Any = MISSING, k: Any = MISSING,
                **centrality_kwargs: Any) -> pd.DataFrame:
    """Rank customers by influence and say why each ranks where it does.

    Parameters
    ----------
    G : networkx graph
        Directed edges point the way influence flows (``source`` shares with ``target``).
    top : int or None
        Rows shown: the ``top`` customers by score (None: every customer). Every customer is
        ranked either way.
    by : sequence of str
        Columns whose percentile ranks are averaged into ``score``. Any of ``expected_reach``,
        ``reach_1hop``, ``reach_2hop``, ``out_degree``, ``out_strength``, ``betweenness``,
        ``pagerank``, ``katz``, ``core``, ``closeness``.
    model, p : optional
        Cascade model behind ``expected_reach`` (``"ic"`` or ``"lt"``; ``p`` as in
        :func:`netlib.simulate`, by default weighted cascade).
    weight : str or None
        Edge attribute for strengths, PageRank and LT weights.
    partition : Series, optional
        Customer → community id (e.g. from :func:`netlib.communities`); adds a ``community``
        column.
    rr_sets : int, optional
        Reverse-reachable sets behind ``expected_reach`` (default ``max(200_000, 20 n)``, at most
        5 million); its standard error is in ``expected_reach_se``.
    seed : int, numpy Generator or None
        Randomness (RR sets, sampled betweenness).
    progress : bool or None
        Progress bar.
    communities, k
        The old names of ``partition`` and ``top``, kept for one release (``DeprecationWarning``).
    **centrality_kwargs
        Passed to :func:`netlib.centrality.centrality` (e.g. ``epsilon``, ``exact``).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` in rank order: ``rank``, ``score`` (mean percentile over ``by``,
        1 = top on all), ``expected_reach`` and ``expected_reach_se`` (customers reached when
        seeded alone), ``reach_1hop`` and ``reach_2hop`` (share of the other customers within 1 and 2
        out-hops), ``out_degree``, ``out_strength``, ``pagerank``, ``betweenness``, ``core``,
        ``community`` (when given) and ``why`` (the customer's rank on each measure in ``by``, best
        first). ``df.attrs`` holds provenance and how betweenness was computed.

    Notes
    -----
    ``expected_reach`` of every customer comes from one collection of RR sets: a customer's share of
    the sets it appears in, times n, estimates its expected reach (Borgs et al. 2014).

    References
    ----------
    .. [1] Borgs, Brautbar, Chayes & Lucier (2014). Maximizing social influence in nearly optimal time. SODA.
    .. [2] Kempe, Kleinberg & Tardos (2003). Maximizing the spread of influence through a social network. KDD.

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.DiGraph([(0, 1), (0, 2), (0, 3), (1, 4)])
    >>> nl.influencers(G, top=2, p=1.0, seed=1).index.tolist()
    [0, 1]
    """
    from netlib.centrality import centrality

    top, top_name = renamed_keyword("influencers", "k", "top", k, top, 10)
    partition, partition_name = renamed_keyword("influencers", "communities", "partition", communities,
                                                partition, None)
    allowed = set(_LABELS)
    by = [by] if isinstance(by, str) else list(by)
    bad = [b for b in by if b not in allowed]
    if bad or not by:
        raise ParameterError(f"influencers: cannot rank by {bad or by}; choose from {sorted(allowed)}")
    if top is not None and (isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1):
        raise ParameterError(f"{top_name} must be a positive whole number or None; got {top!r}")
    _check_rr_model(model, "influencers")
    rng = as_rng(seed)
    if not isinstance(G, nx.Graph):
        raise ParameterError(f"G must be a networkx graph; got {type(G).__name__}")
    shared = to_csr(G, weight=weight)  # one conversion for the centralities and the cascade model
    spec = setup(G, model, p=p, weight=weight, csr=shared)
    c = spec.csr
    n = c.n
    measures = ["degree", "strength", "pagerank", "betweenness", "core"]
    measures += [m for m in ("katz", "closeness") if m in by]
    cen = centrality(G, measures, weight=weight, seed=rng, _csr=shared, **centrality_kwargs)
    df = pd.DataFrame(index=cen.index)
    if n:
        theta = int(rr_sets) if rr_sets is not None else int(min(max(200_000, 20 * n), 5_000_000))
        if theta < 1:
            raise ParameterError(f"rr_sets must be positive; got {rr_sets!r}")
        coll = _RRCollection(spec, run_base(rng))
        with _progress(total=theta, progress=progress, desc="RR sets", unit="set") as bar:
            coll.extend_to(theta, bar)
        cov = coll.coverage().astype(np.float64)
        df["expected_reach"] = n * cov / theta
        df["expected_reach_se"] = n * np.sqrt(cov * (1 - cov / theta)) / theta
        r1, r2 = K.two_hop_reach(c.indptr, c.indices, K.num_threads())
        denom = max(n - 1, 1)
        df["reach_1hop"] = r1 / denom
        df["reach_2hop"] = r2 / denom
    else:
        for col in ("expected_reach", "expected_reach_se", "reach_1hop", "reach_2hop"):
            df[col] = pd.Series(dtype="float64")
    for col in ("out_degree", "out_strength", "pagerank", "betweenness", "core", "katz", "closeness"):
        if col in cen.columns:
            df[col] = cen[col]
    if partition is not None:
        if not isinstance(partition, pd.Series):
            raise ParameterError(f"{partition_name} must be a pandas Series customer -> community id; "
                                 f"got {type(partition).__name__}")
        df["community"] = partition.reindex(df.index).to_numpy()
    ranks = pd.DataFrame({b: df[b].rank(ascending=False, method="min") for b in by}, index=df.index)
    pct = pd.DataFrame({b: df[b].rank(ascending=True, method="average", pct=True) for b in by}, index=df.index)
    df.insert(0, "score", pct.mean(axis=1) if n else pd.Series(dtype="float64"))
    position = pd.Series(np.arange(n), index=df.index)
    order = np.lexsort((position.to_numpy(), -df["score"].to_numpy())) if n else np.zeros(0, dtype=int)
    df = df.iloc[order]
    ranks = ranks.iloc[order]
    df.insert(0, "rank", np.arange(1, n + 1))

    def why(row_id) -> str:
        parts = sorted(((int(ranks.at[row_id, b]), b) for b in by))
        return "; ".join(f"#{r} by {_LABELS[b]} ({_fmt(b, df.at[row_id, b])})" for r, b in parts)

    if top is not None:
        df = df.iloc[:top]
    df["why"] = [why(v) for v in df.index]
    df.index.name = "customer_id"
    df.attrs.update(provenance("influencers", top=top, by=by, model=spec.model, weight=weight, seed=seed,
                               rr_sets=rr_sets, **spec.params))
    df.attrs["betweenness"] = cen.attrs.get("betweenness")
    return df
