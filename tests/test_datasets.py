"""netlib.datasets: counts pinned to ../shared/datasets/REFERENCE_VALUES.md and the folder READMEs,
checksums against MANIFEST.sha256, the fetcher offline (file:// URLs and a fake opener), error messages."""

from __future__ import annotations

import gzip
import hashlib
import json
import zipfile

import networkx as nx
import numpy as np
import pandas as pd
import pytest

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
from netlib.errors import ChecksumError, DataError, DatasetNotFoundError, ParameterError


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _modularity(G: nx.Graph, attr: str) -> float:
    """Reference modularity (networkx) of the label partition on the undirected simple graph."""
    H = nx.Graph(G.to_undirected() if G.is_directed() else G)
    H.remove_edges_from(nx.selfloop_edges(H))
    groups: dict = {}
    for n, d in H.nodes(data=True):
        groups.setdefault(d[attr], set()).add(n)
    return nx.community.modularity(H, groups.values(), weight=None)


# --------------------------------------------------------------------------------------------------
# data home, registry, checksums
# --------------------------------------------------------------------------------------------------


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
    df = list_datasets(datasets_dir)
    assert df.loc["football", "present"] and df.loc["karate-club", "present"]
    assert df["present"].all()
    empty = list_datasets(tmp_path)
    assert not empty.loc["football", "present"] and empty.loc["karate-club", "present"]
    assert "Girvan" in df.loc["football", "citation"]


# --------------------------------------------------------------------------------------------------
# missing data and bad arguments
# --------------------------------------------------------------------------------------------------


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
        ground_truth(G, "c")


# --------------------------------------------------------------------------------------------------
# fetcher, offline
# --------------------------------------------------------------------------------------------------


def _toy(monkeypatch, files: dict) -> None:
    monkeypatch.setitem(DATASETS, "toy", {"title": "toy", "kind": "log", "folder": "toy", "page": "x",
                                          "citation": "x", "license": "x", "files": files})


def test_fetch_file_url_with_checksum_and_cache(tmp_path, monkeypatch):
    payload = b"1 2\n2 3\n"
    src = tmp_path / "src.txt"
    src.write_bytes(payload)
    _toy(monkeypatch, {"edges.txt": {"url": src.as_uri(), "sha256": _sha(payload), "note": "t"}})
    home = tmp_path / "home"
    folder = fetch("toy", data_home=home, progress=False)
    assert folder == home / "toy"
    assert (folder / "edges.txt").read_bytes() == payload
    record = json.loads((folder / ".netlib-fetch.json").read_text())
    assert record["edges.txt"] == {"url": src.as_uri(), "sha256": _sha(payload), "verified": True}
    assert sorted(p.name for p in folder.iterdir()) == [".netlib-fetch.json", "edges.txt"]

    def offline(*args, **kwargs):
        raise AssertionError("a cached file must not be downloaded again")

    monkeypatch.setattr(ds._base, "_urlopen", offline)
    fetch("toy", data_home=home)  # served from the cache, digest checked
    (folder / "edges.txt").write_bytes(b"tampered\n")
    with pytest.raises(ChecksumError, match="edges.txt: sha256 .* does not match .*force=True"):
        fetch("toy", data_home=home)
    monkeypatch.setattr(ds._base, "_urlopen", __import__("urllib.request").request.urlopen)
    fetch("toy", data_home=home, force=True)
    assert (folder / "edges.txt").read_bytes() == payload


def test_fetch_checksum_mismatch_writes_nothing(tmp_path, monkeypatch):
    src = tmp_path / "src.txt"
    src.write_bytes(b"not what was promised\n")
    _toy(monkeypatch, {"edges.txt": {"url": src.as_uri(), "sha256": "0" * 64, "note": "t"}})
    home = tmp_path / "home"
    with pytest.raises(ChecksumError, match="edges.txt from .* has sha256 .*expected 0000"):
        fetch("toy", data_home=home, progress=False)
    assert list((home / "toy").iterdir()) == []  # no partial file, no temporary file, no record


class _BrokenResponse:
    """A response that delivers one block, then the connection drops."""

    headers = {"Content-Length": "1000"}

    def __init__(self):
        self.calls = 0

    def read(self, n):
        self.calls += 1
        if self.calls == 1:
            return b"x" * 10
        raise ConnectionResetError("connection reset by peer")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_fetch_broken_download_leaves_earlier_file_untouched(tmp_path, monkeypatch):
    _toy(monkeypatch, {"edges.txt": {"url": "https://example.invalid/edges.txt", "sha256": None, "note": "t"}})
    home = tmp_path / "home"
    (home / "toy").mkdir(parents=True)
    (home / "toy" / "edges.txt").write_bytes(b"old\n")
    monkeypatch.setattr(ds._base, "_urlopen", lambda url, timeout=None: _BrokenResponse())
    with pytest.raises(DataError, match="download of https://example.invalid/edges.txt broke off"):
        fetch("toy", data_home=home, force=True, progress=False)
    assert sorted(p.name for p in (home / "toy").iterdir()) == ["edges.txt"]
    assert (home / "toy" / "edges.txt").read_bytes() == b"old\n"

    def refused(url, timeout=None):
        raise OSError("no route to host")

    monkeypatch.setattr(ds._base, "_urlopen", refused)
    with pytest.raises(DataError, match="could not download .*no route to host"):
        fetch("toy", data_home=home, force=True)


def test_fetch_unknown_digest_is_recorded_then_enforced(tmp_path, monkeypatch):
    src = tmp_path / "a.txt.gz"
    src.write_bytes(gzip.compress(b"1 2\n", mtime=0))
    _toy(monkeypatch, {"a.txt": {"url": src.as_uri(), "decompress": "gzip", "sha256": None, "note": "t"}})
    home = tmp_path / "home"
    fetch("toy", data_home=home)
    record = json.loads((home / "toy" / ".netlib-fetch.json").read_text())
    assert record["a.txt"]["sha256"] == _sha(b"1 2\n") and record["a.txt"]["verified"] is False
    (home / "toy" / "a.txt").write_bytes(b"9 9\n")
    with pytest.raises(ChecksumError, match="recorded when it was downloaded"):
        fetch("toy", data_home=home)


def test_fetch_zip_members_gzip_and_repack(tmp_path, monkeypatch):
    """Archive handling, end to end: a zip member gzipped with a content digest, and a tree archive
    repacked into the tar.gz layout the Twitter16 reader reads."""
    trusts = b"1,2,1\n2,3,1\n"
    tree = b"['ROOT', 'ROOT', '0.0']->['10', '500', '0.0']\n['10', '500', '0.0']->['11', '500', '2.5']\n"
    archive = tmp_path / "release.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("CiaoDVD/trusts.txt", trusts)
        z.writestr("__MACOSX/CiaoDVD/trusts.txt", b"resource fork")
        z.writestr("rumor_detection_acl2017/twitter16/tree/500.txt", tree)
        z.writestr("rumor_detection_acl2017/twitter16/label.txt", b"false:500\n")
        z.writestr("rumor_detection_acl2017/twitter15/tree/9.txt", b"not wanted")
    t16 = DATASETS["twitter16"]["files"]["twitter16_trees.tar.gz"]
    _toy(monkeypatch, {
        "trusts.txt.gz": {"url": archive.as_uri(), "member": "trusts.txt", "compress": "gzip", "sha256": None,
                          "content_sha256": _sha(trusts), "note": "t"},
    })
    monkeypatch.setitem(DATASETS["twitter16"], "files", {"twitter16_trees.tar.gz": {**t16, "url": archive.as_uri()}})
    home = tmp_path / "home"
    fetch("toy", data_home=home)
    assert gzip.decompress((home / "toy" / "trusts.txt.gz").read_bytes()) == trusts
    fetch("twitter16", data_home=home)
    lines = ds.twitter16_trees(data_home=home)
    assert lines["tree_id"].tolist() == ["500", "500"] and lines["label"].tolist() == ["false", "false"]
    assert lines["child_uid"].tolist() == ["10", "11"] and lines["child_delay"].tolist() == [0.0, 2.5]
    first = (home / "twitter16-propagation-trees" / "twitter16_trees.tar.gz").read_bytes()
    fetch("twitter16", data_home=home, force=True)  # repacking is deterministic
    assert (home / "twitter16-propagation-trees" / "twitter16_trees.tar.gz").read_bytes() == first

    bad = {"trusts.txt.gz": {**DATASETS["toy"]["files"]["trusts.txt.gz"], "content_sha256": "f" * 64}}
    _toy(monkeypatch, bad)
    with pytest.raises(ChecksumError, match="content sha256"):
        fetch("toy", data_home=tmp_path / "other")
    _toy(monkeypatch, {"x.txt": {"url": archive.as_uri(), "member": "missing.txt", "sha256": None, "note": "t"}})
    with pytest.raises(DataError, match="expected one member ending in 'missing.txt', found none"):
        fetch("toy", data_home=tmp_path / "third")


# --------------------------------------------------------------------------------------------------
# classic graphs
# --------------------------------------------------------------------------------------------------


def test_karate_club_and_ground_truth():
    G = load_graph("karate")
    assert (G.number_of_nodes(), G.number_of_edges()) == (34, 78)
    assert G.nodes[0]["club"] == "Mr. Hi" and G.nodes[33]["club"] == "Officer"
    gt = ground_truth(G)
    assert gt.index.name == "customer_id" and gt.name == "club" and list(gt.index) == list(range(34))
    assert gt.value_counts().to_dict() == {0: 17, 1: 17}
    assert gt.attrs["labels"] == {0: "Mr. Hi", 1: "Officer"}  # equal sizes: ordered by label
    assert gt[0] == 0 and gt[33] == 1
    assert "Zachary" in G.graph["citation"]


def test_other_classic_graphs():
    L = ds.les_miserables()
    assert (L.number_of_nodes(), L.number_of_edges()) == (77, 254) and L["Valjean"]["Javert"]["weight"] > 0
    F = ds.florentine_families()
    assert (F.number_of_nodes(), F.number_of_edges()) == (15, 20) and max(F.degree, key=lambda x: x[1])[0] == "Medici"
    D = ds.davis_southern_women()
    assert D.number_of_nodes() == 32 and nx.is_bipartite(D)
    assert sum(1 for _, b in D.nodes(data="bipartite") if b == 0) == 18


def test_ground_truth_orders_by_size():
    G = nx.path_graph(5)
    nx.set_node_attributes(G, {0: "b", 1: "a", 2: "a", 3: "a", 4: "c"}, "g")
    gt = ground_truth(G, "g")
    assert gt.tolist() == [1, 0, 0, 0, 2] and gt.attrs["labels"] == {0: "a", 1: "b", 2: "c"}


# --------------------------------------------------------------------------------------------------
# public datasets: counts from REFERENCE_VALUES.md and the READMEs
# --------------------------------------------------------------------------------------------------


def test_email_eu_core(datasets_dir):
    G = ds.email_eu_core(data_home=datasets_dir)
    assert (G.number_of_nodes(), G.number_of_edges()) == (1005, 25571)
    assert nx.number_of_selfloops(G) == 642
    wcc = max(nx.weakly_connected_components(G), key=len)
    assert len(wcc) == 986 and G.subgraph(wcc).number_of_edges() == 25552
    assert len(max(nx.strongly_connected_components(G), key=len)) == 803
    gt = ground_truth(G)
    assert gt.nunique() == 42 and (gt == 0).sum() == 109 and gt.attrs["labels"][0] == 4
    assert _modularity(G, "department") == pytest.approx(0.2880, abs=5e-5)
    U = nx.Graph(G.to_undirected())
    U.remove_edges_from(nx.selfloop_edges(U))
    assert U.number_of_edges() == 16064
    assert sum(nx.triangles(U).values()) // 3 == 105461
    assert nx.average_clustering(U) == pytest.approx(0.3994, abs=5e-5)


def test_college_msg(datasets_dir):
    msgs = load_frames("collegemsg", data_home=datasets_dir)["messages"]
    assert len(msgs) == 59835 and str(msgs["timestamp"].dtype) == "datetime64[ns, UTC]"
    assert msgs["timestamp"].min() == pd.Timestamp("2004-04-15 14:56:01", tz="UTC")
    assert msgs["timestamp"].max() == pd.Timestamp("2004-10-26 07:52:22", tz="UTC")
    G = ds.college_msg(data_home=datasets_dir)
    assert (G.number_of_nodes(), G.number_of_edges()) == (1899, 20296)
    assert sum(c for _, _, c in G.edges(data="count")) == 59835 and nx.number_of_selfloops(G) == 0
    assert nx.Graph(G).number_of_edges() == 13838
    u, v, d = next(iter(G.edges(data=True)))
    assert d["first_ts"] <= d["last_ts"] and d["weight"] == float(d["count"])


def test_football(datasets_dir):
    G = ds.football(data_home=datasets_dir)
    assert (G.number_of_nodes(), G.number_of_edges()) == (115, 613)
    assert G.graph["duplicate_edges"] == 3 and nx.is_connected(G)
    assert sum(nx.triangles(G).values()) // 3 == 810
    assert nx.average_clustering(G) == pytest.approx(0.4032, abs=5e-5)
    sizes = pd.Series(dict(G.nodes(data="conference"))).value_counts()
    assert len(sizes) == 12 and (sizes.min(), sizes.max()) == (5, 13)
    assert _modularity(G, "conference") == pytest.approx(0.5540, abs=5e-5)
    assert _modularity(G, "conference_evans") == pytest.approx(0.5744, abs=5e-5)
    # Evans' corrections, from footballTSEReadMe.txt: North Texas moves from Sun Belt to Big West
    assert G.nodes[11]["conference_name"] == "Sun Belt" and G.nodes[11]["conference_evans_name"] == "Big West"
    assert G.nodes[0]["label"] == "BrighamYoung"
    E = ds.football(labels="evans", data_home=datasets_dir)
    assert ground_truth(E).nunique() == 19 and ground_truth(G).nunique() == 12


def test_dolphins_and_polbooks(datasets_dir):
    D = ds.dolphins(data_home=datasets_dir)
    assert (D.number_of_nodes(), D.number_of_edges()) == (62, 159) and nx.is_connected(D)
    assert sum(nx.triangles(D).values()) // 3 == 95
    assert nx.average_clustering(D) == pytest.approx(0.2590, abs=5e-5)
    assert D.nodes[0]["label"] == "Beak"
    P = ds.polbooks(data_home=datasets_dir)
    assert (P.number_of_nodes(), P.number_of_edges()) == (105, 441) and nx.is_connected(P)
    assert pd.Series(dict(P.nodes(data="leaning"))).value_counts().to_dict() == {"c": 49, "l": 43, "n": 13}
    assert _modularity(P, "leaning") == pytest.approx(0.4149, abs=5e-5)
    assert sum(nx.triangles(P).values()) // 3 == 560
    frames = load_frames("polbooks", data_home=datasets_dir)
    assert frames["nodes"].shape == (105, 3) and len(frames["edges"]) == 441


def test_bitcoin(datasets_dir):
    for name, nodes, edges, positive in [("bitcoin-otc", 5881, 35592, 32029), ("bitcoin-alpha", 3783, 24186, 22650)]:
        G = load_graph(name, data_home=datasets_dir)
        assert (G.number_of_nodes(), G.number_of_edges()) == (nodes, edges), name
        ratings = [r for _, _, r in G.edges(data="rating")]
        assert sum(r > 0 for r in ratings) == positive and (min(ratings), max(ratings)) == (-10, 10)
    r = load_frames("bitcoin-otc", data_home=datasets_dir)["ratings"]
    assert r["timestamp"].dt.date.min().isoformat() == "2010-11-08"
    assert r["timestamp"].dt.date.max().isoformat() == "2016-01-25"


def test_ciaodvd_and_filmtrust(datasets_dir):
    C = ds.ciaodvd(data_home=datasets_dir)
    assert (C.number_of_nodes(), C.number_of_edges()) == (4658, 40133) and nx.number_of_selfloops(C) == 0
    r = load_frames("ciaodvd", "ratings", data_home=datasets_dir)["ratings"]
    assert len(r) == 72665 and (r["user"].nunique(), r["movie"].nunique()) == (17615, 16121)
    assert r["rating"].value_counts().sort_index().tolist() == [2651, 4685, 10074, 22560, 32695]
    assert (r["date"].min().date().isoformat(), r["date"].max().date().isoformat()) == ("2000-05-31", "2013-11-28")
    assert len(set(C) & set(r["user"])) == 2740
    F = ds.filmtrust(data_home=datasets_dir)
    assert (F.number_of_nodes(), F.number_of_edges()) == (861, 1806)
    fr = load_frames("filmtrust", "ratings", data_home=datasets_dir)["ratings"]
    assert (len(fr), fr["user"].nunique(), fr["item"].nunique()) == (35497, 1508, 2071)
    assert sorted(fr["rating"].unique()) == [0.5 * k for k in range(1, 9)]


def test_microfinance(datasets_dir):
    G = ds.microfinance(data_home=datasets_dir)
    hh = load_frames("microfinance", "households", data_home=datasets_dir)["households"]
    assert G.number_of_nodes() == len(hh) == 8622
    villages = hh.groupby("village").size()
    assert len(villages) == 38 and (villages.min(), villages.max()) == (139, 329)
    loan = pd.Series(dict(G.nodes(data="loan")))
    leader = pd.Series(dict(G.nodes(data="leader")))
    assert loan.sum() == 1255 and round(100 * loan.mean(), 2) == 14.56
    assert leader.sum() == 1014 and round(100 * loan[leader == 1].mean(), 2) == 19.23
    assert G.graph["unknown_households"] == [1183, 4072, 4196, 4240, 20111, 23255, 45222, 45223, 46132]
    edges = load_frames("microfinance", "edges", data_home=datasets_dir)["edges"]
    assert len(edges) == 80356 and nx.Graph(list(zip(edges["hh1"], edges["hh2"]))).number_of_edges() == 40178
    assert all(G.nodes[u]["village"] == G.nodes[v]["village"] for u, v in G.edges)  # no cross-village ties
    in_edges = set(edges["hh1"]) | set(edges["hh2"])
    assert len(in_edges) == 8182 and len(set(hh["hh"]) - in_edges) == 449
    # one household's only ties go to unknown households, so the graph has one isolate more
    assert nx.number_of_isolates(G) == 450
    V = ds.microfinance(village=np.int64(1), data_home=datasets_dir)
    assert V.number_of_nodes() == villages[1] and {d for _, d in V.nodes(data="village")} == {1}


def test_customer_data_wrappers(datasets_dir):
    cm = load_customer_data("collegemsg", data_home=datasets_dir)
    assert (len(cm.customers), len(cm.interactions)) == (1899, 59835) and cm.report.rows_rejected == 0
    assert cm.interactions["source"].dtype == "str" and set(cm.interactions["kind"]) == {"message"}
    bt = load_customer_data("bitcoin-alpha", data_home=datasets_dir)
    assert len(bt.interactions) == 24186 and (bt.interactions["rating"] > 0).sum() == 22650
    assert (bt.interactions["weight"] == 1.0).all()
    em = load_customer_data("email-eu-core", snapshot="2005-01-01", data_home=datasets_dir)
    assert len(em.customers) == 1005 and em.customers["department"].nunique() == 42
    assert (em.interactions["timestamp"] == pd.Timestamp("2005-01-01", tz="UTC")).all()
    ciao = load_customer_data("ciaodvd", snapshot="2013-12-31", data_home=datasets_dir)
    assert (len(ciao.customers), len(ciao.interactions), len(ciao.events)) == (19533, 40133, 72665)
    assert set(ciao.events["event_type"]) == {"review"} and ciao.events["customer_id"].dtype == "str"
    with pytest.raises(ParameterError, match="filmtrust: neither trust statements nor ratings carry times.*snapshot="):
        load_customer_data("filmtrust", data_home=datasets_dir)
    with pytest.raises(ParameterError, match="2013-12-31"):
        load_customer_data("ciaodvd", data_home=datasets_dir)
    with pytest.raises(ParameterError, match="collegemsg: every interaction has its own time"):
        load_customer_data("collegemsg", snapshot="2004-01-01", data_home=datasets_dir)
    ft = load_customer_data("filmtrust", snapshot=pd.Timestamp("2011-06-30 12:00", tz="Europe/London"),
                            data_home=datasets_dir)
    assert ft.events["timestamp"].iloc[0] == pd.Timestamp("2011-06-30 11:00", tz="UTC")
    assert (len(ft.interactions), len(ft.events)) == (1806, 35497)


@pytest.mark.slow
def test_higgs_twitter(datasets_dir):
    act = load_frames("higgs-twitter", "activity", data_home=datasets_dir)["activity"]
    assert len(act) == 563069
    assert act["type"].value_counts().to_dict() == {"RT": 354930, "MT": 171237, "RE": 36902}
    assert act["timestamp"].min() == pd.Timestamp("2012-07-01 00:02:52", tz="UTC")
    assert act["timestamp"].max() == pd.Timestamp("2012-07-07 23:59:53", tz="UTC")
    G = ds.higgs_twitter(data_home=datasets_dir)
    assert (G.number_of_nodes(), G.number_of_edges()) == (256491, 328132)
    assert G.size(weight="weight") == 354930
    # information flows from the retweeted user: user 88 is retweeted 18,977 times
    assert G.out_degree(88, weight="weight") == 18977
    assert len(max(nx.weakly_connected_components(G), key=len)) == 223833
    data = load_customer_data("higgs", data_home=datasets_dir)
    rt = data.interactions[data.interactions["kind"] == "retweet"]
    assert len(rt) == 354930 and (rt["source"] == "88").sum() == 18977
    assert len(data.customers) == 304691


@pytest.mark.slow
def test_twitter16_trees(datasets_dir):
    t = ds.twitter16_trees(data_home=datasets_dir)
    assert len(t) == 363536 and t["tree_id"].nunique() == 818
    labels = load_frames("twitter16", "labels", data_home=datasets_dir)["labels"]
    assert labels["label"].value_counts().to_dict() == {"true": 207, "false": 205, "non-rumor": 205,
                                                         "unverified": 201}
    per_tree = t.drop_duplicates("tree_id").set_index("tree_id")["label"].astype("str")
    assert per_tree.sort_index().equals(labels.set_index("tree_id")["label"].sort_index().rename("label"))
    assert t["child_uid"].nunique() == 289675
    nodes = t[["tree_id", "child_uid", "child_tweet_id", "child_delay"]].drop_duplicates()
    size = nodes.groupby("tree_id").size()
    assert (round(size.mean(), 1), size.median(), size.min(), size.max()) == (425.2, 271, 74, 3089)
    self_loop = ((t["parent_uid"] == t["child_uid"]) & (t["parent_tweet_id"] == t["child_tweet_id"])
                 & (t["parent_delay"] == t["child_delay"]))
    assert self_loop.sum() == 953
    root = t[t["parent_uid"] == "ROOT"]  # one root line per tree, though not always the first line
    assert len(root) == 818 and root["tree_id"].nunique() == 818 and (root["line"] == 1).sum() == 808
