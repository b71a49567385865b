"""PDF fixtures: the whole 2024 report and one department, each built once per session and read back."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdf
import pytest

from seri_desktop.domain.model import Program
from seri_desktop.formats.pdf import PdfResult, build_department_pdf, build_report_pdf
from seri_desktop.formats.text_import import ImportResult

FOOTER = re.compile(r"-\s(\d+)\s-\s*$")


@dataclass(frozen=True)
class Run:
    """A run of text as drawn on a page: where (PDF points), how big, in which font."""

    x: float
    y: float
    size: float
    font: str  # the embedded subset's name without its "ABCDEF+" prefix
    text: str


def page_runs(page: pypdf.PageObject) -> list[Run]:
    """Every run of text on ``page`` with its position and font, in drawing order."""
    runs: list[Run] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            name = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1] if font else ""
            runs.append(Run(round(tm[4] + cm[4], 1), round(tm[5] + cm[5], 1), size * tm[0], name, text))

    page.extract_text(visitor_text=visit)
    return runs


def page_lines(page: pypdf.PageObject) -> list[Run]:
    """The runs of ``page`` merged into printed lines.

    A line of Korean text is drawn in several runs, one per font subset of
    256 glyphs (and per fallback face); pypdf reports each with the line's
    start. Consecutive runs at the same start make one line (font: the first run's).
    """
    lines: list[Run] = []
    for run in page_runs(page):
        last = lines[-1] if lines else None
        if last is not None and last.x == run.x and last.y == run.y:
            lines[-1] = Run(last.x, last.y, last.size, last.font, last.text + run.text)
        else:
            lines.append(run)
    return [Run(r.x, r.y, r.size, r.font, " ".join(r.text.split())) for r in lines]


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

    def runs(self, page: int) -> list[Run]:
        """Text runs of a page (0-based index) with positions and fonts (text stripped)."""
        return [Run(r.x, r.y, r.size, r.font, r.text.strip()) for r in page_runs(self.reader.pages[page])]

    def lines(self, page: int) -> list[Run]:
        """Printed lines of a page (0-based index), see :func:`page_lines`."""
        return page_lines(self.reader.pages[page])

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


@pytest.fixture(scope="session")
def read_pdf() -> Callable[[Path, PdfResult], BuiltPdf]:
    """Read back a PDF a test wrote (text, runs, bookmarks), as the whole-report fixtures are."""
    return read


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
