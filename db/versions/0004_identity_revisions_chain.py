"""Stable identity, content revisions, a hash-chained audit log and rotating department keys.

Revision ID: 0004
Revises: 0003
Create Date: 2025-02-01

* ``program.uid``, ``chapter.uid``, ``department.uid``: a permanent id (a
  UUID string) for every row, made here for the rows already stored. Added
  with ``ADD COLUMN`` (no table rebuild, so no cascade can touch a row).
* The records that named a program by its code now name it by its uid, the
  code kept beside it for display: ``review_item.item_key``,
  ``review_comment.program`` (+ ``program_code``), ``audit_log.item_key``
  (+ ``item_code``), the item keys of ``exchange_package.base_json``,
  ``exchange_package_info.base_json`` and ``exchange_submission.outcome_json``.
  A code maps to the first program with that code in its year's report (in
  report order, as ``Report.program`` finds it); a code that no stored
  program has (a program deleted before) is left as it was.
* ``review_item``: ``content_revision`` (writes of the content only; set to
  the record's revision for existing rows), ``saved_at`` / ``saved_by`` /
  ``saved_via`` (the last content write).
* ``audit_log``: ``via`` (which path wrote the entry; "" for entries made
  before this revision), ``prev_hash`` and ``entry_hash``: the existing rows
  are chained here, per year in id order, with version 1 of the entry hash,
  which ``seri_desktop.store.audit.entry_hash`` computes the same way (a test
  checks that a migrated log verifies).
* ``exchange_department_key``: one row per key rather than per department:
  ``key_uuid`` (unique), ``revoked_at``; the (year, department) unique
  constraint goes (the table has no foreign keys, so its batch rebuild on
  SQLite is safe). Packages record which key they carry (``key_uuid``); the
  packages issued before carry the department's one key, recorded here.

The downgrade maps the ids back to codes (through the programs as stored
then) and drops the columns. Written by hand and frozen; it imports nothing
from seri_desktop. In ``--sql`` (offline) mode only the DDL is written: the
backfill reads the rows and runs online only.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SECTION_II_PREFIX = "II:"
IDENTITY_TABLES = ("program", "chapter", "department")
CODE_KEYED = (
    ("exchange_package", "base_json"),
    ("exchange_package_info", "base_json"),
    ("exchange_submission", "outcome_json"),
)


def _text_column(table: str, name: str) -> None:
    op.add_column(table, sa.Column(name, sa.String(), nullable=False, server_default=""))


def _int_column(table: str, name: str) -> None:
    op.add_column(table, sa.Column(name, sa.Integer(), nullable=False, server_default="0"))


def _programs(bind: sa.Connection) -> list[tuple[int, str, str]]:
    """(year, code, uid) of every stored program, in report order."""
    rows = bind.execute(
        sa.text(
            "SELECT r.year, p.code, p.uid FROM program p JOIN chapter c ON p.chapter_id = c.id "
            "JOIN report r ON c.report_id = r.id ORDER BY r.year, c.position, p.position"
        )
    ).all()
    return [(int(year), str(code), str(uid)) for year, code, uid in rows]


def _code_maps(bind: sa.Connection) -> dict[int, dict[str, str]]:
    """Per report year: program code → uid of the first program with that code in report order."""
    maps: dict[int, dict[str, str]] = {}
    for year, code, uid in _programs(bind):
        maps.setdefault(year, {}).setdefault(code, uid)
    return maps


def _uid_maps(bind: sa.Connection) -> dict[int, dict[str, str]]:
    """Per report year: program uid → its code (the inverse, for the downgrade)."""
    maps: dict[int, dict[str, str]] = {}
    for year, code, uid in _programs(bind):
        maps.setdefault(year, {})[uid] = code
    return maps


def _is_program_key(key: str) -> bool:
    return bool(key) and not key.startswith(SECTION_II_PREFIX) and key not in ("I", "III")


def _rekey(data: Any, mapping: dict[str, str]) -> Any:
    if not isinstance(data, dict):
        return data
    return {mapping.get(key, key) if _is_program_key(key) else key: value for key, value in data.items()}


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def entry_hash_v1(row: dict[str, Any], prev: str) -> str:
    """Frozen copy of ``seri_desktop.store.audit.entry_hash``, version 1."""
    canonical = {
        "v": 1,
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


def _rekey_records(bind: sa.Connection, maps: dict[int, dict[str, str]], *, to_uid: bool) -> None:
    """Rewrite the code-keyed records with ``maps`` (code → uid up, uid → code down)."""

    def mapped(year: int, key: str) -> str:
        return maps.get(year, {}).get(key, key) if _is_program_key(key) else key

    for row_id, year, key in bind.execute(sa.text("SELECT id, year, item_key FROM review_item")).all():
        bind.execute(
            sa.text("UPDATE review_item SET item_key = :key WHERE id = :id"), {"key": mapped(int(year), key), "id": row_id}
        )
    for row_id, year, program in bind.execute(sa.text("SELECT id, year, program FROM review_comment")).all():
        if program:
            values = {"key": mapped(int(year), program), "id": row_id}
            sql = "UPDATE review_comment SET program = :key" + (", program_code = :code" if to_uid else "") + " WHERE id = :id"
            bind.execute(sa.text(sql), {**values, "code": program} if to_uid else values)
    for table, column in CODE_KEYED:
        for row_id, year, data in bind.execute(sa.text(f"SELECT id, year, {column} FROM {table}")).all():
            rekeyed = _rekey(_json(data), maps.get(int(year), {}))
            bind.execute(sa.text(f"UPDATE {table} SET {column} = :data WHERE id = :id"), {"data": _dumps(rekeyed), "id": row_id})


def _chain_audit_log(bind: sa.Connection, codes: dict[int, dict[str, str]]) -> None:
    """Rekey every entry to uids and chain the entries of each year in id order."""
    prev: dict[int, str] = {}
    rows = (
        bind.execute(
            sa.text(
                "SELECT id, year, at, who, action, item_key, department, section, row, column_label, old, new, "
                "submission, detail_json FROM audit_log ORDER BY id"
            )
        )
        .mappings()
        .all()
    )
    for raw in rows:
        row = dict(raw)
        year = int(row["year"])
        key = row["item_key"]
        program_key = _is_program_key(key)
        row["item_code"] = key if program_key else ""
        row["item_key"] = codes.get(year, {}).get(key, key) if program_key else key
        row["via"] = ""
        row["detail"] = _json(row["detail_json"])
        digest = entry_hash_v1(row, prev.get(year, ""))
        bind.execute(
            sa.text(
                "UPDATE audit_log SET item_key = :key, item_code = :code, prev_hash = :prev, entry_hash = :hash "
                "WHERE id = :id"
            ),
            {"key": row["item_key"], "code": row["item_code"], "prev": prev.get(year, ""), "hash": digest, "id": row["id"]},
        )
        prev[year] = digest


def upgrade() -> None:
    offline = context.is_offline_mode()
    bind = None if offline else op.get_bind()

    # --- identity ---------------------------------------------------------------------------------------
    for table in IDENTITY_TABLES:
        _text_column(table, "uid")
        if bind is not None:
            for (row_id,) in bind.execute(sa.text(f"SELECT id FROM {table}")).all():
                bind.execute(
                    sa.text(f"UPDATE {table} SET uid = :uid WHERE id = :id"), {"uid": str(uuid.uuid4()), "id": row_id}
                )
        op.create_index(op.f(f"ix_{table}_uid"), table, ["uid"], unique=False)

    # --- columns of the records ---------------------------------------------------------------------------
    _int_column("review_item", "content_revision")
    for name in ("saved_at", "saved_by", "saved_via"):
        _text_column("review_item", name)
    _text_column("review_comment", "program_code")
    _text_column("exchange_package", "key_uuid")
    _text_column("exchange_package_info", "key_uuid")
    for name in ("item_code", "via", "prev_hash", "entry_hash"):
        _text_column("audit_log", name)

    # SQLite's batch mode rebuilds the table from the live one, which offline mode cannot reflect.
    rebuild = not (offline and op.get_context().dialect.name == "sqlite")
    if rebuild:
        with op.batch_alter_table("exchange_department_key") as batch:
            batch.add_column(sa.Column("key_uuid", sa.String(), nullable=False, server_default=""))
            batch.add_column(sa.Column("revoked_at", sa.String(), nullable=False, server_default=""))
            batch.drop_constraint("uq_exchange_department_key_year_department", type_="unique")
    else:
        op.execute("-- 0004: the SQLite rebuild of exchange_department_key is done online only")

    if bind is not None:
        codes = _code_maps(bind)
        _rekey_records(bind, codes, to_uid=True)
        bind.execute(
            sa.text(
                "UPDATE review_item SET content_revision = revision, saved_at = changed_at, saved_by = changed_by"
            )
        )
        for row_id, year, department in bind.execute(
            sa.text("SELECT id, year, department FROM exchange_department_key")
        ).all():
            key_uuid = str(uuid.uuid4())
            bind.execute(
                sa.text("UPDATE exchange_department_key SET key_uuid = :k WHERE id = :id"), {"k": key_uuid, "id": row_id}
            )
            # Until now a department had one key per year: every package issued to it carried this one.
            bind.execute(
                sa.text("UPDATE exchange_package SET key_uuid = :k WHERE year = :year AND department = :department"),
                {"k": key_uuid, "year": year, "department": department},
            )
        _chain_audit_log(bind, codes)
    else:
        op.execute("-- 0004: the backfill of ids, keys and the audit chain runs online only")

    if rebuild:
        with op.batch_alter_table("exchange_department_key") as batch:
            batch.create_unique_constraint("uq_exchange_department_key_key_uuid", ["key_uuid"])
            batch.create_index("ix_exchange_department_key_year", ["year"], unique=False)


def downgrade() -> None:
    offline = context.is_offline_mode()
    bind = None if offline else op.get_bind()
    if bind is not None:
        _rekey_records(bind, _uid_maps(bind), to_uid=False)
        for row_id, code in bind.execute(
            sa.text("SELECT id, item_code FROM audit_log")
        ).all():
            if code:
                bind.execute(sa.text("UPDATE audit_log SET item_key = :code WHERE id = :id"), {"code": code, "id": row_id})
        # 0003 allows one key per department and year: keep the newest of each.
        keep = bind.execute(
            sa.text("SELECT max(id) FROM exchange_department_key GROUP BY year, department")
        ).scalars().all()
        if keep:
            bind.execute(
                sa.text("DELETE FROM exchange_department_key WHERE id NOT IN :keep").bindparams(
                    sa.bindparam("keep", expanding=True)
                ),
                {"keep": list(keep)},
            )
    with op.batch_alter_table("exchange_department_key") as batch:
        batch.drop_constraint("uq_exchange_department_key_key_uuid", type_="unique")
        batch.drop_index("ix_exchange_department_key_year")
        batch.drop_column("key_uuid")
        batch.drop_column("revoked_at")
        batch.create_unique_constraint("uq_exchange_department_key_year_department", ["year", "department"])
    for table, columns in (
        ("audit_log", ("item_code", "via", "prev_hash", "entry_hash")),
        ("exchange_package", ("key_uuid",)),
        ("exchange_package_info", ("key_uuid",)),
        ("review_comment", ("program_code",)),
        ("review_item", ("content_revision", "saved_at", "saved_by", "saved_via")),
    ):
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_column(column)
    for table in IDENTITY_TABLES:
        op.drop_index(op.f(f"ix_{table}_uid"), table_name=table)
        # DROP COLUMN in place (SQLite 3.35+): a rebuild of these tables would cascade.
        op.drop_column(table, "uid")
