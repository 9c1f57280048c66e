"""Reports: pseudonymisation, escaping, offline rendering, failures that name the notebook and cell,
static figures. The slow tests run notebooks in real kernels on a small synthetic world."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from _browser import chromium, errors, render, rendered_figures

import netlib as nl
from netlib import report
from netlib.errors import DataError, NetlibError, ParameterError
from netlib.report import (
    ReportError,
    build_report,
    export_html,
    pseudonym,
    pseudonymize,
)

ATTACK = 'document.body.setAttribute("data-pwned", "{}")'
EVIL_ID = "<script>" + ATTACK.format("id") + "</script>"
EVIL_ITEM = "<b>item</b><script>" + ATTACK.format("item") + "</script>"
EVIL_EVENT = "<script>" + ATTACK.format("event") + "</script>"
EVIL_TEXT = "<img src=x onerror='" + ATTACK.format("attr") + "'>"
PWNED = re.compile(r"<body[^>]*data-pwned")
SALT = "test-salt"


def _small_world():
    from netlib.synth import generate

    return generate(150, seed=3)


def _evil_world():
    """A small synthetic world whose busiest customer, one item and one event type carry markup."""
    d = _small_world()
    busiest = d.interactions["source"].value_counts().index[0]
    item = d.interactions["item_id"].dropna().value_counts().index[0]

    def ren(col):
        return col.astype(object).where(col != busiest, EVIL_ID).astype("string")

    customers = d.customers.assign(customer_id=ren(d.customers["customer_id"]))
    customers["segment"] = customers["segment"].astype(object)
    customers.loc[customers.index[:10], "segment"] = EVIL_TEXT
    inter = d.interactions.assign(source=ren(d.interactions["source"]), target=ren(d.interactions["target"]))
    inter["item_id"] = inter["item_id"].astype(object).where(inter["item_id"] != item, EVIL_ITEM)
    events = d.events.assign(customer_id=ren(d.events["customer_id"]))
    events["event_type"] = events["event_type"].astype(object)
    events.loc[events.index[:40], "event_type"] = EVIL_EVENT
    data = nl.read_data({"customers": customers, "interactions": inter, "events": events})
    return data, busiest


# ------------------------------------------------------------------------------------ pseudonyms


def test_pseudonym_is_stable_salted_and_keeps_missing():
    a = pseudonym(["C1", "C2", "C1", None], salt="s")
    assert a[0] == a[2] != a[1] and pd.isna(a[3])
    assert re.fullmatch(r"c[0-9a-f]{16}", a[0])
    assert pseudonym(["C1"], salt="s")[0] == a[0]
    assert pseudonym(["C1"], salt="t")[0] != a[0]
    with pytest.raises(ParameterError, match="salt"):
        pseudonym(["C1"], salt="")


def test_pseudonymize_hashes_every_id_consistently_and_drops_names():
    d = _small_world()
    p = pseudonymize(d, salt=SALT)
    raw = set(d.customers["customer_id"])
    assert "name" in d.customers.columns and "name" not in p.customers.columns
    assert "segment" in p.customers.columns  # not identifying: kept
    ids = set(p.customers["customer_id"])
    assert not ids & raw and len(ids) == len(raw)
    assert set(p.interactions["source"]) | set(p.interactions["target"]) <= ids
    assert set(p.events["customer_id"]) <= ids
    assert p.truth is None and "pseudonymized" in p.source
    # the same customer maps to the same pseudonym in every table
    first = d.interactions["source"].iloc[0]
    assert p.interactions["source"].iloc[0] == pseudonym([first], salt=SALT)[0]
    # the network is the same network, relabelled
    G, H = nl.build_network(d), nl.build_network(p)
    assert (G.number_of_nodes(), G.number_of_edges()) == (H.number_of_nodes(), H.number_of_edges())
    with pytest.raises(DataError, match="CustomerData"):
        pseudonymize(d.customers, salt=SALT)


# ------------------------------------------------------------------------------- suite plumbing


def test_notebook_paths_resolve_names_numbers_and_paths(tmp_path):
    paths = report.notebook_paths()
    assert [p.stem for p in paths] == list(report.NOTEBOOKS)
    assert [p.stem for p in report.notebook_paths(["03", "01_build_network"])] == ["03_communities", "01_build_network"]
    nb = tmp_path / "mine.py"
    nb.write_text("# %%\nx = 1\n")
    assert report.notebook_paths([nb]) == [nb]
    with pytest.raises(ParameterError, match="unknown notebook '99'"):
        report.notebook_paths(["99"])


def test_every_suite_notebook_declares_the_shared_parameters_and_has_no_outputs():
    for path in report.notebook_paths():
        nb = report.read_notebook(path)
        assert {"data_path", "seed", "k"} <= report.notebooks._declared_parameters(nb), path.name
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path.name
        title, summary = report.notebooks._title_and_summary(nb, path.stem)
        assert title[0].isdigit() and summary, path.name


def _executed_notebook():
    """A notebook as a report kernel leaves it: a markdown cell, a table and a figure output."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Title\nSome words."))
    table = pd.DataFrame({"customer": [EVIL_ID]}).to_html()
    code = nbformat.v4.new_code_cell("secret_code_marker = 1\ntable")
    code.outputs = [nbformat.v4.new_output("execute_result", data={"text/html": table, "text/plain": "t"},
                                           execution_count=1),
                    nbformat.v4.new_output("stream", name="stderr", text="progress noise")]
    fig = go.Figure(go.Bar(x=[EVIL_ID], y=[1]))
    div = pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id="netlib-figure-1")
    figcell = nbformat.v4.new_code_cell("fig")
    figcell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": div})]
    nb.cells += [code, figcell]
    return nb


def test_export_html_hides_code_escapes_data_and_loads_nothing_from_the_network():
    page = export_html(_executed_notebook(), title=EVIL_ID, nav="<nav>n</nav>", footer="<footer>f</footer>")
    assert "secret_code_marker" not in page and "progress noise" not in page
    assert EVIL_ID not in page
    assert html.escape(EVIL_ID, quote=False) in page or "&lt;script&gt;" in page
    assert not re.search(r"<script[^>]+src=\"https?:", page)  # no CDN: no require.js, MathJax, mermaid
    assert not re.search(r"<link[^>]+href=\"https?:", page)
    assert len(re.findall(r'<script[^>]*src="plotly.min.js"', page)) == 1
    assert page.count('id="netlib-figure-1"') == 1
    shown = export_html(_executed_notebook(), show_code=True, plotlyjs="inline")
    assert "secret_code_marker" in shown
    assert 'src="plotly.min.js"' not in shown and shown.count("Plotly.newPlot") >= 1
    assert len(shown) > 3_000_000  # plotly.js itself, once
    with pytest.raises(ParameterError, match="beside"):
        export_html(_executed_notebook(), plotlyjs="cdn")


def test_own_pages_escape_everything():
    from netlib.report.pages import banners, page
    from netlib.report.summary import note_html

    shell = page(EVIL_ID, banners(EVIL_TEXT, [EVIL_ID], [EVIL_TEXT]))
    note = note_html(EVIL_ID, EVIL_TEXT, nav="", footer="")
    for text in (shell, note):
        assert EVIL_ID not in text and EVIL_TEXT not in text
        assert "&lt;script&gt;" in text and "&lt;img src=x" in text


def test_missing_chrome_is_said_clearly(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chrome"))
    with pytest.raises(NetlibError, match="BROWSER_PATH=.*is not a file.*apt-get install chromium"):
        report.build_figures(out=tmp_path / "figs")
    assert not (tmp_path / "figs").exists()  # checked before any notebook runs
    monkeypatch.delenv("BROWSER_PATH")
    from choreographer.browsers.chromium import Chromium

    monkeypatch.setattr(Chromium, "find_browser", classmethod(lambda cls, **kw: None))
    with pytest.raises(NetlibError, match="needs Chrome or Chromium"):
        report.write_images([go.Figure()], [tmp_path / "x.svg"])


def test_bad_arguments(tmp_path):
    with pytest.raises(ParameterError, match="salt is only used"):
        build_report(out=tmp_path / "r", salt="x")
    with pytest.raises(ParameterError, match="'png', 'svg' or 'pdf', got 'gif'"):
        report.build_figures(out=tmp_path / "f", format="gif")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ParameterError, match="not a folder"):
        build_report(out=tmp_path / "file")


# -------------------------------------------------------------------------------- real kernels


@pytest.mark.slow
def test_a_failing_cell_names_the_notebook_and_the_cell(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text('# %% tags=["parameters"]\nk = 1\n\n# %%\nx = k + 1\n\n# %%\nraise ValueError(f"bad k {k}")\n')
    fine = tmp_path / "fine.py"
    fine.write_text('# %% [markdown]\n# # Fine\n\n# %% tags=["parameters"]\nk = 1\n\n# %%\nk * 2\n')
    out = tmp_path / "out"
    with pytest.raises(ReportError, match=r"notebook broken failed at cell 3 \(raise ValueError.*ValueError: bad k 5") as err:
        build_report(out=out, notebooks=[fine, broken], k=5, jobs=2, progress=False)
    assert err.value.notebook == "broken" and err.value.cell == 3 and err.value.ename == "ValueError"
    assert not (out / "index.html").exists()  # nothing is published from a failed run
    with pytest.raises(ParameterError, match="no notebook declares parameter"):
        build_report(out=out, notebooks=[fine], parameters={"resolution": 2.0})


@pytest.fixture(scope="module")
def evil_report(tmp_path_factory):
    data, busiest = _evil_world()
    out = tmp_path_factory.mktemp("evil")
    result = build_report(data, out, notebooks=["01", "02", "04", "05"], progress=False, jobs=2)
    return result, busiest


@pytest.mark.slow
def test_data_strings_are_escaped_in_every_page(evil_report):
    result, _ = evil_report
    pages = {name: path.read_text(encoding="utf-8") for name, path in result.pages.items()}
    for name, page in pages.items():
        for evil in (EVIL_ID, EVIL_ITEM, EVIL_EVENT, EVIL_TEXT):
            assert evil not in page, (name, evil)
    escaped_id = html.escape(EVIL_ID, quote=False)
    assert escaped_id in pages["02_influencers"] or escaped_id.replace('"', "&quot;") in pages["02_influencers"]
    assert "&lt;script&gt;" in pages["05_rogers_behaviours"]  # the unmapped event type, shown as text
    index = result.index.read_text(encoding="utf-8")
    assert all(f'href="{name}.html"' in index for name in pages)


@pytest.mark.slow
@pytest.mark.skipif(chromium() is None, reason="needs Debian's chromium (installed by .ci/run)")
def test_reports_render_offline_and_injected_scripts_do_not_run(evil_report):
    result, _ = evil_report
    for name, path in result.pages.items():
        dom, console = render(path)
        assert not PWNED.search(dom), f"{name}: injected script ran"
        divs, drawn = rendered_figures(dom)
        assert divs >= 1 and drawn == divs, f"{name}: {drawn} of {divs} figures drawn"
        assert not errors(console), f"{name}: {errors(console)}"


@pytest.mark.slow
def test_pseudonymized_report_shows_no_raw_id(tmp_path):
    d = _small_world()
    raw_ids = set(d.customers["customer_id"])
    names = set(d.customers["name"])
    result = build_report(d, tmp_path, pseudonymize=True, salt=SALT, progress=False, jobs=2)
    assert sorted(result.pages) == list(report.NOTEBOOKS)
    shown = set()
    for name, path in result.pages.items():
        page = path.read_text(encoding="utf-8")
        leaked = set(re.findall(r"C\d{4}", page)) & raw_ids
        assert not leaked, f"{name} shows raw ids {sorted(leaked)[:5]}"
        assert not [n for n in names if n in page], f"{name} shows customer names"
        shown |= set(re.findall(r"c[0-9a-f]{16}", page))
    hashed = set(pseudonym(sorted(raw_ids), salt=SALT))
    assert shown and shown <= hashed  # the pseudonyms appear, and they are the salted hashes
    assert result.provenance["customer ids"].startswith("pseudonymized")
    assert (tmp_path / "plotly.min.js").stat().st_size > 3_000_000


@pytest.mark.slow
@pytest.mark.skipif(chromium() is None, reason="needs Chrome/Chromium for kaleido")
def test_static_figures_are_written_deterministically(tmp_path):
    d = _small_world()
    a = report.build_figures(d, tmp_path / "a", format="svg", notebooks=["04"], progress=False)
    names = [p.name for p in a.files]
    assert names == ["04_spread_paths-01-virality_scatter.svg", "04_spread_paths-02-cascade_tree.svg",
                     "04_spread_paths-03-adoption_curves.svg", "04_spread_paths-04-network_map.svg"]
    assert all(p.read_bytes().startswith(b"<svg") for p in a.files)
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 1]))
    one = report.write_images([fig, fig], [tmp_path / "1.svg", tmp_path / "1.pdf"])
    two = report.write_images([fig, fig], [tmp_path / "2.svg", tmp_path / "2.pdf"])
    for p, q in zip(one, two):
        assert p.read_bytes() == q.read_bytes(), p.suffix


@pytest.mark.slow
def test_kernel_is_this_interpreter_whatever_kernelspecs_say(tmp_path, monkeypatch):
    import json
    import sys

    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": ["/bin/false", "{connection_file}"],
                                                  "display_name": "broken", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))  # searched before the venv's own
    nb = tmp_path / "which.py"
    nb.write_text("# %%\nimport sys\nsys.executable\n")
    out = report.run_notebook(nb)
    assert out.cells[-1].outputs[0]["data"]["text/plain"] == repr(sys.executable)


def test_cli_report_and_figures_pass_their_options(monkeypatch, tmp_path, capsys):
    from netlib import cli

    calls = {}

    def fake_report(data, out, **kw):
        calls["report"] = (data, out, kw)
        return report.ReportResult(out=Path(out), index=Path(out) / "index.html", pages={}, seconds={},
                                   salt_was_given=kw["salt"] is not None)

    def fake_figures(data, out, **kw):
        calls["figures"] = (data, out, kw)
        return report.FiguresResult(out=Path(out), files=[], seconds=0.0)

    monkeypatch.setattr(report, "build_report", fake_report)
    monkeypatch.setattr(report, "build_figures", fake_figures)
    rc = cli.main(["report", "mydata", "--out", str(tmp_path), "--pseudonymize", "--notebooks", "01, 03",
                   "-p", "resolution=2.0", "-p", "runs=500", "--jobs", "2", "--show-code", "--seed", "7"])
    data, out, kw = calls["report"]
    assert rc == 0 and data == "mydata" and out == str(tmp_path)
    assert kw["notebooks"] == ["01", "03"] and kw["parameters"] == {"resolution": 2.0, "runs": 500}
    assert kw["pseudonymize"] and kw["show_code"] and kw["jobs"] == 2 and kw["seed"] == 7 and kw["k"] == 10
    assert "one-off salt" in capsys.readouterr().err
    assert cli.main(["figures", "--format", "pdf", "--out", str(tmp_path)]) == 0
    data, _, kw = calls["figures"]
    assert data is None and kw["format"] == "pdf" and kw["notebooks"] is None
    assert cli.main(["report", "-p", "no-equals-sign"]) == 2
    assert "-p expects NAME=VALUE" in capsys.readouterr().err


def test_cli_data_options_reach_read_data_under_their_names(monkeypatch, tmp_path, capsys):
    from netlib import cli

    calls = {}

    def fake_report(data, out, **kw):
        calls["report"] = kw
        return report.ReportResult(out=Path(out), index=Path(out) / "index.html", pages={}, seconds={})

    monkeypatch.setattr(report, "build_report", fake_report)
    renames = tmp_path / "renames.yaml"
    renames.write_text("events: {type: event_type}\ninteractions: {src: source}\n")
    assert cli.main(["report", "d", "--column", "interactions.dst=target", "--columns", str(renames),
                     "--no-dayfirst", "--date-format", "%d.%m.%Y", "--encoding", "cp1252", "--delimiter", ";",
                     "--decimal", ",", "--na-values", "NULL,-", "--taxonomy", "tax.yaml", "--pass-on", "0.03",
                     "--runs", "200", "--no-exports"]) == 0
    kw = calls["report"]
    assert kw["columns"] == {"events": {"type": "event_type"}, "interactions": {"src": "source", "dst": "target"}}
    assert kw["read_options"] == {"dayfirst": False, "date_format": "%d.%m.%Y", "encoding": "cp1252",
                                  "delimiter": ";", "decimal": ",", "na_values": ["NULL", "-"]}
    assert kw["taxonomy"] == "tax.yaml" and kw["p"] == 0.03 and kw["runs"] == 200 and kw["exports"] is False
    assert cli.main(["report", "d", "--column", "interactions-src=source"]) == 2
    assert "--column expects TABLE.OLD=NEW" in capsys.readouterr().err


def test_reading_options_this_netlib_lacks_are_named(tmp_path):
    import inspect

    accepted = set(inspect.signature(nl.read_data).parameters)
    missing = sorted({"dayfirst", "encoding", "delimiter", "decimal", "na_values", "date_format"} - accepted)
    if not missing:
        pytest.skip("read_data accepts every reading option")
    d = _small_world()
    nl.write_data(d, tmp_path / "d")
    with pytest.raises(ParameterError, match=rf"does not accept \['{missing[0]}'"):
        report.load(tmp_path / "d", read_options={missing[0]: None})


@pytest.mark.slow
def test_cli_renames_columns_and_exports_every_customer(tmp_path, capsys):
    from netlib import cli

    d = nl.generate(60, seed=2)
    folder = tmp_path / "crm"
    folder.mkdir()
    d.customers.to_csv(folder / "customers.csv", index=False)
    d.interactions.rename(columns={"source": "src", "target": "dst"}).to_csv(folder / "interactions.csv", index=False)
    assert cli.main(["export", str(folder), "--out", str(tmp_path / "out"), "--column", "interactions.src=source",
                     "--column", "interactions.dst=target", "-k", "3", "--runs", "50"]) == 0
    said = capsys.readouterr().out
    assert "netlib export: wrote" in said and "customers 60 rows" in said
    customers = pd.read_csv(tmp_path / "out" / "customers.csv", dtype={"customer_id": str})
    assert sorted(customers["customer_id"]) == sorted(d.customers["customer_id"])
    assert customers["is_seed"].sum() == 3
