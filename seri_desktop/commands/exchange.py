"""``package``, ``submit``, ``merge``, ``review``, ``state``, ``comment``, ``audit``: the exchange with departments.

The office issues packages (``package``), each department writes a
submission from its package (``submit``), and the office verifies, previews
and merges them (``merge``), watches the dashboard (``review``), moves review
states (``state``), leaves comments (``comment``) and exports the audit log
(``audit``). Items are program codes (``1-2``) or a department's section II
(``II:교육정책연구소``).

``merge`` previews only unless told what to do: ``--accept-all`` accepts
every changed item but refuses to overwrite a conflict unless it is named
with ``--overwrite``, and never rolls back: an item a newer submission of
the department already changed is left unless named with ``--force-older``;
``--return CODE=사유`` returns an item with its reason. A file already
merged is reported and skipped (exit status 0), each item's outcome named,
so running the same command twice is harmless; only an item it left as
older can still be taken, by naming it with ``--force-older``, and naming an
item it already took is refused (exit status 2); a bad file stops the whole command before anything is
written. ``audit --verify`` checks the audit log's hash chain (exit status
1 and the first altered entry when it is broken).

Every command that writes records who did it: ``--who`` (``--author`` for
``submit``), else the name set once with ``seri-desktop config --name``;
with neither it refuses before writing anything. Items on the command line
are program codes as the report shows them now (or ``II:<부서>``); the store
keeps them by the programs' permanent ids.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seri_desktop.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    CliError,
    Subparsers,
    database_target,
    open_engine,
    report_options,
    who,
)
from seri_desktop.domain import template
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.policy import STATES

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from seri_desktop.exchange.merge import MergePreview


def _year(engine: Engine, args: argparse.Namespace) -> int:
    from seri_desktop.store.exchange import package_info
    from seri_desktop.store.repository import report_years

    if getattr(args, "year", None):
        return int(args.year)
    info = package_info(engine)
    if info is not None:
        return info.year
    years = report_years(engine)
    if not years:
        raise CliError(f"{args.db}: 저장된 보고서가 없습니다.")
    return years[-1]


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values or []:
        key, sep, text = value.partition("=")
        if not sep or not key.strip():
            raise CliError(f"{option} 는 '항목=내용' 형식이어야 합니다 (예: {option} 1-2=예산 근거를 보완하십시오).")
        pairs[key.strip()] = text.strip()
    return pairs


# --- package ------------------------------------------------------------------------------------------------


def cmd_package(args: argparse.Namespace) -> int:
    from seri_desktop.exchange.items import department_names
    from seri_desktop.exchange.package import create_package
    from seri_desktop.formats.file_names import PACKAGE, file_name
    from seri_desktop.store.repository import load_report

    issuer = who(args)
    engine = open_engine(args.db, must_exist=True)
    if args.all:
        report = load_report(engine, args.year)
        if report is None:
            raise CliError(f"{args.db}: 저장된 보고서가 없습니다.")
        folder = Path(args.output)
        folder.mkdir(parents=True, exist_ok=True)
        targets = [(name, folder / file_name(PACKAGE, report.year, name)) for name in department_names(report)]
    else:
        if not args.department:
            raise CliError("--department 부서명 또는 --all 을 지정하십시오.")
        targets = [(args.department, Path(args.output))]
    for department, path in targets:
        issued = create_package(engine, department, path, who=issuer, year=args.year, overwrite=args.force)
        print(
            f"{issued.year}년 {issued.department} 꾸러미를 만들었습니다: {issued.path} "
            f"(사업 {len(issued.programs)}개, 검토 의견 {issued.comments}개)"
        )
    return EXIT_OK


# --- submit -----------------------------------------------------------------------------------------------


def cmd_submit(args: argparse.Namespace) -> int:
    from seri_desktop.exchange.submission import create_submission

    author = who(args, "author") if args.author else who(args)
    engine = open_engine(args.db, must_exist=True)
    sent = create_submission(engine, Path(args.output), author=author, overwrite=args.force)
    print(
        f"{sent.year}년 {sent.department} 제출 파일을 만들었습니다: {sent.path} "
        f"(사업 {len(sent.programs)}개와 업무 평가, 작성자 {author})"
    )
    return EXIT_OK


# --- merge -------------------------------------------------------------------------------------------------


def _print_preview(preview: MergePreview) -> None:
    print(
        f"■ {preview.file_name}: {preview.year}년 {preview.department} 제출 (작성 {preview.author}, "
        f"{preview.created_at.astimezone():%Y-%m-%d %H:%M})"
    )
    print("  확인: " + "; ".join(f"{c.label} {c.detail}" for c in preview.checks))
    for item in preview.items:
        print(
            f"  {item.label} {item.title} — {item.status_label} (상태 {item.state}, 기준 개정 {item.base_revision}, "
            f"현재 개정 {item.revision}, 오류 {item.errors_before}→{item.errors_after})"
        )
        for change in item.changes:
            print(f"    {change.describe()}")
        if item.office_changes:
            print("    기획 부서가 발급 뒤 바꾼 곳:")
            for change in item.office_changes:
                print(f"      {change.describe()}")
        for warning in item.warnings:
            print(f"    경고: {warning}")


def cmd_merge(args: argparse.Namespace) -> int:
    from seri_desktop.exchange.errors import AlreadyMergedError
    from seri_desktop.exchange.merge import ACCEPT, RETURN, MergeRequest, apply_merges, preview_merge

    decided = bool(args.accept_all or args.accept or args.return_)
    processor = who(args) if decided and not args.dry_run else ""
    engine = open_engine(args.db, must_exist=True)
    previews: list[MergePreview] = []
    skipped: list[str] = []
    for path in args.files:
        try:
            preview = preview_merge(engine, Path(path))
        except AlreadyMergedError as exc:
            skipped.append(str(exc))
            continue
        if preview.nothing_to_redo(args.force_older or []):
            # Processed before; only the items it left as older could still be taken, and none is forced.
            skipped.append(preview.processed_note)
            continue
        if any(p.payload_sha256 == preview.payload_sha256 for p in previews):
            skipped.append(
                f"'{preview.file_name}' 은(는) 이 명령에 이미 들어 있는 제출과 같은 파일입니다. 한 번만 반영합니다."
            )
            continue
        previews.append(preview)

    as_json = args.format == "json"
    if not as_json:
        for preview in previews:
            _print_preview(preview)
        for message in skipped:
            print(message)

    def report_json(results: list[dict[str, Any]]) -> None:
        document = {"previews": [p.as_dict() for p in previews], "skipped": skipped, "results": results}
        print(json.dumps(document, ensure_ascii=False, indent=2))

    returns = _pairs(args.return_, "--return")
    notes = _pairs(args.comment, "--comment")
    accepts = set(args.accept or [])
    overwrite = set(args.overwrite or [])
    forced = set(args.force_older or [])
    if args.dry_run or not decided or not previews:
        if as_json:
            report_json([])
        elif previews and not args.dry_run:
            print("미리보기만 했습니다. 반영하려면 --accept-all, --accept 항목, --return 항목=사유 를 쓰십시오.")
        conflicts = any(p.conflicts() for p in previews)
        return EXIT_FINDINGS if conflicts else EXIT_OK

    named = accepts | set(returns) | set(notes) | overwrite | forced
    unknown = sorted(name for name in named if all(p.key_of(name) is None for p in previews))
    if unknown:
        raise CliError(f"제출 파일에 없는 항목입니다: {', '.join(unknown)}")
    requests: list[MergeRequest] = []
    for preview in previews:
        mine = {name: key for name in named if (key := preview.key_of(name)) is not None}

        def keys(names: set[str], mine: dict[str, str] = mine) -> set[str]:
            return {mine[name] for name in names if name in mine}

        returned, accepted, forcing = keys(set(returns)), keys(accepts), keys(forced)
        decisions: dict[str, str] = {}
        for item in preview.items:
            if item.key in returned:
                decisions[item.key] = RETURN
            elif item.key in accepted or item.key in forcing or (args.accept_all and item.needs_decision):
                decisions[item.key] = ACCEPT
        comments = {mine[k]: v for k, v in {**notes, **returns}.items() if k in mine}
        requests.append(MergeRequest(preview, decisions, comments, keys(overwrite), forcing))
    results = apply_merges(engine, requests, processor)
    if as_json:
        report_json([asdict(r) for r in results])
        return EXIT_OK
    for result in results:
        print(
            f"{result.file_name}: {result.department} — 반영 {len(result.accepted)}개"
            f"{' (' + ', '.join(result.accepted) + ')' if result.accepted else ''}, "
            f"반려 {len(result.returned)}개{' (' + ', '.join(result.returned) + ')' if result.returned else ''}, "
            f"변경 없음 {len(result.unchanged)}개, 확정되어 건너뜀 {len(result.locked)}개"
            + (
                f", 더 새 제출이 반영되어 건너뜀 {len(result.older)}개 ({', '.join(result.older)}; "
                "반영하려면 --force-older 항목)"
                if result.older
                else ""
            )
            + (f", 이 제출에서 이미 처리됨 {len(result.already)}개" if result.already else "")
        )
    return EXIT_OK


# --- review, state, comment, audit -------------------------------------------------------------------------


def cmd_review(args: argparse.Namespace) -> int:
    from seri_desktop.exchange.dashboard import completeness

    engine = open_engine(args.db, must_exist=True, read_only=True)
    dashboard = completeness(engine, args.year)
    departments = [d for d in dashboard.departments if not args.department or d.department == args.department]
    if args.department and not departments:
        raise CliError(f"{dashboard.year}년 보고서에 '{args.department}' 부서가 없습니다.")
    if args.format == "json":
        data: dict[str, Any] = dashboard.as_dict()
        data["departments"] = [
            d for d in data["departments"] if not args.department or d["department"] == args.department
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    print(f"{dashboard.year}년 보고서 검토 현황")
    for d in departments:
        counts = ", ".join(f"{state} {n}" for state, n in d.state_counts().items() if n)
        sub = d.last_submission
        last = f"마지막 제출 {sub.created_at.astimezone():%m-%d %H:%M} {sub.author}" if sub else "제출 없음"
        filled = sum(1 for s in d.section_ii if s.filled)
        print(
            f"■ {d.department}: 사업 {len(d.programs)}개 ({counts}); "
            f"업무 평가 {filled}/{len(d.section_ii)} {d.section_ii_state}; "
            f"꾸러미 {d.packages_issued}회; {last}"
        )
        for p in d.programs:
            filled = sum(1 for s in p.sections if s.filled)
            missing = f", 빠진 필수: {', '.join(p.missing_required)}" if p.missing_required else ""
            print(
                f"  {p.code:>5} {p.state:<4} 절 {filled}/{len(p.sections)} 오류 {p.errors} 경고 {p.warnings} "
                f"의견 {p.comments}{missing}  {p.title}"
            )
    return EXIT_OK


def cmd_state(args: argparse.Namespace) -> int:
    from seri_desktop.store.review import set_state

    person = who(args)
    engine = open_engine(args.db, must_exist=True)
    year = _year(engine, args)
    status = set_state(engine, year, args.item, args.state, person, comment=args.comment)
    print(f"{args.item}: {status.state} (개정 {status.revision})")
    return EXIT_OK


def cmd_comment(args: argparse.Namespace) -> int:
    from seri_desktop.store.review import CommentTarget, add_comment, comments_for_department, comments_for_program

    person = who(args) if args.text is not None else ""
    engine = open_engine(args.db, must_exist=True, read_only=args.text is None)
    year = _year(engine, args)
    ref = ItemRef.from_key(args.item)
    department = ref.department
    if args.text is None:
        if department is not None:
            comments = [c for c in comments_for_department(engine, year, department) if c.target.program is None]
        else:
            comments = comments_for_program(engine, year, args.item)
        for c in comments:
            place = " ".join(
                x for x in (c.target.section, f"{c.target.row}행" if c.target.row else "", c.target.column) if x
            )
            print(f"{c.created_at.astimezone():%Y-%m-%d %H:%M} {c.author} [{place or '전체'}] {c.text}")
        print(f"{args.item}: 검토 의견 {len(comments)}개")
        return EXIT_OK
    target = CommentTarget(
        None if department is not None else args.item,
        args.section or "",
        args.row,
        args.column or "",
        department or "",
    )
    comment = add_comment(engine, year, target, args.text, person)
    print(f"{args.item}: 검토 의견을 남겼습니다 ({comment.department}).")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from seri_desktop.formats.audit_csv import export_audit_csv
    from seri_desktop.store.audit import audit_log, program_audit, verify_audit

    engine = open_engine(args.db, must_exist=True, read_only=True)
    if args.verify:
        checks = verify_audit(engine, args.year)
        for check in checks:
            print(check.line())
        if not checks:
            print("변경 기록이 아직 없습니다.")
        broken = [c for c in checks if not c.intact]
        return EXIT_FINDINGS if broken else EXIT_OK
    if args.export:
        count = export_audit_csv(engine, Path(args.export), year=args.year, item=args.item)
        print(f"감사 기록 {count}건을 내보냈습니다: {args.export}")
        return EXIT_OK
    if args.item:
        entries = program_audit(engine, _year(engine, args), args.item)
    else:
        entries = audit_log(engine, args.year)
    for e in entries:
        change = f"{e.old} → {e.new}" if e.old else e.new
        head = " ".join(
            x
            for x in (
                f"{e.at.astimezone():%Y-%m-%d %H:%M:%S}",
                e.who or "-",
                f"[{e.via_label}]" if e.via else "",
                e.action_label,
                e.item_label,
                e.place(),
            )
            if x
        )
        print(f"{head}: {change}" if change else head)
    print(f"감사 기록 {len(entries)}건")
    return EXIT_OK


def register(sub: Subparsers) -> None:
    p = sub.add_parser("package", help="부서 꾸러미(.seripkg)를 만듭니다 (기획 부서)")
    report_options(p, year=False)
    p.add_argument("--department", help="부서명 (예: 교육정책연구소)")
    p.add_argument("--all", action="store_true", help="모든 부서의 꾸러미를 -o 폴더에 만듭니다")
    p.add_argument("-o", "--output", type=Path, required=True, help="꾸러미 파일 (--all 이면 폴더)")
    p.add_argument("--year", type=int)
    p.add_argument("--who", help="발급자 (기본: config --name 으로 정한 이름)")
    p.add_argument("--force", action="store_true", help="같은 이름의 파일이 있으면 덮어씁니다")
    p.set_defaults(func=cmd_package)

    p = sub.add_parser("submit", help="부서 꾸러미에서 제출 파일(.serisub)을 만듭니다 (부서)")
    p.add_argument("--db", type=database_target, required=True, help="부서 꾸러미 (.seripkg)")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--author", help="작성자 (기본: config --name 으로 정한 이름)")
    p.add_argument("--who", help=argparse.SUPPRESS)
    p.add_argument("--force", action="store_true", help="같은 이름의 파일이 있으면 덮어씁니다")
    p.set_defaults(func=cmd_submit)

    p = sub.add_parser("merge", help="제출 파일을 확인하고 차이를 보여 준 뒤 반영합니다 (기획 부서)")
    report_options(p, year=False)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE.serisub")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="확인과 미리보기만 합니다 (기본)")
    mode.add_argument("--accept-all", action="store_true", help="바뀐 항목을 모두 받아들입니다 (충돌은 제외)")
    p.add_argument("--accept", action="append", metavar="항목", help="이 항목을 받아들입니다")
    p.add_argument(
        "--return", dest="return_", action="append", metavar="항목=사유", help="이 항목을 사유와 함께 반려합니다"
    )
    p.add_argument("--overwrite", action="append", metavar="항목", help="충돌인 이 항목을 제출 내용으로 덮어씁니다")
    p.add_argument(
        "--force-older",
        action="append",
        metavar="항목",
        help="더 새 제출이 이미 반영된 이 항목을 그래도 이 (더 오래된) 제출 내용으로 바꿉니다",
    )
    p.add_argument("--comment", action="append", metavar="항목=의견", help="받아들이는 항목에 남길 의견")
    p.add_argument("--who", help="처리자 (기본: config --name 으로 정한 이름)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("review", help="부서·사업별 작성·검토 현황을 보여 줍니다")
    report_options(p)
    p.add_argument("--department")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_review)

    section_ii = ItemRef.section_ii("부서명").key()  # how a department's section II is named on the command line
    item_help = f"사업 번호 (예: 1-2) 또는 {section_ii}"
    p = sub.add_parser("state", help=f"사업(또는 {section_ii})의 검토 상태를 바꿉니다")
    report_options(p, year=False)
    p.add_argument("item", help=item_help)
    p.add_argument("state", choices=STATES)
    p.add_argument("--comment", help="의견 (반려에는 꼭 필요)")
    p.add_argument("--year", type=int)
    p.add_argument("--who")
    p.set_defaults(func=cmd_state)

    p = sub.add_parser("comment", help="검토 의견을 남기거나 (내용 없이) 봅니다")
    report_options(p, year=False)
    p.add_argument("item", help=item_help)
    p.add_argument("text", nargs="?", help="의견 (없으면 의견 목록을 보여 줍니다)")
    examples = (template.OVERVIEW_PURPOSE, template.TARGETS, template.BUDGET, template.SECTION_II_PARTS[0])
    p.add_argument("--section", help=f"절 (예: {', '.join(part.key for part in examples)})")
    p.add_argument("--row", type=int, help="행 (1부터)")
    p.add_argument("--column", help="열 (예: 3분기, 물량)")
    p.add_argument("--year", type=int)
    p.add_argument("--who")
    p.set_defaults(func=cmd_comment)

    p = sub.add_parser("audit", help="감사 기록(반영, 상태 변경, 바뀐 항목)을 보거나 CSV로 내보냅니다")
    report_options(p)
    p.add_argument("--program", dest="item", help=item_help)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--export", type=Path, metavar="FILE.csv")
    mode.add_argument(
        "--verify", action="store_true", help="기록이 바뀌거나 지워지지 않았는지 확인합니다 (바뀌었으면 종료 상태 1)"
    )
    p.set_defaults(func=cmd_audit)
