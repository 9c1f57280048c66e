"""Compiled kernels for the centrality battery at scale: multi-source BFS for closeness. Private.

Works on the arrays of :class:`netlib._csr.CSRGraph` (``indptr``, ``indices``, positions ``0..n-1``).
Loaded lazily by :mod:`netlib.centrality` (``netlib._util.lazy_module``), so numba loads on first use.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["closeness_msbfs"]


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
        is_touched = np.zeros(n, dtype=np.uint8)
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
                        for q in range(W):
                            nxt[w, q] |= frontier[v, q] & ~seen[w, q]
                        if is_touched[w] == 0:
                            is_touched[w] = 1
                            touched[nt] = w
                            nt += 1
                    for q in range(W):
                        frontier[v, q] = 0
                na = 0
                for q in range(W):
                    reached[q] = 0
                for j in range(nt):  # the bits new at this level: distance d from those sources
                    w = touched[j]
                    is_touched[w] = 0
                    total = 0
                    for q in range(W):
                        new = nxt[w, q]
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
