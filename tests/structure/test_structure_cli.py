"""``seri-desktop structure <op>`` end to end on the imported 2024 report (issue 13, item 2).

Every operation runs through :func:`seri_desktop.cli.main` on a real
database and is read back from the store; the refusals (a chapter that still
has programs, a duplicate chapter or program, an unknown department, a used
department, a package) exit 2 with the Korean message and leave the database
as it was: its full text export and every table's row count. One run goes
through the real process (``python -m seri_desktop``); the refusals run on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import URL

from seri_desktop.cli import main
from seri_desktop.domain.model import Report
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.audit import AuditAction, audit_log, program_audit
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import save_report
from tests.helpers.db import db_state, load_db


def _arg(db: Path | URL) -> str:
    return db.render_as_string(hide_password=False) if isinstance(db, URL) else str(db)


@pytest.fixture
def db(tmp_db: Path, imported_2024: ImportResult) -> Path:
    engine = create_engine_for(tmp_db)
    save_report(engine, copy.deepcopy(imported_2024.report))
    engine.dispose()
    return tmp_db


def structure(db: Path | URL, op: str, *args: str) -> int:
    return main(["structure", op, "--db", _arg(db), *args])


def codes(report: Report, chapter: int) -> list[str]:
    return [f"{p.code} {p.title}" for p in report.chapters[chapter - 1].programs]


def test_every_operation_changes_the_stored_report(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = load_db(db)
    uid_49 = before.program("4-9").uid  # type: ignore[union-attr]

    assert structure(db, "move-program", "4-9", "--to-chapter", "5") == 0
    out = capsys.readouterr().out
    assert "번호 바뀜: 4-9 → 5-8 디지털 역량 강화 교원 연수 지원(신규)" in out
    report = load_db(db)
    assert report.program_by_uid(uid_49).code == "5-8"  # type: ignore[union-attr]
    assert len(report.chapters[3].programs) == 8

    assert structure(db, "add-program", "--chapter", "2", "--title", "새 연수 사업", "--department", "기획평가부") == 0
    report = load_db(db)
    added = report.program("2-8")
    assert added is not None and (added.title, added.department) == ("새 연수 사업", "기획평가부")
    assert added.targets is not None and added.budget is not None and not added.budget.lines

    assert (
        structure(db, "add-program", "--chapter", "1", "--title", "복사한 사업", "--copy-of", "1-2", "--position", "1")
        == 0
    )
    out = capsys.readouterr().out
    assert "번호 바뀜: 1-1 → 1-2 서울교육정책 연구·나눔" in out and "번호 바뀜: 1-3 → 1-4 위탁·현장연구 운영" in out
    report = load_db(db)
    copied, source = report.program("1-1"), report.program("1-3")
    assert copied is not None and source is not None and copied.title == "복사한 사업"
    assert copied.overview.purpose == source.overview.purpose and copied.uid != source.uid
    assert copied.budget is not None and all(line.current.value is None for line in copied.budget.lines)

    assert structure(db, "rename-program", "1-1", "--title", "고친 이름") == 0
    assert load_db(db).program("1-1").title == "고친 이름"  # type: ignore[union-attr]
    assert structure(db, "move-program", "1-1", "--down") == 0
    assert codes(load_db(db), 1)[:2] == ["1-1 서울교육정책 연구·나눔", "1-2 고친 이름"]
    assert structure(db, "move-program", "1-2", "--up") == 0
    assert codes(load_db(db), 1)[0] == "1-1 고친 이름"
    assert structure(db, "set-department", "1-1", "--department", "기획평가부") == 0
    assert load_db(db).program("1-1").department == "기획평가부"  # type: ignore[union-attr]
    capsys.readouterr()
    assert structure(db, "delete-program", "1-1", "--confirm") == 0
    assert "삭제: 1-1 고친 이름" in capsys.readouterr().out
    assert load_db(db).program("1-1").title == "서울교육정책 연구·나눔"  # type: ignore[union-attr]

    assert structure(db, "add-chapter", "--title", "새 장", "--department", "기획평가부") == 0
    assert [c.title for c in load_db(db).chapters][-1] == "새 장"
    assert structure(db, "rename-chapter", "6", "--title", "다른 장") == 0
    assert structure(db, "move-chapter", "6", "--to", "1") == 0
    report = load_db(db)
    assert report.chapters[0].title == "다른 장" and report.chapters[1].programs[0].code == "2-1"
    assert structure(db, "delete-chapter", "1") == 0
    assert [c.number for c in load_db(db).chapters] == [1, 2, 3, 4, 5]

    assert structure(db, "add-department", "새 부서") == 0
    assert structure(db, "rename-department", "새 부서", "새 이름 부서") == 0
    assert structure(db, "remove-department", "새 이름 부서") == 0
    assert load_db(db).department("새 이름 부서") is None

    assert structure(db, "rename-department", "교수학습정보부", "교수학습지원부") == 0
    report = load_db(db)
    assert {p.code for p in report.programs() if p.department == "교수학습지원부"} == {
        f"4-{n}" for n in range(1, 9)
    } | {"5-8"}
    assert not any(p.department == "교수학습정보부" for p in report.programs())
    assert report.chapters[3].department == "교수학습지원부"

    assert structure(db, "merge-departments", "교수학습지원부", "--into", "교육정보화부") == 0
    report = load_db(db)
    assert report.department("교수학습지원부") is None
    assert all(p.department == "교육정보화부" for p in report.chapters[3].programs)

    # The audit log follows 4-9 (now 5-8) across the move, and one structure entry per change.
    engine = create_engine_for(db)
    try:
        history = program_audit(engine, 2024, "5-8")
        assert any(e.old == "4-9" and e.new == "5-8" for e in history)
        entries = [e for e in audit_log(engine, 2024) if e.action == AuditAction.STRUCTURE]
        assert len(entries) == 17  # one per operation above
    finally:
        engine.dispose()


def test_a_deleted_program_is_kept_in_the_audit_log(db: Path) -> None:
    achievements = load_db(db).program("3-3").achievements  # type: ignore[union-attr]
    assert structure(db, "delete-program", "3-3", "--confirm") == 0
    engine = create_engine_for(db)
    try:
        removed = [e for e in audit_log(engine, 2024) if e.item_code == "3-3" and e.detail.get("content")]
    finally:
        engine.dispose()
    assert len(removed) == 1
    assert removed[0].detail["content"]["title"] == "인정도서 심의"
    assert achievements and removed[0].detail["content"]["achievements"][0]["text"] == achievements[0].text


def test_dry_run_shows_the_plan_and_writes_nothing(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = db_state(db, 2024)
    assert structure(db, "delete-chapter", "1", "--confirm", "--dry-run") == 0
    out = capsys.readouterr().out
    assert (
        "장 번호 바뀜: 2장 → 1장" in out and "번호 바뀜: 2-1 → 1-1" in out and "삭제: 1-1 서울교육정책 연구·나눔" in out
    )
    assert "저장하지 않았습니다" in out
    assert db_state(db, 2024) == before


REFUSALS = [
    (("delete-chapter", "3"), "3장에 사업이 7개 있습니다(3-1 교육과정 편성·운영 지원"),
    (
        ("add-chapter", "--title", "미래 교육을 지원하는 디지털 환경 구축", "--department", "교육정보화부"),
        "장이 이미 있습니다",
    ),
    (("add-program", "--chapter", "2", "--title", "교과교육연구회 활동 지원"), "사업이 이미 있습니다"),
    (("rename-program", "2-1", "--title", "교과교육연구회 활동 지원"), "사업이 이미 있습니다"),
    (("add-program", "--chapter", "2", "--title", "새 사업", "--department", "없는부"), "'없는부' 부서가 없습니다"),
    (("set-department", "2-1", "--department", "없는부"), "'없는부' 부서가 없습니다. 있는 부서: 교육정책연구소"),
    (("remove-department", "교육정보화부"), "'교육정보화부' 부서는 쓰이고 있어 뺄 수 없습니다(5-1 사업"),
    (("rename-department", "기획평가부", "교육정보화부"), "'교육정보화부' 부서가 이미 있습니다"),
    (("add-department", "기획평가부"), "'기획평가부' 부서가 이미 있습니다"),
    (("delete-program", "2-1"), "2-1 사업 '학교자치의 바탕을 이루는 학교평가 지원'을(를) 지우려면 확인하십시오"),
    (("move-program", "2-1", "--up"), "2-1 사업은 2장의 맨 위에 있어"),
    (("move-program", "9-9", "--to-chapter", "1"), "9-9 사업이 없습니다"),
    (("move-program", "2-1", "--to-chapter", "7"), "7장이 없습니다"),
    (("merge-departments", "기획평가부", "--into", "기획평가부"), "자기 자신과 합칠 수 없습니다"),
]


@pytest.mark.parametrize(("args", "message"), REFUSALS, ids=[" ".join(a[:2]) for a, _ in REFUSALS])
def test_refusals_leave_the_database_unchanged(
    db: Path,
    args: tuple[str, ...],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = db_state(db, 2024)
    assert structure(db, *args) == 2
    assert message in capsys.readouterr().err
    assert db_state(db, 2024) == before


def test_refusal_on_both_engines(
    db_target: Path | URL,
    imported_2024: ImportResult,
    capsys: pytest.CaptureFixture[str],
) -> None:
    engine = create_engine_for(db_target)
    save_report(engine, copy.deepcopy(imported_2024.report))
    engine.dispose()
    before = db_state(db_target, 2024)
    assert structure(db_target, "delete-chapter", "4") == 2
    assert structure(db_target, "set-department", "4-1", "--department", "없는부") == 2
    assert db_state(db_target, 2024) == before
    capsys.readouterr()
    assert structure(db_target, "move-program", "4-9", "--to-chapter", "5") == 0
    assert load_db(db_target).program("5-8").title == "디지털 역량 강화 교원 연수 지원(신규)"  # type: ignore[union-attr]


def test_a_department_package_may_not_restructure(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from seri_desktop.exchange.package import create_package

    engine = create_engine_for(db)
    package = tmp_path / "dept.seripkg"
    create_package(engine, "기획평가부", package, who="기획팀")
    engine.dispose()
    before = db_state(package, 2024)
    assert structure(package, "move-program", "2-1", "--down") == 2
    assert "장·사업·부서의 구성은 기획 부서의 데이터베이스에서만 바꿉니다" in capsys.readouterr().err
    assert db_state(package, 2024) == before


def test_the_real_command(db: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    args = [
        sys.executable,
        "-m",
        "seri_desktop",
        "structure",
        "move-program",
        "--db",
        str(db),
        "4-9",
        "--to-chapter",
        "5",
    ]
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "번호 바뀜: 4-9 → 5-8" in done.stdout
    refused = subprocess.run(
        [*args[:4], "delete-chapter", "--db", str(db), "1"], capture_output=True, text=True, env=env
    )
    assert refused.returncode == 2 and "1장에 사업이 3개 있습니다" in refused.stderr
