"""Kill the real app (SIGKILL) right after typing, before the autosave: the next start offers the text.

Issue 12 item 10. The app runs as its own process, offscreen, on a copy of
the 2024 database; ``SERI_TEST_SCRIPT`` makes it select 4-8 and type a few
words at the end of its 문제점 outline, then write a marker file. The test
kills the process as soon as the marker appears (well inside the autosave
pause), checks that the database does not hold the words (the autosave never
ran), then opens the window on the database again: the recovery dialog lists
4-8, 복구 puts the words back into the form, and the autosave stores them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from seri_desktop.ui.autosave import DELAY_MS
from seri_desktop.ui.main_window import MainWindow
from tests.helpers.db import load_db
from tests.ui.test_kill import run_script_then_kill

pytestmark = [pytest.mark.acceptance, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")]

OpenWindow = Callable[..., MainWindow]
TYPED = " (저장 전 강제 종료 시험)"
KILL_WITHIN_S = 0.2


def _issues_4_8(db: Path) -> list[str]:
    program = load_db(db).program("4-8")
    assert program is not None
    return [item.text for item in program.issues]


def test_text_typed_just_before_a_kill_is_offered_and_restored(
    tmp_path: Path, db_2024: Path, open_window: OpenWindow, qtbot: QtBot
) -> None:
    before = _issues_4_8(db_2024)
    edited = tmp_path / "edited"
    steps: list[dict[str, Any]] = [
        {"select": "program:4-8"},
        {"outline_append": ["issues", TYPED]},
        {"mark": str(edited)},
    ]
    edit_time, killed_at = run_script_then_kill(tmp_path, db_2024, steps, edited)
    # Killed inside the pause, and the database shows that the autosave never ran.
    assert killed_at - edit_time < DELAY_MS / 1000
    print(f"killed {killed_at - edit_time:.3f} s after the edit (goal {KILL_WITHIN_S} s)")
    assert _issues_4_8(db_2024) == before

    window = open_window(db_2024)
    qtbot.waitUntil(lambda: window.journal.dialog is not None and window.journal.dialog.isVisible(), timeout=5000)
    dialog = window.journal.dialog
    assert dialog is not None
    listed = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    assert len(listed) == 1 and listed[0].startswith("4-8 ")
    assert "문제점" in dialog.table.item(0, 2).text()
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: window.current_key() == "program:4-8")
    assert window.program_form.editors["issues"].outline()[-1].text.endswith(TYPED)
    assert window.flush() is True
    assert _issues_4_8(db_2024)[-1].endswith(TYPED)
    assert _issues_4_8(db_2024)[:-1] == before[:-1]
    journal = window.journal.journal
    assert journal is not None and not journal.path.exists()  # saved: nothing is offered again

    again = open_window(db_2024)
    qtbot.wait(50)
    assert again.journal.dialog is None


def test_a_damaged_journal_never_stops_the_start_and_discard_drops_it(
    db_2024: Path, open_window: OpenWindow, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    from seri_desktop.domain.model import ItemKind, OutlineItem
    from seri_desktop.store.journal import EditJournal, database_identity

    before = _issues_4_8(db_2024)
    program = load_db(db_2024).program("4-8")
    assert program is not None
    crashed = EditJournal(database_identity(str(db_2024)))
    crashed.record_edit(
        year=2024,
        item=program.uid,
        label="4-8 " + program.title,
        read=0,
        field_key="issues",
        value=[*program.issues, OutlineItem(0, ItemKind.ITEM, "버려질 입력")],
    )
    with crashed.path.open("ab") as handle:
        handle.write(b'{"v": 1, "run": "old", "item": "x", "fiel')  # the line the kill cut short
    with caplog.at_level("WARNING", logger="seri_desktop.store.journal"):
        window = open_window(db_2024)
        qtbot.waitUntil(lambda: window.journal.dialog is not None and window.journal.dialog.isVisible(), timeout=5000)
    assert any("skipped" in r.getMessage() for r in caplog.records)
    dialog = window.journal.dialog
    assert dialog is not None and dialog.table.rowCount() == 1
    dialog.discard_button.click()
    assert not crashed.path.exists()
    assert window.flush() is True
    assert _issues_4_8(db_2024) == before
    assert window.select_key("program:4-8")
    assert [i.text for i in window.program_form.editors["issues"].outline()] == before
