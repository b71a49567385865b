"""The main window: navigator, menus, settings, import, the office's editors, saving and its failures."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from seri_desktop.domain.model import ItemKind, OutlineItem, Report
from seri_desktop.store.engine import StoreError
from seri_desktop.ui import crash
from seri_desktop.ui.backend import StoreBackend, Workspace
from seri_desktop.ui.forms.summary_page import EMPTY_MESSAGE
from seri_desktop.ui.main_window import MainWindow
from seri_desktop.ui.menus import FILE_GROUPS
from seri_desktop.ui.mnemonics import plain
from tests.helpers.backend import MemoryBackend
from tests.helpers.db import load_db
from tests.helpers.qt import type_text, wait_ready
from tests.helpers.types import OpenWindow


class Recorder:
    """Stands in for a blocking QMessageBox static function."""

    def __init__(self, answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok) -> None:
        self.calls: list[tuple[str, str]] = []
        self.answer = answer

    def __call__(self, parent: QWidget | None, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        self.calls.append((title, text))
        return self.answer


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(QMessageBox, "warning", recorder)
    return recorder


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder(QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "question", recorder)
    return recorder


def memory_window(qtbot: QtBot, settings: QSettings, backend: Any, **kwargs: Any) -> MainWindow:
    window = MainWindow(Workspace(backend), settings=settings, **kwargs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.validator.flush()
    return window


def visible_labels(window: MainWindow) -> list[str]:
    labels = []
    index = window.tree.model().index(0, 0)
    while index.isValid():
        labels.append(index.data())
        index = window.tree.indexBelow(index)
    return labels


def test_navigator_lists_everything_expanded(
    qtbot: QtBot, settings: QSettings, sample_report: Report
) -> None:
    window = memory_window(qtbot, settings, MemoryBackend(sample_report, Path("/data/report.sqlite")))
    assert window.windowTitle() == "seri-desktop — 2024년 주요업무보고"
    assert visible_labels(window) == [
        "I. 일반 현황",
        "II. 업무 평가 및 개선 방향",
        "교육연구부",
        "정책지원부",
        "III. 주요업무",
        "1. 교육 연구 역량 강화",
        "1-1 미래교육 정책연구 강화",
        "1-2 교원 연수 운영",
        "2. 교육정책 지원",
        "2-1 교육정책 현안 분석 및 지원",
    ]
    assert "/data/report.sqlite" in window.db_label.text()
    assert window.tree.isColumnHidden(1)  # no review states: no state column
    row = window.model.row("program:2-1")
    assert row is not None and row.errors == 5  # an empty program: purpose, targets, plan, schedule, budget
    # A chapter shows its page (its programs and author blocks); items without a form show a summary.
    window.select_key("chapter:1")
    page = window.stack.chapter_page
    assert window.stack.currentWidget() is page
    assert "1-2" in page.programs.text() and "교원 연수 운영" in page.programs.text()
    window.select_key("section:evaluation")
    assert window.stack.currentWidget() is window.summary
    assert "부서를 고르면" in window.summary.toPlainText()
    # Ctrl+PgDown walks the editable items.
    window.select_key("program:1-2")
    window.next_action.trigger()
    assert window.current_key() == "program:2-1"
    window.previous_action.trigger()
    assert window.current_key() == "program:1-2"


def test_empty_database_says_what_to_do(qtbot: QtBot, settings: QSettings) -> None:
    window = memory_window(qtbot, settings, MemoryBackend(None))
    assert window.windowTitle() == "seri-desktop"
    assert window.summary.toPlainText().strip() == EMPTY_MESSAGE
    assert window.model.rowCount() == 0
    assert not window.undo_action.isEnabled()


def test_failing_load_warns_and_shows_the_empty_state(
    qtbot: QtBot, settings: QSettings, warnings: Recorder
) -> None:
    # A store refusal (a person's error) is shown with its message.
    backend = MemoryBackend(None)
    backend.fail_with = StoreError("database disk image is malformed")
    window = memory_window(qtbot, settings, backend)
    assert len(warnings.calls) == 1 and "malformed" in warnings.calls[0][1]
    assert window.summary.toPlainText().strip() == EMPTY_MESSAGE


def test_a_bug_while_loading_shows_the_crash_dialog_and_logs_it(
    qtbot: QtBot, settings: QSettings, warnings: Recorder, log_file: Path
) -> None:
    backend = MemoryBackend(None)
    backend.fail_with = RuntimeError("database disk image is malformed")
    window = memory_window(qtbot, settings, backend)
    dialog = crash.open_crash_dialog()
    assert dialog is not None and dialog.isVisible()
    try:
        assert warnings.calls == []  # no raw message box: one crash dialog
        assert "보고서 읽기 중 예상하지 못한 오류가 났습니다(RuntimeError)" in dialog.label.text()
        assert str(log_file) in dialog.label.text() and "Traceback" not in dialog.label.text()
        logged = log_file.read_text(encoding="utf-8")
        assert "Traceback" in logged and "database disk image is malformed" in logged
        assert window.summary.toPlainText().strip() == EMPTY_MESSAGE  # and the window goes on
    finally:
        dialog.close()
    assert crash.open_crash_dialog() is None


def test_file_menu_groups_and_shortcuts(
    qtbot: QtBot, settings: QSettings, sample_report: Report
) -> None:
    window = memory_window(qtbot, settings, MemoryBackend(sample_report), open_workspace=lambda path: None)
    assert [plain(a.text()) for a in window.menuBar().actions()] == ["파일", "편집", "보기", "도움말"]
    # Another part of the app adds its actions into a group, in order.
    extra_export = QAction("시험용 내보내기…", window)
    extra_xlsx = QAction("시험용 두 번째 내보내기…", window)
    extra_merge = QAction("시험용 제출 파일 가져오기…", window)
    window.add_file_action(extra_export)
    window.add_file_action(extra_xlsx, "export")
    window.add_file_action(extra_merge, "exchange")
    texts = [plain(a.text()) for a in window.file_menu.actions() if not a.isSeparator()]
    assert texts == [
        "새 보고서…",
        "열기…",
        "서버에 연결…",
        "꾸러미 열기…",
        "지금 저장",
        "새 연도 보고서…",
        "작년 보고서로 새 해 시작…",
        "텍스트 가져오기…",
        "PDF로 내보내기…",
        "인쇄 미리보기…",
        "인쇄…",
        "한글(HWPX)로 내보내기…",
        "시험용 내보내기…",
        "시험용 두 번째 내보내기…",
        "엑셀로 내보내기…",
        "엑셀에서 가져오기…",
        "한글(HWPX) 가져오기…",
        "제출 파일 가져오기…",
        "부서 꾸러미 만들기…",
        "검토 상태 바꾸기…",
        "작성 현황…",
        "변경 기록…",
        "제출 파일 만들기…",
        "시험용 제출 파일 가져오기…",
        "최근 파일",
        "끝내기",
    ]
    with pytest.raises(ValueError, match="unknown File menu group"):
        window.add_file_action(QAction("x", window), "nowhere")
    assert FILE_GROUPS[0] == "document"
    shortcuts = {
        plain(a.text()): a.shortcut().toString()
        for a in (
            window.file_actions.new_action,
            window.file_actions.open_action,
            window.import_actions.import_action,
            window.save_action,
            window.quit_action,
        )
    }
    assert shortcuts == {
        "새 보고서…": "Ctrl+N",
        "열기…": "Ctrl+O",
        "텍스트 가져오기…": "Ctrl+I",
        "지금 저장": "Ctrl+S",
        "끝내기": "Ctrl+Q",
    }
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Shift+Z" in [k.toString() for k in window.redo_action.shortcuts()]
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    window.quit_action.trigger()
    assert not window.isVisible()


def test_geometry_and_recent_files_live_in_the_given_settings(
    qtbot: QtBot, settings: QSettings, tmp_path: Path, sample_report: Report
) -> None:
    opened: list[Path] = []

    def open_workspace(path: Path) -> Workspace:
        opened.append(path)
        return Workspace(MemoryBackend(copy.deepcopy(sample_report), path))

    first = tmp_path / "first.sqlite"
    window = memory_window(qtbot, settings, MemoryBackend(sample_report, first), open_workspace=open_workspace)
    window.resize(960, 703)
    window.select_key("program:1-2")
    assert window.file_actions.open_database(tmp_path / "second.sqlite")
    assert window.file_actions.recent_files() == [tmp_path / "second.sqlite", first]
    window.close()
    assert settings.value("report/lastKey") == "program:1-2"

    again = memory_window(qtbot, settings, MemoryBackend(sample_report, first), open_workspace=open_workspace)
    assert (again.width(), again.height()) == (960, 703)
    assert again.current_key() == "program:1-2"  # the last item is shown again
    again.file_actions.fill_recent_menu()
    actions = again.file_actions.recent_menu.actions()
    assert [a.text() for a in actions] == [f"&1 first.sqlite — {tmp_path}", f"&2 second.sqlite — {tmp_path}"]
    actions[1].trigger()
    assert opened[-1] == tmp_path / "second.sqlite"
    assert again.backend is not None and again.backend.path == tmp_path / "second.sqlite"


def test_import_text_replaces_the_report_and_lists_the_kept_lines(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, report_2024_path: Path, questions: Recorder
) -> None:
    db = tmp_path / "empty.sqlite"
    # The printed report with one budget cell that is no amount nor mark (4-7's '24 budget, line 2672).
    source = tmp_path / "report-2024.txt"
    text = report_2024_path.read_text(encoding="utf-8")
    line = "학교 홈페이지 구축 운영\t비예산\t비예산"
    assert text.count(line) == 1
    source.write_text(text.replace(line, "학교 홈페이지 구축 운영\t미정\t비예산"), encoding="utf-8")
    window = open_window(db)
    assert window.model.rowCount() == 0
    assert window.import_actions.import_file(source)
    assert window.model.index_for_key("program:5-7").isValid()
    assert questions.calls == []  # nothing to replace yet
    summary, lines = window.import_actions.last_import_report  # type: ignore[misc]
    assert summary == "2024년 보고서를 가져왔습니다: 5개 장, 33개 사업"
    assert len(lines) == 1 and lines[0].startswith("2672번째 줄: 4-7 예산") and "'미정'" in lines[0]
    assert window.import_actions.dialog.details.toPlainText().count("번째 줄") == 1
    window.import_actions.dialog.close()
    # Importing again asks before replacing, and a "no" changes nothing.
    questions.answer = QMessageBox.StandardButton.No
    assert not window.import_actions.import_file(source)
    assert "이미 있습니다" in questions.calls[0][1]
    assert load_db(db).program("4-8") is not None


def test_import_of_a_bad_file_warns_and_keeps_the_report(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, tmp_path: Path, warnings: Recorder
) -> None:
    window = open_window(db_2024)
    window.select_key("program:1-2")
    bad = tmp_path / "broken.txt"
    bad.write_text("아무 보고서도 아닌 글\n", encoding="utf-8")
    assert not window.import_actions.import_file(bad)
    assert len(warnings.calls) == 1 and "broken.txt" in warnings.calls[0][1]
    assert "Ⅲ. 주요업무" in warnings.calls[0][1]
    assert window.current_key() == "program:1-2"
    assert window.isVisible()


def test_front_matter_editor_saves_cover_tables_and_notes(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path
) -> None:
    window = open_window(db_2024)
    window.select_key("section:front")
    form = window.front_form
    assert window.stack.currentWidget() is form
    assert form.cover_fields["cover.institute"].text() == "서울특별시교육청교육연구정보원"
    assert form.as_of.text() == "'24.6.30."
    field = form.cover_fields["cover.meeting"]
    field.setFocus()
    field.end(False)
    type_text(field, " (수정)")
    history = form.history.model
    assert history.rowCount() == len(window.report.front.history)  # type: ignore[union-attr]
    history.setData(history.index(0, 1), "서울특별시교육연구소 설치(수정)")
    staffing = form.tables["front.staffing"]
    assert staffing.model.header_rows == 2
    assert staffing.model.index(2, 0).data() == "정원"
    staffing.model.setData(staffing.model.index(2, 1), "8")
    form.staffing_notes.select_item(1)
    form.staffing_notes.change_level(1)
    # The derived summary table lists every program with its computed total.
    summary = form.summary.model
    assert summary.rowCount() == 33 and summary.index(24, 0).data() == "4-8"
    assert summary.index(24, 7).data() == "11,250"
    assert not summary.flags(summary.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    # The staffing total no longer adds up: the rule marks the cell once re-checked.
    window.validator.flush()
    qtbot.waitUntil(lambda: any("총계" in p.message for p in window.problems_panel.visible_problems()))
    window.close()
    report = load_db(db_2024)
    assert report.meeting.endswith(" (수정)")
    assert report.front.history[0].text == "서울특별시교육연구소 설치(수정)"
    assert report.front.staffing.rows[0][1] == "8"
    assert report.front.staffing.header == window.report.front.staffing.header  # type: ignore[union-attr]
    assert report.front.staffing_notes[0].level == 1


def test_department_editor_saves_section_ii(qtbot: QtBot, open_window: OpenWindow, db_2024: Path) -> None:
    window = open_window(db_2024)
    window.select_key("department:기획평가부")
    form = window.department_form
    assert window.stack.currentWidget() is form
    assert form.title.text() == "II. 업무 평가 및 개선 방향 — 기획평가부"
    editor = form.editors["limits"]
    editor.select_item(1)
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    qtbot.keyClicks(editor, "[A] ")
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "[B] ")
    window.flush()
    limits = load_db(db_2024).department("기획평가부").limits  # type: ignore[union-attr]
    assert limits[0].text.startswith("[B] ") and "[A]" not in limits[0].text


def test_a_failing_save_keeps_the_edit_and_asks_before_closing(
    qtbot: QtBot, settings: QSettings, sample_report: Report, questions: Recorder, log_file: Path
) -> None:
    backend = MemoryBackend(sample_report)
    window = memory_window(qtbot, settings, backend)
    window.select_key("program:1-1")
    session = window.program_form.session
    assert session is not None
    backend.fail_with = RuntimeError("database is locked")
    session.change("issues", [OutlineItem(1, ItemKind.ITEM, "새 문제")], "입력")
    assert not window.flush()
    assert window.save_label.text() == "저장 실패 — 다시 시도합니다"
    assert "database is locked" in window.statusBar().currentMessage()
    # Not a person's error: logged with its traceback, the log named where the failure is shown.
    assert str(log_file) in window.save_label.toolTip()
    assert "RuntimeError: database is locked" in log_file.read_text(encoding="utf-8")
    questions.answer = QMessageBox.StandardButton.No
    window.close()
    assert window.isVisible() and "그래도 끝낼까요" in questions.calls[0][1]
    backend.fail_with = None
    window.close()
    assert not window.isVisible()
    assert backend.saves[-1] == ("program", "1-1")


def test_new_report_creates_a_database(
    qtbot: QtBot, settings: QSettings, tmp_path: Path, sample_report: Report
) -> None:
    window = memory_window(
        qtbot, settings, MemoryBackend(sample_report), open_workspace=lambda path: Workspace(StoreBackend.open(path))
    )
    path = tmp_path / "new.sqlite"
    assert window.file_actions.new_report(path, 2025)
    assert window.windowTitle() == "seri-desktop — 2025년 주요업무보고"
    assert [window.model.index(r, 0).data() for r in range(window.model.rowCount())] == [
        "I. 일반 현황",
        "II. 업무 평가 및 개선 방향",
        "III. 주요업무",
    ]
    assert load_db(path).year == 2025
    window.backend.close()  # type: ignore[union-attr]


def test_the_preview_shows_the_navigator_and_the_workspace_replaces_it(
    qtbot: QtBot, settings: QSettings, db_2024: Path
) -> None:
    # What the app shows of a current SQLite file before the store is open (issue 17.3): the same
    # navigator rows the opened workspace shows, the title, and nothing that could be edited.
    from seri_desktop.store.fastread import load_report_file
    from seri_desktop.ui.backend import open_workspace
    from seri_desktop.ui.qtmodels.report_tree import ReportTreeModel

    preview = load_report_file(db_2024)
    assert preview is not None
    window = MainWindow(None, settings=settings)
    qtbot.addWidget(window)
    window.show()
    window.show_preview(preview)
    previewed = list(window.model.all_keys())
    assert "program:4-8" in previewed and window.report_shown_at is not None
    assert "2024년" in window.windowTitle()
    assert window.report is None and window.workspace is None  # nothing is editable yet
    assert ReportTreeModel.key_at(window.tree.currentIndex()) is None
    shown_at = window.report_shown_at
    workspace = open_workspace(db_2024)
    try:
        window.set_workspace(workspace)
        assert list(window.model.all_keys()) == previewed
        assert window.report is not None and window.report_shown_at == shown_at  # the first showing counts
        assert window.select_key("program:4-8") and window.current_program() is not None
    finally:
        window.flush()
        workspace.backend.close()


def test_a_window_built_later_is_ready_with_its_menus_and_its_dock_layout(
    qtbot: QtBot, settings: QSettings, db_2024: Path
) -> None:
    # The app shows the window before it builds the menus, toolbars and docks (issue 17.3): the ready
    # hook says when they are there, and the dock layout kept from the last run is applied to them.
    from seri_desktop.ui.backend import open_workspace

    first = MainWindow(None, settings=settings)
    qtbot.addWidget(first)
    first.show()
    first.problems_dock.hide()
    first.close()  # keeps the layout: the problems panel closed

    window = MainWindow(None, settings=settings, build_later=True)
    qtbot.addWidget(window)
    seen: list[str] = []
    window.when_ready(lambda: seen.append("ready"))
    window.show()
    assert not window.is_ready and seen == [] and not window.menuBar().actions()
    workspace = open_workspace(db_2024)
    try:
        QTimer.singleShot(0, lambda: window.finish_building(workspace))
        wait_ready(qtbot, window)
        assert seen == ["ready"] and window.report is not None
        assert {plain(a.text()) for a in window.findChildren(QAction)} >= {"PDF로 내보내기…", "찾기…"}
        assert not window.problems_dock.isVisible()
        window.when_ready(lambda: seen.append("again"))  # once ready, at once
        assert seen == ["ready", "again"]
    finally:
        window.flush()
        workspace.backend.close()


def test_the_row_being_edited_stays_in_view_when_the_notice_bar_takes_room(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, tmp_path: Path
) -> None:
    # Seen on Xvfb: with 4-5 chosen near the navigator's foot, the notice after a PDF pushed its row out of view.
    window = open_window(db_2024)
    tree = window.tree
    port = tree.viewport()
    foot = tree.indexAt(port.rect().bottomLeft() - QPoint(-8, tree.sizeHintForRow(0) + 4))
    key = window.model.key_at(foot)
    assert key is not None and window.select_key(key)
    row = tree.visualRect(tree.currentIndex())
    assert port.rect().contains(row), "the row chosen is in view before the notice"
    before = port.height()
    window.show_notice("PDF를 저장했습니다 (25쪽).", tmp_path / "보고서.pdf")
    qtbot.waitUntil(lambda: port.height() < before, timeout=5000)
    assert window.current_key() == key
    assert port.rect().contains(tree.visualRect(tree.currentIndex()))


@pytest.mark.parametrize("place", [("budget", 1), ("budget.total", None), ("targets", 1)])
def test_going_to_a_cell_of_a_table_taller_than_the_form_shows_that_cell(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, place: tuple[str, int | None]
) -> None:
    # 2-5's budget has seven lines: in a short window the table is taller than the form's view, and centring
    # the whole table (what fits a short one) left its first line, where a problem pointed, out of sight.
    window = open_window(db_2024)
    window.resize(1024, 560)
    assert window.select_key("program:2-5")
    form = window.program_form
    section, row = place
    editor, view = (
        (form.targets_editor, form.targets_editor.rows_editor.view)
        if section == "targets"
        else (form.budget_editor, form.budget_editor.view)
    )
    port = form.scroll_area.viewport()
    # The budget is taller than the view (the case that was wrong); 2-5's targets fit in it (centred whole).
    tall = section != "targets"
    qtbot.waitUntil(lambda: port.height() > 0 and (editor.height() > port.height()) is tall, timeout=5000)
    assert form.focus_place(section, row)
    cell = view.visualRect(view.currentIndex())
    assert cell.isValid()
    shown = view.viewport().mapTo(port, cell.center())
    assert port.rect().contains(shown), (section, shown, port.rect())
