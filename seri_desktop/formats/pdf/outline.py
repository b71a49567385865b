"""Outlines (개조식) as paragraphs with hanging indents.

The marker of an item (○ level 0, - level 1, - deeper) hangs in the margin
of its level and every line of the text starts at the same x, so wrapped
lines align with the text, not with the marker. ※ notes and * footnotes are
set in the 고딕 face, smaller; small tables inside an outline become grid
tables indented to their level.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Indenter, Paragraph

from seri_desktop.domain.model import ItemKind, Outline, OutlineItem
from seri_desktop.formats import text_format as tf
from seri_desktop.formats.pdf import styles as S
from seri_desktop.formats.pdf.styles import Styles
from seri_desktop.formats.pdf.tables import grid_table
from seri_desktop.formats.pdf.text import markup

LEVEL0_MARK = "○"
LEVEL_MARK = "-"


def outline_flowables(outline: Outline, st: Styles, width: float = S.BODY_WIDTH) -> list[Flowable]:
    """Flowables for ``outline`` in a frame ``width`` wide, in order."""
    out: list[Flowable] = []
    for item in outline:
        out.extend(item_flowables(item, st, width))
    return out


def item_flowables(item: OutlineItem, st: Styles, width: float = S.BODY_WIDTH) -> list[Flowable]:
    """One outline item: a paragraph, or an indented table."""
    level = max(item.level, 0)
    if item.kind is ItemKind.TABLE:
        rows = [list(r) for r in item.table or [] if any(c.strip() for c in r)]
        if not rows:
            return []
        indent = st.marker_x(level)
        table = grid_table(rows[:1], rows[1:], st, width - indent)
        table.spaceBefore = 3
        table.spaceAfter = 4
        return [Indenter(left=indent), table, Indenter(left=-indent)]
    text = item.text.strip()
    if item.kind in (ItemKind.NOTE, ItemKind.FOOTNOTE):
        mark = tf.NOTE_MARK if item.kind is ItemKind.NOTE else tf.FOOTNOTE_MARK
        if item.kind is ItemKind.FOOTNOTE and text.startswith(tf.FOOTNOTE_MARK):
            # "**" footnotes keep their extra stars in the text; they belong to the marker.
            stars = len(text) - len(text.lstrip(tf.FOOTNOTE_MARK))
            mark, text = tf.FOOTNOTE_MARK * (stars + 1), text[stars:].strip()
        return [_paragraph(text, st.item(level, note=True), st, width, mark)]
    if not text:
        return []
    if item.kind is ItemKind.TEXT:
        return [_paragraph(text, st.text(level), st, width)]
    return [_paragraph(text, st.item(level), st, width, LEVEL0_MARK if level == 0 else LEVEL_MARK)]


def _paragraph(text: str, style: ParagraphStyle, st: Styles, width: float, mark: str | None = None) -> Paragraph:
    line = width - style.leftIndent - style.rightIndent
    return Paragraph(markup(text, style.fontName, st.faces, size=style.fontSize, width=line), style, bulletText=mark)
