"""Tiny fixed graphs and the datasets folder, shared by every test module."""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
import pytest

REPO = Path(__file__).resolve().parents[1]


def datasets_home() -> Path | None:
    """The public datasets folder: NETLIB_DATA_HOME, else ../shared/datasets beside the checkout."""
    env = os.environ.get("NETLIB_DATA_HOME")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "datasets")
    for path in candidates:
        if path.is_dir():
            return path
    return None


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    """Path of the public datasets; skips the test cleanly when the folder is absent."""
    path = datasets_home()
    if path is None:
        pytest.skip("public datasets folder not found (set NETLIB_DATA_HOME or put ../shared/datasets beside the repo)")
    return path


@pytest.fixture
def karate() -> nx.Graph:
    return nx.karate_club_graph()


@pytest.fixture
def directed_weighted() -> nx.DiGraph:
    """a→b (2), b→c (1), c→a (1), a→c (3), d→a (0.5): a directed, weighted triangle plus a tail."""
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 2.0), ("b", "c", 1.0), ("c", "a", 1.0), ("a", "c", 3.0), ("d", "a", 0.5)])
    return G


@pytest.fixture
def disconnected() -> nx.Graph:
    """Two triangles and an isolate."""
    G = nx.Graph()
    G.add_edges_from([(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3)])
    G.add_node(6)
    return G


@pytest.fixture
def single_node() -> nx.Graph:
    G = nx.Graph()
    G.add_node("only")
    return G


@pytest.fixture
def empty_graph() -> nx.Graph:
    return nx.Graph()


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium driven by selenium, network cut off (see ``_webdriver.py``); one per test module.
    Skips the test with the reason when Chromium, chromedriver or selenium is missing."""
    import _webdriver

    reason = _webdriver.missing_reason()
    if reason:
        pytest.skip(reason)
    b = _webdriver.Browser()
    try:
        yield b
    finally:
        b.close()
