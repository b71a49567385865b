"""한글(HWPX) in the window: export in the worker (whole report, a department, the current program) and cancel,
and a department's file edited in 한글 reviewed like a submission, accepted or returned, on the 2024 report.

The edited file is 교육정책연구소's exported section changed with python-hwpx
as a 한글 user would (:mod:`tests.hwpx.hancom`: a budget cell, an added
outline item, a retyped title, a deleted target row, a paragraph outside
the template). Windows open with the real access rules, so review states
and locks come from the store.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hwpx import HwpxDocument
from PySide6.QtWidgets import QDialog, QInputDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from seri_desktop.domain.model import Report
from seri_desktop.exchange.codec import program_to_dict
from seri_desktop.formats.hwpx import HwpxCancelled, HwpxResult, build_department_hwpx
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.repository import load_report
from seri_desktop.store.review import comments_for_program, review_states
from seri_desktop.ui import actions_hwpx, crash
from seri_desktop.ui.actions_hwpx import Scope, program_choice
from seri_desktop.ui.hwpx_review import UNSIGNED_TITLE, HwpxReviewDialog
from seri_desktop.ui.main_window import MainWindow
from seri_desktop.ui.mnemonics import plain
from seri_desktop.ui.review_dialogs import ACCEPT, RETURN
from tests.helpers.db import engine_state
from tests.helpers.types import WindowOn
from tests.hwpx.hancom import (
    RETYPED_AMOUNT,
    RETYPED_TITLE,
    UNPLACED_HEADING,
    UNPLACED_TEXT,
    cut_section,
    edit_like_hancom,
    expected_report,
)

pytestmark = pytest.mark.acceptance

DEPARTMENT = "교육정책연구소"
REPORT_WAIT_MS = 60_000
DEPARTMENT_WAIT_MS = 20_000
TITLE_BAR = re.compile(r"^\d+-\d+$")


@pytest.fixture(scope="module")
def department_template(tmp_path_factory: pytest.TempPathFactory, imported_2024: ImportResult) -> Path:
    """교육정책연구소's section exported once per module (tests edit their own copies)."""
    path = tmp_path_factory.mktemp("hwpx-ui") / "section.hwpx"
    build_department_hwpx(copy.deepcopy(imported_2024.report), DEPARTMENT, path)
    return path


@pytest.fixture
def report_2024(imported_2024: ImportResult) -> Report:
    return copy.deepcopy(imported_2024.report)


@pytest.fixture
def edited(department_template: Path, tmp_path: Path, report_2024: Report) -> tuple[Path, dict[str, Any]]:
    """This test's copy of the section, edited in the 한글 way; with what the edits changed."""
    path = Path(shutil.copyfile(department_template, tmp_path / "정책연구소-한글.hwpx"))
    return path, edit_like_hancom(path, report_2024)


def title_bars(path: Path) -> list[str]:
    """The program codes of a file's title bars, read back with python-hwpx."""
    doc = HwpxDocument.open(path)
    return [
        t.cell(0, 0).text
        for p in doc.paragraphs
        for t in p.tables
        if t.row_count == 1 and t.column_count >= 2 and TITLE_BAR.match(t.cell(0, 0).text or "")
    ]


def answer_review(
    monkeypatch: pytest.MonkeyPatch, decide: Callable[[HwpxReviewDialog], bool]
) -> list[HwpxReviewDialog]:
    """The review dialog answered by ``decide`` (``True``: 적용); the dialogs shown are collected."""
    seen: list[HwpxReviewDialog] = []

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, HwpxReviewDialog)
        seen.append(dialog)
        return decide(dialog)

    monkeypatch.setattr(actions_hwpx, "run_dialog", run)
    return seen


def engine_of(window: MainWindow) -> Engine:
    """The window's own database (a real SQLite file), to read what the actions wrote."""
    engine = window.hwpx_actions.ctx.engine
    assert engine is not None
    return engine


def stored(window: MainWindow) -> Report:
    report = load_report(engine_of(window), 2024)
    assert report is not None
    return report


# ---------------------------------------------------------------------- the menu


def test_menu_has_the_hwpx_actions(window_on: WindowOn, db_2024: Path, open_window: Callable[..., MainWindow]) -> None:
    window = window_on(db_2024)
    texts = [plain(a.text()) for a in window.file_menu.actions()]  # mnemonics are added (ui/mnemonics)
    assert "한글(HWPX)로 내보내기…" in texts and "한글(HWPX) 가져오기…" in texts
    actions = window.hwpx_actions
    assert actions.export_action.isEnabled() and actions.import_action.isVisible() and actions.import_action.isEnabled()
    # A department's window exports but takes no files in: that is the office's.
    department = open_window(db_2024, department=DEPARTMENT)
    assert department.hwpx_actions.export_action.isEnabled()
    assert not department.hwpx_actions.import_action.isVisible()


# ---------------------------------------------------------------------- export


def test_export_whole_report_in_the_worker(
    qtbot: QtBot, window_on: WindowOn, db_2024: Path, tmp_path: Path, warnings: list[str], report_2024: Report
) -> None:
    window = window_on(db_2024)
    out = tmp_path / "report.hwpx"
    progress: list[tuple[int, int]] = []
    previous = os.umask(0o022)
    try:
        job = window.hwpx_actions.export_hwpx(Scope(), out)
        assert job is not None
        job._thread.progressed.connect(lambda d, t: progress.append((d, t)))
        # The UI thread is free while the worker writes.
        assert job.is_running() and not out.exists()
        # One job at a time: a second export is refused with a line in the status bar.
        assert window.hwpx_actions.export_hwpx(Scope(), tmp_path / "second.hwpx") is None
        assert "만드는 중입니다" in window.statusBar().currentMessage()
        qtbot.waitUntil(lambda: not job.is_running(), timeout=REPORT_WAIT_MS)
    finally:
        os.umask(previous)
    assert isinstance(job.outcome, HwpxResult), job.outcome
    codes = [p.code for p in report_2024.programs()]
    assert len(codes) == 33
    assert title_bars(out) == codes
    assert list(job.outcome.programs) == codes
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert not (tmp_path / "second.hwpx").exists()
    assert window.statusBar().currentMessage() == "한글 파일을 저장했습니다: report.hwpx (사업 33개)"
    assert progress and progress[-1][0] == progress[-1][1]
    assert warnings == []


def test_export_a_department_and_the_current_program_through_the_menu(
    qtbot: QtBot, window_on: WindowOn, db_2024: Path, tmp_path: Path, warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_on(db_2024)
    assert window.select_key("program:2-5")
    offered: list[tuple[list[str], int]] = []
    answers = iter(["기획평가부", program_choice("2-5", window.current_program().title)])  # type: ignore[union-attr]
    saved: list[str] = []

    def choose(
        parent: QWidget, title: str, label: str, items: list[str], current: int, editable: bool
    ) -> tuple[str, bool]:
        offered.append((list(items), current))
        return next(answers), True

    def save_as(parent: QWidget, title: str, start: str, filters: str) -> tuple[str, str]:
        saved.append(Path(start).name)
        return str(tmp_path / Path(start).stem), filters  # typed without the suffix: it is added

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    monkeypatch.setattr(actions_hwpx.QFileDialog, "getSaveFileName", save_as)
    for expected in (["2-1", "2-2", "2-3", "2-4", "2-5", "2-6", "2-7"], ["2-5"]):
        window.hwpx_actions.export_action.trigger()
        job = window.hwpx_actions.last_job
        assert job is not None
        qtbot.waitUntil(lambda job=job: not job.is_running(), timeout=DEPARTMENT_WAIT_MS)
        assert isinstance(job.outcome, HwpxResult), job.outcome
        assert job.path.suffix == ".hwpx"
        assert title_bars(job.path) == expected
    assert saved == ["2024-기획평가부.hwpx", "2024-2-5.hwpx"]
    items, current = offered[0]
    assert items[0] == "보고서 전체" and items[current] == "기획평가부" and items[-1].startswith("현재 사업: 2-5 ")
    assert warnings == []


def test_cancel_leaves_no_file(
    qtbot: QtBot, window_on: WindowOn, db_2024: Path, tmp_path: Path, warnings: list[str]
) -> None:
    window = window_on(db_2024)
    out = tmp_path / "cancelled.hwpx"
    job = window.hwpx_actions.export_hwpx(Scope(), out)
    assert job is not None
    (button,) = job.dialog.findChildren(QPushButton)  # the progress dialog's 취소
    button.click()
    qtbot.waitUntil(lambda: not job.is_running(), timeout=REPORT_WAIT_MS)
    assert isinstance(job.outcome, HwpxCancelled)
    assert sorted(p.name for p in tmp_path.iterdir() if "cancelled" in p.name) == []
    assert window.statusBar().currentMessage() == "취소했습니다"
    assert warnings == []


def test_a_person_error_is_its_message_and_a_bug_the_crash_dialog(
    qtbot: QtBot, window_on: WindowOn, db_2024: Path, tmp_path: Path, warnings: list[str], log_file: Path
) -> None:
    window = window_on(db_2024)
    job = window.hwpx_actions.export_hwpx(Scope(department=DEPARTMENT), tmp_path / "없는 폴더" / "a.hwpx")
    assert job is not None
    qtbot.waitUntil(lambda: not job.is_running(), timeout=DEPARTMENT_WAIT_MS)
    assert len(warnings) == 1 and "한글 파일을 저장할 폴더가 없습니다" in warnings[0]
    assert crash.open_crash_dialog() is None

    report = window.report
    assert report is not None
    program = report.program("1-2")
    assert program is not None
    title = program.title
    # A title that is not text (bad data from a future bug) breaks the builder in its worker thread.
    program.title = None  # type: ignore[assignment]
    try:
        job = window.hwpx_actions.export_hwpx(Scope(program="1-2"), tmp_path / "bug.hwpx")
        assert job is not None
        qtbot.waitUntil(lambda: not job.is_running(), timeout=DEPARTMENT_WAIT_MS)
        assert isinstance(job.outcome, Exception) and not isinstance(job.outcome, HwpxCancelled)
        qtbot.waitUntil(lambda: crash.open_crash_dialog() is not None, timeout=5_000)
        dialog = crash.open_crash_dialog()
        assert dialog is not None
        assert dialog.label.text().startswith("한글(HWPX)로 내보내기 중 예상하지 못한 오류가 났습니다")
        assert "Traceback" in log_file.read_text(encoding="utf-8")
        assert len(warnings) == 1
        assert not (tmp_path / "bug.hwpx").exists()
    finally:
        program.title = title
        dialog = crash.open_crash_dialog()
        if dialog is not None:
            dialog.close()


# ---------------------------------------------------------------------- import


def test_import_shows_exactly_the_changes_and_accepting_applies_them(
    window_on: WindowOn,
    db_2024: Path,
    edited: tuple[Path, dict[str, Any]],
    report_2024: Report,
    warnings: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, edits = edited
    window = window_on(db_2024)
    proposals: list[tuple[list[str], int]] = []

    def choose(
        parent: QWidget, title: str, label: str, items: list[str], current: int, editable: bool
    ) -> tuple[str, bool]:
        proposals.append((list(items), current))
        return items[current], True

    monkeypatch.setattr(QInputDialog, "getItem", choose)

    def review(dialog: HwpxReviewDialog) -> bool:
        assert (
            UNSIGNED_TITLE in dialog.unsigned_banner.text() and "서명되지 않았습니다" in dialog.unsigned_banner.text()
        )
        assert not dialog.unsigned_banner.isHidden()
        keys = [item.label for item in dialog.preview.items]  # programs by code; stored keys are uids
        assert keys == [f"II:{DEPARTMENT}", "1-1", "1-2", "1-3"]
        assert dialog.preview.pending() == ["1-1", "1-2"]
        assert [dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())] == ["", "2건", "2건", ""]
        dialog.select("1-1")
        diff = dialog.diff.toPlainText()
        assert f"[변경] 예산 집행 계획 1행 3분기: {edits['old_amount']} → {RETYPED_AMOUNT}" in diff
        assert "[추가] 추진 실적" in diff and "한글에서 더한 실적 항목" in diff
        dialog.select("1-2")
        diff = dialog.diff.toPlainText()
        assert f"→ {RETYPED_TITLE}" in diff and "[삭제] 추진 목표" in diff and edits["removed"].name in diff
        dialog.select("1-3")
        assert (
            f"자리를 찾지 못한 내용 (반영하지 않습니다): {UNPLACED_HEADING} › {UNPLACED_TEXT}"
            in dialog.diff.toPlainText()
        )
        table = dialog.unplaced_table
        rows = [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]
        assert rows == [("1-3", UNPLACED_HEADING, UNPLACED_HEADING), ("1-3", UNPLACED_HEADING, UNPLACED_TEXT)]
        assert not table.isHidden() and "2개" in dialog.unplaced_box.title()
        assert dialog.apply_button.isEnabled()  # every change is accepted unless returned
        dialog.decide("1-1", ACCEPT)
        dialog.decide("1-2", ACCEPT)
        return True

    seen = answer_review(monkeypatch, review)
    opened: list[str] = []

    def open_file(parent: QWidget, title: str, start: str, filters: str) -> tuple[str, str]:
        opened.append(filters)
        return str(path), filters

    monkeypatch.setattr(actions_hwpx.QFileDialog, "getOpenFileName", open_file)
    window.hwpx_actions.import_action.trigger()  # 파일 > 한글(HWPX) 가져오기…
    assert len(seen) == 1 and warnings == []
    assert opened and "*.hwpx" in opened[0]
    # The department was proposed from the file's properties.
    items, current = proposals[0]
    assert items[current] == DEPARTMENT
    after = stored(window)
    expected = expected_report(report_2024, edits)
    for program in expected.programs():
        found = after.program(program.code)
        assert found is not None and program_to_dict(found) == program_to_dict(program), program.code
    engine = engine_of(window)
    states = review_states(engine, 2024)
    assert states["1-1"] == states["1-2"] == "제출됨" and states.get("1-3", "작성중") == "작성중"
    # The window reloaded: the form and the navigator show the new content and states.
    assert window.report is not None and window.report.program("1-2").title == RETYPED_TITLE  # type: ignore[union-attr]
    assert window.model.row("program:1-1").state == "제출됨"  # type: ignore[union-attr]
    assert window.model.row("program:1-2").state == "제출됨"  # type: ignore[union-attr]
    assert "반영 2건, 반려 0건" in window.statusBar().currentMessage()


def test_a_file_without_changes_lists_what_it_could_not_place(
    window_on: WindowOn,
    db_2024: Path,
    department_template: Path,
    tmp_path: Path,
    warnings: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = Path(shutil.copyfile(department_template, tmp_path / "그대로.hwpx"))
    doc = HwpxDocument.open(path)
    # A heading the template does not have, and a paragraph under it, after the last program's last section.
    doc.add_paragraph(UNPLACED_HEADING)
    doc.add_paragraph(UNPLACED_TEXT)
    doc.save_to_path(path)
    window = window_on(db_2024)
    before = engine_state(engine_of(window))
    seen = answer_review(monkeypatch, lambda dialog: True)
    assert not window.hwpx_actions.import_hwpx(path, DEPARTMENT)
    assert seen == []
    (message,) = warnings  # the information box
    assert "그대로.hwpx: 반영할 변경이 없습니다." in message and "1-1 변경 없음" in message
    assert "자리를 찾지 못한 내용 2개" in message
    assert f"1-3 › {UNPLACED_HEADING}: {UNPLACED_HEADING}" in message
    assert f"1-3 › {UNPLACED_HEADING}: {UNPLACED_TEXT}" in message
    assert engine_state(engine_of(window)) == before


def test_nothing_is_applied_until_the_office_accepts(
    window_on: WindowOn,
    db_2024: Path,
    edited: tuple[Path, dict[str, Any]],
    warnings: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, _edits = edited
    window = window_on(db_2024)
    before = engine_state(engine_of(window))
    seen = answer_review(monkeypatch, lambda dialog: False)  # 취소
    assert not window.hwpx_actions.import_hwpx(path, DEPARTMENT)
    assert len(seen) == 1
    assert engine_state(engine_of(window)) == before
    assert warnings == []


def test_returning_one_sets_returned_with_the_comment(
    window_on: WindowOn,
    db_2024: Path,
    edited: tuple[Path, dict[str, Any]],
    report_2024: Report,
    warnings: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, _edits = edited
    window = window_on(db_2024)
    reason = "예산 근거를 보완하십시오"

    def review(dialog: HwpxReviewDialog) -> bool:
        dialog.decide("1-1", RETURN)
        assert not dialog.apply_button.isEnabled()  # a return needs its reason
        assert "1-1: 반려 사유를 적으십시오." in dialog.problem.text()
        dialog.decide("1-1", RETURN, comment=reason)
        dialog.decide("1-2", ACCEPT)
        assert dialog.apply_button.isEnabled()
        return True

    answer_review(monkeypatch, review)
    assert window.hwpx_actions.import_hwpx(path, DEPARTMENT)
    assert warnings == []
    after = stored(window)
    # 1-1 returned: its content is the office's; 1-2 accepted.
    assert program_to_dict(after.program("1-1")) == program_to_dict(report_2024.program("1-1"))  # type: ignore[arg-type]
    assert after.program("1-2").title == RETYPED_TITLE  # type: ignore[union-attr]
    engine = engine_of(window)
    assert review_states(engine, 2024)["1-1"] == "반려"
    assert [c.text for c in comments_for_program(engine, 2024, "1-1")] == [reason]
    assert window.model.row("program:1-1").state == "반려"  # type: ignore[union-attr]
    assert window.select_key("program:1-1")
    assert window.program_form.comments_box.isVisible()
    assert reason in window.program_form.comments_label.text()


def test_bad_files_warn_in_korean_and_change_nothing(
    window_on: WindowOn,
    db_2024: Path,
    department_template: Path,
    tmp_path: Path,
    warnings: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = window_on(db_2024)
    seen = answer_review(monkeypatch, lambda dialog: True)
    data = department_template.read_bytes()
    truncated = tmp_path / "잘린.hwpx"
    truncated.write_bytes(data[: len(data) // 2])
    broken = tmp_path / "깨진.hwpx"
    cut_section(department_template, broken)
    text = tmp_path / "메모.hwpx"
    text.write_text("□ 사업 개요\n- 텍스트 파일입니다", encoding="utf-8")
    before = engine_state(engine_of(window))

    assert not window.hwpx_actions.import_hwpx(truncated)
    assert not window.hwpx_actions.import_hwpx(broken)
    assert not window.hwpx_actions.import_hwpx(text)
    # A good file named for the wrong department: refused as another department's programs.
    assert not window.hwpx_actions.import_hwpx(
        Path(shutil.copyfile(department_template, tmp_path / "g.hwpx")), "기획평가부"
    )

    assert seen == []
    assert len(warnings) == 4, warnings
    assert all("가져올 수 없습니다. 아무것도 바뀌지 않았습니다." in w for w in warnings)
    assert "잘린.hwpx" in warnings[0] and "깨진.hwpx" in warnings[1] and "손상" in warnings[1]
    assert "한글(HWPX) 문서가 아닙니다" in warnings[2]
    assert "교육정책연구소의 문서입니다" in warnings[3]
    assert all(re.search("[가-힣]", w) for w in warnings)
    assert crash.open_crash_dialog() is None
    assert engine_state(engine_of(window)) == before
