"""Case study 2, community structure with ground truth: modularity and agreement with the real groups
of each community method, against the best known modularity of the benchmark graphs."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
import pandas as pd

from netlib._util import SeedLike, as_rng, int_seed, provenance

__all__ = ["BEST_KNOWN_MODULARITY", "community_benchmark"]

#: Best known modularity (unweighted, resolution 1) of the benchmark graphs, with where the number
#: comes from. Karate: the proven optimum (Brandes et al. 2008; asserted to 1e-15 by igraph's test of
#: its exact ILP solver). Football: the optimum reported by Aloise et al. (2010), read here only in a
#: secondary source (see the datasets' REFERENCE_VALUES.md). email-Eu-core: no published value found.
BEST_KNOWN_MODULARITY: dict[str, dict[str, Any]] = {
    "karate": {"modularity": 0.4197896120973046, "grade": "proven optimum",
               "source": "Brandes et al., IEEE TKDE 20(2) (2008); igraph optimal-modularity unit test"},
    "football": {"modularity": 0.6046, "grade": "published optimum, secondary source",
                 "source": "Aloise et al., Phys. Rev. E 82, 046112 (2010), as quoted in REFERENCE_VALUES.md"},
    "email-Eu-core": {"modularity": None, "grade": "none found", "source": ""},
}


def community_benchmark(networks: Mapping[str, tuple[nx.Graph, pd.Series]], *,
                        methods: Sequence[str] = ("leiden", "louvain", "label_propagation"),
                        seed: SeedLike = None, restarts: int | None = None,
                        best_known: Mapping[str, Mapping[str, Any]] | None = None) -> pd.DataFrame:
    """Modularity and agreement with ground truth of each community method on each network.

    Parameters
    ----------
    networks : mapping of str to (graph, truth)
        Name -> (undirected graph, ground-truth labels per node as a Series). Graphs are read
        unweighted (``weight=None``), as the published optima are.
    methods : sequence of str
        Methods of :func:`netlib.community.communities`.
    seed : int, Generator or None
        One seed for everything (each method and network draws its own int from it).
    restarts : int, optional
        Restarts per method (default: netlib's size-dependent rule).
    best_known : mapping, optional
        Name -> {"modularity": float or None, ...}; default :data:`BEST_KNOWN_MODULARITY`.

    Returns
    -------
    pandas.DataFrame
        One row per (``network``, ``method``) with the ground truth itself as method
        ``"ground truth"``: ``communities``, ``modularity``, ``best_known``, ``gap`` (best known minus
        found; negative would beat the record), ``nmi``, ``ami``, ``ari`` (against the truth).

    References
    ----------
    U. Brandes, D. Delling, M. Gaertler, R. Görke, M. Hoefer, Z. Nikoloski, D. Wagner, "On modularity
    clustering", IEEE TKDE 20(2), 172-188 (2008).
    D. Aloise, S. Cafieri, G. Caporossi, P. Hansen, S. Perron, L. Liberti, "Column generation algorithms
    for exact modularity maximization in networks", Phys. Rev. E 82, 046112 (2010).
    L. Danon, A. Díaz-Guilera, J. Duch, A. Arenas, "Comparing community structure identification",
    J. Stat. Mech. P09008 (2005) (NMI).
    """
    from netlib.community import communities, partition_quality

    best = BEST_KNOWN_MODULARITY if best_known is None else best_known
    rng = as_rng(seed)
    rows = []
    for name, (G, truth) in networks.items():
        ref = best.get(name, {}).get("modularity")
        parts = {"ground truth": truth}
        for method in methods:
            parts[method] = communities(G, method=method, weight=None, seed=int_seed(rng), restarts=restarts,
                                        progress=False)
        for method, part in parts.items():
            s = partition_quality(G, part, truth=truth, weight=None).summary
            rows.append({"network": name, "method": method, "communities": int(s["n_communities"]),
                         "modularity": float(s["modularity"]), "best_known": ref,
                         "gap": (ref - float(s["modularity"])) if ref is not None else math.nan,
                         "nmi": float(s["nmi"]), "ami": float(s["ami"]), "ari": float(s["ari"])})
    out = pd.DataFrame(rows).set_index(["network", "method"])
    out["best_known"] = out["best_known"].astype("float64")
    out.attrs.update(provenance("casestudies.community_benchmark", methods=list(methods), seed=seed,
                                restarts=restarts))
    return out
