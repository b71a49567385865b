"""Guards before 제출, 확정 and PDF: the errors still open are listed first, and the user decides.

:func:`errors_in` picks the open errors (not warnings) of what is about to be
sent, confirmed or printed: one program, one department (its programs and
its section II), or the whole report. With none the action goes on at once.
Otherwise :class:`GuardDialog` lists them with their places:

* for 제출 and PDF, a 계속 button enabled only once the box "오류가 있어도
  계속합니다" is ticked;
* for 확정, the same box and a reason: a program is confirmed with errors
  only when the reason is given, and the reason goes into the audit log
  with the state change (``store.review.set_state(..., waiver=...)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from seri_desktop.domain.model import Report
from seri_desktop.domain.rules import Problem, Severity
from seri_desktop.ui.mnemonics import assign_buttons

SHOWN_AT_MOST = 200


def errors_in(
    problems: Iterable[Problem],
    *,
    program: str | None = None,
    department: str | None = None,
    report: Report | None = None,
) -> list[Problem]:
    """The errors of one program, of one department's work, or (neither given) of the whole report.

    A department's work is its section II and its programs (found in ``report``;
    the front matter's rules name a program without its department).
    """
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if program is not None:
        return [p for p in errors if p.program == program]
    if department is not None:
        codes = {p.code for p in report.programs() if p.department == department} if report is not None else set()
        return [p for p in errors if p.department == department or (p.program and p.program in codes)]
    return errors


def error_line(problem: Problem) -> str:
    return f"{problem.place() or '보고서'}: {problem.message}"


class GuardDialog(QDialog):
    """See the module docstring; ``waiver`` asks for a reason (확정)."""

    def __init__(
        self,
        title: str,
        doing: str,
        errors: Sequence[Problem],
        *,
        waiver: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.errors = list(errors)
        self.waiver = waiver
        lead = QLabel(
            f"오류 {len(self.errors)}건이 아직 남아 있습니다. "
            + (
                "오류를 고친 뒤 확정하십시오. 오류를 두고 확정하려면 사유를 적어야 하며, 사유는 변경 기록에 남습니다."
                if waiver
                else "먼저 고치는 것이 좋습니다. 그래도 계속하려면 아래 칸을 고르십시오."
            )
        )
        lead.setWordWrap(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        lines = [error_line(p) for p in self.errors[:SHOWN_AT_MOST]]
        if len(self.errors) > SHOWN_AT_MOST:
            lines.append(f"… 그 밖에 {len(self.errors) - SHOWN_AT_MOST}건")
        self.details.setPlainText("\n".join(lines))
        self.anyway = QCheckBox("오류를 두고 확정합니다" if waiver else "오류가 있어도 계속합니다")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("오류를 두고 확정하는 사유 (변경 기록에 남습니다)")
        self.reason.setVisible(waiver)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.continue_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.continue_button.setText("사유를 남기고 확정" if waiver else f"그래도 {doing}")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("돌아가서 고치기")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.anyway.toggled.connect(self._update)
        self.reason.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(lead)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.anyway)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.resize(720, 420)
        assign_buttons(self)
        self._update()
        # The safe choice is the default: Enter goes back to fix the errors.
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)

    def waiver_reason(self) -> str:
        return self.reason.text().strip()

    def _update(self) -> None:
        ok = self.anyway.isChecked() and (not self.waiver or bool(self.waiver_reason()))
        self.continue_button.setEnabled(ok)
        self.reason.setEnabled(self.anyway.isChecked())


def confirm_despite_errors(
    parent: QWidget, title: str, doing: str, errors: Sequence[Problem], *, waiver: bool = False
) -> tuple[bool, str]:
    """``(go on, waiver reason)``: at once ``(True, "")`` without errors, else the user's answer in the dialog."""
    if not errors:
        return True, ""
    dialog = GuardDialog(title, doing, errors, waiver=waiver, parent=parent)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return accepted, dialog.waiver_reason() if accepted and waiver else ""
    finally:
        dialog.deleteLater()
