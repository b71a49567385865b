"""Driving real widgets as a person does: typing Hangul into a widget, answering the modal dialogs the app opens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` (Hangul too, which QTest.keyClicks cannot send) into ``widget``."""
    for char in text:
        key = Qt.Key.Key_Space if char == " " else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


class DialogAnswer:
    """What :func:`answer_modal` saw of the dialog it answered."""

    def __init__(self) -> None:
        self.seen: QWidget | None = None
        self.title = ""
        self.directory = ""
        self.filters: list[str] = []
        self.proposed = ""


def answer_modal(
    kind: type[QWidget], answer: Callable[[Any], None], *, timeout_ms: int = 10_000
) -> DialogAnswer:
    """When a modal dialog of ``kind`` opens (a real one, in its own event loop), call ``answer(dialog)``.

    For the file dialogs the app opens: the answer can ``selectFile`` and
    ``accept``; what the dialog proposed is kept in the returned record.
    """
    record = DialogAnswer()
    waited = [0]

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            record.seen = dialog
            record.title = dialog.windowTitle()
            if isinstance(dialog, QFileDialog):
                record.directory = dialog.directory().absolutePath()
                record.filters = dialog.nameFilters()
                selected = dialog.selectedFiles()
                record.proposed = Path(selected[0]).name if selected else ""
            answer(dialog)
            return
        waited[0] += 20
        if waited[0] < timeout_ms:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return record


def answer_file_dialog(path: Path | None) -> DialogAnswer:
    """Answer the next file dialog with ``path`` (``None``: cancel it)."""

    def answer(dialog: QFileDialog) -> None:
        if path is None:
            dialog.reject()
            return
        dialog.setDirectory(str(path.parent))
        dialog.selectFile(path.name)
        name_field = dialog.findChild(QLineEdit, "fileNameEdit")
        if name_field is not None:  # Qt's own dialog: the name typed is what a save dialog takes
            name_field.setText(path.name)
        dialog.accept()

    return answer_modal(QFileDialog, answer)


def wait_ready(qtbot: Any, window: Any, timeout_ms: int = 10_000) -> None:
    """Wait until ``window`` (a MainWindow, possibly made with ``build_later``) has built its menus and actions."""
    qtbot.waitUntil(lambda: window.is_ready, timeout=timeout_ms)
