"""Layouts that read: communities in their own discs (no hairball), circles pushed apart so they do not
overlap, and labels placed where they do not cover each other. All deterministic for a given seed."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd

__all__: list[str] = []

#: Above this many communities, the clustered layout falls back to one layout of the whole network.
MAX_DISCS = 600


def separate(centres: np.ndarray, radii: np.ndarray, *, gap: float = 0.15, iterations: int = 300) -> np.ndarray:
    """Move circles apart until none overlaps (``gap`` × the smaller radius between any two), keeping
    their arrangement; deterministic."""
    xy = np.array(centres, dtype=float)
    r = np.asarray(radii, dtype=float)
    n = len(xy)
    if n < 2:
        return xy
    need = r[:, None] + r[None, :] + gap * np.minimum(r[:, None], r[None, :])
    np.fill_diagonal(need, 0.0)
    for _ in range(iterations):
        d = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((d ** 2).sum(-1))
        np.fill_diagonal(dist, np.inf)
        overlap = need - dist
        overlap[overlap < 0] = 0.0
        if not overlap.any():
            break
        safe = np.where(dist == np.inf, 1.0, np.maximum(dist, 1e-9))
        # coincident centres: push along a fixed direction per pair so the result stays deterministic
        unit = np.where(dist[..., None] > 1e-9, d / safe[..., None],
                        np.stack([np.cos(np.arange(n))[:, None] - np.cos(np.arange(n))[None, :] + 1e-3,
                                  np.sin(np.arange(n))[:, None] - np.sin(np.arange(n))[None, :]], -1))
        share = r[None, :] / (r[:, None] + r[None, :])  # the smaller circle moves more
        xy += (unit * (overlap * share)[..., None] * 0.5).sum(1)
    return xy


def clustered(G: nx.Graph, partition: pd.Series, seed: int, layout) -> tuple[dict, list]:
    """Positions with each community laid out inside its own disc (area ∝ members), discs arranged by
    the ties between communities and pushed apart so they do not overlap (group-in-a-box, after
    Rodrigues et al. 2011, with discs instead of boxes). Customers without ties are left out and
    returned as the second value.

    ``layout(H, seed)`` lays out one subgraph (netlib.plot._base._layout).
    """
    nodes = list(G.nodes())
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    alone = [v for v in nodes if all(u == v for u in U[v])]
    alone_set = set(alone)
    linked = [v for v in nodes if v not in alone_set]
    comm = partition.reindex(linked)
    missing = comm.isna()
    if missing.any():  # customers the partition does not cover form one group of their own
        comm = comm.astype(object).where(~missing, "unassigned")
    groups = {c: sorted(idx, key=str) for c, idx in comm.groupby(comm, sort=False).groups.items()}
    if len(groups) > MAX_DISCS or len(groups) < 2:
        return layout(U.subgraph(linked), seed), alone
    order = sorted(groups, key=lambda c: (-len(groups[c]), str(c)))
    radii = np.array([math.sqrt(len(groups[c])) for c in order])
    # arrange the discs by the ties between communities
    meta = nx.Graph()
    meta.add_nodes_from(range(len(order)))
    where = {v: i for i, c in enumerate(order) for v in groups[c]}
    weights: dict = {}
    for u, v in U.edges():
        a, b = where.get(u), where.get(v)
        if a is not None and b is not None and a != b:
            key = (min(a, b), max(a, b))
            weights[key] = weights.get(key, 0) + 1
    meta.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    mpos = layout(meta, seed, weight="weight")
    centres = np.array([mpos[i] for i in range(len(order))], dtype=float)
    span = np.ptp(centres, axis=0).max() if len(centres) > 1 else 1.0
    centres = centres / (span or 1.0) * radii.sum() * 0.6
    centres = separate(centres, radii)
    pos = {}
    for i, c in enumerate(order):
        members = groups[c]
        if len(members) == 1:
            pos[members[0]] = tuple(centres[i])
            continue
        sub = layout(U.subgraph(members), seed + i)
        xy = np.array([sub[v] for v in members], dtype=float)
        xy -= xy.mean(axis=0)
        reach = np.sqrt((xy ** 2).sum(1)).max() or 1.0
        xy = xy / reach * radii[i] * 0.92 + centres[i]
        pos.update({v: (float(x), float(y)) for v, (x, y) in zip(members, xy)})
    return pos, alone


def place_labels(xy: np.ndarray, texts: list[str], *, width_px: float = 900, height_px: float = 560,
                 font_px: float = 11, equal: bool = False) -> list[tuple[float, float]]:
    """Pixel offsets (ax, ay) for annotation labels at points ``xy`` so that no two labels overlap,
    trying eight directions at growing distances, nearest first; deterministic.

    The points' range is taken to span 80% of a ``width_px`` × ``height_px`` plot (with ``equal``, one
    scale for both axes, as in a map drawn with equal axes); a smaller plot is the safer guess.
    """
    if len(xy) == 0:
        return []
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    scale = np.array([width_px * 0.8, height_px * 0.8]) / np.where(hi - lo > 0, hi - lo, 1.0)
    if equal:
        scale = np.full(2, scale.min())
    px = (xy - lo) * scale * np.array([1, -1])  # screen y grows downwards
    boxes: list[tuple[float, float, float, float]] = []
    out = []
    dirs = [(0, -1), (1, -1), (-1, -1), (1, 0), (-1, 0), (0, 1), (1, 1), (-1, 1)]
    for (x, y), text in zip(px, texts):
        w, h = 0.62 * font_px * len(text) + 6, font_px + 6
        chosen = None
        for dist in (22, 38, 56, 76, 100):
            for dx, dy in dirs:
                cx, cy = x + dx * (dist + w / 2 * abs(dx)), y + dy * dist
                box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes):
                    chosen = (cx - x, cy - y, box)
                    break
            if chosen:
                break
        if chosen is None:
            chosen = (0.0, -22.0, (x - w / 2, y - 22 - h / 2, x + w / 2, y - 22 + h / 2))
        boxes.append(chosen[2])
        out.append((float(chosen[0]), float(chosen[1])))
    return out
