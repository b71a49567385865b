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
  (a UUID made on its first package or its first audit entry), ``None`` before that.
* ``department_keys(engine, year, department_uid, *names)``: every signing key issued to
  a department (by its uid; by name for keys issued before keys carried it), the active one and the revoked ones (history: a submission
  signed with a revoked key is refused, and the office sees which key it was).
* ``issued_packages(engine, year)`` and ``submissions(engine, year, …)``:
  what the office has issued and received (for the dashboard and history).

Items (a program, a department's section II) are named by the string keys of
:class:`~seri_desktop.domain.identity.ItemRef` wherever they are stored
(package bases, submission outcomes): a program by its uid.

Keys rotate: issuing a package to a department revokes its active key and
makes a new one (:func:`rotate_department_key_in`), so only the newest
package can sign; the revoked keys stay, with when they were revoked.

A key names its department by the department's permanent uid
(``Department.uid``), so it still belongs to the department after the office
renames it or merges it into another; keys issued before that was so name the
department as it was called then (such a name is found only while it resolves).
An issued package finds its department through its key (``key_id``); its
``department`` is the name at issue, for display.

The ``*_in(conn, …)`` functions work inside a caller's transaction, so
:mod:`seri_desktop.exchange` can package or merge (content, states, audit)
in one transaction; report content is read and written in such a
transaction with :mod:`seri_desktop.store.content`.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Row, delete, insert, select, update
from sqlalchemy.exc import OperationalError

from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.policy import Editor
from seri_desktop.store.engine import StoreError, transaction
from seri_desktop.store.pg_roles import role_editor_in
from seri_desktop.store.tables import DEPARTMENT_KEY, EXCHANGE_REPORT, ISSUED_PACKAGE, PACKAGE_INFO, SUBMISSION

RECEIVED = "received"
SENT = "sent"


# --- time -------------------------------------------------------------------------------------------


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
    key_id: str = ""  # which of the department's keys ``secret`` is ("" in packages issued before 0004)

    def refs(self) -> list[ItemRef]:
        """The items issued in this package (the department's programs and section II), in report order."""
        return [ItemRef.from_key(key) for key in self.base]

    def program_ids(self) -> list[str]:
        """The uids of the department's programs in this package, in report order."""
        return [ref.id for ref in self.refs() if ref.is_program]

    def editor(self) -> Editor:
        """The department as the edit policy sees it: it may edit only the items issued to it."""
        return Editor.package(self.department, frozenset(self.refs()))


@dataclass(frozen=True)
class IssuedPackage:
    """A package as the office recorded it when issuing it."""

    package_id: str
    year: int
    department: str
    issued_at: dt.datetime
    issued_by: str
    base: dict[str, BaseItem] = field(repr=False)
    key_id: str = ""  # the department key the package carries ("" when not known)

    def code_map(self) -> dict[str, str]:
        """Program code as issued → uid: how a submission of payload format 1 (codes only) finds its programs."""
        found: dict[str, str] = {}
        for key, item in self.base.items():
            ref = ItemRef.from_key(key)
            code = item.content.get("code")
            if ref.is_program and isinstance(code, str):
                found.setdefault(code, ref.id)
        return found


@dataclass(frozen=True)
class DepartmentKey:
    """One signing key issued to a department (the secret is kept out of ``repr``)."""

    key_id: str
    year: int
    department: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    secret: bytes = field(repr=False)

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class SubmissionRecord:
    """A submission the office processed (``received``) or a department wrote (``sent``).

    ``outcome`` maps item keys to ``{"decision", "sha256", "base_revision"}``;
    decisions are ``accepted``, ``returned``, ``unchanged``, ``kept`` (the
    office's newer copy was kept), ``locked`` and ``older`` (refused: a newer
    submission was merged; forcing it later turns it into ``accepted``); a
    sent record says ``sent``.
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
    """The package record, read inside the caller's transaction (``None`` in the office's database)."""
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
        key_id=row.key_uuid,
    )


def editor_in(conn: Connection) -> Editor:
    """Who works in this database, for the edit policy: the office, or the department of the package or role."""
    info = package_info_in(conn)
    if info is not None:
        return info.editor()
    # On a shared PostgreSQL database a department's own role works as its package would (pg-setup).
    return role_editor_in(conn) or Editor.office()


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
            "key_uuid": info.key_id,
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


def _key(row: Row[Any]) -> DepartmentKey:
    return DepartmentKey(
        key_id=row.key_uuid,
        year=row.year,
        department=row.department,
        created_at=from_iso(row.created_at),
        revoked_at=from_iso(row.revoked_at) if row.revoked_at else None,
        secret=bytes.fromhex(row.secret),
    )


def department_keys_in(conn: Connection, year: int, department: str, *names: str) -> list[DepartmentKey]:
    """Every key issued to the department for the year, oldest first (the active one has no ``revoked_at``).

    ``department`` is its uid; ``names`` are names it was known by, for keys issued before keys carried the uid.
    """
    rows = conn.execute(
        select(DEPARTMENT_KEY)
        .where(DEPARTMENT_KEY.c.year == year, DEPARTMENT_KEY.c.department.in_([department, *names]))
        .order_by(DEPARTMENT_KEY.c.id)
    ).all()
    return [_key(row) for row in rows]


def department_key_by_id_in(conn: Connection, key_id: str) -> DepartmentKey | None:
    """The key ``key_id`` names (an issued package's), ``None`` when there is none (or ``key_id`` is "")."""
    if not key_id:
        return None
    row = conn.execute(select(DEPARTMENT_KEY).where(DEPARTMENT_KEY.c.key_uuid == key_id)).first()
    return _key(row) if row is not None else None


def department_keys(engine: Engine, year: int, department: str, *names: str) -> list[DepartmentKey]:
    """:func:`department_keys_in` in a read transaction of its own."""
    with transaction(engine, write=False) as conn:
        return department_keys_in(conn, year, department, *names)


def department_key_in(conn: Connection, year: int, department: str, *names: str) -> bytes | None:
    """The department's active signing key for the year (``department``: its uid), ``None`` when it has none."""
    active = [key for key in department_keys_in(conn, year, department, *names) if key.active]
    return active[-1].secret if active else None


def rotate_department_key_in(
    conn: Connection, year: int, department: str, *names: str, at: dt.datetime
) -> DepartmentKey:
    """Revoke the department's active key(s) for the year and make a new one (32 random bytes); the new key.

    ``department`` is the department's uid, which the new key carries; ``names``: the keys issued under
    its name before keys carried the uid are revoked too.
    """
    moment = to_iso(at)
    conn.execute(
        update(DEPARTMENT_KEY)
        .where(
            DEPARTMENT_KEY.c.year == year,
            DEPARTMENT_KEY.c.department.in_([department, *names]),
            DEPARTMENT_KEY.c.revoked_at == "",
        )
        .values(revoked_at=moment)
    )
    key = DepartmentKey(str(uuid.uuid4()), year, department, at, None, secrets.token_bytes(32))
    conn.execute(
        insert(DEPARTMENT_KEY),
        {
            "key_uuid": key.key_id,
            "year": year,
            "department": department,
            "secret": key.secret.hex(),
            "created_at": moment,
            "revoked_at": "",
        },
    )
    return key


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
            "key_uuid": package.key_id,
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
        key_id=row.key_uuid,
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


def update_submission_outcome_in(conn: Connection, submission_id: int, outcome: dict[str, dict[str, Any]]) -> None:
    """Replace the item outcomes of a processed submission (an item refused as older taken later, when forced)."""
    conn.execute(update(SUBMISSION).where(SUBMISSION.c.id == submission_id).values(outcome_json=outcome))


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
