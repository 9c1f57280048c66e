"""Figures: plotly drawings of netlib results.

Every function takes a result (a DataFrame, Series or graph netlib made) plus column names, returns a
``plotly.graph_objects.Figure`` and ends with the same keywords: ``title=None, template=None,
width=None, height=None``. None of them computes an analysis, calls ``show()`` or writes a file: the
notebook or the report decides what to do with the figure.

Text that comes from data (customer ids, community labels, item ids, event types) is escaped for
plotly's text markup, so ``<b>`` in a name shows as ``<b>`` and ``<script>`` never becomes markup.

Big graphs: :func:`network_map` draws WebGL traces (``Scattergl``) above :data:`WEBGL_NODES` customers;
above :data:`MAX_MAP_NODES` it draws the top customers by influence with their direct neighbours
instead of a hairball and says so in the title (:func:`community_meta_graph` draws the whole network
one node per community).
"""

from __future__ import annotations

import html
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from netlib.errors import ParameterError

__all__ = [
    "BEHAVIOURS",
    "MAX_MAP_NODES",
    "WEBGL_NODES",
    "adoption_curves",
    "behaviour_heatmap",
    "behaviour_ladder",
    "cascade_tree",
    "coassignment",
    "community_meta_graph",
    "community_sizes",
    "degree_distribution",
    "influencer_bars",
    "network_map",
    "reach_curves",
    "resolution_sweep",
    "rogers_radar",
    "virality_scatter",
]

#: Above this many drawn customers, :func:`network_map` switches to WebGL traces.
WEBGL_NODES = 3000
#: Above this many customers, :func:`network_map` draws the top customers and their neighbours only.
MAX_MAP_NODES = 5000
#: Rogers' five customer-network behaviours, in ladder order.
BEHAVIOURS: tuple[str, ...] = ("access", "engage", "customize", "connect", "collaborate")

_EDGE_COLOUR = "rgba(120, 120, 120, 0.25)"
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
            "#bcbd22", "#7f7f7f", "#393b79", "#e7969c")
_MAX_LEGEND = 12


# --------------------------------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------------------------------


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


def _require(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ParameterError(f"{what}: column(s) {missing} missing; found: {list(df.columns)}")


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


# --------------------------------------------------------------------------------------------------
# network
# --------------------------------------------------------------------------------------------------


def network_map(G: nx.Graph, *, communities=None, size=None, size_label: str | None = None,
                hover: pd.DataFrame | None = None, seed: int = 0, max_nodes: int = MAX_MAP_NODES,
                top: int = 25, title: str | None = None, template=None, width=None, height=None) -> go.Figure:
    """The customer network: a seeded layout, coloured by community, sized by influence.

    Parameters
    ----------
    G : networkx graph
        From :func:`netlib.build_network` (directed or not; drawn without arrows).
    communities : Series, optional
        Community id per customer (:func:`netlib.communities`). The twelve largest get their own
        colour and legend entry; smaller ones are drawn together as "other communities".
    size : Series, optional
        Influence score per customer (a PageRank column, an influencer score, ...): marker area grows
        with it, and it picks the top customers of a summary map. Default: total degree.
    size_label : str, optional
        What ``size`` measures, for the hover text (default: the Series name).
    hover : DataFrame, optional
        More columns to show on hover, indexed by customer id (e.g. a few centrality columns).
    seed : int
        Seed of the layout: the same call draws the same picture.
    max_nodes : int
        Networks with more customers than this are summarised: the ``top`` customers by ``size`` and
        their direct neighbours (up to ``max_nodes`` customers in all), and the title says so.
    top : int
        How many top customers anchor a summary map.

    Returns
    -------
    plotly.graph_objects.Figure
        One edge trace (light lines), then one marker trace per community. ``layout.meta`` holds
        ``drawn`` and ``total`` customer counts and ``summary`` (True when summarised). Traces are
        ``Scattergl`` above :data:`WEBGL_NODES` drawn customers.
    """
    n = G.number_of_nodes()
    if n == 0:
        return _empty("The network has no customers", title, template, width, height)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ParameterError(f"seed must be an int (it seeds the layout); got {seed!r}")
    if max_nodes < 1 or top < 1:
        raise ParameterError(f"max_nodes and top must be >= 1; got max_nodes={max_nodes}, top={top}")
    comm = _as_series(communities, "communities")
    score = _as_series(size, "size")
    if score is None:
        score = pd.Series(dict(G.degree()), dtype="float64", name="degree")
    label = size_label or (str(score.name) if score.name is not None else "influence")
    score = score.reindex(list(G.nodes())).astype("float64")

    summary = n > max_nodes
    if summary:
        ranked = score.fillna(-np.inf).sort_values(ascending=False, kind="stable")
        anchors = list(ranked.index[:top])
        keep: dict[Any, None] = dict.fromkeys(anchors)
        U = G.to_undirected(as_view=True) if G.is_directed() else G
        for a in anchors:
            nbrs = sorted(U[a], key=lambda v: (-(score.get(v) if pd.notna(score.get(v)) else -np.inf), str(v)))
            for v in nbrs:
                if len(keep) >= max_nodes:
                    break
                keep.setdefault(v, None)
        H = G.subgraph(list(keep))
        default_title = (f"Summary map: top {len(anchors):,} customers by {_esc(label)} and their "
                         f"neighbours ({H.number_of_nodes():,} of {n:,} customers)")
    else:
        H = G
        default_title = f"Customer network: {n:,} customers, {G.number_of_edges():,} ties"
    pos = _layout(H, seed)
    drawn = H.number_of_nodes()
    scatter = go.Scattergl if drawn > WEBGL_NODES else go.Scatter

    fig = go.Figure()
    ex, ey = _edge_xy(H.edges(), pos)
    faint = "rgba(120, 120, 120, 0.12)" if H.number_of_edges() > 2000 else _EDGE_COLOUR
    fig.add_trace(scatter(x=ex, y=ey, mode="lines", line={"color": faint, "width": 0.6},
                          hoverinfo="skip", showlegend=False, name="ties"))

    nodes = sorted(H.nodes(), key=str)
    s = score.reindex(nodes)
    smax = float(np.nanmax(s.to_numpy())) if s.notna().any() else 0.0
    sizes = 3.0 + 15.0 * np.sqrt(np.clip(s.fillna(0).to_numpy(), 0, None) / smax) if smax > 0 else np.full(len(nodes), 7.0)
    extra = hover.reindex(nodes) if hover is not None else None
    texts = []
    for i, v in enumerate(nodes):
        lines = [f"<b>{_esc(v)}</b>"]
        if comm is not None:
            lines.append(f"community: {_num(comm.get(v))}")
        lines.append(f"{_esc(label)}: {_num(s.iloc[i])}")
        lines.append(f"ties: {H.degree(v):,}" + (f" (of {G.degree(v):,})" if summary else ""))
        if extra is not None:
            lines += [f"{_esc(c)}: {_num(extra.iloc[i][c])}" for c in extra.columns]
        texts.append("<br>".join(lines))
    texts_a = np.array(texts, dtype=object)
    xs = np.array([pos[v][0] for v in nodes])
    ys = np.array([pos[v][1] for v in nodes])

    if comm is None:
        groups = [("customers", np.ones(len(nodes), dtype=bool), _PALETTE[0])]
    else:
        # colours follow the whole partition (largest communities first), so every map of it agrees
        c_of = comm.reindex(nodes)
        whole = comm.value_counts(dropna=True)
        order = sorted(whole.index, key=lambda c: (-whole[c], str(c)))
        counts = c_of.value_counts(dropna=True)
        groups = []
        for j, c in enumerate(order[:_MAX_LEGEND]):
            if counts.get(c, 0):
                groups.append((f"community {_esc(c)} ({counts[c]:,})", (c_of == c).to_numpy(), _PALETTE[j % len(_PALETTE)]))
        rest = ~c_of.isin(order[:_MAX_LEGEND]).to_numpy()
        if rest.any():  # drawn first, under the named communities
            groups.insert(0, (f"other communities ({int(rest.sum()):,})", rest, "#c7c7c7"))
    if summary:
        is_anchor = np.array([v in set(anchors) for v in nodes])
    for name, mask, colour in groups:
        if not mask.any():
            continue
        line = {"width": 0.5, "color": "white"}
        if summary:
            line = {"width": np.where(is_anchor[mask], 2.0, 0.5).tolist(),
                    "color": np.where(is_anchor[mask], "black", "white").tolist()}
        fig.add_trace(scatter(x=xs[mask], y=ys[mask], mode="markers", name=name,
                              marker={"size": sizes[mask], "color": colour, "line": line, "opacity": 0.9},
                              text=texts_a[mask].tolist(), hoverinfo="text"))
    _hide_axes(fig)
    fig.update_layout(meta={"drawn": drawn, "total": n, "summary": summary}, hovermode="closest",
                      legend={"itemsizing": "constant"}, plot_bgcolor="white")
    return _finish(fig, title, default_title, template, width, height)


def degree_distribution(data, *, column: str = "degree", ccdf: bool = False, title: str | None = None,
                        template=None, width=None, height=None) -> go.Figure:
    """Degree distribution on log–log axes: the share of customers with each degree (or at least it).

    Parameters
    ----------
    data : networkx graph, Series or DataFrame
        A graph (total degree, in + out for directed graphs), degrees per customer, or a table with
        ``column`` (e.g. :func:`netlib.centrality` output).
    column : str
        Column of a DataFrame to use; also names the axis (``"in_degree"``, ``"out_degree"``, ...).
    ccdf : bool
        Plot P(K ≥ k) instead of P(K = k); heavy tails read as straight lines either way.

    Returns
    -------
    plotly.graph_objects.Figure
        One marker trace; customers with degree 0 cannot sit on a log axis and are counted in the
        title instead.
    """
    if isinstance(data, nx.Graph):
        deg = pd.Series(dict(data.degree()), dtype="float64")
    elif isinstance(data, pd.DataFrame):
        _require(data, [column], "degree_distribution")
        deg = data[column].astype("float64")
    elif isinstance(data, pd.Series):
        deg = data.astype("float64")
    else:
        raise ParameterError(f"degree_distribution takes a graph, Series or DataFrame; got {type(data).__name__}")
    deg = deg.dropna()
    n = len(deg)
    if n == 0:
        return _empty("No customers", title, template, width, height)
    zeros = int((deg <= 0).sum())
    counts = deg[deg > 0].value_counts().sort_index()
    k = counts.index.to_numpy(dtype=float)
    if ccdf:
        y = counts[::-1].cumsum()[::-1].to_numpy() / n
        ylabel = "share of customers with degree ≥ k"
    else:
        y = counts.to_numpy() / n
        ylabel = "share of customers with degree k"
    text = [f"{_esc(column)} {_num(kk)}: {int(c):,} customers" for kk, c in zip(k, counts.to_numpy())]
    fig = go.Figure(go.Scatter(x=k, y=y, mode="markers", name=_esc(column), text=text,
                               hovertemplate="%{text}<br>share %{y:.3g}<extra></extra>"))
    fig.update_xaxes(type="log", title=_esc(column.replace("_", " ")) + " k")
    fig.update_yaxes(type="log", title=ylabel)
    zero_note = f"; {zeros:,} with degree 0 not shown" if zeros else ""
    return _finish(fig, title, f"Degree distribution ({n:,} customers{zero_note})", template, width, height)


def influencer_bars(df: pd.DataFrame, *, score: str | None = None, k: int = 20,
                    evidence: Sequence[str] | None = None, title: str | None = None, template=None,
                    width=None, height=None) -> go.Figure:
    """The top customers by a score as horizontal bars, largest on top, with the evidence on hover.

    Parameters
    ----------
    df : DataFrame
        Indexed by customer id: an influencer ranking, :func:`netlib.centrality` output or
        :func:`netlib.cascade_influencers` output.
    score : str, optional
        Column to rank and draw; default ``"score"`` when present, else the first numeric column.
    k : int
        How many customers to draw.
    evidence : list of str, optional
        Columns shown on hover (default: every other numeric column, at most eight, and the ``why``
        column of :func:`netlib.influencers` when present).
    """
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"influencer_bars takes a DataFrame indexed by customer id; got {type(df).__name__}")
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]
    if score is None:
        if "score" in df.columns:
            score = "score"
        elif numeric:
            score = numeric[0]
        else:
            raise ParameterError(f"influencer_bars: no numeric column to rank by; found {list(df.columns)}")
    _require(df, [score], "influencer_bars")
    if k < 1:
        raise ParameterError(f"k must be >= 1; got {k}")
    if evidence is None:
        evidence = [c for c in numeric if c != score and c != "rank"][:8]
        if "why" in df.columns:
            evidence.append("why")
    else:
        _require(df, evidence, "influencer_bars")
    top = df.sort_values(score, ascending=False, kind="stable").head(k)
    labels = [_esc(v) for v in top.index]
    text = []
    for cid, row in top.iterrows():
        lines = [f"<b>{_esc(cid)}</b>", f"{_esc(score)}: {_num(row[score])}"]
        lines += [f"{_esc(c)}: {_num(row[c])}" for c in evidence]
        text.append("<br>".join(lines))
    fig = go.Figure(go.Bar(x=top[score].astype("float64"), y=labels, orientation="h", name=_esc(score),
                           hovertext=text, hoverinfo="text", marker={"color": _PALETTE[0]}))
    fig.update_yaxes(autorange="reversed", title="customer", type="category")
    fig.update_xaxes(title=_esc(score.replace("_", " ")))
    return _finish(fig, title, f"Top {len(top):,} customers by {_esc(score.replace('_', ' '))}", template,
                   width, height or max(320, 26 * len(top) + 120))


# --------------------------------------------------------------------------------------------------
# communities
# --------------------------------------------------------------------------------------------------


def community_sizes(data, *, top: int = 40, title: str | None = None, template=None, width=None,
                    height=None) -> go.Figure:
    """Bars of community sizes, largest first.

    Parameters
    ----------
    data : Series or DataFrame
        A partition (community per customer, :func:`netlib.communities`) or a per-community table
        with a ``size`` column (:func:`netlib.community.community_profiles`).
    top : int
        Draw the ``top`` largest; the rest are summed in the title.
    """
    if isinstance(data, pd.DataFrame):
        _require(data, ["size"], "community_sizes")
        sizes = data["size"].astype("int64")
    else:
        part = _as_series(data, "data")
        sizes = part.value_counts()
    if len(sizes) == 0:
        return _empty("No communities", title, template, width, height)
    sizes = sizes.sort_values(ascending=False, kind="stable")
    shown = sizes.head(top)
    n_total = int(sizes.sum())
    singletons = int((sizes == 1).sum())
    labels = [_esc(c) for c in shown.index]
    text = [f"community {_esc(c)}: {int(s):,} customers ({s / n_total:.1%})" for c, s in shown.items()]
    fig = go.Figure(go.Bar(x=labels, y=shown.to_numpy(), hovertext=text, hoverinfo="text", name="size",
                           marker={"color": [_PALETTE[i % len(_PALETTE)] if i < _MAX_LEGEND else "#c7c7c7"
                                             for i in range(len(shown))]}))
    fig.update_xaxes(title="community", type="category")
    fig.update_yaxes(title="customers")
    rest = len(sizes) - len(shown)
    note = f"; {rest:,} smaller not shown" if rest else ""
    single = f"; {singletons:,} of one customer" if singletons else ""
    return _finish(fig, title, f"{len(sizes):,} communities of {n_total:,} customers{single}{note}", template,
                   width, height)


def community_meta_graph(H: nx.Graph, *, seed: int = 0, top: int | None = 60, min_size: int = 2,
                         title: str | None = None,
                         template=None, width=None, height=None) -> go.Figure:
    """The community meta-graph: one node per community (area by size), ties between them as lines.

    Parameters
    ----------
    H : networkx.Graph
        From :func:`netlib.community.community_graph` (node attribute ``size``; edge ``weight``, ``ties``).
    seed : int
        Seed of the (weighted) layout.
    top : int or None
        Draw only the ``top`` largest communities (None: all).
    min_size : int
        Leave out communities smaller than this (by default the customers without ties, each a
        community of one); the title counts what was left out.

    Returns
    -------
    plotly.graph_objects.Figure
        Edge traces binned by weight (wider = more tie weight), an invisible trace carrying each link's
        hover text, and one marker trace of communities.
    """
    if H.number_of_nodes() == 0:
        return _empty("No communities", title, template, width, height)
    sizes = pd.Series({c: int(d.get("size", 1)) for c, d in H.nodes(data=True)})
    big = sizes[sizes >= min_size].sort_values(ascending=False, kind="stable")
    keep = list(big.index[:top]) if top else list(big.index)
    if not keep:
        return _empty(f"No community of {min_size} or more customers", title, template, width, height)
    S = H.subgraph(keep)
    pos = _layout(S, seed, weight="weight")
    fig = go.Figure()
    edges = [(u, v, float(d.get("weight", 1.0)), int(d.get("ties", 0))) for u, v, d in S.edges(data=True) if u != v]
    if edges:
        w = np.array([e[2] for e in edges])
        bins = np.quantile(w, [0.5, 0.8, 0.95]) if len(w) > 3 else np.array([w.max() + 1] * 3)
        level = np.searchsorted(bins, w, side="right")
        for lv, width_px in enumerate((0.6, 1.5, 3.0, 5.0)):
            chosen = [(u, v) for (u, v, _, _), l in zip(edges, level) if l == lv]
            if chosen:
                ex, ey = _edge_xy(chosen, pos)
                fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", hoverinfo="skip", showlegend=False,
                                         line={"color": "rgba(90, 90, 90, 0.35)", "width": width_px},
                                         name=f"links {lv}"))
        fig.add_trace(go.Scatter(
            x=[(pos[u][0] + pos[v][0]) / 2 for u, v, _, _ in edges],
            y=[(pos[u][1] + pos[v][1]) / 2 for u, v, _, _ in edges], mode="markers",
            marker={"size": 6, "opacity": 0}, showlegend=False, name="links", hoverinfo="text",
            hovertext=[f"communities {_esc(u)} – {_esc(v)}: {t:,} ties, weight {_num(wt)}" for u, v, wt, t in edges]))
    nodes = list(S.nodes())
    # same colours as network_map: the twelve largest communities of the partition, in size order
    rank = {c: i for i, c in enumerate(sorted(sizes.index, key=lambda c: (-sizes[c], str(c))))}
    sz = np.array([sizes[c] for c in nodes], dtype=float)
    biggest = max(14.0, min(50.0, 240.0 / math.sqrt(len(nodes))))  # crowded drawings get smaller markers
    text = []
    for c in nodes:
        d = S.nodes[c]
        text.append(f"<b>community {_esc(c)}</b><br>{int(d.get('size', 1)):,} customers"
                    f"<br>internal ties: {_num(d.get('internal_ties'))}<br>links to {S.degree(c):,} communities")
    fig.add_trace(go.Scatter(
        x=[pos[c][0] for c in nodes], y=[pos[c][1] for c in nodes], mode="markers+text", name="communities",
        text=[_esc(c) for c in nodes], textposition="middle center", hovertext=text, hoverinfo="text",
        marker={"size": 6 + (biggest - 6) * np.sqrt(sz / sz.max()),
                "color": [_PALETTE[rank[c]] if rank[c] < _MAX_LEGEND else "#c7c7c7" for c in nodes],
                "line": {"width": 1, "color": "white"}, "opacity": 0.85}))
    _hide_axes(fig)
    fig.update_layout(meta={"communities": H.number_of_nodes(), "drawn": len(nodes)}, plot_bgcolor="white",
                      showlegend=False)
    note = f" ({len(nodes)} of {H.number_of_nodes():,} communities drawn)" if len(nodes) < H.number_of_nodes() else ""
    return _finish(fig, title, f"How communities connect{note}", template, width, height)


def resolution_sweep(df: pd.DataFrame, *, title: str | None = None, template=None, width=None,
                     height=None) -> go.Figure:
    """Number of communities and modularity across resolutions (:func:`netlib.community.resolution_sweep`).

    Left axis: ``n_communities``; right axis: ``modularity`` (at γ = 1) and ``nmi_previous`` (agreement
    with the next lower resolution) when present.
    """
    from plotly.subplots import make_subplots

    table = df.reset_index() if "resolution" not in df.columns else df
    _require(table, ["resolution", "n_communities"], "resolution_sweep")
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(x=table["resolution"], y=table["n_communities"], mode="lines+markers",
                             name="communities", line={"color": _PALETTE[0]}), secondary_y=False)
    for col, colour, label in (("modularity", _PALETTE[1], "modularity (γ = 1)"),
                               ("nmi_previous", _PALETTE[2], "NMI with previous")):
        if col in table.columns:
            fig.add_trace(go.Scatter(x=table["resolution"], y=table[col], mode="lines+markers", name=label,
                                     line={"color": colour, "dash": "dot" if col == "nmi_previous" else None}),
                          secondary_y=True)
    r = table["resolution"].astype(float)
    if len(r) and r.min() > 0 and r.max() / r.min() >= 20:
        fig.update_xaxes(type="log")
    fig.update_xaxes(title="resolution γ")
    fig.update_yaxes(title="communities", secondary_y=False)
    fig.update_yaxes(title="modularity / NMI", range=[0, 1.02], secondary_y=True)
    return _finish(fig, title, "Resolution sweep", template, width, height)


def coassignment(matrix: pd.DataFrame, *, partition=None, title: str | None = None, template=None,
                 width=None, height=None) -> go.Figure:
    """Co-assignment heatmap: the share of runs that put each pair of customers in one community.

    Parameters
    ----------
    matrix : DataFrame
        Square, indexed both ways by customer id (:meth:`netlib.community.StabilityResult.coassignment`).
    partition : Series, optional
        Reference community per customer; rows and columns are grouped by it so blocks show.
    """
    if not isinstance(matrix, pd.DataFrame) or list(matrix.index) != list(matrix.columns):
        raise ParameterError("coassignment takes a square DataFrame with the same customers as index and columns")
    order = list(matrix.index)
    part = _as_series(partition, "partition")
    if part is not None:
        order = sorted(order, key=lambda c: (str(part.get(c)), str(c)))
    m = matrix.loc[order, order]
    labels = [_esc(c) for c in order]
    fig = go.Figure(go.Heatmap(z=m.to_numpy(dtype=float), x=labels, y=labels, zmin=0, zmax=1, colorscale="Blues",
                               colorbar={"title": "together"},
                               hovertemplate="%{y} & %{x}<br>together in %{z:.0%} of runs<extra></extra>"))
    show = len(order) <= 60
    fig.update_xaxes(showticklabels=show, type="category")
    fig.update_yaxes(showticklabels=show, type="category", autorange="reversed")
    return _finish(fig, title, f"Co-assignment across runs ({len(order):,} customers)", template, width, height)


# --------------------------------------------------------------------------------------------------
# cascades
# --------------------------------------------------------------------------------------------------


def _pick_cascade(cascades: pd.DataFrame, item_id, root) -> pd.DataFrame:
    _require(cascades, ["item_id", "customer", "parent", "time", "depth", "root"], "cascade_tree")
    tab = cascades
    if item_id is None and root is None:
        sizes = tab.groupby(["item_id", "root"], sort=True, observed=True).size()
        if sizes.empty:
            return tab.iloc[0:0]
        item_id, root = sizes.sort_values(ascending=False, kind="stable").index[0]
    if item_id is not None:
        tab = tab[tab["item_id"] == item_id]
        if tab.empty:
            raise ParameterError(f"cascade_tree: item {item_id!r} is not in the cascade table")
    if root is None:
        root = tab.groupby("root", sort=True).size().sort_values(ascending=False, kind="stable").index[0]
    tab = tab[tab["root"] == root]
    if tab.empty:
        raise ParameterError(f"cascade_tree: root {root!r} has no cascade for item {item_id!r}")
    return tab


def cascade_tree(cascades: pd.DataFrame, *, item_id=None, root=None, title: str | None = None,
                 template=None, width=None, height=None) -> go.Figure:
    """One cascade as a tree, time on the horizontal axis: who passed the item to whom, and when.

    Parameters
    ----------
    cascades : DataFrame
        From :func:`netlib.reconstruct_cascades` (``item_id``, ``customer``, ``parent``, ``time``,
        ``depth``, ``root``).
    item_id, root : optional
        Which cascade; default the largest (then the first by item and root). With only ``item_id``,
        the item's largest cascade.

    Returns
    -------
    plotly.graph_objects.Figure
        A line trace for the parent → child links and one marker trace per depth; each customer sits
        on its own row, children below their parent in order of adoption.
    """
    tab = _pick_cascade(cascades, item_id, root)
    if tab.empty:
        return _empty("No cascades", title, template, width, height)
    tab = tab.sort_values(["time", "depth", "customer"], kind="stable")
    item_id, root = tab["item_id"].iloc[0], tab["root"].iloc[0]
    children: dict[Any, list] = {}
    for cust, par in zip(tab["customer"], tab["parent"]):
        if pd.notna(par):
            children.setdefault(par, []).append(cust)
    # rows in depth-first order: every subtree is a contiguous block under its root
    row: dict[Any, int] = {}
    stack = [root]
    while stack:
        v = stack.pop()
        row[v] = len(row)
        stack.extend(reversed(children.get(v, [])))
    for cust in tab["customer"]:  # adopters whose parent is outside this table
        row.setdefault(cust, len(row))
    when = dict(zip(tab["customer"], tab["time"]))
    xs, ys = [], []
    for cust, par in zip(tab["customer"], tab["parent"]):
        if pd.notna(par) and par in when:
            xs += [when[par], when[par], when[cust], None]
            ys += [row[par], row[cust], row[cust], None]
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "rgba(90, 90, 90, 0.5)", "width": 1},
                               hoverinfo="skip", showlegend=False, name="shares"))
    for d, grp in tab.groupby("depth", sort=True):
        text = [f"<b>{_esc(c)}</b><br>from: {_esc(p) if pd.notna(p) else '(root)'}<br>time: {_esc(t)}<br>depth {int(d)}"
                for c, p, t in zip(grp["customer"], grp["parent"], grp["time"])]
        fig.add_trace(go.Scatter(x=grp["time"], y=[row[c] for c in grp["customer"]], mode="markers",
                                 name=f"depth {int(d)}", hovertext=text, hoverinfo="text",
                                 marker={"size": 8 if len(tab) < 500 else 5,
                                         "color": _PALETTE[int(d) % len(_PALETTE)]}))
    time_label = "time" if pd.api.types.is_datetime64_any_dtype(tab["time"]) else "time (as in the data)"
    fig.update_xaxes(title=time_label)
    fig.update_yaxes(autorange="reversed", showticklabels=False, title="adopters (depth-first order)")
    fig.update_layout(meta={"item_id": str(item_id), "root": str(root), "size": len(tab)}, plot_bgcolor="white")
    default = (f"Cascade of item {_esc(item_id)} from {_esc(root)}: {len(tab):,} adopters, "
               f"depth {int(tab['depth'].max())}")
    return _finish(fig, title, default, template, width, height)


def adoption_curves(curves: pd.DataFrame, *, y: str = "adopters", top: int = 10, title: str | None = None,
                    template=None, width=None, height=None) -> go.Figure:
    """Cumulative adoption over time, one line per item or cascade (:func:`netlib.cascades.adoption_curves`).

    Parameters
    ----------
    curves : DataFrame
        ``time`` or ``elapsed``, ``adopters``, ``fraction`` and the grouping columns (``item_id``,
        optionally ``root``; none for an aggregate curve).
    y : {"adopters", "fraction"}
        Cumulative count or share of the final size.
    top : int
        Draw the ``top`` groups with the most adopters.
    """
    if y not in ("adopters", "fraction"):
        raise ParameterError(f"y must be 'adopters' or 'fraction'; got {y!r}")
    xcol = "elapsed" if "elapsed" in curves.columns else "time"
    _require(curves, [xcol, y], "adoption_curves")
    keys = [c for c in ("item_id", "root") if c in curves.columns]
    fig = go.Figure()
    if curves.empty:
        return _empty("No adoptions", title, template, width, height)
    x_all = curves[xcol]
    x_label = "time"
    if pd.api.types.is_timedelta64_dtype(x_all):
        x_all = x_all.dt.total_seconds() / 86400.0
        x_label = "days since launch"
    elif xcol == "elapsed":
        x_label = "time since launch"
    frame = curves.assign(_x=x_all)
    if keys:
        final = frame.groupby(keys, sort=True, observed=True)["adopters"].max()
        chosen = list(final.sort_values(ascending=False, kind="stable").index[:top])
        groups = frame.groupby(keys, sort=False, observed=True)
        for j, key in enumerate(chosen):
            g = groups.get_group(key if isinstance(key, tuple) else (key,))
            key_t = key if isinstance(key, tuple) else (key,)
            name = " / ".join(_esc(k) for k in key_t)
            fig.add_trace(go.Scatter(x=g["_x"], y=g[y], mode="lines", line={"shape": "hv", "color": _PALETTE[j % len(_PALETTE)]},
                                     name=name, hovertemplate=f"{name}<br>%{{x}}<br>{y}: %{{y}}<extra></extra>"))
        default = f"Adoption curves of the {len(chosen)} largest of {len(final):,}"
    else:
        fig.add_trace(go.Scatter(x=frame["_x"], y=frame[y], mode="lines", line={"shape": "hv"}, name="all items"))
        default = "Adoption curve (all items)"
    fig.update_xaxes(title=x_label)
    fig.update_yaxes(title="cumulative adopters" if y == "adopters" else "share of final size")
    return _finish(fig, title, default, template, width, height)


def virality_scatter(metrics: pd.DataFrame, *, title: str | None = None, template=None, width=None,
                     height=None) -> go.Figure:
    """Structural virality against cascade size (Goel, Anderson, Hofman & Watts 2016, Management Science).

    Broadcasts (one sender reaching many) sit low, viral chains high. Takes
    :func:`netlib.cascade_metrics` output; cascades of one adopter (virality undefined) are left out.
    """
    _require(metrics, ["size", "structural_virality"], "virality_scatter")
    tab = metrics[metrics["structural_virality"].notna()]
    if tab.empty:
        return _empty("No cascade with two or more adopters", title, template, width, height)
    depth = tab["depth"] if "depth" in tab.columns else pd.Series(0, index=tab.index)
    text = []
    for _, r in tab.iterrows():
        parts = [f"item {_esc(r['item_id'])}" if "item_id" in tab.columns else "cascade"]
        if "root" in tab.columns:
            parts.append(f"root {_esc(r['root'])}")
        parts.append(f"size {_num(r['size'])}, virality {_num(r['structural_virality'])}")
        if "depth" in tab.columns:
            parts.append(f"depth {_num(r['depth'])}")
        text.append("<br>".join(parts))
    fig = go.Figure(go.Scatter(
        x=tab["size"], y=tab["structural_virality"], mode="markers", hovertext=text, hoverinfo="text",
        name="cascades", marker={"color": depth, "colorscale": "Viridis", "showscale": "depth" in tab.columns,
                                 "colorbar": {"title": "depth"}, "size": 7, "opacity": 0.75}))
    fig.update_xaxes(type="log", title="cascade size (adopters)")
    fig.update_yaxes(title="structural virality (mean distance between adopters)")
    left = len(metrics) - len(tab)
    note = f"; {left:,} single-adopter cascades left out" if left else ""
    return _finish(fig, title, f"Structural virality vs size ({len(tab):,} cascades{note})", template, width, height)


# --------------------------------------------------------------------------------------------------
# Rogers behaviours
# --------------------------------------------------------------------------------------------------


def _behaviour_columns(df: pd.DataFrame, what: str) -> list[str]:
    if all(b in df.columns for b in BEHAVIOURS):
        return list(BEHAVIOURS)
    if all(f"share_{b}" in df.columns for b in BEHAVIOURS):
        return [f"share_{b}" for b in BEHAVIOURS]
    raise ParameterError(f"{what}: needs the five behaviour columns {list(BEHAVIOURS)} (or share_<behaviour>); "
                         f"found: {list(df.columns)}")


def rogers_radar(table: pd.DataFrame, *, name: str | None = None, title: str | None = None, template=None,
                 width=None, height=None) -> go.Figure:
    """The five-behaviour profile of each group (segment, community) as a radar.

    Parameters
    ----------
    table : DataFrame
        One row per group with the five behaviour columns (``access`` … ``collaborate``, or
        ``share_access`` … as in :func:`netlib.patterns.strategy_playbook`).
    name : str, optional
        Column naming each group (e.g. ``"name"``); the index otherwise. Rows without any behaviour
        share (the inactive segment) are left out.
    """
    cols = _behaviour_columns(table, "rogers_radar")
    table = table[table[cols].notna().any(axis=1)]  # groups with no behaviour at all (inactive) have no shape
    if table.empty:
        return _empty("No groups", title, template, width, height)
    names = table[name] if name is not None else pd.Series(table.index, index=table.index)
    theta = list(BEHAVIOURS) + [BEHAVIOURS[0]]
    fig = go.Figure()
    vmax = float(np.nanmax(table[cols].to_numpy(dtype=float))) if len(table) else 1.0
    for j, (idx, row) in enumerate(table.iterrows()):
        r = [float(row[c]) for c in cols]
        label = _esc(names.loc[idx]) if name is None or str(names.loc[idx]) == str(idx) else f"{_esc(idx)}: {_esc(names.loc[idx])}"
        fig.add_trace(go.Scatterpolar(r=r + [r[0]], theta=theta, fill="toself", opacity=0.55, name=label,
                                      line={"color": _PALETTE[j % len(_PALETTE)]},
                                      hovertemplate=f"{label}<br>%{{theta}}: %{{r:.1%}}<extra></extra>"))
    fig.update_layout(polar={"radialaxis": {"range": [0, max(vmax, 1e-9) * 1.05], "tickformat": ".0%"}})
    return _finish(fig, title, "Rogers behaviour profiles", template, width, height)


def behaviour_ladder(ladder: pd.DataFrame, *, title: str | None = None, template=None, width=None,
                     height=None) -> go.Figure:
    """The behaviour ladder (:func:`netlib.patterns.behaviour_ladder`): how many customers show, reach and
    climb each rung, with the step conversion between rungs on hover."""
    _require(ladder, ["share_shows", "share_reaches", "share_climbs"], "behaviour_ladder")
    rungs = [_esc(b) for b in ladder.index]
    fig = go.Figure()
    for col, label, colour in (("share_shows", "shows the behaviour", _PALETTE[0]),
                               ("share_reaches", "reaches this rung or higher", _PALETTE[1]),
                               ("share_climbs", "climbs every rung to here", _PALETTE[2])):
        count_col = col.replace("share_", "")
        counts = ladder[count_col] if count_col in ladder.columns else pd.Series(np.nan, index=ladder.index)
        conv = ladder["step_conversion"] if "step_conversion" in ladder.columns else pd.Series(np.nan, index=ladder.index)
        text = [f"{r}: {label}<br>{float(s):.1%} of customers ({_num(c)})<br>step conversion: {_num(v)}"
                for r, s, c, v in zip(rungs, ladder[col], counts, conv)]
        fig.add_trace(go.Bar(x=rungs, y=ladder[col], name=label, marker={"color": colour}, hovertext=text,
                             hoverinfo="text"))
    fig.update_layout(barmode="group")
    fig.update_xaxes(title="behaviour (ladder order)", type="category")
    fig.update_yaxes(title="share of customers", tickformat=".0%")
    return _finish(fig, title, "Behaviour ladder", template, width, height)


def behaviour_heatmap(table: pd.DataFrame, *, kind: str = "lift", top: int | None = 20, title: str | None = None,
                      template=None, width=None, height=None) -> go.Figure:
    """Behaviour × community heatmap.

    Parameters
    ----------
    table : DataFrame
        One row per community with the five behaviour columns: ``community_lift`` (kind ``"lift"``,
        coloured around 1 = no lean) or ``community_shares`` (kind ``"share"``) of
        :func:`netlib.patterns.behaviour_by_position`. Other columns are ignored, and so is a row
        named ``"all"`` (the population).
    top : int or None
        Draw the first ``top`` rows (communities are numbered by decreasing size, so the largest).
        Lift colours saturate at 4× and 1/4×; hover shows the exact value.
    """
    if kind not in ("lift", "share"):
        raise ParameterError(f"kind must be 'lift' or 'share'; got {kind!r}")
    cols = _behaviour_columns(table, "behaviour_heatmap")
    table = table[[str(i) != "all" for i in table.index]]
    n_rows = len(table)
    if top is not None:
        table = table.head(top)
    if table.empty:
        return _empty("No communities", title, template, width, height)
    z = table[cols].to_numpy(dtype=float)
    labels = [_esc(c) for c in table.index]
    if kind == "lift":
        finite = z[np.isfinite(z)]
        span = min(max(abs(np.log2(finite[finite > 0])).max(), 0.1), 2.0) if (finite > 0).any() else 1.0
        heat = go.Heatmap(z=np.log2(np.where(z > 0, z, np.nan)), x=list(BEHAVIOURS), y=labels, zmid=0,
                          zmin=-span, zmax=span, colorscale="RdBu", customdata=z,
                          colorbar={"title": "lift", "tickvals": [-span, 0, span],
                                    "ticktext": [f"{2 ** -span:.2g}×", "1×", f"{2 ** span:.2g}×"]},
                          hovertemplate="community %{y}<br>%{x}: %{customdata:.2f}× the average<extra></extra>")
        default = "Which behaviours each community leans to (lift over all customers)"
    else:
        heat = go.Heatmap(z=z, x=list(BEHAVIOURS), y=labels, colorscale="Blues", zmin=0,
                          colorbar={"title": "share", "tickformat": ".0%"},
                          hovertemplate="community %{y}<br>%{x}: %{z:.1%}<extra></extra>")
        default = "Behaviour shares by community"
    if len(table) < n_rows:
        default += f"; largest {len(table)} of {n_rows} communities"
    fig = go.Figure(heat)
    fig.update_yaxes(type="category", autorange="reversed", title="community")
    fig.update_xaxes(title="behaviour")
    return _finish(fig, title, default, template, width, height)


# --------------------------------------------------------------------------------------------------
# simulation
# --------------------------------------------------------------------------------------------------


def reach_curves(df: pd.DataFrame, *, method: str = "method", k: str = "k", mean: str = "mean",
                 low: str = "ci_low", high: str = "ci_high", title: str | None = None, template=None,
                 width=None, height=None) -> go.Figure:
    """Expected reach against the number of seeds, one line per seed-selection method, with confidence bands.

    Parameters
    ----------
    df : DataFrame
        Tidy table, one row per (method, k): the method's name, the seed count, the mean simulated reach
        and the confidence interval's ends (column names as given).
    """
    _require(df, [method, k, mean, low, high], "reach_curves")
    if df.empty:
        return _empty("No simulations", title, template, width, height)
    fig = go.Figure()
    for j, (name, g) in enumerate(df.groupby(method, sort=False)):
        g = g.sort_values(k)
        colour = _PALETTE[j % len(_PALETTE)]
        r, gg, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        label = _esc(name)
        fig.add_trace(go.Scatter(x=g[k], y=g[high], mode="lines", line={"width": 0}, showlegend=False,
                                 hoverinfo="skip", legendgroup=label, name=f"{label} upper"))
        fig.add_trace(go.Scatter(x=g[k], y=g[low], mode="lines", line={"width": 0}, fill="tonexty",
                                 fillcolor=f"rgba({r}, {gg}, {b}, 0.18)", showlegend=False, hoverinfo="skip",
                                 legendgroup=label, name=f"{label} lower"))
        text = [f"{label}: k = {_num(kk)}<br>reach {_num(m)} ({_num(lo)} – {_num(hi)})"
                for kk, m, lo, hi in zip(g[k], g[mean], g[low], g[high])]
        fig.add_trace(go.Scatter(x=g[k], y=g[mean], mode="lines+markers", name=label, legendgroup=label,
                                 line={"color": colour}, hovertext=text, hoverinfo="text"))
    fig.update_xaxes(title="seeds k")
    fig.update_yaxes(title="expected reach (customers)", rangemode="tozero")
    return _finish(fig, title, "Reach vs number of seeds", template, width, height)
