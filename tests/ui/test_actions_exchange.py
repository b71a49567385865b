"""The exchange in the window: merge review, comments in the form, review states, dashboard, audit, packages.

The office database, a package of 교육정책연구소 (1-1's first 추진 실적 item
changed) and its submission are made once per module from the 2024 report;
each test works on copies. Windows are opened with the real access rules
(``open_workspace``), so review states and locks come from the store.
"""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from seri_desktop.domain.model import ItemKind
from seri_desktop.exchange.package import create_package
from seri_desktop.exchange.submission import create_submission
from seri_desktop.store.audit import audit_log
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report, save_program
from seri_desktop.store.review import review_states
from seri_desktop.ui import actions_exchange
from seri_desktop.ui.review_dialogs import ACCEPT, RETURN, AuditDialog, DashboardDialog, MergeReviewDialog
from tests.helpers.db import load_db
from tests.helpers.qt import answer_file_dialog
from tests.helpers.types import WindowOn

DEPARTMENT = "교육정책연구소"
CODE = "1-1"
SUFFIX = " (부서 수정)"


@pytest.fixture(scope="module")
def exchange_files(db_2024_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exchange-ui")
    office = folder / "office.sqlite"
    shutil.copyfile(db_2024_template, office)
    package = folder / "dept.seripkg"
    engine = create_engine_for(office)
    create_package(engine, DEPARTMENT, package, who="기획팀")
    engine.dispose()
    department = create_engine_for(package)
    report = load_report(department, 2024)
    assert report is not None
    program = report.program(CODE)
    assert program is not None
    item = next(i for i in program.achievements if i.kind is ItemKind.ITEM)
    item.text += SUFFIX
    save_program(department, 2024, program)
    submission = folder / "dept.serisub"
    create_submission(department, submission, author="홍길동")
    department.dispose()
    return {"office": office, "package": package, "submission": submission}


@pytest.fixture
def files(exchange_files: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    return {name: Path(shutil.copyfile(path, tmp_path / path.name)) for name, path in exchange_files.items()}


def _answer_review(
    monkeypatch: pytest.MonkeyPatch, decide: Callable[[MergeReviewDialog], None]
) -> list[MergeReviewDialog]:
    seen: list[MergeReviewDialog] = []

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, MergeReviewDialog)
        seen.append(dialog)
        decide(dialog)
        return dialog.apply_button.isEnabled()

    monkeypatch.setattr(actions_exchange, "run_dialog", run)
    return seen


def _stored_text(path: Path) -> str:
    report = load_db(path, 2024)
    program = report.program(CODE)
    assert program is not None
    return next(i for i in program.achievements if i.kind is ItemKind.ITEM).text


def test_menu_items_by_mode(window_on: WindowOn, files: dict[str, Path]) -> None:
    office = window_on(files["office"])
    actions = office.exchange_actions
    assert all(a.isVisible() and a.isEnabled() for a in actions.office_actions)
    assert not actions.submit_action.isVisible()
    department = window_on(files["package"])
    assert department.exchange_actions.submit_action.isEnabled()
    assert not any(a.isVisible() for a in department.exchange_actions.office_actions)


def test_accept_merges_then_confirm_locks(
    window_on: WindowOn,
    files: dict[str, Path],
    warnings: list[str],
    monkeypatch: pytest.MonkeyPatch,
    recorded_name: str,
) -> None:
    window = window_on(files["office"])
    seen = _answer_review(monkeypatch, lambda dialog: dialog.decide(CODE, ACCEPT))
    assert window.exchange_actions.import_submission(files["submission"])
    dialog = seen[0]
    keys = [item.label for item in dialog.preview.items]
    assert CODE in keys
    dialog_row = keys.index(CODE)
    assert dialog.table.item(dialog_row, 2).text() == "변경"
    assert SUFFIX.strip() in dialog.diff.toPlainText()
    assert warnings == []
    assert _stored_text(files["office"]).endswith(SUFFIX)
    assert window.report is not None and window.report.program(CODE) is not None
    assert window.model.row(f"program:{CODE}") is not None
    assert window.model.row(f"program:{CODE}").state == "제출됨"  # type: ignore[union-attr]

    assert window.select_key(f"program:{CODE}")
    assert window.exchange_actions.change_state("확정")
    assert window.select_key(f"program:{CODE}")
    session = window.session(f"program:{CODE}")
    assert session is not None and session.readonly
    assert window.program_form.banner.isVisible()
    assert warnings == []

    # The merge and the state change are recorded with the name set on the first start, not the OS login.
    engine = window.exchange_actions.engine()
    assert engine is not None
    mine = [e for e in audit_log(engine) if e.action in ("merge", "state")]
    assert mine and {e.who for e in mine} == {recorded_name}

    dashboard = window.exchange_actions.open_dashboard()
    assert isinstance(dashboard, DashboardDialog) and dashboard.table.rowCount() > 10
    dashboard.close()
    audit = window.exchange_actions.open_audit()
    assert isinstance(audit, AuditDialog) and audit.table.rowCount() >= 2
    out = files["office"].parent / "audit.csv"
    answer_file_dialog(out)
    audit.exportRequested.emit()
    assert out.exists() and CODE in out.read_text(encoding="utf-8-sig")
    # The year's chain is checked as the log opens: intact now, named as changed once a row is rewritten.
    assert "온전합니다" in audit.chain.text() and audit.chain.isVisibleTo(audit)
    audit.close()
    with closing(sqlite3.connect(files["office"])) as conn:
        conn.execute("UPDATE audit_log SET new = '조작된 값' WHERE id = (SELECT min(id) FROM audit_log)")
        conn.commit()
    tampered = window.exchange_actions.open_audit()
    assert isinstance(tampered, AuditDialog)
    assert "바뀌었습니다" in tampered.chain.text() and "1번 항목부터" in tampered.chain.text()
    tampered.close()


def test_return_with_comment_shows_in_form(
    window_on: WindowOn, files: dict[str, Path], warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_on(files["office"])

    def give_back(dialog: MergeReviewDialog) -> None:
        dialog.decide(CODE, RETURN)
        assert not dialog.apply_button.isEnabled()  # a return needs its reason
        dialog.decide(CODE, RETURN, comment="예산 근거를 보완하십시오")

    _answer_review(monkeypatch, give_back)
    assert window.exchange_actions.import_submission(files["submission"])
    assert warnings == []
    assert not _stored_text(files["office"]).endswith(SUFFIX)
    engine = window.exchange_actions.engine()
    assert engine is not None and review_states(engine, 2024)[CODE] == "반려"
    assert window.select_key(f"program:{CODE}")
    form = window.program_form
    assert form.comments_box.isVisible()
    assert "예산 근거를 보완하십시오" in form.comments_label.text()
    # Another program has no comments: the box hides.
    assert window.select_key("program:1-2")
    assert not form.comments_box.isVisible()


def test_bad_submissions_warn_and_change_nothing(
    window_on: WindowOn, files: dict[str, Path], warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_on(files["office"])
    engine = window.exchange_actions.engine()
    assert engine is not None
    before = (_stored_text(files["office"]), len(audit_log(engine)), review_states(engine, 2024))
    seen = _answer_review(monkeypatch, lambda dialog: None)

    garbage = files["office"].parent / "garbage.serisub"
    garbage.write_bytes(b"this is not a zip file")
    tampered = files["office"].parent / "tampered.serisub"
    with zipfile.ZipFile(files["submission"]) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "payload.json":
                data = data.replace(SUFFIX.strip().encode(), "(위조)".encode())
            target.writestr(info.filename, data)

    assert not window.exchange_actions.import_submission(garbage)
    assert not window.exchange_actions.import_submission(tampered)
    assert seen == []
    assert len(warnings) == 2
    assert all("반영할 수 없습니다" in text for text in warnings)
    assert "garbage.serisub" in warnings[0] and "tampered.serisub" in warnings[1]
    assert (_stored_text(files["office"]), len(audit_log(engine)), review_states(engine, 2024)) == before


def test_package_and_submission_files(
    window_on: WindowOn, files: dict[str, Path], warnings: list[str], tmp_path: Path
) -> None:
    office = window_on(files["office"])
    package = tmp_path / "new.seripkg"
    assert office.exchange_actions.make_package("기획평가부", package)
    department = window_on(package)
    assert department.workspace is not None and department.workspace.editable_department == "기획평가부"
    submission = tmp_path / "new.serisub"
    assert department.exchange_actions.make_submission(submission)
    assert zipfile.is_zipfile(submission)
    assert warnings == []


def test_a_conflict_is_merged_only_when_overwrite_is_chosen(
    window_on: WindowOn, files: dict[str, Path], warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The office changes 1-1 after issuing the package; the department's submission changed it too.
    engine = create_engine_for(files["office"])
    report = load_report(engine, 2024)
    assert report is not None
    program = report.program(CODE)
    assert program is not None
    program.title += " (기획 수정)"
    save_program(engine, 2024, program)
    engine.dispose()
    window = window_on(files["office"])
    seen: list[tuple[bool, bool, str]] = []

    def overwrite(dialog: MergeReviewDialog) -> None:
        assert CODE in dialog.preview.conflicts()
        dialog.decide(CODE, ACCEPT)
        # Accepting a conflict needs the overwrite box: it shows for the item, and 적용 waits for it.
        seen.append((dialog.overwrite_box.isVisibleTo(dialog), dialog.apply_button.isEnabled(), dialog.problem.text()))
        dialog.decide(CODE, ACCEPT, overwrite=True)
        seen.append((dialog.overwrite_box.isChecked(), dialog.apply_button.isEnabled(), dialog.problem.text()))

    _answer_review(monkeypatch, overwrite)
    assert window.exchange_actions.import_submission(files["submission"])
    (box_shown, blocked, why), (ticked, ready, _) = seen
    assert box_shown and not blocked and why == f"{CODE}: 충돌입니다. 반영하려면 '덮어쓰기'를 고르십시오."
    assert ticked and ready
    assert _stored_text(files["office"]).endswith(SUFFIX)  # the submission's text, over the office's change
