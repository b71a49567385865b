"""Acceptance: one department's section as PDF holds exactly that department's programs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from seri_desktop.formats.text_import import ImportResult

if TYPE_CHECKING:
    from conftest import BuiltPdf

pytestmark = pytest.mark.acceptance

DEPARTMENT = "교수학습정보부"  # the department_pdf fixture's
CODE = re.compile(r"(?<![\d-])(\d{1,2}-\d{1,2})(?![\d-])")


def test_it_holds_all_its_programs_and_no_other(department_pdf: BuiltPdf, imported_2024: ImportResult) -> None:
    report = imported_2024.report
    own = [p for p in report.programs() if p.department == DEPARTMENT]
    others = [p for p in report.programs() if p.department != DEPARTMENT]
    assert len(own) == 9

    starts = department_pdf.title_pages(report.programs())
    assert {code for code, pages in starts.items() if pages} == {p.code for p in own}
    assert all(len(starts[p.code]) == 1 for p in own)
    assert department_pdf.result.program_pages == {p.code: starts[p.code][0] + 1 for p in own}

    text = " ".join(department_pdf.texts)
    squashed = department_pdf.squash(text)
    for program in others:
        assert department_pdf.squash(program.title) not in squashed, program.code
    # No other program's code anywhere (phone extensions such as 3111-370 do not look like codes).
    assert set(CODE.findall(text)) & {p.code for p in others} == set()


def test_it_opens_with_the_departments_evaluation(department_pdf: BuiltPdf, imported_2024: ImportResult) -> None:
    dept = imported_2024.report.department(DEPARTMENT)
    assert dept is not None
    first = department_pdf.squashed(0)
    assert department_pdf.squash(f"업무 평가 및 개선 방향{dept.order}. {DEPARTMENT}□성과") in first
    review = department_pdf.squash(" ".join(department_pdf.texts[:3]))
    assert review.index("□성과") < review.index("□한계") < review.index("□개선방향")
    assert department_pdf.texts[0].rstrip().endswith("- 1 -")


def test_its_chapter_page_lists_programs_and_both_author_blocks(
    department_pdf: BuiltPdf, imported_2024: ImportResult
) -> None:
    report = imported_2024.report
    chapter = next(c for c in report.chapters if c.department == DEPARTMENT)
    index = next(
        i
        for i, t in enumerate(department_pdf.texts)
        if department_pdf.squash(chapter.title) in department_pdf.squash(t)
    )
    page = re.sub(r"\s+", " ", department_pdf.texts[index])
    for program in chapter.programs:
        # "4-8. 학교도서관 스마트 운영 지원 시스템 ........ 21": the listed page is where the program starts.
        title = r"\s*".join(re.escape(c) for c in department_pdf.squash(program.title))
        m = re.search(rf"{re.escape(program.code)}\. {title}[ .]*?(\d+)\b", page)
        assert m and int(m.group(1)) == department_pdf.result.program_pages[program.code], program.code
    # Two blocks: the first covers 4-1~4-8; the second (before_program 8, 4-9) names three departments.
    assert "(4-1~4-8)" in page and "(4-9)" in page
    for person in ("교육과정진로진학부장: 심지영 ☎ 3111-351", "나이스운영과장: 박용선 ☎ 2230-8522", "유희선 ☎ 353"):
        assert person in page
