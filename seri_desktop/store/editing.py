"""Autosave writes the repository lacks: the front matter with the cover, and one department's section II.

The data-entry window saves what the user changed a moment after each edit.
Programs go through :func:`seri_desktop.store.repository.save_program`; the
two functions here do the same for the planning office's editors: each runs
in one ``IMMEDIATE`` transaction of its own (a failure leaves the database as
it was), validates before writing, and touches only the rows of what it saves.

They write through SQLAlchemy Core with the repository's own helpers, so the
rows are exactly those :func:`~seri_desktop.store.repository.save_report`
writes and :func:`~seri_desktop.store.repository.load_report` reads back.
Replacing the report instead (load, modify, ``save_report(replace=True)``)
would be simpler but costs about a second on a 1,000-program report, far too
slow for a save after every pause in typing.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, delete, select, update

from seri_desktop.domain.model import Department, Report
from seri_desktop.store.engine import StoreError, transaction
from seri_desktop.store.repository import (
    DEPARTMENT,
    FRONT_TABLE,
    HISTORY,
    OUTLINE,
    REPORT,
    SUMMARY,
    ReportNotFoundError,
    _check_cell,
    _check_layout,
    _check_outline,
    _check_quarters,
    _department_outlines,
    _Pending,
    _queue_front_matter,
    _queue_outline,
)

__all__ = ["DepartmentNotFoundError", "save_department", "save_front_matter"]


class DepartmentNotFoundError(StoreError):
    """The report has no department of that name."""


def save_front_matter(engine: Engine, report: Report) -> None:
    """Replace the cover fields and the front matter (I. 일반 현황) of the stored report of ``report.year``.

    Written: title, meeting, committee, subtitle, date label, institute,
    unit, as-of date and layout of the report row; 연혁, 조직, the three
    front tables, the staffing notes and 주요업무별 예산 내역 as printed.
    Departments, chapters and programs are left alone.
    """
    _validate_front(report)
    front = report.front
    with transaction(engine, write=True) as conn:
        report_id = _report_id(conn, report.year)
        conn.execute(
            update(REPORT)
            .where(REPORT.c.id == report_id)
            .values(
                title=report.title,
                meeting=report.meeting,
                committee=report.committee,
                subtitle=report.subtitle,
                date_label=report.date_label,
                institute=report.institute,
                unit=report.unit,
                as_of=report.as_of,
                organization=front.organization,
                budget_summary_caption=front.budget_summary_caption,
                layout=report.layout,
            )
        )
        for table in (HISTORY, FRONT_TABLE, SUMMARY):
            conn.execute(delete(table).where(table.c.report_id == report_id))
        # The report owns no other outline than the staffing notes.
        conn.execute(delete(OUTLINE).where(OUTLINE.c.report_id == report_id))
        pending = _Pending()
        _queue_front_matter(pending, report_id, front)
        pending.flush(conn)


def save_department(engine: Engine, year: int, department: Department) -> None:
    """Replace the section II outlines (성과, 한계, 개선 방향), order and layout of the department named ``department.name``.

    Should a (faulty) report hold the name twice, the first in report order
    is written, the one ``Report.department(name)`` returns.
    """
    where = f"{department.name} 부서"
    _check_layout(department.layout, where)
    for _field, outline in _department_outlines(department):
        _check_outline(outline, where)
    with transaction(engine, write=True) as conn:
        report_id = _report_id(conn, year)
        department_id = conn.execute(
            select(DEPARTMENT.c.id)
            .where(DEPARTMENT.c.report_id == report_id, DEPARTMENT.c.name == department.name)
            .order_by(DEPARTMENT.c.position)
            .limit(1)
        ).scalar()
        if department_id is None:
            raise DepartmentNotFoundError(f"{year}년 보고서에 '{department.name}' 부서가 없습니다.")
        conn.execute(
            update(DEPARTMENT)
            .where(DEPARTMENT.c.id == department_id)
            .values(order_no=department.order, layout=department.layout)
        )
        conn.execute(delete(OUTLINE).where(OUTLINE.c.department_id == department_id))
        pending = _Pending()
        for field, outline in _department_outlines(department):
            _queue_outline(pending, outline, field, department_id=department_id)
        pending.flush(conn)


def _report_id(conn: Connection, year: int) -> int:
    report_id = conn.execute(select(REPORT.c.id).where(REPORT.c.year == year)).scalar()
    if report_id is None:
        raise ReportNotFoundError(f"{year}년 보고서가 없습니다.")
    return int(report_id)


def _validate_front(report: Report) -> None:
    # The same checks save_report makes on these parts, before anything is written.
    _check_layout(report.layout, f"{report.year}년 보고서")
    _check_outline(report.front.staffing_notes, "정·현원 주석")
    for summary in report.front.budget_summary:
        where = f"주요업무별 예산 내역 '{summary.code}'"
        _check_quarters(len(summary.quarters), where)
        for cell in (summary.current, summary.previous, *summary.quarters):
            _check_cell(cell, where)
