"""The report's tables as :class:`~.blocks.TableSpec`: title bars, 추진 목표, 예산 집행 계획, the summary, grids.

Each follows the PDF's table of the same name (:mod:`seri_desktop.formats.pdf.tables`):
the same columns and headers, the same merged header cells, a shaded header and
계 row, amounts right-aligned as the model prints them (``△1,234``). Two
differences serve the way back: a budget line always has its row of notes
(집행내용) under its amounts, even when empty, so a 한글 user has a cell to type
a note in; and every note is printed as stored, ``-`` included.

The reader (:mod:`.reader`) knows these shapes through the constants here.
"""

from __future__ import annotations

from collections.abc import Sequence

from seri_desktop.domain import template as T
from seri_desktop.domain.model import BudgetTable, Cell, HistoryEntry, Report, SimpleTable, Targets
from seri_desktop.formats.hwpx import layout as L
from seri_desktop.formats.hwpx.blocks import CellSpec, TableSpec, content_widths
from seri_desktop.formats.hwpx.properties import program_field_name
from seri_desktop.formats.pdf.tables import header_spans
from seri_desktop.formats.pdf.text import join_lines
from seri_desktop.formats.printed import (
    budget_header,
    budget_header_spans,
    column_align,
    is_total_row,
    summary_header,
    summary_header_spans,
)

# 예산 집행 계획: 사업명 | '24 | '23 | 1-4분기 | 쪽수 (the PDF's widths, in points, the name taking the rest).
BUDGET_COLUMNS = 8
BUDGET_HEADER_ROWS = 2
_BUDGET_FIXED_PT = (52, 52, 61, 61, 61, 61, 44)
TARGET_COLUMNS = len(T.TARGET_COLUMNS)
SUMMARY_COLUMNS = 9


def _head(text: str) -> CellSpec:
    return CellSpec(text, L.CELL_BOLD, "CENTER", L.HEAD_BOX)


def number_bar(
    number: str, title: str, number_run: L.Run, title_run: L.Run, number_mm: float, height: int, field_name: str = ""
) -> TableSpec:
    """A filled box with a number, then the title over a rule: parts, chapters and programs."""
    width = L.mm(number_mm)
    spec = TableSpec(
        cells=[
            [
                CellSpec(number, number_run, "CENTER", L.BAR_NUMBER_BOX),
                CellSpec(title, title_run, "LEFT", L.BAR_TITLE_BOX),
            ]
        ],
        widths=[width, L.BODY_WIDTH - width],
        heights=[height],
        flows=False,
    )
    if field_name:
        spec.field_names[(0, 0)] = field_name
    return spec


def program_bar(code: str, title: str) -> TableSpec:
    """A program's title bar: its code (what the reader matches programs by) and its title."""
    return number_bar(code, title, L.BAR_CODE, L.BAR_TITLE, 17.6, L.BAR_HEIGHT, program_field_name(code))


def label_box(lines: Sequence[tuple[str, L.Run, L.Para]]) -> TableSpec:
    """The boxed 주요 개선 사항: its label, then its items, in one cell."""
    cell = CellSpec(box=L.LABEL_BOX, align="LEFT", lines=[(text, run) for text, run, _ in lines])
    return TableSpec(cells=[[cell]], widths=[L.BODY_WIDTH], heights=[L.ROW_HEIGHT], indent=0)


def targets_table(targets: Targets) -> TableSpec:
    """추진 목표: 세부사업명 | 추진시기 | 물량 (단서); an empty period continues the one above (a merged cell)."""
    quantity = T.TARGET_COLUMNS[2] + (f" ({targets.qualifier})" if targets.qualifier else "")
    total = L.BODY_WIDTH
    widths = [int(total * 0.5), int(total * 0.2)]
    widths.append(total - sum(widths))
    cells = [[_head(T.TARGET_COLUMNS[0]), _head(T.TARGET_COLUMNS[1]), _head(quantity)]]
    merges: list[tuple[int, int, int, int]] = []
    start = end = 0  # the run of rows sharing one period (0: none yet)
    for n, row in enumerate(targets.rows, start=1):
        cells.append(
            [
                CellSpec(join_lines(row.name), align="LEFT"),
                CellSpec(join_lines(row.period)),
                CellSpec(join_lines(row.quantity)),
            ]
        )
        if row.period.strip():
            if end > start:
                merges.append((start, 1, end, 1))
            start = end = n
        elif start:
            end = n
    if end > start:
        merges.append((start, 1, end, 1))
    return TableSpec(cells, widths, [L.ROW_HEIGHT] * len(cells), merges, header_rows=1)


def _amount(c: Cell, run: L.Run = L.CELL, box: L.Box = L.GRID_BOX) -> CellSpec:
    return CellSpec(c.format(), run, "RIGHT", box)


def _narrow_head(label: str, width: int) -> CellSpec:
    """A header label too long for its column: each word on a line, in a size the longest word fits.

    Hangul syllables are one em wide in every Korean font, so a word of n
    syllables needs n times the size; a tenth is kept free, as 한글 (and
    rhwp) break a line that only just fits.
    """
    words = label.split()
    room = (width - 2 * L.CELL_PAD_X) / L.HWPUNIT_PER_PT
    size = min(L.CELL_BOLD.size, 0.9 * room / max(len(w) for w in words))
    run = L.Run(font=L.SANS, size=round(size * 2) / 2, bold=True)
    return CellSpec(box=L.HEAD_BOX, lines=[(w, run) for w in words])


def budget_widths() -> list[int]:
    fixed = [L.pt(w) for w in _BUDGET_FIXED_PT]
    return [L.BODY_WIDTH - sum(fixed), *fixed]


def budget_table(report: Report, budget: BudgetTable) -> TableSpec:
    """예산 집행 계획 with its computed 계 row; each line is two rows: amounts, and the notes under them."""
    executed = budget.executed_quarters()
    top_labels, second_labels = budget_header(report, executed)
    top = [_head(t) for t in top_labels]
    # "주요사업별 설명자료 쪽수" in a narrow column: a word a line, never broken inside one.
    top[-1] = _narrow_head(top_labels[-1], budget_widths()[-1])
    cells: list[list[CellSpec]] = [top, [_head(t) for t in second_labels]]
    heights = [L.ROW_HEIGHT, L.ROW_HEIGHT]
    merges = budget_header_spans(executed)
    for line in budget.lines:
        row = len(cells)
        cells.append(
            [
                CellSpec(join_lines(line.name), align="LEFT"),
                _amount(line.current),
                _amount(line.previous),
                *(_amount(q.amount) for q in line.quarters),
                CellSpec(join_lines(line.page)),
            ]
        )
        cells.append(
            [
                CellSpec(),
                CellSpec(),
                CellSpec(),
                *(CellSpec(join_lines(q.note), L.CELL_NOTE) for q in line.quarters),
                CellSpec(),
            ]
        )
        heights += [L.ROW_HEIGHT, L.NOTE_ROW_HEIGHT]
        merges += [(row, c, row + 1, c) for c in (0, 1, 2, 7)]
    total = budget.total()
    cells.append(
        [
            CellSpec(T.TOTAL_ROW_LABEL, L.CELL_BOLD, "CENTER", L.TOTAL_BOX),
            *(_amount(c, L.CELL_BOLD, L.TOTAL_BOX) for c in total.cells()),
            CellSpec(box=L.TOTAL_BOX),
        ]
    )
    heights.append(L.ROW_HEIGHT)
    return TableSpec(cells, budget_widths(), heights, merges, header_rows=BUDGET_HEADER_ROWS)


def summary_table(report: Report, pages: dict[str, str]) -> TableSpec:
    """I-6 주요업무별 예산 내역: a row per program, computed from its budget; 쪽수 from ``pages`` (code → page)."""
    programs = list(report.programs())
    totals = [(p.budget or BudgetTable()).total() for p in programs]
    top, second, executed = summary_header(report)
    # Amount columns as wide as their widest figure (a digit is some 0.56 em), the title takes the rest.
    figures = [max([6, *(len(t.cells()[c].format()) for t in totals)]) for c in range(6)]
    amount_w = [L.pt(0.56 * n * L.CELL.size) + 2 * L.CELL_PAD_X + L.mm(1) for n in figures]
    code_w, page_w = L.mm(10), L.mm(10)
    widths = [code_w, L.BODY_WIDTH - code_w - sum(amount_w) - page_w, *amount_w, page_w]
    cells = [[_head(t) for t in top], [_head(t) for t in second]]
    for program, total in zip(programs, totals, strict=True):
        cells.append(
            [
                CellSpec(program.code),
                CellSpec(join_lines(program.title), align="LEFT"),
                *(_amount(c) for c in total.cells()),
                CellSpec(pages.get(program.code, "")),
            ]
        )
    merges = summary_header_spans(executed)
    return TableSpec(cells, widths, [L.ROW_HEIGHT] * len(cells), merges, header_rows=2)


def grid_table(
    header: Sequence[Sequence[str]], rows: Sequence[Sequence[str]], width: int, indent: int = 0
) -> TableSpec:
    """A table of printed text cells (front matter, tables inside outlines): header spans as the PDF's."""
    ncols = max(len(r) for r in [*header, *rows])
    head = [[join_lines(t) for t in r] + [""] * (ncols - len(r)) for r in header]
    body = [[join_lines(t) for t in r] + [""] * (ncols - len(r)) for r in rows]
    merges: list[tuple[int, int, int, int]] = []
    skip: set[tuple[int, int]] = set()
    for _span, (c1, r1), (c2, r2) in header_spans(head):
        merges.append((r1, c1, r2, c2))
        if c2 > c1:
            skip.add((r1, c1))
    widths = content_widths([*head, *body], width, frozenset(skip))
    aligns = [column_align([r[c] for r in body]) for c in range(ncols)]
    cells = [[_head(t) for t in r] for r in head]
    for r in body:
        total = bool(r) and is_total_row(r[0])
        run, box = (L.CELL_BOLD, L.TOTAL_BOX) if total else (L.CELL, L.GRID_BOX)
        cells.append([CellSpec(t, run, a, box) for t, a in zip(r, aligns, strict=True)])
    return TableSpec(cells, widths, [L.ROW_HEIGHT] * len(cells), merges, header_rows=len(head), indent=indent)


def history_table(entries: Sequence[HistoryEntry]) -> TableSpec:
    """연혁: dates in a column of their own, texts beside them (a sub-entry without date gets "-")."""
    date_w = L.mm(32)
    cells = [
        [
            CellSpec(e.date, L.Run(font=L.SANS, size=9.5), "LEFT", L.NO_BOX),
            CellSpec(join_lines(e.text) if e.date else f"- {join_lines(e.text)}", L.BODY, "LEFT", L.NO_BOX),
        ]
        for e in entries
    ] or [[CellSpec(box=L.NO_BOX), CellSpec(box=L.NO_BOX)]]
    return TableSpec(cells, [date_w, L.BODY_WIDTH - date_w], [L.mm(6)] * len(cells))


def simple_table(table: SimpleTable) -> TableSpec | None:
    """A front-matter table (정·현원, 시설 현황, 예산 현황), or ``None`` when it holds nothing."""
    if not any(table.header) and not any(table.rows):  # no cell at all (rows without cells too)
        return None
    return grid_table(table.header, table.rows, L.BODY_WIDTH)


def page_list(rows: Sequence[tuple[str, L.Run, int]], pages: Sequence[str]) -> TableSpec:
    """Contents or a chapter's program list: (text, run, indent) and the page at the right edge."""
    page_w = L.mm(12)
    cells = []
    for (text, run, indent), page in zip(rows, pages, strict=True):
        cells.append(
            [
                CellSpec(("    " * indent) + text, run, "LEFT", L.NO_BOX),
                CellSpec(page, run, "RIGHT", L.NO_BOX),
            ]
        )
    if not cells:
        cells = [[CellSpec(box=L.NO_BOX), CellSpec(box=L.NO_BOX)]]
    return TableSpec(cells, [L.BODY_WIDTH - page_w, page_w], [L.mm(6)] * len(cells))
