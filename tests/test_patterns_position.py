"""Tests for netlib.patterns.position: behaviour_by_position and BehaviourPosition."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _patterns_data import _mix_profiles
from scipy import stats

from netlib.errors import ParameterError
from netlib.patterns import BehaviourPosition, behaviour_by_position


def test_behaviour_by_position_correlations_match_scipy_and_fisher_interval():
    prof = _mix_profiles()
    rng = np.random.default_rng(5)
    cent = pd.DataFrame({"pagerank": prof["connect_count"] * 0.01 + 0.001,
                         "noise": rng.normal(size=len(prof)),
                         "is_seed": False}, index=prof.index)
    res = behaviour_by_position(prof, cent)
    corr = res.correlations.set_index(["profile", "measure"])
    assert set(corr.index.get_level_values("measure")) == {"pagerank", "noise"}
    assert corr.loc[("connect_count", "pagerank"), "r"] == pytest.approx(1.0)
    # the top 10% of connectors (by count, ties included) are all in the top 10% by pagerank
    top = corr.loc[("connect_count", "pagerank")]
    in_top = prof["connect_count"] >= prof["connect_count"].quantile(0.9)
    assert top["top_overlap"] == 1.0 and top["top_lift"] == pytest.approx(len(prof) / in_top.sum())
    row = corr.loc[("connect", "noise")]
    expect = stats.spearmanr(prof["connect"], cent["noise"])
    assert row["r"] == pytest.approx(expect.statistic) and row["p_value"] == pytest.approx(expect.pvalue)
    n, r = 20, expect.statistic
    se = np.sqrt((1 + r * r / 2) / (n - 3))
    z = np.arctanh(r)
    assert row["ci_low"] == pytest.approx(np.tanh(z - 1.959963984540054 * se))
    assert row["ci_high"] == pytest.approx(np.tanh(z + 1.959963984540054 * se))
    finite = res.correlations.dropna(subset=["r"])
    assert np.isfinite(finite["q_value"]).all()
    assert (finite["q_value"] >= finite["p_value"] - 1e-12).all()
    # intensity is constant in these profiles: no correlation, and it is said so with NaN, not 0
    assert res.correlations.query("profile == 'intensity'")["r"].isna().all()
    assert abs(res.correlations["r"].iloc[0]) == pytest.approx(1.0)  # sorted by |r|


def test_behaviour_by_position_bootstrap_and_kendall():
    prof = _mix_profiles()
    cent = pd.DataFrame({"degree": prof["connect_count"] + np.arange(len(prof)) % 3}, index=prof.index)
    a = behaviour_by_position(prof, cent, ci_method="bootstrap", n_boot=200, seed=3, columns=["connect"])
    b = behaviour_by_position(prof, cent, ci_method="bootstrap", n_boot=200, seed=3, columns=["connect"])
    pd.testing.assert_frame_equal(a.correlations, b.correlations)
    row = a.correlations.iloc[0]
    assert row["ci_low"] <= row["r"] <= row["ci_high"]
    k = behaviour_by_position(prof, cent, method="kendall", columns=["connect"]).correlations.iloc[0]
    assert k["r"] == pytest.approx(stats.kendalltau(prof["connect"], cent["degree"]).statistic)


def test_behaviour_by_position_communities_effect_sizes():
    prof = _mix_profiles()
    # community = the planted group: behaviour is explained by community
    comm = pd.Series([0] * 10 + [1] * 6 + [2] * 4, index=prof.index)
    res = behaviour_by_position(prof, partition=comm)
    shares = res.community_shares
    assert shares.loc[0, "n_customers"] == 10 and shares.loc["all", "n_active"] == 20
    assert shares.loc[1, "connect"] == pytest.approx(prof["connect"].iloc[10:16].mean())
    assert res.community_lift.loc[2, "collaborate"] == pytest.approx(
        prof["collaborate"].iloc[16:].mean() / prof["collaborate"].mean())
    # eta squared by hand
    x, g = prof["connect"].to_numpy(), comm.to_numpy()
    between = sum((g == c).sum() * (x[g == c].mean() - x.mean()) ** 2 for c in (0, 1, 2))
    eff = res.community_effects
    assert eff.loc["connect", "eta_squared"] == pytest.approx(between / ((x - x.mean()) ** 2).sum())
    assert eff.loc["connect", "eta_squared"] > 0.9 and eff.loc["collaborate", "leans_most"] == 2
    assert res.association["cramers_v"] == pytest.approx(1.0)
    assert res.contingency.loc[1, "connect"] == 6
    # a dict works as well, and a random partition explains little
    rnd = dict(zip(prof.index, np.random.default_rng(0).integers(0, 2, len(prof))))
    weak = behaviour_by_position(prof, partition=rnd)
    assert weak.association["cramers_v"] < res.association["cramers_v"]
    assert "Cramér" in repr(weak)


def test_behaviour_by_position_errors():
    prof = _mix_profiles()
    with pytest.raises(ParameterError, match="centrality, partition or both"):
        behaviour_by_position(prof)
    with pytest.raises(ParameterError, match="no customer id in common"):
        behaviour_by_position(prof, pd.DataFrame({"x": [1.0]}, index=["zz"]))
    with pytest.raises(ParameterError, match="no numeric column"):
        behaviour_by_position(prof, pd.DataFrame({"x": ["a"] * 20}, index=prof.index))
    with pytest.raises(ParameterError, match="method"):
        behaviour_by_position(prof, partition={"c00": 1}, method="pearson")
    with pytest.raises(ParameterError, match="confidence must be"):
        behaviour_by_position(prof, partition={"c00": 1}, confidence=95)
    with pytest.raises(ParameterError, match="unexpected keyword argument 'comunities'"):
        behaviour_by_position(prof, comunities={"c00": 1})
    with pytest.raises(ParameterError, match="top_share must be"):
        behaviour_by_position(prof, partition={"c00": 1}, top_share=1.0)
    with pytest.raises(ParameterError, match=r"columns \['nope'\]"):
        behaviour_by_position(prof, pd.DataFrame({"x": 1.0}, index=prof.index), columns=["nope"])


PICKLES = Path(__file__).resolve().parent / "data" / "pickles"


def test_behaviour_position_pickled_at_head_d769b3c_loads_and_matches_a_fresh_run():
    """tests/data/pickles/patterns_behaviour_position.pkl was made with the tree at d769b3c (before
    patterns became a package): it must unpickle, and its tables must equal this tree's answer."""
    with open(PICKLES / "patterns_behaviour_position.pkl", "rb") as fh:
        stored = pickle.load(fh)
    old = stored["result"]
    assert isinstance(old, BehaviourPosition)
    new = behaviour_by_position(stored["profiles"], stored["centrality"], stored["partition"], seed=1)
    pd.testing.assert_frame_equal(old.correlations, new.correlations)
    pd.testing.assert_frame_equal(old.community_shares, new.community_shares)
    pd.testing.assert_frame_equal(old.community_lift, new.community_lift)
    pd.testing.assert_frame_equal(old.community_effects, new.community_effects)
    pd.testing.assert_frame_equal(old.contingency, new.contingency)
    assert old.association == new.association
    assert repr(old) == repr(new)


def test_behaviour_by_position_old_keyword_names_still_work_with_a_deprecation_warning():
    prof = _mix_profiles()
    cent = pd.DataFrame({"degree": prof["connect_count"] + np.arange(len(prof)) % 3}, index=prof.index)
    comm = pd.Series([0] * 10 + [1] * 6 + [2] * 4, index=prof.index)
    new = behaviour_by_position(prof, centrality=cent, partition=comm, confidence=0.9, top_share=0.2)
    with pytest.warns(DeprecationWarning) as caught:
        old = behaviour_by_position(prof, centrality_df=cent, communities=comm, ci=0.9, top=0.2)
    assert sorted(str(w.message).split("the keyword ")[1].split("=")[0] for w in caught) == [
        "centrality_df", "ci", "communities", "top"]
    assert "communities= is renamed partition=" in " ".join(str(w.message) for w in caught)
    pd.testing.assert_frame_equal(old.correlations, new.correlations)
    pd.testing.assert_frame_equal(old.community_lift, new.community_lift)
    # the 90% interval is narrower than the default 95% one, so confidence= really reached the code
    wide = behaviour_by_position(prof, cent)
    narrow = new.correlations.set_index(["profile", "measure"]).loc[("connect", "degree")]
    default = wide.correlations.set_index(["profile", "measure"]).loc[("connect", "degree")]
    assert narrow["ci_high"] - narrow["ci_low"] < default["ci_high"] - default["ci_low"]
    with pytest.raises(ParameterError, match=r"give partition= only \(communities= is its old name\)"):
        behaviour_by_position(prof, partition=comm, communities=comm)
    with pytest.raises(ParameterError, match=r"give confidence= only \(ci= is its old name\)"):
        behaviour_by_position(prof, cent, confidence=0.9, ci=0.8)


def test_every_correlation_equals_scipy_spearmanr_with_inactive_customers_and_ties():
    """Columns are ranked once per set of customers and reused across pairs; every row must still be
    scipy's spearmanr on that pair's customers (shares missing for the inactive, counts tied)."""
    rng = np.random.default_rng(3)
    n = 400
    ids = pd.Index([f"c{i:03d}" for i in range(n)], name="customer_id")
    counts = rng.poisson(0.5, size=(n, 5)).astype(float)
    prof = pd.DataFrame(counts, columns=[f"{b}_count" for b in ("access", "engage", "customize", "connect",
                                                                "collaborate")], index=ids)
    total = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore"):
        shares = np.where(total > 0, counts / total, np.nan)
    for j, b in enumerate(("access", "engage", "customize", "connect", "collaborate")):
        prof[b] = shares[:, j]
    prof["intensity"], prof["breadth"] = total[:, 0], (counts > 0).sum(axis=1)
    assert prof["access"].isna().sum() > 0  # some customers are inactive
    cent = pd.DataFrame({"degree": rng.integers(0, 5, size=n).astype(float),  # ties
                         "pagerank": rng.random(n) + 0.01 * counts[:, 3]}, index=ids)
    corr = behaviour_by_position(prof, cent).correlations
    assert len(corr) == 24
    for row in corr.itertuples():
        x, y = prof[row.profile].to_numpy(), cent[row.measure].to_numpy()
        ok = np.isfinite(x) & np.isfinite(y)
        expect = stats.spearmanr(x[ok], y[ok])
        assert row.n == ok.sum()
        assert row.r == pytest.approx(expect.statistic, abs=1e-14)
        assert row.p_value == pytest.approx(expect.pvalue, rel=1e-9, abs=1e-300)


def test_community_effects_equal_scipy_kruskal_and_anova_sums_over_many_communities():
    rng = np.random.default_rng(8)
    n = 600
    ids = pd.Index([f"c{i:03d}" for i in range(n)], name="customer_id")
    counts = rng.poisson(1.5, size=(n, 5)).astype(float)
    counts[:, 0] += 1  # everyone active; shares repeat (ties)
    prof = pd.DataFrame(counts / counts.sum(axis=1, keepdims=True),
                        columns=["access", "engage", "customize", "connect", "collaborate"], index=ids)
    part = pd.Series(rng.integers(0, 40, size=n), index=ids)
    eff = behaviour_by_position(prof, partition=part).community_effects
    for b in prof.columns:
        groups = [prof[b][part == c].to_numpy() for c in sorted(part.unique())]
        expect = stats.kruskal(*groups)
        assert eff.loc[b, "kruskal_h"] == pytest.approx(expect.statistic, rel=1e-12)
        assert eff.loc[b, "p_value"] == pytest.approx(expect.pvalue, rel=1e-9, abs=1e-300)
        assert eff.loc[b, "epsilon_squared"] == pytest.approx(expect.statistic / (n - 1), rel=1e-12)
        x = prof[b].to_numpy()
        between = sum(len(g) * (g.mean() - x.mean()) ** 2 for g in groups)
        assert eff.loc[b, "eta_squared"] == pytest.approx(between / ((x - x.mean()) ** 2).sum(), rel=1e-12)
