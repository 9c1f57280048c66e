"""Pseudonymisation: every id column hashed, identifying columns recognised by name and by content."""

from __future__ import annotations

import pandas as pd
import pytest

import netlib as nl
from netlib.errors import DataError, ParameterError
from netlib.privacy import PII_PATTERNS, identifying_columns, pseudonym, pseudonymize

SALT = "test-salt"


@pytest.fixture
def crm():
    customers = pd.DataFrame({
        "customer_id": ["C1", "C2", "C3"],
        "customer_name": ["Ada Adler", "Ben Baptiste", "Chloe Costa"],
        "Email Address": ["ada@example.org", "ben@example.org", "chloe@example.org"],
        "contact": ["+44 20 7946 0958", "+44 20 7946 0959", "(020) 7946-0960"],
        "Mobile #": ["07700 900001", "07700 900002", "07700 900003"],
        "region": ["NA", "EU", "NA"],
        "tier": ["Gold", "Silver", "Gold"],
        "referred_by": ["C2", None, "C1"],
        "visits": ["12", "3", "40"],
    })
    interactions = pd.DataFrame({"source": ["C1", "C2"], "target": ["C2", "C3"], "timestamp": [0, 10]})
    events = pd.DataFrame({"customer_id": ["C1", "C2"], "timestamp": [0, 5], "event_type": ["share", "refer"],
                           "target": ["C3", "C1"]})
    return nl.read_data({"customers": customers, "interactions": interactions, "events": events})


def test_every_column_holding_customer_ids_is_hashed(crm):
    p = pseudonymize(crm, salt=SALT)
    raw = {"C1", "C2", "C3"}
    for table in (p.customers, p.interactions, p.events):
        for column in table.columns:
            assert not set(table[column].dropna().astype(str)) & raw, f"raw id left in {column}"
    h = dict(zip(["C1", "C2", "C3"], pseudonym(["C1", "C2", "C3"], salt=SALT)))
    assert p.events["target"].tolist() == [h["C3"], h["C1"]]
    assert p.customers["referred_by"].tolist()[0] == h["C2"] and pd.isna(p.customers["referred_by"].tolist()[1])
    assert p.interactions["source"].tolist() == [h["C1"], h["C2"]]


def test_identifying_columns_are_recognised_by_name_and_content(crm):
    found = identifying_columns(crm.customers)
    assert set(found) == {"customer_name", "Email Address", "contact", "Mobile #"}
    assert "look like phone numbers" in found["contact"]
    p = pseudonymize(crm, salt=SALT)
    assert list(p.customers.columns) == ["customer_id", "region", "tier", "referred_by", "visits"]
    assert p.customers["region"].tolist() == ["NA", "EU", "NA"]  # text that means North America stays


def test_what_is_dropped_is_configurable_and_reported(crm):
    p = pseudonymize(crm, salt=SALT, keep=["contact"], patterns=[*PII_PATTERNS, r"^tier$"])
    assert "contact" in p.customers.columns and "tier" not in p.customers.columns
    notes = "\n".join(p.report.notes)
    assert "customers.tier dropped" in notes and "events.customer_id, events.target hashed" in notes
    assert "customers.customer_id, customers.referred_by hashed" in notes
    assert p.truth is None and p.source.endswith("(pseudonymized)")


def test_the_salt_maps_pseudonyms_back(crm):
    p = pseudonymize(crm, salt=SALT)
    back = dict(zip(pseudonym(crm.customers["customer_id"], salt=SALT), crm.customers["customer_id"]))
    assert [back[x] for x in p.customers["customer_id"]] == ["C1", "C2", "C3"]


def test_bad_arguments_raise_named_errors(crm):
    with pytest.raises(ParameterError, match="salt"):
        pseudonym(["C1"], salt="")
    with pytest.raises(DataError, match="CustomerData"):
        pseudonymize(crm.customers, salt=SALT)
