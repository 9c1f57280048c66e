"""Rogers' five customer-network behaviours: taxonomy, per-customer profiles, segments, playbook."""

from netlib.patterns.profiles import *  # noqa: F401,F403
from netlib.patterns.profiles import __all__  # noqa: F401
