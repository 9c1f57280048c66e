"""Spark is an optional extra: netlib works without pyspark, and netlib.spark says how to get it."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib

from conftest import REPO

# runs `code` with pyspark made unimportable (as on a default install without the extra)
_NO_PYSPARK = "import sys; sys.modules['pyspark'] = None\n"


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=300,
                          env={**__import__("os").environ, "PYTHONPATH": str(REPO)})


def test_netlib_works_without_pyspark_and_netlib_spark_names_the_extra():
    out = _run(_NO_PYSPARK + "import netlib\n"
               "print(netlib.build_network(netlib.read_data({'interactions': __import__('pandas').DataFrame("
               "{'source': ['a'], 'target': ['b'], 'timestamp': [1]})})).number_of_edges())\n"
               "try:\n    import netlib.spark\nexcept ImportError as exc:\n    print('ERR', exc)\n")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "1"
    assert lines[1].startswith("ERR netlib.spark needs Apache Spark's Python package")
    assert "pip install netlib[spark]" in lines[1]


def test_no_netlib_module_outside_netlib_spark_imports_pyspark():
    for path in sorted((REPO / "netlib").rglob("*.py")):
        if "spark" in path.relative_to(REPO / "netlib").parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n == "pyspark" or n.startswith("pyspark.") for n in names), f"{path} imports {names}"


def test_spark_extra_is_declared_and_locked():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert any(r.startswith("pyspark") for r in meta["optional-dependencies"]["spark"])
    lock = (REPO / "requirements.lock").read_text().splitlines()
    assert any(line.startswith("pyspark==4.") for line in lock)
    assert any(line.startswith("py4j==") for line in lock)
    assert "openjdk-17-jre-headless" in (REPO / ".ci" / "run").read_text()
    run = (REPO / "run.sh").read_text()
    assert '-e ".[test,spark]"' in run  # the README's test command sets up the spark extra
    assert "pytest -n 2 --dist loadgroup" in run  # and keeps the xdist_group("spark") tests on one worker


def test_the_report_names_the_steps_that_ran_on_spark():
    import dataclasses

    import pandas as pd

    import netlib as nl
    from netlib.privacy import pseudonymize
    from netlib.report.build import SPARK_NOTE, spark_steps

    data = nl.read_data({"interactions": pd.DataFrame({"source": ["a"], "target": ["b"], "timestamp": [1]})})
    assert spark_steps(data) == []
    step = "reading and validating the tables (1 rows, netlib.spark.read_tables)"
    marked = dataclasses.replace(data, report=dataclasses.replace(
        data.report, notes=[*data.report.notes, SPARK_NOTE + step]))
    assert spark_steps(marked) == [step]
    assert spark_steps(pseudonymize(marked, salt="s")) == [step]  # the mark survives pseudonymizing
