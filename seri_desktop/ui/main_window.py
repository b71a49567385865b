"""The main window: the navigator, the selected item's form, the problems and search panels.

The window builds the widgets and wires them; the work lives elsewhere:
:mod:`~seri_desktop.ui.units` (an edit session per unit opened, its undo
stack in the window's :class:`QUndoGroup`, how it is saved),
:mod:`~seri_desktop.ui.autosave`, :mod:`~seri_desktop.ui.validation` (the
problems, kept current), :mod:`~seri_desktop.ui.access` (what is read-only),
:mod:`~seri_desktop.ui.navigation` (from a problem or a hit to its place),
:mod:`~seri_desktop.ui.forms.stack` (the forms) and the action modules
(files, text import, print, Excel, exchange, help), :mod:`~seri_desktop.ui.live`
(what others save on a shared server), which see the window only
through its :class:`~seri_desktop.ui.context.AppContext`. The window knows
neither SQL nor the importer: it works on a
:class:`~seri_desktop.ui.backend.Workspace`.

The app shows the window in three steps (issue 17.3, ``build_later``): the
frame, its title and a placeholder ("불러오는 중") first, with nothing of
the app's own modules and as few Qt classes as can be (every Qt class and
enum touched before the first show delays it); then the navigator, with a
current SQLite file's report (:meth:`MainWindow.show_preview`); then
everything else in :meth:`MainWindow.finish_building` (the forms, the docks,
the menus and their action modules: :mod:`~seri_desktop.ui.window_build`).
This module therefore imports only that first step's modules at its top;
what the later steps use is imported where it is used, and the attributes
they make are declared on the class.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from seri_desktop.ui import refcount_guard
from seri_desktop.ui.style import install_style
from seri_desktop.ui.translations import install_qt_translations
from seri_desktop.ui.window_state import restore_geometry, save_state

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex, QTimer
    from PySide6.QtGui import QAction, QCloseEvent, QShowEvent, QUndoGroup, QUndoStack
    from PySide6.QtWidgets import QDockWidget, QMenu, QTextBrowser, QToolBar

    from seri_desktop.domain.identity import ItemRef
    from seri_desktop.domain.model import Program, Report
    from seri_desktop.domain.rules import Problem
    from seri_desktop.ui.actions_authors import AuthorActions
    from seri_desktop.ui.actions_exchange import ExchangeActions
    from seri_desktop.ui.actions_files import FileActions, OpenWorkspace
    from seri_desktop.ui.actions_findings import FindingActions
    from seri_desktop.ui.actions_help import HelpActions
    from seri_desktop.ui.actions_hwpx import HwpxActions
    from seri_desktop.ui.actions_import import ImportActions
    from seri_desktop.ui.actions_print import PrintActions
    from seri_desktop.ui.actions_structure import StructureActions
    from seri_desktop.ui.actions_workbook import WorkbookActions
    from seri_desktop.ui.autosave import AutoSaver
    from seri_desktop.ui.backend import ReportBackend, Workspace
    from seri_desktop.ui.context import AppContext
    from seri_desktop.ui.editing import EditSession
    from seri_desktop.ui.focus import Panes
    from seri_desktop.ui.forms.department_form import DepartmentForm
    from seri_desktop.ui.forms.front_form import FrontForm
    from seri_desktop.ui.forms.program_form import ProgramForm
    from seri_desktop.ui.forms.stack import FormStack
    from seri_desktop.ui.journal import JournalKeeper
    from seri_desktop.ui.live import LiveRefresh
    from seri_desktop.ui.menus import Menus
    from seri_desktop.ui.notice import NoticeBar
    from seri_desktop.ui.problems_panel import ProblemsPanel
    from seri_desktop.ui.qtmodels.report_tree import ReportTreeModel
    from seri_desktop.ui.search import SearchHit
    from seri_desktop.ui.search_panel import SearchPanel
    from seri_desktop.ui.stale_dialog import StaleResolver
    from seri_desktop.ui.status_bar import StatusLine
    from seri_desktop.ui.units import Units
    from seri_desktop.ui.validation import Validator
    from seri_desktop.ui.widgets.navigator import NavigatorView

__all__ = ["MainWindow", "loading_text", "window_title"]

APP_TITLE = "seri-desktop"

SETTINGS_LAST_KEY = "report/lastKey"
# The window must fit a 1280×800 laptop screen with the problems panel open, title bar and task bar included.
DEFAULT_SIZE = QSize(1280, 800)
FRAME_ALLOWANCE = QSize(16, 48)
MINIMUM_SIZE = QSize(960, 560)
SPLITTER_SIZES = [370, 910]  # the navigator and the form, until the person moves the splitter


def loading_text(path: Path | str | None) -> str:
    """What the form area says while ``path`` (a file, or a server named without its password) is being opened."""
    return f"보고서를 불러오는 중입니다… ({path})" if path else "보고서를 불러오는 중입니다…"


class MainWindow(QMainWindow):
    """See the module docstring.

    ``workspace``: the open database (``None``: nothing open yet).
    ``settings``: where geometry and recent files live (tests pass their own).
    ``open_workspace(path)``: opens another database (File › 열기, 새 보고서,
    recent files); without it those actions are disabled.
    ``build_later``: build only the frame, its title and a placeholder now; the navigator when
    :meth:`show_preview` or :meth:`finish_building` is called, and the forms, the status line, the
    docks, menus, toolbars and action modules in :meth:`finish_building`: the app shows the window
    first and builds the rest after (issue 17.3). :attr:`ready` is emitted, and :meth:`when_ready`
    callbacks run, once it is built (at once without ``build_later``). Until then only
    :meth:`show_loading`, :meth:`show_preview` and the Qt window's own methods may be used.
    """

    reportLoaded = Signal()  # after every (re)load of the report
    ready = Signal()  # once: menus, toolbars, docks and actions built (see when_ready)
    saved = Signal(str)  # "HH:MM:SS" after an autosave wrote everything

    # Made with the navigator (show_preview or finish_building).
    model: ReportTreeModel
    tree: NavigatorView
    # Made by finish_building.
    stack: FormStack
    summary: QTextBrowser
    notice: NoticeBar
    undo_group: QUndoGroup
    _no_stack: QUndoStack
    units: Units
    autosaver: AutoSaver
    stale_resolver: StaleResolver
    validator: Validator
    live: LiveRefresh
    journal: JournalKeeper
    _problems_timer: QTimer
    status_line: StatusLine
    save_label: QLabel
    mode_label: QLabel
    db_label: QLabel
    context: AppContext
    menus: Menus
    file_menu: QMenu
    panes: Panes
    # ... by window_build (the docks and the menus' actions).
    problems_panel: ProblemsPanel
    problems_dock: QDockWidget
    search_panel: SearchPanel
    search_dock: QDockWidget
    file_actions: FileActions
    import_actions: ImportActions
    print_actions: PrintActions
    workbook_actions: WorkbookActions
    hwpx_actions: HwpxActions
    exchange_actions: ExchangeActions
    structure_actions: StructureActions
    help_actions: HelpActions
    finding_actions: FindingActions
    author_actions: AuthorActions
    save_action: QAction
    quit_action: QAction
    undo_action: QAction
    redo_action: QAction
    find_action: QAction
    next_action: QAction
    previous_action: QAction
    next_pane_action: QAction
    previous_pane_action: QAction
    navigator_action: QAction

    def __init__(
        self,
        workspace: Workspace | None = None,
        *,
        settings: QSettings | None = None,
        open_workspace: OpenWorkspace | None = None,
        parent: QWidget | None = None,
        build_later: bool = False,
    ) -> None:
        super().__init__(parent)
        # Whoever builds a window (the app, tests, benchmarks, the self-test) gets the guard,
        # Qt's Korean translations and the focus frames.
        refcount_guard.install()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_qt_translations(app)
            install_style(app)
        self.settings = settings if settings is not None else QSettings()
        self.workspace: Workspace | None = None
        self._report: Report | None = None
        self._shown_key: str | None = None
        self.shown_modules: frozenset[str] = frozenset()  # sys.modules at the first show
        self.shown_at: float | None = None  # time.time() of the first show (start-up benchmark)
        self.report_shown_at: float | None = None  # ... and of the first report in the navigator
        # What each of the two waited for: the Qt classes made (qt_classes_made) and, for the report, the modules.
        self.shown_qt_classes: frozenset[str] = frozenset()
        self.report_modules: frozenset[str] = frozenset()
        self.report_qt_classes: frozenset[str] = frozenset()
        self._open_workspace = open_workspace
        self._ready_callbacks: list[Callable[[], object]] = []
        self.is_ready = False
        self._has_navigator = False
        self._has_forms = False
        self.setWindowTitle(APP_TITLE)
        self._build_frame()
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(default_size(self))
        restore_geometry(self, self.splitter, self.settings)
        if not build_later:
            self.finish_building(workspace)

    def finish_building(self, workspace: Workspace | None = None) -> None:
        """Build the forms, docks, menus, toolbars and actions, then show ``workspace`` (see ``build_later``)."""
        if self.is_ready:
            return
        # The docks, menus and action modules: a tenth of a second of imports, after the first show.
        from seri_desktop.ui import menus, window_build
        from seri_desktop.ui.context import AppContext
        from seri_desktop.ui.window_state import restore_docks

        self._build_navigator()
        self._build_edit_state()
        self._build_forms()
        window_build.build_docks(self)
        self.menus = menus.Menus(self.menuBar())
        self.file_menu = self.menus.menu(menus.FILE)
        self.context = AppContext(self, self, self.menus, self.settings)
        self.reportLoaded.connect(self.context.reportLoaded)
        window_build.build_menus(self, self._open_workspace)
        window_build.build_welcome(self)
        self._connect_navigator()
        # The toolbars and docks exist only now: their places are restored after them.
        restore_docks(self, self.settings)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        if workspace is not None:
            self.set_workspace(workspace)
        else:
            self._show_item(None)
        self.is_ready = True
        self.ready.emit()
        callbacks, self._ready_callbacks = self._ready_callbacks, []
        for callback in callbacks:
            callback()

    def when_ready(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the window is built (:attr:`ready`): now if it already is."""
        if self.is_ready:
            callback()
        else:
            self._ready_callbacks.append(callback)

    # ================================================================== public API

    @property
    def report(self) -> Report | None:
        return self._report

    @property
    def program_form(self) -> ProgramForm:
        return self.stack.program_form

    @property
    def department_form(self) -> DepartmentForm:
        return self.stack.department_form

    @property
    def front_form(self) -> FrontForm:
        return self.stack.front_form

    @property
    def backend(self) -> ReportBackend | None:
        return self.workspace.backend if self.workspace is not None else None

    def set_workspace(self, workspace: Workspace) -> None:
        """Show the report of another database (the current one's edits are saved first)."""
        if self.workspace is not None:
            self.flush()
        from seri_desktop.ui.connections import backend_label

        self.workspace = workspace
        self.journal.open(workspace.backend)
        self.status_line.show_workspace(backend_label(workspace.backend), workspace.editable_department)
        self.context.workspaceChanged.emit()
        self.reload()
        self.live.watch(workspace.backend)

    def switch_workspace(self, workspace: Workspace) -> None:
        """Show ``workspace`` and close the database shown before."""
        old = self.workspace
        self.set_workspace(workspace)
        if old is not None and old.backend is not workspace.backend:
            old.backend.close()

    def show_preview(self, report: Report) -> None:
        """Show ``report``'s outline in the navigator while its database is still being opened.

        The app reads a current SQLite file without the store (:mod:`seri_desktop.store.fastread`)
        and shows it here first: opening the store imports SQLAlchemy, a third of a second or more,
        and the person should see the report at once (issue 17.3). Nothing can be opened or edited
        from the preview (the app keeps input events until :meth:`set_workspace`, which replaces it).
        The navigator is built here if it is not yet (``build_later``).
        """
        from seri_desktop.ui.rows import rows_for_report

        self._build_navigator()
        self.model.set_rows(rows_for_report(report))
        self.tree.expandAll()
        self.setWindowTitle(window_title(report, None))
        self._note_report_shown()

    def show_loading(self, path: Path | str | None = None) -> None:
        """Say that ``path`` (a file, or a server named without its password) is being opened (until :meth:`set_workspace`)."""
        if not self._has_forms:
            self._placeholder.setText(loading_text(path))
            return
        from seri_desktop.ui.forms import summary_page

        self.stack.show_html(summary_page.paragraph(loading_text(path)))

    def reload(self) -> None:
        """Read the report again (after an import, or after another part of the app wrote the database)."""
        previous = self.current_key() or str(self.settings.value(SETTINGS_LAST_KEY, "") or "")
        self.flush()
        from seri_desktop.ui.crash import shown_errors

        report: Report | None = None
        if self.backend is not None:
            # A damaged or newer database must not keep the window from opening.
            with shown_errors(
                self, "보고서를 읽지 못했습니다", "저장된 보고서를 읽지 못했습니다.", doing="보고서 읽기"
            ):
                report = self.backend.load()
        self._set_report(report)
        if not (previous and self.select_key(previous)):
            self._show_item(None)
        self.reportLoaded.emit()
        self.journal.offer()

    def flush(self) -> bool:
        """Save every pending edit now; ``False`` (and the status bar says why) if a save failed.

        The chapter page's author blocks not saved yet are saved too (leaving the page never loses them).
        Nothing can have been edited before the window is built.
        """
        if not self._has_forms:
            return True
        chapter_page = self.stack.chapter_page
        blocks_saved = not chapter_page.dirty or chapter_page.save()
        return self.autosaver.flush() and blocks_saved

    def current_key(self) -> str | None:
        return self.model.key_at(self.tree.currentIndex())

    def current_ref(self) -> ItemRef | None:
        """The editable unit of the current row, if it is one."""
        row = self.model.row(self.current_key() or "")
        return row.ref if row is not None else None

    def current_program(self) -> Program | None:
        from seri_desktop.ui.rows import program_for_key

        key = self.current_key()
        return program_for_key(self._report, key) if self._report is not None and key is not None else None

    def select_key(self, key: str) -> bool:
        """Select the navigator row with ``key`` and show its form; ``False`` if there is none."""
        from PySide6.QtCore import QItemSelectionModel

        index = self.model.index_for_key(key)
        if not index.isValid():
            return False
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.tree.scrollTo(index)
        return True

    def session(self, key: str) -> EditSession | None:
        """The edit session of the unit of row ``key`` (made when it is first opened)."""
        row = self.model.row(key)
        return self.units.session(key, row.ref) if row is not None else None

    def session_of(self, ref: ItemRef) -> EditSession | None:
        """The edit session of a program (by its id or code), a department's section II or the front matter."""
        from seri_desktop.domain.identity import ItemRef
        from seri_desktop.ui.rows import program_for_key

        keys = self.model.keys_for_ref(ref)
        report = self._report
        program = report.program_by_uid(ref.id) if ref.is_program and report is not None else None
        if report is not None and program is not None:
            # Rows name programs by code: the row of this very program, where a code repeats too.
            keys = keys or self.model.keys_for_ref(ItemRef.program(program.code))
            keys = [k for k in keys if program_for_key(report, k) is program] or keys
        return self.session(keys[0]) if keys else None

    def add_file_action(self, action: QAction, group: str = "export") -> None:
        """Add ``action`` to the File menu at the end of ``group`` (see :data:`~seri_desktop.ui.menus.FILE_GROUPS`)."""
        from seri_desktop.ui.menus import FILE

        self.menus.add(FILE, action, group)

    def go_to(
        self, key: str, section: str = "", row: int | None = None, column: str = "", *, start: int = 0, length: int = 0
    ) -> bool:
        """Show item ``key`` and put the cursor at a place in its form (a problem's or a search hit's)."""
        if not self.select_key(key):
            return False
        return not section or self.stack.focus_place(section, row, column, start=start, length=length)

    def go_to_problem(self, problem: Problem) -> bool:
        """Go to where ``problem`` is (what double-clicking it in the problems panel does)."""
        from seri_desktop.ui import navigation

        if self._report is None:
            return False
        key, section, row = navigation.problem_place(self._report, problem, set(self.model.all_keys()))
        return key is not None and self.go_to(key, section, row, problem.column)

    def go_to_hit(self, hit: SearchHit) -> bool:
        """Go to a search hit and select the words found."""
        return self.go_to(hit.key, hit.section, hit.row, hit.column, start=hit.start, length=hit.length)

    def search(self, query: str) -> list[SearchHit]:
        """Search the open report (what the search panel shows)."""
        from seri_desktop.ui import navigation

        return navigation.search(self._report, query)

    def show_search(self) -> None:
        """Open the search panel with the cursor in its field (Ctrl+F)."""
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.focus_query()

    def show_message(self, text: str) -> None:
        """A transient message in the status bar."""
        self.status_line.show_message(text)

    def show_comments(self, lines: Sequence[str]) -> None:
        self.stack.set_comments(lines)

    def show_notice(self, text: str, path: Path | None = None) -> None:
        """The notice bar above the form (a result and its file)."""
        self.notice.show_notice(text, path)

    def open_problems(self) -> list[Problem]:
        """Every problem of the report, checked now (what the guards list)."""
        self.validator.flush()
        return self.validator.index.all()

    def go_to_unit(self, ref: ItemRef) -> bool:
        """Select the row of a program, a department's section II or the front matter."""
        keys = self.model.keys_for_ref(ref)
        return bool(keys) and self.select_key(keys[0])

    @property
    def report_undo_stack(self) -> QUndoStack:
        return self._no_stack

    def activate_report_undo(self) -> None:
        self.undo_group.setActiveStack(self._no_stack)

    def add_toolbar(self, toolbar: QToolBar) -> None:
        self.addToolBar(toolbar)  # at the top

    # ================================================================== building

    def _build_frame(self) -> None:
        """What the first show shows: the splitter's two panes held by placeholders, the loading line on the right.

        Plain widgets only: the navigator and the forms take their places later (:meth:`_build_navigator`,
        :meth:`_build_forms`) with the sizes the splitter has (restored from the settings by then).
        """
        self._placeholder = QLabel(loading_text(None))
        self._placeholder.setWordWrap(True)
        self._placeholder.setMargin(6)
        right = _blank_pane()
        column = QVBoxLayout(right)
        column.addWidget(self._placeholder)
        column.addStretch(1)
        self.splitter = QSplitter()  # horizontal
        self.splitter.addWidget(_blank_pane())
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes(SPLITTER_SIZES)
        central = QWidget()
        self._central_layout = QVBoxLayout(central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self._central_layout.setSpacing(2)
        self._central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

    def _put_pane(self, index: int, pane: QWidget, stretch: int) -> None:
        """``pane`` in the splitter's place ``index``, at the size of what held it."""
        held = self.splitter.replaceWidget(index, pane)
        if held is not None:
            held.deleteLater()
        self.splitter.setStretchFactor(index, stretch)

    def _build_navigator(self) -> None:
        """The navigator in the splitter's left pane (once); its signals are wired by :meth:`finish_building`."""
        if self._has_navigator:
            return
        from seri_desktop.ui.qtmodels.report_tree import ReportTreeModel
        from seri_desktop.ui.widgets.navigator import navigator_view

        self.model = ReportTreeModel(self)
        self.tree = navigator_view(self.model)
        self._put_pane(0, self.tree, 0)
        self._has_navigator = True

    def _connect_navigator(self) -> None:
        # Only once the window is built: a row made current during the preview shows nothing.
        from seri_desktop.ui.widgets.navigator import allow_actions

        allow_actions(self.tree)
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        self.tree.customContextMenuRequested.connect(
            lambda pos: self.context.navigatorMenuRequested.emit(
                self.model.key_at(self.tree.indexAt(pos)) or "", self.tree.viewport().mapToGlobal(pos)
            )
        )
        self.tree.moveRequested.connect(lambda *args: self.context.navigatorDropped.emit(*args))

    def _build_edit_state(self) -> None:
        """The undo stacks, the units' edit sessions, the autosave, the journal, the problems and the live refresh."""
        from PySide6.QtCore import QTimer
        from PySide6.QtGui import QUndoGroup, QUndoStack

        from seri_desktop.ui.autosave import AutoSaver
        from seri_desktop.ui.journal import JournalKeeper
        from seri_desktop.ui.live import LiveRefresh
        from seri_desktop.ui.stale_dialog import StaleResolver
        from seri_desktop.ui.units import Units
        from seri_desktop.ui.validation import Validator

        self.undo_group = QUndoGroup(self)
        # Active when no editable item is shown, so undo is never aimed at a hidden item; it holds the
        # changes to the report as a whole (structure editing, ui/actions_structure.py).
        self._no_stack = QUndoStack(self)
        self.undo_group.addStack(self._no_stack)
        self.units = Units(self.undo_group, self)
        self.units.changed.connect(self._on_unit_changed)
        self.units.locked.connect(lambda key: self.model.update_row(key, readonly=True))
        self.autosaver = AutoSaver(self.units.save, self)
        self.autosaver.saved.connect(self._on_saved)
        self.autosaver.failed.connect(self._on_save_failed)
        # Someone else saved a unit first: the person sees both and chooses (nothing typed is dropped).
        self.stale_resolver = StaleResolver(self, self.autosaver, self.units)
        self.autosaver.stale.connect(self.stale_resolver.offer)
        self.stale_resolver.message.connect(self.show_message)
        # Every edit is journalled before the autosave pause; what a crash left is offered on the next load.
        self.journal = JournalKeeper(self, self.units, self.session_of, self.select_key)
        self.autosaver.unit_saved.connect(self.journal.saved)
        self.autosaver.saved.connect(lambda _when: self.journal.clear())
        self.journal.message.connect(self.show_message)
        self.validator = Validator(self)
        self.validator.updated.connect(self._on_problems_updated)
        # What others save on a shared PostgreSQL database (nothing on SQLite).
        self.live = LiveRefresh(self)
        # Problem views refresh once per event-loop turn, however many programs were re-checked in it.
        self._problems_timer = QTimer(self)
        self._problems_timer.setSingleShot(True)
        self._problems_timer.setInterval(0)
        self._problems_timer.timeout.connect(self._refresh_problem_views)

    def _build_forms(self) -> None:
        """The forms in the splitter's right pane, the notice bar above the splitter, the status line."""
        from seri_desktop.ui.forms.stack import FormStack
        from seri_desktop.ui.notice import NoticeBar
        from seri_desktop.ui.status_bar import StatusLine

        self.stack = FormStack()
        self.stack.message.connect(self.show_message)
        self.summary = self.stack.summary
        self._put_pane(1, self.stack, 1)  # the placeholder goes
        self._has_forms = True
        self.notice = NoticeBar()
        self._central_layout.insertWidget(0, self.notice)
        self.status_line = StatusLine(self.statusBar())
        self.save_label, self.mode_label, self.db_label = (
            self.status_line.save_label,
            self.status_line.mode_label,
            self.status_line.db_label,
        )

    # ================================================================== the report

    def _set_report(self, report: Report | None) -> None:
        from seri_desktop.ui import access
        from seri_desktop.ui.rows import rows_for_report

        self.autosaver.discard()
        self.undo_group.setActiveStack(self._no_stack)
        self._shown_key = None
        self._report = report
        states: dict[str, str] = {}
        readonly: dict[str, str] = {}
        rows = []
        if report is not None:
            states = access.review_states(self.workspace, report.year, self.show_message)
            readonly = access.readonly_reasons(report, self.workspace, states)
            rows = access.decorate(rows_for_report(report), readonly, states)
        self.units.reset(report, self.workspace, readonly)
        self.stack.chapter_page.undo_stack.clear()  # its steps name chapters of the report being replaced
        self.problems_panel.set_office(report is not None and self.context.is_office)
        self.model.set_rows(rows)
        # Without review states (no review store, a new report) the column would only take width.
        self.tree.setColumnHidden(1, not any(states.values()))
        self.tree.expandAll()
        department = self.workspace.editable_department if self.workspace is not None else None
        self.setWindowTitle(window_title(report, department))
        self.validator.set_report(report, background=True)
        if report is not None:
            self._note_report_shown()

    def _note_report_shown(self) -> None:
        if self.report_shown_at is None:
            self.report_shown_at = time.time()
            self.report_modules = frozenset(sys.modules)
            self.report_qt_classes = qt_classes_made()

    # ================================================================== showing an item

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # Leaving an item saves it: switching must never be what loses an edit.
        self.flush()
        self._show_item(current)

    def _show_item(self, index: QModelIndex | None) -> None:
        previous = self.units.get(self._shown_key or "")
        if previous is not None:
            previous.end_merge()
        key = self.model.key_at(index) if index is not None else None
        self._shown_key = key
        if key:
            self.settings.setValue(SETTINGS_LAST_KEY, key)
        session = self.session(key) if key is not None else None
        if self._report is None:
            self.stack.welcome.set_recent(self.file_actions.recent_entries())
        self.stack.show_unit(self._report, self.model.row(key or ""), session)
        chapter_stack = (
            self.stack.chapter_page.undo_stack if self.stack.currentWidget() is self.stack.chapter_page else None
        )
        self.undo_group.setActiveStack(session.stack if session is not None else chapter_stack or self._no_stack)
        self._refresh_problem_views()
        self.context.itemShown.emit()

    def step_item(self, delta: int) -> None:
        """Show the next (``1``) or the previous (``-1``) unit of the navigator (다음 항목, 이전 항목)."""
        from seri_desktop.ui import navigation

        key = navigation.step(self.model.unit_keys(), self.current_key(), delta)
        if key is not None:
            self.select_key(key)

    # ================================================================== edits, saves, problems

    def _on_unit_changed(self, key: str, field: str, source: object) -> None:
        from seri_desktop.domain import template
        from seri_desktop.domain.model import Program
        from seri_desktop.ui.rows import program_label

        self.journal.record(key, field)  # on disk first: a crash in the autosave pause loses nothing
        self.autosaver.mark_dirty(key)
        self.status_line.pending()
        session = self.units.get(key)
        ref = session.ref if session is not None else None
        if session is not None and ref is not None and ref.is_program:
            self.validator.schedule_program(ref.id)
            if field == template.TITLE.key and isinstance(session.target, Program):
                self.model.update_row(key, label=program_label(session.target))
        else:
            self.validator.schedule_report()

    def _on_saved(self, when: str) -> None:
        self.status_line.saved(when)
        self.saved.emit(when)

    def _on_save_failed(self, message: str) -> None:
        self.status_line.failed(message, self.autosaver.last_bug_line)

    def _on_problems_updated(self, code: str) -> None:
        if self._report is None:
            return
        from seri_desktop.domain.identity import ItemRef
        from seri_desktop.ui.validation import count

        index = self.validator.index
        keys = self.model.keys_for_ref(ItemRef.program(code)) if code else self.model.unit_keys()
        for key in keys:
            row = self.model.row(key)
            if row is not None and row.ref is not None:
                found = count(index.for_ref(row.ref))
                self.model.update_row(key, errors=found.errors, warnings=found.warnings)
        self._problems_timer.start()

    def _refresh_problem_views(self) -> None:
        row = self.model.row(self._shown_key or "")
        current = self.validator.index.for_ref(row.ref) if row is not None and row.ref is not None else []
        self.stack.set_problems(current)
        self.problems_panel.set_problems(self.validator.index.all(), current, row.label if row else "")

    # ================================================================== focus, close, settings

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        # Leaving a field ends its run of typing (the next edit is a new undo step) and saves.
        if old is None or not self.isAncestorOf(old):
            return
        session = self.units.get(self._shown_key or "")
        if session is not None:
            session.end_merge()
        if self.autosaver.is_dirty():
            self.flush()

    def sizeHint(self) -> QSize:
        return default_size(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.shown_at is None:
            self.shown_at = time.time()
            # What the first show waited for (a test keeps the store and the writers out of it: issue 17.3).
            self.shown_modules = frozenset(sys.modules)
            self.shown_qt_classes = qt_classes_made()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.is_ready:  # closed while still being built: nothing edited, no dock layout to keep
            event.accept()
            return
        if not self.flush() and not self.context.ask(
            "저장하지 못한 내용", f"고친 내용을 저장하지 못했습니다:\n{self.autosaver.last_error}\n\n그래도 끝낼까요?"
        ):
            event.ignore()
            return
        save_state(self, self.splitter, self.settings)
        self.live.stop()
        event.accept()


def _blank_pane() -> QWidget:
    """A pane in the base colour (white) of the navigator and the summary page that take its place."""
    pane = QWidget()
    pane.setAutoFillBackground(True)
    pane.setBackgroundRole(QPalette.ColorRole.Base)
    return pane


def qt_classes_made() -> frozenset[str]:
    """The PySide6 classes made so far, as ``"QtWidgets.QMessageBox"``: PySide makes each when it is first touched.

    A class (and its enums) is made and put in its module when a module first imports it or reads it
    from the module, so what the first show waited for can be read here (``"QtCore.Qt"``: Qt's namespace).
    """
    return frozenset(
        f"{name}.{cls}"
        for name in ("QtCore", "QtGui", "QtWidgets")
        if (module := sys.modules.get(f"PySide6.{name}")) is not None
        for cls in vars(module)
        if cls.startswith("Q")
    )


def window_title(report: Report | None, department: str | None) -> str:
    """The window's title: the report's year and title, and the department a package may edit."""
    title = APP_TITLE if report is None else f"{APP_TITLE} — {report.year}년 {report.title or '주요업무보고'}"
    return f"{title} [{department}]" if department else title


def default_size(window: QWidget) -> QSize:
    """The window's first size: :data:`DEFAULT_SIZE`, or less on a smaller screen (frame and task bar left)."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        return DEFAULT_SIZE - FRAME_ALLOWANCE
    available = screen.availableGeometry().size() - FRAME_ALLOWANCE
    return DEFAULT_SIZE.boundedTo(available).expandedTo(MINIMUM_SIZE.boundedTo(available))
