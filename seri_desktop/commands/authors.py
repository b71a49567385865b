"""``authors``: show or set a chapter's author blocks (작성자, ☎), as the chapter page in the window does.

``authors show --db DB --chapter N`` lists the chapter's blocks: the program
each starts at, then its people line by line. ``authors set --db DB
--chapter N [--block K] [--from CODE] --entry 부서/직위/이름/전화 …`` replaces
block K (default 1; one past the last adds a block) with the people given,
each ``--entry`` on a line of its own unless it starts with ``+`` (the same line as the one before);
``--remove`` deletes block K. The write is the report's structure: office
only, one transaction, audited (:func:`seri_desktop.store.authors.save_author_blocks`).
"""

from __future__ import annotations

import argparse
import copy

from seri_desktop.commands import common
from seri_desktop.commands.common import EXIT_OK, CliError, Subparsers, database_target, load, open_engine, who
from seri_desktop.domain.model import AuthorBlock, AuthorEntry, Chapter, Report


def _block_lines(chapter: Chapter) -> list[str]:
    from seri_desktop.domain.authors import block_first_code, entry_line

    lines: list[str] = []
    for n, block in enumerate(sorted(chapter.author_blocks, key=lambda b: b.before_program), start=1):
        first = block_first_code(chapter, block) or "-"
        lines.append(f"{n}. {first}부터 ({block.caption})")
        by_line: dict[int, list[AuthorEntry]] = {}
        for entry in block.entries:
            by_line.setdefault(entry.line, []).append(entry)
        for line in sorted(by_line):
            people = by_line[line]
            lines.append(f"   [{people[0].department}] " + "   ".join(entry_line(e) for e in people))
    return lines


def cmd_authors_show(args: argparse.Namespace) -> int:
    from seri_desktop.domain.authors import AuthorBlockError, chapter_by_number

    report = load(args)
    try:
        chapter = chapter_by_number(report, args.chapter)
    except AuthorBlockError as exc:
        raise CliError(str(exc)) from exc
    print(f"{chapter.number}. {chapter.title} — 작성자 묶음 {len(chapter.author_blocks)}개")
    for line in _block_lines(chapter):
        print(line)
    return EXIT_OK


def _entries(args: argparse.Namespace, where: str) -> list[AuthorEntry]:
    from seri_desktop.domain.authors import parse_entry

    entries: list[AuthorEntry] = []
    line = -1
    for text in args.entry or []:
        same = text.startswith("+")
        entry = parse_entry(text[1:] if same else text, where)
        line = line if same and line >= 0 else line + 1
        entry.line = line
        entries.append(entry)
    return entries


def _new_blocks(report: Report, chapter: Chapter, args: argparse.Namespace) -> list[AuthorBlock]:
    from seri_desktop.domain.authors import DEFAULT_CAPTION, AuthorBlockError

    blocks = sorted(copy.deepcopy(chapter.author_blocks), key=lambda b: b.before_program)
    k: int = args.block
    where = f"{chapter.number}장 작성자 {k}번째 묶음"
    if not 1 <= k <= len(blocks) + (0 if args.remove else 1):
        raise AuthorBlockError(f"{where}: 이 장의 작성자 묶음은 {len(blocks)}개입니다(새 묶음은 {len(blocks) + 1}).")
    if args.remove:
        del blocks[k - 1]
        return blocks
    block = blocks[k - 1] if k <= len(blocks) else AuthorBlock(before_program=0, caption=DEFAULT_CAPTION)
    if args.start:
        codes = [p.code for p in chapter.programs]
        if args.start not in codes:
            raise AuthorBlockError(
                f"{where}: {args.start}은(는) {chapter.number}장의 사업이 아닙니다({', '.join(codes)})."
            )
        block.before_program = codes.index(args.start)
    if args.caption is not None:
        block.caption = args.caption
    if args.entry:
        block.entries = _entries(args, where)
    if k > len(blocks):
        blocks.append(block)
    return blocks


def cmd_authors_set(args: argparse.Namespace) -> int:
    from seri_desktop.domain.authors import AuthorBlockError, chapter_by_number
    from seri_desktop.store.audit import Via
    from seri_desktop.store.authors import save_author_blocks

    person = who(args)
    report = load(args)
    try:
        chapter = chapter_by_number(report, args.chapter)
        blocks = _new_blocks(report, chapter, args)
        engine = open_engine(args.db, must_exist=True)
        stored = save_author_blocks(engine, report.year, chapter.uid, blocks, who=person, via=Via.CLI)
    except AuthorBlockError as exc:
        raise CliError(str(exc)) from exc
    saved = chapter_by_number(stored, args.chapter)
    print(f"{saved.number}장 작성자를 저장했습니다 (묶음 {len(saved.author_blocks)}개):")
    for line in _block_lines(saved):
        print(line)
    return EXIT_OK


def register(sub: Subparsers) -> None:
    p = sub.add_parser("authors", help="장의 작성자(☎) 묶음을 보거나 바꿉니다 (바꾸기는 기획 부서)")
    actions = p.add_subparsers(dest="authors_command", metavar="동작", required=True)

    show = actions.add_parser("show", help="장의 작성자 묶음을 보여 줍니다")
    show.add_argument("--db", type=database_target, required=True)
    show.add_argument("--year", type=int)
    show.add_argument("--chapter", type=int, required=True, help="장 번호 (예: 4)")
    show.set_defaults(func=cmd_authors_show)

    put = actions.add_parser("set", help="장의 작성자 묶음 하나를 바꾸거나 더하거나 지웁니다")
    put.add_argument("--db", type=database_target, required=True)
    put.add_argument("--year", type=int)
    put.add_argument("--chapter", type=int, required=True, help="장 번호 (예: 4)")
    put.add_argument("--block", type=int, default=1, help="몇 번째 묶음 (기본 1; 마지막 다음 번호는 새 묶음)")
    put.add_argument("--from", dest="start", metavar="CODE", help="묶음이 맡는 첫 사업 (예: 4-8)")
    put.add_argument("--caption", help="묶음 옆에 찍는 글 (기본: 작성자)")
    put.add_argument(
        "--entry",
        action="append",
        metavar="부서/직위/이름/전화",
        help="사람 한 명 (직위가 없으면 '부서//이름/전화'); 앞에 +를 붙이면 앞 사람과 같은 줄",
    )
    put.add_argument("--remove", action="store_true", help="묶음을 지웁니다")
    common.who_option(put)
    put.set_defaults(func=cmd_authors_set)
