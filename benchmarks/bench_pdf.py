"""Benchmark of the PDF print as a user runs it: whole commands as processes, beside a floor.

    .venv/bin/python -m benchmarks.bench_pdf [--runs 5] [--programs 1000] [--synthetic-runs 1] [--tree DIR]

Every figure is a whole process, from start to exit, as typed at the command
line: ``python -m seri_desktop export-pdf --db … --all -o …`` (the whole 2024
report), the same with ``--department 교수학습정보부`` (its largest
department, 9 programs), and the floor (:mod:`benchmarks.floor`: the report's
text export set as plain reportlab paragraphs in one embedded Nanum face).
Each run starts the three one after the other, so a ratio is taken pair by
pair, within seconds, on a machine whose load changes (other processes share
its two cores); the table shows the median of those ratios beside the medians
of the times.

Targets (issue 17): whole-report PDF ≤ 1.6 × the floor; one department ≤ 0.5 ×
the whole report; the ``--programs`` synthetic report (benchmarks/synthetic.py)
with peak memory ≤ 300 MB and time per page no worse than the 2024 report's.
Figures, not pass/fail.

The first run of each command in a fresh data folder is shown on its own line
("first run") and left out of the medians: it also fills the font metrics
cache (see :mod:`seri_desktop.formats.pdf.typefaces`), once per machine.

``--tree DIR`` runs ``python -m seri_desktop`` from another checkout (the
floor and this harness stay this tree's): how the BEFORE figures of a change
are taken on the untouched code with the same harness.

A profile of one command, as a process::

    .venv/bin/python -m cProfile -s cumtime -m seri_desktop export-pdf --db r.sqlite --all -o r.pdf | head -60
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.synthetic import DEFAULT_BASE

DEPARTMENT = "교수학습정보부"
REPO = Path(__file__).resolve().parents[1]
_PAGES = re.compile(r"\((\d+)쪽|: (\d+) pages")


@dataclass
class Run:
    """One process: wall time, peak resident memory, pages it reported."""

    seconds: float
    peak_mib: float
    pages: int


@dataclass
class Case:
    """A command run several times."""

    name: str
    argv: list[str]
    cwd: Path
    first: Run | None = None
    runs: list[Run] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    def pages(self) -> int:
        done = self.runs or ([self.first] if self.first else [])
        return done[-1].pages if done else 0

    def peak(self) -> float:
        return max(r.peak_mib for r in [*self.runs, *([self.first] if self.first else [])])


def run_process(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[Run, str]:
    """Run ``argv`` to its end: its figures and its output; a failed command stops the benchmark."""
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        # wait4 gives this child's own resource usage: its peak memory, not this process's.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        text = out.read()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({code}):\n{text}")
    m = _PAGES.search(text)
    pages = int(m.group(1) or m.group(2)) if m else 0
    return Run(seconds, usage.ru_maxrss / 1024, pages), text


def app(*args: str) -> list[str]:
    return [sys.executable, "-m", "seri_desktop", *args]


def prepare(tree: Path, folder: Path, source: Path, env: dict[str, str], name: str) -> tuple[Path, Path]:
    """A database with ``source`` imported and the text export of what was stored (the floor's input)."""
    db = folder / f"{name}.sqlite"
    text = folder / f"{name}-export.txt"
    run_process(app("import-text", str(source), "--db", str(db)), tree, env)
    run_process(app("export-text", "--db", str(db), "-o", str(text)), tree, env)
    return db, text


def measure(cases: list[Case], runs: int, env: dict[str, str]) -> None:
    """A first run of each, then ``runs`` rounds of all of them, one after the other."""
    for case in cases:
        case.first = run_process(case.argv, case.cwd, env)[0]
    for _ in range(runs):
        for case in cases:
            case.runs.append(run_process(case.argv, case.cwd, env)[0])


def ratios(top: Case, bottom: Case) -> list[float]:
    return [a.seconds / b.seconds for a, b in zip(top.runs, bottom.runs, strict=True)]


def pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (a Hangul syllable takes two)."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return text + " " * max(width - len(text) - wide, 0)


def print_table(label: str, cases: list[Case]) -> None:
    print(
        f"{'data':26} {'command (a whole process)':40} {'pages':>5} {'first':>8} {'median':>8} {'min':>8} {'max':>8}"
        f" {'ms/page':>8} {'peak MiB':>9}"
    )
    for c in cases:
        times = [r.seconds for r in c.runs]
        first = f"{c.first.seconds * 1000:6.0f}ms" if c.first else ""
        print(
            f"{pad(label, 26)} {pad(c.name, 40)} {c.pages():5d} {first:>8} {c.median() * 1000:6.0f}ms {min(times) * 1000:6.0f}ms"
            f" {max(times) * 1000:6.0f}ms {c.median() * 1000 / max(c.pages(), 1):8.1f} {c.peak():9.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--programs", type=int, default=1000, help="size of the synthetic report (0: none)")
    parser.add_argument("--synthetic-runs", type=int, default=1)
    parser.add_argument("--base", type=Path, default=DEFAULT_BASE)
    parser.add_argument("--tree", type=Path, default=REPO, help="the checkout whose seri_desktop is measured")
    args = parser.parse_args()
    tree = args.tree.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # A data folder of its own: the user's is not touched, and the first run starts with no cache.
        env = {**os.environ, "SERI_DATA_DIR": str(folder / "data"), "QT_QPA_PLATFORM": "offscreen"}
        db, text = prepare(tree, folder, args.base, env, "report-2024")
        floor = Case(
            "floor (text export, plain paragraphs)",
            [sys.executable, "-m", "benchmarks.floor", str(text), "-o", str(folder / "floor.pdf")],
            REPO,
        )
        whole = Case(
            "export-pdf --all", app("export-pdf", "--db", str(db), "--all", "-o", str(folder / "all.pdf")), tree
        )
        dept = Case(
            f"export-pdf --department {DEPARTMENT}",
            app("export-pdf", "--db", str(db), "--department", DEPARTMENT, "-o", str(folder / "dept.pdf")),
            tree,
        )
        measure([floor, whole, dept], args.runs, env)
        print(f"seri_desktop from {tree}; {args.runs} runs of each, one after the other; {os.cpu_count()} CPUs")
        print_table("2024 report (33 programs)", [floor, whole, dept])
        whole_floor = ratios(whole, floor)
        dept_whole = ratios(dept, whole)
        print(
            f"whole report / floor:     {statistics.median(whole_floor):.2f}× (median of pairs; "
            f"{min(whole_floor):.2f}–{max(whole_floor):.2f}; ratio of medians {whole.median() / floor.median():.2f})"
            "  target ≤ 1.6×"
        )
        print(
            f"one department / whole:   {statistics.median(dept_whole):.2f}× (median of pairs; "
            f"{min(dept_whole):.2f}–{max(dept_whole):.2f}; ratio of medians {dept.median() / whole.median():.2f})"
            "  target ≤ 0.5×"
        )
        if args.programs <= 0:
            return
        source = folder / f"synthetic-{args.programs}.txt"
        run_process(
            [
                sys.executable,
                "-m",
                "benchmarks.synthetic",
                "--programs",
                str(args.programs),
                "--base",
                str(args.base),
                "-o",
                str(source),
            ],
            REPO,
            env,
        )
        sdb, stext = prepare(tree, folder, source, env, f"synthetic-{args.programs}")
        sfloor = Case(
            "floor (text export, plain paragraphs)",
            [sys.executable, "-m", "benchmarks.floor", str(stext), "-o", str(folder / "sfloor.pdf")],
            REPO,
        )
        swhole = Case(
            "export-pdf --all", app("export-pdf", "--db", str(sdb), "--all", "-o", str(folder / "s.pdf")), tree
        )
        for case in (sfloor, swhole):
            case.runs = [run_process(case.argv, case.cwd, env)[0] for _ in range(max(args.synthetic_runs, 1))]
        print_table(f"synthetic ({args.programs} programs)", [sfloor, swhole])
        per_page = swhole.median() / max(swhole.pages(), 1)
        base_page = whole.median() / max(whole.pages(), 1)
        print(
            f"synthetic whole / floor:  {swhole.median() / sfloor.median():.2f}×;"
            f" time per page {per_page * 1000:.1f} ms vs 2024's {base_page * 1000:.1f} ms ({per_page / base_page:.2f}×,"
            f" target ≤ 1.0×); peak {swhole.peak():.0f} MiB (target ≤ 300 MB = {300e6 / 2**20:.0f} MiB)"
        )


if __name__ == "__main__":
    main()
