"""Writing an export file: atomically, and with a Korean message when the place cannot take it.

Every export of this package (the report text, the budget workbook, the
audit CSV) is written to a temporary file beside the target and moved over
it at the end, so a crash or a full disk never leaves half a file under the
name the person chose. When the folder is missing, is not writable, the
name is a folder, or the disk is full, the OSError becomes a
:class:`FileWriteError` that names the file and the reason, instead of
reaching the crash dialog as a bug.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from seri_desktop.errors import UserError


class FileWriteError(UserError):
    """An export cannot be written where the person asked (the message is Korean)."""

    default_code = "file-write"


def _temp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")


def write_atomically(path: Path, write: Callable[[Path], object], what: str) -> None:
    """Call ``write(tmp)`` for a file beside ``path``, then move it to ``path``.

    ``what`` names the kind of file in the message (``엑셀``, ``CSV``).
    An OSError while writing or moving becomes a :class:`FileWriteError`;
    the temporary file is removed in every case.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp: Path | None = None
    try:
        # Inside the try: even asking whether a too long name is a folder raises an OSError.
        if not path.name or path.is_dir():
            raise FileWriteError(f"{what} 파일 이름 대신 폴더를 지정했습니다: {path}. 파일 이름을 적으십시오.")
        if not folder.is_dir():
            raise FileWriteError(f"{what} 파일을 저장할 폴더가 없습니다: {folder}. 있는 폴더를 고르십시오.")
        tmp = _temp_beside(path)
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise FileWriteError(
            f"{what} 파일을 저장할 수 없습니다: {path} ({reason}). 쓸 수 있는 다른 폴더나 이름을 고르십시오."
        ) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
