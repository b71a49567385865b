"""Review states, locks and review comments of programs and of departments' section II, in the store.

The state machine and the edit policy themselves (which transitions exist,
who may edit what, every reason text) are plain functions of
:mod:`seri_desktop.domain.policy`; this module reads what they need from the
database and records what they allow. ``ReviewState``, ``STATES`` and
``TRANSITIONS`` are re-exported from there for the window.

Public API (for the UI; each call is one transaction):

* ``review_states(engine, year) -> dict[str, str]``: program code → state
  for every program of the report; a program with no record is "작성중".
* ``review_statuses(engine, year) -> dict[str, ReviewStatus]``: every item
  with a record (programs and ``II:<department>`` keys): state, revision,
  who changed it and when.
* ``section_ii_states(engine, year) -> dict[str, str]``: department → state of its section II.
* ``set_state(engine, year, key, state, who, *, comment=None) -> ReviewStatus``:
  a manual transition (``policy.TRANSITIONS``); 반려 needs a comment, which is
  stored as a review comment on the item; audit-logged; bumps the revision.
  Refused in a department package (only the office reviews).
* ``is_locked(engine, year, code) -> bool`` / ``lock_reason(...) -> str | None``:
  whether a program may not be edited here: it is 확정, or (in a department
  package) it belongs to another department. The form calls it before
  editing; ``save_program_checked`` is ``repository.save_program`` behind
  that check. ``is_section_ii_locked`` and ``save_section_ii_checked`` do the
  same for a section II.

Comments (:class:`Comment`, :class:`CommentTarget`): a comment points at a
program (``section == ""``), a section or part of it (a template key, as the
rules use them) or a table cell (section, 1-based row, column label as
printed, e.g. ``("budget", 2, "3분기")``). A target with ``program=None``
points at the department's section II (the keys of its parts).

* ``add_comment(engine, year, target, text, who) -> Comment`` (audit-logged);
* ``section_ii_comments(engine, year, department)``: the comments on a section II;
* ``comments_for_program(engine, year, code)`` / ``comments_for_department(engine, year, department)``.

A department's package carries the comments addressed to it and the states
of its items, so the same functions answer in the department's database.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select, update

from seri_desktop.domain import policy
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Department, Program
from seri_desktop.domain.policy import STATES, TRANSITIONS, OfficeAction, Refusal, ReviewState
from seri_desktop.store.audit import AuditAction, record_in
from seri_desktop.store.content import (
    ProgramNotFoundError,
    program_codes_in,
    program_department_in,
    require_report_id_in,
    save_program_in,
    save_section_ii_in,
)
from seri_desktop.store.engine import StoreError, transaction
from seri_desktop.store.exchange import editor_in, from_iso, now, to_iso
from seri_desktop.store.tables import ReviewCommentRow, ReviewItemRow, table_of

__all__ = [
    "STATES",
    "TRANSITIONS",
    "Comment",
    "CommentTarget",
    "ProgramLockedError",
    "ReviewError",
    "ReviewState",
    "ReviewStatus",
    "add_comment",
    "add_comment_in",
    "check_transition",
    "comments_for_department",
    "comments_for_program",
    "comments_in",
    "edit_refusal_in",
    "is_locked",
    "is_section_ii_locked",
    "lock_reason",
    "lock_reason_in",
    "refuse",
    "review_states",
    "review_statuses",
    "save_program_checked",
    "save_section_ii_checked",
    "section_ii_comments",
    "section_ii_states",
    "set_state",
    "status_in",
    "statuses_in",
    "write_status_in",
]

REVIEW_ITEM = table_of(ReviewItemRow)
REVIEW_COMMENT = table_of(ReviewCommentRow)


class ReviewError(StoreError):
    """A review step the policy refuses (a transition that does not exist, a return without a reason …)."""

    default_code = "review"


class ProgramLockedError(ReviewError):
    """Editing a program (or section II) that is locked here: confirmed, or another department's."""

    default_code = "locked"


def refuse(refusal: Refusal | None, error: type[ReviewError] = ReviewError) -> None:
    """Raise ``error`` with the policy's reason and code when it refused; nothing when it allowed."""
    if refusal is not None:
        raise error(refusal.message, refusal.code)


@dataclass(frozen=True)
class ReviewStatus:
    """The review record of one item."""

    key: str  # program code or "II:<department>"
    state: str
    revision: int
    sha256: str  # content hash at ``revision`` ("" when not known yet)
    changed_at: dt.datetime | None
    changed_by: str


@dataclass(frozen=True)
class CommentTarget:
    """Where a comment points: a program, a section of it, or a table cell; ``program=None`` is section II."""

    program: str | None
    section: str = ""
    row: int | None = None  # 1-based row of a table or item of an outline
    column: str = ""  # column label as printed ("3분기", "물량" …)
    department: str = ""  # required for section II; derived from the program otherwise

    @property
    def ref(self) -> ItemRef:
        """The item the comment is on: the program, or the department's section II."""
        return ItemRef.program(self.program) if self.program is not None else ItemRef.section_ii(self.department)

    def key(self) -> str:
        return self.ref.key()


@dataclass(frozen=True)
class Comment:
    """A review comment."""

    id: str  # a UUID: the same comment keeps its id in the department's package
    year: int
    department: str
    target: CommentTarget
    text: str
    author: str
    created_at: dt.datetime


# --- statuses and states ---------------------------------------------------------------------------------


def _status(row: Row[Any]) -> ReviewStatus:
    return ReviewStatus(
        key=row.item_key,
        state=row.state,
        revision=row.revision,
        sha256=row.sha256,
        changed_at=from_iso(row.changed_at) if row.changed_at else None,
        changed_by=row.changed_by,
    )


def statuses_in(conn: Connection, year: int) -> dict[str, ReviewStatus]:
    rows = conn.execute(select(REVIEW_ITEM).where(REVIEW_ITEM.c.year == year).order_by(REVIEW_ITEM.c.id)).all()
    return {row.item_key: _status(row) for row in rows}


def status_in(conn: Connection, year: int, key: str) -> ReviewStatus | None:
    row = conn.execute(select(REVIEW_ITEM).where(REVIEW_ITEM.c.year == year, REVIEW_ITEM.c.item_key == key)).first()
    return _status(row) if row is not None else None


def write_status_in(
    conn: Connection, year: int, key: str, *, state: str, revision: int, sha256: str, who: str, at: dt.datetime
) -> ReviewStatus:
    """Insert or update an item's review record inside the caller's transaction."""
    values = {"state": state, "revision": revision, "sha256": sha256, "changed_at": to_iso(at), "changed_by": who}
    updated = conn.execute(
        update(REVIEW_ITEM).where(REVIEW_ITEM.c.year == year, REVIEW_ITEM.c.item_key == key).values(**values)
    ).rowcount
    if not updated:
        conn.execute(insert(REVIEW_ITEM), {"year": year, "item_key": key, **values})
    return ReviewStatus(key, state, revision, sha256, at, who)


def review_states(engine: Engine, year: int) -> dict[str, str]:
    """Program code → review state for every program of the report; no record means 작성중."""
    with transaction(engine, write=False) as conn:
        statuses = statuses_in(conn, year)
        return {
            code: statuses[code].state if code in statuses else ReviewState.DRAFT.value
            for code in program_codes_in(conn, year)
        }


def review_statuses(engine: Engine, year: int) -> dict[str, ReviewStatus]:
    """Every item with a review record (programs and section II keys)."""
    with transaction(engine, write=False) as conn:
        return statuses_in(conn, year)


def section_ii_states(engine: Engine, year: int) -> dict[str, str]:
    """Department → review state of its section II (only departments with a record)."""
    with transaction(engine, write=False) as conn:
        return {
            ref.id: status.state
            for key, status in statuses_in(conn, year).items()
            if (ref := ItemRef.from_key(key)).is_section_ii
        }


def check_transition(key: str, old: str, new: str, comment: str | None) -> None:
    """Raise :class:`ReviewError` when ``old → new`` is not a manual transition (``policy.transition_refusal``)."""
    refuse(policy.transition_refusal(ItemRef.from_key(key), old, new, comment))


def set_state(
    engine: Engine,
    year: int,
    key: str,
    state: str,
    who: str,
    *,
    comment: str | None = None,
    waiver: str | None = None,
) -> ReviewStatus:
    """Change an item's review state (a program code or a section II key); audit-logged, bumps the revision.

    ``waiver``: why the office confirms it with errors still open; kept in the
    audit entry of the change (``detail["waiver"]``), in the same transaction.
    """
    ref = ItemRef.from_key(key)
    with transaction(engine, write=True) as conn:
        refuse(policy.office_refusal(editor_in(conn), OfficeAction.REVIEW))
        department = _item_department_in(conn, year, ref)
        current = status_in(conn, year, key)
        old = current.state if current is not None else ReviewState.DRAFT.value
        check_transition(key, old, state, comment)
        moment = now()
        status = write_status_in(
            conn,
            year,
            key,
            state=state,
            revision=(current.revision if current is not None else 0) + 1,
            sha256=current.sha256 if current is not None else "",
            who=who,
            at=moment,
        )
        record_in(
            conn,
            year=year,
            who=who,
            action=AuditAction.STATE,
            item=key,
            department=department,
            old=old,
            new=state,
            detail={"waiver": waiver.strip()} if waiver and waiver.strip() else None,
            at=moment,
        )
        if comment and comment.strip():
            target = CommentTarget(ref.id if ref.is_program else None, department=department)
            add_comment_in(conn, year, target, comment.strip(), who, department=department, at=moment)
        return status


def _item_department_in(conn: Connection, year: int, ref: ItemRef) -> str:
    if ref.department is not None:
        return ref.department
    found = program_department_in(conn, year, ref.id)
    if found is None:
        raise ProgramNotFoundError(f"{year}년 보고서에 {ref.key()} 사업이 없습니다.")
    return found


# --- locks -----------------------------------------------------------------------------------------------


def lock_reason(engine: Engine, year: int, code: str) -> str | None:
    """Why the item ``code`` (a program code or a section II key) may not be edited here, or ``None``."""
    with transaction(engine, write=False) as conn:
        return lock_reason_in(conn, year, code)


def edit_refusal_in(conn: Connection, year: int, ref: ItemRef) -> Refusal | None:
    """The edit policy's answer for ``ref`` in this database (``policy.edit_refusal``), inside ``conn``."""
    status = status_in(conn, year, ref.key())
    return policy.edit_refusal(editor_in(conn), ref, status.state if status is not None else None)


def lock_reason_in(conn: Connection, year: int, key: str) -> str | None:
    """As :func:`lock_reason`, inside the caller's transaction."""
    refusal = edit_refusal_in(conn, year, ItemRef.from_key(key))
    return refusal.message if refusal is not None else None


def is_locked(engine: Engine, year: int, code: str) -> bool:
    """Whether the program ``code`` is locked here: 확정, or another department's in a package."""
    return lock_reason(engine, year, code) is not None


def is_section_ii_locked(engine: Engine, year: int, department: str) -> bool:
    """Whether the department's section II is locked here (as :func:`is_locked` for programs)."""
    return lock_reason(engine, year, ItemRef.section_ii(department).key()) is not None


def save_program_checked(engine: Engine, year: int, program: Program) -> None:
    """``repository.save_program`` refused with :class:`ProgramLockedError` when the program is locked.

    The check and the write are one transaction, so a lock set meanwhile is never written past.
    """
    with transaction(engine, write=True) as conn:
        refuse(edit_refusal_in(conn, year, ItemRef.program(program.code)), ProgramLockedError)
        save_program_in(conn, require_report_id_in(conn, year), program)


def save_section_ii_checked(engine: Engine, year: int, department: Department) -> None:
    """``repository.save_section_ii`` refused with :class:`ProgramLockedError` when the section II is locked."""
    with transaction(engine, write=True) as conn:
        refuse(edit_refusal_in(conn, year, ItemRef.section_ii(department.name)), ProgramLockedError)
        save_section_ii_in(conn, require_report_id_in(conn, year), department)


# --- comments ----------------------------------------------------------------------------------------------


def add_comment_in(
    conn: Connection,
    year: int,
    target: CommentTarget,
    text: str,
    who: str,
    *,
    department: str,
    at: dt.datetime,
    comment_id: str | None = None,
    audit: bool = True,
) -> Comment:
    comment = Comment(
        id=comment_id or str(uuid.uuid4()),
        year=year,
        department=department,
        target=CommentTarget(target.program, target.section, target.row, target.column, department),
        text=text,
        author=who,
        created_at=at,
    )
    conn.execute(
        insert(REVIEW_COMMENT),
        {
            "comment_uuid": comment.id,
            "year": year,
            "department": department,
            "program": target.program or "",
            "section": target.section,
            "row": target.row,
            "column_label": target.column,
            "text": text,
            "author": who,
            "created_at": to_iso(at),
        },
    )
    if audit:
        record_in(
            conn,
            year=year,
            who=who,
            action=AuditAction.COMMENT,
            item=comment.target.key(),
            department=department,
            section=target.section,
            row=target.row,
            column=target.column,
            new=text,
            at=at,
        )
    return comment


def add_comment(engine: Engine, year: int, target: CommentTarget, text: str, who: str) -> Comment:
    """Add a review comment (audit-logged). An empty text or an unknown program is refused."""
    if not text.strip():
        raise ReviewError("검토 의견이 비어 있습니다.", "comment-empty")
    if target.program is None and not target.department:
        raise ReviewError("업무 평가에 대한 의견에는 부서를 지정해야 합니다.", "comment-department")
    if target.row is not None and target.row < 1:
        raise ReviewError(f"행 번호는 1 이상이어야 합니다 (받은 값: {target.row}).", "comment-row")
    with transaction(engine, write=True) as conn:
        department = _item_department_in(conn, year, target.ref)
        return add_comment_in(conn, year, target, text.strip(), who, department=department, at=now())


def _comment(r: Row[Any]) -> Comment:
    return Comment(
        id=r.comment_uuid,
        year=r.year,
        department=r.department,
        target=CommentTarget(
            r.program or None,
            r.section,
            r.row,
            r.column_label,
            r.department,
        ),
        text=r.text,
        author=r.author,
        created_at=from_iso(r.created_at),
    )


def comments_in(
    conn: Connection, year: int, *, department: str | None = None, program: str | None = None
) -> list[Comment]:
    query = select(REVIEW_COMMENT).where(REVIEW_COMMENT.c.year == year)
    if department is not None:
        query = query.where(REVIEW_COMMENT.c.department == department)
    if program is not None:
        query = query.where(REVIEW_COMMENT.c.program == program)
    return [_comment(row) for row in conn.execute(query.order_by(REVIEW_COMMENT.c.id)).all()]


def comments_for_program(engine: Engine, year: int, code: str) -> list[Comment]:
    """The comments on a program (whole program, its sections and cells), oldest first."""
    with transaction(engine, write=False) as conn:
        return comments_in(conn, year, program=code)


def comments_for_department(engine: Engine, year: int, department: str) -> list[Comment]:
    """Every comment addressed to a department: on its programs and on its section II, oldest first."""
    with transaction(engine, write=False) as conn:
        return comments_in(conn, year, department=department)


def section_ii_comments(engine: Engine, year: int, department: str) -> list[Comment]:
    """The comments on a department's section II."""
    return [c for c in comments_for_department(engine, year, department) if c.target.program is None]
