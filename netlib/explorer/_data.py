"""What the explorer page shows. Private.

:func:`pack` reads the graph and the customer table once and returns a dict of strings, small
lists and numpy arrays: ids and names (string tables), positions, community and segment codes,
measures, coded attributes and every tie once (:func:`_pairs`). :mod:`netlib.explorer._page` ships
the arrays as binary typed arrays (float32 with NaN for missing; codes -1 for missing; rank 0 for
none) and each string table as one text. The page turns them back into a sigma.js graph of the
drawn customers and, when a card or a neighbourhood needs them, every customer's ties.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

import networkx as nx
import numpy as np
import pandas as pd

from netlib.errors import ParameterError
from netlib.explorer import _layout
from netlib.explorer._page import StringTable

#: Above this many customers on the map (after isolates and small groups are set aside) the page draws
#: the most influential ones and the ties among them, and says so.
MAX_NODES = 10_000
#: Customers labelled on the map whatever the zoom: the most influential (plus every campaign seed);
#: other labels appear as the reader zooms in, where they do not overlap.
TOP_LABELLED = 8
#: Communities named on the map (the largest drawn ones; a name that would cover another waits for the zoom).
LABELLED_COMMUNITIES = 20
#: Ties listed on a customer's card.
TOP_TIES = 8
#: Attributes with at most this many values get a filter.
MAX_FILTER_VALUES = 60

_BEHAVIOURS = ("access", "engage", "customize", "connect", "collaborate")
_SPECIAL = {"name", "community", "community_name", "segment", "influence_rank", "is_seed", *_BEHAVIOURS}
_PII = ("name", "first_name", "last_name", "full_name", "display_name", "email", "e_mail", "phone",
        "phone_number", "mobile", "address", "street", "postcode", "zip", "ip", "ip_address")
_LABELS = {"pagerank": "PageRank", "degree": "ties (degree)", "in_degree": "ties in", "out_degree": "ties out",
           "strength": "tie strength", "in_strength": "tie strength in", "out_strength": "tie strength out",
           "katz": "Katz", "voterank": "VoteRank order", "core": "core number"}
# Tableau 10 and two more. The largest communities take them in order; the others get the first
# colour none of their tied, already coloured communities has (a greedy colouring of the community
# graph), so neighbouring discs on the map differ.
PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#9d755d",
           "#ff9da6", "#79706e", "#2f4b7c", "#a05195")


def _label(col: str) -> str:
    return _LABELS.get(col, col.replace("_", " "))


def _f32(values) -> np.ndarray:
    return np.asarray(values, dtype="float64").astype(np.float32)


def _codes(codes: np.ndarray, k: int) -> np.ndarray:
    """Codes 0..k-1 (-1 for missing) in the narrowest signed type that holds them (int8 up to 127 values)."""
    kind = np.int8 if k <= 127 else np.int16 if k <= 32767 else np.int32
    return np.asarray(codes).astype(kind)


def _percent(values) -> np.ndarray:
    """Shares 0-1 as whole percents, one byte each (255 for missing): the page shows nothing finer."""
    v = np.asarray(values, dtype="float64")
    out = np.full(v.shape, 255, dtype=np.uint8)
    ok = np.isfinite(v)
    out[ok] = np.clip(np.round(100 * v[ok]), 0, 100)
    return out


def _customer_table(G, customers: pd.DataFrame | None, nodes: list) -> pd.DataFrame:
    from netlib._csr import _compact

    if customers is None and _compact(G):  # the customers table it was built from: its node attributes
        customers = G.customers if G.customers is not None else pd.DataFrame(index=pd.Index([], name="customer_id"))
    if customers is None:
        attrs = {v: d for v, d in G.nodes(data=True)}
        table = pd.DataFrame.from_dict(attrs, orient="index") if any(attrs.values()) else pd.DataFrame(index=list(attrs))
    else:
        if not isinstance(customers, pd.DataFrame):
            raise ParameterError(f"customers must be a DataFrame indexed by customer_id; got {type(customers).__name__}")
        table = customers
        if table.index.name != "customer_id" and "customer_id" in table.columns:
            table = table.set_index("customer_id")
        if table.index.has_duplicates:
            dup = table.index[table.index.duplicated()][:3].tolist()
            raise ParameterError(f"customers: customer_id must be unique; repeated: {dup}")
    # drop columns that hold containers (dicts, lists): they are not customer attributes a person reads
    keep = [c for c in table.columns if not (table[c].dtype == object and _holds_containers(table[c]))]
    return table[keep].reindex(nodes)


def _holds_containers(col: pd.Series) -> bool:
    # infer_dtype reads the column in C; only a column of mixed kinds is looked at value by value
    if pd.api.types.infer_dtype(col, skipna=True) not in ("mixed", "unknown-array"):
        return False
    return bool(col.map(lambda x: isinstance(x, (dict, list, set))).any())


def _communities_table(membership: pd.Series, communities: pd.DataFrame | None, table: pd.DataFrame) -> pd.DataFrame:
    sizes = membership.value_counts()
    out = pd.DataFrame(index=pd.Index(sorted(sizes.index), name="community"))
    out["size"] = sizes.reindex(out.index).astype(int)
    out["name"] = [f"Community {c}" for c in out.index]
    out["description"] = ""
    if "community_name" in table.columns:
        named = table.groupby(membership.to_numpy())["community_name"].first().dropna()
        out.loc[named.index.intersection(out.index), "name"] = named.astype(str)
    if communities is not None:
        if not isinstance(communities, pd.DataFrame):
            raise ParameterError(f"communities must be a DataFrame indexed by community; got {type(communities).__name__}")
        given = communities.set_index("community") if "community" in communities.columns else communities
        for col in ("name", "description"):
            if col in given.columns:
                vals = given[col].reindex(out.index)
                have = vals.notna()
                out.loc[have, col] = vals[have].astype(str)
    return out


def _colours(size: np.ndarray, cu: np.ndarray, cv: np.ndarray) -> list[str]:
    """A palette colour per community: the largest in palette order, then greedily unlike their neighbours."""
    import scipy.sparse as sp

    k = len(size)
    between = cu != cv
    adj = sp.coo_array((np.ones(int(between.sum())), (cu[between], cv[between])), shape=(k, k)).tocsr()
    adj = (adj + adj.T).tocsr()
    colour = np.full(k, -1, dtype=np.int64)
    for r, j in enumerate(np.lexsort((np.arange(k), -size))):
        if r < len(PALETTE):
            colour[j] = r
            continue
        near = adj.indices[adj.indptr[j]:adj.indptr[j + 1]]
        weight = np.bincount(colour[near][colour[near] >= 0], weights=adj.data[adj.indptr[j]:adj.indptr[j + 1]][colour[near] >= 0],
                             minlength=len(PALETTE))
        colour[j] = int(np.argmin(weight))  # the colour least tied to this community (first among equals)
    return [PALETTE[c] for c in colour]


def _pairs(t: _layout.Ties) -> dict[str, np.ndarray]:
    """Every tie once, as a CSR over its lower end (``u < v``, sorted), strengths coded.

    ``n[ptr[u]:ptr[u + 1]]`` are the customers ``v > u`` tied to ``u``, the tie's strength
    ``wv[wc[k]]``. Each tie is stored once (half the bytes of both directions); the page turns
    the pairs into every customer's ties, strongest first, when a card first needs them.
    Strengths are sums of interaction weights and take few distinct values (105 on the 1M world),
    so they travel as one-byte codes into a table of values when they can.
    """
    ptr = t.indptr()
    if ptr[-1] >= 2**31:
        raise ParameterError(f"the explorer holds at most 2^31 ties; this network has {int(ptr[-1]):,}")
    values, codes = np.unique(t.w, return_inverse=True)
    kind = np.uint8 if len(values) <= 2**8 else np.uint16 if len(values) <= 2**16 else None
    if kind is None:  # too many distinct strengths to code: the codes are the positions themselves
        values, codes, kind = t.w, np.arange(len(t.w)), np.int32
    return {"ptr": ptr.astype(np.int32), "n": t.v.astype(np.int32), "wc": codes.astype(kind), "wv": _f32(values)}


def _group_quantile(values: np.ndarray, group: np.ndarray, bounds: np.ndarray, q: float) -> np.ndarray:
    """The ``q`` quantile (numpy's linear rule) of ``values`` within each group; ``group`` sorted, group
    ``j`` at ``bounds[j]:bounds[j + 1]``; NaN for an empty group. One sort for all the groups."""
    v = values[np.lexsort((values, group))]
    count = np.diff(bounds)
    out = np.full(len(count), np.nan)
    have = count > 0
    pos = q * (count[have] - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, count[have] - 1)
    a, b = v[bounds[:-1][have] + lo], v[bounds[:-1][have] + hi]
    out[have] = a + (b - a) * (pos - lo)
    return out


def _description(size: int, inside: float, top: str | None) -> str:
    parts = [f"{size:,} customer{'s' if size != 1 else ''}"]
    if not math.isnan(inside):
        parts.append(f"{round(100 * inside)}% of their ties stay inside the community")
    if top:
        parts.append(f"most influential member: {top}")
    return "; ".join(parts) + "."


def pack(G: nx.Graph, *, customers: pd.DataFrame | None = None, communities: pd.DataFrame | None = None,
         seeds: Iterable | None = None, size_by: str | None = None, seed: int = 0, title: str = "",
         export_href: str | None = None, pseudonymized: bool = False, max_nodes: int = MAX_NODES,
         weight: str | None = "weight") -> dict[str, Any]:
    """The page's data as a JSON-ready dict (see the module docstring)."""
    from netlib import __version__

    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ParameterError(f"seed must be an int (it seeds the layout and the communities); got {seed!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, (int, np.integer)) or max_nodes < 1:
        raise ParameterError(f"max_nodes must be an int >= 1; got {max_nodes!r}")
    t = _layout.ties(G, weight=weight)
    nodes, n = t.nodes, t.n
    table = _customer_table(G, customers, nodes)

    # communities, measures and ranks: from the table where given, computed otherwise
    if "community" in table.columns and table["community"].notna().any():
        membership = pd.to_numeric(table["community"], errors="coerce")
        missing = membership.isna()
        if missing.any():  # customers the table does not place get a community of their own each
            membership[missing] = membership.max() + 1 + np.arange(int(missing.sum()))
        membership = membership.astype(np.int64)
    else:
        from netlib.community import communities as detect

        membership = detect(G, seed=int(seed), weight=weight, progress=False).reindex(nodes)
    numeric = [c for c in table.columns if c not in _SPECIAL and pd.api.types.is_numeric_dtype(table[c])
               and not pd.api.types.is_bool_dtype(table[c])]
    if not numeric:
        from netlib.centrality import centrality

        found = centrality(G, ["degree", "pagerank"], weight=weight, seed=int(seed)).reindex(nodes)
        cols = ["degree", "pagerank"]
        table = table.join(found[cols]) if len(table.columns) else found[cols].copy()
        numeric = cols
    if size_by is None:
        size_by = "pagerank" if "pagerank" in numeric else numeric[0]
    if size_by not in numeric:
        raise ParameterError(f"size_by: {size_by!r} is not a numeric customer column; choose from {numeric}")
    size = table[size_by].astype("float64").to_numpy()
    if "influence_rank" in table.columns:
        rank = pd.to_numeric(table["influence_rank"], errors="coerce").to_numpy()
    else:
        order = np.lexsort((np.arange(n), -np.nan_to_num(size, nan=-np.inf)))
        rank = np.empty(n)
        rank[order] = np.arange(1, n + 1)
    is_seed = np.zeros(n, dtype=bool)
    if "is_seed" in table.columns:
        is_seed |= table["is_seed"].fillna(False).astype(bool).to_numpy()
    if seeds is not None:
        seeds = list(seeds)
        at = pd.Index(nodes).get_indexer(pd.Index(seeds, dtype=object)) if seeds else np.zeros(0, dtype=np.int64)
        unknown = [s for s, k in zip(seeds, at) if k < 0]
        if unknown:
            raise ParameterError(f"seeds: {len(unknown)} id(s) are not customers in the network, e.g. {unknown[:3]}")
        is_seed[at] = True

    # what the map draws
    comp_label, comp = _layout.components(t)
    placed = comp >= min(_layout.MIN_COMPONENT, int(comp.max()) if n else 1)
    drawn = placed.copy()
    summarised = int(placed.sum()) > max_nodes
    if summarised:
        by_rank = np.lexsort((np.arange(n), np.nan_to_num(rank, nan=np.inf)))
        top = by_rank[placed[by_rank]][:max_nodes]
        drawn = np.zeros(n, dtype=bool)
        drawn[top] = True
        drawn |= is_seed & placed
    xy = _layout.community_layout(t, membership.to_numpy(), drawn, seed=int(seed))
    if drawn.any():
        lo, hi = np.nanmin(xy, axis=0), np.nanmax(xy, axis=0)
        xy = (xy - lo) / max(float((hi - lo).max()), 1e-12) * 1000.0

    names = None
    if "name" in table.columns and not pseudonymized:
        text = table["name"].astype("string")
        names = StringTable(text.astype(object).where(text.notna(), None).tolist())
    ids = StringTable(str(v) for v in nodes)
    who = names or ids
    ranked = np.lexsort((np.arange(n), np.nan_to_num(rank, nan=np.inf)))
    labelled = [int(i) for i in ranked[drawn[ranked]][:TOP_LABELLED]] + [int(i) for i in np.flatnonzero(is_seed & drawn)]

    # communities: codes 0..k-1 in the table's order, colours by size
    ctab = _communities_table(membership, communities, table)
    code = pd.Series(np.arange(len(ctab)), index=ctab.index)
    ccode = code.reindex(membership.to_numpy()).to_numpy()
    inside = np.bincount(ccode[t.u], weights=t.w * (ccode[t.u] == ccode[t.v]), minlength=len(ctab))
    total = (np.bincount(ccode[t.u], weights=t.w, minlength=len(ctab))
             + np.bincount(ccode[t.v], weights=t.w, minlength=len(ctab)) - inside)
    colour = _colours(ctab["size"].to_numpy(), ccode[t.u], ccode[t.v])
    firsts = np.unique(ccode[ranked], return_index=True)
    top_member = {int(c): who[int(ranked[k])] for c, k in zip(*firsts)}
    drawn_count = np.bincount(ccode[drawn], minlength=len(ctab))
    # the drawn customers grouped by community (one sort, not a scan of every customer per community)
    on_map = np.flatnonzero(drawn)
    on_map = on_map[np.argsort(ccode[on_map], kind="stable")]
    bounds = np.searchsorted(ccode[on_map], np.arange(len(ctab) + 1))
    # the label sits just above the community's drawn members: their median x, 90th percentile of y
    cxs = _group_quantile(xy[on_map, 0], ccode[on_map], bounds, 0.5)
    cys = _group_quantile(xy[on_map, 1], ccode[on_map], bounds, 0.9)
    comm_out = []
    for j, (cid, name, given, size_j) in enumerate(zip(ctab.index, ctab["name"], ctab["description"], ctab["size"])):
        cx, cy = (round(float(cxs[j]), 1), round(float(cys[j]), 1)) if bounds[j + 1] > bounds[j] else (None, None)
        share = inside[j] / total[j] if total[j] > 0 else float("nan")
        desc = given or _description(int(size_j), share, top_member.get(j))
        comm_out.append({"id": str(cid), "name": str(name), "description": desc, "size": int(size_j),
                         "colour": colour[j], "cx": cx, "cy": cy})
    big = [int(j) for j in np.lexsort((np.arange(len(ctab)), -drawn_count)) if drawn_count[j] >= 3]
    labelled_comms = big[:LABELLED_COMMUNITIES]

    segment = segments = None
    if "segment" in table.columns and table["segment"].notna().any():
        seg_codes, seg_values = pd.factorize(table["segment"].astype("string"), sort=True)
        segment, segments = _codes(seg_codes, len(seg_values)), [str(s) for s in seg_values]
    shares = {b: _percent(pd.to_numeric(table[b], errors="coerce").to_numpy())
              for b in _BEHAVIOURS if b in table.columns} or None

    measures = [{"key": c, "label": _label(c), "values": _f32(table[c].to_numpy(dtype="float64", na_value=np.nan))}
                for c in numeric]
    hidden = set(_PII) if pseudonymized else {"name"}
    attributes = []
    for c in table.columns:
        if c in _SPECIAL or c in numeric or str(c).lower() in hidden:
            continue
        col = table[c]
        if pd.api.types.is_bool_dtype(col) or pd.api.types.infer_dtype(col, skipna=True) == "boolean" and col.notna().any():
            col = col.map({True: "yes", False: "no"})
        elif pd.api.types.is_datetime64_any_dtype(col):
            col = col.dt.strftime("%Y-%m-%d")
        codes, values = pd.factorize(col.astype("string"), sort=True)
        attributes.append({"key": str(c), "label": _label(str(c)), "codes": _codes(codes, len(values)),
                           "values": [str(v) for v in values],
                           "filter": 1 < len(values) <= MAX_FILTER_VALUES and len(values) < n})

    isolates = int((comp == 1).sum())
    small = ~placed & (comp > 1)
    slider = next((c for c in ("reach", "expected_reach", size_by) if c in numeric), size_by)
    meta = {
        "title": title, "n": n, "placed": int(placed.sum()), "drawn": int(drawn.sum()),
        "ties": int(len(t.u)), "ties_drawn": int((drawn[t.u] & drawn[t.v]).sum()), "max_nodes": int(max_nodes),
        "summarised": bool(summarised), "size_by": size_by, "size_label": _label(size_by), "slider": slider,
        "pseudonymized": bool(pseudonymized), "export_href": export_href, "isolates": isolates,
        "small_groups": int(len(np.unique(comp_label[small]))),
        "small_members": int(small.sum()), "min_component": _layout.MIN_COMPONENT,
        "top_labelled": min(TOP_LABELLED, int(drawn.sum())), "seeds": int(is_seed.sum()),
        "labelled_communities": labelled_comms, "top_ties": TOP_TIES, "netlib": __version__, "seed": int(seed),
    }
    coords = [_f32(np.where(drawn, xy[:, k], np.nan)) for k in (0, 1)]
    return {
        "version": 1, "meta": meta, "ids": ids, "names": names, "x": coords[0], "y": coords[1],
        "drawn": drawn.astype(np.uint8), "small": np.flatnonzero(small).astype(np.int32),
        "community": _codes(ccode, len(ctab)), "communities": comm_out,
        "segment": segment, "segments": segments, "shares": shares,
        "rank": np.where(np.isfinite(rank), rank, 0).astype(np.int32),  # 0: no rank
        "seed": is_seed.astype(np.uint8), "measures": measures, "attributes": attributes,
        "labelled": labelled, "pairs": _pairs(t),
    }

