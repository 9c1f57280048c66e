"""Stability across seeds and resolutions, and the resolution sweep."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from _community import KARATE_MAX_Q, KARATE_MAX_Q_RES_05, KARATE_MAX_Q_RES_2, shuffled_copy, two_cliques  # noqa: F401,F811  (two_cliques is a fixture)
from netlib.community import communities, community_stability, resolution_sweep
from netlib.errors import ParameterError

def test_stability_and_sweep_do_not_depend_on_insertion_order(karate):
    other = shuffled_copy(karate, 1)
    a = community_stability(karate, runs=3, seed=2, method="louvain")
    b = community_stability(other, runs=3, seed=2, method="louvain")
    pd.testing.assert_frame_equal(a.customers, b.customers, check_index_type=False)
    pd.testing.assert_frame_equal(resolution_sweep(karate, resolutions=[0.5, 2.0], seed=1),
                                  resolution_sweep(other, resolutions=[0.5, 2.0], seed=1))

# --- stability and resolution sweep ----------------------------------------------------------


def test_stability_finds_the_boundary_hub(two_cliques):
    # label propagation breaks the hub's tie at random, so the hub changes side between runs
    res = community_stability(two_cliques, method="label_propagation", runs=20, seed=4)
    cust = res.customers
    assert cust.index.name == "customer_id"
    assert bool(cust.at["m", "boundary"])
    assert cust.loc[cust.index != "m", "boundary"].sum() == 0
    assert cust.at["m", "closest_other"] != cust.at["m", "community"]
    together_a = res.coassignment(["m", "a1", "b1"])
    assert 0 < together_a.at["m", "a1"] < 1 and together_a.at["m", "a1"] + together_a.at["m", "b1"] == 1
    assert together_a.at["a1", "b1"] == 0
    # members of the clique the hub is not in (in the reference) always keep all their co-members
    far = "b" if cust.at["m", "community"] == cust.at["a1", "community"] else "a"
    assert cust.loc[[f"{far}{i}" for i in range(5)], "stability"].min() == pytest.approx(1.0)
    assert cust.at["m", "other_affinity"] == pytest.approx(1 - cust.at["m", "stability"])
    tie = res.ties[(res.ties.source == "a0") & (res.ties.target == "m")]
    assert float(tie["together"].iloc[0]) == pytest.approx(together_a.at["m", "a1"])
    full = res.coassignment()
    assert np.allclose(full.to_numpy(), full.to_numpy().T) and np.allclose(np.diag(full), 1.0)
    assert len(res.runs) == 20 and set(res.runs.columns) >= {"resolution", "seed", "modularity", "ari", "nmi"}
    assert res.reference.attrs["modularity"] == res.runs["modularity"].max()


def test_stability_is_seeded_and_spans_resolutions(karate):
    a = community_stability(karate, weight=None, runs=3, resolutions=[0.5, 1.0, 2.0], seed=8)
    b = community_stability(karate, weight=None, runs=3, resolutions=[0.5, 1.0, 2.0], seed=8)
    pd.testing.assert_frame_equal(a.customers, b.customers)
    assert (a.memberships == b.memberships).all()
    assert a.runs["resolution"].tolist() == [0.5] * 3 + [1.0] * 3 + [2.0] * 3
    assert a.runs.groupby("resolution")["n_communities"].max().is_monotonic_increasing
    assert a.reference.attrs["modularity"] == pytest.approx(KARATE_MAX_Q)
    with pytest.raises(ParameterError, match="runs must be a positive whole number"):
        community_stability(karate, runs=0)
    with pytest.raises(ParameterError, match="at most 5,000"):
        a.coassignment(list(karate.nodes) * 200)


def test_resolution_sweep_matches_communities(karate):
    table = resolution_sweep(karate, resolutions=[0.5, 1.0, 2.0], weight=None, seed=6)
    assert table.index.name == "resolution"
    assert table.loc[1.0, "modularity"] == pytest.approx(KARATE_MAX_Q)
    assert table.loc[0.5, "quality"] == pytest.approx(KARATE_MAX_Q_RES_05)
    assert table.loc[2.0, "quality"] == pytest.approx(KARATE_MAX_Q_RES_2)
    assert table["n_communities"].is_monotonic_increasing
    assert math.isnan(table["nmi_previous"].iloc[0])
    part = communities(karate, weight=None, resolution=2.0, seed=6)
    assert part.nunique() == table.loc[2.0, "n_communities"]
    assert part.attrs["modularity"] == pytest.approx(table.loc[2.0, "quality"])


def test_resolutions_by_position_still_work_for_one_release(karate):
    with pytest.warns(DeprecationWarning, match=r"resolution_sweep: pass resolutions= by keyword"):
        old = resolution_sweep(karate, [0.5, 2.0], weight=None, seed=3)
    pd.testing.assert_frame_equal(old, resolution_sweep(karate, resolutions=[0.5, 2.0], weight=None, seed=3))
    with pytest.raises(TypeError, match="multiple values for argument 'resolutions'"):
        resolution_sweep(karate, [0.5], resolutions=[2.0])
    with pytest.raises(TypeError, match="takes 1 positional argument"):
        resolution_sweep(karate, [0.5], "leiden")


def test_stability_tables_name_their_index(karate):
    res = community_stability(karate, runs=2, seed=1)
    assert res.customers.index.name == "customer_id"
    assert res.runs.index.name == "run"
    assert res.ties.index.name == "tie" and len(res.ties) == karate.number_of_edges()
    assert res.reference.index.name == "customer_id" and res.reference.name == "community"


# --- the closest other community, against the customers × communities table it replaced ----------


def _affinities_by_table(reference, memberships):
    """The implementation before the kernel (kept as the reference): a sparse customers ×
    reference-communities table summed over runs, then its row maxima."""
    import scipy.sparse as sp

    n = reference.size
    k_ref = int(reference.max()) + 1
    ref_size = np.bincount(reference, minlength=k_ref).astype(np.float64)
    own = np.zeros(n)
    acc = sp.csr_array((n, k_ref))
    rows = np.arange(n)
    for memb in memberships:
        k_run = int(memb.max()) + 1
        _, inverse, counts = np.unique(reference * k_run + memb, return_inverse=True, return_counts=True)
        denom = ref_size[reference] - 1.0
        own += np.divide(counts[inverse.ravel()] - 1.0, denom, out=np.ones(n), where=denom > 0)
        contingency = sp.csr_array((np.ones(n), (memb, reference)), shape=(k_run, k_ref))
        contingency = contingency @ sp.diags_array(1.0 / ref_size)
        acc = acc + sp.csr_array((np.ones(n), (rows, memb)), shape=(n, k_run)) @ contingency
    runs = max(len(memberships), 1)
    coo = acc.tocoo()
    keep = coo.col != reference[coo.row]
    other = sp.csr_array((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=(n, k_ref))
    closest, affinity = np.full(n, -1, dtype=np.int64), np.zeros(n)
    if other.nnz:
        best = other.max(axis=1).toarray().ravel()
        arg = np.asarray(other.argmax(axis=1)).ravel()
        closest[best > 0] = arg[best > 0]
        affinity = best / runs
    return own / runs, closest, affinity


def _assert_same_affinities(reference, memberships):
    from netlib.community.stability import _affinities

    for got, want in zip(_affinities(reference, memberships), _affinities_by_table(reference, memberships)):
        np.testing.assert_array_equal(got, want)  # bit for bit, ties broken the same way


def test_affinities_equal_the_table_on_the_sample():
    import netlib as nl

    res = community_stability(nl.customer_network(nl.load_sample()), runs=6, seed=42)
    assert res.customers["boundary"].any() and res.customers["closest_other"].notna().any()
    _assert_same_affinities(res.memberships[int(res.runs["modularity"].idxmax())], res.memberships)


def test_affinities_equal_the_table_on_perturbed_partitions():
    # 20,000 customers in 400 planted groups; each run moves a tenth of them to a random group and
    # merges or splits some groups, so customers reach many other communities with equal shares
    rng = np.random.default_rng(5)
    n = 20_000
    planted = rng.integers(0, 400, n)
    runs = []
    for _ in range(8):
        memb = planted.copy()
        moved = rng.random(n) < 0.1
        memb[moved] = rng.integers(0, 400, moved.sum())
        memb = np.where(memb % 7 == 0, memb // 2, memb)  # merges
        memb = np.where((memb % 5 == 1) & (rng.random(n) < 0.5), memb + 400, memb)  # splits
        runs.append(np.unique(memb, return_inverse=True)[1])
    memberships = np.array(runs)
    _assert_same_affinities(memberships[0], memberships)
    # equal sums: two customers alone in their reference communities, swapped between runs
    reference = np.array([0, 0, 1, 2, 3, 3])
    memberships = np.array([[0, 0, 0, 1, 2, 2], [0, 0, 1, 0, 2, 2]])
    _assert_same_affinities(reference, memberships)
    _assert_same_affinities(np.zeros(4, dtype=np.int64), np.zeros((2, 4), dtype=np.int64))


@pytest.mark.slow
def test_runs_spread_over_processes_give_the_same_answer(karate):
    # each run is seeded on its own and igraph's generator lives in its process: two worker
    # processes give exactly what one process gives, run by run
    one = community_stability(karate, runs=5, resolutions=[0.5, 1.0], seed=3, jobs=1)
    two = community_stability(karate, runs=5, resolutions=[0.5, 1.0], seed=3, jobs=2)
    assert (one.memberships == two.memberships).all()
    pd.testing.assert_frame_equal(one.runs, two.runs)
    pd.testing.assert_frame_equal(one.customers, two.customers)
    res = [0.5, 1.0, 2.0, 4.0]
    pd.testing.assert_frame_equal(resolution_sweep(karate, resolutions=res, seed=9, jobs=1),
                                  resolution_sweep(karate, resolutions=res, seed=9, jobs=3))
    with pytest.raises(ParameterError, match="jobs must be a positive int or None"):
        resolution_sweep(karate, jobs=0)
