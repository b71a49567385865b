"""Autosave writes for the office's editors: front matter with the cover, one department's section II."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import time

import pytest
from sqlalchemy import Engine

from seri_desktop.domain.model import (
    Cell,
    CellKind,
    HistoryEntry,
    ItemKind,
    OutlineItem,
    SimpleTable,
    SummaryRow,
    new_uid,
)
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.editing import DepartmentNotFoundError, save_department, save_front_matter
from seri_desktop.store.engine import StoreError
from seri_desktop.store.repository import ReportNotFoundError, load_report, save_report
from tests.helpers.db import row_counts
from tests.helpers.reports import make_report


def test_front_matter_round_trip(engine: Engine) -> None:
    report = make_report()
    save_report(engine, report)
    counts = row_counts(engine)
    edited = copy.deepcopy(report)
    edited.title = "주요업무보고(수정)"
    edited.meeting = "제327회 서울특별시의회"
    edited.subtitle = "한 줄\n두 줄"
    edited.as_of = dt.date(2024, 10, 1)
    front = edited.front
    front.history.append(HistoryEntry("2024. 9. 1.", "새 연혁"))
    front.organization = "원장\n  부서 하나"
    front.staffing = SimpleTable("(단위: 명)", [["구분", "계"]], [["정원", "9"], ["현원", "8"]])
    front.facilities.rows[0][1] = "2,000㎡"
    front.staffing_notes = [OutlineItem(0, ItemKind.NOTE, "새 주석"), OutlineItem(1, ItemKind.ITEM, "하위")]
    front.budget_summary.pop()
    front.budget_summary[0].current = Cell.amount(-5)

    save_front_matter(engine, edited)

    loaded = load_report(engine)
    assert loaded == edited
    after = row_counts(engine)
    assert after["history_entry"] == counts["history_entry"] + 1
    assert after["summary_row"] == counts["summary_row"] - 1
    # Nothing of the programs or departments was rewritten.
    for table in ("program", "budget_line", "target_row", "department", "chapter", "author_entry"):
        assert after[table] == counts[table]


def test_front_matter_failure_changes_nothing(engine: Engine) -> None:
    report = make_report()
    save_report(engine, report)
    edited = copy.deepcopy(report)
    edited.front.organization = "바뀌면 안 됨"
    edited.front.budget_summary.append(SummaryRow("9-9", "x", quarters=[Cell()]))  # 1 quarter: refused
    with pytest.raises(StoreError, match="분기 칸이 1개"):
        save_front_matter(engine, edited)
    assert load_report(engine) == report

    edited = copy.deepcopy(report)
    edited.layout = {"bad": object()}
    with pytest.raises(StoreError, match="layout"):
        save_front_matter(engine, edited)
    assert load_report(engine) == report


def test_front_matter_of_a_missing_year(engine: Engine) -> None:
    save_report(engine, make_report())
    with pytest.raises(ReportNotFoundError, match="2023년"):
        save_front_matter(engine, make_report(2023))


def test_department_round_trip(engine: Engine) -> None:
    report = make_report()
    save_report(engine, report)
    counts = row_counts(engine)
    department = copy.deepcopy(report.departments[1])
    department.results = [OutlineItem(1, ItemKind.ITEM, "새 성과"), OutlineItem(2, ItemKind.ITEM, "하위\n두 줄")]
    department.limits = [OutlineItem(0, ItemKind.TABLE, "", [["가", "나"], ["1", "△2"]])]
    department.layout = {"title": "평가"}

    save_department(engine, 2024, department)

    loaded = load_report(engine)
    assert loaded is not None
    assert loaded.departments[1] == department
    assert loaded.departments[0] == report.departments[0]
    assert loaded.chapters == report.chapters
    assert loaded.front == report.front
    assert row_counts(engine)["outline_item"] == counts["outline_item"] + 3


def test_department_errors_change_nothing(engine: Engine) -> None:
    report = make_report()
    save_report(engine, report)
    with pytest.raises(DepartmentNotFoundError, match="없는부"):
        # A department is found by its permanent id, then by its name: neither is stored.
        save_department(engine, 2024, dataclasses.replace(report.departments[0], name="없는부", uid=new_uid()))
    with pytest.raises(ReportNotFoundError):
        save_department(engine, 2030, report.departments[0])
    bad = copy.deepcopy(report.departments[0])
    bad.results = [OutlineItem(0, "heading", "x")]  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="알 수 없는 항목 종류"):
        save_department(engine, 2024, bad)
    assert load_report(engine) == report


def test_saves_are_fast_on_the_real_report(engine: Engine, imported_2024: ImportResult) -> None:
    # Autosave runs these after a pause in typing: they must not be felt.
    report = copy.deepcopy(imported_2024.report)
    save_report(engine, report)
    report.front.history[0].text += " (수정)"
    report.departments[0].results[0].text += " (수정)"
    start = time.perf_counter()
    for _ in range(5):
        save_front_matter(engine, report)
        save_department(engine, report.year, report.departments[0])
    per_pair = (time.perf_counter() - start) / 5
    assert per_pair < 0.25  # ~10 ms here; generous for a loaded CI runner
    loaded = load_report(engine)
    assert loaded is not None
    assert loaded.front == report.front
    assert loaded.departments == report.departments
    assert loaded.front.budget_summary[0].current.kind is CellKind.AMOUNT
