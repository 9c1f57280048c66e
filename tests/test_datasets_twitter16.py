"""netlib.datasets.twitter16: the raw tree lines (pinned counts) and the cleaned cascades."""

from __future__ import annotations

import pytest

from netlib import datasets as ds
from netlib.datasets import load_frames


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


def _tree_archive(path, trees: dict[str, tuple[str, list[str]]]) -> None:
    """A tar.gz laid out as the released twitter16 folder: tree/<id>.txt and label.txt."""
    import io
    import tarfile

    with tarfile.open(path, "w:gz") as tar:
        def add(name, text):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

        add("twitter16/label.txt", "".join(f"{label}:{tid}\n" for tid, (label, _) in trees.items()))
        for tid, (_, lines) in trees.items():
            add(f"twitter16/tree/{tid}.txt", "".join(line + "\n" for line in lines))


def test_twitter16_cascades_on_a_hand_made_archive(tmp_path):
    folder = tmp_path / "twitter16-propagation-trees"
    folder.mkdir()
    _tree_archive(folder / "twitter16_trees.tar.gz", {
        "7": ("false", ["['ROOT', 'ROOT', '0.0']->['1', '7', '0.0']", "['1', '7', '0.0']->['2', '7', '1.0']",
                        "['1', '7', '0.0']->['3', '7', '2.0']", "['2', '7', '1.0']->['4', '7', '3.0']"]),
        "9": ("non-rumor", ["['ROOT', 'ROOT', '0.0']->['5', '9', '0.0']", "['5', '9', '0.0']->['6', '9', '0.5']",
                            "['5', '9', '0.0']->['6', '9', '0.5']"]),   # a duplicated line
    })
    cascades, metrics = ds.twitter16_cascades(data_home=tmp_path)
    m = metrics.set_index("item_id")
    assert m.loc["7", "size"] == 4 and m.loc["7", "depth"] == 2 and m.loc["9", "size"] == 2
    assert m["label"].to_dict() == {"7": "false", "9": "non-rumor"}
    assert m["rumour"].to_dict() == {"7": True, "9": False}
    assert metrics.attrs["report"]["duplicate_lines"] == 1
    assert metrics.attrs["provenance"]["function"] == "netlib.datasets.twitter16_cascades"
    assert sorted(cascades.loc[cascades["item_id"] == "7", "customer"]) == ["1", "2", "3", "4"]
    lines = ds.twitter16_trees(data_home=tmp_path)
    assert len(lines) == 7 and lines["label"].astype(str).tolist()[:1] == ["false"]


def test_twitter16_damaged_archive_is_a_data_error(tmp_path):
    from netlib.errors import DataError, DatasetNotFoundError

    with pytest.raises(DatasetNotFoundError, match="twitter16.*fetch\\('twitter16'\\)"):
        ds.twitter16_cascades(data_home=tmp_path)
    folder = tmp_path / "twitter16-propagation-trees"
    folder.mkdir()
    (folder / "twitter16_trees.tar.gz").write_bytes(b"not a tar.gz")
    with pytest.raises(DataError, match="cannot read as a tar.gz"):
        ds.twitter16_trees(data_home=tmp_path)
