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

Every save goes through the store's unit of work (:mod:`seri_desktop.store.unit`)
with the path ``window`` and the name set in :mod:`seri_desktop.settings`
(none set: the save is refused with ``NameNotSetError``, code ``"no-name"``,
whose message says how to set it). :meth:`StoreBackend.load` remembers the
content revision of every item it read; a save passes the revision read (or
the one given) and remembers the new one it gets back. When someone else
saved the item in between (a merge from the command line, another window),
the save raises ``StaleWriteError`` (code ``"stale"``): its message names the
item and who saved first, ``stored`` / ``attempted`` hold both versions for a
side-by-side choice, and :meth:`StoreBackend.save_over` keeps what the user
typed (saving on the stored revision, with an ``overwrite`` audit entry that
records the choice and what it overwrote); :meth:`StoreBackend.remember_revision`
takes the stored one as read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Department, Program, Report
from seri_desktop.domain.policy import Editor, ReviewState, edit_refusal

if TYPE_CHECKING:
    from sqlalchemy import URL, Engine

    from seri_desktop.formats.text_import import ImportResult
    from seri_desktop.store.unit import StaleWriteError


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

    def save_program(self, year: int, program: Program, revision: int | None = None) -> int:
        """Save one program; ``revision``: the one read (default: what :meth:`load` read); the new one."""

    def save_department(self, year: int, department: Department, revision: int | None = None) -> int: ...

    def save_front(self, report: Report, revision: int | None = None) -> int:
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
    """:class:`ReportBackend` on a SQLite file (or a PostgreSQL database), saving through the unit of work."""

    def __init__(self, engine: Engine, path: Path | URL | None = None) -> None:
        self.engine = engine
        # A file's path, or the server's URL (kept in memory only: it may carry the password).
        self.target = path
        self._path = path if isinstance(path, Path) else None
        self._revisions: dict[str, int] = {}  # item key → content revision, as last read or written here

    @classmethod
    def open(cls, target: Path | URL) -> StoreBackend:
        """Open (creating and migrating if needed) the database file or server at ``target``; raises ``StoreError``."""
        from seri_desktop.store.engine import create_engine_for

        return cls(create_engine_for(target), target)

    @property
    def path(self) -> Path | None:
        """The database file (``None`` on a server: see :attr:`target`)."""
        return self._path

    def load(self) -> Report | None:
        from seri_desktop.store.content import ReportNotFoundError
        from seri_desktop.store.unit import read_snapshot

        try:
            snapshot = read_snapshot(self.engine)
        except ReportNotFoundError:
            self._revisions = {}
            return None
        self._revisions = dict(snapshot.revisions)
        return snapshot.report

    def load_keeping(self, keys: Collection[str]) -> Report | None:
        """:meth:`load` again, but keep the revisions recorded for the items ``keys`` (what the window is editing).

        A unit being edited keeps the revision it was read at, so its next
        save is checked against that (and refused as stale if someone saved
        it meanwhile) instead of silently overwriting what was saved.
        """
        kept = {key: self._revisions.get(key) for key in keys}
        report = self.load()
        for key, revision in kept.items():
            if revision is None:
                self._revisions.pop(key, None)  # none recorded stays none: the save is checked against 0
            else:
                self._revisions[key] = revision
        return report

    def revision(self, ref: ItemRef) -> int:
        """The content revision of ``ref`` this window read or wrote last (0: none recorded)."""
        return self._revisions.get(ref.key(), 0)

    def remember_revision(self, ref: ItemRef, revision: int) -> None:
        """Count ``revision`` of ``ref`` as read (the stored version was taken, or a journal's edit restored)."""
        self._revisions[ref.key()] = revision

    def identity(self) -> str:
        """The database as the journal of unsaved edits names it (a resolved path, a URL without password)."""
        from seri_desktop.store.engine import database_path
        from seri_desktop.store.journal import database_identity

        # A file by its resolved path; a server by its URL as messages show it (never the password).
        is_file = isinstance(self._path, Path)
        return database_identity(str(self._path) if is_file else database_path(self.engine))

    def _read(self, ref: ItemRef, revision: int | None) -> int:
        return revision if revision is not None else self._revisions.get(ref.key(), 0)

    def save_over(self, year: int, target: Program | Department | Report, stale: StaleWriteError) -> int:
        """Save ``target`` over the version ``stale`` found stored (the person chose theirs); the new revision.

        One unit of work: the content on ``stale.stored_revision`` (stale again if
        someone saved once more since) and an ``overwrite`` audit entry naming
        what was overwritten, so the history shows it was a choice.
        """
        from seri_desktop.store.audit import AuditAction, Via, via_label
        from seri_desktop.store.unit import FRONT, unit_of_work

        ref = stale.ref
        read = stale.stored_revision
        with unit_of_work(self.engine, year if not isinstance(target, Report) else target.year, who=None, via=Via.WINDOW) as work:
            if isinstance(target, Program):
                written = work.save_program(target, read=read)
                department = target.department
            elif isinstance(target, Department):
                written = work.save_section_ii(target, read=read)
                department = target.name
            else:
                written = work.save_front(target, read=read)
                department, ref = "", FRONT
            when = f"{stale.saved_at.astimezone():%Y-%m-%d %H:%M:%S}" if stale.saved_at is not None else ""
            work.record(
                action=AuditAction.OVERWRITE,
                item=ref.key(),
                item_code=ref.code,
                department=department,
                old=f"개정 {read} ({stale.saved_by or '이름 없음'}, {when}, {via_label(stale.saved_via)})",
                new=f"개정 {written}: 이 창에서 고친 내용으로 저장",
                detail={"read": stale.read_revision, "overwritten": read, "written": written},
            )
        self._revisions[ref.key()] = written
        return written

    def save_program(self, year: int, program: Program, revision: int | None = None) -> int:
        from seri_desktop.store.audit import Via
        from seri_desktop.store.unit import unit_of_work

        ref = ItemRef.of(program)
        with unit_of_work(self.engine, year, who=None, via=Via.WINDOW) as work:
            written = work.save_program(program, read=self._read(ref, revision))
        self._revisions[ref.key()] = written
        return written

    def save_department(self, year: int, department: Department, revision: int | None = None) -> int:
        from seri_desktop.store.audit import Via
        from seri_desktop.store.unit import unit_of_work

        ref = ItemRef.section_ii(department.name)
        with unit_of_work(self.engine, year, who=None, via=Via.WINDOW) as work:
            written = work.save_section_ii(department, read=self._read(ref, revision))
        self._revisions[ref.key()] = written
        return written

    def save_front(self, report: Report, revision: int | None = None) -> int:
        from seri_desktop.store.audit import Via
        from seri_desktop.store.unit import FRONT, unit_of_work

        with unit_of_work(self.engine, report.year, who=None, via=Via.WINDOW) as work:
            written = work.save_front(report, read=self._read(FRONT, revision))
        self._revisions[FRONT.key()] = written
        return written

    def has_report(self, year: int) -> bool:
        from seri_desktop.store.repository import report_years

        return year in report_years(self.engine)

    def parse_text(self, path: Path) -> ImportResult:
        from seri_desktop.formats.text_import import import_report_file

        return import_report_file(path)

    def replace_report(self, report: Report) -> None:
        from seri_desktop.store.audit import Via
        from seri_desktop.store.repository import save_report
        from seri_desktop.store.unit import read_snapshot

        # Replacing keeps the ids of the programs it can match (the store says how) and refuses
        # to change a 확정 one; what it wrote is then what this window has read.
        save_report(self.engine, report, replace=True, via=Via.TEXT)
        self._revisions = dict(read_snapshot(self.engine, report.year).revisions)

    def close(self) -> None:
        self.engine.dispose()


def open_workspace(path: Path | URL) -> Workspace:
    """The database file or server at ``path`` with its access rules from the exchange and review modules.

    Those modules are written in parallel with this one; until they exist
    (or if they lack the function) the database counts as the office's own,
    with no review states and nothing locked.
    """
    return workspace_of(StoreBackend.open(path))


def workspace_of(backend: StoreBackend) -> Workspace:
    """The workspace of an open database backend (what :func:`open_workspace` returns for its file)."""
    from seri_desktop.store.pg_roles import role_department

    engine = backend.engine
    return Workspace(
        backend=backend,
        # A department package, or a department's own role on a shared PostgreSQL database (pg-setup).
        editable_department=package_department_of(engine) or role_department(engine),
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
    """``store.review.lock_reason(engine, year, key)`` (a program's uid or code, or ``II:<department>``).

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
