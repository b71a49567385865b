"""The problems list as a Qt table model fed plain rows (:class:`Problem` values), and its filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from seri_desktop.domain.rules import Problem
from seri_desktop.ui import marks
from seri_desktop.ui.qtmodels.plain_rows import PlainRowsModel

Index = QModelIndex | QPersistentModelIndex
ProblemRole = Qt.ItemDataRole.UserRole + 10


class ProblemsModel(PlainRowsModel[Problem]):
    """구분 | 위치 | 내용; the :class:`Problem` itself is in :data:`ProblemRole`."""

    COLUMNS = ("구분", "위치", "내용")
    ROW_ROLE = ProblemRole

    def problems(self) -> list[Problem]:
        return self.rows()

    def cell(self, value: Problem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return marks.SEVERITY_LABELS[value.severity]
            if column == 1:
                return value.place() or "보고서"
            return value.message
        if role == Qt.ItemDataRole.ToolTipRole:
            return marks.tooltip([value]) + f"<br><i>{value.place()} · {value.rule}</i>"
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return marks.mark_color(value.severity)
        return None


class ProblemsFilter(QSortFilterProxyModel):
    """Shows everything, or only the problems of one navigator key (``program:2-5`` …)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keep: frozenset[Problem] | None = None

    def keep_only(self, problems: Sequence[Problem] | None) -> None:
        """Show only these problems; ``None`` shows all."""
        self.beginFilterChange()
        self._keep = frozenset(problems) if problems is not None else None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._keep is None:
            return True
        problem = self.sourceModel().index(source_row, 0, source_parent).data(ProblemRole)
        return problem in self._keep
