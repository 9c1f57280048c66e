"""Parent-pointer forests as arrays, and the input checks the cascade functions share. Private.

A cascade table becomes a forest of int arrays: ``parent[i]`` (-1 at a root), roots and depths by
pointer doubling (:func:`_climb`), ancestors by binary lifting (:func:`_lift`), subtree sizes in
linear time (compiled, ``netlib._kernels.subtree_sizes``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from netlib._util import lazy_module
from netlib.errors import ParameterError, SchemaError

K = lazy_module("netlib._kernels")

__all__ = ["_as_ids", "_climb", "_first_in_group", "_interactions_table", "_lift", "_lookup", "_subtree_sizes"]


def _as_ids(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Ids as strings plus a mask of missing ones (NA or blank)."""
    missing = col.isna().to_numpy().copy()
    text = col.astype("str")
    missing |= (text.str.strip() == "").to_numpy(dtype=bool, na_value=True)
    return text, missing


def _interactions_table(interactions) -> pd.DataFrame:
    """The interactions DataFrame from a DataFrame or a CustomerData."""
    table = getattr(interactions, "interactions", interactions)
    if not isinstance(table, pd.DataFrame):
        raise ParameterError("interactions must be a DataFrame (source, target, timestamp[, item_id, weight]) "
                             f"or a CustomerData; got {type(interactions).__name__}")
    missing = [c for c in ("source", "target", "timestamp") if c not in table.columns]
    if missing:
        raise SchemaError(f"interactions: column {missing[0]!r} is missing; found: {list(map(str, table.columns))}",
                          table="interactions", column=missing[0])
    return table


def _first_in_group(sorted_keys: np.ndarray) -> np.ndarray:
    """Boolean mask: the first element of each run of equal keys."""
    if len(sorted_keys) == 0:
        return np.zeros(0, dtype=bool)
    return np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]


def _lookup(keys: np.ndarray, values: np.ndarray, queries: np.ndarray, *, missing: int) -> np.ndarray:
    """``values[keys == q]`` for each query (keys sorted and unique), ``missing`` where absent."""
    if len(keys) == 0:
        return np.full(len(queries), missing, dtype=np.int64)
    j = np.searchsorted(keys, queries)
    jc = np.minimum(j, len(keys) - 1)
    found = keys[jc] == queries
    return np.where(found, values[jc], missing).astype(np.int64)


def _climb(parent: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], np.ndarray]:
    """Roots and depths of a parent-pointer forest by pointer doubling, O(n log depth).

    Returns ``(root, depth, tables, stuck)`` where ``tables[k]`` holds each node's 2**k-th ancestor
    (clamped at the root) and ``stuck`` marks nodes whose chain of parents never reaches a root
    (they are on a cycle or lead into one); their root and depth are meaningless.
    """
    n = len(parent)
    idx = np.arange(n, dtype=np.int64)
    up = np.where(parent >= 0, parent, idx)
    steps = (parent >= 0).astype(np.int64)
    tables = [up]
    for _ in range(math.ceil(math.log2(n + 1)) + 2):
        nxt = up[up]
        if np.array_equal(nxt, up):
            break
        steps = steps + steps[up]
        up = nxt
        tables.append(up)
    stuck = parent[up] >= 0 if n else np.zeros(0, dtype=bool)
    return up, steps, tables, stuck


def _lift(node: np.ndarray, dist: np.ndarray, tables: list[np.ndarray]) -> np.ndarray:
    """The ancestor ``dist`` steps above each ``node`` (binary lifting on :func:`_climb` tables)."""
    node = node.copy()
    for b, table in enumerate(tables):
        sel = ((dist >> b) & 1).astype(bool)
        if sel.any():
            node[sel] = table[node[sel]]
    return node


def _subtree_sizes(parent: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """Number of nodes in each node's subtree (itself included), in O(n) after a sort by depth."""
    if len(parent) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(-depth, kind="stable")
    return K.subtree_sizes(parent.astype(np.int64), order.astype(np.int64))
