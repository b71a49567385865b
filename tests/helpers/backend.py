"""The window's backend without a database: :class:`MemoryBackend` keeps a report in memory and records every save."""

from __future__ import annotations

import copy
from pathlib import Path

from seri_desktop.domain.model import Department, Program, Report
from seri_desktop.formats.text_import import ImportResult, import_report_file


class MemoryBackend:
    """A :class:`ReportBackend` without a database: keeps the report and records every save."""

    def __init__(self, report: Report | None, path: Path | None = None) -> None:
        self.report = report
        self._path = path
        self.saves: list[tuple[str, str]] = []
        self.fail_with: Exception | None = None
        self.closed = False

    @property
    def path(self) -> Path | None:
        return self._path

    def load(self) -> Report | None:
        if self.fail_with is not None:
            raise self.fail_with
        return copy.deepcopy(self.report)

    def _saved(self, kind: str, name: str) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.saves.append((kind, name))

    def save_program(self, year: int, program: Program) -> None:
        self._saved("program", program.code)

    def save_department(self, year: int, department: Department) -> None:
        self._saved("department", department.name)

    def save_front(self, report: Report) -> None:
        self._saved("front", str(report.year))

    def has_report(self, year: int) -> bool:
        return self.report is not None and self.report.year == year

    def parse_text(self, path: Path) -> ImportResult:
        return import_report_file(path)

    def replace_report(self, report: Report) -> None:
        self.report = copy.deepcopy(report)

    def close(self) -> None:
        self.closed = True
