"""Read-only pages for the navigator rows that have no form: the report, section II, III and a chapter."""

from __future__ import annotations

import html
from collections.abc import Sequence

from seri_desktop.domain import template
from seri_desktop.domain.model import Chapter, Report
from seri_desktop.ui.rows import (
    EVALUATION_KEY,
    EVALUATION_LABEL,
    PROGRAMS_KEY,
    PROGRAMS_LABEL,
    RowKind,
    chapter_for_key,
)

EMPTY_MESSAGE = (
    "보고서가 없습니다. 파일 › 텍스트 가져오기로 보고서 텍스트를 불러오거나 파일 › 열기로 데이터베이스를 여십시오."
)


def page_for(report: Report, kind: RowKind | None, key: str | None) -> str:
    """The page of a navigator row without a form: a chapter, section II or III, else the report."""
    chapter = chapter_for_key(report, key) if kind is RowKind.CHAPTER and key is not None else None
    if chapter is not None:
        return chapter_html(chapter)
    if key == EVALUATION_KEY:
        return evaluation_html(report)
    if key == PROGRAMS_KEY:
        return programs_html(report)
    return report_html(report)


def report_html(report: Report) -> str:
    """The report as a whole: title, meeting and counts."""
    fields: list[tuple[str, str]] = []
    if report.institute:
        fields.append(("기관", report.institute))
    if report.meeting or report.committee:
        fields.append(("회의", " ".join(x for x in (report.meeting, report.committee) if x)))
    if report.date_label:
        fields.append(("날짜", report.date_label))
    fields += report_counts(report)
    return page(f"{report.year}년 {report.title}", fields, "왼쪽 목록에서 사업이나 부서를 고르면 입력 양식이 열립니다.")


def evaluation_html(report: Report) -> str:
    names = ", ".join(d.name for d in report.departments) or "없음"
    return page(
        EVALUATION_LABEL,
        [("부서", f"{len(report.departments)}개"), ("부서 목록", names)],
        f"부서를 고르면 {'·'.join(part.label for part in template.SECTION_II_PARTS)}을 고칠 수 있습니다.",
    )


def programs_html(report: Report) -> str:
    return page(PROGRAMS_LABEL, report_counts(report))


def chapter_html(chapter: Chapter) -> str:
    fields = [
        ("장 번호", str(chapter.number)),
        ("담당 부서", chapter.department or "—"),
        ("사업", f"{len(chapter.programs)}개"),
    ]
    fields += [(program.code, program.title) for program in chapter.programs]
    return page(f"{chapter.number}. {chapter.title}", fields)


def report_counts(report: Report) -> list[tuple[str, str]]:
    programs = sum(len(c.programs) for c in report.chapters)
    return [("장", f"{len(report.chapters)}개"), ("사업", f"{programs}개")]


def page(title: str, fields: Sequence[tuple[str, str]], note: str = "") -> str:
    rows = "".join(
        f"<tr><td style='color:#555555; padding-right:16px'>{html.escape(name)}</td><td>{html.escape(value)}</td></tr>"
        for name, value in fields
    )
    body = f"<h3>{html.escape(title)}</h3><table cellspacing='0' cellpadding='4'>{rows}</table>"
    if note:
        body += paragraph(note)
    return body


def paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"
