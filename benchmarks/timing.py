"""Timing calls inside this process, for the in-process benchmarks (run, bench_xlsx, bench_hwpx, bench_ui).

The process benchmarks (whole commands, the window's start) are in
:mod:`benchmarks.processes`; these time a function called again and again
in one interpreter and report the median with the spread.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from benchmarks.synthetic import DEFAULT_BASE


def spread(times: list[float]) -> tuple[float, float, float]:
    """(median, min, max) of ``times``."""
    return statistics.median(times), min(times), max(times)


def time_calls(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """(median s, min s, max s) over ``runs`` calls of ``fn``."""
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return spread(times)


def peak_mib(fn: Callable[[], object]) -> float:
    """The peak of Python's allocations during one call of ``fn``, in MiB."""
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def inprocess_parser(doc: str | None, programs: int) -> argparse.ArgumentParser:
    """The options every in-process benchmark takes: ``--runs``, ``--programs`` (the synthetic report), ``--base``."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--programs", type=int, default=programs)
    parser.add_argument("--base", type=Path, default=DEFAULT_BASE)
    return parser
