"""The program form: the standard template's sections in order, with the headings as printed.

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

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from seri_desktop.domain.model import ItemKind, Outline, Program
from seri_desktop.domain.rules import Problem
from seri_desktop.formats import text_format as tf
from seri_desktop.ui.editing import EditSession
from seri_desktop.ui.widgets.budget_editor import BudgetEditor
from seri_desktop.ui.widgets.fields import LineField, SectionHeading
from seri_desktop.ui.widgets.outline_editor import OutlineEditor
from seri_desktop.ui.widgets.targets_editor import TargetsEditor

# Outline fields of the template in order, with what the undo step is called.
OUTLINE_LABELS: dict[str, str] = {
    "overview.lead": "사업 개요 머리글",
    "overview.purpose": "목적",
    "overview.basis": "근거",
    "overview.contents": "주요 내용",
    "previous_achievements": "전년도 추진 실적",
    "plan.improvements": "주요 개선 사항",
    "plan.items": "추진 계획",
    "achievements": "추진 실적",
    "schedule": "추진 일정",
    "budget.notes": "예산 주석",
    "issues": "문제점 및 애로 사항",
}
SUMMARY_TITLE_COLUMN = "주요업무명"


def placed_section(problem: Problem) -> str:
    """Where in the program form a problem is shown.

    The summary table (주요업무별 예산 내역) is derived from the program: a
    title that differs there is shown at the title, an amount that differs at
    the budget's 계 row, where the program's figure is.
    """
    if problem.section == "front.budget_summary":
        return "title" if problem.column == SUMMARY_TITLE_COLUMN else "budget.total"
    return problem.section


def section_group(problem: Problem) -> str:
    """The template section a problem belongs to (``overview.purpose`` → ``overview``); else the title."""
    head = placed_section(problem).split(".", 1)[0]
    return head if head in tf.SECTION_TITLES else "title"


class Banner(QLabel):
    """A coloured line above the form: read-only, locked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setVisible(False)
        self.setStyleSheet(
            "QLabel { background: #fff4d6; border: 1px solid #e6c36a; border-radius: 3px; padding: 6px 8px; }"
        )

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class ProgramForm(QWidget):
    """See the module docstring."""

    message = Signal(str)  # for the status bar (e.g. why an amount was refused)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session: EditSession | None = None
        self._year = 0
        self._problems: list[Problem] = []

        self.banner = Banner()
        self.code_label = QLabel()
        font = self.code_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 3)
        self.code_label.setFont(font)
        self.title = LineField()
        self.title.setFont(font)
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
        body = QVBoxLayout(self.content)
        body.setContentsMargins(12, 4, 16, 24)
        body.setSpacing(4)
        self.headings: dict[str, SectionHeading] = {}
        self.subheadings: dict[str, SectionHeading] = {}
        self.editors: dict[str, OutlineEditor] = {}

        def heading(key: str, text: str) -> None:
            self.headings[key] = SectionHeading(f"{tf.SECTION_MARK} {text}")
            body.addWidget(self.headings[key])

        def subheading(key: str, text: str) -> None:
            self.subheadings[key] = SectionHeading(text, level=1)
            body.addWidget(self.subheadings[key])

        def outline(key: str, *, kind: ItemKind = ItemKind.ITEM, level: int = 1, hint: str = "") -> None:
            if hint:
                caption = QLabel(hint)
                caption.setStyleSheet("QLabel { color: #777777; }")
                body.addWidget(caption)
            editor = OutlineEditor(default_level=level, default_kind=kind)
            editor.setObjectName(f"outline:{key}")
            editor.edited.connect(partial(self._on_outline_edited, key, editor))
            editor.cursorPositionChanged.connect(partial(self._follow_cursor, editor))
            self.editors[key] = editor
            body.addWidget(editor)

        heading("overview", tf.SECTION_TITLES[tf.SECTION_OVERVIEW])
        outline("overview.lead", kind=ItemKind.TEXT, level=0, hint="머리글 (선택: 목적 앞에 싣는 글)")
        for key, sub in (("purpose", "목적"), ("basis", "근거"), ("contents", "주요 내용")):
            subheading(f"overview.{key}", f"○ {sub}")
            outline(f"overview.{key}")
        heading("previous_achievements", tf.previous_achievements_heading(2024))
        outline("previous_achievements", level=0)
        heading("targets", tf.SECTION_TITLES[tf.SECTION_TARGETS])
        self.targets_editor = TargetsEditor()
        self.targets_editor.changed.connect(partial(self._on_value_changed, "targets"))
        body.addWidget(self.targets_editor)
        heading("plan", tf.SECTION_TITLES[tf.SECTION_PLAN])
        subheading("plan.improvements", tf.improvements_heading(2024))
        outline("plan.improvements")
        outline("plan.items", hint="추진 계획 본문")
        heading("achievements", tf.SECTION_TITLES[tf.SECTION_ACHIEVEMENTS])
        outline("achievements")
        heading("schedule", tf.SECTION_TITLES[tf.SECTION_SCHEDULE])
        outline("schedule")
        heading("budget", tf.SECTION_TITLES[tf.SECTION_BUDGET])
        self.budget_editor = BudgetEditor()
        self.budget_editor.changed.connect(partial(self._on_value_changed, "budget"))
        self.budget_editor.message.connect(self.message)
        body.addWidget(self.budget_editor)
        self.budget_notes_caption = QLabel("표 아래 주석 (※)")
        self.budget_notes_caption.setStyleSheet("QLabel { color: #777777; }")
        body.addWidget(self.budget_notes_caption)
        outline("budget.notes", kind=ItemKind.NOTE, level=0)
        heading("issues", tf.SECTION_TITLES[tf.SECTION_ISSUES] + " (선택)")
        outline("issues")
        body.addStretch(1)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.content)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

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
        self.headings["previous_achievements"].set_text(f"{tf.SECTION_MARK} {tf.previous_achievements_heading(year)}")
        self.subheadings["plan.improvements"].set_text(tf.improvements_heading(year))
        self.code_label.setText(program.code)
        self.info_label.setText(info)
        self.banner.show_text(session.readonly_reason)
        self.budget_editor.set_defaults(unit, as_of)
        self.setUpdatesEnabled(False)
        try:
            for key in session.fields():
                self._refresh(key)
            self.budget_editor.model.clear_rejected()
            editable = not session.readonly
            self.title.setReadOnly(not editable)
            for editor in self.editors.values():
                editor.set_editable(editable)
            self.targets_editor.set_editable(editable)
            self.budget_editor.set_editable(editable)
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
            found = list(by_section.get(key, []))
            if key == "overview.lead":
                found += by_section.get("overview", [])
            if key == "plan.items":
                found += by_section.get("plan", [])
            editor.set_problems(found)
        self.targets_editor.set_problems(by_section.get("targets", []))
        total = [dataclasses.replace(p, section="budget.total") for p in by_section.get("budget.total", [])]
        self.budget_editor.set_problems([*by_section.get("budget", []), *total])
        self.title.set_problems([p for p in problems if section_group(p) == "title"])
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
        if section in ("overview",):
            section = "overview.lead"
        if section == "plan":
            section = "plan.items"
        editor = self.editors.get(section)
        if editor is not None and editor.isVisible():
            if row is not None and editor.select_item(row, start, length):
                self._ensure_visible(editor, editor.item_rect(row).center())
            else:
                editor.setFocus(Qt.FocusReason.OtherFocusReason)
                self._ensure_visible(editor, QPoint(0, 0))
            return True
        if section == "targets":
            self.targets_editor.focus_cell(row, column)
            self._ensure_visible(self.targets_editor, QPoint(0, 0), self.targets_editor.height())
            return True
        if section in ("budget", "budget.total"):
            self.budget_editor.focus_cell(row, column, section)
            self._ensure_visible(self.budget_editor, QPoint(0, 0), self.budget_editor.height())
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
        if key == "title":
            if source is not self.title:
                self.title.set_text_keeping_cursor(value)
        elif key == "targets":
            self.targets_editor.set_targets(value)
        elif key == "budget":
            self.budget_editor.set_budget(value, self._year)
            present = value is not None
            self.budget_notes_caption.setVisible(present)
            self.editors["budget.notes"].setVisible(present)
            if present and source is not self.editors["budget.notes"]:
                self.editors["budget.notes"].set_outline(value.notes)
        elif key in self.editors:
            editor = self.editors[key]
            if source is not editor:
                editor.set_outline(value)

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
        self._change("title", text, "사업명 입력", merge=True, source=self.title)

    def _on_outline_edited(self, key: str, editor: OutlineEditor, outline: Outline, structural: bool) -> None:
        label = OUTLINE_LABELS[key]
        self._change(
            key, outline, f"{label} {'구조 변경' if structural else '입력'}", merge=not structural, source=editor
        )

    def _on_value_changed(self, key: str, value: object, text: str, merge: bool) -> None:
        self._change(key, value, text, merge=merge, source=None)

    def _follow_cursor(self, editor: OutlineEditor) -> None:
        if editor.hasFocus():
            self._ensure_visible(editor, editor.cursorRect().center())

    def _ensure_visible(self, widget: QWidget, point: QPoint, height: int = 0) -> None:
        mapped = widget.mapTo(self.content, point)
        margin = 60 if not height else min(height // 2 + 20, self.scroll_area.viewport().height() // 2)
        self.scroll_area.ensureVisible(mapped.x(), mapped.y() + (height // 2 if height else 0), 20, margin)
