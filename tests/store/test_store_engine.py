"""The engine factory: pragmas, targets, read-only opens, refusing foreign or newer files, the cheap version check."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine, inspect
from sqlalchemy.exc import DBAPIError

from seri_desktop.domain.model import Report
from seri_desktop.store import migrations
from seri_desktop.store.engine import (
    StoreError,
    create_engine_for,
    describe_target,
    head_revision,
    is_read_only,
    migrate_to,
    parse_target,
    schema_version,
)
from seri_desktop.store.migrations import HEAD_REVISION, READABLE_SINCE, REVISIONS, migrations_dir
from seri_desktop.store.repository import load_report, save_report
from seri_desktop.store.tables import metadata
from tests.helpers.db import row_counts
from tests.helpers.reports import make_report
from tests.helpers.types import OpenEngine

OLD_FILE = Path(__file__).parent / "data" / "report-0002.sqlite"


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
            "INSERT INTO chapter (report_id, position, number, title, department, layout, uid) "
            "VALUES (999, 0, 1, 't', 'd', '{}', 'c-1')"
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
    assert head_revision() == "0005"
    assert schema_version(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) == {*metadata.tables, "alembic_version"}


def test_without_migrate_the_schema_is_left_alone(tmp_db: Path, open_engine: OpenEngine) -> None:
    engine = open_engine(tmp_db, migrate=False)
    assert schema_version(engine) is None
    assert inspect(engine).get_table_names() == []


def _saved_and_closed(tmp_db: Path, open_engine: OpenEngine) -> Report:
    """A sample report saved in ``tmp_db`` by an engine that is closed again."""
    report = make_report()
    writer = open_engine(tmp_db)
    save_report(writer, report)
    writer.dispose()
    return report


def test_a_database_created_earlier_opens_again(tmp_db: Path, open_engine: OpenEngine) -> None:
    report = _saved_and_closed(tmp_db, open_engine)
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

    for migrate, read_only in ((True, False), (False, False), (False, True)):
        with pytest.raises(StoreError) as caught:
            create_engine_for(tmp_db, migrate=migrate, read_only=read_only)
        assert "새로운 버전" in str(caught.value)
        assert str(tmp_db) in str(caught.value)
    with closing(sqlite3.connect(tmp_db)) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [("9999_future",)]


def test_a_failed_migration_is_a_store_error_and_changes_nothing(tmp_db: Path, open_engine: OpenEngine) -> None:
    # A file at revision 0001 that already holds a table 0002 is about to create
    # (made by hand, as a damaged or tampered file would be): the upgrade fails on it.
    migrate_to(open_engine(tmp_db, migrate=False), "0001")
    with closing(sqlite3.connect(tmp_db)) as raw, raw:
        raw.execute("CREATE TABLE audit_log (x TEXT)")
    with closing(sqlite3.connect(tmp_db)) as raw:
        before = sorted(raw.execute("SELECT type, name, sql FROM sqlite_master"))

    with pytest.raises(StoreError, match="새 형식으로 바꾸지 못했습니다"):
        open_engine(tmp_db)
    # The migration is one transaction: the tables created before the clash are gone too.
    with closing(sqlite3.connect(tmp_db)) as raw:
        assert sorted(raw.execute("SELECT type, name, sql FROM sqlite_master")) == before
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]


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


def test_missing_migrations_dir_is_a_korean_store_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(StoreError, match="마이그레이션 폴더를 찾을 수 없습니다"):
        migrations.migrations_dir()


# --- targets: a path or a PostgreSQL URL, nothing else ------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "sqlite:///report.sqlite",
        "sqlite://",
        "mysql://user:secret@localhost/report",
        "http://example.invalid/report",
        "postgresql://user@localhost/report",  # no driver named: SQLAlchemy would pick psycopg2
        "postgresql+psycopg2://user@localhost/report",
        "postgresql+psycopg:/user@localhost/report",  # what Path() makes of a URL ("//" folded)
        "://report",
        "report://",
        Path("postgresql+psycopg:/user@localhost/report"),
    ],
)
def test_other_schemes_are_refused_and_create_no_file(
    target: str | Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for read_only in (False, True):
        with pytest.raises(StoreError) as caught:
            create_engine_for(target, read_only=read_only)
        message = str(caught.value)
        assert "쓸 수 없습니다" in message or "아닙니다" in message or "읽을 수 없습니다" in message
        assert "postgresql+psycopg://" in message  # says what is accepted
        assert "secret" not in message
    assert list(tmp_path.rglob("*")) == []


def test_a_postgres_url_is_a_url_and_prints_without_its_password() -> None:
    target = parse_target("postgresql+psycopg://seri:s3cr%40t@db.example:5433/report?sslmode=require")
    assert isinstance(target, URL)
    assert target.password == "s3cr@t" and target.host == "db.example" and target.port == 5433
    for shown in (str(target), repr(target), describe_target(target)):
        assert "s3cr" not in shown and "***" in shown
    assert parse_target("보고서 #1.sqlite") == Path("보고서 #1.sqlite")
    assert parse_target(Path("C:/보고서/2024.sqlite")) == Path("C:/보고서/2024.sqlite")  # a drive, not a scheme


def test_a_password_in_the_query_is_hidden_too() -> None:
    target = parse_target("postgresql+psycopg://seri@localhost/report?password=s3cret&sslmode=require")
    assert isinstance(target, URL)
    assert target.password == "s3cret" and dict(target.query) == {"sslmode": "require"}
    assert "s3cret" not in describe_target(target) + str(target) + repr(target)


def test_a_postgres_url_without_a_database_is_refused() -> None:
    with pytest.raises(StoreError, match="데이터베이스 이름이 없습니다"):
        parse_target("postgresql+psycopg://seri:pw@localhost")


# --- read-only opens never change a file ---------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _beside(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()} - {path.name}


def test_read_only_open_of_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "없는 폴더" / "report.sqlite"
    with pytest.raises(StoreError, match="데이터베이스 파일이 없습니다") as caught:
        create_engine_for(missing, read_only=True)
    assert caught.value.code == "store-missing"
    assert list(tmp_path.iterdir()) == []


def test_read_only_reads_a_current_file_and_cannot_write_it(tmp_db: Path, open_engine: OpenEngine) -> None:
    report = _saved_and_closed(tmp_db, open_engine)
    before = _sha256(tmp_db)

    reader = create_engine_for(tmp_db, read_only=True)
    try:
        assert is_read_only(reader)
        assert load_report(reader, 2024) == report
        with pytest.raises(StoreError, match="읽기 전용"):
            save_report(reader, make_report(2025))
        with reader.connect() as conn, pytest.raises(DBAPIError, match=r"readonly|read-only|query_only"):
            conn.exec_driver_sql("DELETE FROM report")
    finally:
        reader.dispose()
    assert _sha256(tmp_db) == before
    assert schema_version(open_engine(tmp_db, migrate=False)) == head_revision()


def test_the_file_of_the_previous_program_is_refused_read_only_and_upgraded_when_written(
    tmp_path: Path, open_engine: OpenEngine
) -> None:
    # tests/store/data/report-0002.sqlite was saved by the program before 0003
    # (make_report(programs_per_chapter=3)), in WAL mode as the program leaves it.
    # Until 0004 a read-only command read it as it was; since 0004 every read
    # relies on the programs' permanent ids, so a read-only open refuses it
    # (READABLE_SINCE) without changing it, and the first write upgrades it.
    db = tmp_path / "old.sqlite"
    shutil.copyfile(OLD_FILE, db)
    before = _sha256(db)

    with pytest.raises(StoreError) as refused:
        create_engine_for(db, read_only=True)
    assert refused.value.code == "store-upgrade-needed"
    assert "이전 형식(스키마 0002)" in str(refused.value) and "쓰기로 한 번 열면" in str(refused.value)
    assert _sha256(db) == before  # refused, not upgraded
    with closing(sqlite3.connect(db)) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [("0002",)]
        old_counts = {
            name: raw.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name in metadata.tables
            if name in {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        }
        titles = [row[0] for row in raw.execute("SELECT title FROM program ORDER BY id")]

    writer = open_engine(db)  # opening for writing upgrades it
    assert schema_version(writer) == head_revision()
    old = load_report(writer, 2024)
    assert old is not None and len(list(old.programs())) == 6
    assert sorted(p.title for p in old.programs()) == sorted(titles)
    assert len({p.uid for p in old.programs()}) == 6 and all(p.uid for p in old.programs())
    counts = row_counts(writer)
    assert counts == {name: old_counts[name] for name in counts}
    with writer.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    writer.dispose()
    reader = create_engine_for(db, read_only=True)  # now readable as it is
    try:
        assert load_report(reader, 2024) == old
        assert [p.uid for p in load_report(reader, 2024).programs()] == [p.uid for p in old.programs()]  # type: ignore[union-attr]
    finally:
        reader.dispose()


def test_read_only_refuses_a_schema_older_than_it_can_read(tmp_db: Path, open_engine: OpenEngine) -> None:
    migrate_to(open_engine(tmp_db, migrate=False), "0001")
    before = _sha256(tmp_db)
    with pytest.raises(StoreError) as caught:
        create_engine_for(tmp_db, read_only=True)
    assert caught.value.code == "store-upgrade-needed"
    assert "이전 형식(스키마 0001)" in str(caught.value) and "쓰기로 한 번 열면" in str(caught.value)
    assert _sha256(tmp_db) == before
    assert schema_version(open_engine(tmp_db, migrate=False)) == "0001"


@pytest.mark.parametrize("journal", ["delete", "wal"])
@pytest.mark.parametrize("read_only", [True, False])
def test_another_programs_sqlite_file_is_refused_and_left_untouched(
    tmp_path: Path, journal: str, read_only: bool
) -> None:
    other = tmp_path / "가계부.sqlite"
    with closing(sqlite3.connect(other)) as raw:
        raw.execute(f"PRAGMA journal_mode={journal}")
        with raw:
            raw.execute("CREATE TABLE expense (day TEXT, amount INTEGER)")
            raw.execute("INSERT INTO expense VALUES ('2024-01-02', 12000)")
    assert _beside(other) == set()  # closed cleanly: no -wal/-shm left by the maker
    before = _sha256(other)

    with pytest.raises(StoreError) as caught:
        create_engine_for(other, read_only=read_only)
    message = str(caught.value)
    assert caught.value.code == "store-foreign"
    assert "seri-desktop 보고서 데이터베이스가 아닙니다" in message and "expense" in message
    assert str(other) in message
    assert _sha256(other) == before
    assert _beside(other) == set()  # no -wal, -shm or -journal created


def test_a_report_database_with_tables_of_another_program_is_refused(tmp_db: Path, open_engine: OpenEngine) -> None:
    open_engine(tmp_db).dispose()
    with closing(sqlite3.connect(tmp_db)) as raw, raw:
        raw.execute("CREATE TABLE notes (text TEXT)")
    before = _sha256(tmp_db)
    for read_only in (True, False):
        with pytest.raises(StoreError, match="모르는 표: notes"):
            create_engine_for(tmp_db, read_only=read_only)
    assert _sha256(tmp_db) == before


def test_read_only_on_an_empty_file_says_so_and_leaves_it(tmp_db: Path) -> None:
    tmp_db.write_bytes(b"")
    with pytest.raises(StoreError, match="비어 있습니다") as caught:
        create_engine_for(tmp_db, read_only=True)
    assert caught.value.code == "store-empty"
    assert tmp_db.read_bytes() == b""
    assert _beside(tmp_db) == set()


def test_read_only_on_a_file_that_is_not_sqlite_leaves_it(tmp_db: Path) -> None:
    garbage = b"PK\x03\x04 not a database" * 100
    tmp_db.write_bytes(garbage)
    with pytest.raises(StoreError, match="SQLite 데이터베이스가 아닙니다"):
        create_engine_for(tmp_db, read_only=True)
    assert tmp_db.read_bytes() == garbage
    assert _beside(tmp_db) == set()


def test_write_commands_migrate_read_commands_do_not(tmp_path: Path, report_2024_path: Path) -> None:
    # The same refusal from the command line: a read command on an unmigrated file.
    other = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(other)) as raw, raw:
        raw.execute("CREATE TABLE expense (amount INTEGER)")
    before = _sha256(other)
    for command in (["info"], ["check"], ["export-text", "-o", str(tmp_path / "out.txt")], ["review"], ["audit"]):
        done = _cli(*command, "--db", str(other))
        assert done.returncode == 2, (command, done.stderr)
        assert "seri-desktop 보고서 데이터베이스가 아닙니다" in done.stderr
        assert "Traceback" not in done.stderr
    assert _sha256(other) == before
    assert _beside(other) == set()


# --- the cheap schema-version check ----------------------------------------------------------------------


def _cli(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "seri_desktop", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


_IMPORTED = """
import sys
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report
engine = create_engine_for(sys.argv[1], read_only=sys.argv[2] == "read")
load_report(engine)
print(",".join(sorted({name.split(".")[0] for name in sys.modules} & {"alembic", "mako"})) or "-")
"""

_CLI_IMPORTED = """
import sys
from seri_desktop.cli import main
status = main(sys.argv[1:])
print("IMPORTED:" + (",".join(sorted({name.split(".")[0] for name in sys.modules} & {"alembic", "mako"})) or "-"))
"""


def test_opening_a_current_database_never_loads_alembic(tmp_db: Path, open_engine: OpenEngine) -> None:
    fresh = tmp_db.with_name("fresh.sqlite")
    # A new file gets its tables from the metadata and the head stamped: no migration scripts either.
    assert _cli(str(fresh), "write", code=_IMPORTED).stdout.strip() == "-"
    with closing(sqlite3.connect(fresh)) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD_REVISION,)]
    open_engine(tmp_db).dispose()
    for mode in ("write", "read"):
        done = _cli(str(tmp_db), mode, code=_IMPORTED)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "-", mode
    old = tmp_db.with_name("old.sqlite")
    shutil.copyfile(OLD_FILE, old)
    refused = _cli(str(old), "read", code=_IMPORTED)  # older than READABLE_SINCE: refused, never migrated
    assert refused.returncode != 0 and "store" in refused.stderr and refused.stdout.strip() == ""
    assert _cli(str(old), "write", code=_IMPORTED).stdout.strip() == "alembic,mako"  # upgraded
    assert _cli(str(old), "read", code=_IMPORTED).stdout.strip() == "-"  # then read as it is


def test_info_on_a_current_database_never_loads_alembic(tmp_path: Path, report_2024_path: Path) -> None:
    db = tmp_path / "2024.sqlite"
    assert _cli("import-text", str(report_2024_path), "--db", str(db)).returncode == 0
    done = _cli("info", "--db", str(db), code=_CLI_IMPORTED)
    assert done.returncode == 0, done.stderr
    assert "사업 33개" in done.stdout
    assert done.stdout.strip().endswith("IMPORTED:-")


def test_the_revision_list_ends_at_the_head() -> None:
    assert REVISIONS[-1] == HEAD_REVISION == head_revision()
    assert READABLE_SINCE in REVISIONS
