"""Every bad submission of the issue's list is refused with a Korean message naming the problem.

Each case starts from the valid template submission, damages or forges it
(re-signing with the department's real key where the point is to get past
the signature to a later check), and asserts that the office database is
exactly as it was: the full text export and the row count of every table.
"""

from __future__ import annotations

import json
import shutil
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from seri_desktop.exchange.codec import canonical_bytes, sha256_hex
from seri_desktop.exchange.errors import AlreadyMergedError, SubmissionError
from seri_desktop.exchange.merge import ACCEPT, apply_merge, preview_merge
from seri_desktop.exchange.submission import FORMAT_VERSION, sign
from seri_desktop.store.exchange import package_info
from seri_desktop.store.repository import load_report
from tests.helpers.db import engine_state
from tests.helpers.types import OpenPath

Mutate = Callable[[dict[str, Any]], None]


def _read(path: Path) -> tuple[dict[str, Any], bytes]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json")), archive.read("payload.json")


def _write(path: Path, manifest: dict[str, Any], payload: bytes, extra: list[tuple[str, bytes]] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        archive.writestr("payload.json", payload)
        for name, data in extra or []:
            archive.writestr(name, data)
    return path


def _forge(
    source: Path, target: Path, secret: bytes, *, payload: Mutate | None = None, manifest: Mutate | None = None
) -> Path:
    """Change the payload (and manifest), then re-sign with ``secret`` so the signature holds."""
    head, body = _read(source)
    data = json.loads(body)
    if payload is not None:
        payload(data)
    body = canonical_bytes(data)
    for key in ("report_id", "report_year", "department", "author", "created_at"):
        head[key] = data[key]
    # The manifest lists each program as the submission's format does: format 2 with its uid.
    head["programs"] = [
        {"code": p["code"], "base_revision": 1, "sha256": sha256_hex(canonical_bytes(_without_uid(p)))}
        | ({"uid": p["uid"]} if "uid" in p else {})
        if isinstance(p, dict) and "code" in p
        else {"uid": "?", "code": "?", "base_revision": 1, "sha256": ""}
        for p in data["programs"]
    ]
    if manifest is not None:
        manifest(head)
    head["payload_sha256"] = sha256_hex(body)
    head["signature"] = sign(secret, body)
    return _write(target, head, body)


def _without_uid(program: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in program.items() if key != "uid"}


@pytest.fixture
def office(office_copy: Path, open_engine: OpenPath) -> Engine:
    return open_engine(office_copy)


@pytest.fixture
def secret(exchange_template: dict[str, Path], open_engine: OpenPath) -> bytes:
    info = package_info(open_engine(exchange_template["package"]))
    assert info is not None
    return info.secret


def _refused(
    office: Engine, path: Path, code: str, words: list[str]
) -> SubmissionError:
    before = engine_state(office)
    with pytest.raises(SubmissionError) as refused:
        preview_merge(office, path)
    assert refused.value.code == code, str(refused.value)
    for word in words:
        assert word in str(refused.value)
    assert engine_state(office) == before
    return refused.value


def _office_program(office: Engine, code: str) -> dict[str, Any]:
    """The office's program as a submission (payload format 2) carries it: with its uid."""
    from seri_desktop.exchange.codec import program_to_payload

    report = load_report(office, 2024)
    assert report is not None
    program = report.program(code)
    assert program is not None
    return program_to_payload(program)


# --- damaged files -------------------------------------------------------------------------------------


def test_truncated_file(
    office: Engine, exchange_template: dict[str, Path], tmp_path: Path
) -> None:
    data = exchange_template["submission"].read_bytes()
    bad = tmp_path / "cut.serisub"
    bad.write_bytes(data[: len(data) // 2])
    _refused(office, bad, "not-a-zip", ["cut.serisub", "손상"])


@pytest.mark.parametrize("content", [b"", "제출 파일이 아닌 메모\n".encode(), b"PK\x03\x04garbage"])
def test_not_a_zip(office: Engine, tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "memo.serisub"
    bad.write_bytes(content)
    _refused(office, bad, "not-a-zip", ["memo.serisub", "zip"])


def test_tampered_payload(
    office: Engine, exchange_template: dict[str, Path], tmp_path: Path
) -> None:
    manifest, payload = _read(exchange_template["submission"])
    tampered = payload.replace("(부서 수정)".encode(), "(몰래 수정)".encode())
    assert tampered != payload
    bad = _write(tmp_path / "tampered.serisub", manifest, tampered)
    _refused(office, bad, "checksum", ["체크섬", "변조"])


def test_tampered_program_hash_in_manifest(
    office: Engine,
    exchange_template: dict[str, Path],
    tmp_path: Path,
    secret: bytes,
) -> None:
    def wrong_hash(head: dict[str, Any]) -> None:
        head["programs"][0]["sha256"] = "0" * 64

    bad = _forge(exchange_template["submission"], tmp_path / "hash.serisub", secret, manifest=wrong_hash)
    _refused(office, bad, "checksum", ["1-1", "체크섬"])


# --- forged files ---------------------------------------------------------------------------------------


def test_forged_department(
    office: Engine, exchange_template: dict[str, Path], tmp_path: Path
) -> None:
    manifest, payload = _read(exchange_template["submission"])
    manifest["department"] = "기획평가부"  # a department with a key, but not the one that signed
    bad = _write(tmp_path / "dept.serisub", manifest, payload)
    _refused(office, bad, "signature", ["서명", "기획평가부", "위조"])


def test_forged_with_an_unknown_key(
    office: Engine, exchange_template: dict[str, Path], tmp_path: Path
) -> None:
    def other(data: dict[str, Any]) -> None:
        data["department"] = "교육정보화부"  # never issued a package: the office has no key for it

    bad = _forge(exchange_template["submission"], tmp_path / "key.serisub", b"k" * 32, payload=other)
    _refused(office, bad, "unknown-key", ["교육정보화부", "키가 없습니다"])


def test_forged_signature(
    office: Engine, exchange_template: dict[str, Path], tmp_path: Path
) -> None:
    manifest, payload = _read(exchange_template["submission"])
    manifest["signature"] = "ab" * 32
    _refused(office, _write(tmp_path / "sig.serisub", manifest, payload), "signature", ["서명"])
    # Signed with another key over the right bytes: just as forged.
    manifest["signature"] = sign(b"x" * 32, payload)
    _refused(office, _write(tmp_path / "sig2.serisub", manifest, payload), "signature", ["서명"])


# --- ownership, report, version ----------------------------------------------------------------------------


def test_program_of_another_department(
    office: Engine,
    exchange_template: dict[str, Path],
    tmp_path: Path,
    secret: bytes,
) -> None:
    foreign = _office_program(office, "2-1")
    foreign["title"] = "다른 부서 사업을 고쳐 봄"

    def add_foreign(data: dict[str, Any]) -> None:
        data["programs"].append(foreign)

    bad = _forge(exchange_template["submission"], tmp_path / "own.serisub", secret, payload=add_foreign)
    _refused(office, bad, "ownership", ["기획평가부", "2-1", "교육정책연구소"])

    def relabel(data: dict[str, Any]) -> None:
        foreign["department"] = "교육정책연구소"  # claiming it does not make it theirs
        data["programs"].append(foreign)

    bad = _forge(exchange_template["submission"], tmp_path / "own2.serisub", secret, payload=relabel)
    _refused(office, bad, "ownership", ["2-1"])


def test_section_ii_of_another_department(
    office: Engine,
    exchange_template: dict[str, Path],
    tmp_path: Path,
    secret: bytes,
) -> None:
    def other_section(data: dict[str, Any]) -> None:
        data["section_ii"]["department"] = "기획평가부"

    bad = _forge(exchange_template["submission"], tmp_path / "sec.serisub", secret, payload=other_section)
    _refused(office, bad, "ownership", ["기획평가부", "업무 평가"])


def test_unknown_program(
    office: Engine,
    exchange_template: dict[str, Path],
    tmp_path: Path,
    secret: bytes,
) -> None:
    def invent(data: dict[str, Any]) -> None:
        made_up = dict(data["programs"][0])
        made_up["code"] = "1-9"
        made_up["uid"] = str(uuid.uuid4())  # a program the office never had (format 2 names programs by id)
        data["programs"].append(made_up)

    bad = _forge(exchange_template["submission"], tmp_path / "new.serisub", secret, payload=invent)
    _refused(office, bad, "unknown-program", ["1-9"])


def test_wrong_report_year(
    office: Engine,
    exchange_template: dict[str, Path],
    tmp_path: Path,
    secret: bytes,
) -> None:
    def year(data: dict[str, Any]) -> None:
        data["report_year"] = 2023

    bad = _forge(exchange_template["submission"], tmp_path / "year.serisub", secret, payload=year)
    _refused(office, bad, "report-year", ["2023년"])


def test_wrong_report_id(
    office: Engine,
    exchange_template: dict[str, Path],
    tmp_path: Path,
    secret: bytes,
) -> None:
    other_id = str(uuid.uuid4())

    def report_id(data: dict[str, Any]) -> None:
        data["report_id"] = other_id

    bad = _forge(exchange_template["submission"], tmp_path / "id.serisub", secret, payload=report_id)
    _refused(office, bad, "report-id", ["다른 보고서", other_id])


def test_unknown_package(
    office: Engine,
    exchange_template: dict[str, Path],
    tmp_path: Path,
    secret: bytes,
) -> None:
    def package(data: dict[str, Any]) -> None:
        data["package_id"] = str(uuid.uuid4())

    bad = _forge(exchange_template["submission"], tmp_path / "pkg.serisub", secret, payload=package)
    _refused(office, bad, "unknown-package", ["발급한 꾸러미"])


def test_manifest_and_payload_disagree(
    office: Engine,
    exchange_template: dict[str, Path],
    tmp_path: Path,
    secret: bytes,
) -> None:
    def author(head: dict[str, Any]) -> None:
        head["author"] = "다른 사람"  # the manifest is not signed; the payload's copy is

    bad = _forge(exchange_template["submission"], tmp_path / "author.serisub", secret, manifest=author)
    _refused(office, bad, "mismatch", ["author", "변조"])


def test_newer_format_version(
    office: Engine, exchange_template: dict[str, Path], tmp_path: Path
) -> None:
    manifest, payload = _read(exchange_template["submission"])
    manifest["format_version"] = FORMAT_VERSION + 1
    bad = _write(tmp_path / "v2.serisub", manifest, payload)
    _refused(office, bad, "format-version", [f"버전 {FORMAT_VERSION + 1}", "업데이트"])


# --- invalid cells and content ------------------------------------------------------------------------------


def _set_cell(cell: dict[str, Any]) -> Mutate:
    def mutate(data: dict[str, Any]) -> None:
        program = next(p for p in data["programs"] if p["code"] == "1-1")
        program["budget"]["lines"][0]["quarters"][2]["amount"] = cell

    return mutate


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ({"kind": "amount", "value": "12만", "raw": ""}, ["1-1", "1행 3분기", "정수가 아닙니다"]),
        ({"kind": "amount", "value": 1.5, "raw": ""}, ["1-1", "정수가 아닙니다"]),
        ({"kind": "amount", "value": True, "raw": ""}, ["1-1", "정수가 아닙니다"]),
        ({"kind": "bogus", "value": None, "raw": ""}, ["1-1", "알 수 없는 칸 종류 'bogus'"]),
        ({"kind": "invalid", "value": None, "raw": "1,2,3"}, ["1-1", "1행 3분기", "'1,2,3'", "금액이 아닙니다"]),
        ({"kind": "none", "value": 5, "raw": ""}, ["1-1", "금액 5"]),
        ("12345", ["1-1", "JSON 객체"]),
    ],
)
def test_payload_with_invalid_cells(
    office: Engine,
    exchange_template: dict[str, Path],
    tmp_path: Path,
    secret: bytes,
    cell: Any,
    words: list[str],
) -> None:
    bad = _forge(exchange_template["submission"], tmp_path / "cells.serisub", secret, payload=_set_cell(cell))
    _refused(office, bad, "payload", words)


def test_payload_that_is_not_json(
    office: Engine,
    exchange_template: dict[str, Path],
    tmp_path: Path,
    secret: bytes,
) -> None:
    manifest, _ = _read(exchange_template["submission"])
    body = b"{not json"
    manifest["payload_sha256"] = sha256_hex(body)
    manifest["signature"] = sign(secret, body)
    _refused(office, _write(tmp_path / "json.serisub", manifest, body), "payload", ["payload.json"])


# --- zip tricks -----------------------------------------------------------------------------------------------


def test_extra_members_and_paths_are_refused(
    office: Engine, exchange_template: dict[str, Path], tmp_path: Path
) -> None:
    manifest, payload = _read(exchange_template["submission"])
    bad = _write(tmp_path / "extra.serisub", manifest, payload, [("../../evil.txt", b"x")])
    _refused(office, bad, "layout", ["../../evil.txt"])
    assert not (tmp_path.parent / "evil.txt").exists()


def test_zip_bomb_is_refused_while_decompressing(
    office: Engine, exchange_template: dict[str, Path], tmp_path: Path
) -> None:
    manifest, _ = _read(exchange_template["submission"])
    bomb = tmp_path / "bomb.serisub"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        with archive.open("payload.json", "w") as member:  # 33 MiB of zeros, a few dozen KiB on disk
            chunk = b"\0" * 2**20
            for _ in range(33):
                member.write(chunk)
    assert bomb.stat().st_size < 2**20
    _refused(office, bomb, "too-large", ["payload.json", "너무"])


# --- the same submission twice ---------------------------------------------------------------------------------


def test_the_same_submission_twice_is_idempotent(
    office: Engine, exchange_template: dict[str, Path]
) -> None:
    preview = preview_merge(office, exchange_template["submission"])
    apply_merge(office, preview, dict.fromkeys(preview.pending(), ACCEPT), {}, "기획팀")
    merged = engine_state(office)
    with pytest.raises(AlreadyMergedError, match="이미 반영된 제출입니다"):
        preview_merge(office, exchange_template["submission"])
    # Applying an old preview again is refused too, inside the transaction.
    with pytest.raises(AlreadyMergedError, match="이미 반영된 제출입니다"):
        apply_merge(office, preview, dict.fromkeys(preview.pending(), ACCEPT), {}, "기획팀")
    assert engine_state(office) == merged


def test_a_package_is_not_where_submissions_are_merged(
    exchange_template: dict[str, Path], tmp_path: Path, open_engine: OpenPath
) -> None:
    package = tmp_path / "other.seripkg"
    shutil.copyfile(exchange_template["other_package"], package)
    with pytest.raises(SubmissionError) as refused:
        preview_merge(open_engine(package), exchange_template["submission"])
    assert refused.value.code == "is-a-package" and "부서 꾸러미" in str(refused.value)


def test_a_size_header_that_lies_does_not_let_more_through(
    office: Engine, exchange_template: dict[str, Path], tmp_path: Path
) -> None:
    manifest, _ = _read(exchange_template["submission"])
    liar = tmp_path / "liar.serisub"
    _write(liar, manifest, b"\0" * (33 * 2**20))
    data = bytearray(liar.read_bytes())
    # Central directory entry of payload.json: signature PK\1\2, uncompressed size at offset 24.
    entry = data.rfind(b"PK\x01\x02")
    assert data[entry + 46 : entry + 46 + len("payload.json")] == b"payload.json"
    data[entry + 24 : entry + 28] = (100).to_bytes(4, "little")
    liar.write_bytes(bytes(data))
    _refused(office, liar, "not-a-zip", ["liar.serisub"])
