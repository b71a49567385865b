"""The review state machine and the edit policy, as plain functions with their Korean reasons."""

from __future__ import annotations

import pytest

from seri_desktop.domain import policy
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.policy import Editor, OfficeAction, ReviewState

PROGRAM = ItemRef.program("1-2")
OTHER = ItemRef.program("2-1")
SECTION = ItemRef.section_ii("교육정책연구소")
PACKAGE = Editor.package("교육정책연구소", frozenset({PROGRAM, SECTION}))


def test_the_office_edits_everything_not_confirmed() -> None:
    office = Editor.office()
    for ref in (PROGRAM, OTHER, SECTION, ItemRef.front()):
        assert policy.edit_refusal(office, ref, None) is None
        assert policy.edit_refusal(office, ref, ReviewState.IN_REVIEW.value) is None
    confirmed = policy.edit_refusal(office, PROGRAM, ReviewState.CONFIRMED.value)
    assert confirmed is not None and confirmed.code == "locked"
    assert (
        confirmed.message
        == "1-2 은(는) 확정되어 수정할 수 없습니다. 수정하려면 기획 부서가 검토중으로 다시 열어야 합니다."
    )


def test_a_package_edits_only_its_own_items() -> None:
    assert policy.edit_refusal(PACKAGE, PROGRAM, ReviewState.RETURNED.value) is None
    assert policy.edit_refusal(PACKAGE, SECTION, None) is None
    other = policy.edit_refusal(PACKAGE, OTHER, None)
    assert other is not None and other.code == "not-own"
    assert other.message == "2-1 사업은(는) 다른 부서의 내용이라 이 꾸러미(교육정책연구소)에서는 읽기만 할 수 있습니다."
    foreign = policy.edit_refusal(PACKAGE, ItemRef.section_ii("기획평가부"), None)
    assert foreign is not None and foreign.message.startswith("기획평가부 부서의 업무 평가은(는) 다른 부서의 내용")
    front = policy.edit_refusal(PACKAGE, ItemRef.front(), None)
    assert front is not None and front.message.startswith("일반 현황은(는)")
    locked = policy.edit_refusal(PACKAGE, PROGRAM, ReviewState.CONFIRMED.value)
    assert locked is not None and locked.code == "locked"


@pytest.mark.parametrize("action", list(OfficeAction))
def test_only_the_office_reviews_packages_and_merges(action: OfficeAction) -> None:
    assert policy.office_refusal(Editor.office(), action) is None
    refused = policy.office_refusal(PACKAGE, action)
    assert refused is not None and refused.code == "is-a-package" and "기획 부서의 데이터베이스" in refused.message


def test_manual_transitions() -> None:
    allowed = {(old, new) for old, targets in policy.TRANSITIONS.items() for new in targets}
    for old in ReviewState:
        for new in ReviewState:
            refusal = policy.transition_refusal(PROGRAM, old.value, new.value, "사유")
            assert (refusal is None) == ((old, new) in allowed), (old, new)
    wrong = policy.transition_refusal(PROGRAM, "작성중", "확정", None)
    assert wrong is not None and wrong.code == "transition"
    assert wrong.message == "1-2: '작성중' 에서 '확정'(으)로 바꿀 수 없습니다. 가능한 다음 상태: 제출됨"
    unknown = policy.transition_refusal(PROGRAM, "작성중", "보류", None)
    assert unknown is not None and unknown.code == "state" and "작성중, 제출됨, 검토중, 반려, 확정" in unknown.message
    no_reason = policy.transition_refusal(SECTION, "검토중", "반려", "  ")
    assert no_reason is not None and no_reason.code == "comment"
    assert no_reason.message == "II:교육정책연구소: 반려하려면 사유(검토 의견)를 적어야 합니다."


def test_what_a_merge_does_to_states_and_decisions() -> None:
    assert policy.state_after_merge("작성중", returned=False) == "제출됨"
    assert policy.state_after_merge("반려", returned=False) == "제출됨"
    assert policy.state_after_merge("검토중", returned=True) == "반려"
    assert policy.state_after_merge("확정", returned=False) == "확정"
    assert policy.decision_refusal(PROGRAM, "검토중", returning=True, changes=True) is None
    assert policy.decision_refusal(PROGRAM, "확정", returning=False, changes=False) is None  # nothing to write
    for returning, changes in ((True, False), (False, True)):
        refused = policy.decision_refusal(PROGRAM, "확정", returning=returning, changes=changes)
        assert refused is not None and refused.code == "locked"
        assert refused.message.endswith(policy.REOPEN_HINT)


def test_a_submission_changes_only_its_departments_items() -> None:
    me = "교육정책연구소"
    assert policy.submission_refusal(me, PROGRAM, me, me, issued=True) is None
    for owner, claimed, issued, who in (
        ("기획평가부", me, True, "기획평가부"),
        (me, "기획평가부", True, "기획평가부"),
        (me, me, False, me),
    ):
        refused = policy.submission_refusal(me, PROGRAM, owner, claimed, issued=issued)
        assert refused is not None and refused.code == "ownership"
        assert refused.message == (
            f"다른 부서({who})의 사업 1-2 이(가) 들어 있습니다. {me}의 제출은 {me}의 사업만 바꿀 수 있습니다."
        )
    section = policy.submission_refusal(me, ItemRef.section_ii("기획평가부"), "기획평가부", "기획평가부", issued=True)
    assert section is not None and "다른 부서(기획평가부)의 업무 평가가 들어 있습니다" in section.message
