"""Exports as they come out of Excel and CRMs (issue 16): every item reproduced, with its decision reported."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netlib.errors import DataError, SchemaError
from netlib.io import read_data, read_table

INTER = "source,target,timestamp\n"


def _folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "export"
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        path = folder / name
        if name.endswith(".gz"):
            with gzip.open(path, "wb") as fh:
                fh.write(body.encode() if isinstance(body, str) else body)
        elif isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
    return folder


def _conserved(data) -> None:
    t = data.report.tables
    assert (t["rows_in"] == t["rows_kept"] + t["rows_rejected"]).all(), t


def _decided(data, *words: str) -> str:
    hits = [d for d in data.report.decisions if all(w in d for w in words)]
    assert hits, (words, data.report.decisions)
    return hits[0]


# --- dates: day/month order decided once per column --------------------------------------------------


def test_day_month_order_is_decided_once_for_the_column(tmp_path):
    folder = _folder(tmp_path, {"interactions.csv": INTER + "a,b,02/03/2024\na,b,13/03/2024\n"})
    data = read_data(folder)
    assert data.interactions["timestamp"].tolist() == [pd.Timestamp("2024-03-02", tz="UTC"),
                                                       pd.Timestamp("2024-03-13", tz="UTC")]
    assert "decided from '13/03/2024'" in _decided(data, "interactions.timestamp", "day/month/year")
    assert "day/month/year" in data.report.to_text()


def test_month_first_column_and_two_digit_years_with_times():
    inter = pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"],
                          "timestamp": ["02/03/24 10:30", "12/31/24 10:00 PM"]})
    data = read_data({"interactions": inter})
    assert data.interactions["timestamp"].tolist() == [pd.Timestamp("2024-02-03 10:30", tz="UTC"),
                                                       pd.Timestamp("2024-12-31 22:00", tz="UTC")]
    _decided(data, "month/day/year", "'12/31/24 10:00 PM'")


def test_ambiguous_column_is_refused_with_the_options_that_settle_it(tmp_path):
    folder = _folder(tmp_path, {"interactions.csv": INTER + "a,b,02/03/2024\na,b,04/05/2024\n"})
    with pytest.raises(SchemaError, match=r"interactions\.timestamp \(.*interactions\.csv\): dates such as "
                                          r"'02/03/2024' could be day/month/year or month/day/year.*"
                                          r"dayfirst=True.*dayfirst=False.*date_format=") as exc:
        read_data(folder)
    assert exc.value.column == "timestamp" and exc.value.table == "interactions"
    march = read_data(folder, dayfirst=True).interactions["timestamp"].iloc[0]
    february = read_data(folder, dayfirst=False).interactions["timestamp"].iloc[0]
    assert (march, february) == (pd.Timestamp("2024-03-02", tz="UTC"), pd.Timestamp("2024-02-03", tz="UTC"))
    fmt = read_data(folder, date_format="%m/%d/%Y")
    assert fmt.interactions["timestamp"].iloc[1] == pd.Timestamp("2024-04-05", tz="UTC")
    _decided(fmt, "date_format='%m/%d/%Y'")


def test_column_with_both_orders_is_refused():
    inter = pd.DataFrame({"source": ["a"] * 2, "target": ["b"] * 2, "timestamp": ["13/03/2024", "03/13/2024"]})
    with pytest.raises(SchemaError, match=r"both day first \('13/03/2024'\) and month first \('03/13/2024'\)"):
        read_data({"interactions": inter})


def test_dates_against_the_given_order_are_rejected_per_row():
    inter = pd.DataFrame({"source": ["a"] * 2, "target": ["b"] * 2, "timestamp": ["05/03/2024", "03/13/2024"]})
    data = read_data({"interactions": inter}, dayfirst=True)
    assert data.report.rejected["reason"].tolist() == ["'03/13/2024' is not a date when read day/month/year"]
    assert data.interactions["timestamp"].tolist() == [pd.Timestamp("2024-03-05", tz="UTC")]


@pytest.mark.parametrize("text, reason", [
    ("9999-12-31", "'9999-12-31' is outside the range netlib can hold (1677-09-21 to 2262-04-11)"),
    ("0001-01-01", "'0001-01-01' is outside the range netlib can hold (1677-09-21 to 2262-04-11)"),
    ("Jan 5th", "expected a date and time (ISO 8601, day/month/year, or an epoch number), found 'Jan 5th' "
                "(a full date needs a year, a month and a day)"),
    ("yesterday", "expected a date and time (ISO 8601, day/month/year, or an epoch number), found 'yesterday'"),
])
def test_unreadable_and_out_of_range_dates_are_rejected_with_a_reason(tmp_path, text, reason):
    folder = _folder(tmp_path, {"interactions.csv": INTER + f"a,b,2024-01-05\na,b,{text}\n"})
    data = read_data(folder)
    rej = data.report.rejected
    assert rej[["row", "column", "value", "reason"]].values.tolist() == [[2, "timestamp", text, reason]]
    assert len(data.interactions) == 1
    _conserved(data)


def test_dates_with_month_names_and_offsets():
    inter = pd.DataFrame({"source": ["a"] * 3, "target": ["b"] * 3,
                          "timestamp": ["5 March 2024", "Tue, 05 Mar 2024 10:00:00 +0100", "2024-03-05 10:00 +01:00"]})
    data = read_data({"interactions": inter})
    assert data.interactions["timestamp"].tolist() == [pd.Timestamp("2024-03-05", tz="UTC"),
                                                       pd.Timestamp("2024-03-05 09:00", tz="UTC"),
                                                       pd.Timestamp("2024-03-05 09:00", tz="UTC")]


# --- numbers: Excel serial days and epoch units told apart by magnitude -------------------------------


@pytest.mark.parametrize("values, unit, name", [
    ([45292.5, 45293.25], None, "Excel serial days"),
    ([1_700_000_000, 1_700_000_060], None, "epoch seconds"),
    ([1_700_000_000_000, 1_700_000_060_000], None, "epoch milliseconds"),
    ([1_700_000_000_000_000, 1_700_000_060_000_000], None, "epoch microseconds"),
    ([1_700_000_000_000_000_000, 1_700_000_060_000_000_000], None, "epoch nanoseconds"),
])
def test_epoch_units_are_told_apart_by_magnitude(tmp_path, values, unit, name):
    body = INTER + "".join(f"a,b,{v}\n" for v in values)
    data = read_data(_folder(tmp_path, {"interactions.csv": body}))
    ts = data.interactions["timestamp"]
    if name == "Excel serial days":
        assert ts.tolist() == [pd.Timestamp("2024-01-01 12:00", tz="UTC"), pd.Timestamp("2024-01-02 06:00", tz="UTC")]
    else:
        assert ts.tolist() == [pd.Timestamp("2023-11-14 22:13:20", tz="UTC"),
                               pd.Timestamp("2023-11-14 22:14:20", tz="UTC")]
    _decided(data, "interactions.timestamp", f"numbers read as {name}")


def test_time_unit_overrides_detection_and_excel_is_a_unit():
    inter = pd.DataFrame({"source": ["a"], "target": ["b"], "timestamp": [45292]})
    assert read_data({"interactions": inter}).interactions["timestamp"].iloc[0] == pd.Timestamp("2024-01-01", tz="UTC")
    as_s = read_data({"interactions": inter}, time_unit="s")
    assert as_s.interactions["timestamp"].iloc[0] == pd.Timestamp("1970-01-01 12:34:52", tz="UTC")
    _decided(as_s, "epoch seconds (time_unit='s')")
    ms = pd.DataFrame({"source": ["a"], "target": ["b"], "timestamp": [1_700_000_000_000]})
    assert read_data({"interactions": ms}, time_unit="excel").report.rows_rejected == 1


def test_numbers_between_units_are_refused_with_the_choices(tmp_path):
    folder = _folder(tmp_path, {"interactions.csv": INTER + "a,b,17000000000\n"})
    with pytest.raises(SchemaError, match=r"interactions\.timestamp \(.*\): numbers around 1\.7e\+10 could be more "
                                          r"than one epoch unit \(epoch seconds, epoch milliseconds\); pass "
                                          r"time_unit='s' or time_unit='ms'"):
        read_data(folder)
    assert read_data(folder, time_unit="ms").interactions["timestamp"].iloc[0] == pd.Timestamp(
        "1970-07-16 18:13:20", tz="UTC")


def test_epoch_numbers_out_of_range_are_rejected_not_raised():
    inter = pd.DataFrame({"source": ["a"] * 3, "target": ["b"] * 3,
                          "timestamp": [1_700_000_000_000, 1_700_000_000_000, 9_000_000_000_000_000]})
    data = read_data({"interactions": inter})
    assert data.report.rejected["reason"].iloc[0] == (
        "9000000000000000 epoch milliseconds is outside the range netlib can hold (1677-09-21 to 2262-04-11)")
    assert len(data.interactions) == 2


# --- text stays text ------------------------------------------------------------------------------------


def test_na_like_text_is_text_unless_named(tmp_path):
    folder = _folder(tmp_path, {
        "customers.csv": "customer_id,region\nNA,NA\nnull,N/A\n#N/A,nan\nx,\n",
        "interactions.csv": INTER + "NA,null,1700000000\n#N/A,x,1700000000\n",
    })
    data = read_data(folder)
    assert data.customers["customer_id"].tolist() == ["NA", "null", "#N/A", "x"]
    assert data.customers["region"].tolist()[:3] == ["NA", "N/A", "nan"] and pd.isna(data.customers["region"].iloc[3])
    assert data.interactions["source"].tolist() == ["NA", "#N/A"] and data.report.ok
    named = read_data(folder, na_values=["NA", "N/A"])
    assert named.customers["customer_id"].tolist() == ["null", "#N/A", "x"]
    assert named.report.rejected.query("table == 'customers'")["reason"].tolist() == ["customer_id is missing"]
    # the same rule for DataFrames: only None/NaN is missing
    frame = read_data({"customers": pd.DataFrame({"customer_id": ["NA", "N/A"]})}, na_values="N/A")
    assert frame.customers["customer_id"].tolist() == ["NA"]


# --- encodings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding, said", [
    ("utf-8", "encoding utf-8"), ("utf-8-sig", "encoding utf-8-sig (detected)"),
    ("cp1252", "encoding cp1252 (detected: the file is not valid UTF-8)"), ("utf-16", "encoding utf-16 (detected)"),
])
def test_encodings_are_detected_reported_and_never_bytes(tmp_path, encoding, said):
    text = "customer_id,name\n1,Zoë Müller\n2,café “€”\n3,Łukasz\n" if encoding != "cp1252" else \
        "customer_id,name\n1,Zoë Müller\n2,café “€”\n"
    folder = _folder(tmp_path, {"customers.csv": text.encode(encoding)})
    data = read_data(folder)
    names = data.customers["name"].tolist()
    assert names[:2] == ["Zoë Müller", "café “€”"]
    assert not any(isinstance(v, bytes) for v in names)
    assert data.customers.columns.tolist() == ["customer_id", "name"]
    _decided(data, "customers.csv", said)


def test_latin1_bytes_cp1252_cannot_decode_fall_back_to_latin1(tmp_path):
    folder = _folder(tmp_path, {"customers.csv": "customer_id,name\n1,Zoë\n".encode("latin-1") + b"2,a\x81b\n"})
    data = read_data(folder)
    assert data.customers["name"].tolist() == ["Zoë", "a\x81b"]
    _decided(data, "encoding latin-1")


def test_given_encoding_is_used_and_a_wrong_one_named(tmp_path):
    folder = _folder(tmp_path, {"customers.csv": "customer_id,name\n1,Дмитрий\n".encode("cp1251")})
    assert read_data(folder, encoding="cp1251").customers["name"].tolist() == ["Дмитрий"]
    with pytest.raises(DataError, match="unknown encoding 'klingon'"):
        read_data(folder, encoding="klingon")


# --- weights --------------------------------------------------------------------------------------------


def test_non_finite_weights_are_rejected_and_empty_is_one(tmp_path):
    folder = _folder(tmp_path, {"interactions.csv": "source,target,timestamp,weight\n"
                                "a,b,1700000000,NaN\na,b,1700000000,inf\na,b,1700000000,\na,b,1700000000,2\n"
                                "a,b,1700000000,-inf\n"})
    data = read_data(folder)
    rej = data.report.rejected
    assert rej[["row", "reason"]].values.tolist() == [[1, "expected a finite number, found 'nan'"],
                                                      [2, "expected a finite number, found 'inf'"],
                                                      [5, "expected a finite number, found '-inf'"]]
    assert data.interactions["weight"].tolist() == [1.0, 2.0]
    text = pd.DataFrame({"source": ["a"] * 3, "target": ["b"] * 3, "timestamp": [0] * 3,
                         "weight": ["NaN", None, "heavy"]})
    rej = read_data({"interactions": text}).report.rejected
    assert rej["reason"].tolist() == ["expected a finite number, found 'NaN'", "expected a number, found 'heavy'"]


def test_weight_sums_that_overflow_are_refused_in_build_network():
    from netlib.network import build_network

    inter = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "b", "a"], "timestamp": [0, 1, 2],
                          "weight": [1e308, 1e308, 1.0]})
    data = read_data({"interactions": inter})
    assert data.report.ok
    with pytest.raises(DataError, match=r"the weights of the interactions a → b sum beyond the largest float "
                                        r"\(2 interactions\); rescale the weights"):
        build_network(data)


# --- ids ------------------------------------------------------------------------------------------------


def test_whole_number_ids_are_one_rule_across_csv_parquet_and_dataframes(tmp_path):
    csv = _folder(tmp_path, {"customers.csv": "customer_id\n1\n2.0\n007\n007.00\n1.5\n",
                             "interactions.csv": INTER + "1.0,2,1700000000\n"})
    data = read_data(csv)
    assert data.customers["customer_id"].tolist() == ["1", "2", "007", "1.5"]
    assert data.report.rejected["reason"].tolist() == ["customer_id listed more than once (first row kept)"]
    assert data.interactions[["source", "target"]].values.tolist() == [["1", "2"]]
    assert "'1'" in _decided(data, "ids merged (3): '2', '007', '1'") and "'007'" in _decided(data, "ids merged")
    pq = tmp_path / "pq"
    pq.mkdir()
    pd.DataFrame({"customer_id": [1.0, 2.0, 2.5]}).to_parquet(pq / "customers.parquet")
    pd.DataFrame({"source": [1.0], "target": [2], "timestamp": [1_700_000_000]}).to_parquet(pq / "interactions.parquet")
    from_pq = read_data(pq)
    assert from_pq.customers["customer_id"].tolist() == ["1", "2", "2.5"]
    assert from_pq.interactions[["source", "target"]].values.tolist() == [["1", "2"]] and from_pq.report.ok
    _decided(from_pq, "ids held as numbers in customers.customer_id, interactions.source")
    frames = read_data({"interactions": pd.DataFrame({"source": [1.0, "1", "1.0"], "target": [2, 2.0, "2"],
                                                      "timestamp": [0, 0, 0]}, dtype=object)})
    assert frames.customers["customer_id"].tolist() == ["1", "2"]


# --- folders --------------------------------------------------------------------------------------------


def test_table_names_match_without_case_aliases_and_unread_files_are_listed(tmp_path):
    folder = _folder(tmp_path, {"Customers.CSV": "customer_id\na\nb\n", "referrals.csv": INTER + "a,b,1700000000\n",
                                "notes.txt": "hello", "orders.csv": "x\n1\n", "Events.xlsx": "not read"})
    (folder / "old").mkdir()
    data = read_data(folder)
    assert len(data.customers) == 2 and len(data.interactions) == 1
    text = data.report.to_text()
    assert "customers: read Customers.CSV (matched without case as customers)" in text
    assert "interactions: read referrals.csv (an alias of interactions)" in text
    assert f"files not read in {folder}: Events.xlsx, notes.txt, old/, orders.csv" in text
    assert "Events.xlsx looks like the events table but .xlsx is not a format read here" in text
    both = _folder(tmp_path / "two", {"messages.csv": INTER, "Interactions.csv.gz": INTER})
    with pytest.raises(DataError, match=r"more than one file for table 'interactions': \['Interactions\.csv\.gz', "
                                        r"'messages\.csv'\]"):
        read_data(both)


# --- csv shapes -----------------------------------------------------------------------------------------


def test_ragged_rows_and_blank_lines_are_rejected_per_row(tmp_path):
    body = INTER + "a,b,1700000000\n   \na,b\na,b,1700000000,extra\n\nb,a,1700000001\n"
    for name in ("interactions.csv", "interactions.csv.gz"):
        folder = _folder(tmp_path / name, {name: body})
        data = read_data(folder)
        rej = data.report.rejected
        assert rej[["row", "column", "value", "reason"]].values.tolist() == [
            [2, "(row)", "   ", "expected 3 fields as in the header, found a line of spaces only"],
            [3, "(row)", "a,b", "expected 3 fields as in the header, found 2 fields"],
            [4, "(row)", "a,b,1700000000,extra", "expected 3 fields as in the header, found 4 fields"],
            [5, "source", None, "source is missing"],  # an empty line is a row of missing values
        ]
        assert data.interactions["source"].tolist() == ["a", "b"]
        assert data.report.tables.loc["interactions", "rows_in"] == 6
        _conserved(data)


def test_row_numbers_count_rows_not_lines_when_fields_hold_line_breaks(tmp_path):
    folder = _folder(tmp_path, {"customers.csv": 'customer_id,note\na,"two\nlines"\nb\nc,x,y\n'})
    data = read_data(folder)
    assert data.report.rejected["row"].tolist() == [2, 3]
    assert data.customers["note"].tolist() == ["two\nlines"]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiters_and_decimal_commas_are_detected(tmp_path, delimiter):
    rows = [["source", "target", "timestamp", "weight"], ["a", "b", "05.03.2024 10:00", "2,5"],
            ["b", "a", "13.03.2024", "1"]]
    folder = _folder(tmp_path, {"interactions.csv": "".join(delimiter.join(r) + "\n" for r in rows)})
    data = read_data(folder)
    assert data.interactions["weight"].tolist() == [2.5, 1.0]
    assert data.interactions["timestamp"].iloc[0] == pd.Timestamp("2024-03-05 10:00", tz="UTC")
    said = _decided(data, "interactions.csv: encoding utf-8, delimiter")
    assert "(detected from the header line (4 columns)), decimal comma (detected from '2,5')" in said


def test_decimal_and_delimiter_can_be_given(tmp_path):
    folder = _folder(tmp_path, {"interactions.csv": "source;target;timestamp;weight\na;b;1700000000;1.234,5\n"})
    data = read_data(folder, delimiter=";", decimal=",")
    assert data.report.rejected["reason"].tolist() == ["expected a number, found '1.234,5'"]
    ok = _folder(tmp_path / "ok", {"interactions.csv": "source|target|timestamp|weight\na|b|1700000000|0,5\n"})
    assert read_data(ok, delimiter="|", decimal=",").interactions["weight"].tolist() == [0.5]
    with pytest.raises(DataError, match="delimiter must be one character"):
        read_data(ok, delimiter="||")


@pytest.mark.slow
def test_very_large_fields_are_read_with_a_bigger_block(tmp_path):
    big = "x" * (6 << 20)
    folder = _folder(tmp_path, {"customers.csv": f"customer_id,notes\na,short\nb,{big}\nc,short\n"})
    data = read_data(folder)
    assert data.customers["notes"].str.len().tolist() == [5, 6 << 20, 5]
    _decided(data, "block size raised to 16 MB")


def test_read_table_lists_the_rows_it_left_out(tmp_path):
    folder = _folder(tmp_path, {"interactions.csv": INTER + "a,b\n007,b,1\n"})
    frame = read_table(folder / "interactions.csv", "interactions")
    assert frame["source"].tolist() == ["007"]
    assert frame.attrs["rejected"] == [(1, "a,b", "expected 3 fields as in the header, found 2 fields")]


# --- imports --------------------------------------------------------------------------------------------


def test_import_netlib_does_not_import_pandera():
    code = "import sys, netlib; print('pandera' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_schemas_are_built_on_first_use():
    import netlib.io as nio

    assert set(nio.SCHEMAS) == {"customers", "interactions", "events"}
    assert np.isin(["source", "target", "timestamp", "weight"], list(nio.SCHEMAS["interactions"].columns)).all()


def test_weight_sums_that_overflow_in_the_undirected_view_are_refused():
    import networkx as nx

    from netlib.network import undirected

    G = nx.DiGraph()
    G.add_edge("a", "b", weight=1e308, count=1)
    G.add_edge("b", "a", weight=1e308, count=1)
    with pytest.raises(DataError, match=r"interactions a → b sum beyond the largest float \(2 interactions\)"):
        undirected(G)
    G["b"]["a"]["weight"] = 1.0
    assert undirected(G)["a"]["b"]["weight"] == 1e308 + 1.0


# --- command line ---------------------------------------------------------------------------------------


def test_summary_takes_the_reading_options_and_prints_the_decisions(tmp_path, capsys):
    from netlib.cli import main

    folder = _folder(tmp_path, {"Referrals.CSV": "source;target;timestamp;weight\na;b;02/03/2024;1,5\n"
                                                 "b;c;04/03/2024;2\n", "notes.txt": "x"})
    assert main(["summary", str(folder)]) == 2
    assert "pass dayfirst=True (day first) or dayfirst=False" in capsys.readouterr().err
    assert main(["summary", str(folder), "--dayfirst", "--na-values", "n/a"]) == 0
    out = capsys.readouterr().out
    for said in ("interactions: read Referrals.CSV (an alias of interactions)", "files not read in",
                 "notes.txt", "delimiter semicolon", "decimal comma (detected from '1,5')",
                 "dates read day first (dayfirst=True)"):
        assert said in out, said
    assert main(["summary", str(folder), "--date-format", "%m/%d/%Y", "--monthfirst"]) == 0
    assert "read with date_format='%m/%d/%Y'" in capsys.readouterr().out


def test_integer_weight_column_with_empty_cells(tmp_path):
    folder = _folder(tmp_path, {"interactions.csv": "source,target,timestamp,weight\na,b,1700000000,2\n"
                                                    "a,b,1700000000,\n"})
    assert read_data(folder).interactions["weight"].tolist() == [2.0, 1.0]


def test_parse_timestamp_keeps_its_name_and_meaning_for_patterns():
    from netlib.io import _parse_timestamp

    got = _parse_timestamp(pd.Series([1_700_000_000, "2023-11-14T22:13:20Z", "never", None], dtype=object), "s")
    assert got.iloc[:2].tolist() == [pd.Timestamp("2023-11-14 22:13:20", tz="UTC")] * 2
    assert got.iloc[2:].isna().all() and str(got.dtype) == "datetime64[ns, UTC]"


def test_load_reports_pickled_before_decisions_existed_still_print():
    import pickle

    report = read_data({"interactions": pd.DataFrame({"source": ["a"], "target": ["b"], "timestamp": [0]})}).report
    old = pickle.loads(pickle.dumps(report))
    del old.__dict__["decisions"]
    again = pickle.loads(pickle.dumps(old))
    assert again.decisions == [] and "Load report" in again.to_text()
