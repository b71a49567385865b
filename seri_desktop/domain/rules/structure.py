"""Structure rules: program codes, outline levels (the chapter's printed program list is an import finding)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from seri_desktop.domain import template
from seri_desktop.domain.model import ItemKind, Outline, Program, Report
from seri_desktop.domain.rules.engine import Problem, Severity, program_rule, report_rule


@report_rule("structure.program-codes", Severity.ERROR, "사업 번호가 장 안에서 겹치지 않고 1부터 차례대로")
def program_codes(report: Report) -> Iterator[Problem]:
    counts = Counter(p.code for p in report.programs())
    for code, count in counts.items():
        if count > 1:
            yield Problem(
                "structure.program-codes",
                Severity.ERROR,
                f"사업 번호 {code}이(가) {count}번 쓰였습니다. 번호는 보고서 안에서 하나뿐이어야 합니다.",
                code,
            )
    for chapter in report.chapters:
        for n, program in enumerate(chapter.programs, start=1):
            expected = f"{chapter.number}-{n}"
            if program.code != expected:
                yield Problem(
                    "structure.program-codes",
                    Severity.ERROR,
                    f"{chapter.number}장의 {n}번째 사업 번호가 {program.code}입니다. {expected}이어야 합니다.",
                    program.code,
                )


def outline_problems(outline: Outline, program: str, section: str) -> Iterator[Problem]:
    """Level jumps and notes with no item above them."""
    previous_level: int | None = None
    skipped = (ItemKind.TABLE, ItemKind.TEXT)
    for n, item in enumerate(outline, start=1):
        kind = item.kind
        if kind in skipped:
            continue
        if kind is ItemKind.ITEM and previous_level is not None and item.level <= previous_level + 1:
            previous_level = item.level  # the common case: nothing to report
            continue
        if item.kind in (ItemKind.NOTE, ItemKind.FOOTNOTE) and previous_level is None and item.level > 0:
            mark = "※" if item.kind is ItemKind.NOTE else "*"
            yield Problem(
                "structure.outline-levels",
                Severity.WARNING,
                f"{mark} 항목 앞에 딸린 항목이 없습니다. {mark}는 위 항목에 붙는 설명입니다.",
                program,
                section,
                n,
            )
        limit = 1 if previous_level is None else previous_level + 1
        if item.kind is ItemKind.ITEM and item.level > limit:
            yield Problem(
                "structure.outline-levels",
                Severity.WARNING,
                f"'{item.text.splitlines()[0][:30]}'이(가) {item.level - limit}단계 건너뛴 수준입니다"
                f"(위 항목 수준 {previous_level if previous_level is not None else '없음'}, 이 항목 {item.level}).",
                program,
                section,
                n,
            )
        previous_level = item.level


@program_rule("structure.outline-levels", Severity.WARNING, "개조식 수준이 한 단계씩, ※·*는 항목 뒤에")
def program_outline_levels(report: Report, program: Program) -> Iterator[Problem]:
    for part, outline in template.outlines(program, template.PROGRAM_OUTLINE_PARTS):
        yield from outline_problems(outline, program.code, part.key)


def title_problem(rule: str, where: str, printed: str, program: Program, section: str, row: int) -> Problem:
    """A title that differs from the program's; spacing alone is a warning, words are an error."""
    spacing_only = printed.replace(" ", "") == program.title.replace(" ", "")
    return Problem(
        rule,
        Severity.WARNING if spacing_only else Severity.ERROR,
        f"{where}에는 '{printed}'로, 사업 본문에는 '{program.title}'로 적혀 있습니다"
        + ("(띄어쓰기만 다름)." if spacing_only else ". 같은 제목이어야 합니다."),
        program.code,
        section,
        row,
        "주요업무명" if section == template.BUDGET_SUMMARY.key else "",
    )


@report_rule("structure.review-outline-levels", Severity.WARNING, "업무 평가(성과·한계·개선 방향)의 개조식 수준")
def review_outline_levels(report: Report) -> Iterator[Problem]:
    for dept in report.departments:
        for part, outline in template.outlines(dept, template.SECTION_II_PARTS):
            for problem in outline_problems(outline, "", part.key):
                yield Problem(
                    "structure.review-outline-levels",
                    problem.severity,
                    f"{dept.name}: {problem.message}",
                    "",
                    part.key,
                    problem.row,
                    department=dept.name,
                )
