"""Stable identity (issue 13, item 1): a package issued before the office renumbered programs still merges right.

The department's submission changes 1-1 as issued. The office then swaps
1-1 and 1-2 (order and codes) in its report. Merging the submission changes
the program it was issued for (by its permanent id), now numbered 1-2, and
leaves the program now numbered 1-1 as it was; the audit log follows the
program across the renumbering.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from seri_desktop.cli import main
from seri_desktop.store.audit import AuditAction, program_audit
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report
from tests.helpers.db import swap_first_two_programs


def test_a_submission_merges_into_its_program_after_the_office_renumbered(
    office_copy: Path, exchange_template: dict[str, Path]
) -> None:
    engine = create_engine_for(office_copy)
    try:
        report = load_report(engine, 2024)
        assert report is not None
        other_before = copy.deepcopy(report.chapters[0].programs[1])
    finally:
        engine.dispose()
    issued_uid, other_uid = swap_first_two_programs(office_copy)

    assert main(["merge", "--db", str(office_copy), str(exchange_template["submission"]), "--accept-all"]) == 0

    engine = create_engine_for(office_copy)
    try:
        merged = load_report(engine, 2024)
        assert merged is not None
        target = merged.program_by_uid(issued_uid)
        assert target is not None and target.code == "1-2"
        assert any(i.text.endswith(" (부서 수정)") for i in target.achievements)
        untouched = merged.program_by_uid(other_uid)
        assert untouched is not None and untouched.code == "1-1"
        assert untouched.achievements == other_before.achievements
        history = program_audit(engine, 2024, "1-2")  # its code now
        assert any(e.action == AuditAction.FIELD and e.item == issued_uid for e in history)
        assert all(e.item == issued_uid for e in history)
    finally:
        engine.dispose()


def test_a_submission_merges_after_the_office_restructured_with_the_structure_command(
    office_copy: Path, exchange_template: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The package was issued with 1-1 changed; the office then adds a program in front and moves the old 1-1 last."""
    engine = create_engine_for(office_copy)
    try:
        before = load_report(engine, 2024)
        assert before is not None
        issued_uid = before.chapters[0].programs[0].uid
        others = {p.uid: copy.deepcopy(p) for p in before.chapters[0].programs[1:]}
    finally:
        engine.dispose()

    db = str(office_copy)
    assert main(["structure", "add-program", "--db", db, "--chapter", "1", "--title", "새 정책 사업", "--position", "1"]) == 0
    assert main(["structure", "move-program", "--db", db, "1-2", "--to-chapter", "1", "--position", "4"]) == 0
    assert "번호 바뀜: 1-2 → 1-4 서울교육정책 연구·나눔" in capsys.readouterr().out

    assert main(["merge", "--db", db, str(exchange_template["submission"]), "--accept-all"]) == 0

    engine = create_engine_for(office_copy)
    try:
        merged = load_report(engine, 2024)
        assert merged is not None
        assert [p.code for p in merged.chapters[0].programs] == ["1-1", "1-2", "1-3", "1-4"]
        target = merged.program_by_uid(issued_uid)
        assert target is not None and target.code == "1-4"
        assert any(i.text.endswith(" (부서 수정)") for i in target.achievements)
        for uid, old in others.items():
            now = merged.program_by_uid(uid)
            assert now is not None and now.achievements == old.achievements
        new = merged.chapters[0].programs[0]
        assert new.title == "새 정책 사업" and not new.achievements
        history = program_audit(engine, 2024, "1-4")
        assert any(e.old == "1-2" and e.new == "1-4" for e in history)
        assert any(e.action == AuditAction.MERGE or e.submission for e in history)
    finally:
        engine.dispose()
