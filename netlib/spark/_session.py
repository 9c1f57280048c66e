"""The Spark session netlib runs on, and small helpers every Spark module shares. Private."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from typing import Any

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame, Observation, SparkSession
from pyspark.sql import functions as F

from netlib.errors import NetlibError, ParameterError

__all__ = ["session", "java_version", "active", "provenance", "arrow_safe", "micros", "materialise", "ENGINE"]

#: How results made here say where they ran (in their provenance).
ENGINE = "spark"


def java_version() -> int | None:
    """Major version of the ``java`` Spark will start (``JAVA_HOME`` first, then ``PATH``), or None."""
    home = os.environ.get("JAVA_HOME")
    java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    if not java or not os.path.exists(java):
        return None
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2)) if major == 1 and m.group(2) else major


def session(master: str = "local[2]", *, app_name: str = "netlib", shuffle_partitions: int | None = None,
            config: dict[str, Any] | None = None) -> SparkSession:
    """Start (or reuse) a Spark session set up the way netlib's Spark functions expect.

    Parameters
    ----------
    master : str
        Spark master URL; ``"local[2]"`` runs on two cores of this machine. Under ``spark-submit`` the
        master given there wins (pass ``master=None``).
    app_name : str
        Name shown in the Spark UI.
    shuffle_partitions : int, optional
        ``spark.sql.shuffle.partitions``; Spark's default (200) is far too many for local mode, so
        local masters default to 4 x the cores.
    config : dict, optional
        Any other Spark settings, applied last.

    Returns
    -------
    pyspark.sql.SparkSession
        With the session time zone set to UTC (netlib's timestamps are UTC) and Arrow transfers on.

    Raises
    ------
    NetlibError
        No Java 17 or later runtime is found (Spark 4 needs one).
    """
    major = java_version()
    if major is None or major < 17:
        found = "none found" if major is None else f"found Java {major}"
        raise NetlibError(f"Spark 4 needs a Java 17 (or later) runtime; {found}. Install one (Debian: "
                          "apt-get install openjdk-17-jre-headless) or set JAVA_HOME")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    local = master is not None and master.startswith("local")
    if local:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    settings: dict[str, Any] = {
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.execution.arrow.pyspark.fallback.enabled": "false",
    }
    if local:
        cores = re.match(r"local\[(\d+|\*)\]", master)
        n = int(cores.group(1)) if cores and cores.group(1) != "*" else (os.cpu_count() or 2)
        settings["spark.sql.shuffle.partitions"] = shuffle_partitions or 4 * n
        settings["spark.default.parallelism"] = 2 * n
        settings["spark.ui.showConsoleProgress"] = "false"
    elif shuffle_partitions:
        settings["spark.sql.shuffle.partitions"] = shuffle_partitions
    settings.update(config or {})
    for key, value in settings.items():
        builder = builder.config(key, str(value))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def active(spark: SparkSession | None = None) -> SparkSession:
    """The session to use: the one given, else the active one; ParameterError when there is none."""
    if spark is not None:
        return spark
    current = SparkSession.getActiveSession()
    if current is None:
        raise ParameterError("no active Spark session: start one with netlib.spark.session() "
                             "(or SparkSession.builder...getOrCreate()) first")
    return current


def provenance(function: str, **params: Any) -> dict[str, Any]:
    """The provenance dict of a result made on Spark: public name, parameters, version, engine."""
    from netlib import __version__

    clean = {k: (v.item() if isinstance(v, (np.integer, np.floating)) else v) for k, v in params.items()}
    return {"function": f"netlib.spark.{function}", "parameters": clean, "netlib_version": __version__,
            "engine": ENGINE}


def arrow_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python objects before a pandas frame goes back to Spark through Arrow.

    pandas 3 stores text as pyarrow-backed ``str``; pyspark 4.3's grouped-map and map-in-pandas
    paths cannot build record batches from those chunked arrays ("Cannot convert
    pyarrow.lib.ChunkedArray to pyarrow.lib.Array"), so they travel as objects.
    """
    out = frame.copy(deep=False)
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col].dtype) and not pd.api.types.is_object_dtype(out[col].dtype):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def micros(col) -> Any:
    """A timestamp column as microseconds since the epoch (long): Spark's timestamp precision."""
    return F.unix_micros(F.col(col) if isinstance(col, str) else col)


def materialise(frame: DataFrame, measure) -> tuple[DataFrame, Any]:
    """Materialise one step of an iteration and read ``measure`` (an aggregate of its rows) in the same job.

    The step is cut from its lineage (``localCheckpoint``), so the plan does not grow with the number
    of iterations; the aggregate is observed while the rows are written, so deciding whether to go on
    costs no second job.
    """
    seen = Observation()
    done = frame.observe(seen, F.coalesce(measure, F.lit(0)).alias("m")).localCheckpoint()
    return done, seen.get["m"]


def require(df: DataFrame, columns, table: str) -> None:
    """SchemaError naming the missing columns of a Spark table."""
    from netlib.errors import SchemaError

    if not isinstance(df, DataFrame):
        raise ParameterError(f"{table}: expected a Spark DataFrame; got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SchemaError(f"{table}: column {missing[0]!r} is missing; found: {df.columns}", table=table,
                          column=missing[0], source="<Spark DataFrame>")
