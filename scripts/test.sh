#!/usr/bin/env bash
# Set up (if needed) and run the whole check: lint, types, and the test suite
# (offscreen Qt; the acceptance tests read ../shared/data/report-2024.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check seri_desktop tests db benchmarks
.venv/bin/mypy
.venv/bin/pytest "$@"
