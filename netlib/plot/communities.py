"""Communities: sizes, the community meta-graph, resolution sweeps and co-assignment."""

from __future__ import annotations


import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from netlib.errors import ParameterError
from netlib.plot._layout import separate
from netlib.plot._base import (_MAX_LEGEND, _PALETTE, _as_series, _empty, _esc, _finish, _hide_axes, _layout, _num,
                               _require)

__all__ = ["coassignment", "community_meta_graph", "community_sizes", "resolution_sweep"]


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

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.barbell_graph(6, 0)
    >>> fig = nl.plot.community_sizes(nl.communities(G, seed=0))
    >>> [int(v) for v in fig.data[0].y]
    [6, 6]
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


def community_meta_graph(H: nx.Graph, *, names=None, seed: int = 0, top: int | None = 60, min_size: int = 2,
                         title: str | None = None, template=None, width=None, height=None) -> go.Figure:
    """The community meta-graph: one node per community (area by size), ties between them as lines.

    Parameters
    ----------
    H : networkx.Graph
        From :func:`netlib.community.community_graph` (node attribute ``size``; edge ``weight``, ``ties``).
    names : Series, optional
        A name per community, shown beside its bubble and on hover.
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

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.barbell_graph(5, 2)
    >>> fig = nl.plot.community_meta_graph(nl.community_graph(G, nl.communities(G, seed=0)), seed=0)
    >>> fig.layout.title.text, [t.name for t in fig.data]
    ('How communities connect', ['links', 'communities'])
    """
    if H.number_of_nodes() == 0:
        return _empty("No communities", title, template, width, height)
    sizes = pd.Series({c: int(d.get("size", 1)) for c, d in H.nodes(data=True)})
    big = sizes[sizes >= min_size].sort_values(ascending=False, kind="stable")
    keep = list(big.index[:top]) if top else list(big.index)
    if not keep:
        return _empty(f"No community of {min_size} or more customers", title, template, width, height)
    S = H.subgraph(keep)
    nodes = list(S.nodes())
    label_of = _as_series(names, "names")
    # bubbles are circles in data units (they scale with the figure), pushed apart so none overlaps
    sz = np.array([sizes[c] for c in nodes], dtype=float)
    radii = np.sqrt(sz / sz.max())
    pos0 = _layout(S, seed, weight="weight")
    centres = np.array([pos0[c] for c in nodes], dtype=float)
    span = np.ptp(centres, axis=0).max() if len(nodes) > 1 else 1.0
    centres = separate(centres / (span or 1.0) * radii.sum() * 0.7, radii, gap=0.35)
    pos = {c: (float(x), float(y)) for c, (x, y) in zip(nodes, centres)}
    fig = go.Figure()
    edges = [(u, v, float(d.get("weight", 1.0)), int(d.get("ties", 0))) for u, v, d in S.edges(data=True) if u != v]
    shapes = []
    if edges:
        w = np.array([e[2] for e in edges])
        wmax = w.max()
        # shapes set once (fig.add_shape re-validates every shape already there: quadratic in the links)
        shapes = [{"type": "line", "x0": pos[u][0], "y0": pos[u][1], "x1": pos[v][0], "y1": pos[v][1],
                   "layer": "below", "line": {"color": "rgba(90, 90, 90, 0.35)", "width": float(px)}}
                  for (u, v, wt, _), px in zip(edges, 0.6 + 7.0 * np.sqrt(w / wmax))]
        fig.add_trace(go.Scatter(
            x=[(pos[u][0] + pos[v][0]) / 2 for u, v, _, _ in edges],
            y=[(pos[u][1] + pos[v][1]) / 2 for u, v, _, _ in edges], mode="markers",
            marker={"size": 8, "opacity": 0}, showlegend=False, name="links", hoverinfo="text",
            hovertext=[f"communities {_esc(u)} – {_esc(v)}: {t:,} ties, {_num(wt)} interactions"
                       for u, v, wt, t in edges]))
    # same colours as network_map: the twelve largest communities of the partition, in size order
    rank = {c: i for i, c in enumerate(sorted(sizes.index, key=lambda c: (-sizes[c], str(c))))}
    for c, r in zip(nodes, radii):
        colour = _PALETTE[rank[c]] if rank[c] < _MAX_LEGEND else "#c7c7c7"
        shapes.append({"type": "circle", "x0": pos[c][0] - r, "x1": pos[c][0] + r, "y0": pos[c][1] - r,
                       "y1": pos[c][1] + r, "layer": "below", "fillcolor": colour, "opacity": 0.8,
                       "line": {"color": "white", "width": 1}})
    fig.update_layout(shapes=shapes)
    text = []
    for c in nodes:
        d = S.nodes[c]
        named = f": {_esc(label_of.get(c))}" if label_of is not None and c in label_of.index else ""
        text.append(f"<b>community {_esc(c)}{named}</b><br>{int(d.get('size', 1)):,} customers"
                    f"<br>internal ties: {_num(d.get('internal_ties'))}<br>links to {S.degree(c):,} communities")
    fig.add_trace(go.Scatter(
        x=[pos[c][0] for c in nodes], y=[pos[c][1] for c in nodes], mode="text", name="communities", showlegend=False,
        text=[_esc(c) for c in nodes], textposition="middle center", hovertext=text, hoverinfo="text",
        textfont={"size": 11, "color": "#111"}))
    if label_of is not None:  # the names in a legend, never over the drawing
        for c in [c for c in nodes if c in label_of.index and rank[c] < _MAX_LEGEND]:
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"{_esc(c)}: {_esc(label_of[c])}",
                                     marker={"size": 10, "color": _PALETTE[rank[c]]}, hoverinfo="skip"))
    pad = float(radii.max()) * 1.2
    fig.update_xaxes(range=[centres[:, 0].min() - pad, centres[:, 0].max() + pad])
    fig.update_yaxes(range=[centres[:, 1].min() - pad, centres[:, 1].max() + pad])
    _hide_axes(fig)
    fig.update_layout(meta={"communities": H.number_of_nodes(), "drawn": len(nodes)}, plot_bgcolor="white",
                      showlegend=label_of is not None, legend={"title": {"text": "community"}})
    note = f" ({len(nodes)} of {H.number_of_nodes():,} communities drawn)" if len(nodes) < H.number_of_nodes() else ""
    return _finish(fig, title, f"How communities connect{note}", template, width, height or 620)


def resolution_sweep(df: pd.DataFrame, *, title: str | None = None, template=None, width=None,
                     height=None) -> go.Figure:
    """Number of communities and modularity across resolutions (:func:`netlib.community.resolution_sweep`).

    Left axis: ``n_communities``; right axis: ``modularity`` (at γ = 1) and ``nmi_previous`` (agreement
    with the next lower resolution) when present.

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> sweep = nl.resolution_sweep(nx.karate_club_graph(), resolutions=[0.5, 1.0, 2.0], weight=None, seed=0)
    >>> fig = nl.plot.resolution_sweep(sweep)
    >>> [float(v) for v in fig.data[0].x]
    [0.5, 1.0, 2.0]
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

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> result = nl.community_stability(nx.barbell_graph(3, 0), method="label_propagation", runs=4, seed=0)
    >>> fig = nl.plot.coassignment(result.coassignment())
    >>> fig.data[0].type, len(fig.data[0].z)
    ('heatmap', 6)
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


