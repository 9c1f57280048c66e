"""How good a partition is: modularity, coverage, performance, conductance, agreement with truth."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netlib._util import provenance
from netlib.community._ties import _check_resolution, _membership, _modularity_codes, _Ties, _to_ties
from netlib.errors import ParameterError

__all__ = ["modularity", "partition_quality", "PartitionQuality"]


def modularity(G: nx.Graph, partition: Any, *, weight: str | None = "weight", resolution: float = 1.0,
               directed: str = "symmetrize") -> float:
    """Modularity of a partition (Newman & Girvan 2004), with resolution γ.

    ``Q = Σ_c [ L_c / m − γ (d_c / 2m)² ]`` where ``m`` is the total tie weight, ``L_c`` the weight
    inside community ``c`` and ``d_c`` the summed degree of its members. For directed graphs with
    ``directed="directed"``: Leicht & Newman (2008), ``Q = Σ_c [ L_c / m − γ out_c in_c / m² ]``.

    Parameters
    ----------
    G : networkx graph
    partition : Series, dict or iterable of node sets
        Customer → community (any hashable labels), or groups of customers. Every node of ``G``
        must be placed exactly once.
    weight : str or None
        Edge attribute holding tie strength (None: every tie weighs 1).
    resolution : float
        γ > 0.
    directed : {"symmetrize", "directed"}
        For directed graphs: modularity of the symmetrised graph (summed weights; what
        :func:`communities` optimises by default) or directed modularity (what networkx computes
        for a DiGraph).

    Returns
    -------
    float
        NaN when the graph has no ties (modularity is undefined).

    Raises
    ------
    ParameterError
        The partition misses a node, places one twice or names nodes not in the graph.

    References
    ----------
    M. E. J. Newman, M. Girvan, "Finding and evaluating community structure in networks",
    Phys. Rev. E 69, 026113 (2004).

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.barbell_graph(3, 0)  # two triangles joined by one tie
    >>> round(nl.modularity(G, [{0, 1, 2}, {3, 4, 5}]), 4)
    0.3571
    >>> round(nl.modularity(G, {0: "a", 1: "a", 2: "a", 3: "b", 4: "b", 5: "b"}, resolution=2.0), 4)
    -0.1429
    """
    res = _check_resolution(resolution)
    ties = _to_ties(G, weight, directed)
    if ties.n == 0:
        return math.nan
    return _modularity_codes(ties, _membership(ties, partition), res)


def _per_community(ties: _Ties, memb: np.ndarray) -> pd.DataFrame:
    """Structural counts per community code on the undirected (symmetrised) view."""
    k = int(memb.max()) + 1 if memb.size else 0
    cu, cv = memb[ties.u], memb[ties.v]
    same = cu == cv
    size = np.bincount(memb, minlength=k)
    internal_ties = np.bincount(cu[same], minlength=k)
    external_ties = np.bincount(cu[~same], minlength=k) + np.bincount(cv[~same], minlength=k)
    internal_w = np.bincount(cu[same], ties.w[same], k) + np.bincount(memb, ties.loops, k)
    cut_w = np.bincount(cu[~same], ties.w[~same], k) + np.bincount(cv[~same], ties.w[~same], k)
    volume = np.bincount(memb, ties.degree, k)
    total_volume = volume.sum()
    denom = np.minimum(volume, total_volume - volume)
    with np.errstate(divide="ignore", invalid="ignore"):
        conductance = np.where(denom > 0, cut_w / np.where(denom > 0, denom, 1.0), np.nan)
        pairs = size * (size - 1) / 2.0
        density = np.where(pairs > 0, internal_ties / np.where(pairs > 0, pairs, 1.0), np.nan)
    return pd.DataFrame({
        "size": size.astype(np.int64),
        "internal_ties": internal_ties.astype(np.int64),
        "external_ties": external_ties.astype(np.int64),
        "internal_weight": internal_w,
        "external_weight": cut_w,
        "volume": volume,
        "density": density,
        "conductance": conductance,
    }, index=pd.RangeIndex(k, name="community"))


@dataclass
class PartitionQuality:
    """Scores of one partition (see :func:`partition_quality`).

    Attributes
    ----------
    summary : pandas.Series
        ``n_communities``, ``modularity``, ``coverage``, ``performance``, ``mean_conductance``
        (size-weighted) and, when ground truth was given, ``nmi``, ``ami``, ``ari`` and
        ``n_compared`` (customers present in both).
    communities : pandas.DataFrame
        One row per community (the partition's own labels as index): size, internal and
        external ties and weight, volume, density and conductance.
    """

    summary: pd.Series
    communities: pd.DataFrame
    attrs: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        items = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in self.summary.items())
        return f"PartitionQuality({items})"


def _truth_scores(nodes: list, memb: np.ndarray, truth: Any) -> dict[str, float]:
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score, normalized_mutual_info_score

    if isinstance(truth, pd.Series):
        t = truth
    elif isinstance(truth, Mapping):
        t = pd.Series(truth, dtype=object)
    else:
        raise ParameterError(f"truth must be a Series or dict customer -> label; got {type(truth).__name__}")
    if not t.index.is_unique:
        raise ParameterError("truth: customer ids must be unique")
    pred = pd.Series(memb, index=pd.Index(nodes, dtype=object))
    t = t.copy()
    t.index = pd.Index(list(t.index), dtype=object)
    common = pred.index.intersection(t.index[t.notna()], sort=False)
    if len(common) == 0:
        raise ParameterError("truth: no customer of the graph has a ground-truth label")
    a = pd.factorize(t.loc[common].astype(object))[0]
    b = pred.loc[common].to_numpy()
    return {
        "nmi": float(normalized_mutual_info_score(a, b)),
        "ami": float(adjusted_mutual_info_score(a, b)),
        "ari": float(adjusted_rand_score(a, b)),
        "n_compared": int(len(common)),
    }


def partition_quality(G: nx.Graph, partition: Any, *, truth: Any = None, weight: str | None = "weight",
                      resolution: float = 1.0, directed: str = "symmetrize") -> PartitionQuality:
    """Quality table of a partition: global scores, per-community conductance, agreement with truth.

    Parameters
    ----------
    G : networkx graph
    partition : Series, dict or iterable of node sets
        As for :func:`modularity`.
    truth : Series or dict, optional
        Known labels per customer (e.g. planted communities). Scores are computed on the
        customers present in both; customers without a label are left out.
    weight, resolution, directed
        As for :func:`modularity` (``directed`` only affects the modularity score; the other
        scores use the symmetrised graph).

    Returns
    -------
    PartitionQuality
        ``coverage``: share of tie weight inside communities (Fortunato 2010).
        ``performance``: share of customer pairs classified right — tied pairs inside a
        community plus untied pairs across communities, over all pairs (unweighted, as in
        networkx). ``conductance`` of community S: cut weight / min(vol S, vol rest) (Kannan,
        Vempala & Vetta 2004); low is better. ``nmi`` (arithmetic normalisation), ``ami``
        (Vinh, Epps & Bailey 2010) and ``ari`` (Hubert & Arabie 1985) from scikit-learn.

    Raises
    ------
    ParameterError
        The graph has no customers, the partition does not place every customer exactly once,
        or ``truth`` is not customer -> label or shares no customer with the graph.

    References
    ----------
    S. Fortunato, "Community detection in graphs", Physics Reports 486, 75-174 (2010).

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.barbell_graph(4, 1)  # two 4-cliques joined through customer 4
    >>> quality = nl.partition_quality(G, nl.communities(G, seed=0))
    >>> quality
    PartitionQuality(n_communities=2, modularity=0.426, coverage=0.9286, performance=0.8889, mean_conductance=0.07692)
    >>> quality.communities[["size", "internal_ties", "external_ties"]]  # doctest: +NORMALIZE_WHITESPACE
               size  internal_ties  external_ties
    community
    0             5              7              1
    1             4              6              1
    """
    res = _check_resolution(resolution)
    ties = _to_ties(G, weight, directed)
    if ties.n == 0:
        raise ParameterError("partition_quality: the graph has no customers")
    memb, labels = _membership(ties, partition, with_labels=True)
    table = _per_community(ties, memb)
    table.index = pd.Index(labels, name="community")
    table = _sorted_by_label(table)
    n = ties.n
    m_w = float(ties.w.sum() + ties.loops.sum())
    same = memb[ties.u] == memb[ties.v]
    coverage = float((ties.w[same].sum() + ties.loops.sum()) / m_w) if m_w > 0 else math.nan
    pairs = n * (n - 1) / 2.0
    if pairs > 0:
        sizes = table["size"].to_numpy(dtype=np.float64)
        same_pairs = float(np.sum(sizes * (sizes - 1) / 2.0))
        intra = int(same.sum())
        inter_edges = int((~same).sum())
        performance = (intra + (pairs - same_pairs - inter_edges)) / pairs
    else:
        performance = math.nan
    cond = table["conductance"].to_numpy()
    ok = np.isfinite(cond)
    mean_cond = float(np.average(cond[ok], weights=table["size"].to_numpy()[ok])) if ok.any() else math.nan
    summary: dict[str, Any] = {
        "n_communities": int(len(table)),
        "modularity": _modularity_codes(ties, memb, res),
        "coverage": coverage,
        "performance": float(performance),
        "mean_conductance": mean_cond,
    }
    if truth is not None:
        summary.update(_truth_scores(ties.nodes, memb, truth))
    attrs = provenance("partition_quality", weight=weight, resolution=res, directed=directed,
                       truth=truth is not None)
    table.attrs.update(attrs)
    return PartitionQuality(pd.Series(summary, dtype=object, name="quality"), table, attrs)


def _sorted_by_label(table: pd.DataFrame) -> pd.DataFrame:
    """Rows in label order when labels compare (ints, strings), else as they came."""
    try:
        return table.sort_index()
    except TypeError:
        return table

