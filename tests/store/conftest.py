"""Fixtures for the store tests: a migrated engine on a real SQLite file (``open_engine`` is tests/conftest.py's).

The sample report and the row counts are plain helpers: ``tests.helpers.reports.make_report``
and ``tests.helpers.db.row_counts``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.helpers.types import OpenEngine


@pytest.fixture
def engine(tmp_db: Path, open_engine: OpenEngine) -> Engine:
    """A migrated engine on this test's fresh database file."""
    return open_engine(tmp_db)
