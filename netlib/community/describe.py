"""Communities described for analysts: profiles, bridges and the community meta-graph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from netlib._api import stamp
from netlib.community._ties import _membership, _Ties, _to_ties
from netlib.community.quality import _per_community, _sorted_by_label
from netlib.errors import ParameterError

__all__ = ["community_profiles", "community_bridges", "community_graph"]


def _node_by_community(ties: _Ties, memb: np.ndarray, k: int) -> sp.csr_array:
    """``W[i, c]``: tie weight from customer i to members of community c (self-loops left out)."""
    rows = np.concatenate([ties.u, ties.v])
    cols = np.concatenate([memb[ties.v], memb[ties.u]])
    vals = np.concatenate([ties.w, ties.w])
    return sp.csr_array((vals, (rows, cols)), shape=(ties.n, k))


def _bridge_table(ties: _Ties, memb: np.ndarray, labels: list) -> pd.DataFrame:
    k = len(labels)
    W = _node_by_community(ties, memb, k)
    strength = np.asarray(W.sum(axis=1)).ravel()
    own = W[np.arange(ties.n), memb] if ties.n else np.zeros(0)
    own = np.asarray(own).ravel()
    external = strength - own
    squares = np.asarray(W.multiply(W).sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        participation = np.where(strength > 0, 1.0 - squares / np.where(strength > 0, strength, 1.0) ** 2, 0.0)
        share = np.where(strength > 0, external / np.where(strength > 0, strength, 1.0), 0.0)
    Wb = W.copy()
    Wb.data = (Wb.data > 0).astype(np.float64)
    reached = np.asarray(Wb.sum(axis=1)).ravel() - (own > 0)
    label_arr = np.empty(k, dtype=object)
    label_arr[:] = labels
    return pd.DataFrame({
        "community": label_arr[memb] if ties.n else np.zeros(0, dtype=object),
        "degree": strength,
        "external_weight": np.clip(external, 0.0, None),
        "external_share": np.clip(share, 0.0, 1.0),
        "other_communities": reached.astype(np.int64),
        "participation": np.clip(participation, 0.0, 1.0),
    }, index=ties.customer_index)


def _labels_column(values: list):
    """Community labels as an int column when they are ints, else object."""
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
        return np.asarray(values, dtype=np.int64)
    return np.asarray(values, dtype=object)


def community_bridges(G: nx.Graph, partition: Any, *, weight: str | None = "weight") -> pd.DataFrame:
    """Customers who tie communities together, most bridging first.

    Parameters
    ----------
    G : networkx graph (directed graphs are symmetrised with summed weights)
    partition : Series, dict or iterable of node sets
    weight : str or None

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``, only customers with at least one tie outside their own
        community: ``community``, ``degree`` (tie weight), ``external_weight``,
        ``external_share``, ``other_communities`` (how many other communities they are tied to)
        and ``participation``, the participation coefficient of Guimerà & Amaral (2005),
        ``1 − Σ_c (k_ic / k_i)²``: 0 when all ties stay inside one community, near 1 when they are
        spread over many. Sorted by participation, then external weight (descending).

    Raises
    ------
    ParameterError
        The partition does not place every customer exactly once, or weights are negative or
        not finite.

    References
    ----------
    R. Guimerà, L. A. N. Amaral, "Functional cartography of complex metabolic networks",
    Nature 433, 895-900 (2005).

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.barbell_graph(4, 1)  # two 4-cliques joined through customer 4
    >>> part = nl.communities(G, seed=0)
    >>> nl.community_bridges(G, part)[["community", "external_share", "participation"]]  # doctest: +NORMALIZE_WHITESPACE
                 community  external_share  participation
    customer_id
    4                    0            0.50          0.500
    5                    1            0.25          0.375
    """
    ties = _to_ties(G, weight)
    memb, labels = _membership(ties, partition, with_labels=True)
    table = _bridge_table(ties, memb, labels)
    table["community"] = _labels_column(list(table["community"]))
    table = table[table["external_weight"] > 0]
    order = np.lexsort((np.arange(len(table)), -table["external_weight"].to_numpy(),
                        -table["participation"].to_numpy()))
    table = table.iloc[order]
    stamp(table, "community_bridges", weight=weight)
    return table


def _ranking(ties: _Ties, centrality: Any, rank_by: str | None) -> tuple[np.ndarray, str]:
    """Score per position to rank members by, and its name."""
    if centrality is None:
        return ties.degree, "degree" if ties.w.size == 0 or np.all(ties.w == 1.0) else "weighted degree"
    if isinstance(centrality, pd.DataFrame):
        if rank_by is None:
            numeric = [c for c in centrality.columns if pd.api.types.is_numeric_dtype(centrality[c])]
            if len(numeric) != 1:
                raise ParameterError(
                    f"centrality has {len(numeric)} numeric columns {numeric}; say which one with rank_by=")
            rank_by = numeric[0]
        if rank_by not in centrality.columns:
            raise ParameterError(f"rank_by={rank_by!r} is not a column of centrality; found {list(centrality.columns)}")
        scores, name = centrality[rank_by], str(rank_by)
    elif isinstance(centrality, pd.Series):
        scores, name = centrality, str(centrality.name) if centrality.name is not None else "centrality"
    elif isinstance(centrality, Mapping):
        scores, name = pd.Series(centrality, dtype=np.float64), "centrality"
    else:
        raise ParameterError(f"centrality must be a Series, dict or DataFrame; got {type(centrality).__name__}")
    if not pd.api.types.is_numeric_dtype(scores):
        raise ParameterError(f"centrality {name!r} must be numeric; found dtype {scores.dtype}")
    aligned = pd.Series(scores.to_numpy(dtype=np.float64), index=pd.Index(list(scores.index), dtype=object))
    values = aligned.reindex(pd.Index(ties.nodes, dtype=object)).to_numpy(dtype=np.float64)
    return np.where(np.isnan(values), -np.inf, values), name


def _top(positions: np.ndarray, score: np.ndarray, top: int, nodes: list) -> list:
    order = positions[np.lexsort((positions, -score[positions]))]
    return [nodes[i] for i in order[:top]]


def community_profiles(G: nx.Graph, partition: Any, *, weight: str | None = "weight", centrality: Any = None,
                       rank_by: str | None = None, top: int = 5, behaviour: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per community: what it is, how it holds together, who leads it and who links it out.

    Parameters
    ----------
    G : networkx graph (directed graphs are symmetrised with summed weights)
    partition : Series, dict or iterable of node sets
        E.g. the output of :func:`communities`.
    weight : str or None
    centrality : Series, dict or DataFrame, optional
        Scores per customer used to pick the top members (e.g. a column of ``nl.centrality(G)``).
        Default: degree (tie weight).
    rank_by : str, optional
        The column of a ``centrality`` DataFrame to rank by (needed when it has several numeric
        columns).
    top : int
        How many top members and top bridges to list.
    behaviour : DataFrame, optional
        Indexed by customer id, one numeric column per behaviour (e.g. the Rogers profile
        columns access, engage, customize, connect, collaborate). Adds ``mean_<column>`` per
        community, ``dominant_behaviour`` (highest mean) and ``distinctive_behaviour`` (highest
        mean relative to all customers).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``community``: ``size``, ``share`` (of customers), ``internal_ties``,
        ``external_ties``, ``internal_weight``, ``external_weight``, ``internal_share`` (of the
        community's tie weight), ``density`` (internal ties over possible pairs), ``conductance``,
        ``top_members`` (list, best first), ``bridges`` (members with ties outside),
        ``top_bridges`` (list, by participation coefficient), ``main_neighbour`` (the community
        it shares most tie weight with) and ``main_neighbour_weight``. ``attrs["top_by"]`` names
        the ranking score.

    Raises
    ------
    ParameterError
        ``top`` is not a positive int, the graph has no customers, the partition does not place
        every customer exactly once, ``centrality`` or ``rank_by`` do not name one numeric score,
        or ``behaviour`` has no numeric column or no customer of the graph.

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.barbell_graph(4, 1)  # two 4-cliques joined through customer 4
    >>> profiles = nl.community_profiles(G, nl.communities(G, seed=0), top=2)
    >>> profiles[["size", "internal_ties", "external_ties", "top_members", "top_bridges"]]  # doctest: +NORMALIZE_WHITESPACE
               size  internal_ties  external_ties top_members top_bridges
    community
    0             5              7              1      [3, 0]         [4]
    1             4              6              1      [5, 6]         [5]
    """
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ParameterError(f"top must be a positive int; got {top!r}")
    ties = _to_ties(G, weight)
    if ties.n == 0:
        raise ParameterError("community_profiles: the graph has no customers")
    memb, labels = _membership(ties, partition, with_labels=True)
    k = len(labels)
    table = _per_community(ties, memb)
    total = table["internal_weight"] + table["external_weight"]
    table.insert(1, "share", table["size"] / ties.n)
    table.insert(6, "internal_share", np.where(total > 0, table["internal_weight"] / total.where(total > 0, 1.0), np.nan))
    table = table.drop(columns=["volume"])
    score, top_by = _ranking(ties, centrality, rank_by)
    bridges = _bridge_table(ties, memb, labels)
    participation = bridges["participation"].to_numpy()
    is_bridge = bridges["external_weight"].to_numpy() > 0
    members = [np.flatnonzero(memb == c) for c in range(k)]
    table["top_members"] = [_top(p, score, int(top), ties.nodes) for p in members]
    table["bridges"] = [int(is_bridge[p].sum()) for p in members]
    table["top_bridges"] = [_top(p[is_bridge[p]], participation, int(top), ties.nodes) for p in members]
    cu, cv = memb[ties.u], memb[ties.v]
    cross = cu != cv
    between = sp.coo_array((np.concatenate([ties.w[cross], ties.w[cross]]),
                            (np.concatenate([cu[cross], cv[cross]]), np.concatenate([cv[cross], cu[cross]]))),
                           shape=(k, k)).toarray()
    neighbour = between.argmax(axis=1)
    neighbour_w = between.max(axis=1)
    label_arr = np.empty(k, dtype=object)
    label_arr[:] = labels
    table["main_neighbour"] = pd.array([label_arr[j] if w > 0 else pd.NA for j, w in zip(neighbour, neighbour_w)],
                                       dtype="Int64" if _labels_column(labels).dtype != object else object)
    table["main_neighbour_weight"] = neighbour_w
    if behaviour is not None:
        table = table.join(_behaviour_profile(ties, memb, behaviour), how="left")
    table.index = pd.Index(_labels_column(labels), name="community")
    table = _sorted_by_label(table)
    stamp(table, "community_profiles", weight=weight, top=int(top), rank_by=rank_by, behaviour=behaviour is not None)
    table.attrs["top_by"] = top_by
    return table


def _behaviour_profile(ties: _Ties, memb: np.ndarray, behaviour: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(behaviour, pd.DataFrame):
        raise ParameterError(f"behaviour must be a DataFrame indexed by customer id; got {type(behaviour).__name__}")
    numeric = [c for c in behaviour.columns if pd.api.types.is_numeric_dtype(behaviour[c])
               and not pd.api.types.is_bool_dtype(behaviour[c])]
    if not numeric:
        raise ParameterError(f"behaviour has no numeric columns; found {list(behaviour.columns)}")
    frame = behaviour[numeric].astype(np.float64)
    frame.index = pd.Index(list(frame.index), dtype=object)
    frame = frame.reindex(pd.Index(ties.nodes, dtype=object))
    if frame.notna().to_numpy().sum() == 0:
        raise ParameterError("behaviour: no customer of the graph is in its index")
    frame["__community"] = memb
    means = frame.groupby("__community")[numeric].mean()
    overall = frame[numeric].mean()
    out = means.add_prefix("mean_")
    valid = means.notna().any(axis=1)
    out["dominant_behaviour"] = pd.Series(
        [means.loc[c].idxmax() if valid.loc[c] else pd.NA for c in means.index], index=means.index, dtype=object)
    lift = means.div(overall.where(overall > 0))
    lift_valid = lift.notna().any(axis=1)
    out["distinctive_behaviour"] = pd.Series(
        [lift.loc[c].idxmax() if lift_valid.loc[c] else pd.NA for c in lift.index], index=lift.index, dtype=object)
    out.index.name = "community"
    return out.reindex(pd.RangeIndex(int(memb.max()) + 1))


def community_graph(G: nx.Graph, partition: Any, *, weight: str | None = "weight") -> nx.Graph:
    """The community meta-graph: one node per community, edges weighted by the ties between them.

    ``G``, ``partition`` and ``weight`` are read as by :func:`community_bridges` (directed graphs
    symmetrised with summed weights). Use it to draw a graph too big to draw whole.

    Returns
    -------
    networkx.Graph
        Nodes are community ids (added in sorted order) with attributes ``size``,
        ``internal_ties`` and ``internal_weight``; an edge joins two communities with at least one
        tie between them, with ``weight`` (summed tie weight) and ``ties`` (number of ties).
        ``graph["provenance"]`` records the call. Total edge weight plus total internal weight
        equals the total tie weight of ``G``.

    Raises
    ------
    ParameterError
        The partition does not place every customer exactly once, or weights are negative or
        not finite.

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.barbell_graph(4, 1)  # two 4-cliques joined through customer 4
    >>> H = nl.community_graph(G, nl.communities(G, seed=0))
    >>> sorted(H.nodes(data="size")), list(H.edges(data="ties"))
    ([(0, 5), (1, 4)], [(0, 1, 1)])
    """
    ties = _to_ties(G, weight)
    memb, labels = _membership(ties, partition, with_labels=True)
    k = len(labels)
    table = _per_community(ties, memb)
    H = nx.Graph()
    stamp(H, "community_graph", weight=weight)
    lab = _labels_column(labels).tolist()
    nodes = sorted(range(k), key=lambda c: lab[c]) if _sortable(lab) else list(range(k))
    size, internal_ties = table["size"].tolist(), table["internal_ties"].tolist()
    internal_weight = table["internal_weight"].tolist()
    for c in nodes:
        H.add_node(lab[c], size=size[c], internal_ties=internal_ties[c], internal_weight=internal_weight[c])
    cu, cv = memb[ties.u], memb[ties.v]
    cross = cu != cv
    a = np.minimum(cu[cross], cv[cross])
    b = np.maximum(cu[cross], cv[cross])
    if a.size:
        key = a * k + b
        uniq, inverse = np.unique(key, return_inverse=True)
        wsum = np.bincount(inverse.ravel(), ties.w[cross])
        count = np.bincount(inverse.ravel())
        for kk, w, c in zip(uniq.tolist(), wsum.tolist(), count.tolist()):
            H.add_edge(lab[kk // k], lab[kk % k], weight=w, ties=int(c))
    return H


def _sortable(values: list) -> bool:
    try:
        sorted(values)
    except TypeError:
        return False
    return True
