"""A report run's shared work: the data, the network and shared analyses computed once and loaded exactly."""

from __future__ import annotations

import dataclasses
import pickle

import pandas as pd
import pytest

import netlib as nl
from netlib.errors import DataError, ParameterError
from netlib.report import runcache
from netlib.report.runcache import RunCache, activated, shared


def _stored(cache: RunCache) -> int:
    return sum(1 for _ in (cache.folder / "results").rglob("output.pkl"))


def _assert_same(a, b):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    else:
        pd.testing.assert_series_equal(a, b, check_exact=True)
    assert a.attrs == b.attrs


@pytest.fixture(scope="module")
def messy():
    """Data with rows set aside, so the load report has something to keep."""
    log = pd.DataFrame({"source": ["a", "b", None, "c", "a", "d"], "target": ["b", "c", "a", "a", "d", "a"],
                        "timestamp": ["2024-01-01", "2024-01-02", "2024-01-03", "not a date", "2024-01-05",
                                      "2024-01-06"],
                        "item_id": ["x", "x", None, None, "y", None]})
    return nl.read_data({"interactions": log})


@pytest.fixture(scope="module")
def sample_cache(tmp_path_factory):
    data = nl.load_sample()
    G = nl.customer_network(data)
    return RunCache.create(tmp_path_factory.mktemp("run") / "cache", data, network=G), data, G


def test_data_comes_back_exactly_with_its_load_report(messy, tmp_path):
    assert messy.report.rows_rejected == 2
    back = RunCache(RunCache.create(tmp_path, messy).folder).load_data()
    for table in ("customers", "interactions", "events"):
        pd.testing.assert_frame_equal(getattr(back, table), getattr(messy, table), check_exact=True)
    pd.testing.assert_frame_equal(back.report.tables, messy.report.tables)
    pd.testing.assert_frame_equal(back.report.rejected, messy.report.rejected)
    assert (back.report.rows_in, back.report.rows_kept, back.report.rows_rejected) == (6, 4, 2)
    assert back.report.notes == messy.report.notes and back.report.decisions == messy.report.decisions
    assert back.source == messy.source and back.truth is None


def test_network_comes_back_exactly(sample_cache):
    cache, _, G = sample_cache
    back = RunCache(cache.folder).load_network()
    assert back is not G and list(back.ids) == list(G.ids) and back.graph == G.graph
    for name in ("indptr", "indices", "weight", "count", "first_ns", "last_ns", "channel_ptr", "channel_code",
                 "channel_count"):
        assert (getattr(back, name) == getattr(G, name)).all() and not getattr(back, name).flags.writeable
    pd.testing.assert_frame_equal(back.customers, G.customers)


@pytest.mark.slow
def test_shared_results_equal_fresh_ones_and_are_computed_once(sample_cache):
    cache, data, G = sample_cache
    fresh = {"influencers": nl.influencers(G, top=None, p=0.05, seed=3),
             "communities": nl.communities(G, seed=3),
             "centrality": nl.centrality(G, ["in_degree", "pagerank", "betweenness"], seed=3),
             "cascades": nl.reconstruct_cascades(data)}
    before = _stored(cache)
    with activated(cache):  # the report's process: computes and stores
        first = {"influencers": shared(nl.influencers, G, top=None, p=0.05, seed=3),
                 "communities": shared(nl.communities, G, seed=3),
                 "centrality": shared(nl.centrality, G, ["in_degree", "pagerank", "betweenness"], seed=3),
                 "cascades": shared(nl.reconstruct_cascades, data)}
    assert _stored(cache) == before + 4
    kernel = RunCache(cache.folder)  # a kernel: loads the data and the network, then the results
    kdata, kG = kernel.load_data(), kernel.load_network()
    with activated(kernel):
        again = {"influencers": shared(nl.influencers, kG, top=None, p=0.05, seed=3, progress=False),
                 "communities": shared(nl.communities, kG, resolution=1.0, seed=3),  # the default, spelt out
                 "centrality": shared(nl.centrality, kG, ["in_degree", "pagerank", "betweenness"], seed=3),
                 "cascades": shared(nl.reconstruct_cascades, kdata)}
    assert _stored(cache) == before + 4  # all four loaded, none recomputed
    for name in fresh:
        _assert_same(first[name], fresh[name])
        _assert_same(again[name], fresh[name])


def test_other_arguments_or_other_graphs_are_computed_afresh(sample_cache):
    cache, data, G = sample_cache
    with activated(cache):
        before = _stored(cache)
        five = shared(nl.communities, G, seed=5, resolution=2.0)
        assert _stored(cache) == before + 1
        _assert_same(five, nl.communities(G, seed=5, resolution=2.0))
        other = nl.customer_network(data)  # equal, but not the run's network: not stored
        _assert_same(shared(nl.communities, other, seed=5), nl.communities(other, seed=5))
        import numpy as np

        drawn = shared(nl.communities, G, seed=np.random.default_rng(5))  # a Generator: no fixed answer
        _assert_same(drawn, nl.communities(G, seed=np.random.default_rng(5)))
        shared(nl.communities, G)  # seed None: no fixed answer either
        ranked = shared(nl.influencers, G, top=None, p=0.05, seed=3, partition=five)  # not a plain argument
        assert "community" in ranked.columns
        assert _stored(cache) == before + 1


def test_customer_network_of_the_run_data_is_the_run_network(sample_cache):
    cache, data, G = sample_cache
    with activated(cache):
        assert shared(nl.customer_network, data) is G
        assert shared(nl.customer_network, data, kinds=["share"]).m < G.m  # other arguments: built afresh


def test_shared_without_a_report_run_is_the_call(monkeypatch):
    monkeypatch.delenv(runcache.ENV, raising=False)
    assert runcache.active() is None
    G = nl.customer_network(nl.load_sample())
    _assert_same(shared(nl.communities, G, seed=1), nl.communities(G, seed=1))
    with pytest.raises(ParameterError, match="module-level"):
        with activated(RunCache.create(pytest.importorskip("tempfile").mkdtemp(), nl.load_sample(), network=G)) as c:
            shared(lambda g: g, c.load_network())


def test_notebook_setup_in_a_report_kernel_loads_the_cache(sample_cache, monkeypatch, tmp_path):
    cache, data, G = sample_cache
    monkeypatch.setattr(runcache, "_from_env", {})
    monkeypatch.setenv(runcache.ENV, str(cache.folder))
    got_data, got_G = nl.report.notebook_setup(None)
    kernel = runcache.active()
    assert got_data is kernel.load_data() and got_G is kernel.load_network()
    pd.testing.assert_frame_equal(got_data.interactions, data.interactions)
    assert got_G.m == G.m
    # a notebook given other data reads it as it would outside a report
    nl.write_data(data, tmp_path / "other", format="parquet")
    other, _ = nl.report.notebook_setup(str(tmp_path / "other"), network=False)
    assert other is not got_data and len(other.interactions) == len(data.interactions)


def test_a_folder_that_is_not_a_cache_is_refused(tmp_path):
    with pytest.raises(DataError, match="not a report run cache"):
        RunCache(tmp_path)


def test_findings_set_aside_and_taken_back(sample_cache, tmp_path):
    from netlib.report.build import _set_aside, _take_back

    cache, data, G = sample_cache
    f = nl.report.findings.Findings(data=data, assumptions=nl.report.estimate_p(data), tables=("interactions",),
                                    G=G, seeds=["a"])
    path = _set_aside(f, tmp_path / "findings.pkl")
    with open(path, "rb") as handle:
        assert pickle.load(handle).data is None  # the data and network stay in the cache only
    back = _take_back(path, RunCache(cache.folder))
    assert back.seeds == ["a"] and back.G.m == G.m
    pd.testing.assert_frame_equal(back.data.events, data.events)
    assert dataclasses.replace(back, data=None, G=None).assumptions == f.assumptions


def test_a_result_asked_for_while_another_computes_it_is_computed_once(tmp_path, monkeypatch):
    """Two processes (here threads, which take the same file lock) asking at once: one computes, one loads."""
    import threading

    data = nl.load_sample()
    G = nl.customer_network(data)
    cache = RunCache.create(tmp_path, data, network=G)
    calls = []
    real = nl.communities

    def counted(*args, **kwargs):
        calls.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(nl.community.detect, "communities", counted)
    monkeypatch.setattr(runcache, "_name", lambda func: "netlib.community.detect.communities")
    out = [None, None]

    def ask(i):
        out[i] = cache.call(counted, G, seed=4)

    threads = [threading.Thread(target=ask, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and _stored(cache) == 2  # with the first call create() makes
    _assert_same(out[0], out[1])
    _assert_same(out[0], real(G, seed=4))
