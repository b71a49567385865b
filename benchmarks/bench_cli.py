"""Benchmark of what every command pays to start: the office's commands as processes, beside an import.

    .venv/bin/python -m benchmarks.bench_cli [--runs 7] [--base ../shared/data/report-2024.txt] [--tree DIR]

Every figure is a whole process, as typed at the command line, on the 2024
report: ``info`` and ``check`` on a stored report (both read only),
``import-text`` of the report into a new database file (parse, create the
schema, save), and the reference, ``python -c "import sqlalchemy, sqlmodel"``:
what any program on this stack pays before it does anything. Each round runs
the four one after the other, and each command's ratio to the reference is
taken within its round; the table shows the median of those ratios.

Every process runs as a user's install does (:mod:`benchmarks.processes`):
without ``PYTHONDONTWRITEBYTECODE``, after one warm-up run of each command
that is not measured, so modules load from bytecode as they do for a user.

Targets (issue 17): ``info`` and ``check`` ≤ 1.3 × the import, ``import-text``
≤ 1.6 ×. Figures, not pass/fail.

``--tree DIR`` runs ``python -m seri_desktop`` from another checkout (this
harness stays this tree's): how the BEFORE figures of a change are taken.

Where a command's time goes, as a process::

    .venv/bin/python -X importtime -m seri_desktop info --db r.sqlite 2>&1 >/dev/null | sort -t'|' -k2 -n | tail -30
    .venv/bin/python -m cProfile -s cumtime -m seri_desktop check --db r.sqlite | head -60
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from benchmarks.processes import Case, app, measure, process_parser, ratio_line, run_process, user_env
from benchmarks.synthetic import DEFAULT_BASE

REFERENCE = "import sqlalchemy, sqlmodel"


def main() -> None:
    args = process_parser(__doc__, 7, DEFAULT_BASE).parse_args()
    tree = args.tree.resolve()
    base = args.base.resolve()
    with tempfile.TemporaryDirectory(prefix="seri-bench-cli-") as tmp:
        folder = Path(tmp)
        env = user_env(SERI_DATA_DIR=str(folder / "data"), QT_QPA_PLATFORM="offscreen")
        db = folder / "report-2024.sqlite"
        run_process(app("import-text", str(base), "--db", str(db)), tree, env)
        fresh = folder / "imported.sqlite"

        def remove_fresh() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{fresh}{suffix}").unlink(missing_ok=True)

        reference = Case(f'python -c "{REFERENCE}"', [sys.executable, "-c", REFERENCE], tree)
        info = Case("info", app("info", "--db", str(db)), tree)
        # check's exit status is 1 when the report has errors: that is its answer, not a failure.
        check = Case("check", app("check", "--db", str(db)), tree, ok=(0, 1))
        imported = Case(
            "import-text (new database)", app("import-text", str(base), "--db", str(fresh)), tree, before=remove_fresh
        )
        cases = [reference, info, check, imported]
        measure(cases, args.runs, env)
    print(f"seri_desktop from {tree}; {args.runs} rounds, one after the other; {os.cpu_count()} CPUs")
    print(
        f"{'command (a whole process, 2024 report)':44} {'first':>8} {'median':>8} {'min':>8} {'max':>8} {'peak MiB':>9}"
    )
    for c in cases:
        print(f"{c.name:44} {c.cells()} {c.peak():9.0f}")
    print(ratio_line("info / import:        ", info, reference, 1.3))
    print(ratio_line("check / import:       ", check, reference, 1.3))
    print(ratio_line("import-text / import: ", imported, reference, 1.6))


if __name__ == "__main__":
    main()
