"""File menu actions for databases: 새 보고서, 열기, 서버에 연결, 꾸러미 열기, 최근 파일.

Opening another database needs the app's ``open_workspace`` (the window
gets it from :mod:`seri_desktop.ui.app`); without it these actions are
disabled. The window shows the new workspace (``switch``), saving the
current one's edits first; a database that cannot be opened changes
nothing. Every database shown is remembered in the recent files, and the
last one is opened again on the next start (:func:`~seri_desktop.ui.recent.last_opened`). 열기 shows
report databases and department packages (a package is a database too).
서버에 연결 opens a shared PostgreSQL database (:mod:`seri_desktop.ui.connections`:
the dialog, the saved connections, the password kept in memory only); a
server is remembered in the recent list without its password, and is not
reconnected by itself on the next start. Any other kind of address is
refused with the store's Korean message, and no file is made from it.

Install with :class:`FileActions` (the main window does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu

from seri_desktop.domain.new_report import empty_report
from seri_desktop.errors import UserError
from seri_desktop.formats.file_names import DATABASE, PACKAGE, TEXT, file_name
from seri_desktop.ui import menus
from seri_desktop.ui.backend import Workspace
from seri_desktop.ui.connections import (
    Passwords,
    ask_connection,
    remember_connection,
    target_label,
    with_password,
)
from seri_desktop.ui.context import AppContext
from seri_desktop.ui.new_report_dialog import TITLE, NewReportDialog, Start
from seri_desktop.ui.recent import SETTINGS_RECENT, recent_entries, recent_files

if TYPE_CHECKING:
    from sqlalchemy import URL

OpenWorkspace = Callable[["Path | URL"], Workspace]

MAX_RECENT = 8
OPEN_KINDS = (DATABASE, PACKAGE)
OPEN_TOGETHER = "보고서 파일"


class FileActions(QObject):
    """새 보고서, 열기 and 최근 파일; ``switch(workspace)`` shows a workspace in the window."""

    def __init__(
        self, ctx: AppContext, open_workspace: OpenWorkspace | None, switch: Callable[[Workspace], None]
    ) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self._open_workspace = open_workspace
        self._switch = switch
        self.passwords = Passwords()  # typed in this session, in memory only
        # The other starts of 새 보고서… live in their own modules (roll-over, text import); the window joins them.
        self._from_last_year: Callable[[], None] | None = None
        self._import_text: Callable[[Path], bool] | None = None
        self.dialog: NewReportDialog | None = None
        self.new_action = ctx.add_action(
            menus.FILE,
            "새 보고서…",
            self._on_new_report,
            shortcut="Ctrl+N",
            tip="서식에서, 작년 보고서에서 또는 텍스트 파일에서 새 보고서를 만듭니다",
            group="document",
        )
        self.open_action = ctx.add_action(
            menus.FILE,
            "열기…",
            self._on_open,
            shortcut="Ctrl+O",
            tip="보고서 데이터베이스나 부서 꾸러미 파일을 엽니다",
            group="document",
        )
        self.connect_action = ctx.add_action(
            menus.FILE,
            "서버에 연결…",
            self._on_connect,
            tip="여러 사람이 함께 쓰는 PostgreSQL 서버의 보고서 데이터베이스에 연결합니다",
            group="document",
        )
        self.open_package_action = ctx.add_action(
            menus.FILE,
            "꾸러미 열기…",
            self._on_open_package,
            tip="기획 부서에서 받은 부서 꾸러미(.seripkg)를 엽니다",
            group="document",
        )
        for action in (self.new_action, self.open_action, self.connect_action, self.open_package_action):
            action.setEnabled(open_workspace is not None)
        self.recent_menu = QMenu("최근 파일", ctx.dialog_parent)
        self.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        ctx.add_menu(menus.FILE, self.recent_menu, "recent")
        if open_workspace is not None:
            ctx.set_opener(self.open_database)
        ctx.workspaceChanged.connect(self._remember_current)

    # ------------------------------------------------------------------ the work

    def open_database(self, path: Path | URL | str) -> bool:
        """Open the database file or server ``path`` (File › 열기, 서버에 연결, 최근 파일).

        A text is read as a path or a ``postgresql+psycopg://`` URL; any other
        address is refused. A server's password comes from :func:`with_password`.
        Warns and returns ``False`` if it cannot open.
        """
        if self._open_workspace is None:
            return False
        from seri_desktop.store.engine import StoreError, parse_target

        try:
            target = parse_target(path)
        except StoreError as exc:
            self.ctx.warn("열 수 없습니다", exc.message)
            return False
        if not isinstance(target, Path):
            with_secret = with_password(self.ctx.dialog_parent, target, self.passwords)
            if with_secret is None:
                return False
            target = with_secret
        if not self.ctx.flush() and not self.ctx.ask(
            "저장하지 못한 내용", "고친 내용을 저장하지 못했습니다. 그래도 다른 파일을 열까요?"
        ):
            return False
        where = f"{target} 파일을" if isinstance(target, Path) else f"{target_label(target)} 서버의 데이터베이스를"
        with self.ctx.attempt("열 수 없습니다", f"{where} 열지 못했습니다.", doing="데이터베이스 열기") as attempt:
            workspace = self._open_workspace(target)
        if attempt.failed:
            return False
        if not isinstance(target, Path):
            self.passwords.keep(target)
        self._switch(workspace)
        return True

    def connect_server(self) -> bool:
        """서버에 연결: ask for a server (and its password), open it; a saved connection is kept without password."""
        chosen = ask_connection(self.ctx.dialog_parent, self.ctx.settings)
        if chosen is None:
            return False
        url, keep = chosen
        opened = self.open_database(url)
        if opened and keep:
            remember_connection(self.ctx.settings, url)
        return opened

    def new_report(self, path: Path, year: int) -> bool:
        """Create (or open) the database ``path`` with an empty report of ``year`` and show it."""
        if self._open_workspace is None:
            return False
        with self.ctx.attempt(TITLE, f"{path} 에 새 보고서를 만들지 못했습니다.") as attempt:
            workspace = self._open_workspace(path)
            if workspace.backend.has_report(year):
                raise UserError(f"이 파일에는 {year}년 보고서가 이미 있습니다. 파일 › 열기로 여십시오.", "exists")
            workspace.backend.replace_report(empty_report(year))
        if attempt.failed:
            return False
        self._switch(workspace)
        return True

    def set_starts(self, from_last_year: Callable[[], None], import_text: Callable[[Path], bool]) -> None:
        """How 새 보고서… starts from last year's report, and imports a text into the open database."""
        self._from_last_year, self._import_text = from_last_year, import_text

    def new_report_from_text(self, text: Path, path: Path) -> bool:
        """A new database ``path`` holding the report of the text export ``text``."""
        if self._open_workspace is None or self._import_text is None:
            return False
        with self.ctx.attempt(TITLE, f"{path} 에 새 보고서를 만들지 못했습니다.") as attempt:
            workspace = self._open_workspace(path)
        if attempt.failed:
            return False
        self._switch(workspace)
        return self._import_text(text)

    def recent_files(self) -> list[Path]:
        """The database files opened lately, newest first (kept in the settings)."""
        return recent_files(self.ctx.settings)

    def recent_entries(self) -> list[Path | str]:
        """The files and servers opened lately, newest first (a server as its URL, without password)."""
        return recent_entries(self.ctx.settings)

    def remember(self, target: Path | URL) -> None:
        from seri_desktop.store.engine import target_text

        text = str(target.expanduser().absolute()) if isinstance(target, Path) else target_text(target)
        entries = [text, *(str(e) for e in self.recent_entries() if str(e) != text)][:MAX_RECENT]
        self.ctx.settings.setValue(SETTINGS_RECENT, entries)

    def fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        entries = self.recent_entries()
        if not entries:
            empty = self.recent_menu.addAction("(없음)")
            empty.setEnabled(False)
            return
        for n, entry in enumerate(entries, start=1):
            label = f"{entry.name} — {entry.parent}" if isinstance(entry, Path) else entry
            action = self.recent_menu.addAction(f"&{n} {label}")
            action.setEnabled(self._open_workspace is not None)
            action.triggered.connect(lambda _checked=False, entry=entry: self.open_database(entry))

    # ------------------------------------------------------------------ menu slots

    def _remember_current(self) -> None:
        backend = self.ctx.backend
        target = getattr(backend, "target", None) if backend is not None else None
        if target is None and backend is not None:
            target = backend.path
        if target is not None:
            self.remember(target)

    def _on_open(self) -> None:
        path = self.ctx.choose_open("보고서 파일 열기", OPEN_KINDS, together=OPEN_TOGETHER)
        if path is not None:
            self.open_database(path)

    def _on_connect(self) -> None:
        self.connect_server()

    def _on_open_package(self) -> None:
        path = self.ctx.choose_open("부서 꾸러미 열기", [PACKAGE])
        if path is not None:
            self.open_database(path)

    def new_report_dialog(self) -> NewReportDialog:
        """The 새 보고서 dialog, proposing the year after the open report's."""
        report = self.ctx.report
        default_year = report.year + 1 if report is not None else dt.date.today().year
        self.dialog = NewReportDialog(default_year, self.ctx.dialog_parent)
        return self.dialog

    def start_new_report(self, start: Start, year: int) -> None:
        """Do the start chosen in the dialog: each asks for the files it needs."""
        ctx = self.ctx
        if start is Start.LAST_YEAR:
            if self._from_last_year is not None:
                self._from_last_year()
        elif start is Start.TEXT:
            text = ctx.choose_open("보고서 텍스트 파일 고르기", [TEXT])
            path = ctx.choose_save("새 보고서 데이터베이스", DATABASE, file_name(DATABASE, "")) if text else None
            if text is not None and path is not None:
                self.new_report_from_text(text, path)
        else:
            path = ctx.choose_save("새 보고서 데이터베이스", DATABASE, file_name(DATABASE, year))
            if path is not None:
                self.new_report(path, year)

    def _on_new_report(self) -> None:
        dialog = self.new_report_dialog()
        if dialog.exec() == NewReportDialog.DialogCode.Accepted:
            self.start_new_report(dialog.start(), dialog.year())
