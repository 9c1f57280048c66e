"""Tests for netlib.patterns.taxonomy: BEHAVIOURS, normalisation, the default taxonomy, load_taxonomy."""

from __future__ import annotations

import pandas as pd
import pytest

from netlib.errors import DataError, ParameterError, SchemaError
from netlib.patterns import BEHAVIOURS, default_taxonomy, load_taxonomy, normalize_event_type


def test_default_taxonomy_covers_the_brief_and_only_names_behaviours():
    tax = default_taxonomy()
    expected = {
        "access": ["login", "app_open", "search", "page_view"],
        "engage": ["view", "like", "comment", "watch"],
        "customize": ["save_preference", "wishlist", "configure", "subscribe"],
        "connect": ["share", "refer", "review", "message", "follow"],
        "collaborate": ["co_create", "forum_answer", "idea_vote", "join_project"],
    }
    for behaviour, types in expected.items():
        for t in types:
            assert tax[t] == behaviour
    assert set(tax.values()) == set(BEHAVIOURS) | {"ignore"}
    assert tax["logout"] == "ignore"
    assert all(k == normalize_event_type(k) for k in tax)


def test_normalize_event_type():
    assert normalize_event_type(" Page-View ") == "page_view"
    assert normalize_event_type("CO  create") == "co_create"


def test_load_taxonomy_both_dict_forms_agree():
    a = load_taxonomy({"Login": "access", "gift": "connect", "heartbeat": None})
    b = load_taxonomy({"access": ["login"], "connect": ["gift"], "ignore": ["heartbeat"]})
    assert a == b == {"login": "access", "gift": "connect", "heartbeat": "ignore"}
    assert load_taxonomy(pd.Series({"x": "engage"})) == {"x": "engage"}


def test_load_taxonomy_unknown_behaviours_are_all_named():
    with pytest.raises(ParameterError, match=r"\['acess', 'sharing'\]"):
        load_taxonomy({"login": "acess", "share": "sharing", "like": "engage"})
    with pytest.raises(ParameterError, match="'shopping'"):
        load_taxonomy({"shopping": ["buy"]})


def test_load_taxonomy_rejects_conflicts_and_mixed_forms_and_bad_kinds(tmp_path):
    with pytest.raises(ParameterError, match="more than one behaviour.*'share'"):
        load_taxonomy({"connect": ["share"], "engage": ["Share"]})
    with pytest.raises(ParameterError, match="mixes the two forms"):
        load_taxonomy({"login": "access", "connect": ["share"]})
    with pytest.raises(ParameterError, match="got int"):
        load_taxonomy(3)
    with pytest.raises(DataError, match="taxonomy file not found: .*nope.yaml"):
        load_taxonomy(tmp_path / "nope.yaml")
    bad = tmp_path / "tax.json"
    bad.write_text("{}")
    with pytest.raises(DataError, match="unknown file type"):
        load_taxonomy(bad)


def test_load_taxonomy_from_yaml_and_csv(tmp_path):
    y = tmp_path / "tax.yaml"
    y.write_text("access: [checkout]\nconnect:\n  - gift\n")
    assert load_taxonomy(y) == {"checkout": "access", "gift": "connect"}
    y2 = tmp_path / "flat.yml"
    y2.write_text("Gift Card: connect\nunbox: engage\n")
    assert load_taxonomy(y2) == {"gift_card": "connect", "unbox": "engage"}
    c = tmp_path / "tax.csv"
    c.write_text("event_type,behaviour\ncheckout,access\ngift,connect\nping,\n")
    assert load_taxonomy(c) == {"checkout": "access", "gift": "connect", "ping": "ignore"}
    c2 = tmp_path / "bad.csv"
    c2.write_text("type,kind\nx,access\n")
    with pytest.raises(SchemaError, match="'event_type' and 'behaviour'"):
        load_taxonomy(c2)
    c3 = tmp_path / "bad2.csv"
    c3.write_text("event_type,behaviour\nx,acces\n")
    with pytest.raises(ParameterError, match="'acces'"):
        load_taxonomy(c3)
    y3 = tmp_path / "bad.yaml"
    y3.write_text("- just\n- a list\n")
    with pytest.raises(DataError, match="expected a mapping"):
        load_taxonomy(y3)


def test_load_taxonomy_extend_keeps_default():
    tax = load_taxonomy({"like": "connect", "gift": "connect"}, extend=True)
    assert tax["like"] == "connect" and tax["gift"] == "connect" and tax["login"] == "access"


# ---------------------------------------------------------------------------------------------- profiles
