"""Resolving import findings: the office accepts the derived value in place of what the printed report said.

The findings themselves are rules (:mod:`seri_desktop.domain.rules.findings`).
Accepting the derived value of a program (its code, as ``check`` shows it
beside the finding) drops the printed evidence about it: the 계 row its
budget was imported with and its row of the printed summary table. Accepting
a chapter's (its code ``"1장"``) drops the printed program list of its title
page, which is then made from its programs. The report
then carries only the derived values, so the finding cannot come back when the
program's cells change later. The store writes the result through the unit
of work (office only, audited: :func:`seri_desktop.store.findings.accept_derived`).
"""

from __future__ import annotations

import copy
from typing import Final

from seri_desktop.domain.model import Report
from seri_desktop.domain.rules import Problem, check_report
from seri_desktop.domain.rules.findings import chapter_of_code
from seri_desktop.errors import UserError

# What the printed evidence is, in the messages of the CLI and the window.
PRINTED_EVIDENCE: Final = "인쇄된 계 행·주요업무별 예산 내역·장 표지의 사업 목록"


class UnknownFindingError(UserError):
    """``--accept-derived`` named a code without an open import finding."""

    default_code = "unknown-finding"


def findings(report: Report) -> list[Problem]:
    """The report's open import findings, in check order."""
    return [p for p in check_report(report) if p.finding]


def accept_derived(report: Report, code: str) -> tuple[Report, list[Problem]]:
    """A copy of ``report`` without the printed evidence about ``code``, and the findings that resolves.

    Raises :class:`UnknownFindingError` (nothing changed) when ``code`` has no open finding.
    """
    resolved = [p for p in findings(report) if p.finding == code]
    if not resolved:
        open_codes = list(dict.fromkeys(p.finding for p in findings(report)))
        listed = ", ".join(open_codes) if open_codes else "없음"
        raise UnknownFindingError(
            f"{report.year}년 보고서에는 '{code}'에 대한 가져오기 차이({PRINTED_EVIDENCE})가 없습니다. "
            f"받아들일 수 있는 코드: {listed}."
        )
    new = copy.deepcopy(report)
    chapter = chapter_of_code(new, code)
    if chapter is not None:
        chapter.listed_programs = []  # the title page lists the chapter's programs from now on
    program = new.program(code)
    if program is not None and program.budget is not None:
        program.budget.printed_total = None
    new.front.budget_summary = [row for row in new.front.budget_summary if row.code != code]
    return new, resolved
