"""The SQLite engine factory: pragmas, transaction control, migrations and readable errors.

Every database file gets its own engine from :func:`create_engine_for`; there
is no module-level engine, so the UI can open, close and switch files freely.

Two SQLite details are handled here once for every caller:

* pragmas (WAL, foreign keys, synchronous, busy timeout) are per connection,
  so a ``connect`` listener sets them on every pooled connection;
* Python's ``sqlite3`` (before 3.12's ``autocommit``) only emits ``BEGIN``
  before DML, so a SELECT followed by writes is not one transaction and DDL is
  not transactional. The engine takes over: the driver is put in autocommit
  mode and a ``begin`` listener emits ``BEGIN`` itself (the recipe from the
  SQLAlchemy SQLite docs). A connection with the execution option
  ``seri_begin="IMMEDIATE"`` takes the write lock at ``BEGIN``, which lets the
  busy timeout queue concurrent writers instead of failing them mid-way.

Everything that can go wrong when opening a file (not a database, a schema
newer than this program, a failed migration) is raised as :class:`StoreError`
with a Korean message naming the file, so the UI needs to catch one type.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from seri_desktop.errors import UserError
from seri_desktop.store.migrations import migrations_dir

BUSY_TIMEOUT_MS = 5000
BEGIN_OPTION = "seri_begin"
_BEGIN_MODES = frozenset({"DEFERRED", "IMMEDIATE", "EXCLUSIVE"})


class StoreError(UserError):
    """A store failure to show the user as is: the message is Korean and says what to do."""

    default_code = "store"


def create_engine_for(path: Path | str, *, migrate: bool = True) -> Engine:
    """An engine on the SQLite file ``path``, created (with its folder) if missing.

    With ``migrate`` the schema is brought to the newest revision (Alembic
    ``upgrade head``); without it the schema is left as it is, but a file from
    a newer program is still refused. Raises :class:`StoreError`.
    """
    db_path = Path(path).expanduser().absolute()
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"'{db_path.parent}' 폴더를 만들 수 없습니다: {exc}") from exc
    if db_path.is_dir():
        raise StoreError(f"'{db_path}' 은(는) 폴더입니다. 데이터베이스 파일 경로를 지정하십시오.")

    # URL.create rather than an f-string: Windows paths, '#', '?' and Korean
    # folder names must not be parsed as URL syntax.
    engine = create_engine(
        URL.create("sqlite", database=str(db_path)),
        # Keep Korean text readable in the JSON columns (layout, tables).
        json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False),
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    try:
        _check_opens(engine, db_path)
        if migrate:
            _upgrade(engine, db_path)
        else:
            with engine.connect() as conn:
                _refuse_unknown_revision(_current_revision(conn), db_path)
    except BaseException:
        engine.dispose()
        raise
    return engine


def schema_version(engine: Engine) -> str | None:
    """The Alembic revision stamped in the database, or ``None`` for an unmigrated file."""
    try:
        with engine.connect() as conn:
            return _current_revision(conn)
    except SQLAlchemyError as exc:
        raise StoreError(f"'{database_path(engine)}' 의 스키마 버전을 읽지 못했습니다: {exc}") from exc


def head_revision() -> str:
    """The newest revision among this program's migration scripts."""
    head = _script_directory().get_current_head()
    if head is None:
        raise StoreError(f"마이그레이션 스크립트가 없습니다: {migrations_dir()}")
    return head


def database_path(engine: Engine) -> str:
    """The file an engine opens, for messages."""
    return engine.url.database or "?"


def alembic_config() -> Config:
    """An Alembic config for this program's scripts, without an ``alembic.ini``."""
    config = Config()
    # ConfigParser interpolation would eat a '%' in the install path.
    config.set_main_option("script_location", str(migrations_dir()).replace("%", "%%"))
    return config


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """One transaction on ``engine``; writes take the write lock at BEGIN.

    Every read and write of the store runs inside one of these, so a failure
    anywhere leaves the database as it was. SQLAlchemy errors become Korean
    :class:`StoreError`s naming the file.
    """
    try:
        with engine.connect() as conn:
            if write:
                conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                yield conn
    except SQLAlchemyError as exc:
        detail = exc.orig if isinstance(exc, DBAPIError) else exc
        action = "저장하지" if write else "읽지"
        hint = ""
        if "locked" in str(detail):
            hint = " 다른 프로그램이 이 파일을 쓰고 있습니다. 잠시 후 다시 하십시오."
        raise StoreError(f"'{database_path(engine)}' 데이터베이스를 {action} 못했습니다: {detail}.{hint}") from exc


# --- internals ---------------------------------------------------------------------------------------


def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # Hand BEGIN over to _on_begin (see the module docstring).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # busy_timeout first, so switching to WAL waits for a lock held by
        # another process instead of failing at once.
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        # foreign_keys is a no-op inside a transaction; here none is open yet.
        cursor.execute("PRAGMA foreign_keys=ON")
        # Safe with WAL (no corruption on power loss, at worst the last commit is lost) and much faster.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _on_begin(conn: Connection) -> None:
    mode = str(conn.get_execution_options().get(BEGIN_OPTION, "DEFERRED")).upper()
    if mode not in _BEGIN_MODES:
        raise ValueError(f"unknown {BEGIN_OPTION} mode: {mode}")
    conn.exec_driver_sql(f"BEGIN {mode}")


def _is_not_a_database(exc: BaseException) -> bool:
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    return isinstance(orig, sqlite3.DatabaseError) and "not a database" in str(orig)


def _check_opens(engine: Engine, db_path: Path) -> None:
    # The first connection runs the pragmas, which is where SQLite notices a
    # file that is not a database; reading sqlite_master makes sure of it.
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except (SQLAlchemyError, sqlite3.Error) as exc:
        if _is_not_a_database(exc):
            raise StoreError(
                f"'{db_path}' 파일은 SQLite 데이터베이스가 아닙니다. 보고서 데이터베이스 파일을 선택하십시오."
            ) from exc
        raise StoreError(f"'{db_path}' 데이터베이스를 열 수 없습니다: {exc}") from exc


def _script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def _current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _refuse_unknown_revision(revision: str | None, db_path: Path) -> None:
    if revision is None:
        return
    known = {script.revision for script in _script_directory().walk_revisions()}
    if revision not in known:
        raise StoreError(
            f"'{db_path}' 데이터베이스는 이 프로그램보다 새로운 버전에서 만들어졌습니다"
            f"(스키마 {revision}). 프로그램을 최신 버전으로 업데이트하십시오."
        )


def _upgrade(engine: Engine, db_path: Path) -> None:
    config = alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    try:
        with engine.connect() as conn:
            # IMMEDIATE: two windows opening the same fresh file must not both migrate it.
            conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                current = _current_revision(conn)
                _refuse_unknown_revision(current, db_path)
                if current == head:
                    return
                # env.py runs on this connection, so the check above and the
                # whole upgrade are one transaction (SQLite DDL is transactional).
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
    except StoreError:
        raise
    except (SQLAlchemyError, sqlite3.Error, CommandError) as exc:
        raise StoreError(f"'{db_path}' 데이터베이스를 새 형식으로 바꾸지 못했습니다: {exc}") from exc
