"""Diffusion on a customer network: independent cascade, linear threshold, SIR and Bass.

:func:`simulate` runs many Monte-Carlo realisations of a spreading model from a seed set and returns
the mean reach with a confidence interval, the distribution of sizes and the adoption curve.
Models and their parameters are declared as data in :data:`MODELS` (name, range, default), so
notebooks can list them and every call is validated the same way.

The models, the pass-on probability ``p`` (one default, ``"wc"``, for every spreading function) and
the seeding live in the shared spread engine ``netlib._spread``; the simulations run as compiled
kernels on the graph's CSR arrays (``netlib._kernels``, loaded on first use); the graph is converted
once per call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netlib._spread import (
    MODELS,
    Model,
    Parameter,
    check_runs,
    curve_frame,
    prefix_reach_until,
    run_base,
    run_batched,
    seed_positions,
    setup,
)
from netlib._util import SeedLike, as_rng, provenance
from netlib.errors import ParameterError

__all__ = ["Parameter", "Model", "MODELS", "SimulationResult", "simulate", "reach_curve", "model_parameters"]


def model_parameters() -> pd.DataFrame:
    """Every model's parameters as a table (model, parameter, low, high, default, description).

    Returns
    -------
    DataFrame
        One row per declared parameter of :data:`MODELS`, indexed by a RangeIndex named ``parameter_row``.

    Examples
    --------
    >>> import netlib as nl
    >>> table = nl.model_parameters()
    >>> print(table.loc[table["model"] == "sir", ["parameter", "default"]].to_string(index=False))
    parameter default
         beta     0.1
        gamma     0.2
    """
    rows = [
        {"model": m.name, "parameter": par.name, "low": par.low, "high": par.high, "default": par.default,
         "description": par.description}
        for m in MODELS.values() for par in m.parameters
    ]
    table = pd.DataFrame(rows, columns=["model", "parameter", "low", "high", "default", "description"])
    table.index.name = "parameter_row"
    return table


@dataclass(frozen=True, repr=False)
class SimulationResult:
    """Outcome of :func:`simulate`.

    Attributes
    ----------
    sizes : ndarray of int
        Final number of adopters (including seeds) in each run.
    mean : float
        Mean reach over the runs.
    ci : (float, float)
        Normal-approximation confidence interval of the mean at level ``confidence``.
    curve : DataFrame
        Indexed by ``step`` (0 = seeds): ``new`` mean new adopters in the step, ``adopted`` mean
        cumulative adopters, ``share`` that as a fraction of all customers.

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> res = nl.simulate(nx.path_graph(4, create_using=nx.DiGraph), [0], p=1.0, runs=50, seed=1, progress=False)
    >>> res.mean, res.ci, res.curve["adopted"].tolist()
    (4.0, (4.0, 4.0), [1.0, 2.0, 3.0, 4.0])
    """

    model: str
    parameters: dict
    seeds: list
    runs: int
    n: int
    sizes: np.ndarray
    curve: pd.DataFrame
    confidence: float
    provenance: dict = field(default_factory=dict)

    @property
    def mean(self) -> float:
        return float(self.sizes.mean()) if self.runs else float("nan")

    @property
    def std(self) -> float:
        return float(self.sizes.std(ddof=1)) if self.runs > 1 else 0.0

    @property
    def sem(self) -> float:
        """Standard error of the mean."""
        return self.std / math.sqrt(self.runs) if self.runs else float("nan")

    @property
    def ci(self) -> tuple[float, float]:
        from scipy.stats import norm

        half = float(norm.ppf(0.5 + self.confidence / 2)) * self.sem
        return (self.mean - half, self.mean + half)

    @property
    def share(self) -> float:
        """Mean reach as a fraction of all customers."""
        return self.mean / self.n if self.n else float("nan")

    def __repr__(self) -> str:
        lo, hi = self.ci
        return (f"SimulationResult(model={self.model!r}, seeds={len(self.seeds)}, runs={self.runs}, "
                f"mean={self.mean:.4g}, ci=({lo:.4g}, {hi:.4g}), share={self.share:.3%})")


def simulate(G: nx.Graph, seeds: Any, *, model: str = "ic", p: Any = None, runs: int = 1000,
             seed: SeedLike = None, progress: bool | None = None, weight: str | None = "weight",
             beta: float | None = None, gamma: float | None = None, q: float | None = None,
             steps: int | None = None, confidence: float = 0.95) -> SimulationResult:
    """Simulate a spreading process from ``seeds`` many times and summarise the reach.

    Parameters
    ----------
    G : networkx graph
        Directed edges point the way influence flows (``source`` shares with ``target``);
        undirected edges carry it both ways.
    seeds : node or iterable of nodes
        Customers active at step 0 (duplicates are ignored).
    model : {"ic", "lt", "sir", "bass"}
        Independent cascade, linear threshold, SIR or Bass; see :data:`MODELS`.
    p : float or str, optional
        IC: the pass-on probability of every tie, ``"wc"`` for weighted cascade (``1 / in-degree``
        of the receiving customer; the default), or the name of an edge attribute holding per-edge
        probabilities. Bass: coefficient of innovation (default 0.01). Weighted cascade is the one
        default of every spreading function in netlib (:func:`maximize_influence`,
        :func:`influencers` and the routes of :mod:`netlib.cascades` too): it needs no number the
        data cannot give and means the same on sparse and dense networks (the probabilities into
        each customer sum to 1), where one fixed number saturates a dense network and dies out on a
        sparse one. It is the standard setting of the influence-maximisation literature [1]_.
    runs : int
        Number of Monte-Carlo runs.
    seed : int, numpy Generator or None
        Randomness; the same seed gives the same numbers.
    progress : bool or None
        Show a progress bar (None: only in terminals and notebooks).
    weight : str or None
        LT: edge attribute giving influence weights (normalised per customer).
    beta, gamma : float, optional
        SIR infection and recovery probabilities per step (defaults 0.1 and 0.2).
    q, steps : optional
        Bass coefficient of imitation (default 0.4) and number of steps (default 50).
    confidence : float
        Level of the confidence interval ``.ci``.

    Returns
    -------
    SimulationResult
        ``.mean``, ``.ci``, ``.sizes``, ``.curve`` (adoption curve), ``.provenance``.

    Raises
    ------
    ParameterError
        Unknown model, a parameter outside its declared range or not belonging to the model,
        a seed that is not a node, or ``runs`` < 1.

    Notes
    -----
    Independent cascade and linear threshold follow Kempe, Kleinberg & Tardos (2003). With a uniform
    ``p`` the live edges of each newly active node are found by geometric skipping, one random draw
    per live edge instead of one per edge. SIR is the discrete-time model (Newman 2002): with
    ``gamma=1`` it is IC with ``p=beta``. The Bass model (Bass 1969) is run on the network:
    a non-adopter adopts with probability ``min(1, p + q * share of in-neighbours adopted)``.
    The interval is the normal approximation ``mean ± z * sd / sqrt(runs)``.

    References
    ----------
    .. [1] Kempe, Kleinberg & Tardos (2003). Maximizing the spread of influence through a social
       network. KDD.
    .. [2] Newman (2002). Spread of epidemic disease on networks. Phys. Rev. E 66, 016128.
    .. [3] Bass (1969). A new product growth for model consumer durables. Management Science 15(5).

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.path_graph(5, create_using=nx.DiGraph)
    >>> nl.simulate(G, [0], p=1.0, runs=10, seed=1).mean
    5.0
    >>> nl.simulate(G, [0], runs=10, seed=1).mean   # weighted cascade: every in-degree is 1
    5.0
    """
    runs = check_runs(runs)
    if not (0 < confidence < 1):
        raise ParameterError(f"confidence must lie in (0, 1); got {confidence!r}")
    spec = setup(G, model, p=p, weight=weight, beta=beta, gamma=gamma, q=q, steps=steps)
    ids, pos = seed_positions(spec.csr, seeds)
    base = run_base(as_rng(seed))
    # the runs start from the seeds in node order, so the order they are named in does not change the draws
    sizes, curve = run_batched(spec, np.sort(pos), runs, base, progress, f"simulate {spec.model}")
    frame = curve_frame(curve, runs, spec.csr.n, keep_all=spec.model == "bass")
    prov = provenance("simulate", model=spec.model, runs=runs, seed=seed, weight=weight,
                      confidence=confidence, n_seeds=len(ids), **spec.params)
    return SimulationResult(spec.model, dict(spec.params), ids, runs, spec.csr.n, sizes, frame, confidence, prov)


#: Most Monte-Carlo runs :func:`reach_curve` gives one prefix when sizing runs to a precision.
CURVE_MAX_RUNS = 100_000

#: Fewest Monte-Carlo runs :func:`reach_curve` gives a prefix when sizing runs to a precision.
CURVE_MIN_RUNS = 200


def reach_curve(G: nx.Graph, seeds: Any, *, sizes: Any = None, model: str = "ic", p: Any = None,
                runs: int | None = None, precision: float = 0.02, confidence: float = 0.95,
                weight: str | None = "weight", seed: SeedLike = None, progress: bool | None = None) -> pd.DataFrame:
    """Expected reach of the first ``k`` seeds, for growing ``k``, each with a confidence interval.

    Parameters
    ----------
    G : networkx graph or CustomerNetwork
        Directed edges point the way influence flows.
    seeds : iterable of nodes
        Customers in the order they would be seeded (e.g. ``maximize_influence(...).seeds``);
        duplicates are ignored.
    sizes : iterable of int, optional
        The prefix lengths ``k`` to estimate (each from 1 to the number of distinct seeds); all of
        them when None.
    model : {"ic", "lt"}
        Independent cascade or linear threshold (see :func:`simulate`).
    p : float or str, optional
        IC pass-on probability, as in :func:`simulate` (default ``"wc"``).
    runs : int or None
        Monte-Carlo runs for every prefix. None (the default): as many as ``precision`` needs.
    precision : float
        With ``runs=None``: runs are added until, for every prefix, the half-width of its interval is
        at most this share of its reach (0.02: ± 2%), between 200 and 100,000 runs.
    confidence : float
        Level of the intervals.
    weight : str or None
        LT: edge attribute of influence weights.
    seed : int, numpy Generator or None
        Randomness; the same seed gives the same numbers.
    progress : bool or None
        Progress bar (None: only in terminals and notebooks).

    Returns
    -------
    DataFrame
        Indexed by ``k`` (the number of seeds): ``mean`` (expected reach, seeds included),
        ``ci_low`` and ``ci_high`` (the interval at level ``confidence``), ``runs`` (the Monte-Carlo
        runs behind the estimate) and ``precision_reached``. ``attrs["provenance"]`` records the call
        and ``attrs["estimator"]`` says how the numbers were obtained.

    Raises
    ------
    ParameterError
        A model other than IC or LT, a seed that is not a node, ``sizes`` outside 1..the number of
        seeds, ``precision`` or ``confidence`` outside (0, 1), ``runs`` < 1.

    Notes
    -----
    Each Monte-Carlo run draws one realisation of the cascade and adds the seeds to it one at a time
    in the order given (IC: coin flips already made stay made; LT: thresholds stay fixed), so one run
    gives the reach of every prefix for the cost of one run of the longest; the reach of each prefix
    is an unbiased estimate of its expected reach, the same estimator :func:`simulate` uses (Kempe,
    Kleinberg & Tardos 2003). The interval is the normal approximation ``mean ± z * sd / sqrt(runs)``
    of each prefix. With ``runs=None`` a prefix stops receiving runs once its interval is narrow
    enough and every longer prefix's is too; prefixes of one curve share their first runs, so their
    errors are correlated and the curve's shape is estimated better than each point alone. Stopping
    once the interval is narrow relative to the mean slightly favours stopping where the sample mean
    is low (reach is skewed right); the effect stays well inside the interval (tested against exact
    spread on enumerated live-edge worlds).
    Curves of different seed lists called with the same ``seed`` use the same random streams but
    not the same coin flips (coins are drawn in the order the cascade reaches the arcs).

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.DiGraph([(0, 1), (1, 2), (3, 4)])
    >>> curve = nl.reach_curve(G, [0, 3, 2], p=1.0, seed=1)
    >>> curve["mean"].tolist(), curve["runs"].tolist()
    ([3.0, 5.0, 5.0], [200, 200, 200])
    >>> half = nl.reach_curve(G, [0, 3], p=0.5, seed=1)  # exactly 1 + 0.5 + 0.25 = 1.75, then 1.75 + 1.5
    >>> [bool(lo <= x <= hi) for x, lo, hi in zip([1.75, 3.25], half["ci_low"], half["ci_high"])]
    [True, True]
    """
    from statistics import NormalDist

    if runs is not None:
        runs = check_runs(runs)
    if isinstance(precision, bool) or not isinstance(precision, (int, float)) or not 0 < precision < 1:
        raise ParameterError(f"precision must lie in (0, 1); got {precision!r}")
    if not (0 < confidence < 1):
        raise ParameterError(f"confidence must lie in (0, 1); got {confidence!r}")
    if not isinstance(model, str) or model.lower() not in ("ic", "lt"):
        raise ParameterError(f"reach_curve supports models 'ic' and 'lt'; got {model!r}")
    spec = setup(G, model, p=p, weight=weight)
    ids, pos = seed_positions(spec.csr, seeds, allow_empty=False)
    if sizes is None:
        steps = np.arange(1, len(pos) + 1, dtype=np.int64)
    else:
        given = [sizes] if isinstance(sizes, (int, np.integer)) else list(sizes)
        if not given or any(isinstance(j, bool) or not isinstance(j, (int, np.integer)) or not 1 <= j <= len(pos)
                            for j in given):
            raise ParameterError(f"sizes must be whole numbers from 1 to the number of distinct seeds "
                                 f"({len(pos)}); got {sizes!r}")
        steps = np.unique(np.asarray(given, dtype=np.int64))
    base = run_base(as_rng(seed))
    if runs is None:
        est = prefix_reach_until(spec, pos, steps, base, precision=precision, confidence=confidence,
                                 min_runs=CURVE_MIN_RUNS, max_runs=CURVE_MAX_RUNS, progress=progress,
                                 desc="simulate prefixes")
    else:
        total, squares = spec.prefix_reach(pos, steps, 0, runs, base)
        mean = total / runs
        var = np.maximum(squares / runs - mean ** 2, 0.0) * runs / max(runs - 1, 1)
        est = {"mean": mean, "sd": np.sqrt(var), "runs": np.full(steps.shape[0], runs), "reached": None}
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    half = z * est["sd"] / np.sqrt(est["runs"])
    out = pd.DataFrame({"mean": est["mean"], "ci_low": est["mean"] - half, "ci_high": est["mean"] + half,
                        "runs": est["runs"].astype(np.int64)}, index=pd.Index(steps, name="k"))
    out["precision_reached"] = est["reached"] if est["reached"] is not None else half <= precision * est["mean"]
    out.attrs["provenance"] = provenance("reach_curve", model=spec.model, runs=runs, precision=precision,
                                         confidence=confidence, seed=seed, weight=weight, n_seeds=len(ids),
                                         sizes=[int(j) for j in steps], **spec.params)
    out.attrs["estimator"] = (f"mean reach over Monte-Carlo runs of the {spec.model.upper()} model, every prefix "
                              f"played out in the same runs; {confidence:.0%} normal-approximation intervals"
                              + ("" if runs is not None else
                                 f", runs added until each half-width is at most {precision:.0%} of the reach"))
    return out
