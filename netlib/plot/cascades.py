"""Cascades: one cascade as a tree, adoption over time, structural virality."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from netlib.errors import ParameterError
from netlib.plot._base import _PALETTE, _empty, _esc, _finish, _num, _require

__all__ = ["adoption_curves", "cascade_tree", "virality_scatter"]


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

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> tree = pd.DataFrame({"item_id": "i", "parent": [None, "r", "r", "u"], "child": ["r", "u", "v", "w"],
    ...                      "time": [0, 1, 1, 2]})
    >>> fig = nl.plot.cascade_tree(nl.cascades_from_trees(tree))
    >>> fig.layout.title.text, [t.name for t in fig.data]
    ('Cascade of item i from r: 4 adopters, depth 2', ['shares', 'depth 0', 'depth 1', 'depth 2'])
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

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> log = pd.DataFrame({"source": ["p", "p", "q"], "target": ["q", "r", "s"], "timestamp": [5, 6, 9],
    ...                     "item_id": "promo"})
    >>> fig = nl.plot.adoption_curves(nl.adoption_curves(nl.reconstruct_cascades(log)))
    >>> len(fig.data), fig.data[0].name, [int(v) for v in fig.data[0].y]
    (1, 'promo', [2, 3, 4])
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


def virality_scatter(metrics: pd.DataFrame, *, top: int | None = 5000, title: str | None = None, template=None,
                     width=None, height=None) -> go.Figure:
    """Structural virality against cascade size (Goel, Anderson, Hofman & Watts 2016, Management Science).

    Broadcasts (one sender reaching many) sit low, viral chains high. Takes
    :func:`netlib.cascade_metrics` output; cascades of one adopter (virality undefined) are left out.
    ``top`` caps the points: above it the ``top`` largest cascades are drawn (ties by virality, then
    table order) and the title says how many of how many; None draws them all.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> metrics = pd.DataFrame({"size": [4, 10, 3], "structural_virality": [1.5, 2.4, 1.33], "item_id": ["a", "b", "c"],
    ...                         "root": ["r1", "r2", "r3"]})
    >>> fig = nl.plot.virality_scatter(metrics)
    >>> [int(v) for v in fig.data[0].x], fig.layout.xaxis.title.text
    ([4, 10, 3], 'cascade size (adopters)')
    """
    _require(metrics, ["size", "structural_virality"], "virality_scatter")
    if top is not None and (isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1):
        raise ParameterError(f"top must be an int >= 1 or None; got {top!r}")
    tab = metrics[metrics["structural_virality"].notna()]
    if tab.empty:
        return _empty("No cascade with two or more adopters", title, template, width, height)
    shown_of = len(tab)
    if top is not None and len(tab) > top:
        tab = tab.sort_values(["size", "structural_virality"], ascending=False, kind="stable").iloc[:top]
    depth = tab["depth"] if "depth" in tab.columns else pd.Series(0, index=tab.index)
    none = [None] * len(tab)
    text = []
    for item, root, size, sv, d in zip(tab["item_id"] if "item_id" in tab.columns else none,
                                       tab["root"] if "root" in tab.columns else none,
                                       tab["size"], tab["structural_virality"], depth):
        parts = [f"item {_esc(item)}" if "item_id" in tab.columns else "cascade"]
        if "root" in tab.columns:
            parts.append(f"root {_esc(root)}")
        parts.append(f"size {_num(size)}, virality {_num(sv)}")
        if "depth" in tab.columns:
            parts.append(f"depth {_num(d)}")
        text.append("<br>".join(parts))
    fig = go.Figure(go.Scatter(
        x=tab["size"], y=tab["structural_virality"], mode="markers", hovertext=text, hoverinfo="text",
        name="cascades", marker={"color": depth, "colorscale": "Viridis", "showscale": "depth" in tab.columns,
                                 "colorbar": {"title": "depth"}, "size": 7, "opacity": 0.75}))
    fig.update_xaxes(type="log", title="cascade size (adopters)")
    fig.update_yaxes(title="structural virality (mean distance between adopters)")
    left = len(metrics) - shown_of
    note = f"; {left:,} single-adopter cascades left out" if left else ""
    count = f"the {len(tab):,} largest of {shown_of:,} cascades" if len(tab) < shown_of else f"{len(tab):,} cascades"
    return _finish(fig, title, f"Structural virality vs size ({count}{note})", template, width, height)


