"""Reading and validating the three tables on Spark, with the rules of :func:`netlib.read_data`.

The row rules are not written twice: each Spark partition is validated by :func:`netlib.read_data`
itself (in the Python workers, through ``mapInPandas``), so a row is kept or rejected, and worded, as on
one machine. What read_data decides once per column from the whole column (the epoch unit of numeric
timestamps, the day/month order of dates such as ``05/03/2024``) is decided here first, on the cluster,
by the same rules, and handed to every partition; what spans rows of different partitions (a customer id
listed twice, ids missing from the customers table) runs as Spark joins and windows.
"""

from __future__ import annotations

import csv
import gzip
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from netlib.errors import DataError, RowError, SchemaError
from netlib.io import REQUIRED, TABLES
from netlib.spark._session import active, arrow_safe

__all__ = ["SparkData", "read_tables"]

#: Columns that hold customer ids, and optional columns read as text (as netlib.read_data does).
_IDS = {"customers": ("customer_id",), "interactions": ("source", "target"), "events": ("customer_id",)}
_TEXT = {"customers": (), "interactions": ("kind", "channel", "item_id"),
         "events": ("event_type", "item_id", "project_id", "channel", "target")}
_PARQUET = (".parquet", ".pq")
_CSV = (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".txt.gz")
_CORRUPT = "_corrupt_record"
_ROW_COLUMN = "(row)"  # read_data's column name for a row rejected whole
#: read_data's test for a number written as text (then an epoch number, not a date)
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
#: rows handed to one read_data call (Arrow delivers 10,000-row batches; fewer, larger calls are faster)
_CHUNK = 200_000
_REJECTED = T.StructType([
    T.StructField("table", T.StringType()), T.StructField("source", T.StringType()),
    T.StructField("row", T.LongType()), T.StructField("column", T.StringType()),
    T.StructField("value", T.StringType()), T.StructField("reason", T.StringType()),
])


@dataclass(frozen=True)
class SparkData:
    """The three validated tables as Spark DataFrames, and every rejected row with its reason.

    Attributes
    ----------
    customers, interactions, events : pyspark.sql.DataFrame
        As :func:`netlib.read_data` makes them: ids and labels as strings, ``timestamp`` as a Spark
        timestamp (UTC), interactions' ``weight`` as a double (1.0 where it was empty).
    rejected : pyspark.sql.DataFrame
        One row per rejected input row: ``table``, ``source``, ``row`` (1-based data row, in the order
        Spark reads the input), ``column``, ``value`` (as read) and ``reason``, as read_data words them.
    inputs : dict
        Per table: the raw input DataFrame (``None`` when absent) and its source label.
    notes : list of str
        Things done that change no row (customers derived from ids, ...).
    decisions : list of str
        Every decision taken about the input, in read_data's words (file read for each table, delimiter,
        epoch unit and day/month order of each timestamp column).
    """

    customers: DataFrame
    interactions: DataFrame
    events: DataFrame
    rejected: DataFrame
    inputs: dict = field(repr=False)
    notes: list[str] = field(default_factory=list)
    source: str = "<Spark DataFrame>"
    decisions: list[str] = field(default_factory=list)
    checked: dict = field(default_factory=dict, repr=False)  # table -> every row, rejected ones with _reason

    def summary(self) -> pd.DataFrame:
        """Rows in, kept and rejected per table (two Spark jobs per table: the input, the checked rows).

        Raises ``AssertionError`` if rows in != kept + rejected for any table (a bug, never the data).
        """
        rows = []
        for table in TABLES:
            raw, source = self.inputs[table]
            n_in = kept = rejected = 0
            if raw is not None:
                n_in = raw.count()
                counts = (self.checked[table].groupBy(F.col("_reason").isNull().alias("kept"))
                          .agg(F.count("*").alias("n")).collect())
                by = {r["kept"]: r["n"] for r in counts}
                kept, rejected = by.get(True, 0), by.get(False, 0)
            rows.append({"table": table, "source": source, "rows_in": n_in, "rows_kept": kept,
                         "rows_rejected": rejected})
        out = pd.DataFrame(rows).set_index("table")
        bad = out["rows_in"] != out["rows_kept"] + out["rows_rejected"]
        if bad.any():  # pragma: no cover - a bug in this module
            raise AssertionError(f"row accounting broken for {list(out.index[bad])}: {out}")
        return out

    def reasons(self) -> pd.DataFrame:
        """Rejected rows counted by table, column and reason (largest first within a table)."""
        counts = (self.rejected.groupBy("table", "column", "reason").agg(F.count("*").alias("rows"))
                  .toPandas())
        if counts.empty:
            return pd.DataFrame(columns=["table", "column", "reason", "rows"])
        return (counts.sort_values(["table", "rows", "column", "reason"], ascending=[True, False, True, True],
                                   kind="stable").reset_index(drop=True))


# --------------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------------

def _csv_options(path: Path, delimiter: str | None, encoding: str | None) -> tuple[str, str, str | None, str]:
    """(delimiter, encoding, decimal mark or None, decision) for a csv file, from its first 64 kB as read_data does."""
    from netlib._csvread import _decimal_comma, _sniff

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            sample = fh.read(1 << 16)
    except (OSError, EOFError) as exc:
        raise DataError(f"{path}: cannot read: {exc}") from exc
    encoding = encoding or ("utf-8" if not sample.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-16")
    text = sample.decode(encoding, errors="replace").lstrip("\ufeff")
    if len(sample) == 1 << 16 and "\n" in text:
        text = text[: text.rindex("\n") + 1]
    default = "\t" if ".tsv" in path.name.lower() else ","
    how = "given"
    if delimiter is None:
        delimiter, how = _sniff(text, default)
    decimal = "," if _decimal_comma(text, delimiter) else None
    name = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(delimiter, repr(delimiter))
    decision = (f"{path.name}: read by Spark's csv reader, encoding {encoding}, delimiter {name} ({how})"
                + (", decimal comma (detected)" if decimal else ""))
    return delimiter, encoding, decimal, decision


def _read_path(spark: SparkSession, path: Path, table: str, delimiter: str | None, encoding: str | None,
               csv_read: dict, decisions: list[str]) -> DataFrame:
    name = path.name.lower()
    if name.endswith(_PARQUET) or (path.is_dir() and any(path.glob("*.parquet"))):
        try:
            df = spark.read.parquet(str(path))
            df.schema  # noqa: B018 - resolve the schema here, so a bad file fails with its name
            return df
        except Exception as exc:  # Spark's AnalysisException: name the file and, for nanoseconds, the fix
            hint = (" Spark reads parquet timestamps in micro- or milliseconds, not nanoseconds: write them with "
                    "df.to_parquet(path, coerce_timestamps='us', allow_truncated_timestamps=True)"
                    if "NANOS" in str(exc) else "")
            raise DataError(f"{path}: cannot read as a {table} table: {str(exc).splitlines()[0]}.{hint}") from None
    if name.endswith(_CSV):
        # every column as text, as written: ids keep their zeros and timestamps/weights are parsed (and
        # rejected row by row) by read_data's rules, never guessed by schema inference; a row whose field
        # count differs from the header's lands in _corrupt_record and is rejected whole
        sep, enc, dec, decision = _csv_options(path, delimiter, encoding)
        decisions.append(decision)
        csv_read[table] = (sep, dec)
        with (gzip.open if name.endswith(".gz") else open)(path, "rt", encoding=enc, newline="") as fh:
            header = [h.strip() for h in next(csv.reader(fh, delimiter=sep), [])]
        if not header:
            raise DataError(f"{path}: the file is empty; expected a header line naming the {table} columns")
        schema = T.StructType([T.StructField(h, T.StringType()) for h in header]
                              + [T.StructField(_CORRUPT, T.StringType())])
        return spark.read.csv(str(path), header=True, schema=schema, sep=sep, encoding=enc, multiLine=True,
                              mode="PERMISSIVE", columnNameOfCorruptRecord=_CORRUPT, enforceSchema=True,
                              nullValue="", emptyValue="", ignoreLeadingWhiteSpace=False,
                              ignoreTrailingWhiteSpace=False)
    raise DataError(f"{path}: unknown format for the {table} table; expected one of {list(_PARQUET + _CSV)}")


def _inputs(spark: SparkSession, data, delimiter, encoding, csv_read, decisions):
    if isinstance(data, (str, os.PathLike)):
        from netlib._csvread import find_tables

        folder = Path(data)
        if not folder.is_dir():
            raise DataError(f"{folder}: no such folder" if not folder.exists() else
                            f"{folder}: expected a folder holding customers, interactions and events files")
        paths, found_decisions, _ = find_tables(folder)
        for table in TABLES:  # Spark writes a table as a folder of parquet parts
            part = folder / table
            if table not in paths and part.is_dir() and any(part.glob("*.parquet")):
                paths[table] = part
        decisions += [d for d in found_decisions if not d.startswith("files not read")]
        if not paths:
            raise DataError(f"{folder}: found no customers, interactions or events file "
                            f"(expected names like interactions.parquet, {', '.join(_PARQUET + _CSV)})")
        out = {t: ((_read_path(spark, paths[t], t, delimiter, encoding, csv_read, decisions), str(paths[t]))
                   if t in paths else (None, "absent")) for t in TABLES}
        return out, str(folder)
    if not isinstance(data, Mapping):
        raise DataError("read_tables expects a folder path or a mapping of table name to Spark DataFrame, "
                        f"pandas DataFrame or path; got {type(data).__name__}")
    unknown = sorted(set(data) - set(TABLES))
    if unknown:
        raise DataError(f"unknown table names {unknown}; expected some of {list(TABLES)}")
    out = {}
    for table in TABLES:
        item = data.get(table)
        if item is None:
            out[table] = (None, "absent")
        elif isinstance(item, DataFrame):
            out[table] = (item, "<Spark DataFrame>")
        elif isinstance(item, pd.DataFrame):
            out[table] = (spark.createDataFrame(_one_type_per_column(item)), "<DataFrame>")
        elif isinstance(item, (str, os.PathLike)):
            out[table] = (_read_path(spark, Path(item), table, delimiter, encoding, csv_read, decisions), str(item))
        else:
            raise DataError(f"{table}: expected a Spark DataFrame, a pandas DataFrame or a path; "
                            f"got {type(item).__name__}")
    if all(frame is None for frame, _ in out.values()):
        raise DataError("no tables given; expected at least one of customers, interactions, events")
    return out, "<Spark DataFrame>"


def _one_type_per_column(frame: pd.DataFrame) -> pd.DataFrame:
    """A pandas table Spark can hold: a column mixing Python types (ids ``"a"`` and ``2.0``) becomes text.

    read_data reads such a column as text too (``2.0`` becomes ``"2.0"``, then customer ``"2"``).
    """
    out = arrow_safe(frame)
    for col in out.columns:
        if out[col].dtype == object:
            present = out[col].dropna()
            if present.map(type).nunique() > 1:
                out[col] = out[col].map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v))
                                        else str(v)).astype(object)
    return out


def _row_numbers(checked: DataFrame) -> DataFrame:
    """``_mid`` → ``_row``: 1-based position in the order Spark read the rows (partition by partition).

    ``monotonically_increasing_id`` (``_mid``) puts the partition number in the upper 31 bits and the
    position within the partition in the lower 33. Each partition's row count, summed over the earlier
    partitions, turns that into consecutive numbers: lazily, and only for the rows that need a number
    (the rejected ones), without moving the rows.
    """
    part = F.shiftright("_mid", 33)
    counts = checked.groupBy(part.alias("_part")).agg(F.count("*").alias("_n"))
    offsets = counts.select("_part", F.coalesce(F.sum("_n").over(
        Window.orderBy("_part").rowsBetween(Window.unboundedPreceding, -1)), F.lit(0)).alias("_offset"))
    within = F.col("_mid") - F.shiftleft(F.shiftright("_mid", 33), 33)
    return offsets, part, within


# --------------------------------------------------------------------------------------------------
# Decisions read_data takes once per timestamp column, taken on the whole column
# --------------------------------------------------------------------------------------------------

def _time_decisions(df: DataFrame, table: str, source: str, time_unit: str | None, dayfirst: bool | None,
                    date_format: str | None) -> tuple[str | None, bool | None, list[str]]:
    """The epoch unit and day/month order read_data would settle for this column (or its SchemaError).

    Numbers: their min, max and median magnitude go to read_data's own unit rule (``detect_unit``).
    Dates such as ``05/03/2024``: the first value (in row order) that shows day first, the first that
    shows month first and the first with day != month go to read_data's own order rule.
    """
    from netlib._timeparse import _DMY, UNIT_NAMES, _dmy_order, detect_unit

    dtype = df.schema["timestamp"].dataType
    if isinstance(dtype, (T.TimestampType, T.TimestampNTZType, T.DateType)):
        return time_unit, dayfirst, []
    where = {"table": table, "column": "timestamp", "source": source}
    label = f"{table}.timestamp" + (f" ({source})" if source not in ("<DataFrame>", "<Spark DataFrame>") else "")
    decisions: list[str] = []
    rows = df.where(F.col(_CORRUPT).isNull()) if _CORRUPT in df.columns else df
    if isinstance(dtype, T.NumericType):
        number, text = F.col("timestamp").cast("double"), None
    else:
        text = F.trim(F.col("timestamp").cast("string"))
        number = F.when(text.rlike(_NUMBER), text.try_cast("double"))
    finite = F.when(~F.isnan(number) & (F.abs(number) < F.lit(float("inf"))), number)
    wanted = []  # one Spark job gathers everything the two rules read
    if time_unit is None:
        wanted += [F.count(finite).alias("n"), F.min(finite).alias("lo"), F.max(finite).alias("hi"),
                   F.percentile_approx(F.abs(finite), 0.5, 100_000).alias("mid")]
    dmy = text is not None and date_format is None
    if dmy:
        a_text, b_text = (F.regexp_extract(text, _DMY.pattern, i) for i in (1, 3))
        a, b = a_text.try_cast("int"), b_text.try_cast("int")
        candidate = number.isNull() & (a_text != "")
        kinds = {"day": (a > 12) & (b <= 12), "month": (b > 12) & (a <= 12), "differ": a != b}
        example = F.struct(F.col("_mid"), text.alias("text"), a.alias("a"), b.alias("b"))
        wanted += [F.min_by(example, F.when(candidate & cond, F.col("_mid"))).alias(k) for k, cond in kinds.items()]
    if not wanted:
        return time_unit, dayfirst, decisions
    got = rows.agg(*wanted).collect()[0]
    if time_unit is None and got["n"]:
        # detect_unit reads the min, the max and the median magnitude: give it exactly those
        time_unit, why = detect_unit(np.array([got["lo"], got["hi"]] + [got["mid"]] * 3), where)
        decisions.append(f"{label}: numbers read as {UNIT_NAMES[time_unit]} ({why}; time_unit= overrides)")
    examples = [got[k] for k in ("day", "month", "differ") if dmy and got[k] is not None]
    if not examples:
        return time_unit, dayfirst, decisions
    examples = sorted({(e["_mid"], e["text"], e["a"], e["b"]) for e in examples})
    evidence = pd.DataFrame(examples, columns=["_mid", "text", "a", "b"])
    order, decision = _dmy_order(evidence, dayfirst, where)
    if decision and dayfirst is None:
        decisions.append(decision)
    return time_unit, order, decisions


# --------------------------------------------------------------------------------------------------
# The row rules: read_data on each partition
# --------------------------------------------------------------------------------------------------

def _out_schema(df: DataFrame, table: str) -> T.StructType:
    fields = []
    for f in df.schema.fields:
        if f.name == _CORRUPT:
            continue
        if f.name in _IDS[table] + _TEXT[table]:
            fields.append(T.StructField(f.name, T.StringType()))
        elif f.name == "timestamp":
            fields.append(T.StructField(f.name, T.TimestampType()))
        elif f.name == "weight" and table == "interactions":
            fields.append(T.StructField(f.name, T.DoubleType()))
        else:
            fields.append(f)
    if table == "interactions" and "weight" not in df.columns:
        fields.append(T.StructField("weight", T.DoubleType()))
    return T.StructType(fields + [T.StructField("_column", T.StringType()), T.StructField("_value", T.StringType()),
                                  T.StructField("_reason", T.StringType())])


def _validator(table: str, schema: T.StructType, options: dict[str, Any]):
    """The function each Spark partition runs: read_data's row rules over chunks of the partition's rows."""
    names = [f.name for f in schema.fields]

    def check(frame: pd.DataFrame) -> pd.DataFrame:
        import netlib

        parts = []
        if _CORRUPT in frame.columns:
            ragged = frame[_CORRUPT].notna().to_numpy()
            if ragged.any():
                parts.append(_ragged(frame[ragged], options["n_fields"], options["delimiter"]))
                frame = frame[~ragged]
            frame = frame.drop(columns=[_CORRUPT])
        if len(frame):
            rows = frame["_mid"].to_numpy()
            data = netlib.read_data({table: frame.reset_index(drop=True)}, **options["read_data"])
            kept = getattr(data, table)
            bad = data.report.rejected
            rejected = pd.DataFrame({"_mid": rows[bad["row"].to_numpy(dtype="int64") - 1],
                                     "_column": bad["column"].to_numpy(), "_value": bad["value"].to_numpy(),
                                     "_reason": bad["reason"].to_numpy()})
            parts += [kept, rejected]
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=names)
        for name in names:
            if name not in out.columns:
                out[name] = None
        return arrow_safe(out[names])

    def run(batches):
        buffer, held = [], 0
        for batch in batches:
            buffer.append(batch)
            held += len(batch)
            if held >= _CHUNK:
                yield check(pd.concat(buffer, ignore_index=True))
                buffer, held = [], 0
        if buffer:
            yield check(pd.concat(buffer, ignore_index=True))

    return run


def _ragged(frame: pd.DataFrame, n_fields: int, delimiter: str) -> pd.DataFrame:
    """Rows whose field count differs from the header's, worded as read_data words them."""
    reasons = []
    for line in frame[_CORRUPT]:
        got = len(next(csv.reader([line], delimiter=delimiter), []))
        what = "a line of spaces only" if not line.strip() and line else f"{got} field{'s' * (got != 1)}"
        reasons.append(f"expected {n_fields} fields as in the header, found {what}")
    return pd.DataFrame({"_mid": frame["_mid"].to_numpy(), "_column": _ROW_COLUMN,
                         "_value": frame[_CORRUPT].str.slice(0, 200).to_numpy(), "_reason": reasons})


def _also(df: DataFrame, bad, column: str, reason) -> DataFrame:
    """Reject rows not rejected yet where ``bad`` holds, naming ``column`` and ``reason``."""
    new = F.col("_reason").isNull() & F.coalesce(bad, F.lit(False))
    return (df.withColumn("_column", F.when(new, F.lit(column)).otherwise(F.col("_column")))
            .withColumn("_value", F.when(new, F.col(column)).otherwise(F.col("_value")))
            .withColumn("_reason", F.when(new, reason).otherwise(F.col("_reason"))))


def _parts(df: DataFrame, every_row: DataFrame, table: str, source: str) -> tuple[DataFrame, DataFrame]:
    """Kept rows (helper columns dropped) and the rejected rows in the report's shape.

    ``every_row`` holds every input row once (with ``_mid``), to number the rejected ones.
    """
    offsets, part, within = _row_numbers(every_row)
    rejected = (df.where(F.col("_reason").isNotNull()).withColumn("_part", part)
                .join(F.broadcast(offsets), "_part", "left")
                .select(F.lit(table).alias("table"), F.lit(source).alias("source"),
                        (within + F.col("_offset") + 1).alias("row"), F.col("_column").alias("column"),
                        F.col("_value").alias("value"), F.col("_reason").alias("reason")))
    kept = df.where(F.col("_reason").isNull()).drop("_column", "_reason", "_value", "_mid")
    return kept, rejected


def read_tables(data, *, spark: SparkSession | None = None, errors: str = "report", time_unit: str | None = None,
                dayfirst: bool | None = None, date_format: str | None = None, encoding: str | None = None,
                delimiter: str | None = None, na_values=None,
                columns: Mapping[str, Mapping[str, str]] | None = None) -> SparkData:
    """Read and validate customer data on Spark, with the rules of :func:`netlib.read_data`.

    Parameters
    ----------
    data : path or mapping
        A folder holding ``customers``, ``interactions`` and ``events`` files or parquet folders (file names
        matched as read_data matches them; ``.parquet``, ``.csv``, ``.csv.gz``, ``.tsv``, ``.txt``; any may
        be absent but not all three), or a mapping of those names to Spark DataFrames, pandas DataFrames
        or paths. csv files are read with every column as text, then parsed by read_data's rules.
    spark : SparkSession, optional
        The active session by default.
    errors : {"report", "raise"}
        ``"raise"`` raises :class:`~netlib.errors.RowError` naming the first bad row.
    time_unit, dayfirst, date_format, na_values, columns
        As in :func:`netlib.read_data`: the epoch unit and the day/month order are decided once per
        column from the whole column when not given.
    encoding, delimiter : str, optional
        Of csv files; None detects the delimiter from the header line and reads UTF-8 (or UTF-16 with a
        byte-order mark). Decimal commas are detected as read_data detects them.

    Returns
    -------
    SparkData
        The validated rows are persisted (memory, then disk) on first use, since the kept and the rejected
        tables both read them; ``.summary()`` counts rows in, kept and rejected per table.

    Raises
    ------
    DataError
        A folder or file that cannot be read, an unknown table, a bad option.
    SchemaError
        A required column is missing (the message lists the columns found), or a timestamp column whose
        epoch unit or day/month order the data does not settle.
    RowError
        With ``errors="raise"``, when any row is rejected.

    Notes
    -----
    Every row rule is :func:`netlib.read_data`'s, run by read_data itself on each partition: a field count
    that differs from the header's; a missing or empty id; a timestamp that cannot be read or lies outside
    1677-2262; a negative, infinite, NaN or non-numeric weight (an empty weight counts as 1); an empty event
    type; a customer id listed twice (the later rows); interactions or events naming a customer the
    customers table does not list. Ids ``1``, ``1.0`` and ``"1.0"`` are all customer ``"1"``; ``NA`` and
    ``null`` are text unless named in ``na_values``. Without a customers table the customers are the
    distinct ids of the other tables, sorted. Where Spark differs from one machine: Spark's csv reader
    skips blank lines (read_data rejects them as rows with a missing id), other columns of a csv file stay
    text (read them from parquet to keep their types), Spark's timestamps hold microseconds, and the
    median that settles an epoch unit is Spark's ``percentile_approx`` (exact up to 100,000 numbers; read_data
    also samples 100,000 of a longer column).

    Examples
    --------
    >>> import pandas as pd, netlib.spark as ns
    >>> spark = ns.session("local[1]", config={"spark.ui.enabled": "false"})  # doctest: +SKIP
    >>> shares = pd.DataFrame({"source": ["007", "b", ""], "target": ["b", "c", "a"],
    ...                        "timestamp": ["1700000000", "2023-11-14T22:13:20Z", "2023-11-15"]})
    >>> data = ns.read_tables({"interactions": shares})  # doctest: +SKIP
    >>> data.summary().loc["interactions", ["rows_in", "rows_kept", "rows_rejected"]].tolist()  # doctest: +SKIP
    [3, 2, 1]
    """
    from netlib._tables import Options

    if errors not in ("report", "raise"):
        raise DataError(f"errors must be 'report' or 'raise', got {errors!r}")
    opts = Options(time_unit, dayfirst, date_format, encoding, delimiter, None, na_values, columns or {}).check()
    spark = active(spark)
    decisions: list[str] = []
    csv_read: dict[str, tuple[str, str | None]] = {}  # table -> (delimiter, decimal mark) of a csv file
    inputs, label = _inputs(spark, data, opts.delimiter, opts.encoding, csv_read, decisions)
    flagged: dict[str, DataFrame] = {}
    notes: list[str] = []
    for table in TABLES:
        raw, source = inputs[table]
        if raw is None:
            continue
        renames = dict(opts.columns.get(table, {}))
        df = raw.toDF(*[str(renames.get(c, c)).strip() if c != _CORRUPT else c for c in raw.columns])
        found = [c for c in df.columns if c != _CORRUPT]
        missing = [c for c in REQUIRED[table] if c not in found]
        if missing:
            what = "column" if len(missing) == 1 else "columns"
            raise SchemaError(f"{table} ({source}): {what} {', '.join(repr(c) for c in missing)} missing; "
                              f"found: {found}", table=table, column=missing[0], source=source)
        dupes = sorted({c for c in found if found.count(c) > 1})
        if dupes:
            raise SchemaError(f"{table} ({source}): duplicated column names {dupes}", table=table,
                              column=dupes[0], source=source)
        df = df.withColumn("_mid", F.monotonically_increasing_id())
        unit, order = opts.time_unit, opts.dayfirst
        if "timestamp" in df.columns:
            unit, order, said = _time_decisions(df, table, source, unit, order, opts.date_format)
            decisions += said
        sep, dec = csv_read.get(table, (",", None))
        options = {"n_fields": len(found), "delimiter": sep,
                   "read_data": {"time_unit": unit or "s", "dayfirst": order, "date_format": opts.date_format,
                                 "decimal": dec, "na_values": list(opts.na_values) or None}}
        schema = _out_schema(df, table)
        checked = df.mapInPandas(_validator(table, schema, options), schema)
        if table == "customers":
            # a customer id listed again in another partition: the later rows go (read_data's rule)
            order_ = Window.partitionBy("customer_id", F.col("_reason").isNull()).orderBy("_mid")
            checked = _also(checked, F.row_number().over(order_) > 1, "customer_id",
                            F.lit("customer_id listed more than once (first row kept)"))
        flagged[table] = checked.persist(StorageLevel.MEMORY_AND_DISK)

    checked = dict(flagged)
    parts = {t: _parts(flagged[t], flagged[t], t, inputs[t][1]) for t in flagged}
    if "customers" in flagged:
        known = parts["customers"][0].select(F.col("customer_id").alias("_known"))
        for table in ("interactions", "events"):
            if table not in flagged:
                continue
            df = flagged[table]
            for col in _IDS[table]:
                df = (df.join(known.withColumn("_hit", F.lit(True)), F.col(col) == F.col("_known"), "left")
                      .drop("_known"))
                df = _also(df, F.col("_hit").isNull(), col, F.lit(f"{col} is not in the customers table")).drop("_hit")
            checked[table] = df
            parts[table] = _parts(df, flagged[table], table, inputs[table][1])
    else:
        ids = [parts[t][0].select(F.col(c).alias("customer_id")) for t in ("interactions", "events") if t in parts
               for c in _IDS[t]]
        derived = ids[0]
        for more in ids[1:]:
            derived = derived.unionByName(more)
        parts["customers"] = (derived.distinct().orderBy("customer_id"), None)
        notes.append("no customers table: the customers are the distinct ids in the other tables")
        inputs["customers"] = (None, "derived")
    kept = {t: parts[t][0] for t in parts}
    rejected = [parts[t][1] for t in TABLES if t in parts and parts[t][1] is not None]

    empty_schema = {
        "customers": "customer_id string",
        "interactions": "source string, target string, timestamp timestamp, weight double",
        "events": "customer_id string, timestamp timestamp, event_type string",
    }
    for table in TABLES:
        if table not in kept:
            kept[table] = spark.createDataFrame([], empty_schema[table])
    all_rejected = spark.createDataFrame([], _REJECTED)
    for bad in rejected:
        all_rejected = all_rejected.unionByName(bad)
    out = SparkData(kept["customers"], kept["interactions"], kept["events"], all_rejected, inputs, notes, label,
                    decisions, checked)
    if errors == "raise":
        first = all_rejected.orderBy("table", "row").limit(1).collect()
        if first:
            r = first[0]
            more = all_rejected.count() - 1
            raise RowError(f"{r['table']} ({r['source']}): row {r['row']}, column {r['column']!r}: {r['reason']}"
                           + (f" (and {more:,} more rejected rows)" if more else ""),
                           rejected=all_rejected.toPandas())
    return out
