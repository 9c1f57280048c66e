"""Shared helpers of the community tests (imported by name, like conftest)."""

from __future__ import annotations

import functools
import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

KARATE_MAX_Q = 0.4197896120973046  # igraph's exact optimum (REFERENCE_VALUES.md, [P])
KARATE_MAX_Q_RES_05 = 0.6217948717948718
KARATE_MAX_Q_RES_2 = 0.16452991452991447
METHODS = ["leiden", "louvain", "label_propagation"]


def groups(part: pd.Series) -> list[set]:
    return [set(part.index[part == c]) for c in range(part.nunique())]


def shuffled_copy(G: nx.Graph, seed: int) -> nx.Graph:
    """The same graph with nodes and edges inserted in another order."""
    rnd = random.Random(seed)
    nodes = list(G.nodes(data=True))
    edges = list(G.edges(data=True))
    rnd.shuffle(nodes)
    rnd.shuffle(edges)
    H = G.__class__()
    H.add_nodes_from(nodes)
    H.add_edges_from(edges)
    return H


@pytest.fixture
def two_cliques() -> nx.Graph:
    """Two 5-cliques (a0..a4, b0..b4) and a hub 'm' tied once to a0 and once to b0."""
    G = nx.Graph()
    for side in "ab":
        members = [f"{side}{i}" for i in range(5)]
        G.add_edges_from((u, v) for i, u in enumerate(members) for v in members[i + 1:])
    G.add_edges_from([("m", "a0"), ("m", "b0")])
    return G


def two_triangles(w_bridge: float = 1.0) -> nx.Graph:
    """Triangles a0-a1-a2 and b0-b1-b2 joined by a0-b0."""
    G = nx.Graph()
    G.add_weighted_edges_from([("a0", "a1", 1.0), ("a1", "a2", 1.0), ("a0", "a2", 1.0),
                               ("b0", "b1", 1.0), ("b1", "b2", 1.0), ("b0", "b2", 1.0),
                               ("a0", "b0", w_bridge)])
    return G


def expected_q(G: nx.Graph, part: pd.Series) -> float:
    return nx.community.modularity(G, [set(part.index[part == c]) for c in part.unique()], weight="weight")


# --- exhaustive optimum of modularity (Bell(10) = 115,975 partitions at most) ------------------


@functools.cache
def set_partitions(n: int) -> np.ndarray:
    """Every partition of n items, one row each, as restricted growth strings (row i: block of item i)."""
    parts = np.zeros((1, min(n, 1)), dtype=np.int8)
    for _ in range(1, n):
        reps = parts.max(axis=1).astype(np.int64) + 2  # join any block so far, or open a new one
        grown = np.concatenate([np.arange(r) for r in reps]).astype(np.int8)
        parts = np.hstack([np.repeat(parts, reps, axis=0), grown[:, None]])
    return parts


def modularity_matrix(G: nx.Graph, resolution: float, *, directed: bool = False) -> tuple[list, np.ndarray]:
    """``(nodes, B)`` with ``Q(partition) = Σ_ij B_ij δ(c_i, c_j)``, written from the definitions.

    Undirected (or symmetrised): ``B = A / 2m − γ k kᵀ / (2m)²`` with a self-loop counted twice on the
    diagonal. Directed (Leicht & Newman): ``B = A / m − γ k_out k_inᵀ / m²``.
    """
    nodes = sorted(G)
    pos = {v: i for i, v in enumerate(nodes)}
    A = np.zeros((len(nodes), len(nodes)))
    for u, v, w in G.edges(data="weight", default=1.0):
        A[pos[u], pos[v]] += w
        if not (G.is_directed() and directed):
            A[pos[v], pos[u]] += w  # a self-loop lands twice on the diagonal, as in its degree
    if G.is_directed() and directed:
        m = A.sum()
        return nodes, A / m - resolution * np.outer(A.sum(axis=1), A.sum(axis=0)) / m ** 2
    two_m = A.sum()
    k = A.sum(axis=1)
    return nodes, A / two_m - resolution * np.outer(k, k) / two_m ** 2


def best_modularity(G: nx.Graph, resolution: float, *, directed: bool = False) -> tuple[float, np.ndarray]:
    """The highest modularity over every partition of ``G``'s nodes, and how many partitions reach it."""
    nodes, B = modularity_matrix(G, resolution, directed=directed)
    parts = set_partitions(len(nodes))
    same = parts[:, :, None] == parts[:, None, :]
    q = same.reshape(len(parts), -1).astype(np.float64) @ B.ravel()
    return float(q.max()), parts[q >= q.max() - 1e-12]
