"""``rollover``: start next year's report from the stored one (PRODUCT.md §5).

The report of ``--to-year`` − 1 is read, rolled over (see
:mod:`seri_desktop.domain.rollover`) and saved as a new report, next to the
old one or, with ``-o``, into another database. The old year is never
changed, and an existing report of the new year is never overwritten.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from seri_desktop.commands import common
from seri_desktop.commands.common import EXIT_OK, CliError, Subparsers, database_target, open_engine, who


def cmd_rollover(args: argparse.Namespace) -> int:
    from seri_desktop.domain.rollover import RolloverError, carried_over_sections, roll_over
    from seri_desktop.store.audit import Via
    from seri_desktop.store.repository import load_report

    person = who(args)
    to_year: int = args.to_year
    source_year = to_year - 1
    source = open_engine(args.db, must_exist=True, read_only=bool(args.output))
    report = load_report(source, source_year)
    if report is None:
        raise CliError(
            f"{args.db}: {source_year}년 보고서가 없습니다. {to_year}년 보고서는 {source_year}년 보고서에서 만듭니다."
        )
    try:
        new = roll_over(report, to_year)
    except RolloverError as exc:
        raise CliError(str(exc)) from exc
    target_db = Path(args.output) if args.output else args.db
    target = open_engine(target_db, must_exist=False) if args.output else source
    hint = "새로 만들려면 그 보고서를 지우거나 -o 로 다른 파일을 지정하십시오."
    common.save_new_report(target, new, target_db, hint, who=person, via=Via.ROLLOVER)
    programs = list(new.programs())
    drafts = sum(len(carried_over_sections(p.layout)[1]) for p in programs)
    print(
        f"{source_year}년 보고서로 {to_year}년 보고서를 만들었습니다 → {target_db}: 사업 {len(programs)}개, "
        f"작년 내용을 옮긴 초안 절 {drafts}개 (부서가 고쳐야 합니다)."
    )
    print(f"{source_year}년 추진 실적은 전년도 추진 실적으로, {source_year}년 예산은 전년도 예산으로 옮겼습니다.")
    return EXIT_OK


def register(sub: Subparsers) -> None:
    p = sub.add_parser("rollover", help="저장된 보고서로 다음 연도 보고서를 만듭니다 (작년 보고서는 그대로)")
    p.add_argument("--db", type=database_target, required=True)
    p.add_argument("--to-year", type=int, required=True, help="새 보고서의 연도 (이 연도 - 1 의 보고서에서 만듭니다)")
    p.add_argument("-o", "--output", type=Path, help="새 보고서를 저장할 다른 데이터베이스 파일 (기본: --db)")
    common.who_option(p)
    p.set_defaults(func=cmd_rollover)
