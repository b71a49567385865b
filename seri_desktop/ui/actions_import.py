"""File › 텍스트 가져오기: a report text file into the open database, with the lines the importer kept as text.

Reading the file and storing the report each run behind a progress dialog
(:meth:`AppContext.run`). A file that is not a report is refused with the
importer's message and changes nothing; a report of a year the database
already holds replaces it only after the user agrees. Disabled in a
department's package, which may change only its own programs.

Install with :class:`ImportActions` (the main window does).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Qt

from seri_desktop.domain.model import Report
from seri_desktop.formats.file_names import TEXT
from seri_desktop.ui import menus
from seri_desktop.ui.context import AppContext
from seri_desktop.ui.import_dialog import ImportReportDialog

if TYPE_CHECKING:  # the importer loads when a file is imported, not with the window
    from seri_desktop.formats.text_import import ImportResult

TITLE = "텍스트 가져오기"


class ImportActions(QObject):
    """The action and its work; ``last_import_report`` and ``dialog`` (the result shown) serve tests."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.last_import_report: tuple[str, list[str]] | None = None
        self.dialog: ImportReportDialog | None = None
        self.import_action = ctx.add_action(
            menus.FILE,
            "텍스트 가져오기…",
            self._on_import,
            shortcut="Ctrl+I",
            tip="보고서 텍스트 파일을 데이터베이스로 가져옵니다",
            group="import",
        )
        ctx.workspaceChanged.connect(self._update_enabled)

    def import_file(self, path: Path) -> bool:
        """Import a report text file into the open database; ``True`` when the report was replaced."""
        ctx, backend = self.ctx, self.ctx.backend
        if backend is None or not ctx.flush():
            return False
        with ctx.attempt("가져오기 실패", f"{path.name} 파일을 가져오지 못했습니다.", doing=TITLE) as attempt:
            (parsed,) = ctx.run(TITLE, [("파일을 읽는 중…", partial(backend.parse_text, path))])
        if attempt.failed:
            return False
        result = cast("ImportResult", parsed)
        report: Report = result.report
        if backend.has_report(report.year) and not ctx.ask(
            "보고서 바꾸기",
            f"이 데이터베이스에 {report.year}년 보고서가 이미 있습니다. 가져온 내용으로 바꿀까요?\n"
            "지금 보고서의 내용은 모두 가져온 내용으로 바뀝니다.",
        ):
            return False
        with ctx.attempt("가져오기 실패", f"{path.name} 파일을 저장하지 못했습니다.", doing=TITLE) as attempt:
            ctx.run(TITLE, [("데이터베이스에 저장하는 중…", partial(backend.replace_report, report))])
        if attempt.failed:
            return False
        ctx.reload()
        warnings = [f"{w.line}번째 줄: {w.message}" + (f"  — {w.text}" if w.text else "") for w in result.warnings]
        programs = sum(len(c.programs) for c in report.chapters)
        summary = f"{report.year}년 보고서를 가져왔습니다: {len(report.chapters)}개 장, {programs}개 사업"
        ctx.notify(summary)
        self.last_import_report = (summary, warnings)
        self._show_result(summary, warnings)
        return True

    def _update_enabled(self) -> None:
        self.import_action.setEnabled(self.ctx.is_office)

    def _on_import(self) -> None:
        path = self.ctx.choose_open("보고서 텍스트 가져오기", [TEXT])
        if path is not None:
            self.import_file(path)

    def _show_result(self, summary: str, warnings: list[str]) -> None:
        dialog = ImportReportDialog(summary, warnings, self.ctx.dialog_parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
