"""The report's answers: assumptions estimated from the share log, communities described, exports that
hold every customer once and agree with the API, tables a person can read, and safe output folders."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import networkx as nx
import pandas as pd
import pytest

import netlib as nl
from netlib.errors import ParameterError
from netlib.report import ReportError, analyse, customer_table, describe_communities, estimate_p, export, table
from netlib.report.output import MARKER, check_target, staged_folder
from netlib.report.tables import explorer_link, humanize

EVIL = "<script>document.body.dataset.pwned=1</script>"


# ------------------------------------------------------------------------------------- assumptions


def _shares(rows):
    frame = pd.DataFrame(rows, columns=["source", "target", "timestamp", "item_id"])
    return nl.read_data({"interactions": frame})


def test_p_is_the_share_of_chances_to_pass_an_item_on_that_were_taken():
    # item x: a → b, a → c, b → d; item y: c → e. Ties (any interaction): a→b a→c a→e b→d c→a c→e e→a
    data = _shares([("a", "b", 1, "x"), ("a", "c", 2, "x"), ("b", "d", 3, "x"), ("c", "e", 4, "y"),
                    ("a", "b", 5, "x"),  # the same share again is one chance taken, not two
                    ("a", "e", 6, None), ("c", "a", 7, None), ("e", "a", 8, None)])
    a = estimate_p(data)
    # x: holders a (3 ties), b (1), c (2), d (0) → 6 chances, 3 taken; y: c (2), e (1) → 3 chances, 1 taken
    assert a.estimated and a.p == pytest.approx(4 / 9)
    assert "had 9 chances to pass it on" in a.basis and "took 4 of them" in a.basis
    assert a.p_low <= a.p / 2 + 1e-12 and a.p_high >= 2 * a.p - 1e-12
    assert "p = 44.4%" in a.sentence() and "between" in a.sentence()


def test_the_planted_pass_on_probability_lies_in_the_stated_range():
    """A synthetic world's ties fire with known probabilities. The estimate sees only ties that carried some
    interaction (and a tie that fired always did), so it leans high; the range the report states must still
    hold the planted value: the mean over the network's ties, weighted by how often each sender held an item."""
    world = nl.generate(400, seed=8)
    a = estimate_p(world)
    G = nl.build_network(world)
    ties = world.truth.ties[[G.has_edge(u, v) for u, v in zip(world.truth.ties["source"], world.truth.ties["target"])]]
    shares = world.interactions[world.interactions["item_id"].notna()]
    held = pd.concat([shares[["item_id", "source"]].set_axis(["item_id", "customer"], axis=1),
                      shares[["item_id", "target"]].set_axis(["item_id", "customer"], axis=1)]).drop_duplicates()
    weight = ties["source"].map(held["customer"].value_counts()).fillna(0)
    planted = float((ties["p"] * weight).sum() / weight.sum())
    assert a.p_low <= planted <= a.p_high
    assert planted < a.p < 2 * planted


def test_p_without_item_shares_is_assumed_and_says_so():
    data = nl.read_data({"interactions": pd.DataFrame({"source": ["a"], "target": ["b"], "timestamp": [1]})})
    a = estimate_p(data)
    assert not a.estimated and a.p == 0.05 and "no item shares" in a.basis
    given = estimate_p(data, p=0.2)
    assert given.p == 0.2 and "was given" in given.basis
    with pytest.raises(ParameterError, match="p must be in"):
        estimate_p(data, p=1.5)


# ------------------------------------------------------------------------------------ descriptions


def test_communities_are_named_by_what_their_members_share():
    # two cliques of 8: one all North/Gold, one all South/Bronze, joined by one tie
    G = nx.DiGraph()
    a = [f"a{i}" for i in range(8)]
    b = [f"b{i}" for i in range(8)]
    for grp in (a, b):
        G.add_edges_from((u, v, {"weight": 1.0}) for u in grp for v in grp if u != v)
    G.add_edge("a0", "b0", weight=1.0)
    G.add_node("loner")
    part = pd.Series({**{v: 0 for v in a}, **{v: 1 for v in b}, "loner": 2}, name="community")
    customers = pd.DataFrame({"customer_id": a + b + ["loner"],
                              "email": [f"{v}@x.org" for v in a + b + ["loner"]],
                              "region": ["North"] * 8 + ["South"] * 8 + ["North"],
                              "tier": ["Gold"] * 8 + ["Bronze"] * 8 + ["Gold"]})
    info, links = describe_communities(G, part, customers=customers)
    assert info.loc[0, "name"] == "North, Gold tier" and info.loc[1, "name"] == "South, Bronze tier"
    assert info.loc[2, "name"] == "no ties (one customer)"
    assert "North: 100% of members" in info.loc[0, "description"]
    assert info.loc[0, "internal_tie_share"] == pytest.approx(56 / 57)
    assert list(links[["community_a", "community_b", "ties"]].iloc[0]) == [0, 1, 1]
    assert "email" not in info.loc[0, "description"]  # contact columns never describe a group


# ----------------------------------------------------------------------------------------- tables


def test_tables_read_as_numbers_people_use_and_never_truncate():
    long_text = "why " * 60
    df = pd.DataFrame({"customer_id": ["C1", "C2"], "share_of_customers": [0.1234, 0.5],
                       "n_events": [1234567, 2], "time_to_50": pd.to_timedelta(["9h39m3s", "2 days 3h"]),
                       "p_value": [1.099118e-30, 0.2], "is_seed": [True, False], "why": [long_text, "x"],
                       "first": pd.to_datetime(["2024-02-03 23:58", "2024-02-04 00:00"])}).set_index("customer_id")
    h = humanize(df)
    assert list(h["share_of_customers"]) == ["12.3%", "50.0%"]
    assert list(h["n_events"]) == ["1,234,567", "2"]
    assert list(h["time_to_50"]) == ["9 h 39 min", "2.1 days"]
    assert list(h["p_value"]) == ["< 0.001", "0.2"]
    assert list(h["is_seed"]) == ["yes", ""]
    assert h.loc[0, "why"] == long_text  # full text
    assert h.loc[0, "first"] == "03 Feb 2024 23:58"


def test_table_cells_are_escaped_and_ids_link_to_the_explorer():
    t = table(pd.DataFrame({"customer_id": [EVIL, "a b/c"], "note": [EVIL, "ok"]}).set_index("customer_id"))
    cells = t.cells()
    assert list(cells.columns) == ["Customer", "Note"]
    assert EVIL not in "".join(cells.to_numpy().ravel())
    assert cells.iloc[1, 0] == '<a class="customer" href="explorer.html#customer=a%20b%2Fc">a b/c</a>'
    assert "&lt;script&gt;" in cells.iloc[0, 1]
    page = t.to_html()
    assert EVIL not in page and "connected" not in page.split("dt_args", 1)[-1][:0]
    assert explorer_link("x&y") == '<a class="customer" href="explorer.html#customer=x%26y">x&amp;y</a>'


# ---------------------------------------------------------------------------------------- exports


@pytest.fixture(scope="module")
def world_findings():
    data = nl.generate(120, seed=4)
    return data, analyse(data, k=4, seed=2, runs=100)


@pytest.mark.slow
def test_exports_hold_every_customer_once_and_agree_with_the_api(world_findings, tmp_path):
    data, f = world_findings
    ct = customer_table(f)
    assert ct.index.name == "customer_id" and ct.index.is_unique
    assert set(ct.index) == set(data.customers["customer_id"])
    G = nl.build_network(data)
    ranking = nl.influencers(G, top=None, p=f.assumptions.p, seed=2)
    assert ct["influence_rank"].astype(int).to_dict() == ranking["rank"].to_dict()
    part = nl.communities(G, seed=2)
    assert ct["community"].astype(int).to_dict() == part.to_dict()
    assert ct["is_seed"].sum() == 4 and set(ct.index[ct["is_seed"]]) == set(f.seeds)
    assert "customer_segment" in ct.columns and "segment" in ct.columns  # the file's own segment kept apart
    assert ct["community_name"].notna().all()
    result = export(f, tmp_path)
    back = pd.read_csv(result.csv["customers"], dtype={"customer_id": str}).set_index("customer_id")
    assert len(back) == len(ct) and back.index.is_unique
    book = pd.read_excel(result.workbook, sheet_name=None)
    assert {"customers", "communities", "seeds", "data_dictionary"} <= set(book)
    assert len(book["customers"]) == len(ct)
    dictionary = book["data_dictionary"]
    listed = set(zip(dictionary["table"], dictionary["column"]))
    for name, path in result.csv.items():
        cols = pd.read_csv(path, nrows=0).columns
        assert all((name, c) in listed for c in cols), name
    vague = dictionary[dictionary["meaning"].str.len() <= 12]
    assert vague.empty, f"columns the data dictionary does not explain: {vague[['table', 'column']].values.tolist()}"


@pytest.mark.slow
def test_workbook_keeps_formulas_as_text_and_pseudonymised_exports_say_how_to_map_back(tmp_path):
    from openpyxl import load_workbook

    data = nl.generate(80, seed=6)
    customers = data.customers.copy()
    customers.loc[0, "region"] = '=HYPERLINK("http://x","y")'
    data = nl.read_data({"customers": customers, "interactions": data.interactions, "events": data.events})
    result = export(data, tmp_path / "p", pseudonymize=True, salt="s3cret", k=3, runs=50, seed=1)
    ws = load_workbook(result.workbook)["customers"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    ids = pd.read_csv(result.csv["customers"], dtype=str)["customer_id"]
    assert ids.str.fullmatch(r"c[0-9a-f]{16}").all()
    assert set(ids) == set(nl.report.pseudonym(data.customers["customer_id"], salt="s3cret"))
    readme = result.readme.read_text()
    assert "pseudonym(my_ids, salt=SALT)" in readme
    with pytest.raises(ParameterError, match="salt"):
        export(data, tmp_path / "q", pseudonymize=True)


# ------------------------------------------------------------------------------------- safe output


def test_target_folder_is_checked_before_any_work(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("x")
    with pytest.raises(ReportError, match="holds files that netlib did not write.*thesis.docx"):
        check_target(tmp_path / "mine")
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o555)
    try:
        if os.access(ro, os.W_OK):  # root ignores permission bits
            pytest.skip("running as root: permission bits do not stop writes")
        with pytest.raises(ReportError, match="not writable"):
            check_target(ro / "report")
    finally:
        os.chmod(ro, 0o755)


def test_staging_swaps_in_whole_and_locks(tmp_path):
    out = tmp_path / "report"
    with staged_folder(out) as stage:
        (stage / "a.html").write_text("one")
        (stage / "b.html").write_text("one")
        assert not out.exists()
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "a.html", "b.html"]
    with staged_folder(out) as stage:  # a smaller second run leaves no stale page behind
        (stage / "a.html").write_text("two")
        with pytest.raises(ReportError, match="another netlib run is writing"):
            with staged_folder(out):
                pass
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "a.html"]
    with pytest.raises(RuntimeError):
        with staged_folder(out) as stage:
            (stage / "a.html").write_text("three")
            raise RuntimeError("failed half-way")
    assert (out / "a.html").read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir() if "staging" in p.name or "old" in p.name) == []


def test_sigterm_while_writing_leaves_no_partial_files(tmp_path):
    out = tmp_path / "report"
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from netlib.report.output import staged_folder
        with staged_folder(Path({str(out)!r})) as stage:
            (stage / "page.html").write_text("x" * 1000)
            print("writing", flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    time.sleep(0.1)
    assert proc.returncode != 0
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith("netlib-lock")] == []


def test_a_long_table_shows_its_first_rows_and_says_how_many_there_are():
    df = pd.DataFrame({"size": range(2500, 0, -1)}, index=pd.Index([f"C{i}" for i in range(2500)], name="customer_id"))
    t = table(df, caption="Customers, largest first", whole="customers.csv")
    assert t.caption == "Customers, largest first (the first 1,000 of 2,500 rows; all of them in customers.csv)"
    cells = t.cells()
    assert len(cells) == 1000 and cells.iloc[-1, 1] == "1,501"  # the first 1,000 rows, in the order given
    assert len(table(df, max_rows=None).cells()) == 2500
    assert table(df.head(3), caption="Three").caption == "Three"  # short tables say nothing more
    with pytest.raises(ParameterError, match="max_rows"):
        table(df, max_rows=0)


def test_communities_of_a_customer_network_are_described_as_of_its_networkx_graph():
    net = nl.customer_network(nl.load_sample())
    part = nl.communities(net, seed=5)
    ranking = nl.influencers(net, top=None, p=0.05, seed=5, rr_sets=20_000)
    a = describe_communities(net, part, customers=nl.load_sample().customers, ranking=ranking)
    b = describe_communities(net.to_networkx(), part, customers=nl.load_sample().customers, ranking=ranking)
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])
    # the three members listed first are the community's best ranked
    for c, row in a[0].head(5).iterrows():
        members = ranking["rank"].reindex(part.index[part == c]).sort_values(kind="stable")
        assert row["top_influencers"] == ", ".join(members.index[:3])
