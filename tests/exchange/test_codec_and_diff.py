"""The canonical JSON codec round-trips exactly; the diff names the places that changed."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from seri_desktop.domain import model as m
from seri_desktop.exchange.codec import (
    PayloadError,
    SectionII,
    canonical_bytes,
    program_from_dict,
    program_sha256,
    program_to_dict,
    section_ii_from_dict,
    section_ii_sha256,
    section_ii_to_dict,
)
from seri_desktop.exchange.diff import ChangeKind, FieldChange, outline_changes, program_changes, section_ii_changes
from seri_desktop.formats.text_import import ImportResult


def _odd_program() -> m.Program:
    """Every corner the store keeps: None vs empty tables, all cell kinds, tables in outlines, a layout."""
    return m.Program(
        code="9-1",
        title="경계 사업",
        department="부서",
        overview=m.Overview(
            lead=[m.OutlineItem(0, m.ItemKind.TEXT, "머리글\n두 줄")],
            contents=[m.OutlineItem(1, m.ItemKind.TABLE, "", table=[["구분", "값"], ["a", "△3"]])],
        ),
        targets=m.Targets(qualifier="(누적)", rows=[m.TargetRow("", "", "")]),
        budget=m.BudgetTable(
            unit="천원",
            as_of=dt.date(2024, 6, 30),
            lines=[
                m.BudgetLine(
                    "운영비",
                    m.Cell.amount(-1_234),
                    m.Cell(m.CellKind.NONE),
                    [
                        m.Quarter(m.Cell(m.CellKind.REALLOCATED), "교육지원청"),
                        m.Quarter(m.Cell(m.CellKind.INVALID, raw="미정"), ""),
                        m.Quarter(m.Cell.amount(2**40)),
                        m.Quarter(m.Cell(m.CellKind.NON_BUDGET)),
                    ],
                    page="추경",
                    notes_below=True,
                )
            ],
            printed_total=m.BudgetTotal(previous=m.Cell(m.CellKind.INVALID, raw="합계?")),
            notes=[m.OutlineItem(0, m.ItemKind.NOTE, "예산 주석")],
        ),
        layout={"header_split": True, "headings": {"plan": ["", ""]}, "ratio": 0.5, "none": None},
    )


@pytest.mark.acceptance
def test_every_2024_program_and_section_ii_round_trips_exactly(imported_2024: ImportResult) -> None:
    report = imported_2024.report
    for program in report.programs():
        data = program_to_dict(program)
        # Through bytes, as the payload travels.
        again = program_from_dict(json.loads(canonical_bytes(data)))
        assert again == program, program.code
        assert program_sha256(again) == program_sha256(program)
    for department in report.departments:
        section = SectionII.of(department)
        assert section_ii_from_dict(json.loads(canonical_bytes(section_ii_to_dict(section)))) == section


def test_corner_cases_round_trip_and_bytes_are_canonical() -> None:
    program = _odd_program()
    assert program_from_dict(json.loads(canonical_bytes(program_to_dict(program)))) == program
    assert program_from_dict(program_to_dict(m.Program("9-2", "빈 사업", "부서"))) == m.Program("9-2", "빈 사업", "부서")
    data = canonical_bytes(program_to_dict(program))
    assert b": " not in data and "경계 사업".encode() in data  # compact, Korean unescaped
    reordered = json.loads(data, object_pairs_hook=lambda pairs: dict(reversed(pairs)))
    assert canonical_bytes(reordered) == data  # key order never matters
    changed = copy.deepcopy(program)
    changed.title = "다른 제목"
    assert program_sha256(changed) != program_sha256(program)
    assert section_ii_sha256(SectionII("부서")) != section_ii_sha256(SectionII("다른 부서"))


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d.pop("title"), ["9-1 사업", "'title' 값이 없습니다"]),
        (lambda d: d["overview"]["purpose"].append({"level": -1, "kind": "item", "text": "x"}), ["목적", "level"]),
        (lambda d: d["overview"]["purpose"].append({"level": 0, "kind": "odd", "text": "x"}), ["알 수 없는 항목 종류"]),
        (lambda d: d["budget"]["lines"][0]["quarters"].pop(), ["분기 칸이 3개"]),
        (lambda d: d["budget"].update(as_of="2024-13-01"), ["기준일"]),
        (lambda d: d["targets"]["rows"][0].update(quantity=3), ["추진 목표 1행", "quantity"]),
        (lambda d: d["budget"]["lines"][0].update(notes_below="yes"), ["notes_below"]),
        (lambda d: d.update(layout=[]), ["layout"]),
    ],
)
def test_bad_values_name_their_place(mutate: object, words: list[str]) -> None:
    data = program_to_dict(_odd_program())
    mutate(data)  # type: ignore[operator]
    with pytest.raises(PayloadError) as refused:
        program_from_dict(data)
    for word in words:
        assert word in str(refused.value)


def test_outline_diff_aligns_inserted_items() -> None:
    old = [m.OutlineItem(0, m.ItemKind.ITEM, f"항목 {n}") for n in range(5)]
    new = copy.deepcopy(old)
    new.insert(2, m.OutlineItem(1, m.ItemKind.ITEM, "끼운 항목"))
    new[4].text = "항목 3 고침"
    del new[5]
    assert outline_changes("plan.items", old, new) == [
        FieldChange("plan.items", ChangeKind.ADDED, 3, "", "", "- 끼운 항목"),
        FieldChange("plan.items", ChangeKind.CHANGED, 5, "", "○ 항목 3", "○ 항목 3 고침"),
        FieldChange("plan.items", ChangeKind.REMOVED, 5, "", "○ 항목 4", ""),
    ]


def test_program_diff_shows_table_cells_old_to_new(imported_2024: ImportResult) -> None:
    old = imported_2024.report.program("2-5")
    assert old is not None and old.budget is not None and old.targets is not None
    new = copy.deepcopy(old)
    assert new.budget is not None and new.targets is not None
    new.title = "새 제목"
    new.targets.rows[1].period = "연중"
    new.budget.lines[0].quarters[3].amount = m.Cell(m.CellKind.NONE)
    new.budget.lines[0].quarters[3].note = "없음"
    new.budget.lines.append(m.BudgetLine("추가 사업", m.Cell.amount(10)))
    changes = program_changes(old, new, 2024)
    described = [c.describe() for c in changes]
    assert described[0] == f"[변경] 제목: {old.title} → 새 제목"
    assert f"[변경] 추진 목표 2행 추진시기: {old.targets.rows[1].period} → 연중" in described
    assert "[변경] 예산 집행 계획 1행 4분기: 11,626 → -" in described
    assert "[변경] 예산 집행 계획 1행 4분기 집행내용: 보고서 심사 → 없음" in described
    added = [c for c in changes if c.kind is ChangeKind.ADDED]
    assert len(added) == 1 and added[0].row == len(new.budget.lines) and "추가 사업" in added[0].new
    assert program_changes(old, copy.deepcopy(old), 2024) == []


def test_section_ii_diff() -> None:
    old = SectionII("부서", results=[m.OutlineItem(0, m.ItemKind.ITEM, "성과 1")])
    new = SectionII(
        "부서", results=[m.OutlineItem(0, m.ItemKind.ITEM, "성과 1")], limits=[m.OutlineItem(0, m.ItemKind.ITEM, "한계")]
    )
    assert section_ii_changes(old, new) == [FieldChange("limits", ChangeKind.ADDED, 1, "", "", "○ 한계")]
    assert section_ii_changes(old, new)[0].place() == "한계 1행"
