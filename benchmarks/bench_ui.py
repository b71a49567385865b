"""Benchmark of the data-entry window: start-up, switching programs, keystroke to validation.

    .venv/bin/python -m benchmarks.bench_ui [--runs 5] [--programs 1000] [--base ../shared/data/report-2024.txt]

On the 2024 report and on a synthetic report (``benchmarks.synthetic``), each
in a database of its own; every figure is the median (min, max) of ``--runs``
runs, offscreen:

* start-up (a new process per run, ``python -m seri_desktop --db …``, as a
  user's install runs it: with bytecode, after a warm-up run that is not
  counted; see :mod:`benchmarks.processes`): from
  launching the process to the main window shown, to the report shown in it
  (navigator filled, a program selectable) and to every program checked
  (the problem counts complete; that runs in small batches after the report
  is shown, so the window stays responsive);
* switching programs: selecting a navigator row until the form shows the
  program (all editors loaded, laid out and painted);
* keystroke to validation: a character typed into an outline until the
  problems panel and the navigator show the re-checked program; that
  includes the typing pause the validation waits for (``PROGRAM_DELAY_MS``),
  the work after the pause is given separately;
* autosave: writing one edited program.

Figures, not pass/fail. Targets (the benchmark issue): window shown ≤ 2 s,
program switch ≤ 100 ms.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from benchmarks.processes import user_env
from benchmarks.synthetic import make_synthetic
from benchmarks.timing import inprocess_parser, spread
from seri_desktop.domain.model import Report
from seri_desktop.fonts import find_korean_fonts
from seri_desktop.formats.text_import import import_report_file
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import save_report
from seri_desktop.ui.backend import StoreBackend, Workspace
from seri_desktop.ui.fonts_qt import install_korean_font
from seri_desktop.ui.main_window import MainWindow
from seri_desktop.ui.validation import PROGRAM_DELAY_MS

Row = tuple[str, str, float, float, float]


def make_db(folder: Path, name: str, report: Report) -> Path:
    path = folder / f"{name}.sqlite"
    engine = create_engine_for(path)
    save_report(engine, report)
    engine.dispose()
    return path


def bench_startup(db: Path, folder: Path, runs: int) -> dict[str, list[float]]:
    """Launch the app ``runs`` times; seconds from launch to shown / report shown / all checked."""
    found: dict[str, list[float]] = {"window shown": [], "report shown": [], "all programs checked": []}
    # Run -1 is the warm-up (bytecode written as a user's install has it); it is not counted.
    for n in range(-1, runs):
        marks = {name: folder / f"{name}-{n}" for name in ("shown", "ready", "checked")}
        script = folder / f"script-{n}.json"
        steps = [
            {"shown_time": str(marks["shown"])},
            {"mark": str(marks["ready"])},
            {"wait_checked": str(marks["checked"])},
            {"quit": 0},
        ]
        script.write_text(json.dumps(steps), encoding="utf-8")
        env = user_env(QT_QPA_PLATFORM="offscreen", SERI_TEST_SCRIPT=str(script))
        env["XDG_CONFIG_HOME"] = str(folder / "config")  # the app's QSettings: not the user's
        start = time.time()
        subprocess.run(
            [sys.executable, "-m", "seri_desktop", "--db", str(db)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )
        if n < 0:
            continue
        found["window shown"].append(float(marks["shown"].read_text()) - start)
        found["report shown"].append(float(marks["ready"].read_text()) - start)
        found["all programs checked"].append(float(marks["checked"].read_text()) - start)
    return found


def open_window(db: Path, folder: Path) -> MainWindow:
    settings = QSettings(str(folder / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Workspace(StoreBackend.open(db)), settings=settings)
    window.resize(1280, 860)
    window.show()
    window.validator.flush()
    QApplication.processEvents()
    return window


def bench_switch(window: MainWindow, keys: list[str], runs: int) -> list[float]:
    times = []
    window.select_key(keys[-1])
    QApplication.processEvents()
    for n in range(runs):
        key = keys[n % len(keys)]
        start = time.perf_counter()
        window.select_key(key)
        QApplication.processEvents()  # layout and paint of the new form
        times.append(time.perf_counter() - start)
    return times


def bench_keystroke(window: MainWindow, key: str, runs: int) -> tuple[list[float], list[float], list[float]]:
    """(keystroke → validated, the keystroke's own handling, the work after the pause) per run."""
    window.select_key(key)
    QApplication.processEvents()
    editor = window.program_form.editors["issues"]
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    code = key.split(":", 1)[1]
    latency, typing, work = [], [], []
    for _ in range(runs):
        done: list[float] = []

        def on_updated(updated: str, done: list[float] = done) -> None:
            if updated == code:
                done.append(time.perf_counter())

        window.validator.updated.connect(on_updated)
        start = time.perf_counter()
        QTest.keyClick(editor, Qt.Key.Key_X)
        typed = time.perf_counter()
        deadline = start + 30
        while not done:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no validation of {code} within 30 s of a keystroke")
            QApplication.processEvents()
            time.sleep(0.001)
        after = time.perf_counter()
        QApplication.processEvents()  # the panel and marks refresh queued by the update
        finished = time.perf_counter()
        window.validator.updated.disconnect(on_updated)
        latency.append(finished - start)
        typing.append(typed - start)
        work.append(window.validator.last_check_seconds + (finished - after))
        window.flush()
    return latency, typing, work


def bench_autosave(window: MainWindow, runs: int) -> list[float]:
    times = []
    session = window.program_form.session
    assert session is not None
    for n in range(runs):
        session.change("title", f"{session.get('title')}{n % 10}", "bench")
        start = time.perf_counter()
        window.flush()
        times.append(time.perf_counter() - start)
    return times


def bench_report(label: str, db: Path, folder: Path, runs: int, keys: list[str], rows: list[Row]) -> None:
    for name, times in bench_startup(db, folder, runs).items():
        rows.append((label, f"start-up: process to {name}", *spread(times)))
    window = open_window(db, folder)
    try:
        rows.append((label, "switch program (select → form shown)", *spread(bench_switch(window, keys, runs))))
        latency, typing, work = bench_keystroke(window, keys[0], runs)
        rows.append((label, f"keystroke → validated (incl. {PROGRAM_DELAY_MS} ms pause)", *spread(latency)))
        rows.append((label, "  keystroke handling (edit + undo step)", *spread(typing)))
        rows.append((label, "  check + problem views after the pause", *spread(work)))
        rows.append((label, "autosave one program", *spread(bench_autosave(window, runs))))
    finally:
        window.close()
        if window.backend is not None:
            window.backend.close()


def spread_keys(report: Report) -> list[str]:
    """Programs spread over the report (near the end, the start, the middle, the last), for any size."""
    codes = [p.code for p in report.programs()]
    picks = [codes[len(codes) * 19 // 20], codes[min(1, len(codes) - 1)], codes[len(codes) // 2], codes[-1]]
    return [f"program:{code}" for code in picks]


def main() -> None:
    args = inprocess_parser(__doc__, 1000).parse_args()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    install_korean_font(app, find_korean_fonts())
    base = import_report_file(args.base).report
    synthetic = make_synthetic(base, args.programs)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="seri-bench-ui-") as tmp:
        folder = Path(tmp)
        cases: list[tuple[str, Report, list[str]]] = [
            ("2024 report (33 programs)", base, ["program:4-8", "program:2-1", "program:3-4", "program:1-2"]),
            (f"synthetic ({args.programs} programs)", synthetic, spread_keys(synthetic)),
        ]
        for label, report, keys in cases:
            db = make_db(folder, label.split()[0], report)
            bench_report(label, db, folder, args.runs, keys, rows)
    print(f"{'data':28} {'measure':52} {'median':>9} {'min':>9} {'max':>9}")
    for label, name, med, lo, hi in rows:
        print(f"{label:28} {name:52} {med * 1000:7.1f}ms {lo * 1000:7.1f}ms {hi * 1000:7.1f}ms")


if __name__ == "__main__":
    main()
