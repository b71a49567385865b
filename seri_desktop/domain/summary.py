"""Counts and lists over a report (what ``seri-desktop info`` prints), and its outlines in template order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from seri_desktop.domain import template
from seri_desktop.domain.model import BudgetTable, Outline, Program, Report, SummaryRow


def program_outline_fields(program: Program) -> Iterator[tuple[str, Outline]]:
    """Every outline of a program with its part key, in template order (the budget's notes only with a budget)."""
    for part, outline in template.outlines(program, template.PROGRAM_OUTLINE_PARTS):
        yield part.key, outline


def program_outlines(program: Program) -> Iterator[Outline]:
    """Every outline of a program, in template order."""
    for _, outline in program_outline_fields(program):
        yield outline


def report_outlines(report: Report) -> Iterator[Outline]:
    """Every outline of the report: front matter notes, section II, programs."""
    for _, outline in template.outlines(report, template.FRONT_OUTLINE_PARTS):
        yield outline
    for dept in report.departments:
        for _, outline in template.outlines(dept, template.SECTION_II_PARTS):
            yield outline
    for program in report.programs():
        yield from program_outlines(program)


def derived_summary_row(program: Program) -> SummaryRow:
    """The program's row of I-6 주요업무별 예산 내역 as the report carries it: its budget's derived 계 (no page)."""
    total = (program.budget or BudgetTable()).total()
    return SummaryRow(program.code, program.title, total.current, total.previous, list(total.quarters))


def summary_rows(report: Report) -> list[SummaryRow]:
    """I-6 as the text export writes it: each program's printed row while it is kept as evidence, else the derived
    row; printed rows of no program last (they are findings until the office accepts the derived table)."""
    printed = {row.code: row for row in report.front.budget_summary}
    rows = [printed.pop(p.code) if p.code in printed else derived_summary_row(p) for p in report.programs()]
    return rows + list(printed.values())


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
