#!/usr/bin/env bash
# Set up (if needed) and run the whole check: lint, types, and the test suite
# (offscreen Qt; the acceptance tests read ../shared/data/report-2024.txt).
# A throwaway PostgreSQL server (scripts/pg_test_server.sh) runs for the
# duration, so the tests that need one (tests/pg, and every test that takes
# the db_target fixture) run on both engines; it is stopped and deleted at
# the end, whatever happens. Without a server those tests are skipped, except
# in CI (CI set, or SERI_REQUIRE_PG=1), where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
# Some sandboxes start without the /dev/null device (a plain file appears, or
# nothing); subprocess.DEVNULL and PyInstaller's ldd calls need the real one.
if [ ! -c /dev/null ] && [ "$(id -u)" -eq 0 ]; then
  echo "[test] /dev/null is not the null device here; making it again" >&2
  rm -f /dev/null && mknod -m 666 /dev/null c 1 3
fi
bash scripts/setup.sh --postgres
# The PostgreSQL tests are part of the check: without a server they fail, never skip
# (SERI_REQUIRE_PG=0 lets a developer without Debian's postgresql run the rest).
export SERI_REQUIRE_PG=${SERI_REQUIRE_PG:-1}
export QT_QPA_PLATFORM=offscreen

pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/seri-pg.XXXXXX")
trap 'bash scripts/pg_test_server.sh stop "$pg_dir"' EXIT
trap 'exit 130' INT TERM  # through the EXIT trap, so the server is stopped
if bash scripts/pg_test_server.sh start "$pg_dir"; then
  # shellcheck source=/dev/null
  . "$pg_dir/env"
else
  echo "[test] no PostgreSQL test server: its tests are skipped here and fail in CI" >&2
fi

.venv/bin/ruff check seri_desktop tests db benchmarks
.venv/bin/mypy
.venv/bin/pytest "$@"
