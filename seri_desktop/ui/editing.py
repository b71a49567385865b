"""Edit sessions: every change the user makes goes through here, as an undoable command.

An :class:`EditSession` stands for one editable unit (a program, one
department's section II, the front matter). Widgets never write into the
domain objects themselves: they call :meth:`EditSession.change` with the new
value of a *field*, the key of a template part (``template.TITLE.key``,
``"overview.purpose"`` …). The fields of each kind of unit are its template
parts, read and written with ``template.get``/``template.put``
(:data:`PROGRAM_FIELDS`, :data:`DEPARTMENT_FIELDS`, :data:`FRONT_FIELDS`).
The session pushes a command holding copies of the old and the new value on
its own :class:`QUndoStack`, applies it, and emits :attr:`changed`; the form
refreshes the field's widgets from the domain object, the autosaver marks
the unit dirty, the validator re-checks it. Undo and redo apply the stored
copies the same way, so every path (typing, undo, redo) runs the same code.

Keystrokes in one field merge into one command, so Ctrl+Z undoes a run of
typing rather than a character; a structural edit (Tab, a pasted block, a
table row added) is a command of its own.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from seri_desktop.domain import template
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Department, Program, Report
from seri_desktop.domain.template import Part, PartKind

T = TypeVar("T")

# Every mergeable command shares this id; mergeWith decides by field and source.
_MERGE_ID = 4711


@dataclass(frozen=True)
class FieldAccess(Generic[T]):
    """How to read and replace one field of a unit's domain object."""

    get: Callable[[T], Any]
    set: Callable[[T, Any], None]


def part_access(part: Part) -> FieldAccess[Any]:
    """Read and write ``part`` on its owner through the template (the key is the attribute path)."""
    return FieldAccess(lambda owner: template.get(owner, part), lambda owner, value: template.put(owner, part, value))


def _fields(parts: tuple[Part, ...]) -> dict[str, FieldAccess[Any]]:
    # Derived parts (주요업무별 예산 내역) are computed from the programs, never edited.
    return {part.key: part_access(part) for part in parts if part.kind is not PartKind.SUMMARY}


PROGRAM_FIELDS: dict[str, FieldAccess[Program]] = _fields(template.PROGRAM_PARTS)
DEPARTMENT_FIELDS: dict[str, FieldAccess[Department]] = _fields(template.SECTION_II_PARTS)
# The front matter unit edits the Report itself: the cover fields live on it.
FRONT_FIELDS: dict[str, FieldAccess[Report]] = _fields((*template.COVER_PARTS, *template.FRONT_PARTS))


def fields_for(ref: ItemRef) -> dict[str, FieldAccess[Any]]:
    """The fields of the kind of unit ``ref`` names."""
    if ref.is_program:
        return PROGRAM_FIELDS
    if ref.is_section_ii:
        return DEPARTMENT_FIELDS
    return FRONT_FIELDS


class EditSession(QObject):
    """One editable unit with its undo stack; see the module docstring.

    ``key`` is the navigator row of the unit, ``ref`` the unit itself
    (what is saved, locked, validated). A non-empty ``readonly_reason``
    (Korean, shown to the user) refuses every change.
    """

    # field key, the widget that made the change (None for undo/redo: refresh every widget)
    changed = Signal(str, object)

    def __init__(
        self,
        key: str,
        target: Any,
        fields: Mapping[str, FieldAccess[Any]],
        *,
        ref: ItemRef | None = None,
        readonly_reason: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.ref = ref
        self.target = target
        self._fields = fields
        self.readonly_reason = readonly_reason
        self.stack = QUndoStack(self)

    @property
    def readonly(self) -> bool:
        return bool(self.readonly_reason)

    def fields(self) -> list[str]:
        return list(self._fields)

    def get(self, key: str) -> Any:
        return self._fields[key].get(self.target)

    def change(self, key: str, value: Any, text: str, *, merge: bool = False, source: object = None) -> bool:
        """Apply ``value`` to field ``key`` as one undoable step; ``False`` if refused or nothing changed.

        ``merge``: fold into the previous command when that one was a merging
        change of the same field from the same source (a run of typing).
        ``source``: the widget the value comes from; it is not refreshed on
        this first application, so the user's cursor stays where it is.
        """
        if self.readonly or key not in self._fields:
            return False
        old = self.get(key)
        if old == value:
            return False
        self.stack.push(_SetField(self, key, copy.deepcopy(old), copy.deepcopy(value), text, merge, source))
        return True

    def change_many(self, values: Mapping[str, Any], text: str) -> bool:
        """Apply several fields' new values as ONE undo step ``text``; ``False`` if nothing changed.

        For a version of the whole unit taken at once (the stored one after a
        stale save, the journal's unsaved edits): every field goes through
        :meth:`change`, so the form, the autosave and the journal see each.
        """
        changed = {key: value for key, value in values.items() if key in self._fields and self.get(key) != value}
        if self.readonly or not changed:
            return False
        self.stack.beginMacro(text)
        try:
            for key, value in changed.items():
                self.change(key, copy.deepcopy(value), text)
        finally:
            self.stack.endMacro()
        return True

    def values_of(self, other: Any) -> dict[str, Any]:
        """Every field of this unit's kind as ``other`` (another version of the same unit) holds it."""
        return {key: access.get(other) for key, access in self._fields.items()}

    def end_merge(self) -> None:
        """The next change starts a new undo step even if it could merge (focus left the field)."""
        index = self.stack.index()
        if index > 0:
            command = self.stack.command(index - 1)
            if isinstance(command, _SetField):
                command.merge = False

    def _apply(self, key: str, value: Any, source: object) -> None:
        # A copy goes in: the command must keep its own value for the next undo/redo.
        self._fields[key].set(self.target, copy.deepcopy(value))
        self.changed.emit(key, source)


class _SetField(QUndoCommand):
    def __init__(
        self, session: EditSession, key: str, old: Any, new: Any, text: str, merge: bool, source: object
    ) -> None:
        super().__init__(text)
        self.session = session
        self.key = key
        self.old = old
        self.new = new
        self.merge = merge
        self.source = source
        self._first = True

    def id(self) -> int:
        return _MERGE_ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, _SetField) and self.merge and other.merge):
            return False
        if other.key != self.key or other.source is not self.source:
            return False
        self.new = other.new
        # Typing back to where the run started leaves nothing to undo.
        self.setObsolete(self.new == self.old)
        return True

    def redo(self) -> None:
        source = self.source if self._first else None
        self._first = False
        self.session._apply(self.key, self.new, source)

    def undo(self) -> None:
        self.session._apply(self.key, self.old, None)
