"""The generator's entry point: :func:`generate` checks its parameters and runs the eight steps
(:mod:`~netlib.synth.graph`, :mod:`~netlib.synth.items`, :mod:`~netlib.synth.events`), then
:mod:`~netlib.synth.assemble` builds the tables and the truth."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from netlib._util import as_rng, progress as _progress, provenance
from netlib.errors import ParameterError
from netlib.synth import assemble, events, graph, items
from netlib.synth._vocab import _DAY

if TYPE_CHECKING:  # pragma: no cover
    from netlib.io import CustomerData

__all__ = ["SyntheticTruth", "generate"]


@dataclass(frozen=True)
class SyntheticTruth:
    """What :func:`generate` planted: the answers analyses of the generated tables should find.

    Attributes
    ----------
    customers : pandas.DataFrame
        Indexed by ``customer_id``: ``community`` (int, 0 = largest), ``influencer`` (bool), the
        latent shares ``access``, ``engage``, ``customize``, ``connect``, ``collaborate`` (sum to 1,
        rounded to 6 decimals), ``activity`` (expected number of behavioural events) and ``degree``
        (number of friendship ties).
    cascades : pandas.DataFrame
        One row per adoption, the columns :func:`netlib.reconstruct_cascades` returns: ``item_id``,
        ``customer``, ``parent`` (NA for roots), ``time`` (UTC), ``depth`` (0 at the root),
        ``root``; sorted by item, time and customer.
    projects : pandas.DataFrame
        One row per membership: ``project_id``, ``customer_id``, ``joined`` (UTC, the timestamp of
        the ``join_project`` event) and ``community`` (the project's home community).
    ties : pandas.DataFrame
        The planted sharing network, one row per directed arc: ``source``, ``target``, ``kind``
        (``friend``, stored in both directions, or ``follow``, influencer to follower),
        ``strength`` and ``p`` (the independent-cascade probability of the arc). ``source`` and
        ``target`` are categoricals over the customer ids and ``kind`` a categorical, to keep
        millions of arcs small.
    params : dict
        Every generator parameter after defaults were resolved, including ``seed``.
    """

    customers: pd.DataFrame
    cascades: pd.DataFrame
    projects: pd.DataFrame
    ties: pd.DataFrame
    params: dict

    def __repr__(self) -> str:
        c = self.customers
        return (f"SyntheticTruth({len(c):,} customers in {c['community'].nunique():,} communities, "
                f"{int(c['influencer'].sum()):,} influencers, {len(self.cascades):,} adoptions of "
                f"{self.cascades['item_id'].nunique():,} items, {self.projects['project_id'].nunique():,} "
                f"projects; seed={self.params.get('seed')!r})")



SyntheticTruth.__module__ = "netlib.synth"  # pickles name the public place, which does not move


def _check(name: str, value, lo=None, hi=None, *, integer=False, lo_open=False):
    """Return ``value`` if it is a number (an integer when asked) in range, else raise ParameterError."""
    kinds = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise ParameterError(f"{name} must be {'an integer' if integer else 'a number'}, got {value!r}")
    if not np.isfinite(value) or (lo is not None and (value <= lo if lo_open else value < lo)) or (
            hi is not None and value > hi):
        rng = f"{'(' if lo_open else '['}{lo}, {hi if hi is not None else 'inf'}]"
        raise ParameterError(f"{name} must be in {rng}, got {value!r}")
    return value



def _build(params: dict, rng: np.random.Generator, progress: bool | None):
    """The eight steps of :func:`generate` (parameters already checked); returns the raw tables and truth.

    The steps share one namespace of working arrays, each step adding what it makes and deleting what
    is no longer needed, so that every working array is freed before the tables are validated.
    """
    start_ts = pd.Timestamp(params["start"], tz="UTC")
    w = SimpleNamespace(
        n=params["n_customers"], k=params["n_communities"], mu=params["mu"], avg_degree=params["avg_degree"],
        degree_exponent=params["degree_exponent"], dmax=params["max_degree"], n_inf=params["n_influencers"],
        reach=params["influencer_reach"], n_items=params["n_items"], share_prob=params["share_prob"],
        delay_median_hours=params["delay_median_hours"], n_proj=params["n_projects"],
        events_per_customer=params["events_per_customer"], messages_per_customer=params["messages_per_customer"],
        start_ts=start_ts, start_ns=int(start_ts.value), window=params["days"] * _DAY)
    rng_c, rng_t, rng_i, rng_p, rng_s, rng_m, rng_j, rng_e, rng_a = rng.spawn(9)
    bar = _progress(total=8, desc="netlib.synth", unit="step", progress=progress)
    for step, step_rng in ((graph.communities, rng_c), (graph.friendships, rng_t), (graph.influencers, rng_i),
                           (graph.profiles, rng_p)):
        step(w, step_rng)
        bar.update()
    graph.sharing_arcs(w)
    items.items(w, rng_s, bar)
    bar.update()
    for step, step_rng in ((events.conversations, rng_m), (events.projects, rng_j), (events.behaviour, rng_e)):
        step(w, step_rng)
        bar.update()
    customers, interactions, event_table, truth_tables = assemble.tables(w, rng_a)
    truth = SyntheticTruth(*truth_tables, params)
    bar.update()
    bar.close()
    return customers, interactions, event_table, truth


def generate(n_customers: int = 2000, *, mu: float = 0.2, n_communities: int | None = None,
             avg_degree: float = 12.0, degree_exponent: float = 2.5, max_degree: int | None = None,
             n_influencers: int | None = None, influencer_reach: int | None = None,
             n_items: int | None = None, share_prob: float = 0.025, delay_median_hours: float = 3.0,
             n_projects: int | None = None, events_per_customer: float = 12.0,
             messages_per_customer: float = 10.0,
             start: str = "2024-01-01", days: int = 180, seed=0, progress: bool | None = None,
             validate: bool = True) -> CustomerData:
    """Generate a synthetic customer world with known ground truth.

    Parameters
    ----------
    n_customers : int
        Number of customers (>= 50).
    mu : float
        Mixing parameter in [0, 1): the expected fraction of each customer's friendship ties that
        leave their community (also the fraction of project members drawn from outside the
        project's home community).
    n_communities : int, optional
        Number of communities; default ``max(2, round(n_customers / 100))``. Sizes are heavy-tailed,
        at least 10 customers each.
    avg_degree : float
        Mean number of friendship ties per customer before repeated pairs are dropped.
    degree_exponent : float
        Power-law exponent (> 2) of the degree distribution.
    max_degree : int, optional
        Degree cap; default ``min(n_customers - 1, round(15 * avg_degree))``.
    n_influencers : int, optional
        Planted influencers; default ``max(3, round(n_customers / 400))``.
    influencer_reach : int, optional
        Followers per influencer; default ``min(n_customers - 1, round(10 * avg_degree))``.
    n_items : int, optional
        Items shared in cascades; default ``max(10, n_customers // 4)``.
    share_prob : float
        Base independent-cascade probability of a tie; each arc's ``p`` is this times the sender's
        connect propensity (connect share over its mean) times sqrt(tie strength), doubled for
        influencers, capped at 0.95.
    delay_median_hours : float
        Median delay between adopting an item and passing it on (log-normal, sigma 1.2).
    n_projects : int, optional
        Collaboration projects; default ``max(1, n_customers // 50)``.
    events_per_customer : float
        Mean activity: expected number of behavioural events per (non-influencer) customer.
    messages_per_customer : float
        Mean number of ordinary messages (interactions of kind ``message``) a customer sends; each
        friendship arc carries Poisson many in proportion to its tie strength, spread uniformly
        from the day the tie formed (30% of ties form during the window) to the window's end.
    start : str
        First day of the observation window (UTC).
    days : int
        Length of the observation window in days.
    seed : int, numpy.random.Generator or None
        Seed; the same int gives identical tables.
    progress : bool, optional
        Show a progress bar (default: only in terminals and notebooks).
    validate : bool
        Pass the tables through :func:`netlib.read_data` (the default). The generator's tables are
        valid by construction (the tests check that validation keeps every row and changes
        nothing), so ``validate=False`` skips that pass to save about 40% of the time and a third
        of the memory at a million customers; the load report then says so.

    Returns
    -------
    CustomerData
        Validated tables (``customers``: customer_id, name, region, segment, age_band,
        signup_date; ``interactions``: source, target, timestamp, kind, channel, item_id, weight;
        ``events``: customer_id, timestamp, event_type, item_id, project_id, target, channel) with
        ``.truth`` a :class:`SyntheticTruth`.

    Raises
    ------
    ParameterError
        A parameter out of range (the message names it and the range).

    Notes
    -----
    The module docstring gives the steps and the two rules that tie the tables together: the
    share rule (``truth.cascades`` is what the earliest-received share of each item reconstructs)
    and the reconciliation rule (events with a target are the interactions, one to one).
    The realised fraction of friendship ties between communities is ``mu`` plus about 0.01-0.02:
    repeated pairs, which are dropped, are likelier inside small communities (the tests hold it
    within 0.03). ``truth.ties`` has the realised network.

    Time and memory grow about linearly with ``n_customers``. On a 2-core machine
    (``bench/bench_synth.py``) 1,000,000 customers (12 million interactions, 13 million events,
    11.5 million arcs) take about 80 s and 5.5 GB at peak, or 60 s and 3.6 GB with
    ``validate=False``; 100,000 customers take about 8 s and 0.8 GB.

    References
    ----------
    .. [1] A. Lancichinetti, S. Fortunato, F. Radicchi, "Benchmark graphs for testing community
       detection algorithms", Phys. Rev. E 78, 046110 (2008).
    .. [2] B. Karrer, M. E. J. Newman, "Stochastic blockmodels and community structure in
       networks", Phys. Rev. E 83, 016107 (2011).
    .. [3] D. Kempe, J. Kleinberg, E. Tardos, "Maximizing the spread of influence through a social
       network", KDD 2003.
    .. [4] M. Gomez-Rodriguez, J. Leskovec, A. Krause, "Inferring networks of diffusion and
       influence", KDD 2010.
    .. [5] D. L. Rogers, *The Network Is Your Customer*, Yale University Press (2010).

    Examples
    --------
    >>> from netlib.synth import generate
    >>> data = generate(500, seed=1)
    >>> len(data.customers)
    500
    >>> data.truth.customers[["access", "engage", "customize", "connect", "collaborate"]].sum(axis=1).round(4).eq(1).all()
    np.True_
    """
    from netlib.io import CustomerData, LoadReport, read_data

    n = _check("n_customers", n_customers, 50, integer=True)
    _check("mu", mu, 0.0, 0.95)
    k = max(2, round(n / 100)) if n_communities is None else _check("n_communities", n_communities, 1, integer=True)
    if k * 10 > n:
        raise ParameterError(f"n_communities must be at most n_customers / 10 = {n // 10}, got {k}")
    _check("avg_degree", avg_degree, 1.0, n / 4)
    _check("degree_exponent", degree_exponent, 2.0, 10.0, lo_open=True)
    dmax = min(n - 1, round(15 * avg_degree)) if max_degree is None else _check("max_degree", max_degree, 1, n - 1, integer=True)
    if dmax < avg_degree:
        raise ParameterError(f"max_degree must be at least avg_degree = {avg_degree}, got {dmax}")
    n_inf = max(3, round(n / 400)) if n_influencers is None else _check("n_influencers", n_influencers, 0, n // 2, integer=True)
    reach = min(n - 1, round(10 * avg_degree)) if influencer_reach is None else _check(
        "influencer_reach", influencer_reach, 0, n - 1, integer=True)
    n_items = max(10, n // 4) if n_items is None else _check("n_items", n_items, 0, integer=True)
    _check("share_prob", share_prob, 0.0, 1.0)
    _check("delay_median_hours", delay_median_hours, 0.0, lo_open=True)
    n_proj = max(1, n // 50) if n_projects is None else _check("n_projects", n_projects, 0, integer=True)
    _check("events_per_customer", events_per_customer, 0.0)
    _check("messages_per_customer", messages_per_customer, 0.0)
    days = _check("days", days, 1, integer=True)
    try:
        start_ts = pd.Timestamp(start)
    except (ValueError, TypeError) as exc:
        raise ParameterError(f"start must be a date like '2024-01-01', got {start!r}") from exc
    start_ts = start_ts.tz_localize("UTC") if start_ts.tzinfo is None else start_ts.tz_convert("UTC")
    start_text = str(start_ts.date()) if start_ts == start_ts.normalize() else start_ts.isoformat()
    params = {
        "n_customers": int(n), "mu": float(mu), "n_communities": int(k), "avg_degree": float(avg_degree),
        "degree_exponent": float(degree_exponent), "max_degree": int(dmax), "n_influencers": int(n_inf),
        "influencer_reach": int(reach), "n_items": int(n_items), "share_prob": float(share_prob),
        "delay_median_hours": float(delay_median_hours), "n_projects": int(n_proj),
        "events_per_customer": float(events_per_customer),
        "messages_per_customer": float(messages_per_customer), "start": start_text, "days": int(days),
        "seed": "<numpy.random.Generator>" if isinstance(seed, np.random.Generator) else seed,
    }
    customers, interactions, events, truth = _build(params, as_rng(seed), progress)

    tables = {"customers": customers, "interactions": interactions, "events": events}
    if validate:
        data = read_data(tables, errors="raise")
    else:
        counts = [{"table": t, "source": "<DataFrame>", "rows_in": len(f), "rows_kept": len(f), "rows_rejected": 0}
                  for t, f in tables.items()]
        report = LoadReport(tables=pd.DataFrame(counts).set_index("table"),
                            notes=["made by netlib.synth.generate(validate=False): valid by construction, not re-checked"])
        data = CustomerData(tables["customers"], tables["interactions"], tables["events"], report)
    prov = provenance("synth.generate", **params)
    for frame in (data.customers, data.interactions, data.events, truth.cascades, truth.customers,
                  truth.projects, truth.ties):
        frame.attrs["provenance"] = prov
    return dataclasses.replace(data, truth=truth, source=f"netlib.synth.generate(seed={params['seed']!r})")

