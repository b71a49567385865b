"""``seri-desktop export-pdf`` end to end: import the 2024 report into a database, then print it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from seri_desktop.cli import main

pytestmark = pytest.mark.acceptance


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command, as a user types it."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "seri_desktop", *args], capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def db(report_2024_path_module: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "report.sqlite"
    done = run("import-text", str(report_2024_path_module), "--db", str(path))
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def report_2024_path_module() -> Path:
    path = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "report-2024.txt"
    if not path.is_file():
        pytest.fail(f"acceptance data missing: {path}")
    return path


def test_export_the_whole_report(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    done = run("export-pdf", "--db", str(db), "--all", "-o", str(out))
    assert done.returncode == 0, done.stderr
    pages = len(pypdf.PdfReader(out).pages)
    assert done.stdout.strip() == f"2024년 보고서 전체를 PDF로 내보냈습니다: {out} ({pages}쪽, 사업 33개)"


def test_export_one_department(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "dept.pdf"
    done = run("export-pdf", "--db", str(db), "--year", "2024", "--department", "교육정책연구소", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "2024년 보고서의 교육정책연구소 부분을 PDF로 내보냈습니다" in done.stdout and "사업 3개" in done.stdout
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out).pages).replace(" ", "").replace("\n", "")
    assert "1-1서울교육정책연구·나눔" in text and "학교평가지원" not in text  # 2-1 belongs to 기획평가부


def test_an_unknown_department_names_the_known_ones(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    assert main(["export-pdf", "--db", str(db), "--department", "총무과", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "'총무과' 부서가 없습니다. 있는 부서: 교육정책연구소, 기획평가부" in err
    assert "Traceback" not in err and not out.exists()


def test_a_missing_output_folder_is_a_user_error(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-pdf", "--db", str(db), "--all", "-o", str(tmp_path / "no" / "x.pdf")]) == 2
    assert "PDF 파일을 저장할 폴더가 없습니다" in capsys.readouterr().err


def test_scope_is_required_and_exclusive(db: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.pdf")
    neither = run("export-pdf", "--db", str(db), "-o", out)
    both = run("export-pdf", "--db", str(db), "--all", "--department", "기획평가부", "-o", out)
    assert neither.returncode == 2 and both.returncode == 2
    assert not Path(out).exists()


def test_a_missing_database_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-pdf", "--db", str(tmp_path / "none.sqlite"), "--all", "-o", str(tmp_path / "x.pdf")]) == 2
    assert "데이터베이스 파일이 없습니다" in capsys.readouterr().err
