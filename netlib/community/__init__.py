"""Communities: who shares with whom, as reproducible segments.

Marketing segments that come from how customers actually share, not from demographics, and that
are the same when the notebook is re-run tomorrow.

* :func:`communities` finds a partition with Leiden (default), Louvain or label propagation,
  keeps the best of several restarts and numbers communities 0..k-1 by decreasing size.
* :func:`modularity` scores any partition; :func:`partition_quality` adds coverage, performance,
  per-community conductance and, when ground truth is known, NMI, AMI and ARI.
* :func:`community_stability` and :func:`resolution_sweep` show how much a partition depends on
  the seed and on the resolution, and which customers sit on boundaries.
* :func:`community_profiles`, :func:`community_bridges` and :func:`community_graph` describe the
  communities for analysts: size, density, internal and external ties, top members, bridges,
  behaviour, and a meta-graph for drawing.

Modules
-------
``_ties`` (private)
    The graph as arrays (kept with the graph through :func:`netlib._csr.kept_conversion`), any
    partition read as codes, modularity of codes, canonical numbering.
``detect``
    :func:`communities`: the three methods, restarts, the best run.
``quality``
    :func:`modularity`, :func:`partition_quality`, :class:`PartitionQuality`.
``stability``
    :func:`community_stability`, :class:`StabilityResult`, :func:`resolution_sweep`.
``describe``
    :func:`community_profiles`, :func:`community_bridges`, :func:`community_graph`.

Conventions
-----------
*Graphs.* Any networkx graph. Parallel edges of multigraphs are summed. Edge weights are read from
``weight`` (1.0 where missing, or everywhere when ``weight=None``) and must be finite and
non-negative.

*Directed graphs* are handled by ``directed=``:

``"symmetrize"`` (default, every method)
    Ties are made undirected with summed weights: ``w(u, v) = w(u→v) + w(v→u)``; a self-loop keeps
    its weight. A customer's undirected degree is then their total (in + out) weight, and the
    objective is ordinary modularity of this undirected graph. Direction says who shared with
    whom; for segments, a tie in either direction counts.
``"directed"`` (Leiden only)
    Leiden optimises the directed modularity of Leicht & Newman (2008),
    ``Q = 1/m Σ_ij [A_ij − γ k_i^out k_j^in / m] δ(c_i, c_j)``, which is what
    :func:`networkx.algorithms.community.modularity` computes for a ``DiGraph`` (igraph's Leiden is
    given the out- and in-strengths as node weights for this). python-louvain and label
    propagation have no directed variant; asking for one raises :class:`~netlib.errors.ParameterError`.

For undirected graphs both settings are the same. :func:`modularity` takes the same ``directed=``
so a partition is scored with the objective it was found with.

*Self-loops* count as in networkx: a self-loop of weight w adds 2w to its node's degree and w to
its community's internal weight. Every method optimises (and :func:`modularity` reports) this
same objective; on graphs of up to 10 nodes the tests check Leiden and Louvain against the best of
all partitions, for several resolutions and seeds, directed and undirected.

*Repeated calls.* The arrays (and igraph graph) made from a graph are kept while the graph object
lives and reused by later calls on it, so an analysis that calls :func:`communities`,
:func:`community_profiles`, :func:`community_stability` and the rest reads the networkx graph
once. A graph changed through networkx (nodes or edges added or removed, ``add_edge`` on an
existing tie, ``set_edge_attributes``) is converted again; weights edited in place
(``G[u][v]["weight"] = x``) are caught by re-reading them on every call. Graph views are never
kept, since their parent can change under them.

*Randomness.* Every stochastic function takes ``seed`` (int, ``numpy.random.Generator`` or None)
and draws one int per run from it. igraph (Leiden, label propagation) reads random numbers from a
module-wide generator: netlib installs a private ``random.Random`` seeded from that int for the
duration of the call and then restores igraph's default generator (Python's ``random`` module).
Global random state is never seeded. Nodes are put in a canonical (sorted) order before any run,
so answers do not depend on the order customers were added to the graph.
"""
from __future__ import annotations

from netlib._csr import _Conversions  # noqa: F401  (pickled graphs name it netlib.community._Conversions)
from netlib.community._ties import DIRECTED_MODES
from netlib.community.describe import community_bridges, community_graph, community_profiles
from netlib.community.detect import MAX_AUTO_RESTARTS, METHODS, communities
from netlib.community.quality import PartitionQuality, modularity, partition_quality
from netlib.community.stability import StabilityResult, community_stability, resolution_sweep

__all__ = [
    "communities",
    "modularity",
    "partition_quality",
    "PartitionQuality",
    "community_stability",
    "StabilityResult",
    "resolution_sweep",
    "community_profiles",
    "community_bridges",
    "community_graph",
]
