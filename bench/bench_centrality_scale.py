"""The default centrality battery at scale: time per measure, and closeness / Katz against their
previous implementations run in the same process.

Run: ``PYTHONPATH=. .venv/bin/python bench/bench_centrality_scale.py [--skip-1m | --skip-ba] [--compare-1m]
[--n 100000]`` (the 1M part under ``flock /work/bigrun.lock``).

1. Barabási–Albert n = 100,000, m = 5 (networkx generator, seed 42): the default battery, one measure
   at a time on one shared conversion, wall and CPU seconds.
2. Closeness: the multi-source BFS (64 x words sources per traversal) against the one-BFS-per-pivot
   kernel it replaced (``netlib._kernels.closeness_bfs``), on the same pivots; identical sums checked.
3. Katz: power iteration for the radius + iteration to a certified residual bound, against ARPACK's
   radius (``eigsh``/``eigs``) + iteration to 1e-12 (the previous code); the two vectors compared.
4. Accuracy on BA n = 5,000: sampled closeness against exact (networkx's definition, computed
   exactly by netlib), the largest error in mean distance against the stated bound.
5. Betweenness: KADABRA's adaptive stop under the Riondato-Kornaropoulos size, with the directed
   vertex-diameter bound from the strong-component condensation, against the previous estimator
   (the RK sample size with the largest weakly connected component as the directed bound, no
   adaptive stop), same seed: samples, CPU and the largest difference between the two estimates.
6. The 1M-customer world (``/work/cache/world1m_csr.npz``: directed, summed weights): the battery and
   (5); with ``--compare-1m`` also (2) and (3).

The machine is shared, so absolute times are noisy: the ratios (same process, same pivots) are what
count, and CPU seconds are printed beside wall seconds.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np

import netlib.centrality  # noqa: F401  (the module; netlib.centrality the name is the function)
from netlib._csr import CSRGraph, to_csr

C = sys.modules["netlib.centrality"]
WORLD = Path("/work/cache/world1m_csr.npz")


def timed(fn, *args, **kwargs):
    w, c = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - w, time.process_time() - c


def battery(name: str, G, c: CSRGraph) -> None:
    print(f"\n== default battery on {name}: {c.n:,} nodes, {c.m:,} arcs ==")
    C.centrality(nx.path_graph(5), seed=1)  # compile (or load) the kernels outside the timings
    total_w = total_c = 0.0
    for grp in C._DEFAULT:
        df, w, cpu = timed(C.centrality, G, [grp], seed=1, _csr=c)
        total_w += w
        total_c += cpu
        info = df.attrs.get(grp)
        note = ""
        if grp == "closeness":
            note = f"  {info['method']}, {info.get('pivots', c.n)} pivots, epsilon {info.get('epsilon', 0):.3g}"
        elif grp == "katz":
            note = f"  {info['iterations']} iterations, bound {info['relative_error_bound']:.1e}, " \
                   f"{info.get('power_iterations', 0)} power iterations"
        elif grp == "betweenness":
            note = f"  {info['method']}, {info.get('samples', '-')} of at most {info.get('max_samples', '-')} " \
                   f"samples, vertex diameter <= {info.get('vertex_diameter_bound', '-')}"
        elif grp == "pagerank":
            note = f"  {info['iterations']} iterations, L1 error <= {info['l1_error_bound']:.1e}"
        print(f"  {grp:<12} wall {w:7.2f} s  cpu {cpu:7.2f} s{note}")
    print(f"  {'total':<12} wall {total_w:7.2f} s  cpu {total_c:7.2f} s")


def closeness_vs_previous(c: CSRGraph, k: int = 768) -> None:
    K = C.K
    rng = np.random.default_rng(3)
    sources = np.sort(rng.choice(c.n, size=min(k, c.n), replace=False)).astype(np.int64)
    threads = K.num_threads()
    words = C._msbfs_words(sources.size, c.n, threads)
    C.CK.closeness_msbfs(c.indptr, c.indices, sources[:2], threads, words)
    K.closeness_bfs(c.indptr, c.indices, sources[:2], threads)
    (new, w_new, c_new) = timed(C.CK.closeness_msbfs, c.indptr, c.indices, sources, threads, words)
    (old, w_old, c_old) = timed(K.closeness_bfs, c.indptr, c.indices, sources, threads)
    same = np.array_equal(new[0], old[0]) and np.array_equal(new[1], old[1])
    print(f"\n== closeness, {sources.size} pivots ({words * 64} sources per traversal, {threads} threads) ==\n"
          f"  multi-source BFS wall {w_new:.2f} s cpu {c_new:.2f} s; one BFS per pivot wall {w_old:.2f} s "
          f"cpu {c_old:.2f} s; ratio {w_old / w_new:.1f}x wall, {c_old / c_new:.1f}x cpu; identical sums: {same}")


def katz_vs_previous(c: CSRGraph) -> None:
    from scipy.sparse.linalg import eigs, eigsh

    def previous():
        a = c.matrix
        if c.directed:
            rho = float(np.max(np.abs(eigs(a, k=1, which="LM", return_eigenvectors=False, maxiter=5000))))
        else:
            rho = float(abs(eigsh(a, k=1, which="LA", return_eigenvectors=False)[0]))
        alpha = 0.5 / rho
        at = c.matrix.T.tocsr()
        x = np.zeros(c.n)
        for _ in range(10_000):
            xn = alpha * (at @ x) + 1.0
            if np.abs(xn - x).sum() < 1e-12 * max(1.0, np.abs(xn).sum()):
                return xn / np.linalg.norm(xn), rho
            x = xn
        raise RuntimeError("no convergence")

    def current():
        rho, _, _ = C._spectral_radius_bound(c)
        return C._katz(c, 0.5 / rho)[0], rho

    (old, w_old, c_old) = timed(previous)
    (new, w_new, c_new) = timed(current)
    rel = np.max(np.abs(new[0] - old[0]) / old[0])
    print(f"\n== katz ==\n  power iteration + certified bound wall {w_new:.2f} s cpu {c_new:.2f} s; ARPACK + "
          f"iteration to 1e-12 wall {w_old:.2f} s cpu {c_old:.2f} s; ratio {w_old / w_new:.1f}x wall, "
          f"{c_old / c_new:.1f}x cpu\n  radius {new[1]:.6f} vs ARPACK {old[1]:.6f}; largest relative difference "
          f"of the vectors {rel:.1e} (alpha differs by the radius estimate)")


def betweenness_vs_previous(c: CSRGraph, epsilon: float = 0.01, delta: float = 0.1) -> None:
    from scipy.sparse.csgraph import connected_components

    K = C.K
    n = c.n

    def previous():
        if c.directed:
            vd = int(np.bincount(connected_components(c.matrix, directed=True, connection="weak")[1]).max())
        else:
            vd = int(K.eccentricity_bound(c.indptr, c.indices))
        eps = epsilon * (n - 2) / n
        r = math.ceil(0.5 / eps**2 * (math.floor(math.log2(max(vd - 2, 1))) + 1 + math.log(1 / delta)))
        base = int(np.random.default_rng(1).integers(0, 2**63 - 1))
        rev = c.reverse
        counts = K.betweenness_sample(c.indptr, c.indices, rev.indptr, rev.indices, r, np.uint64(base),
                                      K.num_threads())
        return counts / r * n / (n - 2), r, vd

    def current():
        return C._betweenness(c, epsilon=epsilon, delta=delta, exact=False, rng=np.random.default_rng(1))

    c.reverse  # built once, outside both timings
    ((old, r_old, vd_old), w_old, c_old) = timed(previous)
    ((new, info), w_new, c_new) = timed(current)
    print(f"\n== betweenness, epsilon {epsilon}, delta {delta} ==\n"
          f"  previous: RK, vertex diameter <= {vd_old:,}, {r_old:,} samples, wall {w_old:.2f} s cpu {c_old:.2f} s\n"
          f"  current:  KADABRA stop ({info['stopped']}), vertex diameter <= {info['vertex_diameter_bound']:,}, "
          f"{info['samples']:,} of at most {info['max_samples']:,} samples, wall {w_new:.2f} s cpu {c_new:.2f} s\n"
          f"  ratio {w_old / w_new:.1f}x wall, {c_old / c_new:.1f}x cpu, {r_old / info['samples']:.1f}x samples; "
          f"largest difference between the estimates {np.abs(new - old).max():.4f} (each within {epsilon} "
          f"of exact w.p. >= {1 - delta:g}); largest estimate {new.max():.4f}")


def accuracy(n: int = 5000) -> None:
    G = nx.barabasi_albert_graph(n, 3, seed=5)
    exact = C.centrality(G, ["closeness"], exact=True)["closeness"].to_numpy()
    print(f"\n== sampled closeness against exact, BA n={n:,} m=3 (delta 0.1) ==")
    for eps in (0.2, 0.1, 0.05):
        df = C.centrality(G, ["closeness"], exact=False, closeness_epsilon=eps, seed=1)
        info = df.attrs["closeness"]
        err = np.abs(1 / df["closeness"].to_numpy() - 1 / exact)
        print(f"  epsilon {eps:<5} pivots {info['pivots']:>5}: largest error in mean distance {err.max():.3f} hops, "
              f"mean {err.mean():.4f}; stated bound {info['mean_distance_error']:.3f} hops")


def world() -> tuple[object, CSRGraph]:
    z = np.load(WORLD)
    ids = z["ids"].tolist()
    c = CSRGraph(ids, z["indptr"].astype(np.int64), z["indices"].astype(np.int32),
                 z["weights"].astype(np.float64), True, {})
    return nx.empty_graph(0, create_using=nx.DiGraph), c  # the graph is not read when _csr is given


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--skip-1m", action="store_true")
    ap.add_argument("--skip-ba", action="store_true", help="only the 1M-customer world")
    ap.add_argument("--compare-1m", action="store_true", help="closeness and Katz against before at 1M too")
    args = ap.parse_args()
    if not args.skip_ba:
        G = nx.barabasi_albert_graph(args.n, 5, seed=42)
        c = to_csr(G)
        battery(f"BA n={args.n:,} m=5", G, c)
        betweenness_vs_previous(c)
        closeness_vs_previous(c)
        katz_vs_previous(c)
        accuracy()
    if not args.skip_1m and WORLD.exists():
        Gw, cw = world()
        battery("the 1M-customer world (directed)", Gw, cw)
        betweenness_vs_previous(cw)
        if args.compare_1m:
            closeness_vs_previous(cw, k=256)
            katz_vs_previous(cw)
    elif not args.skip_1m:
        print(f"\n{WORLD} not found: the 1M-customer part is skipped")
    print(f"\nnumba threads: {C.K.num_threads()}")


if __name__ == "__main__":
    main()
