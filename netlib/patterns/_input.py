"""Input handling shared by the patterns modules: tables, ids, timestamps, share columns."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from netlib.errors import DataError, ParameterError, SchemaError
from netlib.io import _parse_timestamp
from netlib.patterns.taxonomy import BEHAVIOURS

__all__ = []


def _unpack_data(events) -> tuple[pd.DataFrame, pd.Series | None]:
    """Events DataFrame and (if given a CustomerData) the customer ids."""
    customers = None
    if not isinstance(events, pd.DataFrame) and hasattr(events, "events"):
        data = events
        events = data.events
        if events is None:
            raise SchemaError(f"{type(data).__name__} from {getattr(data, 'source', '?')} has no events table; "
                              "behaviour profiles need events (customer_id, timestamp, event_type)",
                              table="events", source=str(getattr(data, "source", None)))
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


def _share_matrix(profiles: pd.DataFrame, what: str) -> pd.DataFrame:
    if not isinstance(profiles, pd.DataFrame):
        raise ParameterError(f"{what}: profiles must be the DataFrame from pattern_profiles; "
                             f"got {type(profiles).__name__}")
    missing = [b for b in BEHAVIOURS if b not in profiles.columns]
    if missing:
        raise ParameterError(f"{what}: profiles lack the share column(s) {missing}; pass the DataFrame "
                             f"returned by pattern_profiles (found: {list(profiles.columns)[:12]})")
    return profiles[list(BEHAVIOURS)].astype(np.float64)



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
