"""Writing a report folder safely: checked before any work, locked, built in a staging folder beside it
and swapped in whole, cleaned up on failure and on SIGTERM.

The target folder is replaced only when it is empty or was written by netlib (it holds the marker file
:data:`MARKER`), so a report never deletes a user's own files.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path

from netlib.errors import ParameterError

__all__ = ["MARKER", "staged_folder"]

#: Marks a folder written by netlib (safe to replace by a later report).
MARKER = ".netlib-report"


def _error(message: str):
    from netlib.report.notebooks import ReportError

    return ReportError(message)


def check_target(out: Path) -> None:
    """Raise a named error now, before any notebook runs, if ``out`` cannot receive a report."""
    if out.exists() and not out.is_dir():
        raise ParameterError(f"--out {out} exists and is not a folder")
    parent = out.parent if out.parent != Path("") else Path(".")
    probe = parent
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise _error(f"cannot write the report to {out}: {probe} is not writable")
    if out.exists():
        if not os.access(out, os.W_OK | os.X_OK):
            raise _error(f"cannot write the report to {out}: the folder is not writable")
        own = [p.name for p in out.iterdir() if p.name != MARKER]
        if own and not (out / MARKER).exists():
            raise _error(f"{out} holds files that netlib did not write ({', '.join(sorted(own)[:5])}"
                         f"{', ...' if len(own) > 5 else ''}); choose an empty or new folder for the report")


@contextlib.contextmanager
def _lock(out: Path):
    import fcntl

    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.parent / f".{out.name}.netlib-lock"
    fh = open(path, "a+")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _error(f"another netlib run is writing to {out}; wait for it to finish or choose another "
                         "folder") from None
        yield
    finally:
        fh.close()


@contextlib.contextmanager
def _sigterm_raises():
    """Turn SIGTERM into SystemExit while a report is written, so cleanup runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def staged_folder(out):
    """Yield an empty staging folder beside ``out``; on success it replaces ``out`` whole.

    Raises
    ------
    ReportError
        ``out`` is not writable, holds files netlib did not write, is being written by another run, or
        the disk is full.
    """
    out = Path(out)
    check_target(out)
    with _lock(out), _sigterm_raises():
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
        try:
            (stage / MARKER).write_text("written by netlib; a later report may replace this folder\n")
            yield stage
            os.chmod(stage, 0o755)
            old = None
            if out.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
                os.replace(out, old / out.name)
            os.replace(stage, out)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise _error(f"the disk is full: the report for {out} could not be written; earlier "
                             "pages are unchanged") from None
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise _error(f"cannot write the report to {out}: {exc.strerror}") from None
            raise
        finally:
            if stage.exists():
                shutil.rmtree(stage, ignore_errors=True)
