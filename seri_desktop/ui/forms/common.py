"""What the three forms (program, section II, front matter) share: the banner, the title, captions, scrolling.

Also how a form presents the parts the template declares but does not
style: :class:`Look` holds the few presentation choices (a caption above
an editor, the level and kind a new outline item starts with) that belong
to the screen rather than to the report, keyed by template part.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QWidget

from seri_desktop.domain.model import ItemKind
from seri_desktop.formats.text_format import SECTION_MARK

CAPTION_STYLE = "QLabel { color: #777777; }"


@dataclass(frozen=True)
class Look:
    """How the form shows one outline part: ``hint`` is a grey caption above it; level and kind of a new item."""

    hint: str = ""
    level: int = 1
    kind: ItemKind = ItemKind.ITEM


def section_heading_text(heading: str, optional: bool = False) -> str:
    """A numbered section's heading as printed (``□ 추진 목표``), ``(선택)`` when it may stay empty."""
    return f"{SECTION_MARK} {heading}" + (" (선택)" if optional else "")


class Banner(QLabel):
    """A coloured line above the form: read-only, locked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setVisible(False)
        self.setStyleSheet(
            "QLabel { background: #fff4d6; border: 1px solid #e6c36a; border-radius: 3px; padding: 6px 8px; }"
        )

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def title_label(text: str = "") -> QLabel:
    """The bold line at the top of a form."""
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() + 3)
    label.setFont(font)
    return label


def caption(text: str) -> QLabel:
    """A grey line above an editor that says what goes in it."""
    label = QLabel(text)
    label.setStyleSheet(CAPTION_STYLE)
    return label


def scroll_area(content: QWidget) -> QScrollArea:
    """The frameless scroll area a form's body lives in."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    # The fields inside take the focus; the area itself would be one more, invisible, Tab stop.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area
