"""The right side of the window: one page per kind of unit (program, section II, front matter) or a summary.

:meth:`FormStack.show_unit` binds the form of a unit's kind to its edit
session and shows it; a row without a form (the report, a chapter,
section II or III as a whole) gets a read-only summary page, and no report
at all the welcome page (:mod:`~seri_desktop.ui.forms.welcome_page`). The forms are
built once and reused: building ~15 editors per switch would cost more than
showing a program. Each form is built the first time it is needed, not with
the stack: building them (~15 editors) was most of what the window cost
before it could show itself (issue 17); ``formBuilt`` tells the window, which
gives a new form's buttons their Alt+letter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QTextBrowser, QWidget

from seri_desktop.domain.model import Program, Report
from seri_desktop.domain.rules import Problem
from seri_desktop.ui.editing import EditSession
from seri_desktop.ui.forms import summary_page
from seri_desktop.ui.forms.chapter_page import ChapterPage, Saver
from seri_desktop.ui.forms.department_form import DepartmentForm
from seri_desktop.ui.forms.front_form import FrontForm
from seri_desktop.ui.forms.program_form import ProgramForm
from seri_desktop.ui.forms.welcome_page import WelcomePage
from seri_desktop.ui.rows import RowKind, TreeRow, chapter_for_key

Form = ProgramForm | DepartmentForm | FrontForm
_F = TypeVar("_F", ProgramForm, DepartmentForm, FrontForm)


class FormStack(QStackedWidget):
    """The summary page and the three forms; ``message`` relays the forms' messages for the status bar."""

    message = Signal(str)
    formBuilt = Signal(QWidget)  # a form was built (the first time it was needed)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QTextBrowser()
        self.summary.setOpenLinks(False)
        self.welcome = WelcomePage()
        # A chapter's page: its programs and its author blocks, editable by the office.
        self.chapter_page = ChapterPage()
        self.chapter_page.message.connect(self.message)
        self._chapter_reason: Callable[[], str] = lambda: ""
        self.addWidget(self.summary)
        self.addWidget(self.welcome)
        self.addWidget(self.chapter_page)
        self._forms: dict[type[Form], Form] = {}
        self._comments: list[str] = []  # the program form's, kept until it is built

    def _built(self, kind: type[_F]) -> _F:
        form = self._forms.get(kind)
        if not isinstance(form, kind):
            form = kind()
            form.message.connect(self.message)
            self.addWidget(form)
            if isinstance(form, ProgramForm):
                form.set_comments(self._comments)
            self._forms[kind] = form
            self.formBuilt.emit(form)
        return form

    @property
    def program_form(self) -> ProgramForm:
        return self._built(ProgramForm)

    @property
    def department_form(self) -> DepartmentForm:
        return self._built(DepartmentForm)

    @property
    def front_form(self) -> FrontForm:
        return self._built(FrontForm)

    def set_comments(self, lines: Sequence[str]) -> None:
        """The review comments of the program shown (the program form's box), kept if it is not built yet."""
        self._comments = list(lines)
        form = self._forms.get(ProgramForm)
        if isinstance(form, ProgramForm):
            form.set_comments(self._comments)

    def pages(self) -> list[QWidget]:
        """Every page of the stack (the forms, built now if they were not yet, the welcome and summary pages)."""
        self._built(ProgramForm), self._built(DepartmentForm), self._built(FrontForm)
        return self.built_pages()

    def built_pages(self) -> list[QWidget]:
        """The pages built so far."""
        return [page for n in range(self.count()) if (page := self.widget(n)) is not None]

    def form(self) -> Form | None:
        """The form shown, if a form is."""
        current = self.currentWidget()
        return current if isinstance(current, Form) else None

    def show_html(self, html: str) -> None:
        self.summary.setHtml(html)
        self.setCurrentWidget(self.summary)

    def set_chapter_access(self, saver: Saver | None, reason: Callable[[], str]) -> None:
        """How the chapter page saves its author blocks, and why it may not ("" when it may)."""
        self.chapter_page.set_saver(saver)
        self._chapter_reason = reason

    def show_unit(self, report: Report | None, row: TreeRow | None, session: EditSession | None) -> None:
        """Show the form of ``session``'s unit, or the summary page of ``row`` (the welcome page without a report)."""
        ref = session.ref if session is not None else None
        if report is None:
            self.summary.setHtml(summary_page.paragraph(summary_page.EMPTY_MESSAGE))
            self.setCurrentWidget(self.welcome)
        elif row is not None and row.kind is RowKind.CHAPTER and (chapter := chapter_for_key(report, row.key)):
            self.chapter_page.set_chapter(report, chapter, self._chapter_reason())
            self.setCurrentWidget(self.chapter_page)
        elif session is None or ref is None:
            self.show_html(summary_page.page_for(report, row.kind if row else None, row.key if row else None))
        elif ref.is_program:
            program = session.target
            assert isinstance(program, Program)
            info = " · ".join(x for x in (program.department, row.state if row else "") if x)
            self.program_form.set_session(session, year=report.year, info=info, unit=report.unit, as_of=report.as_of)
            self.setCurrentWidget(self.program_form)
        elif ref.is_section_ii:
            self.department_form.set_session(session)
            self.setCurrentWidget(self.department_form)
        else:
            self.front_form.set_session(session)
            self.setCurrentWidget(self.front_form)

    def set_problems(self, problems: Sequence[Problem]) -> None:
        """Mark the shown unit's problems in its form (the front matter's summary is recomputed too)."""
        form = self.form()
        if form is not None:
            form.set_problems(problems)
        if isinstance(form, FrontForm):
            form.refresh_summary()

    def focus_place(
        self, section: str, row: int | None = None, column: str = "", *, start: int = 0, length: int = 0
    ) -> bool:
        """Put the cursor at a place in the shown form; ``True`` when there is no form to place it in."""
        form = self.form()
        return form.focus_place(section, row, column, start=start, length=length) if form is not None else True
