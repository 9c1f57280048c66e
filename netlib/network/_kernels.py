"""numba kernel behind :func:`netlib.customer_network`: interactions grouped into ties in two linear passes.
Private; imported on first use (numba must not load at ``import netlib``).

Rows are bucketed by source with a stable counting sort, each bucket sorted by target (insertion sort
when short, merge sort otherwise), and each run of equal ``(source, target)`` becomes one tie. Rows of
a tie stay in their input order, and weights are summed with the same Kahan-compensated steps as
pandas' grouped sum, so the sums equal ``DataFrame.groupby(...).sum()`` to the last bit.
On 12M interactions among 1M customers this replaces a 7-9 s ``argsort`` (2 cores, loaded).
"""

from __future__ import annotations

import numpy as np
from numba import njit

NAT = np.iinfo(np.int64).min  # pandas' NaT as int64


@njit(cache=True, nogil=True)
def _sort_rows(src, dst, w, ts, chan, n):
    """The rows' (target, weight, time, channel) in (source, target) order, stable; and the offsets
    of each source's rows. Values are moved, not indexed: the scan after it reads memory in order."""
    N = src.size
    start = np.zeros(n + 1, dtype=np.int64)
    for i in range(N):
        start[src[i] + 1] += 1
    for i in range(n):
        start[i + 1] += start[i]
    fill = start[:-1].copy()
    sd = np.empty_like(dst)
    sw = np.empty(N, dtype=np.float64)
    st = np.empty(N, dtype=np.int64)
    sc = np.empty(N if chan.size else 0, dtype=np.int32)
    for i in range(N):
        p = fill[src[i]]
        fill[src[i]] = p + 1
        sd[p] = dst[i]
        sw[p] = w[i]
        st[p] = ts[i]
        if chan.size:
            sc[p] = chan[i]
    for u in range(n):
        a, b = start[u], start[u + 1]
        if b - a <= 32:  # insertion sort keeps equal targets in input order
            for j in range(a + 1, b):
                key, x, t = sd[j], sw[j], st[j]
                c = sc[j] if chan.size else 0
                k = j - 1
                while k >= a and sd[k] > key:
                    sd[k + 1], sw[k + 1], st[k + 1] = sd[k], sw[k], st[k]
                    if chan.size:
                        sc[k + 1] = sc[k]
                    k -= 1
                sd[k + 1], sw[k + 1], st[k + 1] = key, x, t
                if chan.size:
                    sc[k + 1] = c
        else:
            perm = np.argsort(sd[a:b], kind="mergesort") + a
            sd[a:b] = sd[perm]
            sw[a:b] = sw[perm]
            st[a:b] = st[perm]
            if chan.size:
                sc[a:b] = sc[perm]
    return sd, sw, st, sc, start


@njit(cache=True, nogil=True)
def group_ties(src, dst, w, ts, chan, n_channels, n):
    """Ties of the interactions ``src[i] -> dst[i]`` (positions 0..n-1).

    ``w``: weights (NaN skipped, as pandas' sum does); ``ts``: int64 nanoseconds (NaT skipped);
    ``chan``: channel codes 0..n_channels-1, -1 for none. Returns ``indptr, indices, weight, count,
    first, last, ch_ptr, ch_code, ch_count``: ties sorted by (source, target), each tie's channels
    sorted by code.
    """
    dst, w, ts, chan, start = _sort_rows(src, dst, w, ts, chan, n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    for u in range(n):  # ties per source: the distinct targets in its bucket
        a, b = start[u], start[u + 1]
        k = 0
        for j in range(a, b):
            if j == a or dst[j] != dst[j - 1]:
                k += 1
        indptr[u + 1] = indptr[u] + k
    m = indptr[n]
    indices = np.empty(m, dtype=np.int32)
    weight = np.zeros(m, dtype=np.float64)
    count = np.zeros(m, dtype=np.int64)
    first = np.full(m, NAT, dtype=np.int64)
    last = np.full(m, NAT, dtype=np.int64)
    ch_ptr = np.zeros(m + 1, dtype=np.int64)
    ch_code = np.empty(dst.size if n_channels else 0, dtype=np.int32)
    ch_count = np.empty(dst.size if n_channels else 0, dtype=np.int64)
    tally = np.zeros(max(n_channels, 1), dtype=np.int64)
    touched = np.empty(max(n_channels, 1), dtype=np.int64)
    e = -1
    rows = 0
    for u in range(n):
        a, b = start[u], start[u + 1]
        j = a
        while j < b:
            e += 1
            v = dst[j]
            indices[e] = v
            total = 0.0
            comp = 0.0
            nt = 0
            while j < b and dst[j] == v:
                r = j
                x = w[r]
                if x == x:  # pandas' Kahan step, NaN skipped
                    y = x - comp
                    t = total + y
                    comp = t - total - y
                    if comp != comp:
                        comp = 0.0
                    total = t
                count[e] += 1
                s = ts[r]
                if s != NAT:
                    if first[e] == NAT or s < first[e]:
                        first[e] = s
                    if last[e] == NAT or s > last[e]:
                        last[e] = s
                if n_channels:
                    c = chan[r]
                    if c >= 0:
                        if tally[c] == 0:
                            touched[nt] = c
                            nt += 1
                        tally[c] += 1
                j += 1
            weight[e] = total
            if nt:
                for p in range(1, nt):  # codes in order: a handful per tie
                    c = touched[p]
                    q = p - 1
                    while q >= 0 and touched[q] > c:
                        touched[q + 1] = touched[q]
                        q -= 1
                    touched[q + 1] = c
                for p in range(nt):
                    c = touched[p]
                    ch_code[rows] = c
                    ch_count[rows] = tally[c]
                    tally[c] = 0
                    rows += 1
            ch_ptr[e + 1] = rows
    return indptr, indices, weight, count, first, last, ch_ptr, ch_code[:rows].copy(), ch_count[:rows].copy()
