"""Stable identity of departments (issue 13, gap A): a package issued before the office renamed or merged its department.

The package is issued to 교수학습정보부 and the department changes 4-1 and its
section II. The office then renames the department with the structure command
(or merges it into 교육정보화부). The submission still merges: the package's
key and the manifest name the department by its permanent uid, its name is
only shown, so the change lands in the same program (by uid), which stays the
department's under its new name. A manifest that names the department
wrongly (another department's uid, an unknown uid, a name the uid does not
have) is refused in Korean naming what is wrong, and the office database is
unchanged.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from seri_desktop.cli import main
from seri_desktop.exchange.codec import canonical_bytes, sha256_hex
from seri_desktop.exchange.errors import SubmissionError
from seri_desktop.exchange.merge import preview_merge
from seri_desktop.exchange.package import create_package
from seri_desktop.exchange.submission import create_submission, sign
from seri_desktop.formats.text_import import ImportResult
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.exchange import package_info
from seri_desktop.store.repository import save_report, save_section_ii
from tests.helpers.db import db_state, edit_stored, load_db

DEPARTMENT = "교수학습정보부"
SUFFIX = " (부서 수정)"


@pytest.fixture
def issued(tmp_path: Path, imported_2024: ImportResult) -> dict[str, Any]:
    """An office with the 2024 report, a package issued to 교수학습정보부, and its submission changing 4-1 and section II."""
    import copy

    office = tmp_path / "office.sqlite"
    engine = create_engine_for(office)
    try:
        save_report(engine, copy.deepcopy(imported_2024.report))
        create_package(engine, DEPARTMENT, tmp_path / "dept.seripkg", who="기획팀")
    finally:
        engine.dispose()
    package = create_engine_for(tmp_path / "dept.seripkg")
    try:
        edit_stored(package, "4-1", SUFFIX)
        report = load_db(tmp_path / "dept.seripkg")
        department = report.department(DEPARTMENT)
        assert department is not None and department.results
        department.results[0].text += SUFFIX
        save_section_ii(package, 2024, department)
        info = package_info(package)
        assert info is not None
        create_submission(package, tmp_path / "dept.serisub", author="홍길동")
    finally:
        package.dispose()
    before = load_db(office)
    program = before.program("4-1")
    assert program is not None
    return {
        "office": office,
        "submission": tmp_path / "dept.serisub",
        "uid": program.uid,
        "secret": info.secret,
        "department_uid": before.department(DEPARTMENT).uid,  # type: ignore[union-attr]
    }


def _merge(office: Path, submission: Path) -> int:
    return main(["merge", "--db", str(office), str(submission), "--accept-all", "--who", "기획팀"])


def test_a_package_issued_before_a_rename_merges_under_the_new_name(
    issued: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    office = str(issued["office"])
    assert main(["structure", "rename-department", "--db", office, DEPARTMENT, "디지털교수학습부"]) == 0
    capsys.readouterr()

    assert _merge(issued["office"], issued["submission"]) == 0
    out = capsys.readouterr().out
    assert "부서 이름이 '디지털교수학습부'(으)로 바뀌었습니다" in out

    report = load_db(issued["office"])
    program = report.program_by_uid(issued["uid"])
    assert program is not None and program.code == "4-1"
    assert program.department == "디지털교수학습부"  # the merge did not give it back its old name
    assert any(i.text.endswith(SUFFIX) for i in program.achievements)
    renamed = report.department("디지털교수학습부")
    assert renamed is not None and renamed.uid == issued["department_uid"]
    assert renamed.results[0].text.endswith(SUFFIX)  # section II too, under the department's new name
    assert report.department(DEPARTMENT) is None
    others = [p for p in report.programs() if p.uid != issued["uid"]]
    assert not any(i.text.endswith(SUFFIX) for p in others for i in p.achievements)


def test_a_package_issued_before_a_merge_merges_into_the_surviving_department(
    issued: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    office = str(issued["office"])
    survivor_before = load_db(issued["office"]).department("교육정보화부")
    assert survivor_before is not None
    assert main(["structure", "merge-departments", "--db", office, DEPARTMENT, "--into", "교육정보화부"]) == 0
    capsys.readouterr()

    assert _merge(issued["office"], issued["submission"]) == 0
    assert "'교육정보화부'에 합쳐졌습니다" in capsys.readouterr().out

    report = load_db(issued["office"])
    program = report.program_by_uid(issued["uid"])
    assert program is not None and program.department == "교육정보화부"
    assert any(i.text.endswith(SUFFIX) for i in program.achievements)
    survivor = report.department("교육정보화부")
    assert survivor is not None and survivor.uid == survivor_before.uid
    # The merged department's section II was appended to the survivor's: the package's copy does not replace it.
    assert not any(i.text.endswith(SUFFIX) for i in survivor.results)
    assert len(survivor.results) > len(survivor_before.results)


def _forged(issued: dict[str, Any], target: Path, **changes: str) -> Path:
    """The submission with ``changes`` in both manifest and payload, re-signed with the department's real key."""
    with zipfile.ZipFile(issued["submission"]) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        payload = json.loads(archive.read("payload.json"))
    payload.update(changes)
    manifest.update(changes)
    body = canonical_bytes(payload)
    manifest["payload_sha256"] = sha256_hex(body)
    manifest["signature"] = sign(issued["secret"], body)
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        archive.writestr("payload.json", body)
    return target


@pytest.mark.parametrize("renamed", [False, True], ids=["as-issued", "after-rename"])
@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        ({"department_uid": "기획평가부"}, "department-uid", ["다른 부서 '기획평가부'", "교수학습정보부'에 발급"]),
        (
            {"department_uid": "0f0f0f0f-0000-4000-8000-000000000000"},
            "unknown-department",
            ["0f0f0f0f", "부서가 아니고"],
        ),
        ({"department": "없는 부서"}, "department-mismatch", ["'없는 부서'", "'교수학습정보부'에 발급"]),
    ],
    ids=["another-departments-uid", "unknown-uid", "name-and-uid-disagree"],
)
def test_a_manifest_naming_the_department_wrongly_is_refused_and_changes_nothing(
    issued: dict[str, Any], tmp_path: Path, changes: dict[str, str], code: str, words: list[str], renamed: bool
) -> None:
    office: Path = issued["office"]
    if renamed:
        assert main(["structure", "rename-department", "--db", str(office), DEPARTMENT, "디지털교수학습부"]) == 0
    if changes.get("department_uid") == "기획평가부":  # the uid of another department of the report
        other = load_db(office).department("기획평가부")
        assert other is not None
        changes = {"department_uid": other.uid}
    bad = _forged(issued, tmp_path / "bad.serisub", **changes)
    before = db_state(office)
    engine = create_engine_for(office)
    try:
        with pytest.raises(SubmissionError) as refused:
            preview_merge(engine, bad)
    finally:
        engine.dispose()
    assert refused.value.code == code, str(refused.value)
    for word in words:
        assert word in str(refused.value)
    assert "반영하지 않았습니다" in str(refused.value)
    assert _merge(office, bad) == 2  # the CLI refuses it too
    assert db_state(office) == before


def _name_only(issued: dict[str, Any], target: Path) -> Path:
    """The submission as written before manifests carried the department's uid, re-signed."""
    with zipfile.ZipFile(issued["submission"]) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        payload = json.loads(archive.read("payload.json"))
    del manifest["department_uid"], payload["department_uid"]
    body = canonical_bytes(payload)
    manifest["payload_sha256"], manifest["signature"] = sha256_hex(body), sign(issued["secret"], body)
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        archive.writestr("payload.json", body)
    return target


def _keys_by_name(office: Path) -> None:
    """Make the office's key rows name the department, as keys issued before they carried the uid did."""
    from sqlalchemy import update

    from seri_desktop.store.tables import DEPARTMENT_KEY

    engine = create_engine_for(office)
    try:
        with engine.begin() as conn:
            conn.execute(update(DEPARTMENT_KEY).values(department=DEPARTMENT))
    finally:
        engine.dispose()


@pytest.mark.parametrize("legacy_key", [False, True], ids=["uid-key", "name-key"])
def test_an_old_name_only_manifest_is_accepted_while_the_name_resolves(
    issued: dict[str, Any], tmp_path: Path, legacy_key: bool
) -> None:
    if legacy_key:
        _keys_by_name(issued["office"])
    assert _merge(issued["office"], _name_only(issued, tmp_path / "old.serisub")) == 0
    program = load_db(issued["office"]).program_by_uid(issued["uid"])
    assert program is not None and any(i.text.endswith(SUFFIX) for i in program.achievements)


def test_an_old_package_and_name_only_manifest_after_a_rename_is_refused(
    issued: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing on record says who the old name is now: refused, naming the department, nothing written."""
    office: Path = issued["office"]
    _keys_by_name(office)
    assert main(["structure", "rename-department", "--db", str(office), DEPARTMENT, "디지털교수학습부"]) == 0
    before = db_state(office)
    capsys.readouterr()
    assert _merge(office, _name_only(issued, tmp_path / "old.serisub")) == 2
    assert "부서 '교수학습정보부'을(를) 2024년 보고서에서 찾을 수 없습니다" in capsys.readouterr().err
    assert db_state(office) == before
