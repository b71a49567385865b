"""A window-modal dialog that ends in one of a few choices, or in none (closed: decide later).

The stale-save dialog (:mod:`seri_desktop.ui.stale_dialog`) and the recovery
of unsaved edits (:mod:`seri_desktop.ui.journal`) both show what is at stake
and a row of buttons: each choice button emits :attr:`ChoiceDialog.chosen`
with its id and closes the dialog; the last button only closes it (nothing
chosen, asked again later). Opened with ``open()``: no nested event loop.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from seri_desktop.ui.mnemonics import assign_buttons


class ChoiceDialog(QDialog):
    """See the module docstring; subclasses fill :attr:`body` and call :meth:`add_choices` last."""

    chosen = Signal(str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.body = QVBoxLayout(self)
        self.buttons: dict[str, QPushButton] = {}

    def add_choices(
        self, choices: Sequence[tuple[str, str, str]], later: str, extra: Sequence[QPushButton] = ()
    ) -> QPushButton:
        """Buttons for ``(choice, label, tip)``, then ``extra`` (they choose nothing), and apart on the
        right ``later`` (closes); the last one is returned."""
        row = QHBoxLayout()
        for choice, label, tip in choices:
            button = QPushButton(label)
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, choice=choice: self._choose(choice))
            row.addWidget(button)
            self.buttons[choice] = button
        for button in extra:
            row.addWidget(button)
        row.addStretch(1)
        later_button = QPushButton(later)
        later_button.clicked.connect(self.reject)
        row.addWidget(later_button)
        self.body.addLayout(row)
        assign_buttons(self, [])
        return later_button

    def _choose(self, choice: str) -> None:
        self.chosen.emit(choice)
        self.accept()


__all__ = ["ChoiceDialog"]
