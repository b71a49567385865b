"""``export-xlsx`` and ``import-xlsx``: the budget workbook out to Excel and its edits back in.

The import is all or nothing: any rejected cell means nothing is written;
otherwise what the workbook changed is saved in one unit of work and the
rules run again, so the user sees at once what the new figures break or fix.
Only the programs (and the front matter's summary rows) the workbook
changed are written, each checked against the revision read before the
workbook was: a program that someone saved (or a merge changed) meanwhile is
refused as stale, a 확정 program as locked, both naming the program, with
nothing written (exit status 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from seri_desktop.commands import common
from seri_desktop.commands.common import EXIT_OK, CliError, Subparsers, load, open_engine, report_options, who

if TYPE_CHECKING:
    from seri_desktop.domain.model import Report


def cmd_export_xlsx(args: argparse.Namespace) -> int:
    from seri_desktop.formats.xlsx import write_budget_workbook

    output = Path(args.output)
    if output.suffix.lower() != ".xlsx":
        raise CliError(f"내보낼 파일 이름은 .xlsx로 끝나야 합니다: {output}")
    report = load(args)
    write_budget_workbook(report, output)
    programs = sum(1 for _ in report.programs())
    print(f"{report.year}년 예산 통합 문서를 내보냈습니다: {output} (사업 {programs}개)")
    return EXIT_OK


def cmd_import_xlsx(args: argparse.Namespace) -> int:
    from seri_desktop.formats.xlsx import XlsxFormatError, read_budget_workbook, workbook_year
    from seri_desktop.store.audit import Via
    from seri_desktop.store.content import ReportNotFoundError
    from seri_desktop.store.unit import read_snapshot, unit_of_work

    person = who(args) if not args.dry_run else ""
    path = Path(args.file)
    try:
        year = workbook_year(path)
        if args.year is not None and args.year != year:
            raise CliError(f"{path.name}은(는) {year}년 보고서에서 내보낸 통합 문서입니다(--year {args.year}).")
        engine = open_engine(args.db, must_exist=True)
        try:
            snapshot = read_snapshot(engine, year)
        except ReportNotFoundError as exc:
            raise CliError(f"{args.db}: {year}년 보고서가 없습니다.") from exc
        result = read_budget_workbook(path, snapshot.report)
    except XlsxFormatError as exc:
        raise CliError(str(exc)) from exc

    for notice in result.notices:
        print(f"참고: {notice}", file=sys.stderr)
    if result.rejected:
        for rejected in result.rejected:
            print(f"  {rejected}", file=sys.stderr)
        raise CliError(f"가져올 수 없는 칸이 {len(result.rejected)}개 있어 아무것도 가져오지 않았습니다.")
    if not result.changes:
        print(f"{path.name}: {year}년 보고서와 다른 칸이 없습니다. 바꾼 것이 없습니다.")
        return EXIT_OK
    print(f"바뀐 칸 {len(result.changes)}개:")
    for change in result.changes:
        print(f"  {change}")
    if args.dry_run:
        print("--dry-run: 저장하지 않았습니다.")
        return EXIT_OK
    with unit_of_work(engine, year, who=person, via=Via.XLSX) as work:
        written = work.apply(result.report, snapshot)
    print(f"{year}년 보고서에 저장했습니다: {args.db} (바꾼 항목 {len(written)}개)")
    _print_check(result.report, {c.program for c in result.changes})
    return EXIT_OK


def _print_check(report: Report, programs: set[str]) -> None:
    from seri_desktop.domain.rules import Severity, check_report

    problems = check_report(report)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    print(f"다시 점검했습니다: 오류 {errors}개, 경고 {len(problems) - errors}개")
    labels = {Severity.ERROR: "오류", Severity.WARNING: "경고"}
    for p in problems:
        if p.program in programs:
            print(f"  [{labels[p.severity]}] {p.place()}: {p.message}")


def register(sub: Subparsers) -> None:
    p = sub.add_parser("export-xlsx", help="예산과 추진 목표를 Excel 통합 문서(.xlsx)로 내보냅니다")
    report_options(p)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(func=cmd_export_xlsx)

    p = sub.add_parser(
        "import-xlsx", help="고친 예산 통합 문서에서 바뀐 칸을 가져옵니다 (하나라도 틀리면 아무것도 바꾸지 않음)"
    )
    p.add_argument("file", type=Path)
    report_options(p, year_help="통합 문서의 연도와 같아야 합니다 (기본: 통합 문서의 연도)")
    p.add_argument("--dry-run", action="store_true", help="바뀐 칸만 보여 주고 저장하지 않습니다")
    common.who_option(p)
    p.set_defaults(func=cmd_import_xlsx)
