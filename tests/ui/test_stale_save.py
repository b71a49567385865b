"""A stale autosave in the window (issue 12 item 1, issue 16 item 3): the person's text is never lost.

The window has a program (or a department's section II) open; a second
connection (another person, a merge) saves it; the person then types. The
autosave is refused as stale, the text stays in the form and in the journal,
and the dialog shows both versions side by side, naming who saved first.
Each choice is checked against the store read back through its own engine:
keeping mine writes it with an ``overwrite`` audit entry, taking the stored
one writes nothing and puts it in the form (Ctrl+Z brings mine back), copying
puts my text on the clipboard. Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication, QTextCursor
from pytestqt.qtbot import QtBot
from sqlalchemy import URL, Engine

from seri_desktop.domain.model import ItemKind, OutlineItem, Report
from seri_desktop.store.audit import AuditAction, audit_log
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report, save_program, save_report, save_section_ii
from seri_desktop.store.unit import StaleWriteError, read_snapshot
from seri_desktop.ui.backend import StoreBackend, Workspace
from seri_desktop.ui.main_window import MainWindow
from seri_desktop.ui.stale_dialog import StaleDialog
from tests.ui.conftest import make_sample_report

OTHER = "김영희"


@pytest.fixture
def stored(db_target: Path | URL) -> Iterator[Path | URL]:
    """The sample report in a fresh database on each engine."""
    engine = create_engine_for(db_target)
    try:
        save_report(engine, make_sample_report())
    finally:
        engine.dispose()
    yield db_target


@pytest.fixture
def window(qtbot: QtBot, settings: QSettings, stored: Path | URL) -> Iterator[MainWindow]:
    backend = StoreBackend(create_engine_for(stored), stored if isinstance(stored, Path) else None)
    window = MainWindow(Workspace(backend), settings=settings, open_workspace=None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.validator.flush()
    yield window
    window.autosaver.discard()
    backend.close()


@pytest.fixture
def other(stored: Path | URL) -> Iterator[Engine]:
    """A second connection to the same database: another person's."""
    engine = create_engine_for(stored)
    yield engine
    engine.dispose()


def _stored_report(engine: Engine) -> Report:
    report = load_report(engine, 2024)
    assert report is not None
    return report


def _other_saves_program(engine: Engine, code: str, text: str) -> None:
    report = _stored_report(engine)
    program = report.program(code)
    assert program is not None
    program.issues = [OutlineItem(0, ItemKind.ITEM, text)]
    save_program(engine, 2024, program, who=OTHER)


def _type_at_end(window: MainWindow, field: str, text: str) -> None:
    editor = window.program_form.editors[field]
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    editor.insertPlainText(text)


def _stale_dialog(qtbot: QtBot, window: MainWindow) -> StaleDialog:
    assert window.flush() is False  # refused: someone saved first
    qtbot.waitUntil(lambda: window.stale_resolver.dialog is not None and window.stale_resolver.dialog.isVisible())
    dialog = window.stale_resolver.dialog
    assert dialog is not None
    return dialog


def test_the_store_names_who_saved_first(stored: Path | URL, other: Engine) -> None:
    snapshot = read_snapshot(other, 2024)
    program = snapshot.report.program("1-1")
    assert program is not None
    ref_read = snapshot.revisions.get(program.uid, 0)
    _other_saves_program(other, "1-1", "다른 사람이 먼저 저장")
    mine = copy.deepcopy(program)
    mine.issues = [OutlineItem(0, ItemKind.ITEM, "내가 늦게 저장")]
    with pytest.raises(StaleWriteError) as caught:
        save_program(other, 2024, mine, read=ref_read)
    error = caught.value
    assert error.code == "stale"
    assert OTHER in str(error) and "1-1" in str(error)
    assert error.saved_by == OTHER and error.saved_at is not None
    assert f"{error.saved_at.astimezone():%Y-%m-%d %H:%M}" in str(error)
    stored_program = error.stored
    assert stored_program is not None and stored_program.issues[0].text == "다른 사람이 먼저 저장"  # type: ignore[attr-defined]
    assert _stored_report(other).program("1-1").issues[0].text == "다른 사람이 먼저 저장"  # type: ignore[union-attr]


def test_keep_mine_saves_over_with_an_audit_entry(qtbot: QtBot, window: MainWindow, other: Engine) -> None:
    assert window.select_key("program:1-1")
    _other_saves_program(other, "1-1", "다른 사람이 먼저 저장")
    _type_at_end(window, "issues", "내가 입력한 문장")
    dialog = _stale_dialog(qtbot, window)

    # Until the person chooses, the text is in the form, unsaved, and journalled.
    assert window.program_form.editors["issues"].outline()[-1].text == "내가 입력한 문장"
    assert window.autosaver.held() == ["program:1-1"] and window.autosaver.is_dirty()
    journal = window.journal.journal
    assert journal is not None
    pending = journal.pending()
    assert [u.label.split()[0] for u in pending] == ["1-1"]
    assert pending[0].fields["issues"][-1].text == "내가 입력한 문장"
    # Side by side: who saved first, both texts.
    assert OTHER in dialog.message.text()
    cells = [[dialog.table.item(r, c).text() for c in range(3)] for r in range(dialog.table.rowCount())]
    assert any("다른 사람이 먼저 저장" in row[1] for row in cells)
    assert any("내가 입력한 문장" in row[2] for row in cells)
    assert OTHER in (dialog.table.horizontalHeaderItem(1).text())
    # Another flush while the choice is open writes nothing and keeps the text.
    assert window.flush() is False
    assert _stored_report(other).program("1-1").issues[-1].text == "다른 사람이 먼저 저장"  # type: ignore[union-attr]

    dialog.keep_button.click()
    qtbot.waitUntil(lambda: not window.autosaver.is_dirty())
    program = _stored_report(other).program("1-1")
    assert program is not None
    assert program.issues[-1].text == "내가 입력한 문장"
    overwrites = [e for e in audit_log(other, 2024) if e.action == AuditAction.OVERWRITE]
    assert len(overwrites) == 1
    assert overwrites[0].who != OTHER and OTHER in overwrites[0].old and overwrites[0].item_code == "1-1"
    assert not journal.path.exists()  # saved: nothing left to recover
    # Typing on afterwards saves normally (the window has the new revision).
    _type_at_end(window, "issues", " 계속")
    assert window.flush() is True
    assert _stored_report(other).program("1-1").issues[-1].text == "내가 입력한 문장 계속"  # type: ignore[union-attr]


def test_take_the_stored_one_and_copy_mine(qtbot: QtBot, window: MainWindow, other: Engine) -> None:
    assert window.select_key("program:1-2")
    _other_saves_program(other, "1-2", "저장된 쪽")
    before = audit_log(other, 2024)
    _type_at_end(window, "issues", "버릴 수도 있는 내 문장")
    dialog = _stale_dialog(qtbot, window)

    copied = dialog.copy_mine()
    assert "버릴 수도 있는 내 문장" in copied
    assert QGuiApplication.clipboard().text() == copied
    assert dialog.isVisible()  # copying chooses nothing

    dialog.take_button.click()
    qtbot.waitUntil(lambda: not window.autosaver.is_dirty())
    editor = window.program_form.editors["issues"]
    assert [i.text for i in editor.outline()] == ["저장된 쪽"]
    assert _stored_report(other).program("1-2").issues[-1].text == "저장된 쪽"  # type: ignore[union-attr]
    assert len(audit_log(other, 2024)) == len(before)  # taking the stored one writes nothing
    # One undo step brings my text back into the form.
    window.undo_group.undo()
    assert editor.outline()[-1].text == "버릴 수도 있는 내 문장"
    window.autosaver.discard()


def test_closing_the_dialog_keeps_the_text_and_asks_again(qtbot: QtBot, window: MainWindow, other: Engine) -> None:
    assert _select_department(window)
    report = _stored_report(other)
    department = report.department("교육연구부")
    assert department is not None
    department.results = [OutlineItem(0, ItemKind.ITEM, "다른 사람의 성과")]
    save_section_ii(other, 2024, department, who=OTHER)
    form = window.department_form
    editor = form.editors["results"]
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    editor.insertPlainText(" 내 성과")
    dialog = _stale_dialog(qtbot, window)
    dialog.later_button.click()
    qtbot.waitUntil(lambda: window.stale_resolver.dialog is None)
    assert editor.outline()[0].text.endswith(" 내 성과")
    assert window.autosaver.is_dirty()
    # The next edit tries again, and asks again.
    editor.insertPlainText("!")
    dialog = _stale_dialog(qtbot, window)
    dialog.keep_button.click()
    qtbot.waitUntil(lambda: not window.autosaver.is_dirty())
    stored_department = _stored_report(other).department("교육연구부")
    assert stored_department is not None and stored_department.results[0].text.endswith(" 내 성과!")


def _select_department(window: MainWindow) -> bool:
    from seri_desktop.domain.identity import ItemRef

    return window.go_to_unit(ItemRef.section_ii("교육연구부"))


def test_a_reload_while_held_offers_the_text_again_and_it_comes_back_stale(
    qtbot: QtBot, window: MainWindow, other: Engine
) -> None:
    assert window.select_key("program:2-1")
    _other_saves_program(other, "2-1", "다시 읽기 전에 저장된 내용")
    _type_at_end(window, "issues", "다시 읽어도 남는 내 문장")
    dialog = _stale_dialog(qtbot, window)
    dialog.later_button.click()
    qtbot.waitUntil(lambda: window.stale_resolver.dialog is None)

    window.reload()  # e.g. after an import: the forms are rebuilt from the store, the held edit dropped from them
    qtbot.waitUntil(lambda: window.journal.dialog is not None and window.journal.dialog.isVisible())
    recovery = window.journal.dialog
    assert recovery is not None and recovery.table.item(0, 0).text().startswith("2-1 ")
    recovery.restore_button.click()
    assert window.program_form.editors["issues"].outline()[-1].text == "다시 읽어도 남는 내 문장"
    # Restored on the revision read then: the other save is still newer, so the choice comes again.
    dialog = _stale_dialog(qtbot, window)
    assert OTHER in dialog.message.text()
    dialog.keep_button.click()
    qtbot.waitUntil(lambda: not window.autosaver.is_dirty())
    assert _stored_report(other).program("2-1").issues[-1].text == "다시 읽어도 남는 내 문장"  # type: ignore[union-attr]
    journal = window.journal.journal
    assert journal is not None and not journal.path.exists()
