"""Case study 4, consumer trust networks: who is trusted, and whether customers' ratings follow those
of the people they trust (social proof) more than those of other earlier raters."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netlib._util import SeedLike, as_rng, provenance
from netlib.errors import ParameterError
from netlib_cases._stats import ols

__all__ = ["trust_table", "social_proof"]


def trust_table(G: nx.DiGraph, *, rating: str | None = None) -> pd.DataFrame:
    """Who is trusted: trust received and given, PageRank in the trust network, and rating received.

    Parameters
    ----------
    G : networkx.DiGraph
        Edges trustor -> trustee (CiaoDVD trust statements, Bitcoin OTC ratings).
    rating : str, optional
        Edge attribute with a signed rating (Bitcoin: -10..10). Then ``ratings_received``,
        ``mean_rating_received`` and ``negative_received`` are added, and only ratings above 0 count
        as trust (``trusted_by``, PageRank).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``, sorted by PageRank: ``trusted_by`` (in-degree of trust),
        ``trusts`` (out-degree), ``pagerank`` (Brin & Page 1998, damping 0.85, on the trust edges).

    References
    ----------
    S. Brin, L. Page, "The anatomy of a large-scale hypertextual Web search engine", WWW 1998.
    S. D. Kamvar, M. T. Schlosser, H. Garcia-Molina, "The EigenTrust algorithm for reputation management
    in P2P networks", WWW 2003.
    """
    from netlib.centrality import centrality

    if rating is not None:
        T = nx.DiGraph()
        T.add_nodes_from(G.nodes)
        T.add_edges_from((u, v) for u, v, d in G.edges(data=True) if d.get(rating, 0) > 0)
    else:
        T = G
    c = centrality(T, ["degree", "pagerank"], weight=None)
    out = pd.DataFrame({"trusted_by": c["in_degree"], "trusts": c["out_degree"], "pagerank": c["pagerank"]})
    if rating is not None:
        r = pd.DataFrame([(v, d[rating]) for _, v, d in G.edges(data=True)], columns=["customer_id", "r"])
        agg = r.groupby("customer_id")["r"].agg(ratings_received="size", mean_rating_received="mean",
                                               negative_received=lambda s: int((s < 0).sum()))
        agg.index = agg.index.astype(out.index.dtype) if len(agg) else agg.index
        out = out.join(agg)
        out["ratings_received"] = out["ratings_received"].fillna(0).astype("int64")
        out["negative_received"] = out["negative_received"].fillna(0).astype("int64")
    out = out.sort_values(["pagerank", "trusted_by"], ascending=False, kind="stable")
    out.attrs.update(provenance("casestudies.trust_table", rating=rating))
    return out


def social_proof(ratings: pd.DataFrame, trust: pd.DataFrame, *, robust: str | None = "HC1",
                 placebo_draws: int = 10, seed: SeedLike = None) -> dict[str, Any]:
    """Do the earlier ratings of the people a customer trusts predict the customer's own rating?

    For every rating (customer ``u`` rates item ``i`` at time ``t``) the earlier ratings of ``i`` are
    split into those by people ``u`` trusts (trust stated before ``t`` when trust has times) and those
    by everyone else. Ratings with at least one of each are kept, and
    ``rating ~ trusted_mean + others_mean`` is fitted by OLS (:func:`ols`). A positive coefficient on
    ``trusted_mean`` means that, at equal crowd opinion, customers rate closer to the people they
    trust: social proof in the sense of Cialdini (1984), or homophily (people trust those with the
    same taste). This association does not tell the two apart.

    Placebo: a trusted mean averages fewer ratings than the crowd mean, so its weight could differ
    for that reason alone. On the ratings with more other raters than trusted ones, the same
    number of other raters as ``u`` trusts is drawn at random, and the model is refitted with their
    mean in place of the trusted mean (and the mean of the remaining others as the crowd), averaged
    over ``placebo_draws`` draws. The trusted coefficient on that subset is compared with the
    placebo coefficient.

    Parameters
    ----------
    ratings : DataFrame
        Columns ``user``, ``item``, ``rating``, ``time``.
    trust : DataFrame
        Columns ``trustor``, ``trustee`` and optionally ``time`` (when the trust was stated).
    robust : {"HC1", "HC0", None}
        Standard errors, see :func:`ols`.
    placebo_draws : int
        Random draws averaged for the placebo coefficient.
    seed : int, Generator or None
        Randomness of the placebo draws.

    Returns
    -------
    dict
        ``"fit"`` (the :func:`ols` table), ``"placebo_fit"`` (the first placebo draw's model) and
        ``"subset_fit"`` (the real model on the placebo's subset), ``"rows"`` (the ratings used, with ``trusted_mean``,
        ``others_mean``, ``trusted_n``, ``others_n``), ``"summary"`` (a Series: ``ratings``,
        ``used``, ``coef_trusted``, ``se_trusted``, ``p_trusted``, ``coef_others``, ``r2``, and
        ``mae_trusted`` / ``mae_others``, the mean absolute gap between the rating and each mean,
        ``placebo_used``, ``coef_trusted_subset``, ``se_trusted_subset``, ``coef_placebo`` (mean over the
        draws), ``sd_placebo_draws`` and ``se_placebo`` (of the first draw)).

    References
    ----------
    R. B. Cialdini, *Influence: The Psychology of Persuasion* (1984).
    M. McPherson, L. Smith-Lovin, J. M. Cook, "Birds of a feather: homophily in social networks",
    Annual Review of Sociology 27, 415-444 (2001).
    """
    for col in ("user", "item", "rating", "time"):
        if col not in ratings.columns:
            raise ParameterError(f"ratings: column {col!r} is missing; found {list(ratings.columns)}")
    for col in ("trustor", "trustee"):
        if col not in trust.columns:
            raise ParameterError(f"trust: column {col!r} is missing; found {list(trust.columns)}")
    r = ratings[["user", "item", "rating", "time"]].dropna().reset_index(drop=True)
    r["row"] = np.arange(len(r))
    # every pair (rating, earlier rating of the same item by someone else)
    pairs = r.merge(r[["item", "user", "rating", "time"]].rename(columns={"user": "other", "rating": "other_rating",
                                                                          "time": "other_time"}), on="item")
    pairs = pairs[(pairs["other_time"] < pairs["time"]) & (pairs["other"] != pairs["user"])]
    tcols = ["trustor", "trustee"] + (["time"] if "time" in trust.columns else [])
    t = trust[tcols].drop_duplicates(subset=["trustor", "trustee"], keep="first")
    t = t.rename(columns={"trustor": "user", "trustee": "other", "time": "trust_time"})
    pairs = pairs.merge(t, on=["user", "other"], how="left", indicator=True)
    trusted = pairs["_merge"].eq("both").to_numpy()
    if "trust_time" in pairs.columns:
        trusted = trusted & (pairs["trust_time"] < pairs["time"]).fillna(False).to_numpy(dtype=bool)
    pairs["trusted"] = trusted
    agg = pairs.groupby(["row", "trusted"])["other_rating"].agg(["mean", "size"]).unstack("trusted")
    for flag in (True, False):
        if ("mean", flag) not in agg.columns:
            agg[("mean", flag)] = np.nan
            agg[("size", flag)] = 0
    rows = r.set_index("row").join(pd.DataFrame({
        "trusted_mean": agg[("mean", True)], "trusted_n": agg[("size", True)].fillna(0),
        "others_mean": agg[("mean", False)], "others_n": agg[("size", False)].fillna(0)}))
    used = rows.dropna(subset=["trusted_mean", "others_mean"]).copy()
    used["trusted_n"] = used["trusted_n"].astype("int64")
    used["others_n"] = used["others_n"].astype("int64")
    if len(used) < 4:
        raise ParameterError(f"social_proof: only {len(used)} ratings have earlier ratings by both trusted and "
                             "other customers; too few to fit")
    fit = ols(used["rating"], used[["trusted_mean", "others_mean"]], robust=robust)
    # placebo: as many random other raters as the customer trusts, on rows with enough others
    rng = as_rng(seed)
    sub = used[used["others_n"] > used["trusted_n"]]
    others = pairs.loc[~pairs["trusted"] & pairs["row"].isin(sub.index), ["row", "other_rating"]].reset_index(drop=True)
    need = others["row"].map(sub["trusted_n"]).to_numpy()
    subset_fit = placebo_fit = None
    coefs = []
    if len(sub) >= 4:
        subset_fit = ols(sub["rating"], sub[["trusted_mean", "others_mean"]], robust=robust)
        for _ in range(int(placebo_draws)):
            rank = others.assign(key=rng.random(len(others))).groupby("row")["key"].rank(method="first").to_numpy()
            pm = others.groupby([others["row"], rank <= need])["other_rating"].mean().unstack()
            draw = sub.assign(pseudo_mean=pm[True], rest_mean=pm[False])
            fit_d = ols(draw["rating"], draw[["pseudo_mean", "rest_mean"]], robust=robust)
            placebo_fit = fit_d if placebo_fit is None else placebo_fit
            coefs.append(float(fit_d.loc["pseudo_mean", "coef"]))
    extra = {"placebo_used": len(sub),
             "coef_trusted_subset": float(subset_fit.loc["trusted_mean", "coef"]) if subset_fit is not None else math.nan,
             "se_trusted_subset": float(subset_fit.loc["trusted_mean", "se"]) if subset_fit is not None else math.nan,
             "coef_placebo": float(np.mean(coefs)) if coefs else math.nan,
             "sd_placebo_draws": float(np.std(coefs, ddof=1)) if len(coefs) > 1 else math.nan,
             "se_placebo": float(placebo_fit.loc["pseudo_mean", "se"]) if placebo_fit is not None else math.nan}
    summary = pd.Series({
        "ratings": len(r), "used": len(used),
        "coef_trusted": float(fit.loc["trusted_mean", "coef"]), "se_trusted": float(fit.loc["trusted_mean", "se"]),
        "p_trusted": float(fit.loc["trusted_mean", "p"]), "coef_others": float(fit.loc["others_mean", "coef"]),
        "se_others": float(fit.loc["others_mean", "se"]), "r2": float(fit.attrs["r2"]),
        "mae_trusted": float((used["rating"] - used["trusted_mean"]).abs().mean()),
        "mae_others": float((used["rating"] - used["others_mean"]).abs().mean()),
        **extra,
    }, name="social_proof", dtype=object)
    summary.attrs.update(provenance("casestudies.social_proof", robust=robust, placebo_draws=placebo_draws,
                                    seed=seed))
    return {"fit": fit, "subset_fit": subset_fit, "placebo_fit": placebo_fit, "rows": used, "summary": summary}
