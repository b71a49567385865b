"""The office accepts the derived value over an import finding: one unit of work, office only, audited."""

from __future__ import annotations

from sqlalchemy import Engine

from seri_desktop.domain import findings as domain_findings
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.policy import OfficeAction
from seri_desktop.domain.rules import Problem
from seri_desktop.domain.rules.findings import chapter_of_code
from seri_desktop.store.audit import AuditAction
from seri_desktop.store.unit import FRONT, STRUCTURE, unit_of_work


def accept_derived(engine: Engine, year: int, code: str, *, who: str | None, via: str) -> list[Problem]:
    """Drop the printed evidence about ``code`` (see :func:`seri_desktop.domain.findings.accept_derived`).

    Refused in a department package (:class:`~seri_desktop.store.review.ReviewError`) and for a code
    without an open finding (:class:`~seri_desktop.domain.findings.UnknownFindingError`); either way
    nothing is written. The changed 계 row, summary row or chapter list (saved with the
    structure) get their field entries, and one
    ``accept-derived`` entry lists the findings accepted, with both numbers.
    """
    with unit_of_work(engine, year, who=who, via=via) as work:
        work.check_office(OfficeAction.ACCEPT_DERIVED)
        report = work.report()
        new, resolved = domain_findings.accept_derived(report, code)
        program, before = new.program(code), report.program(code)
        item = ""
        if program is not None and before is not None:
            item = ItemRef.of(before).key()
            if program.budget is not None and before.budget is not None and program.budget != before.budget:
                work.save_program(program)
        if new.front.budget_summary != report.front.budget_summary:
            work.save_front(new)
        derived = "사업별 합계"
        if chapter_of_code(new, code) is not None:
            work.save_structure(new)
            item, derived = STRUCTURE.key(), "사업에서 만든 목록"
        work.record(
            action=AuditAction.ACCEPT_DERIVED,
            item=item or FRONT.key(),
            item_code=code,
            department="",
            old="\n".join(p.message for p in resolved),
            new=f"{code}: 계산값({derived})을 받아들였습니다",
            detail={"findings": [p.as_dict() for p in resolved]},
        )
    return resolved
