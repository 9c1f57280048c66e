"""Routes on the network: the paths an idea is most likely to travel, who it can reach within a few
hops, and which seed each customer is closest to.

Every tie passes an idea on independently with its pass-on probability ``p`` (the independent
cascade model), resolved by the shared spread engine ``netlib._spread`` exactly as for
:func:`netlib.simulate`: a number, ``"wc"`` (the default) or an edge attribute. A route succeeds with
the product of its probabilities, so the best routes are shortest paths on ``-log p``.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from netlib._csr import CSRGraph
from netlib._spread import Spec, check_runs, run_base, seed_positions, setup
from netlib._util import SeedLike, provenance
from netlib.cascades._forest import _climb
from netlib.errors import ParameterError

__all__ = ["SpreadPath", "k_most_probable_paths", "most_probable_path", "reachable_within", "territories"]


@dataclass(frozen=True)
class SpreadPath:
    """One route through the network and the chance an idea travels all of it.

    Attributes
    ----------
    nodes : list
        Customers from source to target (empty when the target cannot be reached).
    probability : float
        Product of the transmission probabilities of the ties on the route (0 when unreachable).
    """

    nodes: list
    probability: float

    @property
    def hops(self) -> int:
        """Number of ties on the route (-1 when there is none)."""
        return len(self.nodes) - 1


# pickles name the class by its public path, so files written before and after the package split load
SpreadPath.__module__ = "netlib.cascades"


def _pass_on(G: nx.Graph, p) -> tuple[Spec, CSRGraph, np.ndarray]:
    """``G`` bound to the independent cascade with pass-on probability ``p`` (resolved by the shared
    spread engine, default :data:`netlib._spread.DEFAULT_P`), its CSR arrays and every arc's probability."""
    spec = setup(G, "ic", p=p)
    return spec, spec.csr, spec.arc_probs


def _cost_matrix(c, probs):
    """Sparse matrix of -log p over the arcs with p > 0 (explicit zeros are edges of cost 0)."""
    import scipy.sparse as sp

    live = probs > 0
    rows = np.repeat(np.arange(c.n), np.diff(c.indptr))
    keep_indptr = np.r_[0, np.cumsum(np.bincount(rows[live], minlength=c.n))]
    cost = -np.log(probs[live])
    cost[cost == 0] = 0.0  # -0.0 -> 0.0
    return sp.csr_array((cost, c.indices[live], keep_indptr), shape=(c.n, c.n))


def _node(c, v, what: str) -> int:
    try:
        return c.index[v]
    except (KeyError, TypeError):
        raise ParameterError(f"{what} {v!r} is not a node of the graph") from None


def most_probable_path(G: nx.Graph, source, target, *, p=None) -> SpreadPath:
    """The route from ``source`` to ``target`` an idea is most likely to travel in full.

    Each tie transmits independently with its probability, so a route succeeds with the product of
    its probabilities; the best route is the shortest path on ``-log p`` (Dijkstra).

    Parameters
    ----------
    G : networkx graph
        Directed ties point the way ideas flow.
    source, target : node
    p : float, "wc" or str, optional
        Pass-on probability: one number for every tie, ``"wc"`` (weighted cascade, 1 / in-degree of
        the receiving customer; Kempe, Kleinberg & Tardos 2003; the default, as in
        :func:`netlib.simulate`, which says why) or the name of an edge attribute holding
        probabilities.

    Returns
    -------
    SpreadPath
        ``nodes`` from source to target and their ``probability``; empty and 0 when unreachable.

    Raises
    ------
    ParameterError
        Unknown nodes, or probabilities missing or outside [0, 1].

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", p=0.9); G.add_edge("b", "c", p=0.9); G.add_edge("a", "c", p=0.5)
    >>> nl.most_probable_path(G, "a", "c", p="p")
    SpreadPath(nodes=['a', 'b', 'c'], probability=0.81)
    """
    from scipy.sparse.csgraph import dijkstra

    _, c, probs = _pass_on(G, p)
    s = _node(c, source, "source")
    t = _node(c, target, "target")
    if s == t:
        return SpreadPath([source], 1.0)
    dist, pred = dijkstra(_cost_matrix(c, probs), directed=True, indices=s, return_predecessors=True)
    if not np.isfinite(dist[t]):
        return SpreadPath([], 0.0)
    path = [t]
    while path[-1] != s:
        path.append(int(pred[path[-1]]))
    nodes = c.ids(path[::-1])
    return SpreadPath(nodes, _path_probability(c, probs, path[::-1]))


def _path_probability(c, probs, path) -> float:
    out = 1.0
    for u, v in itertools.pairwise(path):
        lo, hi = c.indptr[u], c.indptr[u + 1]
        j = lo + int(np.searchsorted(c.indices[lo:hi], v))
        out *= float(probs[j])
    return round(out, 15)


def k_most_probable_paths(G: nx.Graph, source, target, k: int = 5, *, p=None) -> pd.DataFrame:
    """The ``k`` most probable simple routes from ``source`` to ``target``.

    Yen's algorithm on ``-log p`` (networkx ``shortest_simple_paths``): routes come in decreasing
    probability, none visits a customer twice.

    Parameters
    ----------
    G, source, target, p
        As in :func:`most_probable_path`.
    k : int
        How many routes (fewer when fewer exist).

    Returns
    -------
    DataFrame
        Indexed by a RangeIndex named ``route``; columns ``rank`` (1 = most probable), ``path``
        (list of customers), ``probability``, ``hops``.

    Raises
    ------
    ParameterError
        ``k`` is not a positive whole number; unknown nodes; bad probabilities.

    References
    ----------
    .. [1] J. Y. Yen, "Finding the k shortest loopless paths in a network", Management Science
       17(11):712-716, 1971.

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", p=0.9); G.add_edge("b", "c", p=0.9); G.add_edge("a", "c", p=0.5)
    >>> print(nl.k_most_probable_paths(G, "a", "c", k=2, p="p")[["path", "probability"]].to_string())  # doctest: +NORMALIZE_WHITESPACE
                path  probability
    route
    0      [a, b, c]         0.81
    1         [a, c]         0.50
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ParameterError(f"k must be a positive integer; got {k!r}")
    spec, c, probs = _pass_on(G, p)
    _node(c, source, "source")
    _node(c, target, "target")
    H = nx.DiGraph()
    H.add_nodes_from(range(c.n))
    rows = np.repeat(np.arange(c.n), np.diff(c.indptr))
    live = probs > 0
    H.add_weighted_edges_from(zip(rows[live].tolist(), c.indices[live].tolist(),
                                  np.maximum(-np.log(probs[live]), 0.0).tolist()), weight="cost")
    s, t = c.index[source], c.index[target]
    out = []
    if s == t:
        out.append(([source], 1.0))
    else:
        try:
            for path in nx.shortest_simple_paths(H, s, t, weight="cost"):
                out.append((c.ids(path), _path_probability(c, probs, path)))
                if len(out) >= k:
                    break
        except nx.NetworkXNoPath:
            pass
    frame = pd.DataFrame({
        "rank": np.arange(1, len(out) + 1, dtype=np.int64),
        "path": [o[0] for o in out],
        "probability": np.array([o[1] for o in out], dtype=np.float64),
        "hops": np.array([len(o[0]) - 1 for o in out], dtype=np.int64),
    }, index=pd.RangeIndex(len(out), name="route"))
    frame.attrs["provenance"] = provenance("k_most_probable_paths", source=source, target=target, k=int(k),
                                           p=spec.params["p"])
    return frame


def reachable_within(G: nx.Graph, seeds, h: int, *, p=None, runs: int | None = None,
                     seed: SeedLike = None) -> pd.DataFrame:
    """Everyone the seeds can reach in at most ``h`` hops, and how likely that is.

    Parameters
    ----------
    G : networkx graph
    seeds : node or list of nodes
    h : int
        Largest number of hops (ties) from a seed.
    p : float, "wc" or str, optional
        Pass-on probabilities, as in :func:`most_probable_path` (default weighted cascade).
    runs : int, optional
        Also estimate the probability that each customer is reached within ``h`` rounds of the
        independent cascade model (Kempe, Kleinberg & Tardos 2003) from ``runs`` Monte-Carlo runs
        (None: no estimate; ``runs=0``, the old spelling of "off", still works with a
        ``DeprecationWarning``).
    seed : int or numpy Generator, optional
        Random seed for the Monte-Carlo runs. The runs are those of :func:`netlib.simulate` with the
        same ``seed`` and ``p``, stopped after ``h`` rounds.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (seeds included, with 0 hops), sorted by ``path_probability``
        (descending), then hops and id; columns ``hops`` (fewest ties from a seed),
        ``path_probability`` (probability of the single most probable route of at most ``h`` ties: a
        lower bound on the chance of being reached), and with ``runs``, ``probability`` (Monte-Carlo
        estimate) and ``probability_se`` (its standard error). Customers with ``path_probability``
        0 (only reachable over ties with p = 0) are left out.

    Raises
    ------
    ParameterError
        ``h`` or ``runs`` not a whole number in range, no seed, unknown seeds, bad probabilities.

    Notes
    -----
    ``path_probability`` is exact: ``h`` rounds of max-product relaxation over all ties
    (Bellman-Ford on ``-log p`` limited to ``h`` edges), O(h m).

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.path_graph(4, create_using=nx.DiGraph)
    >>> r = nl.reachable_within(G, [0], 2, p=0.5, runs=2000, seed=1)
    >>> print(r[["hops", "path_probability"]].to_string())  # doctest: +NORMALIZE_WHITESPACE
                 hops  path_probability
    customer_id
    0               0              1.00
    1               1              0.50
    2               2              0.25
    >>> bool(abs(r.loc[2, "probability"] - 0.25) < 4 * r.loc[2, "probability_se"])
    True
    """
    if isinstance(h, bool) or not isinstance(h, (int, np.integer)) or h < 0:
        raise ParameterError(f"h must be a non-negative integer; got {h!r}")
    if isinstance(runs, (int, np.integer)) and not isinstance(runs, bool) and runs == 0:
        warnings.warn("reachable_within: runs=0 for no Monte-Carlo estimate is deprecated; use runs=None",
                      DeprecationWarning, stacklevel=2)
        runs = None
    if runs is not None:
        runs = check_runs(runs)
    spec, c, probs = _pass_on(G, p)
    ids, pos = seed_positions(c, seeds, allow_empty=False)
    best, hops = _best_within(c, probs, pos, int(h))
    keep = best > 0
    out = pd.DataFrame({"hops": hops[keep], "path_probability": best[keep]},
                       index=pd.Index(np.asarray(c.nodes, dtype=object)[keep], name="customer_id"))
    if runs:
        hits = spec.reach_counts(pos, int(h), runs, run_base(seed))
        prob = hits[keep] / runs
        out["probability"] = prob
        out["probability_se"] = np.sqrt(prob * (1 - prob) / runs)
    order = np.lexsort((np.arange(len(out)), out["hops"].to_numpy(), -out["path_probability"].to_numpy()))
    out = out.iloc[order]
    out.attrs["provenance"] = provenance("reachable_within", seeds=ids, h=int(h), p=spec.params["p"], runs=runs,
                                         seed=seed)
    return out


def _best_within(c: CSRGraph, probs: np.ndarray, pos: np.ndarray, h: int) -> tuple[np.ndarray, np.ndarray]:
    """Probability of the most probable route of at most ``h`` ties from a seed, and the fewest hops
    (-1: not reached), by ``h`` rounds of max-product relaxation over the reverse arcs."""
    rev = c.reverse
    # probability of each reverse arc, in reverse-CSR order
    rows = np.repeat(np.arange(c.n), np.diff(c.indptr))
    order = np.lexsort((rows, c.indices))
    rprob = probs[order]
    rsrc = rows[order]
    best = np.zeros(c.n)
    best[pos] = 1.0
    hops = np.full(c.n, -1, dtype=np.int64)
    hops[pos] = 0
    has_in = np.diff(rev.indptr) > 0
    starts = rev.indptr[:-1][has_in]
    for step in range(1, h + 1):
        if c.m == 0:
            break
        vals = best[rsrc] * rprob
        cand = np.zeros(c.n)
        cand[has_in] = np.maximum.reduceat(vals, starts)
        reached_now = (cand > 0) & (hops < 0)
        hops[reached_now] = step
        new = np.maximum(best, cand)
        if np.array_equal(new, best):
            break
        best = new
    return best, hops


def territories(G: nx.Graph, seeds, *, p=None) -> pd.DataFrame:
    """Split the customers between seeds: each goes to the seed most likely to reach them.

    A customer belongs to the seed whose most probable route to them (:func:`most_probable_path`)
    has the highest probability; ties go to the route with fewer hops, then to the seed listed
    first. A seed owns itself. Customers no seed can reach are left out.

    Parameters
    ----------
    G : networkx graph
    seeds : list of nodes
    p : float, "wc" or str, optional
        Pass-on probabilities, as in :func:`most_probable_path` (default weighted cascade).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``, columns ``seed`` (the owner), ``probability`` (of the owner's best
        route), ``hops`` (of that route), ``runner_up`` (the next most likely seed, NA if none) and
        ``margin`` (owner's probability minus the runner-up's). Sorted by seed order, then
        probability (descending) and id.

    Notes
    -----
    One Dijkstra run per seed on ``-log p``, keeping the best two owners per customer: a
    probabilistic Voronoi partition of the network (cf. Erwig 2000, "The graph Voronoi diagram with
    applications", Networks 36(3)).

    Raises
    ------
    ParameterError
        No seed, a seed that is not a node, or bad probabilities.

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> t = nl.territories(nx.path_graph(5), [0, 4], p=0.5)
    >>> print(t[["seed", "probability", "hops", "runner_up"]].to_string())  # doctest: +NORMALIZE_WHITESPACE
                 seed  probability  hops  runner_up
    customer_id
    0               0         1.00     0          4
    1               0         0.50     1          4
    2               0         0.25     2          4
    4               4         1.00     0          0
    3               4         0.50     1          0
    """
    from scipy.sparse.csgraph import dijkstra

    spec, c, probs = _pass_on(G, p)
    ids, pos = seed_positions(c, seeds, allow_empty=False)
    cost = _cost_matrix(c, probs)
    hop_m = cost.copy()
    hop_m.data = np.ones_like(hop_m.data)
    n = c.n
    best = np.full(n, np.inf)
    best_h = np.full(n, np.iinfo(np.int64).max)
    owner = np.full(n, -1)
    second = np.full(n, np.inf)
    second_owner = np.full(n, -1)
    for k, s in enumerate(pos):
        dist, pred = dijkstra(cost, directed=True, indices=int(s), return_predecessors=True)
        dist[s] = 0.0
        h = _pred_hops(pred, int(s))
        better = (dist < best) | ((dist == best) & (h < best_h))
        better &= np.isfinite(dist)
        # the displaced owner becomes the runner-up where it beats the current runner-up
        demote = better & (owner >= 0)
        second_owner = np.where(demote, owner, second_owner)
        second = np.where(demote, best, second)
        worse = ~better & np.isfinite(dist) & (dist < second)
        second_owner = np.where(worse, k, second_owner)
        second = np.where(worse, dist, second)
        owner = np.where(better, k, owner)
        best_h = np.where(better, h, best_h)
        best = np.where(better, dist, best)
    for k, s in enumerate(pos):  # a seed owns itself
        if owner[s] != k:
            second_owner[s], second[s] = owner[s], best[s]
        owner[s], best[s], best_h[s] = k, 0.0, 0
    keep = owner >= 0
    prob = np.exp(-best)
    prob2 = np.where(second_owner >= 0, np.exp(-second), 0.0)
    seed_ids = np.asarray(ids + [None], dtype=object)
    out = pd.DataFrame({
        "seed": seed_ids[owner[keep]],
        "probability": prob[keep],
        "hops": best_h[keep].astype(np.int64),
        "runner_up": seed_ids[second_owner[keep]],
        "margin": prob[keep] - prob2[keep],
    }, index=pd.Index(np.asarray(c.nodes, dtype=object)[keep], name="customer_id"))
    order = np.lexsort((np.arange(len(out)), -out["probability"].to_numpy(), owner[keep]))
    out = out.iloc[order]
    out.attrs["provenance"] = provenance("territories", seeds=ids, p=spec.params["p"])
    return out


def _pred_hops(pred: np.ndarray, s: int) -> np.ndarray:
    """Hops of every node from ``s`` along a Dijkstra predecessor tree (large where unreachable)."""
    parent = np.where(pred >= 0, pred, -1).astype(np.int64)
    parent[s] = -1
    root, depth, _, _ = _climb(parent)
    return np.where(root == s, depth, np.iinfo(np.int64).max)
