"""What a database holds, for the tests: row counts, the before/after snapshot of a refused write, copies, loads.

A refused write must leave the database as it was: :func:`db_state` (and
:func:`engine_state` on an open engine) is the full text export of the year's
report plus every table's row count, compared before and after.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import URL, Engine, func, select

from seri_desktop.domain.model import Report
from seri_desktop.formats.text_export import export_report_text
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report, save_program, save_report
from seri_desktop.store.tables import EXCHANGE_TABLES, metadata
from tests.helpers.reports import edit_first_item

State = tuple[str, dict[str, int]]


def table_counts(engine: Engine, *, with_exchange: bool = True) -> dict[str, int]:
    """Rows per store table; without ``with_exchange``, only the tables that hold a report.

    (The exchange tables keep their history across reports, so a store test
    that replaces a report leaves them out.)
    """
    with engine.connect() as conn:
        return {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in metadata.tables.items()
            if with_exchange or name not in EXCHANGE_TABLES
        }


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table that holds a report (the store tests' count)."""
    return table_counts(engine, with_exchange=False)


def engine_state(engine: Engine, year: int = 2024) -> State:
    """What must not change when a bad input is refused: the year's full text export and every table's row count."""
    report = load_report(engine, year)
    assert report is not None
    return export_report_text(report), table_counts(engine)


def db_state(db: Path | URL, year: int = 2024) -> State:
    """:func:`engine_state` of a database file or URL (the engine is closed again)."""
    engine = create_engine_for(db)
    try:
        return engine_state(engine, year)
    finally:
        engine.dispose()


def load_db(db: Path | URL, year: int | None = None) -> Report:
    """The report of ``year`` (the newest when ``None``) in a database (the engine is closed again); its absence fails the test."""
    engine = create_engine_for(db)
    try:
        report = load_report(engine, year)
    finally:
        engine.dispose()
    assert report is not None
    return report


def copy_database(source: Path, target: Path) -> Path:
    """Copy a closed SQLite database (and its WAL, should one be left) to ``target``."""
    shutil.copyfile(source, target)
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{source}{suffix}")
        if extra.exists():
            shutil.copyfile(extra, Path(f"{target}{suffix}"))
    return target


def edit_stored(
    db: Engine | Path | URL, code: str, suffix: str, section: str = "achievements", year: int = 2024
) -> tuple[str, str]:
    """Append ``suffix`` to the first plain item of ``section`` of the stored program ``code`` and save it.

    ``db`` is an open engine, or a database whose engine is closed again. Returns
    (old text, new text), as :func:`tests.helpers.reports.edit_first_item`.
    """
    engine = db if isinstance(db, Engine) else create_engine_for(db)
    try:
        report = load_report(engine, year)
        assert report is not None
        program = report.program(code)
        assert program is not None
        edited = edit_first_item(program, suffix, section)
        save_program(engine, year, program)
    finally:
        if engine is not db:
            engine.dispose()
    return edited


def swap_first_two_programs(db: Path) -> tuple[str, str]:
    """Renumber as an office does: 1-1 and 1-2 change places and codes. The uids of (old 1-1, old 1-2)."""
    engine = create_engine_for(db)
    try:
        report = load_report(engine, 2024)
        assert report is not None
        chapter = report.chapters[0]
        first, second = chapter.programs[0], chapter.programs[1]
        assert (first.code, second.code) == ("1-1", "1-2")
        first.code, second.code = "1-2", "1-1"
        chapter.programs[0], chapter.programs[1] = second, first
        save_report(engine, report, replace=True)
        renumbered = load_report(engine, 2024)
        assert renumbered is not None
        assert renumbered.program_by_uid(first.uid).code == "1-2"  # type: ignore[union-attr]
    finally:
        engine.dispose()
    return first.uid, second.uid
