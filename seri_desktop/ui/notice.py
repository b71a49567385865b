"""A non-blocking notice above the form: what was just written, where, and buttons to open it.

A result (a submission, a PDF, a workbook written) should be seen, and the
status bar cuts long paths off. :class:`NoticeBar` shows one line with the
whole path (selectable), 파일 열기 and 폴더 열기 buttons, and a close
button; it hides itself after :data:`NOTICE_MS` and never takes the focus
or blocks typing. The files open with the desktop's program for them
(``QDesktopServices.openUrl``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

NOTICE_MS = 30_000
STYLE = "#noticeBar { background: #e8f3e8; border: 1px solid #9cc59c; border-radius: 3px; }"


def open_path(path: Path) -> bool:
    """Open a file or folder with the desktop's program for it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class NoticeBar(QFrame):
    """See the module docstring; :meth:`show_notice` shows one, replacing the one shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setStyleSheet(STYLE)
        self.path: Path | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_file_button = QPushButton("파일 열기(&W)")
        self.open_folder_button = QPushButton("폴더 열기(&D)")
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip("알림 닫기")
        for button in (self.open_file_button, self.open_folder_button, self.close_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.open_file_button.clicked.connect(self.open_file)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.open_file_button)
        layout.addWidget(self.open_folder_button)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_notice(self, text: str, path: Path | None = None) -> None:
        """Show ``text`` (and ``path`` with its buttons, when given) for a while."""
        self.path = path
        shown = f"{text}\n{path}" if path is not None else text
        self.label.setText(shown)
        self.open_file_button.setVisible(path is not None and path.is_file())
        self.open_folder_button.setVisible(path is not None)
        self.show()
        self._timer.start(NOTICE_MS)

    def text(self) -> str:
        return self.label.text()

    def open_file(self) -> bool:
        return self.path is not None and open_path(self.path)

    def open_folder(self) -> bool:
        return self.path is not None and open_path(self.path.parent if self.path.is_file() else self.path)
