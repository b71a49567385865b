"""Replay (issue 12, item 2): an older submission merged with ``--accept-all`` after a newer one never rolls it back.

The department submits twice from its package (1-1 edited, then edited
again); the office merges the newer one, then the older one with the real
``merge --accept-all``. The older one is refused for 1-1 (the newer content
stays, the database unchanged: text export and every table's row count), and
only ``--force-older 1-1`` takes it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from seri_desktop.cli import main
from seri_desktop.domain.model import Program
from seri_desktop.exchange.submission import create_submission
from seri_desktop.store.engine import create_engine_for
from tests.helpers.db import db_state, edit_stored, load_db


def _program(db: Path, code: str) -> Program:
    report = load_db(db, 2024)
    program = report.program(code)
    assert program is not None
    return program


@pytest.fixture
def newer(exchange_template: dict[str, Path], tmp_path: Path) -> Path:
    """The department's second submission from its package: 1-1's first 추진 실적 item + " (2차)" as well."""
    package = tmp_path / "dept.seripkg"
    package.write_bytes(exchange_template["package"].read_bytes())
    engine = create_engine_for(package)
    try:
        edit_stored(engine, "1-1", " (2차)")
        newer = tmp_path / "newer.serisub"
        create_submission(engine, newer, author="홍길동")
    finally:
        engine.dispose()
    return newer


def test_an_older_submission_with_accept_all_never_rolls_back_a_newer_one(
    office_copy: Path, exchange_template: dict[str, Path], newer: Path,
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    second_office = tmp_path / "office-2.sqlite"
    second_office.write_bytes(office_copy.read_bytes())
    older = exchange_template["submission"]  # 1-1's first 추진 실적 item + " (부서 수정)"

    assert main(["merge", "--db", str(office_copy), str(newer), "--accept-all"]) == 0
    merged = _program(office_copy, "1-1")
    assert any(i.text.endswith(" (2차)") for i in merged.achievements)
    before = db_state(office_copy)
    capsys.readouterr()

    main(["merge", "--db", str(office_copy), str(older), "--accept-all"])
    out, err = capsys.readouterr()
    assert "--force-older" in out + err
    assert _program(office_copy, "1-1").achievements == merged.achievements  # not rolled back
    after = db_state(office_copy)
    assert after[0] == before[0]
    # Only the record of the refused submission may be added (history), never a content row.
    content_tables = {"program", "outline_item", "budget_line", "target_row", "review_status"}
    assert {k: v for k, v in after[1].items() if k in content_tables} == {
        k: v for k, v in before[1].items() if k in content_tables
    }

    # Forced explicitly for 1-1 (on a second office database that merged only the newer one), the older
    # content is taken. (Forcing it later on the first one, where it was refused: the next test.)
    assert main(["merge", "--db", str(second_office), str(newer), "--accept-all"]) == 0
    assert main(["merge", "--db", str(second_office), str(older), "--accept-all", "--force-older", "1-1"]) == 0
    forced = _program(second_office, "1-1")
    assert any(i.text.endswith(" (부서 수정)") for i in forced.achievements)
    assert not any(i.text.endswith(" (2차)") for i in forced.achievements)


def test_a_submission_processed_before_says_so_per_item_and_only_its_refused_items_can_be_forced(
    office_copy: Path, exchange_template: dict[str, Path], newer: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from seri_desktop.store.exchange import submissions

    older = exchange_template["submission"]  # 1-1's first 추진 실적 item + " (부서 수정)"

    def merge(*args: str) -> tuple[int, str]:
        code = main(["merge", "--db", str(office_copy), *args])
        out, err = capsys.readouterr()
        return code, out + err

    assert merge(str(newer), "--accept-all")[0] == 0
    code, out = merge(str(older), "--accept-all")
    assert code == 0 and "더 새 제출이 반영되어 건너뜀 1개 (1-1" in out
    refused = db_state(office_copy)
    newest = _program(office_copy, "1-1").achievements

    # The same file again, as it was: already merged, each item named, the refused one with the way to force it.
    code, out = merge(str(older), "--accept-all")
    assert code == 0
    assert "이미 반영된 제출입니다" in out and "1-1 더 새 제출이 있어 반영 안 함" in out and "--force-older 1-1" in out
    assert "1-2 변경 없음" in out
    assert db_state(office_copy) == refused
    # The newer file again, even with --force-older: already merged (1-1 반영), nothing rolled anywhere.
    code, out = merge(str(newer), "--accept-all", "--force-older", "1-1")
    assert code == 0 and "이미 반영된 제출입니다" in out and "1-1 반영" in out
    assert db_state(office_copy) == refused
    # Forcing an item the older file already had decided (1-2: unchanged) is refused with a message, nothing written.
    code, out = merge(str(older), "--accept-all", "--force-older", "1-1", "--force-older", "1-2")
    assert code == 2 and "1-2" in out and "이미 처리되었습니다" in out
    assert db_state(office_copy) == refused
    assert _program(office_copy, "1-1").achievements == newest

    # Forcing the item it refused takes it, explicitly; its record now says accepted.
    code, out = merge(str(older), "--accept-all", "--force-older", "1-1")
    assert code == 0 and "반영 1개 (1-1)" in out and "이 제출에서 이미 처리됨" in out
    forced = _program(office_copy, "1-1")
    assert any(i.text.endswith(" (부서 수정)") for i in forced.achievements)
    assert not any(i.text.endswith(" (2차)") for i in forced.achievements)
    engine = create_engine_for(office_copy)
    try:
        records = submissions(engine, 2024)
    finally:
        engine.dispose()
    assert len(records) == 2  # the older file's record was updated, not doubled
    older_record = records[1]
    decisions = {o.get("code"): o.get("decision") for o in older_record.outcome.values()}
    assert decisions["1-1"] == "accepted" and decisions["1-2"] == "unchanged"
    taken = db_state(office_copy)
    # And once taken, forcing it again says it is already merged.
    code, out = merge(str(older), "--accept-all", "--force-older", "1-1")
    assert code == 0 and "이미 반영된 제출입니다" in out and "1-1 반영" in out
    assert db_state(office_copy) == taken
