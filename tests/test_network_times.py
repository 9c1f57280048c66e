"""Times given to the network functions (``start``, ``end``, ``now``) are read by one helper, ``netlib._api.to_utc``:
a time without a zone is UTC, and a value that is not a time raises ParameterError naming what was given."""

from __future__ import annotations

import pandas as pd
import pytest

import netlib as nl
from netlib.errors import ParameterError

DAY = 86_400


@pytest.fixture
def data():
    inter = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "b", "c"],
                          "timestamp": [0, 10 * DAY, 5 * DAY]})
    return nl.read_data({"interactions": inter})


def test_a_bad_now_raises_the_netlib_error(data):
    with pytest.raises(ParameterError, match=r"^now must be a date or timestamp; got 'not a time'$"):
        nl.tie_strength(nl.build_network(data), now="not a time")


@pytest.mark.parametrize("keyword", ["start", "end"])
def test_a_bad_window_raises_the_netlib_error(data, keyword):
    with pytest.raises(ParameterError, match=rf"^{keyword} must be a date or timestamp; got 'someday'$"):
        nl.customer_network(data, **{keyword: "someday"})
    with pytest.raises(ParameterError, match=rf"^{keyword} must be a date or timestamp; got 'someday'$"):
        nl.build_network(data, **{keyword: "someday"})


def test_a_time_without_zone_is_utc(data):
    G = nl.build_network(data)
    naive = nl.tie_strength(G, now="1970-01-21")
    aware = nl.tie_strength(G, now="1970-01-21T01:00:00+01:00")
    assert naive["days_since"].tolist() == aware["days_since"].tolist() == [10.0, 15.0]
    window = nl.customer_network(data, start="1970-01-06", end=pd.Timestamp("1970-01-11T01:00", tz="Europe/Paris"))
    assert window.m == 1  # only b → c (day 5); a → b on day 10 falls at the end, excluded
