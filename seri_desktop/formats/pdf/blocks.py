"""Page furniture: part banners, title bars, □ headings, boxed labels, contents rows, author blocks.

Layout tables here have no grid; each names its font so that empty cells do
not pull reportlab's default Helvetica (a font that would not be embedded)
into the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from seri_desktop.domain import authors
from seri_desktop.domain.model import AuthorBlock, Chapter, HistoryEntry
from seri_desktop.formats import text_format as tf
from seri_desktop.formats.pdf import styles as S
from seri_desktop.formats.pdf.flowables import Grid, PageLog, PageRef, Para
from seri_desktop.formats.pdf.styles import Styles
from seri_desktop.formats.pdf.tables import CellValue, Command
from seri_desktop.formats.pdf.text import NBSP, balanced_lines, join_lines, markup

# Between two people on one author line: a wide gap that may still end the line.
AUTHOR_GAP = NBSP * 3 + " "
PAGE_NUMBER_WIDTH = 30.0
BAR_RIGHT_PAD = 6.0


def layout_table(
    data: list[list[CellValue]], widths: Sequence[float], cmds: list[Command], st: Styles, **kw: Any
) -> Table:
    """A table used for layout only, left-aligned in the frame."""
    style: list[Command] = [("FONT", (0, 0), (-1, -1), st.faces.sans, S.TABLE_SIZE), *cmds]
    return Grid(data, colWidths=list(widths), style=style, hAlign=kw.pop("hAlign", "LEFT"), **kw)


def para(text: str, style: ParagraphStyle, st: Styles, **kw: Any) -> Para:
    """A paragraph of plain ``text`` (escaped, protected, with glyph fallback)."""
    return Para(markup(text, style.fontName, st.faces), style, **kw)


def balanced_para(text: str, style: ParagraphStyle, st: Styles, width: float) -> Para:
    """A title in lines of even length, so a second line is never one lone word."""
    lines = balanced_lines(join_lines(text), style.fontName, style.fontSize, width)
    return Para("<br/>".join(markup(line, style.fontName, st.faces) for line in lines), style)


def number_bar(
    number: str,
    title: str,
    number_style: ParagraphStyle,
    title_style: ParagraphStyle,
    st: Styles,
    *,
    number_width: float,
    pad: float,
    space_after: float = 0,
) -> Table:
    """A filled box with a number, then the title over a rule: parts, chapters and programs."""
    title_width = S.BODY_WIDTH - number_width - (10 + pad / 2) - BAR_RIGHT_PAD
    return layout_table(
        [[para(number, number_style, st), balanced_para(title, title_style, st, title_width)]],
        [number_width, S.BODY_WIDTH - number_width],
        [
            ("BACKGROUND", (0, 0), (0, 0), S.ACCENT),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (1, 0), (1, 0), 10 + pad / 2),
            ("RIGHTPADDING", (1, 0), (1, 0), BAR_RIGHT_PAD),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 2),
            ("LINEBELOW", (1, 0), (1, 0), 1.6, S.ACCENT),
        ],
        st,
        spaceAfter=space_after,
    )


def section_heading(title: str, st: Styles) -> Para:
    """□ heading of a program section or of a department's evaluation."""
    return para(title, st.section, st, bulletText=tf.SECTION_MARK)


def label_box(text: str, st: Styles) -> Table:
    """A boxed sub-heading such as "2024년 주요 개선 사항", kept with what follows."""
    style = st.label
    width = stringWidth(text, style.fontName, style.fontSize) + 16
    # The indent is an empty first column: an Indenter would break the keep-with-next chain.
    box = layout_table(
        [["", para(text, style, st)]],
        [st.marker_x(0), width],
        [
            ("BACKGROUND", (1, 0), (1, 0), S.HEADER_FILL),
            ("BOX", (1, 0), (1, 0), 0.6, S.ACCENT),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("LEFTPADDING", (1, 0), (1, 0), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ],
        st,
        spaceBefore=3,
        spaceAfter=4,
    )
    box.keepWithNext = 1
    return box


def dotted_style(
    base: ParagraphStyle, indent: float, *, space_before: float, size: float | None = None
) -> ParagraphStyle:
    """A contents entry: hanging indent and leader dots up to the page number."""
    return ParagraphStyle(
        f"{base.name}-dots{indent}",
        parent=base,
        leftIndent=indent + 12,
        firstLineIndent=-12,
        endDots=" .",
        spaceBefore=space_before,
        fontSize=size or base.fontSize,
    )


def page_list(rows: Sequence[tuple[str, ParagraphStyle, str]], log: PageLog, st: Styles, width: float) -> Table:
    """Rows of (text, dotted style, anchor key): the text, leader dots, the page of the anchor."""
    data: list[list[CellValue]] = [
        [para(text, style, st), PageRef(log, key, style.fontName, style.fontSize, style.leading)]
        for text, style, key in rows
    ] or [["", ""]]
    return layout_table(
        data,
        [width - PAGE_NUMBER_WIDTH, PAGE_NUMBER_WIDTH],
        [
            # Bottom: the number sits on the last line of a wrapped title, where the dots end.
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
        ],
        st,
        hAlign="CENTER",
    )


def history_table(entries: Sequence[HistoryEntry], st: Styles) -> Table:
    """연혁: dates in a column of their own, texts beside them (a sub-entry without date gets "-")."""
    date_w = 78.0
    indent = st.marker_x(0)
    data: list[list[CellValue]] = []
    for entry in entries:
        text = join_lines(entry.text)
        data.append(
            [
                para(entry.date, st.history_date, st) if entry.date else "",
                para(text if entry.date else f"- {text}", st.text(0), st),
            ]
        )
    return layout_table(
        data or [["", ""]],
        [indent + date_w, S.BODY_WIDTH - indent - date_w],
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (0, -1), indent),
            ("LEFTPADDING", (1, 0), (1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
        ],
        st,
    )


def author_blocks(chapter: Chapter, st: Styles) -> list[Flowable]:
    """The chapter's 작성자 blocks; with several, each says which programs it covers."""
    blocks = sorted(chapter.author_blocks, key=lambda b: b.before_program)
    out: list[Flowable] = []
    for n, block in enumerate(blocks):
        label = run_label(chapter, blocks, n) if len(blocks) > 1 else ""
        if n:
            out.append(Spacer(1, 6))
        out.append(author_table(block, label, st))
    return out


def run_label(chapter: Chapter, blocks: Sequence[AuthorBlock], n: int) -> str:
    """Codes of the programs block ``n`` covers (:func:`seri_desktop.domain.authors.run_label`)."""
    return authors.run_label(chapter, blocks, n)


def author_table(block: AuthorBlock, label: str, st: Styles) -> Table:
    """One 작성자 block, a line per printed line; names on a line without a role line up
    under the name after the last role of the line above (담당: 정미연 / 이강욱 …)."""
    style = st.author
    font, size = style.fontName, style.fontSize
    lines: dict[int, list[tuple[str, str]]] = {}
    for e in block.entries:
        lines.setdefault(e.line, []).append((e.role, f"{e.name} {tf.PHONE_MARK} {e.phone}".strip()))
    paras: list[Flowable] = []
    indent = 0.0
    for _, entries in sorted(lines.items()):
        parts: list[str] = []
        x = 0.0
        name_x: float | None = None
        for role, person in entries:
            prefix = f"{role}: " if role else ""
            if role:
                name_x = x + stringWidth(prefix, font, size)
            parts.append(prefix + person)
            x += stringWidth(prefix + person + AUTHOR_GAP, font, size)
        line_style = style if entries[0][0] else ParagraphStyle("author-cont", parent=style, leftIndent=indent)
        if name_x is not None:
            indent = name_x
        paras.append(para(AUTHOR_GAP.join(parts), line_style, st))
    # Imported captions keep the source's stray spacing ("작 성 자", "작성 자"); print one form.
    caption = block.caption.replace(" ", "") or tf.AUTHOR_CAPTION
    caption_paras: list[Flowable] = [para(caption, st.author_caption, st)]
    if label:
        caption_paras.append(para(f"({label})", st.author_caption, st))
    caption_w = 62.0
    return layout_table(
        [[caption_paras, paras or ""]],
        [caption_w, S.BODY_WIDTH - caption_w],
        [
            ("BACKGROUND", (0, 0), (0, 0), S.HEADER_FILL),
            ("BOX", (0, 0), (-1, -1), 0.8, S.ACCENT),
            ("LINEAFTER", (0, 0), (0, 0), 0.5, S.GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (1, 0), (1, 0), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 7),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ],
        st,
        splitInRow=1,  # a block of more people than a page holds goes on to the next
    )
