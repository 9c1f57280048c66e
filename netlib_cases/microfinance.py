"""Case study 1, the diffusion of microfinance (Banerjee, Chandrasekhar, Duflo & Jackson 2013):
leader centralities per village, the paper's cross-village regressions, and what influence
maximisation would have seeded instead."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from netlib._util import SeedLike, as_rng, int_seed, provenance
from netlib.centrality import centrality
from netlib.errors import ParameterError
from netlib_cases._stats import ols

__all__ = ["diffusion_centrality", "village_table", "leader_regressions", "seeding_comparison"]


def _adjacency(G: nx.Graph, nodes: list) -> sp.csr_array:
    """The unweighted adjacency in ``nodes`` order, without self-loops."""
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


def diffusion_centrality(G: nx.Graph, *, q: float | None = None, T: int = 5) -> pd.DataFrame:
    """Diffusion centrality of Banerjee et al. (2013): measure ``"diffusion"`` of :func:`netlib.centrality`.

    A thin wrapper kept for the case study: ``DC = sum_{t=1..T} (q A)^t 1`` on the unweighted ties,
    ``q`` defaulting to ``1 / lambda_1``. See :func:`netlib.centrality` (``diffusion_q``,
    ``diffusion_T``) for the definition and its limits.

    Parameters
    ----------
    G : networkx graph
        Ties, unweighted (weights and self-loops are ignored). Directed edges point the way news
        travels.
    q : float, optional
        Passing probability per tie and round. Default ``1 / lambda_1``.
    T : int
        Number of rounds. The paper uses the number of trimesters each village was exposed to the
        lender (between 3 and 8); the public household extract has no timing, so the case study
        uses one ``T`` for every village and shows how results move with it.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` (canonical node order), column ``diffusion_centrality``;
        ``attrs`` records ``q``, ``T``, ``lambda_1`` and provenance.

    References
    ----------
    A. Banerjee, A. G. Chandrasekhar, E. Duflo, M. O. Jackson, "The Diffusion of Microfinance",
    Science 341(6144), 1236498 (2013).

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib_cases as cs
    >>> dc = cs.diffusion_centrality(nx.path_graph(3), T=1)["diffusion_centrality"]   # lambda_1 = sqrt(2)
    >>> [round(v * 2 ** 0.5, 6) for v in dc]        # T = 1: degree
    [1.0, 2.0, 1.0]
    """
    c = centrality(G, "diffusion", weight=None, diffusion_q=q, diffusion_T=T)
    out = pd.DataFrame({"diffusion_centrality": c["diffusion"].to_numpy()}, index=c.index)
    info = c.attrs["diffusion"]
    out.attrs = {**provenance("casestudies.diffusion_centrality", q=info["q"], T=info["T"]), **info}
    return out


def _village_dc(G: nx.Graph, members: list, lam: float, q: float | None, T: int) -> np.ndarray:
    """Diffusion centrality within one village, in the order of ``members`` (NaN without ties and q)."""
    if q is None:
        if not lam > 0:
            return np.full(len(members), math.nan)
        q = 1.0 / lam
    dc = centrality(G.subgraph(members), "diffusion", weight=None, diffusion_q=q, diffusion_T=T)["diffusion"]
    return dc.reindex(members).to_numpy()


def village_table(G: nx.Graph, *, T: int = 5, q: float | None = None, village: str = "village",
                  leader: str = "leader", adopted: str = "loan") -> pd.DataFrame:
    """One row per village: size, leaders, take-up among non-leaders, and the leaders' centralities.

    For each village (the subgraph of its households) the centralities of every household are
    computed and averaged over the village's leaders (the households the lender informed first), as
    in Banerjee et al. (2013): diffusion centrality (measure ``"diffusion"`` of
    :func:`netlib.centrality`, ``q = 1 / lambda_1`` of the village unless ``q`` is given),
    eigenvector centrality (unit Euclidean norm within the village, so it is comparable across
    villages only up to the village's size, which the regressions control for) and degree (number
    of ties).

    Parameters
    ----------
    G : networkx.Graph
        Households with node attributes ``village``, ``leader`` (1 = informed first) and ``loan``
        (1 = took up microfinance), as :func:`netlib.datasets.microfinance` returns.
    T, q
        Rounds and passing probability of diffusion centrality (see :func:`diffusion_centrality`).
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
        dc = _village_dc(G, [nodes[i] for i in idx], lam, q, int(T))
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


