"""The classic small graphs that ship with networkx, stamped with their citation and ground truth."""

from __future__ import annotations

import networkx as nx

from netlib.datasets._base import _register, _stamp

__all__ = ["karate_club", "les_miserables", "florentine_families", "davis_southern_women"]


def karate_club() -> nx.Graph:
    """Zachary's karate club: 34 members, 78 friendships, and the faction each joined after the split.

    Returns
    -------
    networkx.Graph
        Nodes 0..33 with attribute ``club`` (``"Mr. Hi"`` or ``"Officer"``, the ground truth:
        ``ground_truth(G)``); edges carry networkx's ``weight`` (number of contexts of interaction).

    References
    ----------
    W. W. Zachary, "An information flow model for conflict and fission in small groups",
    Journal of Anthropological Research 33(4), 452-473 (1977).

    Examples
    --------
    >>> import netlib as nl
    >>> G = nl.datasets.karate_club()
    >>> G.number_of_nodes(), G.number_of_edges()
    (34, 78)
    >>> nl.datasets.ground_truth(G).value_counts().to_dict()
    {0: 17, 1: 17}
    """
    return _stamp(nx.karate_club_graph(), "karate-club", "club")


def les_miserables() -> nx.Graph:
    """Co-appearances of the 77 characters of Victor Hugo's novel (Knuth 1993); edge ``weight`` counts scenes.

    Returns
    -------
    networkx.Graph
        Nodes are character names. No ground truth.

    References
    ----------
    D. E. Knuth, "The Stanford GraphBase: A Platform for Combinatorial Computing", Addison-Wesley (1993).

    Examples
    --------
    >>> import netlib as nl
    >>> G = nl.datasets.les_miserables()
    >>> G.number_of_nodes(), G.number_of_edges(), G["Valjean"]["Javert"]["weight"]
    (77, 254, 17)
    """
    return _stamp(nx.les_miserables_graph(), "les-miserables")


def florentine_families() -> nx.Graph:
    """Marriage ties among 15 Renaissance Florentine families (Breiger & Pattison 1986; Padgett & Ansell 1993).

    Returns
    -------
    networkx.Graph
        Nodes are family names. No ground truth.

    References
    ----------
    J. F. Padgett, C. K. Ansell, "Robust action and the rise of the Medici, 1400-1434", American Journal
    of Sociology 98(6), 1259-1319 (1993).

    Examples
    --------
    >>> import netlib as nl
    >>> G = nl.datasets.florentine_families()
    >>> G.number_of_nodes(), G.number_of_edges(), G.degree("Medici")
    (15, 20, 6)
    """
    return _stamp(nx.florentine_families_graph(), "florentine-families")


def davis_southern_women() -> nx.Graph:
    """18 women and the 14 social events they attended (Davis et al. 1941): a bipartite graph.

    Returns
    -------
    networkx.Graph
        Node attribute ``bipartite`` is 0 for women and 1 for events; ``G.graph["top"]`` lists the
        women and ``G.graph["bottom"]`` the events.

    References
    ----------
    A. Davis, B. B. Gardner, M. R. Gardner, "Deep South" (1941).

    Examples
    --------
    >>> import netlib as nl
    >>> G = nl.datasets.davis_southern_women()
    >>> len(G.graph["top"]), len(G.graph["bottom"]), G.number_of_edges()
    (18, 14, 89)
    """
    return _stamp(nx.davis_southern_women_graph(), "davis-southern-women")


_register("karate-club", graph=karate_club)
_register("les-miserables", graph=les_miserables)
_register("florentine-families", graph=florentine_families)
_register("davis-southern-women", graph=davis_southern_women)
