"""The window's status bar: the open database, a department package's mode, and whether edits are saved.

These are permanent widgets, so transient messages (a refused input, an
import summary, :meth:`StatusLine.show_message`) do not hide them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QStatusBar

STATUS_MESSAGE_MS = 10_000
NOTHING_CHANGED = "고친 내용 없음"
PENDING = "저장 대기…"
FAILED = "저장 실패 — 다시 시도합니다"


class StatusLine(QObject):
    """The labels of the status bar ``bar`` and what they say."""

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.bar = bar
        self.save_label = QLabel(NOTHING_CHANGED)
        self.save_label.setMinimumWidth(150)
        self.mode_label = QLabel("")
        self.mode_label.setStyleSheet("QLabel { color: #8a5a00; font-weight: bold; }")
        self.mode_label.setVisible(False)
        self.db_label = QLabel("")
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.mode_label, self.save_label, self.db_label):
            bar.addPermanentWidget(label)

    def show_message(self, text: str) -> None:
        """A transient message."""
        self.bar.showMessage(text, STATUS_MESSAGE_MS)

    def show_workspace(self, where: str, department: str | None) -> None:
        """``where``: the file or the server (named without its password); ``department``: a package's."""
        self.db_label.setText(f"데이터베이스: {where}" if where else "")
        self.mode_label.setText(f"부서 제출 파일: {department}" if department else "")
        self.mode_label.setVisible(bool(department))

    def pending(self) -> None:
        self.save_label.setText(PENDING)
        self.save_label.setStyleSheet("QLabel { color: #666666; }")

    def saved(self, when: str) -> None:
        self.save_label.setText(f"저장됨 {when}")
        self.save_label.setStyleSheet("")
        self.save_label.setToolTip("고친 내용은 잠시 뒤 자동으로 저장됩니다.")

    def failed(self, message: str, detail: str = "") -> None:
        """A save failed (it is retried); ``detail``: where the log of an unexpected failure is."""
        self.save_label.setText(FAILED)
        self.save_label.setStyleSheet("QLabel { color: #c62828; font-weight: bold; }")
        self.save_label.setToolTip("\n".join(x for x in (message, detail) if x))
        self.show_message(f"저장하지 못했습니다: {message}")
