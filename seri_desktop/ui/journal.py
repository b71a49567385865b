"""The window's side of the journal of unsaved edits: write every edit at once, offer what a crash left.

:class:`JournalKeeper` keeps the :class:`~seri_desktop.store.journal.EditJournal`
of the open database (a :class:`~seri_desktop.ui.backend.StoreBackend`; other
backends keep none):

* :meth:`JournalKeeper.record` is called for every edit, before the autosave
  is even scheduled, and appends the field's new value with the revision the
  window had read (``fsync``-ed: a kill right after typing keeps it);
* :meth:`JournalKeeper.saved` marks a unit saved, :meth:`JournalKeeper.clear`
  removes the journal once nothing is left unsaved;
* :meth:`JournalKeeper.offer` (after every load of the report) shows a
  :class:`RecoveryDialog` when the journal holds edits that were never saved
  (the app was killed, the power went, a held stale save was left when the
  report was reloaded): the units with unsaved text, when they were typed and
  where; 복구 puts the text back into the forms (one undo step per unit, on
  the revision read then, so a unit someone saved meanwhile is shown side by
  side, :mod:`seri_desktop.ui.stale_dialog`), 버리기 drops it, closing asks
  again on the next start.

A journal that cannot be written (disk full, no permission) never stops an
edit: it is logged once and the status bar says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableWidget, QWidget

from seri_desktop.domain import template
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Department, Program
from seri_desktop.store.journal import EditJournal, PendingUnit
from seri_desktop.ui.backend import ReportBackend, StoreBackend
from seri_desktop.ui.choice_dialog import ChoiceDialog
from seri_desktop.ui.editing import EditSession
from seri_desktop.ui.review_dialogs import fill_table
from seri_desktop.ui.units import Units

log = logging.getLogger(__name__)

TITLE: Final = "저장하지 못한 내용이 있습니다"
RESTORE: Final = "restore"
DISCARD: Final = "discard"
LABELS: Final = {RESTORE: "복구", DISCARD: "버리기", "later": "나중에", "undo": "저장하지 못한 내용 복구"}

def unit_label(session: EditSession) -> str:
    """How the recovery dialog names a unit: ``4-8 제목``, ``<부서> 업무 평가``, ``일반 현황``."""
    target = session.target
    if isinstance(target, Program):
        return f"{target.code} {target.title}"
    if isinstance(target, Department):
        return f"{target.name} 업무 평가"
    return template.FRONT_HEADING


def unit_ref(session: EditSession) -> ItemRef | None:
    """The unit a session edits as the store names it: a program by its permanent id (rows may use its code)."""
    if isinstance(session.target, Program):
        return ItemRef.of(session.target)
    return session.ref


def _when(at: str) -> str:
    # ISO with milliseconds and offset → "YYYY-MM-DD HH:MM:SS" as typed (local time of the machine that typed it).
    return at[:19].replace("T", " ")


class RecoveryDialog(ChoiceDialog):
    """The units a crash left unsaved and the choice: 복구 / 버리기 / 나중에; ``chosen(RESTORE | DISCARD)``."""

    def __init__(self, units: list[PendingUnit], parent: QWidget | None = None) -> None:
        super().__init__(TITLE, parent)
        self.units = units
        note = QLabel(
            "지난번에 프로그램이 저장하기 전에 끝났습니다. 아래 항목에 입력한 내용이 저장되지 않았습니다. "
            "복구하면 양식에 다시 넣고 저장합니다(그 사이 다른 곳에서 저장했으면 두 내용을 나란히 보여 줍니다)."
        )
        note.setWordWrap(True)
        self.body.addWidget(note)
        self.table = QTableWidget()
        fill_table(
            self.table,
            ["항목", "마지막 입력", "고친 곳"],
            [[u.label, _when(u.at), ", ".join(template.label(f) for f in u.fields)] for u in units],
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.resizeColumnsToContents()
        self.body.addWidget(self.table, 1)
        self.later_button = self.add_choices(
            [
                (RESTORE, LABELS[RESTORE], "입력한 내용을 양식에 다시 넣고 저장합니다."),
                (DISCARD, LABELS[DISCARD], "입력한 내용을 버립니다. 저장된 내용은 그대로입니다."),
            ],
            LABELS["later"],
        )
        self.restore_button, self.discard_button = self.buttons[RESTORE], self.buttons[DISCARD]
        self.restore_button.setDefault(True)
        self.resize(720, 360)


class JournalKeeper(QObject):
    """See the module docstring. ``session_of(ref)``: the edit session of a unit (opening it);
    ``go_to(row key)``: show it."""

    message = Signal(str)
    restored = Signal(list)  # the ItemRefs whose text was put back

    def __init__(
        self,
        parent: QWidget,
        units: Units,
        session_of: Callable[[ItemRef], EditSession | None],
        go_to: Callable[[str], bool],
    ) -> None:
        super().__init__(parent)
        self._parent, self._units = parent, units
        self._session_of, self._go_to = session_of, go_to
        self.journal: EditJournal | None = None
        self._backend: StoreBackend | None = None
        self.dialog: RecoveryDialog | None = None
        self._broken = False  # a write failed: said once

    def open(self, backend: ReportBackend | None) -> None:
        """Keep the journal of ``backend``'s database (none for a backend without a database)."""
        self.close()
        if isinstance(backend, StoreBackend):
            self._backend = backend
            self.journal = EditJournal(backend.identity())

    def close(self) -> None:
        self.journal, self._backend = None, None

    # --- writing ---------------------------------------------------------------------------------------

    def record(self, key: str, field_key: str) -> None:
        """Field ``field_key`` of unit ``key`` changed: append its new value (on disk when this returns)."""
        session = self._units.get(key)
        report = self._units.report
        ref = unit_ref(session) if session is not None else None
        if self.journal is None or self._backend is None or session is None or ref is None or report is None:
            return
        if field_key not in session.fields():
            return
        try:
            self.journal.record_edit(
                year=report.year,
                item=ref.key(),
                label=unit_label(session),
                read=self._backend.revision(ref),
                field_key=field_key,
                value=session.get(field_key),
            )
        except (OSError, TypeError, ValueError) as exc:  # the edit itself must go on: the autosave still saves it
            self._failed(exc)

    def saved(self, key: str) -> None:
        """Unit ``key`` was saved: its journal entries are done."""
        session = self._units.get(key)
        ref = unit_ref(session) if session is not None else None
        if self.journal is None or self._backend is None or ref is None:
            return
        try:
            self.journal.record_saved(ref.key(), self._backend.revision(ref))
        except OSError as exc:
            self._failed(exc)

    def clear(self) -> None:
        """Nothing is left unsaved: the journal goes."""
        if self.journal is None:
            return
        try:
            self.journal.clear()
        except OSError as exc:
            self._failed(exc)

    def _failed(self, exc: Exception) -> None:
        if not self._broken:
            self._broken = True
            log.warning("journal of unsaved edits not written: %s", exc)
            self.message.emit(f"저장하지 않은 입력의 임시 기록을 쓰지 못했습니다({exc}). 자동 저장은 계속합니다.")

    # --- recovery --------------------------------------------------------------------------------------

    def pending(self) -> list[PendingUnit]:
        """The unsaved units of the open report that earlier runs (a crash) left in the journal."""
        report = self._units.report
        if self.journal is None or report is None:
            return []
        run = self.journal.run
        return [unit for unit in self.journal.pending() if unit.year == report.year and unit.run != run]

    def offer(self) -> None:
        """After a load: if the journal holds unsaved edits of this report, ask what to do (once the load is done).

        A load replaces the sessions, so unsaved edits of this window's run (a held stale
        save when the report was reloaded) are dropped from the forms: they count as an
        earlier run's from here on, and are offered like a crash's.
        """
        if self.journal is not None:
            self.journal.next_run()
        QTimer.singleShot(0, self._offer_now)

    def _offer_now(self) -> None:
        if self.dialog is not None:
            return
        units = self.pending()
        if not units:
            return
        self.dialog = RecoveryDialog(units, self._parent)
        self.dialog.chosen.connect(lambda choice: self.choose(units, choice))
        self.dialog.finished.connect(self._closed)
        self.dialog.open()

    def _closed(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def choose(self, units: list[PendingUnit], choice: str) -> None:
        """:data:`RESTORE` or :data:`DISCARD` the journal's ``units``."""
        if self.journal is None or self._backend is None:
            return
        if choice == DISCARD:
            for unit in units:
                self.journal.record_discarded(unit.item, unit.run)
            self.journal.clear()
            self.message.emit(f"저장하지 못한 내용 {len(units)}건을 버렸습니다.")
            return
        restored: list[ItemRef] = []
        shown = ""
        missing: list[str] = []
        for unit in units:
            session = self._session_of(ItemRef.from_key(unit.item))
            ref = unit_ref(session) if session is not None else None
            if session is None or session.readonly or ref is None or ref.key() != unit.item:
                missing.append(unit.label)  # kept in the journal: offered again, nothing dropped unseen
                continue
            # On the revision read then: a unit saved since by someone else is a stale save, shown side by side.
            self._backend.remember_revision(ref, unit.read)
            if session.change_many(unit.fields, LABELS["undo"]):
                restored.append(ref)
                shown = shown or session.key  # journalled again by this run (the change), until saved
            # Settled either way: the text is in the form now, or the stored one already is what was typed.
            self.journal.record_discarded(unit.item, unit.run)
        if shown:
            self._go_to(shown)
        text = f"저장하지 못한 내용 {len(restored)}건을 복구했습니다."
        if missing:
            text += f" 고칠 수 없어 복구하지 못한 항목(다음에 다시 묻습니다): {', '.join(missing)}"
        self.message.emit(text)
        self.restored.emit(restored)


__all__ = ["DISCARD", "RESTORE", "JournalKeeper", "RecoveryDialog", "unit_label"]
