"""The exported budget workbook of the real 2024 report, read back with openpyxl (formulas, formats, layout)."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from seri_desktop.domain.model import CellKind, Report
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.formats.xlsx import write_budget_workbook
from seri_desktop.formats.xlsx.writer import AMOUNT_FORMAT, TOTAL_FORMAT
from tests.helpers.workbook import key_column, shown_keys

pytestmark = pytest.mark.acceptance

DEPARTMENTS = ["교육정책연구소", "기획평가부", "교육과정진로진학부", "교수학습정보부", "교육정보화부"]
_SUM = re.compile(r"^=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)$")
_REF = re.compile(r"^='(.+)'!([A-Z]+)(\d+)$")


@pytest.fixture(scope="module")
def report(imported_2024: ImportResult) -> Report:
    return copy.deepcopy(imported_2024.report)


@pytest.fixture(scope="module")
def workbook(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path = tmp_path_factory.mktemp("xlsx") / "budget-2024.xlsx"
    write_budget_workbook(report, path)
    return openpyxl.load_workbook(path, data_only=False)


def rows_by_key(ws: Worksheet, key_col: str) -> dict[str, int]:
    """Row number of every keyed row by ``kind|code|number`` (``l|1-1|2``); ``key_col`` is where the keys are."""
    assert ws[f"{key_col}1"].column == key_column(ws)
    return shown_keys(ws)


def evaluate(wb: Workbook, sheet: str, address: str) -> int:
    """The value of a cell the way Excel computes it: SUM ranges and sheet references; text counts 0."""
    value = wb[sheet][address].value
    if isinstance(value, int):
        return value
    if not isinstance(value, str) or not value.startswith("="):
        return 0
    if m := _REF.match(value):
        return evaluate(wb, m.group(1).replace("''", "'"), f"{m.group(2)}{m.group(3)}")
    m = _SUM.match(value)
    assert m, value
    col_from, row_from, col_to, row_to = m.group(1), int(m.group(2)), m.group(3), int(m.group(4))
    cells = wb[sheet][f"{col_from}{row_from}:{col_to}{row_to}"]
    return sum(evaluate(wb, sheet, c.coordinate) for row in cells for c in row)


def test_sheets_in_order_and_the_info_sheet_hidden(workbook: Workbook) -> None:
    assert workbook.sheetnames == ["요약", *DEPARTMENTS, "추진 목표", "점검 결과", "_seri"]
    assert workbook["_seri"].sheet_state == "hidden"
    assert workbook["기획평가부"].column_dimensions["O"].hidden
    assert workbook["추진 목표"].column_dimensions["H"].hidden
    info = {r[0]: r[1] for r in workbook["_seri"].iter_rows(min_row=2, max_row=5, values_only=True)}
    assert info["format"] == "seri-desktop/budget-workbook" and info["version"] == 1 and info["year"] == 2024


def test_department_sheet_layout_amounts_markers_and_notes(workbook: Workbook, report: Report) -> None:
    ws = workbook["교육과정진로진학부"]
    assert [c.value for c in ws[3]] == [
        "번호", "사업명", "예산액('24)", "예산액('23)", "1분기", "2분기", "3분기", "4분기",
        "1분기 집행내용", "2분기 집행내용", "3분기 집행내용", "4분기 집행내용", "설명자료 쪽수", "1~4분기 합계", "키",
    ]  # fmt: skip
    rows = rows_by_key(ws, "O")
    # 3-1: one line with money, two reallocated lines; markers are text, amounts numbers, notes in their own columns.
    first, second = rows["l|3-1|1"], rows["l|3-1|2"]
    assert [ws.cell(first, c).value for c in range(1, 14)] == [
        "3-1", "교육과정편성 운영지원", 87535, 70020, 14920, 20000, 32970, 19645,
        "교육과정 개발", "교육과정 편성안내서", "직무 연수 및 설명회", "직무 연수 및 설명회", "1883",
    ]  # fmt: skip
    assert [ws.cell(second, c).value for c in range(3, 9)] == ["재배정", "재배정", "-", "재배정", "-", "-"]
    assert ws.cell(second, 10).value == "선택과목 안내서"
    assert ws.cell(first, 3).number_format == AMOUNT_FORMAT
    assert ws.cell(first, 3).data_type == "n" and ws.cell(second, 3).data_type == "s"
    # 4-7's '비예산' is a marker (no budget of its own): written as its text, like '-' and '재배정'.
    ws4 = workbook["교수학습정보부"]
    line = rows_by_key(ws4, "O")["l|4-7|1"]
    assert ws4.cell(line, 3).value == "비예산" and ws4.cell(line, 4).value == "비예산"


def test_subtotals_and_totals_are_live_sum_formulas(workbook: Workbook, report: Report) -> None:
    ws = workbook["교육정책연구소"]
    rows = rows_by_key(ws, "O")
    total = rows["t|1-1|3"]
    assert ws.cell(total, 2).value == "계"
    assert [ws.cell(total, c).value for c in range(3, 9)] == [
        f"=SUM({col}{rows['l|1-1|1']}:{col}{rows['l|1-1|3']})" for col in "CDEFGH"
    ]
    assert ws.cell(total, 3).number_format == TOTAL_FORMAT
    assert str(ws.cell(rows["l|1-1|1"], 14).value).startswith("=SUM(E")

    summary = workbook["요약"]
    assert summary.cell(5, 1).value == "1-1" and summary.cell(5, 3).value == f"='교육정책연구소'!C{total}"
    last = 5 + 33
    assert summary.cell(last, 1).value == "합계"
    assert [summary.cell(last, c).value for c in range(3, 9)] == [f"=SUM({col}5:{col}{last - 1})" for col in "CDEFGH"]
    # The formulas point at the right cells: computed like Excel, they give the programs' totals.
    for n, program in enumerate(report.programs()):
        assert program.budget is not None
        expected = [c.numeric for c in program.budget.total().cells()]
        assert [evaluate(workbook, "요약", f"{col}{5 + n}") for col in "CDEFGH"] == expected, program.code
    grand = [
        sum(c.numeric for p in report.programs() if p.budget for c in [p.budget.total().cells()[i]]) for i in range(6)
    ]
    assert [evaluate(workbook, "요약", f"{col}{last}") for col in "CDEFGH"] == grand
    assert grand[0] == 51_554_318  # computed from the sections (the printed summary had 1-2 and 4-5 wrong)


def test_number_formats_frozen_panes_and_print_setup(workbook: Workbook) -> None:
    summary = workbook["요약"]
    assert summary.freeze_panes == "C5"
    assert summary["C5"].number_format == TOTAL_FORMAT == '#,##0;"△"#,##0;"-"'
    assert AMOUNT_FORMAT == '#,##0;"△"#,##0;0'
    assert [summary.cell(3, c).value for c in (1, 2, 3, 5, 7, 9)] == [
        "번호",
        "주요업무명",
        "예산액",
        "집행액",
        "집행계획",
        "쪽수",
    ]
    assert [summary.cell(4, c).value for c in range(3, 9)] == ["'24", "'23", "1분기", "2분기", "3분기", "4분기"]
    # 쪽수 come from a PDF built (tests/pdf/test_excel_pages.py), never the printed report's "21": empty here.
    assert summary.cell(5, 9).value is None
    for name in ["요약", *DEPARTMENTS, "추진 목표", "점검 결과"]:
        ws = workbook[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.page_setup.paperSize == 9, name  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ws.print_title_rows, name
        assert ws.freeze_panes, name
    assert workbook["기획평가부"].freeze_panes == "C4"
    assert workbook["추진 목표"].freeze_panes == "E4"
    assert workbook["기획평가부"].column_dimensions["B"].width >= 16


def test_targets_and_problems_sheets(workbook: Workbook, report: Report) -> None:
    ws = workbook["추진 목표"]
    assert [c.value for c in ws[3]] == ["번호", "주요업무명", "부서", "행", "세부사업명", "추진시기", "물량", "키"]
    row = rows_by_key(ws, "H")["r|2-5|1"]
    assert [ws.cell(row, c).value for c in range(1, 8)] == [
        "2-5", "현장교육실천 연구대회 운영 (물량: 출품작 수 대비 입상비율)", "기획평가부", 1,
        "인성교육실천사례연구발표대회", "'24.3~12월", "70편 내외(40%이내)",
    ]  # fmt: skip
    assert sum(1 for r in ws.iter_rows(min_row=4, min_col=8, max_col=8, values_only=True) if r[0]) == 128

    problems = workbook["점검 결과"]
    assert str(problems["A1"].value).startswith("점검 결과: 오류 ")
    rows = list(problems.iter_rows(min_row=4, values_only=True))
    # An import finding names the program it is about in the 사업 column.
    found = [r for r in rows if r[1] == "4-5" and r[6] == "front.budget-summary"]
    assert found and found[0][0] == "오류" and found[0][2] == "주요업무별 예산 내역" and found[0][4] == "예산액('23)"
    # 4-7's 비예산 is a valid value: no cell-format problem for it.
    assert not [r for r in rows if r[1] == "4-7" and r[6] == "budget.cell-format"]


def test_marker_characters_and_negative_amounts(report: Report, tmp_path: Path) -> None:
    changed = copy.deepcopy(report)
    program = changed.program("1-1")
    assert program is not None and program.budget is not None
    line = program.budget.lines[0]
    line.quarters[3].amount = line.quarters[3].amount.amount(-1_234)
    line.quarters[3].note = "=이것은 수식이 아님"
    path = tmp_path / "negative.xlsx"
    write_budget_workbook(changed, path)
    ws = openpyxl.load_workbook(path)["교육정책연구소"]
    row = rows_by_key(ws, "O")["l|1-1|1"]
    assert ws.cell(row, 8).value == -1234 and ws.cell(row, 8).number_format == AMOUNT_FORMAT
    assert ws.cell(row, 12).value == "=이것은 수식이 아님" and ws.cell(row, 12).data_type == "s"
    assert line.quarters[3].amount.kind is CellKind.AMOUNT
