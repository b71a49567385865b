"""Making a file in a worker thread: a cancellable progress dialog, and the outcome back in the UI thread.

The PDF and the 한글(HWPX) exports take seconds for the whole report, so
each runs in a :class:`QThread` while a progress dialog (fed through a
queued signal) keeps the window alive; the dialog's 취소 sets a
:class:`threading.Event` that the builder polls through its ``cancel()``
and answers by raising its cancellation error, leaving no file.

:class:`FileJob` is one such file; :class:`JobRunner` is what an action
module keeps: one job at a time, pending edits saved first, the builder
given its own copy of the report (typing goes on safely), and the outcome
dispatched: the result to the caller, a cancellation to the status line, a
person's error (:class:`~seri_desktop.errors.UserError`) to a warning with
its message, anything else to the crash dialog.

Threads still running are kept in a module set, not on a widget: a QThread
destroyed while running aborts the process, and a window may close before
its file is done; at application exit they are waited for
(:func:`hook_application_quit`).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from seri_desktop.domain.model import Report
from seri_desktop.formats.file_names import FileKind, dialog_filter, with_suffix
from seri_desktop.ui.context import AppContext
from seri_desktop.ui.crash import show_error
from seri_desktop.ui.file_dialogs import remember_dir

R = TypeVar("R")
ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
Work = Callable[[ProgressFn, CancelFn], object]
CANCELLED_TEXT = "취소했습니다"


def ask_export_path(ctx: AppContext, title: str, part: str | None, kind: FileKind) -> Path | None:
    """The save dialog for an export, proposing the one naming rule's name (:func:`file_name`).

    It starts in the folder last used (else Documents), remembers the folder
    chosen, and adds the kind's suffix when it was not typed.
    """
    start = ctx.start_dir() / ctx.file_name(kind, part or "")
    chosen, _filter = QFileDialog.getSaveFileName(ctx.dialog_parent, title, str(start), dialog_filter([kind]))
    if not chosen:
        return None
    path = with_suffix(Path(chosen), kind)
    remember_dir(ctx.settings, path)
    return path


class _WorkerThread(QThread):
    """Runs one build; signals are emitted from the worker thread and arrive queued in the UI thread."""

    progressed = Signal(int, int)
    outcome = Signal(object)  # the build's result, or the exception it raised

    def __init__(self, work: Work, cancel: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._cancel = cancel

    def run(self) -> None:
        try:
            result: object = self._work(self.progressed.emit, self._cancel.is_set)
        except BaseException as exc:  # handed to the UI thread, which shows it (seri_desktop.ui.crash)
            result = exc
        self.outcome.emit(result)


_RUNNING: set[_WorkerThread] = set()
_QUIT_HOOKED = False


def stop_running_jobs() -> None:
    """Wait for every worker thread (at application exit); they are few and cancellation is quick."""
    for thread in list(_RUNNING):
        thread.wait()


def hook_application_quit() -> None:
    """Wait for the running jobs when the application quits (once per process)."""
    global _QUIT_HOOKED
    app = QCoreApplication.instance()
    if app is not None and not _QUIT_HOOKED:
        app.aboutToQuit.connect(stop_running_jobs)
        _QUIT_HOOKED = True


class FileJob(QObject):
    """One file being made: a worker thread, a cancellable progress dialog and ``done(outcome)`` at the end.

    ``label`` is the dialog's text ("PDF를 만드는 중…"); ``cancelled()`` makes
    the builder's cancellation error, used when 취소 came after the
    builder's last check: the file it wrote is removed, since the user
    asked for none.
    """

    done = Signal(object)  # the result, or the exception (the cancellation error when cancelled)

    def __init__(
        self,
        parent: QWidget,
        work: Work,
        path: Path,
        *,
        title: str,
        label: str,
        cancelled: Callable[[], BaseException],
    ) -> None:
        super().__init__(parent)
        self.path = path
        self.label = label
        self.outcome: object | None = None
        self.cancel_event = threading.Event()
        self._cancelled = cancelled

        self.dialog = QProgressDialog(label, "취소", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumDuration(300)
        self.dialog.canceled.connect(self.cancel)
        self._thread = _WorkerThread(work, self.cancel_event)
        self._thread.progressed.connect(self._on_progress)
        self._thread.outcome.connect(self._on_outcome)
        self._thread.finished.connect(self._on_thread_finished)

    def start(self) -> None:
        _RUNNING.add(self._thread)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the builder to stop; it raises its cancellation error at its next check and leaves no file."""
        self.cancel_event.set()
        self.dialog.setLabelText("취소하는 중…")

    def is_running(self) -> bool:
        return self.outcome is None

    def _on_progress(self, done: int, total: int) -> None:
        if self.cancel_event.is_set():
            return
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, total))
        self.dialog.setLabelText(f"{self.label} ({done}/{total})")

    def _on_outcome(self, outcome: object) -> None:
        # Closing a QProgressDialog emits canceled: disconnect first so a finished job is not marked cancelled.
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        self.dialog.deleteLater()
        if self.cancel_event.is_set() and not isinstance(outcome, BaseException):
            self.path.unlink(missing_ok=True)
            outcome = self._cancelled()
        self.outcome = outcome
        self.done.emit(outcome)

    def _on_thread_finished(self) -> None:
        self._thread.wait()
        _RUNNING.discard(self._thread)
        self._thread.deleteLater()


class JobRunner(QObject):
    """One file job at a time for a group of actions; see the module docstring. ``last_job`` serves tests."""

    def __init__(self, ctx: AppContext, busy_text: str) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.busy_text = busy_text
        self.last_job: FileJob | None = None
        hook_application_quit()

    def busy(self) -> bool:
        return self.last_job is not None and self.last_job.is_running()

    def start(
        self,
        make_work: Callable[[Report], Callable[[ProgressFn, CancelFn], R]],
        path: Path,
        *,
        title: str,
        label: str,
        cancelled: type[BaseException],
        then: Callable[[R], None],
    ) -> FileJob | None:
        """Make a file at ``path`` with ``make_work(copy of the report)`` in a worker; ``then(result)`` on success.

        ``None`` when nothing was started: another job runs (the status line
        says so) or no report is open.
        """
        ctx = self.ctx
        if self.busy():
            ctx.notify(self.busy_text)
            return None
        ctx.flush()
        report = ctx.report
        if report is None:
            return None
        if self.last_job is not None:
            # Kept until the next job so its outcome can still be read (tests, a status line).
            self.last_job.deleteLater()
        job = FileJob(
            ctx.dialog_parent, make_work(copy.deepcopy(report)), path, title=title, label=label, cancelled=cancelled
        )

        def finish(outcome: object) -> None:
            if isinstance(outcome, cancelled):
                ctx.notify(CANCELLED_TEXT)
            elif isinstance(outcome, BaseException):
                show_error(outcome, title, parent=ctx.dialog_parent)
            else:
                then(outcome)  # type: ignore[arg-type]  # what make_work's builder returned

        job.done.connect(finish)
        self.last_job = job
        job.start()
        return job
