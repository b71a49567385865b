"""Shared fixtures: a fresh SQLite file (or PostgreSQL database) per test, the real 2024 report, offscreen Qt."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import URL, Engine, create_engine, make_url
from sqlalchemy.exc import ProgrammingError

from seri_desktop.formats.text_import import ImportResult, import_report_file
from seri_desktop.paths import DATA_DIR_ENV_VAR
from seri_desktop.settings import set_user_name, user_name
from seri_desktop.store.engine import create_engine_for
from tests.helpers.types import OpenEngine

# Set before any Qt import so every test, and every subprocess it starts, runs offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
REPORT_2024 = SHARED_DATA / "report-2024.txt"


# The name every test's writes are recorded with (seri_desktop.settings): a write needs one.
TEST_USER = "시험 사용자"


@pytest.fixture(scope="session", autouse=True)
def _session_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data folder with the recorded name for the session's own fixtures (built before any test's)."""
    previous = os.environ.get(DATA_DIR_ENV_VAR)
    folder = Path(previous) if previous and previous.strip() else tmp_path_factory.mktemp("session-data")
    os.environ[DATA_DIR_ENV_VAR] = str(folder)
    if user_name() is None:
        set_user_name(TEST_USER)
    yield folder
    if previous is None:
        os.environ.pop(DATA_DIR_ENV_VAR, None)
    else:
        os.environ[DATA_DIR_ENV_VAR] = previous


@pytest.fixture(autouse=True)
def recorded_name(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A data folder for every test that has none (and the processes it starts), with the recorded name set.

    A test that points ``SERI_DATA_DIR`` at a folder of its own sets the name
    there (``set_user_name(TEST_USER, folder)``) when it writes.
    """
    monkeypatch.setenv(DATA_DIR_ENV_VAR, os.environ.get(DATA_DIR_ENV_VAR, "") or str(tmp_path_factory.mktemp("data")))
    if user_name() is None:
        set_user_name(TEST_USER)
    return user_name() or TEST_USER


@pytest.fixture
def report_2024_path() -> Path:
    """The real 2024 report; its absence is a failure, never a skip."""
    if not REPORT_2024.is_file():
        pytest.fail(f"acceptance data missing: {REPORT_2024} (CI clones with ../shared beside the repo)")
    return REPORT_2024


@pytest.fixture(scope="session")
def imported_2024() -> ImportResult:
    """The 2024 report parsed once per test session (parsing is pure: tests must not mutate it)."""
    if not REPORT_2024.is_file():
        pytest.fail(f"acceptance data missing: {REPORT_2024} (CI clones with ../shared beside the repo)")
    return import_report_file(REPORT_2024)


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """Path of a fresh SQLite database file for this test only."""
    return tmp_path / "report.sqlite"


@pytest.fixture
def open_engine() -> Iterator[OpenEngine]:
    """``open_engine(target, **options)``: engines from the factory, all disposed after the test."""
    opened: list[Engine] = []

    def _open(target: Path | str | URL, **options: bool) -> Engine:
        engine = create_engine_for(target, **options)
        opened.append(engine)
        return engine

    yield _open
    for engine in opened:
        engine.dispose()


@pytest.fixture
def db_2024(tmp_db: Path, imported_2024: ImportResult) -> Path:
    """A fresh database holding the real 2024 report (tests/ui has its own, copied from one per module)."""
    return holding_2024(tmp_db, imported_2024)


# --- engines: SQLite files and, where a server is given, PostgreSQL databases ------------------------------
# scripts/test.sh starts a throwaway PostgreSQL server (scripts/pg_test_server.sh) and
# exports SERI_TEST_PG_URL; its role may create databases, so every test gets its own.

PG_URL_VARIABLE = "SERI_TEST_PG_URL"


def pg_required() -> bool:
    """Whether a missing PostgreSQL server is a failure (CI, or SERI_REQUIRE_PG=1) rather than a skip."""
    return os.environ.get("SERI_REQUIRE_PG", "0") not in ("", "0") or os.environ.get("CI", "").lower() in (
        "1",
        "true",
        "yes",
    )


@pytest.fixture(scope="session")
def pg_server_url() -> URL:
    """The test server's URL (its own database), or a skip/failure saying how to get one."""
    raw = os.environ.get(PG_URL_VARIABLE)
    if not raw:
        reason = (
            f"no PostgreSQL test server: {PG_URL_VARIABLE} is not set "
            "(bash scripts/test.sh starts one; or run scripts/pg_test_server.sh start DIR and source DIR/env)"
        )
        if pg_required():
            pytest.fail(reason)
        pytest.skip(reason)
    url = make_url(raw)
    try:
        probe = create_engine(url, connect_args={"connect_timeout": 5})
        with probe.connect():
            pass
        probe.dispose()
    except Exception as exc:  # an URL was given: an unreachable server is a failure even on a developer's machine
        pytest.fail(f"the PostgreSQL test server in {PG_URL_VARIABLE} does not answer: {type(exc).__name__}")
    return url


@pytest.fixture
def pg_database(pg_server_url: URL) -> Iterator[URL]:
    """A fresh, empty PostgreSQL database for this test only (dropped afterwards); its URL carries the password."""
    name = f"seri_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield pg_server_url.set(database=name)
        _drop_database(admin, name)
    finally:
        admin.dispose()


def _drop_database(admin: Engine, name: str) -> None:
    # FORCE ends this role's sessions; a session it may not end (an autovacuum worker that has just
    # connected, another role's closing session) makes the server refuse, so wait for it to go.
    deadline = time.monotonic() + 30
    while True:
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except ProgrammingError as exc:
            if "must be a member of the role" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


T = TypeVar("T", Path, URL)


def holding_2024(target: T, imported: ImportResult) -> T:
    """``target`` (a fresh SQLite file or PostgreSQL database) with the real 2024 report stored in it."""
    import copy

    from seri_desktop.store.engine import create_engine_for
    from seri_desktop.store.repository import save_report

    engine = create_engine_for(target)
    try:
        save_report(engine, copy.deepcopy(imported.report))
    finally:
        engine.dispose()
    return target


@pytest.fixture
def pg_2024(pg_database: URL, imported_2024: ImportResult) -> URL:
    """A fresh PostgreSQL database holding the real 2024 report; the URL carries the password."""
    return holding_2024(pg_database, imported_2024)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | URL:
    """A fresh database on each engine: a SQLite file path, then a PostgreSQL URL (skipped without a server)."""
    if request.param == "sqlite":
        return tmp_path / "report.sqlite"
    url: URL = request.getfixturevalue("pg_database")
    return url


# --- refused writes: a folder nothing can be written in (what a database holds: tests.helpers.db) ----------------------


@pytest.fixture
def unwritable_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder this process cannot create a file in: read-only for a user; for root (CI), /proc."""
    if os.geteuid() == 0:
        yield Path("/proc")
        return
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    yield locked
    locked.chmod(0o700)
