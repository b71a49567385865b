"""Acceptance: the whole 2024 report as PDF, read back with pypdf.

The PDF must carry its fonts, show every program and every budget figure as
printed, and its summary table's 쪽수 must be the pages the programs really
start on in this very file.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from seri_desktop.domain.model import CellKind, Report
from seri_desktop.formats.text_import import ImportResult

if TYPE_CHECKING:
    from conftest import BuiltPdf

pytestmark = pytest.mark.acceptance

AMOUNT = r"(?:△?\d[\d,]*|-|재배정)"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _fonts(resources: Any, seen: set[int]) -> list[Any]:
    """Every font dictionary reachable from a resource dictionary, page forms included."""
    out: list[Any] = []
    if resources is None:
        return out
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            out.append(font)
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            out += _fonts(xobject.get("/Resources"), seen)
    return out


def test_every_font_is_an_embedded_truetype_subset(whole_pdf: BuiltPdf) -> None:
    seen: set[int] = set()
    fonts = [f for page in whole_pdf.reader.pages for f in _fonts(page.get("/Resources"), seen)]
    assert fonts
    for font in fonts:
        assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
        # Subsets are named "ABCDEF+Name".
        assert re.match(r"/[A-Z]{6}\+", str(font["/BaseFont"])), font["/BaseFont"]
    names = {str(f["/BaseFont"]).split("+", 1)[1] for f in fonts}
    assert any("Myeongjo" in n for n in names) and any("Gothic" in n for n in names), names


def test_result_counts_pages_and_programs(whole_pdf: BuiltPdf, imported_2024: ImportResult) -> None:
    report = imported_2024.report
    assert whole_pdf.result.pages == len(whole_pdf.reader.pages)
    assert list(whole_pdf.result.program_pages) == [p.code for p in report.programs()]


def test_every_page_but_the_cover_has_its_number_in_the_footer(whole_pdf: BuiltPdf) -> None:
    assert whole_pdf.footer_number(0) is None
    for index in range(1, len(whole_pdf.texts)):
        # The footer is the last text of the page: "- 12 -".
        assert whole_pdf.texts[index].rstrip().endswith(f"- {index + 1} -"), index + 1


def test_cover_shows_meeting_title_date_and_institute(whole_pdf: BuiltPdf, imported_2024: ImportResult) -> None:
    report = imported_2024.report
    cover = whole_pdf.squashed(0)
    for text in (report.meeting, report.committee, *report.subtitle.split("\n"), report.title, report.date_label):
        assert squash(text) in cover
    assert squash(report.institute) in cover


def test_every_program_title_is_printed(whole_pdf: BuiltPdf, imported_2024: ImportResult) -> None:
    everything = squash("".join(whole_pdf.texts))
    for program in imported_2024.report.programs():
        # Titles wrap in tables and headings: compare with spaces removed.
        assert squash(program.title) in everything, program.code


def test_each_program_starts_on_its_own_page(whole_pdf: BuiltPdf, imported_2024: ImportResult) -> None:
    report = imported_2024.report
    starts = whole_pdf.title_pages(report.programs())
    for program in report.programs():
        pages = starts[program.code]
        assert len(pages) == 1, (program.code, pages)
        assert whole_pdf.result.program_pages[program.code] == pages[0] + 1
        assert whole_pdf.footer_number(pages[0]) == pages[0] + 1


def _program_text(pdf: BuiltPdf, report: Report) -> dict[str, str]:
    """Each program's text: from its first page up to the page before the next program or chapter."""
    starts = sorted((page - 1, code) for code, page in pdf.result.program_pages.items())
    bounds = [*(s for s, _ in starts[1:]), len(pdf.texts)]
    out: dict[str, str] = {}
    for (start, code), end in zip(starts, bounds, strict=True):
        out[code] = "\n".join(pdf.texts[start:end])
    return out


def test_every_budget_total_and_current_amount_is_printed_on_its_program_pages(
    whole_pdf: BuiltPdf, imported_2024: ImportResult
) -> None:
    report = imported_2024.report
    texts = _program_text(whole_pdf, report)
    checked = 0
    for program in report.programs():
        if program.budget is None:
            continue
        words = set(texts[program.code].split())
        # The 계 row is computed from the lines, never copied from the imported printed total.
        for cell in program.budget.total().cells():
            if cell.kind is CellKind.AMOUNT:
                assert cell.format() in words, (program.code, "계", cell.format())
                checked += 1
        for line in program.budget.lines:
            if line.current.kind is CellKind.AMOUNT:
                assert line.current.format() in words, (program.code, line.name, line.current.format())
                checked += 1
    assert checked > 250
    # 4-8's 계 row shows the 11,250 of Q4 that the printed report lost (it printed "-").
    assert "11,250" in texts["4-8"].split("계", 1)[-1]
    # A cell that is not an amount prints as typed, for the reader to see (4-7: 비예산).
    assert "비예산" in texts["4-7"].split()


def _summary_text(pdf: BuiltPdf) -> str:
    """The text of I-6 주요업무별 예산 내역, found through the PDF's bookmarks."""
    marks = [(item.title, pdf.reader.get_destination_page_number(item)) for item in _flatten(pdf.reader.outline)]
    titles = [t for t, _ in marks]
    start = marks[titles.index("6. 주요업무별 예산 내역")][1]
    end = marks[titles.index("Ⅱ. 업무 평가 및 개선 방향")][1]
    return " ".join(pdf.texts[start:end])


def _flatten(outline: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in outline:
        out += _flatten(item) if isinstance(item, list) else [item]
    return out


def test_summary_is_computed_and_its_page_numbers_are_this_pdfs(
    whole_pdf: BuiltPdf, imported_2024: ImportResult
) -> None:
    report = imported_2024.report
    text = re.sub(r"\s+", " ", _summary_text(whole_pdf))
    starts = whole_pdf.title_pages(report.programs())
    for program in report.programs():
        title = r"\s*".join(re.escape(c) for c in squash(program.title))
        row = re.search(rf"(?<![\d-]){re.escape(program.code)} {title} ((?:{AMOUNT} ){{6}})(\d+)\b", text)
        assert row, f"{program.code} not found in the summary"
        assert program.budget is not None
        assert row.group(1).split() == [c.format() for c in program.budget.total().cells()], program.code
        page = int(row.group(2))
        # The page printed in the summary is the page whose footer says so and that opens with the program.
        (index,) = starts[program.code]
        assert whole_pdf.footer_number(index) == page, program.code
    # 1-2: the summary shows the '23 total of its lines (794,384), not the printed 794,834.
    assert "794,384" in text and "794,834" not in text


def test_contents_list_the_page_of_every_program(whole_pdf: BuiltPdf, imported_2024: ImportResult) -> None:
    contents = re.sub(r"\s+", " ", " ".join(whole_pdf.texts[1:3]))
    for program in imported_2024.report.programs():
        title = r"\s*".join(re.escape(c) for c in squash(program.title))
        m = re.search(rf"{re.escape(program.code)} {title}[ .]*?(\d+)\b", contents)
        assert m, program.code
        assert int(m.group(1)) == whole_pdf.result.program_pages[program.code]


def test_budget_headers_say_executed_up_to_the_as_of_date(whole_pdf: BuiltPdf) -> None:
    page = whole_pdf.result.program_pages["2-5"] - 1
    text = " ".join(whole_pdf.texts[page : page + 2])
    # '24.6.30.: Q1 and Q2 are executed, Q3 and Q4 planned.
    assert "(단위: 천원, '24.6.30.기준)" in text
    assert text.index("집행액 / 집행내용") < text.index("집행예정액 / 집행내용")


def test_a_glyph_missing_from_the_body_face_is_set_in_another(whole_pdf: BuiltPdf) -> None:
    # 5-4 writes 이(異)기종; NanumMyeongjo has no 異, so it is set in the sans face, not as a box.
    page = whole_pdf.result.program_pages["5-4"] - 1
    assert "이(異)기종" in squash(" ".join(whole_pdf.texts[page : page + 4]))


def test_bookmarks_lead_to_parts_chapters_and_programs(whole_pdf: BuiltPdf, imported_2024: ImportResult) -> None:
    marks = {
        item.title: whole_pdf.reader.get_destination_page_number(item) + 1
        for item in _flatten(whole_pdf.reader.outline)
    }
    for program in imported_2024.report.programs():
        assert marks[f"{program.code} {program.title}"] == whole_pdf.result.program_pages[program.code]
    assert {"목차", "Ⅰ. 일반 현황", "Ⅱ. 업무 평가 및 개선 방향", "Ⅲ. 주요업무"} <= set(marks)
