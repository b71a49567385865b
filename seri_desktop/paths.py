"""Where the app keeps its files, computed without Qt so that the command line stays light.

The window and the command line must agree on the data folder (the default
database, the log). Qt's ``QStandardPaths.AppDataLocation`` is the reference;
this module computes the same folder from the platform's conventions
(``tests/ui`` asserts that both agree), so a command such as ``check`` never
imports Qt just to find it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ORGANIZATION = "seri-desktop"
APPLICATION = "seri-desktop"
DB_FILE_NAME = "seri-desktop.sqlite"
DATA_DIR_ENV_VAR = "SERI_DATA_DIR"  # tests and portable installs point the data folder elsewhere


def data_dir() -> Path:
    """The app data folder (``~/.local/share/seri-desktop/seri-desktop`` on Linux); not created here."""
    override = os.environ.get(DATA_DIR_ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "").strip()
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / ORGANIZATION / APPLICATION


def default_db_path() -> Path:
    """The database the app opens when none is named."""
    return data_dir() / DB_FILE_NAME


def log_dir() -> Path:
    """The folder of the log files."""
    return data_dir() / "logs"
