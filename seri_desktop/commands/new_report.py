"""``new-report``: an empty report of a year from the template (the window's 새 보고서… › 서식에서).

The report has I / II / III and the front-matter tables with their printed
columns and the year's captions and as-of date
(:func:`seri_desktop.domain.new_report.empty_report`); chapters, programs and
departments are added afterwards (the window, ``structure`` commands). From
last year's report see ``rollover``; from a text export, ``import-text``.
"""

from __future__ import annotations

import argparse

from seri_desktop.commands import common
from seri_desktop.commands.common import EXIT_OK, CliError, Subparsers, database_target, open_engine, who


def cmd_new_report(args: argparse.Namespace) -> int:
    from seri_desktop.domain.new_report import empty_report
    from seri_desktop.store.audit import Via

    person = who(args)
    year: int = args.year
    if not 2000 <= year <= 2100:
        raise CliError(f"연도 {year}은(는) 2000~2100 사이여야 합니다.")
    engine = open_engine(args.db, must_exist=False)
    common.save_new_report(engine, empty_report(year), args.db, "다른 파일을 지정하십시오.", who=person, via=Via.CLI)
    print(f"{year}년 빈 보고서를 만들었습니다 → {args.db}: 일반 현황의 표는 인쇄되는 열로 시작합니다.")
    return EXIT_OK


def register(sub: Subparsers) -> None:
    p = sub.add_parser("new-report", help="서식에서 빈 보고서(일반 현황 표의 열 포함)를 만듭니다")
    p.add_argument("--db", type=database_target, required=True)
    p.add_argument("--year", type=int, required=True, help="보고서 연도 (예: 2025)")
    common.who_option(p)
    p.set_defaults(func=cmd_new_report)
