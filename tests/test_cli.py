"""The seri-desktop command on real files: import, info, export, and what goes wrong."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from seri_desktop import commands
from seri_desktop.cli import build_parser, main
from seri_desktop.formats.text_export import round_trip_share
from seri_desktop.settings import set_user_name

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "sample-report.txt"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command, as a user types it (python -m seri_desktop)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "seri_desktop", *args], capture_output=True, text=True, env=env)


def program_count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        count: int = conn.execute("SELECT count(*) FROM program").fetchone()[0]
    return count


@pytest.mark.acceptance
def test_import_info_export_of_the_2024_report(report_2024_path: Path, tmp_db: Path, tmp_path: Path) -> None:
    done = run("import-text", str(report_2024_path), "--db", str(tmp_db))
    assert done.returncode == 0, done.stderr
    assert "2024년 보고서를 가져왔습니다: 5개 장, 33개 사업" in done.stdout
    # 4-7's '비예산' (line 2672) is a valid value now: nothing to warn about.
    assert "2672번째 줄" not in done.stderr

    info = run("info", "--db", str(tmp_db), "--format", "json")
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    assert {k: data[k] for k in ("year", "chapters", "programs", "departments")} == {
        "year": 2024,
        "chapters": 5,
        "programs": 33,
        "departments": 5,
    }
    # Counted independently of the importer (rows of the 예산 집행 계획 and 추진 목표 tables).
    assert data["budget_lines"] == 90
    assert data["target_rows"] == 128
    assert data["outline_items"] > 1500
    assert data["program_list"][4] == {"code": "2-2", "title": "교과교육연구회 활동 지원", "department": "기획평가부"}
    assert [p["code"] for p in data["program_list"]][-1] == "5-7"

    text = run("info", "--db", str(tmp_db))
    assert text.returncode == 0
    assert "사업 33개" in text.stdout and "4-8  학교도서관 스마트 운영 지원 시스템  (교수학습정보부)" in text.stdout

    out = tmp_path / "exported.txt"
    exported = run("export-text", "--db", str(tmp_db), "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    share, missed = round_trip_share(report_2024_path.read_text(encoding="utf-8"), out.read_text(encoding="utf-8"))
    assert missed == ["◦ 학생 성장 중심의 진로·학업 설계 지원"]
    assert share > 0.9996


def test_second_import_refuses_without_replace_and_never_duplicates(tmp_db: Path) -> None:
    assert main(["import-text", str(SAMPLE), "--db", str(tmp_db)]) == 0
    before = tmp_db.read_bytes() if not tmp_db.with_name(tmp_db.name + "-wal").exists() else None
    done = run("import-text", str(SAMPLE), "--db", str(tmp_db))
    assert done.returncode == 2
    assert "2025년 보고서가 이미 있습니다" in done.stderr
    assert "Traceback" not in done.stderr
    assert program_count(tmp_db) == 3
    if before is not None:
        assert tmp_db.read_bytes() == before
    assert main(["import-text", str(SAMPLE), "--db", str(tmp_db), "--replace"]) == 0
    assert program_count(tmp_db) == 3


def test_bad_file_changes_nothing(tmp_db: Path, tmp_path: Path) -> None:
    assert main(["import-text", str(SAMPLE), "--db", str(tmp_db)]) == 0
    bad = tmp_path / "memo.txt"
    bad.write_text("보고서가 아닌 메모\n", encoding="utf-8")
    done = run("import-text", str(bad), "--db", str(tmp_db), "--replace")
    assert done.returncode == 2
    assert "Ⅲ. 주요업무" in done.stderr and "Traceback" not in done.stderr
    assert program_count(tmp_db) == 3
    info = json.loads(run("info", "--db", str(tmp_db), "--format", "json").stdout)
    assert info["year"] == 2025


def test_missing_and_foreign_databases_are_reported_in_korean(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.sqlite"
    done = run("info", "--db", str(missing))
    assert done.returncode == 2 and "데이터베이스 파일이 없습니다" in done.stderr
    assert not missing.exists()

    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database" * 100)
    done = run("info", "--db", str(garbage))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "seri-desktop:" in done.stderr

    empty = tmp_path / "empty.sqlite"
    assert main(["import-text", str(SAMPLE), "--db", str(empty)]) == 0
    done = run("export-text", "--db", str(empty), "--year", "1999", "-o", str(tmp_path / "x.txt"))
    assert done.returncode == 2 and "1999년 보고서가 없습니다" in done.stderr


def test_export_to_an_unwritable_place_is_a_korean_error(tmp_db: Path, tmp_path: Path) -> None:
    assert main(["import-text", str(SAMPLE), "--db", str(tmp_db)]) == 0
    done = run("export-text", "--db", str(tmp_db), "-o", str(tmp_path / "no-such-dir" / "out.txt"))
    assert done.returncode == 2
    # Since issue 12: the export's own message names what is wrong (was the CLI's "파일을 쓰거나 읽을 수 없습니다").
    assert f"텍스트 파일을 저장할 폴더가 없습니다: {tmp_path / 'no-such-dir'}" in done.stderr


def test_every_subcommand_is_found_in_the_module_the_table_names(capsys: pytest.CaptureFixture[str]) -> None:
    """``commands.MODULES`` lets a command import only its own module: it must say what the modules register."""
    registered: dict[str, str] = {}
    for info in pkgutil.iter_modules(commands.__path__):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        if hasattr(module, "register"):
            sub = argparse.ArgumentParser().add_subparsers()
            module.register(sub)
            registered |= {name: info.name for name in sub.choices}
    assert len(registered) > 20
    assert registered == commands.MODULES
    # Each one, with only its module registered, is the same command as in the whole parser.
    for name in commands.MODULES:
        for parser in (build_parser(name), build_parser()):
            with pytest.raises(SystemExit) as ended:
                parser.parse_args([name, "--help"])
            assert ended.value.code == 0
            assert capsys.readouterr().out.startswith(f"usage: seri-desktop {name} ")
    with pytest.raises(SystemExit) as ended:  # another module's command is not there
        build_parser("info").parse_args(["check", "--db", "x.sqlite"])
    assert ended.value.code == 2 and "invalid choice: 'check'" in capsys.readouterr().err


def test_version_and_help() -> None:
    done = run("--version")
    assert done.returncode == 0 and done.stdout.startswith("seri-desktop ")
    helped = run("--help")
    assert "import-text" in helped.stdout and "export-text" in helped.stdout


@pytest.fixture
def log_file(
    tmp_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    recorded_name: str,
) -> Path:
    """The sample report imported into ``tmp_db``; the data folder (and so the log) in ``tmp_path``."""
    data = tmp_path / "data"
    monkeypatch.setenv("SERI_DATA_DIR", str(data))
    set_user_name(recorded_name, data)
    assert main(["import-text", str(SAMPLE), "--db", str(tmp_db)]) == 0
    capsys.readouterr()
    return data / "logs" / "seri-desktop.log"


def test_a_bug_is_one_korean_line_with_the_log_path_and_exit_70(
    tmp_db: Path, log_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from seri_desktop.domain import summary

    def broken(report: object) -> dict[str, object]:
        raise RuntimeError("요약을 세다가 고장 난 자리")

    # The only stand-in in this file: no real input reaches a bug in ``info`` (that is the point of it).
    monkeypatch.setattr(summary, "report_info", broken)
    status = main(["info", "--db", str(tmp_db)])

    assert status == 70
    out, err = capsys.readouterr()
    log = log_file
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("seri-desktop: info 중 예상하지 못한 오류가 났습니다(RuntimeError).")
    assert str(log) in lines[0]
    assert "Traceback" not in err and "요약을 세다가" not in err and out == ""
    logged = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "RuntimeError: 요약을 세다가 고장 난 자리" in logged and "in broken" in logged


def test_a_user_error_exits_2_with_its_message_and_logs_no_traceback(
    tmp_db: Path, log_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 작성중 → 확정 is no transition of the review state machine: the policy's reason, as it is.
    status = main(["state", "--db", str(tmp_db), "1-1", "확정", "--who", "검토자"])

    assert status == 2
    out, err = capsys.readouterr()
    assert err == ("seri-desktop: 1-1: '작성중' 에서 '확정'(으)로 바꿀 수 없습니다. 가능한 다음 상태: 제출됨\n")
    assert out == ""
    assert "Traceback" not in (log_file.read_text(encoding="utf-8") if log_file.exists() else "")

    done = run("state", "--db", str(tmp_db), "9-9", "제출됨")
    assert done.returncode == 2 and done.stderr.strip() == "seri-desktop: 2025년 보고서에 9-9 사업이 없습니다."
