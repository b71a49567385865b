"""Every rule with a case that passes and a case that fails.

The base is the project's own sample report (resources/sample-report.txt),
which is clean: each failing case changes one thing and expects exactly the
problem that change causes, at its place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from seri_desktop.domain import model as m
from seri_desktop.domain.periods import find_periods, has_period, period_problems
from seri_desktop.domain.rules import RULES, Problem, Severity, check_program, check_report
from seri_desktop.formats.text_import import import_report_file

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample-report.txt"


def sample() -> m.Report:
    return import_report_file(SAMPLE).report


def prog(report: m.Report, code: str) -> m.Program:
    program = report.program(code)
    assert program is not None
    return program


def only(problems: list[Problem], rule: str) -> list[Problem]:
    return [p for p in problems if p.rule == rule]


def test_the_sample_report_is_clean() -> None:
    assert check_report(sample()) == []


# Each case: rule id, a change to the clean sample, and (program, section, row, column, severity, words in the message).
Change = Callable[[m.Report], None]


def _invalid_cell(r: m.Report) -> None:
    prog(r, "1-1").budget.lines[0].quarters[1].amount = m.Cell.parse("9만")  # type: ignore[union-attr]


def _quarters_off(r: m.Report) -> None:
    prog(r, "1-1").budget.lines[0].quarters[3].amount = m.Cell.amount(99_000)  # type: ignore[union-attr]
    prog(r, "1-1").budget.printed_total = None  # type: ignore[union-attr]


def _total_off(r: m.Report) -> None:
    total = prog(r, "2-1").budget.printed_total  # type: ignore[union-attr]
    assert total is not None
    total.previous = m.Cell.amount(150_001)


def _executed_over(r: m.Report) -> None:
    budget = prog(r, "1-1").budget
    assert budget is not None
    budget.lines[0] = budget.lines[0].__class__(
        "연구 운영",
        m.Cell.amount(50_000),
        m.Cell.amount(1),
        [
            m.Quarter(m.Cell.amount(60_000)),
            m.Quarter(m.Cell.amount(-10_000)),
            m.Quarter(m.Cell(m.CellKind.NONE)),
            m.Quarter(),
        ],
    )
    budget.printed_total = None
    budget.as_of = dt.date(2025, 3, 31)


def _no_purpose(r: m.Report) -> None:
    prog(r, "1-1").overview.purpose = []


def _target_without_quantity(r: m.Report) -> None:
    prog(r, "2-2").targets.rows.append(m.TargetRow("추가 연수", "'25.6월", ""))  # type: ignore[union-attr]


def _bad_period(r: m.Report) -> None:
    prog(r, "2-2").schedule[0].text = "연수 운영: '25.13월"


def _schedule_without_period(r: m.Report) -> None:
    prog(r, "2-2").schedule.append(m.OutlineItem(1, m.ItemKind.ITEM, "연수 결과 보고"))


def _duplicate_code(r: m.Report) -> None:
    prog(r, "2-2").code = "2-3"


def _level_jump(r: m.Report) -> None:
    prog(r, "1-1").achievements.append(m.OutlineItem(3, m.ItemKind.ITEM, "너무 깊은 항목"))


def _listed_title(r: m.Report) -> None:
    r.chapters[1].listed_programs[0].title = "학교 정보화 지원 사업"


def _review_jump(r: m.Report) -> None:
    r.departments[0].limits.insert(0, m.OutlineItem(2, m.ItemKind.ITEM, "상위 없는 하위 항목"))


def _summary_off(r: m.Report) -> None:
    r.front.budget_summary[0].quarters[1] = m.Cell.amount(90_001)


def _overview_off(r: m.Report) -> None:
    r.front.budget_overview.rows[1][6] = "△25"


def _staffing_off(r: m.Report) -> None:
    r.front.staffing.rows[1][3] = "30"


CASES: list[tuple[str, Change, tuple[str, str, int | None, str, Severity, str]]] = [
    ("budget.cell-format", _invalid_cell, ("1-1", "budget", 1, "2분기", Severity.ERROR, "'9만'")),
    ("budget.line-quarters", _quarters_off, ("1-1", "budget", 1, "예산액('25)", Severity.ERROR, "차이 1,000")),
    # Import findings (the printed 계 row, the printed summary) are the office's: no program, ``finding`` names it.
    ("budget.total-column", _total_off, ("", "budget.total", None, "예산액('24)", Severity.ERROR, "150,001")),
    ("budget.executed-over-budget", _executed_over, ("1-1", "budget", 1, "1분기", Severity.ERROR, "60,000")),
    ("completeness.required-sections", _no_purpose, ("1-1", "overview.purpose", None, "", Severity.ERROR, "목적")),
    ("completeness.target-row", _target_without_quantity, ("2-2", "targets", 2, "물량", Severity.ERROR, "추가 연수")),
    ("periods.format", _bad_period, ("2-2", "schedule", 1, "", Severity.ERROR, "월 13")),
    ("schedule.period", _schedule_without_period, ("2-2", "schedule", 2, "", Severity.WARNING, "연수 결과 보고")),
    ("structure.program-codes", _duplicate_code, ("2-3", "", None, "", Severity.ERROR, "2번")),
    ("structure.outline-levels", _level_jump, ("1-1", "achievements", 2, "", Severity.WARNING, "1단계 건너뛴")),
    # The chapter page's printed list too: one finding per chapter (its code "2장"), with both lists.
    ("structure.chapter-list", _listed_title, ("", "chapter", None, "", Severity.ERROR, "학교 정보화 지원 사업")),
    ("structure.review-outline-levels", _review_jump, ("", "limits", 1, "", Severity.WARNING, "연구부")),
    ("front.budget-summary", _summary_off, ("", "front.budget_summary", 1, "2분기", Severity.ERROR, "90,001")),
    ("front.budget-overview", _overview_off, ("", "front.budget_overview", 2, "증감율 (%)", Severity.ERROR, "△20.00%")),
    (
        "front.staffing",
        _staffing_off,
        ("", "front.staffing", 2, "총계", Severity.ERROR, "현원 총계가 30이지만 합은 29"),
    ),
]


def test_every_rule_has_a_failing_case() -> None:
    assert {rule for rule, _, _ in CASES} == set(RULES)


@pytest.mark.parametrize(("rule", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule_fails_at_its_place(
    rule: str, change: Change, expected: tuple[str, str, int | None, str, Severity, str]
) -> None:
    report = sample()
    change(report)
    found = only(check_report(report), rule)
    program, section, row, column, severity, words = expected
    assert found, f"{rule} found nothing"
    first = found[0]
    assert (first.program, first.section, first.row, first.column, first.severity) == (
        program,
        section,
        row,
        column,
        severity,
    )
    assert words in first.message
    assert first.rule in RULES and RULES[first.rule].severity in (Severity.ERROR, Severity.WARNING)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule_passes_on_the_clean_sample(rule: str) -> None:
    assert only(check_report(sample()), rule) == []


# -- near misses that must pass


def test_reallocated_and_none_lines_are_judged_not_summed() -> None:
    report = sample()
    budget = prog(report, "2-1").budget
    assert budget is not None
    line = budget.lines[2]
    assert line.current.kind is m.CellKind.REALLOCATED and line.quarters[1].amount.kind is m.CellKind.REALLOCATED
    assert only(check_program(report, prog(report, "2-1")), "budget.line-quarters") == []
    line.current = m.Cell(m.CellKind.NONE)
    line.quarters[2].amount = m.Cell.amount(500)
    (problem,) = only(check_program(report, prog(report, "2-1")), "budget.line-quarters")
    assert (problem.row, problem.column) == (3, "3분기")


def test_no_budget_program_total_of_dashes_is_fine() -> None:
    report = sample()
    budget = prog(report, "2-2").budget
    assert budget is not None and budget.printed_total is not None
    assert budget.printed_total.current.kind is m.CellKind.NONE
    assert check_program(report, prog(report, "2-2")) == []


@pytest.mark.parametrize(("change", "code"), [(_total_off, "2-1"), (_summary_off, "1-1")])
def test_import_findings_name_their_program_but_count_in_none(change: Change, code: str) -> None:
    report = sample()
    change(report)
    (problem,) = [p for p in check_report(report) if p.finding]
    assert (problem.finding, problem.program, problem.department) == (code, "", "")
    assert problem.program_id == prog(report, code).uid
    assert problem.place().startswith(code)
    assert check_report(report, code) == []  # nothing in the program itself
    assert check_program(report, prog(report, code)) == []


def test_the_derived_total_feeds_the_rules_not_the_printed_one() -> None:
    report = sample()
    budget = prog(report, "1-1").budget
    assert budget is not None and budget.printed_total is not None
    # A printed 계 row whose quarters overrun the budget is a finding, never a budget error of 1-1.
    budget.printed_total.quarters[0] = m.Cell.amount(10**9)
    assert check_program(report, prog(report, "1-1")) == []
    assert {p.rule for p in check_report(report)} == {"budget.total-column"}


def test_summary_title_differing_only_in_spacing_is_a_warning() -> None:
    report = sample()
    report.front.budget_summary[1].title = "학교정보화 지원"
    (problem,) = only(check_report(report), "front.budget-summary")
    assert problem.severity is Severity.WARNING and "띄어쓰기" in problem.message


def test_target_period_left_blank_is_only_a_warning() -> None:
    report = sample()
    prog(report, "1-1").targets.rows[1].period = ""  # type: ignore[union-attr]
    (problem,) = check_report(report)
    assert (problem.rule, problem.severity, problem.column) == ("completeness.target-row", Severity.WARNING, "추진시기")


def test_check_report_for_one_program() -> None:
    report = sample()
    _quarters_off(report)
    _staffing_off(report)
    assert {p.program for p in check_report(report, "1-1")} == {"1-1"}
    assert {p.rule for p in check_report(report, "2-1")} == set()


def test_problem_serialises_with_the_cli_keys() -> None:
    report = sample()
    _invalid_cell(report)
    data = only(check_report(report), "budget.cell-format")[0].as_dict()
    assert data["severity"] == "error" and data["row"] == 1 and data["column"] == "2분기"


# -- periods


@pytest.mark.parametrize(
    "text",
    [
        "'24.3~12월",
        "'24.12월",
        "연중",
        "상시",
        "수시",
        "'24.7~'25.1월",
        "'24.5.7.~'25.12.31.",
        "'24.3월, 6월",
        "상반기, 하반기",
    ],
)
def test_periods_that_parse(text: str) -> None:
    assert has_period(text)
    assert period_problems(text, 2024) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("'24.13월", "1~12"),
        ("'24.2.30.", "없는 날짜"),
        ("'21.3~5월", "±1년"),
        ("'24.9~3월", "앞섭니다"),
    ],
)
def test_periods_that_do_not(text: str, words: str) -> None:
    problems = period_problems(text, 2024)
    assert problems and all(words in p for p in problems)


def test_period_range_ends_inherit_the_year() -> None:
    (found,) = find_periods("'23.11.23.~11.24.")
    assert found.end is not None
    assert (found.end.year, found.end.month, found.end.day) == (2023, 11, 24)
    assert not has_period("연수 결과 보고")
