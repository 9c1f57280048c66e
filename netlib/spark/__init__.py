"""netlib on Apache Spark: the same analyses when the logs outgrow one machine.

Raw interaction and event logs can be far larger than the customer network and the per-customer
profiles made from them. ``netlib.spark`` reduces the logs on a Spark cluster and hands what fits
one machine back to the rest of netlib:

- :func:`read_tables` reads and validates the three tables with the rules of :func:`netlib.read_data`
  (bad rows go to a rejected table with their reasons; rows in = kept + rejected);
- :func:`tie_table`, :func:`tie_strength`, :func:`pattern_profiles`, :func:`reconstruct_cascades` and
  :func:`cascade_metrics` compute on the cluster and give the same answers as the single-machine
  functions of the same names;
- :func:`degrees`, :func:`pagerank`, :func:`connected_components` and :func:`label_propagation` run
  on the tie table as Spark jobs;
- :func:`simulate` and :func:`maximize_influence` run netlib's own compiled kernels on Spark
  partitions over a broadcast compact graph (Monte-Carlo runs and reverse-reachable sets), with
  IMM's greedy selection on the driver;
- :func:`to_networkx`, :func:`to_customer_data` and :func:`to_pandas` collect the reduced results.

Spark is an optional extra: ``pip install netlib[spark]`` (pyspark 4 and a Java 17 runtime).
``import netlib`` never imports pyspark; this package does.
"""

from __future__ import annotations

try:
    import pyspark  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "netlib.spark needs Apache Spark's Python package, which is not installed; "
        "install it with: pip install netlib[spark]  (pyspark 4 and a Java 17 runtime)"
    ) from exc

from netlib.spark._session import java_version, session
from netlib.spark.cascades import cascade_metrics, reconstruct_cascades
from netlib.spark.graph import connected_components, degrees, label_propagation, pagerank
from netlib.spark.handoff import to_customer_data, to_networkx, to_pandas
from netlib.spark.influence import maximize_influence, simulate
from netlib.spark.network import tie_medians, tie_strength, tie_table
from netlib.spark.profiles import pattern_profiles
from netlib.spark.tables import SparkData, read_tables

__all__ = [
    "SparkData",
    "cascade_metrics",
    "connected_components",
    "degrees",
    "java_version",
    "label_propagation",
    "maximize_influence",
    "pagerank",
    "pattern_profiles",
    "read_tables",
    "reconstruct_cascades",
    "session",
    "simulate",
    "tie_medians",
    "tie_strength",
    "tie_table",
    "to_customer_data",
    "to_networkx",
    "to_pandas",
]
