"""Typesetting on small hand-made reports and on the real outlines: line breaks, indents, tables."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import unescape

import pypdf
import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table

from seri_desktop.domain import model as m
from seri_desktop.domain.summary import report_outlines
from seri_desktop.formats.pdf import build_department_pdf, build_report_pdf
from seri_desktop.formats.pdf import styles as S
from seri_desktop.formats.pdf.flowables import Grid, Para
from seri_desktop.formats.pdf.outline import item_flowables
from seri_desktop.formats.pdf.styles import styles_for
from seri_desktop.formats.pdf.text import NBSP, join_lines, markup, protect
from seri_desktop.formats.pdf.typefaces import load_typefaces
from seri_desktop.formats.text_import import ImportResult

LONG_ITEM = (
    "학교 현장의 요구를 반영한 맞춤형 연수 과정을 개발하여 2024.3.4.부터 '24.3~12월까지 운영하고, "
    "참여 교원 1,234명의 만족도 조사 결과를 바탕으로 2025. 2. 28.까지 개선안을 마련"
)

# What must stay on one line: numbers and amounts, dates and periods without spaces, and the
# dates printed with spaces ("2024. 4.16.", "1958. 5. 21.").
TOKEN = re.compile(r"(?:\d{4}\.(?: \d{1,2}\.)(?: ?\d{1,2}\.?)?)|(?:△?'?\d[\d,.~'’]*\d(?:\.|월|일|%)?)")


def _line(name: str, current: int, quarters: list[int | str], notes: list[str]) -> m.BudgetLine:
    cells = [m.Cell.amount(q) if isinstance(q, int) else m.Cell.parse(q) for q in quarters]
    return m.BudgetLine(
        name,
        m.Cell.amount(current),
        m.Cell.amount(current - 1000),
        [m.Quarter(c, n) for c, n in zip(cells, notes, strict=True)],
        "77",
    )


def small_report(*, as_of: dt.date | None = dt.date(2024, 6, 30), lines: int = 2) -> m.Report:
    """One department, one chapter, one program with a long item, notes and a budget."""
    budget_lines = [
        _line("운영비", 50_000, [10_000, 20_000, 15_000, 5_000], ["연수 운영", "", "보고서 심사", "결과 공유"]),
        _line("감액 조정", -2_000, [-2_000, "-", "재배정", "-"], ["", "", "", ""]),
    ]
    budget_lines += [
        _line(f"추가 사업 {n}", 1_000, [250, 250, 250, 250], ["자료 구입", "", "", ""]) for n in range(lines - 2)
    ]
    program = m.Program(
        code="1-1",
        title="교원 연수 지원",
        department="연구부",
        previous_achievements=[
            m.OutlineItem(1, m.ItemKind.ITEM, LONG_ITEM),
            m.OutlineItem(2, m.ItemKind.ITEM, "세부 항목\n줄바꿈된 원문"),
            m.OutlineItem(2, m.ItemKind.NOTE, "참고 사항"),
            m.OutlineItem(1, m.ItemKind.FOOTNOTE, "*두 번째 각주"),
        ],
        budget=m.BudgetTable(
            as_of=as_of,
            lines=budget_lines,
            # A wrong printed total: the PDF must show the computed one.
            printed_total=m.BudgetTotal(m.Cell.amount(999_999), m.Cell.amount(1), [m.Cell.amount(7)] * 4),
        ),
    )
    return m.Report(
        year=2024,
        meeting="제1회 시험",
        institute="시험 기관",
        as_of=as_of,
        departments=[m.Department("연구부", 1, results=[m.OutlineItem(1, m.ItemKind.ITEM, "성과 항목")])],
        chapters=[
            m.Chapter(
                1,
                "시험 장",
                "연구부",
                [program],
                [m.AuthorBlock(0, [m.AuthorEntry("연구부장", "홍길동", "3111-100", "연구부")])],
            )
        ],
    )


def _texts_with_positions(path: Path) -> list[list[tuple[float, float, float, str]]]:
    """Per page: (x, y, font size, text) of every text run, via pypdf's visitor."""
    pages: list[list[tuple[float, float, float, str]]] = []
    for page in pypdf.PdfReader(path).pages:
        runs: list[tuple[float, float, float, str]] = []

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float, runs: list[Any] = runs) -> None:
            if text.strip():
                runs.append((round(tm[4] + cm[4], 1), round(tm[5] + cm[5], 1), size * tm[0], text.strip()))

        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("small") / "small.pdf"
    build_department_pdf(small_report(), "연구부", path)
    return path


def _wrapped_lines(paragraph: Paragraph, width: float) -> list[str]:
    paragraph.wrap(width, 10_000)
    bl = paragraph.blPara
    if bl.kind == 0:
        return [" ".join(words) for _, words in bl.lines]
    return ["".join(getattr(f, "text", "") for f in line.words) for line in bl.lines]


def _split_tokens(text: str, lines: list[str]) -> list[str]:
    """Tokens of ``text`` that the line breaks cut in two (a token must sit whole on one line)."""
    text = unescape(re.sub(r"<[^>]+>", "", text))  # the paragraph's markup, as plain text
    flat = " ".join(text.replace(NBSP, " ").split())
    plain = [" ".join(line.replace(NBSP, " ").split()) for line in lines]
    assert "".join(plain).replace(" ", "") == flat.replace(" ", ""), "wrapping must not change the text"
    return [hit.group(0) for hit in TOKEN.finditer(flat) if not any(hit.group(0) in line for line in plain)]


def test_line_breaks_never_split_a_number_or_a_date(imported_2024: ImportResult) -> None:
    st = styles_for(load_typefaces())
    items = [
        item
        for outline in report_outlines(imported_2024.report)
        for item in outline
        if item.kind in (m.ItemKind.ITEM, m.ItemKind.NOTE) and re.search(r"\d", item.text)
    ]
    items.append(m.OutlineItem(1, m.ItemKind.ITEM, LONG_ITEM))
    assert len(items) > 500
    split: list[str] = []
    cjk_split: list[str] = []
    for item in items:
        # Frames from far narrower than any real one to the full body width.
        for width in (200, 260, 330, 400, S.BODY_WIDTH):
            (paragraph,) = item_flowables(item, st, width)
            split += _split_tokens(paragraph.text, _wrapped_lines(paragraph, width))
            if width == 330:
                cjk = ParagraphStyle("cjk", parent=paragraph.style, wordWrap="CJK")
                cjk_split += _split_tokens(paragraph.text, _wrapped_lines(Paragraph(paragraph.text, cjk), width))
    assert split == []
    # The check has teeth: reportlab's CJK wrapping, which breaks anywhere, fails it.
    assert len(cjk_split) > 20


def test_spaced_dates_and_ranges_get_no_break_spaces() -> None:
    assert protect("(교육부, 2024. 4.16.) 발표") == f"(교육부, 2024.{NBSP}4.16.) 발표"
    assert protect("1958. 5. 21. 설치") == f"1958.{NBSP}5.{NBSP}21. 설치"
    assert protect("'24.3 ~ '25.2월 운영") == f"'24.3{NBSP}~{NBSP}'25.2월 운영"
    assert protect("13건, 10건") == "13건, 10건"
    assert join_lines("서울특별시교육연구원 설치\n(현 위치로 이전)") == "서울특별시교육연구원 설치 (현 위치로 이전)"


def test_wrapped_lines_align_with_the_text_not_the_marker(small_pdf: Path) -> None:
    (runs,) = [page for page in _texts_with_positions(small_pdf) if any("학교 현장의" in r[3] for r in page)]
    first = next(r for r in runs if r[3].startswith("학교 현장의 요구를"))
    marker = next(r for r in runs if r[3] == "-" and abs(r[1] - first[1]) < 1)
    # The line right below the first one is its continuation.
    rest = [r for r in runs if first[1] - 1.5 * S.BODY_LEADING < r[1] < first[1] - 1]
    assert len(rest) == 1, rest
    assert marker[0] < first[0] - 5
    assert all(abs(r[0] - first[0]) < 0.5 for r in rest), (first, rest)


def test_wrapped_source_lines_are_joined_with_a_space(small_pdf: Path) -> None:
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(small_pdf).pages)
    assert "세부 항목 줄바꿈된 원문" in text
    assert "※ 참고 사항" in text or "※참고 사항" in text
    assert "** 두 번째 각주" in text or "**두 번째 각주" in text


def test_budget_cells_notes_and_the_computed_total(small_pdf: Path) -> None:
    pages = _texts_with_positions(small_pdf)
    runs = [r for page in pages for r in page]
    texts = [r[3] for r in runs]
    text = " ".join(texts)
    assert "△2,000" in texts and "재배정" in texts
    # 계 is computed from the lines (48,000 ...), never the printed 999,999.
    assert "999,999" not in text
    total = texts.index("계")
    assert texts[total + 1 : total + 7] == ["48,000", "46,000", "8,000", "20,000", "15,000", "5,000"]
    # Each quarter's note sits under its amount, in a smaller size.
    amount = next(r for r in runs if r[3] == "10,000")
    note = next(r for r in runs if r[3] == "연수 운영")
    assert note[1] < amount[1] and note[2] < amount[2]
    assert abs((note[0] + 20) - amount[0]) < 60  # same column
    assert "(단위: 천원, '24.6.30.기준)" in text
    assert text.index("집행액 / 집행내용") < text.index("집행예정액 / 집행내용")


@pytest.mark.parametrize(
    ("as_of", "present", "absent"),
    [
        (None, "집행예정액 / 집행내용", "집행액 / 집행내용"),
        (dt.date(2024, 12, 31), "집행액 / 집행내용", "집행예정액 / 집행내용"),
    ],
)
def test_budget_header_follows_the_as_of_date(tmp_path: Path, as_of: dt.date | None, present: str, absent: str) -> None:
    path = tmp_path / "b.pdf"
    build_department_pdf(small_report(as_of=as_of), "연구부", path)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    assert present in text and absent not in text


def test_a_table_that_breaks_repeats_its_header_rows(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    result = build_department_pdf(small_report(lines=70), "연구부", path)
    texts = [p.extract_text() for p in pypdf.PdfReader(path).pages]
    budget_pages = [t for t in texts[result.program_pages["1-1"] - 1 :] if "추가 사업" in t]
    assert len(budget_pages) >= 2
    for text in budget_pages:
        assert "사업명" in text and "1분기" in text and "집행예정액 / 집행내용" in text
    assert "추가 사업 67" in budget_pages[-1] and "계" in budget_pages[-1].split()


def test_summary_and_contents_of_a_small_report(tmp_path: Path) -> None:
    report = small_report()
    path = tmp_path / "whole.pdf"
    result = build_report_pdf(report, path)
    reader = pypdf.PdfReader(path)
    assert result.pages == len(reader.pages)
    summary = next(
        p.extract_text()
        for p in reader.pages
        if "6. 주요업무별 예산 내역" in p.extract_text() and "번호" in p.extract_text()
    )
    row = re.search(r"1-1\s+교원 연수 지원\s+48,000\s+46,000\s+8,000\s+20,000\s+15,000\s+5,000\s+(\d+)", summary)
    assert row and int(row.group(1)) == result.program_pages["1-1"]


def _frag_dicts(paragraph: Paragraph) -> list[dict[str, Any]]:
    return [dict(vars(f)) for f in paragraph.frags]


def test_plain_paragraphs_skip_the_parser_and_come_out_the_same(imported_2024: ImportResult) -> None:
    # Para builds a plain text's fragment from the style (flowables._plain_frags); reportlab's
    # parser must make exactly the same of every line of the real report, in every kind of style.
    st = styles_for(load_typefaces())
    styles = [st.item(0), st.item(1, note=True), st.text(2), st.note, st.cell, st.cell_head, st.heading, st.caption]
    texts = [item.text for outline in report_outlines(imported_2024.report) for item in outline]
    texts += [p.title for p in imported_2024.report.programs()]
    plain = 0
    for text in texts:
        for style in styles:
            source = markup(text, style.fontName, st.faces)
            ours = Para(source, style, bulletText="○")
            theirs = Paragraph(source, style, bulletText="○")
            plain += ours.frags is not None and "<" not in source and "&" not in source
            assert (ours.text, _frag_dicts(ours)) == (theirs.text, _frag_dicts(theirs)), source
            assert ours.wrap(300, 1000) == theirs.wrap(300, 1000), source
            # Lines of a one-fragment paragraph are (free width, words) tuples; others went through the parser.
            assert ours.blPara.kind == theirs.blPara.kind
            if ours.blPara.kind == 0:
                assert ours.blPara.lines == theirs.blPara.lines, source
    # It has teeth: most lines are plain and took the short way.
    assert plain > 0.8 * len(texts) * len(styles)


def test_a_table_measured_twice_at_a_width_is_measured_once_and_never_from_a_partial_measure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    st = styles_for(load_typefaces())
    rows = [[Para(f"{n}번째 줄의 내용 " * (1 + n % 3), st.cell), Para(str(n), st.cell)] for n in range(60)]
    # A cell spanning two rows: with it reportlab's longTableOptimize stops measuring rows that overflow.
    span = [("SPAN", (1, 0), (1, 1))]
    full = Table(rows, colWidths=[250, 50], style=span).wrap(300, 100_000)
    calls: list[float] = []
    measure = Table._calc

    def counted(self: Table, width: float, height: float) -> None:
        calls.append(height)
        measure(self, width, height)

    monkeypatch.setattr(Table, "_calc", counted)
    grid = Grid(rows, colWidths=[250, 50], style=span)
    # Little room: reportlab stops measuring rows once they overflow; that is not kept.
    partial = grid.wrap(300, 60)
    assert partial[1] < full[1]
    assert grid.wrap(300, 100_000) == full
    assert grid.wrap(300, 500) == full and grid.wrap(300, 100_000) == full
    assert len(calls) == 2  # the partial measure, then once for the whole table
    # A split measures for its own height; afterwards the table is measured again.
    parts = grid.split(300, 400)
    assert len(parts) == 2
    assert grid.wrap(300, 100_000) == full
    assert len(calls) > 3
