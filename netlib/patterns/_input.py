"""Input handling shared by the patterns modules: the events of a CustomerData, share columns, numeric
columns by customer. Tables, ids and times go through :mod:`netlib._api`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from netlib._api import as_table, ids_as_str
from netlib.errors import ParameterError
from netlib.patterns.taxonomy import BEHAVIOURS

__all__ = []


def _unpack_data(events) -> tuple[pd.DataFrame, pd.Series | None]:
    """Events DataFrame and (if given a CustomerData) the customer ids."""
    frame = as_table(events, "events", what="behaviour profiles")
    customers = None
    table = None if isinstance(events, pd.DataFrame) else getattr(events, "customers", None)
    if isinstance(table, pd.DataFrame) and "customer_id" in table.columns:
        customers = table["customer_id"]
    return frame, customers


def _share_matrix(profiles: pd.DataFrame, what: str) -> pd.DataFrame:
    if not isinstance(profiles, pd.DataFrame):
        raise ParameterError(f"{what}: profiles must be the DataFrame from pattern_profiles; "
                             f"got {type(profiles).__name__}")
    missing = [b for b in BEHAVIOURS if b not in profiles.columns]
    if missing:
        raise ParameterError(f"{what}: profiles lack the share column(s) {missing}; pass the DataFrame "
                             f"returned by pattern_profiles (found: {list(profiles.columns)[:12]})")
    return profiles[list(BEHAVIOURS)].astype(np.float64)



def _numeric_by_customer(frame, name: str) -> tuple[pd.DataFrame, list]:
    """A copy of ``frame`` with string customer ids, and its numeric (non-boolean) columns."""
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"{name} must be a DataFrame indexed by customer id; got {type(frame).__name__}")
    out = frame.copy()
    out.index = ids_as_str(out.index)
    numeric = [c for c in out.columns if pd.api.types.is_numeric_dtype(out[c])
               and not pd.api.types.is_bool_dtype(out[c])]
    if not numeric:
        raise ParameterError(f"{name} has no numeric column; found {list(out.columns)}")
    return out, numeric
