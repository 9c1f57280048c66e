"""A synthetic customer world with known ground truth (see :mod:`netlib.synth.generate`)."""

from netlib.synth.generate import *  # noqa: F401,F403
from netlib.synth.generate import __all__, _degrees, main  # noqa: F401
