"""Shared pieces of every figure: escaping, number formatting, the shared tail
(``title, template, width, height``), column checks, seeded layouts."""

from __future__ import annotations

import html
import math
import sys
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from netlib._api import require_columns as _require  # noqa: F401  (the plot modules import it from here)
from netlib.errors import ParameterError

__all__: list[str] = []

_EDGE_COLOUR = "rgba(120, 120, 120, 0.25)"
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
            "#bcbd22", "#7f7f7f", "#393b79", "#e7969c")
_MAX_LEGEND = 12


def _esc(value: Any) -> str:
    """Data text made safe for plotly's markup (which understands a few tags and entities)."""
    return html.escape(str(value), quote=False)


def _num(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    try:
        if pd.isna(value):
            return "–"
    except (TypeError, ValueError):
        pass
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return f"{v:,.0f}" if v.is_integer() and abs(v) < 1e15 else f"{v:.4g}"
    return _esc(value)


def _finish(fig: go.Figure, title, default_title: str, template, width, height, **layout) -> go.Figure:
    """Apply the shared tail, and name the drawing function in ``layout.meta["figure"]`` (static
    exports use it to name files)."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_name.startswith("_"):
        frame = frame.f_back
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    meta["figure"] = frame.f_code.co_name if frame is not None else "figure"
    fig.update_layout(title={"text": default_title if title is None else _esc(title)}, meta=meta, **layout)
    if template is not None:
        fig.update_layout(template=template)
    if width is not None:
        fig.update_layout(width=width)
    if height is not None:
        fig.update_layout(height=height)
    return fig


def _empty(message: str, title, template, width, height) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=_esc(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _finish(fig, title, _esc(message), template, width, height)


def _as_series(values, name: str) -> pd.Series | None:
    if values is None:
        return None
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise ParameterError(f"{name}: pass a Series or a one-column DataFrame; got columns {list(values.columns)}")
        values = values.iloc[:, 0]
    if isinstance(values, Mapping):
        values = pd.Series(values)
    if not isinstance(values, pd.Series):
        raise ParameterError(f"{name} must be a pandas Series indexed by customer id (or a dict); "
                             f"got {type(values).__name__}")
    return values


def _degrees(G) -> pd.Series:
    """Ties per customer, in + out for a directed graph (as networkx's ``G.degree()``), for a networkx
    graph or a :class:`netlib.CustomerNetwork` (read from its arrays)."""
    from netlib._csr import _compact

    if _compact(G):
        return pd.Series(G.out_degree + G.in_degree, index=G.ids, dtype="int64")
    return pd.Series(dict(G.degree()), dtype="int64")


def _subgraph(G, nodes=None) -> nx.Graph:
    """The network among ``nodes`` (None: all of it) as networkx: ``G`` itself or its subgraph view, or
    for a :class:`netlib.CustomerNetwork` a DiGraph of those customers and the ties among them (weight,
    count, first and last time; the whole network is :meth:`~netlib.CustomerNetwork.to_networkx`)."""
    from netlib._csr import _compact

    if not _compact(G):
        return G if nodes is None else G.subgraph(nodes)
    if nodes is None:
        return G.to_networkx()
    pos = np.unique(G.ids.get_indexer(pd.Index(list(nodes), dtype=G.ids.dtype)))
    pos = pos[pos >= 0]
    keep = np.zeros(G.n, dtype=bool)
    keep[pos] = True
    ties = np.flatnonzero(keep[G.source] & keep[G.indices])
    H = nx.DiGraph()
    H.add_nodes_from(G.ids[pos])
    times = [pd.DatetimeIndex(ns[ties].view("datetime64[ns]")).tz_localize("UTC") for ns in (G.first_ns, G.last_ns)]
    H.add_edges_from((u, v, {"weight": w, "count": c, "first_ts": f, "last_ts": la})
                     for u, v, w, c, f, la in zip(G.ids[G.source[ties]], G.ids[G.indices[ties]],
                                                  G.weight[ties].tolist(), G.count[ties].tolist(), *times))
    H.graph.update(G.graph)
    return H


def _neighbours(G, v) -> list:
    """Customers tied to ``v`` either way (a networkx graph or a :class:`netlib.CustomerNetwork`)."""
    from netlib._csr import _compact

    if not _compact(G):
        U = G.to_undirected(as_view=True) if G.is_directed() else G
        return list(U[v])
    i = G.index[v]
    out = G.indices[G.indptr[i]:G.indptr[i + 1]]
    return G.ids[np.union1d(out, G.source[G.indices == i])].tolist()


def _layout(G: nx.Graph, seed: int, weight: str | None = None, niter: int = 500) -> dict:
    """Seeded positions, nodes in sorted order; igraph draws with a private RNG (global state untouched).

    Up to 300 customers with ties: Fruchterman–Reingold (1991, Softw. Pract. Exp. 21(11)); more:
    DrL (Martin, Brown, Klavans & Boyack 2011, Proc. SPIE 7868), which keeps communities apart.
    Customers without ties are set in a grid under the drawing instead of being flung to its edges.
    """
    import igraph as ig

    from netlib._util import igraph_rng

    nodes = sorted(G.nodes(), key=str)
    linked = [v for v in nodes if any(u != v for u in G[v])] if not G.is_directed() else \
        [v for v in nodes if any(u != v for u in G.successors(v)) or any(u != v for u in G.predecessors(v))]
    alone = [v for v in nodes if v not in set(linked)]
    pos: dict = {}
    if len(linked) == 1:
        pos[linked[0]] = (0.0, 0.0)
    elif linked:
        idx = {v: i for i, v in enumerate(linked)}
        pairs = {}
        for u, v, d in G.edges(data=True):
            if u != v:
                key = (min(idx[u], idx[v]), max(idx[u], idx[v]))
                pairs[key] = pairs.get(key, 0.0) + float(d.get(weight, 1.0)) if weight else 1.0
        keys = sorted(pairs)  # independent of the graph's edge insertion order
        g = ig.Graph(n=len(linked), edges=keys, directed=False)
        w = np.array([pairs[key] for key in keys], dtype=float)
        weights = (w / w.max()).tolist() if weight and len(w) and w.max() > 0 else None
        with igraph_rng(int(seed)):
            if len(linked) <= 300:
                lay = g.layout_fruchterman_reingold(niter=niter, weights=weights)
            else:
                lay = g.layout_drl(weights=weights)
        coords = np.asarray(lay.coords, dtype=float)
        pos.update({v: (float(coords[i, 0]), float(coords[i, 1])) for i, v in enumerate(linked)})
    if alone:
        if pos:
            xy = np.array(list(pos.values()))
            x0, x1, y0, y1 = xy[:, 0].min(), xy[:, 0].max(), xy[:, 1].min(), xy[:, 1].max()
        else:
            x0, x1, y0, y1 = 0.0, 1.0, 0.0, 0.0
        span = max(x1 - x0, y1 - y0, 1.0)
        ncol = max(1, math.ceil(math.sqrt(len(alone)) * 3))
        step = span / max(ncol - 1, 1)
        for i, v in enumerate(alone):
            r, c = divmod(i, ncol)
            pos[v] = (float(x0 + c * step), float(y0 - 0.08 * span - r * step))
    return pos


def _edge_xy(edges: Iterable[tuple[Any, Any]], pos: dict) -> tuple[list, list]:
    xs: list = []
    ys: list = []
    for u, v in edges:
        if u == v:
            continue
        xs += [pos[u][0], pos[v][0], None]
        ys += [pos[u][1], pos[v][1], None]
    return xs, ys


def _hide_axes(fig: go.Figure) -> None:
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)

