"""Writing an export file: atomically, and with a Korean message when the place cannot take it.

Every export (the report text, the budget workbook, the audit CSV, the PDF,
the 한글 document) is written to a temporary file beside the target and
moved over it at the end, so a crash, a cancelled export or a full disk
never leaves half a file under the name the person chose. The temporary
file is created by the writer itself, so it gets the umask's permissions as
any saved file does (:func:`tempfile.mkstemp` and some libraries' savers
make it 0600, which a shared folder's other users cannot read). When the
folder is missing, is not writable, the name is a folder or a device or a
pipe (never replaced: ``-o /dev/null`` run as root would otherwise replace
/dev/null itself), or the disk is full, the error is a
:class:`FileWriteError` (or the format's own subclass of
:class:`~seri_desktop.errors.UserError`, the ``error`` argument) that names
the file and the reason, instead of reaching the crash dialog as a bug.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from seri_desktop.errors import UserError

R = TypeVar("R")


class FileWriteError(UserError):
    """An export cannot be written where the person asked (the message is Korean)."""

    default_code = "file-write"


def _temp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")


def check_target(path: Path, what: str, error: type[UserError] = FileWriteError) -> Path:
    """The folder to write ``path`` in; ``error`` when ``path`` names a folder or its folder is missing.

    For a writer with expensive work before the file (the PDF's layout):
    refuse a bad place before doing it. ``what`` names the kind of file
    (``엑셀``, ``PDF``, ``한글``).
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        # Even asking whether a too long name is a folder raises an OSError.
        if not path.name or path.is_dir():
            raise error(f"{what} 파일 이름 대신 폴더를 지정했습니다: {path}. 파일 이름을 적으십시오.")
        if not folder.is_dir():
            raise error(f"{what} 파일을 저장할 폴더가 없습니다: {folder}. 있는 폴더를 고르십시오.")
        # The move would put a file where a device, a pipe or a socket is: refused, never replaced.
        if path.exists() and not path.is_file():
            raise error(
                f"{what} 파일 자리에 일반 파일이 아닌 것(장치, 파이프 등)이 있습니다: {path}. 다른 이름을 고르십시오."
            )
    except OSError as exc:
        raise _unsaved(path, what, error, exc) from exc
    return folder


def _unsaved(path: Path, what: str, error: type[UserError], exc: OSError) -> UserError:
    reason = exc.strerror or str(exc)
    return error(f"{what} 파일을 저장할 수 없습니다: {path} ({reason}). 쓸 수 있는 다른 폴더나 이름을 고르십시오.")


def write_atomically(
    path: Path, write: Callable[[Path], R], what: str, *, error: type[UserError] = FileWriteError
) -> R:
    """Call ``write(tmp)`` for a file beside ``path``, then move it to ``path``; returns what ``write`` returned.

    ``what`` names the kind of file in the message (``엑셀``, ``CSV``);
    ``error`` is the error raised (a format's own). An OSError while
    writing or moving becomes that error; anything ``write`` raises (a
    cancellation, the format's own errors) goes through unchanged. The
    temporary file is removed in every case, and ``path`` is left as it was
    unless the move happened.
    """
    path = Path(path)
    check_target(path, what, error)
    tmp: Path | None = None
    try:
        tmp = _temp_beside(path)
        result = write(tmp)
        os.replace(tmp, path)
        return result
    except OSError as exc:
        raise _unsaved(path, what, error, exc) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)


def write_bytes_atomically(path: Path, data: bytes, what: str, *, error: type[UserError] = FileWriteError) -> None:
    """``data`` into ``path`` through :func:`write_atomically`, flushed to the disk before the move."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())

    write_atomically(path, write, what, error=error)
