"""netlib: customer-network analysis.

Customers are nodes in a sharing network. netlib finds the influencers, the communities and the
paths ideas spread along, and reads customers through David L. Rogers' five customer-network
behaviours: access, engage, customize, connect, collaborate.

>>> import netlib as nl
>>> data = nl.load_sample()
>>> G = nl.build_network(data)
>>> G.number_of_nodes()
2000
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("netlib")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

from netlib import datasets
from netlib._sample import load_sample
from netlib.cascades import (
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
from netlib.centrality import centrality
from netlib.community import (
    PartitionQuality,
    StabilityResult,
    communities,
    community_bridges,
    community_graph,
    community_profiles,
    community_stability,
    modularity,
    partition_quality,
    resolution_sweep,
)
from netlib.diffusion import SimulationResult, model_parameters, reach_curve, simulate
from netlib.errors import (
    ChecksumError,
    ConvergenceError,
    DataError,
    DatasetMissing,
    DatasetNotFoundError,
    NetlibError,
    ParameterError,
    ReportError,
    RowError,
    SchemaError,
)
from netlib.influence import InfluenceResult, influencers, maximize_influence
from netlib.io import CustomerData, LoadReport, read_data, write_data
from netlib.network import (CustomerNetwork, TieStrengthRule, build_network, customer_network, network_summary,
                            tie_strength, undirected)
from netlib.patterns import (
    BEHAVIOURS,
    BehaviourPosition,
    UnmappedEventTypesWarning,
    behaviour_by_position,
    behaviour_ladder,
    default_taxonomy,
    load_taxonomy,
    pattern_profiles,
    reconcile_connect,
    segments,
    strategy_playbook,
    suggest_taxonomy,
    taxonomy_from_suggestions,
)


def __getattr__(name: str):
    # Imported on first use: netlib.synth so that `python -m netlib.synth` does not find it already
    # imported (runpy warns about that); plot, report and casestudies to keep `import netlib` fast.
    if name == "generate":
        from netlib.synth import generate

        return generate
    if name in ("explore", "ExplorerView"):  # the offline network explorer in a notebook cell (netlib.explorer)
        import netlib.explorer

        return getattr(netlib.explorer, name)
    if name in ("plot", "report", "casestudies", "synth", "explorer"):
        import importlib

        return importlib.import_module(f"netlib.{name}")
    raise AttributeError(f"module 'netlib' has no attribute {name!r}")

__all__ = [
    "__version__",
    # submodules (imported on first use)
    "plot",
    "report",
    "casestudies",
    "synth",
    "explorer",
    # data in
    "datasets",
    "load_sample",
    "read_data",
    "write_data",
    "generate",
    "CustomerData",
    "LoadReport",
    # the network
    "build_network",
    "customer_network",
    "CustomerNetwork",
    "undirected",
    "tie_strength",
    "TieStrengthRule",
    "network_summary",
    "explore",
    "ExplorerView",
    # influencers and diffusion
    "centrality",
    "influencers",
    "maximize_influence",
    "InfluenceResult",
    "simulate",
    "reach_curve",
    "model_parameters",
    "SimulationResult",
    # communities
    "communities",
    "modularity",
    "partition_quality",
    "community_stability",
    "resolution_sweep",
    "community_profiles",
    "community_bridges",
    "community_graph",
    "PartitionQuality",
    "StabilityResult",
    # spread paths
    "reconstruct_cascades",
    "cascade_metrics",
    "structural_virality",
    "adoption_curves",
    "cascade_influencers",
    "cascades_from_trees",
    "read_propagation_trees",
    "most_probable_path",
    "k_most_probable_paths",
    "reachable_within",
    "territories",
    "earliest_arrival",
    "temporal_reach",
    "SpreadPath",
    # Rogers' five behaviours
    "BEHAVIOURS",
    "default_taxonomy",
    "load_taxonomy",
    "pattern_profiles",
    "segments",
    "behaviour_ladder",
    "behaviour_by_position",
    "strategy_playbook",
    "reconcile_connect",
    "suggest_taxonomy",
    "taxonomy_from_suggestions",
    "BehaviourPosition",
    "UnmappedEventTypesWarning",
    # errors
    "NetlibError",
    "DataError",
    "SchemaError",
    "RowError",
    "DatasetNotFoundError",
    "DatasetMissing",
    "ChecksumError",
    "ParameterError",
    "ConvergenceError",
    "ReportError",
]
