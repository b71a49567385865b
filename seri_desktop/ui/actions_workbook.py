"""File menu actions for Excel and the next year: 엑셀로 내보내기, 엑셀에서 가져오기, 새 연도 보고서, 작년 보고서로 새 해 시작.

The work itself is in :mod:`seri_desktop.formats.xlsx` and
:mod:`seri_desktop.domain.rollover`; this module asks for files, runs the
work off the event loop (:meth:`AppContext.run`) and says what happened.

An Excel import is all or nothing, as on the command line: when any cell is
rejected the list ("시트!주소: 이유") is shown and nothing is written;
otherwise the user confirms the list of changes and the whole report is
saved in one transaction, then the window reloads it.

새 연도 보고서 rolls the open report over; 작년 보고서로 새 해 시작 (the
welcome page's way in) asks for last year's file first, so it works from an
empty database too. Both write the new year to a new file and offer to open it.

Install with :func:`install_workbook_actions` (the main window does).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from seri_desktop.domain.model import Report
from seri_desktop.domain.rollover import roll_over
from seri_desktop.formats.file_names import DATABASE, WORKBOOK, file_name
from seri_desktop.ui import menus
from seri_desktop.ui.context import AppContext

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class ListDialog(QDialog):
    """A message above a read-only list of lines; with ``ask`` the buttons are 가져오기 / 취소, else 확인."""

    def __init__(
        self, title: str, message: str, lines: Sequence[str], parent: QWidget | None = None, *, ask: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.lines = list(lines)
        label = QLabel(message)
        label.setWordWrap(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setPlainText("\n".join(self.lines))
        if ask:
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
            buttons.button(QDialogButtonBox.StandardButton.Ok).setText("가져오기")
            buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("취소")
        else:
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
            buttons.button(QDialogButtonBox.StandardButton.Ok).setText("확인")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)


def confirm_changes(parent: QWidget, lines: Sequence[str]) -> bool:
    """Ask before writing the changes of an Excel import (a function, so tests can answer it)."""
    dialog = ListDialog(
        "엑셀에서 가져오기",
        f"바뀐 칸 {len(lines)}개를 보고서에 반영합니다. 가져올까요?",
        lines,
        parent,
        ask=True,
    )
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


def _save_replacing(engine: Engine, report: Report) -> None:
    from seri_desktop.store.repository import save_report

    save_report(engine, report, replace=True)


def _load_report(path: Path) -> Report:
    """The newest report stored in the database at ``path`` (read only; a file without one is refused)."""
    from seri_desktop.errors import UserError
    from seri_desktop.store.engine import create_engine_for
    from seri_desktop.store.repository import load_report

    if not path.is_file():
        raise UserError(f"{path}: 파일이 없습니다.", "missing")
    engine = create_engine_for(path)
    try:
        report = load_report(engine)
    finally:
        engine.dispose()
    if report is None:
        raise UserError(f"{path.name}에는 보고서가 없습니다. 작년 보고서가 든 파일을 고르십시오.", "empty")
    return report


def _create_rolled_over(path: Path, report: Report, year: int) -> Report:
    """Write the roll-over of ``report`` to a new database at ``path`` (refusing one that already has ``year``)."""
    from seri_desktop.store.engine import create_engine_for
    from seri_desktop.store.repository import save_report

    new = roll_over(report, year)
    engine = create_engine_for(path)
    try:
        save_report(engine, new)
    finally:
        engine.dispose()
    return new


class WorkbookActions(QObject):
    """The three File menu actions; ``last_dialog`` (the rejected-cells list) serves tests."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.last_dialog: ListDialog | None = None
        self.export_action = ctx.add_action(
            menus.FILE,
            "엑셀로 내보내기…",
            self._on_export,
            tip="예산과 추진 목표를 Excel 통합 문서로 씁니다",
            group="exchange",
        )
        self.import_action = ctx.add_action(
            menus.FILE,
            "엑셀에서 가져오기…",
            self._on_import,
            tip="Excel에서 고친 예산과 추진 목표를 보고서에 반영합니다",
            group="exchange",
        )
        self.rollover_action = ctx.add_action(
            menus.FILE,
            "새 연도 보고서…",
            self._on_rollover,
            tip="이 보고서로 다음 해 보고서를 새 데이터베이스 파일에 만듭니다",
            group="document",
        )
        self.new_year_action = ctx.add_action(
            menus.FILE,
            "작년 보고서로 새 해 시작…",
            self._on_new_year_from_file,
            tip="작년 보고서 파일을 골라 올해 보고서를 새 데이터베이스 파일에 만듭니다",
            group="document",
        )
        ctx.reportLoaded.connect(self._update_enabled)
        self._update_enabled()

    def _update_enabled(self) -> None:
        ctx = self.ctx
        has_report = ctx.report is not None
        self.export_action.setEnabled(has_report)
        self.rollover_action.setEnabled(has_report)
        # A department's submission file may change only its own programs; a workbook holds every department.
        self.import_action.setEnabled(has_report and ctx.is_office and ctx.engine is not None)

    # ---------------------------------------------------------------- Excel export

    def export_workbook(self, path: Path) -> bool:
        """Write the budget workbook of the open report to ``path``."""
        # Imported here, not at start: openpyxl's import is a tenth of a second of the window's start.
        from seri_desktop.formats.xlsx import write_budget_workbook

        ctx = self.ctx
        ctx.flush()
        report = ctx.report
        if report is None:
            return False
        snapshot = copy.deepcopy(report)
        with ctx.attempt("엑셀로 내보내기", f"{path.name} 파일을 쓰지 못했습니다.") as attempt:
            ctx.run(
                "엑셀로 내보내기",
                [("엑셀 파일을 쓰는 중…", partial(write_budget_workbook, snapshot, path, pages=ctx.pdf_pages))],
            )
        if attempt.failed:
            return False
        ctx.notify_file("엑셀 파일을 저장했습니다.", path)
        return True

    # ---------------------------------------------------------------- Excel import

    def import_workbook(self, path: Path) -> bool:
        """Read an edited workbook and, if every cell is acceptable and the user agrees, save its changes."""
        from seri_desktop.formats.xlsx import WorkbookImport, read_budget_workbook

        ctx, title = self.ctx, "엑셀에서 가져오기"
        engine = ctx.engine
        if engine is None or not self.import_action.isEnabled():
            return False
        if not ctx.flush():
            ctx.warn(title, "고친 내용을 저장하지 못해 가져오지 않았습니다.")
            return False
        report = ctx.report
        if report is None:
            return False
        with ctx.attempt(title, f"{path.name} 파일을 읽지 못했습니다.") as attempt:
            (found,) = ctx.run(
                title, [("엑셀 파일을 읽는 중…", partial(read_budget_workbook, path, copy.deepcopy(report)))]
            )
        if attempt.failed:
            return False
        assert isinstance(found, WorkbookImport)
        if found.rejected:
            self._show_list(
                title,
                f"받아들일 수 없는 칸이 {len(found.rejected)}개 있어 아무것도 가져오지 않았습니다. "
                "Excel에서 고친 뒤 다시 가져오십시오.",
                [str(r) for r in found.rejected],
            )
            return False
        if not found.changes:
            ctx.notify(f"{path.name}: 바뀐 칸이 없습니다.")
            return False
        lines = [str(c) for c in found.changes]
        if not confirm_changes(ctx.dialog_parent, lines):
            return False
        with ctx.attempt(title, "바뀐 내용을 저장하지 못했습니다.") as attempt:
            ctx.run(title, [("데이터베이스에 저장하는 중…", partial(_save_replacing, engine, found.report))])
        if attempt.failed:
            return False
        ctx.reload()
        ctx.notify(f"엑셀에서 {len(found.changes)}개 칸을 가져왔습니다.")
        return True

    # ---------------------------------------------------------------- next year's report

    def create_next_year(self, path: Path, source: Report | None = None) -> bool:
        """Create next year's report from ``source`` (default: the open one) in a new database at ``path``.

        Offers to open it afterwards.
        """
        ctx, title = self.ctx, "새 연도 보고서"
        ctx.flush()
        report = source if source is not None else ctx.report
        if report is None:
            return False
        current = ctx.backend.path if ctx.backend is not None else None
        if current is not None and path.expanduser().absolute() == current.expanduser().absolute():
            ctx.warn(title, "지금 열려 있는 파일입니다. 새 보고서는 다른 파일에 만드십시오.")
            return False
        year = report.year + 1
        with ctx.attempt(title, f"{path.name} 에 {year}년 보고서를 만들지 못했습니다.") as attempt:
            work = partial(_create_rolled_over, path, copy.deepcopy(report), year)
            ctx.run(title, [(f"{year}년 보고서를 만드는 중…", work)])
        if attempt.failed:
            return False
        ctx.notify_file(f"{year}년 보고서를 만들었습니다.", path)
        if ctx.can_open and ctx.ask(title, f"{year}년 보고서를 만들었습니다.\n{path}\n\n지금 열까요?"):
            ctx.open_database(path)
        return True

    # ---------------------------------------------------------------- menu slots

    def _on_export(self) -> None:
        path = self.ctx.choose_save("엑셀로 내보내기", WORKBOOK, self.ctx.file_name(WORKBOOK))
        if path is not None:
            self.export_workbook(path)

    def _on_import(self) -> None:
        path = self.ctx.choose_open("엑셀에서 가져오기", [WORKBOOK])
        if path is not None:
            self.import_workbook(path)

    def _on_rollover(self) -> None:
        report = self.ctx.report
        if report is None:
            return
        year = report.year + 1
        path = self.ctx.choose_save(f"새 연도 보고서 ({year}년) 데이터베이스", DATABASE, file_name(DATABASE, year))
        if path is not None:
            self.create_next_year(path)

    def start_from_file(self, source: Path, target: Path) -> bool:
        """Roll the report in ``source`` (last year's file) over into a new database at ``target``."""
        with self.ctx.attempt("작년 보고서로 새 해 시작", f"{source.name} 파일을 읽지 못했습니다.") as attempt:
            (report,) = self.ctx.run("작년 보고서 읽기", [("보고서를 읽는 중…", partial(_load_report, source))])
        if attempt.failed:
            return False
        assert isinstance(report, Report)
        return self.create_next_year(target, report)

    def _on_new_year_from_file(self) -> None:
        ctx = self.ctx
        source = ctx.choose_open("작년 보고서 파일 고르기", [DATABASE])
        if source is None:
            return
        with ctx.attempt("작년 보고서로 새 해 시작", f"{source.name} 파일을 읽지 못했습니다.") as attempt:
            report = _load_report(source)
        if attempt.failed:
            return
        year = report.year + 1
        target = ctx.choose_save(f"새 보고서 ({year}년) 데이터베이스", DATABASE, file_name(DATABASE, year))
        if target is not None:
            self.create_next_year(target, report)

    def _show_list(self, title: str, message: str, lines: Sequence[str]) -> None:
        dialog = ListDialog(title, message, lines, self.ctx.dialog_parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _obj=None: self._forget_dialog(dialog))
        self.last_dialog = dialog
        dialog.open()

    def _forget_dialog(self, dialog: ListDialog) -> None:
        if self.last_dialog is dialog:
            self.last_dialog = None


def install_workbook_actions(ctx: AppContext) -> WorkbookActions:
    """Add 엑셀로 내보내기, 엑셀에서 가져오기 and 새 연도 보고서 to the File menu."""
    return WorkbookActions(ctx)
