"""What `import netlib` loads: the heavy libraries load on first use, and reading data never drags in pyspark."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-W", "error::FutureWarning", "-c", code], capture_output=True, text=True,
                          cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": "/tmp"})
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_import_netlib_leaves_the_heavy_libraries_unloaded():
    out = _run("import sys, netlib\n"
               "print(sorted(m for m in ('numba', 'pandera', 'plotly', 'igraph', 'pyspark', 'netlib_cases')"
               " if m in sys.modules))")
    assert out.strip() == "[]"


def test_reading_data_loads_neither_pandera_nor_pyspark():
    """Rows are checked on arrays, so reading data imports no pandera; pandera (the statement of the rules,
    ``netlib.io.SCHEMAS``) imports pyspark.pandas when pyspark is installed (the spark extra), and netlib hides
    it during that import, so no JVM-library start-up and no pandas-version warning either way."""
    out = _run("import sys, netlib as nl\n"
               "nl.load_sample()\n"
               "print('pandera' in sys.modules, 'pyspark' in sys.modules)\n"
               "assert set(nl.io.SCHEMAS) == {'customers', 'interactions', 'events'}\n"
               "print('pandera' in sys.modules, 'pyspark' in sys.modules)\n"
               "import importlib.util\n"
               "if importlib.util.find_spec('pyspark'):\n"
               "    import pyspark.sql  # still importable afterwards\n")
    assert out.split() == ["False", "False", "True", "False"]
