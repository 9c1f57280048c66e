"""Compiled kernels for the centrality battery at scale: multi-source BFS for closeness, a vertex-diameter
bound for directed graphs (sizes the betweenness sample). Private.

Works on the arrays of :class:`netlib._csr.CSRGraph` (``indptr``, ``indices``, positions ``0..n-1``).
Loaded lazily by :mod:`netlib.centrality` (``netlib._util.lazy_module``), so numba loads on first use.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["closeness_msbfs", "condensation_vertex_diameter"]


_ONE = np.uint64(1)
_C1 = np.uint64(0x5555555555555555)
_C2 = np.uint64(0x3333333333333333)
_C4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)
_S1 = np.uint64(1)
_S2 = np.uint64(2)
_S4 = np.uint64(4)
_S56 = np.uint64(56)


@njit(cache=True, inline="always")
def _popcount(x):
    x = x - ((x >> _S1) & _C1)
    x = (x & _C2) + ((x >> _S2) & _C2)
    x = (x + (x >> _S4)) & _C4
    return np.int64((x * _H01) >> _S56)


@njit(cache=True, parallel=True)
def closeness_msbfs(indptr, indices, sources, nchunks, words):
    """Hop distances from every source, ``64 * words`` sources per traversal (Then et al., VLDB 2014).

    Each node holds one bit per source of its batch: ``seen`` (reached) and ``frontier`` (reached at
    the last level). A level ORs each frontier word into the out-neighbours' next words, so one scan
    of an arc serves every source of the batch that reaches its tail at that level. Batches are split
    over ``nchunks`` threads, each holding ``3 * words`` words per node. Returns ``(dsum, dcnt, ecc)``:
    per node the sum of distances from the sources that reach it and their number (itself
    excluded), and per source its eccentricity (the largest finite distance from it).
    """
    n = indptr.shape[0] - 1
    k = sources.shape[0]
    W = words
    B = 64 * W
    nbatch = (k + B - 1) // B
    dsum = np.zeros((nchunks, n), dtype=np.int64)
    dcnt = np.zeros((nchunks, n), dtype=np.int64)
    ecc = np.zeros(k, dtype=np.int64)
    for c in prange(nchunks):
        seen = np.zeros((n, W), dtype=np.uint64)
        frontier = np.zeros((n, W), dtype=np.uint64)
        nxt = np.zeros((n, W), dtype=np.uint64)
        is_active = np.zeros(n, dtype=np.uint8)
        active = np.empty(n, dtype=np.int64)
        touched = np.empty(n, dtype=np.int64)
        reached = np.zeros(W, dtype=np.uint64)
        for b in range(c, nbatch, nchunks):
            lo = b * B
            hi = min(k, lo + B)
            na = 0
            for i in range(lo, hi):
                s = sources[i]
                if is_active[s] == 0:
                    is_active[s] = 1
                    active[na] = s
                    na += 1
                lane = i - lo
                bit = _ONE << np.uint64(lane % 64)
                seen[s, lane // 64] |= bit
                frontier[s, lane // 64] |= bit
            d = 0
            while na > 0:
                d += 1
                nt = 0
                for j in range(na):  # top-down: every active node pushes its frontier bits
                    v = active[j]
                    is_active[v] = 0
                    for e in range(indptr[v], indptr[v + 1]):
                        w = indices[e]
                        first = True  # one random access per arc: seen bits are masked off below
                        for q in range(W):
                            x = nxt[w, q]
                            if x != 0:
                                first = False
                            nxt[w, q] = x | frontier[v, q]
                        if first:  # frontier[v] is never empty, so nxt[w] is not any more
                            touched[nt] = w
                            nt += 1
                    for q in range(W):
                        frontier[v, q] = 0
                na = 0
                for q in range(W):
                    reached[q] = 0
                for j in range(nt):  # the bits new at this level: distance d from those sources
                    w = touched[j]
                    total = 0
                    for q in range(W):
                        new = nxt[w, q] & ~seen[w, q]
                        nxt[w, q] = 0
                        seen[w, q] |= new
                        frontier[w, q] = new
                        reached[q] |= new
                        total += _popcount(new)
                    if total:
                        is_active[w] = 1
                        active[na] = w
                        na += 1
                        dsum[c, w] += d * total
                        dcnt[c, w] += total
                for lane in range(hi - lo):
                    if (reached[lane // 64] >> np.uint64(lane % 64)) & _ONE:
                        ecc[lo + lane] = d
            for i in range(n):
                for q in range(W):
                    seen[i, q] = 0
    return dsum.sum(axis=0), dcnt.sum(axis=0), ecc


@njit(cache=True)
def _ecc_within(indptr, indices, root, labels, dist, queue):
    """Eccentricity of ``root`` inside its strong component (BFS over arcs whose head shares its label);
    ``dist`` must be -1 on the component and is left so."""
    lab = labels[root]
    dist[root] = 0
    queue[0] = root
    head, tail, ecc = 0, 1, 0
    while head < tail:
        v = queue[head]
        head += 1
        dv = dist[v] + 1
        for e in range(indptr[v], indptr[v + 1]):
            w = indices[e]
            if labels[w] == lab and dist[w] < 0:
                dist[w] = dv
                ecc = dv
                queue[tail] = w
                tail += 1
    for i in range(tail):
        dist[queue[i]] = -1
    return ecc


@njit(cache=True)
def condensation_vertex_diameter(indptr, indices, rindptr, rindices, labels, members, start, roots):
    """Upper bound on the vertex diameter (most nodes on any shortest path) of a directed graph.

    ``labels`` are strong components ``0..k-1``; ``members[start[c]:start[c + 1]]`` the nodes of
    component ``c`` and ``roots[c]`` one of them. A shortest path meets each strong component it
    enters in one stretch (it cannot leave a component and come back), that stretch is a shortest
    path of the component's own subgraph (every path between two nodes of a component stays in it),
    so it holds at most ``diam(c) + 1`` nodes, and ``diam(c) <= ecc_out(r) + ecc_in(r)`` for any ``r``
    in ``c`` (``d(u, v) <= d(u, r) + d(r, v)``). The components a path meets lie on one path of the
    condensation DAG, so the bound is the heaviest such path with weight ``min(ecc_out + ecc_in,
    |c| - 1) + 1`` per component: two BFS per component and one topological pass, O(n + m).
    Returns ``(bound, per-component weights)``.
    """
    n = indptr.shape[0] - 1
    k = start.shape[0] - 1
    dist = np.full(n, -1, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    weight = np.ones(k, dtype=np.int64)
    for c in range(k):
        size = start[c + 1] - start[c]
        if size > 1:
            r = roots[c]
            ub = _ecc_within(indptr, indices, r, labels, dist, queue) + \
                _ecc_within(rindptr, rindices, r, labels, dist, queue)
            weight[c] = min(ub, size - 1) + 1
    indeg = np.zeros(k, dtype=np.int64)  # arcs between components, counted with multiplicity
    for v in range(n):
        for e in range(indptr[v], indptr[v + 1]):
            if labels[indices[e]] != labels[v]:
                indeg[labels[indices[e]]] += 1
    heaviest = weight.copy()  # heaviest condensation path ending at each component
    order = np.empty(k, dtype=np.int64)
    tail = 0
    for c in range(k):
        if indeg[c] == 0:
            order[tail] = c
            tail += 1
    head = 0
    while head < tail:  # Kahn's topological order
        c = order[head]
        head += 1
        for i in range(start[c], start[c + 1]):
            v = members[i]
            for e in range(indptr[v], indptr[v + 1]):
                d = labels[indices[e]]
                if d != c:
                    heaviest[d] = max(heaviest[d], heaviest[c] + weight[d])
                    indeg[d] -= 1
                    if indeg[d] == 0:
                        order[tail] = d
                        tail += 1
    return heaviest.max() if k > 0 else 0, weight
