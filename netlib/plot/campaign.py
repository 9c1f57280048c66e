"""Campaign: expected reach against the number of seeds."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from netlib.plot._base import _PALETTE, _empty, _esc, _finish, _num, _require

__all__ = ["reach_curves", "LOG_SPAN"]

#: :func:`reach_curves` draws reach on a log axis when its values span more than this many times.
LOG_SPAN = 20


def reach_curves(df: pd.DataFrame, *, method: str = "method", x: str = "k", mean: str = "mean",
                 low: str = "ci_low", high: str = "ci_high", band: str = "95% confidence interval",
                 log_y: bool | None = None, title: str | None = None, template=None, width=None,
                 height=None) -> go.Figure:
    """Expected reach against the number of seeds, one line per seed-selection method, with bands.

    Parameters
    ----------
    df : DataFrame
        Tidy table, one row per (method, number of seeds): the method's name, the seed count, the mean
        simulated reach and the band's ends (column names as given).
    x : str
        The column holding the number of seeds.
    band : str
        What the bands show (a confidence interval, or reach over a plausible range of the pass-on
        probability); named in the title.
    log_y : bool or None
        Reach on a logarithmic axis. None (the default): when the bands span more than
        :data:`LOG_SPAN` times from their lowest to their highest positive value, so that curves near
        the bottom stay readable beside a band that reaches far above them; the axis title says so.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> reach = pd.DataFrame({"method": ["imm", "imm"], "k": [1, 3], "mean": [4.0, 9.0], "ci_low": [3.5, 8.0],
    ...                       "ci_high": [4.5, 10.0]})
    >>> fig = nl.plot.reach_curves(reach)
    >>> [t.name for t in fig.data if t.showlegend is not False]
    ['imm']
    """
    k = x
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
        text = [f"{label}: {_num(kk)} seeds<br>reach {_num(m)} ({_num(lo)} – {_num(hi)})"
                for kk, m, lo, hi in zip(g[k], g[mean], g[low], g[high])]
        fig.add_trace(go.Scatter(x=g[k], y=g[mean], mode="lines+markers", name=label, legendgroup=label,
                                 line={"color": colour}, hovertext=text, hoverinfo="text"))
    fig.update_xaxes(title="seeds (customers)", rangemode="tozero")
    if log_y is None:
        values = pd.concat([df[low], df[mean], df[high]]).astype(float)
        values = values[values > 0]
        log_y = bool(len(values)) and values.max() > LOG_SPAN * values.min()
    if log_y:
        fig.update_yaxes(title="expected reach (customers, log scale)", type="log")
    else:
        fig.update_yaxes(title="expected reach (customers)", rangemode="tozero")
    return _finish(fig, title, f"Reach vs number of seeds (bands: {_esc(band)})", template, width, height)
