"""Start the desktop app: fonts, the main window, the database, the event loop.

The window is shown first, with a "loading" note, and the database opened
right after: importing the store (SQLAlchemy, Alembic) and loading a large
report take a second or more, and the user should see the app at once.

Two environment variables serve tests and CI, which run offscreen:

* ``SERI_SCREENSHOT=/path.png`` saves a picture of the main window once the
  report is shown, then quits;
* ``SERI_TEST_SCRIPT=/path.json`` runs a short script of UI steps (select
  an item, type into a cell, wait for the autosave, write marker files)
  through the window's own code paths; see :mod:`seri_desktop.ui.test_hook`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from seri_desktop.fonts import FontNotFoundError, find_korean_fonts
from seri_desktop.ui import refcount_guard
from seri_desktop.ui.backend import open_workspace
from seri_desktop.ui.fonts_qt import install_korean_font
from seri_desktop.ui.main_window import MainWindow

APP_NAME = "seri-desktop"
DB_FILE_NAME = "seri-desktop.sqlite"
SCREENSHOT_ENV_VAR = "SERI_SCREENSHOT"
TEST_SCRIPT_ENV_VAR = "SERI_TEST_SCRIPT"
# Long enough for the first layout and paint to settle, short enough for CI.
SCREENSHOT_DELAY_MS = 300

EXIT_NO_FONT = 2
EXIT_NO_DATABASE = 3


def set_application_names() -> None:
    """Names QStandardPaths and QSettings build their folders from."""
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)


def default_db_path() -> Path:
    """Where the report database lives unless the user names one."""
    set_application_names()
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    # An empty location means Qt found no writable data folder (no HOME).
    base = Path(location) if location else Path.cwd()
    return base / DB_FILE_NAME


def run_app(db_path: Path | None = None, argv: list[str] | None = None) -> int:
    """Run the app until the window closes; returns the process exit code."""
    refcount_guard.install()
    set_application_names()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv if argv is not None else sys.argv)

    try:
        install_korean_font(app, find_korean_fonts())
    except FontNotFoundError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return EXIT_NO_FONT

    path = db_path if db_path is not None else default_db_path()
    window = MainWindow(None, settings=QSettings(), open_workspace=open_workspace)
    window.show_loading(path)
    window.show()
    app.processEvents()
    try:
        workspace = open_workspace(path)
    except Exception as exc:
        window.hide()
        QMessageBox.critical(None, APP_NAME, f"데이터베이스를 열 수 없습니다: {path}\n\n{exc}")
        window.deleteLater()
        return EXIT_NO_DATABASE
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
    workspace = open_workspace(db_path)
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


def _save_screenshot(app: QApplication, window: MainWindow, path: Path) -> None:
    ok = window.grab().save(str(path))
    if not ok:
        print(f"{APP_NAME}: 화면을 저장하지 못했습니다: {path}", file=sys.stderr)
    app.exit(0 if ok else 1)
