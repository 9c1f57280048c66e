"""How much a partition depends on the seed and on the resolution, and who sits on boundaries."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from netlib._api import check_runs, nested_state, positional_deprecated, provenance, stamp
from netlib._csr import is_graph
from netlib._util import SeedLike, as_rng, int_seed, progress as _progress
from netlib.community._ties import _check_resolution, _modularity_codes, _series, _to_ties
from netlib.community.detect import _best_of, _check_jobs, _check_method, _check_restarts, _Runner, _seeded_runs
from netlib.errors import ParameterError

__all__ = ["community_stability", "StabilityResult", "resolution_sweep"]


def _check_resolutions(resolutions: Iterable[float] | None, default: Sequence[float]) -> list[float]:
    if resolutions is None:
        return [float(r) for r in default]
    if isinstance(resolutions, (int, float, np.number)):
        resolutions = [resolutions]
    values = [_check_resolution(r) for r in resolutions]
    if not values:
        raise ParameterError("resolutions must hold at least one positive number")
    return values


@dataclass
class StabilityResult:
    """How a partition moves across seeds and resolutions (see :func:`community_stability`).

    Attributes
    ----------
    runs : pandas.DataFrame
        One row per run: ``resolution``, ``seed`` (the int given to the method),
        ``n_communities``, ``modularity`` (at the base resolution), and ``ari`` and ``nmi``
        against the reference partition.
    reference : pandas.Series
        The run with the highest modularity at the base resolution, ids 0..k-1 by size.
    customers : pandas.DataFrame
        Indexed by ``customer_id``: ``community`` (reference), ``stability`` (mean share of the
        customer's reference co-members found with them per run; 1 = always together),
        ``closest_other`` (the other reference community they are most often placed with),
        ``other_affinity`` (mean share of that community's members found with them per run) and
        ``boundary`` (``other_affinity >= boundary_threshold``).
    ties : pandas.DataFrame
        One row per tie (``source``, ``target``, ``weight``; index ``tie``), with ``together``:
        the share of runs that put both ends in the same community.
    memberships : numpy.ndarray
        ``(runs, customers)`` community ids of every run, columns in ``customers`` order.
    provenance : dict
        The call that made it (function, parameters, netlib version); every table above carries it too.

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> result = nl.community_stability(nx.barbell_graph(4, 1), method="label_propagation", runs=5, seed=0)
    >>> result.runs.index.name, len(result.runs), result.memberships.shape, result.provenance["function"]
    ('run', 5, (5, 9), 'netlib.community_stability')
    """

    runs: pd.DataFrame
    reference: pd.Series
    customers: pd.DataFrame
    ties: pd.DataFrame
    memberships: np.ndarray = field(repr=False)
    provenance: dict = field(default_factory=dict)

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(nested_state(state))

    def coassignment(self, customers: Iterable[Hashable] | None = None) -> pd.DataFrame:
        """Share of runs in which each pair of customers landed in the same community.

        Parameters
        ----------
        customers : iterable of customer ids, optional
            The rows/columns to compute (all customers when None; at most 5,000).

        Returns
        -------
        pandas.DataFrame
            Square, symmetric, ones on the diagonal, indexed both ways by customer id.
        """
        nodes = list(self.customers.index)
        if customers is None:
            chosen = list(range(len(nodes)))
        else:
            pos = {v: i for i, v in enumerate(nodes)}
            missing = [c for c in customers if c not in pos]
            if missing:
                raise ParameterError(f"coassignment: customer {missing[0]!r} is not in the graph")
            chosen = [pos[c] for c in customers]
        if len(chosen) > 5000:
            raise ParameterError(
                f"coassignment of {len(chosen)} customers would hold {len(chosen) ** 2:,} pairs; "
                "pass customers= (at most 5,000), or use .ties for tied pairs")
        sub = self.memberships[:, chosen]
        together = np.zeros((len(chosen), len(chosen)))
        for row in sub:
            together += row[:, None] == row[None, :]
        together /= max(len(sub), 1)
        ids = pd.Index([nodes[i] for i in chosen], name="customer_id")
        return pd.DataFrame(together, index=ids, columns=ids.rename(None))


def _affinities(reference: np.ndarray, memberships: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Own-community stability, closest other reference community and affinity to it, per node.

    Per run, a contingency table of run communities × reference communities holds the share of
    each reference community inside each run community (small: one entry per overlapping pair).
    A customer's affinity to another reference community is the mean over runs of the row of its
    run community; the compiled kernel reduces those rows customer by customer to the largest
    one, so no customers × communities table is ever held (at 1M customers that table grew by
    ~1.5 GB per run).
    """
    from netlib.community import _stability_kernels as SK

    n = reference.size
    k_ref = int(reference.max()) + 1
    ref_size = np.bincount(reference, minlength=k_ref).astype(np.float64)
    share = 1.0 / ref_size
    denom = ref_size[reference] - 1.0
    own = np.zeros(n)
    n_runs = len(memberships)
    k_max = int(memberships.max()) + 1 if n_runs else 0
    run_ptr = np.zeros((n_runs, k_max + 1), dtype=np.int64)
    cols, vals, offset = [], [], 0
    for r, memb in enumerate(memberships):
        pair, inverse, counts = np.unique(memb * k_ref + reference, return_inverse=True, return_counts=True)
        together_own = counts[inverse.ravel()] - 1.0
        own += np.divide(together_own, denom, out=np.ones(n), where=denom > 0)
        col = pair % k_ref
        run_ptr[r] = offset + np.searchsorted(pair // k_ref, np.arange(k_max + 1))
        cols.append(col)
        vals.append(counts.astype(np.float64) * share[col])
        offset += pair.size
    runs = max(n_runs, 1)
    own /= runs
    if not n_runs:
        return own, np.full(n, -1, dtype=np.int64), np.zeros(n)
    closest, best = SK.closest_other(reference.astype(np.int64), memberships.astype(np.int64, copy=False),
                                     run_ptr, np.concatenate(cols), np.concatenate(vals), k_ref)
    return own, closest, best / runs


def community_stability(G: nx.Graph, *, method: str = "leiden", runs: int = 10,
                        resolutions: Iterable[float] | None = None, resolution: float = 1.0,
                        weight: str | None = "weight", seed: SeedLike = None, restarts: int = 1,
                        directed: str = "symmetrize", boundary_threshold: float = 0.25,
                        progress: bool | None = None, jobs: int | None = None) -> StabilityResult:
    """Run community detection across seeds (and resolutions) and measure what holds.

    Each of ``runs`` seeds is run at every resolution. The reference partition is the run with
    the highest modularity at ``resolution``; every customer is then scored by how often they
    stay with their reference co-members, and flagged as a boundary customer when they are
    regularly placed with another community (co-assignment or consensus analysis, Lancichinetti
    & Fortunato 2012).

    Parameters
    ----------
    G : networkx graph
    method, weight, directed
        As for :func:`communities`.
    runs : int
        Seeds per resolution.
    resolutions : iterable of float, optional
        Resolutions to run at (default: just ``resolution``).
    resolution : float
        The base resolution, at which runs are compared and the reference is chosen.
    seed : int, numpy Generator or None
        Seeds of the individual runs are drawn from it.
    restarts : int
        Restarts inside each run (default 1: single runs show the landscape; the robust default
        of :func:`communities` uses several).
    boundary_threshold : float
        A customer is a boundary customer when, per run on average, at least this share of
        another reference community lands with them.
    progress : bool or None
        Progress bar over the runs (when they run in this process).
    jobs : int or None
        Processes the runs are spread over (None: every core this process may use, from 100,000
        ties on; one process below). The answer does not depend on it: every run is seeded on its own.

    Returns
    -------
    StabilityResult
        ``.runs``, ``.reference``, ``.customers``, ``.ties`` and ``.coassignment(customers)``.

    Raises
    ------
    ParameterError
        As for :func:`communities`; or ``runs`` is not a positive int, ``boundary_threshold`` is
        outside (0, 1], or the graph has no customers.

    References
    ----------
    A. Lancichinetti, S. Fortunato, "Consensus clustering in complex networks", Scientific
    Reports 2, 336 (2012).

    Examples
    --------
    Label propagation breaks ties at random, so the customer joining two cliques changes side
    between runs and shows up as a boundary customer:

    >>> import networkx as nx
    >>> import netlib as nl
    >>> G = nx.barbell_graph(4, 1)  # two 4-cliques joined through customer 4
    >>> result = nl.community_stability(G, method="label_propagation", runs=10, seed=0)
    >>> result.customers.loc[[0, 4, 8], ["community", "stability", "boundary"]].round(2)  # doctest: +NORMALIZE_WHITESPACE
                 community  stability  boundary
    customer_id
    0                    1       1.00     False
    4                    0       0.70      True
    8                    0       0.92     False
    >>> result.coassignment([3, 4, 5])  # doctest: +NORMALIZE_WHITESPACE
                   3    4    5
    customer_id
    3            1.0  0.3  0.0
    4            0.3  1.0  0.7
    5            0.0  0.7  1.0
    """
    _check_method(method, directed, G.is_directed() if is_graph(G) else False)
    base = _check_resolution(resolution)
    res_list = _check_resolutions(resolutions, [base])
    n_runs = check_runs(runs)
    if not (0 < float(boundary_threshold) <= 1):
        raise ParameterError(f"boundary_threshold must be in (0, 1]; got {boundary_threshold!r}")
    ties = _to_ties(G, weight, directed)
    n_restarts = _check_restarts(restarts, ties)
    if ties.n == 0:
        raise ParameterError("community_stability: the graph has no customers")
    rng = as_rng(seed)
    runner = _Runner(ties, method, base)
    tasks = [(int_seed(rng), res) for res in res_list for _ in range(n_runs)]
    done = _seeded_runs(runner, tasks, n_restarts, _check_jobs(jobs, ties, len(tasks)), progress, "stability")
    memberships = np.empty((len(tasks), ties.n), dtype=np.int64)
    rows = []
    for j, ((run_seed, res), (memb, _q)) in enumerate(zip(tasks, done)):
        memberships[j] = memb
        rows.append({"resolution": res, "seed": run_seed, "n_communities": int(memb.max()) + 1,
                     "modularity": _modularity_codes(ties, memb, base)})
    table = pd.DataFrame(rows)
    q = table["modularity"].to_numpy(dtype=np.float64)
    best = int(np.nanargmax(q)) if np.isfinite(q).any() else 0
    reference = memberships[best]
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    table["ari"] = [float(adjusted_rand_score(reference, m)) for m in memberships]
    table["nmi"] = [float(normalized_mutual_info_score(reference, m)) for m in memberships]
    table.index = pd.RangeIndex(len(table), name="run")
    own, closest, affinity = _affinities(reference, memberships)
    customers = pd.DataFrame({
        "community": reference,
        "stability": own,
        "closest_other": pd.array(np.where(closest >= 0, closest, 0), dtype="Int64"),
        "other_affinity": affinity,
        "boundary": affinity >= float(boundary_threshold),
    }, index=ties.customer_index)
    customers.loc[closest < 0, "closest_other"] = pd.NA
    together = np.zeros(ties.u.size)
    for memb in memberships:  # run by run: the (runs, ties) comparison at once held ~0.6 GB at 1M customers
        together += memb[ties.u] == memb[ties.v]
    together /= len(memberships)
    nodes = np.asarray(ties.nodes, dtype=object)
    tie_table = pd.DataFrame({"source": nodes[ties.u], "target": nodes[ties.v], "weight": ties.w,
                              "together": together}, index=pd.RangeIndex(ties.u.size, name="tie"))
    record = provenance("community_stability", method=method, runs=n_runs, resolutions=res_list, resolution=base,
                        weight=weight, seed=seed, restarts=n_restarts, directed=directed,
                        boundary_threshold=float(boundary_threshold))
    ref_series = _series(ties, reference)
    ref_series.attrs["modularity"] = float(q[best])
    for frame in (table, customers, tie_table, ref_series):
        stamp(frame, record)
    return StabilityResult(table, ref_series, customers, tie_table, memberships, record)


@positional_deprecated("resolutions")
def resolution_sweep(G: nx.Graph, *, resolutions: Iterable[float] | None = None, method: str = "leiden",
                     weight: str | None = "weight", seed: SeedLike = None, restarts: int | None = None,
                     directed: str = "symmetrize", progress: bool | None = None,
                     jobs: int | None = None) -> pd.DataFrame:
    """Communities at several resolutions, to pick the scale of the segments.

    Parameters
    ----------
    G : networkx graph
    resolutions : iterable of float, optional
        Default: 9 values from 0.25 to 4, evenly spaced on a log scale. Keyword-only; passing it
        by position still works for one release, with a DeprecationWarning.
    method, weight, restarts, directed
        As for :func:`communities`.
    seed : int, numpy Generator or None
        With an int (or None → fresh entropy per call), each resolution is run from ``seed``
        afresh, so ``communities(G, resolution=γ, seed=seed)`` with the same ``method``,
        ``restarts`` and ``weight`` gives exactly the partition of row γ.
    progress : bool or None
        Progress bar over the resolutions (when they run in this process).
    jobs : int or None
        Processes the resolutions are spread over (None: every core this process may use, from
        100,000 ties on; one process below). The answer does not depend on it. With a Generator as
        ``seed`` the resolutions draw from it in turn, so they run one after another here.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``resolution``: ``n_communities``, ``largest_share`` (share of customers in
        community 0), ``singletons`` (communities of one customer), ``quality`` (modularity at
        that resolution, the optimised objective), ``modularity`` (at γ = 1, comparable across
        rows) and ``nmi_previous`` (agreement with the row above; NaN in the first row).

    Raises
    ------
    ParameterError
        As for :func:`communities`; or a resolution is not a positive number, or the graph has
        no customers.

    References
    ----------
    J. Reichardt, S. Bornholdt, "Statistical mechanics of community detection", Phys. Rev. E 74,
    016110 (2006).

    Examples
    --------
    >>> import networkx as nx
    >>> import netlib as nl
    >>> K = nx.karate_club_graph()
    >>> sweep = nl.resolution_sweep(K, resolutions=[0.5, 1.0, 2.0], weight=None, seed=0)
    >>> sweep[["n_communities", "quality", "modularity"]].round(4)  # doctest: +NORMALIZE_WHITESPACE
                n_communities  quality  modularity
    resolution
    0.5                     2   0.6218      0.3718
    1.0                     4   0.4198      0.4198
    2.0                     7   0.1645      0.3387
    """
    _check_method(method, directed, G.is_directed() if is_graph(G) else False)
    res_list = _check_resolutions(resolutions, np.round(np.geomspace(0.25, 4.0, 9), 4))
    ties = _to_ties(G, weight, directed)
    n_restarts = _check_restarts(restarts, ties)
    if ties.n == 0:
        raise ParameterError("resolution_sweep: the graph has no customers")
    shared = seed if isinstance(seed, np.random.Generator) else None
    base_seed = seed if shared is None and seed is not None else None
    if seed is None:
        base_seed = int_seed(np.random.default_rng())
    from sklearn.metrics import normalized_mutual_info_score

    runner = _Runner(ties, method, 1.0)
    if shared is not None:
        done = [_best_of(runner, shared, n_restarts, res)
                for res in _progress(res_list, progress=progress, total=len(res_list), desc="resolutions", unit="γ")]
    else:
        done = _seeded_runs(runner, [(int(base_seed), res) for res in res_list], n_restarts,
                            _check_jobs(jobs, ties, len(res_list)), progress, "resolutions", "γ")
    rows, previous = [], None
    for res, (memb, q) in zip(res_list, done):
        counts = np.bincount(memb)
        rows.append({
            "resolution": res,
            "n_communities": int(counts.size),
            "largest_share": float(counts.max() / ties.n),
            "singletons": int((counts == 1).sum()),
            "quality": q,
            "modularity": _modularity_codes(ties, memb, 1.0),
            "nmi_previous": math.nan if previous is None else float(normalized_mutual_info_score(previous, memb)),
        })
        previous = memb
    table = pd.DataFrame(rows).set_index("resolution")
    stamp(table, "resolution_sweep", resolutions=res_list, method=method, weight=weight,
          seed=seed if seed is not None else base_seed, restarts=restarts, directed=directed)
    return table

