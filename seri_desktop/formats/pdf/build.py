"""Writing the PDF file: fonts, story, layout, and an atomic replace of the target.

The file is written through :func:`seri_desktop.formats.files.write_atomically`:
a cancelled or failed build leaves the target as it was (absent, or the
previous file).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.platypus.doctemplate import LayoutError

from seri_desktop.domain.model import Chapter, Report
from seri_desktop.fonts import KoreanFonts
from seri_desktop.formats.files import check_target, write_atomically
from seri_desktop.formats.pdf import parallel
from seri_desktop.formats.pdf.document import CancelFn, Progress, ProgressFn
from seri_desktop.formats.pdf.errors import PdfLayoutError, PdfWriteError, UnknownDepartmentError
from seri_desktop.formats.pdf.flowables import LazyStory, PageLog
from seri_desktop.formats.pdf.story import Story, StoryBuilder
from seri_desktop.formats.pdf.styles import styles_for
from seri_desktop.formats.pdf.typefaces import Typefaces, load_typefaces

logger = logging.getLogger(__name__)

WHAT = "PDF"  # the kind of file, in the messages of seri_desktop.formats.files


@dataclass(frozen=True)
class PdfResult:
    """What was written: the file, its page count, and where each program starts."""

    path: Path
    pages: int
    program_pages: dict[str, int]  # program code → page (as printed in the footer) where it starts
    processes: int = 1  # how many processes laid it out (see :mod:`.parallel`)


def build_report_pdf(
    report: Report,
    path: Path | str,
    *,
    fonts: KoreanFonts | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    workers: int | None = None,
) -> PdfResult:
    """Write the whole report: cover, contents, I, II and III.

    ``progress(done, total)`` is called as parts are laid out; when
    ``cancel()`` returns true the build stops with :class:`PdfCancelled` and
    no file is left at ``path``. ``workers``: 1 lays the report out in this
    process, 2 in two (see :mod:`.parallel`), ``None`` chooses. Raises
    :class:`PdfError` subclasses, each with a Korean message.
    """
    return _build(
        report,
        Path(path),
        fonts,
        progress,
        cancel,
        lambda b: b.whole_report(),
        cover=True,
        subject=f"{report.year}년 {report.title}",
        workers=workers,
    )


def build_department_pdf(
    report: Report,
    department_name: str,
    path: Path | str,
    *,
    fonts: KoreanFonts | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    workers: int | None = None,
) -> PdfResult:
    """Write one department's section: its II, its chapter title pages, its programs.

    Raises :class:`UnknownDepartmentError` (a ``ValueError``) when the report
    has no such department; otherwise as :func:`build_report_pdf`.
    """
    dept = report.department(department_name)
    chapters: list[Chapter] = [c for c in report.chapters if c.department == department_name]
    if dept is None and not chapters:
        known = list(dict.fromkeys([d.name for d in report.departments] + [c.department for c in report.chapters]))
        listed = ", ".join(known) if known else "없음"
        raise UnknownDepartmentError(
            f"{report.year}년 보고서에 '{department_name}' 부서가 없습니다. 있는 부서: {listed}"
        )
    return _build(
        report,
        Path(path),
        fonts,
        progress,
        cancel,
        lambda b: b.department(department_name, dept, chapters),
        cover=False,
        subject=f"{report.year}년 {report.title} - {department_name}",
        workers=workers,
    )


def _build(
    report: Report,
    path: Path,
    fonts: KoreanFonts | None,
    progress_fn: ProgressFn | None,
    cancel: CancelFn | None,
    make_story: Callable[[StoryBuilder], Story],
    *,
    cover: bool,
    subject: str,
    workers: int | None,
) -> PdfResult:
    progress = Progress(0, progress_fn, cancel)
    progress.check()
    check_target(path, WHAT, PdfWriteError)  # before the layout, which takes seconds
    faces = load_typefaces(fonts)
    st = styles_for(faces)
    first_log = PageLog()
    first_story = make_story(StoryBuilder(report, st, first_log))
    progress.total = first_story.units + 1  # + writing the file
    progress.start()
    meta = parallel.Meta(title=f"{report.year} {report.title}", author=report.institute, subject=subject)

    def write(tmp: Path) -> tuple[int, int, Story, PageLog]:
        log, story = first_log, first_story
        try:
            split = parallel.plan(story, workers)
            page_count: int | None = None
            processes = 1
            if split is not None:
                try:
                    page_count = parallel.build(
                        story, split, tmp, faces, log, progress, meta, report if cover else None
                    )
                    processes = 2
                except parallel.WorkerFailed as exc:
                    logger.warning("parallel PDF layout failed, laying out in one process: %s", exc)
                    log = PageLog()
                    story = make_story(StoryBuilder(report, st, log))
            if page_count is None:
                page_count = _build_serial(story, tmp, faces, log, progress, meta, report if cover else None)
        except LayoutError as exc:
            where = f"'{log.last_title}' 부분에" if log.last_title else "보고서에"
            raise PdfLayoutError(
                f"{where} 한 쪽에 들어가지 않는 내용이 있어 PDF를 만들 수 없습니다. 해당 내용을 나누거나 줄여 주십시오."
            ) from exc
        progress.check()  # a cancellation now leaves no file
        return page_count, processes, story, log

    page_count, processes, story, log = write_atomically(path, write, WHAT, error=PdfWriteError)
    progress.done = progress.total - 1
    progress.step()
    pages = {code: page for code, key in story.program_keys.items() if (page := log.page_of(key)) is not None}
    return PdfResult(path=path, pages=page_count, program_pages=pages, processes=processes)


def _build_serial(
    story: Story,
    tmp: Path,
    faces: Typefaces,
    log: PageLog,
    progress: Progress,
    meta: parallel.Meta,
    cover: Report | None,
) -> int:
    doc = meta.document(tmp, faces, log, progress, cover)
    doc.build_story(LazyStory(story.flowables()))
    return int(doc.page_count)
