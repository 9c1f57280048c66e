"""Communities: who shares with whom, as reproducible segments.

Marketing segments that come from how customers actually share, not from demographics, and that
are the same when the notebook is re-run tomorrow.

* :func:`communities` finds a partition with Leiden (default), Louvain or label propagation,
  keeps the best of several restarts and numbers communities 0..k-1 by decreasing size.
* :func:`modularity` scores any partition; :func:`partition_quality` adds coverage, performance,
  per-community conductance and, when ground truth is known, NMI, AMI and ARI.
* :func:`community_stability` and :func:`resolution_sweep` show how much a partition depends on
  the seed and on the resolution, and which customers sit on boundaries.
* :func:`community_profiles`, :func:`community_bridges` and :func:`community_graph` describe the
  communities for analysts: size, density, internal and external ties, top members, bridges,
  behaviour, and a meta-graph for drawing.

Conventions
-----------
*Graphs.* Any networkx graph. Parallel edges of multigraphs are summed. Edge weights are read from
``weight`` (1.0 where missing, or everywhere when ``weight=None``) and must be finite and
non-negative.

*Directed graphs* are handled by ``directed=``:

``"symmetrize"`` (default, every method)
    Ties are made undirected with summed weights: ``w(u, v) = w(u→v) + w(v→u)``; a self-loop keeps
    its weight. A customer's undirected degree is then their total (in + out) weight, and the
    objective is ordinary modularity of this undirected graph. Direction says who shared with
    whom; for segments, a tie in either direction counts.
``"directed"`` (Leiden only)
    Leiden optimises the directed modularity of Leicht & Newman (2008),
    ``Q = 1/m Σ_ij [A_ij − γ k_i^out k_j^in / m] δ(c_i, c_j)``, which is what
    :func:`networkx.algorithms.community.modularity` computes for a ``DiGraph``. python-louvain and
    label propagation have no directed variant; asking for one raises :class:`~netlib.errors.ParameterError`.

For undirected graphs both settings are the same. :func:`modularity` takes the same ``directed=``
so a partition is scored with the objective it was found with.

*Self-loops* count as in networkx: a self-loop of weight w adds 2w to its node's degree and w to
its community's internal weight.

*Repeated calls.* The arrays (and igraph graph) made from a graph are kept while the graph object
lives and reused by later calls on it, so an analysis that calls :func:`communities`,
:func:`community_profiles`, :func:`community_stability` and the rest reads the networkx graph
once. A graph changed through networkx (nodes or edges added or removed, ``add_edge`` on an
existing tie, ``set_edge_attributes``) is converted again; weights edited in place
(``G[u][v]["weight"] = x``) are caught by re-reading them on every call. Graph views are never
kept, since their parent can change under them.

*Randomness.* Every stochastic function takes ``seed`` (int, ``numpy.random.Generator`` or None)
and draws one int per run from it. igraph (Leiden, label propagation) reads random numbers from a
module-wide generator: netlib installs a private ``random.Random`` seeded from that int for the
duration of the call and then restores igraph's default generator (Python's ``random`` module).
Global random state is never seeded. Nodes are put in a canonical (sorted) order before any run,
so answers do not depend on the order customers were added to the graph.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from netlib._csr import arc_order, arc_positions, arc_weights
from netlib._util import igraph_rng as _igraph_rng
from netlib._util import SeedLike, as_rng, int_seed, progress as _progress, provenance
from netlib.errors import ParameterError

__all__ = [
    "communities",
    "modularity",
    "partition_quality",
    "PartitionQuality",
    "community_stability",
    "StabilityResult",
    "resolution_sweep",
    "community_profiles",
    "community_bridges",
    "community_graph",
]

METHODS = ("leiden", "louvain", "label_propagation")
DIRECTED_MODES = ("symmetrize", "directed")

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


# ---------------------------------------------------------------------------------------------
# The graph as arrays
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Ties:
    """A graph reduced to what community detection needs, nodes in canonical order.

    ``u < v`` pairs with their (symmetrised) weight, plus self-loop weight per node. For the
    directed objective ``arcs`` holds the directed arcs (self-loops included) instead.
    """

    nodes: list
    index: dict
    u: np.ndarray
    v: np.ndarray
    w: np.ndarray
    loops: np.ndarray
    directed: bool  # True when the directed objective is used
    arcs: tuple | None = None  # (src, dst, weight) for the directed objective

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def total_weight(self) -> float:
        if self.directed:
            return float(self.arcs[2].sum())
        return float(self.w.sum() + self.loops.sum())

    @property
    def degree(self) -> np.ndarray:
        """Weighted degree (self-loops twice) of the undirected view."""
        d = np.bincount(self.u, self.w, self.n) + np.bincount(self.v, self.w, self.n)
        return d + 2.0 * self.loops

    @property
    def customer_index(self) -> pd.Index:
        """The nodes as the ``customer_id`` index of a result: a new Index object each time, since a
        user may rename one result's index in place, but made from the ids once per conversion."""
        return self._customer_index.copy()

    @cached_property
    def _customer_index(self) -> pd.Index:
        nodes = self.nodes
        if nodes and type(nodes[0]) is int and nodes[0] == 0 and nodes[-1] == len(nodes) - 1 \
                and set(map(type, nodes)) == {int}:  # sorted unique ints 0..n-1 (LFR, relabelled graphs)
            return pd.RangeIndex(len(nodes), name="customer_id")
        return pd.Index(nodes, name="customer_id")

    @cached_property
    def igraph(self) -> tuple:
        """``(igraph.Graph, edge weights or None)``, built on first use and kept with the ties."""
        return _igraph(self)


def _check_directed(directed: str) -> None:
    if directed not in DIRECTED_MODES:
        raise ParameterError(f"directed must be one of {DIRECTED_MODES}; got {directed!r}")


@dataclass(frozen=True, eq=False)
class _Conversion:
    """A graph's :class:`_Ties`, with the weights they were made from (to check they still hold)."""

    keep: np.ndarray | None  # which of networkx's stored arcs were read (undirected: each edge once)
    raw: np.ndarray  # their weights, as read
    ties: _Ties


class _Conversions(dict):
    """A graph's conversions, ``{(weight, directed): _Conversion}``, kept in its ``__networkx_cache__``.

    networkx empties that cache whenever the graph is changed through its API (nodes or edges added
    or removed, ``add_edge`` on an existing edge, ``set_edge_attributes``, ...), which drops these
    conversions with it. Weights edited in place (``G[u][v]["weight"] = x``) bypass that, so they are
    re-read and compared on every hit. Pickled or deep-copied graphs carry an empty one.
    """

    def __reduce__(self):
        return (type(self), ())


_CACHE_KEY = "netlib.community"


def _conversions(G: nx.Graph) -> dict | None:
    """The conversions kept for ``G`` (a dict to read and fill), or None when it is not cached.

    Graph views are never cached: their parent can change under them without touching their cache.
    """
    nx_cache = getattr(G, "__networkx_cache__", None)
    if type(nx_cache) is not dict or getattr(G, "_graph", None) is not None:
        return None
    store = nx_cache.get(_CACHE_KEY)
    if type(store) is not _Conversions:
        store = nx_cache[_CACHE_KEY] = _Conversions()
    return store


def _ties(G: nx.Graph, weight: str | None, directed: str = "symmetrize") -> _Ties:
    """Convert ``G``: symmetrised ``u < v`` ties (and arcs for the directed objective).

    The conversion is kept with the graph and reused while the graph is unchanged.
    """
    if not isinstance(G, nx.Graph):
        raise ParameterError(f"G must be a networkx graph; got {type(G).__name__}")
    _check_directed(directed)
    key = (weight, directed if G.is_directed() else None)
    store = _conversions(G)
    hit = store.get(key) if store is not None else None
    if hit is not None and (weight is None or np.array_equal(arc_weights(G, weight=weight, keep=hit.keep), hit.raw)):
        return hit.ties
    nodes, index, rows, cols, adj = arc_positions(G)
    keep = None
    if not G.is_directed():  # each edge is stored at both ends: read it once (self-loops are stored once)
        keep = rows <= cols
        rows, cols = rows[keep], cols[keep]
    w = arc_weights(G, weight=weight, keep=keep, adj=adj)
    if w.size and (not np.all(np.isfinite(w)) or w.min() < 0):
        bad = w[~np.isfinite(w) | (w < 0)][0]
        raise ParameterError(
            f"edge weights ({weight!r}) must be finite and non-negative for community detection; found {bad}")
    ties = _make_ties(G, nodes, index, rows, cols, w, directed)
    if store is not None:
        store[key] = _Conversion(keep, w, ties)
    return ties


def _make_ties(G: nx.Graph, nodes: list, index: dict, rows: np.ndarray, cols: np.ndarray, w: np.ndarray,
               directed: str) -> _Ties:
    """Ties sorted by ``(u, v)`` from the arcs read (so the order customers were added in never matters)."""
    n = len(nodes)
    is_loop = rows == cols
    loops = np.bincount(rows[is_loop], w[is_loop], n) if n else np.zeros(0)
    lo, hi, wo = np.minimum(rows, cols)[~is_loop], np.maximum(rows, cols)[~is_loop], w[~is_loop]
    if G.is_directed():  # u→v and v→u become one tie with the summed weight
        key, inverse = np.unique(lo * max(n, 1) + hi, return_inverse=True)
        ws = np.bincount(inverse.ravel(), wo, key.size)
        u, v = key // max(n, 1), key % max(n, 1)
    else:
        order = arc_order(lo, hi, n)  # each tie is read once, so the pairs are unique
        u, v, ws = lo[order], hi[order], wo[order]
    arcs = None
    use_directed = G.is_directed() and directed == "directed"
    if use_directed:
        order = arc_order(rows, cols, n)
        arcs = (rows[order], cols[order], w[order])
    ties = _Ties(nodes, index, u.astype(np.int64), v.astype(np.int64), ws.astype(np.float64), loops,
                 use_directed, arcs)
    for a in (ties.u, ties.v, ties.w, ties.loops, *(arcs or ())):
        a.flags.writeable = False  # shared by every call on this graph until it changes
    return ties


def _membership(ties: _Ties, partition: Any, *, name: str = "partition",
                with_labels: bool = False):
    """Positions → community codes 0..k-1 from a Series, dict or iterable of node groups.

    Codes follow the first appearance of each label in canonical node order; with
    ``with_labels`` the original label of each code is returned too (group number for groups).
    """
    index = ties.index
    labels: Mapping
    if isinstance(partition, pd.Series):
        if not partition.index.is_unique:
            dup = partition.index[partition.index.duplicated()][0]
            raise ParameterError(f"{name}: customer {dup!r} appears more than once")
        labels = partition
        keys = list(partition.index)
    elif isinstance(partition, Mapping):
        labels = partition
        keys = list(partition.keys())
    elif isinstance(partition, Iterable) and not isinstance(partition, (str, bytes)):
        labels = {}
        for c, group in enumerate(partition):
            if isinstance(group, (str, bytes)) or not isinstance(group, Iterable):
                raise ParameterError(
                    f"{name}: expected a Series/dict customer -> community or an iterable of node sets; "
                    f"found element {group!r}")
            for node in group:
                if node in labels:
                    raise ParameterError(f"{name}: customer {node!r} is in more than one community")
                labels[node] = c
        keys = list(labels.keys())
    else:
        raise ParameterError(
            f"{name}: expected a Series/dict customer -> community or an iterable of node sets; "
            f"got {type(partition).__name__}")
    extra = [k for k in keys if k not in index]
    if extra:
        raise ParameterError(f"{name}: {len(extra)} customer(s) not in the graph, e.g. {extra[0]!r}")
    if len(keys) != ties.n:
        missing = [v for v in ties.nodes if v not in labels]
        raise ParameterError(
            f"{name}: every customer needs a community; {len(missing)} missing, e.g. {missing[0]!r}")
    values = pd.Series([labels[v] for v in ties.nodes], dtype=object)
    if values.isna().any():
        first = ties.nodes[int(np.flatnonzero(values.isna().to_numpy())[0])]
        raise ParameterError(f"{name}: customer {first!r} has a missing community label")
    codes, uniques = pd.factorize(values, sort=False)
    codes = codes.astype(np.int64)
    return (codes, list(uniques)) if with_labels else codes


def _canonical(membership: np.ndarray) -> np.ndarray:
    """Relabel 0..k-1 by decreasing size; equal sizes ordered by their first node (canonical order)."""
    if membership.size == 0:
        return membership.astype(np.int64)
    _, first, inverse, counts = np.unique(membership, return_index=True, return_inverse=True, return_counts=True)
    order = np.lexsort((first, -counts))
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return rank[inverse.ravel()].astype(np.int64)


def _modularity_codes(ties: _Ties, membership: np.ndarray, resolution: float) -> float:
    """Modularity of ``membership`` (positions) on ``ties``; NaN when the graph has no weight."""
    k = int(membership.max()) + 1 if membership.size else 0
    if ties.directed:
        src, dst, w = ties.arcs
        m = float(w.sum())
        if m <= 0:
            return math.nan
        same = membership[src] == membership[dst]
        internal = np.bincount(membership[src[same]], w[same], k)
        out_c = np.bincount(membership[src], w, k)
        in_c = np.bincount(membership[dst], w, k)
        return float(np.sum(internal / m - resolution * out_c * in_c / (m * m)))
    m = ties.total_weight
    if m <= 0:
        return math.nan
    same = membership[ties.u] == membership[ties.v]
    internal = np.bincount(membership[ties.u[same]], ties.w[same], k) + np.bincount(membership, ties.loops, k)
    deg = np.bincount(membership, ties.degree, k)
    return float(np.sum(internal / m - resolution * (deg / (2.0 * m)) ** 2))


# ---------------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------------


def _igraph(ties: _Ties):
    import igraph as ig

    # igraph reads Python ints. Picking them from one int object per node (an object array) instead
    # of converting every endpoint (``u.tolist()``) saves making 2m int objects: LFR 10k, 9.3 -> 7.4 ms.
    # The pairs come from a zip iterator, so no tuple outlives its step (a list of 10^5 tuples costs
    # as much again in allocation and garbage collection).
    ids = np.fromiter(range(ties.n), object, ties.n)
    if ties.directed:
        src, dst, w = ties.arcs
        g = ig.Graph(n=ties.n, edges=zip(ids[src].tolist(), ids[dst].tolist()), directed=True)
        return g, w
    loop_nodes = np.flatnonzero(ties.loops > 0)
    u = np.concatenate([ties.u, loop_nodes])
    v = np.concatenate([ties.v, loop_nodes])
    w = np.concatenate([ties.w, ties.loops[loop_nodes]])
    g = ig.Graph(n=ties.n, edges=zip(ids[u].tolist(), ids[v].tolist()))
    return g, (None if np.all(w == 1.0) else w.tolist())


def _louvain_graph(ties: _Ties) -> nx.Graph:
    """Positions as nodes, inserted in canonical order, so python-louvain's shuffle is reproducible."""
    H = nx.Graph()
    H.add_nodes_from(range(ties.n))
    H.add_weighted_edges_from(zip(ties.u.tolist(), ties.v.tolist(), ties.w.tolist()))
    loops = np.flatnonzero(ties.loops > 0)
    H.add_weighted_edges_from((int(i), int(i), float(ties.loops[i])) for i in loops)
    return H


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

    def run(self, seed: int, resolution: float | None = None) -> np.ndarray:
        res = self.resolution if resolution is None else resolution
        if self.method == "louvain":
            import community as community_louvain  # python-louvain

            part = community_louvain.best_partition(self.graph, weight="weight", resolution=res, random_state=seed)
            return np.fromiter((part[i] for i in range(self.ties.n)), dtype=np.int64, count=self.ties.n)
        with _igraph_rng(seed):
            if self.method == "label_propagation":
                return np.asarray(self.graph.community_label_propagation(weights=self.weights).membership)
            return self._leiden(res)

    def _leiden(self, resolution: float, iterations: int = _LEIDEN_ITERATIONS) -> np.ndarray:
        import igraph as ig

        # igraph's low-level call: what Graph.community_leiden(objective_function="modularity") runs,
        # without wrapping the answer in a VertexClustering (1.5 ms on LFR 10k).
        kwargs = dict(edge_weights=self.weights, resolution=resolution, normalize_resolution=True,
                      n_iterations=iterations)
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


def _check_resolution(resolution: float) -> float:
    try:
        res = float(resolution)
    except (TypeError, ValueError):
        raise ParameterError(f"resolution must be a positive number; got {resolution!r}") from None
    if not (res > 0 and math.isfinite(res)):
        raise ParameterError(f"resolution must be a positive number; got {resolution!r}")
    return res


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


def _series(ties: _Ties, membership: np.ndarray, name: str = "community") -> pd.Series:
    index = ties.customer_index
    return pd.Series(np.asarray(membership, dtype=np.int64), index=index, name=name)


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
        (from 20,000 ties on, a single two-iteration run is used).
        ``"louvain"``: python-louvain's ``best_partition`` (Blondel et al. 2008), given an int
        ``random_state`` drawn from ``seed``. ``"label_propagation"``: Raghavan, Albert & Kumara
        (2007) through igraph; it has no objective, so ``resolution`` only decides which restart
        is kept.
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
        their own. ``attrs`` holds the provenance, ``"modularity"`` (of the kept run, with the
        objective it was optimised for) and ``"restarts"``.

    Raises
    ------
    ParameterError
        Unknown method, bad resolution or restarts, negative or non-finite weights, or
        ``directed="directed"`` with a method that has no directed variant.

    Notes
    -----
    Modularity has a resolution limit (Fortunato & Barthélemy 2007): at γ = 1 small planted
    groups in large graphs may be merged. :func:`resolution_sweep` shows the scales available.

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
    >>> from netlib.community import communities, modularity
    >>> G = nx.karate_club_graph()
    >>> part = communities(G, weight=None, seed=1)
    >>> part.nunique(), round(modularity(G, part, weight=None), 4)
    (4, 0.4198)
    """
    _check_method(method, directed, G.is_directed() if isinstance(G, nx.Graph) else False)
    res = _check_resolution(resolution)
    ties = _ties(G, weight, directed)
    n_runs = _check_restarts(restarts, ties)
    rng = as_rng(seed)
    if ties.n == 0:
        memb, q = np.zeros(0, dtype=np.int64), math.nan
    else:
        memb, q = _best_of(_Runner(ties, method, res), rng, n_runs, res, progress, desc=f"{method} restarts")
    out = _series(ties, memb)
    out.attrs.update(provenance("communities", method=method, resolution=res, weight=weight, seed=seed,
                                restarts=restarts, directed=directed))
    out.attrs["modularity"] = q
    out.attrs["restarts"] = n_runs
    return out


def modularity(G: nx.Graph, partition: Any, *, weight: str | None = "weight", resolution: float = 1.0,
               directed: str = "symmetrize") -> float:
    """Modularity of a partition (Newman & Girvan 2004), with resolution γ.

    ``Q = Σ_c [ L_c / m − γ (d_c / 2m)² ]`` where ``m`` is the total tie weight, ``L_c`` the weight
    inside community ``c`` and ``d_c`` the summed degree of its members. For directed graphs with
    ``directed="directed"``: Leicht & Newman (2008), ``Q = Σ_c [ L_c / m − γ out_c in_c / m² ]``.

    Parameters
    ----------
    G : networkx graph
    partition : Series, dict or iterable of node sets
        Customer → community (any hashable labels), or groups of customers. Every node of ``G``
        must be placed exactly once.
    weight : str or None
        Edge attribute holding tie strength (None: every tie weighs 1).
    resolution : float
        γ > 0.
    directed : {"symmetrize", "directed"}
        For directed graphs: modularity of the symmetrised graph (summed weights; what
        :func:`communities` optimises by default) or directed modularity (what networkx computes
        for a DiGraph).

    Returns
    -------
    float
        NaN when the graph has no ties (modularity is undefined).

    Raises
    ------
    ParameterError
        The partition misses a node, places one twice or names nodes not in the graph.

    References
    ----------
    M. E. J. Newman, M. Girvan, "Finding and evaluating community structure in networks",
    Phys. Rev. E 69, 026113 (2004).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(3, 0)
    >>> round(modularity(G, [{0, 1, 2}, {3, 4, 5}]), 4)
    0.3571
    """
    res = _check_resolution(resolution)
    ties = _ties(G, weight, directed)
    if ties.n == 0:
        return math.nan
    return _modularity_codes(ties, _membership(ties, partition), res)


# ---------------------------------------------------------------------------------------------
# Quality
# ---------------------------------------------------------------------------------------------


def _per_community(ties: _Ties, memb: np.ndarray) -> pd.DataFrame:
    """Structural counts per community code on the undirected (symmetrised) view."""
    k = int(memb.max()) + 1 if memb.size else 0
    cu, cv = memb[ties.u], memb[ties.v]
    same = cu == cv
    size = np.bincount(memb, minlength=k)
    internal_ties = np.bincount(cu[same], minlength=k)
    external_ties = np.bincount(cu[~same], minlength=k) + np.bincount(cv[~same], minlength=k)
    internal_w = np.bincount(cu[same], ties.w[same], k) + np.bincount(memb, ties.loops, k)
    cut_w = np.bincount(cu[~same], ties.w[~same], k) + np.bincount(cv[~same], ties.w[~same], k)
    volume = np.bincount(memb, ties.degree, k)
    total_volume = volume.sum()
    denom = np.minimum(volume, total_volume - volume)
    with np.errstate(divide="ignore", invalid="ignore"):
        conductance = np.where(denom > 0, cut_w / np.where(denom > 0, denom, 1.0), np.nan)
        pairs = size * (size - 1) / 2.0
        density = np.where(pairs > 0, internal_ties / np.where(pairs > 0, pairs, 1.0), np.nan)
    return pd.DataFrame({
        "size": size.astype(np.int64),
        "internal_ties": internal_ties.astype(np.int64),
        "external_ties": external_ties.astype(np.int64),
        "internal_weight": internal_w,
        "external_weight": cut_w,
        "volume": volume,
        "density": density,
        "conductance": conductance,
    }, index=pd.RangeIndex(k, name="community"))


@dataclass
class PartitionQuality:
    """Scores of one partition (see :func:`partition_quality`).

    Attributes
    ----------
    summary : pandas.Series
        ``n_communities``, ``modularity``, ``coverage``, ``performance``, ``mean_conductance``
        (size-weighted) and, when ground truth was given, ``nmi``, ``ami``, ``ari`` and
        ``n_compared`` (customers present in both).
    communities : pandas.DataFrame
        One row per community (the partition's own labels as index): size, internal and
        external ties and weight, volume, density and conductance.
    """

    summary: pd.Series
    communities: pd.DataFrame
    attrs: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        items = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in self.summary.items())
        return f"PartitionQuality({items})"


def _truth_scores(nodes: list, memb: np.ndarray, truth: Any) -> dict[str, float]:
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score, normalized_mutual_info_score

    if isinstance(truth, pd.Series):
        t = truth
    elif isinstance(truth, Mapping):
        t = pd.Series(truth, dtype=object)
    else:
        raise ParameterError(f"truth must be a Series or dict customer -> label; got {type(truth).__name__}")
    if not t.index.is_unique:
        raise ParameterError("truth: customer ids must be unique")
    pred = pd.Series(memb, index=pd.Index(nodes, dtype=object))
    t = t.copy()
    t.index = pd.Index(list(t.index), dtype=object)
    common = pred.index.intersection(t.index[t.notna()], sort=False)
    if len(common) == 0:
        raise ParameterError("truth: no customer of the graph has a ground-truth label")
    a = pd.factorize(t.loc[common].astype(object))[0]
    b = pred.loc[common].to_numpy()
    return {
        "nmi": float(normalized_mutual_info_score(a, b)),
        "ami": float(adjusted_mutual_info_score(a, b)),
        "ari": float(adjusted_rand_score(a, b)),
        "n_compared": int(len(common)),
    }


def partition_quality(G: nx.Graph, partition: Any, *, truth: Any = None, weight: str | None = "weight",
                      resolution: float = 1.0, directed: str = "symmetrize") -> PartitionQuality:
    """Quality table of a partition: global scores, per-community conductance, agreement with truth.

    Parameters
    ----------
    G : networkx graph
    partition : Series, dict or iterable of node sets
        As for :func:`modularity`.
    truth : Series or dict, optional
        Known labels per customer (e.g. planted communities). Scores are computed on the
        customers present in both; customers without a label are left out.
    weight, resolution, directed
        As for :func:`modularity` (``directed`` only affects the modularity score; the other
        scores use the symmetrised graph).

    Returns
    -------
    PartitionQuality
        ``coverage``: share of tie weight inside communities (Fortunato 2010).
        ``performance``: share of customer pairs classified right — tied pairs inside a
        community plus untied pairs across communities, over all pairs (unweighted, as in
        networkx). ``conductance`` of community S: cut weight / min(vol S, vol rest) (Kannan,
        Vempala & Vetta 2004); low is better. ``nmi`` (arithmetic normalisation), ``ami``
        (Vinh, Epps & Bailey 2010) and ``ari`` (Hubert & Arabie 1985) from scikit-learn.

    References
    ----------
    S. Fortunato, "Community detection in graphs", Physics Reports 486, 75-174 (2010).
    """
    res = _check_resolution(resolution)
    ties = _ties(G, weight, directed)
    if ties.n == 0:
        raise ParameterError("partition_quality: the graph has no customers")
    memb, labels = _membership(ties, partition, with_labels=True)
    table = _per_community(ties, memb)
    table.index = pd.Index(labels, name="community")
    table = _sorted_by_label(table)
    n = ties.n
    m_w = float(ties.w.sum() + ties.loops.sum())
    same = memb[ties.u] == memb[ties.v]
    coverage = float((ties.w[same].sum() + ties.loops.sum()) / m_w) if m_w > 0 else math.nan
    pairs = n * (n - 1) / 2.0
    if pairs > 0:
        sizes = table["size"].to_numpy(dtype=np.float64)
        same_pairs = float(np.sum(sizes * (sizes - 1) / 2.0))
        intra = int(same.sum())
        inter_edges = int((~same).sum())
        performance = (intra + (pairs - same_pairs - inter_edges)) / pairs
    else:
        performance = math.nan
    cond = table["conductance"].to_numpy()
    ok = np.isfinite(cond)
    mean_cond = float(np.average(cond[ok], weights=table["size"].to_numpy()[ok])) if ok.any() else math.nan
    summary: dict[str, Any] = {
        "n_communities": int(len(table)),
        "modularity": _modularity_codes(ties, memb, res),
        "coverage": coverage,
        "performance": float(performance),
        "mean_conductance": mean_cond,
    }
    if truth is not None:
        summary.update(_truth_scores(ties.nodes, memb, truth))
    attrs = provenance("partition_quality", weight=weight, resolution=res, directed=directed,
                       truth=truth is not None)
    table.attrs.update(attrs)
    return PartitionQuality(pd.Series(summary, dtype=object, name="quality"), table, attrs)


def _sorted_by_label(table: pd.DataFrame) -> pd.DataFrame:
    """Rows in label order when labels compare (ints, strings), else as they came."""
    try:
        return table.sort_index()
    except TypeError:
        return table


# ---------------------------------------------------------------------------------------------
# Stability across seeds and resolutions
# ---------------------------------------------------------------------------------------------


def _check_resolutions(resolutions: Iterable[float] | None, default: Sequence[float]) -> list[float]:
    if resolutions is None:
        return [float(r) for r in default]
    if isinstance(resolutions, (int, float, np.number)):
        resolutions = [resolutions]
    values = [_check_resolution(r) for r in resolutions]
    if not values:
        raise ParameterError("resolutions must hold at least one positive number")
    return values


def _check_runs(runs: int) -> int:
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 1:
        raise ParameterError(f"runs must be a positive int; got {runs!r}")
    return int(runs)


@dataclass
class StabilityResult:
    """How a partition moves across seeds and resolutions (see :func:`community_stability`).

    Attributes
    ----------
    runs : pandas.DataFrame
        One row per run: ``resolution``, ``seed`` (the int given to the method),
        ``n_communities``, ``modularity`` (at the base resolution), and ``ari`` and ``nmi``
        against the reference partition.
    reference : pandas.Series
        The run with the highest modularity at the base resolution, ids 0..k-1 by size.
    customers : pandas.DataFrame
        Indexed by ``customer_id``: ``community`` (reference), ``stability`` (mean share of the
        customer's reference co-members found with them per run; 1 = always together),
        ``closest_other`` (the other reference community they are most often placed with),
        ``other_affinity`` (mean share of that community's members found with them per run) and
        ``boundary`` (``other_affinity >= boundary_threshold``).
    ties : pandas.DataFrame
        One row per tie (``source``, ``target``, ``weight``), with ``together``: the share of
        runs that put both ends in the same community.
    memberships : numpy.ndarray
        ``(runs, customers)`` community ids of every run, columns in ``customers`` order.
    """

    runs: pd.DataFrame
    reference: pd.Series
    customers: pd.DataFrame
    ties: pd.DataFrame
    memberships: np.ndarray = field(repr=False)
    attrs: dict = field(default_factory=dict)

    def coassignment(self, customers: Iterable[Hashable] | None = None) -> pd.DataFrame:
        """Share of runs in which each pair of customers landed in the same community.

        Parameters
        ----------
        customers : iterable of customer ids, optional
            The rows/columns to compute (all customers when None; at most 5,000).

        Returns
        -------
        pandas.DataFrame
            Square, symmetric, ones on the diagonal, indexed both ways by customer id.
        """
        nodes = list(self.customers.index)
        if customers is None:
            chosen = list(range(len(nodes)))
        else:
            pos = {v: i for i, v in enumerate(nodes)}
            missing = [c for c in customers if c not in pos]
            if missing:
                raise ParameterError(f"coassignment: customer {missing[0]!r} is not in the graph")
            chosen = [pos[c] for c in customers]
        if len(chosen) > 5000:
            raise ParameterError(
                f"coassignment of {len(chosen)} customers would hold {len(chosen) ** 2:,} pairs; "
                "pass customers= (at most 5,000), or use .ties for tied pairs")
        sub = self.memberships[:, chosen]
        together = np.zeros((len(chosen), len(chosen)))
        for row in sub:
            together += row[:, None] == row[None, :]
        together /= max(len(sub), 1)
        ids = pd.Index([nodes[i] for i in chosen], name="customer_id")
        return pd.DataFrame(together, index=ids, columns=ids.rename(None))


def _affinities(reference: np.ndarray, memberships: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Own-community stability, closest other reference community and affinity to it, per node."""
    n = reference.size
    k_ref = int(reference.max()) + 1
    ref_size = np.bincount(reference, minlength=k_ref).astype(np.float64)
    own = np.zeros(n)
    acc = sp.csr_array((n, k_ref))
    rows = np.arange(n)
    for memb in memberships:
        k_run = int(memb.max()) + 1
        key = reference * k_run + memb
        _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
        together_own = counts[inverse.ravel()] - 1.0
        denom = ref_size[reference] - 1.0
        own += np.divide(together_own, denom, out=np.ones(n), where=denom > 0)
        contingency = sp.csr_array((np.ones(n), (memb, reference)), shape=(k_run, k_ref))
        contingency = contingency @ sp.diags_array(1.0 / ref_size)
        onehot = sp.csr_array((np.ones(n), (rows, memb)), shape=(n, k_run))
        acc = acc + onehot @ contingency
    runs = max(len(memberships), 1)
    own /= runs
    coo = acc.tocoo()
    keep = coo.col != reference[coo.row]
    other = sp.csr_array((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=(n, k_ref))
    closest = np.full(n, -1, dtype=np.int64)
    affinity = np.zeros(n)
    if other.nnz:
        best = other.max(axis=1)
        best = best.toarray().ravel() if hasattr(best, "toarray") else np.asarray(best).ravel()
        arg = np.asarray(other.argmax(axis=1)).ravel()
        has = best > 0
        closest[has] = arg[has]
        affinity = best / runs
    return own, closest, affinity


def community_stability(G: nx.Graph, *, method: str = "leiden", runs: int = 10,
                        resolutions: Iterable[float] | None = None, resolution: float = 1.0,
                        weight: str | None = "weight", seed: SeedLike = None, restarts: int = 1,
                        directed: str = "symmetrize", boundary_threshold: float = 0.25,
                        progress: bool | None = None) -> StabilityResult:
    """Run community detection across seeds (and resolutions) and measure what holds.

    Each of ``runs`` seeds is run at every resolution. The reference partition is the run with
    the highest modularity at ``resolution``; every customer is then scored by how often they
    stay with their reference co-members, and flagged as a boundary customer when they are
    regularly placed with another community (co-assignment or consensus analysis, Lancichinetti
    & Fortunato 2012).

    Parameters
    ----------
    G : networkx graph
    method, weight, directed
        As for :func:`communities`.
    runs : int
        Seeds per resolution.
    resolutions : iterable of float, optional
        Resolutions to run at (default: just ``resolution``).
    resolution : float
        The base resolution, at which runs are compared and the reference is chosen.
    seed : int, numpy Generator or None
        Seeds of the individual runs are drawn from it.
    restarts : int
        Restarts inside each run (default 1: single runs show the landscape; the robust default
        of :func:`communities` uses several).
    boundary_threshold : float
        A customer is a boundary customer when, per run on average, at least this share of
        another reference community lands with them.
    progress : bool or None
        Progress bar over the runs.

    Returns
    -------
    StabilityResult
        ``.runs``, ``.reference``, ``.customers``, ``.ties`` and ``.coassignment(customers)``.

    References
    ----------
    A. Lancichinetti, S. Fortunato, "Consensus clustering in complex networks", Scientific
    Reports 2, 336 (2012).
    """
    _check_method(method, directed, G.is_directed() if isinstance(G, nx.Graph) else False)
    base = _check_resolution(resolution)
    res_list = _check_resolutions(resolutions, [base])
    n_runs = _check_runs(runs)
    if not (0 < float(boundary_threshold) <= 1):
        raise ParameterError(f"boundary_threshold must be in (0, 1]; got {boundary_threshold!r}")
    ties = _ties(G, weight, directed)
    n_restarts = _check_restarts(restarts, ties)
    if ties.n == 0:
        raise ParameterError("community_stability: the graph has no customers")
    rng = as_rng(seed)
    runner = _Runner(ties, method, base)
    memberships = np.empty((n_runs * len(res_list), ties.n), dtype=np.int64)
    rows = []
    jobs = [(r, i) for r in res_list for i in range(n_runs)]
    for j, (res, _) in enumerate(_progress(jobs, progress=progress, total=len(jobs), desc="stability", unit="run")):
        run_seed = int_seed(rng)
        memb, _q = _best_of(runner, np.random.default_rng(run_seed), n_restarts, res)
        memberships[j] = memb
        rows.append({"resolution": res, "seed": run_seed, "n_communities": int(memb.max()) + 1,
                     "modularity": _modularity_codes(ties, memb, base)})
    table = pd.DataFrame(rows)
    q = table["modularity"].to_numpy(dtype=np.float64)
    best = int(np.nanargmax(q)) if np.isfinite(q).any() else 0
    reference = memberships[best]
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    table["ari"] = [float(adjusted_rand_score(reference, m)) for m in memberships]
    table["nmi"] = [float(normalized_mutual_info_score(reference, m)) for m in memberships]
    table.index = pd.RangeIndex(len(table), name="run")
    own, closest, affinity = _affinities(reference, memberships)
    customers = pd.DataFrame({
        "community": reference,
        "stability": own,
        "closest_other": pd.array(np.where(closest >= 0, closest, 0), dtype="Int64"),
        "other_affinity": affinity,
        "boundary": affinity >= float(boundary_threshold),
    }, index=ties.customer_index)
    customers.loc[closest < 0, "closest_other"] = pd.NA
    together = (memberships[:, ties.u] == memberships[:, ties.v]).mean(axis=0) if ties.u.size else np.zeros(0)
    nodes = np.asarray(ties.nodes, dtype=object)
    tie_table = pd.DataFrame({"source": nodes[ties.u], "target": nodes[ties.v], "weight": ties.w,
                              "together": together})
    attrs = provenance("community_stability", method=method, runs=n_runs, resolutions=res_list, resolution=base,
                       weight=weight, seed=seed, restarts=n_restarts, directed=directed,
                       boundary_threshold=float(boundary_threshold))
    for frame in (table, customers, tie_table):
        frame.attrs.update(attrs)
    ref_series = _series(ties, reference)
    ref_series.attrs.update(attrs)
    ref_series.attrs["modularity"] = float(q[best])
    return StabilityResult(table, ref_series, customers, tie_table, memberships, attrs)


def resolution_sweep(G: nx.Graph, resolutions: Iterable[float] | None = None, *, method: str = "leiden",
                     weight: str | None = "weight", seed: SeedLike = None, restarts: int | None = None,
                     directed: str = "symmetrize", progress: bool | None = None) -> pd.DataFrame:
    """Communities at several resolutions, to pick the scale of the segments.

    Parameters
    ----------
    G : networkx graph
    resolutions : iterable of float, optional
        Default: 9 values from 0.25 to 4, evenly spaced on a log scale.
    method, weight, restarts, directed
        As for :func:`communities`.
    seed : int, numpy Generator or None
        With an int (or None → fresh entropy per call), each resolution is run from ``seed``
        afresh, so ``communities(G, resolution=γ, seed=seed)`` with the same ``method``,
        ``restarts`` and ``weight`` gives exactly the partition of row γ.
    progress : bool or None
        Progress bar over the resolutions.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``resolution``: ``n_communities``, ``largest_share`` (share of customers in
        community 0), ``singletons`` (communities of one customer), ``quality`` (modularity at
        that resolution, the optimised objective), ``modularity`` (at γ = 1, comparable across
        rows) and ``nmi_previous`` (agreement with the row above; NaN in the first row).

    References
    ----------
    J. Reichardt, S. Bornholdt, "Statistical mechanics of community detection", Phys. Rev. E 74,
    016110 (2006).
    """
    _check_method(method, directed, G.is_directed() if isinstance(G, nx.Graph) else False)
    res_list = _check_resolutions(resolutions, np.round(np.geomspace(0.25, 4.0, 9), 4))
    ties = _ties(G, weight, directed)
    n_restarts = _check_restarts(restarts, ties)
    if ties.n == 0:
        raise ParameterError("resolution_sweep: the graph has no customers")
    shared = seed if isinstance(seed, np.random.Generator) else None
    base_seed = seed if shared is None and seed is not None else None
    if seed is None:
        base_seed = int_seed(np.random.default_rng())
    from sklearn.metrics import normalized_mutual_info_score

    runner = _Runner(ties, method, 1.0)
    rows, previous = [], None
    for res in _progress(res_list, progress=progress, total=len(res_list), desc="resolutions", unit="γ"):
        rng = shared if shared is not None else as_rng(base_seed)
        memb, q = _best_of(runner, rng, n_restarts, res)
        counts = np.bincount(memb)
        rows.append({
            "resolution": res,
            "n_communities": int(counts.size),
            "largest_share": float(counts.max() / ties.n),
            "singletons": int((counts == 1).sum()),
            "quality": q,
            "modularity": _modularity_codes(ties, memb, 1.0),
            "nmi_previous": math.nan if previous is None else float(normalized_mutual_info_score(previous, memb)),
        })
        previous = memb
    table = pd.DataFrame(rows).set_index("resolution")
    table.attrs.update(provenance("resolution_sweep", resolutions=res_list, method=method, weight=weight,
                                  seed=seed if seed is not None else base_seed, restarts=restarts,
                                  directed=directed))
    return table


# ---------------------------------------------------------------------------------------------
# Profiles, bridges and the community meta-graph
# ---------------------------------------------------------------------------------------------


def _node_by_community(ties: _Ties, memb: np.ndarray, k: int) -> sp.csr_array:
    """``W[i, c]``: tie weight from customer i to members of community c (self-loops left out)."""
    rows = np.concatenate([ties.u, ties.v])
    cols = np.concatenate([memb[ties.v], memb[ties.u]])
    vals = np.concatenate([ties.w, ties.w])
    return sp.csr_array((vals, (rows, cols)), shape=(ties.n, k))


def _bridge_table(ties: _Ties, memb: np.ndarray, labels: list) -> pd.DataFrame:
    k = len(labels)
    W = _node_by_community(ties, memb, k)
    strength = np.asarray(W.sum(axis=1)).ravel()
    own = W[np.arange(ties.n), memb] if ties.n else np.zeros(0)
    own = np.asarray(own).ravel()
    external = strength - own
    squares = np.asarray(W.multiply(W).sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        participation = np.where(strength > 0, 1.0 - squares / np.where(strength > 0, strength, 1.0) ** 2, 0.0)
        share = np.where(strength > 0, external / np.where(strength > 0, strength, 1.0), 0.0)
    Wb = W.copy()
    Wb.data = (Wb.data > 0).astype(np.float64)
    reached = np.asarray(Wb.sum(axis=1)).ravel() - (own > 0)
    label_arr = np.empty(k, dtype=object)
    label_arr[:] = labels
    return pd.DataFrame({
        "community": label_arr[memb] if ties.n else np.zeros(0, dtype=object),
        "degree": strength,
        "external_weight": np.clip(external, 0.0, None),
        "external_share": np.clip(share, 0.0, 1.0),
        "other_communities": reached.astype(np.int64),
        "participation": np.clip(participation, 0.0, 1.0),
    }, index=ties.customer_index)


def _labels_column(values: list):
    """Community labels as an int column when they are ints, else object."""
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
        return np.asarray(values, dtype=np.int64)
    return np.asarray(values, dtype=object)


def community_bridges(G: nx.Graph, partition: Any, *, weight: str | None = "weight") -> pd.DataFrame:
    """Customers who tie communities together, most bridging first.

    Parameters
    ----------
    G : networkx graph (directed graphs are symmetrised with summed weights)
    partition : Series, dict or iterable of node sets
    weight : str or None

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``, only customers with at least one tie outside their own
        community: ``community``, ``degree`` (tie weight), ``external_weight``,
        ``external_share``, ``other_communities`` (how many other communities they are tied to)
        and ``participation``, the participation coefficient of Guimerà & Amaral (2005),
        ``1 − Σ_c (k_ic / k_i)²``: 0 when all ties stay inside one community, near 1 when they are
        spread over many. Sorted by participation, then external weight (descending).

    References
    ----------
    R. Guimerà, L. A. N. Amaral, "Functional cartography of complex metabolic networks",
    Nature 433, 895-900 (2005).
    """
    ties = _ties(G, weight)
    memb, labels = _membership(ties, partition, with_labels=True)
    table = _bridge_table(ties, memb, labels)
    table["community"] = _labels_column(list(table["community"]))
    table = table[table["external_weight"] > 0]
    order = np.lexsort((np.arange(len(table)), -table["external_weight"].to_numpy(),
                        -table["participation"].to_numpy()))
    table = table.iloc[order]
    table.attrs.update(provenance("community_bridges", weight=weight))
    return table


def _ranking(ties: _Ties, centrality: Any, rank_by: str | None) -> tuple[np.ndarray, str]:
    """Score per position to rank members by, and its name."""
    if centrality is None:
        return ties.degree, "degree" if ties.w.size == 0 or np.all(ties.w == 1.0) else "weighted degree"
    if isinstance(centrality, pd.DataFrame):
        if rank_by is None:
            numeric = [c for c in centrality.columns if pd.api.types.is_numeric_dtype(centrality[c])]
            if len(numeric) != 1:
                raise ParameterError(
                    f"centrality has {len(numeric)} numeric columns {numeric}; say which one with rank_by=")
            rank_by = numeric[0]
        if rank_by not in centrality.columns:
            raise ParameterError(f"rank_by={rank_by!r} is not a column of centrality; found {list(centrality.columns)}")
        scores, name = centrality[rank_by], str(rank_by)
    elif isinstance(centrality, pd.Series):
        scores, name = centrality, str(centrality.name) if centrality.name is not None else "centrality"
    elif isinstance(centrality, Mapping):
        scores, name = pd.Series(centrality, dtype=np.float64), "centrality"
    else:
        raise ParameterError(f"centrality must be a Series, dict or DataFrame; got {type(centrality).__name__}")
    if not pd.api.types.is_numeric_dtype(scores):
        raise ParameterError(f"centrality {name!r} must be numeric; found dtype {scores.dtype}")
    aligned = pd.Series(scores.to_numpy(dtype=np.float64), index=pd.Index(list(scores.index), dtype=object))
    values = aligned.reindex(pd.Index(ties.nodes, dtype=object)).to_numpy(dtype=np.float64)
    return np.where(np.isnan(values), -np.inf, values), name


def _top(positions: np.ndarray, score: np.ndarray, top: int, nodes: list) -> list:
    order = positions[np.lexsort((positions, -score[positions]))]
    return [nodes[i] for i in order[:top]]


def community_profiles(G: nx.Graph, partition: Any, *, weight: str | None = "weight", centrality: Any = None,
                       rank_by: str | None = None, top: int = 5, behaviour: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per community: what it is, how it holds together, who leads it and who links it out.

    Parameters
    ----------
    G : networkx graph (directed graphs are symmetrised with summed weights)
    partition : Series, dict or iterable of node sets
        E.g. the output of :func:`communities`.
    weight : str or None
    centrality : Series, dict or DataFrame, optional
        Scores per customer used to pick the top members (e.g. a column of ``nl.centrality(G)``).
        Default: degree (tie weight).
    rank_by : str, optional
        The column of a ``centrality`` DataFrame to rank by (needed when it has several numeric
        columns).
    top : int
        How many top members and top bridges to list.
    behaviour : DataFrame, optional
        Indexed by customer id, one numeric column per behaviour (e.g. the Rogers profile
        columns access, engage, customize, connect, collaborate). Adds ``mean_<column>`` per
        community, ``dominant_behaviour`` (highest mean) and ``distinctive_behaviour`` (highest
        mean relative to all customers).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``community``: ``size``, ``share`` (of customers), ``internal_ties``,
        ``external_ties``, ``internal_weight``, ``external_weight``, ``internal_share`` (of the
        community's tie weight), ``density`` (internal ties over possible pairs), ``conductance``,
        ``top_members`` (list, best first), ``bridges`` (members with ties outside),
        ``top_bridges`` (list, by participation coefficient), ``main_neighbour`` (the community
        it shares most tie weight with) and ``main_neighbour_weight``. ``attrs["top_by"]`` names
        the ranking score.
    """
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ParameterError(f"top must be a positive int; got {top!r}")
    ties = _ties(G, weight)
    if ties.n == 0:
        raise ParameterError("community_profiles: the graph has no customers")
    memb, labels = _membership(ties, partition, with_labels=True)
    k = len(labels)
    table = _per_community(ties, memb)
    total = table["internal_weight"] + table["external_weight"]
    table.insert(1, "share", table["size"] / ties.n)
    table.insert(6, "internal_share", np.where(total > 0, table["internal_weight"] / total.where(total > 0, 1.0), np.nan))
    table = table.drop(columns=["volume"])
    score, top_by = _ranking(ties, centrality, rank_by)
    bridges = _bridge_table(ties, memb, labels)
    participation = bridges["participation"].to_numpy()
    is_bridge = bridges["external_weight"].to_numpy() > 0
    members = [np.flatnonzero(memb == c) for c in range(k)]
    table["top_members"] = [_top(p, score, int(top), ties.nodes) for p in members]
    table["bridges"] = [int(is_bridge[p].sum()) for p in members]
    table["top_bridges"] = [_top(p[is_bridge[p]], participation, int(top), ties.nodes) for p in members]
    cu, cv = memb[ties.u], memb[ties.v]
    cross = cu != cv
    between = sp.coo_array((np.concatenate([ties.w[cross], ties.w[cross]]),
                            (np.concatenate([cu[cross], cv[cross]]), np.concatenate([cv[cross], cu[cross]]))),
                           shape=(k, k)).toarray()
    neighbour = between.argmax(axis=1)
    neighbour_w = between.max(axis=1)
    label_arr = np.empty(k, dtype=object)
    label_arr[:] = labels
    table["main_neighbour"] = pd.array([label_arr[j] if w > 0 else pd.NA for j, w in zip(neighbour, neighbour_w)],
                                       dtype="Int64" if _labels_column(labels).dtype != object else object)
    table["main_neighbour_weight"] = neighbour_w
    if behaviour is not None:
        table = table.join(_behaviour_profile(ties, memb, behaviour), how="left")
    table.index = pd.Index(_labels_column(labels), name="community")
    table = _sorted_by_label(table)
    table.attrs.update(provenance("community_profiles", weight=weight, top=int(top), rank_by=rank_by,
                                  behaviour=behaviour is not None))
    table.attrs["top_by"] = top_by
    return table


def _behaviour_profile(ties: _Ties, memb: np.ndarray, behaviour: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(behaviour, pd.DataFrame):
        raise ParameterError(f"behaviour must be a DataFrame indexed by customer id; got {type(behaviour).__name__}")
    numeric = [c for c in behaviour.columns if pd.api.types.is_numeric_dtype(behaviour[c])
               and not pd.api.types.is_bool_dtype(behaviour[c])]
    if not numeric:
        raise ParameterError(f"behaviour has no numeric columns; found {list(behaviour.columns)}")
    frame = behaviour[numeric].astype(np.float64)
    frame.index = pd.Index(list(frame.index), dtype=object)
    frame = frame.reindex(pd.Index(ties.nodes, dtype=object))
    if frame.notna().to_numpy().sum() == 0:
        raise ParameterError("behaviour: no customer of the graph is in its index")
    frame["__community"] = memb
    means = frame.groupby("__community")[numeric].mean()
    overall = frame[numeric].mean()
    out = means.add_prefix("mean_")
    valid = means.notna().any(axis=1)
    out["dominant_behaviour"] = pd.Series(
        [means.loc[c].idxmax() if valid.loc[c] else pd.NA for c in means.index], index=means.index, dtype=object)
    lift = means.div(overall.where(overall > 0))
    lift_valid = lift.notna().any(axis=1)
    out["distinctive_behaviour"] = pd.Series(
        [lift.loc[c].idxmax() if lift_valid.loc[c] else pd.NA for c in lift.index], index=lift.index, dtype=object)
    out.index.name = "community"
    return out.reindex(pd.RangeIndex(int(memb.max()) + 1))


def community_graph(G: nx.Graph, partition: Any, *, weight: str | None = "weight") -> nx.Graph:
    """The community meta-graph: one node per community, edges weighted by the ties between them.

    ``G``, ``partition`` and ``weight`` are read as by :func:`community_bridges` (directed graphs
    symmetrised with summed weights). Use it to draw a graph too big to draw whole.

    Returns
    -------
    networkx.Graph
        Nodes are community ids (added in sorted order) with attributes ``size``,
        ``internal_ties`` and ``internal_weight``; an edge joins two communities with at least one
        tie between them, with ``weight`` (summed tie weight) and ``ties`` (number of ties).
        ``graph["provenance"]`` records the call. Total edge weight plus total internal weight
        equals the total tie weight of ``G``.
    """
    ties = _ties(G, weight)
    memb, labels = _membership(ties, partition, with_labels=True)
    k = len(labels)
    table = _per_community(ties, memb)
    H = nx.Graph()
    H.graph["provenance"] = provenance("community_graph", weight=weight)
    lab = _labels_column(labels).tolist()
    nodes = sorted(range(k), key=lambda c: lab[c]) if _sortable(lab) else list(range(k))
    for c in nodes:
        H.add_node(lab[c], size=int(table.at[c, "size"]), internal_ties=int(table.at[c, "internal_ties"]),
                   internal_weight=float(table.at[c, "internal_weight"]))
    cu, cv = memb[ties.u], memb[ties.v]
    cross = cu != cv
    a = np.minimum(cu[cross], cv[cross])
    b = np.maximum(cu[cross], cv[cross])
    if a.size:
        key = a * k + b
        uniq, inverse = np.unique(key, return_inverse=True)
        wsum = np.bincount(inverse.ravel(), ties.w[cross])
        count = np.bincount(inverse.ravel())
        for kk, w, c in zip(uniq.tolist(), wsum.tolist(), count.tolist()):
            H.add_edge(lab[kk // k], lab[kk % k], weight=w, ties=int(c))
    return H


def _sortable(values: list) -> bool:
    try:
        sorted(values)
    except TypeError:
        return False
    return True
