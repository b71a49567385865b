"""The canonical JSON of a program is fixed: packages issued and hashes stored before stay valid.

``data/content_hashes_2024.json`` was computed ONCE with the codec as it was
before it derived its walk from the template (issue 11): the sha256 of every
program and section II of the 2024 report, of the same report rolled over to
2025, and of two hand-made edge programs. Any change to the JSON shape, a key
name, the nesting or a value's form changes these hashes, so this test fails
before an office's stored base hashes and issued packages would.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from seri_desktop.domain import model as m
from seri_desktop.domain.rollover import roll_over
from seri_desktop.exchange import codec
from seri_desktop.formats.text_import import ImportResult

PINNED = json.loads((Path(__file__).parent / "data" / "content_hashes_2024.json").read_text(encoding="utf-8"))


def _hashes(report: m.Report) -> dict[str, dict[str, str]]:
    return {
        "programs": {p.code: codec.program_sha256(p) for p in report.programs()},
        "section_ii": {d.name: codec.section_ii_sha256(codec.SectionII.of(d)) for d in report.departments},
    }


def _as_recorded(report: m.Report) -> m.Report:
    """The report with each 비예산 cell as the hashes were recorded: before 비예산 was a valid value
    (issue 13), the importer kept it as an INVALID cell holding the text. Only 4-7 has one."""
    old = copy.deepcopy(report)
    for program in old.programs():
        for line in program.budget.lines if program.budget is not None else []:
            if line.current.kind is m.CellKind.NON_BUDGET:
                line.current = m.Cell(m.CellKind.INVALID, raw=m.NON_BUDGET_MARK)
            if line.previous.kind is m.CellKind.NON_BUDGET:
                line.previous = m.Cell(m.CellKind.INVALID, raw=m.NON_BUDGET_MARK)
    return old


def test_only_4_7_holds_a_non_budget_cell(imported_2024: ImportResult) -> None:
    # What _as_recorded maps back, and that the mapping is needed at all.
    changed = {
        p.code for p in imported_2024.report.programs() if codec.program_sha256(p) != PINNED["2024"]["programs"][p.code]
    }
    assert changed == {"4-7"}


def _edge_programs() -> tuple[m.Program, m.Program]:
    # Built exactly as when the hashes were recorded.
    empty = m.Program(code="9-9", title="", department="")
    full = m.Program(code="9-8", title="모든 칸", department="가부")
    full.targets = m.Targets(qualifier="(단서)", rows=[m.TargetRow("a", "'24.3월", "1개")])
    full.budget = m.BudgetTable(
        unit="천원",
        as_of=dt.date(2024, 6, 30),
        lines=[
            m.BudgetLine(
                name="운영",
                current=m.Cell.amount(-5),
                previous=m.Cell(m.CellKind.NONE),
                quarters=[
                    m.Quarter(m.Cell(m.CellKind.REALLOCATED), "재"),
                    m.Quarter(m.Cell(m.CellKind.NONE), "없음"),
                    m.Quarter(m.Cell(m.CellKind.INVALID, None, "x?")),
                    m.Quarter(),
                ],
                page="12",
                notes_below=True,
            )
        ],
        notes=[m.OutlineItem(1, m.ItemKind.NOTE, "※ 메모", None)],
    )
    full.overview.lead = [m.OutlineItem(0, m.ItemKind.TEXT, "머리", [["가", "나"]])]
    full.layout = {"k": [1, "둘"]}
    return empty, full


def test_hashes_of_the_2024_report_are_those_recorded_before_the_template(imported_2024: ImportResult) -> None:
    report = _as_recorded(imported_2024.report)
    assert _hashes(report) == PINNED["2024"]
    assert len(PINNED["2024"]["programs"]) == 33 and len(PINNED["2024"]["section_ii"]) == 5


def test_hashes_of_the_rolled_over_report_are_those_recorded(imported_2024: ImportResult) -> None:
    assert _hashes(_as_recorded(roll_over(imported_2024.report))) == PINNED["2025_rolled_over"]


def test_hashes_of_edge_shapes_are_those_recorded() -> None:
    empty, full = _edge_programs()
    assert codec.program_sha256(empty) == PINNED["edge"]["empty_program"]
    assert codec.program_sha256(full) == PINNED["edge"]["full_program"]
    assert codec.section_ii_sha256(codec.SectionII("가부")) == PINNED["edge"]["empty_section_ii"]


def _shape(value: Any) -> Any:
    """The key structure of JSON values: dicts keep their keys, lists their first element's shape."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


def test_program_to_dict_has_exactly_the_recorded_key_structure() -> None:
    _empty, full = _edge_programs()
    data = codec.program_to_dict(full)
    cell = {"kind": "str", "value": "int", "raw": "str"}
    assert _shape(data) == {
        "code": "str",
        "title": "str",
        "department": "str",
        "overview": {
            "lead": [{"level": "int", "kind": "str", "text": "str", "table": [["str"]]}],
            "purpose": [],
            "basis": [],
            "contents": [],
        },
        "previous_achievements": [],
        "targets": {"qualifier": "str", "rows": [{"name": "str", "period": "str", "quantity": "str"}]},
        "plan": {"improvements": [], "items": []},
        "achievements": [],
        "schedule": [],
        "budget": {
            "unit": "str",
            "as_of": "str",
            "lines": [
                {
                    "name": "str",
                    "current": cell,
                    "previous": {"kind": "str", "value": "NoneType", "raw": "str"},
                    "quarters": [{"amount": {"kind": "str", "value": "NoneType", "raw": "str"}, "note": "str"}],
                    "page": "str",
                    "notes_below": "bool",
                }
            ],
            "printed_total": "NoneType",
            "notes": [{"level": "int", "kind": "str", "text": "str", "table": "NoneType"}],
        },
        "issues": [],
        "layout": {"k": ["int"]},
    }
    empty_data = codec.program_to_dict(m.Program("9-9", "", ""))
    assert empty_data["targets"] is None and empty_data["budget"] is None
    assert set(empty_data) == set(data)
    assert _shape(codec.section_ii_to_dict(codec.SectionII("가부", results=[m.OutlineItem(0, m.ItemKind.ITEM, "x")]))) == {
        "department": "str",
        "results": [{"level": "int", "kind": "str", "text": "str", "table": "NoneType"}],
        "limits": [],
        "directions": [],
    }


def test_every_2024_program_and_section_ii_round_trips(imported_2024: ImportResult) -> None:
    report = imported_2024.report
    for program in report.programs():
        assert codec.program_from_dict(json.loads(json.dumps(codec.program_to_dict(program)))) == program, program.code
    for department in report.departments:
        section = codec.SectionII.of(department)
        assert codec.section_ii_from_dict(json.loads(json.dumps(codec.section_ii_to_dict(section)))) == section
    empty, full = _edge_programs()
    assert codec.program_from_dict(codec.program_to_dict(full)) == full
    assert codec.program_from_dict(codec.program_to_dict(empty)) == empty
