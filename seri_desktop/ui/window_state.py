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


def restore_geometry(window: QMainWindow, splitter: QSplitter, settings: QSettings) -> None:
    """Apply the window's geometry and the splitter :func:`save_state` kept; missing or foreign values are skipped."""
    _restore(settings, [(SETTINGS_GEOMETRY, window.restoreGeometry), (SETTINGS_SPLITTER, splitter.restoreState)])


def restore_docks(window: QMainWindow, settings: QSettings) -> None:
    """Apply the docks' and toolbars' places :func:`save_state` kept (once they exist: the window builds them after its first show)."""
    _restore(settings, [(SETTINGS_STATE, window.restoreState)])


def _restore(settings: QSettings, restore: list[tuple[str, Callable[[QByteArray], object]]]) -> None:
    for name, apply in restore:
        value = settings.value(name)
        if isinstance(value, QByteArray):
            apply(value)
