"""The desktop build: PyInstaller builds build.spec, and the frozen app's self-test passes offscreen.

This is the slowest test (about a minute on two cores): it freezes the real
app into a temporary folder and runs ``seri-desktop --self-test`` there, which
imports the shipped example report, checks it, writes a PDF and a workbook and
opens the main window, all from the bundle.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_frozen_app_self_test_passes(tmp_path: Path) -> None:
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    build = subprocess.run(
        [
            str(pyinstaller),
            "--noconfirm",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "work"),
            str(REPO / "build.spec"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=1200,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    app_dir = tmp_path / "dist" / "seri-desktop"
    binary = app_dir / "seri-desktop"
    assert binary.is_file()
    bundled = app_dir / "_internal"
    assert (bundled / "db" / "versions").is_dir() and (bundled / "resources" / "sample-report.txt").is_file()
    assert any((bundled / "fonts").glob("*.ttf")), "the Korean fonts must travel with the app"
    size_mib = sum(f.stat().st_size for f in app_dir.rglob("*") if f.is_file()) / 2**20
    print(f"frozen build: {size_mib:.0f} MiB")

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [str(binary), "--self-test"], capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "자체 점검: 6/6 통과" in done.stdout
