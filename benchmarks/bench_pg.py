"""Benchmark of the store on PostgreSQL beside SQLite, on the 2024 report (issue 16).

    .venv/bin/python -m benchmarks.bench_pg [--runs 5] [--base ../shared/data/report-2024.txt] [--tree DIR]

Starts its own throwaway PostgreSQL server (``scripts/pg_test_server.sh start
DIR``; stopped again whatever happens) and measures, on a SQLite file and on a
PostgreSQL database side by side:

* ``import-text`` of the report into a new database (a process; PostgreSQL: an
  empty database created beforehand, untimed, as an administrator would);
* the load of the stored report: ``info`` as a process, and ``load_report`` in
  this process on an engine already open (the store's share without start-up);
* the save of one program through the unit of work (in this process: no command
  saves one program; it is the window's autosave, ``unit_of_work(...).save_program``
  with the revision read, recorded with the benchmarks' name);
* ``merge --accept-all`` of the five departments' submissions (a process), each
  round on a fresh copy of the office's database as it was after issuing the
  packages (SQLite: a file copy; PostgreSQL: ``CREATE DATABASE … TEMPLATE``,
  untimed). Packages are issued with ``package --all`` from each engine's own
  office database, edited as in :mod:`benchmarks.bench_exchange` and submitted
  with ``submit``.

Every round runs each operation on SQLite and then on PostgreSQL, one after the
other; the PG/SQLite ratio is taken within each round and the table shows the
median of those ratios (and their range). Processes run as a user's install
does (:mod:`benchmarks.processes`), after one warm-up run that is not measured.
The server runs with fsync off (it is thrown away), so PostgreSQL's figures
leave out the disk flush a production server pays on each commit; SQLite's
include its own. Figures, not pass/fail.
"""

from __future__ import annotations

import copy
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, make_url

from benchmarks.bench_exchange import OFFICE, edit_package
from benchmarks.processes import (
    BENCH_USER,
    REPO,
    Case,
    app,
    measure,
    pair_ratios,
    process_parser,
    run_process,
    user_env,
)
from benchmarks.synthetic import DEFAULT_BASE
from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import Program
from seri_desktop.paths import DATA_DIR_ENV_VAR
from seri_desktop.store.audit import Via
from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.repository import load_report
from seri_desktop.store.unit import read_snapshot, unit_of_work

SERVER_SCRIPT = REPO / "scripts" / "pg_test_server.sh"
URL_VARIABLE = "SERI_TEST_PG_URL"  # what the script's DIR/env exports
YEAR = 2024
EDIT_MARK = " (벤치마크 저장)"


# --- the throwaway server ----------------------------------------------------------------------------------


@contextmanager
def pg_server() -> Iterator[URL]:
    """A throwaway PostgreSQL server for the run; its URL (with the password: never print it)."""
    folder = Path(tempfile.mkdtemp(prefix="seri-bench-pg-"))
    # A SIGTERM (a timeout, a killed parent) unwinds through the finally below too, so the server stops.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as errors:
        # Its own session: a Ctrl-C at the terminal reaches this process only, never the starting script.
        starter = subprocess.Popen(
            ["bash", str(SERVER_SCRIPT), "start", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,
        )
        try:
            if starter.wait() != 0:
                errors.seek(0)
                raise SystemExit(
                    "PostgreSQL did not start (Debian: apt-get install postgresql, or bash scripts/setup.sh --postgres;"
                    f" or leave this benchmark out: python -m benchmarks.all --skip bench_pg):\n{errors.read()}"
                )
            # DIR/env is one shell line, `export SERI_TEST_PG_URL=<quoted URL>`.
            line = (folder / "env").read_text(encoding="utf-8").strip()
            name, _, quoted = line.removeprefix("export ").partition("=")
            assert name == URL_VARIABLE, line
            yield make_url(shlex.split(quoted)[0])
        finally:
            # Interrupted while the script was still starting the server: let it finish first,
            # or a server coming up after the stop would outlive it.
            while starter.poll() is None:
                try:
                    starter.wait()
                except BaseException:  # another signal while waiting: keep waiting, then stop
                    continue
            subprocess.run(["bash", str(SERVER_SCRIPT), "stop", str(folder)], capture_output=True, check=False)
            shutil.rmtree(folder, ignore_errors=True)


class Databases:
    """Creating, dropping and copying databases on the throwaway server (as its test role)."""

    def __init__(self, server: URL) -> None:
        self.server = server
        self.admin = create_engine(server, isolation_level="AUTOCOMMIT")

    def url(self, name: str) -> URL:
        return self.server.set(database=name)

    def fresh(self, name: str, template: str | None = None) -> URL:
        """An empty database ``name`` (or a copy of ``template``), dropping any older one first."""
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def recreate(self, name: str, template: str | None = None) -> None:
        """:meth:`fresh` for a ``Case``'s ``before`` (which returns nothing)."""
        self.fresh(name, template)

    def dispose(self) -> None:
        self.admin.dispose()


def url_arg(url: URL) -> str:
    """The URL as ``--db`` takes it (str() of a URL hides the password)."""
    return url.render_as_string(hide_password=False)


# --- SQLite files ------------------------------------------------------------------------------------------


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_sqlite(source: Path, target: Path) -> None:
    """A copy of a closed SQLite database (with its WAL, should one be left)."""
    remove_sqlite(target)
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")


# --- the measured operations -------------------------------------------------------------------------------


@dataclass
class Pair:
    """One operation on both engines: the seconds of each round (SQLite and PostgreSQL ran in the same round)."""

    name: str
    how: str  # "process" or "in-process"
    sqlite: list[float] = field(default_factory=list)
    pg: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)

    def line(self) -> str:
        lite, pg = statistics.median(self.sqlite), statistics.median(self.pg)
        r = self.ratios
        return (
            f"{self.name:40} {self.how:10} {lite * 1000:8.1f}ms {pg * 1000:8.1f}ms "
            f"{statistics.median(r):6.2f}×  {min(r):.2f}–{max(r):.2f}"
        )


def process_pair(name: str, sqlite: Case, pg: Case) -> Pair:
    return Pair(
        name, "process", [r.seconds for r in sqlite.runs], [r.seconds for r in pg.runs], pair_ratios(pg, sqlite)
    )


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def in_process_pair(name: str, sqlite: Callable[[], object], pg: Callable[[], object], runs: int) -> Pair:
    """``runs`` rounds of ``sqlite()`` then ``pg()`` in this process, after one warm-up call of each."""
    sqlite()
    pg()
    pair = Pair(name, "in-process")
    for _ in range(runs):
        pair.sqlite.append(timed(sqlite))
        pair.pg.append(timed(pg))
        pair.ratios.append(pair.pg[-1] / pair.sqlite[-1])
    return pair


class ProgramSave:
    """One program saved through the unit of work, as the window's autosave does; each save changes it.

    :meth:`prepare` reads the snapshot and edits the program (untimed: the window
    has both already); :meth:`save` checks the revision read, diffs, writes the
    rows and the audit entries in one write transaction.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.program: Program | None = None
        self.read = 0

    def prepare(self) -> None:
        snapshot = read_snapshot(self.engine, YEAR)
        program = copy.deepcopy(next(iter(snapshot.report.programs())))
        marked = program.title.endswith(EDIT_MARK)
        program.title = program.title.removesuffix(EDIT_MARK) if marked else program.title + EDIT_MARK
        self.program, self.read = program, snapshot.revision(ItemRef.of(program))

    def save(self) -> int:
        assert self.program is not None, "prepare() first"
        with unit_of_work(self.engine, YEAR, who=BENCH_USER, via=Via.WINDOW) as work:
            return work.save_program(self.program, read=self.read)


def main() -> None:
    args = process_parser(__doc__, 5, DEFAULT_BASE).parse_args()
    runs: int = args.runs
    tree = args.tree.resolve()
    base = args.base.resolve()
    with tempfile.TemporaryDirectory(prefix="seri-bench-pgs-") as tmp, pg_server() as server:
        folder = Path(tmp)
        env = user_env(SERI_DATA_DIR=str(folder / "data"), QT_QPA_PLATFORM="offscreen")
        # This process's own writes (the edited packages) are recorded with the same name as the commands'.
        os.environ[DATA_DIR_ENV_VAR] = env[DATA_DIR_ENV_VAR]
        databases = Databases(server)
        try:
            pairs = bench(databases, folder, env, tree, base, runs)
        finally:
            databases.dispose()
    print(
        f"2024 report; seri_desktop from {tree}; {runs} rounds, SQLite then PostgreSQL in each; {os.cpu_count()} CPUs"
    )
    print(f"{'operation (2024 report)':40} {'how':10} {'SQLite':>10} {'PostgreSQL':>10} {'PG/SQLite':>7}  range")
    for pair in pairs:
        print(pair.line())
    print("medians of the rounds; PG/SQLite is the median of the ratios within each round (its range after it)")


def bench(databases: Databases, folder: Path, env: dict[str, str], tree: Path, base: Path, runs: int) -> list[Pair]:
    # The stored report each engine loads and saves into, imported with the command.
    stored_sqlite = folder / "stored.sqlite"
    stored_pg = databases.fresh("seri_stored")
    for target in (str(stored_sqlite), url_arg(stored_pg)):
        run_process(app("import-text", str(base), "--db", target), tree, env)

    # (d) The office after issuing the five packages, and the five submissions, on each engine.
    issued_sqlite = folder / "issued.sqlite"
    issued_pg = databases.fresh("seri_issued")
    submissions: dict[str, list[str]] = {}
    for engine_name, target in (("sqlite", str(issued_sqlite)), ("pg", url_arg(issued_pg))):
        run_process(app("import-text", str(base), "--db", target), tree, env)
        packages = folder / f"packages-{engine_name}"
        run_process(app("package", "--db", target, "--all", "-o", str(packages), "--who", OFFICE), tree, env)
        files = sorted(packages.glob("*.seripkg"))
        assert len(files) == 5, files
        submissions[engine_name] = []
        for package in files:
            department = package.stem.split("-", 1)[1]
            edit_package(package, department)
            submission = folder / f"{engine_name}-{department}.serisub"
            run_process(
                app("submit", "--db", str(package), "-o", str(submission), "--author", f"{department} 담당"), tree, env
            )
            submissions[engine_name].append(str(submission))

    imported_sqlite = folder / "imported.sqlite"
    merged_sqlite = folder / "merged.sqlite"
    imported_pg = databases.url("seri_imported")
    merged_pg = databases.url("seri_merged")

    def merge(target: str, files: list[str]) -> list[str]:
        return app("merge", "--db", target, *files, "--accept-all", "--who", OFFICE)

    cases = {
        "import": (
            Case(
                "import sqlite",
                app("import-text", str(base), "--db", str(imported_sqlite)),
                tree,
                before=lambda: remove_sqlite(imported_sqlite),
            ),
            Case(
                "import pg",
                app("import-text", str(base), "--db", url_arg(imported_pg)),
                tree,
                before=lambda: databases.recreate("seri_imported"),
            ),
        ),
        "info": (
            Case("info sqlite", app("info", "--db", str(stored_sqlite)), tree),
            Case("info pg", app("info", "--db", url_arg(stored_pg)), tree),
        ),
        "merge": (
            Case(
                "merge sqlite",
                merge(str(merged_sqlite), submissions["sqlite"]),
                tree,
                before=lambda: copy_sqlite(issued_sqlite, merged_sqlite),
            ),
            Case(
                "merge pg",
                merge(url_arg(merged_pg), submissions["pg"]),
                tree,
                before=lambda: databases.recreate("seri_merged", template="seri_issued"),
            ),
        ),
    }
    measure([c for pair in cases.values() for c in pair], runs, env)
    # The commands did their work on both engines: the report was read whole, five departments were merged.
    for info in cases["info"]:
        assert "사업 33개" in info.runs[-1].output, info.runs[-1].output
    for merged in cases["merge"]:
        assert len(re.findall(r"— 반영 [1-9]", merged.runs[-1].output)) == 5, merged.runs[-1].output

    # In this process, on engines already open: the load, and one program's save.
    sqlite_engine = create_engine_for(stored_sqlite, must_exist=True)
    pg_engine = create_engine_for(stored_pg)
    try:
        load = in_process_pair(
            "load_report (engine open)",
            lambda: load_report(sqlite_engine, YEAR),
            lambda: load_report(pg_engine, YEAR),
            runs,
        )
        save = save_pair(sqlite_engine, pg_engine, runs)
    finally:
        sqlite_engine.dispose()
        pg_engine.dispose()
    return [
        process_pair("import-text (new database)", *cases["import"]),
        process_pair("info (load of the stored report)", *cases["info"]),
        load,
        save,
        process_pair("merge --accept-all, five submissions", *cases["merge"]),
    ]


def save_pair(sqlite_engine: Engine, pg_engine: Engine, runs: int) -> Pair:
    """One program saved on each engine, ``runs`` rounds after a warm-up round; only the save is timed."""
    savers = (ProgramSave(sqlite_engine), ProgramSave(pg_engine))
    pair = Pair("save one program (unit of work)", "in-process")
    for n in range(runs + 1):
        times: list[float] = []
        revisions: list[int] = []
        for saver in savers:
            saver.prepare()
            start = time.perf_counter()
            revisions.append(saver.save())
            times.append(time.perf_counter() - start)
        # Every save wrote: the revision moved on (the same on both engines, which started alike).
        assert revisions[0] == revisions[1] == n + 1, revisions
        if n:  # round 0 is the warm-up
            pair.sqlite.append(times[0])
            pair.pg.append(times[1])
            pair.ratios.append(times[1] / times[0])
    return pair


if __name__ == "__main__":
    main()
