"""Shared helpers of the community tests (imported by name, like conftest)."""

from __future__ import annotations

import random

import networkx as nx
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
