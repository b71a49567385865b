"""The audit log's CSV export: its rows as people read them, and text that a spreadsheet would run kept as text.

The log is filled by the real paths: the 2024 report saved, a package
issued, a department's submission of a changed item merged, and a few
entries recorded with hostile values through the store's own ``record_in``.
Each CSV is written to disk and read back with the ``csv`` module.
"""

from __future__ import annotations

import copy
import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from seri_desktop.domain.model import ItemKind
from seri_desktop.exchange.merge import ACCEPT, apply_merge, preview_merge
from seri_desktop.exchange.package import create_package
from seri_desktop.exchange.submission import create_submission
from seri_desktop.formats.audit_csv import CSV_HEADER, export_audit_csv
from seri_desktop.formats.files import FileWriteError
from seri_desktop.formats.injection import looks_like_formula
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.audit import AuditAction, audit_log, record_in
from seri_desktop.store.engine import create_engine_for, transaction
from seri_desktop.store.repository import load_report, save_program, save_report
from tests.helpers.hostile import FORMULA_TEXTS

DEPARTMENT = "교육정책연구소"
OFFICE = "기획팀"
# Control characters too: a CSV cell may hold them (a workbook cell may not).
HOSTILE = [*FORMULA_TEXTS, "\r=1+1", "\x01=1+1", " =1+1", "=cmd|' /C calc'!A0"]


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


@pytest.fixture
def office(tmp_path: Path, imported_2024: ImportResult) -> Iterator[Engine]:
    """An office database whose log holds a package, a merged submission with one changed item, and its decisions."""
    office_path = tmp_path / "office.sqlite"
    engine = create_engine_for(office_path)
    save_report(engine, copy.deepcopy(imported_2024.report))
    package = tmp_path / "dept.seripkg"
    create_package(engine, DEPARTMENT, package, who=OFFICE)
    department = create_engine_for(package)
    report = load_report(department, 2024)
    assert report is not None
    program = report.program("1-1")
    assert program is not None
    item = next(i for i in program.achievements if i.kind is ItemKind.ITEM)
    item.text += " (부서 수정)"
    save_program(department, 2024, program)
    submission = tmp_path / "dept.serisub"
    create_submission(department, submission, author="홍길동")
    department.dispose()
    preview = preview_merge(engine, submission)
    apply_merge(engine, preview, dict.fromkeys(preview.pending(), ACCEPT), {}, OFFICE)
    yield engine
    engine.dispose()


def test_the_audit_log_exports_as_csv(office: Engine, tmp_path: Path) -> None:
    # Moved here with export_audit_csv from store/audit.py; the assertions are the ones it had.
    out = tmp_path / "audit.csv"
    count = export_audit_csv(office, out, year=2024)
    rows = _read(out)
    assert rows[0][:4] == ["번호", "시각(UTC)", "작업자", "작업"]
    assert len(rows) == count + 1
    field = next(r for r in rows if r[3] == "항목 변경")
    assert field[5] == "1-1" and field[7].startswith("추진 실적") and "(부서 수정)" in field[9]
    assert "(부서 수정)" not in field[8]
    assert {r[3] for r in rows[1:]} >= {"꾸러미 발급", "제출 반영", "항목 변경", "상태 변경", "제출 처리"}
    assert export_audit_csv(office, tmp_path / "one.csv", year=2024, item="1-1") < count
    assert tuple(rows[0]) == CSV_HEADER
    assert count == len(audit_log(office, 2024))


def test_hostile_values_are_written_as_text_never_as_formulas(office: Engine, tmp_path: Path) -> None:
    with transaction(office, write=True) as conn:
        for n, value in enumerate(HOSTILE, start=1):
            record_in(
                conn,
                year=2024,
                who=value,
                action=AuditAction.FIELD,
                item="1-1",
                section="achievements",
                row=n,
                column=value,
                old=value,
                new=f"{value}\n둘째 줄",
            )
        # A lone "-" is the none marker of a budget cell, and a negative figure in words stays as typed.
        record_in(conn, year=2024, who=OFFICE, action=AuditAction.FIELD, item="1-2", old="-", new="△1,234")
    out = tmp_path / "hostile.csv"
    export_audit_csv(office, out, year=2024)
    rows = _read(out)
    hostile = [r for r in rows[1:] if r[2] != OFFICE and r[2] != "홍길동" and r[3] == "항목 변경"]
    assert len(hostile) == len(HOSTILE)
    for row, value in zip(hostile, HOSTILE, strict=True):
        # Each field that held the value starts with the quote and then the value, exactly.
        assert row[2] == "'" + value
        assert row[7].endswith(value) and not looks_like_formula(row[7])
        assert row[8] == "'" + value
        assert row[9] == "'" + value + "\n둘째 줄"
    # No field of any row is left that a spreadsheet would evaluate.
    assert [f for r in rows for f in r if looks_like_formula(f)] == []
    plain = next(r for r in rows[1:] if r[5] == "1-2" and r[8] == "-")
    assert plain[9] == "△1,234"
    # Numbers stay numbers (the entry's number, the year).
    assert all(r[0].isdigit() and r[4] == "2024" for r in rows[1:])


def test_an_unwritable_folder_is_a_korean_error(office: Engine, unwritable_folder: Path) -> None:
    before = sorted(p.name for p in unwritable_folder.iterdir())
    with pytest.raises(FileWriteError, match="CSV 파일을 저장할 수 없습니다") as refused:
        export_audit_csv(office, unwritable_folder / "audit.csv", year=2024)
    assert str(unwritable_folder / "audit.csv") in refused.value.message
    assert sorted(p.name for p in unwritable_folder.iterdir()) == before


def test_a_name_too_long_a_missing_folder_or_a_folder_as_the_name_is_a_korean_error(
    office: Engine, tmp_path: Path
) -> None:
    with pytest.raises(FileWriteError, match="CSV 파일을 저장할 수 없습니다"):
        export_audit_csv(office, tmp_path / ("가" * 200 + ".csv"), year=2024)
    with pytest.raises(FileWriteError, match="저장할 폴더가 없습니다") as missing:
        export_audit_csv(office, tmp_path / "없는 폴더" / "audit.csv", year=2024)
    assert missing.value.code == "file-write"
    with pytest.raises(FileWriteError, match="폴더를 지정했습니다"):
        export_audit_csv(office, tmp_path, year=2024)
    for folder in (Path("."), Path("/")):  # names without a file name at all
        with pytest.raises(FileWriteError, match="폴더를 지정했습니다"):
            export_audit_csv(office, folder, year=2024)
    # Nothing was left behind: no CSV and no temporary file.
    assert [p.name for p in tmp_path.iterdir() if p.suffix in (".csv", ".part")] == []
