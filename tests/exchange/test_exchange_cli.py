"""The exchange commands end to end, as users type them: package, submit, merge; then review, state, comment, audit."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from seri_desktop.cli import main
from seri_desktop.store.repository import load_report
from tests.helpers.db import edit_stored
from tests.helpers.types import OpenPath


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command (python -m seri_desktop)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "seri_desktop", *args], capture_output=True, text=True, env=env)


@pytest.mark.acceptance
def test_package_submit_merge_with_the_real_command(
    office_2024: Engine, tmp_path: Path, open_engine: OpenPath, capsys: pytest.CaptureFixture[str]
) -> None:
    office = Path(office_2024.url.database or "")
    office_2024.dispose()
    folder = tmp_path / "packages"

    done = run("package", "--db", str(office), "--all", "-o", str(folder), "--who", "기획팀")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("꾸러미를 만들었습니다") == 5
    package = folder / "2024-교육정책연구소.seripkg"
    assert package.is_file() and "사업 3개" in done.stdout
    capsys.readouterr()
    assert main(["package", "--db", str(office), "--department", "교육정책연구소", "-o", str(package)]) == 2
    assert "이미 있습니다" in capsys.readouterr().err

    edit_stored(package, "1-2", " (부서 보완)")
    submission = tmp_path / "교육정책연구소.serisub"
    done = run("submit", "--db", str(package), "-o", str(submission), "--author", "홍길동")
    assert done.returncode == 0, done.stderr
    assert "제출 파일을 만들었습니다" in done.stdout and submission.is_file()
    assert main(["submit", "--db", str(office), "-o", str(tmp_path / "x.serisub")]) == 2
    assert "부서 꾸러미가 아닙니다" in capsys.readouterr().err

    preview = run("merge", "--db", str(office), str(submission))
    assert preview.returncode == 0, preview.stderr
    assert "1-2" in preview.stdout and "[변경] 추진 실적" in preview.stdout and "(부서 보완)" in preview.stdout
    assert "미리보기만 했습니다" in preview.stdout
    merged = run("merge", "--db", str(office), str(submission), "--accept-all", "--who", "기획팀")
    assert merged.returncode == 0, merged.stderr
    assert "반영 1개 (1-2)" in merged.stdout
    twice = run("merge", "--db", str(office), str(submission), "--accept-all")
    assert twice.returncode == 0, twice.stderr
    assert "이미 반영된 제출입니다" in twice.stdout and "반영 1개" not in twice.stdout

    capsys.readouterr()
    assert main(["review", "--db", str(office)]) == 0
    out = capsys.readouterr().out
    assert "■ 교육정책연구소: 사업 3개 (제출됨 3)" in out and "꾸러미 1회" in out
    assert main(["state", "--db", str(office), "1-2", "검토중", "--who", "김검토"]) == 0
    assert main(["state", "--db", str(office), "1-2", "반려"]) == 2
    assert "사유" in capsys.readouterr().err
    assert (
        main(["comment", "--db", str(office), "1-2", "수치를 확인하십시오", "--section", "budget", "--row", "1"]) == 0
    )
    assert main(["comment", "--db", str(office), "1-2"]) == 0
    assert "[budget 1행] 수치를 확인하십시오" in capsys.readouterr().out
    assert main(["audit", "--db", str(office), "--program", "1-2"]) == 0
    out = capsys.readouterr().out
    assert "항목 변경 1-2 추진 실적" in out and "(부서 보완)" in out
    csv_path = tmp_path / "audit.csv"
    assert main(["audit", "--db", str(office), "--export", str(csv_path)]) == 0
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.reader(f))) > 10
    # The key is never printed by anything.
    assert "secret" not in (done.stdout + merged.stdout + preview.stdout).lower()


def test_merge_refuses_bad_files_and_conflicts_in_korean(
    office_copy: Path,
    exchange_template: dict[str, Path],
    tmp_path: Path,
    open_engine: OpenPath,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = tmp_path / "memo.serisub"
    bad.write_text("메모", encoding="utf-8")
    good = exchange_template["submission"]
    assert main(["merge", "--db", str(office_copy), str(good), str(bad), "--accept-all"]) == 2
    err = capsys.readouterr().err
    assert "memo.serisub" in err and "zip" in err and "Traceback" not in err
    report = load_report(open_engine(office_copy), 2024)
    assert report is not None and "(부서 수정)" not in repr(
        report.program("1-1")
    )  # the good file was not merged either

    edit_stored(office_copy, "1-1", " (기획 부서 수정)", "schedule")
    assert main(["merge", "--db", str(office_copy), str(good), "--dry-run"]) == 1  # a conflict is a finding
    assert "충돌" in capsys.readouterr().out
    assert main(["merge", "--db", str(office_copy), str(good), "--accept-all"]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert main(["merge", "--db", str(office_copy), str(good), "--return", "1-1=겹칩니다", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["previews"][0]["items"][0]["status"] == "conflict"
    assert document["results"][0]["returned"] == ["1-1"]
