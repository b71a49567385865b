"""What can go wrong with an HWPX file, going out or coming in; every message is Korean and shown as is."""

from __future__ import annotations

from seri_desktop.errors import UserError


class HwpxError(UserError):
    """An HWPX file could not be written or read; ``str(exc)`` says why, in Korean."""

    default_code = "hwpx"


class HwpxCancelled(HwpxError):
    """The caller's ``cancel()`` turned true; no file was written."""

    def __init__(self, message: str = "한글(HWPX) 파일 만들기를 취소했습니다.") -> None:
        super().__init__(message, "cancelled")


class HwpxScopeError(HwpxError, ValueError):
    """The report has no such department or program; the message lists what there is."""


class HwpxWriteError(HwpxError):
    """The output file cannot be written (missing folder, no permission, a folder in the way)."""


class HwpxInvalidError(HwpxError):
    """The document made fails the library's own validation; nothing was written."""


class HwpxReadError(HwpxError):
    """A file is not an HWPX document, is damaged, too large, or not laid out as our export."""


class HwpxYearError(HwpxReadError):
    """The file belongs to the report of another year."""
