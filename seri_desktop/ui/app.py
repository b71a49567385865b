"""Start the desktop app: fonts, database, main window, event loop.

The store and the importer are imported inside the functions that use them,
so this module (and the window) import without the database layer loaded.

``SERI_SCREENSHOT=/path.png`` makes the app save a picture of the main window
once it is shown and quit, for screenshots on offscreen CI runners.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from seri_desktop.domain.model import Report
from seri_desktop.fonts import FontNotFoundError, find_korean_fonts
from seri_desktop.ui.fonts_qt import install_korean_font
from seri_desktop.ui.main_window import MainWindow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

APP_NAME = "seri-desktop"
DB_FILE_NAME = "seri-desktop.sqlite"
SCREENSHOT_ENV_VAR = "SERI_SCREENSHOT"
# Long enough for the first layout and paint to settle, short enough for CI.
SCREENSHOT_DELAY_MS = 300
MAX_LISTED_WARNINGS = 10

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
    set_application_names()
    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication(argv if argv is not None else sys.argv)
    )

    try:
        install_korean_font(app, find_korean_fonts())
    except FontNotFoundError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return EXIT_NO_FONT

    path = db_path if db_path is not None else default_db_path()
    try:
        from seri_desktop.store.engine import create_engine_for

        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine_for(path)
    except Exception as exc:
        QMessageBox.critical(None, APP_NAME, f"데이터베이스를 열 수 없습니다: {path}\n\n{exc}")
        return EXIT_NO_DATABASE

    window = MainWindow(load=report_loader(engine), import_text=text_importer(engine), db_path=path)
    window.show()

    screenshot = os.environ.get(SCREENSHOT_ENV_VAR, "").strip()
    if screenshot:
        QTimer.singleShot(SCREENSHOT_DELAY_MS, lambda: _save_screenshot(app, window, Path(screenshot)))
    return app.exec()


def report_loader(engine: Engine) -> Callable[[], Report | None]:
    """The window's ``load``: the newest stored report."""

    def load() -> Report | None:
        from seri_desktop.store.repository import load_report

        return load_report(engine)

    return load


def text_importer(engine: Engine) -> Callable[[Path], str]:
    """The window's ``import_text``: import a file, replace the stored report, summarise in Korean."""

    def import_text(path: Path) -> str:
        from seri_desktop.formats.text_import import import_report_file
        from seri_desktop.store.repository import save_report

        result = import_report_file(path)
        save_report(engine, result.report, replace=True)
        return import_summary(result.report, [(w.line, w.message) for w in result.warnings])

    return import_text


def import_summary(report: Report, warnings: list[tuple[int, str]]) -> str:
    """``2024년 보고서를 가져왔습니다: 5개 장, 33개 사업 (확인할 줄 3개)`` and the first warnings."""
    programs = sum(len(chapter.programs) for chapter in report.chapters)
    text = f"{report.year}년 보고서를 가져왔습니다: {len(report.chapters)}개 장, {programs}개 사업"
    if not warnings:
        return text
    lines = [f"{text} (확인할 줄 {len(warnings)}개)", ""]
    lines += [f"{line}번째 줄: {message}" for line, message in warnings[:MAX_LISTED_WARNINGS]]
    if len(warnings) > MAX_LISTED_WARNINGS:
        lines.append(f"… 외 {len(warnings) - MAX_LISTED_WARNINGS}개")
    return "\n".join(lines)


def _save_screenshot(app: QApplication, window: MainWindow, path: Path) -> None:
    ok = window.grab().save(str(path))
    if not ok:
        print(f"{APP_NAME}: 화면을 저장하지 못했습니다: {path}", file=sys.stderr)
    app.exit(0 if ok else 1)
