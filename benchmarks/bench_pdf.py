"""Benchmark of the PDF print: median of several runs and their spread.

    .venv/bin/python -m benchmarks.bench_pdf [--runs 5] [--programs 1000]

The whole 2024 report, its largest department (교수학습정보부, 9 programs)
and a synthetic report (benchmarks/synthetic.py) of ``--programs`` programs,
each written to a temporary file. The first build of the process also
registers the fonts; it is shown on its own line and left out of the runs.
Targets (issue: benchmarks): whole 2024 report ≤ 1.5 s, one department ≤ 0.5 s.
Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.synthetic import DEFAULT_BASE, make_synthetic
from seri_desktop.formats.pdf import PdfResult, build_department_pdf, build_report_pdf
from seri_desktop.formats.text_import import import_report_file

DEPARTMENT = "교수학습정보부"

Row = tuple[str, str, int, float, float, float]


def measure(fn: Callable[[], PdfResult], runs: int) -> tuple[int, float, float, float]:
    """(pages, median s, min s, max s) over ``runs`` calls."""
    times: list[float] = []
    pages = 0
    for _ in range(runs):
        start = time.perf_counter()
        pages = fn().pages
        times.append(time.perf_counter() - start)
    return pages, statistics.median(times), min(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--programs", type=int, default=1000)
    parser.add_argument("--base", type=Path, default=DEFAULT_BASE)
    args = parser.parse_args()
    base = import_report_file(args.base).report
    synthetic = make_synthetic(base, args.programs)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.pdf"
        start = time.perf_counter()
        first = build_report_pdf(base, out)
        cold = time.perf_counter() - start
        rows.append(("2024 report (33 programs)", "whole report, first build", first.pages, cold, cold, cold))
        cases: list[tuple[str, str, Callable[[], PdfResult]]] = [
            ("2024 report (33 programs)", "whole report", lambda: build_report_pdf(base, out)),
            (
                "2024 report (33 programs)",
                f"one department ({DEPARTMENT})",
                lambda: build_department_pdf(base, DEPARTMENT, out),
            ),
            (f"synthetic ({args.programs} programs)", "whole report", lambda: build_report_pdf(synthetic, out)),
        ]
        for label, name, fn in cases:
            rows.append((label, name, *measure(fn, args.runs)))
    print(f"{'data':28} {'operation':36} {'pages':>6} {'median':>9} {'min':>9} {'max':>9} {'ms/page':>8}")
    for label, name, pages, med, lo, hi in rows:
        print(
            f"{label:28} {name:36} {pages:6d} {med * 1000:8.0f}ms {lo * 1000:8.0f}ms {hi * 1000:8.0f}ms"
            f" {med * 1000 / pages:8.1f}"
        )


if __name__ == "__main__":
    main()
