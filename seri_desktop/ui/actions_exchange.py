"""File menu actions of the exchange: packages, submissions, the merge review, review states, dashboard, audit.

The work is in :mod:`seri_desktop.exchange` and :mod:`seri_desktop.store`
(imported inside the methods, so opening the window does not load them);
this module asks for files and choices and says what happened.

In the planning office's database (``workspace.editable_department is None``):

* 제출 파일 가져오기…: ``preview_merge`` → :class:`MergeReviewDialog` →
  ``apply_merge`` with the reviewer's decisions, then the window reloads;
* 부서 꾸러미 만들기…: ``create_package`` for a chosen department;
* 검토 상태 바꾸기…: ``set_state`` for the current program, then reload (확정 locks it);
* 작성 현황…: the ``completeness`` dashboard; 변경 기록…: ``program_audit`` with CSV export.

In a department package: 제출 파일 만들기… (``create_submission``).

Guards (:mod:`seri_desktop.ui.guards`): 제출 with errors open in the
department's work asks first (the user may go on anyway); 확정 of a program
with errors is refused unless the office gives a reason, which goes into the
audit log with the state change.

In both, the program form's 검토 의견 box lists the comments on the shown
program (``comments_for_program``), refreshed whenever a program is shown.

Every refusal (``StoreError`` and its ``ExchangeError`` kinds, with Korean
messages) is shown in a warning box; the store guarantees that a refused
operation changed nothing. Anything else is a bug for the crash dialog
(:meth:`AppContext.attempt`). Install with :func:`install_exchange_actions`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QInputDialog

from seri_desktop.domain import template
from seri_desktop.errors import UserError
from seri_desktop.formats.file_names import CSV, PACKAGE, SUBMISSION
from seri_desktop.settings import require_user_name
from seri_desktop.ui import menus
from seri_desktop.ui.context import AppContext
from seri_desktop.ui.guards import confirm_despite_errors, errors_in
from seri_desktop.ui.review_dialogs import AuditDialog, DashboardDialog, MergeReviewDialog, StateDialog

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from seri_desktop.store.review import Comment


def run_dialog(dialog: QDialog) -> bool:
    """Run a modal dialog; ``True`` when accepted (a function, so tests can answer it)."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def comment_line(comment: Comment) -> str:
    """A comment as one line with its place: ``[예산 집행 계획 2행 3분기] 텍스트 — 작성자``."""
    target = comment.target
    parts = [template.label(target.section)] if target.section else ["사업 전체"]
    if target.row is not None:
        parts.append(f"{target.row}행")
    if target.column:
        parts.append(target.column)
    when = comment.created_at.astimezone().strftime("%Y-%m-%d")
    return f"[{' '.join(parts)}] {comment.text} — {comment.author}, {when}"


class ExchangeActions(QObject):
    """The exchange's File menu actions; the last dialog opened is kept (``last_dialog``) for tests."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.last_dialog: QDialog | None = None

        def add(text: str, slot: Callable[[], object], tip: str) -> QAction:
            return ctx.add_action(menus.FILE, text, slot, tip=tip, group="exchange")

        self.merge_action = add("제출 파일 가져오기…", self._on_merge, "부서의 제출 파일을 검토해 반영합니다")
        self.package_action = add("부서 꾸러미 만들기…", self._on_package, "부서가 작성할 꾸러미 파일을 만듭니다")
        self.state_action = add("검토 상태 바꾸기…", self._on_state, "선택한 사업의 검토 상태를 바꿉니다")
        self.dashboard_action = add("작성 현황…", self.open_dashboard, "부서별·사업별 작성 현황을 봅니다")
        self.audit_action = add("변경 기록…", self.open_audit, "선택한 사업의 변경 기록을 봅니다")
        self.submit_action = add("제출 파일 만들기…", self._on_submit, "기획 부서에 보낼 제출 파일을 만듭니다")
        self.office_actions = (
            self.merge_action,
            self.package_action,
            self.state_action,
            self.dashboard_action,
            self.audit_action,
        )
        ctx.reportLoaded.connect(self._on_loaded)
        # The window emits this once the form shows the new item.
        ctx.itemShown.connect(self.refresh_comments)
        self._on_loaded()

    # ------------------------------------------------------------------ state of the actions

    def engine(self) -> Engine | None:
        return self.ctx.engine

    def is_office(self) -> bool:
        return self.ctx.is_office

    def _on_loaded(self) -> None:
        ctx = self.ctx
        usable = ctx.report is not None and ctx.engine is not None
        office = ctx.is_office
        for action in self.office_actions:
            action.setVisible(office)
            action.setEnabled(usable and office)
        department = ctx.workspace is not None and not office
        self.submit_action.setVisible(department)
        self.submit_action.setEnabled(usable and department)
        self.refresh_comments()

    def refresh_comments(self) -> None:
        """Show the comments on the program in the form (the box hides when there are none)."""
        ctx = self.ctx
        engine, report, program = ctx.engine, ctx.report, ctx.current_program()
        lines: list[str] = []
        if engine is not None and report is not None and program is not None:
            from seri_desktop.store.review import comments_for_program

            # The comments are extra: a failure says so in the box and keeps the form usable.
            with ctx.attempt("검토 의견", "검토 의견을 읽지 못했습니다.", doing="검토 의견 읽기") as attempt:
                lines = [comment_line(c) for c in comments_for_program(engine, report.year, program.code)]
            if attempt.failed:
                lines = ["검토 의견을 읽지 못했습니다."]
        ctx.show_comments(lines)

    # ------------------------------------------------------------------ merge (office)

    def import_submission(self, path: Path) -> bool:
        """Verify a submission, let the reviewer decide per item, and merge; ``True`` when applied."""
        from seri_desktop.exchange.merge import apply_merge, preview_merge

        ctx, engine, title = self.ctx, self.ctx.engine, "제출 파일 가져오기"
        if engine is None or not ctx.is_office:
            return False
        if not ctx.flush():
            ctx.warn(title, "고친 내용을 저장하지 못해 가져오지 않았습니다.")
            return False
        with ctx.attempt(title, f"{path.name} 파일을 반영할 수 없습니다.") as attempt:
            preview = preview_merge(engine, path)
        if attempt.failed:
            return False
        if preview.nothing_to_redo(()):  # processed before; what it left as older is forced only on the command line
            ctx.inform(title, preview.processed_note)
            return False
        if not preview.pending():
            labels = ", ".join(f"{i.label} {i.status_label}" for i in preview.items) or "항목 없음"
            ctx.inform(title, f"{path.name}: 반영할 변경이 없습니다.\n\n{labels}")
            return False
        dialog = MergeReviewDialog(preview, ctx.dialog_parent)
        self.last_dialog = dialog
        try:
            if not run_dialog(dialog):
                return False
            decisions, comments, overwrite = dict(dialog.decisions), dict(dialog.comments), set(dialog.overwrite)
        finally:
            dialog.deleteLater()
        with ctx.attempt(title, "반영하지 못했습니다. 아무것도 바뀌지 않았습니다.") as attempt:
            result = apply_merge(engine, preview, decisions, comments, require_user_name(), overwrite=overwrite)
        if attempt.failed:
            return False
        ctx.reload()
        ctx.notify(f"{preview.department} 제출 파일: 반영 {len(result.accepted)}건, 반려 {len(result.returned)}건")
        return True

    def _on_merge(self) -> None:
        path = self.ctx.choose_open("제출 파일 가져오기", [SUBMISSION])
        if path is not None:
            self.import_submission(path)

    # ------------------------------------------------------------------ packages and submissions

    def make_package(self, department: str, path: Path) -> bool:
        """Issue ``department`` its package at ``path`` (an existing file is replaced: the file dialog asked)."""
        from seri_desktop.exchange.package import create_package

        ctx, engine, report = self.ctx, self.ctx.engine, self.ctx.report
        if engine is None or report is None or not ctx.is_office:
            return False
        ctx.flush()
        with ctx.attempt("부서 꾸러미 만들기", "꾸러미를 만들지 못했습니다.") as attempt:
            made = create_package(engine, department, path, who=require_user_name(), year=report.year, overwrite=True)
        if attempt.failed:
            return False
        ctx.notify_file(f"{department} 꾸러미를 만들었습니다 (사업 {len(made.programs)}개).", path)
        return True

    def _on_package(self) -> None:
        ctx, report = self.ctx, self.ctx.report
        if report is None:
            return
        names = [d.name for d in report.departments]
        department, ok = QInputDialog.getItem(ctx.dialog_parent, "부서 꾸러미 만들기", "부서:", names, 0, False)
        if not ok or not department:
            return
        path = ctx.choose_save("부서 꾸러미 저장", PACKAGE, ctx.file_name(PACKAGE, department))
        if path is not None:
            self.make_package(department, path)

    def make_submission(self, path: Path) -> bool:
        """Write the department's submission file at ``path`` (department package only)."""
        from seri_desktop.exchange.submission import create_submission

        ctx, engine, title = self.ctx, self.ctx.engine, "제출 파일 만들기"
        if engine is None or ctx.is_office:
            return False
        if not ctx.flush():
            ctx.warn(title, "고친 내용을 저장하지 못해 만들지 않았습니다.")
            return False
        with ctx.attempt(title, "제출 파일을 만들지 못했습니다.") as attempt:
            sent = create_submission(engine, path, author=require_user_name(), overwrite=True)
        if attempt.failed:
            return False
        ctx.notify_file(f"제출 파일을 만들었습니다 (사업 {len(sent.programs)}개).", path)
        return True

    def submission_errors_accepted(self) -> bool:
        """Before 제출: ``True`` when the department's work has no open error or the user goes on anyway."""
        ctx, workspace = self.ctx, self.ctx.workspace
        department = workspace.editable_department if workspace is not None else None
        if department is None:
            return False
        errors = errors_in(ctx.open_problems(), department=department, report=ctx.report)
        go_on, _reason = confirm_despite_errors(ctx.dialog_parent, "제출 파일 만들기", "제출", errors)
        return go_on

    def _on_submit(self) -> None:
        ctx, workspace = self.ctx, self.ctx.workspace
        department = (workspace.editable_department if workspace is not None else None) or ""
        if not self.submission_errors_accepted():
            return
        path = ctx.choose_save("제출 파일 만들기", SUBMISSION, ctx.file_name(SUBMISSION, department))
        if path is not None:
            self.make_submission(path)

    # ------------------------------------------------------------------ review state

    def change_state(self, state: str, comment: str = "", waiver: str = "") -> bool:
        """Move the current program to ``state`` (반려 needs ``comment``), then reload the window.

        확정 with errors open is refused unless ``waiver`` says why (it goes into the audit log).
        """
        from seri_desktop.store.review import ReviewState, set_state

        ctx, engine, report = self.ctx, self.ctx.engine, self.ctx.report
        program = ctx.current_program()
        if engine is None or report is None or program is None or not ctx.is_office:
            return False
        ctx.flush()
        errors = errors_in(ctx.open_problems(), program=program.code) if state == ReviewState.CONFIRMED else []
        if errors and not waiver.strip():
            ctx.warn(
                "검토 상태 바꾸기",
                f"{program.code}에 오류 {len(errors)}건이 남아 있어 확정하지 않았습니다. "
                "오류를 고치거나, 오류를 두고 확정하는 사유를 적으십시오.",
            )
            return False
        reason = f"{waiver.strip()} (오류 {len(errors)}건을 두고 확정)" if errors else ""
        with ctx.attempt("검토 상태 바꾸기") as attempt:
            set_state(
                engine,
                report.year,
                program.code,
                state,
                require_user_name(),
                comment=comment or None,
                waiver=reason or None,
            )
        if attempt.failed:
            return False
        ctx.reload()
        ctx.notify(f"{program.code} 검토 상태: {state}")
        return True

    def _on_state(self) -> None:
        from seri_desktop.store.review import TRANSITIONS, ReviewState, review_states

        ctx, title = self.ctx, "검토 상태 바꾸기"
        engine, report, program = ctx.engine, ctx.report, ctx.current_program()
        if engine is None or report is None or program is None:
            ctx.inform(title, "먼저 사업을 고르십시오.")
            return
        with ctx.attempt(title) as attempt:
            current = review_states(engine, report.year).get(program.code, ReviewState.DRAFT.value)
        if attempt.failed:
            return
        choices = [s.value for s in ReviewState if s in TRANSITIONS[ReviewState(current)]]
        dialog = StateDialog(program.code, current, choices, ctx.dialog_parent)
        self.last_dialog = dialog
        try:
            if not run_dialog(dialog):
                return
            state, comment = dialog.state(), dialog.comment_text()
        finally:
            dialog.deleteLater()
        waiver = ""
        if state == ReviewState.CONFIRMED:
            errors = errors_in(ctx.open_problems(), program=program.code)
            go_on, waiver = confirm_despite_errors(
                ctx.dialog_parent, f"{program.code} 확정", "확정", errors, waiver=True
            )
            if not go_on:
                return
        self.change_state(state, comment, waiver)

    # ------------------------------------------------------------------ dashboard and audit

    def open_dashboard(self) -> DashboardDialog | None:
        """Show the completeness dashboard (not modal)."""
        from seri_desktop.exchange.dashboard import completeness

        ctx, engine, report = self.ctx, self.ctx.engine, self.ctx.report
        if engine is None or report is None:
            return None
        ctx.flush()
        with ctx.attempt("작성 현황") as attempt:
            dashboard = completeness(engine, report.year)
        if attempt.failed:
            return None
        dialog = DashboardDialog(dashboard, ctx.dialog_parent)
        dialog.itemActivated.connect(ctx.go_to_unit)
        self._show(dialog)
        return dialog

    def open_audit(self) -> AuditDialog | None:
        """Show the audit log of the current program (not modal), with CSV export."""
        from seri_desktop.store.audit import audit_status, program_audit

        ctx, title = self.ctx, "변경 기록"
        engine, report, program = ctx.engine, ctx.report, ctx.current_program()
        if engine is None or report is None:
            return None
        if program is None:
            ctx.inform(title, "먼저 사업을 고르십시오.")
            return None
        with ctx.attempt(title) as attempt:
            entries = program_audit(engine, report.year, program.code)
            chain = audit_status(engine, report.year)
        if attempt.failed:
            return None
        dialog = AuditDialog(program.code, entries, ctx.dialog_parent, chain=chain.line(), intact=chain.intact)
        dialog.exportRequested.connect(lambda: self._on_export_audit(report.year, program.code))
        self._show(dialog)
        return dialog

    def export_audit(self, year: int, code: str, path: Path) -> bool:
        from seri_desktop.formats.audit_csv import export_audit_csv

        ctx, engine = self.ctx, self.ctx.engine
        if engine is None:
            return False
        with ctx.attempt("변경 기록", "CSV 파일을 쓰지 못했습니다.") as attempt:
            try:
                count = export_audit_csv(engine, path, year=year, item=code)
            except OSError as exc:  # the file could not be written: the person can pick another place
                raise UserError(f"{path}: {exc.strerror or exc}", "file") from exc
        if attempt.failed:
            return False
        ctx.notify_file(f"변경 기록 {count}건을 저장했습니다.", path)
        return True

    def _on_export_audit(self, year: int, code: str) -> None:
        path = self.ctx.choose_save("CSV로 내보내기", CSV, self.ctx.file_name(CSV, f"변경기록-{code}"))
        if path is not None:
            self.export_audit(year, code, path)

    # ------------------------------------------------------------------ helpers

    def _show(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _obj=None: self._forget(dialog))
        self.last_dialog = dialog
        dialog.open()

    def _forget(self, dialog: QDialog) -> None:
        if self.last_dialog is dialog:
            self.last_dialog = None


def install_exchange_actions(ctx: AppContext) -> ExchangeActions:
    """Add the exchange's actions to the File menu and its comments to the program form."""
    return ExchangeActions(ctx)
