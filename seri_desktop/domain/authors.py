"""Author blocks (작성자, ☎) of a chapter: checking and replacing them, and one person written as a line.

A chapter's blocks each cover the run of programs from ``before_program``
on (PRODUCT.md §2); an entry is a person with a role (the head's title,
수석연구사, 담당, or none for more staff), a name, a phone extension and the
department they belong to, so one block may name people of several
departments (4-8 in 2024). Entries on the same printed line share ``line``.

The window and ``seri-desktop authors`` both call :func:`with_author_blocks`
(a copy of the report with one chapter's blocks replaced, after
:func:`author_block_problems` found nothing wrong); the store saves that as
the report's structure (:func:`seri_desktop.store.authors.save_author_blocks`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Final

from seri_desktop.domain.model import AuthorBlock, AuthorEntry, Chapter, Report
from seri_desktop.errors import UserError

# The caption printed beside a block (the PDF and the text export print it as the block carries it).
DEFAULT_CAPTION: Final = "작성자"
# A phone extension: digits, optionally with one or two hyphens (302, 3111-301, 02-2230-8522).
PHONE_RE: Final = re.compile(r"^\d{1,4}(?:-\d{1,4}){0,2}$")
# What an entry's fields are called on screen and in messages, in the order the command line takes them.
ENTRY_FIELDS: Final[tuple[str, ...]] = ("부서", "직위", "이름", "전화")
# How ``seri-desktop authors set --entry`` separates them.
ENTRY_SEPARATOR: Final = "/"


class AuthorBlockError(UserError):
    """An author block that cannot be saved; the message names the chapter, block and entry."""

    default_code = "authors"


def chapter_by_number(report: Report, number: int) -> Chapter:
    """The chapter numbered ``number``; :class:`AuthorBlockError` naming the chapters there are otherwise."""
    for chapter in report.chapters:
        if chapter.number == number:
            return chapter
    numbers = ", ".join(str(c.number) for c in report.chapters) or "없음"
    raise AuthorBlockError(f"{report.year}년 보고서에 {number}장이 없습니다. 있는 장: {numbers}.")


def entry_line(entry: AuthorEntry) -> str:
    """One person as printed: ``교수학습정보부장: 김희경 ☎ 3111-370`` (no role: ``최정엽 ☎ 375``)."""
    who = f"{entry.role}: {entry.name}" if entry.role else entry.name
    return f"{who} ☎ {entry.phone}" if entry.phone else who


def block_first_code(chapter: Chapter, block: AuthorBlock) -> str:
    """The code of the first program the block covers ("" when the chapter has no program there)."""
    programs = chapter.programs
    return programs[block.before_program].code if 0 <= block.before_program < len(programs) else ""


def run_label(chapter: Chapter, blocks: Sequence[AuthorBlock], n: int) -> str:
    """Codes of the programs block ``n`` of ``blocks`` (in program order) covers: from its index to the next block's.

    The first block also covers any programs before it, so no program is left without authors.
    """
    programs = chapter.programs
    if not programs:
        return ""
    start = 0 if n == 0 else min(blocks[n].before_program, len(programs) - 1)
    end = (blocks[n + 1].before_program if n + 1 < len(blocks) else len(programs)) - 1
    end = max(start, min(end, len(programs) - 1))
    first, last = programs[start].code, programs[end].code
    return first if first == last else f"{first}~{last}"


def parse_entry(text: str, where: str) -> AuthorEntry:
    """``부서/직위/이름/전화`` (the role may be empty: ``부서//이름/전화``) as an entry; the line is set by the caller."""
    parts = [part.strip() for part in text.split(ENTRY_SEPARATOR)]
    if len(parts) != len(ENTRY_FIELDS):
        shape = ENTRY_SEPARATOR.join(ENTRY_FIELDS)
        raise AuthorBlockError(f"{where}: '{text}'은(는) '{shape}' 꼴이어야 합니다(직위가 없으면 비워 둡니다).")
    department, role, name, phone = parts
    return AuthorEntry(role=role, name=name, phone=phone, department=department)


def author_block_problems(report: Report, chapter: Chapter, blocks: Sequence[AuthorBlock]) -> list[str]:
    """What is wrong with ``blocks`` as ``chapter``'s author blocks, in Korean, each naming its place.

    ``report`` is the report the chapter is in (for its year in messages)."""
    problems: list[str] = []
    count = len(chapter.programs)
    starts: set[int] = set()
    for n, block in enumerate(blocks, start=1):
        where = f"{chapter.number}장 작성자 {n}번째 묶음"
        # One past the last program is a block printed after them all (as an import may read it).
        if not 0 <= block.before_program <= count:
            problems.append(f"{where}: 시작 사업은 이 장의 사업(1~{count}번째) 가운데 하나여야 합니다.")
        if block.before_program in starts:
            problems.append(f"{where}: 같은 사업에서 시작하는 묶음이 이미 있습니다.")
        starts.add(block.before_program)
        if not block.entries:
            problems.append(f"{where}: 사람이 한 명도 없습니다. 묶음을 지우거나 사람을 적으십시오.")
        for m, entry in enumerate(block.entries, start=1):
            place = f"{where} {m}번째 사람"
            if not entry.name.strip():
                problems.append(f"{place}: 이름이 비어 있습니다.")
            if entry.phone and not PHONE_RE.match(entry.phone):
                problems.append(
                    f"{place}({entry.name}): 전화 '{entry.phone}'은(는) 숫자와 '-'로 적습니다(예: 3111-370, 371)."
                )
            # Another office may be named (4-8 names 나이스운영과, which has no chapter): only an empty one is wrong.
            if not entry.department.strip():
                problems.append(f"{place}({entry.name}): 부서가 비어 있습니다. 이 사람이 속한 부서를 적으십시오.")
            if entry.line < 0:
                problems.append(f"{place}({entry.name}): 줄 번호는 0 이상이어야 합니다.")
    return problems


def with_author_blocks(report: Report, chapter_uid: str, blocks: Sequence[AuthorBlock]) -> Report:
    """A copy of ``report`` whose chapter ``chapter_uid`` has ``blocks`` (in program order).

    :class:`AuthorBlockError` lists every problem (:func:`author_block_problems`); ``report`` is never changed.
    """
    new = copy.deepcopy(report)
    chapter = next((c for c in new.chapters if c.uid == chapter_uid), None)
    if chapter is None:
        raise AuthorBlockError(f"{report.year}년 보고서에 그 장이 더는 없습니다. 보고서를 다시 읽으십시오.")
    problems = author_block_problems(new, chapter, blocks)
    if problems:
        raise AuthorBlockError("작성자를 저장하지 않았습니다.\n" + "\n".join(problems))
    chapter.author_blocks = sorted(copy.deepcopy(list(blocks)), key=lambda b: b.before_program)
    return new
