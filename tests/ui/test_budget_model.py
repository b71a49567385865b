"""The budget table model: display as printed, refusal of bad input, the computed 계 row, problem marks."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from seri_desktop.domain.model import BudgetLine, BudgetTable, BudgetTotal, Cell, CellKind, Quarter
from seri_desktop.domain.rules import Problem, Severity
from seri_desktop.ui.qtmodels.budget_model import (
    CURRENT,
    INVALID_COLOR,
    NAME,
    PAGE,
    PREVIOUS,
    Q1,
    Q3,
    Q4,
    BudgetModel,
    amount_error,
    parse_amount,
)

D = Qt.ItemDataRole.DisplayRole


def table() -> BudgetTable:
    return BudgetTable(
        as_of=dt.date(2024, 6, 30),
        lines=[
            BudgetLine(
                "운영비",
                Cell.amount(1_000),
                Cell.amount(-250),
                [
                    Quarter(Cell.amount(400), "강사비"),
                    Quarter(Cell.amount(600)),
                    Quarter(),
                    Quarter(Cell(CellKind.NONE)),
                ],
                page="12",
            ),
            BudgetLine("재배정 사업", Cell(CellKind.REALLOCATED), Cell(CellKind.INVALID, raw="비예산")),
        ],
        printed_total=BudgetTotal(current=Cell.amount(9)),
    )


@pytest.fixture
def model() -> BudgetModel:
    m = BudgetModel()
    m.set_table(table(), 2024)
    return m


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1234", Cell.amount(1234)),
        (" 1,234 ", Cell.amount(1234)),
        ("△1,234", Cell.amount(-1234)),
        ("-1234", Cell.amount(-1234)),
        ("\u22121,234", Cell.amount(-1234)),
        ("-", Cell(CellKind.NONE)),
        ("재배정", Cell(CellKind.REALLOCATED)),
        ("", Cell()),
        ("12a", Cell(CellKind.INVALID, raw="12a")),
        ("1,23,4", Cell(CellKind.INVALID, raw="1,23,4")),
    ],
)
def test_parse_amount(typed: str, expected: Cell) -> None:
    assert parse_amount(typed) == expected


def test_amount_error_says_why() -> None:
    assert "소수점" in amount_error("12.5", "천원")
    assert "쉼표 자리" in amount_error("1,23,4", "천원")
    assert "금액이 아닙니다" in amount_error("미정", "천원")


def test_display_as_printed(model: BudgetModel) -> None:
    assert model.rowCount() == 5
    assert [model.index(0, c).data() for c in range(8)] == ["운영비", "1,000", "△250", "400", "600", "", "-", "12"]
    assert [model.index(1, c).data() for c in (Q1, Q3)] == ["강사비", ""]
    assert model.index(2, CURRENT).data() == "재배정"
    assert model.index(2, PREVIOUS).data() == "비예산"
    assert model.index(2, PREVIOUS).data(Qt.ItemDataRole.ForegroundRole).name() == "#b71c1c"
    # 계 is computed from the lines (not the printed 9); markers count as nothing, no amount gives "-".
    assert [model.index(4, c).data() for c in range(7)] == ["계", "1,000", "△250", "400", "600", "-", "-"]
    assert model.index(0, CURRENT).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.index(1, Q1).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignLeft
    assert model.index(0, PAGE).data(Qt.ItemDataRole.TextAlignmentRole) == Qt.AlignmentFlag.AlignCenter


def test_executed_and_planned_quarters(model: BudgetModel) -> None:
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert headers == [
        "사업명",
        "예산액\n'24",
        "예산액\n'23",
        "1분기\n집행액",
        "2분기\n집행액",
        "3분기\n집행예정액",
        "4분기\n집행예정액",
        "설명자료\n쪽수",
    ]
    assert model.index(0, Q1).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(0, Q3).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "집행예정액" in model.headerData(Q4, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)


def test_editable_cells(model: BudgetModel) -> None:
    editable = Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, NAME)) & editable
    assert model.flags(model.index(1, Q1)) & editable  # a note
    assert not model.flags(model.index(1, CURRENT)) & editable  # hidden under the span
    assert not model.flags(model.index(4, CURRENT)) & editable  # 계
    model.set_editable(False)
    assert not model.flags(model.index(0, NAME)) & editable


def test_invalid_input_goes_out_as_an_invalid_cell(model: BudgetModel) -> None:
    # Behaviour changed (issue 14): typed text that is not an amount is kept as an INVALID cell, never dropped.
    edited: list[tuple[int, str, object]] = []
    reasons: list[str] = []
    model.edited.connect(lambda *args: edited.append(args))
    model.rejected.connect(reasons.append)
    index = model.index(0, Q3)
    assert model.setData(index, "3,0000")
    assert edited == [(0, "q3", Cell(CellKind.INVALID, raw="3,0000"))]
    assert "쉼표 자리" in reasons[0] and "금액으로 저장하지 않았" in reasons[0]
    # The model shows what it is fed: once the table holds the INVALID cell, it is red with the reason.
    fed = table()
    fed.lines[0].quarters[2].amount = Cell(CellKind.INVALID, raw="3,0000")
    model.set_table(fed, 2024)
    assert model.data(index) == "3,0000"
    assert model.rejected_at(index) == reasons[0]
    assert model.data(index, Qt.ItemDataRole.ToolTipRole).startswith("<b>[입력 오류]</b>")
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) == INVALID_COLOR
    # A valid value replaces it and goes out; the model itself changes only when fed again.
    assert model.setData(index, "-30,000")
    assert edited[-1] == (0, "q3", Cell.amount(-30_000))
    assert model.rejected_at(model.index(0, CURRENT)) is None
    # The same value again, notes and names go out as text.
    edited.clear()
    assert not model.setData(model.index(0, CURRENT), "1,000")
    assert model.setData(model.index(1, Q4), "연수비")
    assert model.setData(model.index(0, NAME), "운영비 2")
    assert edited == [(0, "note4", "연수비"), (0, "name", "운영비 2")]


def test_problems_are_placed_at_their_cells(model: BudgetModel) -> None:
    line = Problem("budget.line-quarters", Severity.ERROR, "합이 다릅니다", "1-1", "budget", 1, "예산액('24)")
    total = Problem("budget.total-column", Severity.WARNING, "계가 다릅니다", "1-1", "budget", None, "")
    total = Problem("budget.total-column", Severity.WARNING, "계가 다릅니다", "1-1", "budget.total", None, "4분기")
    whole_line = Problem("x", Severity.WARNING, "줄 문제", "1-1", "budget", 2, "")
    model.set_problems([line, total, whole_line])
    assert "합이 다릅니다" in model.index(0, CURRENT).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, CURRENT).data(Qt.ItemDataRole.BackgroundRole).name() == "#fde3e3"
    assert "계가 다릅니다" in model.index(4, Q4).data(Qt.ItemDataRole.ToolTipRole)
    assert "줄 문제" in model.index(2, NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert "자동 계산" in model.index(4, NAME).data(Qt.ItemDataRole.ToolTipRole)


def test_refeeding_keeps_the_structure_unless_lines_change(model: BudgetModel) -> None:
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    new = table()
    new.lines[0].current = Cell.amount(2_000)
    model.set_table(new, 2024)
    assert resets == [] and model.index(4, CURRENT).data() == "2,000"
    new.lines.append(BudgetLine("셋째"))
    model.set_table(new, 2024)
    assert resets == [True] and model.rowCount() == 7


def test_typing_non_budget_is_a_valid_cell(model: BudgetModel) -> None:
    # 비예산 (no budget of its own) is a value a person may type, not an error (issue 13.5).
    edits: list[tuple[int, str, object]] = []
    model.edited.connect(lambda line, field, value: edits.append((line, field, value)))
    assert model.setData(model.index(0, PREVIOUS), "비예산")
    assert edits and edits[-1][2] == Cell(CellKind.NON_BUDGET)
