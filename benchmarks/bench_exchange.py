"""Benchmark of the department exchange on the 2024 report: packaging, submitting and merging five departments.

    .venv/bin/python -m benchmarks.bench_exchange [--runs 5] [--base ../shared/data/report-2024.txt]

Each figure is the median (with min and max) of ``--runs`` runs, every run on
fresh copies of the files, so no run benefits from an earlier one's records:

* packaging: the office issues all five departments' packages (five package databases written);
* submitting: each of the five departments writes its submission from its edited package;
* merging: the office previews the five submissions (verification and diffs) and applies
  them in one transaction; also shown split into preview and apply.

Each department has edited one program (an 추진 실적 item, a target cell, a
budget cell) and its section II, as in the end-to-end test. Figures, not
pass/fail: speed targets live here, never in unit tests.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine

from seri_desktop.domain.model import Cell, ItemKind, OutlineItem
from seri_desktop.exchange.merge import ACCEPT, MergePreview, MergeRequest, apply_merges, preview_merge
from seri_desktop.exchange.package import create_package
from seri_desktop.exchange.submission import create_submission
from seri_desktop.formats.text_import import import_report_file
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report, save_report

DEFAULT_BASE = Path(__file__).resolve().parents[2] / "shared" / "data" / "report-2024.txt"
OFFICE = "기획팀"


def _median(times: list[float]) -> tuple[float, float, float]:
    return statistics.median(times), min(times), max(times)


S = TypeVar("S")


def _timed(setup: Callable[[int], S], work: Callable[[S], object], runs: int) -> list[float]:
    times: list[float] = []
    for n in range(runs):
        state = setup(n)
        start = time.perf_counter()
        work(state)
        times.append(time.perf_counter() - start)
    return times


def edit_package(path: Path, department: str) -> None:
    """A department's edits in its package: one program (an item, a target, a budget cell) and its section II."""
    engine = create_engine_for(path)
    report = load_report(engine)
    assert report is not None
    program = next(
        p
        for p in report.programs()
        if p.department == department and p.budget and p.budget.lines and p.targets and p.targets.rows
    )
    item = next((i for i in program.achievements if i.kind is ItemKind.ITEM), None)
    if item is not None:
        item.text += " (보완)"
    assert program.targets is not None and program.budget is not None
    program.targets.rows[0].quantity = "99개"
    program.budget.lines[0].quarters[3].amount = Cell.amount(12_345)
    section = report.department(department)
    assert section is not None
    section.results.append(OutlineItem(0, ItemKind.ITEM, f"{department} 하반기 성과"))
    save_report(engine, report, replace=True)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--base", type=Path, default=DEFAULT_BASE)
    args = parser.parse_args()
    runs: int = args.runs

    report = import_report_file(args.base).report
    departments = [d.name for d in report.departments]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        fresh = tmp / "fresh.sqlite"
        engine = create_engine_for(fresh)
        save_report(engine, report)
        engine.dispose()

        # Files for the submit and merge figures: the office after issuing, edited packages, submissions.
        issued = tmp / "issued.sqlite"
        shutil.copyfile(fresh, issued)
        engine = create_engine_for(issued)
        packages = {d: tmp / f"{d}.seripkg" for d in departments}
        for department, path in packages.items():
            create_package(engine, department, path, who=OFFICE)
            edit_package(path, department)
        engine.dispose()
        submissions = {d: tmp / f"{d}.serisub" for d in departments}

        def package_setup(n: int) -> tuple[Engine, Path]:
            office = tmp / f"package-run-{n}.sqlite"
            shutil.copyfile(fresh, office)
            return create_engine_for(office), tmp / f"package-run-{n}"

        def package_all(state: tuple[Engine, Path]) -> None:
            office, folder = state
            folder.mkdir()
            for department in departments:
                create_package(office, department, folder / f"{department}.seripkg", who=OFFICE)
            office.dispose()

        def submit_setup(n: int) -> dict[str, Engine]:
            return {d: create_engine_for(p) for d, p in packages.items()}

        def submit_all(state: dict[str, Engine]) -> None:
            for department, engine in state.items():
                create_submission(engine, submissions[department], author=f"{department} 담당", overwrite=True)
                engine.dispose()

        submit_times = _timed(submit_setup, submit_all, runs)

        def merge_setup(n: int) -> Engine:
            office = tmp / f"merge-run-{n}.sqlite"
            shutil.copyfile(issued, office)
            return create_engine_for(office)

        preview_times: list[float] = []
        apply_times: list[float] = []

        def merge_all(office: Engine) -> None:
            start = time.perf_counter()
            previews: list[MergePreview] = [preview_merge(office, submissions[d]) for d in departments]
            middle = time.perf_counter()
            apply_merges(office, [MergeRequest(p, dict.fromkeys(p.pending(), ACCEPT)) for p in previews], OFFICE)
            preview_times.append(middle - start)
            apply_times.append(time.perf_counter() - middle)
            office.dispose()

        rows = [
            ("package five departments", _median(_timed(package_setup, package_all, runs))),
            ("submit five departments", _median(submit_times)),
            ("merge five submissions (preview + apply)", _median(_timed(merge_setup, merge_all, runs))),
            ("  of which: preview (verify + diff) x5", _median(preview_times)),
            ("  of which: apply, one transaction", _median(apply_times)),
        ]
    print(
        f"2024 report, {len(departments)} departments, {sum(1 for _ in report.programs())} programs; {runs} runs each"
    )
    print(f"{'operation':42} {'median':>9} {'min':>9} {'max':>9}")
    for name, (med, lo, hi) in rows:
        print(f"{name:42} {med * 1000:7.0f}ms {lo * 1000:7.0f}ms {hi * 1000:7.0f}ms")


if __name__ == "__main__":
    main()
