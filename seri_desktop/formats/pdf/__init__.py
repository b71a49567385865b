"""PDF print of the report and of one department's section (reportlab, no Qt).

Call from any thread::

    result = build_report_pdf(report, "report.pdf", progress=on_progress, cancel=stop.is_set)
    result.pages, result.program_pages["2-5"]

Fonts come from :func:`seri_desktop.fonts.find_korean_fonts` unless given;
they are embedded as TrueType subsets. Every failure is a :class:`PdfError`
with a Korean message.
"""

from __future__ import annotations

from seri_desktop.formats.pdf.build import PdfResult, build_department_pdf, build_report_pdf
from seri_desktop.formats.pdf.errors import (
    PdfCancelled,
    PdfError,
    PdfFontError,
    PdfLayoutError,
    PdfWriteError,
    UnknownDepartmentError,
)

__all__ = [
    "PdfCancelled",
    "PdfError",
    "PdfFontError",
    "PdfLayoutError",
    "PdfResult",
    "PdfWriteError",
    "UnknownDepartmentError",
    "build_department_pdf",
    "build_report_pdf",
]
