"""Connection failures on PostgreSQL are Korean store errors, and the password is never shown anywhere."""

from __future__ import annotations

import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL

from seri_desktop.store import engine as store_engine
from seri_desktop.store.engine import StoreError, database_path, describe_target
from seri_desktop.store.repository import load_report
from tests.helpers.types import OpenEngine, RunCli

WRONG = "wrong-Passw0rd-that-must-not-show"


def _everything_shown(exc: BaseException) -> str:
    """The message, the repr and the whole traceback with its causes: all a log or a dialog could show."""
    return "\n".join([str(exc), repr(exc), *traceback.format_exception(exc)])


def _refused(open_engine: OpenEngine, url: URL) -> StoreError:
    with pytest.raises(StoreError) as caught:
        open_engine(url)
    return caught.value


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts connections and never answers (a hung server or firewall)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join(timeout=5)
    for conn in accepted:
        conn.close()
    server.close()


def _without_password(url: URL) -> URL:
    # (URL.set(password=None) keeps the password: None there means "unchanged".)
    bare = URL.create(url.drivername, username=url.username, host=url.host, port=url.port, database=url.database)
    assert bare.password is None
    return bare


def _closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = int(probe.getsockname()[1])
    probe.close()  # nothing listens there now
    return port


def test_a_wrong_password(pg_database: URL, open_engine: OpenEngine) -> None:
    real = pg_database.password
    assert real
    error = _refused(open_engine, pg_database.set(password=WRONG))
    assert error.code == "store-auth"
    assert "사용자 이름이나 비밀번호가 맞지 않습니다" in str(error) and "PGPASSWORD" in str(error)
    assert f"{pg_database.username}:***@" in str(error)  # names the server, hides the password
    shown = _everything_shown(error)
    assert WRONG not in shown and str(real) not in shown


def test_no_password_at_all(pg_database: URL, open_engine: OpenEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")  # no ~/.pgpass either
    error = _refused(open_engine, _without_password(pg_database))
    assert error.code == "store-auth"
    assert str(pg_database.password) not in _everything_shown(error)


def test_the_password_from_pgpassword(
    pg_database: URL, open_engine: OpenEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", str(pg_database.password))
    engine = open_engine(_without_password(pg_database))
    assert load_report(engine) is None  # connected, migrated, empty
    assert str(pg_database.password) not in database_path(engine) + repr(engine)


def test_an_unknown_user(pg_database: URL, open_engine: OpenEngine) -> None:
    error = _refused(open_engine, pg_database.set(username="nobody_here", password=WRONG))
    assert error.code == "store-auth"
    assert WRONG not in _everything_shown(error)


def test_a_database_that_does_not_exist(pg_database: URL, open_engine: OpenEngine) -> None:
    error = _refused(open_engine, pg_database.set(database="no_such_report_db"))
    assert error.code == "store-no-database"
    assert "'no_such_report_db' 데이터베이스가 없습니다" in str(error)
    assert str(pg_database.password) not in _everything_shown(error)


def test_a_server_that_is_not_there(pg_database: URL, open_engine: OpenEngine) -> None:
    error = _refused(open_engine, pg_database.set(port=_closed_port()))
    assert error.code == "store-unreachable"
    assert "서버에 연결할 수 없습니다" in str(error)
    assert str(pg_database.password) not in _everything_shown(error)


def test_a_server_that_does_not_answer_times_out(
    pg_database: URL, open_engine: OpenEngine, silent_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The factory's own timeout applies when the URL gives none (2 s here instead of 10).
    monkeypatch.setattr(store_engine, "CONNECT_TIMEOUT_S", 2)
    started = time.monotonic()
    error = _refused(open_engine, pg_database.set(port=silent_server))
    assert time.monotonic() - started < 20
    assert error.code == "store-timeout"
    assert "연결 시간 초과" in str(error)
    assert str(pg_database.password) not in _everything_shown(error)


def test_a_timeout_given_in_the_url(pg_database: URL, open_engine: OpenEngine, silent_server: int) -> None:
    started = time.monotonic()
    error = _refused(open_engine, pg_database.set(port=silent_server, query={"connect_timeout": "2"}))
    assert time.monotonic() - started < 20
    assert error.code == "store-timeout"


def test_without_the_driver_the_message_says_what_to_install(
    pg_database: URL, open_engine: OpenEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the postgres extra were not installed
    error = _refused(open_engine, pg_database)
    assert "pip install 'seri-desktop[postgres]'" in str(error)
    assert str(pg_database.password) not in str(error)


def test_the_command_line_never_prints_or_logs_the_password(run_cli: RunCli, pg_database: URL, tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[2] / "resources" / "sample-report.txt"
    good = pg_database.render_as_string(hide_password=False)
    bad = pg_database.set(password=WRONG).render_as_string(hide_password=False)
    runs = [
        run_cli("import-text", str(sample), "--db", good),
        run_cli("info", "--db", good),
        run_cli("info", "--db", bad),
        run_cli("import-text", str(sample), "--db", bad),
        run_cli("check", "--db", good.replace(f"/{pg_database.database}", "/missing_db")),
    ]
    assert [r.returncode for r in runs] == [0, 0, 2, 2, 2]
    assert describe_target(pg_database) in runs[0].stdout  # "→ postgresql+psycopg://seri_test:***@..."
    assert "비밀번호가 맞지 않습니다" in runs[2].stderr
    logs = [p.read_text(encoding="utf-8", errors="replace") for p in (tmp_path / "data-dir").rglob("*") if p.is_file()]
    for shown in [r.stdout + r.stderr for r in runs] + logs:
        assert str(pg_database.password) not in shown
        assert WRONG not in shown
