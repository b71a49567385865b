"""The office's completeness dashboard: per department and program, what is filled, checked, reviewed, received.

Public API: ``completeness(engine, year=None) -> Dashboard`` (the newest
report when ``year`` is None). For every department, in report order:

* its section II: which of its parts are filled, its review state;
* every program it owns: which template sections are filled (and which of
  those the standard template requires; the units of
  :mod:`seri_desktop.domain.fill`), error and warning counts from
  ``check_report``, review state and revision, the number of review
  comments, and the last submission that included it;
* the packages issued to it and its last submission.

Plain frozen dataclasses, ready for a Qt table model; ``as_dict`` gives the
same as JSON values (``seri-desktop review --format json``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Engine

from seri_desktop.domain.fill import PROGRAM_UNITS, SECTION_II_UNITS, FillUnit, unit_filled
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Department, Program
from seri_desktop.domain.policy import ReviewState
from seri_desktop.domain.rules import Severity, check_report
from seri_desktop.exchange.items import department_names
from seri_desktop.store.content import load_report_in
from seri_desktop.store.engine import transaction
from seri_desktop.store.exchange import issued_packages, submissions_in
from seri_desktop.store.review import comments_in, statuses_in


@dataclass(frozen=True)
class SectionFill:
    """Whether one section holds anything; ``required`` as the standard template says."""

    key: str  # section key as the rules use it
    label: str
    filled: bool
    required: bool


@dataclass(frozen=True)
class LastSubmission:
    """The latest processed submission that included an item (or came from a department)."""

    file_name: str
    author: str
    created_at: dt.datetime
    processed_at: dt.datetime
    processed_by: str
    decision: str  # accepted, returned, unchanged, kept, locked ("" for a department's)


@dataclass(frozen=True)
class ProgramProgress:
    """One program's row of the dashboard."""

    code: str
    title: str
    department: str
    state: str
    revision: int
    sections: tuple[SectionFill, ...]
    errors: int
    warnings: int
    comments: int
    last_submission: LastSubmission | None

    @property
    def missing_required(self) -> list[str]:
        """Labels of required sections that are empty."""
        return [s.label for s in self.sections if s.required and not s.filled]


@dataclass(frozen=True)
class DepartmentProgress:
    """One department's block of the dashboard."""

    department: str
    section_ii: tuple[SectionFill, ...]
    section_ii_state: str
    programs: tuple[ProgramProgress, ...]
    packages_issued: int
    last_package_at: dt.datetime | None
    last_submission: LastSubmission | None

    def state_counts(self) -> dict[str, int]:
        """How many of the department's programs are in each state (every state listed)."""
        counts = {state.value: 0 for state in ReviewState}
        for program in self.programs:
            counts[program.state] = counts.get(program.state, 0) + 1
        return counts


@dataclass(frozen=True)
class Dashboard:
    """The whole dashboard of a year's report."""

    year: int
    departments: tuple[DepartmentProgress, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _fills(owner: object, units: tuple[FillUnit, ...]) -> tuple[SectionFill, ...]:
    return tuple(SectionFill(u.key, u.label, owner is not None and unit_filled(owner, u), u.required) for u in units)


def program_sections(program: Program) -> tuple[SectionFill, ...]:
    """The template sections of a program and whether each holds anything (required as the template says)."""
    return _fills(program, PROGRAM_UNITS)


def section_ii_sections(department: Department | None) -> tuple[SectionFill, ...]:
    """The parts of a department's section II and whether each holds anything."""
    return _fills(department, SECTION_II_UNITS)


def completeness(engine: Engine, year: int | None = None) -> Dashboard:
    """The dashboard of the report of ``year`` (the newest when ``None``)."""
    with transaction(engine, write=False) as conn:
        report = load_report_in(conn, year).report
        statuses = statuses_in(conn, report.year)
        received = submissions_in(conn, report.year)
        comments = comments_in(conn, report.year)
    packages = issued_packages(engine, report.year)

    problems: dict[str, list[int]] = {}
    for problem in check_report(report):
        if problem.program_id:
            counts = problems.setdefault(problem.program_id, [0, 0])
            counts[0 if problem.severity is Severity.ERROR else 1] += 1

    last_by_item: dict[str, LastSubmission] = {}
    last_by_department: dict[str, LastSubmission] = {}
    for record in received:  # processing order: later records overwrite earlier ones
        for key, outcome in record.outcome.items():
            last_by_item[key] = LastSubmission(
                record.file_name,
                record.author,
                record.created_at,
                record.processed_at,
                record.processed_by,
                str(outcome.get("decision", "")),
            )
        last_by_department[record.department] = LastSubmission(
            record.file_name, record.author, record.created_at, record.processed_at, record.processed_by, ""
        )
    comment_counts: dict[str, int] = {}
    for comment in comments:
        comment_counts[comment.target.key()] = comment_counts.get(comment.target.key(), 0) + 1

    departments: list[DepartmentProgress] = []
    for name in department_names(report):
        rows: list[ProgramProgress] = []
        for program in report.programs():
            if program.department != name:
                continue
            key = ItemRef.of(program).key()
            status = statuses.get(key)
            errors, warnings = problems.get(program.uid, [0, 0])  # by the program's id: codes may repeat
            rows.append(
                ProgramProgress(
                    code=program.code,
                    title=program.title,
                    department=name,
                    state=status.state if status is not None else ReviewState.DRAFT.value,
                    revision=status.revision if status is not None else 0,
                    sections=program_sections(program),
                    errors=errors,
                    warnings=warnings,
                    comments=comment_counts.get(key, 0),
                    last_submission=last_by_item.get(key),
                )
            )
        department = report.department(name)
        section_status = statuses.get(ItemRef.section_ii(name).key())
        mine = [p for p in packages if p.department == name]
        departments.append(
            DepartmentProgress(
                department=name,
                section_ii=section_ii_sections(department),
                section_ii_state=section_status.state if section_status is not None else ReviewState.DRAFT.value,
                programs=tuple(rows),
                packages_issued=len(mine),
                last_package_at=mine[-1].issued_at if mine else None,
                last_submission=last_by_department.get(name),
            )
        )
    return Dashboard(report.year, tuple(departments))
