"""Long work off the event loop, with a progress dialog; the importer's report of the lines it kept as text."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

T = TypeVar("T")
POLL_MS = 20


def run_with_progress(
    parent: QWidget | None, steps: Sequence[tuple[str, Callable[[], object]]], title: str
) -> list[object]:
    """Run ``steps`` one after the other in a worker thread while a modal progress dialog shows their labels.

    The window keeps painting (the work is parsing and SQLite, which release
    the event loop between bytecodes); an exception of a step is raised here
    after the dialog is closed. Returns each step's result.
    """
    dialog = QProgressDialog(title, "", 0, len(steps), parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    results: list[object] = []
    try:
        for n, (label, step) in enumerate(steps):
            dialog.setLabelText(label)
            dialog.setValue(n)
            results.append(run_in_thread(step))
        dialog.setValue(len(steps))
    finally:
        dialog.close()
        dialog.deleteLater()
    return results


def run_in_thread(work: Callable[[], T]) -> T:
    """``work()`` in a worker thread; the event loop runs until it is done."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed back to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="seri-worker", daemon=True)
    thread.start()
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(POLL_MS)
    timer.timeout.connect(lambda: loop.quit() if not thread.is_alive() else None)
    timer.start()
    if thread.is_alive():
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    timer.stop()
    thread.join()
    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    return outcome["value"]  # type: ignore[return-value]


class ImportReportDialog(QDialog):
    """What was imported and every line the importer kept as text, with its line number."""

    def __init__(self, summary: str, lines: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("가져오기 결과")
        label = QLabel(summary)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlainText("\n".join(lines))
        if lines:
            layout.addWidget(QLabel(f"확인이 필요한 줄 {len(lines)}개 (내용은 가까운 절에 글로 보관했습니다):"))
            layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(640, 360 if lines else 140)
