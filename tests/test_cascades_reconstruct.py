"""Cascades: reconstruction from share logs, tree loading, metrics, curves, influencers and paths."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netlib.cascades import (
    SpreadPath,
    adoption_curves,
    cascade_influencers,
    cascade_metrics,
    cascades_from_trees,
    earliest_arrival,
    k_most_probable_paths,
    most_probable_path,
    reachable_within,
    read_propagation_trees,
    reconstruct_cascades,
    structural_virality,
    temporal_reach,
    territories,
)
from netlib.errors import DataError, ParameterError, SchemaError

ACCOUNTED = ["missing_customer", "missing_timestamp", "missing_item_id", "self_shares", "repeated_shares",
             "receive_after_share", "redundant_exposures", "tree_edges"]
TREE_ACCOUNTED = ["missing_child", "self_loops", "duplicate_lines", "root_reparented", "extra_parents",
                  "cycle_lines", "tree_edges", "root_lines"]


def log(rows, item="x"):
    """A share log from (source, target, time) tuples; time in seconds."""
    src, tgt, ts = zip(*rows)
    df = pd.DataFrame({"source": list(src), "target": list(tgt),
                       "timestamp": pd.to_datetime(list(ts), unit="s", utc=True)})
    if item is not None:
        df["item_id"] = item
    return df


def parents(cascades, item=None):
    c = cascades if item is None else cascades[cascades["item_id"] == item]
    return {cu: (None if pd.isna(p) else p) for cu, p in zip(c["customer"], c["parent"])}


def all_pairs_sv(parent):
    """Reference: mean shortest-path distance by BFS from every node (networkx)."""
    T = nx.Graph()
    T.add_nodes_from(range(len(parent)))
    T.add_edges_from((i, p) for i, p in enumerate(parent) if p >= 0)
    n = len(parent)
    total = sum(sum(nx.single_source_shortest_path_length(T, v).values()) for v in T)
    return total / (n * (n - 1))


# --------------------------------------------------------------------------------------------------
# reconstruct_cascades: hand-worked logs
# --------------------------------------------------------------------------------------------------

def test_simple_tree_parents_depths_roots_times():
    c = reconstruct_cascades(log([("a", "b", 1), ("a", "c", 2), ("b", "d", 3)]))
    assert list(c.columns) == ["item_id", "customer", "parent", "time", "depth", "root"]
    assert parents(c) == {"a": None, "b": "a", "c": "a", "d": "b"}
    assert dict(zip(c["customer"], c["depth"])) == {"a": 0, "b": 1, "c": 1, "d": 2}
    assert set(c["root"]) == {"a"}
    times = dict(zip(c["customer"], c["time"].dt.second))
    assert times == {"a": 1, "b": 1, "c": 2, "d": 3}  # the root's time is its first share
    r = c.attrs["report"]
    assert r["tree_edges"] == 3 and r["roots"] == 1 and r["adopters"] == 4
    assert c.attrs["provenance"]["function"] == "netlib.reconstruct_cascades"


RULE_LOG = [("a", "c", 1), ("b", "c", 2), ("c", "d", 3), ("e", "c", 4),  # e's share comes after c shared
            ("a", "f", 5), ("b", "f", 6)]                                 # f never shares


@pytest.mark.parametrize("rule, c_parent, f_parent", [("first", "a", "a"), ("last", "b", "b"), ("strongest", "b", "a")])
def test_attribution_rules(rule, c_parent, f_parent):
    df = log(RULE_LOG)
    # tie strength (summed weight over the whole log): b->c = 3, a->c = 1, a->f = 2, b->f = 1
    df["weight"] = [1.0, 3.0, 1.0, 1.0, 2.0, 1.0]
    c = reconstruct_cascades(df, rule=rule)
    p = parents(c)
    assert p["c"] == c_parent and p["f"] == f_parent
    assert p["d"] == "c" and p["e"] is None  # e shared but was never reached: a root
    r = c.attrs["report"]
    assert r["receive_after_share"] == 1 and r["cycles"] == 0
    assert r["redundant_exposures"] == 2 and r["tree_edges"] == 3
    # the child's time is the attributed share
    t = dict(zip(c["customer"], c["time"].dt.second))
    assert t["c"] == {"a": 1, "b": 2}[c_parent]


def test_strongest_uses_graph_weights_and_breaks_ties_by_time():
    G = nx.DiGraph()
    G.add_edge("a", "c", weight=5.0)
    G.add_edge("b", "c", weight=5.0)
    G.add_edge("b", "f", weight=9.0)
    c = reconstruct_cascades(log(RULE_LOG), rule="strongest", G=G)
    p = parents(c)
    assert p["c"] == "a"  # equal strength -> the earlier exposure
    assert p["f"] == "b"
    assert c.attrs["report"]["ties_broken"] == 0


def test_self_shares_repeats_missing_values_counted():
    df = pd.DataFrame({
        "source": ["a", "a", "a", None, "b", "a", ""],
        "target": ["a", "b", "b", "c", "c", "d", "e"],
        "timestamp": pd.to_datetime([1, 2, 3, 4, 5, None, 6], unit="s", utc=True),
        "item_id": "x",
    })
    c = reconstruct_cascades(df)
    assert parents(c) == {"a": None, "b": "a", "c": "b"}
    r = c.attrs["report"]
    assert (r["self_shares"], r["repeated_shares"], r["missing_customer"], r["missing_timestamp"]) == (1, 1, 2, 1)
    assert sum(r[k] for k in ACCOUNTED) == r["rows_in"] == 7


def test_repeated_share_is_not_a_later_exposure():
    # a->c again at t3 is a repeat: for rule "last" the latest exposure is still b's at t2
    c = reconstruct_cascades(log([("a", "c", 1), ("b", "c", 2), ("a", "c", 3)]), rule="last")
    assert parents(c)["c"] == "b"


def test_receive_after_share_and_cycles():
    # a -> b -> c, then c shares back to a (a loop) and to b (a loop), and d to b after b shared
    c = reconstruct_cascades(log([("a", "b", 1), ("b", "c", 2), ("c", "a", 3), ("c", "b", 4), ("d", "b", 5)]))
    assert parents(c) == {"a": None, "b": "a", "c": "b", "d": None}
    r = c.attrs["report"]
    assert r["receive_after_share"] == 3 and r["cycles"] == 2
    assert r["roots"] == 2


def test_mutual_shares_at_the_same_second_resolved_by_id():
    for rows in ([("a", "b", 1), ("b", "a", 1)], [("b", "a", 1), ("a", "b", 1)]):
        c = reconstruct_cascades(log(rows))
        assert parents(c) == {"a": None, "b": "a"}
        assert c.attrs["report"]["cycles"] == 1


def test_equal_time_exposures_tie_broken_by_id_and_counted():
    for rows in ([("b", "c", 1), ("a", "c", 1)], [("a", "c", 1), ("b", "c", 1)]):
        for rule in ("first", "last"):
            c = reconstruct_cascades(log(rows), rule=rule)
            assert parents(c)["c"] == ("a" if rule == "first" else "b")
            assert c.attrs["report"]["ties_broken"] == 1


def test_items_are_separate_and_rows_without_item_set_aside():
    df = pd.concat([log([("a", "b", 1)], item="x"), log([("b", "a", 2)], item="y"),
                    log([("c", "d", 3)], item=None)], ignore_index=True)
    c = reconstruct_cascades(df)
    r = c.attrs["report"]
    assert r["missing_item_id"] == 1 and not r["one_item"]
    assert sum(r[k] for k in ACCOUNTED) == r["rows_in"] == 3
    assert parents(c, "x") == {"a": None, "b": "a"}
    assert parents(c, "y") == {"b": None, "a": "b"}
    assert set(c["item_id"]) == {"x", "y"}
    # no item column (or no item anywhere): the whole log is one item
    for frame in (log([("a", "b", 1), ("b", "a", 2)], item=None), log([("a", "b", 1), ("b", "a", 2)], item=None)
                  .assign(item_id=None)):
        c1 = reconstruct_cascades(frame)
        assert c1["item_id"].isna().all() and parents(c1) == {"a": None, "b": "a"}
        assert c1.attrs["report"]["one_item"] and c1.attrs["report"]["missing_item_id"] == 0


def test_numeric_timestamps_and_customer_data_input():
    df = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "timestamp": [10, 20]})
    c = reconstruct_cascades(SimpleNamespace(interactions=df))
    assert parents(c) == {"a": None, "b": "a", "c": "b"}
    assert list(c["time"]) == [10, 10, 20]


def random_log(rng, n_rows=300, n_cust=25, n_items=3):
    rows = pd.DataFrame({
        "source": rng.integers(0, n_cust, n_rows).astype(str),
        "target": rng.integers(0, n_cust, n_rows).astype(str),
        "timestamp": pd.to_datetime(rng.integers(0, 40, n_rows), unit="s", utc=True),
        "item_id": rng.integers(0, n_items, n_rows).astype(str),
        "weight": rng.integers(1, 4, n_rows).astype(float),
    })
    rows.loc[rng.random(n_rows) < 0.03, "timestamp"] = pd.NaT
    rows.loc[rng.random(n_rows) < 0.03, "source"] = None
    return rows


@pytest.mark.parametrize("rule", ["first", "last", "strongest"])
def test_invariants_on_random_messy_logs(rule):
    rng = np.random.default_rng(7)
    for _ in range(5):
        df = random_log(rng)
        c = reconstruct_cascades(df, rule=rule)
        r = c.attrs["report"]
        assert sum(r[k] for k in ACCOUNTED) == r["rows_in"] == len(df)
        assert not c.duplicated(["item_id", "customer"]).any()
        assert len(c) == r["adopters"] and (c["parent"].isna()).sum() == r["roots"]
        # parents adopted the same item, no later, one level up, in the same cascade
        key = c.set_index(["item_id", "customer"])
        kids = c[c["parent"].notna()]
        par = key.loc[list(zip(kids["item_id"], kids["parent"]))]
        assert (par["time"].to_numpy() <= kids["time"].to_numpy()).all()
        assert (par["depth"].to_numpy() + 1 == kids["depth"].to_numpy()).all()
        assert (par["root"].to_numpy() == kids["root"].to_numpy()).all()
        # every kept share's target adopted
        ok = df.dropna(subset=["source", "timestamp"])
        ok = ok[ok["source"] != ok["target"]]
        assert set(zip(ok["item_id"], ok["target"])) <= set(zip(c["item_id"], c["customer"]))
        # row order does not matter
        c2 = reconstruct_cascades(df.sample(frac=1.0, random_state=1), rule=rule)
        pd.testing.assert_frame_equal(c.reset_index(drop=True), c2.reset_index(drop=True))
        # and the metrics recompute the same depths
        m = cascade_metrics(c)
        assert m["size"].sum() == len(c)


def test_reconstruct_errors():
    df = log([("a", "b", 1)])
    with pytest.raises(SchemaError, match="target"):
        reconstruct_cascades(df.drop(columns="target"))
    with pytest.raises(ParameterError, match="rule must be one of"):
        reconstruct_cascades(df, rule="earliest")
    with pytest.raises(ParameterError, match="only used by rule='strongest'"):
        reconstruct_cascades(df, G=nx.DiGraph())
    with pytest.raises(ParameterError, match="DataFrame"):
        reconstruct_cascades([("a", "b", 1)])


def test_empty_log():
    c = reconstruct_cascades(log([("a", "a", 1)]))
    assert len(c) == 0 and c.attrs["report"]["self_shares"] == 1
    assert len(cascade_metrics(c)) == 0


# --------------------------------------------------------------------------------------------------
# Pre-built trees
# --------------------------------------------------------------------------------------------------

def test_cascades_from_trees_cleaning_rules():
    lines = pd.DataFrame([
        # item, parent, child, time, parent_time
        ("t", None, "r", 0.0, None),
        ("t", "r", "a", 1.0, 0.0),
        ("t", "r", "a", 1.0, 0.0),      # duplicate line
        ("t", "a", "a", 1.0, 1.0),      # self loop
        ("t", "a", "b", 2.0, 1.0),
        ("t", "c", "b", 2.0, 3.0),      # extra parent, after the child: loses
        ("t", "r", "c", 3.0, 0.0),
        ("t", "b", "r", 4.0, 2.0),      # the declared root gets a parent: dropped
        ("t", "z", "d", 5.0, 4.0),      # z has no line of its own: implied root
        ("t", "e", "f", 6.0, 7.0),      # e <-> f: a cycle
        ("t", "f", "e", 7.0, 6.0),
        ("t", "g", "h", 2.0, 9.0),      # kept with a time inversion (only parent)
        ("t", "r", "g", 1.0, 0.0),
        ("t", "x", None, 1.0, 0.0),     # no child
    ], columns=["item_id", "parent", "child", "time", "parent_time"])
    c = cascades_from_trees(lines, parent_time="parent_time")
    assert parents(c) == {"r": None, "a": "r", "b": "a", "c": "r", "d": "z", "z": None,
                          "e": "f", "f": None, "g": "r", "h": "g"}
    r = c.attrs["report"]
    assert (r["missing_child"], r["self_loops"], r["duplicate_lines"], r["root_reparented"],
            r["extra_parents"], r["implied_roots"], r["cycle_lines"], r["time_inversions"]) == (1, 1, 1, 1, 1, 1, 1, 1)
    assert sum(r[k] for k in TREE_ACCOUNTED) == r["lines_in"] == len(lines)
    assert dict(zip(c["customer"], c["depth"]))["h"] == 2
    assert dict(zip(c["customer"], c["time"]))["z"] == 4.0  # implied root at its parent time


def test_cascades_from_trees_without_parent_times_and_errors():
    lines = pd.DataFrame({"item_id": "t", "parent": [None, "r", "r", "a"], "child": ["r", "a", "b", "b"],
                          "time": [0, 1, 1, 2]})
    c = cascades_from_trees(lines)
    assert parents(c) == {"r": None, "a": "r", "b": "r"}  # r's own time 0 is earlier than a's 1
    with pytest.raises(SchemaError, match="child"):
        cascades_from_trees(lines.drop(columns="child"))
    marked = lines.assign(parent=["ROOT", "r", "r", "a"])
    pd.testing.assert_frame_equal(cascades_from_trees(marked, root_marker="ROOT"), c)


def test_read_propagation_trees_single_file(tmp_path):
    text = ("['ROOT', 'ROOT', '0.0']->['1', '100', '0.0']\n"
            "['1', '100', '0.0']->['2', '100', '1.5']\n"
            "['1', '100', '0.0']->['2', '100', '1.5']\n"
            "['2', '100', '1.5']->['3', '101', '2.0']\n"
            "garbage line\n")
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "100.txt").write_text(text)
    (tmp_path / "label.txt").write_text("false:100\n")
    c = read_propagation_trees(tmp_path)
    assert parents(c) == {"1": None, "2": "1", "3": "2"}
    assert c["time"].tolist() == [pd.Timedelta(0), pd.Timedelta(minutes=1.5), pd.Timedelta(minutes=2)]
    assert set(c["item_id"]) == {"100"}
    r = c.attrs["report"]
    assert r["unparsable_lines"] == 1 and r["duplicate_lines"] == 1 and r["lines_in"] == 5
    assert c.attrs["labels"] == {"100": "false"}
    with pytest.raises(DataError, match="no such file"):
        read_propagation_trees(tmp_path / "missing")


# --------------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 3, 10, 1000])
def test_structural_virality_closed_forms(n):
    assert structural_virality([-1] + [0] * (n - 1)) == pytest.approx(2 * (n - 1) / n)
    assert structural_virality(np.arange(-1, n - 1)) == pytest.approx((n + 1) / 3)


def test_structural_virality_matches_all_pairs_bfs():
    rng = np.random.default_rng(3)
    for n in (2, 5, 17, 60):
        parent = np.r_[-1, [rng.integers(0, i) for i in range(1, n)]]
        assert structural_virality(parent) == pytest.approx(all_pairs_sv(parent))
    assert np.isnan(structural_virality([-1]))


def test_structural_virality_errors():
    with pytest.raises(DataError, match="exactly one root"):
        structural_virality([-1, -1])
    with pytest.raises(DataError, match="cycle"):
        structural_virality([-1, 2, 1])
    with pytest.raises(DataError, match="parent indices"):
        structural_virality([-1, 5])


def test_structural_virality_large_tree_is_fast():
    import time

    n = 100_000
    structural_virality([-1, 0])  # compile / load the kernel
    t0 = time.perf_counter()
    sv = structural_virality(np.arange(-1, n - 1))
    assert time.perf_counter() - t0 < 1.0
    assert sv == pytest.approx((n + 1) / 3)


def test_cascade_metrics_hand_example():
    # x: r -> a, b; a -> c -> d (times 0, 1, 2, 3, 10); y: single adopter s
    c = pd.DataFrame({
        "item_id": ["x"] * 5 + ["y"],
        "customer": ["r", "a", "b", "c", "d", "s"],
        "parent": [None, "r", "r", "a", "c", None],
        "time": [0.0, 1.0, 2.0, 3.0, 10.0, 5.0],
    })
    m = cascade_metrics(c)
    assert m["item_id"].tolist() == ["x", "y"]
    x = m.iloc[0]
    assert (x["root"], x["size"], x["depth"], x["max_breadth"], x["root_children"]) == ("r", 5, 3, 2, 2)
    assert (x["time_to_50"], x["time_to_90"], x["duration"]) == (2.0, 10.0, 10.0)  # 3rd and 5th adopter
    parent = [-1, 0, 0, 1, 3]
    assert x["structural_virality"] == pytest.approx(all_pairs_sv(parent))
    y = m.iloc[1]
    assert y["size"] == 1 and np.isnan(y["structural_virality"]) and y["time_to_50"] == 0.0


def test_cascade_metrics_star_and_path_cascades():
    n = 50
    star = pd.DataFrame({"item_id": "s", "customer": [str(i) for i in range(n)],
                         "parent": [None] + ["0"] * (n - 1), "time": np.arange(n, dtype=float)})
    path = pd.DataFrame({"item_id": "p", "customer": [str(i) for i in range(n)],
                         "parent": [None] + [str(i) for i in range(n - 1)], "time": np.arange(n, dtype=float)})
    m = cascade_metrics(pd.concat([star, path])).set_index("item_id")
    assert m.loc["s", "structural_virality"] == pytest.approx(2 * (n - 1) / n)
    assert m.loc["p", "structural_virality"] == pytest.approx((n + 1) / 3)
    assert (m.loc["s", "depth"], m.loc["s", "max_breadth"]) == (1, n - 1)
    assert (m.loc["p", "depth"], m.loc["p", "max_breadth"]) == (n - 1, 1)
    assert m.loc["p", "time_to_50"] == 24.0 and m.loc["p", "time_to_90"] == 44.0


def test_cascade_metrics_errors():
    base = {"item_id": ["x", "x"], "time": [0, 1]}
    with pytest.raises(DataError, match="more than once"):
        cascade_metrics(pd.DataFrame(dict(base, customer=["a", "a"], parent=[None, "a"])))
    with pytest.raises(DataError, match="not an adopter"):
        cascade_metrics(pd.DataFrame(dict(base, customer=["a", "b"], parent=[None, "q"])))
    with pytest.raises(DataError, match="cycle"):
        cascade_metrics(pd.DataFrame(dict(base, customer=["a", "b"], parent=["b", "a"])))
    with pytest.raises(SchemaError, match="parent"):
        cascade_metrics(pd.DataFrame(dict(base, customer=["a", "b"])))


# --------------------------------------------------------------------------------------------------
# Public datasets
# --------------------------------------------------------------------------------------------------

def read_higgs_retweets(datasets_dir):
    """The Higgs retweets as a share log (inline reader; information flows from the retweeted user)."""
    raw = pd.read_csv(datasets_dir / "higgs-twitter" / "higgs-activity_time.txt.gz", sep=" ", header=None,
                      names=["a", "b", "ts", "kind"], dtype={"a": str, "b": str, "ts": "int64", "kind": str})
    rt = raw[raw["kind"] == "RT"]
    return pd.DataFrame({"source": rt["b"].to_numpy(), "target": rt["a"].to_numpy(),
                         "timestamp": pd.to_datetime(rt["ts"].to_numpy(), unit="s", utc=True)})


@pytest.mark.datasets
@pytest.mark.slow
def test_higgs_retweet_cascades(datasets_dir):
    inter = read_higgs_retweets(datasets_dir)
    assert len(inter) == 354_930
    c = reconstruct_cascades(inter)
    r = c.attrs["report"]
    # every user of the retweet network adopts exactly once; every row is accounted for
    assert r["adopters"] == len(c) == 256_491
    assert sum(r[k] for k in ACCOUNTED) == r["rows_in"] == 354_930
    assert r["tree_edges"] + r["roots"] == r["adopters"]
    m = cascade_metrics(c)
    assert m["size"].sum() == 256_491
    assert m.iloc[0]["root"] == "88"  # the most retweeted user seeds the largest cascade
    assert (m["structural_virality"].dropna() >= 1.0).all()


@pytest.mark.datasets
@pytest.mark.slow
def test_twitter16_trees(datasets_dir):
    c = read_propagation_trees(datasets_dir / "twitter16-propagation-trees" / "twitter16_trees.tar.gz")
    r = c.attrs["report"]
    assert r["files"] == 818 and r["lines_in"] == 363_536 and r["unparsable_lines"] == 0
    assert sum(r[k] for k in TREE_ACCOUNTED) == r["lines_in"]
    assert r["self_loops"] == 953  # the README's count of lines whose parent equals the child
    labels = pd.Series(c.attrs["labels"])
    assert labels.value_counts().to_dict() == {"true": 207, "false": 205, "non-rumor": 205, "unverified": 201}
    m = cascade_metrics(c)
    assert len(m) == 818 and r["roots"] == 818  # one tree per file after cleaning
    # the README's sizes: distinct nodes per tree
    assert m["size"].mean() == pytest.approx(425.2, abs=0.05)
    assert (m["size"].median(), m["size"].min(), m["size"].max()) == (271, 74, 3089)
    assert m["depth"].max() <= 16
    sv = m["structural_virality"]
    assert (sv >= 1.0).all() and (sv <= m["depth"] * 2).all()
    # the datasets module's raw lines give the same trees through cascades_from_trees
    from netlib.datasets import twitter16_trees

    lines = twitter16_trees(data_home=datasets_dir)
    c2 = cascades_from_trees(lines, item="tree_id", parent="parent_uid", child="child_uid",
                             time="child_delay", parent_time="parent_delay", root_marker="ROOT")
    assert c2.attrs["report"]["tree_edges"] == r["tree_edges"]
    assert (c2["parent"].fillna("").to_numpy() == c["parent"].fillna("").to_numpy()).all()


# --------------------------------------------------------------------------------------------------
# Curves and influencers
# --------------------------------------------------------------------------------------------------

HAND = pd.DataFrame({
    "item_id": ["x"] * 5 + ["y", "y"],
    "customer": ["r", "a", "b", "c", "d", "a", "e"],
    "parent": [None, "r", "r", "a", "c", None, "a"],
    "time": [0.0, 1.0, 1.0, 3.0, 10.0, 5.0, 9.0],
})


def test_adoption_curves_per_item_and_aggregate():
    cur = adoption_curves(HAND)
    x = cur[cur["item_id"] == "x"]
    assert x["time"].tolist() == [0.0, 1.0, 3.0, 10.0]
    assert x["new"].tolist() == [1, 2, 1, 1] and x["adopters"].tolist() == [1, 3, 4, 5]
    assert x["fraction"].tolist() == pytest.approx([0.2, 0.6, 0.8, 1.0])
    agg = adoption_curves(HAND, by=None)
    assert agg["adopters"].iloc[-1] == len(HAND) and agg["adopters"].is_monotonic_increasing
    # aligned at each item's launch and binned by 2: x at 0,1,1 | 3 | 10 ; y at 0 | 4
    al = adoption_curves(HAND, by=None, elapsed=True, freq=2)
    assert al["elapsed"].tolist() == [0.0, 2.0, 4.0, 10.0]
    assert al["new"].tolist() == [4, 1, 1, 1]
    cas = adoption_curves(HAND, by="cascade")
    assert set(zip(cas["item_id"], cas["root"])) == {("x", "r"), ("y", "a")}
    with pytest.raises(ParameterError, match="by must be"):
        adoption_curves(HAND, by="customer")


def test_adoption_curves_on_datetimes_with_freq():
    c = reconstruct_cascades(log([("a", "b", 0), ("a", "c", 1800), ("b", "d", 3700)]))
    cur = adoption_curves(c, freq="1h")
    assert cur["new"].tolist() == [3, 1]
    assert cur["time"].iloc[1] == pd.Timestamp(3600, unit="s", tz="UTC")


def test_cascade_influencers_count_downstream_not_just_direct():
    inf = cascade_influencers(HAND)
    assert inf.index.name == "customer_id"
    assert inf.loc["r", "downstream"] == 4 and inf.loc["r", "direct"] == 2
    assert inf.loc["a", "downstream"] == 3 and inf.loc["a", "direct"] == 2  # c, d in x; e in y
    assert inf.loc["a", "adoptions"] == 2 and inf.loc["a", "seeded"] == 1 and inf.loc["a", "triggered"] == 2
    assert inf.index[:2].tolist() == ["r", "a"] and inf["rank"].tolist() == list(range(1, 7))
    # downstream sums to the sum of depths (each adoption counted once per ancestor)
    depths = reconstruct_like_depths(HAND)
    assert inf["downstream"].sum() == sum(depths)
    assert cascade_influencers(HAND, k=2).index.tolist() == ["r", "a"]
    with pytest.raises(ParameterError, match="k must be"):
        cascade_influencers(HAND, k=0)


def reconstruct_like_depths(c):
    par = dict(zip(zip(c["item_id"], c["customer"]), c["parent"]))
    out = []
    for (it, _), parent in par.items():
        d, p = 0, parent
        while p is not None and not pd.isna(p):
            d, p = d + 1, par[(it, p)]
        out.append(d)
    return out


# --------------------------------------------------------------------------------------------------
# Paths on the network
# --------------------------------------------------------------------------------------------------

@pytest.fixture
def pgraph():
    G = nx.DiGraph()
    G.add_edge("a", "b", p=0.9)
    G.add_edge("b", "c", p=0.9)
    G.add_edge("a", "c", p=0.5)
    G.add_edge("c", "d", p=1.0)
    G.add_edge("e", "d", p=0.95)
    G.add_edge("d", "f", p=0.0)
    return G


def test_most_probable_path(pgraph):
    path = most_probable_path(pgraph, "a", "d", p="p")
    assert path.nodes == ["a", "b", "c", "d"] and path.probability == pytest.approx(0.81) and path.hops == 3
    assert most_probable_path(pgraph, "d", "a", p="p") == SpreadPath([], 0.0)
    assert most_probable_path(pgraph, "a", "f", p="p").probability == 0.0  # p = 0 ties carry nothing
    assert most_probable_path(pgraph, "a", "a", p="p").nodes == ["a"]


def test_most_probable_path_matches_brute_force():
    rng = np.random.default_rng(5)
    G = nx.gnp_random_graph(12, 0.3, seed=5, directed=True)
    for u, v in G.edges:
        G[u][v]["p"] = float(rng.uniform(0.05, 1.0))
    for s, t in itertools.permutations(range(6), 2):
        best = max((np.prod([G[u][v]["p"] for u, v in itertools.pairwise(pth)])
                    for pth in nx.all_simple_paths(G, s, t)), default=0.0)
        assert most_probable_path(G, s, t, p="p").probability == pytest.approx(best)


def test_k_most_probable_paths(pgraph):
    k = k_most_probable_paths(pgraph, "a", "d", k=5, p="p")
    assert k["path"].tolist() == [["a", "b", "c", "d"], ["a", "c", "d"]]
    assert k["probability"].tolist() == pytest.approx([0.81, 0.5])
    assert k["rank"].tolist() == [1, 2] and k["hops"].tolist() == [3, 2]
    assert len(k_most_probable_paths(pgraph, "a", "d", k=1, p="p")) == 1
    assert len(k_most_probable_paths(pgraph, "d", "a", p="p")) == 0
    with pytest.raises(ParameterError, match="k must be"):
        k_most_probable_paths(pgraph, "a", "d", k=0, p="p")


def test_reachable_within_exact_and_monte_carlo(pgraph):
    r = reachable_within(pgraph, "a", 2, p="p", runs=4000, seed=3)
    assert r.index.name == "customer_id"
    assert r["hops"].to_dict() == {"a": 0, "b": 1, "c": 1, "d": 2}
    assert r["path_probability"].to_dict() == pytest.approx({"a": 1.0, "b": 0.9, "c": 0.81, "d": 0.5})
    # exact IC probabilities: c is reached by a directly (0.5) or via b (0.81): 1 - 0.5 * 0.19;
    # within 2 rounds d needs c in round 1 (0.5)
    exact = {"a": 1.0, "b": 0.9, "c": 1 - 0.5 * 0.19, "d": 0.5}
    for v, q in exact.items():
        assert abs(r.loc[v, "probability"] - q) <= 4 * max(r.loc[v, "probability_se"], 1e-3)
    again = reachable_within(pgraph, "a", 2, p="p", runs=4000, seed=3)
    pd.testing.assert_frame_equal(r, again)
    assert reachable_within(pgraph, "a", 3, p="p").loc["d", "path_probability"] == pytest.approx(0.81)
    assert list(reachable_within(pgraph, "a", 0, p="p").index) == ["a"]
    with pytest.raises(ParameterError, match="not a node"):
        reachable_within(pgraph, "zz", 2, p="p")


def test_probability_arguments(pgraph):
    assert most_probable_path(pgraph, "a", "d", p=0.5).probability == pytest.approx(0.25)
    # weighted cascade: 1 / in-degree of the receiver; c has in-degree 2, d has 2
    assert most_probable_path(pgraph, "a", "d", p="wc").probability == pytest.approx(0.25)
    with pytest.raises(ParameterError, match="lack it"):
        most_probable_path(pgraph, "a", "d", p="missing")
    with pytest.raises(ParameterError, match=r"\[0, 1\]"):
        most_probable_path(pgraph, "a", "d", p=1.5)
    with pytest.raises(ParameterError, match="not a node"):
        most_probable_path(pgraph, "a", "zz", p="p")


def test_territories():
    G = nx.path_graph(7)
    t = territories(G, [0, 6], p=0.5)
    assert t["seed"].to_dict() == {0: 0, 1: 0, 2: 0, 3: 0, 4: 6, 5: 6, 6: 6}  # 3 is a tie: first seed
    assert t.loc[3, "margin"] == 0.0 and t.loc[3, "runner_up"] == 6
    assert t.loc[2, "probability"] == pytest.approx(0.25) and t.loc[2, "hops"] == 2
    # seeds order does not change who owns what, except ties
    t2 = territories(G, [6, 0], p=0.5)
    assert t2.loc[3, "seed"] == 6 and t2.drop(3)["seed"].to_dict() == t.drop(3)["seed"].to_dict()
    # against a brute force on a random weighted graph
    rng = np.random.default_rng(2)
    H = nx.gnp_random_graph(15, 0.25, seed=2, directed=True)
    for u, v in H.edges:
        H[u][v]["p"] = float(rng.uniform(0.1, 0.9))
    seeds = [0, 1, 2]
    t = territories(H, seeds, p="p")
    for v in t.index:
        probs = [most_probable_path(H, s, v, p="p").probability for s in seeds]
        assert t.loc[v, "probability"] == pytest.approx(max(probs))


# --------------------------------------------------------------------------------------------------
# Time-respecting paths
# --------------------------------------------------------------------------------------------------

TEMPORAL = pd.DataFrame({"source": ["a", "b", "b", "c", "d"], "target": ["b", "c", "d", "e", "a"],
                         "timestamp": [1, 2, 0, 2, 5]})


def test_earliest_arrival_strict_and_not():
    e = earliest_arrival(TEMPORAL, "a")
    assert e["hops"].to_dict() == {"a": 0, "b": 1, "c": 2}  # b->d happened before a reached b
    assert e["arrival"].tolist()[1:] == [1, 2] and e["via"].tolist()[1:] == ["a", "b"]
    loose = earliest_arrival(TEMPORAL, "a", strict=False)  # c->e at the same instant c was reached
    assert loose["via"].to_dict()["e"] == "c" and loose.loc["e", "hops"] == 3
    late = earliest_arrival(TEMPORAL, "a", start=2)
    assert list(late.index) == ["a"]  # a's only message was at 1
    with pytest.raises(ParameterError, match="no message"):
        earliest_arrival(TEMPORAL, "zz")


def test_temporal_reach_vs_static():
    r = temporal_reach(TEMPORAL)
    assert r.loc["a", "temporal_reach"] == 2 and r.loc["a", "static_reach"] == 4
    assert r.loc["d", "temporal_reach"] == 1 and r.loc["e", "static_reach"] == 0
    assert (r["temporal_reach"] <= r["static_reach"]).all()
    # against earliest_arrival from every customer
    for v in r.index:
        assert r.loc[v, "temporal_reach"] == len(earliest_arrival(TEMPORAL, v)) - 1
    some = temporal_reach(TEMPORAL, sources=["d", "a"])
    assert some.index.tolist() == ["a", "d"] and some.equals(r.loc[["a", "d"]])
    with pytest.raises(ParameterError, match="no message"):
        temporal_reach(TEMPORAL, sources=["zz"])


@pytest.mark.datasets
def test_collegemsg_time_respecting_reach(datasets_dir):
    from netlib.datasets import load_frames

    msgs = load_frames("collegemsg", data_home=datasets_dir)["messages"]
    assert len(msgs) == 59_835
    r = temporal_reach(msgs)
    assert len(r) == 1_899
    assert (r["temporal_reach"] <= r["static_reach"]).all()
    # static reach is the size of what each user's component reaches; time order cuts it down
    assert r["temporal_reach"].sum() < 0.8 * r["static_reach"].sum()
    first = r.index[0]
    assert r.loc[first, "temporal_reach"] == len(earliest_arrival(msgs, first)) - 1


# --------------------------------------------------------------------------------------------------
# Synthetic sample: planted cascades
# --------------------------------------------------------------------------------------------------

def test_sample_planted_cascades_recovered_by_first_rule():
    from netlib.datasets import load_sample

    data = load_sample()
    shares = data.interactions[data.interactions["kind"] == "share"]
    c = reconstruct_cascades(shares, rule="first")
    truth = data.truth.cascades
    m = c.merge(truth, on=["item_id", "customer"], how="outer", suffixes=("", "_truth"), indicator=True)
    assert (m["_merge"] == "both").all()
    assert (m["parent"].fillna("") == m["parent_truth"].fillna("")).all()
    assert (m["time"] == m["time_truth"]).all() and (m["depth"] == m["depth_truth"]).all()
    assert (m["root"] == m["root_truth"]).all()
    # the whole CustomerData gives the same trees: messages and referrals name no item
    whole = reconstruct_cascades(data)
    pd.testing.assert_frame_equal(whole, c, check_like=False)
    assert whole.attrs["report"]["missing_item_id"] == len(data.interactions) - len(shares)
    last = reconstruct_cascades(shares, rule="last")
    assert (last["parent"].isna() == c["parent"].isna()).all()


def test_path_answers_do_not_depend_on_insertion_order():
    rng = np.random.default_rng(11)
    G = nx.gnp_random_graph(30, 0.15, seed=11, directed=True)
    for u, v in G.edges:
        G[u][v]["p"] = float(rng.choice([0.2, 0.5, 0.8]))  # many equal-probability routes
    H = nx.DiGraph()
    H.add_nodes_from(reversed(list(G.nodes)))
    H.add_edges_from(reversed(list(G.edges(data=True))))
    pd.testing.assert_frame_equal(territories(G, [0, 5, 9], p="p"), territories(H, [0, 5, 9], p="p"))
    pd.testing.assert_frame_equal(reachable_within(G, [0], 3, p="p", runs=200, seed=4),
                                  reachable_within(H, [0], 3, p="p", runs=200, seed=4))
    assert most_probable_path(G, 0, 7, p="p") == most_probable_path(H, 0, 7, p="p")
    inf = cascade_influencers(HAND)
    assert inf.equals(cascade_influencers(HAND.iloc[::-1]))


def test_earliest_arrival_from_start_uses_the_first_message_at_start():
    log = pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "d"],
                        "timestamp": pd.to_datetime([1, 2, 3], unit="s", utc=True)})
    for start in (pd.Timestamp(0, unit="s", tz="UTC"), pd.Timestamp(1, unit="s", tz="UTC")):
        out = earliest_arrival(log, "a", start=start)
        assert out["hops"].to_dict() == {"a": 0, "b": 1, "c": 2, "d": 3}
    late = earliest_arrival(log, "a", start=pd.Timestamp(2, unit="s", tz="UTC"))
    assert late.index.tolist() == ["a"]  # a's only message came before the start
