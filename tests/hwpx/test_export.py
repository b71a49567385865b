"""The 2024 report as HWPX: valid for both libraries, and every title, item and cell as the model has it.

Files are read back with python-hwpx and, independently, with hwpforge; the
tests compare parsed structure (texts, spans, counts), never bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hwpforge
import pytest
from hwpx import HwpxDocument, TextExtractor, validate_package

from seri_desktop.domain.model import ItemKind, OutlineItem, Program, Report
from seri_desktop.domain.summary import program_outlines
from seri_desktop.formats.hwpx import HwpxResult, HwpxScopeError, HwpxWriteError, build_program_hwpx
from seri_desktop.formats.hwpx.properties import parse_identity

pytestmark = pytest.mark.acceptance

CODE = re.compile(r"^\d+-\d+$")


def tables_of(path: Path) -> list[Any]:
    """Every table of the body, in order (tables inside cells are not used by the export)."""
    doc = HwpxDocument.open(path)
    return [t for p in doc.paragraphs for t in p.tables]


def grid(table: Any) -> list[list[str]]:
    """Each logical cell's text; covered cells of a merge read as ""."""
    return [[e.cell.text if e.is_anchor else "" for e in row] for row in table.get_cell_map()]


def bars(path: Path) -> list[tuple[str, str]]:
    """(code, title) of every program title bar, in order."""
    found = []
    for table in tables_of(path):
        g = grid(table)
        if len(g) == 1 and len(g[0]) == 2 and CODE.match(g[0][0]):
            found.append((g[0][0], g[0][1]))
    return found


def printed(item: OutlineItem) -> str:
    return _printed(item).strip()


def _printed(item: OutlineItem) -> str:
    text = " ".join(item.text.split())
    if item.kind is ItemKind.TEXT:
        return text
    if item.kind is ItemKind.NOTE:
        return f"※ {text}"
    if item.kind is ItemKind.FOOTNOTE:
        return f"*{text}" if text.startswith("*") else f"* {text}"
    return f"○ {text}" if item.level == 0 else f"- {text}"


def all_paragraphs(path: Path) -> list[str]:
    """Every paragraph's text, cells included, in reading order."""
    return [
        " ".join((info.text() or "").split())
        for info in TextExtractor(path).iter_document_paragraphs(include_nested=True)
    ]


def in_order(expected: list[str], found: list[str]) -> list[str]:
    """The expected lines missing from ``found`` when read in order (an empty list: all there, in order)."""
    it: Iterator[str] = iter(found)
    return [line for line in expected if not any(line == f for f in it)]


def department_programs(report: Report, name: str) -> list[Program]:
    return [p for c in report.chapters if c.department == name for p in c.programs]


# --- validity -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scope", ["", "교육정책연구소", "기획평가부", "교육과정진로진학부", "교수학습정보부", "교육정보화부"]
)
def test_exports_pass_both_validators_of_the_library_and_hwpforge(exported: dict[str, HwpxResult], scope: str) -> None:
    path = exported[scope].path
    report = HwpxDocument.open(path).validate()
    assert report.ok and report.issues == ()
    package = validate_package(path)
    errors = [i for i in package.issues if i.level != "warning"]
    assert errors == [], errors
    forge = hwpforge.Document.open(path).validate()
    assert forge["ok"] is True and forge["errors"] == []


def test_whole_report_holds_the_33_programs_with_their_titles_in_order(
    exported: dict[str, HwpxResult], report_2024: Report
) -> None:
    expected = [(p.code, " ".join(p.title.split())) for p in report_2024.programs()]
    assert len(expected) == 33
    assert bars(exported[""].path) == expected
    assert exported[""].programs == tuple(code for code, _ in expected)


def test_every_outline_item_is_printed_in_order(exported: dict[str, HwpxResult], report_2024: Report) -> None:
    found = all_paragraphs(exported[""].path)
    expected = [
        printed(item)
        for program in report_2024.programs()
        for outline in program_outlines(program)
        for item in outline
        if item.kind is not ItemKind.TABLE
    ]
    assert len(expected) > 1400
    assert in_order(expected, found) == []


def test_a_department_file_holds_its_section_ii_and_programs_in_order(
    exported: dict[str, HwpxResult], report_2024: Report
) -> None:
    for dept in report_2024.departments:
        path = exported[dept.name].path
        programs = department_programs(report_2024, dept.name)
        assert bars(path) == [(p.code, " ".join(p.title.split())) for p in programs]
        found = all_paragraphs(path)
        review = [
            printed(i)
            for outline in (dept.results, dept.limits, dept.directions)
            for i in outline
            if i.kind is not ItemKind.TABLE
        ]
        items = [printed(i) for p in programs for o in program_outlines(p) for i in o if i.kind is not ItemKind.TABLE]
        assert in_order(review + items, found) == []
        # Other departments' programs are not in it.
        others = {p.code for p in report_2024.programs()} - {p.code for p in programs}
        assert not others & {code for code, _ in bars(path)}


# --- tables ---------------------------------------------------------------------------------------------


def program_table_objects(path: Path) -> dict[str, list[Any]]:
    """code → the tables after its title bar, up to the next bar or chapter banner."""
    out: dict[str, list[Any]] = {}
    current = None
    for table in tables_of(path):
        g = grid(table)
        if len(g) == 1 and len(g[0]) == 2 and CODE.match(g[0][0]):
            current = g[0][0]
            out[current] = []
        elif len(g) == 1 and len(g[0]) == 2 and g[0][0].isdigit():
            current = None  # a chapter banner
        elif current is not None:
            out[current].append(table)
    return out


def program_tables(path: Path) -> dict[str, list[list[list[str]]]]:
    """code → the grids of the tables after its title bar."""
    return {code: [grid(t) for t in found] for code, found in program_table_objects(path).items()}


def test_every_budget_and_target_cell_equals_the_model(exported: dict[str, HwpxResult], report_2024: Report) -> None:
    found = program_tables(exported[""].path)
    checked = 0
    for program in report_2024.programs():
        grids = found[program.code]
        if program.targets is not None and program.targets.rows:
            targets = next(g for g in grids if g[0][0] == "세부사업명")
            assert targets[0][2] == "물량" + (f" ({program.targets.qualifier})" if program.targets.qualifier else "")
            assert len(targets) == 1 + len(program.targets.rows)
            for row, cells in zip(program.targets.rows, targets[1:], strict=True):
                assert cells == [" ".join(v.split()) for v in (row.name, row.period, row.quantity)]
                checked += 3
        if program.budget is not None:
            budget = next(g for g in grids if g[0][0] == "사업명")
            body = budget[2:]
            assert len(body) == 2 * len(program.budget.lines) + 1
            for n, line in enumerate(program.budget.lines):
                amounts, notes = body[2 * n], body[2 * n + 1]
                assert amounts[0] == " ".join(line.name.split())
                cells = [line.current, line.previous, *(q.amount for q in line.quarters)]
                assert amounts[1:7] == [c.format() for c in cells]
                assert notes[3:7] == [" ".join(q.note.split()) for q in line.quarters]
                assert amounts[7] == " ".join(line.page.split())
                checked += 11
            total = body[-1]
            assert total[0] == "계"
            assert total[1:7] == [c.format() for c in program.budget.total().cells()]
    assert checked > 900
    # Negative amounts keep the report's △.
    negatives = [
        c
        for p in report_2024.programs()
        if p.budget
        for line in p.budget.lines
        for c in (line.current, line.previous)
        if c.value is not None and c.value < 0
    ]
    assert all(c.format().startswith("△") for c in negatives)


def spans(table: Any) -> list[tuple[int, int]]:
    return [cell.span for row in table.rows for cell in row.cells if cell.span != (1, 1)]


def test_department_file_has_the_right_tables_and_merged_spans(
    exported: dict[str, HwpxResult], report_2024: Report
) -> None:
    name = "기획평가부"
    programs = department_programs(report_2024, name)
    chapters = [c for c in report_2024.chapters if c.department == name]
    outline_tables = sum(1 for p in programs for o in program_outlines(p) for i in o if i.kind is ItemKind.TABLE)
    # II banner; per chapter its banner, its program list and author blocks; per program its bar, targets,
    # budget and improvements box (an editable file has them all), and the small tables of its outlines.
    expected = 1 + sum(2 + len(c.author_blocks) for c in chapters) + 4 * len(programs) + outline_tables
    tables = tables_of(exported[name].path)
    assert len(tables) == expected
    budgets = [t for t in tables if grid(t)[0][0] == "사업명"]
    assert len(budgets) == len(programs)
    for table, program in zip(budgets, programs, strict=True):
        assert program.budget is not None
        executed = program.budget.executed_quarters()
        header = [(2, 1), (1, 2), (2, 1)] + ([(1, executed), (1, 4 - executed)] if 0 < executed < 4 else [(1, 4)])
        lines = [(2, 1)] * 4 * len(program.budget.lines)
        assert sorted(spans(table)) == sorted(header + lines)
    by_program = program_table_objects(exported[name].path)
    for program in programs:
        table = next(t for t in by_program[program.code] if grid(t)[0][0] == "세부사업명")
        rows = program.targets.rows if program.targets else []
        # A row without its own period continues the one above: one merged cell per run.
        expected_merge = 0
        started = False
        for row in rows:
            if row.period.strip():
                started = True
            elif started:
                expected_merge += 1
        assert sum(s[0] - 1 for s in spans(table)) == expected_merge


def test_summary_table_is_computed_from_the_programs(exported: dict[str, HwpxResult], report_2024: Report) -> None:
    tables = [grid(t) for t in tables_of(exported[""].path)]
    summary = next(g for g in tables if g[0][:2] == ["번호", "주요업무명"])
    rows = summary[2:]
    programs = list(report_2024.programs())
    assert [r[0] for r in rows] == [p.code for p in programs]
    for row, program in zip(rows, programs, strict=True):
        assert program.budget is not None
        assert row[2:8] == [c.format() for c in program.budget.total().cells()]
        assert row[8] == str(exported[""].program_pages[program.code])
    # 쪽수: the title bars' estimated pages, rising through the report.
    pages = [int(r[8]) for r in rows]
    assert pages == sorted(pages) and pages[0] > 3


def test_hwpforge_markdown_shows_the_tables_and_their_spans(
    exported: dict[str, HwpxResult], report_2024: Report
) -> None:
    name = "기획평가부"
    path = exported[name].path
    markdown = hwpforge.Document.open(path).to_md().text
    tables = tables_of(path)
    # Tables with merged cells come out as HTML, plain ones as pipe tables.
    merged = [t for t in tables if spans(t)]
    assert markdown.count("<table>") == len(merged)
    assert len(re.findall(r"^\|(?: --- \|)+$", markdown, re.MULTILINE)) == len(tables) - len(merged)
    rowspans = sum(1 for t in tables for s in spans(t) if s[0] > 1)
    colspans = sum(1 for t in tables for s in spans(t) if s[1] > 1)
    assert len(re.findall(r'rowspan="\d+"', markdown)) == rowspans
    assert len(re.findall(r'colspan="\d+"', markdown)) == colspans
    for program in department_programs(report_2024, name):
        assert program.budget is not None
        for line in program.budget.lines:
            if line.current.format():
                assert re.search(rf'<td rowspan="2">{re.escape(line.current.format())}</td>', markdown)


# --- page, fonts, properties, file ----------------------------------------------------------------------


def test_a4_named_korean_fonts_footer_page_number_and_metadata(exported: dict[str, HwpxResult]) -> None:
    path = exported[""].path
    doc = HwpxDocument.open(path)
    size = doc.page.size()
    assert (round(size.width / 7200 * 25.4), round(size.height / 7200 * 25.4)) == (210, 297)
    faces = {f.face for f in doc.styles.fonts("HANGUL").values()}
    assert {"함초롬바탕", "함초롬돋움"} <= faces
    with zipfile.ZipFile(path) as archive:
        section = archive.read("Contents/section0.xml").decode("utf-8")
    footer = section[section.index("<hp:footer") : section.index("</hp:footer>")]
    assert "<hp:t>- </hp:t>" in footer and 'numType="PAGE"' in footer and "<hp:t> -</hp:t>" in footer
    meta = doc.parts.metadata
    assert meta is not None
    assert meta.title == "2024년 주요업무보고"
    assert meta.creator == "서울특별시교육청교육연구정보원"
    assert meta.created_date is not None
    created = dt.datetime.strptime(meta.created_date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert abs((dt.datetime.now(dt.UTC) - created).total_seconds()) < 3600
    identity = parse_identity(meta.keyword)
    assert identity is not None and identity.year == 2024 and len(identity.programs) == 33


def test_files_get_the_umask_permissions_and_replace_the_target_whole(tmp_path: Path, report_2024: Report) -> None:
    target = tmp_path / "p.hwpx"
    target.write_bytes(b"old")
    old = os.umask(0o022)
    try:
        build_program_hwpx(report_2024, "2-5", target)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert bars(target) == [("2-5", "현장교육실천 연구대회 운영")]
    assert [p.name for p in tmp_path.iterdir()] == ["p.hwpx"]  # no temporary file left


def test_bad_targets_and_scopes_get_korean_messages(tmp_path: Path, report_2024: Report) -> None:
    with pytest.raises(HwpxWriteError, match="폴더가 없습니다"):
        build_program_hwpx(report_2024, "2-5", tmp_path / "없는 폴더" / "p.hwpx")
    with pytest.raises(HwpxWriteError, match="폴더를 지정했습니다"):
        build_program_hwpx(report_2024, "2-5", tmp_path)
    with pytest.raises(HwpxScopeError, match="9-9 사업이 없습니다"):
        build_program_hwpx(report_2024, "9-9", tmp_path / "p.hwpx")
    assert list(tmp_path.iterdir()) == []


# --- what a reader sees: nothing broken inside a word ---------------------------------------------------

HWPUNIT_PER_PT = 100


def _inner_width(table: Any, cell: Any) -> float:
    """A cell's width for text, in points: its size less the table's left and right padding."""
    size = cell.element.find("{*}cellSz")
    margin = table.element.find("{*}inMargin")
    return (int(size.get("width")) - int(margin.get("left")) - int(margin.get("right"))) / HWPUNIT_PER_PT


def _char_size(doc: HwpxDocument, paragraph: Any) -> float:
    """The point size of a paragraph's first run (its character shape's height)."""
    run = paragraph.element.find("{*}run")
    shape = doc.styles.char_property(run.get("charPrIDRef"))
    return int(shape.attributes["height"]) / HWPUNIT_PER_PT


# Advance widths in ems of NanumGothic, the substitute the export declares for 함초롬돋움 (as rhwp draws it).
NARROW_EMS = {**dict.fromkeys("0123456789", 0.606), ",": 0.303, ".": 0.303, "△": 0.94, " ": 0.28}


def _amount_width(text: str, size: float) -> float:
    return sum(NARROW_EMS[ch] for ch in text) * size


def test_amounts_and_header_words_fit_their_columns(exported: dict[str, HwpxResult]) -> None:
    # The look at rendered pages showed "28,967,7|93" in 예산 현황 (the front matter's tables, laid out by
    # content) and "주요사|업별" in 예산 집행 계획's header: amounts in those tables and the header's words
    # must fit their cells on one line. (The budget and summary tables have the PDF's fixed widths.)
    doc = HwpxDocument.open(exported[""].path)
    amount = re.compile(r"^△?\s?[\d,]+(\.\d+)?$")
    amounts = narrow_headers = 0
    for paragraph in doc.paragraphs:
        for table in paragraph.tables:
            fixed = table.cell(0, 0).text in ("사업명", "번호")
            for row in table.get_cell_map():
                for entry in row:
                    if not entry.is_anchor:
                        continue
                    width = _inner_width(table, entry.cell)
                    for p in entry.cell.paragraphs:
                        text = (p.text or "").strip()
                        size = _char_size(doc, p)
                        if amount.match(text) and not fixed:
                            amounts += 1
                            assert _amount_width(text, size) <= width, (text, size, width)
                        elif text in ("주요사업별", "설명자료"):
                            narrow_headers += 1
                            assert len(text) * size <= width, (text, size, width)
    assert amounts > 100 and narrow_headers == 2 * 33  # every budget table's header (none repeated in the XML)


def test_a_front_matter_total_row_is_shaded_as_the_budget_s(exported: dict[str, HwpxResult]) -> None:
    # As in the PDF: a front-matter table's 계 / 합계 / 총계 row is bold and shaded like a budget's 계 row.
    doc = HwpxDocument.open(exported[""].path)
    tables = [t for p in doc.paragraphs for t in p.tables]

    def row_boxes(table: Any, r: int) -> set[str]:
        return {e.cell.element.get("borderFillIDRef") for e in table.get_cell_map()[r] if e.is_anchor}

    budget = next(t for t in tables if t.cell(0, 0).text == "사업명")
    total_box = row_boxes(budget, budget.row_count - 1)
    assert len(total_box) == 1 and total_box != row_boxes(budget, 2)
    totals = [
        (t, r)
        for t in tables
        if t.cell(0, 0).text not in ("사업명", "번호")
        for r in range(t.row_count)
        if (t.cell(r, 0).text or "").replace(" ", "") in ("계", "합계", "총계")
    ]
    assert len(totals) >= 1  # 예산 현황 of the 2024 report
    for table, r in totals:
        assert row_boxes(table, r) == total_box, table.cell(0, 0).text
        assert row_boxes(table, r - 1) != total_box


def test_control_characters_in_stored_texts_are_dropped_not_a_crash(tmp_path: Path, report_2024: Report) -> None:
    # A text pasted from elsewhere may hold a vertical tab, a NUL, an escape sequence or a lone surrogate;
    # lxml refuses them all, and the export must not stop at them (the text export drops them too).
    import copy

    from seri_desktop.domain.model import Cell
    from seri_desktop.formats.hwpx import build_department_hwpx, build_report_hwpx

    report = copy.deepcopy(report_2024)
    program = report.program("1-1")
    assert program is not None and program.budget is not None
    program.title = "서울교육정책\x0b 연구\x01·나눔\ud800\uffff"
    program.achievements.append(OutlineItem(1, ItemKind.ITEM, "항목\x00\x1b[31m빨강"))
    program.budget.lines[0].name = "사업\x07명"
    program.budget.lines[0].quarters[0].amount = Cell.parse("1,000")
    report.institute = "서울특별시교육청\x0c교육연구정보원"
    whole = build_report_hwpx(report, tmp_path / "report.hwpx")
    part = build_department_hwpx(report, "교육정책연구소", tmp_path / "dept.hwpx")
    one = build_program_hwpx(report, "1-1", tmp_path / "one.hwpx")
    for result in (whole, part, one):
        assert not HwpxDocument.open(result.path).validate().issues
        assert ("1-1", "서울교육정책 연구·나눔") in bars(result.path)
        texts = all_paragraphs(result.path)
        assert "- 항목[31m빨강" in texts
        assert texts.count("사업명") >= 2  # the budget header's, and the line's own name without its bell
        assert not any(re.search("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]", t) for t in texts)
    doc = HwpxDocument.open(one.path)
    assert doc.parts.metadata.creator == "서울특별시교육청교육연구정보원"


def test_a_table_without_cells_prints_nothing_and_stops_nothing(tmp_path: Path, report_2024: Report) -> None:
    # A stored table item whose rows hold no cell (or a front-matter table of empty rows) divided by zero.
    import copy

    from seri_desktop.domain.model import SimpleTable
    from seri_desktop.formats.hwpx import build_report_hwpx

    report = copy.deepcopy(report_2024)
    program = report.program("1-1")
    assert program is not None
    program.achievements.append(OutlineItem(1, ItemKind.TABLE, "", [[]]))
    program.achievements.append(OutlineItem(1, ItemKind.TABLE, "", [[], []]))
    report.front.facilities = SimpleTable(header=[[]], rows=[[]])
    before = len(tables_of(build_program_hwpx(report_2024, "1-1", tmp_path / "before.hwpx").path))
    one = build_program_hwpx(report, "1-1", tmp_path / "one.hwpx")
    assert len(tables_of(one.path)) == before
    whole = build_report_hwpx(report, tmp_path / "whole.hwpx")
    assert not HwpxDocument.open(whole.path).validate().issues
