"""Cascades loaded from recorded trees: :func:`cascades_from_trees` turns parent → child edge lists into
the cascade table of :mod:`netlib.cascades.reconstruct`, cleaning them by stated rules and counting
what each rule did in ``.attrs["report"]``."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from netlib._api import ids_as_str, provenance, require_columns
from netlib._util import factorize_sorted
from netlib.cascades._forest import _climb, _first_in_group, _lookup
from netlib.cascades.reconstruct import _cascade_frame
from netlib.errors import ParameterError

__all__ = ["cascades_from_trees"]


@dataclass
class _Lines:
    """Tree lines as int codes: item, child, parent (-1: root line), child and parent time codes."""

    I: np.ndarray
    C: np.ndarray
    P: np.ndarray
    TC: np.ndarray
    TP: np.ndarray | None = None        # parent time code (None until known)
    kc: np.ndarray | None = None        # child key item * nc + child
    kp: np.ndarray | None = None        # parent key item * nc + parent
    inverted: np.ndarray | None = None  # parent time after child time

    def take(self, sel) -> None:
        """Keep the lines ``sel`` (a mask or positions), in that order."""
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                setattr(self, f.name, value[sel])


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
    ParameterError
        ``edges`` is not a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> lines = pd.DataFrame({"item_id": "t1", "parent": [None, "a", "a", "b", "b"],
    ...                       "child": ["a", "b", "c", "d", "d"], "time": [0, 1, 2, 3, 3]})
    >>> trees = nl.cascades_from_trees(lines)
    >>> print(trees[["customer", "parent", "depth"]].to_string(index=False))  # doctest: +NORMALIZE_WHITESPACE
    customer parent  depth
           a    NaN      0
           b      a      1
           c      a      1
           d      b      2
    >>> trees.attrs["report"]["duplicate_lines"]
    1
    """
    if not isinstance(edges, pd.DataFrame):
        raise ParameterError(f"edges must be a DataFrame; got {type(edges).__name__}")
    require_columns(edges, (item, parent, child, time) + ((parent_time,) if parent_time else ()), "edges")
    report: dict[str, Any] = {"lines_in": len(edges)}
    lines, customers, items, times = _encode_lines(edges, item, parent, child, time, parent_time, root_marker,
                                                   report)
    nc = max(len(customers), 1)
    big = np.int64(len(times) + 1)  # the code of a missing time
    _one_line_per_child(lines, nc, big, report)
    _add_implied_roots(lines, nc, big, report)
    par, root, depth = _break_cycles(lines, report)
    is_root = par < 0
    report["time_inversions"] = int(lines.inverted.sum())
    report["root_lines"] = int(is_root.sum()) - report["implied_roots"] - report["cycle_lines"]
    report["tree_edges"] = int((~is_root).sum())
    report["adopters"] = len(lines.kc)
    report["roots"] = int(is_root.sum())
    report["items"] = len(np.unique(lines.I))

    I, C, P, TC = lines.I, lines.C, lines.P, lines.TC
    out_order = np.lexsort((C, depth, TC, C[root], I))
    tvals = times.take(np.where(TC[out_order] >= len(times), -1, TC[out_order]), allow_fill=True) \
        if len(times) else pd.Index([pd.NA] * len(out_order))
    none = np.array([], dtype=object)
    out = _cascade_frame(
        item=items[I[out_order]] if len(C) else none,
        customer=customers[C[out_order]] if len(C) else none,
        parent=np.where(is_root[out_order], None, customers[np.maximum(P[out_order], 0)]) if len(C) else none,
        time=tvals,
        depth=depth[out_order],
        root=customers[C[root[out_order]]] if len(C) else none,
    )
    out.attrs["report"] = report
    out.attrs["provenance"] = provenance("cascades_from_trees", item=item, parent=parent, child=child,
                                         time=time, parent_time=parent_time, root_marker=root_marker)
    return out


def _encode_lines(edges, item, parent, child, time, parent_time, root_marker, report):
    """Rules 1-2 (no child, self-loops), then ids and times as codes: ``(lines, customers, items, times)``."""
    it_s, it_miss = ids_as_str(edges[item], missing=True)
    pa_s, pa_miss = ids_as_str(edges[parent], missing=True)
    if root_marker is not None:
        pa_miss |= (pa_s == str(root_marker)).to_numpy(dtype=bool, na_value=False)
    ch_s, ch_miss = ids_as_str(edges[child], missing=True)
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
    TC = np.where(TC < 0, np.int64(len(t_uniques) + 1), TC)
    codes, cust_uniques = factorize_sorted(np.concatenate([ch_v[keep], np.where(pa_miss[keep], None, pa_v[keep])]))
    I, item_uniques = factorize_sorted(it_v[keep], use_na_sentinel=False)
    lines = _Lines(I.astype(np.int64), codes[:m].astype(np.int64), codes[m:].astype(np.int64), TC, TP)
    return lines, np.asarray(cust_uniques, dtype=object), np.asarray(item_uniques, dtype=object), t_uniques


def _one_line_per_child(lines: _Lines, nc: int, big, report: dict) -> None:
    """Rules 3-5: duplicate lines, declared roots keep no parent, one parent line per child."""
    tie = lines.TP if lines.TP is not None else lines.TC
    lines.take(np.lexsort((tie, lines.TC, lines.P, lines.C, lines.I)))
    dup = pd.DataFrame({"i": lines.I, "c": lines.C, "p": lines.P}).duplicated().to_numpy()
    report["duplicate_lines"] = int(dup.sum())
    lines.take(~dup)
    lines.kc = lines.I * nc + lines.C

    root_keys = np.unique(lines.kc[lines.P < 0])
    reparent = np.isin(lines.kc, root_keys) & (lines.P >= 0)
    report["root_reparented"] = int(reparent.sum())
    lines.take(~reparent)
    lines.kp = lines.I * nc + np.maximum(lines.P, 0)

    # parent times: given, else the parent's earliest own line
    TP = lines.TP
    if TP is None:
        tmin = pd.Series(lines.TC).groupby(lines.kc).min()
        TP = _lookup(tmin.index.to_numpy(), tmin.to_numpy(), lines.kp, missing=big)
    TP = np.where(TP < 0, big, TP)
    lines.TP = np.where(lines.P < 0, -1, TP)
    lines.inverted = (lines.P >= 0) & (lines.TP > lines.TC) & (lines.TP != big) & (lines.TC != big)

    o = np.lexsort((lines.P, lines.TP, lines.TC, lines.inverted, lines.kc))
    start = _first_in_group(lines.kc[o])
    report["extra_parents"] = int((~start).sum())
    lines.take(o[start])


def _add_implied_roots(lines: _Lines, nc: int, big, report: dict) -> None:
    """Rule 6: a parent without a line of its own becomes a root (at its earliest parent time);
    lines end up sorted by child key."""
    has_parent = lines.P >= 0
    implied = np.setdiff1d(np.unique(lines.kp[has_parent]), lines.kc)
    report["implied_roots"] = len(implied)
    if len(implied):
        tp = pd.Series(lines.TP[has_parent]).groupby(lines.kp[has_parent]).min()
        none = np.full(len(implied), -1)
        extra = _Lines(implied // nc, implied % nc, none, _lookup(tp.index.to_numpy(), tp.to_numpy(), implied,
                                                                  missing=big),
                       none, implied, implied, np.zeros(len(implied), dtype=bool))
        for f in fields(lines):
            setattr(lines, f.name, np.r_[getattr(lines, f.name), getattr(extra, f.name)])
    lines.take(np.argsort(lines.kc, kind="stable"))


def _break_cycles(lines: _Lines, report: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rule 7: in each cycle of parent lines the earliest member (then smallest id) becomes a root.

    Returns the parent position of every line (-1: root), roots and depths."""
    par = np.where(lines.P < 0, -1, np.searchsorted(lines.kc, lines.kp))
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
            breaker = min(members, key=lambda x: (lines.TC[x], lines.C[x]))
            par[breaker] = -1
            lines.P[breaker] = -1
            lines.inverted[breaker] = False
            cycle_lines += 1
        root, depth, _tables, stuck = _climb(par)
    report["cycle_lines"] = cycle_lines
    return par, root, depth
