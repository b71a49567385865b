"""``export-hwpx`` and ``import-hwpx``: the report, a department or a program as 한글(HWPX), and 한글 edits back.

``import-hwpx`` previews only unless told what to do: ``--accept-all``
applies every changed program (and section II) that is not locked,
``--return CODE=사유`` returns one with its reason. Everything the file holds
that could not be placed is listed; the file is unsigned, which the preview
says first.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from seri_desktop.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    CliError,
    Subparsers,
    load,
    open_engine,
    report_options,
    who,
)

if TYPE_CHECKING:
    from seri_desktop.formats.hwpx.intake import HwpxPreview


def cmd_export_hwpx(args: argparse.Namespace) -> int:
    from seri_desktop.formats.hwpx import build_department_hwpx, build_program_hwpx, build_report_hwpx

    report = load(args)
    output = Path(args.output)
    if args.department is not None:
        result = build_department_hwpx(report, args.department, output)
        scope = f"{report.year}년 보고서의 {args.department} 부분을"
    elif args.program is not None:
        result = build_program_hwpx(report, args.program, output)
        scope = f"{report.year}년 보고서의 {args.program} 사업을"
    else:
        result = build_report_hwpx(report, output)
        scope = f"{report.year}년 보고서 전체를"
    pages = f"약 {result.pages}쪽, " if result.pages else ""
    print(f"{scope} 한글(HWPX)로 내보냈습니다: {output} ({pages}사업 {len(result.programs)}개)")
    return EXIT_OK


def _print_preview(preview: HwpxPreview) -> None:
    print(f"■ {preview.file_name}: {preview.year}년 {preview.department} 한글(HWPX) 문서")
    print(f"  주의: {preview.notice}")
    for warning in preview.warnings:
        print(f"  경고: {warning}")
    for item in preview.items():
        key = preview.label_of(item)
        title = item.title if hasattr(item, "title") else f"{item.department} 업무 평가"
        status = "바뀐 곳 없음" if not item.changes else f"바뀐 곳 {len(item.changes)}개"
        lock = f" — 반영할 수 없음: {item.lock}" if item.lock and item.changes else ""
        print(f"  {key} {title} — {status}{lock}")
        for change in item.changes:
            print(f"    {change.describe()}")
    if preview.unplaced:
        print(
            f"  자리를 찾지 못한 내용 {len(preview.unplaced)}개 (반영하지 않습니다. 양식의 알맞은 자리로 옮겨 다시 가져오십시오):"
        )
        for entry in preview.unplaced:
            print(f"    {entry.describe()}")


def cmd_import_hwpx(args: argparse.Namespace) -> int:
    from seri_desktop.formats.hwpx.intake import ACCEPT, RETURN, apply_hwpx, preview_hwpx

    applying = bool(args.accept_all or args.return_) and not args.dry_run
    person = who(args) if applying else ""
    engine = open_engine(args.db, must_exist=True)
    preview = preview_hwpx(engine, Path(args.file), args.department, year=args.year)
    _print_preview(preview)
    returns: dict[str, str] = {}
    for value in args.return_ or []:
        key, sep, reason = value.partition("=")
        if not sep or not key.strip():
            raise CliError("--return 는 '사업번호=사유' 형식이어야 합니다 (예: --return 2-5=예산 근거를 보완하십시오).")
        returns[key.strip()] = reason.strip()
    if args.dry_run or not (args.accept_all or returns):
        if not args.dry_run:
            print("미리보기만 했습니다. 반영하려면 --accept-all 또는 --return 사업번호=사유 를 쓰십시오.")
        return EXIT_FINDINGS if preview.unplaced else EXIT_OK
    decisions = {key: RETURN for key in returns}
    if args.accept_all:
        for item in preview.items():
            key = preview.key_of(item)
            decisions.setdefault(key, ACCEPT)
    result = apply_hwpx(engine, preview, decisions, returns, person)
    print(
        f"{preview.file_name}: {preview.department} — 반영 {len(result.accepted)}개"
        f"{' (' + ', '.join(result.accepted) + ')' if result.accepted else ''}, "
        f"반려 {len(result.returned)}개{' (' + ', '.join(result.returned) + ')' if result.returned else ''}, "
        f"변경 없음 {len(result.unchanged)}개, 확정되어 건너뜀 {len(result.locked)}개"
    )
    return EXIT_OK


def register(sub: Subparsers) -> None:
    p = sub.add_parser("export-hwpx", help="보고서 전체, 한 부서의 부분 또는 한 사업을 한글(HWPX)로 내보냅니다")
    report_options(p)
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--all", action="store_true", help="보고서 전체 (표지, 목차, I~III; 읽기용)")
    scope.add_argument(
        "--department", metavar="부서명", help="한 부서의 부분 (II의 평가, 장 표지, 사업; 한글에서 고칠 수 있게)"
    )
    scope.add_argument("--program", metavar="사업번호", help="한 사업 (예: 2-5)")
    p.add_argument("-o", "--output", type=Path, required=True, help="한글 파일 (.hwpx)")
    p.set_defaults(func=cmd_export_hwpx)

    p = sub.add_parser("import-hwpx", help="한글에서 고친 HWPX를 읽어 차이를 보여 주고 반영합니다 (기획 부서)")
    report_options(p, year=False)
    p.add_argument("file", type=Path, metavar="FILE.hwpx")
    p.add_argument(
        "--department", required=True, metavar="부서명", help="이 파일을 보낸 부서 (그 부서의 사업만 바꿀 수 있습니다)"
    )
    p.add_argument("--year", type=int)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="미리보기만 합니다 (기본)")
    mode.add_argument(
        "--accept-all", action="store_true", help="바뀐 사업과 업무 평가를 모두 반영합니다 (확정된 것은 제외)"
    )
    p.add_argument(
        "--return", dest="return_", action="append", metavar="사업번호=사유", help="이 사업을 사유와 함께 반려합니다"
    )
    p.add_argument("--who", help="처리자 (기본: config --name 으로 정한 이름)")
    p.set_defaults(func=cmd_import_hwpx)
