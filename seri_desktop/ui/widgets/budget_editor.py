"""예산 집행 계획: unit and as-of date, the budget table with its computed 계 row, the notes under it.

Every valid edit becomes a whole new :class:`BudgetTable` on
:attr:`BudgetEditor.changed`. The table's total is computed: the form shows
and the PDF prints the derived 계 row. A printed 계 row an import brought in
stays as it is, as evidence only (an import finding for the office, see
:mod:`seri_desktop.domain.rules.findings`): editing the lines until they give
the printed figures clears the finding by itself; nothing typed here accepts
or drops it. Input that is not a valid amount never leaves the model (see
:mod:`seri_desktop.ui.qtmodels.budget_model`); its reason goes out on
:attr:`BudgetEditor.message` for the status bar.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from seri_desktop.domain import template
from seri_desktop.domain.model import BudgetLine, BudgetTable, Cell
from seri_desktop.domain.rules import Problem, Severity
from seri_desktop.ui.qtmodels.budget_model import (
    CURRENT,
    NAME,
    PAGE,
    PREVIOUS,
    QUARTER_COLUMNS,
    BudgetModel,
)
from seri_desktop.ui.widgets.fields import EditTableView, LineField, tool_button
from seri_desktop.ui.widgets.rows_editor import MissingTable

AMOUNT_WIDTH = 92
QUARTER_WIDTH = 112
PAGE_WIDTH = 70
ROW_HEIGHT = 28
LEGEND_EXECUTED = "#9fbde3"  # a darker shade of the executed columns' tint, visible as a glyph
LEGEND_PLANNED = "#d6d6d6"
FIELD_COLUMNS = {"name": NAME, "current": CURRENT, "previous": PREVIOUS, "page": PAGE}


def format_as_of(date: dt.date | None) -> str:
    """``'24.6.30.`` as the report prints the as-of date."""
    return f"'{date.year % 100:02d}.{date.month}.{date.day}." if date is not None else ""


class BudgetTableView(EditTableView):
    """The budget table view: spans like the printed table, rows sized to the wrapped notes."""

    def __init__(self, model: BudgetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.budget_model = model
        self.setModel(model)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((CURRENT, AMOUNT_WIDTH), (PREVIOUS, AMOUNT_WIDTH), (PAGE, PAGE_WIDTH)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        for column in QUARTER_COLUMNS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, QUARTER_WIDTH)
        header.setMinimumSectionSize(60)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumWidth(2 * AMOUNT_WIDTH + 4 * QUARTER_WIDTH + PAGE_WIDTH + 120)
        model.modelReset.connect(self.relayout)
        model.dataChanged.connect(lambda *_: self.fit_rows())
        header.sectionResized.connect(lambda *_: self.fit_rows())

    def relayout(self) -> None:
        self.clearSpans()
        for line in range(self.budget_model.total_row() // 2):
            for column in (NAME, CURRENT, PREVIOUS, PAGE):
                self.setSpan(2 * line, column, 2, 1)
        self.fit_rows()

    def fit_rows(self) -> None:
        model = self.budget_model
        metrics = QFontMetrics(self.font())
        name_width = max(self.columnWidth(NAME) - 10, 40)
        note_width = QUARTER_WIDTH - 10
        for line in range(model.total_row() // 2):
            self.setRowHeight(2 * line, ROW_HEIGHT)
            notes = [str(model.index(2 * line + 1, c).data() or "") for c in QUARTER_COLUMNS]
            note_height = max(_wrapped_height(metrics, n, note_width) for n in notes) + 8
            name = str(model.index(2 * line, NAME).data() or "")
            name_height = _wrapped_height(metrics, name, name_width) + 10
            self.setRowHeight(2 * line + 1, max(ROW_HEIGHT - 4, note_height, name_height - ROW_HEIGHT))
        self.setRowHeight(model.total_row(), ROW_HEIGHT)
        self.fit_height()


def _wrapped_height(metrics: QFontMetrics, text: str, width: int) -> int:
    if not text:
        return metrics.height()
    flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.TextFlag.TextWrapAnywhere)
    return metrics.boundingRect(QRect(0, 0, width, 10_000), flags, text).height()


class BudgetEditor(QWidget):
    """See the module docstring. ``year`` labels the budget columns ('24, '23)."""

    # the new BudgetTable or None, the undo text, whether typing may merge into the previous step
    changed = Signal(object, str, bool)
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table: BudgetTable | None = None
        self._year = 0
        self._default_unit = "천원"
        self._default_as_of: dt.date | None = None

        self.unit = LineField()
        self.unit.setMaximumWidth(90)
        self.unit.textEdited.connect(self._on_unit_edited)
        self.as_of = LineField()
        self.as_of.setMaximumWidth(110)
        self.as_of.setPlaceholderText("'24.6.30.")
        self.as_of.setToolTip("기준일: 이날까지 끝난 분기는 집행액, 나머지는 집행예정액입니다.")
        self.as_of.editingFinished.connect(self._on_as_of_finished)
        caption = QHBoxLayout()
        caption.setContentsMargins(0, 0, 0, 0)
        caption.addWidget(QLabel("(단위:"))
        caption.addWidget(self.unit)
        caption.addWidget(QLabel(","))
        caption.addWidget(self.as_of)
        caption.addWidget(QLabel("기준)"))
        caption.addSpacing(16)
        self.legend = QLabel()
        caption.addWidget(self.legend)
        caption.addStretch(1)
        self._caption_box = QWidget()
        self._caption_box.setLayout(caption)

        self.model = BudgetModel(self)
        self.model.edited.connect(self._on_edited)
        self.model.rejected.connect(self.message)
        self.view = BudgetTableView(self.model)

        self.add_button = tool_button("줄 추가", "선택한 줄 아래에 예산 사업을 넣습니다")
        self.remove_button = tool_button("줄 삭제", "선택한 예산 사업을 지웁니다")
        self.up_button = tool_button("▲ 위로", "선택한 예산 사업을 위로 옮깁니다")
        self.down_button = tool_button("▼ 아래로", "선택한 예산 사업을 아래로 옮깁니다")
        self.add_button.clicked.connect(self.add_line)
        self.remove_button.clicked.connect(self.remove_line)
        self.up_button.clicked.connect(lambda: self.move_line(-1))
        self.down_button.clicked.connect(lambda: self.move_line(1))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self._buttons_box = QWidget()
        self._buttons_box.setLayout(buttons)
        self.hint = QLabel(f"계는 자동으로 계산됩니다. 칸에는 {template.CELL_INPUT_FORMS} 중 하나를 적습니다.")
        self.hint.setStyleSheet("QLabel { color: #666666; }")
        self.hint.setWordWrap(True)

        self._missing_box = MissingTable("예산 집행 계획이 없습니다.", "예산 집행 계획 표 만들기", self._create)
        self.missing = self._missing_box.label
        self.create_button = self._missing_box.button

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._caption_box)
        layout.addWidget(self.view)
        layout.addWidget(self._buttons_box)
        layout.addWidget(self.hint)
        layout.addWidget(self._missing_box)

    # ------------------------------------------------------------------ API

    def set_defaults(self, unit: str, as_of: dt.date | None) -> None:
        """Unit and as-of date for a table made with the create button (the report's)."""
        self._default_unit = unit or "천원"
        self._default_as_of = as_of

    def set_budget(self, table: BudgetTable | None, year: int) -> None:
        self._table = table
        self._year = year
        present = table is not None
        for box in (self._caption_box, self.view, self._buttons_box, self.hint):
            box.setVisible(present)
        self._missing_box.setVisible(not present)
        if table is None:
            return
        self.unit.set_text_keeping_cursor(table.unit)
        if not self.as_of.hasFocus():
            self.as_of.setText(format_as_of(table.as_of))
            self.as_of.set_problems([])
        self.model.set_table(table, year)
        executed = table.executed_quarters()
        # QLabel's rich text has no borders or padding: coloured squares make the swatches.
        self.legend.setText(
            f"<span style='color:{LEGEND_EXECUTED}'>■</span> 집행액({executed}개 분기, 기준일까지) &nbsp; "
            f"<span style='color:{LEGEND_PLANNED}'>■</span> 집행예정액"
        )

    def budget(self) -> BudgetTable | None:
        return self._table

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self.model.set_problems(problems)

    def set_editable(self, editable: bool) -> None:
        self.model.set_editable(editable)
        self.unit.setReadOnly(not editable)
        self.as_of.setReadOnly(not editable)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button, self.create_button):
            button.setEnabled(editable)

    def index_for(self, line: int, field: str) -> QModelIndex:
        """The view index of ``field`` (name, current, previous, q1…q4, note1…note4, page) of ``line``."""
        if field.startswith("note"):
            return self.model.note_index(line, int(field[4:]) - 1)
        if field.startswith("q"):
            return self.model.amount_index(line, QUARTER_COLUMNS[int(field[1:]) - 1])
        return self.model.amount_index(line, FIELD_COLUMNS[field])

    def set_cell_text(self, line: int, field: str, text: str) -> bool:
        """Enter ``text`` into a cell as the delegate does when the user presses Enter."""
        return self.model.setData(self.index_for(line, field), text, Qt.ItemDataRole.EditRole)

    def focus_cell(self, row: int | None, column: str, section: str = "budget") -> None:
        """Select the cell of a problem: line ``row`` (1-based) or the 계 row, column by the rules' label."""
        if self._table is None:
            self.create_button.setFocus()
            return
        view_column = self.model.column_for_label(column)
        if section == "budget.total" or not self._table.lines:
            view_row = self.model.total_row()
        else:
            view_row = 2 * (min(row or 1, len(self._table.lines)) - 1)
        self.view.select_cell(self.model.index(view_row, view_column if view_column is not None else NAME))

    # ------------------------------------------------------------------ line operations

    def add_line(self) -> None:
        if self._table is None:
            return
        table = self._edited_copy()
        line = self._current_line()
        at = line + 1 if line is not None else len(table.lines)
        table.lines.insert(at, BudgetLine(name=""))
        self.changed.emit(table, "예산 줄 추가", False)
        self.view.select_cell(self.model.amount_index(at, NAME))

    def remove_line(self) -> None:
        line = self._current_line()
        if self._table is None or line is None:
            return
        table = self._edited_copy()
        del table.lines[line]
        self.changed.emit(table, "예산 줄 삭제", False)

    def move_line(self, delta: int) -> None:
        line = self._current_line()
        if self._table is None or line is None or not 0 <= line + delta < len(self._table.lines):
            return
        table = self._edited_copy()
        table.lines[line], table.lines[line + delta] = table.lines[line + delta], table.lines[line]
        column = self.view.currentIndex().column()
        self.changed.emit(table, "예산 줄 이동", False)
        self.view.select_cell(self.model.amount_index(line + delta, column))

    # ------------------------------------------------------------------ internals

    def _current_line(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.line_of(index.row()) if index.isValid() else None

    def _edited_copy(self) -> BudgetTable:
        assert self._table is not None
        # The form's 계 is computed; the printed one stays as the import's evidence (the office resolves it).
        return copy.deepcopy(self._table)

    def _on_edited(self, line: int, field: str, value: object) -> None:
        if self._table is None:
            return
        table = self._edited_copy()
        target = table.lines[line]
        if field in ("name", "page"):
            setattr(target, field, str(value))
            what = "사업명" if field == "name" else "쪽수"
        elif field.startswith("note"):
            target.quarters[int(field[4:]) - 1].note = str(value)
            what = f"{field[4:]}분기 집행내용"
        else:
            assert isinstance(value, Cell)
            if field.startswith("q"):
                target.quarters[int(field[1:]) - 1].amount = value
                what = f"{field[1:]}분기 금액"
            else:
                setattr(target, field, value)
                what = "예산액"
        self.changed.emit(table, f"예산 {what} 수정", False)

    def _on_unit_edited(self, text: str) -> None:
        if self._table is None:
            return
        table = copy.deepcopy(self._table)
        table.unit = text
        self.changed.emit(table, "예산 단위 수정", True)

    def _on_as_of_finished(self) -> None:
        if self._table is None or self.as_of.isReadOnly():
            return
        text = self.as_of.text().strip()
        date = _parse_date(text, self._year)
        if text and date is None:
            reason = f"기준일 '{text}'을(를) 읽을 수 없습니다. '24.6.30. 처럼 적으십시오. 저장하지 않았습니다."
            self.as_of.set_problems([Problem("input", Severity.ERROR, reason, section="budget")])
            self.message.emit(reason)
            return
        self.as_of.set_problems([])
        if date == self._table.as_of:
            return
        table = copy.deepcopy(self._table)
        table.as_of = date
        self.changed.emit(table, "예산 기준일 수정", False)

    def _create(self) -> None:
        table = BudgetTable(unit=self._default_unit, as_of=self._default_as_of, lines=[BudgetLine(name="")])
        self.changed.emit(table, "예산 집행 계획 표 만들기", False)


def _parse_date(text: str, year: int) -> dt.date | None:
    from seri_desktop.formats.text_import import parse_as_of

    return parse_as_of(text, year or dt.date.today().year)
