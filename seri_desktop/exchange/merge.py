"""The office's merge of submissions: verify, preview per item, then apply the review decisions.

Two steps, for the review screen and for ``seri-desktop merge``:

``preview_merge(engine, submission_path) -> MergePreview``
    Reads the file safely and verifies it, in this order: zip and manifest
    shape, format and version; payload checksum; report year and id; the
    department's key and the HMAC signature; not processed before (else
    :class:`AlreadyMergedError`, "이미 반영된 제출입니다"); payload readable
    and agreeing with the manifest; the package it was made from is one the
    office issued to that department; ownership (every program belongs to
    the department, section II is its own); no new non-amount text in
    budget cells. Any failure raises :class:`SubmissionError` with a Korean
    message and a ``code``; nothing is written, ever, by a preview.

    Then one :class:`ItemPreview` per submitted item (each program, and the
    department's section II under ``II:<department>``) with its status:

    * ``changed``: the department changed it and the office's copy is as
      issued (or as the department's own earlier submission left it);
    * ``conflict``: both changed it since the package was issued: the office's
      changes (``office_changes``) would be overwritten;
    * ``unchanged``: the submission equals the office's copy;
    * ``kept``: the department did not change it but the office did; the
      office's copy stays;
    * ``locked``: the department changed it but it is 확정; it is left alone.

    and its field-level diff (``changes``: office copy → submission),
    problem counts before and after, and warnings (an older submission than
    one already merged, an older package).

``apply_merge(engine, preview, decisions, comments, who, *, overwrite=()) -> MergeResult``
    ``decisions`` maps item keys to ``"accept"`` or ``"return"``. Every
    ``changed`` and ``conflict`` item needs one; accepting a conflict also
    needs its key in ``overwrite`` (never silently); a ``locked`` item cannot
    be accepted; a return needs a comment (``comments[key]``), which becomes
    a review comment on the item and travels in the department's next
    package. Everything is applied in ONE transaction: accepted content,
    review states (accepted → 제출됨, returned → 반려), comments, the
    submission record and the audit log (a ``merge`` entry with the whole
    content before and after, one ``field`` entry per changed field). If the
    office's copy changed after the preview, nothing is applied.

``apply_merges(engine, requests, who)`` applies several previews in one
transaction (the CLI's ``merge a.serisub b.serisub …``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from seri_desktop.domain import policy
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Program, Report
from seri_desktop.domain.policy import OfficeAction, ReviewState
from seri_desktop.domain.rules import Severity, check_program
from seri_desktop.exchange.codec import (
    PayloadError,
    SectionII,
    program_from_dict,
    program_sha256,
    section_ii_from_dict,
    sha256_hex,
)
from seri_desktop.exchange.diff import FieldChange, program_changes, section_ii_changes
from seri_desktop.exchange.errors import AlreadyMergedError, MergeError, SubmissionError
from seri_desktop.exchange.items import ItemContent, program_content, report_items, section_ii_content, sync_items_in
from seri_desktop.exchange.submission import (
    PAYLOAD_FORMAT,
    SubmissionFile,
    new_invalid_cells,
    read_submission_file,
    signature_matches,
)
from seri_desktop.store.audit import AuditAction, record_in, record_many_in
from seri_desktop.store.content import (
    StoredReport,
    load_report_in,
    report_id_in,
    save_program_in,
    save_section_ii_in,
)
from seri_desktop.store.engine import transaction
from seri_desktop.store.exchange import (
    RECEIVED,
    IssuedPackage,
    department_key_in,
    editor_in,
    from_iso,
    issued_package_in,
    now,
    record_submission_in,
    report_identity_in,
    submission_by_payload_in,
    submissions_in,
)
from seri_desktop.store.review import CommentTarget, add_comment_in, statuses_in, write_status_in

ACCEPT = "accept"
RETURN = "return"


class ItemStatus(StrEnum):
    """How a submitted item stands against the office's copy."""

    CHANGED = "changed"
    CONFLICT = "conflict"
    UNCHANGED = "unchanged"
    KEPT = "kept"
    LOCKED = "locked"


STATUS_LABELS: dict[str, str] = {
    ItemStatus.CHANGED: "변경",
    ItemStatus.CONFLICT: "충돌",
    ItemStatus.UNCHANGED: "변경 없음",
    ItemStatus.KEPT: "사무국 사본 유지",
    ItemStatus.LOCKED: "확정됨(반영 안 함)",
}


@dataclass(frozen=True)
class Check:
    """One verification step that passed, for the review screen's checklist."""

    label: str
    detail: str


@dataclass(frozen=True)
class ItemPreview:
    """One submitted item: its status, its diff against the office's copy, problem counts and warnings."""

    key: str  # the item's ItemRef.key()
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

    @property
    def ref(self) -> ItemRef:
        return ItemRef.from_key(self.key)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def needs_decision(self) -> bool:
        return self.status in (ItemStatus.CHANGED, ItemStatus.CONFLICT)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
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
    programs: dict[str, Program] = field(repr=False)
    section_ii: SectionII | None = field(repr=False)

    def item(self, key: str) -> ItemPreview:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def pending(self) -> list[str]:
        """Keys that need a decision (changed or conflicting)."""
        return [item.key for item in self.items if item.needs_decision]

    def conflicts(self) -> list[str]:
        return [item.key for item in self.items if item.status is ItemStatus.CONFLICT]

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
    """A preview with its decisions, for :func:`apply_merges`."""

    preview: MergePreview
    decisions: Mapping[str, str]
    comments: Mapping[str, str] = field(default_factory=dict)
    overwrite: Collection[str] = ()


@dataclass(frozen=True)
class MergeResult:
    """What applying a submission did, per outcome."""

    file_name: str
    department: str
    accepted: tuple[str, ...]  # content merged
    returned: tuple[str, ...]
    unchanged: tuple[str, ...]  # nothing to merge (unchanged, or the office's newer copy kept)
    locked: tuple[str, ...]
    submission_id: int


# --- preview ----------------------------------------------------------------------------------------------


def _payload(submission: SubmissionFile) -> dict[str, Any]:
    try:
        payload = json.loads(submission.payload_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(f"'{submission.file_name}' 의 payload.json 을 읽을 수 없습니다: {exc}") from exc
    if not isinstance(payload, dict) or payload.get("format") != PAYLOAD_FORMAT:
        raise PayloadError(f"'{submission.file_name}' 의 payload.json 이 제출 내용 형식이 아닙니다.")
    return payload


def _agree(manifest: dict[str, Any], payload: dict[str, Any], file_name: str) -> None:
    for key in ("report_id", "report_year", "department", "author", "created_at"):
        if payload.get(key) != manifest[key]:
            raise SubmissionError(
                f"'{file_name}' 의 manifest 와 payload 의 {key} 이(가) 다릅니다"
                f"({manifest[key]!r} / {payload.get(key)!r}). 파일이 변조되었습니다.",
                "mismatch",
            )
    for key in ("package_id", "submission_id"):
        if not isinstance(payload.get(key), str):
            raise PayloadError(f"'{file_name}' 의 payload 에 {key} 이(가) 없습니다.")
    if not isinstance(payload.get("programs"), list):
        raise PayloadError(f"'{file_name}' 의 payload programs 가 배열이 아닙니다.")


def _older_warnings(
    conn: Connection, year: int, department: str, created: dt.datetime, manifest: dict[str, Any]
) -> dict[str, list[str]]:
    """Per item: a later-made submission of the same department already merged it."""
    base_revisions = {p["code"]: p["base_revision"] for p in manifest["programs"]}
    warnings: dict[str, list[str]] = {}
    for record in submissions_in(conn, year, department=department):
        for key, outcome in record.outcome.items():
            if outcome.get("decision") != "accepted":
                continue
            if record.created_at > created:
                warnings.setdefault(key, []).append(
                    f"이 제출({created:%Y-%m-%d %H:%M})보다 나중에 만든 제출({record.created_at:%Y-%m-%d %H:%M}, "
                    f"{record.author})이 이미 반영되었습니다. 이 제출을 받아들이면 더 오래된 내용으로 돌아갑니다."
                )
            merged_base = outcome.get("base_revision")
            if isinstance(merged_base, int) and key in base_revisions and base_revisions[key] < merged_base:
                warnings.setdefault(key, []).append(
                    f"더 오래된 꾸러미(개정 {base_revisions[key]})에서 만든 제출입니다. "
                    f"개정 {merged_base} 기준 제출이 이미 반영되었습니다."
                )
    return warnings


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
    department: str = manifest["department"]
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

        secret = department_key_in(conn, year, department)
        if secret is None:
            raise SubmissionError(
                f"'{name}' 의 부서 '{department}' 에 발급한 키가 없습니다. 이 데이터베이스가 발급한 꾸러미에서 "
                "만든 제출이 아니거나 위조된 파일입니다.",
                "unknown-key",
            )
        if not signature_matches(secret, submission.payload_bytes, manifest["signature"]):
            raise SubmissionError(
                f"'{name}' 의 서명이 '{department}' 부서의 키와 맞지 않습니다. 파일이 위조되었거나 부서 이름이 바뀌었습니다.",
                "signature",
            )
        checks.append(Check("서명", f"{department} 키로 확인"))

        done = submission_by_payload_in(conn, RECEIVED, payload_sha)
        if done is not None:
            raise AlreadyMergedError(
                f"이미 반영된 제출입니다: '{name}' ({department}, {done.processed_at.astimezone():%Y-%m-%d %H:%M} "
                f"{done.processed_by} 처리). 다시 반영하지 않았습니다."
            )

        payload = _payload(submission)
        _agree(manifest, payload, name)
        package = issued_package_in(conn, payload["package_id"])
        if package is None or package.department != department or package.year != year:
            raise SubmissionError(
                f"'{name}' 은(는) 이 데이터베이스가 {department}에 발급한 꾸러미에서 만든 제출이 아닙니다.",
                "unknown-package",
            )
        programs, section = _parse_items(payload, name)
        _check_manifest_programs(manifest, programs, package, name)

        report = load_report_in(conn, year).report
        _check_ownership(report, programs, section, department, package, name)
        invalid = [p for program in programs.values() for p in new_invalid_cells(program, report.program(program.code))]
        if invalid:
            raise PayloadError(f"'{name}' 에 금액이 아닌 칸이 있습니다:\n" + "\n".join(f"  - {p}" for p in invalid))
        checks.append(Check("소유", f"사업 {len(programs)}개와 업무 평가 모두 {department} 소속"))

        created = from_iso(manifest["created_at"])
        items = _preview_items(conn, report, programs, section, package, created, manifest)
    conflicts = sum(1 for item in items if item.status is ItemStatus.CONFLICT)
    warnings = tuple(w for item in items for w in (f"{item.key}: {x}" for x in item.warnings))
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
    )


def _parse_items(payload: dict[str, Any], name: str) -> tuple[dict[str, Program], SectionII | None]:
    programs: dict[str, Program] = {}
    for n, raw in enumerate(payload["programs"], start=1):
        program = program_from_dict(raw, f"'{name}' 의 {n}번째 사업")
        if program.code in programs:
            raise PayloadError(f"'{name}' 에 {program.code} 사업이 두 번 들어 있습니다.")
        programs[program.code] = program
    raw_section = payload.get("section_ii")
    section = section_ii_from_dict(raw_section) if raw_section is not None else None
    return programs, section


def _check_manifest_programs(
    manifest: dict[str, Any], programs: dict[str, Program], package: IssuedPackage, name: str
) -> None:
    listed = {entry["code"]: entry for entry in manifest["programs"]}
    if sorted(listed) != sorted(programs) or len(listed) != len(manifest["programs"]):
        raise SubmissionError(
            f"'{name}' 의 manifest 사업 목록({', '.join(listed)})이 내용({', '.join(programs)})과 다릅니다.", "mismatch"
        )
    for code, program in programs.items():
        if listed[code]["sha256"] != program_sha256(program):
            raise SubmissionError(
                f"'{name}' 의 {code} 사업 체크섬이 manifest 와 다릅니다. 파일이 변조되었습니다.", "checksum"
            )
        base = package.base.get(code)
        if base is not None and listed[code]["base_revision"] != base.revision:
            raise SubmissionError(
                f"'{name}' 의 {code} 사업 기준 개정({listed[code]['base_revision']})이 발급 기록({base.revision})과 다릅니다.",
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

    for code, program in programs.items():
        office = report.program(code)
        if office is None:
            raise SubmissionError(f"'{name}' 의 {code} 사업은 {report.year}년 보고서에 없습니다.", "unknown-program")
        ref = ItemRef.program(code)
        issued = ref.key() in package.base
        refuse(policy.submission_refusal(department, ref, office.department, program.department, issued=issued))
    if section is not None:
        ref = ItemRef.section_ii(section.department)
        refuse(policy.submission_refusal(department, ref, section.department, section.department, issued=True))


def _classify(office: str, submitted: str, allowed: set[str]) -> ItemStatus:
    if submitted == office:
        return ItemStatus.UNCHANGED
    if office in allowed:
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
    older = _older_warnings(conn, report.year, package.department, created, manifest)
    office_items = report_items(report)
    submitted: list[tuple[ItemContent, Program | SectionII]] = [(program_content(p), p) for p in programs.values()]
    if section is not None:
        submitted.append((section_ii_content(section), section))

    previews: list[ItemPreview] = []
    for content, value in submitted:
        key = content.key
        office = office_items[key]
        base = package.base.get(key)
        base_sha = base.sha256 if base is not None else ""
        status_row = statuses.get(key)
        state = status_row.state if status_row is not None else ReviewState.DRAFT.value
        revision = status_row.revision if status_row is not None else 0
        if status_row is None or status_row.sha256 != office.sha256:
            revision += 1  # an office edit not yet recorded gets a revision on the next write
        status = _classify(office.sha256, content.sha256, {base_sha} | own.get(key, set()))
        if status in (ItemStatus.CHANGED, ItemStatus.CONFLICT) and policy.is_locked_state(state):
            status = ItemStatus.LOCKED
        if isinstance(value, Program):
            office_program = report.program(content.ref.id)
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
        if status is ItemStatus.CONFLICT:
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
                office_changes=tuple(office_changes if status in (ItemStatus.CONFLICT, ItemStatus.KEPT) else []),
                department_changes=tuple(department_changes),
                errors_before=errors[0],
                errors_after=errors[1],
                warnings=tuple(warnings),
                office_sha256=office.sha256,
                submitted_sha256=content.sha256,
            )
        )
    return previews


# --- apply ------------------------------------------------------------------------------------------------


def _check_decisions(request: MergeRequest) -> None:
    preview = request.preview
    keys = {item.key for item in preview.items}
    name = preview.file_name
    unknown = sorted((set(request.decisions) | set(request.comments) | set(request.overwrite)) - keys)
    if unknown:
        raise MergeError(f"'{name}' 에 없는 항목입니다: {', '.join(unknown)}", "unknown-item")
    bad = {k: v for k, v in request.decisions.items() if v not in (ACCEPT, RETURN)}
    if bad:
        raise MergeError(f"결정은 '{ACCEPT}' 또는 '{RETURN}' 이어야 합니다: {bad}", "decision")
    missing = [key for key in preview.pending() if key not in request.decisions]
    if missing:
        raise MergeError(
            f"'{name}': 받아들일지 반려할지 정하지 않은 항목이 있습니다: {', '.join(missing)}", "missing-decision"
        )
    for item in preview.items:
        decision = request.decisions.get(item.key)
        if decision == ACCEPT and item.status is ItemStatus.CONFLICT and item.key not in request.overwrite:
            raise MergeError(
                f"'{name}' 의 {item.key} 은(는) 충돌입니다: 꾸러미 발급 뒤 기획 부서도 고쳤습니다. 덮어쓰려면 "
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
    who: str,
    *,
    overwrite: Collection[str] = (),
) -> MergeResult:
    """Apply one previewed submission with the reviewer's decisions, in one transaction."""
    return apply_merges(engine, [MergeRequest(preview, decisions, comments, overwrite)], who)[0]


def apply_merges(engine: Engine, requests: Sequence[MergeRequest], who: str) -> list[MergeResult]:
    """Apply several previewed submissions, in order, in ONE transaction; any failure applies none."""
    for request in requests:
        _check_decisions(request)
    hashes = [r.preview.payload_sha256 for r in requests]
    if len(set(hashes)) != len(hashes):
        raise MergeError("같은 제출 파일이 두 번 들어 있습니다.", "duplicate")
    results: list[MergeResult] = []
    with transaction(engine, write=True) as conn:
        years = {r.preview.year for r in requests}
        reports: dict[int, StoredReport] = {year: load_report_in(conn, year) for year in years}
        for request in requests:
            results.append(_apply_one(conn, reports[request.preview.year], request, who))
    return results


def _apply_one(conn: Connection, stored: StoredReport, request: MergeRequest, who: str) -> MergeResult:
    preview = request.preview
    year = preview.year
    report = stored.report
    if submission_by_payload_in(conn, RECEIVED, preview.payload_sha256) is not None:
        raise AlreadyMergedError(f"이미 반영된 제출입니다: '{preview.file_name}'. 다시 반영하지 않았습니다.")
    office_items = report_items(report)
    for item in preview.items:
        if office_items[item.key].sha256 != item.office_sha256:
            raise MergeError(
                f"미리보기 이후 {item.key} 의 기획 부서 사본이 바뀌었습니다. 아무것도 반영하지 않았습니다. 다시 미리보기 하십시오.",
                "stale-preview",
            )
    statuses = sync_items_in(conn, year, office_items, who)
    for item in preview.items:
        if statuses[item.key].state != item.state:
            raise MergeError(
                f"미리보기 이후 {item.key} 의 검토 상태가 '{statuses[item.key].state}'(으)로 바뀌었습니다. "
                "아무것도 반영하지 않았습니다. 다시 미리보기 하십시오.",
                "stale-preview",
            )

    moment = now()
    outcome: dict[str, dict[str, Any]] = {}
    audit: list[dict[str, Any]] = []
    accepted: list[str] = []
    returned: list[str] = []
    unchanged: list[str] = []
    locked: list[str] = []

    def entry(key: str, action: AuditAction, **values: Any) -> None:
        audit.append(
            {
                "year": year,
                "who": who,
                "action": action,
                "item": key,
                "department": preview.department,
                "submission": preview.payload_sha256,
                "at": moment,
                **values,
            }
        )

    def move(key: str, new_state: str, *, sha256: str | None = None) -> None:
        status = statuses[key]
        if status.state == new_state and sha256 is None:
            return
        statuses[key] = write_status_in(
            conn,
            year,
            key,
            state=new_state,
            revision=status.revision + 1,
            sha256=sha256 if sha256 is not None else status.sha256,
            who=who,
            at=moment,
        )
        if status.state != new_state:
            entry(key, AuditAction.STATE, old=status.state, new=new_state)

    for item in preview.items:
        key = item.key
        decision = request.decisions.get(key)
        comment = request.comments.get(key, "").strip()
        record: dict[str, Any] = {"decision": "", "sha256": item.submitted_sha256, "base_revision": item.base_revision}
        if decision == RETURN:
            move(key, policy.state_after_merge(statuses[key].state, returned=True))
            record["decision"] = "returned"
            returned.append(key)
        elif item.status is ItemStatus.LOCKED:
            record["decision"] = "locked"
            locked.append(key)
        elif item.status in (ItemStatus.UNCHANGED, ItemStatus.KEPT):
            move(key, policy.state_after_merge(statuses[key].state, returned=False))
            record["decision"] = "unchanged" if item.status is ItemStatus.UNCHANGED else "kept"
            unchanged.append(key)
        else:  # accepted change (a conflict only with overwrite, checked above)
            old_content = office_items[key].content
            new_sha = _write_item(conn, stored, preview, item.ref)
            new_content = report_items(report)[key].content
            entry(
                key,
                AuditAction.MERGE,
                old=item.office_sha256,
                new=new_sha,
                detail={
                    "status": str(item.status),
                    "overwrote_office_edit": item.status is ItemStatus.CONFLICT,
                    "old_content": old_content,
                    "new_content": new_content,
                },
            )
            for change in item.changes:
                entry(
                    key,
                    AuditAction.FIELD,
                    section=change.section,
                    row=change.row,
                    column=change.column,
                    old=change.old,
                    new=change.new,
                    detail={"kind": str(change.kind)},
                )
            move(key, policy.state_after_merge(statuses[key].state, returned=False), sha256=new_sha)
            record["decision"] = "accepted"
            accepted.append(key)
        if comment:
            target = CommentTarget(item.ref.id if item.ref.is_program else None, department=preview.department)
            add_comment_in(conn, year, target, comment, who, department=preview.department, at=moment, audit=False)
            entry(key, AuditAction.COMMENT, new=comment)
        outcome[key] = record

    submission_id = record_submission_in(
        conn,
        direction=RECEIVED,
        payload_sha256=preview.payload_sha256,
        manifest=preview.manifest,
        package_id=preview.package_id,
        processed_at=moment,
        processed_by=who,
        file_name=preview.file_name,
        outcome=outcome,
    )
    record_many_in(conn, audit)
    record_in(
        conn,
        year=year,
        who=who,
        action=AuditAction.SUBMISSION,
        department=preview.department,
        new=f"반영 {len(accepted)}, 반려 {len(returned)}, 변경 없음 {len(unchanged)}, 확정 {len(locked)}",
        submission=preview.payload_sha256,
        detail={"file": preview.file_name, "author": preview.author, "outcome": outcome},
        at=moment,
    )
    return MergeResult(
        preview.file_name,
        preview.department,
        tuple(accepted),
        tuple(returned),
        tuple(unchanged),
        tuple(locked),
        submission_id,
    )


def _write_item(conn: Connection, stored: StoredReport, preview: MergePreview, ref: ItemRef) -> str:
    """Write a submitted item into the office's report (database and the in-memory copy); its new hash."""
    report = stored.report
    if ref.is_program:
        program = preview.programs[ref.id]
        save_program_in(conn, stored.id, program)
        for chapter in report.chapters:
            for index, existing in enumerate(chapter.programs):
                if existing.code == ref.id:
                    chapter.programs[index] = program
                    return program_content(program).sha256
        raise MergeError(f"보고서에 {ref.id} 사업이 없습니다.", "unknown-program")
    section = preview.section_ii
    if section is None or ItemRef.section_ii(section.department) != ref:
        raise MergeError(f"제출에 {ref.key()} 이(가) 없습니다.", "unknown-item")
    office = report.department(section.department)
    if office is None:
        raise MergeError(f"보고서에 '{section.department}' 부서가 없습니다.", "unknown-department")
    # The department's outlines replace the office's; its name, order and layout stay the office's.
    section.apply_to(office)
    save_section_ii_in(conn, stored.id, office)
    return section_ii_content(section).sha256
