"""Measuring cascades: their shape (size, depth, breadth, speed, structural virality), how adoption
grows over time, and who set off the most adoptions downstream.

Every function takes the cascade table of :func:`netlib.reconstruct_cascades` (or a hand-made one
with ``item_id``, ``customer``, ``parent``, ``time``) and indexes it as a forest once (:func:`_forest`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from netlib._api import MISSING, ids_as_str, provenance, renamed_keyword, require_columns, to_utc
from netlib._util import factorize_sorted
from netlib.cascades._forest import _climb, _first_in_group, _subtree_sizes
from netlib.cascades.reconstruct import _arrow_text, _sorted_codes
from netlib.errors import DataError, ParameterError

__all__ = ["adoption_curves", "cascade_influencers", "cascade_metrics", "structural_virality"]


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
    require_columns(cascades, ("item_id", "customer", "parent", "time"), "cascades")
    table = cascades.reset_index(drop=True)
    cust_s, cust_miss = ids_as_str(table["customer"], missing=True)
    if cust_miss.any():
        row = int(np.flatnonzero(cust_miss)[0])
        raise DataError(f"cascades: row {row} has no customer")
    par_s, par_miss = ids_as_str(table["parent"], missing=True)
    item_s, item_miss = ids_as_str(table["item_id"], missing=True)
    n = len(table)
    I, item_uniques, codes, cust_uniques = _codes(item_s, item_miss, cust_s, par_s, par_miss)
    nc = max(len(cust_uniques), 1)
    keys = I.astype(np.int64) * nc + codes[:n]
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    dup = np.flatnonzero(~_first_in_group(sk))
    if len(dup):
        r = int(order[dup[0]])
        raise DataError(f"cascades: customer {cust_s.iloc[r]!r} adopts item {_item(item_s, item_miss, r)!r} "
                        f"more than once (row {r}); a cascade table has one row per adoption")
    pk = I.astype(np.int64) * nc + np.maximum(codes[n:], 0)
    j = np.minimum(np.searchsorted(sk, pk), n - 1) if n else np.zeros(0, dtype=np.int64)
    has_parent = ~par_miss
    found = sk[j] == pk if n else np.zeros(0, dtype=bool)
    bad = has_parent & ~found
    if bad.any():
        r = int(np.flatnonzero(bad)[0])
        raise DataError(f"cascades: parent {par_s.iloc[r]!r} of {cust_s.iloc[r]!r} (row {r}) is not an adopter "
                        f"of item {_item(item_s, item_miss, r)!r}")
    parent = np.where(has_parent, order[j] if n else j, -1).astype(np.int64)
    root, depth, _, stuck = _climb(parent)
    if stuck.any():
        r = int(np.flatnonzero(stuck)[0])
        raise DataError(f"cascades: the parents of {cust_s.iloc[r]!r} (row {r}, item {_item(item_s, item_miss, r)!r}) "
                        "form a cycle")
    size = _subtree_sizes(parent, depth)
    return _Forest(table, I.astype(np.int64), np.asarray(item_uniques, dtype=object), parent, root, depth, size)


def _item(item_s: pd.Series, item_miss: np.ndarray, r: int):
    """The item id of row ``r`` for a message (None when missing)."""
    return None if item_miss[r] else item_s.iloc[r]


def _codes(item_s: pd.Series, item_miss: np.ndarray, cust_s: pd.Series, par_s: pd.Series,
           par_miss: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Items and customers (adopters, then parents) as codes in sorted id order, with their ids.

    As :func:`netlib._util.factorize_sorted` codes them (a missing item after every item; a missing
    parent -1), by pyarrow from the text columns when they are stored as arrow strings, so no Python
    string is made per row."""
    n = len(cust_s)
    cust_a, par_a, item_a = _arrow_text(cust_s), _arrow_text(par_s), _arrow_text(item_s)
    if cust_a is not None and par_a is not None:
        both, cust_uniques = _sorted_codes([cust_a, par_a.filter(pa.array(~par_miss))])
        codes = np.full(2 * n, -1, dtype=np.int64)
        codes[:n] = both[:n]
        codes[n:][~par_miss] = both[n:]
    else:
        codes, cust_uniques = factorize_sorted(np.concatenate([cust_s.to_numpy(dtype=object),
                                                             np.where(par_miss, None, par_s.to_numpy(dtype=object))]))
    if item_a is not None and not item_miss.any():
        I, item_uniques = _sorted_codes([item_a])
    else:
        item_v = item_s.to_numpy(dtype=object).copy()
        item_v[item_miss] = None
        I, item_uniques = factorize_sorted(item_v, use_na_sentinel=False)
    return I, item_uniques, codes, cust_uniques


def _elapsed(times: pd.Series, origin_rows: np.ndarray) -> tuple[np.ndarray, str]:
    """Times as float64 offsets from the time of ``origin_rows`` (per row), and the kind of time."""
    t = times
    nat = t.isna().to_numpy()
    if isinstance(t.dtype, pd.DatetimeTZDtype):
        t = to_utc(t).dt.tz_localize(None)
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
    >>> import netlib as nl
    >>> nl.structural_virality([-1, 0, 0, 0])   # a star of 4: 2 (n - 1) / n
    1.5
    >>> nl.structural_virality([-1, 0, 1, 2])   # a path of 4: (n + 1) / 3
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
    """Size, depth, breadth, speed, structural virality and largest broadcast of every cascade.

    Parameters
    ----------
    cascades : DataFrame
        A cascade table (:func:`reconstruct_cascades`, :func:`cascades_from_trees`): columns
        ``item_id``, ``customer``, ``parent``, ``time``. Depth and root are recomputed from the
        parents, so hand-made tables work too.

    Returns
    -------
    DataFrame
        One row per cascade (item and root), largest first (then by item and root), indexed by a
        RangeIndex named ``cascade`` (0 = the largest), columns:
        ``item_id``, ``root``, ``size`` (adopters), ``depth`` (longest root-to-adopter chain),
        ``max_breadth`` (most adopters at one depth), ``root_children``, ``start`` (the root's time),
        ``time_to_50``, ``time_to_90`` (time after the root until the cascade first held 50% / 90% of
        its final size, rounding the count up), ``duration`` (last adoption after the root),
        ``structural_virality`` (mean distance between all pairs of adopters; NaN for one adopter),
        ``largest_broadcast`` (the most adopters any one adopter reached directly) and
        ``broadcast_share`` (that over the adopters other than the root; NaN for one adopter).

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
    (broadcast), a path of n gives (n+1)/3 (person to person). Goel et al. (see
    :func:`structural_virality`) find popularity largely driven by the largest broadcast, hence
    ``broadcast_share``.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> shares = pd.DataFrame({"source": ["a", "a", "b", "e"], "target": ["b", "c", "d", "f"],
    ...                        "timestamp": [1, 2, 3, 4], "item_id": "x"})
    >>> m = nl.cascade_metrics(nl.reconstruct_cascades(shares))
    >>> print(m[["root", "size", "depth", "structural_virality", "broadcast_share"]].to_string())  # doctest: +NORMALIZE_WHITESPACE
             root  size  depth  structural_virality  broadcast_share
    cascade
    0           a     4      2             1.666667         0.666667
    1           e     2      1             1.000000         1.000000
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
    children = np.bincount(f.parent[f.parent >= 0], minlength=n)
    broadcast = np.zeros(k, dtype=np.int64)
    np.maximum.at(broadcast, cid, children)
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
        "largest_broadcast": broadcast,
        "broadcast_share": np.where(size > 1, broadcast / np.maximum(size - 1.0, 1.0), np.nan),
    })
    order = np.lexsort((out["root"].to_numpy(dtype=object), f.item[roots], -size))
    out = out.iloc[order].reset_index(drop=True)
    out.index.name = "cascade"
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
        ``fraction`` (cumulative share of the group's final size). Sorted by group and time,
        indexed by a RangeIndex named ``point``.

    Raises
    ------
    ParameterError
        Unknown ``by`` or a bad ``freq``.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> shares = pd.DataFrame({"source": ["a", "a", "b", "c"], "target": ["b", "c", "d", "e"],
    ...                        "timestamp": [1, 1, 3, 3], "item_id": ["x", "x", "x", "y"]})
    >>> print(nl.adoption_curves(nl.reconstruct_cascades(shares), by=None).to_string())  # doctest: +NORMALIZE_WHITESPACE
           time  new  adopters  fraction
    point
    0         1    3         3       0.5
    1         3    3         6       1.0
    """
    if by not in ("item_id", "cascade", None):
        raise ParameterError(f"by must be 'item_id', 'cascade' or None; got {by!r}")
    if by == "cascade" and "root" not in cascades.columns:
        f = _forest(cascades)
        cascades = f.table.assign(root=f.table["customer"].to_numpy()[f.root])
    require_columns(cascades, ("item_id", "time"), "cascades")
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
    counts.index.name = "point"
    counts.attrs["provenance"] = provenance("adoption_curves", by=by, elapsed=elapsed,
                                            freq=None if freq is None else str(freq))
    return counts


def cascade_influencers(cascades: pd.DataFrame, *, top: int | None = None, k=MISSING) -> pd.DataFrame:
    """Who set off the most adoptions downstream, across all cascades.

    A customer's ``downstream`` adoptions in a cascade are everyone below them in the tree: the
    customers they shared with, the customers those shared with, and so on (the size of their
    subtree minus themselves). Direct shares alone undercount people whose contacts pass items on.

    Parameters
    ----------
    cascades : DataFrame
        A cascade table (:func:`reconstruct_cascades`).
    top : int, optional
        Show the ``top`` customers only (all are ranked either way).
    k
        The old name of ``top``, kept for one release (``DeprecationWarning``).

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

    Raises
    ------
    ParameterError
        ``top`` is not a positive whole number or None.
    SchemaError, DataError
        As in :func:`cascade_metrics`.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> chain = pd.DataFrame({"source": ["a", "b", "b", "c"], "target": ["b", "c", "d", "e"],
    ...                       "timestamp": [1, 2, 3, 4], "item_id": "x"})
    >>> ranked = nl.cascade_influencers(nl.reconstruct_cascades(chain), top=3)  # a reached b, who passed it on
    >>> print(ranked[["rank", "downstream", "direct"]].to_string())  # doctest: +NORMALIZE_WHITESPACE
                 rank  downstream  direct
    customer_id
    a               1           4       1
    b               2           3       2
    c               3           1       1
    """
    top, top_name = renamed_keyword("cascade_influencers", "k", "top", k, top, None)
    if top is not None and (isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1):
        raise ParameterError(f"{top_name} must be a positive whole number or None; got {top!r}")
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
    if top is not None:
        out = out.head(int(top))
    out.attrs["provenance"] = provenance("cascade_influencers", top=top)
    return out
