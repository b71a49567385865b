"""The layout a reviewer notices (issue 17), on the real 2024 report and on small reports made to provoke it.

Each test names the defect it keeps from coming back: literal ``**``, header
words broken mid-word, nearly empty pages, the 예산 현황 계 row not styled as
a total, one-word second lines on chapter title pages and a title block high
above a gap, budget cells top-aligned beside centred budgets, 7 pt notes,
amounts touching borders, ※ notes at the indent of their sibling items, and
5-3's small table with an unshaded second header row and unmerged cells.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from seri_desktop.domain import model as m
from seri_desktop.domain.summary import report_outlines
from seri_desktop.formats.pdf import build_department_pdf
from seri_desktop.formats.pdf import styles as S
from seri_desktop.formats.pdf.styles import styles_for
from seri_desktop.formats.pdf.tables import grid_table, split_header
from seri_desktop.formats.pdf.text import label_pieces, unspace
from seri_desktop.formats.pdf.typefaces import load_typefaces
from seri_desktop.formats.text_import import ImportResult

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import BuiltPdf, Run

    from seri_desktop.formats.pdf import PdfResult

    ReadPdf = Callable[[Path, PdfResult], BuiltPdf]

pytestmark = pytest.mark.acceptance

FRAME_TOP = S.PAGE_HEIGHT - S.MARGIN_TOP
MIN_FILL = 0.15


def _page_with(pdf: BuiltPdf, title: str) -> int:
    """The 0-based page a bookmark leads to."""
    return dict(_bookmark_pages(pdf))[title] - 1


def _fill(runs: list[Run]) -> float:
    """How far down the body frame the page's text reaches (0: empty, 1: to the bottom margin)."""
    body = [r for r in runs if r.y > S.FOOTER_BASELINE + 5]
    if not body:
        return 0.0
    return (FRAME_TOP - min(r.y for r in body)) / S.BODY_HEIGHT


# -- p.96 (5-7): literal ** ----------------------------------------------------------------------------


def test_emphasis_prints_in_bold_without_its_stars(whole_pdf: BuiltPdf) -> None:
    start = whole_pdf.result.program_pages["5-7"] - 1
    text = whole_pdf.squash(" ".join(whole_pdf.texts[start : start + 2]))
    assert "교육행정정보(나이스,K-에듀파인등)" in text
    assert "**교육행정정보" not in text and "교육행정정보**" not in text
    runs = [r for r in whole_pdf.runs(start) if r.text.startswith("교육행정정보")]
    assert runs and all("Bold" in r.font for r in runs), runs
    # A footnote's "**" is a mark, not emphasis: it stays (5-4's "** 인공지능 ...", 5-x "'23.9.13.**").
    everything = " ".join(whole_pdf.texts)
    assert re.search(r"\*\*\s*인공지능 맞춤형", everything)


def test_no_page_prints_a_pair_of_stars_around_a_word(whole_pdf: BuiltPdf) -> None:
    assert not [n + 1 for n, t in enumerate(whole_pdf.texts) if re.search(r"\*\*[^\s*][^*]*?[^\s*]\*\*", t)]


# -- p.4: staffing header words ------------------------------------------------------------------------


def test_staffing_header_words_are_not_broken_inside_a_word(whole_pdf: BuiltPdf) -> None:
    page = _page_with(whole_pdf, "3. 정·현원")
    lines = [line.strip() for line in whole_pdf.texts[page].splitlines()]
    # The labels of the issue, whole, and none of their broken forms.
    for label in ("교육전문직", "소계", "구분", "정원", "현원"):
        assert any(label in line.replace(" ", "") for line in lines), label
    text = whole_pdf.texts[page]
    for broken in ("교육전 문직", "교육전\n문직", "사무운\n영직", "소\n계", "정\n원", "16\n6"):
        assert broken not in text, broken
    # Letter-spacing from the source is closed up.
    assert "교 육" not in text and "사 서 직" not in text and "소 계" not in text


def test_every_printed_table_header_breaks_only_between_word_parts(imported_2024: ImportResult) -> None:
    """Each header cell line is made of whole pieces (words, two-syllable parts): never half a part."""
    st = styles_for(load_typefaces())
    report = imported_2024.report
    tables = [
        (t.header, t.rows) for t in (report.front.staffing, report.front.facilities, report.front.budget_overview)
    ]
    for outline in report_outlines(report):
        for item in outline:
            if item.kind is m.ItemKind.TABLE and item.table:
                tables.append(split_header([r for r in item.table if any(c.strip() for c in r)]))
    checked = 0
    for header, rows in tables:
        table = grid_table(header, rows, st, S.BODY_WIDTH - 20)
        table.wrap(S.BODY_WIDTH - 20, 10_000)
        for r, row in enumerate(table._cellvalues[: len(header)]):
            for c, value in enumerate(row):
                label = unspace(header[r][c]) if c < len(header[r]) else ""
                if not label:
                    continue
                span = getattr(table, "_spanRanges", {}).get((c, r))
                width = sum(table._colWidths[span[0] : span[2] + 1]) if span else table._colWidths[c]
                lines = _cell_lines(value, width)
                pieces = set(label_pieces(label))
                for line in lines:
                    parts = _as_pieces(line.replace(" ", ""), pieces)
                    assert parts is not None, (label, lines)
                checked += 1
    assert checked > 40


def _cell_lines(value: object, width: float) -> list[str]:
    if isinstance(value, tuple | list):
        (value,) = value
    if isinstance(value, str):
        return [value]
    assert isinstance(value, Paragraph)
    value.wrap(width, 10_000)
    bl = value.blPara
    if bl.kind == 0:
        return [" ".join(words) for _, words in bl.lines]
    return ["".join(getattr(f, "text", "") for f in line.words) for line in bl.lines]


def _as_pieces(line: str, pieces: set[str]) -> list[str] | None:
    """``line`` as a sequence of whole ``pieces``, or None when it cuts one."""
    if not line:
        return []
    for piece in sorted(pieces, key=len, reverse=True):
        bare = piece.replace(" ", "")
        if bare and line.startswith(bare):
            rest = _as_pieces(line[len(bare) :], pieces)
            if rest is not None:
                return [piece, *rest]
    return None


# -- p.70, p.7, p.81/82: nearly empty pages --------------------------------------------------------------


def test_no_page_is_filled_less_than_fifteen_percent_except_a_chapters_end(whole_pdf: BuiltPdf) -> None:
    marks = _bookmark_pages(whole_pdf)
    chapter_pages = {page for title, page in marks if re.match(r"^\d+\. ", title) and page > 16}
    # A chapter ends on the page before the next chapter's title page (and the report on its last page).
    chapter_ends = {page - 1 for page in chapter_pages} | {len(whole_pdf.texts)}
    thin = []
    for index in range(1, len(whole_pdf.texts)):
        page = index + 1
        if page in chapter_ends or page in chapter_pages:
            continue
        fill = _fill(whole_pdf.runs(index))
        if fill < MIN_FILL:
            thin.append((page, round(fill, 3)))
    assert thin == []


def _bookmark_pages(pdf: BuiltPdf) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append((item.title, pdf.reader.get_destination_page_number(item) + 1))  # type: ignore[attr-defined]

    walk(pdf.reader.outline)
    return out


def test_a_program_that_spills_two_lines_does_not_leave_them_alone_on_a_page(tmp_path: Path, read_pdf: ReadPdf) -> None:
    # Item counts from filling one page to spilling onto a second, whatever the exact metrics.
    pages = set()
    for count in range(36, 56):
        path = tmp_path / f"spill{count}.pdf"
        pdf = read_pdf(path, build_department_pdf(_outline_report(count), "연구부", path, workers=1))
        pages.add(len(pdf.texts))
        assert _fill(pdf.runs(len(pdf.texts) - 1)) >= MIN_FILL, (count, len(pdf.texts))
    assert len(pages) == 2  # the range did cross onto a second page


def _outline_report(items: int) -> m.Report:
    outline = [
        m.OutlineItem(1, m.ItemKind.ITEM, f"항목 {n}: 학교 현장의 요구를 반영한 연수 과정 운영") for n in range(items)
    ]
    program = m.Program("1-1", "넘치는 사업", "연구부", achievements=outline)
    return m.Report(
        year=2024,
        departments=[m.Department("연구부", 1)],
        chapters=[m.Chapter(1, "시험 장", "연구부", [program])],
    )


# -- p.5: 예산 현황 계 row ------------------------------------------------------------------------------


def test_the_budget_overview_total_row_is_styled_as_a_total(whole_pdf: BuiltPdf, imported_2024: ImportResult) -> None:
    page = _page_with(whole_pdf, "5. 예산 현황")
    runs = whole_pdf.runs(page)
    total = imported_2024.report.front.budget_overview.rows[-1]
    assert total[0] == "계"
    row = [r for r in runs if r.text in total[1:]]
    assert row and all("Bold" in r.font for r in row), row
    other = next(r for r in runs if r.text == "3,135,576")  # an ordinary row: not bold
    assert "Bold" not in other.font
    # The same table style as every other total row: bold on the total tint.
    st = styles_for(load_typefaces())
    overview = imported_2024.report.front.budget_overview
    table = grid_table(overview.header, overview.rows, st, S.BODY_WIDTH)
    last = len(overview.header) + len(overview.rows) - 1
    assert any(
        cmd[0] == "BACKGROUND" and cmd[1] == (0, last) and cmd[3] == S.TOTAL_FILL
        for cmd in table._bkgrndcmds  # reportlab keeps background commands here
    )


# -- chapter title pages ------------------------------------------------------------------------------


def test_chapter_titles_wrap_into_even_lines_and_sit_lower(whole_pdf: BuiltPdf, imported_2024: ImportResult) -> None:
    checked = 0
    for chapter in imported_2024.report.chapters:
        page = _page_with(whole_pdf, f"{chapter.number}. {chapter.title}")
        lines = whole_pdf.lines(page)
        title = [line for line in lines if line.size > 15 and line.text != str(chapter.number)]
        assert whole_pdf.squash("".join(t.text for t in title)) == whole_pdf.squash(chapter.title)
        if len(title) > 1:
            words = chapter.title.split()
            for line in title:
                # Whole words only, and never a lone word on a line of its own.
                taken = []
                while words and whole_pdf.squash("".join(taken)) != whole_pdf.squash(line.text):
                    taken.append(words.pop(0))
                assert whole_pdf.squash("".join(taken)) == whole_pdf.squash(line.text), (line.text, taken)
                assert len(taken) >= 2, (chapter.number, [t.text for t in title])
            checked += 1
        # The title block sits a share of the way down the free space, not right under the top margin.
        top_gap = FRAME_TOP - max(t.y + t.size for t in title)
        listed = [line for line in lines if re.match(rf"{chapter.number}-\d+\.", line.text)]
        assert listed
        # Down to the author block (its first line), or the foot of the frame when the chapter has none.
        below = [line.y + line.size for line in lines if line.y < min(x.y for x in listed) and line.y > S.MARGIN_BOTTOM]
        bottom_gap = min(line.y for line in listed) - max(below, default=S.MARGIN_BOTTOM)
        assert top_gap >= 0.25 * (top_gap + bottom_gap), (chapter.number, top_gap, bottom_gap)
    assert checked >= 2  # 2024 has chapter titles that take two lines


# -- budget tables ---------------------------------------------------------------------------------------


def _budget_report() -> m.Report:
    line = m.BudgetLine(
        "운영비",
        m.Cell.amount(1_709_932),
        m.Cell.parse("-"),
        [
            m.Quarter(m.Cell.amount(1_709_239), "시도분담금"),
            m.Quarter(m.Cell.parse("-"), ""),
            m.Quarter(m.Cell.amount(376), "사업추진비 등 외부 연수 및 자체 연수 행사 경비"),
            m.Quarter(m.Cell.parse("-"), ""),
        ],
        "1951",
    )
    program = m.Program("1-1", "예산 사업", "연구부", budget=m.BudgetTable(lines=[line]))
    return m.Report(
        year=2024, departments=[m.Department("연구부", 1)], chapters=[m.Chapter(1, "장", "연구부", [program])]
    )


def test_budget_cells_are_centred_on_the_row_and_notes_are_legible(tmp_path: Path, read_pdf: ReadPdf) -> None:
    path = tmp_path / "budget.pdf"
    pdf = read_pdf(path, build_department_pdf(_budget_report(), "연구부", path, workers=1))
    runs = [r for n in range(len(pdf.texts)) for r in pdf.runs(n)]
    budget = next(r for r in runs if r.text == "1,709,932")
    page_cell = next(r for r in runs if r.text == "1951")
    dashes = [r for r in runs if r.text == "-" and abs(r.y - budget.y) < 40]
    # A quarter without a note: its "-" on the budget's line, not at the top of the cell.
    assert any(abs(d.y - budget.y) < 0.6 for d in dashes), (budget, dashes)
    assert abs(page_cell.y - budget.y) < 0.6
    # A quarter with a note: the amount above the row's middle, its note below, in at least 8 pt.
    amount = next(r for r in runs if r.text == "1,709,239")
    note = next(r for r in runs if r.text == "시도분담금")
    assert amount.y > budget.y > note.y
    assert note.size >= 8 and note.size < amount.size
    notes = [r for r in runs if "연수" in r.text]
    assert notes and all(r.size >= 8 for r in notes)


def test_amounts_keep_clear_of_the_cell_borders(whole_pdf: BuiltPdf, imported_2024: ImportResult) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    faces = load_typefaces()
    page = _page_with(whole_pdf, "6. 주요업무별 예산 내역")
    runs = [r for r in whole_pdf.runs(page + 1) if re.fullmatch(r"△?\d{1,3}(,\d{3})+", r.text)]
    assert runs
    # Right-aligned amounts end on the same x per column; every column keeps its padding on the right.
    ends = sorted({round(r.x + stringWidth(r.text, faces.sans, r.size), 1) for r in runs})
    columns = [e for e in ends if sum(1 for x in ends if abs(x - e) < 1) >= 1]
    starts = sorted({r.x for r in runs})
    for end in columns:
        later = [s for s in starts if s > end]
        if later:
            assert min(later) - end >= 2 * S.AMOUNT_PAD_X - 0.5, (end, min(later))


# -- ※ notes under the item they annotate ------------------------------------------------------------------


def test_a_note_sits_under_the_text_of_the_item_it_annotates(tmp_path: Path, read_pdf: ReadPdf) -> None:
    items = [
        m.OutlineItem(1, m.ItemKind.ITEM, "첫째 항목"),
        m.OutlineItem(1, m.ItemKind.NOTE, "첫째 항목의 주석"),
        m.OutlineItem(1, m.ItemKind.ITEM, "둘째 항목"),
        m.OutlineItem(2, m.ItemKind.ITEM, "둘째 항목의 세부"),
        m.OutlineItem(0, m.ItemKind.NOTE, "세부에 단 주석"),
    ]
    program = m.Program("1-1", "주석 사업", "연구부", achievements=items)
    report = m.Report(
        year=2024, departments=[m.Department("연구부", 1)], chapters=[m.Chapter(1, "장", "연구부", [program])]
    )
    path = tmp_path / "notes.pdf"
    pdf = read_pdf(path, build_department_pdf(report, "연구부", path, workers=1))
    runs = [r for n in range(len(pdf.texts)) for r in pdf.lines(n)]

    def at(text: str) -> Run:
        return next(r for r in runs if r.text.endswith(text) or r.text == text)

    first = at("첫째 항목")
    first_dash = next(r for r in runs if r.text == "-" and abs(r.y - first.y) < 1)
    note = next(r for r in runs if r.text == "※" and r.y < first.y)
    # Under the item's text, right of the sibling items' dash.
    assert abs(note.x - first.x) < 1 and note.x > first_dash.x + 3
    detail = at("둘째 항목의 세부")
    last_note = [r for r in runs if r.text == "※"][-1]
    assert abs(last_note.x - detail.x) < 1


def test_2024_notes_are_right_of_the_dash_of_the_item_before_them(whole_pdf: BuiltPdf) -> None:
    # 5-3 근거: "※ 스쿨넷서비스 종류 …" annotates "- 4단계 스쿨넷서비스 제공사업 협약서 …".
    start = whole_pdf.result.program_pages["5-3"] - 1
    lines = whole_pdf.lines(start)
    item = next(r for r in lines if r.text.startswith("4단계 스쿨넷서비스 제공사업 협약서"))
    dash = next(r for r in lines if r.text == "-" and abs(r.y - item.y) < 1)
    note = next(r for r in lines if r.text == "※" and r.y < item.y)
    assert note.x > dash.x + 3 and abs(note.x - item.x) < 1


# -- 5-3's small table -------------------------------------------------------------------------------------


def test_a_small_tables_second_header_row_is_shaded_merged_and_centred(whole_pdf: BuiltPdf) -> None:
    rows = [
        [
            "구분",
            "교육부 특교",
            "",
            "",
            "혁신학교등 무선사업",
            "전교실 무선망구축",
            "스쿨넷 사업",
            "신규 구축 노후 교체",
        ],
        ["", "1,2차", "3차", "4차", "", "", "", ""],
        ["시기", "-", "-", "-", "2020년", "2021년~ 2022년", "2022년", "2023년"],
        ["대수", "1,288", "200", "1,502", "4,284", "65,665", "4,194", "6,774"],
    ]
    header, body = split_header(rows)
    assert len(header) == 2 and len(body) == 2
    st = styles_for(load_typefaces())
    table = grid_table(header, body, st, S.BODY_WIDTH)
    spans = {(cmd[1], cmd[2]) for cmd in table._spanCmds}
    assert ((0, 0), (0, 1)) in spans  # 구분 over both header rows
    assert ((1, 0), (3, 0)) in spans  # 교육부 특교 over its three sub-columns
    assert all(((c, 0), (c, 1)) in spans for c in range(4, 8))  # the single labels over both rows
    shaded = [cmd for cmd in table._bkgrndcmds if cmd[3] == S.HEADER_FILL]
    assert any(cmd[1] == (0, 0) and cmd[2] == (-1, 1) for cmd in shaded)
    # The PDF: the second header row in bold, the data centred under their labels.
    page = whole_pdf.result.program_pages["5-3"] - 1
    runs = whole_pdf.runs(page)
    sub = [r for r in runs if r.text in ("1,2차", "3차", "4차")]
    assert len(sub) == 3 and all("Bold" in r.font for r in sub)
    for c in range(1, 8):
        assert table._cellStyles[2][c].alignment == "CENTER", c
        assert table._cellStyles[3][c].alignment == "CENTER", c


def test_chapter_title_page_keeps_its_author_blocks_at_the_foot(whole_pdf: BuiltPdf) -> None:
    page = _page_with(whole_pdf, "Ⅲ. 주요업무") + 1  # the first chapter's title page
    runs = whole_pdf.runs(page)
    caption = next(r for r in runs if r.text == "작성자")
    assert caption.y < S.MARGIN_BOTTOM + 80 * mm


def test_the_body_frame_copies_as_a_deep_copy_does() -> None:
    # platypus measures kept-together content in a deep copy of the frame; ours is copied by hand.
    import copy

    from reportlab.platypus import Frame

    from seri_desktop.formats.pdf.document import BodyFrame

    ours, theirs = BodyFrame(10, 20, 300, 400, id="body"), Frame(10, 20, 300, 400, id="body")
    for frame in (ours, theirs):
        frame._frameBGs = [("red", 0, 0)]
        frame._y -= 55.5
        frame._atTop = 0
    copied, expected = copy.deepcopy(ours), copy.deepcopy(theirs)
    assert type(copied) is BodyFrame and copied is not ours
    assert copied.__dict__ == expected.__dict__
    assert copied._frameBGs is not ours._frameBGs  # a list is copied, not shared
    copied._y -= 10
    copied._frameBGs.append(("blue", 1, 1))
    assert ours._y == theirs._y and ours._frameBGs == [("red", 0, 0)]
