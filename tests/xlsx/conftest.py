"""Fixtures for the budget workbook tests: the 2024 report stored in a fresh database.

Loading a year (``load_db``) and the field differ (``field_diff``) are plain
helpers in ``tests.helpers``.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import save_report


@pytest.fixture
def db_2024(tmp_db: Path, imported_2024: ImportResult) -> Path:
    """A fresh database holding the real 2024 report."""
    engine = create_engine_for(tmp_db)
    try:
        save_report(engine, copy.deepcopy(imported_2024.report))
    finally:
        engine.dispose()
    return tmp_db
