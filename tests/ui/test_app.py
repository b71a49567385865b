"""Starting the app: database path, missing fonts, a database that cannot open, screenshot mode, self-test."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from seri_desktop import paths
from seri_desktop.fonts import FontNotFoundError, KoreanFonts
from seri_desktop.ui import app as app_module
from seri_desktop.ui.app import default_db_path, open_main_window_for_test, run_app
from seri_desktop.ui.crash import CrashDialog
from seri_desktop.ui.main_window import MainWindow
from tests.helpers.qt import answer_modal


def _close_main_windows() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.close()
            widget.deleteLater()


class Critical:
    def __init__(self) -> None:
        self.shown: list[str] = []

    def __call__(self, parent: QWidget | None, title: str, text: str) -> QMessageBox.StandardButton:
        self.shown.append(text)
        return QMessageBox.StandardButton.Ok


def test_default_db_path(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.DATA_DIR_ENV_VAR, raising=False)
    path = default_db_path()
    assert path.name == "seri-desktop.sqlite"
    assert "seri-desktop" in path.parent.parts
    assert QApplication.organizationName() == QApplication.applicationName() == "seri-desktop"


@pytest.mark.parametrize("xdg", ["", "custom-xdg"])
def test_data_dir_is_qt_app_data_location(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, xdg: str
) -> None:
    # The command line finds the data folder without Qt; it must be the folder the window uses.
    monkeypatch.delenv(paths.DATA_DIR_ENV_VAR, raising=False)
    if xdg:
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / xdg))
    else:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    app_module.set_application_names()
    qt = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    assert qt and Path(qt) == paths.data_dir()
    assert default_db_path() == Path(qt) / paths.DB_FILE_NAME
    assert (tmp_path / xdg in paths.data_dir().parents) == bool(xdg)


def test_missing_font_shows_the_message_and_exits_2(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_db: Path
) -> None:
    def no_fonts(override: Path | None = None) -> KoreanFonts:
        raise FontNotFoundError("한글 트루타입 글꼴(TTF)을 찾지 못했습니다.")

    critical = Critical()
    monkeypatch.setattr(app_module, "find_korean_fonts", no_fonts)
    monkeypatch.setattr(QMessageBox, "critical", critical)
    assert run_app(tmp_db) == app_module.EXIT_NO_FONT
    assert critical.shown == ["한글 트루타입 글꼴(TTF)을 찾지 못했습니다."]
    assert not tmp_db.exists()


def test_database_that_cannot_open_is_reported(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    not_a_db = tmp_path / "notes.sqlite"
    not_a_db.write_bytes(b"this is not SQLite" * 100)
    critical = Critical()
    monkeypatch.setattr(QMessageBox, "critical", critical)
    try:
        assert run_app(not_a_db) == app_module.EXIT_NO_DATABASE
    finally:
        _close_main_windows()
    assert len(critical.shown) == 1
    assert str(not_a_db) in critical.shown[0] and "SQLite 데이터베이스가 아닙니다" in critical.shown[0]


def test_a_bug_while_the_database_opens_at_start_is_the_crash_dialog(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, db_2024: Path
) -> None:
    # The window is shown before the crash dialog's module is imported (issue 17.3): a bug in the start's
    # own work still gets the dialog with the log's path (and the traceback in the log), then the app ends.
    from seri_desktop.ui import backend

    def broken(target: object) -> object:
        raise RuntimeError("a bug while opening")

    monkeypatch.setattr(backend, "open_workspace", broken)
    lines: list[str] = []

    def close(dialog: CrashDialog) -> None:
        lines.append(dialog.label.text())
        dialog.reject()

    answered = answer_modal(CrashDialog, close)
    try:
        assert run_app(db_2024) == app_module.EXIT_NO_DATABASE
    finally:
        _close_main_windows()
    assert answered.seen is not None and len(lines) == 1
    assert lines[0].startswith("데이터베이스 열기 중 예상하지 못한 오류가 났습니다(RuntimeError).")
    log = Path(lines[0].rsplit(" ", 1)[-1])
    assert "RuntimeError: a bug while opening" in log.read_text(encoding="utf-8")


def test_screenshot_mode_saves_the_window_and_quits(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db_2024: Path
) -> None:
    shot = tmp_path / "shot.png"
    monkeypatch.setenv("SERI_SCREENSHOT", str(shot))
    try:
        assert run_app(db_2024) == 0
    finally:
        _close_main_windows()
    image = QImage(str(shot))
    assert not image.isNull()
    assert image.width() >= 600 and image.height() >= 400


def test_open_main_window_for_test(qapp: QApplication, db_2024: Path) -> None:
    assert open_main_window_for_test(db_2024) == "seri-desktop — 2024년 주요업무보고"
    assert db_2024.with_suffix(".ini").parent == db_2024.parent
