"""Benchmark of the budget workbook: export and import, median of several runs and their spread.

    .venv/bin/python -m benchmarks.bench_xlsx [--runs 5] [--programs 1000]

On the real 2024 report and on a synthetic report (benchmarks/synthetic.py).
"export" builds and writes the workbook (rules included, for the 점검 결과
sheet); "import" reads an edited workbook (one amount changed, so the
changed copy is built too) and compares it with the report; "import,
no change" reads the exported file as it is. Figures, not pass/fail.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl

from benchmarks.synthetic import make_synthetic
from benchmarks.timing import inprocess_parser, time_calls
from seri_desktop.domain.model import Report
from seri_desktop.formats.text_import import import_report_file
from seri_desktop.formats.xlsx import read_budget_workbook, write_budget_workbook

Row = tuple[str, str, float, float, float, int]


def bench(label: str, report: Report, runs: int, folder: Path, rows: list[Row]) -> None:
    exported = folder / f"{report.year}-{label[:9]}.xlsx".replace(" ", "_")
    med, lo, hi = time_calls(lambda: write_budget_workbook(report, exported), runs)
    rows.append((label, "export", med, lo, hi, exported.stat().st_size))

    edited = exported.with_name("edited-" + exported.name)
    wb = openpyxl.load_workbook(exported)
    first_budget_sheet = wb.sheetnames[1]
    ws = wb[first_budget_sheet]
    ws["C5"] = (ws["C5"].value or 0) + 1 if isinstance(ws["C5"].value, int) else 1
    wb.save(edited)

    def import_edited() -> None:
        result = read_budget_workbook(edited, report)
        assert result.ok and len(result.changes) == 1, (result.rejected, result.changes)

    def import_unchanged() -> None:
        result = read_budget_workbook(exported, report)
        assert result.ok and not result.changes

    for name, fn, path in (
        ("import (1 change)", import_edited, edited),
        ("import, no change", import_unchanged, exported),
    ):
        med, lo, hi = time_calls(fn, runs)
        rows.append((label, name, med, lo, hi, path.stat().st_size))


def main() -> None:
    args = inprocess_parser(__doc__, 1000).parse_args()
    base = import_report_file(args.base).report
    synthetic = make_synthetic(base, args.programs)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        bench(f"2024 report ({sum(1 for _ in base.programs())} programs)", base, args.runs, Path(tmp), rows)
        bench(f"synthetic ({args.programs} programs)", synthetic, args.runs, Path(tmp), rows)
    print(f"{'data':28} {'operation':20} {'median':>9} {'min':>9} {'max':>9} {'file KiB':>9}")
    for label, name, med, lo, hi, size in rows:
        print(f"{label:28} {name:20} {med * 1000:7.0f}ms {lo * 1000:7.0f}ms {hi * 1000:7.0f}ms {size / 1024:9.0f}")


if __name__ == "__main__":
    main()
