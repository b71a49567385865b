"""Exchange records in the store: report identity, department keys, issued packages, package info, submissions.

Public API (for the UI; every function opens its own transaction):

* ``package_department(engine) -> str | None``: the department's name when
  the database is a department package (it has a package-info row), ``None``
  for the office's database. The UI uses it to open a package read-only
  except for that department's programs and section II.
* ``package_info(engine) -> PackageInfo | None``: the whole package record
  (report id and year, issue time, base revisions); the signing key is in it
  but kept out of ``repr``.
* ``report_identity(engine, year) -> str | None``: the report's stable id
  (a UUID made on first packaging), ``None`` before that.
* ``issued_packages(engine, year)`` and ``submissions(engine, year, …)``:
  what the office has issued and received (for the dashboard and history).
* ``item_key(code)`` / ``section_ii_key(department)``: the keys that name a
  reviewable item: a program by its code, a department's section II as
  ``"II:<department>"``. States, revisions, comments and the audit log use them.

The ``*_in(conn, …)`` functions work inside a caller's transaction, so
:mod:`seri_desktop.exchange` can package or merge (content, states, audit)
in one transaction. ``replace_program_in`` and ``replace_section_ii_in``
write report content inside such a transaction; they reuse the
repository's writers, which is why this module imports its private helpers.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Row, delete, insert, select
from sqlalchemy.exc import OperationalError

from seri_desktop.domain.model import Program, Report
from seri_desktop.store.engine import StoreError, transaction
from seri_desktop.store.repository import (
    DEPARTMENT,
    OUTLINE,
    REPORT,
    ReportNotFoundError,
    _Pending,
    _queue_outline,
    _read_report,
    _validate_program,
)
from seri_desktop.store.repository import (
    replace_program_in as _replace_program_in,
)
from seri_desktop.store.tables import (
    DEPARTMENT_OUTLINES,
    DepartmentKeyRow,
    ExchangeReportRow,
    IssuedPackageRow,
    PackageInfoRow,
    SubmissionRow,
    table_of,
)

EXCHANGE_REPORT = table_of(ExchangeReportRow)
DEPARTMENT_KEY = table_of(DepartmentKeyRow)
ISSUED_PACKAGE = table_of(IssuedPackageRow)
PACKAGE_INFO = table_of(PackageInfoRow)
SUBMISSION = table_of(SubmissionRow)

SECTION_II_PREFIX = "II:"
RECEIVED = "received"
SENT = "sent"


# --- item keys and time -------------------------------------------------------------------------------


def item_key(code: str) -> str:
    """The review key of a program: its code."""
    return code


def section_ii_key(department: str) -> str:
    """The review key of a department's section II (II. 업무 평가 및 개선 방향)."""
    return f"{SECTION_II_PREFIX}{department}"


def section_ii_department(key: str) -> str | None:
    """The department of a section II key, ``None`` for a program code."""
    return key.removeprefix(SECTION_II_PREFIX) if key.startswith(SECTION_II_PREFIX) else None


def now() -> dt.datetime:
    """The current time in UTC (every stored timestamp is UTC)."""
    return dt.datetime.now(dt.UTC)


def to_iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


# --- records ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseItem:
    """An item as it was when a package was issued: its revision, content hash and content (JSON values)."""

    revision: int
    sha256: str
    content: dict[str, Any] = field(repr=False)

    def as_json(self) -> dict[str, Any]:
        return {"revision": self.revision, "sha256": self.sha256, "content": self.content}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BaseItem:
        return cls(int(data["revision"]), str(data["sha256"]), dict(data["content"]))


@dataclass(frozen=True)
class PackageInfo:
    """The package-info row of a department package."""

    package_id: str
    report_id: str
    year: int
    department: str
    issued_at: dt.datetime
    issued_by: str
    app_version: str
    base: dict[str, BaseItem] = field(repr=False)
    secret: bytes = field(repr=False)  # the department's signing key: never print it

    def program_codes(self) -> list[str]:
        """The department's programs in this package, in report order."""
        return [key for key in self.base if section_ii_department(key) is None]


@dataclass(frozen=True)
class IssuedPackage:
    """A package as the office recorded it when issuing it."""

    package_id: str
    year: int
    department: str
    issued_at: dt.datetime
    issued_by: str
    base: dict[str, BaseItem] = field(repr=False)


@dataclass(frozen=True)
class SubmissionRecord:
    """A submission the office processed (``received``) or a department wrote (``sent``).

    ``outcome`` maps item keys to ``{"decision", "sha256", "base_revision"}``;
    decisions are ``accepted``, ``returned``, ``unchanged``, ``kept`` (the
    office's newer copy was kept) and ``locked``; a sent record says ``sent``.
    """

    id: int
    direction: str
    payload_sha256: str
    year: int
    department: str
    author: str
    created_at: dt.datetime
    package_id: str
    processed_at: dt.datetime
    processed_by: str
    file_name: str
    outcome: dict[str, dict[str, Any]]
    manifest: dict[str, Any] = field(repr=False)


# --- transactions and report access --------------------------------------------------------------------------


def report_row_in(conn: Connection, year: int | None) -> Row[Any] | None:
    query = select(REPORT)
    query = query.order_by(REPORT.c.year.desc()).limit(1) if year is None else query.where(REPORT.c.year == year)
    return conn.execute(query).first()


def load_report_in(conn: Connection, year: int | None) -> tuple[int, Report]:
    """The stored report (newest when ``year`` is None) and its row id, read inside ``conn``'s transaction."""
    row = report_row_in(conn, year)
    if row is None:
        raise ReportNotFoundError(f"{year}년 보고서가 없습니다." if year is not None else "저장된 보고서가 없습니다.")
    try:
        return int(row.id), _read_report(conn, row)
    except (KeyError, ValueError) as exc:
        raise StoreError(f"{row.year}년 보고서 자료가 올바르지 않습니다: {exc}") from exc


def replace_program_in(conn: Connection, report_id: int, program: Program) -> None:
    """Replace a program's content at its place, inside the caller's transaction (as ``save_program`` does)."""
    _validate_program(program)
    _replace_program_in(conn, report_id, program)


def replace_section_ii_in(
    conn: Connection, report_id: int, department: str, outlines: list[tuple[str, list[Any]]]
) -> None:
    """Replace a department's 성과/한계/개선 방향 outlines; name, order and layout stay the office's."""
    department_id = conn.execute(
        select(DEPARTMENT.c.id).where(DEPARTMENT.c.report_id == report_id, DEPARTMENT.c.name == department)
    ).scalar()
    if department_id is None:
        raise StoreError(f"보고서에 '{department}' 부서가 없습니다.")
    conn.execute(
        delete(OUTLINE).where(OUTLINE.c.department_id == department_id, OUTLINE.c.field.in_(DEPARTMENT_OUTLINES))
    )
    pending = _Pending()
    for field_name, outline in outlines:
        if field_name not in DEPARTMENT_OUTLINES:
            raise StoreError(f"알 수 없는 부서 항목 '{field_name}'")
        _queue_outline(pending, outline, field_name, department_id=department_id)
    pending.flush(conn)


# --- package info (department side) -----------------------------------------------------------------------


def package_department(engine: Engine) -> str | None:
    """The department's name when ``engine``'s database is a department package, else ``None``."""
    info = package_info(engine)
    return info.department if info is not None else None


def package_info(engine: Engine) -> PackageInfo | None:
    """The package record of a department package, ``None`` for the office's database."""
    with transaction(engine, write=False) as conn:
        return package_info_in(conn)


def package_info_in(conn: Connection) -> PackageInfo | None:
    try:
        row = conn.execute(select(PACKAGE_INFO).order_by(PACKAGE_INFO.c.id).limit(1)).first()
    except OperationalError:
        # A database opened without migrating (create_engine_for(..., migrate=False)) may lack the table.
        return None
    if row is None:
        return None
    return PackageInfo(
        package_id=row.package_uuid,
        report_id=row.report_uuid,
        year=row.year,
        department=row.department,
        issued_at=from_iso(row.issued_at),
        issued_by=row.issued_by,
        app_version=row.app_version,
        base={key: BaseItem.from_json(value) for key, value in row.base_json.items()},
        secret=bytes.fromhex(row.secret),
    )


def write_package_info_in(conn: Connection, info: PackageInfo) -> None:
    conn.execute(delete(PACKAGE_INFO))
    conn.execute(
        insert(PACKAGE_INFO),
        {
            "package_uuid": info.package_id,
            "report_uuid": info.report_id,
            "year": info.year,
            "department": info.department,
            "issued_at": to_iso(info.issued_at),
            "issued_by": info.issued_by,
            "secret": info.secret.hex(),
            "app_version": info.app_version,
            "base_json": {key: item.as_json() for key, item in info.base.items()},
        },
    )


# --- report identity and department keys (office side) ------------------------------------------------


def report_identity(engine: Engine, year: int) -> str | None:
    """The stable id of the report of ``year``, ``None`` until the first package is issued."""
    with transaction(engine, write=False) as conn:
        return report_identity_in(conn, year)


def report_identity_in(conn: Connection, year: int) -> str | None:
    value = conn.execute(select(EXCHANGE_REPORT.c.report_uuid).where(EXCHANGE_REPORT.c.year == year)).scalar()
    return str(value) if value is not None else None


def set_report_identity_in(conn: Connection, year: int, report_uuid: str) -> None:
    conn.execute(insert(EXCHANGE_REPORT), {"year": year, "report_uuid": report_uuid, "created_at": to_iso(now())})


def department_key_in(conn: Connection, year: int, department: str) -> bytes | None:
    value = conn.execute(
        select(DEPARTMENT_KEY.c.secret).where(DEPARTMENT_KEY.c.year == year, DEPARTMENT_KEY.c.department == department)
    ).scalar()
    return bytes.fromhex(value) if value is not None else None


def ensure_department_key_in(conn: Connection, year: int, department: str) -> bytes:
    """The department's signing key for the year, made (32 random bytes) on first use."""
    existing = department_key_in(conn, year, department)
    if existing is not None:
        return existing
    secret = secrets.token_bytes(32)
    conn.execute(
        insert(DEPARTMENT_KEY),
        {"year": year, "department": department, "secret": secret.hex(), "created_at": to_iso(now())},
    )
    return secret


# --- issued packages ----------------------------------------------------------------------------------------


def record_issued_package_in(conn: Connection, package: IssuedPackage) -> None:
    conn.execute(
        insert(ISSUED_PACKAGE),
        {
            "package_uuid": package.package_id,
            "year": package.year,
            "department": package.department,
            "issued_at": to_iso(package.issued_at),
            "issued_by": package.issued_by,
            "base_json": {key: item.as_json() for key, item in package.base.items()},
        },
    )


def _issued(row: Row[Any]) -> IssuedPackage:
    return IssuedPackage(
        package_id=row.package_uuid,
        year=row.year,
        department=row.department,
        issued_at=from_iso(row.issued_at),
        issued_by=row.issued_by,
        base={key: BaseItem.from_json(value) for key, value in row.base_json.items()},
    )


def issued_package_in(conn: Connection, package_id: str) -> IssuedPackage | None:
    row = conn.execute(select(ISSUED_PACKAGE).where(ISSUED_PACKAGE.c.package_uuid == package_id)).first()
    return _issued(row) if row is not None else None


def issued_packages(engine: Engine, year: int) -> list[IssuedPackage]:
    """The packages issued for the report of ``year``, oldest first."""
    with transaction(engine, write=False) as conn:
        rows = conn.execute(
            select(ISSUED_PACKAGE).where(ISSUED_PACKAGE.c.year == year).order_by(ISSUED_PACKAGE.c.id)
        ).all()
        return [_issued(row) for row in rows]


# --- submissions -----------------------------------------------------------------------------------------------


def record_submission_in(
    conn: Connection,
    *,
    direction: str,
    payload_sha256: str,
    manifest: dict[str, Any],
    package_id: str,
    processed_at: dt.datetime,
    processed_by: str,
    file_name: str,
    outcome: dict[str, dict[str, Any]],
) -> int:
    key = conn.execute(
        insert(SUBMISSION),
        {
            "direction": direction,
            "payload_sha256": payload_sha256,
            "year": int(manifest["report_year"]),
            "department": str(manifest["department"]),
            "author": str(manifest["author"]),
            "created_at": str(manifest["created_at"]),
            "package_uuid": package_id,
            "processed_at": to_iso(processed_at),
            "processed_by": processed_by,
            "file_name": file_name,
            "manifest_json": manifest,
            "outcome_json": outcome,
        },
    ).inserted_primary_key
    if key is None or key[0] is None:
        raise StoreError("제출 기록의 번호를 받지 못했습니다.")
    return int(key[0])


def _submission(row: Row[Any]) -> SubmissionRecord:
    return SubmissionRecord(
        id=row.id,
        direction=row.direction,
        payload_sha256=row.payload_sha256,
        year=row.year,
        department=row.department,
        author=row.author,
        created_at=from_iso(row.created_at),
        package_id=row.package_uuid,
        processed_at=from_iso(row.processed_at),
        processed_by=row.processed_by,
        file_name=row.file_name,
        outcome=dict(row.outcome_json),
        manifest=dict(row.manifest_json),
    )


def submission_by_payload_in(conn: Connection, direction: str, payload_sha256: str) -> SubmissionRecord | None:
    row = conn.execute(
        select(SUBMISSION).where(SUBMISSION.c.direction == direction, SUBMISSION.c.payload_sha256 == payload_sha256)
    ).first()
    return _submission(row) if row is not None else None


def submissions_in(
    conn: Connection, year: int, *, direction: str = RECEIVED, department: str | None = None
) -> list[SubmissionRecord]:
    query = select(SUBMISSION).where(SUBMISSION.c.year == year, SUBMISSION.c.direction == direction)
    if department is not None:
        query = query.where(SUBMISSION.c.department == department)
    return [_submission(row) for row in conn.execute(query.order_by(SUBMISSION.c.id)).all()]


def submissions(
    engine: Engine, year: int, *, direction: str = RECEIVED, department: str | None = None
) -> list[SubmissionRecord]:
    """Submissions of the report of ``year`` in processing order: ``received`` (office) or ``sent`` (package)."""
    with transaction(engine, write=False) as conn:
        return submissions_in(conn, year, direction=direction, department=department)
