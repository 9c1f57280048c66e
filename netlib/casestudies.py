"""Deprecated: the case studies moved out of netlib into the package ``netlib_cases``.

``netlib_cases`` is research code with no API promise. This module forwards the old names to it for one
release, with a DeprecationWarning; import ``netlib_cases`` instead.
"""

import importlib
import warnings

__all__ = ["BEST_KNOWN_MODULARITY", "DataMissing", "broadcast_share", "case_data_home", "community_benchmark",
           "compare_groups", "diffusion_centrality", "higgs_cascades", "leader_regressions", "ols",
           "reach_by_start", "regression_table", "seeding_comparison", "social_proof", "trust_table",
           "twitter16_cascades", "village_table", "virality_check"]


def __getattr__(name: str):
    if name not in __all__:  # only the moved names: probes such as doctest's __test__ import nothing
        raise AttributeError(f"module 'netlib.casestudies' has no attribute {name!r}")
    warnings.warn(f"netlib.casestudies is deprecated: use netlib_cases.{name} (research code, no API promise)",
                  DeprecationWarning, stacklevel=2)
    return getattr(importlib.import_module("netlib_cases"), name)
