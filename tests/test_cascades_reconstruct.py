"""Cascades rebuilt from share logs, trees loaded from edge lists, the Twitter16 reader, public data."""

from __future__ import annotations

from types import SimpleNamespace

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from _cascades_data import ACCOUNTED, TREE_ACCOUNTED, log, parents

from netlib.cascades import (
    cascade_metrics,
    cascades_from_trees,
    read_propagation_trees,
    reconstruct_cascades,
)
from netlib.errors import DataError, ParameterError, SchemaError


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
