"""Cascades on Spark: who-got-it-from-whom trees from share logs (window functions), and their metrics."""

from __future__ import annotations

from typing import Any

import pandas as pd
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from netlib.cascades import cascade_metrics as _local_metrics
from netlib.errors import ParameterError
from netlib.spark._session import arrow_safe, materialise, require

__all__ = ["reconstruct_cascades", "cascade_metrics"]

RULES = ("first", "last", "strongest")


def _blank(col) -> Any:
    return col.isNull() | (F.trim(col) == "")


def _climb(nodes: DataFrame) -> DataFrame:
    """Root and depth of every adopter by pointer doubling: O(log depth) joins of the node table."""
    cur = nodes.select("_ik", "customer",
                       F.coalesce("parent", "customer").alias("_up"),
                       F.when(F.col("parent").isNull(), 0).otherwise(1).alias("_steps")).localCheckpoint()
    while True:
        b = cur.select(F.col("_ik").alias("_bik"), F.col("customer").alias("_bc"),
                       F.col("_up").alias("_bup"), F.col("_steps").alias("_bsteps"))
        step = (cur.join(b, (cur["_ik"] == b["_bik"]) & (cur["_up"] == b["_bc"]), "left")
                .select("_ik", "customer", F.col("_bup").alias("_up"),
                        (F.col("_steps") + F.col("_bsteps")).alias("_steps"), F.col("_bsteps")))
        # a pointer that jumps to a root (0 steps further) stays where it is: with none moving, done
        cur, moving = materialise(step, F.sum((F.col("_bsteps") > 0).cast("long")))
        cur = cur.drop("_bsteps")
        if not moving:
            return cur


def reconstruct_cascades(interactions, *, rule: str = "first", weight: str = "weight",
                         report: dict | None = None) -> DataFrame:
    """Rebuild who-got-it-from-whom trees from a share log on Spark, as :func:`netlib.reconstruct_cascades`.

    The same rules give the same trees: rows are put in the total order item, timestamp, source id,
    target id; rows without customers, timestamp or (in a log with items) item, self-shares and
    repeated shares are set aside; a share reaching a customer after they first shared the item is
    not an exposure; each remaining adopter's parent is chosen by ``rule`` with a window over the
    exposures of that adopter (``"first"``: earliest; ``"last"``: latest; ``"strongest"``: the most
    strongly tied sharer, where tie strength is the total ``weight`` from source to target over the
    whole log, then earliest). Roots and depths come from pointer doubling over the parent links.

    Parameters
    ----------
    interactions : SparkData or pyspark.sql.DataFrame
        ``source``, ``target``, ``timestamp``; optional ``item_id`` and ``weight``.
    rule : {"first", "last", "strongest"}
    weight : str
        The weight column for ``rule="strongest"`` (1 per row when absent).
    report : dict, optional
        When given, filled with the counts of :func:`netlib.reconstruct_cascades`' report (every input
        row in exactly one of ``missing_customer``, ``missing_timestamp``, ``missing_item_id``,
        ``self_shares``, ``repeated_shares``, ``receive_after_share``, ``redundant_exposures``,
        ``tree_edges``; plus ``ties_broken``, ``adopters``, ``roots``, ``items``). Counting costs
        Spark jobs, so it is done only when asked. (``cycles`` is not counted here.)

    Returns
    -------
    pyspark.sql.DataFrame
        One row per adoption: ``item_id``, ``customer``, ``parent`` (null for roots), ``time``,
        ``depth``, ``root``; sorted by item, root, time, depth and customer.

    Raises
    ------
    SchemaError
        A required column is missing.
    ParameterError
        Unknown ``rule``.
    """
    if rule not in RULES:
        raise ParameterError(f"rule must be one of {list(RULES)}; got {rule!r}")
    table = getattr(interactions, "interactions", interactions)
    require(table, ("source", "target", "timestamp"), "interactions")
    s, r = F.col("source").cast("string"), F.col("target").cast("string")
    item = F.col("item_id").cast("string") if "item_id" in table.columns else F.lit(None).cast("string")
    if weight in table.columns:
        w = F.col(weight).try_cast("double")
        w = F.when(w.isNull() | F.isnan(w), 1.0).otherwise(w)
    else:
        w = F.lit(1.0)
    rows = table.select(s.alias("s"), r.alias("r"), F.col("timestamp").alias("time"), item.alias("item"),
                        w.alias("w"))
    miss_cust = _blank(F.col("s")) | _blank(F.col("r"))
    miss_ts = F.col("time").isNull() & ~miss_cust
    item_missing = _blank(F.col("item"))
    one_item = rows.where(~item_missing).limit(1).count() == 0
    miss_item = (item_missing & ~(miss_cust | miss_ts)) if not one_item else F.lit(False)
    selfs = ~(miss_cust | miss_ts | miss_item) & (F.col("s") == F.col("r"))
    flagged = rows.select("*", miss_cust.alias("_mc"), miss_ts.alias("_mt"), miss_item.alias("_mi"),
                          selfs.alias("_self"))
    kept = flagged.where(~(F.col("_mc") | F.col("_mt") | F.col("_mi") | F.col("_self")))
    kept = kept.withColumn("_ik", F.lit("") if one_item else F.col("item"))

    if rule == "strongest":
        strength = (flagged.where(~F.col("_mc")).groupBy("s", "r").agg(F.sum("w").alias("_strength")))
        kept = kept.join(strength, ["s", "r"], "left")
    else:
        kept = kept.withColumn("_strength", F.lit(0.0))

    # a repeated share (same item, source and target) counts once, at its first time
    shares = kept.groupBy("_ik", "s", "r").agg(F.min("time").alias("time"), F.max("_strength").alias("_strength"))
    first_share = shares.groupBy("_ik", "s").agg(F.min("time").alias("_t_share"))
    fs = first_share.select("_ik", F.col("s").alias("r"), "_t_share")
    shares = shares.join(fs, ["_ik", "r"], "left")
    # after = later in the total order (item, time, source, target) than the target's own first share
    after = F.col("_t_share").isNotNull() & ((F.col("time") > F.col("_t_share"))
                                             | ((F.col("time") == F.col("_t_share")) & (F.col("s") > F.col("r"))))
    shares = shares.withColumn("_after", after)
    cand = shares.where(~F.col("_after"))
    by_target = Window.partitionBy("_ik", "r")
    if rule == "first":
        w_order = by_target.orderBy(F.col("time").asc(), F.col("s").asc())
    elif rule == "last":
        w_order = by_target.orderBy(F.col("time").desc(), F.col("s").desc())
    else:
        w_order = by_target.orderBy(F.col("_strength").desc(), F.col("time").asc(), F.col("s").asc())
    ranked = cand.select("_ik", "s", "r", "time", "_strength", F.row_number().over(w_order).alias("_rank"),
                         F.lead("time").over(w_order).alias("_next_time"),
                         F.lead("_strength").over(w_order).alias("_next_strength"))
    chosen = ranked.where(F.col("_rank") == 1)

    edges = chosen.select("_ik", F.col("r").alias("customer"), F.col("s").alias("parent"),
                          F.col("time").alias("_t_edge"))
    roots_time = first_share.select("_ik", F.col("s").alias("customer"), "_t_share")
    nodes = (roots_time.join(edges, ["_ik", "customer"], "full")
             .select("_ik", "customer", "parent", F.coalesce("_t_edge", "_t_share").alias("time")))
    nodes = nodes.localCheckpoint()
    climbed = _climb(nodes)
    out = (nodes.join(climbed, ["_ik", "customer"])
           .select(F.lit(None).cast("string").alias("item_id") if one_item else F.col("_ik").alias("item_id"),
                   "customer", "parent", "time", F.col("_steps").cast("long").alias("depth"),
                   F.col("_up").alias("root"))
           .orderBy(F.col("item_id").asc_nulls_last(), "root", "time", "depth", "customer"))

    if report is not None:
        counts = flagged.agg(F.count("*").alias("rows_in"), F.sum(F.col("_mc").cast("long")).alias("mc"),
                             F.sum(F.col("_mt").cast("long")).alias("mt"), F.sum(F.col("_mi").cast("long")).alias("mi"),
                             F.sum(F.col("_self").cast("long")).alias("self")).collect()[0]
        n_kept = kept.count()
        n_shares = shares.count()
        n_after = shares.where(F.col("_after")).count()
        tie = F.col("_next_time").isNotNull() & (F.col("_next_time") == F.col("time"))
        if rule == "strongest":
            tie = tie & (F.col("_next_strength") == F.col("_strength"))
        picked = chosen.agg(F.count("*").alias("n"), F.sum(tie.cast("long")).alias("ties")).collect()[0]
        node_counts = nodes.agg(F.count("*").alias("n"), F.sum(F.col("parent").isNull().cast("long")).alias("roots"),
                                F.count_distinct("_ik").alias("items")).collect()[0]
        report.update({
            "rule": rule, "rows_in": int(counts["rows_in"]), "one_item": one_item,
            "missing_customer": int(counts["mc"] or 0), "missing_timestamp": int(counts["mt"] or 0),
            "missing_item_id": int(counts["mi"] or 0), "self_shares": int(counts["self"] or 0),
            "repeated_shares": int(n_kept - n_shares), "receive_after_share": int(n_after),
            "ties_broken": int(picked["ties"] or 0),
            "redundant_exposures": int(n_shares - n_after - picked["n"]), "tree_edges": int(picked["n"]),
            "adopters": int(node_counts["n"]), "roots": int(node_counts["roots"] or 0),
            "items": int(node_counts["items"]),
        })
    return out


def _metrics_of(frame: pd.DataFrame, numeric_time: bool) -> pd.DataFrame:
    """netlib.cascade_metrics on the cascades of one Spark group (whole items), typed for Spark."""
    if not numeric_time:
        frame = frame.assign(time=pd.to_datetime(frame["time"], utc=True))
    out = _local_metrics(frame)
    if not numeric_time:
        out["start"] = out["start"].dt.tz_localize(None) if out["start"].dt.tz is not None else out["start"]
    return arrow_safe(out)


def cascade_metrics(cascades: DataFrame) -> DataFrame:
    """Size, depth, breadth, speed and structural virality of every cascade, on Spark.

    Each Spark task runs :func:`netlib.cascade_metrics` on whole items (a grouped map over item
    buckets), so the numbers are netlib's own; a single cascade must fit one executor.

    Parameters
    ----------
    cascades : pyspark.sql.DataFrame
        A cascade table (:func:`reconstruct_cascades`): ``item_id``, ``customer``, ``parent``, ``time``.

    Returns
    -------
    pyspark.sql.DataFrame
        The columns of :func:`netlib.cascade_metrics`, largest cascade first (then item and root);
        durations are Spark day-time intervals when ``time`` is a timestamp, numbers otherwise.
    """
    require(cascades, ("item_id", "customer", "parent", "time"), "cascades")
    dtype = cascades.schema["time"].dataType
    numeric_time = isinstance(dtype, T.NumericType)
    span = "double" if numeric_time else "interval day to second"
    start = "double" if numeric_time else "timestamp"
    schema = (f"item_id string, root string, size long, depth long, max_breadth long, root_children long, "
              f"start {start}, time_to_50 {span}, time_to_90 {span}, duration {span}, structural_virality double, "
              "largest_broadcast long, broadcast_share double")
    spark = cascades.sparkSession
    buckets = int(spark.conf.get("spark.sql.shuffle.partitions"))
    table = cascades.select("item_id", "customer", "parent", "time",
                            F.pmod(F.hash(F.coalesce("item_id", F.lit(""))), F.lit(buckets)).alias("_bucket"))
    out = table.groupBy("_bucket").applyInPandas(
        lambda frame: _metrics_of(frame.drop(columns="_bucket"), numeric_time), schema)
    return out.orderBy(F.col("size").desc(), F.col("item_id").asc_nulls_last(), F.col("root").asc())
