"""Paragraphs and tables on an HWPX document: the building blocks the writer lays the report out with.

:class:`Canvas` wraps one ``HwpxDocument`` with its :class:`~.layout.Styles`.
Every paragraph gets an explicit character and paragraph shape (nothing is
inherited from the paragraph before, which is how a 한글 document drifts);
every table gets explicit column widths and row heights (the library's default
rows are about 1 mm high), a border fill per cell, and its merges last, so the
cells are filled while the grid is still plain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hwpx import HwpxDocument

from seri_desktop.formats.hwpx import layout as L
from seri_desktop.formats.hwpx.layout import Box, Para, Run, Styles
from seri_desktop.formats.text_format import drop_controls

if TYPE_CHECKING:
    from hwpx.oxml import HwpxOxmlParagraph, HwpxOxmlTable

_HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
_WIDE = re.compile(r"[^\x00-\x7f]")
# Beside the control characters: what XML cannot hold at all (lone surrogates, U+FFFE, U+FFFF).
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` as a document can hold it: control characters dropped, as the text export does.

    They carry nothing a reader could see, and lxml refuses them; a stored
    text with one (pasted from elsewhere) must not stop the export.
    """
    return _NOT_XML.sub("", drop_controls(text))


@dataclass
class CellSpec:
    """What one table cell shows and how."""

    text: str = ""
    run: Run = L.CELL
    align: str = "CENTER"
    box: Box = L.GRID_BOX
    lines: Sequence[tuple[str, Run]] = ()  # several paragraphs instead of ``text``


@dataclass
class TableSpec:
    """A table to lay out: cells row by row, widths, row heights, merges (row, col, last row, last col)."""

    cells: list[list[CellSpec]]
    widths: list[int]
    heights: list[int]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    header_rows: int = 0
    flows: bool = True  # may break across pages (else kept whole, as a character)
    indent: int = 0  # left margin of the paragraph holding the table
    field_names: dict[tuple[int, int], str] = field(default_factory=dict)


class Canvas:
    """A new HWPX document and the shapes it has minted."""

    def __init__(self) -> None:
        self.doc = HwpxDocument.new()
        self.st = Styles(self.doc)
        # The skeleton's only paragraph holds the section settings; the first text goes into it.
        self._first: HwpxOxmlParagraph | None = self.doc.paragraphs[0]

    # -- paragraphs

    def para(self, text: str, run: Run, shape: Para, *, page_break: bool = False) -> HwpxOxmlParagraph:
        """A paragraph of ``text`` in one run."""
        if self._first is not None:
            paragraph, self._first = self._first, None
            paragraph.text = xml_text(text)
        else:
            attrs: dict[str, Any] = {"pageBreak": "1"} if page_break else {}
            paragraph = self.doc.add_paragraph(xml_text(text), inherit_style=False, **attrs)
        paragraph.char_pr_id_ref = self.st.run(run)
        self.st.apply(paragraph, shape)
        return paragraph

    def blank(self, size: float = 6) -> HwpxOxmlParagraph:
        """An empty paragraph ``size`` points high (vertical space)."""
        return self.para("", L.Run(font=L.SANS, size=size), Para(line=100))

    # -- tables

    def table(self, spec: TableSpec, *, page_break: bool = False) -> HwpxOxmlTable:
        """Lay out ``spec`` as a table in a paragraph of its own."""
        if self._first is not None:
            # A table cannot share the paragraph that holds the section settings.
            self.blank(1)
        nrows, ncols = len(spec.cells), len(spec.widths)
        attrs: dict[str, Any] = {"pageBreak": "1"} if page_break else {}
        table = self.doc.add_table(
            nrows,
            ncols,
            width=sum(spec.widths),
            height=sum(spec.heights),
            border_fill_id_ref=self.st.box(L.NO_BOX),
            **attrs,
        )
        anchor = table.paragraph
        anchor.char_pr_id_ref = self.st.run(L.CELL)
        self.st.apply(anchor, Para(align="LEFT", left=spec.indent, line=100, before=2, after=2))
        margin = table.element.find(f"{_HP}inMargin")
        if margin is not None:
            for side, value in (("left", L.CELL_PAD_X), ("right", L.CELL_PAD_X)):
                margin.set(side, str(value))
            for side, value in (("top", L.CELL_PAD_Y), ("bottom", L.CELL_PAD_Y)):
                margin.set(side, str(value))
        if spec.header_rows:
            table.element.set("repeatHeader", "1")
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                cs = spec.cells[r][c]
                cell.set_size(width=spec.widths[c], height=spec.heights[r])
                cell.element.set("borderFillIDRef", self.st.box(cs.box))
                if r < spec.header_rows:
                    cell.element.set("header", "1")
                name = spec.field_names.get((r, c))
                if name:
                    cell.field_name = name
                self._fill(cell, cs)
        for r1, c1, r2, c2 in spec.merges:
            table.merge_cells(r1, c1, r2, c2)
        if spec.flows:
            table.set_treat_as_char(False)
        return table

    def _fill(self, cell: object, cs: CellSpec) -> None:
        lines = list(cs.lines) or [(cs.text, cs.run)]
        first_text, _ = lines[0]
        cell.text = xml_text(first_text)  # type: ignore[attr-defined]
        for text, _run in lines[1:]:
            cell.add_paragraph(xml_text(text))  # type: ignore[attr-defined]
        shape = Para(align=cs.align, line=130)
        for paragraph, (_text, run) in zip(cell.paragraphs, lines, strict=True):  # type: ignore[attr-defined]
            paragraph.char_pr_id_ref = self.st.run(run)
            self.st.apply(paragraph, shape)


def text_width(text: str) -> float:
    """A rough width of ``text`` in ems: wide (Hangul) characters one, narrow ones about half."""
    wide = len(_WIDE.findall(text))
    return wide + 0.55 * (len(text) - wide)


def content_widths(
    rows: Sequence[Sequence[str]], total: int, skip: frozenset[tuple[int, int]] = frozenset()
) -> list[int]:
    """Column widths sharing ``total`` by content, cells in ``skip`` not counting.

    Each column first gets its longest word (an amount such as ``28,967,793``
    must never be broken inside), the rest of ``total`` then goes to the
    columns in proportion to how much wider their longest cell (within
    bounds) is than that word. Only when even the words do not fit are they
    shared in proportion.
    """
    ncols = max(len(r) for r in rows)
    want = [2.0] * ncols
    word = [1.0] * ncols
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) not in skip:
                want[c] = max(want[c], min(text_width(text), 24.0))
                word[c] = max([word[c], *(text_width(w) for w in text.split())])
    em = L.CELL.size * L.HWPUNIT_PER_PT
    # The cell's padding, and some room: the widths are estimates (a digit is 0.55 to 0.61 em) and 한글
    # breaks a line that only just fits.
    floor = [int(min(w, want[c]) * em * 1.15) + 2 * L.CELL_PAD_X for c, w in enumerate(word)]
    spare = total - sum(floor)
    extra = [max(w * em - f, 0.0) for w, f in zip(want, floor, strict=True)]
    if spare <= 0 or not sum(extra):
        scale = total / sum(floor)
        widths = [int(f * scale) for f in floor]
    else:
        widths = [int(f + spare * e / sum(extra)) for f, e in zip(floor, extra, strict=True)]
    widths[-1] += total - sum(widths)
    return widths
