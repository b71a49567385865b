"""Outlines (개조식) as paragraphs with hanging indents.

The marker of an item (○ level 0, - level 1, - deeper) hangs in the margin
of its level and every line of the text starts at the same x, so wrapped
lines align with the text, not with the marker. ※ notes and * footnotes are
set in the 고딕 face, smaller, under the item they annotate: their marker
starts where the text of the item before them starts (consecutive notes line
up with the first), so a note never sits at the indent of the items beside
it. Small tables inside an outline become grid tables indented to their
level, with every header row shaded.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from seri_desktop.domain.model import ItemKind, Outline, OutlineItem
from seri_desktop.formats import text_format as tf
from seri_desktop.formats.pdf import styles as S
from seri_desktop.formats.pdf.flowables import Indented, Para
from seri_desktop.formats.pdf.styles import Styles
from seri_desktop.formats.pdf.tables import grid_table, split_header
from seri_desktop.formats.pdf.text import markup

LEVEL0_MARK = "○"
LEVEL_MARK = "-"
_NOTES = (ItemKind.NOTE, ItemKind.FOOTNOTE)


def outline_flowables(outline: Outline, st: Styles, width: float = S.BODY_WIDTH) -> list[Flowable]:
    """Flowables for ``outline`` in a frame ``width`` wide, in order."""
    out: list[Flowable] = []
    placed: list[tuple[int, float]] = []  # (level, where a note under this entry starts) of the entries so far
    for item in outline:
        level = max(item.level, 0)
        note_x: float | None = None
        if item.kind in _NOTES and placed:
            note_x = _note_x(level, placed)
        out.extend(item_flowables(item, st, width, note_x))
        if item.kind in _NOTES:
            placed.append((level, st.marker_x(level) if note_x is None else note_x))
        elif item.kind is ItemKind.ITEM:
            placed.append((level, st.text_x(level)))
        else:
            placed.append((level, st.marker_x(level)))
    return out


def _note_x(level: int, placed: list[tuple[int, float]]) -> float:
    """Where a note of ``level`` starts: under the entry it annotates.

    That is the nearest entry before it at its level or above (a note after
    a deeper item, "※ 기타" after "- 결원", belongs with the note or item
    that item hangs from); failing one, the entry right before it.
    """
    for entry_level, x in reversed(placed):
        if entry_level <= level:
            return x
    return placed[-1][1]


def item_flowables(
    item: OutlineItem, st: Styles, width: float = S.BODY_WIDTH, note_x: float | None = None
) -> list[Flowable]:
    """One outline item: a paragraph, or an indented table; a note's marker at ``note_x`` when given."""
    level = max(item.level, 0)
    if item.kind is ItemKind.TABLE:
        rows = [list(r) for r in item.table or [] if any(c.strip() for c in r)]
        if not rows:
            return []
        indent = st.marker_x(level)
        header, body = split_header(rows)
        table = grid_table(header, body, st, width - indent)
        table.spaceBefore = 3
        table.spaceAfter = 4
        return [Indented(table, indent)]
    text = item.text.strip()
    if item.kind in _NOTES:
        mark = tf.NOTE_MARK if item.kind is ItemKind.NOTE else tf.FOOTNOTE_MARK
        if item.kind is ItemKind.FOOTNOTE and text.startswith(tf.FOOTNOTE_MARK):
            # "**" footnotes keep their extra stars in the text; they belong to the marker.
            stars = len(text) - len(text.lstrip(tf.FOOTNOTE_MARK))
            mark, text = tf.FOOTNOTE_MARK * (stars + 1), text[stars:].strip()
        style = st.note_at(st.marker_x(level) if note_x is None else note_x)
        return [_paragraph(text, style, st, width, mark)]
    if not text:
        return []
    if item.kind is ItemKind.TEXT:
        return [_paragraph(text, st.text(level), st, width)]
    return [_paragraph(text, st.item(level), st, width, LEVEL0_MARK if level == 0 else LEVEL_MARK)]


def _paragraph(text: str, style: ParagraphStyle, st: Styles, width: float, mark: str | None = None) -> Para:
    line = width - style.leftIndent - style.rightIndent
    return Para(markup(text, style.fontName, st.faces, size=style.fontSize, width=line), style, bulletText=mark)
