"""The lost update of issue 12, with two processes: a merge lands between import-xlsx's read and its save.

The test process runs the workbook import's own steps (read the report with
its revisions, read the workbook against it, save through the unit of work);
between the read and the save a second process (the real CLI) merges a
department's submission that changes the same program. The import's save is
refused with the program named, and the database is exactly what the merge
left: nothing of the workbook written, the merged change kept.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from seri_desktop.cli import main
from seri_desktop.formats.xlsx import read_budget_workbook
from seri_desktop.store.audit import Via, audit_log
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report
from seri_desktop.store.unit import StaleWriteError, read_snapshot, unit_of_work
from tests.helpers.db import engine_state
from tests.helpers.workbook import key_row

SHEET = "교육정책연구소"


def _line_row(book: Path, prefix: str) -> int:
    return key_row(openpyxl.load_workbook(book)[SHEET], prefix)


def test_a_merge_between_the_workbook_read_and_its_save_is_never_overwritten(
    office_copy: Path,
    exchange_template: dict[str, Path],
    tmp_path: Path,
    recorded_name: str,
) -> None:
    book = tmp_path / "budget.xlsx"
    assert main(["export-xlsx", "--db", str(office_copy), "-o", str(book)]) == 0
    row = _line_row(book, "l|1-1|1|")
    wb = openpyxl.load_workbook(book)
    old_amount = wb[SHEET][f"G{row}"].value
    assert isinstance(old_amount, int)
    wb[SHEET][f"G{row}"] = old_amount + 500  # 1-1 line 1, 3분기
    wb.save(book)

    engine = create_engine_for(office_copy)
    try:
        # The workbook import reads the report (with its revisions) and the workbook.
        snapshot = read_snapshot(engine, 2024)
        result = read_budget_workbook(book, snapshot.report)
        assert [c.program for c in result.changes] == ["1-1"]

        # Meanwhile another process merges the department's submission, which changes 1-1 too.
        merged = subprocess.run(
            [
                sys.executable,
                "-m",
                "seri_desktop",
                "merge",
                "--db",
                str(office_copy),
                str(exchange_template["submission"]),
                "--accept-all",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            timeout=120,
            check=False,
        )
        assert merged.returncode == 0, merged.stderr
        after_merge = engine_state(engine)
        merged_report = load_report(engine, 2024)
        assert merged_report is not None
        merged_1_1 = copy.deepcopy(merged_report.program("1-1"))
        assert merged_1_1 is not None
        assert any(i.text.endswith(" (부서 수정)") for i in merged_1_1.achievements)
        entries = len(audit_log(engine, 2024))

        # The import's save now finds 1-1 moved on since its read: refused, nothing written.
        with (
            pytest.raises(StaleWriteError) as refused,
            unit_of_work(engine, 2024, who=recorded_name, via=Via.XLSX) as work,
        ):
            work.apply(result.report, snapshot)
        assert "1-1" in str(refused.value)
        assert refused.value.code
        assert engine_state(engine) == after_merge
        assert len(audit_log(engine, 2024)) == entries
        stored = load_report(engine, 2024)
        assert stored is not None and stored.program("1-1") == merged_1_1
        line = stored.program("1-1").budget.lines[0]  # type: ignore[union-attr]
        assert line.quarters[2].amount.value == old_amount  # the stale workbook value was not written
    finally:
        engine.dispose()

    # Importing the workbook again reads the merged report: the change lands on top of the merge.
    assert main(["import-xlsx", str(book), "--db", str(office_copy)]) == 0
    engine = create_engine_for(office_copy)
    try:
        final = load_report(engine, 2024)
        assert final is not None
        program = final.program("1-1")
        assert program is not None and program.budget is not None
        assert program.budget.lines[0].quarters[2].amount.value == old_amount + 500
        assert program.achievements == merged_1_1.achievements  # the merged change survived
    finally:
        engine.dispose()
