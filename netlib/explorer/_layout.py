"""The explorer's map: a seeded community-clustered ("group-in-a-box") layout. Private.

Each community is laid out on its own by Fruchterman–Reingold (exact forces up to 100 customers,
the grid variant above), then the communities are placed as discs (area in proportion to their size)
by a Fruchterman–Reingold layout of the community graph (ties between communities, log-weighted),
and pushed apart until no two discs overlap. Customers in components smaller than
:data:`MIN_COMPONENT` (isolates, pairs, triples) are not placed: the page summarises them instead
of strewing them around the map. Every step is seeded: the same call draws the same picture.

Measured at 100,000 customers (bench/bench_explorer.py): whole-graph force layouts (igraph DrL,
networkx spring, ForceAtlas2) take many times longer than laying out communities one by one.

References
----------
T. M. J. Fruchterman, E. M. Reingold, "Graph drawing by force-directed placement",
Software: Practice and Experience 21(11), 1991.
E. M. Rodrigues et al., "Group-in-a-Box layout for multi-faceted analysis of communities",
IEEE SocialCom 2011.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

#: Components with fewer customers than this are summarised, not drawn (unless nothing bigger exists).
MIN_COMPONENT = 4
#: Communities up to this size get the exact Fruchterman–Reingold forces; bigger ones its grid variant.
_EXACT_LIMIT = 100


@dataclass(frozen=True)
class Ties:
    """An undirected, simple, weighted view of a graph, nodes in canonical order."""

    nodes: list
    u: np.ndarray  # int32, u < v
    v: np.ndarray
    w: np.ndarray  # summed weight of both directions

    @property
    def n(self) -> int:
        return len(self.nodes)

    def indptr(self) -> np.ndarray:
        """CSR row pointers over ``u`` (the ties are sorted by ``u``, then ``v``)."""
        ptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.u, minlength=self.n), out=ptr[1:])
        return ptr


def ties(G, weight: str | None = "weight") -> Ties:
    from netlib._csr import to_csr

    c = to_csr(G, weight=weight)
    rows = np.repeat(np.arange(c.n, dtype=np.int64), np.diff(c.indptr))
    cols = c.indices.astype(np.int64)
    lo, hi = np.minimum(rows, cols), np.maximum(rows, cols)
    a = sp.coo_array((c.weights.astype(np.float64), (lo, hi)), shape=(c.n, c.n)).tocsr()
    a.sum_duplicates()  # canonical: rows in order, columns sorted within each row
    # directed arcs u->v and v->u add up; an undirected graph stores each edge in both directions
    w = a.data if c.directed else a.data / 2.0
    u = np.repeat(np.arange(c.n, dtype=np.int32), np.diff(a.indptr))
    return Ties(list(c.nodes), u, a.indices.astype(np.int32), w)


def components(t: Ties) -> tuple[np.ndarray, np.ndarray]:
    """Each customer's connected component (a label) and its size."""
    g = sp.csr_array((np.ones(len(t.u), dtype=np.int8), t.v, t.indptr()), shape=(t.n, t.n))
    _, labels = connected_components(g, directed=False)  # each tie once: undirected reads both ways
    return labels, np.bincount(labels)[labels]


def _local(sub, seed: int) -> np.ndarray:
    """Positions of one community, centred, with radius about 1."""
    n = sub.vcount()
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    from netlib._util import igraph_rng

    with igraph_rng(seed):
        if n <= _EXACT_LIMIT:
            xy = np.asarray(sub.layout_fruchterman_reingold(niter=300, grid=False).coords)
        else:  # the grid variant: repulsion from nearby customers only, linear in n per iteration
            xy = np.asarray(sub.layout_fruchterman_reingold(niter=150, grid=True).coords)
    xy = xy - np.median(xy, axis=0)
    r = np.quantile(np.hypot(xy[:, 0], xy[:, 1]), 0.95)
    return xy / (r if r > 0 else 1.0)


def _separate(centre: np.ndarray, radius: np.ndarray, *, gap: float, rounds: int = 1000, every: int = 10,
              grow: float = 1.05) -> np.ndarray:
    """Push discs apart until none overlap, keeping the arrangement the force layout found.

    Each round moves every overlapping pair apart by half its overlap. Discs packed tighter than
    the plane allows (thousands of communities with a few drawn members each, at a million
    customers) only jostle, so while overlaps remain the whole arrangement also grows by ``grow``
    every ``every`` rounds (on the 1M world: 2,747 discs free of overlap in 196 rounds, 4.9 s,
    where 1,000 rounds without growing left 7,000 overlapping pairs after 27 s).
    """
    from scipy.spatial import cKDTree

    c = centre.copy()
    if len(c) < 2:
        return c
    k = len(c)
    mid = np.average(c, axis=0, weights=radius ** 2)
    reach = 2 * float(radius.max()) + gap
    for r in range(rounds):
        pairs = cKDTree(c).query_pairs(reach, output_type="ndarray")
        if len(pairs) == 0:
            break
        i, j = pairs[:, 0], pairs[:, 1]
        d = c[i] - c[j]
        dist = np.hypot(d[:, 0], d[:, 1])
        over = radius[i] + radius[j] + gap - dist
        hit = over > 0
        if not hit.any():
            break
        i, j, d, dist, over = i[hit], j[hit], d[hit], np.maximum(dist[hit], 1e-9), over[hit]
        # each pair moves apart by the overlap, the smaller disc further
        wi = radius[j] ** 2 / (radius[i] ** 2 + radius[j] ** 2)
        step = ((over + 1e-3 * gap) / dist)[:, None] * d
        move = np.empty_like(c)
        for axis in (0, 1):
            move[:, axis] = (np.bincount(i, step[:, axis] * wi, minlength=k)
                             - np.bincount(j, step[:, axis] * (1 - wi), minlength=k))
        c += 0.5 * move
        if r % every == every - 1:
            c = mid + (c - mid) * grow
    return c


def community_layout(t: Ties, membership: np.ndarray, placed: np.ndarray, *, seed: int) -> np.ndarray:
    """Positions (n × 2, NaN elsewhere) of the customers where ``placed`` is True, grouped by community."""
    import igraph as ig

    from netlib._util import igraph_rng

    xy = np.full((t.n, 2), np.nan)
    idx = np.flatnonzero(placed)
    if len(idx) == 0:
        return xy
    keep = placed[t.u] & placed[t.v]
    u, v, w = t.u[keep], t.v[keep], t.w[keep]
    codes, member = np.unique(membership[idx], return_inverse=True)
    k = len(codes)
    local = np.empty(t.n, dtype=np.int64)
    local[idx] = np.arange(len(idx))
    group = np.full(t.n, -1, dtype=np.int64)
    group[idx] = member
    g = ig.Graph(n=len(idx), edges=np.column_stack([local[u], local[v]]).tolist(), directed=False)
    order = np.argsort(member, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(member, minlength=k))])
    rng = np.random.default_rng(seed)
    seeds = rng.integers(0, 2**31 - 1, size=k)
    pos_local = np.zeros((len(idx), 2))
    for j in range(k):
        members = order[bounds[j]:bounds[j + 1]]
        sub = g.induced_subgraph(members.tolist(), implementation="create_from_scratch")
        pos_local[members] = _local(sub, int(seeds[j]))
    size = np.diff(bounds).astype(float)
    radius = np.sqrt(size)
    # the community graph: ties between communities, weighted by how many
    gu, gv = group[u], group[v]
    between = gu != gv
    if k == 1:
        centre = np.zeros((1, 2))
    else:
        pairs = sp.coo_array((np.ones(int(between.sum())), (np.minimum(gu, gv)[between], np.maximum(gu, gv)[between])),
                             shape=(k, k)).tocsr().tocoo()
        cg = ig.Graph(n=k, edges=np.column_stack([pairs.row, pairs.col]).tolist(), directed=False)
        weights = np.log1p(pairs.data).tolist() if len(pairs.data) else None
        with igraph_rng(int(seeds[0]) ^ 0x5EED):
            centre = np.asarray(cg.layout_fruchterman_reingold(weights=weights, niter=1000).coords, dtype=float)
        # scale so that neighbouring discs start about touching, then remove overlaps
        spread = np.sqrt(((centre - centre.mean(axis=0)) ** 2).sum(axis=1).mean()) or 1.0
        centre = (centre - centre.mean(axis=0)) / spread * np.sqrt(size.sum()) * 1.1
        # small communities hanging by one tie are flung far out by the force layout: bring them in
        mid = np.average(centre, axis=0, weights=size)
        dist = np.hypot(*(centre - mid).T)
        cap = 1.1 * np.quantile(dist, 0.9) + radius.max()
        centre = mid + (centre - mid) * np.minimum(1.0, cap / np.maximum(dist, 1e-12))[:, None]
        centre = _separate(centre, radius, gap=0.15 * np.median(radius) + 0.5)
    xy[idx] = centre[member] + pos_local * radius[member, None]
    return xy
