#!/usr/bin/env bash
# netlib's two commands. From a fresh clone:
#   bash run.sh main   # set up .venv, then run the notebook suite on the shipped sample -> report/
#   bash run.sh test   # set up .venv, then run the test suite
# Set-up installs the exact versions in requirements.lock into .venv (Python 3.11) and netlib itself
# (editable, with its test and spark extras: the lock pins their packages too, pyspark and py4j included);
# it is skipped when the lock and pyproject.toml have not changed since the last set-up.
set -euo pipefail
cd "$(dirname "$0")"

setup() {
    local py="${PYTHON:-}"
    if [ -z "$py" ]; then
        py=$(command -v python3.11 || command -v python3 || true)
    fi
    if [ -z "$py" ]; then
        echo "run.sh: Python 3.11 not found; install it (e.g. apt-get install python3.11 python3.11-venv)" >&2
        exit 1
    fi
    if [ ! -x .venv/bin/python ]; then
        echo "run.sh: creating .venv with $("$py" --version)"
        "$py" -m venv .venv
    fi
    local want have
    want=$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-64)
    have=$(cat .venv/.netlib-setup 2>/dev/null || true)
    if [ "$want" != "$have" ]; then
        echo "run.sh: installing the locked environment into .venv (a few minutes the first time)"
        if ! { .venv/bin/python -m pip install --disable-pip-version-check -r requirements.lock \
               && .venv/bin/python -m pip install --disable-pip-version-check --no-deps -e ".[test,spark]"; } \
               > .venv/setup.log 2>&1; then
            tail -n 40 .venv/setup.log >&2
            echo "run.sh: set-up failed; the whole log is in .venv/setup.log" >&2
            exit 1
        fi
        echo "$want" > .venv/.netlib-setup
    fi
}

cmd="${1:-}"
shift || true
case "$cmd" in
    main)
        setup
        if [ "$#" -eq 0 ]; then
            set -- --out report
        fi
        .venv/bin/netlib report "$@"
        ;;
    test)
        setup
        # --dist loadgroup: tests marked xdist_group("spark") share one worker, so one Spark JVM serves them
        .venv/bin/python -m pytest -n 2 --dist loadgroup --durations=15 "$@"
        ;;
    *)
        echo "usage: bash run.sh main|test [extra arguments]" >&2
        exit 2
        ;;
esac
