"""Key rotation (issue 12, item 5): a re-issued package revokes the department's old key.

A submission made from the package issued first is refused once the office
has issued the department a new package (a Korean message that says the key
was revoked, the database unchanged); a submission from the new package
merges.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from seri_desktop.cli import main
from seri_desktop.exchange.submission import create_submission
from seri_desktop.store.engine import create_engine_for
from tests.helpers.db import db_state, edit_stored, load_db

DEPARTMENT = "교육정책연구소"


def test_a_submission_signed_with_a_revoked_key_is_refused_and_the_new_package_merges(
    office_copy: Path,
    exchange_template: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    new_package = tmp_path / "dept-2.seripkg"
    assert main(["package", "--db", str(office_copy), "--department", DEPARTMENT, "-o", str(new_package)]) == 0
    before = db_state(office_copy)
    capsys.readouterr()

    assert main(["merge", "--db", str(office_copy), str(exchange_template["submission"]), "--accept-all"]) == 2
    err = capsys.readouterr().err
    assert "폐기한 키" in err and DEPARTMENT in err
    assert db_state(office_copy) == before

    engine = create_engine_for(new_package)
    try:
        _old, new_text = edit_stored(engine, "1-1", " (새 꾸러미)")
        submission = tmp_path / "new.serisub"
        create_submission(engine, submission, author="홍길동")
    finally:
        engine.dispose()
    assert main(["merge", "--db", str(office_copy), str(submission), "--accept-all"]) == 0
    merged = load_db(office_copy, 2024)
    assert any(i.text == new_text for i in merged.program("1-1").achievements)  # type: ignore[union-attr]
