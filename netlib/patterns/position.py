"""Behaviour profiles crossed with network position: rank correlations with centrality, community lean."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netlib._api import ids_as_str, provenance, renamed_keyword
from netlib._util import SeedLike, as_rng, progress
from netlib.errors import ParameterError
from netlib.patterns._input import _numeric_by_customer, _share_matrix
from netlib.patterns.taxonomy import BEHAVIOURS

__all__ = ["BehaviourPosition", "behaviour_by_position"]


@dataclass
class BehaviourPosition:
    """Behaviour profiles crossed with network position; see :func:`behaviour_by_position`.

    Attributes
    ----------
    correlations : DataFrame or None
        One row per (profile column, centrality measure): ``profile``, ``measure``, ``method``, ``n``,
        ``r`` (rank correlation), ``ci_low``, ``ci_high``, ``p_value``, ``top_overlap`` and
        ``top_lift`` (do the top customers by the profile column sit in the top by the measure?),
        ``q_value`` (Benjamini–Hochberg across all rows), sorted by ``|r|`` descending.
    community_shares : DataFrame or None
        Indexed by community: ``n_customers``, ``n_active`` and the mean share of each behaviour over
        the community's active customers; a last row ``"all"`` holds the population.
    community_lift : DataFrame or None
        Mean share in the community divided by the population mean share (1 = no lean).
    community_effects : DataFrame or None
        Indexed by behaviour: ``eta_squared`` (share of the variance of that behaviour's share explained
        by community), ``kruskal_h``, ``epsilon_squared``, ``p_value`` (Kruskal–Wallis), ``leans_most``
        (the community with the highest lift).
    contingency : DataFrame or None
        Customers by community (rows) and dominant behaviour (columns).
    association : dict or None
        Cramér's V of community vs dominant behaviour with its chi-square, dof, p-value and n.
    provenance : dict
        The call that made it (function, parameters, netlib version).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> import netlib as nl
    >>> ids = pd.Index([f"c{i}" for i in range(8)], name="customer_id")
    >>> shares = pd.DataFrame(np.random.default_rng(1).dirichlet(np.ones(5), size=8), columns=list(nl.BEHAVIOURS),
    ...                       index=ids)
    >>> res = nl.behaviour_by_position(shares, partition=pd.Series([0] * 4 + [1] * 4, index=ids), seed=0)
    >>> res.correlations is None, res.community_lift.index.name, res.provenance["function"]
    (True, 'community', 'netlib.behaviour_by_position')
    """

    correlations: pd.DataFrame | None = None
    community_shares: pd.DataFrame | None = None
    community_lift: pd.DataFrame | None = None
    community_effects: pd.DataFrame | None = None
    contingency: pd.DataFrame | None = None
    association: dict | None = None
    provenance: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        parts = []
        if self.correlations is not None and len(self.correlations):
            top = self.correlations.iloc[0]
            parts.append(f"{len(self.correlations)} correlations, strongest {top['profile']}~{top['measure']} "
                         f"r={top['r']:.3f}")
        if self.association is not None:
            parts.append(f"community vs dominant behaviour: Cramér's V={self.association['cramers_v']:.3f}")
        return f"BehaviourPosition({'; '.join(parts) or 'empty'})"


# pickles name the class by the public path, so moving the class between modules never breaks them
BehaviourPosition.__module__ = "netlib.patterns"


def _rank_corr_ci(r: float, n: int, method: str, level: float) -> tuple[float, float]:
    """Fisher-z interval: Bonett & Wright (2000) variance for Spearman, Fieller et al. (1957) for Kendall."""
    from scipy.stats import norm

    if not np.isfinite(r) or n <= 4:
        return (np.nan, np.nan)
    if abs(r) >= 1:
        return (float(r), float(r))
    if method == "spearman":
        se = np.sqrt((1 + r * r / 2) / (n - 3))
    else:
        se = np.sqrt(0.437 / (n - 4))
    z = np.arctanh(r)
    crit = norm.ppf(0.5 + level / 2)
    return (float(np.tanh(z - crit * se)), float(np.tanh(z + crit * se)))


def _rowwise_spearman(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    from scipy.stats import rankdata

    rx = rankdata(xs, axis=1)
    ry = rankdata(ys, axis=1)
    rx -= rx.mean(axis=1, keepdims=True)
    ry -= ry.mean(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (rx * ry).sum(axis=1) / np.sqrt((rx * rx).sum(axis=1) * (ry * ry).sum(axis=1))


def _bootstrap_ci(x: np.ndarray, y: np.ndarray, method: str, level: float, n_boot: int,
                  rng: np.random.Generator) -> tuple[float, float]:
    from scipy.stats import kendalltau

    n = len(x)
    stats = []
    if method == "spearman":
        chunk = max(1, min(n_boot, 20_000_000 // max(n, 1)))
        done = 0
        while done < n_boot:
            m = min(chunk, n_boot - done)
            idx = rng.integers(0, n, size=(m, n))
            stats.append(_rowwise_spearman(x[idx], y[idx]))
            done += m
        values = np.concatenate(stats)
    else:
        values = np.empty(n_boot)
        for i in range(n_boot):
            idx = rng.integers(0, n, size=n)
            values[i] = kendalltau(x[idx], y[idx]).statistic
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return (np.nan, np.nan)
    alpha = (1 - level) / 2
    return (float(np.quantile(values, alpha)), float(np.quantile(values, 1 - alpha)))


def _top_overlap(x: np.ndarray, y: np.ndarray, top_share: float) -> tuple[float, float]:
    """Share of the top customers by ``x`` who are also top by ``y``, and that share over chance.

    "Top" is every value at or above the ``1 - top_share`` quantile (ties included, so a set may be
    larger than ``top_share * n``); chance is the size of y's top set over n.
    """
    if len(x) == 0:
        return (np.nan, np.nan)
    in_x = x >= np.quantile(x, 1 - top_share)
    in_y = y >= np.quantile(y, 1 - top_share)
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return (np.nan, np.nan)
    overlap = float((in_x & in_y).sum() / in_x.sum())
    expected = float(in_y.mean())
    return (overlap, overlap / expected)


def _as_partition(partition) -> pd.Series:
    if isinstance(partition, pd.DataFrame):
        if "community" in partition.columns:
            partition = partition["community"]
        elif partition.shape[1] == 1:
            partition = partition.iloc[:, 0]
        else:
            raise ParameterError("partition: a DataFrame needs a 'community' column (or exactly one "
                                 f"column); found {list(partition.columns)}")
    elif isinstance(partition, Mapping):
        partition = pd.Series(dict(partition))
    elif not isinstance(partition, pd.Series):
        raise ParameterError("partition must be a Series (customer id -> community), a dict or a DataFrame "
                             f"with a 'community' column; got {type(partition).__name__}")
    out = partition.copy()
    out.index = ids_as_str(out.index)
    return out.dropna()



def behaviour_by_position(profiles: pd.DataFrame, centrality: pd.DataFrame | None = None,
                          partition=None, *, columns: Iterable[str] | None = None,
                          method: str = "spearman", confidence: float = 0.95, ci_method: str = "fisher",
                          n_boot: int = 1000, top_share: float = 0.1, seed: SeedLike = None,
                          **deprecated) -> BehaviourPosition:
    """Cross behaviour profiles with network position: centrality and community.

    Answers "are the heavy connectors also the structural influencers?" (rank correlations between
    profile columns and centrality measures, with confidence intervals) and "which communities lean
    towards which behaviour?" (mean shares, lift, and effect sizes).

    Parameters
    ----------
    profiles : DataFrame
        From :func:`pattern_profiles`.
    centrality : DataFrame, optional
        Indexed by customer id; every numeric (non-boolean) column is treated as a measure
        (``nl.centrality(G)`` or any table of your own). Formerly ``centrality_df=`` (still accepted
        for one release, with a DeprecationWarning).
    partition : Series, dict or DataFrame, optional
        Customer id -> community label (``nl.communities(G)``, a dict, or a DataFrame with a
        ``community`` column). Formerly ``communities=`` (deprecated the same way).
    columns : iterable of str, optional
        Profile columns to correlate. Default: the five shares, the five ``*_count`` columns,
        ``intensity`` and ``breadth``.
    method : {"spearman", "kendall"}, default "spearman"
    confidence : float, default 0.95
        Confidence level of the intervals (formerly ``ci=``, deprecated).
    ci_method : {"fisher", "bootstrap"}, default "fisher"
        "fisher": Fisher z-transform with the Bonett–Wright standard error (Spearman) or Fieller's
        (Kendall); fast and deterministic. "bootstrap": percentile interval of ``n_boot`` resamples of
        customers (seeded).
    n_boot : int, default 1000
    top_share : float, default 0.1
        Share of customers defining "top" for the overlap columns (formerly ``top=``, deprecated): of
        the customers in the top ``top_share`` by a profile column (e.g. ``connect_count``), which share
        is also in the top by the measure (``top_overlap``), and how many times chance that is
        (``top_lift``; ties at the threshold are included in the top sets).
    seed : int, Generator or None
        Used by the bootstrap only.

    Returns
    -------
    BehaviourPosition

    Raises
    ------
    ParameterError
        Neither centrality nor partition given, no customer ids in common, bad options, or an
        unknown keyword.

    Notes
    -----
    Correlations use the customers present in both tables with both values known (shares are NaN for
    customers without behavioural events, so those drop out of share correlations but stay in count
    correlations). Eta squared is the between-community sum of squares over the total for each share;
    Cramér's V is computed on the customers-by-(community, dominant behaviour) table, so each customer
    counts once.

    References
    ----------
    .. [1] D. G. Bonett and T. A. Wright, "Sample size requirements for estimating Pearson, Kendall and
       Spearman correlations", Psychometrika 65 (2000) 23-28.
    .. [2] E. C. Fieller, H. O. Hartley and E. S. Pearson, "Tests for rank correlation coefficients. I",
       Biometrika 44 (1957) 470-481.
    .. [3] H. Cramér, *Mathematical Methods of Statistics*, Princeton University Press, 1946.
    .. [4] Y. Benjamini and Y. Hochberg, "Controlling the false discovery rate", JRSS B 57 (1995) 289-300.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> import netlib as nl
    >>> rng = np.random.default_rng(0)
    >>> ids = pd.Index([f"c{i}" for i in range(12)], name="customer_id")
    >>> shares = rng.dirichlet(np.ones(5), size=12)
    >>> prof = pd.DataFrame(shares, columns=list(nl.BEHAVIOURS), index=ids)
    >>> cent = pd.DataFrame({"degree": 10 * prof["connect"]}, index=ids)
    >>> part = pd.Series([0] * 6 + [1] * 6, index=ids)
    >>> res = nl.behaviour_by_position(prof, cent, part, seed=0)
    >>> row = res.correlations.set_index(["profile", "measure"]).loc[("connect", "degree")]
    >>> float(row["r"]), int(row["n"])
    (1.0, 12)
    >>> res.community_shares.loc["all", "n_customers"]
    np.int64(12)
    """
    old = _renamed_keywords(deprecated, centrality=centrality, partition=partition, confidence=confidence,
                            top_share=top_share)
    centrality, partition = old["centrality"], old["partition"]
    confidence, top_share = old["confidence"], old["top_share"]
    if centrality is None and partition is None:
        raise ParameterError("behaviour_by_position needs centrality, partition or both")
    if method not in ("spearman", "kendall"):
        raise ParameterError(f"method must be 'spearman' or 'kendall'; got {method!r}")
    if ci_method not in ("fisher", "bootstrap"):
        raise ParameterError(f"ci_method must be 'fisher' or 'bootstrap'; got {ci_method!r}")
    if not 0 < confidence < 1:
        raise ParameterError(f"confidence must be strictly between 0 and 1; got {confidence}")
    if not 0 < top_share < 1:
        raise ParameterError(f"top_share must be strictly between 0 and 1; got {top_share}")
    if ci_method == "bootstrap" and int(n_boot) < 10:
        raise ParameterError(f"n_boot must be >= 10; got {n_boot}")
    shares = _share_matrix(profiles, "behaviour_by_position")
    prof = profiles.copy()
    prof.index = ids_as_str(prof.index)
    shares.index = prof.index
    result = BehaviourPosition(provenance=provenance(
        "behaviour_by_position", method=method, confidence=confidence, ci_method=ci_method,
        n_boot=int(n_boot) if ci_method == "bootstrap" else None, top_share=top_share, seed=seed,
        columns=None if columns is None else list(columns)))
    if centrality is not None:
        result.correlations = _correlations(prof, centrality, columns, method=method, confidence=confidence,
                                            ci_method=ci_method, n_boot=int(n_boot), top_share=top_share,
                                            rng=as_rng(seed))
    if partition is not None:
        _community_lean(shares, _as_partition(partition), result)
    return result


_RENAMED = {"centrality_df": "centrality", "communities": "partition", "ci": "confidence", "top": "top_share"}
_DEFAULTS = {"centrality": None, "partition": None, "confidence": 0.95, "top_share": 0.1}


def _renamed_keywords(passed: dict, **current) -> dict:
    """Map the keywords renamed in the layout step (kept one release) to their new names, with a warning."""
    out = dict(current)
    for old, value in passed.items():
        new = _RENAMED.get(old)
        if new is None:
            raise ParameterError(f"behaviour_by_position() got an unexpected keyword argument {old!r}")
        out[new], _ = renamed_keyword("behaviour_by_position", old, new, value, current[new], _DEFAULTS[new])
    return out


class _Ranks:
    """Ranks of a column over the customers of a mask, made once per (column, mask) and reused.

    Every profile column meets every measure; the masks are few (customers with behavioural events
    for the shares, everyone for the counts), so each column is ranked once or twice, not once per pair.
    """

    def __init__(self) -> None:
        self._masks: dict[bytes, int] = {}
        self._ranks: dict[tuple, np.ndarray] = {}

    def __call__(self, column, values: np.ndarray, ok: np.ndarray) -> np.ndarray:
        from scipy.stats import rankdata

        key = (column, self._masks.setdefault(ok.tobytes(), len(self._masks)))
        if key not in self._ranks:
            self._ranks[key] = rankdata(values)
        return self._ranks[key]


def _spearman_ranked(rx: np.ndarray, ry: np.ndarray) -> tuple[float, float]:
    """Spearman's r and its two-sided p from ranks, computed as :func:`scipy.stats.spearmanr` does:
    Pearson's r of the (average) ranks, p from Student's t with n - 2 degrees of freedom."""
    from scipy.special import stdtr

    r = float(np.corrcoef(rx, ry)[0, 1])
    dof = len(rx) - 2
    with np.errstate(divide="ignore"):
        t = r * np.sqrt(max(np.float64(dof) / ((r + 1.0) * (1.0 - r)), 0.0))
    return r, float(2 * stdtr(dof, -abs(t)))


def _correlations(prof: pd.DataFrame, centrality, columns, *, method: str, confidence: float,
                  ci_method: str, n_boot: int, top_share: float, rng: np.random.Generator) -> pd.DataFrame:
    """Rank correlation of every (profile column, measure) pair with interval, p, q and top overlap."""
    from scipy import stats

    if isinstance(centrality, pd.Series):
        centrality = centrality.to_frame(centrality.name or "measure")
    cent, measures = _numeric_by_customer(centrality, "centrality")
    if columns is None:
        cols = list(BEHAVIOURS) + [f"{b}_count" for b in BEHAVIOURS] + ["intensity", "breadth"]
        cols = [c for c in cols if c in prof.columns]
    else:
        cols = list(columns)
        missing = [c for c in cols if c not in prof.columns]
        if missing:
            raise ParameterError(f"columns {missing} are not in profiles; found {list(prof.columns)}")
    common = prof.index.intersection(cent.index)
    if len(common) == 0:
        raise ParameterError("profiles and centrality have no customer id in common "
                             f"(e.g. {list(prof.index[:3])} vs {list(cent.index[:3])})")
    P = prof.loc[common, cols].astype(np.float64)
    C = cent.loc[common, measures].astype(np.float64)
    rows = []
    pairs = [(p, m) for p in cols for m in measures]
    ranks = _Ranks()
    for p, m in progress(pairs, desc="rank correlations", unit="pair",
                         progress=None if ci_method == "bootstrap" else False):
        x, y = P[p].to_numpy(), C[m].to_numpy()
        ok = np.isfinite(x) & np.isfinite(y)
        x, y = x[ok], y[ok]
        n = int(ok.sum())
        if n < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
            r, pval = np.nan, np.nan
        elif method == "spearman":
            r, pval = _spearman_ranked(ranks(("profile", p), x, ok), ranks(("measure", m), y, ok))
        else:
            res = stats.kendalltau(x, y)
            r, pval = float(res.statistic), float(res.pvalue)
        if ci_method == "fisher" or not np.isfinite(r):
            lo_, hi_ = _rank_corr_ci(r, n, method, confidence)
        else:
            lo_, hi_ = _bootstrap_ci(x, y, method, confidence, n_boot, rng)
        overlap, top_lift = _top_overlap(x, y, top_share)
        rows.append({"profile": p, "measure": m, "method": method, "n": n, "r": r,
                     "ci_low": lo_, "ci_high": hi_, "p_value": pval, "top_overlap": overlap,
                     "top_lift": top_lift})
    corr = pd.DataFrame(rows)
    q = np.full(len(corr), np.nan)
    finite = np.isfinite(corr["p_value"].to_numpy())
    if finite.any():
        q[finite] = stats.false_discovery_control(corr["p_value"].to_numpy()[finite])
    corr["q_value"] = q
    corr = corr.sort_values("r", key=lambda s: -s.abs(), na_position="last", kind="stable")
    return corr.reset_index(drop=True)


def _community_lean(shares: pd.DataFrame, part: pd.Series, result: BehaviourPosition) -> None:
    """Fill the community tables of ``result``: mean shares, lift, effect sizes, dominant-behaviour table."""
    common = shares.index.intersection(part.index)
    if len(common) == 0:
        raise ParameterError("profiles and partition have no customer id in common "
                             f"(e.g. {list(shares.index[:3])} vs {list(part.index[:3])})")
    S = shares.loc[common]
    comm = part.loc[common]
    act = S.notna().all(axis=1)
    Sa, ca = S[act], comm[act]
    if len(Sa) == 0:
        raise ParameterError("no customer with communities has a behavioural event")
    grouped = Sa.groupby(ca, sort=True)
    means = grouped.mean()
    pop = Sa.mean()
    table = pd.concat([comm.groupby(comm, sort=True).size().rename("n_customers"),
                       ca.groupby(ca, sort=True).size().rename("n_active")], axis=1)
    table = table.fillna(0).astype(np.int64).join(means)
    table.loc["all"] = [len(comm), len(Sa), *pop.tolist()]
    table.index.name = "community"
    for c in ("n_customers", "n_active"):
        table[c] = table[c].astype(np.int64)
    result.community_shares = table
    with np.errstate(invalid="ignore", divide="ignore"):
        lift = means / pop.where(pop > 0)
    lift.index.name = "community"
    result.community_lift = lift
    result.community_effects = _community_effects(Sa, pd.factorize(ca, sort=True)[0], lift)
    result.contingency, result.association = _dominant_association(Sa, ca)


def _community_effects(Sa: pd.DataFrame, group: np.ndarray, lift: pd.DataFrame) -> pd.DataFrame:
    """Per behaviour: eta squared, Kruskal-Wallis H with epsilon squared and p, and the leaning community.

    ``group`` is each active customer's community as a code 0..g-1. The sums run over the codes with
    ``np.bincount``, not one array per community: Kruskal-Wallis' H is computed as
    :func:`scipy.stats.kruskal` computes it (average ranks, rank sums per group, scipy's tie
    correction, chi-square with g - 1 degrees of freedom).
    """
    from scipy import stats

    n_groups = int(group.max()) + 1 if len(group) else 0
    size = np.bincount(group, minlength=n_groups).astype(np.float64)
    effects = []
    for b in BEHAVIOURS:
        values = Sa[b].to_numpy()
        mean = values.mean()
        ss_tot = float(((values - mean) ** 2).sum())
        group_mean = np.bincount(group, weights=values, minlength=n_groups) / size
        ss_between = float((size * (group_mean - mean) ** 2).sum())
        eta2 = ss_between / ss_tot if ss_tot > 0 else np.nan
        if n_groups >= 2 and ss_tot > 0:
            ranks = stats.rankdata(values)
            n = len(values)
            rank_sums = np.bincount(group, weights=ranks, minlength=n_groups)
            h = 12.0 / (n * (n + 1.0)) * float((rank_sums ** 2 / size).sum()) - 3.0 * (n + 1)
            h /= stats.tiecorrect(ranks)
            pval = float(stats.chi2.sf(h, n_groups - 1))
            eps2 = float(h) / (n - 1) if n > 1 else np.nan
        else:
            h, pval, eps2 = np.nan, np.nan, np.nan
        lean = lift[b].idxmax() if lift[b].notna().any() else None
        effects.append({"behaviour": b, "eta_squared": eta2, "kruskal_h": float(h),
                        "epsilon_squared": eps2, "p_value": float(pval), "leans_most": lean})
    return pd.DataFrame(effects).set_index("behaviour")


def _dominant_association(Sa: pd.DataFrame, ca: pd.Series) -> tuple[pd.DataFrame, dict]:
    """Customers by community and dominant behaviour, and Cramér's V of that table."""
    from scipy import stats

    dominant = pd.Series(np.asarray(BEHAVIOURS)[np.argmax(Sa.to_numpy(), axis=1)], index=Sa.index)
    cont = pd.crosstab(ca, dominant).reindex(columns=list(BEHAVIOURS), fill_value=0)
    cont.index.name, cont.columns.name = "community", "dominant"
    nz = cont.loc[cont.sum(axis=1) > 0, cont.sum(axis=0) > 0]
    n_tot = int(nz.to_numpy().sum())
    if min(nz.shape) >= 2:
        chi2, pval, dof, _ = stats.chi2_contingency(nz.to_numpy(), correction=False)
        v = float(np.sqrt(chi2 / (n_tot * (min(nz.shape) - 1))))
    else:
        chi2, pval, dof, v = 0.0, 1.0, 0, 0.0
    return cont, {"cramers_v": v, "chi2": float(chi2), "dof": int(dof), "p_value": float(pval), "n": n_tot}
