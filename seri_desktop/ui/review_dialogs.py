"""Dialogs of the office's review: a submission's merge review, a state change, the dashboard, the audit log.

Plain widgets over the data classes of :mod:`seri_desktop.exchange` and
:mod:`seri_desktop.store`; they never write anything themselves. The
actions in :mod:`seri_desktop.ui.actions_exchange` open them, read the
choices and call the store.

:class:`MergeReviewDialog` shows a verified submission: the checks that
passed and the warnings on top, the submitted items (code, title, status,
number of changed fields, the decision taken) on the left, the field-level
diff of the selected item on the right with the changed words highlighted
(:mod:`seri_desktop.ui.diff_view`), and under it the decision for that item:
반영 or 반려 (with a comment), and for a conflict the explicit 덮어쓰기 box.
적용 is enabled only when every item that needs one has a complete decision.

The dashboard opens a program (or a department's section II) on a
double-click or Enter (:attr:`DashboardDialog.itemActivated`); the audit
view says what each entry changed in words (old → new), not in hashes.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from seri_desktop.domain.identity import ItemRef
from seri_desktop.ui.diff_view import audit_words, change_html
from seri_desktop.ui.mnemonics import assign_buttons

if TYPE_CHECKING:
    from seri_desktop.exchange.dashboard import Dashboard
    from seri_desktop.exchange.merge import ItemPreview, MergePreview
    from seri_desktop.store.audit import AuditEntry

ACCEPT = "accept"  # the values apply_merge takes
RETURN = "return"
REOPEN_LABEL = "다시 열기"
DECISION_LABELS = {ACCEPT: "반영", RETURN: "반려"}
OVERWRITE_LABEL = "반영(덮어쓰기)"
NO_DECISION = "—"
DECISION_COLUMN = 4


def local_time(moment: dt.datetime | None) -> str:
    """A stored (UTC) time as local ``YYYY-MM-DD HH:MM``."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def fill_table(table: QTableWidget, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Fill a read-only table with text cells."""
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
            table.setItem(r, c, item)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab goes on to the dialog's buttons
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)


class MergeReviewDialog(QDialog):
    """See the module docstring; ``decisions``, ``comments`` and ``overwrite`` are what apply_merge takes."""

    def __init__(self, preview: MergePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(f"제출 파일 검토 — {preview.file_name}")
        # By stored key (a program's uid), as every choice made in the dialog is; people read labels.
        self.decisions: dict[str, str] = {item.key: ACCEPT for item in preview.items if item.needs_decision}
        self.comments: dict[str, str] = {}
        self.overwrite: set[str] = set()
        self._loading = False

        head = QLabel(
            f"<b>{preview.department}</b> · 작성자 {preview.author} · 작성 {local_time(preview.created_at)} · "
            f"{preview.year}년 보고서"
        )
        self.checks = QPlainTextEdit()
        self.checks.setReadOnly(True)
        lines = [f"✔ {check.label}: {check.detail}" for check in preview.checks]
        lines += [f"⚠ {warning}" for warning in preview.warnings]
        self.checks.setPlainText("\n".join(lines))
        self.checks.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 12)

        self.table = QTableWidget()
        fill_table(
            self.table,
            ("번호", "사업명", "상태", "변경", "처리"),
            [
                (item.label, item.title, item.status_label, f"{len(item.changes)}건" if item.changes else "", "")
                for item in preview.items
            ],
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.currentCellChanged.connect(lambda row, _c, _pr, _pc: self._show_item(row))
        self.diff = QTextBrowser()
        self.diff.setOpenLinks(False)

        self.accept_button = QRadioButton("반영")
        self.return_button = QRadioButton("반려")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.accept_button)
        self.choice.addButton(self.return_button)
        self.overwrite_box = QCheckBox("덮어쓰기 (기획 부서가 그 뒤에 고친 내용을 제출본으로 바꿉니다)")
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("반려 사유 (부서에 전달되는 검토 의견)")
        self.accept_button.toggled.connect(self._on_choice)
        self.overwrite_box.toggled.connect(self._on_choice)
        self.comment.textEdited.connect(lambda _text: self._on_choice())
        self.decision_box = QGroupBox("이 항목의 처리")
        row = QHBoxLayout()
        row.addWidget(self.accept_button)
        row.addWidget(self.return_button)
        row.addWidget(self.overwrite_box, 1)
        box = QVBoxLayout(self.decision_box)
        box.addLayout(row)
        box.addWidget(self.comment)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("바뀐 내용 (기획 부서 사본 → 제출본)"))
        right_layout.addWidget(self.diff, 1)
        right_layout.addWidget(self.decision_box)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setSizes([460, 500])

        self.problem = QLabel()
        self.problem.setStyleSheet("QLabel { color: #a33; }")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText("적용")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("취소")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(QLabel("확인 결과"))
        layout.addWidget(self.checks)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(1100, 660)
        assign_buttons(self)
        if preview.items:
            first = next((i for i, item in enumerate(preview.items) if item.needs_decision), 0)
            self.table.setCurrentCell(first, 0)
        self._show_item(self.table.currentRow())
        self._update_apply()

    def decision_text(self, key: str) -> str:
        """What the list shows in 처리 for item ``key``: 반영, 반려, 반영(덮어쓰기), or — when nothing is to decide."""
        item = self.preview.item(key)
        decision = self.decisions.get(item.key)
        if decision is None:
            return NO_DECISION
        if decision == ACCEPT and item.key in self.overwrite:
            return OVERWRITE_LABEL
        return DECISION_LABELS[decision]

    def _show_decisions(self) -> None:
        for row, item in enumerate(self.preview.items):
            cell = self.table.item(row, DECISION_COLUMN)
            if cell is not None:
                text = self.decision_text(item.key)
                cell.setText(text)
                cell.setForeground(Qt.GlobalColor.darkRed if text == DECISION_LABELS[RETURN] else Qt.GlobalColor.black)

    # ------------------------------------------------------------------ the selected item

    def current_item(self) -> ItemPreview | None:
        row = self.table.currentRow()
        return self.preview.items[row] if 0 <= row < len(self.preview.items) else None

    def select(self, key: str) -> None:
        """Select the item ``key`` (its label: a program code or ``II:<department>``; or its stored key)."""
        row = next(n for n, item in enumerate(self.preview.items) if key in (item.label, item.key))
        self.table.setCurrentCell(row, 0)

    def decide(self, key: str, decision: str, *, comment: str = "", overwrite: bool = False) -> None:
        """Set an item's decision through the widgets, as a reviewer would."""
        self.select(key)
        (self.accept_button if decision == ACCEPT else self.return_button).setChecked(True)
        self.overwrite_box.setChecked(overwrite)
        self.comment.setText(comment)
        self._on_choice()

    def _show_item(self, row: int) -> None:
        item = self.preview.items[row] if 0 <= row < len(self.preview.items) else None
        self._loading = True
        try:
            if item is None:
                self.diff.setHtml("")
                self.decision_box.setEnabled(False)
                return
            parts = [
                f"<p><b>{html.escape(item.label)} {html.escape(item.title)}</b> — {html.escape(item.status_label)} "
                f"(검토 상태: {html.escape(item.state)}) · 오류 {item.errors_before} → {item.errors_after}</p>"
            ]
            parts += [f"<p style='color:#8a5a00'>⚠ {html.escape(warning)}</p>" for warning in item.warnings]
            parts += [change_html(change) for change in item.changes]
            if item.office_changes:
                parts.append("<p><b>기획 부서가 꾸러미를 보낸 뒤 고친 내용 (덮어쓰면 사라집니다):</b></p>")
                parts += [change_html(change) for change in item.office_changes]
            self.diff.setHtml("".join(parts))
            needs = item.needs_decision
            self.decision_box.setEnabled(needs)
            decision = self.decisions.get(item.key, ACCEPT)
            self.accept_button.setChecked(decision == ACCEPT)
            self.return_button.setChecked(decision == RETURN)
            conflict = item.label in self.preview.conflicts()  # conflicts() names items by label
            self.overwrite_box.setVisible(conflict)
            self.overwrite_box.setChecked(item.key in self.overwrite)
            self.comment.setText(self.comments.get(item.key, ""))
            self.comment.setEnabled(decision == RETURN)
        finally:
            self._loading = False

    def _on_choice(self) -> None:
        item = self.current_item()
        if self._loading or item is None or not item.needs_decision:
            return
        decision = ACCEPT if self.accept_button.isChecked() else RETURN
        self.decisions[item.key] = decision
        self.comment.setEnabled(decision == RETURN)
        text = self.comment.text().strip()
        if text:
            self.comments[item.key] = text
        else:
            self.comments.pop(item.key, None)
        if self.overwrite_box.isChecked():
            self.overwrite.add(item.key)
        else:
            self.overwrite.discard(item.key)
        self._update_apply()

    def missing(self) -> list[str]:
        """What still keeps 적용 disabled, one Korean line per item."""
        lines: list[str] = []
        conflicts = set(self.preview.conflicts())
        for key, decision in self.decisions.items():
            label = self.preview.item(key).label  # decisions are by stored key (a uid); people read codes
            if decision == RETURN and not self.comments.get(key):
                lines.append(f"{label}: 반려 사유를 적으십시오.")
            if decision == ACCEPT and label in conflicts and key not in self.overwrite:
                lines.append(f"{label}: 충돌입니다. 반영하려면 '덮어쓰기'를 고르십시오.")
        return lines

    def _update_apply(self) -> None:
        self._show_decisions()
        missing = self.missing()
        self.problem.setText(" ".join(missing))
        self.apply_button.setEnabled(not missing)


class StateDialog(QDialog):
    """Choose a program's next review state (the manual transitions from ``current``); 반려 needs a comment."""

    def __init__(self, code: str, current: str, choices: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"검토 상태 바꾸기 — {code}")
        self.states = list(choices)
        self.combo = QComboBox()
        for state in self.states:
            self.combo.addItem(f"{REOPEN_LABEL} ({state})" if current == "확정" and state == "검토중" else state, state)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText("검토 의견 (반려할 때는 꼭 적습니다)")
        self.comment.setMaximumHeight(90)
        form = QFormLayout()
        form.addRow("지금 상태", QLabel(current))
        form.addRow("바꿀 상태", self.combo)
        form.addRow("의견", self.comment)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("바꾸기")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("취소")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.combo.currentIndexChanged.connect(lambda _i: self._update())
        self.comment.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        assign_buttons(self)
        self._update()

    def state(self) -> str:
        return str(self.combo.currentData())

    def comment_text(self) -> str:
        return self.comment.toPlainText().strip()

    def _update(self) -> None:
        ok = bool(self.states) and (self.state() != "반려" or bool(self.comment_text()))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


class DashboardDialog(QDialog):
    """The completeness dashboard as one table: a row per program, grouped by department.

    A double-click or Enter on a row emits :attr:`itemActivated` with the
    program (or, on a department's row, its section II) to open.
    """

    itemActivated = Signal(object)  # an ItemRef
    HEADERS = ("부서", "번호", "사업명", "검토 상태", "빈 필수 항목", "오류", "경고", "의견", "마지막 제출")

    def __init__(self, dashboard: Dashboard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"작성 현황 — {dashboard.year}년")
        rows: list[tuple[str, ...]] = []
        self.refs: list[ItemRef] = []
        for department in dashboard.departments:
            counts = department.state_counts()
            summary = " ".join(f"{state} {n}" for state, n in counts.items() if n)
            rows.append(
                (department.department, "", f"[업무 평가: {department.section_ii_state}] {summary}") + ("",) * 6
            )
            self.refs.append(ItemRef.section_ii(department.department))
            for program in department.programs:
                last = program.last_submission
                rows.append(
                    (
                        department.department,
                        program.code,
                        program.title,
                        program.state,
                        ", ".join(program.missing_required),
                        str(program.errors),
                        str(program.warnings),
                        str(program.comments),
                        f"{local_time(last.processed_at)} ({last.decision})" if last is not None else "",
                    )
                )
                self.refs.append(ItemRef.program(program.code))
        self.table = QTableWidget()
        fill_table(self.table, self.HEADERS, rows)
        self.table.setToolTip("두 번 누르거나 Enter를 누르면 그 사업을 엽니다.")
        self.table.doubleClicked.connect(self._on_activated)
        self.table.activated.connect(self._on_activated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("닫기")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("사업을 두 번 누르면 창에서 그 사업이 열립니다."))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1000, 600)
        assign_buttons(self)

    def activate_row(self, row: int) -> None:
        """Open the row's program (what a double-click does)."""
        self._on_activated(self.table.model().index(row, 0))

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid() and 0 <= index.row() < len(self.refs):
            self.itemActivated.emit(self.refs[index.row()])


class AuditDialog(QDialog):
    """One program's audit log as a table; 'CSV로 내보내기…' emits ``exportRequested``."""

    exportRequested = Signal()
    HEADERS = ("일시", "작성자", "동작", "위치", "바뀐 내용 (이전 → 이후)")

    def __init__(
        self,
        code: str,
        entries: Sequence[AuditEntry],
        parent: QWidget | None = None,
        *,
        chain: str = "",
        intact: bool = True,
    ) -> None:
        super().__init__(parent)
        self.code = code
        self.setWindowTitle(f"변경 기록 — {code}")
        # The year's hash chain checked as the log is opened (audit --verify's line), red when broken.
        self.chain = QLabel(chain)
        self.chain.setWordWrap(True)
        self.chain.setVisible(bool(chain))
        if not intact:
            self.chain.setStyleSheet("color: #b00020; font-weight: bold;")
        self.table = QTableWidget()
        fill_table(
            self.table,
            self.HEADERS,
            [(local_time(e.at), e.who or "(자동)", e.action_label, e.place(), audit_words(e)) for e in entries],
        )
        for row, entry in enumerate(entries):
            cell = self.table.item(row, len(self.HEADERS) - 1)
            if cell is not None:
                cell.setToolTip(audit_words(entry))
        self.empty = QLabel("기록이 없습니다.")
        self.empty.setVisible(not entries)
        export = QPushButton("CSV로 내보내기…")
        export.clicked.connect(self.exportRequested)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("닫기")
        buttons.addButton(export, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chain)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1000, 520)
        assign_buttons(self)
