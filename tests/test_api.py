"""netlib._api: the shared services, each written once (provenance, tables in, ids, UTC, argument checks)."""

from __future__ import annotations

import pickle
import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import netlib as nl
from netlib import _api, _util
from netlib.errors import DataError, ParameterError, SchemaError


def test_provenance_records_the_public_name_once_prefixed():
    assert _api.provenance("centrality")["function"] == "netlib.centrality"
    assert _api.provenance("synth.generate")["function"] == "netlib.synth.generate"
    assert _api.provenance("netlib.report.customer_table")["function"] == "netlib.report.customer_table"
    assert _api.provenance("netlib_cases.ols")["function"] == "netlib_cases.ols"   # the case package's own name
    record = _api.provenance("x", seed=np.random.default_rng(0), k=np.int64(3), q=np.float32(0.5), function="f")
    assert record["parameters"] == {"seed": "<numpy.random.Generator>", "k": 3, "q": 0.5, "function": "f"}
    assert type(record["parameters"]["k"]) is int and record["netlib_version"] == nl.__version__
    assert _util.provenance is _api.provenance and _util.renamed_keyword is _api.renamed_keyword  # old imports


def test_stamp_puts_the_record_where_each_kind_of_result_keeps_it():
    frame = pd.DataFrame({"a": [1]})
    frame.attrs["report"] = {"rows": 1}
    assert _api.stamp(frame, "f", k=1) is frame
    assert frame.attrs["provenance"]["function"] == "netlib.f" and frame.attrs["report"] == {"rows": 1}
    G = _api.stamp(nx.Graph(), "g")
    assert G.graph["provenance"]["function"] == "netlib.g"

    class Result:
        pass

    assert _api.stamp(Result(), "h").provenance["function"] == "netlib.h"
    shared = _api.provenance("both")
    a, b = _api.stamp(pd.Series(dtype=float), shared), _api.stamp(pd.Series(dtype=float), shared)
    assert a.attrs["provenance"] is b.attrs["provenance"] is shared


def test_result_pickles_with_flat_attrs_load_as_nested_provenance():
    state = {"summary": 1, "attrs": {"function": "netlib.partition_quality", "parameters": {"weight": None},
                                     "netlib_version": "0.1.0"}}
    assert _api.nested_state(state) == {"summary": 1, "provenance": state["attrs"]}
    quality = nl.partition_quality(nx.karate_club_graph(), nl.communities(nx.karate_club_graph(), seed=0))
    again = pickle.loads(pickle.dumps(quality))
    assert again.provenance == quality.provenance and not hasattr(again, "attrs")


def test_as_table_takes_a_frame_or_the_table_of_a_customer_data():
    data = nl.load_sample()
    assert _api.as_table(data, "interactions") is data.interactions
    frame = pd.DataFrame({"source": ["a"], "target": ["b"], "timestamp": [1]})
    assert _api.as_table(frame, "interactions", required=("source", "target")) is frame
    with pytest.raises(SchemaError, match=r"interactions: column 'item_id' is missing; found: \['source', 'target', "
                                          r"'timestamp'\]") as info:
        _api.as_table(frame, "interactions", required=("source", "item_id"))
    assert info.value.column == "item_id" and info.value.table == "interactions"
    with pytest.raises(ParameterError, match="interactions must be the interactions DataFrame .* got list"):
        _api.as_table([1, 2], "interactions")
    import dataclasses

    with pytest.raises(SchemaError, match="has no events table; profiles needs events"):
        _api.as_table(dataclasses.replace(data, events=None), "events", what="profiles")


def test_ids_as_str_keeps_the_container_and_marks_missing_or_blank_ids():
    text, missing = _api.ids_as_str(pd.Series([7, None, "b", " "], index=[3, 4, 5, 6], dtype=object), missing=True)
    assert isinstance(text, pd.Series) and list(text.index) == [3, 4, 5, 6]
    assert text.iloc[0] == "7" and text.iloc[2] == "b" and pd.isna(text.iloc[1])
    assert missing.tolist() == [False, True, False, True]
    index = _api.ids_as_str(pd.Index([1, 2], name="customer_id"))
    assert isinstance(index, pd.Index) and index.tolist() == ["1", "2"] and index.name == "customer_id"
    assert _api.ids_as_str(["x", 3]).tolist() == ["x", "3"]


def test_to_utc_reads_one_time_or_a_column_in_utc():
    assert _api.to_utc("2024-01-01") == pd.Timestamp("2024-01-01", tz="UTC")
    assert _api.to_utc(pd.Timestamp("2024-01-01 02:00", tz="Europe/Berlin")) == pd.Timestamp("2024-01-01 01:00",
                                                                                               tz="UTC")
    naive = pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02"]))
    assert str(_api.to_utc(naive).dt.tz) == "UTC"
    for bad in ("not a date", None, float("nan")):
        with pytest.raises(ParameterError, match="start must be a date or timestamp"):
            _api.to_utc(bad, "start")
    with pytest.raises(ParameterError, match="window must hold datetimes; got dtype int64"):
        _api.to_utc(pd.Series([1, 2]), "window")


def test_to_utc_ns_reads_epochs_and_text_as_read_data_does():
    ns = _api.to_utc_ns(pd.Series([1_700_000_000, "2023-11-14T22:13:20Z"], dtype=object), "events")
    assert ns.tolist() == [1_700_000_000 * 10**9] * 2
    aware = pd.Series(pd.to_datetime(["2024-01-01 01:00"]).tz_localize("Europe/Berlin"))
    assert _api.to_utc_ns(aware, "events").tolist() == [pd.Timestamp("2024-01-01 00:00", tz="UTC").value]
    with pytest.raises(SchemaError, match="events: column 'ts' cannot be read as timestamps .* 'soon' at data row 2"):
        _api.to_utc_ns(pd.Series(["2024-01-01", "soon"]), "events", "ts")
    with pytest.raises(DataError, match="events: column 'timestamp' has 1 missing timestamp"):
        _api.to_utc_ns(pd.Series(pd.to_datetime(["2024-01-01", None])), "events")


@pytest.mark.parametrize("bad", [0, -1, 2.0, True, "3", None])
def test_check_runs_wants_a_positive_whole_number(bad):
    with pytest.raises(ParameterError, match=f"repeats must be a positive whole number; got {bad!r}"):
        _api.check_runs(bad, "repeats")


def test_check_runs_accepts_numpy_ints():
    assert _api.check_runs(np.int32(4)) == 4


def test_renamed_keyword_warns_and_refuses_both_names():
    assert _api.renamed_keyword("f", "k", "top", _api.MISSING, 5, 10) == (5, "top")
    with pytest.warns(DeprecationWarning, match="f: the keyword k= is renamed top="):
        assert _api.renamed_keyword("f", "k", "top", 3, 10, 10) == (3, "k")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ParameterError, match=r"f: give top= only \(k= is its old name\)"):
            _api.renamed_keyword("f", "k", "top", 3, 4, 10)


def test_positional_deprecated_maps_positions_to_keywords_with_a_warning():
    @_api.positional_deprecated("a", "b")
    def f(data, *, a=1, b=2):
        return data, a, b

    assert f("x", b=5) == ("x", 1, 5)
    with pytest.warns(DeprecationWarning, match="f: pass a=, b= by keyword"):
        assert f("x", 3, 4) == ("x", 3, 4)
    with pytest.raises(TypeError, match="takes 1 positional argument but 4 were given"):
        f("x", 1, 2, 3)
    with pytest.raises(TypeError, match="multiple values for argument 'a'"):
        f("x", 1, a=2)
