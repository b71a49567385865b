"""``check --accept-derived`` and ``authors show|set`` end to end on the imported 2024 report.

Refusals (an unknown code, a department package, a bad author entry) leave the
database as it was: its text export, its row counts and its audit log.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import URL

from seri_desktop.cli import main
from seri_desktop.domain.rules import check_report
from seri_desktop.formats.pdf import build_department_pdf
from seri_desktop.store.audit import AuditAction, audit_log
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report
from tests.helpers.db import State, db_state

pytestmark = pytest.mark.acceptance


def _state(path: Path) -> State:
    return db_state(path)


def _report(path: Path):  # type: ignore[no-untyped-def]
    engine = create_engine_for(path)
    try:
        return load_report(engine), audit_log(engine, 2024)
    finally:
        engine.dispose()


def test_accept_derived_end_to_end(db_2024: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before, _ = _report(db_2024)
    assert before is not None
    open_findings = {p.finding for p in check_report(before) if p.finding}
    assert {"1-2", "4-5", "4-8"} <= open_findings
    capsys.readouterr()

    assert main(["check", "--db", str(db_2024), "--accept-derived", "4-8"]) == 1  # other errors remain: exit 1
    out = capsys.readouterr().out
    assert "4-8: 가져온 보고서와 다른 점 2개를 계산값으로 받아들였습니다." in out
    assert "-이지만 사업별 합계는 11,250" in out  # both numbers of what was accepted

    after, log = _report(db_2024)
    assert after is not None
    assert not [p for p in check_report(after) if p.finding == "4-8"]
    assert {p.finding for p in check_report(after) if p.finding} == open_findings - {"4-8"}
    program = after.program("4-8")
    assert program is not None and program.budget is not None and program.budget.printed_total is None
    assert "4-8" not in {row.code for row in after.front.budget_summary}
    (accepted,) = [e for e in log if e.action == AuditAction.ACCEPT_DERIVED]
    assert accepted.item_code == "4-8" and "11,250" in accepted.old and accepted.via_label == "명령줄"
    assert accepted.detail is not None and len(accepted.detail["findings"]) == 2
    # The text export now writes 4-8's derived row (13,002 short of nothing: '-' became 11,250 in Q4).
    text, _ = _state(db_2024)
    row = next(line for line in text.splitlines() if line.startswith("4-8\t학교도서관"))
    assert row.split("\t")[7] == "11,250"
    # The chain still verifies.
    assert main(["audit", "--db", str(db_2024), "--verify"]) == 0

    # Accepting again: nothing open for 4-8 any more, refused, nothing written.
    state = _state(db_2024)
    assert main(["check", "--db", str(db_2024), "--accept-derived", "4-8"]) == 2
    assert "'4-8'에 대한 가져오기 차이" in capsys.readouterr().err
    assert _state(db_2024) == state


def test_chapter_list_is_the_offices_finding_accepted_from_the_cli(
    db_2024: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from seri_desktop.domain.rules import check_program

    before, _ = _report(db_2024)
    assert before is not None
    (finding,) = [p for p in check_report(before) if p.finding == "1장"]
    # Listed for the office (no program, no department), with both lists and what differs.
    assert (finding.rule, finding.program, finding.department, finding.section) == (
        "structure.chapter-list",
        "",
        "",
        "chapter",
    )
    assert "인쇄된 목록: 1-1 서울교육정책 연구·나눔, 1-2 서울교육중단연구 2020 운영" in finding.message
    assert "사업에서 만든 목록: 1-1 서울교육정책 연구·나눔, 1-2 서울교육종단연구 2020 운영" in finding.message
    # In no program's problems: neither the program rules' nor the report rules' placed in a program.
    for program in before.programs():
        placed = [*check_program(before, program), *check_report(before, program.code)]
        assert not [p for p in placed if p.rule == "structure.chapter-list"], program.code
    capsys.readouterr()

    assert main(["check", "--db", str(db_2024), "--accept-derived", "1장"]) == 1  # other errors remain
    assert "1장: 가져온 보고서와 다른 점 1개를 계산값으로 받아들였습니다." in capsys.readouterr().out
    after, log = _report(db_2024)
    assert after is not None
    assert not [p for p in check_report(after) if p.finding == "1장"]
    assert after.chapters[0].listed_programs == []  # the title page lists the programs now
    assert [p.finding for p in check_report(after) if p.rule == "structure.chapter-list"] == ["4장", "5장"]
    (accepted,) = [e for e in log if e.action == AuditAction.ACCEPT_DERIVED]
    assert accepted.item_code == "1장" and "서울교육중단연구" in accepted.old and accepted.via_label == "명령줄"
    assert "사업에서 만든 목록" in accepted.new
    assert main(["audit", "--db", str(db_2024), "--verify"]) == 0
    # Gone for good: accepting again is refused and writes nothing.
    state = _state(db_2024)
    assert main(["check", "--db", str(db_2024), "--accept-derived", "1장"]) == 2
    assert "'1장'에 대한 가져오기 차이" in capsys.readouterr().err
    assert _state(db_2024) == state


def test_accept_derived_refuses_an_unknown_code_and_changes_nothing(
    db_2024: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = _state(db_2024)
    assert main(["check", "--db", str(db_2024), "--accept-derived", "9-9"]) == 2
    err = capsys.readouterr().err
    assert "'9-9'에 대한 가져오기 차이" in err and "받아들일 수 있는 코드: 1-2, 4-5" in err
    assert _state(db_2024) == state


def test_accept_derived_is_the_offices_only(db_2024: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from seri_desktop.exchange.package import create_package

    engine = create_engine_for(db_2024)
    try:
        package = tmp_path / "교수학습정보부.sqlite"
        create_package(engine, "교수학습정보부", package, who="기획팀")
    finally:
        engine.dispose()
    state = _state(package)
    assert main(["check", "--db", str(package), "--accept-derived", "4-8"]) == 2
    assert "부서 꾸러미" in capsys.readouterr().err
    assert _state(package) == state


def test_authors_show_and_set_with_several_departments(
    db_2024: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["authors", "show", "--db", str(db_2024), "--chapter", "4"]) == 0
    shown = capsys.readouterr().out
    assert "2. 4-9부터" in shown and "[나이스운영과] 나이스운영과장: 박용선 ☎ 2230-8522   이동균 ☎ 8585" in shown

    entries = [
        "교수학습정보부/교수학습정보부장/김희경/3111-370",
        "+교수학습정보부/교육연구관/박재원/371",
        "교육과정진로진학부/교육과정진로진학부장/심지영/3111-351",
        "+교육과정진로진학부//유희선/353",
        "나이스운영과/나이스운영과장/박용선/2230-8522",
        "+나이스운영과//한새봄/8599",
    ]
    args = ["authors", "set", "--db", str(db_2024), "--chapter", "4", "--block", "2", "--from", "4-9"]
    assert main([*args, *(f"--entry={e}" for e in entries)]) == 0
    assert "이동균" not in capsys.readouterr().out

    report, log = _report(db_2024)
    assert report is not None
    block = report.chapters[3].author_blocks[1]
    assert [(e.department, e.role, e.name, e.phone, e.line) for e in block.entries][-2:] == [
        ("나이스운영과", "나이스운영과장", "박용선", "2230-8522", 2),
        ("나이스운영과", "", "한새봄", "8599", 2),
    ]
    assert any(e.section == "authors" and "한새봄" in e.new for e in log)
    # The PDF prints the edited block (read back with pypdf).
    pdf = tmp_path / "교수학습정보부.pdf"
    build_department_pdf(report, "교수학습정보부", pdf)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages).replace(" ", "")
    assert "한새봄☎8599" in text and "이동균" not in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--entry", "교수학습정보부/부장/김희경"], "'부서/직위/이름/전화' 꼴"),
        (["--entry", "교수학습정보부/부장//3111"], "이름이 비어 있습니다"),
        (["--entry", "교수학습정보부/부장/김희경/내선없음"], "전화 '내선없음'"),
        (["--from", "5-1", "--entry", "교수학습정보부/부장/김희경/370"], "5-1은(는) 4장의 사업이 아닙니다"),
        (["--block", "4", "--entry", "교수학습정보부/부장/김희경/370"], "작성자 묶음은 2개입니다"),
    ],
)
def test_authors_set_refuses_bad_input_and_changes_nothing(
    db_2024: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    state = _state(db_2024)
    assert main(["authors", "set", "--db", str(db_2024), "--chapter", "4", *extra]) == 2
    assert message in capsys.readouterr().err
    assert _state(db_2024) == state


def test_authors_of_an_unknown_chapter(db_2024: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["authors", "show", "--db", str(db_2024), "--chapter", "9"]) == 2
    assert "9장이 없습니다. 있는 장: 1, 2, 3, 4, 5" in capsys.readouterr().err


def test_accept_derived_and_authors_on_both_engines(db_target: Path | URL, report_2024_path: Path) -> None:
    # In processes of their own, as a person runs them (and as on PostgreSQL the engines close with them).
    db = db_target.render_as_string(hide_password=False) if isinstance(db_target, URL) else str(db_target)

    def run(*args: str) -> int:
        return subprocess.run([sys.executable, "-m", "seri_desktop", *args], capture_output=True, text=True).returncode

    assert run("import-text", str(report_2024_path), "--db", db) == 0
    assert run("check", "--db", db, "--accept-derived", "4-8") == 1
    assert (
        run("authors", "set", "--db", db, "--chapter", "4", "--block", "2", "--entry", "나이스운영과//한새봄/8599") == 0
    )
    assert run("check", "--db", db, "--accept-derived", "9-9") == 2
    engine = create_engine_for(db_target)
    try:
        report, log = load_report(engine), audit_log(engine, 2024)
    finally:
        engine.dispose()
    assert report is not None
    assert not [p for p in check_report(report) if p.finding == "4-8"]
    assert [e.name for e in report.chapters[3].author_blocks[1].entries] == ["한새봄"]
    assert [e.action for e in log].count(AuditAction.ACCEPT_DERIVED) == 1
