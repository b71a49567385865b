"""``export-pdf``: the whole report, or one department's section, as a PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from seri_desktop.commands.common import EXIT_OK, CliError, Subparsers, load, report_options


def cmd_export_pdf(args: argparse.Namespace) -> int:
    from seri_desktop.formats.pdf import PdfError, build_department_pdf, build_report_pdf

    report = load(args)
    output = Path(args.output)
    try:
        if args.department is not None:
            result = build_department_pdf(report, args.department, output)
            scope = f"{report.year}년 보고서의 {args.department} 부분을"
        else:
            result = build_report_pdf(report, output)
            scope = f"{report.year}년 보고서 전체를"
    except PdfError as exc:
        raise CliError(str(exc)) from exc
    print(f"{scope} PDF로 내보냈습니다: {output} ({result.pages}쪽, 사업 {len(result.program_pages)}개)")
    return EXIT_OK


def register(sub: Subparsers) -> None:
    p = sub.add_parser("export-pdf", help="보고서 전체 또는 한 부서의 부분을 PDF로 내보냅니다")
    report_options(p)
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--all", action="store_true", help="보고서 전체 (표지, 목차, I~III)")
    scope.add_argument("--department", metavar="부서명", help="한 부서의 부분 (II의 평가, 장 표지, 사업)")
    p.add_argument("-o", "--output", type=Path, required=True, help="PDF 파일")
    p.set_defaults(func=cmd_export_pdf)
