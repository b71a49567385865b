"""The few flowables platypus lacks: page anchors, forward page references, bottom placement.

Page numbers in the table of contents and in the budget summary point
forward, to pages not laid out yet. Instead of laying the document out
twice, a reference draws a PDF form XObject by name, and the forms are
defined once every page is known, just before the file is saved (PDF lets a
page use a form defined later in the file). The numbers are ordinary text
in the file, so they print, copy and extract like any other text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFObjectReference, PDFResourceDictionary
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable


@dataclass
class PageLog:
    """Where anchors landed and which page references were drawn, for one document."""

    pages: dict[str, int] = field(default_factory=dict)
    forms: dict[tuple[str, str, str, float], str] = field(default_factory=dict)
    last_title: str = ""  # the latest bookmarked heading: where a layout failure happened

    def record(self, canv: Canvas, key: str, title: str | None, level: int) -> None:
        """Note the current page for ``key`` and add a PDF bookmark when ``title`` is given."""
        if key in self.pages:
            return
        self.pages[key] = canv.getPageNumber()
        if title is not None:
            self.last_title = title
            canv.bookmarkPage(key)
            canv.addOutlineEntry(title, key, level=level, closed=level >= 1)

    def form_name(self, key: str, align: str, font: str, size: float) -> str:
        spec = (key, align, font, size)
        name = self.forms.get(spec)
        if name is None:
            name = self.forms[spec] = f"pg{len(self.forms)}"
        return name

    def define_forms(self, canv: Canvas, color: Any) -> None:
        """Define every referenced form with its key's page ("-" if the key never landed)."""
        for (key, align, font, size), name in self.forms.items():
            text = str(self.pages[key]) if key in self.pages else "-"
            width = stringWidth(text, font, size)
            # The bounding box must hold the text on whichever side of the origin it sits.
            canv.beginForm(name, lowerx=-width - 2, lowery=-size, upperx=width + 2, uppery=2 * size)
            canv.setFont(font, size)
            canv.setFillColor(color)
            if align == "right":
                canv.drawRightString(0, 0, text)
            elif align == "center":
                canv.drawCentredString(0, 0, text)
            else:
                canv.drawString(0, 0, text)
            canv.endForm(Resources=_form_resources(canv, font, text))


def _form_resources(canv: Canvas, font: str, text: str) -> PDFResourceDictionary:
    """Resources naming only the font subset(s) ``text`` uses.

    By default a reportlab form lists every font of the document (twenty
    subsets of the Korean faces), and readers that extract text parse the
    character maps of all of them for every page number drawn.
    """
    ttf = pdfmetrics.getFont(font)
    doc = canv._doc
    names = {ttf.getSubsetInternalName(subset, doc)[1:] for subset, _ in ttf.splitString(text, doc)}
    return PDFResourceDictionary(Font={name: PDFObjectReference(name) for name in names})


class Anchor(Flowable):  # type: ignore[misc]
    """Zero-size mark placed right before a heading: records the heading's page, adds a bookmark.

    It keeps with the next flowable, so it always lands on the heading's page.
    """

    keepWithNext = 1

    def __init__(self, log: PageLog, key: str, title: str | None = None, level: int = 0) -> None:
        super().__init__()
        self._log = log
        self._key = key
        self._title = title
        self._level = level

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        self._log.record(self.canv, self._key, self._title, self._level)


class PageRef(Flowable):  # type: ignore[misc]
    """The page number of an anchor, known only when the document is saved."""

    def __init__(self, log: PageLog, key: str, font: str, size: float, height: float, *, align: str = "right") -> None:
        super().__init__()
        self._log = log
        self._key = key
        self._font = font
        self._size = size
        self._height = height
        self._align = align
        self._width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        return availWidth, self._height

    def draw(self) -> None:
        canv = self.canv
        x = {"right": self._width, "center": self._width / 2}.get(self._align, 0.0)
        canv.saveState()
        # The baseline a one-line paragraph of this height has: height minus font size.
        canv.translate(x, self._height - self._size)
        canv.doForm(self._log.form_name(self._key, self._align, self._font, self._size))
        canv.restoreState()


class Milestone(Flowable):  # type: ignore[misc]
    """Zero-size marker: the document counts one unit of progress when it is placed."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        pass


class AtBottom(Flowable):  # type: ignore[misc]
    """Flowables set on the bottom edge of the frame (the author block of a chapter page)."""

    def __init__(self, content: Sequence[Flowable]) -> None:
        super().__init__()
        self._content = list(content)
        self._heights: list[float] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._heights = [f.wrap(availWidth, availHeight)[1] for f in self._content]
        # Take the rest of the frame so the content can sit on its bottom edge.
        return availWidth, max(sum(self._heights), availHeight - 1)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Taller than the space left: the content flows on like any other, split where it must."""
        out: list[Flowable] = []
        room = availHeight
        for n, flowable in enumerate(self._content):
            height = flowable.wrap(availWidth, room)[1]
            if height <= room:
                out.append(flowable)
                room -= height
                continue
            parts: list[Flowable] = flowable.split(availWidth, room)
            if parts:
                return out + parts + self._content[n + 1 :]
            # This piece cannot start here: what fits stays, the rest begins the next page.
            return out + self._content[n:] if out else []
        return out

    def draw(self) -> None:
        y = sum(self._heights)
        for flowable, height in zip(self._content, self._heights, strict=True):
            y -= height
            flowable.drawOn(self.canv, 0, y)
