"""The one root of every error meant for a person, and the line shown for everything else.

A :class:`UserError` carries a Korean message that names the place and what
is expected, and a stable ``code`` (``"checksum"``, ``"locked"`` …) that the UI
and the tests can rely on independently of the wording. Every layer's own
errors (text import, Excel, PDF, fonts, store, exchange, roll-over, CLI)
derive from it, so the CLI and the window need to catch one type: its
message is shown as it is.

Anything that is not a :class:`UserError` is a bug: it is logged with its
traceback (:mod:`seri_desktop.logs`) and the person sees one short Korean
line with the path of the log, never the traceback itself.
"""

from __future__ import annotations

from typing import ClassVar


class UserError(Exception):
    """An error a person can act on; ``str(exc)`` is the Korean message, ``code`` its stable kind."""

    default_code: ClassVar[str] = "user"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code

    def __str__(self) -> str:
        return self.message
