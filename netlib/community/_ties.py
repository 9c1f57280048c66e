"""A graph reduced to what community detection needs, and partitions as arrays. Private.

:func:`_to_ties` converts a networkx graph once (kept with the graph through
:func:`netlib._csr.kept_conversion`); :func:`_membership` reads any partition a user passes;
:func:`_modularity_codes` scores integer memberships; :func:`_canonical` and :func:`_series` number
communities 0..k-1 by decreasing size and index them by ``customer_id``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netlib._csr import _Conversion, arc_order, arc_positions, arc_weights, is_graph, kept_conversion
from netlib.errors import ParameterError

__all__ = ["DIRECTED_MODES"]

DIRECTED_MODES = ("symmetrize", "directed")


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


def _check_resolution(resolution: float) -> float:
    try:
        res = float(resolution)
    except (TypeError, ValueError):
        raise ParameterError(f"resolution must be a positive number; got {resolution!r}") from None
    if not (res > 0 and math.isfinite(res)):
        raise ParameterError(f"resolution must be a positive number; got {resolution!r}")
    return res


def _to_ties(G: nx.Graph, weight: str | None, directed: str = "symmetrize") -> _Ties:
    """Convert ``G``: symmetrised ``u < v`` ties (and arcs for the directed objective).

    The conversion is kept with the graph and reused while the graph is unchanged.
    """
    if not is_graph(G):
        raise ParameterError(f"G must be a networkx graph; got {type(G).__name__}")
    _check_directed(directed)
    key = ("community", weight, directed if G.is_directed() else None)
    store, kept = kept_conversion(G, key, weight)
    if kept is not None:
        return kept
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
    ties = _make_ties(G.is_directed(), nodes, index, rows, cols, w, directed)
    if store is not None:
        store[key] = _Conversion(keep, w, ties)
    return ties


def _make_ties(is_directed: bool, nodes: list, index: dict, rows: np.ndarray, cols: np.ndarray, w: np.ndarray,
               directed: str) -> _Ties:
    """Ties sorted by ``(u, v)`` from the arcs read (so the order customers were added in never matters).

    ``is_directed``: whether the arcs are a directed graph's (each tie read once per direction it has).
    """
    n = len(nodes)
    is_loop = rows == cols
    loops = np.bincount(rows[is_loop], w[is_loop], n) if n else np.zeros(0)
    lo, hi, wo = np.minimum(rows, cols)[~is_loop], np.maximum(rows, cols)[~is_loop], w[~is_loop]
    if is_directed and lo.size:  # u→v and v→u become one tie with the summed weight
        # a run of equal sorted keys is one tie: the sort np.unique would do, without its inverse
        key = lo * max(n, 1) + hi
        order = np.argsort(key)
        key, ws = key[order], wo[order]
        first = np.empty(key.size, dtype=bool)
        first[0] = True
        np.not_equal(key[1:], key[:-1], out=first[1:])
        ws = np.add.reduceat(ws, np.flatnonzero(first))
        key = key[first]
        u, v = key // max(n, 1), key % max(n, 1)
    else:
        order = arc_order(lo, hi, n)  # undirected: each tie is read once, so the pairs are unique
        u, v, ws = lo[order], hi[order], wo[order]
    arcs = None
    use_directed = is_directed and directed == "directed"
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
        fast = _series_codes(ties, partition)
        if fast is not None:
            return fast if with_labels else fast[0]
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


def _series_codes(ties: _Ties, partition: pd.Series) -> tuple[np.ndarray, list] | None:
    """Codes and labels of a Series placing every customer once, read by one index lookup (the loop
    of :func:`_membership` asks the Series once per customer: ~8 s at 200,000 customers).

    Only int64 and object labels without missing values, the common case, are read this way; any
    other Series (and any Series that misses a customer or holds others) returns None and goes
    through the loop, which gives the errors. The codes and labels are the loop's: codes by first
    appearance in canonical order, labels as the Series holds them (numpy ints for int64).
    """
    if len(partition) != ties.n or partition.dtype not in (np.dtype(np.int64), np.dtype(object)):
        return None
    pos = partition.index.get_indexer(ties._customer_index)
    if ties.n and pos.min() < 0:
        return None
    values = partition.to_numpy()[pos]
    if partition.dtype == object:
        if pd.isna(values).any():
            return None
        values = pd.Series(values, dtype=object)
    codes, uniques = pd.factorize(values, sort=False)
    return codes.astype(np.int64), list(uniques)


def _canonical(membership: np.ndarray) -> np.ndarray:
    """Relabel 0..k-1 by decreasing size; equal sizes ordered by their first node (canonical order)."""
    if membership.size == 0:
        return membership.astype(np.int64)
    codes, _ = pd.factorize(membership)  # codes in order of first appearance (a hash, not np.unique's sort)
    counts = np.bincount(codes)
    order = np.lexsort((np.arange(counts.size), -counts))
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return rank[codes].astype(np.int64)


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


def _series(ties: _Ties, membership: np.ndarray, name: str = "community") -> pd.Series:
    index = ties.customer_index
    return pd.Series(np.asarray(membership, dtype=np.int64), index=index, name=name)

