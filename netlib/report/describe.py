"""Communities described in plain words, and the routes spreading takes between them.

A community is described by what its members share: attribute values over-represented in it (lift =
the value's share in the community over its share among all customers), its behaviour mix, its most
influential members, its size and the communities it links to. Its name puts the strongest of these
in words ("North, Gold tier, collaborators").
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["attribute_columns", "describe_communities", "observed_routes", "seed_territories"]

#: An attribute value is named for a community when this share of its members hold it ...
MIN_SHARE = 0.3
#: ... and it is at least this many times as common as among all customers.
MIN_LIFT = 1.3
#: Communities smaller than this are not described by their attributes (too few to say).
MIN_SIZE = 5
#: Most distinct values an attribute may have to be used in descriptions.
MAX_LEVELS = 30
#: Names of columns that identify a person or a date: never used to describe a group.
_SKIP = re.compile(r"(^|_)(id|name|e_?mail|phone|mobile|address|street|post_?code|zip|ip|date|time|ts)($|_)",
                   re.IGNORECASE)
#: What the members of a community leaning to a behaviour are called.
NOUNS = {"access": "accessors", "engage": "engagers", "customize": "customizers", "connect": "connectors",
         "collaborate": "collaborators"}
_PLACE = re.compile(r"region|country|city|state|area|territory|market", re.IGNORECASE)


def attribute_columns(customers: pd.DataFrame) -> list[str]:
    """Customer columns that can describe a group: few distinct values, not an id, name, contact or date."""
    out = []
    n = len(customers)
    for col in customers.columns:
        if col == "customer_id" or _SKIP.search(str(col)):
            continue
        s = customers[col]
        if pd.api.types.is_datetime64_any_dtype(s) or pd.api.types.is_float_dtype(s):
            continue
        levels = s.nunique(dropna=True)
        if 2 <= levels <= min(MAX_LEVELS, max(2, n // 2)):
            out.append(col)
    return out


def _phrase(col: str, value) -> str:
    human = str(col).replace("_", " ")
    v = str(value)
    if _PLACE.search(str(col)):
        return v
    return f"{v} {human}"


def _over_represented(customers: pd.DataFrame, part: pd.Series, columns: list[str]) -> dict:
    """Per community: [(column, value, share, lift)] of over-represented values, strongest first."""
    frame = customers.set_index("customer_id")[columns].reindex(part.index)
    out: dict = {c: [] for c in part.unique()}
    for col in columns:
        s = frame[col].astype("string")
        overall = s.value_counts(normalize=True, dropna=True)
        table = pd.crosstab(part, s, normalize="index")
        lift = table / overall.reindex(table.columns).to_numpy()[None, :]
        rows, cols = ((table >= MIN_SHARE) & (lift >= MIN_LIFT)).to_numpy().nonzero()  # row by row, as read
        for i, j in zip(rows.tolist(), cols.tolist()):
            out[table.index[i]].append((col, table.columns[j], float(table.iat[i, j]), float(lift.iat[i, j])))
    for c in out:
        out[c].sort(key=lambda t: -(t[2] * t[3]))
    return out


def _first_max(values: np.ndarray, names: list) -> int:
    """Position of the largest value, NaN skipped, the first on ties (as pandas' ``idxmax``)."""
    if np.isnan(values).all():
        return names.index(pd.Series(values, index=names).idxmax())
    return int(np.nanargmax(values))


def describe_communities(G, partition: pd.Series, *, customers: pd.DataFrame | None = None,
                         ranking: pd.DataFrame | None = None, profiles: pd.DataFrame | None = None
                         ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every community described in words, and the links between communities.

    Parameters
    ----------
    G : networkx graph or CustomerNetwork
    partition : Series
        Community per customer (:func:`netlib.communities`).
    customers : DataFrame, optional
        The customers table; its attribute columns (:func:`attribute_columns`) describe the communities.
    ranking : DataFrame, optional
        :func:`netlib.influencers` with ``k=None`` (a ``rank`` per customer) names the top influencers;
        PageRank does when absent.
    profiles : DataFrame, optional
        :func:`netlib.pattern_profiles` output: the behaviour mix (leave it out when the profile is degenerate).

    Returns
    -------
    (communities, links)
        ``communities`` indexed by ``community``: ``name``, ``description``, ``size``, ``share_of_customers``,
        ``internal_tie_share``, ``top_influencers``, ``linked_to``, ``leading_behaviour`` and the mean behaviour
        shares; ``links`` one row per pair of linked communities, heaviest first.

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.barbell_graph(5, 0)
    >>> table, _ = nl.report.describe_communities(G, nl.communities(G, seed=0))
    >>> table.index.name, table["size"].tolist()
    ('community', [5, 5])
    """
    from netlib.community import community_graph
    from netlib.patterns import BEHAVIOURS
    from netlib.plot._base import _degrees

    part = partition
    if ranking is not None:
        rank = ranking["rank"]
    else:
        from netlib.centrality import centrality

        rank = centrality(G, ["pagerank"])["pagerank"].rank(ascending=False, method="first")
    H = community_graph(G, part)
    sizes = part.value_counts()
    n = len(part)
    attrs = attribute_columns(customers) if customers is not None else []
    over = _over_represented(customers, part, attrs) if attrs else {c: [] for c in sizes.index}
    degree = _degrees(G)
    # members of every community, most influential first (rank ascending, missing last, ties in
    # partition order): one sort for all communities instead of a scan of the partition per community
    by_rank = pd.DataFrame({"c": part.to_numpy(), "r": rank.reindex(part.index).to_numpy()}, index=part.index)
    by_rank = by_rank.sort_values(["c", "r"], kind="stable", na_position="last")
    tops = by_rank.groupby("c", sort=False).head(3).groupby("c", sort=False).groups
    first_member = by_rank.groupby("c", sort=False).head(1).reset_index().set_index("c").iloc[:, 0]
    beh = None
    if profiles is not None:
        shares = profiles[list(BEHAVIOURS)].reindex(part.index)
        beh = shares.groupby(part).mean()
        overall = shares.mean()
        # read once as arrays: a pandas lookup per community copies the frames' attrs (provenance) each time
        beh_row = {c: i for i, c in enumerate(beh.index)}
        beh_values, overall_values, beh_names = beh.to_numpy(dtype=np.float64), overall.to_numpy(), list(beh.columns)
    sizes_of = dict(zip(sizes.index.tolist(), sizes.to_numpy().tolist()))
    first_of = dict(zip(first_member.index.tolist(), first_member.tolist()))
    rows, links = [], []
    for c in sorted(sizes.index):
        size = int(sizes_of[c])
        internal = float(H.nodes[c].get("internal_weight", 0.0))
        adjacent = H.adj[c]
        external = sum(float(d.get("weight", 0.0)) for v, d in adjacent.items() if v != c)
        nbrs = sorted(((v, float(d.get("weight", 0.0))) for v, d in adjacent.items() if v != c), key=lambda t: -t[1])
        top = list(tops[c])
        parts = [_phrase(col, v) for col, v, _, _ in over.get(c, [])[:2]] if size >= MIN_SIZE else []
        facts = [f"{_phrase(col, v)}: {s:.0%} of members, {lift:.1f}× the average"
                 for col, v, s, lift in over.get(c, [])[:3]] if size >= MIN_SIZE else []
        lead = None
        row = {"community": int(c)}
        i = beh_row.get(c) if beh is not None else None
        if i is not None and not np.isnan(beh_values[i]).all():
            with np.errstate(divide="ignore", invalid="ignore"):
                lifts = beh_values[i] / overall_values
            j = _first_max(lifts, beh_names)
            lead = str(beh_names[j])
            best = float(np.nanmax(lifts))
            if best >= 1.15 and size >= MIN_SIZE:
                parts.append(NOUNS[lead] if beh_values[i, j] >= 0.4 else f"leaning to {lead}")
                facts.append(f"{lead} is {beh_values[i, j]:.0%} of their behaviour, {best:.1f}× the average")
            for b in BEHAVIOURS:
                row[b] = float(beh_values[i, beh_names.index(b)])
        if size == 1 and degree.get(first_of[c], 0) == 0:
            name, desc = "no ties (one customer)", "A customer with no interaction in the data."
        else:
            name = ", ".join(parts) if parts else "mixed"
            tie_share = internal / (internal + external) if internal + external else 0.0
            desc = (f"{size:,} customers ({size / n:.1%}); {tie_share:.0%} of their tie weight stays inside. "
                    + ("; ".join(facts) + ". " if facts else "No attribute or behaviour stands out. ")
                    + (f"Most influential: {', '.join(map(str, top))}. " if top else "")
                    + (f"Linked most to communit{'y' if len(nbrs[:2]) == 1 else 'ies'} "
                       f"{', '.join(str(v) for v, _ in nbrs[:2])}." if nbrs else "No ties to other communities."))
        row.update({"name": name, "description": desc, "size": size, "share_of_customers": size / n,
                    "internal_tie_share": internal / (internal + external) if internal + external else float("nan"),
                    "top_influencers": ", ".join(map(str, top)), "linked_to": ", ".join(str(v) for v, _ in nbrs[:3]),
                    "leading_behaviour": lead})
        rows.append(row)
    for u, v, d in H.edges(data=True):
        if u != v:
            a, b = sorted((int(u), int(v)))
            links.append({"community_a": a, "community_b": b, "ties": int(d.get("ties", 0)),
                          "tie_weight": float(d.get("weight", 0.0))})
    table = pd.DataFrame(rows).set_index("community")
    order = ["name", "description", "size", "share_of_customers", "internal_tie_share", "top_influencers",
             "linked_to", "leading_behaviour", *[b for b in BEHAVIOURS if b in table.columns]]
    table = table[order]
    link_table = pd.DataFrame(links, columns=["community_a", "community_b", "ties", "tie_weight"])
    if len(link_table):
        total = link_table["tie_weight"].sum()
        link_table["share_of_cross_weight"] = link_table["tie_weight"] / total if total else 0.0
        link_table = link_table.sort_values(["tie_weight", "community_a", "community_b"],
                                            ascending=[False, True, True], kind="stable")
    link_table.insert(1, "name_a", link_table["community_a"].map(table["name"]))
    link_table.insert(3, "name_b", link_table["community_b"].map(table["name"]))
    link_table.index = pd.RangeIndex(1, len(link_table) + 1, name="route")
    return table, link_table


def observed_routes(f) -> None:
    """Count the observed cascade hops (sharer → adopter) within and between communities into ``f``."""
    if f.cascades is None or not len(f.cascades) or f.community_links is None:
        return
    hops = f.cascades[f.cascades["parent"].notna()]
    a = hops["parent"].astype("string").map(f.partition)
    b = hops["customer"].astype("string").map(f.partition)
    f.reach["cascade_hops"] = int(len(hops))
    f.reach["cascade_hops_within"] = int((a == b).sum())
    cross = pd.DataFrame({"a": a[a != b], "b": b[a != b]}).dropna().astype(int)
    lo, hi = cross.min(axis=1), cross.max(axis=1)  # a route counts both ways
    counts = pd.Series(1, index=pd.MultiIndex.from_arrays([lo, hi])).groupby(level=[0, 1]).sum()
    links = f.community_links
    keys = pd.MultiIndex.from_arrays([links["community_a"].astype(int), links["community_b"].astype(int)])
    links["cascade_hops"] = counts.reindex(keys, fill_value=0).astype(int).to_numpy().tolist()


def seed_territories(f, *, targets: int = 8) -> None:
    """The territory each campaign seed reaches first, and the most probable path from the seeds to the
    most influential member of each of the largest communities (into ``f.territories`` and ``f.paths``)."""
    import netlib as nl

    if not f.seeds:
        return
    p = f.assumptions.p
    terr = nl.territories(f.G, f.seeds, p=p)
    n = f.G.number_of_nodes()
    won = terr["seed"].value_counts()
    rows = []
    for order, s in enumerate(f.seeds, start=1):
        mine = terr.index[terr["seed"] == s]
        main = f.partition.reindex(mine).value_counts()
        rows.append({"customer_id": s, "pick_order": order, "community": int(f.partition[s]),
                     "community_name": f.community_info["name"].get(int(f.partition[s])),
                     "influence_rank": int(f.ranking.loc[s, "rank"]),
                     "expected_reach_alone": float(f.ranking.loc[s, "expected_reach"]),
                     "territory_size": int(won.get(s, 0)), "territory_share": float(won.get(s, 0)) / n,
                     "territory_main_community": int(main.index[0]) if len(main) else None})
    f.territories = pd.DataFrame(rows).set_index("customer_id")
    rank = f.ranking["rank"]
    paths = []
    for c in f.community_info.sort_values("size", ascending=False, kind="stable").index[:targets]:
        if f.community_info.loc[c, "size"] < 2:
            continue
        members = f.partition.index[f.partition == c]
        ranked = [v for v in rank.reindex(members).sort_values(kind="stable").index if v not in f.seeds]
        if not ranked:
            continue
        target = ranked[0]
        if target not in terr.index or pd.isna(terr.loc[target, "seed"]):
            continue
        seed = terr.loc[target, "seed"]
        path = nl.most_probable_path(f.G, seed, target, p=p)
        paths.append({"community": int(c), "community_name": f.community_info.loc[c, "name"], "target": target,
                      "seed": seed, "path": " → ".join(map(str, path.nodes)), "hops": len(path.nodes) - 1,
                      "probability": float(path.probability)})
    f.paths = pd.DataFrame(paths, columns=["community", "community_name", "target", "seed", "path", "hops",
                                           "probability"]).set_index("community")
