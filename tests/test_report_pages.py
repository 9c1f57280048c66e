"""The report as an analyst receives it, driven in a real browser (Debian's Chromium, network cut off):
on a messy CRM export with unknown event names, and on a folder without an events file."""

from __future__ import annotations

import re
import urllib.parse

import pandas as pd
import pytest
from _crm import crm_export

from netlib.report import NOTEBOOKS, build_report

EVIL = "<img src=x onerror=\"document.body.dataset.pwned='1'\"><script>document.body.dataset.pwned='2'</script>"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def crm_report(tmp_path_factory):
    folder = crm_export(tmp_path_factory.mktemp("crm"), n=300, seed=1, evil=EVIL)
    out = tmp_path_factory.mktemp("crm-report") / "report"
    return build_report(str(folder), out, progress=False, jobs=2, runs=300)


@pytest.fixture(scope="module")
def no_events_report(tmp_path_factory):
    folder = crm_export(tmp_path_factory.mktemp("crm-no-events"), n=120, seed=2, events=False)
    out = tmp_path_factory.mktemp("no-events-report") / "report"
    return build_report(str(folder), out, progress=False, jobs=2, runs=200)


def _text(browser) -> str:
    return browser.js("return document.body.innerText;")


def test_every_page_loads_offline_without_errors_or_injected_code(crm_report, browser):
    pages = [crm_report.index, *crm_report.pages.values()]
    for page in pages:
        browser.open(page, wait_for="document.querySelectorAll('table.dataTable').length > 0 || "
                                    "!document.querySelector('.netlib-table')")
        assert browser.js_errors() == [], page.name
        assert browser.external_requests() == [], page.name
        assert browser.alerts() == [] and browser.js("return document.body.dataset.pwned || '';") == "", page.name
        drawn = browser.js("return document.querySelectorAll('.js-plotly-plot .main-svg').length;")
        divs = browser.js("return document.querySelectorAll('.plotly-graph-div').length;")
        assert drawn >= divs, page.name
    assert (crm_report.out / "plotly.min.js").is_file() and (crm_report.out / "datatables.js").is_file()
    assert sum(1 for p in crm_report.out.rglob("plotly*.js")) == 1  # plotly.js ships once


def test_summary_says_what_the_messy_export_needs(crm_report, browser):
    browser.open(crm_report.index)
    text = _text(browser)
    f = crm_report.findings
    top = f.ranking.sort_values("rank").index[0]
    assert "Who the influencers are" in text and top in text
    assert "Seed a campaign with these 10 customers" in text and "expected to reach about" in text
    assert f"{f.assumptions.p_low:.1%}" in text and f"{f.assumptions.p_high:.1%}" in text
    assert "Files in the data folder that were not read: referrals_backup.csv" in text
    # regions follow the planted communities: most community names say so, and the summary shows them
    info = f.community_info[f.community_info["size"] >= 5]
    regional = info["name"].str.contains("North|South|East|West|Central")
    assert regional.mean() > 0.5
    assert f"Community {info.index[regional][0]}: {info['name'][regional].iloc[0]}" in text
    if f.mapping is None:  # before netlib matches unknown event names, most events stay unmapped
        assert f.unmapped_share > 0.3 and "No strategy is recommended" in text
        assert "could not be mapped" in text
    else:
        assert (f.mapping["source"] == "rule").any() and "were matched to a behaviour by netlib's rules" in text
    # every page that depends on the events says so at the top when many stay unmapped
    if f.unmapped_share > 0.05:
        for name in ("05_rogers_behaviours", "06_campaign_plan"):
            browser.open(crm_report.pages[name])
            first = browser.js("return document.querySelector('.netlib-banner.warning').innerText;")
            assert "Check first" in first and "maps to a behaviour" in first


def test_summary_links_land_on_their_evidence(crm_report, browser):
    browser.open(crm_report.index)
    links = browser.js("return [...document.querySelectorAll('a.evidence')].map(a => a.getAttribute('href'));")
    assert len(links) >= 4
    for href in sorted(set(links)):
        page, _, anchor = href.partition("#")
        browser.open(crm_report.out / page)
        assert browser.js("return document.getElementById(arguments[0]) !== null;", urllib.parse.unquote(anchor)), href
    ids = browser.js("return [...document.querySelectorAll('a.customer')].map(a => a.getAttribute('href'));")
    assert ids and all(h.startswith("explorer.html#customer=") for h in ids)


def test_tables_sort_and_search_in_the_page(crm_report, browser):
    browser.open(crm_report.index, wait_for="document.querySelectorAll('table.dataTable').length >= 2")
    # the communities table: search narrows it, sorting by size orders it
    info = crm_report.findings.community_info
    table_id = browser.js("""
        const t = [...document.querySelectorAll('table.dataTable')].find(t => t.innerText.includes('Ties kept inside'));
        return t.id;""")
    rows = browser.js(f"return document.querySelectorAll('#{table_id} tbody tr').length;")
    assert rows == min(10, len(info))
    name = info["name"].iloc[0]
    box = browser.driver.find_element("css selector", f"#{table_id}_wrapper input[type=search], "
                                                      f"#{table_id}_wrapper .dt-search input")
    box.send_keys(name)
    browser.wait(f"document.querySelectorAll('#{table_id} tbody tr').length <= {(info['name'] == name).sum()}")
    assert name in browser.js(f"return document.querySelector('#{table_id} tbody').innerText;")
    box.clear()
    box.send_keys(" ")
    size_header = browser.js(f"""
        return [...document.querySelectorAll('#{table_id} thead th')].findIndex(th => th.innerText.trim() === 'Size');""")
    # DataTables sorts from the order icon in each header (itables' "icon-only" ordering)
    browser.js(f"document.querySelectorAll('#{table_id} thead th')[{size_header}].querySelector('.dt-column-order').click();")
    browser.wait(f"document.querySelectorAll('#{table_id} thead th')[{size_header}].classList.contains('dt-ordering-asc')")
    first = browser.js(f"return document.querySelectorAll('#{table_id} tbody tr')[0].children[{size_header}].innerText;")
    smallest = int(info["size"].min())
    assert int(first.replace(",", "")) == smallest  # numbers with separators sort as numbers


def test_a_folder_without_events_yields_every_page_it_supports(no_events_report, browser):
    r = no_events_report
    assert set(r.skipped) == {"05_rogers_behaviours"}
    assert "needs an events file" in r.skipped["05_rogers_behaviours"]
    assert sorted(r.pages) == list(NOTEBOOKS)
    browser.open(r.pages["05_rogers_behaviours"])
    assert "This page needs an events file; the data had customers, interactions" in _text(browser)
    browser.open(r.index)
    text = _text(browser)
    assert "No events file was found" in text and "How customers behave" not in text
    assert "Seed a campaign" in text
    customers = pd.read_csv(r.exports["customers"], dtype={"customer_id": str})
    assert customers["customer_id"].is_unique and len(customers) == 120
    assert "access" not in customers.columns  # no behaviour columns without events
