"""What counts as filled: the units of a program and of a section II that are filled or empty as a whole.

The completeness rule (required units must be filled) and the office's
dashboard (which units hold anything) count the same units, derived here from
the template (:mod:`seri_desktop.domain.template`):

* a section with ``per_part`` (사업 개요) gives one unit per part that has a
  heading of its own (목적, 근거, 주요 내용); the unheaded lead text belongs to
  none;
* any other section is one unit (추진 계획 is filled when its key
  improvements or its plan hold anything); a part that lives under another
  part (the budget's ※ notes) only annotates it and does not count;
* each part of a department's section II (성과, 한계, 개선 방향) is a unit.

A unit is required when one of its parts is (``Part.required``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from seri_desktop.domain import template
from seri_desktop.domain.template import Part, PartKind


@dataclass(frozen=True)
class FillUnit:
    """A place that is filled or not as a whole.

    ``key`` is its place (``Problem.section``): the part's key for a part on
    its own, the section's key for a whole section. ``label`` names it in a
    list ("목적", "추진 계획"); ``phrase`` in a sentence ("사업 개요의 목적",
    "추진 목표(세부사업명·추진시기·물량이 모두 있는 행)").
    """

    key: str
    label: str
    phrase: str
    parts: tuple[Part, ...]
    required: bool


# What "filled" asks of a table, said where a unit of that kind is named in a message.
_HINTS: Final[dict[PartKind, str]] = {PartKind.TARGETS: f"({'·'.join(template.TARGET_COLUMNS)}이 모두 있는 행)"}


def _hint(parts: tuple[Part, ...]) -> str:
    return _HINTS.get(parts[0].kind, "") if len(parts) == 1 else ""


def _program_units() -> tuple[FillUnit, ...]:
    units: list[FillUnit] = []
    for section in template.PROGRAM_SECTIONS:
        if section.per_part:
            for p in section.parts:
                if p.heading:
                    phrase = f"{section.label}의 {p.heading}{_hint((p,))}"
                    units.append(FillUnit(p.key, p.heading, phrase, (p,), p.required))
            continue
        parts = tuple(p for p in section.parts if not p.optional_parent)
        label = section.label
        units.append(FillUnit(section.key, label, f"{label}{_hint(parts)}", parts, any(p.required for p in parts)))
    return tuple(units)


PROGRAM_UNITS: Final[tuple[FillUnit, ...]] = _program_units()
SECTION_II_UNITS: Final[tuple[FillUnit, ...]] = tuple(
    FillUnit(p.key, p.label, p.label, (p,), p.required) for p in template.SECTION_II_PARTS
)


def part_filled(owner: Any, p: Part) -> bool:
    """Whether part ``p`` of ``owner`` holds anything a reader would see.

    An outline needs an item with text or a table; 추진 목표 a row whose
    세부사업명, 추진시기 and 물량 are all given; 예산 집행 계획 a budget line.
    """
    value = template.get(owner, p)
    if value is None:
        return False
    if p.kind is PartKind.OUTLINE:
        return any(item.text.strip() or item.table for item in value)
    if p.kind is PartKind.TARGETS:
        return any(all(getattr(row, name) for name in template.TARGET_FIELDS) for row in value.rows)
    if p.kind is PartKind.BUDGET:
        return bool(value.lines)
    if p.kind is PartKind.TEXT:
        return bool(str(value).strip())
    if p.kind is PartKind.TABLE:
        return bool(value.rows)
    if p.kind is PartKind.DATE:
        return True
    return bool(value)  # history, summary rows


def unit_filled(owner: Any, unit: FillUnit) -> bool:
    """Whether any part of ``unit`` on ``owner`` is filled."""
    return any(part_filled(owner, p) for p in unit.parts)
