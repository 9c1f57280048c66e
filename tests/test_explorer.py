"""netlib.explorer without a browser: what the page embeds, the layout, escaping and errors.

The browser tests (search, cards, neighbourhoods, filters, injected markup) are in
test_explorer_browser.py.
"""

from __future__ import annotations

import json
import re

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netlib.errors import ParameterError
from netlib.explorer import explorer_data, explorer_html, explore, write_explorer
from netlib.explorer import _layout
from netlib.explorer._page import StringTable, decode, encode


def _two_blocks() -> nx.Graph:
    """Two cliques of 6 joined by one tie, a pair, a triple path and two isolates."""
    G = nx.Graph()
    G.add_edges_from((f"a{i}", f"a{j}") for i in range(6) for j in range(i + 1, 6))
    G.add_edges_from((f"b{i}", f"b{j}") for i in range(6) for j in range(i + 1, 6))
    G.add_edge("a0", "b0", weight=5.0)
    G.add_edges_from([("p0", "p1"), ("t0", "t1"), ("t1", "t2")])
    G.add_nodes_from(["lone1", "lone2"])
    return G


def _payload(page: str) -> dict:
    b64 = re.search(r'<script id="netlib-data" type="application/octet-stream">([A-Za-z0-9+/=]*)</script>', page).group(1)
    return decode(b64)


def test_small_groups_and_isolates_are_summarised_not_drawn():
    d = explorer_data(_two_blocks(), seed=0)
    ids, drawn = d["ids"], dict(zip(d["ids"], d["drawn"]))
    assert {v for v in ids if drawn[v]} == {f"a{i}" for i in range(6)} | {f"b{i}" for i in range(6)}
    m = d["meta"]
    assert (m["isolates"], m["small_groups"], m["small_members"]) == (2, 2, 5)
    assert (m["drawn"], m["ties_drawn"], m["ties"]) == (12, 31, 34)
    assert not m["summarised"]
    assert all(np.isnan(d["x"][i]) for i, v in enumerate(ids) if not drawn[v])


def ties_of(pairs: dict, i: int) -> list[tuple[int, float]]:
    """Customer ``i``'s ties read from the page's pairs, strongest first then by neighbour (as the card lists them)."""
    ptr, n, wc, wv = pairs["ptr"], pairs["n"], pairs["wc"], pairs["wv"]
    out = [(int(n[k]), float(wv[wc[k]])) for k in range(ptr[i], ptr[i + 1])]
    lower = np.flatnonzero(n[:ptr[i]] == i)  # a tie to a customer before i is stored under that customer
    owner = np.searchsorted(ptr, lower, side="right") - 1
    out += [(int(u), float(wv[wc[k]])) for u, k in zip(owner, lower)]
    return sorted(out, key=lambda x: (-x[1], x[0]))


def test_every_tie_is_stored_once_and_gives_every_neighbour_strongest_first():
    G = _two_blocks()
    d = explorer_data(G, seed=0)
    p, ids = d["pairs"], d["ids"]
    owner = np.repeat(np.arange(len(ids)), np.diff(p["ptr"]))
    assert (owner < p["n"]).all() and len(p["n"]) == G.number_of_edges()
    assert {frozenset((ids[u], ids[v])) for u, v in zip(owner, p["n"])} == {frozenset(e) for e in G.edges()}
    for i, v in enumerate(ids):
        assert sorted(ids[j] for j, _ in ties_of(p, i)) == sorted(map(str, G[v]))
    assert ties_of(p, ids.index("a0"))[0] == (ids.index("b0"), 5.0)
    assert p["wc"].dtype == np.uint8 and p["wv"].tolist() == [1.0, 5.0]  # two strengths, one byte per tie


def test_directed_ties_add_both_directions(directed_weighted):
    d = explorer_data(directed_weighted, seed=0)
    ids = d["ids"]
    got = {ids[j]: w for j, w in ties_of(d["pairs"], ids.index("a"))}
    assert got == {"c": 4.0, "b": 2.0, "d": 0.5}


def test_many_distinct_strengths_travel_as_values():
    G = nx.path_graph(400)  # tie (k, k + 1) has strength 1 + k / 7: 399 values, two-byte codes
    nx.set_edge_attributes(G, {(k, k + 1): 1.0 + k / 7 for k in range(399)}, "weight")
    d = explorer_data(G, seed=0)
    p, ids = d["pairs"], d["ids"]
    assert p["wc"].dtype == np.uint16 and len(p["wv"]) == 399
    assert ties_of(p, ids.index("5")) == [(ids.index("6"), float(np.float32(1 + 5 / 7))),
                                          (ids.index("4"), float(np.float32(1 + 4 / 7)))]


def test_layout_is_seeded_and_independent_of_insertion_order():
    G = nx.relabel_nodes(nx.planted_partition_graph(4, 25, 0.3, 0.01, seed=3), str)
    H = nx.Graph()
    H.add_nodes_from(reversed(list(G.nodes())))
    H.add_edges_from(reversed(list(G.edges())))
    one, two, other = explorer_data(G, seed=7), explorer_data(H, seed=7), explorer_data(G, seed=8)
    assert np.array_equal(one["x"], two["x"]) and np.array_equal(one["y"], two["y"])
    assert not np.array_equal(one["x"], other["x"])


def test_communities_are_disc_separated():
    # four planted groups, laid out as discs: every customer is nearer its own community's centre
    G = nx.relabel_nodes(nx.planted_partition_graph(4, 30, 0.4, 0.005, seed=1), str)
    customers = pd.DataFrame({"community": [int(v) // 30 for v in G.nodes()]},
                             index=pd.Index(list(G.nodes()), name="customer_id"))
    d = explorer_data(G, customers=customers, seed=0)
    xy = np.column_stack([d["x"], d["y"]]).astype(float)
    comm = np.array(d["community"])
    centres = np.array([xy[comm == c].mean(axis=0) for c in range(4)])
    nearest = np.argmin(((xy[:, None, :] - centres[None]) ** 2).sum(axis=2), axis=1)
    assert (nearest == comm).all()


def test_separate_removes_every_overlap():
    rng = np.random.default_rng(0)
    centre = rng.normal(size=(300, 2))
    radius = rng.uniform(0.5, 3.0, size=300)
    c = _layout._separate(centre, radius, gap=0.1)
    d = np.hypot(*(c[:, None, :] - c[None, :, :]).transpose(2, 0, 1))
    need = radius[:, None] + radius[None, :]
    np.fill_diagonal(d, np.inf)
    assert (d >= need - 1e-6).all()


def test_customer_table_drives_the_card_and_filters():
    G = _two_blocks()
    nodes = sorted(G.nodes())
    customers = pd.DataFrame({
        "name": [f"Name {v}" for v in nodes],
        "region": ["North" if v.startswith("a") else "South" for v in nodes],
        "community": [0 if v.startswith("a") else 1 for v in nodes],
        "segment": ["loyal" if v.endswith("0") else "occasional" for v in nodes],
        "access": 0.5, "engage": 0.2, "customize": 0.1, "connect": 0.1, "collaborate": 0.1,
        "pagerank": np.linspace(0.01, 0.2, len(nodes)), "reach": np.arange(len(nodes), dtype=float),
        "influence_rank": np.arange(len(nodes), 0, -1),
    }, index=pd.Index(nodes, name="customer_id"))
    communities = pd.DataFrame({"name": ["Northerners", "Southerners"], "description": ["north <b>side</b>", "south"]},
                               index=pd.Index([0, 1], name="community"))
    d = explorer_data(G, customers=customers, communities=communities, seeds=["b3"], export_href="customers.html#c-{id}")
    assert [c["name"] for c in d["communities"]] == ["Northerners", "Southerners"]
    assert d["communities"][0]["description"] == "north <b>side</b>"  # escaped by the page, kept verbatim here
    assert d["names"][d["ids"].index("a1")] == "Name a1"
    assert d["segments"] == ["loyal", "occasional"]
    assert [m["key"] for m in d["measures"]] == ["pagerank", "reach"]
    assert d["measures"][1]["values"][d["ids"].index("a2")] == nodes.index("a2")
    assert d["meta"]["slider"] == "reach" and d["meta"]["size_by"] == "pagerank"
    region = next(a for a in d["attributes"] if a["key"] == "region")
    assert region["filter"] and region["values"] == ["North", "South"]
    assert [region["values"][c] for c in region["codes"]] == customers["region"].tolist()
    assert d["rank"][d["ids"].index("a0")] == len(nodes)
    assert d["seed"][d["ids"].index("b3")] == 1 and sum(d["seed"]) == 1
    assert d["ids"].index("b3") in d["labelled"]


def test_shares_travel_as_whole_percents_and_codes_in_small_integers():
    G = _two_blocks()
    nodes = sorted(G.nodes())
    access = np.linspace(0, 1, len(nodes))
    access[3] = np.nan
    customers = pd.DataFrame({"access": access, "segment": ["loyal", "new"] * (len(nodes) // 2) + ["loyal"] * (len(nodes) % 2),
                              "tier": [f"t{k % 200}" for k in range(len(nodes))], "community": 0},
                             index=pd.Index(nodes, name="customer_id"))
    d = explorer_data(G, customers=customers, seed=0)
    want = [255 if np.isnan(v) else int(np.round(100 * v)) for v in access]
    assert d["shares"]["access"].dtype == np.uint8 and d["shares"]["access"].tolist() == want
    assert d["segment"].dtype == np.int8 and d["community"].dtype == np.int8
    tier = next(a for a in d["attributes"] if a["key"] == "tier")
    assert [tier["values"][c] for c in tier["codes"]] == customers["tier"].tolist()


def test_pseudonymized_pages_carry_no_names():
    G = _two_blocks()
    customers = pd.DataFrame({"name": "Secret Person", "email": "x@example.org", "tier": "gold"},
                             index=pd.Index(sorted(G.nodes()), name="customer_id"))
    page = explorer_html(G, customers=customers, pseudonymized=True)
    d = _payload(page)
    assert d["names"] is None
    assert [a["key"] for a in d["attributes"]] == ["tier"]
    assert "Secret Person" not in page and "example.org" not in json.dumps(d, default=str)
    assert 'placeholder="Find a customer by id"' in page


def test_summary_map_draws_the_most_influential_and_every_seed():
    G = nx.barabasi_albert_graph(300, 2, seed=4)
    pr = nx.pagerank(G)
    customers = pd.DataFrame({"pagerank": pd.Series(pr)}).rename_axis("customer_id")
    low = min(pr, key=pr.get)
    d = explorer_data(G, customers=customers, max_nodes=50, seeds=[low])
    top = sorted(pr, key=lambda v: (-pr[v], v))[:50]
    drawn = {int(v) for v, f in zip(d["ids"], d["drawn"]) if f}
    assert drawn == set(top) | {low}
    assert d["meta"]["summarised"] and d["meta"]["drawn"] == 51
    assert d["meta"]["ties_drawn"] == G.subgraph(drawn).number_of_edges()


def test_computes_communities_and_measures_when_given_only_the_graph(karate):
    d = explorer_data(karate, seed=1)
    assert {m["key"] for m in d["measures"]} == {"degree", "pagerank"}
    assert d["meta"]["size_by"] == "pagerank"
    pr = nx.pagerank(karate)
    assert d["ids"][int(np.flatnonzero(d["rank"] == 1)[0])] == str(max(pr, key=pr.get))
    assert len(d["communities"]) == d["community"].max() + 1 >= 2


def test_bad_arguments_name_what_is_wrong(karate):
    with pytest.raises(ParameterError, match="size_by: 'reach' is not a numeric customer column"):
        explorer_data(karate, size_by="reach")
    with pytest.raises(ParameterError, match=r"seeds: 1 id\(s\) are not customers in the network, e.g. \['nobody'\]"):
        explorer_data(karate, seeds=["nobody"])
    with pytest.raises(ParameterError, match="max_nodes must be an int >= 1"):
        explorer_data(karate, max_nodes=0)
    with pytest.raises(ParameterError, match="seed must be an int"):
        explorer_data(karate, seed=1.5)


def test_page_is_self_contained_and_escapes_the_title(tmp_path, karate):
    out = write_explorer(karate, tmp_path / "explorer.html", title='<script>alert("t")</script> & co', seed=0)
    page = out.read_text(encoding="utf-8")
    assert "<title>&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; co</title>" in page
    assert '<script>alert("t")' not in page
    assert not re.search(r"<script[^>]*\bsrc=|<link\b|<iframe\b|<img\b", page)
    assert "connect-src 'none'" in page and "default-src 'none'" in page
    assert list(tmp_path.iterdir()) == [out]  # written atomically: no temporary file left


def test_notebook_view_embeds_the_same_page_escaped(karate):
    view = explore(karate, seed=0, customer=0, height=500)
    frame = view._repr_html_()
    assert frame.startswith("<iframe srcdoc=\"") and "height:500px" in frame
    assert "<script" not in frame.split('srcdoc="', 1)[1].split('"', 1)[0]  # markup travels escaped
    assert _payload(view.page)["meta"]["open"] == "0"


def test_binary_payload_round_trips():
    payload = {"meta": {"title": "<b>x</b>", "n": 3}, "ids": ["a", "b", "é"],
               "names": StringTable(["Zoë", None, "", "😀 emoji", "<b>x</b>"]), "plain": StringTable(["C1", "C22"]),
               "x": np.array([0.5, np.nan, 2.0], dtype=np.float32), "drawn": np.array([1, 0, 1], dtype=np.uint8),
               "ties": {"ptr": np.array([0, 1, 3, 4], dtype=np.int32), "n": np.array([1, 0, 2, 1], dtype=np.int32)}}
    back = decode(encode(payload))
    assert back["meta"] == payload["meta"] and back["ids"] == payload["ids"]
    assert back["names"] == payload["names"] and back["plain"] == ["C1", "C22"]
    assert isinstance(back["names"], StringTable)
    np.testing.assert_array_equal(back["x"], payload["x"])
    for key in ("ptr", "n"):
        assert back["ties"][key].dtype == np.int32
        np.testing.assert_array_equal(back["ties"][key], payload["ties"][key])


def _same(a, b, where="data"):
    """Equal JSON-ready payloads: the same keys, lists and arrays (dtype and values, NaN equal to NaN)."""
    if isinstance(a, dict):
        assert set(a) == set(b), (where, set(a) ^ set(b))
        for key in a:
            _same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), where
    else:
        assert a == b or (a != a and b != b), (where, a, b)


@pytest.mark.parametrize("max_nodes", [10_000, 300])
def test_customer_network_gives_the_same_page_data_as_its_networkx_graph(max_nodes):
    import netlib as nl

    data = nl.load_sample()
    net = nl.customer_network(data)
    from_arrays = explorer_data(net, seed=3, max_nodes=max_nodes)
    from_networkx = explorer_data(net.to_networkx(), seed=3, max_nodes=max_nodes)
    _same(from_arrays, from_networkx)
    # the customers' own columns reached the page as attributes, and the map was drawn whole or summarised
    assert {a["key"] for a in from_arrays["attributes"]} >= {"region", "age_band"}
    assert from_arrays["meta"]["summarised"] == (max_nodes == 300)
    assert from_arrays["meta"]["drawn"] == (300 + from_arrays["meta"]["seeds"] if max_nodes == 300 else 1984)


def test_community_label_places_are_grouped_quantiles():
    from netlib.explorer._data import _group_quantile

    rng = np.random.default_rng(2)
    group = np.sort(rng.integers(0, 6, size=80))
    group[group == 3] = 4  # community 3 has no drawn member
    values = rng.normal(size=80)
    bounds = np.searchsorted(group, np.arange(7))
    for q in (0.5, 0.9):
        got = _group_quantile(values, group, bounds, q)
        want = [np.quantile(values[group == j], q) if (group == j).any() else np.nan for j in range(6)]
        np.testing.assert_allclose(got, want, rtol=1e-12)
