"""The store on both engines: round trip, 64-bit amounts, concurrent first saves, read-only, foreign databases."""

from __future__ import annotations

import copy
import threading
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import URL, Engine, create_engine, func, select, text

from seri_desktop.domain.model import MAX_AMOUNT, Cell, Report
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store import engine as store_engine
from seri_desktop.store.engine import StoreError, migrate_to, schema_version, transaction
from seri_desktop.store.migrations import HEAD_REVISION
from seri_desktop.store.repository import ReportExistsError, load_report, save_report
from seri_desktop.store.tables import metadata
from tests.helpers.types import OpenEngine

BIG = 3_000_000_000  # beyond 32 bits: 30억 천원


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in metadata.tables.items()
        }


def _with_big_amounts(report: Report) -> Report:
    big = copy.deepcopy(report)
    program = next(p for p in big.programs() if p.budget is not None and p.budget.lines)
    assert program.budget is not None
    line = program.budget.lines[0]
    line.current = Cell.amount(BIG)
    line.previous = Cell.amount(MAX_AMOUNT)
    line.quarters[0].amount = Cell.amount(-MAX_AMOUNT)
    line.quarters[1].amount = Cell.amount(-BIG)
    if program.budget.printed_total is not None:
        program.budget.printed_total.current = Cell.amount(BIG)
    row = big.front.budget_summary[0]
    row.current = Cell.amount(MAX_AMOUNT)
    row.previous = Cell.amount(-BIG)
    return big


@pytest.mark.acceptance
def _public_tables(url: URL) -> set[str]:
    """The tables in the public schema, read by a plain engine (not the store's, which would refuse or create)."""
    plain = create_engine(url)
    try:
        with plain.connect() as conn:
            return set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    finally:
        plain.dispose()


def test_the_2024_report_round_trips(
    db_target: Path | URL, open_engine: OpenEngine, imported_2024: ImportResult
) -> None:
    engine = open_engine(db_target)
    save_report(engine, imported_2024.report)
    assert load_report(engine, 2024) == imported_2024.report
    reader = open_engine(db_target, read_only=True)
    assert load_report(reader, 2024) == imported_2024.report


def test_amounts_beyond_32_bits_survive(
    db_target: Path | URL, open_engine: OpenEngine, imported_2024: ImportResult
) -> None:
    report = _with_big_amounts(imported_2024.report)
    engine = open_engine(db_target)
    save_report(engine, report)
    assert load_report(engine, 2024) == report
    with engine.connect() as conn:
        stored = set(conn.execute(text("SELECT current_value FROM budget_line")).scalars())
        assert BIG in stored
        previous = set(conn.execute(text("SELECT previous_value FROM budget_line")).scalars())
        assert MAX_AMOUNT in previous
        q1 = set(conn.execute(text("SELECT q1_value FROM budget_line")).scalars())
        assert -MAX_AMOUNT in q1
        summary = set(conn.execute(text("SELECT current_value FROM summary_row")).scalars())
        assert MAX_AMOUNT in summary


def test_two_concurrent_first_saves_give_one_report_and_already_exists(
    db_target: Path | URL, open_engine: OpenEngine, imported_2024: ImportResult
) -> None:
    report = imported_2024.report
    holder = open_engine(db_target)
    engines = [open_engine(db_target), open_engine(db_target)]
    outcomes: list[BaseException | None] = []
    lock = threading.Lock()

    def save(engine: Engine) -> None:
        try:
            save_report(engine, report)
            result: BaseException | None = None
        except BaseException as exc:  # recorded and checked below
            result = exc
        with lock:
            outcomes.append(result)

    # Both savers start while the write lock is held, so they are certainly at the
    # lock together when it is released: the race a real pair of clicks may or may not hit.
    with transaction(holder, write=True):
        threads = [threading.Thread(target=save, args=(engine,)) for engine in engines]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        assert len(outcomes) == 0  # both are waiting
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == 2
    failures = [o for o in outcomes if o is not None]
    assert len(failures) == 1, outcomes
    assert isinstance(failures[0], ReportExistsError)
    assert "2024년 보고서가 이미 있습니다" in str(failures[0])
    assert load_report(holder, 2024) == report
    counts = _counts(holder)
    assert counts["report"] == 1 and counts["program"] == 33


def test_a_writer_waits_for_the_write_lock_and_then_says_busy(
    pg_database: URL, open_engine: OpenEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 300)
    holder = open_engine(pg_database)
    waiter = open_engine(pg_database)
    with transaction(holder, write=True):
        started = time.monotonic()
        with pytest.raises(StoreError) as caught, transaction(waiter, write=True):
            pass
        assert 0.25 < time.monotonic() - started < 5
    assert caught.value.code == "store-busy"
    assert "다른 사용자가 저장하고 있습니다" in str(caught.value)
    with transaction(waiter, write=True):  # free again
        pass


def test_a_read_is_one_snapshot(pg_database: URL, open_engine: OpenEngine, imported_2024: ImportResult) -> None:
    engine = open_engine(pg_database)
    save_report(engine, imported_2024.report)
    with transaction(engine, write=False) as conn:
        first = conn.execute(text("SELECT count(*) FROM program")).scalar()
        with transaction(engine, write=True) as other:
            other.execute(text("DELETE FROM report"))
        assert conn.execute(text("SELECT count(*) FROM program")).scalar() == first == 33
    with transaction(engine, write=False) as conn:
        assert conn.execute(text("SELECT count(*) FROM program")).scalar() == 0


def test_read_only_never_migrates_an_empty_database(pg_database: URL, open_engine: OpenEngine) -> None:
    with pytest.raises(StoreError, match="비어 있습니다"):
        open_engine(pg_database, read_only=True)
    assert _public_tables(pg_database) == set()


def test_an_older_database_is_refused_read_only_and_upgraded_when_written(
    pg_database: URL, open_engine: OpenEngine, imported_2024: ImportResult
) -> None:
    # Until 0004 a read-only open read a 0002 database as it was; since 0004 reads rely on the
    # programs' permanent ids (READABLE_SINCE), so it is refused unchanged until written once.
    engine = open_engine(pg_database)
    save_report(engine, imported_2024.report)
    migrate_to(engine, "0002")  # INTEGER amounts and no ids again, as a database made before 0003
    engine.dispose()

    with pytest.raises(StoreError) as refused:
        open_engine(pg_database, read_only=True)
    assert refused.value.code == "store-upgrade-needed"
    assert schema_version(open_engine(pg_database, migrate=False)) == "0002"

    writer = open_engine(pg_database)
    assert schema_version(writer) == HEAD_REVISION
    upgraded = load_report(writer, 2024)
    assert upgraded == imported_2024.report
    assert upgraded is not None and len({p.uid for p in upgraded.programs()}) == 33
    with writer.connect() as conn:
        assert list(compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)) == []
    reader = open_engine(pg_database, read_only=True)
    assert schema_version(reader) == HEAD_REVISION
    assert load_report(reader, 2024) == imported_2024.report


def test_a_database_of_another_program_is_refused_and_left(pg_database: URL, open_engine: OpenEngine) -> None:
    plain = create_engine(pg_database)
    try:
        with plain.begin() as conn:
            conn.execute(text("CREATE TABLE invoices (id serial PRIMARY KEY, total bigint)"))
    finally:
        plain.dispose()
    for read_only in (True, False):
        with pytest.raises(StoreError, match="모르는 표: invoices") as caught:
            open_engine(pg_database, read_only=read_only)
        assert caught.value.code == "store-foreign"
    assert _public_tables(pg_database) == {"invoices"}


def test_the_pool_survives_dropped_connections(
    pg_database: URL, open_engine: OpenEngine, imported_2024: ImportResult
) -> None:
    engine = open_engine(pg_database)
    save_report(engine, imported_2024.report)
    admin = create_engine(pg_database, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            # What a server restart or a dropped network link does to the pooled connections.
            killed = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar()
        assert killed and killed >= 1
        assert load_report(engine, 2024) == imported_2024.report  # pre-ping reconnects
    finally:
        admin.dispose()
