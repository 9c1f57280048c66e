"""Small vectorised numpy helpers of the generator: labels, sampling, sorted-set operations."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

__all__: list[str] = []


def _labels(prefix: str, n: int) -> pa.Array:
    """``prefix`` + zero-padded numbers 0..n-1 (at least four digits) as a pyarrow string array."""
    width = max(4, len(str(max(n - 1, 0))))
    digits = np.strings.zfill(np.arange(n).astype(str), width) if n else np.array([], dtype=str)
    return pa.array(np.strings.add(prefix, digits) if n else [], type=pa.string())


def _take(labels: pa.Array | Sequence[str], codes: np.ndarray) -> pd.Series:
    """A pandas ``str`` column ``labels[codes]``; negative codes become missing."""
    if not isinstance(labels, pa.Array):
        labels = pa.array(list(labels), type=pa.string())
    codes = np.asarray(codes, dtype=np.int64)
    missing = codes < 0
    idx = pa.array(codes, mask=missing) if missing.any() else pa.array(codes)
    return pd.Series(labels.take(idx), dtype="str")


def _times(start_ns: int, seconds: np.ndarray) -> pd.Series:
    """Whole seconds after ``start`` as ``datetime64[ns, UTC]``."""
    ns = start_ns + np.asarray(seconds, dtype=np.int64) * 1_000_000_000
    return pd.Series(ns.view("datetime64[ns]")).dt.tz_localize("UTC")


def _segments(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups of the given sizes laid end to end: (group of each slot, rank within group)."""
    total = int(counts.sum())
    group = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return group, np.arange(total) - np.repeat(starts, counts)


def _unique(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sort-based; ``np.unique`` on int64 is far slower in numpy 2.4)."""
    s = np.sort(x)
    return s[np.r_[True, s[1:] != s[:-1]]] if len(s) else s


def _firsts(key: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of each distinct value of ``key``."""
    order = np.argsort(key, kind="stable")
    s = key[order]
    return order[np.r_[True, s[1:] != s[:-1]]] if len(s) else order


def _member(x: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """``x in ref`` elementwise, for a sorted ``ref``."""
    if not len(ref):
        return np.zeros(len(x), dtype=bool)
    return ref[np.minimum(np.searchsorted(ref, x), len(ref) - 1)] == x


def _weighted_pick(rng: np.random.Generator, cum: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per query, an index in ``[lo, hi)`` drawn in proportion to the weights whose cumsum is ``cum``.

    ``cum`` is the inclusive cumulative sum of non-negative weights; each range must have weight > 0.
    """
    base = np.where(lo > 0, cum[np.maximum(lo - 1, 0)], 0.0)
    x = base + rng.random(len(lo)) * (cum[hi - 1] - base)
    return np.clip(np.searchsorted(cum, x, side="right"), lo, hi - 1)


def _pareto(rng: np.random.Generator, size: int, alpha: float) -> np.ndarray:
    """Pareto variates with scale 1 and tail exponent ``alpha``."""
    return (1.0 - rng.random(size)) ** (-1.0 / alpha)

