"""Per-customer behaviour profiles from an event log: shares, counts, intensity, recency, breadth."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from netlib._api import ids_as_str, provenance, require_columns, to_utc, to_utc_ns
from netlib.errors import DataError, ParameterError, UnmappedEventTypesWarning
from netlib.patterns._input import _unpack_data
from netlib.patterns.taxonomy import BEHAVIOURS, _IGNORE, _MISSING_TYPE, load_taxonomy, normalize_event_type

__all__ = ["pattern_profiles"]


_NS_PER_DAY = 86_400 * 10**9
_NS_PER_WEEK = 7 * _NS_PER_DAY
_MONDAY_OFFSET_NS = 3 * _NS_PER_DAY  # 1970-01-01 was a Thursday; weeks start on Monday
_BITMAP_LIMIT = 200_000_000  # cells (bytes) of the customer x week bitmap before falling back to hashing
_ON_UNMAPPED = ("warn", "ignore", "raise", "suggest")


def _type_lookup(event_types: pd.Series, mapping: dict[str, str]):
    """Factorise event types; return codes, unique raw types and behaviour index per unique type.

    Behaviour index: 0..4 for the five behaviours, 5 for ignored, -1 for unmapped. Missing event types
    get the last unique slot, named ``<missing>``.
    """
    codes, uniques = pd.factorize(event_types, use_na_sentinel=True)
    raw = [str(u) for u in uniques]
    n_known = len(raw)
    if (codes < 0).any():
        codes = np.where(codes < 0, n_known, codes)
        raw.append(_MISSING_TYPE)
    lookup = {b: i for i, b in enumerate(BEHAVIOURS)}
    lookup[_IGNORE] = len(BEHAVIOURS)
    beh = np.full(len(raw), -1, dtype=np.int64)
    for i in range(n_known):
        behaviour = mapping.get(normalize_event_type(raw[i]))
        if behaviour is not None:
            beh[i] = lookup[behaviour]
    return codes.astype(np.int64, copy=False), raw, beh


def _type_weights(weights, raw: list[str], beh: np.ndarray, mapping: dict[str, str]) -> np.ndarray:
    out = np.ones(len(raw), dtype=np.float64)
    if weights is None:
        return out
    if isinstance(weights, pd.Series):
        weights = weights.to_dict()
    if not isinstance(weights, Mapping):
        raise ParameterError(f"weights must be a dict {{event_type or behaviour: weight}}; got "
                             f"{type(weights).__name__}")
    by_type: dict[str, float] = {}
    by_behaviour: dict[str, float] = {}
    unknown = []
    for key, value in weights.items():
        try:
            value = float(value)
        except (TypeError, ValueError) as exc:
            raise ParameterError(f"weights[{key!r}] must be a number; got {value!r}") from exc
        if not np.isfinite(value) or value < 0:
            raise ParameterError(f"weights[{key!r}] must be finite and >= 0; got {value}")
        norm = normalize_event_type(key)
        if norm in BEHAVIOURS:
            by_behaviour[norm] = value
        elif norm in mapping or norm in {normalize_event_type(r) for r in raw}:
            by_type[norm] = value
        else:
            unknown.append(key)
    if unknown:
        raise ParameterError(f"weights: {sorted(map(str, unknown))} are neither behaviours {list(BEHAVIOURS)} "
                             "nor event types of the taxonomy or the data")
    for i, name in enumerate(raw):
        norm = normalize_event_type(name)
        if norm in by_type:
            out[i] = by_type[norm]
        elif 0 <= beh[i] < len(BEHAVIOURS) and BEHAVIOURS[beh[i]] in by_behaviour:
            out[i] = by_behaviour[BEHAVIOURS[beh[i]]]
    return out


def _count_report(codes: np.ndarray, raw: list[str], select: np.ndarray) -> dict[str, int]:
    counts = np.bincount(codes, minlength=len(raw))
    items = [(raw[i], int(counts[i])) for i in np.flatnonzero(select) if counts[i] > 0]
    items.sort(key=lambda kv: (-kv[1], kv[0]))
    return dict(items)


# --------------------------------------------------------------------------------------------------
# Profiles
# --------------------------------------------------------------------------------------------------

def pattern_profiles(events, taxonomy=None, *, start=None, end=None, weights=None,
                     half_life: float | None = None, customers: Iterable | None = None,
                     on_unmapped: str = "warn") -> pd.DataFrame:
    """One row per customer: how much of each of Rogers' five behaviours they show.

    Parameters
    ----------
    events : DataFrame or CustomerData
        The events table of the data contract (``customer_id``, ``timestamp``, ``event_type``), or a
        ``CustomerData`` (then every customer of its customer table gets a row, active or not).
    taxonomy : None, dict or path
        Event type -> behaviour, see :func:`load_taxonomy`. ``None`` uses the shipped default.
    start, end : date-like, optional
        Time window ``start <= timestamp < end``. Naive values are read as UTC. Events outside the
        window are left out and counted in ``attrs["events"]``.
    weights : dict, optional
        Weight per event type or per behaviour (``{"review": 3, "engage": 0.5}``; an event type's own
        weight wins over its behaviour's). Weights change the shares only; ``*_count`` stay raw counts.
    half_life : float, optional
        Half-life in days of an exponential decay that weights events by their age relative to the
        reference time (``end`` or the last event), so recent behaviour counts more in the shares.
    customers : iterable of ids, optional
        Customers to include even without events (their shares are NaN). Defaults to the customer
        table when ``events`` is a CustomerData.
    on_unmapped : {"warn", "ignore", "raise", "suggest"}, default "warn"
        What to do when event types are not in the taxonomy. They are always reported in
        ``attrs["unmapped"]``; "warn" also issues an :class:`UnmappedEventTypesWarning`, "raise" a
        ``DataError`` naming them. "suggest" first maps them by the keyword rules of
        :func:`netlib.suggest_taxonomy` (``review_posted`` -> connect, ``forum_reply`` -> collaborate, ...),
        records the whole suggestion table in ``attrs["taxonomy_suggestions"]`` and the applied ones in
        ``attrs["suggested"]``, and warns naming every applied suggestion and what is still unmapped
        (ambiguous names stay unmapped). Review the suggestions, then pass the taxonomy you agree with.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (sorted), columns:

        - ``access`` ... ``collaborate``: share of the customer's (weighted) behavioural events;
          they sum to 1, NaN for customers with no behavioural event;
        - ``access_count`` ... ``collaborate_count``: raw event counts;
        - ``n_events``: behavioural events (mapped, not ignored); ``active_weeks``: distinct calendar
          weeks (Monday to Sunday, UTC) with at least one; ``intensity``: ``n_events / active_weeks``
          (0 when inactive);
        - ``first_event``, ``last_event``; ``recency_days``: days from the last behavioural event to
          the reference time (``end`` if given, else the latest event in the window);
        - ``breadth``: how many of the five behaviours the customer shows (0..5);
        - ``dominant``: the behaviour with the largest share (ties go to the lower rung);
        - ``unmapped_count``: the customer's events in the window whose type the taxonomy does not map
          (a customer with these and no behavioural event is unprofiled, not inactive).

        ``attrs`` holds ``provenance``, ``unmapped`` ({event type: count}, largest first; missing
        event types appear as ``"<missing>"``), ``ignored`` (same for taxonomy "ignore" types),
        ``events`` (rows read, outside the window, in the window, behavioural, ignored, unmapped),
        ``window`` (start, end, reference time as ISO strings), ``suggested`` ({event type: count} mapped by
        a rule; empty unless ``on_unmapped="suggest"``) and, with "suggest", ``taxonomy_suggestions`` (the
        table of :func:`netlib.suggest_taxonomy` over the events in the window).

    Raises
    ------
    SchemaError
        Required columns missing or timestamps unreadable.
    DataError
        Missing timestamps, or unmapped event types with ``on_unmapped="raise"``.
    ParameterError
        A bad window, weight, taxonomy or option.

    Notes
    -----
    Every computation is vectorised (one factorisation of ids and event types, then ``bincount``), so
    tens of millions of events profile in seconds. Behaviour definitions follow D. L. Rogers, *The
    Network Is Your Customer: Five Strategies to Thrive in a Digital Age*, Yale University Press, 2010.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "a", "b"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-09", "2024-01-10",
    ...                                  "2024-01-03"], utc=True),
    ...     "event_type": ["login", "share", "share", "like", "login"]})
    >>> prof = pattern_profiles(ev)
    >>> prof.loc["a", ["access", "engage", "connect", "intensity"]].tolist()
    [0.25, 0.25, 0.5, 2.0]
    >>> int(prof.loc["a", "breadth"]), str(prof.loc["a", "dominant"])
    (3, 'connect')
    >>> float(prof.loc["b", "recency_days"])
    7.0

    Event types of a real export that the taxonomy does not know, mapped by the keyword rules:

    >>> import warnings
    >>> import netlib as nl
    >>> ev["event_type"] = ["page_view", "review_posted", "forum_reply", "review_posted", "unboxing"]
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     prof = nl.pattern_profiles(ev, on_unmapped="suggest")
    >>> prof.attrs["suggested"], prof.attrs["unmapped"]
    ({'review_posted': 2, 'forum_reply': 1}, {'unboxing': 1})
    >>> prof.loc["a", ["access", "connect", "collaborate"]].tolist()
    [0.25, 0.5, 0.25]
    """
    if on_unmapped not in _ON_UNMAPPED:
        raise ParameterError(f"on_unmapped must be one of {list(_ON_UNMAPPED)}; got {on_unmapped!r}")
    if half_life is not None and not (np.isfinite(half_life) and half_life > 0):
        raise ParameterError(f"half_life must be a positive number of days; got {half_life!r}")
    frame, data_customers = _unpack_data(events)
    if customers is None:
        customers = data_customers
    require_columns(frame, ("customer_id", "timestamp", "event_type"), "events")
    mapping = load_taxonomy(taxonomy)
    start_ns, end_ns = (None if t is None else int(to_utc(t, name).as_unit("ns").value)
                        for t, name in ((start, "start"), (end, "end")))
    if start_ns is not None and end_ns is not None and start_ns >= end_ns:
        raise ParameterError(f"start ({start}) must be before end ({end})")

    ts, in_window = _read_window(frame, start_ns, end_ns)
    types = _map_types(frame["event_type"], mapping, in_window, on_unmapped)
    ids = _customer_codes(frame["customer_id"], in_window, customers)
    beh = types.beh_of_type[types.codes]
    keep = in_window & (beh >= 0) & (beh < len(BEHAVIOURS))
    n_in = int(in_window.sum())
    ref_ns = end_ns if end_ns is not None else (int(ts[in_window].max()) if n_in else None)
    w_of_type = _type_weights(weights, types.raw, types.beh_of_type, types.mapping)
    columns = _profile_columns(ids.codes[keep], beh[keep], ts[keep], w_of_type[types.codes[keep]],
                               len(ids.index), ref_ns, weighted=weights is not None or half_life is not None,
                               half_life=half_life)
    columns["unmapped_count"] = np.bincount(ids.codes[in_window & (beh < 0)],
                                            minlength=len(ids.index)).astype(np.int64)
    out = _profile_frame(columns, ids)

    def _iso(ns):
        return None if ns is None else pd.Timestamp(ns, unit="ns", tz="UTC").isoformat()

    out.attrs["provenance"] = provenance(
        "pattern_profiles", taxonomy="default" if taxonomy is None else
        (str(taxonomy) if isinstance(taxonomy, (str, Path)) else "<mapping>"),
        start=_iso(start_ns), end=_iso(end_ns),
        weights=None if weights is None else {str(k_): float(v) for k_, v in dict(weights).items()},
        half_life=half_life, on_unmapped=on_unmapped)
    out.attrs["unmapped"] = types.unmapped
    out.attrs["ignored"] = types.ignored
    out.attrs["suggested"] = types.suggested
    if types.suggestions is not None:
        out.attrs["taxonomy_suggestions"] = types.suggestions
    out.attrs["events"] = {"rows": len(frame), "outside_window": len(frame) - n_in, "in_window": n_in,
                           "behavioural": int(keep.sum()), "ignored": int(sum(types.ignored.values())),
                           "unmapped": int(sum(types.unmapped.values()))}
    out.attrs["window"] = {"start": _iso(start_ns), "end": _iso(end_ns), "reference": _iso(ref_ns)}
    return out


# --------------------------------------------------------------------------------------------------
# The stages of pattern_profiles
# --------------------------------------------------------------------------------------------------

def _read_window(frame: pd.DataFrame, start_ns: int | None, end_ns: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Timestamps as int64 ns (UTC) and the mask of rows inside ``start <= t < end``; checks the ids."""
    ts = to_utc_ns(frame["timestamp"], "events")
    if frame["customer_id"].isna().any():
        bad = int(frame["customer_id"].isna().to_numpy().nonzero()[0][0]) + 1
        raise DataError(f"events: column 'customer_id' has {int(frame['customer_id'].isna().sum())} missing "
                        f"value(s) (first at data row {bad})")
    in_window = np.ones(len(frame), dtype=bool)
    if start_ns is not None:
        in_window &= ts >= start_ns
    if end_ns is not None:
        in_window &= ts < end_ns
    return ts, in_window


@dataclass
class _Types:
    """Event types factorised and mapped: what the rest of pattern_profiles needs to know about them."""

    codes: np.ndarray  # per row: index into raw
    raw: list[str]  # unique raw types (missing ones as "<missing>")
    beh_of_type: np.ndarray  # per raw type: 0..4 behaviour, 5 ignored, -1 unmapped
    mapping: dict[str, str]  # the taxonomy, with the applied rule suggestions added
    unmapped: dict[str, int]
    ignored: dict[str, int]
    suggested: dict[str, int]  # types mapped by a rule (on_unmapped="suggest"): events in the window
    suggestions: pd.DataFrame | None


def _map_types(event_types: pd.Series, mapping: dict[str, str], in_window: np.ndarray,
               on_unmapped: str) -> _Types:
    """Map every event type to a behaviour; apply the rules, warn or raise as ``on_unmapped`` says."""
    codes, raw, beh = _type_lookup(event_types, mapping)
    codes_in = codes if in_window.all() else codes[in_window]
    counts = np.bincount(codes_in, minlength=len(raw))
    suggestions, suggested = None, {}
    if on_unmapped == "suggest":
        from netlib.patterns.suggest import _default_rules, _suggestion_table

        present = counts > 0
        suggestions = _suggestion_table([r for r, p in zip(raw, present) if p], counts[present], mapping,
                                        _default_rules())
        applied = suggestions[suggestions["source"] == "rule"]
        if len(applied):
            mapping = dict(mapping)
            mapping.update({normalize_event_type(t): b for t, b in zip(applied.index, applied["behaviour"])})
            codes, raw, beh = _type_lookup(event_types, mapping)
            codes_in = codes if in_window.all() else codes[in_window]
            suggested = {str(t): int(c) for t, c in zip(applied.index, applied["count"])}
    unmapped = _count_report(codes_in, raw, beh < 0)
    ignored = _count_report(codes_in, raw, beh == len(BEHAVIOURS))
    message = _unmapped_message(unmapped, suggestions)
    if message and on_unmapped == "raise":
        raise DataError(message)
    if message and on_unmapped in ("warn", "suggest"):
        warnings.warn(message, UnmappedEventTypesWarning, stacklevel=3)
    return _Types(codes, raw, beh, mapping, unmapped, ignored, suggested, suggestions)


def _listing(items: list[str], limit: int = 10) -> str:
    more = "" if len(items) <= limit else f" and {len(items) - limit} more"
    return ", ".join(items[:limit]) + more


def _unmapped_message(unmapped: dict[str, int], suggestions: pd.DataFrame | None) -> str | None:
    """The warning text: the unmapped types, and (suggest mode) the rule suggestions that were applied."""
    parts = []
    if suggestions is not None:
        applied = suggestions[suggestions["source"] == "rule"]
        if len(applied):
            pairs = [f"{t!r} → {b} ({c})" for t, b, c in zip(applied.index, applied["behaviour"], applied["count"])]
            parts.append(f"{int(applied['count'].sum())} event(s) of {len(applied)} type(s) not in the taxonomy "
                         f"were mapped by keyword rules: {_listing(pairs)}; review attrs['taxonomy_suggestions'] "
                         "(netlib.suggest_taxonomy) and pass a taxonomy to confirm or correct them")
    if unmapped:
        listing = _listing([f"{k!r} ({v})" for k, v in unmapped.items()])
        parts.append(f"{sum(unmapped.values())} event(s) of {len(unmapped)} type(s) are not in the taxonomy "
                     f"and were not profiled: {listing}; see attrs['unmapped'] and pass a taxonomy"
                     + ("" if suggestions is not None else
                        " (netlib.suggest_taxonomy or on_unmapped='suggest' propose one by keyword rules)"))
    return "; ".join(parts) or None


@dataclass
class _Ids:
    codes: np.ndarray  # per row: position in index (meaningful for in-window rows)
    index: pd.Index  # customers with an event in the window, sorted string ids
    full_index: pd.Index  # index plus the customers asked for without events


def _listed_codes(customer_id: pd.Series, customers) -> tuple[np.ndarray, pd.Index] | None:
    """Each event's position among the customers with an event, sorted, by lookup in the customers list.

    A lookup in the (sorted) list costs about half of hashing every id into a new dictionary. None when the
    ids are not pyarrow text or an event names an id that is missing or not in the list."""
    if not isinstance(customers, (pd.Series, pd.Index)):
        return None
    ids, known = pd.Series(customer_id), pd.Series(customers)
    if not all(isinstance(c.dtype, pd.StringDtype) and hasattr(c.array, "__arrow_array__") for c in (ids, known)):
        return None  # text as read_data leaves it; anything else goes through pandas as before
    values, listed = (pa.chunked_array(c.array.__arrow_array__()) for c in (ids, known))
    listed = pc.unique(listed.drop_null())
    listed = listed.take(pc.sort_indices(listed))
    pos = pc.index_in(values, value_set=listed)
    if pos.null_count:
        return None
    pos = pos.to_numpy().astype(np.int64, copy=False)
    present = np.bincount(pos, minlength=len(listed)) > 0
    index = ids_as_str(pd.Index(listed.filter(pa.array(present)).to_numpy(zero_copy_only=False), dtype=object))
    return (np.cumsum(present) - 1)[pos], index


def _customer_codes(customer_id: pd.Series, in_window: np.ndarray, customers) -> _Ids:
    listed = _listed_codes(customer_id, customers)
    if listed is not None:
        id_codes, cust_index = listed
    else:
        # factorise ids once (hashing, no sort), then sort only the unique ids: much cheaper than
        # factorize(sort=True) on millions of rows
        id_codes, id_uniques = pd.factorize(customer_id)
        id_uniques = ids_as_str(id_uniques)
        order = np.asarray(id_uniques.argsort(), dtype=np.int64)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        id_codes = rank[id_codes]
        cust_index = id_uniques.take(order)
    if not in_window.all():
        present = np.bincount(id_codes[in_window], minlength=len(cust_index)) > 0
        remap = np.cumsum(present) - 1
        id_codes = remap[id_codes]  # meaningful for in-window rows only
        cust_index = cust_index[present]
    if customers is not None:
        listed = customers if isinstance(customers, (pd.Series, pd.Index, np.ndarray)) else list(customers)
        extra = ids_as_str(pd.Index(pd.Series(listed).dropna().unique()))  # no Python object per id
        full_index = cust_index.union(extra).sort_values()
    else:
        full_index = cust_index
    return _Ids(id_codes, cust_index, full_index)


def _profile_columns(cust: np.ndarray, b: np.ndarray, t: np.ndarray, w: np.ndarray, n_cust: int,
                     ref_ns: int | None, *, weighted: bool, half_life: float | None) -> dict[str, Any]:
    """The profile columns from the behavioural events (customer code, behaviour, time, weight)."""
    if half_life is not None and ref_ns is not None:
        age_days = (ref_ns - t) / _NS_PER_DAY
        w = w * np.exp2(-age_days / float(half_life))
    k = len(BEHAVIOURS)
    flat = cust * k + b
    counts = np.bincount(flat, minlength=n_cust * k).reshape(n_cust, k)
    weights = np.bincount(flat, weights=w, minlength=n_cust * k).reshape(n_cust, k) if weighted \
        else counts.astype(np.float64)
    totals = weights.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals[:, None] > 0, weights / totals[:, None], np.nan)
    n_events = counts.sum(axis=1)
    active_weeks, first, last = _activity(cust, t, n_cust)
    active = n_events > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        intensity = np.where(active_weeks > 0, n_events / np.maximum(active_weeks, 1), 0.0)
    recency = np.full(n_cust, np.nan)
    if ref_ns is not None:
        recency[active] = (ref_ns - last[active]) / _NS_PER_DAY
    never = np.iinfo(np.int64).min
    first_ts = pd.to_datetime(np.where(active, first, never).view("datetime64[ns]"), utc=True)
    last_ts = pd.to_datetime(np.where(active, last, never).view("datetime64[ns]"), utc=True)
    dominant_idx = np.where(active, np.nan_to_num(shares, nan=-1.0).argmax(axis=1), -1)

    columns: dict[str, Any] = {}
    for j, name in enumerate(BEHAVIOURS):
        columns[name] = shares[:, j]
    for j, name in enumerate(BEHAVIOURS):
        columns[f"{name}_count"] = counts[:, j].astype(np.int64)
    columns["n_events"] = n_events.astype(np.int64)
    columns["active_weeks"] = active_weeks.astype(np.int64)
    columns["intensity"] = intensity
    columns["first_event"] = first_ts
    columns["last_event"] = last_ts
    columns["recency_days"] = recency
    columns["breadth"] = (counts > 0).sum(axis=1).astype(np.int64)
    columns["dominant"] = pd.Categorical.from_codes(dominant_idx, categories=list(BEHAVIOURS), ordered=True)
    return columns


def _activity(cust: np.ndarray, t: np.ndarray, n_cust: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per customer: distinct calendar weeks (Monday to Sunday, UTC) with an event, first and last time."""
    last = np.full(n_cust, np.iinfo(np.int64).min, dtype=np.int64)
    first = np.full(n_cust, np.iinfo(np.int64).max, dtype=np.int64)
    if not len(t):
        return np.zeros(n_cust, dtype=np.int64), first, last
    week = (t + _MONDAY_OFFSET_NS) // _NS_PER_WEEK
    w0 = int(week.min())
    span = int(week.max()) - w0 + 1
    if n_cust * span <= _BITMAP_LIMIT:  # mark (customer, week) cells in a bitmap: no hashing
        seen = np.zeros(n_cust * span, dtype=bool)
        seen[cust * span + (week - w0)] = True
        active_weeks = np.count_nonzero(seen.reshape(n_cust, span), axis=1)
    else:
        pairs = pd.unique(cust * span + (week - w0))
        active_weeks = np.bincount(pairs // span, minlength=n_cust)
    np.maximum.at(last, cust, t)
    np.minimum.at(first, cust, t)
    return active_weeks, first, last


def _profile_frame(columns: dict[str, Any], ids: _Ids) -> pd.DataFrame:
    """The profile table indexed by customer_id, with customers asked for but without events added."""
    out = pd.DataFrame(columns, index=pd.Index(ids.index, name="customer_id"))
    if len(ids.full_index) != len(ids.index):
        out = out.reindex(ids.full_index)
        zero_cols = [f"{b_}_count" for b_ in BEHAVIOURS] + ["n_events", "active_weeks", "breadth", "unmapped_count"]
        out[zero_cols] = out[zero_cols].fillna(0).astype(np.int64)
        out["intensity"] = out["intensity"].fillna(0.0)
    out.index.name = "customer_id"
    return out
