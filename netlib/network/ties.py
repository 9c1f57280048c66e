"""Ties seen from both ends: the undirected view of a customer network and tie strength."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import islice

import networkx as nx
import numpy as np
import pandas as pd

from netlib._api import to_utc
from netlib._csr import _compact as is_compact
from netlib._util import provenance
from netlib.errors import DataError, ParameterError
from netlib.network.compact import _customer_nodes, _utc as utc_index

__all__ = ["undirected", "tie_strength", "TieStrengthRule"]


def undirected(G, *, weight: str = "weight") -> nx.Graph:
    """The undirected weighted view: one edge per pair, ``weight`` and ``count`` summed over both directions.

    Edge attributes: ``weight``, ``count``, ``reciprocal`` (both directions present), ``first_ts``,
    ``last_ts`` and ``channels`` (counts merged), when the directed edges carry them. ``G`` is a
    networkx DiGraph or a :class:`netlib.CustomerNetwork` (its pairs are merged as arrays).

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> log = pd.DataFrame({"source": ["a", "b", "b"], "target": ["b", "a", "c"], "timestamp": [1, 2, 3]})
    >>> H = nl.undirected(nl.customer_network(nl.read_data({"interactions": log})))
    >>> H["a"]["b"]["count"], H["a"]["b"]["reciprocal"], H["b"]["c"]["reciprocal"]
    (2, True, False)
    """
    H = _undirected_compact(G, weight) if is_compact(G) else _undirected_nx(G, weight)
    H.graph["provenance"] = provenance("undirected", weight=weight)
    return H


def _undirected_nx(G: nx.DiGraph, weight: str) -> nx.Graph:
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    H.graph.update(G.graph)
    for u, v, d in G.edges(data=True):
        if H.has_edge(u, v):
            e = H[u][v]
            e[weight] = e.get(weight, 1.0) + d.get(weight, 1.0)
            _check_finite(np.array([e[weight]], dtype="float64"), [(v, u)], [e.get("count", 1) + d.get("count", 1)])
            e["count"] = e.get("count", 1) + d.get("count", 1)
            e["reciprocal"] = True
            if "first_ts" in d:
                e["first_ts"] = min(e["first_ts"], d["first_ts"])
                e["last_ts"] = max(e["last_ts"], d["last_ts"])
            if "channels" in d:
                merged = dict(e.get("channels", {}))
                for ch, c in d["channels"].items():
                    merged[ch] = merged.get(ch, 0) + c
                e["channels"] = dict(sorted(merged.items()))
        else:
            attrs = {k: d[k] for k in ("first_ts", "last_ts") if k in d}
            if "channels" in d:
                attrs["channels"] = dict(d["channels"])
            H.add_edge(u, v, **{weight: d.get(weight, 1.0), "count": d.get("count", 1),
                                "reciprocal": u == v, **attrs})
    return H


@dataclass(frozen=True)
class TieStrengthRule:
    """How tie strength is scored and classed. All weights and thresholds are documented defaults.

    ``score = w_frequency·F + w_recency·R + w_reciprocity·Q + w_multiplexity·M``, each part in [0, 1]:

    - F (frequency) = 1 − exp(−count / frequency_scale): 1 interaction ≈ 0.28, 3 ≈ 0.63, 10 ≈ 0.96;
    - R (recency) = 0.5 ** (days since the last interaction / half_life_days), measured from ``now``
      (default: the latest interaction in the graph);
    - Q (reciprocity) = 1 when both customers reached out to each other, else 0;
    - M (multiplexity) = min(distinct channels, max_channels) / max_channels.

    A tie is **core** when score ≥ core, **significant** when score ≥ significant, else **weak**
    (Boase et al., Pew Internet 2006, "The Strength of Internet Ties": people keep a median of
    about 5 core and 4 significant ties; :func:`tie_strength` reports the medians for comparison).

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> log = pd.DataFrame({"source": ["a", "b", "b"], "target": ["b", "a", "c"], "timestamp": [1, 2, 3]})
    >>> net = nl.customer_network(nl.read_data({"interactions": log}))
    >>> strict = nl.TieStrengthRule(core=0.9, significant=0.8)
    >>> nl.tie_strength(net, rule=strict)["strength"].tolist()
    ['weak', 'weak']
    """

    w_frequency: float = 0.4
    w_recency: float = 0.25
    w_reciprocity: float = 0.2
    w_multiplexity: float = 0.15
    frequency_scale: float = 3.0
    half_life_days: float = 90.0
    max_channels: int = 3
    core: float = 0.65
    significant: float = 0.45

    def __post_init__(self):
        ws = (self.w_frequency, self.w_recency, self.w_reciprocity, self.w_multiplexity)
        if min(ws) < 0 or not math.isclose(sum(ws), 1.0, abs_tol=1e-9):
            raise ParameterError(f"tie-strength weights must be >= 0 and sum to 1; got {ws}")
        if not 0 <= self.significant <= self.core <= 1:
            raise ParameterError(f"need 0 <= significant <= core <= 1; got significant={self.significant}, "
                                 f"core={self.core}")
        if self.frequency_scale <= 0 or self.half_life_days <= 0 or self.max_channels < 1:
            raise ParameterError("frequency_scale and half_life_days must be > 0 and max_channels >= 1")

    def _score(self, df: pd.DataFrame) -> np.ndarray:
        """Add the four components and ``score`` to a pair table (``count``, ``days_since``,
        ``reciprocal``, ``n_channels``), in place; return each pair's class as text. The one
        statement of the rule, shared by :func:`tie_strength` and ``netlib.spark.tie_strength``."""
        df["frequency"] = 1.0 - np.exp(-df["count"] / self.frequency_scale)
        df["recency"] = 0.5 ** (df["days_since"] / self.half_life_days)
        df["reciprocity"] = df["reciprocal"].astype("float64")
        df["multiplexity"] = np.minimum(df["n_channels"], self.max_channels) / self.max_channels
        df["score"] = (self.w_frequency * df["frequency"] + self.w_recency * df["recency"]
                       + self.w_reciprocity * df["reciprocity"] + self.w_multiplexity * df["multiplexity"])
        return np.where(df["score"] >= self.core, "core", np.where(df["score"] >= self.significant, "significant", "weak"))


def tie_strength(G, *, rule: TieStrengthRule | None = None, now=None) -> pd.DataFrame:
    """Score every tie (unordered pair) of a customer network and class it core / significant / weak.

    Parameters
    ----------
    G : networkx.DiGraph from :func:`build_network` (edges with ``count``, ``last_ts``, ``channels``),
        or a :class:`netlib.CustomerNetwork`
    rule : TieStrengthRule, optional
        Weights and thresholds; the documented defaults when omitted.
    now : timestamp-like, optional
        Reference time for recency; the latest ``last_ts`` in the graph by default.

    Returns
    -------
    DataFrame
        One row per pair ``(u, v)`` with ``u < v``: ``count``, ``days_since``, ``reciprocal``,
        ``n_channels``, the four parts, ``score`` and ``strength`` (ordered categorical weak <
        significant < core). ``df.attrs["per_customer"]`` has the median number of core and
        significant ties per customer (customers with at least one tie). Pairs come in the
        order of ``G``'s edges (a CustomerNetwork: sorted by ``u``, then ``v``).

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> log = pd.DataFrame({"source": ["a", "b", "b"], "target": ["b", "a", "c"], "timestamp": [1, 2, 3]})
    >>> ties = nl.tie_strength(nl.customer_network(nl.read_data({"interactions": log})))
    >>> ties.index.name, ties[["u", "v", "count", "reciprocal"]].values.tolist()
    ('tie', [['a', 'b', 2, True], ['b', 'c', 1, False]])
    >>> ties["strength"].tolist()
    ['significant', 'weak']
    """
    rule = rule or TieStrengthRule()
    if is_compact(G):
        df = _pairs_compact(G)
    else:
        rows = []
        for u, v, d in undirected(G).edges(data=True):
            if u == v:
                continue
            a, b = sorted((u, v), key=str)
            rows.append((a, b, d.get("count", 1), d.get("last_ts"), bool(d.get("reciprocal", False)),
                         len(d.get("channels", {}))))
        df = pd.DataFrame(rows, columns=["u", "v", "count", "last_ts", "reciprocal", "n_channels"])
    if df.empty:
        out = df.assign(days_since=[], frequency=[], recency=[], reciprocity=[], multiplexity=[], score=[],
                        strength=pd.Categorical([], categories=["weak", "significant", "core"], ordered=True))
        out.index.name = "tie"
        out.attrs["per_customer"] = {"median_core": 0.0, "median_significant": 0.0}
        out.attrs["provenance"] = provenance("tie_strength", rule=rule.__dict__, now=str(now) if now is not None else None)
        return out
    if df["last_ts"].isna().all():
        days = pd.Series(0.0, index=df.index)
    else:
        ref = to_utc(now, "now") if now is not None else df["last_ts"].max()
        days = ((ref - df["last_ts"]).dt.total_seconds() / 86400.0).clip(lower=0).fillna(0.0)
    df["days_since"] = days
    labels = rule._score(df)
    df["strength"] = pd.Categorical(labels, categories=["weak", "significant", "core"], ordered=True)
    ends = pd.factorize(pd.concat([df["u"], df["v"]], ignore_index=True))  # customers with a tie, as codes
    per = np.bincount(ends[0] * 3 + np.tile(df["strength"].cat.codes.to_numpy(np.int64), 2),
                      minlength=3 * len(ends[1])).reshape(-1, 3)  # ties per customer: weak, significant, core
    df = df.drop(columns="last_ts")
    df.index.name = "tie"
    df.attrs["per_customer"] = {"median_core": float(np.median(per[:, 2])),
                                "median_significant": float(np.median(per[:, 1]))}
    df.attrs["provenance"] = provenance("tie_strength", rule=rule.__dict__, now=str(now) if now is not None else None)
    return df


def _check_finite(sums: np.ndarray, pairs, counts) -> None:
    """Refuse weight sums that overflowed to inf (each weight is finite, read_data sees to that)."""
    bad = np.flatnonzero(~np.isfinite(sums))
    if len(bad):
        (u, v), c = pairs[bad[0]], int(counts[bad[0]])
        raise DataError(f"interactions: the weights of the interactions {u} → {v} sum beyond the largest float "
                        f"({c:,} interaction{'s' * (c != 1)}); rescale the weights (e.g. divide them by their maximum)")


# ------------------------------------------------------------------ the same, on a CustomerNetwork's arrays
def _merged(net) -> dict:
    """Each unordered pair of ``net`` once, both directions merged, as arrays in (low, high) position order."""
    n = max(net.n, 1)
    src, dst = net.source.astype(np.int64), net.indices.astype(np.int64)
    key = src * n + dst  # sorted: ties are in (source, target) order
    back = dst * n + src
    pos = np.minimum(np.searchsorted(key, back), max(net.m - 1, 0))
    has_rev = (key[pos] == back) & (src != dst) if net.m else np.zeros(0, dtype=bool)
    first = np.flatnonzero((src <= dst) | ~has_rev)  # each pair by its lower end's tie (or its only tie)
    partner = np.where(has_rev[first], pos[first], -1)
    both = partner >= 0
    lo, hi = np.minimum(src, dst)[first], np.maximum(src, dst)[first]
    order = np.argsort(lo * n + hi, kind="stable")
    first, partner, both, lo, hi = first[order], partner[order], both[order], lo[order], hi[order]
    other = np.where(both, partner, first)

    def merge(values, how):
        return np.where(both, how(values[first], values[other]), values[first])

    out = {"lo": lo, "hi": hi, "loop": lo == hi,
           "weight": merge(net.weight, np.add), "count": merge(net.count.astype(np.int64), np.add),
           "first_ns": merge(net.first_ns, _earliest), "last_ns": merge(net.last_ns, np.maximum),
           "reciprocal": both | (lo == hi)}
    # channels of both directions, merged per pair and channel
    pair_of_tie = np.full(net.m, -1, dtype=np.int64)
    pair_of_tie[first] = np.arange(first.size)
    pair_of_tie[partner[both]] = np.flatnonzero(both)
    rows_pair = np.repeat(pair_of_tie, np.diff(net.channel_ptr))
    k = max(len(net.channels), 1)
    ckey = rows_pair * k + net.channel_code.astype(np.int64)
    corder = np.argsort(ckey, kind="stable")
    ckey = ckey[corder]
    starts = np.flatnonzero(np.r_[True, ckey[1:] != ckey[:-1]]) if ckey.size else np.zeros(0, dtype=np.int64)
    out["channel_pair"] = ckey[starts] // k
    out["channel_code"] = ckey[starts] % k
    counts = net.channel_count[corder].astype(np.int64)
    out["channel_count"] = np.add.reduceat(counts, starts) if starts.size else counts
    out["n_channels"] = np.bincount(out["channel_pair"], minlength=first.size)
    bad = np.flatnonzero(~np.isfinite(out["weight"]))
    if bad.size:
        i = int(bad[0])
        _check_finite(out["weight"][i:i + 1], [(net.ids[int(hi[i])], net.ids[int(lo[i])])], [int(out["count"][i])])
    return out


def _earliest(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise minimum of nanosecond times where NaT (the smallest int64) means unknown."""
    nat = np.iinfo(np.int64).min
    return np.where(a == nat, b, np.where(b == nat, a, np.minimum(a, b)))


def _undirected_compact(net, weight: str) -> nx.Graph:
    pairs = _merged(net)
    H = nx.Graph()
    if net.customers is not None:
        H.add_nodes_from(_customer_nodes(net.customers))
    H.add_nodes_from(net.nodes)
    H.graph.update(net.graph)
    nodes = np.array(net.nodes + [None], dtype=object)
    names = np.array(list(net.channels) + [None], dtype=object)[pairs["channel_code"]].tolist()
    chan = iter(zip(names, pairs["channel_count"].tolist()))
    channels = [dict(islice(chan, c)) for c in pairs["n_channels"].tolist()]
    attrs = zip(pairs["weight"].tolist(), pairs["count"].tolist(), pairs["reciprocal"].tolist(),
                utc_index(pairs["first_ns"]), utc_index(pairs["last_ns"]), channels)
    H.add_edges_from((u, v, {weight: w, "count": c, "reciprocal": r, "first_ts": f, "last_ts": la, "channels": ch})
                     for u, v, (w, c, r, f, la, ch) in zip(nodes[pairs["lo"]].tolist(), nodes[pairs["hi"]].tolist(),
                                                           attrs))
    return H


def _pairs_compact(net) -> pd.DataFrame:
    """tie_strength's rows from a CustomerNetwork: pairs between two customers, ``u`` the lower as text."""
    pairs = _merged(net)
    keep = ~pairs["loop"]
    lo, hi = pairs["lo"][keep], pairs["hi"][keep]
    if net.ids.dtype != object and pd.api.types.is_string_dtype(net.ids.dtype):
        a, b = lo, hi  # text ids: position order is their order
    else:  # other ids: the pair is written in the order of their text (as str keys sort them)
        rank = np.empty(net.n, dtype=np.int64)
        rank[np.argsort(net.ids.astype(str).to_numpy(dtype=object), kind="stable")] = np.arange(net.n)
        swap = rank[lo] > rank[hi]
        a, b = np.where(swap, hi, lo), np.where(swap, lo, hi)
    return pd.DataFrame({"u": net.ids.take(a).to_numpy(dtype=object), "v": net.ids.take(b).to_numpy(dtype=object),
                         "count": pairs["count"][keep], "last_ts": utc_index(pairs["last_ns"][keep]),
                         "reciprocal": pairs["reciprocal"][keep], "n_channels": pairs["n_channels"][keep]})
