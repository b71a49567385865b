"""The program form: the standard template's sections in order, with the headings as printed.

The layout is built by walking :data:`seri_desktop.domain.template.PROGRAM_SECTIONS`:
each section's heading (with the report's year), then its parts, a part
with a heading of its own under a sub-heading, each with the editor its kind
needs (outline, targets table, budget table). What the template does not
say (a caption, the level a new item starts at) is in :data:`LOOKS`, keyed
by part; a new section in the template shows up here without a change.

One form is built once and reused for every program (building ~15 editors
per switch would cost more than showing a program). :meth:`ProgramForm.set_session`
binds it to a program's :class:`~seri_desktop.ui.editing.EditSession`:
every widget is loaded from the program, and every edit goes back through
``session.change`` as one undoable step. The form reads the program only
through the session and never saves: the window's autosaver does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Final

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from seri_desktop.domain import template
from seri_desktop.domain.model import ItemKind, Outline, Program
from seri_desktop.domain.rules import Problem
from seri_desktop.domain.template import Part, PartKind, Section
from seri_desktop.ui.editing import EditSession
from seri_desktop.ui.forms.common import Banner, Look, caption, scroll_area, section_heading_text, title_label
from seri_desktop.ui.widgets.budget_editor import BudgetEditor
from seri_desktop.ui.widgets.fields import LineField, SectionHeading
from seri_desktop.ui.widgets.outline_editor import OutlineEditor
from seri_desktop.ui.widgets.targets_editor import TargetsEditor

# How the form shows particular parts; every other outline starts new items at level 1 (-).
LOOKS: Final[dict[str, Look]] = {
    template.OVERVIEW_LEAD.key: Look("머리글 (선택: 목적 앞에 싣는 글)", level=0, kind=ItemKind.TEXT),
    template.PREVIOUS_ACHIEVEMENTS.key: Look(level=0),
    template.PLAN_ITEMS.key: Look("추진 계획 본문"),
    template.BUDGET_NOTES.key: Look("표 아래 주석 (※)", level=0, kind=ItemKind.NOTE),
}
# Sections a finished program may leave empty: their heading says so.
OPTIONAL_SECTIONS: Final = frozenset({template.ISSUES.section})
# Sub-headings printed as a plain label; the others carry the first-level mark as printed (○ 목적).
PLAIN_SUBHEADINGS: Final = frozenset({template.PLAN_IMPROVEMENTS.key})
SUBHEADING_MARK: Final = "○"
SAMPLE_YEAR: Final = 2024  # the headings' year until a program is shown
SUMMARY_TITLE_COLUMN = "주요업무명"
TOTAL_PLACE: Final = "budget.total"  # the computed 계 row: a place, not a part (template.EXTRA_LABELS)
_SECTIONS: Final = {section.key: section for section in template.PROGRAM_SECTIONS}


def has_subheading(part: Part, section: Section) -> bool:
    """Whether ``part`` has a heading of its own under its section's (목적, 2024년 주요 개선 사항)."""
    return bool(part.heading) and part.heading != section.heading


def subheading_text(part: Part, year: int) -> str:
    text = part.heading_for(year)
    return text if part.key in PLAIN_SUBHEADINGS else f"{SUBHEADING_MARK} {text}"


def body_part(section: Section) -> Part:
    """The part printed right under the section heading: where problems about the whole section are shown."""
    return next((part for part in section.parts if not has_subheading(part, section)), section.parts[0])


def placed_section(problem: Problem) -> str:
    """Where in the program form a problem is shown.

    The summary table (주요업무별 예산 내역) is derived from the program: a
    title that differs there is shown at the title, an amount that differs at
    the budget's 계 row, where the program's figure is. A problem about a
    whole section is shown at the part printed right under its heading.
    """
    if problem.section == template.BUDGET_SUMMARY.key:
        return template.TITLE.key if problem.column == SUMMARY_TITLE_COLUMN else TOTAL_PLACE
    section = _SECTIONS.get(problem.section)
    return body_part(section).key if section is not None else problem.section


def section_group(problem: Problem) -> str:
    """The template section a problem belongs to (``overview.purpose`` → ``overview``); else the title."""
    place = placed_section(problem)
    part = template.find_part(place)
    if part is not None and part.owner is template.Owner.PROGRAM:
        return part.section
    head = place.split(".", 1)[0]
    return head if head in _SECTIONS else template.TITLE.key


class ProgramForm(QWidget):
    """See the module docstring."""

    message = Signal(str)  # for the status bar (e.g. why an amount was refused)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session: EditSession | None = None
        self._year = 0
        self._problems: list[Problem] = []

        self.banner = Banner()
        self.code_label = title_label()
        self.title = LineField()
        self.title.setFont(self.code_label.font())
        self.title.setPlaceholderText("사업명")
        self.title.textEdited.connect(self._on_title_edited)
        self.info_label = QLabel()
        self.info_label.setStyleSheet("QLabel { color: #555555; }")
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 12, 4)
        header.addWidget(self.code_label)
        header.addWidget(self.title, 1)
        header.addWidget(self.info_label)

        self.content = QWidget()
        self.content.setObjectName("programFormContent")
        self._body = QVBoxLayout(self.content)
        self._body.setContentsMargins(12, 4, 16, 24)
        self._body.setSpacing(4)
        self.headings: dict[str, SectionHeading] = {}
        self.subheadings: dict[str, SectionHeading] = {}
        self.editors: dict[str, OutlineEditor] = {}
        self.captions: dict[str, QLabel] = {}
        self.targets_editor = TargetsEditor()
        self.budget_editor = BudgetEditor()
        self.budget_editor.message.connect(self.message)
        self.targets_editor.message.connect(self.message)
        self._tables: dict[str, TargetsEditor | BudgetEditor] = {}
        for section in template.PROGRAM_SECTIONS:
            self._add_section(section)
        self._body.addStretch(1)
        self.scroll_area = scroll_area(self.content)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 0, 0)
        layout.addWidget(self.banner)
        layout.addLayout(header)
        # The office's review comments on this program (filled by the exchange actions; hidden when none).
        self.comments_box = QGroupBox("검토 의견")
        self.comments_label = QLabel()
        self.comments_label.setWordWrap(True)
        self.comments_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(self.comments_box).addWidget(self.comments_label)
        self.comments_box.setStyleSheet("QGroupBox { background: #eef4ff; }")
        self.comments_box.setVisible(False)
        layout.addWidget(self.comments_box)
        layout.addWidget(self.scroll_area, 1)

    def _add_section(self, section: Section) -> None:
        heading = SectionHeading(
            section_heading_text(section.heading_for(SAMPLE_YEAR), section.key in OPTIONAL_SECTIONS)
        )
        self.headings[section.key] = heading
        self._body.addWidget(heading)
        for part in section.parts:
            if has_subheading(part, section):
                self.subheadings[part.key] = SectionHeading(subheading_text(part, SAMPLE_YEAR), level=1)
                self._body.addWidget(self.subheadings[part.key])
            look = LOOKS.get(part.key, Look())
            if look.hint:
                self.captions[part.key] = caption(look.hint)
                self._body.addWidget(self.captions[part.key])
            if part.kind is PartKind.OUTLINE:
                editor = OutlineEditor(default_level=look.level, default_kind=look.kind)
                editor.setObjectName(f"outline:{part.key}")
                editor.edited.connect(partial(self._on_outline_edited, part, editor))
                editor.cursorPositionChanged.connect(partial(self._follow_cursor, editor))
                self.editors[part.key] = editor
                self._body.addWidget(editor)
            elif part.kind in (PartKind.TARGETS, PartKind.BUDGET):
                table = self.targets_editor if part.kind is PartKind.TARGETS else self.budget_editor
                table.changed.connect(partial(self._on_value_changed, part.key))
                self._tables[part.key] = table
                self._body.addWidget(table)

    # ------------------------------------------------------------------ binding

    @property
    def session(self) -> EditSession | None:
        return self._session

    def program(self) -> Program | None:
        target = self._session.target if self._session is not None else None
        return target if isinstance(target, Program) else None

    def set_session(
        self,
        session: EditSession,
        *,
        year: int,
        info: str = "",
        unit: str = "천원",
        as_of: dt.date | None = None,
    ) -> None:
        """Show the program of ``session``; ``info`` is the line right of the title (department, state)."""
        if self._session is not None:
            self._session.changed.disconnect(self._on_session_changed)
        self._session = session
        self._year = year
        session.changed.connect(self._on_session_changed)
        program = session.target
        assert isinstance(program, Program)
        for section in template.PROGRAM_SECTIONS:
            optional = section.key in OPTIONAL_SECTIONS
            self.headings[section.key].set_text(section_heading_text(section.heading_for(year), optional))
            for part in section.parts:
                if part.key in self.subheadings:
                    self.subheadings[part.key].set_text(subheading_text(part, year))
        self.code_label.setText(program.code)
        self.info_label.setText(info)
        self.banner.show_text(session.readonly_reason)
        self.budget_editor.set_defaults(unit, as_of)
        self.targets_editor.year = year
        self.setUpdatesEnabled(False)
        try:
            for key in session.fields():
                self._refresh(key)
            editable = not session.readonly
            self.title.setReadOnly(not editable)
            for editor in self.editors.values():
                editor.set_editable(editable)
            for table in self._tables.values():
                table.set_editable(editable)
        finally:
            self.setUpdatesEnabled(True)
        self.scroll_area.verticalScrollBar().setValue(0)

    def set_comments(self, lines: Sequence[str]) -> None:
        """Show review comments, one line each (place, text, author); no lines hides the box."""
        self.comments_label.setText("\n".join(f"• {line}" for line in lines))
        self.comments_box.setVisible(bool(lines))

    def set_problems(self, problems: Sequence[Problem]) -> None:
        """Mark the program's problems at their fields and cells and count them at the headings."""
        self._problems = list(problems)
        by_section: dict[str, list[Problem]] = {}
        for problem in problems:
            by_section.setdefault(placed_section(problem), []).append(problem)
        for key, editor in self.editors.items():
            editor.set_problems(by_section.get(key, []))
        self.targets_editor.set_problems(by_section.get(template.TARGETS.key, []))
        total = [dataclasses.replace(p, section=TOTAL_PLACE) for p in by_section.get(TOTAL_PLACE, [])]
        self.budget_editor.set_problems([*by_section.get(template.BUDGET.key, []), *total])
        self.title.set_problems([p for p in problems if section_group(p) == template.TITLE.key])
        for key, heading in self.headings.items():
            heading.set_problems([p for p in problems if section_group(p) == key])
        for key, heading in self.subheadings.items():
            heading.set_problems(by_section.get(key, []))

    def problems(self) -> list[Problem]:
        return list(self._problems)

    # ------------------------------------------------------------------ going to a place

    def focus_place(
        self, section: str, row: int | None = None, column: str = "", *, start: int = 0, length: int = 0
    ) -> bool:
        """Scroll to a problem's or search hit's place and put the cursor there."""
        whole = _SECTIONS.get(section)
        if whole is not None:
            section = body_part(whole).key
        editor = self.editors.get(section)
        if editor is not None and editor.isVisible():
            if row is not None and editor.select_item(row, start, length):
                self._ensure_visible(editor, editor.item_rect(row).center())
            else:
                editor.setFocus(Qt.FocusReason.OtherFocusReason)
                self._ensure_visible(editor, QPoint(0, 0))
            return True
        if section == template.TARGETS.key:
            self.targets_editor.focus_cell(row, column)
            self._show_cell(self.targets_editor, self.targets_editor.rows_editor.view)
            return True
        if section in (template.BUDGET.key, TOTAL_PLACE):
            self.budget_editor.focus_cell(row, column, section)
            self._show_cell(self.budget_editor, self.budget_editor.view)
            return True
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)
        if length:
            self.title.setSelection(start, length)
        return True

    # ------------------------------------------------------------------ internals

    def _refresh(self, key: str, source: object = None) -> None:
        session = self._session
        if session is None:
            return
        value = session.get(key)
        part = template.part(key)
        if part is template.TITLE:
            if source is not self.title:
                self.title.set_text_keeping_cursor(value)
        elif part is template.TARGETS:
            self.targets_editor.set_targets(value)
        elif part is template.BUDGET:
            self.budget_editor.set_budget(value, self._year)
            # Parts that live on the table (its notes) exist only while there is one.
            for child in template.PROGRAM_PARTS:
                if child.optional_parent == key:
                    self._show_part(child, value is not None)
                    if value is not None:
                        self._refresh(child.key, source)
        elif key in self.editors:
            editor = self.editors[key]
            if source is not editor:
                editor.set_outline(value)

    def _show_part(self, part: Part, visible: bool) -> None:
        for widget in (self.captions.get(part.key), self.editors.get(part.key)):
            if widget is not None:
                widget.setVisible(visible)

    def _on_session_changed(self, key: str, source: object) -> None:
        self._refresh(key, source)

    def _change(self, key: str, value: object, text: str, *, merge: bool, source: object) -> None:
        session = self._session
        if session is None:
            return
        if not session.change(key, value, text, merge=merge, source=source) and session.readonly:
            self._refresh(key)  # refused: show the stored value again
            self.message.emit(session.readonly_reason)

    def _on_title_edited(self, text: str) -> None:
        self._change(template.TITLE.key, text, "사업명 입력", merge=True, source=self.title)

    def _on_outline_edited(self, part: Part, editor: OutlineEditor, outline: Outline, structural: bool) -> None:
        text = f"{part.label_for(self._year)} {'구조 변경' if structural else '입력'}"
        self._change(part.key, outline, text, merge=not structural, source=editor)

    def _on_value_changed(self, key: str, value: object, text: str, merge: bool) -> None:
        self._change(key, value, text, merge=merge, source=None)

    def _follow_cursor(self, editor: OutlineEditor) -> None:
        if editor.hasFocus():
            self._ensure_visible(editor, editor.cursorRect().center())

    def _show_cell(self, editor: QWidget, view: QTableView) -> None:
        """The whole table when it fits in the view; else its current cell, with the header above it if it can."""
        room = self.scroll_area.viewport().height()
        current = view.currentIndex()
        if editor.height() <= room or not current.isValid():
            self._ensure_visible(editor, QPoint(0, 0), editor.height())
            return
        # Centring a table taller than the view hid the line a problem points to (2-5's first line, its 계 row).
        cell = view.visualRect(current)
        centre = view.viewport().mapTo(self.content, cell.center())
        margin = min(cell.height() // 2 + view.horizontalHeader().height() + 10, room // 2)
        self.scroll_area.ensureVisible(centre.x(), centre.y(), 20, margin)

    def _ensure_visible(self, widget: QWidget, point: QPoint, height: int = 0) -> None:
        mapped = widget.mapTo(self.content, point)
        margin = 60 if not height else min(height // 2 + 20, self.scroll_area.viewport().height() // 2)
        self.scroll_area.ensureVisible(mapped.x(), mapped.y() + (height // 2 if height else 0), 20, margin)
