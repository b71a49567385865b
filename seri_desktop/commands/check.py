"""``check``: run the rules over the stored report; exit status 1 when there is an error."""

from __future__ import annotations

import argparse
import json

from seri_desktop.commands import common
from seri_desktop.commands.common import EXIT_FINDINGS, EXIT_OK, CliError, Subparsers, database_target, load


def accept_derived(args: argparse.Namespace) -> None:
    """``--accept-derived CODE``: the office accepts the derived values over the import findings about CODE."""
    from seri_desktop.commands.common import open_engine, who
    from seri_desktop.store.audit import Via
    from seri_desktop.store.findings import accept_derived as store_accept

    person = who(args)
    report = load(args)
    engine = open_engine(args.db, must_exist=True)
    resolved = store_accept(engine, report.year, args.accept_derived, who=person, via=Via.CLI)
    print(f"{args.accept_derived}: 가져온 보고서와 다른 점 {len(resolved)}개를 계산값으로 받아들였습니다.")
    for problem in resolved:
        print(f"  {problem.place()}: {problem.message}")


def cmd_check(args: argparse.Namespace) -> int:
    from seri_desktop.domain.rules import Severity, check_report

    if args.accept_derived:
        accept_derived(args)
    report = load(args)
    if args.program and report.program(args.program) is None:
        raise CliError(f"{report.year}년 보고서에 {args.program} 사업이 없습니다.")
    problems = check_report(report, args.program)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    if args.format == "json":
        keys = ("rule", "severity", "program", "finding", "section", "row", "column", "message")
        payload = {"problems": [{k: p.as_dict()[k] for k in keys} for p in problems]}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        labels = {Severity.ERROR: "오류", Severity.WARNING: "경고"}
        for p in problems:
            print(f"[{labels[p.severity]}] {p.place()}: {p.message} ({p.rule})")
        scope = f"{args.program} 사업" if args.program else f"{report.year}년 보고서"
        print(f"{scope}: 오류 {errors}개, 경고 {len(problems) - errors}개")
    return EXIT_FINDINGS if errors else EXIT_OK


def register(sub: Subparsers) -> None:
    p = sub.add_parser("check", help="보고서의 계산과 빠진 내용을 점검합니다 (오류가 있으면 종료 코드 1)")
    p.add_argument("--db", type=database_target, required=True)
    p.add_argument("--year", type=int)
    p.add_argument("--program", help="한 사업만 (예: 2-5)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--accept-derived",
        metavar="CODE",
        help="가져온 보고서와 다른 점(가져오기 차이)을 계산값으로 받아들입니다 (기획 부서, 예: 사업 4-8, 장 표지 1장)",
    )
    common.who_option(p)
    p.set_defaults(func=cmd_check)
