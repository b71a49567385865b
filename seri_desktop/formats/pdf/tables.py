"""Tables: the budget execution plan, targets, front-matter tables and small tables in outlines.

All tables share one look: a heavy rule on top, thin inner grid, no outer
vertical lines, a shaded header that is repeated when the table breaks
across pages. Short cells are plain strings (drawn by the table, fast);
cells that need wrapping, or a glyph the table face lacks, become
paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table

from seri_desktop.domain.model import BudgetLine, BudgetTable, Cell, Program, Report, Targets
from seri_desktop.domain.rules.budget import QUARTER_LABELS
from seri_desktop.formats import text_format as tf
from seri_desktop.formats.pdf import styles as S
from seri_desktop.formats.pdf.styles import Styles
from seri_desktop.formats.pdf.text import join_lines, markup

# A table cell: a string, a flowable or a list of flowables (reportlab is untyped, so: Any).
CellValue: TypeAlias = Any
Command: TypeAlias = tuple[Any, ...]

# A number, maybe with a unit: right-aligned when long, so the digits line up.
_NUMERIC = re.compile(r"^[△-]?\d[\d,]*(\.\d+)?\s*(%|㎡|명|개|건|원|천원|회)?$")
_WORD = re.compile(r"\S+")

EXECUTED_HEADER = "집행액 / 집행내용"
PLANNED_HEADER = "집행예정액 / 집행내용"
PAGE_HEADER = "주요사업별 설명자료 쪽수"


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


def fits(text: str, font: str, size: float, width: float) -> bool:
    return bool(stringWidth(text, font, size) <= width - 2 * S.CELL_PAD_X)


def cell(text: str, st: Styles, width: float, style: Any = None) -> CellValue:
    """``text`` as a plain string when it fits on one line in ``width``, else a wrapping paragraph."""
    style = style or st.cell
    text = join_lines(text) if "\n" in text else text
    if fits(text, style.fontName, style.fontSize, width) and not st.faces.missing(style.fontName, text):
        return text
    line = width - 2 * S.CELL_PAD_X
    return Paragraph(markup(text, style.fontName, st.faces, size=style.fontSize, width=line), style)


def amount(c: Cell) -> str:
    """An amount cell as printed: ``1,234``, ``△1,234``, ``-``, ``재배정``."""
    return c.format()


def auto_widths(
    rows: Sequence[Sequence[str]],
    total: float,
    font: str,
    size: float,
    skip: frozenset[tuple[int, int]] = frozenset(),
) -> list[float]:
    """Column widths that share ``total`` by content: no word split while it can be avoided.

    Cells in ``skip`` (row, column) do not count: a label spanning several
    columns must not widen the first of them.
    """
    ncols = max(len(r) for r in rows)
    pad = 2 * S.CELL_PAD_X + 1
    natural = [pad + 12.0] * ncols
    minimum = [pad + 8.0] * ncols
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            text = join_lines(text)
            if not text or (r, c) in skip:
                continue
            natural[c] = max(natural[c], pad + stringWidth(text, font, size))
            longest = max((stringWidth(w, font, size) for w in _WORD.findall(text)), default=0.0)
            minimum[c] = max(minimum[c], pad + longest)
    if sum(natural) <= total:
        scale = total / sum(natural)
        return [w * scale for w in natural]
    if sum(minimum) >= total:
        scale = total / sum(minimum)
        return [w * scale for w in minimum]
    spare = total - sum(minimum)
    want = [n - m for n, m in zip(natural, minimum, strict=True)]
    return [m + spare * w / sum(want) for m, w in zip(minimum, want, strict=True)]


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


def grid_table(
    header: Sequence[Sequence[str]],
    rows: Sequence[Sequence[str]],
    st: Styles,
    width: float,
    *,
    widths: Sequence[float] | None = None,
) -> Table:
    """A table of printed text cells (front matter, tables inside outlines)."""
    ncols = max(len(r) for r in [*header, *rows])
    header = [list(r) + [""] * (ncols - len(r)) for r in header]
    rows = [list(r) + [""] * (ncols - len(r)) for r in rows]
    faces = st.faces
    spans = header_spans(header)
    wide = frozenset((cmd[1][1], cmd[1][0]) for cmd in spans if cmd[2][0] > cmd[1][0])
    col_widths = list(widths) if widths else auto_widths([*header, *rows], width, faces.sans, S.TABLE_SIZE, wide)
    aligns = [_column_align([r[c] for r in rows]) for c in range(ncols)]
    para_styles = {"LEFT": st.cell, "CENTER": st.cell_center, "RIGHT": st.cell_right}
    data: list[list[CellValue]] = []
    for r in header:
        data.append([cell(t, st, w, st.cell_head) for t, w in zip(r, col_widths, strict=True)])
    for r in rows:
        data.append([cell(t, st, w, para_styles[a]) for t, w, a in zip(r, col_widths, aligns, strict=True)])
    cmds = base_commands(len(header), st)
    cmds += [("ALIGN", (c, len(header)), (c, -1), a) for c, a in enumerate(aligns)]
    cmds += spans
    return Table(data, colWidths=col_widths, style=cmds, repeatRows=len(header), hAlign="LEFT", splitInRow=1)


def _column_align(values: Sequence[str]) -> str:
    present = [v.strip() for v in values if v.strip() and v.strip() != "-"]
    if present and all(_NUMERIC.match(v) for v in present):
        return "RIGHT" if any(len(v) > 3 for v in present) else "CENTER"
    if present and max(len(v) for v in present) <= 8:
        return "CENTER"
    return "LEFT"


def targets_table(targets: Targets, st: Styles, width: float) -> Table:
    """추진 목표: 세부사업명 | 추진시기 | 물량; an empty period continues the one above (a merged cell)."""
    quantity = tf.TARGET_HEADER[2] + (f" ({targets.qualifier})" if targets.qualifier else "")
    widths = [width * 0.5, width * 0.2, width * 0.3]
    data: list[list[CellValue]] = [
        [cell(h, st, w, st.cell_head) for h, w in zip((*tf.TARGET_HEADER[:2], quantity), widths, strict=True)]
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
    return Table(data, colWidths=widths, style=cmds, repeatRows=1, hAlign="LEFT", splitInRow=1)


def budget_columns(width: float) -> list[float]:
    """사업명 | '24 | '23 | 1-4분기 | 쪽수: fixed amount columns, the name takes the rest."""
    fixed = [52.0, 52.0, 61.0, 61.0, 61.0, 61.0, 44.0]
    return [width - sum(fixed), *fixed]


def budget_table(report: Report, budget: BudgetTable, st: Styles, width: float) -> Table:
    """예산 집행 계획 with its computed 계 row; each quarter's note sits under its amount, smaller."""
    widths = budget_columns(width)
    executed = budget.executed_quarters()
    yy, py = report.year % 100, (report.year - 1) % 100
    head = st.cell_head
    top: list[CellValue] = [cell("사업명", st, widths[0], head), "예산액", ""]
    top += [EXECUTED_HEADER if executed else PLANNED_HEADER] + [""] * 3
    top.append(Paragraph(PAGE_HEADER, st.cell_head_small))
    if 0 < executed < 4:
        top[3 + executed] = PLANNED_HEADER
    second: list[CellValue] = ["", f"'{yy:02d}", f"'{py:02d}", *QUARTER_LABELS, ""]
    data: list[list[CellValue]] = [top, second]
    cmds = base_commands(2, st, inner_grid=False)
    cmds += [
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (2, 0)),
        ("SPAN", (7, 0), (7, 1)),
        ("LINEAFTER", (0, 0), (-2, -1), 0.4, S.GRID),
        ("LINEBELOW", (1, 0), (-2, 0), 0.4, S.GRID),
        ("ALIGN", (1, 2), (6, -1), "RIGHT"),
        ("ALIGN", (7, 2), (7, -1), "CENTER"),
    ]
    if executed in (1, 2, 3):
        cmds += [("SPAN", (3, 0), (2 + executed, 0)), ("SPAN", (3 + executed, 0), (6, 0))]
    else:
        cmds.append(("SPAN", (3, 0), (6, 0)))
    for line in budget.lines:
        _budget_line_rows(line, st, widths, data, cmds)
    total = budget.total()
    data.append([tf.BUDGET_TOTAL_LABEL, *(amount(c) for c in total.cells()), ""])
    cmds += [
        ("FONT", (0, -1), (-1, -1), st.faces.sans_bold, S.TABLE_SIZE, S.TABLE_LEADING),
        ("BACKGROUND", (0, -1), (-1, -1), S.TOTAL_FILL),
        ("ALIGN", (0, -1), (0, -1), "CENTER"),
        ("LINEABOVE", (0, -1), (-1, -1), 0.7, S.GRID),
    ]
    return Table(data, colWidths=widths, style=cmds, repeatRows=2, hAlign="LEFT", splitInRow=1)


def _budget_line_rows(
    line: BudgetLine, st: Styles, widths: list[float], data: list[list[CellValue]], cmds: list[Command]
) -> None:
    """One budget line: amounts, then (when any) a row of notes in a smaller size under them."""
    row = len(data)
    data.append(
        [
            cell(line.name, st, widths[0]),
            amount(line.current),
            amount(line.previous),
            *(amount(q.amount) for q in line.quarters),
            cell(line.page, st, widths[7], st.cell_center),
        ]
    )
    notes = [q.note.strip() for q in line.quarters]
    # A note "-" under an amount "-" says nothing the amount does not.
    notes = ["" if n == "-" else n for n in notes]
    if any(notes):
        data.append(["", "", "", *(_note(n, st, w) for n, w in zip(notes, widths[3:7], strict=True)), ""])
        for c in (0, 1, 2, 7):
            cmds.append(("SPAN", (c, row), (c, row + 1)))
        cmds += [
            ("VALIGN", (3, row), (6, row), "BOTTOM"),
            ("VALIGN", (3, row + 1), (6, row + 1), "TOP"),
            ("BOTTOMPADDING", (3, row), (6, row), 0.5),
            ("TOPPADDING", (3, row + 1), (6, row + 1), 0.5),
        ]
    last = len(data) - 1
    cmds.append(("LINEBELOW", (0, last), (-1, last), 0.4, S.GRID))


def _note(text: str, st: Styles, width: float) -> CellValue:
    if not text:
        return ""
    style = st.cell_note
    return Paragraph(markup(text, style.fontName, st.faces, size=style.fontSize, width=width - 2 * S.CELL_PAD_X), style)


def summary_table(report: Report, st: Styles, page_ref: Callable[[Program], Flowable]) -> Table:
    """I-6 주요업무별 예산 내역: a row per program, computed from its budget; 쪽수 from ``page_ref``."""
    programs = list(report.programs())
    totals = [(p.budget or BudgetTable()).total() for p in programs]
    font, size = st.faces.sans, S.TABLE_SIZE
    pad = 2 * S.CELL_PAD_X + 2
    # Amount columns as wide as their widest figure; the title takes what is left.
    amount_w = [max([42.0, *(stringWidth(amount(t.cells()[c]), font, size) + pad for t in totals)]) for c in range(6)]
    code_w = max([30.0, *(stringWidth(p.code, font, size) + pad for p in programs)])
    page_w = 28.0
    title_w = S.BODY_WIDTH - code_w - sum(amount_w) - page_w
    widths = [code_w, title_w, *amount_w, page_w]
    cy, py = report.year % 100, (report.year - 1) % 100
    top, second = ([c.format(cy=cy, py=py) for c in row] for row in tf.SUMMARY_HEADER)
    executed = BudgetTable(as_of=report.as_of).executed_quarters()
    top[4:8] = ["집행액" if executed else "집행계획", "", "", ""]
    if 0 < executed < 4:
        top[4 + executed] = "집행계획"
    second[4:8] = list(QUARTER_LABELS)
    head = st.cell_head
    data: list[list[CellValue]] = [
        [cell(t, st, w, head) for t, w in zip(top, widths, strict=True)],
        [cell(t, st, w, head) for t, w in zip(second, widths, strict=True)],
    ]
    for program, total in zip(programs, totals, strict=True):
        data.append(
            [program.code, cell(program.title, st, title_w), *(amount(c) for c in total.cells()), page_ref(program)]
        )
    cmds = base_commands(2, st)
    cmds += [
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
        ("SPAN", (2, 0), (3, 0)),
        ("SPAN", (8, 0), (8, 1)),
        ("ALIGN", (0, 2), (0, -1), "CENTER"),
        ("ALIGN", (2, 2), (7, -1), "RIGHT"),
    ]
    if executed in (1, 2, 3):
        cmds += [("SPAN", (4, 0), (3 + executed, 0)), ("SPAN", (4 + executed, 0), (7, 0))]
    else:
        cmds.append(("SPAN", (4, 0), (7, 0)))
    return Table(data, colWidths=widths, style=cmds, repeatRows=2, hAlign="LEFT", splitInRow=1)
