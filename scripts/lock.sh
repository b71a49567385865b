#!/usr/bin/env bash
# Refresh scripts/requirements.lock, the pinned and hashed list of every
# dependency (runtime, dev tools, the postgres extra) that scripts/setup.sh
# installs. Run it after changing a dependency in pyproject.toml, then run
# the tests and commit both files together.
#
# uv resolves once for every platform (--universal: Linux, Windows, macOS
# markers in one file) for Python 3.11, the oldest version the project
# supports, and records the sha256 of every file so that pip installs exactly
# these bytes (--require-hashes).
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$(mktemp -d "${TMPDIR:-/tmp}/seri-lock.XXXXXX")
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install -q 'uv>=0.13,<0.14'
"$tools/venv/bin/uv" pip compile pyproject.toml --extra dev --extra postgres \
  --universal --python-version 3.11 --generate-hashes --quiet \
  --custom-compile-command 'bash scripts/lock.sh' -o scripts/requirements.lock
echo "[lock] wrote scripts/requirements.lock ($(grep -c '==' scripts/requirements.lock) packages)"
