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


def test_an_older_submission_with_accept_all_never_rolls_back_a_newer_one(
    office_copy: Path,
    exchange_template: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    second_office = tmp_path / "office-2.sqlite"
    second_office.write_bytes(office_copy.read_bytes())
    package = tmp_path / "dept.seripkg"
    package.write_bytes(exchange_template["package"].read_bytes())
    older = exchange_template["submission"]  # 1-1's first 추진 실적 item + " (부서 수정)"
    engine = create_engine_for(package)
    try:
        edit_stored(engine, "1-1", " (2차)")
        newer = tmp_path / "newer.serisub"
        create_submission(engine, newer, author="홍길동")
    finally:
        engine.dispose()

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
    # content is taken. (On the first one the refused submission is recorded as processed, so it cannot be
    # forced later: a known gap, see the note of this branch.)
    assert main(["merge", "--db", str(second_office), str(newer), "--accept-all"]) == 0
    assert main(["merge", "--db", str(second_office), str(older), "--accept-all", "--force-older", "1-1"]) == 0
    forced = _program(second_office, "1-1")
    assert any(i.text.endswith(" (부서 수정)") for i in forced.achievements)
    assert not any(i.text.endswith(" (2차)") for i in forced.achievements)
