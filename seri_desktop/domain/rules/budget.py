"""Budget rules: cell formats, quarters against the budget, executed amounts.

The 계 row is derived from the lines, so it cannot disagree with them; the 계 row
an import printed is only evidence, compared in :mod:`seri_desktop.domain.rules.findings`.
"""

from __future__ import annotations

from collections.abc import Iterator

from seri_desktop.domain import template
from seri_desktop.domain.model import BudgetTable, Cell, CellKind, Program, Report
from seri_desktop.domain.rules.engine import Problem, Severity, program_rule

# The template's names, kept here for the modules that import them from the rules.
QUARTER_LABELS = template.QUARTER_LABELS
column_labels = template.budget_amount_columns

BUDGET = template.BUDGET.key
TOTAL = template.BUDGET_TOTAL_KEY


def _fmt(value: int) -> str:
    return Cell.amount(value).format()


def _line_cells(budget: BudgetTable) -> Iterator[tuple[int, str, list[Cell]]]:
    for n, line in enumerate(budget.lines, start=1):
        yield n, line.name, [line.current, line.previous, *(q.amount for q in line.quarters)]


@program_rule("budget.cell-format", Severity.ERROR, "예산 칸은 금액, △금액, -, 재배정, 비예산 중 하나")
def cell_format(report: Report, program: Program) -> Iterator[Problem]:
    budget = program.budget
    if budget is None:
        return
    labels = column_labels(report.year)
    for n, name, cells in _line_cells(budget):
        for label, cell in zip(labels, cells, strict=True):
            if cell.kind is CellKind.INVALID:
                yield Problem(
                    "budget.cell-format",
                    Severity.ERROR,
                    f"'{name}'의 {label} 칸 '{cell.raw}'은(는) 금액이 아닙니다. "
                    f"{template.CELL_FORMS} 중 하나여야 합니다.",
                    program.code,
                    BUDGET,
                    n,
                    label,
                )


@program_rule("budget.line-quarters", Severity.ERROR, "사업별 1~4분기 합계 = 올해 예산액")
def line_quarters(report: Report, program: Program) -> Iterator[Problem]:
    budget = program.budget
    if budget is None:
        return
    current_label = column_labels(report.year)[0]
    for n, line in enumerate(budget.lines, start=1):
        kinds = {q.amount.kind for q in line.quarters}
        if CellKind.INVALID in kinds or line.current.kind is CellKind.INVALID:
            continue  # budget.cell-format reports it; a sum over it would only repeat that
        if line.current.kind is CellKind.AMOUNT:
            if CellKind.REALLOCATED in kinds:
                continue  # part of the money sits with another office: the quarters cannot add up here
            total = sum(q.amount.numeric for q in line.quarters)
            if total != line.current.numeric:
                parts = " + ".join(q.amount.format() or "0" for q in line.quarters)
                yield Problem(
                    "budget.line-quarters",
                    Severity.ERROR,
                    f"'{line.name}': 1~4분기 합계 {_fmt(total)}({parts})가 {current_label} {line.current.format()}과(와) "
                    f"다릅니다(차이 {_fmt(line.current.numeric - total)}).",
                    program.code,
                    BUDGET,
                    n,
                    current_label,
                )
        else:
            # No budget of our own (-, 재배정, 비예산, empty): an amount in a quarter has nothing to come from.
            for label, q in zip(QUARTER_LABELS, line.quarters, strict=True):
                if q.amount.kind is CellKind.AMOUNT and q.amount.numeric != 0:
                    yield Problem(
                        "budget.line-quarters",
                        Severity.ERROR,
                        f"'{line.name}': {current_label}이(가) '{line.current.format() or '빈 칸'}'인데 "
                        f"{label}에 {q.amount.format()}이(가) 있습니다.",
                        program.code,
                        BUDGET,
                        n,
                        label,
                    )


@program_rule("budget.executed-over-budget", Severity.ERROR, "기준일까지의 집행액이 예산액을 넘지 않음")
def executed_over_budget(report: Report, program: Program) -> Iterator[Problem]:
    budget = program.budget
    if budget is None:
        return
    executed = budget.executed_quarters()
    if executed == 0:
        return
    label = column_labels(report.year)[0]
    upto = QUARTER_LABELS[executed - 1]
    as_of = budget.as_of.strftime("%Y.%m.%d.") if budget.as_of else ""
    rows: list[tuple[int | None, str, Cell, list[Cell]]] = [
        (n, f"'{line.name}'", line.current, [q.amount for q in line.quarters]) for n, line in enumerate(budget.lines, 1)
    ]
    total = budget.total()  # the report carries the derived 계 row; a printed one is only an import finding
    rows.append((None, "계 행", total.current, total.quarters))
    for n, name, current, quarters in rows:
        if current.kind is not CellKind.AMOUNT:
            continue
        spent = sum(q.numeric for q in quarters[:executed])
        if spent > current.numeric:
            yield Problem(
                "budget.executed-over-budget",
                Severity.ERROR,
                f"{name}: {as_of} 기준 집행액(1분기~{upto}) {_fmt(spent)}이(가) {label} {current.format()}을(를) "
                f"{_fmt(spent - current.numeric)} 넘습니다.",
                program.code,
                BUDGET if n is not None else TOTAL,
                n,
                upto,
            )
