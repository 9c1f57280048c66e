"""netlib_cases._stats: OLS with robust standard errors against closed forms, regression tables, and
group comparisons against scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from netlib.errors import ParameterError
from netlib_cases import compare_groups, ols, regression_table


def test_ols_coefficients_match_least_squares_and_classical_errors():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=50), "b": rng.normal(size=50)})
    y = 1.0 + 2.0 * X["a"] - 0.5 * X["b"] + rng.normal(scale=0.3, size=50)
    fit = ols(y, X, robust=None)
    A = np.column_stack([np.ones(50), X])
    beta, res, *_ = np.linalg.lstsq(A, y, rcond=None)
    np.testing.assert_allclose(fit["coef"], beta, rtol=1e-10)
    sigma2 = res[0] / (50 - 3)
    np.testing.assert_allclose(fit["se"], np.sqrt(np.diag(sigma2 * np.linalg.inv(A.T @ A))), rtol=1e-10)
    assert fit.attrs["r2"] == pytest.approx(1 - res[0] / ((y - y.mean()) ** 2).sum())
    assert list(fit.index) == ["const", "a", "b"]


def test_ols_hc0_on_a_dummy_is_the_unequal_variance_standard_error():
    # y ~ const + D: White's HC0 standard error of D's coefficient is sqrt(s1²/n1 + s0²/n0) with
    # population (ddof=0) variances: a closed-form check of the sandwich estimator.
    y1 = np.array([3.0, 5.0, 4.0, 8.0, 6.0])
    y0 = np.array([1.0, 2.0, 0.5, 1.5])
    y = np.r_[y1, y0]
    D = pd.DataFrame({"D": np.r_[np.ones(5), np.zeros(4)]})
    fit = ols(y, D, robust="HC0")
    assert fit.loc["D", "coef"] == pytest.approx(y1.mean() - y0.mean())
    assert fit.loc["D", "se"] == pytest.approx(np.sqrt(y1.var() / 5 + y0.var() / 4))
    hc1 = ols(y, D, robust="HC1")
    assert hc1.loc["D", "se"] == pytest.approx(fit.loc["D", "se"] * np.sqrt(9 / 7))
    assert fit.loc["D", "p"] == pytest.approx(2 * stats.t.sf(abs(fit.loc["D", "t"]), 7))


def test_ols_errors():
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [2.0, 4.0, 6.0, 8.0]})
    with pytest.raises(ParameterError, match="collinear"):
        ols([1, 2, 3, 5], X)
    with pytest.raises(ParameterError, match="3 values but X has 4 rows"):
        ols([1, 2, 3], X[["a"]])
    with pytest.raises(ParameterError, match="missing values"):
        ols([1, 2, np.nan, 5], X[["a"]])
    with pytest.raises(ParameterError, match="robust must be"):
        ols([1, 2, 3, 5], X[["a"]], robust="HC3")


def test_regression_table_layout_and_stars():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"x": rng.normal(size=40), "z": rng.normal(size=40)})
    y = 3 * X["x"] + rng.normal(size=40)
    table = regression_table({"x only": ols(y, X[["x"]]), "both": ols(y, X)})
    assert list(table.columns) == ["x only", "both"]
    assert table.loc["x", "x only"].endswith("***")
    assert table.loc["x (se)", "both"].startswith("(")
    assert table.loc["z", "x only"] == ""
    assert table.loc["N", "both"] == "40"


def test_compare_groups_matches_scipy():
    df = pd.DataFrame({"g": ["a"] * 5 + ["b"] * 6, "x": [1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15.0]})
    out = compare_groups(df, "g", ["x"])
    assert out.loc["x", "a"] == 3 and out.loc["x", "b"] == 12.5
    assert out.loc["x", "p"] == pytest.approx(stats.kruskal(df.x[:5], df.x[5:]).pvalue)
    with pytest.raises(ParameterError, match="at least two groups"):
        compare_groups(df[df.g == "a"], "g", ["x"])
