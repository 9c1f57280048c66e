"""The fetcher: download a dataset from its original public address, check it, store it. Private.

Nothing else in netlib touches the network. Every download goes through :data:`_urlopen`, looked up
in this module at call time: tests replace ``netlib.datasets._fetch._urlopen`` to stay offline.
"""

from __future__ import annotations

import gzip
import hashlib
import io as _stdio
import json
import os
import re
import tarfile
import tempfile
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from netlib._util import progress as _progress
from netlib._util import sha256_file
from netlib.datasets._base import DATASETS, _canonical, _home_and_origin
from netlib.errors import ChecksumError, DataError, ParameterError

__all__ = ["fetch"]

#: Where :func:`fetch` records the digest of each file it stored (inside the dataset's folder).
_RECORD = ".netlib-fetch.json"

#: The opener :func:`fetch` uses (``urllib.request.urlopen``). Tests replace it here, as
#: ``netlib.datasets._fetch._urlopen``; the package does not re-export it, so a patch of
#: ``netlib.datasets._urlopen`` fails loudly instead of silently patching nothing.
_urlopen: Callable[..., Any] = urllib.request.urlopen


def _download(url: str, folder: Path, show: bool | None) -> Path:
    """Stream ``url`` into a temporary file in ``folder`` and return its path."""
    fd, tmp = tempfile.mkstemp(prefix=".download.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                response = _urlopen(url, timeout=60)
            except OSError as exc:
                raise DataError(f"could not download {url}: {exc}") from exc
            with response:
                total = response.headers.get("Content-Length") if getattr(response, "headers", None) else None
                bar = _progress(progress=show, total=int(total) if total else None, desc=url.rsplit("/", 1)[-1],
                                unit="B")
                try:
                    for block in iter(lambda: response.read(1 << 16), b""):
                        out.write(block)
                        bar.update(len(block))
                except OSError as exc:
                    raise DataError(f"download of {url} broke off: {exc}; nothing was written") from exc
                finally:
                    bar.close()
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp)


def _member(archive: zipfile.ZipFile, wanted: str, url: str) -> bytes:
    names = [n for n in archive.namelist()
             if not n.startswith("__MACOSX/") and (n == wanted or n.endswith("/" + wanted))]
    if len(names) != 1:
        raise DataError(f"{url}: expected one member ending in {wanted!r}, found {names or 'none'}")
    return archive.read(names[0])


def _payload(spec: dict[str, Any], download: Path) -> bytes:
    """The bytes to store for one file entry, from the downloaded file."""
    url = spec["url"]
    if "pack" in spec:
        pattern = re.compile(spec["members"])
        buffer = _stdio.BytesIO()
        with zipfile.ZipFile(download) as archive:
            picked = sorted((m.group("arc"), n) for n in archive.namelist()
                            if not n.startswith("__MACOSX/") and (m := pattern.search(n)))
            if not picked:
                raise DataError(f"{url}: no archive member matches {spec['members']!r}")
            with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz, \
                    tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
                for arcname, member in picked:
                    data = archive.read(member)
                    info = tarfile.TarInfo(arcname)
                    info.size, info.mode = len(data), 0o644
                    tar.addfile(info, _stdio.BytesIO(data))
        return buffer.getvalue()
    if "member" in spec:
        with zipfile.ZipFile(download) as archive:
            data = _member(archive, spec["member"], url)
    else:
        data = download.read_bytes()
    if spec.get("decompress") == "gzip":
        data = gzip.decompress(data)
    if spec.get("compress") == "gzip":
        want = spec.get("content_sha256")
        if want and hashlib.sha256(data).hexdigest() != want:
            raise ChecksumError(f"{url}: content sha256 {hashlib.sha256(data).hexdigest()} does not match the "
                                f"expected {want}")
        data = gzip.compress(data, mtime=0)
    return data


def _check_existing(path: Path, spec: dict[str, Any], recorded: str | None) -> None:
    """Raise ChecksumError when a cached file differs from the known or recorded digest."""
    if spec.get("sha256"):
        want, got, what = spec["sha256"], sha256_file(path), "sha256"
    elif spec.get("content_sha256"):
        with gzip.open(path, "rb") as handle:
            got = hashlib.sha256(handle.read()).hexdigest()
        want, what = spec["content_sha256"], "content sha256"
    elif recorded:
        want, got, what = recorded, sha256_file(path), "sha256 recorded when it was downloaded"
    else:
        return
    if got != want:
        raise ChecksumError(f"{path}: {what} {got} does not match the expected {want}; the cached file is "
                            f"damaged or was replaced. Fetch it again with force=True.")


def _read_record(path: Path) -> dict[str, Any]:
    """The digests recorded by earlier fetches into this folder ({} when there were none)."""
    if not path.is_file():
        return {}
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read the fetch record ({exc}); delete it and fetch again with "
                        f"force=True") from exc
    if not isinstance(record, dict):
        raise DataError(f"{path}: expected a JSON object of file -> digest, found {type(record).__name__}")
    return record


def fetch(name: str, *, data_home: str | os.PathLike | None = None, force: bool = False,
          progress: bool | None = None) -> Path:
    """Download a public dataset from its original address into the data home.

    Files already present are kept (after checking their digest where one is known) unless ``force``.
    Each file is written to a temporary file beside its final name, checked, then renamed into place,
    so a failed or corrupt download never leaves a partial file behind.

    Parameters
    ----------
    name : str
        A dataset name from :data:`DATASETS` (``"email-eu-core"``, ``"higgs-twitter"``, ...).
    data_home : str or path-like, optional
        Where to store it (see :func:`data_home`).
    force : bool
        Download again even when the files are present.
    progress : bool, optional
        Show a download progress bar; by default only in terminals and notebooks.

    Returns
    -------
    pathlib.Path
        The dataset's folder.

    Raises
    ------
    ChecksumError
        A downloaded or cached file does not have the sha256 recorded in :data:`DATASETS` (or, for files
        whose original digest is unknown, the one recorded in the folder's ``.netlib-fetch.json`` when
        it was first downloaded).
    DataError
        The download failed, or an archive lacks the expected member.
    ParameterError
        An unknown name, or a graph that ships with networkx (nothing to fetch).

    Notes
    -----
    Where the sha256 of the original file is not known (``sha256: None`` in :data:`DATASETS`; the entry's
    ``note`` says why), the digest of the first download is recorded and later checks compare with it.
    This needs network access; netlib's tests never call it against the network.
    """
    from netlib.io import atomic_write

    key = _canonical(name)
    entry = DATASETS[key]
    if entry["folder"] is None:
        raise ParameterError(f"{key} ships with networkx; there is nothing to fetch (use load_graph({key!r}))")
    folder = _home_and_origin(data_home)[0] / entry["folder"]
    folder.mkdir(parents=True, exist_ok=True)
    record_path = folder / _RECORD
    record = _read_record(record_path)
    downloads: dict[str, Path] = {}
    try:
        for filename, spec in entry["files"].items():
            dest = folder / filename
            if dest.is_file() and not force:
                _check_existing(dest, spec, record.get(filename, {}).get("sha256"))
                continue
            if spec["url"] not in downloads:
                downloads[spec["url"]] = _download(spec["url"], folder, progress)
            data = _payload(spec, downloads[spec["url"]])
            got = hashlib.sha256(data).hexdigest()
            with atomic_write(dest, "wb") as handle:
                handle.write(data)
                if spec.get("sha256") and got != spec["sha256"]:
                    raise ChecksumError(f"{key}: {filename} from {spec['url']} has sha256 {got}; expected "
                                        f"{spec['sha256']}. Nothing was written.")
            record[filename] = {"url": spec["url"], "sha256": got, "verified": bool(spec.get("sha256")
                                                                                    or spec.get("content_sha256"))}
    finally:
        for tmp in downloads.values():
            tmp.unlink(missing_ok=True)
        if record:
            with atomic_write(record_path, "w", encoding="utf-8") as handle:
                json.dump(record, handle, indent=1, sort_keys=True)
    return folder
