"""netlib_cases: the analyses behind ``notebooks/case_studies``. Research code, no API promise.

Each function reproduces one step of a published study on the public datasets (see
:mod:`netlib.datasets`), so the notebooks stay thin and the key numbers can be pinned by tests
(``tests/test_cases_*.py``). This package depends on netlib, never the reverse; what is general
lives in netlib proper (diffusion centrality is ``netlib.centrality(G, "diffusion")``, the Twitter16
cascades are ``netlib.datasets.twitter16_cascades``, the data folder check is
``netlib.datasets.data_home(path, needs=[...])``). Names, arguments and results here may change
with the studies.

* Diffusion of microfinance (Banerjee, Chandrasekhar, Duflo & Jackson 2013), ``microfinance``:
  :func:`diffusion_centrality`, :func:`village_table`, :func:`leader_regressions`,
  :func:`seeding_comparison`.
* Statistics, ``_stats``: :func:`ols` and :func:`regression_table` (ordinary least squares with
  heteroskedasticity-robust standard errors), :func:`compare_groups` (Kruskal-Wallis).
* Community structure with ground truth, ``communities``: :func:`community_benchmark` and
  :data:`BEST_KNOWN_MODULARITY`.
* Cascades in the wild (Goel, Anderson, Hofman & Watts 2016; Ma, Gao & Wong 2017), ``cascades``:
  :func:`twitter16_cascades`, :func:`higgs_cascades`, :func:`broadcast_share`, :func:`virality_check`.
* Consumer trust networks, ``trust``: :func:`trust_table`, :func:`social_proof`.
* Temporal messages, ``temporal``: :func:`reach_by_start`.

Formerly ``netlib.casestudies`` (which still forwards here for one release, with a DeprecationWarning).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from netlib.errors import DatasetMissing as DataMissing  # the old name of netlib.errors.DatasetMissing
from netlib_cases._stats import compare_groups, ols, regression_table
from netlib_cases.cascades import broadcast_share, higgs_cascades, twitter16_cascades, virality_check
from netlib_cases.communities import BEST_KNOWN_MODULARITY, community_benchmark
from netlib_cases.microfinance import diffusion_centrality, leader_regressions, seeding_comparison, village_table
from netlib_cases.temporal import reach_by_start
from netlib_cases.trust import social_proof, trust_table

__all__ = [
    "BEST_KNOWN_MODULARITY",
    "DataMissing",
    "broadcast_share",
    "case_data_home",
    "community_benchmark",
    "compare_groups",
    "diffusion_centrality",
    "higgs_cascades",
    "leader_regressions",
    "ols",
    "reach_by_start",
    "regression_table",
    "seeding_comparison",
    "social_proof",
    "trust_table",
    "twitter16_cascades",
    "village_table",
    "virality_check",
]


def case_data_home(data_dir: str | os.PathLike | None = None, *, needs: Sequence[str] = ()) -> Path:
    """The datasets folder, checked to hold ``needs``: ``netlib.datasets.data_home(data_dir, needs=needs)``.

    Kept for the old notebooks. It no longer guesses ``../shared/datasets`` beside the repository:
    pass the folder, or set ``NETLIB_DATA_HOME``. Raises :class:`DataMissing`
    (``netlib.errors.DatasetMissing``) naming what is missing and where to get it.
    """
    from netlib.datasets import data_home

    return data_home(data_dir, needs=needs)
