"""Tests for netlib.patterns.suggest: keyword rules for unknown event types, and their use in profiles."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from _patterns_data import _log, realistic_export

import netlib as nl
from netlib.errors import DataError, ParameterError, SchemaError, UnmappedEventTypesWarning
from netlib.patterns import (
    BEHAVIOURS,
    load_taxonomy,
    pattern_profiles,
    segments,
    strategy_playbook,
    suggest_taxonomy,
    taxonomy_from_suggestions,
)

# the seven event names of the realistic export in issue 14, and what the documented rules make of them
EXPORT_NAMES = {
    "review_posted": ("connect", "object keyword 'review' → connect"),
    "product_configured": ("customize", "action keyword 'configure' (as 'configured') → customize"),
    "forum_reply": ("collaborate", "object keyword 'forum' → collaborate (over action keyword 'reply' → connect)"),
    "co_design_submission": ("collaborate", "object keyword 'co_design' → collaborate"),
    "page_view": ("access", "object keyword 'page' → access (over action keyword 'view' → engage)"),
    # a wishlist is the customer's own curated selection (the shipped taxonomy: wishlist -> customize)
    "wishlist_add": ("customize", "object keyword 'wishlist' → customize"),
    # a newsletter is content taken in (the shipped taxonomy: email_open -> engage)
    "newsletter_open": ("engage", "object keyword 'newsletter' → engage (over action keyword 'open' → engage)"),
}


def _events(names):
    return pd.DataFrame({"event_type": list(names)})


def test_the_seven_export_names_map_as_documented_by_the_rules_alone():
    # a taxonomy that knows none of them: every behaviour below comes from a rule
    table = suggest_taxonomy(_events(EXPORT_NAMES), taxonomy={"login": "access"})
    assert (table["source"] == "rule").all() and not table["ambiguous"].any()
    for name, (behaviour, rule) in EXPORT_NAMES.items():
        assert table.loc[name, "behaviour"] == behaviour, name
        assert table.loc[name, "rule"].startswith(rule.split(" (over")[0]), (name, table.loc[name, "rule"])


def test_rule_texts_name_the_keyword_and_what_it_outranked():
    table = suggest_taxonomy(_events(EXPORT_NAMES), taxonomy={"login": "access"})
    assert table.loc["forum_reply", "rule"] == EXPORT_NAMES["forum_reply"][1]
    assert table.loc["product_configured", "rule"] == EXPORT_NAMES["product_configured"][1]
    assert table.loc["page_view", "rule"] == EXPORT_NAMES["page_view"][1]
    assert table.loc["review_posted", "rule"] == EXPORT_NAMES["review_posted"][1]


def test_with_the_default_taxonomy_known_types_come_from_the_taxonomy():
    table = suggest_taxonomy(_events(list(EXPORT_NAMES) + ["login", "logout"]))
    assert table.loc["page_view", "source"] == "taxonomy"
    assert table.loc["page_view", "rule"] == "taxonomy: 'page_view' → access"
    assert table.loc["logout", "behaviour"] == "ignore" and table.loc["logout", "source"] == "taxonomy"
    assert set(table.loc[table["source"] == "rule"].index) == set(EXPORT_NAMES) - {"page_view"}
    for name, (behaviour, _) in EXPORT_NAMES.items():
        assert table.loc[name, "behaviour"] == behaviour


def test_ambiguous_names_are_reported_not_guessed():
    table = suggest_taxonomy(_events(["video_review", "share_watch", "forum_review_post"]))
    amb = table.loc["video_review"]
    assert amb["ambiguous"] and pd.isna(amb["behaviour"]) and amb["source"] == "unmapped"
    assert amb["rule"] == "ambiguous: object keyword 'video' → engage; object keyword 'review' → connect"
    assert table.loc["share_watch", "ambiguous"]  # two action keywords of two behaviours
    # two objects of different behaviours are ambiguous even when the action agrees with one of them
    assert table.loc["forum_review_post", "ambiguous"]


def test_precedence_system_over_object_over_action_and_inflections():
    names = ["app_crash", "forum_logout", "poll_vote", "idea_upvoted", "Submitted-Idea", "photo_shared",
             "checkout_completed", "Co-Design Submission", "unboxing", "replied", "stories_tagged"]
    table = suggest_taxonomy(_events(names), taxonomy={})
    got = table["behaviour"].to_dict()
    assert got["app_crash"] == "ignore" and got["forum_logout"] == "ignore"
    assert got["poll_vote"] == "engage"  # object 'poll' outranks action 'vote' (collaborate)
    assert got["idea_upvoted"] == "collaborate" and got["Submitted-Idea"] == "collaborate"
    assert got["photo_shared"] == "connect" and got["replied"] == "connect"  # -ed and -y -> -ied
    assert got["checkout_completed"] == "access" and got["Co-Design Submission"] == "collaborate"
    assert got["stories_tagged"] == "engage"  # object 'story' (-y -> -ies) outranks action 'tag' (doubled g)
    assert pd.isna(got["unboxing"]) and table.loc["unboxing", "rule"] == "no keyword matches"


def test_counts_shares_order_index_and_dtypes():
    ev = _events(["login"] * 3 + ["review_posted"] * 2 + ["unboxing"] + [None])
    table = suggest_taxonomy(ev)
    assert table.index.name == "event_type"
    assert table.index.tolist() == ["login", "review_posted", "<missing>", "unboxing"]
    assert table["count"].tolist() == [3, 2, 1, 1] and table["count"].dtype == np.int64
    assert table["share"].tolist() == pytest.approx([3 / 7, 2 / 7, 1 / 7, 1 / 7])
    assert table.loc["<missing>", "source"] == "unmapped"
    assert list(table.columns) == ["count", "share", "behaviour", "source", "rule", "ambiguous"]
    assert set(table["behaviour"].dropna()) <= set(BEHAVIOURS) | {"ignore"}


def test_customerdata_input_and_errors(hand_data):
    table = suggest_taxonomy(hand_data)
    assert table["count"].sum() == len(hand_data.events)
    with pytest.raises(SchemaError, match=r"\['event_type'\] missing"):
        suggest_taxonomy(pd.DataFrame({"type": ["x"]}))
    with pytest.raises(ParameterError, match="got list"):
        suggest_taxonomy(["login"])


@pytest.fixture
def hand_data():
    customers = pd.DataFrame({"customer_id": ["a", "b"]})
    events = _log([("a", "2024-01-01", "login"), ("b", "2024-01-02", "review_posted")])
    return nl.read_data({"customers": customers, "events": events})


def test_custom_rules_and_rule_file_errors(tmp_path):
    rules = {"system": ["noise"], "object": {"connect": ["gift"]}, "action": {"engage": ["unbox"]}}
    table = suggest_taxonomy(_events(["gift_unboxed", "unboxing", "noise_gift", "review_posted"]),
                             taxonomy={}, rules=rules)
    got = table["behaviour"]
    assert got["gift_unboxed"] == "connect" and got["unboxing"] == "engage" and got["noise_gift"] == "ignore"
    assert pd.isna(got["review_posted"])  # the default rules are replaced, not extended
    path = tmp_path / "rules.yaml"
    path.write_text("object:\n  connect: [gift]\n  engage: [gifts]\n")
    with pytest.raises(ParameterError, match="two behaviours at one level.*'gifts'"):
        suggest_taxonomy(_events(["x"]), rules=path)
    path.write_text("objects:\n  connect: [gift]\n")
    with pytest.raises(ParameterError, match=r"unknown level\(s\) \['objects'\]"):
        suggest_taxonomy(_events(["x"]), rules=path)
    path.write_text("object:\n  sharing: [gift]\n")
    with pytest.raises(ParameterError, match=r"unknown behaviour name\(s\) \['sharing'\]"):
        suggest_taxonomy(_events(["x"]), rules=path)
    with pytest.raises(ParameterError, match="no keyword given"):
        suggest_taxonomy(_events(["x"]), rules={"object": {"connect": []}})
    with pytest.raises(DataError, match="rules file not found"):
        suggest_taxonomy(_events(["x"]), rules=tmp_path / "none.yaml")


def test_taxonomy_from_suggestions_review_round_trip(tmp_path):
    ev = _events(["login", "review_posted", "video_review", "unboxing_clip", None])
    table = suggest_taxonomy(ev)
    tax = taxonomy_from_suggestions(table)
    assert tax == {"login": "access", "review_posted": "connect"}
    assert taxonomy_from_suggestions(table, accept="taxonomy") == {"login": "access"}
    fixed = taxonomy_from_suggestions(table, overrides={"video_review": "connect", "Unboxing Clip": "engage"})
    assert fixed == {"login": "access", "review_posted": "connect", "video_review": "connect",
                     "unboxing_clip": "engage"}
    # the table itself and the table saved as CSV load as taxonomies; undecided rows are left out
    assert load_taxonomy(table) == tax
    path = tmp_path / "suggestions.csv"
    table.to_csv(path)
    assert load_taxonomy(path) == tax
    with pytest.raises(ParameterError, match="accept"):
        taxonomy_from_suggestions(table, accept=("rules",))
    with pytest.raises(ParameterError, match="unknown behaviour"):
        taxonomy_from_suggestions(table, overrides={"unboxing_clip": "watching"})
    with pytest.raises(ParameterError, match="suggest_taxonomy"):
        taxonomy_from_suggestions(pd.DataFrame({"x": [1]}))


def test_profiles_suggest_mode_records_and_warns():
    ev = _log([("a", "2024-01-01", "login"), ("a", "2024-01-02", "review_posted"),
               ("b", "2024-01-03", "forum_reply"), ("b", "2024-01-04", "video_review")])
    with pytest.warns(UnmappedEventTypesWarning) as caught:
        prof = pattern_profiles(ev, on_unmapped="suggest")
    message = str(caught[0].message)
    assert "'review_posted' → connect (1)" in message and "'forum_reply' → collaborate (1)" in message
    assert "'video_review' (1)" in message  # still unmapped, said so
    assert prof.attrs["suggested"] == {"forum_reply": 1, "review_posted": 1}
    assert prof.attrs["unmapped"] == {"video_review": 1}
    sugg = prof.attrs["taxonomy_suggestions"]
    pd.testing.assert_frame_equal(sugg, suggest_taxonomy(ev))
    assert prof.loc["a", "connect"] == 0.5 and prof.loc["b", "collaborate"] == 1.0
    assert prof.loc["b", "unmapped_count"] == 1 and prof.loc["a", "unmapped_count"] == 0
    # the same as profiling with the accepted suggestions as the taxonomy
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnmappedEventTypesWarning)
        explicit = pattern_profiles(ev, taxonomy_from_suggestions(sugg))
    cols = [*BEHAVIOURS, *(f"{b}_count" for b in BEHAVIOURS), "n_events", "unmapped_count"]
    pd.testing.assert_frame_equal(prof[cols], explicit[cols])
    # the other modes are unchanged: nothing suggested, no suggestion table
    quiet = pattern_profiles(ev, on_unmapped="ignore")
    assert quiet.attrs["suggested"] == {} and "taxonomy_suggestions" not in quiet.attrs
    assert quiet.attrs["unmapped"] == {"review_posted": 1, "forum_reply": 1, "video_review": 1}


def test_realistic_export_with_39_percent_unknown_events_is_no_longer_all_access():
    """Issue 14: 39% of a real export's events were unknown; ignored, 94% of customers came out "access"."""
    events, planted = realistic_export()
    unknown = ~events["event_type"].isin(list(load_taxonomy()))
    assert unknown.mean() == pytest.approx(0.39, abs=0.01)
    ignored = pattern_profiles(events, on_unmapped="ignore")
    assert (ignored["dominant"] == "access").mean() > 0.9  # the failure as reported
    with pytest.warns(UnmappedEventTypesWarning, match="mapped by keyword rules"):
        prof = pattern_profiles(events, on_unmapped="suggest")
    assert prof.attrs["events"]["unmapped"] == 0
    assert (prof["dominant"] == "access").mean() < 0.5
    planted = planted.loc[prof.index]
    for behaviour in BEHAVIOURS:
        members = planted == behaviour
        hit = (prof.loc[members, "dominant"] == behaviour).mean()
        assert hit > 0.75, (behaviour, hit)
    # the contributors (reviews and co-designs only) are connect or collaborate customers
    contributors = prof.loc[planted == "contributors", "dominant"]
    assert len(contributors) > 0 and contributors.isin(["connect", "collaborate"]).all()


@pytest.mark.slow
def test_playbook_does_not_recommend_reactivating_customers_whose_events_are_unmapped():
    """Page 6 of the report recommended re-activating customers who post reviews and submit co-designs."""
    events, planted = realistic_export()
    contributors = planted.index[planted == "contributors"]
    ignored = pattern_profiles(events, on_unmapped="ignore")
    seg = segments(ignored, k=3, seed=0)
    assert (seg.loc[contributors, "segment"] == -2).all()
    assert (seg.loc[contributors, "segment_name"] == "unprofiled").all()
    book = strategy_playbook(ignored, seg)
    assert book.index[-1] == -2 and -1 not in book.index
    row = book.loc[-2]
    assert pd.isna(row["behaviour"]) and row["strategy"] == "Map their events before choosing a strategy"
    assert row["n_customers"] == len(contributors)
    assert "all of types the taxonomy does not map" in row["evidence"]
    assert not book["strategy"].str.contains("Re-activate").any()
    # with the suggestions applied they are profiled: connect and collaborate segments, no re-activation
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnmappedEventTypesWarning)
        prof = pattern_profiles(events, on_unmapped="suggest")
    seg = segments(prof, k=5, seed=0)
    book = strategy_playbook(prof, seg)
    assert (seg["segment"] >= 0).all() and not book["strategy"].str.contains("Re-activate").any()
    lead = book["behaviour"].reindex(seg.loc[contributors, "segment"]).to_numpy()
    assert set(lead) <= {"connect", "collaborate"}


def test_playbook_mixed_no_event_segment_is_not_told_to_reactivate():
    idx = pd.Index(["p", "q", "r"], name="customer_id")
    prof = pd.DataFrame({b: [1.0 if b == "access" else 0.0, np.nan, np.nan] for b in BEHAVIOURS}, index=idx)
    prof["unmapped_count"] = [0, 4, 0]
    book = strategy_playbook(prof, {"p": 0, "q": -1, "r": -1})
    assert book.loc[-1, "strategy"] == "Map their events before choosing a strategy"
    assert book.loc[-1, "evidence"] == ("2 customers (67%): 1 of them have 4 event(s) in the window, all of "
                                        "types the taxonomy does not map; the other 1 have no behavioural event")
    prof["unmapped_count"] = 0
    assert strategy_playbook(prof, {"p": 0, "q": -1, "r": -1}).loc[-1, "strategy"] == "Re-activate through access"
