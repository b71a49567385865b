"""Structure editing (issue 13, item 2): chapters, programs and departments, as pure operations on a report.

Every operation takes a :class:`~seri_desktop.domain.model.Report`, leaves it
untouched and returns a :class:`Change`: the new report and its
:class:`Plan` (what it does, the codes it renumbers such as ``4-9 → 5-8``,
what it deletes), so the window and the command line can show the plan
before anything is written. The store applies ``Change.report`` as one
transaction (:meth:`seri_desktop.store.unit.UnitOfWork.restructure`).

Chapters, programs and departments keep their permanent uids; chapter
numbers and program codes are display and are renumbered here after every
change (chapters 1..n in order, programs ``chapter-n``), so no operation
ever leaves a gap or a duplicate code. A chapter's printed program list
(``listed_programs``, evidence of the imported title page) is dropped once
its programs change, as the roll-over does: it is generated from the
programs from then on.

Author blocks (``AuthorBlock.before_program``) are positions in their
chapter's program list: they are shifted when a program is removed or
inserted before them, and a block that covered only the program that leaves
travels with it to its new chapter.

Refusals raise :class:`StructureError` with a Korean message that names the
place and what is expected; every such text is in this module.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from seri_desktop.domain import template
from seri_desktop.domain.model import (
    AuthorBlock,
    BudgetTable,
    Cell,
    Chapter,
    Department,
    Program,
    Quarter,
    Report,
    Targets,
    new_uid,
)
from seri_desktop.errors import UserError


class StructureError(UserError):
    """A structural change that cannot be made as asked; nothing was changed."""

    default_code = "structure"


# --- the plan ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Renumbering:
    """A program whose code the change renumbers."""

    old: str
    new: str
    title: str

    def __str__(self) -> str:
        return f"{self.old} → {self.new} {self.title}"


@dataclass(frozen=True)
class Plan:
    """What a change does, to show before it is applied: one summary line, the renumbered codes, the deletions."""

    summary: str
    renumbered: tuple[Renumbering, ...] = ()
    removed: tuple[str, ...] = ()  # "4-9 디지털 역량 …" for every program the change deletes
    chapters: tuple[str, ...] = ()  # "4장 → 3장" for every renumbered chapter

    def lines(self) -> list[str]:
        """The plan as lines of text (the CLI prints them, the window's confirmation shows them)."""
        lines = [self.summary]
        lines += [f"장 번호 바뀜: {c}" for c in self.chapters]
        lines += [f"번호 바뀜: {r}" for r in self.renumbered]
        lines += [f"삭제: {r}" for r in self.removed]
        if not self.chapters and not self.renumbered:
            lines.append("번호가 바뀌는 사업은 없습니다.")
        return lines

    @property
    def text(self) -> str:
        return "\n".join(self.lines())


@dataclass(frozen=True)
class Change:
    """The report after a structural change, and its plan."""

    report: Report
    plan: Plan
    # The programs whose content (title, department) and the departments whose section II the change
    # touched, by uid: undoing the change restores exactly these besides the structure.
    programs: frozenset[str] = field(default_factory=frozenset)
    departments: frozenset[str] = field(default_factory=frozenset)


# --- finding things ------------------------------------------------------------------------------------------


def _chapter(report: Report, number: int) -> Chapter:
    if not 1 <= number <= len(report.chapters):
        raise StructureError(f"{number}장이 없습니다. 장 번호는 1부터 {len(report.chapters)}까지입니다.", "no-chapter")
    return report.chapters[number - 1]


def _locate(report: Report, code: str) -> tuple[Chapter, int]:
    for chapter in report.chapters:
        for index, program in enumerate(chapter.programs):
            if program.code == code:
                return chapter, index
    raise StructureError(f"{code} 사업이 없습니다. 사업 번호는 '2-5'처럼 장-번호로 적습니다.", "no-program")


def _department(report: Report, name: str) -> Department:
    found = report.department(name.strip())
    if found is None:
        known = ", ".join(d.name for d in report.departments) or "없음"
        raise StructureError(f"'{name}' 부서가 없습니다. 있는 부서: {known}", "no-department")
    return found


def _title(title: str, what: str) -> str:
    text = " ".join(title.split())
    if not text:
        raise StructureError(f"{what}의 제목이 비어 있습니다. 제목을 적으십시오.", "empty-title")
    return text


def _name(name: str) -> str:
    text = " ".join(name.split())
    if not text:
        raise StructureError("부서 이름이 비어 있습니다. 이름을 적으십시오.", "empty-name")
    return text


def _position(position: int | None, size: int, what: str) -> int:
    """A 1-based place among ``size`` things (``size + 1``: after the last) as a 0-based index."""
    if position is None:
        return size
    if not 1 <= position <= size + 1:
        raise StructureError(f"{what}의 위치는 1부터 {size + 1}까지입니다(받은 값: {position}).", "position")
    return position - 1


def program_names(programs: list[Program]) -> str:
    """How a message names programs: ``4-8 학교도서관 …, 4-9 디지털 …``."""
    return ", ".join(f"{p.code} {p.title}" for p in programs)


def department_users(report: Report, name: str) -> list[str]:
    """Where a department is used: its programs, the chapters it owns, the author blocks naming it."""
    uses = [f"{p.code} 사업" for p in report.programs() if p.department == name]
    uses += [f"{c.number}장" for c in report.chapters if c.department == name]
    if any(template.get(d, part) for d in report.departments if d.name == name for part in template.SECTION_II_PARTS):
        uses.append("업무 평가 내용")
    uses += [
        f"{c.number}장 작성자"
        for c in report.chapters
        if any(e.department == name for b in c.author_blocks for e in b.entries)
    ]
    return uses


# --- numbering and author blocks -----------------------------------------------------------------------------


def renumber(report: Report) -> None:
    """Number the chapters 1..n in order and every program ``chapter-n`` (in place)."""
    for number, chapter in enumerate(report.chapters, start=1):
        chapter.number = number
        for n, program in enumerate(chapter.programs, start=1):
            program.code = f"{number}-{n}"


def _take(chapter: Chapter, index: int) -> tuple[Program, AuthorBlock | None]:
    """Remove the program at ``index``; returns it and the author block that covered only it (removed too)."""
    program = chapter.programs.pop(index)
    blocks = sorted(chapter.author_blocks, key=lambda b: b.before_program)
    alone: AuthorBlock | None = None
    for n, block in enumerate(blocks):
        end = blocks[n + 1].before_program if n + 1 < len(blocks) else len(chapter.programs) + 1
        if block.before_program == index and end == index + 1:
            alone = block
    if alone is not None:
        chapter.author_blocks = [b for b in chapter.author_blocks if b is not alone]
    for block in chapter.author_blocks:
        if block.before_program > index:
            block.before_program -= 1
    return program, alone


def _put(chapter: Chapter, index: int, program: Program, block: AuthorBlock | None = None) -> None:
    """Insert ``program`` at ``index``; it joins the run before it (the first run at the start), or ``block``'s."""
    chapter.programs.insert(index, program)
    for existing in chapter.author_blocks:
        if existing.before_program > index or (existing.before_program == index and (index > 0 or block is not None)):
            existing.before_program += 1
    if block is not None:
        block.before_program = index
        chapter.author_blocks.append(block)
        chapter.author_blocks.sort(key=lambda b: b.before_program)


def _finish(
    before: Report,
    after: Report,
    summary: str,
    *,
    programs: frozenset[str] = frozenset(),
    departments: frozenset[str] = frozenset(),
) -> Change:
    renumber(after)
    old_lists = {c.uid: [(p.uid, p.code, p.title) for p in c.programs] for c in before.chapters}
    for chapter in after.chapters:
        if old_lists.get(chapter.uid) != [(p.uid, p.code, p.title) for p in chapter.programs]:
            chapter.listed_programs = []  # the printed list no longer holds; generated from the programs
    old_codes = {p.uid: p.code for p in before.programs()}
    renumbered = tuple(
        Renumbering(old_codes[p.uid], p.code, p.title)
        for p in after.programs()
        if p.uid in old_codes and old_codes[p.uid] != p.code
    )
    kept = {p.uid for p in after.programs()}
    removed = tuple(f"{p.code} {p.title}" for p in before.programs() if p.uid not in kept)
    old_numbers = {c.uid: c.number for c in before.chapters}
    chapters = tuple(
        f"{old_numbers[c.uid]}장 → {c.number}장 {c.title}"
        for c in after.chapters
        if c.uid in old_numbers and old_numbers[c.uid] != c.number
    )
    return Change(after, Plan(summary, renumbered, removed, chapters), programs, departments)


# --- chapters ------------------------------------------------------------------------------------------------


def add_chapter(report: Report, title: str, department: str, *, position: int | None = None) -> Change:
    """A new, empty chapter owned by ``department`` (at ``position``, 1-based; at the end by default)."""
    after = copy.deepcopy(report)
    owner = _department(after, department).name
    text = _title(title, "새 장")
    index = _position(position, len(after.chapters), "새 장")
    if any(c.title == text for c in after.chapters):
        raise StructureError(f"'{text}' 장이 이미 있습니다. 다른 제목을 적으십시오.", "duplicate-chapter")
    after.chapters.insert(index, Chapter(number=index + 1, title=text, department=owner))
    return _finish(report, after, f"{index + 1}장 '{text}'({owner})을(를) 추가합니다.")


def rename_chapter(report: Report, number: int, title: str) -> Change:
    after = copy.deepcopy(report)
    chapter = _chapter(after, number)
    text = _title(title, f"{number}장")
    if any(c.title == text and c is not chapter for c in after.chapters):
        raise StructureError(f"'{text}' 장이 이미 있습니다. 다른 제목을 적으십시오.", "duplicate-chapter")
    old, chapter.title = chapter.title, text
    return _finish(report, after, f"{number}장 제목: '{old}' → '{text}'")


def move_chapter(report: Report, number: int, to: int) -> Change:
    """Put chapter ``number`` at place ``to`` (1-based); its programs are renumbered with it."""
    after = copy.deepcopy(report)
    chapter = _chapter(after, number)
    if not 1 <= to <= len(after.chapters):
        raise StructureError(f"장을 옮길 자리는 1부터 {len(after.chapters)}까지입니다(받은 값: {to}).", "position")
    after.chapters.remove(chapter)
    after.chapters.insert(to - 1, chapter)
    return _finish(report, after, f"{number}장 '{chapter.title}'을(를) {to}번째 자리로 옮깁니다.")


def delete_chapter(report: Report, number: int, *, confirm: bool = False) -> Change:
    """Delete a chapter; one that still has programs only with ``confirm`` (its programs go with it)."""
    after = copy.deepcopy(report)
    chapter = _chapter(after, number)
    if chapter.programs and not confirm:
        raise StructureError(
            f"{number}장에 사업이 {len(chapter.programs)}개 있습니다({program_names(chapter.programs)}). "
            "사업까지 함께 지우려면 확인하십시오(--confirm).",
            "chapter-not-empty",
        )
    after.chapters.remove(chapter)
    gone = f"(사업 {len(chapter.programs)}개 포함)" if chapter.programs else ""
    return _finish(report, after, f"{number}장 '{chapter.title}'을(를) 삭제합니다{gone}.")


# --- programs ------------------------------------------------------------------------------------------------


def empty_program(report: Report, title: str, department: str) -> Program:
    """A program with every part of the template empty: the 추진 목표 and 예산 집행 계획 tables without rows."""
    program = Program(code="", title=title, department=department)
    for part in template.PROGRAM_PARTS:
        if part.kind is template.PartKind.TARGETS:
            template.put(program, part, Targets())
        elif part.kind is template.PartKind.BUDGET:
            template.put(program, part, BudgetTable(unit=report.unit, as_of=report.as_of))
    return program


def program_skeleton(source: Program, title: str, department: str) -> Program:
    """A copy of ``source``'s structure for a new program: its outlines, targets and budget lines, no amounts.

    The outlines are kept as a draft to rewrite; the budget lines keep their names
    and lose their amounts, quarters and pages (a new program has no budget yet).
    """
    program = copy.deepcopy(source)
    program.uid, program.code, program.title, program.department = new_uid(), "", title, department
    program.layout = {}
    if program.budget is not None:
        program.budget.printed_total = None
        for line in program.budget.lines:
            line.current, line.previous, line.page = Cell(), Cell(), ""
            line.quarters = [Quarter() for _ in range(template.QUARTER_COUNT)]
    return program


def add_program(
    report: Report,
    chapter: int,
    title: str,
    department: str | None = None,
    *,
    copy_of: str | None = None,
    position: int | None = None,
) -> Change:
    """A new program in ``chapter`` (at ``position``, 1-based; at the end by default).

    From the empty template, or with ``copy_of`` (a code) as a copy of that
    program's structure. The department defaults to the chapter's.
    """
    after = copy.deepcopy(report)
    target = _chapter(after, chapter)
    text = _title(title, "새 사업")
    owner = _department(after, department).name if department else target.department
    if any(p.title == text for p in after.programs()):
        raise StructureError(f"'{text}' 사업이 이미 있습니다. 다른 제목을 적으십시오.", "duplicate-program")
    if copy_of:
        source_chapter, source_index = _locate(after, copy_of)
        program = program_skeleton(source_chapter.programs[source_index], text, owner)
        how = f"{copy_of}의 구성을 본떠"
    else:
        program = empty_program(after, text, owner)
        how = "빈 서식으로"
    index = _position(position, len(target.programs), f"{chapter}장의 새 사업")
    _put(target, index, program)
    renumber(after)  # the summary names the new program's code
    return _finish(report, after, f"{chapter}장에 {how} {program.code} 사업 '{text}'({owner})을(를) 추가합니다.")


def rename_program(report: Report, code: str, title: str) -> Change:
    after = copy.deepcopy(report)
    chapter, index = _locate(after, code)
    program = chapter.programs[index]
    text = _title(title, f"{code} 사업")
    if any(p.title == text and p is not program for p in after.programs()):
        raise StructureError(f"'{text}' 사업이 이미 있습니다. 다른 제목을 적으십시오.", "duplicate-program")
    old, program.title = program.title, text
    return _finish(report, after, f"{code} 사업 제목: '{old}' → '{text}'", programs=frozenset({program.uid}))


def move_program(report: Report, code: str, steps: int) -> Change:
    """Move a program up (``steps`` < 0) or down within its chapter."""
    after = copy.deepcopy(report)
    chapter, index = _locate(after, code)
    place = index + steps
    if not 0 <= place < len(chapter.programs):
        where = "맨 위" if steps < 0 else "맨 아래"
        raise StructureError(f"{code} 사업은 {chapter.number}장의 {where}에 있어 더 옮길 수 없습니다.", "position")
    program, block = _take(chapter, index)
    _put(chapter, place, program, block)
    direction = "위로" if steps < 0 else "아래로"
    return _finish(report, after, f"{code} 사업을 {direction} 옮깁니다.")


def move_program_to(report: Report, code: str, chapter: int, *, position: int | None = None) -> Change:
    """Move a program to ``chapter`` at ``position`` (1-based; at the end by default)."""
    after = copy.deepcopy(report)
    source, index = _locate(after, code)
    target = _chapter(after, chapter)
    if target is source and position is None:
        raise StructureError(f"{code} 사업은 이미 {chapter}장에 있습니다. 다른 장을 고르십시오.", "same-chapter")
    program, block = _take(source, index)
    place = _position(position, len(target.programs), f"{chapter}장 안의 자리")
    _put(target, place, program, block)  # a block of its own goes with it, in its chapter or another
    return _finish(report, after, f"{code} 사업을 {chapter}장 {place + 1}번째 자리로 옮깁니다.")


def set_department(report: Report, code: str, department: str) -> Change:
    after = copy.deepcopy(report)
    chapter, index = _locate(after, code)
    program = chapter.programs[index]
    owner = _department(after, department).name
    if program.department == owner:
        raise StructureError(f"{code} 사업은 이미 {owner} 사업입니다.", "same-department")
    old, program.department = program.department, owner
    return _finish(report, after, f"{code} 사업의 부서: {old} → {owner}", programs=frozenset({program.uid}))


def delete_program(report: Report, code: str, *, confirm: bool = False) -> Change:
    """Delete a program (only with ``confirm``: its content stays in the audit log)."""
    after = copy.deepcopy(report)
    chapter, index = _locate(after, code)
    program = chapter.programs[index]
    if not confirm:
        raise StructureError(
            f"{code} 사업 '{program.title}'을(를) 지우려면 확인하십시오(--confirm). 지운 내용은 변경 기록에 남습니다.",
            "confirm",
        )
    _take(chapter, index)
    return _finish(report, after, f"{code} 사업 '{program.title}'을(를) 삭제합니다.")


# --- departments -------------------------------------------------------------------------------------------


def _reorder(departments: list[Department]) -> None:
    for order, department in enumerate(departments, start=1):
        department.order = order


def add_department(report: Report, name: str, *, position: int | None = None) -> Change:
    after = copy.deepcopy(report)
    text = _name(name)
    if after.department(text) is not None:
        raise StructureError(f"'{text}' 부서가 이미 있습니다.", "duplicate-department")
    index = _position(position, len(after.departments), "새 부서")
    after.departments.insert(index, Department(name=text, order=index + 1))
    _reorder(after.departments)
    return _finish(report, after, f"부서 '{text}'을(를) 추가합니다.")


def _rename_everywhere(report: Report, old: str, new: str) -> set[str]:
    """Give every program, chapter and author entry of ``old`` the department ``new``; the programs' uids."""
    touched: set[str] = set()
    for program in report.programs():
        if program.department == old:
            program.department = new
            touched.add(program.uid)
    for chapter in report.chapters:
        if chapter.department == old:
            chapter.department = new
        for block in chapter.author_blocks:
            for entry in block.entries:
                if entry.department == old:
                    entry.department = new
    return touched


def rename_department(report: Report, old: str, new: str) -> Change:
    """Rename a department; the new name follows into every program, chapter and author block."""
    after = copy.deepcopy(report)
    department = _department(after, old)
    text = _name(new)
    if text == department.name:
        raise StructureError(f"'{text}' 부서의 이름이 이미 그렇습니다.", "same-name")
    if after.department(text) is not None:
        raise StructureError(f"'{text}' 부서가 이미 있습니다. 합치려면 부서 합치기를 쓰십시오.", "duplicate-department")
    previous = department.name
    department.name = text
    touched = _rename_everywhere(after, previous, text)
    return _finish(
        report,
        after,
        f"부서 이름: {previous} → {text} (사업 {len(touched)}개가 따라 바뀝니다)",
        programs=frozenset(touched),
    )


def merge_departments(report: Report, source: str, into: str) -> Change:
    """Merge ``source`` into ``into``: its programs, chapters and authors move over, its section II is appended."""
    after = copy.deepcopy(report)
    gone = _department(after, source)
    kept = _department(after, into)
    if gone is kept:
        raise StructureError(
            f"'{gone.name}' 부서를 자기 자신과 합칠 수 없습니다. 다른 부서를 고르십시오.", "same-department"
        )
    for part in template.SECTION_II_PARTS:
        template.put(kept, part, [*template.get(kept, part), *copy.deepcopy(template.get(gone, part))])
    touched = _rename_everywhere(after, gone.name, kept.name)
    after.departments.remove(gone)
    _reorder(after.departments)
    return _finish(
        report,
        after,
        f"부서 '{gone.name}'을(를) '{kept.name}'에 합칩니다 (사업 {len(touched)}개가 옮겨 갑니다).",
        programs=frozenset(touched),
        departments=frozenset({kept.uid}),
    )


def remove_department(report: Report, name: str) -> Change:
    """Remove a department nothing uses (no program, chapter or author entry names it)."""
    after = copy.deepcopy(report)
    department = _department(after, name)
    uses = department_users(after, department.name)
    if uses:
        raise StructureError(
            f"'{department.name}' 부서는 쓰이고 있어 뺄 수 없습니다({', '.join(uses)}). "
            "먼저 사업의 부서를 바꾸거나 다른 부서와 합치십시오.",
            "department-used",
        )
    after.departments.remove(department)
    _reorder(after.departments)
    return _finish(report, after, f"부서 '{department.name}'을(를) 뺍니다.")


__all__ = [
    "Change",
    "Plan",
    "Renumbering",
    "StructureError",
    "add_chapter",
    "add_department",
    "add_program",
    "delete_chapter",
    "delete_program",
    "department_users",
    "empty_program",
    "merge_departments",
    "move_chapter",
    "move_program",
    "move_program_to",
    "program_names",
    "program_skeleton",
    "remove_department",
    "rename_chapter",
    "rename_department",
    "rename_program",
    "renumber",
    "set_department",
]
