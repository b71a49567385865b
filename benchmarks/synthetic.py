"""Synthetic reports of any size, made from the programs of a real one.

Programs of the base report are copied round-robin into chapters of 20
programs, one department per chapter, so a 1,000-program report has the
shapes (outlines, tables, budgets with every cell kind) of the real data.
Run as a script to write the text of such a report:

    python -m benchmarks.synthetic --programs 1000 -o /tmp/synthetic-1000.txt
"""

from __future__ import annotations

import argparse
import copy
from pathlib import Path

from seri_desktop.domain.model import Chapter, Report, SummaryRow
from seri_desktop.formats.text_export import export_report_text
from seri_desktop.formats.text_import import import_report_file

PROGRAMS_PER_CHAPTER = 20
DEFAULT_BASE = Path(__file__).resolve().parents[2] / "shared" / "data" / "report-2024.txt"


def make_synthetic(base: Report, programs: int) -> Report:
    """A report with ``programs`` programs cloned from ``base``."""
    source = list(base.programs())
    if not source:
        raise ValueError("the base report has no programs")
    report = copy.deepcopy(base)
    report.chapters = []
    report.departments = []
    report.front.budget_summary = []
    for index in range(programs):
        n_chapter, n_program = divmod(index, PROGRAMS_PER_CHAPTER)
        if n_program == 0:
            template = base.departments[n_chapter % len(base.departments)]
            department = copy.deepcopy(template)
            department.name = f"가상{n_chapter + 1:03d}부"
            department.order = n_chapter + 1
            department.layout = {}
            report.departments.append(department)
            report.chapters.append(Chapter(n_chapter + 1, f"가상 장 {n_chapter + 1}", department.name))
        chapter = report.chapters[-1]
        program = copy.deepcopy(source[index % len(source)])
        program.code = f"{chapter.number}-{n_program + 1}"
        program.title = f"{program.title} ({index + 1})"
        program.department = chapter.department
        chapter.programs.append(program)
        total = program.budget.total() if program.budget else None
        if total is not None:
            report.front.budget_summary.append(
                SummaryRow(program.code, program.title, total.current, total.previous, total.quarters, "")
            )
    report.layout = {}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--programs", type=int, default=1000)
    parser.add_argument("--base", type=Path, default=DEFAULT_BASE)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    report = make_synthetic(import_report_file(args.base).report, args.programs)
    args.output.write_text(export_report_text(report), encoding="utf-8")
    print(f"{args.programs} programs → {args.output}")


if __name__ == "__main__":
    main()
