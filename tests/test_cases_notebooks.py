"""The case-study notebooks (notebooks/case_studies): paired and clean, stopping with a short message
without data, and each run top to bottom with its heavy parts capped (slow); finding the data; the
deprecated netlib.casestudies shim."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import netlib_cases
from netlib.errors import DatasetMissing, DatasetNotFoundError
from netlib_cases import DataMissing, case_data_home

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks" / "case_studies"
PICKLES = Path(__file__).resolve().parent / "data" / "pickles"

#: Each case-study notebook with the parameters that keep its run short.
CAPPED = {
    "01_microfinance_diffusion": {"villages": [1, 2, 3], "runs": 300},
    "02_communities_ground_truth": {},
    "03_cascades_in_the_wild": {"higgs_hours": 24},
    "04_consumer_trust": {},
    "05_temporal_reach": {"every": 10, "n_sources": 2, "starts_every_days": 30},
}


def test_case_data_home_says_where_to_get_missing_data(tmp_path, monkeypatch):
    (tmp_path / "football").mkdir()
    assert case_data_home(tmp_path, needs=["football"]) == tmp_path
    with pytest.raises(DataMissing, match="missing: email-Eu-core") as err:
        case_data_home(tmp_path, needs=["football", "email-Eu-core"])
    assert "snap.stanford.edu" in str(err.value) and "netlib.datasets.fetch" in str(err.value)
    assert isinstance(err.value, DatasetNotFoundError)
    assert err.value._render_traceback_() == [f"Data not found. {err.value}"]   # Jupyter shows one line
    monkeypatch.setenv("NETLIB_DATA_HOME", str(tmp_path))
    assert case_data_home(needs=["football"]) == tmp_path
    with pytest.raises(DataMissing, match="NETLIB_DATA_HOME"):
        case_data_home(needs=["CollegeMsg"])


def test_notebooks_are_paired_and_have_no_outputs():
    import jupytext
    import nbformat

    names = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert names == sorted(CAPPED)
    for name in names:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        py = jupytext.read(NOTEBOOKS / f"{name}.py", fmt="py:percent")
        assert [c.source for c in nb.cells] == [c.source for c in py.cells], f"{name}: .py and .ipynb differ"
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), name
        params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1 and "data_dir = None" in params[0].source, name


def test_notebook_without_data_stops_with_a_short_message(tmp_path):
    pytest.importorskip("papermill")
    from netlib.report import ReportError, run_notebook

    with pytest.raises(ReportError) as err:
        run_notebook(NOTEBOOKS / "05_temporal_reach.ipynb", {"data_dir": str(tmp_path / "nowhere")}, timeout=120)
    msg = str(err.value)
    assert "DatasetMissing" in msg and "nowhere" in msg and "CollegeMsg" in msg and "fetch" in msg


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CAPPED))
def test_case_study_notebook_runs(name, datasets_dir):
    pytest.importorskip("papermill")
    from netlib.report import run_notebook

    nb = run_notebook(NOTEBOOKS / f"{name}.ipynb", {"data_dir": str(datasets_dir), **CAPPED[name]}, timeout=600)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    figures = [o for c in nb.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})
               and "plotly" in json.dumps(o["data"]["text/html"])]
    assert figures, f"{name} drew no figure"



def test_casestudies_shim_forwards_every_old_name_with_a_deprecation_warning():
    import netlib.casestudies as old

    for name in old.__all__:
        with pytest.warns(DeprecationWarning, match=f"use netlib_cases.{name} "):
            assert getattr(old, name) is getattr(netlib_cases, name)
    assert set(old.__all__) == set(netlib_cases.__all__)
    assert DataMissing is DatasetMissing
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        old.nope
    assert ">>>" not in Path(old.__file__).read_text()   # no doctests: collecting it imports nothing


def test_netlib_never_imports_the_case_studies():
    code = ("import sys, netlib, netlib.datasets, netlib.centrality, netlib.casestudies; "
            "print('netlib_cases' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "False"
    importing = re.compile(r"(?:import|from) netlib_cases\b|import_module\(\"netlib_cases\"\)")
    users = [p.relative_to(REPO).as_posix() for p in (REPO / "netlib").rglob("*.py")
             if importing.search(p.read_text(encoding="utf-8"))]
    assert users == ["netlib/casestudies.py"]


def test_pickles_made_before_the_move_load():
    """Made at HEAD d769b3c with netlib/casestudies.py: the error class unpickles through the shim."""
    with pytest.warns(DeprecationWarning, match="DataMissing"), open(PICKLES / "casestudies_results.pkl", "rb") as f:
        old = pickle.load(f)
    assert type(old["error"]) is DatasetMissing and "missing: CollegeMsg" in str(old["error"])
    dc = netlib_cases.diffusion_centrality(nx.florentine_families_graph(), T=3)
    pd.testing.assert_frame_equal(dc, old["diffusion_centrality"], rtol=1e-12)
    assert {k: dc.attrs[k] for k in ("q", "T")} == pytest.approx({k: old["diffusion_centrality"].attrs[k]
                                                                  for k in ("q", "T")}, rel=1e-12)
    fit = netlib_cases.ols([1.0, 3.0, 5.5, 7.0], pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]}))
    pd.testing.assert_frame_equal(fit, old["ols"])
