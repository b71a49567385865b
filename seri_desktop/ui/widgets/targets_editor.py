"""추진 목표: the table 세부사업명 | 추진시기 | 물량 and the quantity header's qualifier.

Reports every change as a whole new :class:`Targets` (:attr:`TargetsEditor.changed`);
a program without the table gets a button that makes one.

The 추진시기 cell is checked as the user types: its editor runs the report's
own period rule (``periods.format``, on :mod:`seri_desktop.domain.periods`)
on every keystroke and shows what is wrong at the cell (a red frame, the
reason as its tooltip and in the status bar through
:attr:`TargetsEditor.message`), before the text
is even committed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from seri_desktop.domain import template
from seri_desktop.domain.model import Program, Report, TargetRow, Targets
from seri_desktop.domain.rules import Problem
from seri_desktop.domain.rules.completeness import period_format
from seri_desktop.ui import marks
from seri_desktop.ui.widgets.fields import KeepTypingDelegate, LineField
from seri_desktop.ui.widgets.rows_editor import MissingTable, RowsEditor

COLUMNS = template.TARGET_COLUMNS
QUANTITY = COLUMNS[-1]  # the rules name the quantity column so, whatever its qualifier
TABLE = template.TARGETS.label  # 추진 목표, in the button and the undo texts

PERIOD_COLUMN = 1


def period_problems_of(text: str, year: int) -> list[Problem]:
    """What the report's period rule says of ``text`` in a 추진시기 cell of a ``year`` report."""
    program = Program(code="", title="", department="", targets=Targets(rows=[TargetRow(period=text)]))
    return list(period_format(Report(year=year), program))


class PeriodDelegate(KeepTypingDelegate):
    """The 추진시기 cell's editor, checked on every keystroke (see the module docstring)."""

    def __init__(self, owner: TargetsEditor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._owner = owner

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if index.column() == PERIOD_COLUMN and isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda text, editor=editor: self._check(editor, text))
        return editor

    def _check(self, editor: QLineEdit, text: str) -> None:
        problems = period_problems_of(text, self._owner.year)
        editor.setProperty("problems", [p.message for p in problems])
        color = marks.mark_color(marks.worst(problems))
        editor.setStyleSheet(f"QLineEdit {{ border: 2px solid {color.name()}; }}" if color is not None else "")
        editor.setToolTip(marks.tooltip(problems) if problems else "")
        if problems:
            self._owner.message.emit(problems[0].message)


def quantity_header(qualifier: str) -> str:
    """``물량`` or, with a qualifier, ``물량 (출품작 수 대비 입상비율)`` as printed."""
    return f"{QUANTITY} ({qualifier})" if qualifier.strip() else QUANTITY


class TargetsEditor(QWidget):
    """See the module docstring."""

    # the new Targets or None, the undo text, whether typing may merge into the previous step
    changed = Signal(object, str, bool)
    message = Signal(str)  # for the status bar: what is wrong with the period being typed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._targets: Targets | None = None
        self.year = 0
        self.qualifier = LineField()
        self.qualifier.setPlaceholderText("물량 머리글에 붙일 설명 (예: 출품작 수 대비 입상비율)")
        self.qualifier.textEdited.connect(self._on_qualifier_edited)
        self._qualifier_box = QWidget()
        qualifier_row = QHBoxLayout(self._qualifier_box)
        qualifier_row.setContentsMargins(0, 0, 0, 0)
        qualifier_row.addWidget(QLabel("물량 머리글 설명"))
        qualifier_row.addWidget(self.qualifier, 1)

        self.rows_editor = RowsEditor(COLUMNS, stretch=0, widths=[0, 150, 260], what="행")
        self.rows_editor.changed.connect(self._on_rows_changed)
        self.period_delegate = PeriodDelegate(self, self.rows_editor.view)
        self.rows_editor.view.setItemDelegateForColumn(PERIOD_COLUMN, self.period_delegate)

        self._missing_box = MissingTable(f"{TABLE} 표가 없습니다.", f"{TABLE} 표 만들기", self._create)
        self.missing = self._missing_box.label
        self.create_button = self._missing_box.button

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._qualifier_box)
        layout.addWidget(self.rows_editor)
        layout.addWidget(self._missing_box)

    def set_targets(self, targets: Targets | None) -> None:
        self._targets = targets
        present = targets is not None
        self._qualifier_box.setVisible(present)
        self.rows_editor.setVisible(present)
        self._missing_box.setVisible(not present)
        if targets is None:
            return
        self.qualifier.set_text_keeping_cursor(targets.qualifier)
        self.rows_editor.set_columns([*COLUMNS[:2], quantity_header(targets.qualifier)])
        self.rows_editor.set_rows([[r.name, r.period, r.quantity] for r in targets.rows])

    def set_problems(self, problems: Sequence[Problem]) -> None:
        # The rules name the column 물량 whatever the qualifier: map it to the third column.
        header = quantity_header(self._targets.qualifier) if self._targets is not None else QUANTITY
        placed = [dataclasses.replace(p, column=header) if p.column == QUANTITY else p for p in problems]
        self.rows_editor.set_problems(placed)

    def set_editable(self, editable: bool) -> None:
        self.qualifier.setReadOnly(not editable)
        self.rows_editor.set_editable(editable)
        self.create_button.setEnabled(editable)

    def focus_cell(self, row: int | None, column: str) -> None:
        if self._targets is None:
            self.create_button.setFocus()
            return
        if row is None:
            self.rows_editor.view.setFocus()
            return
        header = quantity_header(self._targets.qualifier)
        self.rows_editor.focus_cell(row, header if column == QUANTITY else column)

    def _on_qualifier_edited(self, text: str) -> None:
        if self._targets is None:
            return
        self.changed.emit(Targets(qualifier=text, rows=list(self._targets.rows)), "물량 머리글 수정", True)

    def _on_rows_changed(self, rows: list[list[str]], text: str, structural: bool) -> None:
        qualifier = self._targets.qualifier if self._targets is not None else ""
        targets = Targets(qualifier=qualifier, rows=[TargetRow(*row[:3]) for row in rows])
        self.changed.emit(targets, f"{TABLE} {text}", False)

    def _create(self) -> None:
        self.changed.emit(Targets(rows=[TargetRow()]), f"{TABLE} 표 만들기", False)
