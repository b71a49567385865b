"""The store's one validator: what must hold before any content is written.

Every writer of :mod:`seri_desktop.store.content` calls one of these before
it touches a row, so bad input is a clear Korean :class:`InvalidContentError`
rather than a half-built transaction failing on some row, and nothing is
saved that would not load back equal. Which outlines a program, a section II
or the front matter has comes from the template
(:mod:`seri_desktop.domain.template`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from seri_desktop.domain import template
from seri_desktop.domain.model import (
    MAX_AMOUNT,
    MAX_OUTLINE_LEVEL,
    Cell,
    CellKind,
    Department,
    ItemKind,
    Outline,
    Program,
    Report,
)
from seri_desktop.store.engine import StoreError

_CELL_KINDS = frozenset(CellKind.__members__.values())
_ITEM_KINDS = frozenset(ItemKind.__members__.values())


class InvalidContentError(StoreError):
    """Content the store cannot keep as it is (an unknown kind, a layout that is not JSON …)."""

    default_code = "invalid"


def _check_layout(layout: Mapping[str, object], where: str) -> None:
    try:
        same = json.loads(json.dumps(layout)) == layout
    except (TypeError, ValueError):
        same = False
    if not same:
        raise InvalidContentError(f"{where}의 layout 에 JSON 으로 그대로 저장할 수 없는 값이 있습니다: {layout!r}")


def _check_cell(cell: Cell, where: str) -> None:
    if cell.kind not in _CELL_KINDS:
        raise InvalidContentError(f"{where}: 알 수 없는 칸 종류 {cell.kind!r}")
    if cell.kind is CellKind.AMOUNT:
        value = cell.value
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidContentError(f"{where}: 금액 칸의 값 {value!r} 이(가) 정수가 아닙니다.", "amount")
        if abs(value) > MAX_AMOUNT:
            raise InvalidContentError(
                f"{where}: 금액 {value:,} 이(가) 너무 큽니다. 금액은 절댓값 {MAX_AMOUNT:,} 이하여야 합니다.", "amount"
            )


def _check_quarters(count: int, where: str) -> None:
    if count != template.QUARTER_COUNT:
        raise InvalidContentError(f"{where}: 분기 칸이 {count}개입니다({template.QUARTER_COUNT}개여야 합니다).")


def _check_outline(outline: Outline, where: str) -> None:
    for n, item in enumerate(outline, start=1):
        if item.kind not in _ITEM_KINDS:
            raise InvalidContentError(f"{where}: 알 수 없는 항목 종류 {item.kind!r}")
        level = item.level
        if not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= MAX_OUTLINE_LEVEL:
            raise InvalidContentError(
                f"{where} {n}번째 항목: 수준 {level!r} 은(는) 0부터 {MAX_OUTLINE_LEVEL}까지여야 합니다.",
                "outline-level",
            )


def _check_six(current: Cell, previous: Cell, quarters: list[Cell], where: str, cell_where: str = "") -> None:
    _check_quarters(len(quarters), where)
    for label, cell in zip(template.BUDGET_CELL_LABELS, (current, previous, *quarters), strict=True):
        # The kind is named by the program (as before); an amount out of bounds by its cell.
        if cell.kind not in _CELL_KINDS:
            _check_cell(cell, cell_where or where)
        _check_cell(cell, f"{where} {label}")


def _check_owner(owner: Program | Department, parts: tuple[template.Part, ...], where: str) -> None:
    _check_layout(owner.layout, where)
    for part, outline in template.outlines(owner, parts):
        _check_outline(outline, f"{where} {part.label}")


def _check_uids(kind: str, owners: list[tuple[str, str]]) -> None:
    """Every uid given and none twice in the report; ``owners`` are (uid, how a message names the owner)."""
    seen: dict[str, str] = {}
    for uid, name in owners:
        if not uid:
            raise InvalidContentError(f"{name}에 고유 번호(uid)가 없습니다.", "uid")
        if uid in seen:
            raise InvalidContentError(f"{kind} {seen[uid]} 와(과) {name} 의 고유 번호(uid)가 같습니다.", "uid")
        seen[uid] = name


def validate_program(program: Program) -> None:
    """A program's layout, outlines and budget cells."""
    where = f"{program.code} 사업"
    _check_owner(program, template.PROGRAM_OUTLINE_PARTS, where)
    if program.budget is not None:
        for line in program.budget.lines:
            amounts = [q.amount for q in line.quarters]
            _check_six(line.current, line.previous, amounts, f"{where} 예산 '{line.name}'", where)
        total = program.budget.printed_total
        if total is not None:
            _check_six(total.current, total.previous, total.quarters, f"{where} 예산 {template.TOTAL_ROW_LABEL}", where)


def validate_department(department: Department) -> None:
    """A department's layout and its section II outlines."""
    _check_owner(department, template.SECTION_II_PARTS, f"{department.name} 부서")


def validate_front_matter(report: Report) -> None:
    """The report's own layout and its front matter (I. 일반 현황): outlines and the printed summary."""
    _check_layout(report.layout, f"{report.year}년 보고서")
    for part, outline in template.outlines(report, template.FRONT_OUTLINE_PARTS):
        _check_outline(outline, part.label)
    for summary in report.front.budget_summary:
        where = f"{template.BUDGET_SUMMARY.label} '{summary.code}'"
        _check_six(summary.current, summary.previous, summary.quarters, where)


def validate_report(report: Report) -> None:
    """The whole report: front matter, every section II, every chapter and program."""
    validate_front_matter(report)
    for department in report.departments:
        validate_department(department)
    for chapter in report.chapters:
        _check_layout(chapter.layout, f"{chapter.number}장")
        for program in chapter.programs:
            validate_program(program)
    _check_uids("부서", [(d.uid, f"'{d.name}' 부서") for d in report.departments])
    _check_uids("장", [(c.uid, f"{c.number}장") for c in report.chapters])
    _check_uids("사업", [(p.uid, f"{p.code} 사업") for p in report.programs()])
