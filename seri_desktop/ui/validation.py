"""Live validation: the report's problems, kept per program and re-checked as the user types.

:class:`ProblemIndex` (plain Python) holds the problems: the program rules'
per program, the report rules' for the whole report. :class:`Validator`
keeps it current: a program edited is re-checked after a short pause
(``check_program``, ~0.2 ms), the report rules (front matter against the
programs, titles, numbering) after a longer one since they look at
everything; a freshly loaded report is checked program by program in small
batches from the event loop, so a 1,000-program report opens without
waiting for its check.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from seri_desktop.domain import template
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Report
from seri_desktop.domain.rules import RULES, Problem, Severity, check_program

PROGRAM_DELAY_MS = 150
REPORT_DELAY_MS = 800
BATCH = 40  # programs per event-loop turn while checking a freshly loaded report

SECTION_II_KEYS = frozenset(part.key for part in template.SECTION_II_PARTS)


@dataclass(frozen=True)
class Counts:
    """Errors and warnings of one place."""

    errors: int = 0
    warnings: int = 0

    @property
    def total(self) -> int:
        return self.errors + self.warnings


def count(problems: Iterable[Problem]) -> Counts:
    errors = warnings = 0
    for problem in problems:
        if problem.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
    return Counts(errors, warnings)


def is_front_problem(problem: Problem) -> bool:
    """Whether ``problem`` is in the front matter (I. 일반 현황), whose parts' keys carry ``front.``."""
    part = template.find_part(problem.section)
    return part is not None and part.owner is template.Owner.REPORT


def report_rule_problems(report: Report) -> list[Problem]:
    """The report rules only (``check_report`` would run every program rule again)."""
    problems: list[Problem] = []
    for rule in RULES.values():
        if rule.report_check is not None:
            problems.extend(rule.report_check(report))
    return problems


class ProblemIndex:
    """The report's problems by place (program code, department, front matter)."""

    def __init__(self) -> None:
        self._programs: dict[str, list[Problem]] = {}
        self._report: list[Problem] = []

    def clear(self) -> None:
        self._programs.clear()
        self._report = []

    def set_program(self, code: str, problems: list[Problem]) -> None:
        self._programs[code] = problems

    def set_report(self, problems: list[Problem]) -> None:
        self._report = problems

    def all(self) -> list[Problem]:
        """Every problem: the programs' in report order, then the report rules'."""
        return [*(p for ps in self._programs.values() for p in ps), *self._report]

    def for_program(self, code: str) -> list[Problem]:
        return [*self._programs.get(code, []), *(p for p in self._report if p.program == code)]

    def for_department(self, name: str) -> list[Problem]:
        """The problems in department ``name``'s section II (not those of its programs)."""
        return [p for p in self._report if not p.program and p.department == name and p.section in SECTION_II_KEYS]

    def for_front(self) -> list[Problem]:
        """The front matter's problems, with the import findings: the office resolves those (see rules.findings)."""
        return [p for p in self._report if is_front_problem(p) or p.finding]

    def for_ref(self, ref: ItemRef) -> list[Problem]:
        """The problems of an editable unit."""
        if ref.is_program:
            return self.for_program(ref.id)
        if ref.is_section_ii:
            return self.for_department(ref.id)
        return self.for_front()


class Validator(QObject):
    """Keeps a :class:`ProblemIndex` current for the report it is given."""

    # A program's problems changed (its code); "" when the report rules' did.
    updated = Signal(str)
    # Checking a freshly loaded report finished.
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.index = ProblemIndex()
        self._report: Report | None = None
        self._pending_programs: set[str] = set()
        self._queue: list[str] = []
        self.last_check_seconds = 0.0
        self._program_timer = QTimer(self)
        self._program_timer.setSingleShot(True)
        self._program_timer.setInterval(PROGRAM_DELAY_MS)
        self._program_timer.timeout.connect(self.run_pending)
        self._report_timer = QTimer(self)
        self._report_timer.setSingleShot(True)
        self._report_timer.setInterval(REPORT_DELAY_MS)
        self._report_timer.timeout.connect(self.check_report_rules)
        self._batch_timer = QTimer(self)
        self._batch_timer.setInterval(0)
        self._batch_timer.timeout.connect(self._check_batch)

    @property
    def program_delay_ms(self) -> int:
        return self._program_timer.interval()

    def set_report(self, report: Report | None, *, background: bool = True) -> None:
        """Check a new report: every program (in batches when ``background``) and the report rules."""
        self._program_timer.stop()
        self._report_timer.stop()
        self._batch_timer.stop()
        self._pending_programs.clear()
        self.index.clear()
        self._report = report
        if report is None:
            self._queue = []
            self.updated.emit("")
            self.finished.emit()
            return
        self._queue = [p.code for p in report.programs()]
        if background:
            self._batch_timer.start()
        else:
            while self._queue:
                self._check_batch()

    def busy(self) -> bool:
        return bool(self._queue) or self._batch_timer.isActive()

    def schedule_program(self, code: str) -> None:
        """Re-check program ``code`` after the typing pause, and the report rules after a longer one."""
        self._pending_programs.add(code)
        self._program_timer.start()
        self._report_timer.start()

    def schedule_report(self) -> None:
        self._report_timer.start()

    def run_pending(self) -> None:
        """Check the programs edited since the last check now (and cancel the wait)."""
        self._program_timer.stop()
        report = self._report
        codes, self._pending_programs = self._pending_programs, set()
        if report is None:
            return
        for code in codes:
            program = report.program(code)
            if program is None:
                continue
            start = time.perf_counter()
            problems = check_program(report, program)
            self.last_check_seconds = time.perf_counter() - start
            self.index.set_program(code, problems)
            self.updated.emit(code)

    def check_report_rules(self) -> None:
        self._report_timer.stop()
        if self._report is None:
            return
        self.index.set_report(report_rule_problems(self._report))
        self.updated.emit("")

    def flush(self) -> None:
        """Everything pending, now (before closing, in tests)."""
        while self._queue:
            self._check_batch()
        self.run_pending()
        if self._report_timer.isActive():
            self.check_report_rules()

    def _check_batch(self) -> None:
        report = self._report
        if report is None:
            self._queue = []
            self._batch_timer.stop()
            return
        batch, self._queue = self._queue[:BATCH], self._queue[BATCH:]
        for code in batch:
            program = report.program(code)
            if program is not None:
                self.index.set_program(code, check_program(report, program))
        for code in batch:
            self.updated.emit(code)
        if not self._queue:
            self._batch_timer.stop()
            self.check_report_rules()
            self.finished.emit()
