"""Fixtures for the HWPX tests: the 2024 report exported once per session, office databases, snapshots.

Exporting the whole report takes seconds, so the session exports it once
(and one department's section) into a shared folder; tests that edit a file
work on their own copy. Helpers reach the tests as fixtures, since the tests
run with ``--import-mode=importlib`` and cannot import this module.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from seri_desktop.domain.model import Report
from seri_desktop.formats.hwpx import HwpxResult, build_department_hwpx, build_report_hwpx
from seri_desktop.formats.text_export import export_report_text
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report, save_report
from seri_desktop.store.tables import metadata

DEPARTMENT = "교육정책연구소"

State = tuple[str, dict[str, int]]


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


def office_state(engine: Engine) -> State:
    """What must not change when a file is refused: the full text export and every table's row count."""
    report = load_report(engine, 2024)
    assert report is not None
    with engine.connect() as conn:
        counts = {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in metadata.tables.items()
        }
    return export_report_text(report), counts


@pytest.fixture(name="office_state")
def office_state_fixture() -> Callable[[Engine], State]:
    return office_state


@pytest.fixture
def department_file(tmp_path: Path, exported: dict[str, HwpxResult]) -> Path:
    """This test's own copy of 교육정책연구소's exported section."""
    target = tmp_path / "section.hwpx"
    shutil.copyfile(exported[DEPARTMENT].path, target)
    return target
