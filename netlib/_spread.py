"""The shared spread engine: models, the pass-on probability, seeds and batched runs. Private.

Every function that lets an idea spread over the network goes through here: :func:`netlib.simulate`,
:func:`netlib.maximize_influence`, :func:`netlib.influencers` and the routes of
:mod:`netlib.cascades` (:func:`~netlib.most_probable_path`, :func:`~netlib.k_most_probable_paths`,
:func:`~netlib.reachable_within`, :func:`~netlib.territories`). So there is

- one declaration of the models and their parameters (:data:`MODELS`);
- one resolver of the pass-on probability ``p`` (:func:`setup`): a number for every tie, ``"wc"``
  or the name of an edge attribute, with one default, :data:`DEFAULT_P`;
- one reading of seed customers (:func:`seed_positions`) and one derivation of the random streams
  from ``seed`` (:func:`run_base`): run ``r`` draws from stream ``r`` of that base, so
  :func:`netlib.reachable_within` and :func:`netlib.simulate` given the same seed play out the same
  cascades;
- one simulator (``netlib._kernels.sim_runs``), with its hop-limited form
  (``netlib._kernels.reach_counts``) behind :meth:`Spec.reach_counts`.

The default pass-on probability
-------------------------------
``p="wc"``, the weighted cascade of Kempe, Kleinberg & Tardos (2003): a tie into a customer with
``d`` incoming ties passes an idea on with probability ``1 / d``. It is the one default because it
needs no number the data cannot supply, and it means the same on every network: the probabilities
into each customer sum to 1. A single number does not: a uniform ``p`` spreads to most of the
network once ``p`` passes the percolation threshold ``<k> / (<k^2> - <k>)`` (Newman 2002), which is
``1 / <k>`` for Poisson degrees: 0.02 where customers have 50 friends on average, 0.33 where they
have 3. A fixed default such as 0.1 therefore saturates one customer base and dies out on another.
Weighted cascade is also the standard setting of the influence-maximisation literature (Kempe et
al. 2003; Chen, Wang & Yang 2009; Tang, Shi & Xiao 2015). Pass a number when a pass-on rate was
measured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netlib._csr import CSRGraph, is_graph, to_csr
from netlib._util import as_rng, lazy_module, progress as _progress
from netlib.errors import ParameterError

K = lazy_module("netlib._kernels")
P = lazy_module("netlib._prefix_kernels")

__all__ = [
    "DEFAULT_P", "MAX_CURVE_STEPS", "MODELS", "Model", "Parameter", "Spec", "check_model", "check_runs",
    "curve_frame", "in_degree", "prefix_reach_until", "run_base", "run_batched", "run_until", "seed_positions",
    "setup",
]

#: Curve rows kept; later steps (rare: long chains) are counted in the last row.
MAX_CURVE_STEPS = 10_000

#: The pass-on probability used when none is given: weighted cascade (see the module notes).
DEFAULT_P = "wc"

_WC = ("wc", "weighted_cascade")
_P_MEANING = ("p is the pass-on probability: a number in [0, 1], 'wc' (weighted cascade, 1 / in-degree) "
              "or the name of an edge attribute holding probabilities")


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
        raise ParameterError(f"model {self.name!r} has no parameter {name!r}; it takes "
                             f"{[par.name for par in self.parameters]}")


_KEMPE = "Kempe, Kleinberg & Tardos (2003), Maximizing the spread of influence through a social network, KDD."

MODELS: dict[str, Model] = {
    "ic": Model(
        "ic", "Independent cascade",
        (Parameter("p", 0.0, 1.0, DEFAULT_P,
                   "probability that a newly active customer activates each out-neighbour (one try per "
                   "edge); 'wc' (the default) for weighted cascade 1/in-degree, or the name of an edge "
                   "attribute holding per-edge probabilities"),),
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


# --------------------------------------------------------------------------- a model bound to a graph
@dataclass
class Spec:
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

    @property
    def arc_probs(self) -> np.ndarray:
        """IC: the pass-on probability of every arc, in CSR order (uniform ``p`` spelled out)."""
        if self.model != "ic":
            raise ParameterError(f"model {self.model!r} has no edge probability p")
        if self.probs is None:
            return np.full(self.csr.m, float(self.params["p"]))
        return self.probs

    def run(self, seeds: np.ndarray, nruns: int, base: int, run_start: int = 0,
            ncurve: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Run ``nruns`` simulations numbered from ``run_start``; returns (sizes, summed curve)."""
        c = self.csr
        seeds = np.asarray(seeds, dtype=np.int64)
        nch = K.num_threads()
        if ncurve is None:
            ncurve = self.curve_len()
        code, arcs, indeg, a, b, steps = self._kernel_args()
        return K.sim_runs(code, c.indptr, c.indices, arcs, indeg, float(a), float(b), steps, seeds,
                          run_start, nruns, np.uint64(base), ncurve, nch)

    def reach_counts(self, seeds: np.ndarray, rounds: int, nruns: int, base: int) -> np.ndarray:
        """IC: in how many of ``nruns`` runs each customer is active after ``rounds`` rounds.

        The runs of :meth:`run` for the same ``base``, stopped after ``rounds`` rounds.
        """
        if self.model != "ic":
            raise ParameterError(f"hop-limited runs exist for model 'ic', not {self.model!r}")
        code, arcs, _, a, _, _ = self._kernel_args()
        c = self.csr
        return K.reach_counts(code, c.indptr, c.indices, arcs, float(a), np.asarray(seeds, dtype=np.int64),
                              int(rounds), 0, int(nruns), np.uint64(base), K.num_threads())

    def prefix_gains(self, seeds: np.ndarray, nruns: int, base: int) -> np.ndarray:
        """Mean marginal gain of each seed given the earlier ones (IC and LT), from ``nruns`` runs."""
        steps = np.arange(1, len(seeds) + 1, dtype=np.int64)
        total, _ = self.prefix_reach(seeds, steps, 0, nruns, base)
        return np.diff(total, prepend=0.0) / nruns

    def prefix_reach(self, seeds: np.ndarray, steps: np.ndarray, run_start: int, nruns: int,
                     base: int) -> tuple[np.ndarray, np.ndarray]:
        """IC and LT: sums and sums of squares, over runs ``run_start..run_start+nruns-1``, of the reach of
        ``seeds[:steps[j]]`` for each ``j``, every prefix played out in the same realisation of each run."""
        if self.model not in ("ic", "lt"):
            raise ParameterError(f"prefix reach exists for models 'ic' and 'lt', not {self.model!r}")
        code, arcs, _, a, _, _ = self._kernel_args()
        c = self.csr
        return P.prefix_reach(code, c.indptr, c.indices, arcs, float(a), np.asarray(seeds, dtype=np.int64),
                              np.asarray(steps, dtype=np.int64), int(run_start), int(nruns), np.uint64(base),
                              K.num_threads())

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


# --------------------------------------------------------------------------- validation and binding
def check_model(model: str) -> Model:
    if not isinstance(model, str) or model.lower() not in MODELS:
        raise ParameterError(f"unknown model {model!r}; choose one of {sorted(MODELS)}")
    return MODELS[model.lower()]


def check_runs(runs: Any) -> int:
    """``runs`` as a positive int, or :class:`ParameterError`."""
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 1:
        raise ParameterError(f"runs must be a positive whole number; got {runs!r}")
    return int(runs)


def in_degree(c: CSRGraph) -> np.ndarray:
    return np.bincount(c.indices, minlength=c.n).astype(np.int64)


def _resolve_p(value: Any) -> float | str:
    """The pass-on probability as given: a float in [0, 1], ``"wc"`` or an edge attribute name."""
    if isinstance(value, str):
        return "wc" if value.lower() in _WC else value
    try:
        return MODELS["ic"].parameter("p").validate(value, "ic")
    except ParameterError as err:
        raise ParameterError(f"{err}. {_P_MEANING}") from None


def _arc_probabilities(c: CSRGraph, key: str) -> np.ndarray:
    """Per-arc probabilities for ``p="wc"`` or an edge attribute (read into ``c.weights``)."""
    if key == "wc":
        return 1.0 / np.maximum(in_degree(c)[c.indices], 1).astype(np.float64)
    probs = c.weights
    if probs.size and np.isnan(probs).any():
        u = c.indptr.searchsorted(int(np.flatnonzero(np.isnan(probs))[0]), side="right") - 1
        raise ParameterError(f"model 'ic': p={key!r} names an edge attribute, but edges of {c.nodes[u]!r} lack "
                             f"it; give a number, 'wc' or an attribute every edge has")
    if probs.size and (probs.min() < 0 or probs.max() > 1):
        raise ParameterError(f"model 'ic': edge attribute {key!r} must hold probabilities in [0, 1]; "
                             f"found values from {probs.min():g} to {probs.max():g}")
    return probs


def setup(G: nx.Graph, model: str, *, p: Any = None, weight: str | None = "weight",
          csr: CSRGraph | None = None, **params: Any) -> Spec:
    """Validate ``model`` and its parameters against :data:`MODELS` and bind them to ``G``.

    For the independent cascade this is where ``p`` is resolved (``None``: :data:`DEFAULT_P`).
    ``csr`` reuses a conversion of ``G`` made by the caller (not when ``p`` names an attribute).
    """
    if csr is None and not is_graph(G):
        raise ParameterError(f"G must be a networkx graph; got {type(G).__name__}")
    spec_model = check_model(model)
    name = spec_model.name
    given = {k: v for k, v in params.items() if v is not None}
    if p is not None:
        given["p"] = p
    known = {par.name for par in spec_model.parameters}
    extra = sorted(set(given) - known)
    if extra:
        raise ParameterError(f"model {name!r} takes parameters {sorted(known) or 'none'}; got unexpected {extra}")
    values: dict[str, Any] = {}
    for par in spec_model.parameters:
        value = given.get(par.name, par.default)
        values[par.name] = _resolve_p(value) if name == "ic" and par.name == "p" else par.validate(value, name)
    attr = values["p"] if name == "ic" and isinstance(values["p"], str) and values["p"] != "wc" else None
    c = csr
    if c is None or attr is not None:
        c = to_csr(G, weight=attr if attr else (weight if name == "lt" else None),
                   default=np.nan if attr else 1.0)
    spec = Spec(name, values, c)
    if name == "ic" and isinstance(values["p"], str):
        spec.probs = _arc_probabilities(c, values["p"])
    elif name == "lt":
        w = c.weights
        if w.size and (np.isnan(w).any() or w.min() < 0):
            raise ParameterError(f"model 'lt': edge weights {weight!r} must be non-negative numbers")
        instr = np.bincount(c.indices, weights=w, minlength=c.n)
        spec.lt_w = np.divide(w, instr[c.indices], out=np.zeros_like(w), where=instr[c.indices] > 0)
    elif name == "bass":
        spec.indeg = in_degree(c)
    return spec


def seed_positions(c: CSRGraph, seeds: Any, *, allow_empty: bool = True) -> tuple[list, np.ndarray]:
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
    if not pos and not allow_empty:
        raise ParameterError("seeds must name at least one node")
    return out, np.asarray(pos, dtype=np.int64)


def run_base(rng: np.random.Generator | int | None) -> int:
    """The base of the per-run random streams: run ``r`` draws from stream ``r`` of it (one draw)."""
    return int(as_rng(rng).integers(0, 2**63 - 1))


# --------------------------------------------------------------------------- running and summarising
def run_batched(spec: Spec, pos: np.ndarray, runs: int, base: int, progress: bool | None,
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


def run_until(spec: Spec, pos: np.ndarray, base: int, *, precision: float, confidence: float,
              min_runs: int = 200, max_runs: int = 1_000_000, progress: bool | None = None,
              desc: str = "simulate") -> tuple[np.ndarray, np.ndarray, bool]:
    """Run simulations in growing batches until the confidence interval of the mean reach is narrow.

    Stops when the half-width ``z * sd / sqrt(runs)`` (normal approximation at level ``confidence``)
    is at most ``precision`` times the mean, after at least ``min_runs`` and at most ``max_runs``
    runs. Each next batch is sized from the variance seen so far (10% above the runs it predicts),
    at least doubling the runs when it falls short, so there are O(log) batches. Runs are numbered
    from 0 as in :func:`run_batched`, so the first ``r`` sizes equal those of ``r`` fixed runs.
    Returns (sizes, summed curve, whether the precision was reached).
    """
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    ncurve = spec.curve_len()
    parts: list[np.ndarray] = []
    curve = np.zeros(ncurve, dtype=np.int64)
    done = 0
    total = 0.0
    total_sq = 0.0
    target = min(min_runs, max_runs)
    reached = False
    with _progress(progress=progress, desc=desc, unit="run") as bar:
        while done < target:
            cnt = target - done
            s, cv = spec.run(pos, cnt, base, run_start=done, ncurve=ncurve)
            parts.append(s)
            curve += cv
            done += cnt
            total += float(s.sum())
            total_sq += float(np.square(s, dtype=np.float64).sum())
            bar.update(cnt)
            mean = total / done
            var = max(total_sq / done - mean * mean, 0.0) * done / max(done - 1, 1)
            half = z * math.sqrt(var / done)
            if half <= precision * abs(mean):
                reached = True
                break
            need = math.ceil(1.1 * var * (z / (precision * mean)) ** 2) if mean > 0 else 2 * done
            target = min(max(need, 2 * done), max_runs)
    return np.concatenate(parts), curve, reached


def prefix_reach_until(spec: Spec, pos: np.ndarray, steps: np.ndarray, base: int, *, precision: float,
                       confidence: float, min_runs: int = 200, max_runs: int = 1_000_000,
                       progress: bool | None = None, desc: str = "simulate prefixes") -> dict[str, np.ndarray]:
    """The reach of ``pos[:steps[j]]`` for every ``j``, each with runs added until its interval is narrow.

    Every run plays out all prefixes in one realisation (:meth:`Spec.prefix_reach`), so a batch costs
    one run of the longest prefix still short of precision per run; prefixes that already have it stop
    receiving runs only when every longer one has it too (a run reaches them anyway). Prefix ``j``
    is done when the half-width ``z * sd / sqrt(runs)`` (normal approximation at level ``confidence``)
    is at most ``precision`` times its mean reach, after at least ``min_runs`` runs, or at ``max_runs``.
    Each batch is sized from the variance seen so far for the longest prefix still short (10% above
    the runs it predicts, at least 1.25 times the runs so far), so shorter, cheaper prefixes that need
    more runs get them in later batches that stop at them. Runs are numbered from 0, so prefix ``j``
    uses runs ``0..runs[j]-1``. Returns arrays ``mean``, ``sd``, ``runs`` and ``reached`` (whether the precision
    was reached), one entry per step.
    """
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    steps = np.asarray(steps, dtype=np.int64)
    total = np.zeros(steps.shape[0])
    total_sq = np.zeros(steps.shape[0])
    runs = np.zeros(steps.shape[0], dtype=np.int64)
    mean = np.zeros(steps.shape[0])
    var = np.zeros(steps.shape[0])
    done = 0
    target = min(min_runs, max_runs)
    short = np.ones(steps.shape[0], dtype=bool)
    with _progress(progress=progress, desc=desc, unit="run") as bar:
        while short.any() and done < target:
            upto = int(np.flatnonzero(short)[-1]) + 1
            cnt = target - done
            s, sq = spec.prefix_reach(pos, steps[:upto], done, cnt, base)
            total[:upto] += s
            total_sq[:upto] += sq
            runs[:upto] += cnt
            done += cnt
            bar.update(cnt)
            mean[:upto] = total[:upto] / runs[:upto]
            var[:upto] = np.maximum(total_sq[:upto] / runs[:upto] - mean[:upto] ** 2, 0.0) \
                * runs[:upto] / np.maximum(runs[:upto] - 1, 1)
            half = z * np.sqrt(var / np.maximum(runs, 1))
            short = (half > precision * np.abs(mean)) & (runs < max_runs)
            if not short.any():
                break
            j = int(np.flatnonzero(short)[-1])  # the next batch is sized for the longest prefix still short
            need = math.ceil(1.1 * var[j] * (z / (precision * mean[j])) ** 2)
            target = int(min(max(need, math.ceil(1.25 * done)), max_runs))
    half = z * np.sqrt(var / np.maximum(runs, 1))
    return {"mean": mean, "sd": np.sqrt(var), "runs": runs, "reached": half <= precision * np.abs(mean)}


def curve_frame(curve: np.ndarray, runs: int, n: int, *, keep_all: bool = False) -> pd.DataFrame:
    """Summed new adopters per step → mean ``new``, ``adopted`` and ``share`` per step (trailing
    empty steps dropped unless ``keep_all``)."""
    last = int(np.flatnonzero(curve)[-1]) + 1 if curve.any() else 1
    if keep_all:
        last = curve.shape[0]
    new = curve[:last] / runs
    frame = pd.DataFrame({"new": new, "adopted": np.cumsum(new)}, index=pd.RangeIndex(last, name="step"))
    frame["share"] = frame["adopted"] / n if n else np.nan
    return frame
