"""Rogers behaviours: profiles as radars, the ladder, behaviour by community."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from netlib.errors import ParameterError
from netlib.plot._base import _PALETTE, _empty, _esc, _finish, _num, _require
from netlib.patterns import BEHAVIOURS

__all__ = ["behaviour_heatmap", "behaviour_ladder", "rogers_radar"]


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
        fig.add_trace(go.Scatterpolar(r=r + [r[0]], theta=theta, fill="toself", opacity=0.45, name=label,
                                      line={"color": _PALETTE[j % len(_PALETTE)]},
                                      hovertemplate=f"{label}<br>%{{theta}}: %{{r:.1%}}<extra></extra>"))
    # radial ticks run along an empty direction (between two behaviours), behaviour names sit outside
    fig.update_layout(polar={"radialaxis": {"range": [0, max(vmax, 1e-9) * 1.05], "tickformat": ".0%", "angle": 54,
                                            "tickangle": 54, "tickfont": {"size": 10, "color": "#666"}},
                             "angularaxis": {"rotation": 90, "direction": "clockwise", "tickfont": {"size": 13}}},
                      legend={"title": {"text": "segment (share of events)"}}, margin={"l": 60, "r": 40})
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


