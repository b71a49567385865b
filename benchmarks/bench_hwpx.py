"""Benchmark of the 한글(HWPX) export, beside the PDF's in the same run.

    .venv/bin/python -m benchmarks.bench_hwpx [--runs 5] [--programs 100]

Each export runs as its own process, as a person runs it
(``seri-desktop export-hwpx --db … --all -o …``; start-up and loading the
report from the database included), on the 2024 report saved in a temporary
database: the whole report and its largest department (교수학습정보부, 9
programs), as HWPX and as PDF, median, min and max of ``--runs``. The
in-process time of the HWPX build alone is shown too, and, for a synthetic
report of ``--programs`` programs (up to 200; larger sizes take minutes per
run and are left out), one in-process run to read growth from. Figures, not
pass/fail.
"""

from __future__ import annotations

import copy
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.synthetic import make_synthetic
from benchmarks.timing import inprocess_parser, time_calls
from seri_desktop.formats.hwpx import build_department_hwpx, build_report_hwpx
from seri_desktop.formats.text_import import import_report_file
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import save_report

DEPARTMENT = "교수학습정보부"
SYNTHETIC_LIMIT = 200


def process(command: list[str]) -> Callable[[], object]:
    def run() -> object:
        return subprocess.run([sys.executable, "-m", "seri_desktop", *command], check=True, capture_output=True)

    return run


def main() -> None:
    args = inprocess_parser(__doc__, 100).parse_args()
    base = import_report_file(args.base).report
    rows: list[tuple[str, str, float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "report.sqlite"
        engine = create_engine_for(db)
        save_report(engine, copy.deepcopy(base))
        engine.dispose()
        for fmt in ("hwpx", "pdf"):
            out = str(folder / f"out.{fmt}")
            for label, scope in (
                ("whole report", ["--all"]),
                (f"one department ({DEPARTMENT})", ["--department", DEPARTMENT]),
            ):
                command = [f"export-{fmt}", "--db", str(db), *scope, "-o", out]
                rows.append((f"{fmt.upper()} process", label, *time_calls(process(command), args.runs)))
        out_path = folder / "in.hwpx"
        rows.append(("HWPX in process", "whole report", *time_calls(lambda: build_report_hwpx(base, out_path), args.runs)))
        rows.append(
            (
                "HWPX in process",
                f"one department ({DEPARTMENT})",
                *time_calls(lambda: build_department_hwpx(base, DEPARTMENT, out_path), args.runs),
            )
        )
        if args.programs <= SYNTHETIC_LIMIT:
            synthetic = make_synthetic(base, args.programs)
            rows.append(
                (
                    f"HWPX in process, {args.programs} programs",
                    "whole report (1 run)",
                    *time_calls(lambda: build_report_hwpx(synthetic, out_path), 1),
                )
            )
    print(f"2024 report (33 programs), {args.runs} runs each")
    print(f"{'what':34} {'operation':36} {'median':>9} {'min':>9} {'max':>9}")
    for what, name, med, lo, hi in rows:
        print(f"{what:34} {name:36} {med * 1000:8.0f}ms {lo * 1000:8.0f}ms {hi * 1000:8.0f}ms")
    if args.programs > SYNTHETIC_LIMIT:
        print(f"synthetic report of {args.programs} programs: left out (over {SYNTHETIC_LIMIT})")


if __name__ == "__main__":
    main()
