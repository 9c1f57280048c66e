"""Compiled kernels of reverse influence sampling: subset-sampled RR sets that may stop at a set of
nodes, and greedy maximum coverage with OPIM-C's upper bound. Private.

Loaded lazily by :mod:`netlib.influence` (numba must not load at ``import netlib``). Random numbers
come from the splitmix64 streams of :mod:`netlib._kernels`: RR set ``j`` draws from stream ``j`` of
its base, so an answer depends on the base and the set numbers only, never on the thread count.

RR sets are stored flat: ``members`` (int32) holds every stored set one after another and
``offsets`` (int64) where each starts; sets of one node are kept as per-node counts (``singles``);
sets that reach a stop node are only counted (``hits``). No Python object per set.

Sampling modes (how the live in-arcs of a node are drawn; each arc is tried once, independently):

- ``UNIFORM``: every arc has probability ``p``; geometric skips (one draw per live arc).
- ``PER_NODE``: all in-arcs of ``v`` share ``pnode[v]`` (weighted cascade, ``1 / in-degree``, or any
  ``p`` that depends on the receiving node only); geometric skips with ``v``'s own rate
  (SUBSIM, Guo et al. 2020).
- ``SORTED``: per-arc probabilities, each node's in-arcs sorted by decreasing probability;
  geometric skips at the current largest remaining probability ``q`` and acceptance with
  ``p_e / q`` (thinning), ``q`` lowered after every candidate (SUBSIM's sorted-probability skipping).
- ``LT``: linear threshold, a reverse random walk keeping at most one in-arc per node.

Meeting the stop nodes from both sides (``meet``; IC only): where RR sets are large (the network
percolates at the given ``p``), a set that will meet the stop nodes ``S`` is explored for a long way
before the backward search finds one of them. With ``meet`` each arc's coin is a hash of the set's
key and the arc's id (its position in the forward CSR), so the live-edge world is fixed before it is
looked at and can be explored from both ends: the reverse search from the root and a forward
search from ``S`` over the same live arcs, the smaller frontier expanded first. The set meets ``S``
exactly when the two searches touch (or the forward search reaches the root), so hits, and the
members of sets that miss ``S``, have the same distribution as the one-sided search; only the work
changes (bench/bench_imm.py: 1M-customer world at p = 0.1).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from netlib._kernels import _GAMMA, _S11, _TO_UNIT, _grow, _mix, _skip, _stream, _uniform

__all__ = ["UNIFORM", "PER_NODE", "SORTED", "LT", "sample", "greedy_bound", "cover_counts"]

UNIFORM = 0
PER_NODE = 1
SORTED = 2
LT = 3


@njit(cache=True, inline="always")
def _take(u, stop, seen, mark, queue, tail):
    """Mark ``u`` discovered; returns (new tail, whether ``u`` is a stop node)."""
    if seen[u] == mark:
        return tail, False
    seen[u] = mark
    queue[tail] = u
    tail += 1
    return tail, stop[u] != 0


@njit(cache=True)
def _one_set(rindptr, rindices, rprobs, logq, p, mode, stop, root, seen, mark, queue, st):
    """One RR set from ``root`` (reverse BFS over live in-arcs, or the LT walk). Stops as soon as a
    stop node is discovered. Returns (size, hit): the set is ``queue[:size]``."""
    seen[root] = mark
    queue[0] = root
    if stop[root] != 0:
        return 1, True
    tail = 1
    head = 0
    lq = np.log1p(-p) if (mode == UNIFORM and p < 1.0) else 0.0
    while head < tail:
        v = queue[head]
        head += 1
        lo = rindptr[v]
        hi = rindptr[v + 1]
        hit = False
        if mode == UNIFORM or mode == PER_NODE:
            q = p if mode == UNIFORM else rprobs[v]
            if mode == PER_NODE:
                lq = logq[v]
            if q >= 1.0:
                for e in range(lo, hi):
                    tail, hit = _take(rindices[e], stop, seen, mark, queue, tail)
                    if hit:
                        break
            elif q > 0.0:
                e = lo + _skip(st, lq)
                while e < hi:
                    tail, hit = _take(rindices[e], stop, seen, mark, queue, tail)
                    if hit:
                        break
                    e += 1 + _skip(st, lq)
        elif mode == SORTED:
            e = lo
            while e < hi:
                q = rprobs[e]  # the largest probability among arcs e..hi-1
                if q <= 0.0:
                    break
                if q < 1.0:
                    e += _skip(st, np.log1p(-q))
                    if e >= hi:
                        break
                    if _uniform(st) * q >= rprobs[e]:  # thinning: keep with p_e / q
                        e += 1
                        continue
                tail, hit = _take(rindices[e], stop, seen, mark, queue, tail)
                if hit:
                    break
                e += 1
        else:  # LT: rprobs holds per-node cumulative in-weights; keep the in-arc x falls in, if any
            x = _uniform(st)
            if lo == hi or x >= rprobs[hi - 1]:
                break
            u = rindices[lo + np.searchsorted(rprobs[lo:hi], x, side="right")]
            if seen[u] == mark:
                break
            tail, hit = _take(u, stop, seen, mark, queue, tail)
        if hit:
            return tail, True
    return tail, False


@njit(cache=True, inline="always")
def _coin(key, arc):
    """The uniform draw of arc ``arc`` in the live-edge world keyed ``key`` (splitmix64 output ``arc``)."""
    return float(_mix(key + np.uint64(arc + 1) * _GAMMA) >> _S11) * _TO_UNIT


@njit(cache=True, inline="always")
def _arc_p(p, mode, rprobs, fprob, head, arc):
    """Probability of the arc with forward id ``arc`` into node ``head``."""
    if mode == UNIFORM:
        return p
    if mode == PER_NODE:
        return rprobs[head]
    return fprob[arc]


@njit(cache=True)
def _one_set_meet(rindptr, rindices, rfid, findptr, findices, fprob, rprobs, p, mode, stop, stop_nodes,
                  root, seen, fseen, mark, queue, fqueue, key, need_members):
    """One IC RR set from ``root`` by a two-sided search in the live-edge world ``key`` (see the module
    notes). Returns (size, hit, forward nodes discovered); when not hit the set is ``queue[:size]``.
    Without ``need_members`` a miss is returned as soon as the forward search from the stop nodes ends."""
    seen[root] = mark
    queue[0] = root
    if stop[root] != 0:
        return 1, True, 0
    ftail = 0
    for s in stop_nodes:
        fseen[s] = mark
        fqueue[ftail] = s
        ftail += 1
    fhead = 0
    tail = 1
    head = 0
    while head < tail:
        if fhead < ftail and ftail - fhead < tail - head:
            u = fqueue[fhead]
            fhead += 1
            for e in range(findptr[u], findptr[u + 1]):  # the coin first: it reads no node array
                v = findices[e]
                if _coin(key, e) < _arc_p(p, mode, rprobs, fprob, v, e) and fseen[v] != mark:
                    if seen[v] == mark:
                        return tail, True, ftail
                    fseen[v] = mark
                    fqueue[ftail] = v
                    ftail += 1
            if fhead == ftail and not need_members:
                return tail, False, ftail  # the stop nodes' whole forward reach misses the root
        else:
            v = queue[head]
            head += 1
            for j in range(rindptr[v], rindptr[v + 1]):
                e = rfid[j]
                if _coin(key, e) < _arc_p(p, mode, rprobs, fprob, v, e):
                    u = rindices[j]
                    if seen[u] == mark:
                        continue
                    if fseen[u] == mark:
                        return tail, True, ftail
                    seen[u] = mark
                    queue[tail] = u
                    tail += 1
    return tail, False, ftail


@njit(cache=True, inline="always")
def _append(mem, offs, nm, ns, queue, size):
    """Append ``queue[:size]`` as one more stored set; returns the (possibly grown) buffers and counts."""
    mem = _grow(mem, nm + size)
    mem[nm:nm + size] = queue[:size]
    offs = _grow(offs, ns + 2)
    offs[ns + 1] = nm + size
    return mem, offs, nm + size, ns + 1


@njit(cache=True, nogil=True)
def _chunk(rindptr, rindices, rprobs, logq, p, mode, stop, start, count, base, store,
           meet, rfid, findptr, findices, fprob):
    """RR sets ``start..start+count-1``. Returns (hits, visited, singles, offsets, members): sets that
    reached a stop node are counted in ``hits``; ``store`` 1 keeps the others (one-node sets as
    ``singles[v]``), ``store`` 2 only counts in ``singles[v]`` the sets holding ``v`` (nothing kept).
    ``visited`` sums the nodes discovered (the set sizes; with ``meet`` also the forward search's)."""
    n = rindptr.shape[0] - 1
    tally = store == 2
    singles = np.zeros(n if store else 0, dtype=np.int64)
    seen = np.zeros(n, dtype=np.int64)
    queue = np.empty(n, dtype=np.int32)
    fseen = np.zeros(n if meet else 0, dtype=np.int64)
    fqueue = np.empty(n if meet else 0, dtype=np.int32)
    stop_nodes = np.flatnonzero(stop) if meet else np.zeros(0, dtype=np.int64)
    offs = np.zeros(1024 if store else 1, dtype=np.int64)
    mem = np.empty(4096 if store else 0, dtype=np.int32)
    ns = 0
    nm = 0
    hits = 0
    visited = 0
    for r in range(count):
        st = _stream(base, start + r)
        root = min(int(_uniform(st) * n), n - 1)
        if meet:
            st[0] = st[0] + _GAMMA
            size, hit, fwd = _one_set_meet(rindptr, rindices, rfid, findptr, findices, fprob, rprobs, p, mode,
                                           stop, stop_nodes, root, seen, fseen, r + 1, queue, fqueue,
                                           _mix(st[0]), store != 0)
            visited += fwd
        else:
            size, hit = _one_set(rindptr, rindices, rprobs, logq, p, mode, stop, root, seen, r + 1, queue, st)
        visited += size
        if hit:
            hits += 1
        elif tally:
            for i in range(size):
                singles[queue[i]] += 1
        elif store:
            if size == 1:
                singles[root] += 1
            else:
                mem, offs, nm, ns = _append(mem, offs, nm, ns, queue, size)
    return hits, visited, singles, offs[:ns + 1].copy(), mem[:nm].copy()


_NO_MEET = (np.zeros(0, dtype=np.int64), np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.float64))


def sample(rindptr, rindices, rprobs, logq, p, mode, stop, start, count, base, store, nchunks, meet=None):
    """RR sets ``start..start+count-1`` on ``nchunks`` threads (the kernel releases the GIL).

    ``meet``: None, or ``(rfid, findptr, findices, fprob)`` to search from both ends (IC only; see
    the module notes): the forward arc id of each reverse arc, the forward CSR, and per forward arc
    its probability (read in ``SORTED`` mode only).

    ``stop`` is a uint8 array over nodes (1 = the walk stops there and the set counts as a hit).
    ``store``: 0 count hits only, 1 keep the sets, 2 count per node the sets holding it (returned as
    ``singles``; no set kept). Returns (hits, visited, singles, offsets, members); the answer does
    not depend on ``nchunks``.
    """
    from concurrent.futures import ThreadPoolExecutor

    bounds = [(count * c) // nchunks for c in range(nchunks + 1)]
    jobs = [(start + bounds[c], bounds[c + 1] - bounds[c]) for c in range(nchunks) if bounds[c + 1] > bounds[c]]
    base = np.uint64(base)

    two_sided = meet is not None and mode != LT and bool(stop.any())
    if two_sided:
        rfid, findptr, findices, fprob = meet
    else:
        rfid, findptr, findices, fprob = _NO_MEET

    def run(job):
        return _chunk(rindptr, rindices, rprobs, logq, float(p), mode, stop, job[0], job[1], base, int(store),
                      two_sided, rfid, findptr, findices, fprob)

    if len(jobs) <= 1 or count < 4096:  # threads cost more than they save on a few sets
        parts = [run(job) for job in jobs]
    else:
        with ThreadPoolExecutor(len(jobs)) as pool:
            parts = list(pool.map(run, jobs))
    n = rindptr.shape[0] - 1
    hits = sum(int(part[0]) for part in parts)
    visited = sum(int(part[1]) for part in parts)
    if not store:
        return hits, visited, None, None, None
    if store == 2:
        return hits, visited, sum(part[2] for part in parts), None, None
    singles = np.zeros(n, dtype=np.int64)
    offsets = [np.zeros(1, dtype=np.int64)]
    members = []
    shift = 0
    for _, _, sg, off, mem in parts:
        singles += sg
        offsets.append(off[1:] + shift)
        members.append(mem)
        shift += mem.shape[0]
    members = np.concatenate(members) if members else np.zeros(0, dtype=np.int32)
    return hits, visited, singles, np.concatenate(offsets), members


@njit(cache=True)
def _node_sets(n, offsets, members):
    """The coverage index: sets holding each node, as CSR (``start``, int32 set ids), by counting sort."""
    start = np.zeros(n + 1, dtype=np.int64)
    for v in members:
        start[v + 1] += 1
    start = np.cumsum(start)
    node_sets = np.empty(members.shape[0], dtype=np.int32)
    fill = start[:-1].copy()
    for s in range(offsets.shape[0] - 1):
        for v in members[offsets[s]:offsets[s + 1]]:
            node_sets[fill[v]] = s
            fill[v] += 1
    return start, node_sets


@njit(cache=True)
def greedy_bound(n, singles, offsets, members, k, forced, base_covered):
    """Greedy maximum coverage (Tang et al. 2015's NodeSelection) with the forced picks ``forced``
    first, and OPIM-C's upper bound on the best coverage of any ``k`` nodes (Tang et al. 2018).

    The coverage index (node -> sets, CSR) is built once. Nodes are kept sorted by their current
    coverage with the start of each coverage value's block, so a decrement is one swap and the sum
    of the ``k`` largest coverages is kept exactly as picks are made (the bucket structure of the
    OPIM reference code). ``base_covered`` sets are already covered (they reached a forced node and
    were not stored).

    Returns (picks, gains, bound): ``gains[i]`` stored sets newly covered by pick ``i`` (for forced
    picks the ``base_covered`` sets come on top), ``bound`` the
    minimum over the picks of (covered so far + the ``k`` largest marginal coverages), an upper
    bound on the coverage of ``forced`` ∪ any ``k`` nodes.
    """
    nsets = offsets.shape[0] - 1
    start, node_sets = _node_sets(n, offsets, members)
    cov = singles + np.diff(start)
    covered = np.zeros(nsets, dtype=np.bool_)
    picked = np.zeros(n, dtype=np.bool_)
    kk = min(k, n)
    picks = np.empty(kk, dtype=np.int64)
    gains = np.zeros(kk, dtype=np.int64)
    total = base_covered
    npick = 0
    for f in forced:
        picks[npick] = f
        gains[npick] = cov[f]
        npick += 1
        picked[f] = True
        total += cov[f]
        cov[f] = 0
        for j in range(start[f], start[f + 1]):
            s = node_sets[j]
            if not covered[s]:
                covered[s] = True
                for t in range(offsets[s], offsets[s + 1]):
                    u = members[t]
                    if not picked[u]:
                        cov[u] -= 1
    # the other nodes sorted by coverage, ascending; block of value c starts at pos[c]
    maxc = 0
    for v in range(n):
        if not picked[v] and cov[v] > maxc:
            maxc = cov[v]
    pos = np.zeros(maxc + 2, dtype=np.int64)
    for v in range(n):
        if not picked[v]:
            pos[cov[v] + 1] += 1
    for c in range(maxc + 1):
        pos[c + 1] += pos[c]
    length = pos[maxc + 1]
    order = np.empty(length, dtype=np.int32)
    where = np.full(n, -1, dtype=np.int64)
    put = pos[:-1].copy()
    for v in range(n - 1, -1, -1):  # within a block, lower ids sit last (picked first on ties)
        if not picked[v]:
            order[put[cov[v]]] = v
            where[v] = put[cov[v]]
            put[cov[v]] += 1
    topk = 0
    for i in range(max(length - kk, 0), length):
        topk += cov[order[i]]
    bound = total + topk
    while npick < kk:
        best = order[length - 1]
        length -= 1
        g = cov[best]
        picks[npick] = best
        gains[npick] = g
        npick += 1
        picked[best] = True
        total += g
        topk -= g
        if length - kk >= 0:
            topk += cov[order[length - kk]]
        cov[best] = 0
        for j in range(start[best], start[best + 1]):
            s = node_sets[j]
            if covered[s]:
                continue
            covered[s] = True
            for t in range(offsets[s], offsets[s + 1]):
                u = members[t]
                if picked[u]:
                    continue
                c = cov[u]
                i = where[u]
                first = pos[c]
                w = order[first]
                order[first] = u
                order[i] = w
                where[w] = i
                where[u] = first
                pos[c] += 1
                cov[u] = c - 1
                if first >= length - kk:
                    topk -= 1
        if total + topk < bound:
            bound = total + topk
    return picks, gains, bound


@njit(cache=True)
def cover_counts(n, singles, offsets, members, seeds):
    """Number of stored sets (and one-node sets) holding at least one of ``seeds``."""
    mark = np.zeros(n, dtype=np.bool_)
    for s in seeds:
        mark[s] = True
    total = 0
    for s in seeds:
        total += singles[s]
    for s in range(offsets.shape[0] - 1):
        for j in range(offsets[s], offsets[s + 1]):
            if mark[members[j]]:
                total += 1
                break
    return total
