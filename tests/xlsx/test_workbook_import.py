"""Editing the exported 2024 workbook with openpyxl and importing it back (export-xlsx / import-xlsx)."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from seri_desktop.cli import main
from seri_desktop.domain.model import Cell, CellKind
from seri_desktop.domain.rules import check_report
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.formats.xlsx import XlsxFormatError, read_budget_workbook, write_budget_workbook
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import save_program
from tests.helpers.db import load_db
from tests.helpers.reports import field_diff
from tests.helpers.workbook import key_row

pytestmark = pytest.mark.acceptance


def export(db: Path, out: Path) -> None:
    assert main(["export-xlsx", "--db", str(db), "-o", str(out)]) == 0


def test_round_trip_three_edits_land_and_nothing_else(
    db_2024: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = load_db(db_2024, 2024)
    book = tmp_path / "budget.xlsx"
    export(db_2024, book)

    wb = openpyxl.load_workbook(book)
    ws = wb["교육정책연구소"]
    line1, line2 = key_row(ws, "l|1-1|1|"), key_row(ws, "l|1-1|2|")
    assert ws[f"G{line1}"].value == 199_000
    ws[f"G{line1}"] = 199_500  # 1-1 line 1, 3분기
    assert ws[f"J{line2}"].value == "교육정책포럼"
    ws[f"J{line2}"] = "교육정책포럼 개최"  # 1-1 line 2, 2분기 집행내용
    targets = wb["추진 목표"]
    target = key_row(targets, "r|2-5|1|")
    assert targets[f"G{target}"].value == "70편 내외(40%이내)"
    targets[f"G{target}"] = "80편 내외(40%이내)"  # 2-5 추진 목표 1행 물량
    wb.save(book)
    capsys.readouterr()

    assert main(["import-xlsx", str(book), "--db", str(db_2024)]) == 0
    out = capsys.readouterr().out
    assert "바뀐 칸 3개" in out
    assert (
        f"교육정책연구소!G{line1} 1-1 예산 집행 계획 1행 '혁신미래교육 연구소운영' 3분기: '199,000' → '199,500'" in out
    )
    assert f"추진 목표!G{target} 2-5 추진 목표 1행 물량: '70편 내외(40%이내)' → '80편 내외(40%이내)'" in out
    assert "다시 점검했습니다: 오류 " in out
    assert "[오류] 1-1 예산 집행 계획 1행 예산액('24)" in out  # the quarters no longer add up: check says so

    after = load_db(db_2024, 2024)
    p11 = "chapters[0].programs[0]"
    edited = {
        f"{p11}.budget.lines[0].quarters[2].amount.value",
        f"{p11}.budget.lines[1].quarters[1].note",
        "chapters[1].programs[4].targets.rows[0].quantity",
    }
    # The 계 row and the summary are derived from the lines; the printed copies the import kept stay as they
    # were (evidence, issue 13 item 4): an Excel edit never rewrites them.
    assert set(field_diff(before, after)) == edited
    program = after.program("1-1")
    assert program is not None and program.budget is not None
    assert program.budget.lines[0].quarters[2].amount == Cell.amount(199_500)
    assert program.budget.lines[1].quarters[1].note == "교육정책포럼 개최"
    assert after.front.budget_summary[0].quarters[2] == Cell.amount(419_900)  # as printed
    assert program.budget.total().quarters[2] == Cell.amount(420_400)  # as derived
    new_rules = {(p.rule, p.program or p.finding, p.row, p.column) for p in check_report(after)} - {
        (p.rule, p.program or p.finding, p.row, p.column) for p in check_report(before)
    }
    # The line's error is 1-1's; the printed 계 and summary rows now disagree with it: the office's findings.
    assert new_rules == {
        ("budget.line-quarters", "1-1", 1, "예산액('24)"),
        ("budget.total-column", "1-1", None, "3분기"),
        ("front.budget-summary", "1-1", 1, "3분기"),
    }

    # Importing the same file again finds nothing to change.
    assert main(["import-xlsx", str(book), "--db", str(db_2024)]) == 0
    assert "다른 칸이 없습니다" in capsys.readouterr().out


def test_text_in_an_amount_column_is_rejected_with_its_address_and_nothing_is_written(
    db_2024: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = load_db(db_2024, 2024)
    book = tmp_path / "budget.xlsx"
    export(db_2024, book)
    wb = openpyxl.load_workbook(book)
    ws = wb["기획평가부"]
    row = key_row(ws, "l|2-3|1|")
    ws[f"E{row}"] = "30원"  # text in 1분기
    ws[f"C{key_row(ws, 'l|2-1|1|')}"] = 70_000  # a valid edit in the same file: must not land either
    wb.save(book)
    capsys.readouterr()

    assert main(["import-xlsx", str(book), "--db", str(db_2024)]) == 2
    err = capsys.readouterr().err
    assert f"기획평가부!E{row}: 2-3 예산 집행 계획 1행" in err
    assert "'30원'은(는) 금액이 아닙니다" in err
    assert "아무것도 가져오지 않았습니다" in err
    assert load_db(db_2024, 2024) == before


def test_valid_values_of_every_kind_are_read(db_2024: Path, tmp_path: Path) -> None:
    book = tmp_path / "budget.xlsx"
    export(db_2024, book)
    wb = openpyxl.load_workbook(book)
    ws = wb["교육정책연구소"]
    row = key_row(ws, "l|1-1|3|")  # 국제교육포럼: 202,700 | - | - | 1,800 | 200,900 | -
    ws[f"D{row}"] = "재배정"
    ws[f"E{row}"] = -1500  # a negative number typed in Excel
    ws[f"F{row}"] = "△1,800"  # printed the report's way, as text
    ws[f"G{row}"] = "200,900"  # unchanged value typed as text: no change
    ws[f"H{row}"] = None  # emptied
    ws[f"B{row}"] = "국제교육포럼 운영"
    ws[f"M{row}"] = 1890  # page typed as a number
    wb.save(book)
    engine = create_engine_for(db_2024)
    try:
        report = load_db(db_2024, 2024)
        result = read_budget_workbook(book, report)
    finally:
        engine.dispose()
    assert result.ok, result.rejected
    program = result.report.program("1-1")
    assert program is not None and program.budget is not None
    line = program.budget.lines[2]
    assert line.name == "국제교육포럼 운영" and line.page == "1890"
    assert line.previous.kind is CellKind.REALLOCATED
    assert [q.amount for q in line.quarters] == [Cell.amount(-1500), Cell.amount(-1800), Cell.amount(200_900), Cell()]
    assert [c.address for c in result.changes] == [f"{col}{row}" for col in ("B", "D", "E", "F", "H", "M")]
    original = report.program("1-1")
    assert original is not None and original.budget is not None and original.budget.lines[2].name == "국제교육포럼"


def test_broken_layout_is_refused(
    db_2024: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = load_db(db_2024, 2024)
    book = tmp_path / "budget.xlsx"
    export(db_2024, book)

    wb = openpyxl.load_workbook(book)
    wb["교육정보화부"].delete_cols(4)  # 예산액('23) deleted: every column after it moved left
    wb.save(tmp_path / "deleted.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["기획평가부"]["E3"] = None  # a header cell cleared
    wb.save(tmp_path / "header.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["추진 목표"].insert_cols(2)
    wb.save(tmp_path / "inserted.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["교육정책연구소"].title = "연구소"
    wb.save(tmp_path / "renamed.xlsx")

    report = load_db(db_2024, 2024)
    expected = {
        "deleted.xlsx": "'교육정보화부' 시트의 열 배치가 바뀌었습니다",
        "header.xlsx": "'기획평가부' 시트의 머리글이 바뀌었습니다: E3은(는) '1분기'이어야 하는데 ''입니다.",
        "inserted.xlsx": "'추진 목표' 시트의 열 배치가 바뀌었습니다",
        "renamed.xlsx": "'교육정책연구소' 시트가 없습니다",
    }
    for name, message in expected.items():
        with pytest.raises(XlsxFormatError) as raised:
            read_budget_workbook(tmp_path / name, report)
        assert message in str(raised.value), name
        assert "값만 고치십시오" in str(raised.value)
    assert main(["import-xlsx", str(tmp_path / "header.xlsx"), "--db", str(db_2024)]) == 2
    assert "머리글이 바뀌었습니다" in capsys.readouterr().err
    assert load_db(db_2024, 2024) == before


def test_files_that_are_not_our_workbook_are_refused_in_korean(
    db_2024: Path, tmp_path: Path, report_2024_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("이것은 엑셀 파일이 아닙니다", encoding="utf-8")
    foreign = tmp_path / "foreign.xlsx"
    openpyxl.Workbook().save(foreign)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    cases = {
        report_2024_path: "엑셀 통합 문서(.xlsx)가 아니거나 손상된 파일입니다",
        fake: "엑셀 통합 문서(.xlsx)가 아니거나 손상된 파일입니다",
        foreign: "seri-desktop에서 내보낸 예산 통합 문서가 아닙니다",
        old: "Excel 97-2003 형식(.xls)은 읽을 수 없습니다",
        tmp_path / "missing.xlsx": "파일을 열 수 없습니다",
    }
    for path, message in cases.items():
        assert main(["import-xlsx", str(path), "--db", str(db_2024)]) == 2, path
        err = capsys.readouterr().err
        assert message in err, (path, err)
        assert "Traceback" not in err


def test_rows_added_deleted_or_changed_in_the_report_since_the_export_are_rejected(
    db_2024: Path, tmp_path: Path
) -> None:
    book = tmp_path / "budget.xlsx"
    export(db_2024, book)
    report = load_db(db_2024, 2024)

    wb = openpyxl.load_workbook(book)
    ws = wb["교육정책연구소"]
    ws.delete_rows(key_row(ws, "l|1-1|2|"))
    wb.save(tmp_path / "deleted-row.xlsx")
    result = read_budget_workbook(tmp_path / "deleted-row.xlsx", report)
    assert not result.ok and "내보낼 때 11행이던 자료가 10행입니다" in str(result.rejected[0])

    wb = openpyxl.load_workbook(book)
    ws = wb["교육정책연구소"]
    ws["B40"] = "새 예산 사업"
    ws["C40"] = 1000
    wb.save(tmp_path / "added-row.xlsx")
    result = read_budget_workbook(tmp_path / "added-row.xlsx", report)
    assert [str(r) for r in result.rejected] == [
        "교육정책연구소!A40: 내보낸 파일에 없던 행입니다. 새 행은 가져오지 않습니다"
        "(예산 사업이나 추진 목표 행을 더하려면 seri-desktop에서 하십시오)."
    ]

    # Someone changes 1-1 line 1 in the app after the export; the workbook edits the same row.
    changed = copy.deepcopy(report)
    program = changed.program("1-1")
    assert program is not None and program.budget is not None
    program.budget.lines[0].quarters[0].note = "연구소 운영비"
    engine = create_engine_for(db_2024)
    try:
        save_program(engine, 2024, program)
    finally:
        engine.dispose()
    wb = openpyxl.load_workbook(book)
    ws = wb["교육정책연구소"]
    ws[f"C{key_row(ws, 'l|1-1|1|')}"] = 600_000
    wb.save(tmp_path / "stale.xlsx")
    result = read_budget_workbook(tmp_path / "stale.xlsx", load_db(db_2024, 2024))
    assert len(result.rejected) == 1
    assert "통합 문서를 내보낸 뒤 보고서에서 바뀌었습니다" in result.rejected[0].reason
    # The untouched stale row is no change at all: the newer note is not overwritten.
    result = read_budget_workbook(book, load_db(db_2024, 2024))
    assert result.ok and result.changes == []


def test_formulas_typed_into_input_cells_without_a_cached_value_are_rejected(
    db_2024: Path, tmp_path: Path
) -> None:
    book = tmp_path / "budget.xlsx"
    export(db_2024, book)
    wb = openpyxl.load_workbook(book)
    ws = wb["교육정책연구소"]
    row = key_row(ws, "l|1-1|1|")
    ws[f"E{row}"] = "=60000+2557"
    total = key_row(ws, "t|1-1|")
    ws[f"C{total}"] = 1  # a total typed over its formula: derived, ignored with a notice
    wb.save(book)
    result = read_budget_workbook(book, load_db(db_2024, 2024))
    assert [f"{r.sheet}!{r.address}" for r in result.rejected] == [f"교육정책연구소!E{row}"]
    assert "계산된 값이 파일에 없습니다" in result.rejected[0].reason
    assert any(f"교육정책연구소!C{total}" in n and "가져오지 않습니다" in n for n in result.notices)


def test_dry_run_lists_changes_and_writes_nothing(
    db_2024: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = load_db(db_2024, 2024)
    book = tmp_path / "budget.xlsx"
    export(db_2024, book)
    wb = openpyxl.load_workbook(book)
    targets = wb["추진 목표"]
    targets[f"F{key_row(targets, 'r|1-1|2|')}"] = "'25.10월"
    wb.save(book)
    capsys.readouterr()
    assert main(["import-xlsx", str(book), "--db", str(db_2024), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "바뀐 칸 1개" in out and "1-1 추진 목표 2행 추진시기" in out and "--dry-run" in out
    assert load_db(db_2024, 2024) == before
    assert main(["import-xlsx", str(book), "--db", str(db_2024), "--year", "2023"]) == 2
    assert "2024년 보고서에서 내보낸 통합 문서입니다" in capsys.readouterr().err


def test_export_xlsx_and_import_xlsx_as_a_user_types_them(
    db_2024: Path, tmp_path: Path, imported_2024: ImportResult
) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    book = tmp_path / "예산 2024.xlsx"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "seri_desktop", *args], capture_output=True, text=True, env=env)

    done = run("export-xlsx", "--db", str(db_2024), "-o", str(book))
    assert done.returncode == 0, done.stderr
    assert "2024년 예산 통합 문서를 내보냈습니다" in done.stdout
    done = run("export-xlsx", "--db", str(db_2024), "-o", str(tmp_path / "budget.csv"))
    assert done.returncode == 2 and ".xlsx로 끝나야 합니다" in done.stderr
    done = run("import-xlsx", str(book), "--db", str(db_2024), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "다른 칸이 없습니다" in done.stdout
    write_budget_workbook(copy.deepcopy(imported_2024.report), tmp_path / "direct.xlsx")
    assert (tmp_path / "direct.xlsx").stat().st_size > 10_000
