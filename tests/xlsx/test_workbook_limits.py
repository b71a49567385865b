"""Bounds with messages for the workbook (issue 12 item 7): hostile files get a Korean message and change nothing.

Each bad workbook is made from a real export of the 2024 report: a cell
with a huge string, a sheet whose XML is cut off or broken, a zip bomb, a
sheet with a million rows, amounts beyond ``MAX_AMOUNT``. Each is imported
with ``seri-desktop import-xlsx`` into a database holding the report; the
command exits 2 with a Korean message naming the place and what is
expected, prints no traceback, and the database is unchanged (full text
export and the row count of every table). Writing a workbook where it
cannot be written is a Korean error as well.
"""

from __future__ import annotations

import copy
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from seri_desktop.cli import main
from seri_desktop.domain.model import MAX_AMOUNT
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.formats.xlsx import XlsxFormatError, XlsxWriteError, read_budget_workbook, write_budget_workbook
from seri_desktop.formats.xlsx.reader import MAX_CELL_CHARS, MAX_PART_BYTES, MAX_SHEET_ROWS, MAX_UNPACKED_BYTES
from tests.helpers.db import db_state, load_db
from tests.helpers.workbook import key_row

pytestmark = pytest.mark.acceptance

Refused = Callable[..., str]

FIRST_DEPARTMENT_SHEET = "xl/worksheets/sheet2.xml"  # 요약 is sheet1; 교육정책연구소 follows


@pytest.fixture
def book(db_2024: Path, tmp_path: Path) -> Path:
    out = tmp_path / "budget.xlsx"
    assert main(["export-xlsx", "--db", str(db_2024), "-o", str(out)]) == 0
    return out


def _rewritten(source: Path, target: Path, parts: dict[str, bytes]) -> Path:
    """A copy of the workbook ``source`` with ``parts`` replaced or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename not in parts:
                new.writestr(info, old.read(info.filename))
        for name, data in parts.items():
            new.writestr(name, data)
    return target


@pytest.fixture
def refused(capsys: pytest.CaptureFixture[str]) -> Refused:
    """``refused(db, book, *words)``: import-xlsx exits 2 with every one of ``words``, no traceback, db unchanged."""

    def check(db: Path, book: Path, *expected: str) -> str:
        return _refused(db, book, capsys, *expected)

    return check


def _refused(
    db: Path,
    book: Path,
    capsys: pytest.CaptureFixture[str],
    *expected: str,
) -> str:
    before = db_state(db, 2024)
    capsys.readouterr()
    assert main(["import-xlsx", str(book), "--db", str(db)]) == 2
    captured = capsys.readouterr()
    err = captured.err
    for words in expected:
        assert words in err, err
    assert "Traceback" not in err + captured.out
    assert db_state(db, 2024) == before
    return err


def _sheet_xml(rows: int) -> bytes:
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    body = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(1, rows + 1))
    return (head + body + "</sheetData></worksheet>").encode()


def _with_long_text(book: Path, target: Path, sheet: str, address: str, length: int) -> Path:
    """The workbook with ``length`` characters in one cell.

    openpyxl cuts a cell to Excel's 32,767 characters when it is set, so the
    text is put into the saved sheet's XML in place of a marker.
    """
    marker = "LONG-TEXT-MARKER"
    wb = openpyxl.load_workbook(book)
    wb[sheet][address] = marker
    marked = target.with_name("marked.xlsx")
    wb.save(marked)
    with zipfile.ZipFile(marked) as z:
        part = next(n for n in z.namelist() if n.startswith("xl/worksheets/") and marker.encode() in z.read(n))
        xml = z.read(part)
    return _rewritten(marked, target, {part: xml.replace(marker.encode(), b"a" * length)})


def test_a_cell_with_a_huge_string_is_refused_with_its_address(
    db_2024: Path, book: Path, tmp_path: Path, refused: Refused
) -> None:
    huge = _with_long_text(book, tmp_path / "huge.xlsx", "교육정책연구소", "I5", 50_000_000)  # 50 MB in 집행내용
    err = refused(db_2024, huge, "교육정책연구소!I5", "50,000,000자", f"{MAX_CELL_CHARS:,}자까지")
    assert len(err) < 2_000  # the string itself is never echoed


def test_a_string_just_over_excels_limit_is_refused_too(
    db_2024: Path, book: Path, tmp_path: Path, refused: Refused
) -> None:
    long = _with_long_text(book, tmp_path / "long.xlsx", "추진 목표", "E6", MAX_CELL_CHARS + 1)
    refused(db_2024, long, "추진 목표!E6", f"{MAX_CELL_CHARS + 1:,}자")


def test_a_text_longer_than_a_cell_is_refused_at_export_not_cut(
    db_2024: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], imported_2024: ImportResult
) -> None:
    report = copy.deepcopy(imported_2024.report)
    program = report.program("1-1")
    assert program is not None and program.budget is not None
    program.budget.lines[0].quarters[0].note = "가" * (MAX_CELL_CHARS + 1)
    out = tmp_path / "long.xlsx"
    with pytest.raises(XlsxWriteError, match="32,768자라 엑셀 한 칸") as refused:
        write_budget_workbook(report, out)
    assert refused.value.message.startswith("교육정책연구소!I5:")
    assert not out.exists() and list(tmp_path.glob("*.part")) == []


def test_a_gigabyte_string_is_refused_before_it_is_unpacked(
    db_2024: Path, book: Path, tmp_path: Path, refused: Refused
) -> None:
    # 1 GiB of text in one cell: it compresses to about a megabyte, so only the unpacked size tells.
    chunk = b"a" * (1 << 20)
    huge = tmp_path / "gigabyte.xlsx"
    with zipfile.ZipFile(book) as old, zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != FIRST_DEPARTMENT_SHEET:
                new.writestr(info, old.read(info.filename))
        with new.open(FIRST_DEPARTMENT_SHEET, "w", force_zip64=True) as out:
            out.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            out.write(b'<row r="5"><c r="I5" t="inlineStr"><is><t>')
            for _ in range(1024):
                out.write(chunk)
            out.write(b"</t></is></c></row></sheetData></worksheet>")
    assert huge.stat().st_size < 10_000_000
    refused(db_2024, huge, FIRST_DEPARTMENT_SHEET, f"{MAX_PART_BYTES:,} 바이트까지", "압축 폭탄")


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(
    db_2024: Path, book: Path, tmp_path: Path, refused: Refused
) -> None:
    # Three parts of 90 MB of zeros each: every one under the part limit, together over the total.
    zeros = bytes(90 * 1024 * 1024)
    parts = {f"xl/media/image{n}.bin": zeros for n in range(3)}
    bomb = _rewritten(book, tmp_path / "bomb.xlsx", parts)
    assert bomb.stat().st_size < 2_000_000
    refused(db_2024, bomb, "압축을 풀면", f"{MAX_UNPACKED_BYTES:,} 바이트까지", "압축 폭탄")


@pytest.mark.parametrize(
    ("xml", "why"),
    [
        (b"<worksheet><sheetData><row r='1'><c r='A1'><v>1</v></c>", "cut off"),
        (b"<?xml version='1.0'?><worksheet><sheetData><row r='1'></sheetData></worksheet>", "mismatched tag"),
        (b"\x00\x01\x02 not xml at all", "binary garbage"),
        (b"<!DOCTYPE x [<!ENTITY a '" + b"a" * 100 + b"'>]><worksheet>&a;&b;</worksheet>", "undefined entity"),
        (
            b"<?xml version='1.0'?><!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'>"
            + b"".join(
                f"<!ENTITY {c} '{('&' + p + ';') * 10}'>".encode() for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            )
            + b"]><worksheet><sheetData><row r='1'><c r='A1' t='inlineStr'><is><t>&i;</t></is></c></row>"
            + b"</sheetData></worksheet>",
            "billion laughs",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_malformed_sheet_xml_is_refused_naming_the_sheet(
    db_2024: Path, book: Path, tmp_path: Path, refused: Refused, xml: bytes, why: str
) -> None:
    broken = _rewritten(book, tmp_path / "broken.xlsx", {FIRST_DEPARTMENT_SHEET: xml})
    refused(db_2024, broken, "'교육정책연구소' 시트가 손상되어 읽을 수 없습니다", "다시 저장")


def test_malformed_workbook_xml_is_refused(db_2024: Path, book: Path, tmp_path: Path, refused: Refused) -> None:
    broken = _rewritten(book, tmp_path / "broken.xlsx", {"xl/workbook.xml": b"<workbook><sheets><sheet"})
    refused(db_2024, broken, "broken.xlsx: 엑셀 통합 문서(.xlsx)가 아니거나 손상된 파일입니다")


def test_a_sheet_with_a_million_rows_is_refused(db_2024: Path, book: Path, tmp_path: Path, refused: Refused) -> None:
    rows = _rewritten(book, tmp_path / "rows.xlsx", {FIRST_DEPARTMENT_SHEET: _sheet_xml(1_000_000)})
    refused(db_2024, rows, "'교육정책연구소' 시트의 행이 너무 많습니다", f"{MAX_SHEET_ROWS:,}행")


def test_a_sheet_that_claims_every_column_is_read_only_as_wide_as_the_layout(
    book: Path, db_2024: Path
) -> None:
    # A dimension of A1:XFD1048576 must not make the reader build rows of 16,384 cells.
    with zipfile.ZipFile(book) as z:
        xml = z.read(FIRST_DEPARTMENT_SHEET)
    start = xml.index(b"<dimension ref=")
    end = xml.index(b"/>", start)
    wide = _rewritten(
        book,
        book.with_name("wide.xlsx"),
        {FIRST_DEPARTMENT_SHEET: xml[:start] + b'<dimension ref="A1:XFD20"' + xml[end:]},
    )
    report = load_db(db_2024, 2024)
    result = read_budget_workbook(wide, report)
    assert result.ok and result.changes == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [(10**16, "10,000,000,000,000,000"), (-(10**18), "-1,000,000,000,000,000,000"), (1e300, "1,000,000")],
)
def test_an_amount_beyond_the_limit_is_refused_with_its_address(
    db_2024: Path, book: Path, tmp_path: Path, refused: Refused, value: float, shown: str
) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb["기획평가부"]
    row = key_row(ws, "l|2-3|1|")
    ws[f"E{row}"] = value
    ws[f"F{row}"] = "99,999,999,999,999,999"  # typed as text, written the report's way
    big = tmp_path / "big.xlsx"
    wb.save(big)
    err = refused(db_2024, big, f"기획평가부!E{row}: 2-3 예산 집행 계획 1행", shown, f"±{MAX_AMOUNT:,}까지")
    assert f"기획평가부!F{row}" in err and "99,999,999,999,999,999은(는) 너무 큰 금액입니다" in err


def test_the_largest_amount_is_taken(db_2024: Path, book: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb["기획평가부"]
    row = key_row(ws, "l|2-3|1|")
    ws[f"E{row}"] = MAX_AMOUNT
    ws[f"F{row}"] = -MAX_AMOUNT
    edge = tmp_path / "edge.xlsx"
    wb.save(edge)
    report = load_db(db_2024, 2024)
    result = read_budget_workbook(edge, report)
    assert result.ok, [str(r) for r in result.rejected]
    program = result.report.program("2-3")
    assert program is not None and program.budget is not None
    assert [q.amount.value for q in program.budget.lines[0].quarters[:2]] == [MAX_AMOUNT, -MAX_AMOUNT]


def test_refusals_are_xlsx_format_errors_in_the_api_too(
    book: Path, tmp_path: Path, db_2024: Path
) -> None:
    broken = _rewritten(book, tmp_path / "broken.xlsx", {FIRST_DEPARTMENT_SHEET: b"<worksheet><sheetData>"})
    report = load_db(db_2024, 2024)
    with pytest.raises(XlsxFormatError) as refused:
        read_budget_workbook(broken, report)
    assert refused.value.code == "xlsx" and "교육정책연구소" in refused.value.message


def test_exporting_where_nothing_can_be_written_is_a_korean_error(
    db_2024: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], unwritable_folder: Path
) -> None:
    folder = unwritable_folder
    capsys.readouterr()
    assert main(["export-xlsx", "--db", str(db_2024), "-o", str(folder / "budget.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "엑셀 파일을 저장할 수 없습니다" in err and "Traceback" not in err
    assert not (folder / "budget.xlsx").exists()
    assert main(["export-xlsx", "--db", str(db_2024), "-o", str(tmp_path / "없는 폴더" / "budget.xlsx")]) == 2
    assert "엑셀 파일을 저장할 폴더가 없습니다" in capsys.readouterr().err
