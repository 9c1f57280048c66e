"""Public datasets: the classic small graphs, readers for real customer-like networks, and a fetcher."""

from netlib.datasets._base import *  # noqa: F401,F403
from netlib.datasets._base import __all__  # noqa: F401
from netlib.datasets._base import EVANS_CONFERENCES, GN_CONFERENCES  # noqa: F401
