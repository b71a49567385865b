"""What the two printed forms of the report (PDF and 한글) share, said once: table headers, captions, alignment.

Both :mod:`seri_desktop.formats.pdf` and :mod:`seri_desktop.formats.hwpx` lay
out the budget table (예산 집행 계획) and the summary table (주요업무별 예산
내역) with the same two header rows and the same merged header cells, put
the same unit / as-of captions above them, align a column of printed
values the same way and know a table's total row the same way. Each draws them in its own library; this module gives
the words and the shape, with no layout library involved.

A merged range is a :data:`Span`: ``(first row, first column, last row, last
column)``, inclusive, counted from the table's top-left cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Literal

from seri_desktop.domain import template as T
from seri_desktop.domain.model import BudgetTable, Report
from seri_desktop.formats import text_format as tf

Span = tuple[int, int, int, int]
Align = Literal["LEFT", "CENTER", "RIGHT"]

EXECUTED_HEADER: Final = "집행액 / 집행내용"
PLANNED_HEADER: Final = "집행예정액 / 집행내용"
PAGE_HEADER: Final = f"주요사업별 {T.BUDGET_PAGE}"
SUMMARY_EXECUTED: Final = "집행액"
SUMMARY_PLANNED: Final = "집행계획"

# The first quarter column of each table: 사업명 | '24 | '23 | 1-4분기 | 쪽수, and 번호 | 주요업무명 | '24 | '23 | 1-4분기 | 쪽수.
BUDGET_FIRST_QUARTER: Final = 3
SUMMARY_FIRST_QUARTER: Final = 4

# The first cell of a table's total row (a front-matter table's 계, 합계 or 총계): printed bold and shaded.
TOTAL_LABELS: Final = frozenset({T.TOTAL_ROW_LABEL, f"합{T.TOTAL_ROW_LABEL}", f"총{T.TOTAL_ROW_LABEL}"})


def is_total_row(first_cell: str) -> bool:
    """Whether a printed table's row is its total row, by its first cell ("계", "합 계", "총계" ...)."""
    return first_cell.replace(" ", "") in TOTAL_LABELS


# A number, maybe with a unit: right-aligned when long, so the digits line up.
NUMERIC: Final = re.compile(r"^[△-]?\d[\d,]*(\.\d+)?\s*(%|㎡|명|개|건|원|천원|회|편|부|교)?$")
# Longer numbers than this are right-aligned (digits line up); shorter ones are centred.
SHORT_NUMBER: Final = 6
SHORT_LABEL: Final = 8


def as_of_label(year: int, month: int, day: int) -> str:
    """The as-of date as the report prints it: ``'24.6.30.기준``."""
    return f"'{year % 100:02d}.{month}.{day}.기준"


def budget_caption(budget: BudgetTable) -> str:
    """ "(단위: 천원, '24.6.30.기준)" above a budget table."""
    if budget.as_of is None:
        return f"(단위: {budget.unit})"
    d = budget.as_of
    return f"(단위: {budget.unit}, {as_of_label(d.year, d.month, d.day)})"


def summary_caption(report: Report) -> str:
    """The caption above the summary table: the one the report gives, else its unit and as-of date."""
    if report.front.budget_summary_caption:
        return report.front.budget_summary_caption
    if report.as_of is None:
        return f"(단위: {report.unit})"
    d = report.as_of
    return f"(단위: {report.unit}, {as_of_label(d.year, d.month, d.day)})"


def quarter_spans(executed: int, first_col: int, row: int = 0) -> list[Span]:
    """The executed / planned labels over the four quarter columns, split at the as-of date."""
    last = first_col + T.QUARTER_COUNT - 1
    if 0 < executed < T.QUARTER_COUNT:
        return [(row, first_col, row, first_col + executed - 1), (row, first_col + executed, row, last)]
    return [(row, first_col, row, last)]


def budget_header(report: Report, executed: int) -> tuple[list[str], list[str]]:
    """The two header rows of a budget table: 사업명 | 예산액 ('24, '23) | 집행액 / 집행예정액 (quarters) | 쪽수."""
    yy, py = report.year % 100, (report.year - 1) % 100
    top = [T.BUDGET_LINE_NAME, "예산액", "", EXECUTED_HEADER if executed else PLANNED_HEADER, "", "", "", PAGE_HEADER]
    if 0 < executed < T.QUARTER_COUNT:
        top[BUDGET_FIRST_QUARTER + executed] = PLANNED_HEADER
    second = ["", f"'{yy:02d}", f"'{py:02d}", *T.QUARTER_LABELS, ""]
    return top, second


def budget_header_spans(executed: int) -> list[Span]:
    """The merged cells of :func:`budget_header`: 사업명 and 쪽수 down both rows, 예산액 and the quarters' labels across."""
    page = BUDGET_FIRST_QUARTER + T.QUARTER_COUNT
    return [(0, 0, 1, 0), (0, 1, 0, 2), (0, page, 1, page), *quarter_spans(executed, BUDGET_FIRST_QUARTER)]


def summary_header(report: Report) -> tuple[list[str], list[str], int]:
    """The summary table's two header rows and how many quarters are executed by the report's as-of date."""
    cy, py = report.year % 100, (report.year - 1) % 100
    top, second = ([c.format(cy=cy, py=py) for c in row] for row in tf.SUMMARY_HEADER)
    executed = BudgetTable(as_of=report.as_of).executed_quarters()
    first = SUMMARY_FIRST_QUARTER
    top[first : first + T.QUARTER_COUNT] = [SUMMARY_EXECUTED if executed else SUMMARY_PLANNED, "", "", ""]
    if 0 < executed < T.QUARTER_COUNT:
        top[first + executed] = SUMMARY_PLANNED
    second[first : first + T.QUARTER_COUNT] = list(T.QUARTER_LABELS)
    return top, second, executed


def summary_header_spans(executed: int) -> list[Span]:
    """The merged cells of :func:`summary_header`: 번호, 주요업무명 and 쪽수 down, 예산액 and the quarters across."""
    page = SUMMARY_FIRST_QUARTER + T.QUARTER_COUNT
    return [
        (0, 0, 1, 0),
        (0, 1, 1, 1),
        (0, 2, 0, 3),
        (0, page, 1, page),
        *quarter_spans(executed, SUMMARY_FIRST_QUARTER),
    ]


def column_align(values: Sequence[str]) -> Align:
    """Long numbers right (digits line up), short ones and short labels centred, text left.

    A column that mixes numbers and words (a small table read across its
    rows: 시기 '2021년~ 2022년' over 대수 '65,665') is centred throughout.
    """
    present = [v.strip() for v in values if v.strip() and v.strip() != "-"]
    numbers = [v for v in present if NUMERIC.match(v)]
    if present and len(numbers) == len(present):
        return "RIGHT" if any(len(v) > SHORT_NUMBER for v in present) else "CENTER"
    if numbers or (present and max(len(v) for v in present) <= SHORT_LABEL):
        return "CENTER"
    return "LEFT"
