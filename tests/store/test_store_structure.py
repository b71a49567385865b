"""A new database made directly (tables from the metadata, head stamped) is the one the migration scripts make.

Opening an empty database creates its tables from ``store/tables.py`` and
stamps the head instead of running 0001..head (``store/engine.py``,
``_create_current``). That is only right while the two give the same
database, down to what the catalogue says: column order, types, NOT NULL,
defaults, keys, foreign keys and their actions, indexes and CHECK
constraints, and Alembic's version table. Compared here on both engines, one
database built each way in turn.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, inspect

from seri_desktop.store.engine import create_engine_for, migrate_to, schema_version
from seri_desktop.store.migrations import HEAD_REVISION
from seri_desktop.store.tables import metadata

Structure = dict[str, Any]


def _checks(sql: str) -> list[str]:
    """Every ``[CONSTRAINT name] CHECK (...)`` in a CREATE TABLE statement, whitespace folded."""
    found = []
    for match in re.finditer(r"(?:CONSTRAINT\s+(\w+)\s+)?CHECK\s*\(", sql):
        depth, end = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            end += 1
        found.append(f"{match.group(1)}: {' '.join(sql[match.end() : end - 1].split())}")
    return sorted(found)


def _sqlite_structure(conn: Connection) -> Structure:
    def rows(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in conn.exec_driver_sql(sql).all()]

    structure: Structure = {}
    for name, sql in rows("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        indexes = []
        for _, index, unique, origin, partial in rows(f"PRAGMA index_list('{name}')"):
            columns = [column for _, _, column in rows(f"PRAGMA index_info('{index}')")]
            # SQLite numbers the indexes of UNIQUE constraints by their place in the statement.
            label = "(unique constraint)" if index.startswith("sqlite_autoindex_") else index
            indexes.append((label, unique, origin, partial, columns))
        structure[name] = {
            "columns": rows(f"PRAGMA table_info('{name}')"),
            "indexes": sorted(indexes),
            "foreign keys": sorted(row[1:] for row in rows(f"PRAGMA foreign_key_list('{name}')")),
            "checks": _checks(str(sql)),
        }
    return structure


def _postgres_structure(conn: Connection) -> Structure:
    def rows(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in conn.exec_driver_sql(sql).all()]

    return {
        "columns": rows(
            "SELECT table_name, ordinal_position, column_name, data_type, character_maximum_length, is_nullable,"
            " column_default FROM information_schema.columns WHERE table_schema = current_schema()"
            " ORDER BY table_name, ordinal_position"
        ),
        "constraints": rows(
            "SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)"
            " FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
            " WHERE n.nspname = current_schema() ORDER BY 1, 2"
        ),
        "indexes": rows(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1, 2"
        ),
        "sequences": rows(
            "SELECT sequence_name, data_type FROM information_schema.sequences"
            " WHERE sequence_schema = current_schema() ORDER BY 1"
        ),
    }


def _structure(engine: Engine) -> Structure:
    with engine.connect() as conn:
        structure = _sqlite_structure(conn) if engine.dialect.name == "sqlite" else _postgres_structure(conn)
        structure["stamped"] = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    return structure


def _empty(engine: Engine) -> None:
    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.exec_driver_sql("DROP TABLE alembic_version")
    assert inspect(engine).get_table_names() == []


def test_a_new_database_is_the_migrated_one(db_target: Path | URL) -> None:
    direct = create_engine_for(db_target)  # empty: tables from the metadata, head stamped
    try:
        assert schema_version(direct) == HEAD_REVISION
        made_directly = _structure(direct)
        _empty(direct)
    finally:
        direct.dispose()
    scripted = create_engine_for(db_target, migrate=False)
    try:
        migrate_to(scripted, HEAD_REVISION)  # every script, 0001 to the head
        migrated = _structure(scripted)
    finally:
        scripted.dispose()
    assert made_directly["stamped"] == [HEAD_REVISION]
    tables = set(made_directly) - {"stamped"}
    if "columns" in made_directly:  # PostgreSQL: one list per kind of catalogue entry
        tables = {row[0] for row in made_directly["columns"]}
        assert len(made_directly["indexes"]) > len(metadata.tables)  # every primary key and more
    assert tables == {*metadata.tables, "alembic_version"}
    assert made_directly == migrated


def test_the_comparison_sees_a_stray_default(tmp_path: Path) -> None:
    # What 0005 removes: 0004's server defaults. At 0004 the two databases differ, and the comparison says so.
    direct = create_engine_for(tmp_path / "direct.sqlite")
    scripted = create_engine_for(tmp_path / "scripted.sqlite", migrate=False)
    try:
        migrate_to(scripted, "0004")
        at_0004, current = _structure(scripted), _structure(direct)
    finally:
        direct.dispose()
        scripted.dispose()
    uid = {column[1]: column for column in at_0004["program"]["columns"]}["uid"]
    assert uid[4] == "''"  # dflt_value
    assert {column[1]: column for column in current["program"]["columns"]}["uid"][4] is None
    assert at_0004["program"]["columns"] != current["program"]["columns"]


def test_the_check_reader_finds_the_one_owner_check(tmp_path: Path) -> None:
    structure = _structure(create_engine_for(tmp_path / "r.sqlite"))
    assert structure["outline_item"]["checks"] == [
        "ck_outline_item_one_owner: (program_id IS NOT NULL) + (department_id IS NOT NULL) + (report_id IS NOT NULL) = 1"
    ]
    assert len(structure["program"]["foreign keys"]) == 1 and structure["program"]["indexes"]
