"""The audit log: every package issued, merge, state change, comment and changed field; who, when and how.

Public API (for the UI's per-program history, its 변경 기록 line and ``seri-desktop audit``):

* ``audit_log(engine, year=None, *, item=None, department=None) -> list[AuditEntry]``,
  oldest first; ``item`` is an item's key (``ItemRef.key()``: a program's uid or a section II);
* ``program_audit(engine, year, program)``: the history of one program (its uid or its code now),
  across renumbering: entries name the program by its uid and keep its code then for display;
* ``verify_audit(engine, year=None) -> list[ChainCheck]``: whether each year's log is intact and,
  if not, from which entry it was altered; ``audit_status(engine, year)``: the same as one Korean
  line for the window's 변경 기록.

The CSV export of the log is :mod:`seri_desktop.formats.audit_csv`.

An entry's ``action`` is a stable English id (:class:`AuditAction`);
``action_label`` is the Korean word to show; ``via`` says which path wrote it
(:class:`Via`: the window, a workbook or text import, a merge …). A
``field`` entry is one changed field with its place (section key, 1-based
row, column label) and the old and new value in words, as printed. A
``merge`` entry keeps the item's whole content before and after in
``detail`` (canonical JSON values), so nothing a merge replaced is ever lost,
even when the office chose to overwrite a conflict. ``who`` is the name the
person set (:mod:`seri_desktop.settings`) or gave with ``--who``, as given.

Entries are written only with :func:`record_many_in` (or :func:`record_in`),
inside the transaction of the change they describe, so the log and the data
never disagree; :mod:`seri_desktop.store.unit` is the one writer that calls
them. The log is keyed by year and survives deleting or replacing the report.

**The chain.** Each year's entries form a hash chain in id order: an entry
stores the previous entry's hash (``prev_hash``, "" for the first) and its
own, the sha256 of its canonical JSON (:func:`entry_hash`: sorted keys, UTF-8,
the values as stored, so SQLite and PostgreSQL give the same bytes). Writers
are serialised by the store's write lock, so the chain never forks. Editing
an entry breaks its hash; deleting or reordering entries breaks the link of
the entry after; :func:`verify_audit` names the first entry that fails.

**The anchor.** Someone who can write the database file could still rewrite
the log from some entry on and recompute every hash after it, or cut off its
newest entries. After each write the newest entry's id and hash are also
written outside the database, to ``audit-anchors/`` in the user's data
folder (one file per report id and database: the office's, or a package's),
and :func:`verify_audit` checks that the anchored entry is still there with
that hash. That protects against rewriting or truncating the log with only
the database file in hand (a copy taken away, a file edited on a share). It
does not protect against someone who can also write the data folder of the
computer that made the entries, and a computer that never wrote to the
database has no anchor to compare (the check then says so).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Final, Required, TypedDict, Unpack

from sqlalchemy import Connection, Engine, Row, func, insert, select

from seri_desktop.domain import template
from seri_desktop.domain.identity import ItemRef
from seri_desktop.paths import data_dir
from seri_desktop.store.engine import transaction
from seri_desktop.store.exchange import (
    from_iso,
    now,
    package_info_in,
    report_identity_in,
    set_report_identity_in,
    to_iso,
)
from seri_desktop.store.tables import AUDIT

log = logging.getLogger(__name__)

CHAIN_VERSION: Final = 1
ANCHOR_FOLDER: Final = "audit-anchors"


class AuditAction(StrEnum):
    """What an audit entry records."""

    PACKAGE = "package"  # a package issued to a department
    MERGE = "merge"  # an item's content replaced by a submission
    FIELD = "field"  # one changed field (any path: the window, an import, a merge …)
    STATE = "state"  # a review state changed
    COMMENT = "comment"  # a review comment added
    SUBMISSION = "submission"  # a submission processed (its decisions) or sent
    DETECTED_EDIT = "detected-edit"  # the content moved on without an entry (a database written by an older program)
    REPORT = "report"  # a report made or replaced as a whole (import, roll-over, new report)
    KEY = "key"  # a department's signing key made or revoked
    OVERWRITE = "overwrite"  # a person chose to save their version over one saved meanwhile by someone else
    STRUCTURE = "structure"  # a structural change (chapters, programs' places, departments) and its plan
    ACCEPT_DERIVED = "accept-derived"  # the office accepted the derived value over an import finding


ACTION_LABELS: dict[str, str] = {
    AuditAction.PACKAGE: "꾸러미 발급",
    AuditAction.MERGE: "제출 반영",
    AuditAction.FIELD: "항목 변경",
    AuditAction.STATE: "상태 변경",
    AuditAction.COMMENT: "검토 의견",
    AuditAction.SUBMISSION: "제출 처리",
    AuditAction.DETECTED_EDIT: "기록 없는 변경 감지",
    AuditAction.REPORT: "보고서 만들기·바꾸기",
    AuditAction.KEY: "부서 키",
    AuditAction.OVERWRITE: "덮어쓰기 선택",
    AuditAction.STRUCTURE: "구성 변경",
    AuditAction.ACCEPT_DERIVED: "계산값 받아들임",
}


class Via(StrEnum):
    """Which path wrote an entry."""

    WINDOW = "window"
    CLI = "cli"  # state and comment commands
    XLSX = "xlsx"
    TEXT = "text"
    MERGE = "merge"
    ROLLOVER = "rollover"
    PACKAGE = "package"
    SUBMIT = "submit"
    HWPX = "hwpx"
    STRUCTURE = "structure"


VIA_LABELS: dict[str, str] = {
    Via.WINDOW: "프로그램 창",
    Via.CLI: "명령줄",
    Via.XLSX: "엑셀 가져오기",
    Via.TEXT: "텍스트 가져오기",
    Via.MERGE: "제출 반영",
    Via.ROLLOVER: "새 연도 만들기",
    Via.PACKAGE: "꾸러미 발급",
    Via.SUBMIT: "제출 파일 만들기",
    Via.HWPX: "한글 파일 반영",
    Via.STRUCTURE: "보고서 구성 편집",
    "": "기록 없음",
}


def via_label(via: str) -> str:
    """The Korean name of a path (``Via``), as the history shows it."""
    return VIA_LABELS.get(via, via)


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
    item_code: str = ""  # the program's code when the entry was written
    via: str = ""
    prev_hash: str = field(default="", repr=False)
    entry_hash: str = field(default="", repr=False)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def via_label(self) -> str:
        return via_label(self.via)

    @property
    def item_label(self) -> str:
        """The item as a reader names it: ``1-2`` (its code then) or ``교육정책연구소 업무 평가``."""
        if not self.item:
            return self.department
        ref = ItemRef.from_key(self.item)
        if ref.is_section_ii:
            return f"{ref.department} 업무 평가"
        if ref.is_program:
            return self.item_code or self.item
        return {ItemRef.front().key(): "일반 현황", ItemRef.structure().key(): "보고서 구성"}.get(self.item, self.item)

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
    item_code: str  # the program's code now, for display
    via: str
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


# --- the chain ---------------------------------------------------------------------------------------------


def entry_hash(row: Mapping[str, Any], prev: str) -> str:
    """The sha256 of an entry's canonical form (version 1), chained to ``prev``.

    ``row`` holds the stored columns (``year``, ``at``, ``who``, ``action``,
    ``item_key``, ``item_code``, ``via``, ``department``, ``section``, ``row``,
    ``column_label``, ``old``, ``new``, ``submission``) and ``detail`` (the
    JSON value of ``detail_json``). ``db/versions/0004`` keeps a frozen copy
    of this function, with which it chained the entries made before it.
    """
    canonical = {
        "v": CHAIN_VERSION,
        "prev": prev,
        "year": row["year"],
        "at": row["at"],
        "who": row["who"],
        "action": row["action"],
        "item_key": row["item_key"],
        "item_code": row["item_code"],
        "via": row["via"],
        "department": row["department"],
        "section": row["section"],
        "row": row["row"],
        "column": row["column_label"],
        "old": row["old"],
        "new": row["new"],
        "submission": row["submission"],
        "detail": row["detail"],
    }
    data = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _normalised(detail: Any) -> Any:
    # What the JSON column gives back (tuples become lists …), so the hash is of what is stored.
    return None if detail is None else json.loads(json.dumps(detail, ensure_ascii=False))


def _last_hash_in(conn: Connection, year: int) -> str:
    value = conn.execute(
        select(AUDIT.c.entry_hash).where(AUDIT.c.year == year).order_by(AUDIT.c.id.desc()).limit(1)
    ).scalar()
    return str(value) if value is not None else ""


def record_in(conn: Connection, **entry: Unpack[AuditFields]) -> None:
    """Add one entry inside the caller's (write) transaction."""
    record_many_in(conn, [entry])


def record_many_in(conn: Connection, entries: Sequence[Mapping[str, Any]]) -> None:
    """Add entries (keyword dicts as for :func:`record_in`), chained to each year's last entry.

    Runs inside a write transaction, whose lock keeps any other writer from
    adding an entry between reading the last hash and inserting these. The
    year's report gets its identity (the report id the anchor is filed
    under) on its first entry.
    """
    if not entries:
        return
    rows = [_row(entry) for entry in entries]
    last: dict[int, str] = {}
    for row in rows:
        year = row["year"]
        if year not in last:
            last[year] = _last_hash_in(conn, year)
            if report_identity_in(conn, year) is None:
                set_report_identity_in(conn, year, str(uuid.uuid4()))
        row["prev_hash"] = last[year]
        row["entry_hash"] = entry_hash({**row, "detail": row["detail_json"]}, last[year])
        last[year] = row["entry_hash"]
    conn.execute(insert(AUDIT), rows)


def _row(entry: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(entry) - _FIELDS
    if unknown:
        raise TypeError(f"unknown audit fields: {sorted(unknown)}")
    row = entry.get("row")
    return {
        "year": int(entry["year"]),
        "at": to_iso(entry.get("at") or now()),
        "who": str(entry["who"]),
        "action": str(entry["action"]),
        "item_key": entry.get("item", ""),
        "item_code": entry.get("item_code", ""),
        "via": str(entry.get("via", "")),
        "department": entry.get("department", ""),
        "section": entry.get("section", ""),
        "row": int(row) if row is not None else None,
        "column_label": entry.get("column", ""),
        "old": entry.get("old", ""),
        "new": entry.get("new", ""),
        "submission": entry.get("submission", ""),
        "detail_json": _normalised(entry.get("detail")),
    }


# --- reading -------------------------------------------------------------------------------------------------


def _entry(r: Row[Any]) -> AuditEntry:
    return AuditEntry(
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
        item_code=r.item_code,
        via=r.via,
        prev_hash=r.prev_hash,
        entry_hash=r.entry_hash,
    )


def item_key_in(conn: Connection, year: int | None, item: str) -> str:
    """The key entries name ``item`` by: a program's code now becomes its uid (its history follows it)."""
    from seri_desktop.store.content import program_identities_in, report_years_in

    if not ItemRef.from_key(item).is_program:
        return item
    years = [year] if year is not None else report_years_in(conn)
    identities = [pair for y in years for pair in program_identities_in(conn, y)]
    if any(uid == item for uid, _code in identities):
        return item
    return next((uid for uid, code in identities if code == item), item)


def audit_log_in(
    conn: Connection, year: int | None = None, *, item: str | None = None, department: str | None = None
) -> list[AuditEntry]:
    """As :func:`audit_log`, inside the caller's transaction."""
    query = select(AUDIT)
    if year is not None:
        query = query.where(AUDIT.c.year == year)
    if item is not None:
        query = query.where(AUDIT.c.item_key == item_key_in(conn, year, item))
    if department is not None:
        query = query.where(AUDIT.c.department == department)
    return [_entry(r) for r in conn.execute(query.order_by(AUDIT.c.id)).all()]


def audit_log(
    engine: Engine, year: int | None = None, *, item: str | None = None, department: str | None = None
) -> list[AuditEntry]:
    """Audit entries, oldest first, optionally of one year, one item (its key, or a program's code now) or one department."""
    with transaction(engine, write=False) as conn:
        return audit_log_in(conn, year, item=item, department=department)


def program_audit(engine: Engine, year: int, program: str) -> list[AuditEntry]:
    """The history of one program, oldest first: ``program`` is its uid, or its code in the report now.

    The entries name the program by its uid, so its history follows it across
    renumbering; each entry shows the code the program had then. A section II
    key (``II:<department>``) gives that section's history.
    """
    with transaction(engine, write=False) as conn:
        return audit_log_in(conn, year, item=program)


# --- verification and the anchor ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainCheck:
    """How one year's log stands: intact, or the first entry that fails and why."""

    year: int
    entries: int
    intact: bool
    first_bad: int | None = None  # the id of the first entry that fails
    reason: str = ""  # Korean
    anchored: bool = False  # an anchor of this computer was found and agreed
    last: AuditEntry | None = field(default=None, repr=False)

    def line(self) -> str:
        """One Korean line, for the window's 변경 기록 and ``audit --verify``."""
        if not self.intact:
            return f"{self.year}년 변경 기록이 바뀌었습니다: {self.first_bad}번 항목부터 맞지 않습니다 ({self.reason})."
        if not self.entries:
            return f"{self.year}년 변경 기록이 아직 없습니다."
        last = self.last
        tail = f", 마지막 {last.at.astimezone():%Y-%m-%d %H:%M} {last.who or '-'}" if last is not None else ""
        anchor = "" if self.anchored else " (이 컴퓨터에 남긴 확인 값은 없습니다)"
        return f"{self.year}년 변경 기록 {self.entries:,}건이 온전합니다{tail}.{anchor}"


def _database_role(conn: Connection) -> str:
    info = package_info_in(conn)
    return f"package-{info.package_id}" if info is not None else "office"


def anchor_path(report_id: str, role: str) -> Path:
    """The anchor file of a report's log in one database (``role``: ``office`` or ``package-<id>``)."""
    safe = "".join(ch for ch in f"{report_id}-{role}" if ch.isalnum() or ch in "-_")
    return data_dir() / ANCHOR_FOLDER / f"{safe}.json"


def _read_anchor(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("audit anchor %s unreadable: %s", path, exc)
        return {"unreadable": str(exc)}
    return data if isinstance(data, dict) else {"unreadable": "not an object"}


def _anchor_target_in(conn: Connection, year: int) -> tuple[Path, dict[str, Any]] | None:
    report_id = report_identity_in(conn, year)
    if report_id is None:
        return None
    last = conn.execute(
        select(AUDIT.c.id, AUDIT.c.entry_hash).where(AUDIT.c.year == year).order_by(AUDIT.c.id.desc()).limit(1)
    ).first()
    if last is None:
        return None
    path = anchor_path(report_id, _database_role(conn))
    return path, {"report_id": report_id, "year": year, "entry_id": int(last.id), "entry_hash": str(last.entry_hash)}


def update_anchors(engine: Engine, years: Iterable[int]) -> None:
    """Write each year's newest entry (id and hash) to its anchor file; never fails a write that is done.

    Called after a write committed. An anchor only moves forward: another
    process's newer anchor is kept.
    """
    try:
        with transaction(engine, write=False) as conn:
            targets = [t for year in sorted(set(years)) if (t := _anchor_target_in(conn, year)) is not None]
        for path, anchor in targets:
            known = _read_anchor(path)
            if known is not None and isinstance(known.get("entry_id"), int) and known["entry_id"] > anchor["entry_id"]:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
            try:
                tmp.write_text(json.dumps(anchor, ensure_ascii=False), encoding="utf-8")
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
    except Exception as exc:  # the write is committed; a missing anchor only weakens a later check
        log.warning("audit anchor not written: %s", exc)


def verify_audit_in(conn: Connection, year: int | None = None) -> list[ChainCheck]:
    """As :func:`verify_audit`, inside the caller's transaction."""
    years = (
        [year]
        if year is not None
        else [
            int(y) for y in conn.execute(select(AUDIT.c.year).group_by(AUDIT.c.year).order_by(AUDIT.c.year)).scalars()
        ]
    )
    role = _database_role(conn)
    checks: list[ChainCheck] = []
    for y in years:
        rows = conn.execute(select(AUDIT).where(AUDIT.c.year == y).order_by(AUDIT.c.id)).all()
        checks.append(_check_chain(y, rows, _anchor_of(conn, y, role)))
    return checks


def _anchor_of(conn: Connection, year: int, role: str) -> dict[str, Any] | None:
    report_id = report_identity_in(conn, year)
    return _read_anchor(anchor_path(report_id, role)) if report_id is not None else None


def _check_chain(year: int, rows: Sequence[Row[Any]], anchor: dict[str, Any] | None) -> ChainCheck:
    prev = ""
    by_id: dict[int, str] = {}
    for r in rows:
        if r.prev_hash != prev:
            reason = "앞 항목과 이어지지 않습니다: 앞의 항목이 지워졌거나 순서가 바뀌었습니다"
            return ChainCheck(year, len(rows), False, int(r.id), reason)
        if entry_hash({**r._mapping, "detail": r.detail_json}, r.prev_hash) != r.entry_hash:
            return ChainCheck(year, len(rows), False, int(r.id), "항목의 내용이 기록된 뒤에 바뀌었습니다")
        prev = r.entry_hash
        by_id[int(r.id)] = r.entry_hash
    anchored = False
    if anchor is not None:
        if "unreadable" in anchor:
            return ChainCheck(
                year, len(rows), False, None, f"이 컴퓨터의 확인 값 파일을 읽을 수 없습니다: {anchor['unreadable']}"
            )
        anchor_id = anchor.get("entry_id")
        if isinstance(anchor_id, int):
            if anchor_id not in by_id:
                after = next((int(r.id) for r in rows if int(r.id) > anchor_id), None)
                bad = after if after is not None else anchor_id
                return ChainCheck(
                    year,
                    len(rows),
                    False,
                    bad,
                    f"이 컴퓨터에 남긴 마지막 확인 항목({anchor_id}번)이 없습니다: 기록이 지워졌거나 다시 쓰였습니다",
                )
            if by_id[anchor_id] != anchor.get("entry_hash"):
                return ChainCheck(
                    year,
                    len(rows),
                    False,
                    anchor_id,
                    f"{anchor_id}번 항목이 이 컴퓨터에 남긴 확인 값과 다릅니다: 그 항목까지의 기록이 다시 쓰였습니다",
                )
            anchored = True
    last = _entry(rows[-1]) if rows else None
    return ChainCheck(year, len(rows), True, None, "", anchored, last)


def verify_audit(engine: Engine, year: int | None = None) -> list[ChainCheck]:
    """Check each year's chain (every year with entries when ``year`` is None) and this computer's anchors."""
    with transaction(engine, write=False) as conn:
        return verify_audit_in(conn, year)


def audit_status(engine: Engine, year: int) -> ChainCheck:
    """The check of one year's log, for the window's 변경 기록 line (:meth:`ChainCheck.line`)."""
    found = verify_audit(engine, year)
    return found[0] if found else ChainCheck(year, 0, True)


def entry_count_in(conn: Connection, year: int) -> int:
    return int(conn.execute(select(func.count()).select_from(AUDIT).where(AUDIT.c.year == year)).scalar_one())
