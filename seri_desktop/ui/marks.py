"""How problems are marked at fields and cells: colours, tooltips, the worst severity."""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtGui import QColor

from seri_desktop.domain.rules import Problem, Severity

ERROR_COLOR = QColor("#c62828")
WARNING_COLOR = QColor("#e08a00")
ERROR_BACKGROUND = QColor("#fde3e3")
WARNING_BACKGROUND = QColor("#fff4d6")
# Input the model refused (never stored): the same red as an error, stronger.
REJECTED_BACKGROUND = QColor("#f9c6c6")

SEVERITY_LABELS = {Severity.ERROR: "오류", Severity.WARNING: "경고"}


def worst(problems: Iterable[Problem]) -> Severity | None:
    """ERROR if any problem is an error, WARNING if any is a warning, else ``None``."""
    found: Severity | None = None
    for problem in problems:
        if problem.severity is Severity.ERROR:
            return Severity.ERROR
        found = Severity.WARNING
    return found


def mark_color(severity: Severity | None) -> QColor | None:
    if severity is None:
        return None
    return ERROR_COLOR if severity is Severity.ERROR else WARNING_COLOR


def background_color(severity: Severity | None) -> QColor | None:
    if severity is None:
        return None
    return ERROR_BACKGROUND if severity is Severity.ERROR else WARNING_BACKGROUND


def tooltip(problems: Iterable[Problem]) -> str:
    """The messages as a tooltip (rich text, so long Korean messages wrap)."""
    lines = [f"<b>[{SEVERITY_LABELS[p.severity]}]</b> {html.escape(p.message)}" for p in problems]
    return "<br>".join(lines)
