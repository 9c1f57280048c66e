"""Compiled kernel of the reach of every prefix of a seed list, from the same realisations. Private.

Loaded lazily by :mod:`netlib._spread` (numba must not load at ``import netlib``). Random numbers come
from the splitmix64 streams of :mod:`netlib._kernels`: run ``r`` draws from stream ``r`` of its base,
so an answer depends on the base and the run numbers only, never on the thread count.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from netlib._kernels import LT, IC_UNIFORM, _chunks, _live_arcs, _lt_push, _stream

__all__ = ["prefix_reach"]


@njit(cache=True, parallel=True)
def prefix_reach(model, indptr, indices, arcs, a, seeds, steps, run_start, nruns, base, nchunks):
    """Sum and sum of squares, over ``nruns`` realisations, of the reach of ``seeds[:steps[j]]``.

    Seeds are added one at a time to the same realisation and the cascade is continued from each
    (IC: coin flips already made stay made; LT: thresholds stay fixed), so every realisation gives
    the reach of all prefixes for the cost of one run of the longest, ``seeds[:steps[-1]]``.
    ``steps`` is increasing. Models IC_UNIFORM, IC_ARCS, LT. Returns (sums, sums of squares), float64.
    """
    n = indptr.shape[0] - 1
    nsteps = steps.shape[0]
    last = steps[nsteps - 1] if nsteps else 0
    sums = np.zeros((nchunks, nsteps), dtype=np.float64)
    squares = np.zeros((nchunks, nsteps), dtype=np.float64)
    bounds = _chunks(nruns, nchunks)
    for c in prange(nchunks):
        stamp = np.zeros(n, dtype=np.int64)
        seen = np.zeros(n, dtype=np.int64)
        acc = np.zeros(n, dtype=np.float64)
        theta = np.zeros(n, dtype=np.float64)
        queue = np.empty(n, dtype=np.int32)
        uniform = model == IC_UNIFORM
        log_q = np.log1p(-a) if (uniform and a < 1.0) else 0.0
        for r in range(bounds[c], bounds[c + 1]):
            st = _stream(base, run_start + r)
            mark = r + 1
            tail = 0
            head = 0
            j = 0
            for i in range(last):
                s = seeds[i]
                if stamp[s] != mark:
                    stamp[s] = mark
                    queue[tail] = s
                    tail += 1
                    while head < tail:
                        u = queue[head]
                        head += 1
                        if model == LT:
                            tail = _lt_push(indptr, indices, arcs, u, stamp, seen, acc, theta, mark, queue, tail, st)
                        else:
                            tail = _live_arcs(indptr, indices, arcs, a, uniform, log_q, u, stamp, mark, queue,
                                              tail, st)
                while j < nsteps and steps[j] == i + 1:
                    sums[c, j] += tail
                    squares[c, j] += float(tail) * float(tail)
                    j += 1
    return sums.sum(axis=0), squares.sum(axis=0)
