"""The window's geometry, dock layout and splitter, kept in the settings between runs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

SETTINGS_GEOMETRY = "window/geometry"
SETTINGS_STATE = "window/state"
SETTINGS_SPLITTER = "window/splitter"


def save_state(window: QMainWindow, splitter: QSplitter, settings: QSettings) -> None:
    settings.setValue(SETTINGS_GEOMETRY, window.saveGeometry())
    settings.setValue(SETTINGS_STATE, window.saveState())
    settings.setValue(SETTINGS_SPLITTER, splitter.saveState())
    settings.sync()


def restore_state(window: QMainWindow, splitter: QSplitter, settings: QSettings) -> None:
    """Apply what :func:`save_state` kept; missing or foreign values are skipped."""
    restore: list[tuple[str, Callable[[QByteArray], object]]] = [
        (SETTINGS_GEOMETRY, window.restoreGeometry),
        (SETTINGS_STATE, window.restoreState),
        (SETTINGS_SPLITTER, splitter.restoreState),
    ]
    for name, apply in restore:
        value = settings.value(name)
        if isinstance(value, QByteArray):
            apply(value)
