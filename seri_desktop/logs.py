"""Logging for bugs: a rotating log file in the app data folder, and the short line a person sees.

:func:`setup_logging` is called once by the CLI and by the app; it sends the
standard :mod:`logging` records of every module to ``logs/seri-desktop.log``
in the data folder (:mod:`seri_desktop.paths`), rotated at 1 MiB with three
old files kept. :func:`report_bug` logs an unexpected exception with its
traceback and returns the Korean line to show instead of it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from seri_desktop.paths import log_dir

LOG_FILE_NAME = "seri-desktop.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"

log = logging.getLogger("seri_desktop")
_handler: logging.Handler | None = None
_path: Path | None = None


def setup_logging(folder: Path | None = None) -> Path:
    """Log to a rotating file in ``folder`` (default: the data folder's ``logs``); returns the file's path.

    Safe to call again: a second call with another folder moves the file
    handler there (tests give each run its own folder). When the folder
    cannot be created, records go to standard error instead and the path
    returned is the one that failed, so the message still names it.
    """
    global _handler, _path
    target = (folder or log_dir()) / LOG_FILE_NAME
    if _handler is not None and _path == target:
        return target
    if _handler is not None:
        log.removeHandler(_handler)
        _handler.close()
    handler: logging.Handler
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = _RotatingOnFirstRecord(target)
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    _handler, _path = handler, target
    return target


class _RotatingOnFirstRecord(logging.Handler):
    """The rotating file handler, made when the first record comes.

    Most runs log nothing, and ``logging.handlers`` (with the ``socket`` and
    ``pickle`` it imports) cost every command and the window's start about
    8 ms. A file that cannot be opened then sends the records to standard
    error, as a folder that cannot be made does at once.
    """

    def __init__(self, target: Path) -> None:
        super().__init__()
        self.target = target
        self.real: logging.Handler | None = None
        self._making = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        if self.real is None:
            with self._making:
                if self.real is None:
                    self.real = self._make()
        self.real.emit(record)

    def _make(self) -> logging.Handler:
        import logging.handlers

        real: logging.Handler
        try:
            real = logging.handlers.RotatingFileHandler(
                self.target, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
            )
        except OSError:
            real = logging.StreamHandler()
        real.setFormatter(self.formatter)
        return real

    def flush(self) -> None:
        if self.real is not None:
            self.real.flush()

    def close(self) -> None:
        if self.real is not None:
            self.real.close()
        super().close()


def log_path() -> Path:
    """The log file in use (set up on first use)."""
    return _path if _path is not None else setup_logging()


def report_bug(exc: BaseException, doing: str = "") -> str:
    """Log ``exc`` with its traceback; the Korean line to show the person instead.

    ``doing`` names what was being done ("PDF 만들기"), so the line says more
    than "an error occurred".
    """
    path = log_path()
    log.error("unexpected error%s", f" while {doing}" if doing else "", exc_info=(type(exc), exc, exc.__traceback__))
    what = f"{doing} 중 " if doing else ""
    return f"{what}예상하지 못한 오류가 났습니다({type(exc).__name__}). 자세한 내용은 기록 파일에 있습니다: {path}"
