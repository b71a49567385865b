"""A throwaway X server (Xvfb on a display it picks itself), for the xcb test and the start-up benchmark.

``-displayfd`` makes Xvfb choose a free display and write its number to a
pipe, so parallel runs never collide; the server is stopped on exit, even
when what ran on it failed. Its output goes to a log file, never to
``/dev/null`` (the CI sandbox may lack it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class XvfbError(RuntimeError):
    """Xvfb is missing or did not start (the message says which, with the end of its log)."""


@contextmanager
def xvfb_display(log: Path, screen: str = "1280x800x24") -> Iterator[str]:
    """A running Xvfb with one screen of ``screen`` (WxHxDepth); its ``DISPLAY`` value (``:5``). Stopped on exit."""
    binary = shutil.which("Xvfb")
    if binary is None:
        raise XvfbError("Xvfb is missing: bash scripts/setup.sh installs Debian's xvfb")
    read_fd, write_fd = os.pipe()
    with log.open("wb") as err:
        server = subprocess.Popen(
            [binary, "-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp"],
            pass_fds=(write_fd,),
            stdout=err,
            stderr=err,
        )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number.isdigit():
            raise XvfbError(f"Xvfb did not start: {log.read_text(errors='replace')[-500:]}")
        yield f":{number}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
