"""The customer network on Spark: the weighted tie table and tie strength."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from netlib._api import to_utc
from netlib.errors import DataError
from netlib.network import TieStrengthRule
from netlib.spark._session import arrow_safe, require

__all__ = ["tie_table", "tie_strength", "tie_medians"]

_STRENGTHS = ("weak", "significant", "core")


def interactions_of(data) -> DataFrame:
    """The interactions Spark DataFrame of a SparkData or the DataFrame itself."""
    table = getattr(data, "interactions", data)
    require(table, ("source", "target", "timestamp"), "interactions")
    return table


def tie_table(data, *, kinds=None, start=None, end=None, self_loops: bool = False) -> DataFrame:
    """Aggregate interactions into the weighted, directed tie table, as :func:`netlib.build_network` does.

    Parameters
    ----------
    data : SparkData or pyspark.sql.DataFrame
        Validated tables from :func:`netlib.spark.read_tables`, or an interactions DataFrame
        (``source``, ``target``, ``timestamp``; optional ``weight``, ``channel``, ``kind``).
    kinds : str or list of str, optional
        Keep only interactions of these kinds.
    start, end : timestamp-like, optional
        Keep interactions with ``start <= timestamp < end`` (UTC when no zone is given).
    self_loops : bool, default False
        Keep interactions from a customer to themself.

    Returns
    -------
    pyspark.sql.DataFrame
        One row per ordered pair that interacted: ``source``, ``target``, ``weight`` (sum of the
        interaction weights), ``count``, ``first_ts``, ``last_ts`` and ``channels`` (a map channel ->
        count; empty when the data has no channel column) — the edge attributes of
        :func:`netlib.build_network`. :func:`netlib.spark.to_networkx` turns it into that graph.

    Raises
    ------
    SchemaError
        A required column is missing.
    DataError
        ``kinds`` given but the data has no ``kind`` column.
    """
    inter = interactions_of(data)
    if kinds is not None:
        if "kind" not in inter.columns:
            raise DataError(f"kinds={kinds!r} given but the interactions have no 'kind' column")
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        inter = inter.where(F.col("kind").isin(kinds))
    if start is not None:
        inter = inter.where(F.col("timestamp") >= F.lit(to_utc(start, "start").to_pydatetime()))
    if end is not None:
        inter = inter.where(F.col("timestamp") < F.lit(to_utc(end, "end").to_pydatetime()))
    if not self_loops:
        inter = inter.where(F.col("source") != F.col("target"))
    weight = F.col("weight").cast("double") if "weight" in inter.columns else F.lit(1.0)
    ties = inter.groupBy("source", "target").agg(
        F.sum(weight).alias("weight"), F.count("*").alias("count"),
        F.min("timestamp").alias("first_ts"), F.max("timestamp").alias("last_ts"))
    if "channel" in inter.columns:
        per = (inter.where(F.col("channel").isNotNull()).groupBy("source", "target", "channel")
               .agg(F.count("*").alias("n"))
               .groupBy("source", "target")
               .agg(F.map_from_entries(F.array_sort(F.collect_list(F.struct("channel", "n")))).alias("channels")))
        ties = ties.join(per, ["source", "target"], "left")
        ties = ties.withColumn("channels", F.coalesce("channels", F.create_map().cast("map<string,bigint>")))
    else:
        ties = ties.withColumn("channels", F.create_map().cast("map<string,bigint>"))
    return ties.select("source", "target", "weight", "count", "first_ts", "last_ts", "channels")


def _score(batches, rule: TieStrengthRule):
    """Score pairs with numpy, so the floating-point results are bit for bit those of netlib.tie_strength."""
    for df in batches:
        df["strength"] = rule._score(df)
        yield arrow_safe(df)


def tie_strength(ties: DataFrame, *, rule: TieStrengthRule | None = None, now=None) -> DataFrame:
    """Score every tie (unordered pair) and class it core / significant / weak, as :func:`netlib.tie_strength`.

    Parameters
    ----------
    ties : pyspark.sql.DataFrame
        A tie table from :func:`tie_table`.
    rule : TieStrengthRule, optional
        Weights and thresholds; the documented defaults when omitted.
    now : timestamp-like, optional
        Reference time for recency; the latest ``last_ts`` of the ties by default (one Spark job).

    Returns
    -------
    pyspark.sql.DataFrame
        One row per pair ``u < v``: ``u``, ``v``, ``count``, ``reciprocal``, ``n_channels``,
        ``days_since``, ``frequency``, ``recency``, ``reciprocity``, ``multiplexity``, ``score`` and
        ``strength`` (text). The scores are computed with numpy on the partitions, so they equal
        :func:`netlib.tie_strength`'s to the last bit. :func:`tie_medians` gives the per-customer medians.
    """
    rule = rule or TieStrengthRule()
    require(ties, ("source", "target", "count", "last_ts", "channels"), "ties")
    ties = ties.where(F.col("source") != F.col("target"))
    pairs = (ties.select(F.least("source", "target").alias("u"), F.greatest("source", "target").alias("v"),
                         "count", "last_ts", F.map_keys("channels").alias("ch"))
             .groupBy("u", "v")
             .agg(F.sum("count").alias("count"), F.max("last_ts").alias("last_ts"),
                  (F.count("*") == 2).alias("reciprocal"),
                  F.size(F.array_distinct(F.flatten(F.collect_list("ch")))).cast("long").alias("n_channels")))
    if now is not None:
        ref_us = int(to_utc(now, "now").value // 1000)
    else:
        ref_us = pairs.agg(F.max(F.unix_micros("last_ts"))).collect()[0][0] or 0
    ref = F.lit(ref_us)
    # (ref - last) in microseconds / 1e6 / 86400 equals pandas' ns / 1e9 / 86400: both divisions are
    # correctly rounded quotients of the same exact number
    days = (ref - F.unix_micros("last_ts")).cast("double") / 1e6 / 86400.0
    pairs = pairs.withColumn("days_since", F.coalesce(F.greatest(days, F.lit(0.0)), F.lit(0.0))).drop("last_ts")
    schema = ("u string, v string, count long, reciprocal boolean, n_channels long, days_since double, "
              "frequency double, recency double, reciprocity double, multiplexity double, score double, "
              "strength string")
    return pairs.mapInPandas(lambda it: _score(it, rule), schema)


def tie_medians(strength: DataFrame) -> dict[str, float]:
    """Median number of core and significant ties per customer with at least one tie.

    The ``attrs["per_customer"]`` of :func:`netlib.tie_strength`, from :func:`tie_strength`'s table.
    """
    ends = strength.select(F.col("u").alias("c"), "strength").unionByName(
        strength.select(F.col("v").alias("c"), "strength"))
    per = ends.groupBy("c").agg(*[F.sum((F.col("strength") == s).cast("long")).alias(s) for s in _STRENGTHS])
    row = per.agg(F.median("core").alias("core"), F.median("significant").alias("significant")).collect()[0]
    return {"median_core": float(row["core"] or 0.0), "median_significant": float(row["significant"] or 0.0)}
