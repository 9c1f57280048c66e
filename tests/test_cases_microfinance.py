"""netlib_cases.microfinance (Banerjee et al. 2013): diffusion centrality (a wrapper over
netlib.centrality's "diffusion" measure), villages and leader regressions on hand-made inputs, and the
case study's key numbers on the public microfinance extract (skipped without the datasets)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from netlib.errors import ParameterError
from netlib_cases import diffusion_centrality, leader_regressions, seeding_comparison, village_table


def test_diffusion_centrality_is_the_sum_of_matrix_powers(karate):
    A = nx.to_numpy_array(karate, nodelist=sorted(karate), weight=None)
    lam = max(np.linalg.eigvalsh(A))
    q, T = 1 / lam, 4
    expected = sum(np.linalg.matrix_power(q * A, t) @ np.ones(len(A)) for t in range(1, T + 1))
    dc = diffusion_centrality(karate, T=T)
    assert dc.index.name == "customer_id"
    assert list(dc.index) == sorted(karate)
    np.testing.assert_allclose(dc["diffusion_centrality"].to_numpy(), expected, rtol=1e-10)
    assert dc.attrs["q"] == pytest.approx(1 / lam)
    assert dc.attrs["lambda_1"] == pytest.approx(lam)


def test_diffusion_centrality_limits(karate):
    deg = np.array([karate.degree(n) for n in sorted(karate)], dtype=float)
    one = diffusion_centrality(karate, q=0.1, T=1)["diffusion_centrality"].to_numpy()
    np.testing.assert_allclose(one, 0.1 * deg)          # T = 1: proportional to degree
    from netlib.centrality import centrality

    eig = centrality(karate, ["eigenvector"], weight=None)["eigenvector"].loc[sorted(karate)]
    long = diffusion_centrality(karate, T=200)["diffusion_centrality"]   # q = 1/lambda_1, T large
    assert stats.spearmanr(long, eig).statistic > 0.999


def test_diffusion_centrality_does_not_depend_on_insertion_order(karate):
    H = nx.Graph()
    H.add_nodes_from(sorted(karate, reverse=True))
    H.add_edges_from(reversed(list(karate.edges)))
    pd.testing.assert_frame_equal(diffusion_centrality(karate, T=3), diffusion_centrality(H, T=3))


def test_diffusion_centrality_errors(empty_graph, single_node):
    with pytest.raises(ParameterError, match="T must be a positive integer"):
        diffusion_centrality(nx.path_graph(3), T=0)
    with pytest.raises(ParameterError, match="no ties"):
        diffusion_centrality(single_node)
    with pytest.raises(ParameterError, match="q must be a positive"):
        diffusion_centrality(nx.path_graph(3), q=-1.0)


def _two_villages() -> nx.Graph:
    G = nx.Graph()
    # village 1: a star 0-(1,2,3) with the hub as the only leader; village 2: a path 10-11-12, leader 10
    for n in range(4):
        G.add_node(n, village=1, leader=int(n == 0), loan=int(n in (1, 2)))
    G.add_edges_from([(0, 1), (0, 2), (0, 3)])
    for n in (10, 11, 12):
        G.add_node(n, village=2, leader=int(n == 10), loan=int(n == 12))
    G.add_edges_from([(10, 11), (11, 12)])
    return G


def test_village_table_by_hand():
    vt = village_table(_two_villages(), T=1)
    assert list(vt.index) == [1, 2]
    v1, v2 = vt.loc[1], vt.loc[2]
    assert (v1["households"], v1["leaders"]) == (4, 1)
    assert v1["takeup_nonleaders"] == pytest.approx(2 / 3)
    assert v2["takeup_nonleaders"] == pytest.approx(1 / 2)
    assert v1["lambda_1"] == pytest.approx(np.sqrt(3))
    assert v1["degree_leaders"] == 3 and v2["degree_leaders"] == 1
    assert v1["dc_leaders"] == pytest.approx(3 / np.sqrt(3))          # T = 1: degree / lambda_1
    assert v1["eigenvector_leaders"] == pytest.approx(1 / np.sqrt(2))  # star hub: 1/sqrt(2)
    assert v2["eigenvector_leaders"] == pytest.approx(0.5)             # path end: 1/2


def test_village_table_needs_the_attributes():
    G = _two_villages()
    del G.nodes[3]["loan"]
    with pytest.raises(ParameterError, match="loan"):
        village_table(G)


def test_leader_regressions_recover_a_planted_effect():
    rng = np.random.default_rng(3)
    n = 60
    vt = pd.DataFrame({"households": rng.integers(100, 300, n).astype(float),
                       "leader_share": rng.uniform(0.05, 0.2, n),
                       "dc_leaders": rng.normal(5, 1, n), "degree_leaders": rng.normal(12, 3, n),
                       "eigenvector_leaders": rng.normal(0.07, 0.02, n)})
    z = (vt["eigenvector_leaders"] - vt["eigenvector_leaders"].mean()) / vt["eigenvector_leaders"].std()
    vt["takeup_nonleaders"] = 0.15 + 0.04 * z + rng.normal(scale=0.005, size=n)
    models = leader_regressions(vt)
    assert set(models) == {"diffusion centrality", "eigenvector centrality", "degree", "all three"}
    eig = models["eigenvector centrality"].loc["eigenvector centrality"]
    assert eig["coef"] == pytest.approx(0.04, abs=0.004)
    assert eig["p"] < 1e-6
    assert models["degree"].loc["degree", "p"] > 0.01
    with pytest.raises(ParameterError, match="missing columns"):
        leader_regressions(vt.drop(columns="dc_leaders"))


@pytest.fixture(scope="module")
def microfinance_graph(datasets_dir):
    from netlib.datasets import microfinance

    return microfinance(data_home=datasets_dir)


def test_microfinance_regressions(microfinance_graph):
    vt = village_table(microfinance_graph, T=5)
    assert len(vt) == 38 and vt["households"].sum() == 8622 and vt["leaders"].sum() == 1014
    assert vt["takeup_nonleaders"].mean() == pytest.approx(0.1494, abs=5e-4)
    m = leader_regressions(vt)
    eig = m["eigenvector centrality"].loc["eigenvector centrality"]
    dc = m["diffusion centrality"].loc["diffusion centrality"]
    deg = m["degree"].loc["degree"]
    # exact computations on fixed data: tight tolerances (differences only from linear-algebra rounding)
    assert eig["coef"] == pytest.approx(0.02774, abs=2e-4) and eig["se"] == pytest.approx(0.01238, abs=2e-4)
    assert eig["p"] == pytest.approx(0.0317, abs=2e-3)                      # the paper's eigenvector result holds in this extract
    assert dc["coef"] == pytest.approx(0.01174, abs=2e-4) and dc["p"] > 0.2   # diffusion centrality does not
    assert deg["coef"] == pytest.approx(-0.00553, abs=2e-4) and deg["p"] > 0.5
    assert m["eigenvector centrality"].attrs["r2"] == pytest.approx(0.405, abs=2e-3)


def test_microfinance_seeding(microfinance_graph):
    sc = seeding_comparison(microfinance_graph, villages=[1, 2], runs=500, seed=3)
    assert list(sc["k"]) == [28, 22]
    # Monte-Carlo means of 500 runs: standard error below 1 household; tolerance 4
    assert sc.loc[1, "reach_leaders"] == pytest.approx(76.5, abs=4)
    assert (sc["reach_imm"] > 1.15 * sc["reach_leaders"]).all()
    assert (sc["reach_imm"] >= sc["reach_top_degree"] - 3).all()
    assert all(len(s) == k for s, k in zip(sc["imm_seeds"], sc["k"]))
