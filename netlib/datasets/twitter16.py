"""Twitter16 rumour propagation trees (Ma, Gao & Wong 2017): the raw tree lines and the cleaned cascades.

:func:`twitter16_trees` returns the lines as released; :func:`twitter16_cascades` cleans them into
cascades with :func:`netlib.cascades.read_propagation_trees` and adds the veracity labels.
"""

from __future__ import annotations

import os
import re
import tarfile

import pandas as pd

from netlib._util import provenance
from netlib.datasets._base import _files, _register, load_frames
from netlib.errors import DataError

__all__ = ["twitter16_trees", "twitter16_cascades"]

_T16_LINE = re.compile(r"\['([^']*)',\s*'([^']*)',\s*'([^']*)'\]\s*->\s*\['([^']*)',\s*'([^']*)',\s*'([^']*)'\]")
_T16_COLUMNS = ["parent_uid", "parent_tweet_id", "parent_delay", "child_uid", "child_tweet_id", "child_delay"]


def _twitter16_archive(home) -> tuple[pd.Series, list[tuple[str, str]]]:
    (path,) = _files("twitter16", home, "twitter16_trees.tar.gz")
    try:
        with tarfile.open(path, "r:gz") as tar:
            texts = [(m.name, tar.extractfile(m).read().decode("utf-8")) for m in tar if m.isfile()]
    except (tarfile.TarError, OSError, EOFError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read as a tar.gz of UTF-8 tree files: {exc}") from exc
    labels: dict[str, str] = {}
    trees: list[tuple[str, str]] = []
    for name, text in texts:
        if name.endswith("label.txt"):
            for lineno, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    label, sep, tree = line.strip().partition(":")
                    if not sep:
                        raise DataError(f"{path}:{name}: line {lineno}: expected 'label:tree_id', found {line!r}")
                    labels[tree] = label
        elif "/tree/" in name and name.endswith(".txt"):
            trees.append((name.rsplit("/", 1)[-1][:-4], text))
    series = pd.Series(labels, name="label", dtype="str")
    series.index.name = "tree_id"
    return series.sort_index(), trees


def _twitter16_labels(home):
    return _twitter16_archive(home)[0].reset_index()


def _twitter16_lines(home):
    labels, trees = _twitter16_archive(home)
    parts = []
    for tree_id, text in sorted(trees):
        rows = _T16_LINE.findall(text)
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if len(rows) != len(lines):
            bad = next(i for i, ln in enumerate(lines, 1) if not _T16_LINE.fullmatch(ln.strip()))
            raise DataError(f"twitter16: tree/{tree_id}.txt line {bad}: expected "
                            f"\"['uid', 'tweet_id', 'delay']->['uid', 'tweet_id', 'delay']\", found {lines[bad - 1]!r}")
        frame = pd.DataFrame(rows, columns=_T16_COLUMNS)
        frame.insert(0, "line", range(1, len(rows) + 1))
        frame.insert(0, "tree_id", tree_id)
        parts.append(frame)
    df = pd.concat(parts, ignore_index=True)
    missing = sorted(set(df["tree_id"]) - set(labels.index))
    if missing:
        raise DataError(f"twitter16: {len(missing)} trees have no label in label.txt, e.g. {missing[:3]}")
    df.insert(1, "label", df["tree_id"].map(labels).astype(pd.CategoricalDtype(sorted(set(labels)))))
    for col in ("parent_delay", "child_delay"):
        df[col] = df[col].astype("float64")
    for col in ("tree_id", "parent_uid", "parent_tweet_id", "child_uid", "child_tweet_id"):
        df[col] = df[col].astype("str")
    return df



def twitter16_trees(*, data_home: str | os.PathLike | None = None) -> pd.DataFrame:
    """The raw Twitter16 propagation-tree lines: one row per ``parent -> child`` line of each tree file.

    Returns
    -------
    pandas.DataFrame
        Columns ``tree_id`` (source tweet id), ``label`` (true / false / unverified / non-rumor),
        ``line`` (1-based line number in the tree file), ``parent_uid``, ``parent_tweet_id``,
        ``parent_delay``, ``child_uid``, ``child_tweet_id``, ``child_delay`` (delays in minutes after the
        source tweet). Ids are strings; the root line's parent is ``('ROOT', 'ROOT', 0.0)``. The lines are
        as released: some children have several parent lines and some lines are self-loops. Cleaning them
        into trees is :mod:`netlib.cascades`' job. ``load_frames("twitter16", "labels")`` has the labels.

    References
    ----------
    J. Ma, W. Gao, K.-F. Wong, "Detect Rumors in Microblog Posts Using Propagation Structure via Kernel
    Learning", ACL 2017.
    """
    df = load_frames("twitter16", "trees", data_home=data_home)["trees"]
    df.attrs["provenance"] = provenance("datasets.twitter16_trees")
    return df



def twitter16_cascades(*, data_home: str | os.PathLike | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Twitter16 propagation trees as cascades, with their veracity labels.

    The trees are cleaned by :func:`netlib.cascades.read_propagation_trees` (self-loops and duplicate
    lines dropped; a user with several parent lines keeps the earliest parent who posted no later
    than they did); the counts are in ``metrics.attrs["report"]``.

    Parameters
    ----------
    data_home : str or path-like, optional
        See :func:`~netlib.datasets.data_home`.

    Returns
    -------
    (cascades, metrics) : tuple of DataFrame
        The cascade table, and :func:`netlib.cascades.cascade_metrics` with two more columns:
        ``label`` (true, false, unverified, non-rumor) and ``rumour`` (True unless non-rumor).

    Raises
    ------
    DatasetNotFoundError
        The trees archive is not in the data home; the message says where to get it.
    DataError
        The archive cannot be read as propagation trees.

    References
    ----------
    J. Ma, W. Gao, K.-F. Wong, "Detect Rumors in Microblog Posts Using Propagation Structure via Kernel
    Learning", ACL 2017.
    """
    from netlib.cascades import cascade_metrics, read_propagation_trees

    (path,) = _files("twitter16", data_home, "twitter16_trees.tar.gz")
    cascades = read_propagation_trees(path, progress=False)
    metrics = cascade_metrics(cascades)
    labels = cascades.attrs.get("labels", {})
    metrics["label"] = metrics["item_id"].map(labels).astype("string")
    metrics["rumour"] = metrics["label"] != "non-rumor"
    metrics.attrs["report"] = cascades.attrs.get("report", {})
    metrics.attrs["provenance"] = provenance("datasets.twitter16_cascades")
    return cascades, metrics


_register("twitter16", tables={"trees": _twitter16_lines, "labels": _twitter16_labels})
