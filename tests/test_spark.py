"""netlib.spark gives the single-machine answers on the shipped sample (local[2] Spark).

One Spark session serves the whole module (starting the JVM costs seconds); every test compares a
Spark result with the single-machine function on the same data. The module skips, saying why, when
pyspark or a Java 17 runtime is missing.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import netlib as nl
from conftest import REPO

# one JVM for the module: under pytest-xdist, `--dist loadgroup` keeps these tests on one worker
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("spark")]

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed: pip install netlib[spark]")
ns = pytest.importorskip("netlib.spark")
if (ns.java_version() or 0) < 17:
    pytest.skip("no Java 17+ runtime for Spark (Debian: apt-get install openjdk-17-jre-headless)",
                allow_module_level=True)

SAMPLE = REPO / "data" / "sample"


@pytest.fixture(scope="module")
def spark():
    session = ns.session("local[2]", app_name="netlib-tests", shuffle_partitions=2, config={
        "spark.ui.enabled": "false",
        "spark.driver.memory": "1g",
        # the tests' data are tiny: a quick-starting JVM beats a fully optimising one
        "spark.driver.extraJavaOptions": "-XX:+UseSerialGC -XX:TieredStopAtLevel=1",
        "spark.sql.adaptive.enabled": "false",
    })
    yield session
    session.stop()


@pytest.fixture(scope="module")
def local():
    return nl.load_sample()


@pytest.fixture(scope="module")
def data(spark):
    read = ns.read_tables(SAMPLE, spark=spark)
    # materialise the validated tables once, so each test does not re-read and re-validate the csv files
    return dataclasses.replace(read, customers=read.customers.localCheckpoint(),
                               interactions=read.interactions.localCheckpoint(), events=read.events.localCheckpoint())


@pytest.fixture(scope="module")
def ties(data):
    return ns.tie_table(data).localCheckpoint()


@pytest.fixture(scope="module")
def G(local):
    return nl.build_network(local)


# ------------------------------------------------------------------------------------------- tables
def test_read_tables_keeps_and_rejects_every_row_as_read_data_does(spark, data, local):
    summary = data.summary()
    expected = local.report.tables
    for table in ("customers", "interactions", "events"):
        assert summary.loc[table, "rows_in"] == expected.loc[table, "rows_in"]
        assert summary.loc[table, "rows_kept"] == expected.loc[table, "rows_kept"]
        assert summary.loc[table, "rows_rejected"] == expected.loc[table, "rows_rejected"]


def test_messy_rows_get_read_datas_reasons(spark):
    customers = pd.DataFrame({"customer_id": ["a", "b", "c", "a", " ", "d"]})
    inter = pd.DataFrame({
        "source": ["a", None, "b", "a", "x", "c", "a"],
        "target": ["b", "c", "zz", "c", "a", "a", "d"],
        "timestamp": ["2024-01-01T00:00:00Z", "1700000000", "2024-01-02", "not a time", "2024-01-03",
                      "2024-01-04T10:00:00+01:00", None],
        "weight": ["1", "2.5", "abc", "1", "-1", "", "3"],
    })
    events = pd.DataFrame({"customer_id": ["a", "b", "q"], "timestamp": [1700000000, 1700000100, 1700000200],
                           "event_type": ["login", " ", "share"]})
    frames = {"customers": customers, "interactions": inter, "events": events}
    want = nl.read_data(frames)
    got = ns.read_tables(frames, spark=spark)
    summary = got.summary()
    assert summary[["rows_in", "rows_kept", "rows_rejected"]].equals(
        want.report.tables[["rows_in", "rows_kept", "rows_rejected"]])
    cols = ["table", "row", "column", "reason"]
    rej = ns.to_pandas(got.rejected, index=None)[cols].sort_values(["table", "row"]).reset_index(drop=True)
    expected = want.report.rejected[cols].sort_values(["table", "row"]).reset_index(drop=True)
    rej["row"] = rej["row"].astype("int64")
    pd.testing.assert_frame_equal(rej.astype(str), expected.astype(str))
    kept = ns.to_pandas(got.interactions.orderBy("source", "target"), index=None)
    assert kept["timestamp"].tolist() == want.interactions.sort_values(["source", "target"])["timestamp"].tolist()
    assert kept["weight"].tolist() == want.interactions.sort_values(["source", "target"])["weight"].tolist()


def test_missing_column_is_a_schema_error(spark, tmp_path):
    nanos = pd.DataFrame({"source": ["a"], "target": ["b"], "timestamp": pd.to_datetime([1], unit="s", utc=True).astype("datetime64[ns, UTC]")})
    nanos.to_parquet(tmp_path / "interactions.parquet")
    with pytest.raises(nl.DataError, match="coerce_timestamps='us'"):
        ns.read_tables(tmp_path, spark=spark)
    bad = pd.DataFrame({"src": ["a"], "target": ["b"], "timestamp": [1]})
    with pytest.raises(nl.SchemaError, match=r"interactions \(<DataFrame>\): column 'source' missing; found"):
        ns.read_tables({"interactions": bad}, spark=spark)
    with pytest.raises(nl.RowError, match=r"row 1, column 'target'"):
        ns.read_tables({"interactions": pd.DataFrame({"source": ["a"], "target": [None], "timestamp": [1]})},
                       spark=spark, errors="raise")


# ------------------------------------------------------------------------------------------- network
def test_tie_table_is_build_networks_graph(ties, data, G):
    H = ns.to_networkx(ties, customers=data.customers)
    assert sorted(H.nodes) == sorted(G.nodes)
    assert sorted(H.edges) == sorted(G.edges)
    for u, v, d in G.edges(data=True):
        assert H[u][v] == {k: d[k] for k in ("weight", "count", "first_ts", "last_ts", "channels")}, (u, v)
    for node in ("C0000", "C1999"):
        for key in ("name", "region", "segment"):
            assert H.nodes[node][key] == G.nodes[node][key]


def test_tie_strength_equals_the_local_table_bit_for_bit(ties, G):
    want = nl.tie_strength(G).sort_values(["u", "v"]).reset_index(drop=True)
    strength = ns.tie_strength(ties)
    got = ns.to_pandas(strength.orderBy("u", "v"), index=None)
    for col in ("count", "reciprocal", "n_channels", "days_since", "frequency", "recency", "reciprocity",
                "multiplexity", "score"):
        assert np.array_equal(got[col].to_numpy(), want[col].to_numpy()), col
    assert got["strength"].tolist() == want["strength"].astype(str).tolist()
    assert ns.tie_medians(strength) == want.attrs["per_customer"]


def test_degrees_equal_centralitys(ties, data, G):
    want = nl.centrality(G, measures=["degree", "strength"])
    got = ns.to_pandas(ns.degrees(ties, customers=data.customers)).loc[want.index]
    for col in ("in_degree", "out_degree", "degree", "in_strength", "out_strength", "strength"):
        assert np.allclose(got[col].to_numpy(dtype=float), want[col].to_numpy(dtype=float), rtol=0, atol=1e-12), col


# ------------------------------------------------------------------------------------------- profiles
def test_profiles_equal_pattern_profiles(data, local):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nl.patterns.UnmappedEventTypesWarning)
        want = nl.pattern_profiles(local)
        got = ns.to_pandas(ns.pattern_profiles(data, on_unmapped="ignore"))
    cols = [c for c in got.columns]
    assert set(cols) <= set(want.columns)
    pd.testing.assert_frame_equal(got, want[cols], check_exact=True)


# ------------------------------------------------------------------------------------------- cascades
def test_cascade_parents_equal_reconstruct_cascades(data, local):
    want = nl.reconstruct_cascades(local)
    report: dict = {}
    got = ns.to_pandas(ns.reconstruct_cascades(data, report=report), index=None)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert report == {k: v for k, v in want.attrs["report"].items() if k != "cycles"}
    strongest = ns.to_pandas(ns.reconstruct_cascades(data, rule="strongest"), index=None)
    pd.testing.assert_frame_equal(strongest, nl.reconstruct_cascades(local, rule="strongest"), check_dtype=False)


def test_cascade_metrics_equal_local(data, local):
    cascades = ns.reconstruct_cascades(data)
    want = nl.cascade_metrics(nl.reconstruct_cascades(local))
    got = ns.to_pandas(ns.cascade_metrics(cascades), index=None)
    assert got["item_id"].tolist() == want["item_id"].tolist()
    assert got["root"].tolist() == want["root"].tolist()
    for col in ("size", "depth", "max_breadth", "root_children"):
        assert got[col].tolist() == want[col].tolist(), col
    assert got["start"].tolist() == want["start"].tolist()
    for col in ("time_to_50", "time_to_90", "duration"):
        assert pd.to_timedelta(got[col]).tolist() == want[col].tolist(), col
    assert np.array_equal(got["structural_virality"].to_numpy(), want["structural_virality"].to_numpy(),
                          equal_nan=True)


# ------------------------------------------------------------------------------------------- graph
def test_pagerank_within_1e6(ties, data, G):
    want = nl.centrality(G, measures=["pagerank"])["pagerank"]
    got = ns.to_pandas(ns.pagerank(ties, customers=data.customers, tol=1e-7, check_every=10))["pagerank"]
    assert got.index.equals(want.index)
    assert np.max(np.abs(got.to_numpy() - want.to_numpy())) < 1e-6
    assert math.isclose(got.sum(), 1.0, abs_tol=1e-9)


def test_components_equal_networkx(ties, data, G):
    got = ns.to_pandas(ns.connected_components(ties, customers=data.customers))["component"]
    want = sorted(nx.weakly_connected_components(G), key=lambda c: (-len(c), min(c)))
    assert got.max() + 1 == len(want)
    for number, members in enumerate(want):
        assert set(got.index[got == number]) == members


def _lpa_reference(edges: pd.DataFrame, nodes: list[str], max_iter: int) -> dict:
    """Synchronous label propagation written plainly: the rule netlib.spark.label_propagation states."""
    nbrs: dict[str, dict[str, float]] = {v: {} for v in nodes}
    for u, v, w in edges[["source", "target", "weight"]].itertuples(index=False):
        if u != v:
            nbrs[u][v] = nbrs[u].get(v, 0.0) + w
            nbrs[v][u] = nbrs[v].get(u, 0.0) + w
    label = {v: v for v in nodes}
    for _ in range(max_iter):
        new = {}
        for v in nodes:
            score: dict[str, float] = {}
            for u, w in nbrs[v].items():
                score[label[u]] = score.get(label[u], 0.0) + w
            if not score:
                new[v] = label[v]
                continue
            top = max(score.values())
            best = [lab for lab, s in score.items() if s == top]
            new[v] = label[v] if label[v] in best else min(best)
        if new == label:
            break
        label = new
    return label


def test_label_propagation_follows_its_rule_and_finds_two_cliques(spark):
    cliques = [(a, b, 1.0) for grp in ("abcd", "efgh") for a in grp for b in grp if a < b] + [("d", "e", 1.0)]
    ring = list(zip("pqrstuvw", "qrstuvwp", [1.0, 2, 1, 3, 1, 1, 2, 1])) + [("p", "t", 1.0), ("r", "v", 1.0)]
    edges = pd.DataFrame(cliques + ring, columns=["source", "target", "weight"])
    # the weighted ring oscillates under synchronous updates, so the round cap decides: 4 rounds each
    got = ns.to_pandas(ns.label_propagation(spark.createDataFrame(edges), max_iter=4))["community"]
    ref = _lpa_reference(edges, sorted(set(edges["source"]) | set(edges["target"])), 4)
    groups = {frozenset(v for v in ref if ref[v] == lab) for lab in set(ref.values())}
    assert {frozenset(got.index[got == c]) for c in got.unique()} == groups
    assert frozenset("abcd") in groups and frozenset("efgh") in groups
    assert sorted(got.value_counts().index) == list(range(got.nunique()))  # ids 0..k-1


# ------------------------------------------------------------------------------------------- influence
def test_spark_reach_is_the_local_reach(ties, data, G):
    seeds = ["C0001", "C0002", "C0003"]
    want = nl.simulate(G, seeds, p=0.1, runs=2000, seed=7)
    got = ns.simulate(ties, seeds, customers=data.customers, p=0.1, runs=2000, seed=7, tasks=3)
    # each run draws from its own numbered stream, so the same seed gives the very same runs
    assert np.array_equal(got.sizes, want.sizes)
    assert got.curve.equals(want.curve)
    other = nl.simulate(G, seeds, p=0.1, runs=2000, seed=8)
    (lo, hi), (lo2, hi2) = got.ci, other.ci
    assert lo2 <= hi and lo <= hi2  # independent estimates agree within their intervals
    assert got.provenance["engine"] == "spark"


def test_imm_on_spark_picks_the_local_seeds_with_the_same_guarantee(ties, data, G):
    want = nl.maximize_influence(G, 5, p=0.05, seed=3, runs=500, epsilon=0.3)
    got = ns.maximize_influence(ties, 5, customers=data.customers, p=0.05, seed=3, runs=500, epsilon=0.3)
    assert got.seeds == want.seeds
    assert got.marginal_gains == want.marginal_gains
    assert got.guarantee == want.guarantee == pytest.approx(1 - 1 / math.e - 0.3)
    assert got.details["rr_sets"] == want.details["rr_sets"]
    assert got.spread == want.spread
    with pytest.raises(nl.ParameterError, match="k must be a whole number"):
        ns.maximize_influence(ties, 0, customers=data.customers)
