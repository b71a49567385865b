"""The guard against PySide6 6.12 dropping references to None and True on Python 3.11."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )


CALLS = """
    from PySide6.QtCore import QObject, Signal

    class Probe(QObject):
        fired = Signal()

    probe = Probe()
    for _ in range(400_000):
        probe.setObjectName("x")
        probe.fired.emit()
    print("survived")
"""


def test_many_void_calls_and_emits_survive_with_the_guard() -> None:
    result = _run("from seri_desktop.ui import refcount_guard\nrefcount_guard.install()\n" + textwrap.dedent(CALLS))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "survived"


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None and True are immortal from Python 3.12 on")
def test_the_guard_is_needed_only_where_pyside_drops_references() -> None:
    # Documents why the guard exists: without it this PySide6 aborts the interpreter.
    from seri_desktop.ui import refcount_guard

    result = _run(CALLS)
    if refcount_guard.defect_present():
        assert result.returncode != 0 and "dealloc" in result.stderr
    else:
        assert result.returncode == 0
