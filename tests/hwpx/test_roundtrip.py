"""A department's section out to HWPX, edited the way a 한글 user would, and back in: exactly those changes.

The edits (:mod:`tests.hwpx.hancom`) are made with python-hwpx on the exported file, as 한글 would make
them: a budget cell retyped, an outline item added by pressing Enter after
another (the new paragraph copies its neighbour's shape), a title retyped, a
target row deleted, and a heading with a paragraph the template has no place
for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from seri_desktop.cli import main
from seri_desktop.domain.model import Report
from seri_desktop.exchange.codec import program_to_dict
from seri_desktop.exchange.diff import ChangeKind
from seri_desktop.formats.hwpx.errors import HwpxError
from seri_desktop.formats.hwpx.intake import ACCEPT, RETURN, apply_hwpx, preview_hwpx
from seri_desktop.store.audit import AuditAction, audit_log
from seri_desktop.store.repository import load_report
from seri_desktop.store.review import review_states, set_state
from tests.helpers.db import engine_state
from tests.hwpx.hancom import edit_like_hancom, expected_report

pytestmark = pytest.mark.acceptance

DEPARTMENT = "교육정책연구소"


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
    office: Engine, report_2024: Report, department_file: Path
) -> None:
    edit_like_hancom(department_file, report_2024)
    text_before, _counts = engine_state(office)
    preview = preview_hwpx(office, department_file, DEPARTMENT)
    result = apply_hwpx(office, preview, {"1-1": RETURN}, {"1-1": "예산 근거를 보완하십시오"}, "기획팀")
    assert result.returned == ("1-1",) and result.accepted == ()
    assert engine_state(office)[0] == text_before
    assert review_states(office, 2024)["1-1"] == "반려"
    with pytest.raises(Exception, match="사유"):
        apply_hwpx(office, preview, {"1-2": RETURN}, {}, "기획팀")


def test_a_confirmed_program_is_neither_changed_nor_returned(
    office: Engine, report_2024: Report, department_file: Path
) -> None:
    edit_like_hancom(department_file, report_2024)
    set_state(office, 2024, "1-1", "제출됨", "기획팀")
    set_state(office, 2024, "1-1", "확정", "기획팀")
    before = engine_state(office)
    preview = preview_hwpx(office, department_file, DEPARTMENT)
    assert preview.programs[0].code == "1-1" and preview.programs[0].lock is not None
    # A return would move 확정 to 반려 and so unlock it: refused as the edit policy says, nothing applied.
    with pytest.raises(HwpxError, match="확정") as refused:
        apply_hwpx(office, preview, {"1-1": RETURN, "1-2": ACCEPT}, {"1-1": "다시 보십시오"}, "기획팀")
    assert refused.value.code == "locked"
    assert engine_state(office) == before
    with pytest.raises(HwpxError, match="결정은"):
        apply_hwpx(office, preview, {"1-2": "maybe"}, {}, "기획팀")
    assert engine_state(office) == before
    # Accepting it leaves it as it is and says so; the other programs are applied.
    result = apply_hwpx(office, preview, {"1-1": ACCEPT, "1-2": ACCEPT}, {}, "기획팀")
    assert result.locked == ("1-1",) and result.accepted == ("1-2",)
    stored = load_report(office, 2024)
    assert stored is not None
    assert program_to_dict(stored.program("1-1")) == program_to_dict(report_2024.program("1-1"))  # type: ignore[arg-type]
    assert review_states(office, 2024)["1-1"] == "확정"


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


def test_a_table_changed_in_shape_is_listed_and_its_part_kept(
    office: Engine, report_2024: Report, department_file: Path
) -> None:
    # In 한글 a column is added to 1-2's targets and one deleted from 1-3's budget: neither table can be
    # read as the template's, so both are listed with their program and section and nothing of them is
    # applied; the programs' other parts still read as they were.
    from hwpx import HwpxDocument

    from tests.hwpx.hancom import tables_after

    doc = HwpxDocument.open(department_file)
    targets = tables_after(doc, "1-2", "세부사업명")
    doc.tables.insert_columns(targets, targets.column_count - 1, side="right")
    targets.cell(0, targets.column_count - 1).text = "비고"
    budget = tables_after(doc, "1-3", "사업명")
    doc.tables.delete_columns(budget, budget.column_count - 1)
    doc.save_to_path(department_file)
    before = engine_state(office)
    preview = preview_hwpx(office, department_file, DEPARTMENT)
    assert [(u.program, u.section) for u in preview.unplaced] == [
        ("1-2", "추진 목표 (표 모양이 다름)"),
        ("1-3", "예산 집행 계획 (표 모양이 다름)"),
    ]
    assert "비고" in preview.unplaced[0].text
    assert all(p.changes == [] for p in preview.programs)
    result = apply_hwpx(office, preview, {p.code: ACCEPT for p in preview.programs}, {}, "기획팀")
    assert result.accepted == () and set(result.unchanged) == {"1-1", "1-2", "1-3"}
    assert engine_state(office)[0] == before[0]


def test_programs_are_matched_by_their_title_bars_when_the_ids_are_gone(
    office: Engine, report_2024: Report, department_file: Path, tmp_path: Path
) -> None:
    # 한글 may drop the cells' field names and an editor may clear 문서 정보's keyword: the codes printed in
    # the title bars still place every program, and the edits are read as before.
    import re
    import zipfile

    edit_like_hancom(department_file, report_2024)
    stripped = tmp_path / "stripped.hwpx"
    with zipfile.ZipFile(department_file) as old, zipfile.ZipFile(stripped, "w") as new:
        for info in old.infolist():
            payload = old.read(info.filename)
            if info.filename == "Contents/section0.xml":
                payload, fields = re.subn(rb'name="seri-program:[^"]*"', b'name=""', payload)
                assert fields == 3
            elif info.filename == "Contents/content.hpf":
                payload, keywords = re.subn(rb'(<opf:meta name="keyword"[^>]*>)[^<]*<', rb"\1<", payload)
                assert keywords == 1
            new.writestr(info, payload)
    original = preview_hwpx(office, department_file, DEPARTMENT)
    preview = preview_hwpx(office, stripped, DEPARTMENT)
    assert preview.reading.identity is None
    assert [p.code for p in preview.programs] == ["1-1", "1-2", "1-3"]
    assert [p.changes for p in preview.programs] == [p.changes for p in original.programs]
    assert [p.changes != [] for p in preview.programs] == [True, True, False]
    assert preview.unplaced == original.unplaced
