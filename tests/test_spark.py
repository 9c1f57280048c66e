"""netlib.spark gives the single-machine answers (Spark local[2], one session for the whole run).

Logic is tested on tiny inputs; the equality with the single-machine functions on the shipped sample;
a 100,000-customer world is the one slow run. The module skips, saying why, when pyspark or a Java 17
runtime is missing. Every test is in xdist group "spark": with ``--dist loadgroup`` (the README's test
command) one worker holds the JVM.
"""

from __future__ import annotations

import math
import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import netlib as nl
from conftest import REPO

pytestmark = [pytest.mark.xdist_group("spark"),
              pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")]

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed: pip install netlib[spark]")
ns = pytest.importorskip("netlib.spark")
if (ns.java_version() or 0) < 17:
    pytest.skip("no Java 17+ runtime for Spark (Debian: apt-get install openjdk-17-jre-headless)",
                allow_module_level=True)

SAMPLE = REPO / "data" / "sample"
COLS = ["table", "row", "column", "value", "reason"]


@pytest.fixture(scope="session")
def spark():
    # tiny data: two shuffle partitions and two slices per table (one wave of tasks on two cores)
    session = ns.session("local[2]", app_name="netlib-tests", shuffle_partitions=2, config={
        "spark.default.parallelism": "2",
        "spark.ui.enabled": "false",
        "spark.driver.memory": "1g",
        # tiny data: a quick-starting JVM beats a fully optimising one, and adaptive re-planning only adds jobs
        "spark.driver.extraJavaOptions": "-XX:+UseSerialGC -XX:TieredStopAtLevel=1",
        "spark.sql.adaptive.enabled": "false",
        "spark.sql.autoBroadcastJoinThreshold": str(64 << 20),
    })
    yield session
    session.stop()


@pytest.fixture(scope="session")
def local():
    return nl.load_sample()


@pytest.fixture(scope="session")
def data(spark):
    return ns.read_tables(SAMPLE, spark=spark)


@pytest.fixture(scope="session")
def ties(data):
    return ns.tie_table(data).localCheckpoint()


@pytest.fixture(scope="session")
def G(local):
    return nl.build_network(local)


def _rejected(spark_data) -> pd.DataFrame:
    got = ns.to_pandas(spark_data.rejected, index=None)[COLS]
    got["row"] = got["row"].astype("int64")
    return got.sort_values(["table", "row"]).reset_index(drop=True).astype(str)


def _same_as_read_data(spark, source, *, values=True, **options):
    """read_tables and read_data on the same input: the same counts, rejected rows, reasons and kept rows.

    ``values=False`` leaves out the values shown for rejected weights: read from a csv file by read_data,
    a weight column that holds only numbers is typed as numbers first (-1 shows as '-1.0'), while Spark
    shows the text as written ('-1').
    """
    want = nl.read_data(source, **options)
    got = ns.read_tables(source, spark=spark, **options)
    counts = ["rows_in", "rows_kept", "rows_rejected"]
    assert got.summary()[counts].equals(want.report.tables[counts])
    expected = want.report.rejected[COLS].sort_values(["table", "row"]).reset_index(drop=True).astype(str)
    mine = _rejected(got)
    if not values:
        weights = expected["column"] == "weight"
        expected.loc[weights, "value"] = mine.loc[weights, "value"] = "(not compared)"
    pd.testing.assert_frame_equal(mine, expected)
    for table in ("customers", "interactions", "events"):
        kept = ns.to_pandas(getattr(got, table), index=None)
        mine = getattr(want, table)
        cols = [c for c in mine.columns if c in ("customer_id", "source", "target", "timestamp", "weight",
                                                  "event_type")]
        key = cols[:3]
        pd.testing.assert_frame_equal(kept[cols].sort_values(key).reset_index(drop=True),
                                      mine[cols].sort_values(key).reset_index(drop=True), check_dtype=False)
    return got, want


# ------------------------------------------------------------------------------------------- tables
def test_messy_frames_get_read_datas_rows_and_reasons(spark):
    customers = pd.DataFrame({"customer_id": ["a", "b", "c", "a", " ", "NA", "1", 2.0]})
    inter = pd.DataFrame({
        "source": ["a", None, "b", "a", "x", "c", "a", "NA", "1.0", "b"],
        "target": ["b", "c", "zz", "c", "a", "a", "d", "a", "2", "a"],
        "timestamp": ["2024-01-01T00:00:00Z", "1700000000", "2024-01-02", "not a time", "2024-01-03",
                      "2024-01-04T10:00:00+01:00", None, "1700000300", "1700000400", "1700000500"],
        "weight": ["1", "2.5", "abc", "1", "-1", "", "3", "inf", "NaN", "7"],
    })
    events = pd.DataFrame({"customer_id": ["a", "b", "q", "null"], "timestamp": [1700000000, 1700000100, 1700000200, 1],
                           "event_type": ["login", " ", "share", "x"]})
    got, want = _same_as_read_data(spark, {"customers": customers, "interactions": inter, "events": events})
    # what the rules say, spelled out: NA is a customer, 1.0 and 2.0 are customers "1" and "2", NaN is rejected
    assert set(ns.to_pandas(got.customers, index=None)["customer_id"]) == {"a", "b", "c", "NA", "1", "2"}
    reasons = dict(zip(want.report.rejected["row"].astype(str) + want.report.rejected["table"],
                       want.report.rejected["reason"]))
    assert reasons["9interactions"] == "expected a finite number, found 'NaN'"
    assert reasons["4events"] == "customer_id is not in the customers table"


def test_csv_files_ragged_rows_dates_and_units_as_read_data(spark, tmp_path):
    (tmp_path / "Customers.CSV").write_text("customer_id,segment\n1,a\n2.0,b\n3,c\n1,d\nNA,e\n")
    (tmp_path / "referrals.csv").write_text(  # an alias of interactions, semicolons, day-first dates
        "source;target;timestamp;weight\n1;2;05/03/2024;1\n1.0;3;13/03/2024 10:00;\n2;3;1700000000;inf\n"
        "2;9;2024-01-01;1\n3;1;x;1\n3;NA;2024-01-02;-1\n1;2;2024-01-02;nan\n1;2\n\"3\";\"2\";1700000100;2;9\n")
    got, want = _same_as_read_data(spark, tmp_path, values=False)
    dates = (f"interactions.timestamp ({tmp_path / 'referrals.csv'}): dates read day/month/year, decided from "
             "'13/03/2024 10:00'")
    assert dates in got.decisions and dates in want.report.decisions
    assert "interactions: read referrals.csv (an alias of interactions)" in got.decisions
    ragged = _rejected(got).query("column == '(row)'")
    assert ragged["reason"].tolist() == ["expected 4 fields as in the header, found 2 fields",
                                         "expected 4 fields as in the header, found 5 fields"]


def test_unit_and_date_order_are_decided_on_the_whole_column(spark):
    # milliseconds: one partition alone could not tell, the column's median does
    ms = pd.DataFrame({"source": ["a"] * 6, "target": ["b"] * 6,
                       "timestamp": [1_700_000_000_000 + i for i in range(6)]})
    got = ns.read_tables({"interactions": spark.createDataFrame(ms).repartition(3)}, spark=spark)
    assert "numbers read as epoch milliseconds" in got.decisions[0]
    stamps = ns.to_pandas(got.interactions, index=None)["timestamp"].sort_values()
    assert stamps.tolist() == nl.read_data({"interactions": ms}).interactions["timestamp"].tolist()
    both = pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "timestamp": ["13/03/2024", "03/13/2024"]})
    with pytest.raises(nl.SchemaError) as local_error:
        nl.read_data({"interactions": both})
    with pytest.raises(nl.SchemaError) as spark_error:
        ns.read_tables({"interactions": both}, spark=spark)
    assert str(spark_error.value) == str(local_error.value)
    assert "both day first ('13/03/2024') and month first ('03/13/2024')" in str(spark_error.value)


def test_schema_errors_and_raise(spark, tmp_path):
    nanos = pd.DataFrame({"source": ["a"], "target": ["b"],
                          "timestamp": pd.to_datetime([1], unit="s", utc=True).astype("datetime64[ns, UTC]")})
    nanos.to_parquet(tmp_path / "interactions.parquet")
    with pytest.raises(nl.DataError, match="coerce_timestamps='us'"):
        ns.read_tables(tmp_path, spark=spark)
    bad = pd.DataFrame({"src": ["a"], "target": ["b"], "timestamp": [1]})
    with pytest.raises(nl.SchemaError, match=r"interactions \(<DataFrame>\): column 'source' missing; found"):
        ns.read_tables({"interactions": bad}, spark=spark)
    with pytest.raises(nl.RowError, match=r"row 1, column 'target': target is missing"):
        ns.read_tables({"interactions": pd.DataFrame({"source": ["a"], "target": [None], "timestamp": [1]})},
                       spark=spark, errors="raise")


def test_sample_keeps_and_rejects_every_row_as_read_data_does_and_hands_off(data, local):
    from netlib.report.build import spark_steps

    collected = ns.to_customer_data(data)  # the hand-off: the load report's counts come from Spark
    counts = ["rows_in", "rows_kept", "rows_rejected"]
    assert collected.report.tables[counts].equals(local.report.tables[counts])
    assert collected.report.rejected[COLS].astype(str).equals(local.report.rejected[COLS].astype(str))
    for table in ("customers", "interactions", "events"):
        assert len(getattr(collected, table)) == len(getattr(local, table))
    rows = int(local.report.tables["rows_in"].sum())
    assert spark_steps(collected) == [f"reading and validating the tables ({rows:,} rows, netlib.spark.read_tables); "
                                      "the analyses ran on one machine after the hand-off"]


# ------------------------------------------------------------------------------------------- network
def test_tie_table_is_build_networks_graph(ties, data, G):
    H = ns.to_networkx(ties, customers=data.customers)
    assert sorted(H.nodes) == sorted(G.nodes)
    assert sorted(H.edges) == sorted(G.edges)
    for u, v, d in G.edges(data=True):
        assert H[u][v] == {k: d[k] for k in ("weight", "count", "first_ts", "last_ts", "channels")}, (u, v)
    assert H.graph["provenance"]["engine"] == "spark"


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
        warnings.simplefilter("ignore", nl.UnmappedEventTypesWarning)
        want = nl.pattern_profiles(local)
        got = ns.to_pandas(ns.pattern_profiles(data, on_unmapped="ignore"))
    assert set(got.columns) <= set(want.columns)
    pd.testing.assert_frame_equal(got, want[list(got.columns)], check_exact=True)


# ------------------------------------------------------------------------------------------- cascades
def test_cascades_and_metrics_equal_local(data, local):
    want = nl.reconstruct_cascades(local)
    report: dict = {}
    cascades = ns.reconstruct_cascades(data, report=report).localCheckpoint()
    got = ns.to_pandas(cascades, index=None)
    pd.testing.assert_frame_equal(got, want.reset_index(drop=True), check_dtype=False, check_names=False)
    assert report == {k: v for k, v in want.attrs["report"].items() if k != "cycles"}
    metrics = nl.cascade_metrics(want)
    mine = ns.to_pandas(ns.cascade_metrics(cascades), index=None)
    for col in ("item_id", "root", "size", "depth", "max_breadth", "root_children", "start"):
        assert mine[col].tolist() == metrics[col].tolist(), col
    for col in ("time_to_50", "time_to_90", "duration"):
        assert pd.to_timedelta(mine[col]).tolist() == metrics[col].tolist(), col
    assert np.array_equal(mine["structural_virality"].to_numpy(), metrics["structural_virality"].to_numpy(),
                          equal_nan=True)


def test_strongest_exposure_parents_on_a_hand_worked_item(spark):
    shares = pd.DataFrame({"source": ["a", "a", "b", "c"], "target": ["b", "c", "d", "d"],
                           "timestamp": [1700000000, 1700000010, 1700000020, 1700000030],
                           "kind": "share", "item_id": "i1", "weight": [1.0, 1.0, 1.0, 5.0]})
    local = nl.read_data({"interactions": shares})
    got = ns.to_pandas(ns.reconstruct_cascades(spark.createDataFrame(local.interactions), rule="strongest"),
                       index=None)
    want = nl.reconstruct_cascades(local, rule="strongest")
    pd.testing.assert_frame_equal(got, want.reset_index(drop=True), check_dtype=False, check_names=False)


# ------------------------------------------------------------------------------------------- graph
def test_pagerank_within_1e6(ties, data, G):
    # tol * alpha / (1 - alpha) < 1e-6 bounds the L1 distance to the fixed point, so every rank's error
    want = nl.centrality(G, measures=["pagerank"])["pagerank"]
    got = ns.to_pandas(ns.pagerank(ties, customers=data.customers, tol=1.5e-7))["pagerank"]
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
    want = nl.simulate(G, seeds, p=0.1, runs=400, seed=7)
    got = ns.simulate(ties, seeds, customers=data.customers, p=0.1, runs=400, seed=7, tasks=3)
    # each run draws from its own numbered stream, so the same seed gives the very same runs
    assert np.array_equal(got.sizes, want.sizes)
    assert got.curve.equals(want.curve)
    other = nl.simulate(G, seeds, p=0.1, runs=400, seed=8)
    (lo, hi), (lo2, hi2) = got.ci, other.ci
    assert lo2 <= hi and lo <= hi2  # independent estimates agree within their intervals
    assert got.provenance["engine"] == "spark"


def test_imm_on_spark_picks_the_local_seeds_with_the_same_guarantee(ties, data, G):
    want = nl.maximize_influence(G, 3, p=0.05, method="imm", seed=3, runs=200, epsilon=0.5)
    got = ns.maximize_influence(ties, 3, customers=data.customers, p=0.05, seed=3, runs=200, epsilon=0.5)
    assert got.seeds == want.seeds
    assert got.marginal_gains == want.marginal_gains
    assert got.guarantee == want.guarantee == pytest.approx(1 - 1 / math.e - 0.5)
    assert got.details["rr_sets"] == want.details["rr_sets"]
    assert got.spread == want.spread
    with pytest.raises(nl.ParameterError, match="k must be a whole number"):
        ns.maximize_influence(ties, 0, customers=data.customers)


# ------------------------------------------------------------------------------------------- 100k world
@pytest.mark.slow
def test_a_100k_customer_world_gives_the_single_machine_answers(spark, tmp_path):
    world = nl.generate(n_customers=100_000, seed=1)
    nl.write_data(world, tmp_path, format="csv")
    local = nl.read_data(tmp_path)
    data = ns.read_tables(tmp_path, spark=spark)
    assert data.summary()[["rows_in", "rows_kept", "rows_rejected"]].equals(
        local.report.tables[["rows_in", "rows_kept", "rows_rejected"]])
    G = nl.build_network(local)
    ties = ns.tie_table(data).localCheckpoint()
    edges = ns.to_pandas(ties, index=None).sort_values(["source", "target"]).reset_index(drop=True)
    want = nx.to_pandas_edgelist(G).sort_values(["source", "target"]).reset_index(drop=True)
    for col in ("weight", "count", "first_ts", "last_ts"):
        assert edges[col].tolist() == want[col].tolist(), col
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nl.UnmappedEventTypesWarning)
        profiles = nl.pattern_profiles(local)
        got = ns.to_pandas(ns.pattern_profiles(data, on_unmapped="ignore"))
    pd.testing.assert_frame_equal(got, profiles[list(got.columns)], check_exact=True)
    cascades = ns.to_pandas(ns.reconstruct_cascades(data), index=None)
    pd.testing.assert_frame_equal(cascades, nl.reconstruct_cascades(local).reset_index(drop=True),
                                  check_dtype=False, check_names=False)
    parts = ns.to_pandas(ns.connected_components(ties, customers=data.customers))["component"]
    assert parts.value_counts().sort_index().tolist() == sorted(
        (len(c) for c in nx.weakly_connected_components(G)), reverse=True)
    seeds = list(G.nodes)[:5]
    assert np.array_equal(ns.simulate(ties, seeds, customers=data.customers, p=0.05, runs=500, seed=1).sizes,
                          nl.simulate(G, seeds, p=0.05, runs=500, seed=1).sizes)
