"""Field-level differences between two versions of a program, a department's section II or the front matter.

Plain Python on domain objects, so the store (its audit entries, written by
the unit of work) and the exchange (the review screen) use the same diff.

What the review screen shows for each submitted item, and what the audit
log records per changed field:

* outline items added, removed or changed, per section (an item is compared
  as printed: marker, indentation, text, and the rows of a small table);
* table cells old → new: 추진 목표 (세부사업명, 추진시기, 물량) and 예산 집행
  계획 (amount cells, quarter notes, page), with rows added or removed;
* scalar fields: the title, the targets' qualifier, the budget's unit and
  as-of date, and the layout the text exporter keeps.

Rows are aligned with :class:`difflib.SequenceMatcher` (outline items by their
printed form, table rows by their content, budget lines by name), so an
inserted item shows as one addition rather than every later item changing.
A place is (``section`` key as the rules use it, 1-based ``row``,
``column`` label as printed): the row of an added or changed entry counts
in the new version, of a removed one in the old.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any, TypeVar

from seri_desktop.domain import template
from seri_desktop.domain.model import BudgetLine, BudgetTable, Cell, Outline, OutlineItem, Program, TargetRow, Targets
from seri_desktop.domain.outline import printed
from seri_desktop.domain.template import Part, PartKind


class ChangeKind(StrEnum):
    """What happened to a field, an outline item or a table row."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


KIND_LABELS = {ChangeKind.ADDED: "추가", ChangeKind.REMOVED: "삭제", ChangeKind.CHANGED: "변경"}
TARGETS = template.TARGETS.key
BUDGET = template.BUDGET.key
LAYOUT = "layout"  # the program's layout hints; template.label names the place
DEPARTMENT = "department"
CHAPTER = "chapter"
CODE = "code"
AUTHORS = "authors"


@dataclass(frozen=True)
class FieldChange:
    """One difference, at its place, with the old and new value as printed."""

    section: str  # a template key (a part, "budget.total", "layout" …); template.label names it
    kind: ChangeKind
    row: int | None = None  # 1-based outline item or table row
    column: str = ""  # column label of a table cell or scalar field ("3분기", "물량", "기준일" …)
    old: str = ""
    new: str = ""

    def place(self) -> str:
        """The place in words: ``예산 집행 계획 2행 3분기``."""
        parts = [template.label(self.section)]
        if self.row is not None:
            parts.append(f"{self.row}행")
        if self.column:
            parts.append(self.column)
        return " ".join(p for p in parts if p)

    def describe(self) -> str:
        """One line for a list: ``[변경] 추진 목표 2행 물량: 10개교 → 12개교``."""
        label = KIND_LABELS[self.kind]
        if self.kind is ChangeKind.ADDED:
            return f"[{label}] {self.place()}: {self.new}"
        if self.kind is ChangeKind.REMOVED:
            return f"[{label}] {self.place()}: {self.old}"
        return f"[{label}] {self.place()}: {self.old} → {self.new}"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = str(self.kind)
        data["place"] = self.place()
        return data


T = TypeVar("T")


def _aligned(
    old: Sequence[T], new: Sequence[T], key: Callable[[T], Hashable]
) -> Iterator[tuple[int | None, int | None]]:
    """Pairs of (old index, new index); ``None`` on one side for an addition or removal.

    Equal runs are paired one to one; a replaced run is paired position by
    position and its surplus becomes additions or removals.
    """
    matcher = SequenceMatcher(a=[key(x) for x in old], b=[key(x) for x in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or tag == "replace":
            common = min(i2 - i1, j2 - j1)
            for k in range(common):
                yield i1 + k, j1 + k
            for i in range(i1 + common, i2):
                yield i, None
            for j in range(j1 + common, j2):
                yield None, j
        elif tag == "delete":
            for i in range(i1, i2):
                yield i, None
        else:  # insert
            for j in range(j1, j2):
                yield None, j


# --- outlines --------------------------------------------------------------------------------------------


def _item_key(item: OutlineItem) -> Hashable:
    return (item.level, str(item.kind), item.text, tuple(tuple(r) for r in item.table or ()))


def outline_changes(section: str, old: Outline, new: Outline) -> list[FieldChange]:
    """Outline items added, removed and changed in one section."""
    changes: list[FieldChange] = []
    for i, j in _aligned(old, new, _item_key):
        if i is not None and j is not None:
            if _item_key(old[i]) != _item_key(new[j]):
                changes.append(FieldChange(section, ChangeKind.CHANGED, j + 1, "", printed(old[i]), printed(new[j])))
        elif j is not None:
            changes.append(FieldChange(section, ChangeKind.ADDED, j + 1, "", "", printed(new[j])))
        elif i is not None:
            changes.append(FieldChange(section, ChangeKind.REMOVED, i + 1, "", printed(old[i]), ""))
    return changes


# --- tables ------------------------------------------------------------------------------------------------


def _target_cells(row: TargetRow) -> tuple[str, ...]:
    return tuple(getattr(row, name) for name in template.TARGET_FIELDS)


def _targets_changes(old: Targets | None, new: Targets | None) -> list[FieldChange]:
    changes: list[FieldChange] = []
    if (old is None) != (new is None):
        changes.append(
            FieldChange(TARGETS, ChangeKind.ADDED if old is None else ChangeKind.REMOVED, None, "표", "", "")
        )
    before, after = old or Targets(), new or Targets()
    if before.qualifier != after.qualifier:
        changes.append(FieldChange(TARGETS, ChangeKind.CHANGED, None, "물량 단서", before.qualifier, after.qualifier))
    for i, j in _aligned(before.rows, after.rows, _target_cells):
        if i is not None and j is not None:
            for column, a, b in zip(
                template.TARGET_COLUMNS, _target_cells(before.rows[i]), _target_cells(after.rows[j]), strict=True
            ):
                if a != b:
                    changes.append(FieldChange(TARGETS, ChangeKind.CHANGED, j + 1, column, a, b))
        elif j is not None:
            changes.append(
                FieldChange(TARGETS, ChangeKind.ADDED, j + 1, "", "", " | ".join(_target_cells(after.rows[j])))
            )
        elif i is not None:
            changes.append(
                FieldChange(TARGETS, ChangeKind.REMOVED, i + 1, "", " | ".join(_target_cells(before.rows[i])), "")
            )
    return changes


def _line_cells(line: BudgetLine, labels: Sequence[str]) -> list[tuple[str, str]]:
    """A budget line's cells as (column label, printed value), in table order."""
    amounts: list[Cell] = [line.current, line.previous, *(q.amount for q in line.quarters)]
    cells = [(template.BUDGET_LINE_NAME, line.name)]
    cells += [(label, cell.format()) for label, cell in zip(labels, amounts, strict=False)]
    cells += [(template.quarter_note_label(n), q.note) for n, q in enumerate(line.quarters)]
    cells += [(template.BUDGET_PAGE, line.page), ("집행내용 아래 줄", "예" if line.notes_below else "아니오")]
    return cells


def _line_text(line: BudgetLine, labels: Sequence[str]) -> str:
    return " | ".join(f"{label} {value}" for label, value in _line_cells(line, labels)[:-1] if value)


def _budget_changes(old: BudgetTable | None, new: BudgetTable | None, year: int) -> list[FieldChange]:
    changes: list[FieldChange] = []
    labels = template.budget_amount_columns(year)
    if (old is None) != (new is None):
        changes.append(FieldChange(BUDGET, ChangeKind.ADDED if old is None else ChangeKind.REMOVED, None, "표"))
    before, after = old or BudgetTable(), new or BudgetTable()
    if before.unit != after.unit:
        changes.append(FieldChange(BUDGET, ChangeKind.CHANGED, None, "단위", before.unit, after.unit))
    if before.as_of != after.as_of:
        as_of = [d.isoformat() if d is not None else "" for d in (before.as_of, after.as_of)]
        changes.append(FieldChange(BUDGET, ChangeKind.CHANGED, None, "기준일", as_of[0], as_of[1]))
    for i, j in _aligned(before.lines, after.lines, lambda line: line.name):
        if i is not None and j is not None:
            for (column, a), (_, b) in zip(
                _line_cells(before.lines[i], labels), _line_cells(after.lines[j], labels), strict=True
            ):
                if a != b:
                    changes.append(FieldChange(BUDGET, ChangeKind.CHANGED, j + 1, column, a, b))
        elif j is not None:
            changes.append(FieldChange(BUDGET, ChangeKind.ADDED, j + 1, "", "", _line_text(after.lines[j], labels)))
        elif i is not None:
            changes.append(FieldChange(BUDGET, ChangeKind.REMOVED, i + 1, "", _line_text(before.lines[i], labels), ""))
    old_total = [c.format() for c in before.printed_total.cells()] if before.printed_total else None
    new_total = [c.format() for c in after.printed_total.cells()] if after.printed_total else None
    if old_total != new_total:
        for k, label in enumerate(labels):
            a = old_total[k] if old_total is not None else ""
            b = new_total[k] if new_total is not None else ""
            if a != b:
                changes.append(FieldChange(template.BUDGET_TOTAL_KEY, ChangeKind.CHANGED, None, label, a, b))
    return changes


# --- programs and section II ----------------------------------------------------------------------------------


def _part_changes(part: Part, old: Program | None, new: Program | None, year: int) -> list[FieldChange]:
    before = template.get(old, part) if old is not None else None
    after = template.get(new, part) if new is not None else None
    if part.kind is PartKind.OUTLINE:
        return outline_changes(part.key, before or [], after or [])
    if part.kind is PartKind.TARGETS:
        return _targets_changes(before, after)
    if part.kind is PartKind.BUDGET:
        return _budget_changes(before, after, year)
    if part.kind is PartKind.TEXT:
        a, b = before or "", after or ""
        return [FieldChange(part.key, ChangeKind.CHANGED, None, "", a, b)] if a != b else []
    raise TypeError(f"no diff for a {part.kind} part")  # a template change this module does not know yet


def program_changes(old: Program | None, new: Program | None, year: int) -> list[FieldChange]:
    """Everything that differs from ``old`` to ``new`` (``None`` stands for an empty program), in template order."""
    changes: list[FieldChange] = []
    for part in template.PROGRAM_PARTS:
        changes.extend(_part_changes(part, old, new, year))
        if part is template.TITLE:
            # The owner is no part of the template but belongs with the title at the top.
            old_department = old.department if old is not None else ""
            new_department = new.department if new is not None else ""
            if old_department != new_department:
                changes.append(FieldChange(DEPARTMENT, ChangeKind.CHANGED, None, "", old_department, new_department))
    old_layout = old.layout if old is not None else {}
    new_layout = new.layout if new is not None else {}
    if old_layout != new_layout:
        changes.append(
            FieldChange(
                LAYOUT,
                ChangeKind.CHANGED,
                None,
                "",
                json.dumps(old_layout, ensure_ascii=False, sort_keys=True),
                json.dumps(new_layout, ensure_ascii=False, sort_keys=True),
            )
        )
    return changes


def section_ii_changes(old: Any, new: Any) -> list[FieldChange]:
    """The outline changes of a department's section II (성과, 한계, 개선 방향).

    ``old`` and ``new``: anything holding the section II parts (a ``Department``,
    the exchange's ``SectionII``), or ``None`` for an empty one.
    """
    changes: list[FieldChange] = []
    for part in template.SECTION_II_PARTS:
        before = template.get(old, part) if old is not None else []
        after = template.get(new, part) if new is not None else []
        changes.extend(outline_changes(part.key, before, after))
    return changes


# --- the front matter and the structure ----------------------------------------------------------------------


def _layout_text(layout: dict[str, object]) -> str:
    return json.dumps(layout, ensure_ascii=False, sort_keys=True)


def _rows_changes(section: str, old: Sequence[Sequence[str]], new: Sequence[Sequence[str]]) -> list[FieldChange]:
    """Rows of text cells added, removed and changed (a front table, 연혁, the printed summary)."""
    changes: list[FieldChange] = []
    for i, j in _aligned(old, new, lambda row: tuple(row)):
        if i is not None and j is not None:
            a, b = " | ".join(old[i]), " | ".join(new[j])
            if a != b:
                changes.append(FieldChange(section, ChangeKind.CHANGED, j + 1, "", a, b))
        elif j is not None:
            changes.append(FieldChange(section, ChangeKind.ADDED, j + 1, "", "", " | ".join(new[j])))
        elif i is not None:
            changes.append(FieldChange(section, ChangeKind.REMOVED, i + 1, "", " | ".join(old[i]), ""))
    return changes


def _front_rows(part: Part, value: Any) -> list[list[str]]:
    if part.kind is PartKind.HISTORY:
        return [[entry.date, entry.text] for entry in value]
    if part.kind is PartKind.SUMMARY:
        return [
            [row.code, row.title, *(c.format() for c in (row.current, row.previous, *row.quarters)), row.page]
            for row in value
        ]
    return [*value.header, *value.rows]  # a SimpleTable: header rows, then body rows


def front_changes(old: Any, new: Any) -> list[FieldChange]:
    """What differs in the cover and the front matter (I. 일반 현황) of two reports, in template order."""
    changes: list[FieldChange] = []
    for part in (*template.COVER_PARTS, *template.FRONT_PARTS):
        before, after = template.get(old, part), template.get(new, part)
        if part.kind is PartKind.OUTLINE:
            changes.extend(outline_changes(part.key, before, after))
        elif part.kind in (PartKind.TEXT, PartKind.DATE):
            a = before.isoformat() if hasattr(before, "isoformat") else str(before or "")
            b = after.isoformat() if hasattr(after, "isoformat") else str(after or "")
            if a != b:
                changes.append(FieldChange(part.key, ChangeKind.CHANGED, None, "", a, b))
        else:
            if part.kind is PartKind.TABLE and before.caption != after.caption:
                changes.append(FieldChange(part.key, ChangeKind.CHANGED, None, "제목", before.caption, after.caption))
            changes.extend(_rows_changes(part.key, _front_rows(part, before), _front_rows(part, after)))
    for name, a, b in (("단위", old.unit, new.unit), ("", _layout_text(old.layout), _layout_text(new.layout))):
        if a != b:
            changes.append(FieldChange(LAYOUT if not name else "front", ChangeKind.CHANGED, None, name, a, b))
    return changes


def _chapter_text(chapter: Any) -> str:
    return f"{chapter.number}. {chapter.title} ({chapter.department})"


def _blocks_text(chapter: Any) -> list[list[str]]:
    return [
        [
            str(block.before_program),
            block.caption,
            # The printed line too: moving a person to another line of the block is an edit of its own.
            *(f"{e.role} {e.name} {e.phone} {e.department} ({e.line + 1}줄)" for e in block.entries),
        ]
        for block in chapter.author_blocks
    ]


def structure_changes(old: Any, new: Any) -> list[FieldChange]:
    """What differs in the structure of two reports: chapters, each program's place and code, the departments.

    Chapters, programs and departments are matched by their uid, so a renumbered
    program shows as one code change (``2-5 → 2-4``), not as a removal and an
    addition. A program's content is not compared here (:func:`program_changes` does).
    """
    changes: list[FieldChange] = []
    before = {c.uid: c for c in old.chapters}
    after = {c.uid: c for c in new.chapters}
    for uid, chapter in before.items():
        if uid not in after:
            changes.append(FieldChange(CHAPTER, ChangeKind.REMOVED, None, "", _chapter_text(chapter), ""))
    for position, chapter in enumerate(new.chapters, start=1):
        previous = before.get(chapter.uid)
        if previous is None:
            changes.append(FieldChange(CHAPTER, ChangeKind.ADDED, position, "", "", _chapter_text(chapter)))
            continue
        for column, a, b in (
            ("번호", str(previous.number), str(chapter.number)),
            ("제목", previous.title, chapter.title),
            ("부서", previous.department, chapter.department),
            ("위치", str(old.chapters.index(previous) + 1), str(position)),
            ("서식 정보", _layout_text(previous.layout), _layout_text(chapter.layout)),
        ):
            if a != b:
                changes.append(FieldChange(CHAPTER, ChangeKind.CHANGED, position, column, a, b))
        listed = (
            [[p.code, p.title] for p in previous.listed_programs],
            [[p.code, p.title] for p in chapter.listed_programs],
        )
        changes.extend(_rows_changes(CHAPTER, *listed))
        changes.extend(_rows_changes(AUTHORS, _blocks_text(previous), _blocks_text(chapter)))

    def places(report: Any) -> dict[str, tuple[str, str, int, str]]:
        return {
            p.uid: (p.code, chapter.uid, n, p.title)
            for chapter in report.chapters
            for n, p in enumerate(chapter.programs, start=1)
        }

    old_places, new_places = places(old), places(new)
    chapter_numbers = {c.uid: str(c.number) for c in (*old.chapters, *new.chapters)}
    for uid, (code, _chapter, _n, title) in old_places.items():
        if uid not in new_places:
            changes.append(FieldChange(CODE, ChangeKind.REMOVED, None, "", f"{code} {title}", ""))
    for uid, (code, chapter_uid, n, title) in new_places.items():
        found = old_places.get(uid)
        if found is None:
            changes.append(FieldChange(CODE, ChangeKind.ADDED, None, "", "", f"{code} {title}"))
            continue
        if found[0] != code:
            changes.append(FieldChange(CODE, ChangeKind.CHANGED, None, title, found[0], code))
        if found[1] != chapter_uid:
            moved = (chapter_numbers.get(found[1], "?"), chapter_numbers.get(chapter_uid, "?"))
            changes.append(FieldChange(CODE, ChangeKind.CHANGED, None, f"{code} 장", f"{moved[0]}장", f"{moved[1]}장"))
        elif found[2] != n:
            changes.append(FieldChange(CODE, ChangeKind.CHANGED, None, f"{code} 순서", str(found[2]), str(n)))

    old_departments = {d.uid: d for d in old.departments}
    new_departments = {d.uid: d for d in new.departments}
    for uid, department in old_departments.items():
        if uid not in new_departments:
            changes.append(FieldChange(DEPARTMENT, ChangeKind.REMOVED, None, "", department.name, ""))
    for position, department in enumerate(new.departments, start=1):
        previous = old_departments.get(department.uid)
        if previous is None:
            changes.append(FieldChange(DEPARTMENT, ChangeKind.ADDED, position, "", "", department.name))
            continue
        for column, a, b in (
            ("이름", previous.name, department.name),
            ("순서", str(previous.order), str(department.order)),
            ("위치", str(old.departments.index(previous) + 1), str(position)),
            ("서식 정보", _layout_text(previous.layout), _layout_text(department.layout)),
        ):
            if a != b:
                changes.append(FieldChange(DEPARTMENT, ChangeKind.CHANGED, position, column, a, b))
    return changes
