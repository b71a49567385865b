"""Fixtures for the exchange tests: office databases with the 2024 report, packages, submissions, snapshots.

Building an office database and issuing packages takes a moment, so a
session-wide template is built once (the report saved, packages issued to
two departments, one valid submission) and every test works on its own
copy of the files. Helpers are handed to the tests as fixtures
(``office_state``, ``edit_item``), since the tests run with
``--import-mode=importlib`` and cannot import this module.

Template files (``exchange_template``, a dict of paths): ``office`` (2024
report; packages issued to 교육정책연구소 and 기획평가부), ``package`` (교육정책연구소's,
with 1-1's first 추진 실적 item changed), ``other_package`` (기획평가부's) and
``submission`` (교육정책연구소's valid submission of that change).
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from seri_desktop.domain.model import ItemKind, Program
from seri_desktop.exchange.package import create_package
from seri_desktop.exchange.submission import create_submission
from seri_desktop.formats.text_export import export_report_text
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report, save_program, save_report
from seri_desktop.store.tables import metadata

DEPARTMENT = "교육정책연구소"
OTHER_DEPARTMENT = "기획평가부"
OFFICE = "기획팀"


def copy_database(source: Path, target: Path) -> Path:
    """Copy a closed SQLite database (and its WAL, should one be left) to ``target``."""
    shutil.copyfile(source, target)
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{source}{suffix}")
        if extra.exists():
            shutil.copyfile(extra, Path(f"{target}{suffix}"))
    return target


State = tuple[str, dict[str, int]]


def office_state(engine: Engine) -> State:
    """What must not change when a bad file is refused: the full text export and every table's row count."""
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
    """``office_state(engine)``: (full text export, row counts of every table)."""
    return office_state


def edit_first_item(program: Program, suffix: str, section: str = "achievements") -> tuple[str, str]:
    """Append ``suffix`` to the first plain item of a program's outline; returns (old text, new text)."""
    outline = getattr(program, section)
    item = next(i for i in outline if i.kind is ItemKind.ITEM)
    old = item.text
    item.text = f"{old}{suffix}"
    return old, item.text


@pytest.fixture(name="edit_item")
def edit_item_fixture() -> Callable[..., tuple[str, str]]:
    """``edit_item(program, suffix, section="achievements")``: see :func:`edit_first_item`."""
    return edit_first_item


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
    report = load_report(department, 2024)
    assert report is not None
    program = report.program("1-1")
    assert program is not None
    edit_first_item(program, " (부서 수정)")
    save_program(department, 2024, program)
    submission = folder / "dept.serisub"
    create_submission(department, submission, author="홍길동")
    department.dispose()
    return {"office": office_path, "package": package, "other_package": other, "submission": submission}


@pytest.fixture
def office_copy(exchange_template: dict[str, Path], tmp_path: Path) -> Path:
    """This test's own copy of the template office database."""
    return copy_database(exchange_template["office"], tmp_path / "office.sqlite")


@pytest.fixture
def engines() -> Iterator[Callable[[Path], Engine]]:
    """Open engines on paths; all are disposed after the test."""
    opened: list[Engine] = []

    def _open(path: Path) -> Engine:
        engine = create_engine_for(path)
        opened.append(engine)
        return engine

    yield _open
    for engine in opened:
        engine.dispose()


@pytest.fixture
def office_2024(tmp_path: Path, imported_2024: ImportResult, engines: Callable[[Path], Engine]) -> Engine:
    """A fresh office database holding the 2024 report and nothing else."""
    engine = engines(tmp_path / "fresh-office.sqlite")
    save_report(engine, copy.deepcopy(imported_2024.report))
    return engine


def swap_first_two_programs(db: Path) -> tuple[str, str]:
    """Renumber as an office does: 1-1 and 1-2 change places and codes. The uids of (old 1-1, old 1-2)."""
    engine = create_engine_for(db)
    try:
        report = load_report(engine, 2024)
        assert report is not None
        chapter = report.chapters[0]
        first, second = chapter.programs[0], chapter.programs[1]
        assert (first.code, second.code) == ("1-1", "1-2")
        first.code, second.code = "1-2", "1-1"
        chapter.programs[0], chapter.programs[1] = second, first
        save_report(engine, report, replace=True)
        renumbered = load_report(engine, 2024)
        assert renumbered is not None
        assert renumbered.program_by_uid(first.uid).code == "1-2"  # type: ignore[union-attr]
    finally:
        engine.dispose()
    return first.uid, second.uid
