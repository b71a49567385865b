"""The Excel summary's 쪽수 come from the last PDF built of the whole report, never from the printed report."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from seri_desktop.formats.text_import import ImportResult
from seri_desktop.formats.xlsx import write_budget_workbook
from seri_desktop.formats.xlsx.writer import NO_PDF_PAGES_NOTE, PAGES_FROM_PDF_NOTE
from tests.pdf.conftest import BuiltPdf

FIRST_ROW = 5  # the summary sheet's first program row


def test_pages_are_those_of_the_pdf_built(whole_pdf: BuiltPdf, imported_2024: ImportResult, tmp_path: Path) -> None:
    report = imported_2024.report
    built = whole_pdf.result.program_pages
    pages = {p.uid: built[p.code] for p in report.programs()}
    path = tmp_path / "with-pages.xlsx"
    write_budget_workbook(report, path, pages=pages)
    ws = openpyxl.load_workbook(path)["요약"]
    shown = {ws.cell(r, 1).value: ws.cell(r, 9).value for r in range(FIRST_ROW, FIRST_ROW + len(pages))}
    assert shown == {p.code: str(built[p.code]) for p in report.programs()}
    assert PAGES_FROM_PDF_NOTE in str(ws["A2"].value)
    # The page named is where the PDF opens the program (its footer number), not the printed report's.
    starts = whole_pdf.title_pages(report.programs())
    for program in report.programs():
        assert built[program.code] in [whole_pdf.footer_number(i) for i in starts[program.code]], program.code
    printed = {row.code: row.page for row in report.front.budget_summary}
    assert any(shown[code] != printed[code] for code in shown)  # the layouts differ: the test can tell


def test_without_a_pdf_the_pages_are_empty_with_a_note(imported_2024: ImportResult, tmp_path: Path) -> None:
    path = tmp_path / "no-pages.xlsx"
    write_budget_workbook(imported_2024.report, path)
    ws = openpyxl.load_workbook(path)["요약"]
    assert all(ws.cell(r, 9).value is None for r in range(FIRST_ROW, FIRST_ROW + 33))
    assert NO_PDF_PAGES_NOTE in str(ws["A2"].value)
