"""The real app on a real X display: Xvfb, Qt's xcb platform plugin, the 2024 report, a screenshot.

Offscreen tests do not load the xcb plugin, so they cannot see that a
library it needs is missing (``scripts/setup.sh`` installs them). This test
starts its own Xvfb on a free display (``tests.helpers.xvfb``), runs
``python -m seri_desktop`` with ``QT_QPA_PLATFORM=xcb`` on an imported 2024
database, lets the app take a screenshot of what the X server shows and
write its geometry, and checks the picture is a drawn window (many colours,
dark text-like pixels in the navigator) and that the window fits the
1280×800 screen with the problems panel open. Xvfb is stopped even when
the test fails. A second run reads what the first show and the first report
in the navigator waited for (the modules imported, the Qt classes made:
``MainWindow.shown_modules`` …) and fails when either takes in again what
the window builds after them (issue 17.3).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from seri_desktop.settings import set_user_name
from tests.helpers.xvfb import xvfb_display

SCREEN = "1280x800x24"
RUN_TIMEOUT_S = 120


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[str]:
    """A fresh Xvfb on a free display, e.g. ``:5``; stopped afterwards, whatever happened (its absence fails)."""
    with xvfb_display(tmp_path / "xvfb.log", SCREEN) as display:
        yield display


def run_app_on(
    display: str, db: Path, tmp_path: Path, script: list[dict[str, object]]
) -> subprocess.CompletedProcess[str]:
    steps = tmp_path / "steps.json"
    steps.write_text(json.dumps(script), encoding="utf-8")
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "QT_DEBUG_PLUGINS": "0",
        "SERI_TEST_SCRIPT": str(steps),
        "SERI_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path / "home"),
    }
    (tmp_path / "home").mkdir(exist_ok=True)
    # A user who has started the app before: the first start's name prompt would wait for an answer.
    (tmp_path / "data").mkdir(exist_ok=True)
    set_user_name("시험 사용자", tmp_path / "data")
    return subprocess.run(
        [sys.executable, "-m", "seri_desktop", "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )


def test_the_app_starts_on_xvfb_and_draws_the_report(x_display: str, db_2024: Path, tmp_path: Path) -> None:
    shot, geometry = tmp_path / "window.png", tmp_path / "geometry.json"
    done = run_app_on(
        x_display,
        db_2024,
        tmp_path,
        [
            {"wait_checked": str(tmp_path / "checked")},
            {"select": "program:2-5"},
            {"wait": 300},
            {"geometry": str(geometry)},
            {"screenshot": str(shot)},
            {"quit": 0},
        ],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Could not load the Qt platform plugin" not in done.stderr

    place = json.loads(geometry.read_text(encoding="utf-8"))
    assert place["platform"] == "xcb"
    x, y, width, height = place["frame"]
    ax, ay, aw, ah = place["available"]
    assert (aw, ah) == (1280, 800)
    assert ax <= x and ay <= y and x + width <= ax + aw and y + height <= ay + ah, place
    assert place["problems_visible"] and place["problems_height"] >= 120

    image = QImage(str(shot))
    assert not image.isNull() and (image.width(), image.height()) == (width, height)
    colours: set[int] = set()
    for py in range(0, image.height(), 4):
        for px in range(0, image.width(), 4):
            colours.add(image.pixel(px, py))
    assert len(colours) > 50, f"only {len(colours)} colours: a blank or flat picture"
    # The navigator (left, below the menu bar) holds rows of dark glyphs on a light background.
    dark = light = 0
    for py in range(60, min(image.height() - 200, 600)):
        for px in range(10, 300):
            value = image.pixelColor(px, py).lightness()
            if value < 90:
                dark += 1
            elif value > 220:
                light += 1
    assert dark > 2000 and light > 20 * dark // 10, (dark, light)


UI = Path(__file__).resolve().parents[2] / "seri_desktop" / "ui"
ACTION_MODULES = tuple(f"seri_desktop.ui.{path.stem}" for path in sorted(UI.glob("actions_*.py")))
# What the report in the navigator must not wait for (issue 17.3): the store, the migrations, the writers, and
# what the window builds after it (the forms, the docks, the menus' action modules, the crash dialog, the checks).
NOT_BEFORE_THE_REPORT = (
    "sqlalchemy",
    "alembic",
    "reportlab",
    "openpyxl",
    "lxml",
    "seri_desktop.formats",
    "seri_desktop.exchange",
    "seri_desktop.store.engine",
    "seri_desktop.domain.rules",
    *ACTION_MODULES,
    "seri_desktop.ui.forms",
    "seri_desktop.ui.crash",
    "seri_desktop.ui.context",
    "seri_desktop.ui.stale_dialog",
    "seri_desktop.ui.validation",
    "seri_desktop.ui.live",
    "seri_desktop.ui.journal",
    "seri_desktop.ui.backend",
    "seri_desktop.ui.connections",
    "seri_desktop.ui.window_build",
)
# ... and the first show not even for the report's model, the navigator or the store's quick reader.
NOT_BEFORE_THE_FIRST_SHOW = (
    *NOT_BEFORE_THE_REPORT,
    "seri_desktop.domain",
    "seri_desktop.store.fastread",
    "seri_desktop.ui.qtmodels",
    "seri_desktop.ui.widgets",
    "seri_desktop.ui.rows",
)
# The Qt classes neither may make (every class and its enums is made when first touched, and costs):
# Qt's namespace (15 ms of enums), the crash dialog's and the name prompt's, the docks and the forms' pages.
QT_NOT_BEFORE_THE_REPORT = (
    "QtCore.Qt",
    "QtWidgets.QMessageBox",
    "QtWidgets.QDialog",
    "QtWidgets.QDialogButtonBox",
    "QtWidgets.QInputDialog",
    "QtGui.QDesktopServices",
    "QtWidgets.QDockWidget",
    "QtWidgets.QToolBar",
    "QtWidgets.QMenuBar",
    "QtWidgets.QTextBrowser",
)
QT_NOT_BEFORE_THE_FIRST_SHOW = (*QT_NOT_BEFORE_THE_REPORT, "QtWidgets.QTreeView", "QtGui.QStandardItemModel")


def early(names: set[str], heavy: tuple[str, ...]) -> list[str]:
    """The modules of ``names`` that are, or are inside, one of ``heavy``."""
    return sorted(n for n in names if any(n == h or n.startswith(h + ".") for h in heavy))


def test_the_window_is_shown_before_the_heavy_modules_are_imported(
    x_display: str, db_2024: Path, tmp_path: Path
) -> None:
    files = {
        step: tmp_path / step for step in ("shown_modules", "shown_qt_classes", "report_modules", "report_qt_classes")
    }
    database = tmp_path / "database.txt"
    done = run_app_on(
        x_display,
        db_2024,
        tmp_path,
        [
            *({step: str(path)} for step, path in files.items()),
            {"trigger": "다음 항목"},
            {"database": str(database)},
            {"quit": 0},
        ],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = {step: set(path.read_text(encoding="utf-8").split()) for step, path in files.items()}
    # The readings see modules and classes: the window's, and the navigator's by the report.
    assert {"seri_desktop.ui.main_window", "PySide6.QtWidgets"} <= seen["shown_modules"]
    assert "QtWidgets.QMainWindow" in seen["shown_qt_classes"]
    assert "seri_desktop.ui.widgets.navigator" in seen["report_modules"] - seen["shown_modules"]
    assert "QtWidgets.QTreeView" in seen["report_qt_classes"] - seen["shown_qt_classes"]

    assert early(seen["shown_modules"], NOT_BEFORE_THE_FIRST_SHOW) == []
    assert early(seen["report_modules"], NOT_BEFORE_THE_REPORT) == []
    assert sorted(seen["shown_qt_classes"] & set(QT_NOT_BEFORE_THE_FIRST_SHOW)) == []
    assert sorted(seen["report_qt_classes"] & set(QT_NOT_BEFORE_THE_REPORT)) == []
    # ... and they are there once it is built: the actions work and the store has opened the file.
    assert "no action" not in done.stderr
    assert database.read_text(encoding="utf-8") == str(db_2024)
