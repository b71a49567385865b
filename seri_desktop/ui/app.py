"""Start the desktop app: logging and the crash dialog, fonts, the main window, the database, the event loop.

The window is shown first, with a "loading" note, and the database opened
right after (the one named on the command line, a file or a PostgreSQL
server, else the file opened last, else the default database; a server's
password comes from the URL, ``PGPASSWORD`` or a prompt, see
:mod:`seri_desktop.ui.connections`): importing the store (SQLAlchemy, Alembic) and loading a large
report take a second or more, and the user should see the app at once.
The start goes in steps (issue 17.3): the window's first show has only its
frame, title and placeholder (``MainWindow(build_later=True)``: this module
imports nothing more before it); then the navigator shows a current SQLite
file's report, read without the store; then
:meth:`~seri_desktop.ui.main_window.MainWindow.finish_building` builds the
forms, menus, toolbars, docks and action modules, and the store is opened.
Keys and clicks wait until the workspace is shown.

Bugs are logged to the rotating log in the data folder
(:func:`seri_desktop.logs.setup_logging`) and shown in the crash dialog
(:mod:`seri_desktop.ui.crash`, imported when there is one to show; the hooks
that route to it, :mod:`seri_desktop.ui.uncaught`, are installed first); the
data folder and the default database come from :mod:`seri_desktop.paths`,
which agrees with Qt's ``QStandardPaths.AppDataLocation`` once the names
below are set.

Two environment variables serve tests and CI, which run offscreen:

* ``SERI_SCREENSHOT=/path.png`` saves a picture of the main window once the
  report is shown, then quits (on a real display, what the X server shows:
  :func:`seri_desktop.ui.test_hook.screenshot`);
* ``SERI_TEST_SCRIPT=/path.json`` runs a short script of UI steps (select
  an item, type into a cell, wait for the autosave, write marker files)
  through the window's own code paths; see :mod:`seri_desktop.ui.test_hook`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from seri_desktop import paths
from seri_desktop.errors import UserError
from seri_desktop.fonts import FontNotFoundError, find_korean_fonts
from seri_desktop.logs import setup_logging
from seri_desktop.ui import refcount_guard
from seri_desktop.ui.fonts_qt import install_korean_font
from seri_desktop.ui.main_window import MainWindow
from seri_desktop.ui.name_prompt import ensure_user_name
from seri_desktop.ui.recent import last_opened
from seri_desktop.ui.style import install_style
from seri_desktop.ui.translations import install_qt_translations
from seri_desktop.ui.uncaught import install_excepthook

if TYPE_CHECKING:
    from sqlalchemy import URL

    from seri_desktop.ui.backend import Workspace

APP_NAME = paths.APPLICATION
SCREENSHOT_ENV_VAR = "SERI_SCREENSHOT"
TEST_SCRIPT_ENV_VAR = "SERI_TEST_SCRIPT"
# Long enough for the first layout and paint to settle, short enough for CI.
SCREENSHOT_DELAY_MS = 300

EXIT_NO_FONT = 2
EXIT_NO_DATABASE = 3


def set_application_names() -> None:
    """Names QStandardPaths and QSettings build their folders from (the same as :mod:`seri_desktop.paths`')."""
    QCoreApplication.setOrganizationName(paths.ORGANIZATION)
    QCoreApplication.setApplicationName(paths.APPLICATION)


def default_db_path() -> Path:
    """Where the report database lives unless the user names one."""
    set_application_names()
    return paths.default_db_path()


def run_app(db_path: Path | URL | None = None, argv: list[str] | None = None) -> int:
    """Run the app until the window closes; returns the process exit code.

    ``db_path``: a database file or a PostgreSQL URL (``--db``, parsed by
    :func:`seri_desktop.commands.common.database_target`).
    """
    refcount_guard.install()
    set_application_names()
    setup_logging()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv if argv is not None else sys.argv)
    install_excepthook()
    install_qt_translations(app)
    install_style(app)

    try:
        install_korean_font(app, find_korean_fonts())
    except FontNotFoundError as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, APP_NAME, str(exc))
        return EXIT_NO_FONT

    if not ensure_user_name():
        return 0  # no name, no window: every save would be refused (nothing was changed)

    settings = QSettings()
    remembered = last_opened(settings) if db_path is None else None
    path: Path | URL = db_path or remembered or default_db_path()
    # Shown first with its frame, title and a placeholder; the navigator comes with the preview, the forms,
    # docks, menus and action modules after it (every module and Qt class they need would delay the show).
    window = MainWindow(None, settings=settings, open_workspace=_open_workspace, build_later=True)
    window.show_loading(path if isinstance(path, Path) else None)  # a server is named once the store is there
    window.show()
    # Painted now; keys and clicks wait for the real workspace (Qt keeps them, it does not drop them).
    app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    if isinstance(path, Path):
        _preview(app, window, path)
    window.finish_building()
    from seri_desktop.ui.connections import target_label, with_password

    window.show_loading(target_label(path))
    if not isinstance(path, Path):
        # The password from the URL, PGPASSWORD or the person, kept in this window's memory once it connects.
        asked = with_password(window, path, window.file_actions.passwords)
        if asked is None:
            window.hide()
            window.deleteLater()
            return EXIT_NO_DATABASE
        path = asked
    workspace = _open_first(path)
    if workspace is None and remembered is not None:
        # The file opened last may have moved or broken since: start on the default database instead.
        path = default_db_path()
        window.show_loading(target_label(path))
        workspace = _open_first(path)
    if workspace is None:
        window.hide()
        window.deleteLater()
        return EXIT_NO_DATABASE
    if not isinstance(path, Path):
        window.file_actions.passwords.keep(path)
    window.set_workspace(workspace)
    app.aboutToQuit.connect(window.flush)

    screenshot = os.environ.get(SCREENSHOT_ENV_VAR, "").strip()
    if screenshot:
        QTimer.singleShot(SCREENSHOT_DELAY_MS, lambda: _save_screenshot(app, window, Path(screenshot)))
    script = os.environ.get(TEST_SCRIPT_ENV_VAR, "").strip()
    if script:
        from seri_desktop.ui.test_hook import run_script

        QTimer.singleShot(0, lambda: run_script(window, Path(script)))
    try:
        return app.exec()
    finally:
        window.flush()
        window.live.stop()
        if window.workspace is not None:
            window.workspace.backend.close()


def open_main_window_for_test(db_path: Path) -> str:
    """Open the main window on ``db_path`` and close it again; returns its title (``--self-test``).

    Needs a QApplication. Settings go to a file beside the database, so the
    user's window geometry and recent files are left alone.
    """
    set_application_names()
    app = QApplication.instance()
    if isinstance(app, QApplication):
        install_korean_font(app, find_korean_fonts())
    settings = QSettings(str(db_path.with_suffix(".ini")), QSettings.Format.IniFormat)
    workspace = _open_workspace(db_path)
    window = MainWindow(workspace, settings=settings)
    try:
        window.show()
        QApplication.processEvents()
        window.validator.flush()
        return window.windowTitle()
    finally:
        window.close()
        window.deleteLater()
        workspace.backend.close()


def _open_workspace(target: Path | URL) -> Workspace:
    """:func:`seri_desktop.ui.backend.open_workspace`, imported when first called (after the window's first show)."""
    from seri_desktop.ui.backend import open_workspace

    return open_workspace(target)


def _preview(app: QApplication, window: MainWindow, path: Path) -> None:
    """Show the report of a current SQLite file in the navigator before the store is imported and opened.

    What cannot be read without the store (a missing, older or damaged file) is simply not previewed:
    opening it the ordinary way then says what is wrong.
    """
    from seri_desktop.store.fastread import load_report_file

    report = load_report_file(path)
    if report is not None:
        window.show_preview(report)
        app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)


def _open_first(path: Path | URL) -> Workspace | None:
    """The database the app starts on; ``None`` (and the reason in a box) when it cannot be opened."""
    from seri_desktop.ui.connections import target_label

    try:
        return _open_workspace(path)
    except UserError as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, APP_NAME, f"데이터베이스를 열 수 없습니다: {target_label(path)}\n\n{exc.message}")
    except Exception as exc:  # a bug: logged with its traceback, the person gets the log's path
        from seri_desktop.ui.crash import show_bug

        show_bug(exc, "데이터베이스 열기", block=True)
    return None


def _save_screenshot(app: QApplication, window: MainWindow, path: Path) -> None:
    from seri_desktop.ui.test_hook import screenshot

    ok = screenshot(window, path)
    if not ok:
        print(f"{APP_NAME}: 화면을 저장하지 못했습니다: {path}", file=sys.stderr)
    app.exit(0 if ok else 1)
