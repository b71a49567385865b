"""Section II for one department: the template's section II parts (성과, 한계, 개선 방향), each an outline."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from seri_desktop.domain import template
from seri_desktop.domain.model import Department, Outline
from seri_desktop.domain.rules import Problem
from seri_desktop.domain.template import Part
from seri_desktop.ui.editing import EditSession
from seri_desktop.ui.forms.common import Banner, scroll_area, section_heading_text, title_label
from seri_desktop.ui.rows import EVALUATION_LABEL
from seri_desktop.ui.widgets.fields import SectionHeading
from seri_desktop.ui.widgets.outline_editor import OutlineEditor


class DepartmentForm(QWidget):
    """Binds to a department's :class:`EditSession`; see :class:`ProgramForm` for the pattern."""

    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session: EditSession | None = None
        self.banner = Banner()
        self.title = title_label()

        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(12, 4, 16, 24)
        self.headings: dict[str, SectionHeading] = {}
        self.editors: dict[str, OutlineEditor] = {}
        for part in template.SECTION_II_PARTS:
            heading = SectionHeading(section_heading_text(part.heading))
            editor = OutlineEditor(default_level=1)
            editor.setObjectName(f"outline:{part.key}")
            editor.edited.connect(partial(self._on_edited, part, editor))
            self.headings[part.key] = heading
            self.editors[part.key] = editor
            body.addWidget(heading)
            body.addWidget(editor)
        body.addStretch(1)
        self.content = content
        self.scroll_area = scroll_area(content)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.title)
        layout.addWidget(self.scroll_area, 1)

    @property
    def session(self) -> EditSession | None:
        return self._session

    def set_session(self, session: EditSession) -> None:
        if self._session is not None:
            self._session.changed.disconnect(self._on_session_changed)
        self._session = session
        session.changed.connect(self._on_session_changed)
        department = session.target
        assert isinstance(department, Department)
        self.title.setText(f"{EVALUATION_LABEL} — {department.name}")
        self.banner.show_text(session.readonly_reason)
        for key, editor in self.editors.items():
            editor.set_outline(session.get(key))
            editor.set_editable(not session.readonly)
        self.scroll_area.verticalScrollBar().setValue(0)

    def set_problems(self, problems: Sequence[Problem]) -> None:
        for key, editor in self.editors.items():
            found = [p for p in problems if p.section == key]
            editor.set_problems(found)
            self.headings[key].set_problems(found)

    def focus_place(
        self, section: str, row: int | None = None, column: str = "", *, start: int = 0, length: int = 0
    ) -> bool:
        editor = self.editors.get(section)
        if editor is None:
            return False
        if row is None or not editor.select_item(row, start, length):
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
        point = editor.mapTo(self.content, editor.item_rect(row).center() if row else QPoint(0, 0))
        self.scroll_area.ensureVisible(point.x(), point.y(), 20, 60)
        return True

    def _on_session_changed(self, key: str, source: object) -> None:
        editor = self.editors.get(key)
        if editor is not None and source is not editor and self._session is not None:
            editor.set_outline(self._session.get(key))

    def _on_edited(self, part: Part, editor: OutlineEditor, outline: Outline, structural: bool) -> None:
        session = self._session
        if session is None:
            return
        text = f"{part.label} {'구조 변경' if structural else '입력'}"
        if not session.change(part.key, outline, text, merge=not structural, source=editor) and session.readonly:
            editor.set_outline(session.get(part.key))
            self.message.emit(session.readonly_reason)
