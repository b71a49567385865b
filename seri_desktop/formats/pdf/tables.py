"""Tables: the budget execution plan, targets, front-matter tables and small tables in outlines.

All tables share one look: a heavy rule on top, thin inner grid, no outer
vertical lines, a shaded header (every header row, its labels merged over the
empty cells they head) that is repeated when the table breaks across pages,
and total rows (계, 합계, 총계) bold on a tint. Short cells are plain strings
(drawn by the table, fast); cells that need wrapping, or a glyph the table
face lacks, become paragraphs. Header labels break only between words, or in
a crowded table between the two-syllable parts of a long word
(:func:`~.text.break_label`), never in the middle of a part.

Column headings come from the template (:mod:`seri_desktop.domain.template`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table

from seri_desktop.domain import template as T
from seri_desktop.domain.model import BudgetLine, BudgetTable, Cell, Program, Report, Targets
from seri_desktop.formats.pdf import styles as S
from seri_desktop.formats.pdf.flowables import Grid, Line, Para
from seri_desktop.formats.pdf.styles import Styles
from seri_desktop.formats.pdf.text import break_label, join_lines, label_pieces, markup, plain_text, unspace
from seri_desktop.formats.printed import (
    Span,
    budget_header,
    budget_header_spans,
    column_align,
    is_total_row,
    summary_header,
    summary_header_spans,
)

# A table cell: a string, a flowable or a list of flowables (reportlab is untyped, so: Any).
CellValue: TypeAlias = Any
Command: TypeAlias = tuple[Any, ...]

_WORD = re.compile(r"\S+")


def base_commands(header_rows: int, st: Styles, *, inner_grid: bool = True) -> list[Command]:
    """The shared look; ``header_rows`` leading rows are shaded and bold."""
    faces = st.faces
    cmds: list[Command] = [
        ("FONT", (0, 0), (-1, -1), faces.sans, S.TABLE_SIZE, S.TABLE_LEADING),
        ("TEXTCOLOR", (0, 0), (-1, -1), S.INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), S.CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), S.CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), S.CELL_PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), S.CELL_PAD_Y + 0.8),
        ("LINEABOVE", (0, 0), (-1, 0), 1.1, S.ACCENT),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, S.ACCENT),
    ]
    if inner_grid:
        cmds.append(("INNERGRID", (0, 0), (-1, -1), 0.4, S.GRID))
    if header_rows:
        last = header_rows - 1
        cmds += [
            ("FONT", (0, 0), (-1, last), faces.sans_bold, S.TABLE_SIZE, S.TABLE_LEADING),
            ("BACKGROUND", (0, 0), (-1, last), S.HEADER_FILL),
            ("ALIGN", (0, 0), (-1, last), "CENTER"),
            ("LINEBELOW", (0, last), (-1, last), 0.8, S.GRID),
        ]
    return cmds


def total_commands(row: int, st: Styles) -> list[Command]:
    """A total row: bold on a tint, a rule above, its label centred."""
    return [
        ("FONT", (0, row), (-1, row), st.faces.sans_bold, S.TABLE_SIZE, S.TABLE_LEADING),
        ("BACKGROUND", (0, row), (-1, row), S.TOTAL_FILL),
        ("ALIGN", (0, row), (0, row), "CENTER"),
        ("LINEABOVE", (0, row), (-1, row), 0.7, S.GRID),
    ]


def fits(text: str, font: str, size: float, width: float, pad_x: float = S.CELL_PAD_X) -> bool:
    return bool(stringWidth(text, font, size) <= width - 2 * pad_x)


def cell(text: str, st: Styles, width: float, style: Any = None, pad_x: float = S.CELL_PAD_X) -> CellValue:
    """``text`` as a plain string when it fits on one line in ``width``, else a wrapping paragraph."""
    style = style or st.cell
    text = join_lines(text) if "\n" in text else text
    plain = "**" not in text and not st.faces.missing(style.fontName, text)
    if plain and fits(text, style.fontName, style.fontSize, width, pad_x):
        return text
    line = width - 2 * pad_x
    return Para(markup(text, style.fontName, st.faces, size=style.fontSize, width=line), style)


def header_cell(text: str, st: Styles, width: float, style: Any = None, pad_x: float = S.CELL_PAD_X) -> CellValue:
    """A header label in a column (or span) ``width`` wide: one line if it fits, else broken between words."""
    style = style or st.cell_head
    text = plain_text(text)
    if stringWidth(text, style.fontName, style.fontSize) <= width - 2 * pad_x and not st.faces.missing(
        style.fontName, text
    ):
        return text if style is st.cell_head else Para(markup(text, style.fontName, st.faces), style)
    # A little narrower than the cell: the paragraph must not find a line one hair too wide and break it again.
    lines = break_label(text, style.fontName, style.fontSize, width - 2 * pad_x - 0.5)
    return Para("<br/>".join(markup(line, style.fontName, st.faces) for line in lines), style)


def amount(c: Cell) -> str:
    """An amount cell as printed: ``1,234``, ``△1,234``, ``-``, ``재배정``."""
    return c.format()


def auto_widths(
    rows: Sequence[Sequence[str]],
    total: float,
    font: str,
    size: float,
    skip: frozenset[tuple[int, int]] = frozenset(),
    header_rows: int = 0,
    *,
    header_size: float | None = None,
    pad_x: float = S.CELL_PAD_X,
) -> tuple[list[float], bool]:
    """Column widths that share ``total`` by content, and whether no word had to be squeezed.

    Cells in ``skip`` (row, column) do not count: a label spanning several
    columns must not widen the first of them. Each column is at least as wide
    as its longest word, and a header label's unbreakable part (numbers and
    words are never broken); beyond that a header label may take two lines
    (broken between its parts), or more in a crowded table, before any
    column is squeezed below its words (then the answer is False).
    """
    ncols = max(len(r) for r in rows)
    pad = 2 * pad_x + 1
    head = header_size or size
    natural = [pad + 12.0] * ncols
    hard = [pad + 8.0] * ncols  # never narrower: the longest word, the longest unbreakable part of a label
    soft = [pad + 8.0] * ncols  # a header label in two lines
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            text = join_lines(text)
            if not text or (r, c) in skip:
                continue
            if r < header_rows:
                natural[c] = max(natural[c], pad + stringWidth(text, font, head))
                pieces = label_pieces(text)
                hard[c] = max(hard[c], pad + max(stringWidth(p, font, head) for p in pieces))
                two = _two_lines(text, font, head)
                soft[c] = max(soft[c], pad + max(stringWidth(p, font, head) for p in two))
            else:
                natural[c] = max(natural[c], pad + stringWidth(text, font, size))
                longest = max((stringWidth(w, font, size) for w in _WORD.findall(text)), default=0.0)
                hard[c] = max(hard[c], pad + longest)
    soft = [max(a, b) for a, b in zip(soft, hard, strict=True)]
    for low, high in ((soft, natural), (hard, soft)):
        if sum(low) <= total:
            if sum(high) <= total:
                scale = total / sum(high)
                return [w * scale for w in high], True
            spare = total - sum(low)
            want = [h - w for h, w in zip(high, low, strict=True)]
            return [w + spare * d / sum(want) for w, d in zip(low, want, strict=True)], True
    # Not even the words fit: share what there is by the words' widths.
    scale = total / sum(hard)
    return [w * scale for w in hard], False


def _two_lines(text: str, font: str, size: float) -> list[str]:
    """The label as break_label sets it in the narrowest width that still takes at most two lines."""
    full = stringWidth(text, font, size)
    lo, hi = full / 2, full
    for _ in range(12):
        mid = (lo + hi) / 2
        if len(break_label(text, font, size, mid)) <= 2:
            hi = mid
        else:
            lo = mid
    return break_label(text, font, size, hi)


def header_spans(header: Sequence[Sequence[str]]) -> list[Command]:
    """SPAN commands for a printed multi-row header: empty cells belong to the label above or before them."""
    n = len(header)
    covered: set[tuple[int, int]] = set()
    cmds: list[Command] = []
    for r, row in enumerate(header):
        for c, text in enumerate(row):
            if not text.strip() or (r, c) in covered:
                continue
            r2 = r
            while r2 + 1 < n and c < len(header[r2 + 1]) and not header[r2 + 1][c].strip():
                r2 += 1
            c2 = c
            if r2 == r:
                while c2 + 1 < len(row) and not row[c2 + 1].strip() and (r, c2 + 1) not in covered:
                    c2 += 1
            if (r2, c2) != (r, c):
                cmds.append(("SPAN", (c, r), (c2, r2)))
                covered.update((rr, cc) for rr in range(r, r2 + 1) for cc in range(c, c2 + 1))
    return cmds


def split_header(rows: Sequence[Sequence[str]]) -> tuple[list[list[str]], list[list[str]]]:
    """A small table's header rows and body: the first row, and each next row whose first cell is empty.

    An empty first cell under the first row's label ("구분") means that label
    spans down: the row is a second header row ("1,2차 | 3차 | 4차" under
    "교육부 특교"), not data.
    """
    table = [list(r) for r in rows]
    count = 1
    while count < len(table) - 1 and not table[count][0].strip() and any(c.strip() for c in table[count]):
        count += 1
    return table[:count], table[count:]


def grid_table(header: Sequence[Sequence[str]], rows: Sequence[Sequence[str]], st: Styles, width: float) -> Table:
    """A table of printed text cells (front matter, tables inside outlines).

    Letter-spaced labels of the header and the first column are closed up
    ("소 계" → "소계"); a row labelled 계 is a total row.
    """
    ncols = max(len(r) for r in [*header, *rows])
    header = [[unspace(t) for t in r] + [""] * (ncols - len(r)) for r in header]
    rows = [[unspace(r[0]) if r else "", *r[1:]] + [""] * (ncols - len(r)) for r in rows]
    faces = st.faces
    spans = header_spans(header)
    wide = frozenset((cmd[1][1], cmd[1][0]) for cmd in spans if cmd[2][0] > cmd[1][0])
    cells = [*header, *rows]
    col_widths, roomy = auto_widths(cells, width, faces.sans_bold, S.TABLE_SIZE, wide, len(header))
    pad_x: float = S.CELL_PAD_X
    head_style = st.cell_head
    if not roomy:
        # A crowded table (정·현원, twenty columns): tighter cells and a smaller header before any word breaks.
        pad_x, head_style = S.COMPACT_PAD_X, st.cell_head_small
        col_widths, _ = auto_widths(
            cells, width, faces.sans_bold, S.TABLE_SIZE, wide, len(header), header_size=head_style.fontSize, pad_x=pad_x
        )
    span_width = {(cmd[1][1], cmd[1][0]): sum(col_widths[cmd[1][0] : cmd[2][0] + 1]) for cmd in spans}
    aligns = [column_align([r[c] for r in rows]) for c in range(ncols)]
    para_styles = {"LEFT": st.cell, "CENTER": st.cell_center, "RIGHT": st.cell_right}
    data: list[list[CellValue]] = []
    for n, r in enumerate(header):
        data.append(
            [
                header_cell(t, st, span_width.get((n, c), w), head_style, pad_x)
                for c, (t, w) in enumerate(zip(r, col_widths, strict=True))
            ]
        )
    for r in rows:
        data.append([cell(t, st, w, para_styles[a], pad_x) for t, w, a in zip(r, col_widths, aligns, strict=True)])
    cmds = base_commands(len(header), st)
    cmds += [("ALIGN", (c, len(header)), (c, -1), a) for c, a in enumerate(aligns)]
    cmds += spans
    if pad_x != S.CELL_PAD_X:
        cmds += [("LEFTPADDING", (0, 0), (-1, -1), pad_x), ("RIGHTPADDING", (0, 0), (-1, -1), pad_x)]
    for n, r in enumerate(rows):
        if is_total_row(r[0]):
            cmds += total_commands(len(header) + n, st)
    return Grid(data, colWidths=col_widths, style=cmds, repeatRows=len(header), hAlign="LEFT", splitInRow=1)


def targets_table(targets: Targets, st: Styles, width: float) -> Table:
    """추진 목표: 세부사업명 | 추진시기 | 물량; an empty period continues the one above (a merged cell)."""
    name, period, quantity = T.TARGET_COLUMNS
    if targets.qualifier:
        quantity = f"{quantity} ({targets.qualifier})"
    widths = [width * 0.5, width * 0.2, width * 0.3]
    data: list[list[CellValue]] = [
        [header_cell(h, st, w) for h, w in zip((name, period, quantity), widths, strict=True)]
    ]
    cmds = base_commands(1, st)
    cmds += [("ALIGN", (1, 1), (2, -1), "CENTER")]
    start: int | None = None
    for n, row in enumerate(targets.rows, start=1):
        data.append(
            [
                cell(row.name, st, widths[0]),
                cell(row.period, st, widths[1], st.cell_center),
                cell(row.quantity, st, widths[2], st.cell_center),
            ]
        )
        if row.period.strip():
            start = n
        elif start is not None:
            cmds.append(("SPAN", (1, start), (1, n)))
    return Grid(data, colWidths=widths, style=cmds, repeatRows=1, hAlign="LEFT", splitInRow=1)


def budget_columns(width: float) -> list[float]:
    """사업명 | '24 | '23 | 1-4분기 | 쪽수: fixed amount columns, the name takes the rest."""
    fixed = [54.0, 54.0, 62.0, 62.0, 62.0, 62.0, 44.0]
    return [width - sum(fixed), *fixed]


def budget_header_rows(report: Report, executed: int, st: Styles, page_width: float) -> list[list[CellValue]]:
    """The two header rows of a budget table (:func:`seri_desktop.formats.printed.budget_header`); 쪽수 set small."""
    top, second = budget_header(report, executed)
    page = len(top) - 1
    head: list[CellValue] = list(top)
    head[page] = header_cell(top[page], st, page_width, st.cell_head_small)
    return [head, list(second)]


def spans(ranges: Sequence[Span]) -> list[Command]:
    """reportlab's SPAN commands for merged ranges (row, column, last row, last column)."""
    return [("SPAN", (c1, r1), (c2, r2)) for r1, c1, r2, c2 in ranges]


def budget_table(report: Report, budget: BudgetTable, st: Styles, width: float) -> Table:
    """예산 집행 계획 with its computed 계 row; each quarter's note (집행내용) sits under its amount.

    One row per budget line: every cell is centred on the row's height, the
    quarter cells hold the amount (right-aligned, like the budgets) with the
    note below it, so "-" and the amounts line up with the budgets beside them.
    """
    widths = budget_columns(width)
    executed = budget.executed_quarters()
    data = budget_header_rows(report, executed, st, widths[7])
    cmds = base_commands(2, st, inner_grid=False)
    cmds += spans(budget_header_spans(executed))
    cmds += [
        ("LINEAFTER", (0, 0), (-2, -1), 0.4, S.GRID),
        ("LINEBELOW", (1, 0), (-2, 0), 0.4, S.GRID),
        ("ALIGN", (1, 2), (6, -1), "RIGHT"),
        ("ALIGN", (7, 2), (7, -1), "CENTER"),
        ("RIGHTPADDING", (1, 2), (6, -1), S.AMOUNT_PAD_X),
        ("LEFTPADDING", (1, 2), (6, -1), S.AMOUNT_PAD_X),
    ]
    for line in budget.lines:
        data.append(_budget_line_row(line, st, widths))
        cmds.append(("LINEBELOW", (0, len(data) - 1), (-1, len(data) - 1), 0.4, S.GRID))
    total = budget.total()
    data.append([T.TOTAL_ROW_LABEL, *(amount(c) for c in total.cells()), ""])
    cmds += total_commands(len(data) - 1, st)
    return Grid(data, colWidths=widths, style=cmds, repeatRows=2, hAlign="LEFT", splitInRow=1)


def _budget_line_row(line: BudgetLine, st: Styles, widths: list[float]) -> list[CellValue]:
    row: list[CellValue] = [
        cell(line.name, st, widths[0]),
        amount(line.current),
        amount(line.previous),
    ]
    for q, w in zip(line.quarters, widths[3:7], strict=True):
        note = q.note.strip()
        # A note "-" under an amount "-" says nothing the amount does not.
        if not note or note == "-":
            row.append(amount(q.amount))
            continue
        inner = w - 2 * S.AMOUNT_PAD_X
        style = st.cell_note
        row.append(
            [
                Line(amount(q.amount), st.faces.sans, S.TABLE_SIZE, S.TABLE_LEADING, "right", S.INK),
                Para(markup(note, style.fontName, st.faces, size=style.fontSize, width=inner), style),
            ]
        )
    row.append(cell(line.page, st, widths[7], st.cell_center))
    return row


def summary_table(report: Report, st: Styles, page_ref: Callable[[Program], Flowable]) -> Table:
    """I-6 주요업무별 예산 내역: a row per program, computed from its budget; 쪽수 from ``page_ref``."""
    programs = list(report.programs())
    totals = [(p.budget or BudgetTable()).total() for p in programs]
    font, size = st.faces.sans, S.TABLE_SIZE
    pad = 2 * S.AMOUNT_PAD_X + 1
    # Amount columns as wide as their widest figure; the title takes what is left.
    amount_w = [max([38.0, *(stringWidth(amount(t.cells()[c]), font, size) + pad for t in totals)]) for c in range(6)]
    code_w = max([24.0, *(stringWidth(p.code, font, size) + pad for p in programs)])
    page_w = 24.0
    title_w = S.BODY_WIDTH - code_w - sum(amount_w) - page_w
    widths = [code_w, title_w, *amount_w, page_w]
    top, second, executed = summary_header(report)
    data: list[list[CellValue]] = [
        [header_cell(t, st, w) for t, w in zip(top, widths, strict=True)],
        [header_cell(t, st, w) for t, w in zip(second, widths, strict=True)],
    ]
    for program, total in zip(programs, totals, strict=True):
        data.append(
            [program.code, cell(program.title, st, title_w), *(amount(c) for c in total.cells()), page_ref(program)]
        )
    cmds = base_commands(2, st)
    cmds += spans(summary_header_spans(executed))
    cmds += [
        ("ALIGN", (0, 2), (0, -1), "CENTER"),
        ("ALIGN", (2, 2), (7, -1), "RIGHT"),
        ("RIGHTPADDING", (2, 2), (7, -1), S.AMOUNT_PAD_X),
        ("LEFTPADDING", (2, 2), (7, -1), S.AMOUNT_PAD_X),
    ]
    return Grid(data, colWidths=widths, style=cmds, repeatRows=2, hAlign="LEFT", splitInRow=1)
