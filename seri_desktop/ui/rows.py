"""The navigator's rows and their keys, as plain Python (no Qt): what the report tree shows.

Every row of the navigator has a string key, unique in the tree, that the
window, the settings (the last item shown) and the test script use to name
it. :func:`row_key` is the one place that spells that format
(``program:2-5``, ``department:기획평가부``, ``chapter:1``,
``section:front``). A row that stands for an editable unit also carries
the unit's :class:`~seri_desktop.domain.identity.ItemRef` (``TreeRow.ref``):
everything that saves, locks, validates or comments on the unit works with
the ref; the key only names the row.

Keys are built from numbers and codes so they survive a reload, but an
imported report may repeat a number or code (the rules point that out); a
repeat gets a ``#n`` suffix so every row still has its own key and programs
stay under their own chapter.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Final, NamedTuple

from seri_desktop.domain import template
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Chapter, Program, Report


class RowKind(StrEnum):
    """What a tree row stands for."""

    SECTION = "section"
    DEPARTMENT = "department"
    CHAPTER = "chapter"
    PROGRAM = "program"


def row_key(kind: RowKind, name: str) -> str:
    """The navigator key of a row: the one place that spells the format."""
    return f"{kind.value}:{name}"


FRONT_KEY: Final = row_key(RowKind.SECTION, "front")
EVALUATION_KEY: Final = row_key(RowKind.SECTION, "evaluation")
PROGRAMS_KEY: Final = row_key(RowKind.SECTION, "programs")

FRONT_LABEL: Final = f"I. {template.FRONT_HEADING}"
EVALUATION_LABEL: Final = f"II. {template.SECTION_II_HEADING}"
PROGRAMS_LABEL: Final = "III. 주요업무"


class TreeRow(NamedTuple):
    """One node: ``parent_key`` is ``None`` for top-level nodes and names an earlier row otherwise.

    ``state`` is the review state (programs), ``errors``/``warnings`` its
    problem counts, ``readonly`` greys it out (another department's program
    in a department package, a locked program). ``ref`` is the editable unit
    the row stands for (``None`` for the rows without a form).
    """

    kind: RowKind
    key: str
    label: str
    parent_key: str | None = None
    state: str = ""
    errors: int = 0
    warnings: int = 0
    readonly: bool = False
    ref: ItemRef | None = None


def key_for_ref(ref: ItemRef) -> str:
    """The row of an editable unit (for a repeated program code: the first one's)."""
    if ref.is_program:
        return row_key(RowKind.PROGRAM, ref.id)
    if ref.is_section_ii:
        return row_key(RowKind.DEPARTMENT, ref.id)
    return FRONT_KEY


def department_key(name: str) -> str:
    return key_for_ref(ItemRef.section_ii(name))


def rows_for_report(report: Report) -> list[TreeRow]:
    """The report's outline as rows, parents before children."""
    rows = [
        TreeRow(RowKind.SECTION, FRONT_KEY, FRONT_LABEL, ref=ItemRef.front()),
        TreeRow(RowKind.SECTION, EVALUATION_KEY, EVALUATION_LABEL),
    ]
    seen_departments: set[str] = set()
    for department in report.departments:
        # A repeated name would give two rows one key; the rules report the duplicate.
        if department.name in seen_departments:
            continue
        seen_departments.add(department.name)
        ref = ItemRef.section_ii(department.name)
        rows.append(TreeRow(RowKind.DEPARTMENT, key_for_ref(ref), department.name, EVALUATION_KEY, ref=ref))
    rows.append(TreeRow(RowKind.SECTION, PROGRAMS_KEY, PROGRAMS_LABEL))
    for chapter_key, chapter, programs in _keyed_chapters(report):
        rows.append(TreeRow(RowKind.CHAPTER, chapter_key, f"{chapter.number}. {chapter.title}", PROGRAMS_KEY))
        for program_key, program in programs:
            ref = ItemRef.program(program.code)
            rows.append(TreeRow(RowKind.PROGRAM, program_key, program_label(program), chapter_key, ref=ref))
    return rows


def keyed_programs(report: Report) -> Iterator[tuple[str, Program]]:
    """Every program with its navigator key, in report order."""
    for _chapter_key, _chapter, programs in _keyed_chapters(report):
        yield from programs


def program_label(program: Program) -> str:
    return f"{program.code} {program.title}"


def program_for_key(report: Report, key: str) -> Program | None:
    """The program a row key stands for, or ``None`` if the key is not a program's."""
    return next((program for program_key, program in keyed_programs(report) if program_key == key), None)


def chapter_for_key(report: Report, key: str) -> Chapter | None:
    """The chapter a row key stands for, or ``None``."""
    return next((chapter for k, chapter, _ in _keyed_chapters(report) if k == key), None)


def _keyed_chapters(report: Report) -> Iterator[tuple[str, Chapter, list[tuple[str, Program]]]]:
    """Chapters and programs with unique keys (see the module docstring)."""
    used: set[str] = set()

    def unique(base: str) -> str:
        key, n = base, 1
        while key in used:
            n += 1
            key = f"{base}#{n}"
        used.add(key)
        return key

    for chapter in report.chapters:
        chapter_key = unique(row_key(RowKind.CHAPTER, str(chapter.number)))
        programs = [(unique(key_for_ref(ItemRef.program(program.code))), program) for program in chapter.programs]
        yield chapter_key, chapter, programs
