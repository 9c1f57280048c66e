"""The notebook suite: paired, output-free, and runs top to bottom on the shipped sample."""

from __future__ import annotations

import re

import jupytext
import nbformat
import pytest
from _browser import chromium, errors, render, rendered_figures

from netlib import report

#: Figures each notebook draws (one per ``plot.*`` call in it).
FIGURES = {"01_build_network": 2, "02_influencers": 4, "03_communities": 5, "04_spread_paths": 4,
           "05_rogers_behaviours": 3, "06_campaign_plan": 1}
#: Parameters every suite notebook declares (and papermill --help-notebook lists).
PARAMETERS = {"data_path", "seed", "k", "p", "runs", "taxonomy", "read_options"}


def test_suite_is_complete_and_paired_with_jupytext():
    folder = report.notebooks_dir()
    assert sorted(FIGURES) == list(report.NOTEBOOKS)
    for name in report.NOTEBOOKS:
        ipynb, py = folder / f"{name}.ipynb", folder / f"{name}.py"
        assert ipynb.is_file() and py.is_file(), name
        nb = nbformat.read(ipynb, as_version=4)
        text = jupytext.read(py, fmt="py:percent")
        assert nb.metadata["jupytext"]["formats"] == "ipynb,py:percent", name
        assert [(c.cell_type, c.source) for c in nb.cells] == [(c.cell_type, c.source) for c in text.cells], \
            f"{name}.ipynb and {name}.py differ: run `jupytext --sync notebooks/{name}.ipynb`"
        assert all(not c.get("outputs") and c.get("execution_count") is None
                   for c in nb.cells if c.cell_type == "code"), f"{name}.ipynb has outputs committed"
        params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1 and nb.cells.index(params[0]) <= 2, name
        assert PARAMETERS <= report.notebooks._declared_parameters(nb), name
        assert all("#" in line for line in params[0].source.splitlines() if "=" in line), \
            f"{name}: every parameter has a comment (papermill --help-notebook shows it)"
        import papermill

        shown = papermill.inspect_notebook(str(ipynb))
        assert PARAMETERS <= set(shown) and all(v["help"] for v in shown.values()), \
            f"{name}: papermill --help-notebook must list every parameter with its help"
        source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "pip install" not in source and ".show(" not in source, name
        assert len(re.findall(r"\bplot\.\w+\(", source)) == FIGURES[name], name


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample-report")
    return report.build_report(None, out, keep_notebooks=True, progress=False, jobs=2)


@pytest.mark.slow
def test_every_notebook_runs_on_the_sample(sample_report):
    import netlib as nl
    from netlib.datasets import load_sample

    assert sorted(sample_report.pages) == list(report.NOTEBOOKS)
    for name in report.NOTEBOOKS:
        nb = nbformat.read(sample_report.out / "notebooks" / f"{name}.ipynb", as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        assert not [o for o in outputs if o.output_type == "error"], name
        page = sample_report.pages[name].read_text(encoding="utf-8")
        assert page.count('class="plotly-graph-div"') == FIGURES[name], name
    G = nl.build_network(load_sample())
    first = sample_report.pages["01_build_network"].read_text(encoding="utf-8")
    assert f"Customer network: {G.number_of_nodes():,} customers, {G.number_of_edges():,} ties" in first
    index = sample_report.index.read_text(encoding="utf-8")
    assert "shipped sample" in index and all(f'href="{n}.html"' in index for n in report.NOTEBOOKS)


@pytest.mark.slow
@pytest.mark.skipif(chromium() is None, reason="needs Debian's chromium (installed by .ci/run)")
def test_every_page_renders_offline_in_a_browser(sample_report):
    for name, path in sample_report.pages.items():
        dom, console = render(path)
        divs, drawn = rendered_figures(dom)
        assert (divs, drawn) == (FIGURES[name], FIGURES[name]), name
        assert not errors(console), f"{name}: {errors(console)}"
    dom, _ = render(sample_report.index)
    assert dom.count('.html"') >= len(report.NOTEBOOKS)
