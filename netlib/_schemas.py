"""The row-level rules of each table as pandera schemas, and the rows that fail them.

:func:`failures` applies the rules column by column on arrays (a few vectorised passes, no per-row
work); :func:`failures_pandera` runs the pandera schemas themselves and gives the same answer. The
schemas stay the statement of the rules (``netlib.io.SCHEMAS``); :func:`failures` hands a table to
pandera whenever a column does not have the dtype its rule expects, so pandera's own error is raised.
pandera is imported on first use, so that ``import netlib`` stays light.

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

__all__ = ["TIMESTAMP_DTYPE", "RULES", "schemas", "failures", "failures_pandera"]

TIMESTAMP_DTYPE = "datetime64[ns, UTC]"
_EXPECTED = {"weight": "expected a number"}
_ID = "expected a non-empty id"
_NOT_EMPTY = "expected a non-empty value"
#: The rules of :func:`schemas`, column by column in the schemas' order: (column, kind, check messages).
RULES: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "customers": (("customer_id", "text", (_ID,)),),
    "interactions": (("source", "text", (_ID,)), ("target", "text", (_ID,)), ("timestamp", "time", ()),
                     ("weight", "number", ("expected a weight >= 0", "expected a finite weight"))),
    "events": (("customer_id", "text", (_ID,)), ("timestamp", "time", ()), ("event_type", "text", (_NOT_EMPTY,))),
}


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

    ident = pa.Check.str_length(min_value=1, error=_ID)
    not_empty = pa.Check.str_length(min_value=1, error=_NOT_EMPTY)

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


def _rows(df: pd.DataFrame, index, columns, checks, raw: dict[str, pd.Series], reasons: dict[str, dict]
          ) -> pd.DataFrame:
    """The (index, column, value, reason) table of the failing rows, the value as read."""
    values = [raw[c].at[i] if c in raw else df.at[i, c] for i, c in zip(index, columns)]
    why = [reasons.get(c, {}).get(i) for i, c in zip(index, columns)]
    return pd.DataFrame({
        "index": np.asarray(index, dtype="int64"),
        "column": np.asarray(columns, dtype=object).astype("str"),
        "value": [None if _missing(v) else str(v) for v in values],
        "reason": [_reason(c, k, v, w) for c, k, v, w in zip(columns, checks, values, why)],
    })


def _fails(col: pd.Series, kind: str, messages: tuple[str, ...]) -> list[tuple[str, np.ndarray]] | None:
    """[(check, failing mask)] of one column in the schema's order, or None when its dtype is not the rule's."""
    if kind == "text":
        if not isinstance(col.dtype, pd.StringDtype):
            return None
        missing = col.isna().to_numpy()
        empty = (col.str.len() == 0).fillna(False).to_numpy(dtype=bool)
        return [("not_nullable", missing), (messages[0], empty & ~missing)]
    if kind == "time":
        if str(col.dtype) != TIMESTAMP_DTYPE:
            return None
        return [("not_nullable", col.isna().to_numpy())]
    if col.dtype != np.float64:
        return None
    v = col.to_numpy()
    missing = np.isnan(v)
    return [("not_nullable", missing), (messages[0], v < 0), (messages[1], ~missing & ~np.isfinite(v))]


def failures(df: pd.DataFrame, raw: dict[str, pd.Series], reasons: dict[str, dict], table: str) -> pd.DataFrame:
    """One (index, column, value, reason) per failing row: its first failure in the schema's column order.

    The rules of :data:`RULES` on whole columns; the same answer as :func:`failures_pandera`, which
    this calls when a column's dtype is not the one its rule expects (pandera then raises SchemaError).
    """
    first = np.zeros(len(df), dtype=bool)
    found: list[tuple[np.ndarray, str, str]] = []
    for column, kind, messages in RULES[table]:
        checks = _fails(df[column], kind, messages)
        if checks is None:
            return failures_pandera(df, raw, reasons, table)
        for check, mask in checks:
            hit = mask & ~first
            if hit.any():
                found.append((np.flatnonzero(hit), column, check))
                first |= hit
    if not found:
        return pd.DataFrame({"index": pd.Series(dtype="int64"), "column": [], "value": [], "reason": []})
    labels = df.index.to_numpy()
    index = np.concatenate([labels[pos] for pos, _, _ in found])
    columns = np.concatenate([np.full(len(pos), c, dtype=object) for pos, c, _ in found])
    checks = np.concatenate([np.full(len(pos), k, dtype=object) for pos, _, k in found])
    return _rows(df, index, columns, checks, raw, reasons)


def failures_pandera(df: pd.DataFrame, raw: dict[str, pd.Series], reasons: dict[str, dict], table: str
                     ) -> pd.DataFrame:
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
        return _rows(df, fc["index"].to_numpy(), fc["column"].to_numpy(), fc["check"].to_numpy(), raw, reasons)
    return pd.DataFrame({"index": pd.Series(dtype="int64"), "column": [], "value": [], "reason": []})
