"""The explorer page in a real browser (Debian's Chromium through selenium, network cut off).

Search opens the card, the neighbourhood view holds exactly the customer's neighbours, the community
filter hides the others, deep links open a customer, injected markup stays text, and the page makes
no request and raises no JavaScript error.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import netlib as nl
from netlib.explorer import write_explorer
from netlib.explorer._page import decode

pytestmark = pytest.mark.slow

READY = "window.netlibExplorer && (window.netlibExplorer.ready || window.netlibExplorer.errors.length > 0)"
LOAD = 240  # seconds; the test machine may be busy


def _payload(path) -> dict:
    text = path.read_text(encoding="utf-8")
    return decode(re.search(r'<script id="netlib-data" type="application/octet-stream">([^<]*)</script>', text).group(1))


def messy_graph() -> tuple[nx.Graph, pd.DataFrame, pd.DataFrame]:
    """Odd ids, names holding markup, one giant component, many tiny ones and isolates."""
    rng = np.random.default_rng(5)
    G = nx.relabel_nodes(nx.powerlaw_cluster_graph(400, 2, 0.3, seed=5), lambda v: f"c{v:03d}")
    odd = ['<script>alert("id")</script>', '<img src=x onerror=alert("img")>', 'a&b "quoted" \'single\'',
           "ünï cödé / slash?#frag%20", "42", "  spaced  "]
    for j, v in enumerate(odd):
        G.add_edge(v, f"c{(7 * j) % 400:03d}", weight=float(j + 1))
    for k in range(60):  # pairs and triples
        G.add_edge(f"pair{k}a", f"pair{k}b")
        if k % 3 == 0:
            G.add_edge(f"pair{k}b", f"pair{k}c")
    G.add_nodes_from(f"alone{k}" for k in range(40))
    ids = sorted(G.nodes())
    names = {v: f"Name {v}" for v in ids}
    names['<script>alert("id")</script>'] = '<b onmouseover=alert("name")>Bold</b> Person'
    names["42"] = "<script>document.title='pwned'</script>"
    customers = pd.DataFrame({
        "name": [names[v] for v in ids],
        "tier": rng.choice(["gold", "silver", "<i>bronze</i>"], size=len(ids)),
        "community": [0 if v.startswith("c") else 1 for v in ids],
    }, index=pd.Index(ids, name="customer_id"))
    communities = pd.DataFrame({"name": ["Core <u>club</u>", "Fringe"],
                                "description": ["<img src=y onerror=alert('desc')> the big one", "pairs & loners"]},
                               index=pd.Index([0, 1], name="community"))
    return G, customers, communities


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    G = nl.build_network(nl.load_sample())
    path = write_explorer(G, tmp_path_factory.mktemp("explorer") / "explorer.html", seed=3,
                          export_href="customers.html#customer-{id}")
    return G, path, _payload(path)


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    G, customers, communities = messy_graph()
    path = write_explorer(G, tmp_path_factory.mktemp("messy") / "explorer.html", customers=customers,
                          communities=communities, seed=0, title="<script>alert('title')</script>")
    return G, customers, path, _payload(path)


def _open(browser, path, fragment: str = ""):
    browser.open(path.resolve().as_uri() + fragment, wait_for=READY, timeout=LOAD)
    assert browser.js("return window.netlibExplorer.errors") == []
    return browser


def _neighbours(G, v, steps):
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    return {str(u) for u in nx.single_source_shortest_path_length(U, v, cutoff=steps)}


def test_search_by_name_and_by_id_opens_the_card(browser, sample):
    G, path, d = sample
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, path)
    top = int(np.flatnonzero(d["rank"] == 1)[0])
    name, cid = d["names"][top], d["ids"][top]
    box = browser.driver.find_element(By.ID, "search")
    box.send_keys(name)
    browser.wait("document.querySelector('#search-results .hit')")
    hits = browser.driver.find_elements(By.CSS_SELECTOR, "#search-results .hit")
    same = sum(1 for n in d["names"] if n and name.lower() in n.lower())
    assert len(hits) == min(same, 12)  # names can repeat: every match is offered with its id
    next(h for h in hits if h.text.endswith(f" {cid}")).click()
    browser.wait("!document.getElementById('card').hidden")
    card = browser.js("return document.getElementById('card').textContent")
    assert browser.driver.find_element(By.ID, "card-title").text == name
    assert f"Influence rank 1 of {G.number_of_nodes():,}" in card
    community = d["communities"][d["community"][top]]
    assert community["name"] in card and community["description"] in card
    assert f"Strongest ties ({G.to_undirected(as_view=True).degree(cid):,} in all)" in card
    assert browser.js("return location.hash") == "#customer=" + quote(cid, safe="")
    href = browser.js("return document.getElementById('card-export').getAttribute('href')")
    assert href == f"customers.html#customer-{quote(cid, safe='')}"

    other = int(np.flatnonzero(d["rank"] == 2)[0])
    box.clear()
    box.send_keys(d["ids"][other], Keys.ENTER)
    browser.wait(f"document.getElementById('card-title').textContent === {d['names'][other]!r}")
    assert browser.js_errors() == []


def test_neighbourhood_holds_exactly_the_neighbours(browser, sample):
    G, path, d = sample
    from selenium.webdriver.common.by import By

    _open(browser, path)
    hub = int(np.flatnonzero(d["rank"] == 5)[0])
    cid = d["ids"][hub]
    assert browser.js("return window.netlibExplorer.open(arguments[0])", cid)
    browser.driver.find_element(By.ID, "ego-1").click()
    one = _neighbours(G, cid, 1)
    assert set(browser.js("return window.netlibExplorer.egoIds()")) == one
    assert set(browser.js("return window.netlibExplorer.visibleIds()")) == one  # the rest is dimmed
    status = browser.driver.find_element(By.ID, "status").text
    assert f"direct ties: {len(one) - 1:,} customers" in status
    browser.driver.find_element(By.ID, "ego-2").click()
    two = _neighbours(G, cid, 2)
    assert len(two) > len(one)
    assert set(browser.js("return window.netlibExplorer.visibleIds()")) == two
    browser.driver.find_element(By.ID, "ego-clear").click()
    assert len(browser.js("return window.netlibExplorer.visibleIds()")) == int(d["drawn"].sum())


def test_community_filter_hides_the_others(browser, sample):
    G, path, d = sample
    from selenium.webdriver.common.by import By

    _open(browser, path)
    browser.driver.find_element(By.ID, "community-none").click()
    assert browser.js("return window.netlibExplorer.visibleIds()") == []
    browser.driver.find_element(By.CSS_SELECTOR, '#filter-community input[data-value="2"]').click()
    want = {d["ids"][i] for i in np.flatnonzero((d["community"] == 2) & (d["drawn"] == 1))}
    assert want and set(browser.js("return window.netlibExplorer.visibleIds()")) == want
    shown = browser.js("return [...document.querySelectorAll('.community-label')].filter(e => !e.hidden)"
                       ".map(e => e.dataset.community)")
    assert set(shown) <= {"2"}
    browser.driver.find_element(By.ID, "community-all").click()
    assert len(browser.js("return window.netlibExplorer.visibleIds()")) == int(d["drawn"].sum())


def test_segment_and_attribute_filters(browser, sample):
    G, path, d = sample
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _open(browser, path)
    loyal = d["segments"].index("loyal")
    browser.driver.find_element(By.CSS_SELECTOR, f'#filter-segment input[data-value="{loyal}"]').click()
    region = next(a for a in d["attributes"] if a["key"] == "region")
    Select(browser.driver.find_element(By.ID, "attr-key")).select_by_value("region")
    west = region["values"].index("West")
    browser.driver.find_element(By.CSS_SELECTOR, f'#filter-attr input[data-value="{west}"]').click()
    keep = (d["drawn"] == 1) & (d["segment"] != loyal) & (region["codes"] != west)
    assert set(browser.js("return window.netlibExplorer.visibleIds()")) == {d["ids"][i] for i in np.flatnonzero(keep)}
    assert browser.js_errors() == []


def test_deep_link_opens_the_customer_and_the_page_stays_offline(browser, sample):
    G, path, d = sample
    cid = d["ids"][17]
    _open(browser, path, "#customer=" + quote(cid, safe=""))
    assert browser.js("return document.getElementById('card-title').textContent") == (d["names"][17] or cid)
    assert browser.js("return performance.getEntriesByType('resource').length") == 0
    assert browser.external_requests() == []
    assert browser.js_errors() == []


def test_injected_markup_stays_text(browser, messy):
    G, customers, path, d = messy
    from selenium.webdriver.common.by import By

    _open(browser, path)
    assert browser.driver.title == "<script>alert('title')</script>"
    for cid in ['<script>alert("id")</script>', '<img src=x onerror=alert("img")>', "42",
                "ünï cödé / slash?#frag%20", 'a&b "quoted" \'single\'']:
        box = browser.driver.find_element(By.ID, "search")
        box.clear()
        box.send_keys(cid)
        browser.wait("document.querySelector('#search-results .hit')")
        browser.driver.find_element(By.CSS_SELECTOR, "#search-results .hit").click()
        want = customers.loc[cid, "name"]
        assert browser.js("return document.getElementById('card-title').textContent") == want
        assert browser.js("return document.getElementById('card-id').textContent") == f"id {cid}"
        # a deep link with the same id opens the same card
        browser.js("location.hash = ''; location.hash = arguments[0];", "#customer=" + quote(cid, safe=""))
        browser.wait(f"document.getElementById('card-title').textContent === {want!r}")
    card = browser.js("return document.getElementById('card').innerHTML")
    assert "<img" not in card and "<script" not in card and "<b " not in card
    assert browser.js("return document.querySelectorAll('img, iframe, b, i, u').length") == 0
    assert browser.alerts() == []
    assert browser.driver.title == "<script>alert('title')</script>"
    assert browser.js_errors() == [] and browser.external_requests() == []


def test_messy_graph_summarises_isolates_and_small_groups(browser, messy):
    G, customers, path, d = messy
    _open(browser, path)
    summary = browser.js("return document.getElementById('summary').textContent")
    assert "Not on the map: 40 without ties and 140 in 60 small separate groups of fewer than 4" in summary
    assert int(d["drawn"].sum()) == 406
    browser.js("window.netlibExplorer.open('alone3')")
    assert "Not on the map: no ties" in browser.js("return document.getElementById('card').textContent")


@pytest.fixture(scope="module")
def summarised(tmp_path_factory):
    G = nl.build_network(nl.load_sample())
    path = write_explorer(G, tmp_path_factory.mktemp("summarised") / "explorer.html", seed=3, max_nodes=300)
    return G, path, _payload(path)


def test_a_customer_off_the_map_joins_it_with_their_neighbourhood(browser, summarised):
    from selenium.webdriver.common.by import By

    from test_explorer import ties_of

    G, path, d = summarised
    U = G.to_undirected(as_view=True)
    _open(browser, path)
    drawn = int(d["drawn"].sum())
    assert len(browser.js("return window.netlibExplorer.drawnIds()")) == drawn
    off = next(int(i) for i in np.argsort(d["rank"]) if d["rank"][i] > 0 and not d["drawn"][i]
               and U.degree(d["ids"][i]) >= 3)
    cid = d["ids"][off]
    assert browser.js("return window.netlibExplorer.open(arguments[0])", cid)
    on_map = browser.js("return window.netlibExplorer.drawnIds()")
    assert cid in on_map and len(on_map) == drawn + 1
    card = browser.js("return document.getElementById('card').textContent")
    assert "Added to the map while shown: outside the" in card
    # the card lists the strongest ties, read from the pairs the page carries
    listed = browser.js("return [...document.querySelectorAll('#card .ties button')].map(b => b.textContent)")
    assert listed == [d["names"][j] or d["ids"][j] for j, _ in ties_of(d["pairs"], off)[:8]]
    for steps in (1, 2):
        browser.driver.find_element(By.ID, f"ego-{steps}").click()
        want = _neighbours(G, cid, steps)
        assert set(browser.js("return window.netlibExplorer.visibleIds()")) == want
        assert set(browser.js("return window.netlibExplorer.drawnIds()")) >= want
    browser.driver.find_element(By.CSS_SELECTOR, "#card button.close").click()
    assert len(browser.js("return window.netlibExplorer.drawnIds()")) == drawn
    assert browser.js_errors() == []


@pytest.mark.parametrize("caseless_by_entry", [False, True])
def test_search_reads_ids_beyond_the_basic_plane_and_case_changes(browser, tmp_path, caseless_by_entry):
    # "😀" takes two UTF-16 units; "İ" lower-cases to two characters, so with it the page searches entry by entry
    ids = ["x😀y", "😀 smile", "İstanbul" if caseless_by_entry else "Istanbul", "plain", "Zed"]
    G = nx.Graph([(ids[0], ids[1]), (ids[1], ids[2]), (ids[2], ids[3]), (ids[3], ids[4]), (ids[4], ids[0])])
    path = write_explorer(G, tmp_path / "explorer.html", seed=0)
    _open(browser, path)

    def hits(text):
        browser.js("const b = document.getElementById('search'); b.value = arguments[0];"
                   "b.dispatchEvent(new Event('input'));", text)
        return browser.js("return [...document.querySelectorAll('#search-results .hit')].map(h => h.textContent)")

    assert hits("😀") == ["x😀y", "😀 smile"]  # in id order
    assert hits("STANBUL") == [ids[2]]
    assert hits("zed") == ["Zed"]  # the id, ignoring case
    assert hits("dpl") == []  # the ids sit side by side in one text ("Zedplain..."): no match runs across two
    browser.js("location.hash = arguments[0];", "#customer=" + quote("x😀y", safe=""))
    browser.wait("document.getElementById('card-title').textContent === 'x😀y'")
    assert browser.js_errors() == []
