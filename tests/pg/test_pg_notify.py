"""The unit of work's NOTIFY on PostgreSQL (issue 16.3): what it says, and that only a commit says it."""

from __future__ import annotations

import copy
import select

import pytest
from sqlalchemy import URL

from seri_desktop.domain.identity import ItemRef
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.notify import Listener, ListenerLost, this_process
from seri_desktop.store.repository import save_report
from seri_desktop.store.unit import StaleWriteError, read_snapshot, unit_of_work
from tests.helpers.types import OpenEngine


def arrived(listener: Listener, seconds: float = 3.0) -> bool:
    readable, _, _ = select.select([listener.fileno()], [], [], seconds)
    return bool(readable)


def test_a_commit_notifies_the_items_it_changed_and_a_refusal_notifies_nothing(
    pg_database: URL, open_engine: OpenEngine, imported_2024: ImportResult
) -> None:
    engine = open_engine(pg_database)
    listener = Listener(pg_database)
    try:
        save_report(engine, copy.deepcopy(imported_2024.report))
        assert arrived(listener)
        [created] = listener.poll()
        assert created.year == 2024 and created.everything and created.origin == this_process()

        snapshot = read_snapshot(engine, 2024)
        program = copy.deepcopy(next(snapshot.report.programs()))
        read = snapshot.revision(ItemRef.of(program))
        program.title = "알림 시험 제목"
        with unit_of_work(engine, 2024, who=None, via="cli") as work:
            written = work.save_program(program, read=read)
        assert arrived(listener)
        [saved] = listener.poll()
        assert saved.year == 2024 and dict(saved.items or {}) == {program.uid: written} and written == read + 1

        # A refused unit rolls back, and its notice with it: nothing arrives.
        program.title = "늦은 제목"
        with pytest.raises(StaleWriteError), unit_of_work(engine, 2024, who=None, via="cli") as work:
            work.save_program(program, read=read)
        assert not arrived(listener, 1.0) or listener.poll() == []
        # An unchanged save writes nothing and says nothing.
        unchanged = read_snapshot(engine, 2024).report.program_by_uid(program.uid)
        assert unchanged is not None and unchanged.title == "알림 시험 제목"
        with unit_of_work(engine, 2024, who=None, via="cli") as work:
            work.save_program(unchanged, read=written)
        assert not arrived(listener, 1.0) or listener.poll() == []
    finally:
        listener.close()


def test_a_listener_refused_by_the_server_is_a_korean_store_error(pg_database: URL) -> None:
    with pytest.raises(ListenerLost, match="변경 알림을 받을 수 없습니다"):
        Listener(pg_database.set(password="틀린 비밀번호"))
