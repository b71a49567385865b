"""Reading and writing reports in the store, each call one transaction of its own.

The engine-level face of :mod:`seri_desktop.store.content`: every function
takes an :class:`~sqlalchemy.Engine` from
:func:`seri_desktop.store.engine.create_engine_for`, opens one transaction
(:func:`~seri_desktop.store.engine.transaction`) and calls the matching
``*_in`` function, so a failure anywhere leaves the database as it was.
Writes begin ``IMMEDIATE``: the existence check and the writes that depend
on it see the same database.

=================================  ==================================================
function                           does
=================================  ==================================================
``load_report(engine, year)``      the stored report (newest when ``None``) or ``None``
``report_years(engine)``           the stored years, oldest first
``save_report(engine, report)``    the whole report, new (or ``replace=True``)
``delete_report(engine, year)``    the report with everything of it
``save_program(engine, year, p)``  one program at its place (the window's autosave)
``save_section_ii(engine, y, d)``  one department's section II, order and layout
``save_front_matter(engine, r)``   the cover and I. 일반 현황
=================================  ==================================================

Code that must read, check and write in one transaction (the exchange's
package and merge) calls the ``*_in`` functions of
:mod:`seri_desktop.store.content` inside its own transaction instead.
Errors the user can act on are :class:`~seri_desktop.store.engine.StoreError`
subclasses with Korean messages and a stable ``code``.
"""

from __future__ import annotations

from sqlalchemy import Engine

from seri_desktop.domain.model import Department, Program, Report
from seri_desktop.store.content import (
    DepartmentNotFoundError,
    ProgramNotFoundError,
    ReportExistsError,
    ReportNotFoundError,
    delete_report_in,
    find_report_in,
    report_years_in,
    require_report_id_in,
    save_front_matter_in,
    save_program_in,
    save_report_in,
    save_section_ii_in,
)
from seri_desktop.store.engine import transaction

__all__ = [
    "DepartmentNotFoundError",
    "ProgramNotFoundError",
    "ReportExistsError",
    "ReportNotFoundError",
    "delete_report",
    "load_report",
    "report_years",
    "save_department",
    "save_front_matter",
    "save_program",
    "save_report",
    "save_section_ii",
]


def save_report(engine: Engine, report: Report, *, replace: bool = False) -> None:
    """Write the whole report in one transaction (see :func:`~seri_desktop.store.content.save_report_in`).

    An existing report of the same year raises :class:`ReportExistsError`
    unless ``replace``, which deletes it in the same transaction as the new write.
    """
    with transaction(engine, write=True) as conn:
        save_report_in(conn, report, replace=replace)


def load_report(engine: Engine, year: int | None = None) -> Report | None:
    """The stored report of ``year`` (the newest when ``None``), or ``None`` if there is none."""
    with transaction(engine, write=False) as conn:
        found = find_report_in(conn, year)
    return found.report if found is not None else None


def report_years(engine: Engine) -> list[int]:
    """The years of the stored reports, oldest first."""
    with transaction(engine, write=False) as conn:
        return report_years_in(conn)


def delete_report(engine: Engine, year: int) -> bool:
    """Delete the report of ``year`` with everything of it; ``False`` if there was none."""
    with transaction(engine, write=True) as conn:
        return delete_report_in(conn, year)


def save_program(engine: Engine, year: int, program: Program) -> None:
    """Replace the content of the program with ``program.code`` in the report of ``year``, at its place."""
    with transaction(engine, write=True) as conn:
        save_program_in(conn, require_report_id_in(conn, year), program)


def save_section_ii(engine: Engine, year: int, department: Department) -> None:
    """Replace the section II (성과, 한계, 개선 방향), order and layout of the department named ``department.name``."""
    with transaction(engine, write=True) as conn:
        save_section_ii_in(conn, require_report_id_in(conn, year), department)


# The window's name for the section II writer.
save_department = save_section_ii


def save_front_matter(engine: Engine, report: Report) -> None:
    """Replace the cover fields and the front matter (I. 일반 현황) of the stored report of ``report.year``."""
    with transaction(engine, write=True) as conn:
        save_front_matter_in(conn, require_report_id_in(conn, report.year), report)
