"""Small shared helpers: seeds, provenance, progress bars. Private."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any

import numpy as np

SeedLike = int | np.random.Generator | None


def as_rng(seed: SeedLike) -> np.random.Generator:
    """Turn ``seed`` (int, Generator or None) into one ``np.random.Generator``.

    Never touches global random state. A Generator passed in is used as is (not copied).
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, (int, np.integer)):
        return np.random.default_rng(None if seed is None else int(seed))
    from netlib.errors import ParameterError

    raise ParameterError(f"seed must be an int, a numpy Generator or None; got {type(seed).__name__}")


def int_seed(rng: np.random.Generator) -> int:
    """Derive an int seed from ``rng`` for libraries that want one (python-louvain, igraph, leidenalg)."""
    return int(rng.integers(0, 2**31 - 1))


def provenance(function: str, **params: Any) -> dict[str, Any]:
    """What made a result: function name, parameters and netlib version, for ``df.attrs``."""
    from netlib import __version__

    clean = {}
    for key, value in params.items():
        if isinstance(value, np.random.Generator):
            value = "<numpy.random.Generator>"
        elif isinstance(value, (np.integer, np.floating)):
            value = value.item()
        clean[key] = value
    return {"function": f"netlib.{function}", "parameters": clean, "netlib_version": __version__}


def _interactive() -> bool:
    """True in a terminal or a Jupyter kernel; False under CI, pipes and papermill."""
    if os.environ.get("CI") or os.environ.get("NETLIB_NO_PROGRESS"):
        return False
    try:
        from IPython import get_ipython  # noqa: PLC0415

        shell = get_ipython()
        if shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell":
            return not os.environ.get("PAPERMILL_EXECUTION")
    except ImportError:  # pragma: no cover - IPython ships with jupyterlab
        pass
    return sys.stderr.isatty()


def progress(iterable: Iterable | None = None, *, progress: bool | None = None, total: int | None = None,
             desc: str | None = None, unit: str = "it"):
    """A tqdm bar, silent when ``progress=False`` or (when ``progress=None``) outside terminals and notebooks."""
    from tqdm.auto import tqdm

    show = _interactive() if progress is None else bool(progress)
    return tqdm(iterable, total=total, desc=desc, unit=unit, disable=not show, leave=False)
