"""The shared spread engine (netlib._spread): one p, one default, one seeding, one simulator; result
pickles from before the split; numba loaded on first use only."""

from __future__ import annotations

import ast
import pickle
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

import netlib
from netlib import _spread
from netlib.cascades import most_probable_path, reachable_within
from netlib.diffusion import MODELS, simulate
from netlib.errors import ParameterError
from netlib.influence import influencers, maximize_influence

PICKLES = Path(__file__).parent / "data" / "pickles"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ba():
    return nx.barabasi_albert_graph(120, 2, seed=4).to_directed()


# --------------------------------------------------------------------------------------------------
# One pass-on probability
# --------------------------------------------------------------------------------------------------

def test_one_default_p_everywhere(ba):
    """simulate, maximize_influence, influencers and the routes all default to weighted cascade."""
    assert _spread.DEFAULT_P == "wc" == MODELS["ic"].parameter("p").default
    a, b = simulate(ba, [0], runs=300, seed=2), simulate(ba, [0], p="wc", runs=300, seed=2)
    assert np.array_equal(a.sizes, b.sizes) and a.parameters["p"] == "wc"
    m1 = maximize_influence(ba, 3, seed=2, runs=200)
    m2 = maximize_influence(ba, 3, p="wc", seed=2, runs=200)
    assert m1.seeds == m2.seeds and m1.spread == m2.spread
    i1 = influencers(ba, top=5, seed=2, rr_sets=20_000, progress=False)
    i2 = influencers(ba, top=5, p="wc", seed=2, rr_sets=20_000, progress=False)
    assert i1.index.tolist() == i2.index.tolist()
    assert i1["expected_reach"].tolist() == i2["expected_reach"].tolist()
    assert most_probable_path(ba, 0, 5) == most_probable_path(ba, 0, 5, p="wc")


def test_weighted_cascade_probabilities():
    """p = 1 / in-degree of the receiving customer, spelled out per arc."""
    G = nx.DiGraph([("a", "c"), ("b", "c"), ("c", "d"), ("a", "d"), ("b", "d")])
    spec = _spread.setup(G, "ic")
    c = spec.csr
    got = {(c.nodes[u], c.nodes[v]): p for u in range(c.n)
           for v, p in zip(c.indices[c.indptr[u]:c.indptr[u + 1]], spec.arc_probs[c.indptr[u]:c.indptr[u + 1]])}
    assert got == {("a", "c"): 0.5, ("b", "c"): 0.5, ("c", "d"): 1 / 3, ("a", "d"): 1 / 3, ("b", "d"): 1 / 3}
    uniform = _spread.setup(G, "ic", p=0.25)
    assert uniform.uniform and uniform.arc_probs.tolist() == [0.25] * 5


@pytest.mark.parametrize("p, message", [
    (1.5, r"'p' must lie in \[0.0, 1.0\]; got 1.5\. p is the pass-on probability: a number in \[0, 1\]"),
    ([0.1], r"'p' must be a number in \[0.0, 1.0\]; got \[0.1\]\. p is the pass-on probability"),
    (True, r"'p' must be a number"),
    ("missing", r"p='missing' names an edge attribute, but edges of 0 lack it"),
    ("big", r"edge attribute 'big' must hold probabilities in \[0, 1\]; found values from 2 to 2"),
])
def test_one_resolver_one_message(p, message):
    """Every spreading function reads p through the same resolver, so it fails the same way."""
    G = nx.DiGraph([(0, 1), (1, 2)])
    nx.set_edge_attributes(G, 2.0, "big")
    for call in (lambda: simulate(G, [0], p=p, runs=10), lambda: maximize_influence(G, 1, p=p),
                 lambda: influencers(G, p=p), lambda: most_probable_path(G, 0, 2, p=p),
                 lambda: reachable_within(G, [0], 2, p=p)):
        with pytest.raises(ParameterError, match=message):
            call()


def test_not_a_graph():
    with pytest.raises(ParameterError, match="G must be a networkx graph; got dict"):
        simulate({0: [1]}, [0])
    with pytest.raises(ParameterError, match="G must be a networkx graph; got list"):
        most_probable_path([(0, 1)], 0, 1)


def test_model_parameter_lookup_raises_parameter_error():
    assert MODELS["sir"].parameter("gamma").default == 0.2
    with pytest.raises(ParameterError, match=r"model 'lt' has no parameter 'p'; it takes \[\]"):
        MODELS["lt"].parameter("p")


# --------------------------------------------------------------------------------------------------
# One seeding, one simulator
# --------------------------------------------------------------------------------------------------

def test_seed_positions():
    spec = _spread.setup(nx.path_graph(["x", "y", "z"], create_using=nx.DiGraph), "ic", p=0.5)
    assert _spread.seed_positions(spec.csr, "y")[0] == ["y"]
    ids, pos = _spread.seed_positions(spec.csr, ["z", "x", "z"])
    assert ids == ["z", "x"] and pos.tolist() == [2, 0]
    assert _spread.seed_positions(spec.csr, [])[1].size == 0
    with pytest.raises(ParameterError, match="seeds must name at least one node"):
        _spread.seed_positions(spec.csr, [], allow_empty=False)
    with pytest.raises(ParameterError, match="seed 'w' is not a node of the graph"):
        _spread.seed_positions(spec.csr, ["x", "w"])


def test_run_base_is_one_draw_of_the_seed():
    assert _spread.run_base(7) == _spread.run_base(7) == int(np.random.default_rng(7).integers(0, 2**63 - 1))
    rng = np.random.default_rng(7)
    first, second = _spread.run_base(rng), _spread.run_base(rng)
    assert first == _spread.run_base(7) and second != first  # a Generator is used, not copied


@pytest.mark.parametrize("p", [0.2, "wc", 1.0])
def test_hop_limited_runs_are_the_simulators_runs(ba, p):
    """reach_counts(rounds >= n) counts exactly the activations of sim_runs, run by run, for the same
    base, whatever the number of threads; fewer rounds never reach more."""
    import numba

    spec = _spread.setup(ba, "ic", p=p)
    _, pos = _spread.seed_positions(spec.csr, [0, 3])
    base = _spread.run_base(5)
    sizes, _ = spec.run(pos, 400, base)
    hits = spec.reach_counts(pos, spec.csr.n, 400, base)
    assert hits.sum() == sizes.sum() and hits[pos].tolist() == [400, 400]
    old = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        assert np.array_equal(spec.reach_counts(pos, spec.csr.n, 400, base), hits)
    finally:
        numba.set_num_threads(old)
    one = spec.reach_counts(pos, 1, 400, base)
    assert (one <= hits).all() and one.sum() < hits.sum()
    assert spec.reach_counts(pos, 0, 400, base).sum() == 2 * 400


def test_hop_limit_on_a_chain_with_p_one():
    spec = _spread.setup(nx.path_graph(6, create_using=nx.DiGraph), "ic", p=1.0)
    for rounds in range(7):
        hits = spec.reach_counts(np.array([0]), rounds, 10, 1)
        assert hits.tolist() == [10] * min(rounds + 1, 6) + [0] * (6 - min(rounds + 1, 6))
    with pytest.raises(ParameterError, match="hop-limited runs exist for model 'ic', not 'lt'"):
        _spread.setup(nx.path_graph(3), "lt").reach_counts(np.array([0]), 1, 10, 1)


# --------------------------------------------------------------------------------------------------
# Pickles written before the split (netlib at d769b3c)
# --------------------------------------------------------------------------------------------------

def test_simulation_result_pickled_before_the_split_loads():
    res = pickle.loads((PICKLES / "spread_simulation_result.pkl").read_bytes())
    assert type(res) is netlib.SimulationResult
    assert (res.model, res.runs, res.n, res.seeds, res.mean) == ("ic", 200, 7, [0], 2.81)
    assert res.sizes.sum() == 562 and res.curve["new"].tolist() == [1.0, 1.535, 0.275]
    assert res.parameters == {"p": 0.5} and res.provenance["function"] == "netlib.simulate"
    lo, hi = res.ci
    assert lo < 2.81 < hi


def test_influence_result_pickled_before_the_split_loads():
    res = pickle.loads((PICKLES / "spread_influence_result.pkl").read_bytes())
    assert type(res) is netlib.InfluenceResult and type(res.simulation) is netlib.SimulationResult
    assert res.seeds == [0, 4] and res.spread == 7.0 and res.method == "imm"
    assert res.marginal_gains == pytest.approx([5.098159509202454, 1.9018404907975461])
    assert res.details["rr_sets"] == 2282 and res.guarantee == pytest.approx(1 - 1 / np.e - 0.1)
    assert res.to_frame()["cumulative_gain"].iloc[-1] == pytest.approx(7.0)


# --------------------------------------------------------------------------------------------------
# numba loads on first use
# --------------------------------------------------------------------------------------------------

SPREAD_FILES = ["netlib/_spread.py", "netlib/diffusion.py", "netlib/influence.py", "netlib/centrality.py", *sorted(
    str(p.relative_to(REPO)) for p in (REPO / "netlib" / "cascades").glob("*.py"))]


@pytest.mark.parametrize("path", SPREAD_FILES)
def test_no_top_level_numba_or_kernels_import(path):
    tree = ast.parse((REPO / path).read_text())
    for node in tree.body:
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        assert not any(n.split(".")[0] == "numba" or n == "netlib._kernels" for n in names), (path, names)
    assert "__all__" in {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
                         if isinstance(t, ast.Name)}, path


def test_import_leaves_numba_unloaded_until_a_kernel_runs():
    """Importing netlib and every module that runs kernels leaves numba out of sys.modules; the first
    simulation loads it."""
    code = (
        "import sys\n"
        "import netlib, netlib.cascades, netlib.diffusion, netlib.influence, netlib._spread, netlib.centrality\n"
        "assert 'numba' not in sys.modules, 'numba loaded at import'\n"
        "import networkx as nx\n"
        "netlib.simulate(nx.path_graph(3), [0], p=1.0, runs=2, seed=1)\n"
        "assert 'numba' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(Path.home())})
    assert done.returncode == 0, done.stderr[-2000:]


def test_lazy_module_loads_on_first_attribute():
    code = (
        "import sys\n"
        "from netlib._util import lazy_module\n"
        "assert 'wave' not in sys.modules\n"
        "w = lazy_module('wave')\n"
        "assert lazy_module('wave') is w and type(w).__name__ == '_LazyModule'\n"
        "assert w.Error.__name__ == 'Error' and type(w).__name__ == 'module'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(Path.home())})
    assert done.returncode == 0, done.stderr[-2000:]
