"""A department's section out to HWPX, edited the way a 한글 user would, and back in: exactly those changes.

The edits are made with python-hwpx on the exported file, as 한글 would make
them: a budget cell retyped, an outline item added by pressing Enter after
another (the new paragraph copies its neighbour's shape), a title retyped, a
target row deleted, and a heading with a paragraph the template has no place
for.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hwpx import HwpxDocument
from sqlalchemy import Engine

from seri_desktop.cli import main
from seri_desktop.domain.model import Cell, ItemKind, OutlineItem, Report
from seri_desktop.exchange.codec import program_to_dict
from seri_desktop.exchange.diff import ChangeKind
from seri_desktop.formats.hwpx.intake import ACCEPT, RETURN, apply_hwpx, preview_hwpx
from seri_desktop.store.audit import AuditAction, audit_log
from seri_desktop.store.repository import load_report
from seri_desktop.store.review import review_states

pytestmark = pytest.mark.acceptance

DEPARTMENT = "교육정책연구소"


def bar_table(doc: HwpxDocument, code: str) -> Any:
    for paragraph in doc.paragraphs:
        for table in paragraph.tables:
            if table.row_count == 1 and table.cell(0, 0).text == code:
                return table
    raise AssertionError(f"no title bar {code}")


def tables_after(doc: HwpxDocument, code: str, header: str) -> Any:
    seen = False
    for paragraph in doc.paragraphs:
        for table in paragraph.tables:
            if table.row_count == 1 and table.cell(0, 0).text == code:
                seen = True
            elif seen and table.cell(0, 0).text == header:
                return table
    raise AssertionError(f"no table {header} after {code}")


def paragraph_index(doc: HwpxDocument, text: str) -> int:
    section = doc.sections[0]
    return next(n for n, p in enumerate(section.paragraphs) if p.text.strip() == text)


def edit_like_hancom(path: Path, report: Report) -> dict[str, Any]:
    """Make the five edits; returns what was changed, for the expectations."""
    doc = HwpxDocument.open(path)
    p1, p2, p3 = (report.program(c) for c in ("1-1", "1-2", "1-3"))
    assert p1 and p2 and p3 and p1.budget and p2.targets
    # 1. 1-1: the first budget line's 3분기 amount retyped.
    budget = tables_after(doc, "1-1", "사업명")
    old_amount = p1.budget.lines[0].quarters[2].amount.format()
    budget.cell(2, 5).text = "12,345"
    # 2. 1-1: an item added after the first 추진 실적 item: Enter at its end, then typing.
    first = next(i for i in p1.achievements if i.kind is ItemKind.ITEM and i.level == 1)
    section = doc.sections[0]
    at = paragraph_index(doc, f"- {' '.join(first.text.split())}")
    (added,) = section.insert_paragraphs(at + 1, [section.paragraphs[at]])
    added.text = "- 한글에서 더한 실적 항목"
    # 3. 1-2: the title retyped in its title bar.
    bar_table(doc, "1-2").cell(0, 1).text = "서울교육종단연구 2020 운영(수정)"
    # 4. 1-2: the last target row deleted.
    targets = tables_after(doc, "1-2", "세부사업명")
    removed = p2.targets.rows[-1]
    doc.tables.delete_rows(targets, targets.row_count - 1)
    # 5. 1-3: a heading and a paragraph the template has no place for, after its last section.
    doc.add_paragraph("□ 기타 건의 사항")
    doc.add_paragraph("연구비 집행 기준을 다시 안내해 주십시오.")
    doc.save_to_path(path)
    return {"old_amount": old_amount, "first": first, "removed": removed}


def expected_report(report: Report, edits: dict[str, Any]) -> Report:
    expected = copy.deepcopy(report)
    p1, p2 = expected.program("1-1"), expected.program("1-2")
    assert p1 and p1.budget and p2 and p2.targets
    p1.budget.lines[0].quarters[2].amount = Cell.parse("12,345")
    at = next(n for n, i in enumerate(p1.achievements) if i.text == edits["first"].text)
    p1.achievements.insert(at + 1, OutlineItem(1, ItemKind.ITEM, "한글에서 더한 실적 항목"))
    p2.title = "서울교육종단연구 2020 운영(수정)"
    p2.targets.rows.pop()
    return expected


def test_the_diff_shows_exactly_the_edits_and_applying_gives_the_expected_report(
    office: Engine, report_2024: Report, department_file: Path
) -> None:
    edits = edit_like_hancom(department_file, report_2024)
    preview = preview_hwpx(office, department_file, DEPARTMENT)
    assert "서명되지 않았습니다" in preview.notice
    changes = {
        p.code: [(c.section, c.kind, c.row, c.column, c.old, c.new) for c in p.changes] for p in preview.programs
    }
    achievements = report_2024.program("1-1").achievements  # type: ignore[union-attr]
    at = next(n for n, i in enumerate(achievements) if i.text == edits["first"].text)
    removed = edits["removed"]
    assert changes == {
        "1-1": [
            ("achievements", ChangeKind.ADDED, at + 2, "", "", "- 한글에서 더한 실적 항목"),
            ("budget", ChangeKind.CHANGED, 1, "3분기", edits["old_amount"], "12,345"),
        ],
        "1-2": [
            ("title", ChangeKind.CHANGED, None, "", "서울교육종단연구 2020 운영", "서울교육종단연구 2020 운영(수정)"),
            (
                "targets",
                ChangeKind.REMOVED,
                len(report_2024.program("1-2").targets.rows),  # type: ignore[union-attr]
                "",
                " | ".join((removed.name, removed.period, removed.quantity)),
                "",
            ),
        ],
        "1-3": [],
    }
    assert preview.section_ii is not None and preview.section_ii.changes == []
    # The paragraph outside the template is listed with its program and place, and applied nowhere.
    assert [(u.program, u.section, u.text) for u in preview.unplaced] == [
        ("1-3", "□ 기타 건의 사항", "□ 기타 건의 사항"),
        ("1-3", "□ 기타 건의 사항", "연구비 집행 기준을 다시 안내해 주십시오."),
    ]

    decisions = {key: ACCEPT for key in ("1-1", "1-2", "1-3", f"II:{DEPARTMENT}")}
    result = apply_hwpx(office, preview, decisions, {}, "기획팀")
    assert result.accepted == ("1-1", "1-2")
    assert set(result.unchanged) == {"1-3", f"II:{DEPARTMENT}"}
    stored = load_report(office, 2024)
    assert stored is not None
    expected = expected_report(report_2024, edits)
    for program in expected.programs():
        found = stored.program(program.code)
        assert found is not None
        assert program_to_dict(found) == program_to_dict(program), program.code
    fields = [e for e in audit_log(office, 2024) if e.action == AuditAction.FIELD]
    assert sorted((e.item_label, e.section) for e in fields) == [
        ("1-1", "achievements"),
        ("1-1", "budget"),
        ("1-2", "targets"),
        ("1-2", "title"),
    ]
    assert review_states(office, 2024)["1-1"] == "제출됨"


def test_reading_an_unchanged_export_changes_nothing(office: Engine, department_file: Path) -> None:
    preview = preview_hwpx(office, department_file, DEPARTMENT)
    assert [p.code for p in preview.programs] == ["1-1", "1-2", "1-3"]
    assert all(p.changes == [] for p in preview.programs)
    assert preview.unplaced == [] and preview.warnings == []


def test_return_records_the_reason_and_changes_no_content(
    office: Engine, report_2024: Report, department_file: Path, office_state: Callable[[Engine], Any]
) -> None:
    edit_like_hancom(department_file, report_2024)
    text_before, _counts = office_state(office)
    preview = preview_hwpx(office, department_file, DEPARTMENT)
    result = apply_hwpx(office, preview, {"1-1": RETURN}, {"1-1": "예산 근거를 보완하십시오"}, "기획팀")
    assert result.returned == ("1-1",) and result.accepted == ()
    assert office_state(office)[0] == text_before
    assert review_states(office, 2024)["1-1"] == "반려"
    with pytest.raises(Exception, match="사유"):
        apply_hwpx(office, preview, {"1-2": RETURN}, {}, "기획팀")


def test_cli_previews_and_applies(
    tmp_path: Path, office: Engine, report_2024: Report, department_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_like_hancom(department_file, report_2024)
    db = Path(str(office.url.database))
    assert main(["import-hwpx", "--db", str(db), str(department_file), "--department", DEPARTMENT, "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "서명되지 않았습니다" in out
    assert "[변경] 예산 집행 계획 1행 3분기" in out and "12,345" in out
    assert "자리를 찾지 못한 내용 2개" in out and "1-3 › □ 기타 건의 사항: 연구비 집행 기준을" in out
    assert main(["import-hwpx", "--db", str(db), str(department_file), "--department", DEPARTMENT, "--accept-all"]) == 0
    assert "반영 2개 (1-1, 1-2)" in capsys.readouterr().out
    stored = load_report(office, 2024)
    assert stored is not None and stored.program("1-2").title == "서울교육종단연구 2020 운영(수정)"  # type: ignore[union-attr]
    out_file = tmp_path / "out.hwpx"
    assert main(["export-hwpx", "--db", str(db), "--program", "1-2", "-o", str(out_file)]) == 0
    assert "1-2 사업을 한글(HWPX)로 내보냈습니다" in capsys.readouterr().out


def test_the_whole_report_reads_back_as_it_is(exported: dict[str, Any], report_2024: Report) -> None:
    from seri_desktop.exchange.diff import program_changes
    from seri_desktop.formats.hwpx.intake import overlay
    from seri_desktop.formats.hwpx.reader import read_hwpx

    reading = read_hwpx(exported[""].path)
    assert reading.year == 2024 and reading.unplaced == []
    assert [p.code for p in reading.programs] == [p.code for p in report_2024.programs()]
    for read in reading.programs:
        office = report_2024.program(read.code)
        assert office is not None
        assert program_changes(office, overlay(office, read), 2024) == [], read.code
    assert list(reading.section_ii) == [d.name for d in report_2024.departments]
