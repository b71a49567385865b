"""Going places: from a problem or a search hit to its row and field, and stepping through the editable items.

A problem names its place as the rules do (program code or department,
section key, row, column); :func:`problem_place` turns that into the
navigator row and the form's place. Going there is the window's
``go_to(key, section, row, column)``, shared with search hits.
"""

from __future__ import annotations

from collections.abc import Sequence

from seri_desktop.domain import template
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Report
from seri_desktop.domain.rules import Problem
from seri_desktop.domain.rules.findings import chapter_of_code
from seri_desktop.ui.rows import EVALUATION_KEY, RowKind, key_for_ref, keyed_programs, row_key
from seri_desktop.ui.search import SearchHit, search_report
from seri_desktop.ui.validation import SECTION_II_KEYS, is_front_problem

Place = tuple[str | None, str, int | None]


def problem_place(report: Report, problem: Problem, row_exists: set[str] | None = None) -> Place:
    """(navigator key, section, row) of a problem's place; key ``None`` when no row shows it.

    ``row_exists``: the keys in the navigator (a program whose row is missing has no place).
    """
    if problem.section in SECTION_II_KEYS and not problem.program:
        key = key_for_ref(ItemRef.section_ii(problem.department)) if problem.department else EVALUATION_KEY
        if row_exists is not None and key not in row_exists:
            key = EVALUATION_KEY
        return key, problem.section, problem.row
    front = key_for_ref(ItemRef.front())
    chapter = chapter_of_code(report, problem.finding) if problem.finding else None
    if chapter is not None:  # a chapter page's printed list: go to that chapter's page
        key = row_key(RowKind.CHAPTER, str(chapter.number))
        return (key if row_exists is None or key in row_exists else None), "", None
    # An import finding is placed in no program, but is about one: go there (its summary row, its 계 row).
    code = problem.program or problem.finding
    if problem.section == template.BUDGET_SUMMARY.key and code:
        # The form lists the programs, not the printed rows: find the program's row.
        codes = [p.code for p in report.programs()]
        row = codes.index(code) + 1 if code in codes else problem.row
        return front, problem.section, row
    if is_front_problem(problem):
        return front, problem.section, problem.row
    if code:
        key = key_for_ref(ItemRef.program(code))
        if row_exists is None or key in row_exists:
            return key, problem.section, problem.row
    return None, "", None


def search(report: Report | None, query: str) -> list[SearchHit]:
    """The search panel's hits in the open report (rows of repeated codes keep their own keys)."""
    if report is None:
        return []
    keys = {id(program): key for key, program in keyed_programs(report)}
    return search_report(report, query, program_keys=keys)


def step(keys: Sequence[str], current: str | None, delta: int) -> str | None:
    """The unit row ``delta`` items from ``current`` among ``keys`` (clamped); ``None`` when there are none."""
    if not keys:
        return None
    position = keys.index(current) + delta if current in keys else 0
    return keys[max(0, min(len(keys) - 1, position))]
