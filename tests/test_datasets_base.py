"""netlib.datasets._base: the registry (registry.toml), the data home, list_datasets, errors for missing
data and bad names, ground_truth; checksums against the datasets folder's MANIFEST.sha256."""

from __future__ import annotations

import gzip
import hashlib
import json
import pickle
import tomllib
from importlib.resources import files
from pathlib import Path

import networkx as nx
import pytest

import netlib as nl
from netlib import datasets as ds
from netlib.datasets import (
    DATASETS,
    data_home,
    fetch,
    ground_truth,
    list_datasets,
    load_customer_data,
    load_frames,
    load_graph,
)
from netlib.errors import DatasetMissing, DatasetNotFoundError, ParameterError

PICKLES = Path(__file__).resolve().parent / "data" / "pickles"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_data_home_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("NETLIB_DATA_HOME", str(tmp_path / "env"))
    assert data_home(tmp_path / "explicit") == tmp_path / "explicit"
    assert data_home() == tmp_path / "env"
    monkeypatch.delenv("NETLIB_DATA_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data_home() == tmp_path / "xdg" / "netlib"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert data_home() == tmp_path / "home" / ".cache" / "netlib"


def test_registry_is_plain_data_and_complete():
    allowed = {"url", "sha256", "note", "member", "decompress", "compress", "content_sha256", "pack", "members"}
    for name, entry in DATASETS.items():
        assert {"title", "kind", "folder", "page", "citation", "license", "files"} <= set(entry), name
        json.dumps(entry)  # stdlib data only
        for filename, spec in entry["files"].items():
            assert set(spec) <= allowed, (name, filename)
            assert spec["url"].startswith(("http://", "https://")), (name, filename)
            assert "sha256" in spec and spec["note"], (name, filename)  # unknown digests are said to be
    assert {e["folder"] for e in DATASETS.values() if e["folder"]} == {
        "email-Eu-core", "CollegeMsg", "football", "dolphins", "polbooks", "higgs-twitter",
        "twitter16-propagation-trees", "bitcoin-trust", "ciaodvd", "filmtrust", "microfinance-india-villages"}


def test_manifest_checksums_and_registry_digests(datasets_dir):
    manifest = {}
    for line in (datasets_dir / "MANIFEST.sha256").read_text().splitlines():
        digest, rel = line.split(maxsplit=1)
        manifest[rel.removeprefix("./")] = digest
    data_files = {rel: digest for rel, digest in manifest.items() if not rel.endswith(".md")}
    assert len(data_files) == 32
    for rel, digest in data_files.items():  # the curator's .md notes were edited after MANIFEST was written
        assert _sha((datasets_dir / rel).read_bytes()) == digest, rel
    for name, entry in DATASETS.items():
        for filename, spec in entry["files"].items():
            rel = f"{entry['folder']}/{filename}"
            assert rel in manifest, rel  # every registered file ships
            if spec["sha256"]:  # only byte-identical originals carry a digest, and it is MANIFEST's
                assert spec["sha256"] == manifest[rel], rel
            if spec.get("content_sha256"):
                with gzip.open(datasets_dir / rel, "rb") as handle:
                    assert _sha(handle.read()) == spec["content_sha256"], rel


def test_list_datasets(datasets_dir, tmp_path):
    df = list_datasets(data_home=datasets_dir)
    assert df.loc["football", "present"] and df.loc["karate-club", "present"]
    assert df["present"].all()
    empty = list_datasets(data_home=tmp_path)
    assert not empty.loc["football", "present"] and empty.loc["karate-club", "present"]
    assert "Girvan" in df.loc["football", "citation"]


def test_missing_folder_names_folder_file_and_fetch(tmp_path):
    with pytest.raises(DatasetNotFoundError) as info:
        load_graph("email-eu-core", data_home=tmp_path)
    msg = str(info.value)
    assert "folder 'email-Eu-core' not found" in msg and str(tmp_path) in msg
    assert "https://snap.stanford.edu/data/email-Eu-core.txt.gz" in msg
    assert "netlib.datasets.fetch('email-eu-core')" in msg
    assert isinstance(info.value, FileNotFoundError)


def test_missing_file_in_present_folder(tmp_path, monkeypatch):
    (tmp_path / "football").mkdir()
    (tmp_path / "football" / "football.gml").write_text("graph [\n node [ id 0 value 1 ]\n]\n")
    monkeypatch.setenv("NETLIB_DATA_HOME", str(tmp_path))
    with pytest.raises(DatasetNotFoundError, match=r"file 'evans2010_corrected/footballTSEinput.gml' not found "
                                                   r".*NETLIB_DATA_HOME"):
        ds.football()


def test_bad_names_and_arguments(datasets_dir):
    with pytest.raises(ParameterError, match="unknown dataset 'nope'; known: .*football"):
        load_graph("nope")
    with pytest.raises(ParameterError, match="unknown tables \\['x'\\]; available: \\['edges', 'departments'\\]"):
        load_frames("email-eu-core", "x", data_home=datasets_dir)
    with pytest.raises(ParameterError, match="labels must be 'gn' or 'evans'"):
        ds.football(labels="ap", data_home=datasets_dir)
    with pytest.raises(ParameterError, match="layer must be one of"):
        ds.higgs_twitter("follow", data_home=datasets_dir)
    with pytest.raises(ParameterError, match="twitter16_trees"):
        load_graph("twitter16", data_home=datasets_dir)
    with pytest.raises(ParameterError, match="not an interaction log"):
        load_customer_data("football", data_home=datasets_dir)
    with pytest.raises(ParameterError, match="ships with networkx"):
        fetch("karate")
    with pytest.raises(ParameterError, match="names no ground truth"):
        ground_truth(nx.path_graph(3))
    G = nx.path_graph(3)
    G.nodes[0]["c"] = "a"
    with pytest.raises(ParameterError, match="2 of 3 nodes lack attribute 'c'"):
        ground_truth(G, attribute="c")


def test_ground_truth_orders_by_size():
    G = nx.path_graph(5)
    nx.set_node_attributes(G, {0: "b", 1: "a", 2: "a", 3: "a", 4: "c"}, "g")
    gt = ground_truth(G, attribute="g")
    assert gt.tolist() == [1, 0, 0, 0, 2] and gt.attrs["labels"] == {0: "a", 1: "b", 2: "c"}



def test_data_home_needs_says_where_to_get_missing_data(tmp_path, monkeypatch):
    """(was casestudies.case_data_home) ``needs`` names folders or datasets; a missing one stops with
    the folder looked in, where it came from, the fetch call and the original page."""
    (tmp_path / "football").mkdir()
    assert data_home(tmp_path, needs=["football"]) == tmp_path
    assert data_home(tmp_path, needs="football") == tmp_path
    with pytest.raises(DatasetMissing, match="missing: email-Eu-core") as err:
        data_home(tmp_path, needs=["football", "email-Eu-core"])
    assert "snap.stanford.edu" in str(err.value) and "netlib.datasets.fetch('email-eu-core')" in str(err.value)
    assert str(tmp_path) in str(err.value) and "the data_home argument" in str(err.value)
    assert isinstance(err.value, DatasetNotFoundError)
    assert err.value._render_traceback_() == [f"Data not found. {err.value}"]   # Jupyter shows one line
    with pytest.raises(DatasetMissing, match="missing: CollegeMsg, microfinance-india-villages"):
        data_home(tmp_path, needs=["collegemsg", "microfinance"])   # dataset names give their folders
    monkeypatch.setenv("NETLIB_DATA_HOME", str(tmp_path))
    assert data_home(needs=["football"]) == tmp_path
    with pytest.raises(DatasetMissing, match="NETLIB_DATA_HOME"):
        data_home(needs=["CollegeMsg"])
    with pytest.raises(DatasetMissing, match="missing: football"):
        data_home(tmp_path / "absent", needs=["football"])
    with pytest.raises(ParameterError, match="unknown dataset 'nope'"):
        data_home(tmp_path, needs=["nope"])
    with pytest.raises(ParameterError, match="ships with networkx"):
        data_home(tmp_path, needs=["karate"])
    assert data_home(tmp_path / "absent") == tmp_path / "absent"   # without needs nothing is checked


def test_registry_is_read_from_the_toml_file_once():
    with files("netlib.datasets").joinpath("registry.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    assert list(raw) == list(DATASETS)
    assert raw["football"]["files"]["football.gml"]["url"] == DATASETS["football"]["files"]["football.gml"]["url"]
    # TOML has no null: absent keys are filled in, so every reader sees the same fields
    assert "folder" not in raw["karate-club"] and DATASETS["karate-club"]["folder"] is None
    assert DATASETS["karate-club"]["files"] == {}
    assert "sha256" not in raw["dolphins"]["files"]["dolphins.gml"]
    assert DATASETS["dolphins"]["files"]["dolphins.gml"]["sha256"] is None
    assert DATASETS["twitter16"]["files"]["twitter16_trees.tar.gz"]["members"].endswith(r"label\.txt))$")
    # one shared dict: the fetcher, the readers and the package see the same object
    from netlib.datasets import _base, _fetch

    assert ds.DATASETS is _base.DATASETS is _fetch.DATASETS


def test_registry_holds_every_name_the_readers_use():
    from netlib.datasets import _base

    with_files = {name for name, e in DATASETS.items() if e["folder"]}
    assert set(_base._TABLES) == with_files
    assert set(_base._GRAPHS) == set(DATASETS) - {"twitter16"}
    assert {e["kind"] for e in DATASETS.values()} == {"classic", "graph", "log", "trees"}
    assert "twitter16_cascades" in ds.__all__ and "load_sample" in ds.__all__
    assert ds.load_sample is nl.load_sample


def test_pickles_made_before_the_split_load():
    """Made at HEAD d769b3c with netlib/datasets.py: graphs and tables carry no netlib classes."""
    with open(PICKLES / "datasets_karate.pkl", "rb") as handle:
        old = pickle.load(handle)
    G = ds.karate_club()
    assert nx.utils.graphs_equal(old["graph"], G)
    assert old["graph"].graph["citation"] == G.graph["citation"]
    assert old["ground_truth"].equals(ground_truth(G))
    assert old["ground_truth"].attrs["labels"] == {0: "Mr. Hi", 1: "Officer"}
    now = list_datasets(data_home="/nowhere")
    cols = ["title", "kind", "folder", "page", "citation", "license"]
    assert old["list_datasets"][cols].equals(now[cols])
