"""Counts and lists over a report (what ``seri-desktop info`` prints)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from seri_desktop.domain.model import Outline, Program, Report


def program_outline_fields(program: Program) -> Iterator[tuple[str, Outline]]:
    """Every outline of a program with its section key, in template order."""
    ov = program.overview
    yield from (
        ("overview.lead", ov.lead),
        ("overview.purpose", ov.purpose),
        ("overview.basis", ov.basis),
        ("overview.contents", ov.contents),
        ("previous_achievements", program.previous_achievements),
        ("plan.improvements", program.plan.improvements),
        ("plan.items", program.plan.items),
        ("achievements", program.achievements),
        ("schedule", program.schedule),
    )
    if program.budget is not None:
        yield "budget.notes", program.budget.notes
    yield "issues", program.issues


def program_outlines(program: Program) -> Iterator[Outline]:
    """Every outline of a program, in template order."""
    for _, outline in program_outline_fields(program):
        yield outline


def report_outlines(report: Report) -> Iterator[Outline]:
    """Every outline of the report: front matter notes, section II, programs."""
    yield report.front.staffing_notes
    for dept in report.departments:
        yield from (dept.results, dept.limits, dept.directions)
    for program in report.programs():
        yield from program_outlines(program)


def report_info(report: Report) -> dict[str, Any]:
    """The figures ``info`` shows: sizes of the report and the program list."""
    programs = list(report.programs())
    return {
        "year": report.year,
        "title": report.title,
        "institute": report.institute,
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "chapters": len(report.chapters),
        "programs": len(programs),
        "departments": len(report.departments),
        "budget_lines": sum(len(p.budget.lines) for p in programs if p.budget is not None),
        "target_rows": sum(len(p.targets.rows) for p in programs if p.targets is not None),
        "outline_items": sum(len(o) for o in report_outlines(report)),
        "program_list": [{"code": p.code, "title": p.title, "department": p.department} for p in programs],
    }
