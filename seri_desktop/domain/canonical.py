"""Canonical JSON of programs and of a department's section II, and their content hashes.

Plain Python on domain objects, so the store (which keeps each item's content
hash beside its revision) and the exchange (payloads, packages, the merge)
compute the same bytes and hashes:

* :func:`program_to_dict` / :func:`section_ii_to_dict` map the domain
  classes to plain JSON values (keys are the model's attribute names, nested
  as the template's keys), the shape payload format 1 carries;
* :func:`canonical_bytes` writes JSON with sorted keys, no insignificant
  whitespace and UTF-8 (Korean unescaped), so equal content hashes equal;
* :func:`program_sha256` / :func:`section_ii_sha256`: the hash of that JSON
  (a program's includes its code). Pinned by ``tests/exchange``: packages
  issued and hashes stored before keep their meaning;
* :func:`program_content_sha256`: the program's content without its code,
  the hash an item's review record keeps. The code is the report's
  structure (display), so renumbering a program changes no content hash and
  a package issued before the renumbering still finds its program unchanged.

The reverse direction (untrusted JSON values to domain objects, with Korean
messages naming each bad place) is :mod:`seri_desktop.exchange.codec`.

Section II (성과, 한계, 개선 방향) is carried as :class:`SectionII`: the
department's name and its three outlines. Its order and layout belong to
the office and never travel.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from seri_desktop.domain import template
from seri_desktop.domain.model import (
    BudgetTable,
    Cell,
    Department,
    Outline,
    OutlineItem,
    Program,
    Targets,
)
from seri_desktop.domain.template import Part, PartKind

# The key of a program's code in its JSON (structure, not content: see program_content_sha256).
CODE_KEY = "code"


@dataclass
class SectionII:
    """A department's part of II. 업무 평가 및 개선 방향: 성과, 한계, 개선 방향."""

    department: str
    results: Outline = field(default_factory=list)
    limits: Outline = field(default_factory=list)
    directions: Outline = field(default_factory=list)

    @classmethod
    def of(cls, department: Department) -> SectionII:
        section = cls(department.name)
        for part in template.SECTION_II_PARTS:
            template.put(section, part, list(template.get(department, part)))
        return section

    def outlines(self) -> list[tuple[str, Outline]]:
        """(part key, outline) in template order."""
        return [(part.key, outline) for part, outline in template.outlines(self, template.SECTION_II_PARTS)]

    def apply_to(self, department: Department) -> None:
        """Put these outlines into ``department`` (its name, order and layout stay)."""
        for part, outline in template.outlines(self, template.SECTION_II_PARTS):
            template.put(department, part, list(outline))


# --- canonical bytes and hashes --------------------------------------------------------------------------


def canonical_bytes(value: Any) -> bytes:
    """``value`` as canonical JSON: sorted keys, compact, UTF-8, no NaN."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def program_sha256(program: Program) -> str:
    """The hash of a program's canonical JSON, its code included (payload format 1, old package bases)."""
    return sha256_hex(canonical_bytes(program_to_dict(program)))


def content_sha256_of_dict(data: dict[str, Any]) -> str:
    """:func:`program_content_sha256` of a program already in its JSON form (a package base's content)."""
    return sha256_hex(canonical_bytes({key: value for key, value in data.items() if key != CODE_KEY}))


def program_content_sha256(program: Program) -> str:
    """The content hash of a program: its canonical JSON without the code (which renumbering changes)."""
    return content_sha256_of_dict(program_to_dict(program))


def section_ii_sha256(section: SectionII) -> str:
    """The content hash of a department's section II."""
    return sha256_hex(canonical_bytes(section_ii_to_dict(section)))


# --- to JSON values ----------------------------------------------------------------------------------------


def _item(item: OutlineItem) -> dict[str, Any]:
    return {
        "level": item.level,
        "kind": str(item.kind),
        "text": item.text,
        "table": [list(row) for row in item.table] if item.table is not None else None,
    }


def _outline(outline: Outline) -> list[dict[str, Any]]:
    return [_item(item) for item in outline]


def _cell(cell: Cell) -> dict[str, Any]:
    return {"kind": str(cell.kind), "value": cell.value, "raw": cell.raw}


def _targets(targets: Targets | None) -> dict[str, Any] | None:
    if targets is None:
        return None
    rows = [{name: getattr(row, name) for name in template.TARGET_FIELDS} for row in targets.rows]
    return {"qualifier": targets.qualifier, "rows": rows}


def _budget(budget: BudgetTable | None) -> dict[str, Any] | None:
    # The budget's own fields; the parts that live under it (its notes) are added by the walk below.
    if budget is None:
        return None
    return {
        "unit": budget.unit,
        "as_of": budget.as_of.isoformat() if budget.as_of is not None else None,
        "lines": [
            {
                "name": line.name,
                "current": _cell(line.current),
                "previous": _cell(line.previous),
                "quarters": [{"amount": _cell(q.amount), "note": q.note} for q in line.quarters],
                "page": line.page,
                "notes_below": line.notes_below,
            }
            for line in budget.lines
        ],
        "printed_total": None
        if budget.printed_total is None
        else {
            "current": _cell(budget.printed_total.current),
            "previous": _cell(budget.printed_total.previous),
            "quarters": [_cell(c) for c in budget.printed_total.quarters],
        },
    }


def _value(part: Part, value: Any) -> Any:
    if part.kind is PartKind.OUTLINE:
        return _outline(value)
    if part.kind is PartKind.TARGETS:
        return _targets(value)
    if part.kind is PartKind.BUDGET:
        return _budget(value)
    if part.kind is PartKind.TEXT:
        return value
    raise TypeError(f"no JSON form for a {part.kind} part")  # a template change this codec does not know yet


def _parts_to_dict(owner: Any, parts: tuple[Part, ...], data: dict[str, Any]) -> dict[str, Any]:
    """Every part of ``parts`` into ``data``, nested along its key (a dotted key is a path of attributes)."""
    for part in parts:
        *path, name = part.key.split(".")
        target = data
        for step in path:
            target = target.setdefault(step, {})
            if target is None:
                break  # an optional parent that is None (no budget): its parts have nowhere to go
        else:
            target[name] = _value(part, template.get(owner, part))
    return data


def program_to_dict(program: Program) -> dict[str, Any]:
    """A program as plain JSON values: keys are the model's attribute names, nested as the template's keys."""
    data: dict[str, Any] = {CODE_KEY: program.code, "department": program.department, "layout": program.layout}
    return _parts_to_dict(program, template.PROGRAM_PARTS, data)


def section_ii_to_dict(section: SectionII) -> dict[str, Any]:
    """A section II as plain JSON values."""
    return _parts_to_dict(section, template.SECTION_II_PARTS, {"department": section.department})
