"""Reading and writing reports in the store, each call one transaction of its own.

The engine-level face of :mod:`seri_desktop.store.content` (reads) and of the
unit of work (:mod:`seri_desktop.store.unit`, every write): every function
takes an :class:`~sqlalchemy.Engine` from
:func:`seri_desktop.store.engine.create_engine_for` and opens one
transaction, so a failure anywhere leaves the database as it was. Every
write checks locks and revisions and is audited with the person's name
(``who``; ``None`` takes the name set in :mod:`seri_desktop.settings`) and
the path (``via``).

=========================================  ==================================================
function                                   does
=========================================  ==================================================
``load_report(engine, year)``              the stored report (newest when ``None``) or ``None``
``report_years(engine)``                   the stored years, oldest first
``save_report(engine, report)``            a new report (or, ``replace=True``, the stored one
                                           made equal to it, ids carried over where they match)
``delete_report(engine, year)``            the report with everything of it
``save_program(engine, year, p)``          one program's content
``save_section_ii(engine, y, d)``          one department's section II, order and layout
``save_front_matter(engine, r)``           the cover and I. 일반 현황
=========================================  ==================================================

Code that must read, check and write in one transaction (the exchange's
package and merge, the imports) opens a unit of work itself.
Errors the user can act on are :class:`~seri_desktop.store.engine.StoreError`
subclasses with Korean messages and a stable ``code``.
"""

from __future__ import annotations

from sqlalchemy import Engine

from seri_desktop.domain.matching import adopt_ids
from seri_desktop.domain.model import Department, Program, Report
from seri_desktop.store.audit import AuditAction, Via
from seri_desktop.store.content import (
    DepartmentNotFoundError,
    ProgramNotFoundError,
    ReportExistsError,
    ReportNotFoundError,
    delete_report_in,
    find_report_in,
    report_years_in,
)
from seri_desktop.store.engine import transaction
from seri_desktop.store.unit import STRUCTURE, unit_of_work

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


def save_report(
    engine: Engine, report: Report, *, replace: bool = False, who: str | None = None, via: str = Via.TEXT
) -> None:
    """Store ``report`` in one transaction.

    An existing report of the same year raises :class:`ReportExistsError`
    unless ``replace``: then ``report`` gets the ids of the stored programs,
    chapters and departments it has (:func:`~seri_desktop.domain.matching.adopt_ids`,
    which sets them in ``report`` itself) and only what differs is written,
    each aggregate checked for its lock (a 확정 program is never changed this way).
    """
    with unit_of_work(engine, report.year, who=who, via=via) as work:
        if not work.exists:
            work.create_report(report)
        elif not replace:
            raise ReportExistsError(f"{report.year}년 보고서가 이미 있습니다. 바꾸려면 --replace 를 쓰십시오.")
        else:
            adopt_ids(work.report(), report)
            work.replace_report(report)


def load_report(engine: Engine, year: int | None = None) -> Report | None:
    """The stored report of ``year`` (the newest when ``None``), or ``None`` if there is none."""
    with transaction(engine, write=False) as conn:
        found = find_report_in(conn, year)
    return found.report if found is not None else None


def report_years(engine: Engine) -> list[int]:
    """The years of the stored reports, oldest first."""
    with transaction(engine, write=False) as conn:
        return report_years_in(conn)


def delete_report(engine: Engine, year: int, *, who: str | None = None) -> bool:
    """Delete the report of ``year`` with everything of it; ``False`` if there was none (audit-logged)."""
    with unit_of_work(engine, year, who=who, via=Via.CLI) as work:
        work.check_editable(STRUCTURE)
        deleted = delete_report_in(work.conn, year)
        if deleted:
            work.record(action=AuditAction.REPORT, old=f"{year}년 보고서", new="삭제")
        return deleted


def save_program(
    engine: Engine, year: int, program: Program, *, who: str | None = None, read: int | None = None
) -> int:
    """Save the content of the program ``program.uid`` in the report of ``year``; its new content revision."""
    with unit_of_work(engine, year, who=who, via=Via.WINDOW) as work:
        return work.save_program(program, read=read)


def save_section_ii(
    engine: Engine, year: int, department: Department, *, who: str | None = None, read: int | None = None
) -> int:
    """Save the section II (성과, 한계, 개선 방향), order and layout of ``department``."""
    with unit_of_work(engine, year, who=who, via=Via.WINDOW) as work:
        return work.save_section_ii(department, read=read)


# The window's name for the section II writer.
save_department = save_section_ii


def save_front_matter(engine: Engine, report: Report, *, who: str | None = None, read: int | None = None) -> int:
    """Save the cover fields and the front matter (I. 일반 현황) of the stored report of ``report.year``."""
    with unit_of_work(engine, report.year, who=who, via=Via.WINDOW) as work:
        return work.save_front(report, read=read)
