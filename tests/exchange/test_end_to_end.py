"""The whole loop on the 2024 report: five packages, five departments' edits, five submissions, one merge.

Each department edits one of its programs (an 추진 실적 item, a 추진 목표 cell
and a budget cell) and its section II (a new 성과 item) in its own package
database, through the domain model and the repository, as the app would.
The merged report must hold exactly those edits and nothing else, and the
audit log must list exactly those changed fields.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from sqlalchemy import Engine

from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Cell, ItemKind, OutlineItem, Program, Report
from seri_desktop.domain.rules.budget import column_labels
from seri_desktop.exchange.merge import ACCEPT, ItemStatus, MergeRequest, apply_merges, preview_merge
from seri_desktop.exchange.package import create_package
from seri_desktop.exchange.submission import create_submission
from seri_desktop.formats.text_export import outline_lines
from seri_desktop.store.audit import AuditAction, audit_log
from seri_desktop.store.exchange import package_department, report_identity
from seri_desktop.store.repository import load_report, save_program, save_report
from seri_desktop.store.review import ReviewState, review_states
from tests.helpers.types import OpenPath

OFFICE = "기획팀"
Edit = tuple[str, str, int | None, str, str, str]  # item, section, row, column, old, new


def _editable(program: Program) -> bool:
    return (
        program.budget is not None
        and bool(program.budget.lines)
        and program.budget.lines[0].quarters[3].amount.format() != "12,345"
        and program.targets is not None
        and bool(program.targets.rows)
        and any(i.kind is ItemKind.ITEM for i in program.achievements)
    )


def _printed(item: OutlineItem) -> str:
    return "\n".join(outline_lines([item]))


def _edit(report: Report, department: str) -> tuple[str, list[Edit]]:
    """Make one department's edits on ``report`` in place; returns the program's code and the expected changes."""
    program = next(p for p in report.programs() if p.department == department and _editable(p))
    code = program.code
    item = next(i for i in program.achievements if i.kind is ItemKind.ITEM)
    row = program.achievements.index(item) + 1
    old_item = _printed(item)
    item.text = f"{item.text} ({department} 보완)"
    edits: list[Edit] = [(code, "achievements", row, "", old_item, _printed(item))]

    assert program.targets is not None and program.budget is not None
    target = program.targets.rows[0]
    edits.append((code, "targets", 1, "물량", target.quantity, "99개"))
    target.quantity = "99개"

    quarter = program.budget.lines[0].quarters[3]
    edits.append((code, "budget", 1, column_labels(report.year)[5], quarter.amount.format(), "12,345"))
    quarter.amount = Cell.amount(12_345)

    section = report.department(department)
    assert section is not None
    new_item = OutlineItem(0, ItemKind.ITEM, f"{department}의 하반기 성과")
    section.results.append(new_item)
    edits.append((ItemRef.section_ii(department).key(), "results", len(section.results), "", "", _printed(new_item)))
    return code, edits


@pytest.mark.acceptance
def test_five_departments_submit_and_the_office_merges_exactly_their_edits(
    office_2024: Engine, tmp_path: Path, open_engine: OpenPath
) -> None:
    office = office_2024
    original = load_report(office, 2024)
    assert original is not None
    departments = [d.name for d in original.departments]
    assert len(departments) == 5
    # The import's own audit entry gave the report its id (since 0004 the log is chained per report id).
    assert report_identity(office, 2024) is not None

    expected = copy.deepcopy(original)
    expected_edits: list[Edit] = []
    edited_programs: dict[str, str] = {}
    submissions: list[Path] = []
    for department in departments:
        package = tmp_path / f"{department}.seripkg"
        issued = create_package(office, department, package, who=OFFICE)
        assert issued.report_id == report_identity(office, 2024)
        assert issued.programs == [p.code for p in original.programs() if p.department == department]

        dept_db = open_engine(package)
        assert package_department(dept_db) == department
        working = load_report(dept_db, 2024)
        assert working == original  # the whole report travels, for context
        code, edits = _edit(working, department)
        program = working.program(code)
        assert program is not None
        save_program(dept_db, 2024, program)  # the form's autosave path
        save_report(dept_db, working, replace=True)  # section II through the repository too
        _edit(expected, department)
        expected_edits += edits
        edited_programs[department] = code

        submission = tmp_path / f"{department}.serisub"
        create_submission(dept_db, submission, author=f"{department} 담당자")
        submissions.append(submission)

    previews = [preview_merge(office, path) for path in submissions]
    for preview, department in zip(previews, departments, strict=True):
        assert preview.department == department
        changed = {item.label for item in preview.items if item.status is ItemStatus.CHANGED}
        assert changed == {edited_programs[department], ItemRef.section_ii(department).key()}
        assert not preview.conflicts() and not preview.warnings
    requests = [MergeRequest(p, dict.fromkeys(p.pending(), ACCEPT)) for p in previews]
    results = apply_merges(office, requests, OFFICE)
    assert [sorted(r.accepted) for r in results] == [
        sorted([edited_programs[d], ItemRef.section_ii(d).key()]) for d in departments
    ]

    merged = load_report(office, 2024)
    assert merged == expected
    assert merged != original

    fields = [
        (e.item_code or e.item, e.section, e.row, e.column, e.old, e.new)
        for e in audit_log(office, 2024)
        if e.action == AuditAction.FIELD
    ]
    assert sorted(fields) == sorted(expected_edits)
    merges = [e for e in audit_log(office, 2024) if e.action == AuditAction.MERGE]
    assert len(merges) == 10
    assert all(e.who == OFFICE and e.detail is not None and e.detail["old_content"] for e in merges)

    states = review_states(office, 2024)
    assert set(states.values()) == {ReviewState.SUBMITTED.value}
    assert len(states) == 33


def test_the_package_file_is_a_working_database_for_every_command(
    exchange_template: dict[str, Path], tmp_path: Path
) -> None:
    from seri_desktop.cli import main

    package = exchange_template["package"]
    assert not Path(f"{package}-wal").exists()  # one self-contained file
    assert main(["info", "--db", str(package)]) == 0
    assert main(["export-text", "--db", str(package), "-o", str(tmp_path / "pkg.txt")]) == 0
    assert "(부서 수정)" in (tmp_path / "pkg.txt").read_text(encoding="utf-8")
    assert main(["check", "--db", str(package), "--program", "1-1"]) in (0, 1)
