"""Shared fixtures: a fresh SQLite file per test, the real 2024 report, offscreen Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from seri_desktop.formats.text_import import ImportResult, import_report_file

# Set before any Qt import so every test, and every subprocess it starts, runs offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
REPORT_2024 = SHARED_DATA / "report-2024.txt"


@pytest.fixture
def report_2024_path() -> Path:
    """The real 2024 report; its absence is a failure, never a skip."""
    if not REPORT_2024.is_file():
        pytest.fail(f"acceptance data missing: {REPORT_2024} (CI clones with ../shared beside the repo)")
    return REPORT_2024


@pytest.fixture(scope="session")
def imported_2024() -> ImportResult:
    """The 2024 report parsed once per test session (parsing is pure: tests must not mutate it)."""
    if not REPORT_2024.is_file():
        pytest.fail(f"acceptance data missing: {REPORT_2024} (CI clones with ../shared beside the repo)")
    return import_report_file(REPORT_2024)


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """Path of a fresh SQLite database file for this test only."""
    return tmp_path / "report.sqlite"
