"""The editable units of the open report: one edit session per navigator row opened, and how each is saved.

A session is made the first time its row is shown (:meth:`Units.session`)
and kept until the report is replaced, so its undo history survives
switching between items; its stack joins the window's :class:`QUndoGroup`.
A unit is saved through the one backend call for its kind
(:meth:`Units.save`, what the autosaver calls), chosen by its
:class:`~seri_desktop.domain.identity.ItemRef`.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoGroup

from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Department, Program, Report
from seri_desktop.ui.access import lock_reason
from seri_desktop.ui.backend import Workspace
from seri_desktop.ui.editing import EditSession, fields_for
from seri_desktop.ui.rows import program_for_key

Target = Program | Department | Report


def unit_target(report: Report, key: str, ref: ItemRef) -> Target | None:
    """The domain object the unit of row ``key`` edits (the row's own program where codes repeat)."""
    if ref.is_program:
        return program_for_key(report, key)
    if ref.is_section_ii:
        return report.department(ref.id)
    return report


class Units(QObject):
    """See the module docstring; ``changed(key, field, source)`` forwards every session's change."""

    changed = Signal(str, str, object)
    # A unit turned out to be read-only when it was opened (the store's lock): its row should say so.
    locked = Signal(str)

    def __init__(self, undo_group: QUndoGroup, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._group = undo_group
        self._sessions: dict[str, EditSession] = {}
        self._readonly: dict[str, str] = {}
        self._report: Report | None = None
        self._workspace: Workspace | None = None

    def reset(self, report: Report | None, workspace: Workspace | None, readonly: dict[str, str]) -> None:
        """Forget every session (the report is replaced); ``readonly``: reasons by row key."""
        for session in self._sessions.values():
            self._group.removeStack(session.stack)
            session.deleteLater()
        self._sessions = {}
        self._report = report
        self._workspace = workspace
        self._readonly = dict(readonly)

    @property
    def report(self) -> Report | None:
        """The report the sessions edit (``None``: nothing open)."""
        return self._report

    @property
    def workspace(self) -> Workspace | None:
        return self._workspace

    def forget(self, key: str) -> None:
        """Drop the session of row ``key`` (its unit was read again): the next :meth:`session` starts afresh."""
        session = self._sessions.pop(key, None)
        if session is not None:
            self._group.removeStack(session.stack)
            session.deleteLater()

    def get(self, key: str) -> EditSession | None:
        """The session of row ``key`` if it was opened."""
        return self._sessions.get(key)

    def readonly_reason(self, key: str) -> str:
        return self._readonly.get(key, "")

    def session(self, key: str, ref: ItemRef | None) -> EditSession | None:
        """The session of row ``key`` standing for ``ref``, made when first asked for."""
        existing = self._sessions.get(key)
        if existing is not None or ref is None or self._report is None:
            return existing
        target = unit_target(self._report, key, ref)
        if target is None:
            return None
        reason = self._readonly.get(key, "") or lock_reason(self._workspace, self._report.year, ref)
        if reason and key not in self._readonly:
            self._readonly[key] = reason
            self.locked.emit(key)
        session = EditSession(key, target, fields_for(ref), ref=ref, readonly_reason=reason, parent=self)
        session.changed.connect(partial(self.changed.emit, key))
        self._group.addStack(session.stack)
        self._sessions[key] = session
        return session

    def save(self, key: str) -> None:
        """Write the unit of row ``key`` (raises with a Korean message when the store refuses)."""
        report, workspace = self._report, self._workspace
        session = self._sessions.get(key)
        if report is None or workspace is None or session is None:
            return
        target, backend = session.target, workspace.backend
        if isinstance(target, Program):
            backend.save_program(report.year, target)
        elif isinstance(target, Department):
            backend.save_department(report.year, target)
        elif isinstance(target, Report):
            backend.save_front(target)
