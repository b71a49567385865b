"""The review state machine and the edit policy: who may edit, review or merge what, and why not.

Plain functions on plain values, so the store (before it writes), the
commands and the window (before it lets anyone type) ask the same questions
and get the same Korean answers. Every reason text lives here once.

States (:class:`ReviewState`; the values are the Korean words to show)::

    작성중 ─(merge)→ 제출됨 → 검토중 → 반려 (with a comment) or 확정
    반려 ─(next merge)→ 제출됨          확정 ─(reopen by the office)→ 검토중

The edit policy:

* the planning office edits everything that is not 확정;
* a department, in its package, edits only the items issued to it (its
  programs and its section II), and those only while they are not 확정;
* only the office reviews (changes states), issues packages and merges
  submissions;
* a department's submission may change only that department's items.

A question answers ``None`` when the thing is allowed and a :class:`Refusal`
(a stable ``code`` and the Korean ``message``) when it is not; the layer
that asked raises its own error type with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from seri_desktop.domain.identity import ItemRef


class ReviewState(StrEnum):
    """A program's (or section II's) review state; the value is the Korean label."""

    DRAFT = "작성중"
    SUBMITTED = "제출됨"
    IN_REVIEW = "검토중"
    RETURNED = "반려"
    CONFIRMED = "확정"


STATES: Final[tuple[str, ...]] = tuple(state.value for state in ReviewState)

# Manual transitions (the office's state changes). A merge moves an item to 제출됨 from any
# state but 확정, and a return in the merge moves it to 반려 (see state_after_merge).
TRANSITIONS: Final[dict[ReviewState, frozenset[ReviewState]]] = {
    ReviewState.DRAFT: frozenset({ReviewState.SUBMITTED}),
    ReviewState.SUBMITTED: frozenset({ReviewState.IN_REVIEW, ReviewState.RETURNED, ReviewState.CONFIRMED}),
    ReviewState.IN_REVIEW: frozenset({ReviewState.RETURNED, ReviewState.CONFIRMED}),
    ReviewState.RETURNED: frozenset({ReviewState.DRAFT, ReviewState.SUBMITTED}),
    ReviewState.CONFIRMED: frozenset({ReviewState.IN_REVIEW}),
}

# Said where a confirmed item is left alone, and how to get it unlocked.
REOPEN_HINT: Final = "먼저 검토중으로 다시 여십시오."
LOCKED_IN_SUBMISSION: Final = f"확정된 항목이라 이 제출의 변경을 반영하지 않습니다. 반영하려면 {REOPEN_HINT}"


@dataclass(frozen=True)
class Refusal:
    """Why something is not allowed: a stable ``code`` and the Korean ``message`` to show."""

    code: str
    message: str


@dataclass(frozen=True)
class Editor:
    """Who works in a database: the planning office, or a department in the package issued to it.

    ``own`` (a package only): the items issued to the department, as the
    package's base lists them.
    """

    department: str | None = None
    own: frozenset[ItemRef] = field(default_factory=frozenset)

    @classmethod
    def office(cls) -> Editor:
        return cls()

    @classmethod
    def package(cls, department: str, own: frozenset[ItemRef]) -> Editor:
        return cls(department, own)

    @property
    def is_office(self) -> bool:
        return self.department is None


def is_locked_state(state: str | None) -> bool:
    """Whether a review state locks the item's content (확정)."""
    return state == ReviewState.CONFIRMED


def item_name(ref: ItemRef) -> str:
    """How a message names an item: ``2-5 사업``, ``교육정책연구소 부서의 업무 평가``, ``일반 현황`` …"""
    if ref.is_section_ii:
        return f"{ref.department} 부서의 업무 평가"
    if ref.is_front:
        return "일반 현황"
    if ref.is_structure:
        return "보고서 구성(장·사업 순서·부서)"
    return f"{ref.label} 사업"


# --- editing --------------------------------------------------------------------------------------------


def edit_refusal(editor: Editor, ref: ItemRef, state: str | None) -> Refusal | None:
    """Why ``editor`` may not change ``ref`` (in review state ``state``) here, or ``None`` when they may."""
    if not editor.is_office and ref not in editor.own:
        return Refusal(
            "not-own",
            f"{item_name(ref)}은(는) 다른 부서의 내용이라 이 꾸러미({editor.department})에서는 읽기만 할 수 있습니다.",
        )
    if is_locked_state(state):
        return Refusal(
            "locked",
            f"{ref.label} 은(는) 확정되어 수정할 수 없습니다. 수정하려면 기획 부서가 검토중으로 다시 열어야 합니다.",
        )
    return None


def reassign_refusal(editor: Editor, ref: ItemRef, old_department: str, new_department: str) -> Refusal | None:
    """Why ``editor`` may not give the program ``ref`` another department (only the office may), or ``None``."""
    if editor.is_office or old_department == new_department:
        return None
    return Refusal(
        "ownership",
        f"{item_name(ref)}의 부서를 '{old_department}'에서 '{new_department}'(으)로 바꿀 수 없습니다. "
        "사업의 부서는 기획 부서만 바꿉니다.",
    )


def removal_refusal(ref: ItemRef, state: str | None) -> Refusal | None:
    """Why a program may not be removed from the report (a 확정 one keeps its place), or ``None``."""
    if is_locked_state(state):
        return Refusal("locked", f"{ref.label} 은(는) 확정되어 보고서에서 뺄 수 없습니다. {REOPEN_HINT}")
    return None


# --- the office's work ------------------------------------------------------------------------------------


class OfficeAction(StrEnum):
    """What only the planning office does."""

    REVIEW = "review"
    PACKAGE = "package"
    MERGE = "merge"
    STRUCTURE = "structure"
    ACCEPT_DERIVED = "accept-derived"


_OFFICE_ONLY: Final[dict[OfficeAction, str]] = {
    OfficeAction.REVIEW: "부서 꾸러미에서는 검토 상태를 바꿀 수 없습니다. 검토는 기획 부서의 데이터베이스에서 합니다.",
    OfficeAction.PACKAGE: "이 데이터베이스는 부서 꾸러미입니다. 꾸러미는 기획 부서의 데이터베이스에서만 만들 수 있습니다.",
    OfficeAction.MERGE: "이 데이터베이스는 부서 꾸러미입니다. 제출은 기획 부서의 데이터베이스에서 반영합니다.",
    OfficeAction.STRUCTURE: (
        "이 데이터베이스는 부서 꾸러미입니다. 장·사업·부서의 구성은 기획 부서의 데이터베이스에서만 바꿉니다."
    ),
    OfficeAction.ACCEPT_DERIVED: (
        "이 데이터베이스는 부서 꾸러미입니다. 가져온 보고서와 다른 점(계산값 받아들이기)은 "
        "기획 부서의 데이터베이스에서 처리합니다."
    ),
}


def office_refusal(editor: Editor, action: OfficeAction) -> Refusal | None:
    """Why ``editor`` may not do ``action`` (only the office may), or ``None``."""
    return None if editor.is_office else Refusal("is-a-package", _OFFICE_ONLY[action])


# --- the state machine ------------------------------------------------------------------------------------


def return_refusal(ref: ItemRef, comment: str | None) -> Refusal | None:
    """A return (반려) needs its reason: ``None`` when ``comment`` gives one."""
    if (comment or "").strip():
        return None
    return Refusal("comment", f"{ref.label}: 반려하려면 사유(검토 의견)를 적어야 합니다.")


def transition_refusal(ref: ItemRef, old: str, new: str, comment: str | None) -> Refusal | None:
    """Why the office may not move ``ref`` from ``old`` to ``new`` by hand, or ``None`` when it may."""
    if new not in STATES:
        return Refusal("state", f"알 수 없는 검토 상태 '{new}' 입니다. 가능한 상태: {', '.join(STATES)}")
    allowed = TRANSITIONS[ReviewState(old)]
    if ReviewState(new) not in allowed:
        choices = ", ".join(s.value for s in ReviewState if s in allowed)
        return Refusal(
            "transition", f"{ref.label}: '{old}' 에서 '{new}'(으)로 바꿀 수 없습니다. 가능한 다음 상태: {choices}"
        )
    if new == ReviewState.RETURNED:
        return return_refusal(ref, comment)
    return None


def state_after_merge(state: str, *, returned: bool) -> str:
    """The state a merge leaves an item in: 반려 when returned, else 제출됨; a 확정 item stays 확정."""
    if is_locked_state(state):
        return state
    return ReviewState.RETURNED.value if returned else ReviewState.SUBMITTED.value


def decision_refusal(ref: ItemRef, state: str, *, returning: bool, changes: bool) -> Refusal | None:
    """Why the office may not decide on a submitted item: a confirmed item is neither returned nor changed.

    A return would move it to 반려 and so unlock it; only reopening it may.
    """
    if is_locked_state(state) and (returning or changes):
        return Refusal("locked", f"{ref.label} 은(는) 확정되어 받아들이거나 반려할 수 없습니다. {REOPEN_HINT}")
    return None


# --- submissions ------------------------------------------------------------------------------------------


def submission_refusal(submitter: str, ref: ItemRef, owner: str, claimed: str, *, issued: bool) -> Refusal | None:
    """Why ``submitter``'s submission may not change ``ref``, or ``None``.

    ``owner`` is the department the office's copy gives the item, ``claimed``
    the one the submission gives it, ``issued`` whether the package issued to
    the department held it (section II: always its own department's).
    """
    if owner == submitter and claimed == submitter and issued:
        return None
    who = owner if owner != submitter else claimed
    if ref.is_section_ii:
        return Refusal(
            "ownership",
            f"다른 부서({who})의 업무 평가가 들어 있습니다. {submitter}의 제출은 {submitter}의 업무 평가만 바꿀 수 있습니다.",
        )
    return Refusal(
        "ownership",
        f"다른 부서({who})의 사업 {ref.label} 이(가) 들어 있습니다. {submitter}의 제출은 {submitter}의 사업만 바꿀 수 있습니다.",
    )
