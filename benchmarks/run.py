"""Benchmarks: median and spread of several runs, peak memory, printed as a table.

    .venv/bin/python -m benchmarks.run [--runs 5] [--programs 1000]

Figures (not pass/fail): parse of the report text, the whole import into a
fresh SQLite file, load of the stored report, text export; on the real 2024
report and on a synthetic report (see benchmarks/synthetic.py).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.synthetic import make_synthetic
from benchmarks.timing import inprocess_parser, peak_mib, time_calls
from seri_desktop.domain.rules import check_program, check_report
from seri_desktop.formats.text_export import export_report_text
from seri_desktop.formats.text_import import import_report_file, parse_report_text
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report, save_report


def bench_text(label: str, text: str, runs: int, rows: list[tuple[str, str, float, float, float, float]]) -> None:
    report = parse_report_text(text).report
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10_000))

        def import_into_fresh_db() -> None:
            engine = create_engine_for(Path(tmp) / f"import-{next(counter)}.sqlite")
            save_report(engine, parse_report_text(text).report)
            engine.dispose()

        programs = list(report.programs())
        slowest = max(programs, key=lambda p: time_calls(lambda: check_program(report, p), 3)[0])
        engine = create_engine_for(Path(tmp) / "loaded.sqlite")
        save_report(engine, report)
        cases: list[tuple[str, Callable[[], object]]] = [
            ("parse text", lambda: parse_report_text(text)),
            ("import (parse + save, fresh db)", import_into_fresh_db),
            ("load from store", lambda: load_report(engine)),
            ("export text", lambda: export_report_text(report)),
            ("check whole report", lambda: check_report(report)),
            ("check one program (slowest program)", lambda: check_program(report, slowest)),
        ]
        for name, fn in cases:
            med, lo, hi = time_calls(fn, runs)
            rows.append((label, name, med, lo, hi, peak_mib(fn)))
        engine.dispose()


def main() -> None:
    args = inprocess_parser(__doc__, 1000).parse_args()
    base_text = args.base.read_text(encoding="utf-8")
    base = import_report_file(args.base).report
    rows: list[tuple[str, str, float, float, float, float]] = []
    bench_text("2024 report (33 programs)", base_text, args.runs, rows)
    synthetic = export_report_text(make_synthetic(base, args.programs))
    bench_text(f"synthetic ({args.programs} programs)", synthetic, args.runs, rows)
    print(f"{'data':28} {'operation':34} {'median':>9} {'min':>9} {'max':>9} {'peak MiB':>9}")
    for label, name, med, lo, hi, peak in rows:
        print(f"{label:28} {name:34} {med * 1000:8.1f}ms {lo * 1000:8.1f}ms {hi * 1000:8.1f}ms {peak:9.1f}")


if __name__ == "__main__":
    main()
