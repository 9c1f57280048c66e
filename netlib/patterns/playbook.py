"""The strategy playbook: Rogers' strategy per behaviour segment, with the evidence behind it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from netlib._api import ids_as_str, provenance
from netlib.errors import ParameterError
from netlib.patterns._input import _numeric_by_customer, _share_matrix
from netlib.patterns.taxonomy import BEHAVIOURS

__all__ = ["STRATEGIES", "strategy_playbook"]


STRATEGIES: dict[str, dict[str, str]] = {
    "access": {
        "strategy": "Be faster and easier",
        "action": "Take friction out of reaching you: quicker sign-in, search that finds things first "
                  "time, service on every device at any hour, fewer steps to buy.",
    },
    "engage": {
        "strategy": "Be a source of valued information",
        "action": "Give them content worth their attention: useful, interactive and tuned to what they "
                  "already look at, rather than more advertising.",
    },
    "customize": {
        "strategy": "Be adaptable",
        "action": "Let them choose and shape the offer: remembered preferences, configurable products, "
                  "plans and subscriptions that fit how they use you.",
    },
    "connect": {
        "strategy": "Become part of their conversation",
        "action": "Make sharing, reviewing and referring effortless, give them something worth passing "
                  "on, and take part where they talk to each other.",
    },
    "collaborate": {
        "strategy": "Invite them to collaborate",
        "action": "Open real projects to them (idea votes, co-design, community answers, betas) and "
                  "credit what they contribute.",
    },
}
"""For each behaviour, Rogers' matching strategy (title) and a short action in netlib's words."""

_MAP_FIRST = {
    "strategy": "Map their events before choosing a strategy",
    "action": "Their events are of types the taxonomy does not know, so their behaviour is unknown, not "
              "absent: review netlib.suggest_taxonomy(events) (or profile with on_unmapped=\"suggest\"), "
              "pass the taxonomy you agree with, and profile again. Do not treat them as inactive.",
}

_REACTIVATE = {
    "strategy": "Re-activate through access",
    "action": "They show no behavioural events in the window: start at the bottom rung with an easy, "
              "fast way back in before asking for more.",
}



def _segment_labels(segments_, index: pd.Index) -> tuple[pd.Series, dict]:
    names: dict = {}
    if isinstance(segments_, pd.DataFrame):
        if "segment" not in segments_.columns:
            raise ParameterError("segments: a DataFrame needs a 'segment' column (the output of "
                                 f"netlib.patterns.segments); found {list(segments_.columns)}")
        if "segment_name" in segments_.columns:
            names = (segments_[["segment", "segment_name"]].drop_duplicates("segment")
                     .set_index("segment")["segment_name"].to_dict())
        labels = segments_["segment"]
    elif isinstance(segments_, pd.Series):
        labels = segments_
    elif isinstance(segments_, Mapping):
        labels = pd.Series(dict(segments_))
    else:
        raise ParameterError("segments must be the DataFrame from segments(), a Series or a dict "
                             f"(customer id -> segment); got {type(segments_).__name__}")
    labels = labels.copy()
    labels.index = ids_as_str(labels.index)
    common = index.intersection(labels.index)
    if len(common) == 0:
        raise ParameterError("profiles and segments have no customer id in common")
    return labels.loc[common], names


def strategy_playbook(profiles: pd.DataFrame, segments, *, min_share: float = 0.10,
                      position: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each segment, the Rogers strategy that fits it, with the evidence from the data.

    Parameters
    ----------
    profiles : DataFrame
        From :func:`pattern_profiles`.
    segments : DataFrame, Series or dict
        From :func:`segments`, or any customer id -> segment label.
    min_share : float, default 0.10
        A behaviour can lead a segment only if it makes up at least this share of the segment's
        events on average, so a tiny share with a large lift does not decide the strategy.
    position : DataFrame, optional
        Numeric columns indexed by customer id (centrality, influence score, ...). The playbook adds,
        per segment, the median percentile (0-100, over all customers in ``position``) of each column,
        as ``pctile_<column>``, so a strategy can be tied to where the segment sits in the network.

    Returns
    -------
    DataFrame
        Indexed by ``segment`` (in segment order, then the inactive segment -1 and the unprofiled
        segment -2), columns ``name``,
        ``n_customers``, ``share_of_customers``, ``behaviour`` (the lead behaviour), ``strategy``,
        ``action``, ``evidence`` (one sentence with the numbers), ``runner_up`` (the next behaviour by
        lift, or NA), ``share_<b>`` and ``lift_<b>`` for each behaviour, ``median_intensity``,
        ``median_recency_days``, ``mean_breadth`` and, when ``position`` is given, the percentiles.

    Notes
    -----
    The lead behaviour is the one whose mean share in the segment is highest *relative to the whole
    customer base* (lift = segment mean share / population mean share) among behaviours with mean share
    >= ``min_share``: what sets the segment apart, not what everybody does (access is usually the
    largest share everywhere). Strategies follow D. L. Rogers, *The Network Is Your Customer* (2010):
    access - be faster and easier; engage - be a source of valued information; customize - be
    adaptable; connect - become part of their conversation; collaborate - invite them to collaborate.
    Customers without behavioural events get a re-activation line that starts at access, unless some
    of them have events of types the taxonomy does not map (``unmapped_count`` > 0 in the profiles,
    segment -2 of :func:`segments`): those are unprofiled, not inactive, and their row says to map the
    event types first (``behaviour`` is missing) instead of recommending re-activation.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> prof = pd.DataFrame({"access": [1, .9, .2, .1], "engage": [0, .1, 0, 0], "customize": [0] * 4,
    ...                      "connect": [0, 0, .8, .9], "collaborate": [0] * 4,
    ...                      "intensity": [1.0] * 4, "recency_days": [1.0] * 4, "breadth": [1, 2, 2, 2]},
    ...                     index=pd.Index(list("abcd"), name="customer_id"))
    >>> book = nl.strategy_playbook(prof, {"a": 0, "b": 0, "c": 1, "d": 1})
    >>> book[["behaviour", "strategy"]].values.tolist()
    [['access', 'Be faster and easier'], ['connect', 'Become part of their conversation']]
    """
    shares = _share_matrix(profiles, "strategy_playbook")
    shares.index = ids_as_str(shares.index)
    if not 0 <= min_share < 1:
        raise ParameterError(f"min_share must be in [0, 1); got {min_share}")
    labels, names = _segment_labels(segments, shares.index)
    prof = profiles.copy()
    prof.index = shares.index
    prof = prof.loc[labels.index]
    S = shares.loc[labels.index]
    active = S.notna().all(axis=1)
    pop = S[active].mean()
    n_all = len(labels)

    pct = None
    if position is not None:
        pos, num = _numeric_by_customer(position, "position")
        pct = pos[num].rank(pct=True).mul(100).reindex(labels.index)

    unmapped = prof["unmapped_count"] if "unmapped_count" in prof.columns else None
    order = sorted(labels.unique(), key=lambda s: (s < 0, abs(s)))  # 0..k-1, then -1, then -2
    rows = []
    for seg in order:
        members = labels.index[labels.to_numpy() == seg]
        Sm = S.loc[members]
        act = Sm.notna().all(axis=1)
        n = len(members)
        row: dict[str, Any] = {"segment": seg, "n_customers": n, "share_of_customers": n / n_all}
        means = Sm[act].mean() if act.any() else pd.Series(np.nan, index=list(BEHAVIOURS))
        with np.errstate(invalid="ignore", divide="ignore"):
            lifts = means / pop.where(pop > 0)
        if act.any():
            row.update(_strategy(means, lifts, pop, min_share, n, n_all, names.get(seg, f"segment {seg}")))
        else:
            row.update(_no_strategy(None if unmapped is None else unmapped.loc[members], n, n_all,
                                    names.get(seg)))
        for b in BEHAVIOURS:
            row[f"share_{b}"] = float(means[b])
        for b in BEHAVIOURS:
            row[f"lift_{b}"] = float(lifts[b])
        for col, out_col, how in (("intensity", "median_intensity", "median"),
                                  ("recency_days", "median_recency_days", "median"),
                                  ("breadth", "mean_breadth", "mean")):
            row[out_col] = float(getattr(prof.loc[members, col], how)()) if col in prof.columns else np.nan
        if pct is not None:
            for c in pct.columns:
                row[f"pctile_{c}"] = float(pct.loc[members, c].median())
        rows.append(row)
    book = pd.DataFrame(rows).set_index("segment")
    lead_cols = ["name", "n_customers", "share_of_customers", "behaviour", "strategy", "action", "evidence",
                 "runner_up"]
    book = book[lead_cols + [c for c in book.columns if c not in lead_cols]]
    book.attrs["provenance"] = provenance("strategy_playbook", min_share=min_share,
                                          position=None if position is None else list(pct.columns))
    book.attrs["population_shares"] = {b: float(pop[b]) for b in BEHAVIOURS}
    return book


def _strategy(means: pd.Series, lifts: pd.Series, pop: pd.Series, min_share: float, n: int, n_all: int,
              name: str) -> dict[str, Any]:
    """The lead behaviour of a segment with active customers (highest lift among shares >= min_share)."""
    eligible = [b for b in BEHAVIOURS if means[b] >= min_share and np.isfinite(lifts[b])]
    if not eligible:
        eligible = [means.idxmax()]
    ranked = sorted(eligible, key=lambda b: (-lifts[b], BEHAVIOURS.index(b)))
    lead = ranked[0]
    runner = ranked[1] if len(ranked) > 1 else None
    ev = (f"{lead} is {means[lead]:.0%} of their behaviour vs {pop[lead]:.0%} across all customers "
          f"(lift {lifts[lead]:.2f}); {n:,} customers ({n / n_all:.0%})")
    if runner is not None:
        ev += f"; next: {runner} (lift {lifts[runner]:.2f})"
    return dict(name=name, behaviour=lead, **STRATEGIES[lead], evidence=ev, runner_up=runner)


def _no_strategy(unmapped: pd.Series | None, n: int, n_all: int, name: str | None) -> dict[str, Any]:
    """A segment without behavioural events: inactive (re-activate), or unprofiled (map the events first).

    Customers whose events are all of types the taxonomy does not map are not inactive: an export whose
    reviews and co-design submissions are unmapped would otherwise be told to re-activate its most
    involved customers. Re-activation is recommended only when no member has an unmapped event.
    """
    size = f"{n:,} customers ({n / n_all:.0%})"
    n_unprofiled = 0 if unmapped is None else int((unmapped.fillna(0).to_numpy() > 0).sum())
    if n_unprofiled == 0:
        return dict(name=name or "inactive", behaviour="access", **_REACTIVATE,
                    evidence=f"{size} with no behavioural event in the window", runner_up=None)
    events = int(unmapped.fillna(0).sum())
    ev = (f"{size}: {n_unprofiled:,} of them have {events:,} event(s) in the window, all of types the taxonomy "
          "does not map")
    if n_unprofiled < n:
        ev += f"; the other {n - n_unprofiled:,} have no behavioural event"
    return dict(name=name or "unprofiled", behaviour=None, **_MAP_FIRST, evidence=ev, runner_up=None)
