"""The problems list as a Qt table model fed plain rows (:class:`Problem` values), and its filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from seri_desktop.domain.rules import Problem
from seri_desktop.ui import marks

Index = QModelIndex | QPersistentModelIndex
ProblemRole = Qt.ItemDataRole.UserRole + 10
COLUMNS = ("구분", "위치", "내용")


class ProblemsModel(QAbstractTableModel):
    """구분 | 위치 | 내용; the :class:`Problem` itself is in :data:`ProblemRole`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Problem] = []

    def set_rows(self, problems: Sequence[Problem]) -> None:
        self.beginResetModel()
        self._rows = list(problems)
        self.endResetModel()

    def problems(self) -> list[Problem]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        problem = self._rows[index.row()]
        column = index.column()
        if role == ProblemRole:
            return problem
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return marks.SEVERITY_LABELS[problem.severity]
            if column == 1:
                return problem.place() or "보고서"
            return problem.message
        if role == Qt.ItemDataRole.ToolTipRole:
            return marks.tooltip([problem]) + f"<br><i>{problem.place()} · {problem.rule}</i>"
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return marks.mark_color(problem.severity)
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
