"""The migrated schema is exactly the SQLModel metadata, and keeps its promises (cascades, integers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Engine, Integer, MetaData, inspect

from seri_desktop.store.engine import alembic_config, schema_version
from seri_desktop.store.tables import metadata


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


def test_amount_columns_are_integers(engine: Engine) -> None:
    inspector = inspect(engine)
    value_columns = [
        (table, column)
        for table in metadata.tables
        for column in inspector.get_columns(table)
        if column["name"].endswith("_value")
    ]
    assert len(value_columns) == 6 * 3  # summary_row, budget_line, program's printed total
    for table, column in value_columns:
        assert isinstance(column["type"], Integer), (table, column)


def test_downgrade_and_upgrade_again(engine: Engine) -> None:
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    assert schema_version(engine) is None

    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    assert _differences(engine, metadata) == []


def test_offline_sql_renders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `alembic upgrade --sql` must work for reviewing the DDL without a database.
    config = alembic_config()
    config.set_main_option("sqlalchemy.url", f"sqlite:///{tmp_path / 'unused.sqlite'}")
    command.upgrade(config, "head", sql=True)
    out = capsys.readouterr().out
    assert "CREATE TABLE outline_item" in out
    assert "ON DELETE CASCADE" in out
    assert not (tmp_path / "unused.sqlite").exists()
