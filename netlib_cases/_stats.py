"""Statistics the case studies share: OLS with robust standard errors, paper-style regression tables,
and group comparisons (numpy/scipy only)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from netlib._util import provenance
from netlib.errors import ParameterError

__all__ = ["ols", "regression_table", "compare_groups"]


def ols(y: Any, X: pd.DataFrame, *, robust: str | None = "HC1", constant: bool = True) -> pd.DataFrame:
    """Ordinary least squares with (optionally) heteroskedasticity-robust standard errors.

    Parameters
    ----------
    y : array-like
        Outcome, one value per row of ``X``.
    X : pandas.DataFrame
        Regressors (a column ``const`` is added first when ``constant``).
    robust : {"HC1", "HC0", None}
        Covariance: White's (1980) sandwich estimator, with the n / (n - k) small-sample factor for
        ``"HC1"`` (MacKinnon & White 1985, Stata's ``robust``), or the classical homoskedastic one.
    constant : bool
        Add an intercept.

    Returns
    -------
    pandas.DataFrame
        One row per term: ``coef``, ``se``, ``t``, ``p`` (two-sided, Student t with n - k degrees of
        freedom), ``ci_low``, ``ci_high`` (95%). ``attrs``: ``n``, ``k``, ``r2``, ``adj_r2``,
        ``robust`` and provenance.

    Raises
    ------
    ParameterError
        Mismatched lengths, missing values, fewer rows than terms or collinear regressors.

    References
    ----------
    H. White, "A heteroskedasticity-consistent covariance matrix estimator and a direct test for
    heteroskedasticity", Econometrica 48(4), 817-838 (1980).
    J. G. MacKinnon, H. White, "Some heteroskedasticity-consistent covariance matrix estimators with
    improved finite sample properties", Journal of Econometrics 29(3), 305-325 (1985).

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib_cases as cs
    >>> X = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]})
    >>> fit = cs.ols([1.0, 3.0, 5.0, 7.0], X)
    >>> fit["coef"].round(6).tolist(), fit.attrs["r2"]
    ([1.0, 2.0], 1.0)
    """
    if robust not in ("HC1", "HC0", None):
        raise ParameterError(f"robust must be 'HC1', 'HC0' or None; got {robust!r}")
    X = pd.DataFrame(X).astype("float64")
    yv = np.asarray(y, dtype=np.float64).ravel()
    if len(yv) != len(X):
        raise ParameterError(f"ols: y has {len(yv)} values but X has {len(X)} rows")
    if constant:
        X = X.copy()
        X.insert(0, "const", 1.0)
    A = X.to_numpy()
    if np.isnan(A).any() or np.isnan(yv).any():
        raise ParameterError("ols: missing values in y or X; drop those rows first")
    n, k = A.shape
    if n <= k:
        raise ParameterError(f"ols: {n} rows for {k} terms; need more rows than terms")
    if np.linalg.matrix_rank(A) < k:
        raise ParameterError(f"ols: the regressors {list(X.columns)} are collinear")
    XtX_inv = np.linalg.inv(A.T @ A)
    beta = XtX_inv @ A.T @ yv
    resid = yv - A @ beta
    if robust is None:
        cov = XtX_inv * float(resid @ resid) / (n - k)
    else:
        meat = (A * resid[:, None] ** 2).T @ A
        cov = XtX_inv @ meat @ XtX_inv * (n / (n - k) if robust == "HC1" else 1.0)
    se = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = beta / se
    p = 2 * stats.t.sf(np.abs(t), n - k)
    half = stats.t.ppf(0.975, n - k) * se
    out = pd.DataFrame({"coef": beta, "se": se, "t": t, "p": p, "ci_low": beta - half, "ci_high": beta + half},
                       index=pd.Index(X.columns, name="term"))
    tss = float(((yv - yv.mean()) ** 2).sum()) if constant else float((yv ** 2).sum())
    r2 = 1.0 - float(resid @ resid) / tss if tss > 0 else math.nan
    out.attrs.update(provenance("casestudies.ols", robust=robust, constant=constant))
    out.attrs.update({"n": n, "k": k, "r2": r2, "adj_r2": 1.0 - (1.0 - r2) * (n - 1) / (n - k), "robust": robust})
    return out


def _stars(p: float) -> str:
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""


def regression_table(models: Mapping[str, pd.DataFrame], *, digits: int = 3) -> pd.DataFrame:
    """Side-by-side regression table, as printed in papers: ``coef***`` over ``(se)`` for each model.

    Parameters
    ----------
    models : mapping of str to DataFrame
        Model name -> result of :func:`ols`.
    digits : int
        Decimals shown.

    Returns
    -------
    pandas.DataFrame
        Rows: each term (coefficient row and a ``term (se)`` row), then ``R²`` and ``N``; one column
        per model; empty where a model lacks the term. Stars: * p < 0.1, ** p < 0.05, *** p < 0.01.
    """
    terms: list[str] = []
    for fit in models.values():
        terms += [t for t in fit.index if t not in terms]
    rows: dict[str, dict[str, str]] = {}
    for term in terms:
        rows[term] = {}
        rows[f"{term} (se)"] = {}
        for name, fit in models.items():
            if term in fit.index:
                r = fit.loc[term]
                rows[term][name] = f"{r['coef']:.{digits}f}{_stars(r['p'])}"
                rows[f"{term} (se)"][name] = f"({r['se']:.{digits}f})"
    rows["R²"] = {name: f"{fit.attrs['r2']:.{digits}f}" for name, fit in models.items()}
    rows["N"] = {name: str(fit.attrs["n"]) for name, fit in models.items()}
    table = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=list(models)).fillna("")
    table.index.name = "term"
    return table


def compare_groups(df: pd.DataFrame, by: str, columns: Sequence[str]) -> pd.DataFrame:
    """Medians per group and a Kruskal-Wallis test of equal distributions, for each column.

    Parameters
    ----------
    df : DataFrame
    by : str
        Grouping column (e.g. ``label`` or ``rumour``).
    columns : sequence of str
        Numeric columns to compare.

    Returns
    -------
    pandas.DataFrame
        One row per column: the median in each group (columns named after the groups, sorted),
        ``H`` and ``p`` of the Kruskal-Wallis H test (Mann-Whitney's rank test for two groups).

    References
    ----------
    W. H. Kruskal, W. A. Wallis, "Use of ranks in one-criterion variance analysis", JASA 47(260),
    583-621 (1952).
    """
    if by not in df.columns:
        raise ParameterError(f"no column {by!r}; found {list(df.columns)}")
    groups = sorted(df[by].dropna().unique(), key=str)
    if len(groups) < 2:
        raise ParameterError(f"compare_groups needs at least two groups in {by!r}; found {groups}")
    rows = []
    for col in columns:
        samples = [df.loc[df[by] == g, col].dropna().astype(float).to_numpy() for g in groups]
        H, p = stats.kruskal(*samples)
        row = {"measure": col, **{str(g): float(np.median(s)) for g, s in zip(groups, samples)}, "H": float(H),
               "p": float(p)}
        rows.append(row)
    return pd.DataFrame(rows).set_index("measure")
