"""Fixtures for the budget workbook tests: the 2024 report stored in a fresh database, and a field differ.

The tests run with ``--import-mode=importlib``, so helpers are handed to them
as fixtures rather than imported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from seri_desktop.domain.model import Report
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report

Loader = Callable[[Path, int], Report]
Differ = Callable[[object, object], list[str]]


@pytest.fixture
def load_db() -> Loader:
    """Load the report of a year from a database file (the engine is closed again)."""

    def _load(db: Path, year: int) -> Report:
        engine = create_engine_for(db)
        try:
            report = load_report(engine, year)
        finally:
            engine.dispose()
        assert report is not None
        return report

    return _load


def _diff(a: object, b: object, path: str, out: list[str]) -> None:
    if dataclasses.is_dataclass(a) and not isinstance(a, type) and type(a) is type(b):
        for f in dataclasses.fields(a):
            _diff(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}" if path else f.name, out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(path)


@pytest.fixture
def field_diff() -> Differ:
    """The paths of the fields that differ between two model objects (``chapters[0].programs[0].title``)."""

    def _field_diff(a: object, b: object) -> list[str]:
        out: list[str] = []
        _diff(a, b, "", out)
        return out

    return _field_diff
