"""The journal of unsaved edits (store/journal.py): values survive JSON, runs settle only their own, damage is skipped."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from seri_desktop.domain import template
from seri_desktop.domain.model import ItemKind, OutlineItem
from seri_desktop.domain.template import PartKind
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.journal import EditJournal, database_identity, decode_field, encode_value, journal_path


def _roundtrip(field_key: str, value: object) -> object:
    return decode_field(field_key, json.loads(json.dumps(encode_value(value), ensure_ascii=False)))


def test_every_field_of_the_2024_report_survives_the_journal(imported_2024: ImportResult) -> None:
    report = imported_2024.report
    checked = 0
    for program in report.programs():
        for part in template.PROGRAM_PARTS:
            if part.kind is not PartKind.SUMMARY:
                assert _roundtrip(part.key, template.get(program, part)) == template.get(program, part), (program.code, part.key)
                checked += 1
    for department in report.departments:
        for part in template.SECTION_II_PARTS:
            assert _roundtrip(part.key, template.get(department, part)) == template.get(department, part)
            checked += 1
    for part in (*template.COVER_PARTS, *template.FRONT_PARTS):
        if part.kind is not PartKind.SUMMARY:
            assert _roundtrip(part.key, template.get(report, part)) == template.get(report, part), part.key
            checked += 1
    assert checked > 400


def _edit(journal: EditJournal, item: str, text: str, read: int = 3) -> None:
    journal.record_edit(
        year=2024, item=item, label=f"{item} 사업", read=read, field_key="issues", value=[OutlineItem(0, ItemKind.ITEM, text)]
    )


def test_a_run_settles_only_its_own_edits(tmp_path: Path) -> None:
    crashed = EditJournal("/db/report.sqlite", tmp_path)
    _edit(crashed, "p1", "첫 입력")
    _edit(crashed, "p1", "고친 입력")
    _edit(crashed, "p2", "다른 사업", read=7)
    assert [(u.item, u.read, u.fields["issues"][0].text) for u in crashed.pending()] == [
        ("p1", 3, "고친 입력"),
        ("p2", 7, "다른 사업"),
    ]
    now = EditJournal("/db/report.sqlite", tmp_path)  # the next start
    assert now.path == crashed.path and now.run != crashed.run
    _edit(now, "p1", "이번 실행의 입력", read=4)
    now.record_saved("p1", 5)
    now.clear()  # this run has nothing unsaved, but the crashed run's edits are not settled: kept
    assert now.path.exists()
    assert {(u.run, u.item) for u in now.pending()} == {(crashed.run, "p1"), (crashed.run, "p2")}
    now.record_discarded("p1", crashed.run)
    now.record_discarded("p2", crashed.run)
    assert now.pending() == []
    now.clear()
    assert not now.path.exists()
    # Saving without a journal writes none.
    now.record_saved("p1", 6)
    assert not now.path.exists()


def test_damaged_lines_are_skipped_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    journal = EditJournal("/db/report.sqlite", tmp_path)
    _edit(journal, "p1", "살아남는 입력")
    good = journal.path.read_bytes()
    with journal.path.open("ab") as handle:
        handle.write(b"\xff\xfe not utf-8\n")
        handle.write(b"[1, 2, 3]\n")
        handle.write(b'{"v": 1, "run": "x", "item": "p3", "year": 2024, "read": 1, "field": "nope", "value": 1}\n')
        handle.write(b'{"v": 1, "run": "x", "item": "p4", "year": 2024, "read": 1, "field": "issues", "value": 12}\n')
        handle.write(b'{"v": 1, "run": "x", "item": "p5", "year": "\xec\x9d\xb4", "read": 1, "field": "issues", "value": []}\n')
        handle.write(b"[" * 100_000 + b"\n")
        handle.write(b'{"v": 1, "run": "x", "item": "p6", "year": 2024, "read": 1, "field": "issu')  # cut short by the kill
    with caplog.at_level(logging.WARNING, logger="seri_desktop.store.journal"):
        pending = journal.pending()
    assert [(u.item, u.fields["issues"][0].text) for u in pending] == [("p1", "살아남는 입력")]
    skipped = [r for r in caplog.records if "skipped" in r.getMessage()]
    assert len(skipped) == 7
    assert journal.path.read_bytes().startswith(good)  # reading changes nothing
    # The next run's first entry is not glued to the line the kill cut short.
    after = EditJournal("/db/report.sqlite", tmp_path)
    _edit(after, "p7", "다음 실행의 입력")
    assert [u.item for u in after.pending()] == ["p1", "p7"]


def test_a_journal_of_another_database_is_not_read(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    journal = EditJournal("/db/a.sqlite", tmp_path)
    _edit(journal, "p1", "a 의 입력")
    other = EditJournal("/db/b.sqlite", tmp_path)
    other.path.parent.mkdir(parents=True, exist_ok=True)
    other.path.write_bytes(journal.path.read_bytes())  # a hash collision, or a file copied by hand
    with caplog.at_level(logging.WARNING, logger="seri_desktop.store.journal"):
        assert other.pending() == []
    assert any("belongs to" in r.getMessage() for r in caplog.records)


def test_identity_resolves_files_and_keeps_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert database_identity("report.sqlite") == str(tmp_path.resolve() / "report.sqlite")
    url = "postgresql+psycopg://office:***@127.0.0.1:5432/report"
    assert database_identity(url) == url
    assert journal_path(database_identity("report.sqlite"), tmp_path) == journal_path(str(tmp_path / "report.sqlite"), tmp_path)
    assert journal_path(url, tmp_path).parent == tmp_path / "journal"
