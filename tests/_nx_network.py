"""The networkx-first build_network as it was before the compact network (issue 17), kept as the
reference the compact build is tested against and the baseline bench/bench_scale.py measures."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from netlib._api import to_utc as _utc
from netlib._util import provenance
from netlib.errors import DataError
from netlib.io import CustomerData
from netlib.network.ties import _check_finite  # unchanged helper


def _frames(data) -> tuple[pd.DataFrame, pd.DataFrame | None, str]:
    if isinstance(data, CustomerData):
        return data.interactions, data.customers, data.source
    if isinstance(data, pd.DataFrame):
        return data, None, "<DataFrame>"
    raise DataError(f"build_network expects CustomerData or an interactions DataFrame, got {type(data).__name__}")


def reference_build_network(data, *, kinds=None, start=None, end=None, self_loops: bool = False) -> nx.DiGraph:
    """build_network before issue 17: a pandas group-by, then one networkx edge (a dict of Timestamps) per tie."""
    inter, customers, source = _frames(data)
    missing = [c for c in ("source", "target", "timestamp") if c not in inter.columns]
    if missing:
        raise DataError(f"interactions: columns {missing} missing; found: {list(inter.columns)}")
    n_in = len(inter)
    if kinds is not None:
        if "kind" not in inter.columns:
            raise DataError(f"kinds={kinds!r} given but the interactions have no 'kind' column")
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        inter = inter[inter["kind"].isin(kinds)]
    if start is not None:
        inter = inter[inter["timestamp"] >= _utc(start)]
    if end is not None:
        inter = inter[inter["timestamp"] < _utc(end)]
    loops = inter["source"] == inter["target"]
    n_loops = int(loops.sum())
    if not self_loops:
        inter = inter[~loops]
    weight = inter["weight"] if "weight" in inter.columns else pd.Series(1.0, index=inter.index)

    G = nx.DiGraph()
    if customers is not None:
        attrs = [c for c in customers.columns if c != "customer_id"]
        records = customers[attrs].to_dict("records") if attrs else [{}] * len(customers)
        G.add_nodes_from(
            (cid, {k: v for k, v in rec.items() if not _isna(v)})
            for cid, rec in zip(customers["customer_id"].tolist(), records)
        )
    frame = pd.DataFrame({"source": inter["source"], "target": inter["target"], "w": weight.astype("float64"),
                          "ts": inter["timestamp"]})
    agg = frame.groupby(["source", "target"], sort=True).agg(
        weight=("w", "sum"), count=("w", "size"), first_ts=("ts", "min"), last_ts=("ts", "max"))
    _check_finite(agg["weight"].to_numpy(), agg.index, agg["count"].to_numpy())
    channels: dict[tuple[str, str], dict[str, int]] = {}
    if "channel" in inter.columns:
        per = (pd.DataFrame({"source": inter["source"], "target": inter["target"], "channel": inter["channel"]})
               .dropna().groupby(["source", "target", "channel"], sort=True).size())
        for (u, v, ch), c in per.items():
            channels.setdefault((u, v), {})[ch] = int(c)
    G.add_edges_from(
        (u, v, {"weight": float(w), "count": int(c), "first_ts": f, "last_ts": la, "channels": channels.get((u, v), {})})
        for (u, v), w, c, f, la in zip(agg.index, agg["weight"], agg["count"], agg["first_ts"], agg["last_ts"])
    )
    G.graph.update(
        name=f"customer network ({source})",
        source=source,
        interactions_used=int(len(frame)),
        interactions_filtered_out=int(n_in - len(inter) - (0 if self_loops else n_loops)),
        self_loops_dropped=0 if self_loops else n_loops,
        provenance=provenance("build_network", kinds=kinds, start=str(start) if start is not None else None,
                              end=str(end) if end is not None else None, self_loops=self_loops),
    )
    return G


def _isna(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False

