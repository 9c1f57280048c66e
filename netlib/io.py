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
reason, so ``rows in = rows kept + rows rejected`` always holds, and every decision taken about an input
(encoding, delimiter, date order, epoch unit, merged ids, files not read) is listed in
``data.report.decisions``. Ids become strings (``"007"`` keeps its zeros; ``1``, ``1.0`` and ``"1.0"`` are
all customer ``"1"``); timestamps become ``datetime64[ns, UTC]``. Files are read by
:mod:`netlib._csvread`, timestamps by :mod:`netlib._timeparse`; the row-level rules are stated as pandera
schemas (:data:`SCHEMAS`, built on first use) and applied column by column on arrays by
:func:`netlib._schemas.failures`, which gives pandera's answer without pandera's per-check overhead.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netlib._csvread import ALIASES, ROW_COLUMN, SUFFIXES, RawTable, find_tables
from netlib._schemas import failures
from netlib._tables import (ID_COLUMNS, REQUIRED, TABLES, TEXT_COLUMNS, Ids, Options, check_columns,  # noqa: F401
                            empty_table, isin, na_markers, normalise)
from netlib._timeparse import parse_times
from netlib.errors import DataError, RowError

__all__ = [
    "TABLES",
    "REQUIRED",
    "SCHEMAS",
    "ALIASES",
    "CustomerData",
    "LoadReport",
    "read_data",
    "read_table",
    "write_data",
    "atomic_write",
]

def __getattr__(name: str):
    if name == "SCHEMAS":  # built on first use: pandera is not imported by `import netlib`
        from netlib._schemas import schemas

        return schemas()
    raise AttributeError(f"module 'netlib.io' has no attribute {name!r}")


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
        Rows whose field count differs from the header's are listed whole, with column ``"(row)"`` and
        the line as found.
    notes : list of str
        Things done that change no row but a user should know (customers derived from ids, ...).
    decisions : list of str
        Every decision taken about the input, in words: which file was read for which table and which
        files were not read, each file's encoding, delimiter and decimal mark, how each timestamp
        column was read (epoch unit, day/month order, format) and which ids were merged.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> shares = pd.DataFrame({"source": ["a", "b", None], "target": ["b", "c", "a"],
    ...                        "timestamp": ["2024-01-01", "2024-01-02", "2024-01-03"]})
    >>> report = nl.read_data({"interactions": shares}).report
    >>> report.tables.loc["interactions", ["rows_in", "rows_kept", "rows_rejected"]].tolist()
    [3, 2, 1]
    >>> report.rejected[["row", "column"]].values.tolist()
    [[3, 'source']]
    """

    tables: pd.DataFrame
    rejected: pd.DataFrame = field(default_factory=_empty_rejected)
    notes: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)

    def __setstate__(self, state: dict) -> None:  # reports pickled before `decisions` existed
        state.setdefault("decisions", [])
        self.__dict__.update(state)

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
        if self.decisions:
            lines.append("  decisions about the input:")
            lines += [f"    {d}" for d in self.decisions]
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
        if self.decisions:
            parts.append("<p>decisions about the input:</p><ul>"
                         + "".join(f"<li>{html.escape(d)}</li>" for d in self.decisions) + "</ul>")
        parts += [f"<p>note: {html.escape(n)}</p>" for n in self.notes]
        return "\n".join(parts)


@dataclass(frozen=True)
class CustomerData:
    """The three validated tables, the load report and (for synthetic data) the ground truth.

    Build it with :func:`read_data`; ``dataclasses.replace(data, truth=...)`` makes a copy with other parts.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> shares = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "timestamp": ["2024-01-01", "2024-01-02"]})
    >>> data = nl.read_data({"interactions": shares})  # customers derived from the ids
    >>> data
    CustomerData(3 customers, 2 interactions, 0 events; source=<DataFrame>)
    >>> sorted(data.customers["customer_id"])
    ['a', 'b', 'c']
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


def read_table(path: str | os.PathLike, table: str, **options) -> pd.DataFrame:
    """Read one table file as found (ids and text columns as strings), before validation.

    ``options`` are :func:`read_data`'s ``encoding``, ``delimiter``, ``decimal`` and ``na_values``. Rows whose
    field count differs from the header's are left out and listed in ``frame.attrs["rejected"]``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import netlib as nl
    >>> path = Path(tempfile.mkdtemp()) / "referrals.csv"
    >>> _ = path.write_text("source;target;timestamp\\nann;bo;1700000000\\n", encoding="utf-8")
    >>> table = nl.io.read_table(path, "interactions")  # the delimiter is found, not assumed
    >>> table.columns.tolist(), table["source"].tolist()
    (['source', 'target', 'timestamp'], ['ann'])
    """
    if table not in REQUIRED:
        raise DataError(f"unknown table {table!r}; expected one of {list(TABLES)}")
    raw = Options(**options).check().read(path, table)
    raw.frame.attrs["rejected"] = raw.rejected
    raw.frame.attrs["decisions"] = raw.decisions
    return raw.frame


def _parse_timestamp(raw: pd.Series, time_unit: str | None = "s") -> pd.Series:
    """Epoch numbers (in ``time_unit``; None detects it) and date strings to UTC timestamps; NaT where neither.

    The rules are :func:`netlib._timeparse.parse_times`'; a column whose day/month order or epoch unit
    cannot be settled raises :class:`~netlib.errors.SchemaError`.
    """
    return parse_times(raw, time_unit=time_unit).values


def _resolve_inputs(data, opts: Options) -> tuple[dict[str, RawTable | None], str, list[str]]:
    """Map each table to its RawTable (or None); also return the source label and the folder's decisions."""
    if isinstance(data, (str, os.PathLike)):
        folder = Path(data)
        if not folder.exists():
            raise DataError(f"{folder}: no such folder")
        if not folder.is_dir():
            raise DataError(f"{folder}: expected a folder holding customers, interactions and events files")
        paths, decisions, not_read = find_tables(folder)
        if not paths:
            raise DataError(f"{folder}: found no customers, interactions or events file (expected names like "
                            f"interactions.csv, {', '.join(SUFFIXES)}; found: {not_read})")
        return {t: opts.read(paths[t], t) if t in paths else None for t in TABLES}, str(folder), decisions
    if isinstance(data, Mapping):
        unknown = sorted(set(data) - set(TABLES))
        if unknown:
            raise DataError(f"unknown table names {unknown}; expected some of {list(TABLES)}")
        out: dict[str, RawTable | None] = {}
        for table in TABLES:
            item = data.get(table)
            if item is None:
                out[table] = None
            elif isinstance(item, pd.DataFrame):
                out[table] = RawTable(item, "<DataFrame>", from_file=False)
            elif isinstance(item, (str, os.PathLike)):
                out[table] = opts.read(item, table)
            else:
                raise DataError(f"{table}: expected a DataFrame or a file path, got {type(item).__name__}")
        if all(raw is None for raw in out.values()):
            raise DataError("no tables given; expected at least one of customers, interactions, events")
        frames_only = all(raw is None or not raw.from_file for raw in out.values())
        return out, "<DataFrame>" if frames_only else "<files>", []
    raise DataError(f"read_data expects a folder path or a mapping of table name to DataFrame/path, "
                    f"got {type(data).__name__}")


def read_data(data, *, errors: str = "report", time_unit: str | None = None, dayfirst: bool | None = None,
              date_format: str | None = None, encoding: str | None = None, delimiter: str | None = None,
              decimal: str | None = None, na_values=None,
              columns: Mapping[str, Mapping[str, str]] | None = None) -> CustomerData:
    """Read and validate customer data, saying what was decided and what was rejected.

    Parameters
    ----------
    data : path or mapping
        A folder with ``customers``, ``interactions`` and ``events`` files (``.csv``, ``.csv.gz``, ``.tsv``,
        ``.tsv.gz``, ``.txt`` or ``.parquet``; names matched without case, with the aliases in
        :data:`ALIASES` such as ``referrals.csv``; any table may be absent but not all three), or a mapping
        of those table names to DataFrames or file paths.
    errors : {"report", "raise"}
        ``"report"`` keeps the good rows and lists the rest in ``data.report.rejected``; ``"raise"``
        raises :class:`~netlib.errors.RowError` naming the first bad row when any row is rejected.
    time_unit : {None, "s", "ms", "us", "ns", "excel"}
        Unit of numeric timestamps. None tells them apart by magnitude: Excel serial days when every
        number lies in 18264-73051 (1950-2100), else epoch seconds below 1e10, milliseconds in
        1e11-1e13, microseconds in 1e14-1e16 and nanoseconds from 1e17 (judged on the column's median);
        numbers in the gaps are refused with a message asking for ``time_unit``.
    dayfirst : bool, optional
        Order of numeric dates such as ``05/03/2024``. None decides it once per column from the values that
        settle it (``13/03/2024``); a column no value settles, or one with both orders, is refused.
    date_format : str, optional
        A strftime format (``"%d.%m.%Y %H:%M"``) for every text timestamp in the file.
    encoding : str, optional
        Text encoding of csv files. None reads UTF-8 (with or without a byte-order mark), UTF-16 with a
        byte-order mark, and otherwise cp1252 (latin-1 when cp1252 cannot decode the file).
    delimiter : str, optional
        Field separator of csv files. None picks comma, semicolon, tab or pipe from the header line.
    decimal : {None, ".", ","}
        Decimal mark of numbers in csv files. None detects decimal commas (``2,5``) in files whose
        delimiter is not a comma.
    na_values : str or list of str, optional
        Cell texts to read as missing. Only empty cells are missing otherwise: ``NA``, ``null``, ``N/A``,
        ``#N/A`` and ``nan`` are text (a region called NA, a customer called null).
    columns : mapping, optional
        Renames applied before validation, per table: ``{"interactions": {"src": "source"}}``.

    Returns
    -------
    CustomerData

    Raises
    ------
    DataError
        A folder, file or option that cannot be used (the message names it).
    SchemaError
        A required column is missing (the message lists the columns found), or a timestamp column whose
        epoch unit or day/month order the data does not settle (the message says which option settles it).
    RowError
        With ``errors="raise"``, when any row is rejected.

    Notes
    -----
    Rows are rejected for: a field count that differs from the header's; a missing or empty id; a
    timestamp that cannot be read or lies outside 1677-2262; a negative, infinite, NaN or non-numeric
    weight (an empty weight counts as 1); an empty event type; a customer id listed twice in the customers
    table (the later rows); and, when a customers table is given, interactions or events naming a customer
    it does not list. When no customers table is given, the customers are the ids seen in interactions and
    events. Ids that are whole numbers written with zero decimals (``1.0``) are read without them, whatever
    the source; the ids this merges are listed in the decisions.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> shares = pd.DataFrame({"source": ["007", "b"], "target": ["b", "c"],
    ...                        "timestamp": [1700000000, "2023-11-14T22:13:20Z"]})
    >>> data = nl.read_data({"interactions": shares})
    >>> data.customers["customer_id"].tolist()
    ['007', 'b', 'c']
    >>> data.report.rows_rejected
    0
    >>> data.report.decisions
    ['interactions.timestamp: numbers read as epoch seconds (the numbers are around 1.7e+09; time_unit= overrides)']
    """
    if errors not in ("report", "raise"):
        raise DataError(f"errors must be 'report' or 'raise', got {errors!r}")
    opts = Options(time_unit, dayfirst, date_format, encoding, delimiter, decimal, na_values, columns).check()
    inputs, label, decisions = _resolve_inputs(data, opts)
    frames: dict[str, pd.DataFrame] = {}
    stats: dict[str, dict[str, Any]] = {}
    rejected: list[pd.DataFrame] = []
    notes: list[str] = []
    ids = Ids()

    def reject(table: str, frame: pd.DataFrame, bad: pd.DataFrame) -> pd.DataFrame:
        if len(bad):
            index = bad["index"].to_numpy(dtype="int64")
            rows = stats[table]["rows"]
            rejected.append(pd.DataFrame({
                "table": table, "source": stats[table]["source"],
                "row": rows[index] if rows is not None else index + 1,
                "column": bad["column"].to_numpy(), "value": bad["value"].to_numpy(),
                "reason": bad["reason"].to_numpy(),
            }))
            frame = frame.drop(index=index)
        return frame

    for table in TABLES:
        raw_table = inputs[table]
        if raw_table is None:
            continue
        source = raw_table.source
        stats[table] = {"source": source, "rows_in": raw_table.rows_in, "rows": raw_table.rows}
        decisions += raw_table.decisions
        if raw_table.rejected:
            rejected.append(pd.DataFrame({
                "table": table, "source": source, "row": [r for r, _, _ in raw_table.rejected],
                "column": ROW_COLUMN, "value": [v for _, v, _ in raw_table.rejected],
                "reason": [why for _, _, why in raw_table.rejected]}))
        frame = raw_table.frame.rename(columns=dict(opts.columns.get(table, {}))).reset_index(drop=True)
        frame.columns = [str(c).strip() for c in frame.columns]
        check_columns(frame, table, source)
        if opts.na_values and not raw_table.na_done:
            frame = na_markers(frame, opts.na_values)
        parsed, raw, reasons = normalise(frame, table, opts, raw_table, ids, decisions)
        kept = reject(table, parsed, failures(parsed, raw, reasons, table))
        if table == "customers":
            dup = kept["customer_id"].duplicated(keep="first")
            if dup.any():
                idx = kept.index[dup.to_numpy()]
                kept = reject(table, kept, pd.DataFrame({
                    "index": idx, "column": "customer_id", "value": kept.loc[idx, "customer_id"].to_numpy(),
                    "reason": "customer_id listed more than once (first row kept)"}))
        frames[table] = kept

    if "customers" in frames:
        checked = [(t, c) for t in ("interactions", "events") if t in frames for c in ID_COLUMNS[t]]
        known = frames["customers"]["customer_id"]
        with ThreadPoolExecutor(max_workers=2) as pool:  # pyarrow's lookups release the GIL
            found = dict(zip(checked, pool.map(lambda tc: isin(frames[tc[0]][tc[1]], known), checked)))
        for table in ("interactions", "events"):
            if table not in frames:
                continue
            kept = frames[table]
            alive = np.ones(len(kept), dtype=bool)  # by position in frames[table], where `found` was looked up
            for col in ID_COLUMNS[table]:
                unknown = alive & ~found[table, col]  # a row already rejected is listed once
                if unknown.any():
                    alive &= ~unknown
                    idx = frames[table].index[unknown]
                    kept = reject(table, kept, pd.DataFrame({
                        "index": idx, "column": col, "value": kept.loc[idx, col].to_numpy(),
                        "reason": f"{col} is not in the customers table"}))
            frames[table] = kept
    else:
        seen = [frames[t][c] for t in ("interactions", "events") if t in frames for c in ID_COLUMNS[t]]
        found = pd.unique(pd.concat(seen, ignore_index=True)) if seen else []
        frames["customers"] = pd.DataFrame({"customer_id": pd.Series(found, dtype="str")})
        stats["customers"] = {"source": "derived", "rows_in": 0}
        notes.append(f"no customers table: {len(found):,} customers derived from the ids in the other tables")
    decisions += ids.decisions()

    for table in TABLES:
        if table not in frames:
            frames[table] = empty_table(table)
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
                        .reset_index(drop=True), notes=notes, decisions=decisions)
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

    A failure part-way leaves any earlier ``path`` untouched and no partial file behind. The file gets the
    permissions a plain ``open`` would give it (``0o666`` less the umask), not the temporary file's ``0o600``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import netlib as nl
    >>> path = Path(tempfile.mkdtemp()) / "note.txt"
    >>> with nl.io.atomic_write(path, "w", encoding="utf-8") as handle:
    ...     _ = handle.write("written whole or not at all")
    >>> path.read_text(encoding="utf-8")
    'written whole or not at all'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
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

    Returns
    -------
    list of Path
        The files written: customers, interactions, events.

    Raises
    ------
    DataError
        ``format`` is not one of the three.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> import netlib as nl
    >>> shares = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "timestamp": ["2024-01-01", "2024-01-02"]})
    >>> data = nl.read_data({"interactions": shares})
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in nl.write_data(data, folder)]
    ['customers.csv', 'interactions.csv', 'events.csv']
    >>> nl.read_data(folder)  # doctest: +ELLIPSIS
    CustomerData(3 customers, 2 interactions, 0 events; source=...)
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
