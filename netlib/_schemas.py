"""The row-level rules of each table as pandera schemas, and the rows that fail them.

pandera is imported here, on the first validation, so that ``import netlib`` stays light.

When pyspark is installed (``netlib[spark]``), pandera's import would also import ``pyspark.pandas`` to
register its types: seconds of start-up and a pandas-version FutureWarning in every notebook, for types
netlib never validates. :func:`_pandera` hides those two modules while pandera is first imported (pandera
then records them as absent) and puts everything back afterwards, so the user's own pyspark imports work.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from netlib.errors import SchemaError

__all__ = ["TIMESTAMP_DTYPE", "schemas", "failures"]

TIMESTAMP_DTYPE = "datetime64[ns, UTC]"
_EXPECTED = {"weight": "expected a number"}


_PANDERA_SKIPS = ("pyspark.pandas", "pyspark.sql")


@cache
def _pandera():
    """``pandera.pandas``, imported without its optional pyspark integration unless pyspark is already loaded."""
    import sys

    hidden = [name for name in _PANDERA_SKIPS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # an import of it raises ImportError, which pandera treats as "not installed"
    try:
        import pandera.pandas as pa
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return pa


@cache
def schemas() -> dict:
    """``{table: pandera.DataFrameSchema}``; each failed check rejects its row with the check's message."""
    pa = _pandera()

    ident = pa.Check.str_length(min_value=1, error="expected a non-empty id")
    not_empty = pa.Check.str_length(min_value=1, error="expected a non-empty value")

    def id_column() -> pa.Column:
        return pa.Column("str", nullable=False, checks=ident)

    return {
        "customers": pa.DataFrameSchema({"customer_id": id_column()}, strict=False),
        "interactions": pa.DataFrameSchema(
            {
                "source": id_column(),
                "target": id_column(),
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
                "customer_id": id_column(),
                "timestamp": pa.Column(TIMESTAMP_DTYPE, nullable=False),
                "event_type": pa.Column("str", nullable=False, checks=not_empty),
            },
            strict=False,
        ),
    }


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value))


def _reason(column: str, check: str, value: Any, why: str | None) -> str:
    if why is not None:
        return why
    if check == "not_nullable":
        if _missing(value):
            return f"{column} is missing"
        return f"{_EXPECTED.get(column, 'expected a value')}, found {str(value)!r}"
    return check


def failures(df: pd.DataFrame, raw: dict[str, pd.Series], reasons: dict[str, dict], table: str) -> pd.DataFrame:
    """One (index, column, value, reason) per failing row: the first failure pandera lists for it.

    ``raw`` holds columns as read (for the value shown); ``reasons`` the parsers' own reasons by row label,
    which replace pandera's "missing" for values that were present but unreadable.
    """
    pa = _pandera()

    try:
        schemas()[table].validate(df, lazy=True)
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
        why = [reasons.get(c, {}).get(i) for i, c in zip(fc["index"], fc["column"])]
        return pd.DataFrame({
            "index": fc["index"].to_numpy(),
            "column": fc["column"].astype("str").to_numpy(),
            "value": [None if _missing(v) else str(v) for v in values],
            "reason": [_reason(c, k, v, w) for c, k, v, w in zip(fc["column"], fc["check"], values, why)],
        })
    return pd.DataFrame({"index": pd.Series(dtype="int64"), "column": [], "value": [], "reason": []})
