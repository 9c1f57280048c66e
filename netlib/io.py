"""Reading customer data: files or DataFrames in, validated :class:`CustomerData` out.

Three tables describe a customer network (see DESIGN.md):

========== ===================================== ==========================================================
table      required columns                      optional columns
========== ===================================== ==========================================================
customers  customer_id                           any attributes (segment, region, signup_date, ...)
interactions source, target, timestamp           kind, channel, item_id, weight
events     customer_id, timestamp, event_type    item_id, project_id, channel, target
========== ===================================== ==========================================================

Every row read is either kept or listed in ``data.report.rejected`` with its row number, column and
reason, so ``rows in = rows kept + rows rejected`` always holds. Ids become strings (``"007"`` keeps its
zeros); timestamps become ``datetime64[ns, UTC]`` from epoch seconds or ISO 8601 strings (strings without
an offset are taken as UTC). The row-level rules are pandera schemas, listed in :data:`SCHEMAS`.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from netlib.errors import DataError, RowError, SchemaError

__all__ = [
    "TABLES",
    "REQUIRED",
    "SCHEMAS",
    "CustomerData",
    "LoadReport",
    "read_data",
    "read_table",
    "write_data",
    "atomic_write",
]

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
SUFFIXES = (".parquet", ".pq", ".csv", ".csv.gz", ".tsv", ".tsv.gz")
TIMESTAMP_DTYPE = "datetime64[ns, UTC]"

_ID = pa.Check.str_length(min_value=1, error="expected a non-empty id")
_NOT_EMPTY = pa.Check.str_length(min_value=1, error="expected a non-empty value")


def _id_column(required: bool = True) -> pa.Column:
    return pa.Column("str", nullable=False, checks=_ID, required=required)


#: The pandera schemas checked after parsing; each failed check rejects its row with the check's message.
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "customers": pa.DataFrameSchema({"customer_id": _id_column()}, strict=False),
    "interactions": pa.DataFrameSchema(
        {
            "source": _id_column(),
            "target": _id_column(),
            "timestamp": pa.Column(TIMESTAMP_DTYPE, nullable=False),
            "weight": pa.Column(
                "float64",
                nullable=False,
                checks=[
                    pa.Check.ge(0, error="expected a weight >= 0"),
                    pa.Check(lambda s: np.isfinite(s), element_wise=False, error="expected a finite weight"),
                ],
            ),
        },
        strict=False,
    ),
    "events": pa.DataFrameSchema(
        {
            "customer_id": _id_column(),
            "timestamp": pa.Column(TIMESTAMP_DTYPE, nullable=False),
            "event_type": pa.Column("str", nullable=False, checks=_NOT_EMPTY),
        },
        strict=False,
    ),
}

_EXPECTED = {
    "timestamp": "expected epoch seconds or an ISO 8601 time",
    "weight": "expected a number",
}


# --------------------------------------------------------------------------------------------------
# Report and data container
# --------------------------------------------------------------------------------------------------


def _empty_rejected() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "table": pd.Series(dtype="str"),
            "source": pd.Series(dtype="str"),
            "row": pd.Series(dtype="int64"),
            "column": pd.Series(dtype="str"),
            "value": pd.Series(dtype="str"),
            "reason": pd.Series(dtype="str"),
        }
    )


@dataclass
class LoadReport:
    """What happened to every row read.

    Attributes
    ----------
    tables : DataFrame
        One row per table: ``source`` (file or ``<DataFrame>``), ``rows_in``, ``rows_kept``, ``rows_rejected``.
    rejected : DataFrame
        One row per rejected input row: ``table``, ``source``, ``row`` (1-based data row, header
        excluded, so line ``row + 1`` of a csv file), ``column``, ``value`` (as read) and ``reason``.
        A row that fails several checks is listed once, with its first failure.
    notes : list of str
        Things done that change no row but a user should know (customers derived from ids, ...).
    """

    tables: pd.DataFrame
    rejected: pd.DataFrame = field(default_factory=_empty_rejected)
    notes: list[str] = field(default_factory=list)

    @property
    def rows_in(self) -> int:
        return int(self.tables["rows_in"].sum())

    @property
    def rows_kept(self) -> int:
        return int(self.tables["rows_kept"].sum())

    @property
    def rows_rejected(self) -> int:
        return int(self.tables["rows_rejected"].sum())

    @property
    def ok(self) -> bool:
        """True when no row was rejected."""
        return self.rows_rejected == 0

    def reasons(self) -> pd.DataFrame:
        """Rejected rows counted by table, column and reason."""
        if self.rejected.empty:
            return pd.DataFrame(columns=["table", "column", "reason", "rows"])
        return (
            self.rejected.groupby(["table", "column", "reason"], sort=True)
            .size()
            .rename("rows")
            .reset_index()
            .sort_values(["table", "rows"], ascending=[True, False], kind="stable")
            .reset_index(drop=True)
        )

    def to_text(self, max_reasons: int = 10) -> str:
        lines = ["Load report"]
        for name, row in self.tables.iterrows():
            lines.append(
                f"  {name:<13} {row['rows_in']:>10,} in  {row['rows_kept']:>10,} kept  "
                f"{row['rows_rejected']:>8,} rejected   ({row['source']})"
            )
        reasons = self.reasons()
        if len(reasons):
            lines.append("  rejected rows by reason:")
            for _, r in reasons.head(max_reasons).iterrows():
                lines.append(f"    {r['table']}.{r['column']}: {r['reason']} ({r['rows']:,} rows)")
            if len(reasons) > max_reasons:
                lines.append(f"    … {len(reasons) - max_reasons} more reasons; see report.reasons()")
        for note in self.notes:
            lines.append(f"  note: {note}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        parts = [f"<b>Load report</b>: {self.rows_in:,} rows in, {self.rows_kept:,} kept, "
                 f"{self.rows_rejected:,} rejected", self.tables.to_html(escape=True)]
        if not self.rejected.empty:
            parts.append(self.reasons().to_html(escape=True, index=False))
        parts += [f"<p>note: {html.escape(n)}</p>" for n in self.notes]
        return "\n".join(parts)


@dataclass(frozen=True)
class CustomerData:
    """The three validated tables, the load report and (for synthetic data) the ground truth.

    Build it with :func:`read_data`; ``dataclasses.replace(data, truth=...)`` makes a copy with other parts.
    """

    customers: pd.DataFrame
    interactions: pd.DataFrame
    events: pd.DataFrame
    report: LoadReport
    truth: Any = None
    source: str = "<DataFrame>"

    def _counts(self) -> str:
        r = self.report
        rejected = f"; {r.rows_rejected:,} rows rejected" if r.rows_rejected else ""
        truth = "; with ground truth" if self.truth is not None else ""
        return (f"{len(self.customers):,} customers, {len(self.interactions):,} interactions, "
                f"{len(self.events):,} events{rejected}{truth}")

    def __repr__(self) -> str:
        return f"CustomerData({self._counts()}; source={self.source})"

    def _repr_html_(self) -> str:
        return (f"<b>CustomerData</b> from <code>{html.escape(self.source)}</code>: "
                f"{html.escape(self._counts())}")


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------


def _find_file(folder: Path, table: str) -> Path | None:
    found = [folder / f"{table}{suffix}" for suffix in SUFFIXES if (folder / f"{table}{suffix}").is_file()]
    if len(found) > 1:
        raise DataError(f"{folder}: more than one file for table {table!r}: {[p.name for p in found]}; keep one")
    return found[0] if found else None


def read_table(path: str | os.PathLike, table: str) -> pd.DataFrame:
    """Read one table file as found (ids and text columns as strings), before validation.

    csv, csv.gz, tsv and tsv.gz go through pyarrow's csv reader (multithreaded); parquet through
    pyarrow. Empty lines are rows (of missing values), so data row ``r`` is line ``r + 1`` of the file.
    """
    path = Path(path)
    if table not in REQUIRED:
        raise DataError(f"unknown table {table!r}; expected one of {list(TABLES)}")
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    name = path.name.lower()
    try:
        if name.endswith((".parquet", ".pq")):
            return pd.read_parquet(path, engine="pyarrow")
        if not name.endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz")):
            raise DataError(f"{path}: unknown format; expected one of {list(SUFFIXES)}")
        sep = "\t" if ".tsv" in name else ","
        header = pd.read_csv(path, sep=sep, nrows=0).columns
        # ids and labels as text; timestamp and weight typed by pyarrow (numbers, ISO times) or left
        # as text when mixed, for _normalise to parse and report row by row
        text = set(ID_COLUMNS[table]) | set(TEXT_COLUMNS[table])
        table_ = pacsv.read_csv(
            path,
            parse_options=pacsv.ParseOptions(delimiter=sep, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pyarrow.string() for c in header if c in text}, strings_can_be_null=True),
        )
        return table_.to_pandas()
    except DataError:
        raise
    except Exception as exc:  # pyarrow/pandas parse errors: name the file
        raise DataError(f"{path}: cannot read as a {table} table: {type(exc).__name__}: {exc}") from exc


def _as_text(col: pd.Series) -> pd.Series:
    """Ids and labels as strings; integers print without '.0'; missing stays missing."""
    if not isinstance(col.dtype, pd.StringDtype):
        if pd.api.types.is_float_dtype(col):
            whole = col.dropna()
            if len(whole) and (whole == np.floor(whole)).all():
                col = col.astype("Int64")
        missing = col.isna()
        col = col.astype("str")
        if missing.any():
            col = col.mask(missing)
    return col.str.strip()


def _isin(values: pd.Series, known: pd.Series) -> np.ndarray:
    """``values.isin(known)`` for string columns, through pyarrow (pandas' isin goes via Python objects)."""
    hit = pc.is_in(pyarrow.array(values, type=pyarrow.large_string()),
                   value_set=pyarrow.array(known, type=pyarrow.large_string()))
    return hit.to_numpy(zero_copy_only=False).astype(bool)


def _parse_timestamp(raw: pd.Series, time_unit: str) -> pd.Series:
    """Epoch numbers (in ``time_unit``) and ISO 8601 strings to UTC timestamps; NaT where neither."""
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        return raw.dt.tz_convert("UTC").astype(TIMESTAMP_DTYPE)
    if pd.api.types.is_datetime64_dtype(raw):
        return raw.dt.tz_localize("UTC").astype(TIMESTAMP_DTYPE)
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        values = raw.astype("float64").where(np.isfinite(raw.astype("float64")))
        return pd.to_datetime(values, unit=time_unit, utc=True, errors="coerce").astype(TIMESTAMP_DTYPE)
    out = pd.Series(pd.NaT, index=raw.index, dtype=TIMESTAMP_DTYPE)
    numeric = pd.to_numeric(raw, errors="coerce")
    is_num = numeric.notna() & np.isfinite(numeric.astype("float64"))
    if is_num.any():
        out[is_num] = pd.to_datetime(numeric[is_num].astype("float64"), unit=time_unit, utc=True, errors="coerce")
    rest = ~is_num & raw.notna()
    if rest.any():
        text = raw[rest].astype("str").str.strip()
        out[rest] = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
        still = out[rest].isna()
        if still.any():  # e.g. "2024-01-05 10:00:00 +0100" or other unambiguous forms pandas can read
            idx = still[still].index
            out[idx] = pd.to_datetime(text[idx], format="mixed", utc=True, errors="coerce")
    return out


def _normalise(df: pd.DataFrame, table: str, time_unit: str) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """Return (parsed table, the parsed columns as read, for messages)."""
    raw: dict[str, pd.Series] = {}
    out = df.copy(deep=False)  # copy-on-write: columns are copied only when replaced
    for col in ID_COLUMNS[table] + TEXT_COLUMNS[table]:
        if col in out:
            out[col] = _as_text(out[col])
            if col in ID_COLUMNS[table] or col == "event_type":
                raw[col] = out[col]
    if "timestamp" in out:
        raw["timestamp"] = out["timestamp"]
        out["timestamp"] = _parse_timestamp(out["timestamp"], time_unit)
    if table == "interactions":
        if "weight" in out:
            raw["weight"] = out["weight"]
            # a missing weight means an ordinary interaction of weight 1; unreadable text is rejected
            col = out["weight"]
            missing = col.isna()
            if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
                w = col.astype("float64")
            else:
                w = pd.to_numeric(col, errors="coerce").astype("float64")
                missing |= col.astype("str").str.strip() == ""
            out["weight"] = w.mask(missing, 1.0)
        else:
            out["weight"] = 1.0
    return out, raw


def _reject_reason(column: str, check: str, value: Any) -> str:
    if check == "not_nullable":
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            return f"{column} is missing"
        return f"{_EXPECTED.get(column, 'expected a value')}, found {str(value)!r}"
    return check


def _validate(df: pd.DataFrame, raw: dict[str, pd.Series], table: str) -> pd.DataFrame:
    """Run the table's pandera schema lazily; return one (index, column, value, reason) per failed row."""
    try:
        SCHEMAS[table].validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        dtype_fail = fc[fc["index"].isna()]
        if len(dtype_fail):  # a whole column of the wrong type: not a row problem
            first = dtype_fail.iloc[0]
            raise SchemaError(
                f"{table}: column {first['column']!r} fails {first['check']!r} (found {first['failure_case']!r})",
                table=table, column=str(first["column"]),
            ) from None
        fc = fc.dropna(subset=["index"]).copy()
        fc["index"] = fc["index"].astype("int64")
        fc = fc.drop_duplicates("index", keep="first")
        values = [raw[c].at[i] if c in raw else df.at[i, c] for i, c in zip(fc["index"], fc["column"])]
        reasons = [_reject_reason(c, k, v) for c, k, v in zip(fc["column"], fc["check"], values)]
        return pd.DataFrame({"index": fc["index"].to_numpy(), "column": fc["column"].astype("str").to_numpy(),
                             "value": [None if v is pd.NA else (None if v is None else str(v)) for v in values],
                             "reason": reasons})
    return pd.DataFrame({"index": pd.Series(dtype="int64"), "column": [], "value": [], "reason": []})


def _check_columns(df: pd.DataFrame, table: str, source: str) -> None:
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


def _empty(table: str) -> pd.DataFrame:
    cols = {c: pd.Series(dtype="str") for c in REQUIRED[table]}
    if "timestamp" in cols:
        cols["timestamp"] = pd.Series(dtype=TIMESTAMP_DTYPE)
    if table == "interactions":
        cols["weight"] = pd.Series(dtype="float64")
    return pd.DataFrame(cols)


def _resolve_inputs(data) -> tuple[dict[str, tuple[pd.DataFrame | None, str]], str]:
    """Map each table to (raw frame or None, source label)."""
    if isinstance(data, (str, os.PathLike)):
        folder = Path(data)
        if not folder.exists():
            raise DataError(f"{folder}: no such folder")
        if not folder.is_dir():
            raise DataError(f"{folder}: expected a folder holding customers, interactions and events files")
        out = {}
        for table in TABLES:
            path = _find_file(folder, table)
            out[table] = (read_table(path, table), str(path)) if path else (None, "absent")
        if all(frame is None for frame, _ in out.values()):
            raise DataError(f"{folder}: found no customers, interactions or events file "
                            f"(expected names like interactions.csv, {', '.join(SUFFIXES)})")
        return out, str(folder)
    if isinstance(data, Mapping):
        unknown = sorted(set(data) - set(TABLES))
        if unknown:
            raise DataError(f"unknown table names {unknown}; expected some of {list(TABLES)}")
        out = {}
        for table in TABLES:
            item = data.get(table)
            if item is None:
                out[table] = (None, "absent")
            elif isinstance(item, pd.DataFrame):
                out[table] = (item, "<DataFrame>")
            elif isinstance(item, (str, os.PathLike)):
                out[table] = (read_table(item, table), str(item))
            else:
                raise DataError(f"{table}: expected a DataFrame or a file path, got {type(item).__name__}")
        if all(frame is None for frame, _ in out.values()):
            raise DataError("no tables given; expected at least one of customers, interactions, events")
        return out, "<DataFrame>" if all(s in ("<DataFrame>", "absent") for _, s in out.values()) else "<files>"
    raise DataError(f"read_data expects a folder path or a mapping of table name to DataFrame/path, "
                    f"got {type(data).__name__}")


def read_data(data, *, errors: str = "report", time_unit: str = "s",
              columns: Mapping[str, Mapping[str, str]] | None = None) -> CustomerData:
    """Read and validate customer data.

    Parameters
    ----------
    data : path or mapping
        A folder with ``customers``, ``interactions`` and ``events`` files (any of ``.csv``, ``.csv.gz``,
        ``.tsv``, ``.parquet``; any table may be absent but not all three), or a mapping of those table
        names to DataFrames or file paths.
    errors : {"report", "raise"}
        ``"report"`` keeps the good rows and lists the rest in ``data.report.rejected``; ``"raise"``
        raises :class:`~netlib.errors.RowError` naming the first bad row when any row is rejected.
    time_unit : {"s", "ms", "us", "ns"}
        Unit of numeric (epoch) timestamps.
    columns : mapping, optional
        Renames applied before validation, per table: ``{"interactions": {"src": "source"}}``.

    Returns
    -------
    CustomerData

    Raises
    ------
    DataError
        A folder or file that cannot be read (the message names it).
    SchemaError
        A required column is missing (the message lists the columns found).
    RowError
        With ``errors="raise"``, when any row is rejected.

    Notes
    -----
    Rows are rejected for: a missing or empty id; a timestamp that is neither epoch seconds nor ISO
    8601; a negative, infinite or non-numeric weight (an empty weight counts as 1); an empty
    event type; a customer id listed twice in the customers table (the later rows); and, when a
    customers table is given, interactions or events naming a customer it does not list. When no
    customers table is given, the customers are the ids seen in interactions and events.

    Examples
    --------
    >>> import pandas as pd, netlib as nl
    >>> shares = pd.DataFrame({"source": ["007", "b"], "target": ["b", "c"],
    ...                        "timestamp": [1700000000, "2023-11-14T22:13:20Z"]})
    >>> data = nl.read_data({"interactions": shares})
    >>> data.customers["customer_id"].tolist()
    ['007', 'b', 'c']
    >>> data.report.rows_rejected
    0
    """
    if errors not in ("report", "raise"):
        raise DataError(f"errors must be 'report' or 'raise', got {errors!r}")
    if time_unit not in ("s", "ms", "us", "ns"):
        raise DataError(f"time_unit must be one of 's', 'ms', 'us', 'ns', got {time_unit!r}")
    inputs, label = _resolve_inputs(data)
    columns = columns or {}
    frames: dict[str, pd.DataFrame] = {}
    stats: dict[str, dict[str, Any]] = {}
    rejected: list[pd.DataFrame] = []
    notes: list[str] = []

    def reject(table: str, source: str, frame: pd.DataFrame, bad: pd.DataFrame) -> pd.DataFrame:
        if len(bad):
            rejected.append(pd.DataFrame({
                "table": table, "source": source,
                "row": bad["index"].to_numpy(dtype="int64") + 1,
                "column": bad["column"].to_numpy(), "value": bad["value"].to_numpy(),
                "reason": bad["reason"].to_numpy(),
            }))
            frame = frame.drop(index=bad["index"].to_numpy())
        return frame

    for table in TABLES:
        raw_frame, source = inputs[table]
        if raw_frame is None:
            continue
        frame = raw_frame.rename(columns=dict(columns.get(table, {}))).reset_index(drop=True)
        frame.columns = [str(c).strip() for c in frame.columns]
        _check_columns(frame, table, source)
        parsed, raw = _normalise(frame, table, time_unit)
        kept = reject(table, source, parsed, _validate(parsed, raw, table))
        if table == "customers":
            dup = kept["customer_id"].duplicated(keep="first")
            if dup.any():
                idx = kept.index[dup.to_numpy()]
                kept = reject(table, source, kept, pd.DataFrame({
                    "index": idx, "column": "customer_id", "value": kept.loc[idx, "customer_id"].to_numpy(),
                    "reason": "customer_id listed more than once (first row kept)"}))
        frames[table] = kept
        stats[table] = {"source": source, "rows_in": len(frame)}

    if "customers" in frames:
        known = frames["customers"]["customer_id"]
        for table in ("interactions", "events"):
            if table not in frames:
                continue
            kept = frames[table]
            for col in ID_COLUMNS[table]:
                unknown = pd.Series(~_isin(kept[col], known), index=kept.index)
                if unknown.any():
                    idx = kept.index[unknown.to_numpy()]
                    kept = reject(table, stats[table]["source"], kept, pd.DataFrame({
                        "index": idx, "column": col, "value": kept.loc[idx, col].to_numpy(),
                        "reason": f"{col} is not in the customers table"}))
            frames[table] = kept
    else:
        seen = [frames[t][c] for t in ("interactions", "events") if t in frames for c in ID_COLUMNS[t]]
        ids = pd.unique(pd.concat(seen, ignore_index=True)) if seen else []
        frames["customers"] = pd.DataFrame({"customer_id": pd.Series(ids, dtype="str")})
        stats["customers"] = {"source": "derived", "rows_in": 0}
        notes.append(f"no customers table: {len(ids):,} customers derived from the ids in the other tables")

    for table in TABLES:
        if table not in frames:
            frames[table] = _empty(table)
            stats[table] = {"source": "absent", "rows_in": 0}

    rejected_df = pd.concat(rejected, ignore_index=True) if rejected else _empty_rejected()
    rows = []
    for table in TABLES:
        n_rej = int((rejected_df["table"] == table).sum())
        kept = len(frames[table]) if stats[table]["source"] != "derived" else 0
        rows.append({"table": table, "source": stats[table]["source"], "rows_in": stats[table]["rows_in"],
                     "rows_kept": kept, "rows_rejected": n_rej})
    tables = pd.DataFrame(rows).set_index("table")
    report = LoadReport(tables=tables, rejected=rejected_df.sort_values(["table", "row"], kind="stable")
                        .reset_index(drop=True), notes=notes)
    bad = tables["rows_in"] != tables["rows_kept"] + tables["rows_rejected"]
    if bad.any():  # pragma: no cover - a bug in this module, never the user's data
        raise AssertionError(f"row accounting broken for {list(tables.index[bad])}: {tables}")

    if errors == "raise" and len(rejected_df):
        first = report.rejected.iloc[0]
        more = len(rejected_df) - 1
        raise RowError(
            f"{first['table']} ({first['source']}): row {first['row']}, column {first['column']!r}: "
            f"{first['reason']}" + (f" (and {more:,} more rejected rows)" if more else ""),
            rejected=report.rejected,
        )
    for table in TABLES:
        frames[table] = frames[table].reset_index(drop=True)
    return CustomerData(frames["customers"], frames["interactions"], frames["events"], report, None, label)


# --------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------


@contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", **kwargs):
    """Open a temporary file beside ``path`` and move it into place only when the block succeeds.

    A failure part-way leaves any earlier ``path`` untouched and no partial file behind.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _serialisable(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ").str.replace(".000000Z", "Z", regex=False)
    return out


def write_data(data: CustomerData, folder: str | os.PathLike, *, format: str = "csv") -> list[Path]:
    """Write the three tables to ``folder`` as ``csv``, ``csv.gz`` or ``parquet``, each atomically.

    Timestamps are written as ISO 8601 UTC strings in csv, so :func:`read_data` reads back the same data.
    """
    if format not in ("csv", "csv.gz", "parquet"):
        raise DataError(f"format must be 'csv', 'csv.gz' or 'parquet', got {format!r}")
    folder = Path(folder)
    written = []
    for table in TABLES:
        df = getattr(data, table)
        path = folder / f"{table}.{format}"
        if format == "parquet":
            with atomic_write(path, "wb") as handle:
                df.to_parquet(handle, engine="pyarrow", index=False)
        elif format == "csv.gz":
            with atomic_write(path, "wb") as handle:
                _serialisable(df).to_csv(handle, index=False, compression={"method": "gzip", "mtime": 0})
        else:
            with atomic_write(path, "w", newline="", encoding="utf-8") as handle:
                _serialisable(df).to_csv(handle, index=False)
        written.append(path)
    return written
