"""Property: awkward export files (csv, csv.gz, tsv, parquet) raise only netlib's named errors and lose no row.

Each example writes one to three tables into a fresh folder, under file names in any case or an alias, in
any of the four formats, with awkward cells (NA-like text, dates in several orders, epoch numbers of several
units, non-finite weights, delimiters and quotes and line breaks inside fields, non-ASCII text), cp1252 or
UTF-8 text, and, in csv files, ragged rows and blank or whitespace-only lines. Reading the folder must either
raise a :class:`~netlib.errors.NetlibError` or account for every record written: rows in = records written =
rows kept + rows rejected, with clean kept rows.
"""

from __future__ import annotations

import csv
import gzip
import io
import tempfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netlib.errors import NetlibError
from netlib.io import ALIASES, read_data

COLUMNS = {
    "customers": ["customer_id", "region", "age"],
    "interactions": ["source", "target", "timestamp", "weight", "channel", "item_id"],
    "events": ["customer_id", "timestamp", "event_type", "item_id"],
}
AWKWARD = ["", " ", "NA", "null", "N/A", "#N/A", "nan", "NaN", "inf", "-inf", "1", "1.0", "007", "007.0", "2",
           "2024-01-05", "2024-01-05T10:00:00+01:00", "02/03/2024", "13/03/2024", "03/13/2024", "9999-12-31",
           "0001-01-01", "Jan 5th", "5 March 2024", "45292.5", "1700000000", "1700000000000", "17000000000",
           "1e308", "-1", "2,5", "a,b", "a;b", 'q"uote', "x\ny", "Zoë", "€", "a\tb", "a|b"]
TEXT = st.text(alphabet=st.sampled_from(list("ab01 .,;|\"\n-:/éZ€")), max_size=6)
CELL = st.one_of(st.sampled_from(AWKWARD), TEXT)
FORMATS = ("csv", "csv.gz", "tsv", "parquet")


@st.composite
def table_file(draw, table: str):
    required = [c for c in COLUMNS[table] if c in ("customer_id", "source", "target", "timestamp", "event_type")]
    optional = draw(st.lists(st.sampled_from(COLUMNS[table]), max_size=3, unique=True))
    cols = list(dict.fromkeys(required + optional))
    if draw(st.integers(0, 4)) == 0:  # sometimes a required column is missing
        cols = cols[: draw(st.integers(0, len(cols)))] or ["other"]
    n = draw(st.integers(0, 8))
    rows = [[draw(CELL) for _ in cols] for _ in range(n)]
    fmt = draw(st.sampled_from(FORMATS))
    name = draw(st.sampled_from(ALIASES[table]))
    name = draw(st.sampled_from([name, name.upper(), name.capitalize()]))
    # csv only: blank and whitespace-only lines, ragged rows, an 8-bit encoding, another delimiter
    extra = draw(st.lists(st.tuples(st.integers(0, n), st.sampled_from(["blank", "spaces", "short", "long"])),
                          max_size=3)) if fmt != "parquet" else []
    encoding = draw(st.sampled_from(["utf-8", "cp1252", "utf-8-sig"]))
    delimiter = "\t" if fmt == "tsv" else draw(st.sampled_from([",", ";", "|"]))
    return table, cols, rows, fmt, name, extra, encoding, delimiter


def _write(folder: Path, spec) -> int:
    """Write one table file; return the number of data records in it."""
    table, cols, rows, fmt, name, extra, encoding, delimiter = spec
    path = folder / f"{name}.{fmt}"
    if fmt == "parquet":
        pd.DataFrame(rows, columns=cols, dtype=object).to_parquet(path)
        return len(rows)
    records = [list(r) for r in rows]
    for at, kind in sorted(extra, reverse=True):
        records.insert(at, {"blank": [], "spaces": ["   "], "short": ["x"], "long": ["x"] * (len(cols) + 2)}[kind])
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(cols)
    for record in records:
        if record == []:
            buffer.write("\n")
        elif record == ["   "]:
            buffer.write("   \n")
        else:
            writer.writerow(record)
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buffer.getvalue().encode("utf-8")
    if fmt == "csv.gz":
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return len(records)


@contextmanager
def written_folder(specs):
    """A temporary folder holding the files of ``specs``, and the records written per table."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        yield folder, {spec[0]: _write(folder, spec) for spec in specs}


#: One to three tables, each a table_file.
FOLDERS = st.lists(st.sampled_from(list(COLUMNS)), min_size=1, max_size=3, unique=True).flatmap(
    lambda tables: st.tuples(*[table_file(t) for t in tables]))
SLOW = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.slow
@SLOW
@given(FOLDERS)
def test_export_files_raise_only_netlib_errors_and_conserve_rows(specs):
    with written_folder(specs) as (folder, written):
        try:
            data = read_data(folder)
        except NetlibError:
            return
    t = data.report.tables
    assert (t["rows_in"] == t["rows_kept"] + t["rows_rejected"]).all(), t
    for table, records in written.items():
        assert t.loc[table, "rows_in"] == records, (table, t, data.report.rejected)
        if table != "customers" or "customers" in written:
            assert len(getattr(data, table)) == t.loc[table, "rows_kept"]
    rejected = data.report.rejected
    assert rejected["row"].between(1, max(written.values())).all()
    assert not rejected.duplicated(["table", "row"]).any()
    inter = data.interactions
    if len(inter):
        assert np.isfinite(inter["weight"]).all() and (inter["weight"] >= 0).all()
        assert inter["timestamp"].notna().all()
        assert inter["source"].str.len().gt(0).all() and inter["target"].str.len().gt(0).all()
    for table in ("customers", "interactions", "events"):
        frame = getattr(data, table)
        for col in frame.columns:
            assert not any(isinstance(v, bytes) for v in frame[col]), (table, col)
    files_read = [f for f in data.report.decisions if ": encoding " in f]
    assert len(files_read) == sum(spec[3] != "parquet" for spec in specs)
