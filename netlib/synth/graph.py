"""Steps 1-4 of the generator: communities, friendship ties, influencers and their followers, Rogers
profiles; then the directed sharing arcs the cascades run on."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from netlib.synth._arrays import _firsts, _member, _pareto, _segments, _unique
from netlib.synth._vocab import BASE_PROFILE

__all__: list[str] = []


def _community_sizes(rng: np.random.Generator, n: int, k: int, min_size: int) -> np.ndarray:
    """Heavy-tailed sizes summing to ``n``, each >= ``min_size``, in decreasing order."""
    w = np.minimum(_pareto(rng, k, 1.0), 10.0)
    spare = n - k * min_size
    raw = spare * w / w.sum()
    sizes = np.floor(raw).astype(np.int64)
    left = spare - int(sizes.sum())
    if left:
        sizes[np.argsort(-(raw - sizes), kind="stable")[:left]] += 1
    return np.sort(sizes + min_size)[::-1]


def _degrees(rng: np.random.Generator, n: int, avg: float, exponent: float, dmax: int) -> np.ndarray:
    """Discrete power-law degrees floor(kmin * X) capped at ``dmax``; kmin chosen so the mean is ``avg``."""
    x = _pareto(rng, n, exponent - 1.0)
    lo, hi = 1.0, float(avg)
    for _ in range(50):  # bisection on kmin: the capped mean grows with it
        mid = 0.5 * (lo + hi)
        if np.minimum(np.floor(mid * x), dmax).mean() < avg:
            lo = mid
        else:
            hi = mid
    return np.minimum(np.floor(hi * x), dmax).astype(np.int64)


def _match(rng: np.random.Generator, stubs: np.ndarray, n: int, *, within: np.ndarray | None = None,
           apart: np.ndarray | None = None, rounds: int = 25) -> np.ndarray:
    """Pair tie ends at random into distinct ties; return their keys ``min * n + max``.

    With ``within`` (a group per node) both ends lie in the same group; with ``apart`` (a group per
    node) they lie in different groups. Self-loops and repeated pairs are not kept: their ends go
    back into the pool and are paired again, for up to ``rounds`` rounds; what is left is dropped.
    """
    found: list[np.ndarray] = []  # sorted key chunks, one per round
    pool = stubs
    for _ in range(rounds):
        if len(pool) < 2:
            break
        if within is not None:
            shuffle_key = (within[pool].astype(np.int64) << 32) | rng.integers(0, 1 << 32, len(pool))
            pool = pool[np.argsort(shuffle_key)]
            g = within[pool]
            starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
            counts = np.diff(np.r_[starts, len(g)])
            _, rank = _segments(counts)
            lead = (rank % 2 == 0) & (rank + 1 < np.repeat(counts, counts))
            first = np.flatnonzero(lead)
            paired = np.zeros(len(pool), dtype=bool)
            paired[first] = paired[first + 1] = True
            a, b, rest = pool[first], pool[first + 1], pool[~paired]
        else:
            pool = pool[rng.permutation(len(pool))]
            half = len(pool) // 2
            a, b, rest = pool[:half], pool[half:2 * half], pool[2 * half:]
        key = np.minimum(a, b) * n + np.maximum(a, b)
        ok = a != b
        if apart is not None:
            ok &= apart[a] != apart[b]
        for chunk in found:
            ok &= ~_member(key, chunk)
        idx = np.flatnonzero(ok)
        keep = np.zeros(len(key), dtype=bool)
        keep[idx[_firsts(key[idx])]] = True
        if not keep.any():
            break
        found.append(np.sort(key[keep]))
        pool = np.concatenate([a[~keep], b[~keep], rest])
    return np.concatenate(found) if found else np.zeros(0, np.int64)


def _assign_communities(rng: np.random.Generator, sizes: np.ndarray, k_in: np.ndarray,
                        rounds: int = 30) -> np.ndarray:
    """Random community per node (``sizes[c]`` nodes in community c) such that, where possible,
    each node's internal degree fits its community (``k_in < size``), as in LFR.

    Starts from a random assignment and swaps each node that does not fit with a random node of
    a community large enough for it, whose own internal degree fits the first node's community.
    """
    n = len(k_in)
    community = rng.permutation(np.repeat(np.arange(len(sizes)), sizes))
    for _ in range(rounds):
        bad = np.flatnonzero(k_in > sizes[community] - 1)
        if not len(bad):
            break
        by_size = np.argsort(sizes[community], kind="stable")
        lo = np.searchsorted(sizes[community][by_size], k_in[bad] + 1)
        fits = lo < n
        bad, lo = bad[fits], lo[fits]
        partner = by_size[lo + (rng.random(len(bad)) * (n - lo)).astype(np.int64)]
        ok = k_in[partner] <= sizes[community[bad]] - 1
        bad, partner = bad[ok], partner[ok]
        if not len(bad):
            continue
        both = np.concatenate([bad, partner])
        srt = np.sort(both)
        single = srt[np.r_[True, srt[1:] != srt[:-1]] & np.r_[srt[1:] != srt[:-1], True]]
        once = _member(both, single)  # each node takes part in one swap per round
        use = once[:len(bad)] & once[len(bad):]
        bad, partner = bad[use], partner[use]
        community[bad], community[partner] = community[partner], community[bad].copy()
    return community


def _friend_ties(rng, sizes, degree, mu):
    """Communities and undirected ties (u < v, unique) of the block configuration model."""
    n = len(degree)
    k_in = rng.binomial(degree, 1.0 - mu)
    community = _assign_communities(rng, sizes, k_in)
    k_in = np.minimum(k_in, sizes[community] - 1)  # what still does not fit goes outside
    nodes = np.arange(n)
    inside = _match(rng, np.repeat(nodes, k_in), n, within=community)
    across = _match(rng, np.repeat(nodes, degree - k_in), n, apart=community)
    key = np.sort(np.concatenate([inside, across]))
    return community, key // n, key % n


def communities(w: SimpleNamespace, rng: np.random.Generator) -> None:
    """Step 1: heavy-tailed community sizes, largest first."""
    w.sizes = _community_sizes(rng, w.n, w.k, 10)


def friendships(w: SimpleNamespace, rng: np.random.Generator) -> None:
    """Step 2: degrees, the block configuration model's ties, their strength, channel and start day."""
    w.degree0 = _degrees(rng, w.n, w.avg_degree, w.degree_exponent, w.dmax)
    w.community, tu, tv = _friend_ties(rng, w.sizes, w.degree0, w.mu)
    strength = np.maximum(np.round(rng.gamma(0.5, 2.0, len(tu)), 4), 1e-4)
    strong = strength > 1.5
    tie_channel = np.empty(len(tu), np.int8)  # in_person, app, social, email
    tie_channel[strong] = rng.choice(4, size=int(strong.sum()), p=[0.35, 0.40, 0.15, 0.10])
    tie_channel[~strong] = rng.choice(4, size=int((~strong).sum()), p=[0.05, 0.25, 0.45, 0.25])
    w.tie_since = np.where(rng.random(len(tu)) < 0.3, rng.integers(0, int(w.window * 0.8), len(tu)), 0)
    w.degree = np.bincount(tu, minlength=w.n) + np.bincount(tv, minlength=w.n)
    w.tu, w.tv, w.strength, w.tie_channel = tu, tv, strength, tie_channel


def influencers(w: SimpleNamespace, rng: np.random.Generator) -> None:
    """Step 3: influencers drawn by degree, and their followers (half in their own community)."""
    n, sizes, community, degree0 = w.n, w.sizes, w.community, w.degree0
    weights = degree0 / degree0.sum() if degree0.sum() else None
    chosen = np.sort(rng.choice(n, size=w.n_inf, replace=False, p=weights))
    is_inf = np.zeros(n, dtype=bool)
    is_inf[chosen] = True
    by_comm = np.argsort(community, kind="stable")
    comm_start = np.cumsum(sizes) - sizes
    fu = np.repeat(chosen, w.reach)
    own = rng.random(len(fu)) < 0.5
    cf = community[fu]
    fv = np.where(own, by_comm[comm_start[cf] + (rng.random(len(fu)) * sizes[cf]).astype(np.int64)],
                  rng.integers(0, n, len(fu)))
    fkey = _unique(fu[fu != fv] * n + fv[fu != fv])
    friend_keys = np.concatenate([w.tu * n + w.tv, w.tv * n + w.tu])
    w.fkey = fkey[~_member(fkey, np.sort(friend_keys))]
    w.is_inf, w.by_comm, w.comm_start = is_inf, by_comm, comm_start


def profiles(w: SimpleNamespace, rng: np.random.Generator) -> None:
    """Step 4: each customer's latent Rogers profile (Dirichlet around the community's) and activity."""
    n, is_inf = w.n, w.is_inf
    tendency = rng.dirichlet(np.asarray(BASE_PROFILE) * 20.0, size=w.k)
    g = rng.gamma(np.maximum(tendency[w.community] * 8.0, 1e-3))
    profile = g / g.sum(axis=1, keepdims=True)
    profile[is_inf] = 0.5 * profile[is_inf] + 0.5 * np.eye(5)[3]
    profile = np.round(profile, 6)
    profile[:, 0] = np.round(profile[:, 0] + 1.0 - profile.sum(axis=1), 6)  # rounded shares still sum to 1
    activity = w.events_per_customer * rng.lognormal(-0.32, 0.8, n)
    activity[is_inf] *= 3.0
    w.activity = np.round(activity, 4)
    w.profile = profile
    w.connect_prop = profile[:, 3] / profile[:, 3].mean()


def sharing_arcs(w: SimpleNamespace) -> None:
    """The directed sharing arcs (friend ties both ways, influencer to follower), in CSR order by sender,
    each with its independent-cascade probability ``p``."""
    n, tu, tv, fkey = w.n, w.tu, w.tv, w.fkey
    arc_src = np.concatenate([tu, tv, fkey // n]).astype(np.int32)
    arc_dst = np.concatenate([tv, tu, fkey % n]).astype(np.int32)
    arc_kind = np.concatenate([np.zeros(2 * len(tu), np.int8), np.ones(len(fkey), np.int8)])
    arc_w = np.concatenate([w.strength, w.strength, np.full(len(fkey), 0.25)])
    arc_chan = np.concatenate([w.tie_channel, w.tie_channel, np.full(len(fkey), 2, np.int8)])
    arc_since = np.concatenate([w.tie_since, w.tie_since, np.zeros(len(fkey), np.int64)]).astype(np.int32)
    order = np.argsort((arc_src.astype(np.int64) << 32) | arc_dst)
    w.arc_src, w.arc_dst, w.arc_kind, w.arc_w, w.arc_chan, w.arc_since = (
        a[order] for a in (arc_src, arc_dst, arc_kind, arc_w, arc_chan, arc_since))
    del w.tu, w.tv, w.strength, w.tie_channel, w.tie_since, w.fkey, tu, tv, fkey, order
    arc_p = w.share_prob * w.connect_prop[w.arc_src] * np.sqrt(w.arc_w) * np.where(w.is_inf[w.arc_src], 2.0, 1.0)
    w.arc_p = np.round(np.minimum(arc_p, 0.95), 6)
    w.indptr = np.r_[0, np.cumsum(np.bincount(w.arc_src, minlength=n))]
    w.outdeg = np.diff(w.indptr)
