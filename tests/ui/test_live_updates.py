"""The window shows what another client saves on the same PostgreSQL database (issue 16.3: LISTEN/NOTIFY).

A second process (``tests/pg/pg_client.py``) saves a program through the
unit of work, whose commit notifies; the window, listening on its own
connection, refreshes the navigator and the programs not being edited and
leaves the one being edited as it is. On SQLite nothing listens.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy import URL

from seri_desktop.domain.identity import ItemRef
from seri_desktop.store.notify import CHANNEL, Change, parse_payload, payload_of
from seri_desktop.store.unit import read_snapshot
from seri_desktop.ui.backend import StoreBackend, open_workspace
from seri_desktop.ui.main_window import MainWindow
from seri_desktop.ui.rows import program_for_key
from tests.helpers.qt import type_text

CLIENT = Path(__file__).resolve().parents[1] / "pg" / "pg_client.py"
WAIT_MS = 15_000


@pytest.fixture
def server_window(qtbot: QtBot, settings: QSettings, pg_2024: URL) -> Iterator[MainWindow]:
    window = MainWindow(open_workspace(pg_2024), settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitActive(window):
        window.activateWindow()
    window.validator.flush()
    yield window
    window.live.stop()
    backend = window.backend
    if backend is not None:
        backend.close()


def save_elsewhere(url: URL, uid: str, title: str, tmp_path: Path, recorded_name: str) -> None:
    """Another process renames program ``uid`` to ``title`` and saves it (the unit of work, a commit)."""
    ready, go = tmp_path / f"ready-{uid}", tmp_path / f"go-{uid}"
    go.touch()
    done = subprocess.run(
        [sys.executable, str(CLIENT), url.render_as_string(hide_password=False), uid, title, recorded_name, str(ready), str(go)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "saved" in json.loads(done.stdout)


def uid_of(window: MainWindow, key: str) -> str:
    """The stored uid of navigator row ``key``'s program (rows go by code)."""
    assert window.report is not None
    program = program_for_key(window.report, key)
    assert program is not None
    return program.uid


def label(window: MainWindow, key: str) -> str:
    row = window.model.row(key)
    return row.label if row is not None else ""


def test_a_program_saved_elsewhere_shows_in_the_navigator_and_in_its_open_form(
    qtbot: QtBot, server_window: MainWindow, pg_2024: URL, tmp_path: Path, recorded_name: str
) -> None:
    window = server_window
    assert window.live.watcher.listening
    shown, other = "program:1-1", "program:2-1"
    assert window.select_key(shown)
    window.tree.setFocus()  # looking at it, not editing it
    save_elsewhere(pg_2024, uid_of(window, shown), "다른 곳에서 바꾼 제목", tmp_path, recorded_name)
    save_elsewhere(pg_2024, uid_of(window, other), "둘째 사업의 새 제목", tmp_path, recorded_name)
    qtbot.waitUntil(lambda: label(window, other).endswith("둘째 사업의 새 제목"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.program_form.title.text() == "다른 곳에서 바꾼 제목", timeout=WAIT_MS)
    assert label(window, shown) == "1-1 다른 곳에서 바꾼 제목"
    assert window.current_key() == shown  # the same item stays selected
    # What the window now holds is what it may save on: its next save is not refused as stale.
    backend = window.backend
    assert isinstance(backend, StoreBackend)
    stored = read_snapshot(backend.engine, 2024)
    assert backend.revision(ItemRef.program(uid_of(window, other))) == stored.revision(ItemRef.program(uid_of(window, other)))


def test_the_program_being_edited_keeps_its_text_while_others_refresh(
    qtbot: QtBot, server_window: MainWindow, pg_2024: URL, tmp_path: Path, recorded_name: str
) -> None:
    window = server_window
    window.autosaver.set_delay(600_000)  # the typing stays unsaved for the whole test
    edited, other = "program:1-2", "program:3-1"
    assert window.select_key(edited)
    title = window.program_form.title
    title.setFocus()
    qtbot.waitUntil(title.hasFocus)
    title.end(False)
    before = title.text()
    type_text(title, " 고치는 중")
    session = window.units.get(edited)
    assert session is not None and session.stack.count() == 1
    backend = window.backend
    assert isinstance(backend, StoreBackend)
    edited_uid = uid_of(window, edited)
    read_at = backend.revision(ItemRef.program(edited_uid))

    save_elsewhere(pg_2024, uid_of(window, other), "셋째 장 사업의 새 제목", tmp_path, recorded_name)
    qtbot.waitUntil(lambda: label(window, other).endswith("셋째 장 사업의 새 제목"), timeout=WAIT_MS)
    # The form being edited was left alone: its text, its undo history, its cursor's field, its session.
    assert title.text() == before + " 고치는 중" and title.hasFocus()
    assert window.units.get(edited) is session and session.stack.count() == 1
    assert window.autosaver.pending() == [edited]
    # The program taken in has the revision it was saved at; the edited one keeps the one it was read at.
    other_ref = ItemRef.program(uid_of(window, other))
    assert backend.revision(other_ref) == read_snapshot(backend.engine, 2024).revision(other_ref) > 0
    assert backend.revision(ItemRef.program(edited_uid)) == read_at

    # Someone saves the very program being edited: it is not reloaded, and its save stays checked
    # against the revision it was read at (the store refuses it as stale rather than overwrite).
    save_elsewhere(pg_2024, edited_uid, "동시에 바꾼 제목", tmp_path, recorded_name)
    qtbot.wait(1500)
    assert title.text() == before + " 고치는 중"
    assert backend.revision(ItemRef.program(edited_uid)) == read_at
    assert window.live.pending

    # Both other saves are in the store; the typing is still only in the window (its save is h12's stale dialog).
    window.autosaver.discard()
    stored = read_snapshot(backend.engine, 2024)
    renamed = stored.report.program_by_uid(uid_of(window, other))
    assert renamed is not None and renamed.title == "셋째 장 사업의 새 제목"
    concurrent = stored.report.program_by_uid(edited_uid)
    assert concurrent is not None and concurrent.title == "동시에 바꾼 제목"


def test_nothing_listens_on_sqlite(db_2024: Path, qtbot: QtBot, settings: QSettings) -> None:
    window = MainWindow(open_workspace(db_2024), settings=settings)
    qtbot.addWidget(window)
    try:
        assert not window.live.watcher.listening
    finally:
        backend = window.backend
        assert backend is not None
        backend.close()


def test_a_payload_too_large_to_list_says_read_everything() -> None:
    many = {f"{n:032d}": n for n in range(400)}
    text = payload_of(Change(2024, many, "host:1"))
    assert len(text.encode("utf-8")) < 8000
    back = parse_payload(text)
    assert back is not None and back.everything and back.year == 2024 and back.origin == "host:1"
    few = parse_payload(payload_of(Change(2024, {"I": 3, "II:기획평가부": 2}, "host:1")))
    assert few is not None and dict(few.items or {}) == {"I": 3, "II:기획평가부": 2}
    assert parse_payload("not json") is None and parse_payload('{"items": {}}') is None
    assert CHANNEL == "seri_changes"


def test_a_listener_cut_off_by_the_server_reconnects_and_refreshes(
    qtbot: QtBot, server_window: MainWindow, pg_2024: URL, tmp_path: Path, recorded_name: str
) -> None:
    from sqlalchemy import create_engine, text

    from seri_desktop.store.notify import LISTENER_APPLICATION

    window = server_window
    assert window.live.watcher.listening
    admin = create_engine(pg_2024)
    try:
        with admin.begin() as conn:
            ended = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE application_name = :app AND datname = current_database()"
                ),
                {"app": LISTENER_APPLICATION},
            ).scalar_one()
    finally:
        admin.dispose()
    assert ended == 1
    qtbot.waitUntil(lambda: not window.live.watcher.listening, timeout=WAIT_MS)
    with qtbot.waitSignal(window.live.refreshed, timeout=WAIT_MS):  # back, and reading everything again
        pass
    assert window.live.watcher.listening
    other = "program:4-1"
    save_elsewhere(pg_2024, uid_of(window, other), "다시 연결한 뒤 바꾼 제목", tmp_path, recorded_name)
    qtbot.waitUntil(lambda: label(window, other).endswith("다시 연결한 뒤 바꾼 제목"), timeout=WAIT_MS)
