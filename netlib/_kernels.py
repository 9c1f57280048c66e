"""Compiled kernels on CSR arrays: diffusion simulation, reverse-reachable sets, path counts, cascade
forests and time-respecting paths. Private.

Everything here works on the arrays of :class:`netlib._csr.CSRGraph` (``indptr``, ``indices``,
positions ``0..n-1``) or on plain int arrays, and is compiled with numba (``cache=True``). Callers in
``_spread``, ``influence``, ``centrality`` and ``cascades`` validate arguments; kernels trust them.
Callers import this module lazily (``netlib._util.lazy_module``), so numba loads on first use.

Randomness: kernels never use numba's global generator. Each Monte-Carlo run (or each
reverse-reachable set) ``r`` draws from its own splitmix64 stream started at ``mix(base ^ mix(r))``,
so results depend only on ``base`` and ``r`` — not on how runs are split across threads.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange

__all__ = [
    "sim_runs", "reach_counts", "IC_UNIFORM", "IC_ARCS", "LT", "SIR", "BASS", "rr_sets_ic", "rr_sets_lt", "greedy_cover",
    "betweenness_exact", "betweenness_sample", "closeness_bfs", "core_number", "clustering",
    "voterank", "two_hop_reach", "eccentricity_bound", "num_threads",
    "subtree_sizes", "foremost_arrival", "temporal_reach_all", "static_reach_all",
]

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


def num_threads() -> int:
    """Threads numba runs parallel loops on (work is split into this many chunks)."""
    return int(numba.get_num_threads())


# --------------------------------------------------------------------------- random numbers
@njit(cache=True, inline="always")
def _mix(z):
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True, inline="always")
def _stream(base, r):
    """Start state of stream ``r`` (a uint64 array of one element)."""
    st = np.empty(1, dtype=np.uint64)
    st[0] = _mix(np.uint64(base) ^ _mix(np.uint64(r) + _GAMMA))
    return st


@njit(cache=True, inline="always")
def _uniform(st):
    """A float in [0, 1) from the splitmix64 stream ``st``."""
    st[0] = st[0] + _GAMMA
    return float(_mix(st[0]) >> _S11) * _TO_UNIT


@njit(cache=True, inline="always")
def _skip(st, log_q):
    """Number of failures before the next success of a Bernoulli(p) sequence; ``log_q = log(1-p)``."""
    u = 1.0 - _uniform(st)  # in (0, 1]
    g = np.log(u) / log_q
    if g > 4.0e18:
        return 4000000000000000000
    return int(g)


@njit(cache=True)
def _chunks(total, nchunks):
    bounds = np.empty(nchunks + 1, dtype=np.int64)
    for c in range(nchunks + 1):
        bounds[c] = (total * c) // nchunks
    return bounds


# --------------------------------------------------------------------------- independent cascade
@njit(cache=True, inline="always")
def _live_arcs(indptr, indices, probs, p, uniform, log_q, u, stamp, mark, queue, tail, st):
    """Try every out-arc of ``u`` once (each live with probability ``p``, or ``probs[e]`` when not
    ``uniform``); unmarked heads of live arcs are marked and appended to ``queue``. Returns the new
    tail. Uniform ``p`` uses geometric skipping: one draw per live arc instead of one per arc."""
    lo = indptr[u]
    hi = indptr[u + 1]
    if uniform:
        if p >= 1.0:
            for e in range(lo, hi):
                v = indices[e]
                if stamp[v] != mark:
                    stamp[v] = mark
                    queue[tail] = v
                    tail += 1
        elif p > 0.0:
            e = lo + _skip(st, log_q)
            while e < hi:
                v = indices[e]
                if stamp[v] != mark:
                    stamp[v] = mark
                    queue[tail] = v
                    tail += 1
                e += 1 + _skip(st, log_q)
    else:
        for e in range(lo, hi):
            v = indices[e]
            if stamp[v] != mark and _uniform(st) < probs[e]:
                stamp[v] = mark
                queue[tail] = v
                tail += 1
    return tail


@njit(cache=True)
def _ic_one(indptr, indices, probs, p, uniform, seeds, active, mark, queue, st, curve, rounds):
    """One IC run (Kempe et al. 2003) of at most ``rounds`` rounds. Returns the number of active
    nodes at the end; ``queue[:size]`` holds them in activation order.

    With a uniform ``p`` the live out-edges of each newly active node are found by geometric
    skipping (one draw per live edge); otherwise one uniform draw per edge against ``probs``.
    """
    ncurve = curve.shape[0]
    tail = 0
    for s in seeds:
        active[s] = mark
        queue[tail] = s
        tail += 1
    curve[0] += tail
    head = 0
    step = 0
    log_q = np.log1p(-p) if (uniform and p < 1.0) else 0.0
    while head < tail and step < rounds:
        level_end = tail
        step += 1
        while head < level_end:
            u = queue[head]
            head += 1
            tail = _live_arcs(indptr, indices, probs, p, uniform, log_q, u, active, mark, queue, tail, st)
        if tail > level_end:
            curve[min(step, ncurve - 1)] += tail - level_end
    return tail


# --------------------------------------------------------------------------- linear threshold
@njit(cache=True, inline="always")
def _lt_push(indptr, indices, bw, u, active, seen, acc, theta, mark, queue, tail, st):
    """Newly active ``u`` adds ``bw[e]`` to each inactive out-neighbour; those whose accumulated weight
    reaches their threshold (drawn U(0,1] on first contact) become active. Returns the new tail."""
    for e in range(indptr[u], indptr[u + 1]):
        v = indices[e]
        if active[v] == mark:
            continue
        if seen[v] != mark:
            seen[v] = mark
            acc[v] = 0.0
            theta[v] = 1.0 - _uniform(st)
        acc[v] += bw[e]
        if acc[v] >= theta[v]:
            active[v] = mark
            queue[tail] = v
            tail += 1
    return tail


@njit(cache=True)
def _lt_one(indptr, indices, bw, seeds, active, seen, acc, theta, mark, queue, st, curve):
    """One LT run (Kempe et al. 2003): thresholds U(0,1], drawn when a node is first influenced."""
    ncurve = curve.shape[0]
    tail = 0
    for s in seeds:
        active[s] = mark
        queue[tail] = s
        tail += 1
    curve[0] += tail
    head = 0
    step = 0
    while head < tail:
        level_end = tail
        step += 1
        while head < level_end:
            u = queue[head]
            head += 1
            tail = _lt_push(indptr, indices, bw, u, active, seen, acc, theta, mark, queue, tail, st)
        if tail > level_end:
            curve[min(step, ncurve - 1)] += tail - level_end
    return tail


# --------------------------------------------------------------------------- SIR
@njit(cache=True)
def _sir_one(indptr, indices, beta, gamma, seeds, ever, mark, cur, nxt, st, curve):
    """One discrete-time SIR run: each step every infected node infects each susceptible
    out-neighbour with probability ``beta``, then recovers with probability ``gamma``."""
    probs = np.zeros(1)  # unused: SIR has one beta for every arc
    ncurve = curve.shape[0]
    ninf = 0
    for s in seeds:
        ever[s] = mark
        cur[ninf] = s
        ninf += 1
    total = ninf
    curve[0] += ninf
    log_q = np.log1p(-beta) if beta < 1.0 else 0.0
    step = 0
    while ninf > 0:
        step += 1
        nnew = 0
        for i in range(ninf):
            nnew = _live_arcs(indptr, indices, probs, beta, True, log_q, cur[i], ever, mark, nxt, nnew, st)
        # recoveries, keeping the still-infected at the front of cur
        keep = 0
        for i in range(ninf):
            if _uniform(st) >= gamma:
                cur[keep] = cur[i]
                keep += 1
        for j in range(nnew):
            cur[keep + j] = nxt[j]
        ninf = keep + nnew
        total += nnew
        if nnew > 0:
            curve[min(step, ncurve - 1)] += nnew
    return total


# --------------------------------------------------------------------------- Bass on a network
@njit(cache=True)
def _bass_one(indptr, indices, indeg, p, q, steps, seeds, adopted, mark, cnt, newly, st, curve):
    """One run of the network Bass model: a non-adopter adopts in a step with probability
    ``min(1, p + q * adopted_in_neighbours / in_degree)`` (Bass 1969, on a network)."""
    n = indptr.shape[0] - 1
    ncurve = curve.shape[0]
    cnt[:] = 0
    total = 0
    for s in seeds:
        if adopted[s] != mark:
            adopted[s] = mark
            total += 1
            for e in range(indptr[s], indptr[s + 1]):
                cnt[indices[e]] += 1
    curve[0] += total
    for step in range(1, steps + 1):
        nnew = 0
        for v in range(n):
            if adopted[v] == mark:
                continue
            h = p
            if indeg[v] > 0:
                h += q * cnt[v] / indeg[v]
            if _uniform(st) < h:
                newly[nnew] = v
                nnew += 1
        for j in range(nnew):
            u = newly[j]
            adopted[u] = mark
            for e in range(indptr[u], indptr[u + 1]):
                cnt[indices[e]] += 1
        total += nnew
        if nnew > 0:
            curve[min(step, ncurve - 1)] += nnew
        if total == n:
            break
    return total


# --------------------------------------------------------------------------- one driver for all models
IC_UNIFORM, IC_ARCS, LT, SIR, BASS = 0, 1, 2, 3, 4


@njit(cache=True, parallel=True)
def sim_runs(model, indptr, indices, arcs, indeg, a, b, steps, seeds, run_start, nruns, base, ncurve,
             nchunks):
    """``nruns`` runs of ``model`` numbered ``run_start..``, split into ``nchunks`` parallel chunks.

    IC_UNIFORM: p = ``a``; IC_ARCS: p = ``arcs[e]``; LT: weights ``arcs``; SIR: beta ``a``, gamma ``b``;
    BASS: p ``a``, q ``b``, ``steps`` steps, in-degrees ``indeg``.
    Returns (final sizes, new adopters per step summed over runs; later steps in the last cell).
    """
    n = indptr.shape[0] - 1
    sizes = np.zeros(nruns, dtype=np.int64)
    curves = np.zeros((nchunks, ncurve), dtype=np.int64)
    bounds = _chunks(nruns, nchunks)
    for c in prange(nchunks):
        stamp = np.zeros(n, dtype=np.int64)
        stamp2 = np.zeros(n, dtype=np.int64)
        acc = np.zeros(n, dtype=np.float64)
        theta = np.zeros(n, dtype=np.float64)
        queue = np.empty(n, dtype=np.int32)
        queue2 = np.empty(n, dtype=np.int32)
        for r in range(bounds[c], bounds[c + 1]):
            st = _stream(base, run_start + r)
            mark = r + 1
            if model == IC_UNIFORM or model == IC_ARCS:
                size = _ic_one(indptr, indices, arcs, a, model == IC_UNIFORM, seeds, stamp, mark, queue,
                               st, curves[c], n)
            elif model == LT:
                size = _lt_one(indptr, indices, arcs, seeds, stamp, stamp2, acc, theta, mark, queue, st,
                               curves[c])
            elif model == SIR:
                size = _sir_one(indptr, indices, a, b, seeds, stamp, mark, queue, queue2, st, curves[c])
            else:
                size = _bass_one(indptr, indices, indeg, a, b, steps, seeds, stamp, mark, stamp2, queue,
                                 st, curves[c])
            sizes[r] = size
    return sizes, curves.sum(axis=0)


@njit(cache=True, parallel=True)
def reach_counts(model, indptr, indices, arcs, a, seeds, rounds, run_start, nruns, base, nchunks):
    """Per-node count of the IC runs in which the node is active after ``rounds`` rounds.

    The hop-limited form of :func:`sim_runs` for IC_UNIFORM / IC_ARCS: the same runs (same streams
    ``_stream(base, run_start + r)``, same draws), stopped after ``rounds`` rounds; with ``rounds``
    >= n the counts sum to the sizes :func:`sim_runs` returns for the same ``base``.
    """
    n = indptr.shape[0] - 1
    hits = np.zeros((nchunks, n), dtype=np.int64)
    bounds = _chunks(nruns, nchunks)
    for c in prange(nchunks):
        stamp = np.zeros(n, dtype=np.int64)
        queue = np.empty(n, dtype=np.int32)
        curve = np.zeros(1, dtype=np.int64)
        for r in range(bounds[c], bounds[c + 1]):
            st = _stream(base, run_start + r)
            size = _ic_one(indptr, indices, arcs, a, model == IC_UNIFORM, seeds, stamp, r + 1, queue, st,
                           curve, rounds)
            for i in range(size):
                hits[c, queue[i]] += 1
    return hits.sum(axis=0)


# --------------------------------------------------------------------------- reverse-reachable sets
@njit(cache=True)
def _grow(buf, need):
    if need <= buf.shape[0]:
        return buf
    size = max(need, 2 * buf.shape[0])
    out = np.empty(size, dtype=buf.dtype)
    out[:buf.shape[0]] = buf
    return out


@njit(cache=True)
def _rr_ic_one(rindptr, rindices, rprobs, p, uniform, root, seen, mark, queue, st):
    """Reverse BFS from ``root`` over live in-arcs; returns the set size (nodes in queue[:size])."""
    seen[root] = mark
    queue[0] = root
    tail = 1
    head = 0
    log_q = np.log1p(-p) if (uniform and p < 1.0) else 0.0
    while head < tail:
        v = queue[head]
        head += 1
        tail = _live_arcs(rindptr, rindices, rprobs, p, uniform, log_q, v, seen, mark, queue, tail, st)
    return tail


@njit(cache=True)
def _rr_lt_one(rindptr, rindices, rcum, root, seen, mark, queue, st):
    """Reverse random walk for LT (Kempe et al. 2003 live-edge form): each node keeps at most one
    in-arc, arc ``e`` with probability equal to its weight; stop at a visited node or none kept."""
    seen[root] = mark
    queue[0] = root
    tail = 1
    v = root
    while True:
        lo = rindptr[v]
        hi = rindptr[v + 1]
        if lo == hi:
            break
        x = _uniform(st)
        if x >= rcum[hi - 1]:
            break
        a = lo
        b = hi - 1
        while a < b:  # first e with rcum[e] > x
            mid = (a + b) // 2
            if rcum[mid] > x:
                b = mid
            else:
                a = mid + 1
        u = rindices[a]
        if seen[u] == mark:
            break
        seen[u] = mark
        queue[tail] = u
        tail += 1
        v = u
    return tail


@njit(cache=True, nogil=True)
def _rr_chunk(rindptr, rindices, wts, p, mode, start, count, base):
    """RR sets numbered ``start..start+count-1``. mode 0: IC uniform p, 1: IC per-arc, 2: LT.

    Returns (singles, offsets, members): ``singles[v]`` counts sets that are just ``{v}``;
    the other sets are ``members[offsets[i]:offsets[i+1]]``, in set-number order.
    """
    n = rindptr.shape[0] - 1
    singles = np.zeros(n, dtype=np.int64)
    seen = np.zeros(n, dtype=np.int64)
    queue = np.empty(n, dtype=np.int32)
    offs = np.zeros(1024, dtype=np.int64)
    mem = np.empty(4096, dtype=np.int32)
    ns = 0
    nm = 0
    for r in range(count):
        st = _stream(base, start + r)
        root = min(int(_uniform(st) * n), n - 1)
        if mode == 2:
            size = _rr_lt_one(rindptr, rindices, wts, root, seen, r + 1, queue, st)
        else:
            size = _rr_ic_one(rindptr, rindices, wts, p, mode == 0, root, seen, r + 1, queue, st)
        if size == 1:
            singles[root] += 1
        else:
            mem = _grow(mem, nm + size)
            mem[nm:nm + size] = queue[:size]
            nm += size
            offs = _grow(offs, ns + 2)
            ns += 1
            offs[ns] = nm
    return singles, offs[:ns + 1].copy(), mem[:nm].copy()


def _rr_sets(rindptr, rindices, wts, p, mode, start, count, base, nchunks):
    """Split ``count`` sets into ``nchunks`` contiguous ranges run on threads (the kernel releases
    the GIL); the answer does not depend on ``nchunks``."""
    from concurrent.futures import ThreadPoolExecutor

    bounds = [(count * c) // nchunks for c in range(nchunks + 1)]
    jobs = [(start + bounds[c], bounds[c + 1] - bounds[c]) for c in range(nchunks) if bounds[c + 1] > bounds[c]]
    base = np.uint64(base)
    if len(jobs) <= 1:
        parts = [_rr_chunk(rindptr, rindices, wts, p, mode, s, c, base) for s, c in jobs]
    else:
        with ThreadPoolExecutor(len(jobs)) as pool:
            parts = list(pool.map(lambda job: _rr_chunk(rindptr, rindices, wts, p, mode, job[0], job[1], base),
                                  jobs))
    n = rindptr.shape[0] - 1
    singles = np.zeros(n, dtype=np.int64)
    offsets = [np.zeros(1, dtype=np.int64)]
    members = []
    shift = 0
    for sg, off, mem in parts:
        singles += sg
        offsets.append(off[1:] + shift)
        members.append(mem)
        shift += mem.shape[0]
    members = np.concatenate(members) if members else np.zeros(0, dtype=np.int32)
    return singles, np.concatenate(offsets), members


def rr_sets_ic(rindptr, rindices, rprobs, p, uniform, start, count, base, nchunks):
    """Reverse-reachable sets for IC (Borgs et al. 2014): reverse BFS over live in-arcs."""
    mode = 0 if uniform else 1
    probs = rprobs if not uniform else np.zeros(1, dtype=np.float64)
    return _rr_sets(rindptr, rindices, probs, float(p), mode, int(start), int(count), base, nchunks)


def rr_sets_lt(rindptr, rindices, rcum, start, count, base, nchunks):
    """Reverse-reachable sets for LT: reverse random walks (``rcum`` = per-node cumulative in-weights)."""
    return _rr_sets(rindptr, rindices, rcum, 0.0, 2, int(start), int(count), base, nchunks)


@njit(cache=True)
def greedy_cover(n, singles, offsets, members, k):
    """Greedy maximum coverage of RR sets (the NodeSelection step of Tang et al. 2015).

    Returns (picks, gains): ``gains[i]`` is the number of sets newly covered by pick ``i``.
    Ties go to the lowest position, so the result is deterministic.
    """
    nsets = offsets.shape[0] - 1
    cov = singles.copy()
    # node -> sets index
    deg = np.zeros(n + 1, dtype=np.int64)
    for j in range(members.shape[0]):
        deg[members[j] + 1] += 1
    for v in range(n):
        deg[v + 1] += deg[v]
    node_sets = np.empty(members.shape[0], dtype=np.int64)
    fill = deg[:-1].copy()
    for s in range(nsets):
        for j in range(offsets[s], offsets[s + 1]):
            v = members[j]
            node_sets[fill[v]] = s
            fill[v] += 1
            cov[v] += 1
    covered = np.zeros(nsets, dtype=np.bool_)
    picked = np.zeros(n, dtype=np.bool_)
    kk = min(k, n)
    picks = np.empty(kk, dtype=np.int64)
    gains = np.zeros(kk, dtype=np.int64)
    for i in range(kk):
        best = -1
        bestc = -1
        for v in range(n):
            if not picked[v] and cov[v] > bestc:
                best = v
                bestc = cov[v]
        picks[i] = best
        gains[i] = bestc
        picked[best] = True
        cov[best] = 0
        for j in range(deg[best], deg[best + 1]):
            s = node_sets[j]
            if covered[s]:
                continue
            covered[s] = True
            for t in range(offsets[s], offsets[s + 1]):
                cov[members[t]] -= 1
        cov[best] = 0
    return picks, gains


# --------------------------------------------------------------------------- shortest paths
@njit(cache=True)
def _bfs_dist(indptr, indices, s, dist, order):
    """BFS distances from ``s`` (-1 = unreachable); returns the number of nodes reached."""
    n = indptr.shape[0] - 1
    for i in range(n):
        dist[i] = -1
    dist[s] = 0
    order[0] = s
    tail = 1
    head = 0
    while head < tail:
        v = order[head]
        head += 1
        for e in range(indptr[v], indptr[v + 1]):
            w = indices[e]
            if dist[w] < 0:
                dist[w] = dist[v] + 1
                order[tail] = w
                tail += 1
    return tail


@njit(cache=True)
def _brandes_source(indptr, indices, s, dist, sigma, delta, order, bc):
    """Add the dependencies of source ``s`` to ``bc`` (Brandes 2001)."""
    n = indptr.shape[0] - 1
    tail = _bfs_dist(indptr, indices, s, dist, order)
    for i in range(n):
        sigma[i] = 0.0
        delta[i] = 0.0
    sigma[s] = 1.0
    for i in range(tail):  # path counts in BFS order
        v = order[i]
        for e in range(indptr[v], indptr[v + 1]):
            w = indices[e]
            if dist[w] == dist[v] + 1:
                sigma[w] += sigma[v]
    for i in range(tail - 1, 0, -1):
        w = order[i]
        for e in range(indptr[w], indptr[w + 1]):
            x = indices[e]
            if dist[x] == dist[w] + 1:
                delta[w] += sigma[w] / sigma[x] * (1.0 + delta[x])
        bc[w] += delta[w]


@njit(cache=True, parallel=True)
def betweenness_exact(indptr, indices, nchunks):
    """Unnormalised betweenness over ordered pairs (Brandes 2001), unweighted (hop) distances."""
    n = indptr.shape[0] - 1
    parts = np.zeros((nchunks, n), dtype=np.float64)
    bounds = _chunks(n, nchunks)
    for c in prange(nchunks):
        dist = np.empty(n, dtype=np.int64)
        sigma = np.empty(n, dtype=np.float64)
        delta = np.empty(n, dtype=np.float64)
        order = np.empty(n, dtype=np.int64)
        for s in range(bounds[c], bounds[c + 1]):
            _brandes_source(indptr, indices, s, dist, sigma, delta, order, parts[c])
    return parts.sum(axis=0)


@njit(cache=True)
def _expand(indptr, indices, front, nfront, dist, sigma, stamp, mark, nxt):
    """Expand one BFS level; returns the size of the next frontier (written into nxt)."""
    nn = 0
    for i in range(nfront):
        v = front[i]
        dv = dist[v]
        for e in range(indptr[v], indptr[v + 1]):
            w = indices[e]
            if stamp[w] != mark:
                stamp[w] = mark
                dist[w] = dv + 1
                sigma[w] = sigma[v]
                nxt[nn] = w
                nn += 1
            elif dist[w] == dv + 1:
                sigma[w] += sigma[v]
    return nn


@njit(cache=True)
def _frontier_cost(indptr, front, nfront):
    c = 0
    for i in range(nfront):
        v = front[i]
        c += indptr[v + 1] - indptr[v]
    return c


@njit(cache=True)
def _walk_back(indptr, indices, v, dist, sigma, stamp, mark, st, bc, target):
    """From ``v`` step to a predecessor (one hop closer to the BFS origin) chosen in proportion to
    its path count, crediting every node passed except the origin; stops at the origin."""
    while dist[v] > 0:
        x = _uniform(st) * sigma[v]
        acc = 0.0
        nxt = -1
        for e in range(indptr[v], indptr[v + 1]):
            u = indices[e]
            if stamp[u] == mark and dist[u] == dist[v] - 1:
                acc += sigma[u]
                nxt = u
                if acc > x:
                    break
        v = nxt
        if v != target:
            bc[v] += 1.0


@njit(cache=True)
def _bb_sample(indptr, indices, rindptr, rindices, s, t, st, ds, ss, stps, dt, stt, stpt, mark,
               fs, fs2, ft, ft2, bc):
    """One balanced bidirectional BFS between ``s`` and ``t`` (Borassi & Natale 2016); if ``t`` is
    reachable, pick one shortest path uniformly at random and credit its inner nodes."""
    stps[s] = mark
    ds[s] = 0
    ss[s] = 1.0
    stpt[t] = mark
    dt[t] = 0
    stt[t] = 1.0
    fs[0] = s
    nfs = 1
    ft[0] = t
    nft = 1
    while nfs > 0 and nft > 0:
        if _frontier_cost(indptr, fs, nfs) <= _frontier_cost(rindptr, ft, nft):
            nn = _expand(indptr, indices, fs, nfs, ds, ss, stps, mark, fs2)
            fs, fs2 = fs2, fs
            nfs = nn
            front = fs
            nfront = nfs
        else:
            nn = _expand(rindptr, rindices, ft, nft, dt, stt, stpt, mark, ft2)
            ft, ft2 = ft2, ft
            nft = nn
            front = ft
            nfront = nft
        # meeting nodes: in the new frontier and reached from the other side
        best = 1 << 60
        total = 0.0
        for i in range(nfront):
            v = front[i]
            if stps[v] == mark and stpt[v] == mark:
                L = ds[v] + dt[v]
                if L < best:
                    best = L
                    total = ss[v] * stt[v]
                elif L == best:
                    total += ss[v] * stt[v]
        if total > 0.0:
            x = _uniform(st) * total
            acc = 0.0
            mid = -1
            for i in range(nfront):
                v = front[i]
                if stps[v] == mark and stpt[v] == mark and ds[v] + dt[v] == best:
                    acc += ss[v] * stt[v]
                    mid = v
                    if acc > x:
                        break
            if mid != s and mid != t:
                bc[mid] += 1.0
            # toward s over in-arcs (predecessors in the forward BFS), toward t over out-arcs
            _walk_back(rindptr, rindices, mid, ds, ss, stps, mark, st, bc, s)
            _walk_back(indptr, indices, mid, dt, stt, stpt, mark, st, bc, t)
            return


@njit(cache=True, parallel=True)
def betweenness_sample(indptr, indices, rindptr, rindices, nsamples, base, nchunks):
    """Riondato & Kornaropoulos (2016) sampling: for each of ``nsamples`` uniform ordered pairs
    (s, t), s ≠ t, credit the inner nodes of one uniformly chosen shortest s→t path.

    Returns counts; ``counts / nsamples`` estimates betweenness normalised by ``n (n - 1)``.
    """
    n = indptr.shape[0] - 1
    parts = np.zeros((nchunks, n), dtype=np.float64)
    bounds = _chunks(nsamples, nchunks)
    for c in prange(nchunks):
        ds = np.zeros(n, dtype=np.int64)
        dt = np.zeros(n, dtype=np.int64)
        ss = np.zeros(n, dtype=np.float64)
        stt = np.zeros(n, dtype=np.float64)
        stps = np.zeros(n, dtype=np.int64)
        stpt = np.zeros(n, dtype=np.int64)
        fs = np.empty(n, dtype=np.int64)
        fs2 = np.empty(n, dtype=np.int64)
        ft = np.empty(n, dtype=np.int64)
        ft2 = np.empty(n, dtype=np.int64)
        for r in range(bounds[c], bounds[c + 1]):
            st = _stream(base, r)
            s = min(int(_uniform(st) * n), n - 1)
            t = min(int(_uniform(st) * (n - 1)), n - 2)
            if t >= s:
                t += 1
            _bb_sample(indptr, indices, rindptr, rindices, s, t, st, ds, ss, stps, dt, stt, stpt,
                       r + 1, fs, fs2, ft, ft2, parts[c])
    return parts.sum(axis=0)


@njit(cache=True, parallel=True)
def closeness_bfs(indptr, indices, sources, nchunks):
    """BFS from each source; returns per node (sum of distances from the sources that reach it,
    number of those sources other than itself)."""
    n = indptr.shape[0] - 1
    k = sources.shape[0]
    dsum = np.zeros((nchunks, n), dtype=np.float64)
    dcnt = np.zeros((nchunks, n), dtype=np.int64)
    bounds = _chunks(k, nchunks)
    for c in prange(nchunks):
        dist = np.empty(n, dtype=np.int64)
        order = np.empty(n, dtype=np.int64)
        for i in range(bounds[c], bounds[c + 1]):
            s = sources[i]
            reached = _bfs_dist(indptr, indices, s, dist, order)
            for j in range(1, reached):
                v = order[j]
                dsum[c, v] += dist[v]
                dcnt[c, v] += 1
    return dsum.sum(axis=0), dcnt.sum(axis=0)


@njit(cache=True)
def eccentricity_bound(indptr, indices):
    """Upper bound on the vertex diameter (nodes on a longest shortest path) of an undirected graph:
    per component, 2 × (eccentricity of its first node) + 1 (Riondato & Kornaropoulos 2016, §5)."""
    n = indptr.shape[0] - 1
    comp = np.full(n, -1, dtype=np.int64)
    dist = np.empty(n, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    best = 1
    for s in range(n):
        if comp[s] >= 0:
            continue
        reached = _bfs_dist(indptr, indices, s, dist, order)
        ecc = 0
        for j in range(reached):
            v = order[j]
            comp[v] = s
            if dist[v] > ecc:
                ecc = dist[v]
        best = max(best, 2 * ecc + 1)
    return best


# --------------------------------------------------------------------------- local structure
@njit(cache=True)
def core_number(indptr, indices, deg):
    """k-core number of every node (Batagelj & Zaversnik 2003) on the multigraph given by
    ``indptr/indices`` whose node degrees are ``deg``."""
    n = deg.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    md = 0
    for v in range(n):
        if deg[v] > md:
            md = deg[v]
    d = deg.copy()
    binstart = np.zeros(md + 1, dtype=np.int64)
    for v in range(n):
        binstart[d[v]] += 1
    start = 0
    for k in range(md + 1):
        num = binstart[k]
        binstart[k] = start
        start += num
    pos = np.empty(n, dtype=np.int64)
    vert = np.empty(n, dtype=np.int64)
    for v in range(n):
        pos[v] = binstart[d[v]]
        vert[pos[v]] = v
        binstart[d[v]] += 1
    for k in range(md, 0, -1):
        binstart[k] = binstart[k - 1]
    binstart[0] = 0
    for i in range(n):
        v = vert[i]
        for e in range(indptr[v], indptr[v + 1]):
            u = indices[e]
            if d[u] > d[v]:
                du = d[u]
                pu = pos[u]
                pw = binstart[du]
                w = vert[pw]
                if u != w:
                    pos[u] = pw
                    vert[pu] = w
                    pos[w] = pu
                    vert[pw] = u
                binstart[du] += 1
                d[u] -= 1
    return d


@njit(cache=True, parallel=True)
def clustering(indptr, indices, nchunks):
    """Local clustering coefficient of a simple undirected graph (sorted, duplicate-free adjacency)."""
    n = indptr.shape[0] - 1
    out = np.zeros(n, dtype=np.float64)
    bounds = _chunks(n, nchunks)
    for c in prange(nchunks):
        mark = np.full(n, -1, dtype=np.int64)
        for v in range(bounds[c], bounds[c + 1]):
            d = indptr[v + 1] - indptr[v]
            if d < 2:
                continue
            for e in range(indptr[v], indptr[v + 1]):
                mark[indices[e]] = v
            tri = 0
            for e in range(indptr[v], indptr[v + 1]):
                u = indices[e]
                for f in range(indptr[u], indptr[u + 1]):
                    if mark[indices[f]] == v:
                        tri += 1
            out[v] = tri / (d * (d - 1.0))
    return out


@njit(cache=True)
def voterank(indptr, indices, rindptr, rindices, avg_degree, limit):
    """VoteRank (Zhang et al. 2016), following networkx's conventions: a node's score is the sum of
    the voting abilities of its out-neighbours (all neighbours when undirected); the elected node
    stops voting and its out-neighbours (all neighbours) lose ``1/avg_degree`` of ability.

    Returns the elected positions in order (stops early when the best score is 0).
    """
    n = indptr.shape[0] - 1
    ability = np.ones(n, dtype=np.float64)
    score = np.zeros(n, dtype=np.float64)
    elected = np.zeros(n, dtype=np.bool_)
    order = np.empty(min(limit, n), dtype=np.int64)
    f = 1.0 / avg_degree if avg_degree > 0 else 0.0
    for v in range(n):
        s = 0.0
        for e in range(indptr[v], indptr[v + 1]):
            s += ability[indices[e]]
        score[v] = s
    count = 0
    for _ in range(min(limit, n)):
        best = -1
        bs = 0.0
        for v in range(n):
            if not elected[v] and score[v] > bs + 1e-9:
                bs = score[v]
                best = v
        if best < 0:
            break
        order[count] = best
        count += 1
        elected[best] = True
        # the elected node stops voting: remove its ability from the scores it contributed to
        old = ability[best]
        ability[best] = 0.0
        if old > 0.0:
            for e in range(rindptr[best], rindptr[best + 1]):
                score[rindices[e]] -= old
        for e in range(indptr[best], indptr[best + 1]):
            u = indices[e]
            if u == best:
                continue
            new = max(ability[u] - f, 0.0)
            dlt = ability[u] - new
            if dlt > 0.0:
                ability[u] = new
                for g in range(rindptr[u], rindptr[u + 1]):
                    score[rindices[g]] -= dlt
    return order[:count]


@njit(cache=True, parallel=True)
def two_hop_reach(indptr, indices, nchunks):
    """For every node, how many other nodes lie within 1 and within 2 out-hops."""
    n = indptr.shape[0] - 1
    r1 = np.zeros(n, dtype=np.int64)
    r2 = np.zeros(n, dtype=np.int64)
    bounds = _chunks(n, nchunks)
    for c in prange(nchunks):
        mark = np.full(n, -1, dtype=np.int64)
        for v in range(bounds[c], bounds[c + 1]):
            mark[v] = v
            a = 0
            for e in range(indptr[v], indptr[v + 1]):
                u = indices[e]
                if mark[u] != v:
                    mark[u] = v
                    a += 1
            b = a
            for e in range(indptr[v], indptr[v + 1]):
                u = indices[e]
                for f in range(indptr[u], indptr[u + 1]):
                    w = indices[f]
                    if mark[w] != v:
                        mark[w] = v
                        b += 1
            r1[v] = a
            r2[v] = b
    return r1, r2


# --------------------------------------------------------------------------- cascade forests
@njit(cache=True)
def subtree_sizes(parent, order):
    """Nodes in each node's subtree (itself included) of a parent-pointer forest; ``order`` lists
    the nodes deepest first (children before their parents)."""
    n = parent.shape[0]
    size = np.ones(n, dtype=np.int64)
    for j in range(order.shape[0]):
        v = order[j]
        p = parent[v]
        if p >= 0:
            size[p] += size[v]
    return size


# --------------------------------------------------------------------------- time-respecting paths
@njit(cache=True)
def _scan_contacts(src, dst, t, group_end, arr, via, hops, t0, strict):
    """Foremost arrivals from the customer whose ``arr`` entry is set, in one pass over time-sorted
    contacts (Xuan, Ferreira & Jarry 2003). Contacts before ``t0`` are skipped. When ``strict`` is
    False, each group of equal times is repeated until nothing changes, so chains within one
    instant count."""
    never = np.iinfo(np.int64).max
    n_contacts = src.shape[0]
    i = 0
    while i < n_contacts:
        end = group_end[i]
        changed = True
        while changed:
            changed = False
            for j in range(i, end):
                u = src[j]
                v = dst[j]
                if t[j] < t0 or arr[u] == never or t[j] >= arr[v]:
                    continue
                if (arr[u] < t[j]) if strict else (arr[u] <= t[j]):
                    arr[v] = t[j]
                    via[v] = u
                    hops[v] = hops[u] + 1
                    changed = not strict
        i = end


@njit(cache=True)
def foremost_arrival(src, dst, t, group_end, n, source, t0, strict):
    """Earliest arrival time key, predecessor and hops of every node from ``source`` (-1 hops: never)."""
    arr = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    via = np.full(n, -1, dtype=np.int64)
    hops = np.full(n, -1, dtype=np.int64)
    # the source knows from t0 on, so under the strict rule its own messages at t0 already count
    arr[source] = t0 - 1 if strict and t0 > np.iinfo(np.int64).min else t0
    hops[source] = 0
    _scan_contacts(src, dst, t, group_end, arr, via, hops, t0, strict)
    return arr, via, hops


@njit(cache=True)
def temporal_reach_all(src, dst, t, group_end, n, sources, strict):
    """Number of customers each source reaches through time-respecting chains (all start times)."""
    out = np.zeros(sources.shape[0], dtype=np.int64)
    t0 = np.iinfo(np.int64).min
    for k in range(sources.shape[0]):
        _arr, _, hops = foremost_arrival(src, dst, t, group_end, n, sources[k], t0, strict)
        count = 0
        for v in range(n):
            if hops[v] > 0:
                count += 1
        out[k] = count
    return out


@njit(cache=True)
def static_reach_all(indptr, indices):
    """Number of nodes each node reaches by breadth-first search (itself excluded)."""
    n = indptr.shape[0] - 1
    out = np.zeros(n, dtype=np.int64)
    stamp = np.full(n, -1, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    for s in range(n):
        stamp[s] = s
        queue[0] = s
        head, tail = 0, 1
        while head < tail:
            u = queue[head]
            head += 1
            for e in range(indptr[u], indptr[u + 1]):
                v = indices[e]
                if stamp[v] != s:
                    stamp[v] = s
                    queue[tail] = v
                    tail += 1
        out[s] = tail - 1
    return out
