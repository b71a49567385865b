"""A tiny script runner for driving the real app from tests and benchmarks (``SERI_TEST_SCRIPT``).

The script is a JSON list of steps, run one per event-loop turn after the
report is shown. Each step goes through the window's own code paths (the
budget cell goes through the model's ``setData``, as the cell editor does),
so a test that kills the process afterwards tests what a user would lose::

    [{"shown_time": "/tmp/shown"},                when the window was first shown (time.time())
     {"shown_modules": "/tmp/modules"},           the modules imported by then, one a line
     {"shown_qt_classes": "/tmp/classes"},        the Qt classes made by then ("QtWidgets.QLabel"), one a line
     {"report_modules": "/tmp/modules"},          the modules imported when the report was first shown
     {"report_qt_classes": "/tmp/classes"},       ... and the Qt classes made by then
     {"report_shown_time": "/tmp/report"},        when the navigator first showed the report (its preview)
     {"wait_checked": "/tmp/checked"},            when every program has been checked: the time
     {"mark": "/tmp/ready"},                      write the time (time.time()) to the file
     {"select": "program:4-8"},                   select a navigator row
     {"budget_cell": [0, "q4", "1,752"]},         line, field, text
     {"outline_append": ["issues", " 추가"]},      type at the end of an outline's last item
     {"mark": "/tmp/edited"},
     {"wait_saved": "/tmp/saved"},                when the autosave has run: write the time
     {"screenshot": "/tmp/shot.png"},            the window (on a real display: the screen under it)
     {"screen": "/tmp/screen.png"},              the whole screen, dialogs included (a real display only)
     {"geometry": "/tmp/geometry.json"},         the window's frame, the screen's available area
     {"trigger": "변경 기록…"},                   trigger a menu action by its text (mnemonics ignored)
     {"export_pdf": ["교수학습정보부", "/tmp/d.pdf", "/tmp/times"]},
                                                 make a department's PDF (null: the whole report) as the
                                                 menu does, on its worker; when it is written, append
                                                 "start end" (time.time()) to the last file, then go on
     {"resize": [1280, 800]},                     the window's frame size
     {"database": "/tmp/db.txt"},                 the database shown: its path, or its server without password
     {"scroll_to": "budget"},                     scroll the program form to a section
     {"wait": 500},                               milliseconds
     {"quit": 0}]                                 exit code; without it the app keeps running

Unknown steps stop the script with a message on stderr.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QGuiApplication, QPixmap, QTextCursor
from PySide6.QtWidgets import QApplication, QWidget

from seri_desktop.exchange.items import department_names
from seri_desktop.ui.connections import backend_label
from seri_desktop.ui.main_window import MainWindow
from seri_desktop.ui.mnemonics import plain


def screenshot(widget: QWidget, path: Path) -> bool:
    """Save a picture of ``widget``: on a real display what the screen shows there, else the widget's own paint."""
    picture = QPixmap()
    screen = widget.screen()
    if QGuiApplication.platformName() not in ("offscreen", "minimal") and screen is not None:
        frame = widget.frameGeometry()
        picture = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
    if picture.isNull():
        picture = widget.grab()
    return picture.save(str(path))


def screen_shot(path: Path) -> bool:
    """Save the whole primary screen (a real display; the offscreen platform has no screen contents)."""
    screen = QGuiApplication.primaryScreen()
    return screen is not None and screen.grabWindow(0).save(str(path))


def find_action(window: QWidget, text: str) -> QAction | None:
    """The window's action whose text (without its mnemonic) is ``text``."""
    return next((a for a in window.findChildren(QAction) if plain(a.text()) == text), None)


def run_script(window: MainWindow, path: Path) -> None:
    """Run the steps in ``path`` (see the module docstring)."""
    steps: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    runner = _Runner(window, steps)
    # Qt's single-shot timers do not keep a bound method's object alive: this list does.
    _RUNNERS.append(runner)
    runner.next()


_RUNNERS: list[_Runner] = []


def _write_time(path: str) -> None:
    Path(path).write_text(f"{time.time():.6f}", encoding="utf-8")


class _Runner:
    def __init__(self, window: MainWindow, steps: list[dict[str, Any]]) -> None:
        self.window = window
        self.steps = steps

    @staticmethod
    def _give_up(message: str) -> None:
        """End the app with 1: whatever waits on the script (bench_xvfb) fails instead of hanging."""
        print(f"test script: {message}", file=sys.stderr)
        QApplication.instance().exit(1)  # type: ignore[union-attr]

    def _pdf_done(self, outcome: object, started: float, times: Path) -> None:
        if isinstance(outcome, BaseException):
            self._give_up(f"the PDF failed: {outcome!r}")
            return
        with times.open("a", encoding="utf-8") as file:
            file.write(f"{started:.6f} {time.time():.6f}\n")
        self.next()

    def next(self, delay_ms: int = 0) -> None:
        if self.steps:
            QTimer.singleShot(delay_ms, self._run_one)

    def _run_one(self) -> None:
        step = self.steps.pop(0)
        (name, arg), *_ = step.items()
        window = self.window
        delay = 0
        if name == "mark":
            _write_time(arg)
        elif name == "shown_time":
            Path(arg).write_text(f"{window.shown_at or 0.0:.6f}", encoding="utf-8")
        elif name in ("shown_modules", "shown_qt_classes", "report_modules", "report_qt_classes"):
            Path(arg).write_text("\n".join(sorted(getattr(window, name))), encoding="utf-8")
        elif name == "report_shown_time":
            Path(arg).write_text(f"{window.report_shown_at or 0.0:.6f}", encoding="utf-8")
        elif name == "wait_checked":
            if window.validator.busy():
                self.steps.insert(0, step)
                delay = 10
            else:
                _write_time(arg)
        elif name == "select":
            if not window.select_key(arg):
                print(f"test script: no item {arg}", file=sys.stderr)
        elif name == "budget_cell":
            line, field, text = arg
            window.program_form.budget_editor.set_cell_text(int(line), str(field), str(text))
        elif name == "outline_append":
            field, text = arg
            editor = window.program_form.editors[field]
            editor.setFocus()
            cursor = editor.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.End)
            editor.setTextCursor(cursor)
            editor.insertPlainText(str(text))
        elif name == "wait_saved":
            if window.autosaver.is_dirty():
                # Poll rather than connect: the save may already be under way.
                self.steps.insert(0, step)
                delay = 20
            else:
                _write_time(arg)
        elif name == "screenshot":
            screenshot(window, Path(arg))
        elif name == "screen":
            screen_shot(Path(arg))
        elif name == "geometry":
            screen = window.screen()
            frame, available = window.frameGeometry(), screen.availableGeometry()
            data = {
                "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                "available": [available.x(), available.y(), available.width(), available.height()],
                "problems_visible": window.problems_dock.isVisible(),
                "problems_height": window.problems_dock.height(),
                "platform": QGuiApplication.platformName(),
            }
            Path(arg).write_text(json.dumps(data), encoding="utf-8")
        elif name == "trigger":
            action = find_action(window, str(arg))
            if action is None:
                print(f"test script: no action {arg!r}", file=sys.stderr)
            else:
                # Later: a modal dialog's own event loop must not stop this script.
                QTimer.singleShot(0, action.trigger)
        elif name == "export_pdf":
            department, out, times = arg
            report = window.report
            if department is not None and (report is None or department not in department_names(report)):
                # Before the job: its error would be a modal warning, which no one here closes.
                self._give_up(f"no department {department!r}")
                return
            started = time.time()
            job = window.print_actions.export_pdf(department, Path(out))
            if job is None:
                self._give_up(f"no PDF job started for {department!r}")
                return
            job.done.connect(lambda outcome: self._pdf_done(outcome, started, Path(times)))
            return  # the next step when the job is done
        elif name == "database":
            Path(arg).write_text(backend_label(window.backend), encoding="utf-8")
        elif name == "resize":
            width, height = arg
            window.resize(int(width), int(height))
        elif name == "scroll_to":
            window.program_form.focus_place(str(arg))
        elif name == "wait":
            delay = int(arg)
        elif name == "quit":
            QApplication.instance().exit(int(arg))  # type: ignore[union-attr]
            return
        else:
            print(f"test script: unknown step {name!r}", file=sys.stderr)
            return
        self.next(delay)
