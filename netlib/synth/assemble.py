"""The generator's last step: the working arrays become the three input tables and the truth.

Each table is built as soon as its arrays are complete and the arrays are freed at once, which keeps
the peak memory of a million-customer world down.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from netlib.synth._arrays import _labels, _take, _times
from netlib.synth._vocab import (_AGE_BANDS, _AGE_P, _ARC_KINDS, _CODE, _DAY, _EVENT_CHANNELS, _FIRST, _KINDS, _LAST,
                                 _REGIONS, _SEGMENTS, _TIE_CHANNELS, _VOCAB, BEHAVIOURS, EVENT_TYPES)

__all__: list[str] = []


def _ties(w: SimpleNamespace, id_dtype: pd.CategoricalDtype) -> pd.DataFrame:
    """The planted arcs, one row each, ids as categorical codes."""
    ties = pd.DataFrame({
        "source": pd.Categorical.from_codes(w.arc_src, dtype=id_dtype),
        "target": pd.Categorical.from_codes(w.arc_dst, dtype=id_dtype),
        "kind": pd.Categorical.from_codes(w.arc_kind, dtype=_ARC_KINDS), "strength": w.arc_w, "p": w.arc_p,
    })
    del w.arc_src, w.arc_dst, w.arc_kind, w.arc_w, w.arc_p, w.arc_chan, w.arc_since
    return ties


def _cascades(w: SimpleNamespace, ids, item_ids) -> pd.DataFrame:
    """Adoptions sorted by item, time and customer."""
    adopt = w.adopt
    order = np.lexsort((adopt[1], adopt[2], adopt[0]))
    a_item, a_node, a_time, a_parent, a_depth = (a[order] for a in adopt)
    del w.adopt, adopt
    return pd.DataFrame({
        "item_id": _take(item_ids, a_item), "customer": _take(ids, a_node), "parent": _take(ids, a_parent),
        "time": _times(w.start_ns, a_time), "depth": a_depth.astype(np.int64),
        "root": _take(ids, w.roots[a_item] if w.n_items else a_item),
    })


def _interactions(w: SimpleNamespace, ids, item_ids) -> tuple[pd.DataFrame, tuple]:
    """Shares, referrals and messages sorted by time, then sender; and the shares and referrals again
    (sender, target, time, kind, channel, item) for the events that mirror them."""
    s_item, s_src, s_dst, s_time, s_arc = w.shares
    n_sh, n_rf, n_ms = len(s_item), len(w.r_src), len(w.m_arc)
    i_src = np.concatenate([s_src, w.r_src, w.arc_src[w.m_arc]]).astype(np.int32)
    i_dst = np.concatenate([s_dst, w.arc_dst[w.r_arc], w.arc_dst[w.m_arc]]).astype(np.int32)
    i_time = np.concatenate([s_time, w.r_time, w.m_time]).astype(np.int32)
    i_kind = np.repeat(np.array([0, 2, 1], np.int8), [n_sh, n_rf, n_ms])  # share, referral, message
    i_chan = np.concatenate([w.arc_chan[s_arc], w.r_chan, w.m_chan]).astype(np.int8)
    i_item = np.concatenate([s_item, np.full(n_rf + n_ms, -1)]).astype(np.int32)
    del w.shares, s_item, s_src, s_dst, s_time, s_arc, w.m_arc, w.m_time, w.m_chan
    del w.r_src, w.r_arc, w.r_time, w.r_chan
    targeted = i_kind != 1  # shares and referrals are also connect events
    mirrored = tuple(a[targeted] for a in (i_src, i_dst, i_time, i_kind, i_chan, i_item))
    order = np.argsort((i_time.astype(np.int64) << 32) | i_src, kind="stable")  # by time, then sender
    interactions = pd.DataFrame({
        "source": _take(ids, i_src[order]), "target": _take(ids, i_dst[order]),
        "timestamp": _times(w.start_ns, i_time[order]), "kind": _take(_KINDS, i_kind[order]),
        "channel": _take(_TIE_CHANNELS, i_chan[order]), "item_id": _take(item_ids, i_item[order]),
        "weight": np.ones(len(i_src)),
    })
    return interactions, mirrored


def _events(w: SimpleNamespace, rng: np.random.Generator, mirrored: tuple, ids, item_ids, proj_ids) -> pd.DataFrame:
    """Every behavioural event, sorted by time, then customer: the connect events that mirror shares and
    referrals, the other connect events, project joins, collaborate events and the rest."""
    t_src, t_dst, t_time, t_kind, t_chan, t_item = mirrored
    kind_code = np.array([_CODE["share"], -1, _CODE["refer"]])
    chan_map = np.array([_EVENT_CHANNELS.index(c) for c in _TIE_CHANNELS])
    n_loose = len(w.l_owner)
    l_type = np.array([_CODE["review"], _CODE["message"], _CODE["follow"]])[w.l_kind - 1]
    l_chan = rng.choice(5, size=n_loose, p=[0.4, 0.3, 0.0, 0.3, 0.0])  # app, web, email, social, in_person
    c_code = np.array([_CODE["co_create"], _CODE["forum_answer"], _CODE["idea_vote"]])[w.c_type]
    c_chan = rng.choice(5, size=len(w.c_owner), p=[0.3, 0.5, 0.0, 0.0, 0.2])
    j_chan = rng.choice(5, size=len(w.m_cust), p=[0.5, 0.5, 0.0, 0.0, 0.0])
    e_code = np.array([_CODE[t] for b in BEHAVIOURS[:3] for t in EVENT_TYPES[b]], dtype=np.int8)[w.e_type]
    beh_chan = ([0.6, 0.4, 0, 0, 0], [0.5, 0.3, 0.2, 0, 0], [0.5, 0.5, 0, 0, 0])
    e_chan = np.concatenate([rng.choice(5, size=int(w.total[b]), p=beh_chan[b]).astype(np.int8) for b in range(3)])
    parts = [  # (customer, time, type, item, project, target, channel)
        (t_src, t_time, kind_code[t_kind], t_item, -1, t_dst, chan_map[t_chan]),
        (w.l_owner, w.l_time, l_type, -1, -1, -1, l_chan),
        (w.m_cust, w.joined, np.full(len(w.m_cust), _CODE["join_project"]), -1, w.m_proj, -1, j_chan),
        (w.c_owner, w.c_time, c_code, -1, w.c_proj, -1, c_chan),
        (w.e_owner, w.e_time, e_code, -1, -1, -1, e_chan),
    ]
    del w.e_owner, w.e_time, w.e_type, e_code, e_chan

    def column(j: int) -> np.ndarray:  # one events column at a time keeps the peak memory down
        return np.concatenate([np.broadcast_to(np.asarray(p[j], dtype=np.int32), len(p[0])) for p in parts])

    order = np.argsort((column(1).astype(np.int64) << 32) | column(0), kind="stable")  # by time, then customer
    return pd.DataFrame({
        "customer_id": _take(ids, column(0)[order]), "timestamp": _times(w.start_ns, column(1)[order]),
        "event_type": _take(_VOCAB, column(2)[order]), "item_id": _take(item_ids, column(3)[order]),
        "project_id": _take(proj_ids, column(4)[order]), "target": _take(ids, column(5)[order]),
        "channel": _take(_EVENT_CHANNELS, column(6)[order]),
    })


def _customers(w: SimpleNamespace, rng: np.random.Generator, ids) -> pd.DataFrame:
    """Invented names, a region mostly shared within a community, a segment by activity, an age band
    and a signup date up to six years before the window opens."""
    n, k = w.n, w.k
    region = np.where(rng.random(n) < 0.75, (rng.permutation(k) % len(_REGIONS))[w.community],
                      rng.integers(0, len(_REGIONS), n))
    rank = np.argsort(np.argsort(w.activity + 1e-9 * np.arange(n), kind="stable"), kind="stable") / n
    segment = (rank >= 0.5).astype(np.int64) + (rank >= 0.85)
    names = np.strings.add(np.strings.add(np.array(_FIRST)[rng.integers(0, len(_FIRST), n)], " "),
                           np.array(_LAST)[rng.integers(0, len(_LAST), n)])
    age = (rng.random(n)[:, None] > np.cumsum(_AGE_P)[:-1]).sum(axis=1)
    signup_day = rng.integers(0, 6 * 365, n)
    return pd.DataFrame({
        "customer_id": _take(ids, np.arange(n)), "name": pd.Series(names, dtype="str"),
        "region": _take(_REGIONS, region), "segment": _take(_SEGMENTS, segment),
        "age_band": _take(_AGE_BANDS, age),
        "signup_date": pd.Series((w.start_ts.tz_localize(None).value - (signup_day + 1) * _DAY * 10**9)
                                 .astype("datetime64[ns]")),
    })


def tables(w: SimpleNamespace, rng: np.random.Generator):
    """(customers, interactions, events, truth tables) from the working arrays of steps 1-8; the truth
    tables are (customers, cascades, projects, ties) as :class:`~netlib.synth.SyntheticTruth` holds them."""
    ids = _labels("C", w.n)
    item_ids = _labels("I", w.n_items)
    proj_ids = _labels("P", w.n_proj)
    id_index = pd.Index(_take(ids, np.arange(w.n)), name="customer_id")
    interactions, mirrored = _interactions(w, ids, item_ids)
    ties = _ties(w, pd.CategoricalDtype(id_index))  # one row per arc: codes, not strings
    cascades = _cascades(w, ids, item_ids)
    events = _events(w, rng, mirrored, ids, item_ids, proj_ids)
    del mirrored
    customers = _customers(w, rng, ids)
    truth_customers = pd.DataFrame({
        "community": w.community, "influencer": w.is_inf,
        **{b: w.profile[:, j] for j, b in enumerate(BEHAVIOURS)},
        "activity": w.activity, "degree": w.degree,
    }, index=id_index)
    projects = pd.DataFrame({
        "project_id": _take(proj_ids, w.m_proj), "customer_id": _take(ids, w.m_cust),
        "joined": _times(w.start_ns, w.joined), "community": w.home[w.m_proj].astype(np.int64),
    }).sort_values(["project_id", "customer_id"], ignore_index=True)
    return customers, interactions, events, (truth_customers, cascades, projects, ties)
