"""Autosave: what was edited is written to the store shortly after the last edit, and on demand.

Units (navigator keys of programs, departments, the front matter) are
marked dirty as they change; :data:`DELAY_MS` after the last change they are
saved, each in its own transaction (``save_program`` and friends, a few ms).
The window also calls :meth:`AutoSaver.flush` when the user leaves a field,
a program or the app, so closing never waits for the timer. A save that
fails, for whatever reason (the store refused it, the file is locked by
another program, the disk is full, a bug), keeps the unit dirty, says so,
is logged, and is tried again: losing an edit is never the way out.
A refusal the person can act on is logged as a warning; anything else with
its traceback, once per failure until a save succeeds again, so a retry
every few seconds does not fill the log.

A process killed abruptly loses at most the edits of the last
:data:`DELAY_MS` (plus the save itself): SQLite in WAL mode keeps every
committed save.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from seri_desktop.errors import UserError
from seri_desktop.logs import report_bug

DELAY_MS = 600
RETRY_MS = 3000

log = logging.getLogger(__name__)


class AutoSaver(QObject):
    """Saves dirty units through ``save_unit(key)``, which raises with a Korean message on failure."""

    saved = Signal(str)  # "HH:MM:SS" of the save
    failed = Signal(str)  # the error message

    def __init__(self, save_unit: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._save_unit = save_unit
        self._dirty: dict[str, None] = {}  # insertion-ordered set
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.last_saved: dt.datetime | None = None
        self.last_error = ""
        # The person's line for the last unexpected failure ("…기록 파일에 있습니다: <log>"), "" after a save.
        self.last_bug_line = ""
        self._logged: set[tuple[str, str]] = set()  # (unit, failure) logged since the last good save

    @property
    def delay_ms(self) -> int:
        return self._timer.interval()

    def set_delay(self, ms: int) -> None:
        self._timer.setInterval(ms)

    def mark_dirty(self, key: str) -> None:
        """``key`` changed: save it after the pause (every new change restarts the wait)."""
        self._dirty[key] = None
        self._timer.start(self.delay_ms)

    def pending(self) -> list[str]:
        return list(self._dirty)

    def is_dirty(self) -> bool:
        return bool(self._dirty)

    def discard(self) -> None:
        """Forget unsaved units (the report they belong to is being replaced)."""
        self._dirty.clear()
        self._timer.stop()

    def flush(self) -> bool:
        """Save every dirty unit now; ``True`` if nothing is left unsaved."""
        self._timer.stop()
        if not self._dirty:
            return True
        failures: list[str] = []
        for key in list(self._dirty):
            try:
                self._save_unit(key)
            except Exception as exc:  # whatever failed, the edit stays dirty: logged here, retried below
                failures.append(self._log_failure(key, exc))
                continue
            self._dirty.pop(key, None)
        if failures:
            self.last_error = failures[0]
            self.failed.emit(failures[0])
            self._timer.start(RETRY_MS)
            return False
        self.last_error = self.last_bug_line = ""
        self._logged.clear()
        self.last_saved = dt.datetime.now()
        self.saved.emit(self.last_saved.strftime("%H:%M:%S"))
        return True

    def _log_failure(self, key: str, exc: Exception) -> str:
        """Log a failed save (once per unit and failure until a save succeeds); the message to show."""
        message = str(exc).strip() or type(exc).__name__
        seen = (key, f"{type(exc).__name__}: {message}")
        if seen not in self._logged:
            self._logged.add(seen)
            if isinstance(exc, UserError):
                log.warning("autosave of %s refused (%s): %s", key, exc.code, message)
            else:
                self.last_bug_line = report_bug(exc, "자동 저장")
        return message
