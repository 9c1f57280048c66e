"""Reverse influence sampling: IMM, OPIM-C and HIST seed selection on flat RR-set storage. Private.

- :func:`imm`: Tang, Shi & Xiao (2015) with Chen (2018)'s fresh final sample (``method="imm"``).
- :func:`opim_hist`: OPIM-C's online stopping rule (Tang, Tang, Xiao & Yuan 2018) on SUBSIM-sampled
  RR sets (Guo, Wang, Wei & Chen 2020), optionally preceded by HIST's sentinel set (the same
  paper) so RR sets stop where they meet it (``method="opim"`` / ``method="hist"``).

Why the guarantee holds (``opim_hist``)
--------------------------------------
Every stop is certified by two independent samples. From the sample ``R1`` that chose the seeds,
the greedy's own trace gives, for every prefix ``S_i``, ``Cov(S_i) + (sum of the k largest marginal
coverages)`` ≥ the coverage of any ``k`` nodes (added to ``S_i``), by submodularity; its minimum
``U`` bounds the coverage in ``R1`` of the fixed optimal set, and the martingale bound
``(sqrt(U + a/2) + sqrt(a/2))^2 · n/θ1`` bounds OPT. A fresh sample ``R2``, drawn after the seeds
``S`` are chosen, gives ``((sqrt(Λ2 + 2a/9) - sqrt(a/2))^2 - a/18) · n/θ2`` ≤ σ(S). Each bound fails
with probability ≤ e^-a; ``a = ln(3 i_max / δ')`` spreads the failure probability over every round
(Tang et al. 2018, Lemma 4.2, 4.3, Theorem 4.1). We stop when lower / upper ≥ 1 - 1/e - ε.

Sample sizes lie on the grid ``θ0 · 2^(g/STEPS)``, ``g = 0..g_max`` (OPIM-C's doubling refined
:data:`STEPS` times, ``i_max = g_max + 1`` grid points, so ``a`` pays ``ln STEPS`` more). The sample may
skip grid points, jumping to where the seeds' coverage is predicted to meet the precision rule; the
union bound runs over every grid point, so skipping is free. The second sample's size ``θ2`` is
chosen from the first sample only (:func:`_validation_size`: the smallest halving of ``θ1`` at which
the test would pass with room to spare), before the second sample is drawn: Lemma 4.2 holds for any
size fixed independently of that sample, and a size too small only fails the test (one more round).
At the last grid point ``θ2 = θ1`` as in OPIM-C.

With sentinels (HIST): a first phase picks a few nodes ``S_b`` greedily from full RR sets; the second
phase draws fresh RR sets that stop as soon as they meet ``S_b`` (such a set is covered by ``S_b``:
it is only counted). For any ``T ⊇ S_b``, a truncated set meets ``T`` exactly when the full set does,
so coverage of every set the greedy builds (all contain ``S_b``) is exact, and the bound above
bounds the coverage of ``S_b ∪ O`` ≥ that of the optimal ``O``: OPT ≤ σ(S_b ∪ O) is still bounded
from above and the same stopping test certifies σ(S) ≥ (1 - 1/e - ε)·OPT. The sentinel choice
only decides how soon the test passes. Where RR sets are large, the sets of the second phase
and the second samples are drawn by a search from both ends (``netlib._ris_kernels``: coins hashed
per arc, so the live-edge world is fixed before it is explored; the same distribution of hits and of
the sets that miss), chosen where it discovers fewer nodes on :data:`TRIAL_SETS` trial sets
(:func:`_use_meet`); the bounds do not depend on how a set was drawn. If the rounds reach OPIM-C's sample cap ``θ_max`` the
greedy answer is returned as OPIM-C does (its guarantee from the cap, Tang et al. 2018 §4.2;
HIST's second phase, Guo et al. 2020); ``details["certified"]`` says which applied.
δ is split evenly between the two phases.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from netlib._spread import Spec, run_base
from netlib._util import lazy_module, progress as _progress
from netlib.errors import ParameterError

K = lazy_module("netlib._kernels")
R = lazy_module("netlib._ris_kernels")

__all__ = ["RR_BUDGET", "RRCollection", "Sampler", "check_rr_model", "imm", "opim_hist", "log_binom"]

_E1 = 1.0 - 1.0 / math.e

#: Stored RR sets (with their coverage index) beyond which OPIM-C / HIST stop refining a certified answer.
RR_BUDGET = 2 * 2**30


def check_rr_model(model: Any, where: str) -> None:
    """RR sets exist for triggering models: independent cascade and linear threshold."""
    if not isinstance(model, str) or model.lower() not in ("ic", "lt"):
        raise ParameterError(f"{where} supports models 'ic' and 'lt'; got {model!r}")


def log_binom(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


# --------------------------------------------------------------------------- IMM (the reference method)
class RRCollection:
    """RR sets numbered 0..count-1: singleton sets as per-node counts, the rest as CSR arrays."""

    def __init__(self, spec: Spec, base: int):
        self.spec = spec
        self.base = base
        self.count = 0
        self.singles = np.zeros(spec.csr.n, dtype=np.int64)
        self._offsets: list[np.ndarray] = []
        self._members: list[np.ndarray] = []
        self._nmem = 0

    def extend_to(self, target: int, bar=None) -> None:
        target = int(target)
        step = max(200_000, target // 20)
        while self.count < target:
            cnt = min(step, target - self.count)
            singles, offs, mem = self.spec.rr_sets(self.count, cnt, self.base)
            self.singles += singles
            self._offsets.append(offs[1:] + self._nmem)
            self._members.append(mem)
            self._nmem += mem.shape[0]
            self.count += cnt
            if bar is not None:
                bar.update(cnt)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        offsets = np.concatenate([np.zeros(1, dtype=np.int64), *self._offsets])
        members = np.concatenate(self._members) if self._members else np.zeros(0, dtype=np.int32)
        self._offsets, self._members = [offsets[1:]], [members]
        return offsets, members

    def select(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Greedy max coverage; returns (picks, sets newly covered by each pick)."""
        offsets, members = self.arrays()
        return K.greedy_cover(self.spec.csr.n, self.singles, offsets, members, k)

    def coverage(self) -> np.ndarray:
        """Number of sets containing each node."""
        _, members = self.arrays()
        return self.singles + np.bincount(members, minlength=self.spec.csr.n)


def imm(spec: Spec, k: int, epsilon: float, delta: float, rng: np.random.Generator,
        progress: bool | None) -> tuple[np.ndarray, np.ndarray, dict]:
    """IMM (Tang, Shi & Xiao 2015) with the fresh-sample fix of Chen (2018).

    Returns (picks, marginal gains in customers, details).
    """
    n = spec.csr.n
    ln = math.log(n)
    ell = math.log(1.0 / delta) / ln * (1.0 + math.log(2) / ln)  # delta = n^-ell, split over two phases
    eps_p = math.sqrt(2.0) * epsilon
    lcnk = log_binom(n, k)
    lam_p = (2 + 2 / 3 * eps_p) * (lcnk + ell * ln + math.log(max(math.log2(n), 1.0))) * n / eps_p**2
    alpha = math.sqrt(ell * ln + math.log(2))
    beta = math.sqrt(_E1 * (lcnk + ell * ln + math.log(2)))
    lam_star = 2 * n * (_E1 * alpha + beta) ** 2 / epsilon**2
    sampling = RRCollection(spec, run_base(rng))
    lb = 1.0
    with _progress(progress=progress, desc="IMM sampling", unit="RR set") as bar:
        for i in range(1, max(int(math.log2(n)), 1)):
            x = n / 2**i
            sampling.extend_to(math.ceil(lam_p / x), bar)
            _, gains = sampling.select(k)
            frac = gains.sum() / sampling.count
            if n * frac >= (1 + eps_p) * x:
                lb = n * frac / (1 + eps_p)
                break
        theta = math.ceil(lam_star / lb)
        # Chen (2018): the final selection uses RR sets independent of the estimation phase
        final = RRCollection(spec, run_base(rng))
        final.extend_to(theta, bar)
    picks, gains = final.select(k)
    details = {"rr_sets": int(final.count), "rr_sets_sampling_phase": int(sampling.count),
               "lower_bound": float(lb), "epsilon": epsilon, "delta": delta, "ell": ell}
    return picks, gains * (n / final.count), details


# --------------------------------------------------------------------------- SUBSIM sampling
class Sampler:
    """How RR sets are drawn on one graph and model: the reverse arcs and the SUBSIM mode."""

    def __init__(self, spec: Spec):
        r = spec.csr.reverse
        n = spec.csr.n
        self.n = n
        self.rindptr = r.indptr
        self.rindices = r.indices
        self.p = 0.0
        self.logq = np.zeros(1)
        if spec.model == "lt":
            rw = spec._reverse_arcs(spec.lt_w)
            cs = np.concatenate([[0.0], np.cumsum(rw)])
            self.mode, self.name = R.LT, "linear threshold reverse walk"
            self.rprobs = cs[1:] - np.repeat(cs[r.indptr[:-1]], np.diff(r.indptr))
        elif spec.probs is None:
            self.mode, self.name = R.UNIFORM, "geometric skips (uniform p)"
            self.p = float(spec.params["p"])
            self.rprobs = np.zeros(1)
        else:
            rp = spec._reverse_arcs(spec.probs)
            counts = np.diff(r.indptr)
            first = np.repeat(r.indptr[:-1], counts)
            if np.array_equal(rp, rp[first]):  # every in-arc of a node has the same probability
                pnode = np.zeros(n)
                has = counts > 0
                pnode[has] = rp[r.indptr[:-1][has]]
                self.mode, self.name = R.PER_NODE, "geometric skips per node (SUBSIM)"
                self.rprobs = pnode
                with np.errstate(divide="ignore"):
                    self.logq = np.log1p(-np.minimum(pnode, 1.0))
            else:
                owner = np.repeat(np.arange(n), counts)
                order = np.lexsort((-rp, owner))
                self.mode, self.name = R.SORTED, "sorted-probability skips (SUBSIM)"
                self.rindices = r.indices[order]
                self.rprobs = np.ascontiguousarray(rp[order])
                self._order = order
        self.nchunks = K.num_threads()
        self._spec = spec

    def meet_arrays(self) -> tuple | None:
        """What the two-sided search needs (``netlib._ris_kernels.sample``'s ``meet``), built once:
        the forward arc id of each reverse arc, the forward CSR and the per-arc probabilities.
        None for linear threshold."""
        if self.mode == R.LT:
            return None
        if "_meet" not in self.__dict__:
            import scipy.sparse as sp

            c = self._spec.csr
            ids = sp.csr_array((np.arange(c.m, dtype=np.float64) + 1.0, c.indices, c.indptr), shape=(c.n, c.n))
            t = ids.T.tocsr()
            t.sort_indices()
            if not np.array_equal(t.indices, c.reverse.indices):  # in-arcs listed in another order
                self._meet = None
                return None
            rfid = (t.data - 1.0).astype(np.int64)
            if self.mode == R.SORTED:
                rfid = rfid[self._order]
            fprob = self._spec.probs if self.mode == R.SORTED else np.zeros(0)
            self._meet = (rfid, c.indptr.astype(np.int64), c.indices.astype(np.int32),
                          np.ascontiguousarray(fprob, dtype=np.float64))
        return self._meet

    def draw(self, start: int, count: int, base: int, stop: np.ndarray, store: int, meet: bool = False):
        """RR sets ``start..start+count-1`` stopping at ``stop``: (hits, visited, singles, offsets,
        members); ``store`` as in ``netlib._ris_kernels.sample`` (0 count, 1 keep, 2 count per node);
        ``meet``: search from the stop nodes too (IC; same distribution, less work where sets are large)."""
        return R.sample(self.rindptr, self.rindices, self.rprobs, self.logq, self.p, self.mode, stop,
                        int(start), int(count), base, store, self.nchunks,
                        self.meet_arrays() if meet else None)

    def mask(self, nodes: np.ndarray | None = None) -> np.ndarray:
        stop = np.zeros(self.n, dtype=np.uint8)
        if nodes is not None:
            stop[np.asarray(nodes, dtype=np.int64)] = 1
        return stop


class _Pool:
    """A growing sample of RR sets that stop at ``stop``: hits counted, the others stored flat."""

    def __init__(self, sampler: Sampler, base: int, stop: np.ndarray, meet: bool = False):
        self.sampler, self.base, self.stop, self.meet = sampler, base, stop, meet
        self.count = 0
        self.hits = 0
        self.visited = 0
        self.singles = np.zeros(sampler.n, dtype=np.int64)
        self.offsets = np.zeros(1, dtype=np.int64)
        self.members = np.zeros(0, dtype=np.int32)

    def extend_to(self, target: int, bar) -> None:
        cnt = int(target) - self.count
        if cnt <= 0:
            return
        hits, visited, singles, offs, mem = self.sampler.draw(self.count, cnt, self.base, self.stop, 1, self.meet)
        self.hits += hits
        self.visited += visited
        self.singles += singles
        self.offsets = np.concatenate([self.offsets, offs[1:] + self.members.shape[0]])
        self.members = np.concatenate([self.members, mem])
        self.count += cnt
        bar.update(cnt)

    @property
    def nbytes(self) -> int:
        return int(self.offsets.nbytes + 2 * self.members.nbytes + self.singles.nbytes)

    def select(self, k: int, forced: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
        return R.greedy_bound(self.sampler.n, self.singles, self.offsets, self.members, k,
                              np.asarray(forced, dtype=np.int64), self.hits)


def _lower(covered: float, a: float) -> float:
    """Tang et al. (2018) Lemma 4.2: a lower bound on the expected coverage (in sets)."""
    return max((math.sqrt(covered + 2 * a / 9) - math.sqrt(a / 2)) ** 2 - a / 18, 0.0)


def _upper(covered: float, a: float) -> float:
    """Tang et al. (2018) Lemma 4.3: an upper bound on the expected coverage (in sets)."""
    return (math.sqrt(covered + a / 2) + math.sqrt(a / 2)) ** 2


#: Rounds per doubling of the sample: OPIM-C's schedule θ0·2^i refined to θ0·2^(i/STEPS), so the
#: sample stops at most 2^(1/STEPS) above the size it needs (the bounds pay ln(STEPS) more in ``a``).
STEPS = 8

#: Sets drawn each way to choose between the one-sided and the two-sided search (not kept).
TRIAL_SETS = 1000

#: The two-sided search costs about this many times the one-sided search per node it discovers
#: (hashed coins on every arc against geometric skips; 1M-customer world at p = 0.1: 1.5-2.1).
MEET_COST = 2.0


def _use_meet(sampler: Sampler, stop: np.ndarray, store: int, base: int) -> bool:
    """Whether the two-sided search discovers fewer nodes, weighted by :data:`MEET_COST`, than the
    one-sided search on :data:`TRIAL_SETS` sets stopping at ``stop``. Both give the same distribution,
    so the choice changes only the work; it depends on the graph, ``stop`` and ``base``, never on timing."""
    if sampler.meet_arrays() is None or not stop.any():
        return False
    one = sampler.draw(0, TRIAL_SETS, base, stop, store)[1]
    two = sampler.draw(0, TRIAL_SETS, base, stop, store, True)[1]
    return MEET_COST * two < one


def _grid(theta0: int, g: int) -> int:
    return int(math.ceil(theta0 * 2 ** (g / STEPS)))


def _next_grid(theta0: int, g: int, g_max: int, covered: float, count: int, covered_sets: float) -> int:
    """The next grid point: where the seeds' coverage is predicted to reach ``covered_sets`` (3% to
    spare) when that is what is missing, else one doubling; never beyond ``g_max``."""
    step = STEPS
    if 0 < covered < covered_sets:
        need = 1.03 * count * covered_sets / covered
        step = min(max(math.ceil(STEPS * math.log2(need / theta0)) - g, 1), STEPS)
    return min(g + step, g_max)


def _validation_size(covered: float, count: int, upper: float, target: float, a: float) -> int:
    """Size of the second, independent sample: the smallest ``count / 2^j`` (at least 1,000 sets) at
    which the lower bound would clear ``target`` × ``upper`` with 10% to spare if the seeds covered
    0.8 × the share they cover in the first sample (the first sample chose them, so it flatters
    them). Any size fixed before the second sample is drawn keeps Lemma 4.2's bound; a size too
    small only fails the test and costs a round."""
    share = 0.8 * covered / count
    size = count
    while size // 2 >= 1000 and _lower(share * (size // 2), a) / (size // 2) >= 1.1 * target * upper:
        size //= 2
    return size


def opim_hist(spec: Spec, k: int, epsilon: float, delta: float, rng: np.random.Generator,
              progress: bool | None, sentinels: bool, covered_sets: float = 0.0) -> tuple[np.ndarray, np.ndarray, dict]:
    """OPIM-C (``sentinels=False``) or HIST (``True``) on SUBSIM sampling; see the module notes.

    Sampling stops once the ratio is certified and the seeds cover at least ``covered_sets`` RR sets
    of the sample that chose them (so sampling noise in the greedy stays below that precision; OPIM-C
    alone stops at the first certified round, which can cost measurable reach), unless the stored
    sets would pass :data:`RR_BUDGET` bytes.

    Returns (picks, marginal gains in customers, details).
    """
    sampler = Sampler(spec)
    n = spec.csr.n
    target = _E1 - epsilon
    d1 = delta / 2 if sentinels else delta
    lcnk = log_binom(n, k)
    alpha = math.sqrt(math.log(6 / d1))
    beta = math.sqrt(_E1 * (lcnk + math.log(6 / d1)))
    theta_max = 2 * n * (_E1 * alpha + beta) ** 2 / (k * epsilon**2)
    theta0 = max(int(math.ceil(3 * math.log(1 / d1))), 16)  # HIST's start; OPIM-C's is larger
    g_max = max(int(math.ceil(STEPS * math.log2(max(theta_max / theta0, 1.0)))), 0)
    i_max = g_max + 1  # sample sizes on the grid theta0 * 2^(g / STEPS), g = 0..g_max
    a = math.log(3 * i_max / d1)
    no_stop = sampler.mask()
    draws = {"rr_sets": 0, "validation_sets": 0, "visited": 0}
    bytes_peak = 0
    details: dict[str, Any] = {"sampling": sampler.name, "epsilon": epsilon, "delta": delta,
                               "theta_max": int(math.ceil(theta_max)), "two_sided": False}

    def validate(nodes: np.ndarray, count: int, bar) -> int:
        base = run_base(rng)
        stop = sampler.mask(nodes)
        meet = count >= 20 * TRIAL_SETS and _use_meet(sampler, stop, 0, base + 1)
        hits, visited, *_ = sampler.draw(0, count, base, stop, 0, meet)
        draws["validation_sets"] += count
        draws["visited"] += visited
        bar.update(count)
        return hits

    def certify(picks, covered, count, upper, a, last, bar) -> float:
        """Lower / upper bound from a fresh sample (OPIM-C's full size at the cap)."""
        size = count if last else _validation_size(covered, count, upper, target, a)
        return _lower(validate(picks, size, bar), a) / size / upper

    with _progress(progress=progress, desc="RR sets", unit="set") as bar:
        pool = _Pool(sampler, run_base(rng), no_stop)
        sentinel = None
        g = 0
        for i in range(1, i_max + 1):
            pool.extend_to(_grid(theta0, g), bar)
            bytes_peak = max(bytes_peak, pool.nbytes)
            picks, gains, bound = pool.select(k, np.zeros(0, dtype=np.int64))
            upper = _upper(bound, a) / pool.count
            covered = float(gains.sum())
            enough = covered >= covered_sets or 2 * pool.nbytes > RR_BUDGET
            # the second sample is drawn only where a stop is possible (it never sets the schedule)
            last = g == g_max
            ratio = certify(picks, covered, pool.count, upper, a, last, bar) if enough or last else 0.0
            if ratio >= target or last:
                details.update(certified="bounds" if ratio >= target else "sample cap", certified_ratio=ratio,
                               rounds=i, sentinels=0)
                draws["rr_sets"] = pool.count
                draws["visited"] += pool.visited
                break
            if sentinels and k > 1:
                b = _sentinel_size(gains, bound, pool.count, k, epsilon / 2, a)
                if b < k:
                    need = 1 - (1 - 1 / k) ** b - epsilon / 2
                    low_b = _lower(validate(picks[:b], pool.count, bar), a) / pool.count
                    if low_b / upper >= need:
                        sentinel = (picks[:b].copy(), gains[:b].astype(np.float64), i, pool.count, g)
                        break
            g = _next_grid(theta0, g, g_max, covered, pool.count, covered_sets)
        if sentinel is None:
            cover_scale = n / pool.count
            out_gains = gains * cover_scale
        else:
            s_nodes, s_gains, s_rounds, s_sets, g = sentinel
            draws["rr_sets_sentinel_phase"] = s_sets
            draws["visited"] += pool.visited
            del pool
            d2 = delta / 2
            a2 = math.log(3 * i_max / d2)
            stop = sampler.mask(s_nodes)
            base = run_base(rng)
            meet = _use_meet(sampler, stop, 1, base + 1)
            details["two_sided"] = meet
            pool = _Pool(sampler, base, stop, meet)
            for i in range(1, i_max + 1):
                pool.extend_to(_grid(theta0, g), bar)
                bytes_peak = max(bytes_peak, pool.nbytes)
                picks, gains, bound = pool.select(k, s_nodes)
                upper = _upper(bound, a2) / pool.count
                covered = float(pool.hits + gains.sum())
                enough = covered >= covered_sets or 2 * pool.nbytes > RR_BUDGET
                last = g == g_max
                ratio = certify(picks, covered, pool.count, upper, a2, last, bar) if enough or last else 0.0
                if ratio >= target or last:
                    break
                g = _next_grid(theta0, g, g_max, covered, pool.count, covered_sets)
            details.update(certified="bounds" if ratio >= target else "sample cap", certified_ratio=ratio,
                           rounds=s_rounds + i, sentinels=int(s_nodes.size),
                           sentinel_hit_share=pool.hits / pool.count)
            draws["rr_sets"] = pool.count
            draws["visited"] += pool.visited
            cover_scale = n / pool.count
            out_gains = gains.astype(np.float64) * cover_scale
            b = s_nodes.size
            # the sentinels' joint reach comes from this phase; split it as the first phase's greedy did
            joint = (pool.hits + gains[:b].sum()) * cover_scale
            out_gains[:b] = s_gains / max(s_gains.sum(), 1.0) * joint
    details.update(draws)
    details["rr_bytes_peak"] = int(bytes_peak)
    details["covered_sets"] = int(round(float(np.sum(out_gains)) / cover_scale))
    details["covered_sets_asked"] = int(math.ceil(covered_sets))
    return picks, np.asarray(out_gains, dtype=np.float64), details


def _sentinel_size(gains: np.ndarray, bound: float, theta: int, k: int, eps1: float, a: float) -> int:
    """HIST's sentinel size from the first phase's greedy trace (Guo et al. 2020, Alg. 2): the
    longest prefix, at most k/4 long, whose own bound ratio clears 1.2 × its target
    ``1 - (1 - 1/k)^b - ε1``; at least the smallest ``b`` whose target is positive."""
    smallest = max(1, math.ceil(math.log(1 - eps1) / math.log(1 - 1 / k)))
    longest = max(smallest, k // 4)
    upper = _upper(bound, a)
    cum = np.cumsum(gains)
    for b in range(min(longest, len(gains)), smallest - 1, -1):
        if _lower(float(cum[b - 1]), a) / upper > 1.2 * (1 - (1 - 1 / k) ** b - eps1):
            return b
    return min(smallest, k)
