"""The office's merge of submissions: verify, preview per item, then apply the review decisions.

Two steps, for the review screen and for ``seri-desktop merge``:

``preview_merge(engine, submission_path) -> MergePreview``
    Reads the file safely and verifies it, in this order: zip and manifest
    shape (size and nesting bounded before parsing), format and version;
    payload checksum; report year and id; the department's key and the HMAC
    signature (a submission signed with a key the office revoked when it
    issued a newer package is refused, code ``revoked-key``); not processed
    before (else :class:`AlreadyMergedError`, "이미 반영된 제출입니다", with
    what became of each item; see *processed again* below);
    payload readable (nesting bounded) and agreeing with the manifest; the
    package it was made from is one the office issued to that department,
    signed with that package's key, and the manifest names the department
    as the office issued it: its uid (``department_uid``) that of the
    package's key (codes ``department-uid``, ``unknown-department``), its
    name the one at issue (``department-mismatch``);
    ownership (every program belongs to the department, section II is its
    own); no new non-amount text in budget cells. Any failure raises
    :class:`SubmissionError` with a Korean message and a ``code``; nothing is
    written, ever, by a preview.

    Programs are matched by their permanent id: payload format 2 carries it,
    and a format 1 payload's codes are mapped through the office's record of
    the package (the codes as issued), so a package issued before the office
    renumbered or moved a program still merges into that program.
    Departments likewise, by their uid: a department renamed since is merged
    under its new name (its programs keep it, section II goes to it), one
    merged into another since as that department (its programs; its section
    II was appended to that department's and is not taken again).

    Then one :class:`ItemPreview` per submitted item (each program, and the
    department's section II under ``II:<department>``) with its status:

    * ``changed``: the department changed it and the office's copy is as
      issued (or as the department's own earlier submission left it);
    * ``conflict``: both changed it since the package was issued: the office's
      changes (``office_changes``) would be overwritten;
    * ``unchanged``: the submission equals the office's copy;
    * ``kept``: the department did not change it but the office did; the
      office's copy stays;
    * ``locked``: the department changed it but it is 확정; it is left alone;
    * ``older``: the department changed it, but a submission of the same
      department made later (or from a newer base revision) was merged
      already: accepting it would roll the newer content back, so it is
      refused unless the office forces that item (``force``);
    * ``merged``: the submission was processed before and this item with it
      (accepted, returned, unchanged …): it is not decided again.

    *Processed again*: a submission processed before is refused as a whole
    ("이미 반영된 제출입니다", each item's outcome named) unless some of its
    items were left as ``older`` then. Those, and only those, may still be
    taken by forcing them (``--force-older``): the preview shows them again
    (every other item ``merged``), applying without forcing one is refused
    the same way, and the submission's record is updated (its other items'
    outcomes stay). Forcing an item that was already taken is refused with a
    message saying so, so a replay never rolls anything back unseen.

    and its field-level diff (``changes``: office copy → submission),
    problem counts before and after, and warnings (an older submission than
    one already merged, an older package).

``apply_merge(engine, preview, decisions, comments, who, *, overwrite=(), force=()) -> MergeResult``
    ``decisions`` maps items (their key, or a program's code) to ``"accept"``
    or ``"return"``. Every ``changed`` and ``conflict`` item needs one;
    accepting a conflict also needs the item in ``overwrite`` (never
    silently), accepting an ``older`` item needs it in ``force``; a
    ``locked`` item cannot be accepted; a return needs a comment
    (``comments[key]``), which becomes a review comment on the item and
    travels in the department's next package. Everything is applied in ONE
    unit of work (:mod:`seri_desktop.store.unit`): accepted content, review
    states (accepted → 제출됨, returned → 반려), comments, the submission
    record and the audit log (a ``merge`` entry with the whole content
    before and after, one ``field`` entry per changed field). If the
    office's copy changed after the preview, nothing is applied.

``apply_merges(engine, requests, who)`` applies several previews in one
transaction (the CLI's ``merge a.serisub b.serisub …``).

The office's database remembers, per department, every submission it
processed (``exchange_submission``, with the base revision and the decision
of every item); the newest one merged is what an older one is compared with.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from seri_desktop.domain import policy
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Department, Program, Report
from seri_desktop.domain.policy import OfficeAction, ReviewState
from seri_desktop.domain.rules import Severity, check_program
from seri_desktop.exchange.codec import (
    UID_KEY,
    PayloadError,
    SectionII,
    content_sha256_of_dict,
    program_from_dict,
    program_sha256,
    section_ii_from_dict,
    sha256_hex,
)
from seri_desktop.exchange.diff import FieldChange, program_changes, section_ii_changes
from seri_desktop.exchange.errors import AlreadyMergedError, MergeError, SubmissionError
from seri_desktop.exchange.items import ItemContent, program_content, report_items, section_ii_content, sync_items_in
from seri_desktop.exchange.limits import MAX_PAYLOAD_DEPTH, bounded_json
from seri_desktop.exchange.submission import (
    PAYLOAD_FORMAT,
    SubmissionFile,
    new_invalid_cells,
    read_submission_file,
    signature_matches,
)
from seri_desktop.store.audit import AuditAction, Via, update_anchors
from seri_desktop.store.content import load_report_in, report_id_in
from seri_desktop.store.engine import transaction
from seri_desktop.store.exchange import (
    RECEIVED,
    BaseItem,
    DepartmentKey,
    IssuedPackage,
    SubmissionRecord,
    department_key_by_id_in,
    department_keys_in,
    editor_in,
    from_iso,
    issued_package_in,
    record_submission_in,
    report_identity_in,
    submission_by_payload_in,
    submissions_in,
    update_submission_outcome_in,
)
from seri_desktop.store.review import CommentTarget, statuses_in
from seri_desktop.store.unit import UnitOfWork

ACCEPT = "accept"
RETURN = "return"


class ItemStatus(StrEnum):
    """How a submitted item stands against the office's copy."""

    CHANGED = "changed"
    CONFLICT = "conflict"
    UNCHANGED = "unchanged"
    KEPT = "kept"
    LOCKED = "locked"
    OLDER = "older"
    MERGED = "merged"


STATUS_LABELS: dict[str, str] = {
    ItemStatus.CHANGED: "변경",
    ItemStatus.CONFLICT: "충돌",
    ItemStatus.UNCHANGED: "변경 없음",
    ItemStatus.KEPT: "사무국 사본 유지",
    ItemStatus.LOCKED: "확정됨(반영 안 함)",
    ItemStatus.OLDER: "더 오래된 제출(반영 안 함)",
    ItemStatus.MERGED: "이 제출에서 이미 처리됨",
}

# What became of an item when its submission was processed (``exchange_submission`` outcomes), in words.
DECISION_WORDS: dict[str, str] = {
    "accepted": "반영",
    "returned": "반려",
    "unchanged": "변경 없음",
    "kept": "기획 부서 사본 유지",
    "locked": "확정되어 반영 안 함",
    "older": "더 새 제출이 있어 반영 안 함",
}
OLDER_DECISION = "older"


@dataclass(frozen=True)
class Check:
    """One verification step that passed, for the review screen's checklist."""

    label: str
    detail: str


@dataclass(frozen=True)
class ItemPreview:
    """One submitted item: its status, its diff against the office's copy, problem counts and warnings."""

    key: str  # the item's ItemRef.key() (a program's uid)
    title: str
    status: ItemStatus
    state: str  # the office's review state now
    base_revision: int
    revision: int  # the office's revision now (a detected office edit counts as one)
    changes: tuple[FieldChange, ...]  # office copy → submission: what accepting writes
    office_changes: tuple[FieldChange, ...]  # issued base → office copy (conflict, kept)
    department_changes: tuple[FieldChange, ...]  # issued base → submission
    errors_before: int
    errors_after: int
    warnings: tuple[str, ...]
    office_sha256: str
    submitted_sha256: str
    code: str = ""  # a program's code in the office's report now
    content_revision: int = 0  # the office's content revision when previewed (what the merge read)
    underlying: ItemStatus | None = None  # an ``older`` item's status were it not older

    @property
    def ref(self) -> ItemRef:
        return ItemRef.from_key(self.key).with_code(self.code)

    @property
    def label(self) -> str:
        """How people name the item: a program's code, ``II:<department>`` for a section II."""
        return self.code or self.key

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def needs_decision(self) -> bool:
        return self.status in (ItemStatus.CHANGED, ItemStatus.CONFLICT)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "code": self.code,
            "title": self.title,
            "status": str(self.status),
            "status_label": self.status_label,
            "state": self.state,
            "base_revision": self.base_revision,
            "revision": self.revision,
            "changes": [c.as_dict() for c in self.changes],
            "office_changes": [c.as_dict() for c in self.office_changes],
            "department_changes": [c.as_dict() for c in self.department_changes],
            "errors_before": self.errors_before,
            "errors_after": self.errors_after,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class MergePreview:
    """A verified submission and what merging it would do; apply it with :func:`apply_merge`."""

    file_name: str
    year: int
    department: str
    author: str
    created_at: dt.datetime
    payload_sha256: str
    package_id: str
    checks: tuple[Check, ...]
    items: tuple[ItemPreview, ...]
    warnings: tuple[str, ...]
    manifest: dict[str, Any] = field(repr=False)
    programs: dict[str, Program] = field(repr=False)  # by uid, each with the office's uid and code
    section_ii: SectionII | None = field(repr=False)
    # Processed before (only items refused as older then are open again): its record, and what became of it.
    processed_id: int | None = None
    processed_note: str = ""

    def refused_before(self) -> set[str]:
        """Keys of the items a processed-before submission left as older (the only ones it may still give)."""
        if self.processed_id is None:
            return set()
        return {item.key for item in self.items if item.status is not ItemStatus.MERGED}

    def nothing_to_redo(self, force: Collection[str]) -> bool:
        """Processed before, and none of the items it left as older is forced now: it is already merged."""
        if self.processed_id is None:
            return False
        forced = {self.key_of(name) for name in force}
        return not (self.refused_before() & forced)

    def item(self, key: str) -> ItemPreview:
        """The item with this key, or (for people) with this program code."""
        for item in self.items:
            if item.key == key:
                return item
        for item in self.items:
            if item.code and item.code == key:
                return item
        raise KeyError(key)

    def key_of(self, name: str) -> str | None:
        """The key of the item ``name`` names (its key or a program's code), ``None`` when none."""
        try:
            return self.item(name).key
        except KeyError:
            return None

    def pending(self) -> list[str]:
        """Items that need a decision (changed or conflicting), by label."""
        return [item.label for item in self.items if item.needs_decision]

    def conflicts(self) -> list[str]:
        return [item.label for item in self.items if item.status is ItemStatus.CONFLICT]

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "year": self.year,
            "department": self.department,
            "author": self.author,
            "created_at": self.created_at.isoformat(),
            "payload_sha256": self.payload_sha256,
            "checks": [{"label": c.label, "detail": c.detail} for c in self.checks],
            "items": [item.as_dict() for item in self.items],
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class MergeRequest:
    """A preview with its decisions, for :func:`apply_merges` (items by key or, for programs, code)."""

    preview: MergePreview
    decisions: Mapping[str, str]
    comments: Mapping[str, str] = field(default_factory=dict)
    overwrite: Collection[str] = ()
    force: Collection[str] = ()  # older items to accept all the same


@dataclass(frozen=True)
class MergeResult:
    """What applying a submission did, per outcome (items by label: a program's code, ``II:<department>``)."""

    file_name: str
    department: str
    accepted: tuple[str, ...]  # content merged
    returned: tuple[str, ...]
    unchanged: tuple[str, ...]  # nothing to merge (unchanged, or the office's newer copy kept)
    locked: tuple[str, ...]
    submission_id: int
    older: tuple[str, ...] = ()  # refused as older than a submission merged already
    already: tuple[str, ...] = ()  # processed with this submission before: left as they were


# --- preview ----------------------------------------------------------------------------------------------


def _payload(submission: SubmissionFile) -> dict[str, Any]:
    payload = bounded_json(
        submission.payload_bytes,
        max_depth=MAX_PAYLOAD_DEPTH,
        what=f"'{submission.file_name}' 의 payload.json",
        code="payload",
    )
    if not isinstance(payload, dict) or payload.get("format") != PAYLOAD_FORMAT:
        raise PayloadError(f"'{submission.file_name}' 의 payload.json 이 제출 내용 형식이 아닙니다.")
    return payload


def _agree(manifest: dict[str, Any], payload: dict[str, Any], file_name: str) -> None:
    for key in ("report_id", "report_year", "department", "department_uid", "author", "created_at"):
        if payload.get(key) != manifest.get(key):
            raise SubmissionError(
                f"'{file_name}' 의 manifest 와 payload 의 {key} 이(가) 다릅니다"
                f"({manifest.get(key)!r} / {payload.get(key)!r}). 파일이 변조되었습니다.",
                "mismatch",
            )
    for key in ("package_id", "submission_id"):
        if not isinstance(payload.get(key), str):
            raise PayloadError(f"'{file_name}' 의 payload 에 {key} 이(가) 없습니다.")
    if not isinstance(payload.get("programs"), list):
        raise PayloadError(f"'{file_name}' 의 payload programs 가 배열이 아닙니다.")


def _verify_signature(
    keys: list[DepartmentKey], submission: SubmissionFile, department: str, name: str
) -> DepartmentKey:
    """The key that signed the payload; refused when none of the department's keys did, or a revoked one did."""
    manifest = submission.manifest
    if not keys:
        raise SubmissionError(
            f"'{name}' 의 부서 '{department}' 에 발급한 키가 없습니다. 이 데이터베이스가 발급한 꾸러미에서 "
            "만든 제출이 아니거나 위조된 파일입니다.",
            "unknown-key",
        )
    claimed = manifest.get("key_id") if isinstance(manifest.get("key_id"), str) else ""
    # The active key first; the claimed one (format 2) decides nothing by itself, the signature does.
    ordered = sorted(keys, key=lambda k: (not k.active, k.key_id != claimed))
    signer = next(
        (k for k in ordered if signature_matches(k.secret, submission.payload_bytes, manifest["signature"])), None
    )
    if signer is None:
        raise SubmissionError(
            f"'{name}' 의 서명이 '{department}' 부서의 키와 맞지 않습니다. 파일이 위조되었거나 부서 이름이 바뀌었습니다.",
            "signature",
        )
    if not signer.active:
        revoked = f"{signer.revoked_at.astimezone():%Y-%m-%d %H:%M}" if signer.revoked_at is not None else ""
        raise SubmissionError(
            f"'{name}' 은(는) 폐기된 키로 서명된 제출입니다: {department}에 더 새 꾸러미를 발급하면서 "
            f"{revoked}에 폐기한 키입니다. 반영하지 않았습니다. 가장 최근에 발급한 꾸러미에서 다시 제출하게 하십시오.",
            "revoked-key",
        )
    return signer


def _department_by_uid(report: Report, uid: str) -> Department | None:
    return next((d for d in report.departments if d.uid == uid), None) if uid else None


@dataclass(frozen=True)
class _Issued:
    """The department a package was issued to, as the office's report has it now."""

    name: str  # its name now: the submission's items are merged under it
    as_issued: str  # its name when the package was issued (what the package's copy and the manifest say)
    merged: bool  # it was merged into ``name`` since: its section II is in that department's already


def _issued_department(
    conn: Connection, report: Report, package: IssuedPackage, manifest: dict[str, Any], name: str
) -> _Issued:
    """Who the package was issued to, found by the department's uid (its key's), the name for display only.

    The manifest must name the department the office issued the package to: its uid (``department_uid``)
    that of the package's key, its name the one at issue. A package issued before keys carried the uid
    is found by that name while it resolves. A department renamed since is found under its new name; one
    merged into another since, as the department its issued programs went to.
    """
    claimed_name: str = manifest["department"]
    claimed_uid: str = manifest.get("department_uid", "")
    key = department_key_by_id_in(conn, package.key_id)
    # Keys issued before keys carried the uid name the department: then only the name is on record.
    issued_uid = key.department if key is not None and key.department != package.department else ""
    if claimed_uid and issued_uid and claimed_uid != issued_uid:
        other = _department_by_uid(report, claimed_uid)
        if other is not None:
            raise SubmissionError(
                f"'{name}' 의 부서 고유 번호는 다른 부서 '{other.name}'의 것입니다. 이 제출을 만든 꾸러미는 "
                f"'{package.department}'에 발급되었습니다. 반영하지 않았습니다.",
                "department-uid",
            )
        raise SubmissionError(
            f"'{name}' 의 부서 고유 번호 '{claimed_uid}'은(는) {report.year}년 보고서의 부서가 아니고, 이 제출을 만든 "
            f"꾸러미를 발급한 부서('{package.department}')의 것도 아닙니다. 반영하지 않았습니다.",
            "unknown-department",
        )
    if claimed_name != package.department:
        if claimed_uid:
            raise SubmissionError(
                f"'{name}' 의 부서 이름 '{claimed_name}'이(가) 부서 고유 번호가 가리키는 부서와 다릅니다: 이 꾸러미는 "
                f"'{package.department}'에 발급되었습니다. 반영하지 않았습니다.",
                "department-mismatch",
            )
        raise SubmissionError(
            f"'{name}' 은(는) 이 데이터베이스가 {claimed_name}에 발급한 꾸러미에서 만든 제출이 아닙니다.",
            "unknown-package",
        )
    by_name = report.department(package.department)
    by_uid = _department_by_uid(report, issued_uid or claimed_uid)
    if not issued_uid and by_uid is not None and by_name is not None and by_uid is not by_name:
        raise SubmissionError(
            f"'{name}' 의 부서 고유 번호는 '{by_uid.name}'의 것인데 부서 이름은 '{by_name.name}'입니다. 반영하지 않았습니다.",
            "department-mismatch",
        )
    current = by_uid if (issued_uid or claimed_uid) and by_uid is not None else None
    if current is None and not issued_uid:
        current = by_name
    if current is not None:
        return _Issued(current.name, package.department, merged=False)
    if not issued_uid and any(p.department == package.department for p in report.programs()):
        return _Issued(package.department, package.department, merged=False)  # programs without a section II
    # A uid the office issued to is gone from the report: merged into the department its issued programs
    # belong to now. (A package issued before keys carried the uid is found only while its name resolves.)
    owners = {
        program.department
        for key in package.base
        if ItemRef.from_key(key).is_program and (program := report.program_by_uid(ItemRef.from_key(key).id)) is not None
    }
    if issued_uid and len(owners) == 1:
        return _Issued(owners.pop(), package.department, merged=True)
    raise SubmissionError(
        f"'{name}' 을(를) 만든 꾸러미의 부서 '{package.department}'을(를) {report.year}년 보고서에서 찾을 수 없습니다"
        "(이름이 바뀌었거나 다른 부서와 합쳐졌다면 그 기록이 없습니다). 반영하지 않았습니다.",
        "unknown-department",
    )


def _renamed_base(item: BaseItem, key: str, issued: _Issued) -> BaseItem:
    """An item as issued, with the department under its name now: the office's rename is not an edit to merge over."""
    if ItemRef.from_key(key).is_program:
        program = program_from_dict(item.content)
        if program.department != issued.as_issued:
            return item
        program.department = issued.name
        content = program_content(program)
    else:
        section = section_ii_from_dict(item.content)
        section.department = issued.name
        content = section_ii_content(section)
    return BaseItem(item.revision, content.sha256, content.content)


def _follow(
    issued: _Issued, package: IssuedPackage, programs: dict[str, Program], section: SectionII | None
) -> tuple[IssuedPackage, SectionII | None]:
    """The package record and the submitted items under the department's name now (see :class:`_Issued`).

    The submitted programs keep the department's new name (a merge must not move them back), the package's
    base is read as if issued under it, and a merged department's section II is left out: it was appended
    to the surviving department's, which the package's copy must not replace.
    """
    if issued.name == issued.as_issued:
        return package, section
    for program in programs.values():
        if program.department == issued.as_issued:
            program.department = issued.name
    old_key = ItemRef.section_ii(issued.as_issued).key()
    base: dict[str, BaseItem] = {}
    for key, item in package.base.items():
        if key == old_key:
            if not issued.merged:
                base[ItemRef.section_ii(issued.name).key()] = _renamed_base(item, key, issued)
        else:
            base[key] = _renamed_base(item, key, issued)
    if issued.merged:
        section = None
    elif section is not None and section.department == issued.as_issued:
        section.department = issued.name
    return dataclasses.replace(package, department=issued.name, base=base), section


def _older_reasons(
    conn: Connection,
    year: int,
    department: str,
    created: dt.datetime,
    base_revisions: Mapping[str, int],
) -> dict[str, list[str]]:
    """Per item: why this submission is older than one of the department's already merged for that item.

    Older means made earlier than a merged submission that accepted the item,
    or made from an older base revision of it than that one was.
    """
    reasons: dict[str, list[str]] = {}
    for record in submissions_in(conn, year, department=department):
        for key, outcome in record.outcome.items():
            if outcome.get("decision") != "accepted":
                continue
            if record.created_at > created:
                reasons.setdefault(key, []).append(
                    f"이 제출({created:%Y-%m-%d %H:%M})보다 나중에 만든 제출({record.created_at:%Y-%m-%d %H:%M}, "
                    f"{record.author})이 이미 반영되었습니다. 이 제출을 받아들이면 더 오래된 내용으로 돌아갑니다."
                )
            merged_base = outcome.get("base_revision")
            if isinstance(merged_base, int) and key in base_revisions and base_revisions[key] < merged_base:
                reasons.setdefault(key, []).append(
                    f"더 오래된 꾸러미(개정 {base_revisions[key]})에서 만든 제출입니다. "
                    f"개정 {merged_base} 기준 제출이 이미 반영되었습니다."
                )
    return reasons


def _own_hashes(conn: Connection, year: int, package_id: str) -> dict[str, set[str]]:
    """Per item: content hashes the department's own earlier submissions from this package merged."""
    own: dict[str, set[str]] = {}
    for record in submissions_in(conn, year):
        if record.package_id != package_id:
            continue
        for key, outcome in record.outcome.items():
            if outcome.get("decision") == "accepted" and isinstance(outcome.get("sha256"), str):
                own.setdefault(key, set()).add(outcome["sha256"])
    return own


def _errors(report: Report, program: Program | None) -> int:
    if program is None:
        return 0
    return sum(1 for p in check_program(report, program) if p.severity is Severity.ERROR)


def preview_merge(engine: Engine, submission_path: Path) -> MergePreview:
    """Verify a submission file and show what merging it would do; never writes anything."""
    submission = read_submission_file(Path(submission_path))
    manifest = submission.manifest
    name = submission.file_name
    checks = [Check("형식", f"seri-submission 버전 {manifest['format_version']}, 앱 {manifest['app_version']}")]

    payload_sha = sha256_hex(submission.payload_bytes)
    if payload_sha != manifest["payload_sha256"]:
        raise SubmissionError(
            f"'{name}' 의 내용(payload.json)이 체크섬과 맞지 않습니다. 파일이 손상되었거나 변조되었습니다.", "checksum"
        )
    checks.append(Check("체크섬", f"payload sha256 {payload_sha[:12]}… 일치"))

    year: int = manifest["report_year"]
    department: str = manifest["department"]  # as issued; the department's name now is found below
    with transaction(engine, write=False) as conn:
        refusal = policy.office_refusal(editor_in(conn), OfficeAction.MERGE)
        if refusal is not None:
            raise SubmissionError(refusal.message, refusal.code)
        if report_id_in(conn, year) is None:
            raise SubmissionError(
                f"'{name}' 은(는) {year}년 보고서의 제출인데, 이 데이터베이스에는 {year}년 보고서가 없습니다.",
                "report-year",
            )
        report_id = report_identity_in(conn, year)
        if report_id != manifest["report_id"]:
            raise SubmissionError(
                f"'{name}' 은(는) 다른 보고서(id {manifest['report_id']})의 제출입니다. 이 데이터베이스의 "
                f"{year}년 보고서(id {report_id or '아직 없음'})가 발급한 꾸러미에서 만든 제출만 반영할 수 있습니다.",
                "report-id",
            )
        checks.append(Check("보고서", f"{year}년, id {report_id}"))

        report = load_report_in(conn, year).report
        # The keys of the claimed department: of the one its name names now, else (renamed or merged since)
        # of its uid; and by name, for keys issued before keys carried the uid. Who it really is, is checked
        # against the office's record of the package below.
        named = report.department(department)
        claimed_uid = named.uid if named is not None else str(manifest.get("department_uid") or department)
        keys = department_keys_in(conn, year, claimed_uid, department)
        # A name no department has now (renamed or merged since): the key the manifest names, too. Whose it
        # is, is checked against the office's record of the package below, like the department itself.
        claimed_key = None if named is not None else department_key_by_id_in(conn, str(manifest.get("key_id") or ""))
        if claimed_key is not None and claimed_key.year == year and all(k.key_id != claimed_key.key_id for k in keys):
            keys.append(claimed_key)
        signer = _verify_signature(keys, submission, department, name)
        checks.append(
            Check("서명", f"{department} 키로 확인 (키 {signer.key_id[:8]}, {signer.created_at:%Y-%m-%d} 발급)")
        )

        done = submission_by_payload_in(conn, RECEIVED, payload_sha)
        note = already_merged_note(done, name) if done is not None else ""
        if done is not None and not any(o.get("decision") == OLDER_DECISION for o in done.outcome.values()):
            raise AlreadyMergedError(note)

        payload = _payload(submission)
        _agree(manifest, payload, name)
        package = issued_package_in(conn, payload["package_id"])
        if package is None or package.year != year:
            raise SubmissionError(
                f"'{name}' 은(는) 이 데이터베이스가 {department}에 발급한 꾸러미에서 만든 제출이 아닙니다.",
                "unknown-package",
            )
        if package.key_id and signer.key_id != package.key_id:
            raise SubmissionError(
                f"'{name}' 은(는) 이 제출을 만든 꾸러미의 키가 아닌 키로 서명되었습니다. 파일이 위조되었습니다.",
                "signature",
            )
        issued = _issued_department(conn, report, package, manifest, name)
        programs, submitted, section = _parse_items(payload, name, package, report, submission.version)
        _check_manifest_programs(manifest, programs, submitted, package, name, submission.version)
        package, section = _follow(issued, package, programs, section)
        department = issued.name
        if issued.merged:
            checks.append(
                Check(
                    "부서",
                    f"'{issued.as_issued}'에 발급한 꾸러미: 그 부서는 '{department}'에 합쳐졌습니다. 사업은 "
                    f"'{department}'의 것으로 반영하고, 업무 평가는 '{department}'의 업무 평가에 이미 합쳐져 있어 반영하지 않습니다.",
                )
            )
        elif issued.as_issued != department:
            checks.append(
                Check("부서", f"'{issued.as_issued}'에 발급한 꾸러미: 부서 이름이 '{department}'(으)로 바뀌었습니다.")
            )
        _check_ownership(report, programs, section, department, package, name)
        invalid = [
            p for program in programs.values() for p in new_invalid_cells(program, report.program_by_uid(program.uid))
        ]
        if invalid:
            raise PayloadError(f"'{name}' 에 금액이 아닌 칸이 있습니다:\n" + "\n".join(f"  - {p}" for p in invalid))
        checks.append(Check("소유", f"사업 {len(programs)}개와 업무 평가 모두 {department} 소속"))

        created = from_iso(manifest["created_at"])
        items = _preview_items(conn, report, programs, section, package, created, manifest)
        if done is not None:
            checks.append(
                Check("처리 기록", f"{done.processed_at.astimezone():%Y-%m-%d %H:%M} {done.processed_by} 처리")
            )
            items = [_as_processed(item, done.outcome) for item in items]
    conflicts = sum(1 for item in items if item.status is ItemStatus.CONFLICT)
    warnings = tuple(w for item in items for w in (f"{item.label}: {x}" for x in item.warnings))
    checks.append(Check("개정", f"충돌 {conflicts}건, 경고 {len(warnings)}건"))
    return MergePreview(
        file_name=name,
        year=year,
        department=department,
        author=manifest["author"],
        created_at=created,
        payload_sha256=payload_sha,
        package_id=payload["package_id"],
        checks=tuple(checks),
        items=tuple(items),
        warnings=warnings,
        manifest=manifest,
        programs=programs,
        section_ii=section,
        processed_id=done.id if done is not None else None,
        processed_note=note,
    )


def already_merged_note(done: SubmissionRecord, name: str) -> str:
    """ "이미 반영된 제출입니다" for a submission processed before, with what became of each of its items."""
    outcomes = [
        f"{outcome.get('code') or key} {DECISION_WORDS.get(str(outcome.get('decision')), str(outcome.get('decision')))}"
        for key, outcome in done.outcome.items()
    ]
    refused = [str(o.get("code") or k) for k, o in done.outcome.items() if o.get("decision") == OLDER_DECISION]
    text = (
        f"이미 반영된 제출입니다: '{name}' ({done.department}, {done.processed_at.astimezone():%Y-%m-%d %H:%M} "
        f"{done.processed_by} 처리; 항목별: {', '.join(outcomes) or '없음'}). 다시 반영하지 않았습니다."
    )
    if refused:
        text += (
            f" 더 새 제출이 있어 반영하지 않은 항목({', '.join(refused)})은 그래도 반영하려면 "
            f"명시해 강제하십시오(--force-older {refused[0]})."
        )
    return text


def _as_processed(item: ItemPreview, outcome: Mapping[str, Mapping[str, Any]]) -> ItemPreview:
    """An item of a submission processed before: still open if it was refused as older then, else ``merged``."""
    before = outcome.get(item.key, {})
    if before.get("decision") == OLDER_DECISION:
        return item
    words = DECISION_WORDS.get(str(before.get("decision")), "처리")
    return dataclasses.replace(
        item,
        status=ItemStatus.MERGED,
        underlying=None,
        warnings=(f"이 제출을 처리할 때 이미 '{words}'(으)로 정했습니다. 다시 반영하지 않습니다.",),
    )


@dataclass(frozen=True)
class _Submitted:
    """A program of the payload as submitted (its hash as the manifest lists it) and as the office places it."""

    listed_as: str  # the code (format 1) or uid (format 2) the manifest lists it under
    sha256: str  # program_sha256 of the program as submitted, code included


def _parse_items(
    payload: dict[str, Any], name: str, package: IssuedPackage, report: Report, version: int
) -> tuple[dict[str, Program], dict[str, _Submitted], SectionII | None]:
    """The payload's programs by the office's uid (each given the office's uid and current code) and its section II.

    Format 2 names each program by its uid; format 1 by the code it had when
    the package was issued, mapped through the office's record of the package.
    """
    codes = package.code_map()
    programs: dict[str, Program] = {}
    as_submitted: dict[str, _Submitted] = {}
    for n, raw in enumerate(payload["programs"], start=1):
        program = program_from_dict(raw, f"'{name}' 의 {n}번째 사업")
        if version >= 2 and not (isinstance(raw, dict) and UID_KEY in raw):
            raise PayloadError(f"'{name}' 의 {n}번째 사업({program.code})에 고유 번호(uid)가 없습니다.")
        submitted = _Submitted(program.uid if version >= 2 else program.code, program_sha256(program))
        if version >= 2:
            uid = program.uid
        else:
            found = codes.get(program.code)
            if found is None:
                raise SubmissionError(
                    f"'{name}' 의 {program.code} 사업은 {report.year}년 보고서에 없습니다.", "unknown-program"
                )
            uid = found
        office = report.program_by_uid(uid)
        if office is None:
            issued = package.base.get(uid)
            shown = issued.content.get("code", program.code) if issued is not None else program.code
            raise SubmissionError(f"'{name}' 의 {shown} 사업은 {report.year}년 보고서에 없습니다.", "unknown-program")
        if uid in programs:
            raise PayloadError(f"'{name}' 에 {office.code} 사업이 두 번 들어 있습니다.")
        program.uid = uid
        program.code = office.code
        programs[uid] = program
        as_submitted[uid] = submitted
    raw_section = payload.get("section_ii")
    section = section_ii_from_dict(raw_section) if raw_section is not None else None
    return programs, as_submitted, section


def _check_manifest_programs(
    manifest: dict[str, Any],
    programs: dict[str, Program],
    submitted: dict[str, _Submitted],
    package: IssuedPackage,
    name: str,
    version: int,
) -> None:
    field_name = "uid" if version >= 2 else "code"
    listed = {entry[field_name]: entry for entry in manifest["programs"]}
    names = sorted(s.listed_as for s in submitted.values())
    if sorted(listed) != names or len(listed) != len(manifest["programs"]):
        shown = ", ".join(str(entry.get("code", "?")) for entry in manifest["programs"])
        raise SubmissionError(
            f"'{name}' 의 manifest 사업 목록({shown})이 내용({', '.join(p.code for p in programs.values())})과 다릅니다.",
            "mismatch",
        )
    for uid, program in programs.items():
        entry = listed[submitted[uid].listed_as]
        if entry["sha256"] != submitted[uid].sha256:
            raise SubmissionError(
                f"'{name}' 의 {program.code} 사업 체크섬이 manifest 와 다릅니다. 파일이 변조되었습니다.", "checksum"
            )
        base = package.base.get(uid)
        if base is not None and entry["base_revision"] != base.revision:
            raise SubmissionError(
                f"'{name}' 의 {program.code} 사업 기준 개정({entry['base_revision']})이 발급 기록({base.revision})과 다릅니다.",
                "mismatch",
            )


def _check_ownership(
    report: Report,
    programs: dict[str, Program],
    section: SectionII | None,
    department: str,
    package: IssuedPackage,
    name: str,
) -> None:
    """A department's submission changes only that department's items (``policy.submission_refusal``)."""

    def refuse(refusal: policy.Refusal | None) -> None:
        if refusal is not None:
            raise SubmissionError(f"'{name}' 에 {refusal.message}", refusal.code)

    for uid, program in programs.items():
        office = report.program_by_uid(uid)
        if office is None:
            raise SubmissionError(
                f"'{name}' 의 {program.code} 사업은 {report.year}년 보고서에 없습니다.", "unknown-program"
            )
        ref = ItemRef.of(office)
        issued = ref.key() in package.base
        refuse(policy.submission_refusal(department, ref, office.department, program.department, issued=issued))
    if section is not None:
        ref = ItemRef.section_ii(section.department)
        refuse(policy.submission_refusal(department, ref, section.department, section.department, issued=True))


def _classify(office: ItemContent, submitted: str, allowed: set[str]) -> ItemStatus:
    if submitted == office.sha256:
        return ItemStatus.UNCHANGED
    if office.fingerprints() & allowed:
        return ItemStatus.CHANGED
    if submitted in allowed:
        return ItemStatus.KEPT
    return ItemStatus.CONFLICT


def _preview_items(
    conn: Connection,
    report: Report,
    programs: dict[str, Program],
    section: SectionII | None,
    package: IssuedPackage,
    created: dt.datetime,
    manifest: dict[str, Any],
) -> list[ItemPreview]:
    statuses = statuses_in(conn, report.year)
    own = _own_hashes(conn, report.year, package.package_id)
    base_revisions = {key: base.revision for key, base in package.base.items()}
    older = _older_reasons(conn, report.year, package.department, created, base_revisions)
    office_items = report_items(report)
    submitted: list[tuple[ItemContent, Program | SectionII]] = [(program_content(p), p) for p in programs.values()]
    if section is not None:
        submitted.append((section_ii_content(section), section))

    previews: list[ItemPreview] = []
    for content, value in submitted:
        key = content.key
        office = office_items[key]
        base = package.base.get(key)
        allowed = set(own.get(key, set()))
        if base is not None:
            allowed.add(base.sha256)
            if content.ref.is_program:
                allowed.add(content_sha256_of_dict(base.content))
        status_row = statuses.get(key)
        state = status_row.state if status_row is not None else ReviewState.DRAFT.value
        revision = status_row.revision if status_row is not None else 0
        if status_row is None or status_row.sha256 not in office.fingerprints():
            revision += 1  # an office edit not yet recorded gets a revision on the next write
        status = _classify(office, content.sha256, allowed)
        underlying: ItemStatus | None = None
        if status in (ItemStatus.CHANGED, ItemStatus.CONFLICT) and policy.is_locked_state(state):
            status = ItemStatus.LOCKED
        elif status in (ItemStatus.CHANGED, ItemStatus.CONFLICT) and older.get(key):
            status, underlying = ItemStatus.OLDER, status
        if isinstance(value, Program):
            office_program = report.program_by_uid(value.uid)
            base_value = program_from_dict(base.content) if base is not None else None
            changes = program_changes(office_program, value, report.year)
            office_changes = program_changes(base_value, office_program, report.year) if base_value else []
            department_changes = program_changes(base_value, value, report.year) if base_value else changes
            errors = (_errors(report, office_program), _errors(report, value))
            title = value.title
        else:
            department_name = value.department
            office_dept = report.department(department_name)
            office_value = SectionII.of(office_dept) if office_dept is not None else None
            base_section = section_ii_from_dict(base.content) if base is not None else None
            changes = section_ii_changes(office_value, value)
            office_changes = section_ii_changes(base_section, office_value) if base_section else []
            department_changes = section_ii_changes(base_section, value) if base_section else changes
            errors = (0, 0)
            title = office.title
        warnings = list(older.get(key, []))
        shown = underlying or status
        if status is ItemStatus.OLDER:
            warnings.append(
                "더 새 제출이 이미 반영되어 이 항목은 반영하지 않습니다. 그래도 반영하려면 이 항목을 명시해 강제하십시오(--force-older)."
            )
        if shown is ItemStatus.CONFLICT:
            warnings.append("꾸러미를 발급한 뒤 기획 부서가 이 내용을 고쳤습니다. 받아들이면 그 수정이 덮어써집니다.")
        elif status is ItemStatus.KEPT:
            warnings.append("부서는 바꾸지 않았고 기획 부서 사본이 더 새롭습니다. 기획 부서 사본을 그대로 둡니다.")
        elif status is ItemStatus.LOCKED:
            warnings.append(policy.LOCKED_IN_SUBMISSION)
        previews.append(
            ItemPreview(
                key=key,
                title=title,
                status=status,
                state=state,
                base_revision=base.revision if base is not None else 0,
                revision=revision,
                changes=tuple(changes),
                office_changes=tuple(office_changes if shown in (ItemStatus.CONFLICT, ItemStatus.KEPT) else []),
                department_changes=tuple(department_changes),
                errors_before=errors[0],
                errors_after=errors[1],
                warnings=tuple(warnings),
                office_sha256=office.sha256,
                submitted_sha256=content.sha256,
                code=office.code,
                content_revision=status_row.content_revision if status_row is not None else 0,
                underlying=underlying,
            )
        )
    return previews


# --- apply ------------------------------------------------------------------------------------------------


def _by_key(preview: MergePreview, names: Mapping[str, str] | Collection[str], what: str) -> set[str] | dict[str, str]:
    """Names people gave (keys or program codes) as the preview's keys; an unknown one is refused."""
    unknown = [name for name in names if preview.key_of(name) is None]
    if unknown:
        raise MergeError(f"'{preview.file_name}' 에 없는 항목입니다: {', '.join(sorted(unknown))}", "unknown-item")
    if isinstance(names, Mapping):
        return {str(preview.key_of(name)): value for name, value in names.items()}
    return {str(preview.key_of(name)) for name in names}


@dataclass(frozen=True)
class _Decided:
    """A request with every item named by its key."""

    preview: MergePreview
    decisions: dict[str, str]
    comments: dict[str, str]
    overwrite: set[str]
    force: set[str]


def _normalised(request: MergeRequest) -> _Decided:
    preview = request.preview
    decisions = _by_key(preview, request.decisions, "decisions")
    comments = _by_key(preview, request.comments, "comments")
    overwrite = _by_key(preview, request.overwrite, "overwrite")
    force = _by_key(preview, request.force, "force")
    assert isinstance(decisions, dict) and isinstance(comments, dict)
    assert isinstance(overwrite, set) and isinstance(force, set)
    return _Decided(preview, decisions, comments, overwrite, force)


def _check_decisions(request: _Decided) -> None:
    preview = request.preview
    name = preview.file_name
    bad = {preview.item(k).label: v for k, v in request.decisions.items() if v not in (ACCEPT, RETURN)}
    if bad:
        raise MergeError(f"결정은 '{ACCEPT}' 또는 '{RETURN}' 이어야 합니다: {bad}", "decision")
    missing = [item.label for item in preview.items if item.needs_decision and item.key not in request.decisions]
    if missing:
        raise MergeError(
            f"'{name}': 받아들일지 반려할지 정하지 않은 항목이 있습니다: {', '.join(missing)}", "missing-decision"
        )
    if preview.nothing_to_redo(request.force):
        raise AlreadyMergedError(preview.processed_note)
    for item in preview.items:
        decision = request.decisions.get(item.key)
        effective = item.underlying if item.status is ItemStatus.OLDER else item.status
        if decision is not None and item.status is ItemStatus.MERGED:
            raise AlreadyMergedError(
                f"'{name}' 의 {item.label} 은(는) 이 제출에서 이미 처리되었습니다: {item.warnings[0] if item.warnings else ''} "
                "아무것도 반영하지 않았습니다."
            )
        if decision == ACCEPT and item.status is ItemStatus.OLDER and item.key not in request.force:
            raise MergeError(
                f"'{name}' 의 {item.label} 은(는) 이미 반영된 더 새 제출보다 오래된 내용입니다. 받아들이면 더 새 내용이 "
                "되돌아갑니다. 그래도 반영하려면 이 항목을 명시해 강제하십시오(--force-older).",
                "older",
            )
        if decision == ACCEPT and effective is ItemStatus.CONFLICT and item.key not in request.overwrite:
            raise MergeError(
                f"'{name}' 의 {item.label} 은(는) 충돌입니다: 꾸러미 발급 뒤 기획 부서도 고쳤습니다. 덮어쓰려면 "
                "덮어쓰기를 명시하고(--overwrite), 아니면 반려하십시오.",
                "conflict",
            )
        if decision is None:
            continue
        returning = decision == RETURN
        refusal = policy.decision_refusal(
            item.ref, item.state, returning=returning, changes=item.status is ItemStatus.LOCKED
        )
        if refusal is None and returning:
            refusal = policy.return_refusal(item.ref, request.comments.get(item.key))
        if refusal is not None:
            raise MergeError(f"'{name}' 의 {refusal.message}", refusal.code)


def apply_merge(
    engine: Engine,
    preview: MergePreview,
    decisions: Mapping[str, str],
    comments: Mapping[str, str],
    who: str | None,
    *,
    overwrite: Collection[str] = (),
    force: Collection[str] = (),
) -> MergeResult:
    """Apply one previewed submission with the reviewer's decisions, in one unit of work."""
    return apply_merges(engine, [MergeRequest(preview, decisions, comments, overwrite, force)], who)[0]


def apply_merges(engine: Engine, requests: Sequence[MergeRequest], who: str | None) -> list[MergeResult]:
    """Apply several previewed submissions, in order, in ONE transaction; any failure applies none."""
    decided = [_normalised(request) for request in requests]
    for request in decided:
        _check_decisions(request)
    hashes = [r.preview.payload_sha256 for r in decided]
    if len(set(hashes)) != len(hashes):
        raise MergeError("같은 제출 파일이 두 번 들어 있습니다.", "duplicate")
    results: list[MergeResult] = []
    years = sorted({r.preview.year for r in decided})
    with transaction(engine, write=True) as conn:
        works = {year: UnitOfWork(conn, year, who=who, via=Via.MERGE) for year in years}
        for work in works.values():
            work.check_office(OfficeAction.MERGE, MergeError)
        for request in decided:
            results.append(_apply_one(works[request.preview.year], request))
        for work in works.values():
            work.finish()
    update_anchors(engine, years)
    return results


def _apply_one(work: UnitOfWork, request: _Decided) -> MergeResult:
    preview = request.preview
    conn = work.conn
    year = preview.year
    report = work.report()
    existing = submission_by_payload_in(conn, RECEIVED, preview.payload_sha256)
    if existing is not None and existing.id != preview.processed_id:
        raise AlreadyMergedError(already_merged_note(existing, preview.file_name))
    office_items = report_items(report)
    for item in preview.items:
        office = office_items.get(item.key)
        if office is None or office.sha256 != item.office_sha256:
            raise MergeError(
                f"미리보기 이후 {item.label} 의 기획 부서 사본이 바뀌었습니다. 아무것도 반영하지 않았습니다. 다시 미리보기 하십시오.",
                "stale-preview",
            )
    statuses = sync_items_in(conn, year, office_items, work.who, via=work.via)
    for item in preview.items:
        if statuses[item.key].state != item.state:
            raise MergeError(
                f"미리보기 이후 {item.label} 의 검토 상태가 '{statuses[item.key].state}'(으)로 바뀌었습니다. "
                "아무것도 반영하지 않았습니다. 다시 미리보기 하십시오.",
                "stale-preview",
            )
    # The records may have moved on (a hash of the older form brought up to date) without the content.
    work.refresh_statuses()

    sha = preview.payload_sha256
    outcome: dict[str, dict[str, Any]] = {}
    accepted: list[str] = []
    returned: list[str] = []
    unchanged: list[str] = []
    locked: list[str] = []
    older: list[str] = []
    already: list[str] = []

    def move(item: ItemPreview, state: str, *, sha256: str | None = None) -> None:
        if work.state(item.ref) == state and sha256 is None:
            return
        work.move_state(item.ref, state, sha256=sha256, submission=sha)

    for item in preview.items:
        key = item.key
        decision = request.decisions.get(key)
        comment = request.comments.get(key, "").strip()
        record: dict[str, Any] = {
            "decision": "",
            "sha256": item.submitted_sha256,
            "base_revision": item.base_revision,
            "code": item.code,
        }
        current = work.state(item.ref)
        if item.status is ItemStatus.MERGED:  # processed with this submission before: left as it was
            outcome[key] = dict(existing.outcome.get(key, {})) if existing is not None else record
            already.append(item.label)
            continue
        if existing is not None:
            record["reprocessed_at"] = work.moment.isoformat()
        if decision == RETURN:
            move(item, policy.state_after_merge(current, returned=True))
            record["decision"] = "returned"
            returned.append(item.label)
        elif item.status is ItemStatus.LOCKED:
            record["decision"] = "locked"
            locked.append(item.label)
        elif item.status is ItemStatus.OLDER and not (decision == ACCEPT and key in request.force):
            record["decision"] = "older"
            older.append(item.label)
        elif item.status in (ItemStatus.UNCHANGED, ItemStatus.KEPT):
            move(item, policy.state_after_merge(current, returned=False))
            record["decision"] = "unchanged" if item.status is ItemStatus.UNCHANGED else "kept"
            unchanged.append(item.label)
        else:  # accepted change (a conflict only with overwrite, an older one only forced: checked above)
            old_content = office_items[key].content
            new_sha = _write_item(work, preview, item)
            new_content = report_items(work.report())[key].content
            effective = item.underlying or item.status
            work.record(
                action=AuditAction.MERGE,
                item=key,
                item_code=item.code,
                department=preview.department,
                old=f"개정 {item.revision}",
                new="제출 내용",
                submission=sha,
                detail={
                    "status": str(effective),
                    "forced_older": item.status is ItemStatus.OLDER,
                    "overwrote_office_edit": effective is ItemStatus.CONFLICT,
                    "old_sha256": item.office_sha256,
                    "new_sha256": new_sha,
                    "old_content": old_content,
                    "new_content": new_content,
                },
            )
            move(item, policy.state_after_merge(work.state(item.ref), returned=False), sha256=new_sha)
            record["decision"] = "accepted"
            accepted.append(item.label)
        if comment:
            target = CommentTarget(
                item.ref.id if item.ref.is_program else None, department=preview.department, code=item.code
            )
            work.add_comment(target, comment)
        outcome[key] = record

    if existing is not None:
        update_submission_outcome_in(conn, existing.id, outcome)
    submission_id = (
        existing.id
        if existing is not None
        else record_submission_in(
            conn,
            direction=RECEIVED,
            payload_sha256=sha,
            manifest=preview.manifest,
            package_id=preview.package_id,
            processed_at=work.moment,
            processed_by=work.who,
            file_name=preview.file_name,
            outcome=outcome,
        )
    )
    work.record(
        action=AuditAction.SUBMISSION,
        department=preview.department,
        new=(
            f"반영 {len(accepted)}, 반려 {len(returned)}, 변경 없음 {len(unchanged)}, 확정 {len(locked)}"
            + (f", 더 오래된 제출 {len(older)}" if older else "")
        ),
        submission=sha,
        detail={"file": preview.file_name, "author": preview.author, "outcome": outcome},
    )
    return MergeResult(
        preview.file_name,
        preview.department,
        tuple(accepted),
        tuple(returned),
        tuple(unchanged),
        tuple(locked),
        submission_id,
        tuple(older),
        tuple(already),
    )


def _write_item(work: UnitOfWork, preview: MergePreview, item: ItemPreview) -> str:
    """Write a submitted item into the office's report through the unit of work; its new content hash."""
    ref = item.ref
    if ref.is_program:
        program = preview.programs[ref.id]
        work.save_program(program, read=item.content_revision, submission=preview.payload_sha256, source="merge")
        written = work.program(ref.id)
        if written is None:
            raise MergeError(f"보고서에 {item.label} 사업이 없습니다.", "unknown-program")
        return program_content(written).sha256
    section = preview.section_ii
    if section is None or ItemRef.section_ii(section.department) != ref:
        raise MergeError(f"제출에 {item.label} 이(가) 없습니다.", "unknown-item")
    office = work.report().department(section.department)
    if office is None:
        raise MergeError(f"보고서에 '{section.department}' 부서가 없습니다.", "unknown-department")
    # The department's outlines replace the office's; its name, order and layout stay the office's.
    updated = _with_section(office, section)
    work.save_section_ii(updated, read=item.content_revision, submission=preview.payload_sha256, source="merge")
    return section_ii_content(section).sha256


def _with_section(office: Department, section: SectionII) -> Department:
    updated = copy.deepcopy(office)
    section.apply_to(updated)
    return updated
