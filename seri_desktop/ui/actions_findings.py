"""Import findings in the window: the office accepts the derived value of one (the problems panel's button).

The store does the work (:func:`seri_desktop.store.findings.accept_derived`:
office only, one unit of work, audited); here the person confirms, and the
report is read again so every view shows the derived values.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from seri_desktop.settings import require_user_name
from seri_desktop.ui.context import AppContext

TITLE = "계산값 받아들이기"


class FindingActions(QObject):
    """Accepting a finding's derived value; :meth:`accept` is what the panel's button calls."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx

    def accept(self, code: str, *, confirm: bool = True) -> bool:
        """Accept the derived values over the findings about ``code``; ``True`` when it was written."""
        from seri_desktop.domain.findings import PRINTED_EVIDENCE
        from seri_desktop.store.audit import Via
        from seri_desktop.store.findings import accept_derived

        ctx = self.ctx
        report, engine = ctx.report, ctx.engine
        if report is None or engine is None or not ctx.flush():
            return False
        question = (
            f"{code}: 가져온 보고서에 인쇄된 값({PRINTED_EVIDENCE}) 대신 사업에서 계산한 값을 씁니다. "
            "인쇄된 값은 변경 기록에만 남습니다. 받아들일까요?"
        )
        if confirm and not ctx.ask(TITLE, question):
            return False
        with ctx.attempt(TITLE, f"{code}의 계산값을 받아들이지 못했습니다.") as attempt:
            resolved = accept_derived(engine, report.year, code, who=require_user_name(), via=Via.WINDOW)
        if attempt.failed:
            return False
        ctx.reload()
        ctx.notify(f"{code}: 가져온 보고서와 다른 점 {len(resolved)}개를 계산값으로 받아들였습니다.")
        return True


def install_finding_actions(ctx: AppContext) -> FindingActions:
    return FindingActions(ctx)
