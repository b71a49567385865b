"""The store's internal API: the ``*_in`` writers compose inside one caller's transaction.

What a unit of work (issue 12) will build on: several aggregates written in
one transaction, all or nothing; the one loader reading inside it; the edit
policy checked in the same transaction as the write.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import ItemKind, OutlineItem, new_uid
from seri_desktop.formats.text_export import export_report_text
from seri_desktop.store.content import (
    DepartmentNotFoundError,
    ProgramNotFoundError,
    ReportExistsError,
    find_report_in,
    load_report_in,
    save_front_matter_in,
    save_program_in,
    save_report_in,
    save_section_ii_in,
)
from seri_desktop.store.engine import transaction
from seri_desktop.store.repository import load_report, save_report
from seri_desktop.store.review import ProgramLockedError, save_program_checked, save_section_ii_checked, set_state
from seri_desktop.store.validation import InvalidContentError
from tests.helpers.db import row_counts
from tests.helpers.reports import make_report

RowCounts = Callable[[Engine], dict[str, int]]


def _state(engine: Engine, row_counts: RowCounts) -> tuple[str, dict[str, int]]:
    report = load_report(engine)
    assert report is not None
    return export_report_text(report), row_counts(engine)


def test_three_aggregates_in_one_transaction(engine: Engine) -> None:
    save_report(engine, make_report())
    with transaction(engine, write=True) as conn:
        stored = load_report_in(conn, 2024)
        report = stored.report
        program = report.chapters[1].programs[0]
        program.title = "한 번에 고친 제목"
        department = report.departments[0]
        department.limits = [OutlineItem(0, ItemKind.ITEM, "새 한계")]
        report.front.organization = "새 조직"
        save_program_in(conn, stored.id, program)
        save_section_ii_in(conn, stored.id, department)
        save_front_matter_in(conn, stored.id, report)
        # The loader sees the writes of its own transaction.
        again = find_report_in(conn, 2024)
        assert again is not None and again.report == report
    assert load_report(engine) == report


def test_a_refusal_in_the_last_writer_undoes_the_earlier_ones(
    engine: Engine
) -> None:
    save_report(engine, make_report())
    before = _state(engine, row_counts)
    with pytest.raises(DepartmentNotFoundError) as refused, transaction(engine, write=True) as conn:
        stored = load_report_in(conn, 2024)
        program = copy.deepcopy(stored.report.chapters[0].programs[0])
        program.title = "쓰였다가 되돌려질 제목"
        save_program_in(conn, stored.id, program)
        gone = copy.deepcopy(stored.report.departments[0])
        gone.name = "없는 부서"
        gone.uid = new_uid()  # a department is found by its permanent id (then by its name)
        save_section_ii_in(conn, stored.id, gone)
    assert refused.value.code == "department-not-found" and "2024년 보고서에 '없는 부서' 부서가 없습니다" in str(
        refused.value
    )
    assert _state(engine, row_counts) == before


def test_writers_refuse_with_stable_codes_and_change_nothing(
    engine: Engine
) -> None:
    save_report(engine, make_report())
    before = _state(engine, row_counts)
    with transaction(engine, write=False) as conn:
        stored = load_report_in(conn, 2024)
    unknown = copy.deepcopy(stored.report.chapters[0].programs[0])
    unknown.code = "9-9"
    unknown.uid = new_uid()  # a program is found by its permanent id (then by its code)
    bad = copy.deepcopy(stored.report.chapters[0].programs[0])
    bad.layout = {"pair": (1, 2)}
    for value, error, code in (
        (unknown, ProgramNotFoundError, "program-not-found"),
        (bad, InvalidContentError, "invalid"),
    ):
        with pytest.raises(error) as refused, transaction(engine, write=True) as conn:
            save_program_in(conn, stored.id, value)
        assert refused.value.code == code
    with pytest.raises(ReportExistsError) as exists, transaction(engine, write=True) as conn:
        save_report_in(conn, make_report())
    assert exists.value.code == "report-exists"
    assert _state(engine, row_counts) == before


def test_checked_writers_refuse_a_confirmed_item_in_the_same_transaction(
    engine: Engine
) -> None:
    report = make_report()
    save_report(engine, report)
    program = report.chapters[0].programs[0]
    department = report.departments[0]
    for state in ("제출됨", "확정"):
        set_state(engine, 2024, program.code, state, "검토자")
        set_state(engine, 2024, ItemRef.section_ii(department.name).key(), state, "검토자")
    before = _state(engine, row_counts)
    edited = copy.deepcopy(program)
    edited.title = "확정 뒤 고친 제목"
    with pytest.raises(ProgramLockedError) as locked:
        save_program_checked(engine, 2024, edited)
    assert locked.value.code == "locked" and "확정되어 수정할 수 없습니다" in str(locked.value)
    edited_department = copy.deepcopy(department)
    edited_department.results = []
    with pytest.raises(ProgramLockedError):
        save_section_ii_checked(engine, 2024, edited_department)
    assert _state(engine, row_counts) == before
    # Reopened, the same writes go through.
    set_state(engine, 2024, program.code, "검토중", "검토자")
    save_program_checked(engine, 2024, edited)
    loaded = load_report(engine)
    assert loaded is not None and loaded.chapters[0].programs[0].title == "확정 뒤 고친 제목"
