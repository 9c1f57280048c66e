"""Work shared by the pages of one report run, done once: the validated data, the network, shared analyses.

A report runs six notebooks, each in its own kernel, and several of them start from the same work:
reading and validating the data, building the network, ranking influencers, finding the default
communities. :func:`netlib.report.build_report` does that work once, in its own process, and leaves it in
a :class:`RunCache` folder for the run; each kernel is told the folder (``$NETLIB_REPORT_CACHE``) and

- :func:`netlib.report.notebook_setup` loads the data and the network from it (the tables as Arrow
  files, in seconds, with the load report exactly as read; no re-validation, no rebuilding);
- :func:`shared` returns what an analysis gave for the same network (or data) and the same arguments,
  computed by whichever process asked first (a process asking while another computes it waits for the
  answer rather than computing it twice).

Results are stored with :class:`joblib.Memory` under a key made of the run's data fingerprint (sha256
of the files written), the function's name and its arguments with their defaults filled in, so a
notebook asking with other arguments computes afresh. Only calls whose answer is fixed by their
arguments are shared: a function taking ``seed`` is shared only when the seed is an int. Outside a
report run (an analyst running a notebook in JupyterLab) there is no cache and :func:`shared` simply
calls the function.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import pickle
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from netlib.errors import DataError, ParameterError

__all__ = ["ENV", "RunCache", "active", "shared"]

#: The environment variable that tells a report kernel where its run's cache is.
ENV = "NETLIB_REPORT_CACHE"
_FORMAT = "netlib-report-cache/1"
_TABLES = ("customers", "interactions", "events")
#: Keywords that change how a call reports progress, never its answer (left out of the key).
_NOT_IN_KEY = ("progress",)

_lock = threading.Lock()
_active: "RunCache | None" = None
_from_env: dict[str, "RunCache"] = {}


def _compute(name: str, fingerprint: str, arguments: dict, first: Any, extra: dict) -> Any:
    """What joblib.Memory stores: ``name(first, **arguments)``; the key is ``name``, ``fingerprint`` and
    ``arguments`` (``first`` is named by the fingerprint, ``extra`` holds keywords such as ``progress``)."""
    return _resolve(name)(first, **arguments, **extra)


def _resolve(name: str) -> Callable:
    import importlib

    module, _, attr = name.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def _name(func: Callable) -> str:
    """``module.name`` of a public netlib function, the form the key holds (``netlib.centrality.centrality``)."""
    module, qual = getattr(func, "__module__", None), getattr(func, "__qualname__", "")
    if not module or "." in qual or "<" in qual:
        raise ParameterError(f"shared: {func!r} is not a module-level function")
    if _resolve(f"{module}.{qual}") is not func:
        raise ParameterError(f"shared: {module}.{qual} does not name {func!r}")
    return f"{module}.{qual}"


def _plain(value: Any) -> bool:
    """True for values a key can name exactly (numbers, text, None and lists, tuples, dicts of them)."""
    import numbers

    if value is None or isinstance(value, (str, bool, numbers.Number)):
        return True
    if isinstance(value, (list, tuple, frozenset, set)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return False


class RunCache:
    """One report run's shared work, in one folder (see the module notes).

    Parameters
    ----------
    folder : path
        A folder written by :meth:`create`.

    Attributes
    ----------
    folder : Path
    fingerprint : str
        sha256 over the data and network files written, the first part of every result's key.
    data_path, read_options
        What the notebooks of the run are given as ``data_path`` and ``read_options``: the data they
        ask for with these values is the data in this cache.

    Examples
    --------
    >>> import tempfile
    >>> import netlib as nl
    >>> from netlib.report.runcache import RunCache
    >>> data = nl.load_sample()
    >>> cache = RunCache.create(tempfile.mkdtemp(), data)
    >>> again = RunCache(cache.folder).load_data()
    >>> again.report.rows_kept == data.report.rows_kept, again.interactions.equals(data.interactions)
    (True, True)
    """

    def __init__(self, folder):
        import joblib

        self.folder = Path(folder)
        try:
            manifest = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DataError(f"{self.folder}: not a report run cache ({exc})") from None
        if manifest.get("format") != _FORMAT:
            raise DataError(f"{self.folder}: not a report run cache (format {manifest.get('format')!r})")
        self.fingerprint: str = manifest["fingerprint"]
        self.data_path = manifest["data_path"]
        self.read_options = manifest["read_options"]
        self.has_network: bool = manifest["network"]
        self._memory = joblib.Memory(self.folder / "results", verbose=0)
        self._compute = self._memory.cache(_compute, ignore=["first", "extra"])
        self._data = None
        self._network = None

    # ------------------------------------------------------------------ writing (the report's process)
    @classmethod
    def create(cls, folder, data, *, network=None, data_path=None, read_options=None) -> "RunCache":
        """Write ``data`` (and ``network``, its :func:`netlib.customer_network`) to ``folder``.

        The tables are written as uncompressed Arrow (Feather) files, which load in seconds with their
        dtypes; the load report, source and ground truth are pickled beside them. ``data_path`` and
        ``read_options`` are what the run's notebooks are given (recorded so that a notebook asking for
        other data reads it afresh). The returned cache holds ``data`` and ``network`` themselves, so
        :func:`shared` calls in this process use them as they are.
        """
        from netlib._util import sha256_file
        from netlib.io import atomic_write

        folder = Path(folder)
        (folder / "data").mkdir(parents=True, exist_ok=True)
        written = []
        for table in _TABLES:
            path = folder / "data" / f"{table}.arrow"
            with atomic_write(path, "wb") as handle:
                getattr(data, table).to_feather(handle, compression="uncompressed")
            written.append(path)
        rest = replace(data, customers=None, interactions=None, events=None)
        written.append(_dump(rest, folder / "data" / "rest.pkl"))
        if network is not None:
            written.append(_dump(network, folder / "network.pkl"))
        manifest = {"format": _FORMAT, "fingerprint": _combined([sha256_file(p) for p in written]),
                    "data_path": None if data_path is None else str(data_path),
                    "read_options": read_options or {}, "network": network is not None}
        with atomic_write(folder / "manifest.json", "w", encoding="utf-8") as handle:
            json.dump(manifest, handle)
        cache = cls(folder)
        # joblib.Memory records the function it stores results of on its first call; make that call here,
        # before any kernel starts, so that processes starting at once never race to write the record
        cache._compute("builtins.len", "first call", {}, (), {})
        cache._data, cache._network = data, network
        return cache

    # ------------------------------------------------------------------ reading (the kernels)
    def serves(self, data_path, read_options) -> bool:
        """True when a notebook given ``data_path`` and ``read_options`` asks for this cache's data."""
        path = None if data_path is None else str(data_path)
        return path == self.data_path and (read_options or {}) == self.read_options

    def load_data(self, *, memory_map: bool = True):
        """The validated data, as the report read it (loaded once per process).

        With ``memory_map`` the tables' text and numbers stay in the Arrow files, mapped into memory:
        kernels running at once share those pages instead of each holding a copy.
        """
        import pandas as pd
        import pyarrow as pa

        def table(name):
            path = self.folder / "data" / f"{name}.arrow"
            if not memory_map:
                return pd.read_feather(path)
            with pa.memory_map(str(path)) as source:  # the frames keep the mapping alive
                return pd.read_feather(source)

        with _lock:
            if self._data is None:
                with open(self.folder / "data" / "rest.pkl", "rb") as handle:
                    rest = pickle.load(handle)
                self._data = replace(rest, **{t: table(t) for t in _TABLES})
            return self._data

    def load_network(self):
        """The run's :class:`netlib.CustomerNetwork` (None when the data has no network), loaded once."""
        with _lock:
            if self._network is None and self.has_network:
                with open(self.folder / "network.pkl", "rb") as handle:
                    self._network = pickle.load(handle)
            return self._network

    def forget(self) -> None:
        """Let go of the data and the network this object holds (they stay in the folder)."""
        with _lock:
            self._data = self._network = None

    def holds(self, obj) -> bool:
        """True when ``obj`` is this cache's data or network object (in this process)."""
        return obj is not None and (obj is self._data or obj is self._network)

    # ------------------------------------------------------------------ shared results
    def call(self, func: Callable, first, *args, **kwargs):
        """``func(first, *args, **kwargs)``, computed once per run for this cache's data or network.

        Computed afresh (and not stored) when ``first`` is not this cache's data or network, when the
        function takes ``seed`` and it is not an int, or when an argument is not plain (numbers, text,
        None and containers of them).
        """
        if not self.holds(first):
            return func(first, *args, **kwargs)
        name = _name(func)
        signature = inspect.signature(func)
        given = dict(signature.bind(first, *args, **kwargs).arguments)
        arguments = {}
        for i, (key, param) in enumerate(signature.parameters.items()):
            if i == 0:
                continue
            if param.kind is inspect.Parameter.VAR_KEYWORD:  # **kwargs: each keyword by its own name
                arguments.update(given.get(key, {}))
            elif param.kind is inspect.Parameter.VAR_POSITIONAL:
                if given.get(key):
                    return func(first, *args, **kwargs)
            elif key in given:
                arguments[key] = given[key]
            elif _plain(param.default):  # defaults named in the key (sentinels for renamed keywords are not)
                arguments[key] = param.default
        extra = {k: arguments.pop(k) for k in _NOT_IN_KEY if k in arguments}
        seed = arguments.get("seed")
        if ("seed" in arguments and (isinstance(seed, bool) or not isinstance(seed, int))) or not _plain(arguments):
            return func(first, *args, **kwargs)
        what = "data" if first is self._data else "network"
        if name == "netlib.network.build.customer_network" and what == "data" and self.has_network \
                and arguments == {k: v.default for k, v in list(signature.parameters.items())[1:]}:
            return self.load_network()  # the network the report built with these arguments
        key = (name, f"{self.fingerprint}:{what}", arguments)
        with self._computing(key):  # one process computes; the others asking meanwhile wait and load
            return self._compute(*key, first, extra)

    @contextlib.contextmanager
    def _computing(self, key):
        """Hold the lock of ``key`` (a file lock, so that kernels and the report's process take turns)."""
        import fcntl

        import joblib

        path = self.folder / "locks" / f"{joblib.hash(key)}.lock"
        path.parent.mkdir(exist_ok=True)
        with open(path, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _dump(obj, path: Path) -> Path:
    from netlib.io import atomic_write

    with atomic_write(path, "wb") as handle:
        pickle.dump(obj, handle, protocol=5)
    return path


def _combined(digests: list[str]) -> str:
    import hashlib

    return hashlib.sha256("".join(digests).encode()).hexdigest()


# ------------------------------------------------------------------ the cache of this process
@contextlib.contextmanager
def activated(cache: RunCache):
    """Make ``cache`` the one :func:`shared` uses in this process while the block runs (the report's own
    process; kernels find theirs through ``$NETLIB_REPORT_CACHE``)."""
    global _active
    before, _active = _active, cache
    try:
        yield cache
    finally:
        _active = before


def active() -> RunCache | None:
    """The report run cache of this process: the one :func:`activated` set, else the folder named by
    ``$NETLIB_REPORT_CACHE`` (a report kernel), else None (no report is running)."""
    if _active is not None:
        return _active
    folder = os.environ.get(ENV)
    if not folder:
        return None
    with _lock:
        if folder not in _from_env:
            _from_env[folder] = RunCache(folder)
        return _from_env[folder]


def shared(func: Callable, first, *args, **kwargs):
    """``func(first, *args, **kwargs)``; in a report run, computed once for all the pages that ask.

    A notebook writes ``shared(nl.influencers, G, top=None, p=p, seed=seed)`` where it would write
    ``nl.influencers(G, top=None, p=p, seed=seed)``: outside a report run the two are the same call. In
    a report run, when ``first`` is the run's network or data (as :func:`netlib.report.notebook_setup`
    gave it), the answer is loaded if the report or an earlier page already computed it with the same
    arguments (defaults filled in; ``progress`` aside), and stored for the next page otherwise. The
    answer is the one the call would return: the same values, index and ``attrs``.

    Parameters
    ----------
    func : callable
        A module-level function taking the network or the data first (``nl.centrality``,
        ``nl.communities``, ``nl.influencers``, ``nl.customer_network`` ...).
    first
        Its first argument.
    *args, **kwargs
        Its other arguments.

    Raises
    ------
    ParameterError
        In a report run, ``func`` is not a module-level function (the key names it by module and name).

    Examples
    --------
    >>> import netlib as nl
    >>> from netlib.report import notebook_setup, shared
    >>> data, G = notebook_setup()
    >>> part = shared(nl.communities, G, seed=1)   # no report is running: the call itself
    >>> part.equals(nl.communities(G, seed=1))
    True
    """
    cache = active()
    if cache is None:
        return func(first, *args, **kwargs)
    return cache.call(func, first, *args, **kwargs)
