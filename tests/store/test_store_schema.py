"""The migrated schema is exactly the tables' metadata on both engines, and keeps its promises (cascades, BIGINT amounts)."""

from __future__ import annotations

import importlib.util
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, BigInteger, Column, Engine, Integer, MetaData, func, insert, inspect, select
from sqlalchemy.exc import IntegrityError

from seri_desktop.store.engine import alembic_config, create_engine_for, migrate_to, schema_version
from seri_desktop.store.migrations import HEAD_REVISION, REVISIONS, migrations_dir
from seri_desktop.store.repository import load_report, save_report
from seri_desktop.store.tables import metadata
from tests.helpers.db import row_counts
from tests.helpers.reports import make_report

OLD_FILE = Path(__file__).parent / "data" / "report-0002.sqlite"


def _load_0003() -> dict[str, list[str]]:
    spec = importlib.util.spec_from_file_location(
        "migration_0003", migrations_dir() / "versions" / "0003_amounts_bigint.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.AMOUNT_COLUMNS)


AMOUNT_COLUMNS = _load_0003()


def _differences(engine: Engine, target: MetaData) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, target))


def test_migrated_schema_matches_the_metadata(engine: Engine) -> None:
    assert _differences(engine, metadata) == []


def test_the_comparison_would_notice_drift(engine: Engine) -> None:
    drifted = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.tables.values():
        table.to_metadata(drifted)
    drifted.tables["program"].append_column(Column("new_column", Integer, nullable=True))
    differences = _differences(engine, drifted)
    assert any("new_column" in repr(diff) for diff in differences)


def test_every_foreign_key_cascades(engine: Engine) -> None:
    inspector = inspect(engine)
    foreign_keys = [(table, fk) for table in metadata.tables for fk in inspector.get_foreign_keys(table)]
    assert len(foreign_keys) == 14
    for table, fk in foreign_keys:
        assert fk["options"].get("ondelete") == "CASCADE", (table, fk)


def test_amount_columns_are_big_integers(engine: Engine) -> None:
    inspector = inspect(engine)
    value_columns = [
        (table, column)
        for table in metadata.tables
        for column in inspector.get_columns(table)
        if column["name"].endswith("_value")
    ]
    assert len(value_columns) == 6 * 3  # summary_row, budget_line, program's printed total
    for table, column in value_columns:
        assert isinstance(column["type"], BigInteger), (table, column)
    assert sorted({table for table, _ in value_columns}) == sorted(AMOUNT_COLUMNS)
    assert {(t, c["name"]) for t, c in value_columns} == {(t, c) for t, cs in AMOUNT_COLUMNS.items() for c in cs}


def test_downgrade_and_upgrade_again(engine: Engine) -> None:
    migrate_to(engine, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    assert schema_version(engine) is None

    migrate_to(engine, "head")
    assert _differences(engine, metadata) == []


def test_downgrade_and_upgrade_keep_the_data(
    engine: Engine
) -> None:
    report = make_report()
    save_report(engine, report)
    counts = row_counts(engine)
    migrate_to(engine, "0002")  # rebuilds three tables on SQLite, with children referring to them
    assert schema_version(engine) == "0002"
    assert row_counts(engine) == counts
    migrate_to(engine, "head")
    assert row_counts(engine) == counts
    assert load_report(engine, 2024) == report
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []


def test_0003_refuses_to_rebuild_with_foreign_keys_on(
    engine: Engine
) -> None:
    # Run by hand on a connection with foreign keys on, the table rebuild would
    # cascade-delete every outline, target and budget line: the script refuses.
    save_report(engine, make_report())
    counts = row_counts(engine)
    migrate_to(engine, "0002")
    config = alembic_config()
    with engine.begin() as conn, pytest.raises(RuntimeError, match="foreign_keys=OFF"):
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    assert schema_version(engine) == "0002"
    assert row_counts(engine) == counts


def test_the_revision_constants_are_alembics(engine: Engine) -> None:
    # The program knows its revisions without importing Alembic (store.migrations);
    # a new script in db/versions must be added there, or this fails.
    scripts = ScriptDirectory.from_config(alembic_config())
    walked = [script.revision for script in scripts.walk_revisions()]
    assert tuple(reversed(walked)) == REVISIONS
    assert scripts.get_current_head() == HEAD_REVISION
    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [HEAD_REVISION]  # no branches


def test_0001_writes_the_original_check_on_sqlite(tmp_db: Path) -> None:
    # Files made before PostgreSQL support and files made now must have the same schema.
    engine = create_engine_for(tmp_db, migrate=False)
    try:
        migrate_to(engine, "0001")
        with engine.connect() as conn:
            sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'outline_item'").scalar()
    finally:
        engine.dispose()
    assert (
        "CONSTRAINT ck_outline_item_one_owner CHECK "
        "((program_id IS NOT NULL) + (department_id IS NOT NULL) + (report_id IS NOT NULL) = 1)"
    ) in str(sql)


def test_schema_at_0002_is_the_one_the_previous_program_made(tmp_path: Path) -> None:
    def schema(path: Path) -> list[tuple[str, ...]]:
        with closing(sqlite3.connect(path)) as raw:
            return sorted(raw.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))

    engine = create_engine_for(tmp_path / "now.sqlite", migrate=False)
    try:
        migrate_to(engine, "0002")
    finally:
        engine.dispose()
    assert schema(tmp_path / "now.sqlite") == schema(OLD_FILE)


def test_migrated_schema_matches_the_metadata_on_each_engine(db_target: Path | URL) -> None:
    engine = create_engine_for(db_target)
    try:
        assert schema_version(engine) == HEAD_REVISION
        assert _differences(engine, metadata) == []
        assert set(inspect(engine).get_table_names()) == {*metadata.tables, "alembic_version"}
        amounts = {
            c["name"]: c["type"] for c in inspect(engine).get_columns("budget_line") if c["name"].endswith("_value")
        }
        assert len(amounts) == 6 and all(isinstance(t, BigInteger) for t in amounts.values())
    finally:
        engine.dispose()


def test_the_one_owner_check_holds_on_each_engine(db_target: Path | URL) -> None:
    engine = create_engine_for(db_target)
    outline = metadata.tables["outline_item"]
    try:
        with engine.begin() as conn:
            report_id = conn.execute(
                insert(metadata.tables["report"]),
                {
                    "year": 2024, "title": "", "meeting": "", "committee": "", "subtitle": "", "date_label": "",
                    "institute": "", "unit": "", "organization": "", "budget_summary_caption": "", "layout": {},
                },
            ).inserted_primary_key[0]  # fmt: skip
            department_id = conn.execute(
                insert(metadata.tables["department"]),
                {"report_id": report_id, "position": 0, "name": "부", "order_no": 1, "layout": {}, "uid": "d-1"},
            ).inserted_primary_key[0]
        row = {"field": "results", "position": 0, "level": 0, "kind": "item", "text": "t"}
        for owners in ({}, {"report_id": report_id, "department_id": department_id}):
            with pytest.raises(IntegrityError, match=r"(?i)check|ck_outline_item_one_owner"), engine.begin() as conn:
                conn.execute(insert(outline), {**row, **owners})
        with engine.begin() as conn:
            conn.execute(insert(outline), {**row, "department_id": department_id})
            assert conn.execute(select(func.count()).select_from(outline)).scalar() == 1
    finally:
        engine.dispose()


def test_offline_sql_renders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `alembic upgrade --sql` must work for reviewing the DDL without a database.
    config = alembic_config()
    config.set_main_option("sqlalchemy.url", f"sqlite:///{tmp_path / 'unused.sqlite'}")
    command.upgrade(config, "head", sql=True)
    out = capsys.readouterr().out
    assert "CREATE TABLE outline_item" in out
    assert "ON DELETE CASCADE" in out
    assert not (tmp_path / "unused.sqlite").exists()


def test_offline_sql_renders_for_postgresql(capsys: pytest.CaptureFixture[str]) -> None:
    config = alembic_config()
    config.set_main_option("sqlalchemy.url", "postgresql+psycopg://seri@localhost/unused")
    command.upgrade(config, "head", sql=True)
    out = capsys.readouterr().out
    assert "CASE WHEN program_id IS NOT NULL THEN 1 ELSE 0 END" in out
    assert "ALTER TABLE budget_line ALTER COLUMN q4_value TYPE BIGINT" in out
    assert "(program_id IS NOT NULL) +" not in out
