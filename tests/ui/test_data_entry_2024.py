"""The data-entry window on the real 2024 report: what a department head does, end to end.

Budget figures used here (4-8 학교도서관 스마트 운영 지원 시스템, as printed):
line 1 '독서교육종합지원 시스템운영관리' budgets 35,220 but its quarters add up
to 33,468 (16,734 + 11,156 + 5,578 + -): the 4th quarter lacks 1,752.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from seri_desktop.domain.model import Cell, CellKind, ItemKind
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report
from seri_desktop.ui.main_window import MainWindow
from seri_desktop.ui.qtmodels.budget_model import Q4, BudgetModel
from tests.helpers.db import load_db
from tests.helpers.qt import type_text
from tests.helpers.types import OpenWindow

pytestmark = pytest.mark.acceptance

SHOTS = Path("/tmp")


def type_into_cell(qtbot: QtBot, window: MainWindow, index: QModelIndex, text: str) -> None:
    """Type into a budget cell the way a user does: select it, open the editor, type, Enter."""
    view = window.program_form.budget_editor.view
    view.setFocus()
    view.setCurrentIndex(index)
    view.edit(index)
    # A closed editor lingers until its deferred delete: take the one that is open.
    (editor,) = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on Enter through a queued call.
    QApplication.processEvents()


def problems_in_panel(window: MainWindow) -> list[str]:
    return [f"{p.place()} {p.message}" for p in window.problems_panel.visible_problems()]


def test_navigate_to_2_5_and_4_8(open_window: OpenWindow, db_2024: Path) -> None:
    window = open_window(db_2024)
    assert window.select_key("program:2-5")
    form = window.program_form
    assert window.stack.currentWidget() is form
    assert form.code_label.text() == "2-5"
    assert form.title.text() == "현장교육실천 연구대회 운영"
    # The quantity header carries 2-5's qualifier, editable above the table.
    targets = form.targets_editor
    assert targets.qualifier.text() == "출품작 수 대비 입상비율"
    assert targets.rows_editor.model.headerData(2, Qt.Orientation.Horizontal) == "물량 (출품작 수 대비 입상비율)"
    assert targets.rows_editor.model.rowCount() == 5
    # The empty periods of rows 2-5 are warnings, marked at the cells and counted in the tree.
    period = targets.rows_editor.model.index(1, 1)
    assert "추진시기가 비어 있습니다" in period.data(Qt.ItemDataRole.ToolTipRole)
    row = window.model.row("program:2-5")
    assert row is not None and (row.errors, row.warnings) == (0, 4)
    # Headings as printed, in template order.
    headings = [h.text() for h in form.headings.values()]
    assert headings[:3] == ["□ 사업 개요", "□ 2023년 추진 실적", "□ 추진 목표"]
    assert form.subheadings["plan.improvements"].text() == "2024년 주요 개선 사항"

    assert window.select_key("program:4-8")
    assert form.code_label.text() == "4-8"
    model = form.budget_editor.model
    assert model.rowCount() == 4 * 2 + 1  # two view rows per line, then 계
    assert model.index(0, 0).data() == "독서교육종합지원 시스템운영관리"
    assert model.index(0, 1).data() == "35,220"
    assert model.index(0, Q4).data() == "-"
    assert model.index(1, 3).data() == "시스템관리"  # the 1st quarter's note, under its amount
    total = model.total_row()
    assert model.index(total, 0).data() == "계"
    assert model.index(total, 1).data() == "431,083"
    assert not model.flags(model.index(total, 1)) & Qt.ItemFlag.ItemIsEditable
    # As of '24.6.30. the first two quarters are executed, the last two planned.
    assert model.headerData(4, Qt.Orientation.Horizontal) == "2분기\n집행액"
    assert model.headerData(5, Qt.Orientation.Horizontal) == "3분기\n집행예정액"
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert "1~4분기 합계 33,468" in problems_in_panel(window)[0]


def _4_8_first_line_q4(open_window: OpenWindow, db: Path) -> tuple[MainWindow, BudgetModel, QModelIndex]:
    """A window on ``db`` showing 4-8, its budget model, and the index of its first line's 4분기 cell."""
    window = open_window(db)
    window.select_key("program:4-8")
    editor = window.program_form.budget_editor
    return window, editor.model, editor.index_for(0, "q4")


def test_invalid_amount_is_kept_listed_and_never_stored_as_an_amount(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path
) -> None:
    # Behaviour changed (issue 14): what was typed is no longer thrown away; it stays an INVALID cell.
    window, model, index = _4_8_first_line_q4(open_window, db_2024)
    assert not [p for p in window.open_problems() if p.program == "4-8" and p.rule == "budget.cell-format"]

    type_into_cell(qtbot, window, index, "1,75a")

    assert model.data(index) == "1,75a"
    reason = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "금액이 아닙니다" in reason and "금액으로 저장하지 않았" in reason
    assert model.data(index, Qt.ItemDataRole.BackgroundRole).name() == "#f9c6c6"
    assert "1,75a" in window.statusBar().currentMessage()
    program = window.current_program()
    assert program is not None and program.budget is not None
    assert program.budget.lines[0].quarters[3].amount == Cell(CellKind.INVALID, raw="1,75a")
    window.validator.flush()
    qtbot.wait(10)  # the panel refreshes on the next event-loop turn
    listed = [line for line in problems_in_panel(window) if "'1,75a'" in line]
    assert len(listed) == 1 and "4분기" in listed[0] and "금액이 아닙니다" in listed[0]
    assert [p.rule for p in window.open_problems() if "'1,75a'" in p.message] == ["budget.cell-format"]
    # Stored as the text typed, never as a number.
    window.flush()
    saved = load_db(db_2024).program("4-8")
    assert saved is not None and saved.budget is not None
    assert saved.budget.lines[0].quarters[3].amount == Cell(CellKind.INVALID, raw="1,75a")

    # Another program and back: still there, still listed.
    window.select_key("program:2-5")
    assert all("'1,75a'" not in line for line in problems_in_panel(window))
    window.problems_panel.only_current.setChecked(False)
    assert any("'1,75a'" in line for line in problems_in_panel(window))
    window.problems_panel.only_current.setChecked(True)
    window.select_key("program:4-8")
    assert model.data(index) == "1,75a" and model.rejected_at(index) is not None
    assert any("'1,75a'" in line for line in problems_in_panel(window))

    # A badly grouped number gets its own reason; a valid amount clears it.
    type_into_cell(qtbot, window, index, "1,75")
    assert "쉼표 자리가 맞지 않습니다" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    type_into_cell(qtbot, window, index, "1,752")
    window.validator.flush()
    qtbot.wait(10)
    assert model.rejected_at(index) is None
    assert all("1,75" not in line.split("'")[1] for line in problems_in_panel(window) if "'" in line)
    assert not [p for p in window.open_problems() if p.program == "4-8" and p.rule == "budget.cell-format"]


def test_valid_amount_updates_total_and_problems_survives_reopen_and_undoes(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path
) -> None:
    window, model, index = _4_8_first_line_q4(open_window, db_2024)
    total_q4 = model.index(model.total_row(), Q4)
    assert total_q4.data() == "11,250"
    assert any("1~4분기 합계 33,468" in p for p in problems_in_panel(window))

    type_into_cell(qtbot, window, index, "1,75a")  # kept as typed first (an undo step of its own), then corrected
    type_into_cell(qtbot, window, index, "1752")

    assert model.data(index) == "1,752"
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) is None  # the refusal is gone
    assert total_q4.data() == "13,002"
    assert model.index(model.total_row(), 1).data() == "431,083"
    # The line now adds up: the panel drops its problem once the debounced check has run.
    qtbot.waitUntil(lambda: not any("33,468" in p for p in problems_in_panel(window)), timeout=3000)
    # The form shows the derived 계; what the printed 계 row and summary table said are the office's findings
    # (issue 13 item 4), never errors of 4-8: the program is clean now.
    assert not [p for p in window.validator.index.for_program("4-8") if p.section.startswith("budget")]
    row = window.model.row("program:4-8")
    assert row is not None and row.errors == 0

    # Autosave writes it shortly after the edit, without closing anything.
    qtbot.waitUntil(lambda: window.save_label.text().startswith("저장됨 "), timeout=5000)
    program = load_db(db_2024).program("4-8")
    assert program is not None and program.budget is not None
    assert program.budget.lines[0].quarters[3].amount.value == 1752

    # Undo (Ctrl+Z, with the focus in the table) brings the old value back, in the form and the store.
    view = window.program_form.budget_editor.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert model.data(index) == "1,75a"
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert model.data(index) == "-"
    assert total_q4.data() == "11,250"
    window.flush()
    program = load_db(db_2024).program("4-8")
    assert program is not None and program.budget is not None
    assert program.budget.lines[0].quarters[3].amount.kind is CellKind.NONE
    qtbot.waitUntil(lambda: any("33,468" in p for p in problems_in_panel(window)), timeout=3000)

    # Redo, close, reopen: the value is there.
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert model.data(index) == "1,752"
    window.close()
    reopened = open_window(db_2024)
    assert reopened.select_key("program:4-8")
    model = reopened.program_form.budget_editor.model
    assert model.data(reopened.program_form.budget_editor.index_for(0, "q4")) == "1,752"
    assert model.index(model.total_row(), Q4).data() == "13,002"


def test_tab_in_an_outline_changes_the_level(qtbot: QtBot, open_window: OpenWindow, db_2024: Path) -> None:
    window = open_window(db_2024)
    window.select_key("program:4-8")
    editor = window.program_form.editors["issues"]
    program = window.current_program()
    assert program is not None
    assert [(i.level, i.kind) for i in program.issues[:2]] == [(1, ItemKind.ITEM), (1, ItemKind.ITEM)]
    assert editor.select_item(2)

    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert program.issues[1].level == 2
    assert program.issues[1].text == "전자도서관 향후 운영 방향"
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)
    assert program.issues[1].level == 0

    # Enter starts a new item at the same level; typing fills it; the store gets it all.
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "SSO test")
    assert (program.issues[2].level, program.issues[2].text) == (0, "SSO test")
    window.flush()
    issues = load_db(db_2024).program("4-8").issues  # type: ignore[union-attr]
    assert [(i.level, i.text) for i in issues[1:3]] == [(0, "전자도서관 향후 운영 방향"), (0, "SSO test")]

    # One undo step per level change and per run of typing (an empty new line is no item yet).
    stack = window.program_form.session.stack  # type: ignore[union-attr]
    assert [stack.text(i) for i in range(stack.count())] == [
        "문제점 및 애로 사항 구조 변경",
        "문제점 및 애로 사항 구조 변경",
        "문제점 및 애로 사항 구조 변경",
        "문제점 및 애로 사항 입력",
    ]


def test_typing_hangul_and_the_title(qtbot: QtBot, open_window: OpenWindow, db_2024: Path) -> None:
    window = open_window(db_2024)
    window.select_key("program:2-1")
    form = window.program_form
    form.title.setFocus()
    form.title.end(False)
    type_text(form.title, " 강화")
    assert window.model.row("program:2-1").label == "2-1 학교자치의 바탕을 이루는 학교평가 지원 강화"  # type: ignore[union-attr]
    editor = form.editors["overview.purpose"]
    editor.select_item(1)
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    type_text(editor, "※ ")  # a mark typed at the start makes the item a note
    assert window.current_program().overview.purpose[0].kind is ItemKind.NOTE  # type: ignore[union-attr]
    window.close()  # leaving the app saves
    program = load_db(db_2024).program("2-1")
    assert program is not None
    assert program.title.endswith(" 강화")
    assert program.overview.purpose[0].kind is ItemKind.NOTE


def test_search_finds_a_phrase_of_3_4_and_jumps_to_it(qtbot: QtBot, open_window: OpenWindow, db_2024: Path) -> None:
    window = open_window(db_2024)
    window.select_key("program:1-1")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_dock.isVisible()
    assert window.search_panel.query.hasFocus()
    phrase = "진학지도 자료집 전자책"  # 3-4, 2024년 주요 개선 사항, 3rd item
    hits = window.search_panel.run(phrase)
    assert [(h.key, h.place) for h in hits] == [("program:3-4", "3-4 추진 계획 › 주요 개선 사항 3행")]
    assert window.search_panel.status.text() == "1건"

    window.search_panel.activate_row(0)

    assert window.current_key() == "program:3-4"
    editor = window.program_form.editors["plan.improvements"]
    assert editor.hasFocus()
    assert editor.textCursor().selectedText() == phrase
    # Scrolled into view inside the form.
    form = window.program_form
    top = editor.mapTo(form.content, editor.item_rect(3).topLeft()).y()
    scroll = form.scroll_area.verticalScrollBar().value()
    assert scroll <= top <= scroll + form.scroll_area.viewport().height()
    # Case and line breaks do not matter; the many hits of a common word are listed in report order.
    many = window.search_panel.run("SODI")
    assert len(many) > 3 and many[0].key == "program:2-1"
    # The title is searched too; a hit in a table cell selects the cell.
    hits = window.search_panel.run("독서로 및 독서로DLS")
    assert [(h.key, h.section, h.row, h.column) for h in hits] == [("program:4-8", "targets", 1, "세부사업명")]
    window.search_panel.activate_row(0)
    view = window.program_form.targets_editor.rows_editor.view
    assert window.current_key() == "program:4-8"
    assert (view.currentIndex().row(), view.currentIndex().column()) == (0, 0)


def test_department_mode_only_its_own_programs_are_editable(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path
) -> None:
    window = open_window(db_2024, department="기획평가부")
    assert window.mode_label.text() == "부서 제출 파일: 기획평가부"
    assert not window.import_actions.import_action.isEnabled()
    row = window.model.row("program:4-8")
    assert row is not None and row.readonly

    window.select_key("program:4-8")
    form = window.program_form
    # The reason is the edit policy's (domain/policy.edit_refusal), not a second text in the UI.
    assert "4-8 사업은(는) 다른 부서의 내용이라 이 꾸러미(기획평가부)에서는 읽기만" in form.banner.text()
    assert form.banner.isVisible()
    assert form.title.isReadOnly()
    editor = form.editors["issues"]
    assert editor.isReadOnly()
    editor.select_item(1)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    type_text(editor, "x")
    budget = form.budget_editor
    index = budget.index_for(0, "q4")
    assert not budget.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not budget.set_cell_text(0, "q4", "1,752")
    assert not budget.add_button.isEnabled()
    assert not form.targets_editor.rows_editor.add_button.isEnabled()
    session = form.session
    assert session is not None and not session.change("title", "바꾼 제목", "x")
    program = window.current_program()
    assert (
        program is not None and program.issues[0].level == 1 and program.title == "학교도서관 스마트 운영 지원 시스템"
    )
    assert session.stack.count() == 0 and not window.autosaver.is_dirty()

    # Its own program is editable; other departments' section II and the front matter are not.
    window.select_key("program:2-5")
    assert not form.banner.isVisible()
    assert not form.title.isReadOnly()
    assert form.targets_editor.rows_editor.model.flags(form.targets_editor.rows_editor.model.index(0, 0)) & (
        Qt.ItemFlag.ItemIsEditable
    )
    window.select_key("department:기획평가부")
    assert not window.department_form.editors["results"].isReadOnly()
    window.select_key("department:교육정책연구소")
    assert window.department_form.editors["results"].isReadOnly()
    window.select_key("section:front")
    assert window.front_form.cover_fields["cover.title"].isReadOnly()
    window.flush()
    assert load_db(db_2024).program("4-8") == window.report.program("4-8")  # type: ignore[union-attr]


def test_confirmed_program_is_locked(open_window: OpenWindow, db_2024: Path) -> None:
    window = open_window(db_2024, states={"2-1": "확정", "2-2": "검토중"})
    assert window.model.row("program:2-1").state == "확정"  # type: ignore[union-attr]
    window.select_key("program:2-1")
    assert "확정" in window.program_form.banner.text()
    assert window.program_form.title.isReadOnly()
    window.select_key("program:2-2")
    assert not window.program_form.title.isReadOnly()
    assert window.program_form.info_label.text() == "기획평가부 · 검토중"


def test_problem_double_click_goes_to_the_cell(qtbot: QtBot, open_window: OpenWindow, db_2024: Path) -> None:
    window = open_window(db_2024)
    window.select_key("program:2-5")
    panel = window.problems_panel
    assert len(panel.visible_problems()) == 4
    second = panel.visible_problems()[1]
    assert (second.section, second.row, second.column) == ("targets", 3, "추진시기")
    panel.activate_row(1)
    view = window.program_form.targets_editor.rows_editor.view
    assert (view.currentIndex().row(), view.currentIndex().column()) == (2, 1)
    assert view.hasFocus()
    # From the whole report's list to another program's budget cell.
    panel.only_current.setChecked(False)
    rows = panel.visible_problems()
    assert len(rows) == 20  # the 9 errors and 11 warnings of `check` on the 2024 report
    # 1-2's printed 계 row is an import finding: placed in no program, it still goes to 1-2's 계 row.
    target = next(n for n, p in enumerate(rows) if p.finding == "1-2" and p.section == "budget.total")
    panel.activate_row(target)
    assert window.current_key() == "program:1-2"
    budget = window.program_form.budget_editor
    assert budget.view.currentIndex().row() == budget.model.total_row()
    # A problem of the summary table (주요업무별 예산 내역) goes to that table in I. 일반 현황, at the program's row.
    front = next(
        n for n, p in enumerate(panel.visible_problems()) if p.section == "front.budget_summary" and p.finding == "4-8"
    )
    panel.activate_row(front)
    assert window.current_key() == "section:front"
    summary = window.front_form.summary
    index = summary.view.currentIndex()
    assert summary.model.index(index.row(), 0).data() == "4-8"
    assert index.column() == 7  # 4분기
    assert "11,250" in summary.model.index(index.row(), 7).data(Qt.ItemDataRole.DisplayRole)


def test_screenshots_of_2_1_and_4_8(qtbot: QtBot, open_window: OpenWindow, db_2024: Path) -> None:
    window = open_window(db_2024)
    window.resize(1280, 860)
    window.select_key("program:2-1")
    qtbot.wait(100)
    assert window.grab().save(str(SHOTS / "seri-2-1.png"))
    window.select_key("program:4-8")
    window.program_form.focus_place("budget")
    qtbot.wait(100)
    assert window.grab().save(str(SHOTS / "seri-4-8-budget.png"))
    # The budget table fits the form: no column is squeezed below its content.
    view = window.program_form.budget_editor.view
    assert view.horizontalScrollBar().maximum() == 0
    assert view.columnWidth(0) >= 140


def test_a_real_department_package_opens_in_department_mode(
    qtbot: QtBot, db_2024: Path, tmp_path: Path, settings: object
) -> None:
    # The exchange module's package and the review module's locks, through the app's own opener.
    from seri_desktop.exchange.package import create_package
    from seri_desktop.ui.backend import open_workspace

    engine = create_engine_for(db_2024)
    try:
        create_package(engine, "기획평가부", tmp_path / "기획평가부.sqlite", who="기획팀")
    finally:
        engine.dispose()
    workspace = open_workspace(tmp_path / "기획평가부.sqlite")
    assert workspace.editable_department == "기획평가부"
    window = MainWindow(workspace, settings=settings)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    try:
        window.select_key("program:4-8")
        assert window.program_form.session is not None and window.program_form.session.readonly
        window.select_key("program:2-5")
        session = window.program_form.session
        assert session is not None and not session.readonly
        assert session.change("title", "현장교육실천 연구대회 운영(수정)", "제목")
        assert window.flush()
    finally:
        window.close()
        workspace.backend.close()
    engine = create_engine_for(tmp_path / "기획평가부.sqlite")
    try:
        report = load_report(engine)
    finally:
        engine.dispose()
    assert report is not None and report.program("2-5").title.endswith("(수정)")  # type: ignore[union-attr]
