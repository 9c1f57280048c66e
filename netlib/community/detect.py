"""Community detection: Leiden, Louvain and label propagation, best of seeded restarts."""

from __future__ import annotations

import functools
import math
import types

import networkx as nx
import numpy as np
import pandas as pd

from netlib._csr import is_graph
from netlib._util import igraph_rng as _igraph_rng
from netlib._util import SeedLike, as_rng, int_seed, progress as _progress, provenance
from netlib.community._ties import (
    _canonical,
    _check_directed,
    _check_resolution,
    _modularity_codes,
    _series,
    _Ties,
    _to_ties,
)
from netlib.errors import ParameterError

__all__ = ["communities", "METHODS", "MAX_AUTO_RESTARTS"]

METHODS = ("leiden", "louvain", "label_propagation")

# Auto restarts: about this many edge visits' worth of work, between 1 and MAX_AUTO_RESTARTS runs.
_RESTART_BUDGET = 50_000
MAX_AUTO_RESTARTS = 50
# Leiden is continued from its own answer until modularity stops rising (at most this many rounds).
_MAX_LEIDEN_ROUNDS = 50
# From this many ties on, one Leiden call with two iterations is used (no continuation rounds).
_LARGE_GRAPH_TIES = 20_000
# Iterations per Leiden call. One is ~40% faster but on LFR 10k graphs (seeds 42, 1..4) its mean
# modularity is level with python-louvain's (-0.00006 to +0.00006); two stay 0.0002-0.0003 above.
_LEIDEN_ITERATIONS = 2


def _louvain_graph(ties: _Ties) -> nx.Graph:
    """Positions as nodes, inserted in canonical order, so python-louvain's shuffle is reproducible."""
    H = nx.Graph()
    H.add_nodes_from(range(ties.n))
    H.add_weighted_edges_from(zip(ties.u.tolist(), ties.v.tolist(), ties.w.tolist()))
    loops = np.flatnonzero(ties.loops > 0)
    H.add_weighted_edges_from((int(i), int(i), float(ties.loops[i])) for i in loops)
    return H


def _status_modularity(status, resolution: float) -> float:
    """Modularity at resolution γ of python-louvain's working state: ``Σ_c [L_c / m − γ (d_c / 2m)²]``.

    python-louvain 0.16 computes ``Σ_c [γ L_c / m − (d_c / 2m)²]`` here (γ on the wrong term; its
    issues #47 and #98). Its node moves use the right gain, but this value decides when a pass and
    the whole run stop, so at γ ≠ 1 it stopped early, e.g. karate at γ = 0.5: 0.6113 for seed 1
    against the optimum 0.6218. At γ = 1 both are the same number.
    """
    links = float(status.total_weight)
    if links <= 0:
        return 0.0
    result = 0.0
    for community in set(status.node2com.values()):
        internal = status.internals.get(community, 0.0)
        degree = status.degrees.get(community, 0.0)
        result += internal / links - resolution * (degree / (2.0 * links)) ** 2
    return result


@functools.cache
def _louvain_dendrogram():
    """python-louvain's ``generate_dendrogram`` with :func:`_status_modularity` as its stopping score.

    The functions are python-louvain's own code objects, rebound to a private copy of their module's
    globals in which ``__modularity`` is replaced, so python-louvain itself is left untouched for
    anyone else who imports it. A python-louvain without those names (not 0.16) is used as it is;
    ``test_python_louvain_alone_stops_early_at_other_resolutions`` then says whether it still needs this.
    """
    import community.community_louvain as upstream  # python-louvain

    names = dict(vars(upstream))
    if "__modularity" not in names or "__one_level" not in names:
        return upstream.generate_dendrogram, upstream.partition_at_level
    names["__modularity"] = _status_modularity
    one_level = names["__one_level"]
    names["__one_level"] = types.FunctionType(one_level.__code__, names, one_level.__name__, one_level.__defaults__)
    generate = upstream.generate_dendrogram
    return types.FunctionType(generate.__code__, names, generate.__name__, generate.__defaults__), \
        upstream.partition_at_level


def _leiden_node_weights(ties: _Ties) -> dict:
    """The node weights that make igraph's Leiden quality the modularity netlib reports.

    Directed objective: out- and in-strengths, the null model ``k_i^out k_j^in / m`` of Leicht &
    Newman (igraph's default would use one degree-based weight). Undirected: the degree with
    self-loops counted twice, as networkx and :func:`_modularity_codes` count it; igraph's default
    counts a self-loop once, and then optimises another objective on graphs with self-loops (a
    7-node graph at γ = 1.7: 0.0235 where the optimum is 0.0956). Without self-loops the two agree
    and igraph's default is kept.
    """
    if ties.directed:
        src, dst, w = ties.arcs
        return dict(node_weights=np.bincount(src, w, ties.n).tolist(),
                    node_in_weights=np.bincount(dst, w, ties.n).tolist())
    if ties.loops.any():
        return dict(node_weights=ties.degree.tolist())
    return {}


class _Runner:
    """One converted graph, many seeded runs of one method."""

    def __init__(self, ties: _Ties, method: str, resolution: float):
        self.ties = ties
        self.method = method
        self.resolution = resolution
        self.large = ties.u.size >= _LARGE_GRAPH_TIES
        if method == "louvain":
            self.graph = _louvain_graph(ties)
        else:
            self.graph, self.weights = ties.igraph
        self.node_weights = _leiden_node_weights(ties) if method == "leiden" else {}

    def run(self, seed: int, resolution: float | None = None) -> np.ndarray:
        res = self.resolution if resolution is None else resolution
        if self.method == "louvain":
            generate, at_level = _louvain_dendrogram()
            levels = generate(self.graph, weight="weight", resolution=res, random_state=seed)
            part = at_level(levels, len(levels) - 1)
            return np.fromiter((part[i] for i in range(self.ties.n)), dtype=np.int64, count=self.ties.n)
        with _igraph_rng(seed):
            if self.method == "label_propagation":
                return np.asarray(self.graph.community_label_propagation(weights=self.weights).membership)
            return self._leiden(res)

    def _leiden(self, resolution: float, iterations: int = _LEIDEN_ITERATIONS) -> np.ndarray:
        import igraph as ig

        # igraph's low-level call: what Graph.community_leiden(objective_function="modularity") runs,
        # without wrapping the answer in a VertexClustering (1.5 ms on LFR 10k). igraph divides the
        # resolution by the summed node weights: 2m for degrees, m for out-strengths.
        kwargs = dict(edge_weights=self.weights, resolution=resolution, normalize_resolution=True,
                      n_iterations=iterations, **self.node_weights)
        memb = np.asarray(ig.GraphBase.community_leiden(self.graph, **kwargs)[0])
        if self.large:
            return memb
        q = _modularity_codes(self.ties, memb, resolution)
        for _ in range(_MAX_LEIDEN_ROUNDS):
            nxt = np.asarray(ig.GraphBase.community_leiden(self.graph, initial_membership=memb.tolist(), **kwargs)[0])
            q_next = _modularity_codes(self.ties, nxt, resolution)
            if not q_next > q + 1e-12:
                break
            memb, q = nxt, q_next
        return memb


def _check_method(method: str, directed: str, is_directed: bool) -> None:
    if method not in METHODS:
        raise ParameterError(f"method must be one of {METHODS}; got {method!r}")
    _check_directed(directed)
    if directed == "directed" and is_directed and method != "leiden":
        raise ParameterError(
            f"method={method!r} has no directed variant; use directed='symmetrize' (summed weights) "
            "or method='leiden' for directed modularity")


def _auto_restarts(ties: _Ties) -> int:
    """Restarts scaled to the graph: 50 on small graphs, 1 from 50,000 ties upward."""
    m = ties.arcs[0].size if ties.directed else ties.u.size
    return int(min(MAX_AUTO_RESTARTS, max(1, _RESTART_BUDGET // max(m, 1))))


def _check_restarts(restarts: int | None, ties: _Ties) -> int:
    if restarts is None:
        return _auto_restarts(ties)
    if isinstance(restarts, bool) or not isinstance(restarts, (int, np.integer)) or restarts < 1:
        raise ParameterError(f"restarts must be a positive int or None (automatic); got {restarts!r}")
    return int(restarts)


def _best_of(runner: _Runner, rng: np.random.Generator, restarts: int, resolution: float,
             progress: bool | None = None, desc: str = "restarts") -> tuple[np.ndarray, float]:
    """Run ``restarts`` times, keep the highest modularity (the first one on ties)."""
    ties = runner.ties
    if ties.total_weight <= 0:  # no ties: every customer is their own community
        return np.arange(ties.n, dtype=np.int64), math.nan
    best, best_q = None, -math.inf
    for _ in _progress(range(restarts), progress=progress, total=restarts, desc=desc, unit="run"):
        memb = runner.run(int_seed(rng), resolution)
        q = _modularity_codes(ties, memb, resolution)
        if q > best_q + 1e-12:
            best, best_q = memb, q
    return _canonical(best), best_q


# Seeded runs are spread over processes from this many ties on (below it a run takes about a second
# and starting a worker costs more than it saves).
_PARALLEL_TIES = 100_000


def _check_jobs(jobs: int | None, ties: _Ties, n_tasks: int) -> int:
    """Worker processes for ``n_tasks`` independent runs: ``jobs``, or with None every core this
    process may use when the graph is large (one process on small graphs)."""
    if jobs is None:
        if ties.u.size + (ties.arcs[0].size if ties.directed else 0) < _PARALLEL_TIES:
            return 1
        import os

        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    elif isinstance(jobs, bool) or not isinstance(jobs, (int, np.integer)) or jobs < 1:
        raise ParameterError(f"jobs must be a positive int or None (automatic); got {jobs!r}")
    return max(1, min(int(jobs), n_tasks))


def _runs_in_worker(arrays: tuple, method: str, resolution: float, restarts: int,
                    tasks: list[tuple[int, float]]) -> list[tuple[np.ndarray, float]]:
    """A worker process's share of :func:`_seeded_runs`: the graph rebuilt from its arrays (the same
    ties in the same order, so the same igraph graph), then each (seed, resolution) run."""
    nodes_n, u, v, w, loops, directed, arcs = arrays
    ties = _Ties(range(nodes_n), {}, u, v, w, loops, directed, arcs)
    runner = _Runner(ties, method, resolution)
    return [_best_of(runner, np.random.default_rng(seed), restarts, res) for seed, res in tasks]


def _seeded_runs(runner: _Runner, tasks: list[tuple[int, float]], restarts: int, jobs: int,
                 progress: bool | None = None, desc: str = "runs", unit: str = "run") -> list[tuple[np.ndarray, float]]:
    """``_best_of`` for each ``(int seed, resolution)``, the runs spread over ``jobs`` processes.

    Every run draws from its own ``default_rng(seed)`` and igraph's generator is per process, so the
    answers are the ones a loop in this process gives, whatever ``jobs`` is. igraph keeps the GIL
    and calls back into Python for every random number, so threads cannot share the work: each worker
    process (joblib's loky) rebuilds the graph from the tie arrays and takes every ``jobs``-th task.
    """
    if jobs <= 1 or len(tasks) <= 1:
        return [_best_of(runner, np.random.default_rng(seed), restarts, res)
                for seed, res in _progress(tasks, progress=progress, total=len(tasks), desc=desc, unit=unit)]
    from joblib import Parallel, delayed

    ties = runner.ties
    arrays = (ties.n, ties.u, ties.v, ties.w, ties.loops, ties.directed, ties.arcs)
    shares = [tasks[i::jobs] for i in range(jobs)]
    done = Parallel(n_jobs=jobs, backend="loky")(
        delayed(_runs_in_worker)(arrays, runner.method, runner.resolution, restarts, share) for share in shares)
    out: list = [None] * len(tasks)
    for i, results in enumerate(done):
        out[i::jobs] = results
    return out


def communities(G: nx.Graph, *, method: str = "leiden", resolution: float = 1.0, weight: str | None = "weight",
                seed: SeedLike = None, restarts: int | None = None, directed: str = "symmetrize",
                progress: bool | None = None) -> pd.Series:
    """Partition customers into communities of dense sharing.

    Parameters
    ----------
    G : networkx graph
        Directed or undirected; see the module notes for how direction is handled.
    method : {"leiden", "louvain", "label_propagation"}
        ``"leiden"`` (default): the Leiden algorithm (Traag, Waltman & van Eck 2019) optimising
        modularity, through igraph's compiled implementation; communities are guaranteed to be
        connected, and each run is continued from its own answer until modularity stops rising
        (at most 50 rounds, each better than the last; from 20,000 ties on, a single
        two-iteration run is used). With ``directed="directed"`` it
        optimises directed modularity (igraph is given the out- and in-strengths).
        ``"louvain"``: python-louvain's Louvain (Blondel et al. 2008), given an int
        ``random_state`` drawn from ``seed``. python-louvain 0.16 scores its stopping test with the
        resolution on the wrong term, which stops it early at γ ≠ 1 (karate at γ = 0.5: 0.6113
        against the optimum 0.6218); netlib runs python-louvain's own code with that score
        corrected, which changes nothing at γ = 1.
        ``"label_propagation"``: Raghavan, Albert & Kumara (2007) through igraph. It optimises no
        objective: what it guarantees is a consensus, where every customer with ties ends in a
        community that holds the largest share of their tie weight (ties broken at random). It
        can stop well below the best modularity; ``resolution`` only decides which restart is kept.
    resolution : float
        Modularity resolution γ > 0 (Reichardt & Bornholdt 2006): above 1 gives more, smaller
        communities; below 1 fewer, larger ones.
    weight : str or None
        Edge attribute holding tie strength (missing → 1.0); None treats every tie as 1.0.
    seed : int, numpy Generator or None
        Same seed → identical partition.
    restarts : int or None
        Independent runs; the one with the highest modularity is kept. None scales with the
        graph: 50 runs up to 1,000 ties, then ``50,000 // ties`` runs, and 1 run from 50,000 ties
        upward (ties counted once, after symmetrising).
    directed : {"symmetrize", "directed"}
        How a directed graph is read (ignored for undirected graphs): summed symmetric weights,
        or directed modularity (Leiden only).
    progress : bool or None
        Show a progress bar over the restarts (None: only in terminals and notebooks).

    Returns
    -------
    pandas.Series
        Community id (int64) per customer, indexed by ``customer_id`` in canonical node order,
        named ``"community"``. Ids are 0..k-1 by decreasing size; communities of equal size are
        ordered by their first member in sorted order. Customers without ties are communities of
        their own. ``attrs`` holds ``"provenance"`` (the call), ``"modularity"`` (of the kept run,
        with the objective it was optimised for) and ``"restarts"``.

    Raises
    ------
    ParameterError
        Unknown method, bad resolution or restarts, negative or non-finite weights, or
        ``directed="directed"`` with a method that has no directed variant.

    Notes
    -----
    Modularity has a resolution limit (Fortunato & Barthélemy 2007): at γ = 1 small planted
    groups in large graphs may be merged. :func:`resolution_sweep` shows the scales available.

    The backend was chosen by measurement (``bench/bench_community.py --scale-only``, CPU seconds
    on a shared machine, conversion from arrays counted): igraph's Leiden against NetworKit's PLM
    and ParallelLeiden. LFR n = 100,000: 3.7 s against PLM's 2.6 s, modularity 0.7563 against
    0.7561 (from a networkx graph: 4.6 s against 10.4 s for NetworKit's ``nx2nk`` + PLM); the
    1M-customer world (3.4M ties): 44.6 s against PLM's 44.5 s, modularity 0.8195 against 0.8044
    (ParallelLeiden 38.6 s, 0.8197, but NetworKit seeds one global generator and two threads do not
    repeat a partition). igraph's Leiden keeps Leiden's guarantee (communities are connected) and
    an exact repeat for a seed, so it stays.

    References
    ----------
    V. A. Traag, L. Waltman, N. J. van Eck, "From Louvain to Leiden: guaranteeing well-connected
    communities", Scientific Reports 9, 5233 (2019).
    V. D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, "Fast unfolding of communities in
    large networks", J. Stat. Mech. P10008 (2008).
    U. N. Raghavan, R. Albert, S. Kumara, "Near linear time algorithm to detect community
    structures in large-scale networks", Phys. Rev. E 76, 036106 (2007).
    E. A. Leicht, M. E. J. Newman, "Community structure in directed networks", Phys. Rev. Lett.
    100, 118703 (2008).

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.karate_club_graph()
    >>> part = nl.communities(G, weight=None, seed=1)
    >>> part.nunique(), round(part.attrs["modularity"], 4)
    (4, 0.4198)
    >>> part.value_counts().tolist()  # community 0 is the largest
    [12, 11, 6, 5]

    Directed modularity (Leicht & Newman) on a small graph of who shared with whom:

    >>> D = nx.DiGraph([(0, 1), (0, 3), (1, 2), (1, 3), (2, 0), (2, 1), (3, 4)])
    >>> part = nl.communities(D, directed="directed", seed=0)
    >>> part.tolist(), round(part.attrs["modularity"], 4)
    ([0, 0, 0, 1, 1], 0.1633)
    """
    _check_method(method, directed, G.is_directed() if is_graph(G) else False)
    res = _check_resolution(resolution)
    ties = _to_ties(G, weight, directed)
    n_runs = _check_restarts(restarts, ties)
    rng = as_rng(seed)
    if ties.n == 0:
        memb, q = np.zeros(0, dtype=np.int64), math.nan
    else:
        memb, q = _best_of(_Runner(ties, method, res), rng, n_runs, res, progress, desc=f"{method} restarts")
    out = _series(ties, memb)
    out.attrs["provenance"] = provenance("communities", method=method, resolution=res, weight=weight, seed=seed,
                                         restarts=restarts, directed=directed)
    out.attrs["modularity"] = q
    out.attrs["restarts"] = n_runs
    return out

