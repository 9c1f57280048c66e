"""pattern_profiles looks event ids up in the customers list through pyarrow (issue 17); the answer is the one
hashing the ids through pandas gives, and ids the list lacks fall back to that path."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pandas as pd
import pytest

import netlib as nl
import netlib.patterns.profiles as pp


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    customers = pd.DataFrame({"customer_id": ["b", "a", "Zoë", "zoe", "10", "9", "quiet"]})
    n = 300
    events = pd.DataFrame({
        "customer_id": rng.choice(["a", "b", "Zoë", "zoe", "10", "9"], size=n),
        "timestamp": pd.to_datetime(rng.integers(0, 60, size=n), unit="D", utc=True),
        "event_type": rng.choice(["login", "post_idea", "comment", "invite_sent", "share"], size=n),
    })
    return nl.read_data({"customers": customers, "events": events})


@pytest.mark.parametrize("window", [{}, {"start": "1970-01-20", "end": "1970-02-10"}])
def test_lookup_in_the_customers_list_gives_the_hashing_answer(window):
    data = _data()
    new = nl.pattern_profiles(data, on_unmapped="ignore", **window)
    assert pp._listed_codes(data.events["customer_id"], data.customers["customer_id"]) is not None
    with mock.patch.object(pp, "_listed_codes", lambda *args: None):
        old = nl.pattern_profiles(data, on_unmapped="ignore", **window)
    pd.testing.assert_frame_equal(new, old)
    assert "quiet" in new.index  # a listed customer without events is still a row


def test_an_id_missing_from_the_list_goes_the_hashing_way():
    data = _data()
    assert pp._listed_codes(data.events["customer_id"], pd.Series(["a", "b"], dtype="str")) is None
    assert pp._listed_codes(data.events["customer_id"].astype(object), data.customers["customer_id"]) is None
    short = nl.pattern_profiles(data.events, customers=pd.Series(["a", "b"], dtype="str"), on_unmapped="ignore")
    assert {"a", "b", "Zoë"} <= set(short.index)
