"""The few flowables platypus lacks: page anchors, forward page references, bottom placement,
indenting a block, a chapter's title page, guarding a part's last page, and a story made as it is used.

Page numbers in the table of contents and in the budget summary point
forward, to pages not laid out yet. Instead of laying the document out
twice, a reference draws a PDF form XObject by name, and the forms are
defined once every page is known, just before the file is saved (PDF lets a
page use a form defined later in the file). The numbers are ordinary text
in the file, so they print, copy and extract like any other text.
"""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFObjectReference, PDFResourceDictionary
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table
from reportlab.platypus.doctemplate import FrameBreak
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser


@dataclass
class PageLog:
    """Where anchors landed and which page numbers were drawn as forms, for one document.

    In a document that is one part of a parallel build (:mod:`.parallel`) the
    page numbers are not known while the pages are laid out: ``offset`` (the
    pages before this part) and ``resolved`` (every anchor's page in the
    joined file) are set just before the file is saved, the footers are forms
    too, and the bookmarks are only noted in ``marks`` (the join writes them).
    """

    pages: dict[str, int] = field(default_factory=dict)
    forms: dict[tuple[str, str, str, str, float], str] = field(default_factory=dict)
    marks: list[tuple[str, int, int]] = field(default_factory=list)  # (title, level, page) of each bookmark
    last_title: str = ""  # the latest bookmarked heading: where a layout failure happened
    outline: bool = True  # add bookmarks to this document's own outline
    numbers_later: bool = False  # footers as forms: the pages before this part are not known yet
    offset: int = 0
    resolved: dict[str, int] | None = None

    def record(self, canv: Canvas, key: str, title: str | None, level: int) -> None:
        """Note the current page for ``key`` and add a PDF bookmark when ``title`` is given."""
        if key in self.pages:
            return
        page = self.pages[key] = canv.getPageNumber()
        if title is not None:
            self.last_title = title
            self.marks.append((title, level, page))
            if self.outline:
                canv.bookmarkPage(key)
                canv.addOutlineEntry(title, key, level=level, closed=level >= 1)

    def form_name(self, key: str, align: str, font: str, size: float, kind: str = "ref") -> str:
        spec = (kind, key, align, font, size)
        name = self.forms.get(spec)
        if name is None:
            name = self.forms[spec] = f"pg{len(self.forms)}"
        return name

    def page_of(self, key: str) -> int | None:
        """The page ``key`` landed on, in the joined file when this is one part of it."""
        if self.resolved is not None:
            return self.resolved.get(key)
        return self.pages.get(key)

    def define_forms(self, canv: Canvas, color: Any) -> None:
        """Define every form drawn: a reference with its key's page ("-" if it never landed), a footer."""
        for (kind, key, align, font, size), name in self.forms.items():
            if kind == "footer":
                text = footer_text(self.offset + int(key))
            else:
                page = self.page_of(key)
                text = "-" if page is None else str(page)
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


def footer_text(page: int) -> str:
    """The page number as the footer prints it."""
    return f"- {page} -"


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


# Per style, the fragment reportlab's parser makes for a plain run of text (see Para).
_PLAIN_FRAGS: dict[int, tuple[ParagraphStyle, Any]] = {}


def _plain_frags(text: str, style: ParagraphStyle) -> list[Any] | None:
    """What reportlab's markup parser makes of ``text`` (already cleaned) when it holds no markup, else ``None``.

    Text without ``<`` or ``&`` parses to one fragment: a copy of the style's
    opening fragment with the text in it, every time the same but for the
    text. So the parser runs once per style, on a stand-in, and each
    paragraph gets a copy (tests/pdf/test_typesetting.py compares the two on
    every line of the 2024 report).
    """
    if not text or "<" in text or "&" in text or style.textTransform:
        return None
    known = _PLAIN_FRAGS.get(id(style))
    if known is None or known[0] is not style:
        _, frags, _ = ParaParser().parse("x", style)
        if not frags or len(frags) != 1:
            return None
        # The style is kept with its fragment, so its id cannot be reused while the entry lives.
        known = _PLAIN_FRAGS[id(style)] = (style, frags[0])
    frag = copy.copy(known[1])
    frag.text = text
    return [frag]


class Para(Paragraph):  # type: ignore[misc]
    """A paragraph that parses plain text cheaply and remembers how it wrapped at a width.

    reportlab parses every paragraph's text as markup (an HTML parser in pure
    Python, a tenth of the layout); most of the report's paragraphs have no
    markup at all, and get their fragment from :func:`_plain_frags`.

    Line breaking depends only on the width, and platypus asks again and
    again (a table measures its cells, a split measures, a guard looks ahead),
    so the second time costs a dictionary look-up.
    """

    def __init__(self, text: str, style: ParagraphStyle, bulletText: str | None = None, **kw: Any) -> None:
        if kw.get("frags") is None and style is not None:
            cleaned = cleanBlockQuotedText(text)
            frags = _plain_frags(cleaned, style)
            if frags is not None:
                kw["frags"] = frags
                text = cleaned  # what the parser's path keeps as .text
        super().__init__(text, style, bulletText, **kw)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memo: dict[float, tuple[Any, ...]] | None = self.__dict__.get("_wrap_memo")
        if memo is None:
            memo = self.__dict__["_wrap_memo"] = {}
        done = memo.get(availWidth)
        if done is not None:
            self.width, self.height, self.blPara, self._wrapWidths = done
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        memo[availWidth] = (self.width, self.height, self.blPara, self._wrapWidths)
        return width, height


class Grid(Table):  # type: ignore[misc]
    """A table that remembers its layout at a width, as :class:`Para` does.

    reportlab's ``Table.wrap`` measures every cell again on every call, and a
    table is asked several times at the same width (a guard measuring what is
    left, the frame, a split). The answer is kept only when the whole table
    was measured: with ``longTableOptimize`` a wrap in little room stops
    measuring rows once they overflow, and a split measures for its own
    height, so a split forgets it.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.__dict__.get("_grid_width") == availWidth:
            self.availWidth = availWidth
            return self._width, self._height
        self.__dict__.pop("_grid_width", None)
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        if self._hmax == self._nrows:
            self._grid_width = availWidth
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.__dict__.pop("_grid_width", None)
        parts: list[Flowable] = super().split(availWidth, availHeight)
        return parts


class Line(Flowable):  # type: ignore[misc]
    """One line of plain text in one face: a table cell that needs no wrapping, at a fraction of a paragraph's cost."""

    def __init__(self, text: str, font: str, size: float, leading: float, align: str = "left", color: Any = None):
        super().__init__()
        self.text = text
        self._font = font
        self._size = size
        self._leading = leading
        self._align = align
        self._color = color
        self._width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        return availWidth, self._leading

    def draw(self) -> None:
        canv = self.canv
        canv.setFont(self._font, self._size)
        if self._color is not None:
            canv.setFillColor(self._color)
        y = self._leading - self._size  # the baseline a one-line paragraph of this leading has
        if self._align == "right":
            canv.drawRightString(self._width, y, self.text)
        elif self._align == "center":
            canv.drawCentredString(self._width / 2, y, self.text)
        else:
            canv.drawString(0, y, self.text)


class Indented(Flowable):  # type: ignore[misc]
    """A flowable set ``left`` points in from the frame's left edge; it splits as its content does.

    Unlike an Indenter pair this is one flowable, so a guard that measures
    what follows sees the width the content really gets.
    """

    def __init__(self, content: Flowable, left: float) -> None:
        super().__init__()
        self._content = content
        self._left = left
        self.spaceBefore = content.getSpaceBefore()
        self.spaceAfter = content.getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width, height = self._content.wrapOn(self.canv, availWidth - self._left, availHeight)
        return width + self._left, height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self._content.splitOn(self.canv, availWidth - self._left, availHeight)
        return [Indented(p, self._left) for p in parts]

    def draw(self) -> None:
        self._content.drawOn(self.canv, self._left, 0)


class KeepRoom(Flowable):  # type: ignore[misc]
    """Start a new page unless ``height`` points are left: a heading with the first rows of its table.

    Unlike reportlab's CondPageBreak it has no side effect when measured:
    it simply does not fit where there is too little room.
    """

    def __init__(self, height: float) -> None:
        super().__init__()
        self.height = height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0.0, 0.0) if availHeight >= self.height else (0.0, self.height)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        pass


def measure(flowable: Flowable, width: float, canv: Any, *, at_top: bool) -> float:
    """Height ``flowable`` takes in a frame ``width`` wide: space before (unless at the top), itself, space after."""
    height = float(flowable.wrapOn(canv, width, 0x7FFFFFF)[1])
    before = 0.0 if at_top else float(flowable.getSpaceBefore())
    return before + height + float(flowable.getSpaceAfter())


class TailGuard(Flowable):  # type: ignore[misc]
    """Content whose last page holds at least ``min_height`` points: no page with a program's last two lines.

    Like KeepTogether it never draws itself: asked to fit, it always splits,
    into what goes on this page, a frame break, and a guard for the rest. On
    the page before the content ends it looks at what would be left for the
    last page; if that is less than ``min_height``, it ends this page early,
    by just enough (splitting a paragraph or a table where it must), so the
    last page holds more. A page is never ended early by more than that.

    Nothing before a guard may be kept with it (``keepWithNext``): platypus
    would wrap both in a KeepTogether, which moves anything that will not
    fit (and a guard never "fits") to the next page. Put such headings inside.
    """

    def __init__(self, content: Sequence[Flowable], min_height: float, frame_height: float) -> None:
        super().__init__()
        self._content = list(content)
        self._min = min_height
        self._frame_height = frame_height

    def getKeepWithNext(self) -> bool:
        return False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, 0xFFFFFF  # always split, as KeepTogether does

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        content = self._content
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", False))
        total = 0.0
        horizon = availHeight + self._frame_height  # enough to know whether the content ends on the next page
        ends_next = True
        for n, f in enumerate(content):
            total += measure(f, availWidth, self.canv, at_top=at_top and n == 0)
            if total > horizon:
                ends_next = False
                break
        if total <= availHeight:
            return content
        room = availHeight
        spill = total - availHeight
        if ends_next and spill < self._min:
            room = max(availHeight - (self._min - spill), 0.0)
        head, rest = self._cut(availWidth, room, at_top)
        if not head:
            # Nothing fits above the cut: at the top of a page let platypus place what it can.
            return content if at_top else [FrameBreak(), TailGuard(rest, self._min, self._frame_height)]
        return [*head, FrameBreak(), TailGuard(rest, self._min, self._frame_height)]

    def _cut(self, width: float, room: float, at_top: bool) -> tuple[list[Flowable], list[Flowable]]:
        """What fits in ``room`` (whole flowables, then the first part of one that splits) and the rest."""
        content = self._content
        used = 0.0
        head: list[Flowable] = []
        rest: list[Flowable] = []
        for n, f in enumerate(content):
            top = at_top and n == 0
            before = 0.0 if top else float(f.getSpaceBefore())
            left = room - used - before
            height = float(f.wrapOn(self.canv, width, max(left, 0.0))[1])
            after = float(f.getSpaceAfter())
            if height <= left:
                head.append(f)
                used += before + height + after
                continue
            parts = f.splitOn(self.canv, width, left) if left > 0 else []
            if len(parts) > 1:
                head.append(parts[0])
                rest = [*parts[1:], *content[n + 1 :]]
            else:
                rest = content[n:]
            break
        # A heading (or an anchor) never ends a page: it goes with what it introduces.
        while head and head[-1].getKeepWithNext():
            rest.insert(0, head.pop())
        return head, rest

    def draw(self) -> None:
        pass


class TitlePage(Flowable):  # type: ignore[misc]
    """A page of its own: ``top`` content a share of the way down the free space, ``bottom`` on the bottom edge.

    A chapter's title page: the numbered title and its programs in the upper
    third, the author blocks at the foot. Content too tall for one page flows
    on like any other.
    """

    def __init__(self, top: Sequence[Flowable], bottom: Sequence[Flowable], *, share: float = 0.3) -> None:
        super().__init__()
        self._top = list(top)
        self._bottom = list(bottom)
        self._share = share
        self._top_heights: list[float] = []
        self._bottom_heights: list[float] = []
        self._page_height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._top_heights = [f.wrapOn(self.canv, availWidth, availHeight)[1] for f in self._top]
        self._bottom_heights = [f.wrapOn(self.canv, availWidth, availHeight)[1] for f in self._bottom]
        used = sum(self._top_heights) + sum(self._bottom_heights)
        # Take the rest of the frame so the bottom content can sit on its edge.
        self._page_height = max(used, availHeight - 1)
        return availWidth, self._page_height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return [*self._top, *self._bottom]

    def draw(self) -> None:
        free = self._page_height - sum(self._top_heights) - sum(self._bottom_heights)
        y = self._page_height - free * self._share
        for flowable, height in zip(self._top, self._top_heights, strict=True):
            y -= height
            flowable.drawOn(self.canv, 0, y)
        y = sum(self._bottom_heights)
        for flowable, height in zip(self._bottom, self._bottom_heights, strict=True):
            y -= height
            flowable.drawOn(self.canv, 0, y)


class LazyStory:
    """The story platypus lays out, made one part at a time as the layout reaches it.

    ``BaseDocTemplate.build`` takes a list and consumes it from the front
    (``del story[0]``, ``story[0:0] = parts``); a whole report's list held
    every paragraph of a thousand programs at once, and each ``del story[0]``
    moved all of them. This holds only the parts being laid out, on a deque,
    and asks ``parts`` for the next one when the layout gets near the end of
    what it holds. ``len()`` is what is held plus one while more is to come,
    which is all platypus needs to know (whether to go on, how far to look
    ahead for headings kept with the next flowable).
    """

    def __init__(self, parts: Iterable[Sequence[Flowable]]) -> None:
        self._parts: Iterator[Sequence[Flowable]] = iter(parts)
        self._items: deque[Flowable] = deque()
        self._more = True
        self._fill(1)

    def _fill(self, count: int) -> None:
        while self._more and len(self._items) < count:
            try:
                self._items.extend(next(self._parts))
            except StopIteration:
                self._more = False

    def __len__(self) -> int:
        self._fill(2)
        return len(self._items) + (1 if self._more else 0)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            stop = index.stop if index.stop is not None else len(self)
            self._fill(stop + 1)
            return list(self._items)[index]
        self._fill(index + 1)
        return self._items[index]

    def __delitem__(self, index: int | slice) -> None:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self._items))
            if start != 0 or step != 1:
                raise IndexError("only the front of a story can be removed")
            for _ in range(stop):
                self._items.popleft()
            return
        if index != 0:
            raise IndexError("only the front of a story can be removed")
        self._items.popleft()

    def __setitem__(self, index: slice, values: Iterable[Flowable]) -> None:
        if not isinstance(index, slice) or index.start not in (0, None) or index.stop != 0:
            raise IndexError("only the front of a story can be inserted into")
        self._items.extendleft(reversed(list(values)))

    def insert(self, index: int, value: Flowable) -> None:
        if index != 0:
            raise IndexError("only the front of a story can be inserted into")
        self._items.appendleft(value)

    def pop(self, index: int = 0) -> Flowable:
        if index != 0:
            raise IndexError("only the front of a story can be removed")
        self._fill(1)
        return self._items.popleft()
