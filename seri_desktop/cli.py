"""The ``seri-desktop`` command: the app with no subcommand, tools for the office with one.

Every subcommand works on a database file given with ``--db``. Errors a user
can cause (a bad file, a report that already exists) end with a Korean
message on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from seri_desktop import __version__

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from seri_desktop.domain.model import Report

EXIT_OK = 0
EXIT_USER_ERROR = 2


class CliError(Exception):
    """A failure to report to the user in Korean, with an exit status."""

    def __init__(self, message: str, status: int = EXIT_USER_ERROR) -> None:
        super().__init__(message)
        self.status = status


def _open_engine(db: Path, *, must_exist: bool) -> Engine:
    from seri_desktop.store.engine import create_engine_for

    if must_exist and not db.is_file():
        raise CliError(f"데이터베이스 파일이 없습니다: {db}")
    return create_engine_for(db)


def cmd_import_text(args: argparse.Namespace) -> int:
    from seri_desktop.formats.text_import import import_report_file
    from seri_desktop.store.repository import save_report

    result = import_report_file(Path(args.file))
    engine = _open_engine(Path(args.db), must_exist=False)
    save_report(engine, result.report, replace=args.replace)
    report = result.report
    programs = sum(len(c.programs) for c in report.chapters)
    print(f"{report.year}년 보고서를 가져왔습니다: {len(report.chapters)}개 장, {programs}개 사업 → {args.db}")
    if result.warnings:
        print(f"확인이 필요한 줄 {len(result.warnings)}개 (내용은 보관했습니다):", file=sys.stderr)
        for warning in result.warnings:
            print(f"  {warning}", file=sys.stderr)
    return EXIT_OK


def _load(args: argparse.Namespace) -> Report:
    from seri_desktop.store.repository import load_report

    engine = _open_engine(Path(args.db), must_exist=True)
    report = load_report(engine, getattr(args, "year", None))
    if report is None:
        year = getattr(args, "year", None)
        raise CliError(f"{args.db}: {year}년 보고서가 없습니다." if year else f"{args.db}: 저장된 보고서가 없습니다.")
    return report


def cmd_export_text(args: argparse.Namespace) -> int:
    from seri_desktop.formats.text_export import write_report_file

    report = _load(args)
    write_report_file(report, Path(args.output))
    print(f"{report.year}년 보고서를 텍스트로 내보냈습니다: {args.output}")
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    from seri_desktop.domain.summary import report_info

    report = _load(args)
    info = report_info(report)
    if args.format == "json":
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{info['year']}년 {info['title']} — {info['institute']}")
    print(
        f"장 {info['chapters']}개, 사업 {info['programs']}개, 부서 {info['departments']}개, "
        f"예산 행 {info['budget_lines']}개, 추진 목표 행 {info['target_rows']}개, 개조식 항목 {info['outline_items']}개"
    )
    for p in info["program_list"]:
        print(f"  {p['code']:>4}  {p['title']}  ({p['department']})")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from seri_desktop.domain.rules import Severity, check_report

    report = _load(args)
    if args.program and report.program(args.program) is None:
        raise CliError(f"{report.year}년 보고서에 {args.program} 사업이 없습니다.")
    problems = check_report(report, args.program)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    if args.format == "json":
        keys = ("rule", "severity", "program", "section", "row", "column", "message")
        payload = {"problems": [{k: p.as_dict()[k] for k in keys} for p in problems]}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        labels = {Severity.ERROR: "오류", Severity.WARNING: "경고"}
        for p in problems:
            print(f"[{labels[p.severity]}] {p.place()}: {p.message} ({p.rule})")
        scope = f"{args.program} 사업" if args.program else f"{report.year}년 보고서"
        print(f"{scope}: 오류 {errors}개, 경고 {len(problems) - errors}개")
    return 1 if errors else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seri-desktop",
        description="주요업무보고 작성·점검·취합 도구. 하위 명령 없이 실행하면 프로그램 창이 열립니다.",
    )
    parser.add_argument("--version", action="version", version=f"seri-desktop {__version__}")
    parser.add_argument("--db", type=Path, help="데이터베이스 파일 (기본: 사용자 데이터 폴더의 seri-desktop.sqlite)")
    sub = parser.add_subparsers(dest="command", metavar="명령")

    p = sub.add_parser("import-text", help="보고서 텍스트 파일을 가져옵니다")
    p.add_argument("file", type=Path)
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--replace", action="store_true", help="같은 연도의 보고서가 있으면 바꿉니다")
    p.set_defaults(func=cmd_import_text)

    p = sub.add_parser("export-text", help="저장된 보고서를 텍스트로 내보냅니다")
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--year", type=int)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(func=cmd_export_text)

    p = sub.add_parser("check", help="보고서의 계산과 빠진 내용을 점검합니다 (오류가 있으면 종료 코드 1)")
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--year", type=int)
    p.add_argument("--program", help="한 사업만 (예: 2-5)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("info", help="저장된 보고서의 요약을 보여 줍니다")
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--year", type=int)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``seri-desktop`` and ``python -m seri_desktop``."""
    args = build_parser().parse_args(argv)
    if args.command is None:
        from seri_desktop.ui.app import run_app

        return run_app(args.db)
    from seri_desktop.formats.text_import import TextImportError
    from seri_desktop.store.engine import StoreError
    from seri_desktop.store.repository import ReportExistsError

    try:
        status: int = args.func(args)
    except (CliError, TextImportError, StoreError, ReportExistsError) as exc:
        print(f"seri-desktop: {exc}", file=sys.stderr)
        return exc.status if isinstance(exc, CliError) else EXIT_USER_ERROR
    except OSError as exc:
        print(f"seri-desktop: 파일을 쓰거나 읽을 수 없습니다: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    return status


if __name__ == "__main__":
    sys.exit(main())
