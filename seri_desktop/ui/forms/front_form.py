"""I. 일반 현황 for the planning office: the cover fields, 연혁, 조직, the tables and their notes.

주요업무별 예산 내역 is shown computed from the programs' budgets and is not
editable: the report derives it (PRODUCT §2), so it cannot disagree with
the programs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Final

from PySide6.QtCore import QPoint, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from seri_desktop.domain import template
from seri_desktop.domain.model import HistoryEntry, ItemKind, Outline, Report, SimpleTable
from seri_desktop.domain.rules import Problem, Severity
from seri_desktop.domain.template import Part, PartKind
from seri_desktop.ui.editing import EditSession
from seri_desktop.ui.forms.common import Banner, caption, scroll_area, title_label
from seri_desktop.ui.rows import FRONT_LABEL
from seri_desktop.ui.widgets.budget_editor import format_as_of
from seri_desktop.ui.widgets.fields import LineField, PlainTextField, SectionHeading
from seri_desktop.ui.widgets.outline_editor import OutlineEditor
from seri_desktop.ui.widgets.rows_editor import RowsEditor

COVER_HEADING = "표지"
COVER_KEY = "cover"  # the heading of the cover fields in ``FrontForm.headings``
# Cover text that runs over several lines (the slogan, one line each).
MULTILINE_COVER: Final = frozenset({"cover.subtitle"})
HISTORY_COLUMNS = ("날짜", "내용")
SUMMARY_COLUMNS = ("번호", "주요업무명", "예산액", "전년 예산액", *template.QUARTER_LABELS)
TABLE_CAPTION_HINT = "(단위: 명, '24.9.1.기준)"
NOTES_HINT = "표 아래 주석 (※)"
SUMMARY_NOTE = "각 사업의 예산 집행 계획에서 계산합니다. 여기서는 고치지 않습니다(쪽수는 PDF를 만들 때 정해집니다)."


def front_headings() -> dict[str, str]:
    """The numbered headings of the front parts as the form shows them (``1. 연혁`` …), by part key."""
    headed = [part for part in template.FRONT_PARTS if part.heading]
    return {part.key: f"{n}. {part.heading}" for n, part in enumerate(headed, start=1)}


def _cover_order(part: Part) -> int:
    return 2 if part.kind is PartKind.DATE else 1 if part.key in MULTILINE_COVER else 0


def cover_label(part: Part) -> str:
    return f"{part.label} (줄마다)" if part.key in MULTILINE_COVER else part.label


def simple_table_columns(table: SimpleTable) -> list[str]:
    """Column labels for placing problems: the last header row's label, else the first's."""
    width = max([len(r) for r in [*table.header, *table.rows]] or [1])
    top = table.header[0] if table.header else []
    last = table.header[-1] if table.header else []
    labels = []
    for i in range(width):
        label = (last[i] if i < len(last) else "") or (top[i] if i < len(top) else "")
        labels.append(label or f"{i + 1}열")
    return labels


def summary_rows(report: Report) -> list[list[str]]:
    """주요업무별 예산 내역 as computed from the programs (what the report prints)."""
    rows = []
    for program in report.programs():
        if program.budget is None:
            rows.append([program.code, program.title, *([""] * (len(SUMMARY_COLUMNS) - 2))])
            continue
        total = program.budget.total()
        rows.append([program.code, program.title, *(cell.format() for cell in total.cells())])
    return rows


class FrontForm(QWidget):
    """Binds to the front matter's :class:`EditSession` (its target is the :class:`Report`).

    Built from the template: the cover parts as a form of fields, then the
    front parts in order, each with the editor its kind needs.
    """

    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session: EditSession | None = None
        self.banner = Banner()
        content = QWidget()
        self._body = QVBoxLayout(content)
        self._body.setContentsMargins(12, 4, 16, 24)
        self.content = content
        self.headings: dict[str, SectionHeading] = {}
        self.cover_fields: dict[str, LineField] = {}
        self.plain_fields: dict[str, PlainTextField] = {}
        self.captions: dict[str, LineField] = {}
        self.tables: dict[str, RowsEditor] = {}
        self.outlines: dict[str, OutlineEditor] = {}
        self._add_cover()
        numbered = front_headings()
        for part in template.FRONT_PARTS:
            if part.key in numbered:
                self.headings[part.key] = SectionHeading(numbered[part.key])
                self._body.addWidget(self.headings[part.key])
            self._add_part(part)
        self._body.addStretch(1)
        self.scroll_area = scroll_area(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(title_label(FRONT_LABEL))
        layout.addWidget(self.scroll_area, 1)

    @property
    def staffing_notes(self) -> OutlineEditor:
        return self.outlines[template.STAFFING_NOTES.key]

    def _add_cover(self) -> None:
        self.headings[COVER_KEY] = SectionHeading(COVER_HEADING)
        self._body.addWidget(self.headings[COVER_KEY])
        cover = QFormLayout()
        # One-line fields first, then the taller ones, the date last: a compact block as on the cover.
        for part in sorted(template.COVER_PARTS, key=_cover_order):
            if part.kind is PartKind.DATE:
                self.as_of = LineField()
                self.as_of.setPlaceholderText("'24.6.30.")
                self.as_of.editingFinished.connect(partial(self._on_date_finished, part))
                cover.addRow(part.label, self.as_of)
            elif part.key in MULTILINE_COVER:
                field = PlainTextField()
                field.setFixedHeight(64)
                field.textChanged.connect(partial(self._on_plain_changed, part, field))
                self.plain_fields[part.key] = field
                cover.addRow(cover_label(part), field)
            else:
                line = LineField()
                line.textEdited.connect(partial(self._on_text_edited, part, line))
                self.cover_fields[part.key] = line
                cover.addRow(cover_label(part), line)
        self._body.addLayout(cover)

    def _add_part(self, part: Part) -> None:
        body = self._body
        if part.kind is PartKind.HISTORY:
            self.history = RowsEditor(HISTORY_COLUMNS, stretch=1, widths=[130])
            self.history.changed.connect(partial(self._on_history_changed, part))
            body.addWidget(self.history)
        elif part.kind is PartKind.TEXT:
            field = PlainTextField()
            field.setFixedHeight(90)
            field.textChanged.connect(partial(self._on_plain_changed, part, field))
            self.plain_fields[part.key] = field
            body.addWidget(field)
        elif part.kind is PartKind.TABLE:
            line = LineField()
            line.setPlaceholderText(TABLE_CAPTION_HINT)
            line.textEdited.connect(partial(self._on_caption_edited, part.key))
            self.captions[part.key] = line
            body.addWidget(line)
            table = RowsEditor(("1열",), numeric_right=True, show_header=False, stretch=None)
            table.changed.connect(partial(self._on_table_changed, part.key))
            self.tables[part.key] = table
            body.addWidget(table)
        elif part.kind is PartKind.OUTLINE:
            # Notes under the table above (정·현원 주석).
            body.addWidget(caption(NOTES_HINT))
            editor = OutlineEditor(default_level=0, default_kind=ItemKind.NOTE)
            editor.edited.connect(partial(self._on_notes_edited, part, editor))
            self.outlines[part.key] = editor
            body.addWidget(editor)
        elif part.kind is PartKind.SUMMARY:
            note = QLabel(SUMMARY_NOTE)
            note.setWordWrap(True)
            note.setStyleSheet("QLabel { color: #666666; }")
            body.addWidget(note)
            self.summary = RowsEditor(SUMMARY_COLUMNS, numeric_right=True, stretch=1, widths=[52])
            self.summary.set_editable(False)
            for button in (
                self.summary.add_button,
                self.summary.remove_button,
                self.summary.up_button,
                self.summary.down_button,
            ):
                button.setVisible(False)
            body.addWidget(self.summary)

    # ------------------------------------------------------------------ binding

    @property
    def session(self) -> EditSession | None:
        return self._session

    def set_session(self, session: EditSession) -> None:
        if self._session is not None:
            self._session.changed.disconnect(self._on_session_changed)
        self._session = session
        session.changed.connect(self._on_session_changed)
        self.banner.show_text(session.readonly_reason)
        for key in session.fields():
            self._refresh(key)
        self.refresh_summary()
        editable = not session.readonly
        for field in [*self.cover_fields.values(), *self.captions.values(), self.as_of]:
            field.setReadOnly(not editable)
        for plain in self.plain_fields.values():
            plain.setReadOnly(not editable)
        for editor in [self.history, *self.tables.values()]:
            editor.set_editable(editable)
        for outline in self.outlines.values():
            outline.set_editable(editable)
        self.scroll_area.verticalScrollBar().setValue(0)

    def refresh_summary(self) -> None:
        """Recompute 주요업무별 예산 내역 from the programs (call after program edits)."""
        report = self._report()
        if report is not None:
            self.summary.set_rows(summary_rows(report))

    def set_problems(self, problems: Sequence[Problem]) -> None:
        by_section: dict[str, list[Problem]] = {}
        for problem in problems:
            by_section.setdefault(problem.section, []).append(problem)
        for key, table in self.tables.items():
            table.set_problems(by_section.get(key, []))
        report = self._report()
        summary = by_section.get(template.BUDGET_SUMMARY.key, [])
        if report is not None:
            # The rule counts printed rows; the table here lists the programs: place by program code.
            codes = [p.code for p in report.programs()]
            summary = [
                dataclasses.replace(p, row=codes.index(p.program) + 1) if p.program in codes else p for p in summary
            ]
        self.summary.set_problems(summary)
        for key, heading in self.headings.items():
            heading.set_problems(by_section.get(key, []))

    def focus_place(
        self, section: str, row: int | None = None, column: str = "", *, start: int = 0, length: int = 0
    ) -> bool:
        part = template.find_part(section)
        widget: QWidget | None = None
        if part is None:
            return False
        if section in self.tables:
            self.tables[section].focus_cell(row, column)
            widget = self.tables[section]
        elif part.kind is PartKind.HISTORY:
            self.history.focus_cell(row, column)
            widget = self.history
        elif section in self.outlines:
            outline = self.outlines[section]
            if row is None or not outline.select_item(row, start, length):
                outline.setFocus()
            widget = outline
        elif section in self.plain_fields:
            self.plain_fields[section].setFocus()
            widget = self.plain_fields[section]
        elif part.kind is PartKind.SUMMARY:
            self.summary.focus_cell(row, column)
            widget = self.summary
        elif section in self.cover_fields:
            self.cover_fields[section].setFocus()
            if length:
                self.cover_fields[section].setSelection(start, length)
            widget = self.cover_fields[section]
        if widget is None:
            return False
        point = widget.mapTo(self.content, QPoint(0, 0))
        self.scroll_area.ensureVisible(point.x(), point.y() + min(widget.height(), 200) // 2, 20, 80)
        return True

    # ------------------------------------------------------------------ internals

    def _report(self) -> Report | None:
        target = self._session.target if self._session is not None else None
        return target if isinstance(target, Report) else None

    def _refresh(self, key: str, source: object = None) -> None:
        session = self._session
        if session is None:
            return
        value = session.get(key)
        kind = template.part(key).kind
        if key in self.cover_fields:
            if source is not self.cover_fields[key]:
                self.cover_fields[key].set_text_keeping_cursor(value)
        elif key in self.plain_fields:
            if source is not self.plain_fields[key]:
                self._set_plain(self.plain_fields[key], value)
        elif kind is PartKind.DATE:
            if not self.as_of.hasFocus():
                self.as_of.setText(format_as_of(value))
        elif kind is PartKind.HISTORY:
            self.history.set_rows([[e.date, e.text] for e in value])
        elif key in self.outlines:
            if source is not self.outlines[key]:
                self.outlines[key].set_outline(value)
        elif key in self.tables:
            table: SimpleTable = value
            if source is not self.captions[key]:
                self.captions[key].set_text_keeping_cursor(table.caption)
            editor = self.tables[key]
            editor.set_columns(simple_table_columns(table))
            editor.set_rows([*table.header, *table.rows], header_rows=len(table.header))

    def _set_plain(self, field: PlainTextField, text: str) -> None:
        field.blockSignals(True)
        try:
            field.set_text_keeping_cursor(text)
        finally:
            field.blockSignals(False)

    def _on_session_changed(self, key: str, source: object) -> None:
        self._refresh(key, source)

    def _change(self, key: str, value: object, text: str, *, merge: bool, source: object = None) -> None:
        session = self._session
        if session is None:
            return
        if not session.change(key, value, text, merge=merge, source=source) and session.readonly:
            self._refresh(key)
            self.message.emit(session.readonly_reason)

    def _on_text_edited(self, part: Part, field: LineField, text: str) -> None:
        self._change(part.key, text, f"{part.label} 입력", merge=True, source=field)

    def _on_plain_changed(self, part: Part, field: PlainTextField) -> None:
        self._change(part.key, field.toPlainText(), f"{part.label} 입력", merge=True, source=field)

    def _on_date_finished(self, part: Part) -> None:
        report = self._report()
        if report is None or self.as_of.isReadOnly():
            return
        from seri_desktop.formats.text_import import parse_as_of

        text = self.as_of.text().strip()
        date: dt.date | None = parse_as_of(text, report.year) if text else None
        if text and date is None:
            reason = f"{part.label} '{text}'을(를) 읽을 수 없습니다. '24.6.30. 처럼 적으십시오. 저장하지 않았습니다."
            self.as_of.set_problems([Problem("input", Severity.ERROR, reason)])
            self.message.emit(reason)
            return
        self.as_of.set_problems([])
        self._change(part.key, date, f"{part.label} 수정", merge=False)

    def _on_history_changed(self, part: Part, rows: list[list[str]], text: str, structural: bool) -> None:
        entries = [HistoryEntry(date=row[0], text=row[1]) for row in rows]
        self._change(part.key, entries, f"{part.label} {text}", merge=False)

    def _on_caption_edited(self, key: str, text: str) -> None:
        session = self._session
        if session is None:
            return
        table: SimpleTable = session.get(key)
        new = SimpleTable(caption=text, header=table.header, rows=table.rows)
        self._change(key, new, "표 단위 수정", merge=True, source=self.captions[key])

    def _on_table_changed(self, key: str, rows: list[list[str]], text: str, structural: bool) -> None:
        session = self._session
        if session is None:
            return
        table: SimpleTable = session.get(key)
        count = self.tables[key].model.header_rows
        new = SimpleTable(caption=table.caption, header=rows[:count], rows=rows[count:])
        self._change(key, new, f"표 {text}", merge=False)

    def _on_notes_edited(self, part: Part, editor: OutlineEditor, outline: Outline, structural: bool) -> None:
        text = f"{part.label} {'구조 변경' if structural else '입력'}"
        self._change(part.key, outline, text, merge=not structural, source=editor)
