"""What the window needs from below: a report store and the access rules of the open database.

The window never sees SQL, engines or importers: it talks to a
:class:`ReportBackend` (load, save one program / department / the front
matter, import a text file) and reads the access rules from a
:class:`Workspace` (department package, review states, locks). Tests and
other front ends can hand it any object with these methods.

:class:`StoreBackend` is the real one, on a SQLite file through
:mod:`seri_desktop.store`. The store modules are imported inside the methods
so that importing the UI does not load SQLAlchemy and Alembic (a good part of
the start-up time). No Qt here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Department, Program, Report
from seri_desktop.domain.policy import Editor, ReviewState, edit_refusal

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from seri_desktop.formats.text_import import ImportResult


# Why a confirmed (확정) program cannot be edited, when the store gives no reason of its own.


def confirmed_reason(key: str) -> str:
    """Why ``key`` (a program code or ``II:<department>``) in state 확정 may not be edited: the edit policy's text."""
    refusal = edit_refusal(Editor.office(), ItemRef.from_key(key), ReviewState.CONFIRMED)
    return refusal.message if refusal is not None else ""


class ReportBackend(Protocol):
    """A report store as the window uses it; every method raises with a Korean message on failure."""

    @property
    def path(self) -> Path | None: ...

    def load(self) -> Report | None:
        """The stored report (the newest year), or ``None`` when the store holds none."""

    def save_program(self, year: int, program: Program) -> None: ...

    def save_department(self, year: int, department: Department) -> None: ...

    def save_front(self, report: Report) -> None:
        """Save the cover fields and the front matter (I. 일반 현황)."""

    def has_report(self, year: int) -> bool: ...

    def parse_text(self, path: Path) -> ImportResult:
        """Read a report text file (no store access; may run in a worker thread)."""

    def replace_report(self, report: Report) -> None:
        """Store ``report``, replacing a stored report of its year, in one transaction."""

    def close(self) -> None: ...


def _no_states(year: int) -> dict[str, str]:
    return {}


def _never_locked(year: int, code: str) -> bool:
    return False


@dataclass
class Workspace:
    """An open database with its access rules.

    ``editable_department``: when the database is a department package, the
    one department whose programs and section II may be edited (the rest is
    read-only); ``None`` for the planning office's full database.
    ``review_states(year)``: program code → 작성중 / 제출됨 / 검토중 / 반려 / 확정.
    ``is_locked(year, code)``: the program may not be edited (확정).
    """

    backend: ReportBackend
    editable_department: str | None = None
    review_states: Callable[[int], dict[str, str]] = field(default=_no_states)
    is_locked: Callable[[int, str], bool] = field(default=_never_locked)
    # Why a program (or "II:<department>") may not be edited, in Korean; None when it may.
    lock_reason: Callable[[int, str], str | None] | None = None

    def reason_locked(self, year: int, code: str) -> str | None:
        """The lock reason of ``code``: ``lock_reason`` if given, else a plain one from ``is_locked``."""
        if self.lock_reason is not None:
            return self.lock_reason(year, code)
        return confirmed_reason(code) if self.is_locked(year, code) else None


class StoreBackend:
    """:class:`ReportBackend` on a SQLite file."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self._path = path

    @classmethod
    def open(cls, path: Path) -> StoreBackend:
        """Open (creating and migrating if needed) the database at ``path``; raises ``StoreError``."""
        from seri_desktop.store.engine import create_engine_for

        return cls(create_engine_for(path), path)

    @property
    def path(self) -> Path | None:
        return self._path

    def load(self) -> Report | None:
        from seri_desktop.store.repository import load_report

        return load_report(self.engine)

    def save_program(self, year: int, program: Program) -> None:
        # The review module's save refuses a locked program (확정, another department's):
        # the form is read-only then, and this keeps it so should a path get past the form.
        checked = _contract("seri_desktop.store.review", "save_program_checked")
        if checked is not None:
            checked(self.engine, year, program)
            return
        from seri_desktop.store.repository import save_program

        save_program(self.engine, year, program)

    def save_department(self, year: int, department: Department) -> None:
        from seri_desktop.store.editing import save_department

        save_department(self.engine, year, department)

    def save_front(self, report: Report) -> None:
        from seri_desktop.store.editing import save_front_matter

        save_front_matter(self.engine, report)

    def has_report(self, year: int) -> bool:
        from seri_desktop.store.repository import report_years

        return year in report_years(self.engine)

    def parse_text(self, path: Path) -> ImportResult:
        from seri_desktop.formats.text_import import import_report_file

        return import_report_file(path)

    def replace_report(self, report: Report) -> None:
        from seri_desktop.store.repository import save_report

        save_report(self.engine, report, replace=True)

    def close(self) -> None:
        self.engine.dispose()


def open_workspace(path: Path) -> Workspace:
    """The database at ``path`` with its access rules from the exchange and review modules.

    Those modules are written in parallel with this one; until they exist
    (or if they lack the function) the database counts as the office's own,
    with no review states and nothing locked.
    """
    backend = StoreBackend.open(path)
    engine = backend.engine
    return Workspace(
        backend=backend,
        editable_department=package_department_of(engine),
        review_states=lambda year: review_states_of(engine, year),
        is_locked=lambda year, code: is_locked_in(engine, year, code),
        lock_reason=lambda year, code: lock_reason_in(engine, year, code),
    )


def package_department_of(engine: Engine) -> str | None:
    """``store.exchange.package_department(engine)``, or ``None`` while that does not exist."""
    function = _contract("seri_desktop.store.exchange", "package_department")
    if function is None:
        return None
    department = function(engine)
    return department if isinstance(department, str) and department else None


def review_states_of(engine: Engine, year: int) -> dict[str, str]:
    """``store.review.review_states(engine, year)``, or ``{}`` while that does not exist."""
    function = _contract("seri_desktop.store.review", "review_states")
    if function is None:
        return {}
    return {str(code): str(state) for code, state in dict(function(engine, year)).items()}


def is_locked_in(engine: Engine, year: int, code: str) -> bool:
    """``store.review.is_locked(engine, year, code)``, or ``False`` while that does not exist."""
    function = _contract("seri_desktop.store.review", "is_locked")
    return bool(function(engine, year, code)) if function is not None else False


def lock_reason_in(engine: Engine, year: int, key: str) -> str | None:
    """``store.review.lock_reason(engine, year, key)`` (a program code or ``II:<department>``).

    Falls back to ``is_locked`` for a program when only that exists, and to
    ``None`` while neither does.
    """
    function = _contract("seri_desktop.store.review", "lock_reason")
    if function is not None:
        reason = function(engine, year, key)
        return str(reason) if reason else None
    if ItemRef.from_key(key).is_program and is_locked_in(engine, year, key):
        return confirmed_reason(key)
    return None


def _contract(module_name: str, name: str) -> Callable[..., Any] | None:
    # Looked up by name: the modules arrive later, and a missing one must not
    # keep the app from opening a database. Errors inside them do propagate.
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise  # the module is there but broken: that is a bug to see, not a missing feature
        return None
    function = getattr(module, name, None)
    return function if callable(function) else None
