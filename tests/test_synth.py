"""Tests of netlib.synth (the synthetic customer world) and netlib._sample (the shipped sample)."""

from __future__ import annotations

import dataclasses
import shutil

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from sklearn.metrics import normalized_mutual_info_score

import netlib._sample as sample_mod
from netlib.errors import ChecksumError, ParameterError
from netlib.io import read_data
from netlib.synth import (
    BEHAVIOURS,
    EVENT_TYPES,
    SAMPLE_PARAMS,
    SyntheticTruth,
    _degrees,
    generate,
    main,
    read_truth,
    write_sample,
)

TABLES = ("customers", "interactions", "events")
TRUTH = ("customers", "cascades", "projects", "ties")
BEHAVIOUR_OF = {t: b for b, types in EVENT_TYPES.items() for t in types}


@pytest.fixture(scope="module")
def world():
    return generate(2000, seed=3, progress=False)


def _assert_same(a, b):
    for t in TABLES:
        assert_frame_equal(getattr(a, t), getattr(b, t))
    for t in TRUTH:
        assert_frame_equal(getattr(a.truth, t), getattr(b.truth, t))
    assert a.truth.params == b.truth.params


def _mixing(truth: SyntheticTruth) -> float:
    ties = truth.ties[truth.ties["kind"] == "friend"]
    comm = truth.customers["community"]
    return float((comm.reindex(ties["source"]).to_numpy() != comm.reindex(ties["target"]).to_numpy()).mean())


# -- determinism -------------------------------------------------------------------------------------


def test_same_seed_same_world_and_different_seed_different_world():
    before = np.random.get_state()[1].copy()
    a = generate(400, seed=11, progress=False)
    b = generate(400, seed=11, progress=False)
    _assert_same(a, b)
    c = generate(400, seed=12, progress=False)
    assert not a.interactions.equals(c.interactions)
    assert not a.truth.customers["community"].equals(c.truth.customers["community"])
    assert (np.random.get_state()[1] == before).all()  # the global RNG was not touched
    g = generate(400, seed=np.random.default_rng(11), progress=False)
    assert g.truth.params["seed"] == "<numpy.random.Generator>"


def test_validation_keeps_every_row_and_changes_nothing(world):
    raw = generate(2000, seed=3, progress=False, validate=False)
    for t in TABLES:
        assert_frame_equal(getattr(raw, t), getattr(world, t))
    assert raw.report.rows_rejected == 0 and raw.report.rows_in == world.report.rows_in
    assert "validate=False" in raw.report.notes[0]


def test_tables_follow_the_data_contract(world):
    assert world.report.rows_rejected == 0
    assert list(world.customers.columns) == ["customer_id", "name", "region", "segment", "age_band", "signup_date"]
    assert world.interactions["timestamp"].dtype == "datetime64[ns, UTC]"
    assert world.events["timestamp"].dtype == "datetime64[ns, UTC]"
    assert world.customers["customer_id"].is_unique and world.customers["customer_id"].str.match(r"^C\d{4}$").all()
    assert set(world.interactions["kind"]) == {"share", "message", "referral"}
    assert (world.interactions["weight"] == 1.0).all()
    assert set(world.events["event_type"]) <= set(BEHAVIOUR_OF)
    start = pd.Timestamp(world.truth.params["start"], tz="UTC")
    end = start + pd.Timedelta(days=world.truth.params["days"])
    assert world.events.loc[world.events["target"].isna(), "timestamp"].between(start, end).all()
    assert (world.customers["signup_date"] < start.tz_localize(None)).all()
    assert world.truth.customers.index.name == "customer_id"
    assert world.truth.customers.index.equals(pd.Index(world.customers["customer_id"], name="customer_id"))
    assert world.truth.params["seed"] == 3 and world.truth.params["n_customers"] == 2000
    assert world.interactions.attrs["provenance"]["function"] == "netlib.synth.generate"
    assert "SyntheticTruth(2,000 customers" in repr(world.truth)


# -- communities and degrees -------------------------------------------------------------------------


def test_mixing_fraction_is_close_to_mu(world):
    # repeated pairs inside small communities are dropped, which nudges the mixing up by ~0.01-0.02
    assert abs(_mixing(world.truth) - 0.2) < 0.03
    for mu in (0.05, 0.4):
        other = generate(1500, mu=mu, seed=1, progress=False)
        assert abs(_mixing(other.truth) - mu) < 0.03


def test_planted_communities_are_recoverable(world):
    truth = world.truth.customers
    G = nx.Graph()
    G.add_nodes_from(truth.index)
    G.add_edges_from(zip(world.interactions["source"], world.interactions["target"]))
    planted = [set(g.index) for _, g in truth.groupby("community")]
    q = nx.community.modularity(G, planted)
    assert q > 0.6  # about 1 - mu minus the expected share; far from the ~0 of a random partition
    shuffled = truth["community"].sample(frac=1.0, random_state=0).to_numpy()
    random_parts = [set(truth.index[shuffled == c]) for c in np.unique(shuffled)]
    assert abs(nx.community.modularity(G, random_parts)) < 0.05
    found = nx.community.louvain_communities(G, seed=1)
    label = {v: i for i, part in enumerate(found) for v in part}
    assert normalized_mutual_info_score(truth["community"], [label[v] for v in truth.index]) > 0.8
    sizes = truth["community"].value_counts().sort_index()
    assert sizes.is_monotonic_decreasing and sizes.min() >= 10  # 0 = largest


def test_degrees_are_heavy_tailed(world):
    degree = world.truth.customers["degree"]
    assert degree.max() > 8 * degree.median()
    assert degree.std() > degree.mean()  # a Poisson degree sequence would have std = sqrt(mean)
    # the sampler's tail: Hill estimate of the Pareto index (exponent - 1 = 1.5) on the top 1%
    d = np.sort(_degrees(np.random.default_rng(0), 200_000, 12.0, 2.5, 10**6))[::-1].astype(float)
    top = d[:2000]
    alpha = 1.0 / np.mean(np.log(top[:-1] / top[-1]))
    assert abs(alpha - 1.5) < 0.15
    assert abs(_degrees(np.random.default_rng(1), 50_000, 12.0, 2.5, 180).mean() - 12.0) < 0.3


def test_influencers_reach_further(world):
    truth = world.truth
    inf = truth.customers.index[truth.customers["influencer"]]
    assert len(inf) == truth.params["n_influencers"] == 5
    shares = world.interactions[world.interactions["kind"] == "share"]
    reach = shares.groupby("source")["target"].nunique().reindex(truth.customers.index, fill_value=0)
    assert reach[inf].mean() > 10 * reach.mean()
    follows = truth.ties[truth.ties["kind"] == "follow"]
    assert set(follows["source"]) <= set(inf)
    assert (truth.customers.loc[inf, "connect"] >= 0.5).all()


# -- cascades ----------------------------------------------------------------------------------------


def _reconstruct(interactions: pd.DataFrame) -> pd.DataFrame:
    """The share rule of the module docstring, written independently in pandas."""
    sh = interactions[interactions["kind"] == "share"]
    recv = (sh.sort_values(["timestamp", "source"]).groupby(["item_id", "target"], sort=False).first()
            .rename(columns={"source": "parent", "timestamp": "time"})[["parent", "time"]])
    sent = sh.groupby(["item_id", "source"])["timestamp"].min().rename("first_sent")
    sent.index = sent.index.set_names(["item_id", "customer"])
    recv.index = recv.index.set_names(["item_id", "customer"])
    both = pd.concat([recv, sent], axis=1)
    is_root = both["time"].isna() | (both["first_sent"] < both["time"])
    both.loc[is_root, "time"] = both.loc[is_root, "first_sent"]
    both.loc[is_root, "parent"] = pd.NA
    out = both.reset_index()[["item_id", "customer", "parent", "time"]]
    roots = out[out["parent"].isna()].set_index("item_id")["customer"]
    out["root"] = out["item_id"].map(roots)
    depth = pd.Series(0, index=out.index)
    key = out.set_index(["item_id", "customer"])["parent"]
    up = out["parent"].copy()
    while up.notna().any():
        depth[up.notna()] += 1
        up = pd.Series(key.reindex(pd.MultiIndex.from_arrays([out["item_id"], up])).to_numpy(), index=out.index)
    out["depth"] = depth.astype("int64")
    out = out[["item_id", "customer", "parent", "time", "depth", "root"]]
    return out.sort_values(["item_id", "time", "customer"], ignore_index=True)


def test_cascades_are_consistent_trees(world):
    c = world.truth.cascades
    assert list(c.columns) == ["item_id", "customer", "parent", "time", "depth", "root"]
    assert not c.duplicated(["item_id", "customer"]).any()  # each customer adopts an item once
    roots = c[c["parent"].isna()]
    assert roots["item_id"].is_unique and len(roots) == c["item_id"].nunique() == world.truth.params["n_items"]
    assert (roots["depth"] == 0).all() and (roots["customer"] == roots["root"]).all()
    kids = c[c["parent"].notna()].merge(c, left_on=["item_id", "parent"], right_on=["item_id", "customer"],
                                        suffixes=("", "_p"), validate="many_to_one")
    assert len(kids) == len(c) - len(roots)  # every parent adopted the same item
    assert (kids["time_p"] <= kids["time"]).all()
    assert (kids.loc[kids["depth_p"] > 0, "time_p"] < kids.loc[kids["depth_p"] > 0, "time"]).all()
    assert (kids["depth"] == kids["depth_p"] + 1).all() and (kids["root"] == kids["root_p"]).all()
    assert (c.groupby("item_id").size() >= 2).all()  # every root shares at least once
    assert c.groupby("item_id").size().max() > 10 * c.groupby("item_id").size().median()  # a few go far


def test_cascades_are_what_the_share_rule_reconstructs(world):
    shares = world.interactions[world.interactions["kind"] == "share"]
    assert shares["item_id"].notna().all()
    assert world.interactions.loc[world.interactions["kind"] != "share", "item_id"].isna().all()
    first = shares.groupby(["item_id", "target"])["timestamp"].transform("min") == shares["timestamp"]
    assert not shares[first].duplicated(["item_id", "target"]).any()  # the earliest receipt is unique
    assert_frame_equal(_reconstruct(world.interactions), world.truth.cascades, check_dtype=False)
    # nobody shares an item before adopting it
    adopt = world.truth.cascades.set_index(["item_id", "customer"])["time"]
    when = adopt.reindex(pd.MultiIndex.from_frame(shares[["item_id", "source"]])).to_numpy()
    assert (shares["timestamp"].to_numpy() >= when).all()


def test_reconstruct_cascades_recovers_the_planted_trees(world):
    from netlib.cascades import reconstruct_cascades

    got = reconstruct_cascades(world.interactions)
    got = got.sort_values(["item_id", "time", "customer"], ignore_index=True)
    assert_frame_equal(got, world.truth.cascades, check_dtype=False)


# -- behaviour profiles, events, projects ------------------------------------------------------------


def test_latent_profiles_sum_to_one_and_drive_the_event_mix(world):
    truth = world.truth.customers
    shares = truth[list(BEHAVIOURS)]
    assert (shares >= 0).all().all()
    assert np.allclose(shares.sum(axis=1), 1.0, atol=1e-6)
    counts = (world.events.assign(b=world.events["event_type"].map(BEHAVIOUR_OF))
              .groupby(["customer_id", "b"]).size().unstack(fill_value=0).reindex(truth.index, fill_value=0))
    busy = counts.sum(axis=1) >= 20
    observed = counts.div(counts.sum(axis=1), axis=0)[busy]
    for b in BEHAVIOURS:
        assert np.corrcoef(observed[b], shares.loc[busy, b])[0, 1] > 0.7, b
    # community-level tendencies: community means differ far more than a random grouping gives
    spread = shares.groupby(truth["community"]).mean().var().sum()
    fake = truth["community"].sample(frac=1.0, random_state=0).to_numpy()
    assert spread > 5 * shares.groupby(fake).mean().var().sum()


def test_connect_events_reconcile_with_interactions(world):
    ev, it = world.events, world.interactions
    aimed = ev[ev["target"].notna()]
    assert set(aimed["event_type"]) == {"share", "refer"}
    assert ev.loc[ev["event_type"].isin(["review", "follow", "message"]), "target"].isna().all()
    pairs = it[it["kind"] != "message"].rename(columns={"source": "customer_id"})
    pairs = pairs.assign(event_type=pairs["kind"].map({"share": "share", "referral": "refer"}))
    cols = ["customer_id", "target", "timestamp", "event_type", "item_id", "channel"]
    left = aimed[cols].sort_values(cols, ignore_index=True)
    right = pairs[cols].sort_values(cols, ignore_index=True)
    assert_frame_equal(left, right)
    assert (ev["event_type"] == "share").sum() == (it["kind"] == "share").sum()


def test_projects_match_join_events(world):
    projects, ev = world.truth.projects, world.events
    joins = ev[ev["event_type"] == "join_project"]
    got = joins[["project_id", "customer_id", "timestamp"]].rename(columns={"timestamp": "joined"})
    assert_frame_equal(got.sort_values(["project_id", "customer_id"], ignore_index=True),
                       projects[["project_id", "customer_id", "joined"]])
    assert not projects.duplicated(["project_id", "customer_id"]).any()
    assert projects["project_id"].nunique() == world.truth.params["n_projects"]
    # members come mostly from the project's home community (a fraction mu from anywhere)
    home = projects["community"].to_numpy() == world.truth.customers["community"].reindex(projects["customer_id"]).to_numpy()
    assert home.mean() > 0.7
    co = ev[ev["event_type"] == "co_create"].merge(projects, on=["project_id", "customer_id"], how="left")
    assert co["joined"].notna().all() and (co["timestamp"] >= co["joined"]).all()


def test_bad_parameters_are_named():
    with pytest.raises(ParameterError, match="n_customers"):
        generate(10)
    with pytest.raises(ParameterError, match="mu"):
        generate(200, mu=1.5)
    with pytest.raises(ParameterError, match="n_communities must be at most"):
        generate(200, n_communities=50)
    with pytest.raises(ParameterError, match="degree_exponent"):
        generate(200, degree_exponent=2.0)
    with pytest.raises(ParameterError, match="start"):
        generate(200, start="not a date")
    with pytest.raises(ParameterError, match="seed"):
        generate(200, seed="abc")


def test_small_and_degenerate_worlds():
    quiet = generate(100, n_items=0, n_projects=0, n_influencers=0, events_per_customer=0.0,
                     messages_per_customer=0.0, seed=2, progress=False)
    assert len(quiet.interactions) == 0 and len(quiet.truth.cascades) == 0 and len(quiet.truth.projects) == 0
    assert len(quiet.events) == 0 and len(quiet.customers) == 100


# -- the shipped sample ------------------------------------------------------------------------------


def test_sample_regenerates_byte_for_byte(tmp_path):
    shipped = sample_mod.SAMPLE_DIR
    if not (shipped / "SHA256SUMS").is_file():
        pytest.skip("data/sample is not in this checkout")
    assert main(["--write-sample", str(tmp_path)]) == 0
    assert (tmp_path / "SHA256SUMS").read_text() == (shipped / "SHA256SUMS").read_text()
    listed = {line.split()[1] for line in (shipped / "SHA256SUMS").read_text().splitlines()}
    assert listed == {p.name for p in shipped.iterdir() if not p.name.startswith(".")} - {"SHA256SUMS"}
    assert sum(p.stat().st_size for p in shipped.iterdir()) < 6_000_000


def test_load_sample_reads_the_shipped_world(tmp_path, monkeypatch):
    data = sample_mod.load_sample()
    assert data.truth is not None and data.truth.params["seed"] == SAMPLE_PARAMS["seed"]
    assert 10_000 <= len(data.interactions) <= 99_999 and 10_000 <= len(data.events) <= 99_999
    fresh = generate(**SAMPLE_PARAMS, progress=False)
    _assert_same(data, fresh)
    # a tampered file is caught
    copy = tmp_path / "sample"
    write_sample(copy)
    with open(copy / "events.csv", "a", encoding="utf-8") as handle:
        handle.write("C0000,2024-01-02T00:00:00Z,login,,,,app\n")
    monkeypatch.setattr(sample_mod, "SAMPLE_DIR", copy)
    with pytest.raises(ChecksumError, match="events.csv"):
        sample_mod.load_sample()
    assert len(sample_mod.load_sample(verify=False).events) == len(fresh.events) + 1
    # without the folder the same world is generated
    monkeypatch.setattr(sample_mod, "SAMPLE_DIR", tmp_path / "absent")
    _assert_same(sample_mod.load_sample(), fresh)


def test_written_world_reads_back_through_read_data(tmp_path):
    write_sample(tmp_path, n_customers=300, seed=4)
    data = read_data(tmp_path, errors="raise")
    truth = read_truth(tmp_path)
    again = generate(300, seed=4, progress=False)
    for t in ("interactions", "events"):
        assert_frame_equal(getattr(data, t), getattr(again, t))
    for t in TRUTH:
        assert_frame_equal(getattr(truth, t), getattr(again.truth, t))
    (tmp_path / "truth_ties.csv").unlink()
    with pytest.raises(Exception, match="truth_ties.csv"):
        read_truth(tmp_path)
    assert dataclasses.is_dataclass(truth)
