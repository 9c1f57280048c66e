"""A synthetic customer world with known ground truth.

:func:`generate` builds the three input tables of a :class:`~netlib.io.CustomerData` (customers,
interactions, events) from a seed, together with the truth that produced them
(:class:`SyntheticTruth`): which community each customer belongs to, who the planted influencers
are, who passed each item to whom, each customer's latent mix of David L. Rogers' five behaviours
(access, engage, customize, connect, collaborate) and who joined which collaboration project.
Analyses can then be checked against answers that are known, at any size from a few hundred to
millions of customers.

The generator runs in eight steps, all vectorised with numpy:

1. **Communities.** ``n_communities`` groups with heavy-tailed sizes (Pareto weights, largest at
   most ten times the smallest weight), numbered 0..k-1 by decreasing size.
2. **Degrees and friendship ties.** Each customer draws a degree from a discrete power law
   (exponent ``degree_exponent``, mean ``avg_degree``, capped at ``max_degree``); a fraction ``mu``
   of each customer's tie ends (binomially drawn) points outside the own community, the rest inside.
   Ends are paired at random inside each community and across communities (a configuration model
   per block, as in the LFR benchmark of Lancichinetti, Fortunato & Radicchi 2008, equivalently a
   degree-corrected stochastic block model, Karrer & Newman 2011); self-loops and repeated pairs
   are dropped. Each tie gets a strength (Gamma, mean 1) and a usual channel.
3. **Influencers.** ``n_influencers`` customers, drawn with probability proportional to degree,
   get ``influencer_reach`` followers (half in their own community, half anywhere), a
   connect-heavy profile, three times the activity and a doubled share probability.
4. **Rogers profiles.** Each community has a tendency over the five behaviours drawn around
   :data:`BASE_PROFILE`; each customer's latent profile is Dirichlet around the community tendency
   (influencers: halfway towards pure connect). Each customer has an activity (expected number of
   behavioural events; log-normal around ``events_per_customer``).
5. **Cascades.** ``n_items`` items start at roots drawn in proportion to activity x connect share
   and spread by continuous-time independent cascade (Kempe, Kleinberg & Tardos 2003; the timed
   variant of Gomez-Rodriguez, Leskovec & Krause 2010): when a customer adopts an item, each of
   their ties fires once with its probability ``p`` (``share_prob`` x the sender's connect
   propensity x sqrt(tie strength)); a fired tie is a share after a log-normal delay (median
   ``delay_median_hours``). A customer adopts at the first share they receive. Every root shares
   its item with at least one customer.
6. **Messages and the connect budget.** Ordinary messages (interactions of kind ``message``, no
   item) run along friendship ties, Poisson many in proportion to tie strength
   (``messages_per_customer`` per customer on average), dated from the day the tie formed. Each
   customer's connect budget (activity x connect share) beyond their shares becomes referrals
   (to a tie chosen in proportion to strength), reviews, messages to the brand and follows.
7. **Projects.** ``n_projects`` projects, each homed in a community, are joined by customers drawn
   in proportion to activity x collaborate share (a fraction ``mu`` from outside the home community).
   The collaborate budget beyond the joins becomes co_create, forum_answer and idea_vote events.
8. **Access, engage and customize events**: Poisson counts with mean activity x latent share,
   event types from :data:`EVENT_TYPES`, times uniform over the observation window.

Reading the tables
------------------
Interactions have ``kind`` share (with ``item_id``), message or referral. The **share rule**:
for each item, a customer's adoption time is the timestamp of the earliest share of that item they
received, and their cascade parent is the sender of that share (that earliest share is never tied:
no two shares of an item reach a customer in the same second as their first receipt, so the parent
is unique); the root is the one customer who shares
the item before receiving it, and its adoption time is the timestamp of its first share. A customer
may receive an item again later (from another tie); those shares are in the table but do not change
the parent. ``truth.cascades`` is exactly the table this rule reconstructs from the share interactions.

The **reconciliation rule** between the tables: the events with a ``target`` are exactly the
share and referral interactions, one to one. Every interaction of kind ``share`` has one event
``share`` and every interaction of kind ``referral`` one event ``refer``, with customer_id = source
and the same target, timestamp, item_id and channel; every event with a target is such an event.
Interactions of kind ``message`` (private conversations) have no event, and the events without a
target (review, follow, message — a post to the brand's community — and the other four
behaviours) have no interaction. So ``(events.target.notna()).sum()`` equals the number of share
and referral interactions, per customer and per item.

Timestamps are whole seconds in UTC from ``start`` (cascades may run a little past the window).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from netlib._util import as_rng, progress as _progress, provenance, sha256_file
from netlib.errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from netlib.io import CustomerData

__all__ = [
    "BEHAVIOURS",
    "EVENT_TYPES",
    "BASE_PROFILE",
    "SAMPLE_PARAMS",
    "SyntheticTruth",
    "generate",
    "write_sample",
    "read_truth",
]

#: David L. Rogers' five customer-network behaviours, in the order used everywhere.
BEHAVIOURS: tuple[str, ...] = ("access", "engage", "customize", "connect", "collaborate")

#: The event types the generator emits for each behaviour.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "access": ("login", "app_open", "search", "page_view"),
    "engage": ("view", "like", "comment", "watch"),
    "customize": ("save_preference", "wishlist", "configure", "subscribe"),
    "connect": ("share", "refer", "review", "message", "follow"),
    "collaborate": ("co_create", "forum_answer", "idea_vote", "join_project"),
}

#: Mean latent profile over the five behaviours (a funnel: many access, few collaborate).
BASE_PROFILE: tuple[float, ...] = (0.34, 0.28, 0.16, 0.13, 0.09)

#: The parameters of the shipped sample in ``data/sample`` (see :func:`write_sample`).
SAMPLE_PARAMS: dict[str, Any] = {"n_customers": 2000, "seed": 20240101}

#: Interaction kind -> event type of the matching connect event.
KIND_EVENT: dict[str, str] = {"share": "share", "message": "message", "referral": "refer"}

_VOCAB: tuple[str, ...] = tuple(t for b in BEHAVIOURS for t in EVENT_TYPES[b])
_CODE = {t: i for i, t in enumerate(_VOCAB)}
_TIE_CHANNELS = ("in_person", "app", "social", "email")
_EVENT_CHANNELS = ("app", "web", "email", "social", "in_person")
_KINDS = ("share", "message", "referral")
_REGIONS = ("North", "South", "East", "West", "Central")
_AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
_AGE_P = (0.12, 0.24, 0.22, 0.18, 0.14, 0.10)
_SEGMENTS = ("occasional", "regular", "loyal")
_FIRST = ("Ada", "Ben", "Chloe", "Dev", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Keiko",
          "Liam", "Maya", "Nils", "Olga", "Pablo", "Qi", "Rosa", "Sami", "Tara", "Uma", "Viktor",
          "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Carmen", "Dmitri", "Esther", "Felix")
_LAST = ("Adler", "Baptiste", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito",
         "Jansen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn",
         "Rossi", "Silva", "Tanaka", "Ueda", "Varga", "Weber", "Xu", "Yilmaz", "Zhang", "Novak",
         "Mendes", "Larsen", "Kim", "Osei", "Brennan")
_DAY = 86_400
_CHUNK = 1 << 21
_ARC_KINDS = pd.CategoricalDtype(["friend", "follow"])


@dataclass(frozen=True)
class SyntheticTruth:
    """What :func:`generate` planted: the answers analyses of the generated tables should find.

    Attributes
    ----------
    customers : pandas.DataFrame
        Indexed by ``customer_id``: ``community`` (int, 0 = largest), ``influencer`` (bool), the
        latent shares ``access``, ``engage``, ``customize``, ``connect``, ``collaborate`` (sum to 1,
        rounded to 6 decimals), ``activity`` (expected number of behavioural events) and ``degree``
        (number of friendship ties).
    cascades : pandas.DataFrame
        One row per adoption, the columns :func:`netlib.reconstruct_cascades` returns: ``item_id``,
        ``customer``, ``parent`` (NA for roots), ``time`` (UTC), ``depth`` (0 at the root),
        ``root``; sorted by item, time and customer.
    projects : pandas.DataFrame
        One row per membership: ``project_id``, ``customer_id``, ``joined`` (UTC, the timestamp of
        the ``join_project`` event) and ``community`` (the project's home community).
    ties : pandas.DataFrame
        The planted sharing network, one row per directed arc: ``source``, ``target``, ``kind``
        (``friend``, stored in both directions, or ``follow``, influencer to follower),
        ``strength`` and ``p`` (the independent-cascade probability of the arc). ``source`` and
        ``target`` are categoricals over the customer ids and ``kind`` a categorical, to keep
        millions of arcs small.
    params : dict
        Every generator parameter after defaults were resolved, including ``seed``.
    """

    customers: pd.DataFrame
    cascades: pd.DataFrame
    projects: pd.DataFrame
    ties: pd.DataFrame
    params: dict

    def __repr__(self) -> str:
        c = self.customers
        return (f"SyntheticTruth({len(c):,} customers in {c['community'].nunique():,} communities, "
                f"{int(c['influencer'].sum()):,} influencers, {len(self.cascades):,} adoptions of "
                f"{self.cascades['item_id'].nunique():,} items, {self.projects['project_id'].nunique():,} "
                f"projects; seed={self.params.get('seed')!r})")


# --------------------------------------------------------------------------------------------------
# Small vectorised helpers
# --------------------------------------------------------------------------------------------------


def _labels(prefix: str, n: int) -> pa.Array:
    """``prefix`` + zero-padded numbers 0..n-1 (at least four digits) as a pyarrow string array."""
    width = max(4, len(str(max(n - 1, 0))))
    digits = np.strings.zfill(np.arange(n).astype(str), width) if n else np.array([], dtype=str)
    return pa.array(np.strings.add(prefix, digits) if n else [], type=pa.string())


def _take(labels: pa.Array | Sequence[str], codes: np.ndarray) -> pd.Series:
    """A pandas ``str`` column ``labels[codes]``; negative codes become missing."""
    if not isinstance(labels, pa.Array):
        labels = pa.array(list(labels), type=pa.string())
    codes = np.asarray(codes, dtype=np.int64)
    missing = codes < 0
    idx = pa.array(codes, mask=missing) if missing.any() else pa.array(codes)
    return pd.Series(labels.take(idx), dtype="str")


def _times(start_ns: int, seconds: np.ndarray) -> pd.Series:
    """Whole seconds after ``start`` as ``datetime64[ns, UTC]``."""
    ns = start_ns + np.asarray(seconds, dtype=np.int64) * 1_000_000_000
    return pd.Series(ns.view("datetime64[ns]")).dt.tz_localize("UTC")


def _segments(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups of the given sizes laid end to end: (group of each slot, rank within group)."""
    total = int(counts.sum())
    group = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return group, np.arange(total) - np.repeat(starts, counts)


def _unique(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sort-based; ``np.unique`` on int64 is far slower in numpy 2.4)."""
    s = np.sort(x)
    return s[np.r_[True, s[1:] != s[:-1]]] if len(s) else s


def _firsts(key: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of each distinct value of ``key``."""
    order = np.argsort(key, kind="stable")
    s = key[order]
    return order[np.r_[True, s[1:] != s[:-1]]] if len(s) else order


def _member(x: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """``x in ref`` elementwise, for a sorted ``ref``."""
    if not len(ref):
        return np.zeros(len(x), dtype=bool)
    return ref[np.minimum(np.searchsorted(ref, x), len(ref) - 1)] == x


def _weighted_pick(rng: np.random.Generator, cum: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per query, an index in ``[lo, hi)`` drawn in proportion to the weights whose cumsum is ``cum``.

    ``cum`` is the inclusive cumulative sum of non-negative weights; each range must have weight > 0.
    """
    base = np.where(lo > 0, cum[np.maximum(lo - 1, 0)], 0.0)
    x = base + rng.random(len(lo)) * (cum[hi - 1] - base)
    return np.clip(np.searchsorted(cum, x, side="right"), lo, hi - 1)


def _pareto(rng: np.random.Generator, size: int, alpha: float) -> np.ndarray:
    """Pareto variates with scale 1 and tail exponent ``alpha``."""
    return (1.0 - rng.random(size)) ** (-1.0 / alpha)


# --------------------------------------------------------------------------------------------------
# The eight steps
# --------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------------


def _check(name: str, value, lo=None, hi=None, *, integer=False, lo_open=False):
    """Return ``value`` if it is a number (an integer when asked) in range, else raise ParameterError."""
    kinds = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise ParameterError(f"{name} must be {'an integer' if integer else 'a number'}, got {value!r}")
    if not np.isfinite(value) or (lo is not None and (value <= lo if lo_open else value < lo)) or (
            hi is not None and value > hi):
        rng = f"{'(' if lo_open else '['}{lo}, {hi if hi is not None else 'inf'}]"
        raise ParameterError(f"{name} must be in {rng}, got {value!r}")
    return value


def _build(params: dict, rng: np.random.Generator, progress: bool | None):
    """The eight steps of :func:`generate` (parameters already checked); returns the raw tables and truth.

    A function of its own so that every working array is freed before the tables are validated.
    """
    n, k, mu = params["n_customers"], params["n_communities"], params["mu"]
    avg_degree, degree_exponent, dmax = params["avg_degree"], params["degree_exponent"], params["max_degree"]
    n_inf, reach, n_items = params["n_influencers"], params["influencer_reach"], params["n_items"]
    share_prob, delay_median_hours, n_proj = params["share_prob"], params["delay_median_hours"], params["n_projects"]
    events_per_customer, messages_per_customer = params["events_per_customer"], params["messages_per_customer"]
    start_ts = pd.Timestamp(params["start"], tz="UTC")
    start_ns = int(start_ts.value)
    window = params["days"] * _DAY
    rng_c, rng_t, rng_i, rng_p, rng_s, rng_m, rng_j, rng_e, rng_a = rng.spawn(9)
    bar = _progress(total=8, desc="netlib.synth", unit="step", progress=progress)
    step = bar.update

    # 1. communities ------------------------------------------------------------------------------
    sizes = _community_sizes(rng_c, n, k, 10)
    step()

    # 2. degrees and friendship ties --------------------------------------------------------------
    degree0 = _degrees(rng_t, n, avg_degree, degree_exponent, dmax)
    community, tu, tv = _friend_ties(rng_t, sizes, degree0, mu)
    strength = np.maximum(np.round(rng_t.gamma(0.5, 2.0, len(tu)), 4), 1e-4)
    strong = strength > 1.5
    tie_channel = np.empty(len(tu), np.int8)  # in_person, app, social, email
    tie_channel[strong] = rng_t.choice(4, size=int(strong.sum()), p=[0.35, 0.40, 0.15, 0.10])
    tie_channel[~strong] = rng_t.choice(4, size=int((~strong).sum()), p=[0.05, 0.25, 0.45, 0.25])
    tie_since = np.where(rng_t.random(len(tu)) < 0.3, rng_t.integers(0, int(window * 0.8), len(tu)), 0)
    degree = np.bincount(tu, minlength=n) + np.bincount(tv, minlength=n)
    step()

    # 3. influencers and their followers ----------------------------------------------------------
    weights = degree0 / degree0.sum() if degree0.sum() else None
    influencers = np.sort(rng_i.choice(n, size=n_inf, replace=False, p=weights))
    is_inf = np.zeros(n, dtype=bool)
    is_inf[influencers] = True
    by_comm = np.argsort(community, kind="stable")
    comm_start = np.cumsum(sizes) - sizes
    fu = np.repeat(influencers, reach)
    own = rng_i.random(len(fu)) < 0.5
    cf = community[fu]
    fv = np.where(own, by_comm[comm_start[cf] + (rng_i.random(len(fu)) * sizes[cf]).astype(np.int64)],
                  rng_i.integers(0, n, len(fu)))
    fkey = _unique(fu[fu != fv] * n + fv[fu != fv])
    friend_keys = np.concatenate([tu * n + tv, tv * n + tu])
    fkey = fkey[~_member(fkey, np.sort(friend_keys))]
    del friend_keys
    step()

    # 4. Rogers profiles and activity ---------------------------------------------------------------
    tendency = rng_p.dirichlet(np.asarray(BASE_PROFILE) * 20.0, size=k)
    g = rng_p.gamma(np.maximum(tendency[community] * 8.0, 1e-3))
    profile = g / g.sum(axis=1, keepdims=True)
    profile[is_inf] = 0.5 * profile[is_inf] + 0.5 * np.eye(5)[3]
    profile = np.round(profile, 6)
    profile[:, 0] = np.round(profile[:, 0] + 1.0 - profile.sum(axis=1), 6)  # rounded shares still sum to 1
    activity = events_per_customer * rng_p.lognormal(-0.32, 0.8, n)
    activity[is_inf] *= 3.0
    activity = np.round(activity, 4)
    connect_prop = profile[:, 3] / profile[:, 3].mean()
    step()

    # the directed sharing arcs, in CSR order by sender
    arc_src = np.concatenate([tu, tv, fkey // n]).astype(np.int32)
    arc_dst = np.concatenate([tv, tu, fkey % n]).astype(np.int32)
    arc_kind = np.concatenate([np.zeros(2 * len(tu), np.int8), np.ones(len(fkey), np.int8)])
    arc_w = np.concatenate([strength, strength, np.full(len(fkey), 0.25)])
    arc_chan = np.concatenate([tie_channel, tie_channel, np.full(len(fkey), 2, np.int8)])
    arc_since = np.concatenate([tie_since, tie_since, np.zeros(len(fkey), np.int64)]).astype(np.int32)
    order = np.argsort((arc_src.astype(np.int64) << 32) | arc_dst)
    arc_src, arc_dst, arc_kind, arc_w, arc_chan, arc_since = (
        a[order] for a in (arc_src, arc_dst, arc_kind, arc_w, arc_chan, arc_since))
    del tu, tv, strength, strong, tie_channel, tie_since, fkey, order
    arc_p = share_prob * connect_prop[arc_src] * np.sqrt(arc_w) * np.where(is_inf[arc_src], 2.0, 1.0)
    arc_p = np.round(np.minimum(arc_p, 0.95), 6)
    indptr = np.r_[0, np.cumsum(np.bincount(arc_src, minlength=n))]
    outdeg = np.diff(indptr)

    # 5. items and cascades -----------------------------------------------------------------------
    w_root = activity * profile[:, 3] * (outdeg > 0)
    if n_items and w_root.sum() > 0:
        roots = rng_s.choice(n, size=n_items, p=w_root / w_root.sum())
        t0 = rng_s.integers(0, int(window * 0.9), n_items)
        adopt, shares = _cascades(rng_s, n, indptr, arc_dst, arc_p, roots, t0,
                                  delay_median_hours * 3600.0, 1.2, bar)
    else:
        n_items = 0
        empty = np.zeros(0, np.int64)
        adopt, shares = (empty,) * 5, (empty,) * 5
    step()

    # 6. conversations, referrals, reviews, brand messages, follows -------------------------------
    friend_w = arc_w * (arc_kind == 0)
    n_msg = rng_m.poisson(messages_per_customer * n * friend_w / max(friend_w.sum(), 1e-12))
    m_arc = np.repeat(np.arange(len(arc_src), dtype=np.int32), n_msg)
    del friend_w, n_msg
    lo = arc_since[m_arc]
    m_time = lo + (rng_m.random(len(m_arc)) * (window - lo)).astype(np.int32)
    m_chan = np.where(rng_m.random(len(m_arc)) < 0.7, arc_chan[m_arc], rng_m.integers(0, 4, len(m_arc), dtype=np.int8))
    del lo
    sent = np.bincount(shares[1], minlength=n)
    budget = np.maximum(activity * profile[:, 3] - sent, 0.0)
    n_other = rng_m.poisson(budget)
    owner = np.repeat(np.arange(n), n_other)
    kind = rng_m.choice(4, size=len(owner), p=[0.15, 0.35, 0.25, 0.25])  # refer, review, message, follow
    kind[(kind == 0) & (outdeg[owner] == 0)] = 1  # nobody to refer: a review instead
    aimed = kind == 0
    r_src = owner[aimed]
    r_arc = _weighted_pick(rng_m, np.cumsum(arc_w), indptr[r_src], indptr[r_src + 1])
    r_time = rng_m.integers(0, window, len(r_src))
    r_chan = np.where(rng_m.random(len(r_src)) < 0.7, arc_chan[r_arc], rng_m.integers(0, 4, len(r_src)))
    l_owner, l_kind = owner[~aimed], kind[~aimed]
    l_time = rng_m.integers(0, window, len(l_owner))
    step()

    # 7. projects and collaborate events ----------------------------------------------------------
    w_collab = activity * profile[:, 4]
    comm_w = np.bincount(community, weights=w_collab, minlength=k)
    if n_proj and w_collab.sum() > 0:
        home = rng_j.choice(k, size=n_proj, p=comm_w / comm_w.sum())
        psize = np.minimum(np.floor(3 * _pareto(rng_j, n_proj, 1.5)), 60).astype(np.int64)
        slot_p = np.repeat(np.arange(n_proj), psize)
        inside = (rng_j.random(len(slot_p)) >= mu) & (comm_w[home[slot_p]] > 0)
        cum_c = np.cumsum(w_collab[by_comm])
        c = home[slot_p[inside]]
        member = np.empty(len(slot_p), np.int64)
        member[inside] = by_comm[_weighted_pick(rng_j, cum_c, comm_start[c], comm_start[c] + sizes[c])]
        out = ~inside
        member[out] = _weighted_pick(rng_j, np.cumsum(w_collab), np.zeros(out.sum(), np.int64),
                                     np.full(out.sum(), n, np.int64))
        mkey = _unique(member * n_proj + slot_p)  # sorted by customer, then project
        m_cust, m_proj = mkey // n_proj, mkey % n_proj
        created = rng_j.integers(0, int(window * 0.6), n_proj)
        joined = np.minimum(created[m_proj] + np.ceil(rng_j.exponential(5 * _DAY, len(m_proj))).astype(np.int64),
                            window - 1)
    else:
        n_proj = 0
        home = np.zeros(0, np.int64)
        m_cust = m_proj = joined = np.zeros(0, np.int64)
    joins = np.bincount(m_cust, minlength=n)
    n_col = rng_j.poisson(np.maximum(w_collab - joins, 0.0))
    c_owner = np.repeat(np.arange(n), n_col)
    is_member = joins[c_owner] > 0
    c_type = np.where(is_member, rng_j.choice(3, size=len(c_owner), p=[0.4, 0.3, 0.3]),
                      1 + (rng_j.random(len(c_owner)) < 0.5))  # co_create, forum_answer, idea_vote
    m_first = np.cumsum(joins) - joins
    pick = m_first[c_owner] + (rng_j.random(len(c_owner)) * joins[c_owner]).astype(np.int64)
    pick = np.where(is_member, pick, -1)
    c_proj = np.where(is_member & (c_type != 1), m_proj[np.maximum(pick, 0)] if len(m_proj) else -1, -1)
    lo = np.where(c_proj >= 0, joined[np.maximum(pick, 0)] if len(joined) else 0, 0)
    c_time = lo + (rng_j.random(len(c_owner)) * (window - lo)).astype(np.int64)
    step()

    # 8. access, engage, customize events ---------------------------------------------------------
    counts = rng_e.poisson(activity[:, None] * profile[:, :3])
    total = counts.sum(axis=0)
    e_owner = np.concatenate([np.repeat(np.arange(n, dtype=np.int32), counts[:, b]) for b in range(3)])
    type_p = ([0.35, 0.30, 0.20, 0.15], [0.40, 0.30, 0.15, 0.15], [0.30, 0.35, 0.15, 0.20])
    e_type = np.concatenate([(4 * b + rng_e.choice(4, size=int(total[b]), p=type_p[b])).astype(np.int8)
                             for b in range(3)])
    e_time = rng_e.integers(0, window, len(e_owner), dtype=np.int32)
    step()

    # assemble the tables (freeing working arrays as soon as a table is built) ----------------------
    ids = _labels("C", n)
    item_ids = _labels("I", n_items)
    proj_ids = _labels("P", n_proj)
    id_index = pd.Index(_take(ids, np.arange(n)), name="customer_id")
    s_item, s_src, s_dst, s_time, s_arc = shares
    n_sh, n_rf, n_ms = len(s_item), len(r_src), len(m_arc)
    i_src = np.concatenate([s_src, r_src, arc_src[m_arc]]).astype(np.int32)
    i_dst = np.concatenate([s_dst, arc_dst[r_arc], arc_dst[m_arc]]).astype(np.int32)
    i_time = np.concatenate([s_time, r_time, m_time]).astype(np.int32)
    i_kind = np.repeat(np.array([0, 2, 1], np.int8), [n_sh, n_rf, n_ms])  # share, referral, message
    i_chan = np.concatenate([arc_chan[s_arc], r_chan, m_chan]).astype(np.int8)
    i_item = np.concatenate([s_item, np.full(n_rf + n_ms, -1)]).astype(np.int32)
    del shares, s_item, s_src, s_dst, s_time, s_arc, m_arc, m_time, m_chan, r_src, r_arc, r_time, r_chan
    targeted = i_kind != 1  # shares and referrals are also connect events
    t_src, t_dst, t_time, t_kind, t_chan, t_item = (a[targeted] for a in (i_src, i_dst, i_time, i_kind, i_chan, i_item))

    id_dtype = pd.CategoricalDtype(id_index)  # one row per arc: codes, not strings
    ties = pd.DataFrame({
        "source": pd.Categorical.from_codes(arc_src, dtype=id_dtype),
        "target": pd.Categorical.from_codes(arc_dst, dtype=id_dtype),
        "kind": pd.Categorical.from_codes(arc_kind, dtype=_ARC_KINDS), "strength": arc_w, "p": arc_p,
    })
    del arc_src, arc_dst, arc_kind, arc_w, arc_p, arc_chan, arc_since

    order = np.lexsort((adopt[1], adopt[2], adopt[0]))
    a_item, a_node, a_time, a_parent, a_depth = (a[order] for a in adopt)
    del adopt
    cascades = pd.DataFrame({
        "item_id": _take(item_ids, a_item), "customer": _take(ids, a_node), "parent": _take(ids, a_parent),
        "time": _times(start_ns, a_time), "depth": a_depth.astype(np.int64),
        "root": _take(ids, roots[a_item] if n_items else a_item),
    })
    del a_item, a_node, a_time, a_parent, a_depth

    order = np.argsort((i_time.astype(np.int64) << 32) | i_src, kind="stable")  # by time, then sender
    interactions = pd.DataFrame({
        "source": _take(ids, i_src[order]), "target": _take(ids, i_dst[order]),
        "timestamp": _times(start_ns, i_time[order]), "kind": _take(_KINDS, i_kind[order]),
        "channel": _take(_TIE_CHANNELS, i_chan[order]), "item_id": _take(item_ids, i_item[order]),
        "weight": np.ones(len(i_src)),
    })
    del i_src, i_dst, i_time, i_kind, i_chan, i_item, order

    # events: shares and referrals mirror the interactions; then everything else
    kind_code = np.array([_CODE["share"], -1, _CODE["refer"]])
    chan_map = np.array([_EVENT_CHANNELS.index(c) for c in _TIE_CHANNELS])
    n_loose = len(l_owner)
    l_type = np.array([_CODE["review"], _CODE["message"], _CODE["follow"]])[l_kind - 1]
    l_chan = rng_a.choice(5, size=n_loose, p=[0.4, 0.3, 0.0, 0.3, 0.0])  # app, web, email, social, in_person
    c_code = np.array([_CODE["co_create"], _CODE["forum_answer"], _CODE["idea_vote"]])[c_type]
    c_chan = rng_a.choice(5, size=len(c_owner), p=[0.3, 0.5, 0.0, 0.0, 0.2])
    j_chan = rng_a.choice(5, size=len(m_cust), p=[0.5, 0.5, 0.0, 0.0, 0.0])
    e_code = np.array([_CODE[t] for b in BEHAVIOURS[:3] for t in EVENT_TYPES[b]], dtype=np.int8)[e_type]
    beh_chan = ([0.6, 0.4, 0, 0, 0], [0.5, 0.3, 0.2, 0, 0], [0.5, 0.5, 0, 0, 0])
    e_chan = np.concatenate([rng_a.choice(5, size=int(total[b]), p=beh_chan[b]).astype(np.int8) for b in range(3)])
    parts = [  # (customer, time, type, item, project, target, channel)
        (t_src, t_time, kind_code[t_kind], t_item, -1, t_dst, chan_map[t_chan]),
        (l_owner, l_time, l_type, -1, -1, -1, l_chan),
        (m_cust, joined, np.full(len(m_cust), _CODE["join_project"]), -1, m_proj, -1, j_chan),
        (c_owner, c_time, c_code, -1, c_proj, -1, c_chan),
        (e_owner, e_time, e_code, -1, -1, -1, e_chan),
    ]
    del e_owner, e_time, e_code, e_chan, e_type

    def column(j: int) -> np.ndarray:  # one events column at a time keeps the peak memory down
        return np.concatenate([np.broadcast_to(np.asarray(p[j], dtype=np.int32), len(p[0])) for p in parts])

    order = np.argsort((column(1).astype(np.int64) << 32) | column(0), kind="stable")  # by time, then customer
    events = pd.DataFrame({
        "customer_id": _take(ids, column(0)[order]), "timestamp": _times(start_ns, column(1)[order]),
        "event_type": _take(_VOCAB, column(2)[order]), "item_id": _take(item_ids, column(3)[order]),
        "project_id": _take(proj_ids, column(4)[order]), "target": _take(ids, column(5)[order]),
        "channel": _take(_EVENT_CHANNELS, column(6)[order]),
    })
    del parts, order

    # customers
    region = np.where(rng_a.random(n) < 0.75, (rng_a.permutation(k) % len(_REGIONS))[community],
                      rng_a.integers(0, len(_REGIONS), n))
    rank = np.argsort(np.argsort(activity + 1e-9 * np.arange(n), kind="stable"), kind="stable") / n
    segment = (rank >= 0.5).astype(np.int64) + (rank >= 0.85)
    names = np.strings.add(np.strings.add(np.array(_FIRST)[rng_a.integers(0, len(_FIRST), n)], " "),
                           np.array(_LAST)[rng_a.integers(0, len(_LAST), n)])
    age = (rng_a.random(n)[:, None] > np.cumsum(_AGE_P)[:-1]).sum(axis=1)
    signup_day = rng_a.integers(0, 6 * 365, n)  # up to six years before the window opens
    customers = pd.DataFrame({
        "customer_id": _take(ids, np.arange(n)), "name": pd.Series(names, dtype="str"),
        "region": _take(_REGIONS, region), "segment": _take(_SEGMENTS, segment),
        "age_band": _take(_AGE_BANDS, age),
        "signup_date": pd.Series((start_ts.tz_localize(None).value - (signup_day + 1) * _DAY * 10**9)
                                 .astype("datetime64[ns]")),
    })

    # the truth
    truth_customers = pd.DataFrame({
        "community": community, "influencer": is_inf,
        **{b: profile[:, j] for j, b in enumerate(BEHAVIOURS)},
        "activity": activity, "degree": degree,
    }, index=id_index)
    projects = pd.DataFrame({
        "project_id": _take(proj_ids, m_proj), "customer_id": _take(ids, m_cust),
        "joined": _times(start_ns, joined), "community": home[m_proj].astype(np.int64),
    }).sort_values(["project_id", "customer_id"], ignore_index=True)
    truth = SyntheticTruth(truth_customers, cascades, projects, ties, params)
    step()
    bar.close()
    return customers, interactions, events, truth


def generate(n_customers: int = 2000, *, mu: float = 0.2, n_communities: int | None = None,
             avg_degree: float = 12.0, degree_exponent: float = 2.5, max_degree: int | None = None,
             n_influencers: int | None = None, influencer_reach: int | None = None,
             n_items: int | None = None, share_prob: float = 0.025, delay_median_hours: float = 3.0,
             n_projects: int | None = None, events_per_customer: float = 12.0,
             messages_per_customer: float = 10.0,
             start: str = "2024-01-01", days: int = 180, seed=0, progress: bool | None = None,
             validate: bool = True) -> CustomerData:
    """Generate a synthetic customer world with known ground truth.

    Parameters
    ----------
    n_customers : int
        Number of customers (>= 50).
    mu : float
        Mixing parameter in [0, 1): the expected fraction of each customer's friendship ties that
        leave their community (also the fraction of project members drawn from outside the
        project's home community).
    n_communities : int, optional
        Number of communities; default ``max(2, round(n_customers / 100))``. Sizes are heavy-tailed,
        at least 10 customers each.
    avg_degree : float
        Mean number of friendship ties per customer before repeated pairs are dropped.
    degree_exponent : float
        Power-law exponent (> 2) of the degree distribution.
    max_degree : int, optional
        Degree cap; default ``min(n_customers - 1, round(15 * avg_degree))``.
    n_influencers : int, optional
        Planted influencers; default ``max(3, round(n_customers / 400))``.
    influencer_reach : int, optional
        Followers per influencer; default ``min(n_customers - 1, round(10 * avg_degree))``.
    n_items : int, optional
        Items shared in cascades; default ``max(10, n_customers // 4)``.
    share_prob : float
        Base independent-cascade probability of a tie; each arc's ``p`` is this times the sender's
        connect propensity (connect share over its mean) times sqrt(tie strength), doubled for
        influencers, capped at 0.95.
    delay_median_hours : float
        Median delay between adopting an item and passing it on (log-normal, sigma 1.2).
    n_projects : int, optional
        Collaboration projects; default ``max(1, n_customers // 50)``.
    events_per_customer : float
        Mean activity: expected number of behavioural events per (non-influencer) customer.
    messages_per_customer : float
        Mean number of ordinary messages (interactions of kind ``message``) a customer sends; each
        friendship arc carries Poisson many in proportion to its tie strength, spread uniformly
        from the day the tie formed (30% of ties form during the window) to the window's end.
    start : str
        First day of the observation window (UTC).
    days : int
        Length of the observation window in days.
    seed : int, numpy.random.Generator or None
        Seed; the same int gives identical tables.
    progress : bool, optional
        Show a progress bar (default: only in terminals and notebooks).
    validate : bool
        Pass the tables through :func:`netlib.read_data` (the default). The generator's tables are
        valid by construction (the tests check that validation keeps every row and changes
        nothing), so ``validate=False`` skips that pass to save about 40% of the time and a third
        of the memory at a million customers; the load report then says so.

    Returns
    -------
    CustomerData
        Validated tables (``customers``: customer_id, name, region, segment, age_band,
        signup_date; ``interactions``: source, target, timestamp, kind, channel, item_id, weight;
        ``events``: customer_id, timestamp, event_type, item_id, project_id, target, channel) with
        ``.truth`` a :class:`SyntheticTruth`.

    Raises
    ------
    ParameterError
        A parameter out of range (the message names it and the range).

    Notes
    -----
    The module docstring gives the steps and the two rules that tie the tables together: the
    share rule (``truth.cascades`` is what the earliest-received share of each item reconstructs)
    and the reconciliation rule (events with a target are the interactions, one to one).
    The realised fraction of friendship ties between communities is ``mu`` plus about 0.01-0.02:
    repeated pairs, which are dropped, are likelier inside small communities (the tests hold it
    within 0.03). ``truth.ties`` has the realised network.

    Time and memory grow about linearly with ``n_customers``. On a 2-core machine
    (``bench/bench_synth.py``) 1,000,000 customers (12 million interactions, 13 million events,
    11.5 million arcs) take about 80 s and 5.5 GB at peak, or 60 s and 3.6 GB with
    ``validate=False``; 100,000 customers take about 8 s and 0.8 GB.

    References
    ----------
    .. [1] A. Lancichinetti, S. Fortunato, F. Radicchi, "Benchmark graphs for testing community
       detection algorithms", Phys. Rev. E 78, 046110 (2008).
    .. [2] B. Karrer, M. E. J. Newman, "Stochastic blockmodels and community structure in
       networks", Phys. Rev. E 83, 016107 (2011).
    .. [3] D. Kempe, J. Kleinberg, E. Tardos, "Maximizing the spread of influence through a social
       network", KDD 2003.
    .. [4] M. Gomez-Rodriguez, J. Leskovec, A. Krause, "Inferring networks of diffusion and
       influence", KDD 2010.
    .. [5] D. L. Rogers, *The Network Is Your Customer*, Yale University Press (2010).

    Examples
    --------
    >>> from netlib.synth import generate
    >>> data = generate(500, seed=1)
    >>> len(data.customers)
    500
    >>> data.truth.customers[["access", "engage", "customize", "connect", "collaborate"]].sum(axis=1).round(4).eq(1).all()
    np.True_
    """
    from netlib.io import CustomerData, LoadReport, read_data

    n = _check("n_customers", n_customers, 50, integer=True)
    _check("mu", mu, 0.0, 0.95)
    k = max(2, round(n / 100)) if n_communities is None else _check("n_communities", n_communities, 1, integer=True)
    if k * 10 > n:
        raise ParameterError(f"n_communities must be at most n_customers / 10 = {n // 10}, got {k}")
    _check("avg_degree", avg_degree, 1.0, n / 4)
    _check("degree_exponent", degree_exponent, 2.0, 10.0, lo_open=True)
    dmax = min(n - 1, round(15 * avg_degree)) if max_degree is None else _check("max_degree", max_degree, 1, n - 1, integer=True)
    if dmax < avg_degree:
        raise ParameterError(f"max_degree must be at least avg_degree = {avg_degree}, got {dmax}")
    n_inf = max(3, round(n / 400)) if n_influencers is None else _check("n_influencers", n_influencers, 0, n // 2, integer=True)
    reach = min(n - 1, round(10 * avg_degree)) if influencer_reach is None else _check(
        "influencer_reach", influencer_reach, 0, n - 1, integer=True)
    n_items = max(10, n // 4) if n_items is None else _check("n_items", n_items, 0, integer=True)
    _check("share_prob", share_prob, 0.0, 1.0)
    _check("delay_median_hours", delay_median_hours, 0.0, lo_open=True)
    n_proj = max(1, n // 50) if n_projects is None else _check("n_projects", n_projects, 0, integer=True)
    _check("events_per_customer", events_per_customer, 0.0)
    _check("messages_per_customer", messages_per_customer, 0.0)
    days = _check("days", days, 1, integer=True)
    try:
        start_ts = pd.Timestamp(start)
    except (ValueError, TypeError) as exc:
        raise ParameterError(f"start must be a date like '2024-01-01', got {start!r}") from exc
    start_ts = start_ts.tz_localize("UTC") if start_ts.tzinfo is None else start_ts.tz_convert("UTC")
    start_text = str(start_ts.date()) if start_ts == start_ts.normalize() else start_ts.isoformat()
    params = {
        "n_customers": int(n), "mu": float(mu), "n_communities": int(k), "avg_degree": float(avg_degree),
        "degree_exponent": float(degree_exponent), "max_degree": int(dmax), "n_influencers": int(n_inf),
        "influencer_reach": int(reach), "n_items": int(n_items), "share_prob": float(share_prob),
        "delay_median_hours": float(delay_median_hours), "n_projects": int(n_proj),
        "events_per_customer": float(events_per_customer),
        "messages_per_customer": float(messages_per_customer), "start": start_text, "days": int(days),
        "seed": "<numpy.random.Generator>" if isinstance(seed, np.random.Generator) else seed,
    }
    customers, interactions, events, truth = _build(params, as_rng(seed), progress)

    tables = {"customers": customers, "interactions": interactions, "events": events}
    if validate:
        data = read_data(tables, errors="raise")
    else:
        counts = [{"table": t, "source": "<DataFrame>", "rows_in": len(f), "rows_kept": len(f), "rows_rejected": 0}
                  for t, f in tables.items()]
        report = LoadReport(tables=pd.DataFrame(counts).set_index("table"),
                            notes=["made by netlib.synth.generate(validate=False): valid by construction, not re-checked"])
        data = CustomerData(tables["customers"], tables["interactions"], tables["events"], report)
    prov = provenance("synth.generate", **params)
    for frame in (data.customers, data.interactions, data.events, truth.cascades, truth.customers,
                  truth.projects, truth.ties):
        frame.attrs["provenance"] = prov
    return dataclasses.replace(data, truth=truth, source=f"netlib.synth.generate(seed={params['seed']!r})")


# --------------------------------------------------------------------------------------------------
# Writing and reading a generated world (the shipped sample in data/sample)
# --------------------------------------------------------------------------------------------------

_TABLE_FILES = ("customers.csv", "interactions.csv", "events.csv")
_TRUTH_FILES = ("truth_customers.csv", "truth_cascades.csv", "truth_projects.csv", "truth_ties.csv",
                "truth_params.json")


def _csv_text(df: pd.DataFrame, *, index: bool = False, times: Sequence[str] = (), dates: Sequence[str] = ()) -> str:
    """Deterministic csv: ISO 8601 UTC times in whole seconds, dates as YYYY-MM-DD, missing as empty."""
    out = df.copy()
    for col in times:
        out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    for col in dates:
        out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=index, lineterminator="\n")


def _card(data, params: dict) -> str:
    t = data.truth
    c = t.customers
    kinds = data.interactions["kind"].value_counts()
    rows = "\n".join(f"| `{k}` | {v!r} |" for k, v in params.items())
    mix = (c["community"].reindex(t.ties["source"]).to_numpy() != c["community"].reindex(t.ties["target"]).to_numpy())
    friend = (t.ties["kind"] == "friend").to_numpy()
    return f"""# The netlib sample: a synthetic customer network with known ground truth

Made by `netlib.synth.generate` (see its docstring for the model) and loaded by `netlib.load_sample()`.
Every customer, tie, share and event here is invented; nothing describes a real person. Public domain (CC0).

## Regenerate

    python -m netlib.synth --write-sample data/sample

writes the same bytes again (the test suite checks this against `SHA256SUMS`). In Python:
`netlib.synth.write_sample("data/sample")`, or `netlib.synth.generate(**netlib.synth.SAMPLE_PARAMS)` for the
tables in memory.

## At a glance

- {len(data.customers):,} customers in {c['community'].nunique()} planted communities; {int(c['influencer'].sum())} planted influencers
- {len(data.interactions):,} interactions: {kinds.get('share', 0):,} shares of {t.cascades['item_id'].nunique():,} items, {kinds.get('message', 0):,} messages, {kinds.get('referral', 0):,} referrals
- {len(data.events):,} behavioural events; {t.projects['project_id'].nunique()} collaboration projects with {len(t.projects):,} memberships
- {int(friend.sum() // 2):,} friendship ties ({mix[friend].mean():.3f} of them between communities; the generator's mu is {params['mu']}) and {int((~friend).sum()):,} influencer-to-follower arcs
- observation window: {params['days']} days from {params['start']} (UTC)

## Files

The three input tables (read them with `netlib.read_data("data/sample")`):

| file | one row per | columns |
|---|---|---|
| `customers.csv` | customer | `customer_id` (C0000…), `name` (invented), `region`, `segment` (occasional / regular / loyal, by activity), `age_band`, `signup_date` (YYYY-MM-DD) |
| `interactions.csv` | customer-to-customer interaction | `source`, `target`, `timestamp` (ISO 8601 UTC), `kind` (share, message, referral), `channel` (in_person, app, social, email), `item_id` (shares only), `weight` (1.0) |
| `events.csv` | behavioural event | `customer_id`, `timestamp`, `event_type` (below), `item_id` (share events), `project_id` (join_project, co_create and some idea_vote events), `target` (share and refer events), `channel` (app, web, email, social, in_person) |

Event types by Rogers behaviour: access — login, app_open, search, page_view; engage — view, like, comment,
watch; customize — save_preference, wishlist, configure, subscribe; connect — share, refer, review, message,
follow; collaborate — co_create, forum_answer, idea_vote, join_project.

The ground truth (what analyses should find):

| file | one row per | columns |
|---|---|---|
| `truth_customers.csv` | customer | `customer_id`, `community` (0 = largest), `influencer` (True/False), latent shares `access`, `engage`, `customize`, `connect`, `collaborate` (sum to 1), `activity` (expected events), `degree` (friendship ties) |
| `truth_cascades.csv` | adoption of an item | `item_id`, `customer`, `parent` (empty for the root), `time`, `depth` (0 = root), `root` |
| `truth_projects.csv` | project membership | `project_id`, `customer_id`, `joined` (time of the join_project event), `community` (the project's home community) |
| `truth_ties.csv` | directed arc of the planted network | `source`, `target`, `kind` (friend, both directions; follow, influencer to follower), `strength`, `p` (independent-cascade probability) |
| `truth_params.json` | — | the generator parameters below |

## How the tables fit together

- **Share rule.** For each item, a customer's adoption time is the timestamp of the earliest share of that
  item they received and their parent is its sender; the root shares before receiving and adopts at its
  first share. `truth_cascades.csv` is exactly what this rule reconstructs from the share interactions.
- **Reconciliation rule.** Events with a `target` are exactly the share and referral interactions, one to one
  (`share` ↔ kind share with the same item; `refer` ↔ referral; same customer, target, timestamp, channel).
  Message interactions have no event; review, follow and message events have no target.

## Generator parameters

| parameter | value |
|---|---|
{rows}

`SHA256SUMS` lists the sha256 of every other file here.
"""


def write_sample(folder: str | Path, **params) -> list[Path]:
    """Generate a world and write it to ``folder`` as the shipped sample is written.

    Parameters
    ----------
    folder : str or Path
        Destination (created if needed); files already there with the same names are replaced,
        each atomically.
    **params
        Arguments of :func:`generate`; default :data:`SAMPLE_PARAMS` (the shipped sample).

    Returns
    -------
    list of Path
        The files written: the three tables, the truth files, ``README.md`` (the data card) and
        ``SHA256SUMS``.

    Notes
    -----
    The output is byte-for-byte reproducible from the parameters: csv with ISO 8601 UTC times in
    whole seconds, floats as Python writes them (shortest round-trip form), ``\\n`` line ends.
    """
    from netlib.io import atomic_write

    params = dict(params) or dict(SAMPLE_PARAMS)
    params.setdefault("progress", False)
    data = generate(**params)
    truth = data.truth
    folder = Path(folder)
    texts = {
        "customers.csv": _csv_text(data.customers, dates=("signup_date",)),
        "interactions.csv": _csv_text(data.interactions, times=("timestamp",)),
        "events.csv": _csv_text(data.events, times=("timestamp",)),
        "truth_customers.csv": _csv_text(truth.customers, index=True),
        "truth_cascades.csv": _csv_text(truth.cascades, times=("time",)),
        "truth_projects.csv": _csv_text(truth.projects, times=("joined",)),
        "truth_ties.csv": _csv_text(truth.ties),
        "truth_params.json": json.dumps(truth.params, indent=2, sort_keys=False) + "\n",
        "README.md": _card(data, truth.params),
    }
    written = []
    for name, text in texts.items():
        path = folder / name
        with atomic_write(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        path.chmod(0o644)
        written.append(path)
    sums = "".join(f"{sha256_file(p)}  {p.name}\n" for p in sorted(written, key=lambda p: p.name))
    with atomic_write(folder / "SHA256SUMS", "w", encoding="utf-8", newline="") as handle:
        handle.write(sums)
    (folder / "SHA256SUMS").chmod(0o644)
    return [*written, folder / "SHA256SUMS"]


def read_truth(folder: str | Path) -> SyntheticTruth:
    """Read the truth files :func:`write_sample` wrote back into a :class:`SyntheticTruth`.

    Raises
    ------
    netlib.errors.DataError
        A truth file is missing (the message names it).
    """
    from netlib.errors import DataError

    folder = Path(folder)
    for name in _TRUTH_FILES:
        if not (folder / name).is_file():
            raise DataError(f"{folder / name}: truth file not found; regenerate with "
                            f"`python -m netlib.synth --write-sample {folder}`")

    def utc(s: pd.Series) -> pd.Series:
        return pd.to_datetime(s, format="%Y-%m-%dT%H:%M:%SZ", utc=True).astype("datetime64[ns, UTC]")

    ids = {"customer_id": "str", "item_id": "str", "customer": "str", "parent": "str", "root": "str",
           "project_id": "str", "source": "str", "target": "str", "kind": "str"}
    customers = pd.read_csv(folder / "truth_customers.csv", dtype={**ids, "community": "int64", "degree": "int64",
                                                                   "influencer": "bool"}).set_index("customer_id")
    cascades = pd.read_csv(folder / "truth_cascades.csv", dtype={**ids, "depth": "int64"})
    cascades["time"] = utc(cascades["time"])
    projects = pd.read_csv(folder / "truth_projects.csv", dtype={**ids, "community": "int64"})
    projects["joined"] = utc(projects["joined"])
    ties = pd.read_csv(folder / "truth_ties.csv", dtype={**ids, "strength": "float64", "p": "float64"})
    id_dtype = pd.CategoricalDtype(customers.index)
    ties = ties.astype({"source": id_dtype, "target": id_dtype, "kind": _ARC_KINDS})
    params = json.loads((folder / "truth_params.json").read_text(encoding="utf-8"))
    prov = provenance("synth.generate", **params)
    for frame in (customers, cascades, projects, ties):
        frame.attrs["provenance"] = prov
    return SyntheticTruth(customers, cascades, projects, ties, params)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m netlib.synth --write-sample FOLDER [--n-customers N] [--seed S]``."""
    parser = argparse.ArgumentParser(prog="python -m netlib.synth",
                                     description="Write a synthetic customer world (default: the shipped sample).")
    parser.add_argument("--write-sample", metavar="FOLDER", required=True,
                        help="folder to write the tables, truth files, data card and SHA256SUMS to")
    parser.add_argument("--n-customers", type=int, default=None, help="number of customers (default: the sample's)")
    parser.add_argument("--seed", type=int, default=None, help="seed (default: the sample's)")
    args = parser.parse_args(argv)
    params = dict(SAMPLE_PARAMS)
    if args.n_customers is not None:
        params["n_customers"] = args.n_customers
    if args.seed is not None:
        params["seed"] = args.seed
    params["progress"] = None
    for path in write_sample(args.write_sample, **params):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
