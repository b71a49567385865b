"""The review of a 한글(HWPX) file: the submission's merge review, with the file's unsigned notice and its leftovers.

An HWPX edited in 한글 is taken in like a submission (PRODUCT.md §5), so it
is reviewed in the same dialog: :class:`HwpxReviewDialog` is the
:class:`~seri_desktop.ui.review_dialogs.MergeReviewDialog` (items on the
left, the field-level diff of the selected one on the right, 반영 or 반려
with a reason under it) shown over :func:`review_view`, the file's preview
in the submission's terms, plus what only such a file has:

* a notice at the top that the file is unsigned (서명 없는 파일): nothing
  proves who wrote it or that it left the department unchanged;
* the paragraphs the reader could not place, listed with their program,
  section and text (they are applied nowhere), also under their program's
  diff.

The view is for showing only; the decisions go to
:func:`seri_desktop.formats.hwpx.intake.apply_hwpx` with the file's own
:class:`~seri_desktop.formats.hwpx.intake.HwpxPreview`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtWidgets import QBoxLayout, QGroupBox, QLabel, QTableWidget, QVBoxLayout, QWidget

from seri_desktop.domain.model import Program, Report
from seri_desktop.domain.rules import Severity, check_program
from seri_desktop.exchange.items import program_content, section_ii_content
from seri_desktop.exchange.merge import Check, ItemPreview, ItemStatus, MergePreview
from seri_desktop.formats.hwpx.intake import HwpxPreview, ProgramImport, SectionIIImport
from seri_desktop.formats.hwpx.reader import Unplaced
from seri_desktop.store.review import ReviewState, ReviewStatus
from seri_desktop.ui.review_dialogs import MergeReviewDialog, fill_table

UNSIGNED_TITLE = "서명 없는 파일"
UNKNOWN_AUTHOR = "알 수 없음 (서명 없음)"
UNPLACED_TITLE = "자리를 찾지 못한 내용 (반영하지 않습니다. 한글 파일에서 양식의 알맞은 자리로 옮겨 다시 가져오십시오)"
NO_UNPLACED = "자리를 찾지 못한 내용은 없습니다."
UNPLACED_HEADERS = ("사업", "자리", "내용")
OUTSIDE_PROGRAMS = "사업 밖"
UNPLACED_ROWS_SHOWN = 4


def unplaced_line(entry: Unplaced) -> str:
    """An unplaced paragraph under its program's diff (a heading of its own shown once)."""
    where = "" if entry.text == entry.section else f"{entry.section} › "
    return f"자리를 찾지 못한 내용 (반영하지 않습니다): {where}{entry.text}"


def _errors(report: Report, program: Program) -> int:
    return sum(1 for p in check_program(report, program) if p.severity is Severity.ERROR)


def review_view(
    preview: HwpxPreview, report: Report, statuses: Mapping[str, ReviewStatus], modified: dt.datetime
) -> MergePreview:
    """``preview`` in the terms of a submission's review, against the office's copy as it is now.

    A 한글 file has no issued base: its changes are the office's copy → the
    file, and the office's revision is its base. An item with changes that
    the store locks (확정) is shown locked and needs no decision.
    ``modified``: when the file was last saved (shown as 작성).
    """
    checks = [
        Check("파일", f"한글(HWPX) 문서에서 사업 {len(preview.programs)}개를 읽었습니다"),
        Check("보고서", f"{preview.year}년 보고서의 문서입니다"),
        Check("부서", f"모든 사업이 기획 부서가 고른 {preview.department}의 사업입니다"),
    ]
    by_program: dict[str, list[str]] = {}
    for entry in preview.unplaced:
        by_program.setdefault(entry.program, []).append(unplaced_line(entry))
    items: list[ItemPreview] = []
    for item in preview.items():
        key = preview.key_of(item)
        status_row = statuses.get(key)
        state = status_row.state if status_row is not None else ReviewState.DRAFT.value
        revision = status_row.revision if status_row is not None else 0
        if not item.changes:
            status = ItemStatus.UNCHANGED
        elif item.lock is not None:
            status = ItemStatus.LOCKED
        else:
            status = ItemStatus.CHANGED
        warnings = [f"반영할 수 없습니다: {item.lock}"] if status is ItemStatus.LOCKED else []
        if isinstance(item, ProgramImport):
            office, new = program_content(item.office), program_content(item.new)
            errors = (_errors(report, item.office), _errors(report, item.new))
            warnings += by_program.get(item.code, [])
        else:
            office, new = section_ii_content(item.office), section_ii_content(item.new)
            errors = (0, 0)
        items.append(
            ItemPreview(
                key=key,
                code=item.code if isinstance(item, ProgramImport) else "",
                title=office.title if isinstance(item, SectionIIImport) else item.title,
                status=status,
                state=state,
                base_revision=revision,
                revision=revision,
                changes=tuple(item.changes),
                office_changes=(),
                department_changes=tuple(item.changes),
                errors_before=errors[0],
                errors_after=errors[1],
                warnings=tuple(warnings),
                office_sha256=office.sha256,
                submitted_sha256=new.sha256,
            )
        )
    return MergePreview(
        file_name=preview.file_name,
        year=preview.year,
        department=preview.department,
        author=UNKNOWN_AUTHOR,
        created_at=modified,
        payload_sha256="",
        package_id="",
        checks=tuple(checks),
        items=tuple(items),
        warnings=tuple(preview.warnings),
        manifest={},
        programs={preview.key_of(item): item.new for item in preview.programs},
        section_ii=preview.section_ii.new if preview.section_ii is not None else None,
    )


class HwpxReviewDialog(MergeReviewDialog):
    """The merge review over :func:`review_view`, with the unsigned notice and the unplaced paragraphs.

    ``decisions`` and ``comments`` (the base's) are what ``apply_hwpx`` takes;
    ``hwpx`` is the file's preview to apply them to.
    """

    def __init__(self, hwpx: HwpxPreview, view: MergePreview, parent: QWidget | None = None) -> None:
        super().__init__(view, parent)
        self.hwpx = hwpx
        self.setWindowTitle(f"한글(HWPX) 파일 검토 — {hwpx.file_name}")

        self.unsigned_banner = QLabel(f"<b>⚠ {UNSIGNED_TITLE}</b> — {hwpx.notice}")
        self.unsigned_banner.setWordWrap(True)
        self.unsigned_banner.setStyleSheet(
            "QLabel { background: #fff3cd; color: #5c4400; border: 1px solid #e0b84c; border-radius: 3px;"
            " padding: 6px 8px; }"
        )

        self.unplaced_table = QTableWidget()
        rows = [(u.program or OUTSIDE_PROGRAMS, u.section, u.text) for u in hwpx.unplaced]
        fill_table(self.unplaced_table, UNPLACED_HEADERS, rows)
        self.unplaced_table.setVisible(bool(rows))
        # Tall enough for a few rows without a scroll bar; more scroll.
        table = self.unplaced_table
        shown = max(1, min(len(rows), UNPLACED_ROWS_SHOWN))
        table.setFixedHeight(
            table.horizontalHeader().sizeHint().height()
            + shown * table.verticalHeader().defaultSectionSize()
            + 2 * table.frameWidth()
            + 2
        )
        self.unplaced_empty = QLabel(NO_UNPLACED)
        self.unplaced_empty.setVisible(not rows)
        self.unplaced_box = QGroupBox(f"{UNPLACED_TITLE} — {len(rows)}개" if rows else UNPLACED_TITLE)
        box = QVBoxLayout(self.unplaced_box)
        box.addWidget(self.unplaced_table)
        box.addWidget(self.unplaced_empty)

        layout = self.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, self.unsigned_banner)
            layout.insertWidget(layout.indexOf(self.problem), self.unplaced_box)
        self.resize(1040, 760)
