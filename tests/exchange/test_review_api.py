"""The review API the UI builds on: states, comments with their targets, the dashboard, the audit log.

The audit log's CSV export is tested with its module, in tests/formats/test_audit_csv.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from seri_desktop.domain.identity import ItemRef
from seri_desktop.exchange.dashboard import completeness
from seri_desktop.exchange.merge import ACCEPT, apply_merge, preview_merge
from seri_desktop.store.audit import AuditAction, audit_log, program_audit
from seri_desktop.store.engine import StoreError
from seri_desktop.store.exchange import issued_packages, package_department, submissions
from seri_desktop.store.repository import load_report
from seri_desktop.store.review import (
    CommentTarget,
    ReviewState,
    add_comment,
    comments_for_department,
    comments_for_program,
    review_states,
    review_statuses,
    section_ii_comments,
    section_ii_states,
    set_state,
)
from tests.helpers.types import OpenPath

OFFICE = "기획팀"


def test_states_default_to_draft_and_every_change_is_logged(office_2024: Engine) -> None:
    office = office_2024
    states = review_states(office, 2024)
    assert len(states) == 33 and set(states.values()) == {"작성중"}
    assert package_department(office) is None

    set_state(office, 2024, "2-3", "제출됨", "김검토")
    set_state(office, 2024, "2-3", "검토중", "김검토")
    with pytest.raises(StoreError, match="사유"):
        set_state(office, 2024, "2-3", "반려", "김검토")
    with pytest.raises(StoreError, match="알 수 없는 검토 상태"):
        set_state(office, 2024, "2-3", "보류", "김검토")
    with pytest.raises(StoreError, match="9-9 사업이 없습니다"):
        set_state(office, 2024, "9-9", "제출됨", "김검토")
    status = set_state(office, 2024, "2-3", "반려", "김검토", comment="목표 물량을 채우십시오.")
    assert (status.state, status.revision, status.changed_by) == ("반려", 3, "김검토")
    assert status.changed_at is not None
    assert review_states(office, 2024)["2-3"] == ReviewState.RETURNED
    report = load_report(office, 2024)
    assert report is not None
    program = report.program("2-3")
    assert program is not None
    assert review_statuses(office, 2024)[ItemRef.of(program).key()].revision == 3  # records are keyed by id

    history = [(e.action, e.who, e.old, e.new) for e in program_audit(office, 2024, "2-3")]
    assert history == [
        ("state", "김검토", "작성중", "제출됨"),
        ("state", "김검토", "제출됨", "검토중"),
        ("state", "김검토", "검토중", "반려"),
        ("comment", "김검토", "", "목표 물량을 채우십시오."),
    ]
    set_state(office, 2024, ItemRef.section_ii("기획평가부").key(), "제출됨", "김검토")
    assert section_ii_states(office, 2024) == {"기획평가부": "제출됨"}


def test_comments_point_at_a_program_a_section_or_a_cell(office_2024: Engine) -> None:
    office = office_2024
    add_comment(office, 2024, CommentTarget("3-2"), "전체적으로 좋습니다.", "김검토")
    add_comment(office, 2024, CommentTarget("3-2", "overview.purpose"), "목적을 한 문장으로.", "김검토")
    cell = add_comment(
        office, 2024, CommentTarget("3-2", "budget", 1, "3분기"), "3분기 집행액을 확인하십시오.", "이검토"
    )
    report = load_report(office, 2024)
    assert report is not None and (program := report.program("3-2")) is not None
    assert cell.department == "교육과정진로진학부" and cell.target.code == "3-2"
    assert cell.target.key() == ItemRef.of(program).key()  # the comment is on the program's id
    add_comment(
        office, 2024, CommentTarget(None, "results", 2, department="교육과정진로진학부"), "수치를 넣으십시오.", "김검토"
    )
    with pytest.raises(StoreError, match="비어"):
        add_comment(office, 2024, CommentTarget("3-2"), "  ", "김검토")
    with pytest.raises(StoreError, match="부서를 지정"):
        add_comment(office, 2024, CommentTarget(None, "results"), "부서 없음", "김검토")

    targets = [(c.target.section, c.target.row, c.target.column) for c in comments_for_program(office, 2024, "3-2")]
    assert targets == [("", None, ""), ("overview.purpose", None, ""), ("budget", 1, "3분기")]
    assert len(comments_for_department(office, 2024, "교육과정진로진학부")) == 4
    assert [c.text for c in section_ii_comments(office, 2024, "교육과정진로진학부")] == ["수치를 넣으십시오."]
    assert comments_for_program(office, 2024, "3-1") == []
    logged = [e for e in audit_log(office, 2024) if e.action == AuditAction.COMMENT]
    assert [(e.item_code, e.section, e.row, e.column) for e in logged][2] == ("3-2", "budget", 1, "3분기")
    assert logged[2].item == program.uid


def test_dashboard_shows_sections_problems_states_and_submissions(
    office_copy: Path, exchange_template: dict[str, Path], open_engine: OpenPath
) -> None:
    office = open_engine(office_copy)
    preview = preview_merge(office, exchange_template["submission"])
    apply_merge(office, preview, dict.fromkeys(preview.pending(), ACCEPT), {}, OFFICE)
    dashboard = completeness(office)
    assert dashboard.year == 2024
    assert [d.department for d in dashboard.departments] == [
        "교육정책연구소",
        "기획평가부",
        "교육과정진로진학부",
        "교수학습정보부",
        "교육정보화부",
    ]
    first = dashboard.departments[0]
    assert [p.code for p in first.programs] == ["1-1", "1-2", "1-3"]
    assert first.state_counts()["제출됨"] == 3
    assert first.section_ii_state == "제출됨" and all(s.filled for s in first.section_ii)
    assert first.packages_issued == 1 and first.last_package_at is not None
    assert first.last_submission is not None and first.last_submission.author == "홍길동"
    one = first.programs[0]
    assert one.last_submission is not None and one.last_submission.decision == "accepted"
    assert len(one.sections) == 10 and one.revision == 2
    # The 2024 report's known budget errors show up where check_report puts them (1-2 among them).
    assert first.programs[1].errors > 0
    second = dashboard.departments[1]
    assert second.state_counts()["작성중"] == 7 and second.last_submission is None
    assert dashboard.as_dict()["departments"][0]["programs"][0]["code"] == "1-1"
    assert [p.department for p in issued_packages(office, 2024)] == ["교육정책연구소", "기획평가부"]
    assert [s.department for s in submissions(office, 2024)] == ["교육정책연구소"]
