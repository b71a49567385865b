"""PDF print of the report and of one department's section (reportlab, no Qt).

Call from any thread::

    result = build_report_pdf(report, "report.pdf", progress=on_progress, cancel=stop.is_set)
    result.pages, result.program_pages["2-5"]

Fonts come from :func:`seri_desktop.fonts.find_korean_fonts` unless given;
they are embedded as TrueType subsets. Every failure is a :class:`PdfError`
with a Korean message.

The builders (and reportlab under them) are imported on first use of
``build_report_pdf``, ``build_department_pdf`` or ``PdfResult``, not with
this package: the window imports the errors at start and builds a PDF only
when asked to, and reportlab's import is a tenth of a second (less what
:mod:`.lazyimport` defers to a first use that a report never makes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from seri_desktop.formats.pdf.errors import (
    PdfCancelled,
    PdfError,
    PdfFontError,
    PdfLayoutError,
    PdfWriteError,
    UnknownDepartmentError,
)

if TYPE_CHECKING:
    from seri_desktop.formats.pdf.build import PdfResult, build_department_pdf, build_report_pdf

_FROM_BUILD = frozenset({"PdfResult", "build_department_pdf", "build_report_pdf"})


def __getattr__(name: str) -> Any:
    if name in _FROM_BUILD:
        from seri_desktop.formats.pdf.lazyimport import import_reportlab

        import_reportlab()  # before build imports any of reportlab
        from seri_desktop.formats.pdf import build

        value = getattr(build, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
