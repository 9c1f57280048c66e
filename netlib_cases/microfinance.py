"""Case studies on real networks: the analyses behind ``notebooks/case_studies``.

Each function reproduces one step of a published study on the public datasets (see
:mod:`netlib.datasets`), so the notebooks stay thin and the key numbers can be pinned by tests.

* Diffusion of microfinance (Banerjee, Chandrasekhar, Duflo & Jackson 2013):
  :func:`diffusion_centrality`, :func:`village_table`, :func:`leader_regressions`,
  :func:`seeding_comparison`; :func:`ols` and :func:`regression_table` fit and print ordinary least
  squares with heteroskedasticity-robust standard errors (numpy/scipy only).
* Community structure with ground truth: :func:`community_benchmark` and
  :data:`BEST_KNOWN_MODULARITY`.
* Cascades in the wild (Goel, Anderson, Hofman & Watts 2016; Ma, Gao & Wong 2017):
  :func:`twitter16_cascades`, :func:`higgs_cascades`, :func:`broadcast_share`,
  :func:`virality_check`, :func:`compare_groups`.
* Consumer trust networks: :func:`trust_table`, :func:`social_proof`.
* Temporal messages: :func:`reach_by_start`.

:func:`case_data_home` finds the datasets folder for the notebooks and, when it is missing, raises
:class:`DataMissing`, which Jupyter shows as a short message saying where to get the files.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from netlib._util import SeedLike, as_rng, int_seed, provenance
from netlib.errors import DatasetNotFoundError, ParameterError

__all__ = [
    "BEST_KNOWN_MODULARITY",
    "DataMissing",
    "broadcast_share",
    "case_data_home",
    "community_benchmark",
    "compare_groups",
    "diffusion_centrality",
    "higgs_cascades",
    "leader_regressions",
    "ols",
    "reach_by_start",
    "regression_table",
    "seeding_comparison",
    "social_proof",
    "trust_table",
    "twitter16_cascades",
    "village_table",
    "virality_check",
]


# --------------------------------------------------------------------------------------------------
# Finding the data
# --------------------------------------------------------------------------------------------------


class DataMissing(DatasetNotFoundError):
    """A case study's dataset folder is not on this machine.

    Jupyter shows only the message (no traceback): it names the folder looked in and where to get
    the files.
    """

    def _render_traceback_(self) -> list[str]:  # IPython hook: print the message, not a traceback
        return [f"Data not found. {self}"]


_REPO_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


def case_data_home(data_dir: str | os.PathLike | None = None, *, needs: Sequence[str] = ()) -> Path:
    """The folder holding the public datasets, checked to contain the sub-folders a case study needs.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Use this folder. Default: the ``NETLIB_DATA_HOME`` environment variable, else
        ``../shared/datasets`` beside the repository checkout.
    needs : sequence of str
        Dataset folder names that must be present (e.g. ``["football", "email-Eu-core"]``).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    DataMissing
        The folder or one of ``needs`` is absent; the message says where to get them
        (``netlib.datasets.fetch`` or the original pages listed by ``netlib.datasets.list_datasets``).
    """
    if data_dir is not None:
        home, origin = Path(data_dir).expanduser(), "the data_dir parameter"
    elif os.environ.get("NETLIB_DATA_HOME"):
        home, origin = Path(os.environ["NETLIB_DATA_HOME"]).expanduser(), "NETLIB_DATA_HOME"
    else:
        home, origin = _REPO_DATA, "the default beside the repository"
    missing = [n for n in needs if not (home / n).is_dir()] if home.is_dir() else list(needs) or ["(all)"]
    if missing:
        from netlib.datasets import DATASETS

        pages = {e["folder"]: e["page"] for e in DATASETS.values() if e.get("folder")}
        where = "; ".join(f"{m}: {pages[m]}" for m in missing if m in pages)
        raise DataMissing(
            f"Looked in {home} (from {origin}); missing: {', '.join(missing)}. Get the files with "
            f"netlib.datasets.fetch(<name>) or from the original pages ({where or 'see netlib.datasets.list_datasets()'}), "
            f"then set the notebook's data_dir parameter or NETLIB_DATA_HOME to the folder holding them.")
    return home


# --------------------------------------------------------------------------------------------------
# Regression (ordinary least squares with robust standard errors)
# --------------------------------------------------------------------------------------------------


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
    >>> X = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]})
    >>> fit = ols([1.0, 3.0, 5.0, 7.0], X)
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


# --------------------------------------------------------------------------------------------------
# Case study 1: the diffusion of microfinance
# --------------------------------------------------------------------------------------------------


def _adjacency(G: nx.Graph, nodes: list) -> sp.csr_array:
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=None, format="csr", dtype=np.float64)
    A.setdiag(0.0)
    A.eliminate_zeros()
    A.data[:] = 1.0
    return A


def _leading_eigen(A: sp.csr_array) -> tuple[float, np.ndarray]:
    """Largest eigenvalue and its non-negative unit eigenvector of a symmetric adjacency matrix."""
    from scipy.sparse.linalg import eigsh

    n = A.shape[0]
    if n == 0 or A.nnz == 0:
        return 0.0, np.zeros(n)
    if n < 3:
        vals, vecs = np.linalg.eigh(A.toarray())
        lam, vec = float(vals[-1]), vecs[:, -1]
    else:
        val, vecs = eigsh(A, k=1, which="LA", v0=np.ones(n), tol=1e-12)
        lam, vec = float(val[0]), vecs[:, 0]
    vec = np.abs(vec)
    return lam, vec / np.linalg.norm(vec)


def _spectral_radius(A: sp.csr_array, directed: bool) -> float:
    if A.nnz == 0:
        return 0.0
    if not directed:
        return _leading_eigen(A)[0]
    from scipy.sparse.linalg import eigs

    if A.shape[0] <= 500:
        return float(np.max(np.abs(np.linalg.eigvals(A.toarray()))))
    return float(np.max(np.abs(eigs(A, k=1, which="LM", return_eigenvectors=False, v0=np.ones(A.shape[0])))))


def _dc(A: sp.csr_array, q: float, T: int) -> np.ndarray:
    x = np.ones(A.shape[0])
    total = np.zeros(A.shape[0])
    for _ in range(T):
        x = q * (A @ x)
        total += x
    return total


def diffusion_centrality(G: nx.Graph, *, q: float | None = None, T: int = 5) -> pd.DataFrame:
    """Diffusion centrality of Banerjee, Chandrasekhar, Duflo & Jackson (2013).

    ``DC = sum_{t=1..T} (q A)^t 1``: the expected number of times the households of the network hear
    a piece of news that starts at a household and is passed on to each neighbour with probability
    ``q`` in each of ``T`` rounds (walks, so repeated hearings count).

    Parameters
    ----------
    G : networkx graph
        Ties, unweighted (weights and self-loops are ignored). Directed edges point the way news
        travels.
    q : float, optional
        Passing probability per tie and round. Default ``1 / lambda_1`` (the inverse of the largest
        eigenvalue of the adjacency matrix), the value of the paper's regressions.
    T : int
        Number of rounds. The paper uses the number of trimesters each village was exposed to the
        lender (between 3 and 8); the public household extract has no timing, so the case study
        uses one ``T`` for every village and shows how results move with it.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` (canonical node order), column ``diffusion_centrality``;
        ``attrs`` records ``q``, ``T``, ``lambda_1`` and provenance.

    Notes
    -----
    With ``T = 1`` it is ``q`` × degree; as ``T`` grows with ``q = 1 / lambda_1`` the ranking
    approaches eigenvector centrality, and with ``q < 1 / lambda_1`` it approaches Katz-Bonacich
    centrality (Banerjee et al. 2019).

    References
    ----------
    A. Banerjee, A. G. Chandrasekhar, E. Duflo, M. O. Jackson, "The Diffusion of Microfinance",
    Science 341(6144), 1236498 (2013).
    A. Banerjee, A. G. Chandrasekhar, E. Duflo, M. O. Jackson, "Using Gossips to Spread
    Information: Theory and Evidence from Two Randomized Controlled Trials", Review of Economic
    Studies 86(6), 2453-2490 (2019).

    Examples
    --------
    >>> G = nx.path_graph(3)                       # lambda_1 = sqrt(2)
    >>> dc = diffusion_centrality(G, T=1)["diffusion_centrality"]
    >>> [round(v * 2 ** 0.5, 6) for v in dc]        # T = 1: degree
    [1.0, 2.0, 1.0]
    """
    from netlib._csr import node_order

    if int(T) != T or T < 1:
        raise ParameterError(f"T must be a positive integer; got {T!r}")
    nodes = node_order(G)
    A = _adjacency(G, nodes)
    lam = _spectral_radius(A, G.is_directed())
    if q is None:
        if lam <= 0:
            raise ParameterError("diffusion_centrality: the graph has no ties, so 1/lambda_1 is undefined; pass q=")
        q = 1.0 / lam
    if not (q > 0 and math.isfinite(q)):
        raise ParameterError(f"q must be a positive number; got {q!r}")
    total = _dc(A, q, int(T))
    out = pd.DataFrame({"diffusion_centrality": total}, index=pd.Index(nodes, name="customer_id"))
    out.attrs.update(provenance("casestudies.diffusion_centrality", q=float(q), T=int(T)))
    out.attrs.update({"q": float(q), "T": int(T), "lambda_1": lam})
    return out


def village_table(G: nx.Graph, *, T: int = 5, q: float | None = None, village: str = "village",
                  leader: str = "leader", adopted: str = "loan") -> pd.DataFrame:
    """One row per village: size, leaders, take-up among non-leaders, and the leaders' centralities.

    For each village (the subgraph of its households) the centralities of every household are
    computed and averaged over the village's leaders (the households the lender informed first), as
    in Banerjee et al. (2013): diffusion centrality (:func:`diffusion_centrality`, ``q = 1 /
    lambda_1`` of the village unless ``q`` is given), eigenvector centrality (unit Euclidean norm
    within the village, so it is comparable across villages only up to the village's size, which
    the regressions control for) and degree (number of ties).

    Parameters
    ----------
    G : networkx.Graph
        Households with node attributes ``village``, ``leader`` (1 = informed first) and ``loan``
        (1 = took up microfinance), as :func:`netlib.datasets.microfinance` returns.
    T, q
        Passed to :func:`diffusion_centrality`.
    village, leader, adopted : str
        Node attribute names.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``village``: ``households``, ``leaders``, ``leader_share``, ``takeup_nonleaders``
        (share of non-leader households that took a loan: the paper's outcome), ``takeup_leaders``,
        ``lambda_1``, ``dc_leaders``, ``eigenvector_leaders``, ``degree_leaders``, and the same three
        averaged over all households (``*_all``) for reference.

    References
    ----------
    A. Banerjee, A. G. Chandrasekhar, E. Duflo, M. O. Jackson, "The Diffusion of Microfinance",
    Science 341(6144), 1236498 (2013).
    """
    from netlib._csr import node_order

    if T is None or int(T) != T or T < 1:
        raise ParameterError(f"T must be a positive integer; got {T!r}")
    nodes = node_order(G)
    frame = pd.DataFrame.from_dict({n: G.nodes[n] for n in nodes}, orient="index")
    missing = [c for c in (village, leader, adopted) if c not in frame.columns or frame[c].isna().any()]
    if missing:
        raise ParameterError(f"every household needs the attributes {missing} (see netlib.datasets.microfinance)")
    A_all = _adjacency(G, nodes)
    rows = []
    for v, idx in frame.groupby(village, sort=True).indices.items():
        A = A_all[idx][:, idx]
        lam, eig = _leading_eigen(A)
        dc = _dc(A, (1.0 / lam if lam > 0 else math.nan) if q is None else q, int(T))
        deg = np.asarray(A.sum(axis=1)).ravel()
        lead = frame[leader].to_numpy()[idx].astype(bool)
        took = frame[adopted].to_numpy()[idx].astype(float)
        rows.append({
            "village": v, "households": len(idx), "leaders": int(lead.sum()), "leader_share": lead.mean(),
            "takeup_nonleaders": took[~lead].mean() if (~lead).any() else math.nan,
            "takeup_leaders": took[lead].mean() if lead.any() else math.nan,
            "lambda_1": lam,
            "dc_leaders": dc[lead].mean() if lead.any() else math.nan,
            "eigenvector_leaders": eig[lead].mean() if lead.any() else math.nan,
            "degree_leaders": deg[lead].mean() if lead.any() else math.nan,
            "dc_all": dc.mean(), "eigenvector_all": eig.mean(), "degree_all": deg.mean(),
        })
    out = pd.DataFrame(rows).set_index("village")
    out.attrs.update(provenance("casestudies.village_table", T=T, q=q))
    return out


#: The leader centralities compared in :func:`leader_regressions`, with readable names.
_MEASURES = {"dc_leaders": "diffusion centrality", "eigenvector_leaders": "eigenvector centrality",
             "degree_leaders": "degree"}


def leader_regressions(villages: pd.DataFrame, *, controls: Sequence[str] = ("households", "leader_share"),
                       outcome: str = "takeup_nonleaders", robust: str | None = "HC1") -> dict[str, pd.DataFrame]:
    """Regress non-leader take-up on each leader centrality (standardised), with controls.

    Following Banerjee et al. (2013, Table 1): one cross-village OLS per measure, the outcome being
    the share of non-leader households that took up microfinance, the regressor the leaders' average
    centrality, plus controls. The paper's controls are the number of households, self-help-group
    and savings participation, caste composition and the share of leaders; the public extract has
    only the first and the last, so those are the default. Each centrality is standardised (mean 0,
    sd 1 across villages), so a coefficient is the change in take-up per standard deviation and the
    measures can be compared. A last model puts diffusion and eigenvector centrality and degree
    together.

    Parameters
    ----------
    villages : DataFrame
        From :func:`village_table`.
    controls : sequence of str
        Columns of ``villages`` used as controls (raw units).
    outcome : str
        The outcome column.
    robust : {"HC1", "HC0", None}
        Standard errors, see :func:`ols`.

    Returns
    -------
    dict of str to DataFrame
        Model name -> :func:`ols` result. Names: ``"diffusion centrality"``, ``"eigenvector
        centrality"``, ``"degree"``, ``"all three"``.
    """
    missing = [c for c in [outcome, *controls, *_MEASURES] if c not in villages.columns]
    if missing:
        raise ParameterError(f"villages: missing columns {missing}; use village_table()")
    df = villages.dropna(subset=[outcome, *controls, *_MEASURES])
    z = {name: (df[col] - df[col].mean()) / df[col].std(ddof=1) for col, name in _MEASURES.items()}
    ctrl = df[list(controls)]
    models = {}
    for name in _MEASURES.values():
        models[name] = ols(df[outcome], pd.concat([z[name].rename(name), ctrl], axis=1), robust=robust)
    models["all three"] = ols(df[outcome], pd.concat([pd.DataFrame(z), ctrl], axis=1), robust=robust)
    return models


def seeding_comparison(G: nx.Graph, *, villages: Iterable[Any] | None = None, p: Any = "wc", runs: int = 1000,
                       epsilon: float = 0.2, seed: SeedLike = None, village: str = "village",
                       leader: str = "leader", adopted: str = "loan") -> pd.DataFrame:
    """Which households influence maximisation would have informed, and the reach it predicts.

    In each village the lender informed ``k`` leaders. This asks what the independent cascade model
    (Kempe, Kleinberg & Tardos 2003) predicts those leaders reach, against ``k`` seeds chosen by IMM
    (Tang, Shi & Xiao 2015), the ``k`` highest-degree households, and ``k`` households drawn at
    random, all with the same edge probabilities.

    Parameters
    ----------
    G : networkx.Graph
        Households as :func:`netlib.datasets.microfinance` returns.
    villages : iterable, optional
        Only these villages (default all), e.g. to keep a test short.
    p : float or "wc"
        IC edge probability; ``"wc"`` (default) is the weighted cascade, ``1 / degree`` of the
        household being reached.
    runs : int
        Monte-Carlo runs for every reach estimate.
    epsilon : float
        IMM approximation slack.
    seed : int, Generator or None
        Randomness (selection and simulations).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``village``: ``households``, ``k``, ``reach_leaders``, ``reach_imm``,
        ``reach_top_degree``, ``reach_random`` (expected households reached, seeds included),
        ``gain_imm`` (``reach_imm / reach_leaders``), ``imm_leaders`` (how many IMM picks are
        leaders), ``takeup`` (households that took a loan), and ``imm_seeds`` (the picks).

    References
    ----------
    D. Kempe, J. Kleinberg, E. Tardos, "Maximizing the spread of influence through a social network",
    KDD 2003.
    Y. Tang, Y. Shi, X. Xiao, "Influence maximization in near-linear time: a martingale approach",
    SIGMOD 2015.
    """
    from netlib.diffusion import simulate
    from netlib.influence import maximize_influence

    rng = as_rng(seed)
    groups: dict[Any, list] = {}
    for n, d in G.nodes(data=True):
        groups.setdefault(d[village], []).append(n)
    chosen = sorted(groups) if villages is None else list(villages)
    unknown = [v for v in chosen if v not in groups]
    if unknown:
        raise ParameterError(f"villages {unknown} not in the graph; present: {sorted(groups)}")
    rows = []
    for v in chosen:
        H = G.subgraph(groups[v]).copy()
        nodes = sorted(H.nodes)
        leaders = [n for n in nodes if H.nodes[n][leader]]
        k = len(leaders)
        if k == 0:
            continue

        imm = maximize_influence(H, k, model="ic", p=p, method="imm", epsilon=epsilon, runs=runs,
                                 seed=int_seed(rng), progress=False)
        top = maximize_influence(H, k, model="ic", p=p, method="top_degree", runs=runs, seed=int_seed(rng),
                                 progress=False)
        rand = list(rng.choice(np.array(nodes, dtype=object), size=k, replace=False))
        r_lead = simulate(H, leaders, model="ic", p=p, runs=runs, seed=int_seed(rng), progress=False).mean
        r_rand = simulate(H, rand, model="ic", p=p, runs=runs, seed=int_seed(rng), progress=False).mean
        rows.append({
            "village": v, "households": len(nodes), "k": k,
            "reach_leaders": r_lead, "reach_imm": imm.spread, "reach_top_degree": top.spread,
            "reach_random": r_rand, "gain_imm": imm.spread / r_lead,
            "imm_leaders": len(set(imm.seeds) & set(leaders)),
            "takeup": int(sum(H.nodes[n][adopted] for n in nodes)),
            "imm_seeds": list(imm.seeds),
        })
    out = pd.DataFrame(rows).set_index("village")
    out.attrs.update(provenance("casestudies.seeding_comparison", p=p, runs=runs, epsilon=epsilon, seed=seed))
    return out


# --------------------------------------------------------------------------------------------------
# Case study 2: community structure with ground truth
# --------------------------------------------------------------------------------------------------

#: Best known modularity (unweighted, resolution 1) of the benchmark graphs, with where the number
#: comes from. Karate: the proven optimum (Brandes et al. 2008; asserted to 1e-15 by igraph's test of
#: its exact ILP solver). Football: the optimum reported by Aloise et al. (2010), read here only in a
#: secondary source (see the datasets' REFERENCE_VALUES.md). email-Eu-core: no published value found.
BEST_KNOWN_MODULARITY: dict[str, dict[str, Any]] = {
    "karate": {"modularity": 0.4197896120973046, "grade": "proven optimum",
               "source": "Brandes et al., IEEE TKDE 20(2) (2008); igraph optimal-modularity unit test"},
    "football": {"modularity": 0.6046, "grade": "published optimum, secondary source",
                 "source": "Aloise et al., Phys. Rev. E 82, 046112 (2010), as quoted in REFERENCE_VALUES.md"},
    "email-Eu-core": {"modularity": None, "grade": "none found", "source": ""},
}


def community_benchmark(networks: Mapping[str, tuple[nx.Graph, pd.Series]], *,
                        methods: Sequence[str] = ("leiden", "louvain", "label_propagation"),
                        seed: SeedLike = None, restarts: int | None = None,
                        best_known: Mapping[str, Mapping[str, Any]] | None = None) -> pd.DataFrame:
    """Modularity and agreement with ground truth of each community method on each network.

    Parameters
    ----------
    networks : mapping of str to (graph, truth)
        Name -> (undirected graph, ground-truth labels per node as a Series). Graphs are read
        unweighted (``weight=None``), as the published optima are.
    methods : sequence of str
        Methods of :func:`netlib.community.communities`.
    seed : int, Generator or None
        One seed for everything (each method and network draws its own int from it).
    restarts : int, optional
        Restarts per method (default: netlib's size-dependent rule).
    best_known : mapping, optional
        Name -> {"modularity": float or None, ...}; default :data:`BEST_KNOWN_MODULARITY`.

    Returns
    -------
    pandas.DataFrame
        One row per (``network``, ``method``) with the ground truth itself as method
        ``"ground truth"``: ``communities``, ``modularity``, ``best_known``, ``gap`` (best known minus
        found; negative would beat the record), ``nmi``, ``ami``, ``ari`` (against the truth).

    References
    ----------
    U. Brandes, D. Delling, M. Gaertler, R. Görke, M. Hoefer, Z. Nikoloski, D. Wagner, "On modularity
    clustering", IEEE TKDE 20(2), 172-188 (2008).
    D. Aloise, S. Cafieri, G. Caporossi, P. Hansen, S. Perron, L. Liberti, "Column generation algorithms
    for exact modularity maximization in networks", Phys. Rev. E 82, 046112 (2010).
    L. Danon, A. Díaz-Guilera, J. Duch, A. Arenas, "Comparing community structure identification",
    J. Stat. Mech. P09008 (2005) (NMI).
    """
    from netlib.community import communities, partition_quality

    best = BEST_KNOWN_MODULARITY if best_known is None else best_known
    rng = as_rng(seed)
    rows = []
    for name, (G, truth) in networks.items():
        ref = best.get(name, {}).get("modularity")
        parts = {"ground truth": truth}
        for method in methods:
            parts[method] = communities(G, method=method, weight=None, seed=int_seed(rng), restarts=restarts,
                                        progress=False)
        for method, part in parts.items():
            s = partition_quality(G, part, truth=truth, weight=None).summary
            rows.append({"network": name, "method": method, "communities": int(s["n_communities"]),
                         "modularity": float(s["modularity"]), "best_known": ref,
                         "gap": (ref - float(s["modularity"])) if ref is not None else math.nan,
                         "nmi": float(s["nmi"]), "ami": float(s["ami"]), "ari": float(s["ari"])})
    out = pd.DataFrame(rows).set_index(["network", "method"])
    out["best_known"] = out["best_known"].astype("float64")
    out.attrs.update(provenance("casestudies.community_benchmark", methods=list(methods), seed=seed,
                                restarts=restarts))
    return out


# --------------------------------------------------------------------------------------------------
# Case study 3: cascades in the wild
# --------------------------------------------------------------------------------------------------


def twitter16_cascades(data_home: str | os.PathLike | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Twitter16 propagation trees (Ma, Gao & Wong 2017) as cascades, with their veracity labels.

    The trees are cleaned by :func:`netlib.cascades.read_propagation_trees` (self-loops and duplicate
    lines dropped; a user with several parent lines keeps the earliest parent who posted no later
    than they did); the counts are in ``metrics.attrs["report"]``.

    Returns
    -------
    (cascades, metrics) : tuple of DataFrame
        The cascade table, and :func:`netlib.cascades.cascade_metrics` with two more columns:
        ``label`` (true, false, unverified, non-rumor) and ``rumour`` (True unless non-rumor), plus
        ``broadcast_share`` (:func:`broadcast_share`).

    References
    ----------
    J. Ma, W. Gao, K.-F. Wong, "Detect Rumors in Microblog Posts Using Propagation Structure via Kernel
    Learning", ACL 2017.
    """
    from netlib.cascades import cascade_metrics, read_propagation_trees
    from netlib.datasets import DATASETS
    from netlib.datasets import data_home as _home

    folder = _home(data_home) / DATASETS["twitter16"]["folder"]
    path = folder / "twitter16_trees.tar.gz"
    if not path.is_file():
        raise DataMissing(f"{path} not found; get it with netlib.datasets.fetch('twitter16') "
                          f"(source: {DATASETS['twitter16']['page']})")
    cascades = read_propagation_trees(path, progress=False)
    metrics = cascade_metrics(cascades)
    labels = cascades.attrs.get("labels", {})
    metrics["label"] = metrics["item_id"].map(labels).astype("string")
    metrics["rumour"] = metrics["label"] != "non-rumor"
    metrics = metrics.merge(broadcast_share(cascades), on=["item_id", "root"], how="left")
    metrics.attrs["report"] = cascades.attrs.get("report", {})
    metrics.attrs.update(provenance("casestudies.twitter16_cascades"))
    return cascades, metrics


def higgs_cascades(data_home: str | os.PathLike | None = None, *, hours: float | None = None,
                   rule: str = "first") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Retweet cascades about the Higgs boson announcement, rebuilt from the timestamped retweets.

    The SNAP files have no tweet ids, only who retweeted whom and when. The Higgs discovery is taken
    as one item spreading: a user adopts it at their first retweet on the topic, and their parent is
    the user they retweeted (``rule="first"``: the first one; see
    :func:`netlib.cascades.reconstruct_cascades`). A user retweeted before retweeting anyone is a
    root. Twitter credits a retweet to the original author, so depth here counts chains of users
    who retweeted someone and were themselves retweeted later, not retweets of retweets of one tweet.

    Parameters
    ----------
    data_home : path, optional
        See :func:`netlib.datasets.data_home`.
    hours : float, optional
        Keep only the first ``hours`` hours of the log (from its first retweet), to keep runs short.
    rule : {"first", "last", "strongest"}
        Attribution rule.

    Returns
    -------
    (cascades, metrics) : tuple of DataFrame
        The cascade table and :func:`netlib.cascades.cascade_metrics` plus ``broadcast_share``.

    References
    ----------
    M. De Domenico, A. Lima, P. Mougel, M. Musolesi, "The Anatomy of a Scientific Rumor", Scientific
    Reports 3, 2980 (2013).
    """
    from netlib.cascades import cascade_metrics, reconstruct_cascades
    from netlib.datasets import load_frames

    act = load_frames("higgs-twitter", "activity", data_home=data_home)["activity"]
    rt = act[act["type"] == "RT"]
    if hours is not None:
        if not hours > 0:
            raise ParameterError(f"hours must be positive; got {hours!r}")
        rt = rt[rt["timestamp"] < rt["timestamp"].min() + pd.Timedelta(hours=float(hours))]
    log = pd.DataFrame({"source": rt["user_b"].astype("string").to_numpy(),   # retweeted: information flows
                        "target": rt["user_a"].astype("string").to_numpy(),   # from user_b to user_a
                        "timestamp": rt["timestamp"].to_numpy()})
    cascades = reconstruct_cascades(log, rule=rule)
    metrics = cascade_metrics(cascades)
    metrics = metrics.merge(broadcast_share(cascades), on=["item_id", "root"], how="left")
    metrics.attrs["report"] = cascades.attrs.get("report", {})
    metrics.attrs.update(provenance("casestudies.higgs_cascades", hours=hours, rule=rule))
    return cascades, metrics


def broadcast_share(cascades: pd.DataFrame) -> pd.DataFrame:
    """Share of each cascade's adopters reached by its single largest broadcast.

    Goel et al. (2016) find that popularity is largely driven by the size of the largest broadcast:
    the most adopters any one node reached directly. This is that number (most children of one
    adopter) over the adopters other than the root.

    Parameters
    ----------
    cascades : DataFrame
        A cascade table (``item_id``, ``customer``, ``parent``, ``root``).

    Returns
    -------
    pandas.DataFrame
        Columns ``item_id``, ``root``, ``largest_broadcast`` (children of the most-followed adopter)
        and ``broadcast_share`` (that over size - 1; NaN for a cascade of one).

    References
    ----------
    S. Goel, A. Anderson, J. Hofman, D. J. Watts, "The structural virality of online diffusion",
    Management Science 62(1), 180-196 (2016).

    Examples
    --------
    >>> tab = pd.DataFrame({"item_id": "x", "customer": list("abcd"), "parent": [None, "a", "a", "b"],
    ...                     "root": "a"})
    >>> broadcast_share(tab)[["largest_broadcast", "broadcast_share"]].iloc[0].tolist()
    [2.0, 0.6666666666666666]
    """
    for col in ("item_id", "customer", "parent", "root"):
        if col not in cascades.columns:
            raise ParameterError(f"cascades: column {col!r} is missing (see reconstruct_cascades)")
    tab = cascades[["item_id", "customer", "parent", "root"]].copy()
    tab["item_id"] = tab["item_id"].astype("string")
    tab["root"] = tab["root"].astype("string")
    tab["parent"] = tab["parent"].astype("string")
    key = ["item_id", "root"]
    size = tab.groupby(key, dropna=False, sort=False).size().rename("size")
    kids = (tab.dropna(subset=["parent"]).groupby([*key, "parent"], dropna=False, sort=False).size()
            .groupby(level=[0, 1], dropna=False).max().rename("largest_broadcast"))
    out = pd.concat([size, kids], axis=1).reset_index()
    out["largest_broadcast"] = out["largest_broadcast"].fillna(0).astype("float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["broadcast_share"] = np.where(out["size"] > 1, out["largest_broadcast"] / (out["size"] - 1), np.nan)
    out["item_id"] = out["item_id"].astype("str").where(out["item_id"].notna(), pd.NA) if out["item_id"].isna().any() \
        else out["item_id"].astype("str")
    out["root"] = out["root"].astype("str")
    return out.drop(columns="size")


def virality_check(metrics: pd.DataFrame, *, min_size: int = 100) -> pd.Series:
    """Goel et al. (2016)'s findings about large cascades, measured on one set of cascades.

    They report (on a billion Twitter diffusion events) that large cascades are structurally diverse,
    that structural virality is typically low and stays low as size grows (popularity and structural
    virality are only weakly related), and that popularity is largely driven by the size of the
    largest broadcast.

    Parameters
    ----------
    metrics : DataFrame
        From :func:`netlib.cascades.cascade_metrics` with ``broadcast_share`` (as
        :func:`twitter16_cascades` and :func:`higgs_cascades` return).
    min_size : int
        A cascade is large from this many adopters (Goel et al. use 100).

    Returns
    -------
    pandas.Series
        ``large`` (count), ``sv_median``, ``sv_p10``, ``sv_p90`` (structural virality),
        ``depth_median``, ``spearman_size_sv`` and its ``p_size_sv``, ``broadcast_share_median`` and
        ``share_broadcast_majority`` (share of large cascades where one adopter directly reached more
        than half of the others).

    References
    ----------
    S. Goel, A. Anderson, J. Hofman, D. J. Watts, "The structural virality of online diffusion",
    Management Science 62(1), 180-196 (2016).
    """
    for col in ("size", "structural_virality", "depth", "broadcast_share"):
        if col not in metrics.columns:
            raise ParameterError(f"metrics: column {col!r} is missing (use twitter16_cascades or higgs_cascades)")
    big = metrics[metrics["size"] >= min_size]
    sv = big["structural_virality"].to_numpy(dtype=float)
    if len(big) >= 3:
        rho, p = stats.spearmanr(big["size"], sv)
    else:
        rho, p = math.nan, math.nan
    out = pd.Series({
        "large": len(big),
        "sv_median": float(np.median(sv)) if len(sv) else math.nan,
        "sv_p10": float(np.quantile(sv, 0.1)) if len(sv) else math.nan,
        "sv_p90": float(np.quantile(sv, 0.9)) if len(sv) else math.nan,
        "depth_median": float(big["depth"].median()) if len(big) else math.nan,
        "spearman_size_sv": float(rho), "p_size_sv": float(p),
        "broadcast_share_median": float(big["broadcast_share"].median()) if len(big) else math.nan,
        "share_broadcast_majority": float((big["broadcast_share"] > 0.5).mean()) if len(big) else math.nan,
    }, name=f"size >= {min_size}", dtype=object)
    out.attrs.update(provenance("casestudies.virality_check", min_size=min_size))
    return out


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


# --------------------------------------------------------------------------------------------------
# Case study 4: consumer trust networks
# --------------------------------------------------------------------------------------------------


def trust_table(G: nx.DiGraph, *, rating: str | None = None) -> pd.DataFrame:
    """Who is trusted: trust received and given, PageRank in the trust network, and rating received.

    Parameters
    ----------
    G : networkx.DiGraph
        Edges trustor -> trustee (CiaoDVD trust statements, Bitcoin OTC ratings).
    rating : str, optional
        Edge attribute with a signed rating (Bitcoin: -10..10). Then ``ratings_received``,
        ``mean_rating_received`` and ``negative_received`` are added, and only ratings above 0 count
        as trust (``trusted_by``, PageRank).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``, sorted by PageRank: ``trusted_by`` (in-degree of trust),
        ``trusts`` (out-degree), ``pagerank`` (Brin & Page 1998, damping 0.85, on the trust edges).

    References
    ----------
    S. Brin, L. Page, "The anatomy of a large-scale hypertextual Web search engine", WWW 1998.
    S. D. Kamvar, M. T. Schlosser, H. Garcia-Molina, "The EigenTrust algorithm for reputation management
    in P2P networks", WWW 2003.
    """
    from netlib.centrality import centrality

    if rating is not None:
        T = nx.DiGraph()
        T.add_nodes_from(G.nodes)
        T.add_edges_from((u, v) for u, v, d in G.edges(data=True) if d.get(rating, 0) > 0)
    else:
        T = G
    c = centrality(T, ["degree", "pagerank"], weight=None)
    out = pd.DataFrame({"trusted_by": c["in_degree"], "trusts": c["out_degree"], "pagerank": c["pagerank"]})
    if rating is not None:
        r = pd.DataFrame([(v, d[rating]) for _, v, d in G.edges(data=True)], columns=["customer_id", "r"])
        agg = r.groupby("customer_id")["r"].agg(ratings_received="size", mean_rating_received="mean",
                                               negative_received=lambda s: int((s < 0).sum()))
        agg.index = agg.index.astype(out.index.dtype) if len(agg) else agg.index
        out = out.join(agg)
        out["ratings_received"] = out["ratings_received"].fillna(0).astype("int64")
        out["negative_received"] = out["negative_received"].fillna(0).astype("int64")
    out = out.sort_values(["pagerank", "trusted_by"], ascending=False, kind="stable")
    out.attrs.update(provenance("casestudies.trust_table", rating=rating))
    return out


def social_proof(ratings: pd.DataFrame, trust: pd.DataFrame, *, robust: str | None = "HC1",
                 placebo_draws: int = 10, seed: SeedLike = None) -> dict[str, Any]:
    """Do the earlier ratings of the people a customer trusts predict the customer's own rating?

    For every rating (customer ``u`` rates item ``i`` at time ``t``) the earlier ratings of ``i`` are
    split into those by people ``u`` trusts (trust stated before ``t`` when trust has times) and those
    by everyone else. Ratings with at least one of each are kept, and
    ``rating ~ trusted_mean + others_mean`` is fitted by OLS (:func:`ols`). A positive coefficient on
    ``trusted_mean`` means that, at equal crowd opinion, customers rate closer to the people they
    trust: social proof in the sense of Cialdini (1984), or homophily (people trust those with the
    same taste). This association does not tell the two apart.

    Placebo: a trusted mean averages fewer ratings than the crowd mean, so its weight could differ
    for that reason alone. On the ratings with more other raters than trusted ones, the same
    number of other raters as ``u`` trusts is drawn at random, and the model is refitted with their
    mean in place of the trusted mean (and the mean of the remaining others as the crowd), averaged
    over ``placebo_draws`` draws. The trusted coefficient on that subset is compared with the
    placebo coefficient.

    Parameters
    ----------
    ratings : DataFrame
        Columns ``user``, ``item``, ``rating``, ``time``.
    trust : DataFrame
        Columns ``trustor``, ``trustee`` and optionally ``time`` (when the trust was stated).
    robust : {"HC1", "HC0", None}
        Standard errors, see :func:`ols`.
    placebo_draws : int
        Random draws averaged for the placebo coefficient.
    seed : int, Generator or None
        Randomness of the placebo draws.

    Returns
    -------
    dict
        ``"fit"`` (the :func:`ols` table), ``"placebo_fit"`` (the first placebo draw's model) and
        ``"subset_fit"`` (the real model on the placebo's subset), ``"rows"`` (the ratings used, with ``trusted_mean``,
        ``others_mean``, ``trusted_n``, ``others_n``), ``"summary"`` (a Series: ``ratings``,
        ``used``, ``coef_trusted``, ``se_trusted``, ``p_trusted``, ``coef_others``, ``r2``, and
        ``mae_trusted`` / ``mae_others``, the mean absolute gap between the rating and each mean,
        ``placebo_used``, ``coef_trusted_subset``, ``se_trusted_subset``, ``coef_placebo`` (mean over the
        draws), ``sd_placebo_draws`` and ``se_placebo`` (of the first draw)).

    References
    ----------
    R. B. Cialdini, *Influence: The Psychology of Persuasion* (1984).
    M. McPherson, L. Smith-Lovin, J. M. Cook, "Birds of a feather: homophily in social networks",
    Annual Review of Sociology 27, 415-444 (2001).
    """
    for col in ("user", "item", "rating", "time"):
        if col not in ratings.columns:
            raise ParameterError(f"ratings: column {col!r} is missing; found {list(ratings.columns)}")
    for col in ("trustor", "trustee"):
        if col not in trust.columns:
            raise ParameterError(f"trust: column {col!r} is missing; found {list(trust.columns)}")
    r = ratings[["user", "item", "rating", "time"]].dropna().reset_index(drop=True)
    r["row"] = np.arange(len(r))
    # every pair (rating, earlier rating of the same item by someone else)
    pairs = r.merge(r[["item", "user", "rating", "time"]].rename(columns={"user": "other", "rating": "other_rating",
                                                                          "time": "other_time"}), on="item")
    pairs = pairs[(pairs["other_time"] < pairs["time"]) & (pairs["other"] != pairs["user"])]
    tcols = ["trustor", "trustee"] + (["time"] if "time" in trust.columns else [])
    t = trust[tcols].drop_duplicates(subset=["trustor", "trustee"], keep="first")
    t = t.rename(columns={"trustor": "user", "trustee": "other", "time": "trust_time"})
    pairs = pairs.merge(t, on=["user", "other"], how="left", indicator=True)
    trusted = pairs["_merge"].eq("both").to_numpy()
    if "trust_time" in pairs.columns:
        trusted = trusted & (pairs["trust_time"] < pairs["time"]).fillna(False).to_numpy(dtype=bool)
    pairs["trusted"] = trusted
    agg = pairs.groupby(["row", "trusted"])["other_rating"].agg(["mean", "size"]).unstack("trusted")
    for flag in (True, False):
        if ("mean", flag) not in agg.columns:
            agg[("mean", flag)] = np.nan
            agg[("size", flag)] = 0
    rows = r.set_index("row").join(pd.DataFrame({
        "trusted_mean": agg[("mean", True)], "trusted_n": agg[("size", True)].fillna(0),
        "others_mean": agg[("mean", False)], "others_n": agg[("size", False)].fillna(0)}))
    used = rows.dropna(subset=["trusted_mean", "others_mean"]).copy()
    used["trusted_n"] = used["trusted_n"].astype("int64")
    used["others_n"] = used["others_n"].astype("int64")
    if len(used) < 4:
        raise ParameterError(f"social_proof: only {len(used)} ratings have earlier ratings by both trusted and "
                             "other customers; too few to fit")
    fit = ols(used["rating"], used[["trusted_mean", "others_mean"]], robust=robust)
    # placebo: as many random other raters as the customer trusts, on rows with enough others
    rng = as_rng(seed)
    sub = used[used["others_n"] > used["trusted_n"]]
    others = pairs.loc[~pairs["trusted"] & pairs["row"].isin(sub.index), ["row", "other_rating"]].reset_index(drop=True)
    need = others["row"].map(sub["trusted_n"]).to_numpy()
    subset_fit = placebo_fit = None
    coefs = []
    if len(sub) >= 4:
        subset_fit = ols(sub["rating"], sub[["trusted_mean", "others_mean"]], robust=robust)
        for _ in range(int(placebo_draws)):
            rank = others.assign(key=rng.random(len(others))).groupby("row")["key"].rank(method="first").to_numpy()
            pm = others.groupby([others["row"], rank <= need])["other_rating"].mean().unstack()
            draw = sub.assign(pseudo_mean=pm[True], rest_mean=pm[False])
            fit_d = ols(draw["rating"], draw[["pseudo_mean", "rest_mean"]], robust=robust)
            placebo_fit = fit_d if placebo_fit is None else placebo_fit
            coefs.append(float(fit_d.loc["pseudo_mean", "coef"]))
    extra = {"placebo_used": len(sub),
             "coef_trusted_subset": float(subset_fit.loc["trusted_mean", "coef"]) if subset_fit is not None else math.nan,
             "se_trusted_subset": float(subset_fit.loc["trusted_mean", "se"]) if subset_fit is not None else math.nan,
             "coef_placebo": float(np.mean(coefs)) if coefs else math.nan,
             "sd_placebo_draws": float(np.std(coefs, ddof=1)) if len(coefs) > 1 else math.nan,
             "se_placebo": float(placebo_fit.loc["pseudo_mean", "se"]) if placebo_fit is not None else math.nan}
    summary = pd.Series({
        "ratings": len(r), "used": len(used),
        "coef_trusted": float(fit.loc["trusted_mean", "coef"]), "se_trusted": float(fit.loc["trusted_mean", "se"]),
        "p_trusted": float(fit.loc["trusted_mean", "p"]), "coef_others": float(fit.loc["others_mean", "coef"]),
        "se_others": float(fit.loc["others_mean", "se"]), "r2": float(fit.attrs["r2"]),
        "mae_trusted": float((used["rating"] - used["trusted_mean"]).abs().mean()),
        "mae_others": float((used["rating"] - used["others_mean"]).abs().mean()),
        **extra,
    }, name="social_proof", dtype=object)
    summary.attrs.update(provenance("casestudies.social_proof", robust=robust, placebo_draws=placebo_draws,
                                    seed=seed))
    return {"fit": fit, "subset_fit": subset_fit, "placebo_fit": placebo_fit, "rows": used, "summary": summary}


# --------------------------------------------------------------------------------------------------
# Case study 5: temporal messages
# --------------------------------------------------------------------------------------------------


def reach_by_start(interactions: pd.DataFrame, sources: Sequence[Any], starts: Sequence[Any], *,
                   strict: bool = True) -> pd.DataFrame:
    """How many customers something said by each source at each start time could reach in time order.

    Parameters
    ----------
    interactions : DataFrame
        Columns ``source``, ``target``, ``timestamp``.
    sources : sequence of customer ids
    starts : sequence of timestamps
        Only messages at or after the start carry the news (see
        :func:`netlib.cascades.earliest_arrival`).
    strict : bool
        See :func:`netlib.cascades.earliest_arrival`.

    Returns
    -------
    pandas.DataFrame
        One row per (``source``, ``start``): ``reached`` (customers reached, the source excluded) and
        ``median_hops``.

    References
    ----------
    P. Holme, J. Saramäki, "Temporal networks", Physics Reports 519(3), 97-125 (2012).
    """
    from netlib.cascades import earliest_arrival

    rows = []
    for s in sources:
        for start in starts:
            ea = earliest_arrival(interactions, s, start=start, strict=strict)
            hops = ea["hops"].to_numpy()[ea["hops"].to_numpy() > 0]
            rows.append({"source": str(s), "start": start, "reached": len(hops),
                         "median_hops": float(np.median(hops)) if len(hops) else math.nan})
    out = pd.DataFrame(rows)
    out.attrs.update(provenance("casestudies.reach_by_start", strict=strict))
    return out
