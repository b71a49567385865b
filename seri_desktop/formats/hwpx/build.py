"""Writing the HWPX file: lay the report out, number its pages, set the page and the properties, check, save.

The document is checked with the library's own validator (``doc.validate()``,
the schemas of the header and section parts) and its package validator (the
ZIP, the container, the manifest) before anything is written; a document
either reports issues for is refused with :class:`HwpxInvalidError`. Warnings
of the package validator are not issues: the one the library's blank
document carries (no manifest entry for ``version.xml``) is how 한글 writes
its own files.

The file is written to a temporary file in the target's folder with the
umask's permissions (the library's own saver makes files 0600) and moved over
the target only when complete, so a cancelled or failed export leaves the
target as it was.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from hwpx import validate_package
from hwpx.errors import HwpxError as LibraryError
from hwpx.experimental import estimate_pages

from seri_desktop.domain.model import Program, Report
from seri_desktop.formats.file_names import HWPX
from seri_desktop.formats.hwpx import layout as L
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
    work = Progress(len(programs) + len(report.chapters) + len(report.departments) + 3, progress, cancel)
    writer = ReportWriter(report, editable=False, progress=work)
    writer.whole_report()
    identity = Identity(report.year, "", tuple(p.code for p in programs))
    title = f"{report.year}년 {report.title}"
    return _finish(writer, Path(path), identity, title, title, cover=True)


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
    work = Progress(len(programs) + len(chapters) + 3, progress, cancel)
    writer = ReportWriter(report, editable=True, progress=work)
    writer.department(department, dept, chapters)
    identity = Identity(report.year, department, tuple(p.code for p in programs))
    title = f"{report.year}년 {report.title} - {department}"
    return _finish(writer, Path(path), identity, title, title, cover=False)


def build_program_hwpx(
    report: Report, code: str, path: Path | str, *, progress: ProgressFn | None = None, cancel: CancelFn | None = None
) -> HwpxResult:
    """Write one program for editing."""
    program: Program | None = report.program(code)
    if program is None:
        listed = ", ".join(p.code for p in report.programs()) or "없음"
        raise HwpxScopeError(f"{report.year}년 보고서에 {code} 사업이 없습니다. 있는 사업: {listed}", "program")
    work = Progress(3, progress, cancel)
    writer = ReportWriter(report, editable=True, progress=work)
    writer.single_program(program)
    identity = Identity(report.year, program.department, (program.code,))
    title = f"{report.year}년 {report.title} - {program.code} {program.title}"
    return _finish(writer, Path(path), identity, title, title, cover=False)


def _finish(
    writer: ReportWriter, path: Path, identity: Identity, title: str, subject: str, *, cover: bool
) -> HwpxResult:
    folder = _check_target(path)
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
    writer.progress.step()
    # The page estimate costs as much as the layout itself; a file for editing shows no page numbers.
    pages = {} if writer.editable else _number_pages(writer)
    writer.progress.step()
    now = creation_time()
    doc.parts.clear_document_metadata(keep=("language",), timestamp=now)
    doc.parts.set_document_metadata(
        title=title,
        creator=report.institute or report.title,
        subject=subject,
        keyword=identity_keyword(identity),
        created_date=now,
        modified_date=now,
    )
    doc.parts.clear_preview()
    data = _checked_bytes(writer)
    writer.progress.check()
    _write(path, folder, data)
    writer.progress.step()
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


def _checked_bytes(writer: ReportWriter) -> bytes:
    doc = writer.canvas.doc
    what = "보고서" if not writer.anchors.programs else f"{len(writer.anchors.programs)}개 사업"
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


def _check_target(path: Path) -> Path:
    """The folder to write in; a Korean :class:`HwpxWriteError` when ``path`` cannot be a file."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise HwpxWriteError(f"한글 파일 이름 대신 폴더를 지정했습니다: {path}")
    if not folder.is_dir():
        raise HwpxWriteError(f"한글 파일을 저장할 폴더가 없습니다: {folder}")
    return folder


def _write(path: Path, folder: Path, data: bytes) -> None:
    """``data`` into ``path`` atomically, with the umask's permissions."""
    tmp: Path | None = None
    try:
        fd, name = _temp_file(folder, path)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise HwpxWriteError(f"한글 파일을 저장할 수 없습니다: {path} ({exc.strerror or exc})") from exc


def _temp_file(folder: Path, path: Path) -> tuple[int, str]:
    """A new file beside ``path``, created with the umask's permissions (mkstemp would make it 0600)."""
    for _ in range(100):
        name = str(folder / f".{path.name}.{secrets.token_hex(4)}.part")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), name
        except FileExistsError:
            continue
    raise HwpxWriteError(f"한글 파일을 저장할 폴더에 임시 파일을 만들 수 없습니다: {folder}")
