"""Running commands as processes the way a user's install runs them, for every process benchmark.

A user's install has bytecode: pip compiles every module it installs, and the
first run of an editable checkout writes ``__pycache__``. A development shell
or a sandbox may set ``PYTHONDONTWRITEBYTECODE=1``; then every process
compiles every module it imports again (SQLAlchemy, reportlab, PySide6's
Python parts and our own ~45 modules: tens of milliseconds for a command,
far more for the window), and a benchmark measures the compiler, not the
program. So every child process here runs in :func:`user_env` (that variable
removed, and no ``PYTHONPYCACHEPREFIX`` pointing elsewhere), and every
command is run once as a warm-up (:func:`warm_up`, or a ``first`` run left
out of the medians) before it is measured, which writes the bytecode a user
would already have.

The machine is shared (two cores, other processes' tests), so commands that
are compared are run one after the other in rounds and each ratio is taken
within one round (:func:`pair_ratios`); the tables report medians of those
ratios, not ratios of medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from seri_desktop.paths import DATA_DIR_ENV_VAR
from seri_desktop.settings import set_user_name, user_name

REPO = Path(__file__).resolve().parents[1]
BENCH_USER = "벤치마크"  # the name the benchmarks' writes are recorded with
# Variables that make a child process skip writing or reading the bytecode a user's install has.
_NO_BYTECODE = ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")


def user_env(base: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
    """``base`` (default: this process's environment) as a user's shell has it, plus ``extra``.

    The data folder (``SERI_DATA_DIR``; a temporary one when neither gives it) has the
    recorded name set, as a user's has after the first start: every write needs one.
    """
    env = {k: v for k, v in (os.environ if base is None else base).items() if k not in _NO_BYTECODE}
    env.update(extra)
    folder = Path(env.get(DATA_DIR_ENV_VAR, "").strip() or tempfile.mkdtemp(prefix="seri-bench-data-"))
    folder.mkdir(parents=True, exist_ok=True)
    env[DATA_DIR_ENV_VAR] = str(folder)
    if user_name(folder) is None:
        set_user_name(BENCH_USER, folder)
    return env


@dataclass
class Run:
    """One process: wall time, peak resident memory, its output."""

    seconds: float
    peak_mib: float
    output: str = ""


def run_process(argv: Sequence[str], cwd: Path, env: Mapping[str, str], *, ok: Sequence[int] = (0,)) -> Run:
    """Run ``argv`` to its end in ``env`` (pass :func:`user_env`); a failed command stops the benchmark."""
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT)
        # wait4 gives this child's own resource usage: its peak memory, not this process's.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        text = out.read()
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise SystemExit(f"{' '.join(argv)} failed ({code}):\n{text}")
    return Run(seconds, usage.ru_maxrss / 1024, text)


def app(*args: str) -> list[str]:
    """``python -m seri_desktop …`` with this interpreter."""
    return [sys.executable, "-m", "seri_desktop", *args]


def warm_up(argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> Run:
    """One run, not measured: writes the bytecode (and fills the caches) a user's install already has."""
    return run_process(argv, cwd, env)


@dataclass
class Case:
    """A command measured as a process: a warm-up (``first``) run, then one run per round."""

    name: str
    argv: list[str]
    cwd: Path = REPO
    ok: tuple[int, ...] = (0,)  # exit statuses that are answers, not failures (check: 1 = problems found)
    before: Callable[[], None] | None = None  # run before each run, untimed (e.g. remove the last run's output)
    first: Run | None = None
    runs: list[Run] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    def peak(self) -> float:
        return max(r.peak_mib for r in [*self.runs, *([self.first] if self.first else [])])

    def cells(self) -> str:
        """first, median, min, max in ms, right-aligned in 8 columns each (the tables' common part)."""
        times = [r.seconds for r in self.runs]
        first = f"{self.first.seconds * 1000:6.0f}ms" if self.first else ""
        return " ".join([f"{first:>8}", *(f"{t * 1000:6.0f}ms" for t in (self.median(), min(times), max(times)))])


def process_parser(doc: str | None, runs: int, base: Path) -> argparse.ArgumentParser:
    """The options every process benchmark takes: ``--runs``, ``--base`` (the report text), ``--tree``."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--base", type=Path, default=base)
    parser.add_argument("--tree", type=Path, default=REPO, help="the checkout whose seri_desktop is measured")
    return parser


def measure(cases: Sequence[Case], runs: int, env: Mapping[str, str]) -> None:
    """A warm-up run of each case, then ``runs`` rounds of all of them, one after the other."""
    for case in cases:
        case.first = _run(case, env)
    for _ in range(runs):
        for case in cases:
            case.runs.append(_run(case, env))


def _run(case: Case, env: Mapping[str, str]) -> Run:
    if case.before is not None:
        case.before()
    return run_process(case.argv, case.cwd, env, ok=case.ok)


def pair_ratios(top: Case, bottom: Case) -> list[float]:
    """``top`` / ``bottom`` round by round (each pair ran within seconds of each other)."""
    return [a.seconds / b.seconds for a, b in zip(top.runs, bottom.runs, strict=True)]


def ratio_line(label: str, top: Case, bottom: Case, target: float | None) -> str:
    """The median of the pair ratios, their range, the ratio of medians, and the target (None: a reference)."""
    r = pair_ratios(top, bottom)
    return (
        f"{label} {statistics.median(r):.2f}× (median of pairs; {min(r):.2f}–{max(r):.2f};"
        f" ratio of medians {top.median() / bottom.median():.2f})"
        + (f"  target ≤ {target}×" if target is not None else "  (a reference, no target)")
    )
