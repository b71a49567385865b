"""The program form on a small report: table rows and budget lines, creating tables, undo per program."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from seri_desktop.domain.model import CellKind, Report, TargetRow
from seri_desktop.ui.backend import Workspace
from seri_desktop.ui.main_window import MainWindow
from tests.helpers.backend import MemoryBackend


def make_window(qtbot: QtBot, settings: QSettings, backend: Any) -> MainWindow:
    window = MainWindow(Workspace(backend), settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.validator.flush()
    return window


def test_target_rows_added_moved_removed_and_the_qualifier(
    qtbot: QtBot, settings: QSettings, sample_report: Report
) -> None:
    backend = MemoryBackend(sample_report)
    window = make_window(qtbot, settings, backend)
    window.select_key("program:1-1")
    editor = window.program_form.targets_editor
    rows = editor.rows_editor
    program = window.current_program()
    assert program is not None and program.targets is not None

    rows.view.setCurrentIndex(rows.model.index(0, 0))
    rows.add_button.click()
    assert [r.name for r in program.targets.rows] == ["기본 연구", "", "현안 연구"]
    rows.model.setData(rows.model.index(1, 0), "새 세부사업")
    rows.model.setData(rows.model.index(1, 1), "'24.3~12월")
    rows.view.setCurrentIndex(rows.model.index(1, 0))
    rows.down_button.click()
    assert [r.name for r in program.targets.rows] == ["기본 연구", "현안 연구", "새 세부사업"]
    assert rows.view.currentIndex().row() == 2  # the moved row stays selected
    rows.view.selectRow(0)
    rows.remove_button.click()
    assert program.targets.rows == [TargetRow("현안 연구", "연중", "4건"), TargetRow("새 세부사업", "'24.3~12월", "")]

    editor.qualifier.setFocus()
    qtbot.keyClicks(editor.qualifier, "(ratio)")
    assert program.targets.qualifier == "(ratio)"
    assert rows.model.headerData(2, Qt.Orientation.Horizontal) == "물량 ((ratio))"
    # The empty quantity of the new row is marked at its cell once re-checked.
    qtbot.waitUntil(lambda: bool(rows.model.index(1, 2).data(Qt.ItemDataRole.ToolTipRole)), timeout=3000)
    assert "물량이 비어 있습니다" in rows.model.index(1, 2).data(Qt.ItemDataRole.ToolTipRole)
    window.flush()
    assert backend.saves[-1] == ("program", "1-1")


def test_budget_lines_added_moved_removed(
    qtbot: QtBot, settings: QSettings, sample_report: Report
) -> None:
    window = make_window(qtbot, settings, MemoryBackend(sample_report))
    window.select_key("program:1-1")
    budget = window.program_form.budget_editor
    program = window.current_program()
    assert program is not None and program.budget is not None
    budget.view.setCurrentIndex(budget.index_for(1, "name"))
    budget.add_button.click()
    assert budget.set_cell_text(2, "name", "새 예산 사업")
    assert budget.set_cell_text(2, "current", "-1234")
    assert budget.set_cell_text(2, "note2", "강사비")
    line = program.budget.lines[2]
    assert (line.name, line.current.value, line.quarters[1].note) == ("새 예산 사업", -1234, "강사비")
    assert budget.model.index(2 * 2, 1).data() == "△1,234"
    assert budget.model.index(budget.model.total_row(), 1).data() == "149,266"  # 120,000 + 30,500 - 1,234
    budget.view.setCurrentIndex(budget.index_for(2, "current"))
    budget.up_button.click()
    assert [ln.name for ln in program.budget.lines] == ["정책연구 운영", "새 예산 사업", "연구 성과 확산"]
    budget.view.setCurrentIndex(budget.index_for(1, "page"))
    budget.remove_button.click()
    assert [ln.name for ln in program.budget.lines] == ["정책연구 운영", "연구 성과 확산"]
    assert program.budget.printed_total is None  # the form's 계 is computed


def test_tables_are_made_on_demand(
    qtbot: QtBot, settings: QSettings, sample_report: Report
) -> None:
    sample_report.as_of = dt.date(2024, 6, 30)
    window = make_window(qtbot, settings, MemoryBackend(sample_report))
    window.select_key("program:2-1")
    form = window.program_form
    assert form.targets_editor.create_button.isVisible()
    assert form.budget_editor.create_button.isVisible()
    assert not form.editors["budget.notes"].isVisible()
    form.targets_editor.create_button.click()
    form.budget_editor.create_button.click()
    program = window.current_program()
    assert program is not None and program.targets is not None and program.budget is not None
    assert program.budget.as_of == sample_report.as_of and program.budget.unit == "천원"
    assert form.budget_editor.model.headerData(4, Qt.Orientation.Horizontal) == "2분기\n집행액"
    assert form.editors["budget.notes"].isVisible()
    # The as-of date is typed as printed; an unreadable one is refused and said so.
    form.budget_editor.as_of.setText("'24.9.30.")
    form.budget_editor.as_of.editingFinished.emit()
    assert program.budget.as_of is not None and program.budget.as_of.month == 9
    assert form.budget_editor.model.headerData(5, Qt.Orientation.Horizontal) == "3분기\n집행액"
    form.budget_editor.as_of.setText("9월 말")
    form.budget_editor.as_of.editingFinished.emit()
    assert program.budget.as_of.month == 9
    assert "읽을 수 없습니다" in window.statusBar().currentMessage()
    form.session.stack.undo()  # type: ignore[union-attr]
    assert program.budget.as_of == sample_report.as_of


def test_each_program_keeps_its_own_undo_history(
    qtbot: QtBot, settings: QSettings, sample_report: Report
) -> None:
    window = make_window(qtbot, settings, MemoryBackend(sample_report))
    window.select_key("program:1-1")
    first = window.current_program()
    window.program_form.budget_editor.set_cell_text(0, "q1", "1")
    window.select_key("program:1-2")
    second = window.current_program()
    window.program_form.budget_editor.set_cell_text(0, "q1", "2")
    assert first is not None and second is not None
    assert window.undo_action.text() == "실행 취소 예산 1분기 금액 수정"
    window.undo_action.trigger()
    assert second.budget.lines[0].quarters[0].amount.value == 45_000 // 4  # type: ignore[union-attr]
    assert first.budget.lines[0].quarters[0].amount.value == 1  # type: ignore[union-attr]
    assert not window.undo_action.isEnabled()
    window.select_key("program:1-1")
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert first.budget.lines[0].quarters[0].amount.value == 120_000 // 4  # type: ignore[union-attr]
    window.redo_action.trigger()
    assert first.budget.lines[0].quarters[0].amount.kind is CellKind.AMOUNT
    assert first.budget.lines[0].quarters[0].amount.value == 1  # type: ignore[union-attr]
    # A summary page has nothing to undo.
    window.select_key("chapter:1")
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()
