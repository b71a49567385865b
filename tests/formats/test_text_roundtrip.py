"""The text format is unambiguous: whatever an item, a title or a cell holds, export → import gives it back.

A property-based test puts hostile text (lines that look like part, chapter
and program headings, outline markers, table rows, 작성자 lines, page
numbers, backslashes, spaces at either end) into every kind of field the
text format writes, exports the report, imports the export and asserts the
same report, with no warning. The concrete injection of issue 12 (a section
II item that holds "Ⅲ. 주요업무" and program headers) is tested on the real
2024 report.
"""

from __future__ import annotations

import copy
import dataclasses
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seri_desktop.domain import template as T
from seri_desktop.domain.model import (
    MAX_OUTLINE_LEVEL,
    Cell,
    CellKind,
    HistoryEntry,
    ItemKind,
    Outline,
    OutlineItem,
    Report,
    TargetRow,
)
from seri_desktop.formats import text_format as tf
from seri_desktop.formats.text_export import export_report_text
from seri_desktop.formats.text_import import ImportResult, import_report_file, parse_report_text

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample-report.txt"

# Pieces a hostile or unlucky user could type; joined at random into one field.
FRAGMENTS = [
    "Ⅲ. 주요업무",
    "III. 주요업무",
    "II 업무 평가 및 개선 방향",
    "Ⅱ. 업무 평가",
    "I",
    "Ⅰ",
    "일반 현황",
    "Ⅳ. 기타",
    "1. ",
    "2. 학교평가",
    "1-1 ",
    "1-2 가짜 사업",
    "2-3. ",
    "- 1-1. 목록",
    "3 기획평가부",
    "□ ",
    "○ ",
    "◦",
    "- ",
    " - ",
    "  - ",
    "-",
    "·",
    "※ ",
    "* ",
    "*",
    "**",
    "**추진 목표**",
    "\t",
    "\n",
    "작성자",
    "작 성 자",
    "사업 개요",
    "추진 목표",
    "추진 계획",
    "추진 실적",
    "추진 일정",
    "예산 집행 계획",
    "문제점 및 애로 사항",
    "2024년 추진 실적",
    "2025년 주요 개선 사항",
    "목적",
    "근거",
    "주요 내용",
    "성과",
    "한계",
    "개선 방향",
    "1. 연 혁",
    "2. 조직",
    "5. 예산 현황",
    "(단위: 천원, '25.6.30.기준)",
    "(단위",
    "계",
    "사업명",
    "세부사업명",
    "물량 (",
    ")",
    "홍길동 ☎ 123",
    "- 12 -",
    "12",
    "62,557 ",
    "재배정",
    "△1,234",
    "\\",
    "\\n",
    "\\t",
    "\\ ",
    " ",
    "  ",
    "\u3000",
    '=HYPERLINK("x")',
    "+1",
    "@SUM(A1)",
    "'",
    "2001. 3. 2.",
]
_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
text_value = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(_CHARS, max_size=4)), max_size=6).map("".join)
line_value = text_value.map(lambda s: s.replace("\n", " "))  # fields the model keeps on one line


@st.composite
def outline_items(draw: st.DrawFn) -> OutlineItem:
    kinds = [ItemKind.ITEM, ItemKind.ITEM, ItemKind.NOTE, ItemKind.FOOTNOTE, ItemKind.TEXT, ItemKind.TABLE]
    kind = draw(st.sampled_from(kinds))
    if kind is ItemKind.TABLE:
        # A table in an outline: rows of two or more cells, at any level.
        rows = draw(st.lists(st.lists(line_value, min_size=2, max_size=4), min_size=1, max_size=3))
        return OutlineItem(draw(st.integers(0, MAX_OUTLINE_LEVEL)), ItemKind.TABLE, "", rows)
    level = 0 if kind is ItemKind.TEXT else draw(st.integers(0, MAX_OUTLINE_LEVEL))
    return OutlineItem(level, kind, draw(text_value))


def _separate_tables(items: list[OutlineItem]) -> list[OutlineItem]:
    """Two tables in a row are one table in the text: keep the first of each run."""
    return [
        item
        for n, item in enumerate(items)
        if not (n and item.kind is ItemKind.TABLE and items[n - 1].kind is ItemKind.TABLE)
    ]


outlines = st.lists(outline_items(), max_size=4).map(_separate_tables)


@pytest.fixture(scope="module")
def sample() -> Report:
    result = import_report_file(SAMPLE)
    assert result.warnings == []
    return result.report


def _round_trip(report: Report) -> ImportResult:
    return parse_report_text(export_report_text(report))


def _differences(a: object, b: object, path: str = "") -> list[str]:
    """The paths where two model objects differ, for a readable failure.

    Fields that equality leaves out (``compare=False``: the permanent ids, which
    the text format does not carry) are left out here too.
    """
    if dataclasses.is_dataclass(a) and not isinstance(a, type) and type(a) is type(b):
        return [
            d
            for f in dataclasses.fields(a)
            if f.compare
            for d in _differences(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
        ]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} → {b!r}"]


def _drop_unprinted_hints(report: Report) -> Report:
    """The report without heading hints of sections that hold nothing (they are not printed, so not kept)."""
    report = copy.deepcopy(report)
    for program in report.programs():
        headings = program.layout.get("headings")
        if not isinstance(headings, dict):
            continue
        for section in T.PROGRAM_SECTIONS:
            if section.key in headings and not any(T.get(program, part) for part in section.parts):
                del headings[section.key]
        if not headings:
            del program.layout["headings"]
    return report


def assert_same(result: ImportResult, report: Report) -> None:
    expected = _drop_unprinted_hints(report)
    assert _differences(expected, result.report) == []
    assert result.report == expected


# SERI_FUZZ_EXAMPLES raises the number of examples for a longer hunt (the suite runs 150).
FUZZ = settings(
    max_examples=int(os.environ.get("SERI_FUZZ_EXAMPLES", "150")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@FUZZ
@given(data=st.data())
def test_outline_texts_come_back_unchanged(sample: Report, data: st.DataObject) -> None:
    report = copy.deepcopy(sample)
    program = data.draw(st.sampled_from(list(report.programs())))
    for part in T.PROGRAM_OUTLINE_PARTS:
        if part is T.BUDGET_NOTES and program.budget is None:
            continue
        if data.draw(st.booleans()):
            T.put(program, part, data.draw(outlines))
    department = data.draw(st.sampled_from(report.departments))
    for part in T.SECTION_II_PARTS:
        T.put(department, part, data.draw(outlines))
    # A table right under the staffing table would be more rows of it; after a note it is a table of the notes.
    report.front.staffing_notes = data.draw(outlines.filter(lambda o: not o or o[0].kind is not ItemKind.TABLE))
    result = _round_trip(report)
    assert [str(w) for w in result.warnings] == []
    assert_same(result, report)


@FUZZ
@given(data=st.data())
def test_titles_and_front_texts_come_back_unchanged(sample: Report, data: st.DataObject) -> None:
    report = copy.deepcopy(sample)
    for chapter in report.chapters:
        chapter.title = data.draw(line_value)
        for program, listed in zip(chapter.programs, chapter.listed_programs, strict=True):
            program.title = data.draw(line_value)
            listed.title = data.draw(line_value)
    report.front.organization = data.draw(line_value)
    report.front.history = [
        HistoryEntry(data.draw(st.sampled_from(["", "2001. 3. 2."])), data.draw(text_value))
        for _ in range(data.draw(st.integers(1, 3)))
    ]
    result = _round_trip(report)
    assert [str(w) for w in result.warnings] == []
    assert_same(result, report)


@FUZZ
@given(data=st.data())
def test_table_cells_and_notes_come_back_unchanged(sample: Report, data: st.DataObject) -> None:
    report = copy.deepcopy(sample)
    amounts = st.one_of(
        st.sampled_from(["", "-", "재배정", "1,234", "△5", "비예산"]).map(Cell.parse),
        line_value.map(lambda s: Cell(CellKind.INVALID, raw=s.strip()) if s.strip() else Cell()),
    )
    for program in report.programs():
        if program.budget is not None:
            for line in program.budget.lines:
                line.name = data.draw(line_value)
                line.page = data.draw(line_value)
                line.notes_below = data.draw(st.booleans())
                line.current = data.draw(amounts)
                for quarter in line.quarters:
                    quarter.amount = data.draw(amounts)
                    quarter.note = data.draw(line_value)
        if program.targets is not None:
            program.targets.qualifier = data.draw(line_value)
            program.targets.rows = [
                TargetRow(data.draw(line_value), data.draw(line_value), data.draw(line_value))
                for _ in range(data.draw(st.integers(0, 3)))
            ]
    result = _round_trip(report)
    assert [str(w) for w in result.warnings if "금액이 아닙니다" not in w.message] == []
    assert_same(result, report)


def test_the_issue_12_injection_keeps_33_programs(imported_2024: ImportResult) -> None:
    report = copy.deepcopy(imported_2024.report)
    hostile = "실적\nⅢ. 주요업무\n1. 가짜 장\n1-1 가짜 사업\n□ 추진 목표\n세부사업명\t추진시기\t물량\n작성자"
    report.departments[0].results.append(OutlineItem(1, ItemKind.ITEM, hostile))
    report.departments[1].limits.insert(0, OutlineItem(0, ItemKind.TEXT, "Ⅲ. 주요업무"))
    exported = export_report_text(report)
    # A person still reads the text: the continuation lines are indented and escaped, not lost.
    assert "  \\Ⅲ. 주요업무" in exported and "  \\1-1 가짜 사업" in exported
    again = parse_report_text(exported)
    assert len(list(again.report.programs())) == 33
    assert again.report == report
    assert [w.message for w in again.warnings] == [w.message for w in imported_2024.warnings]


def test_a_person_reads_the_escapes() -> None:
    report = import_report_file(SAMPLE).report
    program = report.program("1-1")
    assert program is not None
    program.achievements = [
        OutlineItem(1, ItemKind.ITEM, "첫 줄\n둘째 줄\n- 줄표로 시작하는 줄"),
        OutlineItem(0, ItemKind.TEXT, "표시 없는 문단"),
    ]
    program.title = "사업\t제목"
    lines = export_report_text(report).split("\n")
    start = lines.index("- 첫 줄")
    assert lines[start : start + 4] == ["- 첫 줄", "둘째 줄", "  \\- 줄표로 시작하는 줄", "\\표시 없는 문단"]
    assert "1-1 \\사업\\t제목" in lines


def test_control_characters_are_left_out_of_the_export(sample: Report) -> None:
    report = copy.deepcopy(sample)
    program = report.program("1-1")
    assert program is not None
    program.achievements = [OutlineItem(1, ItemKind.ITEM, "경고\x1b[31m 빨강\x07\r\n다음 줄")]
    exported = export_report_text(report)
    assert not tf.RE_CONTROL.search(exported)
    again = parse_report_text(exported)
    back = again.report.program("1-1")
    assert back is not None
    assert back.achievements == [OutlineItem(1, ItemKind.ITEM, "경고[31m 빨강\n다음 줄")]
    assert again.warnings == []


def _escaped_lines(outline: Outline) -> list[str]:
    from seri_desktop.formats.text_export import outline_lines

    return [line for line in outline_lines(outline) if tf.ESCAPE in line]


def test_the_2024_report_needs_no_escape(imported_2024: ImportResult) -> None:
    exported = export_report_text(imported_2024.report)
    assert tf.ESCAPE not in exported
    assert _escaped_lines([OutlineItem(1, ItemKind.ITEM, "보통 항목\n이어지는 줄")]) == []
