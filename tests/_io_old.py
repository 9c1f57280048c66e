"""read_data as it was before its columnar validation (issue 17), for tests and benches that compare.

Inside :func:`old_reader`, :func:`netlib.read_data` validates rows with the pandera schemas, parses every
csv file with pyarrow's ``newlines_in_values`` on, and strips every text column.
"""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import netlib._csvread
import netlib._tables
import netlib.io
from netlib._schemas import failures_pandera


@contextmanager
def old_reader():
    with mock.patch.object(netlib.io, "failures", failures_pandera), \
            mock.patch.object(netlib._csvread, "_may_quote", lambda path, encoding: True), \
            mock.patch.object(netlib._tables, "_may_need_strip", lambda col: True):
        yield


def same_data(a, b) -> None:
    """Assert two CustomerData are equal: tables, dtypes, report."""
    import pandas as pd

    for table in ("customers", "interactions", "events"):
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table))
    pd.testing.assert_frame_equal(a.report.tables, b.report.tables)
    pd.testing.assert_frame_equal(a.report.rejected, b.report.rejected)
    assert a.report.decisions == b.report.decisions
    assert a.report.notes == b.report.notes
