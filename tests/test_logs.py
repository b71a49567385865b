"""The bug log: made on the first record, rotated at its size, standard error when the file cannot be opened."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from seri_desktop import logs


@pytest.fixture
def restore_logging() -> Iterator[None]:
    before = logs.log_path()
    yield None
    logs.setup_logging(before.parent)  # leave it where it was


def test_the_file_is_made_on_the_first_record_and_rotates(tmp_path: Path, restore_logging: None) -> None:
    folder = tmp_path / "logs"
    target = logs.setup_logging(folder)
    assert target == folder / logs.LOG_FILE_NAME and folder.is_dir()
    assert not target.exists()  # nothing logged, nothing opened
    try:
        raise ValueError("계산이 틀렸습니다")
    except ValueError as exc:
        line = logs.report_bug(exc, "시험")
    assert str(target) in line
    text = target.read_text(encoding="utf-8")
    assert "ValueError: 계산이 틀렸습니다" in text and "Traceback" in text
    big = "가" * 1000
    for _ in range(logs.MAX_BYTES // 2000):
        logging.getLogger("seri_desktop.test").warning(big)
    assert (folder / f"{logs.LOG_FILE_NAME}.1").exists()
    assert target.stat().st_size < logs.MAX_BYTES


def test_a_log_that_cannot_be_opened_goes_to_standard_error(tmp_path: Path) -> None:
    (tmp_path / "logs" / logs.LOG_FILE_NAME).mkdir(parents=True)  # a folder where the file should be
    code = textwrap.dedent(
        f"""
        import logging
        from pathlib import Path
        from seri_desktop import logs
        logs.setup_logging(Path({str(tmp_path / "logs")!r}))
        logging.getLogger("seri_desktop.x").error("기록할 수 없는 곳")
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "ERROR seri_desktop.x" in done.stderr and "기록할 수 없는 곳" in done.stderr


def test_a_command_does_not_import_the_handlers_until_it_logs(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from seri_desktop import logs; "
        f"logs.setup_logging(Path({str(tmp_path)!r})); print('logging.handlers' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr
