"""Killed mid-write: merge, workbook import and text import, each killed (SIGKILL) at 20+ points of its write.

Each command first runs to the end once, counting the SQL statements of its
write transactions (``SERI_FAULT_COUNT_FILE``, see
:mod:`seri_desktop.store.engine`), which gives the new state. Then, on fresh
copies of the office database, the real command is killed at the k-th
statement (``SERI_FAULT_KILL_AT``) for at least 20 values of k spread over the
whole write (the first, the last, and random ones in between). After every
kill the file passes ``PRAGMA integrity_check`` and holds entirely the old
report or entirely the new one (full text export and every table's row count).
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from seri_desktop.cli import main
from seri_desktop.store.engine import FAULT_COUNT_FILE_VARIABLE, FAULT_KILL_AT_VARIABLE
from tests.helpers.db import db_state, load_db
from tests.helpers.workbook import key_row

KILLS = 20
SHEET = "교육정책연구소"


def _copy(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes())
    return target


def _run(args: list[str], env: dict[str, str], folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seri_desktop", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
        cwd=folder,
        timeout=180,
        check=False,
    )


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _kill_points(count: int, seed: int) -> list[int]:
    """At least KILLS points in 1..count: the first, the last and random ones between (repeats when fewer exist)."""
    rng = random.Random(seed)
    points = [1, count] + [rng.randint(1, count) for _ in range(KILLS - 2)]
    if count >= KILLS:
        points = sorted({1, count, *rng.sample(range(2, count), KILLS - 2)})
    return points


def _kill_everywhere(
    name: str,
    office: Path,
    args: Callable[[Path], list[str]],
    tmp_path: Path,
    seed: int,
) -> None:
    old = db_state(office)
    counted = _copy(office, tmp_path / f"{name}-counted.sqlite")
    count_file = tmp_path / f"{name}-count.txt"
    done = _run(args(counted), {FAULT_COUNT_FILE_VARIABLE: str(count_file)}, tmp_path)
    assert done.returncode == 0, done.stderr
    new = db_state(counted)
    assert new != old  # the command changes something, so old and new can be told apart
    count = int(count_file.read_text(encoding="utf-8"))
    assert count >= 2

    outcomes = {"old": 0, "new": 0}
    points = _kill_points(count, seed)
    assert len(points) >= KILLS
    for n, point in enumerate(points):
        db = _copy(office, tmp_path / f"{name}-kill-{n}.sqlite")
        killed = _run(args(db), {FAULT_KILL_AT_VARIABLE: str(point)}, tmp_path)
        assert killed.returncode == -9, (point, killed.returncode, killed.stderr)
        assert _integrity(db) == "ok", point
        after = db_state(db)
        assert after in (old, new), (
            f"{name}: killed at statement {point} of {count}: neither the old nor the new report"
        )
        outcomes["old" if after == old else "new"] += 1
    # Killed before its commit the command leaves the old report; the kill at the last statement is before it too.
    assert outcomes["old"] >= 1


@pytest.mark.acceptance
def test_merge_killed_anywhere_leaves_the_old_or_the_new_report(
    office_copy: Path, exchange_template: dict[str, Path], tmp_path: Path
) -> None:
    submission = exchange_template["submission"]
    _kill_everywhere(
        "merge",
        office_copy,
        lambda db: ["merge", "--db", str(db), str(submission), "--accept-all"],
        tmp_path,
        seed=12,
    )


@pytest.mark.acceptance
def test_workbook_import_killed_anywhere_leaves_the_old_or_the_new_report(
    office_copy: Path, tmp_path: Path
) -> None:
    book = tmp_path / "budget.xlsx"
    assert main(["export-xlsx", "--db", str(office_copy), "-o", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    ws = wb[SHEET]
    for prefix in ("l|1-1|1|", "l|1-2|1|"):
        row = key_row(ws, prefix)
        value = ws[f"G{row}"].value
        assert isinstance(value, int)
        ws[f"G{row}"] = value + 7
    wb.save(book)
    _kill_everywhere(
        "xlsx", office_copy, lambda db: ["import-xlsx", str(book), "--db", str(db)], tmp_path, seed=13
    )


@pytest.mark.acceptance
def test_text_import_killed_anywhere_leaves_the_old_or_the_new_report(
    office_copy: Path, tmp_path: Path
) -> None:
    report = load_db(office_copy, 2024)
    text = tmp_path / "report.txt"
    assert main(["export-text", "--db", str(office_copy), "-o", str(text)]) == 0
    content = text.read_text(encoding="utf-8")
    for code in ("1-2", "2-5"):
        program = report.program(code)
        assert program is not None
        heading = f"\n{code} {program.title}\n"
        assert content.count(heading) == 1
        content = content.replace(heading, f"\n{code} {program.title} (고침)\n")
    text.write_text(content, encoding="utf-8")
    _kill_everywhere(
        "text",
        office_copy,
        lambda db: ["import-text", str(text), "--db", str(db), "--replace"],
        tmp_path,
        seed=14,
    )
