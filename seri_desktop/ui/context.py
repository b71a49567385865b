"""The narrow view of the window that the action modules get: :class:`AppContext`.

An action module (print, Excel, exchange, text import, files) needs a few
things from the window: the open report and the services behind it, a way
to save pending edits before it reads the database (:meth:`AppContext.flush`)
and to show the database again after it wrote it (:meth:`AppContext.reload`),
a way to tell the user something, and a place in a menu. It gets exactly
that, as git-cola hands its commands one ``context`` and qutebrowser gives
extensions its ``api`` facade instead of its internals: no action module
sees the window's widgets, so the window can change its layout without
touching them, and a new action is one module that talks to this class.

The window implements :class:`Host` (its public methods) and builds one
context; the context adds the helpers that would otherwise be written once
per module: dialogs' parent, the status line and the notice bar, the file
dialogs (:mod:`seri_desktop.ui.file_dialogs`), the progress runner, error
display, and the problems open in the report (for the guards before 제출,
확정 and PDF).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QPoint, QSettings, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QMenu, QMessageBox, QToolBar, QWidget

from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Program, Report
from seri_desktop.domain.rules import Problem
from seri_desktop.formats.file_names import FileKind, file_name
from seri_desktop.ui import file_dialogs
from seri_desktop.ui.backend import ReportBackend, Workspace
from seri_desktop.ui.crash import Attempt, shown_errors
from seri_desktop.ui.import_dialog import run_with_progress
from seri_desktop.ui.menus import Menus, Shortcut, make_action

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

Step = tuple[str, Callable[[], object]]


class Host(Protocol):
    """What the window provides to its context (its public API)."""

    @property
    def report(self) -> Report | None: ...

    @property
    def workspace(self) -> Workspace | None: ...

    def flush(self) -> bool: ...

    def reload(self) -> None: ...

    def current_ref(self) -> ItemRef | None: ...

    def current_program(self) -> Program | None: ...

    def show_message(self, text: str) -> None: ...

    def show_comments(self, lines: Sequence[str]) -> None: ...

    def show_notice(self, text: str, path: Path | None = None) -> None: ...

    def open_problems(self) -> list[Problem]: ...

    def go_to_unit(self, ref: ItemRef) -> bool: ...

    def current_key(self) -> str | None: ...

    def select_key(self, key: str) -> bool: ...

    @property
    def report_undo_stack(self) -> QUndoStack: ...

    def activate_report_undo(self) -> None: ...

    def add_toolbar(self, toolbar: QToolBar) -> None: ...


class AppContext(QObject):
    """The report, the services, flush/reload, notify/ask, and a place in a menu; see the module docstring.

    Signals: ``reportLoaded`` after every (re)load of the report,
    ``itemShown`` after the navigator's current item is shown,
    ``workspaceChanged`` after another database was opened,
    ``navigatorMenuRequested(key, global position)`` when the navigator's
    context menu is asked for on a row, ``navigatorDropped(source key, target
    key, below)`` when a row is dropped on another (the window emits both).
    """

    reportLoaded = Signal()
    itemShown = Signal()
    workspaceChanged = Signal()
    navigatorMenuRequested = Signal(str, QPoint)
    navigatorDropped = Signal(str, str, bool)

    def __init__(self, host: Host, parent: QWidget, menus: Menus, settings: QSettings) -> None:
        super().__init__(parent)
        self._host = host
        self._parent = parent
        self._menus = menus
        self.settings = settings
        self._opener: Callable[[Path], bool] | None = None
        # Where each program starts (uid → page) in the last PDF of the whole report built in this
        # window; the Excel summary's 쪽수 come from it (empty, with a note, before any PDF).
        self.pdf_pages: dict[str, int] | None = None

    # ------------------------------------------------------------------ the report and the services

    @property
    def report(self) -> Report | None:
        return self._host.report

    @property
    def workspace(self) -> Workspace | None:
        return self._host.workspace

    @property
    def backend(self) -> ReportBackend | None:
        workspace = self._host.workspace
        return workspace.backend if workspace is not None else None

    @property
    def engine(self) -> Engine | None:
        """The database engine of the open workspace (only a database-backed one has it)."""
        engine: Engine | None = getattr(self.backend, "engine", None)
        return engine

    @property
    def is_office(self) -> bool:
        """The planning office's own database (not a department's package)."""
        workspace = self._host.workspace
        return workspace is not None and workspace.editable_department is None

    def current_ref(self) -> ItemRef | None:
        """The editable unit shown in the window, if any."""
        return self._host.current_ref()

    def current_program(self) -> Program | None:
        return self._host.current_program()

    def flush(self) -> bool:
        """Save every pending edit now; ``False`` if a save failed (the window says why)."""
        return self._host.flush()

    def reload(self) -> None:
        """Read the report again after writing the database."""
        self._host.reload()

    def remember_pdf_pages(self, pages_by_code: dict[str, int]) -> None:
        """Keep the start pages of a whole-report PDF just built, by program uid (codes may change later)."""
        report = self._host.report
        if report is not None:
            self.pdf_pages = {p.uid: pages_by_code[p.code] for p in report.programs() if p.code in pages_by_code}

    # ------------------------------------------------------------------ other databases

    def set_opener(self, opener: Callable[[Path], bool]) -> None:
        """Who opens another database (the file actions, when the app can switch databases)."""
        self._opener = opener

    @property
    def can_open(self) -> bool:
        return self._opener is not None

    def open_database(self, path: Path) -> bool:
        return self._opener(path) if self._opener is not None else False

    # ------------------------------------------------------------------ talking to the user

    @property
    def dialog_parent(self) -> QWidget:
        """The parent of the dialogs an action opens (the window, as a plain widget)."""
        return self._parent

    def notify(self, text: str) -> None:
        """A short message in the status bar."""
        self._host.show_message(text)

    def notify_file(self, text: str, path: Path) -> None:
        """A result the user should see: the notice bar with the whole path and buttons to open it."""
        self._host.show_message(text)
        self._host.show_notice(text, path)

    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self._parent, title, text)

    def inform(self, title: str, text: str) -> None:
        QMessageBox.information(self._parent, title, text)

    def ask(self, title: str, text: str) -> bool:
        """A yes/no question; ``True`` for yes."""
        return QMessageBox.question(self._parent, title, text) == QMessageBox.StandardButton.Yes

    def attempt(self, title: str, lead: str = "", *, doing: str = "") -> AbstractContextManager[Attempt]:
        """``with ctx.attempt(title, lead) as attempt:`` shows an error raised in the block instead of raising it.

        A person's error goes to a warning box titled ``title`` (``lead``, then
        its message); anything else to the crash dialog, as a bug while
        ``doing`` (default: the title). ``attempt.failed`` says whether it happened.
        """
        return shown_errors(self._parent, title, lead, doing=doing)

    def run(self, title: str, steps: Sequence[Step]) -> list[object]:
        """Run ``steps`` in a worker thread behind a progress dialog; a step's exception is raised here."""
        return run_with_progress(self._parent, steps, title)

    def show_comments(self, lines: Sequence[str]) -> None:
        """Show review comments on the program in the form (no lines hide the box)."""
        self._host.show_comments(lines)

    def open_problems(self) -> list[Problem]:
        """Every problem of the report as checked now (pending checks run first)."""
        return self._host.open_problems()

    def go_to_unit(self, ref: ItemRef) -> bool:
        """Show a program, a department's section II or the front matter in the window."""
        return self._host.go_to_unit(ref)

    def current_key(self) -> str | None:
        """The navigator row shown (:mod:`seri_desktop.ui.rows` keys), if any."""
        return self._host.current_key()

    def select_key(self, key: str) -> bool:
        """Select and show the navigator row ``key``; ``False`` when there is none."""
        return self._host.select_key(key)

    # ------------------------------------------------------------------ the report's own undo history

    @property
    def report_undo_stack(self) -> QUndoStack:
        """The undo stack of changes to the report as a whole (its structure), beside the units' stacks.

        It is the window's active stack while no editable item is shown, and
        :meth:`activate_report_undo` makes it active after such a change, so
        Ctrl+Z undoes the change just made.
        """
        return self._host.report_undo_stack

    def activate_report_undo(self) -> None:
        self._host.activate_report_undo()

    def add_toolbar(self, toolbar: QToolBar) -> None:
        """Put ``toolbar`` at the top of the window."""
        self._host.add_toolbar(toolbar)

    # ------------------------------------------------------------------ menus

    def add_action(
        self,
        menu: str,
        text: str,
        slot: Callable[[], object],
        *,
        shortcut: Shortcut | None = None,
        tip: str = "",
        group: str | None = None,
    ) -> QAction:
        """Make an action and add it to ``menu`` (:mod:`seri_desktop.ui.menus`) at the end of ``group``."""
        action = make_action(self._parent, text, slot, shortcut, tip)
        self._menus.add(menu, action, group)
        return action

    def add_menu(self, menu: str, submenu: QMenu, group: str | None = None) -> None:
        self._menus.add_menu(menu, submenu, group)

    # ------------------------------------------------------------------ file dialogs

    def start_dir(self) -> Path:
        """Where a file dialog starts: the folder last chosen, else the user's Documents folder."""
        return file_dialogs.start_dir(self.settings)

    def file_name(self, kind: FileKind, scope: str = "") -> str:
        """The name proposed for a file of ``kind`` of the open report (:func:`file_name`)."""
        report = self.report
        return file_name(kind, report.year if report is not None else "", scope)

    def choose_open(self, title: str, kinds: Sequence[FileKind], *, together: str = "") -> Path | None:
        """Ask for a file to read (filtered by ``kinds``); ``None`` when cancelled."""
        return file_dialogs.choose_open(self._parent, self.settings, title, kinds, together=together)

    def choose_save(self, title: str, kind: FileKind, name: str) -> Path | None:
        """Ask where to write a file of ``kind``, proposing ``name``; the path has the kind's suffix."""
        return file_dialogs.choose_save(self._parent, self.settings, title, kind, name)
