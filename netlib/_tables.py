"""The tables' columns and the column-level steps of reading: options, ids as text, parsing, null markers.

:func:`netlib.read_data` (in :mod:`netlib.io`) runs these per table, then validates the rows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from netlib._csvread import RawTable, read_file
from netlib._schemas import TIMESTAMP_DTYPE
from netlib._timeparse import UNITS, parse_times
from netlib.errors import DataError, SchemaError

__all__ = ["TABLES", "REQUIRED", "ID_COLUMNS", "TEXT_COLUMNS", "Options", "Ids", "normalise", "check_columns",
           "empty_table", "na_markers", "isin"]

TABLES = ("customers", "interactions", "events")

#: Required columns of each table.
REQUIRED: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id",),
    "interactions": ("source", "target", "timestamp"),
    "events": ("customer_id", "timestamp", "event_type"),
}
#: Columns that hold customer ids (kept as strings, checked against the customers table).
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id",),
    "interactions": ("source", "target"),
    "events": ("customer_id",),
}
#: Optional columns read as text (never as numbers, so "007" stays "007").
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": (),
    "interactions": ("kind", "channel", "item_id"),
    "events": ("event_type", "item_id", "project_id", "channel", "target"),
}


@dataclass
class Options:
    time_unit: str | None = None
    dayfirst: bool | None = None
    date_format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    na_values: tuple[str, ...] = ()
    columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def check(self) -> Options:
        def bad(name: str, expected: str, got) -> DataError:
            return DataError(f"{name} must be {expected}, got {got!r}")

        if self.time_unit is not None and self.time_unit not in UNITS:
            raise bad("time_unit", f"None or one of {list(UNITS)}", self.time_unit)
        if self.dayfirst not in (None, True, False):
            raise bad("dayfirst", "None, True or False", self.dayfirst)
        if self.date_format is not None and (not isinstance(self.date_format, str) or "%" not in self.date_format):
            raise bad("date_format", "a strftime format such as '%d/%m/%Y %H:%M'", self.date_format)
        if self.delimiter is not None and (not isinstance(self.delimiter, str) or len(self.delimiter) != 1):
            raise bad("delimiter", "one character such as ',', ';', '\\t' or '|'", self.delimiter)
        if self.decimal not in (None, ".", ","):
            raise bad("decimal", "None, '.' or ','", self.decimal)
        if self.decimal is not None and self.decimal == self.delimiter:
            raise DataError(f"decimal and delimiter cannot both be {self.decimal!r}")
        if self.encoding is not None and not isinstance(self.encoding, str):
            raise bad("encoding", "an encoding name such as 'utf-8' or 'cp1252'", self.encoding)
        na = (self.na_values,) if isinstance(self.na_values, str) else tuple(self.na_values or ())
        if not all(isinstance(v, str) for v in na):
            raise bad("na_values", "a string or a list of strings", self.na_values)
        self.na_values = na
        self.columns = self.columns or {}
        return self

    def read(self, path: str | os.PathLike, table: str) -> RawTable:
        path = Path(path)
        if not path.is_file():
            raise DataError(f"{path}: file not found")
        rename = dict(self.columns.get(table, {}))
        wanted = set(ID_COLUMNS[table]) | set(TEXT_COLUMNS[table])
        text = wanted | {old for old, new in rename.items() if str(new).strip() in wanted}
        weight = next((old for old, new in rename.items() if str(new).strip() == "weight"), "weight")
        return read_file(path, text, weight if table == "interactions" else None, encoding=self.encoding,
                         delimiter=self.delimiter, decimal=self.decimal, na_values=list(self.na_values))


_WHOLE = r"^([+-]?\d+)\.0+$"


def _as_text(col: pd.Series) -> tuple[pd.Series, bool]:
    """Ids and labels as stripped strings, missing kept missing; True when the column held floats.

    Whole floats print without '.0' (``1.0`` → ``"1"``), so float, int and text ids agree."""
    if isinstance(col.dtype, pd.StringDtype):
        return (col.str.strip() if _may_need_strip(col) else col), False
    floats = pd.api.types.is_float_dtype(col)
    missing = col.isna()
    text = col.astype("str")
    if floats:
        v = col.to_numpy(dtype="float64", na_value=np.nan)
        whole = np.isfinite(v) & (np.floor(v) == v) & (np.abs(v) < 2.0**53)
        if whole.any():
            text = text.mask(pd.Series(whole, index=col.index),
                             pd.Series(np.where(whole, v, 0).astype("int64"), index=col.index).astype("str"))
    if missing.any():
        text = text.mask(missing)
    return text.str.strip(), floats


def _may_need_strip(col: pd.Series) -> bool:
    """False only when every string of ``col`` begins and ends with a printable ASCII character.

    Whitespace is an ASCII byte up to 0x20 or a multi-byte character (bytes from 0x80), so such a column
    is its own strip; reading the first and last byte of each string costs a fraction of stripping it.
    """
    array = col.array
    if not hasattr(array, "__arrow_array__"):
        return True
    for chunk in array.__arrow_array__().chunks:
        if not len(chunk):
            continue
        if not pyarrow.types.is_large_string(chunk.type) and not pyarrow.types.is_string(chunk.type):
            return True
        _, offsets, data = chunk.buffers()
        kind = np.int64 if pyarrow.types.is_large_string(chunk.type) else np.int32
        ends = np.frombuffer(offsets, dtype=kind)[chunk.offset:chunk.offset + len(chunk) + 1]
        full = ends[1:] > ends[:-1]
        if not full.any():
            continue
        text = np.frombuffer(data, dtype=np.uint8)
        edge = np.concatenate([text[ends[:-1][full]], text[ends[1:][full] - 1]])
        if ((edge <= 0x20) | (edge >= 0x80)).any():
            return True
    return False


def _may_hold(col: pd.Series, byte: bytes) -> bool:
    """False only when no string in ``col`` holds ``byte``: a scan of arrow's character buffers (memchr-fast)."""
    array = col.array
    if not hasattr(array, "__arrow_array__"):
        return bool(col.str.contains(byte.decode(), regex=False).any())
    chunks = array.__arrow_array__()
    return any(c.buffers()[2] is not None and byte in memoryview(c.buffers()[2]).tobytes() for c in chunks.chunks)


def _whole_ids(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Ids written as whole numbers with zero decimals ('1.0', '007.00') → '1', '007'; returns (ids, changed)."""
    if not _may_hold(col, b"."):
        return col, col.iloc[:0]
    hit = col.str.match(_WHOLE).fillna(False).astype(bool)
    if not hit.any():
        return col, col.iloc[:0]
    return col.mask(hit, col.str.replace(_WHOLE, r"\1", regex=True)), col[hit]


def isin(values: pd.Series, known) -> np.ndarray:
    """``values.isin(known)`` for string columns, through pyarrow (pandas' isin goes via Python objects)."""
    hit = pc.is_in(pyarrow.array(values, type=pyarrow.large_string()),
                   value_set=pyarrow.array(known, type=pyarrow.large_string()))
    return hit.to_numpy(zero_copy_only=False).astype(bool)


class Ids:
    """Ids rewritten by the whole-number rule, to report which spellings were merged."""

    def __init__(self):
        self.before: list[tuple[pd.Series, pd.Series]] = []
        self.changed: list[pd.Series] = []
        self.float_columns: list[str] = []

    def decisions(self) -> list[str]:
        out = []
        if self.float_columns:
            out.append(f"ids held as numbers in {', '.join(self.float_columns)}: whole numbers read without "
                       f"'.0' (1.0 is customer '1')")
        if not self.changed:
            return out
        spelled = pd.unique(pd.concat(self.changed, ignore_index=True))
        canon = pd.Series(spelled).str.replace(_WHOLE, r"\1", regex=True)
        plain = pd.concat([text.drop(index=changed.index) for text, changed in self.before], ignore_index=True).dropna()
        merged = canon[isin(canon, pd.unique(plain))]
        shown = ", ".join(f"{a!r} → {b!r}" for a, b in zip(spelled[:5], canon[:5]))
        more = f" and {len(spelled) - 5:,} more" if len(spelled) > 5 else ""
        out.append(f"ids written as whole numbers with zero decimals read without them: {shown}{more}")
        if len(merged):
            m = ", ".join(repr(x) for x in merged[:10]) + (f" and {len(merged) - 10:,} more" if len(merged) > 10 else "")
            out.append(f"ids merged ({len(merged):,}): {m} also appear with '.0' and are one customer each")
        return out


def normalise(df: pd.DataFrame, table: str, opts: Options, raw_table: RawTable, ids: Ids,
               decisions: list[str]) -> tuple[pd.DataFrame, dict[str, pd.Series], dict[str, dict]]:
    """Return (parsed table, the parsed columns as read, reasons by column and row label)."""
    raw: dict[str, pd.Series] = {}
    reasons: dict[str, dict] = {}
    out = df.copy(deep=False)  # copy-on-write: columns are copied only when replaced
    for col in ID_COLUMNS[table] + TEXT_COLUMNS[table]:
        if col in out:
            text, floats = _as_text(out[col])
            if col in ID_COLUMNS[table]:
                if floats:
                    ids.float_columns.append(f"{table}.{col}")
                raw[col] = text
                text, changed = _whole_ids(text)
                ids.before.append((text, changed))  # the ids as written (before the rule), for the report
                if len(changed):
                    ids.changed.append(changed)
            elif col == "event_type":
                raw[col] = text
            out[col] = text
    if "timestamp" in out:
        raw["timestamp"] = out["timestamp"]
        parsed = parse_times(out["timestamp"], time_unit=opts.time_unit, dayfirst=opts.dayfirst,
                             date_format=opts.date_format,
                             where={"table": table, "column": "timestamp", "source": raw_table.source})
        out["timestamp"] = parsed.values
        reasons["timestamp"] = parsed.reasons
        decisions += parsed.decisions
    if table == "interactions":
        if "weight" in out:
            col = raw["weight"] = out["weight"]
            if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
                w = col.astype("float64")
                # in a DataFrame NaN is pandas' missing value; in a file an empty cell was already made 1
                missing = col.isna() if not raw_table.from_file else pd.Series(False, index=col.index)
            else:
                text = col.astype("str").str.strip()
                missing = col.isna() | (text == "")
                if opts.decimal == ",":
                    text = text.str.replace(",", ".", regex=False)
                w = pd.to_numeric(text.mask(missing), errors="coerce").astype("float64")
            numeric = pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)
            bad = ~missing & ~np.isfinite(w)
            # inf and a written NaN are numbers that are not finite; other text is not a number at all
            literal = bad & (w.notna() | (w.isna() if numeric else text.str.lower().isin(["nan", "+nan", "-nan"])))
            if literal.any():
                reasons["weight"] = {i: f"expected a finite number, found {str(col.at[i])!r}"
                                     for i in col.index[literal.to_numpy()]}
            out["weight"] = w.mask(missing, 1.0).mask(bad, np.nan)
        else:
            out["weight"] = 1.0
    return out, raw, reasons


def check_columns(df: pd.DataFrame, table: str, source: str) -> None:
    missing = [c for c in REQUIRED[table] if c not in df.columns]
    if missing:
        found = [str(c) for c in df.columns]
        what = "column" if len(missing) == 1 else "columns"
        names = ", ".join(repr(c) for c in missing)
        raise SchemaError(f"{table} ({source}): {what} {names} missing; found: {found}",
                          table=table, column=missing[0], source=source)
    dupes = df.columns[df.columns.duplicated()].tolist()
    if dupes:
        raise SchemaError(f"{table} ({source}): duplicated column names {dupes}", table=table,
                          column=str(dupes[0]), source=source)


def empty_table(table: str) -> pd.DataFrame:
    cols = {c: pd.Series(dtype="str") for c in REQUIRED[table]}
    if "timestamp" in cols:
        cols["timestamp"] = pd.Series(dtype=TIMESTAMP_DTYPE)
    if table == "interactions":
        cols["weight"] = pd.Series(dtype="float64")
    return pd.DataFrame(cols)


def na_markers(frame: pd.DataFrame, na_values: tuple[str, ...]) -> pd.DataFrame:
    """Cells equal to a named null marker become missing (csv files had it done by the reader)."""
    text_cols = [c for c in frame.columns if frame[c].dtype == object or isinstance(frame[c].dtype, pd.StringDtype)]
    out = frame.copy(deep=False)
    for c in text_cols:
        hit = out[c].isin(na_values)
        if hit.any():
            out[c] = out[c].mask(hit)
    return out
