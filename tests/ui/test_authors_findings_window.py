"""The window on the imported 2024 report: a chapter's author blocks, and the import findings (issue 13 items 2, 4).

- correcting 1-2's '23 line to the printed total in the form clears every budget problem about 1-2;
- in department mode, fixing 4-8's line quarters leaves no error in 4-8 (the findings are the office's);
- the office accepts the derived value of 4-8's summary row with the panel's button: audited, gone;
- 4-8's author block (several departments) is shown, edited, saved as one undoable step, and survives reopening.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from seri_desktop.domain.rules import Problem, Severity
from seri_desktop.store.audit import AuditAction, audit_log
from seri_desktop.store.engine import create_engine_for
from seri_desktop.ui.main_window import MainWindow
from tests.helpers.db import load_db
from tests.helpers.types import OpenWindow
from tests.ui.test_data_entry_2024 import type_into_cell

pytestmark = pytest.mark.acceptance

SHOTS = Path("/work/notes/shots")
TITLE_RULES = {"structure.chapter-list"}  # a misprinted title in the chapter's list, not a budget figure


def about(window: MainWindow, code: str) -> list[Problem]:
    """Every problem of the report about program ``code``: placed in it, or an import finding naming it."""
    window.validator.flush()
    return [p for p in window.validator.index.all() if code in (p.program, p.finding)]


def budget_problems(window: MainWindow, code: str) -> list[Problem]:
    return [p for p in about(window, code) if p.rule.startswith("budget.") or (p.finding and p.column != "주요업무명")]


def test_correcting_1_2s_23_line_clears_every_budget_problem_of_1_2(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path
) -> None:
    window = open_window(db_2024)
    before = budget_problems(window, "1-2")
    assert {(p.rule, p.column) for p in before} == {
        ("budget.total-column", "예산액('23)"),
        ("front.budget-summary", "예산액('23)"),
    }
    assert all("794,834" in p.message and "794,384" in p.message for p in before)
    assert window.select_key("program:1-2")
    editor = window.program_form.budget_editor
    type_into_cell(qtbot, window, editor.index_for(0, "previous"), "794,834")
    qtbot.waitUntil(lambda: not budget_problems(window, "1-2"), timeout=5000)
    # What remains of 1-2 is the misprinted title (중단 for 종단), not a figure.
    assert {p.rule for p in about(window, "1-2") if p.column != "주요업무명"} <= TITLE_RULES
    window.flush()
    program = load_db(db_2024).program("1-2")
    assert program is not None and program.budget is not None
    assert program.budget.lines[0].previous.value == 794_834
    # The printed 계 row is kept as it was (evidence): it now agrees with the derived one.
    assert program.budget.printed_total is not None and program.budget.printed_total.previous.value == 794_834


def test_department_head_fixing_4_8_leaves_no_error_he_cannot_clear(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path
) -> None:
    window = open_window(db_2024, department="교수학습정보부")
    index = window.validator.index
    # Before: 4-8's only error is its own line, which his cells can fix; the findings are not his.
    assert [p.rule for p in index.for_program("4-8") if p.severity is Severity.ERROR] == ["budget.line-quarters"]
    findings = [p for p in index.all() if p.finding == "4-8"]
    assert findings and all(p.program == "" and p.department == "" for p in findings)

    assert window.select_key("program:4-8")
    editor = window.program_form.budget_editor
    type_into_cell(qtbot, window, editor.index_for(0, "q4"), "1,752")
    qtbot.waitUntil(lambda: not index.for_program("4-8"), timeout=5000)
    row = window.model.row("program:4-8")
    assert row is not None and (row.errors, row.warnings) == (0, 0)
    # The printed summary still says '-' for Q4: a finding for the office, shown with both numbers.
    window.validator.flush()
    left = [p for p in index.all() if p.finding == "4-8"]
    assert left and all("13,002" in p.message for p in left)
    assert not window.problems_panel.accept_button.isVisible()  # a package cannot accept


def test_office_accepts_4_8s_derived_summary_row(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    window = open_window(db_2024)
    assert window.select_key("section:front")
    panel = window.problems_panel
    finding = next(p for p in panel.visible_problems() if p.finding == "4-8" and p.section == "front.budget_summary")
    assert "-이지만" in finding.message and "11,250" in finding.message  # printed and derived
    row = panel.visible_problems().index(finding)
    panel.view.setCurrentIndex(panel.proxy.index(row, 0))
    assert panel.accept_button.isVisible() and panel.accept_button.isEnabled()
    panel.accept_button.click()

    window.validator.flush()  # the report was read again: check it all now
    assert not [p for p in window.validator.index.all() if p.finding == "4-8"]
    assert [p for p in window.validator.index.all() if p.finding == "4-5"]  # the others stay open
    engine = create_engine_for(db_2024)
    try:
        entries = [e for e in audit_log(engine, 2024) if e.action == AuditAction.ACCEPT_DERIVED]
    finally:
        engine.dispose()
    assert len(entries) == 1 and entries[0].item_code == "4-8" and entries[0].via_label == "프로그램 창"
    assert "11,250" in entries[0].old
    report = load_db(db_2024)
    assert "4-8" not in {r.code for r in report.front.budget_summary}


def test_chapter_page_edits_4_8s_author_block_undoably(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(db_2024)
    window.resize(1280, 860)
    assert window.select_key("chapter:4")
    page = window.stack.chapter_page
    assert window.stack.currentWidget() is page and not page.banner.isVisible()
    assert len(page.blocks) == 2
    block = page.blocks[1]
    assert [b.title() for b in page.blocks] == ["작성자 1 — 4-1~4-8", "작성자 2 — 4-9"]  # as the PDF labels them
    people = block.entries()
    assert {e.department for e in people} == {"교수학습정보부", "교육과정진로진학부", "나이스운영과"}
    assert [(e.name, e.phone, e.line) for e in people][-1] == ("이동균", "8585", 3)

    # Change a phone, add a person on the last line, save: one step, stored, audited.
    phone = block.table.item(len(people) - 1, 4)
    assert phone is not None
    phone.setText("8586")
    block.add_person()
    new = block.table.rowCount() - 1
    for column, text in ((0, "4"), (1, "나이스운영과"), (3, "한새봄"), (4, "8599")):
        item = block.table.item(new, column)
        assert item is not None
        item.setText(text)
    assert page.dirty and page.save_button.isEnabled()
    assert page.save()
    assert page.undo_stack.count() == 1 and not page.dirty
    saved = load_db(db_2024).chapters[3].author_blocks[1].entries
    assert [(e.name, e.phone, e.line) for e in saved][-2:] == [("이동균", "8586", 3), ("한새봄", "8599", 3)]
    assert window.report is not None and window.report.chapters[3].author_blocks[1].entries[-1].name == "한새봄"
    SHOTS.mkdir(parents=True, exist_ok=True)
    qtbot.wait(50)  # the page fits its content once the new blocks' layouts ran
    page.scroll_area.ensureWidgetVisible(page.blocks[1], 0, 0)
    qtbot.wait(100)
    assert all(b.height() >= b.minimumSizeHint().height() for b in page.blocks)  # no table squeezed
    assert window.grab().save(str(SHOTS / "chapter-authors.png"))

    # Ctrl+Z (the window's undo, active on the chapter page) writes the block as it was.
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert [e.name for e in load_db(db_2024).chapters[3].author_blocks[1].entries][-1] == "이동균"
    assert [e.name for e in page.blocks[1].entries()][-1] == "이동균"
    window.redo_action.trigger()
    assert [e.name for e in load_db(db_2024).chapters[3].author_blocks[1].entries][-1] == "한새봄"

    # Refused input is named and nothing is written.
    page.blocks[1].table.item(0, 3).setText("")  # type: ignore[union-attr]
    warnings: list[str] = []

    def warn(*args: object) -> QMessageBox.StandardButton:
        warnings.append(str(args[2]))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warn)
    assert not page.save()
    assert warnings and "이름이 비어 있습니다" in warnings[0]
    assert load_db(db_2024).chapters[3].author_blocks[1].entries[0].name == "김희경"
    page.revert()

    window.close()
    reopened = open_window(db_2024)
    assert reopened.select_key("chapter:4")
    names = [e.name for e in reopened.stack.chapter_page.blocks[1].entries()]
    assert names[-1] == "한새봄"


def test_chapter_page_is_read_only_in_a_department_package(open_window: OpenWindow, db_2024: Path) -> None:
    window = open_window(db_2024, department="교수학습정보부")
    assert window.select_key("chapter:4")
    page = window.stack.chapter_page
    assert page.banner.isVisible() and "읽기만" in page.banner.text()
    assert not page.add_block_button.isEnabled() and not page.blocks[0].add_button.isEnabled()


def test_chapter_list_finding_goes_to_its_chapter_page(open_window: OpenWindow, db_2024: Path) -> None:
    window = open_window(db_2024)
    assert window.select_key("section:front")
    panel = window.problems_panel
    rows = panel.visible_problems()
    target = next(n for n, p in enumerate(rows) if p.finding == "1장")
    panel.activate_row(target)
    assert window.current_key() == "chapter:1"
