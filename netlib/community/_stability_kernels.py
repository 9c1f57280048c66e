"""Compiled kernel of :func:`netlib.community_stability`: each customer's closest other community. Private.

Loaded lazily by :mod:`netlib.community.stability` (numba must not load at ``import netlib``).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def closest_other(reference, memberships, run_ptr, cols, vals, k_ref):
    """Per customer, the other reference community with the largest summed share, and that sum.

    Run ``r``'s contingency table is a CSR over its communities: community ``k`` of run ``r`` has
    entries ``run_ptr[r, k] .. run_ptr[r, k + 1]`` of ``cols`` (reference communities, ascending)
    and ``vals`` (the share of that reference community inside ``k``). Customer ``i`` sums, over the
    runs in order, the row of its run community, skipping its own reference community; the largest
    sum wins, the lowest community id on equal sums. Customers whose run communities never reach
    another reference community get ``-1`` and ``0.0``.
    """
    n = reference.size
    runs = memberships.shape[0]
    acc = np.zeros(k_ref)
    seen = np.zeros(k_ref, dtype=np.bool_)
    touched = np.empty(k_ref, dtype=np.int64)
    closest = np.full(n, -1, dtype=np.int64)
    best_sum = np.zeros(n)
    for i in range(n):
        own = reference[i]
        m = 0
        for r in range(runs):
            k = memberships[r, i]
            for p in range(run_ptr[r, k], run_ptr[r, k + 1]):
                c = cols[p]
                if c == own:
                    continue
                if not seen[c]:
                    seen[c] = True
                    touched[m] = c
                    m += 1
                acc[c] += vals[p]
        best, best_v = -1, 0.0
        for j in range(m):
            c = touched[j]
            v = acc[c]
            if v > best_v or (v == best_v and c < best):
                best, best_v = c, v
            acc[c] = 0.0
            seen[c] = False
        closest[i] = best
        best_sum[i] = best_v
    return closest, best_sum
