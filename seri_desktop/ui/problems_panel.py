"""The problems panel: the report's problems, or the selected item's; double-click goes to the place.

An import finding (the printed report disagreed with its sections) selected in the
office's database offers 계산값 받아들이기: :attr:`ProblemsPanel.acceptDerived`
carries the finding's code to whoever resolves it (the window's finding actions).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from seri_desktop.domain.rules import Problem
from seri_desktop.ui.qtmodels.problems_model import ProblemRole, ProblemsFilter, ProblemsModel
from seri_desktop.ui.validation import count


class ProblemsPanel(QWidget):
    """Fed with :meth:`set_problems` (all, and those of the selected item); emits :attr:`activated`."""

    activated = Signal(object)  # the Problem to go to
    acceptDerived = Signal(str)  # the code of the import finding whose derived value the office accepts

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProblemsModel(self)
        self.proxy = ProblemsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        # Tab leaves the list (arrows move in it): F6 and Tab must be able to go on to the navigator.
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 240)
        header.setStretchLastSection(True)
        self.view.doubleClicked.connect(self._on_activated)
        self.view.activated.connect(self._on_activated)

        self.only_current = QCheckBox("선택한 항목만")
        self.only_current.setChecked(True)
        self.only_current.toggled.connect(self._apply_filter)
        self.summary = QLabel()
        top = QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 2)
        top.addWidget(self.summary, 1)
        self.accept_button = QPushButton("계산값 받아들이기")
        self.accept_button.setToolTip(
            "가져온 보고서의 인쇄된 값 대신 사업의 칸에서 계산한 값을 씁니다 (기획 부서, 변경 기록에 남음)"
        )
        self.accept_button.clicked.connect(self._on_accept)
        self.accept_button.setVisible(False)
        top.addWidget(self.accept_button)
        top.addWidget(self.only_current)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self._current: list[Problem] = []
        self._all: list[Problem] = []
        self._label = ""
        self._office = False
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_accept())

    def set_office(self, office: bool) -> None:
        """Whether this is the office's database: only there can a finding be accepted."""
        self._office = office
        self._update_accept()

    def selected_problem(self) -> Problem | None:
        index = self.view.currentIndex()
        problem = index.siblingAtColumn(0).data(ProblemRole) if index.isValid() else None
        return problem if isinstance(problem, Problem) else None

    def _update_accept(self) -> None:
        problem = self.selected_problem()
        self.accept_button.setVisible(self._office and any(p.finding for p in self._all))
        self.accept_button.setEnabled(self._office and problem is not None and bool(problem.finding))

    def _on_accept(self) -> None:
        problem = self.selected_problem()
        if problem is not None and problem.finding:
            self.acceptDerived.emit(problem.finding)

    def set_problems(self, all_problems: Sequence[Problem], current: Sequence[Problem], label: str = "") -> None:
        """``current``: the problems of the selected item, named ``label`` (shown when filtering)."""
        self._all = list(all_problems)
        self._current = list(current)
        self._label = label
        self.model.set_rows(self._all)
        self._apply_filter()
        self._update_accept()

    def visible_problems(self) -> list[Problem]:
        return [self.proxy.index(r, 0).data(ProblemRole) for r in range(self.proxy.rowCount())]

    def activate_row(self, row: int) -> None:
        """Go to the place of the ``row``-th visible problem (what double-clicking does)."""
        self._on_activated(self.proxy.index(row, 0))

    def _apply_filter(self) -> None:
        only = self.only_current.isChecked()
        self.proxy.keep_only(self._current if only else None)
        everything = count(self._all)
        here = count(self._current)
        where = self._label or "선택한 항목"
        self.summary.setText(
            f"{where}: 오류 {here.errors} · 경고 {here.warnings}    "
            f"(보고서 전체: 오류 {everything.errors} · 경고 {everything.warnings})"
        )

    def _on_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        problem = index.data(ProblemRole)
        if isinstance(problem, Problem):
            self.activated.emit(problem)
