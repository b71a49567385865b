"""Safe exports (issue 12 item 6): text a department typed is never a formula in the office's workbook.

The 2024 report gets hostile titles, budget line names, notes, pages,
targets, a target qualifier, a department name and text in an amount cell;
the workbook is written, opened with openpyxl, and the data type of every
cell of every sheet is checked: the only formulas are the app's own SUMs and
references to 계 rows, every hostile value is a string cell with Excel's
quote prefix, an amount (a negative one too) is a number cell and the
marker ``-`` is text that reads back as "none". Reading the workbook back
finds no change, and a ``-`` and a negative number typed in Excel are read
as the marker and the amount.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import openpyxl
import pytest

from seri_desktop.domain.model import Cell, CellKind, Report, TargetRow
from seri_desktop.formats.injection import looks_like_formula
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.formats.xlsx import read_budget_workbook, write_budget_workbook
from tests.helpers.hostile import FORMULA_TEXTS
from tests.helpers.workbook import key_row

# A multi-line value too (openpyxl refuses the control characters the CSV test types).
HOSTILE = [*FORMULA_TEXTS, "=cmd|' /C calc'!A0", " =1+1", "=1+1\n둘째 줄"]
_SUM = re.compile(r"^=SUM\([A-Z]+\d+:[A-Z]+\d+\)$")
_REF = re.compile(r"^='(?:[^']|'')+'![A-Z]+\d+$")


def _hostile_report(report: Report) -> Report:
    report = copy.deepcopy(report)
    programs = list(report.programs())
    for n, program in enumerate(programs):
        value = HOSTILE[n % len(HOSTILE)]
        program.title = value
        if program.budget is not None:
            for m, line in enumerate(program.budget.lines):
                line.name = HOSTILE[(n + m) % len(HOSTILE)]
                line.page = HOSTILE[(n + m + 1) % len(HOSTILE)]
                for q, quarter in enumerate(line.quarters):
                    quarter.note = HOSTILE[(n + m + q) % len(HOSTILE)]
        if program.targets is not None:
            program.targets.qualifier = value
            program.targets.rows.append(TargetRow(*(HOSTILE[(n + k) % len(HOSTILE)] for k in range(3))))
    # A department named like a formula: its sheet, its title row and the hidden sheet list name it.
    renamed = report.departments[0].name
    report.departments[0].name = "=부서"
    for program in programs:
        if program.department == renamed:
            program.department = "=부서"
    first = programs[0]
    assert first.budget is not None
    line = first.budget.lines[0]
    line.current = Cell(CellKind.INVALID, raw="=1+1")  # text in an amount cell, as the rules keep it
    line.quarters[0].amount = Cell.amount(-1_234)
    line.quarters[1].amount = Cell.parse("-")
    return report


@pytest.fixture(scope="module")
def hostile(imported_2024: ImportResult) -> Report:
    return _hostile_report(imported_2024.report)


@pytest.fixture(scope="module")
def book(hostile: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("safe") / "hostile.xlsx"
    write_budget_workbook(hostile, path)
    return path


def test_only_the_apps_own_formulas_are_formulas(book: Path, hostile: Report) -> None:
    wb = openpyxl.load_workbook(book, data_only=False)
    formulas: list[str] = []
    strings = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                if cell.data_type == "f":
                    formulas.append(str(cell.value))
                    assert _SUM.match(str(cell.value)) or _REF.match(str(cell.value)), (ws.title, cell.coordinate)
                elif isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.data_type)
                    assert cell.quotePrefix == looks_like_formula(cell.value), (ws.title, cell.coordinate)
                    strings += 1
                else:
                    assert cell.data_type == "n", (ws.title, cell.coordinate)
    # Per program with lines: one quarter sum per line, seven on its 계 row, six references on the summary.
    with_lines = [p for p in hostile.programs() if p.budget is not None and p.budget.lines]
    lines = sum(len(p.budget.lines) for p in with_lines if p.budget is not None)
    assert len(formulas) == lines + 7 * len(with_lines) + 6 * len(with_lines) + 6
    assert strings > 1_000


def test_hostile_values_are_string_cells_with_the_quote_prefix(book: Path, hostile: Report) -> None:
    wb = openpyxl.load_workbook(book, data_only=False)
    assert "=부서" in wb.sheetnames
    found = {
        str(cell.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "s" and cell.quotePrefix
    }
    assert set(HOSTILE) <= found
    assert "=부서" in found and "=1+1" in found  # the department's name, the text in an amount cell
    ws = wb["=부서"]
    assert ws["A1"].value == "=부서 예산 집행 계획" and ws["A1"].data_type == "s" and ws["A1"].quotePrefix
    info = wb["_seri"]
    assert any(c.value == "=부서" and c.data_type == "s" for row in info.iter_rows() for c in row)
    # The summary's references to the department's 계 rows quote the sheet's name.
    assert any(str(c.value).startswith("='=부서'!") for row in wb["요약"].iter_rows() for c in row)


def test_amounts_are_numbers_and_the_none_marker_is_text(book: Path, hostile: Report) -> None:
    first = next(iter(hostile.programs()))
    wb = openpyxl.load_workbook(book, data_only=False)
    ws = wb["=부서"]
    row = key_row(ws, f"l|{first.code}|1|")
    assert (ws.cell(row, 5).value, ws.cell(row, 5).data_type) == (-1234, "n")
    assert (ws.cell(row, 6).value, ws.cell(row, 6).data_type, ws.cell(row, 6).quotePrefix) == ("-", "s", False)
    assert (ws.cell(row, 3).value, ws.cell(row, 3).data_type) == ("=1+1", "s")


def test_the_hostile_workbook_reads_back_unchanged(book: Path, hostile: Report) -> None:
    result = read_budget_workbook(book, hostile)
    assert result.ok, [str(r) for r in result.rejected]
    assert result.changes == [] and result.report is hostile


def test_a_dash_and_a_negative_number_typed_in_excel_read_back(book: Path, hostile: Report, tmp_path: Path) -> None:
    first = next(iter(hostile.programs()))
    wb = openpyxl.load_workbook(book)
    ws = wb["=부서"]
    row = key_row(ws, f"l|{first.code}|1|")
    ws.cell(row, 4).value = "-"  # 예산액('23): none
    ws.cell(row, 7).value = -5  # 3분기: a negative number
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    result = read_budget_workbook(edited, hostile)
    assert result.ok, [str(r) for r in result.rejected]
    program = result.report.program(first.code)
    assert program is not None and program.budget is not None
    line = program.budget.lines[0]
    assert line.previous.kind is CellKind.NONE and line.previous.format() == "-"
    assert line.quarters[2].amount == Cell.amount(-5)
    assert [c.address for c in result.changes] == [f"D{row}", f"G{row}"]
