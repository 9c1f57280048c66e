"""Rankings: degree distributions and the measures behind an influencer ranking."""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from netlib._csr import is_graph
from netlib.errors import ParameterError
from netlib.plot._base import _PALETTE, _degrees, _empty, _esc, _finish, _num, _require

__all__ = ["RANKING_MEASURES", "degree_distribution", "influencer_bars", "ranking_measures"]


def degree_distribution(data, *, column: str = "degree", ccdf: bool = False, title: str | None = None,
                        template=None, width=None, height=None) -> go.Figure:
    """Degree distribution on log–log axes: the share of customers with each degree (or at least it).

    Parameters
    ----------
    data : networkx graph, CustomerNetwork, Series or DataFrame
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

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> fig = nl.plot.degree_distribution(pd.DataFrame({"degree": [1, 1, 1, 3]}))
    >>> [float(v) for v in fig.data[0].x], [float(v) for v in fig.data[0].y]
    ([1.0, 3.0], [0.75, 0.25])
    """
    if is_graph(data):
        deg = _degrees(data).astype("float64")
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
    fig.update_yaxes(type="log", title=ylabel, exponentformat="power")  # 10⁻⁴, not "100µ" customers
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

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> ranking = pd.DataFrame({"score": [0.9, 0.4, 0.7]}, index=pd.Index(["ann", "bo", "cy"], name="customer_id"))
    >>> fig = nl.plot.influencer_bars(ranking, k=2)
    >>> list(fig.data[0].y), fig.layout.title.text
    (['ann', 'cy'], 'Top 2 customers by score')
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




#: The measures behind :func:`netlib.influencers`' rank, with the unit each is drawn in.
RANKING_MEASURES: dict[str, tuple[str, str]] = {
    "expected_reach": ("Expected reach", "customers"),
    "reach_2hop": ("Within two steps", "share of customers"),
    "out_strength": ("Interactions sent", "interactions"),
    "betweenness": ("Bridging", "share of shortest paths"),
}


def ranking_measures(data: pd.DataFrame, *, measures: Sequence[str] | None = None, top: int = 10,
                     title: str | None = None, template=None, width=None, height=None) -> go.Figure:
    """The measures behind an influencer ranking, one panel each, in their own units.

    A composite score near 1 for every top customer says little; the panels show how far apart the
    customers really are on each measure, and which measure carries each one's rank.

    Parameters
    ----------
    data : DataFrame
        :func:`netlib.influencers` output (indexed by customer id, with ``rank`` and the measures).
    measures : list of str, optional
        Columns to draw; default the four ranking measures present (``expected_reach``, ``reach_2hop``,
        ``out_strength``, ``betweenness``).
    top : int
        How many customers (by ``rank``) to draw.

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> cent = nl.centrality(nx.star_graph(4), ["degree", "pagerank"], weight=None)
    >>> fig = nl.plot.ranking_measures(cent, measures=["degree", "pagerank"], top=3)
    >>> fig.layout.title.text, [t.name for t in fig.data]
    ('The measures behind the top 3 ranks', ['degree', 'pagerank'])
    """
    from plotly.subplots import make_subplots

    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"ranking_measures takes a DataFrame indexed by customer id; got {type(data).__name__}")
    if measures is None:
        measures = [m for m in RANKING_MEASURES if m in data.columns]
    _require(data, [*measures, "rank"] if "rank" in data.columns else measures, "ranking_measures")
    if not measures:
        raise ParameterError(f"ranking_measures: none of {list(RANKING_MEASURES)} in {list(data.columns)}")
    if top < 1:
        raise ParameterError(f"top must be >= 1; got {top}")
    tab = data.sort_values("rank", kind="stable").head(top) if "rank" in data.columns else data.head(top)
    if tab.empty:
        return _empty("No customers", title, template, width, height)
    labels = [f"#{int(r)} {_esc(c)}" for c, r in zip(tab.index, tab["rank"])] if "rank" in tab.columns else \
        [_esc(c) for c in tab.index]
    fig = make_subplots(rows=1, cols=len(measures), shared_yaxes=True, horizontal_spacing=0.03,
                        subplot_titles=[RANKING_MEASURES.get(m, (m.replace("_", " "), ""))[0] for m in measures])
    for j, m in enumerate(measures, start=1):
        name, unit = RANKING_MEASURES.get(m, (m.replace("_", " "), ""))
        values = tab[m].astype("float64")
        pct = unit.startswith("share")
        text = [f"{v:.1%}" if pct else _num(v) for v in values]
        fig.add_trace(go.Bar(x=values, y=labels, orientation="h", name=name, text=text, textposition="auto",
                             marker={"color": _PALETTE[(j - 1) % len(_PALETTE)]}, showlegend=False,
                             hovertext=[f"<b>{lab}</b><br>{name}: {t}" for lab, t in zip(labels, text)],
                             hoverinfo="text"), row=1, col=j)
        fig.update_xaxes(title=unit, tickformat=".0%" if pct else None, rangemode="tozero", row=1, col=j)
    fig.update_yaxes(autorange="reversed", type="category", row=1, col=1)
    fig.update_layout(plot_bgcolor="white", bargap=0.25)
    return _finish(fig, title, f"The measures behind the top {len(tab)} ranks", template, width,
                   height or max(340, 30 * len(tab) + 150))
