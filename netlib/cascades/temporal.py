"""Time-respecting paths: who could have heard what, and when, through chains of timestamped messages.

A message passes news on only if it was sent after its sender heard it. :func:`earliest_arrival`
follows those chains from one customer (foremost paths), :func:`temporal_reach` counts how many
customers each customer can reach through them, against the static network that ignores time. The
scans run as compiled kernels (``netlib._kernels``, loaded on first use).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netlib._util import factorize_sorted, lazy_module, provenance
from netlib.cascades._forest import _as_ids, _first_in_group, _interactions_table
from netlib.errors import ParameterError

K = lazy_module("netlib._kernels")

__all__ = ["earliest_arrival", "temporal_reach"]


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

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> log = pd.DataFrame({"source": ["a", "b", "b"], "target": ["b", "c", "d"], "timestamp": [1, 2, 0]})
    >>> # b wrote to d before a reached b, so d cannot have heard it from a
    >>> print(nl.earliest_arrival(log, "a")[["hops", "via"]].to_string())  # doctest: +NORMALIZE_WHITESPACE
                 hops  via
    customer_id
    a               0  NaN
    b               1     a
    c               2     b
    """
    S, D, T, group_end, cust, t_index, _ = _contacts(interactions)
    pos = np.searchsorted(cust, str(source)) if len(cust) else 0
    if len(cust) == 0 or pos >= len(cust) or cust[pos] != str(source):
        raise ParameterError(f"source {source!r} sends or receives no message in the log")
    if start is None:
        t0 = np.iinfo(np.int64).min
    else:
        t0 = int(np.searchsorted(t_index, start, side="left"))
    arr, via, hops = K.foremost_arrival(S, D, T, group_end, len(cust), int(pos), t0, bool(strict))
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

    Raises
    ------
    ParameterError
        A source that sends or receives no message in the log.
    SchemaError
        A required column is missing.

    References
    ----------
    .. [1] P. Holme, J. Saramäki, "Temporal networks", Physics Reports 519(3):97-125, 2012.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> log = pd.DataFrame({"source": ["a", "b", "b"], "target": ["b", "c", "d"], "timestamp": [1, 2, 0]})
    >>> print(nl.temporal_reach(log).to_string())  # doctest: +NORMALIZE_WHITESPACE
                 temporal_reach  static_reach     ratio
    customer_id
    a                         2             3  0.666667
    b                         2             2  1.000000
    c                         0             0       NaN
    d                         0             0       NaN
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
            temporal[lo:lo + chunk] = K.temporal_reach_all(S, D, T, group_end, n, part, bool(strict))
            pbar.update(len(part))
    A = sp.csr_array((np.ones(len(S)), (S, D)), shape=(n, n))
    A.sum_duplicates()
    A.sort_indices()
    static = K.static_reach_all(A.indptr.astype(np.int64), A.indices.astype(np.int64))[pos]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(static > 0, temporal / np.maximum(static, 1), np.nan)
    out = pd.DataFrame({"temporal_reach": temporal, "static_reach": static, "ratio": ratio},
                       index=pd.Index(cust[pos], name="customer_id"))
    out = out.iloc[np.lexsort((np.arange(len(pos)), -temporal))]
    out.index = out.index.astype("str")
    out.attrs["provenance"] = provenance("temporal_reach", sources=None if sources is None else list(map(str, sources)),
                                         strict=strict)
    return out
