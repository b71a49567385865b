"""reportlab's import, less what this program never uses at all: made on first use instead.

Importing ``reportlab.platypus`` costs a command about a tenth of a second,
and a third of that goes to things no report PDF touches:

- ``reportlab.platypus.paragraph`` compiles, at import, the pattern it checks
  a hyphenated word against for a URL: case-insensitive, over the whole Basic
  Multilingual Plane, about 30 ms of the regular expression compiler. It is
  used only when a paragraph hyphenates, which this program never asks for
  (Korean text is wrapped at spaces, see :mod:`.text`).
- ``reportlab.lib.textsplit`` compiles a CJK pattern for a recipe
  (``cjkwrap``) nothing in reportlab calls.
- ``reportlab.lib.utils`` imports Pillow's ``PIL.Image`` (and its EXIF tables)
  for bitmap images; the report has none.

:func:`import_reportlab` imports reportlab with those three deferred: the two
patterns are compiled the first time they are used, and ``PIL.Image`` is
loaded (:class:`importlib.util.LazyLoader`) the first time one of its names
is read. Nothing reportlab does changes; it only stops paying for what it
does not do. Anything unexpected (another reportlab whose patterns differ,
Pillow already imported) leaves that part as it was.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import threading
from collections.abc import Callable
from typing import Any

# The patterns compiled on first use instead of at import: (start of the pattern, module that compiles it).
_DEFERRED = (
    ("(^(?:[a-z0-9\\.\\-\\+]*)://)", "reportlab.platypus.paragraph"),  # uri_pat, for hyphenation
    ("([\u2e80-\uffff])", "reportlab.lib.textsplit"),  # rx, for cjkwrap
)
_LAZY_MODULE = "PIL.Image"
_lock = threading.Lock()


class DeferredPattern:
    """A compiled pattern that is compiled when it is first used."""

    def __init__(self, pattern: str, flags: int, compile_: Callable[[str, int], re.Pattern[str]]) -> None:
        self._args = (pattern, flags)
        self._compile = compile_
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = self._compile(*self._args)
        return self._compiled

    def __getattr__(self, name: str) -> Any:  # match, search, sub, pattern, flags …
        return getattr(self.compiled, name)


def import_reportlab() -> None:
    """Import ``reportlab.platypus`` (and all it imports) with the deferrals above; once per process."""
    if "reportlab.platypus" in sys.modules:
        return
    with _lock:
        if "reportlab.platypus" in sys.modules:
            return
        _defer_module(_LAZY_MODULE)
        real = re.compile

        def compile_(pattern: Any, flags: int = 0) -> Any:
            if isinstance(pattern, str) and any(pattern.startswith(start) for start, _ in _DEFERRED):
                caller = sys._getframe(1).f_globals.get("__name__")
                if any(pattern.startswith(start) and caller == module for start, module in _DEFERRED):
                    return DeferredPattern(pattern, flags, real)
            return real(pattern, flags)

        # Only while reportlab's modules run their top level; any other caller meanwhile gets re.compile's answer.
        re.compile = compile_
        try:
            importlib.import_module("reportlab.platypus")
        finally:
            re.compile = real


def _defer_module(name: str) -> None:
    """Put ``name`` in ``sys.modules`` as a module loaded when first read from, if it is not there yet."""
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return
    if spec is None or spec.loader is None:
        return  # not installed: reportlab's own import says so, as before
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], child, module)
