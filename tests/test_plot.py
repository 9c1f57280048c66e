"""Figures are checked through ``fig.to_dict()``: traces, titles, hover text, positions, escaping."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netlib import plot
from netlib.errors import ParameterError, SchemaError

EVIL = "<script>alert(1)</script>"


def _arr(value):
    """Plotly stores numpy arrays as typed arrays ({"dtype", "bdata"}); decode them for comparisons."""
    if isinstance(value, dict) and "bdata" in value:
        import base64

        out = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if isinstance(shape, str):
            shape = tuple(int(x) for x in shape.split(","))
        return out.reshape(shape) if shape else out
    return np.asarray(value)


def _hover(trace: dict) -> list[str]:
    text = trace.get("hovertext", trace.get("text"))
    if text is None:
        return []
    return [text] if isinstance(text, str) else list(text)


def _karate_world(karate):
    G = nx.relabel_nodes(karate, {v: f"c{v:02d}" for v in karate})
    part = pd.Series({v: int(d["club"] == "Officer") for v, d in G.nodes(data=True)}, name="community")
    score = pd.Series(dict(G.degree()), dtype=float, name="pagerank")
    return G, part, score


# ----------------------------------------------------------------------------------------- network map


def test_network_map_colours_sizes_and_names_customers(karate):
    G, part, score = _karate_world(karate)
    fig = plot.network_map(G, communities=part, size=score, hover=pd.DataFrame({"degree": score}), seed=3)
    d = fig.to_dict()
    edges, *nodes = d["data"]
    assert edges["mode"] == "lines" and edges["hoverinfo"] == "skip"
    assert len([x for x in edges["x"] if x is None]) == G.number_of_edges()
    assert [t["name"] for t in nodes] == ["community 0 (17)", "community 1 (17)"]
    hover = [h for t in nodes for h in _hover(t)]
    assert len(hover) == 34
    for v in G:
        assert any(h.startswith(f"<b>{v}</b>") for h in hover)
    # the hub (node 33, degree 17) is the largest marker
    sizes = {h.split("</b>")[0][3:]: s for t in nodes for h, s in zip(_hover(t), _arr(t["marker"]["size"]))}
    assert max(sizes, key=sizes.get) == "c33"
    assert d["layout"]["meta"] == {"drawn": 34, "total": 34, "summary": False, "without_ties": 0, "highlighted": 0,
                                   "figure": "network_map"}
    assert d["layout"]["title"]["text"] == "Customer network: 34 customers, 78 ties"
    assert all(t["type"] == "scatter" for t in d["data"])


def test_network_map_is_seeded_and_leaves_global_rng_alone(karate):
    G, part, _ = _karate_world(karate)
    py_state, np_state = random.getstate(), np.random.get_state()[1].copy()
    a = plot.network_map(G, communities=part, seed=1).to_dict()
    b = plot.network_map(G, communities=part, seed=1).to_dict()
    c = plot.network_map(G, communities=part, seed=2).to_dict()
    assert a == b
    assert not np.array_equal(_arr(a["data"][1]["x"]), _arr(c["data"][1]["x"]))
    assert random.getstate() == py_state
    assert np.array_equal(np.random.get_state()[1], np_state)
    # insertion order does not move anyone
    H = nx.Graph()
    H.add_nodes_from(sorted(G, reverse=True))
    H.add_edges_from(reversed(list(G.edges())))
    assert np.array_equal(_arr(plot.network_map(H, communities=part, seed=1).to_dict()["data"][1]["x"]),
                          _arr(a["data"][1]["x"]))


def test_network_map_summarises_big_networks_and_says_so(karate):
    G, part, score = _karate_world(karate)
    fig = plot.network_map(G, communities=part, size=score, max_nodes=12, top=2)
    d = fig.to_dict()
    assert d["layout"]["meta"] == {"drawn": 12, "total": 34, "summary": True, "without_ties": 0, "highlighted": 0,
                                   "figure": "network_map"}
    assert d["layout"]["title"]["text"].startswith("Summary map: top 2 customers by pagerank")
    drawn = {h.split("</b>")[0][3:] for t in d["data"][1:] for h in _hover(t)}
    assert {"c33", "c00"} <= drawn  # the two hubs anchor the summary
    assert all(v in set(G["c33"]) | set(G["c00"]) | {"c33", "c00"} for v in drawn)


def test_network_map_uses_webgl_above_threshold(karate, monkeypatch):
    G, part, _ = _karate_world(karate)
    monkeypatch.setattr(plot, "WEBGL_NODES", 10)
    d = plot.network_map(G, communities=part).to_dict()
    assert {t["type"] for t in d["data"]} == {"scattergl"}


def test_network_map_escapes_customer_text_and_summarises_isolates():
    G = nx.DiGraph()
    G.add_edge(EVIL, "b")
    G.add_nodes_from(["alone", "lonely"])
    d = plot.network_map(G, communities=pd.Series({EVIL: 0, "b": 0, "alone": 1, "lonely": 2})).to_dict()
    hover = [h for t in d["data"][1:] for h in _hover(t)]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in h for h in hover)
    assert not any(EVIL in h for h in hover)
    drawn = {h.split("</b>")[0][3:] for h in hover}
    assert "alone" not in drawn and "lonely" not in drawn  # counted, not drawn in a row under the map
    assert d["layout"]["title"]["text"].endswith("; 2 customers without ties not drawn")
    assert d["layout"]["meta"]["without_ties"] == 2


def test_network_map_lays_out_communities_apart_and_labels_ranked_customers(karate):
    G, part, score = _karate_world(karate)
    ranks = pd.Series(range(1, 6), index=["c33", "c00", "c32", "c02", "c01"])
    fig = plot.network_map(G, communities=part, size=score, highlight=ranks, seed=2)
    d = fig.to_dict()
    xy = {h.split("</b>")[0][3:]: (x, y) for t in d["data"][1:] for h, x, y in zip(_hover(t), _arr(t.get("x", [])),
                                                                                 _arr(t.get("y", []))) if "<b>" in h}
    # each community sits in its own disc: the discs do not overlap
    discs = []
    for c in (0, 1):
        pts = np.array([xy[v] for v in part.index[part == c]])
        centre = pts.mean(axis=0)
        discs.append((centre, np.sqrt(((pts - centre) ** 2).sum(1)).max()))
    (c0, r0), (c1, r1) = discs
    assert np.hypot(*(c0 - c1)) > r0 + r1
    notes = d["layout"]["annotations"]
    assert [a["text"] for a in notes] == ["#1 c33", "#2 c00", "#3 c32", "#4 c02", "#5 c01"]
    assert d["layout"]["meta"]["highlighted"] == 5
    ring = next(t for t in d["data"] if t["name"] == "highlighted customers")
    assert len(_arr(ring["x"])) == 5


def test_labels_and_circles_never_overlap():
    from netlib.plot._layout import place_labels, separate

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(40, 2))
    radii = rng.uniform(0.1, 0.6, 40)
    out = separate(centres, radii)
    dist = np.sqrt(((out[:, None] - out[None]) ** 2).sum(-1))
    np.fill_diagonal(dist, np.inf)
    assert (dist >= (radii[:, None] + radii[None]) * 0.999).all()
    # twelve labels: ten crowded into one corner, two far away (the data range spans 80% of 900 x 560 px)
    pts = np.vstack([rng.normal(size=(10, 2)) * 0.002, [[1.0, 1.0], [0.0, 1.0]]])
    texts = [f"#{i} C{i:04d}" for i in range(12)]
    offs = place_labels(pts, texts)
    px = (pts - pts.min(0)) * np.array([720, 448]) / np.ptp(pts, axis=0) * np.array([1, -1])
    boxes = []
    for (x, y), (ax, ay), t in zip(px, offs, texts):
        w, h = 0.62 * 11 * len(t) + 6, 17
        boxes.append((x + ax - w / 2, y + ay - h / 2, x + ax + w / 2, y + ay + h / 2))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def test_ranking_measures_show_each_measure_in_its_unit():
    df = pd.DataFrame({"rank": [2, 1, 3], "expected_reach": [12.0, 17.5, 3.0], "reach_2hop": [0.4, 0.35, 0.1],
                       "out_strength": [475.0, 401.0, 20.0], "betweenness": [0.1, 0.06, 0.0], "why": ["a", "b", "c"]},
                      index=pd.Index(["C2", "C1", EVIL], name="customer_id"))
    d = plot.ranking_measures(df, top=3).to_dict()
    assert [t["name"] for t in d["data"]] == ["Expected reach", "Within two steps", "Interactions sent", "Bridging"]
    assert list(d["data"][0]["y"]) == ["#1 C1", "#2 C2", "#3 &lt;script&gt;alert(1)&lt;/script&gt;"]
    assert list(_arr(d["data"][0]["x"])) == [17.5, 12.0, 3.0]
    assert d["layout"]["xaxis"]["title"]["text"] == "customers"
    assert d["layout"]["xaxis2"]["title"]["text"] == "share of customers"
    assert list(d["data"][1]["text"]) == ["35.0%", "40.0%", "10.0%"]
    with pytest.raises(ParameterError, match="ranking_measures"):
        plot.ranking_measures(df[["rank", "why"]])


def test_network_map_empty_and_bad_arguments(empty_graph, karate):
    d = plot.network_map(empty_graph).to_dict()
    assert d["data"] == [] and "no customers" in d["layout"]["title"]["text"]
    assert d["layout"]["meta"] == {"figure": "network_map"}
    with pytest.raises(ParameterError, match="Series"):
        plot.network_map(karate, communities=[0, 1])
    with pytest.raises(ParameterError, match="seed"):
        plot.network_map(karate, seed=1.5)


# ------------------------------------------------------------------------------------ distributions


def test_degree_distribution_of_a_star():
    G = nx.star_graph(4)
    G.add_node(99)
    d = plot.degree_distribution(G).to_dict()
    (trace,) = d["data"]
    assert list(_arr(trace["x"])) == [1.0, 4.0]
    assert np.allclose(_arr(trace["y"]), [4 / 6, 1 / 6])
    assert d["layout"]["xaxis"]["type"] == "log" and d["layout"]["yaxis"]["type"] == "log"
    assert "1 with degree 0 not shown" in d["layout"]["title"]["text"]
    ccdf = plot.degree_distribution(pd.DataFrame({"in_degree": [1, 1, 2, 5]}), column="in_degree", ccdf=True)
    assert np.allclose(_arr(ccdf.to_dict()["data"][0]["y"]), [1.0, 0.5, 0.25])
    with pytest.raises(SchemaError, match="column 'degree' is missing"):
        plot.degree_distribution(pd.DataFrame({"x": [1]}))


def test_influencer_bars_rank_and_evidence():
    df = pd.DataFrame({"score": [0.1, 0.5, 0.3], "reach": [10, 50, 30], "rank": [3, 1, 2]},
                      index=pd.Index(["a", EVIL, "c"], name="customer_id"))
    d = plot.influencer_bars(df, k=2).to_dict()
    (bar,) = d["data"]
    assert list(bar["y"]) == ["&lt;script&gt;alert(1)&lt;/script&gt;", "c"]
    assert list(_arr(bar["x"])) == [0.5, 0.3]
    assert "reach: 50" in bar["hovertext"][0] and "rank" not in bar["hovertext"][0]
    assert d["layout"]["yaxis"]["autorange"] == "reversed"
    assert d["layout"]["title"]["text"] == "Top 2 customers by score"
    with pytest.raises(SchemaError, match="column .pagerank. is missing"):
        plot.influencer_bars(df, score="pagerank")


# ------------------------------------------------------------------------------------ communities


def test_community_sizes_from_partition_and_table():
    part = pd.Series([0, 0, 0, 1, 1, 2], index=list("abcdef"))
    d = plot.community_sizes(part).to_dict()
    assert list(d["data"][0]["x"]) == ["0", "1", "2"] and list(_arr(d["data"][0]["y"])) == [3, 2, 1]
    assert d["layout"]["title"]["text"] == "3 communities of 6 customers; 1 of one customer"
    table = pd.DataFrame({"size": [5, 9]}, index=pd.Index([1, 0], name="community"))
    d = plot.community_sizes(table, top=1).to_dict()
    assert list(_arr(d["data"][0]["y"])) == [9] and "1 smaller not shown" in d["layout"]["title"]["text"]


def test_community_meta_graph_draws_communities_and_links():
    from netlib.community import community_graph

    G = nx.Graph()
    G.add_edges_from([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")])
    G.add_node("z")
    part = pd.Series({"a": 0, "b": 0, "c": 0, "d": 1, "e": 1, "f": 1, "z": 2})
    d = plot.community_meta_graph(community_graph(G, part), seed=0).to_dict()
    nodes = d["data"][-1]
    assert list(nodes["text"]) == ["0", "1"]  # the singleton community is left out by min_size=2
    links = next(t for t in d["data"] if t["name"] == "links")
    assert links["hovertext"] == ["communities 0 – 1: 1 ties, 1 interactions"]
    assert "2 of 3 communities drawn" in d["layout"]["title"]["text"]
    circles = [sh for sh in d["layout"]["shapes"] if sh["type"] == "circle"]
    assert len(circles) == 2
    (a, b) = [((s_["x0"] + s_["x1"]) / 2, (s_["y0"] + s_["y1"]) / 2, (s_["x1"] - s_["x0"]) / 2) for s_ in circles]
    assert np.hypot(a[0] - b[0], a[1] - b[1]) > a[2] + b[2]  # bubbles do not overlap
    named = plot.community_meta_graph(community_graph(G, part), names=pd.Series({0: "North", 1: EVIL})).to_dict()
    legend = [t["name"] for t in named["data"] if t.get("hoverinfo") == "skip" and t["mode"] == "markers"]
    assert legend == ["0: North", "1: &lt;script&gt;alert(1)&lt;/script&gt;"]


def test_resolution_sweep_and_coassignment():
    sweep = pd.DataFrame({"n_communities": [2, 4, 9], "modularity": [0.3, 0.4, 0.35], "nmi_previous": [np.nan, 0.8, 0.6]},
                         index=pd.Index([0.5, 1.0, 2.0], name="resolution"))
    d = plot.resolution_sweep(sweep).to_dict()
    assert [t["name"] for t in d["data"]] == ["communities", "modularity (γ = 1)", "NMI with previous"]
    assert d["data"][1]["yaxis"] == "y2"
    m = pd.DataFrame([[1, 0.2, 1], [0.2, 1, 0.1], [1, 0.1, 1]], index=["x", "y", "w"], columns=["x", "y", "w"])
    d = plot.coassignment(m, partition=pd.Series({"x": 0, "w": 0, "y": 1})).to_dict()
    heat = d["data"][0]
    assert list(heat["x"]) == ["w", "x", "y"]
    z = _arr(heat["z"])
    assert z[0][1] == 1 and z[0][2] == pytest.approx(0.1)
    with pytest.raises(ParameterError, match="square"):
        plot.coassignment(m.iloc[:2])


# ---------------------------------------------------------------------------------------- cascades


def _cascade_table():
    t = pd.to_datetime(["2024-01-01 00:00", "2024-01-01 01:00", "2024-01-01 02:00", "2024-01-01 03:00",
                        "2024-02-01 00:00", "2024-02-01 05:00"], utc=True)
    return pd.DataFrame({"item_id": ["i1", "i1", "i1", "i1", "i2", "i2"],
                         "customer": ["a", "b", "c", "d", "x", "y"],
                         "parent": [pd.NA, "a", "a", "b", pd.NA, "x"],
                         "time": t, "depth": [0, 1, 1, 2, 0, 1], "root": ["a", "a", "a", "a", "x", "x"]})


def test_cascade_tree_puts_time_on_x_and_subtrees_together():
    d = plot.cascade_tree(_cascade_table()).to_dict()
    assert d["layout"]["title"]["text"] == "Cascade of item i1 from a: 4 adopters, depth 2"
    rows = {}
    for t in d["data"][1:]:
        for h, y in zip(_hover(t), _arr(t["y"])):
            rows[h.split("</b>")[0][3:]] = y
    assert rows == {"a": 0, "b": 1, "d": 2, "c": 3}  # depth-first: b's child d before b's sibling c
    links = d["data"][0]
    assert len([x for x in links["x"] if x is None]) == 3
    assert [t["name"] for t in d["data"][1:]] == ["depth 0", "depth 1", "depth 2"]
    other = plot.cascade_tree(_cascade_table(), item_id="i2").to_dict()
    assert other["layout"]["meta"] == {"item_id": "i2", "root": "x", "size": 2, "figure": "cascade_tree"}
    with pytest.raises(ParameterError, match="not in the cascade table"):
        plot.cascade_tree(_cascade_table(), item_id="nope")


def test_adoption_curves_and_virality():
    curves = pd.DataFrame({"item_id": ["i1", "i1", "i2"], "elapsed": pd.to_timedelta([0, 1, 0], unit="D"),
                           "new": [1, 2, 1], "adopters": [1, 3, 1], "fraction": [1 / 3, 1.0, 1.0]})
    d = plot.adoption_curves(curves, top=1).to_dict()
    assert [t["name"] for t in d["data"]] == ["i1"]
    assert list(_arr(d["data"][0]["x"])) == [0.0, 1.0] and d["layout"]["xaxis"]["title"]["text"] == "days since launch"
    metrics = pd.DataFrame({"item_id": ["i1", "i2"], "root": ["a", "x"], "size": [4, 1], "depth": [2, 0],
                            "structural_virality": [1.5, np.nan]})
    d = plot.virality_scatter(metrics).to_dict()
    assert list(_arr(d["data"][0]["x"])) == [4] and "item i1" in d["data"][0]["hovertext"][0]
    assert "1 single-adopter cascades left out" in d["layout"]["title"]["text"]


# ------------------------------------------------------------------------------------------ Rogers


def test_rogers_radar_ladder_and_heatmap():
    table = pd.DataFrame({f"share_{b}": [0.2] * 2 for b in plot.BEHAVIOURS} | {"name": ["connect", EVIL]},
                         index=pd.Index([0, 1], name="segment"))
    inactive = pd.DataFrame({c: [np.nan] for c in table.columns if c != "name"} | {"name": ["inactive"]},
                            index=pd.Index([-1], name="segment"))
    d = plot.rogers_radar(pd.concat([table, inactive]), name="name").to_dict()
    assert len(d["data"]) == 2  # the inactive segment has no shape to draw
    r = list(d["data"][0]["r"])
    assert r[0] == r[-1] and len(r) == 6
    assert d["data"][1]["name"] == "1: &lt;script&gt;alert(1)&lt;/script&gt;"
    ladder = pd.DataFrame({"shows": [9, 5], "reaches": [9, 4], "climbs": [9, 3], "share_shows": [0.9, 0.5],
                           "share_reaches": [0.9, 0.4], "share_climbs": [0.9, 0.3], "step_conversion": [np.nan, 0.44]},
                          index=pd.Index(["access", "engage"], name="behaviour"))
    d = plot.behaviour_ladder(ladder).to_dict()
    assert len(d["data"]) == 3 and "step conversion: 0.44" in d["data"][1]["hovertext"][1]
    lift = pd.DataFrame({b: [2.0, 0.5, 1.0] for b in plot.BEHAVIOURS}, index=pd.Index([0, 1, "all"], name="community"))
    d = plot.behaviour_heatmap(lift).to_dict()
    heat = d["data"][0]
    assert list(heat["y"]) == ["0", "1"] and heat["zmid"] == 0
    z = _arr(heat["z"])
    assert z[0][0] == pytest.approx(1.0) and z[1][0] == pytest.approx(-1.0)
    with pytest.raises(ParameterError, match="five behaviour columns"):
        plot.behaviour_heatmap(pd.DataFrame({"access": [1.0]}))


def test_reach_curves_with_bands():
    df = pd.DataFrame({"method": ["imm", "imm", "degree", "degree"], "k": [1, 5, 1, 5], "mean": [3.0, 9.0, 2.0, 7.0],
                       "ci_low": [2.5, 8.0, 1.5, 6.0], "ci_high": [3.5, 10.0, 2.5, 8.0]})
    d = plot.reach_curves(df).to_dict()
    assert len(d["data"]) == 6
    upper, lower, line = d["data"][:3]
    assert lower["fill"] == "tonexty" and list(_arr(upper["y"])) == [3.5, 10.0] and list(_arr(line["y"])) == [3.0, 9.0]
    assert [t["name"] for t in d["data"] if t.get("showlegend") is not False] == ["imm", "degree"]
    with pytest.raises(SchemaError, match="ci_low"):
        plot.reach_curves(df.drop(columns="ci_low"))
    d = plot.reach_curves(df.rename(columns={"k": "seeds"}), x="seeds", band="plausible pass-on probability").to_dict()
    assert d["layout"]["title"]["text"] == "Reach vs number of seeds (bands: plausible pass-on probability)"
    assert d["layout"]["xaxis"]["title"]["text"] == "seeds (customers)"
    assert d["layout"]["yaxis"]["title"]["text"] == "expected reach (customers)" and "type" not in d["layout"]["yaxis"]
    # a band reaching 100 times above the lowest value: a log axis, said in its title (or as asked)
    wide = df.assign(ci_high=df["ci_high"] * 100)
    d = plot.reach_curves(wide).to_dict()
    assert d["layout"]["yaxis"]["type"] == "log"
    assert d["layout"]["yaxis"]["title"]["text"] == "expected reach (customers, log scale)"
    assert "type" not in plot.reach_curves(wide, log_y=False).to_dict()["layout"]["yaxis"]
    assert plot.reach_curves(df, log_y=True).to_dict()["layout"]["yaxis"]["type"] == "log"


def test_shared_tail_sets_title_template_and_size():
    part = pd.Series([0, 1], index=["a", "b"])
    d = plot.community_sizes(part, title="Mine <b>", template="plotly_white", width=400, height=300).to_dict()
    assert d["layout"]["title"]["text"] == "Mine &lt;b&gt;"
    assert d["layout"]["width"] == 400 and d["layout"]["height"] == 300
    assert d["layout"]["template"]["layout"]["plot_bgcolor"] == "white"
    assert d["layout"]["meta"]["figure"] == "community_sizes"


@pytest.mark.parametrize("max_nodes", [5000, 300])
def test_map_and_degrees_of_a_customer_network_match_its_networkx_graph(max_nodes):
    import netlib as nl

    net = nl.customer_network(nl.load_sample())
    G = net.to_networkx()
    part = nl.communities(net, seed=1)
    a = nl.plot.network_map(net, communities=part, seed=1, max_nodes=max_nodes).to_dict()
    b = nl.plot.network_map(G, communities=part, seed=1, max_nodes=max_nodes).to_dict()
    assert a == b
    assert a["layout"]["meta"]["summary"] == (max_nodes == 300)
    assert nl.plot.degree_distribution(net).to_dict() == nl.plot.degree_distribution(G).to_dict()


def test_virality_scatter_draws_the_largest_cascades_above_top_and_says_so():
    metrics = pd.DataFrame({"size": [4, 10, 3, 1, 10], "structural_virality": [1.5, 2.4, 1.33, None, 2.0],
                            "item_id": list("abcde"), "root": list("vwxyz")})
    fig = plot.virality_scatter(metrics, top=2)
    assert [int(x) for x in fig.data[0].x] == [10, 10]
    assert [float(y) for y in fig.data[0].y] == [2.4, 2.0]  # equal sizes: the more viral first
    assert fig.layout.title.text.startswith("Structural virality vs size (the 2 largest of 4 cascades")
    assert len(plot.virality_scatter(metrics).data[0].x) == 4
    with pytest.raises(ParameterError, match="top must be an int"):
        plot.virality_scatter(metrics, top=0)
