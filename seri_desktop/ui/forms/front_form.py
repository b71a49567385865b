"""I. 일반 현황 for the planning office: the cover fields, 연혁, 조직, the tables and their notes.

주요업무별 예산 내역 is shown computed from the programs' budgets and is not
editable: the report derives it (PRODUCT §2), so it cannot disagree with
the programs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QPoint, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from seri_desktop.domain.model import HistoryEntry, ItemKind, Outline, Report, SimpleTable
from seri_desktop.domain.rules import Problem, Severity
from seri_desktop.formats import text_format as tf
from seri_desktop.ui.editing import EditSession
from seri_desktop.ui.forms.program_form import Banner
from seri_desktop.ui.widgets.budget_editor import format_as_of
from seri_desktop.ui.widgets.fields import LineField, PlainTextField, SectionHeading
from seri_desktop.ui.widgets.outline_editor import OutlineEditor
from seri_desktop.ui.widgets.rows_editor import RowsEditor

COVER_FIELDS: dict[str, str] = {
    "cover.title": "제목",
    "cover.meeting": "회의",
    "cover.committee": "위원회",
    "cover.date_label": "날짜 표기",
    "cover.institute": "기관",
}
TABLE_FIELDS = ("front.staffing", "front.facilities", "front.budget_overview")
SUMMARY_COLUMNS = ("번호", "주요업무명", "예산액", "전년 예산액", "1분기", "2분기", "3분기", "4분기")


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
            rows.append([program.code, program.title, "", "", "", "", "", ""])
            continue
        total = program.budget.total()
        rows.append([program.code, program.title, *(cell.format() for cell in total.cells())])
    return rows


class FrontForm(QWidget):
    """Binds to the front matter's :class:`EditSession` (its target is the :class:`Report`)."""

    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session: EditSession | None = None
        self.banner = Banner()
        title = QLabel("I. 일반 현황")
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 3)
        title.setFont(font)

        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(12, 4, 16, 24)
        self.content = content
        self.headings: dict[str, SectionHeading] = {}

        self.headings["cover"] = SectionHeading("표지")
        body.addWidget(self.headings["cover"])
        cover = QFormLayout()
        self.cover_fields: dict[str, LineField] = {}
        for key, label in COVER_FIELDS.items():
            field = LineField()
            field.textEdited.connect(partial(self._on_text_edited, key, field))
            self.cover_fields[key] = field
            cover.addRow(label, field)
        self.subtitle = PlainTextField()
        self.subtitle.setFixedHeight(64)
        self.subtitle.textChanged.connect(partial(self._on_plain_changed, "cover.subtitle", self.subtitle))
        cover.addRow("표어 (줄마다)", self.subtitle)
        self.as_of = LineField()
        self.as_of.setPlaceholderText("'24.6.30.")
        self.as_of.editingFinished.connect(self._on_as_of_finished)
        cover.addRow("기준일", self.as_of)
        body.addLayout(cover)

        self.headings["front.history"] = SectionHeading(tf.FRONT_HEADINGS["history"])
        body.addWidget(self.headings["front.history"])
        self.history = RowsEditor(("날짜", "내용"), stretch=1, widths=[130])
        self.history.changed.connect(self._on_history_changed)
        body.addWidget(self.history)

        self.headings["front.organization"] = SectionHeading(tf.FRONT_HEADINGS["organization"])
        body.addWidget(self.headings["front.organization"])
        self.organization = PlainTextField()
        self.organization.setFixedHeight(90)
        self.organization.textChanged.connect(partial(self._on_plain_changed, "front.organization", self.organization))
        body.addWidget(self.organization)

        self.captions: dict[str, LineField] = {}
        self.tables: dict[str, RowsEditor] = {}
        for key, heading in (
            ("front.staffing", tf.FRONT_HEADINGS["staffing"]),
            ("front.facilities", tf.FRONT_HEADINGS["facilities"]),
            ("front.budget_overview", tf.FRONT_HEADINGS["budget_overview"]),
        ):
            self.headings[key] = SectionHeading(heading)
            body.addWidget(self.headings[key])
            caption = LineField()
            caption.setPlaceholderText("(단위: 명, '24.9.1.기준)")
            caption.textEdited.connect(partial(self._on_caption_edited, key))
            self.captions[key] = caption
            body.addWidget(caption)
            table = RowsEditor(("1열",), numeric_right=True, show_header=False, stretch=None)
            table.changed.connect(partial(self._on_table_changed, key))
            self.tables[key] = table
            body.addWidget(table)
            if key == "front.staffing":
                notes_caption = QLabel("표 아래 주석 (※)")
                notes_caption.setStyleSheet("QLabel { color: #777777; }")
                body.addWidget(notes_caption)
                self.staffing_notes = OutlineEditor(default_level=0, default_kind=ItemKind.NOTE)
                self.staffing_notes.edited.connect(self._on_notes_edited)
                body.addWidget(self.staffing_notes)

        self.headings["front.budget_summary"] = SectionHeading(tf.FRONT_HEADINGS["budget_summary"])
        body.addWidget(self.headings["front.budget_summary"])
        note = QLabel(
            "각 사업의 예산 집행 계획에서 계산합니다. 여기서는 고치지 않습니다(쪽수는 PDF를 만들 때 정해집니다)."
        )
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
        body.addStretch(1)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(title)
        layout.addWidget(self.scroll_area, 1)

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
        self.subtitle.setReadOnly(not editable)
        self.organization.setReadOnly(not editable)
        self.history.set_editable(editable)
        for table in self.tables.values():
            table.set_editable(editable)
        self.staffing_notes.set_editable(editable)
        self.scroll_area.verticalScrollBar().setValue(0)

    def refresh_summary(self) -> None:
        """Recompute 주요업무별 예산 내역 from the programs (call after program edits)."""
        report = self._session.target if self._session is not None else None
        if isinstance(report, Report):
            self.summary.set_rows(summary_rows(report))

    def set_problems(self, problems: Sequence[Problem]) -> None:
        by_section: dict[str, list[Problem]] = {}
        for problem in problems:
            by_section.setdefault(problem.section, []).append(problem)
        for key, table in self.tables.items():
            table.set_problems(by_section.get(key, []))
        report = self._session.target if self._session is not None else None
        summary = by_section.get("front.budget_summary", [])
        if isinstance(report, Report):
            # The rule counts printed rows; the table here lists the programs: place by program code.
            codes = [p.code for p in report.programs()]
            summary = [
                Problem(p.rule, p.severity, p.message, p.program, p.section, codes.index(p.program) + 1, p.column)
                if p.program in codes
                else p
                for p in summary
            ]
        self.summary.set_problems(summary)
        for key, heading in self.headings.items():
            heading.set_problems(by_section.get(key, []))

    def focus_place(
        self, section: str, row: int | None = None, column: str = "", *, start: int = 0, length: int = 0
    ) -> bool:
        widget: QWidget | None = None
        if section in self.tables:
            self.tables[section].focus_cell(row, column)
            widget = self.tables[section]
        elif section == "front.history":
            self.history.focus_cell(row, column)
            widget = self.history
        elif section == "front.staffing_notes":
            if row is None or not self.staffing_notes.select_item(row, start, length):
                self.staffing_notes.setFocus()
            widget = self.staffing_notes
        elif section == "front.organization":
            self.organization.setFocus()
            widget = self.organization
        elif section == "front.budget_summary":
            self.summary.focus_cell(row, column)
            widget = self.summary
        elif section.startswith("cover.") and section in self.cover_fields:
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
        if key in self.cover_fields:
            if source is not self.cover_fields[key]:
                self.cover_fields[key].set_text_keeping_cursor(value)
        elif key == "cover.subtitle":
            if source is not self.subtitle:
                self._set_plain(self.subtitle, value)
        elif key == "cover.as_of":
            if not self.as_of.hasFocus():
                self.as_of.setText(format_as_of(value))
        elif key == "front.history":
            self.history.set_rows([[e.date, e.text] for e in value])
        elif key == "front.organization":
            if source is not self.organization:
                self._set_plain(self.organization, value)
        elif key == "front.staffing_notes":
            if source is not self.staffing_notes:
                self.staffing_notes.set_outline(value)
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

    def _on_text_edited(self, key: str, field: LineField, text: str) -> None:
        self._change(key, text, f"{COVER_FIELDS[key]} 입력", merge=True, source=field)

    def _on_plain_changed(self, key: str, field: PlainTextField) -> None:
        label = "표어" if key == "cover.subtitle" else "조직"
        self._change(key, field.toPlainText(), f"{label} 입력", merge=True, source=field)

    def _on_as_of_finished(self) -> None:
        report = self._report()
        if report is None or self.as_of.isReadOnly():
            return
        from seri_desktop.formats.text_import import parse_as_of

        text = self.as_of.text().strip()
        date: dt.date | None = parse_as_of(text, report.year) if text else None
        if text and date is None:
            reason = f"기준일 '{text}'을(를) 읽을 수 없습니다. '24.6.30. 처럼 적으십시오. 저장하지 않았습니다."
            self.as_of.set_problems([Problem("input", Severity.ERROR, reason)])
            self.message.emit(reason)
            return
        self.as_of.set_problems([])
        self._change("cover.as_of", date, "기준일 수정", merge=False)

    def _on_history_changed(self, rows: list[list[str]], text: str, structural: bool) -> None:
        entries = [HistoryEntry(date=row[0], text=row[1]) for row in rows]
        self._change("front.history", entries, f"연혁 {text}", merge=False)

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

    def _on_notes_edited(self, outline: Outline, structural: bool) -> None:
        self._change(
            "front.staffing_notes",
            outline,
            f"정·현원 주석 {'구조 변경' if structural else '입력'}",
            merge=not structural,
            source=self.staffing_notes,
        )
