"""Network maps: the customer network, coloured by community and sized by influence."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

import netlib.plot as _pkg
from netlib.errors import ParameterError
from netlib.plot._layout import clustered, place_labels
from netlib.plot._base import (_EDGE_COLOUR, _MAX_LEGEND, _PALETTE, _as_series, _degrees, _edge_xy, _empty, _esc,
                               _finish, _hide_axes, _layout, _neighbours, _num, _subgraph)

__all__ = ["network_map"]


def network_map(G: nx.Graph, *, communities=None, size=None, size_label: str | None = None,
                hover: pd.DataFrame | None = None, highlight=None, names=None, paths=None, seed: int = 0,
                max_nodes: int | None = None, top: int = 25, title: str | None = None, template=None, width=None,
                height=None) -> go.Figure:
    """The customer network: coloured by community and laid out community by community, sized by
    influence, with chosen customers highlighted and labelled.

    With ``communities``, each community is laid out in its own disc (area ∝ members) and the discs are
    arranged by the ties between them and kept apart, so the drawing shows groups rather than a
    hairball. Customers without any tie are not drawn: the title counts them.

    Parameters
    ----------
    G : networkx graph or CustomerNetwork
        From :func:`netlib.customer_network` or :func:`netlib.build_network` (directed or not; drawn
        without arrows). Only the customers drawn become a networkx graph.
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
    highlight : Series or list, optional
        Customers to highlight and label: a Series of ranks indexed by customer id (labelled ``#rank id``)
        or a list of ids. Labels are placed so that they do not overlap.
    names : Series, optional
        A name per community (``describe_communities(...)["name"]``) for the legend.
    paths : list of lists, optional
        Routes to draw over the map (customer ids in order), e.g. most probable paths.
    seed : int
        Seed of the layout: the same call draws the same picture.
    max_nodes : int, optional
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

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.les_miserables_graph()
    >>> fig = nl.plot.network_map(G, communities=nl.communities(G, seed=0), seed=0)
    >>> fig.layout.title.text, [t.name for t in fig.data][:3]
    ('Customer network: 77 customers, 254 ties', ['ties', 'community 0 (22)', 'community 1 (17)'])
    """
    n = G.number_of_nodes()
    if n == 0:
        return _empty("The network has no customers", title, template, width, height)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ParameterError(f"seed must be an int (it seeds the layout); got {seed!r}")
    max_nodes = _pkg.MAX_MAP_NODES if max_nodes is None else max_nodes
    if max_nodes < 1 or top < 1:
        raise ParameterError(f"max_nodes and top must be >= 1; got max_nodes={max_nodes}, top={top}")
    comm = _as_series(communities, "communities")
    score = _as_series(size, "size")
    degree = _degrees(G)
    if score is None:
        score = degree.astype("float64").rename("degree")
    label = size_label or (str(score.name) if score.name is not None else "influence")
    score = score.reindex(degree.index).astype("float64")

    summary = n > max_nodes
    if summary:
        # the top customers by score, equal scores in id order (whatever order the graph holds them in)
        best = score.fillna(-np.inf).nlargest(top, keep="all")
        anchors = sorted(best.index, key=lambda v: (-best[v], str(v)))[:top]
        keep: dict[Any, None] = dict.fromkeys(anchors)
        for a in anchors:
            nbrs = sorted(_neighbours(G, a), key=lambda v: (-(score.get(v) if pd.notna(score.get(v)) else -np.inf),
                                                            str(v)))
            for v in nbrs:
                if len(keep) >= max_nodes:
                    break
                keep.setdefault(v, None)
        H = _subgraph(G, list(keep))
        default_title = (f"Summary map: top {len(anchors):,} customers by {_esc(label)} and their "
                         f"neighbours ({H.number_of_nodes():,} of {n:,} customers)")
    else:
        H = _subgraph(G)  # a CustomerNetwork small enough to draw whole becomes a DiGraph
        default_title = f"Customer network: {n:,} customers, {G.number_of_edges():,} ties"
    if comm is not None:
        pos, alone = clustered(H, comm, seed, _layout)
    else:
        U = H.to_undirected(as_view=True) if H.is_directed() else H
        alone = [v for v in H.nodes() if all(u == v for u in U[v])]
        pos = _layout(H.subgraph([v for v in H.nodes() if v not in set(alone)]), seed)
    if alone and len(alone) < H.number_of_nodes():
        H = H.subgraph([v for v in H.nodes() if v in pos])
        default_title += f"; {len(alone):,} customer{'s' if len(alone) != 1 else ''} without ties not drawn"
    elif alone:
        pos = _layout(H, seed)
    drawn = H.number_of_nodes()
    scatter = go.Scattergl if drawn > _pkg.WEBGL_NODES else go.Scatter

    fig = go.Figure()
    ex, ey = _edge_xy(sorted(H.edges(), key=lambda e: (str(e[0]), str(e[1]))) if summary else H.edges(), pos)
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
        lines.append(f"ties: {H.degree(v):,}" + (f" (of {degree[v]:,})" if summary else ""))
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
        label_of = _as_series(names, "names")
        for j, c in enumerate(order[:_MAX_LEGEND]):
            if counts.get(c, 0):
                named = f"{_esc(c)}: {_esc(label_of.get(c))}" if label_of is not None and c in label_of.index else \
                    f"community {_esc(c)}"
                groups.append((f"{named} ({counts[c]:,})", (c_of == c).to_numpy(), _PALETTE[j % len(_PALETTE)]))
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
    for route in paths or []:
        route = [v for v in route if v in pos]
        if len(route) >= 2:
            fig.add_trace(scatter(x=[pos[v][0] for v in route], y=[pos[v][1] for v in route], mode="lines",
                                  line={"color": "rgba(214, 39, 40, 0.8)", "width": 2.5}, hoverinfo="skip",
                                  name="most probable paths", legendgroup="paths",
                                  showlegend=route is next(r for r in (paths or []) if len(r) >= 2)))
    marked = _highlight(fig, highlight, pos, nodes, sizes, scatter)
    _hide_axes(fig)
    fig.update_layout(meta={"drawn": drawn, "total": n, "summary": summary, "without_ties": len(alone),
                            "highlighted": marked}, hovermode="closest",
                      legend={"itemsizing": "constant"}, plot_bgcolor="white", height=height or 640)
    return _finish(fig, title, default_title, template, width, height)


def _highlight(fig: go.Figure, highlight, pos: dict, nodes: list, sizes: np.ndarray, scatter) -> int:
    """Ring and label the ``highlight`` customers (a rank Series or a list of ids); labels do not overlap."""
    if highlight is None:
        return 0
    if isinstance(highlight, pd.Series):
        ranks = highlight.dropna()
        items = [(v, f"#{int(r)} {v}") for v, r in sorted(ranks.items(), key=lambda t: t[1]) if v in pos]
    else:
        items = [(v, str(v)) for v in highlight if v in pos]
    if not items:
        return 0
    size_of = dict(zip(nodes, sizes))
    xy = np.array([pos[v] for v, _ in items], dtype=float)
    fig.add_trace(scatter(x=xy[:, 0], y=xy[:, 1], mode="markers", name="highlighted customers",
                          marker={"size": [size_of.get(v, 8.0) + 8 for v, _ in items], "color": "rgba(0,0,0,0)",
                                  "line": {"width": 2.5, "color": "black"}},
                          hovertext=[_esc(t) for _, t in items], hoverinfo="text"))
    offsets = place_labels(xy, [t for _, t in items], width_px=460, height_px=380, equal=True)  # a small plot: safe
    for (v, text), (x, y), (ax, ay) in zip(items, xy, offsets):
        fig.add_annotation(x=x, y=y, text=_esc(text), ax=ax, ay=ay, showarrow=True, arrowhead=0, arrowwidth=1,
                           arrowcolor="#444", font={"size": 11, "color": "#111"}, bgcolor="rgba(255,255,255,0.85)",
                           borderpad=1)
    return len(items)

