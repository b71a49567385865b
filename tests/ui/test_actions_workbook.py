"""Excel export/import and 새 연도 보고서 from the window (dialogs answered by the test)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QWidget

from seri_desktop.domain.model import Program
from seri_desktop.formats.xlsx import read_budget_workbook
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import report_years
from seri_desktop.ui import actions_workbook
from seri_desktop.ui.main_window import MainWindow
from seri_desktop.ui.mnemonics import plain
from tests.helpers.db import load_db
from tests.helpers.qt import answer_file_dialog
from tests.helpers.types import OpenWindow
from tests.helpers.workbook import key_row


@pytest.fixture
def confirmations(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    asked: list[list[str]] = []

    def confirm(parent: QWidget, lines: list[str]) -> bool:
        asked.append(list(lines))
        return True

    monkeypatch.setattr(actions_workbook, "confirm_changes", confirm)
    return asked


def _export(window: MainWindow, tmp_path: Path) -> Path:
    out = tmp_path / "budget.xlsx"
    assert window.workbook_actions.export_workbook(out)
    return out


def _exported_with_line_edited(window: MainWindow, tmp_path: Path, cells: dict[int, object]) -> tuple[Path, Program, int]:
    """The window's workbook with ``cells`` (column → value) typed into the first budget line of a program.

    Returns the workbook, that program and the line's row.
    """
    book = _export(window, tmp_path)
    assert window.report is not None
    program = next(p for p in window.report.programs() if p.budget.lines)
    wb = openpyxl.load_workbook(book)
    ws = wb[program.department]
    row = key_row(ws, f"l|{program.code}|1|")
    for column, value in cells.items():
        ws.cell(row, column).value = value
    wb.save(book)
    return book, program, row


def test_menu_has_the_workbook_actions(open_window: OpenWindow, db_2024: Path) -> None:
    window = open_window(db_2024)
    texts = {plain(a.text()) for a in window.file_menu.actions()}
    assert {"엑셀로 내보내기…", "엑셀에서 가져오기…", "새 연도 보고서…"} <= texts
    assert window.workbook_actions.import_action.isEnabled()


def test_export_reads_back_without_changes(
    open_window: OpenWindow,
    db_2024: Path,
    tmp_path: Path,
    warnings: list[str],
) -> None:
    window = open_window(db_2024)
    out = tmp_path / "picked"
    answer_file_dialog(out)
    window.workbook_actions.export_action.trigger()
    written = out.with_suffix(".xlsx")
    assert window.report is not None
    found = read_budget_workbook(written, window.report)
    assert found.ok and found.changes == []
    assert warnings == []


def test_import_changed_amount_updates_store_and_window(
    open_window: OpenWindow, db_2024: Path, tmp_path: Path, warnings: list[str], confirmations: list[list[str]]
) -> None:
    window = open_window(db_2024)
    book, program, row = _exported_with_line_edited(window, tmp_path, {5: 777})  # line 1, 1분기
    assert window.report is not None

    assert window.workbook_actions.import_workbook(book)
    assert len(confirmations) == 1 and any(f"{program.department}!E{row}" in line for line in confirmations[0])
    stored = load_db(db_2024)
    stored_program = next(p for p in stored.programs() if p.code == program.code)
    assert stored_program.budget.lines[0].quarters[0].amount.value == 777
    shown = next(p for p in window.report.programs() if p.code == program.code)
    assert shown.budget.lines[0].quarters[0].amount.value == 777
    assert warnings == []


def test_rejected_cell_lists_it_and_changes_nothing(
    open_window: OpenWindow, db_2024: Path, tmp_path: Path, warnings: list[str], confirmations: list[list[str]]
) -> None:
    window = open_window(db_2024)
    # Text in an amount column (C), and a valid change (E) that must not land either.
    book, program, row = _exported_with_line_edited(window, tmp_path, {3: "많이", 5: 555})
    before = db_2024.read_bytes()

    assert not window.workbook_actions.import_workbook(book)
    dialog = window.workbook_actions.last_dialog
    assert dialog is not None and dialog.isVisible()
    assert any(line.startswith(f"{program.department}!C{row}: ") for line in dialog.lines)
    assert confirmations == []
    assert db_2024.read_bytes() == before
    dialog.close()


def test_new_year_report_creates_2025_db(
    open_window: OpenWindow, db_2024: Path, tmp_path: Path, warnings: list[str]
) -> None:
    window = open_window(db_2024)
    target = tmp_path / "next" / "report-2025.sqlite"
    assert window.workbook_actions.create_next_year(target)
    engine = create_engine_for(target)
    try:
        assert report_years(engine) == [2025]
    finally:
        engine.dispose()
    assert "2025" in window.statusBar().currentMessage()
    # The open 2024 database is untouched.
    engine = create_engine_for(db_2024)
    try:
        assert report_years(engine) == [2024]
    finally:
        engine.dispose()
    assert warnings == []
