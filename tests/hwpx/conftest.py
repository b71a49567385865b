"""Fixtures for the HWPX tests: the 2024 report exported once per session, office databases, snapshots.

Exporting the whole report takes seconds, so the session exports it once
(and one department's section) into a shared folder; tests that edit a file
work on their own copy. The snapshot of what a refused file must not change
is ``tests.helpers.db.engine_state``.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from seri_desktop.domain.model import Report
from seri_desktop.formats.hwpx import HwpxResult, build_department_hwpx, build_report_hwpx
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import save_report

DEPARTMENT = "교육정책연구소"


@pytest.fixture(scope="session")
def report_2024(imported_2024: ImportResult) -> Report:
    """A copy of the 2024 report the HWPX tests may read (never mutate: shared by the session)."""
    return copy.deepcopy(imported_2024.report)


@pytest.fixture(scope="session")
def exported(tmp_path_factory: pytest.TempPathFactory, report_2024: Report) -> dict[str, HwpxResult]:
    """The whole report and every department's section, exported once."""
    folder = tmp_path_factory.mktemp("hwpx-export")
    results = {"": build_report_hwpx(report_2024, folder / "report.hwpx")}
    for dept in report_2024.departments:
        results[dept.name] = build_department_hwpx(report_2024, dept.name, folder / f"{dept.name}.hwpx")
    return results


@pytest.fixture
def office(tmp_path: Path, report_2024: Report) -> Iterator[Engine]:
    """A fresh office database holding the 2024 report."""
    engine = create_engine_for(tmp_path / "office.sqlite")
    save_report(engine, copy.deepcopy(report_2024))
    yield engine
    engine.dispose()


@pytest.fixture
def department_file(tmp_path: Path, exported: dict[str, HwpxResult]) -> Path:
    """This test's own copy of 교육정책연구소's exported section."""
    target = tmp_path / "section.hwpx"
    shutil.copyfile(exported[DEPARTMENT].path, target)
    return target
