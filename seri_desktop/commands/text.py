"""``import-text`` and ``export-text``: the report text format in and out.

``import-text --replace`` makes the stored report equal to the file's
through the unit of work: the programs, chapters and departments it can
match keep their permanent ids (:mod:`seri_desktop.domain.matching` says
the rule: departments by name; chapters by number, then title; programs by
code and title, then by a title only one program has, then by code), only
what differs is written, every change is audited, and a 확정 program it
would change or remove refuses the whole import (exit status 2, nothing
written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from seri_desktop.commands import common
from seri_desktop.commands.common import EXIT_OK, Subparsers, load, open_engine, report_options, who


def cmd_import_text(args: argparse.Namespace) -> int:
    from seri_desktop.formats.text_import import import_report_file
    from seri_desktop.store.audit import Via
    from seri_desktop.store.repository import save_report

    person = who(args)
    result = import_report_file(Path(args.file))
    engine = open_engine(args.db, must_exist=False)
    save_report(engine, result.report, replace=args.replace, who=person, via=Via.TEXT)
    report = result.report
    programs = sum(len(c.programs) for c in report.chapters)
    print(f"{report.year}년 보고서를 가져왔습니다: {len(report.chapters)}개 장, {programs}개 사업 → {args.db}")
    if result.warnings:
        print(f"확인이 필요한 줄 {len(result.warnings)}개 (내용은 보관했습니다):", file=sys.stderr)
        for warning in result.warnings:
            print(f"  {warning}", file=sys.stderr)
    return EXIT_OK


def cmd_export_text(args: argparse.Namespace) -> int:
    from seri_desktop.formats.text_export import write_report_file

    report = load(args)
    write_report_file(report, Path(args.output))
    print(f"{report.year}년 보고서를 텍스트로 내보냈습니다: {args.output}")
    return EXIT_OK


def register(sub: Subparsers) -> None:
    p = sub.add_parser("import-text", help="보고서 텍스트 파일을 가져옵니다")
    p.add_argument("file", type=Path)
    report_options(p, year=False)
    p.add_argument("--replace", action="store_true", help="같은 연도의 보고서가 있으면 바꿉니다")
    common.who_option(p)
    p.set_defaults(func=cmd_import_text)

    p = sub.add_parser("export-text", help="저장된 보고서를 텍스트로 내보냅니다")
    report_options(p)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(func=cmd_export_text)
