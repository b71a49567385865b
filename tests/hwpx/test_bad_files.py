"""Files to refuse: not HWPX, damaged, another year's, another department's program, huge, a zip bomb.

Each gets a Korean message (through the command too) and leaves the
database as it was: the full text export and every table's row count.
"""

from __future__ import annotations

import copy
import io
import os
import zipfile
from pathlib import Path

import pytest
from hwpx import HwpxDocument
from sqlalchemy import Engine

from seri_desktop.cli import main
from seri_desktop.domain.model import Report
from seri_desktop.formats.hwpx import HwpxError, HwpxReadError, HwpxYearError, build_department_hwpx
from seri_desktop.formats.hwpx.intake import HwpxOwnershipError, preview_hwpx
from seri_desktop.formats.hwpx.reader import MAX_FILE_BYTES
from tests.helpers.db import engine_state
from tests.hwpx.hancom import cut_section

pytestmark = pytest.mark.acceptance

DEPARTMENT = "교육정책연구소"


def refused(
    office: Engine, path: Path, error: type[HwpxError], match: str
) -> None:
    before = engine_state(office)
    with pytest.raises(error, match=match):
        preview_hwpx(office, path, DEPARTMENT)
    db = str(office.url.database)
    assert main(["import-hwpx", "--db", db, str(path), "--department", DEPARTMENT, "--accept-all"]) == 2
    assert engine_state(office) == before


def test_a_file_that_is_not_hwpx(tmp_path: Path, office: Engine) -> None:
    text = tmp_path / "report.hwpx"
    text.write_text("□ 사업 개요\n- 텍스트 파일입니다", encoding="utf-8")
    refused(office, text, HwpxReadError, "한글\\(HWPX\\) 문서가 아닙니다")
    hwp = tmp_path / "old.hwpx"
    hwp.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    refused(office, hwp, HwpxReadError, "예전 한글 형식")
    other_zip = tmp_path / "other.hwpx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    refused(office, other_zip, HwpxReadError, "한글\\(HWPX\\) 문서가 아닙니다")


def test_a_damaged_file(
    tmp_path: Path, office: Engine, department_file: Path
) -> None:
    data = department_file.read_bytes()
    truncated = tmp_path / "truncated.hwpx"
    truncated.write_bytes(data[: len(data) // 2])
    refused(office, truncated, HwpxReadError, "HWPX|손상")
    broken = tmp_path / "broken.hwpx"
    cut_section(department_file, broken)
    refused(office, broken, HwpxReadError, "손상되어 읽을 수 없습니다")


def test_a_file_of_another_year(
    tmp_path: Path, office: Engine, report_2024: Report
) -> None:
    older = copy.deepcopy(report_2024)
    older.year = 2023
    path = tmp_path / "2023.hwpx"
    build_department_hwpx(older, DEPARTMENT, path)
    refused(office, path, HwpxError, "2023년 보고서")
    assert issubclass(HwpxYearError, HwpxReadError)


def test_a_program_of_another_department_in_the_file(
    office: Engine, department_file: Path
) -> None:
    doc = HwpxDocument.open(department_file)
    for paragraph in doc.paragraphs:
        for table in paragraph.tables:
            if table.row_count == 1 and table.cell(0, 0).text == "1-3":
                table.cell(0, 0).text = "2-1"  # 기획평가부's program
    doc.save_to_path(department_file)
    refused(office, department_file, HwpxOwnershipError, "다른 부서\\(기획평가부\\)의 사업 2-1")


def test_a_file_of_another_department_is_refused_before_anything(
    office: Engine, tmp_path: Path, report_2024: Report
) -> None:
    path = tmp_path / "other.hwpx"
    build_department_hwpx(report_2024, "기획평가부", path)
    refused(office, path, HwpxOwnershipError, "기획평가부의 문서입니다")


def test_a_huge_file(tmp_path: Path, office: Engine) -> None:
    huge = tmp_path / "huge.hwpx"
    with huge.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: takes no disk
    refused(office, huge, HwpxReadError, "너무 큽니다")


def test_a_zip_bomb(
    tmp_path: Path, office: Engine, department_file: Path
) -> None:
    bomb = tmp_path / "bomb.hwpx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(department_file) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        # 64 MB of zeros packs into some 64 KB: a thousandfold.
        target.writestr("Contents/section1.xml", b"\0" * (64 * 1024 * 1024))
    bomb.write_bytes(buffer.getvalue())
    assert os.path.getsize(bomb) < 1024 * 1024
    refused(office, bomb, HwpxReadError, "비정상적으로 커지는")
