"""A Qt table model over plain rows of text: targets, 연혁, the front matter's tables.

Rows come in with :meth:`TextTableModel.set_rows` (lists of strings; the
model keeps copies) and edits go out as :attr:`TextTableModel.edited`
``(row, column, text)``; the widget around it turns them into session
changes and feeds the result back with ``set_rows``. The model never writes
the domain objects itself.

The first ``header_rows`` rows can be header rows (the front tables print a
two-row header with merged cells, which ``QHeaderView`` cannot show); they
are drawn like a header and edited like any cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from seri_desktop.domain.model import Cell, CellKind
from seri_desktop.domain.rules import Problem
from seri_desktop.ui import marks

Index = QModelIndex | QPersistentModelIndex
HEADER_BACKGROUND = QColor("#eef1f5")
_NUMERIC = (CellKind.AMOUNT, CellKind.NONE, CellKind.NON_BUDGET)


class TextTableModel(QAbstractTableModel):
    """Rows of text cells; problems mark cells (row, column label) or whole rows."""

    edited = Signal(int, int, str)

    def __init__(self, columns: Sequence[str], *, header_rows: int = 0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[list[str]] = []
        self._header_rows = header_rows
        self._editable = True
        self._problems: dict[tuple[int, int], list[Problem]] = {}
        self._row_problems: dict[int, list[Problem]] = {}
        self._numeric_right = False

    # ------------------------------------------------------------------ feeding

    def set_rows(self, rows: Sequence[Sequence[str]], *, header_rows: int | None = None) -> None:
        """Show ``rows`` (short rows are padded); the structure only resets when the shape changes."""
        width = len(self._columns)
        new = [[*row[:width], *([""] * (width - len(row)))] if len(row) < width else list(row) for row in rows]
        if header_rows is not None:
            self._header_rows = header_rows
        if len(new) == len(self._rows) and all(len(a) == len(b) for a, b in zip(new, self._rows, strict=True)):
            self._rows = new
            if new:
                self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, self.columnCount() - 1))
            return
        self.beginResetModel()
        self._rows = new
        self.endResetModel()

    def set_columns(self, columns: Sequence[str]) -> None:
        if list(columns) == self._columns:
            return
        if len(columns) == len(self._columns):
            self._columns = list(columns)
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(columns) - 1)
            return
        self.beginResetModel()
        self._columns = list(columns)
        self._rows = [[*row[: len(columns)], *([""] * (len(columns) - len(row)))] for row in self._rows]
        self.endResetModel()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable

    def set_numeric_right(self, right: bool) -> None:
        """Right-align cells that read as amounts (the front matter's figures)."""
        self._numeric_right = right

    def set_problems(self, problems: Sequence[Problem]) -> None:
        """Problems with a 1-based ``row`` (counted after the header rows) and a column label or none."""
        self._problems = {}
        self._row_problems = {}
        for problem in problems:
            if problem.row is None:
                continue
            row = problem.row - 1 + self._header_rows
            if problem.column in self._columns:
                self._problems.setdefault((row, self._columns.index(problem.column)), []).append(problem)
            else:
                self._row_problems.setdefault(row, []).append(problem)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))

    def rows(self) -> list[list[str]]:
        return [list(row) for row in self._rows]

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    @property
    def header_rows(self) -> int:
        return self._header_rows

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section]
        if orientation == Qt.Orientation.Vertical:
            body = section - self._header_rows
            return str(body + 1) if body >= 0 else ""
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags  # the root is no cell (Qt's model tester checks it)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        text = self._rows[row][column]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return text
        problems = self._cell_problems(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return marks.tooltip(problems) if problems else None
        if role == Qt.ItemDataRole.BackgroundRole:
            color = marks.background_color(marks.worst(problems))
            if color is not None:
                return color
            return HEADER_BACKGROUND if row < self._header_rows else None
        if role == Qt.ItemDataRole.FontRole and row < self._header_rows:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if row < self._header_rows:
                return int(Qt.AlignmentFlag.AlignCenter)
            if self._numeric_right and text and Cell.parse(text).kind in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self._editable:
            return False
        text = "" if value is None else str(value)
        if text == self._rows[index.row()][index.column()]:
            return False
        self._rows[index.row()][index.column()] = text
        self.dataChanged.emit(index, index)
        self.edited.emit(index.row(), index.column(), text)
        return True

    def _cell_problems(self, row: int, column: int) -> list[Problem]:
        return [*self._problems.get((row, column), []), *self._row_problems.get(row, [])]
