"""Drop the server defaults 0004 left on the columns it added.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

0004 added its columns with ``server_default`` ('' for text, '0' for
``review_item.content_revision``) so that the rows already stored got a value;
the tables' metadata (``seri_desktop/store/tables.py``) has no defaults, and
every writer gives every column. With the defaults gone a database made by
the migrations is the same, column for column, as one made directly from the
metadata, which is how a new database is made (``store/engine.py``: create
the tables and stamp the head instead of running every script);
``tests/store/test_store_structure.py`` compares the two on both engines.

PostgreSQL drops each default in place. SQLite cannot, so batch mode rebuilds
the tables (copy, drop, rename), which needs foreign keys off (program,
chapter and department have children; see 0003): this script refuses to run
on SQLite with foreign keys on and programs stored. In ``--sql`` (offline)
mode the SQLite rebuild cannot be written out (batch mode reflects the live
table); a comment says so. Written by hand and frozen; it imports nothing
from seri_desktop.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every column 0004 added with a server default, per table, and that default.
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "program": ("uid",),
    "chapter": ("uid",),
    "department": ("uid",),
    "review_item": ("saved_at", "saved_by", "saved_via"),
    "review_comment": ("program_code",),
    "exchange_package": ("key_uuid",),
    "exchange_package_info": ("key_uuid",),
    "audit_log": ("item_code", "via", "prev_hash", "entry_hash"),
    "exchange_department_key": ("key_uuid", "revoked_at"),
}
INTEGER_COLUMNS: dict[str, tuple[str, ...]] = {"review_item": ("content_revision",)}


def _set_defaults(restore: bool) -> None:
    sqlite = op.get_context().dialect.name == "sqlite"
    if sqlite and context.is_offline_mode():
        op.execute(f"-- 0005: the SQLite rebuild of {', '.join(TEXT_COLUMNS)} is done online only")
        return
    if sqlite:
        bind = op.get_bind()
        if bind.exec_driver_sql("PRAGMA foreign_keys").scalar() and bind.exec_driver_sql(
            "SELECT 1 FROM program LIMIT 1"
        ).first():
            raise RuntimeError(
                "0005 rebuilds tables on SQLite and must run with PRAGMA foreign_keys=OFF "
                "(seri_desktop.store.engine.migrate_to does), or the rebuild would delete rows by cascade"
            )
    for table in TEXT_COLUMNS:
        columns = [(name, sa.String(), "") for name in TEXT_COLUMNS[table]]
        columns += [(name, sa.Integer(), "0") for name in INTEGER_COLUMNS.get(table, ())]
        with op.batch_alter_table(table) as batch:
            for name, type_, default in columns:
                batch.alter_column(
                    name, existing_type=type_, existing_nullable=False, server_default=default if restore else None
                )


def upgrade() -> None:
    _set_defaults(restore=False)


def downgrade() -> None:
    _set_defaults(restore=True)
