"""Segments (seeded k-means on the behaviour shares) and the behaviour ladder."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from netlib._util import SeedLike, as_rng, int_seed, progress, provenance
from netlib.errors import ParameterError
from netlib.patterns._input import _share_matrix
from netlib.patterns.taxonomy import BEHAVIOURS

__all__ = ["behaviour_ladder", "segments"]

_UNPROFILED = -2
"""Segment of customers whose events are all of types the taxonomy does not map (-1 is inactive)."""


def _name_segments(centers: np.ndarray) -> list[str]:
    """Name each centre by its dominant behaviour, adding the runner-up when it is strong or needed."""
    order = np.argsort(-centers, axis=1, kind="stable")
    names, long_names = [], []
    for row, idx in zip(centers, order):
        top, second = idx[0], idx[1]
        long_name = f"{BEHAVIOURS[top]} + {BEHAVIOURS[second]}"
        strong = row[second] >= 0.2 and row[second] >= 0.5 * row[top]
        names.append(long_name if strong else BEHAVIOURS[top])
        long_names.append(long_name)
    counts = pd.Series(names).value_counts()
    names = [long_names[i] if counts[n] > 1 else n for i, n in enumerate(names)]
    counts = pd.Series(names).value_counts()
    seen: dict[str, int] = {}
    final = []
    for name in names:
        if counts[name] > 1:
            seen[name] = seen.get(name, 0) + 1
            final.append(f"{name} ({seen[name]})")
        else:
            final.append(name)
    return final


def segments(profiles: pd.DataFrame, *, k: int | None = None, k_range: tuple[int, int] = (2, 8),
             seed: SeedLike = None, n_init: int = 10, sample_size: int = 5_000) -> pd.DataFrame:
    """Group customers by their behaviour mix: seeded k-means on the five shares.

    Parameters
    ----------
    profiles : DataFrame
        From :func:`pattern_profiles` (the share columns ``access`` ... ``collaborate`` are used).
    k : int, optional
        Number of segments. When omitted it is chosen in ``k_range`` by the largest mean silhouette
        (Rousseeuw 1987); ties go to the smaller k.
    k_range : (int, int), default (2, 8)
        Inclusive range of k tried when ``k`` is None (capped at the number of distinct profiles).
    seed : int, Generator or None
        Seeds k-means initialisation and the silhouette subsample: the same seed gives the same segments.
    n_init : int, default 10
        k-means++ restarts per k; the run with the lowest inertia is kept.
    sample_size : int, default 5000
        When k is chosen, the candidate models are fitted and scored (the silhouette is O(n²)) on a
        seeded subsample of at most this many active customers; the chosen model's centres are then
        refined by k-means on everyone (one run started from them), so every customer is assigned.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` like ``profiles`` (sorted), columns ``segment`` (int, 0..k-1 by
        decreasing size; -1 for customers with no behavioural event; -2 for customers whose events
        in the window are all of types the taxonomy does not map, when ``profiles`` has the
        ``unmapped_count`` column: their behaviour is unknown, they are not inactive) and
        ``segment_name`` (the dominant behaviour of the segment centre, with the runner-up when its
        share is at least 0.2 and half the top one, or when needed to tell segments apart;
        ``"inactive"`` for -1, ``"unprofiled"`` for -2).
        ``attrs``: ``provenance``, ``k``, ``criterion``, ``scores`` ({k: silhouette}),
        ``centers`` ({segment: {behaviour: share}}), ``names`` ({segment: name}).

    Raises
    ------
    ParameterError
        Share columns missing, a bad ``k`` or ``k_range``, or fewer active customers than ``k``.

    Notes
    -----
    k-means (Lloyd 1982) with k-means++ seeding (Arthur & Vassilvitskii 2007) from scikit-learn. Shares
    live on the simplex, so Euclidean distance between them is the natural (L2) distance between
    behaviour mixes. When all active customers share one profile, one segment is returned.

    The fits run on one thread: choosing k fits ``n_init`` models per candidate on at most
    ``sample_size`` rows, where OpenMP's start-up and barriers cost more than the arithmetic (at
    200,000 customers under load, 4.3 s CPU on one thread against 17 s on two, same segments).

    References
    ----------
    .. [1] P. J. Rousseeuw, "Silhouettes: a graphical aid to the interpretation and validation of
       cluster analysis", J. Comput. Appl. Math. 20 (1987) 53-65.
    .. [2] D. Arthur and S. Vassilvitskii, "k-means++: the advantages of careful seeding", SODA 2007.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> prof = pd.DataFrame({"access": [1, .9, 0, .1], "engage": [0, .1, 0, 0], "customize": [0] * 4,
    ...                      "connect": [0, 0, 1, .9], "collaborate": [0] * 4},
    ...                     index=pd.Index(list("abcd"), name="customer_id"))
    >>> seg = nl.segments(prof, k=2, seed=1)
    >>> seg["segment_name"].tolist()
    ['access', 'access', 'connect', 'connect']
    """
    shares = _share_matrix(profiles, "segments").sort_index()
    k_requested = k
    if int(n_init) < 1:
        raise ParameterError(f"n_init must be >= 1; got {n_init}")
    if int(sample_size) < 2:
        raise ParameterError(f"sample_size must be >= 2; got {sample_size}")
    lo, hi = (int(v) for v in k_range)
    if k is None and not (2 <= lo <= hi):
        raise ParameterError(f"k_range must be (low, high) with 2 <= low <= high; got {k_range}")
    rng = as_rng(seed)
    active = shares.notna().all(axis=1).to_numpy()
    X = shares.to_numpy()[active]
    n_active = len(X)
    n_distinct = len(np.unique(np.round(X, 12), axis=0)) if n_active else 0
    if k is not None:
        k = int(k)
        if k < 1:
            raise ParameterError(f"k must be >= 1; got {k}")
        if k > n_distinct:
            raise ParameterError(f"k={k} segments asked for, but the active customers show only "
                                 f"{n_distinct} distinct behaviour profile(s) ({n_active} active customers)")
    if n_active == 0:
        raise ParameterError("segments: no customer has a behavioural event; nothing to cluster")

    import sklearn.cluster  # noqa: F401  (loads the OpenMP and BLAS libraries, so the limit below reaches them)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # one thread (see Notes)
        k, criterion, scores, fitted, sample_is_all = _choose_k(X, k, range(lo, hi + 1), n_distinct,
                                                                int(sample_size), int(n_init), rng)
        labels, centers = _fit_segments(X, k, fitted.get(k), sample_is_all, int(n_init), rng)
    names = _name_segments(centers)

    seg = np.full(len(shares), -1, dtype=np.int64)
    seg[active] = labels
    if "unmapped_count" in profiles.columns:  # events of unmapped types only: unprofiled, not inactive
        unmapped = profiles["unmapped_count"].sort_index().to_numpy()
        seg[~active & (np.nan_to_num(unmapped.astype(np.float64)) > 0)] = _UNPROFILED
    seg_names = np.array(["unprofiled", "inactive"] + names, dtype=object)[seg + 2]
    out = pd.DataFrame({"segment": seg, "segment_name": pd.array(seg_names, dtype="str")},
                       index=shares.index)
    out.index.name = "customer_id"
    out.attrs["provenance"] = provenance("segments", k=k_requested, k_range=[lo, hi], seed=seed, n_init=int(n_init),
                                         sample_size=int(sample_size))
    out.attrs["k"] = int(k)
    out.attrs["criterion"] = criterion
    out.attrs["scores"] = scores
    out.attrs["centers"] = {j: {b: float(centers[j, i]) for i, b in enumerate(BEHAVIOURS)} for j in range(k)}
    out.attrs["names"] = {j: names[j] for j in range(k)}
    return out


def _choose_k(X: np.ndarray, k: int | None, k_range: range, n_distinct: int, sample_size: int, n_init: int,
              rng: np.random.Generator) -> tuple[int, str, dict[int, float], dict[int, Any], bool]:
    """``k`` (given, or by the largest mean silhouette in ``k_range``), how it was chosen, the scores,
    the models fitted per candidate and whether they were fitted on every row."""
    if k is not None:
        return k, "given", {}, {}, True
    candidates = [c for c in k_range if c <= n_distinct and c < len(X)]
    if not candidates:
        return 1, "single distinct profile" if n_distinct <= 1 else "too few customers", {}, {}, True
    scores, fitted, sample_is_all = _silhouette_scores(X, candidates, sample_size, n_init, rng)
    if not scores:
        return 1, "no k in k_range separates the profiles", scores, fitted, sample_is_all
    best = max(scores.values())
    return min(c for c, v in scores.items() if v >= best - 1e-12), "silhouette", scores, fitted, sample_is_all


def _silhouette_scores(X: np.ndarray, candidates: list[int], sample_size: int, n_init: int,
                       rng: np.random.Generator) -> tuple[dict[int, float], dict[int, Any], bool]:
    """Mean silhouette of a seeded k-means per candidate k, on a subsample of at most ``sample_size``."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    if len(X) > sample_size:
        Xs = X[np.sort(rng.choice(len(X), size=sample_size, replace=False))]
    else:
        Xs = X
    n_distinct_s = len(np.unique(np.round(Xs, 12), axis=0))
    scores: dict[int, float] = {}
    fitted: dict[int, Any] = {}
    for c in progress(candidates, desc="choosing k", unit="k"):
        if c > n_distinct_s or c >= len(Xs):
            continue
        model = KMeans(n_clusters=c, n_init=n_init, random_state=int_seed(rng))
        labels = model.fit_predict(Xs)
        if len(np.unique(labels)) < 2:
            continue
        scores[c] = float(silhouette_score(Xs, labels))
        fitted[c] = model
    return scores, fitted, len(Xs) == len(X)


def _fit_segments(X: np.ndarray, k: int, chosen, chosen_on_all: bool, n_init: int,
                  rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Labels 0..k-1 by decreasing size and the centres in that order."""
    from sklearn.cluster import KMeans

    if k == 1:
        labels = np.zeros(len(X), dtype=np.int64)
        centers = X.mean(axis=0, keepdims=True)
    else:
        if chosen is not None and chosen_on_all:
            model = chosen  # chosen on everyone: that fit is the model
        elif chosen is not None:  # chosen on a subsample: refine its centres on everyone (one Lloyd run)
            model = KMeans(n_clusters=k, init=chosen.cluster_centers_, n_init=1).fit(X)
        else:
            model = KMeans(n_clusters=k, n_init=n_init, random_state=int_seed(rng)).fit(X)
        labels = model.labels_.astype(np.int64)
        centers = np.vstack([X[labels == j].mean(axis=0) for j in range(k)])
    sizes = np.bincount(labels, minlength=k)
    order = sorted(range(k), key=lambda j: (-sizes[j], tuple(-centers[j])))
    relabel = np.empty(k, dtype=np.int64)
    relabel[order] = np.arange(k)
    return relabel[labels], centers[order]


def behaviour_ladder(profiles: pd.DataFrame, *, min_events: int = 1) -> pd.DataFrame:
    """How many customers reach each rung of the ladder access → engage → customize → connect → collaborate.

    Parameters
    ----------
    profiles : DataFrame
        From :func:`pattern_profiles` (uses the ``*_count`` columns).
    min_events : int, default 1
        Events of a behaviour a customer needs to count as showing it.

    Returns
    -------
    DataFrame
        Indexed by ``behaviour`` in ladder order, columns:

        - ``shows``: customers showing the behaviour at all; ``reaches``: customers whose highest
          rung is this one or above (so ``reaches`` never increases up the ladder);
        - ``climbs``: customers showing this rung *and every rung below it* (the strict ladder);
        - ``highest``: customers whose highest rung is exactly this one;
        - ``share_shows``, ``share_reaches``, ``share_climbs``: the same over all customers in
          ``profiles`` (inactive ones included, so the shares answer "of our customers, how many ...");
        - ``step_conversion``: ``reaches`` here divided by ``reaches`` on the rung below.

        ``attrs``: ``provenance``, ``n_customers``, ``n_inactive`` (customers on no rung).

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> counts = {"access_count": [3, 1, 0], "engage_count": [1, 0, 0], "customize_count": [0, 0, 0],
    ...           "connect_count": [2, 0, 1], "collaborate_count": [0, 0, 0]}
    >>> lad = nl.behaviour_ladder(pd.DataFrame(counts, index=pd.Index(list("abc"), name="customer_id")))
    >>> lad["reaches"].tolist(), lad["climbs"].tolist()
    ([3, 2, 2, 2, 0], [2, 1, 0, 0, 0])
    """
    cols = [f"{b}_count" for b in BEHAVIOURS]
    if not isinstance(profiles, pd.DataFrame) or any(c not in profiles.columns for c in cols):
        found = list(profiles.columns)[:12] if isinstance(profiles, pd.DataFrame) else type(profiles).__name__
        raise ParameterError(f"behaviour_ladder: profiles need the columns {cols}; found {found}")
    if int(min_events) < 1:
        raise ParameterError(f"min_events must be >= 1; got {min_events}")
    shows = profiles[cols].to_numpy() >= int(min_events)
    n = len(shows)
    rung = np.arange(len(BEHAVIOURS))
    highest = np.where(shows.any(axis=1), (shows * (rung + 1)).max(axis=1) - 1, -1)
    climbs = np.cumprod(shows, axis=1).astype(bool)
    reaches = np.array([(highest >= r).sum() for r in rung])
    out = pd.DataFrame({
        "shows": shows.sum(axis=0).astype(np.int64),
        "reaches": reaches.astype(np.int64),
        "climbs": climbs.sum(axis=0).astype(np.int64),
        "highest": np.array([(highest == r).sum() for r in rung], dtype=np.int64),
    }, index=pd.Index(list(BEHAVIOURS), name="behaviour"))
    denom = max(n, 1)
    for col in ("shows", "reaches", "climbs"):
        out[f"share_{col}"] = out[col] / denom if n else np.nan
    prev = np.concatenate([[n], reaches[:-1]])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["step_conversion"] = np.where(prev > 0, reaches / np.maximum(prev, 1), np.nan)
    out.attrs["provenance"] = provenance("behaviour_ladder", min_events=int(min_events))
    out.attrs["n_customers"] = int(n)
    out.attrs["n_inactive"] = int((highest < 0).sum())
    return out
