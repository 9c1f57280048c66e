"""Tables for people: human column names, percentages, thousands separators, readable durations and
dates, full text, searchable and sortable in the page (itables/DataTables, its JavaScript shipped
offline: embedded in a notebook by :func:`init_tables`, or once beside the report pages as
``datatables.js``).

Every cell is escaped here, then customer ids become links to the network explorer
(``explorer.html#customer=<id>``); nothing from the data reaches a page as markup.
"""

from __future__ import annotations

import html
import math
import os
import re
import urllib.parse
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

__all__ = ["Say", "Table", "datatables_js", "human_name", "humanize", "init_tables", "say", "table"]

#: Column names as a reader sees them; others are spelled out from their snake_case.
NAMES: dict[str, str] = {
    "customer_id": "Customer", "community": "Community", "community_name": "Community name",
    "n_customers": "Customers", "share_of_customers": "Share of customers", "expected_reach": "Expected reach",
    "expected_reach_alone": "Expected reach alone", "reach_2hop": "Within 2 steps", "out_strength": "Interactions sent",
    "out_degree": "Customers messaged", "in_degree": "Customers heard from", "betweenness": "Bridging (betweenness)",
    "pagerank": "PageRank", "influence_rank": "Influence rank", "influence_score": "Influence score",
    "rank": "Rank", "score": "Score", "why": "Why", "is_seed": "Campaign seed", "size": "Size",
    "internal_tie_share": "Ties kept inside", "top_influencers": "Top influencers", "linked_to": "Linked to",
    "leading_behaviour": "Leaning", "structural_virality": "Structural virality", "max_breadth": "Widest step",
    "item_id": "Item", "root": "Started by", "time_to_50": "Time to half", "time_to_90": "Time to 90%",
    "event_type": "Event type", "n_events": "Events", "pick_order": "Pick order", "territory_size": "Territory",
    "territory_share": "Territory share", "territory_main_community": "Territory mostly in",
    "cascade_hops": "Observed adoptions across", "n_communities": "Communities", "largest_share": "Largest holds",
    "nmi_previous": "Agreement with previous (NMI)", "singletons": "Customers alone", "tie_weight": "Interactions", "share_of_cross_weight":
    "Share of cross-community interactions", "downstream": "Adoptions downstream", "probability": "Probability",
}
#: Columns whose numbers are fractions shown as percentages (besides names holding share/fraction/rate).
PERCENT = {"access", "engage", "customize", "connect", "collaborate", "reach_2hop", "reach_1hop", "probability",
           "internal_tie_share", "influence_score", "score", "coverage", "performance", "stability"}
_PERCENT_RE = re.compile(r"share|fraction|rate|ratio|conversion|^lift_?$", re.IGNORECASE)
#: Most rows a table draws in a page: a longer table shows its first rows and says how many there are (a
#: million-row table would make a page of hundreds of megabytes that no browser opens).
MAX_ROWS = 1000
#: Columns holding customer ids (linked to the explorer).
ID_COLUMNS = {"customer_id", "customer", "parent", "root", "seed", "target", "source"}


def human_name(col) -> str:
    """A column name as a reader sees it: ``share_of_customers`` → ``Share of customers``."""
    name = str(col)
    if name in NAMES:
        return NAMES[name]
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _duration(td) -> str:
    if pd.isna(td):
        return ""
    secs = td.total_seconds()
    if secs < 60:
        return f"{secs:.0f} s"
    mins = secs / 60
    if mins < 60:
        return f"{mins:.0f} min"
    hours = mins / 60
    if hours < 48:
        h, m = divmod(round(mins), 60)
        return f"{h} h {m:02d} min"
    return f"{hours / 24:.1f} days"


def _number(x, *, percent: bool, whole: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return ""
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else ""
    if percent:
        v = float(x) * 100
        if v != 0 and abs(v) < 0.1:
            return "< 0.1%" if v > 0 else "> -0.1%"
        return f"{v:.1f}%"
    if isinstance(x, (int, np.integer)):
        return f"{int(x):,}"
    v = float(x)
    if not math.isfinite(v):
        return "∞" if v > 0 else "–∞" if v < 0 else ""
    if v.is_integer() and abs(v) < 1e15:
        return f"{int(v):,}"
    if abs(v) >= 100 or (whole and abs(v) >= 1):
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    if abs(v) < 0.001:
        return "< 0.001" if v > 0 else "0" if v == 0 else "> -0.001"
    return f"{v:.3f}".rstrip("0").rstrip(".")


def _is_percent(col, s: pd.Series) -> bool:
    name = str(col)
    if not pd.api.types.is_float_dtype(s):
        return False
    if name in PERCENT or _PERCENT_RE.search(name):
        vals = s.dropna()
        return bool(len(vals) == 0 or (vals.min() >= -1 and vals.max() <= 1.0000001))
    return False


def humanize(df: pd.DataFrame | pd.Series, *, percent: Iterable[str] = (), index: bool = True) -> pd.DataFrame:
    """A copy of ``df`` as text a person reads: numbers with separators, fractions as percentages,
    durations as ``9 h 39 min``, dates as ``3 Feb 2024 23:58``, booleans as ``yes``, nothing truncated.

    The index (when named, or ``index=True``) becomes the first column. Column names stay as they are
    (:func:`human_name` spells them out when the table is drawn).
    """
    if isinstance(df, pd.Series):
        df = df.to_frame(df.name if df.name is not None else "value")
    frame = df.reset_index() if index and (df.index.name is not None or any(df.index.names) or
                                           not isinstance(df.index, pd.RangeIndex)) else df.reset_index(drop=True)
    frame.columns = [str(c) if not (isinstance(c, str) or c is None) else (c or "index") for c in frame.columns]
    forced = set(percent)
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_timedelta64_dtype(s):
            out[col] = s.map(_duration)
        elif pd.api.types.is_datetime64_any_dtype(s):
            fmt = "%d %b %Y" if (s.dropna().dt.normalize() == s.dropna()).all() else "%d %b %Y %H:%M"
            out[col] = s.dt.strftime(fmt).fillna("")
        elif pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            pct = col in forced or _is_percent(col, s)
            whole = "reach" in str(col) and not pct  # simulated customer counts: whole customers
            out[col] = [_number(x, percent=pct, whole=whole) for x in s.tolist()]
        else:
            out[col] = ["" if (v is None or (not isinstance(v, str) and pd.isna(v))) else _text(v) for v in s.tolist()]
    return pd.DataFrame(out, columns=list(frame.columns))


def _text(v) -> str:
    if isinstance(v, (list, tuple, set)):
        return ", ".join(map(str, v))
    if isinstance(v, Mapping):
        return "; ".join(f"{k}: {x}" for k, x in v.items())
    if isinstance(v, pd.Timestamp):
        return f"{v:%d %b %Y %H:%M}"
    return str(v)


def explorer_link(customer_id, text: str | None = None) -> str:
    """An escaped link to the customer in the network explorer page."""
    cid = str(customer_id)
    href = "explorer.html#customer=" + urllib.parse.quote(cid, safe="")
    return f'<a class="customer" href="{html.escape(href)}">{html.escape(text if text is not None else cid)}</a>'


class Table:
    """A table drawn with DataTables in notebooks and report pages (see :func:`table`)."""

    def __init__(self, df, *, caption: str | None = None, percent: Iterable[str] = (), page_length: int = 10,
                 link_ids: bool = True, index: bool = True, ids: Iterable[str] = (), max_rows: int | None = MAX_ROWS,
                 whole: str | None = None):
        if max_rows is not None and (isinstance(max_rows, bool) or not isinstance(max_rows, (int, np.integer))
                                     or max_rows < 1):
            from netlib.errors import ParameterError

            raise ParameterError(f"max_rows must be an int >= 1 or None; got {max_rows!r}")
        self.rows = len(df)
        if max_rows is not None and self.rows > max_rows:
            df = df.iloc[:max_rows]
            note = f"the first {max_rows:,} of {self.rows:,} rows" + (f"; all of them in {whole}" if whole else "")
            caption = f"{caption} ({note})" if caption else note[:1].upper() + note[1:]
        self.df = df
        self.caption = caption
        self.percent = tuple(percent)
        self.page_length = page_length
        self.link_ids = link_ids
        self.index = index
        self.ids = set(ids)

    def _text_columns(self) -> list[int]:
        """Positions of the columns holding text (left-aligned; numbers stay right-aligned)."""
        frame = self.df.to_frame() if isinstance(self.df, pd.Series) else self.df
        shown = humanize(frame.head(0), index=self.index)
        src = frame.reset_index() if len(shown.columns) > len(frame.columns) else frame
        return [i for i, c in enumerate(src.columns)
                if not (pd.api.types.is_numeric_dtype(src[c]) or pd.api.types.is_timedelta64_dtype(src[c]))]

    def cells(self) -> pd.DataFrame:
        """The table as escaped HTML cells under human column names."""
        shown = humanize(self.df, percent=self.percent, index=self.index)
        id_cols = (ID_COLUMNS | self.ids) if self.link_ids else set()
        cells = {}
        for col in shown.columns:
            if col in id_cols:
                cells[human_name(col)] = [", ".join(explorer_link(x) for x in v.split(", ")) if v else ""
                                          for v in shown[col]]
            else:
                cells[human_name(col)] = [html.escape(v) for v in shown[col]]
        out = pd.DataFrame(cells)
        out.columns = [html.escape(c) for c in out.columns]
        return out

    def to_html(self) -> str:
        from itables import to_html_datatable

        cells = self.cells()
        n = len(cells)
        opts = {"allow_html": True, "connected": False, "display_logo_when_loading": False, "showIndex": False,
                "maxBytes": 0, "classes": "display compact",
                "pageLength": self.page_length, "lengthMenu": [5, 10, 25, 50, 100, 500],
                "autoWidth": False, "order": [],
                "columnDefs": [{"targets": self._text_columns(), "className": "dt-left"}]}
        if n <= self.page_length:
            opts["layout"] = {"topStart": None, "topEnd": "search" if n > 5 else None, "bottomStart": None,
                              "bottomEnd": None}
        caption = html.escape(self.caption) if self.caption else None
        return '<div class="netlib-table">' + to_html_datatable(cells, caption=caption, **opts) + "</div>"

    def _repr_html_(self) -> str:
        return self.to_html()


def table(df, *, caption: str | None = None, percent: Iterable[str] = (), page_length: int = 10,
          link_ids: bool = True, index: bool = True, ids: Iterable[str] = (), max_rows: int | None = MAX_ROWS,
          whole: str | None = None) -> Table:
    """Show ``df`` as a readable, searchable, sortable table (in a notebook, or in a report page).

    Parameters
    ----------
    df : DataFrame or Series
    caption : str, optional
    percent : list of str
        Columns to show as percentages besides those recognised by name (``share_*``, behaviours, ...).
    page_length : int
        Rows per page; shorter tables show without paging controls.
    link_ids : bool
        Link customer-id columns to the network explorer page.
    index : bool
        Show the index as the first column.
    ids : list of str
        More columns holding customer ids (one, or several separated by ", ") to link.
    max_rows : int or None
        Most rows drawn (default :data:`MAX_ROWS`; None: all). A longer table shows its first
        ``max_rows`` rows in the order given and its caption says so: "(the first 1,000 of 52,311 rows)".
    whole : str, optional
        Where the reader finds every row (e.g. ``"communities.csv in the exports"``), added to that note.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> shown = nl.report.table(pd.DataFrame({"share": [0.25, 0.5]}, index=pd.Index(["a", "b"], name="customer_id")),
    ...                         percent=["share"], caption="Shares")
    >>> "25.0%" in shown._repr_html_()
    True
    >>> nl.report.table(pd.DataFrame({"x": range(5)}), caption="Five", max_rows=2, whole="x.csv").caption
    'Five (the first 2 of 5 rows; all of them in x.csv)'
    """
    return Table(df, caption=caption, percent=percent, page_length=page_length, link_ids=link_ids, index=index,
                 ids=ids, max_rows=max_rows, whole=whole)


def _offline_init_html() -> str:
    from itables import options
    from itables.javascript import generate_init_offline_itables_html

    return generate_init_offline_itables_html(options.dt_bundle)


def datatables_js() -> str:
    """The DataTables bundle as one classic script (for ``datatables.js`` beside the report pages)."""
    block = _offline_init_html()
    start = block.index("<script>") + len("<script>")
    return block[start:block.index("</script>", start)]


def init_tables():
    """Load DataTables in a notebook, offline (call once near the top). In a report kernel it does nothing:
    the report pages load ``datatables.js`` once from beside them.

    Examples
    --------
    >>> import netlib as nl
    >>> init = nl.report.init_tables()  # display it once near the top of a notebook
    >>> type(init).__name__, "<script" in init.data
    ('HTML', True)
    """
    from IPython.display import HTML

    if os.environ.get("NETLIB_REPORT") == "1":
        return None
    return HTML(_offline_init_html())


class Say:
    """A sentence written from the data, shown as an escaped paragraph (see :func:`say`)."""

    def __init__(self, text: str, kind: str = ""):
        self.text = text
        self.kind = kind

    def _repr_html_(self) -> str:
        if self.kind in ("assumptions", "page-warning") and os.environ.get("NETLIB_REPORT") == "1":
            return ""  # a report page states its assumptions and data warnings once, at the top
        style = {"warning": "background:#fff4e5;border-left:4px solid #e69500;padding:6px 10px;",
                 "page-warning": "background:#fff4e5;border-left:4px solid #e69500;padding:6px 10px;",
                 "assumptions": "background:#eef4fb;border-left:4px solid #1f4e8c;padding:6px 10px;"}.get(self.kind, "")
        return f'<p class="netlib-say" style="font-size:15px;{style}">{html.escape(self.text)}</p>'

    def __repr__(self) -> str:
        return self.text


def say(*parts, kind: str = "") -> Say:
    """A finding in words, for a notebook: the parts joined by spaces and escaped. Empty parts are dropped,
    so a clause the data does not support can be passed as ``""``.

    ``kind="warning"`` draws it as a warning; ``"assumptions"`` and ``"page-warning"`` too, except in a
    report page, which states its assumptions and data warnings once at its top instead.

    Examples
    --------
    >>> import netlib as nl
    >>> finding = nl.report.say("10 customers reach", "", "31% of the network <b>")
    >>> finding.text
    '10 customers reach 31% of the network <b>'
    """
    return Say(" ".join(str(p) for p in parts if p), kind)
