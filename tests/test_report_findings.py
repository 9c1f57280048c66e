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
    return nl.read_data({"interactions": pd.DataFrame(rows, columns=["source", "target", "timestamp", "item_id"])})


def test_p_is_the_share_of_exposures_that_led_to_adoption():
    # item x: a shares to b, c, d; b shares on (to e), e on to f, c on to b late; d and f never share.
    data = _shares([("a", "b", 1, "x"), ("a", "c", 2, "x"), ("a", "d", 3, "x"), ("b", "e", 4, "x"),
                    ("e", "f", 5, "x"),
                    # exposures after the receiver had already shared are not trials: b shared x at t=4
                    ("c", "b", 9, "x"),
                    # another item, one exposure, no adoption
                    ("a", "b", 6, "y")])
    a = estimate_p(data)
    # trials: a→b ✓, a→c ✓, a→d, b→e ✓, e→f, a→b(y)  → 3 of 6
    assert a.estimated and a.p == pytest.approx(3 / 6)
    assert "of 6 exposures" in a.basis and "3 led to" in a.basis
    assert a.p_low <= a.p / 2 + 1e-12 and a.p_high >= 2 * a.p - 1e-12
    assert "p = 50.0%" in a.sentence() and "between" in a.sentence()


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
    ranking = nl.influencers(G, k=None, p=f.assumptions.p, seed=2)
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
    assert (dictionary["meaning"].str.len() > 10).all()


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
