"""An offline network explorer: find any customer, see their neighbourhood, filter by community and segment.

:func:`write_explorer` writes one self-contained HTML page (``explorer.html`` in a report);
:func:`explorer_html` returns the same page as a string and :func:`explore` shows it in a JupyterLab
cell. The page needs no network: sigma.js and graphology are vendored in ``netlib/explorer/static``
(versions and licences in its README) and inlined, the data are embedded gzipped as typed arrays
(ids and names as one text each, every tie once, shares in whole percents), and a
Content-Security-Policy forbids every request.

What the page does
------------------
- **Map**: a seeded community-clustered layout computed in Python (the same picture every run):
  each community laid out on its own, communities placed as discs by a force layout of the
  community graph. Communities are coloured (tied communities get different colours) and the
  largest are named on the map; the most
  influential customers and the campaign seeds (★) are labelled; node size follows ``size_by``.
  Customers without ties and small separate groups (fewer than
  :data:`netlib.explorer._layout.MIN_COMPONENT` customers) are counted in the page's summary, not
  strewn about. Above ``max_nodes`` customers the map draws the ``max_nodes`` most influential
  and the ties among them, and the page says so; search, cards and filters still cover everyone,
  and a customer opened off the map joins it while shown, beside their drawn neighbours, with the
  neighbourhood asked for (at most 5,000 customers added at once).
- **Search** by id (or by name unless ``pseudonymized``): the map zooms to the customer and a card
  opens with their influence rank and measures, community and its description, behaviour segment
  and shares, attributes, strongest ties and a link to their row in the exports.
- **Neighbourhood**: 1 or 2 steps around the open customer; everything else is dimmed.
- **Filters**: communities (the legend toggles them), behaviour segment, any attribute with at
  most :data:`MAX_FILTER_VALUES` values, and a slider over a measure.
- **Deep links**: ``explorer.html#customer=<url-encoded id>`` opens that customer's card.

Every data string reaches the page through ``textContent`` or a canvas label, never as markup.

Size and speed (``bench/bench_explorer.py --world``; 2 shared cores at load average 9-23, so the
ratios are the figures; "before" is the page as it was, loaded alternately in the same browser):

- 100,000 customers: page 5.5 MB (8.6 before), interactive in 2.6 s (7.3 s before), written in
  7.6 s of CPU (12.0 before).
- 1,000,000 customers: page 53 MB (87 before), interactive in 18 s (469 s before) with 391 MB of
  JavaScript heap, written in 12.6 s of CPU (43.7 before) and 0.41 GiB above the network (0.74).
"""

from __future__ import annotations

import html as _html
import os
from pathlib import Path
from typing import Iterable

import networkx as nx
import pandas as pd

from netlib.explorer._data import MAX_FILTER_VALUES, MAX_NODES, TOP_LABELLED
from netlib.explorer._layout import MIN_COMPONENT

__all__ = ["MAX_NODES", "MAX_FILTER_VALUES", "MIN_COMPONENT", "TOP_LABELLED", "ExplorerView", "explore",
           "explorer_data", "explorer_html", "write_explorer"]

_TITLE = "Customer network explorer"


def explorer_data(G: nx.Graph, *, customers: pd.DataFrame | None = None, communities: pd.DataFrame | None = None,
                  seeds: Iterable | None = None, size_by: str | None = None, seed: int = 0, title: str | None = None,
                  export_href: str | None = None, pseudonymized: bool = False, max_nodes: int = MAX_NODES,
                  weight: str | None = "weight") -> dict:
    """The data the explorer page embeds, as a JSON-ready dict (see :func:`write_explorer`).

    Useful to check what a page will show (``data["meta"]`` holds the counts the page states).

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> data = nl.explorer.explorer_data(nx.path_graph(4), seed=0)
    >>> data["meta"]["n"], data["meta"]["ties"]
    (4, 3)
    """
    from netlib.explorer._data import pack

    return pack(G, customers=customers, communities=communities, seeds=seeds, size_by=size_by, seed=seed,
                title=title or _TITLE, export_href=export_href, pseudonymized=pseudonymized, max_nodes=max_nodes,
                weight=weight)


def explorer_html(G: nx.Graph, *, customers: pd.DataFrame | None = None, communities: pd.DataFrame | None = None,
                  seeds: Iterable | None = None, size_by: str | None = None, seed: int = 0, title: str | None = None,
                  export_href: str | None = None, pseudonymized: bool = False, max_nodes: int = MAX_NODES,
                  weight: str | None = "weight", open_customer=None) -> str:
    """The explorer as one self-contained HTML page (a string); arguments as :func:`write_explorer`.

    ``open_customer`` opens that customer's card when the page loads (unless the URL names another).

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> page = nl.explorer.explorer_html(nx.path_graph(4), seed=0, title="Four in a row")
    >>> page.startswith("<!doctype html>"), "Four in a row" in page
    (True, True)
    """
    from netlib.explorer._page import page

    payload = explorer_data(G, customers=customers, communities=communities, seeds=seeds, size_by=size_by,
                            seed=seed, title=title, export_href=export_href, pseudonymized=pseudonymized,
                            max_nodes=max_nodes, weight=weight)
    payload["meta"]["open"] = None if open_customer is None else str(open_customer)
    return page(payload, title=title or _TITLE, pseudonymized=pseudonymized)


def write_explorer(G: nx.Graph, path: str | os.PathLike, *, customers: pd.DataFrame | None = None,
                   communities: pd.DataFrame | None = None, seeds: Iterable | None = None, size_by: str | None = None,
                   seed: int = 0, title: str | None = None, export_href: str | None = None,
                   pseudonymized: bool = False, max_nodes: int = MAX_NODES, weight: str | None = "weight") -> Path:
    """Write the offline network explorer page to ``path`` (atomically).

    Parameters
    ----------
    G : networkx graph
        The customer network (:func:`netlib.build_network`); directed ties are drawn undirected and
        both directions' weights add up.
    customers : DataFrame, optional
        Indexed by ``customer_id`` (or with that column); any subset of: the customer's own
        attributes (``name``, ``region``, ``tier``, …), ``community`` (int), ``community_name``,
        ``segment``, behaviour shares ``access, engage, customize, connect, collaborate`` (0–1),
        ``influence_rank`` (1 = most influential), numeric measures (``pagerank``, ``degree``,
        ``reach``, …) and ``is_seed``. Numeric columns are measures; other columns are attributes
        (filterable when they take at most :data:`MAX_FILTER_VALUES` values). Without it, the
        node attributes of ``G`` are the attributes.
    communities : DataFrame, optional
        Indexed by ``community`` with ``name`` and ``description``; otherwise communities are
        called "Community <id>" and described from the data (size, share of ties inside, most
        influential member).
    seeds : iterable of customer ids, optional
        Campaign seeds: labelled with ★ and always drawn.
    size_by : str, optional
        Numeric column that sizes the nodes and ranks customers when ``influence_rank`` is absent
        (default ``pagerank``). Without a ``community`` column, communities are computed by
        :func:`netlib.communities` (seeded); without any numeric column, degree and PageRank by
        :func:`netlib.centrality`.
    seed : int
        Seeds the layout (and the computed communities): the same call draws the same picture.
    title : str, optional
        Page title (escaped). Default "Customer network explorer".
    export_href : str, optional
        Link from each card to the customer's row in the exports; ``{id}`` is replaced by the
        URL-encoded customer id (e.g. ``"customers.html#customer-{id}"``).
    pseudonymized : bool
        Ids are pseudonyms: names and other directly identifying columns are left out of the page
        and search works on ids only.
    max_nodes : int
        Most customers drawn on the map (default :data:`MAX_NODES`); above it the most influential
        are drawn with the ties among them, and the page says so.
    weight : str or None
        Edge attribute holding tie strength (missing → 1.0).

    Returns
    -------
    pathlib.Path
        The page written.

    Raises
    ------
    ParameterError
        ``size_by`` not a numeric column, seeds that are not customers, a bad ``seed`` or ``max_nodes``.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> from netlib.explorer import write_explorer
    >>> out = write_explorer(nx.karate_club_graph(), pathlib.Path(tempfile.mkdtemp()) / "explorer.html", seed=1)
    >>> out.read_text(encoding="utf-8").count("connect-src 'none'")
    1
    """
    from netlib.io import atomic_write

    text = explorer_html(G, customers=customers, communities=communities, seeds=seeds, size_by=size_by, seed=seed,
                         title=title, export_href=export_href, pseudonymized=pseudonymized, max_nodes=max_nodes,
                         weight=weight)
    path = Path(path)
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path


class ExplorerView:
    """The explorer in a notebook cell: an ``<iframe srcdoc>`` holding the same offline page.

    The page travels inside the notebook output, so it still works in an exported notebook or
    once the kernel has stopped; :meth:`save` writes it as a file.

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> view = nl.explore(nx.karate_club_graph(), seed=0)  # what a notebook cell shows
    >>> isinstance(view, nl.ExplorerView), view._repr_html_().startswith("<iframe srcdoc=")
    (True, True)
    """

    def __init__(self, page: str, height: int = 640):
        self.page = page
        self.height = int(height)

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{_html.escape(self.page, quote=True)}" title="netlib network explorer" '
                f'style="width:100%;height:{self.height}px;border:1px solid #ddd" '
                'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>')

    def save(self, path: str | os.PathLike) -> Path:
        from netlib.io import atomic_write

        path = Path(path)
        with atomic_write(path, "w", encoding="utf-8") as fh:
            fh.write(self.page)
        return path


def explore(G: nx.Graph, *, customers: pd.DataFrame | None = None, communities: pd.DataFrame | None = None,
            seeds: Iterable | None = None, size_by: str | None = None, seed: int = 0, title: str | None = None,
            pseudonymized: bool = False, max_nodes: int = MAX_NODES, weight: str | None = "weight",
            customer=None, height: int = 640) -> ExplorerView:
    """Show the explorer in a JupyterLab cell, offline; arguments as :func:`write_explorer`.

    ``customer`` opens that customer's card at once; ``height`` is the cell's height in pixels.
    Display the returned object (last expression of a cell), or ``.save(path)`` it.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import networkx as nx
    >>> import netlib as nl
    >>> view = nl.explore(nx.karate_club_graph(), seed=0, height=480)
    >>> path = view.save(Path(tempfile.mkdtemp()) / "explorer.html")
    >>> path.read_text(encoding="utf-8").startswith("<!doctype html>"), view.height
    (True, 480)
    """
    return ExplorerView(explorer_html(G, customers=customers, communities=communities, seeds=seeds, size_by=size_by,
                                      seed=seed, title=title, pseudonymized=pseudonymized, max_nodes=max_nodes,
                                      weight=weight, open_customer=customer), height=height)
