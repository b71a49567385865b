"""The hooks for what escapes a Qt slot or a worker thread, installed first thing at start; the dialog comes later.

PySide6 hands an exception that escapes a slot or an event handler to
``sys.excepthook``; an uncaught exception in a worker thread goes to
``threading.excepthook`` and is relayed to the UI thread. Both end in
:func:`seri_desktop.ui.crash.show_error` (the crash dialog for a bug, the
message for a person's error), which is imported only when there is
something to show: the app installs these hooks before the window's first
show, and the crash dialog's Qt classes cost a tenth of that start
(issue 17.3). This module needs nothing of Qt but a signal.
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType

from PySide6.QtCore import QObject, Signal, Slot

FALLBACK_TITLE = "seri-desktop"


def _show(exc: BaseException) -> None:
    from seri_desktop.ui.crash import show_error

    show_error(exc, FALLBACK_TITLE)


class _Relay(QObject):
    """Carries an exception from a worker thread to the UI thread, where it lives and receives it.

    An automatic connection: emitted in a worker thread, the call is queued into the UI thread's
    event loop (``threading.excepthook`` runs only in threads other than the main one).
    """

    raised = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.raised.connect(self.deliver)

    @Slot(object)
    def deliver(self, exc: BaseException) -> None:
        _show(exc)


_relay: _Relay | None = None


def handle_uncaught(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """``sys.excepthook``: show what escaped a slot; the event loop goes on."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    _show(exc)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    exc = args.exc_value
    if exc is None or isinstance(exc, SystemExit):
        return
    relay = _relay
    if relay is None:
        from seri_desktop.logs import report_bug

        report_bug(exc, f"thread {args.thread.name if args.thread else '?'}")
        return
    relay.raised.emit(exc)


def install_excepthook() -> None:
    """Route uncaught exceptions (Qt slots, worker threads) to :func:`~seri_desktop.ui.crash.show_error`; call once in the UI thread."""
    global _relay
    if _relay is None:
        _relay = _Relay()
    sys.excepthook = handle_uncaught
    threading.excepthook = _thread_hook
