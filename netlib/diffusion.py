"""Diffusion on a customer network: independent cascade, linear threshold, SIR and Bass.

:func:`simulate` runs many Monte-Carlo realisations of a spreading model from a seed set and returns
the mean reach with a confidence interval, the distribution of sizes and the adoption curve.
Models and their parameters are declared as data in :data:`MODELS` (name, range, default), so
notebooks can list them and every call is validated the same way.

The simulations run as compiled kernels on the graph's CSR arrays (``netlib._kernels``); the graph
is converted once per call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netlib import _kernels as K
from netlib._csr import CSRGraph, to_csr
from netlib._util import SeedLike, as_rng, progress as _progress, provenance
from netlib.errors import ParameterError

__all__ = ["Parameter", "Model", "MODELS", "SimulationResult", "simulate", "model_parameters"]

#: Curve rows kept; later steps (rare: long chains) are counted in the last row.
MAX_CURVE_STEPS = 10_000


@dataclass(frozen=True)
class Parameter:
    """One declared model parameter: its name, closed range, default and meaning."""

    name: str
    low: float
    high: float
    default: Any
    description: str
    integer: bool = False

    def validate(self, value: Any, model: str) -> float | int:
        """Return ``value`` checked against the range, or raise :class:`ParameterError`."""
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ParameterError(f"model {model!r}: parameter {self.name!r} must be a number in "
                                 f"[{self.low}, {self.high}]; got {value!r}")
        if self.integer and float(value) != int(value):
            raise ParameterError(f"model {model!r}: parameter {self.name!r} must be a whole number; got {value!r}")
        if not (self.low <= float(value) <= self.high) or math.isnan(float(value)):
            raise ParameterError(f"model {model!r}: parameter {self.name!r} must lie in "
                                 f"[{self.low}, {self.high}]; got {value!r}")
        return int(value) if self.integer else float(value)


@dataclass(frozen=True)
class Model:
    """A spreading model: key, title, declared parameters and the paper it comes from."""

    name: str
    title: str
    parameters: tuple[Parameter, ...]
    reference: str
    notes: str = ""

    def parameter(self, name: str) -> Parameter:
        for par in self.parameters:
            if par.name == name:
                return par
        raise KeyError(name)


_KEMPE = "Kempe, Kleinberg & Tardos (2003), Maximizing the spread of influence through a social network, KDD."

MODELS: dict[str, Model] = {
    "ic": Model(
        "ic", "Independent cascade",
        (Parameter("p", 0.0, 1.0, 0.1,
                   "probability that a newly active customer activates each out-neighbour (one try per "
                   "edge); or 'wc' for weighted cascade 1/in-degree, or the name of an edge attribute "
                   "holding per-edge probabilities"),),
        _KEMPE,
    ),
    "lt": Model(
        "lt", "Linear threshold",
        (),
        _KEMPE,
        "edge weights (the `weight` attribute, 1 when absent) are divided by each customer's total "
        "in-weight, so the in-weights of every customer sum to 1; thresholds are uniform on (0, 1]",
    ),
    "sir": Model(
        "sir", "Susceptible-infected-recovered (discrete time)",
        (Parameter("beta", 0.0, 1.0, 0.1, "per-step probability that an infected customer infects each "
                   "susceptible out-neighbour"),
         Parameter("gamma", 0.0, 1.0, 0.2, "per-step probability that an infected customer recovers "
                   "(gamma = 1 makes SIR the independent cascade with p = beta)")),
        "Kermack & McKendrick (1927); on networks: Newman (2002), Spread of epidemic disease on networks, "
        "Phys. Rev. E 66, 016128.",
    ),
    "bass": Model(
        "bass", "Bass diffusion on a network",
        (Parameter("p", 0.0, 1.0, 0.01, "coefficient of innovation: per-step probability of adopting "
                   "without social influence"),
         Parameter("q", 0.0, 1.0, 0.4, "coefficient of imitation: added probability per step times the "
                   "share of in-neighbours who have adopted"),
         Parameter("steps", 1, 100_000, 50, "number of time steps simulated", integer=True)),
        "Bass (1969), A new product growth for model consumer durables, Management Science 15(5).",
        "a non-adopter adopts in a step with probability min(1, p + q * adopted in-neighbours / in-degree)",
    ),
}


def model_parameters() -> pd.DataFrame:
    """Every model's parameters as a table (model, parameter, low, high, default, description)."""
    rows = [
        {"model": m.name, "parameter": par.name, "low": par.low, "high": par.high, "default": par.default,
         "description": par.description}
        for m in MODELS.values() for par in m.parameters
    ]
    return pd.DataFrame(rows, columns=["model", "parameter", "low", "high", "default", "description"])


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


# --------------------------------------------------------------------------- model setup (shared)
@dataclass
class _Spec:
    """A validated model bound to a graph's CSR arrays; runs batches of simulations and RR sets."""

    model: str
    params: dict
    csr: CSRGraph
    probs: np.ndarray | None = None   # IC per-arc probabilities (None = uniform params["p"])
    lt_w: np.ndarray | None = None    # LT per-arc weights, in-weights of each node summing to 1
    indeg: np.ndarray | None = None   # Bass: in-degrees

    @property
    def uniform(self) -> bool:
        return self.probs is None

    @property
    def mean_p(self) -> float:
        """Uniform p, or the mean per-arc probability (for heuristics)."""
        if self.model != "ic":
            raise ParameterError(f"model {self.model!r} has no edge probability p")
        if self.probs is None:
            return float(self.params["p"])
        return float(self.probs.mean()) if self.probs.size else 0.0

    def run(self, seeds: np.ndarray, nruns: int, base: int, run_start: int = 0,
            ncurve: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Run ``nruns`` simulations numbered from ``run_start``; returns (sizes, summed curve)."""
        c = self.csr
        seeds = np.asarray(seeds, dtype=np.int64)
        base = np.uint64(base)
        nch = K.num_threads()
        if ncurve is None:
            ncurve = self.curve_len()
        code, arcs, indeg, a, b, steps = self._kernel_args()
        return K.sim_runs(code, c.indptr, c.indices, arcs, indeg, float(a), float(b), steps, seeds,
                          run_start, nruns, base, ncurve, nch)

    def prefix_gains(self, seeds: np.ndarray, nruns: int, base: int) -> np.ndarray:
        """Mean marginal gain of each seed given the earlier ones (IC and LT), from ``nruns`` runs."""
        code, arcs, _, a, _, _ = self._kernel_args()
        c = self.csr
        total = K.prefix_gains(code, c.indptr, c.indices, arcs, float(a), np.asarray(seeds, dtype=np.int64),
                               0, nruns, np.uint64(base), K.num_threads())
        return total / nruns

    def _kernel_args(self) -> tuple:
        """(model code, per-arc values, in-degrees, a, b, steps) for the compiled kernels."""
        dummy = np.zeros(1)
        if self.model == "ic":
            code = K.IC_UNIFORM if self.probs is None else K.IC_ARCS
            arcs = dummy if self.probs is None else self.probs
            a = float(self.params["p"]) if self.probs is None else 0.0
            args = (code, arcs, dummy, a, 0.0, 0)
        elif self.model == "lt":
            args = (K.LT, self.lt_w, dummy, 0.0, 0.0, 0)
        elif self.model == "sir":
            args = (K.SIR, dummy, dummy, self.params["beta"], self.params["gamma"], 0)
        else:
            args = (K.BASS, dummy, self.indeg.astype(np.float64), self.params["p"], self.params["q"],
                    int(self.params["steps"]))
        return args

    def curve_len(self) -> int:
        if self.model == "bass":
            return int(self.params["steps"]) + 1
        return min(self.csr.n, MAX_CURVE_STEPS) + 1

    def rr_sets(self, start: int, count: int, base: int):
        """Reverse-reachable sets (IC or LT) numbered ``start..start+count-1``."""
        r = self.csr.reverse
        nch = K.num_threads()
        if self.model == "ic":
            rprobs = None
            if self.probs is not None:
                rprobs = self._reverse_arcs(self.probs)
            p = float(self.params["p"]) if self.probs is None else 0.0
            return K.rr_sets_ic(r.indptr, r.indices, rprobs, p, self.probs is None, start, count, base, nch)
        if self.model == "lt":
            rw = self._reverse_arcs(self.lt_w)
            cs = np.concatenate([[0.0], np.cumsum(rw)])  # per-node cumulative in-weights
            rcum = cs[1:] - np.repeat(cs[r.indptr[:-1]], np.diff(r.indptr))
            return K.rr_sets_lt(r.indptr, r.indices, rcum, start, count, base, nch)
        raise ParameterError(f"reverse-reachable sets exist for models 'ic' and 'lt', not {self.model!r}")

    def _reverse_arcs(self, values: np.ndarray) -> np.ndarray:
        """Per-arc values re-ordered to match the reverse CSR (in-arcs of each node)."""
        cache = self.__dict__.setdefault("_rev_cache", {})
        key = id(values)
        if key not in cache:
            import scipy.sparse as sp

            c = self.csr  # values of arc u->v are needed at v's in-arc list (also when undirected)
            pos = np.arange(c.m, dtype=np.float64) + 1.0  # arc ids, transposed with the matrix
            t = sp.csr_array((pos, c.indices, c.indptr), shape=(c.n, c.n)).T.tocsr()
            t.sort_indices()
            cache[key] = values[(t.data - 1.0).astype(np.int64)]
        return cache[key]


def _check_model(model: str) -> Model:
    if not isinstance(model, str) or model.lower() not in MODELS:
        raise ParameterError(f"unknown model {model!r}; choose one of {sorted(MODELS)}")
    return MODELS[model.lower()]


def _in_degree(c: CSRGraph) -> np.ndarray:
    return np.bincount(c.indices, minlength=c.n).astype(np.int64)


def _setup(G: nx.Graph, model: str, *, p: Any = None, weight: str | None = "weight",
           csr: CSRGraph | None = None, **params: Any) -> _Spec:
    """Validate ``model`` and its parameters against :data:`MODELS` and bind them to ``G``."""
    spec_model = _check_model(model)
    name = spec_model.name
    given = {k: v for k, v in params.items() if v is not None}
    if p is not None:
        given["p"] = p
    known = {par.name for par in spec_model.parameters}
    extra = sorted(set(given) - known)
    if extra:
        raise ParameterError(f"model {name!r} takes parameters {sorted(known) or 'none'}; got unexpected {extra}")
    values: dict[str, Any] = {}
    probs = None
    c = csr
    for par in spec_model.parameters:
        value = given.get(par.name, par.default)
        if name == "ic" and par.name == "p" and isinstance(value, str):
            values["p"] = value
            continue
        values[par.name] = par.validate(value, name)
    attr = None
    if name == "ic" and isinstance(values["p"], str):
        if values["p"].lower() in ("wc", "weighted_cascade"):
            values["p"] = "wc"
        else:
            attr = values["p"]
    if c is None or attr is not None:
        c = to_csr(G, weight=attr if attr else (weight if name == "lt" else None),
                   default=np.nan if attr else 1.0)
    spec = _Spec(name, values, c)
    if name == "ic" and isinstance(values["p"], str):
        key = values["p"]
        if key == "wc":
            indeg = _in_degree(c)
            spec.probs = 1.0 / np.maximum(indeg[c.indices], 1).astype(np.float64)
        else:
            pc = c
            probs = pc.weights
            if probs.size and np.isnan(probs).any():
                u = pc.indptr.searchsorted(int(np.flatnonzero(np.isnan(probs))[0]), side="right") - 1
                raise ParameterError(f"model 'ic': p={key!r} names an edge attribute, but edges of "
                                     f"{pc.nodes[u]!r} lack it (or p is not one of a number, 'wc', or an "
                                     f"edge attribute present on every edge)")
            if probs.size and (probs.min() < 0 or probs.max() > 1):
                raise ParameterError(f"model 'ic': edge attribute {key!r} must hold probabilities in [0, 1]; "
                                     f"found values from {probs.min():g} to {probs.max():g}")
            spec.probs = probs
    elif name == "lt":
        w = c.weights
        if w.size and (np.isnan(w).any() or w.min() < 0):
            raise ParameterError(f"model 'lt': edge weights {weight!r} must be non-negative numbers")
        instr = np.bincount(c.indices, weights=w, minlength=c.n)
        spec.lt_w = np.divide(w, instr[c.indices], out=np.zeros_like(w), where=instr[c.indices] > 0)
    elif name == "bass":
        spec.indeg = _in_degree(c)
    return spec


def _seed_positions(c: CSRGraph, seeds: Any) -> tuple[list, np.ndarray]:
    """Node ids → unique positions, keeping first-seen order; one node id may be given bare."""
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        seeds = [seeds]
    out: list = []
    pos: list[int] = []
    seen = set()
    for s in seeds:
        try:
            i = c.index[s]
        except (KeyError, TypeError):
            raise ParameterError(f"seed {s!r} is not a node of the graph") from None
        if i not in seen:
            seen.add(i)
            out.append(s)
            pos.append(i)
    return out, np.asarray(pos, dtype=np.int64)


def _check_runs(runs: Any) -> int:
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 1:
        raise ParameterError(f"runs must be a positive whole number; got {runs!r}")
    return int(runs)


def _run_batched(spec: _Spec, pos: np.ndarray, runs: int, base: int, progress: bool | None,
                 desc: str) -> tuple[np.ndarray, np.ndarray]:
    """Run ``runs`` simulations in batches (for the progress bar); same numbers as one batch."""
    ncurve = spec.curve_len()
    sizes = np.empty(runs, dtype=np.int64)
    curve = np.zeros(ncurve, dtype=np.int64)
    batch = max(1, min(runs, max(runs // 20, 2_000)))
    with _progress(total=runs, progress=progress, desc=desc, unit="run") as bar:
        for start in range(0, runs, batch):
            cnt = min(batch, runs - start)
            s, cv = spec.run(pos, cnt, base, run_start=start, ncurve=ncurve)
            sizes[start:start + cnt] = s
            curve += cv
            bar.update(cnt)
    return sizes, curve


def _curve_frame(curve: np.ndarray, runs: int, n: int, *, keep_all: bool = False) -> pd.DataFrame:
    """Summed new adopters per step → mean ``new``, ``adopted`` and ``share`` per step (trailing
    empty steps dropped unless ``keep_all``)."""
    last = int(np.flatnonzero(curve)[-1]) + 1 if curve.any() else 1
    if keep_all:
        last = curve.shape[0]
    new = curve[:last] / runs
    frame = pd.DataFrame({"new": new, "adopted": np.cumsum(new)}, index=pd.RangeIndex(last, name="step"))
    frame["share"] = frame["adopted"] / n if n else np.nan
    return frame


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
        IC: activation probability per edge (default 0.1), ``"wc"`` for weighted cascade
        (``1 / in-degree`` of the target), or the name of an edge attribute holding per-edge
        probabilities. Bass: coefficient of innovation (default 0.01).
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
    >>> from netlib.diffusion import simulate
    >>> G = nx.path_graph(5, create_using=nx.DiGraph)
    >>> simulate(G, [0], p=1.0, runs=10, seed=1).mean
    5.0
    """
    runs = _check_runs(runs)
    if not (0 < confidence < 1):
        raise ParameterError(f"confidence must lie in (0, 1); got {confidence!r}")
    spec = _setup(G, model, p=p, weight=weight, beta=beta, gamma=gamma, q=q, steps=steps)
    ids, pos = _seed_positions(spec.csr, seeds)
    rng = as_rng(seed)
    base = int(rng.integers(0, 2**63 - 1))
    sizes, curve = _run_batched(spec, pos, runs, base, progress, f"simulate {spec.model}")
    frame = _curve_frame(curve, runs, spec.csr.n, keep_all=spec.model == "bass")
    prov = provenance("simulate", model=spec.model, runs=runs, seed=seed, weight=weight,
                      confidence=confidence, n_seeds=len(ids), **spec.params)
    return SimulationResult(spec.model, dict(spec.params), ids, runs, spec.csr.n, sizes, frame, confidence, prov)
