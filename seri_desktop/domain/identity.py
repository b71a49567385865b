"""What is being edited, as one small type: a program, a department's section II, or the front matter.

Review states, revisions, comments, the audit log, the exchange files and the
window all name an editable unit. They do it through :class:`ItemRef`, whose
:meth:`ItemRef.key` and :meth:`ItemRef.from_key` are the one conversion to and
from the string keys kept in the store and in files:

* a program: its identity (today the program code, e.g. ``"2-5"``);
* a department's section II: ``"II:<department>"``;
* the front matter (I. 일반 현황): ``"I"``.

No other code builds or parses these strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

SECTION_II_PREFIX: Final = "II:"
FRONT_KEY: Final = "I"


class RefKind(StrEnum):
    """The kind of editable unit."""

    PROGRAM = "program"
    SECTION_II = "section_ii"
    FRONT = "front"


@dataclass(frozen=True, order=True)
class ItemRef:
    """An editable unit. ``id``: the program's identity, the department's name, or "" for the front matter."""

    kind: RefKind
    id: str = ""

    @classmethod
    def program(cls, program_id: str) -> ItemRef:
        return cls(RefKind.PROGRAM, program_id)

    @classmethod
    def section_ii(cls, department: str) -> ItemRef:
        return cls(RefKind.SECTION_II, department)

    @classmethod
    def front(cls) -> ItemRef:
        return cls(RefKind.FRONT)

    @property
    def is_program(self) -> bool:
        return self.kind is RefKind.PROGRAM

    @property
    def is_section_ii(self) -> bool:
        return self.kind is RefKind.SECTION_II

    @property
    def is_front(self) -> bool:
        return self.kind is RefKind.FRONT

    @property
    def department(self) -> str | None:
        """The department of a section II, ``None`` otherwise."""
        return self.id if self.kind is RefKind.SECTION_II else None

    def key(self) -> str:
        """The string kept in the store and in files."""
        if self.kind is RefKind.SECTION_II:
            return f"{SECTION_II_PREFIX}{self.id}"
        if self.kind is RefKind.FRONT:
            return FRONT_KEY
        return self.id

    @classmethod
    def from_key(cls, key: str) -> ItemRef:
        """The unit a stored key names (the inverse of :meth:`key`)."""
        if key.startswith(SECTION_II_PREFIX):
            return cls.section_ii(key.removeprefix(SECTION_II_PREFIX))
        if key == FRONT_KEY:
            return cls.front()
        return cls.program(key)

    def __str__(self) -> str:
        return self.key()
