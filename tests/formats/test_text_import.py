"""The text importer on short strings: every quirk of the export and malformed input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from seri_desktop.domain.model import Cell, CellKind, ItemKind, OutlineItem, Program
from seri_desktop.formats.text_export import export_report_text, round_trip_share
from seri_desktop.formats.text_import import (
    ImportResult,
    TextImportError,
    import_report_file,
    parse_outline_line,
    parse_report_text,
    split_quarter,
)

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample-report.txt"

# A minimal report around one program; {body} is the program's text.
SKELETON = """제1회 예시시의회
예시위원회 보고자료

주요업무보고

2025. 4.

예시교육연구원

II 업무 평가 및 개선 방향

1. 연구부

□ 성과

- 성과 하나

Ⅲ. 주요업무

1. 예시 장

1-1. 예시 사업

1-1 예시 사업

{body}
"""

BUDGET_HEAD = (
    "□ 예산 집행 계획\n\n(단위: 천원, '25.6.30.기준)\n\n"
    "사업명\t예산액\t\t집행액 / 집행내용\t\t집행예정액 / 집행내용\t\t주요사업별 설명자료 쪽수\n"
    "\t'25\t'24\t1분기\t2분기\t3분기\t4분기\t\n"
)


def parse_program(body: str) -> tuple[Program, ImportResult]:
    result = parse_report_text(SKELETON.format(body=body))
    program = result.report.program("1-1")
    assert program is not None
    return program, result


# -- outline lines


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("○ 목적", (0, ItemKind.ITEM, "목적")),
        ("◦ 목적", (0, ItemKind.ITEM, "목적")),
        ("- 첫째 수준", (1, ItemKind.ITEM, "첫째 수준")),
        (" - 둘째 수준", (2, ItemKind.ITEM, "둘째 수준")),
        ("- ※ 참고", (1, ItemKind.NOTE, "참고")),
        (" - ※ 참고", (2, ItemKind.NOTE, "참고")),
        ("※ 참고", (0, ItemKind.NOTE, "참고")),
        ("* 각주", (0, ItemKind.FOOTNOTE, "각주")),
        (" - * 각주", (2, ItemKind.FOOTNOTE, "각주")),
        (" - ** 둘째 각주", (2, ItemKind.FOOTNOTE, "* 둘째 각주")),
        ("이어지는 줄", None),
        ("", None),
    ],
)
def test_outline_line_levels_and_kinds(line: str, expected: tuple[int, ItemKind, str] | None) -> None:
    assert parse_outline_line(line) == expected


def test_wrapped_line_joins_the_item_above_and_round_trips() -> None:
    program, _ = parse_program("□ 추진 실적\n\n- 길게 이어지는\n항목의 둘째 줄\n - 하위 항목\n")
    assert program.achievements == [
        OutlineItem(1, ItemKind.ITEM, "길게 이어지는\n항목의 둘째 줄"),
        OutlineItem(2, ItemKind.ITEM, "하위 항목"),
    ]


# -- budget cells


@pytest.mark.parametrize(
    ("text", "kind", "value", "note"),
    [
        ("62,557 연구소 운영", CellKind.AMOUNT, 62557, "연구소 운영"),
        ("3 컨설팅수당 등", CellKind.AMOUNT, 3, "컨설팅수당 등"),
        ("△1,234 감액", CellKind.AMOUNT, -1234, "감액"),
        ("- -", CellKind.NONE, None, "-"),
        ("-", CellKind.NONE, None, ""),
        ("재배정", CellKind.REALLOCATED, None, ""),
        ("", CellKind.EMPTY, None, ""),
        ("비예산", CellKind.NON_BUDGET, None, ""),
        ("비예산 자체 예산 없음", CellKind.NON_BUDGET, None, "자체 예산 없음"),
        ("미정", CellKind.INVALID, None, ""),
    ],
)
def test_quarter_cell_amount_and_note(text: str, kind: CellKind, value: int | None, note: str) -> None:
    quarter = split_quarter(text)
    assert quarter.amount.kind is kind
    assert quarter.amount.value == value
    assert quarter.note == note


@pytest.mark.parametrize("text", ["1,234", "△1,234", "-", "재배정", "", "0", "12,345,678"])
def test_cell_format_is_the_inverse_of_parse(text: str) -> None:
    assert Cell.parse(text).format() == text


@pytest.mark.parametrize("text", ["1,23", "12a", "-500", "1.5", "△", "재 배정"])
def test_cell_rejects_what_is_not_an_amount(text: str) -> None:
    cell = Cell.parse(text)
    assert cell.kind is CellKind.INVALID
    assert cell.raw == text


def test_budget_notes_inline_and_on_the_next_row() -> None:
    body = (
        BUDGET_HEAD
        + "운영비\t1,000\t900\t100 준비\t200 운영\t300\t400 정산\t1889\n"
        + "연수비\t500\t△20\t-\t250\t250\t-\t1890\n\t\t\t-\t연수 1차\t연수 2차\t-\t\n"
        + "계\t1,500\t880\t100\t450\t550\t400\t\n"
    )
    program, result = parse_program(body)
    budget = program.budget
    assert budget is not None
    assert budget.as_of == dt.date(2025, 6, 30)
    assert budget.executed_quarters() == 2
    first, second = budget.lines
    assert [q.note for q in first.quarters] == ["준비", "운영", "", "정산"]
    assert not first.notes_below
    assert second.notes_below
    assert second.previous == Cell.amount(-20)
    assert [q.note for q in second.quarters] == ["-", "연수 1차", "연수 2차", "-"]
    assert [q.amount.format() for q in second.quarters] == ["-", "250", "250", "-"]
    assert budget.total().current == Cell.amount(1500)
    assert budget.printed_total is not None and budget.printed_total.previous == Cell.amount(880)
    assert result.warnings == []


def test_budget_row_with_a_non_number_is_kept_and_reported() -> None:
    body = BUDGET_HEAD + "운영비\t1,0x0\t900\t100\t200\t300\t400\t1889\n계\t1,000\t900\t100\t200\t300\t400\t\n"
    program, result = parse_program(body)
    assert program.budget is not None
    line = program.budget.lines[0]
    assert line.current.kind is CellKind.INVALID and line.current.raw == "1,0x0"
    (warning,) = result.warnings
    assert "1,0x0" in warning.message and "운영비" in warning.message
    assert result.report.chapters[0].programs[0].code in warning.message
    assert "1,0x0" in export_report_text(result.report)  # kept, not dropped


def test_truncated_budget_row_is_kept_with_empty_cells_and_reported() -> None:
    body = BUDGET_HEAD + "운영비\t1,000\t900\t100\n"
    program, result = parse_program(body)
    assert program.budget is not None
    line = program.budget.lines[0]
    assert line.quarters[0].amount == Cell.amount(100)
    assert [q.amount.kind for q in line.quarters[1:]] == [CellKind.EMPTY] * 3
    assert any("칸이 4개뿐" in w.message for w in result.warnings)


def test_truncated_target_row_is_kept_and_reported() -> None:
    program, result = parse_program("□ 추진 목표\n\n세부사업명\t추진시기\t물량\n연구 수행\t'25.3~12월\n")
    assert program.targets is not None
    assert program.targets.rows[0].name == "연구 수행"
    assert program.targets.rows[0].quantity == ""
    assert any("추진 목표 1행" in w.message for w in result.warnings)


def test_target_quantity_header_qualifier() -> None:
    program, _ = parse_program(
        "□ 추진 목표\n\n세부사업명\t추진시기\t물량 (출품작 수 대비 입상비율)\n대회\t연중\t10편\n"
    )
    assert program.targets is not None
    assert program.targets.qualifier == "출품작 수 대비 입상비율"


# -- headings and program headers


def test_headings_with_and_without_box_mark() -> None:
    program, result = parse_program("□ 추진 일정\n\n- 하나: '25.3월\n\n추진 실적\n\n- 둘\n")
    assert [i.text for i in program.schedule] == ["하나: '25.3월"]
    assert [i.text for i in program.achievements] == ["둘"]
    assert program.layout["headings"] == {"achievements": ["", ""]}
    assert result.warnings == []


def test_program_header_split_over_two_lines_with_merged_first_heading() -> None:
    text = SKELETON.format(body="").replace(
        "1-1 예시 사업\n",
        "1-1\n\n예시 사업 **사업 개요**○ **목적**\n\n- 목적 하나\n\n○ 근거\n\n- 근거 하나\n",
    )
    result = parse_report_text(text)
    program = result.report.program("1-1")
    assert program is not None
    assert program.title == "예시 사업"
    assert [i.text for i in program.overview.purpose] == ["목적 하나"]
    assert [i.text for i in program.overview.basis] == ["근거 하나"]
    share, missed = round_trip_share(text, export_report_text(result.report))
    assert missed == [] and share == 1.0


def test_overview_subheadings_written_as_dash_items_keep_their_level() -> None:
    program, _ = parse_program("□ 사업 개요\n\n- 목적\n - 목적의 내용\n- 근거\n - 근거의 내용\n")
    assert program.overview.purpose == [OutlineItem(1, ItemKind.ITEM, "목적의 내용")]
    assert program.overview.basis == [OutlineItem(1, ItemKind.ITEM, "근거의 내용")]


def test_missing_sections_stay_empty() -> None:
    program, result = parse_program("□ 추진 일정\n\n- 연중\n")
    assert program.targets is None
    assert program.budget is None
    assert program.achievements == []
    assert [i.text for i in program.schedule] == ["연중"]
    assert result.warnings == []


def test_table_inside_achievements() -> None:
    program, _ = parse_program("□ 추진 실적\n\n- 발간 완료\n\n세부사업명\t추진시기\t물량\n봄호\t'25.3월\t100부\n")
    assert program.achievements[1].kind is ItemKind.TABLE
    assert program.achievements[1].table == [["세부사업명", "추진시기", "물량"], ["봄호", "'25.3월", "100부"]]


def test_plan_key_improvements_end_at_the_first_blank_line() -> None:
    program, _ = parse_program("□ 추진 계획\n\n2025년 주요 개선 사항\n\n- 개선 하나\n - 세부\n\n- 계획 하나\n")
    assert [i.text for i in program.plan.improvements] == ["개선 하나", "세부"]
    assert [i.text for i in program.plan.items] == ["계획 하나"]


def test_unknown_heading_is_reported_and_kept_as_text() -> None:
    body = "□ 추진 실적\n\n- 실적\n\n□ 기타 참고 사항\n\n- 참고 내용\n"
    program, result = parse_program(body)
    assert OutlineItem(0, ItemKind.TEXT, "□ 기타 참고 사항") in program.achievements
    assert "참고 내용" in [i.text for i in program.achievements]
    (warning,) = result.warnings
    assert warning.line == SKELETON.format(body=body).split("\n").index("□ 기타 참고 사항") + 1
    assert "알 수 없는 제목" in warning.message


def test_author_block_belongs_to_the_programs_after_it() -> None:
    text = SKELETON.format(body="□ 추진 일정\n\n- 연중\n").replace(
        "1-1 예시 사업",
        "작성 자\n\n연구부장: 홍길동 ☎ 1000-100 담당: 김예시 ☎ 101\n이예시 ☎ 102\n다른과장: 박예시 ☎ 200\n\n1-1 예시 사업",
    )
    chapter = parse_report_text(text).report.chapters[0]
    (block,) = chapter.author_blocks
    assert block.before_program == 0
    assert [(e.role, e.name, e.phone, e.line, e.department) for e in block.entries] == [
        ("연구부장", "홍길동", "1000-100", 0, "연구부"),
        ("담당", "김예시", "101", 0, "연구부"),
        ("", "이예시", "102", 1, "연구부"),
        ("다른과장", "박예시", "200", 2, "다른과"),
    ]


# -- encodings and files


def test_crlf_and_bom_are_read(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "crlf.txt"
    path.write_bytes("\ufeff".encode() + text.replace("\n", "\r\n").encode("utf-8"))
    crlf = import_report_file(path).report
    plain = import_report_file(SAMPLE).report
    assert crlf == plain


def test_cp949_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "cp949.txt"
    path.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("cp949"))
    assert import_report_file(path).report == import_report_file(SAMPLE).report


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Ⅲ. 주요업무"),
        ("아무 내용 없는 메모\n".encode(), "Ⅲ. 주요업무"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "텍스트 파일이 아닙니다"),
        (b"\xff\xfe\xfa\xfb" * 10, "UTF-8 또는 CP949"),
    ],
)
def test_files_that_are_not_a_report_are_refused_in_korean(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(TextImportError, match=message):
        import_report_file(path)


def test_missing_file_is_a_korean_error(tmp_path: Path) -> None:
    with pytest.raises(TextImportError, match="파일을 열 수 없습니다"):
        import_report_file(tmp_path / "없는 파일.txt")


def test_chapter_without_a_year_is_refused() -> None:
    text = SKELETON.format(body="").replace("2025. 4.", "")
    with pytest.raises(TextImportError, match="연도"):
        parse_report_text(text)


def test_sample_report_round_trips_completely() -> None:
    source = SAMPLE.read_text(encoding="utf-8")
    result = parse_report_text(source)
    assert result.warnings == []
    share, missed = round_trip_share(source, export_report_text(result.report))
    assert missed == []
    assert share == 1.0
    # Exporting what was re-imported gives the same text: the format is stable.
    again = parse_report_text(export_report_text(result.report)).report
    assert again == result.report


def test_lines_before_the_first_review_heading_are_kept() -> None:
    text = SKELETON.format(body="").replace("1. 연구부\n", "어디에도 속하지 않는 줄\n\n1. 연구부\n\n부서 소개 줄\n")
    result = parse_report_text(text)
    assert [w.text for w in result.warnings] == ["어디에도 속하지 않는 줄", "부서 소개 줄"]
    exported = export_report_text(result.report)
    assert "어디에도 속하지 않는 줄" in exported and "부서 소개 줄" in exported
