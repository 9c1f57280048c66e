"""Newman's GML networks: Girvan and Newman's college football (with Evans' corrected conferences),
Lusseau's dolphins and Krebs' political books."""

from __future__ import annotations

import os
import re
from pathlib import Path

import networkx as nx
import pandas as pd

from netlib.datasets._base import _files, _register, _stamp
from netlib.errors import DataError, ParameterError

__all__ = ["football", "dolphins", "polbooks", "GN_CONFERENCES", "EVANS_CONFERENCES"]

#: Conference names of the Girvan-Newman labels (Newman's football.txt) and of Evans' corrected labels.
GN_CONFERENCES = ("Atlantic Coast", "Big East", "Big Ten", "Big Twelve", "Conference USA", "Independents",
                  "Mid-American", "Mountain West", "Pacific Ten", "Southeastern", "Sun Belt",
                  "Western Athletic")
EVANS_CONFERENCES = ("Atlantic Coast", "Big East", "Big Ten", "Big Twelve", "Conference USA", "Big West",
                     "Mid-American", "Mountain West", "Pacific Ten", "Southeastern", "Western Athletic",
                     "Independent: Notre Dame", "Independent: Navy", "Independent: Connecticut",
                     "Independent: Central Florida", "Independent: Middle Tennessee State",
                     "Independent: Louisiana Tech", "Independent: Louisiana Monroe",
                     "Independent: Louisiana Lafayette")


def _read_gml(path: Path) -> tuple[nx.Graph, int]:
    """A GML file as a simple graph with integer ids; also the number of duplicated edge entries merged."""
    text = path.read_text(encoding="utf-8", errors="replace")
    text, found = re.subn(r"\bgraph\s*\[", "graph\n[\n  multigraph 1", text, count=1)
    if not found:
        raise DataError(f"{path}: not a GML file (no 'graph [' block)")
    try:
        multi = nx.parse_gml(text, label="id")
    except nx.NetworkXError as exc:
        raise DataError(f"{path}: cannot parse GML: {exc}") from exc
    G = nx.Graph(multi)
    return G, multi.number_of_edges() - G.number_of_edges()


def _gml_frames(name: str, filename: str, value: str | None):
    def nodes(home):
        (path,) = _files(name, home, filename)
        G, _ = _read_gml(path)
        cols = {"id": list(G.nodes), "label": [d.get("label") for _, d in G.nodes(data=True)]}
        if value:
            cols[value] = [d.get("value") for _, d in G.nodes(data=True)]
        return pd.DataFrame(cols)

    def edges(home):
        (path,) = _files(name, home, filename)
        G, _ = _read_gml(path)
        return pd.DataFrame(list(G.edges), columns=["u", "v"])
    return {"nodes": nodes, "edges": edges}


def _gml_graph(name: str, filename: str, value: str | None, home) -> tuple[nx.Graph, int]:
    (path,) = _files(name, home, filename)
    G, dupes = _read_gml(path)
    if value:
        for _, d in G.nodes(data=True):
            if "value" in d:
                d[value] = d.pop("value")
    return G, dupes


def football(*, labels: str = "gn", data_home: str | os.PathLike | None = None) -> nx.Graph:
    """Girvan and Newman's American college football network (Division I-A games, Fall 2000).

    Parameters
    ----------
    labels : {"gn", "evans"}
        Which conference labels :func:`ground_truth` uses: Girvan-Newman's 12 (``"gn"``, attribute
        ``conference``) or Evans' corrected 19 (``"evans"``, attribute ``conference_evans``; the GN labels
        are for the 2001 season, and each independent gets its own label). Both attributes are always set,
        with their names in ``conference_name`` and ``conference_evans_name``.
    data_home : str or path-like, optional

    Returns
    -------
    networkx.Graph
        115 teams (integer GML ids, ``label`` = team name), 613 games. Newman's original file lists three
        pairs twice (teams that met twice); they are merged, and ``G.graph["duplicate_edges"]`` says how
        many entries were.

    References
    ----------
    M. Girvan, M. E. J. Newman, "Community structure in social and biological networks", PNAS 99,
    7821-7826 (2002). T. S. Evans, "Clique graphs and overlapping communities", J. Stat. Mech. (2010) P12037.
    """
    if labels not in ("gn", "evans"):
        raise ParameterError(f"labels must be 'gn' or 'evans', got {labels!r}")
    G, dupes = _gml_graph("football", "football.gml", "conference", data_home)
    evans, _ = _gml_graph("football", "evans2010_corrected/footballTSEinput.gml", "conference", data_home)
    if set(evans) != set(G) or any(evans.nodes[n].get("label") != G.nodes[n].get("label") for n in G):
        raise DataError("football: footballTSEinput.gml does not list the same teams under the same ids "
                        "as football.gml")
    for n, d in G.nodes(data=True):
        d["conference_name"] = GN_CONFERENCES[d["conference"]]
        d["conference_evans"] = evans.nodes[n]["conference"]
        d["conference_evans_name"] = EVANS_CONFERENCES[d["conference_evans"]]
    G.graph["duplicate_edges"] = dupes
    return _stamp(G, "football", "conference" if labels == "gn" else "conference_evans", labels=labels)


def dolphins(*, data_home: str | os.PathLike | None = None) -> nx.Graph:
    """Lusseau's network of 62 bottlenose dolphins and their 159 frequent associations.

    Nodes are integer GML ids with ``label`` = the dolphin's name. No ground truth ships with the file.

    References
    ----------
    D. Lusseau et al., Behav. Ecol. Sociobiol. 54, 396-405 (2003).
    """
    G, _ = _gml_graph("dolphins", "dolphins.gml", None, data_home)
    return _stamp(G, "dolphins")


def polbooks(*, data_home: str | os.PathLike | None = None) -> nx.Graph:
    """Krebs' books about US politics (105 books, 441 Amazon co-purchase links) with their leaning.

    Nodes are integer GML ids with ``label`` = title and ``leaning`` = ``"l"``, ``"n"`` or ``"c"``
    (liberal, neutral, conservative; the ground truth).
    """
    G, _ = _gml_graph("polbooks", "polbooks.gml", "leaning", data_home)
    return _stamp(G, "polbooks", "leaning")



_register("football", graph=football, tables={
    **_gml_frames("football", "football.gml", "conference"),
    "evans_nodes": _gml_frames("football", "evans2010_corrected/footballTSEinput.gml", "conference")["nodes"],
})
_register("dolphins", tables=_gml_frames("dolphins", "dolphins.gml", None), graph=dolphins)
_register("polbooks", tables=_gml_frames("polbooks", "polbooks.gml", "leaning"), graph=polbooks)
