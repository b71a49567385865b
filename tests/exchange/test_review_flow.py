"""Revisions and review: conflicts, the office's newer copy, returns with comments, locks, older submissions."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from seri_desktop.exchange.errors import MergeError
from seri_desktop.exchange.merge import ACCEPT, RETURN, ItemStatus, apply_merge, preview_merge
from seri_desktop.exchange.package import changes_since_issue, create_package
from seri_desktop.exchange.submission import create_submission
from seri_desktop.store.audit import AuditAction, audit_log, program_audit
from seri_desktop.store.content import load_report_in, save_program_in
from seri_desktop.store.engine import transaction
from seri_desktop.store.repository import load_report
from seri_desktop.store.review import (
    ProgramLockedError,
    ReviewState,
    comments_for_program,
    is_locked,
    lock_reason,
    review_states,
    save_program_checked,
    set_state,
)
from tests.helpers.db import edit_stored, engine_state
from tests.helpers.reports import edit_first_item
from tests.helpers.types import OpenPath

DEPARTMENT = "교육정책연구소"
OFFICE = "기획팀"


def _code(engine: Engine, key: str) -> str:
    """The code the program of ``key`` (its id) has in ``engine``'s report now."""
    report = load_report(engine, 2024)
    assert report is not None
    program = report.program_by_uid(key)
    return program.code if program is not None else key


def _issue(office: Engine, tmp_path: Path, open_engine: OpenPath, name: str = "pkg") -> Engine:
    path = tmp_path / f"{name}.seripkg"
    create_package(office, DEPARTMENT, path, who=OFFICE)
    return open_engine(path)


def _submit(package: Engine, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.serisub"
    create_submission(package, path, author="홍길동")
    return path


def test_conflict_is_shown_and_never_overwritten_silently(
    office_2024: Engine, tmp_path: Path, open_engine: OpenPath
) -> None:
    office = office_2024
    package = _issue(office, tmp_path, open_engine)
    # After issuing: the office edits 1-1 and 1-3 through the form's path; the department edits 1-1 and 1-2.
    edit_stored(office, "1-1", " (기획 부서 수정)")
    edit_stored(office, "1-3", " (기획 부서만 수정)")
    edit_stored(package, "1-1", " (부서 수정)", "schedule")
    edit_stored(package, "1-2", " (부서 수정)")
    mine = {_code(package, key): changes for key, changes in changes_since_issue(package).items()}
    assert sorted(mine) == ["1-1", "1-2"] and "(부서 수정)" in mine["1-2"][0].new
    submission = _submit(package, tmp_path, "s1")

    preview = preview_merge(office, submission)
    statuses = {item.label: item.status for item in preview.items}
    assert statuses == {
        "1-1": ItemStatus.CONFLICT,
        "1-2": ItemStatus.CHANGED,
        "1-3": ItemStatus.KEPT,  # the department did not touch it: the office's copy stays
        "II:교육정책연구소": ItemStatus.UNCHANGED,
    }
    conflict = preview.item("1-1")
    assert any("(기획 부서 수정)" in c.new for c in conflict.office_changes)
    assert any("(부서 수정)" in c.new for c in conflict.department_changes)
    assert any("덮어써집니다" in w for w in conflict.warnings)
    assert preview.pending() == ["1-1", "1-2"]

    before = engine_state(office)
    with pytest.raises(MergeError) as refused:
        apply_merge(office, preview, {"1-1": ACCEPT, "1-2": ACCEPT}, {}, OFFICE)
    assert refused.value.code == "conflict" and "1-1" in str(refused.value)
    with pytest.raises(MergeError, match="정하지 않은 항목"):
        apply_merge(office, preview, {"1-2": ACCEPT}, {}, OFFICE)
    assert engine_state(office) == before

    result = apply_merge(
        office,
        preview,
        {"1-1": RETURN, "1-2": ACCEPT},
        {"1-1": "기획 부서 수정과 겹칩니다. 새 꾸러미로 다시 작성하십시오."},
        OFFICE,
    )
    assert result.accepted == ("1-2",) and result.returned == ("1-1",)
    report = load_report(office, 2024)
    assert report is not None
    texts = {code: repr(report.program(code)) for code in ("1-1", "1-2", "1-3")}
    assert "(기획 부서 수정)" in texts["1-1"] and "(부서 수정)" not in texts["1-1"]
    assert "(부서 수정)" in texts["1-2"]
    assert "(기획 부서만 수정)" in texts["1-3"]
    assert review_states(office, 2024)["1-1"] == ReviewState.RETURNED
    # The office's own edits went through the unit of work: audited field by field (path "window"),
    # so nothing is left for the hash check to detect after the fact.
    log = audit_log(office, 2024)
    assert not [e for e in log if e.action == AuditAction.DETECTED_EDIT]
    edited = {e.item_code for e in log if e.action == AuditAction.FIELD and e.via == "window"}
    assert sorted(edited) == ["1-1", "1-3"]


def test_a_conflict_is_overwritten_only_when_asked_and_the_old_content_is_kept(
    office_2024: Engine, tmp_path: Path, open_engine: OpenPath
) -> None:
    office = office_2024
    package = _issue(office, tmp_path, open_engine)
    edit_stored(office, "1-1", " (기획 부서 수정)")
    edit_stored(package, "1-1", " (부서 수정)", "schedule")
    preview = preview_merge(office, _submit(package, tmp_path, "s1"))
    apply_merge(office, preview, {"1-1": ACCEPT}, {}, OFFICE, overwrite={"1-1"})

    report = load_report(office, 2024)
    assert report is not None and "(부서 수정)" in repr(report.program("1-1"))
    merge = next(e for e in program_audit(office, 2024, "1-1") if e.action == AuditAction.MERGE)
    assert merge.detail is not None and merge.detail["overwrote_office_edit"] is True
    assert "(기획 부서 수정)" in repr(merge.detail["old_content"])


def test_the_preview_is_stale_when_the_office_edits_after_it(
    office_copy: Path,
    exchange_template: dict[str, Path],
    open_engine: OpenPath,
) -> None:
    office = open_engine(office_copy)
    preview = preview_merge(office, exchange_template["submission"])
    edit_stored(office, "1-1", " (미리보기 뒤 수정)", "schedule")
    before = engine_state(office)
    with pytest.raises(MergeError) as stale:
        apply_merge(office, preview, {"1-1": ACCEPT}, {}, OFFICE)
    assert stale.value.code == "stale-preview"
    assert engine_state(office) == before


def test_return_with_comment_travels_in_the_next_package(
    office_2024: Engine, tmp_path: Path, open_engine: OpenPath
) -> None:
    office = office_2024
    first = _issue(office, tmp_path, open_engine, "first")
    edit_stored(first, "1-2", " (1차 작성)")
    preview = preview_merge(office, _submit(first, tmp_path, "s1"))
    reason = "예산 산출 근거를 추진 실적에 보완하십시오."
    apply_merge(office, preview, {"1-2": RETURN}, {"1-2": reason}, OFFICE)
    assert review_states(office, 2024)["1-2"] == ReviewState.RETURNED
    report = load_report(office, 2024)
    assert report is not None and "(1차 작성)" not in repr(report.program("1-2"))

    second = _issue(office, tmp_path, open_engine, "second")
    comments = comments_for_program(second, 2024, "1-2")
    assert [(c.text, c.author, c.target.code) for c in comments] == [(reason, OFFICE, "1-2")]
    assert comments[0].id == comments_for_program(office, 2024, "1-2")[0].id
    assert review_states(second, 2024)["1-2"] == ReviewState.RETURNED

    edit_stored(second, "1-2", " (보완함)")
    preview = preview_merge(office, _submit(second, tmp_path, "s2"))
    assert preview.item("1-2").status is ItemStatus.CHANGED
    apply_merge(office, preview, {"1-2": ACCEPT}, {}, OFFICE)
    assert review_states(office, 2024)["1-2"] == ReviewState.SUBMITTED
    states = [(e.old, e.new) for e in program_audit(office, 2024, "1-2") if e.action == AuditAction.STATE]
    assert states == [("작성중", "반려"), ("반려", "제출됨")]


def test_a_second_submission_from_the_same_package_is_no_conflict_and_an_older_one_warns(
    office_2024: Engine, tmp_path: Path, open_engine: OpenPath
) -> None:
    office = office_2024
    package = _issue(office, tmp_path, open_engine)
    edit_stored(package, "1-1", " (1차)")
    older = _submit(package, tmp_path, "older")
    edit_stored(package, "1-1", " (2차)", "schedule")
    newer = _submit(package, tmp_path, "newer")

    preview = preview_merge(office, newer)
    apply_merge(office, preview, {"1-1": ACCEPT}, {}, OFFICE)
    edit_stored(package, "1-1", " (3차)")
    third = preview_merge(office, _submit(package, tmp_path, "third"))
    assert third.item("1-1").status is ItemStatus.CHANGED  # builds on its own merged submission

    # Since issue 12 an older submission no longer merges over a newer one (it only warned before):
    # it is refused per item unless the office forces it.
    stale = preview_merge(office, older)
    assert stale.item("1-1").status is ItemStatus.OLDER and stale.item("1-1").underlying is ItemStatus.CHANGED
    assert any("나중에 만든 제출" in w for w in stale.item("1-1").warnings)
    assert stale.warnings


def test_confirmed_locks_editing_until_reopened(
    office_2024: Engine, tmp_path: Path, open_engine: OpenPath
) -> None:
    office = office_2024
    with pytest.raises(Exception, match="바꿀 수 없습니다"):
        set_state(office, 2024, "1-1", "확정", OFFICE)  # 작성중 → 확정 is no transition
    set_state(office, 2024, "1-1", "제출됨", OFFICE)
    set_state(office, 2024, "1-1", "확정", OFFICE)
    assert is_locked(office, 2024, "1-1") and not is_locked(office, 2024, "1-2")
    report = load_report(office, 2024)
    assert report is not None
    program = report.program("1-1")
    assert program is not None
    with pytest.raises(ProgramLockedError, match="확정"):
        save_program_checked(office, 2024, program)

    package = _issue(office, tmp_path, open_engine)
    assert is_locked(package, 2024, "1-1")
    assert is_locked(package, 2024, "2-1") and "다른 부서" in (lock_reason(package, 2024, "2-1") or "")
    assert not is_locked(package, 2024, "1-2")
    with pytest.raises(Exception, match="부서 꾸러미에서는"):
        set_state(package, 2024, "1-2", "검토중", "부서")
    # The store refuses it on every path now, not only the form (issue 12.3) ...
    with pytest.raises(ProgramLockedError, match="확정"):
        edit_stored(package, "1-1", " (잠금 무시)")
    # ... so a department bypassing it must write its package file with its own tools.
    with transaction(package, write=True) as conn:
        stored = load_report_in(conn, 2024)
        bypassed = stored.report.program("1-1")
        assert bypassed is not None
        edit_first_item(bypassed, " (잠금 무시)")
        save_program_in(conn, stored.id, bypassed)
    preview = preview_merge(office, _submit(package, tmp_path, "s1"))
    assert preview.item("1-1").status is ItemStatus.LOCKED
    with pytest.raises(MergeError) as locked:
        apply_merge(office, preview, {"1-1": ACCEPT}, {}, OFFICE)
    assert locked.value.code == "locked"
    with pytest.raises(MergeError, match="확정"):
        apply_merge(office, preview, {"1-1": RETURN}, {"1-1": "다시"}, OFFICE)
    result = apply_merge(office, preview, {}, {}, OFFICE)
    assert result.locked == ("1-1",)
    report = load_report(office, 2024)
    assert report is not None and "(잠금 무시)" not in repr(report.program("1-1"))

    set_state(office, 2024, "1-1", "검토중", OFFICE)  # reopen
    assert not is_locked(office, 2024, "1-1")
    save_program_checked(office, 2024, program)
