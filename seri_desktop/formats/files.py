"""Writing an output file safely: beside the target, with the umask's permissions, moved over it when complete.

Every exported file (PDF, 한글, Excel) is written the same way, so that a
cancelled, failed or crashed export leaves the target as it was (absent, or
the previous file) and a finished one appears at once::

    with atomic_output(path, PDF_OUTPUT) as tmp:
        write_everything_to(tmp)
        progress.check()  # raising here leaves no file

The temporary file is created in the target's folder (a rename across file
systems is not atomic) with mode 0666 less the umask, as any program's saved
file is; :func:`tempfile.mkstemp` and some libraries' savers make it 0600,
which a shared folder's other users then cannot read.

Each kind of file says its own Korean words and error class in an
:class:`OutputKind`; the messages name the path and what went wrong.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from seri_desktop.errors import UserError

TEMP_ATTEMPTS = 100


class OutputError(UserError):
    """An output file cannot be written (the error of a kind of file that has no error class of its own)."""

    default_code = "output"


@dataclass(frozen=True)
class OutputKind:
    """How the messages name a kind of file, and the error they raise.

    ``file`` as in "{file} 이름 대신 폴더를 지정했습니다" and "{file}을 저장할 수
    없습니다" (a noun ending in 파일); ``saving`` as in "{saving} 저장할 폴더가
    없습니다" (the noun with its object particle).
    """

    file: str
    saving: str
    error: type[UserError]

    def fail(self, message: str) -> UserError:
        return self.error(message)


def check_target(path: Path, kind: OutputKind) -> Path:
    """The folder to write ``path`` in; ``kind``'s error when ``path`` cannot be a file."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise kind.fail(f"{kind.file} 이름 대신 폴더를 지정했습니다: {path}")
    if not folder.is_dir():
        raise kind.fail(f"{kind.saving} 저장할 폴더가 없습니다: {folder}")
    return folder


def create_temp_beside(path: Path, kind: OutputKind) -> Path:
    """A new, empty file beside ``path`` (hidden, ``.part``), created with the umask's permissions."""
    folder = check_target(path, kind)
    for _ in range(TEMP_ATTEMPTS):
        name = folder / f".{path.name}.{secrets.token_hex(4)}.part"
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise kind.fail(f"{kind.saving} 저장할 폴더에 쓸 수 없습니다: {folder} ({exc.strerror or exc})") from exc
        os.close(fd)
        return name
    raise kind.fail(f"{kind.saving} 저장할 폴더에 임시 파일을 만들 수 없습니다: {folder}")


@contextlib.contextmanager
def atomic_output(path: Path, kind: OutputKind) -> Iterator[Path]:
    """A temporary file beside ``path`` to write; moved over ``path`` when the block ends normally.

    When the block raises (a cancellation too), the temporary file is
    removed and ``path`` is left as it was. A failure to move it is
    ``kind``'s error naming ``path``.
    """
    tmp = create_temp_beside(path, kind)
    try:
        yield tmp
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise kind.fail(f"{kind.file}을 저장할 수 없습니다: {path} ({exc.strerror or exc})") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def write_bytes_atomically(path: Path, data: bytes, kind: OutputKind) -> None:
    """``data`` into ``path`` through :func:`atomic_output`, flushed to the disk before the move."""
    with atomic_output(path, kind) as tmp:
        try:
            with open(tmp, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            raise kind.fail(f"{kind.file}을 저장할 수 없습니다: {path} ({exc.strerror or exc})") from exc
