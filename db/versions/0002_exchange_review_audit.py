"""Exchange, review and audit: report identity, department keys, packages, submissions, states, comments, log.

Revision ID: 0002
Revises: 0001
Create Date: 2024-11-25

Written by hand and frozen, like 0001: it imports nothing from seri_desktop.
Only new tables; 0001's tables are untouched. The new tables are keyed by
the report's year with no foreign key to ``report``, so ``import-text
--replace`` (which deletes and rewrites the report) keeps the review history
and the audit log. Constraint and index names follow the naming convention
of seri_desktop/store/tables.py and are final (op.f).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id(table: str) -> list[SchemaItem]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _text(*names: str) -> list[SchemaItem]:
    return [sa.Column(name, sa.String(), nullable=False) for name in names]


def _int(*names: str) -> list[SchemaItem]:
    return [sa.Column(name, sa.Integer(), nullable=False) for name in names]


def _index(table: str, column: str) -> None:
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "exchange_report",
        *_id("exchange_report"),
        *_int("year"),
        *_text("report_uuid", "created_at"),
        sa.UniqueConstraint("year", name=op.f("uq_exchange_report_year")),
    )

    op.create_table(
        "exchange_department_key",
        *_id("exchange_department_key"),
        *_int("year"),
        *_text("department", "secret", "created_at"),
        sa.UniqueConstraint("year", "department", name=op.f("uq_exchange_department_key_year_department")),
    )

    op.create_table(
        "exchange_package",
        *_id("exchange_package"),
        *_text("package_uuid"),
        *_int("year"),
        *_text("department", "issued_at", "issued_by"),
        sa.Column("base_json", sa.JSON(), nullable=False),
        sa.UniqueConstraint("package_uuid", name=op.f("uq_exchange_package_package_uuid")),
    )
    _index("exchange_package", "year")

    op.create_table(
        "exchange_package_info",
        *_id("exchange_package_info"),
        *_text("package_uuid", "report_uuid"),
        *_int("year"),
        *_text("department", "issued_at", "issued_by", "secret", "app_version"),
        sa.Column("base_json", sa.JSON(), nullable=False),
    )

    op.create_table(
        "exchange_submission",
        *_id("exchange_submission"),
        *_text("direction", "payload_sha256"),
        *_int("year"),
        *_text("department", "author", "created_at", "package_uuid", "processed_at", "processed_by", "file_name"),
        sa.Column("manifest_json", sa.JSON(), nullable=False),
        sa.Column("outcome_json", sa.JSON(), nullable=False),
        sa.UniqueConstraint(
            "direction", "payload_sha256", name=op.f("uq_exchange_submission_direction_payload_sha256")
        ),
    )
    _index("exchange_submission", "year")

    op.create_table(
        "review_item",
        *_id("review_item"),
        *_int("year"),
        *_text("item_key", "state"),
        *_int("revision"),
        *_text("sha256", "changed_at", "changed_by"),
        sa.UniqueConstraint("year", "item_key", name=op.f("uq_review_item_year_item_key")),
    )

    op.create_table(
        "review_comment",
        *_id("review_comment"),
        *_text("comment_uuid"),
        *_int("year"),
        *_text("department", "program", "section"),
        sa.Column("row", sa.Integer(), nullable=True),
        *_text("column_label", "text", "author", "created_at"),
        sa.UniqueConstraint("comment_uuid", name=op.f("uq_review_comment_comment_uuid")),
    )
    _index("review_comment", "department")

    op.create_table(
        "audit_log",
        *_id("audit_log"),
        *_int("year"),
        *_text("at", "who", "action", "item_key", "department", "section"),
        sa.Column("row", sa.Integer(), nullable=True),
        *_text("column_label", "old", "new", "submission"),
        sa.Column("detail_json", sa.JSON(), nullable=True),
    )
    _index("audit_log", "year")
    _index("audit_log", "item_key")


def downgrade() -> None:
    for table in (
        "audit_log",
        "review_comment",
        "review_item",
        "exchange_submission",
        "exchange_package_info",
        "exchange_package",
        "exchange_department_key",
        "exchange_report",
    ):
        op.drop_table(table)
