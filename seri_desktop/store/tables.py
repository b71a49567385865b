"""The store's tables: the domain model (``seri_desktop.domain.model``) normalised for SQLite.

One row class per kind of record, named with a ``Row`` suffix so it never
shadows a domain class. Every table hangs off ``report`` through foreign keys
with ``ON DELETE CASCADE``, so deleting a report row deletes all of it (the
engine turns ``PRAGMA foreign_keys`` on for every connection).

Conventions:

* lists keep their order in a ``position`` column (0-based);
* a :class:`~seri_desktop.domain.model.Cell` is three columns, ``<name>_kind``,
  ``<name>_value`` (BIGINT, never a float) and ``<name>_raw`` (the text of an
  INVALID cell), so every kind survives a round trip;
* every outline of the model lives in ``outline_item``, told apart by its
  owner (exactly one of ``program_id`` / ``department_id`` / ``report_id``)
  and ``field`` (see ``PROGRAM_OUTLINES`` and friends);
* ``layout`` dicts and small text tables are JSON columns.

The tables use their own ``MetaData`` (with a naming convention, so Alembic's
batch mode can find every constraint by name later), never ``SQLModel``'s
global one, so other modules' models can't leak into the migrations.
``db/versions/0001_initial.py`` creates exactly this schema; a test compares
the two.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import JSON, BigInteger, CheckConstraint, MetaData, Table, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from seri_desktop.domain import template

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The ``field`` values of outline_item, per owner, and the keys of front_table: the template's
# part keys (dotted names follow the domain attribute path, so a reader of the table can find the
# model field). Derived, never listed here: adding a part to the template adds its rows.
PROGRAM_OUTLINES: tuple[str, ...] = tuple(part.key for part in template.PROGRAM_OUTLINE_PARTS)
DEPARTMENT_OUTLINES: tuple[str, ...] = tuple(part.key for part in template.SECTION_II_PARTS)
REPORT_OUTLINES: tuple[str, ...] = tuple(part.key for part in template.FRONT_OUTLINE_PARTS)

FRONT_TABLE_KEYS: tuple[str, ...] = tuple(part.store_key for part in template.FRONT_TABLE_PARTS)


class StoreModel(SQLModel, registry=registry(metadata=MetaData(naming_convention=NAMING_CONVENTION))):
    """Abstract base of every store table; carries the store's own registry and MetaData."""

    # Pydantic builds a table's validator when it is first needed, not at import: table
    # models are not validated on construction, and every command pays the import.
    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]


metadata: MetaData = StoreModel.metadata


def _cascade_fk(target: str, *, nullable: bool = False) -> Any:
    # Every foreign key cascades and is indexed: SQLite scans the child table
    # once per deleted parent row when the child column has no index.
    return Field(
        default=None if nullable else ...,
        foreign_key=target,
        ondelete="CASCADE",
        index=True,
        nullable=nullable,
    )


def _amount() -> Any:
    # 64-bit: amounts reach ±10^15 (domain.model.MAX_AMOUNT); INTEGER is 32 bits on PostgreSQL.
    return Field(default=None, sa_type=BigInteger)


# --- report and its front matter -------------------------------------------------------------------


class ReportRow(StoreModel, table=True):
    """The report's scalar fields and the scalar fields of its front matter (I. 일반 현황)."""

    __tablename__ = "report"

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True)
    title: str
    meeting: str
    committee: str
    subtitle: str
    date_label: str
    institute: str
    unit: str
    as_of: dt.date | None = None
    organization: str
    budget_summary_caption: str
    layout: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class HistoryEntryRow(StoreModel, table=True):
    """연혁."""

    __tablename__ = "history_entry"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = _cascade_fk("report.id")
    position: int
    date: str
    text: str


class FrontTableRow(StoreModel, table=True):
    """A front-matter SimpleTable; ``key`` is one of ``FRONT_TABLE_KEYS``."""

    __tablename__ = "front_table"
    __table_args__ = (UniqueConstraint("report_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = _cascade_fk("report.id")
    key: str
    caption: str
    header_json: list[list[str]] = Field(default_factory=list, sa_type=JSON)
    rows_json: list[list[str]] = Field(default_factory=list, sa_type=JSON)


class SummaryRowRow(StoreModel, table=True):
    """A row of 주요업무별 예산 내역 as printed: six cells and the page."""

    __tablename__ = "summary_row"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = _cascade_fk("report.id")
    position: int
    code: str
    title: str
    current_kind: str
    current_value: int | None = _amount()
    current_raw: str
    previous_kind: str
    previous_value: int | None = _amount()
    previous_raw: str
    q1_kind: str
    q1_value: int | None = _amount()
    q1_raw: str
    q2_kind: str
    q2_value: int | None = _amount()
    q2_raw: str
    q3_kind: str
    q3_value: int | None = _amount()
    q3_raw: str
    q4_kind: str
    q4_value: int | None = _amount()
    q4_raw: str
    page: str


# --- departments and chapters ------------------------------------------------------------------------


class DepartmentRow(StoreModel, table=True):
    """A department; its outlines (성과, 한계, 개선 방향) are in outline_item."""

    __tablename__ = "department"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = _cascade_fk("report.id")
    position: int
    name: str
    # Department.order; not "order", which would need quoting in every hand-written query.
    order_no: int
    layout: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    uid: str = Field(index=True)  # Department.uid: the permanent identity (db/versions/0004)


class ChapterRow(StoreModel, table=True):
    """A chapter of III. 주요업무."""

    __tablename__ = "chapter"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = _cascade_fk("report.id")
    position: int
    number: int
    title: str
    department: str
    layout: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    uid: str = Field(index=True)  # Chapter.uid


class AuthorBlockRow(StoreModel, table=True):
    """작성자 block of a chapter."""

    __tablename__ = "author_block"

    id: int | None = Field(default=None, primary_key=True)
    chapter_id: int = _cascade_fk("chapter.id")
    position: int
    before_program: int
    caption: str


class AuthorEntryRow(StoreModel, table=True):
    """A person in an author block."""

    __tablename__ = "author_entry"

    id: int | None = Field(default=None, primary_key=True)
    author_block_id: int = _cascade_fk("author_block.id")
    position: int
    role: str
    name: str
    phone: str
    department: str
    line: int


class ListedProgramRow(StoreModel, table=True):
    """A program as listed on the chapter's title page."""

    __tablename__ = "listed_program"

    id: int | None = Field(default=None, primary_key=True)
    chapter_id: int = _cascade_fk("chapter.id")
    position: int
    code: str
    title: str


# --- programs -------------------------------------------------------------------------------------------


class ProgramRow(StoreModel, table=True):
    """A program with the scalar parts of its targets and budget.

    ``has_targets`` / ``has_budget`` / ``has_printed_total`` tell ``None``
    apart from an empty table; when a flag is false the matching columns hold
    their neutral values and are ignored.
    """

    __tablename__ = "program"

    id: int | None = Field(default=None, primary_key=True)
    chapter_id: int = _cascade_fk("chapter.id")
    position: int
    code: str = Field(index=True)
    title: str
    department: str
    layout: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    has_targets: bool
    targets_qualifier: str
    has_budget: bool
    budget_unit: str
    budget_as_of: dt.date | None = None
    has_printed_total: bool
    total_current_kind: str
    total_current_value: int | None = _amount()
    total_current_raw: str
    total_previous_kind: str
    total_previous_value: int | None = _amount()
    total_previous_raw: str
    total_q1_kind: str
    total_q1_value: int | None = _amount()
    total_q1_raw: str
    total_q2_kind: str
    total_q2_value: int | None = _amount()
    total_q2_raw: str
    total_q3_kind: str
    total_q3_value: int | None = _amount()
    total_q3_raw: str
    total_q4_kind: str
    total_q4_value: int | None = _amount()
    total_q4_raw: str
    # Program.uid: what review states, comments, the audit log and the exchange refer to; ``code``
    # is display and changes when the office renumbers. Unique within a report (the validator).
    uid: str = Field(index=True)


class TargetRowRow(StoreModel, table=True):
    """추진 목표 row."""

    __tablename__ = "target_row"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = _cascade_fk("program.id")
    position: int
    name: str
    period: str
    quantity: str


class BudgetLineRow(StoreModel, table=True):
    """A budget line: current and previous cells, four quarters (cell + note), page."""

    __tablename__ = "budget_line"

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = _cascade_fk("program.id")
    position: int
    name: str
    current_kind: str
    current_value: int | None = _amount()
    current_raw: str
    previous_kind: str
    previous_value: int | None = _amount()
    previous_raw: str
    q1_kind: str
    q1_value: int | None = _amount()
    q1_raw: str
    q1_note: str
    q2_kind: str
    q2_value: int | None = _amount()
    q2_raw: str
    q2_note: str
    q3_kind: str
    q3_value: int | None = _amount()
    q3_raw: str
    q3_note: str
    q4_kind: str
    q4_value: int | None = _amount()
    q4_raw: str
    q4_note: str
    page: str
    notes_below: bool


# --- outlines -------------------------------------------------------------------------------------------


class OutlineItemRow(StoreModel, table=True):
    """One line of any outline of the report; exactly one owner column is set."""

    __tablename__ = "outline_item"
    __table_args__ = (
        CheckConstraint(
            "(program_id IS NOT NULL) + (department_id IS NOT NULL) + (report_id IS NOT NULL) = 1",
            name="one_owner",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    program_id: int | None = _cascade_fk("program.id", nullable=True)
    department_id: int | None = _cascade_fk("department.id", nullable=True)
    report_id: int | None = _cascade_fk("report.id", nullable=True)
    field: str
    position: int
    level: int
    kind: str
    text: str
    table_json: list[list[str]] | None = Field(default=None, sa_type=JSON(none_as_null=True))


def table_of(model: type[StoreModel]) -> Table:
    """The Core ``Table`` of a row class (the repository reads and writes through Core for speed)."""
    table = getattr(model, "__table__", None)
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


# --- exchange, review and audit (db/versions/0002_exchange_review_audit.py) --------------------------------
# These tables are keyed by the report's year and have no foreign key to
# ``report`` on purpose: ``import-text --replace`` deletes and rewrites the
# report rows, and the review history, the issued keys and the audit log must
# outlive that. Timestamps are ISO 8601 strings in UTC (``...+00:00``), which
# keeps the time zone that SQLite's DATETIME would drop.


class ExchangeReportRow(StoreModel, table=True):
    """The stable identity of the office's report of a year; made on first packaging."""

    __tablename__ = "exchange_report"

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True)
    report_uuid: str
    created_at: str


class DepartmentKeyRow(StoreModel, table=True):
    """A department's secret signing key for a year's report (office database only; never printed).

    Issuing a package rotates the key: the department's active key gets ``revoked_at`` and a new
    one is made, so a submission signed with an older package's key is refused (and kept as history).
    """

    __tablename__ = "exchange_department_key"
    __table_args__ = (UniqueConstraint("key_uuid"),)

    id: int | None = Field(default=None, primary_key=True)
    key_uuid: str
    year: int = Field(index=True)
    department: str
    secret: str  # hex of 32 random bytes
    created_at: str
    revoked_at: str  # "" while the key is the department's active one


class IssuedPackageRow(StoreModel, table=True):
    """A package the office issued: to whom, when, and the base each item was issued at.

    ``base_json`` maps an item key (program code, or ``II:<department>``) to
    ``{"revision", "sha256", "content"}``; the content lets a conflict show
    what the office changed since.
    """

    __tablename__ = "exchange_package"

    id: int | None = Field(default=None, primary_key=True)
    package_uuid: str = Field(unique=True)
    year: int = Field(index=True)
    department: str
    issued_at: str
    issued_by: str
    base_json: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    key_uuid: str  # the department key the package carries ("" for packages issued before 0004)


class PackageInfoRow(StoreModel, table=True):
    """What makes a database a department package: one row, only in the package file."""

    __tablename__ = "exchange_package_info"

    id: int | None = Field(default=None, primary_key=True)
    package_uuid: str
    report_uuid: str
    year: int
    department: str
    issued_at: str
    issued_by: str
    secret: str  # the department's signing key (hex); never printed
    app_version: str
    base_json: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    key_uuid: str  # which of the department's keys ``secret`` is ("" before 0004)


class SubmissionRow(StoreModel, table=True):
    """A submission: received and processed by the office, or sent by a department.

    ``outcome_json`` maps item keys to ``{"decision", "sha256", "base_revision"}``.
    A received payload is processed once: ``(direction, payload_sha256)`` is unique.
    """

    __tablename__ = "exchange_submission"
    __table_args__ = (UniqueConstraint("direction", "payload_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    direction: str  # "received" (office) or "sent" (department package)
    payload_sha256: str
    year: int = Field(index=True)
    department: str
    author: str
    created_at: str
    package_uuid: str
    processed_at: str
    processed_by: str
    file_name: str
    manifest_json: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    outcome_json: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class ReviewItemRow(StoreModel, table=True):
    """Review state and revisions of an item (``ItemRef.key()``: a program's uid, ``II:<department>``, ``I``, ``III``).

    ``revision`` counts every change of the record (state changes included; packages carry it as
    their base); ``content_revision`` counts only writes of the content, and is what the unit of
    work checks a writer's read against, so a state change never makes an open form stale.
    ``saved_at`` / ``saved_by`` / ``saved_via``: the last content write (for "who saved first").
    """

    __tablename__ = "review_item"
    __table_args__ = (UniqueConstraint("year", "item_key"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    item_key: str
    state: str
    revision: int
    sha256: str  # content hash at ``revision``; "" when not known yet
    changed_at: str
    changed_by: str
    content_revision: int
    saved_at: str
    saved_by: str
    saved_via: str


class ReviewCommentRow(StoreModel, table=True):
    """A review comment on a program, a section of it or a table cell; ``program`` "" targets section II.

    ``program`` is the program's uid; ``program_code`` its code when the comment was made (display).
    """

    __tablename__ = "review_comment"

    id: int | None = Field(default=None, primary_key=True)
    comment_uuid: str = Field(unique=True)
    year: int
    department: str = Field(index=True)
    program: str
    program_code: str
    section: str
    row: int | None = None
    column_label: str
    text: str
    author: str
    created_at: str


class AuditEntryRow(StoreModel, table=True):
    """One line of the audit log: who did what when, how (``via``), and for changed fields the old and new value.

    ``item_key`` is the item's ``ItemRef.key()`` (a program's uid), ``item_code`` the program's code
    when the entry was written. The log is a hash chain: ``prev_hash`` is the previous entry's
    ``entry_hash`` (in id order) and ``entry_hash`` the sha256 of this entry's canonical form
    (:func:`seri_desktop.store.audit.entry_hash`), so an edited, deleted or reordered row is found.
    """

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    at: str
    who: str
    action: str
    item_key: str = Field(index=True)
    department: str
    section: str
    row: int | None = None
    column_label: str
    old: str
    new: str
    submission: str  # payload sha256 of the submission involved, "" for none
    detail_json: dict[str, Any] | None = Field(default=None, sa_type=JSON(none_as_null=True))
    item_code: str
    via: str  # which path wrote it: window, xlsx, text, merge, rollover, cli, package
    prev_hash: str
    entry_hash: str


# The tables above that are not part of a report: save_report never writes
# them and deleting a report leaves them (see the comment on ExchangeReportRow).
EXCHANGE_TABLES: tuple[str, ...] = (
    "exchange_report",
    "exchange_department_key",
    "exchange_package",
    "exchange_package_info",
    "exchange_submission",
    "review_item",
    "review_comment",
    "audit_log",
)
