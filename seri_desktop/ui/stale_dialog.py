"""Someone else saved first: the stored version and the person's side by side, and their choice.

When the autosave of a program, a department's section II or the front
matter is refused as stale (``StaleWriteError``: a merge from the command
line, another window, another person on a shared database saved the unit
after this window read it), nothing typed is lost: the unit stays dirty and
held (:mod:`seri_desktop.ui.autosave`), its text stays in the form and in the
journal of unsaved edits (:mod:`seri_desktop.ui.journal`), and
:class:`StaleResolver` shows a :class:`StaleDialog`:

* on top, the store's message: who saved it, when and how (from the unit's
  revision record);
* a table of every place where the two differ: 곳 | 저장된 내용 | 내 내용;
* :data:`KEEP` 내 내용으로 저장: saves the person's version over the stored
  one (:meth:`~seri_desktop.ui.backend.StoreBackend.save_over`: an explicit
  choice, written to the audit log with what it overwrote);
* :data:`TAKE` 저장된 내용 받기: the form takes the stored version (one undo
  step, so Ctrl+Z brings the person's text back);
* 내 내용 복사: the person's text of the differing places to the
  clipboard (the dialog stays open);
* closing the dialog chooses nothing: the unit stays unsaved and held; the
  next edit of it tries again (and asks again).

The dialog is window-modal and opened with ``open()`` (no nested event loop),
one at a time; stale units queue behind it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QPushButton, QTableWidget, QWidget

from seri_desktop.domain.canonical import SectionII
from seri_desktop.domain.diff import FieldChange, front_changes, program_changes, section_ii_changes
from seri_desktop.domain.model import Department, Program, Report
from seri_desktop.errors import UserError
from seri_desktop.ui.autosave import AutoSaver, is_stale
from seri_desktop.ui.backend import StoreBackend
from seri_desktop.ui.choice_dialog import ChoiceDialog
from seri_desktop.ui.review_dialogs import fill_table, local_time
from seri_desktop.ui.units import Units

if TYPE_CHECKING:
    from seri_desktop.store.unit import StaleWriteError

log = logging.getLogger(__name__)

KEEP: Final = "keep"
TAKE: Final = "take"
TITLE: Final = "다른 곳에서 먼저 저장했습니다"
LABELS: Final = {
    KEEP: "내 내용으로 저장(덮어쓰기)",
    TAKE: "저장된 내용 받기",
    "copy": "내 내용 복사",
    "later": "닫기(나중에 고르기)",
}
EMPTY: Final = "(비어 있음)"


def unit_changes(stored: Any, mine: Any, year: int) -> list[FieldChange]:
    """Where ``mine`` differs from ``stored`` (two versions of one program, section II or front matter)."""
    if isinstance(mine, Program):
        return program_changes(stored if isinstance(stored, Program) else None, mine, year)
    if isinstance(mine, Department):
        before = SectionII.of(stored) if isinstance(stored, Department) else None
        return section_ii_changes(before, SectionII.of(mine))
    if isinstance(mine, Report):
        return front_changes(stored, mine)
    return []


def mine_text(title: str, changes: list[FieldChange]) -> str:
    """The person's text of the places that differ, to keep elsewhere (what 내 내용 복사 copies)."""
    lines = [title]
    for change in changes:
        lines.append(f"{change.place()}: {change.new or EMPTY}")
    return "\n".join(lines)


class StaleDialog(ChoiceDialog):
    """The side-by-side view and the choice (see the module docstring); ``chosen(KEEP | TAKE)``."""

    def __init__(self, error: StaleWriteError, mine: Any, year: int, parent: QWidget | None = None) -> None:
        super().__init__(TITLE, parent)
        self.error = error
        self.changes = unit_changes(error.stored, mine, year)
        self.message = QLabel(str(error))
        self.message.setWordWrap(True)
        self.body.addWidget(self.message)
        who = error.saved_by or "이름 없음"
        stored_header = f"저장된 내용 ({who}, {local_time(error.saved_at)})" if error.stored is not None else "저장된 내용 (빠짐)"
        self.table = QTableWidget()
        fill_table(
            self.table,
            ["곳", stored_header, "내 내용 (이 창)"],
            [[c.place(), c.old or EMPTY, c.new or EMPTY] for c in self.changes],
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self.body.addWidget(self.table, 1)
        # Copying chooses nothing: the dialog stays open.
        self.copy_button = QPushButton(LABELS["copy"])
        self.copy_button.setToolTip("내 내용을 클립보드에 복사합니다.")
        self.copy_button.clicked.connect(self.copy_mine)
        self.later_button = self.add_choices(
            [
                (KEEP, LABELS[KEEP], "이 창에서 고친 내용을 저장합니다. 다른 곳에서 저장한 내용은 변경 기록에 남습니다."),
                (TAKE, LABELS[TAKE], "저장된 내용을 양식에 가져옵니다. 되돌리기(Ctrl+Z)로 내 내용을 다시 볼 수 있습니다."),
            ],
            LABELS["later"],
            [self.copy_button],
        )
        self.keep_button, self.take_button = self.buttons[KEEP], self.buttons[TAKE]
        gone = error.stored is None  # removed from the report meanwhile: there is nothing to take or overwrite
        self.keep_button.setEnabled(not gone)
        self.take_button.setEnabled(not gone)
        self.resize(900, 480)

    def copy_mine(self) -> str:
        """Put the person's text of the differing places on the clipboard; the text copied."""
        text = mine_text(self.message.text(), self.changes)
        QGuiApplication.clipboard().setText(text)
        return text


class StaleResolver(QObject):
    """Shows the stale units one at a time and carries out the choice (see the module docstring)."""

    message = Signal(str)  # what was done, for the status bar

    def __init__(self, parent: QWidget, autosaver: AutoSaver, units: Units) -> None:
        super().__init__(parent)
        self._parent = parent
        self._autosaver = autosaver
        self._units = units
        self._queue: dict[str, StaleWriteError] = {}
        self.dialog: StaleDialog | None = None
        self._key = ""

    def offer(self, key: str, error: object) -> None:
        """The save of unit ``key`` was refused as stale: let the person choose (after the current event)."""
        if not isinstance(error, BaseException) or not is_stale(error):
            return
        self._queue[key] = error  # type: ignore[assignment]  # is_stale: a StaleWriteError
        if self.dialog is None:
            QTimer.singleShot(0, self._show_next)

    def pending(self) -> list[str]:
        """Units waiting for a choice (the one shown first)."""
        return ([self._key] if self.dialog is not None else []) + list(self._queue)

    def _show_next(self) -> None:
        if self.dialog is not None or not self._queue:
            return
        key = next(iter(self._queue))
        error = self._queue.pop(key)
        session = self._units.get(key)
        report = self._units.report
        if session is None or report is None:
            return
        changes = unit_changes(error.stored, session.target, report.year)
        if not changes and error.stored is not None:
            # The two are the same after all (both typed the same): nothing to choose, nothing lost.
            self._backend().remember_revision(error.ref, error.stored_revision)
            self._autosaver.resolved(key, saved=True)
            QTimer.singleShot(0, self._show_next)
            return
        self._key = key
        self.dialog = StaleDialog(error, session.target, report.year, self._parent)
        self.dialog.chosen.connect(lambda choice: self.choose(key, error, choice))
        self.dialog.finished.connect(self._closed)
        self.dialog.open()

    def _closed(self, _result: int) -> None:
        dialog, self.dialog, self._key = self.dialog, None, ""
        if dialog is not None:
            dialog.deleteLater()
        QTimer.singleShot(0, self._show_next)

    def _backend(self) -> StoreBackend:
        workspace = self._units.workspace
        backend = workspace.backend if workspace is not None else None
        if not isinstance(backend, StoreBackend):
            raise TypeError("a stale save comes only from a StoreBackend")
        return backend

    def choose(self, key: str, error: StaleWriteError, choice: str) -> None:
        """Carry out ``choice`` (:data:`KEEP` or :data:`TAKE`) for unit ``key`` refused with ``error``."""
        session = self._units.get(key)
        report = self._units.report
        if session is None or report is None:
            return
        backend = self._backend()
        if choice == KEEP:
            try:
                revision = backend.save_over(report.year, session.target, error)
            except UserError as exc:
                if is_stale(exc):
                    self.offer(key, exc)  # saved once more meanwhile: show the newer one
                else:
                    log.warning("saving over %s refused: %s", key, exc)
                    self.message.emit(str(exc))
                return
            self._autosaver.resolved(key, saved=True)
            self.message.emit(f"내 내용으로 저장했습니다 (개정 {revision}). 덮어쓴 내용은 변경 기록에 있습니다.")
        elif choice == TAKE:
            backend.remember_revision(error.ref, error.stored_revision)
            self._autosaver.resolved(key, saved=False)
            session.change_many(session.values_of(error.stored), LABELS[TAKE])
            self._autosaver.flush()
            self.message.emit("저장된 내용을 받았습니다. 되돌리기(Ctrl+Z)로 내 내용을 다시 볼 수 있습니다.")


__all__ = ["KEEP", "TAKE", "StaleDialog", "StaleResolver", "mine_text", "unit_changes"]
