"""Fixtures for the store tests: engines on real SQLite files (each disposed after the test).

The sample report and the row counts are plain helpers: ``tests.helpers.reports.make_report``
and ``tests.helpers.db.row_counts``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from seri_desktop.store.engine import create_engine_for
from tests.helpers.types import OpenEngine


@pytest.fixture
def open_engine() -> Iterator[OpenEngine]:
    """Open engines on paths; every engine opened is disposed after the test."""
    opened: list[Engine] = []

    def _open(path: Path | str, *, migrate: bool = True) -> Engine:
        engine = create_engine_for(path, migrate=migrate)
        opened.append(engine)
        return engine

    yield _open
    for engine in opened:
        engine.dispose()


@pytest.fixture
def engine(tmp_db: Path, open_engine: OpenEngine) -> Engine:
    """A migrated engine on this test's fresh database file."""
    return open_engine(tmp_db)
