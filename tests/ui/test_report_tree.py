"""The outline rows of a report and the Qt tree model built from them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from seri_desktop.domain.model import Chapter, Program, Report
from seri_desktop.ui.qtmodels.report_tree import (
    KeyRole,
    ReportTreeModel,
    RowKind,
    TreeRow,
    chapter_for_key,
    keyed_programs,
    program_for_key,
    rows_for_report,
)


def test_rows_for_report(sample_report: Report) -> None:
    rows = rows_for_report(sample_report)
    assert [(r.kind, r.label, r.parent_key) for r in rows] == [
        (RowKind.SECTION, "I. 일반 현황", None),
        (RowKind.SECTION, "II. 업무 평가 및 개선 방향", None),
        (RowKind.DEPARTMENT, "교육연구부", "section:evaluation"),
        (RowKind.DEPARTMENT, "정책지원부", "section:evaluation"),
        (RowKind.SECTION, "III. 주요업무", None),
        (RowKind.CHAPTER, "1. 교육 연구 역량 강화", "section:programs"),
        (RowKind.PROGRAM, "1-1 미래교육 정책연구 강화", "chapter:1"),
        (RowKind.PROGRAM, "1-2 교원 연수 운영", "chapter:1"),
        (RowKind.CHAPTER, "2. 교육정책 지원", "section:programs"),
        (RowKind.PROGRAM, "2-1 교육정책 현안 분석 및 지원", "chapter:2"),
    ]
    assert len({r.key for r in rows}) == len(rows)


def test_empty_report_still_has_the_three_sections() -> None:
    assert [r.label for r in rows_for_report(Report(year=2025))] == [
        "I. 일반 현황",
        "II. 업무 평가 및 개선 방향",
        "III. 주요업무",
    ]


def test_repeated_codes_keep_unique_keys_and_their_own_chapter() -> None:
    # Bad input the rules will flag: the tree must still show it faithfully.
    report = Report(
        year=2024,
        chapters=[
            Chapter(1, "가", "부", programs=[Program("1-1", "첫째", "부"), Program("1-1", "둘째", "부")]),
            Chapter(1, "나", "부", programs=[Program("2-1", "셋째", "부")]),
        ],
    )
    rows = rows_for_report(report)
    keys = [r.key for r in rows]
    assert len(set(keys)) == len(keys)
    programs = [r for r in rows if r.kind is RowKind.PROGRAM]
    assert programs[1].key == "program:1-1#2"
    assert programs[2].parent_key == "chapter:1#2"
    second = program_for_key(report, programs[1].key)
    assert second is not None and second.title == "둘째"
    chapter = chapter_for_key(report, "chapter:1#2")
    assert chapter is not None and chapter.title == "나"


def test_model_builds_the_tree(sample_report: Report) -> None:
    model = ReportTreeModel()
    model.set_rows(rows_for_report(sample_report))
    assert model.rowCount() == 3
    programs = model.index_for_key("section:programs")
    assert model.rowCount(programs) == 2
    chapter = model.index(0, 0, programs)
    assert chapter.data() == "1. 교육 연구 역량 강화"
    assert [model.index(i, 0, chapter).data() for i in range(model.rowCount(chapter))] == [
        "1-1 미래교육 정책연구 강화",
        "1-2 교원 연수 운영",
    ]
    program = model.index(1, 0, chapter)
    assert program.data(KeyRole) == "program:1-2"
    assert ReportTreeModel.kind_at(program) is RowKind.PROGRAM
    assert model.index_for_key("program:1-2") == program
    assert not model.index_for_key("program:9-9").isValid()
    # Read-only: the tree is a view of the stored report.
    assert not model.flags(program) & Qt.ItemFlag.ItemIsEditable

    model.set_rows([])
    assert model.rowCount() == 0
    assert model.all_keys() == []


def test_rows_update_in_place(sample_report: Report) -> None:
    model = ReportTreeModel()
    model.set_rows(rows_for_report(sample_report))
    assert model.columnCount() == 3
    index = model.index_for_key("program:1-2")
    assert model.update_row("program:1-2", label="1-2 새 제목", state="검토중", errors=2, warnings=1, readonly=True)
    assert index.data() == "1-2 새 제목"
    assert index.siblingAtColumn(1).data() == "검토중"
    assert index.siblingAtColumn(2).data() == "3"
    assert index.siblingAtColumn(2).data(Qt.ItemDataRole.ToolTipRole) == "오류 2개, 경고 1개"
    assert index.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#8a8a8a"
    assert index.siblingAtColumn(2).data(KeyRole) == "program:1-2"
    row = model.row("program:1-2")
    assert row is not None and (row.errors, row.warnings, row.readonly) == (2, 1, True)
    model.update_row("program:1-2", errors=0, warnings=0)
    assert index.siblingAtColumn(2).data() == ""
    assert not model.update_row("program:9-9", errors=1)


def test_keyed_programs_follow_the_tree(sample_report: Report) -> None:
    assert [key for key, _program in keyed_programs(sample_report)] == ["program:1-1", "program:1-2", "program:2-1"]


def test_model_rejects_rows_with_unknown_parent() -> None:
    model = ReportTreeModel()
    with pytest.raises(ValueError, match="unknown parent"):
        model.set_rows([TreeRow(RowKind.PROGRAM, "program:1-1", "1-1 x", "chapter:1")])
