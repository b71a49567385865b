"""``structure``: reshape the report's chapters, programs and departments from the command line (issue 13, item 2).

``seri-desktop structure <op> --db DB …``, one operation per call, so an
office can script a reorganisation. Each operation is one of
:mod:`seri_desktop.domain.structure`'s; its plan (what it does, the codes it
renumbers, what it deletes) is printed, and the change is saved as one
transaction through the unit of work (office only, revision-checked,
audit-logged). ``--dry-run`` prints the plan and writes nothing.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from seri_desktop.commands import common
from seri_desktop.commands.common import EXIT_OK, Subparsers, database_target, open_engine, who
from seri_desktop.domain import structure
from seri_desktop.domain.model import Report

Operation = Callable[[Report, argparse.Namespace], structure.Change]


def _move_program(report: Report, args: argparse.Namespace) -> structure.Change:
    if args.to_chapter is not None:
        return structure.move_program_to(report, args.code, args.to_chapter, position=args.position)
    return structure.move_program(report, args.code, -1 if args.up else 1)


# op name → (help, how it is made from the parsed arguments, the arguments it takes)
OPERATIONS: dict[str, tuple[str, Operation]] = {
    "add-chapter": (
        "장을 추가합니다",
        lambda r, a: structure.add_chapter(r, a.title, a.department, position=a.position),
    ),
    "rename-chapter": ("장 제목을 바꿉니다", lambda r, a: structure.rename_chapter(r, a.chapter, a.title)),
    "move-chapter": ("장의 순서를 바꿉니다", lambda r, a: structure.move_chapter(r, a.chapter, a.to)),
    "delete-chapter": (
        "장을 지웁니다 (사업이 있으면 --confirm 필요)",
        lambda r, a: structure.delete_chapter(r, a.chapter, confirm=a.confirm),
    ),
    "add-program": (
        "사업을 추가합니다 (빈 서식, 또는 --copy-of 사업의 구성)",
        lambda r, a: structure.add_program(r, a.chapter, a.title, a.department, copy_of=a.copy_of, position=a.position),
    ),
    "rename-program": ("사업 제목을 바꿉니다", lambda r, a: structure.rename_program(r, a.code, a.title)),
    "move-program": ("사업을 위·아래로 또는 다른 장으로 옮깁니다", _move_program),
    "set-department": (
        "사업의 부서를 바꿉니다",
        lambda r, a: structure.set_department(r, a.code, a.department),
    ),
    "delete-program": (
        "사업을 지웁니다 (--confirm 필요; 내용은 변경 기록에 남습니다)",
        lambda r, a: structure.delete_program(r, a.code, confirm=a.confirm),
    ),
    "add-department": ("부서를 추가합니다", lambda r, a: structure.add_department(r, a.name, position=a.position)),
    "rename-department": (
        "부서 이름을 바꿉니다 (모든 사업이 따라 바뀝니다)",
        lambda r, a: structure.rename_department(r, a.old, a.new),
    ),
    "merge-departments": (
        "부서를 다른 부서에 합칩니다",
        lambda r, a: structure.merge_departments(r, a.source, a.into),
    ),
    "remove-department": (
        "쓰이지 않는 부서를 뺍니다",
        lambda r, a: structure.remove_department(r, a.name),
    ),
}


def cmd_structure(args: argparse.Namespace) -> int:
    from seri_desktop.store.audit import Via
    from seri_desktop.store.unit import read_snapshot, save_structure_change

    person = None if args.dry_run else who(args)
    engine = open_engine(args.db, must_exist=True, read_only=args.dry_run)
    try:
        base = read_snapshot(engine, args.year)
        change = OPERATIONS[args.op][1](base.report, args)
        for line in change.plan.lines():
            print(line)
        if args.dry_run:
            print("(--dry-run: 저장하지 않았습니다)")
            return EXIT_OK
        save_structure_change(
            engine, base, change.report, summary=change.plan.summary, plan=change.plan.lines(), who=person, via=Via.CLI
        )
        print(f"{base.year}년 보고서에 저장했습니다 → {args.db}")
    finally:
        engine.dispose()
    return EXIT_OK


def _arguments(op: str, p: argparse.ArgumentParser) -> None:
    """The arguments of one operation (beside --db, --year, --who, --dry-run)."""
    chapter_help = "장 번호 (1부터)"
    if op in ("rename-chapter", "move-chapter", "delete-chapter"):
        p.add_argument("chapter", type=int, help=chapter_help)
    if op in ("add-chapter", "rename-chapter", "add-program", "rename-program"):
        p.add_argument("--title", required=True, help="제목")
    if op == "add-chapter":
        p.add_argument("--department", required=True, help="장을 맡는 부서")
    if op == "add-program":
        p.add_argument("--chapter", type=int, required=True, help=chapter_help)
        p.add_argument("--department", help="사업의 부서 (기본: 장의 부서)")
        p.add_argument("--copy-of", help="구성을 본뜰 사업 번호 (예: 2-5)")
    if op in ("add-chapter", "add-program", "add-department"):
        p.add_argument("--position", type=int, help="넣을 자리 (1부터; 기본: 맨 끝)")
    if op == "move-chapter":
        p.add_argument("--to", type=int, required=True, help="옮길 자리 (1부터)")
    if op in ("rename-program", "move-program", "set-department", "delete-program"):
        p.add_argument("code", help="사업 번호 (예: 4-9)")
    if op == "move-program":
        where = p.add_mutually_exclusive_group(required=True)
        where.add_argument("--up", action="store_true", help="한 칸 위로")
        where.add_argument("--down", action="store_true", help="한 칸 아래로")
        where.add_argument("--to-chapter", type=int, help="옮길 장 번호")
        p.add_argument("--position", type=int, help="--to-chapter 장 안의 자리 (1부터; 기본: 맨 끝)")
    if op == "set-department":
        p.add_argument("--department", required=True, help="새 부서")
    if op in ("delete-chapter", "delete-program"):
        p.add_argument("--confirm", action="store_true", help="지우는 것을 확인합니다")
    if op in ("add-department", "remove-department"):
        p.add_argument("name", help="부서 이름")
    if op == "rename-department":
        p.add_argument("old", help="지금 이름")
        p.add_argument("new", help="새 이름")
    if op == "merge-departments":
        p.add_argument("source", help="없어질 부서")
        p.add_argument("--into", required=True, help="합쳐질 부서")


def register(sub: Subparsers) -> None:
    p = sub.add_parser("structure", help="장·사업·부서의 구성을 바꿉니다 (번호는 저절로 다시 매깁니다)")
    ops = p.add_subparsers(dest="op", metavar="<op>", required=True)
    for op, (help_text, _make) in OPERATIONS.items():
        q = ops.add_parser(op, help=help_text)
        q.add_argument("--db", type=database_target, required=True)
        q.add_argument("--year", type=int, help="보고서 연도 (기본: 가장 최근)")
        common.who_option(q)
        q.add_argument("--dry-run", action="store_true", help="바뀔 내용(번호 바뀜)만 보이고 저장하지 않습니다")
        _arguments(op, q)
    p.set_defaults(func=cmd_structure)
