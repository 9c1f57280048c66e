"""Hand-off: collect what Spark reduced into netlib's single-machine structures.

When the tie table, the profiles or the cascades fit one machine, everything else (Leiden,
centrality, the report) runs there: :func:`to_networkx` rebuilds the graph of
:func:`netlib.build_network`, :func:`to_pandas` gives netlib's table conventions and
:func:`to_customer_data` collects validated tables into a :class:`netlib.CustomerData`.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import types as T

from netlib.io import TABLES, CustomerData, LoadReport
from netlib.patterns import BEHAVIOURS
from netlib.report.build import SPARK_NOTE
from netlib.spark._session import provenance, require

__all__ = ["to_pandas", "to_networkx", "to_customer_data"]

_TIMESTAMP = "datetime64[ns, UTC]"


def to_pandas(df: DataFrame, *, index: str | None = "auto") -> pd.DataFrame:
    """Collect a Spark result to pandas with netlib's conventions.

    Timestamps become ``datetime64[ns, UTC]``, maps become dicts, a ``dominant`` column becomes the
    ordered behaviour categorical, and with ``index="auto"`` a ``customer_id`` column becomes the
    index (named ``customer_id``), as in netlib's node-level tables. ``index=None`` keeps a
    RangeIndex; any other string names the column to index by.
    """
    if not isinstance(df, DataFrame):
        from netlib.errors import ParameterError

        raise ParameterError(f"to_pandas expects a Spark DataFrame; got {type(df).__name__}")
    out = df.toPandas()
    for field in df.schema.fields:
        name = field.name
        if isinstance(field.dataType, (T.TimestampType, T.TimestampNTZType)):
            col = pd.to_datetime(out[name])
            col = col.dt.tz_localize("UTC") if col.dt.tz is None else col.dt.tz_convert("UTC")
            out[name] = col.astype(_TIMESTAMP)
        elif isinstance(field.dataType, T.DayTimeIntervalType):
            out[name] = pd.to_timedelta(out[name]).astype("timedelta64[ns]")
        elif isinstance(field.dataType, T.MapType):
            out[name] = [dict(sorted(v)) if isinstance(v, list) else (dict(sorted(v.items())) if v else {})
                         for v in out[name]]
        elif isinstance(field.dataType, T.StringType):
            out[name] = out[name].astype("str").where(out[name].notna(), pd.NA) if len(out) else out[name].astype("str")
    if "dominant" in out.columns:
        out["dominant"] = pd.Categorical(out["dominant"], categories=list(BEHAVIOURS), ordered=True)
    key = "customer_id" if index == "auto" else index
    if key and key in out.columns:
        out = out.set_index(key)
        out.index.name = key
    return out


def to_networkx(ties: DataFrame, *, customers: DataFrame | None = None) -> nx.DiGraph:
    """The customer network of :func:`netlib.build_network`, built from a Spark tie table.

    Parameters
    ----------
    ties : pyspark.sql.DataFrame
        From :func:`netlib.spark.tie_table`.
    customers : pyspark.sql.DataFrame, optional
        The customers table: every customer becomes a node (with its attributes), tied or not.

    Returns
    -------
    networkx.DiGraph
        Nodes and edge attributes (``weight``, ``count``, ``first_ts``, ``last_ts``, ``channels``)
        as :func:`netlib.build_network` makes them; ``G.graph["provenance"]`` says it ran on Spark.
    """
    require(ties, ("source", "target", "weight", "count", "first_ts", "last_ts", "channels"), "ties")
    G = nx.DiGraph()
    if customers is not None:
        table = to_pandas(customers, index=None)
        attrs = [c for c in table.columns if c != "customer_id"]
        records = table[attrs].to_dict("records") if attrs else [{}] * len(table)
        G.add_nodes_from((cid, {k: v for k, v in rec.items() if not _isna(v)})
                         for cid, rec in zip(table["customer_id"].tolist(), records))
    edges = to_pandas(ties.orderBy("source", "target"), index=None)
    G.add_edges_from(
        (u, v, {"weight": float(w), "count": int(c), "first_ts": f, "last_ts": la, "channels": ch})
        for u, v, w, c, f, la, ch in zip(edges["source"], edges["target"], edges["weight"], edges["count"],
                                         edges["first_ts"], edges["last_ts"], edges["channels"]))
    G.graph.update(name="customer network (Spark tie table)", source="<Spark DataFrame>",
                   provenance=provenance("to_networkx"))
    return G


def _isna(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def to_customer_data(data) -> CustomerData:
    """Collect validated Spark tables (:class:`netlib.spark.SparkData`) into a :class:`netlib.CustomerData`.

    The load report carries the Spark counts, every rejected row and every decision, so ``rows in = kept +
    rejected`` still holds; a note says the tables were read and validated on Spark, and a report built
    from this data (:func:`netlib.report.build_report`) says so in its "How this report was made" table
    and in every page's footer.
    """
    from netlib.spark.tables import SparkData

    if not isinstance(data, SparkData):
        from netlib.errors import ParameterError

        raise ParameterError(f"to_customer_data expects a SparkData (netlib.spark.read_tables); got {type(data).__name__}")
    summary = data.summary()
    frames = {t: to_pandas(getattr(data, t), index=None) for t in TABLES}
    rejected = to_pandas(data.rejected, index=None)
    rejected["row"] = rejected["row"].astype("int64")
    rejected = rejected.sort_values(["table", "row"], kind="stable").reset_index(drop=True)
    report = LoadReport(tables=summary, rejected=rejected, decisions=list(data.decisions),
                        notes=[*data.notes, f"{SPARK_NOTE}reading and validating the tables "
                               f"({int(summary['rows_in'].sum()):,} rows, netlib.spark.read_tables); the "
                               "analyses ran on one machine after the hand-off"])
    return CustomerData(frames["customers"], frames["interactions"], frames["events"], report, None, data.source)
