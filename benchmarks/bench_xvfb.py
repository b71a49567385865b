"""Benchmark of the window's start on a real X display (Xvfb, the xcb platform), beside a bare PySide6 window.

    .venv/bin/python -m benchmarks.bench_xvfb [--runs 5] [--base ../shared/data/report-2024.txt]

Starts its own Xvfb (Debian: ``apt-get install xvfb``) on a free display and
stops it at the end (``tests.helpers.xvfb``, the one the xcb test uses). Each round starts two processes one after the other on
that display with ``QT_QPA_PLATFORM=xcb``:

* the reference, :mod:`benchmarks.bare_window`: a QApplication and one empty
  main window, from process start to its first show event;
* the app, ``python -m seri_desktop --db …`` on the stored 2024 report: from
  process start to the main window's first show (``MainWindow.shown_at``) and
  to the report shown in it (``MainWindow.report_shown_at``: the navigator
  first filled with the report, which a current SQLite file gets from its
  preview before the store is opened, see ``ui/app.py``).

The ratios are taken within each round (the machine is shared) and the table
shows their medians. Every process runs as a user's install does
(:mod:`benchmarks.processes`): without ``PYTHONDONTWRITEBYTECODE``, after one
warm-up round that is not counted.

Then one more window, on the same report, prints as a department head or
the planning office would from the menu (:meth:`PrintActions.export_pdf
<seri_desktop.ui.actions_print.PrintActions.export_pdf>`, the test hook's
``export_pdf`` step): one department's PDF, then the whole report's, a round
after another, each from the start of the job to its file written. The
window imports reportlab and reads the fonts at its first print (the warm-up
round, shown as "first"); every print after that costs only its own work,
on the window's worker thread, in one process (the window never forks).

``--tree DIR`` starts ``python -m seri_desktop`` from another checkout: the
BEFORE figures of a change.

Targets (issue 17): window shown ≤ 1.5 × the bare window, report shown ≤ 2 ×.
Figures, not pass/fail.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_pdf import DEPARTMENT, pad
from benchmarks.processes import REPO, app, process_parser, run_process, user_env
from benchmarks.synthetic import DEFAULT_BASE
from tests.helpers.xvfb import xvfb_display


def start_bare(folder: Path, env: dict[str, str], n: int) -> float:
    shown = folder / f"bare-{n}"
    start = time.time()
    run_process([sys.executable, "-m", "benchmarks.bare_window", str(shown)], REPO, env)
    return float(shown.read_text()) - start


def start_app(tree: Path, db: Path, folder: Path, env: dict[str, str], n: int) -> tuple[float, float]:
    shown, ready = folder / f"shown-{n}", folder / f"ready-{n}"
    script = folder / f"script-{n}.json"
    script.write_text(json.dumps([{"shown_time": str(shown)}, {"report_shown_time": str(ready)}, {"quit": 0}]), encoding="utf-8")
    start = time.time()
    run_process(app("--db", str(db)), tree, {**env, "SERI_TEST_SCRIPT": str(script)})
    return float(shown.read_text()) - start, float(ready.read_text()) - start


def prints_in_window(
    tree: Path, db: Path, folder: Path, env: dict[str, str], department: str, rounds: int
) -> tuple[list[float], list[float]]:
    """Seconds per print from one window: the department's and the whole report's, round by round (round 0 first)."""
    times = folder / "print-times"
    steps: list[dict[str, object]] = [{"wait_checked": str(folder / "print-checked")}]
    for n in range(rounds):
        steps.append({"export_pdf": [department, str(folder / f"print-dept-{n}.pdf"), str(times)]})
        steps.append({"export_pdf": [None, str(folder / f"print-all-{n}.pdf"), str(times)]})
    steps.append({"quit": 0})
    script = folder / "print-script.json"
    script.write_text(json.dumps(steps), encoding="utf-8")
    run_process(app("--db", str(db)), tree, {**env, "SERI_TEST_SCRIPT": str(script)})
    seconds = [float(end) - float(start) for start, end in (row.split() for row in times.read_text().splitlines())]
    if len(seconds) != 2 * rounds:
        raise SystemExit(f"the window printed {len(seconds)} PDFs of {2 * rounds}")
    return seconds[0::2], seconds[1::2]


def line(name: str, values: list[float], unit: str) -> str:
    scale, fmt = (1000, "{:7.0f}ms") if unit == "ms" else (1, "{:8.2f}×")
    cells = " ".join(fmt.format(v * scale) for v in (statistics.median(values), min(values), max(values)))
    return f"{pad(name, 48)} {cells}"


def main() -> None:
    args = process_parser(__doc__, 5, DEFAULT_BASE).parse_args()
    tree = args.tree.resolve()
    with tempfile.TemporaryDirectory(prefix="seri-bench-xvfb-") as tmp, xvfb_display(Path(tmp) / "xvfb.log", "1600x1000x24") as display:
        folder = Path(tmp)
        env = user_env(
            SERI_DATA_DIR=str(folder / "data"),
            XDG_CONFIG_HOME=str(folder / "config"),  # the app's QSettings: not the user's
            QT_QPA_PLATFORM="xcb",
            DISPLAY=display,
        )
        env.pop("WAYLAND_DISPLAY", None)
        db = folder / "report-2024.sqlite"
        run_process(app("import-text", str(args.base.resolve()), "--db", str(db)), REPO, env)
        bare: list[float] = []
        shown: list[float] = []
        ready: list[float] = []
        for n in range(-1, args.runs):  # round -1 is the warm-up
            b = start_bare(folder, env, n)
            s, r = start_app(tree, db, folder, env, n)
            if n >= 0:
                bare.append(b)
                shown.append(s)
                ready.append(r)
        # An older tree (--tree) has no such step, and its script would stop there with the window left open.
        can_print = '"export_pdf"' in (tree / "seri_desktop" / "ui" / "test_hook.py").read_text(encoding="utf-8")
        dept, whole = prints_in_window(tree, db, folder, env, DEPARTMENT, args.runs + 1) if can_print else ([], [])
    print(
        f"seri_desktop from {tree}; Xvfb {display}, QT_QPA_PLATFORM=xcb; {args.runs} rounds, one after the other; {os.cpu_count()} CPUs"
    )
    print(f"{'start-up (a whole process, 2024 report)':48} {'median':>9} {'min':>9} {'max':>9}")
    print(line("bare PySide6 window: process to shown", bare, "ms"))
    print(line("seri-desktop: process to window shown", shown, "ms"))
    print(line("seri-desktop: process to report shown", ready, "ms"))
    print(
        line("window shown / bare window (pairs)", [s / b for s, b in zip(shown, bare, strict=True)], "x")
        + "  target ≤ 1.5×"
    )
    print(
        line("report shown / bare window (pairs)", [r / b for r, b in zip(ready, bare, strict=True)], "x")
        + "  target ≤ 2×"
    )
    if not can_print:
        print(f"printing from the window: not measured ({tree} has no test-hook step export_pdf)")
        return
    print(f"{'printing from the window (job start to file)':48} {'median':>9} {'min':>9} {'max':>9}   first")
    print(line(f"PDF of {DEPARTMENT}", dept[1:], "ms") + f" {dept[0] * 1000:7.0f}ms")
    print(line("PDF of the whole report", whole[1:], "ms") + f" {whole[0] * 1000:7.0f}ms")
    print(
        line("department / whole report (pairs)", [d / w for d, w in zip(dept[1:], whole[1:], strict=True)], "x")
        + "  issue 17's target for the command line: ≤ 0.5×"
    )


if __name__ == "__main__":
    main()
