"""read_data's columnar validation against the pandera path it replaced (issue 17): the same tables, the same
rejected rows with the same reasons, the same decisions, or the same error; and the two shortcuts it takes
(no strip when no value can need one; newlines_in_values off when a file holds no quote) taken only when safe.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow
import pytest
from _io_old import old_reader, same_data
from hypothesis import given
from test_io_fuzz import FOLDERS, SLOW, written_folder

import netlib as nl
from netlib._csvread import _may_quote
from netlib._schemas import failures, failures_pandera
from netlib._tables import _may_need_strip
from netlib.errors import NetlibError, SchemaError


def _both(data, **options):
    """(new, old) results of read_data: a CustomerData or the (type, message) of the error raised."""
    out = []
    for old in (False, True):
        try:
            if old:
                with old_reader():
                    out.append(nl.read_data(data, **options))
            else:
                out.append(nl.read_data(data, **options))
        except NetlibError as exc:
            out.append((type(exc), str(exc)))
    return out


def _assert_same(new, old):
    if isinstance(old, tuple) or isinstance(new, tuple):
        assert new == old
    else:
        same_data(new, old)


def test_rows_failing_several_columns_report_the_first_column_as_pandera_did():
    n = 300  # more failures than numpy's small-sort cut-off, in every column
    rng = np.random.default_rng(0)
    source = rng.choice(["a", "b", None, "", "  "], size=n).tolist()
    target = rng.choice(["a", "c", None, ""], size=n).tolist()
    stamp = rng.choice(["2024-01-05", "", "Jan 5th", "13/03/2024", None, "9999-12-31"], size=n).tolist()
    weight = rng.choice(["1", "", "-1", "inf", "nan", "x", "2,5", "-0.5", None], size=n).tolist()
    inter = pd.DataFrame({"source": source, "target": target, "timestamp": stamp, "weight": weight})
    events = pd.DataFrame({"customer_id": rng.choice(["a", "z", None, " "], size=n).tolist(),
                           "timestamp": rng.choice(["2024-01-05", "", "bad"], size=n).tolist(),
                           "event_type": rng.choice(["buy", "", None, " "], size=n).tolist()})
    customers = pd.DataFrame({"customer_id": ["a", "b", "a", "", None, " c "]})
    new, old = _both({"interactions": inter, "events": events, "customers": customers})
    _assert_same(new, old)
    reasons = set(map(tuple, new.report.reasons()[["column", "reason"]].values.tolist()))
    assert {("source", "source is missing"), ("source", "expected a non-empty id"), ("target", "target is missing"),
            ("weight", "expected a weight >= 0"), ("weight", "expected a finite number, found 'inf'"),
            ("event_type", "expected a non-empty value"), ("timestamp", "expected a value, found ''"),
            ("customer_id", "customer_id is not in the customers table")} <= reasons
    assert new.report.rows_in == new.report.rows_kept + new.report.rows_rejected


def test_failures_name_the_first_failing_column_of_each_row():
    df = pd.DataFrame({"source": pd.Series(["", None, "a", "a"], dtype="str"),
                       "target": pd.Series([None, "b", "", "b"], dtype="str"),
                       "timestamp": pd.Series(pd.to_datetime(["2024-01-01", None, None, None], utc=True),
                                            dtype="datetime64[ns, UTC]"),
                       "weight": [1.0, -2.0, np.nan, np.inf]})
    got = failures(df, {}, {}, "interactions")
    assert got.astype(object).where(got.notna(), None).values.tolist() == [
        [1, "source", None, "source is missing"],
        [0, "source", "", "expected a non-empty id"],
        [2, "target", "", "expected a non-empty id"],
        [3, "timestamp", None, "timestamp is missing"],
    ]
    pd.testing.assert_frame_equal(got.sort_values("index", ignore_index=True),
                                  failures_pandera(df, {}, {}, "interactions").sort_values("index", ignore_index=True))


def test_a_column_of_another_dtype_goes_to_pandera_and_raises_its_error():
    df = pd.DataFrame({"customer_id": pd.Series(["a", "b"], dtype="str"), "timestamp": [1, 2],
                       "event_type": pd.Series(["x", "y"], dtype="str")})
    with pytest.raises(SchemaError) as new:
        failures(df, {}, {}, "events")
    with pytest.raises(SchemaError) as old:
        failures_pandera(df, {}, {}, "events")
    assert str(new.value) == str(old.value) and "'timestamp'" in str(new.value)


@pytest.mark.parametrize("values, needs", [
    (["a", "b c", "Zoe"], False),
    (["a", " b"], True),
    (["a", "b\t"], True),
    (["a", "b\u00a0"], True),  # a no-break space: a multi-byte whitespace
    (["Zoë"], True),  # non-ASCII last byte: looked at by the real strip, which leaves it
    (["", None, "x"], False),
])
def test_strip_is_skipped_only_when_it_would_change_nothing(values, needs):
    col = pd.Series(values, dtype="str")
    assert _may_need_strip(col) is needs
    if not needs:
        pd.testing.assert_series_equal(col.str.strip(), col)


def test_strip_check_reads_sliced_chunks_at_their_offset():
    chunk = pyarrow.array(["  padded  ", "x", "y"], type=pyarrow.large_string()).slice(1)
    col = pd.Series(pd.arrays.ArrowStringArray(pyarrow.chunked_array([chunk])))
    assert list(col) == ["x", "y"] and not _may_need_strip(col)
    whole = pd.Series(pd.arrays.ArrowStringArray(pyarrow.chunked_array([chunk, pyarrow.array([" z"],
                                                                        type=pyarrow.large_string())])))
    assert _may_need_strip(whole)


def test_a_line_break_inside_quotes_is_still_one_value(tmp_path):
    path = tmp_path / "interactions.csv"
    path.write_text('source,target,timestamp,channel\na,b,2024-01-01,"two\nlines"\nb,c,2024-01-02,app\n',
                    encoding="utf-8")
    assert _may_quote(path, "utf-8")
    data = nl.read_data(tmp_path)
    assert data.interactions["channel"].tolist() == ["two\nlines", "app"]
    plain = tmp_path / "plain.csv"
    plain.write_text("source,target\na,b\n", encoding="utf-8")
    assert not _may_quote(plain, "utf-8")
    assert _may_quote(plain, "utf-16")  # a quote is not the byte 0x22 there: never skipped
    (tmp_path / "empty.csv").write_bytes(b"")
    assert _may_quote(tmp_path / "empty.csv", "utf-8")


def test_the_shipped_sample_reads_the_same_both_ways():
    sample = Path(__file__).resolve().parents[1] / "data" / "sample"
    new, old = _both(sample)
    _assert_same(new, old)


@pytest.mark.slow
@SLOW
@given(FOLDERS)
def test_awkward_export_files_read_the_same_both_ways(specs):
    with written_folder(specs) as (folder, _):
        new, old = _both(folder)
    _assert_same(new, old)
