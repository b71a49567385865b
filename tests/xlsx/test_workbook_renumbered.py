"""Stable identity in the workbook (issue 13, item 1): its hidden keys name programs by uid, not code.

A workbook is exported, then the office swaps 1-1 and 1-2 (order and codes).
An amount changed in the workbook on the program exported as 1-1 lands in
that program, now numbered 1-2, and the program now numbered 1-1 is left
as it was. A workbook from before the ids, whose keys hold codes, still reads.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from seri_desktop.cli import main
from seri_desktop.domain.model import Cell
from seri_desktop.formats.xlsx import layout as L
from tests.helpers.db import load_db, swap_first_two_programs
from tests.helpers.workbook import key_row


def _uid_row(ws: openpyxl.worksheet.worksheet.Worksheet, uid: str) -> int:
    prefix = L.make_key(L.KEY_LINE, uid, 1)[: -len("|")]  # "l|<uid>|1" without the empty fingerprint
    hits = [r for r in range(4, ws.max_row + 1) if str(ws.cell(r, L.B_KEY).value or "").startswith(prefix + "|")]
    assert len(hits) == 1, hits
    return hits[0]


def test_a_workbook_exported_before_a_renumbering_lands_in_the_right_program(
    db_2024: Path, tmp_path: Path
) -> None:
    book = tmp_path / "budget.xlsx"
    assert main(["export-xlsx", "--db", str(db_2024), "-o", str(book)]) == 0
    before = load_db(db_2024, 2024)
    old_first, old_second = before.chapters[0].programs[0], before.chapters[0].programs[1]
    wb = openpyxl.load_workbook(book)
    ws = wb[old_first.department]
    row = _uid_row(ws, old_first.uid)
    assert ws.cell(row, L.B_CODE).value == "1-1"  # as exported
    ws.cell(row, L.B_AMOUNTS[0]).value = 123_456
    wb.save(book)

    issued, other = swap_first_two_programs(db_2024)
    assert (issued, other) == (old_first.uid, old_second.uid)
    assert main(["import-xlsx", str(book), "--db", str(db_2024)]) == 0

    after = load_db(db_2024, 2024)
    moved = after.program_by_uid(issued)
    assert moved is not None and moved.code == "1-2" and moved.budget is not None
    assert moved.budget.lines[0].current == Cell.amount(123_456)
    untouched = after.program_by_uid(other)
    assert untouched is not None and untouched.code == "1-1"
    assert untouched.budget == old_second.budget


def test_keys_holding_a_code_from_before_the_ids_still_read(db_2024: Path, tmp_path: Path) -> None:
    book = tmp_path / "budget.xlsx"
    assert main(["export-xlsx", "--db", str(db_2024), "-o", str(book)]) == 0
    before = load_db(db_2024, 2024)
    wb = openpyxl.load_workbook(book)
    ws = wb[before.chapters[0].programs[0].department]
    for program in before.programs():  # write every key of this sheet the old way: kind|code|n|fingerprint
        for r in range(4, ws.max_row + 1):
            cell = ws.cell(r, L.B_KEY)
            if isinstance(cell.value, str) and program.uid in cell.value:
                cell.value = cell.value.replace(program.uid, program.code)
    row = key_row(ws, "l|1-1|1|")
    assert str(ws.cell(row, L.B_KEY).value).startswith("l|1-1|1|")
    ws.cell(row, L.B_AMOUNTS[0]).value = 654_321
    wb.save(book)
    assert main(["import-xlsx", str(book), "--db", str(db_2024)]) == 0
    after = load_db(db_2024, 2024)
    first = after.chapters[0].programs[0]
    assert first.code == "1-1" and first.uid == before.chapters[0].programs[0].uid and first.budget is not None
    assert first.budget.lines[0].current == Cell.amount(654_321)
