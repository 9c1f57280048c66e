"""Exports: the lists behind the report as CSV files and one Excel workbook with a data dictionary.

:func:`customer_table` and :func:`community_table` are the one place these tables are made: the report,
``netlib export`` and the network explorer all use them. :func:`export` writes every table.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from netlib._api import stamp
from netlib.errors import ParameterError

__all__ = ["DICTIONARY", "ExportResult", "community_table", "customer_table", "export", "export_tables"]

#: What every exported column means (table, column) → sentence. Customer attributes are described as such.
DICTIONARY: dict[tuple[str, str], str] = {
    ("customers", "customer_id"): "The customer's id as in the data (a pseudonym in pseudonymised runs).",
    ("customers", "community"): "Community number (0 = largest), from Leiden community detection.",
    ("customers", "community_name"): "The community's plain-language name (see the communities table).",
    ("customers", "segment"): "Behaviour segment: the Rogers behaviour(s) that lead the customer's event mix.",
    ("customers", "access"): "Share of the customer's behavioural events that are 'access' (0–1).",
    ("customers", "engage"): "Share of the customer's behavioural events that are 'engage' (0–1).",
    ("customers", "customize"): "Share of the customer's behavioural events that are 'customize' (0–1).",
    ("customers", "connect"): "Share of the customer's behavioural events that are 'connect' (0–1).",
    ("customers", "collaborate"): "Share of the customer's behavioural events that are 'collaborate' (0–1).",
    ("customers", "influence_rank"): "Rank by influence, 1 = most influential (mean percentile over the four "
                                     "measures below).",
    ("customers", "influence_score"): "Mean percentile over the ranking measures (1 = top on all).",
    ("customers", "expected_reach"): "Customers a message seeded with this customer alone is expected to reach "
                                     "(independent cascade at the report's pass-on probability).",
    ("customers", "reach_2hop"): "Share of all customers within two steps.",
    ("customers", "out_strength"): "Interactions sent (tie weight out).",
    ("customers", "betweenness"): "Share of shortest paths that pass through the customer (bridging).",
    ("customers", "is_seed"): "True for the customers the recommended campaign seeds.",
    ("communities", "community"): "Community number (0 = largest).",
    ("communities", "name"): "Plain-language name from the strongest over-represented attributes and behaviour.",
    ("communities", "description"): "What the members share, in words.",
    ("communities", "size"): "Customers in the community.",
    ("communities", "share_of_customers"): "Size as a share of all customers (0–1).",
    ("communities", "internal_tie_share"): "Share of the members' tie weight that stays inside the community.",
    ("communities", "top_influencers"): "The three members with the best influence rank.",
    ("communities", "linked_to"): "The communities it has the most tie weight with, heaviest first.",
    ("communities", "leading_behaviour"): "The behaviour most over-represented among its members.",
    ("seeds", "customer_id"): "A customer the recommended campaign seeds.",
    ("seeds", "pick_order"): "Order in which IMM picked the seed (1 = adds most reach).",
    ("seeds", "territory_size"): "Customers this seed is the most likely first to reach.",
    ("seeds", "territory_share"): "Territory as a share of all customers (0–1).",
    ("seeds", "territory_main_community"): "The community most of the territory lies in.",
    ("seeds", "expected_reach_alone"): "Expected reach of this seed on its own.",
    ("cascades", "item_id"): "The shared item.",
    ("cascades", "root"): "The customer who started this cascade.",
    ("cascades", "size"): "Adopters (customers who shared the item in this cascade).",
    ("cascades", "depth"): "Longest chain of passing on.",
    ("cascades", "max_breadth"): "Most adopters at one depth.",
    ("cascades", "structural_virality"): "Mean distance between adopters: low for a broadcast, high for chains.",
    ("cascades", "duration_hours"): "Hours from the first to the last adoption.",
    ("cascades", "root_children"): "Customers the starter passed the item to directly.",
    ("cascades", "largest_broadcast"): "Most adopters any one adopter passed the item to directly.",
    ("cascades", "broadcast_share"): "The largest broadcast as a share of the adopters after the starter (0–1).",
    ("cascades", "start"): "When the cascade started (UTC).",
    ("cascades", "time_to_50_hours"): "Hours until half the cascade's adopters had it.",
    ("cascades", "time_to_90_hours"): "Hours until 90% of the cascade's adopters had it.",
    ("seeds", "influence_rank"): "The seed's influence rank (1 = most influential on its own).",
    ("routes", "route"): "Rank of the link by tie weight (1 = heaviest).",
    ("routes", "ties"): "Customer pairs with a tie across the two communities.",
    ("routes", "tie_weight"): "Interactions across the two communities.",
    ("routes", "share_of_cross_weight"): "Share of all between-community interaction weight (0–1).",
    ("routes", "cascade_hops"): "Observed adoptions that passed between the two communities.",
    ("paths", "community"): "The community reached.",
    ("paths", "target"): "Its most influential member.",
    ("paths", "seed"): "The campaign seed most likely to reach the target first.",
    ("paths", "path"): "The most probable route from the seed to the target.",
    ("paths", "probability"): "Probability that the message travels this whole route.",
    ("paths", "hops"): "Steps from the seed to the target.",
    ("event_mapping", "event_type"): "An event type found in the events file.",
    ("event_mapping", "behaviour"): "The Rogers behaviour it was counted as (empty: unmapped).",
    ("event_mapping", "source"): "taxonomy (listed), rule (matched by netlib's rules: review it) or unmapped.",
    ("event_mapping", "count"): "Events of this type.",
    ("event_mapping", "share"): "Share of all events (0–1).",
    ("event_mapping", "rule"): "The rule that matched the event type, in words.",
    ("event_mapping", "ambiguous"): "True when rules for more than one behaviour matched (check the mapping).",
}

_BEHAVIOURS = ("access", "engage", "customize", "connect", "collaborate")


@dataclass
class ExportResult:
    """What :func:`export` wrote: one CSV per table, the workbook and the data dictionary."""

    out: Path
    csv: dict[str, Path]
    workbook: Path
    dictionary: Path
    readme: Path
    rows: dict[str, int]


def _findings(data, kwargs):
    from netlib.report.findings import Findings, analyse

    if isinstance(data, Findings):
        if kwargs:
            raise ParameterError(f"pass analysis options to analyse(), not with Findings: {sorted(kwargs)}")
        return data
    return analyse(data, **kwargs)


def customer_table(data=None, **kwargs) -> pd.DataFrame:
    """One row per customer: their own attributes, community, segment, behaviour shares, influence rank
    with the measures behind it, and whether the campaign seeds them.

    Parameters
    ----------
    data : Findings, CustomerData, path or None
        :func:`netlib.report.analyse` output, or data to analyse with ``kwargs`` (``k``, ``seed``, ``p``, ...).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``, every customer exactly once. A customer attribute whose name clashes
        with a computed column is prefixed ``customer_`` (the sample's own ``segment`` becomes
        ``customer_segment``). Columns the data cannot support (no events: no behaviour) are absent.
    """
    f = _findings(data, kwargs)
    cust = f.data.customers.set_index("customer_id")
    cust.index = cust.index.astype("string")
    cust.index.name = "customer_id"
    computed = {"community", "community_name", "segment", *_BEHAVIOURS, "influence_rank", "influence_score",
                "expected_reach", "reach_2hop", "out_strength", "betweenness", "is_seed"}
    out = cust.rename(columns={c: f"customer_{c}" for c in cust.columns if c in computed})
    ids = out.index
    if f.partition is not None:
        out["community"] = f.partition.reindex(ids).astype("Int64")
        out["community_name"] = out["community"].map(f.community_info["name"]).astype("string")
    if f.segments is not None:
        out["segment"] = f.segments["segment_name"].reindex(ids).astype("string")
    if f.profiles is not None:
        for b in _BEHAVIOURS:
            out[b] = f.profiles[b].reindex(ids).astype("float64")
    if f.ranking is not None:
        r = f.ranking.reindex(ids)
        out["influence_rank"] = r["rank"].astype("Int64")
        out["influence_score"] = r["score"].astype("float64")
        for c in ("expected_reach", "reach_2hop", "out_strength", "betweenness"):
            if c in r.columns:
                out[c] = r[c].astype("float64")
        out["is_seed"] = ids.isin(f.seeds)
    out.attrs = {}
    return stamp(out, "report.customer_table", k=f.assumptions.k, p=f.assumptions.p, seed=f.assumptions.seed)


def community_table(data=None, **kwargs) -> pd.DataFrame:
    """One row per community, indexed by ``community`` (0 = largest): ``name``, ``description``, ``size``,
    ``share_of_customers``, ``internal_tie_share``, ``top_influencers``, ``linked_to``, ``leading_behaviour``
    and the members' mean behaviour shares. Empty when the data has no interactions."""
    f = _findings(data, kwargs)
    if f.community_info is None:
        return pd.DataFrame(columns=["name", "description", "size"], index=pd.Index([], name="community"))
    return f.community_info.copy()


def export_tables(f) -> dict[str, pd.DataFrame]:
    """Every table the report exports, by sheet name (tables the data cannot support are left out)."""
    tables = {"customers": customer_table(f)}
    if f.community_info is not None:
        tables["communities"] = community_table(f)
    if f.territories is not None:
        tables["seeds"] = f.territories
    if f.cascade_metrics is not None and len(f.cascade_metrics):
        m = f.cascade_metrics.copy()
        for c in ("time_to_50", "time_to_90", "duration"):
            if c in m.columns and pd.api.types.is_timedelta64_dtype(m[c]):
                m[f"{c}_hours"] = m.pop(c).dt.total_seconds() / 3600
        tables["cascades"] = m.set_index(["item_id", "root"])
    if f.community_links is not None and len(f.community_links):
        tables["routes"] = f.community_links
    if f.paths is not None and len(f.paths):
        tables["paths"] = f.paths
    if f.mapping is not None and len(f.mapping):
        tables["event_mapping"] = f.mapping
    return tables


def _dictionary(tables: dict[str, pd.DataFrame], f) -> pd.DataFrame:
    own = set(f.data.customers.columns)
    rows = []
    for name, t in tables.items():
        cols = [*([n for n in t.index.names if n] if t.index.name or t.index.nlevels > 1 else []), *t.columns]
        for c in cols:
            text = DICTIONARY.get((name, c))
            if text is None and name == "customers" and (c in own or c.removeprefix("customer_") in own):
                text = "The customer's own attribute, as in the customers file."
            if text is None and name in ("seeds", "paths", "routes") and c.startswith(("community", "name_")):
                text = "Community number and name (see the communities table)."
            if text is None and c in _BEHAVIOURS:
                text = f"Members' mean share of '{c}' events (0–1)."
            rows.append({"table": name, "column": c, "meaning": text or c.replace("_", " ")})
    return pd.DataFrame(rows).set_index(["table", "column"])


#: Rows a sheet of the workbook holds below its header. Excel's own limit is 1,048,576; a sheet of a
#: million rows takes openpyxl tens of minutes to write and Excel minutes to open, so a longer table
#: keeps its first rows in the workbook and is complete in its CSV (the README and the summary say so).
WORKBOOK_ROWS = 100_000


def _sheet_value(v):
    """One value as a sheet stores it: None where missing, naive datetimes, plain Python numbers."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        v = v.tz_convert(None) if v.tzinfo else v
        return v.to_pydatetime()
    return v.item() if hasattr(v, "item") else v


def _sheet_column(s: pd.Series) -> list:
    """A column as the values a sheet stores, read column by column (numbers, text and booleans at once)."""
    if pd.api.types.is_datetime64_any_dtype(s) or s.dtype == object:
        return [_sheet_value(v) for v in s.tolist()]
    values, missing = s.tolist(), s.isna().tolist()
    return [None if gone else v for v, gone in zip(values, missing)]


def _write_xlsx(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """One workbook, a sheet per table; text cells are stored as text, never as formulas. A table longer
    than :data:`WORKBOOK_ROWS` keeps its first rows there (its CSV holds all)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    def text(v):  # a text cell that openpyxl would read as a formula ("=cmd|...") is stored as text
        if isinstance(v, str) and v.startswith("="):
            cell = WriteOnlyCell(ws, value=v)
            cell.data_type = "s"
            return cell
        return v

    for name, t in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        frame = t.reset_index() if any(n is not None for n in t.index.names) else t
        frame = frame.iloc[:WORKBOOK_ROWS]
        header = []
        for c in frame.columns:
            cell = WriteOnlyCell(ws, value=str(c))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        columns = [_sheet_column(frame.iloc[:, j]) for j in range(frame.shape[1])]
        for row in zip(*columns):
            ws.append([text(v) for v in row])
    wb.save(path)


def _readme(f, tables: dict[str, pd.DataFrame]) -> str:
    lines = ["netlib export", "", f"Data: {f.data.source}", f"Assumptions: {f.assumptions.sentence()}", "",
             "Files:"]
    lines += [f"  {name}.csv  ({len(t):,} rows)" for name, t in tables.items()]
    cut = [name for name, t in tables.items() if len(t) > WORKBOOK_ROWS]
    lines += ["  netlib_export.xlsx  (the same tables, one sheet each, plus the data dictionary"
              + (f"; a sheet holds the first {WORKBOOK_ROWS:,} rows, so {', '.join(cut)} "
                 f"{'is' if len(cut) == 1 else 'are'} complete only in the CSV" if cut else "") + ")",
              "  data_dictionary.csv  (what every column means)"]
    if f.pseudonymized:
        lines += ["", "Customer ids are pseudonyms: 'c' + the first 16 hex digits of SHA-256(salt, NUL, id).",
                  "To map them back, hash your own ids with the salt you kept and join:",
                  "    from netlib.report import pseudonym",
                  "    mapping = dict(zip(pseudonym(my_ids, salt=SALT), my_ids))",
                  "Without the salt the pseudonyms cannot be turned back into ids."]
    return "\n".join(lines) + "\n"


def export_tables_to(f, out) -> ExportResult:
    """Write :func:`export_tables` of findings ``f`` into folder ``out`` (each file atomically)."""
    from netlib.io import atomic_write
    from netlib.report.pages import _write_text

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tables = export_tables(f)
    dictionary = _dictionary(tables, f)
    csv = {}
    for name, t in tables.items():
        path = out / f"{name}.csv"
        with atomic_write(path, "w", encoding="utf-8", newline="") as handle:  # streamed: a 1M-row table
            t.to_csv(handle, index=any(n is not None for n in t.index.names))  # is never one string
        os.chmod(path, 0o644)
        csv[name] = path
    dict_path = out / "data_dictionary.csv"
    _write_text(dict_path, dictionary.to_csv())
    book = out / "netlib_export.xlsx"
    fd, tmp = tempfile.mkstemp(prefix=".netlib_export.", suffix=".xlsx.tmp", dir=out)
    os.close(fd)
    try:
        _write_xlsx(Path(tmp), {**tables, "data_dictionary": dictionary})
        os.replace(tmp, book)
        os.chmod(book, 0o644)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    readme = out / "README.txt"
    _write_text(readme, _readme(f, tables))
    return ExportResult(out=out, csv=csv, workbook=book, dictionary=dict_path, readme=readme,
                        rows={name: len(t) for name, t in tables.items()})


def export(data=None, out="export", *, pseudonymize: bool = False, salt: str | None = None, **kwargs) -> ExportResult:
    """Analyse ``data`` and write the report's tables to ``out``: one CSV per table, ``netlib_export.xlsx``
    (a sheet per table and a ``data_dictionary`` sheet), ``data_dictionary.csv`` and a ``README.txt``.

    Parameters
    ----------
    data : Findings, CustomerData, path or None
        What to export (None: the shipped sample).
    out : path
        Output folder (created).
    pseudonymize : bool
        Export salted pseudonyms instead of customer ids (:func:`netlib.report.pseudonym`); the README
        says how to map them back with the salt.
    **kwargs
        Options of :func:`netlib.report.analyse` (``k``, ``seed``, ``p``, ``runs``, ``taxonomy``).

    Returns
    -------
    ExportResult

    Examples
    --------
    >>> import tempfile, netlib as nl
    >>> from netlib.report import export
    >>> data = nl.generate(60, seed=1)
    >>> result = export(data, tempfile.mkdtemp(), k=3, runs=50, seed=1)
    >>> sorted(result.csv)[:3]
    ['cascades', 'communities', 'customers']
    """
    from netlib._sample import data_or_sample
    from netlib.report.findings import Findings
    from netlib.privacy import pseudonymize as _pseudonymize

    if isinstance(data, Findings):
        f = data
    else:
        loaded = data_or_sample(data)
        if pseudonymize:
            if not salt:
                raise ParameterError("pseudonymize=True needs the salt you will keep to map pseudonyms back")
            loaded = _pseudonymize(loaded, salt=salt)
        f = _findings(loaded, kwargs)
        f.pseudonymized = pseudonymize
    return export_tables_to(f, out)
