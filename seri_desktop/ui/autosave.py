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

A save refused as stale (code ``"stale"``: someone else saved the unit
after this window read it) is *held*: the unit stays dirty, is not retried
on the timer, and :attr:`AutoSaver.stale` hands the error (with both
versions) to whoever lets the person choose (:mod:`seri_desktop.ui.stale_dialog`);
:meth:`AutoSaver.resolved` ends the hold once they have. A new edit of a
held unit tries it again (and so shows the choice again, with the new text).

A process killed abruptly loses nothing typed: committed saves are in the
database (SQLite in WAL mode keeps every one), and the edits of the pause
are in the journal (:mod:`seri_desktop.ui.journal`), offered on the next start.
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

    saved = Signal(str)  # "HH:MM:SS" of the save (nothing is left unsaved)
    failed = Signal(str)  # the error message
    unit_saved = Signal(str)  # the key of a unit just saved
    stale = Signal(str, object)  # key, the StaleWriteError: someone else saved first; the person chooses

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
        self._held: dict[str, Exception] = {}  # stale units waiting for the person's choice

    @property
    def delay_ms(self) -> int:
        return self._timer.interval()

    def set_delay(self, ms: int) -> None:
        self._timer.setInterval(ms)

    def mark_dirty(self, key: str) -> None:
        """``key`` changed: save it after the pause (every new change restarts the wait)."""
        self._dirty[key] = None
        # A new edit of a held unit: try it again (a still-stale save shows the choice again, with this text).
        self._held.pop(key, None)
        self._timer.start(self.delay_ms)

    def pending(self) -> list[str]:
        return list(self._dirty)

    def is_dirty(self) -> bool:
        return bool(self._dirty)

    def held(self) -> list[str]:
        """Units whose save was refused as stale and that wait for the person's choice."""
        return list(self._held)

    def resolved(self, key: str, *, saved: bool) -> None:
        """The person chose for held unit ``key``: ``saved`` (theirs is stored now) or it is to be saved again."""
        self._held.pop(key, None)
        if saved:
            self._dirty.pop(key, None)
            self.unit_saved.emit(key)
            if not self._dirty:
                self._all_saved()
        elif key in self._dirty:
            self._timer.start(0)

    def discard(self) -> None:
        """Forget unsaved units (the report they belong to is being replaced)."""
        self._dirty.clear()
        self._held.clear()
        self._timer.stop()

    def flush(self) -> bool:
        """Save every dirty unit now; ``True`` if nothing is left unsaved."""
        self._timer.stop()
        if not self._dirty:
            return True
        failures: list[str] = []
        stale: list[tuple[str, Exception]] = []
        for key in list(self._dirty):
            if key in self._held:
                failures.append(str(self._held[key]))
                continue
            try:
                self._save_unit(key)
            except Exception as exc:  # whatever failed, the edit stays dirty: logged here, retried below
                failures.append(self._log_failure(key, exc))
                if is_stale(exc):
                    self._held[key] = exc
                    stale.append((key, exc))
                continue
            self._dirty.pop(key, None)
            self.unit_saved.emit(key)
        if failures:
            self.last_error = failures[0]
            self.failed.emit(failures[0])
            if len(self._held) < len(self._dirty):  # a held unit waits for the person, not for the timer
                self._timer.start(RETRY_MS)
            for key, refusal in stale:
                self.stale.emit(key, refusal)
            return False
        self._all_saved()
        return True

    def _all_saved(self) -> None:
        self.last_error = self.last_bug_line = ""
        self._logged.clear()
        self.last_saved = dt.datetime.now()
        self.saved.emit(self.last_saved.strftime("%H:%M:%S"))

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


def is_stale(exc: BaseException) -> bool:
    """Whether ``exc`` is the store's stale-write refusal (``StaleWriteError``, code ``"stale"``).

    By its code: importing the store here would load SQLAlchemy with the UI.
    """
    return isinstance(exc, UserError) and exc.code == "stale"
