"""The names and suffixes of the files the app reads and writes: one naming rule for the window and the command line.

Every file the app proposes is named :func:`file_name`: the report's year
first, then what the file holds (a department, a program code, or the kind's
own word), then the kind's suffix: ``2024-교육정책연구소.seripkg``,
``2024-교육정책연구소.serisub``, ``2024-주요업무보고.pdf``, ``2024-예산.xlsx``,
``2024-2-5.hwpx``. Sorted by name, one year's files stay together.

A :class:`FileKind` also carries the Korean label of a file dialog's filter,
so the window's dialogs filter and name files the same way. No Qt here: the
commands import it too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final


@dataclass(frozen=True)
class FileKind:
    """A kind of file: its suffixes (the first is the one written), the filter's label, the default name part."""

    suffixes: tuple[str, ...]
    label: str
    default_scope: str = ""

    @property
    def suffix(self) -> str:
        return self.suffixes[0]

    def patterns(self) -> str:
        return " ".join(f"*{suffix}" for suffix in self.suffixes)

    def filter(self) -> str:
        """One file dialog filter: ``부서 꾸러미 (*.seripkg)``."""
        return f"{self.label} ({self.patterns()})"

    def matches(self, path: Path) -> bool:
        return path.suffix.lower() in self.suffixes


REPORT_TITLE: Final = "주요업무보고"

DATABASE: Final = FileKind((".sqlite", ".db"), "보고서 데이터베이스", REPORT_TITLE)
PACKAGE: Final = FileKind((".seripkg",), "부서 꾸러미")
SUBMISSION: Final = FileKind((".serisub",), "제출 파일")
PDF: Final = FileKind((".pdf",), "PDF 파일", REPORT_TITLE)
WORKBOOK: Final = FileKind((".xlsx",), "Excel 통합 문서", "예산")
HWPX: Final = FileKind((".hwpx",), "한글 문서", REPORT_TITLE)
TEXT: Final = FileKind((".txt",), "텍스트 파일", REPORT_TITLE)
CSV: Final = FileKind((".csv",), "CSV 파일", "변경기록")

ALL_FILES: Final = "모든 파일 (*)"
# Characters Windows refuses in a file name, and path separators: a department's name must not make a folder.
_UNSAFE: Final = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(kind: FileKind, year: int | str, scope: str = "") -> str:
    """The name proposed for a file of ``kind`` of the ``year`` report holding ``scope`` (see the module docstring)."""
    what = _UNSAFE.sub("_", (scope or kind.default_scope).strip()).strip(". ")
    parts = [part for part in (str(year), what) if part]
    return "-".join(parts or [REPORT_TITLE]) + kind.suffix


def with_suffix(path: Path, kind: FileKind) -> Path:
    """``path`` with the kind's suffix added unless it already has one of the kind's (``2024-1.2`` keeps its dot)."""
    return path if kind.matches(path) else path.with_name(path.name + kind.suffix)


def dialog_filter(kinds: Sequence[FileKind], *, together: str = "", everything: bool = True) -> str:
    """A file dialog's filter string: ``together`` names a first entry with every kind's patterns, then each kind."""
    entries = [kind.filter() for kind in kinds]
    if together and len(kinds) > 1:
        entries.insert(0, f"{together} ({' '.join(kind.patterns() for kind in kinds)})")
    if everything:
        entries.append(ALL_FILES)
    return ";;".join(entries)
