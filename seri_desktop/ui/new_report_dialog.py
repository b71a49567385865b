"""새 보고서…: the one way to set up a year, with its three starts (issue 13 item 3).

- 서식에서: an empty report of the year chosen, with I / II / III and the front-matter
  tables' printed columns, captions and as-of dates for that year
  (:func:`seri_desktop.domain.new_report.empty_report`);
- 작년 보고서에서: the roll-over of last year's report file (achievements and budgets move on a year);
- 텍스트 파일에서: a report text export, imported into a new file.

The dialog only asks; :class:`seri_desktop.ui.actions_files.FileActions` does the chosen start.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from seri_desktop.domain import template
from seri_desktop.ui.forms.common import caption

TITLE = "새 보고서"


class Start(StrEnum):
    """Where a new report starts from."""

    TEMPLATE = "template"
    LAST_YEAR = "last-year"
    TEXT = "text"


def _staffing_series() -> str:
    staffing = next(t for t in template.FRONT_TABLE_TEMPLATES if t.key == template.STAFFING.key)
    # Printed letter-spaced ("사 서 직"); named here without the spaces, the first four and the total.
    series = ["".join(c.split()) for c in staffing.header[0][1:] if c.strip()]
    return ", ".join(series[:4]) + " … " + series[-1]


# What each start does, as the dialog says it (the columns named from the template's own declaration).
DESCRIPTIONS: dict[Start, tuple[str, str]] = {
    Start.TEMPLATE: (
        "서식에서 (빈 보고서)",
        "I. 일반 현황 · II. 업무 평가 · III. 주요업무의 틀과 일반 현황의 표를 인쇄되는 열로 만듭니다 "
        f"(정·현원: {_staffing_series()}; 예산 현황: 올해·전년도 예산, 증감, 증감율). "
        "표의 기준일과 연도는 고른 연도를 따릅니다.",
    ),
    Start.LAST_YEAR: (
        "작년 보고서에서",
        "작년 보고서 파일을 골라 올해 보고서를 새 파일로 만듭니다. 추진 실적은 전년도 추진 실적으로, "
        "예산은 전년도 예산으로 한 해씩 옮겨집니다(작년 파일은 그대로).",
    ),
    Start.TEXT: (
        "텍스트 파일에서",
        "보고서를 내보낸 텍스트 파일(.txt)을 새 파일로 가져옵니다. 인쇄된 계 행·주요업무별 예산 내역이 "
        "사업과 다른 곳은 가져오기 차이로 문제 목록에 남습니다.",
    ),
}


class NewReportDialog(QDialog):
    """Choose a start and, for the template, the year; :meth:`start` and :meth:`year` after ``accept``."""

    def __init__(self, default_year: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.group = QButtonGroup(self)
        self.buttons: dict[Start, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("새 보고서를 어디에서 시작할까요?"))
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(default_year or dt.date.today().year)
        for start, (label, text) in DESCRIPTIONS.items():
            button = QRadioButton(label)
            self.group.addButton(button)
            self.buttons[start] = button
            layout.addWidget(button)
            note = caption(text)
            note.setWordWrap(True)
            note.setContentsMargins(24, 0, 0, 6)
            layout.addWidget(note)
            if start is Start.TEMPLATE:  # the year is the template's only question (the others bring theirs)
                year_row = QHBoxLayout()
                year_row.setContentsMargins(24, 0, 0, 8)
                year_row.addWidget(QLabel("보고서 연도:"))
                year_row.addWidget(self.year_spin)
                year_row.addStretch(1)
                layout.addLayout(year_row)
        self.buttons[Start.TEMPLATE].toggled.connect(self.year_spin.setEnabled)
        self.buttons[Start.TEMPLATE].setChecked(True)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = box.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText("다음…")
        cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText("취소")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.setMinimumWidth(560)

    def start(self) -> Start:
        return next(start for start, button in self.buttons.items() if button.isChecked())

    def year(self) -> int:
        return self.year_spin.value()
