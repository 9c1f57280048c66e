"""pyproject.toml, environment.yml and requirements.lock describe the same environment."""

from __future__ import annotations

import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from conftest import REPO

# PyPI name -> conda-forge name, where they differ
CONDA_NAME = {"igraph": "python-igraph", "kaleido": "python-kaleido"}


def _pyproject_requirements() -> list[Requirement]:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    # every extra (test, spark) is part of the environment the README's test command installs
    reqs = list(meta["dependencies"]) + [r for extra in meta["optional-dependencies"].values() for r in extra]
    return [Requirement(r) for r in reqs]


def _conda_specs() -> dict[str, str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    specs = {}
    for item in env["dependencies"]:
        if isinstance(item, str):
            m = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", item)
            specs[m.group(1).lower()] = m.group(2).replace(" ", "")
    return specs


def _lock() -> dict[str, Version]:
    pins = {}
    for line in (REPO / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.lower().replace("_", "-")] = Version(version)
    return pins


def test_environment_yml_matches_pyproject():
    conda = _conda_specs()
    for req in _pyproject_requirements():
        name = CONDA_NAME.get(req.name, req.name).lower()
        assert name in conda, f"environment.yml lacks {name} (pyproject.toml has {req})"
        assert conda[name] == str(req.specifier), (
            f"environment.yml pins {name}{conda[name]} but pyproject.toml says {req}")
    expected = {CONDA_NAME.get(r.name, r.name).lower() for r in _pyproject_requirements()} | {"python", "pip"}
    extra = sorted(set(conda) - expected)
    assert not extra, f"environment.yml lists packages pyproject.toml does not: {extra}"


def test_lock_pins_every_dependency_within_its_range():
    pins = _lock()
    for req in _pyproject_requirements():
        name = req.name.lower().replace("_", "-")
        assert name in pins, f"requirements.lock does not pin {req.name}"
        assert pins[name] in req.specifier, f"requirements.lock pins {name}=={pins[name]}, outside {req}"


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    assert "bash run.sh test" in readme and "bash run.sh main" in readme
    assert "run.sh test" in (REPO / ".ci" / "run").read_text()
