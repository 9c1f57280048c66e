"""Seed selection without RR sets: CELF on Monte-Carlo spread, degree discount, top degree. Private."""

from __future__ import annotations

import heapq

import numpy as np

from netlib._spread import Spec
from netlib._util import progress as _progress

__all__ = ["celf", "degree_discount", "top_degree"]


def celf(spec: Spec, k: int, runs: int, base: int, progress: bool | None) -> tuple[np.ndarray, np.ndarray]:
    """CELF lazy greedy (Leskovec et al. 2007) on Monte-Carlo spread with common random numbers."""
    n = spec.csr.n

    def sigma(nodes: list[int]) -> float:
        sizes, _ = spec.run(np.asarray(nodes, dtype=np.int64), runs, base, ncurve=1)
        return float(sizes.mean())

    heap: list[tuple[float, int, int]] = []
    with _progress(total=n + k, progress=progress, desc="CELF", unit="eval") as bar:
        for v in range(n):
            heapq.heappush(heap, (-sigma([v]), v, 0))
            bar.update(1)
        picks: list[int] = []
        gains: list[float] = []
        current = 0.0
        while len(picks) < min(k, n):
            neg, v, rnd = heapq.heappop(heap)
            if rnd == len(picks):
                picks.append(v)
                gains.append(-neg)
                current += -neg
                bar.update(1)
            else:
                heapq.heappush(heap, (-(sigma(picks + [v]) - current), v, len(picks)))
    return np.asarray(picks, dtype=np.int64), np.asarray(gains)


def degree_discount(spec: Spec, k: int) -> np.ndarray:
    """DegreeDiscountIC (Chen, Wang & Yang 2009), on directed graphs and per-edge probabilities.

    Uniform ``p``: Chen's score with ``t_in`` chosen in-neighbours and ``t_out`` chosen
    out-neighbours, ``d_out − t_out − t_in − (d_out − t_out)·t_in·p`` (undirected graphs give
    Chen's ``d − 2t − (d − t)·t·p``), the first-order form of the expected one-hop gain below.
    Per-edge probabilities (weighted cascade, an edge attribute): that expected one-hop gain itself,
    each edge with its own probability,

        score(v) = Π_{u ∈ S, u→v} (1 − p_uv) · (1 + Σ_{w ∉ S, v→w} p_vw),

    the chance that no chosen in-neighbour has already activated ``v`` times ``v`` plus the expected
    number of its not-yet-chosen out-neighbours it activates. With a uniform ``p`` it is
    ``(1 − p)^t_in · (1 + (d_out − t_out)·p)``, whose expansion to first order in ``p`` is Chen's.
    """
    c = spec.csr
    chosen = np.zeros(c.n, dtype=bool)
    rev = c.reverse
    picks = []
    if spec.probs is None:
        p = float(spec.params["p"])
        dout = c.out_degree.astype(np.float64)
        t_in = np.zeros(c.n)
        t_out = np.zeros(c.n)
        for _ in range(min(k, c.n)):
            score = dout - t_out - t_in - (dout - t_out) * t_in * p
            score[chosen] = -np.inf
            v = int(np.argmax(score))
            picks.append(v)
            chosen[v] = True
            t_in[c.indices[c.indptr[v]:c.indptr[v + 1]]] += 1       # v is now a chosen in-neighbour of these
            t_out[rev.indices[rev.indptr[v]:rev.indptr[v + 1]]] += 1  # and a chosen out-neighbour of these
        return np.asarray(picks, dtype=np.int64)
    probs = spec.probs
    rprobs = spec._reverse_arcs(probs)
    not_yet = np.ones(c.n)  # Π (1 − p_uv) over chosen in-neighbours u
    out_sum = np.bincount(np.repeat(np.arange(c.n), c.out_degree), weights=probs, minlength=c.n)
    for _ in range(min(k, c.n)):
        score = not_yet * (1.0 + out_sum)
        score[chosen] = -np.inf
        v = int(np.argmax(score))
        picks.append(v)
        chosen[v] = True
        lo, hi = c.indptr[v], c.indptr[v + 1]
        np.multiply.at(not_yet, c.indices[lo:hi], 1.0 - probs[lo:hi])
        lo, hi = rev.indptr[v], rev.indptr[v + 1]
        np.subtract.at(out_sum, rev.indices[lo:hi], rprobs[lo:hi])  # v is chosen: no longer a gain
    return np.asarray(picks, dtype=np.int64)


def top_degree(spec: Spec, k: int) -> np.ndarray:
    d = spec.csr.out_degree
    return np.lexsort((np.arange(d.size), -d))[:k].astype(np.int64)
