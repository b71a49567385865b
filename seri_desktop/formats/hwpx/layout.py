"""The look of the HWPX document: page, named fonts, sizes, colours, outline indents, and their ids.

Sizes, margins and colours are the PDF's (:mod:`seri_desktop.formats.pdf.styles`),
so the two prints agree; only the units change (HWPUNIT: 1/7200 inch,
100 per point). The fonts are named, not embedded: 함초롬바탕 for the body and
함초롬돋움 for headings and tables, the faces every 한글 installation ships,
so the secretariat sees the document as it was made; 나눔명조 and 나눔고딕 are
declared as their substitutes for machines without them.

Outline marks are literal characters (□ ○ - ※ *) in plain paragraphs with a
hanging indent per level: the first line starts at the level's marker, every
further line at the text. The reader recovers an item's level from that
indent (:func:`level_for_indent`), so both directions use :func:`marker_x`.

:class:`Styles` mints the character shapes, paragraph shapes and border fills
a document needs, once each, through ``doc.styles.*``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from seri_desktop.formats.pdf import styles as pdf

if TYPE_CHECKING:
    from hwpx import HwpxDocument
    from hwpx.oxml import HwpxOxmlParagraph

HWPUNIT_PER_PT: Final = 100
HWPUNIT_PER_MM: Final = 7200 / 25.4

SERIF: Final = "함초롬바탕"
SANS: Final = "함초롬돋움"
SERIF_SUBSTITUTE: Final = "나눔명조"
SANS_SUBSTITUTE: Final = "나눔고딕"


def mm(value: float) -> int:
    """``value`` millimetres in HWPUNIT."""
    return round(value * HWPUNIT_PER_MM)


def pt(value: float) -> int:
    """``value`` points in HWPUNIT."""
    return round(value * HWPUNIT_PER_PT)


def colour(c: Any) -> str:
    """A reportlab colour of the PDF's palette as ``#RRGGBB``."""
    hexval = str(c.hexval())  # "0x1f3a60"
    return "#" + hexval[2:].upper().rjust(6, "0")


_PT_PER_MM: Final = 72 / 25.4
PAGE_MARGINS_MM: Final = {
    "left": pdf.MARGIN_LEFT / _PT_PER_MM,
    "right": pdf.MARGIN_RIGHT / _PT_PER_MM,
    "top": pdf.MARGIN_TOP / _PT_PER_MM,
    "bottom": pdf.MARGIN_BOTTOM / _PT_PER_MM,
}
FOOTER_MM: Final = pdf.FOOTER_BASELINE / _PT_PER_MM
BODY_WIDTH: Final = mm(210 - PAGE_MARGINS_MM["left"] - PAGE_MARGINS_MM["right"])
INK: Final = colour(pdf.INK)
ACCENT: Final = colour(pdf.ACCENT)
GRID: Final = colour(pdf.GRID)
HEADER_FILL: Final = colour(pdf.HEADER_FILL)
TOTAL_FILL: Final = colour(pdf.TOTAL_FILL)
MUTED: Final = colour(pdf.MUTED)
WHITE: Final = "#FFFFFF"

# Row heights: 한글 grows a row to its text, so these are minimums; the library's default is 1 mm.
ROW_HEIGHT: Final = mm(6.5)
NOTE_ROW_HEIGHT: Final = mm(5)
BAR_HEIGHT: Final = mm(10)
CELL_PAD_X: Final = mm(1.1)
CELL_PAD_Y: Final = mm(0.6)

# Widths of the marks and of a space, in ems of the paragraph's size: full-width symbols (○ □ ※) are one
# em in Korean faces, a space half an em, "-" and "*" as 한글 sets them in 함초롬바탕 (measured with rhwp).
_MARK_EM: Final = {"○": 1.0, "□": 1.0, "※": 1.0, "-": 0.77, "*": 0.55}
_SPACE_EM: Final = 0.5
_LEVEL0_MARKER: Final = 0.6  # em: where ○ stands (the PDF's _LEVEL0_MARKER)
_DEEPER: Final = 0.4  # em: a level 2+ dash sits this far inside its parent's text (the PDF's _DEEPER)


def hang(mark: str, size: float) -> int:
    """The hanging indent of a paragraph starting with ``mark`` and a space, at ``size`` points."""
    width = sum(_MARK_EM.get(ch, 1.0) for ch in mark)
    return pt((width + _SPACE_EM) * size)


def marker_x(level: int) -> int:
    """Where the marker of an outline item of ``level`` stands (○ at 0, - at 1, deeper - beyond)."""
    if level <= 0:
        return pt(_LEVEL0_MARKER * pdf.BODY_SIZE)
    return text_x(level - 1) + (pt(_DEEPER * pdf.BODY_SIZE) if level >= 2 else 0)


def text_x(level: int) -> int:
    """Where the text of an outline item of ``level`` starts."""
    mark = "○" if level <= 0 else "-"
    return marker_x(level) + hang(mark, pdf.BODY_SIZE)


MAX_LEVEL: Final = 6


def level_for_indent(left: int, *, lowest: int = 0) -> int:
    """The outline level whose marker stands nearest ``left`` (HWPUNIT), at least ``lowest``."""
    levels = range(lowest, MAX_LEVEL + 1)
    return min(levels, key=lambda level: abs(marker_x(level) - left))


@dataclass(frozen=True)
class Para:
    """A paragraph shape: alignment, left margin, first-line indent (negative: hanging), spacing."""

    align: str = "JUSTIFY"
    left: int = 0
    indent: int = 0
    before: float = 0.0  # points
    after: float = 0.0
    line: int = 160  # per cent
    keep_with_next: bool = False


@dataclass(frozen=True)
class Run:
    """A character shape: face, size, bold, colour."""

    font: str = SERIF
    size: float = pdf.BODY_SIZE
    bold: bool = False
    colour: str = INK


@dataclass(frozen=True)
class Box:
    """A border fill: border colour and width on the given sides, and a fill."""

    sides: tuple[str, ...] = ("left", "right", "top", "bottom")
    border: str = GRID
    width: str = "0.12 mm"
    fill: str | None = None


# The shapes the writer uses, by role.
BODY: Final = Run()
SUBHEADING: Final = Run(size=pdf.SUBSECTION_SIZE, bold=True)
NOTE: Final = Run(font=SANS, size=pdf.NOTE_SIZE)
SECTION: Final = Run(font=SANS, size=pdf.SECTION_SIZE, bold=True, colour=ACCENT)
HEADING: Final = Run(font=SANS, size=13, bold=True)
CAPTION: Final = Run(font=SANS, size=8.5)
LABEL: Final = Run(font=SANS, size=pdf.NOTE_SIZE, bold=True, colour=ACCENT)
CELL: Final = Run(font=SANS, size=pdf.TABLE_SIZE)
CELL_BOLD: Final = Run(font=SANS, size=pdf.TABLE_SIZE, bold=True)
CELL_NOTE: Final = Run(font=SANS, size=pdf.TABLE_NOTE_SIZE)
BAR_CODE: Final = Run(font=SANS, size=14, bold=True, colour=WHITE)
BAR_TITLE: Final = Run(font=SANS, size=15, bold=True, colour=ACCENT)
PART_NUMBER: Final = Run(font=SANS, size=18, bold=True, colour=WHITE)
PART_TITLE: Final = Run(font=SANS, size=18, bold=True, colour=ACCENT)
CHAPTER_NUMBER: Final = Run(font=SANS, size=30, bold=True, colour=WHITE)
CHAPTER_TITLE: Final = Run(font=SANS, size=19, bold=True, colour=ACCENT)
LIST_ENTRY: Final = Run(size=12)
TOC_TITLE: Final = Run(font=SANS, size=20, bold=True)
TOC_PART: Final = Run(font=SANS, size=12, bold=True)
TOC_ENTRY: Final = Run(size=10.5)
AUTHOR: Final = Run(font=SANS, size=9.5)
AUTHOR_CAPTION: Final = Run(font=SANS, size=9.5, bold=True)
COVER_MEETING: Final = Run(font=SANS, size=15)
COVER_COMMITTEE: Final = Run(font=SANS, size=16, bold=True)
COVER_SUBTITLE: Final = Run(size=17, colour=MUTED)
COVER_TITLE: Final = Run(font=SANS, size=40, bold=True, colour=ACCENT)
COVER_DATE: Final = Run(font=SANS, size=17)
COVER_INSTITUTE: Final = Run(font=SANS, size=19, bold=True)

GRID_BOX: Final = Box()
HEAD_BOX: Final = Box(fill=HEADER_FILL)
TOTAL_BOX: Final = Box(fill=TOTAL_FILL)
NO_BOX: Final = Box(sides=())
BAR_NUMBER_BOX: Final = Box(sides=(), fill=ACCENT)
BAR_TITLE_BOX: Final = Box(sides=("bottom",), border=ACCENT, width="0.5 mm")
LABEL_BOX: Final = Box(border=ACCENT, width="0.25 mm")
AUTHOR_CAPTION_BOX: Final = Box(border=ACCENT, width="0.25 mm", fill=HEADER_FILL)
AUTHOR_BOX: Final = Box(border=ACCENT, width="0.25 mm")


def item_para(level: int, mark: str, size: float) -> Para:
    """An outline paragraph of ``level`` whose first line starts with ``mark``: the marker hangs."""
    left = marker_x(level)
    if not mark:
        return Para(left=left, before=1.5)
    return Para(left=left, indent=-hang(mark, size), before=1.5 if level <= 0 else 0.5)


@dataclass
class Styles:
    """The ids of the shapes a document uses, minted on first use through ``doc.styles``."""

    doc: HwpxDocument
    _runs: dict[Run, str] = field(default_factory=dict)
    _paras: dict[Para, str] = field(default_factory=dict)
    _boxes: dict[Box, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.doc.styles.ensure_font(SERIF, subst_face=SERIF_SUBSTITUTE, subst_type="TTF")
        self.doc.styles.ensure_font(SANS, subst_face=SANS_SUBSTITUTE, subst_type="TTF")

    def run(self, shape: Run) -> str:
        found = self._runs.get(shape)
        if found is None:
            found = self.doc.styles.ensure_run(
                font=shape.font, size=shape.size, bold=shape.bold, italic=False, underline=False, color=shape.colour
            )
            self._runs[shape] = found
        return found

    def box(self, shape: Box) -> str:
        found = self._boxes.get(shape)
        if found is None:
            found = self.doc.styles.ensure_border_fill(
                border_color=shape.border,
                border_width=shape.width,
                fill_color=shape.fill,
                active_borders=list(shape.sides),
            )
            self._boxes[shape] = found
        return found

    def apply(self, paragraph: HwpxOxmlParagraph, shape: Para) -> None:
        """Give ``paragraph`` the paragraph shape ``shape`` (minted from it the first time)."""
        found = self._paras.get(shape)
        if found is not None:
            paragraph.para_pr_id_ref = found
            return
        self.doc.styles.apply_paragraph_format(
            paragraphs=[paragraph],
            alignment=shape.align,
            indent_left_mm=shape.left / HWPUNIT_PER_MM,
            first_line_indent_mm=shape.indent / HWPUNIT_PER_MM,
            spacing_before_pt=shape.before,
            spacing_after_pt=shape.after,
            line_spacing_percent=shape.line,
            keep_with_next=shape.keep_with_next,
        )
        found = paragraph.para_pr_id_ref
        assert found is not None
        self._paras[shape] = found
