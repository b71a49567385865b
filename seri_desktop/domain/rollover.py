"""Next year's report from this one (PRODUCT.md §5): ``roll_over(report, to_year)``.

Plain Python on the model: the given report is never modified (the new one
is built from a deep copy), and the command does the store part.

What moves, per program:

* 추진 실적 (achievements) becomes 전년도 추진 실적; the heading ("2024년 추진
  실적") follows from the new year. 추진 실적 starts empty.
* Each budget line's current budget becomes its previous budget; the
  current budget and the four quarters (amounts and 집행내용) are emptied, and
  so is 설명자료 쪽수 (a page in this year's budget book). The printed 계 row
  is dropped (the total is computed) and the as-of date moves one year on.
* 추진 목표, 추진 계획 (개선 사항 and plan), 추진 일정 and 문제점 및 애로 사항
  are carried over unchanged as drafts for the department to revise, and are
  marked as last year's text (below); so are the ※ notes under the budget
  table, which explain last year's figures. The overview (목적, 근거, 주요 내용)
  is carried over unmarked: it describes the program rather than the year.
  Which parts these are is said once, in ``DRAFT_PARTS``, by the template's
  named parts.

Report-wide: the as-of date and the cover's date label ("2024. 9." →
"2025. 9.") move one year on; 주요업무별 예산 내역 and the chapters' printed
program lists are derived and start empty (they are generated from the
programs); 예산 현황 shifts its year columns (this year's figures become the
previous year's, the new year's are empty) and is marked as a draft; the
staffing and facilities tables and section II (성과, 한계, 개선 방향) are
carried over and marked. The cover's meeting line (제326회 …), the author
blocks and the history are carried as they are: nothing in the report tells
next year's session number or staff, so the office sets them. Layout hints describe how last year's source text
was printed, so they are not carried: the new report starts canonical.

Marking carried-over drafts (for the UI's "작년 내용" badge). The ``layout``
dict of a program, a department and the report holds::

    layout["carried_over_from"] = 2024          # the year the text was written for
    layout["carried_over_sections"] = ["targets", "plan", "schedule", "issues"]

Only sections that had content are listed. The keys are the template's
(those of ``Problem.section``): a section's key when all its parts are
drafts (``plan``), a part's key otherwise (the budget's notes); for a
department the keys of its section II parts, for the report those of the
front tables (정·현원, 시설 현황, 예산 현황).
When a user revises a section, the UI calls :func:`mark_revised`, which
removes it from the list (and both keys once the list is empty).
:func:`carried_over_sections` reads the marks. Review states are not part
of the model: the store keeps them per year, and a year without records
starts every program as 작성중, so a new report has nothing to reset.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Final

from seri_desktop.domain import template
from seri_desktop.domain.model import BudgetTable, Cell, Chapter, Department, Program, Quarter, Report, SimpleTable
from seri_desktop.domain.template import Part, PartKind
from seri_desktop.errors import UserError

CARRIED_FROM_KEY: Final = "carried_over_from"
CARRIED_SECTIONS_KEY: Final = "carried_over_sections"

_DATE_LABEL = re.compile(r"^(\s*)(\d{4})(\D.*)?$", re.DOTALL)
_SHORT_DATE = re.compile(r"'(\d{2})\.(\s*\d{1,2}\.\s*\d{1,2}\.?)")
_YEAR_COLUMN = re.compile(r"(\d{4})\s*년도")

# The parts carried over unchanged as drafts for the department to revise, in the order their marks
# are listed. The achievements move into the previous year's, the budget shifts a year (below).
DRAFT_PARTS: Final[tuple[Part, ...]] = (
    template.TARGETS,
    template.PLAN_IMPROVEMENTS,
    template.PLAN_ITEMS,
    template.SCHEDULE,
    template.ISSUES,
    template.BUDGET_NOTES,
)


def _draft_marks() -> tuple[tuple[str, tuple[Part, ...]], ...]:
    """(mark key, its parts): a section all of whose parts are drafts is marked as a whole."""
    marks: dict[str, tuple[Part, ...]] = {}
    for p in DRAFT_PARTS:
        whole = all(q in DRAFT_PARTS for q in template.section(p.section).parts)
        key = p.section if whole else p.key
        marks[key] = (*marks.get(key, ()), p)
    return tuple(marks.items())


_DRAFT_MARKS: Final = _draft_marks()


class RolloverError(UserError, ValueError):
    """The roll-over cannot be done as asked (Korean message)."""

    default_code = "rollover"


def roll_over(report: Report, to_year: int | None = None) -> Report:
    """The report of ``to_year`` (default: the next year) built from ``report``, which stays untouched."""
    source_year = report.year
    year = source_year + 1 if to_year is None else to_year
    if year != source_year + 1:
        raise RolloverError(
            f"{source_year}년 보고서는 {source_year + 1}년 보고서로만 넘길 수 있습니다"
            f"({year}년을 요청했습니다). 예산은 한 해씩 옮겨집니다."
        )
    new = copy.deepcopy(report)
    new.year = year
    new.as_of = _next_year(report.as_of)
    new.date_label = _shift_date_label(report.date_label, source_year)
    new.layout = {}
    _roll_front(new, source_year)
    for department in new.departments:
        _roll_department(department, source_year)
    for chapter in new.chapters:
        _roll_chapter(chapter, source_year)
    return new


def carried_over_sections(layout: dict[str, object]) -> tuple[int | None, list[str]]:
    """(year the drafts were written for, sections still carrying last year's text) of a layout dict."""
    year = layout.get(CARRIED_FROM_KEY)
    sections = layout.get(CARRIED_SECTIONS_KEY)
    listed = [str(s) for s in sections] if isinstance(sections, list) else []
    return (year if isinstance(year, int) else None), listed


def mark_revised(layout: dict[str, object], section: str) -> None:
    """Take ``section`` off the carried-over list of a layout dict (the user revised it)."""
    _, sections = carried_over_sections(layout)
    if section not in sections:
        return
    sections.remove(section)
    if sections:
        layout[CARRIED_SECTIONS_KEY] = sections
    else:
        layout.pop(CARRIED_SECTIONS_KEY, None)
        layout.pop(CARRIED_FROM_KEY, None)


# --- helpers -----------------------------------------------------------------------------------------


def _mark(layout: dict[str, object], source_year: int, sections: list[str]) -> None:
    if sections:
        layout[CARRIED_FROM_KEY] = source_year
        layout[CARRIED_SECTIONS_KEY] = sections


def _next_year(date: dt.date | None) -> dt.date | None:
    if date is None:
        return None
    try:
        return date.replace(year=date.year + 1)
    except ValueError:  # 29 February
        return date.replace(year=date.year + 1, day=28)


def _shift_date_label(label: str, source_year: int) -> str:
    """``2024. 9.`` → ``2025. 9.``; a label that does not start with the year stays as it is."""
    m = _DATE_LABEL.match(label)
    if not m or int(m.group(2)) != source_year:
        return label
    return f"{m.group(1)}{source_year + 1}{m.group(3) or ''}"


def _shift_short_dates(text: str, source_year: int) -> str:
    """``'24.6.30.`` → ``'25.6.30.`` for dates of the source year only."""
    yy = source_year % 100

    def repl(m: re.Match[str]) -> str:
        if int(m.group(1)) != yy:
            return m.group(0)
        return f"'{(yy + 1) % 100:02d}.{m.group(2)}"

    return _SHORT_DATE.sub(repl, text)


def _roll_front(report: Report, source_year: int) -> None:
    front = report.front
    front.budget_summary = []  # derived from the programs' budgets
    front.budget_summary_caption = _shift_short_dates(front.budget_summary_caption, source_year)
    carried: list[str] = []
    for p in template.FRONT_TABLE_PARTS:
        table: SimpleTable = template.get(report, p)
        has_rows = _shift_budget_overview(table, source_year) if p is template.BUDGET_OVERVIEW else bool(table.rows)
        if has_rows:
            carried.append(p.key)
    _mark(report.layout, source_year, carried)


def _shift_budget_overview(table: SimpleTable, source_year: int) -> bool:
    """예산 현황: this year's column group becomes last year's, the new year's group and 증감 are emptied.

    Returns whether the table had rows (and so is now a draft). A header whose
    year groups cannot be told apart keeps its figures, only the caption moves.
    """
    table.caption = _shift_short_dates(table.caption, source_year)
    if not table.rows:
        return False
    if not table.header:
        return True
    top = table.header[0]
    groups: dict[int, list[int]] = {}
    current: int | None = None
    for i, label in enumerate(top):
        m = _YEAR_COLUMN.search(label)
        if m:
            current = int(m.group(1))
            groups[current] = [i]
        elif current is not None and not label.strip() and i > 0:
            groups[current].append(i)
        else:
            current = None
    this, last = groups.get(source_year), groups.get(source_year - 1)
    if not this or not last or len(this) != len(last):
        return True
    change = [i for i, label in enumerate(top) if "증감" in label.replace(" ", "")]
    for row in table.rows:
        cells = row + [""] * (len(top) - len(row))
        for src, dst in zip(this, last, strict=True):
            cells[dst] = cells[src]
        for i in (*this, *change):
            cells[i] = ""
        row[:] = cells
    for header_row in table.header:
        for i, label in enumerate(header_row):
            header_row[i] = _YEAR_COLUMN.sub(lambda m: f"{int(m.group(1)) + 1}년도", label)
    return True


def _roll_department(department: Department, source_year: int) -> None:
    department.layout = {}
    sections = [p.key for p in template.SECTION_II_PARTS if template.get(department, p)]
    _mark(department.layout, source_year, sections)


def _roll_chapter(chapter: Chapter, source_year: int) -> None:
    chapter.layout = {}
    chapter.listed_programs = []  # printed list of the title page: generated from the programs
    for program in chapter.programs:
        _roll_program(program, source_year)


def _has_content(program: Program, p: Part) -> bool:
    value = template.get(program, p)
    if p.kind is PartKind.TARGETS:
        return value is not None and bool(value.rows)
    return bool(value)


def _roll_program(program: Program, source_year: int) -> None:
    template.put(program, template.PREVIOUS_ACHIEVEMENTS, template.get(program, template.ACHIEVEMENTS))
    template.put(program, template.ACHIEVEMENTS, [])
    if program.budget is not None:
        _roll_budget(program.budget)
    program.layout = {}
    sections = [key for key, parts in _DRAFT_MARKS if any(_has_content(program, p) for p in parts)]
    _mark(program.layout, source_year, sections)


def _roll_budget(budget: BudgetTable) -> None:
    budget.as_of = _next_year(budget.as_of)
    budget.printed_total = None
    for line in budget.lines:
        line.previous = line.current
        line.current = Cell()
        line.quarters = [Quarter() for _ in range(template.QUARTER_COUNT)]
        line.page = ""
        line.notes_below = False  # nothing left to print on a notes row
