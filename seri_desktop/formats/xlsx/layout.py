"""The budget workbook's fixed layout, shared by the writer and the reader.

Everything the reader verifies is defined here once: sheet kinds, the header
rows, the hidden key column and how a key is spelled, and the row
fingerprints that tell whether the stored report changed after the export.
The column labels the report template has (사업명, the amount columns with
their years, the quarters and their 집행내용, 설명자료 쪽수, the 추진 목표
columns) come from :mod:`seri_desktop.domain.template`; only what the
workbook adds (its key column, the quarter sum, the row number) is named
here. The layout is documented in :mod:`seri_desktop.formats.xlsx`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final

from seri_desktop.domain import template as T
from seri_desktop.domain.model import BudgetLine, TargetRow
from seri_desktop.formats import text_format as tf

FORMAT_ID: Final = "seri-desktop/budget-workbook"
FORMAT_VERSION: Final = 1

INFO_SHEET: Final = "_seri"
SUMMARY_SHEET: Final = "요약"
TARGETS_SHEET: Final = T.TARGETS.heading
PROBLEMS_SHEET: Final = "점검 결과"
RESERVED_SHEETS: Final = (INFO_SHEET, SUMMARY_SHEET, TARGETS_SHEET, PROBLEMS_SHEET)

# A readable sheet's kind (written into the hidden sheet) is the key of the template part it holds.
KIND_BUDGET: Final = T.BUDGET.key
KIND_TARGETS: Final = T.TARGETS.key
KIND_SUMMARY: Final = "summary"
KIND_PROBLEMS: Final = "problems"

# Characters of one cell: Excel's own limit. No file Excel saves holds more, openpyxl cuts longer text
# when a cell is set, so the writer refuses it rather than lose the rest, and the reader refuses more.
MAX_CELL_CHARS: Final = 32_767

TITLE_ROW: Final = 1
NOTE_ROW: Final = 2
HEADER_ROW: Final = 3
FIRST_DATA_ROW: Final = 4

# Budget sheet columns (1-based). Amounts sit side by side so that a program's
# 계 row is one SUM per column; each quarter's note (집행내용) has its own column.
B_CODE: Final = 1  # A 번호
B_NAME: Final = 2  # B 사업명 (the program title on its header row, "계" on its subtotal row)
B_CURRENT: Final = 3  # C 예산액('24)
B_PREVIOUS: Final = 4  # D 예산액('23)
B_QUARTERS: Final = (5, 6, 7, 8)  # E–H 1분기 … 4분기
B_NOTES: Final = (9, 10, 11, 12)  # I–L 1분기 집행내용 … 4분기 집행내용 (one per quarter)
B_PAGE: Final = 13  # M 설명자료 쪽수
B_QUARTER_SUM: Final = 14  # N 1~4분기 합계 (formula, never read)
B_KEY: Final = 15  # O hidden key
B_AMOUNTS: Final = (B_CURRENT, B_PREVIOUS, *B_QUARTERS)

# Targets sheet columns.
T_CODE: Final = 1  # A 번호
T_TITLE: Final = 2  # B 주요업무명 (first row of a program only)
T_DEPARTMENT: Final = 3  # C 부서
T_ROW: Final = 4  # D 행 (1-based row of the program's 추진 목표 table)
T_NAME: Final = 5  # E 세부사업명
T_PERIOD: Final = 6  # F 추진시기
T_QUANTITY: Final = 7  # G 물량
T_KEY: Final = 8  # H hidden key

KEY_HEADER: Final = "키"
CODE_HEADER: Final = T.label("code")  # 번호
PROGRAM_TITLE_HEADER: Final = tf.SUMMARY_TITLE  # the program's title, as the report's summary table names it
DEPARTMENT_HEADER: Final = T.label("department")
TARGET_ROW_HEADER: Final = "행"
QUARTER_SUM_HEADER: Final = "1~4분기 합계"
SHEET_MARKERS: Final[dict[str, str]] = {KIND_BUDGET: "seri:budget:1", KIND_TARGETS: "seri:targets:1"}
KEY_COLUMNS: Final[dict[str, int]] = {KIND_BUDGET: B_KEY, KIND_TARGETS: T_KEY}

# Row keys in the hidden column: kind letter, program uid, row number, fingerprint.
KEY_PROGRAM: Final = "p"  # program header row of a budget sheet
KEY_LINE: Final = "l"  # a budget line
KEY_TOTAL: Final = "t"  # a program's 계 row
KEY_TARGET: Final = "r"  # a row of 추진 목표
KEY_SEP: Final = "|"


def budget_headers(year: int) -> list[str]:
    """The header row of a department sheet, column A to O."""
    return [
        CODE_HEADER,
        T.BUDGET_LINE_NAME,
        *T.budget_amount_columns(year),
        *(T.quarter_note_label(q) for q in range(T.QUARTER_COUNT)),
        T.BUDGET_PAGE,
        QUARTER_SUM_HEADER,
        KEY_HEADER,
    ]


def target_headers() -> list[str]:
    """The header row of the 추진 목표 sheet, column A to H."""
    return [CODE_HEADER, PROGRAM_TITLE_HEADER, DEPARTMENT_HEADER, TARGET_ROW_HEADER, *T.TARGET_COLUMNS, KEY_HEADER]


def _fingerprint(values: list[str]) -> str:
    # Short is enough: it only has to notice that a row changed, not resist forgery.
    return hashlib.blake2b("\x1f".join(values).encode("utf-8"), digest_size=6).hexdigest()


def line_fingerprint(line: BudgetLine) -> str:
    """What a budget line looked like when it was exported."""
    values = [line.name, line.current.format(), line.previous.format(), line.page]
    values += [q.amount.format() for q in line.quarters] + [q.note for q in line.quarters]
    return _fingerprint(values)


def target_fingerprint(row: TargetRow) -> str:
    """What a target row looked like when it was exported."""
    return _fingerprint([row.name, row.period, row.quantity])


def make_key(kind: str, program: str, number: int = 0, fingerprint: str = "") -> str:
    """A row key: ``l|<uid>|2|3f2a…`` (line 2 of the program with that permanent id, and its fingerprint).

    The program is named by its uid, not its code, so a workbook exported before
    the office renumbered or moved programs still lands in the right ones.
    """
    return KEY_SEP.join((kind, program, str(number), fingerprint))


@dataclass(frozen=True)
class RowKey:
    """A parsed row key."""

    kind: str
    program: str  # the program's uid; a workbook from before the ids holds its code here
    number: int
    fingerprint: str


def parse_key(text: object) -> RowKey | None:
    """The key of a row, or None when the cell does not hold one."""
    if not isinstance(text, str):
        return None
    parts = text.split(KEY_SEP)
    if len(parts) != 4 or parts[0] not in (KEY_PROGRAM, KEY_LINE, KEY_TOTAL, KEY_TARGET):
        return None
    try:
        number = int(parts[2])
    except ValueError:
        return None
    return RowKey(parts[0], parts[1], number, parts[3])
