"""Import findings: where the printed report an import brought in disagreed with its own sections.

The report carries derived values: every program's 계 row is the sum of its
lines, the summary table (I-6 주요업무별 예산 내역) is one row per program
computed from its budget, a chapter's title page lists its programs. What a
printed report said there (``printed_total`` of a budget, the rows of
``front.budget_summary``, a chapter's ``listed_programs``) is kept only as evidence,
and these rules list where it disagrees with the derived value, both numbers
in the message. A finding clears by itself once the program's cells give the
printed value, or when the office accepts the derived value
(:func:`seri_desktop.domain.findings.accept_derived`, which drops the evidence).

Findings are the office's: ``program`` and ``department`` stay empty, so they
never count as errors of a department head's program (he could clear them
only by typing figures that fit a misprint); ``finding`` names the program
(or printed row) they are about, or the chapter (:func:`chapter_code`, ``"1장"``) whose
printed list they compare, and the window lists them with the front matter.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from seri_desktop.domain import template
from seri_desktop.domain.model import NOTHING_KINDS, Cell, CellKind, Chapter, ListedProgram, Program, Report
from seri_desktop.domain.rules.engine import Problem, Severity, report_rule
from seri_desktop.domain.rules.structure import title_problem

SUMMARY = template.BUDGET_SUMMARY.key
TOTAL = template.BUDGET_TOTAL_KEY
TOTAL_RULE = "budget.total-column"
SUMMARY_RULE = "front.budget-summary"
CHAPTER_LIST_RULE = "structure.chapter-list"
CHAPTER_SECTION = "chapter"
CHAPTER_SUFFIX = "장"
# What every finding's message ends with: the two ways to resolve it.
RESOLVE_HINT = "사업의 칸을 고치거나 기획 부서가 계산값을 받아들이면 사라집니다."


def chapter_code(number: int) -> str:
    """The finding code of chapter ``number``'s printed program list (``"1장"``: never a program code)."""
    return f"{number}{CHAPTER_SUFFIX}"


def chapter_of_code(report: Report, code: str) -> Chapter | None:
    """The chapter :func:`chapter_code` named ``code``, or ``None`` (a program code, an unknown chapter)."""
    return next((c for c in report.chapters if chapter_code(c.number) == code), None)


def _fmt(value: int) -> str:
    return Cell.amount(value).format()


def _differs(printed: Cell, derived: Cell) -> bool:
    """Whether a printed cell says something other than the derived one ("-" and 비예산 mean the same)."""
    if printed == derived:
        return False
    return not (printed.numeric == derived.numeric and {printed.kind, derived.kind} <= NOTHING_KINDS)


def _as_finding(problem: Problem, code: str) -> Problem:
    return replace(problem, program="", department="", finding=code, program_id=problem.program_id)


@report_rule(TOTAL_RULE, Severity.ERROR, "가져온 보고서의 계 행 = 사업별 합계 (다르면 가져오기 차이)")
def printed_totals(report: Report) -> Iterator[Problem]:
    labels = template.budget_amount_columns(report.year)
    for program in report.programs():
        budget = program.budget
        if budget is None or budget.printed_total is None:
            continue  # the total is derived: it cannot disagree
        derived = budget.total()
        for label, printed, want in zip(labels, budget.printed_total.cells(), derived.cells(), strict=True):
            if printed.kind is CellKind.INVALID:
                message = (
                    f"{program.code} 예산 집행 계획의 인쇄된 계 행 {label} '{printed.raw}'은(는) 금액이 아닙니다. "
                    f"사업별 합계는 {want.format()}입니다."
                )
            elif _differs(printed, want):
                message = (
                    f"{program.code} 예산 집행 계획의 인쇄된 계 행 {label}이(가) {printed.format() or '빈 칸'}이지만 "
                    f"사업별 합계는 {want.format()}입니다(차이 {_fmt(printed.numeric - want.numeric)})."
                )
            else:
                continue
            yield Problem(
                TOTAL_RULE,
                Severity.ERROR,
                f"{message} {RESOLVE_HINT}",
                "",
                TOTAL,
                None,
                label,
                finding=program.code,
                program_id=program.uid,
            )


@report_rule(
    SUMMARY_RULE, Severity.ERROR, "가져온 주요업무별 예산 내역 = 각 사업의 예산 계와 제목 (다르면 가져오기 차이)"
)
def printed_summary(report: Report) -> Iterator[Problem]:
    rows = report.front.budget_summary
    if not rows:
        return  # nothing printed: the summary is derived from the programs
    labels = template.budget_amount_columns(report.year)
    programs: dict[str, Program] = {p.code: p for p in report.programs()}
    for n, row in enumerate(rows, start=1):
        program = programs.get(row.code)
        if program is None:
            yield Problem(
                SUMMARY_RULE,
                Severity.ERROR,
                f"인쇄된 주요업무별 예산 내역의 {row.code} '{row.title}'에 해당하는 사업이 없습니다. "
                "계산된 표에는 이 행이 없습니다; 기획 부서가 계산값을 받아들이면 사라집니다.",
                "",
                SUMMARY,
                n,
                finding=row.code,
            )
            continue
        if row.title != program.title:
            shown = title_problem(SUMMARY_RULE, "인쇄된 주요업무별 예산 내역", row.title, program, SUMMARY, n)
            yield _as_finding(
                replace(shown, message=f"{program.code}: {shown.message}", program_id=program.uid), program.code
            )
        if program.budget is None:
            continue
        derived = program.budget.total().cells()
        printed: list[Cell] = [row.current, row.previous, *row.quarters]
        for label, shown_cell, want in zip(labels, printed, derived, strict=True):
            if not _differs(shown_cell, want):
                continue
            yield Problem(
                SUMMARY_RULE,
                Severity.ERROR,
                f"인쇄된 주요업무별 예산 내역의 {program.code} {label}이(가) {shown_cell.format() or '빈 칸'}이지만 "
                f"사업의 예산 집행 계획(사업별 합계)은 {want.format()}입니다"
                f"(차이 {_fmt(shown_cell.numeric - want.numeric)}). {RESOLVE_HINT}",
                "",
                SUMMARY,
                n,
                label,
                finding=program.code,
                program_id=program.uid,
            )


def _listed_text(entries: list[ListedProgram]) -> str:
    return ", ".join(f"{e.code} {e.title}" for e in entries) or "없음"


@report_rule(CHAPTER_LIST_RULE, Severity.ERROR, "가져온 장 표지의 사업 목록 = 장의 사업과 제목 (다르면 가져오기 차이)")
def printed_chapter_lists(report: Report) -> Iterator[Problem]:
    """One finding per chapter whose printed list is not the list derived from its programs, with both lists.

    A list that differs only in the spacing of titles is a warning; any other difference
    (another title, a listed code with no program, a program not listed) is an error.
    """
    for chapter in report.chapters:
        printed = chapter.listed_programs
        if not printed:
            continue  # nothing printed: the title page lists the programs
        derived = [ListedProgram(p.code, p.title) for p in chapter.programs]
        if printed == derived:
            continue
        titles = {p.code: p.title for p in chapter.programs}
        listed_codes = {e.code for e in printed}
        notes: list[str] = []
        words = len(printed) != len(derived) or [e.code for e in printed] != [e.code for e in derived]
        for n, entry in enumerate(printed, start=1):
            title = titles.get(entry.code)
            if title is None:
                notes.append(f"{n}행 {entry.code}은(는) 이 장의 사업이 아닙니다")
            elif entry.title != title:
                spacing_only = entry.title.replace(" ", "") == title.replace(" ", "")
                words = words or not spacing_only
                notes.append(
                    f"{n}행 {entry.code}: 목록에는 '{entry.title}', 사업에는 '{title}'"
                    + ("(띄어쓰기만 다름)" if spacing_only else "")
                )
        notes.extend(
            f"{p.code} '{p.title}'이(가) 목록에 없습니다" for p in chapter.programs if p.code not in listed_codes
        )
        if not notes:
            notes.append("사업의 순서가 다릅니다")
        code = chapter_code(chapter.number)
        yield Problem(
            CHAPTER_LIST_RULE,
            Severity.ERROR if words else Severity.WARNING,
            f"{code} 표지의 인쇄된 사업 목록이 장의 사업과 다릅니다: {'; '.join(notes)}. "
            f"인쇄된 목록: {_listed_text(printed)}. 사업에서 만든 목록: {_listed_text(derived)}. "
            "사업의 제목을 고치거나 기획 부서가 계산값(사업에서 만든 목록)을 받아들이면 사라집니다.",
            "",
            CHAPTER_SECTION,
            finding=code,
        )
