"""The one atomic writer of export files, as the PDF and the 한글 exports use it: the umask's permissions,
nothing left behind when the writer fails or is cancelled, the format's own Korean error."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from seri_desktop.errors import UserError
from seri_desktop.formats.files import check_target, write_atomically, write_bytes_atomically


class SampleWriteError(UserError):
    default_code = "sample"


class Stopped(UserError):
    pass


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_written_with_the_umask_replacing_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    previous = os.umask(0o022)
    try:
        write_bytes_atomically(target, b"new", "시험", error=SampleWriteError)
    finally:
        os.umask(previous)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert _leftovers(tmp_path) == []


def test_the_writer_s_result_is_returned(tmp_path: Path) -> None:
    assert write_atomically(tmp_path / "n.txt", lambda tmp: tmp.write_text("abc", encoding="utf-8"), "시험") == 3


def test_a_failing_or_cancelled_writer_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")

    def half_then_stop(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        assert _leftovers(tmp_path) == [tmp.name]
        raise Stopped("취소했습니다")

    with pytest.raises(Stopped, match="취소했습니다"):  # the writer's own error goes through as it is
        write_atomically(target, half_then_stop, "시험", error=SampleWriteError)
    assert target.read_bytes() == b"old" and _leftovers(tmp_path) == []

    def full_disk(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(SampleWriteError, match=r"시험 파일을 저장할 수 없습니다: .*No space left on device") as caught:
        write_atomically(target, full_disk, "시험", error=SampleWriteError)
    assert caught.value.code == "sample"
    assert target.read_bytes() == b"old" and _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("missing/out.bin", "시험 파일을 저장할 폴더가 없습니다"),
        (".", "시험 파일 이름 대신 폴더를 지정했습니다"),
    ],
)
def test_a_target_that_cannot_be_a_file(tmp_path: Path, name: str, words: str) -> None:
    with pytest.raises(SampleWriteError, match=words):
        check_target(tmp_path / name, "시험", SampleWriteError)
    with pytest.raises(SampleWriteError, match=words):
        write_bytes_atomically(tmp_path / name, b"x", "시험", error=SampleWriteError)
    assert _leftovers(tmp_path) == []


def test_a_folder_that_refuses_the_temporary_file(tmp_path: Path) -> None:
    # 246 bytes: a name the file system takes, but not with the temporary file's "." and ".xxxxxxxx.part".
    target = tmp_path / ("가" * 82)
    with pytest.raises(SampleWriteError, match="시험 파일을 저장할 수 없습니다") as caught:
        write_bytes_atomically(target, b"x", "시험", error=SampleWriteError)
    assert str(target) in str(caught.value)
    assert not target.exists() and _leftovers(tmp_path) == []


def test_a_device_or_a_pipe_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    # As root, moving a file over /dev/null replaces the device with a plain file; a named pipe in the
    # test's own folder stands in for it (the test never goes near /dev).
    import stat

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for attempt in (
        lambda: check_target(pipe, "시험", SampleWriteError),
        lambda: write_bytes_atomically(pipe, b"x", "시험", error=SampleWriteError),
        lambda: write_atomically(pipe, lambda tmp: tmp.write_bytes(b"x"), "시험", error=SampleWriteError),
    ):
        with pytest.raises(SampleWriteError, match="일반 파일이 아닌 것"):
            attempt()
        assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert _leftovers(tmp_path) == []
