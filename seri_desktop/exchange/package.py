"""Department packages: the office issues each department its own working database.

A package (``.seripkg``) is an ordinary seri-desktop SQLite database, so the
app opens it with File > 열기 and every command takes it with ``--db``. It
holds:

* the whole report, for context: the department may edit only its own
  programs and its section II (``domain.policy.edit_refusal``; the form asks
  ``store.review.lock_reason``);
* the report's identity row (the same report id as the office's);
* the package-info row (``exchange_package_info``): department, report id
  and year, package id, issue time, the base of every item of the
  department (revision, content hash and content) and the department's
  secret signing key, which is never printed;
* the review states of the department's items and every review comment
  addressed to the department, so a returned program shows its comment.

Nothing else of the office's database goes in: no other department's key,
no audit log, no submissions. The package is written from scratch (the
report through ``content.save_report_in``) rather than copied from the office
file for exactly that reason.

The office records the package (``exchange_package``) with the same base, in
the same transaction (a unit of work, :mod:`seri_desktop.store.unit`) that
makes the report's id on first use and rotates the department's key:
issuing a package revokes the department's previous key, so a submission
from an older package (a lost one, a replaced one) is refused as signed
with a revoked key. Merges trust the office's record, not the package's
copy, which the department could edit. Items are keyed by the programs'
uids, so a package still merges into the right programs after the office
renumbers or moves them.

Public API: ``create_package(engine, department, output, *, who, year=None,
overwrite=False) -> IssuedPackageFile`` (office side), and
``changes_since_issue(engine) -> dict[str, list[FieldChange]]`` (department
side: what the department has changed in its package, per item, for a
"내 변경 사항" view before submitting).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from seri_desktop import __version__
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Report
from seri_desktop.domain.policy import OfficeAction
from seri_desktop.exchange.codec import SectionII, program_from_dict, section_ii_from_dict
from seri_desktop.exchange.diff import FieldChange, program_changes, section_ii_changes
from seri_desktop.exchange.errors import ExchangeError
from seri_desktop.exchange.items import department_items, department_names, report_items, sync_items_in
from seri_desktop.formats.file_names import PACKAGE
from seri_desktop.store.audit import AuditAction, Via
from seri_desktop.store.content import load_report_in, report_years_in
from seri_desktop.store.engine import create_engine_for, transaction
from seri_desktop.store.exchange import (
    BaseItem,
    IssuedPackage,
    PackageInfo,
    package_info_in,
    record_issued_package_in,
    report_identity_in,
    rotate_department_key_in,
    set_report_identity_in,
    write_package_info_in,
)
from seri_desktop.store.review import Comment, ReviewStatus, add_comment_in, comments_in, write_status_in
from seri_desktop.store.unit import unit_of_work

PACKAGE_SUFFIX = PACKAGE.suffix


@dataclass(frozen=True)
class IssuedPackageFile:
    """What ``create_package`` wrote."""

    path: Path
    package_id: str
    report_id: str
    year: int
    department: str
    programs: list[str]  # the programs' codes, in report order
    comments: int


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _year(engine: Engine, year: int | None) -> int:
    if year is not None:
        return year
    with transaction(engine, write=False) as conn:
        years = report_years_in(conn)
    if not years:
        raise ExchangeError("저장된 보고서가 없습니다.", "report-not-found")
    return years[-1]


def create_package(
    engine: Engine,
    department: str,
    output: Path,
    *,
    who: str | None,
    year: int | None = None,
    overwrite: bool = False,
) -> IssuedPackageFile:
    """Issue ``department`` its package of the report of ``year`` (the newest when ``None``) at ``output``.

    One office unit of work: the report's id is made on first use, the
    department's key rotated, edits made outside the store get their
    revision, and the package is recorded and audit-logged. The file is
    written beside ``output`` and renamed into place only when complete; on
    any failure neither the file nor the office's records remain.
    """
    output = Path(output)
    if output.exists() and not overwrite:
        raise ExchangeError(f"'{output}' 파일이 이미 있습니다. 다른 이름을 쓰거나 덮어쓰기를 선택하십시오.", "exists")
    tmp = output.with_name(f".{output.name}.{uuid.uuid4().hex}.tmp")
    try:
        with unit_of_work(engine, _year(engine, year), who=who, via=Via.PACKAGE) as work:
            conn = work.conn
            work.check_office(OfficeAction.PACKAGE, ExchangeError)
            report = work.report()
            names = department_names(report)
            if department not in names:
                raise ExchangeError(
                    f"{report.year}년 보고서에 '{department}' 부서가 없습니다. 부서: {', '.join(names)}", "department"
                )
            report_id = report_identity_in(conn, report.year)
            if report_id is None:
                report_id = str(uuid.uuid4())
                set_report_identity_in(conn, report.year, report_id)
            issued_to = report.department(department)
            # The key carries the department's uid (its name may change); its old name-keyed keys are revoked too.
            uid = issued_to.uid if issued_to is not None else department
            key = rotate_department_key_in(conn, report.year, uid, department, at=work.moment)
            statuses = sync_items_in(conn, report.year, report_items(report), work.who, via=work.via)
            items = department_items(report, department)
            base = {key_: BaseItem(statuses[key_].revision, item.sha256, item.content) for key_, item in items.items()}
            issued_at = work.moment
            package_id = str(uuid.uuid4())
            comments = comments_in(conn, report.year, department=department)
            info = PackageInfo(
                package_id=package_id,
                report_id=report_id,
                year=report.year,
                department=department,
                issued_at=issued_at,
                issued_by=work.who,
                app_version=__version__,
                base=base,
                secret=key.secret,
                key_id=key.key_id,
            )
            _write_package(tmp, report, info, statuses={k: statuses[k] for k in items}, comments=comments)
            record_issued_package_in(
                conn, IssuedPackage(package_id, report.year, department, issued_at, work.who, base, key.key_id)
            )
            work.record(
                action=AuditAction.PACKAGE,
                department=department,
                new=output.name,
                detail={
                    "package_id": package_id,
                    "key_id": key.key_id,
                    "base": {k: {"revision": b.revision, "code": items[k].code} for k, b in base.items()},
                },
            )
        # After the commit: a file that exists is always one the office has on record.
        os.replace(tmp, output)
    finally:
        _remove_database(tmp)
    return IssuedPackageFile(
        path=output,
        package_id=package_id,
        report_id=report_id,
        year=report.year,
        department=department,
        programs=[item.code for item in items.values() if item.ref.is_program],
        comments=len(comments),
    )


def _write_package(
    path: Path, report: Report, info: PackageInfo, *, statuses: dict[str, ReviewStatus], comments: list[Comment]
) -> None:
    """The package database at ``path``: the report, its identity, the package record, states and comments.

    Written from scratch through a unit of work of its own, whose one entry
    in the package's log says it was issued; the comments keep their authors.
    """
    package_engine = create_engine_for(path)
    try:
        with unit_of_work(package_engine, info.year, who=info.issued_by, via=Via.PACKAGE) as package:
            package.create_report(report, detail={"package_id": info.package_id, "department": info.department})
            set_report_identity_in(package.conn, info.year, info.report_id)
            write_package_info_in(package.conn, info)
            for key, status in statuses.items():
                write_status_in(
                    package.conn,
                    info.year,
                    key,
                    state=status.state,
                    revision=status.revision,
                    sha256=status.sha256,
                    who=status.changed_by,
                    at=status.changed_at or info.issued_at,
                    content=(
                        status.content_revision,
                        status.saved_at or info.issued_at,
                        status.saved_by,
                        status.saved_via,
                    ),
                )
            for comment in comments:
                add_comment_in(
                    package.conn,
                    info.year,
                    comment.target,
                    comment.text,
                    comment.author,
                    department=info.department,
                    at=comment.created_at,
                    comment_id=comment.id,
                    audit=False,
                )
    finally:
        # Closing every connection checkpoints the WAL into the file, so one file is the whole package.
        package_engine.dispose()


def changes_since_issue(engine: Engine) -> dict[str, list[FieldChange]]:
    """In a department package: the field-level changes since the package was issued, per changed item."""
    with transaction(engine, write=False) as conn:
        info = package_info_in(conn)
        if info is None:
            raise ExchangeError("이 데이터베이스는 부서 꾸러미가 아닙니다.", "not-a-package")
        report = load_report_in(conn, info.year).report
    changes: dict[str, list[FieldChange]] = {}
    for key, base in info.base.items():
        ref = ItemRef.from_key(key)
        if ref.is_program:
            found = program_changes(program_from_dict(base.content), report.program_by_uid(ref.id), report.year)
        else:
            office = report.department(ref.id)
            current = SectionII.of(office) if office is not None else None
            found = section_ii_changes(section_ii_from_dict(base.content), current)
        if found:
            changes[key] = found
    return changes
