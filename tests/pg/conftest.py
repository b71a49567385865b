"""Fixtures for the PostgreSQL tests: the real command as a process, and engines disposed after each test.

The server and the fresh databases come from ``tests/conftest.py``
(``pg_server_url``, ``pg_database``, ``db_target``): without a server these
tests skip on a developer's machine and fail in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from seri_desktop.settings import set_user_name
from tests.helpers.types import RunCli


@pytest.fixture
def run_cli(tmp_path: Path, recorded_name: str) -> RunCli:
    """``run_cli(*args, cwd=None, env=None)``: ``python -m seri_desktop`` as a user runs it.

    The process gets its own data folder (logs) and, unless told otherwise, an
    empty working folder, so a test can see every file it leaves behind.
    """
    data = tmp_path / "data-dir"
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    set_user_name(recorded_name, data)  # the name every write is recorded with

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        # A PGPASSWORD of the developer's shell must not stand in for the password a test gives.
        inherited = {name: value for name, value in os.environ.items() if name != "PGPASSWORD"}
        full_env = {**inherited, "QT_QPA_PLATFORM": "offscreen", "SERI_DATA_DIR": str(data), **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "seri_desktop", *args],
            capture_output=True,
            text=True,
            env=full_env,
            cwd=cwd or work,
            timeout=300,
            check=False,
        )

    return run

