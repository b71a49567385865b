"""The engine factory: pragmas, reopening, refusing foreign or newer files, migrations folder."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect

from seri_desktop.domain.model import Report
from seri_desktop.store import migrations
from seri_desktop.store.engine import StoreError, head_revision, schema_version
from seri_desktop.store.migrations import migrations_dir
from seri_desktop.store.repository import load_report, save_report
from seri_desktop.store.tables import metadata

OpenEngine = Callable[..., Engine]
MakeReport = Callable[..., Report]


def test_pragmas_are_set_on_every_new_connection(tmp_db: Path, open_engine: OpenEngine) -> None:
    engine = open_engine(tmp_db)
    engine.dispose()  # drop the pooled connections: the next one is brand new
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with engine.connect() as conn, pytest.raises(Exception, match="FOREIGN KEY"):
        conn.exec_driver_sql(
            "INSERT INTO chapter (report_id, position, number, title, department, layout) "
            "VALUES (999, 0, 1, 't', 'd', '{}')"
        )


def test_wal_is_stored_in_the_file(tmp_db: Path, open_engine: OpenEngine) -> None:
    open_engine(tmp_db).dispose()
    with closing(sqlite3.connect(tmp_db)) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_creates_missing_parent_folders(tmp_path: Path, open_engine: OpenEngine) -> None:
    path = tmp_path / "새 폴더" / "깊은 곳" / "보고서 #1.sqlite"
    engine = open_engine(path)
    assert path.is_file()
    assert schema_version(engine) == head_revision()


def test_schema_version_is_the_head_revision(engine: Engine) -> None:
    assert head_revision() == "0002"
    assert schema_version(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) == {*metadata.tables, "alembic_version"}


def test_without_migrate_the_schema_is_left_alone(tmp_db: Path, open_engine: OpenEngine) -> None:
    engine = open_engine(tmp_db, migrate=False)
    assert schema_version(engine) is None
    assert inspect(engine).get_table_names() == []


def test_a_database_created_earlier_opens_again(
    tmp_db: Path, open_engine: OpenEngine, make_report: MakeReport
) -> None:
    report = make_report()
    first = open_engine(tmp_db)
    save_report(first, report)
    first.dispose()

    again = open_engine(tmp_db)
    assert schema_version(again) == head_revision()
    assert load_report(again, 2024) == report


def test_a_file_that_is_not_sqlite_gives_a_korean_store_error(tmp_db: Path, open_engine: OpenEngine) -> None:
    garbage = bytes(range(256)) * 64
    tmp_db.write_bytes(garbage)
    with pytest.raises(StoreError) as caught:
        open_engine(tmp_db)
    message = str(caught.value)
    assert "SQLite 데이터베이스가 아닙니다" in message
    assert str(tmp_db) in message
    assert tmp_db.read_bytes() == garbage  # the file was not touched


def test_a_database_from_a_newer_program_is_refused(tmp_db: Path, open_engine: OpenEngine) -> None:
    open_engine(tmp_db).dispose()
    with closing(sqlite3.connect(tmp_db)) as raw, raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999_future'")

    for migrate in (True, False):
        with pytest.raises(StoreError) as caught:
            open_engine(tmp_db, migrate=migrate)
        assert "새로운 버전" in str(caught.value)
        assert str(tmp_db) in str(caught.value)
    with closing(sqlite3.connect(tmp_db)) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [("9999_future",)]


def test_a_failed_migration_is_a_store_error_and_changes_nothing(
    tmp_db: Path, open_engine: OpenEngine
) -> None:
    # Some other program's SQLite file with a clashing table name.
    with closing(sqlite3.connect(tmp_db)) as raw, raw:
        raw.execute("CREATE TABLE chapter (x TEXT)")

    with pytest.raises(StoreError, match="새 형식으로 바꾸지 못했습니다"):
        open_engine(tmp_db)
    # The migration is one transaction: the tables created before the clash are gone too.
    with closing(sqlite3.connect(tmp_db)) as raw:
        names = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == {"chapter"}


def test_migrations_dir_is_the_repo_db_folder() -> None:
    folder = migrations_dir()
    assert folder == Path(__file__).resolve().parents[2] / "db"
    assert (folder / "env.py").is_file()
    assert (folder / "versions" / "0001_initial.py").is_file()


def test_migrations_dir_in_a_frozen_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "db" / "versions").mkdir(parents=True)
    (tmp_path / "db" / "env.py").write_text("", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert migrations.migrations_dir() == tmp_path / "db"


def test_missing_migrations_dir_is_a_korean_store_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(StoreError, match="마이그레이션 폴더를 찾을 수 없습니다"):
        migrations.migrations_dir()
