"""Review states, locks and review comments of programs and of departments' section II, in the store.

The state machine and the edit policy themselves (which transitions exist,
who may edit what, every reason text) are plain functions of
:mod:`seri_desktop.domain.policy`; this module reads what they need from the
database and records what they allow. ``ReviewState``, ``STATES`` and
``TRANSITIONS`` are re-exported from there for the window.

Public API (for the UI; each call is one transaction):

* ``review_states(engine, year) -> dict[str, str]``: program code → state
  for every program of the report (the codes the window shows); a program
  with no record is "작성중". ``review_states_by_id`` keys them by uid.
* ``review_statuses(engine, year) -> dict[str, ReviewStatus]``: every item
  with a record (programs by uid, ``II:<department>``, ``I``, ``III``):
  state, revision, content revision, who changed it and when.
* ``section_ii_states(engine, year) -> dict[str, str]``: department → state of its section II.
* ``set_state(engine, year, item, state, who, *, comment=None) -> ReviewStatus``:
  a manual transition (``policy.TRANSITIONS``); 반려 needs a comment, which is
  stored as a review comment on the item; audit-logged; bumps the revision.
  Refused in a department package (only the office reviews).
* ``is_locked(engine, year, item) -> bool`` / ``lock_reason(...) -> str | None``:
  whether a program may not be edited here: it is 확정, or (in a department
  package) it belongs to another department. The form calls it before
  editing; ``save_program_checked`` and ``save_section_ii_checked`` save
  through the unit of work (:mod:`seri_desktop.store.unit`), which makes
  the same check for every write.

Wherever a function takes an ``item`` from a person (the command line, the
window), it may be a program's uid or its code in the report now, a section
II key (``II:<department>``), ``I`` or ``III``: :func:`resolve_item_in`
turns it into the :class:`ItemRef` the records are keyed by.

Comments (:class:`Comment`, :class:`CommentTarget`): a comment points at a
program (``section == ""``), a section or part of it (a template key, as the
rules use them) or a table cell (section, 1-based row, column label as
printed, e.g. ``("budget", 2, "3분기")``). A target with ``program=None``
points at the department's section II (the keys of its parts).

* ``add_comment(engine, year, target, text, who) -> Comment`` (audit-logged);
* ``section_ii_comments(engine, year, department)``: the comments on a section II;
* ``comments_for_program(engine, year, program)`` / ``comments_for_department(engine, year, department)``.

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
from seri_desktop.domain.policy import STATES, TRANSITIONS, Refusal, ReviewState
from seri_desktop.store.audit import AuditAction, record_in
from seri_desktop.store.content import (
    ProgramNotFoundError,
    program_department_in,
    program_identities_in,
)
from seri_desktop.store.engine import StoreError, transaction
from seri_desktop.store.exchange import editor_in, from_iso, to_iso
from seri_desktop.store.tables import REVIEW_COMMENT, REVIEW_ITEM

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
    "rename_department_in",
    "resolve_item_in",
    "review_states",
    "review_states_by_id",
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



class ReviewError(StoreError):
    """A review step the policy refuses (a transition that does not exist, a return without a reason …)."""

    default_code = "review"


class ProgramLockedError(ReviewError):
    """Editing a program (or section II) that is locked here: confirmed, or another department's."""

    default_code = "locked"


def refuse(refusal: Refusal | None, error: type[StoreError] = ReviewError) -> None:
    """Raise ``error`` with the policy's reason and code when it refused; nothing when it allowed."""
    if refusal is not None:
        raise error(refusal.message, refusal.code)


@dataclass(frozen=True)
class ReviewStatus:
    """The review record of one item.

    ``revision`` counts every change of the record (state changes too; a package carries it as its
    base); ``content_revision`` only the writes of the content, which the unit of work checks a
    writer's read against; ``saved_*``: the last content write (who saved first, for a stale save).
    """

    key: str  # the item's key: a program's uid, "II:<department>", "I" or "III"
    state: str
    revision: int
    sha256: str  # content hash at ``revision`` ("" when not known yet)
    changed_at: dt.datetime | None
    changed_by: str
    content_revision: int = 0
    saved_at: dt.datetime | None = None
    saved_by: str = ""
    saved_via: str = ""


@dataclass(frozen=True)
class CommentTarget:
    """Where a comment points: a program (its uid), a section of it, or a table cell; ``program=None`` is section II."""

    program: str | None
    section: str = ""
    row: int | None = None  # 1-based row of a table or item of an outline
    column: str = ""  # column label as printed ("3분기", "물량" …)
    department: str = ""  # required for section II; derived from the program otherwise
    code: str = ""  # the program's code, for display (not part of the target)

    @property
    def ref(self) -> ItemRef:
        """The item the comment is on: the program, or the department's section II."""
        if self.program is not None:
            return ItemRef.program(self.program, self.code)
        return ItemRef.section_ii(self.department)

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


# --- items named by people ---------------------------------------------------------------------------


def resolve_item_in(conn: Connection, year: int, item: str) -> ItemRef:
    """The item ``item`` names: a program's uid or its code now, ``II:<department>``, ``I`` or ``III``.

    A program comes back with its uid and its current code; an unknown program is
    :class:`ProgramNotFoundError`.
    """
    ref = ItemRef.from_key(item)
    if not ref.is_program:
        return ref
    identities = program_identities_in(conn, year)
    for uid, code in identities:
        if uid == item:
            return ItemRef.program(uid, code)
    for uid, code in identities:
        if code == item:
            return ItemRef.program(uid, code)
    raise ProgramNotFoundError(f"{year}년 보고서에 {item} 사업이 없습니다.")


# --- statuses and states ---------------------------------------------------------------------------------


def _moment(text: str) -> dt.datetime | None:
    return from_iso(text) if text else None


def _status(row: Row[Any]) -> ReviewStatus:
    return ReviewStatus(
        key=row.item_key,
        state=row.state,
        revision=row.revision,
        sha256=row.sha256,
        changed_at=_moment(row.changed_at),
        changed_by=row.changed_by,
        content_revision=row.content_revision,
        saved_at=_moment(row.saved_at),
        saved_by=row.saved_by,
        saved_via=row.saved_via,
    )


def statuses_in(conn: Connection, year: int) -> dict[str, ReviewStatus]:
    rows = conn.execute(select(REVIEW_ITEM).where(REVIEW_ITEM.c.year == year).order_by(REVIEW_ITEM.c.id)).all()
    return {row.item_key: _status(row) for row in rows}


def status_in(conn: Connection, year: int, key: str) -> ReviewStatus | None:
    row = conn.execute(select(REVIEW_ITEM).where(REVIEW_ITEM.c.year == year, REVIEW_ITEM.c.item_key == key)).first()
    return _status(row) if row is not None else None


def write_status_in(
    conn: Connection,
    year: int,
    key: str,
    *,
    state: str,
    revision: int,
    sha256: str,
    who: str,
    at: dt.datetime,
    content: tuple[int, dt.datetime, str, str] | None = None,
) -> ReviewStatus:
    """Insert or update an item's review record inside the caller's transaction.

    ``content`` (content revision, when, who, via) records a content write;
    without it the record's content revision and last save stay as they are.
    """
    values: dict[str, Any] = {
        "state": state,
        "revision": revision,
        "sha256": sha256,
        "changed_at": to_iso(at),
        "changed_by": who,
    }
    if content is not None:
        values |= {
            "content_revision": content[0],
            "saved_at": to_iso(content[1]),
            "saved_by": content[2],
            "saved_via": content[3],
        }
    updated = conn.execute(
        update(REVIEW_ITEM).where(REVIEW_ITEM.c.year == year, REVIEW_ITEM.c.item_key == key).values(**values)
    ).rowcount
    if not updated:
        defaults = {"content_revision": 0, "saved_at": "", "saved_by": "", "saved_via": ""}
        conn.execute(insert(REVIEW_ITEM), {"year": year, "item_key": key, **defaults, **values})
    found = status_in(conn, year, key)
    if found is None:  # the row was just written in this transaction
        raise StoreError(f"{key} 의 검토 기록을 쓰지 못했습니다.")
    return found


def rename_department_in(conn: Connection, year: int, old: str, new: str) -> None:
    """Carry a department's review record (``II:<department>``) and its comments over to its new name.

    Section II is keyed by the department's name, so a rename (or a merge, when
    the new name has no record yet) moves the record along; the audit log keeps
    the old name, as written then.
    """
    old_key, new_key = ItemRef.section_ii(old).key(), ItemRef.section_ii(new).key()
    if status_in(conn, year, new_key) is None:
        conn.execute(
            update(REVIEW_ITEM)
            .where(REVIEW_ITEM.c.year == year, REVIEW_ITEM.c.item_key == old_key)
            .values(item_key=new_key)
        )
    conn.execute(
        update(REVIEW_COMMENT).where(REVIEW_COMMENT.c.year == year, REVIEW_COMMENT.c.department == old).values(department=new)
    )


def review_states(engine: Engine, year: int) -> dict[str, str]:
    """Program code → review state for every program of the report; no record means 작성중.

    Keyed by the codes the report shows now (the window's rows); where a code
    repeats, the first program's state is given, as ``Report.program`` finds it.
    """
    with transaction(engine, write=False) as conn:
        statuses = statuses_in(conn, year)
        states: dict[str, str] = {}
        for uid, code in program_identities_in(conn, year):
            status = statuses.get(uid)
            states.setdefault(code, status.state if status is not None else ReviewState.DRAFT.value)
        return states


def review_states_by_id(engine: Engine, year: int) -> dict[str, str]:
    """Program uid → review state for every program of the report; no record means 작성중."""
    with transaction(engine, write=False) as conn:
        statuses = statuses_in(conn, year)
        return {
            uid: statuses[uid].state if uid in statuses else ReviewState.DRAFT.value
            for uid, _code in program_identities_in(conn, year)
        }


def review_statuses(engine: Engine, year: int) -> dict[str, ReviewStatus]:
    """Every item with a review record (programs by uid, section II keys, ``I``, ``III``)."""
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


def check_transition(ref: ItemRef, old: str, new: str, comment: str | None) -> None:
    """Raise :class:`ReviewError` when ``old → new`` is not a manual transition (``policy.transition_refusal``)."""
    refuse(policy.transition_refusal(ref, old, new, comment))


def set_state(
    engine: Engine,
    year: int,
    item: str,
    state: str,
    who: str | None,
    *,
    comment: str | None = None,
    waiver: str | None = None,
) -> ReviewStatus:
    """Change an item's review state (a program's uid or code, or a section II key); audit-logged, bumps the revision.

    ``waiver``: why the office confirms it with errors still open; kept in the
    audit entry of the change (``detail["waiver"]``), in the same unit of work.
    """
    from seri_desktop.store.audit import Via
    from seri_desktop.store.unit import unit_of_work

    with unit_of_work(engine, year, who=who, via=Via.CLI) as work:
        return work.set_state(resolve_item_in(work.conn, year, item), state, comment=comment, waiver=waiver)


def item_department_in(conn: Connection, year: int, ref: ItemRef) -> str:
    """The department an item belongs to: a section II's own, or the program's owner."""
    if ref.department is not None:
        return ref.department
    found = program_department_in(conn, year, ref.id)
    if found is None:
        raise ProgramNotFoundError(f"{year}년 보고서에 {ref.label} 사업이 없습니다.")
    return found


# --- locks -----------------------------------------------------------------------------------------------


def lock_reason(engine: Engine, year: int, item: str) -> str | None:
    """Why ``item`` (a program's uid or code, or a section II key) may not be edited here, or ``None``."""
    with transaction(engine, write=False) as conn:
        return lock_reason_in(conn, year, item)


def edit_refusal_in(conn: Connection, year: int, ref: ItemRef) -> Refusal | None:
    """The edit policy's answer for ``ref`` in this database (``policy.edit_refusal``), inside ``conn``."""
    status = status_in(conn, year, ref.key())
    return policy.edit_refusal(editor_in(conn), ref, status.state if status is not None else None)


def lock_reason_in(conn: Connection, year: int, item: str) -> str | None:
    """As :func:`lock_reason`, inside the caller's transaction."""
    try:
        ref = resolve_item_in(conn, year, item)
    except ProgramNotFoundError:
        ref = ItemRef.from_key(item)
    refusal = edit_refusal_in(conn, year, ref)
    return refusal.message if refusal is not None else None


def is_locked(engine: Engine, year: int, item: str) -> bool:
    """Whether the program ``item`` (uid or code) is locked here: 확정, or another department's in a package."""
    return lock_reason(engine, year, item) is not None


def is_section_ii_locked(engine: Engine, year: int, department: str) -> bool:
    """Whether the department's section II is locked here (as :func:`is_locked` for programs)."""
    return lock_reason(engine, year, ItemRef.section_ii(department).key()) is not None


def save_program_checked(
    engine: Engine, year: int, program: Program, *, who: str | None = None, read: int | None = None
) -> int:
    """Save one program through the unit of work (refused when locked or stale); its new content revision.

    The check and the write are one transaction, so a lock set meanwhile is never written past.
    """
    from seri_desktop.store.audit import Via
    from seri_desktop.store.unit import unit_of_work

    with unit_of_work(engine, year, who=who, via=Via.WINDOW) as work:
        return work.save_program(program, read=read)


def save_section_ii_checked(
    engine: Engine, year: int, department: Department, *, who: str | None = None, read: int | None = None
) -> int:
    """Save one department's section II through the unit of work (refused when locked or stale)."""
    from seri_desktop.store.audit import Via
    from seri_desktop.store.unit import unit_of_work

    with unit_of_work(engine, year, who=who, via=Via.WINDOW) as work:
        return work.save_section_ii(department, read=read)


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
    via: str = "",
) -> Comment:
    """Store a comment inside the caller's transaction (and, with ``audit``, its audit entry)."""
    comment = Comment(
        id=comment_id or str(uuid.uuid4()),
        year=year,
        department=department,
        target=CommentTarget(target.program, target.section, target.row, target.column, department, target.code),
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
            "program_code": target.code if target.program else "",
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
            item_code=target.code,
            via=via,
            department=department,
            section=target.section,
            row=target.row,
            column=target.column,
            new=text,
            at=at,
        )
    return comment


def add_comment(engine: Engine, year: int, target: CommentTarget, text: str, who: str | None) -> Comment:
    """Add a review comment (audit-logged). An empty text or an unknown program is refused.

    ``target.program`` may be the program's uid or its code now.
    """
    from seri_desktop.store.audit import Via
    from seri_desktop.store.unit import unit_of_work

    with unit_of_work(engine, year, who=who, via=Via.CLI) as work:
        return work.add_comment(target, text)


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
            r.program_code,
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


def comments_for_program(engine: Engine, year: int, program: str) -> list[Comment]:
    """The comments on a program (its uid, or its code now): whole program, its sections and cells, oldest first."""
    with transaction(engine, write=False) as conn:
        try:
            ref = resolve_item_in(conn, year, program)
        except ProgramNotFoundError:
            ref = ItemRef.program(program)  # a program no longer in the report keeps its comments
        return comments_in(conn, year, program=ref.id)


def comments_for_department(engine: Engine, year: int, department: str) -> list[Comment]:
    """Every comment addressed to a department: on its programs and on its section II, oldest first."""
    with transaction(engine, write=False) as conn:
        return comments_in(conn, year, department=department)


def section_ii_comments(engine: Engine, year: int, department: str) -> list[Comment]:
    """The comments on a department's section II."""
    return [c for c in comments_for_department(engine, year, department) if c.target.program is None]
