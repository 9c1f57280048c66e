"""What the report says, computed once: one set of assumptions and the answers every page and export share.

:func:`analyse` runs the analyses the summary page and the exports need, with the same parameters the
notebooks get (the same seed, ``k`` and pass-on probability ``p``), so a number printed on the summary,
in an export and in a notebook page is the same number. :func:`estimate_p` reads the pass-on
probability from the share log where items were shared; :class:`Assumptions` carries it with its basis
and the range over which reach is re-simulated.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from netlib.errors import ParameterError

__all__ = ["Assumptions", "Findings", "analyse", "estimate_p"]

#: Pass-on probability assumed when the data holds no item shares to estimate it from.
ASSUMED_P = 0.05
#: Above this share of behavioural events left unmapped, pages that depend on them say so at the top.
UNMAPPED_WARN = 0.05
#: Above this share unmapped, or when one behaviour holds this much of the mapped events, no strategy is
#: recommended: the behaviour mix would mostly reflect the taxonomy, not the customers.
DEGENERATE_UNMAPPED = 0.2
DEGENERATE_DOMINANT = 0.85
#: Taxonomy files looked for in a data folder, in this order.
TAXONOMY_FILES = ("taxonomy.yaml", "taxonomy.yml", "taxonomy.csv")
#: Pages (notebooks) and the tables each one needs.
NEEDS: dict[str, tuple[str, ...]] = {
    "01_build_network": ("interactions",),
    "02_influencers": ("interactions",),
    "03_communities": ("interactions",),
    "04_spread_paths": ("interactions",),
    "05_rogers_behaviours": ("events",),
    "06_campaign_plan": ("interactions",),
}

#: Campaign reach (summary and page 6): runs are added until the 95% interval is within this share of it.
REACH_PRECISION = 0.02


@dataclass(frozen=True)
class Assumptions:
    """The diffusion assumptions of a whole report, stated where their numbers appear.

    Attributes
    ----------
    model : str
        Diffusion model (``"ic"``: independent cascade, each tie passes a message on once with probability ``p``).
    p : float
        Pass-on probability used for every reach figure.
    p_low, p_high : float
        The plausible range reach is re-simulated over (half and double ``p``, widened to the estimate's
        95% interval when that is wider).
    basis : str
        Where ``p`` comes from, in one sentence.
    estimated : bool
        True when ``p`` was estimated from the share log.
    runs, seed, k : int
        Monte-Carlo runs per reach estimate, the seed of every stochastic step, seeds per campaign.
    window : str
        The time span of the interactions.
    """

    model: str
    p: float
    p_low: float
    p_high: float
    basis: str
    estimated: bool
    runs: int
    seed: int
    k: int
    window: str = ""

    def sentence(self) -> str:
        """The assumptions in one sentence, for the top of every page that uses them."""
        model = "independent cascade" if self.model == "ic" else self.model
        return (f"Reach is simulated with the {model} model: each tie passes a message on once with probability "
                f"p = {_pct(self.p)}. {self.basis} Ranges show reach for p between {_pct(self.p_low)} and "
                f"{_pct(self.p_high)}; each campaign reach is simulated until its 95% interval is within "
                f"±{REACH_PRECISION:.0%} of it, and influencers' reach is read from reverse-reachable sets "
                f"(seed {self.seed})."
                + (f" Data window: {self.window}." if self.window else ""))


def _pct(x: float) -> str:
    """A share as a percentage; below 0.1% with two significant figures (0.0042%), never a bare 0.0%."""
    return f"{x:.1%}" if x >= 0.001 or x <= 0 else f"{100 * x:.2g}%"


def _wilson(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    phat = successes / n
    denom = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denom
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def estimate_p(data, *, seed: int = 42, k: int = 10, runs: int = 1000, p: float | None = None) -> Assumptions:
    """The pass-on probability from the share log: the share of chances to pass an item on that were taken.

    Under the independent-cascade model every customer who has an item gets one chance per tie to pass it
    on, taken with probability p. In the share log, a customer *has* an item once they shared or received
    it; each of their ties (to the customers they interact with over the whole window) is one chance, and
    a share of the item along that tie is a chance taken. The estimate is the share of chances taken
    (sender–receiver–item triples count once), with a Wilson 95% interval.

    Parameters
    ----------
    data : CustomerData
    p : float, optional
        Use this probability instead of estimating it (the basis then says it was given).

    Returns
    -------
    Assumptions

    Examples
    --------
    >>> import pandas as pd, netlib as nl
    >>> log = pd.DataFrame({"source": ["a", "a", "b", "a", "c"], "target": ["b", "c", "d", "e", "a"],
    ...                     "timestamp": [1, 2, 3, 4, 5], "item_id": ["x", "x", "x", None, None]})
    >>> a = estimate_p(nl.read_data({"interactions": log}))
    >>> a.estimated, a.p   # a, b, c, d had item x; their ties: a 3, b 1, c 1, d 0; 3 shares of x
    (True, 0.6)
    """
    inter = data.interactions
    window = ""
    if len(inter) and pd.api.types.is_datetime64_any_dtype(inter["timestamp"]):
        t0, t1 = inter["timestamp"].min(), inter["timestamp"].max()
        window = f"{t0:%d %b %Y} to {t1:%d %b %Y}"
    if p is not None:
        if not 0 < float(p) <= 1:
            raise ParameterError(f"p must be in (0, 1]; got {p!r}")
        p = float(p)
        return Assumptions("ic", p, p / 2, min(1.0, 2 * p), "p was given for this report.", False, runs, seed, k,
                           window)
    n_shares = int((inter["item_id"].notna() & (inter["source"] != inter["target"])).sum()) \
        if "item_id" in inter.columns else 0
    if n_shares == 0:
        basis = (f"The data has no item shares to estimate it from, so p = {_pct(ASSUMED_P)} is assumed "
                 "(a common choice for word of mouth); treat reach figures as orders of magnitude.")
        return Assumptions("ic", ASSUMED_P, ASSUMED_P / 2, 2 * ASSUMED_P, basis, False, runs, seed, k, window)
    taken, chances, holders = _chances(inter)
    if chances == 0 or taken == 0:
        basis = f"The {n_shares:,} item shares give no chance to pass an item on, so p = {_pct(ASSUMED_P)} is assumed."
        return Assumptions("ic", ASSUMED_P, ASSUMED_P / 2, 2 * ASSUMED_P, basis, False, runs, seed, k, window)
    phat = min(1.0, taken / chances)
    lo, hi = _wilson(min(taken, chances), chances)
    basis = (f"p was estimated from the share log: the {holders:,} customers who had an item "
             f"had {chances:,} chances to pass it on (one per tie) and took {taken:,} of them ({_pct(phat)}; 95% "
             f"interval {_pct(lo)} to {_pct(hi)}).")
    return Assumptions("ic", phat, min(phat / 2, lo), min(1.0, max(2 * phat, hi)), basis, True, runs, seed, k,
                       window)


def _chances(inter: pd.DataFrame) -> tuple[int, int, int]:
    """``(taken, chances, holders)`` of :func:`estimate_p`, on integer codes: the (item, sender, receiver)
    triples shared between two customers, the ties of the customers who had an item summed over the
    (item, customer) pairs, and how many customers had an item."""
    import numpy as np

    n_rows = len(inter)
    codes, uniques = pd.factorize(pd.concat([inter["source"], inter["target"]], ignore_index=True))
    n = max(len(uniques), 1)
    src, dst = codes[:n_rows].astype(np.int64), codes[n_rows:].astype(np.int64)
    other = src != dst
    out_degree = np.bincount(_distinct(src[other] * n + dst[other]) // n, minlength=n)  # distinct ties per sender
    shared = other & inter["item_id"].notna().to_numpy()
    item = pd.factorize(inter["item_id"][shared])[0].astype(np.int64)
    s, d = src[shared], dst[shared]
    pair = pd.factorize(s * n + d)[0].astype(np.int64)
    taken = len(_distinct(item * (int(pair.max(initial=0)) + 1) + pair))
    holder = _distinct(np.concatenate([item * n + s, item * n + d]))  # (item, customer) once each
    customer = holder % n
    return taken, int(out_degree[customer].sum()), int(np.count_nonzero(np.bincount(customer, minlength=n)))


def _distinct(keys):
    """The distinct values of an int64 array, sorted (by sorting: numpy 2's hashed unique is far slower here)."""
    import numpy as np

    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if keys.size else keys


@dataclass
class Notice:
    """A data-quality warning or note: what to say, and which pages it belongs on top of."""

    text: str
    pages: tuple[str, ...] = ()
    level: str = "warning"


@dataclass
class Findings:
    """Everything the summary page and the exports say, computed once by :func:`analyse`.

    Attributes hold the API's own results (``ranking`` from :func:`netlib.influencers`, ``partition``
    from :func:`netlib.communities`, ...), so exports agree with what the API returns for the same
    parameters. Parts the data cannot support are None (no events: no ``profiles``; no interactions:
    no network results).
    """

    data: Any
    assumptions: Assumptions
    tables: tuple[str, ...]
    G: Any = None
    ranking: pd.DataFrame | None = None
    partition: pd.Series | None = None
    community_info: pd.DataFrame | None = None
    community_links: pd.DataFrame | None = None
    profiles: pd.DataFrame | None = None
    mapping: pd.DataFrame | None = None
    unmapped_share: float = 0.0
    segments: pd.DataFrame | None = None
    playbook: pd.DataFrame | None = None
    degenerate: str | None = None
    seeds: list = field(default_factory=list)
    reach: dict[str, Any] = field(default_factory=dict)
    cascades: pd.DataFrame | None = None
    cascade_metrics: pd.DataFrame | None = None
    territories: pd.DataFrame | None = None
    paths: pd.DataFrame | None = None
    warnings: list[Notice] = field(default_factory=list)
    taxonomy_source: str = "netlib's default taxonomy"
    pseudonymized: bool = False

    @property
    def pages(self) -> dict[str, bool]:
        """Which pages of the suite the data supports."""
        return {name: all(t in self.tables for t in need) for name, need in NEEDS.items()}

    def warnings_for(self, page: str) -> list[str]:
        return [w.text for w in self.warnings if not w.pages or page in w.pages]


def present_tables(data) -> tuple[str, ...]:
    """The tables a CustomerData was read from, in order (customers derived from ids do not count)."""
    src = data.report.tables["source"].astype(str)
    return tuple(t for t in ("customers", "interactions", "events")
                 if t in src.index and src[t] not in ("absent", "derived") and len(getattr(data, t)))


def find_taxonomy(folder) -> Path | None:
    """A taxonomy file in a data folder (``taxonomy.yaml``, ``.yml`` or ``.csv``), or None."""
    if folder is None:
        return None
    folder = Path(folder)
    if not folder.is_dir():
        return None
    for name in TAXONOMY_FILES:
        if (folder / name).is_file():
            return folder / name
    return None


def behaviour_profiles(data, taxonomy=None) -> tuple[pd.DataFrame, pd.DataFrame | None, float]:
    """Profiles with unknown event types matched by netlib's rules where that is available.

    Returns ``(profiles, mapping, unmapped_share)``: the mapping of every event type to a behaviour
    (:func:`netlib.suggest_taxonomy`; None when this netlib has no rules) and the share of behavioural
    events left unmapped.

    Examples
    --------
    >>> import netlib as nl
    >>> profiles, mapping, unmapped_share = nl.report.behaviour_profiles(nl.load_sample())
    >>> profiles.index.name, len(profiles), round(unmapped_share, 3)
    ('customer_id', 2000, 0.0)
    """
    import netlib as nl
    from netlib.patterns import pattern_profiles

    suggest = getattr(nl, "suggest_taxonomy", None)
    mapping = None
    with warnings.catch_warnings():  # what stays unmapped is reported on the pages, not as a warning
        warnings.simplefilter("ignore", category=UserWarning)
        if suggest is not None:
            mapping = suggest(data.events, taxonomy=taxonomy)
            profiles = pattern_profiles(data, taxonomy, on_unmapped="suggest")
        else:
            profiles = pattern_profiles(data, taxonomy, on_unmapped="ignore")
    if mapping is not None and len(mapping) and "source" in mapping.columns:
        counted = mapping[mapping["behaviour"].fillna("") != "ignore"] if "behaviour" in mapping.columns else mapping
        total = float(counted["count"].sum())
        unmapped = float(counted.loc[counted["source"] == "unmapped", "count"].sum())
    else:
        ev = profiles.attrs.get("events", {})
        unmapped = float(ev.get("unmapped", 0))
        total = float(ev.get("behavioural", 0)) + unmapped
    return profiles, mapping, (unmapped / total if total else 0.0)


def _degenerate(profiles: pd.DataFrame, unmapped_share: float) -> str | None:
    from netlib.patterns import BEHAVIOURS

    if unmapped_share > DEGENERATE_UNMAPPED:
        return (f"{unmapped_share:.0%} of behavioural events could not be mapped to a behaviour, so the "
                "behaviour mix says more about the taxonomy than about the customers")
    counts = profiles[[f"{b}_count" for b in BEHAVIOURS]].sum() if f"{BEHAVIOURS[0]}_count" in profiles else None
    if counts is not None and counts.sum() > 0:
        top = counts.idxmax().removesuffix("_count")
        share = counts.max() / counts.sum()
        if share >= DEGENERATE_DOMINANT:
            return (f"{share:.0%} of mapped events are '{top}', so segments cannot tell customers apart "
                    "(check the event mapping)")
    return None


def analyse(data, *, k: int = 10, seed: int = 42, p: float | None = None, runs: int = 1000, taxonomy=None,
            taxonomy_source: str | None = None, progress: bool | None = False) -> Findings:
    """Compute, once, what the summary page and the exports say about ``data``.

    Parameters
    ----------
    data : CustomerData, path or None
        As :func:`netlib.read_data` reads it (None: the shipped sample).
    k : int
        Seeds in the recommended campaign and influencers named on the summary.
    seed : int
        Seed of every stochastic step (the same value the notebooks get).
    p : float, optional
        Pass-on probability; estimated from the share log when not given (:func:`estimate_p`).
    runs : int
        Monte-Carlo runs per reach estimate.
    taxonomy : path or mapping, optional
        Event-type → behaviour mapping (:func:`netlib.load_taxonomy`); netlib's default otherwise.

    Returns
    -------
    Findings
    """
    from netlib._sample import data_or_sample
    from netlib.report.describe import describe_communities, observed_routes, seed_territories

    data = data_or_sample(data)
    tables = present_tables(data)
    assumptions = estimate_p(data, seed=seed, k=k, runs=runs, p=p)
    f = Findings(data=data, assumptions=assumptions, tables=tables,
                 taxonomy_source=taxonomy_source or "netlib's default taxonomy")
    _data_warnings(f)
    if "events" in tables:
        f.profiles, f.mapping, f.unmapped_share = behaviour_profiles(data, taxonomy)
        _behaviour_findings(f, seed)
    if "interactions" in tables:
        _network_findings(f, k=k, seed=seed, progress=progress)
        f.community_info, f.community_links = describe_communities(
            f.G, f.partition, customers=f.data.customers, ranking=f.ranking,
            profiles=f.profiles if f.degenerate is None else None)
        observed_routes(f)
        seed_territories(f)
    return f


def _data_warnings(f: Findings) -> None:
    rep = f.data.report
    if rep.rows_rejected:
        reasons = rep.rejected["reason"].value_counts().head(3) if "reason" in rep.rejected.columns else pd.Series()
        why = "; ".join(f"{n:,} {r}" for r, n in reasons.items())
        f.warnings.append(Notice(f"{rep.rows_rejected:,} of {rep.rows_in:,} input rows were set aside"
                                   + (f" ({why})" if why else "") + "; see the load report on page 1.",
                                   ("summary", "01_build_network")))
    inter = f.data.interactions
    if len(inter) and "kind" in inter.columns and "item_id" in inter.columns:
        no_item = int(((inter["kind"].astype("string") == "share") & inter["item_id"].isna()).sum())
        if no_item:
            f.warnings.append(Notice(f"{no_item:,} shares name no item, so they count as ties but not in "
                                       "any cascade.", ("summary", "04_spread_paths")))
    missing = [t for t in ("interactions", "events") if t not in f.tables]
    for t in missing:
        what = {"interactions": "the network, influencers, communities, spread paths and the campaign",
                "events": "the Rogers behaviours and strategies"}[t]
        f.warnings.append(Notice(f"No {t} file was found, so {what} could not be analysed.", ("summary",), "note"))


def _behaviour_findings(f: Findings, seed: int) -> None:
    from netlib.patterns import segments, strategy_playbook

    if f.unmapped_share > UNMAPPED_WARN:
        f.warnings.append(Notice(
            f"{f.unmapped_share:.0%} of behavioural events have an event type that no taxonomy entry or rule "
            f"maps to a behaviour; they are left out of every behaviour share. Review the event mapping on page "
            f"5 and pass a taxonomy file (--taxonomy FILE, or taxonomy.yaml in the data folder).",
            ("summary", "05_rogers_behaviours", "06_campaign_plan")))
    f.degenerate = _degenerate(f.profiles, f.unmapped_share)
    active = f.profiles["n_events"].gt(0).sum() if "n_events" in f.profiles else len(f.profiles)
    if active >= 2:
        f.segments = segments(f.profiles, seed=seed)
        f.playbook = strategy_playbook(f.profiles, f.segments)


def _network_findings(f: Findings, *, k: int, seed: int, progress) -> None:
    import netlib as nl
    from netlib.report.runcache import shared

    a = f.assumptions  # in a report run, what the pages also ask for is computed once (shared)
    f.G = shared(nl.customer_network, f.data)
    n = f.G.number_of_nodes()
    f.ranking = shared(nl.influencers, f.G, top=None, p=a.p, seed=seed, progress=progress)
    f.partition = shared(nl.communities, f.G, seed=seed)
    if f.G.number_of_edges() == 0:
        return
    best = shared(nl.maximize_influence, f.G, min(k, n), p=a.p, seed=seed, mc_runs=100, progress=progress)
    f.seeds = list(best.seeds)
    reach = {}
    for label, pp in (("low", a.p_low), ("mid", a.p), ("high", a.p_high)):  # as page 6 estimates them
        est = shared(nl.reach_curve, f.G, f.seeds, sizes=[len(f.seeds)], p=pp, precision=REACH_PRECISION,
                     seed=seed).iloc[-1]
        reach[label] = float(est["mean"])
        if label == "mid":
            reach["ci"] = (float(est["ci_low"]), float(est["ci_high"]))
    reach["customers"] = n
    f.reach = reach
    if "item_id" in f.data.interactions.columns and f.data.interactions["item_id"].notna().any():
        f.cascades = shared(nl.reconstruct_cascades, f.data)
        f.cascade_metrics = nl.cascade_metrics(f.cascades) if len(f.cascades) else None


def round_reach(x: float) -> str:
    """Reach rounded to what a simulation can say: two significant figures above 100."""
    if x >= 100:
        return f"{int(float(f'{x:.2g}')):,}"
    return f"{x:,.0f}"
