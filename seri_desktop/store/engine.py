"""The one engine factory: a SQLite file (the default, offline) or a PostgreSQL server (shared, online).

Every database gets its own engine from :func:`create_engine_for`; there is
no module-level engine, so the UI can open, close and switch databases
freely. A target is a file path or a ``postgresql+psycopg://`` URL; any other
scheme, and anything that looks like a URL, is refused before a file could be
created from it.

SQLite details handled here once for every caller:

* pragmas (WAL, foreign keys, synchronous, busy timeout) are per connection,
  so a ``connect`` listener sets them on every pooled connection;
* Python's ``sqlite3`` (before 3.12's ``autocommit``) only emits ``BEGIN``
  before DML, so a SELECT followed by writes is not one transaction and DDL is
  not transactional. The engine takes over: the driver is put in autocommit
  mode and a ``begin`` listener emits ``BEGIN`` itself (the recipe from the
  SQLAlchemy SQLite docs). A connection with the execution option
  ``seri_begin="IMMEDIATE"`` takes the write lock at ``BEGIN``, which lets the
  busy timeout queue concurrent writers instead of failing them mid-way.

PostgreSQL gets a pool with pre-ping (a server restart or a dropped network
link costs a reconnect, not an error), a connect timeout, and in place of
``BEGIN IMMEDIATE`` a transaction-scoped advisory lock taken first in every
write transaction: writers queue one at a time exactly as on SQLite, at READ
COMMITTED, so a writer that waited sees what the one before it committed
(two first saves of the same year: the second finds the report and says so,
instead of failing on the unique key). Reads run REPEATABLE READ and READ
ONLY: one snapshot for the whole load, like a SQLite read transaction. The
password (from the URL or libpq's ``PGPASSWORD``) is never part of a message:
the target is always shown rendered with ``hide_password``.

Opening inspects the database first, cheaply and without changing it: one
query for its tables and its stamped revision, compared with
:data:`~seri_desktop.store.migrations.HEAD_REVISION`. Alembic is imported
only when an upgrade is needed: a new (empty) database gets its tables from
the metadata and the head stamped, which the scripts would make the same
(``tests/store/test_store_structure.py``) in a fraction of the time. A database of another program (tables but no
revision, or tables this program does not know), a schema newer than this
program, or a file that is not SQLite is refused and left untouched, and a
read-only open (``read_only=True``) never migrates, never switches a file to
WAL and never creates anything; it reads an older schema as long as it is
:data:`~seri_desktop.store.migrations.READABLE_SINCE` or newer.

For tests only, ``SERI_FAULT_KILL_AT=N`` makes the process kill itself
(SIGKILL, no clean-up of any kind) at the N-th SQL statement it runs inside
write transactions, and ``SERI_FAULT_COUNT_FILE=path`` writes at exit how many
such statements it ran, so a test can kill a real command at every point of
its write transaction (:func:`_install_fault_injection`). Neither is ever set
outside the tests.

Everything that can go wrong when opening (not a database, unreachable
server, wrong password, newer schema, failed migration) is raised as
:class:`StoreError` with a Korean message naming the file or server, so the
UI needs to catch one type.
"""

from __future__ import annotations

import atexit
import enum
import json
import os
import re
import signal
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    URL,
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    create_engine,
    event,
    make_url,
    text,
)
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from seri_desktop.errors import UserError
from seri_desktop.store.migrations import HEAD_REVISION, READABLE_SINCE, REVISIONS, migrations_dir
from seri_desktop.store.target_kind import URL_LIKE, is_file_path

if TYPE_CHECKING:
    from alembic.config import Config

POSTGRES_SCHEME = "postgresql+psycopg"
BUSY_TIMEOUT_MS = 5000
MIGRATION_LOCK_TIMEOUT_MS = 60_000  # a migration may wait for another process's (longer) migration
CONNECT_TIMEOUT_S = 10
# The advisory lock key every write transaction takes on PostgreSQL ("SERI" in ASCII, then 1).
WRITE_LOCK_KEY = 0x5345_5249_0000_0001

BEGIN_OPTION = "seri_begin"
# The connection info key marking a write transaction (what fault injection counts).
WRITING_INFO = "seri_writing"
FAULT_KILL_AT_VARIABLE = "SERI_FAULT_KILL_AT"
FAULT_COUNT_FILE_VARIABLE = "SERI_FAULT_COUNT_FILE"
# Engine execution options set by the factory: the target for messages, and a read-only mark.
TARGET_OPTION = "seri_target"
READ_ONLY_OPTION = "seri_read_only"

_BEGIN_MODES = frozenset({"DEFERRED", "IMMEDIATE", "EXCLUSIVE"})
_SQLITE_HEADER = b"SQLite format 3\x00"
_PASSWORD_IN_URL = re.compile(r"(//[^/:@]*:)[^@/]*@")

Target = Path | URL


class StoreError(UserError):
    """A store failure to show the user as is: the message is Korean and says what to do."""

    default_code = "store"


# --- targets -----------------------------------------------------------------------------------------


def parse_target(target: Path | str | URL) -> Target:
    """A file path or a ``postgresql+psycopg://`` URL; anything else is a :class:`StoreError`.

    A string with a scheme (``name://`` or ``name:/``) is a URL, never a file
    name, so a mistyped or unsupported URL can never become a local file.
    """
    if isinstance(target, URL):
        url = target
    else:
        raw = str(target)
        if is_file_path(raw):
            return Path(target)
        if isinstance(target, Path) or URL_LIKE.match(raw) is None:
            raise StoreError(
                f"'{_hide_password(raw)}' 은(는) 파일 경로도, 읽을 수 있는 데이터베이스 주소도 아닙니다. "
                f"데이터베이스 파일 경로나 {POSTGRES_SCHEME}://사용자@호스트/데이터베이스 주소를 지정하십시오."
            )
        try:
            url = make_url(raw)
        except (ArgumentError, ValueError) as exc:
            raise StoreError(
                f"데이터베이스 주소 '{_hide_password(raw)}' 를 읽을 수 없습니다. "
                f"{POSTGRES_SCHEME}://사용자@호스트:포트/데이터베이스 형식으로 쓰십시오."
            ) from exc
    if url.drivername != POSTGRES_SCHEME:
        hint = ""
        if url.drivername.startswith("sqlite"):
            hint = " SQLite 파일은 주소 없이 파일 경로로 지정하십시오."
        elif url.drivername.startswith("postgres"):
            hint = f" PostgreSQL은 {POSTGRES_SCHEME}:// 로 시작하는 주소로 쓰십시오(드라이버 psycopg)."
        raise StoreError(
            f"'{url.drivername}' 주소는 쓸 수 없습니다. 데이터베이스 파일 경로나 "
            f"{POSTGRES_SCHEME}://사용자@호스트/데이터베이스 주소를 지정하십시오.{hint}"
        )
    if "password" in url.query:
        # libpq takes a password from the query too, where hide_password would not hide it.
        given = url.query["password"]
        url = url.difference_update_query(["password"]).set(password=given if isinstance(given, str) else given[-1])
    if not url.database:
        raise StoreError(
            f"'{url.render_as_string(hide_password=True)}' 에 데이터베이스 이름이 없습니다. "
            f"{POSTGRES_SCHEME}://사용자@호스트/데이터베이스 형식으로 쓰십시오."
        )
    return url


def describe_target(target: Target) -> str:
    """The target for messages and logs: a path as it is, a URL without its password."""
    return target.render_as_string(hide_password=True) if isinstance(target, URL) else str(target)


def without_password(url: URL) -> URL:
    """``url`` with no password at all (not even ``***``): what may be written down or reused later."""
    return URL.create(url.drivername, url.username, None, url.host, url.port, url.database, url.query)


def target_text(target: Target) -> str:
    """The target as it may be kept (settings, recent files): a path as it is, a URL with no password in it.

    :func:`parse_target` reads it back; the password then comes from the
    environment (``PGPASSWORD``) or from the person again.
    """
    if isinstance(target, URL):
        return without_password(target).render_as_string(hide_password=False)
    return str(target)


# --- opening -----------------------------------------------------------------------------------------


def create_engine_for(
    target: Path | str | URL, *, migrate: bool = True, read_only: bool = False, must_exist: bool = False
) -> Engine:
    """An engine on a SQLite file or a PostgreSQL database; raises :class:`StoreError`.

    A missing SQLite file is created (with its folder) unless ``must_exist``.
    With ``migrate`` the schema is brought to the newest revision when it is
    not already there; without it the schema is left as it is. A database of
    another program or from a newer program is refused either way.

    ``read_only`` opens for reading only and implies ``must_exist`` and no
    migration: nothing is created or changed (a SQLite file is opened with
    ``mode=ro`` and ``query_only``; PostgreSQL sessions are read-only), and a
    schema older than :data:`READABLE_SINCE` is refused with a message saying
    that opening it for writing upgrades it.
    """
    parsed = parse_target(target)
    if isinstance(parsed, URL):
        return _open_postgres(parsed, migrate=migrate and not read_only, read_only=read_only)
    return _open_sqlite(
        parsed, migrate=migrate and not read_only, read_only=read_only, must_exist=must_exist or read_only
    )


def schema_version(engine: Engine) -> str | None:
    """The Alembic revision stamped in the database, or ``None`` for an unmigrated one."""
    try:
        with engine.connect() as conn:
            return _read_schema(conn).revision
    except SQLAlchemyError as exc:
        raise StoreError(f"'{database_path(engine)}' 의 스키마 버전을 읽지 못했습니다: {_detail(exc, engine)}") from exc


def head_revision() -> str:
    """The newest revision among this program's migration scripts."""
    return HEAD_REVISION


def database_path(engine: Engine) -> str:
    """The file or server an engine opens, for messages (a URL never shows its password)."""
    described = engine.get_execution_options().get(TARGET_OPTION)
    return str(described) if described else engine.url.render_as_string(hide_password=True)


def is_read_only(engine: Engine) -> bool:
    """Whether the engine was opened with ``read_only=True``."""
    return bool(engine.get_execution_options().get(READ_ONLY_OPTION, False))


def alembic_config() -> Config:
    """An Alembic config for this program's scripts, without an ``alembic.ini``."""
    from alembic.config import Config

    config = Config()
    # ConfigParser interpolation would eat a '%' in the install path.
    config.set_main_option("script_location", str(migrations_dir()).replace("%", "%%"))
    return config


def migrate_to(engine: Engine, revision: str) -> None:
    """Upgrade or downgrade the schema to ``revision`` (``"head"``, ``"base"``: none) in one transaction.

    For tools and tests (opening a database upgrades it by itself). On SQLite
    foreign keys are off while the scripts run, as SQLite's procedure for
    rebuilding tables requires, and checked before the commit.
    """
    if revision not in ("head", "base", *REVISIONS):
        raise StoreError(f"모르는 스키마 버전입니다: {revision}")
    _migrate(engine, revision, only_if_needed=False)


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """One transaction on ``engine``; writes take the database's write lock first.

    Every read and write of the store runs inside one of these, so a failure
    anywhere leaves the database as it was. On SQLite a write begins with
    ``BEGIN IMMEDIATE``; on PostgreSQL it takes the advisory write lock
    (:data:`WRITE_LOCK_KEY`) and a read is one read-only snapshot. Both wait
    up to :data:`BUSY_TIMEOUT_MS` for another writer. SQLAlchemy errors become
    Korean :class:`StoreError`\\ s naming the file or server.
    """
    if write and is_read_only(engine):
        raise StoreError(f"'{database_path(engine)}' 데이터베이스를 읽기 전용으로 열었습니다. 저장할 수 없습니다.")
    postgres = engine.dialect.name == "postgresql"
    try:
        with engine.connect() as conn:
            if postgres and not write:
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            elif write and not postgres:
                conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                if write and postgres:
                    _take_write_lock(conn, BUSY_TIMEOUT_MS)
                conn.info[WRITING_INFO] = write
                try:
                    yield conn
                finally:
                    conn.info.pop(WRITING_INFO, None)
    except SQLAlchemyError as exc:
        raise _store_error(exc, engine, "저장하지" if write else "읽지") from exc


# --- fault injection (tests only) ---------------------------------------------------------------------


class _FaultCounter:
    """Counts the statements of write transactions; kills the process at the configured one."""

    def __init__(self, kill_at: int | None, count_file: str | None) -> None:
        self.kill_at = kill_at
        self.count = 0
        if count_file:
            atexit.register(lambda: Path(count_file).write_text(str(self.count), encoding="utf-8"))

    def __call__(self, conn: Connection, *args: Any) -> None:
        if not conn.info.get(WRITING_INFO):
            return
        self.count += 1
        if self.kill_at is not None and self.count >= self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


_FAULTS: _FaultCounter | None = None


def _install_fault_injection(engine: Engine) -> None:
    """With ``SERI_FAULT_KILL_AT`` or ``SERI_FAULT_COUNT_FILE`` set (tests only), count or kill (module docstring)."""
    global _FAULTS
    kill_at = os.environ.get(FAULT_KILL_AT_VARIABLE, "").strip()
    count_file = os.environ.get(FAULT_COUNT_FILE_VARIABLE, "").strip()
    if not kill_at and not count_file:
        return
    if _FAULTS is None:
        _FAULTS = _FaultCounter(int(kill_at) if kill_at.isdigit() else None, count_file or None)
    event.listen(engine, "before_cursor_execute", _FAULTS)


# --- schema state ------------------------------------------------------------------------------------


class _State(enum.Enum):
    EMPTY = "empty"  # no tables (a new file or database, or everything downgraded)
    CURRENT = "current"
    OLDER = "older"
    NEWER = "newer"
    FOREIGN = "foreign"  # some other program's tables


@dataclass(frozen=True)
class _Schema:
    revision: str | None
    tables: frozenset[str]

    @property
    def foreign_tables(self) -> list[str]:
        return sorted(self.tables - _known_tables())

    @property
    def state(self) -> _State:
        if self.revision is None:
            return _State.EMPTY if not self.tables - {"alembic_version"} else _State.FOREIGN
        if self.revision not in REVISIONS:
            return _State.NEWER
        if self.foreign_tables:
            return _State.FOREIGN
        return _State.CURRENT if self.revision == HEAD_REVISION else _State.OLDER


def _known_tables() -> frozenset[str]:
    # Imported here: building the tables' metadata is work a refusal does not need.
    from seri_desktop.store.tables import metadata

    return frozenset(metadata.tables) | {"alembic_version"}


def _refuse(schema: _Schema, where: str, *, read_only: bool) -> None:
    """Raise the user's message for a database this open must not use; return if it may."""
    state = schema.state
    if state is _State.NEWER:
        raise StoreError(
            f"'{where}' 데이터베이스는 이 프로그램보다 새로운 버전에서 만들어졌습니다"
            f"(스키마 {schema.revision}). 프로그램을 최신 버전으로 업데이트하십시오."
        )
    if state is _State.FOREIGN:
        shown = ", ".join(schema.foreign_tables[:5]) + (" …" if len(schema.foreign_tables) > 5 else "")
        raise StoreError(
            f"'{where}' 은(는) seri-desktop 보고서 데이터베이스가 아닙니다(이 프로그램이 모르는 표: {shown}). "
            "아무것도 바꾸지 않았습니다. 보고서 데이터베이스를 선택하십시오.",
            code="store-foreign",
        )
    if not read_only:
        return
    if state is _State.EMPTY:
        raise StoreError(
            f"'{where}' 은(는) 비어 있습니다: 보고서 데이터베이스가 아닙니다. 먼저 보고서를 가져오십시오(import-text).",
            code="store-empty",
        )
    if state is _State.OLDER and REVISIONS.index(schema.revision or "") < REVISIONS.index(READABLE_SINCE):
        raise StoreError(
            f"'{where}' 데이터베이스는 이전 형식(스키마 {schema.revision})이라 읽기만 하는 명령으로는 열 수 없습니다. "
            "읽기 명령은 데이터베이스를 바꾸지 않습니다. 쓰기로 한 번 열면(프로그램 창, import-xlsx, merge 등) "
            f"새 형식(스키마 {HEAD_REVISION})으로 바뀝니다.",
            code="store-upgrade-needed",
        )


def _read_schema(conn: Connection) -> _Schema:
    if conn.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    else:
        query = "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
    tables = frozenset(str(name) for name in conn.execute(text(query)).scalars())
    revision = None
    if "alembic_version" in tables:
        revision = _one_revision(
            [str(v) for v in conn.execute(text("SELECT version_num FROM alembic_version")).scalars()]
        )
    return _Schema(revision, tables)


def _one_revision(rows: list[str]) -> str | None:
    # More than one row means branches this program never makes: not a schema it knows.
    return None if not rows else rows[0] if len(rows) == 1 else "+".join(sorted(rows))


# --- SQLite ----------------------------------------------------------------------------------------------


def _open_sqlite(path: Path, *, migrate: bool, read_only: bool, must_exist: bool) -> Engine:
    db_path = path.expanduser().absolute()
    where = str(db_path)
    if db_path.is_dir():
        raise StoreError(f"'{db_path}' 은(는) 폴더입니다. 데이터베이스 파일 경로를 지정하십시오.")
    exists = db_path.exists()
    if not exists and must_exist:
        raise StoreError(f"데이터베이스 파일이 없습니다: {db_path}", code="store-missing")
    schema = _probe_sqlite(db_path) if exists else _Schema(None, frozenset())
    _refuse(schema, where, read_only=read_only)
    if not exists:
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"'{db_path.parent}' 폴더를 만들 수 없습니다: {exc}") from exc

    if read_only:
        # mode=ro: SQLite itself refuses every write; query_only (in the connect listener) says it twice.
        url = URL.create("sqlite", database=db_path.as_uri(), query={"mode": "ro", "uri": "true"})
    else:
        # URL.create rather than an f-string: Windows paths, '#', '?' and Korean
        # folder names must not be parsed as URL syntax.
        url = URL.create("sqlite", database=str(db_path))
    options: dict[str, Any] = {TARGET_OPTION: where}
    if read_only:
        options[READ_ONLY_OPTION] = True
    engine = create_engine(
        url,
        # Keep Korean text readable in the JSON columns (layout, tables).
        json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False),
        execution_options=options,
    )
    event.listen(engine, "connect", _connect_listener(read_only=read_only))
    event.listen(engine, "begin", _on_begin)
    _install_fault_injection(engine)
    return _opened(engine, schema, migrate, lambda: _check_opens(engine, db_path))


def _probe_sqlite(db_path: Path) -> _Schema:
    """Tables and revision of an existing file, read without changing it or creating anything beside it."""
    try:
        with db_path.open("rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise StoreError(f"'{db_path}' 파일을 읽을 수 없습니다: {exc}") from exc
    if not header:
        return _Schema(None, frozenset())  # an empty file is an empty database to SQLite
    if not header.startswith(_SQLITE_HEADER):
        raise _not_sqlite(db_path)
    # A file in WAL mode whose -wal is gone was closed cleanly: the file alone is the
    # whole database, and `immutable` reads it without creating -wal/-shm beside it.
    # With a -wal present someone may be writing, so read it properly (it exists already).
    wal_mode = len(header) > 19 and header[18] == 2 and header[19] == 2
    mode = "immutable=1" if wal_mode and not Path(f"{db_path}-wal").exists() else "mode=ro"
    try:
        with closing(sqlite3.connect(f"{db_path.as_uri()}?{mode}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)) as raw:
            tables = frozenset(
                str(row[0])
                for row in raw.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                )
            )
            rows = (
                raw.execute("SELECT version_num FROM alembic_version").fetchall() if "alembic_version" in tables else []
            )
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise _not_sqlite(db_path) from exc
        if "malformed" in str(exc):
            raise StoreError(f"'{db_path}' 데이터베이스 파일이 손상되었습니다: {exc}.", code="store-damaged") from exc
        raise StoreError(f"'{db_path}' 데이터베이스를 열 수 없습니다: {exc}.{_busy_hint(str(exc))}") from exc
    return _Schema(_one_revision([str(row[0]) for row in rows]), tables)


def _not_sqlite(db_path: Path) -> StoreError:
    return StoreError(
        f"'{db_path}' 파일은 SQLite 데이터베이스가 아닙니다. 보고서 데이터베이스 파일을 선택하십시오.",
        code="store-not-sqlite",
    )


def _connect_listener(*, read_only: bool) -> Callable[[Any, Any], None]:
    """The ``connect`` listener setting the pragmas on every new connection."""
    # busy_timeout first, so switching to WAL waits for a lock held by another
    # process instead of failing at once.
    pragmas = [f"busy_timeout={BUSY_TIMEOUT_MS}"]
    if read_only:
        # Never journal_mode here: switching to WAL writes the file's header.
        pragmas.append("query_only=ON")
    else:
        # synchronous=NORMAL is safe with WAL (no corruption on power loss, at
        # worst the last commit is lost) and much faster.
        pragmas += ["journal_mode=WAL", "synchronous=NORMAL"]
    # foreign_keys is a no-op inside a transaction; here none is open yet.
    pragmas.append("foreign_keys=ON")

    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        # Hand BEGIN over to _on_begin (see the module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in pragmas:
                cursor.execute(f"PRAGMA {pragma}")
        finally:
            cursor.close()

    return on_connect


def _on_begin(conn: Connection) -> None:
    mode = str(conn.get_execution_options().get(BEGIN_OPTION, "DEFERRED")).upper()
    if mode not in _BEGIN_MODES:
        raise ValueError(f"unknown {BEGIN_OPTION} mode: {mode}")
    conn.exec_driver_sql(f"BEGIN {mode}")


def _check_opens(engine: Engine, db_path: Path) -> None:
    # The first connection runs the pragmas (and so switches a new file to WAL).
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except (SQLAlchemyError, sqlite3.Error) as exc:
        orig = exc.orig if isinstance(exc, DBAPIError) else exc
        if isinstance(orig, sqlite3.DatabaseError) and "not a database" in str(orig):
            raise _not_sqlite(db_path) from exc
        raise StoreError(f"'{db_path}' 데이터베이스를 열 수 없습니다: {orig}.{_busy_hint(str(orig))}") from exc


@contextmanager
def prepared_for_migration(conn: Connection) -> Iterator[Connection]:
    """``conn`` made ready to run migration scripts on, before its transaction begins.

    On SQLite: foreign keys off (batch migrations rebuild a table by copy, drop
    and rename, and with foreign keys on SQLite's DROP TABLE deletes every
    child row by cascade: SQLite's own procedure turns them off outside the
    transaction and checks them before commit) and the write lock at BEGIN.
    Nothing is needed on PostgreSQL. Foreign keys are on again afterwards.
    """
    if conn.dialect.name != "sqlite":
        yield conn
        return
    _set_foreign_keys(conn, on=False)
    try:
        # IMMEDIATE: two windows opening the same fresh file must not both migrate it.
        yield conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
    finally:
        _set_foreign_keys(conn, on=True)


def _set_foreign_keys(conn: Connection, on: bool) -> None:
    # Straight to the driver: through SQLAlchemy the statement would begin a
    # transaction, inside which SQLite ignores this pragma.
    driver = conn.connection.driver_connection
    if driver is not None:
        driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


# --- PostgreSQL --------------------------------------------------------------------------------------


def _open_postgres(url: URL, *, migrate: bool, read_only: bool) -> Engine:
    where = describe_target(url)
    try:
        import psycopg  # noqa: F401  (only to tell a missing extra apart from a server problem)
    except ImportError as exc:
        raise StoreError(
            f"'{where}' 에 연결하려면 PostgreSQL 드라이버(psycopg)가 필요합니다: pip install 'seri-desktop[postgres]'"
        ) from exc
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    if "application_name" not in url.query:
        connect_args["application_name"] = "seri-desktop"
    options: dict[str, Any] = {TARGET_OPTION: where}
    if read_only:
        options |= {READ_ONLY_OPTION: True, "postgresql_readonly": True}
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
        pool_timeout=30,
        # Servers and firewalls drop idle connections; pre-ping notices, recycling avoids most.
        pool_recycle=1800,
        connect_args=connect_args,
        json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False),
        execution_options=options,
    )
    _install_fault_injection(engine)
    def check() -> _Schema:
        try:
            with engine.connect() as conn:
                found = _read_schema(conn)
        except SQLAlchemyError as exc:
            raise _store_error(exc, engine, "열지") from exc
        _refuse(found, where, read_only=read_only)
        return found

    return _opened(engine, None, migrate, check)


def _opened(engine: Engine, schema: _Schema | None, migrate: bool, check: Callable[[], _Schema | None]) -> Engine:
    """``engine`` once ``check`` passed (it may read the schema), brought to the head when empty or older.

    Any failure disposes of the engine, so a refused open leaves no pool behind.
    """
    try:
        schema = check() or schema
        if migrate and schema is not None and schema.state in (_State.EMPTY, _State.OLDER):
            _migrate(engine, "head", only_if_needed=True, direct=True)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _take_write_lock(conn: Connection, timeout_ms: int) -> None:
    # SET LOCAL ends with the transaction, so a pooled connection keeps no timeout of ours.
    conn.execute(text(f"SET LOCAL lock_timeout = {int(timeout_ms)}"))
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


# --- migrations --------------------------------------------------------------------------------------


def _migrate(engine: Engine, revision: str, *, only_if_needed: bool, direct: bool = False) -> None:
    """Bring the schema to ``revision`` on one connection, in one write transaction.

    With ``direct`` an empty database at ``revision="head"`` gets the tables created from
    the metadata and the head stamped (:func:`_create_current`), without Alembic; anything
    else runs the migration scripts (Alembic imported only then).
    """
    where = database_path(engine)
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as raw_conn, prepared_for_migration(raw_conn) as conn, conn.begin():
            if not sqlite:
                _take_write_lock(conn, MIGRATION_LOCK_TIMEOUT_MS)
            # Checked again under the lock: another process may have migrated meanwhile.
            schema = _read_schema(conn)
            _refuse(schema, where, read_only=False)
            if only_if_needed and schema.state is _State.CURRENT:
                return
            if direct and revision == "head" and schema.state is _State.EMPTY:
                _create_current(conn)
            else:
                _run_scripts(conn, schema, revision, where)
            if sqlite:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StoreError(f"'{where}' 데이터베이스를 새 형식으로 바꾸던 중 참조가 깨졌습니다: {broken[:3]}")
    except StoreError:
        raise
    except (SQLAlchemyError, sqlite3.Error) as exc:
        detail = _detail(exc, engine)
        if isinstance(exc, SQLAlchemyError) and _is_lock_timeout(exc):
            raise _store_error(exc, engine, "새 형식으로 바꾸지") from exc
        raise StoreError(f"'{where}' 데이터베이스를 새 형식으로 바꾸지 못했습니다: {detail}") from exc


def _run_scripts(conn: Connection, schema: _Schema, revision: str, where: str) -> None:
    """Alembic's upgrade or downgrade from ``schema`` to ``revision`` on ``conn`` (inside its transaction)."""
    from alembic import command
    from alembic.util import CommandError

    config = alembic_config()
    # env.py runs on this connection, so the check before and the whole
    # migration are one transaction (DDL is transactional on both engines).
    config.attributes["connection"] = conn
    current = REVISIONS.index(schema.revision) if schema.revision in REVISIONS else -1
    wanted = REVISIONS.index(HEAD_REVISION if revision == "head" else revision) if revision != "base" else -1
    try:
        if wanted > current:
            command.upgrade(config, revision)
        elif wanted < current:
            command.downgrade(config, revision)
    except CommandError as exc:
        raise StoreError(f"'{where}' 데이터베이스를 새 형식으로 바꾸지 못했습니다: {exc}") from exc


# Alembic's own version table, as ``alembic stamp`` creates it (a test compares the two).
_VERSION_METADATA = MetaData()
_ALEMBIC_VERSION = Table(
    "alembic_version",
    _VERSION_METADATA,
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def _create_current(conn: Connection) -> None:
    """A new database at the head: the tables from the metadata, and the head stamped.

    The same schema the scripts build (``tests/store/test_store_structure.py``
    compares the two on both engines), for a fraction of the time: a new
    database is what ``import-text`` into a new file makes every time.
    """
    from seri_desktop.store.tables import metadata

    metadata.create_all(conn)
    _ALEMBIC_VERSION.create(conn, checkfirst=True)  # a database downgraded to base keeps the table
    conn.execute(_ALEMBIC_VERSION.delete())
    conn.execute(_ALEMBIC_VERSION.insert().values(version_num=HEAD_REVISION))


# --- errors --------------------------------------------------------------------------------------------


def _hide_password(raw: str) -> str:
    return _PASSWORD_IN_URL.sub(r"\1***@", raw)


def _detail(exc: BaseException, engine: Engine) -> str:
    """The driver's own message, without a password even if some driver echoed one."""
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    detail = " ".join(str(orig).split())
    password = engine.url.password
    if password:
        detail = detail.replace(str(password), "***")
    return _hide_password(detail)


def _busy_hint(detail: str) -> str:
    return " 다른 프로그램이 이 파일을 쓰고 있습니다. 잠시 후 다시 하십시오." if "locked" in detail else ""


def _is_lock_timeout(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) == "55P03"


def _store_error(exc: SQLAlchemyError, engine: Engine, action: str) -> StoreError:
    """A Korean :class:`StoreError` for a failed open, read or write, naming the file or server."""
    where = database_path(engine)
    detail = _detail(exc, engine)
    if engine.dialect.name != "postgresql":
        return StoreError(f"'{where}' 데이터베이스를 {action} 못했습니다: {detail}.{_busy_hint(detail)}")
    low = detail.lower()
    if _is_lock_timeout(exc):
        return StoreError(
            f"'{where}' 데이터베이스를 {action} 못했습니다: 다른 사용자가 저장하고 있습니다. 잠시 후 다시 하십시오.",
            code="store-busy",
        )
    if getattr(getattr(exc, "orig", None), "sqlstate", None) == "42501":
        # insufficient_privilege: a grant, a row-level security policy or pg-setup's trigger said no.
        return StoreError(
            f"'{where}' 데이터베이스를 {action} 못했습니다: 서버가 사용자 '{engine.url.username}' 에게 이 변경을 "
            "허락하지 않습니다. 부서 사용자는 자기 부서의 사업과 업무 평가만 바꿀 수 있고, 보고서 구성·검토 상태·"
            f"일반 현황·변경 기록은 기획 부서만 다룹니다. 아무것도 바뀌지 않았습니다. ({detail})",
            code="store-denied",
        )
    if "password authentication failed" in low or "no password supplied" in low or "authentication failed" in low:
        return StoreError(
            f"'{where}' 에 연결하지 못했습니다: 사용자 이름이나 비밀번호가 맞지 않습니다. "
            "비밀번호는 주소에 넣거나 PGPASSWORD 환경 변수로 주십시오.",
            code="store-auth",
        )
    if re.search(r'database ".*" does not exist', low):
        return StoreError(
            f"'{where}' 에 연결하지 못했습니다: 서버에 '{engine.url.database}' 데이터베이스가 없습니다. "
            "데이터베이스 이름을 확인하거나 관리자에게 만들어 달라고 하십시오.",
            code="store-no-database",
        )
    if re.search(r'role ".*" does not exist', low):
        return StoreError(
            f"'{where}' 에 연결하지 못했습니다: 서버에 '{engine.url.username}' 사용자가 없습니다.", code="store-auth"
        )
    if "timeout expired" in low or "timed out" in low:
        return StoreError(
            f"'{where}' 서버가 제시간에 응답하지 않았습니다(연결 시간 초과). 서버 주소와 네트워크를 확인하십시오.",
            code="store-timeout",
        )
    if "connection failed" in low or "connection refused" in low or "could not translate host name" in low:
        return StoreError(
            f"'{where}' 서버에 연결할 수 없습니다. 서버 주소와 포트, 서버가 실행 중인지 확인하십시오. ({detail})",
            code="store-unreachable",
        )
    return StoreError(f"'{where}' 데이터베이스를 {action} 못했습니다: {detail}")
