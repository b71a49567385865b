"""Read an edited budget workbook back and turn it into a list of changes to a report.

The reader never writes anything: :func:`read_budget_workbook` compares the
workbook with the stored report and returns the changes, the rejected cells
and, when nothing was rejected, a changed copy of the report for the caller
to save in one transaction. A file that is not a workbook of this program,
or whose layout was broken, raises :class:`XlsxFormatError` (Korean message).

Rows are matched by the key in the hidden column, never by position or
name, so sorting or renaming in Excel cannot send a value to the wrong
line. Each key carries a fingerprint of the row as exported; when the stored
row no longer matches it, the report was edited after the export and a
differing cell is rejected instead of overwriting the newer edit.

A file is checked before and while it is read (issue 12 item 7), each limit
a named constant: its size on disk (:data:`MAX_FILE_BYTES`), the size of
every part once unpacked and of all parts together (:data:`MAX_PART_BYTES`,
:data:`MAX_UNPACKED_BYTES`, which stop a zip bomb before anything is
unpacked), the rows of a sheet (:data:`MAX_SHEET_ROWS`) and the characters
of a cell (:data:`MAX_CELL_CHARS`, Excel's own limit). Only the columns of
the layout are read from a row. Damaged XML, a broken archive or any other
fault of the file while openpyxl parses it becomes an
:class:`XlsxFormatError` that names the file and the part; an amount beyond
``±MAX_AMOUNT`` is a rejected cell with its address.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from seri_desktop.domain import template as T
from seri_desktop.domain.model import MAX_AMOUNT, BudgetLine, Cell, CellKind, Program, Quarter, Report, TargetRow
from seri_desktop.errors import UserError
from seri_desktop.formats.xlsx import layout as L

MAX_FILE_BYTES = 50 * 1024 * 1024  # a 1,000-program workbook is ~1.5 MB
MAX_PART_BYTES = 100 * 1024 * 1024  # one part unpacked (a sheet, the shared strings); that workbook's largest is ~5 MB
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all parts unpacked together
MAX_PARTS = 1_000  # files in the archive; ours has about 20
MAX_SHEET_ROWS = 50_000  # rows of one sheet; a 1,000-program report needs about 6,000
MAX_CELL_CHARS = L.MAX_CELL_CHARS
_AMOUNT_DIGITS = len(str(MAX_AMOUNT))

# What openpyxl (and the zip and XML parsers under it) raise on a damaged file: the file's fault, never ours.
_DAMAGED: tuple[type[BaseException], ...] = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    SyntaxError,  # xml.etree's ParseError and lxml's XMLSyntaxError
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    ArithmeticError,
    EOFError,
    OSError,
)


class XlsxFormatError(UserError, ValueError):
    """The file is not a budget workbook of this program, or its layout was broken (Korean message)."""

    default_code = "xlsx"


@dataclass(frozen=True)
class CellChange:
    """One changed cell: where it is in the workbook, what it is in the report, old and new value."""

    sheet: str
    address: str  # "E12"
    program: str
    place: str  # in words: "1-1 예산 집행 계획 2행 '국내외학술교류' 1분기"
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.address} {self.place}: '{self.old}' → '{self.new}'"


@dataclass(frozen=True)
class RejectedCell:
    """A cell (or a row, when ``address`` names its first cell) that cannot be imported, and why."""

    sheet: str
    address: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.address}" if self.address else self.sheet
        return f"{where}: {self.reason}"


@dataclass
class WorkbookImport:
    """What reading a workbook found.

    ``changes`` are the edits found (also when some cell was rejected, so a
    user sees them all); ``report`` is a changed copy when there are changes
    and nothing was rejected, and the report given otherwise (never modified). The 계 rows and
    주요업무별 예산 내역 are derived from the lines; a printed copy an import brought in stays as
    evidence (an import finding the office resolves), so nothing here rewrites it.
    """

    year: int
    report: Report
    changes: list[CellChange] = field(default_factory=list)
    rejected: list[RejectedCell] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


# --- opening -----------------------------------------------------------------------------------------


def _open(path: Path, *, data_only: bool) -> Workbook:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise XlsxFormatError(f"{path}: 파일을 열 수 없습니다 ({exc.strerror or exc}).") from exc
    if size > MAX_FILE_BYTES:
        raise XlsxFormatError(
            f"{path.name}: 파일이 너무 큽니다({size:,} 바이트). 내보낸 예산 통합 문서가 맞는지 확인하십시오."
        )
    if path.suffix.lower() == ".xls":
        raise XlsxFormatError(
            f"{path.name}: Excel 97-2003 형식(.xls)은 읽을 수 없습니다. Excel에서 'Excel 통합 문서(*.xlsx)'로 저장하십시오."
        )
    try:
        # Read into memory (at most MAX_FILE_BYTES): openpyxl leaves a file it failed on open.
        data = io.BytesIO(path.read_bytes())
    except OSError as exc:
        raise XlsxFormatError(f"{path}: 파일을 열 수 없습니다 ({exc.strerror or exc}).") from exc
    _check_archive(path.name, data)
    try:
        with warnings.catch_warnings():
            # Files saved by Excel or LibreOffice carry extensions openpyxl only warns about.
            warnings.simplefilter("ignore")
            # Read-only mode streams the sheets: several times faster on large workbooks.
            return load_workbook(data, read_only=True, data_only=data_only)
    except _DAMAGED as exc:
        damaged = _damaged_sheet(data)
        if damaged is not None:
            sheet, part, fault = damaged
            raise XlsxFormatError(_damaged_sheet_message(path.name, sheet, f"{part}: {fault}")) from exc
        raise XlsxFormatError(
            f"{path.name}: 엑셀 통합 문서(.xlsx)가 아니거나 손상된 파일입니다({_fault(exc)}). "
            "seri-desktop에서 내보낸 예산 통합 문서를 Excel에서 .xlsx로 저장해 가져오십시오."
        ) from exc


def _damaged_sheet_message(name: str, sheet: str, fault: str) -> str:
    return (
        f"{name}: '{sheet}' 시트가 손상되어 읽을 수 없습니다({fault}). "
        "Excel에서 파일을 열어 .xlsx로 다시 저장하거나, seri-desktop에서 새로 내보내 고치십시오."
    )


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _damaged_sheet(data: io.BytesIO) -> tuple[str, str, str] | None:
    """(sheet name, part, fault) of the first worksheet whose XML does not parse; None if none is found.

    Only called once opening failed, to name the place; the archive passed
    :func:`_check_archive`, so every part is within the limits.
    """
    try:
        with zipfile.ZipFile(data) as archive:
            names = _sheet_names(archive)
            for part in sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")):
                try:
                    with archive.open(part) as source:
                        for _event, element in ElementTree.iterparse(source):
                            element.clear()
                except _DAMAGED as exc:
                    return names.get(part, part), part, _fault(exc)
    except _DAMAGED:
        return None
    return None


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → sheet name, from the workbook and its relationships (empty when they do not parse)."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except _DAMAGED:
        return {}
    targets = {rel.get("Id"): str(rel.get("Target", "")) for rel in rels}
    names: dict[str, str] = {}
    for sheet in book.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        names[part] = str(sheet.get("name", part))
    return names


def _fault(exc: BaseException) -> str:
    """A short description of what a parser found wrong (its message names the line and column of XML)."""
    detail = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _check_archive(name: str, data: io.BytesIO) -> None:
    """Refuse an archive that would unpack to more than the limits, before anything is unpacked.

    The sizes are those the archive declares; Python's zip reader never
    returns more than a part declares (and fails on its checksum), so a
    part that lies about its size cannot get past this either.
    """
    try:
        with zipfile.ZipFile(data) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise XlsxFormatError(
            f"{name}: 엑셀 통합 문서(.xlsx)가 아니거나 손상된 파일입니다(ZIP 압축 파일이 아닙니다). "
            "seri-desktop에서 내보낸 예산 통합 문서를 Excel에서 .xlsx로 저장해 가져오십시오."
        ) from exc
    if len(parts) > MAX_PARTS:
        raise XlsxFormatError(
            f"{name}: 통합 문서 안의 파일이 너무 많습니다({len(parts):,}개, {MAX_PARTS:,}개까지). "
            "내보낸 예산 통합 문서가 맞는지 확인하십시오."
        )
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > MAX_PART_BYTES:
            raise XlsxFormatError(
                f"{name}: 통합 문서의 '{part.filename}' 부분이 압축을 풀면 {part.file_size:,} 바이트입니다"
                f"(한 부분은 {MAX_PART_BYTES:,} 바이트까지). 압축 폭탄이거나 예산 통합 문서가 아닙니다."
            )
    if total > MAX_UNPACKED_BYTES:
        raise XlsxFormatError(
            f"{name}: 통합 문서가 압축을 풀면 {total:,} 바이트입니다({MAX_UNPACKED_BYTES:,} 바이트까지). "
            "압축 폭탄이거나 예산 통합 문서가 아닙니다."
        )


@dataclass(frozen=True)
class _SheetEntry:
    title: str
    kind: str
    keyed_rows: int


@dataclass(frozen=True)
class _Info:
    year: int
    sheets: list[_SheetEntry]


def _read_info(wb: Workbook, name: str) -> _Info:
    if L.INFO_SHEET not in wb.sheetnames:
        raise XlsxFormatError(
            f"{name}: seri-desktop에서 내보낸 예산 통합 문서가 아닙니다(숨은 시트 '{L.INFO_SHEET}'가 없습니다). "
            "export-xlsx 로 내보낸 파일을 고쳐서 가져오십시오."
        )
    info_rows = _Sheet.read(wb, L.INFO_SHEET, name, _INFO_COLUMNS).rows[1:]
    values = {str(r[0]): r[1:] for r in info_rows if r and r[0] is not None}
    if values.get("format", (None,))[0] != L.FORMAT_ID:
        raise XlsxFormatError(
            f"{name}: seri-desktop 예산 통합 문서의 표시가 없습니다('{L.INFO_SHEET}' 시트가 바뀌었습니다)."
        )
    version = values.get("version", (None,))[0]
    if version != L.FORMAT_VERSION:
        raise XlsxFormatError(
            f"{name}: 이 프로그램이 읽을 수 없는 예산 통합 문서 버전({version})입니다. 같은 버전의 프로그램에서 다시 내보내십시오."
        )
    year = values.get("year", (None,))[0]
    if not isinstance(year, int):
        raise XlsxFormatError(f"{name}: 통합 문서에 보고서 연도가 없습니다('{L.INFO_SHEET}' 시트가 바뀌었습니다).")
    sheets: list[_SheetEntry] = []
    started = False
    for row in info_rows:
        if row and row[0] == "sheet":
            started = True
            continue
        if started and row and isinstance(row[0], str) and len(row) >= 3 and isinstance(row[2], int):
            sheets.append(_SheetEntry(row[0], str(row[1]), row[2]))
    return _Info(year, sheets)


def workbook_year(path: Path) -> int:
    """The report year a budget workbook was exported for; raises :class:`XlsxFormatError`."""
    wb = _open(path, data_only=False)
    try:
        return _read_info(wb, path.name).year
    finally:
        wb.close()


# --- reading -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Value:
    value: Any


_INFO_COLUMNS = 3  # name, value (kind), keyed rows


class _Sheet:
    """A sheet's values, read once in streaming mode, addressed like an openpyxl worksheet (1-based)."""

    def __init__(self, title: str, rows: list[tuple[Any, ...]], columns: int) -> None:
        self.title = title
        self.rows = rows
        self.columns = columns

    @classmethod
    def read(cls, wb: Workbook, title: str, name: str, columns: int) -> _Sheet:
        """The first ``columns`` columns of sheet ``title`` of the file ``name``, within the limits."""
        rows: list[tuple[Any, ...]] = []
        try:
            for values in wb[title].iter_rows(max_col=columns, values_only=True):
                if len(rows) == MAX_SHEET_ROWS:
                    raise XlsxFormatError(
                        f"{name}: '{title}' 시트의 행이 너무 많습니다({MAX_SHEET_ROWS:,}행을 넘습니다). "
                        "내보낸 예산 통합 문서는 사업마다 몇 행뿐입니다. 아래쪽에 더한 행을 지우고 다시 가져오십시오."
                    )
                for col, value in enumerate(values, start=1):
                    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                        raise XlsxFormatError(
                            f"{name}: {title}!{get_column_letter(col)}{len(rows) + 1} 칸의 글자가 너무 깁니다"
                            f"({len(value):,}자). 한 칸에는 {MAX_CELL_CHARS:,}자까지 쓸 수 있습니다(Excel과 같은 한도)."
                        )
                rows.append(tuple(values))
        except XlsxFormatError:
            raise
        except _DAMAGED as exc:
            raise XlsxFormatError(_damaged_sheet_message(name, title, _fault(exc))) from exc
        return cls(title, rows, columns)

    @property
    def max_row(self) -> int:
        return len(self.rows)

    def cell(self, row: int, column: int) -> _Value:
        if 1 <= row <= len(self.rows):
            values = self.rows[row - 1]
            if 1 <= column <= len(values):
                return _Value(values[column - 1])
        return _Value(None)


@dataclass
class _Pending:
    """A change computed against the stored report, to apply to the copy."""

    change: CellChange
    apply: Callable[[Report], None]


class _Reader:
    def __init__(self, path: Path, report: Report) -> None:
        self.path = path
        self.report = report
        self.result = WorkbookImport(report.year, report)
        self.pending: list[_Pending] = []
        self._cached: dict[str, _Sheet] = {}
        # Keys name programs by uid; workbooks exported before the ids name them by code.
        self.programs = {p.uid: p for p in report.programs()}
        self.programs_by_code = {p.code: p for p in report.programs()}

    # -- cell values

    def reject(self, ws: _Sheet, row: int, col: int, reason: str) -> None:
        self.result.rejected.append(RejectedCell(ws.title, f"{get_column_letter(col)}{row}", reason))

    def cached_value(self, ws: _Sheet, row: int, col: int) -> Any:
        # Only read the file a second time when a typed formula needs its value.
        if ws.title not in self._cached:
            wb = _open(self.path, data_only=True)
            try:
                self._cached[ws.title] = _Sheet.read(wb, ws.title, self.path.name, ws.columns)
            finally:
                wb.close()
        return self._cached[ws.title].cell(row=row, column=col).value

    def value(self, ws: _Sheet, row: int, col: int) -> tuple[bool, Any]:
        """(readable, value): a formula's cached value stands for the formula."""
        value = ws.cell(row=row, column=col).value
        if isinstance(value, str) and value.startswith("="):
            cached = self.cached_value(ws, row, col)
            if cached is None:
                self.reject(
                    ws,
                    row,
                    col,
                    f"수식({value})의 계산된 값이 파일에 없습니다. 수식 대신 값을 입력하거나, Excel에서 파일을 저장한 뒤 다시 가져오십시오.",
                )
                return False, None
            return True, cached
        return True, value

    def text(self, ws: _Sheet, row: int, col: int) -> str | None:
        """A text cell as the report keeps it; None when rejected."""
        ok, value = self.value(ws, row, col)
        if not ok:
            return None
        if value is None:
            return ""
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        if isinstance(value, dt.datetime | dt.date | dt.time):
            self.reject(
                ws,
                row,
                col,
                f"Excel이 '{value}'을(를) 날짜로 바꿨습니다. 셀 서식을 텍스트로 하고 다시 입력하십시오.",
            )
            return None
        return str(value).strip()

    def amount(self, ws: _Sheet, row: int, col: int, stored: Cell, label: str) -> Cell | None:
        """A budget cell; None when rejected. Unchanged invalid text passes (the rules report it)."""
        ok, value = self.value(ws, row, col)
        if not ok:
            return None
        if value is None:
            return Cell()
        if isinstance(value, bool | dt.datetime | dt.date | dt.time):
            self.reject(ws, row, col, f"{label}: 금액이 아닌 값({value})입니다. {_AMOUNT_HELP}")
            return None
        if isinstance(value, int | float):
            if not math.isfinite(value) or abs(value) > MAX_AMOUNT:
                self.reject(ws, row, col, _too_large(label, value))
                return None
            if isinstance(value, float) and not value.is_integer():
                self.reject(
                    ws, row, col, f"{label}: {value}에 소수가 있습니다. {self.report.unit} 단위의 정수로 입력하십시오."
                )
                return None
            return Cell.amount(int(value))
        text = str(value).strip()
        cell = Cell.parse(text)
        if cell.kind is CellKind.INVALID:
            if stored.kind is CellKind.INVALID and stored.raw == cell.raw:
                return stored
            if _amount_beyond_limit(text):
                self.reject(ws, row, col, _too_large(label, text))
                return None
            self.reject(ws, row, col, f"{label}: '{text}'은(는) 금액이 아닙니다. {_AMOUNT_HELP}")
            return None
        return cell

    # -- layout

    def check_sheet(self, ws: _Sheet, kind: str, headers: list[str]) -> list[str]:
        problems: list[str] = []
        marker_col = L.KEY_COLUMNS[kind]
        marker = ws.cell(row=L.TITLE_ROW, column=marker_col).value
        if marker != L.SHEET_MARKERS[kind]:
            problems.append(
                f"'{ws.title}' 시트의 열 배치가 바뀌었습니다: 숨은 열 {get_column_letter(marker_col)}의 표시가 없습니다"
                "(열을 더하거나 지웠습니까?)."
            )
        for col, expected in enumerate(headers, start=1):
            found = ws.cell(row=L.HEADER_ROW, column=col).value
            if (str(found).strip() if found is not None else "") != expected:
                address = f"{get_column_letter(col)}{L.HEADER_ROW}"
                problems.append(
                    f"'{ws.title}' 시트의 머리글이 바뀌었습니다: {address}은(는) '{expected}'이어야 하는데 "
                    f"'{found if found is not None else ''}'입니다."
                )
                break
        return problems

    # -- the whole file

    def read(self) -> WorkbookImport:
        wb = _open(self.path, data_only=False)
        try:
            info = _read_info(wb, self.path.name)
            self.result.year = info.year
            if info.year != self.report.year:
                raise XlsxFormatError(
                    f"{self.path.name}: {info.year}년 보고서에서 내보낸 통합 문서입니다. "
                    f"{self.report.year}년 보고서로 가져올 수 없습니다."
                )
            broken: list[str] = []
            sheets: list[tuple[_Sheet, _SheetEntry]] = []
            for entry in info.sheets:
                if entry.title not in wb.sheetnames:
                    broken.append(f"'{entry.title}' 시트가 없습니다(이름을 바꾸거나 지웠습니까?).")
                    continue
                if entry.kind not in L.SHEET_MARKERS:
                    continue
                columns = L.KEY_COLUMNS[entry.kind]
                ws = _Sheet.read(wb, entry.title, self.path.name, columns)
                headers = L.budget_headers(info.year) if entry.kind == L.KIND_BUDGET else L.target_headers()
                broken += self.check_sheet(ws, entry.kind, headers)
                sheets.append((ws, entry))
        finally:
            wb.close()
        if not info.sheets:
            broken.append(f"'{L.INFO_SHEET}' 시트에 시트 목록이 없습니다.")
        if broken:
            raise XlsxFormatError(
                f"{self.path.name}: 통합 문서의 배치가 바뀌어 가져올 수 없습니다. "
                + " ".join(broken)
                + " 내보낸 파일의 시트·열·머리글은 그대로 두고 값만 고치십시오."
            )
        seen: set[tuple[str, str, int]] = set()
        for ws, entry in sheets:
            keyed = self.read_sheet(ws, entry.kind, seen)
            if keyed != entry.keyed_rows:
                self.result.rejected.append(
                    RejectedCell(
                        ws.title,
                        "",
                        f"내보낼 때 {entry.keyed_rows}행이던 자료가 {keyed}행입니다. 행을 지우거나 복사해 붙이지 마십시오"
                        "(예산 사업이나 추진 목표 행을 더하거나 지우려면 seri-desktop에서 하십시오).",
                    )
                )
        self.result.changes = [p.change for p in self.pending]
        if self.result.rejected or not self.pending:
            return self.result
        self.apply()
        return self.result

    def read_sheet(self, ws: _Sheet, kind: str, seen: set[tuple[str, str, int]]) -> int:
        key_col = L.KEY_COLUMNS[kind]
        keyed = 0
        for row in range(L.FIRST_DATA_ROW, ws.max_row + 1):
            raw_key = ws.cell(row=row, column=key_col).value
            if raw_key is None:
                if any(ws.cell(row=row, column=c).value not in (None, "") for c in range(1, key_col)):
                    self.reject(
                        ws,
                        row,
                        1,
                        "내보낸 파일에 없던 행입니다. 새 행은 가져오지 않습니다"
                        "(예산 사업이나 추진 목표 행을 더하려면 seri-desktop에서 하십시오).",
                    )
                continue
            key = L.parse_key(raw_key)
            expected_kinds = (L.KEY_TARGET,) if kind == L.KIND_TARGETS else (L.KEY_PROGRAM, L.KEY_LINE, L.KEY_TOTAL)
            if key is None or key.kind not in expected_kinds:
                self.reject(ws, row, key_col, f"숨은 열의 행 표시 '{raw_key}'가 바뀌었습니다. 내보낸 그대로 두십시오.")
                continue
            keyed += 1
            identity = (key.kind, key.program, key.number)
            if identity in seen:
                self.reject(ws, row, 1, "같은 행이 두 번 있습니다(복사해 붙인 행입니다). 한 행만 남기십시오.")
                continue
            seen.add(identity)
            program = self.programs.get(key.program) or self.programs_by_code.get(key.program)
            if program is None:
                shown = ws.cell(row=row, column=1).value or key.program
                self.reject(
                    ws, row, 1, f"보고서에 {shown} 사업이 없습니다(내보낸 뒤 지워졌습니다). 새로 내보내 고치십시오."
                )
                continue
            if key.kind == L.KEY_LINE:
                self.read_line(ws, row, program, key)
            elif key.kind == L.KEY_TARGET:
                self.read_target(ws, row, program, key)
            elif key.kind == L.KEY_PROGRAM:
                self.notice_read_only(ws, row, L.B_CODE, program.code, L.CODE_HEADER)
                self.notice_read_only(ws, row, L.B_NAME, program.title, "사업 제목")
            else:
                self.notice_total(ws, row, program)
        return keyed

    def notice_total(self, ws: _Sheet, row: int, program: Program) -> None:
        self.notice_read_only(ws, row, L.B_CODE, program.code, L.CODE_HEADER)
        for col in (*L.B_AMOUNTS, L.B_QUARTER_SUM):
            value = ws.cell(row=row, column=col).value
            if not (isinstance(value, str) and value.startswith("=")):
                self.result.notices.append(
                    f"{ws.title}!{get_column_letter(col)}{row}: {program.code} {T.TOTAL_ROW_LABEL} 행은 사업별 금액에서 계산되므로 "
                    f"가져오지 않습니다(입력한 '{value if value is not None else ''}'은(는) 무시했습니다)."
                )

    def notice_read_only(self, ws: _Sheet, row: int, col: int, expected: str, label: str) -> None:
        value = ws.cell(row=row, column=col).value
        if value is not None and str(value).strip() != expected:
            self.result.notices.append(
                f"{ws.title}!{get_column_letter(col)}{row}: {label} 칸은 가져오지 않습니다('{value}'은(는) 무시했습니다)."
            )

    def stale(self, ws: _Sheet, row: int, what: str) -> None:
        self.reject(
            ws,
            row,
            1,
            f"{what}이(가) 통합 문서를 내보낸 뒤 보고서에서 바뀌었습니다. 바뀐 내용을 덮어쓰지 않도록 가져오지 않습니다. "
            "새로 내보낸 통합 문서에서 고치십시오.",
        )

    # -- budget lines

    def read_line(self, ws: _Sheet, row: int, program: Program, key: L.RowKey) -> None:
        budget = program.budget
        if budget is None or not 1 <= key.number <= len(budget.lines):
            self.stale(ws, row, f"{program.code} {T.BUDGET.label} {key.number}행")
            return
        index = key.number - 1
        line = budget.lines[index]
        place = f"{program.code} {T.BUDGET.label} {key.number}행 '{line.name}'"
        self.notice_read_only(ws, row, L.B_CODE, program.code, L.CODE_HEADER)

        labels = T.budget_amount_columns(self.report.year)
        name = self.text(ws, row, L.B_NAME)
        stored_cells = [line.current, line.previous, *(q.amount for q in line.quarters)]
        cells = [
            self.amount(ws, row, col, stored, f"{place} {label}")
            for col, label, stored in zip(L.B_AMOUNTS, labels, stored_cells, strict=True)
        ]
        notes = [self.text(ws, row, col) for col in L.B_NOTES]
        page = self.text(ws, row, L.B_PAGE)
        if name is None or page is None or any(c is None for c in cells) or any(n is None for n in notes):
            return  # rejected above
        read = BudgetLine(
            name,
            cells[0] or Cell(),
            cells[1] or Cell(),
            [Quarter(c or Cell(), n or "") for c, n in zip(cells[2:], notes, strict=True)],
            page,
        )
        if L.line_fingerprint(read) == key.fingerprint:
            return  # the row is as exported: whatever the report holds now stays
        if not name:
            self.reject(ws, row, L.B_NAME, f"{T.BUDGET_LINE_NAME}이 비어 있습니다. 예산 사업의 이름을 적으십시오.")
            return
        found: list[tuple[int, str, str, str, Callable[[Report], None]]] = []
        if name != line.name.strip():  # as the other text cells: spaces at either end are no edit
            found.append((L.B_NAME, T.BUDGET_LINE_NAME, line.name, name, _set_line(program.code, index, "name", name)))
        for col, label, stored, cell, attr in zip(L.B_AMOUNTS, labels, stored_cells, cells, _AMOUNT_ATTRS, strict=True):
            assert cell is not None
            if cell != stored:
                found.append((col, label, stored.format(), cell.format(), _set_line(program.code, index, attr, cell)))
        for q, (col, note) in enumerate(zip(L.B_NOTES, notes, strict=True)):
            assert note is not None
            if note != line.quarters[q].note.strip():
                label = T.quarter_note_label(q)
                found.append(
                    (col, label, line.quarters[q].note, note, _set_line(program.code, index, f"note{q}", note))
                )
        if page != line.page.strip():
            found.append((L.B_PAGE, T.BUDGET_PAGE, line.page, page, _set_line(program.code, index, "page", page)))
        if found and L.line_fingerprint(line) != key.fingerprint:
            self.stale(ws, row, place)
            return
        for col, label, old, new, apply in found:
            self.add(ws, row, col, program, f"{place} {label}", old, new, apply)

    # -- targets

    def read_target(self, ws: _Sheet, row: int, program: Program, key: L.RowKey) -> None:
        targets = program.targets
        if targets is None or not 1 <= key.number <= len(targets.rows):
            self.stale(ws, row, f"{program.code} {T.TARGETS.label} {key.number}행")
            return
        index = key.number - 1
        target = targets.rows[index]
        place = f"{program.code} {T.TARGETS.label} {key.number}행"
        self.notice_read_only(ws, row, L.T_CODE, program.code, L.CODE_HEADER)
        columns = tuple(zip((L.T_NAME, L.T_PERIOD, L.T_QUANTITY), T.TARGET_FIELDS, T.TARGET_COLUMNS, strict=True))
        values = [self.text(ws, row, col) for col, _, _ in columns]
        if any(v is None for v in values):
            return
        name, period, quantity = (v or "" for v in values)
        if L.target_fingerprint(TargetRow(name, period, quantity)) == key.fingerprint:
            return  # as exported
        found = [
            (col, attr, label, str(getattr(target, attr)), value or "")
            for (col, attr, label), value in zip(columns, values, strict=True)
            if (value or "") != str(getattr(target, attr)).strip()
        ]
        if found and L.target_fingerprint(target) != key.fingerprint:
            self.stale(ws, row, place)
            return
        for col, attr, label, old, value in found:
            self.add(
                ws, row, col, program, f"{place} {label}", old, value, _set_target(program.code, index, attr, value)
            )

    # -- changes

    def add(
        self,
        ws: _Sheet,
        row: int,
        col: int,
        program: Program,
        place: str,
        old: str,
        new: str,
        apply: Callable[[Report], None],
    ) -> None:
        change = CellChange(ws.title, f"{get_column_letter(col)}{row}", program.code, place, old, new)
        self.pending.append(_Pending(change, apply))

    def apply(self) -> None:
        report = copy.deepcopy(self.report)
        for pending in self.pending:
            pending.apply(report)
        self.result.report = report


_AMOUNT_HELP = f"{T.CELL_INPUT_FORMS}, 빈 칸 중 하나를 쓰십시오."


def _too_large(label: str, value: object) -> str:
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        shown = f"{value:,.0f}"
    else:
        shown = str(value)
    if len(shown) > 40:
        shown = shown[:20] + "…"
    return f"{label}: {shown}은(는) 너무 큰 금액입니다. 금액은 ±{MAX_AMOUNT:,}까지 쓸 수 있습니다."


def _amount_beyond_limit(text: str) -> bool:
    """Whether ``text`` is written like an amount (digits, commas, △ or -) but beyond ±MAX_AMOUNT."""
    digits = text.lstrip("△-").replace(",", "")
    if not digits.isdigit() or not digits.isascii():
        return False
    return len(digits.lstrip("0")) > _AMOUNT_DIGITS or int(digits) > MAX_AMOUNT


_AMOUNT_ATTRS = ("current", "previous", "q0", "q1", "q2", "q3")


def _set_line(code: str, index: int, attr: str, value: object) -> Callable[[Report], None]:
    def apply(report: Report) -> None:
        program = report.program(code)
        assert program is not None and program.budget is not None
        line: BudgetLine = program.budget.lines[index]
        if attr in ("current", "previous"):
            assert isinstance(value, Cell)
            setattr(line, attr, value)
        elif attr.startswith("q"):
            assert isinstance(value, Cell)
            line.quarters[int(attr[1])].amount = value
        elif attr.startswith("note"):
            line.quarters[int(attr[4])].note = str(value)
        else:
            setattr(line, attr, str(value))

    return apply


def _set_target(code: str, index: int, attr: str, value: str) -> Callable[[Report], None]:
    def apply(report: Report) -> None:
        program = report.program(code)
        assert program is not None and program.targets is not None
        row: TargetRow = program.targets.rows[index]
        setattr(row, attr, value)

    return apply


def read_budget_workbook(path: Path, report: Report) -> WorkbookImport:
    """Compare the workbook at ``path`` with ``report``; the report is never modified.

    Raises :class:`XlsxFormatError` when the file is not a budget workbook of
    this program, belongs to another year, or has its layout broken. Cells
    that cannot be taken are listed in ``rejected``; then ``report`` of the
    result is the given report and nothing should be saved.
    """
    return _Reader(Path(path), report).read()
