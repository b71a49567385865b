"""A read-only load of a current SQLite file through the standard library's ``sqlite3``, without SQLAlchemy.

A command that only reads (``export-pdf``, ``export-text``, ``info``,
``check`` …) spends most of its start-up importing SQLAlchemy and SQLModel
(half a second on a busy two-core machine, more than the PDF floor of issue
17). For the common case, a SQLite file whose schema is this program's
newest, the report is read here instead: the same queries the store's
loader runs (:mod:`.content`), one per table inside one read transaction,
handed to the same assembly (:mod:`.assemble`), so the two loads give equal
reports (``tests/store/test_fastread.py`` compares them).

:func:`load_report_file` answers ``None`` whenever it is not sure, and the
caller opens the database the ordinary way, which then says what is wrong
in its own words: a file that is missing or not SQLite, another schema
revision (older, newer, another program's tables), a damaged row, any
SQLite error. So this module never refuses anything itself and never shows
a message.

The file is opened as the engine's probe opens it: ``mode=ro`` (or
``immutable`` for a WAL file closed cleanly), ``query_only``, nothing created
beside it.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any, Final

from seri_desktop.domain.model import Report
from seri_desktop.store import assemble
from seri_desktop.store.migrations import HEAD_REVISION

log = logging.getLogger(__name__)

# The tables the loader reads, and their columns SQLAlchemy converts on the way out, by the
# column's SQLAlchemy type (JSON decoded, Boolean as bool, Date as a date; SQL NULL stays None).
# tests/store/test_fastread.py checks this against the tables' metadata.
CONVERTED: Final[dict[str, dict[str, str]]] = {
    "report": {"as_of": "Date", "layout": "JSON"},
    "history_entry": {},
    "front_table": {"header_json": "JSON", "rows_json": "JSON"},
    "summary_row": {},
    "department": {"layout": "JSON"},
    "chapter": {"layout": "JSON"},
    "author_block": {},
    "author_entry": {},
    "listed_program": {},
    "program": {
        "layout": "JSON",
        "has_targets": "Boolean",
        "has_budget": "Boolean",
        "has_printed_total": "Boolean",
        "budget_as_of": "Date",
    },
    "target_row": {},
    "budget_line": {"notes_below": "Boolean"},
    "outline_item": {"table_json": "JSON"},
}
# The tables this program's schema has (at HEAD_REVISION); checked against the metadata by the same test.
# Any other table is another program's, and the ordinary open refuses the file.
SCHEMA_TABLES: Final[frozenset[str]] = frozenset(
    {
        *CONVERTED,
        "alembic_version",
        "audit_log",
        "exchange_department_key",
        "exchange_package",
        "exchange_package_info",
        "exchange_report",
        "exchange_submission",
        "review_comment",
        "review_item",
    }
)
_SQLITE_HEADER = b"SQLite format 3\x00"
_CHAPTERS = "SELECT id FROM chapter WHERE report_id = :report"
_PROGRAMS = f"SELECT id FROM program WHERE chapter_id IN ({_CHAPTERS})"
_BLOCKS = f"SELECT id FROM author_block WHERE chapter_id IN ({_CHAPTERS})"
_DEPARTMENTS = "SELECT id FROM department WHERE report_id = :report"


class _NotHere(Exception):
    """This file is not one to read here; the ordinary open decides what to say."""


def load_report_file(path: Path, year: int | None = None) -> Report | None:
    """The report of ``year`` (the newest when ``None``) in the SQLite file ``path``, or ``None``.

    ``None`` means either "no such report" or "not read here": the caller
    then loads through the store as usual, which tells the two apart.
    """
    try:
        with closing(_connect(path)) as conn:
            return _load(conn, year)
    except (_NotHere, sqlite3.Error, OSError, KeyError, ValueError, TypeError) as exc:
        log.debug("%s not read without SQLAlchemy: %s", path, exc)
        return None


def _connect(path: Path) -> sqlite3.Connection:
    db_path = path.expanduser().absolute()
    with db_path.open("rb") as file:
        header = file.read(100)
    if not header.startswith(_SQLITE_HEADER):
        raise _NotHere("not a SQLite file")
    # As the engine's probe: a WAL file without its -wal was closed cleanly and is read as it is.
    wal_mode = len(header) > 19 and header[18] == 2 and header[19] == 2
    mode = "immutable=1" if wal_mode and not Path(f"{db_path}-wal").exists() else "mode=ro"
    conn = sqlite3.connect(f"{db_path.as_uri()}?{mode}", uri=True, isolation_level=None)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _load(conn: sqlite3.Connection, year: int | None) -> Report | None:
    conn.execute("BEGIN")  # one snapshot for every query, as the store's read transaction
    try:
        tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        tables = {t for t in tables if not t.startswith("sqlite_")}
        if not tables <= SCHEMA_TABLES or "alembic_version" not in tables:
            raise _NotHere("not this program's tables")
        revisions = [str(r[0]) for r in conn.execute("SELECT version_num FROM alembic_version")]
        if revisions != [HEAD_REVISION]:
            raise _NotHere(f"schema revision {revisions}, not {HEAD_REVISION}")
        if year is None:
            reports = _rows(conn, "report", "SELECT * FROM report ORDER BY year DESC LIMIT 1", {})
        else:
            reports = _rows(conn, "report", "SELECT * FROM report WHERE year = :year", {"year": year})
        if not reports:
            return None
        return _read_report(conn, reports[0])
    finally:
        conn.execute("ROLLBACK")


def _read_report(conn: sqlite3.Connection, report_row: Any) -> Report:
    ids = {"report": report_row.id}

    def where(table: str, condition: str) -> list[Any]:
        return _rows(conn, table, f"SELECT * FROM {table} WHERE {condition} ORDER BY position", ids)

    def outlines(condition: str) -> assemble.Outlines:
        columns = ", ".join(assemble.OUTLINE_COLUMNS)
        rows = conn.execute(f"SELECT {columns} FROM outline_item WHERE {condition} ORDER BY position", ids)
        # table_json (JSON) is the last of assemble.OUTLINE_COLUMNS.
        return assemble.outlines((*r[:-1], _json_value(r[-1])) for r in rows)

    report = assemble.front(
        report_row,
        where("history_entry", "report_id = :report"),
        _rows(conn, "front_table", "SELECT * FROM front_table WHERE report_id = :report", ids),
        where("summary_row", "report_id = :report"),
        outlines("report_id = :report"),
    )
    programs = assemble.programs(
        where("program", f"id IN ({_PROGRAMS})"),
        where("target_row", f"program_id IN ({_PROGRAMS})"),
        where("budget_line", f"program_id IN ({_PROGRAMS})"),
        outlines(f"program_id IN ({_PROGRAMS})"),
    )
    report.chapters = assemble.chapters(
        where("chapter", "report_id = :report"),
        programs,
        where("author_block", f"chapter_id IN ({_CHAPTERS})"),
        where("author_entry", f"author_block_id IN ({_BLOCKS})"),
        where("listed_program", f"chapter_id IN ({_CHAPTERS})"),
    )
    report.departments = assemble.departments(
        where("department", "report_id = :report"), outlines(f"department_id IN ({_DEPARTMENTS})")
    )
    return report


def _json_value(value: Any) -> Any:
    return None if value is None else json.loads(value)


def _date_value(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


_CONVERTERS: Final[dict[str, Callable[[Any], Any]]] = {"JSON": _json_value, "Boolean": bool, "Date": _date_value}


class _Row:
    """A row with its columns as attributes (what :mod:`.assemble` reads)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:  # only for mypy: every column is set in __init__
        raise AttributeError(name)


def _rows(conn: sqlite3.Connection, table: str, query: str, params: dict[str, Any]) -> list[Any]:
    cursor = conn.execute(query, params)
    names = [d[0] for d in cursor.description]
    kinds = CONVERTED[table]
    convert = [(n, _CONVERTERS[kinds[name]]) for n, name in enumerate(names) if name in kinds]
    out = []
    for raw in cursor.fetchall():
        values = list(raw)
        for n, fn in convert:
            values[n] = fn(values[n])
        out.append(_Row(dict(zip(names, values, strict=True))))
    return out
