"""Tests for netlib.patterns.playbook: strategy_playbook."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _patterns_data import _mix_profiles

from netlib.errors import ParameterError
from netlib.patterns import STRATEGIES, segments, strategy_playbook


def test_strategy_playbook_picks_by_lift_with_evidence():
    idx = pd.Index([f"p{i}" for i in range(5)], name="customer_id")
    prof = pd.DataFrame({"access": [0.6, 0.6, 0.9, 0.9, np.nan], "engage": [0, 0, 0.1, 0.1, np.nan],
                         "customize": [0, 0, 0, 0, np.nan], "connect": [0.4, 0.4, 0, 0, np.nan],
                         "collaborate": [0, 0, 0, 0, np.nan], "intensity": [1, 3, 2, 2, 0.0],
                         "recency_days": [1, 3, 5, 5, np.nan], "breadth": [2, 2, 2, 2, 0]}, index=idx)
    seg = pd.DataFrame({"segment": [0, 0, 1, 1, -1],
                        "segment_name": ["access + connect"] * 2 + ["access"] * 2 + ["inactive"]}, index=idx)
    book = strategy_playbook(prof, seg)
    assert book.index.tolist() == [0, 1, -1]
    # population means: access .75, engage .05, connect .2; segment 0 leads on connect (lift 2)
    assert book.loc[0, "behaviour"] == "connect"
    assert book.loc[0, "strategy"] == STRATEGIES["connect"]["strategy"]
    assert book.loc[0, "lift_connect"] == pytest.approx(2.0)
    assert book.loc[0, "runner_up"] == "access"
    assert "connect is 40% of their behaviour vs 20%" in book.loc[0, "evidence"]
    assert book.loc[1, "behaviour"] == "engage" and book.loc[1, "lift_engage"] == pytest.approx(2.0)
    assert book.loc[0, "median_intensity"] == 2.0 and book.loc[0, "n_customers"] == 2
    assert book.loc[0, "share_of_customers"] == pytest.approx(0.4)
    assert book.loc[-1, "strategy"] == "Re-activate through access"
    assert book.loc[-1, "name"] == "inactive"
    # a higher min_share rules out engage's 10%: segment 1 falls back to access
    assert strategy_playbook(prof, seg, min_share=0.2).loc[1, "behaviour"] == "access"
    assert book.attrs["population_shares"]["connect"] == pytest.approx(0.2)
    pos = pd.DataFrame({"pagerank": [5.0, 4.0, 1.0, 2.0, 3.0]}, index=idx)
    tied = strategy_playbook(prof, seg["segment"], position=pos)
    assert tied.loc[0, "pctile_pagerank"] == pytest.approx(90.0)
    assert tied.loc[0, "name"] == "segment 0"


def test_strategy_playbook_end_to_end_and_errors():
    prof = _mix_profiles()
    seg = segments(prof, seed=1)
    book = strategy_playbook(prof, seg)
    assert book["behaviour"].tolist() == ["access", "connect", "collaborate"]
    assert book["n_customers"].sum() == 20
    assert set(book["strategy"]) <= {v["strategy"] for v in STRATEGIES.values()}
    with pytest.raises(ParameterError, match="'segment' column"):
        strategy_playbook(prof, pd.DataFrame({"cluster": 0}, index=prof.index))
    with pytest.raises(ParameterError, match="no customer id in common"):
        strategy_playbook(prof, {"zz": 0})
    with pytest.raises(ParameterError, match="min_share"):
        strategy_playbook(prof, seg, min_share=1.5)
