"""Errors in the window: a person's error is shown with its message, a bug in one crash dialog, and the app goes on.

A :class:`~seri_desktop.errors.UserError` (a file that is not a report, a
locked program, a refused merge …) carries a Korean message that says what
to do: it is shown as it is, in a warning box. Anything else is a bug: it is
logged with its traceback (:func:`seri_desktop.logs.report_bug`) and the
person sees :class:`CrashDialog`, one short Korean line with the log's path
and a button that opens the log folder, never the traceback.

Three ways in, one way out (:func:`show_error`):

* :func:`shown_errors`, around work an action starts (``with ctx.attempt(...)``);
* :func:`seri_desktop.ui.uncaught.install_excepthook`, for what escapes a Qt
  slot or event handler (PySide6 hands it to ``sys.excepthook``) and for an
  uncaught exception in a worker thread (``threading.excepthook``, relayed to
  the UI thread): installed first thing at start, it imports this module only
  when there is something to show;
* worker threads that hand their exception back (the PDF job, the import's
  progress runner) call :func:`show_error` in the UI thread themselves.

A bug never ends the app here: the dialog is shown without blocking, and
while one is open further bugs are only logged, so a failing paint cannot
stack up dialogs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout, QWidget

from seri_desktop.errors import UserError
from seri_desktop.logs import log_path, report_bug

CRASH_TITLE = "예상하지 못한 오류"
OPEN_LOG_FOLDER = "기록 폴더 열기"


def user_message(exc: UserError, lead: str = "") -> str:
    """What a warning box says for a person's error: the lead line, then the error's own message."""
    return f"{lead}\n\n{exc.message}" if lead else exc.message


def open_log_folder(folder: Path | None = None) -> bool:
    """Open the folder of the log file in the file manager; ``False`` if the desktop could not."""
    target = folder or log_path().parent
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))


class CrashDialog(QDialog):
    """One short line about a bug, the log's path, 기록 폴더 열기 and 닫기."""

    def __init__(self, line: str, log_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(CRASH_TITLE)
        self.line = line
        self.log_file = log_file
        self.label = QLabel(line)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("닫기")
        self.open_folder_button = buttons.addButton(OPEN_LOG_FOLDER, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_folder_button.clicked.connect(lambda: open_log_folder(log_file.parent))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)
        self.resize(560, 150)


_open_dialog: CrashDialog | None = None


def open_crash_dialog() -> CrashDialog | None:
    """The crash dialog on screen, if any (tests and the one-at-a-time rule)."""
    return _open_dialog


def show_bug(exc: BaseException, doing: str = "", parent: QWidget | None = None, *, block: bool = False) -> str:
    """Log ``exc`` with its traceback and show the crash dialog (unless one is open); returns the line shown.

    ``block``: wait until the person closes it (before the event loop runs, at start-up).
    """
    global _open_dialog
    line = report_bug(exc, doing)
    if _open_dialog is not None or QApplication.instance() is None:
        return line
    dialog = CrashDialog(line, log_path(), parent or QApplication.activeWindow())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(_forget_dialog)
    _open_dialog = dialog
    if block:
        dialog.exec()
    else:
        dialog.open()
    return line


def _forget_dialog() -> None:
    global _open_dialog
    _open_dialog = None


def show_error(
    exc: BaseException, title: str, lead: str = "", parent: QWidget | None = None, *, doing: str = ""
) -> None:
    """A person's error in a warning box titled ``title`` (``lead`` first), anything else as a bug.

    ``doing`` names the work for the bug's line ("텍스트 가져오기"); the title by default.
    """
    if isinstance(exc, UserError):
        QMessageBox.warning(parent or QApplication.activeWindow(), title, user_message(exc, lead))
    else:
        show_bug(exc, doing or title, parent)


@dataclass
class Attempt:
    """The outcome of a :func:`shown_errors` block: ``failed`` once an error was shown."""

    failed: bool = False
    error: BaseException | None = None


@contextmanager
def shown_errors(parent: QWidget | None, title: str, lead: str = "", *, doing: str = "") -> Iterator[Attempt]:
    """Run the block; an error in it is shown (:func:`show_error`) instead of raised, and marks the attempt failed."""
    attempt = Attempt()
    try:
        yield attempt
    except Exception as exc:  # shown here: a person's error as such, a bug with its log
        attempt.failed, attempt.error = True, exc
        show_error(exc, title, lead, parent, doing=doing)
