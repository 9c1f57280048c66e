"""The executive summary: the report's index page, written from the data.

Every statement is built from :class:`~netlib.report.findings.Findings` and links to the page holding
its evidence; a statement the data does not support is left out (no strategy from a degenerate
behaviour profile, no campaign without ties). All data text is escaped here.
"""

from __future__ import annotations

import html

import pandas as pd

from netlib.report.findings import NEEDS, _pct, round_reach
from netlib.report.tables import explorer_link, table

__all__ = ["summary_html"]

#: Where the evidence for each part of the summary lives (page file and heading anchor).
EVIDENCE = {
    "network": "01_build_network.html#The-network-at-a-glance",
    "influencers": "02_influencers.html#The-ranking",
    "communities": "03_communities.html#Each-community-in-words",
    "behaviours": "05_rogers_behaviours.html#Strategy-per-segment",
    "mapping": "05_rogers_behaviours.html#How-event-types-were-mapped",
    "paths": "04_spread_paths.html#Routes-between-communities",
    "cascades": "04_spread_paths.html#The-cascades",
    "campaign": "06_campaign_plan.html#Recommendation",
    "load": "01_build_network.html#What-was-read",
}


def _e(x) -> str:
    return html.escape(str(x))


def _n(count: int, noun: str) -> str:
    """``1 customer``, ``2 customers``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _link(key: str, text: str = "evidence") -> str:
    return f' <a class="evidence" href="{_e(EVIDENCE[key])}">{_e(text)} →</a>'


def _ids(ids) -> str:
    return ", ".join(explorer_link(i) for i in ids)


def _network(f) -> str:
    G, n = f.G, f.G.number_of_nodes()
    from netlib.plot._base import _degrees

    deg = _degrees(G)
    alone = int((deg == 0).sum())
    top = deg.sort_values(ascending=False).head(max(1, n // 100)).sum() / max(deg.sum(), 1)
    inter = len(f.data.interactions)
    window = f" ({_e(f.assumptions.window)})" if f.assumptions.window else ""
    s1 = (f"{n:,} customers are linked by {G.number_of_edges():,} ties made of {inter:,} interactions{window}; "
          f"the median customer has {deg.median():,.0f} ties.")
    s2 = (f"Ties are concentrated: the best-connected 1% of customers hold {top:.0%} of all tie ends"
          + (f", and {_n(alone, 'customer')} {'has' if alone == 1 else 'have'} no tie at all." if alone else "."))
    return f"<p class=\"lead\">{s1} {s2}{_link('network')}</p>"


def _influencers(f, k: int) -> str:
    r = f.ranking.sort_values("rank").head(k)
    items = "".join(f"<li>{explorer_link(cid)}: {_e(row['why'])}</li>" for cid, row in r.iterrows())
    cols = [c for c in ("rank", "expected_reach", "reach_2hop", "out_strength", "betweenness") if c in r.columns]
    shown = table(r[cols], page_length=k, caption=f"The {len(r)} most influential customers and the measures behind "
                  "their rank").to_html()
    return (f"<p>Ranked by the mean of their percentiles on expected reach, two-step reach, interactions sent and "
            f"bridging. The top {len(r)}:{_link('influencers')}</p><ol class=\"findings\">{items}</ol>{shown}")


def _communities(f) -> str:
    info = f.community_info
    real = info[info["size"] > 1]
    alone = int((info["size"] == 1).sum())
    big = real.head(6)
    held = big["size"].sum() / info["size"].sum()
    items = "".join(f"<li><b>Community {int(c)}: {_e(row['name'])}</b>. {_e(row['description'])}</li>"
                    for c, row in big.iterrows())
    lead = (f"Customers fall into {len(real):,} communities of two or more"
            + (f" (plus {_n(alone, 'customer')} on their own)" if alone else "")
            + f"; the {len(big)} largest hold {held:.0%} of customers.")
    cols = ["name", "size", "share_of_customers", "internal_tie_share", "top_influencers", "linked_to"]
    shown = table(info[cols], caption="The communities, largest first (described on page 3)",
                  ids=("top_influencers",), whole="communities.csv").to_html()
    return f"<p>{lead}{_link('communities')}</p><ul class=\"findings\">{items}</ul>{shown}"


def _behaviours(f) -> str:
    from netlib.patterns import BEHAVIOURS

    out = []
    if f.mapping is not None and "source" in f.mapping.columns:
        ruled = int((f.mapping["source"] == "rule").sum())
        left = int((f.mapping["source"] == "unmapped").sum())
        if ruled or left:
            out.append(f"<p>{ruled:,} event types were matched to a behaviour by netlib's rules (review them) and "
                       f"{left:,} stayed unmapped ({f.unmapped_share:.1%} of behavioural events).{_link('mapping')}</p>")
    counts = f.profiles[[f"{b}_count" for b in BEHAVIOURS]].sum()
    if counts.sum() > 0:
        mix = ", ".join(f"{b} {counts[f'{b}_count'] / counts.sum():.0%}" for b in BEHAVIOURS)
        out.append(f"<p>Across all customers the behaviour mix is {mix}.</p>")
    if f.degenerate:
        out.append(f'<p class="netlib-banner warning">No strategy is recommended: {_e(f.degenerate)}.'
                   f"{_link('mapping', 'event mapping')}</p>")
    elif f.playbook is not None:
        pb = f.playbook[f.playbook.index != -1] if -1 in f.playbook.index else f.playbook
        items = "".join(f"<li><b>{_e(row['name'])}</b> ({int(row['n_customers']):,} customers, "
                        f"{row['share_of_customers']:.0%}): {_e(row['strategy'])}. {_e(row['action'])}</li>"
                        for _, row in pb.iterrows())
        out.append(f"<p>Rogers' strategies by behaviour segment:{_link('behaviours')}</p><ul class=\"findings\">"
                   f"{items}</ul>")
    return "".join(out)


def _paths(f) -> str:
    out = []
    if f.cascade_metrics is not None and len(f.cascade_metrics):
        m = f.cascade_metrics
        big = m.sort_values("size", ascending=False).iloc[0]
        within = f.reach.get("cascade_hops_within")
        hops = f.reach.get("cascade_hops")
        out.append(f"<p>{len(m):,} cascades of {m['item_id'].nunique():,} items were reconstructed from the shares; "
                   f"the largest (item {_e(big['item_id'])}, started by {explorer_link(big['root'])}) reached "
                   f"{int(big['size']):,} customers in {int(big['depth'])} steps."
                   + (f" {within / hops:.0%} of the {hops:,} observed passes stayed inside a community." if hops else "")
                   + f"{_link('cascades')}</p>")
    links = f.community_links
    if links is not None and len(links):
        top = links.head(3)
        routes = "; ".join(f"{int(r.community_a)} ({_e(r.name_a)}) – {int(r.community_b)} ({_e(r.name_b)}): "
                           f"{r.tie_weight:,.0f} interactions" for r in top.itertuples())
        out.append(f"<p>The main routes between communities: {routes}.{_link('paths')}</p>")
    if f.paths is not None and len(f.paths):
        p0 = f.paths[f.paths["hops"] > 0].head(3)
        items = "".join(f"<li>to community {int(c)} ({_e(r['community_name'])}): "
                        f"{' → '.join(explorer_link(v) for v in r['path'].split(' → '))}, "
                        f"probability {_pct(r['probability'])}</li>" for c, r in p0.iterrows())
        if items:
            out.append(f"<p>Most probable paths from the campaign seeds:</p><ul class=\"findings\">{items}</ul>")
    return "".join(out)


def _campaign(f) -> str:
    a, r = f.assumptions, f.reach
    n = r["customers"]
    seeds = _ids(f.seeds)
    terr = ""
    if f.territories is not None:
        t = f.territories.sort_values("territory_size", ascending=False).head(3)
        terr = (" Their territories (who each seed is most likely to reach first): "
                + "; ".join(f"{explorer_link(cid)} {int(row['territory_size']):,} customers, mostly in community "
                            f"{row['territory_main_community']} "
                            f"({_e(f.community_info['name'].get(row['territory_main_community'], ''))})"
                            for cid, row in t.iterrows()) + ".")
    return (f"<p class=\"lead\">Seed a campaign with these {len(f.seeds)} customers (picked by reverse influence "
            f"sampling, with a (1 − 1/e − ε) guarantee): {seeds}. "
            f"It is expected to reach about <b>{round_reach(r['mid'])} customers ({r['mid'] / n:.1%})</b>; "
            f"between {round_reach(r['low'])} and {round_reach(r['high'])} if the pass-on probability is between "
            f"{a.p_low:.1%} and {a.p_high:.1%} rather than {a.p:.1%}.{terr}{_link('campaign')}</p>"
            f"<p class=\"note\">{_e(a.sentence())}</p>")


def _exports(files: dict[str, str]) -> str:
    if not files:
        return ""
    items = "".join(f'<li><a href="{_e(path)}">{_e(label)}</a></li>' for label, path in files.items())
    return f"<h2 id=\"exports\">Take it away</h2><p>Every list in this report, whole:</p><ul>{items}</ul>"


def _pages(entries: list[dict], f) -> str:
    items = []
    for e in entries:
        status = "" if e.get("ok", True) else f' <span class="note">({_e(e["why"])})</span>'
        items.append(f'<li><a href="{_e(e["file"])}">{_e(e["title"])}</a>{status}<br>'
                     f'<span class="note">{_e(e["summary"])}</span></li>')
    return "<h2 id=\"pages\">The pages</h2><ol>" + "".join(items) + "</ol>"


def summary_html(f, *, entries: list[dict], meta: dict, exports: dict[str, str], nav: str, footer: str,
                 tables_mode: str = "beside") -> str:
    """The summary page for findings ``f``; ``entries`` describe the pages, ``exports`` maps labels to files."""
    from netlib.report.pages import banners, page

    k = f.assumptions.k
    body = [banners(warnings=[w.text for w in f.warnings if w.level == "warning" and "summary" in w.pages],
                    notes=[w.text for w in f.warnings if w.level == "note"])]
    d = f.data
    body.append(f"<p class=\"note\">{len(d.customers):,} customers, {len(d.interactions):,} interactions, "
                f"{len(d.events):,} events from {_e(meta.get('data', d.source))}."
                + (' Search any customer and their neighbourhood in the <a href="explorer.html">network explorer</a>; '
                   "every customer id on these pages opens there." if f.G is not None else "") + "</p>")
    if f.G is not None:
        body.append(f"<h2 id=\"network\">The network</h2>{_network(f)}")
        body.append(f"<h2 id=\"influencers\">Who the influencers are</h2>{_influencers(f, k)}")
        body.append(f"<h2 id=\"communities\">The communities</h2>{_communities(f)}")
    if f.profiles is not None:
        body.append(f"<h2 id=\"behaviours\">How customers behave</h2>{_behaviours(f)}")
    if f.G is not None:
        spread = _paths(f)
        if spread:
            body.append(f"<h2 id=\"paths\">Along which paths ideas spread</h2>{spread}")
        if f.seeds:
            body.append(f"<h2 id=\"campaign\">The recommended campaign</h2>{_campaign(f)}")
    body.append(_exports(exports))
    body.append(_pages(entries, f))
    rows = "".join(f"<tr><th>{_e(key)}</th><td>{_e(v)}</td></tr>" for key, v in meta.items())
    body.append(f"<h2 id=\"made\">How this report was made</h2><table class=\"meta\">{rows}</table>")
    return page("Customer network report", "\n".join(body), nav=nav, footer=footer, tables=tables_mode)


def note_html(title: str, text: str, *, nav: str, footer: str) -> str:
    """A short page in place of one the data cannot support."""
    from netlib.report.pages import page

    return page(title, f'<div class="netlib-banner note">{_e(text)}</div>', nav=nav, footer=footer)


def missing_text(name: str, tables: tuple[str, ...]) -> str:
    need = [t for t in NEEDS[name] if t not in tables]
    have = ", ".join(tables) or "no table"
    return (f"This page needs {' and '.join(f'an {t} file' if t[0] in 'aeiou' else f'a {t} file' for t in need)}; "
            f"the data had {have}. Add the file (named e.g. {need[0]}.csv) to the data folder and run the report again.")
