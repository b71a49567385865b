"""The budget workbook (예산 통합 문서): export a report's budgets and targets to Excel, and read edits back.

Public API (no Qt, no database; the commands and the UI do the store part)::

    write_budget_workbook(report, path)          # atomic write of FILE.xlsx
    build_budget_workbook(report) -> Workbook    # the same, in memory
    read_budget_workbook(path, report) -> WorkbookImport
        # .changes (CellChange: sheet, address, place, old, new), .rejected
        # (RejectedCell: "기획평가부!E12: reason"), .notices, .ok,
        # .report (a changed copy when ok and something changed)
    workbook_year(path) -> int                   # the year a workbook was exported for
    XlsxFormatError                              # not a workbook of ours / layout broken / beyond a limit (Korean)
    XlsxWriteError                               # a text longer than a cell holds (Korean)
    FileWriteError (formats.files)               # the place cannot take the file (Korean)

Layout (version 1). Sheets, in order:

* ``요약`` — 주요업무별 예산 내역 as the report prints it: rows 3–4 the two
  header rows (번호, 주요업무명, 예산액 '24/'23, 집행액/집행계획 1–4분기,
  쪽수, 부서), then one row per program whose figures are formulas pointing at
  the program's 계 row on its department sheet, and a 합계 row of ``SUM``\\ s.
  Derived: never read back.
* one sheet per department (its name; ``[]:*?/\\`` replaced, at most 31
  characters) — row 1 title, row 2 unit/as-of and instructions, row 3 the
  header ``번호 | 사업명 | 예산액('24) | 예산액('23) | 1분기 … 4분기 |
  1분기 집행내용 … 4분기 집행내용 | 설명자료 쪽수 | 1~4분기 합계 | 키``
  (columns A–O). Per program: a header row (code, title), one row per
  budget line, a 계 row whose amounts are ``=SUM`` over the lines. Amounts
  are numbers (format ``#,##0;"△"#,##0``); ``-``, ``재배정`` and text that
  is not an amount are text. Read back: 사업명, the six amounts, the four
  notes and the page of each line row.
* ``추진 목표`` — row 3 header ``번호 | 주요업무명 | 부서 | 행 | 세부사업명 |
  추진시기 | 물량 | 키`` (A–H), one row per target row. Read back: E–G.
* ``점검 결과`` — the rules' problems with their places at export time. Never read back.
* ``_seri`` (hidden) — format id, version, year, export time, and every
  readable sheet with its number of keyed rows.

The last column of a readable sheet (O or H) is hidden. Row 1 of it holds
the sheet marker (``seri:budget:1``, ``seri:targets:1``); each data row holds
its key ``kind|program|number|fingerprint`` (``l|<uid>|2|…`` is line 2 of the
program with that permanent id, whatever its code is when the file comes
back; keys holding a code, as workbooks from before the ids do, still read).
The reader refuses a file whose marker or header row moved (a column was
inserted or deleted), whose listed sheets are gone, or whose year is not the
report's; it rejects, with ``sheet!cell`` and a Korean reason, cells that are
not valid values, rows that were added, deleted or duplicated, and rows the
report changed after the export (their fingerprint no longer matches).
Formulas typed into input cells are taken through their cached values;
formula cells of the layout are derived and never read.

Safety (issue 12 items 6 and 7): the app's own SUMs and references to 계
rows are the only formulas written; every text cell is a string cell, with
Excel's quote prefix when it looks like a formula
(:mod:`seri_desktop.formats.injection`). A text longer than a cell holds is
refused at export (:class:`XlsxWriteError`) rather than cut. The reader
checks the archive's unpacked sizes before anything is unpacked and bounds
rows and cell lengths (the limits are named in
:mod:`seri_desktop.formats.xlsx.reader`); amounts beyond ``±MAX_AMOUNT`` are
rejected with their cell.
"""

from seri_desktop.formats.xlsx.reader import (
    CellChange,
    RejectedCell,
    WorkbookImport,
    XlsxFormatError,
    read_budget_workbook,
    workbook_year,
)
from seri_desktop.formats.xlsx.writer import XlsxWriteError, build_budget_workbook, write_budget_workbook

__all__ = [
    "CellChange",
    "RejectedCell",
    "WorkbookImport",
    "XlsxFormatError",
    "XlsxWriteError",
    "build_budget_workbook",
    "read_budget_workbook",
    "workbook_year",
    "write_budget_workbook",
]
