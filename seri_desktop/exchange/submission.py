"""Submission files: the department writes one from its package, the office reads one safely.

A submission (``.serisub``) is a zip with exactly two members:

``payload.json``
    canonical JSON (sorted keys, UTF-8): ``format`` ("seri-submission-payload"),
    ``version`` (2; absent in format 1), ``submission_id`` (a fresh UUID, so
    two submissions never share a payload), ``package_id``, ``report_id``,
    ``report_year``, ``department``, ``department_uid``, ``author``, ``created_at``, ``programs``
    (the department's programs, full content, in report order, each with its
    ``uid``; see :mod:`~seri_desktop.exchange.codec`) and ``section_ii``.
``manifest.json``
    ``{"format": "seri-submission", "format_version": 2, "report_id",
    "report_year", "department", "department_uid", "author", "created_at",
    "app_version", "key_id", "programs": [{"uid", "code", "base_revision", "sha256"}],
    "payload_sha256", "signature"}``: ``sha256`` is each program's hash (its
    canonical JSON, code included), ``key_id`` which of the department's
    keys signed, ``payload_sha256`` the hash of the payload bytes and
    ``signature`` the HMAC-SHA256 of the payload bytes with that key (hex).
    ``department_uid`` is the department's permanent id (``Department.uid``):
    the office finds the department by it, so a package still submits after
    the office renamed the department or merged it into another;
    ``department`` is its name when the package was issued, for display.
    Submissions written before carry only the name (still read while it resolves).

Format 1 (before programs had permanent ids) had no ``uid``, ``version``
or ``key_id``: its programs are named by their code when the package was
issued, and the office maps those codes to its programs through its record
of the package. Both formats are read; format 2 is written.

The manifest is not signed itself; everything in it that matters is either
a hash of the signed payload or repeated inside the payload, and the merge
checks the two agree.

Reading (:func:`read_submission_file`) never extracts to disk and trusts no
header: the file size, the member names (exactly the two above, no folders,
no duplicates, no encryption) and every member's size while it is
decompressed are bounded, so a zip bomb or a path like ``../x`` is refused
with a Korean message before anything is parsed; the manifest's nesting is
bounded before it is parsed (:mod:`~seri_desktop.exchange.limits`), and the
payload is parsed only after its checksum and signature are verified.

Public API: ``create_submission(engine, output, *, author) -> SentSubmission``
(department side, ``seri-desktop submit`` and the menu item),
``read_submission_file(path) -> SubmissionFile``, ``sign`` and
``signature_matches``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from seri_desktop import __version__
from seri_desktop.domain import template
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Cell, CellKind, Program
from seri_desktop.exchange.codec import (
    CELL_COLUMNS,
    SectionII,
    canonical_bytes,
    program_from_dict,
    program_sha256,
    program_to_payload,
    section_ii_to_dict,
)
from seri_desktop.exchange.errors import ExchangeError, SubmissionError
from seri_desktop.exchange.limits import MAX_MANIFEST_DEPTH, bounded_json
from seri_desktop.store.audit import AuditAction, Via
from seri_desktop.store.engine import transaction
from seri_desktop.store.exchange import (
    SENT,
    package_info_in,
    record_submission_in,
    to_iso,
)
from seri_desktop.store.unit import unit_of_work

FORMAT = "seri-submission"
FORMAT_VERSION = 2  # written; every version from 1 up to this one is read
PAYLOAD_FORMAT = "seri-submission-payload"
PAYLOAD_VERSION = 2  # the payload's "version"; a format 1 payload has none
MANIFEST_NAME = "manifest.json"
PAYLOAD_NAME = "payload.json"

# Generous for a department's part (a 2024 department's payload is well under 1 MiB),
# small enough that a hostile file cannot exhaust memory.
MAX_FILE_BYTES = 64 * 2**20
MAX_MEMBER_BYTES = {MANIFEST_NAME: 2**20, PAYLOAD_NAME: 32 * 2**20}
_CHUNK = 2**16

MANIFEST_FIELDS = (
    "format",
    "format_version",
    "report_id",
    "report_year",
    "department",
    "author",
    "created_at",
    "app_version",
    "programs",
    "payload_sha256",
    "signature",
)


@dataclass(frozen=True)
class SubmissionFile:
    """A submission as read from its zip: the manifest (checked for shape) and the payload bytes (unverified)."""

    file_name: str
    manifest: dict[str, Any]
    payload_bytes: bytes = field(repr=False)

    @property
    def version(self) -> int:
        return int(self.manifest["format_version"])


@dataclass(frozen=True)
class SentSubmission:
    """What ``create_submission`` wrote."""

    path: Path
    department: str
    year: int
    programs: list[str]
    payload_sha256: str
    created_at: dt.datetime


# --- signing ------------------------------------------------------------------------------------------


def sign(secret: bytes, payload: bytes) -> str:
    """HMAC-SHA256 of the payload bytes with the department's key, as hex."""
    return hmac.new(secret, payload, hashlib.sha256).hexdigest()


def signature_matches(secret: bytes, payload: bytes, signature: str) -> bool:
    """Constant-time comparison of a claimed signature with the right one."""
    return hmac.compare_digest(sign(secret, payload), signature)


# --- invalid cells ---------------------------------------------------------------------------------------


def _cells(program: Program) -> list[tuple[str, str, Cell]]:
    """(line name, column, cell) of every amount cell of the budget."""
    if program.budget is None:
        return []
    cells: list[tuple[str, str, Cell]] = []
    for line in program.budget.lines:
        amounts = [line.current, line.previous, *(q.amount for q in line.quarters)]
        cells.extend((line.name, column, cell) for column, cell in zip(CELL_COLUMNS, amounts, strict=False))
    return cells


def new_invalid_cells(program: Program, reference: Program | None) -> list[str]:
    """Places (Korean) of cells that hold text that is not an amount and that ``reference`` did not already hold.

    The office's copy may carry such cells from the printed report (4-7's
    "비예산"); a department must not add new ones, so a cell counts only when
    the reference has no INVALID cell with the same text in the same line and column.
    """
    known = {(name, column, cell.raw) for name, column, cell in _cells(reference)} if reference else set()
    problems: list[str] = []
    lines = program.budget.lines if program.budget is not None else []
    for row, line in enumerate(lines, start=1):
        amounts = [line.current, line.previous, *(q.amount for q in line.quarters)]
        for column, cell in zip(CELL_COLUMNS, amounts, strict=False):
            if cell.kind is CellKind.INVALID and (line.name, column, cell.raw) not in known:
                problems.append(
                    f"{program.code} 사업 {template.BUDGET.label} {row}행 {column}: '{cell.raw}' 은(는) 금액이 아닙니다 "
                    f"({template.CELL_FORMS} 중 하나여야 합니다)"
                )
    return problems


# --- writing (department side) -----------------------------------------------------------------------


def _write_atomically(output: Path, members: list[tuple[str, bytes]]) -> None:
    # A half-written file must never look like a submission: write beside it, then rename.
    tmp = output.with_name(f".{output.name}.{uuid.uuid4().hex}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in members:
                archive.writestr(name, data)
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)


def create_submission(engine: Engine, output: Path, *, author: str | None, overwrite: bool = False) -> SentSubmission:
    """Write the department's submission file (format 2) from its package database.

    Refused (Korean :class:`ExchangeError`) when the database is not a
    package, when a program of the package is missing or was moved to another
    department, or when a budget cell holds new text that is not an amount.
    The package database records (and its audit log says) that it sent the
    submission; ``author`` is the name recorded (``None``: the name set).
    """
    output = Path(output)
    if output.exists() and not overwrite:
        raise ExchangeError(f"'{output}' 파일이 이미 있습니다. 다른 이름을 쓰거나 덮어쓰기를 선택하십시오.", "exists")
    with transaction(engine, write=False) as conn:
        found = package_info_in(conn)
    if found is None:
        raise ExchangeError(
            "이 데이터베이스는 부서 꾸러미가 아닙니다. 제출 파일은 기획 부서가 발급한 꾸러미(.seripkg)에서 만듭니다.",
            "not-a-package",
        )
    with unit_of_work(engine, found.year, who=author, via=Via.SUBMIT) as work:
        conn = work.conn
        info = package_info_in(conn)
        if info is None:  # the package record went away meanwhile
            raise ExchangeError("이 데이터베이스는 부서 꾸러미가 아닙니다.", "not-a-package")
        report = work.report()
        programs: list[Program] = []
        problems: list[str] = []
        for ref in info.refs():
            if not ref.is_program:
                continue
            base = program_from_dict(info.base[ref.key()].content)
            program = report.program_by_uid(ref.id)
            if program is None:
                problems.append(f"꾸러미의 {base.code} 사업이 데이터베이스에 없습니다.")
                continue
            if program.department != info.department:
                problems.append(
                    f"{program.code} 사업의 부서가 '{program.department}'(으)로 바뀌었습니다. 부서는 '{info.department}' 여야 합니다."
                )
            problems.extend(new_invalid_cells(program, base))
            programs.append(program)
        department = report.department(info.department)
        section = SectionII.of(department) if department is not None else SectionII(info.department)
        department_uid = department.uid if department is not None else ""
        if problems:
            raise ExchangeError("제출 파일을 만들 수 없습니다:\n" + "\n".join(f"  - {p}" for p in problems), "payload")

        created = work.moment
        payload = {
            "format": PAYLOAD_FORMAT,
            "version": PAYLOAD_VERSION,
            "submission_id": str(uuid.uuid4()),
            "package_id": info.package_id,
            "report_id": info.report_id,
            "report_year": info.year,
            "department": info.department,
            "department_uid": department_uid,
            "author": work.who,
            "created_at": to_iso(created),
            "programs": [program_to_payload(p) for p in programs],
            "section_ii": section_ii_to_dict(section),
        }
        payload_bytes = canonical_bytes(payload)
        payload_sha = hashlib.sha256(payload_bytes).hexdigest()
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "report_id": info.report_id,
            "report_year": info.year,
            "department": info.department,
            "department_uid": department_uid,
            "author": work.who,
            "created_at": payload["created_at"],
            "app_version": __version__,
            "key_id": info.key_id,
            "programs": [
                {
                    "uid": p.uid,
                    "code": p.code,
                    "base_revision": info.base[ItemRef.of(p).key()].revision,
                    "sha256": program_sha256(p),
                }
                for p in programs
            ],
            "payload_sha256": payload_sha,
            "signature": sign(info.secret, payload_bytes),
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        _write_atomically(output, [(MANIFEST_NAME, manifest_bytes), (PAYLOAD_NAME, payload_bytes)])
        outcome: dict[str, dict[str, Any]] = {
            ItemRef.of(p).key(): {"decision": "sent", "sha256": program_sha256(p), "code": p.code} for p in programs
        }
        outcome[ItemRef.section_ii(info.department).key()] = {"decision": "sent"}
        # Recorded in the same transaction: if this fails the file is removed below and nothing was sent.
        try:
            record_submission_in(
                conn,
                direction=SENT,
                payload_sha256=payload_sha,
                manifest={k: v for k, v in manifest.items() if k != "signature"},
                package_id=info.package_id,
                processed_at=created,
                processed_by=work.who,
                file_name=output.name,
                outcome=outcome,
            )
            work.record(
                action=AuditAction.SUBMISSION,
                department=info.department,
                new=f"제출 파일 {output.name}: 사업 {len(programs)}개와 업무 평가",
                submission=payload_sha,
                detail={"file": output.name, "programs": [p.code for p in programs]},
            )
        except BaseException:
            output.unlink(missing_ok=True)
            raise
    return SentSubmission(output, info.department, info.year, [p.code for p in programs], payload_sha, created)


# --- reading (office side) -----------------------------------------------------------------------------


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, file_name: str) -> bytes:
    if info.file_size > limit:
        raise SubmissionError(
            f"'{file_name}' 의 {info.filename} 이(가) 너무 큽니다({info.file_size:,}바이트, 최대 {limit:,}바이트).",
            "too-large",
        )
    chunks: list[bytes] = []
    size = 0
    # The header's size can lie: count what actually comes out of the decompressor.
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise SubmissionError(
                    f"'{file_name}' 의 {info.filename} 이(가) 압축을 풀면 {limit:,}바이트를 넘습니다. "
                    "제출 파일이 아니거나 손상된 파일입니다.",
                    "too-large",
                )
            chunks.append(chunk)
    return b"".join(chunks)


def read_submission_file(path: Path) -> SubmissionFile:
    """Read a submission zip safely and check the manifest's shape, format and version.

    Raises :class:`SubmissionError` (Korean) for a missing, truncated, non-zip,
    oversized or strangely built file, unreadable JSON, another format or a
    newer ``format_version``. The payload is returned unverified.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise SubmissionError(f"제출 파일이 없습니다: {path}", "missing")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SubmissionError(f"'{name}' 은(는) 제출 파일로 보기에 너무 큽니다({size:,}바이트).", "too-large")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = [m.filename for m in members]
            if sorted(names) != sorted(MAX_MEMBER_BYTES):
                raise SubmissionError(
                    f"'{name}' 의 구성이 제출 파일과 다릅니다: {MANIFEST_NAME} 와 {PAYLOAD_NAME} 두 개만 있어야 하는데 "
                    f"{', '.join(names) or '아무것도 없습니다'}.",
                    "layout",
                )
            if any(m.flag_bits & 0x1 for m in members):
                raise SubmissionError(
                    f"'{name}' 은(는) 암호가 걸려 있습니다. 제출 파일은 암호를 쓰지 않습니다.", "layout"
                )
            data = {m.filename: _read_member(archive, m, MAX_MEMBER_BYTES[m.filename], name) for m in members}
    except SubmissionError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as exc:
        # Truncated files and CRC errors end here; so do files that are not zips at all.
        raise SubmissionError(
            f"'{name}' 은(는) 손상되었거나 zip 형식의 제출 파일이 아닙니다({exc}). 부서에 파일을 다시 보내 달라고 하십시오.",
            "not-a-zip",
        ) from exc
    except OSError as exc:
        raise SubmissionError(f"'{name}' 을(를) 읽을 수 없습니다: {exc}", "unreadable") from exc

    manifest = bounded_json(
        data[MANIFEST_NAME], max_depth=MAX_MANIFEST_DEPTH, what=f"'{name}' 의 {MANIFEST_NAME}", code="manifest"
    )
    check_manifest(manifest, name)
    return SubmissionFile(name, manifest, data[PAYLOAD_NAME])


def check_manifest(manifest: Any, file_name: str) -> None:
    """The manifest is an object of the right format and a known version, with every field well typed."""
    if not isinstance(manifest, dict):
        raise SubmissionError(f"'{file_name}' 의 {MANIFEST_NAME} 이(가) JSON 객체가 아닙니다.", "manifest")
    if manifest.get("format") != FORMAT:
        raise SubmissionError(
            f"'{file_name}' 은(는) seri-desktop 제출 파일이 아닙니다(format: {manifest.get('format')!r}).", "manifest"
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SubmissionError(f"'{file_name}' 의 format_version {version!r} 이(가) 올바르지 않습니다.", "manifest")
    if version > FORMAT_VERSION:
        raise SubmissionError(
            f"'{file_name}' 은(는) 더 새로운 제출 형식(버전 {version})으로 만들어졌습니다. 이 프로그램은 버전 "
            f"{FORMAT_VERSION}까지 읽습니다. 프로그램을 최신 버전으로 업데이트하십시오.",
            "format-version",
        )
    missing = [f for f in MANIFEST_FIELDS if f not in manifest]
    if missing:
        raise SubmissionError(f"'{file_name}' 의 {MANIFEST_NAME} 에 {', '.join(missing)} 이(가) 없습니다.", "manifest")
    texts = ("report_id", "department", "author", "created_at", "app_version", "payload_sha256", "signature")
    for key in texts:
        if not isinstance(manifest[key], str):
            raise SubmissionError(f"'{file_name}' 의 manifest {key} 은(는) 글자여야 합니다.", "manifest")
    year = manifest["report_year"]
    if not isinstance(year, int) or isinstance(year, bool):
        raise SubmissionError(f"'{file_name}' 의 manifest report_year 는 정수여야 합니다.", "manifest")
    try:
        dt.datetime.fromisoformat(manifest["created_at"])
    except ValueError as exc:
        raise SubmissionError(
            f"'{file_name}' 의 작성 시각 {manifest['created_at']!r} 을(를) 읽을 수 없습니다.", "manifest"
        ) from exc
    if not isinstance(manifest.get("department_uid", ""), str):
        raise SubmissionError(f"'{file_name}' 의 manifest department_uid 은(는) 글자여야 합니다.", "manifest")
    if version >= 2 and not isinstance(manifest.get("key_id"), str):
        raise SubmissionError(f"'{file_name}' 의 manifest 에 key_id(글자)가 없습니다.", "manifest")
    programs = manifest["programs"]
    if not isinstance(programs, list):
        raise SubmissionError(f"'{file_name}' 의 manifest programs 는 배열이어야 합니다.", "manifest")
    for entry in programs:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("code"), str)
            or not isinstance(entry.get("sha256"), str)
            or not isinstance(entry.get("base_revision"), int)
            or isinstance(entry.get("base_revision"), bool)
            or (version >= 2 and not isinstance(entry.get("uid"), str))
        ):
            shown = repr(entry)[:200]
            needed = "uid, code" if version >= 2 else "code"
            raise SubmissionError(
                f"'{file_name}' 의 manifest programs 항목 {shown} 에는 {needed}, base_revision(정수), sha256 이 있어야 합니다.",
                "manifest",
            )
