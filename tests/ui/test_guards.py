"""Guards before 제출, 확정 and PDF (issue 14): the open errors are listed first, and the database shows the answer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QInputDialog, QWidget
from pytestqt.qtbot import QtBot

from seri_desktop.domain.rules import Severity
from seri_desktop.exchange.package import create_package
from seri_desktop.store.audit import audit_log
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.review import review_states, set_state
from seri_desktop.ui.guards import GuardDialog
from seri_desktop.ui.main_window import MainWindow
from seri_desktop.ui.review_dialogs import AuditDialog, StateDialog
from tests.helpers.qt import answer_file_dialog, answer_modal
from tests.helpers.types import WindowOn

# 4-8 has the one error of a program in the 2024 report (a budget line's quarters; the printed
# summaries' and chapter lists' disagreements are the office's findings, never a department's errors).
DEPARTMENT = "교수학습정보부"
CODE = "4-8"


@pytest.fixture
def office(db_2024: Path) -> Path:
    return db_2024


@pytest.fixture
def package(office: Path, tmp_path: Path) -> Path:
    path = tmp_path / "dept.seripkg"
    engine = create_engine_for(office)
    create_package(engine, DEPARTMENT, path, who="기획팀")
    engine.dispose()
    return path


def test_submission_with_errors_asks_first_and_may_go_on(qtbot: QtBot, window_on: WindowOn, package: Path, tmp_path: Path) -> None:
    window = window_on(package)
    actions = window.exchange_actions
    out = tmp_path / "out" / "제출.serisub"
    out.parent.mkdir()
    seen: list[GuardDialog] = []

    def back_to_fix(dialog: GuardDialog) -> None:
        seen.append(dialog)
        assert not dialog.continue_button.isEnabled()
        dialog.reject()

    answer_modal(GuardDialog, back_to_fix)
    actions.submit_action.trigger()
    assert len(seen) == 1 and not out.exists()
    listed = seen[0].details.toPlainText()
    assert f"{CODE} " in listed and "분기 합계" in listed
    assert f"오류 {len(seen[0].errors)}건" in seen[0].findChildren(QWidget)[0].text()
    assert all(e.program.startswith("4-") or not e.program for e in seen[0].errors)
    assert not [e for e in seen[0].errors if e.finding]  # the import findings are the office's, not the submission's

    def go_on(dialog: GuardDialog) -> None:
        dialog.anyway.setChecked(True)
        assert dialog.continue_button.isEnabled()
        dialog.accept()

    answer_modal(GuardDialog, go_on)
    chosen = answer_file_dialog(out)
    actions.submit_action.trigger()
    assert out.is_file()
    assert chosen.proposed == f"2024-{DEPARTMENT}.serisub"
    assert window.notice.isVisible() and str(out) in window.notice.text()


def test_confirm_with_errors_is_refused_without_a_reason_and_audited_with_one(
    qtbot: QtBot,
    window_on: Callable[[Path], MainWindow],
    office: Path,
    warnings: list[str],
) -> None:
    engine = create_engine_for(office)
    for state in ("제출됨", "검토중"):
        set_state(engine, 2024, CODE, state, "기획팀")
    entries_before = len(audit_log(engine, 2024))
    window = window_on(office)
    assert window.select_key(f"program:{CODE}")

    # Directly, without a reason: refused, and nothing written.
    assert not window.exchange_actions.change_state("확정")
    assert "확정하지 않았습니다" in warnings[-1]
    assert review_states(engine, 2024)[CODE] == "검토중" and len(audit_log(engine, 2024)) == entries_before

    # Through the menu: the state dialog, then the guard, which needs the box and a reason.
    def choose_confirm(dialog: StateDialog) -> None:
        combo = dialog.findChild(QComboBox)
        assert combo is not None
        combo.setCurrentIndex(dialog.states.index("확정"))
        dialog.accept()

    def cancel(dialog: GuardDialog) -> None:
        dialog.reject()

    answer_modal(StateDialog, choose_confirm)
    answer_modal(GuardDialog, cancel)
    window.exchange_actions.state_action.trigger()
    assert review_states(engine, 2024)[CODE] == "검토중"

    reason = "예산서 확정 전이라 계 차이는 다음 추경에서 맞춤"

    def waive(dialog: GuardDialog) -> None:
        assert dialog.reason.isVisible()
        dialog.anyway.setChecked(True)
        assert not dialog.continue_button.isEnabled()  # the box alone is not enough
        dialog.reason.setText(reason)
        assert dialog.continue_button.isEnabled()
        dialog.accept()

    answer_modal(StateDialog, choose_confirm)
    answer_modal(GuardDialog, waive)
    window.exchange_actions.state_action.trigger()
    assert review_states(engine, 2024)[CODE] == "확정"
    last = audit_log(engine, 2024, item=CODE)[-1]
    assert (last.action, last.old, last.new) == ("state", "검토중", "확정")
    assert last.detail is not None and reason in last.detail["waiver"] and "오류" in last.detail["waiver"]
    engine.dispose()

    assert window.select_key(f"program:{CODE}")
    audit = window.exchange_actions.open_audit()
    assert isinstance(audit, AuditDialog)
    words = [audit.table.item(r, 4).text() for r in range(audit.table.rowCount())]
    assert any(w.startswith("검토중 → 확정") and reason in w for w in words)
    audit.close()


def test_pdf_of_a_scope_with_errors_asks_first(qtbot: QtBot, window_on: WindowOn, office: Path, tmp_path: Path) -> None:
    window = window_on(office)
    actions = window.print_actions

    def whole_report(dialog: QInputDialog) -> None:
        dialog.setTextValue("보고서 전체")
        dialog.accept()

    seen: list[GuardDialog] = []

    def back(dialog: GuardDialog) -> None:
        seen.append(dialog)
        dialog.reject()

    answer_modal(QInputDialog, whole_report)
    answer_modal(GuardDialog, back)
    actions.export_action.trigger()
    report_errors = [p for p in window.open_problems() if p.severity is Severity.ERROR]
    assert report_errors  # the 2024 report has open errors
    assert len(seen) == 1 and seen[0].errors == report_errors and actions.last_job is None

    # A department without errors goes straight to the file dialog.
    clean = "기획평가부"

    def department(dialog: QInputDialog) -> None:
        dialog.setTextValue(clean)
        dialog.accept()

    out = tmp_path / "기획.pdf"
    answer_modal(QInputDialog, department)
    chosen = answer_file_dialog(out)
    actions.export_action.trigger()
    assert chosen.proposed == f"2024-{clean}.pdf"
    job = actions.last_job
    assert job is not None
    qtbot.waitUntil(lambda: not job.is_running(), timeout=60_000)
    assert job.outcome is not None and not isinstance(job.outcome, BaseException), job.outcome
    assert job.path == out, (job.path, out)
    assert out.is_file() and out.read_bytes().startswith(b"%PDF")
    assert window.notice.isVisible() and str(out) in window.notice.text()
    assert window.notice.open_file_button.isVisible()
