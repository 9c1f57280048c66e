"""netlib_cases: the case studies' analyses (research code, no API promise); depends on netlib."""

from netlib_cases.microfinance import *  # noqa: F401,F403
from netlib_cases.microfinance import __all__  # noqa: F401
