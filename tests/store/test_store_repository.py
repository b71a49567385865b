"""Saving and loading reports: exact round trips, one transaction per call, no orphans, few queries."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from seri_desktop.domain import model as m
from seri_desktop.domain import template
from seri_desktop.store import content
from seri_desktop.store.engine import StoreError
from seri_desktop.store.repository import (
    ProgramNotFoundError,
    ReportExistsError,
    ReportNotFoundError,
    delete_report,
    load_report,
    report_years,
    save_program,
    save_report,
)
from tests.helpers.db import row_counts
from tests.helpers.reports import make_report
from tests.helpers.types import OpenEngine

MakeReport = Callable[..., m.Report]


def _all_cells(report: m.Report) -> Iterator[m.Cell]:
    for program in report.programs():
        if program.budget is None:
            continue
        for line in program.budget.lines:
            yield line.current
            yield line.previous
            yield from (q.amount for q in line.quarters)
        if program.budget.printed_total is not None:
            yield from program.budget.printed_total.cells()
    for row in report.front.budget_summary:
        yield from (row.current, row.previous, *row.quarters)


def _all_outline_items(report: m.Report) -> Iterator[m.OutlineItem]:
    for program in report.programs():
        for _part, outline in template.outlines(program, template.PROGRAM_OUTLINE_PARTS):
            yield from outline
    for department in report.departments:
        for _part, outline in template.outlines(department, template.SECTION_II_PARTS):
            yield from outline
    yield from report.front.staffing_notes


def _count_items(outline_owner: m.Report) -> int:
    return sum(1 for _ in _all_outline_items(outline_owner))


def _smaller_report(make_report: MakeReport) -> m.Report:
    """Another 2024 report, different in every table's row count."""
    report = make_report(2024)
    report.title = "바뀐 보고서"
    report.chapters = report.chapters[:1]
    report.chapters[0].programs = report.chapters[0].programs[:2]
    report.chapters[0].author_blocks = report.chapters[0].author_blocks[:1]
    report.departments = report.departments[:1]
    report.front.history = report.front.history[:1]
    report.front.budget_summary = []
    return report


# --- round trip ------------------------------------------------------------------------------------------


def test_the_sample_report_covers_every_kind() -> None:
    report = make_report()
    assert {cell.kind for cell in _all_cells(report)} == set(m.CellKind)
    assert any(cell.kind is m.CellKind.AMOUNT and cell.numeric < 0 for cell in _all_cells(report))
    assert {item.kind for item in _all_outline_items(report)} == set(m.ItemKind)
    assert any(item.table for item in _all_outline_items(report))
    programs = list(report.programs())
    assert len({p.chapter_number for p in programs}) == 2
    assert any(p.budget is None and p.targets is None for p in programs)
    assert any(p.targets is not None and not p.targets.rows for p in programs)
    assert any(p.budget is not None and p.budget.printed_total is None for p in programs)
    assert any(p.budget is not None and p.budget.printed_total is not None for p in programs)


def test_a_rich_report_round_trips_equal(engine: Engine) -> None:
    report = make_report()
    expected = copy.deepcopy(report)
    save_report(engine, report)

    loaded = load_report(engine, 2024)

    assert loaded == expected
    assert report == expected  # saving did not touch the caller's report
    assert loaded is not None
    # Enums come back as enum members, not bare strings.
    program = loaded.chapters[0].programs[0]
    assert program.budget is not None
    assert program.budget.lines[0].quarters[3].amount.kind is m.CellKind.INVALID
    assert program.overview.contents[-1].kind is m.ItemKind.TABLE


def test_none_and_empty_stay_apart(engine: Engine) -> None:
    save_report(engine, make_report())
    loaded = load_report(engine)
    assert loaded is not None
    bare = loaded.program("2-2")
    empty = loaded.program("2-3")
    assert bare is not None and empty is not None
    assert bare.budget is None and bare.targets is None
    assert empty.targets is not None and empty.targets.rows == []
    assert empty.budget is not None and empty.budget.printed_total is None
    assert empty.budget.as_of is None and empty.budget.unit == "백만원"


def test_an_empty_database_has_no_report(engine: Engine) -> None:
    assert load_report(engine) is None
    assert load_report(engine, 2024) is None
    assert report_years(engine) == []


def test_years_and_newest(engine: Engine) -> None:
    save_report(engine, make_report(2024))
    save_report(engine, make_report(2023))

    assert report_years(engine) == [2023, 2024]
    newest = load_report(engine)
    assert newest is not None and newest.year == 2024
    older = load_report(engine, 2023)
    assert older == make_report(2023)
    assert load_report(engine, 2022) is None


# --- save twice, replace ----------------------------------------------------------------------------------


def test_saving_the_same_year_twice_is_refused(
    engine: Engine
) -> None:
    first = make_report()
    save_report(engine, first)
    counts = row_counts(engine)

    with pytest.raises(ReportExistsError) as caught:
        save_report(engine, _smaller_report(make_report))

    assert isinstance(caught.value, StoreError)
    assert str(caught.value) == "2024년 보고서가 이미 있습니다. 바꾸려면 --replace 를 쓰십시오."
    assert load_report(engine, 2024) == first
    assert row_counts(engine) == counts


def test_replace_leaves_no_orphan_rows(
    engine: Engine, tmp_path: Path, open_engine: OpenEngine
) -> None:
    save_report(engine, make_report(2023))
    save_report(engine, make_report(2024))
    smaller = _smaller_report(make_report)

    save_report(engine, smaller, replace=True)

    assert load_report(engine, 2024) == smaller
    assert load_report(engine, 2023) == make_report(2023)
    # Row for row what the two reports take when written into a fresh file.
    reference = open_engine(tmp_path / "reference.sqlite")
    save_report(reference, make_report(2023))
    save_report(reference, smaller)
    assert row_counts(engine) == row_counts(reference)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def test_delete_report_cascades_to_every_table(
    engine: Engine
) -> None:
    save_report(engine, make_report())
    assert all(count > 0 for count in row_counts(engine).values())

    assert delete_report(engine, 2024) is True

    assert set(row_counts(engine).values()) == {0}
    assert delete_report(engine, 2024) is False


# --- atomicity --------------------------------------------------------------------------------------------


def _fail_on_call(monkeypatch: pytest.MonkeyPatch, name: str, call: int) -> list[int]:
    """Make ``content.<name>`` (the store's row writers) raise on its ``call``-th call, after earlier calls wrote."""
    original = getattr(content, name)
    calls: list[int] = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == call:
            raise RuntimeError(f"{name} failed")
        return original(*args, **kwargs)

    monkeypatch.setattr(content, name, failing)
    return calls


@pytest.mark.parametrize(
    ("writer", "call"),
    [("_write_department", 2), ("_write_chapter", 2), ("_write_program", 4), ("_queue_outline", 30)],
)
def test_a_failure_in_the_middle_of_a_save_keeps_the_previous_report(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    writer: str,
    call: int,
) -> None:
    previous = make_report()
    save_report(engine, previous)
    counts = row_counts(engine)
    calls = _fail_on_call(monkeypatch, writer, call)

    replacement = make_report(programs_per_chapter=5)
    replacement.title = "대신할 보고서"
    with pytest.raises(RuntimeError, match="failed"):
        save_report(engine, replacement, replace=True)

    assert len(calls) == call  # the failure really came mid-way
    assert load_report(engine, 2024) == previous
    assert row_counts(engine) == counts


def test_a_failure_in_the_last_step_keeps_an_empty_database_empty(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_flush(self: object, conn: object) -> None:
        raise RuntimeError("flush failed")

    monkeypatch.setattr(content._Pending, "flush", failing_flush)
    with pytest.raises(RuntimeError, match="flush failed"):
        save_report(engine, make_report())

    assert report_years(engine) == []
    assert set(row_counts(engine).values()) == {0}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.chapters[0].programs[1].budget.lines[0].quarters.pop(), "분기 칸이 3개"),
        (lambda r: r.chapters[1].programs[0].layout.update(pair=(1, 2)), "layout"),
        (lambda r: r.departments[0].layout.update({1: "숫자 키"}), "layout"),
    ],
)
def test_a_report_that_would_not_load_back_equal_is_refused(
    engine: Engine, change: Callable[[Any], object], message: str
) -> None:
    report = make_report()
    change(report)
    with pytest.raises(StoreError, match=message):
        save_report(engine, report)
    assert report_years(engine) == []


# --- save_program ---------------------------------------------------------------------------------------


def _edited(program: m.Program) -> m.Program:
    edited = copy.deepcopy(program)
    edited.title = "고친 제목"
    edited.overview.purpose = [m.OutlineItem(0, m.ItemKind.ITEM, "새 목적")]
    edited.plan.items.append(m.OutlineItem(1, m.ItemKind.TABLE, "", table=[["a", "b"], ["1", "2"]]))
    edited.targets = None
    assert edited.budget is not None
    edited.budget.lines.append(
        m.BudgetLine("새 줄", m.Cell.amount(-7), m.Cell(m.CellKind.REALLOCATED), [m.Quarter(m.Cell.amount(5), "메모")] * 4)
    )
    edited.budget.printed_total = None
    edited.layout = {"header": "canonical"}
    return edited


def test_save_program_changes_just_that_program(
    engine: Engine, tmp_path: Path, open_engine: OpenEngine
) -> None:
    original = make_report()
    save_report(engine, original)
    save_report(engine, make_report(2023))
    program = original.program("1-2")
    assert program is not None
    edited = _edited(program)

    save_program(engine, 2024, edited)

    expected = copy.deepcopy(original)
    expected.chapters[0].programs[1] = edited
    assert load_report(engine, 2024) == expected
    assert load_report(engine, 2023) == make_report(2023)
    reference = open_engine(tmp_path / "reference.sqlite")
    save_report(reference, expected)
    save_report(reference, make_report(2023))
    assert row_counts(engine) == row_counts(reference)


def test_save_program_twice_is_stable(engine: Engine) -> None:
    report = make_report()
    save_report(engine, report)
    bare = dataclasses.replace(report.chapters[1].programs[1], title="다시 저장")

    save_program(engine, 2024, bare)
    save_program(engine, 2024, bare)

    loaded = load_report(engine)
    assert loaded is not None
    assert [p.code for p in loaded.programs()] == [p.code for p in report.programs()]
    assert loaded.chapters[1].programs[1] == bare


def test_save_program_unknown_year_or_code(
    engine: Engine
) -> None:
    save_report(engine, make_report())
    before = row_counts(engine)
    program = make_report().chapters[0].programs[0]

    with pytest.raises(ReportNotFoundError, match="2030년 보고서가 없습니다"):
        save_program(engine, 2030, program)
    with pytest.raises(ProgramNotFoundError, match="9-9 사업이 없습니다"):
        save_program(engine, 2024, dataclasses.replace(program, code="9-9"))
    assert row_counts(engine) == before


# --- efficiency --------------------------------------------------------------------------------------------


@contextmanager
def _counting_statements(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_load_runs_a_fixed_number_of_queries(
    tmp_path: Path, open_engine: OpenEngine
) -> None:
    counts = []
    for programs_per_chapter in (3, 20):
        engine = open_engine(tmp_path / f"{programs_per_chapter}.sqlite")
        report = make_report(programs_per_chapter=programs_per_chapter)
        save_report(engine, report)
        with _counting_statements(engine) as statements:
            assert load_report(engine) == report
        counts.append(len(statements))

    assert counts[0] == counts[1]
    assert counts[0] <= 16


def test_save_writes_leaf_rows_in_bulk(engine: Engine) -> None:
    report = make_report(programs_per_chapter=10)
    assert _count_items(report) > 500
    with _counting_statements(engine) as statements:
        save_report(engine, report)
    # One statement per parent row (ids are needed) plus one per leaf table,
    # far fewer than the outline lines alone.
    assert len(statements) < 80


# --- transactions and errors ------------------------------------------------------------------------


def test_writes_take_the_write_lock_at_begin_and_reads_do_not(
    engine: Engine
) -> None:
    with _counting_statements(engine) as statements:
        save_report(engine, make_report())
    assert statements[0] == "BEGIN IMMEDIATE"
    with _counting_statements(engine) as statements:
        load_report(engine)
    assert statements[0] == "BEGIN DEFERRED"


def test_database_errors_become_store_errors(
    tmp_db: Path, open_engine: OpenEngine
) -> None:
    unmigrated = open_engine(tmp_db, migrate=False)
    with pytest.raises(StoreError, match="저장하지 못했습니다") as caught:
        save_report(unmigrated, make_report())
    assert str(tmp_db) in str(caught.value)
    with pytest.raises(StoreError, match="읽지 못했습니다"):
        report_years(unmigrated)


def test_damaged_rows_are_reported_not_crashed_on(engine: Engine) -> None:
    save_report(engine, make_report())
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE budget_line SET q2_kind = 'sideways' WHERE position = 0")
    with pytest.raises(StoreError, match="2024년 보고서 자료가 올바르지 않습니다"):
        load_report(engine)
