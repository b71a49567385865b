"""Search across the report: titles and every text, each hit with its place (no Qt here).

A hit names the navigator key of the item it is in and the place inside it
the same way a :class:`~seri_desktop.domain.rules.Problem` does (section key,
1-based row, column label), plus where the text matched, so the window can
go to a hit with the code that goes to a problem and select the words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from seri_desktop.domain.model import ItemKind, Outline, Report
from seri_desktop.domain.rules.engine import SECTION_LABELS
from seri_desktop.domain.summary import program_outline_fields
from seri_desktop.formats import text_format as tf

MAX_HITS = 500
SNIPPET_BEFORE = 18
SNIPPET_AFTER = 40
QUARTER_LABELS = ("1분기", "2분기", "3분기", "4분기")

FRONT_LABELS: dict[str, str] = {
    "cover.title": "표지 › 제목",
    "cover.meeting": "표지 › 회의",
    "cover.committee": "표지 › 위원회",
    "cover.subtitle": "표지 › 표어",
    "cover.institute": "표지 › 기관",
    "front.history": "연혁",
    "front.organization": "조직",
    "front.staffing": "정·현원",
    "front.staffing_notes": "정·현원 주석",
    "front.facilities": "시설 현황",
    "front.budget_overview": "예산 현황",
}


@dataclass(frozen=True)
class SearchHit:
    """One match: where it is and a line of text around it."""

    key: str  # navigator key: program:2-5, department:기획평가부, section:front
    section: str  # "title", an outline field, "targets", "budget", "front.history" …
    row: int | None
    column: str
    place: str  # in words: "3-4 추진 실적 2행"
    snippet: str
    start: int  # offset of the match in the field's text (for selecting it)
    length: int


def normalize(text: str) -> str:
    """Case- and line-break-insensitive form; keeps offsets (one character for one)."""
    return text.replace("\n", " ").replace("\u2028", " ").lower()


def search_report(report: Report, query: str, *, program_keys: dict[int, str] | None = None) -> list[SearchHit]:
    """Every place whose text contains ``query`` (case and line breaks ignored), in report order.

    ``program_keys`` maps ``id(program)`` to its navigator key where codes
    repeat (``program:1-1#2``); by default the key is ``program:<code>``.
    """
    needle = normalize(query.strip())
    if not needle:
        return []
    hits: list[SearchHit] = []
    for key, section, row, column, label, text in _texts(report, program_keys or {}):
        haystack = normalize(text)
        start = haystack.find(needle)
        if start < 0:
            continue
        hits.append(SearchHit(key, section, row, column, label, _snippet(text, start, len(needle)), start, len(needle)))
        if len(hits) >= MAX_HITS:
            break
    return hits


def _snippet(text: str, start: int, length: int) -> str:
    flat = text.replace("\n", " ")
    left = max(0, start - SNIPPET_BEFORE)
    right = min(len(flat), start + length + SNIPPET_AFTER)
    return ("…" if left else "") + flat[left:right] + ("…" if right < len(flat) else "")


def _place(code: str, section: str, row: int | None, column: str = "") -> str:
    parts = [code, SECTION_LABELS.get(section, FRONT_LABELS.get(section, "사업명" if section == "title" else section))]
    if row is not None:
        parts.append(f"{row}행")
    if column:
        parts.append(column)
    return " ".join(p for p in parts if p)


_Text = tuple[str, str, int | None, str, str, str]


def _outline_texts(key: str, code: str, section: str, outline: Outline) -> Iterator[_Text]:
    for n, item in enumerate(outline, start=1):
        if item.kind is ItemKind.TABLE:
            for cells in item.table or []:
                yield key, section, n, "", _place(code, section, n), " | ".join(cells)
        else:
            yield key, section, n, "", _place(code, section, n), item.text


def _texts(report: Report, program_keys: dict[int, str]) -> Iterator[_Text]:
    """(key, section, row, column, place, text) of every text of the report, in report order."""
    front = "section:front"
    for name in ("title", "meeting", "committee", "subtitle", "institute"):
        section = f"cover.{name}"
        yield front, section, None, "", FRONT_LABELS[section], str(getattr(report, name))
    for n, entry in enumerate(report.front.history, start=1):
        yield front, "front.history", n, "내용", f"연혁 {n}행", f"{entry.date} {entry.text}"
    yield front, "front.organization", None, "", "조직", report.front.organization
    for section, table in (
        ("front.staffing", report.front.staffing),
        ("front.facilities", report.front.facilities),
        ("front.budget_overview", report.front.budget_overview),
    ):
        for n, cells in enumerate(table.rows, start=1):
            yield front, section, n, "", f"{FRONT_LABELS[section]} {n}행", " | ".join(cells)
    yield from _outline_texts(front, "", "front.staffing_notes", report.front.staffing_notes)
    for department in report.departments:
        key = f"department:{department.name}"
        for section in tf.REVIEW_TITLES:
            outline: Outline = getattr(department, section)
            yield from _outline_texts(key, department.name, section, outline)
    for program in report.programs():
        key = program_keys.get(id(program), f"program:{program.code}")
        code = program.code
        yield key, "title", None, "", f"{code} 사업명", program.title
        for section, outline in program_outline_fields(program):
            yield from _outline_texts(key, code, section, outline)
        if program.targets is not None:
            for n, target in enumerate(program.targets.rows, start=1):
                for column, text in zip(tf.TARGET_HEADER, (target.name, target.period, target.quantity), strict=True):
                    yield key, "targets", n, column, _place(code, "targets", n, column), text
        if program.budget is not None:
            for n, line in enumerate(program.budget.lines, start=1):
                yield key, "budget", n, "", _place(code, "budget", n, "사업명"), line.name
                for label, quarter in zip(QUARTER_LABELS, program.budget.lines[n - 1].quarters, strict=True):
                    if quarter.note:
                        yield key, "budget", n, label, _place(code, "budget", n, f"{label} 집행내용"), quarter.note
