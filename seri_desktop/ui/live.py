"""The window notices what others save on a shared PostgreSQL database, and shows it (issue 16.3).

:class:`ChangeWatcher` is the Qt side of :class:`seri_desktop.store.notify.Listener`:
a ``QSocketNotifier`` on the listening connection's socket, so the event
loop never blocks and no thread is needed. Notices sent by this process
(the window's own saves, its own merges) are dropped: those paths show their
results themselves. A lost connection is opened again after
:data:`RECONNECT_MS` (twice as long after each failure, up to
:data:`MAX_RECONNECT_MS`), followed by a full refresh, since what was said
meanwhile is gone. On SQLite there is nothing to listen to, and nothing
runs.

:class:`LiveRefresh` decides what a change means for the window, once per
burst of notices (:data:`COALESCE_MS`: a merge of five submissions is one
refresh). A unit is *being edited* when it has edits not yet saved (the
autosaver's pending units, read only) or when the cursor is in its form.

* Nothing being edited: the report is read again (``MainWindow.reload``),
  the same item stays selected.
* Otherwise the changed programs and departments are read again in place:
  their navigator rows get the new titles, their forms are built afresh the
  next time they are shown, and the unit being edited is left exactly as it
  is (its text, its cursor, its undo history, and the revision it was read
  at, so its save is still checked against what others saved:
  :meth:`seri_desktop.ui.backend.StoreBackend.load_keeping`).
* A change to the unit being edited itself, to the unit shown, to the
  structure (``III``), the front matter (``I``), or to everything, waits
  until nothing is being edited (checked every :data:`DEFER_MS`); the save
  of the unit being edited meets the store's stale-write check meanwhile.
  So does every change while a dialog is open (a merge review, a progress
  dialog works on the report it read).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal
from PySide6.QtWidgets import QApplication

from seri_desktop.domain.identity import ItemRef
from seri_desktop.ui.rows import program_for_key, program_label

if TYPE_CHECKING:
    from seri_desktop.domain.model import Report
    from seri_desktop.store.notify import Change, Listener
    from seri_desktop.ui.backend import ReportBackend
    from seri_desktop.ui.main_window import MainWindow

RECONNECT_MS = 5000
MAX_RECONNECT_MS = 300_000
COALESCE_MS = 250
DEFER_MS = 2000
REFRESHED = "다른 사용자가 저장한 내용을 불러왔습니다"
DEFERRED = "다른 사용자가 저장한 내용이 있습니다. 고치던 곳을 벗어나면 불러옵니다."

log = logging.getLogger(__name__)


class ChangeWatcher(QObject):
    """Listens to the open PostgreSQL database; ``changed(Change)`` for every change saved by another process."""

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._url: object | None = None  # the engine's URL (with its password, in memory only)
        self._listener: Listener | None = None
        self._notifier: QSocketNotifier | None = None
        self._reconnect = QTimer(self)
        self._reconnect.setSingleShot(True)
        self._reconnect.setInterval(RECONNECT_MS)
        self._reconnect.timeout.connect(self._on_reconnect)

    @property
    def listening(self) -> bool:
        return self._listener is not None

    def watch(self, backend: ReportBackend | None) -> None:
        """Listen to ``backend``'s database if it is a PostgreSQL one (stop listening to the one before)."""
        self.stop()
        engine = getattr(backend, "engine", None)
        if engine is None or engine.dialect.name != "postgresql":
            return
        self._url = engine.url
        self._start()

    def stop(self) -> None:
        self._reconnect.stop()
        self._url = None
        self._drop()

    def _drop(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _start(self) -> bool:
        from sqlalchemy import URL

        from seri_desktop.store.engine import StoreError
        from seri_desktop.store.notify import Listener

        if not isinstance(self._url, URL):
            return False
        try:
            listener = Listener(self._url)
        except StoreError as exc:
            # The window works without live updates; it tries again later, less often each time.
            log.warning("change listener: %s", exc.message)
            self._reconnect.setInterval(min(self._reconnect.interval() * 2, MAX_RECONNECT_MS))
            self._reconnect.start()
            return False
        self._reconnect.setInterval(RECONNECT_MS)
        self._listener = listener
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)
        return True

    def _on_readable(self) -> None:
        from seri_desktop.store.notify import ListenerLost, this_process

        listener = self._listener
        if listener is None:
            return
        try:
            changes = listener.poll()
        except ListenerLost as exc:
            log.warning("change listener: %s", exc.message)
            self._drop()
            self._reconnect.start()
            return
        own = this_process()
        for change in changes:
            if change.origin != own:
                self.changed.emit(change)

    def _on_reconnect(self) -> None:
        from seri_desktop.store.notify import Change

        if self._url is not None and self._start():
            # Whatever was saved while the connection was down was never told: read everything.
            self.changed.emit(Change(0, None, "reconnect"))


class LiveRefresh(QObject):
    """Applies the changes a :class:`ChangeWatcher` reports to ``window``; see the module docstring."""

    refreshed = Signal()  # after the window showed what others saved (tests wait for it)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.watcher = ChangeWatcher(self)
        self.watcher.changed.connect(self.receive)
        self._everything = False
        self._keys: set[str] = set()
        self._told = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.apply)

    @property
    def pending(self) -> bool:
        return self._everything or bool(self._keys)

    def watch(self, backend: ReportBackend | None) -> None:
        self._everything, self._keys, self._told = False, set(), False
        self._timer.stop()
        self.watcher.watch(backend)

    def stop(self) -> None:
        self._timer.stop()
        self.watcher.stop()

    def receive(self, change: Change) -> None:
        """Note ``change`` (another year's report is not shown and is ignored); applied after a short pause."""
        report = self.window.report
        if change.everything and change.year == 0:
            self._everything = True
        elif report is not None and change.year != report.year:
            return
        elif change.everything or report is None:
            self._everything = True
        else:
            self._keys |= change.keys()
        self._timer.start(COALESCE_MS)

    def store_key(self, row_key: str | None) -> str | None:
        """The store's key of the unit of navigator row ``row_key`` (a program's uid: rows go by code)."""
        window = self.window
        row = window.model.row(row_key or "")
        if row is None or row.ref is None:
            return None
        if row.ref.is_program:
            program = program_for_key(window.report, row.key) if window.report is not None else None
            return program.uid if program is not None else None
        return row.ref.key()

    def being_edited(self) -> set[str]:
        """The items (store keys) being edited: unsaved edits, or the cursor in the shown unit's form."""
        window = self.window
        rows = list(window.autosaver.pending())
        focus = QApplication.focusWidget()
        if focus is not None and window.stack.isAncestorOf(focus):
            rows.append(window.current_key() or "")
        return {key for key in map(self.store_key, rows) if key is not None}

    def apply(self) -> bool:
        """Show what others saved now if nothing stands in the way; ``True`` when done, else tried again later."""
        if not self.pending:
            return True
        if QApplication.activeModalWidget() is not None:
            # A dialog (a merge review, a progress) works on the report as it was read: not under its feet.
            return self._defer()
        editing = self.being_edited()
        if not editing:
            self._everything, self._keys, self._told = False, set(), False
            self.window.reload()
            self.window.show_message(REFRESHED)
            self.refreshed.emit()
            return True
        # The shown unit is left too: its form holds its session (it is read again once nothing is edited).
        shown = self.store_key(self.window.current_key())
        blocking = editing | {ItemRef.front().key(), ItemRef.structure().key()} | ({shown} if shown else set())
        if self._everything or self._keys & blocking:
            return self._defer()
        if not self._in_place(editing):
            return self._defer()
        self.window.show_message(f"{REFRESHED} ({len(self._keys)}개 항목)")
        self._keys, self._told = set(), False
        if self._everything:
            self._timer.start(DEFER_MS)  # what could not be taken in place: once nothing is edited
        self.refreshed.emit()
        return True

    def _defer(self) -> bool:
        if not self._told:
            self.window.show_message(DEFERRED)
            self._told = True
        self._timer.start(DEFER_MS)
        return False

    def _in_place(self, editing: set[str]) -> bool:
        """Read the changed programs and departments into the shown report; ``False`` when that cannot be done.

        Only the changed items get their new revision in the backend; every
        other item keeps the one it was read at, so a save racing this read
        is still checked. A changed item is taken in, or is missing on one
        side (added or removed meanwhile: a structure change, whose own
        notice makes the full reload follow).
        """
        window, report = self.window, self.window.report
        loader = getattr(window.backend, "load_keeping", None)
        if report is None or loader is None:
            return False
        known = {p.uid for p in report.programs()} | {ItemRef.section_ii(d.name).key() for d in report.departments}
        known |= {ItemRef.front().key(), ItemRef.structure().key()}
        fresh: Report | None = loader((known - self._keys) | editing)
        if fresh is None:
            return False
        complete = True
        for key in self._keys:
            ref = ItemRef.from_key(key)
            if ref.is_program:
                complete = self._take_program(report, fresh, ref.id) and complete
            elif ref.is_section_ii:
                complete = self._take_department(report, fresh, ref) and complete
        if not complete:
            self._everything = True  # the rest when nothing is edited
        return True

    def _take_program(self, report: Report, fresh: Report, uid: str) -> bool:
        window = self.window
        old, new = report.program_by_uid(uid), fresh.program_by_uid(uid)
        if old is None or new is None:
            return False
        new.code = old.code  # the code is the structure's: the window keeps showing its own
        for chapter in report.chapters:
            chapter.programs[:] = [new if p.uid == uid else p for p in chapter.programs]
        # Rows, sessions and checks go by the program's code.
        for row_key in window.model.keys_for_ref(ItemRef.program(old.code)):
            window.units.forget(row_key)
            window.model.update_row(row_key, label=program_label(new))
        window.validator.schedule_program(old.code)
        return True

    def _take_department(self, report: Report, fresh: Report, ref: ItemRef) -> bool:
        department = fresh.department(ref.id)
        if department is None or report.department(ref.id) is None:
            return False
        report.departments[:] = [department if d.name == department.name else d for d in report.departments]
        for row_key in self.window.model.keys_for_ref(ref):
            self.window.units.forget(row_key)
        return True
