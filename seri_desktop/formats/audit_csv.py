"""The audit log as a CSV file for people (``seri-desktop audit --export``, the window's 변경 기록).

One row per entry, oldest first, UTF-8 with BOM so that Excel shows the
Korean. The entries are read through :func:`seri_desktop.store.audit.audit_log`;
this module only writes them. Whole-content snapshots (``detail``) are left
out: the CSV is for reading; the database keeps them.

Every text field is written safe against CSV injection (issue 12 item 6):
a value a spreadsheet could take for a formula (``=…``, ``+…``, ``-…``,
``@…``, a tab, a control character first) gets a leading ``'`` (see
:mod:`seri_desktop.formats.injection`). Numbers (the entry's number, the
year) are written as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from sqlalchemy import Engine

from seri_desktop.formats.files import write_atomically
from seri_desktop.formats.injection import csv_text
from seri_desktop.store.audit import AuditEntry, audit_log

CSV_HEADER: Final = ("번호", "시각(UTC)", "작업자", "작업", "연도", "대상", "부서", "위치", "이전 값", "새 값", "제출")
CSV_ENCODING: Final = "utf-8-sig"  # with BOM: Excel reads UTF-8 only so
SUBMISSION_DIGITS: Final = 12  # of the submission's sha256, enough to tell submissions apart


def audit_rows(entries: Iterable[AuditEntry]) -> Iterable[tuple[object, ...]]:
    """The CSV rows of ``entries`` (without the header), each field already safe."""
    for e in entries:
        fields: tuple[object, ...] = (
            e.id,
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            e.who,
            e.action_label,
            e.year,
            e.item_label,
            e.department,
            e.place(),
            e.old,
            e.new,
            e.submission[:SUBMISSION_DIGITS],
        )
        yield tuple(csv_text(f) for f in fields)


def write_audit_csv(entries: list[AuditEntry], path: Path) -> int:
    """Write ``entries`` as CSV to ``path`` atomically; returns how many were written."""

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding=CSV_ENCODING, newline="") as out:
            writer = csv.writer(out)
            writer.writerow(CSV_HEADER)
            writer.writerows(audit_rows(entries))

    write_atomically(Path(path), write, "CSV")
    return len(entries)


def export_audit_csv(engine: Engine, path: Path, *, year: int | None = None, item: str | None = None) -> int:
    """Write the audit log (of one year, of one item) as CSV; returns the number of entries written.

    A place that cannot take the file raises :class:`~seri_desktop.formats.files.FileWriteError`.
    """
    return write_audit_csv(audit_log(engine, year, item=item), path)
