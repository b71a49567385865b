"""Every command imports only what it needs (issue 17): the real command, in a process of its own.

What a command imports it pays for at every start, before any work: SQLAlchemy
alone is most of a read command's time. So the read commands (``info``,
``check``) must not import the migration machinery, the writers of other
formats or the UI, nor SQLModel and Pydantic, which the store no longer uses;
``import-text`` into a new file neither (a new database is made from the
metadata, without Alembic). Read from ``python -X importtime``, which names
every module the process imported, on stderr.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "sample-report.txt"

# Top-level packages no command below may import, and why.
NOT_FOR_READING = {
    "alembic": "the migrations: a current database is checked with one query",
    "reportlab": "the PDF writer",
    "openpyxl": "the workbook reader and writer",
    "lxml": "the HWPX reader and writer",
    "hwpx": "the HWPX reader and writer",
    "PySide6": "the window",
    "sqlmodel": "not used by the store (Core tables)",
    "pydantic": "not used by the store (Core tables)",
}
# And what a read of a current SQLite file needs no more (store/fastread reads it with sqlite3).
NOT_FOR_A_CURRENT_FILE = {"sqlalchemy": "a current SQLite file is read with the standard sqlite3 module"}


def imported(*args: str) -> set[str]:
    """The top-level packages ``python -m seri_desktop ARGS`` imported (it must succeed or report findings)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "seri_desktop", *args], capture_output=True, text=True, env=env
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", done.stderr, flags=re.M)
    assert "seri_desktop.cli" in names  # the reading below would see nothing if the format changed
    return {name.split(".")[0] for name in names}


# ``-X importtime`` does not see ``importlib.import_module`` (the parser's way to a command's module).
MODULES_AT_EXIT = textwrap.dedent(
    """
    import atexit, sys
    from seri_desktop.cli import main
    atexit.register(lambda: print("MODULES", *sorted(sys.modules), file=sys.stderr))
    sys.exit(main(sys.argv[1:]))
    """
)


def imported_modules(*args: str) -> set[str]:
    """Every module the command ``ARGS`` had imported when it ended (it must succeed or report findings)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", MODULES_AT_EXIT, *args], capture_output=True, text=True, env=env)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    line = next(line for line in done.stderr.splitlines() if line.startswith("MODULES "))
    return set(line.split()[1:])


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("imports") / "report.sqlite"
    assert not {"alembic", "reportlab", "PySide6", "openpyxl"} & imported("import-text", str(SAMPLE), "--db", str(db))
    return db


@pytest.mark.parametrize("command", ["info", "check"])
def test_read_commands_import_neither_migrations_nor_writers_nor_the_ui(stored: Path, command: str) -> None:
    found = imported(command, "--db", str(stored))
    assert "seri_desktop" in found and "sqlite3" in found
    unwanted = NOT_FOR_READING | NOT_FOR_A_CURRENT_FILE
    assert {name: why for name, why in unwanted.items() if name in found} == {}


@pytest.mark.parametrize(
    ("args", "own"),
    [(["info"], "info"), (["check"], "check"), (["export-text", "-o", "OUT"], "text"), (["review"], "exchange")],
)
def test_a_command_imports_no_other_commands_module(
    stored: Path, tmp_path: Path, args: list[str], own: str
) -> None:
    args = [str(tmp_path / "out.txt") if a == "OUT" else a for a in args]
    found = {m for m in imported_modules(*args, "--db", str(stored)) if m.startswith("seri_desktop.commands.")}
    assert found == {f"seri_desktop.commands.{own}", "seri_desktop.commands.common"}


def test_import_text_into_a_new_file_makes_the_schema_without_alembic(tmp_path: Path) -> None:
    found = imported("import-text", str(SAMPLE), "--db", str(tmp_path / "new.sqlite"))
    assert {name: why for name, why in NOT_FOR_READING.items() if name in found} == {}


def test_an_old_database_still_imports_alembic_to_upgrade(tmp_path: Path) -> None:
    # The other side of the guard: the reading above sees Alembic when a command does need it.
    from seri_desktop.store.engine import create_engine_for, migrate_to

    db = tmp_path / "old.sqlite"
    engine = create_engine_for(db, migrate=False)
    try:
        migrate_to(engine, "0004")
    finally:
        engine.dispose()
    assert "alembic" in imported("import-text", str(SAMPLE), "--db", str(db))


# What the window builds after the report is in the navigator (issue 17.3): its forms, the crash dialog,
# the menus' action modules, the context they see the window through, the checks of the rules.
BUILT_AFTER_THE_REPORT = [
    "seri_desktop.ui.forms",
    "seri_desktop.ui.crash",
    "seri_desktop.ui.actions_files",
    "seri_desktop.ui.actions_print",
    "seri_desktop.ui.context",
    "seri_desktop.ui.stale_dialog",
    "seri_desktop.ui.validation",
    "seri_desktop.domain.rules",
]


def test_the_window_shows_the_report_before_it_imports_the_store(stored: Path, tmp_path: Path) -> None:
    # Issue 17.3: the navigator shows a current SQLite file's report (ui/app.py's preview) before
    # SQLAlchemy, the migrations or any writer is imported, and before the window's forms, crash dialog
    # and action modules; the store is opened and the rest built right after.
    data = tmp_path / "data"
    data.mkdir()
    from seri_desktop.settings import set_user_name

    set_user_name("시험 사용자", data)  # else the first start's name prompt would wait for an answer
    script = tmp_path / "steps.json"
    script.write_text(json.dumps([{"report_shown_time": str(tmp_path / "shown")}, {"quit": 0}]), encoding="utf-8")
    spy = textwrap.dedent(
        """
        import json, sys
        from pathlib import Path
        from seri_desktop.ui import app, main_window
        preview = main_window.MainWindow.show_preview
        seen = []
        def spy(self, report):
            watched = sys.argv[2:]
            seen.append(sorted(n for n in sys.modules if any(n == w or n.startswith(w + ".") for w in watched)))
            preview(self, report)
        main_window.MainWindow.show_preview = spy
        status = app.run_app(Path(sys.argv[1]))
        built = sorted(n for n in sys.modules if n.startswith("seri_desktop.ui.forms."))
        print(json.dumps(seen))
        print(json.dumps(built))
        sys.exit(status)
        """
    )
    watched = ["sqlalchemy", "alembic", "reportlab", "openpyxl", "lxml", *BUILT_AFTER_THE_REPORT]
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "SERI_TEST_SCRIPT": str(script),
        "SERI_DATA_DIR": str(data),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    done = subprocess.run(
        [sys.executable, "-c", spy, str(stored), *watched], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    *_, previews, built = done.stdout.strip().splitlines()
    assert json.loads(previews) == [[]]  # one preview, none of them imported yet
    assert "seri_desktop.ui.forms.stack" in json.loads(built)  # ... and the reading sees them once they are
    assert float((tmp_path / "shown").read_text()) > 0
