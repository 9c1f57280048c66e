"""Communities: who shares with whom, as reproducible segments (a package; see describe)."""

from netlib.community.describe import *  # noqa: F401,F403
from netlib.community.describe import (  # noqa: F401
    __all__,
    DIRECTED_MODES,
    MAX_AUTO_RESTARTS,
    METHODS,
    _CACHE_KEY,
    _Conversion,
    _Conversions,
    _Runner,
    _Ties,
    _canonical,
    _conversions,
    _membership,
    _modularity_codes,
    _series,
    _ties,
)
