"""A read-only Qt table model over a list of plain values, one value per row: the base of the list models.

A subclass names its ``COLUMNS`` and the role its values are handed out in
(``ROW_ROLE``), and says what a cell shows (:meth:`PlainRowsModel.cell`);
feeding (:meth:`PlainRowsModel.set_rows`), counting and the header are here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")


class PlainRowsModel(QAbstractTableModel, Generic[T]):
    """One row per value; the value itself is in ``ROW_ROLE`` of every cell."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()
    ROW_ROLE: ClassVar[int] = Qt.ItemDataRole.UserRole

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def cell(self, value: T, column: int, role: int) -> Any:
        """What the cell of ``value`` in ``column`` shows for ``role`` (``None``: nothing)."""
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section] if 0 <= section < len(self.COLUMNS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._rows[index.row()]
        return value if role == self.ROW_ROLE else self.cell(value, index.column(), role)
