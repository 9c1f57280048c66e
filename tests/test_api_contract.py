"""The API contract, checked over ``netlib.__all__`` (in the style of scikit-network's ``test_API.py``).

One row per public function says how to call it on one small synthetic world, what its result is
indexed by and where its provenance sits. For every row the suite checks:

- the docstring has an ``Examples`` section (run as a doctest by ``--doctest-modules``);
- customer tables are indexed by ``customer_id``, community tables by ``community``, cascade and other
  row tables by a *named* index (never an unnamed RangeIndex);
- the result carries ``provenance["function"]`` naming the public function, in the one nested shape
  (``attrs["provenance"]`` on tables, ``graph["provenance"]`` on graphs, ``.provenance`` on objects);
- the answer does not depend on the order in which nodes, edges or rows were inserted (the same world
  built in reverse order gives the same answer);
- stochastic functions give the same numbers for the same seed.

A new public function without a row fails :func:`test_every_public_function_has_a_row`. Rows owned by
helpers whose branches land at merge are marked ``xfail(strict=True)`` check by check: when a fix lands,
the strict xfail fails and the mark is removed.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import netlib as nl

# --------------------------------------------------------------------------------------------------
# The world: one small synthetic customer base, and the same world inserted in reverse order
# --------------------------------------------------------------------------------------------------


@dataclass
class World:
    data: Any
    G: nx.DiGraph
    partition: pd.Series
    cascades: pd.DataFrame
    profiles: pd.DataFrame
    seeds: list
    trees: pd.DataFrame
    tree_file: Any


def _reversed_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.iloc[::-1].copy()
    out.attrs = dict(df.attrs)
    return out


def _reversed_graph(G: nx.Graph) -> nx.Graph:
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from(reversed(list(G.edges(data=True))))
    return H


def _tree_lines() -> pd.DataFrame:
    return pd.DataFrame({"item_id": ["t1"] * 5 + ["t2"] * 3,
                         "parent": [None, "a", "a", "b", "b", None, "x", "x"],
                         "child": ["a", "b", "c", "d", "e", "x", "y", "z"],
                         "time": [0, 1, 2, 3, 4, 0, 2, 5]})


@pytest.fixture(scope="module")
def worlds(tmp_path_factory) -> tuple[World, World]:
    """(forward, reversed): the same customers, ties, rows and derived inputs, inserted in opposite orders."""
    import dataclasses

    data = nl.generate(80, seed=11, progress=False)
    G = nl.build_network(data)
    partition = nl.communities(G, seed=0)
    cascades = nl.reconstruct_cascades(data)
    profiles = nl.pattern_profiles(data)
    seeds = sorted(G.nodes)[:3]
    trees = _tree_lines()
    tree_file = tmp_path_factory.mktemp("trees") / "t9.txt"
    tree_file.write_text("['ROOT', 'ROOT', '0.0']->['u1', 't9', '0.0']\n['u1', 't9', '0.0']->['u2', 't9', '1.5']\n"
                         "['u2', 't9', '1.5']->['u3', 't9', '4.0']\n['u1', 't9', '0.0']->['u4', 't9', '5.0']\n")
    forward = World(data, G, partition, cascades, profiles, seeds, trees, tree_file)
    rdata = dataclasses.replace(data, customers=_reversed_frame(data.customers),
                                interactions=_reversed_frame(data.interactions), events=_reversed_frame(data.events))
    backward = World(rdata, _reversed_graph(G), partition.iloc[::-1], _reversed_frame(cascades),
                     _reversed_frame(profiles), seeds[::-1], _reversed_frame(trees), tree_file)
    return forward, backward


# --------------------------------------------------------------------------------------------------
# The table: one row per public function
# --------------------------------------------------------------------------------------------------

CUSTOMER, COMMUNITY = "customer_id", "community"
NAMED = object()  # any named index (row tables: adoption, cascade, point, route, run, ...)


@dataclass
class Row:
    name: str
    call: Callable[[World], Any]                 # how to call it on a world
    index: Any = None                            # CUSTOMER, COMMUNITY, NAMED or None (no table returned)
    provenance: str | None = "attrs"             # "attrs", "graph", "object" or None (values, data, views)
    answer: Callable[[Any], Any] | None = None   # what to compare across insertion orders (None: the result)
    order: bool = True                           # check insertion-order invariance
    seeded: bool = False                         # takes seed=; check same seed, same answer
    function: str | None = None                  # the recorded name, when not netlib.<name>
    owner: dict[str, str] = field(default_factory=dict)   # check -> helper, for checks that land at merge


def _result_object(res) -> Any:
    return {k: v for k, v in vars(res).items() if k != "provenance"}


ROWS = [
    # data in
    Row("load_sample", lambda w: nl.load_sample(), provenance=None, order=False),
    Row("read_data", lambda w: nl.read_data({"interactions": w.data.interactions}), provenance=None,
        answer=lambda d: d.interactions.sort_values(["source", "target", "timestamp"]).reset_index(drop=True)),
    Row("write_data", lambda w: None, provenance=None, order=False),   # writes files: see test_io
    Row("generate", lambda w: nl.generate(50, seed=2, progress=False), provenance=None, order=False, seeded=True,
        answer=lambda d: d.interactions),
    # the network
    Row("build_network", lambda w: nl.build_network(w.data), provenance="graph", answer=nx.to_dict_of_dicts),
    Row("customer_network", lambda w: nl.customer_network(w.data), provenance="graph",
        answer=lambda net: nx.to_dict_of_dicts(net.to_networkx())),
    Row("undirected", lambda w: nl.undirected(w.G), provenance="graph", answer=nx.to_dict_of_dicts),
    Row("tie_strength", lambda w: nl.tie_strength(w.G), index=NAMED,
        answer=lambda df: df.sort_values(list(df.columns[:2])).reset_index(drop=True)),
    Row("network_summary", lambda w: nl.network_summary(w.G), provenance=None),   # a dict of figures
    Row("explore", lambda w: nl.explore(w.G, seed=0), provenance=None, order=False, answer=lambda v: v.page),
    # influencers and diffusion
    Row("centrality", lambda w: nl.centrality(w.G, ["degree", "pagerank", "betweenness"]), index=CUSTOMER),
    Row("influencers", lambda w: nl.influencers(w.G, top=5, seed=0, rr_sets=2000, progress=False), index=CUSTOMER,
        seeded=True),
    Row("maximize_influence", lambda w: nl.maximize_influence(w.G, 3, seed=0, progress=False), provenance="object",
        seeded=True, answer=lambda r: (list(r.seeds), r.spread)),
    Row("simulate", lambda w: nl.simulate(w.G, w.seeds, runs=200, seed=0, progress=False), provenance="object",
        seeded=True, answer=lambda r: (r.mean, list(r.sizes))),
    # the seeds' order is the curve's meaning, so both worlds name them in one order
    Row("reach_curve", lambda w: nl.reach_curve(w.G, sorted(w.seeds), seed=0, progress=False), index=NAMED,
        seeded=True),
    # a fixed reference table of the models, not a computation: no provenance
    Row("model_parameters", lambda w: nl.model_parameters(), index=NAMED, provenance=None, order=False),
    # communities
    Row("communities", lambda w: nl.communities(w.G, seed=0), index=CUSTOMER, seeded=True),
    Row("modularity", lambda w: nl.modularity(w.G, w.partition), provenance=None),
    Row("partition_quality", lambda w: nl.partition_quality(w.G, w.partition), provenance="object",
        answer=lambda q: q.summary),
    Row("community_stability", lambda w: nl.community_stability(w.G, runs=3, seed=0), provenance="object",
        seeded=True, answer=lambda r: r.customers),
    Row("resolution_sweep", lambda w: nl.resolution_sweep(w.G, resolutions=[0.5, 2.0], seed=0), index=NAMED,
        seeded=True),
    Row("community_profiles", lambda w: nl.community_profiles(w.G, w.partition), index=COMMUNITY),
    Row("community_bridges", lambda w: nl.community_bridges(w.G, w.partition), index=CUSTOMER),
    Row("community_graph", lambda w: nl.community_graph(w.G, w.partition), provenance="graph",
        answer=nx.to_dict_of_dicts),
    # spread paths
    Row("reconstruct_cascades", lambda w: nl.reconstruct_cascades(w.data), index=NAMED),
    Row("cascade_metrics", lambda w: nl.cascade_metrics(w.cascades), index=NAMED),
    Row("structural_virality", lambda w: nl.structural_virality([-1, 0, 0, 1]), provenance=None, order=False),
    Row("adoption_curves", lambda w: nl.adoption_curves(w.cascades), index=NAMED),
    Row("cascade_influencers", lambda w: nl.cascade_influencers(w.cascades, top=5), index=CUSTOMER),
    Row("cascades_from_trees", lambda w: nl.cascades_from_trees(w.trees), index=NAMED),
    Row("read_propagation_trees", lambda w: nl.read_propagation_trees(w.tree_file), index=NAMED, order=False,
        function="netlib.read_propagation_trees"),
    Row("most_probable_path", lambda w: nl.most_probable_path(w.G, min(w.seeds), max(w.seeds), p=0.2),
        provenance="object", answer=lambda r: (r.nodes, r.probability)),
    Row("k_most_probable_paths", lambda w: nl.k_most_probable_paths(w.G, min(w.seeds), max(w.seeds), k=3, p=0.2),
        index=NAMED),
    Row("reachable_within", lambda w: nl.reachable_within(w.G, sorted(w.seeds), 2, p=0.2, runs=100, seed=0),
        index=CUSTOMER, seeded=True),
    Row("territories", lambda w: nl.territories(w.G, sorted(w.seeds), p=0.2), index=CUSTOMER),
    Row("earliest_arrival", lambda w: nl.earliest_arrival(w.data.interactions, min(w.seeds)), index=CUSTOMER),
    Row("temporal_reach", lambda w: nl.temporal_reach(w.data.interactions, sources=sorted(w.seeds)),
        index=CUSTOMER),
    # Rogers' five behaviours
    Row("default_taxonomy", lambda w: nl.default_taxonomy(), provenance=None, order=False),
    Row("load_taxonomy", lambda w: nl.load_taxonomy({"login": "access"}, extend=True), provenance=None,
        order=False),
    Row("pattern_profiles", lambda w: nl.pattern_profiles(w.data), index=CUSTOMER),
    Row("segments", lambda w: nl.segments(w.profiles, k=3, seed=0), index=CUSTOMER, seeded=True),
    Row("behaviour_ladder", lambda w: nl.behaviour_ladder(w.profiles), index=NAMED),   # one row per rung
    Row("behaviour_by_position",
        lambda w: nl.behaviour_by_position(w.profiles, nl.centrality(w.G, "degree"), w.partition, seed=0),
        provenance="object", seeded=True, answer=lambda r: (r.correlations, r.community_lift)),
    Row("strategy_playbook", lambda w: nl.strategy_playbook(w.profiles, nl.segments(w.profiles, k=3, seed=0)),
        index=NAMED),
    Row("reconcile_connect", lambda w: nl.reconcile_connect(w.data), index=NAMED),
    Row("suggest_taxonomy", lambda w: nl.suggest_taxonomy(w.data), index=NAMED),
    Row("taxonomy_from_suggestions", lambda w: nl.taxonomy_from_suggestions(nl.suggest_taxonomy(w.data)),
        provenance=None, order=False),
]
BY_NAME = {row.name: row for row in ROWS}


def _public_functions() -> list[str]:
    return sorted(n for n in nl.__all__ if not n.startswith("_") and inspect.isfunction(getattr(nl, n)))


def _rows(check: str, keep: Callable[[Row], bool] = lambda row: True) -> list:
    """The rows for one check, those owned by another helper marked strict xfail for exactly that check."""
    out = []
    for row in ROWS:
        if not keep(row):
            continue
        marks = []
        if check in row.owner:
            marks.append(pytest.mark.xfail(strict=True, reason=f"owned by {row.owner[check]}, lands at merge"))
        out.append(pytest.param(row, id=row.name, marks=marks))
    return out


# --------------------------------------------------------------------------------------------------
# Comparing answers
# --------------------------------------------------------------------------------------------------

def _canonical(x: Any) -> Any:
    if isinstance(x, pd.DataFrame | pd.Series):
        x = x.copy()
        x.attrs = {}
        if x.index.name == CUSTOMER or isinstance(x.index, pd.Index) and x.index.name in ("source", "target"):
            x = x.sort_index(kind="stable")
        return x
    if isinstance(x, dict):
        return {k: _canonical(v) for k, v in x.items()}
    if isinstance(x, tuple | list):
        return type(x)(_canonical(v) for v in x)
    return x


def assert_same(a: Any, b: Any) -> None:
    a, b = _canonical(a), _canonical(b)
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_like=True, rtol=1e-9)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, rtol=1e-9)
    elif isinstance(a, dict):  # the same keys and values; the order of keys is insertion order, not an answer
        assert sorted(map(str, a)) == sorted(map(str, b))
        for key in a:
            assert_same(a[key], b[key])
    elif isinstance(a, tuple | list) and any(isinstance(v, pd.DataFrame | pd.Series | dict) for v in a):
        assert len(a) == len(b)
        for u, v in zip(a, b):
            assert_same(u, v)
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, nan_ok=True)
    else:
        assert a == b


def _answer(row: Row, result: Any) -> Any:
    return row.answer(result) if row.answer else result


# --------------------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------------------

def test_every_public_function_has_a_row():
    assert _public_functions() == sorted(BY_NAME), "add a Row for each new public function (and drop removed ones)"


# classes returned by public functions, owned by helpers whose docs land at merge
_CLASS_DOCS_OWNER: dict[str, str] = {}


def _documented() -> list:
    out = []
    for n in sorted(n for n in nl.__all__ if callable(getattr(nl, n)) and not inspect.ismodule(getattr(nl, n))):
        owner = BY_NAME[n].owner.get("docs") if n in BY_NAME else _CLASS_DOCS_OWNER.get(n)
        marks = [pytest.mark.xfail(strict=True, reason=f"owned by {owner}, lands at merge")] if owner else []
        out.append(pytest.param(n, id=n, marks=marks))
    return out


@pytest.mark.parametrize("name", _documented())
def test_public_callables_document_themselves(name):
    """Functions and result classes show a seeded Examples section; errors and warnings say when they occur."""
    obj = getattr(nl, name)
    doc = inspect.getdoc(obj) or ""
    assert doc.strip(), f"{name} has no docstring"
    if inspect.isclass(obj) and issubclass(obj, BaseException | Warning):
        return
    assert "Examples\n--------" in doc, f"{name}: no Examples section"
    assert "import netlib as nl" in doc, f"{name}: the example does not use `import netlib as nl`"


@pytest.mark.parametrize("row", _rows("index", lambda row: row.index is not None))
def test_index_names(row, worlds):
    result = row.call(worlds[0])
    assert isinstance(result, pd.DataFrame | pd.Series), f"{row.name} returned {type(result).__name__}"
    if row.index is NAMED:
        assert all(n is not None for n in result.index.names), f"{row.name}: unnamed index {result.index!r}"
    else:
        assert result.index.name == row.index
    if row.index == CUSTOMER:
        assert all(isinstance(v, str) for v in result.index), f"{row.name}: customer ids are not text"


@pytest.mark.parametrize("row", _rows("provenance", lambda row: row.provenance is not None))
def test_provenance_names_the_public_function(row, worlds):
    result = row.call(worlds[0])
    if row.provenance == "attrs":
        record = result.attrs.get("provenance")
        assert "function" not in result.attrs, f"{row.name}: flat provenance keys in attrs"
    elif row.provenance == "graph":
        record = result.graph.get("provenance")
    else:
        record = getattr(result, "provenance", None)
    assert isinstance(record, dict), f"{row.name}: no provenance"
    assert record["function"] == (row.function or f"netlib.{row.name}")
    assert {"function", "parameters", "netlib_version"} <= set(record), f"{row.name}: {sorted(record)}"
    assert record["netlib_version"] == nl.__version__


@pytest.mark.parametrize("row", _rows("order", lambda row: row.order))
def test_answers_do_not_depend_on_insertion_order(row, worlds):
    forward, backward = worlds
    assert_same(_answer(row, row.call(forward)), _answer(row, row.call(backward)))


@pytest.mark.parametrize("row", _rows("seed", lambda row: row.seeded))
def test_same_seed_same_answer(row, worlds):
    assert_same(_answer(row, row.call(worlds[0])), _answer(row, row.call(worlds[0])))


def test_the_world_is_not_trivial(worlds):
    """The checks above mean something only if the world has communities, cascades and behaviour."""
    w = worlds[0]
    assert w.G.number_of_nodes() == 80 and w.G.number_of_edges() > 100
    assert w.partition.nunique() >= 2 and len(w.cascades) > 10 and len(w.profiles) > 40
    assert not math.isnan(nl.modularity(w.G, w.partition))
