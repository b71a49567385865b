"""A guard against a PySide6 6.12 defect on CPython before 3.12: lost references to None and True.

PySide6-Essentials 6.12.0 returns ``None`` from every void method (``setText``,
``setVisible``, ``QTimer.start`` …) and ``True`` from ``Signal.emit`` without
taking a reference, as if they were immortal objects, which they are only
from Python 3.12 on. On Python 3.11 each such call takes one reference away;
a session of typing makes hundreds of thousands of those calls, and when a
count reaches zero the interpreter aborts ("Fatal Python error: none_dealloc
/ bool_dealloc"). The data-entry window would crash after a while of use,
and a 1,000-program report already crashed it at exit.

:func:`install` checks whether the running PySide6 has the defect (a few
calls that must not change the counts) and, if so, gives ``None``, ``True``
and ``False`` a very large number of extra references once, as Python 3.12
does by making them immortal. Those three objects are never freed anyway,
so extra references change nothing else. Nothing is done on Python 3.12+,
on other interpreters, on debug builds, or with a PySide6 without the defect.
The real fix is a PySide6 that takes its references (or Python 3.12+).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

# Far more calls than any session makes (one per void call; ~1e12 before it could matter).
EXTRA_REFERENCES = 1 << 40
_PROBE_CALLS = 64

_installed = False


class _Probe(QObject):
    fired = Signal()


def defect_present() -> bool:
    """Whether void calls and ``Signal.emit`` lose references to ``None`` / ``True`` here."""
    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("probe")
        probe.fired.emit()
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    probe.deleteLater()
    # Other threads may move the counts a little; the defect moves them by one per call.
    return lost_none >= _PROBE_CALLS // 2 or lost_true >= _PROBE_CALLS // 2


def install() -> bool:
    """Protect this process against the defect if it is present; ``True`` if the guard was applied."""
    global _installed
    if _installed:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False  # None and the booleans are immortal there
    if hasattr(sys, "gettotalrefcount"):
        return False  # a debug build lays objects out differently; do not touch it
    if not defect_present():
        return False
    import ctypes  # here: every window's start passes through install, and ctypes is needed only now

    for obj in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython 3.11.
        counter = ctypes.c_ssize_t.from_address(id(obj))
        counter.value += EXTRA_REFERENCES
    _installed = True
    return True
