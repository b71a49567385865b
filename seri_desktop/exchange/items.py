"""The reviewable items of a report (programs and departments' section II), their hashes and revisions.

An item is named by its :class:`~seri_desktop.domain.identity.ItemRef` and
stored under ``ItemRef.key()`` (a program's uid). The office's review record
of an item holds a revision counter and the content hash at that revision
(:func:`~seri_desktop.domain.canonical.program_content_sha256`, which leaves
the code out). Every write of the store keeps both up to date (the unit of
work); :func:`sync_items_in` is the safety net before packaging or merging:
a record whose hash is the old form (the code included, from before 0004)
gets the new form without a revision, and content that moved on without a
record (a database written by an older program) gets the next revision and
a ``detected-edit`` audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from seri_desktop.domain import template
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Program, Report
from seri_desktop.domain.policy import ReviewState
from seri_desktop.exchange.codec import (
    SectionII,
    canonical_bytes,
    program_content_sha256,
    program_sha256,
    program_to_dict,
    section_ii_to_dict,
    sha256_hex,
)
from seri_desktop.store.audit import AuditAction, record_in
from seri_desktop.store.exchange import now
from seri_desktop.store.review import ReviewStatus, statuses_in, write_status_in


@dataclass(frozen=True)
class ItemContent:
    """An item's content as JSON values and its hash."""

    key: str  # ref.key()
    department: str
    title: str
    content: dict[str, Any]
    sha256: str  # the content hash (a program's without its code)
    code: str = ""  # a program's code now (display)
    former: frozenset[str] = frozenset()  # hashes this content had in older forms (a program's with its code)

    @property
    def ref(self) -> ItemRef:
        return ItemRef.from_key(self.key).with_code(self.code)

    @property
    def label(self) -> str:
        """How messages name the item: a program's code, a section II's key."""
        return self.ref.label

    def fingerprints(self) -> frozenset[str]:
        """Every hash that stands for this content (the current form and the older ones)."""
        return frozenset({self.sha256}) | self.former


def program_content(program: Program) -> ItemContent:
    return ItemContent(
        ItemRef.of(program).key(),
        program.department,
        program.title,
        program_to_dict(program),
        program_content_sha256(program),
        program.code,
        frozenset({program_sha256(program)}),
    )


def section_ii_content(section: SectionII) -> ItemContent:
    content = section_ii_to_dict(section)
    return ItemContent(
        ItemRef.section_ii(section.department).key(),
        section.department,
        f"{section.department} {template.SECTION_II_HEADING}",
        content,
        sha256_hex(canonical_bytes(content)),
    )


def report_items(report: Report) -> dict[str, ItemContent]:
    """Every item of the report in report order: section II of each department, then the programs."""
    items = [section_ii_content(SectionII.of(d)) for d in report.departments]
    items += [program_content(p) for p in report.programs()]
    # Keys are uids, unique in a stored report; setdefault keeps the first should a report hold one twice.
    result: dict[str, ItemContent] = {}
    for item in items:
        result.setdefault(item.key, item)
    return result


def department_names(report: Report) -> list[str]:
    """The report's departments: section II order, then any owning a program without a section II entry."""
    names = [d.name for d in report.departments]
    for program in report.programs():
        if program.department not in names:
            names.append(program.department)
    return names


def department_items(report: Report, department: str) -> dict[str, ItemContent]:
    """A department's items: its programs (by ``Program.department``) and its section II."""
    return {key: item for key, item in report_items(report).items() if item.department == department}


def sync_items_in(
    conn: Connection, year: int, items: dict[str, ItemContent], who: str, *, via: str = ""
) -> dict[str, ReviewStatus]:
    """Make the review record of every item agree with its content; returns the records.

    A new item is recorded at revision 1 (작성중). A record holding an older
    form of the same content's hash gets the current form, nothing else. An
    item whose content moved on since its recorded hash gets the next
    revision and a ``detected-edit`` audit entry, so a package base or a
    conflict check always refers to a revision whose content is known.
    """
    statuses = statuses_in(conn, year)
    moment = now()
    for key, item in items.items():
        status = statuses.get(key)
        if status is None:
            statuses[key] = write_status_in(
                conn, year, key, state=ReviewState.DRAFT.value, revision=1, sha256=item.sha256, who=who, at=moment
            )
        elif status.sha256 in item.former:
            statuses[key] = write_status_in(
                conn,
                year,
                key,
                state=status.state,
                revision=status.revision,
                sha256=item.sha256,
                who=status.changed_by,
                at=status.changed_at or moment,
            )
        elif status.sha256 != item.sha256:
            # An empty hash: a state was set before any content was recorded; no edit to report.
            if status.sha256:
                record_in(
                    conn,
                    year=year,
                    who=who,
                    action=AuditAction.DETECTED_EDIT,
                    item=key,
                    item_code=item.code,
                    via=via,
                    department=item.department,
                    old="기록 없이 바뀐 내용",
                    new=f"개정 {status.revision + 1}로 기록",
                    detail={"old_sha256": status.sha256, "new_sha256": item.sha256},
                    at=moment,
                )
            # Who and when stay those of the last state change: a hash update is no review decision.
            statuses[key] = write_status_in(
                conn,
                year,
                key,
                state=status.state,
                revision=status.revision + 1 if status.sha256 else status.revision,
                sha256=item.sha256,
                who=status.changed_by,
                at=status.changed_at or moment,
            )
    return statuses
