"""The audit log is tamper-evident (issue 12, item 4): ``audit --verify`` names the first altered entry.

The office database's log (the report saved, packages issued) is checked
intact; then, with only the database file in hand, an entry is edited, an
entry is deleted, and the newest entries are cut off: each is found, and the
message says from which entry.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from seri_desktop.cli import main
from seri_desktop.paths import DATA_DIR_ENV_VAR
from seri_desktop.settings import set_user_name


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded_name: str) -> None:
    """This test's own data folder: the anchors of other tests' copies of the same report are not this one's."""
    folder = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(folder))
    set_user_name(recorded_name, folder)


def _verify(db: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["audit", "--db", str(db), "--year", "2024", "--verify"])
    return status, capsys.readouterr().out


def _sql(db: Path, statement: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(statement).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def test_verify_finds_an_edited_entry(office_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A write from this computer leaves its anchor (the newest entry's id and hash) in the data folder.
    assert main(["comment", "--db", str(office_copy), "1-1", "예산 근거를 보완하십시오"]) == 0
    status, out = _verify(office_copy, capsys)
    assert status == 0 and "온전합니다" in out
    ids = [int(r[0]) for r in _sql(office_copy, "SELECT id FROM audit_log WHERE year = 2024 ORDER BY id")]
    assert len(ids) >= 3
    _sql(office_copy, f"UPDATE audit_log SET who = '다른 사람' WHERE id = {ids[1]}")
    status, out = _verify(office_copy, capsys)
    assert status != 0
    assert f"{ids[1]}번 항목부터" in out and "바뀌었습니다" in out


def test_verify_finds_a_deleted_entry_and_a_cut_off_end(office_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["comment", "--db", str(office_copy), "1-1", "첫째 의견"]) == 0
    ids = [int(r[0]) for r in _sql(office_copy, "SELECT id FROM audit_log WHERE year = 2024 ORDER BY id")]
    assert len(ids) >= 3
    cut = office_copy.with_name("cut.sqlite")
    cut.write_bytes(office_copy.read_bytes())

    _sql(office_copy, f"DELETE FROM audit_log WHERE id = {ids[1]}")
    status, out = _verify(office_copy, capsys)
    assert status != 0 and f"{ids[2]}번 항목부터" in out

    # Cutting off the newest entry leaves a chain that links, but this computer's anchor names the lost entry.
    _sql(cut, f"DELETE FROM audit_log WHERE id = {ids[-1]}")
    status, out = _verify(cut, capsys)
    assert status != 0 and f"{ids[-1]}번" in out
