"""Twitter16 rumour propagation trees (Ma, Gao & Wong 2017): the raw tree lines, the cleaned cascades,
and the reader of tree files in that format.

:func:`twitter16_trees` returns the lines as released; :func:`read_propagation_trees` reads any
Twitter15/16-format trees (an archive, a folder or one file) into the cascade table;
:func:`twitter16_cascades` reads the Twitter16 archive with it and adds the veracity labels.
``netlib.read_propagation_trees`` and ``netlib.cascades.read_propagation_trees`` are the same function.
"""

from __future__ import annotations

import os
import re
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd

from netlib._util import provenance
from netlib.datasets._base import _files, _register, load_frames
from netlib.errors import DataError

__all__ = ["read_propagation_trees", "twitter16_cascades", "twitter16_trees"]

# One line of a tree file: ['uid', 'tweet_id', 'delay']->['uid', 'tweet_id', 'delay'] (matched whole, stripped).
_TREE_LINE = re.compile(r"\[\s*'([^'\n]*)'\s*,\s*'([^'\n]*)'\s*,\s*'([^'\n]*)'\s*\]\s*->"
                        r"\s*\[\s*'([^'\n]*)'\s*,\s*'([^'\n]*)'\s*,\s*'([^'\n]*)'\s*\]")
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
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        found = [_TREE_LINE.fullmatch(ln) for ln in lines]
        rows = [m.groups() for m in found if m]
        if len(rows) != len(lines):
            bad = next(i for i, m in enumerate(found, 1) if m is None)
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



def read_propagation_trees(path, *, progress: bool | None = None) -> pd.DataFrame:
    """Read propagation trees in the format of Ma, Gao & Wong (Twitter15/Twitter16).

    Each tree file is named after its source tweet and holds one edge per line,
    ``['uid', 'tweet_id', 'delay']->['uid', 'tweet_id', 'delay']`` with ``delay`` in minutes after
    the source tweet; the root line's parent is ``['ROOT', 'ROOT', '0.0']``. A customer is a user
    id, an item is a tree (its file name). Lines go through :func:`netlib.cascades_from_trees` with the
    parent's own delay as ``parent_time``: the parent of a user retweeting from several others is
    the earliest of them that posted no later than the user did.

    Parameters
    ----------
    path : str or Path
        A ``.tar.gz`` holding ``tree/*.txt`` (and optionally ``label.txt``), a folder holding them
        (or a ``tree/`` sub-folder), or a single tree file.
    progress : bool, optional
        Show a progress bar over the files.

    Returns
    -------
    DataFrame
        The cascade table; ``time`` is a timedelta since the source tweet. ``.attrs["report"]`` is
        the :func:`netlib.cascades_from_trees` report plus ``files`` and ``unparsable_lines`` (lines not in
        the format; counted, not used). ``.attrs["labels"]`` maps item id to label when a
        ``label.txt`` (lines ``label:tweet_id``) was found.

    Raises
    ------
    DataError
        The path does not exist or holds no tree file.

    References
    ----------
    .. [1] J. Ma, W. Gao, K.-F. Wong, "Detect rumors in microblog posts using propagation structure
       via kernel learning", ACL 2017.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import netlib as nl
    >>> tree = Path(tempfile.mkdtemp()) / "t1.txt"
    >>> _ = tree.write_text("['ROOT', 'ROOT', '0.0']->['u1', 't1', '0.0']\\n"
    ...                     "['u1', 't1', '0.0']->['u2', 't1', '1.5']\\n"
    ...                     "['u1', 't1', '0.0']->['u3', 't1', '4.0']\\n")
    >>> trees = nl.read_propagation_trees(tree)
    >>> print(trees[["item_id", "customer", "parent", "depth"]].to_string(index=False))  # doctest: +NORMALIZE_WHITESPACE
    item_id customer parent  depth
         t1       u1    NaN      0
         t1       u2     u1      1
         t1       u3     u1      1
    """
    from netlib._util import progress as bar
    from netlib.cascades.trees import cascades_from_trees

    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    texts: list[tuple[str, str]] = []
    label_text = None
    if path.is_file() and (path.name.endswith((".tar.gz", ".tgz", ".tar"))):
        with tarfile.open(path) as tar:
            members = [mb for mb in tar.getmembers() if mb.isfile()]
            for mb in bar(members, progress=progress, desc="trees", unit="file"):
                name = mb.name.rsplit("/", 1)[-1]
                if name == "label.txt":
                    label_text = tar.extractfile(mb).read().decode("utf-8", "replace")
                elif "/tree/" in "/" + mb.name and name.endswith(".txt"):
                    texts.append((name[:-4], tar.extractfile(mb).read().decode("utf-8", "replace")))
    elif path.is_dir():
        tree_dir = path / "tree" if (path / "tree").is_dir() else path
        for label_path in (path / "label.txt", tree_dir.parent / "label.txt"):
            if label_path.is_file():
                label_text = label_path.read_text("utf-8", "replace")
                break
        files = sorted(p for p in tree_dir.glob("*.txt") if p.name != "label.txt")
        for p in bar(files, progress=progress, desc="trees", unit="file"):
            texts.append((p.stem, p.read_text("utf-8", "replace")))
    else:
        texts.append((path.stem, path.read_text("utf-8", "replace")))
    if not texts:
        raise DataError(f"{path}: no tree files found (expected tree/*.txt)")
    texts.sort()

    items, rows, n_lines, bad = [], [], 0, 0
    for name, text in texts:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        found = [m.groups() for m in map(_TREE_LINE.fullmatch, lines) if m]
        n_lines += len(lines)
        bad += len(lines) - len(found)
        items.extend([name] * len(found))
        rows.extend(found)
    parts = pd.DataFrame(rows, columns=range(6)) if rows else pd.DataFrame(columns=range(6), dtype=object)
    item_ids = np.asarray(items, dtype=object)
    root_line = (parts[0] == "ROOT").to_numpy()
    ptime = pd.to_numeric(parts[2], errors="coerce").to_numpy(dtype=np.float64)
    ctime = pd.to_numeric(parts[5], errors="coerce").to_numpy(dtype=np.float64)
    frame = pd.DataFrame({
        "item_id": item_ids,
        "parent": np.where(root_line, None, parts[0].to_numpy(dtype=object)),
        "child": parts[3].to_numpy(dtype=object),
        "time": pd.to_timedelta(ctime, unit="min"),
        "parent_time": pd.to_timedelta(np.where(root_line, np.nan, ptime), unit="min"),
    })
    out = cascades_from_trees(frame, parent_time="parent_time")
    report = {"files": len(texts), "unparsable_lines": int(bad)}
    report.update(out.attrs["report"])
    report["lines_in"] = n_lines
    out.attrs["report"] = report
    if label_text is not None:
        labels = {}
        for ln in label_text.splitlines():
            if ":" in ln:
                lab, tid = ln.strip().split(":", 1)
                labels[tid.strip()] = lab.strip()
        out.attrs["labels"] = labels
    out.attrs["provenance"] = provenance("read_propagation_trees", path=str(path))
    return out


def twitter16_cascades(*, data_home: str | os.PathLike | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Twitter16 propagation trees as cascades, with their veracity labels.

    The trees are cleaned by :func:`read_propagation_trees` (self-loops and duplicate
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
    from netlib.cascades import cascade_metrics

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
