"""File menu actions for the printed report: PDF로 내보내기, 인쇄 미리보기, 인쇄.

The PDF is always made by :mod:`seri_desktop.formats.pdf` (reportlab), so
what is previewed and printed is exactly what is exported. Making it takes
seconds for the whole report, so it runs in a worker thread behind a
cancellable progress dialog (:mod:`seri_desktop.ui.jobs`).

Preview shows the file in QtPdf's :class:`QPdfView`; printing renders each
page of a :class:`QPdfDocument` to an image and paints it on a
:class:`QPrinter`, one page per sheet. QtPdf is imported only when used: the
window should not pay for it at start-up.

Before a PDF, a preview or a print of a report (or a department) with errors
still open, the errors are listed and the user may go on anyway
(:mod:`seri_desktop.ui.guards`).

Install with :func:`install_print_actions` (the main window does).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, QSize, Qt
from PySide6.QtGui import QKeySequence, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from seri_desktop.domain.model import Report
from seri_desktop.formats.file_names import PDF
from seri_desktop.formats.pdf import PdfCancelled, PdfError
from seri_desktop.ui import menus
from seri_desktop.ui.context import AppContext
from seri_desktop.ui.guards import confirm_despite_errors, errors_in
from seri_desktop.ui.jobs import CancelFn, FileJob, JobRunner, ProgressFn, ask_export_path

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView
    from PySide6.QtPrintSupport import QPrinter

    from seri_desktop.formats.pdf import PdfResult

WHOLE_REPORT = "보고서 전체"
# Printing renders pages to images: above this resolution the images of an A4
# page grow past 100 MB each without any visible gain on paper.
MAX_PRINT_DPI = 300


# ====================================================================== printing


def print_pdf(document: QPdfDocument, printer: QPrinter, *, dpi: int | None = None) -> int:
    """Paint every page of ``document`` on ``printer``, one page per sheet; returns the pages printed.

    Each page is rendered at ``dpi`` (default: the printer's, at most
    :data:`MAX_PRINT_DPI`) and scaled into the printable area keeping its proportions.
    """
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPdf import QPdfDocument as _Doc

    if document.status() != _Doc.Status.Ready or document.pageCount() == 0:
        return 0
    resolution = dpi or min(printer.resolution(), MAX_PRINT_DPI)
    first = document.pagePointSize(0)
    # The PDF carries its own margins: print the whole sheet, sized and oriented like the PDF's pages.
    printer.setFullPage(True)
    printer.setPageSize(QPageSize(first, QPageSize.Unit.Point))
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if first.width() > first.height() else QPageLayout.Orientation.Portrait
    )
    painter = QPainter()
    if not painter.begin(printer):
        raise PdfError("프린터를 열지 못했습니다.")
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for page in range(document.pageCount()):
            if page > 0 and not printer.newPage():
                raise PdfError(f"{page + 1}쪽을 인쇄하지 못했습니다.")
            points = document.pagePointSize(page)
            size = QSize(round(points.width() * resolution / 72), round(points.height() * resolution / 72))
            image = document.render(page, size)
            area = painter.viewport()
            scaled = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(
                area.x() + (area.width() - scaled.width()) // 2,
                area.y() + (area.height() - scaled.height()) // 2,
                scaled.width(),
                scaled.height(),
            )
            painter.drawImage(target, image)
    finally:
        painter.end()
    return document.pageCount()


def ask_and_print(parent: QWidget, document: QPdfDocument) -> bool:
    """The print dialog, then :func:`print_pdf`; ``False`` if the user cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtPrintSupport import QPrinter as _Printer

    printer = _Printer(_Printer.PrinterMode.HighResolution)
    printer.setDocName(Path(document.metaData(document.MetaDataField.Title) or "보고서").name)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("인쇄")
    dialog.setMinMax(1, max(document.pageCount(), 1))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    try:
        print_pdf(document, printer)
    except PdfError as exc:
        QMessageBox.warning(parent, "인쇄", str(exc))
        return False
    return True


class PdfPreviewDialog(QDialog):
    """The generated PDF in a QPdfView (all pages) with zoom, fit-width, the page shown, 인쇄… and 닫기.

    ``owned_dir``: a temporary folder holding the file, removed when the dialog closes.
    """

    ZOOM_STEP = 1.25
    ZOOM_RANGE = (0.25, 4.0)

    def __init__(self, path: Path, title: str, parent: QWidget | None = None, owned_dir: Path | None = None) -> None:
        from PySide6.QtPdf import QPdfDocument as _Doc
        from PySide6.QtPdfWidgets import QPdfView as _View

        super().__init__(parent)
        self.setWindowTitle(f"인쇄 미리보기 — {title}")
        self._owned_dir = owned_dir
        self.document: QPdfDocument = _Doc(self)
        self.document.load(str(path))
        self.view: QPdfView = _View(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(_View.PageMode.MultiPage)
        self.view.setZoomMode(_View.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)

        self.zoom_out_button = QPushButton("축소(&-)")
        self.zoom_in_button = QPushButton("확대(&+)")
        self.fit_button = QPushButton("폭 맞춤(&W)")
        self.zoom_out_button.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut))
        self.zoom_in_button.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomIn))
        self.fit_button.setShortcut(QKeySequence("Ctrl+0"))
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(1 / self.ZOOM_STEP))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(self.ZOOM_STEP))
        self.fit_button.clicked.connect(self.fit_width)
        self.zoom_label = QLabel()
        self.print_button = QPushButton("인쇄(&P)…")
        self.print_button.clicked.connect(lambda: ask_and_print(self, self.document))
        self.pages_label = QLabel()
        self.view.pageNavigator().currentPageChanged.connect(lambda _page: self._show_page())
        self.view.zoomFactorChanged.connect(lambda _factor: self._show_zoom())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("닫기(&C)")
        buttons.rejected.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(self.pages_label)
        bar.addSpacing(16)
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button, self.zoom_label):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)
        self.resize(820, 980)
        self.finished.connect(self._release)
        self._show_page()
        self._show_zoom()

    def current_page(self) -> int:
        """The page shown (1-based)."""
        return self.view.pageNavigator().currentPage() + 1

    def page_text(self) -> str:
        return self.pages_label.text()

    def zoom_by(self, factor: float) -> None:
        from PySide6.QtPdfWidgets import QPdfView as _View

        low, high = self.ZOOM_RANGE
        zoom = min(max(self.view.zoomFactor() * factor, low), high)
        self.view.setZoomMode(_View.ZoomMode.Custom)
        self.view.setZoomFactor(zoom)
        self._show_zoom()

    def fit_width(self) -> None:
        from PySide6.QtPdfWidgets import QPdfView as _View

        self.view.setZoomMode(_View.ZoomMode.FitToWidth)
        self._show_zoom()

    def _show_page(self) -> None:
        self.pages_label.setText(f"{self.current_page()} / {self.document.pageCount()}쪽")

    def _show_zoom(self) -> None:
        from PySide6.QtPdfWidgets import QPdfView as _View

        fitted = self.view.zoomMode() == _View.ZoomMode.FitToWidth
        self.zoom_label.setText("폭 맞춤" if fitted else f"{round(self.view.zoomFactor() * 100)}%")

    def _release(self) -> None:
        # Close the document before removing the file: Windows will not delete an open file.
        self.document.close()
        if self._owned_dir is not None:
            shutil.rmtree(self._owned_dir, ignore_errors=True)
            self._owned_dir = None


# ====================================================================== the actions


class PrintActions(QObject):
    """The three File menu actions and the jobs they start; ``last_job`` and ``preview`` serve tests."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.jobs = JobRunner(ctx, "PDF를 만드는 중입니다. 끝난 뒤에 다시 하십시오.")
        self.preview: PdfPreviewDialog | None = None
        self.export_action = ctx.add_action(
            menus.FILE, "PDF로 내보내기…", self._on_export, tip="보고서나 한 부서를 PDF로 씁니다", group="export"
        )
        self.preview_action = ctx.add_action(
            menus.FILE,
            "인쇄 미리보기…",
            self._on_preview,
            shortcut="Ctrl+Shift+P",
            tip="인쇄될 모양을 PDF로 만들어 보여 줍니다",
            group="export",
        )
        self.print_action = ctx.add_action(
            menus.FILE, "인쇄…", self._on_print, shortcut="Ctrl+P", tip="보고서나 한 부서를 인쇄합니다", group="export"
        )
        ctx.reportLoaded.connect(self._update_enabled)
        self._update_enabled()

    def _update_enabled(self) -> None:
        has_report = self.ctx.report is not None
        for action in (self.export_action, self.preview_action, self.print_action):
            action.setEnabled(has_report)

    # ---------------------------------------------------------------- the work

    @property
    def last_job(self) -> FileJob | None:
        return self.jobs.last_job

    def busy(self) -> bool:
        return self.jobs.busy()

    def start_pdf(
        self, department: str | None, path: Path, title: str, then: Callable[[PdfResult], None]
    ) -> FileJob | None:
        """Make the PDF of the report (``department=None``) or of one department at ``path`` in a worker thread.

        ``then(result)`` runs in the UI thread on success; a cancellation
        says so in the status bar, a person's error (``PdfError``) in a
        warning, and anything else is a bug for the crash dialog
        (:class:`seri_desktop.ui.jobs.JobRunner`).
        """

        def make_work(report: Report) -> Callable[[ProgressFn, CancelFn], PdfResult]:
            def work(progress: ProgressFn, cancel: CancelFn) -> PdfResult:
                # Here, not at the module's top: reportlab loads when a PDF is made, not at window start.
                from seri_desktop.formats.pdf import build_department_pdf, build_report_pdf

                if department is None:
                    return build_report_pdf(report, path, progress=progress, cancel=cancel)
                return build_department_pdf(report, department, path, progress=progress, cancel=cancel)

            return work

        def finished(result: PdfResult) -> None:
            if department is None:
                self.ctx.remember_pdf_pages(result.program_pages)
            then(result)

        return self.jobs.start(
            make_work, path, title=title, label="PDF를 만드는 중…", cancelled=PdfCancelled, then=finished
        )

    def export_pdf(self, department: str | None, path: Path) -> FileJob | None:
        def then(result: PdfResult) -> None:
            self.ctx.notify_file(f"PDF를 저장했습니다 ({result.pages}쪽).", path)

        return self.start_pdf(department, path, "PDF로 내보내기", then)

    def preview_pdf(self, department: str | None) -> FileJob | None:
        folder = Path(tempfile.mkdtemp(prefix="seri-preview-"))
        path = folder / ("보고서.pdf" if department is None else f"{department}.pdf")

        def then(_result: PdfResult) -> None:
            self.show_preview(path, department or WHOLE_REPORT, folder)

        job = self.start_pdf(department, path, "인쇄 미리보기", then)
        if job is None:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            job.done.connect(
                lambda outcome: None if not isinstance(outcome, BaseException) else shutil.rmtree(folder, True)
            )
        return job

    def show_preview(self, path: Path, title: str, owned_dir: Path | None = None) -> PdfPreviewDialog:
        if self.preview is not None:
            self.preview.close()
        dialog = PdfPreviewDialog(path, title, self.ctx.dialog_parent, owned_dir)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _obj=None: self._forget_preview(dialog))
        self.preview = dialog
        dialog.show()
        return dialog

    def _forget_preview(self, dialog: PdfPreviewDialog) -> None:
        if self.preview is dialog:
            self.preview = None

    def print_report(self, department: str | None) -> FileJob | None:
        from PySide6.QtPdf import QPdfDocument as _Doc

        folder = Path(tempfile.mkdtemp(prefix="seri-print-"))
        path = folder / "보고서.pdf"

        def then(_result: PdfResult) -> None:
            document = _Doc(self)
            try:
                document.load(str(path))
                if ask_and_print(self.ctx.dialog_parent, document):
                    self.ctx.notify(f"인쇄로 보냈습니다 ({document.pageCount()}쪽)")
            finally:
                document.close()
                document.deleteLater()

        job = self.start_pdf(department, path, "인쇄", then)
        if job is not None:
            job.done.connect(lambda _outcome: shutil.rmtree(folder, ignore_errors=True))
        else:
            shutil.rmtree(folder, ignore_errors=True)
        return job

    # ---------------------------------------------------------------- menu slots

    def ask_scope(self, title: str) -> tuple[bool, str | None]:
        """Whole report or one department (the current program's is proposed); ``(False, None)`` if cancelled."""
        report = self.ctx.report
        if report is None:
            return False, None
        names = [d.name for d in report.departments]
        program = self.ctx.current_program()
        items = [WHOLE_REPORT, *names]
        current = items.index(program.department) if program is not None and program.department in names else 0
        choice, ok = QInputDialog.getItem(self.ctx.dialog_parent, title, "무엇을 만들까요?", items, current, False)
        if not ok:
            return False, None
        department = None if choice == WHOLE_REPORT else choice
        errors = errors_in(self.ctx.open_problems(), department=department, report=report)
        go_on, _reason = confirm_despite_errors(self.ctx.dialog_parent, title, title.split("…")[0], errors)
        return go_on, department

    def _on_export(self) -> None:
        ok, department = self.ask_scope("PDF로 내보내기")
        if not ok:
            return
        path = ask_export_path(self.ctx, "PDF로 내보내기", department, PDF)
        if path is not None:
            self.export_pdf(department, path)

    def _on_preview(self) -> None:
        ok, department = self.ask_scope("인쇄 미리보기")
        if ok:
            self.preview_pdf(department)

    def _on_print(self) -> None:
        ok, department = self.ask_scope("인쇄")
        if ok:
            self.print_report(department)


def install_print_actions(ctx: AppContext) -> PrintActions:
    """Add PDF로 내보내기, 인쇄 미리보기 and 인쇄 to the File menu."""
    return PrintActions(ctx)
