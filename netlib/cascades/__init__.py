"""Spread paths: cascades reconstructed from share logs, their shape, and the routes ideas travel."""

from netlib.cascades.reconstruct import (
    SpreadPath,
    adoption_curves,
    cascade_influencers,
    cascade_metrics,
    cascades_from_trees,
    earliest_arrival,
    k_most_probable_paths,
    most_probable_path,
    reachable_within,
    read_propagation_trees,
    reconstruct_cascades,
    structural_virality,
    temporal_reach,
    territories,
)

__all__ = [
    "SpreadPath",
    "adoption_curves",
    "cascade_influencers",
    "cascade_metrics",
    "cascades_from_trees",
    "earliest_arrival",
    "k_most_probable_paths",
    "most_probable_path",
    "reachable_within",
    "read_propagation_trees",
    "reconstruct_cascades",
    "structural_virality",
    "temporal_reach",
    "territories",
]
