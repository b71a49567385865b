"""Writing the HWPX file: lay the report out, number its pages, set the page and the properties, check, save.

The document is checked with the library's own validator (``doc.validate()``,
the schemas of the header and section parts) and its package validator (the
ZIP, the container, the manifest) before anything is written; a document
either reports issues for is refused with :class:`HwpxInvalidError`. Warnings
of the package validator are not issues: the one the library's blank
document carries (no manifest entry for ``version.xml``) is how 한글 writes
its own files.

The file is written through :func:`seri_desktop.formats.files.write_bytes_atomically`
(the umask's permissions, where the library's own saver makes files 0600;
moved over the target only when complete), so a cancelled or failed export
leaves the target as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hwpx import HwpxDocument, validate_package
from hwpx.errors import HwpxError as LibraryError
from hwpx.experimental import estimate_pages

from seri_desktop.domain.model import Program, Report
from seri_desktop.formats.file_names import HWPX
from seri_desktop.formats.files import check_target, write_bytes_atomically
from seri_desktop.formats.hwpx import layout as L
from seri_desktop.formats.hwpx.blocks import xml_text
from seri_desktop.formats.hwpx.errors import HwpxInvalidError, HwpxScopeError, HwpxWriteError
from seri_desktop.formats.hwpx.properties import Identity, identity_keyword
from seri_desktop.formats.hwpx.writer import (
    CancelFn,
    Progress,
    ProgressFn,
    ReportWriter,
    creation_time,
    department_chapters,
)

SUFFIX = HWPX.suffix
WHAT = "한글"  # the kind of file, in the messages of seri_desktop.formats.files
# What finishing a document costs beside laying it out, in layout units, so that a progress bar moves
# evenly (the whole 2024 report: layout 1.5 s, page estimate 1.8 s, validation and saving 3 s).
ESTIMATE_WEIGHT = 1
CHECK_WEIGHT = 2


@dataclass(frozen=True)
class HwpxResult:
    """What was written: the file, the programs it holds in order, and the page each starts on (estimated)."""

    path: Path
    programs: tuple[str, ...]
    program_pages: dict[str, int]
    pages: int | None  # estimated page count; None when the estimate does not follow the document


def build_report_hwpx(
    report: Report, path: Path | str, *, progress: ProgressFn | None = None, cancel: CancelFn | None = None
) -> HwpxResult:
    """Write the whole report: cover, contents, I, II and III, for reading (empty parts left out)."""
    programs = list(report.programs())
    layout = len(programs) + len(report.chapters) + len(report.departments) + 1
    writer = ReportWriter(report, editable=False, progress=_progress(layout, False, progress, cancel))
    writer.whole_report()
    identity = Identity(report.year, "", tuple(p.code for p in programs), tuple(p.uid for p in programs))
    title = f"{report.year}년 {report.title}"
    return _finish(writer, Path(path), identity, title, title, layout, cover=True)


def build_department_hwpx(
    report: Report,
    department: str,
    path: Path | str,
    *,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> HwpxResult:
    """Write one department's section for editing: its II, its chapters' title pages, its programs."""
    dept = report.department(department)
    chapters = department_chapters(report, department)
    if dept is None and not chapters:
        known = list(dict.fromkeys([d.name for d in report.departments] + [c.department for c in report.chapters]))
        listed = ", ".join(known) if known else "없음"
        raise HwpxScopeError(
            f"{report.year}년 보고서에 '{department}' 부서가 없습니다. 있는 부서: {listed}", "department"
        )
    programs = [p for c in chapters for p in c.programs]
    layout = len(programs) + len(chapters) + 1
    writer = ReportWriter(report, editable=True, progress=_progress(layout, True, progress, cancel))
    writer.department(department, dept, chapters)
    identity = Identity(report.year, department, tuple(p.code for p in programs), tuple(p.uid for p in programs))
    title = f"{report.year}년 {report.title} - {department}"
    return _finish(writer, Path(path), identity, title, title, layout, cover=False)


def build_program_hwpx(
    report: Report, code: str, path: Path | str, *, progress: ProgressFn | None = None, cancel: CancelFn | None = None
) -> HwpxResult:
    """Write one program for editing."""
    program: Program | None = report.program(code)
    if program is None:
        listed = ", ".join(p.code for p in report.programs()) or "없음"
        raise HwpxScopeError(f"{report.year}년 보고서에 {code} 사업이 없습니다. 있는 사업: {listed}", "program")
    layout = 1
    writer = ReportWriter(report, editable=True, progress=_progress(layout, True, progress, cancel))
    writer.single_program(program)
    identity = Identity(report.year, program.department, (program.code,), (program.uid,))
    title = f"{report.year}년 {report.title} - {program.code} {program.title}"
    return _finish(writer, Path(path), identity, title, title, layout, cover=False)


def _progress(layout: int, editable: bool, progress: ProgressFn | None, cancel: CancelFn | None) -> Progress:
    """The work of a document laid out in ``layout`` units: the layout, the page estimate (not for editing), the rest."""
    estimate = 0 if editable else layout * ESTIMATE_WEIGHT
    return Progress(layout + estimate + layout * CHECK_WEIGHT + 1, progress, cancel)


def _finish(
    writer: ReportWriter, path: Path, identity: Identity, title: str, subject: str, layout: int, *, cover: bool
) -> HwpxResult:
    check_target(path, WHAT, HwpxWriteError)
    doc = writer.canvas.doc
    report = writer.report
    margins = L.PAGE_MARGINS_MM
    doc.page.setup(
        paper_size="A4",
        orientation="PORTRAIT",
        margin_left_mm=margins["left"],
        margin_right_mm=margins["right"],
        margin_top_mm=margins["top"],
        margin_bottom_mm=margins["bottom"],
        header_margin_mm=8,
        footer_margin_mm=L.FOOTER_MM,
    )
    doc.page.set_page_number(prefix="- ", suffix=" -", align="CENTER")
    if cover:
        # 현재 쪽만 감추기 on the cover (set_visibility writes hideFirstFooter="true", which hwpforge refuses).
        doc.page.hide_page_elements(doc.paragraphs[0], footer=True)
    progress = writer.progress
    progress.check()
    # The page estimate costs as much as the layout itself; a file for editing shows no page numbers.
    pages: dict[str, int] = {}
    if not writer.editable:
        pages = _number_pages(writer)
        progress.step(layout * ESTIMATE_WEIGHT)
    now = creation_time()
    doc.parts.clear_document_metadata(keep=("language",), timestamp=now)
    doc.parts.set_document_metadata(
        title=xml_text(title),
        creator=xml_text(report.institute or report.title),
        subject=xml_text(subject),
        keyword=xml_text(identity_keyword(identity)),
        created_date=now,
        modified_date=now,
    )
    doc.parts.clear_preview()
    what = "보고서" if not writer.anchors.programs else f"{len(writer.anchors.programs)}개 사업"
    data = checked_bytes(doc, what)
    progress.step(layout * CHECK_WEIGHT)
    write_bytes_atomically(path, data, WHAT, error=HwpxWriteError)
    progress.step(progress.total - progress.done)
    starts = {code: pages[key] + 1 for code, key in ((c, f"prog:{c}") for c in identity.programs) if key in pages}
    return HwpxResult(path, identity.programs, starts, (max(pages.values()) + 1) if pages else None)


def _number_pages(writer: ReportWriter) -> dict[str, int]:
    """Estimate where each anchor lands and write those page numbers into the contents and summary cells.

    The estimate is the library's (it lays paragraphs out as 한글 does); 한글 may
    break a page differently, and the office refreshes the numbers there.
    """
    pages = _anchor_pages(writer)
    for table, row, col, key in writer.anchors.page_cells:
        if key in pages:
            table.cell(row, col).text = str(pages[key] + 1)
    return pages


def _anchor_pages(writer: ReportWriter) -> dict[str, int]:
    doc = writer.canvas.doc
    estimate = estimate_pages(doc)
    if estimate.pages is None:
        return {}
    index = {id(p.element): n for n, p in enumerate(doc.paragraphs)}
    pages: dict[str, int] = {}
    for key, paragraph in writer.anchors.targets.items():
        n = index.get(id(paragraph.element))
        if n is not None and n < len(estimate.lines) and estimate.lines[n]:
            pages[key] = estimate.lines[n][0].page
    return pages


def checked_bytes(doc: HwpxDocument, what: str) -> bytes:
    """The document's bytes once the library's validator and its package validator pass.

    Otherwise :class:`HwpxInvalidError` naming ``what`` (``보고서``, ``9개 사업``) and the
    first issues; nothing is saved.
    """
    report = doc.validate()
    if report.issues:
        first = "; ".join(str(issue) for issue in report.issues[:3])
        raise HwpxInvalidError(f"만든 한글 문서({what})가 HWPX 검사를 통과하지 못해 저장하지 않았습니다: {first}")
    try:
        data = doc.to_bytes()
    except LibraryError as exc:
        raise HwpxInvalidError(f"한글 문서({what})를 만들지 못했습니다: {exc}") from exc
    package = validate_package(data)
    errors = [issue for issue in package.issues if issue.level != "warning"]
    if errors:
        first = "; ".join(f"{e.part_name}: {e.message}" for e in errors[:3])
        raise HwpxInvalidError(f"만든 한글 문서({what})의 패키지 검사에 실패해 저장하지 않았습니다: {first}")
    return data
