"""Rolling the real 2024 report over into 2025: what moves, what is carried as a draft, what stays untouched."""

from __future__ import annotations

import copy
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from seri_desktop.domain.model import Cell, CellKind, Program, Report
from seri_desktop.domain.rollover import (
    CARRIED_FROM_KEY,
    CARRIED_SECTIONS_KEY,
    RolloverError,
    carried_over_sections,
    mark_revised,
    roll_over,
)
from seri_desktop.domain.rules import check_report
from seri_desktop.formats.text_export import export_report_text
from seri_desktop.formats.text_import import ImportResult, parse_report_text
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report, report_years, save_report

pytestmark = pytest.mark.acceptance

CODES = ["1-1", "2-5", "3-1", "4-8", "5-7"]


@pytest.fixture(scope="module")
def old(imported_2024: ImportResult) -> Report:
    return copy.deepcopy(imported_2024.report)


@pytest.fixture(scope="module")
def new(old: Report) -> Report:
    before = copy.deepcopy(old)
    rolled = roll_over(old, 2025)
    assert old == before  # the old year's report is untouched
    return rolled


def program_pair(old: Report, new: Report, code: str) -> tuple[Program, Program]:
    a, b = old.program(code), new.program(code)
    assert a is not None and b is not None
    return a, b


@pytest.mark.parametrize("code", CODES)
def test_achievements_move_to_previous_year_and_budgets_shift(old: Report, new: Report, code: str) -> None:
    a, b = program_pair(old, new, code)
    assert a.achievements, code  # every sampled program reported achievements in 2024
    assert b.previous_achievements == a.achievements
    assert b.achievements == []
    assert a.budget is not None and b.budget is not None
    assert len(b.budget.lines) == len(a.budget.lines)
    for was, line in zip(a.budget.lines, b.budget.lines, strict=True):
        assert line.name == was.name
        assert line.previous == was.current
        assert line.current == Cell()
        assert [(q.amount, q.note) for q in line.quarters] == [(Cell(), "")] * 4
        assert line.page == ""
    assert b.budget.printed_total is None
    assert b.budget.as_of == dt.date(2025, 6, 30)
    assert b.budget.total().previous == a.budget.total().current


@pytest.mark.parametrize("code", CODES)
def test_targets_plan_schedule_and_issues_are_carried_as_marked_drafts(old: Report, new: Report, code: str) -> None:
    a, b = program_pair(old, new, code)
    assert b.targets == a.targets
    assert b.plan == a.plan
    assert b.schedule == a.schedule
    assert b.issues == a.issues
    assert b.overview == a.overview
    assert (b.code, b.title, b.department) == (a.code, a.title, a.department)
    year, sections = carried_over_sections(b.layout)
    assert year == 2024
    expected = ["targets", "plan", "schedule"] + (["issues"] if a.issues else [])
    assert sections == expected
    assert set(b.layout) == {CARRIED_FROM_KEY, CARRIED_SECTIONS_KEY}  # last year's print quirks are not carried


def test_reallocated_and_invalid_cells_move_as_they_are(new: Report) -> None:
    p31 = new.program("3-1")
    assert p31 is not None and p31.budget is not None
    assert [line.previous.kind for line in p31.budget.lines] == [
        CellKind.AMOUNT,
        CellKind.REALLOCATED,
        CellKind.REALLOCATED,
    ]
    assert p31.budget.lines[0].previous == Cell.amount(87_535)
    p47 = new.program("4-7")
    assert p47 is not None and p47.budget is not None
    assert p47.budget.lines[0].previous == Cell(CellKind.NON_BUDGET)
    p51 = new.program("5-1")
    assert p51 is not None and p51.budget is not None
    assert "budget.notes" in carried_over_sections(p51.layout)[1]


def test_report_labels_move_on_and_derived_tables_start_empty(old: Report, new: Report) -> None:
    assert new.year == 2025
    assert new.as_of == dt.date(2025, 6, 30)
    assert new.date_label == "2025. 9."
    assert (new.meeting, new.title, new.institute) == (old.meeting, old.title, old.institute)
    assert new.front.budget_summary == []
    assert new.front.budget_summary_caption == "(단위: 천원, '25.6.30.기준)"
    assert all(chapter.listed_programs == [] for chapter in new.chapters)
    overview = new.front.budget_overview
    assert overview.caption == "(단위: 천원, '25.6.30.기준)"
    assert overview.header[0] == ["세부사업", "2025년도", "", "2024년도", "", "증감 (A-B)", "증감율 (%)"]
    assert overview.rows[0] == ["ICT활용 교육지원", "", "", "3,135,576", "4,151,440", "", ""]
    assert overview.rows[-1][0] == "계" and overview.rows[-1][3:5] == ["36,065,903", "41,571,102"]
    assert new.front.staffing == old.front.staffing and new.front.history == old.front.history
    assert carried_over_sections(new.layout) == (2024, ["front.staffing", "front.facilities", "front.budget_overview"])
    for a, b in zip(old.departments, new.departments, strict=True):
        assert (b.results, b.limits, b.directions) == (a.results, a.limits, a.directions)
        assert carried_over_sections(b.layout) == (2024, ["results", "limits", "directions"])


def test_the_new_report_checks_and_passes_the_text_round_trip(new: Report) -> None:
    rules = {p.rule for p in check_report(new)}
    assert not rules & {"budget.line-quarters", "budget.total-column", "budget.total-quarters", "front.budget-summary"}

    text = export_report_text(new)
    assert "2024년 추진 실적" in text and "2023년 추진 실적" not in text
    assert "2025년 주요 개선 사항" in text and "'25.6.30.기준" in text and "2025. 9." in text
    back = parse_report_text(text).report
    assert export_report_text(back) == text

    def content(report: Report) -> Report:
        # The text format has no place for layout hints or the carried-over marks;
        # the importer keeps the printed 계 row and chapter lists, which the new report derives.
        report = copy.deepcopy(report)
        report.layout = {}
        for department in report.departments:
            department.layout = {}
        for chapter in report.chapters:
            chapter.layout, chapter.listed_programs = {}, []
            for program in chapter.programs:
                program.layout = {}
                if program.budget is not None:
                    program.budget.printed_total = None
        return report

    assert content(back) == content(new)
    for program in back.programs():
        assert program.budget is not None
        assert program.budget.printed_total == program.budget.total(), program.code


def test_marks_come_off_when_the_department_revises(new: Report) -> None:
    program = copy.deepcopy(new.program("1-1"))
    assert program is not None
    mark_revised(program.layout, "targets")
    assert carried_over_sections(program.layout) == (2024, ["plan", "schedule", "issues"])
    mark_revised(program.layout, "targets")  # twice is harmless
    for section in ("plan", "schedule", "issues"):
        mark_revised(program.layout, section)
    assert program.layout == {}
    assert carried_over_sections({}) == (None, [])


def test_only_the_next_year_and_29_february(old: Report) -> None:
    with pytest.raises(RolloverError, match="2025년 보고서로만"):
        roll_over(old, 2026)
    leap = copy.deepcopy(old)
    leap.as_of = dt.date(2024, 2, 29)
    assert roll_over(leap).as_of == dt.date(2025, 2, 28)


def test_rollover_command_end_to_end(old: Report, tmp_path: Path) -> None:
    db = tmp_path / "reports.sqlite"
    engine = create_engine_for(db)
    try:
        save_report(engine, old)
        stored_2024 = load_report(engine, 2024)
    finally:
        engine.dispose()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "seri_desktop", *args], capture_output=True, text=True, env=env)

    done = run("rollover", "--db", str(db), "--to-year", "2025")
    assert done.returncode == 0, done.stderr
    assert "2024년 보고서로 2025년 보고서를 만들었습니다" in done.stdout and "사업 33개" in done.stdout

    other = tmp_path / "2025.sqlite"
    done = run("rollover", "--db", str(db), "--to-year", "2025", "-o", str(other))
    assert done.returncode == 0, done.stderr

    again = run("rollover", "--db", str(db), "--to-year", "2025")
    assert again.returncode == 2 and "2025년 보고서가 이미 있습니다" in again.stderr and "Traceback" not in again.stderr
    missing = run("rollover", "--db", str(db), "--to-year", "2030")
    assert missing.returncode == 2 and "2029년 보고서가 없습니다" in missing.stderr

    engine = create_engine_for(db)
    try:
        assert report_years(engine) == [2024, 2025]
        assert load_report(engine, 2024) == stored_2024
        rolled = load_report(engine, 2025)
    finally:
        engine.dispose()
    assert rolled == roll_over(old, 2025)  # the layout marks survive the store
    engine = create_engine_for(other)
    try:
        assert report_years(engine) == [2025]
        assert load_report(engine, 2025) == rolled
    finally:
        engine.dispose()
