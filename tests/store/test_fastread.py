"""The read-only load without SQLAlchemy (store/fastread.py): the store's report, or ``None`` when unsure.

Real SQLite files written by the store; the reports compared with the
store's own loader field by field (dataclass equality, types included: a
date must stay a date, a flag a bool).
"""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Boolean, Date
from sqlalchemy.types import JSON

from seri_desktop.domain.model import Report
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.fastread import CONVERTED, SCHEMA_TABLES, load_report_file
from seri_desktop.store.repository import load_report, save_report
from seri_desktop.store.tables import metadata
from tests.helpers.reports import make_report

REPO = Path(__file__).resolve().parents[2]


def _types(value: Any) -> Any:
    """``value`` with every leaf replaced by (type, value), so equality also compares types."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value), {f.name: _types(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if isinstance(value, list | tuple):
        return (type(value), [_types(v) for v in value])
    if isinstance(value, dict):
        return (type(value), {k: _types(v) for k, v in value.items()})
    return (type(value), value)


def _stored(path: Path, *reports: Report) -> None:
    engine = create_engine_for(path)
    try:
        for report in reports:
            save_report(engine, report)
    finally:
        engine.dispose()


def _store_load(path: Path, year: int | None = None) -> Report | None:
    engine = create_engine_for(path, read_only=True)
    try:
        return load_report(engine, year)
    finally:
        engine.dispose()


def test_conversions_and_tables_match_the_metadata() -> None:
    kinds = {JSON: "JSON", Boolean: "Boolean", Date: "Date"}
    for name, converted in CONVERTED.items():
        table = metadata.tables[name]
        expected = {c.name: kind for c in table.columns for cls, kind in kinds.items() if isinstance(c.type, cls)}
        assert converted == expected, name
    assert frozenset(metadata.tables) | {"alembic_version"} == SCHEMA_TABLES


def test_the_2024_report_reads_as_the_store_reads_it(tmp_db: Path, imported_2024: ImportResult) -> None:
    _stored(tmp_db, imported_2024.report)
    fast = load_report_file(tmp_db)
    assert fast is not None
    assert _types(fast) == _types(_store_load(tmp_db))
    assert len(list(fast.programs())) == 33


def test_every_kind_of_field_and_the_year_asked_for(tmp_db: Path) -> None:
    # Dates, JSON layouts and tables, NULL tables, flags, invalid cells, a program without budget.
    _stored(tmp_db, make_report(2023, programs_per_chapter=4), make_report(2024))
    for year in (2023, 2024, None):
        fast = load_report_file(tmp_db, year)
        assert fast is not None
        assert _types(fast) == _types(_store_load(tmp_db, year)), year
    assert load_report_file(tmp_db, 2025) is None  # no such report: the store says so in its words


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param("UPDATE alembic_version SET version_num = '0003'", id="older-revision"),
        pytest.param("UPDATE alembic_version SET version_num = '9999'", id="newer-revision"),
        pytest.param("CREATE TABLE someone_elses (x INTEGER)", id="foreign-table"),
        pytest.param("UPDATE outline_item SET kind = 'nonsense'", id="damaged-row"),
        pytest.param("UPDATE program SET layout = '{not json'", id="damaged-json"),
    ],
)
def test_not_read_here_when_unsure_and_the_file_untouched(
    tmp_db: Path, spoil: str
) -> None:
    _stored(tmp_db, make_report())
    with sqlite3.connect(tmp_db) as conn:
        conn.execute(spoil)
    conn.close()
    before = _digest(tmp_db)
    assert load_report_file(tmp_db) is None
    assert _digest(tmp_db) == before
    assert not Path(f"{tmp_db}-wal").exists()


def test_missing_and_foreign_files_are_left_to_the_store(tmp_path: Path) -> None:
    assert load_report_file(tmp_path / "missing.sqlite") is None
    assert not (tmp_path / "missing.sqlite").exists()
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database", encoding="utf-8")
    assert load_report_file(text) is None
    assert text.read_text(encoding="utf-8") == "not a database"


def test_a_damaged_file_still_gets_the_stores_korean_message(tmp_db: Path) -> None:
    _stored(tmp_db, make_report())
    with sqlite3.connect(tmp_db) as conn:
        conn.execute("UPDATE outline_item SET kind = 'nonsense'")
    conn.close()
    done = subprocess.run(
        [sys.executable, "-m", "seri_desktop", "info", "--db", str(tmp_db)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 2, done.stderr
    assert "자료가 올바르지 않습니다" in done.stderr


def test_a_read_only_command_does_not_import_sqlalchemy(tmp_db: Path, imported_2024: ImportResult) -> None:
    _stored(tmp_db, imported_2024.report)
    out = tmp_db.with_suffix(".txt")
    code = (
        "import sys\n"
        "from seri_desktop.cli import main\n"
        f"status = main(['export-text', '--db', {str(tmp_db)!r}, '-o', {str(out)!r}])\n"
        "print(status, sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'alembic')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 []"
    assert "1-1" in out.read_text(encoding="utf-8")
