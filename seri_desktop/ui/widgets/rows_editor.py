"""A table of text rows with add / remove / move buttons: targets, 연혁 and the front tables use it.

The editor holds no domain object: it shows rows given with
:meth:`RowsEditor.set_rows` and reports every change (a cell typed, a row
added, removed or moved) as :attr:`RowsEditor.changed` with the complete new
list of rows. The form turns that into a session change, which refreshes the
editor with the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from seri_desktop.domain.rules import Problem
from seri_desktop.ui.qtmodels.text_table import TextTableModel
from seri_desktop.ui.widgets.fields import EditTableView, tool_button

MIN_ROW_HEIGHT = 26
# Above this many rows, rows get one height instead of being measured (measuring is per cell).
MEASURED_ROWS = 80


class RowsEditor(QWidget):
    """Rows of text cells with row buttons; ``stretch`` is the column that takes the spare width."""

    # the new rows (header rows included), the undo text, True if rows were added/removed/moved
    changed = Signal(object, str, bool)

    def __init__(
        self,
        columns: Sequence[str],
        *,
        header_rows: int = 0,
        numeric_right: bool = False,
        show_header: bool = True,
        stretch: int | None = 0,
        widths: Sequence[int] | None = None,
        what: str = "행",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = TextTableModel(columns, header_rows=header_rows, parent=self)
        self.model.set_numeric_right(numeric_right)
        self.model.edited.connect(self._on_cell_edited)
        self.view = EditTableView()
        self.view.setModel(self.model)
        self.view.horizontalHeader().setVisible(show_header)
        self.view.verticalHeader().setVisible(False)
        self._stretch = stretch
        self._widths = list(widths or [])
        self._apply_widths()
        self.model.modelReset.connect(self._after_reset)
        self.model.dataChanged.connect(self._after_data_changed)
        # Wrapped rows change height when the form's width changes the columns' widths.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit)
        self.view.horizontalHeader().sectionResized.connect(lambda *_: self._refit.start())

        self.add_button = tool_button(f"{what} 추가", f"선택한 {what} 아래에 새 {what}을 넣습니다")
        self.remove_button = tool_button(f"{what} 삭제", f"선택한 {what}을 지웁니다")
        self.up_button = tool_button("▲ 위로", f"선택한 {what}을 위로 옮깁니다")
        self.down_button = tool_button("▼ 아래로", f"선택한 {what}을 아래로 옮깁니다")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_rows)
        self.up_button.clicked.connect(lambda: self.move_row(-1))
        self.down_button.clicked.connect(lambda: self.move_row(1))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.view)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ API

    def set_rows(self, rows: Sequence[Sequence[str]], *, header_rows: int | None = None) -> None:
        self.model.set_rows(rows, header_rows=header_rows)
        self.fit()

    def rows(self) -> list[list[str]]:
        return self.model.rows()

    def set_columns(self, columns: Sequence[str]) -> None:
        self.model.set_columns(columns)

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self.model.set_problems(problems)

    def set_editable(self, editable: bool) -> None:
        self.model.set_editable(editable)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setEnabled(editable)

    def focus_cell(self, row: int | None, column: str = "") -> None:
        """Select body row ``row`` (1-based) at the column labelled ``column`` (the first if unknown)."""
        body_row = (row or 1) - 1 + self.model.header_rows
        columns = self.model.columns
        index = self.model.index(body_row, columns.index(column) if column in columns else 0)
        self.view.select_cell(index)

    def fit(self) -> None:
        # Rows grow with wrapped text; the form scrolls, so the view shows every row.
        if self.model.rowCount() > MEASURED_ROWS:
            # A long derived table (주요업무별 예산 내역 of a 1,000-program report): one line per row.
            self.view.verticalHeader().setDefaultSectionSize(MIN_ROW_HEIGHT)
            self.view.setWordWrap(False)
        else:
            self.view.setWordWrap(True)
            self.view.resizeRowsToContents()
            for row in range(self.model.rowCount()):
                if self.view.rowHeight(row) < MIN_ROW_HEIGHT:
                    self.view.setRowHeight(row, MIN_ROW_HEIGHT)
        self.view.fit_height()

    # ------------------------------------------------------------------ row operations

    def add_row(self) -> None:
        rows = self.rows()
        current = self.view.currentIndex()
        at = current.row() + 1 if current.isValid() else len(rows)
        at = max(at, self.model.header_rows)
        rows.insert(at, [""] * len(self.model.columns))
        self.changed.emit(rows, "행 추가", True)
        self.view.select_cell(self.model.index(at, 0))

    def remove_rows(self) -> None:
        selected = sorted(
            {i.row() for i in self.view.selectedIndexes() if i.row() >= self.model.header_rows}, reverse=True
        )
        if not selected:
            return
        rows = self.rows()
        for row in selected:
            del rows[row]
        self.changed.emit(rows, "행 삭제", True)
        if rows:
            self.view.select_cell(self.model.index(min(selected[-1], len(rows) - 1), 0))

    def move_row(self, delta: int) -> None:
        current = self.view.currentIndex()
        if not current.isValid():
            return
        row, target = current.row(), current.row() + delta
        if row < self.model.header_rows or not self.model.header_rows <= target < self.model.rowCount():
            return
        rows = self.rows()
        rows[row], rows[target] = rows[target], rows[row]
        self.changed.emit(rows, "행 이동", True)
        self.view.select_cell(self.model.index(target, current.column()))

    # ------------------------------------------------------------------ internals

    def _on_cell_edited(self, row: int, column: int, text: str) -> None:
        self.changed.emit(self.rows(), f"{self.model.columns[column] or '칸'} 수정", False)

    def _after_data_changed(self) -> None:
        # A long table has one row height: a changed cell cannot change its height.
        if self.model.rowCount() <= MEASURED_ROWS:
            self.fit()

    def _after_reset(self) -> None:
        self._apply_widths()
        self.fit()

    def _apply_widths(self) -> None:
        header = self.view.horizontalHeader()
        for column in range(self.model.columnCount()):
            if column == self._stretch:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            elif column < len(self._widths):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column, self._widths[column])
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        # Fitting a column to its contents looks at this many rows, not at every row of a long table.
        header.setResizeContentsPrecision(MEASURED_ROWS)


class MissingTable(QWidget):
    """Where a program has no such table yet: a line saying so and the button that makes the table."""

    def __init__(self, text: str, button: str, create: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(text)
        self.button = QPushButton(button)
        self.button.clicked.connect(create)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.button)
        row.addStretch(1)
