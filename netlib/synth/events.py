"""Steps 6-8 of the generator: conversations and the rest of the connect budget, collaboration projects,
and the access, engage and customize events."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from netlib.synth._arrays import _pareto, _unique, _weighted_pick
from netlib.synth._vocab import _DAY

__all__: list[str] = []


def conversations(w: SimpleNamespace, rng: np.random.Generator) -> None:
    """Step 6: messages along friendship ties (Poisson by strength, from the day the tie formed); the
    connect budget beyond shares becomes referrals, reviews, brand messages and follows."""
    n, window, arc_chan, indptr = w.n, w.window, w.arc_chan, w.indptr
    friend_w = w.arc_w * (w.arc_kind == 0)
    n_msg = rng.poisson(w.messages_per_customer * n * friend_w / max(friend_w.sum(), 1e-12))
    m_arc = np.repeat(np.arange(len(w.arc_src), dtype=np.int32), n_msg)
    del friend_w, n_msg
    lo = w.arc_since[m_arc]
    w.m_time = lo + (rng.random(len(m_arc)) * (window - lo)).astype(np.int32)
    w.m_chan = np.where(rng.random(len(m_arc)) < 0.7, arc_chan[m_arc], rng.integers(0, 4, len(m_arc), dtype=np.int8))
    w.m_arc = m_arc
    del lo
    sent = np.bincount(w.shares[1], minlength=n)
    budget = np.maximum(w.activity * w.profile[:, 3] - sent, 0.0)
    n_other = rng.poisson(budget)
    owner = np.repeat(np.arange(n), n_other)
    kind = rng.choice(4, size=len(owner), p=[0.15, 0.35, 0.25, 0.25])  # refer, review, message, follow
    kind[(kind == 0) & (w.outdeg[owner] == 0)] = 1  # nobody to refer: a review instead
    aimed = kind == 0
    r_src = owner[aimed]
    w.r_arc = _weighted_pick(rng, np.cumsum(w.arc_w), indptr[r_src], indptr[r_src + 1])
    w.r_time = rng.integers(0, window, len(r_src))
    w.r_chan = np.where(rng.random(len(r_src)) < 0.7, arc_chan[w.r_arc], rng.integers(0, 4, len(r_src)))
    w.r_src = r_src
    w.l_owner, w.l_kind = owner[~aimed], kind[~aimed]
    w.l_time = rng.integers(0, window, len(w.l_owner))


def _memberships(w: SimpleNamespace, rng: np.random.Generator, w_collab: np.ndarray, comm_w: np.ndarray):
    """Projects homed in communities, joined in proportion to collaborate propensity (a share ``mu`` from
    outside the home): (home community per project, member, project, join time) per membership."""
    n, n_proj, sizes, by_comm, comm_start, window = w.n, w.n_proj, w.sizes, w.by_comm, w.comm_start, w.window
    home = rng.choice(w.k, size=n_proj, p=comm_w / comm_w.sum())
    psize = np.minimum(np.floor(3 * _pareto(rng, n_proj, 1.5)), 60).astype(np.int64)
    slot_p = np.repeat(np.arange(n_proj), psize)
    inside = (rng.random(len(slot_p)) >= w.mu) & (comm_w[home[slot_p]] > 0)
    cum_c = np.cumsum(w_collab[by_comm])
    c = home[slot_p[inside]]
    member = np.empty(len(slot_p), np.int64)
    member[inside] = by_comm[_weighted_pick(rng, cum_c, comm_start[c], comm_start[c] + sizes[c])]
    out = ~inside
    member[out] = _weighted_pick(rng, np.cumsum(w_collab), np.zeros(out.sum(), np.int64),
                                 np.full(out.sum(), n, np.int64))
    mkey = _unique(member * n_proj + slot_p)  # sorted by customer, then project
    m_cust, m_proj = mkey // n_proj, mkey % n_proj
    created = rng.integers(0, int(window * 0.6), n_proj)
    joined = np.minimum(created[m_proj] + np.ceil(rng.exponential(5 * _DAY, len(m_proj))).astype(np.int64),
                        window - 1)
    return home, m_cust, m_proj, joined


def projects(w: SimpleNamespace, rng: np.random.Generator) -> None:
    """Step 7: project memberships, then the collaborate budget beyond the joins as co_create,
    forum_answer and idea_vote events (members' events mostly name one of their projects)."""
    n, window = w.n, w.window
    w_collab = w.activity * w.profile[:, 4]
    comm_w = np.bincount(w.community, weights=w_collab, minlength=w.k)
    if w.n_proj and w_collab.sum() > 0:
        home, m_cust, m_proj, joined = _memberships(w, rng, w_collab, comm_w)
    else:
        w.n_proj = 0
        home = np.zeros(0, np.int64)
        m_cust = m_proj = joined = np.zeros(0, np.int64)
    joins = np.bincount(m_cust, minlength=n)
    n_col = rng.poisson(np.maximum(w_collab - joins, 0.0))
    c_owner = np.repeat(np.arange(n), n_col)
    is_member = joins[c_owner] > 0
    c_type = np.where(is_member, rng.choice(3, size=len(c_owner), p=[0.4, 0.3, 0.3]),
                      1 + (rng.random(len(c_owner)) < 0.5))  # co_create, forum_answer, idea_vote
    m_first = np.cumsum(joins) - joins
    pick = m_first[c_owner] + (rng.random(len(c_owner)) * joins[c_owner]).astype(np.int64)
    pick = np.where(is_member, pick, -1)
    c_proj = np.where(is_member & (c_type != 1), m_proj[np.maximum(pick, 0)] if len(m_proj) else -1, -1)
    lo = np.where(c_proj >= 0, joined[np.maximum(pick, 0)] if len(joined) else 0, 0)
    w.c_time = lo + (rng.random(len(c_owner)) * (window - lo)).astype(np.int64)
    w.home, w.m_cust, w.m_proj, w.joined = home, m_cust, m_proj, joined
    w.c_owner, w.c_type, w.c_proj = c_owner, c_type, c_proj


def behaviour(w: SimpleNamespace, rng: np.random.Generator) -> None:
    """Step 8: access, engage and customize events, Poisson by activity x latent share, uniform in time."""
    counts = rng.poisson(w.activity[:, None] * w.profile[:, :3])
    total = counts.sum(axis=0)
    w.e_owner = np.concatenate([np.repeat(np.arange(w.n, dtype=np.int32), counts[:, b]) for b in range(3)])
    type_p = ([0.35, 0.30, 0.20, 0.15], [0.40, 0.30, 0.15, 0.15], [0.30, 0.35, 0.15, 0.20])
    w.e_type = np.concatenate([(4 * b + rng.choice(4, size=int(total[b]), p=type_p[b])).astype(np.int8)
                               for b in range(3)])
    w.e_time = rng.integers(0, w.window, len(w.e_owner), dtype=np.int32)
    w.total = total
