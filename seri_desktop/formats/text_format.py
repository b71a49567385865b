"""What the importer and the exporter of the report text agree on.

The text format is the export of the printed report: one visual line per
text line, tables tab-separated, outline markers (``○``, ``-``, ``※``, ``*``)
at the start of a line. Headings, outline markers and the layout hints kept
in ``layout`` dicts are defined here once so that reading and writing stay
symmetric.
"""

from __future__ import annotations

import re
from typing import Final

from seri_desktop.domain import outline

# Program template sections in template order: (key, printed heading).
# The previous year's achievements heading carries the year and is built by
# ``previous_achievements_heading``.
SECTION_OVERVIEW: Final = "overview"
SECTION_PREVIOUS: Final = "previous_achievements"
SECTION_TARGETS: Final = "targets"
SECTION_PLAN: Final = "plan"
SECTION_ACHIEVEMENTS: Final = "achievements"
SECTION_SCHEDULE: Final = "schedule"
SECTION_BUDGET: Final = "budget"
SECTION_ISSUES: Final = "issues"

SECTION_TITLES: Final[dict[str, str]] = {
    SECTION_OVERVIEW: "사업 개요",
    SECTION_PREVIOUS: "",  # "2023년 추진 실적": depends on the year
    SECTION_TARGETS: "추진 목표",
    SECTION_PLAN: "추진 계획",
    SECTION_ACHIEVEMENTS: "추진 실적",
    SECTION_SCHEDULE: "추진 일정",
    SECTION_BUDGET: "예산 집행 계획",
    SECTION_ISSUES: "문제점 및 애로 사항",
}
SECTION_ORDER: Final[tuple[str, ...]] = tuple(SECTION_TITLES)

SUBHEADING_PURPOSE: Final = "purpose"
SUBHEADING_BASIS: Final = "basis"
SUBHEADING_CONTENTS: Final = "contents"
SUBHEADING_TITLES: Final[dict[str, str]] = {
    SUBHEADING_PURPOSE: "목적",
    SUBHEADING_BASIS: "근거",
    SUBHEADING_CONTENTS: "주요 내용",
}

REVIEW_TITLES: Final[dict[str, str]] = {"results": "성과", "limits": "한계", "directions": "개선 방향"}

SECTION_MARK: Final = "□"
FIRST_LEVEL_MARKS: Final = ("○", "◦")
# The note and footnote markers are the outline convention's, declared in the domain.
NOTE_MARK: Final = outline.NOTE_MARK
FOOTNOTE_MARK: Final = outline.FOOTNOTE_MARK
PHONE_MARK: Final = "☎"

# Canonical prefix/suffix of a section heading; a program's layout keeps
# the printed pair where the source differs ("추진 목표" without □, bold …).
CANONICAL_HEADING: Final = ("□ ", "")
CANONICAL_SUBHEADING: Final = ("○ ", "")

FRONT_HEADINGS: Final[dict[str, str]] = {
    "history": "1. 연 혁",
    "organization": "2. 조직",
    "staffing": "3. 정·현원",
    "facilities": "4. 시설 현황",
    "budget_overview": "5. 예산 현황",
    "budget_summary": "6. 주요업무별 예산 내역",
}
PART_ONE: Final = ("I", "일반 현황")
PART_TWO: Final = "II 업무 평가 및 개선 방향"
PART_THREE: Final = "Ⅲ. 주요업무"
AUTHOR_CAPTION: Final = "작성자"

TARGET_HEADER: Final = ("세부사업명", "추진시기", "물량")
BUDGET_TOTAL_LABEL: Final = "계"
SUMMARY_HEADER: Final = (
    ("번호", "주요업무명", "예산액", "", "집행액", "", "집행계획", "", "쪽수"),
    ("", "", "'{cy} (1차추경예산 포함)", "'{py} (최종예산)", "1분기", "2분기", "3분기", "4분기", ""),
)

RE_PART_TWO: Final = re.compile(r"^(II|Ⅱ)\.?\s*업무\s*평가")
RE_PART_THREE: Final = re.compile(r"^(III|Ⅲ)\.?\s*주요\s*업무$")
RE_CHAPTER: Final = re.compile(r"^(\d+)\.\s*(\S.*)$")
RE_LISTED_PROGRAM: Final = re.compile(r"^(-\s+)?(\d+)-(\d+)\.\s*(.*)$")
RE_PROGRAM_HEADER: Final = re.compile(r"^(\d+)-(\d+)(?:\s+(.*))?$")
RE_DEPARTMENT: Final = re.compile(r"^(\d+)(\.?\s+)([\w·]*[가-힣\d](?:부|소|과|원|센터|실))$")
RE_PREVIOUS_HEADING: Final = re.compile(r"^(\d{4})년\s*추진\s*실적$")
RE_IMPROVEMENTS: Final = re.compile(r"^(\d{4})년\s*주요\s*개선\s*사항$")
RE_UNIT_LINE: Final = re.compile(r"^\(단위:\s*([^,)]+?)\s*(?:,\s*(.*?)\s*기준)?\s*\)$")
RE_AS_OF: Final = re.compile(r"'?(\d{2,4})\.\s*(\d{1,2})\.\s*(\d{1,2})\.?")
RE_HISTORY: Final = re.compile(r"^-\s*(\d{4}\.\s*\d{1,2}\.\s*\d{1,2}\.)\s*(.*)$")
RE_AUTHOR_ENTRY: Final = re.compile(r"(?:([^\s:☎]+)\s*:\s*)?([^\s:☎]+)\s*☎\s*([\d#\-]+)")
RE_QUARTER: Final = re.compile(r"^(△?\d[\d,]*|-|재배정)(?:\s+(.+))?$")
RE_DATE_LABEL: Final = re.compile(r"^(\d{4})\.\s*(\d{1,2})\.$")


def previous_achievements_heading(year: int) -> str:
    """``2023년 추진 실적`` for the 2024 report."""
    return f"{year - 1}년 추진 실적"


def improvements_heading(year: int) -> str:
    """``2024년 주요 개선 사항`` for the 2024 report."""
    return f"{year}년 주요 개선 사항"


def strip_emphasis(text: str) -> str:
    """Drop the ``**bold**`` marks some lines of the export carry."""
    return text.replace("**", "")


def normalize_heading(line: str) -> str:
    """A heading line reduced to its words: no □, no bold marks, single spaces."""
    s = strip_emphasis(line).strip()
    if s.startswith(SECTION_MARK):
        s = s[1:]
    return " ".join(s.split())


def split_affixes(line: str, core: str) -> tuple[str, str]:
    """The printed prefix and suffix around a heading's words (for layout hints)."""
    s = line.strip()
    pos = s.find(core)
    if pos < 0:
        return CANONICAL_HEADING
    return s[:pos], s[pos + len(core) :]


def normalize_for_compare(line: str) -> str:
    """Whitespace-normalised form used by the round-trip fidelity measure."""
    return " ".join(line.split())
