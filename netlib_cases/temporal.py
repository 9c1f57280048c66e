"""Case study 5, temporal messages: how far news reaches when paths must respect time."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from netlib._util import provenance

__all__ = ["reach_by_start"]


def reach_by_start(interactions: pd.DataFrame, sources: Sequence[Any], starts: Sequence[Any], *,
                   strict: bool = True) -> pd.DataFrame:
    """How many customers something said by each source at each start time could reach in time order.

    Parameters
    ----------
    interactions : DataFrame
        Columns ``source``, ``target``, ``timestamp``.
    sources : sequence of customer ids
    starts : sequence of timestamps
        Only messages at or after the start carry the news (see
        :func:`netlib.cascades.earliest_arrival`).
    strict : bool
        See :func:`netlib.cascades.earliest_arrival`.

    Returns
    -------
    pandas.DataFrame
        One row per (``source``, ``start``): ``reached`` (customers reached, the source excluded) and
        ``median_hops``.

    References
    ----------
    P. Holme, J. Saramäki, "Temporal networks", Physics Reports 519(3), 97-125 (2012).
    """
    from netlib.cascades import earliest_arrival

    rows = []
    for s in sources:
        for start in starts:
            ea = earliest_arrival(interactions, s, start=start, strict=strict)
            hops = ea["hops"].to_numpy()[ea["hops"].to_numpy() > 0]
            rows.append({"source": str(s), "start": start, "reached": len(hops),
                         "median_hops": float(np.median(hops)) if len(hops) else math.nan})
    out = pd.DataFrame(rows)
    out.attrs.update(provenance("casestudies.reach_by_start", strict=strict))
    return out
