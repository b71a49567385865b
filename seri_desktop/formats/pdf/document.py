"""The document template: A4 pages, the cover, the footer, progress and cancelling.

A page number ``- 12 -`` is drawn at the end of every page but the cover, so
it comes last in the page's text. The canvas defines the page-number forms
(see :mod:`.flowables`) right before it writes the file.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from seri_desktop.domain.model import Report
from seri_desktop.formats.pdf import styles as S
from seri_desktop.formats.pdf.errors import PdfCancelled
from seri_desktop.formats.pdf.flowables import Milestone, PageLog, footer_text
from seri_desktop.formats.pdf.typefaces import Typefaces

# Streams are zlib-compressed either way; ASCII85 on top only makes the file a quarter
# larger and costs a fifth of the build time (pure-Python encoder). reportlab is used
# for nothing else in this process, so the global switch is ours to set.
rl_config.useA85 = 0

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

COVER_TEMPLATE = "cover"
FOOTER_SIZE = 9
BODY_TEMPLATE = "body"


class Progress:
    """Counts units of work, reports them and raises :class:`PdfCancelled` when asked to stop."""

    def __init__(self, total: int, progress: ProgressFn | None, cancel: CancelFn | None) -> None:
        self.total = total
        self.done = 0
        self._progress = progress
        self._cancel = cancel

    def check(self) -> None:
        if self._cancel is not None and self._cancel():
            raise PdfCancelled()

    def step(self, units: int = 1) -> None:
        self.done = min(self.total, self.done + units)
        if self._progress is not None:
            self._progress(self.done, self.total)

    def start(self) -> None:
        if self._progress is not None:
            self._progress(0, self.total)


_ATOMIC = (int, float, str, bool, type(None))


class BodyFrame(Frame):  # type: ignore[misc]
    """reportlab's frame, copied cheaply: platypus deep-copies the frame for every heading kept with what follows.

    ``KeepTogether`` measures its content in a copy of the frame (reportlab's
    ``_listWrapOn``). A frame's state is numbers, strings and a list of
    backgrounds, but ``copy.deepcopy`` walks it value by value through its
    generic machinery: 3 % of a whole report's layout. This copy is the same
    copy: atomic values shared, anything else deep-copied.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> BodyFrame:
        new = type(self).__new__(type(self))
        memo[id(self)] = new
        new.__dict__.update({k: v if type(v) in _ATOMIC else copy.deepcopy(v, memo) for k, v in self.__dict__.items()})
        return new


class ReportDocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """A4 portrait with one body frame; a cover template when ``cover`` is given."""

    def __init__(
        self,
        filename: str,
        *,
        faces: Typefaces,
        log: PageLog,
        progress: Progress,
        cover: Report | None,
        title: str,
        author: str,
        subject: str,
    ) -> None:
        super().__init__(
            filename,
            pagesize=(S.PAGE_WIDTH, S.PAGE_HEIGHT),
            leftMargin=S.MARGIN_LEFT,
            rightMargin=S.MARGIN_RIGHT,
            topMargin=S.MARGIN_TOP,
            bottomMargin=S.MARGIN_BOTTOM,
            title=title,
            author=author,
            subject=subject,
            creator="seri-desktop",
            initialFontName=faces.sans,
            lang="ko-KR",
        )
        self.faces = faces
        self.log = log
        self.progress = progress
        self.cover = cover
        self.page_count = 0
        frame = BodyFrame(
            S.MARGIN_LEFT,
            S.MARGIN_BOTTOM,
            S.BODY_WIDTH,
            S.BODY_HEIGHT,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        templates = [PageTemplate(BODY_TEMPLATE, [frame], onPageEnd=self._end_page)]
        if cover is not None:
            templates.insert(0, PageTemplate(COVER_TEMPLATE, [frame], onPage=self._draw_cover, onPageEnd=self._count))
        self.addPageTemplates(templates)

    def afterFlowable(self, flowable: Any) -> None:
        self.progress.check()
        if isinstance(flowable, Milestone):
            self.progress.step()

    def build_story(self, story: Any, before_save: Callable[[], object] | None = None) -> None:
        """Lay out ``story`` (a list or a :class:`~.flowables.LazyStory`) and write the file.

        Page references are resolved just before the file is written, after
        ``before_save()`` (a parallel build learns the other parts' pages there).
        """
        log, color = self.log, S.INK
        progress = self.progress

        def hook(canv: Canvas) -> None:
            progress.check()
            if before_save is not None:
                before_save()
            log.define_forms(canv, color)

        def canvasmaker(*args: Any, **kw: Any) -> Canvas:
            return _SavingCanvas(*args, before_save=hook, **kw)

        self.build(story, canvasmaker=canvasmaker)

    def _count(self, canv: Canvas, doc: Any) -> None:
        self.page_count = canv.getPageNumber()

    def _end_page(self, canv: Canvas, doc: Any) -> None:
        self._count(canv, doc)
        canv.saveState()
        page = canv.getPageNumber()
        if not self.log.numbers_later:
            canv.setFont(self.faces.sans, FOOTER_SIZE)
            canv.setFillColor(S.INK)
            canv.drawCentredString(S.PAGE_WIDTH / 2, S.FOOTER_BASELINE, footer_text(page))
        else:
            # One part of a parallel build: the number is known when the parts before it are laid out.
            canv.translate(S.PAGE_WIDTH / 2, S.FOOTER_BASELINE)
            canv.doForm(self.log.form_name(str(page), "center", self.faces.sans, FOOTER_SIZE, kind="footer"))
        canv.restoreState()

    def _draw_cover(self, canv: Canvas, doc: Any) -> None:
        report = self.cover
        if report is not None:
            draw_cover(canv, report, self.faces)


class _SavingCanvas(Canvas):  # type: ignore[misc]
    """A canvas that runs a hook after the last page and before writing the file."""

    def __init__(self, *args: Any, before_save: Callable[[Canvas], object], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._before_save = before_save

    def save(self) -> None:
        self._before_save(self)
        super().save()


def draw_cover(canv: Canvas, report: Report, faces: Typefaces) -> None:
    """The cover: meeting and committee, slogan, title, date, institute."""
    w, h = S.PAGE_WIDTH, S.PAGE_HEIGHT
    mid = w / 2
    canv.saveState()
    canv.setFillColor(S.ACCENT)
    canv.rect(0, h - 14, w, 14, stroke=0, fill=1)
    canv.rect(0, 0, w, 8, stroke=0, fill=1)
    canv.setFillColor(S.INK)
    y = h - 150
    if report.meeting:
        canv.setFont(faces.sans, 15)
        canv.drawCentredString(mid, y, report.meeting)
        y -= 24
    if report.committee:
        canv.setFont(faces.sans_bold, 16)
        canv.drawCentredString(mid, y, report.committee)
    lines = [x.strip() for x in report.subtitle.split("\n") if x.strip()]
    y = h / 2 + 135
    canv.setFont(faces.serif, 17)
    canv.setFillColor(S.MUTED)
    for line in lines:
        canv.drawCentredString(mid, y, line)
        y -= 26
    canv.setFillColor(S.ACCENT)
    canv.setStrokeColor(S.ACCENT)
    title_y = h / 2 + 10
    canv.setLineWidth(2.2)
    canv.line(mid - 170, title_y + 52, mid + 170, title_y + 52)
    canv.setLineWidth(0.8)
    canv.line(mid - 170, title_y - 26, mid + 170, title_y - 26)
    canv.setFont(faces.sans_bold, 40)
    canv.drawCentredString(mid, title_y, report.title)
    canv.setFillColor(S.INK)
    if report.date_label:
        canv.setFont(faces.sans, 17)
        canv.drawCentredString(mid, h / 2 - 110, report.date_label)
    if report.institute:
        canv.setFont(faces.sans_bold, 19)
        canv.drawCentredString(mid, 110, report.institute)
    canv.restoreState()
