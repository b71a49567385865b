"""The context the action modules get: a new action written against it alone, as a developer would add one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from seri_desktop.domain.identity import ItemRef
from seri_desktop.errors import UserError
from seri_desktop.ui import crash, menus
from seri_desktop.ui.backend import Workspace
from seri_desktop.ui.context import AppContext
from seri_desktop.ui.file_dialogs import documents_dir, remember_dir
from seri_desktop.ui.main_window import MainWindow
from seri_desktop.ui.mnemonics import plain
from tests.helpers.backend import MemoryBackend


class CountPrograms(QObject):
    """A menu action that uses only the context: count the programs, say so, refuse a report without chapters."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.loads = 0
        self.action = ctx.add_action(menus.FILE, "사업 세기", self.run, shortcut="Ctrl+Shift+K", group="export")
        ctx.reportLoaded.connect(self._on_loaded)

    def _on_loaded(self) -> None:
        self.loads += 1
        report = self.ctx.report
        self.action.setEnabled(report is not None and bool(report.chapters))

    def run(self) -> bool:
        ctx = self.ctx
        if not ctx.flush():
            return False
        with ctx.attempt("사업 세기", "셀 수 없습니다.") as attempt:
            report = ctx.report
            if report is None or not report.chapters:
                raise UserError("보고서에 장이 없습니다.", "empty")
            count = sum(1 for _ in report.programs())
        if attempt.failed:
            return False
        ctx.notify(f"사업 {count}개")
        ctx.reload()
        return True


def window_on(qtbot: QtBot, settings: QSettings, backend: Any) -> MainWindow:
    window = MainWindow(Workspace(backend), settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_an_action_written_against_the_context(
    qtbot: QtBot,
    settings: QSettings,
    sample_report: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    shown: list[str] = []

    def warn(parent: QWidget | None, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warn)
    backend = MemoryBackend(sample_report, Path("/data/reports/2024.sqlite"))
    window = window_on(qtbot, settings, backend)
    ctx = window.context
    action = CountPrograms(ctx)
    texts = [plain(a.text()) for a in window.file_menu.actions() if not a.isSeparator()]
    assert texts.index("사업 세기") == texts.index("한글(HWPX)로 내보내기…") + 1  # the end of its group
    # File dialogs start in Documents (never beside the database in the app's data folder), then where the user was.
    assert ctx.start_dir() == documents_dir() and ctx.is_office and ctx.engine is None
    remember_dir(ctx.settings, tmp_path / "chosen.pdf")
    assert ctx.start_dir() == tmp_path

    window.select_key("program:1-2")
    assert ctx.current_ref() == ItemRef.program("1-2")
    program = ctx.current_program()
    assert program is not None and program.title == "교원 연수 운영"
    action.action.trigger()
    assert window.statusBar().currentMessage() == "사업 3개"
    assert action.loads == 1 and window.current_key() == "program:1-2"  # reloaded, the item kept

    backend.report.chapters = []
    window.reload()
    assert not action.action.isEnabled()
    assert not action.run() and shown == ["셀 수 없습니다.\n\n보고서에 장이 없습니다."]
    assert crash.open_crash_dialog() is None
    with pytest.raises(ValueError, match="unknown File menu group"):
        ctx.add_action(menus.FILE, "x", lambda: None, group="nowhere")
