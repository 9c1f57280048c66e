"""Centrality battery: agreement with networkx, sampled estimators within their bounds, contract."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netlib.centrality import MEASURES, centrality
from netlib.errors import ParameterError

TOL = 1e-9  # exact measures agree with networkx to this absolute tolerance


def _graphs():
    karate = nx.karate_club_graph()  # weighted, undirected
    di = nx.gnp_random_graph(60, 0.06, seed=3, directed=True)
    rng = random.Random(5)
    for u, v in di.edges():
        di[u][v]["weight"] = rng.uniform(0.5, 3.0)
    return [karate, di]


@pytest.fixture(scope="module", params=[0, 1], ids=["karate", "directed_gnp"])
def graph_and_df(request):
    G = _graphs()[request.param]
    return G, centrality(G, seed=1)


def test_pagerank_matches_networkx(graph_and_df):
    G, df = graph_and_df
    ref = nx.pagerank(G, weight="weight", tol=1e-13)
    assert np.allclose(df["pagerank"], [ref[v] for v in df.index], atol=TOL)
    assert df["pagerank"].sum() == pytest.approx(1.0)


def test_exact_betweenness_closeness_match_networkx(graph_and_df):
    G, df = graph_and_df
    assert df.attrs["betweenness"]["method"] == "exact"
    bc = nx.betweenness_centrality(G)
    assert np.allclose(df["betweenness"], [bc[v] for v in df.index], atol=TOL)
    cl = nx.closeness_centrality(G)
    assert np.allclose(df["closeness"], [cl[v] for v in df.index], atol=TOL)


def test_core_clustering_katz_voterank_match_networkx(graph_and_df):
    G, df = graph_and_df
    core = nx.core_number(G)
    assert (df["core"] == pd.Series(core)).all()
    cc = nx.clustering(nx.Graph(G))
    assert np.allclose(df["clustering"], [cc[v] for v in df.index], atol=TOL)
    kz = nx.katz_centrality(G, alpha=df.attrs["katz"]["alpha"], weight="weight", tol=1e-13, max_iter=100_000)
    assert np.allclose(df["katz"], [kz[v] for v in df.index], atol=1e-8)
    elected = df["voterank"].dropna().sort_values().index.tolist()
    assert elected == nx.voterank(G)


def test_degrees_and_strengths_on_directed_weighted(directed_weighted):
    df = centrality(directed_weighted, ["degree", "strength"])
    assert df.loc["a", "out_strength"] == 5.0  # a->b 2, a->c 3
    assert df.loc["a", "in_strength"] == 1.5   # c->a 1, d->a 0.5
    assert df.loc["a", "strength"] == 6.5
    assert df.loc["a", "degree"] == 4
    assert df.loc["d", "in_degree"] == 0
    assert list(df.columns) == [*MEASURES["degree"], *MEASURES["strength"]]


def test_star_betweenness_and_eigenvector():
    G = nx.star_graph(5)
    df = centrality(G, ["betweenness", "eigenvector"])
    assert df.loc[0, "betweenness"] == pytest.approx(1.0)
    assert (df.loc[1:, "betweenness"] == 0).all()
    ev = nx.eigenvector_centrality(G, tol=1e-12, max_iter=10_000)
    assert np.allclose(df["eigenvector"], [ev[v] for v in df.index], atol=1e-6)


def test_sampled_betweenness_within_stated_bound():
    G = nx.barabasi_albert_graph(400, 3, seed=7)
    exact = centrality(G, ["betweenness"], exact=True)["betweenness"]
    eps = 0.02
    est = centrality(G, ["betweenness"], exact=False, epsilon=eps, delta=0.1, seed=3)
    info = est.attrs["betweenness"]
    assert info["method"] == "sampled" and info["epsilon"] == eps and info["samples"] > 1000
    assert (est["betweenness"] - exact).abs().max() <= eps
    top_exact = set(exact.nlargest(5).index)
    assert len(top_exact & set(est["betweenness"].nlargest(5).index)) >= 4


def test_large_graph_switches_to_sampling_and_records_it():
    G = nx.barabasi_albert_graph(3000, 3, seed=1)
    df = centrality(G, ["betweenness", "closeness"], seed=2)
    assert df.attrs["betweenness"]["method"] == "sampled"
    assert df.attrs["closeness"]["method"] == "sampled"
    assert "within" in df.attrs["betweenness"]["bound"]
    # the hubs of a BA graph come out on top
    assert df["betweenness"].idxmax() in set(dict(sorted(G.degree, key=lambda x: -x[1])[:5]))
    ref = nx.closeness_centrality(G, u=0)
    assert df.loc[0, "closeness"] == pytest.approx(ref, rel=0.1)


def test_sampled_closeness_within_stated_bound_undirected():
    """Eppstein–Wang: every estimated mean distance within epsilon x diameter (stated in hops)."""
    G = nx.barabasi_albert_graph(2000, 3, seed=11)
    est = centrality(G, ["closeness"], exact=False, closeness_epsilon=0.15, delta=0.1, seed=4)
    info = est.attrs["closeness"]
    assert info["method"] == "sampled" and info["pivots"] == 256  # ln(2n/delta)/(2 eps^2) = 224 -> 256
    diameter = nx.diameter(G)
    assert diameter <= info["diameter_bound"] <= 2 * diameter
    exact = nx.closeness_centrality(G)
    mean_exact = np.array([1 / exact[v] for v in est.index])
    err = np.abs(1 / est["closeness"].to_numpy() - mean_exact)
    assert err.max() <= info["mean_distance_error"]
    assert err.max() <= info["epsilon"] * diameter
    assert err.mean() < 0.1  # far inside the union bound on this graph
    assert info == est.attrs["provenance"]["estimators"]["closeness"]


def test_sampled_closeness_within_stated_bound_directed():
    D = nx.gnp_random_graph(1500, 0.004, seed=3, directed=True)
    strong = max(nx.strongly_connected_components(D), key=len)
    D = D.subgraph(strong).copy()  # strongly connected: the statement is about the diameter
    est = centrality(D, ["closeness"], exact=False, closeness_pivots=200, delta=0.1, seed=5)
    info = est.attrs["closeness"]
    assert info["pivots"] == 200 and "diameter" in info["bound"]
    exact = nx.closeness_centrality(D)  # inward distances, as netlib's
    mean_exact = np.array([1 / exact[v] for v in est.index])
    err = np.abs(1 / est["closeness"].to_numpy() - mean_exact)
    assert err.max() <= info["epsilon"] * nx.diameter(D)


def test_closeness_exact_when_pivots_would_cover_every_node():
    G = nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=2)
    df = centrality(G, ["closeness"], exact=None, closeness_epsilon=0.05)  # 300 nodes < 1,728 pivots
    assert df.attrs["closeness"]["method"] == "exact"
    ref = nx.closeness_centrality(G)
    assert np.allclose(df["closeness"], [ref[v] for v in df.index], atol=TOL)


def test_katz_certified_bound_and_radius_upper_bound():
    import scipy.sparse as sp

    from netlib._csr import to_csr
    from netlib.centrality import _spectral_radius_bound

    for G in (nx.barabasi_albert_graph(800, 3, seed=1), _graphs()[1], nx.karate_club_graph()):
        c = to_csr(G)
        rho = max(abs(np.linalg.eigvals(c.matrix.toarray())))
        upper, estimate, _ = _spectral_radius_bound(c)
        assert rho - 1e-9 <= upper <= rho * (1 + 1e-3) and estimate == pytest.approx(rho, rel=1e-3)
        df = centrality(G, ["katz"])
        info = df.attrs["katz"]
        assert info["alpha"] == 0.5 / upper and info["relative_error_bound"] <= 1e-9
        a = c.matrix.toarray()
        exact = np.linalg.solve(np.eye(c.n) - info["alpha"] * a.T, np.ones(c.n))
        exact /= np.linalg.norm(exact)
        assert np.all(np.abs(df["katz"].to_numpy() - exact) <= 1e-9 * exact + 1e-15)
    dag = nx.DiGraph([(0, 1), (1, 2), (0, 2)])
    assert _spectral_radius_bound(to_csr(dag)) == (0.0, 0.0, 0)
    assert centrality(dag, ["katz"]).attrs["katz"]["alpha"] == 0.1
    assert sp.issparse(to_csr(dag).matrix)


def test_katz_alpha_too_large_raises():
    with pytest.raises(Exception, match="katz_alpha below"):
        centrality(nx.complete_graph(5), ["katz"], katz_alpha=1.0)


def test_same_seed_same_numbers_and_insertion_order_irrelevant():
    G = nx.barabasi_albert_graph(300, 2, seed=4)
    edges = list(G.edges())
    random.Random(1).shuffle(edges)
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes(), reverse=True))
    H.add_edges_from(edges)
    a = centrality(G, exact=False, seed=9)
    b = centrality(H, exact=False, seed=9)
    pd.testing.assert_frame_equal(a, b)
    assert a.index.name == "customer_id"


def test_empty_single_and_disconnected(empty_graph, single_node, disconnected):
    df = centrality(empty_graph)
    assert len(df) == 0 and "pagerank" in df.columns
    one = centrality(single_node)
    assert one.loc["only", "pagerank"] == pytest.approx(1.0)
    assert one.loc["only", "betweenness"] == 0
    d = centrality(disconnected)
    assert d.loc[6, "closeness"] == 0 and d.loc[6, "core"] == 0
    assert (d.loc[[0, 1, 2], "clustering"] == 1).all()


def test_errors():
    G = nx.path_graph(4)
    with pytest.raises(ParameterError, match="unknown centrality measure 'fame'"):
        centrality(G, ["fame"])
    with pytest.raises(ParameterError, match="epsilon"):
        centrality(G, epsilon=0)
    with pytest.raises(ParameterError, match="seed"):
        centrality(G, seed="x")
    with pytest.raises(ParameterError, match="closeness_epsilon"):
        centrality(G, closeness_epsilon=1.5)
    with pytest.raises(ParameterError, match="closeness_pivots"):
        centrality(G, closeness_pivots=0)


# --- diffusion centrality (Banerjee et al. 2013) ------------------------------------------------


def _closed_form(G, q, T):
    """sum_{t=1..T} (q A)^t 1 with A the unweighted adjacency without self-loops (rows = sources)."""
    A = nx.to_numpy_array(G, nodelist=sorted(G), weight=None)
    np.fill_diagonal(A, 0.0)
    A = (A > 0).astype(float)
    return sum(np.linalg.matrix_power(q * A, t) @ np.ones(len(A)) for t in range(1, T + 1)), A


def test_diffusion_is_the_sum_of_matrix_powers_with_q_one_over_lambda():
    K = nx.karate_club_graph()   # weighted: the weights are ignored
    _, A = _closed_form(K, 1.0, 1)
    lam = max(np.linalg.eigvalsh(A))
    expected, _ = _closed_form(K, 1 / lam, 4)
    df = centrality(K, ["diffusion"], diffusion_T=4)
    assert list(df.columns) == ["diffusion"] and df.index.name == "customer_id"
    np.testing.assert_allclose(df["diffusion"].to_numpy(), expected, rtol=1e-10)
    assert df.attrs["diffusion"]["q"] == pytest.approx(1 / lam, rel=1e-12)
    assert df.attrs["diffusion"]["lambda_1"] == pytest.approx(lam, rel=1e-12)
    assert df.attrs["diffusion"]["T"] == 4 and df.attrs["provenance"]["parameters"]["diffusion_T"] == 4


def test_diffusion_directed_follows_ties_out_and_ignores_self_loops():
    D = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "c")])
    df = centrality(D, "diffusion", diffusion_q=0.5, diffusion_T=2)
    # a: 2 out-ties (0.5 * 2) plus 2-step walks a->b->c (0.25): 1.25; b: 0.5; c: nothing leaves c
    assert df["diffusion"].to_dict() == {"a": 1.25, "b": 0.5, "c": 0.0}
    expected, _ = _closed_form(D, 0.5, 2)
    np.testing.assert_allclose(df["diffusion"].to_numpy(), expected)


def test_diffusion_matches_the_case_study_implementation():
    """Values of netlib.casestudies.diffusion_centrality at HEAD d769b3c (before the promotion)."""
    D = nx.gnp_random_graph(12, 0.3, seed=5, directed=True)
    D.add_edge(0, 0)
    df = centrality(D, "diffusion", diffusion_T=4)
    old = [1.1372322523, 6.0891791189, 7.0488704125, 2.7694815329, 3.2961224365, 4.0735317507, 4.9603310185,
           4.0289558951, 4.5144868759, 2.6223749485, 3.5979905014, 2.7061339582]
    np.testing.assert_allclose(df["diffusion"].to_numpy(), old, atol=1e-9)
    assert df.attrs["diffusion"]["q"] == pytest.approx(0.28809121153021927, rel=1e-10)
    F = nx.florentine_families_graph()
    f = centrality(F, "diffusion", diffusion_q=0.2, diffusion_T=3)["diffusion"]
    assert f["Medici"] == pytest.approx(2.232) and f["Pazzi"] == pytest.approx(0.336)


def test_diffusion_limits_degree_and_eigenvector():
    from scipy import stats

    K = nx.karate_club_graph()
    deg = np.array([K.degree(n) for n in sorted(K)], dtype=float)
    one = centrality(K, "diffusion", diffusion_q=0.1, diffusion_T=1)["diffusion"].to_numpy()
    np.testing.assert_allclose(one, 0.1 * deg)           # T = 1: proportional to degree
    eig = centrality(K, ["eigenvector"], weight=None)["eigenvector"]
    long = centrality(K, "diffusion", diffusion_T=200)["diffusion"]   # q = 1/lambda_1, T large
    assert stats.spearmanr(long, eig).statistic > 0.999


def test_diffusion_does_not_depend_on_insertion_order():
    K = nx.karate_club_graph()
    H = nx.Graph()
    H.add_nodes_from(sorted(K, reverse=True))
    H.add_edges_from(reversed(list(K.edges)))
    pd.testing.assert_frame_equal(centrality(K, "diffusion", diffusion_T=3), centrality(H, "diffusion", diffusion_T=3))


def test_diffusion_errors(single_node, empty_graph):
    with pytest.raises(ParameterError, match="diffusion_T must be a positive integer; got 0"):
        centrality(nx.path_graph(3), "diffusion", diffusion_T=0)
    with pytest.raises(ParameterError, match="diffusion_T must be a positive integer"):
        centrality(nx.path_graph(3), "diffusion", diffusion_T=2.5)
    with pytest.raises(ParameterError, match="no ties, so 1/lambda_1 is undefined; pass diffusion_q="):
        centrality(single_node, "diffusion")
    with pytest.raises(ParameterError, match="diffusion_q must be a positive number; got -1.0"):
        centrality(nx.path_graph(3), "diffusion", diffusion_q=-1.0)
    assert centrality(single_node, "diffusion", diffusion_q=0.5)["diffusion"].tolist() == [0.0]
    assert len(centrality(empty_graph, "diffusion")) == 0


def test_multi_source_bfs_matches_one_bfs_per_source_for_any_batching():
    """Sums of distances are integers: batches of 64-512 sources and any thread split give the same."""
    import netlib._centrality_kernels as CK
    import netlib._kernels as K
    from netlib._csr import to_csr

    D = nx.gnp_random_graph(700, 0.006, seed=8, directed=True)  # not strongly connected: unreached pairs
    c = to_csr(D)
    sources = np.arange(0, 700, 2, dtype=np.int64)  # 350 sources: a partial last batch at every width
    dsum, dcnt = K.closeness_bfs(c.indptr, c.indices, sources, 1)
    lengths = nx.single_source_shortest_path_length
    ecc = [max(lengths(D, int(s)).values()) for s in sources]
    for chunks in (1, 2, 3):
        for words in (1, 2, 3, 4, 7, 8):
            s, n_, e = CK.closeness_msbfs(c.indptr, c.indices, sources, chunks, words)
            assert np.array_equal(s, dsum) and np.array_equal(n_, dcnt) and e.tolist() == ecc


def _vertex_diameter(G) -> int:
    """Most nodes on any shortest path, by brute force (every source's BFS)."""
    return max((max(d.values()) + 1 for _, d in nx.all_pairs_shortest_path_length(G)), default=1)


def test_directed_vertex_diameter_bound_holds_and_is_tight_on_simple_shapes():
    """The condensation bound is at least the true vertex diameter (brute force) on random digraphs,
    including ones with many small strong components, and exact on paths and cycles, where the
    undirected diameter would be far too small (a directed cycle of 12: 12 nodes, undirected 7)."""
    from netlib._csr import to_csr
    from netlib.centrality import _vertex_diameter_bound as bound_of

    for seed in range(120):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(2, 40))
        D = nx.gnp_random_graph(n, float(rng.uniform(0.02, 0.25)), seed=seed, directed=True)
        bound = bound_of(to_csr(D))
        assert bound >= _vertex_diameter(D), seed
        assert bound <= n
    assert bound_of(to_csr(nx.cycle_graph(12, create_using=nx.DiGraph))) == 12
    assert bound_of(to_csr(nx.path_graph(9, create_using=nx.DiGraph))) == 9
    two_cycles = nx.DiGraph(list(nx.cycle_graph(5, create_using=nx.DiGraph).edges) + [(4, 10)] +
                            [(10 + i, 10 + (i + 1) % 4) for i in range(4)])
    assert bound_of(to_csr(two_cycles)) == _vertex_diameter(two_cycles) == 9


@pytest.mark.slow
def test_adaptive_betweenness_within_epsilon_on_directed_graphs_for_every_seed():
    """KADABRA's stop keeps every value within epsilon (here for every seed tried, as delta = 0.1
    allows a failure in 10), and stops before the Riondato-Kornaropoulos size where betweenness is small."""
    D = nx.gnp_random_graph(600, 0.006, seed=2, directed=True)
    exact = centrality(D, ["betweenness"], exact=True)["betweenness"]
    eps = 0.02
    stopped_early = 0
    for seed in range(6):
        est = centrality(D, ["betweenness"], exact=False, epsilon=eps, delta=0.1, seed=seed)
        info = est.attrs["betweenness"]
        assert (est["betweenness"] - exact).abs().max() <= eps
        assert info["samples"] <= info["max_samples"] and info["vertex_diameter_bound"] >= _vertex_diameter(D)
        stopped_early += info["stopped"] == "adaptive"
    assert stopped_early == 6 and info["samples"] < 0.7 * info["max_samples"]


def test_pagerank_stops_on_its_certified_bound():
    """The stated L1 bound holds against networkx iterated to 1e-14, and every value is within the
    stated relative 1e-4; a graph with dangling customers (no ties out) included."""
    D = nx.gnp_random_graph(300, 0.01, seed=4, directed=True)  # sparse: many dangling nodes
    df = centrality(D, ["pagerank"], alpha=0.9)
    info = df.attrs["pagerank"]
    assert info == df.attrs["provenance"]["estimators"]["pagerank"]
    assert info["alpha"] == 0.9 and info["l1_error_bound"] <= min(1e-10, 1e-4 * 0.1 / 300)
    ref = nx.pagerank(D, alpha=0.9, tol=1e-16, max_iter=10_000)
    exact = np.array([ref[v] for v in df.index])
    err = np.abs(df["pagerank"].to_numpy() - exact)
    assert err.sum() <= info["l1_error_bound"] + 1e-14
    assert (err / exact).max() <= 1e-4
