"""Locks (확정) hold on every command-line write path, not only in the window (issue 12, item 3).

A program the office confirmed (제출됨 → 확정) is changed through a workbook
(import-xlsx) and through a text export (import-text --replace): each is
refused with exit 2 and a Korean message naming the program and the lock,
and the database is unchanged (full text export and every table's row count).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from seri_desktop.cli import main
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report
from tests.helpers.db import db_state, load_db
from tests.helpers.workbook import key_row

SHEET = "교육정책연구소"


def _confirm(db: Path, code: str) -> None:
    assert main(["state", "--db", str(db), code, "제출됨"]) == 0
    assert main(["state", "--db", str(db), code, "확정"]) == 0


def test_import_xlsx_does_not_change_a_confirmed_program(
    office_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _confirm(office_copy, "1-1")
    book = tmp_path / "budget.xlsx"
    assert main(["export-xlsx", "--db", str(office_copy), "-o", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    ws = wb[SHEET]
    row = key_row(ws, "l|1-1|1|")
    value = ws[f"G{row}"].value
    assert isinstance(value, int)
    ws[f"G{row}"] = value + 1
    wb.save(book)
    before = db_state(office_copy)
    capsys.readouterr()

    assert main(["import-xlsx", str(book), "--db", str(office_copy)]) == 2
    err = capsys.readouterr().err
    assert "1-1" in err and "확정" in err
    assert db_state(office_copy) == before


def test_import_text_replace_does_not_change_a_confirmed_program(
    office_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _confirm(office_copy, "1-1")
    report = load_db(office_copy, 2024)
    program = report.program("1-1")
    assert program is not None
    text = tmp_path / "report.txt"
    assert main(["export-text", "--db", str(office_copy), "-o", str(text)]) == 0
    content = text.read_text(encoding="utf-8")
    heading = f"\n1-1 {program.title}\n"  # the program's own heading (the chapter's contents list it too)
    assert content.count(heading) == 1
    text.write_text(content.replace(heading, f"\n1-1 {program.title} (확정 뒤 고침)\n"), encoding="utf-8")
    before = db_state(office_copy)
    capsys.readouterr()

    assert main(["import-text", str(text), "--db", str(office_copy), "--replace"]) == 2
    err = capsys.readouterr().err
    assert "1-1" in err and "확정" in err
    assert db_state(office_copy) == before

    # An unconfirmed program changes through the same path (the refusal is the lock, not the path).
    other = report.program("1-2")
    assert other is not None
    other_heading = f"\n1-2 {other.title}\n"
    assert content.count(other_heading) == 1
    text.write_text(content.replace(other_heading, f"\n1-2 {other.title} (고침)\n"), encoding="utf-8")
    assert main(["import-text", str(text), "--db", str(office_copy), "--replace"]) == 0
    engine = create_engine_for(office_copy)
    try:
        after = load_report(engine, 2024)
    finally:
        engine.dispose()
    assert after is not None and after.program("1-2").title == other.title + " (고침)"  # type: ignore[union-attr]
    assert after.program("1-1").title == program.title  # type: ignore[union-attr]
