"""The customer network: built from interactions (compact arrays or networkx), undirected views, tie
strength, summaries.

:func:`customer_network` returns a :class:`CustomerNetwork` (ties as arrays); :func:`build_network`
returns the same network as a networkx DiGraph. Every analysis accepts either.
"""

from netlib.network.build import build_network, customer_network
from netlib.network.compact import CustomerNetwork
from netlib.network.summary import network_summary
from netlib.network.ties import TieStrengthRule, tie_strength, undirected

__all__ = [
    "build_network",
    "customer_network",
    "CustomerNetwork",
    "undirected",
    "tie_strength",
    "TieStrengthRule",
    "network_summary",
]

# pickles name the classes by their public path
CustomerNetwork.__module__ = "netlib.network"
TieStrengthRule.__module__ = "netlib.network"
