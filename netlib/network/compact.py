"""The compact customer network: ids indexed once, ties as arrays.

A :class:`CustomerNetwork` holds what :func:`netlib.build_network` puts in a networkx DiGraph, without
one Python object per tie: the customers sorted once (position ``i`` is ``ids[i]``), the ties as a CSR
out-adjacency (``indptr``, ``indices``) and one array per tie attribute (``weight``, ``count``,
``first_ns``, ``last_ns``), and the channels as a second CSR level over the ties (codes into
``channels`` with their counts). :meth:`CustomerNetwork.to_networkx` gives the DiGraph back.
"""

from __future__ import annotations

import gc
import io
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice

import networkx as nx
import numpy as np
import pandas as pd

from netlib.errors import DataError, ParameterError

__all__ = ["CustomerNetwork"]

#: tie attributes held as arrays, by the name networkx edges give them
TIE_ATTRIBUTES = ("weight", "count", "first_ts", "last_ts", "channels")
_FORMAT = "netlib.CustomerNetwork/1"


@dataclass(frozen=True, eq=False)
class CustomerNetwork:
    """A directed, weighted customer network held as arrays (see :func:`netlib.customer_network`).

    Attributes
    ----------
    ids : pandas.Index
        The customers, sorted (the canonical node order of every netlib analysis), named
        ``customer_id``. Position ``i`` in every array below means ``ids[i]``.
    indptr, indices : numpy.ndarray
        The ties as a CSR out-adjacency: ``indices[indptr[i]:indptr[i+1]]`` are the positions of
        the customers ``ids[i]`` reached (sorted). Tie ``e`` is ``ids[source[e]] -> ids[indices[e]]``.
    weight, count : numpy.ndarray
        Summed interaction weight (float64) and number of interactions (int32; int64 beyond 2^31) per tie.
    first_ns, last_ns : numpy.ndarray
        First and last interaction per tie, int64 nanoseconds since 1970 UTC (``NaT``'s value when
        unknown).
    channels : tuple
        The channel names, sorted; ``channel_ptr``, ``channel_code`` and ``channel_count`` list tie
        ``e``'s channels as ``channels[channel_code[k]]`` with ``channel_count[k]`` interactions,
        ``k`` in ``channel_ptr[e]:channel_ptr[e+1]``.
    customers : pandas.DataFrame or None
        The customers table the network was built from (its columns become node attributes in
        :meth:`to_networkx`).
    graph : dict
        Provenance and counts, the same keys as ``G.graph`` of :func:`netlib.build_network`.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> log = pd.DataFrame({"source": ["b", "a", "a", "c"], "target": ["a", "b", "c", "a"],
    ...                     "timestamp": [1, 2, 3, 4], "channel": ["sms", "app", "app", "app"]})
    >>> net = nl.customer_network(nl.read_data({"interactions": log}))
    >>> list(net.ids), net.indptr.tolist(), net.indices.tolist()  # a -> b, a -> c, b -> a, c -> a
    (['a', 'b', 'c'], [0, 2, 3, 4], [1, 2, 0, 0])
    >>> net.channels, net.channel_code.tolist(), net.tie_attribute("count").tolist()
    (('app', 'sms'), [0, 0, 1, 0], [1.0, 1.0, 1.0, 1.0])
    >>> "c" in net, net.number_of_edges(), net.channel_table()["channel"].tolist()
    (True, 4, ['app', 'app', 'sms', 'app'])
    """

    ids: pd.Index
    indptr: np.ndarray
    indices: np.ndarray
    weight: np.ndarray
    count: np.ndarray
    first_ns: np.ndarray
    last_ns: np.ndarray
    channels: tuple
    channel_ptr: np.ndarray
    channel_code: np.ndarray
    channel_count: np.ndarray
    customers: pd.DataFrame | None = field(default=None, repr=False)
    graph: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for name in ("indptr", "indices", "weight", "count", "first_ns", "last_ns", "channel_ptr",
                     "channel_code", "channel_count"):
            getattr(self, name).flags.writeable = False  # shared by every conversion made from it

    # ------------------------------------------------------------------ size and the networkx basics
    @property
    def n(self) -> int:
        """Number of customers."""
        return len(self.ids)

    @property
    def m(self) -> int:
        """Number of ties (ordered pairs that interacted)."""
        return int(self.indptr[-1])

    def __len__(self) -> int:
        return self.n

    def __contains__(self, customer) -> bool:
        try:
            return customer in self.index
        except TypeError:
            return False

    def __repr__(self) -> str:
        return f"<CustomerNetwork: {self.n:,} customers, {self.m:,} ties, {len(self.channels)} channels>"

    def number_of_nodes(self) -> int:
        """As networkx's: the number of customers."""
        return self.n

    def number_of_edges(self) -> int:
        """As networkx's: the number of ties."""
        return self.m

    def is_directed(self) -> bool:
        """Always True: a tie is an ordered pair (as networkx's ``DiGraph.is_directed``)."""
        return True

    def is_multigraph(self) -> bool:
        """Always False: one tie per ordered pair (as networkx's ``DiGraph.is_multigraph``)."""
        return False

    @cached_property
    def nodes(self) -> list:
        """The ids as a list (made once; what :class:`netlib._csr.CSRGraph` carries)."""
        return self.ids.tolist()

    @cached_property
    def index(self) -> dict:
        """Customer id -> position (made on first use)."""
        return dict(zip(self.nodes, range(self.n)))

    @cached_property
    def conversions(self) -> dict:
        """Conversions analyses made of this network, kept with it (its arrays never change)."""
        return {}

    @cached_property
    def source(self) -> np.ndarray:
        """The source position of every tie (int32, the CSR rows expanded)."""
        out = np.repeat(np.arange(self.n, dtype=np.int32), np.diff(self.indptr))
        out.flags.writeable = False
        return out

    @property
    def out_degree(self) -> np.ndarray:
        """Ties leaving each customer (self-loops included), in position order."""
        return np.diff(self.indptr)

    @property
    def in_degree(self) -> np.ndarray:
        """Ties reaching each customer (self-loops included), in position order."""
        return np.bincount(self.indices, minlength=self.n)

    @property
    def nbytes(self) -> int:
        """Bytes held by the tie arrays and the ids (the customers table excluded: it is the caller's)."""
        arrays = sum(getattr(self, a).nbytes for a in ("indptr", "indices", "weight", "count", "first_ns",
                                                       "last_ns", "channel_ptr", "channel_code", "channel_count"))
        return int(arrays + self.ids.memory_usage(deep=True))

    # ------------------------------------------------------------------ tie attributes
    def tie_attribute(self, name: str | None, default: float = 1.0) -> np.ndarray:
        """One numeric value per tie for the edge attribute ``name``, in tie order.

        ``"weight"`` and ``"count"`` are read from their arrays; ``None`` or a name the ties do not
        carry gives ``default`` everywhere (as networkx's ``d.get(name, default)`` would); the time
        and channel attributes are not numbers.
        """
        if name == "weight":
            return self.weight
        if name == "count":
            return self.count.astype(np.float64)
        if name in TIE_ATTRIBUTES:
            raise ParameterError(f"edge attribute {name!r} must be numeric: it holds "
                                 f"{'timestamps' if name.endswith('_ts') else 'channel counts'}")
        return np.full(self.m, default, dtype=np.float64)

    def ties(self) -> pd.DataFrame:
        """Every tie as a row: ``source``, ``target``, ``weight``, ``count``, ``first_ts``, ``last_ts``
        (UTC), ``n_channels``; a RangeIndex named ``tie`` in tie order (sorted by source, target)."""
        frame = pd.DataFrame({
            "source": self.ids.take(self.source).array if self.m else self.ids[:0].array,
            "target": self.ids.take(self.indices).array if self.m else self.ids[:0].array,
            "weight": self.weight, "count": self.count,
            "first_ts": _utc(self.first_ns), "last_ts": _utc(self.last_ns),
            "n_channels": np.diff(self.channel_ptr),
        }, index=pd.RangeIndex(self.m, name="tie"))
        return frame

    def channel_table(self) -> pd.DataFrame:
        """One row per tie and channel: ``tie``, ``channel`` (categorical), ``count``."""
        tie = np.repeat(np.arange(self.m, dtype=np.int64), np.diff(self.channel_ptr))
        return pd.DataFrame({
            "tie": tie,
            "channel": pd.Categorical.from_codes(self.channel_code, categories=list(self.channels)),
            "count": self.channel_count,
        }, index=pd.RangeIndex(len(tie), name="row"))

    def channel_dicts(self) -> list[dict]:
        """``{channel: count}`` per tie, in tie order (what networkx edges carry)."""
        names = np.array(self.channels + (None,), dtype=object)[self.channel_code].tolist()
        pairs = iter(zip(names, self.channel_count.tolist()))
        return [dict(islice(pairs, k)) for k in np.diff(self.channel_ptr).tolist()]

    # ------------------------------------------------------------------ networkx
    def to_networkx(self) -> nx.DiGraph:
        """The same network as a networkx DiGraph, as :func:`netlib.build_network` returns it.

        Nodes: the customers table's rows first (in its order, its columns as attributes, missing
        values left out), then the other customers in tie order. Edges: ``weight``, ``count``,
        ``first_ts``, ``last_ts`` (pandas Timestamps, UTC), ``channels`` (``{channel: count}``).
        ``G.graph`` is a copy of :attr:`graph`.

        Examples
        --------
        >>> import netlib as nl
        >>> net = nl.customer_network(nl.load_sample())
        >>> G = net.to_networkx()
        >>> G.number_of_edges() == net.m, G["C0000"]["C0612"]["count"] == net.ties().loc[0, "count"]
        (True, True)
        """
        enabled = gc.isenabled()
        gc.disable()  # millions of new dicts would trigger full collections that find nothing to free
        try:
            return self._networkx()
        finally:
            if enabled:
                gc.enable()

    def _networkx(self) -> nx.DiGraph:
        G = nx.DiGraph()
        nodes = self.ids.to_numpy(dtype=object)
        edata = [{"weight": w, "count": c, "first_ts": f, "last_ts": la, "channels": ch} for w, c, f, la, ch in zip(
            self.weight.tolist(), self.count.tolist(), *self._times(), self.channel_dicts())]
        attrs: dict = {}
        if self.customers is not None:
            for cid, a in _customer_nodes(self.customers):
                attrs.setdefault(cid, {}).update(a)
        if not _plain(G):  # a networkx whose storage is not plain dicts: its own (slower) way in
            G.add_nodes_from(attrs.items())
            G.add_edges_from(zip(nodes[self.source].tolist(), nodes[self.indices].tolist(), edata))
            G.graph.update(self.graph)
            return G
        # Filling networkx's adjacency dicts directly, in the order add_nodes_from + add_edges_from would
        # (customers in table order, then the others as ties first name them), with one attribute dict
        # shared by the two ends of each edge as networkx does: half the time of add_edges_from, which
        # makes and updates two dicts per edge.
        back = np.argsort(self.indices, kind="stable")  # ties by target, sources ascending
        in_ptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.indices, minlength=self.n), out=in_ptr[1:])
        ptr, rptr = self.indptr.tolist(), in_ptr.tolist()
        targets, sources = nodes[self.indices].tolist(), nodes[self.source[back]].tolist()
        redata = np.empty(self.m, dtype=object)
        redata[:] = edata
        redata = redata[back].tolist()
        node, succ, pred = G._node, G._succ, G._pred
        ids = nodes.tolist()
        for i in self._insertion_order(attrs, back, in_ptr).tolist():
            v = ids[i]
            node[v] = attrs.get(v) or {}
            a, b = ptr[i], ptr[i + 1]
            succ[v] = dict(zip(targets[a:b], edata[a:b]))
            a, b = rptr[i], rptr[i + 1]
            pred[v] = dict(zip(sources[a:b], redata[a:b]))
        G.graph.update(self.graph)
        return G

    def _times(self) -> tuple[list, list]:
        """First and last times as Timestamps; one object for both where they are equal (single interactions)."""
        first = list(_utc(self.first_ns))
        last = np.empty(self.m, dtype=object)
        last[:] = first
        differ = np.flatnonzero(self.first_ns != self.last_ns)
        if differ.size:
            last[differ] = list(_utc(self.last_ns[differ]))
        return first, last.tolist()

    def _insertion_order(self, attrs: dict, back: np.ndarray, in_ptr: np.ndarray) -> np.ndarray:
        """Positions in the order networkx would add the nodes: the customers table's, then by first tie."""
        n, m = self.n, self.m
        listed = self.ids.get_indexer(pd.Index(list(attrs), dtype=self.ids.dtype)) if attrs else np.zeros(0, np.int64)
        big = 2 * m + 2
        out_deg, in_deg = np.diff(self.indptr), np.diff(in_ptr)
        first_out = np.where(out_deg > 0, 2 * self.indptr[:-1], big)
        first_in = np.full(n, big, dtype=np.int64)
        has_in = in_deg > 0
        first_in[has_in] = 2 * back[in_ptr[:-1][has_in]] + 1  # the first tie reaching it (stable: lowest)
        key = np.minimum(first_out, first_in)
        key[listed] = -1
        rest = np.flatnonzero(key >= 0)
        return np.concatenate([listed, rest[np.argsort(key[rest], kind="stable")]])

    # ------------------------------------------------------------------ pickling and files
    def __getstate__(self):
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def __setstate__(self, state):
        for k, v in state.items():
            object.__setattr__(self, k, v)
        self.__post_init__()

    def save(self, path: str | os.PathLike) -> None:
        """Write the network to one ``.npz`` file (no pickles inside), atomically.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import netlib as nl
        >>> net = nl.customer_network(nl.load_sample())
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "network.npz"
        >>> net.save(path)
        >>> back = nl.CustomerNetwork.load(path)
        >>> back.m == net.m and bool((back.weight == net.weight).all())
        True
        """
        from netlib.io import atomic_write

        arrays = {a: getattr(self, a) for a in ("indptr", "indices", "weight", "count", "first_ns", "last_ns",
                                                "channel_ptr", "channel_code", "channel_count")}
        arrays["ids"] = _column_bytes(pd.DataFrame({"customer_id": self.ids}))
        if self.customers is not None:
            arrays["customers"] = _column_bytes(self.customers)
        meta = {"format": _FORMAT, "channels": list(self.channels), "graph": self.graph}
        arrays["meta"] = np.frombuffer(json.dumps(meta, default=str).encode(), dtype=np.uint8)
        with atomic_write(path, "wb") as handle:
            np.savez(handle, **arrays)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "CustomerNetwork":
        """Read a network written by :meth:`save`."""
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(bytes(z["meta"]).decode())
                if meta.get("format") != _FORMAT:
                    raise DataError(f"{path}: not a netlib CustomerNetwork file (format {meta.get('format')!r})")
                ids = pd.read_parquet(io.BytesIO(bytes(z["ids"])))["customer_id"]
                customers = pd.read_parquet(io.BytesIO(bytes(z["customers"]))) if "customers" in z else None
                arrays = {a: z[a] for a in ("indptr", "indices", "weight", "count", "first_ns", "last_ns",
                                            "channel_ptr", "channel_code", "channel_count")}
        except (OSError, ValueError, KeyError) as exc:
            raise DataError(f"{path}: cannot read a CustomerNetwork file: {exc}") from None
        return cls(ids=pd.Index(ids, name="customer_id"), channels=tuple(meta["channels"]), customers=customers,
                   graph=meta["graph"], **arrays)


def _column_bytes(frame: pd.DataFrame) -> np.ndarray:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return np.frombuffer(buf.getvalue(), dtype=np.uint8)


def _utc(ns: np.ndarray) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(ns.view("datetime64[ns]")).tz_localize("UTC")


def _customer_nodes(customers: pd.DataFrame):
    """``(id, attributes)`` per row of a customers table, missing values left out (read column by column)."""
    attrs = [c for c in customers.columns if c != "customer_id"]
    values = [customers[c].tolist() for c in attrs]
    present = [customers[c].notna().tolist() for c in attrs]
    return ((cid, {k: v for k, v, ok in zip(attrs, row, have) if ok})
            for cid, row, have in zip(customers["customer_id"].tolist(), zip(*values) if attrs else
                                      [()] * len(customers), zip(*present) if attrs else [()] * len(customers)))


def _plain(G: nx.DiGraph) -> bool:
    """networkx keeps a DiGraph in plain dicts (``_adj`` being ``_succ``), as every 3.x release does."""
    return (type(getattr(G, "_node", None)) is dict and type(getattr(G, "_succ", None)) is dict
            and type(getattr(G, "_pred", None)) is dict and G._succ is G._adj)
