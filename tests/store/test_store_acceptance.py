"""Acceptance: the real 2024 report goes into the store and comes back equal."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import Engine

from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.repository import load_report, save_program, save_report
from tests.helpers.db import row_counts

pytestmark = pytest.mark.acceptance


def test_the_2024_report_round_trips_equal(engine: Engine, imported_2024: ImportResult) -> None:
    report = imported_2024.report
    assert len(list(report.programs())) == 33

    save_report(engine, report)

    assert load_report(engine, 2024) == report


def test_a_real_program_saved_alone_round_trips(
    engine: Engine, imported_2024: ImportResult
) -> None:
    report = imported_2024.report
    save_report(engine, report)
    counts = row_counts(engine)
    original = next(p for p in report.programs() if p.achievements and p.budget is not None)
    program = copy.deepcopy(original)
    program.issues = [*program.issues, *program.achievements]

    save_program(engine, 2024, program)

    loaded = load_report(engine, 2024)
    assert loaded is not None
    assert loaded.program(program.code) == program
    assert [p for p in loaded.programs() if p.code != program.code] == [
        p for p in report.programs() if p.code != program.code
    ]
    assert row_counts(engine)["outline_item"] == counts["outline_item"] + len(original.achievements)
