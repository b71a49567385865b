"""Programs and a department's section II to and from JSON: the canonical form out, untrusted JSON in.

The canonical form and the content hashes are the domain's
(:mod:`seri_desktop.domain.canonical`, re-exported here): one program always
has exactly one byte sequence. This module adds the other direction:

* :func:`program_from_dict` / :func:`section_ii_from_dict` map plain JSON
  values back to the domain classes; a round trip is exact
  (``program_from_dict(program_to_dict(p)) == p``) for everything the store
  can hold, including INVALID cells, ``None`` versus empty tables and layouts;
* a program of payload format 2 carries its ``uid`` too
  (:func:`program_to_payload`); format 1 did not.

The ``*_from_dict`` functions never trust their input (a payload comes from
outside): every type and every cell is checked, and a bad value raises
:class:`PayloadError` naming its place in Korean.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from seri_desktop.domain import template
from seri_desktop.domain.canonical import (
    CODE_KEY,
    SectionII,
    canonical_bytes,
    content_sha256_of_dict,
    program_content_sha256,
    program_sha256,
    program_to_dict,
    section_ii_sha256,
    section_ii_to_dict,
    sha256_hex,
)
from seri_desktop.domain.model import (
    CELL_KIND_OF,
    ITEM_KIND_OF,
    MAX_AMOUNT,
    MAX_OUTLINE_LEVEL,
    BudgetLine,
    BudgetTable,
    BudgetTotal,
    Cell,
    CellKind,
    Outline,
    OutlineItem,
    Program,
    Quarter,
    TargetRow,
    Targets,
)
from seri_desktop.domain.template import Part, PartKind
from seri_desktop.exchange.errors import SubmissionError

__all__ = [
    "CELL_COLUMNS",
    "CODE_KEY",
    "UID_KEY",
    "PayloadError",
    "SectionII",
    "canonical_bytes",
    "cell_from_dict",
    "content_sha256_of_dict",
    "program_content_sha256",
    "program_from_dict",
    "program_sha256",
    "program_to_dict",
    "program_to_payload",
    "section_ii_from_dict",
    "section_ii_sha256",
    "section_ii_to_dict",
    "sha256_hex",
]

_CELL_KINDS = CELL_KIND_OF
_ITEM_KINDS = ITEM_KIND_OF

# Places in messages: the template's labels, and the budget cells named without a year.
CELL_COLUMNS: tuple[str, ...] = template.BUDGET_CELL_LABELS
# A program's permanent id in payload format 2 (format 1 named programs by their code only).
UID_KEY = "uid"


class PayloadError(SubmissionError):
    """A payload value has the wrong type or is not a valid cell; the message names its place."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "payload")


# --- from JSON values (untrusted) ---------------------------------------------------------------------------


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(f"{where}: JSON 객체여야 합니다.")
    return value


def _get(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise PayloadError(f"{where}: '{key}' 값이 없습니다.")
    return data[key]


def _str(data: dict[str, Any], key: str, where: str) -> str:
    value = _get(data, key, where)
    if not isinstance(value, str):
        raise PayloadError(f"{where}: '{key}' 은(는) 글자여야 합니다 (받은 값: {value!r}).")
    return value


def _int(data: dict[str, Any], key: str, where: str) -> int:
    value = _get(data, key, where)
    # bool is an int subclass; true/false is never a valid count or amount.
    if not isinstance(value, int) or isinstance(value, bool):
        raise PayloadError(f"{where}: '{key}' 은(는) 정수여야 합니다 (받은 값: {value!r}).")
    return value


def _bool(data: dict[str, Any], key: str, where: str) -> bool:
    value = _get(data, key, where)
    if not isinstance(value, bool):
        raise PayloadError(f"{where}: '{key}' 은(는) true 또는 false 여야 합니다 (받은 값: {value!r}).")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise PayloadError(f"{where}: JSON 배열이어야 합니다.")
    return value


def _text_table(value: Any, where: str) -> list[list[str]] | None:
    if value is None:
        return None
    rows = _list(value, where)
    table: list[list[str]] = []
    for n, row in enumerate(rows, start=1):
        cells = _list(row, f"{where} 표 {n}행")
        if not all(isinstance(c, str) for c in cells):
            raise PayloadError(f"{where} 표 {n}행: 칸은 모두 글자여야 합니다.")
        table.append(list(cells))
    return table


def _outline_from(value: Any, where: str) -> Outline:
    items: Outline = []
    for n, raw in enumerate(_list(value, where), start=1):
        place = f"{where} {n}번째 항목"
        data = _obj(raw, place)
        level = _int(data, "level", place)
        if not 0 <= level <= MAX_OUTLINE_LEVEL:
            raise PayloadError(f"{place}: 수준(level)은 0부터 {MAX_OUTLINE_LEVEL}까지여야 합니다 (받은 값: {level}).")
        kind_name = _str(data, "kind", place)
        kind = _ITEM_KINDS.get(kind_name)
        if kind is None:
            raise PayloadError(f"{place}: 알 수 없는 항목 종류 '{kind_name}'")
        text = _str(data, "text", place)
        table = _text_table(data.get("table"), place)
        items.append(OutlineItem(level=level, kind=kind, text=text, table=table))
    return items


def cell_from_dict(value: Any, where: str) -> Cell:
    """A budget cell, checked: the kind is known and value/raw fit it (an amount is an integer)."""
    data = _obj(value, where)
    kind_name = _str(data, "kind", where)
    kind = _CELL_KINDS.get(kind_name)
    if kind is None:
        raise PayloadError(f"{where}: 알 수 없는 칸 종류 '{kind_name}' 입니다.")
    raw = _str(data, "raw", where)
    number = _get(data, "value", where)
    if kind is CellKind.AMOUNT:
        if not isinstance(number, int) or isinstance(number, bool):
            raise PayloadError(f"{where}: 금액 칸의 값 {number!r} 은(는) 정수가 아닙니다.")
        if raw:
            raise PayloadError(f"{where}: 금액 칸에 글자 '{raw}' 이(가) 함께 들어 있습니다.")
        if abs(number) > MAX_AMOUNT:
            raise PayloadError(f"{where}: 금액 {number:,} 이(가) 너무 큽니다(절댓값 {MAX_AMOUNT:,} 이하여야 합니다).")
        return Cell(kind, number)
    if number is not None:
        raise PayloadError(f"{where}: '{kind_name}' 칸에는 금액 {number!r} 이(가) 올 수 없습니다.")
    if kind is CellKind.INVALID:
        if not raw.strip():
            raise PayloadError(f"{where}: 잘못된 값으로 표시된 칸에 원래 글자가 없습니다.")
    elif raw:
        raise PayloadError(f"{where}: '{kind_name}' 칸에 글자 '{raw}' 이(가) 함께 들어 있습니다.")
    return Cell(kind, None, raw)


def _quarters(value: Any, where: str, expected: int = 4) -> list[Any]:
    quarters = _list(value, where)
    if len(quarters) != expected:
        raise PayloadError(f"{where}: 분기 칸이 {len(quarters)}개입니다({expected}개여야 합니다).")
    return quarters


def _budget_from(value: Any, where: str) -> BudgetTable | None:
    # The budget's own fields; its notes are read by the walk over the template's parts.
    if value is None:
        return None
    data = _obj(value, where)
    as_of_text = _get(data, "as_of", where)
    as_of: dt.date | None = None
    if as_of_text is not None:
        if not isinstance(as_of_text, str):
            raise PayloadError(f"{where}: 기준일은 'YYYY-MM-DD' 글자여야 합니다.")
        try:
            as_of = dt.date.fromisoformat(as_of_text)
        except ValueError as exc:
            raise PayloadError(f"{where}: 기준일 '{as_of_text}' 을(를) 읽을 수 없습니다.") from exc
    lines: list[BudgetLine] = []
    for n, raw_line in enumerate(_list(_get(data, "lines", where), f"{where} 행"), start=1):
        place = f"{where} {n}행"
        line = _obj(raw_line, place)
        quarters: list[Quarter] = []
        for q, raw_q in enumerate(_quarters(_get(line, "quarters", place), place)):
            quarter_place = f"{place} {CELL_COLUMNS[2 + q]}"
            quarter = _obj(raw_q, quarter_place)
            quarters.append(
                Quarter(
                    amount=cell_from_dict(_get(quarter, "amount", quarter_place), quarter_place),
                    note=_str(quarter, "note", quarter_place),
                )
            )
        lines.append(
            BudgetLine(
                name=_str(line, "name", place),
                current=cell_from_dict(_get(line, "current", place), f"{place} {CELL_COLUMNS[0]}"),
                previous=cell_from_dict(_get(line, "previous", place), f"{place} {CELL_COLUMNS[1]}"),
                quarters=quarters,
                page=_str(line, "page", place),
                notes_below=_bool(line, "notes_below", place),
            )
        )
    total: BudgetTotal | None = None
    raw_total = _get(data, "printed_total", where)
    if raw_total is not None:
        place = f"{where} 계"
        total_data = _obj(raw_total, place)
        total = BudgetTotal(
            current=cell_from_dict(_get(total_data, "current", place), f"{place} {CELL_COLUMNS[0]}"),
            previous=cell_from_dict(_get(total_data, "previous", place), f"{place} {CELL_COLUMNS[1]}"),
            quarters=[
                cell_from_dict(c, f"{place} {CELL_COLUMNS[2 + q]}")
                for q, c in enumerate(_quarters(_get(total_data, "quarters", place), place))
            ],
        )
    return BudgetTable(unit=_str(data, "unit", where), as_of=as_of, lines=lines, printed_total=total)


def _targets_from(value: Any, where: str) -> Targets | None:
    if value is None:
        return None
    data = _obj(value, where)
    rows: list[TargetRow] = []
    for n, raw_row in enumerate(_list(_get(data, "rows", where), where), start=1):
        place = f"{where} {n}행"
        row = _obj(raw_row, place)
        rows.append(TargetRow(**{name: _str(row, name, place) for name in template.TARGET_FIELDS}))
    return Targets(qualifier=_str(data, "qualifier", where), rows=rows)


def _value_from(part: Part, value: Any, where: str) -> Any:
    if part.kind is PartKind.OUTLINE:
        return _outline_from(value, where)
    if part.kind is PartKind.TARGETS:
        return _targets_from(value, where)
    if part.kind is PartKind.BUDGET:
        return _budget_from(value, where)
    raise TypeError(f"no JSON form for a {part.kind} part")  # a template change this codec does not know yet


def _parts_from(data: dict[str, Any], owner: Any, parts: tuple[Part, ...], here: str) -> None:
    """Read every part of ``parts`` from ``data`` (nested at the part's attribute path) into ``owner``."""
    for part in parts:
        *path, name = part.key.split(".")
        container = data
        for step in path:
            if step == part.optional_parent and template.get(owner, template.part(step)) is None:
                break  # no budget: nothing of it travels
            container = _obj(_get(container, step, here), f"{here} {template.label(step)}")
        else:
            if part.kind is PartKind.TEXT:
                value = _str(container, name, here)
            else:
                value = _value_from(part, _get(container, name, here), f"{here} {part.label}")
            template.put(owner, part, value)


def program_to_payload(program: Program) -> dict[str, Any]:
    """A program as payload format 2 carries it: :func:`program_to_dict` and its ``uid``."""
    return {UID_KEY: program.uid, **program_to_dict(program)}


def program_from_dict(value: Any, where: str = "사업") -> Program:
    """A program from untrusted JSON values; raises :class:`PayloadError` naming the place.

    A ``uid`` (payload format 2) becomes the program's uid; without one
    (format 1, package bases) the program gets a fresh uid that the caller
    replaces with the office's.
    """
    data = _obj(value, where)
    code = _str(data, CODE_KEY, where)
    here = f"{code} 사업"
    program = Program(code=code, title="", department="")
    if UID_KEY in data:
        uid = _str(data, UID_KEY, here)
        if not uid.strip() or len(uid) > 64:
            raise PayloadError(f"{here}: 고유 번호(uid) {uid[:64]!r} 이(가) 올바르지 않습니다.")
        program.uid = uid
    _parts_from(data, program, template.PROGRAM_PARTS, here)
    program.department = _str(data, "department", here)
    program.layout = _obj(_get(data, "layout", here), f"{here} layout")
    return program


def section_ii_from_dict(value: Any, where: str = template.SECTION_II_HEADING) -> SectionII:
    """A section II from untrusted JSON values; raises :class:`PayloadError` naming the place."""
    data = _obj(value, where)
    name = _str(data, "department", where)
    section = SectionII(department=name)
    here = f"{name} {where}"
    for part in template.SECTION_II_PARTS:
        template.put(section, part, _outline_from(_get(data, part.key, here), f"{here} › {part.label}"))
    return section
