"""Named exceptions raised by netlib.

Every error says what was expected and what was found, and names the file, column and row
where it can, so a user can fix the input without reading netlib's source.
"""

from __future__ import annotations

__all__ = [
    "NetlibError",
    "DataError",
    "SchemaError",
    "RowError",
    "DatasetNotFoundError",
    "ChecksumError",
    "ParameterError",
    "DatasetMissing",
]


class NetlibError(Exception):
    """Base class of every error netlib raises on purpose."""


class DataError(NetlibError, ValueError):
    """Input data cannot be used as given (unreadable file, unknown format, empty folder, ...)."""


class SchemaError(DataError):
    """A table lacks a required column or a column cannot hold the expected type.

    Attributes
    ----------
    table : str
        Which table ("customers", "interactions" or "events").
    column : str or None
        The offending column, when there is one.
    source : str or None
        The file the table came from, or "<DataFrame>".
    """

    def __init__(self, message: str, *, table: str | None = None, column: str | None = None,
                 source: str | None = None):
        super().__init__(message)
        self.table = table
        self.column = column
        self.source = source


class RowError(DataError):
    """Rows were rejected while loading with ``errors="raise"``.

    The message names the file, the column, the row number (1-based data rows, header excluded)
    and what was expected. ``.rejected`` holds every rejected row as a DataFrame.
    """

    def __init__(self, message: str, rejected=None):
        super().__init__(message)
        self.rejected = rejected


class DatasetNotFoundError(NetlibError, FileNotFoundError):
    """A public dataset is not on this machine; the message says where to get it."""


class ChecksumError(NetlibError):
    """A downloaded or cached file does not have the sha256 it should have."""


class ParameterError(NetlibError, ValueError):
    """A function argument is outside its declared range or of the wrong kind."""


__all__ += ["UnmappedEventTypesWarning"]


class UnmappedEventTypesWarning(UserWarning):
    """Some event types are not in the taxonomy; their events are counted in the report, not profiled.

    Raised by :func:`netlib.pattern_profiles` (``on_unmapped="warn"``, and ``"suggest"`` naming the
    suggestions it applied). Kept importable as ``netlib.patterns.UnmappedEventTypesWarning``.
    """


class DatasetMissing(DatasetNotFoundError):
    """A dataset folder that an analysis or notebook needs is not in the data home.

    Raised by ``netlib.datasets.data_home(path, needs=[...])``; the message names the folder looked
    in, what is missing and where to get it. Jupyter shows only that message (no traceback). It was
    ``netlib.casestudies.DataMissing`` (still importable as ``netlib_cases.DataMissing``).
    """

    def _render_traceback_(self) -> list[str]:  # IPython hook: print the message, not a traceback
        return [f"Data not found. {self}"]
