"""What is being edited, as one small type: a program, a department's section II, the front matter, the structure.

Review states, revisions, comments, the audit log, the exchange files and the
window all name an editable unit. They do it through :class:`ItemRef`, whose
:meth:`ItemRef.key` and :meth:`ItemRef.from_key` are the one conversion to and
from the string keys kept in the store and in files:

* a program: its permanent id (``Program.uid``, a UUID string); the program
  code (``"2-5"``) is display only and travels as :attr:`ItemRef.code`, which
  takes no part in equality, so a renumbered program is the same item;
* a department's section II: ``"II:<department>"``;
* the front matter (I. 일반 현황): ``"I"``;
* the report's structure (chapters, the programs' order and codes, the
  departments' list): ``"III"``.

No other code builds or parses these strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from seri_desktop.domain.model import Program

SECTION_II_PREFIX: Final = "II:"
FRONT_KEY: Final = "I"
STRUCTURE_KEY: Final = "III"


class RefKind(StrEnum):
    """The kind of editable unit."""

    PROGRAM = "program"
    SECTION_II = "section_ii"
    FRONT = "front"
    STRUCTURE = "structure"


@dataclass(frozen=True, order=True)
class ItemRef:
    """An editable unit. ``id``: the program's uid, the department's name, or "" for the front matter and structure.

    ``code``: the program's code for messages (display only: not compared, not hashed, not stored as the key).
    """

    kind: RefKind
    id: str = ""
    code: str = field(default="", compare=False)

    @classmethod
    def program(cls, program_id: str, code: str = "") -> ItemRef:
        return cls(RefKind.PROGRAM, program_id, code)

    @classmethod
    def of(cls, program: Program) -> ItemRef:
        """The item of ``program``: its uid, with its code to show."""
        return cls(RefKind.PROGRAM, program.uid, program.code)

    @classmethod
    def structure(cls) -> ItemRef:
        return cls(RefKind.STRUCTURE)

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
    def is_structure(self) -> bool:
        return self.kind is RefKind.STRUCTURE

    @property
    def label(self) -> str:
        """How messages name the item: the program's code (its id when no code is known), else the key."""
        if self.kind is RefKind.PROGRAM:
            return self.code or self.id
        return self.key()

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
        if self.kind is RefKind.STRUCTURE:
            return STRUCTURE_KEY
        return self.id

    @classmethod
    def from_key(cls, key: str) -> ItemRef:
        """The unit a stored key names (the inverse of :meth:`key`)."""
        if key.startswith(SECTION_II_PREFIX):
            return cls.section_ii(key.removeprefix(SECTION_II_PREFIX))
        if key == FRONT_KEY:
            return cls.front()
        if key == STRUCTURE_KEY:
            return cls.structure()
        return cls.program(key)

    def with_code(self, code: str) -> ItemRef:
        """The same item with ``code`` to show (programs only; other kinds have no code)."""
        return ItemRef(self.kind, self.id, code) if self.kind is RefKind.PROGRAM else self

    def __str__(self) -> str:
        return self.key()
