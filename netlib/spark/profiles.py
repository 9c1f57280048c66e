"""Rogers behaviour profiles on Spark: the per-customer table of :func:`netlib.pattern_profiles`."""

from __future__ import annotations

import warnings

import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from netlib.errors import DataError, ParameterError
from netlib.patterns import BEHAVIOURS, load_taxonomy, normalize_event_type
from netlib._api import to_utc
from netlib.spark._session import active, require

__all__ = ["pattern_profiles"]

_US_PER_DAY = 86_400 * 10**6
_US_PER_WEEK = 7 * _US_PER_DAY
_MONDAY_OFFSET_US = 3 * _US_PER_DAY  # 1970-01-01 was a Thursday; weeks start on Monday
_IGNORED = len(BEHAVIOURS)


def _type_map(types: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    """Behaviour code per distinct event type: 0..4, 5 for ignored, -1 for unmapped."""
    code = {b: i for i, b in enumerate(BEHAVIOURS)}
    code["ignore"] = _IGNORED
    out = types.copy()
    out["b"] = [code.get(mapping.get(normalize_event_type(t)), -1) if t is not None else -1
                for t in out["event_type"]]
    return out


def _counted(types: pd.DataFrame, select) -> dict[str, int]:
    rows = types[select]
    items = [("<missing>" if t is None else str(t), int(n)) for t, n in zip(rows["event_type"], rows["n"])]
    items.sort(key=lambda kv: (-kv[1], kv[0]))
    return dict(items)


def pattern_profiles(events, taxonomy=None, *, start=None, end=None, customers=None,
                     on_unmapped: str = "warn") -> DataFrame:
    """One row per customer: how much of each of Rogers' five behaviours they show, on Spark.

    The columns and their meaning are those of :func:`netlib.pattern_profiles` (shares, counts,
    ``n_events``, ``active_weeks``, ``intensity``, ``first_event``, ``last_event``, ``recency_days``,
    ``breadth``, ``dominant``), with the same numbers.

    Parameters
    ----------
    events : SparkData or pyspark.sql.DataFrame
        Validated data (then every customer of its customers table gets a row) or an events table
        (``customer_id``, ``timestamp``, ``event_type``).
    taxonomy : None, dict or path
        Event type -> behaviour (:func:`netlib.load_taxonomy`); the shipped default when None.
    start, end : date-like, optional
        Time window ``start <= timestamp < end`` (UTC when naive).
    customers : pyspark.sql.DataFrame with ``customer_id``, optional
        Customers to include even without events.
    on_unmapped : {"warn", "ignore", "raise"}
        What to do about event types the taxonomy does not know (counted on the driver from the
        distinct event types, one small Spark job).

    Returns
    -------
    pyspark.sql.DataFrame
        ``customer_id`` first, sorted by it; :func:`netlib.spark.to_pandas` indexes it by
        ``customer_id`` with the dtypes of :func:`netlib.pattern_profiles`.

    Raises
    ------
    SchemaError
        Required columns missing.
    DataError
        Unmapped event types with ``on_unmapped="raise"``.
    ParameterError
        A bad window, taxonomy or option.
    """
    if on_unmapped not in ("warn", "ignore", "raise"):
        raise ParameterError(f"on_unmapped must be 'warn', 'ignore' or 'raise'; got {on_unmapped!r}")
    table = getattr(events, "events", events)
    if customers is None and hasattr(events, "customers"):
        customers = events.customers
    require(table, ("customer_id", "timestamp", "event_type"), "events")
    mapping = load_taxonomy(taxonomy)
    start_us, end_us = (None if x is None else int(to_utc(x, name).as_unit("ns").value) // 1000  # Spark's microseconds
                        for x, name in ((start, "start"), (end, "end")))
    if start_us is not None and end_us is not None and start_us >= end_us:
        raise ParameterError(f"start ({start}) must be before end ({end})")
    spark = active(table.sparkSession)

    ev = table.select("customer_id", "event_type", F.unix_micros("timestamp").alias("t"))
    if start_us is not None:
        ev = ev.where(F.col("t") >= start_us)
    if end_us is not None:
        ev = ev.where(F.col("t") < end_us)
    types = ev.groupBy("event_type").agg(F.count("*").alias("n"), F.max("t").alias("t_max")).toPandas()
    types["event_type"] = types["event_type"].astype(object).where(types["event_type"].notna(), None)
    types = _type_map(types, mapping)
    unmapped = _counted(types, types["b"] < 0)
    if unmapped:
        listing = ", ".join(f"{k!r} ({v})" for k, v in list(unmapped.items())[:10])
        more = "" if len(unmapped) <= 10 else f" and {len(unmapped) - 10} more"
        message = (f"{sum(unmapped.values())} event(s) of {len(unmapped)} type(s) are not in the taxonomy "
                   f"and were not profiled: {listing}{more}; pass a taxonomy")
        if on_unmapped == "raise":
            raise DataError(message)
        if on_unmapped == "warn":
            from netlib.patterns import UnmappedEventTypesWarning

            warnings.warn(message, UnmappedEventTypesWarning, stacklevel=2)
    ref_us = end_us if end_us is not None else (int(types["t_max"].max()) if len(types) else None)

    known = types[types["event_type"].notna()][["event_type", "b"]]
    type_df = spark.createDataFrame(known.astype({"event_type": object, "b": "int32"}),
                                    "event_type string, b int")
    ev = ev.join(F.broadcast(type_df), "event_type", "left").withColumn("b", F.coalesce("b", F.lit(-1)))
    keep = (F.col("b") >= 0) & (F.col("b") < _IGNORED)
    week = F.expr(f"(t + {_MONDAY_OFFSET_US} - pmod(t + {_MONDAY_OFFSET_US}, {_US_PER_WEEK})) div {_US_PER_WEEK}")
    aggs = [F.sum(F.when(F.col("b") == j, 1).otherwise(0)).cast("long").alias(f"{name}_count")
            for j, name in enumerate(BEHAVIOURS)]
    aggs += [F.count_distinct(F.when(keep, week)).cast("long").alias("active_weeks"),
             F.min(F.when(keep, F.col("t"))).alias("first_us"), F.max(F.when(keep, F.col("t"))).alias("last_us")]
    prof = ev.groupBy("customer_id").agg(*aggs)
    if customers is not None:
        extra = customers.select("customer_id").where(F.col("customer_id").isNotNull()).distinct()
        prof = extra.join(prof, "customer_id", "full")
        counts = [f"{b}_count" for b in BEHAVIOURS] + ["active_weeks"]
        prof = prof.fillna(0, subset=counts)

    counts = [F.col(f"{b}_count") for b in BEHAVIOURS]
    total = counts[0]
    for c in counts[1:]:
        total = total + c
    prof = prof.withColumn("n_events", total)
    active_ = F.col("n_events") > 0
    cols = [F.col("customer_id")]
    cols += [F.when(active_, F.col(f"{b}_count").cast("double") / F.col("n_events").cast("double"))
             .otherwise(F.lit(None).cast("double")).alias(b) for b in BEHAVIOURS]
    cols += [F.col(f"{b}_count") for b in BEHAVIOURS]
    cols += [F.col("n_events"), F.col("active_weeks"),
             F.when(F.col("active_weeks") > 0, F.col("n_events").cast("double") / F.col("active_weeks"))
             .otherwise(0.0).alias("intensity"),
             F.timestamp_micros("first_us").alias("first_event"), F.timestamp_micros("last_us").alias("last_event")]
    if ref_us is None:
        cols.append(F.lit(None).cast("double").alias("recency_days"))
    else:
        cols.append(F.when(active_, (F.lit(ref_us) - F.col("last_us")).cast("double") / float(_US_PER_DAY))
                    .alias("recency_days"))
    breadth = sum((c > 0).cast("long") for c in counts)
    cols.append(breadth.alias("breadth"))
    # the behaviour with the most events (equal shares <=> equal counts); ties go to the lower rung
    best = F.greatest(*counts)
    dominant = F.lit(None).cast("string")
    for j in reversed(range(len(BEHAVIOURS))):
        dominant = F.when(counts[j] == best, F.lit(BEHAVIOURS[j])).otherwise(dominant)
    cols.append(F.when(active_, dominant).alias("dominant"))
    return prof.select(*cols).orderBy("customer_id")
