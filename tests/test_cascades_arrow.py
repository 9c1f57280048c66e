"""reconstruct_cascades codes ids through pyarrow (issue 17); the answer is the one the object-array path gives."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pandas as pd
import pytest

import netlib as nl
import netlib.cascades.reconstruct as rc


def _shares(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = np.array(["a", "b", "Zoë", "zoe", "é", "10", "9", "A", " a", "", None], dtype=object)
    return pd.DataFrame({
        "source": rng.choice(ids, size=n), "target": rng.choice(ids, size=n),
        "timestamp": pd.to_datetime(rng.integers(0, 40, size=n), unit="D", utc=True),
        "item_id": rng.choice(np.array(["i1", "i2", "ü", None], dtype=object), size=n),
    })


@pytest.mark.parametrize("rule", ["first", "last", "strongest"])
def test_arrow_codes_give_the_object_path_answer(rule):
    shares = _shares()
    new = nl.reconstruct_cascades(shares, rule=rule)
    with mock.patch.object(rc, "_arrow_text", lambda col: None):
        old = nl.reconstruct_cascades(shares, rule=rule)
    pd.testing.assert_frame_equal(new, old)
    assert new.attrs["report"] == old.attrs["report"]
    assert new.attrs["report"]["self_shares"] > 0 and new.attrs["report"]["missing_customer"] > 0


def test_sorted_codes_match_pandas_sorted_factorize():
    import pyarrow as pa

    values = ["b", "Zoë", "a", "é", "b", "10", "9", "a"]
    codes, uniques = rc._sorted_codes([pa.chunked_array([values[:3], values[3:]], type=pa.string())])
    want_codes, want_uniques = pd.factorize(pd.Series(values, dtype=object), sort=True)
    assert codes.tolist() == want_codes.tolist() and uniques.tolist() == list(want_uniques)


@pytest.mark.parametrize("items", ["named", "some missing"])
def test_cascade_metrics_arrow_codes_give_the_object_path_answer(items):
    import netlib.cascades.metrics as cm

    casc = nl.reconstruct_cascades(_shares(600, seed=4))
    assert casc["customer"].str.contains("Zoë|é").any()  # non-ASCII ids sort by code point either way
    if items == "some missing":
        casc = casc.assign(item_id=casc["item_id"].where(casc["item_id"] != "i2", None))  # one item unnamed
    new_m, new_i = nl.cascade_metrics(casc), nl.cascade_influencers(casc)
    with mock.patch.object(cm, "_arrow_text", lambda col: None):
        old_m, old_i = nl.cascade_metrics(casc), nl.cascade_influencers(casc)
    pd.testing.assert_frame_equal(new_m, old_m)
    pd.testing.assert_frame_equal(new_i, old_i)
