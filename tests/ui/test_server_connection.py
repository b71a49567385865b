"""The window on a shared PostgreSQL database (issue 16.1): 서버에 연결…, the password, refused addresses, --db URL.

Real throwaway PostgreSQL server (``pg_database``: skipped without one on a
developer's machine, a failure in CI), real dialogs answered as a person
would, the settings and log files read back for the password.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import URL

from seri_desktop.settings import set_user_name
from seri_desktop.store.engine import describe_target, without_password
from seri_desktop.ui.backend import open_workspace
from seri_desktop.ui.connections import PASSWORD_VARIABLE, ConnectDialog, remember_connection, saved_connections
from seri_desktop.ui.main_window import MainWindow
from tests.helpers.qt import DialogAnswer, answer_modal


def logged(log_file: Path) -> str:
    """What the log holds; the file is made with its first record, so none yet is nothing logged."""
    return log_file.read_text("utf-8") if log_file.exists() else ""


@pytest.fixture
def file_window(qtbot: QtBot, settings: QSettings, db_2024: Path) -> Iterator[MainWindow]:
    """A window on a 2024 database file that can open other databases, as the app makes it."""
    window = MainWindow(open_workspace(db_2024), settings=settings, open_workspace=open_workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    backend = window.backend
    if backend is not None:
        backend.close()


@pytest.fixture(autouse=True)
def _no_password_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # The developer's PGPASSWORD must not stand in for the password typed into the prompt.
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)


def answer_connect(url: URL) -> DialogAnswer:
    """Fill the next 서버에 연결 dialog with ``url``'s host, port, database and user, and press 연결."""

    def answer(dialog: ConnectDialog) -> None:
        dialog.host.setText(url.host or "")
        dialog.port.setValue(url.port or 5432)
        dialog.database.setText(url.database or "")
        dialog.user.setText(url.username or "")
        dialog.accept()

    return answer_modal(ConnectDialog, answer)


def answer_password(password: str, echo: list[QLineEdit.EchoMode]) -> DialogAnswer:
    """Type ``password`` into the next password prompt; ``echo`` gets how the prompt showed what was typed."""

    def answer(dialog: QInputDialog) -> None:
        echo.append(dialog.textEchoMode())
        dialog.setTextValue(password)
        dialog.accept()

    return answer_modal(QInputDialog, answer)


def everything_shown(window: MainWindow) -> str:
    """The title, status bar, recent menu and welcome list as text: where a password must never appear."""
    window.file_actions.fill_recent_menu()
    parts = [window.windowTitle(), window.db_label.text(), window.statusBar().currentMessage()]
    parts += [action.text() for action in window.file_actions.recent_menu.actions()]
    parts += [str(entry) for entry in window.file_actions.recent_entries()]
    return "\n".join(parts)


def settings_text(settings: QSettings) -> str:
    settings.sync()
    return Path(settings.fileName()).read_text(encoding="utf-8")


def test_connect_dialog_opens_the_server_with_the_password_from_the_prompt(
    qtbot: QtBot,
    file_window: MainWindow,
    settings: QSettings,
    pg_2024: URL,
    log_file: Path,
) -> None:
    password = str(pg_2024.password)
    connect = answer_connect(pg_2024)
    echo: list[QLineEdit.EchoMode] = []
    prompt = answer_password(password, echo)
    assert file_window.file_actions.connect_server()
    assert connect.seen is not None and prompt.seen is not None
    assert echo == [QLineEdit.EchoMode.Password]  # typed characters are not shown

    backend = file_window.backend
    engine = getattr(backend, "engine", None)
    assert engine is not None and engine.dialect.name == "postgresql"
    assert engine.url.database == pg_2024.database
    assert file_window.report is not None and file_window.report.year == 2024
    assert len(list(file_window.report.programs())) == 33
    assert file_window.select_key(file_window.model.unit_keys()[5])

    public = without_password(pg_2024)
    assert saved_connections(settings) == [public]
    shown = everything_shown(file_window)
    assert describe_target(pg_2024) in file_window.db_label.text()  # the password as ***
    assert public.render_as_string(hide_password=False) in shown  # the server is in the recent list
    for place, text in (("screen", shown), ("settings", settings_text(settings)), ("log", logged(log_file))):
        assert password not in text, place

    # Opening it again from the recent list asks for nothing: the password is remembered in memory.
    assert file_window.file_actions.open_database(public.render_as_string(hide_password=False))
    assert file_window.report is not None and file_window.report.year == 2024


def test_a_wrong_password_is_a_korean_message_and_changes_nothing(
    qtbot: QtBot,
    file_window: MainWindow,
    settings: QSettings,
    pg_2024: URL,
    db_2024: Path,
    warnings: list[str],
    log_file: Path,
) -> None:
    wrong = "틀린-비밀번호-1234"
    answer_connect(pg_2024)
    answer_password(wrong, [])
    assert not file_window.file_actions.connect_server()
    assert len(warnings) == 1
    message = warnings[0]
    assert "사용자 이름이나 비밀번호가 맞지 않습니다" in message and "Traceback" not in message
    assert describe_target(pg_2024) in message  # the server named, its password as ***
    # Still on the file, the failed server neither saved nor listed, the wrong password nowhere.
    assert file_window.backend is not None and file_window.backend.path == db_2024
    assert saved_connections(settings) == []
    assert file_window.file_actions.passwords.known(without_password(pg_2024)) is None
    shown = everything_shown(file_window) + message
    for place, text in (("screen", shown), ("settings", settings_text(settings)), ("log", logged(log_file))):
        assert wrong not in text and str(pg_2024.password) not in text, place


@pytest.mark.parametrize("address", ["sqlite:///report.sqlite", "http://example.invalid/report", "postgresql://u@h/d"])
def test_other_addresses_are_refused_and_make_no_file(
    file_window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings: list[str],
    address: str,
    db_2024: Path,
) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    assert not file_window.file_actions.open_database(address)
    assert len(warnings) == 1 and "주소는 쓸 수 없습니다" in warnings[0]
    assert "postgresql+psycopg://" in warnings[0]  # it says what would do
    assert list(work.iterdir()) == []
    assert file_window.backend is not None and file_window.backend.path == db_2024


def test_a_server_that_is_not_there_is_a_korean_message(
    file_window: MainWindow, pg_2024: URL, warnings: list[str], monkeypatch: pytest.MonkeyPatch, db_2024: Path
) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(PASSWORD_VARIABLE, str(pg_2024.password))  # no prompt: the password is in the environment
    assert not file_window.file_actions.open_database(without_password(pg_2024).set(port=port))
    assert len(warnings) == 1 and "서버에 연결할 수 없습니다" in warnings[0] and "Traceback" not in warnings[0]
    assert str(pg_2024.password) not in warnings[0]
    assert file_window.backend is not None and file_window.backend.path == db_2024


def app_process(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run(*args, env=...)``: the real app offscreen with its own data and settings folders."""
    data, config, home = tmp_path / "data", tmp_path / "config", tmp_path / "home"
    for folder in (data, config, home):
        folder.mkdir(exist_ok=True)
    set_user_name("시험 사용자", data)

    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        inherited = {k: v for k, v in os.environ.items() if k != PASSWORD_VARIABLE}
        full = {
            **inherited,
            "QT_QPA_PLATFORM": "offscreen",
            "SERI_DATA_DIR": str(data),
            "XDG_CONFIG_HOME": str(config),
            "HOME": str(home),
            **(env or {}),
        }
        return subprocess.run(
            [sys.executable, "-m", "seri_desktop", *args],
            env=full,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )

    return run


def test_the_app_starts_on_a_server_url_given_with_db(tmp_path: Path, pg_2024: URL) -> None:
    password = str(pg_2024.password)
    public = without_password(pg_2024).render_as_string(hide_password=False)
    shown, title = tmp_path / "database.txt", tmp_path / "geometry.json"
    steps = tmp_path / "steps.json"
    steps.write_text(
        json.dumps([{"wait_checked": str(tmp_path / "checked")}, {"database": str(shown)}, {"geometry": str(title)}, {"quit": 0}]),
        encoding="utf-8",
    )
    run = app_process(tmp_path)
    done = run("--db", public, env={PASSWORD_VARIABLE: password, "SERI_TEST_SCRIPT": str(steps)})
    assert done.returncode == 0, done.stderr
    assert shown.read_text(encoding="utf-8") == describe_target(without_password(pg_2024))
    assert (tmp_path / "checked").is_file()
    # Nothing the app wrote (its settings, its log, its output) holds the password; no file was made from the URL.
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != steps]
    assert any(p.suffix == ".conf" for p in written)  # the recent list was written
    for path in written:
        assert password not in path.read_text(encoding="utf-8", errors="replace"), path
    assert password not in done.stdout + done.stderr
    assert not any("postgresql" in p.name for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("address", ["sqlite:///report.sqlite", "http://example.invalid/report"])
def test_db_with_another_scheme_is_refused_in_korean_before_the_window(tmp_path: Path, address: str) -> None:
    run = app_process(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    done = run("--db", address)
    assert done.returncode == 2
    assert "주소는 쓸 수 없습니다" in done.stderr and "Traceback" not in done.stderr
    assert sorted(tmp_path.rglob("*")) == before  # no file, no folder: not even the log


def test_the_dialog_offers_the_saved_connections_without_any_password(qtbot: QtBot, settings: QSettings) -> None:
    from sqlalchemy import make_url

    remember_connection(settings, make_url("postgresql+psycopg://planner:비밀-암호@db.example:6543/report"))
    remember_connection(settings, make_url("postgresql+psycopg://dept@db2.example/other"))
    assert "비밀-암호" not in settings_text(settings)
    dialog = ConnectDialog(None, settings)
    qtbot.addWidget(dialog)
    assert dialog.saved.count() == 3  # (새 연결) and the two, newest first
    assert (dialog.host.text(), dialog.port.value(), dialog.database.text(), dialog.user.text()) == (
        "db2.example", 5432, "other", "dept",
    )
    dialog.saved.setCurrentIndex(2)
    assert dialog.url() == make_url("postgresql+psycopg://planner@db.example:6543/report")
    assert dialog.url().password is None
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.database.clear()
    assert not ok.isEnabled()  # a server needs its database named
