"""``info``: the size of the stored report and its program list."""

from __future__ import annotations

import argparse
import json

from seri_desktop.commands.common import EXIT_OK, Subparsers, load, report_options


def cmd_info(args: argparse.Namespace) -> int:
    from seri_desktop.domain.summary import report_info

    report = load(args)
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


def register(sub: Subparsers) -> None:
    p = sub.add_parser("info", help="저장된 보고서의 요약을 보여 줍니다")
    report_options(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_info)
