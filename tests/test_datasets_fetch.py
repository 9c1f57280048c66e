"""netlib.datasets._fetch, offline: file:// URLs and fake openers patched where fetch looks them up
(``netlib.datasets._fetch._urlopen``)."""

from __future__ import annotations

import gzip
import hashlib
import json
import zipfile

import pytest

from netlib import datasets as ds
from netlib.datasets import _fetch
from netlib.datasets import DATASETS, fetch
from netlib.errors import ChecksumError, DataError


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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

    monkeypatch.setattr(_fetch, "_urlopen", offline)
    fetch("toy", data_home=home)  # served from the cache, digest checked
    (folder / "edges.txt").write_bytes(b"tampered\n")
    with pytest.raises(ChecksumError, match="edges.txt: sha256 .* does not match .*force=True"):
        fetch("toy", data_home=home)
    monkeypatch.setattr(_fetch, "_urlopen", __import__("urllib.request").request.urlopen)
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
    monkeypatch.setattr(_fetch, "_urlopen", lambda url, timeout=None: _BrokenResponse())
    with pytest.raises(DataError, match="download of https://example.invalid/edges.txt broke off"):
        fetch("toy", data_home=home, force=True, progress=False)
    assert sorted(p.name for p in (home / "toy").iterdir()) == ["edges.txt"]
    assert (home / "toy" / "edges.txt").read_bytes() == b"old\n"

    def refused(url, timeout=None):
        raise OSError("no route to host")

    monkeypatch.setattr(_fetch, "_urlopen", refused)
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



def test_fetch_downloads_through_the_hook_in_fetch_module(tmp_path, monkeypatch):
    """The hook is looked up in netlib.datasets._fetch at call time: patching it there intercepts every
    download (an https URL that cannot resolve is served by the fake), and the package does not
    re-export it, so patching the old place fails loudly instead of silently patching nothing."""
    payload = b"5 6\n"
    calls = []

    class _Response:
        headers = {"Content-Length": str(len(payload))}

        def __init__(self):
            self.left = payload

        def read(self, n):
            block, self.left = self.left[:n], self.left[n:]
            return block

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake(url, timeout=None):
        calls.append((url, timeout))
        return _Response()

    _toy(monkeypatch, {"edges.txt": {"url": "https://example.invalid/edges.txt", "sha256": _sha(payload),
                                     "note": "t"}})
    monkeypatch.setattr(_fetch, "_urlopen", fake)
    folder = fetch("toy", data_home=tmp_path, progress=False)
    assert calls == [("https://example.invalid/edges.txt", 60)]
    assert (folder / "edges.txt").read_bytes() == payload
    assert not hasattr(ds, "_urlopen")
    with pytest.raises(AttributeError):
        monkeypatch.setattr(ds, "_urlopen", fake)


def test_fetch_damaged_record_is_a_data_error(tmp_path, monkeypatch):
    src = tmp_path / "src.txt"
    src.write_bytes(b"1 2\n")
    _toy(monkeypatch, {"edges.txt": {"url": src.as_uri(), "sha256": None, "note": "t"}})
    (tmp_path / "home" / "toy").mkdir(parents=True)
    (tmp_path / "home" / "toy" / ".netlib-fetch.json").write_text("{not json")
    with pytest.raises(DataError, match="cannot read the fetch record"):
        fetch("toy", data_home=tmp_path / "home")
