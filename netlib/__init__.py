"""netlib: customer-network analysis.

Customers are nodes in a sharing network. netlib finds the influencers, the communities and the
paths ideas spread along, and reads customers through David L. Rogers' five customer-network
behaviours: access, engage, customize, connect, collaborate.

>>> import netlib as nl
>>> data = nl.load_sample()          # doctest: +SKIP
>>> G = nl.build_network(data)       # doctest: +SKIP
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("netlib")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

from netlib.errors import (
    ChecksumError,
    DataError,
    DatasetNotFoundError,
    NetlibError,
    ParameterError,
    RowError,
    SchemaError,
)

from netlib import datasets
from netlib._sample import load_sample
from netlib.io import CustomerData, LoadReport, read_data, write_data
from netlib.network import TieStrengthRule, build_network, network_summary, tie_strength, undirected

__all__ = [
    "__version__",
    "datasets",
    "load_sample",
    "CustomerData",
    "LoadReport",
    "read_data",
    "write_data",
    "build_network",
    "undirected",
    "tie_strength",
    "TieStrengthRule",
    "network_summary",
    "NetlibError",
    "DataError",
    "SchemaError",
    "RowError",
    "DatasetNotFoundError",
    "ChecksumError",
    "ParameterError",
]
