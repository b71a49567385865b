"""The types of the factory fixtures that remain fixtures (they close what they open after the test).

A fixture stays a fixture when it owns something to clean up (engines,
windows, backends); everything else is a plain function in ``tests.helpers``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from tests.helpers.db import State

if TYPE_CHECKING:  # the store and exchange tests need not import Qt for a type
    from seri_desktop.ui.main_window import MainWindow

__all__ = ["OpenEngine", "OpenPath", "OpenWindow", "RunCli", "State", "WindowOn"]

OpenEngine = Callable[..., Engine]
"""``open_engine(path, *, migrate=True)`` (tests/store, tests/pg): an engine disposed after the test."""

OpenPath = Callable[[Path], Engine]
"""``engines(path)`` (tests/exchange): a migrated engine on a file, disposed after the test."""

OpenWindow = Callable[..., "MainWindow"]
"""``open_window(db, *, department=None, states=None, fast=True)`` (tests/ui): a shown window on a database."""

WindowOn = Callable[[Path], "MainWindow"]
"""``window_on(path)`` (tests/ui): a shown window on a database or package, opened as the app opens it."""

RunCli = Callable[..., subprocess.CompletedProcess[str]]
"""``run_cli(*args)`` (tests/pg): the CLI run as a process."""
