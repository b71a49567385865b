"""Moving the keyboard focus between the window's areas (F6): navigator → form → problems and back.

Each area remembers the widget inside it that last had the focus, so F6
back into the form returns to the field the user was in; an area never
visited gets its first focusable widget (in tab order). Areas hidden (the
problems panel closed) are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid


def focusable(widget: QWidget) -> bool:
    return widget.isVisible() and widget.isEnabled() and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def first_focusable(area: QWidget) -> QWidget | None:
    """The first widget in ``area`` (itself included) that takes the focus by Tab, in tab order."""
    if focusable(area):
        return area
    widget = area.nextInFocusChain()
    seen: set[int] = set()
    while widget is not None and id(widget) not in seen:
        seen.add(id(widget))
        if area.isAncestorOf(widget) and focusable(widget):
            return widget
        widget = widget.nextInFocusChain()
        if widget is area:
            break
    return None


class Panes(QObject):
    """The areas of a window, in F6 order; see the module docstring."""

    def __init__(self, window: QWidget, areas: Sequence[QWidget]) -> None:
        super().__init__(window)
        self.areas = list(areas)
        self._last: dict[int, QWidget] = {}
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def area_of(self, widget: QWidget | None) -> int | None:
        if widget is None:
            return None
        for n, area in enumerate(self.areas):
            if widget is area or area.isAncestorOf(widget):
                return n
        return None

    def cycle(self, step: int) -> QWidget | None:
        """Focus the next (``step`` 1) or previous (-1) visible area; returns the widget focused."""
        current = self.area_of(QApplication.focusWidget())
        start = current if current is not None else (-1 if step > 0 else 0)
        for k in range(1, len(self.areas) + 1):
            n = (start + step * k) % len(self.areas)
            target = self._target(n)
            if target is not None:
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return target
        return None

    def focus_navigator(self) -> QWidget | None:
        target = self._target(0)
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return target

    def _target(self, n: int) -> QWidget | None:
        area = self.areas[n]
        if not area.isVisible():
            return None
        last = self._last.get(n)
        if last is not None and isValid(last) and focusable(last) and (last is area or area.isAncestorOf(last)):
            return last
        return first_focusable(area)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        n = self.area_of(new)
        if n is not None and new is not None:
            self._last[n] = new
