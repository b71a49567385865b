"""Amounts as 64-bit integers: every ``*_value`` column BIGINT.

Revision ID: 0003
Revises: 0002
Create Date: 2025-01-15

The model bounds amounts at ±10^15 (천원), and a single institute's budget
already passes 2^31 천원 in some lines; INTEGER is 32 bits on PostgreSQL (on
SQLite both names store the same 64-bit integers, so there this changes the
declared type only, which is what the schema comparison reads).

PostgreSQL alters the columns in place. SQLite cannot change a column's type,
so Alembic's batch mode rebuilds the three tables (copy, drop, rename). That
rebuild needs foreign keys off, or SQLite's DROP TABLE would delete every row
that references the table by cascade; ``seri_desktop.store.engine`` runs
migrations that way (and checks the keys before committing), and this script
refuses to run on SQLite with foreign keys on and programs stored rather than
lose rows.

In ``--sql`` (offline) mode the SQLite rebuild cannot be written out, since
batch mode reflects the live table; the script then writes a comment saying
so. Written by hand and frozen; it imports nothing from seri_desktop.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CELLS = ("current", "previous", "q1", "q2", "q3", "q4")
AMOUNT_COLUMNS: dict[str, list[str]] = {
    "summary_row": [f"{cell}_value" for cell in _CELLS],
    "program": [f"total_{cell}_value" for cell in _CELLS],
    "budget_line": [f"{cell}_value" for cell in _CELLS],
}


def _change(old: type[sa.types.TypeEngine[int]], new: type[sa.types.TypeEngine[int]]) -> None:
    if op.get_context().dialect.name == "sqlite":
        if context.is_offline_mode():
            op.execute(f"-- 0003: the SQLite rebuild of {', '.join(AMOUNT_COLUMNS)} is done online only")
            return
        bind = op.get_bind()
        # Rows that a cascade could delete exist only if program has rows (the
        # other two tables have no children); an empty schema rebuilds safely.
        if bind.exec_driver_sql("PRAGMA foreign_keys").scalar() and bind.exec_driver_sql(
            "SELECT 1 FROM program LIMIT 1"
        ).first():
            raise RuntimeError(
                "0003 rebuilds tables on SQLite and must run with PRAGMA foreign_keys=OFF "
                "(seri_desktop.store.engine.migrate_to does), or the rebuild would delete rows by cascade"
            )
    for table, columns in AMOUNT_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=new(), existing_type=old(), existing_nullable=True)


def upgrade() -> None:
    _change(sa.Integer, sa.BigInteger)


def downgrade() -> None:
    # On PostgreSQL an amount beyond 32 bits makes this fail (and roll back) rather than be cut.
    _change(sa.BigInteger, sa.Integer)
