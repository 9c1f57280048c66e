"""Compact arrays for graphs: the CSR form the fast kernels run on. Private.

Analyses accept a networkx graph or a :class:`netlib.CustomerNetwork` (:func:`is_graph`), convert
once per call with :func:`to_csr` (or read arcs with :func:`arc_arrays`) and key their answers by
the original node ids through ``CSRGraph.nodes``. A CustomerNetwork is arrays already: it gives its
own, in the same canonical node order (:func:`node_order`), so both inputs give the same answers.

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
import pandas as pd
import scipy.sparse as sp

__all__ = ["CSRGraph", "arc_arrays", "arc_order", "arc_positions", "arc_weights", "to_csr", "node_order",
           "kept_conversion", "is_graph", "sorted_ids"]


def _compact(G) -> bool:
    """True for a :class:`netlib.CustomerNetwork` (imported here lazily: it imports this module)."""
    from netlib.network.compact import CustomerNetwork

    return isinstance(G, CustomerNetwork)


def is_graph(G) -> bool:
    """What analyses accept as a graph: a networkx graph or a :class:`netlib.CustomerNetwork`."""
    return isinstance(G, nx.Graph) or _compact(G)


def node_order(G) -> list:
    """Nodes in a canonical order: sorted when the ids compare, else insertion order.

    Sorting makes seeded results independent of the order nodes were added in. A
    :class:`netlib.CustomerNetwork` holds its customers in this order already.
    """
    if _compact(G):
        return list(G.nodes)
    return _canonical(list(G.nodes()))


def _canonical(nodes: list) -> list:
    try:
        return sorted(nodes)
    except TypeError:
        try:
            return sorted(nodes, key=lambda v: (type(v).__name__, v))
        except TypeError:
            return nodes


def sorted_ids(vocabulary: list, coded: list) -> tuple[pd.Index, list[np.ndarray]]:
    """Ids of several columns indexed once: ``(ids, codes)``.

    ``ids`` (named ``customer_id``) holds every value of the columns in ``vocabulary`` and ``coded``,
    in :func:`node_order`'s order; ``codes`` gives each value of each ``coded`` column as its position
    in ``ids`` (int32, -1 where missing). Text and integer ids are hashed and sorted by pyarrow (its byte
    order of UTF-8 is Python's order of str); other ids go through pandas and Python's sort.
    """
    columns = list(vocabulary) + list(coded)
    found = _arrow_codes(list(vocabulary), list(coded))
    if found is not None:
        return found
    values = pd.Series(np.concatenate([np.asarray(c, dtype=object) for c in columns]) if columns else [],
                       dtype=object)
    codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=True)
    order = _canonical(list(uniques))
    rank = pd.Index(uniques, dtype=object).get_indexer(pd.Index(order, dtype=object))
    inverse = np.empty(len(uniques), dtype=np.int64)
    inverse[rank] = np.arange(len(uniques))
    ids = pd.Index(order, dtype=object, name="customer_id")
    codes = np.where(codes >= 0, inverse[np.maximum(codes, 0)] if len(uniques) else -1, -1).astype(np.int32)
    bounds = np.cumsum([0] + [len(c) for c in columns])
    return ids, [codes[bounds[i]:bounds[i + 1]] for i in range(len(vocabulary), len(columns))]


def _arrow_codes(vocabulary: list, coded: list) -> tuple[pd.Index, list[np.ndarray]] | None:
    """:func:`sorted_ids` for text or integer ids, by pyarrow; None for other ids.

    When the ``vocabulary`` columns hold every id (a customers table and its validated interactions),
    the coded columns are only looked up in it (``index_in``: half the work of hashing every value
    into a dictionary); otherwise all columns are dictionary-encoded together.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arrays = [pa.array(c, from_pandas=True) for c in vocabulary + coded]
    except (pa.ArrowException, TypeError, ValueError):
        return None
    kinds = {("text" if pa.types.is_string(a.type) or pa.types.is_large_string(a.type) else
              "int" if pa.types.is_integer(a.type) else "other") for a in arrays if len(a) or a.type != pa.null()}
    if len(kinds) != 1 or "other" in kinds:
        if kinds:
            return None
        return pd.Index([], dtype=object, name="customer_id"), [np.zeros(0, dtype=np.int32) for _ in coded]
    target = pa.large_string() if kinds == {"text"} else pa.int64()

    def joined(group):
        chunks = [c for a in group for c in (a.chunks if isinstance(a, pa.ChunkedArray) else [a])]
        return pa.concat_arrays([c.cast(target) for c in chunks]) if chunks else pa.array([], target)

    def index(values):
        return pd.Index(values.to_pandas(), dtype="str" if kinds == {"text"} else np.int64, name="customer_id")

    try:
        known = joined(arrays[:len(vocabulary)]) if vocabulary else None
        if known is not None and len(known):
            ids = pc.unique(known.drop_null())
            ids = ids.take(pc.sort_indices(ids))
            found = [pc.index_in(joined([a]), value_set=ids) for a in arrays[len(vocabulary):]]
            if all(f.null_count == a.null_count for f, a in zip(found, arrays[len(vocabulary):])):
                return index(ids), [pc.fill_null(f, -1).to_numpy().astype(np.int32) for f in found]
        encoded = pc.dictionary_encode(joined(arrays))
    except pa.ArrowException:
        return None
    order = pc.sort_indices(encoded.dictionary).to_numpy()
    rank = np.empty(len(order) + 1, dtype=np.int32)  # dictionary code -> sorted position; missing -> -1
    rank[order] = np.arange(len(order), dtype=np.int32)
    rank[-1] = -1
    codes = rank[pc.fill_null(encoded.indices, len(order)).to_numpy()]
    bounds = np.cumsum([0] + [len(a) for a in arrays])
    return (index(encoded.dictionary.take(pa.array(order))),
            [codes[bounds[i]:bounds[i + 1]] for i in range(len(vocabulary), len(arrays))])


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
    """The structure half of :func:`arc_arrays`: ``(nodes, index, rows, cols, adjacency)``.

    For a :class:`netlib.CustomerNetwork` the arcs are its ties, in tie order (sorted), and the
    "adjacency" is the network itself.
    """
    if _compact(G):
        return list(G.nodes), G.index, G.source.astype(np.int64), G.indices.astype(np.int64), G
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
    if _compact(G):
        values = G.tie_attribute(weight, default) if weight else np.full(G.m, default, dtype=np.float64)
        return np.array(values if keep is None else values[keep], dtype=np.float64)
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
    if _compact(G):
        return _compact_csr(G, weight, default, self_loops)
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


def _compact_csr(G, weight: str | None, default: float, self_loops: bool) -> CSRGraph:
    """A :class:`netlib.CustomerNetwork`'s CSR: its own arrays, shared (read-only), when it has no
    self-loops to drop; else the ties between different customers."""
    w = G.tie_attribute(weight, default) if weight else np.full(G.m, default, dtype=np.float64)
    indptr, indices = G.indptr, G.indices
    if not self_loops:
        loops = G.source == indices
        if loops.any():
            keep = ~loops
            indices, w = indices[keep], w[keep]
            indptr = np.zeros(G.n + 1, dtype=np.int64)
            np.cumsum(np.bincount(G.source[keep], minlength=G.n), out=indptr[1:])
    return CSRGraph(G.nodes, indptr, indices, w, True, G.index)


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
    A :class:`netlib.CustomerNetwork` keeps its own (its arrays never change).
    """
    if _compact(G):
        return G.conversions
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
    if hit is not None and (weight is None or _compact(G)  # a CustomerNetwork's weights never change
                            or np.array_equal(arc_weights(G, weight=weight, keep=hit.keep), hit.raw)):
        return store, hit.value
    return store, None
