#!/usr/bin/env bash
# Set up (if needed) and start seri-desktop on its default embedded database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/seri-desktop "$@"
