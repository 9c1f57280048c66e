"""netlib.customer_network / CustomerNetwork: the same network as the networkx build, held as arrays.

Everything is compared with the networkx-first build kept in ``tests/_nx_network.py`` (the code of
build_network before issue 17) and with each analysis run on the networkx twin.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import netlib as nl
from netlib._csr import _Conversion, arc_arrays, arc_positions, arc_weights, kept_conversion, node_order, to_csr
from netlib.errors import DataError, ParameterError

sys.path.insert(0, str(Path(__file__).parent))
from _nx_network import reference_build_network  # noqa: E402

DAY = 86400
T0 = pd.Timestamp("2024-01-01", tz="UTC")


def _same_graph(G: nx.DiGraph, R: nx.DiGraph, *, provenance: bool = True) -> None:
    """Nodes (order and attributes), edges (order and every attribute), graph attributes: all equal."""
    assert list(G.nodes(data=True)) == list(R.nodes(data=True))
    assert list(G.edges) == list(R.edges)
    for u, v, d in R.edges(data=True):
        got = G[u][v]
        assert got == d, (u, v, got, d)
        assert type(got["count"]) is int and type(got["weight"]) is float
        assert list(got["channels"]) == list(d["channels"])  # channel order too
    ga, ra = dict(G.graph), dict(R.graph)
    if not provenance:
        ga.pop("provenance"), ra.pop("provenance")
    assert ga == ra


@pytest.fixture(scope="module")
def sample():
    return nl.load_sample()


@pytest.fixture
def messy():
    customers = pd.DataFrame({"customer_id": ["d", "a", "b", "c", "lonely", "z"],
                              "region": ["e", "n", "s", "s", None, "w"]})
    rng = np.random.default_rng(5)
    n = 400
    ids = np.array(["a", "b", "c", "d", "x_unknown", "y_unknown"])
    inter = pd.DataFrame({
        "source": rng.choice(ids, n), "target": rng.choice(ids, n),
        "timestamp": T0 + pd.to_timedelta(rng.integers(0, 200 * DAY, n), unit="s"),
        "channel": rng.choice(np.array(["sms", "app", "email", None], dtype=object), n),
        "kind": rng.choice(["share", "message", "referral"], n),
        "weight": rng.random(n) * 3.0,  # float weights: the sums must agree to the last bit
    })
    return nl.read_data({"customers": customers, "interactions": inter})


def test_sample_equals_the_networkx_build(sample):
    _same_graph(nl.build_network(sample), reference_build_network(sample))


@pytest.mark.parametrize("options", [
    {}, {"self_loops": True}, {"kinds": "share"}, {"kinds": ["share", "referral"], "self_loops": True},
    {"start": "2024-02-01"}, {"end": T0 + pd.Timedelta(days=50)},
    {"start": "2024-02-01", "end": "2024-03-01", "kinds": "message"},
    {"start": "2030-01-01"},  # every interaction filtered out: customers only, no ties
])
def test_messy_data_equals_the_networkx_build(messy, options):
    ref = reference_build_network(messy, **options)
    _same_graph(nl.build_network(messy, **options), ref)
    net = nl.customer_network(messy, **options)
    _same_graph(net.to_networkx(), ref, provenance=False)
    assert net.graph["provenance"]["function"] == "netlib.customer_network"
    assert ("x_unknown" in net) == ref.has_node("x_unknown")


def test_networkx_by_its_own_api_gives_the_same_graph(messy, monkeypatch):
    import netlib.network.compact as compact

    fast = nl.customer_network(messy).to_networkx()
    monkeypatch.setattr(compact, "_plain", lambda G: False)  # as for a networkx not kept in plain dicts
    _same_graph(nl.customer_network(messy).to_networkx(), fast)


def test_self_loops_and_unknown_ids_are_counted(messy):
    net = nl.customer_network(messy)
    loops = int((messy.interactions["source"] == messy.interactions["target"]).sum())
    assert net.graph["self_loops_dropped"] == loops > 0
    assert not np.any(net.source == net.indices)
    with_loops = nl.customer_network(messy, self_loops=True)
    assert int(np.count_nonzero(with_loops.source == with_loops.indices)) == len(
        {s for s, t in zip(messy.interactions["source"], messy.interactions["target"]) if s == t})
    assert net.graph["interactions_used"] + loops == len(messy.interactions)
    assert {"lonely", "z"} <= set(net.ids)  # customers without ties
    assert "x_unknown" not in net  # read_data rejects interactions of customers not in the table ...
    raw = nl.customer_network(messy.interactions.assign(source="x_unknown"))
    assert "x_unknown" in raw and "lonely" not in raw  # ... a bare interactions table has no such rule
    _same_graph(raw.to_networkx(), reference_build_network(messy.interactions.assign(source="x_unknown")),
                provenance=False)


def test_a_single_customer_and_no_interactions():
    one = nl.read_data({"customers": pd.DataFrame({"customer_id": ["solo"]}),
                        "interactions": pd.DataFrame({"source": ["solo"], "target": ["solo"], "timestamp": [5]})})
    net = nl.customer_network(one)
    assert (net.n, net.m, net.graph["self_loops_dropped"]) == (1, 0, 1)
    _same_graph(net.to_networkx(), reference_build_network(one), provenance=False)
    kept = nl.customer_network(one, self_loops=True)
    assert (kept.m, int(kept.count[0]), kept.channels) == (1, 1, ())
    _same_graph(nl.build_network(one, self_loops=True), reference_build_network(one, self_loops=True))
    empty = pd.DataFrame({"source": pd.Series([], dtype="str"), "target": pd.Series([], dtype="str"),
                          "timestamp": pd.Series([], dtype="datetime64[ns, UTC]")})
    none = nl.customer_network(empty)
    assert (none.n, none.m, list(none.ties().columns)[:2]) == (0, 0, ["source", "target"])
    _same_graph(nl.build_network(empty), reference_build_network(empty))


def test_raw_frames_with_integer_and_mixed_ids():
    ts = T0 + pd.to_timedelta([1, 2, 3, 4, 5], unit="s")
    ints = pd.DataFrame({"source": [10, 9, 10, 2, 9], "target": [9, 10, 9, 10, 2], "timestamp": ts})
    net = nl.customer_network(ints)
    assert list(net.ids) == [2, 9, 10]  # numeric order, as node_order sorts int nodes
    _same_graph(nl.build_network(ints), reference_build_network(ints))
    mixed = pd.DataFrame({"source": pd.Series([1, "b", "a", 1], dtype=object),
                          "target": pd.Series(["a", 1, "b", 2], dtype=object), "timestamp": ts[:4]})
    net = nl.customer_network(mixed)
    G = reference_build_network(mixed)
    assert net.nodes == node_order(G) == [1, 2, "a", "b"]
    _same_graph(net.to_networkx(), G, provenance=False)


def test_bad_input_is_refused_as_before(messy):
    with pytest.raises(DataError, match="expects CustomerData"):
        nl.customer_network([("a", "b")])
    with pytest.raises(DataError, match=r"columns \['timestamp'\] missing"):
        nl.customer_network(pd.DataFrame({"source": ["a"], "target": ["b"]}))
    with pytest.raises(DataError, match="no 'kind' column"):
        nl.customer_network(pd.DataFrame({"source": ["a"], "target": ["b"], "timestamp": [T0]}), kinds="share")
    with pytest.raises(DataError, match="must hold datetimes; found dtype int64"):
        nl.customer_network(pd.DataFrame({"source": ["a"], "target": ["b"], "timestamp": [1]}))
    huge = pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"], "timestamp": [T0, T0], "weight": [1e308, 1e308]})
    with pytest.raises(DataError, match="a → b sum beyond the largest float"):
        nl.customer_network(huge)


def test_arrays_and_their_size(sample):
    net = nl.customer_network(sample)
    G = reference_build_network(sample)
    assert net.ids.name == "customer_id" and list(net.ids) == sorted(G)
    assert net.indptr.dtype == np.int64 and net.indices.dtype == np.int32 and net.first_ns.dtype == np.int64
    assert np.all(np.diff(net.source.astype(np.int64) * net.n + net.indices) > 0)  # sorted, one tie per pair
    ties = net.ties()
    assert ties.index.name == "tie" and len(ties) == G.number_of_edges()
    row = ties.iloc[17]
    d = G[row["source"]][row["target"]]
    assert (row["weight"], row["count"], row["first_ts"], row["last_ts"], row["n_channels"]) == (
        d["weight"], d["count"], d["first_ts"], d["last_ts"], len(d["channels"]))
    long = net.channel_table()
    assert long["count"].sum() == net.count.sum() and list(long["channel"].cat.categories) == list(net.channels)
    per_tie = (net.nbytes - net.ids.memory_usage(deep=True)) / net.m
    assert per_tie <= 64, per_tie  # issue 17: memory held per tie
    with pytest.raises(ValueError):
        net.weight[0] = 5.0  # the arrays are shared by every conversion: read-only


def test_pickle_save_load_and_networkx_round_trip(sample, tmp_path):
    net = nl.customer_network(sample, kinds=["share", "message"])
    net.index  # a cached lookup is not part of the pickle
    back = pickle.loads(pickle.dumps(net))
    assert "index" not in back.__dict__
    path = tmp_path / "net.npz"
    net.save(path)
    loaded = nl.CustomerNetwork.load(path)
    G = net.to_networkx()
    for other in (back, loaded):
        assert other.ids.equals(net.ids) and other.channels == net.channels
        for a in ("indptr", "indices", "weight", "count", "first_ns", "last_ns", "channel_ptr", "channel_code",
                  "channel_count"):
            assert np.array_equal(getattr(other, a), getattr(net, a)) and getattr(other, a).dtype == getattr(net, a).dtype
        _same_graph(other.to_networkx(), G, provenance=other is back)
    assert loaded.graph["provenance"]["function"] == "netlib.customer_network"
    (tmp_path / "bad.npz").write_bytes(b"not a network")
    with pytest.raises(DataError, match="cannot read a CustomerNetwork file"):
        nl.CustomerNetwork.load(tmp_path / "bad.npz")


# ------------------------------------------------------------------ the seam: netlib._csr
@pytest.mark.parametrize("weight", ["weight", None, "count", "no_such_attribute"])
@pytest.mark.parametrize("self_loops", [False, True])
def test_to_csr_equals_the_networkx_conversion(messy, weight, self_loops):
    net = nl.customer_network(messy, self_loops=True)
    G = net.to_networkx()
    a, b = to_csr(net, weight=weight, self_loops=self_loops, default=2.5), to_csr(
        G, weight=weight, self_loops=self_loops, default=2.5)
    assert a.nodes == b.nodes and a.directed and a.index == b.index
    for x, y in ((a.indptr, b.indptr), (a.indices, b.indices), (a.weights, b.weights)):
        assert np.array_equal(x, y) and x.dtype == y.dtype
    assert np.array_equal(a.reverse.indices, b.reverse.indices)


def test_arcs_and_kept_conversions(messy):
    net = nl.customer_network(messy)
    G = net.to_networkx()
    nodes, index, rows, cols, w = arc_arrays(net)
    gn, gi, gr, gc, gw = arc_arrays(G)
    assert nodes == gn == node_order(net) and index == gi
    key, gkey = rows * len(nodes) + cols, gr * len(nodes) + gc
    assert np.array_equal(np.sort(key), np.sort(gkey))
    assert np.array_equal(w[np.argsort(key)], gw[np.argsort(gkey)])
    keep = rows < cols
    assert np.array_equal(arc_weights(net, keep=keep), w[keep])
    assert arc_positions(net)[4] is net
    store, value = kept_conversion(net, "key", "weight")
    assert value is None
    store["key"] = _Conversion(None, w, "converted once")
    assert kept_conversion(net, "key", "weight")[1] == "converted once"
    with pytest.raises(ParameterError, match="'first_ts' must be numeric"):
        to_csr(net, weight="first_ts")


# ------------------------------------------------------------------ analyses: the same answers on both
@pytest.fixture(scope="module")
def world():
    """A small synthetic world (its own seed), networkx twin beside it."""
    from netlib.synth import generate

    data = generate(n_customers=300, seed=3)
    net = nl.customer_network(data)
    return net, net.to_networkx()


@pytest.fixture(params=["sample", "world"])
def pair(request, sample, world):
    if request.param == "world":
        return world
    net = nl.customer_network(sample)
    return net, net.to_networkx()


def test_network_functions_agree(pair):
    net, G = pair
    a, b = nl.network_summary(net, top=5), nl.network_summary(G, top=5)
    assert a["counts"] == b["counts"]
    pd.testing.assert_frame_equal(a["degrees"], b["degrees"])
    pd.testing.assert_frame_equal(a["top"], b["top"])
    ta, tb = nl.tie_strength(net), nl.tie_strength(G)
    key = ["u", "v"]
    pd.testing.assert_frame_equal(ta.sort_values(key).reset_index(drop=True),
                                  tb.sort_values(key).reset_index(drop=True), check_like=True)
    assert ta.attrs == tb.attrs
    Ha, Hb = nl.undirected(net), nl.undirected(G)
    assert sorted(Ha.nodes(data=True)) == sorted(Hb.nodes(data=True))
    assert {frozenset((u, v)): d for u, v, d in Ha.edges(data=True)} == {
        frozenset((u, v)): d for u, v, d in Hb.edges(data=True)}


def test_centrality_agrees(pair):
    net, G = pair
    a = nl.centrality(net, seed=1)
    b = nl.centrality(G, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert a.index.name == "customer_id"


def test_communities_agree(pair):
    net, G = pair
    part = nl.communities(net, seed=2)
    pd.testing.assert_series_equal(part, nl.communities(G, seed=2))
    assert nl.modularity(net, part) == nl.modularity(G, part)
    pd.testing.assert_frame_equal(nl.community_bridges(net, part), nl.community_bridges(G, part))
    pd.testing.assert_frame_equal(nl.community_stability(net, runs=3, seed=2).customers,
                                  nl.community_stability(G, runs=3, seed=2).customers)


def test_simulate_and_maximize_influence_agree(pair):
    net, G = pair
    seeds = list(net.ids[:3])
    a, b = nl.simulate(net, seeds, runs=200, seed=4), nl.simulate(G, seeds, runs=200, seed=4)
    assert a.mean == b.mean
    ra, rb = nl.maximize_influence(net, 3, seed=4), nl.maximize_influence(G, 3, seed=4)
    assert ra.seeds == rb.seeds


def test_cascades_by_the_strongest_tie_agree(sample):
    net = nl.customer_network(sample)
    a = nl.reconstruct_cascades(sample.interactions, rule="strongest", G=net)
    b = nl.reconstruct_cascades(sample.interactions, rule="strongest", G=net.to_networkx())
    pd.testing.assert_frame_equal(a, b)
    assert len(a) > 0 and a.index.name == "adoption"


def test_sorted_ids_index_every_column_once():
    from netlib._csr import sorted_ids

    cust = pd.Series(["b", "a", "é"], dtype="str")
    ids, (s, t) = sorted_ids([cust], [pd.Series(["a", "é", None], dtype="str"), pd.Series(["b", "b", "a"], dtype="str")])
    assert list(ids) == ["a", "b", "é"] and s.tolist() == [0, 2, -1] and t.tolist() == [1, 1, 0]  # looked up
    ids, (s,) = sorted_ids([cust], [pd.Series(["z", "a"], dtype="str")])  # an id the vocabulary lacks
    assert list(ids) == ["a", "b", "z", "é"] and s.tolist() == [2, 0]  # UTF-8 byte order is str order
    ids, (s,) = sorted_ids([], [pd.Series([3, 1, 3])])
    assert list(ids) == [1, 3] and s.tolist() == [1, 0, 1] and s.dtype == np.int32
