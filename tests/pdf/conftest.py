"""PDF fixtures: the whole 2024 report and one department, each built once per session and read back."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

from seri_desktop.domain.model import Program
from seri_desktop.formats.pdf import PdfResult, build_department_pdf, build_report_pdf
from seri_desktop.formats.text_import import ImportResult

FOOTER = re.compile(r"-\s(\d+)\s-\s*$")
# The department whose chapter has two author blocks, one of them naming several departments.
DEPARTMENT = "교수학습정보부"


@dataclass
class BuiltPdf:
    """A PDF written by the app, with its text extracted page by page."""

    path: Path
    result: PdfResult
    reader: pypdf.PdfReader
    texts: list[str]

    @staticmethod
    def squash(text: str) -> str:
        """``text`` without any whitespace, for comparisons across line wraps."""
        return re.sub(r"\s+", "", text)

    def squashed(self, page: int) -> str:
        """Page text (0-based index) without any whitespace, for comparisons across line wraps."""
        return self.squash(self.texts[page])

    def footer_number(self, page: int) -> int | None:
        m = FOOTER.search(self.texts[page])
        return int(m.group(1)) if m else None

    def title_pages(self, programs: Iterable[Program]) -> dict[str, list[int]]:
        """Program code → 0-based indices of the pages that open with that program's title bar.

        The bar is followed by the first □ heading; a contents page that happens
        to begin with the program's entry is followed by leader dots instead.
        """
        heads = {p.code: self.squash(f"{p.code}{p.title}□") for p in programs}
        found: dict[str, list[int]] = {code: [] for code in heads}
        for index in range(len(self.texts)):
            text = self.squashed(index)
            for code, head in heads.items():
                if text.startswith(head):
                    found[code].append(index)
        return found


def read(path: Path, result: PdfResult) -> BuiltPdf:
    reader = pypdf.PdfReader(path)
    return BuiltPdf(path, result, reader, [page.extract_text() for page in reader.pages])


@pytest.fixture(scope="session", params=[1, 2], ids=["one-process", "two-processes"])
def whole_pdf(
    request: pytest.FixtureRequest, imported_2024: ImportResult, tmp_path_factory: pytest.TempPathFactory
) -> BuiltPdf:
    """The whole 2024 report, laid out in one process and, joined from two, in two (every test runs on both)."""
    workers: int = request.param
    path = tmp_path_factory.mktemp("pdf") / f"report-2024-{workers}.pdf"
    built = read(path, build_report_pdf(imported_2024.report, path, workers=workers))
    assert built.result.processes == workers
    return built


@pytest.fixture(scope="session")
def department_pdf(imported_2024: ImportResult, tmp_path_factory: pytest.TempPathFactory) -> BuiltPdf:
    path = tmp_path_factory.mktemp("pdf") / "department.pdf"
    return read(path, build_department_pdf(imported_2024.report, DEPARTMENT, path))
