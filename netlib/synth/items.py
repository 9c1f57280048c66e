"""Step 5 of the generator: items spread by continuous-time independent cascade along the sharing arcs."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from netlib.synth._arrays import _member, _segments, _unique

__all__: list[str] = []

_CHUNK = 1 << 21


def _cascades(rng, n, indptr, arc_dst, arc_p, roots, t0, delay_median, delay_sigma, bar=None):
    """Continuous-time independent cascade of every item at once.

    Returns the adoptions (item, node, time, parent node or -1, depth) and the shares
    (item, src, dst, time, arc).
    """
    n_items = len(roots)
    outdeg = np.diff(indptr)
    visited = np.sort(np.arange(n_items, dtype=np.int64) * n + roots)
    f_item, f_node = np.arange(n_items, dtype=np.int64), roots.astype(np.int64)
    e_item, e_src, e_arc = [], [], []
    first = True
    while len(f_item):
        g_item, g_src, g_arc = [], [], []
        ends = np.cumsum(outdeg[f_node])
        lo = 0
        while lo < len(f_item):  # chunks of about 2M arcs keep memory flat on big frontiers
            hi = max(lo + 1, int(np.searchsorted(ends, (ends[lo - 1] if lo else 0) + _CHUNK, side="right")))
            node = f_node[lo:hi]
            slot, rank = _segments(outdeg[node])
            arc = indptr[node][slot] + rank
            fired = rng.random(len(arc)) < arc_p[arc]
            g_item.append(f_item[lo:hi][slot][fired])
            g_src.append(node[slot][fired])
            g_arc.append(arc[fired])
            lo = hi
        if first:  # every root shares its item with at least one tie
            none = np.flatnonzero(np.bincount(np.concatenate(g_item), minlength=n_items) == 0)
            g_item.append(none)
            g_src.append(roots[none].astype(np.int64))
            g_arc.append(indptr[roots[none]] + (rng.random(len(none)) * outdeg[roots[none]]).astype(np.int64))
            first = False
        item, arc = np.concatenate(g_item), np.concatenate(g_arc)
        e_item.append(item)
        e_src.append(np.concatenate(g_src))
        e_arc.append(arc)
        new = _unique(item * n + arc_dst[arc])
        new = new[~_member(new, visited)]
        visited = np.sort(np.concatenate([visited, new]))
        f_item, f_node = new // n, new % n
        if bar is not None:
            bar.set_postfix_str(f"{len(visited):,} adoptions")
    item = np.concatenate(e_item)
    src = np.concatenate(e_src)
    arc = np.concatenate(e_arc)
    dst = arc_dst[arc]

    # delays: log-normal, whole seconds >= 1; each root's first share happens at t0 (delay 0)
    delay = np.maximum(np.ceil(rng.lognormal(np.log(delay_median), delay_sigma, len(arc))), 1).astype(np.int64)
    from_root = src == roots[item]
    first_root = np.full(n_items, np.iinfo(np.int64).max)
    np.minimum.at(first_root, item[from_root], delay[from_root])
    delay[from_root] -= first_root[item[from_root]]

    # adoption times: shortest paths from the root through the fired arcs (Bellman-Ford, vectorised)
    si = np.searchsorted(visited, item * n + src)
    di = np.searchsorted(visited, item * n + dst)
    order = np.argsort(di, kind="stable")
    si, di, delay, item, src, dst, arc = si[order], di[order], delay[order], item[order], src[order], dst[order], arc[order]
    heads = np.flatnonzero(np.r_[True, di[1:] != di[:-1]])
    targets = di[heads]
    big = np.iinfo(np.int64).max // 4
    t = np.full(len(visited), big, dtype=np.int64)
    root_idx = np.searchsorted(visited, np.arange(n_items, dtype=np.int64) * n + roots)
    t[root_idx] = t0
    while True:
        arrive = np.minimum.reduceat(t[si] + delay, heads)
        better = arrive < t[targets]
        if not better.any():
            break
        t[targets[better]] = arrive[better]
    when = t[si] + delay

    # parent: the sender of the earliest share (lowest sender id on a tie); other same-second copies dropped
    at_first = when == t[di]
    is_root = np.zeros(len(visited), dtype=bool)
    is_root[root_idx] = True
    at_first[is_root[di]] = False  # nothing reaches a root before its own first share
    cand = np.flatnonzero(at_first)
    cand = cand[np.lexsort((src[cand], di[cand]))]
    winner = cand[np.r_[True, di[cand][1:] != di[cand][:-1]]] if len(cand) else cand
    keep = ~at_first
    keep[winner] = True
    parent = np.full(len(visited), -1, dtype=np.int64)
    parent[di[winner]] = si[winner]

    depth = np.zeros(len(visited), dtype=np.int64)
    up = parent.copy()
    while (up >= 0).any():
        has = up >= 0
        depth[has] += 1
        up[has] = parent[up[has]]
    adopt = (visited // n, visited % n, t, np.where(parent >= 0, visited[np.maximum(parent, 0)] % n, -1), depth)
    shares = (item[keep], src[keep], dst[keep], when[keep], arc[keep])
    return adopt, shares


def items(w: SimpleNamespace, rng: np.random.Generator, bar=None) -> None:
    """Step 5: item roots drawn by activity x connect share, then every item's cascade at once."""
    n, window = w.n, w.window
    w_root = w.activity * w.profile[:, 3] * (w.outdeg > 0)
    if w.n_items and w_root.sum() > 0:
        w.roots = rng.choice(n, size=w.n_items, p=w_root / w_root.sum())
        t0 = rng.integers(0, int(window * 0.9), w.n_items)
        w.adopt, w.shares = _cascades(rng, n, w.indptr, w.arc_dst, w.arc_p, w.roots, t0,
                                      w.delay_median_hours * 3600.0, 1.2, bar)
    else:
        w.n_items = 0
        w.roots = None
        empty = np.zeros(0, np.int64)
        w.adopt, w.shares = (empty,) * 5, (empty,) * 5
