"""The main window: the stored report's outline on the left, the selected item on the right.

The window knows neither SQL nor the importer: it gets two callables, one
that loads the stored report and one that imports a text file and returns a
Korean summary. Everything it shows is derived from the domain objects those
return; the tree goes through :class:`ReportTreeModel` rows.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QTreeView,
    QWidget,
)

from seri_desktop.domain.model import Cell, CellKind, Chapter, Department, Outline, Program, Report
from seri_desktop.ui.qtmodels.report_tree import (
    EVALUATION_KEY,
    FRONT_KEY,
    PROGRAMS_KEY,
    ReportTreeModel,
    RowKind,
    chapter_for_key,
    department_key,
    program_for_key,
    rows_for_report,
)

LoadReport = Callable[[], Report | None]
ImportText = Callable[[Path], str]

APP_TITLE = "seri-desktop"
EMPTY_MESSAGE = "보고서가 없습니다. 파일 › 텍스트 가져오기로 보고서 텍스트를 불러오십시오."
STATUS_MESSAGE_MS = 10_000
# Extra pixels per tree row: at the font's own line height Hangul syllables of
# adjacent rows nearly touch and the outline is hard to scan.
ROW_PADDING = 6


class _PaddedRowDelegate(QStyledItemDelegate):
    """Default painting, taller rows."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + ROW_PADDING)


class MainWindow(QMainWindow):
    """Report outline and details; data comes only through ``load`` and ``import_text``.

    ``load`` returns the stored report or ``None``; ``import_text`` imports a
    text file, returns a Korean summary and raises with a Korean message on
    bad input (shown as a warning, the window stays as it was).
    """

    def __init__(
        self,
        load: LoadReport,
        import_text: ImportText,
        *,
        db_path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._import_text = import_text
        self._report: Report | None = None
        self._last_dir = Path.home()

        self.model = ReportTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setItemDelegate(_PaddedRowDelegate(self.tree))
        self.tree.setSelectionMode(QTreeView.SelectionMode.SingleSelection)
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)

        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        # Wide enough for the longest chapter title of the 2024 report; longer
        # labels are elided and shown whole in their tooltip.
        splitter.setSizes([420, 540])
        self.setCentralWidget(splitter)

        self.import_action = QAction("텍스트 가져오기…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.setStatusTip("보고서 텍스트 파일을 데이터베이스로 가져옵니다")
        self.import_action.triggered.connect(self._on_import_triggered)
        self.quit_action = QAction("끝내기", self)
        # Spelled out: Windows has no standard Quit key sequence.
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu = self.menuBar().addMenu("파일")
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        # A permanent widget, so transient messages (import summaries) do not hide it.
        self.db_label = QLabel(f"데이터베이스: {db_path}" if db_path is not None else "")
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.db_label)

        self.resize(960, 640)
        self.reload()

    @property
    def report(self) -> Report | None:
        return self._report

    def reload(self) -> None:
        """Read the report again and rebuild the tree, keeping the selection if it still exists."""
        previous = self.current_key()
        try:
            report = self._load()
        except Exception as exc:
            # A damaged or newer database must not keep the window from opening.
            QMessageBox.warning(
                self, "보고서를 읽지 못했습니다", _error_text("저장된 보고서를 읽지 못했습니다.", exc)
            )
            report = None
        self._report = report
        self.model.set_rows(rows_for_report(report) if report is not None else [])
        self.tree.expandAll()
        if report is None:
            self.setWindowTitle(APP_TITLE)
        else:
            self.setWindowTitle(f"{APP_TITLE} — {report.year}년 {report.title or '주요업무보고'}")
        if previous is None or not self.select_key(previous):
            self._show_detail(None)

    def current_key(self) -> str | None:
        return ReportTreeModel.key_at(self.tree.currentIndex())

    def select_key(self, key: str) -> bool:
        """Select the tree row with ``key``; ``False`` if there is none."""
        index = self.model.index_for_key(key)
        if not index.isValid():
            return False
        self.tree.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.tree.scrollTo(index)
        return True

    def import_file(self, path: Path) -> bool:
        """Import ``path`` through ``import_text``; warn (never raise) on failure."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            message = self._import_text(path)
        except Exception as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(
                self, "가져오기 실패", _error_text(f"{path.name} 파일을 가져오지 못했습니다.", exc)
            )
            return False
        QApplication.restoreOverrideCursor()
        self.reload()
        first_line = message.splitlines()[0] if message else "가져왔습니다."
        self.statusBar().showMessage(first_line, STATUS_MESSAGE_MS)
        QMessageBox.information(self, "가져오기 완료", message or first_line)
        return True

    def _on_import_triggered(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            "보고서 텍스트 가져오기",
            str(self._last_dir),
            "텍스트 파일 (*.txt);;모든 파일 (*)",
        )
        if not name:
            return
        path = Path(name)
        self._last_dir = path.parent
        self.import_file(path)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(current)

    def _show_detail(self, index: QModelIndex | None) -> None:
        report = self._report
        if report is None:
            self.detail.setHtml(_paragraph(EMPTY_MESSAGE))
            return
        key = ReportTreeModel.key_at(index) if index is not None else None
        kind = ReportTreeModel.kind_at(index) if index is not None else None
        self.detail.setHtml(_detail_html(report, kind, key))


def _detail_html(report: Report, kind: RowKind | None, key: str | None) -> str:
    """The right pane for the selected row; the report summary when nothing fits."""
    if kind is RowKind.PROGRAM and key is not None:
        program = program_for_key(report, key)
        if program is not None:
            return program_html(program)
    if kind is RowKind.CHAPTER and key is not None:
        chapter = chapter_for_key(report, key)
        if chapter is not None:
            return chapter_html(chapter)
    if kind is RowKind.DEPARTMENT and key is not None:
        department = next((d for d in report.departments if department_key(d.name) == key), None)
        if department is not None:
            return department_html(department, report)
    if key == FRONT_KEY:
        return front_html(report)
    if key == EVALUATION_KEY:
        names = ", ".join(d.name for d in report.departments) or "없음"
        return _page(
            "II. 업무 평가 및 개선 방향", [("부서", f"{len(report.departments)}개"), ("부서 목록", names)]
        )
    if key == PROGRAMS_KEY:
        return _page("III. 주요업무", _report_counts(report))
    return report_html(report)


def report_html(report: Report) -> str:
    """The report as a whole: title, meeting and counts."""
    fields: list[tuple[str, str]] = []
    if report.institute:
        fields.append(("기관", report.institute))
    if report.meeting or report.committee:
        fields.append(("회의", " ".join(x for x in (report.meeting, report.committee) if x)))
    if report.date_label:
        fields.append(("날짜", report.date_label))
    fields += _report_counts(report)
    return _page(f"{report.year}년 {report.title}", fields, "왼쪽 목록에서 장이나 사업을 고르십시오.")


def front_html(report: Report) -> str:
    front = report.front
    fields = [
        ("연혁", f"{len(front.history)}개 항목"),
        ("정·현원 표", f"{len(front.staffing.rows)}행"),
        ("시설 표", f"{len(front.facilities.rows)}행"),
        ("주요업무별 예산 내역", f"{len(front.budget_summary)}행"),
    ]
    return _page("I. 일반 현황", fields)


def department_html(department: Department, report: Report) -> str:
    chapters = [f"{c.number}. {c.title}" for c in report.chapters if c.department == department.name]
    fields = [
        ("성과", _count_items(department.results)),
        ("한계", _count_items(department.limits)),
        ("개선 방향", _count_items(department.directions)),
        ("담당 장", ", ".join(chapters) or "없음"),
    ]
    return _page(department.name, fields)


def chapter_html(chapter: Chapter) -> str:
    fields = [
        ("장 번호", str(chapter.number)),
        ("담당 부서", chapter.department or "—"),
        ("사업", f"{len(chapter.programs)}개"),
    ]
    return _page(f"{chapter.number}. {chapter.title}", fields)


def program_html(program: Program) -> str:
    """Code, title, department, counts and the budget total (계) as printed."""
    targets = len(program.targets.rows) if program.targets is not None else 0
    fields = [
        ("사업 번호", program.code),
        ("사업명", program.title),
        ("담당 부서", program.department or "—"),
        ("추진 목표", f"{targets}행"),
    ]
    budget = program.budget
    if budget is None:
        fields.append(("예산 집행 계획", "없음"))
    else:
        total = budget.total()
        fields.append(("예산 사업", f"{len(budget.lines)}개"))
        fields.append(("예산 합계", _with_unit(total.current, budget.unit)))
        fields.append(("전년 예산 합계", _with_unit(total.previous, budget.unit)))
        quarters = " / ".join(cell.format() or "—" for cell in total.quarters)
        fields.append(("분기별 (1/4 ~ 4/4)", quarters))
    return _page(f"{program.code} {program.title}", fields)


def _report_counts(report: Report) -> list[tuple[str, str]]:
    programs = sum(len(c.programs) for c in report.chapters)
    return [("장", f"{len(report.chapters)}개"), ("사업", f"{programs}개")]


def _count_items(outline: Outline) -> str:
    return f"{len(outline)}개 항목"


def _with_unit(cell: Cell, unit: str) -> str:
    # Only amounts take the unit: "- 천원" or "비예산 천원" would misquote the report.
    text = cell.format()
    if cell.kind is CellKind.AMOUNT:
        return f"{text} {unit}"
    return text or "—"


def _page(title: str, fields: Sequence[tuple[str, str]], note: str = "") -> str:
    rows = "".join(
        f"<tr><td style='color:#555555; padding-right:16px'>{html.escape(name)}</td>"
        f"<td>{html.escape(value)}</td></tr>"
        for name, value in fields
    )
    body = f"<h3>{html.escape(title)}</h3><table cellspacing='0' cellpadding='4'>{rows}</table>"
    if note:
        body += _paragraph(note)
    return body


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _error_text(lead: str, exc: Exception) -> str:
    detail = str(exc).strip() or type(exc).__name__
    return f"{lead}\n\n{detail}"
