"""PDF export, preview and printing from the window: worker thread, cancel, QtPdf preview, QPrinter output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from seri_desktop.formats.pdf import PdfCancelled, PdfResult
from seri_desktop.ui.actions_print import print_pdf
from seri_desktop.ui.guards import GuardDialog
from seri_desktop.ui.main_window import MainWindow
from seri_desktop.ui.mnemonics import plain
from seri_desktop.ui.test_hook import run_script
from tests.helpers.qt import answer_modal
from tests.helpers.types import OpenWindow

DEPARTMENT_WAIT_MS = 20_000
REPORT_WAIT_MS = 60_000


def _department(window: MainWindow) -> str:
    assert window.report is not None
    return window.report.departments[0].name


def test_menu_has_the_print_actions(open_window: OpenWindow, db_2024: Path) -> None:
    window = open_window(db_2024)
    texts = [plain(a.text()) for a in window.file_menu.actions()]
    assert {"PDF로 내보내기…", "인쇄 미리보기…", "인쇄…"} <= set(texts)
    assert window.print_actions.print_action.shortcut().toString() == "Ctrl+P"
    assert window.print_actions.preview_action.shortcut().toString() == "Ctrl+Shift+P"


def test_export_whole_report_writes_pdf_in_worker(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, tmp_path: Path, warnings: list[str]
) -> None:
    window = open_window(db_2024)
    out = tmp_path / "report.pdf"
    progress: list[tuple[int, int]] = []
    job = window.print_actions.export_pdf(None, out)
    assert job is not None
    job._thread.progressed.connect(lambda d, t: progress.append((d, t)))
    # The UI thread is free while the worker writes: the event loop keeps turning here.
    assert job.is_running()
    qtbot.waitUntil(lambda: not job.is_running(), timeout=REPORT_WAIT_MS)
    assert isinstance(job.outcome, PdfResult), job.outcome
    assert len(PdfReader(out).pages) == job.outcome.pages > 50
    assert "쪽" in window.statusBar().currentMessage()
    assert progress and warnings == []


def test_cancel_leaves_no_file(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, tmp_path: Path, warnings: list[str]
) -> None:
    window = open_window(db_2024)
    out = tmp_path / "cancelled.pdf"
    job = window.print_actions.export_pdf(None, out)
    assert job is not None
    (button,) = job.dialog.findChildren(QPushButton)  # the progress dialog's 취소
    button.click()
    qtbot.waitUntil(lambda: not job.is_running(), timeout=REPORT_WAIT_MS)
    assert isinstance(job.outcome, PdfCancelled)
    assert not out.exists()
    assert window.statusBar().currentMessage() == "취소했습니다"
    assert warnings == []


def test_preview_shows_the_department_pdf(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, warnings: list[str]
) -> None:
    window = open_window(db_2024)
    job = window.print_actions.preview_pdf(_department(window))
    assert job is not None
    qtbot.waitUntil(lambda: window.print_actions.preview is not None, timeout=DEPARTMENT_WAIT_MS)
    dialog = window.print_actions.preview
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.document.status() == QPdfDocument.Status.Ready
    assert dialog.document.pageCount() > 0
    folder = job.path.parent
    shot = os.environ.get("SERI_PREVIEW_SHOT")
    if shot:
        qtbot.wait(200)
        dialog.grab().save(shot)
    dialog.close()
    # The temporary PDF goes with the dialog.
    qtbot.waitUntil(lambda: not folder.exists(), timeout=2_000)
    assert warnings == []


def test_print_renders_every_page_to_a_pdf_printer(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, tmp_path: Path, warnings: list[str]
) -> None:
    window = open_window(db_2024)
    source = tmp_path / "dept.pdf"
    job = window.print_actions.export_pdf(_department(window), source)
    assert job is not None
    qtbot.waitUntil(lambda: not job.is_running(), timeout=DEPARTMENT_WAIT_MS)
    document = QPdfDocument()
    document.load(str(source))
    assert document.status() == QPdfDocument.Status.Ready
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    # Low resolution keeps the test quick; the page count is what matters here.
    assert print_pdf(document, printer, dpi=72) == document.pageCount()
    document.close()
    assert len(PdfReader(printed).pages) == len(PdfReader(source).pages)
    assert warnings == []


def test_the_save_dialog_proposes_the_export_name_and_cancelling_writes_nothing(
    open_window: OpenWindow, db_2024: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The proposed names follow the one naming rule (formats/file_names.file_name): 2024-주요업무보고.pdf, 2024-부서.pdf.
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    window = open_window(db_2024)
    answers = iter(["보고서 전체", "기획평가부"])
    proposed: list[str] = []

    def save_as(parent: object, title: str, start: str, filters: str) -> tuple[str, str]:
        proposed.append(Path(start).name)
        return "", ""  # cancelled

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (next(answers), True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)

    def go_on(dialog: GuardDialog) -> None:  # the whole report has open errors: the guard asks first (issue 14)
        dialog.anyway.setChecked(True)
        dialog.accept()

    answer_modal(GuardDialog, go_on)
    for _ in range(2):
        window.print_actions.export_action.trigger()
        assert window.print_actions.last_job is None
    assert proposed == ["2024-주요업무보고.pdf", "2024-기획평가부.pdf"]


def test_the_test_scripts_export_pdf_step_prints_as_the_menu_does_and_times_each_print(
    qtbot: QtBot, open_window: OpenWindow, db_2024: Path, tmp_path: Path, warnings: list[str]
) -> None:
    # The step benchmarks.bench_xvfb times a window's prints with: one after the other, each written whole.
    window = open_window(db_2024)
    department = _department(window)
    times, done = tmp_path / "times", tmp_path / "done"
    steps = [
        {"export_pdf": [department, str(tmp_path / "dept.pdf"), str(times)]},
        {"export_pdf": [None, str(tmp_path / "all.pdf"), str(times)]},
        {"mark": str(done)},
    ]
    (tmp_path / "steps.json").write_text(json.dumps(steps), encoding="utf-8")
    run_script(window, tmp_path / "steps.json")
    qtbot.waitUntil(done.exists, timeout=DEPARTMENT_WAIT_MS + REPORT_WAIT_MS)
    rows = [[float(v) for v in row.split()] for row in times.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 2
    (dept_start, dept_end), (all_start, all_end) = rows
    assert dept_start < dept_end <= all_start < all_end <= float(done.read_text(encoding="utf-8"))
    dept_pdf, whole = PdfReader(tmp_path / "dept.pdf"), PdfReader(tmp_path / "all.pdf")
    assert 0 < len(dept_pdf.pages) < len(whole.pages)
    assert dept_pdf.metadata is not None and str(dept_pdf.metadata.subject).endswith(f" - {department}")
    assert warnings == []


def test_the_export_pdf_step_ends_the_app_on_a_department_the_report_does_not_have(
    db_2024: Path, tmp_path: Path
) -> None:
    # Its own process: the step ends the application, which a test's shared QApplication must not see.
    times = tmp_path / "times"
    steps = [{"export_pdf": ["없는부서", str(tmp_path / "x.pdf"), str(times)]}, {"mark": str(tmp_path / "after")}]
    (tmp_path / "steps.json").write_text(json.dumps(steps, ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        SERI_TEST_SCRIPT=str(tmp_path / "steps.json"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        HOME=str(tmp_path),
    )
    with (tmp_path / "out.txt").open("wb") as out:
        done = subprocess.run(
            [sys.executable, "-m", "seri_desktop", "--db", str(db_2024)], env=env, stdout=out, stderr=subprocess.PIPE,
            timeout=120, check=False,
        )
    assert done.returncode == 1, done.stderr.decode(errors="replace")
    assert "없는부서" in done.stderr.decode()
    assert not (tmp_path / "x.pdf").exists() and not times.exists() and not (tmp_path / "after").exists()
