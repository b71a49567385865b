"""The units that are filled or not, derived from the template: what the completeness rule and the dashboard count."""

from __future__ import annotations

import copy

from seri_desktop.domain import model as m
from seri_desktop.domain.fill import PROGRAM_UNITS, SECTION_II_UNITS, unit_filled
from seri_desktop.domain.rules import check_program
from seri_desktop.formats.text_import import ImportResult


def test_the_units_are_those_the_dashboard_listed_before_the_template() -> None:
    # As the dashboard spelled them out before issue 11 (key, label, required).
    assert [(u.key, u.label, u.required) for u in PROGRAM_UNITS] == [
        ("overview.purpose", "목적", True),
        ("overview.basis", "근거", False),
        ("overview.contents", "주요 내용", False),
        ("previous_achievements", "전년도 추진 실적", False),
        ("targets", "추진 목표", True),
        ("plan", "추진 계획", True),
        ("achievements", "추진 실적", False),
        ("schedule", "추진 일정", True),
        ("budget", "예산 집행 계획", True),
        ("issues", "문제점 및 애로 사항", False),
    ]
    assert [(u.key, u.label, u.required) for u in SECTION_II_UNITS] == [
        ("results", "성과", True),
        ("limits", "한계", True),
        ("directions", "개선 방향", True),
    ]


def test_an_empty_program_misses_every_required_unit_with_the_old_messages() -> None:
    report = m.Report(year=2024)
    messages = [
        (p.section, p.message)
        for p in check_program(report, m.Program("1-1", "빈 사업", "부서"))
        if p.rule == "completeness.required-sections"
    ]
    tail = "이(가) 비어 있습니다. 표준 서식에서 꼭 채워야 하는 절입니다."
    assert messages == [
        ("overview.purpose", f"사업 개요의 목적{tail}"),
        ("targets", f"추진 목표(세부사업명·추진시기·물량이 모두 있는 행){tail}"),
        ("plan", f"추진 계획{tail}"),
        ("schedule", f"추진 일정{tail}"),
        ("budget", f"예산 집행 계획{tail}"),
    ]


def test_what_counts_as_filled() -> None:
    units = {u.key: u for u in PROGRAM_UNITS}
    program = m.Program("1-1", "사업", "부서")
    assert not any(unit_filled(program, u) for u in PROGRAM_UNITS)
    program.plan.improvements = [m.OutlineItem(0, m.ItemKind.ITEM, "개선")]  # either outline fills 추진 계획
    program.overview.purpose = [m.OutlineItem(0, m.ItemKind.ITEM, "  ")]  # blank text is empty
    program.targets = m.Targets(rows=[m.TargetRow("사업", "", "1개")])  # a row without 추진시기 is not whole
    program.budget = m.BudgetTable(notes=[m.OutlineItem(0, m.ItemKind.NOTE, "※ 메모")])  # notes alone are no budget
    assert [k for k, u in units.items() if unit_filled(program, u)] == ["plan"]
    program.overview.purpose = [m.OutlineItem(0, m.ItemKind.TABLE, "", table=[["표"]])]
    program.targets.rows[0].period = "연중"
    program.budget.lines.append(m.BudgetLine("운영"))
    assert [k for k, u in units.items() if unit_filled(program, u)] == ["overview.purpose", "targets", "plan", "budget"]
    department = m.Department("부서", 1, results=[m.OutlineItem(0, m.ItemKind.ITEM, "성과")])
    assert [unit_filled(department, u) for u in SECTION_II_UNITS] == [True, False, False]


def test_the_2024_report_counts_as_before(imported_2024: ImportResult) -> None:
    report = copy.deepcopy(imported_2024.report)
    filled = {u.key: sum(unit_filled(p, u) for p in report.programs()) for u in PROGRAM_UNITS}
    assert filled["budget"] == sum(1 for p in report.programs() if p.budget is not None and p.budget.lines)
    assert filled["overview.purpose"] == sum(
        1 for p in report.programs() if any(i.text.strip() or i.table for i in p.overview.purpose)
    )
    assert all(unit_filled(d, u) for d in report.departments for u in SECTION_II_UNITS)
