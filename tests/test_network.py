"""netlib.network: aggregation into a DiGraph, undirected view, tie strength, summary; the CLI."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from netlib.cli import main
from netlib.errors import DataError, ParameterError
from netlib.io import read_data, write_data
from netlib.network import TieStrengthRule, build_network, network_summary, tie_strength, undirected

DAY = 86400


@pytest.fixture
def data():
    customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d", "lonely"],
                              "region": ["n", "s", "s", "e", None]})
    inter = pd.DataFrame({
        "source": ["a", "a", "b", "b", "c", "a", "d"],
        "target": ["b", "b", "a", "c", "a", "a", "a"],
        "timestamp": [0, 10 * DAY, 5 * DAY, 6 * DAY, 100 * DAY, 3, 100 * DAY],
        "channel": ["email", "app", "app", "app", "sms", "app", None],
        "kind": ["share", "message", "share", "share", "share", "share", "referral"],
        "weight": [1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 0.5],
    })
    return read_data({"customers": customers, "interactions": inter})


def test_build_network_aggregates_each_ordered_pair(data):
    G = build_network(data)
    assert isinstance(G, nx.DiGraph)
    assert set(G.nodes) == {"a", "b", "c", "d", "lonely"}  # isolates kept
    assert G.nodes["b"]["region"] == "s" and "region" not in G.nodes["lonely"]
    ab = G["a"]["b"]
    assert (ab["weight"], ab["count"]) == (3.0, 2)
    assert ab["first_ts"] == pd.Timestamp(0, unit="s", tz="UTC")
    assert ab["last_ts"] == pd.Timestamp(10 * DAY, unit="s", tz="UTC")
    assert ab["channels"] == {"app": 1, "email": 1}
    assert G["d"]["a"]["channels"] == {}
    assert not G.has_edge("a", "a") and G.graph["self_loops_dropped"] == 1
    # every interaction is accounted for: in an edge or counted as a dropped self-loop
    assert sum(c for _, _, c in G.edges(data="count")) + G.graph["self_loops_dropped"] == len(data.interactions)


def test_build_network_filters(data):
    G = build_network(data, kinds="share", end=pd.Timestamp(50 * DAY, unit="s"))
    assert G["a"]["b"]["count"] == 1 and not G.has_edge("c", "a") and not G.has_edge("d", "a")
    assert G.graph["interactions_filtered_out"] == 3
    with_loops = build_network(data, self_loops=True)
    assert with_loops.has_edge("a", "a")


def test_build_network_rejects_other_input():
    with pytest.raises(DataError, match="expects CustomerData or an interactions DataFrame"):
        build_network([("a", "b")])
    with pytest.raises(DataError, match="no 'kind' column"):
        build_network(pd.DataFrame({"source": ["a"], "target": ["b"], "timestamp": [pd.Timestamp(0, tz="UTC")]}),
                      kinds="share")


def test_same_graph_regardless_of_row_order(data):
    G1 = build_network(data)
    shuffled = data.interactions.sample(frac=1.0, random_state=3)
    G2 = build_network(read_data({"customers": data.customers, "interactions": shuffled}))
    assert nx.utils.edges_equal(G1.edges(data=True), G2.edges(data=True))


def test_undirected_sums_both_directions(data):
    H = undirected(build_network(data))
    assert H["a"]["b"]["weight"] == 4.0 and H["a"]["b"]["count"] == 3 and H["a"]["b"]["reciprocal"]
    assert H["a"]["b"]["channels"] == {"app": 2, "email": 1}
    assert not H["b"]["c"]["reciprocal"]
    assert H.number_of_edges() == 4


def test_tie_strength_parts_and_classes(data):
    ties = tie_strength(build_network(data)).set_index(["u", "v"])
    ab = ties.loc[("a", "b")]
    # a–b: 3 interactions, the last on day 10, 90 days before the latest (day 100): recency 1/2
    rule = TieStrengthRule()
    f = 1 - math.exp(-3 / 3)
    r = 0.5
    score = 0.4 * f + 0.25 * r + 0.2 * 1 + 0.15 * (2 / 3)
    assert ab["frequency"] == pytest.approx(f) and ab["recency"] == pytest.approx(r)
    assert ab["score"] == pytest.approx(score) and ab["strength"] == "core"  # 0.678 >= 0.65
    ac = ties.loc[("a", "c")]  # one message at the reference time, one channel, one-way
    assert ac["score"] == pytest.approx(0.4 * (1 - math.exp(-1 / 3)) + 0.25 + 0.15 / 3)
    # stronger rule thresholds can only demote
    strict = tie_strength(build_network(data), rule=TieStrengthRule(core=0.9, significant=0.8))
    assert (strict["strength"].cat.codes.to_numpy() <= ties["strength"].cat.codes.to_numpy()).all()
    assert rule.core >= rule.significant


def test_tie_strength_rule_validation():
    with pytest.raises(ParameterError, match="sum to 1"):
        TieStrengthRule(w_frequency=0.9)
    with pytest.raises(ParameterError, match="significant <= core"):
        TieStrengthRule(core=0.3, significant=0.5)


def test_summary_counts(data):
    s = network_summary(build_network(data), top=2)
    c = s["counts"]
    assert (c["customers"], c["ties"], c["isolates"]) == (5, 5, 1)
    assert c["weakly_connected_components"] == 2 and c["largest_component"] == 4
    assert c["reciprocity"] == pytest.approx(2 / 5)  # only a↔b is reciprocated: 2 of 5 arcs
    assert c["density"] == pytest.approx(5 / 20)
    assert s["top"].index.tolist() == ["a", "b"]
    assert s["degrees"].loc["degree", "max"] == 4  # a: in from b, c, d; out to b


def test_summary_of_karate_matches_networkx(karate):
    s = network_summary(karate)
    assert s["counts"]["connected_components"] == 1
    assert s["counts"]["density"] == pytest.approx(nx.density(karate))
    assert s["top"].index[0] == 33 and s["top"].iloc[0]["degree"] == 17


def test_cli_summary_on_a_folder(data, tmp_path, capsys):
    write_data(data, tmp_path / "export")
    assert main(["summary", str(tmp_path / "export"), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "customers" in out and "Top 3 customers by degree" in out and "Load report" in out
    assert "reciprocity" in out


def test_cli_reports_bad_input_without_traceback(tmp_path, capsys):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "interactions.csv").write_text("src,dst\n1,2\n")
    assert main(["summary", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("netlib: error: interactions") and "found: ['src', 'dst']" in err


def test_reciprocity_matches_networkx_on_a_random_digraph():
    D = nx.gnp_random_graph(60, 0.08, directed=True, seed=4)
    D.add_edge(3, 3)  # a self-loop is not a reciprocated pair
    assert network_summary(D)["counts"]["reciprocity"] == pytest.approx(nx.overall_reciprocity(D))


def test_summary_components_match_networkx():
    D = nx.gnp_random_graph(80, 0.02, directed=True, seed=7)
    c = network_summary(D)["counts"]
    assert c["weakly_connected_components"] == nx.number_weakly_connected_components(D)
    assert c["strongly_connected_components"] == nx.number_strongly_connected_components(D)
    assert c["largest_component"] == max(len(x) for x in nx.weakly_connected_components(D))
    U = D.to_undirected()
    assert network_summary(U)["counts"]["connected_components"] == nx.number_connected_components(U)
    empty = network_summary(nx.DiGraph())["counts"]
    assert (empty["customers"], empty["weakly_connected_components"], empty["largest_component"]) == (0, 0, 0)
