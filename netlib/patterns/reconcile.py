"""Reconciliation of connect events with the interactions the sharing network is built from."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from netlib._util import provenance
from netlib.errors import ParameterError, SchemaError
from netlib.patterns._input import _as_str_ids, _require, _ts_ns, _unpack_data
from netlib.patterns.taxonomy import load_taxonomy, normalize_event_type

__all__ = ["reconcile_connect"]


def reconcile_connect(events, interactions: pd.DataFrame | None = None, taxonomy=None, *,
                      kinds: Iterable[str] | None = None, keys: Iterable[str] = (),
                      by: str = "pair") -> pd.DataFrame:
    """Check that connect events with a target and the interactions behind the network agree.

    A connect event (share, refer, message, ...) that names a ``target`` customer is the same act as an
    interaction ``source -> target`` in the sharing log. This counts both per (source, target) pair, or
    per sharing customer, and says what does not match.

    Parameters
    ----------
    events : DataFrame or CustomerData
        Events with a ``target`` column; a CustomerData also supplies ``interactions``.
    interactions : DataFrame, optional
        ``source``, ``target`` (and the ``keys`` columns). Required unless ``events`` is a CustomerData.
    taxonomy : None, dict or path
        Which event types are connect events (see :func:`load_taxonomy`).
    kinds : iterable of str, optional
        Keep only interactions whose ``kind`` is in this set (e.g. ``{"share", "referral"}``).
    keys : iterable of str, default ()
        Extra columns that must agree for an event and an interaction to match, e.g.
        ``("timestamp", "item_id")`` for act-by-act matching; by default only the pair is compared.
    by : {"pair", "customer"}, default "pair"

    Returns
    -------
    DataFrame
        Indexed by (``source``, ``target``) or by ``customer_id`` (the sharer), columns
        ``connect_events``, ``interactions``, ``matched``, ``events_unmatched``,
        ``interactions_unmatched``. ``attrs``: ``provenance``, ``totals`` (the same summed, plus
        ``connect_without_target``: connect events naming nobody) and ``reconciled`` (True when nothing
        is unmatched on either side).

    Raises
    ------
    SchemaError
        The events lack ``target`` or a ``keys`` column; interactions lack ``source``/``target``.
    ParameterError
        No interactions given, or a bad ``by``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"], utc=True)
    >>> ev = pd.DataFrame({"customer_id": ["a", "a", "b"], "timestamp": t,
    ...                    "event_type": ["share", "share", "login"], "target": ["b", "c", None]})
    >>> inter = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "timestamp": t[:2]})
    >>> rec = reconcile_connect(ev, inter)
    >>> rec.attrs["reconciled"], rec["matched"].tolist()
    (True, [1, 1])
    """
    if by not in ("pair", "customer"):
        raise ParameterError(f"by must be 'pair' or 'customer'; got {by!r}")
    if interactions is None and not isinstance(events, pd.DataFrame) and hasattr(events, "interactions"):
        interactions = events.interactions
    frame, _ = _unpack_data(events)
    if interactions is None:
        raise ParameterError("reconcile_connect needs the interactions table (or a CustomerData)")
    if not isinstance(interactions, pd.DataFrame):
        raise ParameterError(f"interactions must be a DataFrame; got {type(interactions).__name__}")
    keys = list(keys)
    _require(frame, ["customer_id", "event_type", "target", *keys], "events")
    _require(interactions, ["source", "target", *keys], "interactions")
    mapping = load_taxonomy(taxonomy)
    connect_types = {t for t, b in mapping.items() if b == "connect"}
    etype = frame["event_type"]
    uniq = pd.Series(etype.dropna().unique())
    is_connect_type = {u: normalize_event_type(u) in connect_types for u in uniq}
    is_connect = etype.map(is_connect_type).fillna(False).astype(bool).to_numpy()
    has_target = frame["target"].notna().to_numpy()
    ev = frame.loc[is_connect & has_target, ["customer_id", "target", *keys]]
    ev = ev.rename(columns={"customer_id": "source"})
    inter = interactions
    if kinds is not None:
        if "kind" not in inter.columns:
            raise SchemaError("interactions: kinds= given but the table has no 'kind' column",
                              table="interactions", column="kind")
        inter = inter[inter["kind"].isin(list(kinds))]
    inter = inter[["source", "target", *keys]]

    def _norm(df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        for c in ("source", "target"):
            df[c] = _as_str_ids(df[c]).to_numpy()
        for c in keys:
            if c == "timestamp" or pd.api.types.is_datetime64_any_dtype(df[c]):
                df[c] = _ts_ns(df[c], "events/interactions", c)
        return df

    ev, inter = _norm(ev), _norm(inter)
    group = ["source", "target", *keys]
    left = ev.groupby(group, dropna=False, sort=False).size().rename("connect_events")
    right = inter.groupby(group, dropna=False, sort=False).size().rename("interactions")
    both = pd.concat([left, right], axis=1).fillna(0).astype(np.int64)
    both["matched"] = np.minimum(both["connect_events"], both["interactions"])
    level = ["source", "target"] if by == "pair" else ["source"]
    out = both.groupby(level=level, sort=True).sum()
    out["events_unmatched"] = out["connect_events"] - out["matched"]
    out["interactions_unmatched"] = out["interactions"] - out["matched"]
    if by == "customer":
        out.index.name = "customer_id"
    totals = {c: int(out[c].sum()) for c in out.columns}
    totals["connect_without_target"] = int((is_connect & ~has_target).sum())
    out.attrs["provenance"] = provenance("reconcile_connect", kinds=None if kinds is None else sorted(kinds),
                                         keys=keys, by=by)
    out.attrs["totals"] = totals
    out.attrs["reconciled"] = totals["events_unmatched"] == 0 and totals["interactions_unmatched"] == 0
    return out
