"""Search across the report: titles and every text, each hit with its place (no Qt here).

A hit names the navigator key of the item it is in and the place inside it
the same way a :class:`~seri_desktop.domain.rules.Problem` does (section key,
1-based row, column label), plus where the text matched, so the window can
go to a hit with the code that goes to a problem and select the words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from seri_desktop.domain import template
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import ItemKind, Outline, Report, SimpleTable
from seri_desktop.domain.template import Part, PartKind
from seri_desktop.ui.rows import key_for_ref

MAX_HITS = 500
SNIPPET_BEFORE = 18
SNIPPET_AFTER = 40
COVER_PLACE = "표지"
TITLE_PLACE = "사업명"


@dataclass(frozen=True)
class SearchHit:
    """One match: where it is and a line of text around it."""

    key: str  # the navigator row: program:2-5, department:기획평가부, section:front
    section: str  # the template part: "title", an outline, "targets", "budget", "front.history" …
    row: int | None
    column: str
    place: str  # in words: "3-4 추진 실적 2행"
    snippet: str
    start: int  # offset of the match in the field's text (for selecting it)
    length: int
    ref: ItemRef | None = None  # the unit the hit is in


def normalize(text: str) -> str:
    """Case- and line-break-insensitive form; keeps offsets (one character for one)."""
    return text.replace("\n", " ").replace("\u2028", " ").lower()


def search_report(report: Report, query: str, *, program_keys: dict[int, str] | None = None) -> list[SearchHit]:
    """Every place whose text contains ``query`` (case and line breaks ignored), in report order.

    ``program_keys`` maps ``id(program)`` to its navigator key where codes
    repeat (``program:1-1#2``); by default the key is the unit's first row.
    """
    needle = normalize(query.strip())
    if not needle:
        return []
    hits: list[SearchHit] = []
    for key, ref, section, row, column, label, text in _texts(report, program_keys or {}):
        haystack = normalize(text)
        start = haystack.find(needle)
        if start < 0:
            continue
        snippet = _snippet(text, start, len(needle))
        hits.append(SearchHit(key, section, row, column, label, snippet, start, len(needle), ref))
        if len(hits) >= MAX_HITS:
            break
    return hits


def _snippet(text: str, start: int, length: int) -> str:
    flat = text.replace("\n", " ")
    left = max(0, start - SNIPPET_BEFORE)
    right = min(len(flat), start + length + SNIPPET_AFTER)
    return ("…" if left else "") + flat[left:right] + ("…" if right < len(flat) else "")


def place_label(part: Part) -> str:
    """A part's name in a hit's place: the template's label (the cover's fields under 표지, the title as 사업명)."""
    if part is template.TITLE:
        return TITLE_PLACE
    if part in template.COVER_PARTS:
        return f"{COVER_PLACE} › {part.label}"
    return part.label


def _place(code: str, part: Part, row: int | None, column: str = "") -> str:
    parts = [code, place_label(part)]
    if row is not None:
        parts.append(f"{row}행")
    if column:
        parts.append(column)
    return " ".join(p for p in parts if p)


_Text = tuple[str, ItemRef, str, int | None, str, str, str]


def _outline_texts(key: str, ref: ItemRef, code: str, part: Part, outline: Outline) -> Iterator[_Text]:
    for n, item in enumerate(outline, start=1):
        if item.kind is ItemKind.TABLE:
            for cells in item.table or []:
                yield key, ref, part.key, n, "", _place(code, part, n), " | ".join(cells)
        else:
            yield key, ref, part.key, n, "", _place(code, part, n), item.text


def _texts(report: Report, program_keys: dict[int, str]) -> Iterator[_Text]:
    """(key, ref, section, row, column, place, text) of every text of the report, in report order."""
    front = ItemRef.front()
    key = key_for_ref(front)
    for part in template.COVER_PARTS:
        if part.kind is PartKind.TEXT:
            yield key, front, part.key, None, "", place_label(part), str(template.get(report, part))
    for part in template.FRONT_PARTS:
        value = template.get(report, part)
        if part.kind is PartKind.HISTORY:
            for n, entry in enumerate(value, start=1):
                yield key, front, part.key, n, "내용", _place("", part, n), f"{entry.date} {entry.text}"
        elif part.kind is PartKind.TEXT:
            yield key, front, part.key, None, "", place_label(part), str(value)
        elif part.kind is PartKind.TABLE:
            table: SimpleTable = value
            for n, cells in enumerate(table.rows, start=1):
                yield key, front, part.key, n, "", _place("", part, n), " | ".join(cells)
        elif part.kind is PartKind.OUTLINE:
            yield from _outline_texts(key, front, "", part, value)
    for department in report.departments:
        ref = ItemRef.section_ii(department.name)
        for part, outline in template.outlines(department, template.SECTION_II_PARTS):
            yield from _outline_texts(key_for_ref(ref), ref, department.name, part, outline)
    for program in report.programs():
        ref = ItemRef.program(program.code)
        key = program_keys.get(id(program), key_for_ref(ref))
        code = program.code
        yield key, ref, template.TITLE.key, None, "", _place(code, template.TITLE, None), program.title
        for part, outline in template.outlines(program, template.PROGRAM_PARTS):
            yield from _outline_texts(key, ref, code, part, outline)
        if program.targets is not None:
            for n, target in enumerate(program.targets.rows, start=1):
                for column, name in zip(template.TARGET_COLUMNS, template.TARGET_FIELDS, strict=True):
                    place = _place(code, template.TARGETS, n, column)
                    yield key, ref, template.TARGETS.key, n, column, place, str(getattr(target, name))
        if program.budget is not None:
            budget = template.BUDGET
            for n, line in enumerate(program.budget.lines, start=1):
                yield key, ref, budget.key, n, "", _place(code, budget, n, template.BUDGET_LINE_NAME), line.name
                for q, quarter in enumerate(line.quarters):
                    if quarter.note:
                        label = template.QUARTER_LABELS[q]
                        place = _place(code, budget, n, template.quarter_note_label(q))
                        yield key, ref, budget.key, n, label, place, quarter.note
