"""A new, empty report of a year from the template: I / II / III, the front-matter tables with their columns.

Used by the window's 새 보고서… (from the template) and ``seri-desktop
new-report``. The front-matter tables start with the columns the report
prints (:data:`seri_desktop.domain.template.FRONT_TABLE_TEMPLATES`), their
captions and the as-of dates for the year; 주요업무별 예산 내역 has no rows
of its own, it is derived from the programs once there are some.
"""

from __future__ import annotations

import datetime as dt

from seri_desktop.domain import template
from seri_desktop.domain.model import Report, SimpleTable


def empty_report(year: int) -> Report:
    """An empty report of ``year`` with the template's front-matter tables and dates (see the module docstring)."""
    month, day = template.AS_OF_MONTH_DAY
    report = Report(
        year=year,
        committee=template.COMMITTEE,
        date_label=template.fill_year(template.DATE_LABEL_TEMPLATE, year),
        as_of=dt.date(year, month, day),
    )
    for table in template.FRONT_TABLE_TEMPLATES:
        header = [[template.fill_year(cell, year) for cell in row] for row in table.header]
        width = max(len(row) for row in header)
        rows = [[label] + [""] * (width - 1) for label in table.row_labels]
        template.put(
            report, template.part(table.key), SimpleTable(template.fill_year(table.caption, year), header, rows)
        )
    report.front.budget_summary_caption = template.fill_year(template.SUMMARY_CAPTION_TEMPLATE, year)
    return report
