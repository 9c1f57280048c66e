"""Reading one timestamp column: epoch numbers, Excel serial days, ISO 8601 and day/month/year text.

Every decision is made once per column and said in words (``decisions``); every value that cannot be read
is given a reason (``reasons``, by row label) instead of an exception. The rules, in order:

- datetime columns are converted to UTC (naive ones are taken as UTC);
- numbers are epoch seconds, milliseconds, microseconds or nanoseconds, or Excel serial days, told apart
  by magnitude (:func:`detect_unit`) unless ``time_unit`` is given;
- text is ISO 8601 first; then numeric day/month/year forms (``05/03/2024``, ``5.3.24``) whose order is
  decided once for the column from the values that settle it; then dates with month names
  (``5 March 2024``, ``Tue, 05 Mar 2024 10:00:00 +0100``), which must name a year. With ``date_format``
  the whole column is read with that strptime format instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import dateutil.parser
import numpy as np
import pandas as pd

from netlib.errors import SchemaError

__all__ = ["UNITS", "UNIT_NAMES", "ParsedTimes", "parse_times", "detect_unit"]

TIMESTAMP_DTYPE = "datetime64[ns, UTC]"
UNITS = ("s", "ms", "us", "ns", "excel")
UNIT_NAMES = {
    "s": "epoch seconds",
    "ms": "epoch milliseconds",
    "us": "epoch microseconds",
    "ns": "epoch nanoseconds",
    "excel": "Excel serial days (days since 1899-12-30)",
}
_NS_PER = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1, "excel": 86_400 * 10**9}
_EXCEL_ORIGIN_NS = pd.Timestamp("1899-12-30").value  # Excel's day 0 (its 1900 leap-year bug included)
_LO_NS, _HI_NS = pd.Timestamp.min.value, pd.Timestamp.max.value
RANGE_TEXT = f"{pd.Timestamp.min:%Y-%m-%d} to {pd.Timestamp.max:%Y-%m-%d}"
#: Excel serial days are recognised when every number lies in 1950-01-01 .. 2100-01-01.
EXCEL_BAND = (18_264.0, 73_051.0)
#: Orders of magnitude of the column's median |value| for each epoch unit (1973 .. 2286 for each);
#: the decades between them are ambiguous and refused.
_BANDS = ((0.0, 1e10, "s"), (1e11, 1e13, "ms"), (1e14, 1e16, "us"), (1e17, 9.3e18, "ns"))
EXPECTED = "expected a date and time (ISO 8601, day/month/year, or an epoch number), found"

_DMY = re.compile(r"^\s*(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?=$|[ T])(.*)$")


@dataclass
class ParsedTimes:
    values: pd.Series  # datetime64[ns, UTC]; NaT where missing or rejected
    reasons: dict = field(default_factory=dict)  # row label -> why a present value was rejected
    decisions: list[str] = field(default_factory=list)


def _refuse(message: str, where: dict) -> SchemaError:
    return SchemaError(message, table=where.get("table"), column=where.get("column"), source=where.get("source"))


def _label(where: dict) -> str:
    src = where.get("source")
    src = f" ({src})" if src and src != "<DataFrame>" else ""
    return f"{where.get('table', 'table')}.{where.get('column', 'timestamp')}{src}"


def detect_unit(values: np.ndarray, where: dict) -> tuple[str, str]:
    """The unit of a column of epoch numbers, from magnitudes; SchemaError when they do not settle it."""
    finite = values if values.dtype.kind in "iu" else values[np.isfinite(values)]
    if not len(finite):
        return "s", "no readable numbers"
    if finite.min() >= EXCEL_BAND[0] and finite.max() <= EXCEL_BAND[1]:
        return "excel", "every number lies between 18264 and 73051, Excel's serial days for 1950-2100"
    step = max(len(finite) // 100_000, 1)  # the median of an even sample decides as well and costs less
    median = float(np.median(np.abs(finite[::step].astype("float64"))))
    for lo, hi, unit in _BANDS:
        if lo <= median < hi:
            return unit, f"the numbers are around {median:.3g}"
    if median >= _BANDS[-1][1]:
        return "ns", f"the numbers (around {median:.3g}) are beyond every epoch unit, so out of range"
    below = [u for lo, hi, u in _BANDS if hi <= median][-1:]
    above = [u for lo, hi, u in _BANDS if lo > median][:1]
    options = " or ".join(f"time_unit={u!r}" for u in below + above) or "time_unit="
    raise _refuse(
        f"{_label(where)}: numbers around {median:.3g} could be more than one epoch unit "
        f"({', '.join(UNIT_NAMES[u] for u in below + above)}); pass {options} to read_data", where)


def _from_numbers(numbers: pd.Series, unit: str, values_ns: np.ndarray, ok: np.ndarray,
                  reasons: dict) -> None:
    """Fill ``values_ns``/``ok`` at the positions of ``numbers`` (a float or int Series on positions)."""
    per = _NS_PER[unit]
    origin = _EXCEL_ORIGIN_NS if unit == "excel" else 0
    pos = numbers.index.to_numpy()
    v = numbers.to_numpy()
    if v.dtype.kind in "iu" and unit != "excel":
        inside = (v >= -(-_LO_NS // per)) & (v <= _HI_NS // per)
        ns = (v if inside.all() else np.where(inside, v, 0)).astype("int64", copy=False) * per
    else:
        v = v.astype("float64")
        with np.errstate(over="ignore", invalid="ignore"):  # overflow gives inf, rejected below as out of range
            scaled = v * per + origin
        inside = np.isfinite(scaled) & (scaled > _LO_NS) & (scaled < _HI_NS)
        ns = np.round(np.where(inside, scaled, 0.0)).astype("int64")
    if len(pos) == len(values_ns) and inside.all():  # the whole column, all in range: no fancy indexing
        values_ns[:] = ns
        ok[:] = True
        return
    values_ns[pos[inside]] = ns[inside]
    ok[pos[inside]] = True
    for p, x in zip(pos[~inside], v[~inside]):
        x = x.item()
        reasons[p] = (f"{x!r} is not a finite number" if not np.isfinite(x) else
                      f"{x!r} {UNIT_NAMES[unit]} is outside the range netlib can hold ({RANGE_TEXT})")


def _dateutil(text: str) -> tuple[int | None, str | None]:
    """Nanoseconds (UTC) of a date with month names, or (None, why); the year must be written."""
    try:
        a = dateutil.parser.parse(text, default=pd.Timestamp(2000, 1, 1).to_pydatetime())
        b = dateutil.parser.parse(text, default=pd.Timestamp(2001, 2, 2).to_pydatetime())
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return None, "unreadable"
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return None, "incomplete"
    try:
        ts = pd.Timestamp(a)
        ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
        return ts.as_unit("ns").value, None
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return None, "range"


def _why(kind: str, text: str) -> str:
    if kind == "incomplete":
        return f"{EXPECTED} {text!r} (a full date needs a year, a month and a day)"
    if kind == "range":
        return f"{text!r} is outside the range netlib can hold ({RANGE_TEXT})"
    return f"{EXPECTED} {text!r}"


def _iso(text: pd.Series) -> pd.Series:
    return pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")


def _store(got: pd.Series, text: pd.Series, values_ns: np.ndarray, ok: np.ndarray, reasons: dict) -> np.ndarray:
    """Put parsed times (any resolution, NaT = not read) at their positions; reject those beyond the ns range.

    Returns the mask of values read (in range or not), so the caller knows which are still unread."""
    pos = text.index.to_numpy()
    hit = got.notna().to_numpy()
    raw = got.dt.tz_convert(None).to_numpy().view("int64")
    per = _NS_PER[got.dt.unit]
    inside = hit & (raw >= -(-_LO_NS // per)) & (raw <= _HI_NS // per)
    values_ns[pos[inside]] = raw[inside] * per
    ok[pos[inside]] = True
    for q in pos[hit & ~inside]:
        reasons[q] = _why("range", text.at[q])
    return hit


def _dmy_order(parts: pd.DataFrame, dayfirst: bool | None, where: dict) -> tuple[bool, str | None]:
    """Decide once for the column whether numeric dates are day first."""
    a, b = parts["a"], parts["b"]
    if dayfirst is not None:
        return dayfirst, f"{_label(where)}: dates read {'day' if dayfirst else 'month'} first (dayfirst={dayfirst})"
    day_first = parts.index[(a > 12) & (b <= 12)]
    month_first = parts.index[(b > 12) & (a <= 12)]
    if len(day_first) and len(month_first):
        raise _refuse(
            f"{_label(where)}: dates are written both day first ({parts.at[day_first[0], 'text']!r}) and month "
            f"first ({parts.at[month_first[0], 'text']!r}); pass date_format= (e.g. '%d/%m/%Y') to read_data "
            f"so the column is read one way", where)
    if len(day_first) or len(month_first):
        first = day_first[0] if len(day_first) else month_first[0]
        order = bool(len(day_first))
        return order, (f"{_label(where)}: dates read {'day/month/year' if order else 'month/day/year'}, "
                       f"decided from {parts.at[first, 'text']!r}")
    if (a != b).any():
        example = parts.loc[a != b, "text"].iloc[0]
        raise _refuse(
            f"{_label(where)}: dates such as {example!r} could be day/month/year or month/day/year and no "
            f"value settles it; pass dayfirst=True (day first) or dayfirst=False (month first), or "
            f"date_format= (e.g. '%d/%m/%Y'), to read_data", where)
    return True, None  # every date has day == month: the order does not matter


def _from_text(text: pd.Series, dayfirst: bool | None, date_format: str | None, where: dict,
               values_ns: np.ndarray, ok: np.ndarray, reasons: dict, decisions: list[str]) -> None:
    """Parse stripped strings (indexed by position) into ``values_ns``."""
    pos = text.index.to_numpy()
    if date_format is not None:
        got = pd.to_datetime(text, format=date_format, utc=True, errors="coerce")
        decisions.append(f"{_label(where)}: read with date_format={date_format!r}")
        hit = _store(got, text, values_ns, ok, reasons)
        for p, t in zip(pos[~hit], text.to_numpy()[~hit]):
            reasons[p] = f"expected a date in date_format {date_format!r}, found {t!r}"
        return
    hit = _store(_iso(text), text, values_ns, ok, reasons)
    rest = text[~hit]
    if not len(rest):
        return
    parts = rest.str.extract(_DMY)
    numeric = parts[0].notna()
    if numeric.any():
        p = pd.DataFrame({"a": parts.loc[numeric, 0].astype("int64"), "b": parts.loc[numeric, 2].astype("int64"),
                          "y": parts.loc[numeric, 3], "rest": parts.loc[numeric, 4], "text": rest[numeric]})
        order, decision = _dmy_order(p, dayfirst, where)
        if decision:
            decisions.append(decision)
        day, month = (p["a"], p["b"]) if order else (p["b"], p["a"])
        year = p["y"].astype("int64")
        year = year.where(p["y"].str.len() == 4, np.where(year < 69, 2000 + year, 1900 + year))
        ymd = (year.astype("str").str.zfill(4) + "-" + month.astype("str").str.zfill(2) + "-"
               + day.astype("str").str.zfill(2))
        real = pd.to_datetime(ymd, format="%Y-%m-%d", errors="coerce").notna()
        for q in ymd.index[~real.to_numpy()]:
            order_text = "day/month/year" if order else "month/day/year"
            reasons[q] = f"{text.at[q]!r} is not a date when read {order_text}"
        rest = pd.concat([rest[~numeric], (ymd + p["rest"])[real]]).sort_index()
        hit = _store(_iso(rest), text[rest.index], values_ns, ok, reasons)
        rest = rest[~hit]
    for value, positions in rest.groupby(rest, sort=False).groups.items():
        ns, kind = _dateutil(str(value))
        positions = np.asarray(positions)
        if ns is None:
            for q in positions:
                reasons[q] = _why(kind, text.at[q])  # quote what the file held, not the rewritten form
        else:
            values_ns[positions] = ns
            ok[positions] = True


def parse_times(raw: pd.Series, *, time_unit: str | None = None, dayfirst: bool | None = None,
                date_format: str | None = None, where: dict | None = None) -> ParsedTimes:
    """Parse one column; see the module docstring for the rules. Missing cells give NaT and no reason."""
    where = where or {}
    index = raw.index
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        return ParsedTimes(pd.Series(raw.dt.tz_convert("UTC").astype(TIMESTAMP_DTYPE).array, index=index))
    if pd.api.types.is_datetime64_dtype(raw):
        return ParsedTimes(pd.Series(raw.dt.tz_localize("UTC").astype(TIMESTAMP_DTYPE).array, index=index))
    n = len(raw)
    values_ns = np.zeros(n, dtype="int64")
    ok = np.zeros(n, dtype=bool)
    reasons: dict[int, str] = {}
    decisions: list[str] = []
    pos_raw = raw.reset_index(drop=True)
    if pd.api.types.is_bool_dtype(raw):
        numbers, text = pos_raw.iloc[:0].astype("float64"), pos_raw.dropna().astype("str")
    elif pd.api.types.is_numeric_dtype(raw):
        numbers = pos_raw if pos_raw.dtype.kind in "iu" else pos_raw.dropna()
        text = pos_raw.iloc[:0].astype("str")
        if isinstance(numbers.dtype, pd.api.extensions.ExtensionDtype):
            numbers = numbers.astype("int64" if numbers.dtype.kind in "iu" else "float64")
    else:
        present = pos_raw[pos_raw.notna()]
        is_dt = (present.map(lambda v: isinstance(v, (datetime, np.datetime64))) if present.dtype == object
                 else pd.Series(False, index=present.index)).astype(bool)
        for p, v in present[is_dt].items():
            try:
                ts = pd.Timestamp(v)
                ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
                values_ns[p], ok[p] = ts.as_unit("ns").value, True
            except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
                reasons[p] = f"{str(v)!r} is outside the range netlib can hold ({RANGE_TEXT})"
        present = present[~is_dt]
        as_text = present.astype("str").str.strip()
        number = pd.to_numeric(as_text.where(as_text.str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")),
                               errors="coerce")
        is_num = number.notna()
        numbers, text = number[is_num], as_text[~is_num]
        text = text[text != ""]  # blank text is a missing value, as an empty cell is
    if len(numbers):
        if time_unit is None:
            unit, why = detect_unit(numbers.to_numpy(), where)
            decisions.append(f"{_label(where)}: numbers read as {UNIT_NAMES[unit]} ({why}; "
                             f"time_unit= overrides)")
        else:
            unit = time_unit
            decisions.append(f"{_label(where)}: numbers read as {UNIT_NAMES[unit]} (time_unit={unit!r})")
        _from_numbers(numbers, unit, values_ns, ok, reasons)
    if len(text):
        _from_text(text, dayfirst, date_format, where, values_ns, ok, reasons, decisions)
    out = values_ns.view("datetime64[ns]")
    if not ok.all():
        out = out.copy()
        out[~ok] = np.datetime64("NaT")
    values = pd.Series(pd.DatetimeIndex(out).tz_localize("UTC"), index=index, dtype=TIMESTAMP_DTYPE)
    labels = index.to_numpy()
    return ParsedTimes(values, {labels[p]: r for p, r in reasons.items()}, decisions)
