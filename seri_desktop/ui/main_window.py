"""The main window: the navigator, the selected item's form, the problems and search panels.

The window knows neither SQL nor the importer: it works on a
:class:`~seri_desktop.ui.backend.Workspace` (a :class:`ReportBackend` and the
access rules of the open database). It owns, per open report:

* one :class:`~seri_desktop.ui.editing.EditSession` per unit the user has
  opened (program, department, front matter), each with its undo stack in
  the window's :class:`QUndoGroup`, so undo history survives switching;
* an :class:`~seri_desktop.ui.autosave.AutoSaver` that writes a changed
  unit a moment after the last edit and whenever the user leaves a field,
  an item or the app;
* a :class:`~seri_desktop.ui.validation.Validator` that keeps the problems
  current, feeding the navigator's counts, the marks in the forms and the
  problems panel.

Other parts of the app add their menu actions with :meth:`MainWindow.add_file_action`
and call :meth:`MainWindow.flush` before reading the database and
:meth:`MainWindow.reload` after writing it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QTreeView,
    QWidget,
)

from seri_desktop.domain.model import Department, Program, Report
from seri_desktop.domain.rules import Problem
from seri_desktop.ui import refcount_guard
from seri_desktop.ui.actions_exchange import install_exchange_actions
from seri_desktop.ui.actions_print import install_print_actions
from seri_desktop.ui.actions_workbook import install_workbook_actions
from seri_desktop.ui.autosave import AutoSaver
from seri_desktop.ui.backend import ReportBackend, Workspace
from seri_desktop.ui.editing import DEPARTMENT_FIELDS, FRONT_FIELDS, PROGRAM_FIELDS, EditSession, FieldAccess
from seri_desktop.ui.forms import summary_page
from seri_desktop.ui.forms.department_form import DepartmentForm
from seri_desktop.ui.forms.front_form import FrontForm
from seri_desktop.ui.forms.program_form import ProgramForm
from seri_desktop.ui.import_dialog import ImportReportDialog, run_with_progress
from seri_desktop.ui.problems_panel import ProblemsPanel
from seri_desktop.ui.qtmodels.report_tree import (
    EVALUATION_KEY,
    FRONT_KEY,
    PROGRAMS_KEY,
    ReportTreeModel,
    RowKind,
    TreeRow,
    chapter_for_key,
    department_key,
    keyed_programs,
    program_for_key,
    program_label,
    rows_for_report,
)
from seri_desktop.ui.search import SearchHit, search_report
from seri_desktop.ui.search_panel import SearchPanel
from seri_desktop.ui.validation import REVIEW_SECTIONS, Validator, count

OpenWorkspace = Callable[[Path], Workspace]

APP_TITLE = "seri-desktop"
EMPTY_MESSAGE = summary_page.EMPTY_MESSAGE
CONFIRMED = "확정"
STATUS_MESSAGE_MS = 10_000
MAX_RECENT = 8
# Extra pixels per tree row: at the font's own line height Hangul syllables of
# adjacent rows nearly touch and the outline is hard to scan.
ROW_PADDING = 6
DB_FILTER = "보고서 데이터베이스 (*.sqlite *.db);;모든 파일 (*)"

SETTINGS_GEOMETRY = "window/geometry"
SETTINGS_STATE = "window/state"
SETTINGS_SPLITTER = "window/splitter"
SETTINGS_RECENT = "files/recent"
SETTINGS_LAST_DIR = "files/lastDir"
SETTINGS_LAST_KEY = "report/lastKey"

# File menu groups, in menu order; add_file_action puts an action at the end of its group.
FILE_GROUPS = ("document", "import", "export", "exchange", "recent", "quit")


class _PaddedRowDelegate(QStyledItemDelegate):
    """Default painting, taller rows."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # type: ignore[override]
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + ROW_PADDING)


class MainWindow(QMainWindow):
    """See the module docstring.

    ``workspace``: the open database (``None``: nothing open yet).
    ``settings``: where geometry and recent files live (tests pass their own).
    ``open_workspace(path)``: opens another database (File › 열기, 새 보고서,
    recent files); without it those actions are disabled.
    """

    reportLoaded = Signal()  # after every (re)load of the report
    saved = Signal(str)  # "HH:MM:SS" after an autosave wrote everything

    def __init__(
        self,
        workspace: Workspace | None = None,
        *,
        settings: QSettings | None = None,
        open_workspace: OpenWorkspace | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # Whoever builds a window (the app, tests, benchmarks, the self-test) gets the guard.
        refcount_guard.install()
        self.settings = settings if settings is not None else QSettings()
        self._open_workspace = open_workspace
        self.workspace: Workspace | None = None
        self._report: Report | None = None
        self._sessions: dict[str, EditSession] = {}
        self._readonly: dict[str, str] = {}
        self._shown_key: str | None = None
        self.shown_at: float | None = None  # time.time() of the first show (start-up benchmark)
        self.last_import_report: tuple[str, list[str]] | None = None

        self.undo_group = QUndoGroup(self)
        # Active when no editable item is shown, so undo is disabled rather than aimed at a hidden item.
        self._no_stack = QUndoStack(self)
        self.undo_group.addStack(self._no_stack)
        self.autosaver = AutoSaver(self._save_unit, self)
        self.autosaver.saved.connect(self._on_saved)
        self.autosaver.failed.connect(self._on_save_failed)
        self.validator = Validator(self)
        self.validator.updated.connect(self._on_problems_updated)
        # Problem views refresh once per event-loop turn, however many programs were re-checked in it.
        self._problems_timer = QTimer(self)
        self._problems_timer.setSingleShot(True)
        self._problems_timer.setInterval(0)
        self._problems_timer.timeout.connect(self._refresh_problem_views)

        self._build_navigator()
        self._build_forms()
        self._build_docks()
        self._build_menus()
        self._build_status_bar()
        # PDF/print and Excel/roll-over live in their own modules; they add themselves to the File menu.
        self.print_actions = install_print_actions(self)
        self.workbook_actions = install_workbook_actions(self)
        self.exchange_actions = install_exchange_actions(self)

        self.resize(1280, 860)
        self._restore_settings()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        if workspace is not None:
            self.set_workspace(workspace)
        else:
            self._show_item(None)

    # ================================================================== public API

    @property
    def report(self) -> Report | None:
        return self._report

    @property
    def backend(self) -> ReportBackend | None:
        return self.workspace.backend if self.workspace is not None else None

    def set_workspace(self, workspace: Workspace) -> None:
        """Show the report of another database (the current one's edits are saved first)."""
        if self.workspace is not None:
            self.flush()
        self.workspace = workspace
        path = workspace.backend.path
        self.db_label.setText(f"데이터베이스: {path}" if path is not None else "")
        department = workspace.editable_department
        self.mode_label.setText(f"부서 제출 파일: {department}" if department else "")
        self.mode_label.setVisible(bool(department))
        self.import_action.setEnabled(department is None)
        if path is not None:
            self._remember_recent(path)
        self.reload()

    def show_loading(self, path: Path) -> None:
        """Say that ``path`` is being opened (shown until :meth:`set_workspace`)."""
        self.summary.setHtml(summary_page.paragraph(f"보고서를 불러오는 중입니다… ({path})"))
        self.stack.setCurrentWidget(self.summary)

    def reload(self) -> None:
        """Read the report again (after an import, or after another part of the app wrote the database)."""
        previous = self.current_key() or str(self.settings.value(SETTINGS_LAST_KEY, "") or "")
        self.flush()
        report: Report | None = None
        if self.backend is not None:
            try:
                report = self.backend.load()
            except Exception as exc:
                # A damaged or newer database must not keep the window from opening.
                QMessageBox.warning(
                    self, "보고서를 읽지 못했습니다", _error_text("저장된 보고서를 읽지 못했습니다.", exc)
                )
        self._set_report(report)
        if not (previous and self.select_key(previous)):
            self._show_item(None)
        self.reportLoaded.emit()

    def flush(self) -> bool:
        """Save every pending edit now; ``False`` (and the status bar says why) if a save failed."""
        return self.autosaver.flush()

    def current_key(self) -> str | None:
        return ReportTreeModel.key_at(self.tree.currentIndex())

    def current_program(self) -> Program | None:
        key = self.current_key()
        return program_for_key(self._report, key) if self._report is not None and key is not None else None

    def select_key(self, key: str) -> bool:
        """Select the navigator row with ``key`` and show its form; ``False`` if there is none."""
        index = self.model.index_for_key(key)
        if not index.isValid():
            return False
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.tree.scrollTo(index)
        return True

    def session(self, key: str) -> EditSession | None:
        """The edit session of a unit (created when it is first opened)."""
        return self._sessions.get(key) or self._make_session(key)

    def add_file_action(self, action: QAction, group: str = "export") -> None:
        """Add ``action`` to the File menu at the end of ``group`` (see :data:`FILE_GROUPS`)."""
        if group not in self._file_group_ends:
            raise ValueError(f"unknown File menu group {group!r}; one of {FILE_GROUPS}")
        self.file_menu.insertAction(self._file_group_ends[group], action)

    def go_to(
        self, key: str, section: str = "", row: int | None = None, column: str = "", *, start: int = 0, length: int = 0
    ) -> bool:
        """Show item ``key`` and put the cursor at a place in its form (a problem's or a search hit's)."""
        if not self.select_key(key):
            return False
        form = self.stack.currentWidget()
        if section and isinstance(form, ProgramForm | DepartmentForm | FrontForm):
            return form.focus_place(section, row, column, start=start, length=length)
        return True

    def go_to_problem(self, problem: Problem) -> bool:
        """Go to where ``problem`` is (what double-clicking it in the problems panel does)."""
        key, section, row = self._problem_place(problem)
        return key is not None and self.go_to(key, section, row, problem.column)

    def go_to_hit(self, hit: SearchHit) -> bool:
        """Go to a search hit and select the words found."""
        return self.go_to(hit.key, hit.section, hit.row, hit.column, start=hit.start, length=hit.length)

    def search(self, query: str) -> list[SearchHit]:
        """Search the open report (what the search panel shows)."""
        if self._report is None:
            return []
        keys = {id(program): key for key, program in keyed_programs(self._report)}
        return search_report(self._report, query, program_keys=keys)

    def show_search(self) -> None:
        """Open the search panel with the cursor in its field (Ctrl+F)."""
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.focus_query()

    def open_database(self, path: Path) -> bool:
        """Open the database at ``path`` (File › 열기); warns and returns ``False`` if it cannot."""
        if self._open_workspace is None:
            return False
        if not self.flush() and not self._ask(
            "저장하지 못한 내용", "고친 내용을 저장하지 못했습니다. 그래도 다른 파일을 열까요?"
        ):
            return False
        try:
            workspace = self._open_workspace(path)
        except Exception as exc:
            QMessageBox.warning(self, "열 수 없습니다", _error_text(f"{path} 파일을 열지 못했습니다.", exc))
            return False
        self._switch_workspace(workspace)
        return True

    def new_report(self, path: Path, year: int) -> bool:
        """Create (or open) the database ``path`` with an empty report of ``year`` and show it."""
        if self._open_workspace is None:
            return False
        try:
            workspace = self._open_workspace(path)
            if workspace.backend.has_report(year):
                raise ValueError(f"이 파일에는 {year}년 보고서가 이미 있습니다. 파일 › 열기로 여십시오.")
            workspace.backend.replace_report(Report(year=year, title="주요업무보고"))
        except Exception as exc:
            QMessageBox.warning(self, "새 보고서", _error_text(f"{path} 에 새 보고서를 만들지 못했습니다.", exc))
            return False
        self._switch_workspace(workspace)
        return True

    def import_file(self, path: Path) -> bool:
        """Import a report text file into the open database (File › 텍스트 가져오기)."""
        backend = self.backend
        if backend is None or not self.flush():
            return False
        try:
            (result,) = run_with_progress(
                self, [("파일을 읽는 중…", partial(backend.parse_text, path))], "텍스트 가져오기"
            )
        except Exception as exc:
            QMessageBox.warning(self, "가져오기 실패", _error_text(f"{path.name} 파일을 가져오지 못했습니다.", exc))
            return False
        report: Report = result.report  # type: ignore[attr-defined]
        if backend.has_report(report.year) and not self._ask(
            "보고서 바꾸기",
            f"이 데이터베이스에 {report.year}년 보고서가 이미 있습니다. 가져온 내용으로 바꿀까요?\n"
            "지금 보고서의 내용은 모두 가져온 내용으로 바뀝니다.",
        ):
            return False
        try:
            run_with_progress(
                self, [("데이터베이스에 저장하는 중…", partial(backend.replace_report, report))], "텍스트 가져오기"
            )
        except Exception as exc:
            QMessageBox.warning(self, "가져오기 실패", _error_text(f"{path.name} 파일을 저장하지 못했습니다.", exc))
            return False
        self.reload()
        warnings = [
            f"{w.line}번째 줄: {w.message}" + (f"  — {w.text}" if w.text else "")
            for w in result.warnings  # type: ignore[attr-defined]
        ]
        programs = sum(len(c.programs) for c in report.chapters)
        summary = f"{report.year}년 보고서를 가져왔습니다: {len(report.chapters)}개 장, {programs}개 사업"
        self.statusBar().showMessage(summary, STATUS_MESSAGE_MS)
        self.last_import_report = (summary, warnings)
        self._show_import_report(summary, warnings)
        return True

    def recent_files(self) -> list[Path]:
        """The databases opened lately, newest first (kept in the settings)."""
        value = self.settings.value(SETTINGS_RECENT, [])
        items = [value] if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
        return [Path(str(item)) for item in items if str(item)]

    # ================================================================== building

    def _build_navigator(self) -> None:
        self.model = ReportTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setItemDelegate(_PaddedRowDelegate(self.tree))
        self.tree.setSelectionMode(QTreeView.SelectionMode.SingleSelection)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths, not ResizeToContents: that re-measures every row on each count update.
        metrics = self.tree.fontMetrics()
        for column, sample in ((1, "작성중"), (2, "문제")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 18)
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)

    def _build_forms(self) -> None:
        self.summary = QTextBrowser()
        self.summary.setOpenLinks(False)
        self.program_form = ProgramForm()
        self.department_form = DepartmentForm()
        self.front_form = FrontForm()
        for form in (self.program_form, self.department_form, self.front_form):
            form.message.connect(self._show_message)
        self.stack = QStackedWidget()
        for widget in (self.summary, self.program_form, self.department_form, self.front_form):
            self.stack.addWidget(widget)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([370, 910])
        self.setCentralWidget(self.splitter)

    def _build_docks(self) -> None:
        self.problems_panel = ProblemsPanel()
        self.problems_panel.activated.connect(self.go_to_problem)
        self.problems_dock = QDockWidget("문제", self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems_dock.setWidget(self.problems_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        self.problems_dock.setMinimumHeight(120)
        self.resizeDocks([self.problems_dock], [170], Qt.Orientation.Vertical)

        self.search_panel = SearchPanel(self.search)
        self.search_panel.activated.connect(self.go_to_hit)
        self.search_dock = QDockWidget("찾기", self)
        self.search_dock.setObjectName("searchDock")
        self.search_dock.setWidget(self.search_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.search_dock)
        self.search_dock.hide()

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_menus(self) -> None:
        self.new_action = self._action(
            "새 보고서…", self._on_new_report, "Ctrl+N", "새 데이터베이스 파일에 빈 보고서를 만듭니다"
        )
        self.open_action = self._action("열기…", self._on_open, "Ctrl+O", "보고서 데이터베이스 파일을 엽니다")
        self.import_action = self._action(
            "텍스트 가져오기…", self._on_import_triggered, "Ctrl+I", "보고서 텍스트 파일을 데이터베이스로 가져옵니다"
        )
        self.save_action = self._action(
            "지금 저장", self.flush, "Ctrl+S", "고친 내용을 바로 저장합니다 (자동 저장도 됩니다)"
        )
        # Spelled out: Windows has no standard Quit key sequence.
        self.quit_action = self._action("끝내기", self.close, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        for action in (self.new_action, self.open_action):
            action.setEnabled(self._open_workspace is not None)

        self.file_menu = self.menuBar().addMenu("파일")
        self.file_menu.setSeparatorsCollapsible(True)
        self._file_group_ends: dict[str, QAction] = {}
        for group in FILE_GROUPS:
            self._file_group_ends[group] = self.file_menu.addSeparator()
        self.add_file_action(self.new_action, "document")
        self.add_file_action(self.open_action, "document")
        self.add_file_action(self.save_action, "document")
        self.add_file_action(self.import_action, "import")
        self.recent_menu = QMenu("최근 파일", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.file_menu.insertMenu(self._file_group_ends["recent"], self.recent_menu)
        self.add_file_action(self.quit_action, "quit")

        self.undo_action = self.undo_group.createUndoAction(self, "실행 취소")
        self.undo_action.setShortcuts(_unique_keys([QKeySequence(QKeySequence.StandardKey.Undo)]))
        self.redo_action = self.undo_group.createRedoAction(self, "다시 실행")
        self.redo_action.setShortcuts(
            _unique_keys([QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)])
        )
        self.find_action = self._action(
            "찾기…", self.show_search, QKeySequence.StandardKey.Find, "보고서 전체에서 찾습니다"
        )
        self.next_action = self._action("다음 항목", lambda: self._step_item(1), "Ctrl+PgDown")
        self.previous_action = self._action("이전 항목", lambda: self._step_item(-1), "Ctrl+PgUp")
        self.edit_menu = self.menuBar().addMenu("편집")
        for action in (self.undo_action, self.redo_action):
            self.edit_menu.addAction(action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.next_action)
        self.edit_menu.addAction(self.previous_action)

        self.view_menu = self.menuBar().addMenu("보기")
        problems_toggle = self.problems_dock.toggleViewAction()
        problems_toggle.setText("문제 패널")
        problems_toggle.setShortcut(QKeySequence("F8"))
        search_toggle = self.search_dock.toggleViewAction()
        search_toggle.setText("찾기 패널")
        self.view_menu.addAction(problems_toggle)
        self.view_menu.addAction(search_toggle)

    def _build_status_bar(self) -> None:
        self.save_label = QLabel("고친 내용 없음")
        self.save_label.setMinimumWidth(150)
        self.mode_label = QLabel("")
        self.mode_label.setStyleSheet("QLabel { color: #8a5a00; font-weight: bold; }")
        self.mode_label.setVisible(False)
        self.db_label = QLabel("")
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Permanent widgets, so transient messages (refused input, import summaries) do not hide them.
        bar = self.statusBar()
        bar.addPermanentWidget(self.mode_label)
        bar.addPermanentWidget(self.save_label)
        bar.addPermanentWidget(self.db_label)

    # ================================================================== the report

    def _switch_workspace(self, workspace: Workspace) -> None:
        old = self.workspace
        self.set_workspace(workspace)
        if old is not None and old.backend is not workspace.backend:
            old.backend.close()

    def _set_report(self, report: Report | None) -> None:
        self.autosaver.discard()
        self.undo_group.setActiveStack(self._no_stack)
        for session in self._sessions.values():
            self.undo_group.removeStack(session.stack)
            session.deleteLater()
        self._sessions = {}
        self._shown_key = None
        self._report = report
        states = self._review_states(report) if report is not None else {}
        self._readonly = self._readonly_reasons(report, states) if report is not None else {}
        rows = rows_for_report(report) if report is not None else []
        programs = dict(keyed_programs(report)) if report is not None else {}
        rows = [self._decorate(row, programs.get(row.key), states) for row in rows]
        self.model.set_rows(rows)
        # Without review states (no review store, a new report) the column would only take width.
        self.tree.setColumnHidden(1, not any(states.values()))
        self.tree.expandAll()
        title = APP_TITLE
        if report is not None:
            title = f"{APP_TITLE} — {report.year}년 {report.title or '주요업무보고'}"
        department = self.workspace.editable_department if self.workspace is not None else None
        if department:
            title += f" [{department}]"
        self.setWindowTitle(title)
        self.validator.set_report(report, background=True)

    def _decorate(self, row: TreeRow, program: Program | None, states: dict[str, str]) -> TreeRow:
        if row.kind is RowKind.PROGRAM:
            state = states.get(program.code, "") if program is not None else ""
            return row._replace(state=state, readonly=bool(self._readonly.get(row.key)))
        if row.kind is RowKind.DEPARTMENT or row.key == FRONT_KEY:
            return row._replace(readonly=bool(self._readonly.get(row.key)))
        return row

    def _review_states(self, report: Report) -> dict[str, str]:
        if self.workspace is None:
            return {}
        try:
            return self.workspace.review_states(report.year)
        except Exception as exc:  # the review store is another module's: show, do not fail
            self._show_message(f"검토 상태를 읽지 못했습니다: {exc}")
            return {}

    def _readonly_reasons(self, report: Report, states: dict[str, str]) -> dict[str, str]:
        """Why each unit cannot be edited (absent: it can), as far as the navigator needs to know.

        Worked out from the department and the review states in one go, so a
        1,000-program report does not cost 1,000 queries; the store's own lock
        check runs when a unit is opened (:meth:`_make_session`).
        """
        reasons: dict[str, str] = {}
        workspace = self.workspace
        department = workspace.editable_department if workspace is not None else None
        codes: set[str] = set()
        for key, program in keyed_programs(report):
            if department and program.department != department:
                reasons[key] = (
                    f"{program.department} 소관 사업입니다. 이 파일은 {department} 제출용이므로 읽기만 할 수 있습니다."
                )
            elif program.code in codes:
                reasons[key] = f"사업 번호 {program.code}이(가) 겹칩니다. 번호를 바로잡은 뒤에 고칠 수 있습니다."
            elif states.get(program.code) == CONFIRMED:
                reasons[key] = "확정된 사업입니다. 고칠 수 없습니다(검토 상태: 확정)."
            codes.add(program.code)
        for dept in report.departments:
            if department and dept.name != department:
                reasons[department_key(dept.name)] = (
                    f"{dept.name}의 업무 평가입니다. 이 파일은 {department} 제출용이므로 읽기만 할 수 있습니다."
                )
        if department:
            reasons[FRONT_KEY] = "일반 현황은 기획 부서가 작성합니다. 부서 제출 파일에서는 읽기만 할 수 있습니다."
        return reasons

    def _lock_reason(self, year: int, code: str) -> str:
        workspace = self.workspace
        if workspace is None:
            return ""
        try:
            return workspace.reason_locked(year, code) or ""
        except Exception as exc:
            # Unknown means locked: editing a program the office has closed would be worse.
            return f"고칠 수 있는지 확인하지 못해 읽기 전용으로 엽니다: {exc}"

    def _make_session(self, key: str) -> EditSession | None:
        report = self._report
        if report is None:
            return None
        target: Program | Department | Report | None
        fields: Mapping[str, FieldAccess[Any]]
        if key.startswith("program:"):
            target, fields = program_for_key(report, key), PROGRAM_FIELDS
        elif key.startswith("department:"):
            name = key.split(":", 1)[1]
            target, fields = next((d for d in report.departments if d.name == name), None), DEPARTMENT_FIELDS
        elif key == FRONT_KEY:
            target, fields = report, FRONT_FIELDS
        else:
            return None
        if target is None:
            return None
        reason = self._readonly.get(key, "")
        if not reason and isinstance(target, Program):
            reason = self._lock_reason(report.year, target.code)
        elif not reason and isinstance(target, Department):
            reason = self._lock_reason(report.year, f"II:{target.name}")
        if reason:
            self._readonly[key] = reason
            self.model.update_row(key, readonly=True)
        session = EditSession(key, target, fields, readonly_reason=reason, parent=self)
        session.changed.connect(partial(self._on_unit_changed, key))
        self.undo_group.addStack(session.stack)
        self._sessions[key] = session
        return session

    def _save_unit(self, key: str) -> None:
        report, backend = self._report, self.backend
        session = self._sessions.get(key)
        if report is None or backend is None or session is None:
            return
        target = session.target
        if isinstance(target, Program):
            backend.save_program(report.year, target)
        elif isinstance(target, Department):
            backend.save_department(report.year, target)
        elif isinstance(target, Report):
            backend.save_front(target)

    # ================================================================== showing an item

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # Leaving an item saves it: switching must never be what loses an edit.
        self.flush()
        self._show_item(current)

    def _show_item(self, index: QModelIndex | None) -> None:
        report = self._report
        previous = self._sessions.get(self._shown_key or "")
        if previous is not None:
            previous.end_merge()
        key = ReportTreeModel.key_at(index) if index is not None else None
        kind = ReportTreeModel.kind_at(index) if index is not None else None
        self._shown_key = key
        if key:
            self.settings.setValue(SETTINGS_LAST_KEY, key)
        if report is None:
            self.summary.setHtml(summary_page.paragraph(EMPTY_MESSAGE))
            self.stack.setCurrentWidget(self.summary)
            self.undo_group.setActiveStack(self._no_stack)
            self._refresh_problem_views()
            return
        session = self.session(key) if key is not None else None
        if session is not None and kind is RowKind.PROGRAM:
            program = session.target
            assert isinstance(program, Program)
            row = self.model.row(key or "")
            info = " · ".join(x for x in (program.department, row.state if row else "") if x)
            self.program_form.set_session(session, year=report.year, info=info, unit=report.unit, as_of=report.as_of)
            self.stack.setCurrentWidget(self.program_form)
        elif session is not None and kind is RowKind.DEPARTMENT:
            self.department_form.set_session(session)
            self.stack.setCurrentWidget(self.department_form)
        elif session is not None and key == FRONT_KEY:
            self.front_form.set_session(session)
            self.stack.setCurrentWidget(self.front_form)
        else:
            self.summary.setHtml(_summary_html(report, kind, key))
            self.stack.setCurrentWidget(self.summary)
        self.undo_group.setActiveStack(session.stack if session is not None else self._no_stack)
        self._refresh_problem_views()

    def _step_item(self, delta: int) -> None:
        keys = [k for k in self.model.all_keys() if k.startswith(("program:", "department:")) or k == FRONT_KEY]
        if not keys:
            return
        current = self.current_key()
        position = keys.index(current) + delta if current in keys else 0
        self.select_key(keys[max(0, min(len(keys) - 1, position))])

    # ================================================================== edits, saves, problems

    def _on_unit_changed(self, key: str, field: str, source: object) -> None:
        self.autosaver.mark_dirty(key)
        self.save_label.setText("저장 대기…")
        self.save_label.setStyleSheet("QLabel { color: #666666; }")
        if key.startswith("program:"):
            program = self._sessions[key].target
            assert isinstance(program, Program)
            self.validator.schedule_program(program.code)
            if field == "title":
                self.model.update_row(key, label=program_label(program))
        else:
            self.validator.schedule_report()

    def _on_saved(self, when: str) -> None:
        self.save_label.setText(f"저장됨 {when}")
        self.save_label.setStyleSheet("")
        self.save_label.setToolTip("고친 내용은 잠시 뒤 자동으로 저장됩니다.")
        self.saved.emit(when)

    def _on_save_failed(self, message: str) -> None:
        self.save_label.setText("저장 실패 — 다시 시도합니다")
        self.save_label.setStyleSheet("QLabel { color: #c62828; font-weight: bold; }")
        self.save_label.setToolTip(message)
        self._show_message(f"저장하지 못했습니다: {message}")

    def _on_problems_updated(self, code: str) -> None:
        report = self._report
        if report is None:
            return
        keys = [f"program:{code}"] if code else [key for key, _program in keyed_programs(report)]
        index = self.validator.index
        for key in keys:
            found = count(index.for_key(key))
            self.model.update_row(key, errors=found.errors, warnings=found.warnings)
        if not code:
            for dept in report.departments:
                key = department_key(dept.name)
                found = count(index.for_key(key))
                self.model.update_row(key, errors=found.errors, warnings=found.warnings)
            found = count(index.for_front())
            self.model.update_row(FRONT_KEY, errors=found.errors, warnings=found.warnings)
        self._problems_timer.start()

    def _refresh_problem_views(self) -> None:
        key = self._shown_key
        current = self.validator.index.for_key(key) if key else []
        form = self.stack.currentWidget()
        if isinstance(form, ProgramForm | DepartmentForm | FrontForm):
            form.set_problems(current)
        if form is self.front_form:
            self.front_form.refresh_summary()
        row = self.model.row(key) if key else None
        self.problems_panel.set_problems(self.validator.index.all(), current, row.label if row else "")

    def _problem_place(self, problem: Problem) -> tuple[str | None, str, int | None]:
        report = self._report
        if report is None:
            return None, "", None
        if problem.section in REVIEW_SECTIONS:
            dept = next((d for d in report.departments if problem.message.startswith(f"{d.name}: ")), None)
            return (department_key(dept.name) if dept else EVALUATION_KEY), problem.section, problem.row
        if problem.section == "front.budget_summary" and problem.program:
            # The form lists the programs, not the printed rows: find the program's row.
            codes = [p.code for p in report.programs()]
            row = codes.index(problem.program) + 1 if problem.program in codes else problem.row
            return FRONT_KEY, problem.section, row
        if problem.section.startswith("front."):
            return FRONT_KEY, problem.section, problem.row
        if problem.program:
            key = f"program:{problem.program}"
            if self.model.index_for_key(key).isValid():
                return key, problem.section, problem.row
        return None, "", None

    # ================================================================== focus, close, settings

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        # Leaving a field ends its run of typing (the next edit is a new undo step) and saves.
        if old is None or not self.isAncestorOf(old):
            return
        session = self._sessions.get(self._shown_key or "")
        if session is not None:
            session.end_merge()
        if self.autosaver.is_dirty():
            self.flush()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.shown_at is None:
            self.shown_at = time.time()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.flush() and not self._ask(
            "저장하지 못한 내용", f"고친 내용을 저장하지 못했습니다:\n{self.autosaver.last_error}\n\n그래도 끝낼까요?"
        ):
            event.ignore()
            return
        self.settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        self.settings.setValue(SETTINGS_STATE, self.saveState())
        self.settings.setValue(SETTINGS_SPLITTER, self.splitter.saveState())
        self.settings.sync()
        event.accept()

    def _restore_settings(self) -> None:
        geometry = self.settings.value(SETTINGS_GEOMETRY)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value(SETTINGS_STATE)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = self.settings.value(SETTINGS_SPLITTER)
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def _remember_recent(self, path: Path) -> None:
        resolved = path.expanduser().absolute()
        files = [resolved, *(p for p in self.recent_files() if p != resolved)][:MAX_RECENT]
        self.settings.setValue(SETTINGS_RECENT, [str(p) for p in files])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        if not files:
            empty = self.recent_menu.addAction("(없음)")
            empty.setEnabled(False)
            return
        for n, path in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{n} {path.name} — {path.parent}")
            action.setEnabled(self._open_workspace is not None)
            action.triggered.connect(lambda _checked=False, path=path: self.open_database(path))

    # ================================================================== menu actions

    def _last_dir(self) -> str:
        return str(self.settings.value(SETTINGS_LAST_DIR, str(Path.home())) or Path.home())

    def _on_open(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "보고서 데이터베이스 열기", self._last_dir(), DB_FILTER)
        if name:
            self.settings.setValue(SETTINGS_LAST_DIR, str(Path(name).parent))
            self.open_database(Path(name))

    def _on_new_report(self) -> None:
        default_year = self._report.year + 1 if self._report is not None else dt.date.today().year
        year, ok = QInputDialog.getInt(self, "새 보고서", "보고서 연도:", default_year, 2000, 2100)
        if not ok:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self, "새 보고서 데이터베이스", str(Path(self._last_dir()) / f"주요업무보고-{year}.sqlite"), DB_FILTER
        )
        if name:
            self.settings.setValue(SETTINGS_LAST_DIR, str(Path(name).parent))
            self.new_report(Path(name), year)

    def _on_import_triggered(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, "보고서 텍스트 가져오기", self._last_dir(), "텍스트 파일 (*.txt);;모든 파일 (*)"
        )
        if name:
            self.settings.setValue(SETTINGS_LAST_DIR, str(Path(name).parent))
            self.import_file(Path(name))

    def _show_import_report(self, summary: str, warnings: list[str]) -> None:
        dialog = ImportReportDialog(summary, warnings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.import_report_dialog = dialog

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS)


def _unique_keys(keys: list[QKeySequence]) -> list[QKeySequence]:
    # The same sequence twice on one action makes Qt report an ambiguous shortcut.
    seen: set[str] = set()
    unique = []
    for key in keys:
        text = key.toString()
        if text and text not in seen:
            seen.add(text)
            unique.append(key)
    return unique


def _summary_html(report: Report, kind: RowKind | None, key: str | None) -> str:
    if kind is RowKind.CHAPTER and key is not None:
        chapter = chapter_for_key(report, key)
        if chapter is not None:
            return summary_page.chapter_html(chapter)
    if key == EVALUATION_KEY:
        return summary_page.evaluation_html(report)
    if key == PROGRAMS_KEY:
        return summary_page.programs_html(report)
    return summary_page.report_html(report)


def _error_text(lead: str, exc: BaseException) -> str:
    detail = str(exc).strip() or type(exc).__name__
    return f"{lead}\n\n{detail}"
