"""Share logs and report keys shared by the tests/test_cascades_*.py modules."""

from __future__ import annotations

import pandas as pd

ACCOUNTED = ["missing_customer", "missing_timestamp", "missing_item_id", "self_shares", "repeated_shares",
             "receive_after_share", "redundant_exposures", "tree_edges"]
TREE_ACCOUNTED = ["missing_child", "self_loops", "duplicate_lines", "root_reparented", "extra_parents",
                  "cycle_lines", "tree_edges", "root_lines"]


def log(rows, item="x"):
    """A share log from (source, target, time) tuples; time in seconds."""
    src, tgt, ts = zip(*rows)
    df = pd.DataFrame({"source": list(src), "target": list(tgt),
                       "timestamp": pd.to_datetime(list(ts), unit="s", utc=True)})
    if item is not None:
        df["item_id"] = item
    return df


def parents(cascades, item=None):
    c = cascades if item is None else cascades[cascades["item_id"] == item]
    return {cu: (None if pd.isna(p) else p) for cu, p in zip(c["customer"], c["parent"])}
