"""netlib_cases.trust: trust tables and social proof on hand-made data with planted answers, and the
case study's key numbers on CiaoDVD and Bitcoin OTC (skipped without the datasets)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netlib.errors import ParameterError
from netlib_cases import social_proof, trust_table


def test_trust_table_counts_positive_ratings_only():
    G = nx.DiGraph()
    G.add_edge(1, 2, rating=5)
    G.add_edge(3, 2, rating=-3)
    G.add_edge(2, 1, rating=1)
    G.add_edge(3, 1, rating=2)
    t = trust_table(G, rating="rating")
    assert t.index.name == "customer_id"
    assert t.loc[2, "trusted_by"] == 1 and t.loc[2, "ratings_received"] == 2
    assert t.loc[2, "negative_received"] == 1 and t.loc[2, "mean_rating_received"] == 1.0
    assert t.loc[1, "trusted_by"] == 2 and t.loc[3, "trusts"] == 1
    assert t.index[0] == 1                   # most trusted first (PageRank)


def test_social_proof_finds_planted_imitation():
    # each of 40 users trusts user 0..3 by a fixed rule; on every item, the trusted users rate first
    # and the follower then copies the mean of their trusted ratings exactly; others rate at random.
    rng = np.random.default_rng(7)
    rows, trust = [], []
    for follower in range(10, 50):
        trusted = [follower % 4, (follower + 1) % 4]
        trust += [(follower, t) for t in trusted]
    for item in range(60):
        first = {u: int(rng.integers(1, 6)) for u in range(4)}
        rows += [(u, item, r, 0) for u, r in first.items()]
        rows += [(u, item, int(rng.integers(1, 6)), 1) for u in range(50, 56)]          # the crowd
        for follower in range(10, 50, 7):
            mean = np.mean([first[t] for t in (follower % 4, (follower + 1) % 4)])
            rows.append((follower, item, mean, 2))
    ratings = pd.DataFrame(rows, columns=["user", "item", "rating", "time"])
    out = social_proof(ratings, pd.DataFrame(trust, columns=["trustor", "trustee"]), seed=1)
    s = out["summary"]
    assert s["coef_trusted"] == pytest.approx(1.0, abs=1e-6)
    assert s["mae_trusted"] == pytest.approx(0.0, abs=1e-9)
    assert s["coef_placebo"] < 0.7
    assert s["used"] == 60 * len(range(10, 50, 7))
    with pytest.raises(ParameterError, match="'trustee'"):
        social_proof(ratings, pd.DataFrame({"trustor": [1]}))


def test_social_proof_respects_trust_times():
    ratings = pd.DataFrame({"user": [1, 2, 3, 9] * 3, "item": np.repeat([0, 1, 2], 4),
                            "rating": [4, 2, 5, 5, 1, 5, 2, 2, 3, 1, 4, 4], "time": [0, 1, 2, 3] * 3})
    late = pd.DataFrame({"trustor": [9], "trustee": [1], "time": [10]})   # trust stated after every rating
    with pytest.raises(ParameterError, match="too few"):
        social_proof(ratings, late)


def test_social_proof_on_ciao_and_bitcoin(datasets_dir):
    from netlib.datasets import load_frames

    f = load_frames("ciaodvd", data_home=datasets_dir)
    ciao = social_proof(f["ratings"].rename(columns={"movie": "item", "date": "time"}), f["trust"], seed=1)["summary"]
    assert ciao["used"] == 2700
    assert ciao["coef_trusted"] == pytest.approx(0.218, abs=0.003)
    assert ciao["coef_trusted_subset"] > ciao["coef_placebo"]
    b = load_frames("bitcoin-otc", data_home=datasets_dir)["ratings"]
    otc = social_proof(b.rename(columns={"source": "user", "target": "item", "timestamp": "time"}),
                       b[b.rating > 0].rename(columns={"source": "trustor", "target": "trustee", "timestamp": "time"}),
                       placebo_draws=3, seed=1)["summary"]
    assert otc["used"] == 11408
    assert otc["coef_trusted"] == pytest.approx(0.631, abs=0.003)
    # placebo: mean of 3 draws, sd across draws about 0.025
    assert otc["coef_placebo"] == pytest.approx(0.20, abs=0.06)
