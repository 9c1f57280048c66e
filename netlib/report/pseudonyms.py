"""Pseudonymisation: salted hashes in place of customer ids, identifying columns dropped."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pandas as pd

from netlib.errors import DataError, NetlibError, ParameterError

__all__ = ["PII_COLUMNS", "pseudonym", "pseudonymize"]

#: Customer attribute columns that :func:`pseudonymize` drops (compared case-insensitively): they name
#: or reach a person directly, so hashing the id alone would not hide who the row is.
PII_COLUMNS: tuple[str, ...] = (
    "name", "first_name", "last_name", "full_name", "display_name", "email", "e_mail", "phone",
    "phone_number", "mobile", "address", "street", "postcode", "zip", "ip", "ip_address",
)

# --------------------------------------------------------------------------------------------------
# Pseudonymisation
# --------------------------------------------------------------------------------------------------


def pseudonym(ids, salt: str) -> pd.Series:
    """Stable salted hashes of customer ids: ``"c"`` + the first 16 hex digits of SHA-256(salt, id).

    The same id and salt always give the same pseudonym, so tables, figures and reports made with one
    salt agree; without the salt the ids cannot be recovered by hashing candidate ids. Missing values
    stay missing.

    Examples
    --------
    >>> pseudonym(["a", "b", "a"], salt="s").tolist() == pseudonym(["a", "b", "a"], salt="s").tolist()
    True
    >>> pseudonym(["a"], salt="s")[0] != pseudonym(["a"], salt="t")[0]
    True
    """
    if not isinstance(salt, str) or not salt:
        raise ParameterError("salt must be a non-empty string")
    values = pd.Series(ids, dtype="string")
    key = salt.encode("utf-8") + b"\x00"
    uniques = values.dropna().unique()
    table = {u: "c" + hashlib.sha256(key + u.encode("utf-8")).hexdigest()[:16] for u in uniques}
    if len(set(table.values())) != len(table):  # pragma: no cover - 64-bit collision
        raise NetlibError("pseudonym collision; use another salt")
    return values.map(table).astype("string")


def pseudonymize(data, *, salt: str, drop: tuple[str, ...] | None = None):
    """A copy of ``data`` with every customer id replaced by :func:`pseudonym` and identifying columns dropped.

    Parameters
    ----------
    data : CustomerData
    salt : str
        Secret salt; keep it to make later reports use the same pseudonyms.
    drop : tuple of str, optional
        Customer attribute columns to drop (case-insensitive); :data:`PII_COLUMNS` by default.

    Returns
    -------
    CustomerData
        ``customers.customer_id``, ``interactions.source`` / ``target`` and ``events.customer_id`` hashed;
        the ground truth (which names customers) is left out; the load report's rejected rows are
        emptied of their raw values.
    """
    from netlib.io import CustomerData

    if not isinstance(data, CustomerData):
        raise DataError(f"pseudonymize expects CustomerData, got {type(data).__name__}")
    drop_set = {c.lower() for c in (PII_COLUMNS if drop is None else drop)}
    customers = data.customers.drop(columns=[c for c in data.customers.columns
                                             if c.lower() in drop_set and c != "customer_id"])
    customers = customers.assign(customer_id=pseudonym(customers["customer_id"], salt).values)
    inter = data.interactions.assign(source=pseudonym(data.interactions["source"], salt).values,
                                     target=pseudonym(data.interactions["target"], salt).values)
    events = data.events.assign(customer_id=pseudonym(data.events["customer_id"], salt).values)
    report = data.report
    rejected = getattr(report, "rejected", None)
    if isinstance(rejected, pd.DataFrame) and len(rejected) and "value" in rejected.columns:
        report = replace(report, rejected=rejected.assign(value="<hidden>"))
    return replace(data, customers=customers, interactions=inter, events=events, report=report, truth=None,
                   source=f"{data.source} (pseudonymized)")


