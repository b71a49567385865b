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
the same transaction that makes the report's id and the department's key on
first use; merges trust that record, not the package's copy, which the
department could edit.

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
from seri_desktop.domain import policy
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.policy import OfficeAction
from seri_desktop.exchange.codec import SectionII, program_from_dict, section_ii_from_dict
from seri_desktop.exchange.diff import FieldChange, program_changes, section_ii_changes
from seri_desktop.exchange.errors import ExchangeError
from seri_desktop.exchange.items import department_items, department_names, report_items, sync_items_in
from seri_desktop.formats.file_names import PACKAGE
from seri_desktop.store.audit import AuditAction, record_in
from seri_desktop.store.content import load_report_in, save_report_in
from seri_desktop.store.engine import create_engine_for, transaction
from seri_desktop.store.exchange import (
    BaseItem,
    IssuedPackage,
    PackageInfo,
    editor_in,
    ensure_department_key_in,
    now,
    package_info_in,
    record_issued_package_in,
    report_identity_in,
    set_report_identity_in,
    write_package_info_in,
)
from seri_desktop.store.review import add_comment_in, comments_in, write_status_in

PACKAGE_SUFFIX = PACKAGE.suffix


@dataclass(frozen=True)
class IssuedPackageFile:
    """What ``create_package`` wrote."""

    path: Path
    package_id: str
    report_id: str
    year: int
    department: str
    programs: list[str]
    comments: int


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def create_package(
    engine: Engine,
    department: str,
    output: Path,
    *,
    who: str,
    year: int | None = None,
    overwrite: bool = False,
) -> IssuedPackageFile:
    """Issue ``department`` its package of the report of ``year`` (the newest when ``None``) at ``output``.

    One office transaction: the report's id and the department's key are made
    on first use, edits made outside the exchange get their revision, and the
    package is recorded and audit-logged. The file is written beside
    ``output`` and renamed into place only when complete; on any failure
    neither the file nor the office's records remain.
    """
    output = Path(output)
    if output.exists() and not overwrite:
        raise ExchangeError(f"'{output}' 파일이 이미 있습니다. 다른 이름을 쓰거나 덮어쓰기를 선택하십시오.", "exists")
    tmp = output.with_name(f".{output.name}.{uuid.uuid4().hex}.tmp")
    try:
        with transaction(engine, write=True) as conn:
            refusal = policy.office_refusal(editor_in(conn), OfficeAction.PACKAGE)
            if refusal is not None:
                raise ExchangeError(refusal.message, refusal.code)
            report = load_report_in(conn, year).report
            names = department_names(report)
            if department not in names:
                raise ExchangeError(
                    f"{report.year}년 보고서에 '{department}' 부서가 없습니다. 부서: {', '.join(names)}", "department"
                )
            report_id = report_identity_in(conn, report.year)
            if report_id is None:
                report_id = str(uuid.uuid4())
                set_report_identity_in(conn, report.year, report_id)
            secret = ensure_department_key_in(conn, report.year, department)
            statuses = sync_items_in(conn, report.year, report_items(report), who)
            items = department_items(report, department)
            base = {key: BaseItem(statuses[key].revision, item.sha256, item.content) for key, item in items.items()}
            issued_at = now()
            package_id = str(uuid.uuid4())
            comments = comments_in(conn, report.year, department=department)

            package_engine = create_engine_for(tmp)
            try:
                with transaction(package_engine, write=True) as package_conn:
                    save_report_in(package_conn, report)
                    set_report_identity_in(package_conn, report.year, report_id)
                    write_package_info_in(
                        package_conn,
                        PackageInfo(
                            package_id=package_id,
                            report_id=report_id,
                            year=report.year,
                            department=department,
                            issued_at=issued_at,
                            issued_by=who,
                            app_version=__version__,
                            base=base,
                            secret=secret,
                        ),
                    )
                    for key in items:
                        status = statuses[key]
                        write_status_in(
                            package_conn,
                            report.year,
                            key,
                            state=status.state,
                            revision=status.revision,
                            sha256=status.sha256,
                            who=status.changed_by,
                            at=status.changed_at or issued_at,
                        )
                    for comment in comments:
                        add_comment_in(
                            package_conn,
                            report.year,
                            comment.target,
                            comment.text,
                            comment.author,
                            department=department,
                            at=comment.created_at,
                            comment_id=comment.id,
                            audit=False,
                        )
            finally:
                # Closing every connection checkpoints the WAL into the file, so one file is the whole package.
                package_engine.dispose()

            record_issued_package_in(
                conn,
                IssuedPackage(package_id, report.year, department, issued_at, who, base),
            )
            record_in(
                conn,
                year=report.year,
                who=who,
                action=AuditAction.PACKAGE,
                department=department,
                new=output.name,
                detail={"package_id": package_id, "base": {k: b.revision for k, b in base.items()}},
                at=issued_at,
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
        programs=[ref.id for ref in map(ItemRef.from_key, items) if ref.is_program],
        comments=len(comments),
    )


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
            found = program_changes(program_from_dict(base.content), report.program(ref.id), report.year)
        else:
            office = report.department(ref.id)
            current = SectionII.of(office) if office is not None else None
            found = section_ii_changes(section_ii_from_dict(base.content), current)
        if found:
            changes[key] = found
    return changes
