"""Kill the real app (SIGKILL) right after an edit's autosave: reopening shows the edit.

The app runs as its own process, offscreen, on a copy of the 2024 database.
``SERI_TEST_SCRIPT`` makes it select 4-8, type an amount into a budget cell
and a few words into an outline through the window's own code paths, and
write marker files: once the edit is made, once the autosave has run. The
test then kills the process, which gets no chance to save anything more.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.db import load_db
from tests.helpers.types import OpenWindow

pytestmark = [pytest.mark.acceptance, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")]

START_TIMEOUT_S = 60  # a loaded 2-core CI runner starts Python, Qt and SQLAlchemy in a few seconds


def wait_for(path: Path, process: subprocess.Popen[bytes], log: Path, timeout: float) -> float:
    """The time written into ``path`` once it appears; fails if the app exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text(encoding="utf-8"):
            return float(path.read_text(encoding="utf-8"))
        if process.poll() is not None:
            pytest.fail(f"the app exited ({process.returncode}) before {path.name}:\n{log.read_text(errors='replace')}")
        time.sleep(0.02)
    pytest.fail(f"{path.name} did not appear within {timeout} s:\n{log.read_text(errors='replace')}")


def run_script_then_kill(tmp_path: Path, db: Path, steps: list[dict[str, Any]], *markers: Path) -> list[float]:
    """Start the app on ``db`` with the test script ``steps``, wait for each marker file, then SIGKILL it.

    Returns the times written into the markers and, last, the time of the kill.
    """
    script = tmp_path / "script.json"
    script.write_text(json.dumps(steps, ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        SERI_TEST_SCRIPT=str(script),
        # The app's QSettings and data folders: never the user's.
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        HOME=str(tmp_path),
    )
    log = tmp_path / "stderr.txt"
    times: list[float] = []
    # A file, not DEVNULL: the CI sandbox has been seen without /dev/null.
    with log.open("wb") as stderr, (tmp_path / "stdout.txt").open("wb") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "seri_desktop", "--db", str(db)],
            env=env,
            stdout=stdout,
            stderr=stderr,
        )
        try:
            for number, marker in enumerate(markers):
                times.append(wait_for(marker, process, log, START_TIMEOUT_S if number == 0 else 10))
        finally:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
            times.append(time.time())
            process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    return times


def test_an_autosaved_edit_survives_kill_9(tmp_path: Path, db_2024: Path, open_window: OpenWindow) -> None:
    edited, saved = tmp_path / "edited", tmp_path / "saved"
    steps: list[dict[str, Any]] = [
        {"select": "program:4-8"},
        {"budget_cell": [0, "q4", "1,752"]},
        {"outline_append": ["issues", " (강제 종료 시험)"]},
        {"mark": str(edited)},
        {"wait_saved": str(saved)},
    ]
    edit_time, save_time, _killed = run_script_then_kill(tmp_path, db_2024, steps, edited, saved)
    # Autosave came within about a second of the last edit (0.6 s pause + the save).
    assert save_time - edit_time < 3.0

    report = load_db(db_2024)
    program = report.program("4-8")
    assert program is not None and program.budget is not None
    assert program.budget.lines[0].quarters[3].amount.value == 1752
    assert program.issues[-1].text.endswith(" (강제 종료 시험)")

    window = open_window(db_2024)
    window.select_key("program:4-8")
    budget = window.program_form.budget_editor
    assert budget.model.data(budget.index_for(0, "q4")) == "1,752"
    assert window.program_form.editors["issues"].outline()[-1].text.endswith(" (강제 종료 시험)")
