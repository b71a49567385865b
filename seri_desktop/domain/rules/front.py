"""Front-matter rules: the budget overview, the staffing table.

The per-program budget summary (I-6) is derived from the programs; the printed copy an
import brought in is compared in :mod:`seri_desktop.domain.rules.findings`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from seri_desktop.domain import template
from seri_desktop.domain.model import Report, SimpleTable
from seri_desktop.domain.rules.engine import Problem, Severity, report_rule

SUMMARY = template.BUDGET_SUMMARY.key
OVERVIEW = template.BUDGET_OVERVIEW.key
STAFFING = template.STAFFING.key

_NUMBER = re.compile(r"^(△|-)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")


def parse_number(text: str) -> tuple[float, int] | None:
    """A printed number and its count of decimals: ``△45.2`` → (-45.2, 1); None if not a number."""
    m = _NUMBER.match(text.strip())
    if not m:
        return None
    value = float(m.group(2).replace(",", "") + ("." + m.group(3) if m.group(3) else ""))
    return (-value if m.group(1) else value), len(m.group(3) or "")


def _fmt(value: float) -> str:
    sign = "△" if value < 0 else ""
    return f"{sign}{abs(value):,.0f}" if value == int(value) else f"{sign}{abs(value):,.1f}"


def _find_column(table: SimpleTable, *needles: str) -> int | None:
    for header in table.header:
        for i, cell in enumerate(header):
            compact = cell.replace(" ", "")
            if any(needle in compact for needle in needles):
                return i
    return None


@report_rule("front.budget-overview", Severity.ERROR, "예산 현황의 증감 = A-B, 증감율 = 증감/B, 계 = 합계")
def budget_overview(report: Report) -> Iterator[Problem]:
    table = report.front.budget_overview
    col_a = _find_column(table, "(A)")
    col_b = _find_column(table, "(B)")
    col_change = _find_column(table, "증감(A-B)")
    col_rate = _find_column(table, "증감율", "증감률")
    if None in (col_a, col_b, col_change, col_rate) or not table.rows:
        return
    assert col_a is not None and col_b is not None and col_change is not None and col_rate is not None
    place = OVERVIEW
    numeric_columns = sorted({i for i in range(1, len(table.header[0])) if i != col_rate})
    sums = dict.fromkeys(numeric_columns, 0.0)
    for n, row in enumerate(table.rows, start=1):
        cells = row + [""] * (len(table.header[0]) - len(row))
        name = cells[0]
        values = {i: parse_number(cells[i]) for i in numeric_columns}
        for i, parsed in values.items():
            if parsed is None and cells[i].strip():
                yield Problem(
                    "front.budget-overview",
                    Severity.ERROR,
                    f"'{name}'의 '{cells[i]}'은(는) 숫자가 아닙니다.",
                    "",
                    place,
                    n,
                    table.header[-1][i] or table.header[0][i],
                )
        a, b, change = values[col_a], values[col_b], values[col_change]
        if a is None or b is None:
            continue
        if name.replace(" ", "") == "계":
            for i in numeric_columns:
                shown = values[i]
                if shown is not None and abs(shown[0] - sums[i]) > 0.5:
                    label = table.header[-1][i] or table.header[0][i]
                    yield Problem(
                        "front.budget-overview",
                        Severity.ERROR,
                        f"계 행의 {label}이(가) {cells[i]}이지만 위 행들의 합계는 {_fmt(sums[i])}입니다.",
                        "",
                        place,
                        n,
                        label,
                    )
            continue
        for i in numeric_columns:
            if values[i] is not None:
                sums[i] += values[i][0]  # type: ignore[index]
        if change is not None and change[0] != a[0] - b[0]:
            yield Problem(
                "front.budget-overview",
                Severity.ERROR,
                f"'{name}'의 증감(A-B)이 {cells[col_change]}이지만 {cells[col_a]} - {cells[col_b]} = {_fmt(a[0] - b[0])}입니다.",
                "",
                place,
                n,
                "증감 (A-B)",
            )
        rate = parse_number(cells[col_rate]) if cells[col_rate].strip() else None
        if b[0] == 0:
            continue  # no base: the printed rate (blank or 100 for a new item) is a convention
        computed = (a[0] - b[0]) / b[0] * 100
        if rate is None:
            yield Problem(
                "front.budget-overview",
                Severity.ERROR,
                f"'{name}'의 증감율이 비어 있습니다. {_fmt(round(computed, 1))}%여야 합니다.",
                "",
                place,
                n,
                "증감율 (%)",
            )
            continue
        # The 2024 report cuts some rates and rounds others to the digits shown: accept either.
        factor = 10 ** rate[1]
        cut = math.trunc(computed * factor) / factor
        rounded = math.floor(abs(computed) * factor + 0.5) / factor * (1 if computed >= 0 else -1)
        if min(abs(rate[0] - cut), abs(rate[0] - rounded)) > 1e-9:
            yield Problem(
                "front.budget-overview",
                Severity.ERROR,
                f"'{name}'의 증감율이 {cells[col_rate]}%이지만 ({cells[col_a]} - {cells[col_b]}) ÷ {cells[col_b]} = "
                f"{'△' if computed < 0 else ''}{abs(computed):.2f}%입니다.",
                "",
                place,
                n,
                "증감율 (%)",
            )


@report_rule("front.staffing", Severity.ERROR, "정·현원 표의 소계와 총계가 맞음")
def staffing(report: Report) -> Iterator[Problem]:
    table = report.front.staffing
    if not table.header or not table.rows:
        return
    top = table.header[0]
    sub = table.header[1] if len(table.header) > 1 else []
    width = max(len(top), len(sub), *(len(r) for r in table.rows))
    top = top + [""] * (width - len(top))
    sub = sub + [""] * (width - len(sub))
    subtotal_cols = [i for i, c in enumerate(sub) if c.replace(" ", "") == "소계"]
    total_cols = [i for i, c in enumerate(top) if c.replace(" ", "") in ("총계", "합계")]
    if not total_cols:
        return
    total_col = total_cols[0]
    for n, row in enumerate(table.rows, start=1):
        cells = row + [""] * (width - len(row))
        values = [parse_number(c) for c in cells]
        numbers = [v[0] if v else 0.0 for v in values]

        start = 1
        for col in subtotal_cols:
            expected = sum(numbers[start:col])
            if values[col] is not None and numbers[col] != expected:
                group = next((top[i] for i in range(col, 0, -1) if top[i].strip()), "")
                yield Problem(
                    "front.staffing",
                    Severity.ERROR,
                    f"{cells[0]} {group.replace(' ', '')} 소계가 {cells[col]}이지만 합은 {_fmt(expected)}입니다.",
                    "",
                    STAFFING,
                    n,
                    "소계",
                )
            start = col + 1
        expected_total = sum(numbers[i] for i in range(1, total_col) if i not in subtotal_cols)
        if values[total_col] is not None and numbers[total_col] != expected_total:
            yield Problem(
                "front.staffing",
                Severity.ERROR,
                f"{cells[0]} 총계가 {cells[total_col]}이지만 합은 {_fmt(expected_total)}입니다.",
                "",
                STAFFING,
                n,
                "총계",
            )
