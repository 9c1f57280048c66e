"""Propagation trees in the format of Ma, Gao & Wong (Twitter15/Twitter16), read into the cascade table.

Kept in :mod:`netlib.cascades` for now; it is meant to move beside the Twitter16 loader in
``netlib.datasets`` (``netlib.read_propagation_trees`` and ``netlib.cascades.read_propagation_trees``
stay the public names).
"""

from __future__ import annotations

import re
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd

from netlib._util import provenance
from netlib.cascades.reconstruct import cascades_from_trees
from netlib.errors import DataError

__all__ = ["read_propagation_trees"]

_TREE_LINE = re.compile(r"^[ \t]*\[[ \t]*'([^'\n]*)'[ \t]*,[ \t]*'([^'\n]*)'[ \t]*,[ \t]*'([^'\n]*)'[ \t]*\][ \t]*->"
                        r"[ \t]*\[[ \t]*'([^'\n]*)'[ \t]*,[ \t]*'([^'\n]*)'[ \t]*,[ \t]*'([^'\n]*)'[ \t]*\][ \t]*\r?$",
                        re.MULTILINE)


def read_propagation_trees(path, *, progress: bool | None = None) -> pd.DataFrame:
    """Read propagation trees in the format of Ma, Gao & Wong (Twitter15/Twitter16).

    Each tree file is named after its source tweet and holds one edge per line,
    ``['uid', 'tweet_id', 'delay']->['uid', 'tweet_id', 'delay']`` with ``delay`` in minutes after
    the source tweet; the root line's parent is ``['ROOT', 'ROOT', '0.0']``. A customer is a user
    id, an item is a tree (its file name). Lines go through :func:`cascades_from_trees` with the
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
        the :func:`cascades_from_trees` report plus ``files`` and ``unparsable_lines`` (lines not in
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
        found = _TREE_LINE.findall(text)
        lines_here = sum(1 for ln in text.splitlines() if ln.strip())
        n_lines += lines_here
        bad += lines_here - len(found)
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
