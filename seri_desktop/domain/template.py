"""The report's template, declared once: program sections, section II, front matter, cover, table columns.

PRODUCT.md §3 fixes the program template: eight sections in a fixed order,
each with a printed heading. This module is the only place (besides the
model's own attributes) that spells that list out. Everything that walks a
program, a department's section II or the front matter (the store's readers
and writers, the form, the PDF and the text format, the exchange codec and
diff, the rules' labels, the workbook) iterates these declarations instead of
naming the parts again, so adding a section is one entry here and one
attribute on the model.

A :class:`Part` is one editable piece with a stable ``key``. The key is what
the store writes into ``outline_item.field``, what the rules put into
``Problem.section``, what the form uses for its fields and what a comment or
an audit entry points at; it equals the attribute path on the owning object
(``"overview.purpose"`` is ``program.overview.purpose``), so :func:`get` and
:func:`put` need no table of accessors.

A :class:`Section` is one numbered section of the program template as
printed (``□ 사업 개요``) and lists the parts it holds in order.

Headings that carry the year (``2023년 추진 실적``, ``2024년 주요 개선 사항``)
are templates with ``{year}`` and ``{previous_year}``; :meth:`Part.heading_for`
fills them in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final


class PartKind(StrEnum):
    """What a part holds, which decides how every layer stores, edits and prints it."""

    OUTLINE = "outline"  # list[OutlineItem]
    TARGETS = "targets"  # Targets | None (추진 목표 table)
    BUDGET = "budget"  # BudgetTable | None (예산 집행 계획 table)
    TEXT = "text"  # str
    TABLE = "table"  # SimpleTable (front matter: 정·현원, 시설, 예산 현황)
    HISTORY = "history"  # list[HistoryEntry] (연혁)
    SUMMARY = "summary"  # list[SummaryRow] (주요업무별 예산 내역, derived; the printed copy is evidence)
    DATE = "date"  # datetime.date | None


class Owner(StrEnum):
    """The kind of object a part belongs to."""

    PROGRAM = "program"
    DEPARTMENT = "department"  # a department's section II
    REPORT = "report"  # the front matter (I. 일반 현황) and the cover


@dataclass(frozen=True)
class Part:
    """One editable piece of a program, a section II or the front matter.

    ``key`` is the stable name every layer uses and the attribute path on the
    owner (see the module docstring). ``heading`` is what the report prints
    above it ("" when the part prints under its section's heading only);
    ``label`` names it in messages ("사업 개요 › 목적"). ``section`` is the
    key of the :class:`Section` it belongs to. ``required`` parts must not
    be empty in a finished program (the completeness rule reads it).
    ``optional_parent``: the attribute that may be ``None`` and then holds
    nothing (``budget.notes`` lives on ``budget``).
    """

    key: str
    kind: PartKind
    owner: Owner
    heading: str
    label: str
    section: str
    required: bool = False
    optional_parent: str = ""
    store_key: str = ""  # where the store keeps it, when that differs from ``key`` (front tables)

    def heading_for(self, year: int) -> str:
        """The printed heading of the part in the report of ``year``."""
        return self.heading.format(year=year, previous_year=year - 1)

    def label_for(self, year: int) -> str:
        return self.label.format(year=year, previous_year=year - 1)


@dataclass(frozen=True)
class Section:
    """A numbered section of the program template (``□ 사업 개요`` …) and its parts in order.

    ``per_part``: the section's headed parts stand on their own (사업 개요's 목적, 근거, 주요
    내용 are each required or not, filled or not); otherwise the section is one whole (추진 계획
    is filled when either of its outlines is).
    """

    key: str
    number: int
    heading: str  # may hold {year} / {previous_year}
    label: str
    parts: tuple[Part, ...]
    per_part: bool = False

    def heading_for(self, year: int) -> str:
        return self.heading.format(year=year, previous_year=year - 1)


def _program(key: str, kind: PartKind, heading: str, label: str, section: str, **extra: Any) -> Part:
    return Part(key, kind, Owner.PROGRAM, heading, label, section, **extra)


# --- the program template (PRODUCT.md §3) ---------------------------------------------------------------

TITLE: Final = _program("title", PartKind.TEXT, "", "제목", "title", required=True)

PROGRAM_SECTIONS: Final[tuple[Section, ...]] = (
    Section(
        "overview",
        1,
        "사업 개요",
        "사업 개요",
        (
            _program("overview.lead", PartKind.OUTLINE, "", "사업 개요", "overview"),
            _program("overview.purpose", PartKind.OUTLINE, "목적", "사업 개요 › 목적", "overview", required=True),
            _program("overview.basis", PartKind.OUTLINE, "근거", "사업 개요 › 근거", "overview"),
            _program("overview.contents", PartKind.OUTLINE, "주요 내용", "사업 개요 › 주요 내용", "overview"),
        ),
        per_part=True,
    ),
    Section(
        "previous_achievements",
        2,
        "{previous_year}년 추진 실적",
        "전년도 추진 실적",
        (
            _program(
                "previous_achievements",
                PartKind.OUTLINE,
                "{previous_year}년 추진 실적",
                "전년도 추진 실적",
                "previous_achievements",
            ),
        ),
    ),
    Section(
        "targets",
        3,
        "추진 목표",
        "추진 목표",
        (_program("targets", PartKind.TARGETS, "추진 목표", "추진 목표", "targets", required=True),),
    ),
    Section(
        "plan",
        4,
        "추진 계획",
        "추진 계획",
        (
            _program(
                "plan.improvements",
                PartKind.OUTLINE,
                "{year}년 주요 개선 사항",
                "추진 계획 › 주요 개선 사항",
                "plan",
            ),
            _program("plan.items", PartKind.OUTLINE, "", "추진 계획", "plan", required=True),
        ),
    ),
    Section(
        "achievements",
        5,
        "추진 실적",
        "추진 실적",
        (_program("achievements", PartKind.OUTLINE, "추진 실적", "추진 실적", "achievements"),),
    ),
    Section(
        "schedule",
        6,
        "추진 일정",
        "추진 일정",
        (_program("schedule", PartKind.OUTLINE, "추진 일정", "추진 일정", "schedule", required=True),),
    ),
    Section(
        "budget",
        7,
        "예산 집행 계획",
        "예산 집행 계획",
        (
            _program("budget", PartKind.BUDGET, "예산 집행 계획", "예산 집행 계획", "budget", required=True),
            _program(
                "budget.notes",
                PartKind.OUTLINE,
                "",
                "예산 집행 계획 › 메모",
                "budget",
                optional_parent="budget",
            ),
        ),
    ),
    Section(
        "issues",
        8,
        "문제점 및 애로 사항",
        "문제점 및 애로 사항",
        (_program("issues", PartKind.OUTLINE, "문제점 및 애로 사항", "문제점 및 애로 사항", "issues"),),
    ),
)

# Every part of a program, title first, then the sections' parts in template order.
PROGRAM_PARTS: Final[tuple[Part, ...]] = (TITLE, *(part for section in PROGRAM_SECTIONS for part in section.parts))

# --- II. 업무 평가 및 개선 방향: a department's section -------------------------------------------------

SECTION_II_HEADING: Final = "업무 평가 및 개선 방향"
SECTION_II_PARTS: Final[tuple[Part, ...]] = (
    Part("results", PartKind.OUTLINE, Owner.DEPARTMENT, "성과", "성과", "results", required=True),
    Part("limits", PartKind.OUTLINE, Owner.DEPARTMENT, "한계", "한계", "limits", required=True),
    Part("directions", PartKind.OUTLINE, Owner.DEPARTMENT, "개선 방향", "개선 방향", "directions", required=True),
)

# --- I. 일반 현황 (the front matter) and the cover --------------------------------------------------------
# The front parts live on ``report.front``; their keys carry the ``front.`` prefix so they never clash
# with a program's keys in problems, comments and the audit log.


def _front(key: str, kind: PartKind, heading: str, label: str = "", **extra: Any) -> Part:
    return Part(f"front.{key}", kind, Owner.REPORT, heading, label or heading, f"front.{key}", **extra)


FRONT_HEADING: Final = "일반 현황"
FRONT_PARTS: Final[tuple[Part, ...]] = (
    _front("history", PartKind.HISTORY, "연혁"),
    _front("organization", PartKind.TEXT, "조직"),
    _front("staffing", PartKind.TABLE, "정·현원", store_key="staffing"),
    _front("staffing_notes", PartKind.OUTLINE, "", "정·현원 주석"),
    _front("facilities", PartKind.TABLE, "시설 현황", store_key="facilities"),
    _front("budget_overview", PartKind.TABLE, "예산 현황", store_key="budget_overview"),
    _front("budget_summary", PartKind.SUMMARY, "주요업무별 예산 내역"),
)

# The cover fields live on the Report itself.
COVER_PARTS: Final[tuple[Part, ...]] = tuple(
    Part(f"cover.{name}", kind, Owner.REPORT, "", label, f"cover.{name}")
    for name, kind, label in (
        ("title", PartKind.TEXT, "제목"),
        ("meeting", PartKind.TEXT, "회의"),
        ("committee", PartKind.TEXT, "위원회"),
        ("subtitle", PartKind.TEXT, "부제"),
        ("date_label", PartKind.TEXT, "날짜"),
        ("institute", PartKind.TEXT, "기관"),
        ("as_of", PartKind.DATE, "기준일"),
    )
)

# --- table columns --------------------------------------------------------------------------------------

TARGET_COLUMNS: Final[tuple[str, ...]] = ("세부사업명", "추진시기", "물량")
TARGET_FIELDS: Final[tuple[str, ...]] = ("name", "period", "quantity")  # TargetRow attributes, same order
QUARTER_COUNT: Final = 4
QUARTER_LABELS: Final[tuple[str, ...]] = tuple(f"{q}분기" for q in range(1, QUARTER_COUNT + 1))
BUDGET_LINE_NAME: Final = "사업명"
BUDGET_PAGE: Final = "설명자료 쪽수"
TOTAL_ROW_LABEL: Final = "계"
# The six amount cells of a budget line named without the year, where no year is at hand (a submission's payload).
BUDGET_CELL_LABELS: Final[tuple[str, ...]] = ("올해 예산액", "전년도 예산액", *QUARTER_LABELS)
BUDGET_TOTAL_KEY: Final = "budget.total"  # the place of the 계 row in problems and diffs
# What a budget cell may hold, as messages say it ("… 중 하나여야 합니다"); an empty cell counts as nothing.
CELL_FORMS: Final = "금액(예: 1,234), 감액(△1,234), 없음(-), 재배정, 비예산"
# What a person may type into a cell (the window and the workbook also take 1234 and -1234).
CELL_INPUT_FORMS: Final = "금액(예: 1,234 또는 1234), 감액(△1,234 또는 -1234), 없음(-), 재배정, 비예산"


def budget_amount_columns(year: int) -> tuple[str, ...]:
    """The six amount columns of a budget line as the rules and messages name them: 예산액('24) … 4분기."""
    return (f"예산액('{year % 100:02d})", f"예산액('{(year - 1) % 100:02d})", *QUARTER_LABELS)


def quarter_note_label(quarter: int) -> str:
    """The note (집행내용) column of quarter ``quarter`` (0-based)."""
    return f"{QUARTER_LABELS[quarter]} 집행내용"


# --- the front-matter tables of a new report ----------------------------------------------------------
# The printed columns of 정·현원, 시설 현황 and 예산 현황 (the 2024 report's), the first column's rows a new
# report starts with, and the caption with its as-of date. ``{year}``/``{previous_year}`` are four digits,
# ``{yy}`` the year's last two (``'24.9.1.기준``). :func:`seri_desktop.domain.new_report.empty_report`
# fills them in for the year; nothing else spells these columns out.


@dataclass(frozen=True)
class TableTemplate:
    """A front-matter table as a new report starts it: caption, header rows, the first cells of its rows."""

    key: str  # the part (``front.staffing`` …)
    caption: str
    header: tuple[tuple[str, ...], ...]
    row_labels: tuple[str, ...] = ()


_STAFF_SERIES: Final = (
    ("교육전문직", ("교 육 연구 관", "교 육 연구 사", "소 계")),
    ("교육행정·사무운영직", ("4 급", "5 급", "6~9 급", "소 계")),
    ("전산직", ("4 급", "5 급", "6~9 급", "소 계")),
)
_STAFF_SINGLE: Final = (
    "사 서 직",
    "시 설 관 리 직",
    "전 문 경 력 관",
    "교 육 공 무 직",
    "특 수 운 영 직 군",
    "기 타",
    "사 회 복 무 요 원",
)


def _staffing_header() -> tuple[tuple[str, ...], tuple[str, ...]]:
    top: list[str] = ["구 분"]
    sub: list[str] = [""]
    for series, grades in _STAFF_SERIES:
        top += [series] + [""] * (len(grades) - 1)
        sub += list(grades)
    top += [*_STAFF_SINGLE, "총 계"]
    sub += [""] * (len(_STAFF_SINGLE) + 1)
    return tuple(top), tuple(sub)


FRONT_TABLE_TEMPLATES: Final[tuple[TableTemplate, ...]] = (
    TableTemplate("front.staffing", "(단위: 명, '{yy}.9.1.기준)", _staffing_header(), ("정원", "현원")),
    TableTemplate("front.facilities", "", (("구 분", "소 재 지", "건 물 면 적", "비 고"),)),
    TableTemplate(
        "front.budget_overview",
        "(단위: 천원, '{yy}.6.30.기준)",
        (
            ("세부사업", "{year}년도", "", "{previous_year}년도", "", "증감 (A-B)", "증감율 (%)"),
            ("", "본예산(A)", "1차추경예산 (본예산 포함)", "본예산(B)", "최종예산 (추경 포함)", "", ""),
        ),
        ("계",),
    ),
)
# The caption of 주요업무별 예산 내역 and the report's as-of date (month, day) in a new report.
SUMMARY_CAPTION_TEMPLATE: Final = "(단위: 천원, '{yy}.6.30.기준)"
AS_OF_MONTH_DAY: Final = (6, 30)
# The cover of a new report: the date line, the committee (the meeting's number is the office's to fill in).
DATE_LABEL_TEMPLATE: Final = "{year}. 9."
COMMITTEE: Final = "교육위원회 보고자료"


def fill_year(text: str, year: int) -> str:
    """A template text for ``year``: ``{year}`` 2024, ``{previous_year}`` 2023, ``{yy}`` 24."""
    return text.format(year=year, previous_year=year - 1, yy=f"{year % 100:02d}")


# Places that are not parts but appear in problems and the audit log.
EXTRA_LABELS: Final[dict[str, str]] = {
    BUDGET_TOTAL_KEY: "예산 집행 계획 › 계",
    "chapter": "장 표지",
    "layout": "서식 정보",
    "department": "부서",
    "code": "번호",
    "authors": "작성자",
    "front": "일반 현황",
}

# --- lookups --------------------------------------------------------------------------------------------

_ALL_PARTS: Final[tuple[Part, ...]] = (*PROGRAM_PARTS, *SECTION_II_PARTS, *FRONT_PARTS, *COVER_PARTS)
_BY_KEY: Final[dict[str, Part]] = {part.key: part for part in _ALL_PARTS}
_SECTION_BY_KEY: Final[dict[str, Section]] = {section.key: section for section in PROGRAM_SECTIONS}


def part(key: str) -> Part:
    """The part with ``key``; ``KeyError`` for an unknown key (a bug, never user input)."""
    return _BY_KEY[key]


def find_part(key: str) -> Part | None:
    """The part with ``key``, or ``None`` (for keys that come from outside: files, comments)."""
    return _BY_KEY.get(key)


def section(key: str) -> Section:
    """The program section with ``key`` (``"overview"`` …)."""
    return _SECTION_BY_KEY[key]


def label(key: str, year: int | None = None) -> str:
    """The label of a part, a section or an extra place for messages; the key itself when unknown."""
    found = _BY_KEY.get(key)
    if found is not None:
        return found.label if year is None else found.label_for(year)
    sec = _SECTION_BY_KEY.get(key)
    if sec is not None:
        return sec.label
    return EXTRA_LABELS.get(key, key)


def _labels() -> Mapping[str, str]:
    labels = dict(EXTRA_LABELS)
    labels.update((sec.key, sec.label) for sec in PROGRAM_SECTIONS)
    labels.update((p.key, p.label) for p in _ALL_PARTS)
    return MappingProxyType(labels)


# Every key that :func:`label` knows, with its label (for code that needs a mapping, not a call).
LABELS: Final[Mapping[str, str]] = _labels()


def parts_of(owner: Owner, *kinds: PartKind) -> tuple[Part, ...]:
    """The parts of an owner in template order, optionally only those of ``kinds``."""
    source = {Owner.PROGRAM: PROGRAM_PARTS, Owner.DEPARTMENT: SECTION_II_PARTS, Owner.REPORT: FRONT_PARTS}[owner]
    return tuple(p for p in source if not kinds or p.kind in kinds)


# Parts that code refers to by meaning (roll-over moves achievements into the previous year's,
# the budget rules read the budget ...): named here so no other module spells their keys.
PREVIOUS_ACHIEVEMENTS: Final = part("previous_achievements")
ACHIEVEMENTS: Final = part("achievements")
TARGETS: Final = part("targets")
PLAN_IMPROVEMENTS: Final = part("plan.improvements")
PLAN_ITEMS: Final = part("plan.items")
SCHEDULE: Final = part("schedule")
BUDGET: Final = part("budget")
BUDGET_NOTES: Final = part("budget.notes")
ISSUES: Final = part("issues")
OVERVIEW_LEAD: Final = part("overview.lead")
OVERVIEW_PURPOSE: Final = part("overview.purpose")
STAFFING: Final = part("front.staffing")
STAFFING_NOTES: Final = part("front.staffing_notes")
BUDGET_OVERVIEW: Final = part("front.budget_overview")
BUDGET_SUMMARY: Final = part("front.budget_summary")

PROGRAM_OUTLINE_PARTS: Final[tuple[Part, ...]] = parts_of(Owner.PROGRAM, PartKind.OUTLINE)
FRONT_OUTLINE_PARTS: Final[tuple[Part, ...]] = parts_of(Owner.REPORT, PartKind.OUTLINE)
FRONT_TABLE_PARTS: Final[tuple[Part, ...]] = parts_of(Owner.REPORT, PartKind.TABLE)


# --- reading and writing a part on its owner -------------------------------------------------------------


def _path(owner: Any, key: str) -> tuple[Any, str]:
    # Resolve every attribute but the last; a report's front parts start at ``report`` ("front.staffing").
    names = key.removeprefix("cover.").split(".")
    target = owner
    for name in names[:-1]:
        target = getattr(target, name)
        if target is None:
            break
    return target, names[-1]


def get(owner: Any, p: Part) -> Any:
    """The value of part ``p`` on ``owner``; an outline under a missing optional parent reads as empty."""
    target, name = _path(owner, p.key)
    if target is None:
        return [] if p.kind is PartKind.OUTLINE else None
    return getattr(target, name)


def put(owner: Any, p: Part, value: Any) -> None:
    """Set part ``p`` on ``owner``; a value under a missing optional parent is dropped (there is no table)."""
    target, name = _path(owner, p.key)
    if target is None:
        return
    setattr(target, name, value)


def outlines(owner: Any, parts: tuple[Part, ...]) -> Iterator[tuple[Part, Any]]:
    """``(part, outline)`` for every outline part of ``parts`` on ``owner`` that exists (optional parents set)."""
    for p in parts:
        if p.kind is not PartKind.OUTLINE:
            continue
        target, _name = _path(owner, p.key)
        if target is not None:
            yield p, get(owner, p)
