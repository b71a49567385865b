"""Completeness rules: required sections filled, target rows whole, periods readable and in range."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from seri_desktop.domain import template
from seri_desktop.domain.fill import PROGRAM_UNITS, unit_filled
from seri_desktop.domain.model import ItemKind, Program, Report
from seri_desktop.domain.periods import has_period, period_problems
from seri_desktop.domain.rules.engine import Problem, Severity, program_rule

TARGETS = template.TARGETS.key
SCHEDULE = template.SCHEDULE.key
NAME, PERIOD, QUANTITY = template.TARGET_COLUMNS


_REQUIRED: Final = tuple(unit for unit in PROGRAM_UNITS if unit.required)


@program_rule(
    "completeness.required-sections",
    Severity.ERROR,
    f"필수 절({', '.join(unit.label for unit in _REQUIRED)})이 채워짐",
)
def required_sections(report: Report, program: Program) -> Iterator[Problem]:
    for unit in _REQUIRED:
        if not unit_filled(program, unit):
            yield Problem(
                "completeness.required-sections",
                Severity.ERROR,
                f"{unit.phrase}이(가) 비어 있습니다. 표준 서식에서 꼭 채워야 하는 절입니다.",
                program.code,
                unit.key,
            )


@program_rule("completeness.target-row", Severity.ERROR, "추진 목표 행마다 세부사업명·추진시기·물량")
def target_rows(report: Report, program: Program) -> Iterator[Problem]:
    if program.targets is None:
        return
    for n, row in enumerate(program.targets.rows, start=1):
        if not row.name.strip():
            yield Problem(
                "completeness.target-row",
                Severity.ERROR,
                "세부사업명이 비어 있습니다.",
                program.code,
                TARGETS,
                n,
                NAME,
            )
        if not row.quantity.strip():
            yield Problem(
                "completeness.target-row",
                Severity.ERROR,
                f"'{row.name}'의 물량이 비어 있습니다.",
                program.code,
                TARGETS,
                n,
                QUANTITY,
            )
        if not row.period.strip():
            # Often a merged cell in the printed table: the row above's period is meant.
            yield Problem(
                "completeness.target-row",
                Severity.WARNING,
                f"'{row.name}'의 추진시기가 비어 있습니다. 위 행과 같은 시기라면 같은 값을 적으십시오.",
                program.code,
                TARGETS,
                n,
                PERIOD,
            )


@program_rule("periods.format", Severity.ERROR, "추진시기와 일정의 날짜가 읽히고 보고서 연도 ±1년 안에 있음")
def period_format(report: Report, program: Program) -> Iterator[Problem]:
    year = report.year
    if program.targets is not None:
        for n, row in enumerate(program.targets.rows, start=1):
            if row.period.strip() and not has_period(row.period):
                yield Problem(
                    "periods.format",
                    Severity.WARNING,
                    f"추진시기 '{row.period}'을(를) 읽을 수 없습니다('24.3~12월, '24.12월, 연중, 상시, 수시 같은 형식).",
                    program.code,
                    TARGETS,
                    n,
                    PERIOD,
                )
            for problem in period_problems(row.period, year):
                yield Problem(
                    "periods.format", Severity.ERROR, f"추진시기: {problem}.", program.code, TARGETS, n, PERIOD
                )
    for n, item in enumerate(program.schedule, start=1):
        for problem in period_problems(item.text, year):
            yield Problem("periods.format", Severity.ERROR, f"추진 일정: {problem}.", program.code, SCHEDULE, n)


@program_rule("schedule.period", Severity.WARNING, "추진 일정의 항목마다 시기")
def schedule_period(report: Report, program: Program) -> Iterator[Problem]:
    items = program.schedule
    entries = [(n, item) for n, item in enumerate(items, start=1) if item.kind is ItemKind.ITEM]
    if not entries:
        return
    top = min(item.level for _, item in entries)
    for n, item in entries:
        if item.level != top or has_period(item.text):
            continue
        # A heading item is fine when the items under it carry the periods.
        children = []
        for child in items[n:]:
            if child.level <= item.level:
                break
            children.append(child)
        if any(has_period(child.text) for child in children):
            continue
        yield Problem(
            "schedule.period",
            Severity.WARNING,
            f"추진 일정 '{item.text.splitlines()[0][:40]}'에 시기가 없습니다(예: '24.9~12월, 연중).",
            program.code,
            SCHEDULE,
            n,
        )
