"""Case study 3, cascades in the wild (Goel, Anderson, Hofman & Watts 2016; Ma, Gao & Wong 2017):
Twitter16 and Higgs cascades, the largest-broadcast share, and Goel et al.'s findings checked on them."""

from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd
from scipy import stats

from netlib._util import provenance
from netlib.errors import ParameterError

__all__ = ["twitter16_cascades", "higgs_cascades", "broadcast_share", "virality_check"]


def _with_broadcast_share(cascades: pd.DataFrame, metrics: pd.DataFrame) -> pd.DataFrame:
    """``metrics`` plus :func:`broadcast_share`'s columns (those cascade_metrics does not already give)."""
    share = broadcast_share(cascades)
    key = ["item_id", "root"]
    share = share[key + [c for c in share.columns if c not in key and c not in metrics.columns]]
    out = metrics.merge(share, on=key, how="left")   # a left merge keeps the rows' order
    out.index = metrics.index
    out.attrs = dict(metrics.attrs)
    return out


def twitter16_cascades(data_home: str | os.PathLike | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Twitter16 cascades of :func:`netlib.datasets.twitter16_cascades`, plus ``broadcast_share``.

    Returns
    -------
    (cascades, metrics) : tuple of DataFrame
        As :func:`netlib.datasets.twitter16_cascades` (metrics with ``label`` and ``rumour``), the
        metrics with :func:`broadcast_share`'s ``largest_broadcast`` and ``broadcast_share`` added.

    References
    ----------
    J. Ma, W. Gao, K.-F. Wong, "Detect Rumors in Microblog Posts Using Propagation Structure via Kernel
    Learning", ACL 2017.
    """
    from netlib.datasets import twitter16_cascades as _trees

    cascades, metrics = _trees(data_home=data_home)
    metrics = _with_broadcast_share(cascades, metrics)
    metrics.attrs.update(provenance("casestudies.twitter16_cascades"))
    return cascades, metrics


def higgs_cascades(data_home: str | os.PathLike | None = None, *, hours: float | None = None,
                   rule: str = "first") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Retweet cascades about the Higgs boson announcement, rebuilt from the timestamped retweets.

    The SNAP files have no tweet ids, only who retweeted whom and when. The Higgs discovery is taken
    as one item spreading: a user adopts it at their first retweet on the topic, and their parent is
    the user they retweeted (``rule="first"``: the first one; see
    :func:`netlib.cascades.reconstruct_cascades`). A user retweeted before retweeting anyone is a
    root. Twitter credits a retweet to the original author, so depth here counts chains of users
    who retweeted someone and were themselves retweeted later, not retweets of retweets of one tweet.

    Parameters
    ----------
    data_home : path, optional
        See :func:`netlib.datasets.data_home`.
    hours : float, optional
        Keep only the first ``hours`` hours of the log (from its first retweet), to keep runs short.
    rule : {"first", "last", "strongest"}
        Attribution rule.

    Returns
    -------
    (cascades, metrics) : tuple of DataFrame
        The cascade table and :func:`netlib.cascades.cascade_metrics` plus ``broadcast_share``.

    References
    ----------
    M. De Domenico, A. Lima, P. Mougel, M. Musolesi, "The Anatomy of a Scientific Rumor", Scientific
    Reports 3, 2980 (2013).
    """
    from netlib.cascades import cascade_metrics, reconstruct_cascades
    from netlib.datasets import load_frames

    act = load_frames("higgs-twitter", "activity", data_home=data_home)["activity"]
    rt = act[act["type"] == "RT"]
    if hours is not None:
        if not hours > 0:
            raise ParameterError(f"hours must be positive; got {hours!r}")
        rt = rt[rt["timestamp"] < rt["timestamp"].min() + pd.Timedelta(hours=float(hours))]
    log = pd.DataFrame({"source": rt["user_b"].astype("string").to_numpy(),   # retweeted: information flows
                        "target": rt["user_a"].astype("string").to_numpy(),   # from user_b to user_a
                        "timestamp": rt["timestamp"].to_numpy()})
    cascades = reconstruct_cascades(log, rule=rule)
    metrics = cascade_metrics(cascades)
    metrics = _with_broadcast_share(cascades, metrics)
    metrics.attrs["report"] = cascades.attrs.get("report", {})
    metrics.attrs.update(provenance("casestudies.higgs_cascades", hours=hours, rule=rule))
    return cascades, metrics


def broadcast_share(cascades: pd.DataFrame) -> pd.DataFrame:
    """Share of each cascade's adopters reached by its single largest broadcast.

    Goel et al. (2016) find that popularity is largely driven by the size of the largest broadcast:
    the most adopters any one node reached directly. This is that number (most children of one
    adopter) over the adopters other than the root.

    Parameters
    ----------
    cascades : DataFrame
        A cascade table (``item_id``, ``customer``, ``parent``, ``root``).

    Returns
    -------
    pandas.DataFrame
        Columns ``item_id``, ``root``, ``largest_broadcast`` (children of the most-followed adopter)
        and ``broadcast_share`` (that over size - 1; NaN for a cascade of one).

    References
    ----------
    S. Goel, A. Anderson, J. Hofman, D. J. Watts, "The structural virality of online diffusion",
    Management Science 62(1), 180-196 (2016).

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib_cases as cs
    >>> tab = pd.DataFrame({"item_id": "x", "customer": list("abcd"), "parent": [None, "a", "a", "b"],
    ...                     "root": "a"})
    >>> cs.broadcast_share(tab)[["largest_broadcast", "broadcast_share"]].iloc[0].tolist()
    [2.0, 0.6666666666666666]
    """
    for col in ("item_id", "customer", "parent", "root"):
        if col not in cascades.columns:
            raise ParameterError(f"cascades: column {col!r} is missing (see reconstruct_cascades)")
    tab = cascades[["item_id", "customer", "parent", "root"]].copy()
    tab["item_id"] = tab["item_id"].astype("string")
    tab["root"] = tab["root"].astype("string")
    tab["parent"] = tab["parent"].astype("string")
    key = ["item_id", "root"]
    size = tab.groupby(key, dropna=False, sort=False).size().rename("size")
    kids = (tab.dropna(subset=["parent"]).groupby([*key, "parent"], dropna=False, sort=False).size()
            .groupby(level=[0, 1], dropna=False).max().rename("largest_broadcast"))
    out = pd.concat([size, kids], axis=1).reset_index()
    out["largest_broadcast"] = out["largest_broadcast"].fillna(0).astype("float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["broadcast_share"] = np.where(out["size"] > 1, out["largest_broadcast"] / (out["size"] - 1), np.nan)
    out["item_id"] = out["item_id"].astype("str").where(out["item_id"].notna(), pd.NA) if out["item_id"].isna().any() \
        else out["item_id"].astype("str")
    out["root"] = out["root"].astype("str")
    return out.drop(columns="size")


def virality_check(metrics: pd.DataFrame, *, min_size: int = 100) -> pd.Series:
    """Goel et al. (2016)'s findings about large cascades, measured on one set of cascades.

    They report (on a billion Twitter diffusion events) that large cascades are structurally diverse,
    that structural virality is typically low and stays low as size grows (popularity and structural
    virality are only weakly related), and that popularity is largely driven by the size of the
    largest broadcast.

    Parameters
    ----------
    metrics : DataFrame
        From :func:`netlib.cascades.cascade_metrics` with ``broadcast_share`` (as
        :func:`twitter16_cascades` and :func:`higgs_cascades` return).
    min_size : int
        A cascade is large from this many adopters (Goel et al. use 100).

    Returns
    -------
    pandas.Series
        ``large`` (count), ``sv_median``, ``sv_p10``, ``sv_p90`` (structural virality),
        ``depth_median``, ``spearman_size_sv`` and its ``p_size_sv``, ``broadcast_share_median`` and
        ``share_broadcast_majority`` (share of large cascades where one adopter directly reached more
        than half of the others).

    References
    ----------
    S. Goel, A. Anderson, J. Hofman, D. J. Watts, "The structural virality of online diffusion",
    Management Science 62(1), 180-196 (2016).
    """
    for col in ("size", "structural_virality", "depth", "broadcast_share"):
        if col not in metrics.columns:
            raise ParameterError(f"metrics: column {col!r} is missing (use twitter16_cascades or higgs_cascades)")
    big = metrics[metrics["size"] >= min_size]
    sv = big["structural_virality"].to_numpy(dtype=float)
    if len(big) >= 3:
        rho, p = stats.spearmanr(big["size"], sv)
    else:
        rho, p = math.nan, math.nan
    out = pd.Series({
        "large": len(big),
        "sv_median": float(np.median(sv)) if len(sv) else math.nan,
        "sv_p10": float(np.quantile(sv, 0.1)) if len(sv) else math.nan,
        "sv_p90": float(np.quantile(sv, 0.9)) if len(sv) else math.nan,
        "depth_median": float(big["depth"].median()) if len(big) else math.nan,
        "spearman_size_sv": float(rho), "p_size_sv": float(p),
        "broadcast_share_median": float(big["broadcast_share"].median()) if len(big) else math.nan,
        "share_broadcast_majority": float((big["broadcast_share"] > 0.5).mean()) if len(big) else math.nan,
    }, name=f"size >= {min_size}", dtype=object)
    out.attrs.update(provenance("casestudies.virality_check", min_size=min_size))
    return out
