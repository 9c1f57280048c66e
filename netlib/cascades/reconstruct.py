"""Cascades rebuilt from share logs.

:func:`reconstruct_cascades` turns a log of who shared which item with whom, and when, into one
tree per item and seed; :func:`netlib.cascades.trees.cascades_from_trees` loads trees recorded as
edge lists into the same table. Both clean their input by stated rules, in stages, and count what
each rule did in one report (``.attrs["report"]``).

The cascade table
-----------------
One row per adoption, indexed by a RangeIndex named ``adoption``; columns ``item_id``, ``customer``,
``parent`` (missing for the root of a cascade), ``time``, ``depth`` (0 at the root) and ``root``. A
cascade is identified by ``(item_id, root)``: one item may have several independent seeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from netlib._api import as_table, ids_as_str, provenance
from netlib._csr import _compact
from netlib._util import factorize_sorted
from netlib.cascades._forest import _climb, _first_in_group, _lift, _lookup
from netlib.errors import NetlibError, ParameterError

__all__ = ["RULES", "reconstruct_cascades"]

RULES = ("first", "last", "strongest")


# --------------------------------------------------------------------------------------------------
# Reconstruction from share logs
# --------------------------------------------------------------------------------------------------

@dataclass
class _Shares:
    """A cleaned share log as int codes, sorted by item, time, source, target; repeats dropped."""

    I: np.ndarray                 # item code
    S: np.ndarray                 # source (customer code)
    R: np.ndarray                 # target (customer code)
    T: np.ndarray                 # time code
    strength: np.ndarray | None   # tie strength of each share (rule "strongest")
    items: np.ndarray             # item id of each code
    customers: np.ndarray         # customer id of each code
    times: pd.Index               # time value of each code
    nc: int                       # customer codes per item, for keys item * nc + customer


@dataclass
class _Attribution:
    """Who each adopter got the item from: keys are ``item * nc + customer``."""

    k_src: np.ndarray        # key of each share's source
    k_tgt: np.ndarray        # key of each share's target
    sharers: np.ndarray      # keys of everyone who shared, sorted
    first_share: np.ndarray  # row of each sharer's first share
    after: np.ndarray        # shares that reached their target after it had shared
    chosen: np.ndarray       # row that made each attributed adopter
    chosen_keys: np.ndarray  # key of each attributed adopter, sorted


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
    G : networkx graph or CustomerNetwork, optional
        Only for ``rule="strongest"``: tie strength is ``G[source][target][weight]`` (0 where ``G`` has
        no such edge). Without ``G``, tie strength is the total ``weight`` (1 per row when the column
        is absent) of every row from ``source`` to ``target`` in ``interactions``, across all items.
    weight : str
        The weight column of ``interactions`` / edge attribute of ``G``.

    Returns
    -------
    DataFrame
        One row per adoption, indexed by a RangeIndex named ``adoption``: ``item_id``, ``customer``,
        ``parent`` (NA for roots), ``time`` (the time of the attributed share; for a root, of its
        first share), ``depth`` (0 at roots) and ``root``.
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
    >>> import netlib as nl
    >>> log = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "c", "d"],
    ...                     "timestamp": [1, 2, 3], "item_id": "x"})
    >>> nl.reconstruct_cascades(log)[["customer", "parent", "depth"]].to_string(index=False)
    'customer parent  depth\\n       a    NaN      0\\n       b      a      1\\n       c      a      1\\n       d      b      2'
    """
    if rule not in RULES:
        raise ParameterError(f"rule must be one of {list(RULES)}; got {rule!r}")
    if G is not None and rule != "strongest":
        raise ParameterError(f"G is only used by rule='strongest'; got rule={rule!r}")
    table = as_table(interactions, "interactions", required=("source", "target", "timestamp"))
    report: dict[str, Any] = {"rule": rule, "rows_in": len(table)}
    shares = _encode_shares(table, rule, G, weight, report)
    attribution = _attribute(shares, rule, report)
    out = _share_forest(shares, attribution, report)
    out.attrs["report"] = report
    out.attrs["provenance"] = provenance("reconstruct_cascades", rule=rule, G=None if G is None else repr(G),
                                         weight=weight)
    return out


def _encode_shares(table: pd.DataFrame, rule: str, G, weight: str, report: dict) -> _Shares:
    """Stage 1: set aside unusable rows (counted), code ids and times, order, drop repeated shares."""
    n_in = len(table)
    src_s, src_missing = ids_as_str(table["source"], missing=True)
    tgt_s, tgt_missing = ids_as_str(table["target"], missing=True)
    miss_cust = src_missing | tgt_missing
    ts = table["timestamp"]
    miss_ts = ts.isna().to_numpy() & ~miss_cust
    src_a, tgt_a = _arrow_text(src_s), _arrow_text(tgt_s)
    arrow = src_a is not None and tgt_a is not None
    src_v = tgt_v = None
    if not arrow or rule == "strongest":
        src_v = src_s.to_numpy(dtype=object)
        tgt_v = tgt_s.to_numpy(dtype=object)
    # rows naming no item are not shares of anything, unless no row names one (one-item log)
    if "item_id" in table.columns:
        item_s, item_missing = ids_as_str(table["item_id"], missing=True)
    else:
        item_s, item_missing = None, np.ones(n_in, dtype=bool)
    one_item = bool(item_missing.all())
    miss_item = item_missing & ~(miss_cust | miss_ts) if not one_item else np.zeros(n_in, dtype=bool)
    same = pc.fill_null(pc.equal(src_a, tgt_a), False).to_numpy(zero_copy_only=False) if arrow else src_v == tgt_v
    selfs = ~(miss_cust | miss_ts | miss_item) & np.asarray(same, dtype=bool)  # missing ids: set aside above
    keep = ~(miss_cust | miss_ts | miss_item | selfs)
    report["one_item"] = one_item
    report["missing_customer"] = int(miss_cust.sum())
    report["missing_timestamp"] = int(miss_ts.sum())
    report["missing_item_id"] = int(miss_item.sum())
    report["self_shares"] = int(selfs.sum())
    item_a = None if one_item else _arrow_text(item_s)
    m = int(keep.sum())
    # one code space for customers, sorted by id, so the id order breaks ties
    if arrow:
        kept = pa.array(keep)
        cust_codes, cust_uniques = _sorted_codes([src_a.filter(kept), tgt_a.filter(kept)])
    else:
        cust_codes, cust_uniques = factorize_sorted(np.concatenate([src_v[keep], tgt_v[keep]]))
    S = cust_codes[:m].astype(np.int64)
    R = cust_codes[m:].astype(np.int64)
    if item_a is not None:  # kept rows all name an item
        I, item_uniques = _sorted_codes([item_a.filter(pa.array(keep))])
    else:
        item_vals = (np.full(m, None, dtype=object) if one_item else item_s.to_numpy(dtype=object)[keep])
        I, item_uniques = factorize_sorted(item_vals, use_na_sentinel=False)
    I = I.astype(np.int64)
    T, t_uniques = pd.factorize(ts[keep], sort=True)
    T = T.astype(np.int64)
    strength = None
    if rule == "strongest":
        strength = _tie_strength(table, keep, src_v, tgt_v, miss_cust, G, weight)

    order = np.lexsort((R, S, T, I))
    ok = order[~pd.DataFrame({"i": I[order], "s": S[order], "r": R[order]}).duplicated().to_numpy()]
    # repeated shares: the same item, source and target again -> only the first counts
    report["repeated_shares"] = int(len(order) - len(ok))
    return _Shares(I[ok], S[ok], R[ok], T[ok], None if strength is None else strength[ok],
                   np.asarray(item_uniques, dtype=object), np.asarray(cust_uniques, dtype=object), t_uniques,
                   max(len(cust_uniques), 1))


def _arrow_text(col: pd.Series | None) -> pa.ChunkedArray | None:
    """The pyarrow strings behind a text column (no copy), or None when it is not stored that way."""
    array = None if col is None else col.array
    if array is None or not hasattr(array, "__arrow_array__"):
        return None
    out = array.__arrow_array__()
    out = out if isinstance(out, pa.ChunkedArray) else pa.chunked_array([out])
    return out if pa.types.is_string(out.type) or pa.types.is_large_string(out.type) else None


def _sorted_codes(columns: list[pa.ChunkedArray]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`factorize_sorted` of the columns end to end, for text without missing values, by pyarrow.

    Every value is hashed once in C++ and only the distinct strings are sorted (UTF-8 byte order is
    Python's order of str), so no Python string is made per row."""
    chunks = [c.cast(pa.large_string()) for col in columns for c in col.chunks]
    joined = pa.concat_arrays(chunks) if chunks else pa.array([], pa.large_string())
    encoded = pc.dictionary_encode(joined)
    order = pc.sort_indices(encoded.dictionary).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    codes = rank[encoded.indices.to_numpy(zero_copy_only=False)] if len(order) else np.zeros(0, dtype=np.int64)
    return codes, encoded.dictionary.take(pa.array(order)).to_numpy(zero_copy_only=False)


def _attribute(sh: _Shares, rule: str, report: dict) -> _Attribution:
    """Stage 2: the exposures that count (before the target first shared) and the one chosen by ``rule``."""
    pos = np.arange(len(sh.I), dtype=np.int64)
    k_src = sh.I * sh.nc + sh.S
    k_tgt = sh.I * sh.nc + sh.R
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
        o = np.lexsort((cand, -sh.strength[cand], ckey))
    ks = ckey[o]
    start = _first_in_group(ks)
    chosen = cand[o[start]]                   # row (in sorted order) that made each adopter
    # ties: the runner-up of the same target equals the chosen exposure on every criterion but ids
    st = np.flatnonzero(start)
    nxt = st + 1
    has_next = nxt < len(ks)
    has_next[has_next] = ks[nxt[has_next]] == ks[st[has_next]]
    a, b = cand[o[st[has_next]]], cand[o[nxt[has_next]]]
    tie = sh.T[a] == sh.T[b]
    if sh.strength is not None:
        tie &= sh.strength[a] == sh.strength[b]
    report["ties_broken"] = int(tie.sum())
    report["redundant_exposures"] = int(len(cand) - len(chosen))
    report["tree_edges"] = len(chosen)
    return _Attribution(k_src, k_tgt, sharers, first_share, after, chosen, ks[start])


def _share_forest(sh: _Shares, at: _Attribution, report: dict) -> pd.DataFrame:
    """Stage 3: adopters as a forest (roots, depths), loops closed by late shares counted, the table."""
    # the adopters: everyone reached before sharing, plus every sharer (roots if never reached)
    nodes = np.union1d(at.sharers, at.chosen_keys)
    n_nodes = len(nodes)
    nc = sh.nc
    edge_row = _lookup(at.chosen_keys, at.chosen, nodes, missing=-1)
    is_root = edge_row < 0
    row = np.where(is_root, _lookup(at.sharers, at.first_share, nodes, missing=-1), edge_row)
    node_item = nodes // nc
    node_cust = nodes % nc
    parent_cust = np.where(is_root, -1, sh.S[row])
    parent = np.where(is_root, -1, np.searchsorted(nodes, node_item * nc + np.maximum(parent_cust, 0)))
    root, depth, tables, stuck = _climb(parent)
    if stuck.any():  # pragma: no cover - impossible by construction (see Notes)
        raise NetlibError("internal error: reconstructed cascades contain a cycle")
    report["cycles"] = _loops_closed(nodes, at, root, depth, tables)
    report["adopters"] = n_nodes
    report["roots"] = int(is_root.sum())
    report["items"] = len(np.unique(node_item))

    out_order = np.lexsort((node_cust, depth, sh.T[row], node_cust[root], node_item))
    cust = sh.customers
    return _cascade_frame(
        item=sh.items[node_item[out_order]] if len(sh.items) else np.array([], dtype=object),
        customer=cust[node_cust[out_order]],
        parent=np.where(is_root[out_order], None, cust[np.maximum(parent_cust[out_order], 0)]
                        if nc and n_nodes else None),
        time=sh.times.take(sh.T[row[out_order]]) if n_nodes else sh.times[:0],
        depth=depth[out_order],
        root=cust[node_cust[root[out_order]]] if n_nodes else np.array([], dtype=object),
    )


def _loops_closed(nodes, at: _Attribution, root, depth, tables) -> int:
    """Late shares (after the target had shared) whose target is an ancestor of the source."""
    back = np.flatnonzero(at.after)
    if not len(back):
        return 0
    a_node = np.searchsorted(nodes, at.k_src[back])
    b_node = np.searchsorted(nodes, at.k_tgt[back])
    d = depth[a_node] - depth[b_node]
    ok = (d > 0) & (root[a_node] == root[b_node])
    lifted = _lift(a_node[ok], d[ok], tables)
    return int((lifted == b_node[ok]).sum())


def _tie_strength(table, keep, src_v, tgt_v, miss, G, weight) -> np.ndarray:
    """Strength of the tie source -> target for each kept row."""
    src_k = src_v[keep]
    tgt_k = tgt_v[keep]
    if G is not None and _compact(G):
        return _compact_strength(G, weight, src_k, tgt_k)
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
    """Assemble the cascade table with the standard dtypes and its ``adoption`` index."""
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
    out.index = pd.RangeIndex(len(out), name="adoption")
    return out


def _compact_strength(net, weight: str, src: np.ndarray, tgt: np.ndarray) -> np.ndarray:
    """:func:`_tie_strength` from a CustomerNetwork's arrays: the tie's ``weight`` (0 without a tie)."""
    ids = net.ids if pd.api.types.is_string_dtype(net.ids.dtype) else net.ids.astype(str)
    s, t = ids.get_indexer(pd.Index(src)), ids.get_indexer(pd.Index(tgt))
    n = max(net.n, 1)
    keys = net.source.astype(np.int64) * n + net.indices  # sorted: ties are in (source, target) order
    wanted = s.astype(np.int64) * n + t
    pos = np.minimum(np.searchsorted(keys, wanted), max(net.m - 1, 0))
    found = (s >= 0) & (t >= 0) & (keys[pos] == wanted) if net.m else np.zeros(len(wanted), dtype=bool)
    return np.where(found, net.tie_attribute(weight, 1.0)[pos] if net.m else 0.0, 0.0)
