"""Benchmark of the PDF print as a user runs it: whole commands as processes, beside a floor.

    .venv/bin/python -m benchmarks.bench_pdf [--runs 5] [--programs 1000] [--synthetic-runs 1] [--tree DIR]

Every figure is a whole process, from start to exit, as typed at the command
line: ``python -m seri_desktop export-pdf --db … --all -o …`` (the whole 2024
report), the same with ``--department 교수학습정보부`` (its largest
department, 9 programs), and the floor (:mod:`benchmarks.floor`: the report's
text export set as plain reportlab paragraphs in one embedded Nanum face).
The floor is also run on the department's own text (its section II and its
chapters, exported the same way), so the department's ratio has a reference
too: what plain reportlab in one process does with a quarter of the words.
Each run starts the four one after the other, so a ratio is taken pair by
pair, within seconds, on a machine whose load changes (other processes share
its two cores); the table shows the median of those ratios beside the medians
of the times.

Targets (issue 17): whole-report PDF ≤ 1.6 × the floor; one department ≤ 0.5 ×
the whole report; the ``--programs`` synthetic report (benchmarks/synthetic.py)
with peak memory ≤ 300 MB and time per page no worse than the 2024 report's.
Figures, not pass/fail.

Every process runs as a user's install does (:mod:`benchmarks.processes`):
without ``PYTHONDONTWRITEBYTECODE``, so modules are compiled once and then
loaded from bytecode. The first run of each command in a fresh data folder is
that warm-up, shown on its own line ("first") and left out of the medians: it
also fills the font metrics cache (see :mod:`seri_desktop.formats.pdf.fontcache`),
once per machine.

``--tree DIR`` runs ``python -m seri_desktop`` from another checkout (the
floor and this harness stay this tree's): how the BEFORE figures of a change
are taken on the untouched code with the same harness.

A profile of one command, as a process::

    .venv/bin/python -m cProfile -s cumtime -m seri_desktop export-pdf --db r.sqlite --all -o r.pdf | head -60
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

from benchmarks.processes import REPO, Case, Run, app, measure, process_parser, ratio_line, run_process, user_env
from benchmarks.synthetic import DEFAULT_BASE
from seri_desktop.domain.model import FrontMatter
from seri_desktop.formats.text_export import export_report_text
from seri_desktop.formats.text_import import parse_report_text

DEPARTMENT = "교수학습정보부"
_PAGES = re.compile(r"\((\d+)쪽|: (\d+) pages")


def pages_of(run: Run) -> int:
    """The page count a command (or the floor) reported."""
    m = _PAGES.search(run.output)
    return int(m.group(1) or m.group(2)) if m else 0


def pages(case: Case) -> int:
    done = case.runs or ([case.first] if case.first else [])
    return pages_of(done[-1]) if done else 0


def prepare(tree: Path, folder: Path, source: Path, env: dict[str, str], name: str) -> tuple[Path, Path]:
    """A database with ``source`` imported and the text export of what was stored (the floor's input)."""
    db = folder / f"{name}.sqlite"
    text = folder / f"{name}-export.txt"
    run_process(app("import-text", str(source), "--db", str(db)), tree, env)
    run_process(app("export-text", "--db", str(db), "-o", str(text)), tree, env)
    return db, text


def department_text(text: Path, department: str, out: Path) -> Path:
    """The part of the text export ``text`` that the department's PDF prints: its section II and its chapters."""
    report = parse_report_text(text.read_text(encoding="utf-8")).report
    report.front = FrontMatter()
    report.departments = [d for d in report.departments if d.name == department]
    report.chapters = [c for c in report.chapters if c.department == department]
    if not report.chapters:
        raise SystemExit(f"{text}: no chapter of {department}")
    out.write_text(export_report_text(report), encoding="utf-8")
    return out


def floor_and_whole(tree: Path, folder: Path, db: Path, text: Path, name: str) -> tuple[Case, Case]:
    """The floor (plain paragraphs of ``text``) and ``export-pdf --all`` of ``db``, writing ``name``-*.pdf."""
    floor = Case(
        "floor (text export, plain paragraphs)",
        [sys.executable, "-m", "benchmarks.floor", str(text), "-o", str(folder / f"{name}-floor.pdf")],
        REPO,
    )
    whole = Case("export-pdf --all", app("export-pdf", "--db", str(db), "--all", "-o", str(folder / f"{name}.pdf")), tree)
    return floor, whole


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
        print(
            f"{pad(label, 26)} {pad(c.name, 40)} {pages(c):5d} {c.cells()}"
            f" {c.median() * 1000 / max(pages(c), 1):8.1f} {c.peak():9.0f}"
        )


def main() -> None:
    parser = process_parser(__doc__, 5, DEFAULT_BASE)
    parser.add_argument("--programs", type=int, default=1000, help="size of the synthetic report (0: none)")
    parser.add_argument("--synthetic-runs", type=int, default=1)
    args = parser.parse_args()
    tree = args.tree.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # A data folder of its own: the user's is not touched, and the first run starts with no cache.
        env = user_env(SERI_DATA_DIR=str(folder / "data"), QT_QPA_PLATFORM="offscreen")
        db, text = prepare(tree, folder, args.base, env, "report-2024")
        floor, whole = floor_and_whole(tree, folder, db, text, "all")
        dept = Case(
            f"export-pdf --department {DEPARTMENT}",
            app("export-pdf", "--db", str(db), "--department", DEPARTMENT, "-o", str(folder / "dept.pdf")),
            tree,
        )
        dept_text = department_text(text, DEPARTMENT, folder / "dept-export.txt")
        dept_floor = Case(
            "floor of the department's text",
            [sys.executable, "-m", "benchmarks.floor", str(dept_text), "-o", str(folder / "dept-floor.pdf")],
            REPO,
        )
        measure([floor, whole, dept, dept_floor], args.runs, env)
        print(f"seri_desktop from {tree}; {args.runs} runs of each, one after the other; {os.cpu_count()} CPUs")
        print_table("2024 report (33 programs)", [floor, whole, dept, dept_floor])
        print(ratio_line("whole report / floor:    ", whole, floor, 1.6))
        print(ratio_line("one department / whole:  ", dept, whole, 0.5))
        print(ratio_line("floor, department's text / whole text:", dept_floor, floor, None))
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
        sfloor, swhole = floor_and_whole(tree, folder, sdb, stext, "synthetic")
        for case in (sfloor, swhole):
            case.runs = [run_process(case.argv, case.cwd, env) for _ in range(max(args.synthetic_runs, 1))]
        print_table(f"synthetic ({args.programs} programs)", [sfloor, swhole])
        per_page = swhole.median() / max(pages(swhole), 1)
        base_page = whole.median() / max(pages(whole), 1)
        print(
            f"synthetic whole / floor:  {swhole.median() / sfloor.median():.2f}×;"
            f" time per page {per_page * 1000:.1f} ms vs 2024's {base_page * 1000:.1f} ms ({per_page / base_page:.2f}×,"
            f" target ≤ 1.0×); peak {swhole.peak():.0f} MiB (target ≤ 300 MB = {300e6 / 2**20:.0f} MiB)"
        )


if __name__ == "__main__":
    main()
