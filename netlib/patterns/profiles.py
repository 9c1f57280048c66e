"""Rogers' five customer-network behaviours: taxonomy, per-customer profiles, segments, playbook.

David L. Rogers (*The Network Is Your Customer*, 2010) reads customers in digital networks through
five core behaviours, each with a matching business strategy:

=========== ============================================ ===================================
behaviour   what customers want                          strategy
=========== ============================================ ===================================
access      get what they need fast, anywhere, any time  be faster, be easier
engage      sensory, interactive, relevant content       be a source of valued information
customize   choose and modify what they get              be adaptable
connect     share ideas and opinions with each other     become part of their conversation
collaborate join collective projects                     invite them to collaborate
=========== ============================================ ===================================

This module turns a behavioural event log into that picture:

- :func:`load_taxonomy` maps event types to behaviours (a shipped default, a dict, or a YAML/CSV file);
- :func:`pattern_profiles` gives one row per customer: counts and shares of each behaviour, intensity,
  recency and breadth, with every event type the taxonomy does not know reported with its count;
- :func:`segments` clusters customers on their behaviour shares (seeded k-means, k by silhouette);
- :func:`behaviour_ladder` counts how many customers reach each rung from access up to collaborate;
- :func:`behaviour_by_position` crosses profiles with centrality (rank correlations with intervals)
  and communities (mean shares, lift, eta squared, Cramér's V);
- :func:`strategy_playbook` recommends a Rogers strategy per segment with the evidence behind it;
- :func:`reconcile_connect` checks that connect events with a target and the interactions the sharing
  network is built from are the same shares.
"""

from __future__ import annotations

import csv
import functools
import io
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netlib._util import SeedLike, as_rng, int_seed, progress, provenance
from netlib.errors import DataError, ParameterError, SchemaError
from netlib.io import _parse_timestamp

__all__ = [
    "BEHAVIOURS",
    "STRATEGIES",
    "BehaviourPosition",
    "UnmappedEventTypesWarning",
    "behaviour_by_position",
    "behaviour_ladder",
    "default_taxonomy",
    "load_taxonomy",
    "normalize_event_type",
    "pattern_profiles",
    "reconcile_connect",
    "segments",
    "strategy_playbook",
]

BEHAVIOURS: tuple[str, ...] = ("access", "engage", "customize", "connect", "collaborate")
"""Rogers' five behaviours, in ladder order (from the easiest to the most involved)."""

_IGNORE = "ignore"
_NS_PER_DAY = 86_400 * 10**9
_NS_PER_WEEK = 7 * _NS_PER_DAY
_MONDAY_OFFSET_NS = 3 * _NS_PER_DAY  # 1970-01-01 was a Thursday; weeks start on Monday
_MISSING_TYPE = "<missing>"
_BITMAP_LIMIT = 200_000_000  # cells (bytes) of the customer x week bitmap before falling back to hashing

STRATEGIES: dict[str, dict[str, str]] = {
    "access": {
        "strategy": "Be faster and easier",
        "action": "Take friction out of reaching you: quicker sign-in, search that finds things first "
                  "time, service on every device at any hour, fewer steps to buy.",
    },
    "engage": {
        "strategy": "Be a source of valued information",
        "action": "Give them content worth their attention: useful, interactive and tuned to what they "
                  "already look at, rather than more advertising.",
    },
    "customize": {
        "strategy": "Be adaptable",
        "action": "Let them choose and shape the offer: remembered preferences, configurable products, "
                  "plans and subscriptions that fit how they use you.",
    },
    "connect": {
        "strategy": "Become part of their conversation",
        "action": "Make sharing, reviewing and referring effortless, give them something worth passing "
                  "on, and take part where they talk to each other.",
    },
    "collaborate": {
        "strategy": "Invite them to collaborate",
        "action": "Open real projects to them (idea votes, co-design, community answers, betas) and "
                  "credit what they contribute.",
    },
}
"""For each behaviour, Rogers' matching strategy (title) and a short action in netlib's words."""

_REACTIVATE = {
    "strategy": "Re-activate through access",
    "action": "They show no behavioural events in the window: start at the bottom rung with an easy, "
              "fast way back in before asking for more.",
}


class UnmappedEventTypesWarning(UserWarning):
    """Some event types are not in the taxonomy; their events are counted in the report, not profiled."""


# --------------------------------------------------------------------------------------------------
# Taxonomy
# --------------------------------------------------------------------------------------------------

def normalize_event_type(value: Any) -> str:
    """Normalise one event type for matching: lower case, trimmed, spaces and hyphens to underscores.

    >>> normalize_event_type("  Page View ")
    'page_view'
    >>> normalize_event_type("co-create")
    'co_create'
    """
    text = str(value).strip().lower()
    return "_".join(text.replace("-", " ").split())


def default_taxonomy() -> dict[str, str]:
    """netlib's shipped taxonomy (``netlib/taxonomy.yaml``) as ``{event_type: behaviour}``.

    Event types deliberately outside the five behaviours (logout, heartbeat, ...) map to ``"ignore"``.

    >>> tax = default_taxonomy()
    >>> tax["login"], tax["like"], tax["wishlist"], tax["share"], tax["idea_vote"]
    ('access', 'engage', 'customize', 'connect', 'collaborate')
    """
    return dict(_default_taxonomy_cached())


@functools.lru_cache(maxsize=1)
def _default_taxonomy_cached() -> dict[str, str]:
    text = resources.files("netlib").joinpath("taxonomy.yaml").read_text(encoding="utf-8")
    return _taxonomy_from_yaml_text(text, source="netlib/taxonomy.yaml")


def _taxonomy_from_yaml_text(text: str, *, source: str) -> dict[str, str]:
    import yaml

    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataError(f"taxonomy {source}: not valid YAML ({exc})") from exc
    if not isinstance(raw, Mapping):
        raise DataError(f"taxonomy {source}: expected a mapping (behaviour: [event types] or "
                        f"event_type: behaviour); found {type(raw).__name__}")
    return _taxonomy_from_mapping(raw, source=source)


def _taxonomy_from_mapping(raw: Mapping, *, source: str) -> dict[str, str]:
    valid = set(BEHAVIOURS) | {_IGNORE}
    grouped = bool(raw) and all(isinstance(v, (list, tuple, set, frozenset)) for v in raw.values())
    pairs: list[tuple[str, str]] = []
    if grouped:
        for behaviour, types in raw.items():
            for event_type in types:
                pairs.append((event_type, behaviour))
    else:
        for event_type, behaviour in raw.items():
            if isinstance(behaviour, (list, tuple, set, frozenset)):
                raise ParameterError(
                    f"taxonomy {source}: mixes the two forms; use either behaviour -> [event types] "
                    f"or event_type -> behaviour throughout (key {event_type!r})")
            pairs.append((event_type, _IGNORE if behaviour is None else behaviour))
    unknown = sorted({str(b) for _, b in pairs if normalize_event_type(b) not in valid})
    if unknown:
        raise ParameterError(
            f"taxonomy {source}: unknown behaviour name(s) {unknown}; expected one of "
            f"{list(BEHAVIOURS)} (or 'ignore' for event types that are not behavioural)")
    mapping: dict[str, str] = {}
    conflicts: dict[str, set[str]] = {}
    for event_type, behaviour in pairs:
        key = normalize_event_type(event_type)
        if not key:
            raise ParameterError(f"taxonomy {source}: an event type is empty")
        behaviour = normalize_event_type(behaviour)
        if key in mapping and mapping[key] != behaviour:
            conflicts.setdefault(key, {mapping[key]}).add(behaviour)
        mapping[key] = behaviour
    if conflicts:
        detail = "; ".join(f"{k!r} -> {sorted(v)}" for k, v in sorted(conflicts.items()))
        raise ParameterError(f"taxonomy {source}: event type(s) mapped to more than one behaviour: {detail}")
    return mapping


def _taxonomy_from_csv(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    fields = [normalize_event_type(f) for f in (reader.fieldnames or [])]
    if "event_type" not in fields or "behaviour" not in fields and "behavior" not in fields:
        raise SchemaError(
            f"taxonomy {path}: a CSV taxonomy needs the columns 'event_type' and 'behaviour'; "
            f"found {reader.fieldnames}", table="taxonomy", source=str(path))
    reader.fieldnames = fields
    beh_col = "behaviour" if "behaviour" in fields else "behavior"
    pairs = {}
    for lineno, row in enumerate(reader, start=2):
        event_type, behaviour = (row.get("event_type") or "").strip(), (row.get(beh_col) or "").strip()
        if not event_type:
            raise DataError(f"taxonomy {path}: line {lineno}: column 'event_type' is empty")
        if event_type in pairs and pairs[event_type] != behaviour:
            raise ParameterError(f"taxonomy {path}: event type {event_type!r} is mapped to more than one "
                                 f"behaviour: {sorted({pairs[event_type], behaviour})}")
        pairs[event_type] = behaviour or None
    return _taxonomy_from_mapping(pairs, source=str(path))


def load_taxonomy(taxonomy: Mapping | pd.Series | str | Path | None = None, *,
                  extend: bool = False) -> dict[str, str]:
    """Load and validate a taxonomy mapping event types to Rogers' five behaviours.

    Parameters
    ----------
    taxonomy : dict, pandas Series, path or None
        ``None``: the shipped default (:func:`default_taxonomy`). A mapping in either form,
        ``{event_type: behaviour}`` or ``{behaviour: [event types]}``. A path to a YAML file holding
        either form, or to a CSV file with columns ``event_type`` and ``behaviour``. Behaviour
        ``"ignore"`` (or ``None`` in the first form) marks event types that are deliberately not
        behavioural: they are reported as ignored rather than unmapped.
    extend : bool, default False
        Merge ``taxonomy`` over the default instead of replacing it (your entries win).

    Returns
    -------
    dict
        ``{normalised event_type: behaviour}``; event types are normalised with
        :func:`normalize_event_type` so that matching is insensitive to case, blanks and hyphens.

    Raises
    ------
    ParameterError
        Unknown behaviour names (all of them are named), an event type mapped to two behaviours,
        or an argument of the wrong kind.
    DataError
        A file that cannot be read or parsed (``FileNotFoundError`` for a missing file).

    Examples
    --------
    >>> load_taxonomy({"Checkout": "access", "unboxing_video": "engage"})
    {'checkout': 'access', 'unboxing_video': 'engage'}
    >>> load_taxonomy({"connect": ["share", "gift"]}, extend=True)["gift"]
    'connect'
    """
    if taxonomy is None:
        return default_taxonomy()
    if isinstance(taxonomy, pd.Series):
        taxonomy = taxonomy.to_dict()
    if isinstance(taxonomy, Mapping):
        mapping = _taxonomy_from_mapping(taxonomy, source="<mapping>")
    elif isinstance(taxonomy, (str, Path)):
        path = Path(taxonomy)
        if not path.is_file():
            raise FileNotFoundError(f"taxonomy file not found: {path}")
        suffix = path.suffix.lower()
        if suffix in (".yaml", ".yml"):
            mapping = _taxonomy_from_yaml_text(path.read_text(encoding="utf-8"), source=str(path))
        elif suffix in (".csv", ".tsv", ".txt"):
            mapping = _taxonomy_from_csv(path)
        else:
            raise DataError(f"taxonomy {path}: unknown file type {suffix!r}; use .yaml, .yml or .csv")
    else:
        raise ParameterError("taxonomy must be None, a dict, a pandas Series or a path to a YAML/CSV "
                             f"file; got {type(taxonomy).__name__}")
    if extend:
        merged = default_taxonomy()
        merged.update(mapping)
        return merged
    return mapping


# --------------------------------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------------------------------

def _unpack_data(events) -> tuple[pd.DataFrame, pd.Series | None]:
    """Events DataFrame and (if given a CustomerData) the customer ids."""
    customers = None
    if not isinstance(events, pd.DataFrame) and hasattr(events, "events"):
        data = events
        events = data.events
        table = getattr(data, "customers", None)
        if isinstance(table, pd.DataFrame) and "customer_id" in table.columns:
            customers = table["customer_id"]
    if not isinstance(events, pd.DataFrame):
        raise ParameterError("events must be the events DataFrame (customer_id, timestamp, event_type) or a "
                             f"CustomerData; got {type(events).__name__}")
    return events, customers


def _require(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(f"{table}: column(s) {missing} missing; found: {list(frame.columns)}",
                          table=table, column=missing[0], source="<DataFrame>")


def _as_str_ids(values: pd.Series | pd.Index | Iterable) -> pd.Index:
    index = pd.Index(values)
    if not pd.api.types.is_string_dtype(index.dtype) or index.dtype == object:
        index = index.astype(str)
    return index


def _ts_ns(series: pd.Series, table: str, column: str = "timestamp") -> np.ndarray:
    """int64 nanoseconds since the epoch (UTC) of a timestamp column; DataError on missing values."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        ts = series.dt.tz_convert("UTC")
    elif pd.api.types.is_datetime64_dtype(series.dtype):
        ts = series.dt.tz_localize("UTC")
    else:  # epoch seconds or ISO 8601, read exactly as netlib.read_data reads them
        ts = _parse_timestamp(series, "s")
        unreadable = (ts.isna() & series.notna()).to_numpy()
        if unreadable.any():
            first = int(np.flatnonzero(unreadable)[0])
            raise SchemaError(f"{table}: column '{column}' cannot be read as timestamps (expected epoch seconds "
                              f"or an ISO 8601 time, found {series.iloc[first]!r} at data row {first + 1})",
                              table=table, column=column, source="<DataFrame>")
    missing = ts.isna().to_numpy()
    if missing.any():
        first = int(np.flatnonzero(missing)[0]) + 1
        raise DataError(f"{table}: column '{column}' has {int(missing.sum())} missing timestamp(s) "
                        f"(first at data row {first}); load the table with netlib.read_data to reject them")
    return ts.dt.as_unit("ns").array.asi8


def _as_utc_ns(value, name: str) -> int | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ParameterError(f"{name} must be a date or timestamp; got {value!r}") from exc
    if pd.isna(stamp):
        raise ParameterError(f"{name} must be a date or timestamp; got {value!r}")
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return int(stamp.as_unit("ns").value)


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
    on_unmapped : {"warn", "ignore", "raise"}, default "warn"
        What to do when event types are not in the taxonomy. They are always reported in
        ``attrs["unmapped"]``; "warn" also issues an :class:`UnmappedEventTypesWarning`, "raise" a
        ``DataError`` naming them.

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
        - ``dominant``: the behaviour with the largest share (ties go to the lower rung).

        ``attrs`` holds ``provenance``, ``unmapped`` ({event type: count}, largest first; missing
        event types appear as ``"<missing>"``), ``ignored`` (same for taxonomy "ignore" types),
        ``events`` (rows read, outside the window, in the window, behavioural, ignored, unmapped) and
        ``window`` (start, end, reference time as ISO strings).

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
    """
    if on_unmapped not in ("warn", "ignore", "raise"):
        raise ParameterError(f"on_unmapped must be 'warn', 'ignore' or 'raise'; got {on_unmapped!r}")
    if half_life is not None and not (np.isfinite(half_life) and half_life > 0):
        raise ParameterError(f"half_life must be a positive number of days; got {half_life!r}")
    frame, data_customers = _unpack_data(events)
    if customers is None:
        customers = data_customers
    _require(frame, ("customer_id", "timestamp", "event_type"), "events")
    mapping = load_taxonomy(taxonomy)
    start_ns, end_ns = _as_utc_ns(start, "start"), _as_utc_ns(end, "end")
    if start_ns is not None and end_ns is not None and start_ns >= end_ns:
        raise ParameterError(f"start ({start}) must be before end ({end})")

    n_rows = len(frame)
    ts = _ts_ns(frame["timestamp"], "events")
    if frame["customer_id"].isna().any():
        bad = int(frame["customer_id"].isna().to_numpy().nonzero()[0][0]) + 1
        raise DataError(f"events: column 'customer_id' has {int(frame['customer_id'].isna().sum())} missing "
                        f"value(s) (first at data row {bad})")
    in_window = np.ones(n_rows, dtype=bool)
    if start_ns is not None:
        in_window &= ts >= start_ns
    if end_ns is not None:
        in_window &= ts < end_ns
    n_in = int(in_window.sum())
    all_in = n_in == n_rows

    type_codes, raw, beh_of_type = _type_lookup(frame["event_type"], mapping)
    codes_in = type_codes if all_in else type_codes[in_window]
    unmapped = _count_report(codes_in, raw, beh_of_type < 0)
    ignored = _count_report(codes_in, raw, beh_of_type == len(BEHAVIOURS))
    if unmapped:
        listing = ", ".join(f"{k!r} ({v})" for k, v in list(unmapped.items())[:10])
        more = "" if len(unmapped) <= 10 else f" and {len(unmapped) - 10} more"
        message = (f"{sum(unmapped.values())} event(s) of {len(unmapped)} type(s) are not in the taxonomy "
                   f"and were not profiled: {listing}{more}; see attrs['unmapped'] or pass a taxonomy")
        if on_unmapped == "raise":
            raise DataError(message)
        if on_unmapped == "warn":
            warnings.warn(message, UnmappedEventTypesWarning, stacklevel=2)

    w_of_type = _type_weights(weights, raw, beh_of_type, mapping)
    beh = beh_of_type[type_codes]
    keep = in_window & (beh >= 0) & (beh < len(BEHAVIOURS))
    ref_ns = end_ns if end_ns is not None else (int(ts[in_window].max()) if n_in else None)

    # factorise ids once (hashing, no sort), then sort only the unique ids: much cheaper than
    # factorize(sort=True) on millions of rows
    id_codes, id_uniques = pd.factorize(frame["customer_id"])
    id_uniques = _as_str_ids(id_uniques)
    order = np.asarray(id_uniques.argsort(), dtype=np.int64)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    id_codes = rank[id_codes]
    cust_index = id_uniques.take(order)
    if not all_in:
        present = np.bincount(id_codes[in_window], minlength=len(cust_index)) > 0
        remap = np.cumsum(present) - 1
        id_codes = remap[id_codes]  # meaningful for in-window rows only
        cust_index = cust_index[present]
    if customers is not None:
        extra = _as_str_ids(pd.Index(pd.Series(list(customers)).dropna().unique()))
        full_index = cust_index.union(extra).sort_values()
    else:
        full_index = cust_index

    n_cust = len(cust_index)
    cust = id_codes[keep]
    b = beh[keep]
    t = ts[keep]
    w = w_of_type[type_codes[keep]]
    if half_life is not None and ref_ns is not None:
        age_days = (ref_ns - t) / _NS_PER_DAY
        w = w * np.exp2(-age_days / float(half_life))

    k = len(BEHAVIOURS)
    flat = cust * k + b
    counts = np.bincount(flat, minlength=n_cust * k).reshape(n_cust, k)
    if weights is None and half_life is None:
        weighted = counts.astype(np.float64)
    else:
        weighted = np.bincount(flat, weights=w, minlength=n_cust * k).reshape(n_cust, k)
    totals = weighted.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals[:, None] > 0, weighted / totals[:, None], np.nan)

    n_events = counts.sum(axis=1)
    if len(t):
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
        last = np.full(n_cust, np.iinfo(np.int64).min, dtype=np.int64)
        first = np.full(n_cust, np.iinfo(np.int64).max, dtype=np.int64)
        np.maximum.at(last, cust, t)
        np.minimum.at(first, cust, t)
    else:
        active_weeks = np.zeros(n_cust, dtype=np.int64)
        last = np.full(n_cust, np.iinfo(np.int64).min, dtype=np.int64)
        first = np.full(n_cust, np.iinfo(np.int64).max, dtype=np.int64)
    active = n_events > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        intensity = np.where(active_weeks > 0, n_events / np.maximum(active_weeks, 1), 0.0)
    recency = np.full(n_cust, np.nan)
    if ref_ns is not None:
        recency[active] = (ref_ns - last[active]) / _NS_PER_DAY
    first_ts = pd.to_datetime(np.where(active, first, np.iinfo(np.int64).min).view("datetime64[ns]"), utc=True)
    last_ts = pd.to_datetime(np.where(active, last, np.iinfo(np.int64).min).view("datetime64[ns]"), utc=True)
    dominant_idx = np.where(active, np.nan_to_num(shares, nan=-1.0).argmax(axis=1), -1)
    dominant = pd.Categorical.from_codes(dominant_idx, categories=list(BEHAVIOURS), ordered=True)

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
    columns["dominant"] = dominant
    out = pd.DataFrame(columns, index=pd.Index(cust_index, name="customer_id"))
    if len(full_index) != len(cust_index):
        out = out.reindex(full_index)
        zero_cols = [f"{b_}_count" for b_ in BEHAVIOURS] + ["n_events", "active_weeks", "breadth"]
        out[zero_cols] = out[zero_cols].fillna(0).astype(np.int64)
        out["intensity"] = out["intensity"].fillna(0.0)
    out.index.name = "customer_id"

    def _iso(ns):
        return None if ns is None else pd.Timestamp(ns, unit="ns", tz="UTC").isoformat()

    n_beh = int(keep.sum())
    out.attrs["provenance"] = provenance(
        "pattern_profiles", taxonomy="default" if taxonomy is None else
        (str(taxonomy) if isinstance(taxonomy, (str, Path)) else "<mapping>"),
        start=_iso(start_ns), end=_iso(end_ns),
        weights=None if weights is None else {str(k_): float(v) for k_, v in dict(weights).items()},
        half_life=half_life, on_unmapped=on_unmapped)
    out.attrs["unmapped"] = unmapped
    out.attrs["ignored"] = ignored
    out.attrs["events"] = {"rows": n_rows, "outside_window": n_rows - n_in, "in_window": n_in,
                           "behavioural": n_beh, "ignored": int(sum(ignored.values())),
                           "unmapped": int(sum(unmapped.values()))}
    out.attrs["window"] = {"start": _iso(start_ns), "end": _iso(end_ns), "reference": _iso(ref_ns)}
    return out


# --------------------------------------------------------------------------------------------------
# Segments and the ladder
# --------------------------------------------------------------------------------------------------

def _share_matrix(profiles: pd.DataFrame, what: str) -> pd.DataFrame:
    if not isinstance(profiles, pd.DataFrame):
        raise ParameterError(f"{what}: profiles must be the DataFrame from pattern_profiles; "
                             f"got {type(profiles).__name__}")
    missing = [b for b in BEHAVIOURS if b not in profiles.columns]
    if missing:
        raise ParameterError(f"{what}: profiles lack the share column(s) {missing}; pass the DataFrame "
                             f"returned by pattern_profiles (found: {list(profiles.columns)[:12]})")
    return profiles[list(BEHAVIOURS)].astype(np.float64)


def _name_segments(centers: np.ndarray) -> list[str]:
    """Name each centre by its dominant behaviour, adding the runner-up when it is strong or needed."""
    order = np.argsort(-centers, axis=1, kind="stable")
    names, long_names = [], []
    for row, idx in zip(centers, order):
        top, second = idx[0], idx[1]
        long_name = f"{BEHAVIOURS[top]} + {BEHAVIOURS[second]}"
        strong = row[second] >= 0.2 and row[second] >= 0.5 * row[top]
        names.append(long_name if strong else BEHAVIOURS[top])
        long_names.append(long_name)
    counts = pd.Series(names).value_counts()
    names = [long_names[i] if counts[n] > 1 else n for i, n in enumerate(names)]
    counts = pd.Series(names).value_counts()
    seen: dict[str, int] = {}
    final = []
    for name in names:
        if counts[name] > 1:
            seen[name] = seen.get(name, 0) + 1
            final.append(f"{name} ({seen[name]})")
        else:
            final.append(name)
    return final


def segments(profiles: pd.DataFrame, *, k: int | None = None, k_range: tuple[int, int] = (2, 8),
             seed: SeedLike = None, n_init: int = 10, sample_size: int = 5_000) -> pd.DataFrame:
    """Group customers by their behaviour mix: seeded k-means on the five shares.

    Parameters
    ----------
    profiles : DataFrame
        From :func:`pattern_profiles` (the share columns ``access`` ... ``collaborate`` are used).
    k : int, optional
        Number of segments. When omitted it is chosen in ``k_range`` by the largest mean silhouette
        (Rousseeuw 1987); ties go to the smaller k.
    k_range : (int, int), default (2, 8)
        Inclusive range of k tried when ``k`` is None (capped at the number of distinct profiles).
    seed : int, Generator or None
        Seeds k-means initialisation and the silhouette subsample: the same seed gives the same segments.
    n_init : int, default 10
        k-means++ restarts per k; the run with the lowest inertia is kept.
    sample_size : int, default 5000
        When k is chosen, the candidate models are fitted and scored (the silhouette is O(n²)) on a
        seeded subsample of at most this many active customers; the chosen model's centres are then
        refined by k-means on everyone (one run started from them), so every customer is assigned.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` like ``profiles`` (sorted), columns ``segment`` (int, 0..k-1 by
        decreasing size; -1 for customers with no behavioural event) and ``segment_name`` (the
        dominant behaviour of the segment centre, with the runner-up when its share is at least 0.2
        and half the top one, or when needed to tell segments apart; ``"inactive"`` for -1).
        ``attrs``: ``provenance``, ``k``, ``criterion``, ``scores`` ({k: silhouette}),
        ``centers`` ({segment: {behaviour: share}}), ``names`` ({segment: name}).

    Raises
    ------
    ParameterError
        Share columns missing, a bad ``k`` or ``k_range``, or fewer active customers than ``k``.

    Notes
    -----
    k-means (Lloyd 1982) with k-means++ seeding (Arthur & Vassilvitskii 2007) from scikit-learn. Shares
    live on the simplex, so Euclidean distance between them is the natural (L2) distance between
    behaviour mixes. When all active customers share one profile, one segment is returned.

    References
    ----------
    .. [1] P. J. Rousseeuw, "Silhouettes: a graphical aid to the interpretation and validation of
       cluster analysis", J. Comput. Appl. Math. 20 (1987) 53-65.
    .. [2] D. Arthur and S. Vassilvitskii, "k-means++: the advantages of careful seeding", SODA 2007.

    Examples
    --------
    >>> import pandas as pd
    >>> prof = pd.DataFrame({"access": [1, .9, 0, .1], "engage": [0, .1, 0, 0], "customize": [0] * 4,
    ...                      "connect": [0, 0, 1, .9], "collaborate": [0] * 4},
    ...                     index=pd.Index(list("abcd"), name="customer_id"))
    >>> seg = segments(prof, k=2, seed=1)
    >>> seg["segment_name"].tolist()
    ['access', 'access', 'connect', 'connect']
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    shares = _share_matrix(profiles, "segments").sort_index()
    k_requested = k
    if int(n_init) < 1:
        raise ParameterError(f"n_init must be >= 1; got {n_init}")
    if int(sample_size) < 2:
        raise ParameterError(f"sample_size must be >= 2; got {sample_size}")
    lo, hi = (int(v) for v in k_range)
    if k is None and not (2 <= lo <= hi):
        raise ParameterError(f"k_range must be (low, high) with 2 <= low <= high; got {k_range}")
    rng = as_rng(seed)
    active = shares.notna().all(axis=1).to_numpy()
    X = shares.to_numpy()[active]
    n_active = len(X)
    n_distinct = len(np.unique(np.round(X, 12), axis=0)) if n_active else 0
    if k is not None:
        k = int(k)
        if k < 1:
            raise ParameterError(f"k must be >= 1; got {k}")
        if k > n_distinct:
            raise ParameterError(f"k={k} segments asked for, but the active customers show only "
                                 f"{n_distinct} distinct behaviour profile(s) ({n_active} active customers)")
    if n_active == 0:
        raise ParameterError("segments: no customer has a behavioural event; nothing to cluster")

    scores: dict[int, float] = {}
    fitted: dict[int, Any] = {}
    sample_is_all = True
    criterion = "given"
    if k is None:
        candidates = [c for c in range(lo, hi + 1) if c <= n_distinct and c < n_active]
        if not candidates:
            k, criterion = 1, "single distinct profile" if n_distinct <= 1 else "too few customers"
        else:
            criterion = "silhouette"
            if n_active > sample_size:
                pick = np.sort(rng.choice(n_active, size=int(sample_size), replace=False))
                Xs = X[pick]
                sample_is_all = False
            else:
                Xs = X
            n_distinct_s = len(np.unique(np.round(Xs, 12), axis=0))
            for c in progress(candidates, desc="choosing k", unit="k"):
                if c > n_distinct_s or c >= len(Xs):
                    continue
                model = KMeans(n_clusters=c, n_init=int(n_init), random_state=int_seed(rng))
                labels = model.fit_predict(Xs)
                if len(np.unique(labels)) < 2:
                    continue
                scores[c] = float(silhouette_score(Xs, labels))
                fitted[c] = model
            if scores:
                best = max(scores.values())
                k = min(c for c, v in scores.items() if v >= best - 1e-12)
            else:
                k, criterion = 1, "no k in k_range separates the profiles"

    if k == 1:
        labels = np.zeros(n_active, dtype=np.int64)
        centers = X.mean(axis=0, keepdims=True)
    else:
        if k in fitted and sample_is_all:
            model = fitted[k]  # chosen on everyone: that fit is the model
        elif k in fitted:  # chosen on a subsample: refine its centres on everyone (one Lloyd run)
            model = KMeans(n_clusters=k, init=fitted[k].cluster_centers_, n_init=1).fit(X)
        else:
            model = KMeans(n_clusters=k, n_init=int(n_init), random_state=int_seed(rng)).fit(X)
        labels = model.labels_.astype(np.int64)
        centers = np.vstack([X[labels == j].mean(axis=0) for j in range(k)])
    sizes = np.bincount(labels, minlength=k)
    order = sorted(range(k), key=lambda j: (-sizes[j], tuple(-centers[j])))
    relabel = np.empty(k, dtype=np.int64)
    relabel[order] = np.arange(k)
    labels = relabel[labels]
    centers = centers[order]
    names = _name_segments(centers)

    seg = np.full(len(shares), -1, dtype=np.int64)
    seg[active] = labels
    seg_names = np.array(["inactive"] + names, dtype=object)[seg + 1]
    out = pd.DataFrame({"segment": seg, "segment_name": pd.array(seg_names, dtype="str")},
                       index=shares.index)
    out.index.name = "customer_id"
    out.attrs["provenance"] = provenance("segments", k=k_requested, k_range=[lo, hi], seed=seed, n_init=int(n_init),
                                         sample_size=int(sample_size))
    out.attrs["k"] = int(k)
    out.attrs["criterion"] = criterion
    out.attrs["scores"] = scores
    out.attrs["centers"] = {j: {b: float(centers[j, i]) for i, b in enumerate(BEHAVIOURS)} for j in range(k)}
    out.attrs["names"] = {j: names[j] for j in range(k)}
    return out


def behaviour_ladder(profiles: pd.DataFrame, *, min_events: int = 1) -> pd.DataFrame:
    """How many customers reach each rung of the ladder access → engage → customize → connect → collaborate.

    Parameters
    ----------
    profiles : DataFrame
        From :func:`pattern_profiles` (uses the ``*_count`` columns).
    min_events : int, default 1
        Events of a behaviour a customer needs to count as showing it.

    Returns
    -------
    DataFrame
        Indexed by ``behaviour`` in ladder order, columns:

        - ``shows``: customers showing the behaviour at all; ``reaches``: customers whose highest
          rung is this one or above (so ``reaches`` never increases up the ladder);
        - ``climbs``: customers showing this rung *and every rung below it* (the strict ladder);
        - ``highest``: customers whose highest rung is exactly this one;
        - ``share_shows``, ``share_reaches``, ``share_climbs``: the same over all customers in
          ``profiles`` (inactive ones included, so the shares answer "of our customers, how many ...");
        - ``step_conversion``: ``reaches`` here divided by ``reaches`` on the rung below.

        ``attrs``: ``provenance``, ``n_customers``, ``n_inactive`` (customers on no rung).

    Examples
    --------
    >>> import pandas as pd
    >>> counts = {"access_count": [3, 1, 0], "engage_count": [1, 0, 0], "customize_count": [0, 0, 0],
    ...           "connect_count": [2, 0, 1], "collaborate_count": [0, 0, 0]}
    >>> lad = behaviour_ladder(pd.DataFrame(counts, index=pd.Index(list("abc"), name="customer_id")))
    >>> lad["reaches"].tolist(), lad["climbs"].tolist()
    ([3, 2, 2, 2, 0], [2, 1, 0, 0, 0])
    """
    cols = [f"{b}_count" for b in BEHAVIOURS]
    if not isinstance(profiles, pd.DataFrame) or any(c not in profiles.columns for c in cols):
        found = list(profiles.columns)[:12] if isinstance(profiles, pd.DataFrame) else type(profiles).__name__
        raise ParameterError(f"behaviour_ladder: profiles need the columns {cols}; found {found}")
    if int(min_events) < 1:
        raise ParameterError(f"min_events must be >= 1; got {min_events}")
    shows = profiles[cols].to_numpy() >= int(min_events)
    n = len(shows)
    rung = np.arange(len(BEHAVIOURS))
    highest = np.where(shows.any(axis=1), (shows * (rung + 1)).max(axis=1) - 1, -1)
    climbs = np.cumprod(shows, axis=1).astype(bool)
    reaches = np.array([(highest >= r).sum() for r in rung])
    out = pd.DataFrame({
        "shows": shows.sum(axis=0).astype(np.int64),
        "reaches": reaches.astype(np.int64),
        "climbs": climbs.sum(axis=0).astype(np.int64),
        "highest": np.array([(highest == r).sum() for r in rung], dtype=np.int64),
    }, index=pd.Index(list(BEHAVIOURS), name="behaviour"))
    denom = max(n, 1)
    for col in ("shows", "reaches", "climbs"):
        out[f"share_{col}"] = out[col] / denom if n else np.nan
    prev = np.concatenate([[n], reaches[:-1]])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["step_conversion"] = np.where(prev > 0, reaches / np.maximum(prev, 1), np.nan)
    out.attrs["provenance"] = provenance("behaviour_ladder", min_events=int(min_events))
    out.attrs["n_customers"] = int(n)
    out.attrs["n_inactive"] = int((highest < 0).sum())
    return out


# --------------------------------------------------------------------------------------------------
# Behaviour x network position
# --------------------------------------------------------------------------------------------------

@dataclass
class BehaviourPosition:
    """Behaviour profiles crossed with network position; see :func:`behaviour_by_position`.

    Attributes
    ----------
    correlations : DataFrame or None
        One row per (profile column, centrality measure): ``profile``, ``measure``, ``method``, ``n``,
        ``r`` (rank correlation), ``ci_low``, ``ci_high``, ``p_value``, ``top_overlap`` and
        ``top_lift`` (do the top customers by the profile column sit in the top by the measure?),
        ``q_value`` (Benjamini–Hochberg across all rows), sorted by ``|r|`` descending.
    community_shares : DataFrame or None
        Indexed by community: ``n_customers``, ``n_active`` and the mean share of each behaviour over
        the community's active customers; a last row ``"all"`` holds the population.
    community_lift : DataFrame or None
        Mean share in the community divided by the population mean share (1 = no lean).
    community_effects : DataFrame or None
        Indexed by behaviour: ``eta_squared`` (share of the variance of that behaviour's share explained
        by community), ``kruskal_h``, ``epsilon_squared``, ``p_value`` (Kruskal–Wallis), ``leans_most``
        (the community with the highest lift).
    contingency : DataFrame or None
        Customers by community (rows) and dominant behaviour (columns).
    association : dict or None
        Cramér's V of community vs dominant behaviour with its chi-square, dof, p-value and n.
    provenance : dict
    """

    correlations: pd.DataFrame | None = None
    community_shares: pd.DataFrame | None = None
    community_lift: pd.DataFrame | None = None
    community_effects: pd.DataFrame | None = None
    contingency: pd.DataFrame | None = None
    association: dict | None = None
    provenance: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        parts = []
        if self.correlations is not None and len(self.correlations):
            top = self.correlations.iloc[0]
            parts.append(f"{len(self.correlations)} correlations, strongest {top['profile']}~{top['measure']} "
                         f"r={top['r']:.3f}")
        if self.association is not None:
            parts.append(f"community vs dominant behaviour: Cramér's V={self.association['cramers_v']:.3f}")
        return f"BehaviourPosition({'; '.join(parts) or 'empty'})"


def _rank_corr_ci(r: float, n: int, method: str, level: float) -> tuple[float, float]:
    """Fisher-z interval: Bonett & Wright (2000) variance for Spearman, Fieller et al. (1957) for Kendall."""
    from scipy.stats import norm

    if not np.isfinite(r) or n <= 4:
        return (np.nan, np.nan)
    if abs(r) >= 1:
        return (float(r), float(r))
    if method == "spearman":
        se = np.sqrt((1 + r * r / 2) / (n - 3))
    else:
        se = np.sqrt(0.437 / (n - 4))
    z = np.arctanh(r)
    crit = norm.ppf(0.5 + level / 2)
    return (float(np.tanh(z - crit * se)), float(np.tanh(z + crit * se)))


def _rowwise_spearman(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    from scipy.stats import rankdata

    rx = rankdata(xs, axis=1)
    ry = rankdata(ys, axis=1)
    rx -= rx.mean(axis=1, keepdims=True)
    ry -= ry.mean(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (rx * ry).sum(axis=1) / np.sqrt((rx * rx).sum(axis=1) * (ry * ry).sum(axis=1))


def _bootstrap_ci(x: np.ndarray, y: np.ndarray, method: str, level: float, n_boot: int,
                  rng: np.random.Generator) -> tuple[float, float]:
    from scipy.stats import kendalltau

    n = len(x)
    stats = []
    if method == "spearman":
        chunk = max(1, min(n_boot, 20_000_000 // max(n, 1)))
        done = 0
        while done < n_boot:
            m = min(chunk, n_boot - done)
            idx = rng.integers(0, n, size=(m, n))
            stats.append(_rowwise_spearman(x[idx], y[idx]))
            done += m
        values = np.concatenate(stats)
    else:
        values = np.empty(n_boot)
        for i in range(n_boot):
            idx = rng.integers(0, n, size=n)
            values[i] = kendalltau(x[idx], y[idx]).statistic
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return (np.nan, np.nan)
    alpha = (1 - level) / 2
    return (float(np.quantile(values, alpha)), float(np.quantile(values, 1 - alpha)))


def _top_overlap(x: np.ndarray, y: np.ndarray, top: float) -> tuple[float, float]:
    """Share of the top customers by ``x`` who are also top by ``y``, and that share over chance.

    "Top" is every value at or above the ``1 - top`` quantile (ties included, so a set may be larger
    than ``top * n``); chance is the size of y's top set over n.
    """
    if len(x) == 0:
        return (np.nan, np.nan)
    in_x = x >= np.quantile(x, 1 - top)
    in_y = y >= np.quantile(y, 1 - top)
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return (np.nan, np.nan)
    overlap = float((in_x & in_y).sum() / in_x.sum())
    expected = float(in_y.mean())
    return (overlap, overlap / expected)


def _as_partition(communities) -> pd.Series:
    if isinstance(communities, pd.DataFrame):
        if "community" in communities.columns:
            communities = communities["community"]
        elif communities.shape[1] == 1:
            communities = communities.iloc[:, 0]
        else:
            raise ParameterError("communities: a DataFrame needs a 'community' column (or exactly one "
                                 f"column); found {list(communities.columns)}")
    elif isinstance(communities, Mapping):
        communities = pd.Series(dict(communities))
    elif not isinstance(communities, pd.Series):
        raise ParameterError("communities must be a Series (customer id -> community), a dict or a DataFrame "
                             f"with a 'community' column; got {type(communities).__name__}")
    out = communities.copy()
    out.index = _as_str_ids(out.index)
    return out.dropna()


def _numeric_by_customer(frame, name: str) -> tuple[pd.DataFrame, list]:
    """A copy of ``frame`` with string customer ids, and its numeric (non-boolean) columns."""
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"{name} must be a DataFrame indexed by customer id; got {type(frame).__name__}")
    out = frame.copy()
    out.index = _as_str_ids(out.index)
    numeric = [c for c in out.columns if pd.api.types.is_numeric_dtype(out[c])
               and not pd.api.types.is_bool_dtype(out[c])]
    if not numeric:
        raise ParameterError(f"{name} has no numeric column; found {list(out.columns)}")
    return out, numeric


def behaviour_by_position(profiles: pd.DataFrame, centrality_df: pd.DataFrame | None = None,
                          communities=None, *, columns: Iterable[str] | None = None,
                          method: str = "spearman", ci: float = 0.95, ci_method: str = "fisher",
                          n_boot: int = 1000, top: float = 0.1, seed: SeedLike = None) -> BehaviourPosition:
    """Cross behaviour profiles with network position: centrality and community.

    Answers "are the heavy connectors also the structural influencers?" (rank correlations between
    profile columns and centrality measures, with confidence intervals) and "which communities lean
    towards which behaviour?" (mean shares, lift, and effect sizes).

    Parameters
    ----------
    profiles : DataFrame
        From :func:`pattern_profiles`.
    centrality_df : DataFrame, optional
        Indexed by customer id; every numeric (non-boolean) column is treated as a measure
        (``nl.centrality(G)`` or any table of your own).
    communities : Series, dict or DataFrame, optional
        Customer id -> community label (``nl.communities(G)``, a dict, or a DataFrame with a
        ``community`` column).
    columns : iterable of str, optional
        Profile columns to correlate. Default: the five shares, the five ``*_count`` columns,
        ``intensity`` and ``breadth``.
    method : {"spearman", "kendall"}, default "spearman"
    ci : float, default 0.95
        Confidence level of the intervals.
    ci_method : {"fisher", "bootstrap"}, default "fisher"
        "fisher": Fisher z-transform with the Bonett–Wright standard error (Spearman) or Fieller's
        (Kendall); fast and deterministic. "bootstrap": percentile interval of ``n_boot`` resamples of
        customers (seeded).
    n_boot : int, default 1000
    top : float, default 0.1
        Fraction defining "top" customers for the overlap columns: of the customers in the top
        ``top`` by a profile column (e.g. ``connect_count``), which share is also in the top by the
        measure (``top_overlap``), and how many times chance that is (``top_lift``; ties at the
        threshold are included in the top sets).
    seed : int, Generator or None
        Used by the bootstrap only.

    Returns
    -------
    BehaviourPosition

    Raises
    ------
    ParameterError
        Neither centrality nor communities given, no customer ids in common, bad options.

    Notes
    -----
    Correlations use the customers present in both tables with both values known (shares are NaN for
    customers without behavioural events, so those drop out of share correlations but stay in count
    correlations). Eta squared is the between-community sum of squares over the total for each share;
    Cramér's V is computed on the customers-by-(community, dominant behaviour) table, so each customer
    counts once.

    References
    ----------
    .. [1] D. G. Bonett and T. A. Wright, "Sample size requirements for estimating Pearson, Kendall and
       Spearman correlations", Psychometrika 65 (2000) 23-28.
    .. [2] E. C. Fieller, H. O. Hartley and E. S. Pearson, "Tests for rank correlation coefficients. I",
       Biometrika 44 (1957) 470-481.
    .. [3] H. Cramér, *Mathematical Methods of Statistics*, Princeton University Press, 1946.
    .. [4] Y. Benjamini and Y. Hochberg, "Controlling the false discovery rate", JRSS B 57 (1995) 289-300.
    """
    from scipy import stats

    if centrality_df is None and communities is None:
        raise ParameterError("behaviour_by_position needs centrality_df, communities or both")
    if method not in ("spearman", "kendall"):
        raise ParameterError(f"method must be 'spearman' or 'kendall'; got {method!r}")
    if ci_method not in ("fisher", "bootstrap"):
        raise ParameterError(f"ci_method must be 'fisher' or 'bootstrap'; got {ci_method!r}")
    if not 0 < ci < 1:
        raise ParameterError(f"ci must be strictly between 0 and 1; got {ci}")
    if not 0 < top < 1:
        raise ParameterError(f"top must be strictly between 0 and 1; got {top}")
    if ci_method == "bootstrap" and int(n_boot) < 10:
        raise ParameterError(f"n_boot must be >= 10; got {n_boot}")
    shares = _share_matrix(profiles, "behaviour_by_position")
    prof = profiles.copy()
    prof.index = _as_str_ids(prof.index)
    rng = as_rng(seed)
    result = BehaviourPosition(provenance=provenance(
        "behaviour_by_position", method=method, ci=ci, ci_method=ci_method,
        n_boot=int(n_boot) if ci_method == "bootstrap" else None, top=top, seed=seed,
        columns=None if columns is None else list(columns)))

    if centrality_df is not None:
        if isinstance(centrality_df, pd.Series):
            centrality_df = centrality_df.to_frame(centrality_df.name or "measure")
        cent, measures = _numeric_by_customer(centrality_df, "centrality_df")
        if columns is None:
            cols = list(BEHAVIOURS) + [f"{b}_count" for b in BEHAVIOURS] + ["intensity", "breadth"]
            cols = [c for c in cols if c in prof.columns]
        else:
            cols = list(columns)
            missing = [c for c in cols if c not in prof.columns]
            if missing:
                raise ParameterError(f"columns {missing} are not in profiles; found {list(prof.columns)}")
        common = prof.index.intersection(cent.index)
        if len(common) == 0:
            raise ParameterError("profiles and centrality_df have no customer id in common "
                                 f"(e.g. {list(prof.index[:3])} vs {list(cent.index[:3])})")
        P = prof.loc[common, cols].astype(np.float64)
        C = cent.loc[common, measures].astype(np.float64)
        rows = []
        pairs = [(p, m) for p in cols for m in measures]
        for p, m in progress(pairs, desc="rank correlations", unit="pair",
                             progress=None if ci_method == "bootstrap" else False):
            x, y = P[p].to_numpy(), C[m].to_numpy()
            ok = np.isfinite(x) & np.isfinite(y)
            x, y = x[ok], y[ok]
            n = int(ok.sum())
            if n < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
                r, pval = np.nan, np.nan
            elif method == "spearman":
                res = stats.spearmanr(x, y)
                r, pval = float(res.statistic), float(res.pvalue)
            else:
                res = stats.kendalltau(x, y)
                r, pval = float(res.statistic), float(res.pvalue)
            if ci_method == "fisher" or not np.isfinite(r):
                lo_, hi_ = _rank_corr_ci(r, n, method, ci)
            else:
                lo_, hi_ = _bootstrap_ci(x, y, method, ci, int(n_boot), rng)
            overlap, top_lift = _top_overlap(x, y, top)
            rows.append({"profile": p, "measure": m, "method": method, "n": n, "r": r,
                         "ci_low": lo_, "ci_high": hi_, "p_value": pval, "top_overlap": overlap,
                         "top_lift": top_lift})
        corr = pd.DataFrame(rows)
        q = np.full(len(corr), np.nan)
        finite = np.isfinite(corr["p_value"].to_numpy())
        if finite.any():
            q[finite] = stats.false_discovery_control(corr["p_value"].to_numpy()[finite])
        corr["q_value"] = q
        corr = corr.sort_values("r", key=lambda s: -s.abs(), na_position="last", kind="stable")
        result.correlations = corr.reset_index(drop=True)

    if communities is not None:
        part = _as_partition(communities)
        common = prof.index.intersection(part.index)
        if len(common) == 0:
            raise ParameterError("profiles and communities have no customer id in common "
                                 f"(e.g. {list(prof.index[:3])} vs {list(part.index[:3])})")
        S = shares.copy()
        S.index = prof.index
        S = S.loc[common]
        comm = part.loc[common]
        act = S.notna().all(axis=1)
        Sa, ca = S[act], comm[act]
        if len(Sa) == 0:
            raise ParameterError("no customer with communities has a behavioural event")
        grouped = Sa.groupby(ca, sort=True)
        means = grouped.mean()
        pop = Sa.mean()
        table = pd.concat([comm.groupby(comm, sort=True).size().rename("n_customers"),
                           ca.groupby(ca, sort=True).size().rename("n_active")], axis=1)
        table = table.fillna(0).astype(np.int64).join(means)
        table.loc["all"] = [len(comm), len(Sa), *pop.tolist()]
        table.index.name = "community"
        for c in ("n_customers", "n_active"):
            table[c] = table[c].astype(np.int64)
        result.community_shares = table
        with np.errstate(invalid="ignore", divide="ignore"):
            lift = means / pop.where(pop > 0)
        lift.index.name = "community"
        result.community_lift = lift

        effects = []
        groups = [g.to_numpy() for _, g in grouped]
        for b in BEHAVIOURS:
            values = Sa[b].to_numpy()
            ss_tot = float(((values - values.mean()) ** 2).sum())
            ss_between = float(sum(len(g) * (g[:, BEHAVIOURS.index(b)].mean() - values.mean()) ** 2
                                   for g in groups))
            eta2 = ss_between / ss_tot if ss_tot > 0 else np.nan
            per_group = [g[:, BEHAVIOURS.index(b)] for g in groups]
            if len(per_group) >= 2 and ss_tot > 0:
                h, pval = stats.kruskal(*per_group)
                eps2 = float(h) / (len(values) - 1) if len(values) > 1 else np.nan
            else:
                h, pval, eps2 = np.nan, np.nan, np.nan
            lean = lift[b].idxmax() if lift[b].notna().any() else None
            effects.append({"behaviour": b, "eta_squared": eta2, "kruskal_h": float(h),
                            "epsilon_squared": eps2, "p_value": float(pval), "leans_most": lean})
        result.community_effects = pd.DataFrame(effects).set_index("behaviour")

        dominant = pd.Series(np.asarray(BEHAVIOURS)[np.argmax(Sa.to_numpy(), axis=1)], index=Sa.index)
        cont = pd.crosstab(ca, dominant).reindex(columns=list(BEHAVIOURS), fill_value=0)
        cont.index.name, cont.columns.name = "community", "dominant"
        result.contingency = cont
        nz = cont.loc[cont.sum(axis=1) > 0, cont.sum(axis=0) > 0]
        n_tot = int(nz.to_numpy().sum())
        if min(nz.shape) >= 2:
            chi2, pval, dof, _ = stats.chi2_contingency(nz.to_numpy(), correction=False)
            v = float(np.sqrt(chi2 / (n_tot * (min(nz.shape) - 1))))
        else:
            chi2, pval, dof, v = 0.0, 1.0, 0, 0.0
        result.association = {"cramers_v": v, "chi2": float(chi2), "dof": int(dof), "p_value": float(pval),
                              "n": n_tot}
    return result


# --------------------------------------------------------------------------------------------------
# Strategy playbook
# --------------------------------------------------------------------------------------------------

def _segment_labels(segments_, index: pd.Index) -> tuple[pd.Series, dict]:
    names: dict = {}
    if isinstance(segments_, pd.DataFrame):
        if "segment" not in segments_.columns:
            raise ParameterError("segments: a DataFrame needs a 'segment' column (the output of "
                                 f"netlib.patterns.segments); found {list(segments_.columns)}")
        if "segment_name" in segments_.columns:
            names = (segments_[["segment", "segment_name"]].drop_duplicates("segment")
                     .set_index("segment")["segment_name"].to_dict())
        labels = segments_["segment"]
    elif isinstance(segments_, pd.Series):
        labels = segments_
    elif isinstance(segments_, Mapping):
        labels = pd.Series(dict(segments_))
    else:
        raise ParameterError("segments must be the DataFrame from segments(), a Series or a dict "
                             f"(customer id -> segment); got {type(segments_).__name__}")
    labels = labels.copy()
    labels.index = _as_str_ids(labels.index)
    common = index.intersection(labels.index)
    if len(common) == 0:
        raise ParameterError("profiles and segments have no customer id in common")
    return labels.loc[common], names


def strategy_playbook(profiles: pd.DataFrame, segments, *, min_share: float = 0.10,
                      position: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each segment, the Rogers strategy that fits it, with the evidence from the data.

    Parameters
    ----------
    profiles : DataFrame
        From :func:`pattern_profiles`.
    segments : DataFrame, Series or dict
        From :func:`segments`, or any customer id -> segment label.
    min_share : float, default 0.10
        A behaviour can lead a segment only if it makes up at least this share of the segment's
        events on average, so a tiny share with a large lift does not decide the strategy.
    position : DataFrame, optional
        Numeric columns indexed by customer id (centrality, influence score, ...). The playbook adds,
        per segment, the median percentile (0-100, over all customers in ``position``) of each column,
        as ``pctile_<column>``, so a strategy can be tied to where the segment sits in the network.

    Returns
    -------
    DataFrame
        Indexed by ``segment`` (in segment order, the inactive segment -1 last), columns ``name``,
        ``n_customers``, ``share_of_customers``, ``behaviour`` (the lead behaviour), ``strategy``,
        ``action``, ``evidence`` (one sentence with the numbers), ``runner_up`` (the next behaviour by
        lift, or NA), ``share_<b>`` and ``lift_<b>`` for each behaviour, ``median_intensity``,
        ``median_recency_days``, ``mean_breadth`` and, when ``position`` is given, the percentiles.

    Notes
    -----
    The lead behaviour is the one whose mean share in the segment is highest *relative to the whole
    customer base* (lift = segment mean share / population mean share) among behaviours with mean share
    >= ``min_share``: what sets the segment apart, not what everybody does (access is usually the
    largest share everywhere). Strategies follow D. L. Rogers, *The Network Is Your Customer* (2010):
    access - be faster and easier; engage - be a source of valued information; customize - be
    adaptable; connect - become part of their conversation; collaborate - invite them to collaborate.
    Customers without behavioural events get a re-activation line that starts at access.

    Examples
    --------
    >>> import pandas as pd
    >>> prof = pd.DataFrame({"access": [1, .9, .2, .1], "engage": [0, .1, 0, 0], "customize": [0] * 4,
    ...                      "connect": [0, 0, .8, .9], "collaborate": [0] * 4,
    ...                      "intensity": [1.0] * 4, "recency_days": [1.0] * 4, "breadth": [1, 2, 2, 2]},
    ...                     index=pd.Index(list("abcd"), name="customer_id"))
    >>> book = strategy_playbook(prof, {"a": 0, "b": 0, "c": 1, "d": 1})
    >>> book[["behaviour", "strategy"]].values.tolist()
    [['access', 'Be faster and easier'], ['connect', 'Become part of their conversation']]
    """
    shares = _share_matrix(profiles, "strategy_playbook")
    shares.index = _as_str_ids(shares.index)
    if not 0 <= min_share < 1:
        raise ParameterError(f"min_share must be in [0, 1); got {min_share}")
    labels, names = _segment_labels(segments, shares.index)
    prof = profiles.copy()
    prof.index = shares.index
    prof = prof.loc[labels.index]
    S = shares.loc[labels.index]
    active = S.notna().all(axis=1)
    pop = S[active].mean()
    n_all = len(labels)

    pct = None
    if position is not None:
        pos, num = _numeric_by_customer(position, "position")
        pct = pos[num].rank(pct=True).mul(100).reindex(labels.index)

    order = sorted(labels.unique(), key=lambda s: (s == -1, s))
    rows = []
    for seg in order:
        members = labels.index[labels.to_numpy() == seg]
        Sm = S.loc[members]
        act = Sm.notna().all(axis=1)
        n = len(members)
        row: dict[str, Any] = {"segment": seg, "n_customers": n, "share_of_customers": n / n_all}
        means = Sm[act].mean() if act.any() else pd.Series(np.nan, index=list(BEHAVIOURS))
        with np.errstate(invalid="ignore", divide="ignore"):
            lifts = means / pop.where(pop > 0)
        if not act.any():
            lead, runner = None, None
        else:
            eligible = [b for b in BEHAVIOURS if means[b] >= min_share and np.isfinite(lifts[b])]
            if not eligible:
                eligible = [means.idxmax()]
            ranked = sorted(eligible, key=lambda b: (-lifts[b], BEHAVIOURS.index(b)))
            lead = ranked[0]
            runner = ranked[1] if len(ranked) > 1 else None
        if lead is None:
            row.update(name=names.get(seg, "inactive"), behaviour="access", **_REACTIVATE,
                       evidence=f"{n} customers ({n / n_all:.0%}) with no behavioural event in the window",
                       runner_up=None)
        else:
            size = f"{n} customers ({n / n_all:.0%})"
            ev = (f"{lead} is {means[lead]:.0%} of their behaviour vs {pop[lead]:.0%} across all customers "
                  f"(lift {lifts[lead]:.2f}); {size}")
            if runner is not None:
                ev += f"; next: {runner} (lift {lifts[runner]:.2f})"
            row.update(name=names.get(seg, f"segment {seg}"), behaviour=lead, **STRATEGIES[lead],
                       evidence=ev, runner_up=runner)
        for b in BEHAVIOURS:
            row[f"share_{b}"] = float(means[b])
        for b in BEHAVIOURS:
            row[f"lift_{b}"] = float(lifts[b])
        for col, out_col, how in (("intensity", "median_intensity", "median"),
                                  ("recency_days", "median_recency_days", "median"),
                                  ("breadth", "mean_breadth", "mean")):
            row[out_col] = float(getattr(prof.loc[members, col], how)()) if col in prof.columns else np.nan
        if pct is not None:
            for c in pct.columns:
                row[f"pctile_{c}"] = float(pct.loc[members, c].median())
        rows.append(row)
    book = pd.DataFrame(rows).set_index("segment")
    lead_cols = ["name", "n_customers", "share_of_customers", "behaviour", "strategy", "action", "evidence",
                 "runner_up"]
    book = book[lead_cols + [c for c in book.columns if c not in lead_cols]]
    book.attrs["provenance"] = provenance("strategy_playbook", min_share=min_share,
                                          position=None if position is None else list(pct.columns))
    book.attrs["population_shares"] = {b: float(pop[b]) for b in BEHAVIOURS}
    return book


# --------------------------------------------------------------------------------------------------
# Reconciliation with the sharing network
# --------------------------------------------------------------------------------------------------

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
