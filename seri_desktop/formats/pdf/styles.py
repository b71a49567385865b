"""Page geometry, colours and paragraph styles of the printed report.

Body text is set in the 명조 (serif) face, headings, tables and notes in the
고딕 (sans) face, as Korean public reports are. Sizes are in points.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from seri_desktop.formats.pdf.typefaces import Typefaces

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = 20 * mm
MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 20 * mm
FOOTER_BASELINE = 10 * mm
BODY_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
BODY_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

INK = colors.HexColor("#1A1A1A")
ACCENT = colors.HexColor("#1F3A60")  # headings, part banners, the table top rule
GRID = colors.HexColor("#6B6B6B")
HEADER_FILL = colors.HexColor("#E3E9F1")
TOTAL_FILL = colors.HexColor("#F2F4F7")
MUTED = colors.HexColor("#555555")

BODY_SIZE = 10.5
SECTION_SIZE = 12.5
SUBSECTION_SIZE = 11
BODY_LEADING = 16.5
NOTE_SIZE = 9.5
NOTE_LEADING = 14
TABLE_SIZE = 8.5
TABLE_LEADING = 10.5
TABLE_NOTE_SIZE = 8  # 집행내용 under the quarter amounts: 7 pt was too small to read in print
TABLE_NOTE_LEADING = 9.6
CELL_PAD_X = 3
AMOUNT_PAD_X = 4.0
COMPACT_PAD_X = 1.5  # a crowded table's cells (정·현원)  # amounts keep clear of the cell borders
CELL_PAD_Y = 2.2

# Outline geometry. reportlab starts a paragraph's first line at least 0.6 bullet sizes
# after the end of its bullet (else it pushes that line right, out of line with the rest),
# so where text starts follows from the width of the markers in the chosen font.
_EM = BODY_SIZE
BULLET_GAP = 0.6  # of the bullet's font size, as reportlab requires
_LEVEL0_MARKER = 0.6 * _EM
_DEEPER = 0.4 * _EM  # levels 2+: the dash sits this far inside its parent's text


@dataclass(frozen=True)
class Geometry:
    """Where outline markers and text start, for one set of faces."""

    level0_text: float  # text of ○ items (and of the ○ 목적 subheadings)
    dash: float  # from a "-" marker to its text
    note: float  # from a ※ or * marker to its text
    section_text: float  # text of a □ heading, the □ at 0

    def marker_x(self, level: int) -> float:
        """Where the marker of an item of ``level`` starts (○ at 0, - at 1, deeper - beyond)."""
        if level <= 0:
            return _LEVEL0_MARKER
        return self.text_x(level - 1) + (_DEEPER if level >= 2 else 0.0)

    def text_x(self, level: int) -> float:
        """Where every line of the text of an item of ``level`` starts."""
        return self.level0_text if level <= 0 else self.marker_x(level) + self.dash

    def note_text_x(self, level: int) -> float:
        """Where the text of a ※ note or * footnote at ``level`` starts."""
        return self.marker_x(level) + self.note


def _geometry(faces: Typefaces) -> Geometry:
    def reach(mark: str, font: str, size: float) -> float:
        return float(stringWidth(mark, font, size)) + BULLET_GAP * size + 0.5

    return Geometry(
        level0_text=_LEVEL0_MARKER
        + max(reach("○", faces.serif, BODY_SIZE), reach("○", faces.serif_bold, SUBSECTION_SIZE)),
        dash=reach("-", faces.serif, BODY_SIZE),
        note=max(reach("※", faces.sans, NOTE_SIZE), reach("**", faces.sans, NOTE_SIZE)),
        section_text=reach("□", faces.sans_bold, SECTION_SIZE),
    )


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one set of typefaces."""

    faces: Typefaces
    geometry: Geometry
    body: ParagraphStyle
    note: ParagraphStyle
    section: ParagraphStyle
    subsection: ParagraphStyle
    label: ParagraphStyle
    caption: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_small: ParagraphStyle
    cell_note: ParagraphStyle
    program_code: ParagraphStyle
    program_title: ParagraphStyle
    part_number: ParagraphStyle
    part_title: ParagraphStyle
    heading: ParagraphStyle
    chapter_number: ParagraphStyle
    chapter_title: ParagraphStyle
    list_entry: ParagraphStyle
    toc_title: ParagraphStyle
    toc_part: ParagraphStyle
    toc_entry: ParagraphStyle
    author: ParagraphStyle
    author_caption: ParagraphStyle
    history_date: ParagraphStyle

    def marker_x(self, level: int) -> float:
        return self.geometry.marker_x(level)

    def text_x(self, level: int) -> float:
        return self.geometry.text_x(level)

    def item(self, level: int, note: bool = False) -> ParagraphStyle:
        """The style of an outline item: the marker hangs at :meth:`marker_x`, all lines at the text."""
        return _item_style(self, level, note)

    def text(self, level: int) -> ParagraphStyle:
        """A paragraph without marker, aligned with the markers of ``level``."""
        return _text_style(self, level)

    def note_at(self, x: float) -> ParagraphStyle:
        """A ※ note or * footnote whose marker starts at ``x`` (its text a marker's width further)."""
        return _note_style(self, round(x, 2))


@functools.cache
def styles_for(faces: Typefaces) -> Styles:
    """The styles for ``faces`` (cached: styles are immutable once made)."""
    serif, serif_bold, sans, sans_bold = faces.serif, faces.serif_bold, faces.sans, faces.sans_bold

    def ps(name: str, **kw: object) -> ParagraphStyle:
        kw.setdefault("textColor", INK)
        return ParagraphStyle(name, **kw)

    cell = ps("cell", fontName=sans, fontSize=TABLE_SIZE, leading=TABLE_LEADING, alignment=TA_LEFT)
    geometry = _geometry(faces)
    return Styles(
        faces=faces,
        geometry=geometry,
        body=ps("body", fontName=serif, fontSize=BODY_SIZE, leading=BODY_LEADING, alignment=TA_LEFT),
        note=ps("note", fontName=sans, fontSize=NOTE_SIZE, leading=NOTE_LEADING, alignment=TA_LEFT),
        section=ps(
            "section",
            fontName=sans_bold,
            fontSize=SECTION_SIZE,
            leading=17,
            leftIndent=geometry.section_text,
            bulletIndent=0,
            bulletFontName=sans_bold,
            bulletFontSize=SECTION_SIZE,
            spaceBefore=11,
            spaceAfter=3,
            keepWithNext=1,
            textColor=ACCENT,
            bulletColor=ACCENT,
        ),
        subsection=ps(
            "subsection",
            fontName=serif_bold,
            fontSize=SUBSECTION_SIZE,
            leading=BODY_LEADING,
            leftIndent=geometry.level0_text,
            bulletIndent=_LEVEL0_MARKER,
            bulletFontName=serif_bold,
            bulletFontSize=SUBSECTION_SIZE,
            spaceBefore=4,
            keepWithNext=1,
        ),
        label=ps(
            "label",
            fontName=sans_bold,
            fontSize=NOTE_SIZE,
            leading=NOTE_LEADING,
            textColor=ACCENT,
        ),
        caption=ps(
            "caption", fontName=sans, fontSize=8.5, leading=11, alignment=TA_RIGHT, spaceBefore=2, keepWithNext=1
        ),
        cell=cell,
        cell_center=ps("cell_center", parent=cell, alignment=TA_CENTER),
        cell_right=ps("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_head=ps("cell_head", parent=cell, fontName=sans_bold, alignment=TA_CENTER),
        cell_head_small=ps(
            "cell_head_small", parent=cell, fontName=sans_bold, fontSize=7.5, leading=9, alignment=TA_CENTER
        ),
        cell_note=ps(
            "cell_note", parent=cell, fontSize=TABLE_NOTE_SIZE, leading=TABLE_NOTE_LEADING, alignment=TA_CENTER
        ),
        program_code=ps(
            "program_code", fontName=sans_bold, fontSize=14, leading=18, alignment=TA_CENTER, textColor=colors.white
        ),
        program_title=ps("program_title", fontName=sans_bold, fontSize=15, leading=20, textColor=ACCENT),
        part_number=ps(
            "part_number", fontName=sans_bold, fontSize=18, leading=22, alignment=TA_CENTER, textColor=colors.white
        ),
        part_title=ps("part_title", fontName=sans_bold, fontSize=18, leading=22, textColor=ACCENT),
        heading=ps(
            "heading", fontName=sans_bold, fontSize=13, leading=18, spaceBefore=12, spaceAfter=4, keepWithNext=1
        ),
        chapter_number=ps(
            "chapter_number", fontName=sans_bold, fontSize=30, leading=36, alignment=TA_CENTER, textColor=colors.white
        ),
        chapter_title=ps("chapter_title", fontName=sans_bold, fontSize=19, leading=26, textColor=ACCENT),
        list_entry=ps("list_entry", fontName=serif, fontSize=12, leading=17),
        toc_title=ps("toc_title", fontName=sans_bold, fontSize=20, leading=26, alignment=TA_CENTER, spaceAfter=14),
        toc_part=ps("toc_part", fontName=sans_bold, fontSize=12, leading=16),
        toc_entry=ps("toc_entry", fontName=serif, fontSize=10.5, leading=14.5),
        author=ps("author", fontName=sans, fontSize=9.5, leading=14),
        author_caption=ps("author_caption", fontName=sans_bold, fontSize=9.5, leading=12, alignment=TA_CENTER),
        history_date=ps("history_date", fontName=sans, fontSize=9.5, leading=BODY_LEADING),
    )


@functools.cache
def _item_style(styles: Styles, level: int, note: bool) -> ParagraphStyle:
    base = styles.note if note else styles.body
    return ParagraphStyle(
        f"{'note' if note else 'item'}{level}",
        parent=base,
        leftIndent=styles.geometry.note_text_x(level) if note else styles.geometry.text_x(level),
        bulletIndent=styles.geometry.marker_x(level),
        bulletFontName=base.fontName,
        bulletFontSize=base.fontSize,
        spaceBefore=1.5 if level <= 0 and not note else 0.5,
    )


@functools.cache
def _text_style(styles: Styles, level: int) -> ParagraphStyle:
    return ParagraphStyle(
        f"text{level}", parent=styles.body, leftIndent=styles.geometry.marker_x(level), spaceBefore=1.5
    )


@functools.cache
def _note_style(styles: Styles, x: float) -> ParagraphStyle:
    return ParagraphStyle(
        f"note@{x}",
        parent=styles.note,
        leftIndent=x + styles.geometry.note,
        bulletIndent=x,
        bulletFontName=styles.note.fontName,
        bulletFontSize=styles.note.fontSize,
        spaceBefore=0.5,
    )
