"""Compact arrays for networkx graphs: the CSR form the fast kernels run on. Private.

networkx stays the interface users see; analyses convert once per call with :func:`to_csr`
and key their answers by the original node ids through ``CSRGraph.nodes``.

A conversion can also be kept with the graph (:func:`kept_conversion`) in networkx's own
``G.__networkx_cache__``, which networkx empties whenever the graph is changed through its API;
weights edited in place are caught by re-reading them on every hit.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

__all__ = ["CSRGraph", "arc_arrays", "arc_order", "arc_positions", "arc_weights", "to_csr", "node_order",
           "kept_conversion"]


def node_order(G: nx.Graph) -> list:
    """Nodes in a canonical order: sorted when the ids compare, else insertion order.

    Sorting makes seeded results independent of the order nodes were added in.
    """
    nodes = list(G.nodes())
    try:
        return sorted(nodes)
    except TypeError:
        try:
            return sorted(nodes, key=lambda v: (type(v).__name__, v))
        except TypeError:
            return nodes


@dataclass(frozen=True, eq=False)
class CSRGraph:
    """Out-adjacency of a graph in CSR form.

    ``indices[indptr[i]:indptr[i+1]]`` are the out-neighbours of node ``nodes[i]`` and ``weights``
    the matching edge weights (1.0 where the graph has none). Undirected graphs store each edge in
    both directions. Self-loops are kept only when ``self_loops=True`` was asked for.
    """

    nodes: list
    indptr: np.ndarray
    indices: np.ndarray
    weights: np.ndarray
    directed: bool
    index: dict = field(repr=False)

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def m(self) -> int:
        """Number of stored arcs (each undirected edge counts twice)."""
        return int(self.indptr[-1])

    @cached_property
    def out_degree(self) -> np.ndarray:
        return np.diff(self.indptr)

    @cached_property
    def matrix(self) -> sp.csr_array:
        """The weighted adjacency as a scipy CSR array (row = source)."""
        return sp.csr_array((self.weights, self.indices, self.indptr), shape=(self.n, self.n))

    @cached_property
    def reverse(self) -> "CSRGraph":
        """The transposed graph: in-neighbours of each node (for reverse-reachable sets)."""
        if not self.directed:
            return self
        t = self.matrix.T.tocsr()
        t.sort_indices()
        return CSRGraph(self.nodes, t.indptr.astype(np.int64), t.indices.astype(np.int32),
                        t.data.astype(np.float64), True, self.index)

    def ids(self, positions) -> list:
        """Node ids for an array of positions."""
        nodes = self.nodes
        return [nodes[int(i)] for i in positions]


def _adjacency(G: nx.Graph) -> dict:
    """networkx's adjacency dict of dicts (filtered graph views: the visible part, materialised)."""
    adj = getattr(G.adj, "_atlas", None)
    if type(adj) is not dict:
        adj = {u: dict(nbrs) for u, nbrs in G.adjacency()}
    return adj


def arc_arrays(G: nx.Graph, *, weight: str | None = "weight", default: float = 1.0
               ) -> tuple[list, dict, np.ndarray, np.ndarray, np.ndarray]:
    """Every stored arc of ``G`` as ``(nodes, index, rows, cols, weights)``, positions in :func:`node_order`.

    Unsorted, self-loops included. Undirected graphs give each edge in both directions (a self-loop
    once), as networkx stores them; multigraph parallel edges are summed into one arc. Reads
    networkx's adjacency dicts with C-level iteration (``map`` / ``np.fromiter``): on graphs of 10^5
    ties a Python loop over the edges would cost as much as the analysis itself.
    """
    nodes, index, rows, cols, adj = arc_positions(G)
    return nodes, index, rows, cols, arc_weights(G, weight=weight, default=default, adj=adj)


def arc_positions(G: nx.Graph) -> tuple[list, dict, np.ndarray, np.ndarray, dict]:
    """The structure half of :func:`arc_arrays`: ``(nodes, index, rows, cols, adjacency)``."""
    nodes = node_order(G)
    index = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    adj = _adjacency(G)
    deg = np.fromiter(map(len, adj.values()), np.int64, len(adj))
    m = int(deg.sum())
    targets = itertools.chain.from_iterable(adj.values())
    kinds = set(map(type, nodes))
    if n and kinds == {int} and -(2**63) <= nodes[0] and nodes[-1] < 2**63:  # sorted ints that fit int64
        rows = np.fromiter(adj, np.int64, len(adj))
        cols = np.fromiter(targets, np.int64, m)
        if nodes[0] != 0 or nodes[-1] != n - 1:  # else ids 0..n-1 are their own positions
            rows, cols = _int_positions(np.array(nodes, dtype=np.int64), rows, cols)
        return nodes, index, np.repeat(rows, deg), cols, adj
    if kinds == {str}:  # customer ids: look them up in C++ (a dict lookup per arc is memory-bound)
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            ids = pa.array(nodes, type=pa.string())
            rows = pc.index_in(pa.array(list(adj), type=pa.string()), value_set=ids).to_numpy()
            cols = pc.index_in(pa.array(list(targets), type=pa.string()), value_set=ids).to_numpy()
            return nodes, index, np.repeat(rows.astype(np.int64), deg), cols.astype(np.int64), adj
        except (pa.ArrowException, UnicodeError):  # text pyarrow cannot encode: the generic path
            targets = itertools.chain.from_iterable(adj.values())
    rows = np.repeat(np.fromiter(map(index.__getitem__, adj), np.int64, len(adj)), deg)
    cols = np.fromiter(map(index.__getitem__, targets), np.int64, m)
    return nodes, index, rows, cols, adj


def _int_positions(ids: np.ndarray, *values: np.ndarray) -> list[np.ndarray]:
    """Positions of int ids in the sorted array ``ids``: a lookup table when the ids are dense enough,
    else a binary search. For 1M arcs among 100k ids: 12 ms (table) or 109 ms (search) against
    258 ms for a dict lookup per arc."""
    lo, span = int(ids[0]), int(ids[-1]) - int(ids[0]) + 1
    if span <= 8 * ids.size + 1024:
        table = np.full(span, -1, dtype=np.int64)
        table[ids - lo] = np.arange(ids.size)
        return [table[v - lo] for v in values]
    return [np.searchsorted(ids, v).astype(np.int64) for v in values]


def arc_weights(G: nx.Graph, *, weight: str | None = "weight", default: float = 1.0,
                keep: np.ndarray | None = None, adj: dict | None = None) -> np.ndarray:
    """The weights of the arcs :func:`arc_arrays` lists, in its order.

    ``keep`` (a boolean mask over that listing) selects arcs, and only their attributes are read:
    ``rows <= cols`` reads each undirected edge once. Called again on a graph whose structure has
    not changed, it re-reads the weights in the same order (to check a conversion made earlier).
    """
    adj = _adjacency(G) if adj is None else adj
    m = sum(map(len, adj.values())) if keep is None else int(np.count_nonzero(keep))

    def data(every: bool = False):  # the attribute dicts, in the listing's order
        values = itertools.chain.from_iterable(map(dict.values, adj.values()))
        return values if every or keep is None else itertools.compress(values, keep.tolist())

    try:
        if G.is_multigraph():
            return np.fromiter((sum(d.get(weight, default) if weight else default for d in keyed.values())
                                for keyed in data()), np.float64, m)
        plain = G.edge_attr_dict_factory is dict
        if not weight or (plain and not any(map(dict.__contains__, data(every=True), itertools.repeat(weight)))):
            # No edge carries the attribute. The test stops at the first edge that does; on an
            # unweighted graph it is cheaper than reading the weights (LFR 10k, cold: 9.8 ms vs 11.4).
            return np.full(m, default, dtype=np.float64)
        if plain:  # unbound dict.get: half the cost of a methodcaller
            return np.fromiter(map(dict.get, data(), itertools.repeat(weight), itertools.repeat(default)),
                               np.float64, m)
        return np.fromiter(map(operator.methodcaller("get", weight, default), data()), np.float64, m)
    except (TypeError, ValueError) as exc:
        from netlib.errors import ParameterError

        raise ParameterError(f"edge attribute {weight!r} must be numeric: {exc}") from None


def arc_order(rows: np.ndarray, cols: np.ndarray, n: int) -> np.ndarray:
    """The permutation sorting arcs by ``(row, col)``, for arcs that are unique (one per pair).

    With unique pairs the single int64 key ``row * n + col`` has no ties, so any sort gives this one
    order; a plain argsort of it is ~9x faster than ``np.lexsort((cols, rows))`` in numpy 2.4
    (1M arcs: 24 ms vs 214 ms).
    """
    return np.argsort(rows * max(n, 1) + cols)


def to_csr(G: nx.Graph, *, weight: str | None = "weight", default: float = 1.0,
           self_loops: bool = False) -> CSRGraph:
    """Convert ``G`` to :class:`CSRGraph` with nodes in :func:`node_order`.

    Parameters
    ----------
    G : networkx graph (directed or not; multigraph parallel edges are summed)
    weight : edge attribute read as the weight, or None for ``default`` everywhere
    default : weight of edges that lack the attribute
    self_loops : keep edges from a node to itself
    """
    nodes, index, r, c, w = arc_arrays(G, weight=weight, default=default)
    if not self_loops:
        keep = r != c
        if not keep.all():
            r, c, w = r[keep], c[keep], w[keep]
    order = arc_order(r, c, len(nodes))
    r, c, w = r[order], c[order].astype(np.int32), w[order]
    indptr = np.zeros(len(nodes) + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=len(nodes)), out=indptr[1:])
    return CSRGraph(nodes, indptr, c, w, G.is_directed(), index)


# ---------------------------------------------------------------------------------------------
# Conversions kept with the graph
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Conversion:
    """One conversion of a graph, with the weights it was made from (to check they still hold)."""

    keep: np.ndarray | None  # which of networkx's stored arcs were read (undirected: each edge once)
    raw: np.ndarray  # their weights, as read
    value: Any  # what the arcs were converted into (e.g. netlib.community's ``_Ties``)


class _Conversions(dict):
    """A graph's conversions, ``{key: _Conversion}``, kept in its ``__networkx_cache__``.

    networkx empties that cache whenever the graph is changed through its API (nodes or edges added
    or removed, ``add_edge`` on an existing edge, ``set_edge_attributes``, ...), which drops these
    conversions with it. Weights edited in place (``G[u][v]["weight"] = x``) bypass that, so they are
    re-read and compared on every hit. Pickled or deep-copied graphs carry an empty one.

    It lived in ``netlib.community`` until that module became a package, and pickled graphs name it
    ``netlib.community._Conversions``: the package keeps that name as an alias so they still load.
    """

    def __reduce__(self):
        return (type(self), ())


# The cache entry's name. It keeps the value it had when only community detection used it, so graphs
# pickled since then hold the same (empty) entry rather than a stale one beside a new one.
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


def kept_conversion(G: nx.Graph, key: Hashable, weight: str | None) -> tuple[dict | None, Any]:
    """``(store, value)``: the conversion kept for ``G`` under ``key``, if its weights still hold.

    ``value`` is None when nothing valid is kept; the caller then converts and keeps its answer with
    ``store[key] = _Conversion(keep, raw, value)`` (``store`` is None for graphs that are never
    cached, such as views). ``weight`` is the attribute the conversion read (None: no weights, so
    nothing to re-check).
    """
    store = _conversions(G)
    hit = store.get(key) if store is not None else None
    if hit is not None and (weight is None or np.array_equal(arc_weights(G, weight=weight, keep=hit.keep), hit.raw)):
        return store, hit.value
    return store, None
