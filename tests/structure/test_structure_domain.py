"""The structure operations as plain functions, and the store's unit for them (issue 13, item 2).

On the parsed 2024 report: numbering after every operation, author blocks
that follow their programs, the input left untouched, a merge's section II,
and in the store: a stale structural write refused with nothing written,
a renamed department's review record and comments following it, undo
(``carry_structure``) of a merge.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from seri_desktop.domain import structure
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Report
from seri_desktop.formats.text_export import export_report_text
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import save_report
from seri_desktop.store.review import CommentTarget, add_comment, comments_for_department, review_statuses, set_state
from seri_desktop.store.unit import StaleWriteError, carry_structure, read_snapshot, save_structure_change
from tests.helpers.db import db_state


@pytest.fixture
def report(imported_2024: ImportResult) -> Report:
    return copy.deepcopy(imported_2024.report)


def numbering_holds(report: Report) -> bool:
    return all(
        chapter.number == n
        and [p.code for p in chapter.programs] == [f"{n}-{i}" for i in range(1, len(chapter.programs) + 1)]
        for n, chapter in enumerate(report.chapters, start=1)
    )


def test_operations_leave_their_input_alone_and_number_without_gaps(report: Report) -> None:
    text = export_report_text(report)
    changes = [
        structure.move_program_to(report, "4-9", 5, position=1),
        structure.move_program(report, "2-7", -1),
        structure.delete_chapter(report, 1, confirm=True),
        structure.move_chapter(report, 5, 1),
        structure.add_program(report, 3, "새 사업", copy_of="3-1", position=2),
        structure.delete_program(report, "4-1", confirm=True),
    ]
    assert export_report_text(report) == text
    for change in changes:
        assert numbering_holds(change.report), change.plan.summary
    moved = changes[0].plan
    assert [str(r) for r in moved.renumbered][:2] == [
        "4-9 → 5-1 디지털 역량 강화 교원 연수 지원(신규)",
        "5-1 → 5-2 K-에듀파인 및 기록관리시스템의 사용자 체감 지원",
    ]
    deleted = changes[2].plan
    assert deleted.removed == ("1-1 서울교육정책 연구·나눔", "1-2 서울교육종단연구 2020 운영", "1-3 위탁·현장연구 운영")
    assert "장 번호 바뀜: 2장 → 1장 학교평가 역량 제고 및 교원 전문성 향상 지원" in deleted.lines()


def test_an_author_block_of_one_program_travels_with_it(report: Report) -> None:
    # 4-9 has a block of its own (several departments: 교수학습정보부, 교육과정진로진학부, 나이스운영과).
    block = report.chapters[3].author_blocks[1]
    assert block.before_program == 8
    change = structure.move_program_to(report, "4-9", 5)
    chapter4, chapter5 = change.report.chapters[3], change.report.chapters[4]
    assert [b.before_program for b in chapter4.author_blocks] == [0]
    assert [(b.before_program, [e.name for e in b.entries]) for b in chapter5.author_blocks] == [
        (7, [e.name for e in block.entries])
    ]
    back = structure.move_program_to(change.report, "5-8", 4)
    assert [b.before_program for b in back.report.chapters[3].author_blocks] == [0, 8]
    assert back.report.chapters[4].author_blocks == []


def test_a_program_inserted_before_a_block_joins_the_run_before_it(report: Report) -> None:
    # Chapter 3: blocks at 0 (3-1..3-3) and 3 (3-4..3-7). A program put in place 4 joins the first run.
    change = structure.add_program(report, 3, "새 진로 사업", position=4)
    assert [b.before_program for b in change.report.chapters[2].author_blocks] == [0, 4]
    first = structure.add_program(report, 3, "맨 앞 사업", position=1)
    assert [b.before_program for b in first.report.chapters[2].author_blocks] == [0, 4]


def test_listed_programs_are_dropped_where_the_programs_changed(report: Report) -> None:
    change = structure.move_program(report, "2-1", 1)
    assert change.report.chapters[1].listed_programs == []
    assert change.report.chapters[0].listed_programs == report.chapters[0].listed_programs


def test_merge_appends_section_ii_and_moves_everything(report: Report) -> None:
    gone, kept = report.department("교육정보화부"), report.department("교수학습정보부")
    assert gone is not None and kept is not None
    change = structure.merge_departments(report, "교육정보화부", "교수학습정보부")
    merged = change.report.department("교수학습정보부")
    assert merged is not None and change.report.department("교육정보화부") is None
    assert merged.results == kept.results + gone.results
    assert [d.order for d in change.report.departments] == [1, 2, 3, 4]
    assert change.report.chapters[4].department == "교수학습정보부"
    assert change.departments == frozenset({kept.uid})


@pytest.fixture
def db(tmp_db: Path, report: Report) -> Path:
    engine = create_engine_for(tmp_db)
    save_report(engine, report)
    engine.dispose()
    return tmp_db


def test_a_stale_structural_write_is_refused_and_writes_nothing(
    db: Path
) -> None:
    engine = create_engine_for(db)
    try:
        first, second = read_snapshot(engine), read_snapshot(engine)
        one = structure.move_program(first.report, "1-1", 1)
        save_structure_change(
            engine, first, one.report, summary=one.plan.summary, plan=one.plan.lines(), who=None, via="cli"
        )
        before = db_state(db, 2024)
        other = structure.add_chapter(second.report, "늦은 장", "기획평가부")
        with pytest.raises(StaleWriteError):
            save_structure_change(
                engine, second, other.report, summary=other.plan.summary, plan=other.plan.lines(), who=None, via="cli"
            )
        assert db_state(db, 2024) == before
    finally:
        engine.dispose()


def test_a_renamed_department_keeps_its_review_record_and_comments(db: Path) -> None:
    engine = create_engine_for(db)
    try:
        old = ItemRef.section_ii("교수학습정보부")
        add_comment(engine, 2024, CommentTarget(None, department="교수학습정보부"), "성과를 숫자로", "검토자")
        set_state(engine, 2024, old.key(), "제출됨", "검토자")
        base = read_snapshot(engine)
        change = structure.rename_department(base.report, "교수학습정보부", "교수학습지원부")
        save_structure_change(engine, base, change.report, summary=change.plan.summary, plan=[], who=None, via="cli")
        statuses = review_statuses(engine, 2024)
        assert statuses[ItemRef.section_ii("교수학습지원부").key()].state == "제출됨"
        assert old.key() not in statuses
        assert [c.text for c in comments_for_department(engine, 2024, "교수학습지원부")] == ["성과를 숫자로"]
    finally:
        engine.dispose()


def test_undoing_a_merge_brings_the_department_back(db: Path) -> None:
    before_text = db_state(db, 2024)[0]
    engine = create_engine_for(db)
    try:
        base = read_snapshot(engine)
        change = structure.merge_departments(base.report, "교육정보화부", "교수학습정보부")
        save_structure_change(engine, base, change.report, summary=change.plan.summary, plan=[], who=None, via="cli")
        now = read_snapshot(engine)
        assert now.report.department("교육정보화부") is None
        undone = carry_structure(now.report, base.report, programs=change.programs, departments=change.departments)
        save_structure_change(engine, now, undone, summary="되돌리기", plan=[], who=None, via="cli")
    finally:
        engine.dispose()
    assert db_state(db, 2024)[0] == before_text
