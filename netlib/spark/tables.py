"""Reading and validating the three tables on Spark, with the rules of :func:`netlib.read_data`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from netlib.errors import DataError, RowError, SchemaError
from netlib.io import REQUIRED, TABLES
from netlib.spark._session import active

__all__ = ["SparkData", "read_tables"]

#: Columns that hold customer ids, and optional columns read as text (as in netlib.io).
_IDS = {"customers": ("customer_id",), "interactions": ("source", "target"), "events": ("customer_id",)}
_TEXT = {"customers": (), "interactions": ("kind", "channel", "item_id"),
         "events": ("event_type", "item_id", "project_id", "channel", "target")}
_SUFFIXES = (".parquet", ".pq", ".csv", ".csv.gz", ".tsv", ".tsv.gz")
_MICROS_PER = {"s": 1_000_000.0, "ms": 1_000.0, "us": 1.0, "ns": 0.001}
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
        Ids and labels as trimmed strings, ``timestamp`` as a Spark timestamp (UTC, microseconds),
        interactions' ``weight`` as a double (1.0 where it was empty).
    rejected : pyspark.sql.DataFrame
        One row per rejected input row: ``table``, ``source``, ``row`` (1-based data row, in the
        order Spark reads the input), ``column``, ``value`` (as read) and ``reason``, worded as
        :func:`netlib.read_data` words them.
    inputs : dict
        Per table: the raw input DataFrame (``None`` when absent) and its source label.
    notes : list of str
        Things done that change no row (customers derived from ids, ...).
    """

    customers: DataFrame
    interactions: DataFrame
    events: DataFrame
    rejected: DataFrame
    inputs: dict = field(repr=False)
    notes: list[str] = field(default_factory=list)
    source: str = "<Spark DataFrame>"

    def summary(self) -> pd.DataFrame:
        """Rows in, kept and rejected per table (runs one Spark job per count).

        Raises ``AssertionError`` if rows in != kept + rejected for any table (a bug, never the data).
        """
        rejected = {r["table"]: r["n"] for r in self.rejected.groupBy("table").agg(F.count("*").alias("n")).collect()}
        rows = []
        for table in TABLES:
            raw, source = self.inputs[table]
            n_in = raw.count() if raw is not None else 0
            kept = getattr(self, table).count() if raw is not None else 0
            rows.append({"table": table, "source": source, "rows_in": n_in, "rows_kept": kept,
                         "rows_rejected": int(rejected.get(table, 0))})
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

def _read_path(spark: SparkSession, path: Path, table: str) -> DataFrame:
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")) or (path.is_dir() and any(path.glob("*.parquet"))):
        try:
            df = spark.read.parquet(str(path))
            df.schema  # noqa: B018 - resolve the schema here, so a bad file fails with its name
            return df
        except Exception as exc:  # Spark's AnalysisException: name the file and, for nanoseconds, the fix
            hint = (" Spark reads parquet timestamps in micro- or milliseconds, not nanoseconds: write them with "
                    "df.to_parquet(path, coerce_timestamps='us', allow_truncated_timestamps=True)"
                    if "NANOS" in str(exc) else "")
            raise DataError(f"{path}: cannot read as a {table} table: {str(exc).splitlines()[0]}.{hint}") from None
    if name.endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz")):
        # every column as text, as written: ids keep their zeros and timestamps/weights are parsed
        # (and rejected row by row) below, never guessed by schema inference
        sep = "\t" if ".tsv" in name else ","
        return spark.read.csv(str(path), header=True, sep=sep, inferSchema=False, mode="PERMISSIVE")
    raise DataError(f"{path}: unknown format for the {table} table; expected one of {list(_SUFFIXES)}")


def _find(folder: Path, table: str) -> Path | None:
    found = [folder / f"{table}{s}" for s in _SUFFIXES if (folder / f"{table}{s}").exists()]
    if len(found) > 1:
        raise DataError(f"{folder}: more than one file for table {table!r}: {[p.name for p in found]}; keep one")
    return found[0] if found else None


def _inputs(spark: SparkSession, data) -> tuple[dict[str, tuple[DataFrame | None, str]], str]:
    if isinstance(data, (str, os.PathLike)):
        folder = Path(data)
        if not folder.is_dir():
            raise DataError(f"{folder}: no such folder")
        out = {}
        for table in TABLES:
            path = _find(folder, table)
            out[table] = (_read_path(spark, path, table), str(path)) if path else (None, "absent")
        if all(frame is None for frame, _ in out.values()):
            raise DataError(f"{folder}: found no customers, interactions or events file "
                            f"(expected names like interactions.parquet, {', '.join(_SUFFIXES)})")
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
            out[table] = (spark.createDataFrame(item), "<DataFrame>")
        elif isinstance(item, (str, os.PathLike)):
            out[table] = (_read_path(spark, Path(item), table), str(item))
        else:
            raise DataError(f"{table}: expected a Spark DataFrame, a pandas DataFrame or a path; "
                            f"got {type(item).__name__}")
    if all(frame is None for frame, _ in out.values()):
        raise DataError("no tables given; expected at least one of customers, interactions, events")
    return out, "<Spark DataFrame>"


def _with_row_numbers(spark: SparkSession, df: DataFrame) -> DataFrame:
    """Add ``_row``: 1-based position in the order Spark reads the rows (partition by partition).

    ``monotonically_increasing_id`` puts the partition number in the upper 31 bits and the position
    within the partition in the lower 33; one small job counts each partition's rows to turn that
    into consecutive numbers, without moving the rows.
    """
    df = df.withColumn("_mid", F.monotonically_increasing_id())
    part = F.shiftright("_mid", 33)
    counts = (df.groupBy(part.alias("_part")).agg(F.count("*").alias("_n")).toPandas()
              .sort_values("_part"))
    offsets = counts.assign(_offset=counts["_n"].cumsum() - counts["_n"])[["_part", "_offset"]]
    offsets_df = spark.createDataFrame(offsets.astype("int64"))
    within = F.col("_mid") - F.shiftleft(F.shiftright("_mid", 33), 33)
    return (df.withColumn("_part", part).join(F.broadcast(offsets_df), "_part", "left")
            .withColumn("_row", within + F.col("_offset") + 1).drop("_mid", "_part", "_offset"))


# --------------------------------------------------------------------------------------------------
# Normalising and checking, column by column
# --------------------------------------------------------------------------------------------------

def _text(df: DataFrame, col: str) -> Any:
    """Ids and labels as trimmed strings; whole floats print without '.0'; missing stays missing."""
    c = F.col(f"`{col}`")
    dtype = df.schema[col].dataType
    if isinstance(dtype, (T.FloatType, T.DoubleType)):
        whole = (c == F.floor(c)) & ~F.isnan(c)
        return F.when(c.isNull() | F.isnan(c), F.lit(None)).when(whole, c.try_cast("long").cast("string")) \
            .otherwise(c.cast("string"))
    return F.regexp_replace(c.cast("string"), r"^\s+|\s+$", "")


def _timestamp(df: DataFrame, col: str, time_unit: str) -> Any:
    """Epoch numbers (in ``time_unit``) and ISO 8601 text to a UTC timestamp; null where neither."""
    c = F.col(f"`{col}`")
    dtype = df.schema[col].dataType
    if isinstance(dtype, (T.TimestampType, T.TimestampNTZType, T.DateType)):
        return c.cast("timestamp")
    factor = _MICROS_PER[time_unit]

    def epoch(x):
        finite = x.isNotNull() & ~F.isnan(x) & (F.abs(x) < F.lit(float("inf")))
        return F.when(finite, F.timestamp_micros(F.round(x * F.lit(factor)).try_cast("long")))

    if isinstance(dtype, T.NumericType):
        return epoch(c.cast("double"))
    text = F.regexp_replace(c.cast("string"), r"^\s+|\s+$", "")
    number = text.try_cast("double")
    return F.when(number.isNotNull(), epoch(number)).otherwise(F.try_to_timestamp(text))


def _checks(df: DataFrame, table: str, time_unit: str) -> tuple[DataFrame, list[tuple[Any, Any, str]]]:
    """Normalised columns plus, in the order read_data's schema checks them, (failed?, value, column)."""
    raw_value: dict[str, Any] = {}
    for col in _IDS[table] + _TEXT[table]:
        if col in df.columns:
            df = df.withColumn(col, _text(df, col))
            raw_value[col] = F.col(col)  # messages show ids as normalised, as read_data does
    checks: list[tuple[Any, Any, str]] = []
    id_reason = F.lit("expected a non-empty id")
    for col in _IDS[table]:
        missing = F.col(col).isNull()
        checks.append((missing | (F.length(col) == 0),
                       F.when(missing, F.lit(f"{col} is missing")).otherwise(id_reason), col))
    if "timestamp" in REQUIRED[table]:
        raw = F.col("`timestamp`")
        df = df.withColumn("_ts_raw", raw.cast("string")).withColumn("timestamp", _timestamp(df, "timestamp", time_unit))
        text = F.col("_ts_raw")
        checks.append((F.col("timestamp").isNull(),
                       F.when(text.isNull(), F.lit("timestamp is missing")).otherwise(
                           F.concat(F.lit("expected epoch seconds or an ISO 8601 time, found '"), text, F.lit("'"))),
                       "timestamp"))
    if table == "interactions":
        if "weight" in df.columns:
            raw = F.col("`weight`")
            dtype = df.schema["weight"].dataType
            if isinstance(dtype, T.NumericType):
                w = raw.cast("double")
                empty = raw.isNull() | F.isnan(w)
            else:
                text = F.trim(raw.cast("string"))
                w = text.try_cast("double")
                empty = raw.isNull() | (text == "")
            df = df.withColumn("_w_raw", raw.cast("string")).withColumn("weight", F.when(empty, F.lit(1.0)).otherwise(w))
            wc = F.col("weight")
            checks.append((wc.isNull(), F.concat(F.lit("expected a number, found '"), F.col("_w_raw"), F.lit("'")),
                           "weight"))
            checks.append((wc < 0, F.lit("expected a weight >= 0"), "weight"))
            checks.append((F.abs(wc) == F.lit(float("inf")), F.lit("expected a finite weight"), "weight"))
        else:
            df = df.withColumn("weight", F.lit(1.0))
    if table == "events":
        missing = F.col("event_type").isNull()
        checks.append((missing | (F.length("event_type") == 0),
                       F.when(missing, F.lit("event_type is missing")).otherwise(F.lit("expected a non-empty value")),
                       "event_type"))
    values = {"timestamp": F.col("_ts_raw"), "weight": F.col("_w_raw")}
    return df, [(failed, reason, col, values.get(col, raw_value.get(col))) for failed, reason, col in checks]


def _flag(df: DataFrame, checks) -> DataFrame:
    """Add ``_column``, ``_reason``, ``_value``: the first failing check of each row (as in read_data)."""
    column = reason = value = F.lit(None).cast("string")
    for failed, why, col, raw in reversed(checks):
        column = F.when(failed, F.lit(col)).otherwise(column)
        reason = F.when(failed, why).otherwise(reason)
        value = F.when(failed, raw).otherwise(value)
    return df.withColumn("_column", column).withColumn("_reason", reason).withColumn("_value", value)


def _also(df: DataFrame, bad, column: str, reason) -> DataFrame:
    """Reject rows not rejected yet where ``bad`` holds, naming ``column`` and ``reason``."""
    new = F.col("_reason").isNull() & F.coalesce(bad, F.lit(False))
    return (df.withColumn("_column", F.when(new, F.lit(column)).otherwise(F.col("_column")))
            .withColumn("_value", F.when(new, F.col(column)).otherwise(F.col("_value")))
            .withColumn("_reason", F.when(new, reason).otherwise(F.col("_reason"))))


def _parts(df: DataFrame, table: str, source: str) -> tuple[DataFrame, DataFrame]:
    """Kept rows (helper columns dropped) and the rejected rows in the report's shape."""
    rejected = df.where(F.col("_reason").isNotNull()).select(
        F.lit(table).alias("table"), F.lit(source).alias("source"), F.col("_row").alias("row"),
        F.col("_column").alias("column"), F.col("_value").alias("value"), F.col("_reason").alias("reason"))
    kept = df.where(F.col("_reason").isNull()).drop("_column", "_reason", "_value", "_ts_raw", "_w_raw", "_row")
    return kept, rejected


def read_tables(data, *, spark: SparkSession | None = None, errors: str = "report", time_unit: str = "s",
                columns: Mapping[str, Mapping[str, str]] | None = None) -> SparkData:
    """Read and validate customer data on Spark, with the row rules of :func:`netlib.read_data`.

    Parameters
    ----------
    data : path or mapping
        A folder holding ``customers``, ``interactions`` and ``events`` files or parquet folders
        (``.parquet``, ``.csv``, ``.csv.gz``, ``.tsv``; any may be absent but not all three), or a
        mapping of those names to Spark DataFrames, pandas DataFrames or paths. csv files are read
        with every column as text, then parsed here.
    spark : SparkSession, optional
        The active session by default.
    errors : {"report", "raise"}
        ``"raise"`` raises :class:`~netlib.errors.RowError` naming the first bad row (one Spark job).
    time_unit : {"s", "ms", "us", "ns"}
        Unit of numeric (epoch) timestamps.
    columns : mapping, optional
        Renames applied first, per table: ``{"interactions": {"src": "source"}}``.

    Returns
    -------
    SparkData
        Lazy Spark DataFrames; nothing is computed until they are used. ``.summary()`` counts rows
        in, kept and rejected per table.

    Raises
    ------
    DataError
        A folder or file that cannot be read, an unknown table, a bad option.
    SchemaError
        A required column is missing (the message lists the columns found).
    RowError
        With ``errors="raise"``, when any row is rejected.

    Notes
    -----
    The rules are :func:`netlib.read_data`'s: a missing or empty id; a timestamp that is neither an
    epoch number nor ISO 8601 text (text without an offset is UTC); a negative, infinite or
    non-numeric weight (an empty weight counts as 1); an empty event type; a customer id listed twice
    (the later rows); interactions or events naming a customer the customers table does not list.
    A row failing several checks is listed once, with the first failure in that order. Without a
    customers table the customers are the distinct ids of the other tables, sorted. Spark's
    timestamps hold microseconds, so finer parts of a time are dropped.
    """
    if errors not in ("report", "raise"):
        raise DataError(f"errors must be 'report' or 'raise', got {errors!r}")
    if time_unit not in _MICROS_PER:
        raise DataError(f"time_unit must be one of 's', 'ms', 'us', 'ns', got {time_unit!r}")
    spark = active(spark)
    inputs, label = _inputs(spark, data)
    columns = columns or {}
    flagged: dict[str, DataFrame] = {}
    notes: list[str] = []
    for table in TABLES:
        raw, source = inputs[table]
        if raw is None:
            continue
        renames = dict(columns.get(table, {}))
        df = raw.toDF(*[str(renames.get(c, c)).strip() for c in raw.columns])
        missing = [c for c in REQUIRED[table] if c not in df.columns]
        if missing:
            what = "column" if len(missing) == 1 else "columns"
            raise SchemaError(f"{table} ({source}): {what} {', '.join(repr(c) for c in missing)} missing; "
                              f"found: {df.columns}", table=table, column=missing[0], source=source)
        dupes = sorted({c for c in df.columns if df.columns.count(c) > 1})
        if dupes:
            raise SchemaError(f"{table} ({source}): duplicated column names {dupes}", table=table,
                              column=dupes[0], source=source)
        df = _with_row_numbers(spark, df)
        df, checks = _checks(df, table, time_unit)
        df = _flag(df, checks)
        if table == "customers":
            # a customer id listed again: the later rows go (among rows that passed the checks)
            order = Window.partitionBy("customer_id", F.col("_reason").isNull()).orderBy("_row")
            df = _also(df, F.row_number().over(order) > 1, "customer_id",
                       F.lit("customer_id listed more than once (first row kept)"))
        flagged[table] = df

    parts = {t: _parts(flagged[t], t, inputs[t][1]) for t in flagged}
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
            parts[table] = _parts(df, table, inputs[table][1])
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
    out = SparkData(kept["customers"], kept["interactions"], kept["events"], all_rejected, inputs, notes, label)
    if errors == "raise":
        first = all_rejected.orderBy("table", "row").limit(1).collect()
        if first:
            r = first[0]
            more = all_rejected.count() - 1
            raise RowError(f"{r['table']} ({r['source']}): row {r['row']}, column {r['column']!r}: {r['reason']}"
                           + (f" (and {more:,} more rejected rows)" if more else ""),
                           rejected=all_rejected.toPandas())
    return out
