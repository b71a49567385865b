"""Fixtures for the exchange tests: office databases with the 2024 report, packages, submissions, snapshots.

Building an office database and issuing packages takes a moment, so a
session-wide template is built once (the report saved, packages issued to
two departments, one valid submission) and every test works on its own
copy of the files. The snapshot of what a refused file must not change
(``engine_state``, ``db_state``) and ``edit_first_item`` are plain helpers in
``tests.helpers``.

Template files (``exchange_template``, a dict of paths): ``office`` (2024
report; packages issued to 교육정책연구소 and 기획평가부), ``package`` (교육정책연구소's,
with 1-1's first 추진 실적 item changed), ``other_package`` (기획평가부's) and
``submission`` (교육정책연구소's valid submission of that change).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from sqlalchemy import Engine

from seri_desktop.exchange.package import create_package
from seri_desktop.exchange.submission import create_submission
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import save_report
from tests.helpers.db import copy_database, edit_stored
from tests.helpers.types import OpenPath

DEPARTMENT = "교육정책연구소"
OTHER_DEPARTMENT = "기획평가부"
OFFICE = "기획팀"


@pytest.fixture(scope="session")
def exchange_template(tmp_path_factory: pytest.TempPathFactory, imported_2024: ImportResult) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exchange-template")
    office_path = folder / "office.sqlite"
    office = create_engine_for(office_path)
    save_report(office, copy.deepcopy(imported_2024.report))
    package = folder / "dept.seripkg"
    other = folder / "other.seripkg"
    create_package(office, DEPARTMENT, package, who=OFFICE)
    create_package(office, OTHER_DEPARTMENT, other, who=OFFICE)
    office.dispose()

    department = create_engine_for(package)
    edit_stored(department, "1-1", " (부서 수정)")
    submission = folder / "dept.serisub"
    create_submission(department, submission, author="홍길동")
    department.dispose()
    return {"office": office_path, "package": package, "other_package": other, "submission": submission}


@pytest.fixture
def office_copy(exchange_template: dict[str, Path], tmp_path: Path) -> Path:
    """This test's own copy of the template office database."""
    return copy_database(exchange_template["office"], tmp_path / "office.sqlite")


@pytest.fixture
def office_2024(tmp_path: Path, imported_2024: ImportResult, open_engine: OpenPath) -> Engine:
    """A fresh office database holding the 2024 report and nothing else."""
    engine = open_engine(tmp_path / "fresh-office.sqlite")
    save_report(engine, copy.deepcopy(imported_2024.report))
    return engine
