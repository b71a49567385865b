"""The one atomic writer of output files: the umask's permissions, nothing left behind on failure, Korean errors."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from seri_desktop.formats.files import OutputError, OutputKind, atomic_output, write_bytes_atomically

KIND = OutputKind("시험 파일", "시험 파일을", OutputError)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_written_with_the_umask_and_replacing_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    previous = os.umask(0o022)
    try:
        write_bytes_atomically(target, b"new", KIND)
    finally:
        os.umask(previous)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert _leftovers(tmp_path) == []


def test_an_error_in_the_block_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="stop"), atomic_output(target, KIND) as tmp:
        tmp.write_bytes(b"half")
        assert _leftovers(tmp_path) == [tmp.name]
        raise RuntimeError("stop")
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []
    absent = tmp_path / "absent.bin"
    with pytest.raises(KeyboardInterrupt), atomic_output(absent, KIND):
        raise KeyboardInterrupt
    assert not absent.exists() and _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("missing/out.bin", "시험 파일을 저장할 폴더가 없습니다"),
        (".", "시험 파일 이름 대신 폴더를 지정했습니다"),
    ],
)
def test_a_target_that_cannot_be_a_file(tmp_path: Path, name: str, words: str) -> None:
    with pytest.raises(OutputError, match=words) as caught:
        write_bytes_atomically(tmp_path / name, b"x", KIND)
    assert caught.value.code == "output"
    assert _leftovers(tmp_path) == []


def test_a_folder_that_refuses_the_temporary_file(tmp_path: Path) -> None:
    # A name the file system takes but not with the temporary file's prefix and suffix (ENAMETOOLONG).
    target = tmp_path / ("가" * 82)  # 246 bytes; with ".", ".xxxxxxxx.part" over 255
    with pytest.raises(OutputError, match="시험 파일을 저장할 폴더에 쓸 수 없습니다") as caught:
        write_bytes_atomically(target, b"x", KIND)
    assert str(tmp_path) in str(caught.value)
    assert not target.exists() and _leftovers(tmp_path) == []
