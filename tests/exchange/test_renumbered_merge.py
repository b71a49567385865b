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
