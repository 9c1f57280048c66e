"""The shared contract of netlib's public functions, each piece written once. Private.

- :func:`provenance` and :func:`stamp`: what made a result, in one nested shape, recorded under the
  public name (``obj.attrs["provenance"]`` on tables, ``G.graph["provenance"]`` on graphs, a
  ``provenance`` attribute on result objects).
- :func:`as_table`: "a DataFrame or a CustomerData" in, the table out, required columns checked
  (:func:`require_columns`, also for the tables netlib itself returns).
- :func:`ids_as_str`: customer and item ids as text (and which are missing).
- :func:`to_utc` and :func:`to_utc_ns`: one time or a column of times in UTC.
- :func:`check_runs`, :func:`renamed_keyword`, :func:`positional_deprecated`: checks of counts and
  keywords kept for one release.

Nothing here imports more than numpy and pandas at module level, so every module may use it.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from netlib.errors import DataError, ParameterError, SchemaError

__all__ = ["MISSING", "as_table", "check_runs", "ids_as_str", "nested_state", "positional_deprecated", "provenance",
           "renamed_keyword", "require_columns", "stamp", "to_utc", "to_utc_ns"]

# The packages whose functions record their full name; any other name is one of netlib's own.
_FULL_NAMES = ("netlib.", "netlib_cases.")


# -- provenance ----------------------------------------------------------------------------------

def provenance(function: str, /, **params: Any) -> dict[str, Any]:
    """What made a result: ``{"function", "parameters", "netlib_version"}``.

    ``function`` is the public name: ``"centrality"`` and ``"synth.generate"`` are recorded as
    ``"netlib.centrality"`` and ``"netlib.synth.generate"``; a name that already starts with
    ``netlib.`` or ``netlib_cases.`` is recorded as given. Generators are recorded as a placeholder
    and numpy scalars as Python numbers, so the record prints and serialises.
    """
    from netlib import __version__

    clean = {}
    for key, value in params.items():
        if isinstance(value, np.random.Generator):
            value = "<numpy.random.Generator>"
        elif isinstance(value, (np.integer, np.floating)):
            value = value.item()
        clean[key] = value
    name = function if function.startswith(_FULL_NAMES) else f"netlib.{function}"
    return {"function": name, "parameters": clean, "netlib_version": __version__}


def stamp(obj, function: str, /, **params: Any):
    """Record :func:`provenance` on ``obj`` where that kind of result keeps it, and return ``obj``.

    DataFrames and Series: ``obj.attrs["provenance"]``; networkx graphs: ``obj.graph["provenance"]``;
    anything else (result objects): ``obj.provenance``. Other ``attrs`` entries are left beside it.
    A dict already made by :func:`provenance` may be passed as ``function`` (several outputs of one
    call share one record).
    """
    record = function if isinstance(function, Mapping) else provenance(function, **params)
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        obj.attrs["provenance"] = record
    elif hasattr(obj, "graph") and hasattr(obj, "adj"):  # a networkx graph (without importing networkx)
        obj.graph["provenance"] = record
    else:
        obj.provenance = record
    return obj


def nested_state(state: dict) -> dict:
    """The pickled state of a result object made before provenance was nested (a flat ``attrs`` dict
    of function, parameters and version) with that record under ``provenance``, as results keep it now."""
    state = dict(state)
    if "attrs" in state and "provenance" not in state:
        flat = state.pop("attrs") or {}
        state["provenance"] = {key: flat[key] for key in ("function", "parameters", "netlib_version") if key in flat}
    return state


# -- tables in -----------------------------------------------------------------------------------

_TABLE_HINT = {
    "interactions": "source, target, timestamp[, item_id, weight]",
    "events": "customer_id, timestamp, event_type",
    "customers": "customer_id, ...",
}


def as_table(data, table: str, *, required: Iterable[str] = (), what: str | None = None) -> pd.DataFrame:
    """The ``table`` ("interactions", "events" or "customers") of a DataFrame or a CustomerData.

    A CustomerData (anything with the table as an attribute) gives its table; a DataFrame is taken
    as that table. Then every column in ``required`` must be present.

    Raises
    ------
    ParameterError
        ``data`` is neither a DataFrame nor a CustomerData.
    SchemaError
        The CustomerData has no such table, or a required column is missing (the message names the
        column and lists the columns found).
    """
    name = what or table
    if isinstance(data, pd.DataFrame):
        frame = data
    elif hasattr(data, table):
        frame = getattr(data, table)
        if frame is None:
            raise SchemaError(f"{type(data).__name__} from {getattr(data, 'source', '?')} has no {table} table; "
                              f"{name} needs {table} ({_TABLE_HINT.get(table, '')})",
                              table=table, source=str(getattr(data, "source", None)))
    else:
        frame = None
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"{name} must be the {table} DataFrame ({_TABLE_HINT.get(table, '')}) or a "
                             f"CustomerData; got {type(data).__name__}")
    require_columns(frame, required, table)
    return frame


def require_columns(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    """:class:`SchemaError` naming the first of ``columns`` that ``frame`` lacks, and the columns found."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(f"{table}: column {missing[0]!r} is missing; found: {list(map(str, frame.columns))}",
                          table=table, column=missing[0])


def ids_as_str(values, *, missing: bool = False):
    """Ids as text (pandas' ``str`` dtype): a Series stays a Series (same index), anything else becomes
    an Index (same name).

    Every id goes through ``str``, so ``7`` and ``"7"`` are one customer; missing ids stay missing.
    With ``missing=True`` also returns a boolean array marking the ids that are absent (NA) or blank.
    """
    out = values if isinstance(values, pd.Series) else pd.Index(values)
    out = out.astype(str)
    if not missing:
        return out
    absent = np.asarray(pd.isna(out), dtype=bool) | np.asarray(
        pd.Series(out).str.strip().eq("").to_numpy(dtype=bool, na_value=True), dtype=bool)
    return out, absent


# -- time ----------------------------------------------------------------------------------------

def to_utc(value, name: str = "time") -> pd.Timestamp | pd.Series:
    """One time (anything ``pd.Timestamp`` reads) or a column of datetimes, in UTC.

    A time without a zone is taken as UTC; a time with one is converted. For a whole column of
    epoch numbers or text use :func:`to_utc_ns`, which reads them as :func:`netlib.read_data` does.

    Raises
    ------
    ParameterError
        ``value`` is not a date or a time (the message names ``name``).
    """
    if isinstance(value, pd.Series):
        if isinstance(value.dtype, pd.DatetimeTZDtype):
            return value.dt.tz_convert("UTC")
        if pd.api.types.is_datetime64_dtype(value.dtype):
            return value.dt.tz_localize("UTC")
        raise ParameterError(f"{name} must hold datetimes; got dtype {value.dtype}")
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ParameterError(f"{name} must be a date or timestamp; got {value!r}") from exc
    if pd.isna(ts):
        raise ParameterError(f"{name} must be a date or timestamp; got {value!r}")
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def to_utc_ns(series: pd.Series, table: str, column: str = "timestamp") -> np.ndarray:
    """int64 nanoseconds since the epoch (UTC) of a timestamp column.

    Datetimes are converted (naive ones taken as UTC); epoch seconds and ISO 8601 text are read
    exactly as :func:`netlib.read_data` reads them.

    Raises
    ------
    SchemaError
        A value cannot be read as a time (the message names table, column and data row).
    DataError
        A timestamp is missing.
    """
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        ts = to_utc(series, f"{table}.{column}")
    else:
        from netlib.io import _parse_timestamp

        ts = _parse_timestamp(series, "s")
        unreadable = (ts.isna() & series.notna()).to_numpy()
        if unreadable.any():
            first = int(np.flatnonzero(unreadable)[0])
            raise SchemaError(f"{table}: column '{column}' cannot be read as timestamps (expected epoch seconds "
                              f"or an ISO 8601 time, found {series.iloc[first]!r} at data row {first + 1})",
                              table=table, column=column, source="<DataFrame>")
    absent = ts.isna().to_numpy()
    if absent.any():
        first = int(np.flatnonzero(absent)[0]) + 1
        raise DataError(f"{table}: column '{column}' has {int(absent.sum())} missing timestamp(s) "
                        f"(first at data row {first}); load the table with netlib.read_data to reject them")
    return ts.dt.as_unit("ns").array.asi8


# -- arguments -----------------------------------------------------------------------------------

def check_runs(runs, name: str = "runs") -> int:
    """``runs`` (a number of random repeats) as an int >= 1; :class:`ParameterError` otherwise."""
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 1:
        raise ParameterError(f"{name} must be a positive whole number; got {runs!r}")
    return int(runs)


class _Missing:
    """The default of a renamed keyword: tells "not given" apart from every real value."""

    def __repr__(self) -> str:
        return "<renamed>"


MISSING: Any = _Missing()


def renamed_keyword(function: str, old: str, new: str, old_value: Any, new_value: Any,
                    default: Any) -> tuple[Any, str]:
    """The value of keyword ``new`` when callers may still pass its old name ``old`` (kept one release),
    and the name the caller used (for error messages).

    ``old_value`` is :data:`MISSING` when the old name was not used; otherwise a ``DeprecationWarning``
    names the new keyword, and giving both names raises :class:`~netlib.errors.ParameterError`.
    """
    if old_value is MISSING:
        return new_value, new
    warnings.warn(f"{function}: the keyword {old}= is renamed {new}=; {old}= will be removed in the next release",
                  DeprecationWarning, stacklevel=3)
    if new_value is not default and not _same_default(new_value, default):
        raise ParameterError(f"{function}: give {new}= only ({old}= is its old name)")
    return old_value, old


def _same_default(value: Any, default: Any) -> bool:
    try:
        return bool(type(value) is type(default) and value == default)
    except (TypeError, ValueError):
        return False


def positional_deprecated(*names: str):
    """Let ``names`` (keyword-only now) still be passed by position after the data argument, with a
    ``DeprecationWarning``, for one release."""
    def wrap(func):
        @functools.wraps(func)
        def call(data, *args, **kwargs):
            if len(args) > len(names):
                raise TypeError(f"{func.__name__}() takes 1 positional argument but {1 + len(args)} were given")
            for name, value in zip(names, args):
                if name in kwargs:
                    raise TypeError(f"{func.__name__}() got multiple values for argument {name!r}")
                kwargs[name] = value
            if args:
                warnings.warn(f"{func.__name__}: pass {', '.join(n + '=' for n in names[:len(args)])} by keyword; "
                              "passing it by position is deprecated and will stop working in the next release",
                              DeprecationWarning, stacklevel=2)
            return func(data, **kwargs)
        return call
    return wrap
