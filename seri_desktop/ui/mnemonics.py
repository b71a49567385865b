"""Keyboard mnemonics (Alt+letter) for menus, actions and buttons, added where a text has none.

Korean texts have no Latin letter to underline, so the letter is appended in
parentheses as Korean Windows programs do: ``열기(&O)…``. A few common verbs
get their customary letter (:data:`CUSTOMARY`); any other text gets the first
letter not yet used among its neighbours (the same menu, the same window),
so no two buttons of a dialog answer the same Alt key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QMenu, QWidget

# Customary letters of the first word of a text, as in Korean Office and Hangul.
CUSTOMARY: Final = {
    "열기": "O",
    "저장": "S",
    "지금": "S",
    "새": "N",
    "끝내기": "X",
    "인쇄": "P",
    "찾기": "F",
    "닫기": "C",
    "취소": "C",
    "확인": "O",
    "적용": "A",
    "바꾸기": "B",
    "도움말": "H",
    "사용": "U",
    "정보": "A",
    "텍스트": "T",
    "실행": "U",
    "다시": "R",
}
LETTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ123456789"
_MARKER: Final = re.compile(r"&([^&])")
_SUFFIX_MARK: Final = re.compile(r"\(&[^&]\)")
_TRAILING: Final = ("…", "...")


def mnemonic_of(text: str) -> str:
    """The mnemonic letter of ``text`` (upper case), or ``""``."""
    found = _MARKER.search(text.replace("&&", ""))
    return found.group(1).upper() if found else ""


def plain(text: str) -> str:
    """``text`` as shown: without ``(&X)`` and ``&`` markers."""
    return _SUFFIX_MARK.sub("", text).replace("&&", "\0").replace("&", "").replace("\0", "&")


def with_letter(text: str, letter: str) -> str:
    """``열기…`` + ``O`` → ``열기(&O)…`` (the letter before a trailing ellipsis)."""
    for tail in _TRAILING:
        if text.endswith(tail):
            return f"{text[: -len(tail)]}(&{letter}){tail}"
    return f"{text}(&{letter})"


def pick(text: str, used: set[str]) -> str:
    """The letter for ``text``: its customary one if free, else the first free letter; ``""`` if none is left."""
    words = plain(text).rstrip("…. ").split()
    customary = CUSTOMARY.get(words[0]) if words else None
    if customary and customary not in used:
        return customary
    return next((letter for letter in LETTERS if letter not in used), "")


def give(text: str, used: set[str]) -> str:
    """``text`` with a mnemonic (its own if it has one); the letter joins ``used``."""
    own = mnemonic_of(text)
    if own:
        used.add(own)
        return text
    letter = pick(text, used) if plain(text).strip() else ""
    if not letter:
        return text
    used.add(letter)
    return with_letter(text, letter)


def assign_actions(actions: Iterable[QAction], used: set[str] | None = None) -> None:
    """Give every visible, non-separator action without a mnemonic one (one menu's actions)."""
    taken = set(used or ())
    actions = [a for a in actions if not a.isSeparator() and a.text()]
    for action in actions:
        if mnemonic_of(action.text()):
            taken.add(mnemonic_of(action.text()))
    for action in actions:
        action.setText(give(action.text(), taken))


def assign_menu(menu: QMenu) -> None:
    """:func:`assign_actions` for ``menu``'s actions, submenus included (their titles are actions)."""
    assign_actions(menu.actions())


def assign_buttons(root: QWidget, reserved: Iterable[str] = ()) -> None:
    """Give the buttons under ``root`` that show text and have no mnemonic one; ``reserved`` letters are avoided."""
    buttons = [b for b in root.findChildren(QAbstractButton) if b.text().strip()]
    used = {letter.upper() for letter in reserved}
    used |= {mnemonic_of(b.text()) for b in buttons if mnemonic_of(b.text())}
    for button in buttons:
        if not mnemonic_of(button.text()):
            button.setText(give(button.text(), used))
