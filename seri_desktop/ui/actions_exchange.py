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

In both, the program form's 검토 의견 box lists the comments on the shown
program (``comments_for_program``), refreshed whenever a program is shown.

Every refusal (``StoreError`` and its ``ExchangeError`` kinds, with Korean
messages) is shown in a warning box; the store guarantees that a refused
operation changed nothing. Install with :func:`install_exchange_actions`.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

from seri_desktop.ui.review_dialogs import AuditDialog, DashboardDialog, MergeReviewDialog, StateDialog

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from seri_desktop.store.review import Comment
    from seri_desktop.ui.main_window import MainWindow

SUBMISSION_FILTER = "제출 파일 (*.serisub);;모든 파일 (*)"
PACKAGE_FILTER = "부서 꾸러미 (*.seripkg);;모든 파일 (*)"
CSV_FILTER = "CSV 파일 (*.csv)"
STATUS_MS = 10_000


def run_dialog(dialog: QDialog) -> bool:
    """Run a modal dialog; ``True`` when accepted (a function, so tests can answer it)."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment
        return "알 수 없음"


def comment_line(comment: Comment) -> str:
    """A comment as one line with its place: ``[예산 2행 3분기] 텍스트 — 작성자``."""
    from seri_desktop.domain.rules.engine import SECTION_LABELS

    target = comment.target
    parts = [SECTION_LABELS.get(target.section, target.section)] if target.section else ["사업 전체"]
    if target.row is not None:
        parts.append(f"{target.row}행")
    if target.column:
        parts.append(target.column)
    when = comment.created_at.astimezone().strftime("%Y-%m-%d")
    return f"[{' '.join(parts)}] {comment.text} — {comment.author}, {when}"


class ExchangeActions(QObject):
    """The exchange's File menu actions; the last dialog opened is kept (``last_dialog``) for tests."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.last_dialog: QDialog | None = None
        self.merge_action = self._action("제출 파일 가져오기…", self._on_merge, "부서의 제출 파일을 검토해 반영합니다")
        self.package_action = self._action(
            "부서 꾸러미 만들기…", self._on_package, "부서가 작성할 꾸러미 파일을 만듭니다"
        )
        self.state_action = self._action("검토 상태 바꾸기…", self._on_state, "선택한 사업의 검토 상태를 바꿉니다")
        self.dashboard_action = self._action("작성 현황…", self.open_dashboard, "부서별·사업별 작성 현황을 봅니다")
        self.audit_action = self._action("변경 기록…", self.open_audit, "선택한 사업의 변경 기록을 봅니다")
        self.submit_action = self._action("제출 파일 만들기…", self._on_submit, "기획 부서에 보낼 제출 파일을 만듭니다")
        self.office_actions = (
            self.merge_action,
            self.package_action,
            self.state_action,
            self.dashboard_action,
            self.audit_action,
        )
        for action in (*self.office_actions, self.submit_action):
            window.add_file_action(action, "exchange")
        window.reportLoaded.connect(self._on_loaded)
        # Connected after the window's own slot, so the form already shows the new program.
        window.tree.selectionModel().currentChanged.connect(lambda _c, _p: self.refresh_comments())
        self._on_loaded()

    def _action(self, text: str, slot: Callable[[], object], tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # ------------------------------------------------------------------ state of the actions

    def engine(self) -> Engine | None:
        return getattr(self.window.backend, "engine", None)

    def is_office(self) -> bool:
        workspace = self.window.workspace
        return workspace is not None and workspace.editable_department is None

    def _on_loaded(self) -> None:
        usable = self.window.report is not None and self.engine() is not None
        office = self.is_office()
        for action in self.office_actions:
            action.setVisible(office)
            action.setEnabled(usable and office)
        department = self.window.workspace is not None and not office
        self.submit_action.setVisible(department)
        self.submit_action.setEnabled(usable and department)
        self.refresh_comments()

    def refresh_comments(self) -> None:
        """Show the comments on the program in the form (the box hides when there are none)."""
        engine, report, program = self.engine(), self.window.report, self.window.current_program()
        lines: list[str] = []
        if engine is not None and report is not None and program is not None:
            from seri_desktop.store.review import comments_for_program

            try:
                lines = [comment_line(c) for c in comments_for_program(engine, report.year, program.code)]
            except Exception as exc:  # the comments are extra: say so, keep the form usable
                lines = [f"검토 의견을 읽지 못했습니다: {exc}"]
        self.window.program_form.set_comments(lines)

    # ------------------------------------------------------------------ merge (office)

    def import_submission(self, path: Path) -> bool:
        """Verify a submission, let the reviewer decide per item, and merge; ``True`` when applied."""
        from seri_desktop.exchange.merge import apply_merge, preview_merge
        from seri_desktop.store.engine import StoreError

        window, engine = self.window, self.engine()
        title = "제출 파일 가져오기"
        if engine is None or not self.is_office():
            return False
        if not window.flush():
            QMessageBox.warning(window, title, "고친 내용을 저장하지 못해 가져오지 않았습니다.")
            return False
        try:
            preview = preview_merge(engine, path)
        except StoreError as exc:
            QMessageBox.warning(window, title, f"{path.name} 파일을 반영할 수 없습니다.\n\n{exc}")
            return False
        if not preview.pending():
            labels = ", ".join(f"{i.key} {i.status_label}" for i in preview.items) or "항목 없음"
            QMessageBox.information(window, title, f"{path.name}: 반영할 변경이 없습니다.\n\n{labels}")
            return False
        dialog = MergeReviewDialog(preview, window)
        self.last_dialog = dialog
        try:
            if not run_dialog(dialog):
                return False
            decisions, comments, overwrite = dict(dialog.decisions), dict(dialog.comments), set(dialog.overwrite)
        finally:
            dialog.deleteLater()
        try:
            result = apply_merge(engine, preview, decisions, comments, current_user(), overwrite=overwrite)
        except StoreError as exc:
            QMessageBox.warning(window, title, f"반영하지 못했습니다. 아무것도 바뀌지 않았습니다.\n\n{exc}")
            return False
        window.reload()
        self._status(f"{preview.department} 제출 파일: 반영 {len(result.accepted)}건, 반려 {len(result.returned)}건")
        return True

    def _on_merge(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self.window, "제출 파일 가져오기", str(self._start_dir()), SUBMISSION_FILTER
        )
        if name:
            self.import_submission(Path(name))

    # ------------------------------------------------------------------ packages and submissions

    def make_package(self, department: str, path: Path) -> bool:
        """Issue ``department`` its package at ``path`` (an existing file is replaced: the file dialog asked)."""
        from seri_desktop.exchange.package import create_package
        from seri_desktop.store.engine import StoreError

        engine, report = self.engine(), self.window.report
        if engine is None or report is None or not self.is_office():
            return False
        self.window.flush()
        try:
            made = create_package(engine, department, path, who=current_user(), year=report.year, overwrite=True)
        except StoreError as exc:
            QMessageBox.warning(self.window, "부서 꾸러미 만들기", f"꾸러미를 만들지 못했습니다.\n\n{exc}")
            return False
        self._status(f"{department} 꾸러미를 만들었습니다 (사업 {len(made.programs)}개): {path}")
        return True

    def _on_package(self) -> None:
        report = self.window.report
        if report is None:
            return
        names = [d.name for d in report.departments]
        department, ok = QInputDialog.getItem(self.window, "부서 꾸러미 만들기", "부서:", names, 0, False)
        if not ok or not department:
            return
        default = self._start_dir() / f"{department}-{report.year}.seripkg"
        name, _filter = QFileDialog.getSaveFileName(self.window, "부서 꾸러미 저장", str(default), PACKAGE_FILTER)
        if name:
            path = Path(name)
            self.make_package(department, path if path.suffix else path.with_suffix(".seripkg"))

    def make_submission(self, path: Path) -> bool:
        """Write the department's submission file at ``path`` (department package only)."""
        from seri_desktop.exchange.submission import create_submission
        from seri_desktop.store.engine import StoreError

        engine = self.engine()
        if engine is None or self.is_office():
            return False
        if not self.window.flush():
            QMessageBox.warning(self.window, "제출 파일 만들기", "고친 내용을 저장하지 못해 만들지 않았습니다.")
            return False
        try:
            sent = create_submission(engine, path, author=current_user(), overwrite=True)
        except StoreError as exc:
            QMessageBox.warning(self.window, "제출 파일 만들기", f"제출 파일을 만들지 못했습니다.\n\n{exc}")
            return False
        self._status(f"제출 파일을 만들었습니다 (사업 {len(sent.programs)}개): {path}")
        return True

    def _on_submit(self) -> None:
        workspace, report = self.window.workspace, self.window.report
        department = workspace.editable_department if workspace is not None else ""
        year = report.year if report is not None else ""
        default = self._start_dir() / f"{department}-{year}.serisub"
        name, _filter = QFileDialog.getSaveFileName(self.window, "제출 파일 만들기", str(default), SUBMISSION_FILTER)
        if name:
            path = Path(name)
            self.make_submission(path if path.suffix else path.with_suffix(".serisub"))

    # ------------------------------------------------------------------ review state

    def change_state(self, state: str, comment: str = "") -> bool:
        """Move the current program to ``state`` (반려 needs ``comment``), then reload the window."""
        from seri_desktop.store.engine import StoreError
        from seri_desktop.store.review import set_state

        window, engine, report = self.window, self.engine(), self.window.report
        program = window.current_program()
        if engine is None or report is None or program is None or not self.is_office():
            return False
        window.flush()
        try:
            set_state(engine, report.year, program.code, state, current_user(), comment=comment or None)
        except StoreError as exc:
            QMessageBox.warning(window, "검토 상태 바꾸기", str(exc))
            return False
        window.reload()
        self._status(f"{program.code} 검토 상태: {state}")
        return True

    def _on_state(self) -> None:
        from seri_desktop.store.review import TRANSITIONS, ReviewState, review_states

        engine, report, program = self.engine(), self.window.report, self.window.current_program()
        if engine is None or report is None or program is None:
            QMessageBox.information(self.window, "검토 상태 바꾸기", "먼저 사업을 고르십시오.")
            return
        current = review_states(engine, report.year).get(program.code, ReviewState.DRAFT.value)
        choices = [s.value for s in ReviewState if s in TRANSITIONS[ReviewState(current)]]
        dialog = StateDialog(program.code, current, choices, self.window)
        self.last_dialog = dialog
        try:
            if run_dialog(dialog):
                self.change_state(dialog.state(), dialog.comment_text())
        finally:
            dialog.deleteLater()

    # ------------------------------------------------------------------ dashboard and audit

    def open_dashboard(self) -> DashboardDialog | None:
        """Show the completeness dashboard (not modal)."""
        from seri_desktop.exchange.dashboard import completeness
        from seri_desktop.store.engine import StoreError

        engine, report = self.engine(), self.window.report
        if engine is None or report is None:
            return None
        self.window.flush()
        try:
            dashboard = completeness(engine, report.year)
        except StoreError as exc:
            QMessageBox.warning(self.window, "작성 현황", str(exc))
            return None
        dialog = DashboardDialog(dashboard, self.window)
        self._show(dialog)
        return dialog

    def open_audit(self) -> AuditDialog | None:
        """Show the audit log of the current program (not modal), with CSV export."""
        from seri_desktop.store.audit import program_audit
        from seri_desktop.store.engine import StoreError

        engine, report, program = self.engine(), self.window.report, self.window.current_program()
        if engine is None or report is None:
            return None
        if program is None:
            QMessageBox.information(self.window, "변경 기록", "먼저 사업을 고르십시오.")
            return None
        try:
            entries = program_audit(engine, report.year, program.code)
        except StoreError as exc:
            QMessageBox.warning(self.window, "변경 기록", str(exc))
            return None
        dialog = AuditDialog(program.code, entries, self.window)
        dialog.exportRequested.connect(lambda: self._on_export_audit(report.year, program.code))
        self._show(dialog)
        return dialog

    def export_audit(self, year: int, code: str, path: Path) -> bool:
        from seri_desktop.store.audit import export_audit_csv
        from seri_desktop.store.engine import StoreError

        engine = self.engine()
        if engine is None:
            return False
        try:
            count = export_audit_csv(engine, path, year=year, item=code)
        except (StoreError, OSError) as exc:
            QMessageBox.warning(self.window, "변경 기록", f"CSV 파일을 쓰지 못했습니다.\n\n{exc}")
            return False
        self._status(f"변경 기록 {count}건을 저장했습니다: {path}")
        return True

    def _on_export_audit(self, year: int, code: str) -> None:
        default = self._start_dir() / f"변경기록-{code}.csv"
        name, _filter = QFileDialog.getSaveFileName(self.window, "CSV로 내보내기", str(default), CSV_FILTER)
        if name:
            path = Path(name)
            self.export_audit(year, code, path if path.suffix else path.with_suffix(".csv"))

    # ------------------------------------------------------------------ helpers

    def _show(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _obj=None: self._forget(dialog))
        self.last_dialog = dialog
        dialog.open()

    def _forget(self, dialog: QDialog) -> None:
        if self.last_dialog is dialog:
            self.last_dialog = None

    def _start_dir(self) -> Path:
        backend = self.window.backend
        return backend.path.parent if backend is not None and backend.path is not None else Path.home()

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)


def install_exchange_actions(window: MainWindow) -> ExchangeActions:
    """Add the exchange's actions to the window's File menu and the comments box to its program form."""
    return ExchangeActions(window)
