"""What can go wrong while writing a PDF; every message is Korean and shown to the user as is."""

from __future__ import annotations

from seri_desktop.errors import UserError


class PdfError(UserError):
    """A PDF could not be written; ``str(exc)`` says why, in Korean."""

    default_code = "pdf"


class PdfCancelled(PdfError):
    """The caller's ``cancel()`` turned true; no file was written."""

    def __init__(self, message: str = "PDF 만들기를 취소했습니다.") -> None:
        super().__init__(message)


class UnknownDepartmentError(PdfError, ValueError):
    """The report has no department of that name; the message lists the known ones."""


class PdfWriteError(PdfError):
    """The output file cannot be written (missing folder, no permission, a folder in the way)."""


class PdfLayoutError(PdfError):
    """Something cannot be placed on a page at all; the message names the part of the report."""


class PdfFontError(PdfError):
    """No usable Korean TrueType font, or reportlab refused the one found."""
