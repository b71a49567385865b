"""The search hits as a Qt table model fed plain rows (:class:`~seri_desktop.ui.search.SearchHit` values)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from seri_desktop.ui.qtmodels.plain_rows import PlainRowsModel
from seri_desktop.ui.search import SearchHit

HitRole = Qt.ItemDataRole.UserRole + 20


class SearchResultsModel(PlainRowsModel[SearchHit]):
    """위치 | 내용; the :class:`SearchHit` itself is in :data:`HitRole`."""

    COLUMNS = ("위치", "내용")
    ROW_ROLE = HitRole

    def hits(self) -> list[SearchHit]:
        return self.rows()

    def cell(self, value: SearchHit, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return value.place if column == 0 else value.snippet
        if role == Qt.ItemDataRole.ToolTipRole:
            return value.snippet
        return None
