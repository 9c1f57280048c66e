"""The influencers table: who is influential here, and why. See :func:`influencers`."""

from __future__ import annotations

from typing import Any, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from netlib._csr import is_graph, to_csr
from netlib._spread import run_base, setup
from netlib._util import MISSING, SeedLike, as_rng, lazy_module, progress as _progress, provenance, renamed_keyword
from netlib.errors import ParameterError
from netlib.influence._ris import Sampler, check_rr_model

K = lazy_module("netlib._kernels")

__all__ = ["influencers"]

_LABELS = {
    "expected_reach": "expected reach",
    "reach_2hop": "2-hop reach",
    "reach_1hop": "1-hop reach",
    "out_strength": "out-strength",
    "out_degree": "out-degree",
    "betweenness": "betweenness",
    "pagerank": "PageRank",
    "katz": "Katz",
    "core": "k-core",
    "closeness": "closeness",
}


def _fmt(measure: str, value: float) -> str:
    if measure in ("reach_1hop", "reach_2hop"):
        return f"{value:.1%} of network"
    if measure == "expected_reach":
        return f"{value:.1f} customers"
    if measure in ("out_degree", "core"):
        return f"{int(value)}"
    if measure == "out_strength":
        return f"{value:.4g}"
    return f"{value:.3g}"


def influencers(G: nx.Graph, top: int | None = 10, *, by: Sequence[str] = ("expected_reach", "reach_2hop",
                "out_strength", "betweenness"), model: str = "ic", p: Any = None, weight: str | None = "weight",
                partition: pd.Series | None = None, rr_sets: int | None = None, seed: SeedLike = None,
                progress: bool | None = None, communities: Any = MISSING, k: Any = MISSING,
                **centrality_kwargs: Any) -> pd.DataFrame:
    """Rank customers by influence and say why each ranks where it does.

    Parameters
    ----------
    G : networkx graph
        Directed edges point the way influence flows (``source`` shares with ``target``).
    top : int or None
        Rows shown: the ``top`` customers by score (None: every customer). Every customer is
        ranked either way.
    by : sequence of str
        Columns whose percentile ranks are averaged into ``score``. Any of ``expected_reach``,
        ``reach_1hop``, ``reach_2hop``, ``out_degree``, ``out_strength``, ``betweenness``,
        ``pagerank``, ``katz``, ``core``, ``closeness``.
    model, p : optional
        Cascade model behind ``expected_reach`` (``"ic"`` or ``"lt"``; ``p`` as in
        :func:`netlib.simulate`, by default weighted cascade).
    weight : str or None
        Edge attribute for strengths, PageRank and LT weights.
    partition : Series, optional
        Customer → community id (e.g. from :func:`netlib.communities`); adds a ``community``
        column.
    rr_sets : int, optional
        Reverse-reachable sets behind ``expected_reach`` (default ``max(200_000, 20 n)``, at most
        5 million); its standard error is in ``expected_reach_se``.
    seed : int, numpy Generator or None
        Randomness (RR sets, sampled betweenness).
    progress : bool or None
        Progress bar.
    communities, k
        The old names of ``partition`` and ``top``, kept for one release (``DeprecationWarning``).
    **centrality_kwargs
        Passed to :func:`netlib.centrality.centrality` (e.g. ``epsilon``, ``exact``).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` in rank order: ``rank``, ``score`` (mean percentile over ``by``,
        1 = top on all), ``expected_reach`` and ``expected_reach_se`` (customers reached when
        seeded alone), ``reach_1hop`` and ``reach_2hop`` (share of the other customers within 1 and 2
        out-hops), ``out_degree``, ``out_strength``, ``pagerank``, ``betweenness``, ``core``,
        ``community`` (when given) and ``why`` (the customer's rank on each measure in ``by``, best
        first). ``df.attrs`` holds provenance and how betweenness was computed.

    Notes
    -----
    ``expected_reach`` of every customer comes from one collection of RR sets: a customer's share of
    the sets it appears in, times n, estimates its expected reach (Borgs et al. 2014). The sets are
    drawn by subset sampling (Guo et al. 2020) and counted per customer as they are drawn, never
    kept, so memory stays proportional to the number of customers however large the sets are.

    References
    ----------
    .. [1] Borgs, Brautbar, Chayes & Lucier (2014). Maximizing social influence in nearly optimal time. SODA.
    .. [2] Guo, Wang, Wei & Chen (2020). Influence maximization revisited: efficient reverse
       reachable set generation with bound tightened. SIGMOD.
    .. [3] Kempe, Kleinberg & Tardos (2003). Maximizing the spread of influence through a social network. KDD.

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.DiGraph([(0, 1), (0, 2), (0, 3), (1, 4)])
    >>> nl.influencers(G, top=2, p=1.0, seed=1).index.tolist()
    [0, 1]
    """
    from netlib.centrality import centrality

    top, top_name = renamed_keyword("influencers", "k", "top", k, top, 10)
    partition, partition_name = renamed_keyword("influencers", "communities", "partition", communities,
                                                partition, None)
    allowed = set(_LABELS)
    by = [by] if isinstance(by, str) else list(by)
    bad = [b for b in by if b not in allowed]
    if bad or not by:
        raise ParameterError(f"influencers: cannot rank by {bad or by}; choose from {sorted(allowed)}")
    if top is not None and (isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1):
        raise ParameterError(f"{top_name} must be a positive whole number or None; got {top!r}")
    check_rr_model(model, "influencers")
    rng = as_rng(seed)
    if not is_graph(G):
        raise ParameterError(f"G must be a networkx graph; got {type(G).__name__}")
    shared = to_csr(G, weight=weight)  # one conversion for the centralities and the cascade model
    spec = setup(G, model, p=p, weight=weight, csr=shared)
    c = spec.csr
    n = c.n
    measures = ["degree", "strength", "pagerank", "betweenness", "core"]
    measures += [m for m in ("katz", "closeness") if m in by]
    cen = centrality(G, measures, weight=weight, seed=rng, _csr=shared, **centrality_kwargs)
    df = pd.DataFrame(index=cen.index)
    if n:
        theta = int(rr_sets) if rr_sets is not None else int(min(max(200_000, 20 * n), 5_000_000))
        if theta < 1:
            raise ParameterError(f"rr_sets must be positive; got {rr_sets!r}")
        sampler = Sampler(spec)
        base = run_base(rng)
        cov = np.zeros(n)
        step = max(theta // 20, 100_000)
        with _progress(total=theta, progress=progress, desc="RR sets", unit="set") as bar:
            for start in range(0, theta, step):  # sets are counted per node as drawn, never kept
                cnt = min(step, theta - start)
                cov += sampler.draw(start, cnt, base, sampler.mask(), 2)[2]
                bar.update(cnt)
        df["expected_reach"] = n * cov / theta
        df["expected_reach_se"] = n * np.sqrt(cov * (1 - cov / theta)) / theta
        r1, r2 = K.two_hop_reach(c.indptr, c.indices, K.num_threads())
        denom = max(n - 1, 1)
        df["reach_1hop"] = r1 / denom
        df["reach_2hop"] = r2 / denom
    else:
        for col in ("expected_reach", "expected_reach_se", "reach_1hop", "reach_2hop"):
            df[col] = pd.Series(dtype="float64")
    for col in ("out_degree", "out_strength", "pagerank", "betweenness", "core", "katz", "closeness"):
        if col in cen.columns:
            df[col] = cen[col]
    if partition is not None:
        if not isinstance(partition, pd.Series):
            raise ParameterError(f"{partition_name} must be a pandas Series customer -> community id; "
                                 f"got {type(partition).__name__}")
        df["community"] = partition.reindex(df.index).to_numpy()
    ranks = pd.DataFrame({b: df[b].rank(ascending=False, method="min") for b in by}, index=df.index)
    pct = pd.DataFrame({b: df[b].rank(ascending=True, method="average", pct=True) for b in by}, index=df.index)
    df.insert(0, "score", pct.mean(axis=1) if n else pd.Series(dtype="float64"))
    position = pd.Series(np.arange(n), index=df.index)
    order = np.lexsort((position.to_numpy(), -df["score"].to_numpy())) if n else np.zeros(0, dtype=int)
    df = df.iloc[order]
    ranks = ranks.iloc[order]
    df.insert(0, "rank", np.arange(1, n + 1))

    if top is not None:
        df, ranks = df.iloc[:top], ranks.iloc[:top]
    # each customer's measures, best rank first (read column by column: a million customers take seconds)
    by_rank = zip(*(ranks[b].to_numpy().astype(np.int64).tolist() for b in by))
    values = zip(*(df[b].tolist() for b in by))
    df["why"] = ["; ".join(f"#{r} by {_LABELS[b]} ({_fmt(b, v)})" for r, b, v in sorted(zip(rs, by, vs)))
                 for rs, vs in zip(by_rank, values)]
    df.index.name = "customer_id"
    df.attrs["provenance"] = provenance("influencers", top=top, by=by, model=spec.model, weight=weight, seed=seed,
                                        rr_sets=rr_sets, **spec.params)
    df.attrs["betweenness"] = cen.attrs.get("betweenness")
    return df
