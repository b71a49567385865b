"""The first page when no report is open: the few ways in, and the files opened lately.

Shown instead of a form while the open database holds no report (a first
start, a new empty file). Each way in is one of the window's actions
(텍스트 가져오기, 작년 보고서로 새 해 시작, 빈 보고서, 꾸러미 열기): the
page shows it as a large button with a line of explanation and follows the
action's enabled state, so the page never does anything the menus do not.
Under them, the recent files; Enter or a double-click opens one
(:attr:`WelcomePage.openRecent`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seri_desktop.ui.forms.common import scroll_area, title_label
from seri_desktop.ui.mnemonics import plain
from seri_desktop.ui.recent import is_url_text

TITLE = "주요업무보고를 시작합니다"
LEAD = "이 파일에는 아직 보고서가 없습니다. 아래에서 시작할 방법을 고르십시오. 사용 안내는 도움말 메뉴(F1)에 있습니다."
NO_RECENT = "최근에 연 파일이 없습니다."
PathRole = Qt.ItemDataRole.UserRole + 1


class WelcomePage(QWidget):
    """See the module docstring; fill it with :meth:`set_ways` and :meth:`set_recent`."""

    openRecent = Signal(object)  # the Path chosen, or a server's URL text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        self.content = QWidget()
        self._layout = QVBoxLayout(self.content)
        self._layout.setContentsMargins(32, 24, 32, 24)
        self._layout.setSpacing(8)
        self.title = title_label(TITLE)
        self.lead = QLabel(LEAD)
        self.lead.setWordWrap(True)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.lead)
        self._ways = QVBoxLayout()
        self._ways.setSpacing(2)
        self._layout.addLayout(self._ways)
        self.buttons: list[QCommandLinkButton] = []
        self.recent_label = QLabel("최근 파일")
        font = self.recent_label.font()
        font.setBold(True)
        self.recent_label.setFont(font)
        self.recent = QListWidget()
        self.recent.setMaximumHeight(180)
        self.recent.itemActivated.connect(self._on_recent)
        self.recent_label.setBuddy(self.recent)
        self._layout.addSpacing(12)
        self._layout.addWidget(self.recent_label)
        self._layout.addWidget(self.recent)
        self._layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll_area(self.content))

    def set_ways(self, ways: Sequence[tuple[QAction, str, str]]) -> None:
        """One button per ``(action, title, explanation)``; a click triggers the action."""
        for button in self.buttons:
            self._ways.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        for action, title, explanation in ways:
            button = QCommandLinkButton(title, explanation)
            button.setObjectName(f"way:{plain(title)}")
            button.clicked.connect(action.trigger)
            button.setEnabled(action.isEnabled())
            action.changed.connect(lambda button=button, action=action: button.setEnabled(action.isEnabled()))
            self._ways.addWidget(button)
            self.buttons.append(button)

    def set_recent(self, files: Sequence[Path | str]) -> None:
        """Files as paths, servers as their URL text (kept without a password)."""
        self.recent.clear()
        for path in files:
            label = f"{path.name}    ({path.parent})" if isinstance(path, Path) else path
            item = QListWidgetItem(label)
            item.setData(PathRole, str(path))
            item.setToolTip(str(path))
            self.recent.addItem(item)
        if not files:
            empty = QListWidgetItem(NO_RECENT)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(empty)
        elif self.recent.currentRow() < 0:
            self.recent.setCurrentRow(0)

    def _on_recent(self, item: QListWidgetItem) -> None:
        path = item.data(PathRole)
        if isinstance(path, str) and path:
            # A server's URL stays text: as a Path its "//" would fold and it would name a file.
            self.openRecent.emit(path if is_url_text(path) else Path(path))
