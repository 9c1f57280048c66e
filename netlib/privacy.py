"""Pseudonymising customer data: salted hashes for every column that holds customer ids, and identifying
columns (names, e-mail addresses, phone numbers, street addresses, …) dropped.

:func:`pseudonymize` is what ``netlib report --pseudonymize`` and ``netlib export --pseudonymize`` apply
before any analysis sees the data. Which columns it replaced or dropped, and why, is recorded in the
result's load report, so a reader of the report can check it. With the kept salt, an analyst maps
pseudonyms back to customers by hashing their own id list again: ``pseudonym(ids, salt)``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import replace

import pandas as pd

from netlib.errors import DataError, NetlibError, ParameterError

__all__ = ["PII_COLUMNS", "PII_PATTERNS", "identifying_columns", "pseudonym", "pseudonymize"]

#: Customer attribute columns always dropped (compared after normalising: lower case, runs of
#: anything but letters and digits as one ``_``).
PII_COLUMNS: tuple[str, ...] = (
    "name", "first_name", "last_name", "full_name", "display_name", "email", "e_mail", "phone",
    "phone_number", "mobile", "address", "street", "postcode", "zip", "ip", "ip_address",
)

#: Column-name patterns (regular expressions searched in the normalised name) of columns that name or
#: reach a person directly. ``Email Address``, ``customer_name``, ``Mobile #`` and ``home_street`` match.
PII_PATTERNS: tuple[str, ...] = (
    r"(^|_)(first|last|full|given|family|middle|display|user|nick|sur|customer|contact|client)?_?name(_|$)",
    r"e_?mail",
    r"(^|_)(phone|mobile|cell|telephone|tel|fax|msisdn|whatsapp)(_|$)",
    r"(^|_)(address|addr|street|house|postcode|post_code|postal_code|zip|zipcode|zip_code)(_|$)",
    r"(^|_)ip(_address|_addr)?(_|$)",
    r"(^|_)(ssn|passport|national_id|tax_id|iban|credit_card|card_number|birth_date|date_of_birth|dob)(_|$)",
    r"(^|_)(linkedin|twitter|instagram|facebook|handle|username|login)(_|$)",
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s().\-]{7,20}$")

#: Columns of the input tables that hold customer ids by definition.
_ID_COLUMNS = {"customers": ("customer_id",), "interactions": ("source", "target"), "events": ("customer_id", "target")}


def _normalised(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(name).lower()).strip("_")


def pseudonym(ids, salt: str) -> pd.Series:
    """Stable salted hashes of customer ids: ``"c"`` + the first 16 hex digits of SHA-256(salt, id).

    The same id and salt always give the same pseudonym, so tables, figures and reports made with one
    salt agree; without the salt the ids cannot be recovered by hashing candidate ids. Missing values
    stay missing. To map a pseudonymised export back, hash your own id list with the kept salt and
    join on the result.

    Examples
    --------
    >>> import netlib.privacy as pv
    >>> pv.pseudonym(["a", "b", "a"], salt="s").tolist() == pv.pseudonym(["a", "b", "a"], salt="s").tolist()
    True
    >>> pv.pseudonym(["a"], salt="s")[0] != pv.pseudonym(["a"], salt="t")[0]
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


def _looks_identifying(values: pd.Series) -> str | None:
    """'e-mail addresses' or 'phone numbers' when most non-empty values of a text column look like them."""
    text = values.dropna().astype(str).str.strip()
    text = text[text != ""]
    if len(text) == 0:
        return None
    sample = text.iloc[:2000]
    if sample.str.match(_EMAIL).mean() >= 0.8:
        return "its values look like e-mail addresses"
    digits = sample.str.count(r"\d")
    if (sample.str.match(_PHONE) & (digits >= 7)).mean() >= 0.8 and not pd.to_numeric(sample, errors="coerce").notna().all():
        return "its values look like phone numbers"
    return None


def identifying_columns(customers: pd.DataFrame, *, drop: Iterable[str] | None = None,
                        patterns: Iterable[str] | None = None, keep: Iterable[str] = ()) -> dict[str, str]:
    """Customer attribute columns that identify a person, each with the reason it was recognised.

    A column is identifying when its normalised name is in ``drop`` (default :data:`PII_COLUMNS`),
    matches one of ``patterns`` (default :data:`PII_PATTERNS`), or when most of its values look like
    e-mail addresses or phone numbers. Columns named in ``keep`` never are, nor is ``customer_id``.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib.privacy as pv
    >>> df = pd.DataFrame({"customer_id": ["1"], "Email Address": ["a@b.org"], "region": ["NA"],
    ...                    "contact": ["+44 20 7946 0958"]})
    >>> sorted(pv.identifying_columns(df))
    ['Email Address', 'contact']
    """
    names = {_normalised(c) for c in (PII_COLUMNS if drop is None else drop)}
    regexes = [re.compile(p) for p in (PII_PATTERNS if patterns is None else patterns)]
    kept = {_normalised(c) for c in keep} | {"customer_id"}
    found: dict[str, str] = {}
    for column in customers.columns:
        norm = _normalised(column)
        if norm in kept:
            continue
        if norm in names:
            found[column] = "its name is a listed identifying column"
        elif any(r.search(norm) for r in regexes):
            found[column] = "its name looks like an identifying column"
        elif customers[column].dtype == object or pd.api.types.is_string_dtype(customers[column]):
            reason = _looks_identifying(customers[column])
            if reason:
                found[column] = reason
    return found


def _id_like_columns(frame: pd.DataFrame, table: str, known: pd.Index) -> list[str]:
    """The table's id columns plus any other text column whose every non-empty value is a known customer id."""
    cols = [c for c in _ID_COLUMNS[table] if c in frame.columns]
    for column in frame.columns:
        if column in cols or not (frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column])):
            continue
        values = frame[column].dropna().astype(str)
        if len(values) and values.isin(known).all():
            cols.append(column)
    return cols


def pseudonymize(data, *, salt: str, drop: Iterable[str] | None = None, patterns: Iterable[str] | None = None,
                 keep: Iterable[str] = ()):
    """A copy of ``data`` with every column holding customer ids hashed and identifying columns dropped.

    Parameters
    ----------
    data : CustomerData
    salt : str
        Secret salt; keep it to make later reports use the same pseudonyms and to map them back.
    drop : iterable of str, optional
        Column names always dropped from the customers table (default :data:`PII_COLUMNS`).
    patterns : iterable of str, optional
        Regular expressions for identifying column names (default :data:`PII_PATTERNS`).
    keep : iterable of str
        Customer columns to keep even though they look identifying.

    Returns
    -------
    CustomerData
        Every customer-id column hashed with :func:`pseudonym`: ``customers.customer_id``,
        ``interactions.source``/``target``, ``events.customer_id``/``target``, and any other text column
        whose every value is a known customer id (a ``referred_by`` column, say); the identifying columns
        of :func:`identifying_columns` dropped; the ground truth (which names customers) left out; the load
        report's rejected rows emptied of their raw values, and one note per column replaced or dropped.

    Raises
    ------
    DataError
        ``data`` is not a CustomerData.

    Examples
    --------
    >>> import pandas as pd
    >>> import netlib as nl
    >>> import netlib.privacy as pv
    >>> data = nl.read_data({"customers": pd.DataFrame({"customer_id": ["a", "b"], "Email Address": ["x@y.org", "z@y.org"]}),
    ...                      "interactions": pd.DataFrame({"source": ["a"], "target": ["b"], "timestamp": [0]})})
    >>> p = pv.pseudonymize(data, salt="s")
    >>> list(p.customers.columns), p.interactions["target"][0] == pv.pseudonym(["b"], salt="s")[0]
    (['customer_id'], True)
    """
    from netlib.io import CustomerData

    if not isinstance(data, CustomerData):
        raise DataError(f"pseudonymize expects CustomerData, got {type(data).__name__}")
    notes: list[str] = []
    dropped = identifying_columns(data.customers, drop=drop, patterns=patterns, keep=keep)
    for column, reason in dropped.items():
        notes.append(f"pseudonymized: customers.{column} dropped ({reason})")
    known = pd.Index(data.customers["customer_id"].dropna().astype(str)).union(
        pd.Index(data.interactions["source"].dropna().astype(str))).union(
        pd.Index(data.interactions["target"].dropna().astype(str)))
    tables = {"customers": data.customers.drop(columns=list(dropped)), "interactions": data.interactions,
              "events": data.events}
    for table, frame in tables.items():
        columns = _id_like_columns(frame, table, known)
        if columns:
            tables[table] = frame.assign(**{c: pseudonym(frame[c], salt).values for c in columns})
            notes.append(f"pseudonymized: {', '.join(f'{table}.{c}' for c in columns)} hashed with the salt")
    report = data.report
    rejected = getattr(report, "rejected", None)
    if isinstance(rejected, pd.DataFrame) and len(rejected) and "value" in rejected.columns:
        report = replace(report, rejected=rejected.assign(value="<hidden>"))
    if hasattr(report, "notes"):
        report = replace(report, notes=[*report.notes, *notes])
    return replace(data, customers=tables["customers"], interactions=tables["interactions"], events=tables["events"],
                   report=report, truth=None, source=f"{data.source} (pseudonymized)")
