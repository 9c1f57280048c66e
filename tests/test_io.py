"""netlib.io: validated loading, row accounting, error messages, writing."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netlib.errors import DataError, NetlibError, RowError, SchemaError
from netlib.io import CustomerData, atomic_write, read_data, write_data


def _conserved(data: CustomerData) -> None:
    t = data.report.tables
    assert (t["rows_in"] == t["rows_kept"] + t["rows_rejected"]).all(), t
    for table in ("interactions", "events"):
        assert len(getattr(data, table)) == t.loc[table, "rows_kept"]


def _write(folder: Path, name: str, text: str, gz: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name + (".csv.gz" if gz else ".csv"))
    if gz:
        with gzip.open(path, "wt") as fh:
            fh.write(text)
    else:
        path.write_text(text)
    return path


CUSTOMERS = "customer_id,region,age\n007,north,31\n008,south,45\n9,east,\n"
INTERACTIONS = (
    "source,target,timestamp,channel,item_id,weight\n"
    "007,008,1700000000,email,0042,1\n"
    "008,9,2023-11-14T22:13:21Z,app,0042,2.5\n"
    "9,007,2023-11-14 22:13:22+01:00,app,,\n"
)
EVENTS = "customer_id,timestamp,event_type\n007,1700000000,login\n9,1700000100,share\n"


@pytest.fixture
def export(tmp_path) -> Path:
    folder = tmp_path / "export"
    _write(folder, "customers", CUSTOMERS)
    _write(folder, "interactions", INTERACTIONS, gz=True)
    _write(folder, "events", EVENTS)
    return folder


def test_folder_of_csv_and_csv_gz_reads_with_types(export):
    data = read_data(export)
    assert data.customers["customer_id"].tolist() == ["007", "008", "9"]
    inter = data.interactions
    assert inter["source"].tolist() == ["007", "008", "9"]
    assert inter["item_id"].tolist()[:2] == ["0042", "0042"] and pd.isna(inter["item_id"].iloc[2])
    assert str(inter["timestamp"].dtype) == "datetime64[ns, UTC]"
    # epoch seconds, ISO with Z, ISO with an offset: all to UTC
    assert inter["timestamp"].tolist() == [
        pd.Timestamp("2023-11-14 22:13:20", tz="UTC"),
        pd.Timestamp("2023-11-14 22:13:21", tz="UTC"),
        pd.Timestamp("2023-11-14 21:13:22", tz="UTC"),
    ]
    assert inter["weight"].tolist() == [1.0, 2.5, 1.0]  # an empty weight counts as 1
    assert data.report.ok and data.report.rows_in == 3 + 3 + 2
    _conserved(data)
    assert "3 customers, 3 interactions, 2 events" in repr(data)


def test_parquet_and_dataframes_give_the_same_data(export, tmp_path):
    csv = read_data(export)
    pq = tmp_path / "pq"
    write_data(csv, pq, format="parquet")
    again = read_data(pq)
    for table in ("customers", "interactions", "events"):
        pd.testing.assert_frame_equal(getattr(csv, table), getattr(again, table), check_dtype=False)
    frames = read_data({"customers": csv.customers, "interactions": csv.interactions, "events": csv.events})
    pd.testing.assert_frame_equal(frames.interactions, csv.interactions)


def test_csv_round_trip_keeps_everything(export, tmp_path):
    data = read_data(export)
    write_data(data, tmp_path / "out", format="csv")
    again = read_data(tmp_path / "out")
    pd.testing.assert_frame_equal(again.interactions, data.interactions)
    pd.testing.assert_frame_equal(again.events, data.events)


def test_rejected_rows_are_listed_with_row_column_and_reason(tmp_path):
    folder = tmp_path / "bad"
    _write(folder, "customers", "customer_id\na\nb\nb\n\n c \n")
    _write(folder, "interactions",
           "source,target,timestamp,weight\n"
           "a,b,1700000000,1\n"      # row 1 kept
           ",b,1700000000,1\n"       # row 2 missing source
           "a,b,yesterday,1\n"       # row 3 bad timestamp
           "a,b,1700000000,-2\n"     # row 4 negative weight
           "a,zed,1700000000,1\n"    # row 5 unknown target
           "a,b,1700000000,heavy\n"  # row 6 non-numeric weight
           "a,c,,1\n")               # row 7 missing timestamp
    data = read_data(folder)
    rej = data.report.rejected.set_index(["table", "row"])
    assert rej.loc[("interactions", 2), "reason"] == "source is missing"
    assert rej.loc[("interactions", 3), "column"] == "timestamp"
    assert rej.loc[("interactions", 3), "reason"] == "expected a date and time (ISO 8601, day/month/year, or an epoch number), found 'yesterday'"
    assert rej.loc[("interactions", 4), "reason"] == "expected a weight >= 0"
    assert rej.loc[("interactions", 5), "reason"] == "target is not in the customers table"
    assert rej.loc[("interactions", 5), "value"] == "zed"
    assert rej.loc[("interactions", 6), "reason"] == "expected a number, found 'heavy'"
    assert rej.loc[("interactions", 7), "reason"] == "timestamp is missing"
    assert rej.loc[("customers", 3), "reason"].startswith("customer_id listed more than once")
    assert rej.loc[("customers", 4), "reason"] == "customer_id is missing"  # the empty line is a row too
    assert data.customers["customer_id"].tolist() == ["a", "b", "c"]  # " c " stripped
    assert all(src.endswith("interactions.csv") for src in data.report.rejected.query("table == 'interactions'")["source"])
    assert len(data.interactions) == 1
    _conserved(data)
    assert "rejected rows by reason" in data.report.to_text()


def test_errors_raise_names_file_row_column(tmp_path):
    folder = tmp_path / "bad"
    _write(folder, "interactions", "source,target,timestamp\na,b,1\na,b,not-a-time\n")
    with pytest.raises(RowError, match=r"interactions\.csv\): row 2, column 'timestamp': expected a date and time") as exc:
        read_data(folder, errors="raise")
    assert len(exc.value.rejected) == 1


def test_missing_column_names_table_file_and_found_columns(tmp_path):
    folder = tmp_path / "x"
    _write(folder, "interactions", "src,dst,ts\na,b,1\n")
    with pytest.raises(SchemaError, match=r"interactions \(.*interactions\.csv\): columns 'source', 'target', "
                                          r"'timestamp' missing; found: \['src', 'dst', 'ts'\]") as exc:
        read_data(folder)
    assert exc.value.table == "interactions" and exc.value.column == "source"
    # a rename mapping fixes it
    data = read_data(folder, columns={"interactions": {"src": "source", "dst": "target", "ts": "timestamp"}})
    assert len(data.interactions) == 1


@pytest.mark.parametrize("setup, message", [
    (lambda p: None, r"no such folder"),
    (lambda p: p.mkdir(), r"found no customers, interactions or events file"),
    (lambda p: (p.mkdir(), (p / "events.csv").write_text("a\n"), (p / "events.parquet").write_bytes(b"x")),
     r"more than one file for table 'events'"),
    (lambda p: (p.mkdir(), (p / "events.parquet").write_bytes(b"not parquet")), r"events\.parquet: cannot read"),
])
def test_bad_folders_raise_data_error(tmp_path, setup, message):
    folder = tmp_path / "in"
    setup(folder)
    with pytest.raises(DataError, match=message):
        read_data(folder)


def test_bad_arguments():
    with pytest.raises(DataError, match="unknown table names"):
        read_data({"shares": pd.DataFrame()})
    with pytest.raises(DataError, match="errors must be"):
        read_data({"events": pd.DataFrame()}, errors="ignore")
    with pytest.raises(DataError, match="expects a folder path or a mapping"):
        read_data(42)


def test_customers_derived_when_absent_and_noted():
    inter = pd.DataFrame({"source": [1, 2], "target": [2, 3], "timestamp": [0, 1]})
    data = read_data({"interactions": inter})
    assert data.customers["customer_id"].tolist() == ["1", "2", "3"]
    assert "derived" in data.report.notes[0]
    _conserved(data)


def test_epoch_units_and_float_ids():
    inter = pd.DataFrame({"source": [1.0, 2.0], "target": [2.0, 3.0], "timestamp": [1_700_000_000_000, 0]})
    data = read_data({"interactions": inter}, time_unit="ms")
    assert data.interactions["source"].tolist() == ["1", "2"]  # no "1.0"
    assert data.interactions["timestamp"].iloc[0] == pd.Timestamp("2023-11-14 22:13:20", tz="UTC")


def test_atomic_write_leaves_old_file_on_failure(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as fh:
            fh.write("half")
            raise RuntimeError("disk on fire")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_write_gives_the_permissions_of_a_plain_open(tmp_path):
    umask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "page.html") as fh:
            fh.write("x")
        (tmp_path / "plain.html").write_text("x")
    finally:
        os.umask(umask)
    assert (tmp_path / "page.html").stat().st_mode & 0o777 == (tmp_path / "plain.html").stat().st_mode & 0o777 == 0o644


# --- property: random malformed tables raise only netlib errors and conserve rows ---------------------

cell = st.one_of(st.none(), st.integers(-5, 5), st.floats(allow_nan=True, allow_infinity=True),
                 st.sampled_from(["", " ", "a", "007", "2024-01-01", "2024-13-45", "1e9", "-1", "nan", "x<y"]),
                 st.text(max_size=4))
column_names = st.sampled_from(["source", "target", "timestamp", "weight", "channel", "item_id",
                                "customer_id", "event_type", "extra"])


@st.composite
def tables(draw):
    n = draw(st.integers(0, 8))
    cols = draw(st.lists(column_names, min_size=0, max_size=6, unique=True))
    return pd.DataFrame({c: draw(st.lists(cell, min_size=n, max_size=n)) for c in cols}, dtype=object)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(customers=st.one_of(st.none(), tables()), interactions=st.one_of(st.none(), tables()),
       events=st.one_of(st.none(), tables()))
def test_malformed_tables_raise_only_netlib_errors_and_conserve_rows(customers, interactions, events):
    given_tables = {k: v for k, v in {"customers": customers, "interactions": interactions, "events": events}.items()
                    if v is not None}
    try:
        data = read_data(given_tables)
    except NetlibError:
        return
    _conserved(data)
    for table, frame in given_tables.items():
        assert data.report.tables.loc[table, "rows_in"] == len(frame)
    assert data.interactions["weight"].ge(0).all() if len(data.interactions) else True
    assert data.interactions["timestamp"].notna().all()
    for col in ("source", "target"):
        assert data.interactions[col].str.len().gt(0).all() if len(data.interactions) else True
