"""The one unit of work: every write to the store, checked, audited and revisioned in one transaction.

Every path that changes a report goes through here: the window's autosave,
``import-xlsx``, ``import-text``, roll-over, a merge, an HWPX intake, state
changes and comments, issuing a package. Opened with :func:`unit_of_work`
(one write transaction of :func:`seri_desktop.store.engine.transaction`,
which serialises writers on SQLite and PostgreSQL alike), a
:class:`UnitOfWork` offers one writer per aggregate:

=========================================  ====================  ======================================
writer                                     item (``ItemRef``)    what it writes
=========================================  ====================  ======================================
:meth:`UnitOfWork.save_program`            the program's uid     one program's content
:meth:`UnitOfWork.save_section_ii`         ``II:<department>``   성과 / 한계 / 개선 방향, order, layout
:meth:`UnitOfWork.save_front`              ``I``                 the cover and I. 일반 현황
:meth:`UnitOfWork.save_structure`          ``III``               chapters, program order and codes,
                                                                 departments (names, order)
:meth:`UnitOfWork.apply`                   any of them           what a writer changed on a snapshot
:meth:`UnitOfWork.create_report`           (all)                 a new report
=========================================  ====================  ======================================

and the review records (:meth:`UnitOfWork.set_state`,
:meth:`UnitOfWork.add_comment`, :meth:`UnitOfWork.move_state`), extra
entries (:meth:`UnitOfWork.record`). Each writer, for its aggregate:

1. checks the edit policy (:func:`seri_desktop.domain.policy.edit_refusal`:
   확정, and in a department package everything not issued to it; a
   package may not give a program to another department; a 확정 program is
   not removed), raising :class:`~seri_desktop.store.review.ProgramLockedError`;
2. checks the revision the writer read (``read``, the item's content
   revision in the :class:`Snapshot` it read) against the stored one and
   raises :class:`StaleWriteError` (code ``"stale"``) naming the item, who
   saved it meanwhile and how, and carrying both versions;
3. diffs the stored version with the new one (:mod:`seri_desktop.domain.diff`)
   and writes nothing when they are equal: only changed aggregates are saved;
4. writes the rows (:mod:`seri_desktop.store.content`), one ``field`` audit
   entry per changed field (who, when, which path, old → new in words) and
   bumps the item's revision and content revision.

Any refusal raises inside the transaction, so nothing of the unit is
written. After the commit the audit log's anchor is moved
(:func:`seri_desktop.store.audit.update_anchors`). On PostgreSQL the
transaction also carries a ``NOTIFY`` of the items it changed
(:mod:`seri_desktop.store.notify`), so the other open windows refresh.

A program's code and place are the structure's (``III``): a program write
keeps the stored code, so a window that still shows an old number never
renumbers back, and the program's content hash leaves the code out.

For tests only: with ``SERI_FAULT_KILL_AT=N`` in the environment the process
kills itself with SIGKILL at the N-th SQL statement of its write
transactions (:mod:`seri_desktop.store.engine`), to prove that a crash at
any point leaves the old report or the new one, never a mix.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import Connection, Engine

from seri_desktop.domain import policy
from seri_desktop.domain.canonical import SectionII, program_content_sha256, program_to_dict, section_ii_sha256
from seri_desktop.domain.diff import (
    ChangeKind,
    FieldChange,
    front_changes,
    program_changes,
    section_ii_changes,
    structure_changes,
)
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Department, Program, Report
from seri_desktop.domain.policy import OfficeAction, ReviewState
from seri_desktop.settings import require_user_name
from seri_desktop.store.audit import AuditAction, record_many_in, update_anchors, via_label
from seri_desktop.store.content import (
    DepartmentNotFoundError,
    ProgramNotFoundError,
    ReportExistsError,
    ReportNotFoundError,
    StoredReport,
    find_report_in,
    load_department_in,
    load_front_in,
    load_program_in,
    report_id_in,
    save_front_matter_in,
    save_program_in,
    save_report_in,
    save_section_ii_in,
)
from seri_desktop.store.engine import StoreError, transaction
from seri_desktop.store.exchange import editor_in, now
from seri_desktop.store.notify import send_in
from seri_desktop.store.review import (
    Comment,
    CommentTarget,
    ProgramLockedError,
    ReviewError,
    ReviewStatus,
    add_comment_in,
    check_transition,
    refuse,
    rename_department_in,
    resolve_item_in,
    statuses_in,
    write_status_in,
)
from seri_desktop.store.validation import validate_department, validate_front_matter, validate_program, validate_report

FRONT: Final = ItemRef.front()
STRUCTURE: Final = ItemRef.structure()
# The place of a program's code in the audit log (its history shows "번호 2-5 → 2-4").
CODE_SECTION: Final = "code"
CODE_COLUMN: Final = "번호"
# The report's own fields that are front matter (the rest of a Report is departments and chapters).
_FRONT_FIELDS: Final = (
    "title",
    "meeting",
    "committee",
    "subtitle",
    "date_label",
    "institute",
    "unit",
    "as_of",
    "front",
    "layout",
)


# --- what a writer read --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """A report as a writer read it, with the content revision of every item at that moment."""

    year: int
    report: Report
    revisions: Mapping[str, int] = field(repr=False)  # item key → content revision (0: none recorded)

    def revision(self, ref: ItemRef) -> int:
        return self.revisions.get(ref.key(), 0)


def snapshot_in(conn: Connection, year: int | None) -> Snapshot:
    """The stored report of ``year`` (the newest when ``None``) and its revisions, inside ``conn``."""
    stored = find_report_in(conn, year)
    if stored is None:
        raise ReportNotFoundError(f"{year}년 보고서가 없습니다." if year is not None else "저장된 보고서가 없습니다.")
    statuses = statuses_in(conn, stored.report.year)
    return Snapshot(stored.report.year, stored.report, {key: s.content_revision for key, s in statuses.items()})


def read_snapshot(engine: Engine, year: int | None = None) -> Snapshot:
    """:func:`snapshot_in` in a read transaction of its own (one consistent view)."""
    with transaction(engine, write=False) as conn:
        return snapshot_in(conn, year)


# --- a stale write ------------------------------------------------------------------------------------------


class StaleWriteError(StoreError):
    """The item was saved by someone else after the writer read it; nothing of the unit was written.

    ``stored`` is the version in the store now (``None`` when it was removed),
    ``attempted`` the one the writer tried to save: a window shows the two side
    by side and the person chooses; saving again with ``read=stored_revision``
    keeps theirs.
    """

    default_code = "stale"

    def __init__(
        self,
        ref: ItemRef,
        *,
        read: int,
        status: ReviewStatus | None,
        stored: object | None,
        attempted: object | None,
    ) -> None:
        self.ref = ref
        self.read_revision = read
        self.stored_revision = status.content_revision if status is not None else 0
        self.saved_by = status.saved_by if status is not None else ""
        self.saved_at = status.saved_at if status is not None else None
        self.saved_via = status.saved_via if status is not None else ""
        self.stored = stored
        self.attempted = attempted
        what = policy.item_name(ref)
        if stored is None:
            head = f"{what}이(가) 읽은 뒤에 보고서에서 빠졌습니다"
        else:
            when = f"{self.saved_at.astimezone():%Y-%m-%d %H:%M}" if self.saved_at is not None else "시각 모름"
            head = (
                f"{what}을(를) 읽은 뒤에 다른 곳에서 먼저 저장했습니다"
                f"({self.saved_by or '이름 없음'}, {when}, {via_label(self.saved_via)}; "
                f"읽은 개정 {read}, 저장된 개정 {self.stored_revision})"
            )
        super().__init__(
            f"{head}. 이 저장은 하지 않았고 아무것도 바뀌지 않았습니다. 저장된 내용과 비교해 고른 뒤 다시 저장하십시오."
        )


# --- the unit of work ------------------------------------------------------------------------------------------


def _section(department: Department) -> SectionII:
    return SectionII.of(department)


def _department_changes(before: Department, after: Department) -> list[FieldChange]:
    changes = section_ii_changes(_section(before), _section(after))
    if before.order != after.order:
        changes.append(FieldChange("department", ChangeKind.CHANGED, None, "순서", str(before.order), str(after.order)))
    if before.layout != after.layout:
        changes.append(FieldChange("layout", ChangeKind.CHANGED, None, "", repr(before.layout), repr(after.layout)))
    return changes


def _same_program(a: Program, b: Program) -> bool:
    return program_content_sha256(a) == program_content_sha256(b)


def _same_department(a: Department, b: Department) -> bool:
    return section_ii_sha256(_section(a)) == section_ii_sha256(_section(b)) and (a.order, a.layout) == (
        b.order,
        b.layout,
    )


def compose_structure(current: Report, new: Report) -> Report:
    """``new``'s structure with the content ``current`` holds.

    Chapters (with their listed programs and author blocks), the programs'
    order, chapter and codes, and the departments' names, order and layout
    come from ``new``; every program and department ``current`` already has
    (by uid) keeps its stored content, and the cover and front matter are
    ``current``'s. Programs and departments new to the report bring their
    own content.
    """
    result = copy.deepcopy(new)
    programs = {p.uid: p for p in current.programs()}
    for chapter in result.chapters:
        for index, program in enumerate(chapter.programs):
            stored = programs.get(program.uid)
            if stored is not None:
                kept = copy.deepcopy(stored)
                kept.code = program.code
                chapter.programs[index] = kept
    departments = {d.uid: d for d in current.departments}
    for index, department in enumerate(result.departments):
        stored_department = departments.get(department.uid)
        if stored_department is not None:
            kept_department = copy.deepcopy(stored_department)
            kept_department.name, kept_department.order = department.name, department.order
            kept_department.layout = copy.deepcopy(department.layout)
            result.departments[index] = kept_department
    for name in _FRONT_FIELDS:
        setattr(result, name, copy.deepcopy(getattr(current, name)))
    return result


def carry_structure(current: Report, target: Report, *, programs: frozenset[str], departments: frozenset[str]) -> Report:
    """``current`` with ``target``'s structure and, for the items a structural change touched, ``target``'s content.

    How the window undoes (``target``: the report before the change) and redoes
    (``target``: the report after it) one structural step
    (:class:`seri_desktop.domain.structure.Change`): content edited meanwhile
    stays as it is now; only the title and department of ``programs`` and the
    section II of ``departments`` (uids) come from ``target``, and a program
    ``current`` lacks (a deleted one) comes back whole from ``target``.
    """
    result = compose_structure(current, target)
    wanted = {p.uid: p for p in target.programs()}
    for program in result.programs():
        source = wanted.get(program.uid)
        if source is not None and program.uid in programs:
            program.title, program.department = source.title, source.department
    sections = {d.uid: d for d in target.departments}
    for department in result.departments:
        section = sections.get(department.uid)
        if section is not None and department.uid in departments:
            department.results = copy.deepcopy(section.results)
            department.limits = copy.deepcopy(section.limits)
            department.directions = copy.deepcopy(section.directions)
    return result


class UnitOfWork:
    """The writes of one transaction on one year's report; see the module docstring.

    Made by :func:`unit_of_work` (or directly on a caller's write transaction,
    then :meth:`finish` writes the audit entries).
    """

    def __init__(self, conn: Connection, year: int, *, who: str | None, via: str) -> None:
        self.conn = conn
        self.year = year
        self.who = require_user_name(who)
        self.via = str(via)
        self.editor = editor_in(conn)
        self.moment = now()
        self._statuses = statuses_in(conn, year)
        self._report_id = report_id_in(conn, year)
        self._report: Report | None = None  # the whole stored report, loaded when a writer needs it
        self._audit: list[dict[str, Any]] = []
        # Items whose record got its next revision in this unit: one unit is one revision of an item.
        self._bumped: set[str] = set()

    # --- reading -------------------------------------------------------------------------------

    @property
    def report_id(self) -> int:
        if self._report_id is None:
            raise ReportNotFoundError(f"{self.year}년 보고서가 없습니다.")
        return self._report_id

    @property
    def exists(self) -> bool:
        return self._report_id is not None

    def report(self) -> Report:
        """The stored report as it stands in this transaction (writes of this unit included)."""
        if self._report is None:
            stored = find_report_in(self.conn, self.year)
            if stored is None:
                raise ReportNotFoundError(f"{self.year}년 보고서가 없습니다.")
            self._report_id, self._report = stored.id, stored.report
        return self._report

    def stored(self) -> StoredReport:
        return StoredReport(self.report_id, self.report())

    def refresh_statuses(self) -> None:
        """Read the review records again (after a caller wrote some directly on :attr:`conn`)."""
        self._statuses = statuses_in(self.conn, self.year)

    def status(self, ref: ItemRef) -> ReviewStatus | None:
        return self._statuses.get(ref.key())

    def state(self, ref: ItemRef) -> str:
        status = self.status(ref)
        return status.state if status is not None else ReviewState.DRAFT.value

    def revision(self, ref: ItemRef) -> int:
        """The item's content revision now (0 when the store has no record of it)."""
        status = self.status(ref)
        return status.content_revision if status is not None else 0

    def program(self, uid: str) -> Program | None:
        if self._report is not None:
            return self._report.program_by_uid(uid)
        return load_program_in(self.conn, self.report_id, uid)

    def resolve(self, item: str) -> ItemRef:
        """The item a person named (a program's uid or code, ``II:<department>``, ``I``, ``III``)."""
        return resolve_item_in(self.conn, self.year, item)

    # --- checks -------------------------------------------------------------------------------

    def check_office(self, action: OfficeAction, error: type[StoreError] = ReviewError) -> None:
        """Refuse in a department package what only the office does."""
        refuse(policy.office_refusal(self.editor, action), error)

    def check_editable(self, ref: ItemRef) -> None:
        """Refuse (:class:`ProgramLockedError`) what the edit policy does not let this database change."""
        refuse(policy.edit_refusal(self.editor, ref, self.state(ref)), ProgramLockedError)

    def _check(self, ref: ItemRef, read: int | None, *, stored: object | None, attempted: object | None) -> None:
        self.check_editable(ref)
        if read is not None and read != self.revision(ref):
            raise StaleWriteError(ref, read=read, status=self.status(ref), stored=stored, attempted=attempted)

    # --- bookkeeping ----------------------------------------------------------------------------

    def record(self, **entry: Any) -> None:
        """Queue an audit entry of this unit (``year``, ``who``, ``via`` and the time default to the unit's)."""
        self._audit.append({"year": self.year, "who": self.who, "via": self.via, "at": self.moment, **entry})

    def _fields(
        self, ref: ItemRef, changes: list[FieldChange], *, department: str, submission: str = "", source: str = ""
    ) -> None:
        for change in changes:
            detail: dict[str, Any] = {"kind": str(change.kind)}
            if source:
                detail["source"] = source
            self.record(
                action=AuditAction.FIELD,
                item=ref.key(),
                item_code=ref.code,
                department=department,
                section=change.section,
                row=change.row,
                column=change.column,
                old=change.old,
                new=change.new,
                submission=submission,
                detail=detail,
            )

    def _bump(self, ref: ItemRef, sha256: str) -> ReviewStatus:
        """Record a content write of ``ref``: the next revision and content revision, who, when, how."""
        status = self.status(ref)
        written = write_status_in(
            self.conn,
            self.year,
            ref.key(),
            state=status.state if status is not None else ReviewState.DRAFT.value,
            revision=self._next_revision(ref, status),
            sha256=sha256,
            who=status.changed_by if status is not None else self.who,
            at=(status.changed_at or self.moment) if status is not None else self.moment,
            content=((status.content_revision if status is not None else 0) + 1, self.moment, self.who, self.via),
        )
        self._statuses[ref.key()] = written
        return written

    def _next_revision(self, ref: ItemRef, status: ReviewStatus | None) -> int:
        revision = status.revision if status is not None else 0
        if ref.key() in self._bumped and status is not None:
            return revision
        self._bumped.add(ref.key())
        return revision + 1

    def _in_memory(self, program: Program) -> None:
        if self._report is None:
            return
        for chapter in self._report.chapters:
            for index, existing in enumerate(chapter.programs):
                if existing.uid == program.uid:
                    chapter.programs[index] = program
                    return

    # --- the aggregates ---------------------------------------------------------------------------

    def save_program(self, program: Program, *, read: int | None = None, submission: str = "", source: str = "") -> int:
        """Save one program's content (found by its uid); returns its content revision after the write.

        The stored code is kept (it is the structure's). Nothing is written when
        the content is unchanged.
        """
        validate_program(program)
        before = self.program(program.uid)
        if before is None:
            ref = ItemRef.program(program.uid, program.code)
            if read is not None:
                raise StaleWriteError(ref, read=read, status=self.status(ref), stored=None, attempted=program)
            raise ProgramNotFoundError(f"{self.year}년 보고서에 {program.code} 사업이 없습니다.")
        ref = ItemRef.of(before)
        self._check(ref, read, stored=before, attempted=program)
        refuse(policy.reassign_refusal(self.editor, ref, before.department, program.department), ProgramLockedError)
        new = copy.deepcopy(program)
        new.code, new.uid = before.code, before.uid
        if _same_program(before, new):
            return self.revision(ref)
        save_program_in(self.conn, self.report_id, new)
        self._in_memory(new)
        self._fields(
            ref,
            program_changes(before, new, self.year),
            department=new.department,
            submission=submission,
            source=source,
        )
        return self._bump(ref, program_content_sha256(new)).content_revision

    def _stored_department(self, department: Department) -> Department:
        if self._report is not None:
            found = next((d for d in self._report.departments if d.uid == department.uid), None)
            found = found or self._report.department(department.name)
        else:
            found = load_department_in(self.conn, self.report_id, department.uid)
            if found is None:
                report = self.report()
                found = report.department(department.name)
        if found is None:
            raise DepartmentNotFoundError(f"{self.year}년 보고서에 '{department.name}' 부서가 없습니다.")
        return found

    def save_section_ii(
        self, department: Department, *, read: int | None = None, submission: str = "", source: str = ""
    ) -> int:
        """Save one department's section II, order and layout (its name is the structure's)."""
        validate_department(department)
        before = self._stored_department(department)
        ref = ItemRef.section_ii(before.name)
        self._check(ref, read, stored=before, attempted=department)
        new = copy.deepcopy(department)
        new.name, new.uid = before.name, before.uid
        if _same_department(before, new):
            return self.revision(ref)
        save_section_ii_in(self.conn, self.report_id, new)
        if self._report is not None:
            self._report.departments = [new if d.uid == new.uid else d for d in self._report.departments]
        self._fields(ref, _department_changes(before, new), department=new.name, submission=submission, source=source)
        return self._bump(ref, section_ii_sha256(_section(new))).content_revision

    def save_front(self, report: Report, *, read: int | None = None) -> int:
        """Save the cover fields and the front matter (I. 일반 현황)."""
        validate_front_matter(report)
        before = load_front_in(self.conn, self.report_id) if self._report is None else self._report
        self._check(FRONT, read, stored=before, attempted=report)
        changes = front_changes(before, report)
        if not changes:
            return self.revision(FRONT)
        save_front_matter_in(self.conn, self.report_id, report)
        if self._report is not None:
            for name in _FRONT_FIELDS:
                setattr(self._report, name, copy.deepcopy(getattr(report, name)))
        self._fields(FRONT, changes, department="")
        return self._bump(FRONT, "").content_revision

    def save_structure(self, report: Report, *, read: int | None = None) -> int:
        """Save the report's structure from ``report`` (see :func:`compose_structure`); content stays as stored.

        Programs ``report`` no longer has are removed (a 확정 one is refused);
        their last content stays in the audit log. A renumbered or moved
        program keeps its uid, so its review record, comments and history
        stay with it; its history records the new code.
        """
        validate_report(report)
        current = self.report()
        self._check(STRUCTURE, read, stored=current, attempted=report)
        composed = compose_structure(current, report)
        changes = structure_changes(current, composed)
        if not changes:
            return self.revision(STRUCTURE)
        before = {p.uid: p for p in current.programs()}
        after = {p.uid: p for p in composed.programs()}
        for uid, program in before.items():
            if uid not in after:
                ref = ItemRef.of(program)
                refuse(policy.removal_refusal(ref, self.state(ref)), ProgramLockedError)
        new_id = save_report_in(self.conn, composed, replace=True)
        self._report_id, self._report = new_id, composed
        self._fields(STRUCTURE, changes, department="")
        for uid, program in before.items():
            ref = ItemRef.of(program)
            moved = after.get(uid)
            if moved is None:
                self.record(
                    action=AuditAction.FIELD,
                    item=ref.key(),
                    item_code=program.code,
                    department=program.department,
                    section=CODE_SECTION,
                    column=CODE_COLUMN,
                    old=f"{program.code} {program.title}",
                    detail={"kind": str(ChangeKind.REMOVED), "content": _content(program)},
                )
            elif moved.code != program.code:
                self.record(
                    action=AuditAction.FIELD,
                    item=ref.key(),
                    item_code=moved.code,
                    department=moved.department,
                    section=CODE_SECTION,
                    column=CODE_COLUMN,
                    old=program.code,
                    new=moved.code,
                    detail={"kind": str(ChangeKind.CHANGED)},
                )
        for uid, program in after.items():
            if uid not in before:
                ref = ItemRef.of(program)
                self._fields(ref, program_changes(None, program, self.year), department=program.department)
                self._bump(ref, program_content_sha256(program))
        return self._bump(STRUCTURE, "").content_revision

    def apply(self, new: Report, base: Snapshot) -> list[ItemRef]:
        """Save what a writer changed in ``new``, a copy of ``base`` it read; returns the items written.

        Each aggregate ``new`` holds differently from ``base`` is saved with the
        revision ``base`` read (stale if it moved on since); aggregates the
        writer left as it read them are not written at all, so a change made
        meanwhile by someone else survives.
        """
        validate_report(new)
        written: list[ItemRef] = []
        old_programs = {p.uid: p for p in base.report.programs()}
        for program in new.programs():
            old = old_programs.get(program.uid)
            if old is not None and not _same_program(old, program):
                ref = ItemRef.of(old)
                self.save_program(program, read=base.revision(ref))
                written.append(ref)
        old_departments = {d.uid: d for d in base.report.departments}
        for department in new.departments:
            old_department = old_departments.get(department.uid)
            if old_department is not None and not _same_department(old_department, department):
                ref = ItemRef.section_ii(old_department.name)
                self.save_section_ii(department, read=base.revision(ref))
                written.append(ref)
        if front_changes(base.report, new):
            self.save_front(new, read=base.revision(FRONT))
            written.append(FRONT)
        if structure_changes(base.report, new):
            self.save_structure(new, read=base.revision(STRUCTURE))
            written.append(STRUCTURE)
        return written

    def restructure(self, new: Report, base: Snapshot, *, summary: str, plan: list[str] | None = None) -> list[ItemRef]:
        """One structural change (:mod:`seri_desktop.domain.structure`): ``new``, made from ``base``, saved as one unit.

        Office only. The programs whose title or department changed, the
        departments whose section II or order changed and the structure are
        saved with the revisions ``base`` read (:meth:`apply`); a renamed
        department's review record and comments follow its new name; one
        ``structure`` entry records ``summary`` and the ``plan`` lines (the codes
        renumbered) beside the field entries.
        """
        self.check_office(OfficeAction.STRUCTURE)
        renamed = [
            (old.name, department.name)
            for department in new.departments
            for old in base.report.departments
            if old.uid == department.uid and old.name != department.name
        ]
        merged = [
            (gone.name, _new_owner(gone, base.report, new))
            for gone in base.report.departments
            if all(d.uid != gone.uid for d in new.departments)
        ]
        written = self.apply(new, base)
        for old_name, new_name in [*renamed, *((a, b) for a, b in merged if b)]:
            rename_department_in(self.conn, self.year, old_name, new_name)
        self.refresh_statuses()
        if written:
            self.record(
                action=AuditAction.STRUCTURE,
                item=STRUCTURE.key(),
                new=summary,
                detail={"steps": list(plan or [summary])},
            )
        return written

    def replace_report(self, new: Report) -> list[ItemRef]:
        """Make the stored report ``new`` (import-text --replace), writing only what differs from it now.

        ``new`` should carry the stored ids where it has the stored programs,
        chapters and departments (:func:`seri_desktop.domain.identity.adopt_ids`);
        a program whose id is not stored counts as new, one the store has and
        ``new`` lacks as removed. Locks hold as for every write.
        """
        if new.year != self.year:
            raise StoreError(f"{new.year}년 보고서를 {self.year}년 자리에 쓸 수 없습니다.")
        base = Snapshot(
            self.year, copy.deepcopy(self.report()), {k: s.content_revision for k, s in self._statuses.items()}
        )
        return self.apply(new, base)

    def create_report(self, report: Report, *, detail: dict[str, Any] | None = None) -> int:
        """Store a new report (the year must be free); one ``report`` audit entry says so."""
        if report.year != self.year:
            raise StoreError(f"{report.year}년 보고서를 {self.year}년 자리에 쓸 수 없습니다.")
        if self._report_id is not None:
            raise ReportExistsError(f"{report.year}년 보고서가 이미 있습니다. 바꾸려면 --replace 를 쓰십시오.")
        self._report_id = save_report_in(self.conn, report)
        self._report = copy.deepcopy(report)
        programs = sum(1 for _ in report.programs())
        self.record(
            action=AuditAction.REPORT,
            new=f"{report.year}년 보고서: {len(report.chapters)}개 장, 사업 {programs}개, 부서 {len(report.departments)}개",
            detail=detail,
        )
        return self._report_id

    # --- review records ----------------------------------------------------------------------------

    def _department_of(self, ref: ItemRef) -> str:
        if ref.department is not None:
            return ref.department
        program = self.program(ref.id)
        if program is None:
            raise ProgramNotFoundError(f"{self.year}년 보고서에 {ref.label} 사업이 없습니다.")
        return program.department

    def move_state(
        self,
        ref: ItemRef,
        state: str,
        *,
        sha256: str | None = None,
        submission: str = "",
        detail: dict[str, Any] | None = None,
    ) -> ReviewStatus:
        """Set an item's state as a merge or intake decides it (no manual-transition check); audit-logged."""
        status = self.status(ref)
        old = status.state if status is not None else ReviewState.DRAFT.value
        written = write_status_in(
            self.conn,
            self.year,
            ref.key(),
            state=state,
            revision=self._next_revision(ref, status),
            sha256=sha256 if sha256 is not None else (status.sha256 if status is not None else ""),
            who=self.who,
            at=self.moment,
        )
        self._statuses[ref.key()] = written
        if old != state:
            self.record(
                action=AuditAction.STATE,
                item=ref.key(),
                item_code=ref.code,
                department=self._department_of(ref),
                old=old,
                new=state,
                submission=submission,
                detail=detail,
            )
        return written

    def set_state(
        self, ref: ItemRef, state: str, *, comment: str | None = None, waiver: str | None = None
    ) -> ReviewStatus:
        """A manual transition by the office (``policy.TRANSITIONS``); 반려 needs ``comment``, kept as a comment.

        ``waiver`` (why it is confirmed with errors open) goes into the state entry's ``detail``.
        """
        self.check_office(OfficeAction.REVIEW)
        department = self._department_of(ref)
        check_transition(ref, self.state(ref), state, comment)
        reason = waiver.strip() if waiver else ""
        written = self.move_state(ref, state, detail={"waiver": reason} if reason else None)
        if comment and comment.strip():
            target = CommentTarget(ref.id if ref.is_program else None, department=department, code=ref.code)
            self.add_comment(target, comment.strip())
        return written

    def add_comment(
        self,
        target: CommentTarget,
        text: str,
        *,
        audit: bool = True,
        comment_id: str | None = None,
        at: dt.datetime | None = None,
    ) -> Comment:
        """A review comment on a program (its uid or code), a section, a cell, or a section II; audit-logged."""
        text = text.strip()
        if not text:
            raise ReviewError("검토 의견이 비어 있습니다.", "comment-empty")
        if target.program is None and not target.department:
            raise ReviewError("업무 평가에 대한 의견에는 부서를 지정해야 합니다.", "comment-department")
        if target.row is not None and target.row < 1:
            raise ReviewError(f"행 번호는 1 이상이어야 합니다 (받은 값: {target.row}).", "comment-row")
        if target.program is not None:
            ref = self.resolve(target.program)
            target = CommentTarget(ref.id, target.section, target.row, target.column, target.department, ref.code)
        else:
            ref = target.ref
        department = self._department_of(ref)
        comment = add_comment_in(
            self.conn,
            self.year,
            target,
            text,
            self.who,
            department=department,
            at=at or self.moment,
            comment_id=comment_id,
            audit=False,
        )
        if audit:
            self.record(
                action=AuditAction.COMMENT,
                item=ref.key(),
                item_code=ref.code,
                department=department,
                section=target.section,
                row=target.row,
                column=target.column,
                new=text,
            )
        return comment

    # --- the end -------------------------------------------------------------------------------------

    def finish(self) -> None:
        """Write the queued audit entries (chained) inside the transaction; called once at its end.

        On PostgreSQL it also queues the notice of what changed
        (:func:`seri_desktop.store.notify.send_in`), delivered to the other
        windows when the transaction commits.
        """
        send_in(self.conn, self.year, self.changed_items())
        record_many_in(self.conn, self._audit)
        self._audit = []

    def changed_items(self) -> dict[str, int] | None:
        """Every item this unit changed, with its content revision now; ``None`` when it changed the whole report.

        Read from the queued audit entries (every change writes one) and the
        revisions bumped; an entry naming no item (a new report) means all of it.
        """
        keys = set(self._bumped)
        for entry in self._audit:
            item = entry.get("item")
            if not item:
                return None
            keys.add(str(item))
        return {key: self.revision(ItemRef.from_key(key)) for key in sorted(keys)}


def _new_owner(gone: Department, before: Report, after: Report) -> str:
    """Where a removed department's programs went (a merge), or "" when it had none (a removal)."""
    owners = {p.department for p in after.programs() if (b := before.program_by_uid(p.uid)) is not None and b.department == gone.name}
    return owners.pop() if len(owners) == 1 else ""


def _content(program: Program) -> dict[str, Any]:
    return program_to_dict(program)


@contextmanager
def unit_of_work(engine: Engine, year: int, *, who: str | None, via: str) -> Iterator[UnitOfWork]:
    """One write transaction with its :class:`UnitOfWork`; audit entries and anchors at the end.

    ``who`` is the person (``--who``); ``None`` takes the name set in the
    settings, and with neither nothing is written (:class:`NameNotSetError`).
    """
    with transaction(engine, write=True) as conn:
        work = UnitOfWork(conn, year, who=who, via=via)
        yield work
        work.finish()
    update_anchors(engine, [year])



def save_structure_change(
    engine: Engine, base: Snapshot, new: Report, *, summary: str, plan: list[str], who: str | None, via: str
) -> list[ItemRef]:
    """Save one structural change (``new``, made from ``base``) in one transaction: :meth:`UnitOfWork.restructure`."""
    with unit_of_work(engine, base.year, who=who, via=via) as work:
        return work.restructure(new, base, summary=summary, plan=plan)


__all__ = [
    "FRONT",
    "STRUCTURE",
    "Snapshot",
    "StaleWriteError",
    "UnitOfWork",
    "carry_structure",
    "compose_structure",
    "read_snapshot",
    "save_structure_change",
    "snapshot_in",
    "unit_of_work",
]
