"""Errors in the window: a person's error shows its message; a bug one crash dialog with the log, and the app goes on."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from seri_desktop.errors import UserError
from seri_desktop.ui import crash
from seri_desktop.ui.crash import CrashDialog, show_error, shown_errors
from seri_desktop.ui.uncaught import install_excepthook
from tests.helpers.types import OpenWindow

PDF_WAIT_MS = 30_000


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    calls: list[tuple[str, str]] = []

    def record(parent: QWidget | None, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        calls.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", record)
    return calls


@pytest.fixture
def hooks() -> Iterator[None]:
    """The app's hooks for uncaught exceptions, for one test; the previous hooks afterwards."""
    previous = sys.excepthook, threading.excepthook
    install_excepthook()
    yield
    sys.excepthook, threading.excepthook = previous


def _close_dialog() -> None:
    dialog = crash.open_crash_dialog()
    if dialog is not None:
        dialog.close()


def shown_dialog(qtbot: QtBot) -> CrashDialog:
    qtbot.waitUntil(lambda: crash.open_crash_dialog() is not None, timeout=5000)
    dialog = crash.open_crash_dialog()
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_a_user_error_is_shown_with_its_message(qapp: object, warnings: list[tuple[str, str]]) -> None:
    with shown_errors(None, "가져오기", "파일을 가져오지 못했습니다.") as attempt:
        raise UserError("3번째 줄: 장 제목이 없습니다.", "format")
    assert attempt.failed and isinstance(attempt.error, UserError)
    assert warnings == [("가져오기", "파일을 가져오지 못했습니다.\n\n3번째 줄: 장 제목이 없습니다.")]
    assert crash.open_crash_dialog() is None
    with shown_errors(None, "가져오기") as attempt:
        pass
    assert not attempt.failed and len(warnings) == 1


def test_a_bug_gets_one_crash_dialog_with_the_log_and_its_folder(
    qtbot: QtBot, log_file: Path, warnings: list[tuple[str, str]], opened_urls: list[QUrl]
) -> None:
    try:
        try:
            {}["programs"]
        except KeyError as exc:
            show_error(exc, "PDF로 내보내기")
        dialog = shown_dialog(qtbot)
        line = dialog.label.text()
        assert line.startswith("PDF로 내보내기 중 예상하지 못한 오류가 났습니다(KeyError).")
        assert line.endswith(str(log_file)) and "Traceback" not in line
        assert "Traceback" in log_file.read_text(encoding="utf-8")
        # A second bug while the dialog is open is logged, not stacked on the screen.
        show_error(ValueError("again"), "엑셀로 내보내기")
        assert crash.open_crash_dialog() is dialog
        assert "ValueError: again" in log_file.read_text(encoding="utf-8")
        dialog.open_folder_button.click()
        assert [url.toLocalFile() for url in opened_urls] == [str(log_file.parent)]
        assert warnings == []
    finally:
        _close_dialog()
    assert crash.open_crash_dialog() is None


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_goes_to_the_dialog_and_the_event_loop_goes_on(
    qtbot: QtBot, hooks: None, log_file: Path, warnings: list[tuple[str, str]]
) -> None:
    def broken_slot() -> None:
        raise RuntimeError("a bug in a slot")

    def refusing_slot() -> None:
        raise UserError("이 사업은 확정되어 고칠 수 없습니다.", "locked")

    ran: list[str] = []
    try:
        QTimer.singleShot(0, broken_slot)
        dialog = shown_dialog(qtbot)
        assert "예상하지 못한 오류가 났습니다(RuntimeError)" in dialog.label.text()
        assert "a bug in a slot" in log_file.read_text(encoding="utf-8")
        QTimer.singleShot(0, lambda: ran.append("after"))
        qtbot.waitUntil(lambda: ran == ["after"], timeout=3000)
    finally:
        _close_dialog()
    QTimer.singleShot(0, refusing_slot)
    qtbot.waitUntil(lambda: bool(warnings), timeout=3000)
    assert warnings[0][1] == "이 사업은 확정되어 고칠 수 없습니다."
    assert crash.open_crash_dialog() is None


@pytest.mark.qt_no_exception_capture
def test_an_uncaught_exception_in_a_worker_thread_reaches_the_ui_thread(
    qtbot: QtBot, hooks: None, log_file: Path
) -> None:
    def work() -> None:
        raise OSError("disk gone in a worker")

    thread = threading.Thread(target=work, name="seri-test-worker")
    thread.start()
    thread.join()
    try:
        dialog = shown_dialog(qtbot)
        assert "예상하지 못한 오류가 났습니다(OSError)" in dialog.label.text()
        assert "disk gone in a worker" in log_file.read_text(encoding="utf-8")
    finally:
        _close_dialog()


def test_a_bug_in_the_pdf_worker_shows_the_crash_dialog_and_the_window_goes_on(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, tmp_path: Path, log_file: Path, warnings: list[str]
) -> None:
    window = open_window(db_2024)
    report = window.report
    assert report is not None
    program = next(iter(report.programs()))
    title = program.title
    # A title that is not text (bad data from a future bug) breaks the PDF builder in its worker thread.
    program.title = None  # type: ignore[assignment]
    try:
        job = window.print_actions.export_pdf(program.department, tmp_path / "dept.pdf")
        assert job is not None
        qtbot.waitUntil(lambda: not job.is_running(), timeout=PDF_WAIT_MS)
        assert isinstance(job.outcome, AttributeError)
        dialog = shown_dialog(qtbot)
        assert dialog.label.text().startswith("PDF로 내보내기 중 예상하지 못한 오류가 났습니다(AttributeError).")
        assert "Traceback" in log_file.read_text(encoding="utf-8")
        assert warnings == []
    finally:
        program.title = title
        _close_dialog()
    # The window still works: the next PDF is made.
    job = window.print_actions.export_pdf(program.department, tmp_path / "dept.pdf")
    assert job is not None
    qtbot.waitUntil(lambda: not job.is_running(), timeout=PDF_WAIT_MS)
    assert (tmp_path / "dept.pdf").stat().st_size > 1000
