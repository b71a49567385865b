"""Write the budget workbook (예산 통합 문서) of a report with openpyxl.

See :mod:`seri_desktop.formats.xlsx` for the layout. The writer keeps every
derived figure a live formula (per-program 계 rows, the summary sheet, the
grand total), so an edit in Excel shows its effect at once and nothing
derived has to be read back.

Those formulas are the only formulas in the file (issue 12 item 6): every
value is written through :func:`_put`, which types text as a string whatever
it starts with (a title ``=HYPERLINK(...)`` stays that text; see
:mod:`seri_desktop.formats.injection`), and the app's own formulas through
:func:`_put_formula`. An amount is a number cell (a negative one too, shown
with △); the markers ``-`` and ``재배정`` are text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from seri_desktop.domain import template as T
from seri_desktop.domain.model import BudgetTable, Cell, CellKind, Program, Report
from seri_desktop.domain.rules import Problem, Severity, check_report
from seri_desktop.errors import UserError
from seri_desktop.formats import text_format as tf
from seri_desktop.formats.files import write_atomically
from seri_desktop.formats.injection import looks_like_formula
from seri_desktop.formats.xlsx import layout as L

# Positive; negative with △ instead of a minus sign; zero. Totals print a zero as "-", as the report does.
AMOUNT_FORMAT = '#,##0;"△"#,##0;0'
TOTAL_FORMAT = '#,##0;"△"#,##0;"-"'
TEXT_FORMAT = "@"

FONT_NAME = "맑은 고딕"  # the Korean UI font of Windows and Office; other systems substitute a Hangul font
_FONT = Font(name=FONT_NAME, size=10)
_BOLD = Font(name=FONT_NAME, size=10, bold=True)
_TITLE = Font(name=FONT_NAME, size=14, bold=True)
_NOTE = Font(name=FONT_NAME, size=9, italic=True, color="595959")
_RED = Font(name=FONT_NAME, size=10, bold=True, color="C00000")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_PROGRAM_FILL = PatternFill("solid", fgColor="EDF2F9")
_DERIVED_FILL = PatternFill("solid", fgColor="F2F2F2")
_NO_FILL = PatternFill()
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center")
_WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
_RIGHT = Alignment(horizontal="right", vertical="center")

# Cell styles as named styles: assigning one by name copies a ready style
# record, where setting font, fill, border and alignment one by one hashes
# each object per cell (that was most of the export time of a large report).
S_HEADER = "seri 머리글"
S_TEXT = "seri 글자"  # an input text cell (kept as text: number format @)
S_CODE = "seri 번호"
S_LEFT = "seri 왼쪽"
S_AMOUNT = "seri 금액"
S_DERIVED = "seri 계산"  # a formula on a data row
S_TOTAL = "seri 계"
S_TOTAL_LABEL = "seri 계 제목"
S_PROGRAM = "seri 사업"
S_SHOWN = "seri 표시"  # read-only text next to input cells
S_SHOWN_CENTER = "seri 표시 가운데"
S_ERROR = "seri 오류"
S_PAGE = "seri 쪽수"
S_REF = "seri 참조"  # a figure taken from another sheet

# The summary sheet's word on its 쪽수 column (where the pages come from, or why they are empty).
PAGES_FROM_PDF_NOTE = "쪽수는 마지막으로 만든 보고서 PDF의 쪽입니다."
NO_PDF_PAGES_NOTE = "쪽수는 보고서 전체 PDF를 만든 뒤 내보내면 채워집니다(인쇄본의 쪽수는 쓰지 않음)."
_STYLES: dict[str, tuple[Font, PatternFill, Alignment, str]] = {
    S_HEADER: (_BOLD, _HEADER_FILL, _CENTER, "General"),
    S_TEXT: (_FONT, _NO_FILL, _WRAP, "@"),
    S_CODE: (_FONT, _NO_FILL, _CENTER, "General"),
    S_LEFT: (_FONT, _NO_FILL, _LEFT, "General"),
    S_AMOUNT: (_FONT, _NO_FILL, _RIGHT, AMOUNT_FORMAT),
    S_DERIVED: (_FONT, _DERIVED_FILL, _RIGHT, TOTAL_FORMAT),
    S_TOTAL: (_BOLD, _DERIVED_FILL, _RIGHT, TOTAL_FORMAT),
    S_TOTAL_LABEL: (_BOLD, _DERIVED_FILL, _CENTER, "General"),
    S_PROGRAM: (_BOLD, _PROGRAM_FILL, _LEFT, "General"),
    S_SHOWN: (_FONT, _DERIVED_FILL, _WRAP, "General"),
    S_SHOWN_CENTER: (_FONT, _DERIVED_FILL, _CENTER, "General"),
    S_ERROR: (_RED, _NO_FILL, _CENTER, "General"),
    S_PAGE: (_FONT, _NO_FILL, _CENTER, "@"),
    S_REF: (_FONT, _NO_FILL, _RIGHT, TOTAL_FORMAT),
}


def _add_styles(wb: Workbook) -> None:
    for name, (font, fill, alignment, number_format) in _STYLES.items():
        style = NamedStyle(name=name, font=font, fill=fill, border=_BORDER, alignment=alignment)
        style.number_format = number_format
        wb.add_named_style(style)


LINE_HEIGHT = 13.5  # points per line of 10-point text
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_SHEET_TITLE = 31


@dataclass
class _SheetInfo:
    title: str
    kind: str
    keyed_rows: int = 0
    title_rows: set[int] = field(default_factory=set)


@dataclass
class _ProgramRows:
    """Where a program's rows landed on its department sheet (for the summary's references)."""

    sheet: str
    total_row: int | None = None


@dataclass
class _Context:
    report: Report
    pages: dict[str, int] | None = None  # program uid → page in the last PDF built, None without one
    sheets: list[_SheetInfo] = field(default_factory=list)
    placed: dict[str, _ProgramRows] = field(default_factory=dict)


def build_budget_workbook(
    report: Report, problems: list[Problem] | None = None, pages: Mapping[str, int] | None = None
) -> Workbook:
    """The budget workbook of ``report`` (``problems`` defaults to ``check_report(report)``).

    ``pages``: where each program starts (program uid → page) in the last PDF built of the whole
    report; without it the summary's 쪽수 stay empty and its note says why. A printed report's
    pages (the imported summary) are never used: they describe last year's layout, not this one.
    """
    if problems is None:
        problems = check_report(report)
    ctx = _Context(report, dict(pages) if pages is not None else None)
    wb = Workbook()
    _add_styles(wb)
    summary = wb.active
    summary.title = L.SUMMARY_SHEET
    used = set(L.RESERVED_SHEETS)
    for department, programs in _programs_by_department(report):
        title = _sheet_title(department, used)
        used.add(title)
        _write_budget_sheet(ctx, wb.create_sheet(title), department, programs)
    _write_targets_sheet(ctx, wb.create_sheet(L.TARGETS_SHEET))
    _write_problems_sheet(wb.create_sheet(L.PROBLEMS_SHEET), problems)
    _write_summary_sheet(ctx, summary)
    _write_info_sheet(ctx, wb.create_sheet(L.INFO_SHEET))
    wb.active = 0
    return wb


def write_budget_workbook(
    report: Report, path: Path, problems: list[Problem] | None = None, pages: Mapping[str, int] | None = None
) -> None:
    """Write the workbook atomically: a crash never leaves half a file under ``path``.

    A place that cannot take the file raises :class:`~seri_desktop.formats.files.FileWriteError`.
    ``pages`` as for :func:`build_budget_workbook`.
    """
    wb = build_budget_workbook(report, problems, pages)
    write_atomically(Path(path), wb.save, "엑셀")


# --- helpers -----------------------------------------------------------------------------------------


def _programs_by_department(report: Report) -> list[tuple[str, list[Program]]]:
    """Programs grouped by their department, in the report's department order."""
    groups: dict[str, list[Program]] = {d.name: [] for d in sorted(report.departments, key=lambda d: d.order)}
    for program in report.programs():
        groups.setdefault(program.department or "부서 없음", []).append(program)
    return [(name, programs) for name, programs in groups.items() if programs]


def _sheet_title(name: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("_", name).strip("' ") or "부서"
    base = base[:_MAX_SHEET_TITLE]
    title, n = base, 2
    # Excel compares sheet names case-insensitively.
    lowered = {u.lower() for u in used}
    while title.lower() in lowered:
        suffix = f" ({n})"
        title = base[: _MAX_SHEET_TITLE - len(suffix)] + suffix
        n += 1
    return title


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _text(value: str) -> str:
    # openpyxl refuses control characters; they carry nothing a reader could see.
    cleaned: str = ILLEGAL_CHARACTERS_RE.sub("", value)
    return cleaned


class XlsxWriteError(UserError):
    """The report holds something a workbook cannot (the message is Korean and names the cell)."""

    default_code = "xlsx-write"


def _set(ws: Worksheet, row: int, col: int, value: object) -> Any:
    """Write a value; text is always a string cell, never a formula (openpyxl would take "=…" for one)."""
    if isinstance(value, str):
        text = _text(value)
        if len(text) > L.MAX_CELL_CHARS:
            raise XlsxWriteError(
                f"{ws.title}!{get_column_letter(col)}{row}: 글자가 {len(text):,}자라 엑셀 한 칸"
                f"({L.MAX_CELL_CHARS:,}자까지)에 들어가지 않습니다. 내용을 줄이거나 나누어 적으십시오."
            )
        cell = ws.cell(row=row, column=col, value=text or None)
        if text:
            cell.data_type = "s"
            if looks_like_formula(text):
                cell.quotePrefix = True  # as Excel marks typed '=…: editing the cell keeps it text
        return cell
    return ws.cell(row=row, column=col, value=value)


def _put(ws: Worksheet, row: int, col: int, value: object, style: str) -> Any:
    cell = _set(ws, row, col, value)
    cell.style = style
    if cell.data_type == "s" and looks_like_formula(str(cell.value)):
        cell.quotePrefix = True  # the named style reset it
    return cell


def _put_formula(ws: Worksheet, row: int, col: int, formula: str, style: str) -> Any:
    """One of the app's own formulas (a SUM, a reference to a 계 row): the only formulas the file holds."""
    cell = ws.cell(row=row, column=col, value=formula)
    cell.style = style
    return cell


def _put_text(ws: Worksheet, row: int, col: int, value: str, style: str = S_TEXT) -> Any:
    return _put(ws, row, col, value, style)


def _put_amount(ws: Worksheet, row: int, col: int, value: Cell) -> Any:
    """A budget cell: a number for an amount, the printed text for a marker or invalid text."""
    if value.kind is CellKind.AMOUNT:
        return _put(ws, row, col, value.value, S_AMOUNT)
    return _put_text(ws, row, col, value.format(), S_AMOUNT)


def _display_width(value: object) -> float:
    text = str(value) if value is not None else ""
    longest = max((line for line in text.split("\n")), key=len, default="")
    # Hangul at 10 pt is about 1.7 widths of the "0" that column widths are measured in.
    return sum(1.7 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in longest)


def _fit_columns(
    ws: Worksheet,
    widths: Mapping[int, tuple[float, float]],
    wrapped: Iterable[int] = (),
    min_row: int = L.FIRST_DATA_ROW,
    skip: frozenset[int] = frozenset(),
) -> None:
    """Column widths from the widest value, clamped per column to (minimum, maximum).

    Rows whose text wraps in a ``wrapped`` column (except the ``skip`` rows,
    whose title runs on over the empty cells beside it) get a height for
    their line count: openpyxl cannot measure text, and neither Excel nor
    LibreOffice re-fits the rows of a file when opening it, so long text
    would be cut.
    """
    rows = list(ws.iter_rows(min_row=min_row, values_only=True))
    widest: dict[int, float] = {}
    for row in rows:
        for col, value in enumerate(row, start=1):
            if col in widths and value is not None:
                widest[col] = max(widest.get(col, 0.0), _display_width(value))
    final: dict[int, float] = {}
    for col, (low, high) in widths.items():
        final[col] = min(max(widest.get(col, 0.0) + 2, low), high)
        ws.column_dimensions[get_column_letter(col)].width = final[col]
    wrap_cols = [c for c in wrapped if c in final]
    for offset, row in enumerate(rows):
        if min_row + offset in skip:
            continue
        lines = 1
        for col in wrap_cols:
            value = row[col - 1] if col <= len(row) else None
            if isinstance(value, str) and value:
                usable = max(final[col] - 1.5, 1.0)
                lines = max(
                    lines, sum(math.ceil(max(_display_width(part), 1.0) / usable) for part in value.split("\n"))
                )
        if lines > 1:
            ws.row_dimensions[min_row + offset].height = LINE_HEIGHT * lines + 3


def _print_setup(ws: Worksheet, title_rows: str) -> None:
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "&P / &N"


def _title(ws: Worksheet, title: str, note: str, last_col: int) -> None:
    _set(ws, L.TITLE_ROW, 1, title).font = _TITLE
    _set(ws, L.NOTE_ROW, 1, note).font = _NOTE
    ws.merge_cells(start_row=L.NOTE_ROW, start_column=1, end_row=L.NOTE_ROW, end_column=last_col)
    ws.row_dimensions[L.TITLE_ROW].height = 24


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    for col, label in enumerate(labels, start=1):
        _put(ws, row, col, label, S_HEADER)
    ws.row_dimensions[row].height = 30


def _unit_caption(report: Report, budget: BudgetTable | None = None) -> str:
    as_of = (budget.as_of if budget is not None else None) or report.as_of
    return tf.unit_caption(budget.unit if budget is not None else report.unit, as_of)


# --- department sheets -------------------------------------------------------------------------------


def _write_budget_sheet(ctx: _Context, ws: Worksheet, department: str, programs: list[Program]) -> None:
    report = ctx.report
    info = _SheetInfo(ws.title, L.KIND_BUDGET)
    ctx.sheets.append(info)
    last = L.B_KEY - 1
    _title(
        ws,
        f"{department} {T.BUDGET.heading}",
        f"{_unit_caption(report)}  흰 칸({T.BUDGET_LINE_NAME}·금액·집행내용·쪽수)을 고쳐 가져올 수 있습니다. "
        "회색 칸은 계산되는 칸이라 가져오지 않습니다. 열과 행을 더하거나 지우지 마십시오.",
        last,
    )
    _header(ws, L.HEADER_ROW, L.budget_headers(report.year))
    _set(ws, L.TITLE_ROW, L.B_KEY, L.SHEET_MARKERS[L.KIND_BUDGET])
    row = L.FIRST_DATA_ROW
    for program in programs:
        row = _write_program_rows(ctx, ws, info, program, row)
    ws.freeze_panes = f"{get_column_letter(L.B_CURRENT)}{L.FIRST_DATA_ROW}"
    ws.column_dimensions[get_column_letter(L.B_KEY)].hidden = True
    if row > L.FIRST_DATA_ROW:
        # Show at once, while editing, where the quarters no longer add up to the budget.
        current, quarter_sum = get_column_letter(L.B_CURRENT), get_column_letter(L.B_QUARTER_SUM)
        first = L.FIRST_DATA_ROW
        ws.conditional_formatting.add(
            f"{quarter_sum}{first}:{quarter_sum}{row - 1}",
            FormulaRule(
                formula=[f"AND(ISNUMBER(${current}{first}),${quarter_sum}{first}<>${current}{first})"],
                font=_RED,
                fill=PatternFill("solid", bgColor="FCE4E4"),
            ),
        )
    widths = {L.B_CODE: (6, 8), L.B_NAME: (16, 34), L.B_PAGE: (8, 10), L.B_QUARTER_SUM: (11, 14)}
    widths |= {c: (11, 14) for c in L.B_AMOUNTS} | {c: (12, 22) for c in L.B_NOTES}
    _fit_columns(ws, widths, wrapped=(L.B_NAME, *L.B_NOTES), skip=frozenset(info.title_rows))
    _print_setup(ws, f"{L.HEADER_ROW}:{L.HEADER_ROW}")


def _write_program_rows(ctx: _Context, ws: Worksheet, info: _SheetInfo, program: Program, row: int) -> int:
    placed = _ProgramRows(ws.title)
    ctx.placed[program.code] = placed
    # The program's header row: code and title, read-only. The title runs on
    # over the empty cells to its right (merging them costs a lot on large reports).
    _put(ws, row, L.B_CODE, program.code, S_PROGRAM)
    _put_text(ws, row, L.B_NAME, program.title, S_PROGRAM)
    for col in range(L.B_NAME + 1, L.B_KEY):
        ws.cell(row=row, column=col).style = S_PROGRAM
    info.title_rows.add(row)
    _set(ws, row, L.B_KEY, L.make_key(L.KEY_PROGRAM, program.uid))
    info.keyed_rows += 1
    row += 1
    budget = program.budget
    if budget is None or not budget.lines:
        return row
    first = row
    for n, line in enumerate(budget.lines, start=1):
        _put(ws, row, L.B_CODE, program.code, S_CODE)
        _put_text(ws, row, L.B_NAME, line.name)
        cells = [line.current, line.previous, *(q.amount for q in line.quarters)]
        for col, value in zip(L.B_AMOUNTS, cells, strict=True):
            _put_amount(ws, row, col, value)
        for col, quarter in zip(L.B_NOTES, line.quarters, strict=True):
            _put_text(ws, row, col, quarter.note)
        _put_text(ws, row, L.B_PAGE, line.page, S_PAGE)
        _put_formula(ws, row, L.B_QUARTER_SUM, _sum(L.B_QUARTERS[0], L.B_QUARTERS[-1], row, row), S_DERIVED)
        _set(ws, row, L.B_KEY, L.make_key(L.KEY_LINE, program.uid, n, L.line_fingerprint(line)))
        info.keyed_rows += 1
        row += 1
    # The 계 row: one SUM per amount column over the program's lines.
    _put(ws, row, L.B_CODE, program.code, S_TOTAL_LABEL)
    _put(ws, row, L.B_NAME, T.TOTAL_ROW_LABEL, S_TOTAL_LABEL)
    for col in (*L.B_AMOUNTS, L.B_QUARTER_SUM):
        _put_formula(ws, row, col, _sum(col, col, first, row - 1), S_TOTAL)
    for col in (*L.B_NOTES, L.B_PAGE):
        ws.cell(row=row, column=col).style = S_TOTAL_LABEL
    _set(ws, row, L.B_KEY, L.make_key(L.KEY_TOTAL, program.uid, len(budget.lines)))
    info.keyed_rows += 1
    placed.total_row = row
    return row + 1


def _sum(first_col: int, last_col: int, first_row: int, last_row: int) -> str:
    return f"=SUM({get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row})"


# --- summary -----------------------------------------------------------------------------------------


def _write_summary_sheet(ctx: _Context, ws: Worksheet) -> None:
    """주요업무별 예산 내역: one row per program, each figure a reference to its 계 row."""
    report = ctx.report
    labels = list(_summary_headers(report))
    last = len(labels[0])
    pages = ctx.pages
    page_note = PAGES_FROM_PDF_NOTE if pages is not None else NO_PDF_PAGES_NOTE
    _title(
        ws,
        T.BUDGET_SUMMARY.heading,
        f"{_unit_caption(report)}  모든 금액은 부서별 시트의 {T.TOTAL_ROW_LABEL} 행에서 계산됩니다(가져오지 않음). "
        + page_note,
        last,
    )
    top, sub = labels
    _header(ws, L.HEADER_ROW, top)
    _header(ws, L.HEADER_ROW + 1, sub)
    for col in (1, 2, 9, 10):
        ws.merge_cells(start_row=L.HEADER_ROW, start_column=col, end_row=L.HEADER_ROW + 1, end_column=col)
    col = 3
    while col <= 8:
        end = col
        while end + 1 <= 8 and top[end] == "":
            end += 1
        if end > col:
            ws.merge_cells(start_row=L.HEADER_ROW, start_column=col, end_row=L.HEADER_ROW, end_column=end)
        col = end + 1
    first = row = L.HEADER_ROW + 2
    for program in report.programs():
        _put(ws, row, 1, program.code, S_CODE)
        _put_text(ws, row, 2, program.title)
        placed = ctx.placed.get(program.code)
        for offset, src_col in enumerate(L.B_AMOUNTS):
            if placed is not None and placed.total_row is not None:
                ref = f"={_quoted(placed.sheet)}!{get_column_letter(src_col)}{placed.total_row}"
                _put_formula(ws, row, 3 + offset, ref, S_REF)
            else:
                _put(ws, row, 3 + offset, "-", S_REF)
        page = pages.get(program.uid) if pages is not None else None
        _put_text(ws, row, 9, str(page) if page is not None else "", S_CODE)
        _put_text(ws, row, 10, program.department, S_LEFT)
        row += 1
    _put(ws, row, 1, "합계", S_TOTAL_LABEL)
    _put(ws, row, 2, None, S_TOTAL_LABEL)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    for c in range(3, 9):
        _put_formula(ws, row, c, _sum(c, c, first, max(first, row - 1)), S_TOTAL)
    for c in (9, 10):
        _put(ws, row, c, None, S_TOTAL_LABEL)
    ws.freeze_panes = f"{get_column_letter(3)}{first}"
    widths = {1: (6, 8), 2: (30, 48), 9: (6, 8), 10: (12, 20)} | {c: (12, 15) for c in range(3, 9)}
    _fit_columns(ws, widths, wrapped=(2,), min_row=first)
    _print_setup(ws, f"{L.HEADER_ROW}:{L.HEADER_ROW + 1}")


def _summary_headers(report: Report) -> tuple[list[str], list[str]]:
    """The report's two header rows: 예산액 over '24 and '23, 집행액 and 집행계획 over the quarters."""
    cy, py = report.year % 100, (report.year - 1) % 100
    executed = BudgetTable(as_of=report.as_of).executed_quarters()
    groups = [tf.SUMMARY_EXECUTED if q < executed else tf.SUMMARY_PLANNED for q in range(T.QUARTER_COUNT)]
    quarter_top = [g if q == 0 or groups[q - 1] != g else "" for q, g in enumerate(groups)]
    top = [L.CODE_HEADER, tf.SUMMARY_TITLE, tf.SUMMARY_BUDGET, "", *quarter_top, tf.SUMMARY_PAGE, L.DEPARTMENT_HEADER]
    sub = ["", "", f"'{cy:02d}", f"'{py:02d}", *T.QUARTER_LABELS, "", ""]
    return top, sub


# --- targets -----------------------------------------------------------------------------------------


def _write_targets_sheet(ctx: _Context, ws: Worksheet) -> None:
    info = _SheetInfo(ws.title, L.KIND_TARGETS)
    ctx.sheets.append(info)
    _title(
        ws,
        T.TARGETS.heading,
        f"흰 칸({'·'.join(T.TARGET_COLUMNS)})을 고쳐 가져올 수 있습니다. 행을 더하거나 지우지 마십시오.",
        L.T_KEY - 1,
    )
    _header(ws, L.HEADER_ROW, L.target_headers())
    _set(ws, L.TITLE_ROW, L.T_KEY, L.SHEET_MARKERS[L.KIND_TARGETS])
    row = L.FIRST_DATA_ROW
    for program in ctx.report.programs():
        if program.targets is None:
            continue
        title = program.title
        if program.targets.qualifier:
            title += f" ({T.TARGET_COLUMNS[-1]}: {program.targets.qualifier})"
        for n, target in enumerate(program.targets.rows, start=1):
            _put(ws, row, L.T_CODE, program.code, S_SHOWN_CENTER)
            _put_text(ws, row, L.T_TITLE, title if n == 1 else "", S_SHOWN)
            _put_text(ws, row, L.T_DEPARTMENT, program.department, S_SHOWN)
            _put(ws, row, L.T_ROW, n, S_SHOWN_CENTER)
            for col, value in ((L.T_NAME, target.name), (L.T_PERIOD, target.period), (L.T_QUANTITY, target.quantity)):
                _put_text(ws, row, col, value)
            _set(ws, row, L.T_KEY, L.make_key(L.KEY_TARGET, program.uid, n, L.target_fingerprint(target)))
            info.keyed_rows += 1
            row += 1
    ws.freeze_panes = f"{get_column_letter(L.T_NAME)}{L.FIRST_DATA_ROW}"
    ws.column_dimensions[get_column_letter(L.T_KEY)].hidden = True
    ws.auto_filter.ref = f"A{L.HEADER_ROW}:{get_column_letter(L.T_KEY - 1)}{max(row - 1, L.HEADER_ROW)}"
    widths = {L.T_CODE: (6, 8), L.T_TITLE: (20, 34), L.T_DEPARTMENT: (10, 16), L.T_ROW: (4, 5)}
    widths |= {L.T_NAME: (24, 44), L.T_PERIOD: (12, 20), L.T_QUANTITY: (14, 36)}
    _fit_columns(ws, widths, wrapped=(L.T_TITLE, L.T_NAME, L.T_PERIOD, L.T_QUANTITY))
    _print_setup(ws, f"{L.HEADER_ROW}:{L.HEADER_ROW}")


# --- problems ----------------------------------------------------------------------------------------


def _write_problems_sheet(ws: Worksheet, problems: list[Problem]) -> None:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    headers = ["구분", "사업", "위치", "행", "열", "내용", "규칙"]
    _title(
        ws,
        f"점검 결과: 오류 {errors}개, 경고 {len(problems) - errors}개",
        "내보낼 때의 점검 결과입니다(가져오지 않음). 고친 뒤에는 seri-desktop check 로 다시 점검하십시오.",
        len(headers),
    )
    _header(ws, L.HEADER_ROW, headers)
    labels = {Severity.ERROR: "오류", Severity.WARNING: "경고"}
    row = L.FIRST_DATA_ROW
    for p in problems:
        values: list[object] = [
            labels[p.severity],
            p.program or p.finding,  # an import finding names the program it is about
            T.label(p.section),
            p.row,
            p.column,
            p.message,
            p.rule,
        ]
        for col, value in enumerate(values, start=1):
            style = S_TEXT if col in (3, 6) else S_CODE if col in (1, 2, 4) else S_LEFT
            _put(ws, row, col, value, style)
        if p.severity is Severity.ERROR:
            ws.cell(row=row, column=1).style = S_ERROR
        row += 1
    ws.freeze_panes = f"{get_column_letter(1)}{L.FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A{L.HEADER_ROW}:G{max(row - 1, L.HEADER_ROW)}"
    widths = {1: (6, 6), 2: (6, 8), 3: (14, 24), 4: (4, 5), 5: (8, 14), 6: (50, 80), 7: (18, 28)}
    _fit_columns(ws, widths, wrapped=(3, 6))
    _print_setup(ws, f"{L.HEADER_ROW}:{L.HEADER_ROW}")


# --- the hidden sheet --------------------------------------------------------------------------------


def _write_info_sheet(ctx: _Context, ws: Worksheet) -> None:
    """What the reader checks first: the format, its version, the year, and every sheet with its row count."""
    rows: list[list[object]] = [
        ["seri-desktop 예산 통합 문서: 이 시트는 가져오기에 쓰입니다. 고치지 마십시오."],
        ["format", L.FORMAT_ID],
        ["version", L.FORMAT_VERSION],
        ["year", ctx.report.year],
        ["exported", dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")],
        ["sheet", "kind", "keyed rows"],
    ]
    rows += [[s.title, s.kind, s.keyed_rows] for s in ctx.sheets]
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            _set(ws, r, c, value)  # a sheet's title is a department's name: text, never a formula
    ws.sheet_state = "hidden"
