"""The search panel (Ctrl+F): a query field and the list of hits; activating a hit goes to it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from seri_desktop.ui.qtmodels.search_results import HitRole, SearchResultsModel
from seri_desktop.ui.search import MAX_HITS, SearchHit

__all__ = ["HitRole", "SearchPanel", "SearchResultsModel"]

TYPING_PAUSE_MS = 250


class _QueryField(QLineEdit):
    """Down arrow moves into the results."""

    down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    """Runs ``search(query)`` as the user types (after a pause) and on Enter; emits :attr:`activated`."""

    activated = Signal(object)  # the SearchHit to go to

    def __init__(self, search: Callable[[str], list[SearchHit]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.run)
        self.query = _QueryField()
        self.query.setPlaceholderText("사업명과 본문에서 찾기 (Enter)")
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self._on_return)
        self.query.textEdited.connect(lambda _text: self._timer.start())
        self.query.down.connect(self._focus_results)
        self.model = SearchResultsModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 200)
        header.setStretchLastSection(True)
        self.view.activated.connect(self._on_activated)
        self.view.doubleClicked.connect(self._on_activated)
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.query)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)

    def focus_query(self) -> None:
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()

    def run(self, query: str | None = None) -> list[SearchHit]:
        """Search now (for ``query`` if given, else the field's text) and list the hits."""
        self._timer.stop()
        if query is not None:
            self.query.setText(query)
        text = self.query.text()
        hits = self._search(text) if text.strip() else []
        self.model.set_rows(hits)
        if not text.strip():
            self.status.setText("")
        elif not hits:
            self.status.setText("찾는 글이 없습니다.")
        else:
            more = " (앞부분만 보입니다)" if len(hits) >= MAX_HITS else ""
            self.status.setText(f"{len(hits)}건{more}")
        return hits

    def activate_row(self, row: int) -> None:
        """Go to the ``row``-th hit (what Enter or a double-click does)."""
        self._on_activated(self.model.index(row, 0))

    def _on_return(self) -> None:
        hits = self.run()
        if hits:
            self.view.selectRow(0)
            self.activate_row(0)

    def _focus_results(self) -> None:
        if self.model.rowCount():
            self.view.setFocus()
            self.view.selectRow(0)

    def _on_activated(self, index: QModelIndex) -> None:
        hit = index.data(HitRole) if index.isValid() else None
        if isinstance(hit, SearchHit):
            self.activated.emit(hit)
