"""The databases opened lately, as the settings keep them, and the one the app opens again on start.

Light on purpose: the app reads :func:`last_opened` before the window's first
show, so this module needs nothing but :class:`QSettings` (issue 17.3). The
File menu's actions (:mod:`seri_desktop.ui.actions_files`) write the list;
the saved server connections (:mod:`seri_desktop.ui.connections`) are kept
with the same :func:`listed`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

SETTINGS_RECENT = "files/recent"


def is_url_text(text: str) -> bool:
    """Whether a kept entry (recent list, saved connection) names a server rather than a file."""
    return "://" in text


def listed(settings: QSettings, key: str) -> list[str]:
    """A list of strings kept in the settings under ``key`` (QSettings gives one value back as a plain string)."""
    value = settings.value(key, [])
    items = [value] if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
    return [str(item) for item in items if str(item)]


def recent_entries(settings: QSettings) -> list[Path | str]:
    """The databases opened lately, newest first: files as paths, servers as their URL text (no password)."""
    return [text if is_url_text(text) else Path(text) for text in listed(settings, SETTINGS_RECENT)]


def recent_files(settings: QSettings) -> list[Path]:
    """The database files opened lately, newest first (kept in the settings)."""
    return [entry for entry in recent_entries(settings) if isinstance(entry, Path)]


def last_opened(settings: QSettings) -> Path | None:
    """The database file shown last, if it is still there: the app opens it again on start (never a server)."""
    entries = recent_entries(settings)[:1]
    return next((path for path in entries if isinstance(path, Path) and path.is_file()), None)
