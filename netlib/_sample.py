"""The shipped sample: ``data/sample``, a synthetic customer world made by :mod:`netlib.synth`. Private.

Re-exported as ``netlib.load_sample`` and ``netlib.datasets.load_sample``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

import netlib
from netlib._util import provenance, sha256_file
from netlib.errors import ChecksumError

__all__ = ["SAMPLE_DIR", "load_sample", "data_or_sample"]

#: Where the shipped sample lives in a source checkout (absent from an installed wheel).
SAMPLE_DIR: Path = Path(netlib.__file__).resolve().parents[1] / "data" / "sample"


def _verify(folder: Path) -> None:
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        expected, name = line.split(maxsplit=1)
        path = folder / name.strip()
        if not path.is_file():
            raise ChecksumError(f"{path}: listed in SHA256SUMS but missing; regenerate the sample with "
                                f"`python -m netlib.synth --write-sample {folder}`")
        found = sha256_file(path)
        if found != expected:
            raise ChecksumError(f"{path}: sha256 is {found}, SHA256SUMS says {expected}; the file was changed. "
                                f"Regenerate it with `python -m netlib.synth --write-sample {folder}`")


def load_sample(*, verify: bool = True):
    """The shipped sample customer world, with its ground truth.

    About 2,000 customers in planted communities, tens of thousands of interactions (shares of items
    in timestamped cascades, messages, referrals) and behavioural events, made by
    :func:`netlib.synth.generate` with :data:`netlib.synth.SAMPLE_PARAMS`. ``data/sample/README.md``
    is its data card.

    Parameters
    ----------
    verify : bool
        Check every file against ``SHA256SUMS`` first.

    Returns
    -------
    CustomerData
        The validated tables with ``.truth`` (a :class:`netlib.synth.SyntheticTruth`) read from the
        truth files. When the sample folder is not there (an installed package without the source
        tree) the same world is generated from the recorded seed instead, in about a second.

    Raises
    ------
    ChecksumError
        With ``verify=True``, a file differs from its recorded checksum.

    Examples
    --------
    >>> import netlib as nl
    >>> data = nl.load_sample()
    >>> len(data.customers)
    2000
    >>> data.truth.customers["influencer"].sum() >= 3
    np.True_
    """
    from netlib.io import read_data
    from netlib.synth import SAMPLE_PARAMS, generate, read_truth

    folder = SAMPLE_DIR
    if not (folder / "SHA256SUMS").is_file():
        return generate(**SAMPLE_PARAMS, progress=False)
    if verify:
        _verify(folder)
    data = read_data(folder, errors="raise")
    customers = data.customers
    if "signup_date" in customers:
        customers["signup_date"] = pd.to_datetime(customers["signup_date"]).astype("datetime64[ns]")
    truth = read_truth(folder)
    prov = provenance("synth.generate", **truth.params)
    for frame in (data.customers, data.interactions, data.events):
        frame.attrs["provenance"] = prov
    return dataclasses.replace(data, truth=truth, source=str(folder))


def data_or_sample(data=None):
    """``data`` as CustomerData: the shipped sample for None, loaded data as is, else :func:`netlib.read_data`."""
    from netlib.io import CustomerData, read_data

    if data is None:
        return load_sample()
    if isinstance(data, CustomerData):
        return data
    return read_data(data)
