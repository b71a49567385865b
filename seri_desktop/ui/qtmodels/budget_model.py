"""The budget table (예산 집행 계획) as a Qt model: two view rows per budget line, a computed 계 row.

Laid out as printed: a line's name, budgets and page span two rows; each
quarter shows its amount on the first row and what it pays for (집행내용) on
the second. The last row is the total (계), computed from the lines and
never editable.

Amounts go in as text and are read with :meth:`Cell.parse` (``-1,234`` is
taken for ``△1,234``). Text that is not a valid cell is never taken for a
number, and never thrown away either: it goes out as an ``INVALID`` cell
holding exactly what was typed, so it stays in the program (shown in red at
its cell with the reason, listed by the ``budget.cell-format`` rule in the
problems panel, kept across switching programs and saved as such) until the
user fixes it; :attr:`BudgetModel.rejected` carries the reason for the
status bar. Edits go out as :attr:`BudgetModel.edited` ``(line, field,
value)``; the widget around the model turns them into a session change and
feeds the new table back with :meth:`BudgetModel.set_table`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from seri_desktop.domain import template
from seri_desktop.domain.model import NEGATIVE_SIGN, BudgetLine, BudgetTable, Cell, CellKind
from seri_desktop.domain.rules import Problem
from seri_desktop.ui import marks

Index = QModelIndex | QPersistentModelIndex

NAME, CURRENT, PREVIOUS, Q1, Q2, Q3, Q4, PAGE = range(8)
COLUMN_COUNT = 8
QUARTER_COLUMNS = (Q1, Q2, Q3, Q4)
AMOUNT_COLUMNS = (CURRENT, PREVIOUS, *QUARTER_COLUMNS)
# Field names in BudgetModel.edited, per column: the amount row, then the note row.
AMOUNT_FIELDS = {
    NAME: "name",
    CURRENT: "current",
    PREVIOUS: "previous",
    Q1: "q1",
    Q2: "q2",
    Q3: "q3",
    Q4: "q4",
    PAGE: "page",
}
NOTE_FIELDS = {Q1: "note1", Q2: "note2", Q3: "note3", Q4: "note4"}

EXECUTED_BACKGROUND = QColor("#eef4fb")
TOTAL_BACKGROUND = QColor("#eeeeee")
NOTE_COLOR = QColor("#505050")
INVALID_COLOR = QColor("#b71c1c")

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_DIGITS_AND_COMMAS = re.compile(r"^△?[\d,]+$")


def parse_amount(text: str) -> Cell:
    """A typed amount as a cell: as printed, plus ``-1,234`` (or ``−1,234``) for ``△1,234``."""
    s = text.strip().replace("\u2212", "-").replace("▲", NEGATIVE_SIGN)
    if len(s) > 1 and s.startswith("-"):
        s = NEGATIVE_SIGN + s[1:].strip()
    return Cell.parse(s)


def amount_error(text: str, unit: str) -> str:
    """Why ``text`` is not a budget cell, in Korean, with what to type instead."""
    s = text.strip()
    if re.search(r"\d[.]\d", s):
        why = f"소수점은 쓸 수 없습니다(단위가 {unit}입니다)."
    elif _DIGITS_AND_COMMAS.match(s.replace("-", "", 1)):
        why = "쉼표 자리가 맞지 않습니다(예: 1,234,567)."
    else:
        why = "금액이 아닙니다."
    return (
        f"'{s}': {why} {template.CELL_INPUT_FORMS} 중 하나를 "
        "입력하십시오. 금액으로 저장하지 않았으며, 고칠 때까지 문제 목록에 남습니다."
    )


class BudgetModel(QAbstractTableModel):
    """See the module docstring; ``column_labels`` are the rules' labels (예산액('24) …) for placing problems."""

    edited = Signal(int, str, object)  # line index, field, str or Cell
    rejected = Signal(str)  # the reason, for the status bar

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table = BudgetTable()
        self._line_count = 0
        self._total = self._table.total()
        self._year = 0
        self._editable = True
        self._problems: dict[tuple[int, int], list[Problem]] = {}
        self._labels: dict[str, int] = {}

    # ------------------------------------------------------------------ feeding

    def set_table(self, table: BudgetTable, year: int) -> None:
        """Show ``table`` (the model keeps a reference and only reads it)."""
        # Compared with the count remembered at the last feed: the table may be the same object, changed.
        same_shape = len(table.lines) == self._line_count and year == self._year
        self._line_count = len(table.lines)
        self._table = table
        self._total = table.total()
        self._year = year
        self._labels = {label: column for label, column in zip(_column_labels(year), AMOUNT_COLUMNS, strict=True)}
        if same_shape:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, COLUMN_COUNT - 1))
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)
            return
        self.beginResetModel()
        self.endResetModel()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable

    def set_problems(self, problems: Sequence[Problem]) -> None:
        """Place ``budget`` problems at (line, column) and ``budget.total`` ones at the 계 row."""
        self._problems = {}
        for problem in problems:
            column = self._labels.get(problem.column)
            if problem.section == "budget.total":
                row = self.total_row()
            elif problem.section == "budget" and problem.row is not None:
                row = 2 * (problem.row - 1)
            else:
                continue
            columns = [column] if column is not None else [NAME]
            for c in columns:
                self._problems.setdefault((row, c), []).append(problem)
        self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, COLUMN_COUNT - 1))

    # ------------------------------------------------------------------ geometry

    def total_row(self) -> int:
        return 2 * self._line_count

    def line_of(self, row: int) -> int | None:
        """The budget line a view row belongs to; ``None`` for the 계 row."""
        return row // 2 if row < self.total_row() else None

    def amount_index(self, line: int, column: int) -> QModelIndex:
        return self.index(2 * line, column)

    def note_index(self, line: int, quarter: int) -> QModelIndex:
        return self.index(2 * line + 1, QUARTER_COLUMNS[quarter])

    def column_for_label(self, label: str) -> int | None:
        return self._labels.get(label)

    def executed_quarters(self) -> int:
        return self._table.executed_quarters()

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2 * self._line_count + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        executed = self._table.executed_quarters()
        if role == Qt.ItemDataRole.DisplayRole:
            yy = self._year % 100
            labels = {
                NAME: "사업명",
                CURRENT: f"예산액\n'{yy:02d}",
                PREVIOUS: f"예산액\n'{(yy - 1) % 100:02d}",
                PAGE: "설명자료\n쪽수",
            }
            if section in QUARTER_COLUMNS:
                q = QUARTER_COLUMNS.index(section)
                return f"{q + 1}분기\n{'집행액' if q < executed else '집행예정액'}"
            return labels.get(section)
        if role == Qt.ItemDataRole.ToolTipRole and section in QUARTER_COLUMNS:
            q = QUARTER_COLUMNS.index(section)
            as_of = self._table.as_of.strftime("%Y.%m.%d.") if self._table.as_of else "기준일 없음"
            what = "집행액(기준일까지 쓴 돈)" if q < executed else "집행예정액(앞으로 쓸 돈)"
            return f"{q + 1}분기: {what}, {as_of} 기준. 아래 줄은 집행내용입니다."
        if role == Qt.ItemDataRole.BackgroundRole and section in QUARTER_COLUMNS:
            return EXECUTED_BACKGROUND if QUARTER_COLUMNS.index(section) < executed else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags  # the root is no cell (Qt's model tester checks it)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self._editable or index.row() >= self.total_row():
            return flags
        if index.row() % 2 == 0 or index.column() in QUARTER_COLUMNS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if row >= self.total_row():
            return self._total_data(column, role)
        line = self._table.lines[row // 2]
        note_row = row % 2 == 1
        rejected = None if note_row else self.rejected_at(index)
        problems = self._problems.get((row, column), [])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return _note_text(line, column) if note_row else _line_text(line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if rejected is not None:
                return f"<b>[입력 오류]</b> {rejected}"
            return marks.tooltip(problems) if problems else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if note_row or column == NAME:
                return _LEFT
            return _CENTER if column == PAGE else _RIGHT
        if role == Qt.ItemDataRole.BackgroundRole:
            if rejected is not None:
                return marks.REJECTED_BACKGROUND
            color = marks.background_color(marks.worst(problems))
            if color is not None:
                return color
            if column in QUARTER_COLUMNS and QUARTER_COLUMNS.index(column) < self._table.executed_quarters():
                return EXECUTED_BACKGROUND
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if rejected is not None:
                return INVALID_COLOR
            return NOTE_COLOR if note_row else None
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        row, column = index.row(), index.column()
        line_index = row // 2
        line = self._table.lines[line_index]
        text = "" if value is None else str(value)
        if row % 2 == 1:
            if text == _note_text(line, column):
                return False
            self.edited.emit(line_index, NOTE_FIELDS[column], text)
            return True
        if column not in AMOUNT_COLUMNS:
            if text == _line_text(line, column):
                return False
            self.edited.emit(line_index, AMOUNT_FIELDS[column], text)
            return True
        cell = parse_amount(text)
        if cell.kind is CellKind.INVALID:
            # Kept as typed, as an INVALID cell: never a number, never lost (see the module docstring).
            self.rejected.emit(amount_error(text, self._table.unit or "천원"))
        if cell == _cell(line, column):
            return False
        self.edited.emit(line_index, AMOUNT_FIELDS[column], cell)
        return True

    def rejected_at(self, index: Index) -> str | None:
        """Why the amount cell at ``index`` is not an amount (it holds an INVALID cell), else ``None``."""
        row, column = index.row(), index.column()
        if not index.isValid() or row >= self.total_row() or row % 2 == 1 or column not in AMOUNT_COLUMNS:
            return None
        cell = _cell(self._table.lines[row // 2], column)
        return amount_error(cell.raw, self._table.unit or "천원") if cell.kind is CellKind.INVALID else None

    def _total_data(self, column: int, role: int) -> Any:
        total = self._total
        problems = self._problems.get((self.total_row(), column), [])
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return "계"
            if column in AMOUNT_COLUMNS:
                return total.cells()[AMOUNT_COLUMNS.index(column)].format()
            return ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTER if column in (NAME, PAGE) else _RIGHT
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return marks.background_color(marks.worst(problems)) or TOTAL_BACKGROUND
        if role == Qt.ItemDataRole.ToolTipRole:
            note = "계는 사업별 칸의 합으로 자동 계산됩니다."
            return f"{marks.tooltip(problems)}<br>{note}" if problems else note
        return None


def _column_labels(year: int) -> tuple[str, ...]:
    from seri_desktop.domain.rules.budget import column_labels

    return column_labels(year)


def _cell(line: BudgetLine, column: int) -> Cell:
    if column == CURRENT:
        return line.current
    if column == PREVIOUS:
        return line.previous
    if column in QUARTER_COLUMNS:
        return line.quarters[QUARTER_COLUMNS.index(column)].amount
    return Cell()


def _line_text(line: BudgetLine, column: int) -> str:
    if column == NAME:
        return line.name
    if column == PAGE:
        return line.page
    return _cell(line, column).format()


def _note_text(line: BudgetLine, column: int) -> str:
    if column in QUARTER_COLUMNS:
        return line.quarters[QUARTER_COLUMNS.index(column)].note
    return ""
