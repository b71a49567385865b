"""Where the files the app ships (resources/, db/) are, from source and when frozen.

PyInstaller unpacks them under ``sys._MEIPASS``; from a source checkout they
sit at the top of the repository, beside the package.
"""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    """The folder holding resources/ and db/."""
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) if bundle else Path(__file__).resolve().parents[1]


def resource_path(name: str) -> Path:
    """A file under resources/ (it may not exist; callers report that)."""
    return app_root() / "resources" / name


SAMPLE_REPORT = "sample-report.txt"
