"""Spread paths: cascades reconstructed from share logs, their shape, and the routes ideas travel.

A share log says who passed which item to whom, and when. :func:`reconstruct_cascades` turns it
into one tree per idea and seed (a *cascade*): every customer the item reached gets one parent, the
customer it came from. :func:`cascades_from_trees` and :func:`read_propagation_trees` load trees
that were recorded as parent → child edge lists into the same table. :func:`cascade_metrics`
measures each cascade (size, depth, breadth, speed and structural virality),
:func:`adoption_curves` and :func:`cascade_influencers` summarise them.

On the network itself, with a transmission probability on every tie, :func:`most_probable_path`,
:func:`k_most_probable_paths`, :func:`reachable_within` and :func:`territories` trace the routes an
idea is most likely to take; :func:`earliest_arrival` and :func:`temporal_reach` follow chains of
timestamped messages in time order.

The cascade table
-----------------
One row per adoption, columns ``item_id``, ``customer``, ``parent`` (missing for the root of a
cascade), ``time``, ``depth`` (0 at the root) and ``root``. A cascade is identified by
``(item_id, root)``: one item may have several independent seeds. ``df.attrs["report"]`` counts what
each cleaning and attribution rule did to the input, and ``df.attrs["provenance"]`` records the call.
"""

from __future__ import annotations

import itertools
import math
import re
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from numba import njit

from netlib._kernels import _stream, _uniform
from netlib._util import SeedLike, as_rng, factorize_sorted, int_seed, provenance
from netlib.errors import DataError, ParameterError, SchemaError

__all__ = [
    "SpreadPath",
    "adoption_curves",
    "cascade_influencers",
    "cascade_metrics",
    "cascades_from_trees",
    "earliest_arrival",
    "k_most_probable_paths",
    "most_probable_path",
    "reachable_within",
    "read_propagation_trees",
    "reconstruct_cascades",
    "structural_virality",
    "temporal_reach",
    "territories",
]

RULES = ("first", "last", "strongest")


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------

def _as_ids(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Ids as strings plus a mask of missing ones (NA or blank)."""
    missing = col.isna().to_numpy().copy()
    text = col.astype("str")
    missing |= (text.str.strip() == "").to_numpy(dtype=bool, na_value=True)
    return text, missing


def _interactions_table(interactions) -> pd.DataFrame:
    """The interactions DataFrame from a DataFrame or a CustomerData."""
    table = getattr(interactions, "interactions", interactions)
    if not isinstance(table, pd.DataFrame):
        raise ParameterError("interactions must be a DataFrame (source, target, timestamp[, item_id, weight]) "
                             f"or a CustomerData; got {type(interactions).__name__}")
    missing = [c for c in ("source", "target", "timestamp") if c not in table.columns]
    if missing:
        raise SchemaError(f"interactions: column {missing[0]!r} is missing; found: {list(map(str, table.columns))}",
                          table="interactions", column=missing[0])
    return table


def _first_in_group(sorted_keys: np.ndarray) -> np.ndarray:
    """Boolean mask: the first element of each run of equal keys."""
    if len(sorted_keys) == 0:
        return np.zeros(0, dtype=bool)
    return np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]


def _climb(parent: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], np.ndarray]:
    """Roots and depths of a parent-pointer forest by pointer doubling, O(n log depth).

    Returns ``(root, depth, tables, stuck)`` where ``tables[k]`` holds each node's 2**k-th ancestor
    (clamped at the root) and ``stuck`` marks nodes whose chain of parents never reaches a root
    (they are on a cycle or lead into one); their root and depth are meaningless.
    """
    n = len(parent)
    idx = np.arange(n, dtype=np.int64)
    up = np.where(parent >= 0, parent, idx)
    steps = (parent >= 0).astype(np.int64)
    tables = [up]
    for _ in range(math.ceil(math.log2(n + 1)) + 2):
        nxt = up[up]
        if np.array_equal(nxt, up):
            break
        steps = steps + steps[up]
        up = nxt
        tables.append(up)
    stuck = parent[up] >= 0 if n else np.zeros(0, dtype=bool)
    return up, steps, tables, stuck


def _lift(node: np.ndarray, dist: np.ndarray, tables: list[np.ndarray]) -> np.ndarray:
    """The ancestor ``dist`` steps above each ``node`` (binary lifting on :func:`_climb` tables)."""
    node = node.copy()
    for b, table in enumerate(tables):
        sel = ((dist >> b) & 1).astype(bool)
        if sel.any():
            node[sel] = table[node[sel]]
    return node


@njit(cache=True)
def _subtree_sizes_kernel(parent, order):  # pragma: no cover - compiled
    n = parent.shape[0]
    size = np.ones(n, dtype=np.int64)
    for j in range(order.shape[0]):
        v = order[j]
        p = parent[v]
        if p >= 0:
            size[p] += size[v]
    return size


def _subtree_sizes(parent: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """Number of nodes in each node's subtree (itself included), in O(n) after a sort by depth."""
    if len(parent) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(-depth, kind="stable")
    return _subtree_sizes_kernel(parent.astype(np.int64), order.astype(np.int64))


# --------------------------------------------------------------------------------------------------
# Reconstruction from share logs
# --------------------------------------------------------------------------------------------------

def reconstruct_cascades(interactions, *, rule: str = "first", G: nx.Graph | None = None,
                         weight: str = "weight") -> pd.DataFrame:
    """Rebuild who-got-it-from-whom trees from a log of shares.

    Each row of ``interactions`` says ``source`` shared item ``item_id`` with ``target`` at
    ``timestamp``. A customer *adopts* an item when it first reaches them (they are the target of a
    share) or, for seeds, when they first share it. Every adopter who was reached before passing the
    item on gets one parent, chosen among the customers who shared it with them by ``rule``;
    everyone else who shared it is a root (a seed). A cascade is one tree: ``(item_id, root)``.

    Parameters
    ----------
    interactions : DataFrame or CustomerData
        Columns ``source``, ``target``, ``timestamp``; optional ``item_id`` and ``weight`` (tie
        strength for ``rule="strongest"``). ``timestamp`` may be datetimes, timedeltas or numbers.
        Rows without an item id (messages, referrals of nothing in particular) are set aside and
        counted, so a whole CustomerData can be passed; when no row names an item (or there is no
        ``item_id`` column) the whole log is one item, with a missing ``item_id`` in the result.
    rule : {"first", "last", "strongest"}
        Which exposure a customer is attributed to, among the shares that reached them before they
        first shared the item themselves (all shares that reached them, if they never shared it):
        ``"first"`` the earliest, ``"last"`` the latest, ``"strongest"`` the one from the most strongly
        tied sharer (earliest among equally strong ties).
    G : networkx graph, optional
        Only for ``rule="strongest"``: tie strength is ``G[source][target][weight]`` (0 where ``G`` has
        no such edge). Without ``G``, tie strength is the total ``weight`` (1 per row when the column
        is absent) of every row from ``source`` to ``target`` in ``interactions``, across all items.
    weight : str
        The weight column of ``interactions`` / edge attribute of ``G``.

    Returns
    -------
    DataFrame
        One row per adoption: ``item_id``, ``customer``, ``parent`` (NA for roots), ``time`` (the time
        of the attributed share; for a root, of its first share), ``depth`` (0 at roots) and ``root``.
        Rows are sorted by item, root, time, depth and customer. ``time`` never decreases from parent
        to child. ``.attrs["report"]`` is a dict of counts; every input row is in exactly one of
        ``missing_customer``, ``missing_timestamp``, ``missing_item_id``, ``self_shares``,
        ``repeated_shares``, ``receive_after_share``, ``redundant_exposures`` and ``tree_edges``.
        ``one_item`` says whether the log was taken as a single item. It also counts
        ``cycles`` (rows among ``receive_after_share`` whose target is an ancestor of the source: the
        share closes a loop), ``ties_broken`` (adopters whose attribution fell to the id order because
        their best exposures were equal in time, and in strength for ``"strongest"``),
        ``adopters``, ``roots``, ``items``.

    Raises
    ------
    SchemaError
        A required column is missing.
    ParameterError
        Unknown ``rule``, or ``G`` given with another rule than ``"strongest"``.

    Notes
    -----
    Rows are put in one total order: item, timestamp, source id, target id. Equal timestamps are
    therefore resolved by the ids, never by row order, and shuffling the log does not change the
    answer. Handling of messy rows, in this order: rows without source or target, then without
    timestamp, then without item (in a log that has items), are dropped; self-shares (source = target) are dropped; a repeated share (same item,
    source and target) keeps only its first occurrence; a share that reaches a customer after they
    first shared the item themselves cannot be why they adopted it and is not an exposure. With
    these rules a parent always shared the item strictly earlier (in the total order) than its
    child did, so the result is always a forest and never contains a cycle.

    The attribution rules follow the standard practice for diffusion logs without explicit
    reshare links (e.g. Goel, Watts & Goldstein 2012; Bakshy et al. 2011 use the first exposure,
    Gomez-Rodriguez, Leskovec & Krause 2010 discuss the alternatives).

    References
    ----------
    .. [1] S. Goel, D. J. Watts, D. G. Goldstein, "The structure of online diffusion networks",
       ACM EC 2012.
    .. [2] E. Bakshy, J. M. Hofman, W. A. Mason, D. J. Watts, "Everyone's an influencer: quantifying
       influence on Twitter", WSDM 2011.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "c", "d"],
    ...                     "timestamp": [1, 2, 3], "item_id": "x"})
    >>> reconstruct_cascades(log)[["customer", "parent", "depth"]].to_string(index=False)
    'customer parent  depth\\n       a    NaN      0\\n       b      a      1\\n       c      a      1\\n       d      b      2'
    """
    if rule not in RULES:
        raise ParameterError(f"rule must be one of {list(RULES)}; got {rule!r}")
    if G is not None and rule != "strongest":
        raise ParameterError(f"G is only used by rule='strongest'; got rule={rule!r}")
    table = _interactions_table(interactions)
    n_in = len(table)
    report: dict[str, Any] = {"rule": rule, "rows_in": n_in}

    src_s, src_missing = _as_ids(table["source"])
    tgt_s, tgt_missing = _as_ids(table["target"])
    miss_cust = src_missing | tgt_missing
    ts = table["timestamp"]
    miss_ts = ts.isna().to_numpy() & ~miss_cust
    src_v = src_s.to_numpy(dtype=object)
    tgt_v = tgt_s.to_numpy(dtype=object)
    # rows naming no item are not shares of anything, unless no row names one (one-item log)
    if "item_id" in table.columns:
        item_s, item_missing = _as_ids(table["item_id"])
    else:
        item_s, item_missing = None, np.ones(n_in, dtype=bool)
    one_item = bool(item_missing.all())
    miss_item = item_missing & ~(miss_cust | miss_ts) if not one_item else np.zeros(n_in, dtype=bool)
    selfs = ~(miss_cust | miss_ts | miss_item) & (src_v == tgt_v)
    keep = ~(miss_cust | miss_ts | miss_item | selfs)
    report["one_item"] = one_item
    report["missing_customer"] = int(miss_cust.sum())
    report["missing_timestamp"] = int(miss_ts.sum())
    report["missing_item_id"] = int(miss_item.sum())
    report["self_shares"] = int(selfs.sum())
    if one_item:
        item_vals = np.full(int(keep.sum()), None, dtype=object)
    else:
        item_vals = item_s.to_numpy(dtype=object)[keep]

    # one code space for customers, sorted by id, so the id order breaks ties
    cust_codes, cust_uniques = factorize_sorted(np.concatenate([src_v[keep], tgt_v[keep]]))
    m = int(keep.sum())
    S = cust_codes[:m].astype(np.int64)
    R = cust_codes[m:].astype(np.int64)
    I, item_uniques = factorize_sorted(item_vals, use_na_sentinel=False)
    I = I.astype(np.int64)
    T, t_uniques = pd.factorize(ts[keep], sort=True)
    T = T.astype(np.int64)
    nc = max(len(cust_uniques), 1)

    strength = None
    if rule == "strongest":
        strength = _tie_strength(table, keep, src_v, tgt_v, src_missing | tgt_missing, G, weight)

    order = np.lexsort((R, S, T, I))
    I, S, R, T = I[order], S[order], R[order], T[order]
    if strength is not None:
        strength = strength[order]

    # repeated shares: the same item, source and target again -> only the first counts
    rep = pd.DataFrame({"i": I, "s": S, "r": R}).duplicated().to_numpy()
    report["repeated_shares"] = int(rep.sum())
    if rep.any():
        ok = ~rep
        I, S, R, T = I[ok], S[ok], R[ok], T[ok]
        if strength is not None:
            strength = strength[ok]

    pos = np.arange(len(I), dtype=np.int64)
    k_src = I * nc + S
    k_tgt = I * nc + R
    sharers, first_share = np.unique(k_src, return_index=True)
    share_pos = _lookup(sharers, first_share, k_tgt, missing=np.iinfo(np.int64).max)
    after = pos > share_pos
    report["receive_after_share"] = int(after.sum())

    cand = np.flatnonzero(~after)
    ckey = k_tgt[cand]
    if rule == "first":
        o = np.lexsort((cand, ckey))
    elif rule == "last":
        o = np.lexsort((-cand, ckey))
    else:
        o = np.lexsort((cand, -strength[cand], ckey))
    ks = ckey[o]
    start = _first_in_group(ks)
    chosen = cand[o[start]]                   # row (in sorted order) that made each adopter
    chosen_keys = ks[start]
    # ties: the runner-up of the same target equals the chosen exposure on every criterion but ids
    st = np.flatnonzero(start)
    nxt = st + 1
    has_next = nxt < len(ks)
    has_next[has_next] = ks[nxt[has_next]] == ks[st[has_next]]
    a, b = cand[o[st[has_next]]], cand[o[nxt[has_next]]]
    tie = T[a] == T[b]
    if strength is not None:
        tie &= strength[a] == strength[b]
    report["ties_broken"] = int(tie.sum())
    report["redundant_exposures"] = int(len(cand) - len(chosen))
    report["tree_edges"] = len(chosen)

    # the adopters: everyone reached before sharing, plus every sharer (roots if never reached)
    nodes = np.union1d(sharers, chosen_keys)
    n_nodes = len(nodes)
    edge_row = _lookup(chosen_keys, chosen, nodes, missing=-1)
    is_root = edge_row < 0
    row = np.where(is_root, _lookup(sharers, first_share, nodes, missing=-1), edge_row)
    node_item = nodes // nc
    node_cust = nodes % nc
    parent_cust = np.where(is_root, -1, S[row])
    parent = np.where(is_root, -1, np.searchsorted(nodes, node_item * nc + np.maximum(parent_cust, 0)))
    root, depth, tables, stuck = _climb(parent)
    if stuck.any():  # pragma: no cover - impossible by construction (see Notes)
        raise RuntimeError("internal error: reconstructed cascades contain a cycle")

    # cycles: shares back to an ancestor of the sharer
    back = np.flatnonzero(after)
    if len(back):
        a_node = np.searchsorted(nodes, k_src[back])
        b_node = np.searchsorted(nodes, k_tgt[back])
        d = depth[a_node] - depth[b_node]
        ok = (d > 0) & (root[a_node] == root[b_node])
        lifted = _lift(a_node[ok], d[ok], tables)
        report["cycles"] = int((lifted == b_node[ok]).sum())
    else:
        report["cycles"] = 0

    report["adopters"] = n_nodes
    report["roots"] = int(is_root.sum())
    report["items"] = len(np.unique(node_item))
    out_order = np.lexsort((node_cust, depth, T[row], node_cust[root], node_item))
    out = _cascade_frame(
        item=item_uniques[node_item[out_order]] if len(item_uniques) else np.array([], dtype=object),
        customer=cust_uniques[node_cust[out_order]],
        parent=np.where(is_root[out_order], None, cust_uniques[np.maximum(parent_cust[out_order], 0)]
                        if nc and n_nodes else None),
        time=t_uniques.take(T[row[out_order]]) if n_nodes else t_uniques[:0],
        depth=depth[out_order],
        root=cust_uniques[node_cust[root[out_order]]] if n_nodes else np.array([], dtype=object),
    )
    out.attrs["report"] = report
    out.attrs["provenance"] = provenance("reconstruct_cascades", rule=rule, G=None if G is None else repr(G),
                                         weight=weight)
    return out


def _lookup(keys: np.ndarray, values: np.ndarray, queries: np.ndarray, *, missing: int) -> np.ndarray:
    """``values[keys == q]`` for each query (keys sorted and unique), ``missing`` where absent."""
    if len(keys) == 0:
        return np.full(len(queries), missing, dtype=np.int64)
    j = np.searchsorted(keys, queries)
    jc = np.minimum(j, len(keys) - 1)
    found = keys[jc] == queries
    return np.where(found, values[jc], missing).astype(np.int64)


def _tie_strength(table, keep, src_v, tgt_v, miss, G, weight) -> np.ndarray:
    """Strength of the tie source -> target for each kept row."""
    src_k = src_v[keep]
    tgt_k = tgt_v[keep]
    if G is not None:
        lookup = {}
        for u, v, d in G.edges(data=True):
            w = float(d.get(weight, 1.0))
            lookup[(str(u), str(v))] = w
            if not G.is_directed():
                lookup[(str(v), str(u))] = w
        return np.array([lookup.get((u, v), 0.0) for u, v in zip(src_k, tgt_k)], dtype=np.float64)
    if weight in table.columns:
        w = pd.to_numeric(table[weight], errors="coerce").fillna(1.0).to_numpy(dtype=np.float64)
    else:
        w = np.ones(len(table), dtype=np.float64)
    ok = ~miss
    pairs = pd.DataFrame({"s": src_v[ok], "t": tgt_v[ok], "w": w[ok]})
    total = pairs.groupby(["s", "t"], sort=False)["w"].sum()
    idx = pd.MultiIndex.from_arrays([src_k, tgt_k])
    return total.reindex(idx).to_numpy(dtype=np.float64)


def _cascade_frame(*, item, customer, parent, time, depth, root) -> pd.DataFrame:
    """Assemble the cascade table with the standard dtypes."""
    def text(values):
        s = pd.Series(np.asarray(values, dtype=object), dtype=object)
        na = s.isna()
        out = s.astype("str")
        if na.any():
            out = out.where(~na, pd.NA)
        return out

    out = pd.DataFrame({
        "item_id": text(item),
        "customer": text(customer),
        "parent": text(parent if isinstance(parent, np.ndarray) else np.full(len(depth), parent, dtype=object)),
        "time": pd.Series(time).reset_index(drop=True),
        "depth": np.asarray(depth, dtype=np.int64),
        "root": text(root),
    })
    return out


# --------------------------------------------------------------------------------------------------
# Pre-built trees
# --------------------------------------------------------------------------------------------------

def cascades_from_trees(edges: pd.DataFrame, *, item: str = "item_id", parent: str = "parent",
                        child: str = "child", time: str = "time", parent_time: str | None = None,
                        root_marker: str | None = None) -> pd.DataFrame:
    """Load trees recorded as parent → child edge lists into the cascade table.

    Recorded trees are rarely clean. Lines are handled by these rules, in this order, and each line
    touched is counted in ``.attrs["report"]``:

    1. ``missing_child``: no child id → dropped.
    2. ``self_loops``: parent = child → dropped.
    3. ``duplicate_lines``: the same (item, parent, child) again → only the earliest kept.
    4. ``root_reparented``: a child declared a root (a line with a missing parent) stays a root;
       its other parent lines are dropped.
    5. ``extra_parents``: a child with several parent lines keeps one: a line whose parent's time is
       not after the child's time is preferred, then the earliest child time, the earliest parent
       time, the smallest parent id. The others are dropped.
    6. ``implied_roots`` (customers, not lines): a parent that has no line of its own in the item
       becomes a root, at its ``parent_time`` when known.
    7. ``cycle_lines``: parent lines that close a cycle. In each cycle the member with the earliest
       time (then smallest id) loses its parent line and becomes a root.

    Kept lines whose parent time is after the child's time are counted (``time_inversions``) but
    kept: the tree is taken as recorded.

    Parameters
    ----------
    edges : DataFrame
        One line per edge: item, parent (missing for a root line), child, child time and optionally
        the parent's time. Times may be datetimes, timedeltas or numbers.
    item, parent, child, time, parent_time : str
        Column names. Without ``parent_time`` a parent's time is the earliest time of its own lines.
    root_marker : str, optional
        A parent value that means "no parent" (e.g. ``"ROOT"`` in the Twitter16 files), besides a
        missing value.

    Returns
    -------
    DataFrame
        The cascade table of :func:`reconstruct_cascades` (``time`` in the dtype given), with
        ``.attrs["report"]``: ``lines_in`` and one count per rule above, ``tree_edges``,
        ``adopters``, ``roots``, ``items``. ``lines_in`` = the dropped lines of rules 1-5 and 7 plus
        ``tree_edges`` plus the kept root lines (``root_lines``).

    Raises
    ------
    SchemaError
        A named column is missing.
    """
    if not isinstance(edges, pd.DataFrame):
        raise ParameterError(f"edges must be a DataFrame; got {type(edges).__name__}")
    for col in (item, parent, child, time) + ((parent_time,) if parent_time else ()):
        if col not in edges.columns:
            raise SchemaError(f"edges: column {col!r} is missing; found: {list(map(str, edges.columns))}",
                              table="edges", column=col)
    report: dict[str, Any] = {"lines_in": len(edges)}
    it_s, it_miss = _as_ids(edges[item])
    pa_s, pa_miss = _as_ids(edges[parent])
    if root_marker is not None:
        pa_miss |= (pa_s == str(root_marker)).to_numpy(dtype=bool, na_value=False)
    ch_s, ch_miss = _as_ids(edges[child])
    it_v = it_s.to_numpy(dtype=object).copy()
    it_v[it_miss] = None
    pa_v = pa_s.to_numpy(dtype=object)
    ch_v = ch_s.to_numpy(dtype=object)
    report["missing_child"] = int(ch_miss.sum())
    keep = ~ch_miss
    selfs = keep & ~pa_miss & (pa_v == ch_v)
    report["self_loops"] = int(selfs.sum())
    keep &= ~selfs

    tcol = edges[time][keep]
    ptcol = edges[parent_time][keep] if parent_time else None
    # one time code space for child and parent times
    both = pd.concat([tcol, ptcol], ignore_index=True) if ptcol is not None else tcol.reset_index(drop=True)
    tc_all, t_uniques = pd.factorize(both, sort=True)
    m = int(keep.sum())
    TC = tc_all[:m].astype(np.int64)  # -1 where missing
    TP = tc_all[m:].astype(np.int64) if ptcol is not None else None
    big = np.int64(len(t_uniques) + 1)
    TC = np.where(TC < 0, big, TC)

    codes, cust_uniques = factorize_sorted(np.concatenate([ch_v[keep], np.where(pa_miss[keep], None, pa_v[keep])]))
    C = codes[:m].astype(np.int64)
    P = codes[m:].astype(np.int64)  # -1 for root lines
    I, item_uniques = factorize_sorted(it_v[keep], use_na_sentinel=False)
    I = I.astype(np.int64)
    nc = max(len(cust_uniques), 1)

    # 3. duplicates
    o = np.lexsort((TP if TP is not None else TC, TC, P, C, I))
    I, C, P, TC = I[o], C[o], P[o], TC[o]
    if TP is not None:
        TP = TP[o]
    dup = pd.DataFrame({"i": I, "c": C, "p": P}).duplicated().to_numpy()
    report["duplicate_lines"] = int(dup.sum())
    ok = ~dup
    I, C, P, TC = I[ok], C[ok], P[ok], TC[ok]
    if TP is not None:
        TP = TP[ok]
    kc = I * nc + C

    # 4. declared roots keep no parent
    root_keys = np.unique(kc[P < 0])
    declared = np.isin(kc, root_keys)
    reparent = declared & (P >= 0)
    report["root_reparented"] = int(reparent.sum())
    ok = ~reparent
    I, C, P, TC, kc = I[ok], C[ok], P[ok], TC[ok], kc[ok]
    if TP is not None:
        TP = TP[ok]
    kp = I * nc + np.maximum(P, 0)

    # parent times: given, else the parent's earliest own line
    if TP is None:
        tmin = pd.Series(TC).groupby(kc).min()
        TP = _lookup(tmin.index.to_numpy(), tmin.to_numpy(), kp, missing=big)
    TP = np.where(TP < 0, big, TP)
    TP = np.where(P < 0, -1, TP)
    inverted = (P >= 0) & (TP > TC) & (TP != big) & (TC != big)

    # 5. one parent per child
    o = np.lexsort((P, TP, TC, inverted, kc))
    ks = kc[o]
    start = _first_in_group(ks)
    report["extra_parents"] = int((~start).sum())
    sel = o[start]
    I, C, P, TC, TP, kc, kp, inverted = (a[sel] for a in (I, C, P, TC, TP, kc, kp, inverted))

    # 6. parents without a line of their own become roots
    implied = np.setdiff1d(np.unique(kp[P >= 0]), kc)
    report["implied_roots"] = len(implied)
    if len(implied):
        it_imp = implied // nc
        # time of an implied root: the earliest parent time recorded for it
        tp = pd.Series(TP[P >= 0]).groupby(kp[P >= 0]).min()
        t_imp = _lookup(tp.index.to_numpy(), tp.to_numpy(), implied, missing=big)
        I = np.r_[I, it_imp]
        C = np.r_[C, implied % nc]
        P = np.r_[P, np.full(len(implied), -1)]
        TC = np.r_[TC, t_imp]
        TP = np.r_[TP, np.full(len(implied), -1)]
        inverted = np.r_[inverted, np.zeros(len(implied), dtype=bool)]
        kc = np.r_[kc, implied]
        kp = np.r_[kp, implied]
    o = np.argsort(kc, kind="stable")
    I, C, P, TC, TP, kc, kp, inverted = (a[o] for a in (I, C, P, TC, TP, kc, kp, inverted))
    par = np.where(P < 0, -1, np.searchsorted(kc, kp))

    # 7. break cycles
    root, depth, _, stuck = _climb(par)
    cycle_lines = 0
    while stuck.any():
        on_cycle = np.unique(root[stuck])  # after >= n doublings every stuck chain sits on its cycle
        seen: set[int] = set()
        for v in on_cycle.tolist():
            if v in seen:
                continue
            members = [v]
            w = int(par[v])
            while w != v:
                members.append(w)
                w = int(par[w])
            seen.update(members)
            breaker = min(members, key=lambda x: (TC[x], C[x]))
            par[breaker] = -1
            P[breaker] = -1
            inverted[breaker] = False
            cycle_lines += 1
        root, depth, _tables, stuck = _climb(par)
    report["cycle_lines"] = cycle_lines
    report["time_inversions"] = int(inverted.sum())
    is_root = par < 0
    report["root_lines"] = int((is_root).sum()) - report["implied_roots"] - cycle_lines
    report["tree_edges"] = int((~is_root).sum())
    report["adopters"] = len(kc)
    report["roots"] = int(is_root.sum())
    report["items"] = len(np.unique(I))

    out_order = np.lexsort((C, depth, TC, C[root], I))
    tvals = t_uniques.take(np.where(TC[out_order] >= len(t_uniques), -1, TC[out_order]), allow_fill=True) \
        if len(t_uniques) else pd.Index([pd.NA] * len(out_order))
    out = _cascade_frame(
        item=item_uniques[I[out_order]] if len(kc) else np.array([], dtype=object),
        customer=cust_uniques[C[out_order]] if len(kc) else np.array([], dtype=object),
        parent=np.where(is_root[out_order], None, cust_uniques[np.maximum(P[out_order], 0)]) if len(kc)
        else np.array([], dtype=object),
        time=tvals,
        depth=depth[out_order],
        root=cust_uniques[C[root[out_order]]] if len(kc) else np.array([], dtype=object),
    )
    out.attrs["report"] = report
    out.attrs["provenance"] = provenance("cascades_from_trees", item=item, parent=parent, child=child,
                                         time=time, parent_time=parent_time, root_marker=root_marker)
    return out


_TREE_LINE = re.compile(r"^[ \t]*\[[ \t]*'([^'\n]*)'[ \t]*,[ \t]*'([^'\n]*)'[ \t]*,[ \t]*'([^'\n]*)'[ \t]*\][ \t]*->"
                        r"[ \t]*\[[ \t]*'([^'\n]*)'[ \t]*,[ \t]*'([^'\n]*)'[ \t]*,[ \t]*'([^'\n]*)'[ \t]*\][ \t]*\r?$",
                        re.MULTILINE)


def read_propagation_trees(path, *, progress: bool | None = None) -> pd.DataFrame:
    """Read propagation trees in the format of Ma, Gao & Wong (Twitter15/Twitter16).

    Each tree file is named after its source tweet and holds one edge per line,
    ``['uid', 'tweet_id', 'delay']->['uid', 'tweet_id', 'delay']`` with ``delay`` in minutes after
    the source tweet; the root line's parent is ``['ROOT', 'ROOT', '0.0']``. A customer is a user
    id, an item is a tree (its file name). Lines go through :func:`cascades_from_trees` with the
    parent's own delay as ``parent_time``: the parent of a user retweeting from several others is
    the earliest of them that posted no later than the user did.

    Parameters
    ----------
    path : str or Path
        A ``.tar.gz`` holding ``tree/*.txt`` (and optionally ``label.txt``), a folder holding them
        (or a ``tree/`` sub-folder), or a single tree file.
    progress : bool, optional
        Show a progress bar over the files.

    Returns
    -------
    DataFrame
        The cascade table; ``time`` is a timedelta since the source tweet. ``.attrs["report"]`` is
        the :func:`cascades_from_trees` report plus ``files`` and ``unparsable_lines`` (lines not in
        the format; counted, not used). ``.attrs["labels"]`` maps item id to label when a
        ``label.txt`` (lines ``label:tweet_id``) was found.

    Raises
    ------
    DataError
        The path does not exist or holds no tree file.

    References
    ----------
    .. [1] J. Ma, W. Gao, K.-F. Wong, "Detect rumors in microblog posts using propagation structure
       via kernel learning", ACL 2017.
    """
    from netlib._util import progress as bar

    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    texts: list[tuple[str, str]] = []
    label_text = None
    if path.is_file() and (path.name.endswith((".tar.gz", ".tgz", ".tar"))):
        with tarfile.open(path) as tar:
            members = [mb for mb in tar.getmembers() if mb.isfile()]
            for mb in bar(members, progress=progress, desc="trees", unit="file"):
                name = mb.name.rsplit("/", 1)[-1]
                if name == "label.txt":
                    label_text = tar.extractfile(mb).read().decode("utf-8", "replace")
                elif "/tree/" in "/" + mb.name and name.endswith(".txt"):
                    texts.append((name[:-4], tar.extractfile(mb).read().decode("utf-8", "replace")))
    elif path.is_dir():
        tree_dir = path / "tree" if (path / "tree").is_dir() else path
        for label_path in (path / "label.txt", tree_dir.parent / "label.txt"):
            if label_path.is_file():
                label_text = label_path.read_text("utf-8", "replace")
                break
        files = sorted(p for p in tree_dir.glob("*.txt") if p.name != "label.txt")
        for p in bar(files, progress=progress, desc="trees", unit="file"):
            texts.append((p.stem, p.read_text("utf-8", "replace")))
    else:
        texts.append((path.stem, path.read_text("utf-8", "replace")))
    if not texts:
        raise DataError(f"{path}: no tree files found (expected tree/*.txt)")
    texts.sort()

    items, rows, n_lines, bad = [], [], 0, 0
    for name, text in texts:
        found = _TREE_LINE.findall(text)
        lines_here = sum(1 for ln in text.splitlines() if ln.strip())
        n_lines += lines_here
        bad += lines_here - len(found)
        items.extend([name] * len(found))
        rows.extend(found)
    parts = pd.DataFrame(rows, columns=range(6)) if rows else pd.DataFrame(columns=range(6), dtype=object)
    item_ids = np.asarray(items, dtype=object)
    root_line = (parts[0] == "ROOT").to_numpy()
    ptime = pd.to_numeric(parts[2], errors="coerce").to_numpy(dtype=np.float64)
    ctime = pd.to_numeric(parts[5], errors="coerce").to_numpy(dtype=np.float64)
    frame = pd.DataFrame({
        "item_id": item_ids,
        "parent": np.where(root_line, None, parts[0].to_numpy(dtype=object)),
        "child": parts[3].to_numpy(dtype=object),
        "time": pd.to_timedelta(ctime, unit="min"),
        "parent_time": pd.to_timedelta(np.where(root_line, np.nan, ptime), unit="min"),
    })
    out = cascades_from_trees(frame, parent_time="parent_time")
    report = {"files": len(texts), "unparsable_lines": int(bad)}
    report.update(out.attrs["report"])
    report["lines_in"] = n_lines
    out.attrs["report"] = report
    if label_text is not None:
        labels = {}
        for ln in label_text.splitlines():
            if ":" in ln:
                lab, tid = ln.strip().split(":", 1)
                labels[tid.strip()] = lab.strip()
        out.attrs["labels"] = labels
    out.attrs["provenance"] = provenance("read_propagation_trees", path=str(path))
    return out


# --------------------------------------------------------------------------------------------------
# Measuring cascades
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class _Forest:
    """A cascade table as arrays: node i is row ``rows[i]`` of the table."""

    table: pd.DataFrame
    item: np.ndarray          # item code per node
    item_uniques: np.ndarray
    parent: np.ndarray        # node index, -1 at roots
    root: np.ndarray          # node index of the root
    depth: np.ndarray
    size: np.ndarray = field(repr=False)  # subtree sizes


def _forest(cascades: pd.DataFrame) -> _Forest:
    """Validate a cascade table and index it as a forest (parents, roots, depths, subtree sizes)."""
    if not isinstance(cascades, pd.DataFrame):
        raise ParameterError(f"cascades must be a DataFrame (see reconstruct_cascades); got {type(cascades).__name__}")
    for col in ("item_id", "customer", "parent", "time"):
        if col not in cascades.columns:
            raise SchemaError(f"cascades: column {col!r} is missing; found: {list(map(str, cascades.columns))}",
                              table="cascades", column=col)
    table = cascades.reset_index(drop=True)
    cust_s, cust_miss = _as_ids(table["customer"])
    if cust_miss.any():
        row = int(np.flatnonzero(cust_miss)[0])
        raise DataError(f"cascades: row {row} has no customer")
    par_s, par_miss = _as_ids(table["parent"])
    item_s, item_miss = _as_ids(table["item_id"])
    item_v = item_s.to_numpy(dtype=object).copy()
    item_v[item_miss] = None
    I, item_uniques = factorize_sorted(item_v, use_na_sentinel=False)
    n = len(table)
    codes, cust_uniques = factorize_sorted(np.concatenate([cust_s.to_numpy(dtype=object),
                                                         np.where(par_miss, None, par_s.to_numpy(dtype=object))]))
    nc = max(len(cust_uniques), 1)
    keys = I.astype(np.int64) * nc + codes[:n]
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    dup = np.flatnonzero(~_first_in_group(sk))
    if len(dup):
        r = int(order[dup[0]])
        raise DataError(f"cascades: customer {cust_s.iloc[r]!r} adopts item {item_v[r]!r} more than once "
                        f"(row {r}); a cascade table has one row per adoption")
    pk = I.astype(np.int64) * nc + np.maximum(codes[n:], 0)
    j = np.minimum(np.searchsorted(sk, pk), n - 1) if n else np.zeros(0, dtype=np.int64)
    has_parent = ~par_miss
    found = sk[j] == pk if n else np.zeros(0, dtype=bool)
    bad = has_parent & ~found
    if bad.any():
        r = int(np.flatnonzero(bad)[0])
        raise DataError(f"cascades: parent {par_s.iloc[r]!r} of {cust_s.iloc[r]!r} (row {r}) is not an adopter "
                        f"of item {item_v[r]!r}")
    parent = np.where(has_parent, order[j] if n else j, -1).astype(np.int64)
    root, depth, _, stuck = _climb(parent)
    if stuck.any():
        r = int(np.flatnonzero(stuck)[0])
        raise DataError(f"cascades: the parents of {cust_s.iloc[r]!r} (row {r}, item {item_v[r]!r}) form a cycle")
    size = _subtree_sizes(parent, depth)
    return _Forest(table, I.astype(np.int64), np.asarray(item_uniques, dtype=object), parent, root, depth, size)


def _elapsed(times: pd.Series, origin_rows: np.ndarray) -> tuple[np.ndarray, str]:
    """Times as float64 offsets from the time of ``origin_rows`` (per row), and the kind of time."""
    t = times
    nat = t.isna().to_numpy()
    if isinstance(t.dtype, pd.DatetimeTZDtype):
        t = t.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(t) or pd.api.types.is_timedelta64_dtype(t):
        kind = "timedelta"
        unit = "datetime64[ns]" if pd.api.types.is_datetime64_dtype(t) else "timedelta64[ns]"
        raw = t.to_numpy().astype(unit).view("int64").astype(np.float64)
        raw[nat] = np.nan
    else:
        kind = "number"
        raw = pd.to_numeric(t, errors="coerce").to_numpy(dtype=np.float64)
    return raw - raw[origin_rows], kind


def _as_duration(values: np.ndarray, kind: str):
    if kind == "timedelta":
        out = pd.to_timedelta(np.where(np.isnan(values), np.nan, values), unit="ns")
        return pd.Series(out)
    return pd.Series(values, dtype=np.float64)


def structural_virality(parent) -> float:
    """Structural virality of one tree given as a parent array (-1 at the root), in O(n).

    The mean shortest-path distance over all pairs of nodes, computed from subtree sizes:
    ``W = sum over edges of s * (n - s)`` (s the size of the subtree below the edge) and
    ``SV = 2 W / (n (n - 1))``. NaN for a tree of one node.

    Parameters
    ----------
    parent : array of int
        ``parent[i]`` is the index of node i's parent, -1 for the root.

    Returns
    -------
    float

    Raises
    ------
    DataError
        ``parent`` is not a single tree (no root, several roots, a cycle or an index out of range).

    References
    ----------
    .. [1] S. Goel, A. Anderson, J. Hofman, D. J. Watts, "The structural virality of online
       diffusion", Management Science 62(1):180-196, 2016.

    Examples
    --------
    >>> structural_virality([-1, 0, 0, 0])   # a star of 4: 2 (n - 1) / n
    1.5
    >>> structural_virality([-1, 0, 1, 2])   # a path of 4: (n + 1) / 3
    1.6666666666666667
    """
    parent = np.asarray(parent, dtype=np.int64)
    n = len(parent)
    if n == 0:
        raise DataError("structural_virality: the tree is empty")
    if ((parent < -1) | (parent >= n)).any():
        raise DataError(f"structural_virality: parent indices must be -1 or in [0, {n}); got {parent.min()}..{parent.max()}")
    if int((parent < 0).sum()) != 1:
        raise DataError(f"structural_virality: expected exactly one root (parent -1); found {int((parent < 0).sum())}")
    if n == 1:
        return float("nan")
    _, depth, _, stuck = _climb(parent)
    if stuck.any():
        raise DataError("structural_virality: the parent array contains a cycle")
    s = _subtree_sizes(parent, depth)[parent >= 0]
    w = int(np.sum(s * (n - s)))
    return 2.0 * w / (n * (n - 1))


def cascade_metrics(cascades: pd.DataFrame) -> pd.DataFrame:
    """Size, depth, breadth, speed and structural virality of every cascade.

    Parameters
    ----------
    cascades : DataFrame
        A cascade table (:func:`reconstruct_cascades`, :func:`cascades_from_trees`): columns
        ``item_id``, ``customer``, ``parent``, ``time``. Depth and root are recomputed from the
        parents, so hand-made tables work too.

    Returns
    -------
    DataFrame
        One row per cascade (item and root), largest first (then by item and root), columns:
        ``item_id``, ``root``, ``size`` (adopters), ``depth`` (longest root-to-adopter chain),
        ``max_breadth`` (most adopters at one depth), ``root_children``, ``start`` (the root's time),
        ``time_to_50``, ``time_to_90`` (time after the root until the cascade first held 50% / 90% of
        its final size, rounding the count up), ``duration`` (last adoption after the root) and
        ``structural_virality`` (mean distance between all pairs of adopters; NaN for one adopter).

    Raises
    ------
    SchemaError, DataError
        Missing columns; a customer twice in one item; a parent who did not adopt the item; cycles.

    Notes
    -----
    Structural virality is computed from subtree sizes: every edge whose lower side holds ``s`` of
    the ``n`` adopters lies on ``s (n - s)`` of the shortest paths, so the sum of all pairwise
    distances is ``W = sum s (n - s)`` and ``SV = 2 W / (n (n - 1))``. That is linear in the number of
    adopters, against quadratic for all-pairs breadth-first search. A star of n gives 2(n-1)/n
    (broadcast), a path of n gives (n+1)/3 (person to person).

    References
    ----------
    .. [1] S. Goel, A. Anderson, J. Hofman, D. J. Watts, "The structural virality of online
       diffusion", Management Science 62(1):180-196, 2016.
    """
    f = _forest(cascades)
    n = len(f.parent)
    table = f.table
    roots = np.flatnonzero(f.parent < 0)
    cid = np.searchsorted(roots, f.root)         # cascade number of every node
    k = len(roots)
    size = np.bincount(cid, minlength=k)
    depth = np.zeros(k, dtype=np.int64)
    np.maximum.at(depth, cid, f.depth)
    level = pd.Series(np.ones(n, dtype=np.int64)).groupby([cid, f.depth]).sum()
    breadth = level.groupby(level=0).max().reindex(range(k), fill_value=1).to_numpy()
    root_children = np.bincount(cid[f.depth == 1], minlength=k)
    nonroot = f.parent >= 0
    s = f.size[nonroot].astype(np.float64)
    nn = size[cid[nonroot]].astype(np.float64)
    w = np.bincount(cid[nonroot], weights=s * (nn - s), minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        sv = np.where(size > 1, 2.0 * w / (size * (size - 1.0)), np.nan)

    rel, kind = _elapsed(table["time"], f.root)
    o = np.lexsort((np.where(np.isnan(rel), np.inf, rel), cid))
    starts = np.r_[0, np.cumsum(size)[:-1]]
    def at_fraction(q):
        idx = starts + np.ceil(q * size).astype(np.int64) - 1
        return rel[o[idx]] if k else np.zeros(0)
    last = rel[o[starts + size - 1]] if k else np.zeros(0)

    out = pd.DataFrame({
        "item_id": table["item_id"].iloc[roots].reset_index(drop=True).astype("str")
        .where(~table["item_id"].iloc[roots].reset_index(drop=True).isna(), pd.NA),
        "root": table["customer"].iloc[roots].reset_index(drop=True).astype("str"),
        "size": size.astype(np.int64),
        "depth": depth,
        "max_breadth": breadth.astype(np.int64),
        "root_children": root_children.astype(np.int64),
        "start": table["time"].iloc[roots].reset_index(drop=True),
        "time_to_50": _as_duration(at_fraction(0.5), kind),
        "time_to_90": _as_duration(at_fraction(0.9), kind),
        "duration": _as_duration(last, kind),
        "structural_virality": sv,
    })
    order = np.lexsort((out["root"].to_numpy(dtype=object), f.item[roots], -size))
    out = out.iloc[order].reset_index(drop=True)
    out.attrs["provenance"] = provenance("cascade_metrics", cascades=f"<{len(table)} adoptions>")
    return out


def _floor(values: pd.Series, freq) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values) or pd.api.types.is_timedelta64_dtype(values):
        return values.dt.floor(freq)
    if not isinstance(freq, (int, float, np.integer, np.floating)) or freq <= 0:
        raise ParameterError(f"freq must be a positive number for numeric times; got {freq!r}")
    return np.floor(values / freq) * freq


def adoption_curves(cascades: pd.DataFrame, *, by: str | None = "item_id", elapsed: bool = False,
                    freq=None) -> pd.DataFrame:
    """Cumulative adoptions over time, per item, per cascade or in aggregate.

    Parameters
    ----------
    cascades : DataFrame
        A cascade table (:func:`reconstruct_cascades`).
    by : {"item_id", "cascade", None}
        One curve per item, per cascade (item and root), or one aggregate curve over all adoptions.
    elapsed : bool
        Measure time from the start of each item (each cascade for ``by="cascade"``) instead of the
        clock. With ``by=None`` the aggregate then counts adoptions by time since their item's launch.
    freq : str, Timedelta or number, optional
        Bin times to this width (``"1h"``, ``pd.Timedelta("1D")``, or a number for numeric times).
        Without it there is one row per distinct time.

    Returns
    -------
    DataFrame
        Columns: the grouping columns (``item_id``; ``item_id`` and ``root``; none), ``time`` (or
        ``elapsed``), ``new`` (adoptions at that time / in that bin), ``adopters`` (cumulative) and
        ``fraction`` (cumulative share of the group's final size). Sorted by group and time.

    Raises
    ------
    ParameterError
        Unknown ``by`` or a bad ``freq``.
    """
    if by not in ("item_id", "cascade", None):
        raise ParameterError(f"by must be 'item_id', 'cascade' or None; got {by!r}")
    if by == "cascade" and "root" not in cascades.columns:
        f = _forest(cascades)
        cascades = f.table.assign(root=f.table["customer"].to_numpy()[f.root])
    for col in ("item_id", "time"):
        if col not in cascades.columns:
            raise SchemaError(f"cascades: column {col!r} is missing; found: {list(map(str, cascades.columns))}",
                              table="cascades", column=col)
    groups = {"item_id": ["item_id"], "cascade": ["item_id", "root"], None: []}[by]
    frame = cascades[list(dict.fromkeys(groups + ["item_id", "time"]))].reset_index(drop=True).copy()
    tcol = "elapsed" if elapsed else "time"
    if elapsed:
        align = groups or ["item_id"]
        start = frame.groupby(align, dropna=False, sort=False)["time"].transform("min")
        frame["elapsed"] = frame["time"] - start
    if freq is not None:
        frame[tcol] = _floor(frame[tcol], freq)
    counts = frame.groupby(groups + [tcol], dropna=False, sort=True).size().rename("new").reset_index()
    if groups:
        counts["adopters"] = counts.groupby(groups, dropna=False, sort=False)["new"].cumsum()
        total = counts.groupby(groups, dropna=False, sort=False)["new"].transform("sum")
    else:
        counts["adopters"] = counts["new"].cumsum()
        total = counts["new"].sum()
    counts["new"] = counts["new"].astype(np.int64)
    counts["adopters"] = counts["adopters"].astype(np.int64)
    counts["fraction"] = counts["adopters"] / total
    counts.attrs["provenance"] = provenance("adoption_curves", by=by, elapsed=elapsed,
                                            freq=None if freq is None else str(freq))
    return counts


def cascade_influencers(cascades: pd.DataFrame, *, k: int | None = None) -> pd.DataFrame:
    """Who set off the most adoptions downstream, across all cascades.

    A customer's ``downstream`` adoptions in a cascade are everyone below them in the tree: the
    customers they shared with, the customers those shared with, and so on (the size of their
    subtree minus themselves). Direct shares alone undercount people whose contacts pass items on.

    Parameters
    ----------
    cascades : DataFrame
        A cascade table (:func:`reconstruct_cascades`).
    k : int, optional
        Keep the top ``k``.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``, ranked by ``downstream`` (then ``direct``, then id), columns:
        ``rank``, ``downstream`` (total adoptions below them), ``direct`` (adopters they were the
        parent of), ``max_downstream`` (their largest subtree), ``adoptions`` (items they adopted),
        ``seeded`` (cascades they are the root of), ``triggered`` (items where they had at least one
        child) and ``downstream_per_adoption``.

    References
    ----------
    .. [1] E. Bakshy, J. M. Hofman, W. A. Mason, D. J. Watts, "Everyone's an influencer: quantifying
       influence on Twitter", WSDM 2011 (influence as the size of the cascade a user sets off).
    """
    if k is not None and (not isinstance(k, (int, np.integer)) or k < 1):
        raise ParameterError(f"k must be a positive integer or None; got {k!r}")
    f = _forest(cascades)
    n = len(f.parent)
    direct = np.bincount(f.parent[f.parent >= 0], minlength=n)
    frame = pd.DataFrame({
        "customer_id": f.table["customer"].astype("str").to_numpy(),
        "downstream": f.size - 1,
        "direct": direct,
        "seeded": (f.parent < 0).astype(np.int64),
        "triggered": (direct > 0).astype(np.int64),
    })
    g = frame.groupby("customer_id", sort=True)
    out = pd.DataFrame({
        "downstream": g["downstream"].sum(),
        "direct": g["direct"].sum(),
        "max_downstream": g["downstream"].max(),
        "adoptions": g.size(),
        "seeded": g["seeded"].sum(),
        "triggered": g["triggered"].sum(),
    }).astype(np.int64)
    out["downstream_per_adoption"] = out["downstream"] / out["adoptions"]
    order = np.lexsort((out.index.to_numpy(dtype=object), -out["direct"].to_numpy(), -out["downstream"].to_numpy()))
    out = out.iloc[order]
    out.insert(0, "rank", np.arange(1, len(out) + 1, dtype=np.int64))
    out.index = pd.Index(out.index.astype("str"), name="customer_id")
    if k is not None:
        out = out.head(int(k))
    out.attrs["provenance"] = provenance("cascade_influencers", k=k)
    return out


# --------------------------------------------------------------------------------------------------
# Paths on the network
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SpreadPath:
    """One route through the network and the chance an idea travels all of it.

    Attributes
    ----------
    nodes : list
        Customers from source to target (empty when the target cannot be reached).
    probability : float
        Product of the transmission probabilities of the ties on the route (0 when unreachable).
    """

    nodes: list
    probability: float

    @property
    def hops(self) -> int:
        """Number of ties on the route (-1 when there is none)."""
        return len(self.nodes) - 1


def _probabilities(G: nx.Graph, p) -> tuple[Any, np.ndarray]:
    """CSR arrays of ``G`` and the transmission probability of every arc.

    ``p`` is a number (every tie), ``"wc"`` (weighted cascade: 1 / in-degree of the head) or the
    name of an edge attribute holding probabilities.
    """
    from netlib._csr import to_csr

    if not isinstance(G, nx.Graph):
        raise ParameterError(f"G must be a networkx graph; got {type(G).__name__}")
    if isinstance(p, str) and p.lower() in ("wc", "weighted_cascade"):
        c = to_csr(G, weight=None)
        indeg = np.bincount(c.indices, minlength=c.n)
        return c, 1.0 / np.maximum(indeg[c.indices], 1)
    if isinstance(p, str):
        c = to_csr(G, weight=p, default=np.nan)
        probs = c.weights.astype(np.float64)
        if np.isnan(probs).any():
            u = int(np.searchsorted(c.indptr, int(np.flatnonzero(np.isnan(probs))[0]), side="right") - 1)
            raise ParameterError(f"p={p!r} names an edge attribute, but edges of {c.nodes[u]!r} lack it; "
                                 "give a number, 'wc' or an attribute every edge has")
    elif isinstance(p, (int, float, np.integer, np.floating)) and not isinstance(p, bool):
        c = to_csr(G, weight=None)
        probs = np.full(c.m, float(p))
    else:
        raise ParameterError(f"p must be a probability, 'wc' or an edge attribute name; got {p!r}")
    if probs.size and (probs.min() < 0 or probs.max() > 1):
        raise ParameterError(f"transmission probabilities must lie in [0, 1]; found {probs.min():g} to {probs.max():g}")
    return c, probs


def _cost_matrix(c, probs):
    """Sparse matrix of -log p over the arcs with p > 0 (explicit zeros are edges of cost 0)."""
    import scipy.sparse as sp

    live = probs > 0
    rows = np.repeat(np.arange(c.n), np.diff(c.indptr))
    keep_indptr = np.r_[0, np.cumsum(np.bincount(rows[live], minlength=c.n))]
    cost = -np.log(probs[live])
    cost[cost == 0] = 0.0  # -0.0 -> 0.0
    return sp.csr_array((cost, c.indices[live], keep_indptr), shape=(c.n, c.n))


def _node(c, v, what: str) -> int:
    try:
        return c.index[v]
    except (KeyError, TypeError):
        raise ParameterError(f"{what} {v!r} is not a node of the graph") from None


def most_probable_path(G: nx.Graph, source, target, *, p="wc") -> SpreadPath:
    """The route from ``source`` to ``target`` an idea is most likely to travel in full.

    Each tie transmits independently with its probability, so a route succeeds with the product of
    its probabilities; the best route is the shortest path on ``-log p`` (Dijkstra).

    Parameters
    ----------
    G : networkx graph
        Directed ties point the way ideas flow.
    source, target : node
    p : float, "wc" or str
        Transmission probability: one number for every tie, ``"wc"`` (weighted cascade,
        1 / in-degree of the receiving customer; Kempe, Kleinberg & Tardos 2003) or the name of an
        edge attribute holding probabilities.

    Returns
    -------
    SpreadPath
        ``nodes`` from source to target and their ``probability``; empty and 0 when unreachable.

    Raises
    ------
    ParameterError
        Unknown nodes, or probabilities missing or outside [0, 1].

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", p=0.9); G.add_edge("b", "c", p=0.9); G.add_edge("a", "c", p=0.5)
    >>> most_probable_path(G, "a", "c", p="p")
    SpreadPath(nodes=['a', 'b', 'c'], probability=0.81)
    """
    from scipy.sparse.csgraph import dijkstra

    c, probs = _probabilities(G, p)
    s = _node(c, source, "source")
    t = _node(c, target, "target")
    if s == t:
        return SpreadPath([source], 1.0)
    dist, pred = dijkstra(_cost_matrix(c, probs), directed=True, indices=s, return_predecessors=True)
    if not np.isfinite(dist[t]):
        return SpreadPath([], 0.0)
    path = [t]
    while path[-1] != s:
        path.append(int(pred[path[-1]]))
    nodes = c.ids(path[::-1])
    return SpreadPath(nodes, _path_probability(c, probs, path[::-1]))


def _path_probability(c, probs, path) -> float:
    out = 1.0
    for u, v in itertools.pairwise(path):
        lo, hi = c.indptr[u], c.indptr[u + 1]
        j = lo + int(np.searchsorted(c.indices[lo:hi], v))
        out *= float(probs[j])
    return round(out, 15)


def k_most_probable_paths(G: nx.Graph, source, target, k: int = 5, *, p="wc") -> pd.DataFrame:
    """The ``k`` most probable simple routes from ``source`` to ``target``.

    Yen's algorithm on ``-log p`` (networkx ``shortest_simple_paths``): routes come in decreasing
    probability, none visits a customer twice.

    Parameters
    ----------
    G, source, target, p
        As in :func:`most_probable_path`.
    k : int
        How many routes (fewer when fewer exist).

    Returns
    -------
    DataFrame
        Columns ``rank`` (1 = most probable), ``path`` (list of customers), ``probability``, ``hops``.

    References
    ----------
    .. [1] J. Y. Yen, "Finding the k shortest loopless paths in a network", Management Science
       17(11):712-716, 1971.
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ParameterError(f"k must be a positive integer; got {k!r}")
    c, probs = _probabilities(G, p)
    _node(c, source, "source")
    _node(c, target, "target")
    H = nx.DiGraph()
    H.add_nodes_from(range(c.n))
    rows = np.repeat(np.arange(c.n), np.diff(c.indptr))
    live = probs > 0
    H.add_weighted_edges_from(zip(rows[live].tolist(), c.indices[live].tolist(),
                                  np.maximum(-np.log(probs[live]), 0.0).tolist()), weight="cost")
    s, t = c.index[source], c.index[target]
    out = []
    if s == t:
        out.append(([source], 1.0))
    else:
        try:
            for path in nx.shortest_simple_paths(H, s, t, weight="cost"):
                out.append((c.ids(path), _path_probability(c, probs, path)))
                if len(out) >= k:
                    break
        except nx.NetworkXNoPath:
            pass
    frame = pd.DataFrame({
        "rank": np.arange(1, len(out) + 1, dtype=np.int64),
        "path": [o[0] for o in out],
        "probability": np.array([o[1] for o in out], dtype=np.float64),
        "hops": np.array([len(o[0]) - 1 for o in out], dtype=np.int64),
    })
    frame.attrs["provenance"] = provenance("k_most_probable_paths", source=source, target=target, k=int(k),
                                           p=p if not isinstance(p, np.floating) else float(p))
    return frame


def _seed_list(c, seeds) -> tuple[list, np.ndarray]:
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        seeds = [seeds]
    ids, pos, seen = [], [], set()
    for s in seeds:
        i = _node(c, s, "seed")
        if i not in seen:
            seen.add(i)
            ids.append(s)
            pos.append(i)
    if not pos:
        raise ParameterError("seeds must name at least one node")
    return ids, np.asarray(pos, dtype=np.int64)


@njit(cache=True)
def _reach_runs(indptr, indices, probs, seeds, h, runs, base):  # pragma: no cover - compiled
    """Per-node count of IC runs (hop-limited to ``h`` rounds) in which the node became active."""
    n = indptr.shape[0] - 1
    hits = np.zeros(n, dtype=np.int64)
    stamp = np.zeros(n, dtype=np.int64)
    cur = np.empty(n, dtype=np.int64)
    nxt = np.empty(n, dtype=np.int64)
    for r in range(runs):
        mark = r + 1
        st = _stream(base, r)
        nf = 0
        for s in seeds:
            if stamp[s] != mark:
                stamp[s] = mark
                cur[nf] = s
                nf += 1
                hits[s] += 1
        for _ in range(h):
            nn = 0
            for i in range(nf):
                u = cur[i]
                for e in range(indptr[u], indptr[u + 1]):
                    v = indices[e]
                    if stamp[v] != mark and _uniform(st) < probs[e]:
                        stamp[v] = mark
                        nxt[nn] = v
                        nn += 1
                        hits[v] += 1
            if nn == 0:
                break
            for i in range(nn):
                cur[i] = nxt[i]
            nf = nn
    return hits


def reachable_within(G: nx.Graph, seeds, h: int, *, p="wc", runs: int = 0, seed: SeedLike = None) -> pd.DataFrame:
    """Everyone the seeds can reach in at most ``h`` hops, and how likely that is.

    Parameters
    ----------
    G : networkx graph
    seeds : node or list of nodes
    h : int
        Largest number of hops (ties) from a seed.
    p : float, "wc" or str
        Transmission probabilities, as in :func:`most_probable_path`.
    runs : int
        When positive, also estimate the probability that each customer is reached within ``h``
        rounds of the independent cascade model (Kempe, Kleinberg & Tardos 2003) by ``runs``
        Monte-Carlo runs.
    seed : int or numpy Generator, optional
        Random seed for the Monte-Carlo runs.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (seeds included, with 0 hops), sorted by ``path_probability``
        (descending), then hops and id; columns ``hops`` (fewest ties from a seed),
        ``path_probability`` (probability of the single most probable route of at most ``h`` ties: a
        lower bound on the chance of being reached), and with ``runs``, ``probability`` (Monte-Carlo
        estimate) and ``probability_se`` (its standard error). Customers with ``path_probability``
        0 (only reachable over ties with p = 0) are left out.

    Notes
    -----
    ``path_probability`` is exact: ``h`` rounds of max-product relaxation over all ties
    (Bellman-Ford on ``-log p`` limited to ``h`` edges), O(h m).
    """
    if isinstance(h, bool) or not isinstance(h, (int, np.integer)) or h < 0:
        raise ParameterError(f"h must be a non-negative integer; got {h!r}")
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 0:
        raise ParameterError(f"runs must be a non-negative integer; got {runs!r}")
    c, probs = _probabilities(G, p)
    ids, pos = _seed_list(c, seeds)
    rev = c.reverse
    # probability of each reverse arc, in reverse-CSR order
    rows = np.repeat(np.arange(c.n), np.diff(c.indptr))
    order = np.lexsort((rows, c.indices))
    rprob = probs[order]
    rsrc = rows[order]
    best = np.zeros(c.n)
    best[pos] = 1.0
    hops = np.full(c.n, -1, dtype=np.int64)
    hops[pos] = 0
    has_in = np.diff(rev.indptr) > 0
    starts = rev.indptr[:-1][has_in]
    for step in range(1, int(h) + 1):
        if c.m == 0:
            break
        vals = best[rsrc] * rprob
        cand = np.zeros(c.n)
        cand[has_in] = np.maximum.reduceat(vals, starts)
        reached_now = (cand > 0) & (hops < 0)
        hops[reached_now] = step
        new = np.maximum(best, cand)
        if np.array_equal(new, best):
            break
        best = new
    keep = best > 0
    out = pd.DataFrame({"hops": hops[keep], "path_probability": best[keep]},
                       index=pd.Index(np.asarray(c.nodes, dtype=object)[keep], name="customer_id"))
    if runs:
        rng = as_rng(seed)
        hits = _reach_runs(c.indptr.astype(np.int64), c.indices.astype(np.int64), probs.astype(np.float64),
                           pos, int(h), int(runs), np.uint64(int_seed(rng)))
        prob = hits[keep] / runs
        out["probability"] = prob
        out["probability_se"] = np.sqrt(prob * (1 - prob) / runs)
    order = np.lexsort((np.arange(len(out)), out["hops"].to_numpy(), -out["path_probability"].to_numpy()))
    out = out.iloc[order]
    out.attrs["provenance"] = provenance("reachable_within", seeds=ids, h=int(h), p=p, runs=int(runs), seed=seed)
    return out


def territories(G: nx.Graph, seeds, *, p="wc") -> pd.DataFrame:
    """Split the customers between seeds: each goes to the seed most likely to reach them.

    A customer belongs to the seed whose most probable route to them (:func:`most_probable_path`)
    has the highest probability; ties go to the route with fewer hops, then to the seed listed
    first. A seed owns itself. Customers no seed can reach are left out.

    Parameters
    ----------
    G : networkx graph
    seeds : list of nodes
    p : float, "wc" or str
        Transmission probabilities, as in :func:`most_probable_path`.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``, columns ``seed`` (the owner), ``probability`` (of the owner's best
        route), ``hops`` (of that route), ``runner_up`` (the next most likely seed, NA if none) and
        ``margin`` (owner's probability minus the runner-up's). Sorted by seed order, then
        probability (descending) and id.

    Notes
    -----
    One Dijkstra run per seed on ``-log p``, keeping the best two owners per customer: a
    probabilistic Voronoi partition of the network (cf. Erwig 2000, "The graph Voronoi diagram with
    applications", Networks 36(3)).
    """
    from scipy.sparse.csgraph import dijkstra

    c, probs = _probabilities(G, p)
    ids, pos = _seed_list(c, seeds)
    cost = _cost_matrix(c, probs)
    hop_m = cost.copy()
    hop_m.data = np.ones_like(hop_m.data)
    n = c.n
    best = np.full(n, np.inf)
    best_h = np.full(n, np.iinfo(np.int64).max)
    owner = np.full(n, -1)
    second = np.full(n, np.inf)
    second_owner = np.full(n, -1)
    for k, s in enumerate(pos):
        dist, pred = dijkstra(cost, directed=True, indices=int(s), return_predecessors=True)
        dist[s] = 0.0
        h = _pred_hops(pred, int(s))
        better = (dist < best) | ((dist == best) & (h < best_h))
        better &= np.isfinite(dist)
        # the displaced owner becomes the runner-up where it beats the current runner-up
        demote = better & (owner >= 0)
        second_owner = np.where(demote, owner, second_owner)
        second = np.where(demote, best, second)
        worse = ~better & np.isfinite(dist) & (dist < second)
        second_owner = np.where(worse, k, second_owner)
        second = np.where(worse, dist, second)
        owner = np.where(better, k, owner)
        best_h = np.where(better, h, best_h)
        best = np.where(better, dist, best)
    for k, s in enumerate(pos):  # a seed owns itself
        if owner[s] != k:
            second_owner[s], second[s] = owner[s], best[s]
        owner[s], best[s], best_h[s] = k, 0.0, 0
    keep = owner >= 0
    prob = np.exp(-best)
    prob2 = np.where(second_owner >= 0, np.exp(-second), 0.0)
    seed_ids = np.asarray(ids + [None], dtype=object)
    out = pd.DataFrame({
        "seed": seed_ids[owner[keep]],
        "probability": prob[keep],
        "hops": best_h[keep].astype(np.int64),
        "runner_up": seed_ids[second_owner[keep]],
        "margin": prob[keep] - prob2[keep],
    }, index=pd.Index(np.asarray(c.nodes, dtype=object)[keep], name="customer_id"))
    order = np.lexsort((np.arange(len(out)), -out["probability"].to_numpy(), owner[keep]))
    out = out.iloc[order]
    out.attrs["provenance"] = provenance("territories", seeds=ids, p=p)
    return out


def _pred_hops(pred: np.ndarray, s: int) -> np.ndarray:
    """Hops of every node from ``s`` along a Dijkstra predecessor tree (large where unreachable)."""
    parent = np.where(pred >= 0, pred, -1).astype(np.int64)
    parent[s] = -1
    root, depth, _, _ = _climb(parent)
    return np.where(root == s, depth, np.iinfo(np.int64).max)


# --------------------------------------------------------------------------------------------------
# Time-respecting paths
# --------------------------------------------------------------------------------------------------

@njit(cache=True)
def _scan_contacts(src, dst, t, group_end, arr, via, hops, t0, strict):  # pragma: no cover - compiled
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
def _earliest_arrival_kernel(src, dst, t, group_end, n, source, t0, strict):  # pragma: no cover - compiled
    arr = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    via = np.full(n, -1, dtype=np.int64)
    hops = np.full(n, -1, dtype=np.int64)
    # the source knows from t0 on, so under the strict rule its own messages at t0 already count
    arr[source] = t0 - 1 if strict and t0 > np.iinfo(np.int64).min else t0
    hops[source] = 0
    _scan_contacts(src, dst, t, group_end, arr, via, hops, t0, strict)
    return arr, via, hops


@njit(cache=True)
def _temporal_reach_all(src, dst, t, group_end, n, sources, strict):  # pragma: no cover - compiled
    """Number of customers each source reaches through time-respecting chains (all start times)."""
    out = np.zeros(sources.shape[0], dtype=np.int64)
    t0 = np.iinfo(np.int64).min
    for k in range(sources.shape[0]):
        _arr, _, hops = _earliest_arrival_kernel(src, dst, t, group_end, n, sources[k], t0, strict)
        count = 0
        for v in range(n):
            if hops[v] > 0:
                count += 1
        out[k] = count
    return out


@njit(cache=True)
def _static_reach_all(indptr, indices):  # pragma: no cover - compiled
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


def _contacts(interactions):
    """Time-sorted contacts as int arrays: (src, dst, time key, group ends, customer ids, time index)."""
    table = _interactions_table(interactions)
    s_s, s_miss = _as_ids(table["source"])
    t_s, t_miss = _as_ids(table["target"])
    ok = ~(s_miss | t_miss | table["timestamp"].isna().to_numpy())
    sv, tv = s_s.to_numpy(dtype=object)[ok], t_s.to_numpy(dtype=object)[ok]
    ok2 = sv != tv
    sv, tv = sv[ok2], tv[ok2]
    codes, cust = factorize_sorted(np.concatenate([sv, tv]))
    m = len(sv)
    S, D = codes[:m].astype(np.int64), codes[m:].astype(np.int64)
    T, t_index = pd.factorize(table["timestamp"][ok][ok2], sort=True)
    T = T.astype(np.int64)
    o = np.lexsort((D, S, T))
    S, D, T = S[o], D[o], T[o]
    first = _first_in_group(T)
    starts = np.flatnonzero(first)
    ends = np.r_[starts[1:], len(T)]
    group_end = np.repeat(ends, np.diff(np.r_[starts, len(T)])).astype(np.int64)
    return S, D, T, group_end, np.asarray(cust, dtype=object), t_index, int(len(table) - m)


def earliest_arrival(interactions, source, *, start=None, strict: bool = True) -> pd.DataFrame:
    """When each customer could first have heard something ``source`` said, through chains of messages.

    A time-respecting path is a chain of messages ``source → u1 → u2 → …`` whose times increase
    (strictly, unless ``strict=False``): something said by the source can travel along it. This
    finds, for every customer, the earliest such arrival (a *foremost* path), in one pass over the
    time-sorted messages.

    Parameters
    ----------
    interactions : DataFrame or CustomerData
        Columns ``source``, ``target``, ``timestamp`` (rows missing any are skipped; self-messages
        are ignored).
    source : customer id
    start : timestamp, optional
        Only messages at or after ``start`` are used (the source "knows" from ``start``).
    strict : bool
        Whether a message at the very instant a customer was reached can pass the news on.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (reached customers and the source), sorted by arrival, columns
        ``arrival`` (time of the message that first reached them; ``start`` or NA for the source),
        ``hops`` (messages on that path) and ``via`` (who the message came from; trace ``via`` back
        to the source for the path itself).

    Raises
    ------
    ParameterError
        ``source`` sends or receives no message in the log.

    References
    ----------
    .. [1] B. Xuan, A. Ferreira, A. Jarry, "Computing shortest, fastest, and foremost journeys in
       dynamic networks", Int. J. Found. Comput. Sci. 14(2):267-285, 2003.
    .. [2] P. Holme, J. Saramäki, "Temporal networks", Physics Reports 519(3):97-125, 2012.
    """
    S, D, T, group_end, cust, t_index, _ = _contacts(interactions)
    pos = np.searchsorted(cust, str(source)) if len(cust) else 0
    if len(cust) == 0 or pos >= len(cust) or cust[pos] != str(source):
        raise ParameterError(f"source {source!r} sends or receives no message in the log")
    if start is None:
        t0 = np.iinfo(np.int64).min
    else:
        t0 = int(np.searchsorted(t_index, start, side="left"))
    arr, via, hops = _earliest_arrival_kernel(S, D, T, group_end, len(cust), int(pos), t0, bool(strict))
    reached = np.flatnonzero(hops >= 0)
    order = reached[np.lexsort((reached, arr[reached]))]
    is_src = order == pos
    arrival = pd.Series(t_index.take(np.where(is_src, 0, arr[order])))
    timelike = pd.api.types.is_datetime64_any_dtype(arrival) or pd.api.types.is_timedelta64_dtype(arrival)
    empty = pd.NaT if timelike else np.nan
    arrival = arrival.mask(pd.Series(is_src), empty if start is None else start)
    out = pd.DataFrame({
        "arrival": arrival.to_numpy(),
        "hops": hops[order],
        "via": np.where(via[order] >= 0, cust[np.maximum(via[order], 0)], None),
    }, index=pd.Index(cust[order], name="customer_id"))
    out.attrs["provenance"] = provenance("earliest_arrival", source=str(source),
                                         start=None if start is None else str(start), strict=strict)
    return out


def temporal_reach(interactions, *, sources=None, strict: bool = True,
                   progress: bool | None = None) -> pd.DataFrame:
    """How many customers each customer can reach through chains of messages in time order.

    Compared with reach in the static network of who ever messaged whom, which ignores time and so
    overstates how far anything said could have travelled.

    Parameters
    ----------
    interactions : DataFrame or CustomerData
        Columns ``source``, ``target``, ``timestamp``.
    sources : list of customer ids, optional
        Only these customers (default: everyone in the log). The cost grows with their number.
    strict : bool
        As in :func:`earliest_arrival`.
    progress : bool, optional
        Show a progress bar.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (the sources), sorted by ``temporal_reach`` (descending) then id, columns
        ``temporal_reach`` (customers reachable by a time-respecting path starting at any time),
        ``static_reach`` (customers reachable in the aggregated directed network) and ``ratio``
        (temporal / static; NaN when static reach is 0).

    Notes
    -----
    One pass over the time-sorted messages per customer: O(n m) in compiled code.

    References
    ----------
    .. [1] P. Holme, J. Saramäki, "Temporal networks", Physics Reports 519(3):97-125, 2012.
    """
    import scipy.sparse as sp

    from netlib._util import progress as bar

    S, D, T, group_end, cust, _, _ = _contacts(interactions)
    n = len(cust)
    if sources is None:
        pos = np.arange(n, dtype=np.int64)
    else:
        if isinstance(sources, (str, bytes)) or not hasattr(sources, "__iter__"):
            sources = [sources]
        wanted = pd.unique(pd.Series([str(s) for s in sources], dtype=object))
        pos = np.searchsorted(cust, wanted) if n else np.zeros(len(wanted), dtype=np.int64)
        bad = [w for w, q in zip(wanted, pos) if q >= n or cust[q] != w]
        if bad:
            raise ParameterError(f"sources {bad[:3]} send or receive no message in the log")
        pos = np.sort(pos.astype(np.int64))
    temporal = np.zeros(len(pos), dtype=np.int64)
    chunk = 64
    with bar(total=len(pos), progress=progress, desc="temporal reach", unit="source") as pbar:
        for lo in range(0, len(pos), chunk):
            part = pos[lo:lo + chunk]
            temporal[lo:lo + chunk] = _temporal_reach_all(S, D, T, group_end, n, part, bool(strict))
            pbar.update(len(part))
    A = sp.csr_array((np.ones(len(S)), (S, D)), shape=(n, n))
    A.sum_duplicates()
    A.sort_indices()
    static = _static_reach_all(A.indptr.astype(np.int64), A.indices.astype(np.int64))[pos]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(static > 0, temporal / np.maximum(static, 1), np.nan)
    out = pd.DataFrame({"temporal_reach": temporal, "static_reach": static, "ratio": ratio},
                       index=pd.Index(cust[pos], name="customer_id"))
    out = out.iloc[np.lexsort((np.arange(len(pos)), -temporal))]
    out.index = out.index.astype("str")
    out.attrs["provenance"] = provenance("temporal_reach", sources=None if sources is None else list(map(str, sources)),
                                         strict=strict)
    return out
