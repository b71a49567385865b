"""File menu actions for 한글 (Hancom Office): 한글(HWPX)로 내보내기… and 한글(HWPX) 가져오기….

Export writes the whole report, one department's section or the current
program as an HWPX document (:mod:`seri_desktop.formats.hwpx`) in a worker
thread behind a cancellable progress dialog, exactly as the PDF is made
(:mod:`seri_desktop.ui.jobs`): the file appears only when complete, a
cancelled export leaves none, a person's error is shown as its message and
anything else goes to the crash dialog.

Import (the planning office's database only) takes a department's section
back after it was edited in 한글: the office picks the file and the
department it came from (proposed: the one the file's properties name, else
the one owning the programs it holds); the file is read and compared with
the office's copy; the review dialog (:mod:`seri_desktop.ui.hwpx_review`)
shows the field-level diff per program, that the file is unsigned, and what
could not be placed; and only when the office accepts are the decisions
applied, in one transaction, by
:func:`seri_desktop.formats.hwpx.intake.apply_hwpx`. The window then reloads,
so the navigator shows the new review states. A file that cannot be read or
may not be taken in is refused with its Korean message and changes nothing.

Install with :func:`install_hwpx_actions` (the main window does).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog

from seri_desktop.domain.model import Report
from seri_desktop.formats.file_names import HWPX
from seri_desktop.settings import require_user_name
from seri_desktop.ui import menus
from seri_desktop.ui.actions_exchange import run_dialog
from seri_desktop.ui.actions_print import WHOLE_REPORT
from seri_desktop.ui.context import AppContext
from seri_desktop.ui.jobs import CancelFn, FileJob, JobRunner, ProgressFn, ask_export_path

if TYPE_CHECKING:
    from seri_desktop.formats.hwpx import HwpxResult
    from seri_desktop.formats.hwpx.intake import HwpxPreview
    from seri_desktop.formats.hwpx.reader import HwpxReading
    from seri_desktop.ui.hwpx_review import HwpxReviewDialog


HWPX_OPEN_FILTER = "한글 문서 (*.hwpx);;모든 파일 (*)"
EXPORT_TITLE = "한글(HWPX)로 내보내기"
IMPORT_TITLE = "한글(HWPX) 가져오기"
BUSY_TEXT = "한글 파일을 만드는 중입니다. 끝난 뒤에 다시 하십시오."
MAKING_TEXT = "한글 파일을 만드는 중…"


@dataclass(frozen=True)
class Scope:
    """What to export: the whole report (both ``None``), one department's section, or one program."""

    department: str | None = None
    program: str | None = None


def program_choice(code: str, title: str) -> str:
    """The scope list's entry for the current program."""
    return f"현재 사업: {code} {title}"


def proposed_department(report: Report, reading: HwpxReading) -> str | None:
    """The department a file most likely came from: the one its properties name, else the owner of most of its programs."""
    names = [d.name for d in report.departments] + [c.department for c in report.chapters]
    if reading.identity is not None and reading.identity.department in names:
        return reading.identity.department
    owners = Counter(p.department for r in reading.programs if (p := report.program(r.code)) is not None)
    owners.update(name for name in reading.section_ii if name in names)
    return owners.most_common(1)[0][0] if owners else None


def file_time(path: Path) -> dt.datetime:
    """When ``path`` was last saved (shown as the file's 작성 time)."""
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)


class HwpxActions(QObject):
    """The two File menu actions; ``last_job`` and ``last_dialog`` serve tests."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.jobs = JobRunner(ctx, BUSY_TEXT)
        self.last_dialog: HwpxReviewDialog | None = None
        self.export_action = ctx.add_action(
            menus.FILE,
            "한글(HWPX)로 내보내기…",
            self._on_export,
            tip="보고서, 한 부서 또는 지금 사업을 한글에서 고칠 수 있는 HWPX 문서로 씁니다",
            group="export",
        )
        self.import_action = ctx.add_action(
            menus.FILE,
            "한글(HWPX) 가져오기…",
            self._on_import,
            tip="한글에서 고친 부서의 HWPX 문서를 검토해 반영합니다",
            group="exchange",
        )
        ctx.reportLoaded.connect(self._update_enabled)
        self._update_enabled()

    def _update_enabled(self) -> None:
        ctx = self.ctx
        has_report = ctx.report is not None
        self.export_action.setEnabled(has_report)
        self.import_action.setVisible(ctx.is_office)
        self.import_action.setEnabled(has_report and ctx.engine is not None and ctx.is_office)

    # ---------------------------------------------------------------- export

    @property
    def last_job(self) -> FileJob | None:
        return self.jobs.last_job

    def export_hwpx(self, scope: Scope, path: Path) -> FileJob | None:
        """Write ``scope`` as HWPX at ``path`` in a worker thread; the status line says what was saved."""
        from seri_desktop.formats.hwpx import (
            HwpxCancelled,
            build_department_hwpx,
            build_program_hwpx,
            build_report_hwpx,
        )

        def make_work(report: Report) -> Callable[[ProgressFn, CancelFn], HwpxResult]:
            def work(progress: ProgressFn, cancel: CancelFn) -> HwpxResult:
                if scope.program is not None:
                    return build_program_hwpx(report, scope.program, path, progress=progress, cancel=cancel)
                if scope.department is not None:
                    return build_department_hwpx(report, scope.department, path, progress=progress, cancel=cancel)
                return build_report_hwpx(report, path, progress=progress, cancel=cancel)

            return work

        def then(result: HwpxResult) -> None:
            self.ctx.notify(f"한글 파일을 저장했습니다: {path.name} (사업 {len(result.programs)}개)")

        return self.jobs.start(
            make_work, path, title=EXPORT_TITLE, label=MAKING_TEXT, cancelled=HwpxCancelled, then=then
        )

    def ask_scope(self) -> Scope | None:
        """Whole report, a department (the current program's is proposed) or the current program; ``None`` if cancelled."""
        report = self.ctx.report
        if report is None:
            return None
        names = [d.name for d in report.departments]
        program = self.ctx.current_program()
        items = [WHOLE_REPORT, *names]
        if program is not None:
            items.append(program_choice(program.code, program.title))
        current = items.index(program.department) if program is not None and program.department in names else 0
        choice, ok = QInputDialog.getItem(
            self.ctx.dialog_parent, EXPORT_TITLE, "무엇을 내보낼까요?", items, current, False
        )
        if not ok:
            return None
        if program is not None and choice == items[-1]:
            return Scope(program=program.code)
        return Scope() if choice == WHOLE_REPORT else Scope(department=choice)

    def _on_export(self) -> None:
        scope = self.ask_scope()
        if scope is None:
            return
        path = ask_export_path(self.ctx, EXPORT_TITLE, scope.program or scope.department, HWPX)
        if path is not None:
            self.export_hwpx(scope, path)

    # ---------------------------------------------------------------- import (office)

    def ask_department(self, reading: HwpxReading) -> str | None:
        """The department the file came from (its own is proposed); ``None`` if cancelled."""
        report = self.ctx.report
        if report is None:
            return None
        names = list(dict.fromkeys([d.name for d in report.departments] + [c.department for c in report.chapters]))
        proposed = proposed_department(report, reading)
        current = names.index(proposed) if proposed in names else 0
        choice, ok = QInputDialog.getItem(
            self.ctx.dialog_parent,
            IMPORT_TITLE,
            f"{reading.name}: 어느 부서의 문서입니까? (그 부서의 사업만 바꿀 수 있습니다)",
            names,
            current,
            False,
        )
        return choice if ok and choice else None

    def import_hwpx(self, path: Path, department: str | None = None) -> bool:
        """Read ``path``, let the office review it as a submission, and apply the decisions; ``True`` when applied.

        ``department``: the one the file came from; asked (with a proposal) when ``None``.
        """
        from seri_desktop.formats.hwpx.intake import apply_hwpx, preview_hwpx
        from seri_desktop.formats.hwpx.reader import read_hwpx
        from seri_desktop.store.review import review_statuses
        from seri_desktop.ui.hwpx_review import HwpxReviewDialog, review_view

        ctx, engine, report = self.ctx, self.ctx.engine, self.ctx.report
        if engine is None or report is None or not ctx.is_office:
            return False
        if not ctx.flush():
            ctx.warn(IMPORT_TITLE, "고친 내용을 저장하지 못해 가져오지 않았습니다.")
            return False
        refused = f"{path.name} 파일을 가져올 수 없습니다. 아무것도 바뀌지 않았습니다."
        if department is None:
            with ctx.attempt(IMPORT_TITLE, refused) as attempt:
                (read,) = ctx.run(IMPORT_TITLE, [("한글 파일을 읽는 중…", partial(read_hwpx, path))])
            if attempt.failed:
                return False
            department = self.ask_department(cast("HwpxReading", read))
            if department is None:
                return False
        with ctx.attempt(IMPORT_TITLE, refused) as attempt:
            (found,) = ctx.run(
                IMPORT_TITLE, [("한글 파일을 읽어 비교하는 중…", partial(preview_hwpx, engine, path, department))]
            )
            preview = cast("HwpxPreview", found)
            view = review_view(preview, report, review_statuses(engine, preview.year), file_time(path))
        if attempt.failed:
            return False
        if not view.pending():
            labels = ", ".join(f"{i.label} {i.status_label}" for i in view.items) or "항목 없음"
            unplaced = [f"\n자리를 찾지 못한 내용 {len(preview.unplaced)}개:"] if preview.unplaced else []
            unplaced += [entry.describe() for entry in preview.unplaced]
            ctx.inform(IMPORT_TITLE, "\n".join([f"{path.name}: 반영할 변경이 없습니다.", "", labels, *unplaced]))
            return False
        dialog = HwpxReviewDialog(preview, view, ctx.dialog_parent)
        self.last_dialog = dialog
        try:
            if not run_dialog(dialog):
                return False
            decisions, comments = dict(dialog.decisions), dict(dialog.comments)
        finally:
            dialog.deleteLater()
        with ctx.attempt(IMPORT_TITLE, "반영하지 못했습니다. 아무것도 바뀌지 않았습니다.") as attempt:
            result = apply_hwpx(engine, preview, decisions, comments, require_user_name())
        if attempt.failed:
            return False
        ctx.reload()
        ctx.notify(
            f"{preview.department} 한글 파일: 반영 {len(result.accepted)}건, 반려 {len(result.returned)}건"
            + (f", 확정되어 건너뜀 {len(result.locked)}건" if result.locked else "")
        )
        return True

    def _on_import(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self.ctx.dialog_parent, IMPORT_TITLE, str(self.ctx.start_dir()), HWPX_OPEN_FILTER
        )
        if name:
            self.import_hwpx(Path(name))


def install_hwpx_actions(ctx: AppContext) -> HwpxActions:
    """Add 한글(HWPX)로 내보내기 and 한글(HWPX) 가져오기 to the File menu."""
    return HwpxActions(ctx)
