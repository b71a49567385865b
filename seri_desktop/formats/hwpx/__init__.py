"""The report and each department's section as HWPX (한글) documents, and 한글 edits read back.

Writing (no Qt, any thread)::

    result = build_department_hwpx(report, "교육정책연구소", "정책연구소.hwpx", progress=..., cancel=...)

Reading a file laid out as our export, possibly edited in 한글::

    reading = read_hwpx("정책연구소.hwpx")
    reading.programs, reading.section_ii, reading.unplaced

The layout follows the PDF's; the program template is walked from
:mod:`seri_desktop.domain.template`. Every failure is an :class:`HwpxError`
with a Korean message.
"""

from __future__ import annotations

from seri_desktop.formats.hwpx.build import (
    SUFFIX,
    HwpxResult,
    build_department_hwpx,
    build_program_hwpx,
    build_report_hwpx,
)
from seri_desktop.formats.hwpx.errors import (
    HwpxCancelled,
    HwpxError,
    HwpxInvalidError,
    HwpxReadError,
    HwpxScopeError,
    HwpxWriteError,
    HwpxYearError,
)

__all__ = [
    "SUFFIX",
    "HwpxCancelled",
    "HwpxError",
    "HwpxInvalidError",
    "HwpxReadError",
    "HwpxResult",
    "HwpxScopeError",
    "HwpxWriteError",
    "HwpxYearError",
    "build_department_hwpx",
    "build_program_hwpx",
    "build_report_hwpx",
]
