"""The store's tables: the domain model (``seri_desktop.domain.model``) normalised for SQLite and PostgreSQL.

One SQLAlchemy Core ``Table`` per kind of record, in upper case (``PROGRAM``,
``OUTLINE``, ...) so it never shadows a domain class. Every table hangs off
``report`` through foreign keys with ``ON DELETE CASCADE``, so deleting a
report row deletes all of it (the engine turns ``PRAGMA foreign_keys`` on for
every connection).

Core tables rather than SQLModel classes: the store reads and writes through
Core only (``store/content.py`` explains why), so the row classes were used
for their ``__table__`` alone, and building 21 Pydantic-and-ORM classes (and
importing SQLModel, Pydantic and the ORM for them) was most of what every
command paid to start (issue 17). The schema is the one those classes
declared, column for column: ``tests/store/test_store_schema.py`` compares it
with what the migrations build, on both engines.

Conventions:

* every column is NOT NULL unless it says otherwise (:func:`_col`);
* lists keep their order in a ``position`` column (0-based);
* a :class:`~seri_desktop.domain.model.Cell` is three columns, ``<name>_kind``,
  ``<name>_value`` (BIGINT, never a float) and ``<name>_raw`` (the text of an
  INVALID cell), so every kind survives a round trip (:func:`_cell`);
* every outline of the model lives in ``outline_item``, told apart by its
  owner (exactly one of ``program_id`` / ``department_id`` / ``report_id``)
  and ``field`` (see ``PROGRAM_OUTLINES`` and friends);
* ``layout`` dicts and small text tables are JSON columns.

The tables use their own ``MetaData`` (with a naming convention, so Alembic's
batch mode can find every constraint by name later). ``db/versions/0001_initial.py``
and its successors create exactly this schema; a test compares the two.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.schema import SchemaItem
from sqlalchemy.sql.compiler import DDLCompiler
from sqlalchemy.sql.ddl import BaseDDLElement
from sqlalchemy.types import TypeEngine

from seri_desktop.domain import template
from seri_desktop.store import assemble

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

metadata: MetaData = MetaData(naming_convention=NAMING_CONVENTION)

# The quarters' column prefixes (q1_kind, q1_value …) are the assembler's, which reads without SQLAlchemy.
QUARTERS = assemble.QUARTERS


def _col(
    name: str, type_: type[TypeEngine[Any]] | TypeEngine[Any] = String, *, null: bool = False, **kw: Any
) -> Column[Any]:
    """A column, NOT NULL unless ``null`` (text columns are VARCHAR without a length)."""
    return Column(name, type_, nullable=null, **kw)


def _texts(*names: str) -> list[Column[Any]]:
    return [_col(name) for name in names]


def _id() -> Column[Any]:
    return Column("id", Integer, primary_key=True)


def _cascade_fk(name: str, target: str, *, null: bool = False) -> Column[Any]:
    # Every foreign key cascades and is indexed: SQLite scans the child table
    # once per deleted parent row when the child column has no index.
    return Column(name, Integer, ForeignKey(target, ondelete="CASCADE"), nullable=null, index=True)


def _json(name: str, empty: type[dict[str, Any]] | type[list[Any]] = dict) -> Column[Any]:
    # NOT NULL, and an empty dict (or list) when an insert leaves it out, as the row classes had it.
    return Column(name, JSON, nullable=False, default=empty)


def _cell(name: str) -> list[Column[Any]]:
    # 64-bit: amounts reach ±10^15 (domain.model.MAX_AMOUNT); INTEGER is 32 bits on PostgreSQL.
    return [_col(f"{name}_kind"), _col(f"{name}_value", BigInteger, null=True), _col(f"{name}_raw")]


def _not_sqlite(
    ddl: BaseDDLElement,
    target: SchemaItem | str,
    bind: Connection | None,
    tables: list[Table] | None = None,
    state: Any | None = None,
    *,
    dialect: Dialect,
    compiler: DDLCompiler | None = None,
    checkfirst: bool = False,
) -> bool:
    """``ddl_if`` condition of the DDL for every engine but SQLite."""
    return dialect.name != "sqlite"


# --- report and its front matter -------------------------------------------------------------------

# The report's scalar fields and the scalar fields of its front matter (I. 일반 현황).
REPORT: Table = Table(
    "report",
    metadata,
    _id(),
    _col("year", Integer, unique=True),
    *_texts("title", "meeting", "committee", "subtitle", "date_label", "institute", "unit"),
    _col("as_of", Date, null=True),
    *_texts("organization", "budget_summary_caption"),
    _json("layout"),
)

# 연혁.
HISTORY: Table = Table(
    "history_entry",
    metadata,
    _id(),
    _cascade_fk("report_id", "report.id"),
    _col("position", Integer),
    *_texts("date", "text"),
)

# A front-matter SimpleTable; ``key`` is one of ``FRONT_TABLE_KEYS``.
FRONT_TABLE: Table = Table(
    "front_table",
    metadata,
    _id(),
    _cascade_fk("report_id", "report.id"),
    *_texts("key", "caption"),
    _json("header_json", list),
    _json("rows_json", list),
    UniqueConstraint("report_id", "key"),
)

# A row of 주요업무별 예산 내역 as printed: six cells and the page.
SUMMARY: Table = Table(
    "summary_row",
    metadata,
    _id(),
    _cascade_fk("report_id", "report.id"),
    _col("position", Integer),
    *_texts("code", "title"),
    *(c for name in ("current", "previous", *QUARTERS) for c in _cell(name)),
    _col("page"),
)

# --- departments and chapters ------------------------------------------------------------------------

# A department; its outlines (성과, 한계, 개선 방향) are in outline_item.
DEPARTMENT: Table = Table(
    "department",
    metadata,
    _id(),
    _cascade_fk("report_id", "report.id"),
    _col("position", Integer),
    _col("name"),
    # Department.order; not "order", which would need quoting in every hand-written query.
    _col("order_no", Integer),
    _json("layout"),
    _col("uid", index=True),  # Department.uid: the permanent identity (db/versions/0004)
)

# A chapter of III. 주요업무.
CHAPTER: Table = Table(
    "chapter",
    metadata,
    _id(),
    _cascade_fk("report_id", "report.id"),
    _col("position", Integer),
    _col("number", Integer),
    *_texts("title", "department"),
    _json("layout"),
    _col("uid", index=True),  # Chapter.uid
)

# 작성자 block of a chapter.
AUTHOR_BLOCK: Table = Table(
    "author_block",
    metadata,
    _id(),
    _cascade_fk("chapter_id", "chapter.id"),
    _col("position", Integer),
    _col("before_program", Integer),
    _col("caption"),
)

# A person in an author block.
AUTHOR_ENTRY: Table = Table(
    "author_entry",
    metadata,
    _id(),
    _cascade_fk("author_block_id", "author_block.id"),
    _col("position", Integer),
    *_texts("role", "name", "phone", "department"),
    _col("line", Integer),
)

# A program as listed on the chapter's title page.
LISTED: Table = Table(
    "listed_program",
    metadata,
    _id(),
    _cascade_fk("chapter_id", "chapter.id"),
    _col("position", Integer),
    *_texts("code", "title"),
)

# --- programs -------------------------------------------------------------------------------------------

# A program with the scalar parts of its targets and budget. ``has_targets`` / ``has_budget`` /
# ``has_printed_total`` tell ``None`` apart from an empty table; when a flag is false the matching
# columns hold their neutral values and are ignored.
PROGRAM: Table = Table(
    "program",
    metadata,
    _id(),
    _cascade_fk("chapter_id", "chapter.id"),
    _col("position", Integer),
    _col("code", index=True),
    *_texts("title", "department"),
    _json("layout"),
    _col("has_targets", Boolean),
    _col("targets_qualifier"),
    _col("has_budget", Boolean),
    _col("budget_unit"),
    _col("budget_as_of", Date, null=True),
    _col("has_printed_total", Boolean),
    *(c for name in ("current", "previous", *QUARTERS) for c in _cell(f"total_{name}")),
    # Program.uid: what review states, comments, the audit log and the exchange refer to; ``code``
    # is display and changes when the office renumbers. Unique within a report (the validator).
    _col("uid", index=True),
)

# 추진 목표 row.
TARGET: Table = Table(
    "target_row",
    metadata,
    _id(),
    _cascade_fk("program_id", "program.id"),
    _col("position", Integer),
    *_texts("name", "period", "quantity"),
)

# A budget line: current and previous cells, four quarters (cell + note), page.
BUDGET_LINE: Table = Table(
    "budget_line",
    metadata,
    _id(),
    _cascade_fk("program_id", "program.id"),
    _col("position", Integer),
    _col("name"),
    *_cell("current"),
    *_cell("previous"),
    *(c for q in QUARTERS for c in (*_cell(q), _col(f"{q}_note"))),
    _col("page"),
    _col("notes_below", Boolean),
)

# --- outlines -------------------------------------------------------------------------------------------

# One line of any outline of the report; exactly one owner column is set.
OUTLINE: Table = Table(
    "outline_item",
    metadata,
    _id(),
    _cascade_fk("program_id", "program.id", null=True),
    _cascade_fk("department_id", "department.id", null=True),
    _cascade_fk("report_id", "report.id", null=True),
    _col("field"),
    _col("position", Integer),
    _col("level", Integer),
    *_texts("kind", "text"),
    _col("table_json", JSON(none_as_null=True), null=True),
    # The text db/versions/0001 writes on each engine: SQLite adds booleans as integers (the
    # original text, which old files have), PostgreSQL does not, so it counts with CASE.
    CheckConstraint(
        "(program_id IS NOT NULL) + (department_id IS NOT NULL) + (report_id IS NOT NULL) = 1", name="one_owner"
    ).ddl_if(dialect="sqlite"),
    CheckConstraint(
        "CASE WHEN program_id IS NOT NULL THEN 1 ELSE 0 END"
        " + CASE WHEN department_id IS NOT NULL THEN 1 ELSE 0 END"
        " + CASE WHEN report_id IS NOT NULL THEN 1 ELSE 0 END = 1",
        name="one_owner",
    ).ddl_if(callable_=_not_sqlite),
)

# --- exchange, review and audit (db/versions/0002_exchange_review_audit.py) --------------------------------
# These tables are keyed by the report's year and have no foreign key to
# ``report`` on purpose: ``import-text --replace`` deletes and rewrites the
# report rows, and the review history, the issued keys and the audit log must
# outlive that. Timestamps are ISO 8601 strings in UTC (``...+00:00``), which
# keeps the time zone that SQLite's DATETIME would drop.

# The stable identity of the office's report of a year; made on first packaging.
EXCHANGE_REPORT: Table = Table(
    "exchange_report",
    metadata,
    _id(),
    _col("year", Integer, unique=True),
    *_texts("report_uuid", "created_at"),
)

# A department's secret signing key for a year's report (office database only; never printed).
# Issuing a package rotates the key: the department's active key gets ``revoked_at`` and a new
# one is made, so a submission signed with an older package's key is refused (and kept as history).
DEPARTMENT_KEY: Table = Table(
    "exchange_department_key",
    metadata,
    _id(),
    _col("year", Integer, index=True),
    _col("department"),
    _col("secret"),  # hex of 32 random bytes
    _col("created_at"),
    # Added by 0004, so last (a new database has its columns in the order a migrated one has).
    _col("key_uuid"),
    _col("revoked_at"),  # "" while the key is the department's active one
    UniqueConstraint("key_uuid"),
)

# A package the office issued: to whom, when, and the base each item was issued at.
# ``base_json`` maps an item key (program code, or ``II:<department>``) to
# ``{"revision", "sha256", "content"}``; the content lets a conflict show what the office changed since.
ISSUED_PACKAGE: Table = Table(
    "exchange_package",
    metadata,
    _id(),
    _col("package_uuid", unique=True),
    _col("year", Integer, index=True),
    *_texts("department", "issued_at", "issued_by"),
    _json("base_json"),
    _col("key_uuid"),  # the department key the package carries ("" for packages issued before 0004)
)

# What makes a database a department package: one row, only in the package file.
PACKAGE_INFO: Table = Table(
    "exchange_package_info",
    metadata,
    _id(),
    *_texts("package_uuid", "report_uuid"),
    _col("year", Integer),
    *_texts("department", "issued_at", "issued_by"),
    _col("secret"),  # the department's signing key (hex); never printed
    _col("app_version"),
    _json("base_json"),
    _col("key_uuid"),  # which of the department's keys ``secret`` is ("" before 0004)
)

# A submission: received and processed by the office, or sent by a department.
# ``outcome_json`` maps item keys to ``{"decision", "sha256", "base_revision"}``.
# A received payload is processed once: ``(direction, payload_sha256)`` is unique.
SUBMISSION: Table = Table(
    "exchange_submission",
    metadata,
    _id(),
    _col("direction"),  # "received" (office) or "sent" (department package)
    _col("payload_sha256"),
    _col("year", Integer, index=True),
    *_texts("department", "author", "created_at", "package_uuid", "processed_at"),
    *_texts("processed_by", "file_name"),
    _json("manifest_json"),
    _json("outcome_json"),
    UniqueConstraint("direction", "payload_sha256"),
)

# Review state and revisions of an item (``ItemRef.key()``: a program's uid, ``II:<department>``, ``I``, ``III``).
# ``revision`` counts every change of the record (state changes included; packages carry it as
# their base); ``content_revision`` counts only writes of the content, and is what the unit of
# work checks a writer's read against, so a state change never makes an open form stale.
# ``saved_at`` / ``saved_by`` / ``saved_via``: the last content write (for "who saved first").
REVIEW_ITEM: Table = Table(
    "review_item",
    metadata,
    _id(),
    _col("year", Integer),
    *_texts("item_key", "state"),
    _col("revision", Integer),
    _col("sha256"),  # content hash at ``revision``; "" when not known yet
    *_texts("changed_at", "changed_by"),
    _col("content_revision", Integer),
    *_texts("saved_at", "saved_by", "saved_via"),
    UniqueConstraint("year", "item_key"),
)

# A review comment on a program, a section of it or a table cell; ``program`` "" targets section II.
# ``program`` is the program's uid; ``program_code`` its code when the comment was made (display).
REVIEW_COMMENT: Table = Table(
    "review_comment",
    metadata,
    _id(),
    _col("comment_uuid", unique=True),
    _col("year", Integer),
    _col("department", index=True),
    *_texts("program", "section"),
    _col("row", Integer, null=True),
    *_texts("column_label", "text", "author", "created_at"),
    _col("program_code"),  # added by 0004
)

# One line of the audit log: who did what when, how (``via``), and for changed fields the old and new
# value. ``item_key`` is the item's ``ItemRef.key()`` (a program's uid), ``item_code`` the program's
# code when the entry was written. The log is a hash chain: ``prev_hash`` is the previous entry's
# ``entry_hash`` (in id order) and ``entry_hash`` the sha256 of this entry's canonical form
# (:func:`seri_desktop.store.audit.entry_hash`), so an edited, deleted or reordered row is found.
AUDIT: Table = Table(
    "audit_log",
    metadata,
    _id(),
    _col("year", Integer, index=True),
    *_texts("at", "who", "action"),
    _col("item_key", index=True),
    *_texts("department", "section"),
    _col("row", Integer, null=True),
    *_texts("column_label", "old", "new"),
    _col("submission"),  # payload sha256 of the submission involved, "" for none
    _col("detail_json", JSON(none_as_null=True), null=True),
    _col("item_code"),
    _col("via"),  # which path wrote it: window, xlsx, text, merge, rollover, cli, package
    *_texts("prev_hash", "entry_hash"),
)

# The tables above that are not part of a report: save_report never writes
# them and deleting a report leaves them (see the comment on EXCHANGE_REPORT).
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
