"""Migration 0002 and the promises of the exchange tables: keyed by year, they outlive replacing the report."""

from __future__ import annotations

import copy
from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from seri_desktop.exchange.merge import ACCEPT, apply_merge, preview_merge
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.audit import audit_log
from seri_desktop.store.engine import alembic_config, head_revision, schema_version
from seri_desktop.store.exchange import package_info, report_identity, submissions
from seri_desktop.store.repository import delete_report, save_report
from seri_desktop.store.review import review_states
from seri_desktop.store.tables import EXCHANGE_TABLES, metadata
from tests.helpers.types import OpenPath


def test_migration_0002_adds_exactly_the_exchange_tables(tmp_path: Path, open_engine: OpenPath) -> None:
    engine = open_engine(tmp_path / "m.sqlite")
    # 0003 (BIGINT amounts), 0004 (ids) and 0005 (no stray defaults) came after
    assert head_revision() == "0005" == schema_version(engine)
    assert set(EXCHANGE_TABLES) <= set(metadata.tables)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    tables = set(inspect(engine).get_table_names())
    assert not tables & set(EXCHANGE_TABLES) and "program" in tables
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    assert set(inspect(engine).get_table_names()) == {*metadata.tables, "alembic_version"}
    # No foreign key to the report: review history is not part of a report's rows.
    assert all(not inspect(engine).get_foreign_keys(table) for table in EXCHANGE_TABLES)


def test_review_history_outlives_replacing_or_deleting_the_report(
    office_copy: Path, exchange_template: dict[str, Path], open_engine: OpenPath, imported_2024: ImportResult
) -> None:
    office = open_engine(office_copy)
    preview = preview_merge(office, exchange_template["submission"])
    apply_merge(office, preview, dict.fromkeys(preview.pending(), ACCEPT), {}, "기획팀")
    report_id = report_identity(office, 2024)
    log = audit_log(office, 2024)

    save_report(office, copy.deepcopy(imported_2024.report), replace=True)  # import-text --replace
    assert report_identity(office, 2024) == report_id
    # The history stays as it was; since 0004 the replacement is in it too (what it changed back).
    replaced = audit_log(office, 2024)
    assert replaced[: len(log)] == log
    assert replaced[len(log) :] and {e.via for e in replaced[len(log) :]} == {"text"}
    assert {e.item_code for e in replaced[len(log) :]} == {"1-1"}
    assert review_states(office, 2024)["1-1"] == "제출됨"  # the program kept its id, so its state
    assert len(submissions(office, 2024)) == 1
    assert delete_report(office, 2024)
    deleted = audit_log(office, 2024)
    assert deleted[: len(replaced)] == replaced and [e.action for e in deleted[len(replaced) :]] == ["report"]
    assert package_info(office) is None
