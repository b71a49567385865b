"""The audit log: every package issued, merge, state change, comment and changed field, who and when.

Public API (for the UI's per-program history and for ``seri-desktop audit``):

* ``audit_log(engine, year=None, *, item=None, department=None) -> list[AuditEntry]``,
  oldest first; ``item`` is an item's key (``ItemRef.key()``: a program code or a section II);
* ``program_audit(engine, year, code)``: the history of one program.

The CSV export of the log is :mod:`seri_desktop.formats.audit_csv`.

An entry's ``action`` is a stable English id (:class:`AuditAction`);
``action_label`` is the Korean word to show. A ``field`` entry is one
changed field with its place (section key, 1-based row, column label) and
the old and new value as printed. A ``merge`` entry keeps the item's whole
content before and after in ``detail`` (canonical JSON values), so nothing a
merge replaced is ever lost, even when the office chose to overwrite a
conflict.

Entries are written only with :func:`record_in`, inside the transaction of
the change they describe, so the log and the data never disagree. The log
is keyed by year and survives deleting or replacing the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, Required, TypedDict, Unpack

from sqlalchemy import Connection, Engine, insert, select

from seri_desktop.domain import template
from seri_desktop.domain.identity import ItemRef
from seri_desktop.store.engine import transaction
from seri_desktop.store.exchange import from_iso, now, to_iso
from seri_desktop.store.tables import AuditEntryRow, table_of

AUDIT = table_of(AuditEntryRow)


class AuditAction(StrEnum):
    """What an audit entry records."""

    PACKAGE = "package"  # a package issued to a department
    MERGE = "merge"  # an item's content replaced by a submission
    FIELD = "field"  # one changed field of a merge (or of an audited office edit)
    STATE = "state"  # a review state changed
    COMMENT = "comment"  # a review comment added
    SUBMISSION = "submission"  # a submission processed (its decisions)
    DETECTED_EDIT = "detected-edit"  # the office's copy changed outside the exchange (e.g. the form's autosave)


ACTION_LABELS: dict[str, str] = {
    AuditAction.PACKAGE: "꾸러미 발급",
    AuditAction.MERGE: "제출 반영",
    AuditAction.FIELD: "항목 변경",
    AuditAction.STATE: "상태 변경",
    AuditAction.COMMENT: "검토 의견",
    AuditAction.SUBMISSION: "제출 처리",
    AuditAction.DETECTED_EDIT: "사무국 편집 감지",
}


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    year: int
    at: dt.datetime
    who: str
    action: str
    item: str  # an item's key (ItemRef.key()), or "" for the whole report
    department: str
    section: str = ""
    row: int | None = None
    column: str = ""
    old: str = ""
    new: str = ""
    submission: str = ""  # payload sha256 of the submission involved
    detail: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def item_label(self) -> str:
        """The item as a reader names it: ``1-2`` or ``교육정책연구소 업무 평가``."""
        if not self.item:
            return self.department
        ref = ItemRef.from_key(self.item)
        return f"{ref.department} 업무 평가" if ref.is_section_ii else self.item

    def place(self) -> str:
        """The changed place in words (section label, row, column), as the rules print places."""
        parts = [template.label(self.section) if self.section else ""]
        if self.row is not None:
            parts.append(f"{self.row}행")
        if self.column:
            parts.append(self.column)
        return " ".join(p for p in parts if p)


class AuditFields(TypedDict, total=False):
    """The fields of one entry as :func:`record_in` takes them (``year``, ``who`` and ``action`` required)."""

    year: Required[int]
    who: Required[str]
    action: Required[AuditAction]
    item: str  # an item's key (ItemRef.key()), "" for the whole report
    department: str
    section: str
    row: int | None
    column: str
    old: str
    new: str
    submission: str
    detail: dict[str, Any] | None
    at: dt.datetime | None  # now when not given


_FIELDS: Final = frozenset(AuditFields.__annotations__)


def record_in(conn: Connection, **entry: Unpack[AuditFields]) -> None:
    """Add one entry inside the caller's transaction."""
    record_many_in(conn, [entry])


def record_many_in(conn: Connection, entries: Sequence[Mapping[str, Any]]) -> None:
    """Add many entries (keyword dicts as for :func:`record_in`) with one statement."""
    if entries:
        conn.execute(insert(AUDIT), [_row(entry) for entry in entries])


def _row(entry: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(entry) - _FIELDS
    if unknown:
        raise TypeError(f"unknown audit fields: {sorted(unknown)}")
    return {
        "year": entry["year"],
        "at": to_iso(entry.get("at") or now()),
        "who": entry["who"],
        "action": str(entry["action"]),
        "item_key": entry.get("item", ""),
        "department": entry.get("department", ""),
        "section": entry.get("section", ""),
        "row": entry.get("row"),
        "column_label": entry.get("column", ""),
        "old": entry.get("old", ""),
        "new": entry.get("new", ""),
        "submission": entry.get("submission", ""),
        "detail_json": entry.get("detail"),
    }


def audit_log(
    engine: Engine, year: int | None = None, *, item: str | None = None, department: str | None = None
) -> list[AuditEntry]:
    """Audit entries, oldest first, optionally of one year, one item (program code) or one department."""
    query = select(AUDIT)
    if year is not None:
        query = query.where(AUDIT.c.year == year)
    if item is not None:
        query = query.where(AUDIT.c.item_key == item)
    if department is not None:
        query = query.where(AUDIT.c.department == department)
    with transaction(engine, write=False) as conn:
        rows = conn.execute(query.order_by(AUDIT.c.id)).all()
    return [
        AuditEntry(
            id=r.id,
            year=r.year,
            at=from_iso(r.at),
            who=r.who,
            action=r.action,
            item=r.item_key,
            department=r.department,
            section=r.section,
            row=r.row,
            column=r.column_label,
            old=r.old,
            new=r.new,
            submission=r.submission,
            detail=r.detail_json,
        )
        for r in rows
    ]


def program_audit(engine: Engine, year: int, code: str) -> list[AuditEntry]:
    """The history of one program (or of a section II key), oldest first."""
    return audit_log(engine, year, item=code)
