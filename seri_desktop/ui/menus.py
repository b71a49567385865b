"""The window's menus, in named groups, and the one way to make an action.

Every menu of the menu bar has a name (:data:`FILE`, :data:`EDIT`,
:data:`VIEW`, :data:`HELP`) and groups in menu order, separated by (collapsible)
separators; :meth:`Menus.add` puts an action at the end of a group, so each
part of the app adds its actions without knowing the others'. The File
menu's groups are :data:`FILE_GROUPS`. Every menu title and every action
gets an Alt+letter mnemonic (:mod:`seri_desktop.ui.mnemonics`) when it is
added, and again before the menu shows (for actions renamed or added since).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QMenu, QMenuBar

from seri_desktop.ui.mnemonics import assign_menu

FILE: Final = "file"
EDIT: Final = "edit"
VIEW: Final = "view"
HELP: Final = "help"
FILE_GROUPS: Final = ("document", "import", "export", "exchange", "recent", "quit")
EDIT_GROUPS: Final = ("undo", "find", "move")
VIEW_GROUPS: Final = ("panels", "focus")
HELP_GROUPS: Final = ("guide", "about")
# Name, title as shown, groups, the group an action goes to when none is named.
MENUS: Final = (
    (FILE, "파일(&F)", FILE_GROUPS, "export"),
    (EDIT, "편집(&E)", EDIT_GROUPS, "move"),
    (VIEW, "보기(&V)", VIEW_GROUPS, "panels"),
    (HELP, "도움말(&H)", HELP_GROUPS, "guide"),
)

Shortcut = str | QKeySequence | QKeySequence.StandardKey


def make_action(
    parent: QObject, text: str, slot: Callable[[], object], shortcut: Shortcut | None = None, tip: str = ""
) -> QAction:
    """An action that calls ``slot()`` (without Qt's ``checked`` argument) when triggered."""
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def unique_keys(keys: list[QKeySequence]) -> list[QKeySequence]:
    """``keys`` without repeats: the same sequence twice on one action makes Qt report an ambiguous shortcut."""
    seen: set[str] = set()
    unique = []
    for key in keys:
        text = key.toString()
        if text and text not in seen:
            seen.add(text)
            unique.append(key)
    return unique


def undo_actions(group: QUndoGroup, parent: QObject) -> tuple[QAction, QAction]:
    """실행 취소 and 다시 실행 for the undo stack active in ``group`` (Ctrl+Z; Ctrl+Shift+Z and the platform's redo)."""
    undo = group.createUndoAction(parent, "실행 취소")
    undo.setShortcuts(unique_keys([QKeySequence(QKeySequence.StandardKey.Undo)]))
    redo = group.createRedoAction(parent, "다시 실행")
    redo.setShortcuts(unique_keys([QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)]))
    return undo, redo


class Menus:
    """The menu bar's menus by name, each with its groups (see the module docstring)."""

    def __init__(self, bar: QMenuBar) -> None:
        self._menus: dict[str, QMenu] = {}
        self._ends: dict[str, dict[str, QAction]] = {}
        self._defaults: dict[str, str] = {}
        for name, title, groups, default in MENUS:
            menu = bar.addMenu(title)
            menu.setSeparatorsCollapsible(True)
            menu.aboutToShow.connect(lambda menu=menu: assign_menu(menu))
            self._menus[name] = menu
            self._ends[name] = {group: menu.addSeparator() for group in groups}
            self._defaults[name] = default

    def menus(self) -> list[QMenu]:
        return list(self._menus.values())

    def menu(self, name: str) -> QMenu:
        return self._menus[name]

    def add(self, name: str, action: QAction, group: str | None = None) -> None:
        """Add ``action`` to menu ``name`` at the end of ``group`` (the menu's default group when ``None``)."""
        self._menus[name].insertAction(self._end(name, group), action)
        assign_menu(self._menus[name])

    def add_menu(self, name: str, submenu: QMenu, group: str | None = None) -> None:
        """Add a submenu (최근 파일) at the end of ``group``."""
        self._menus[name].insertMenu(self._end(name, group), submenu)
        assign_menu(self._menus[name])

    def _end(self, name: str, group: str | None) -> QAction:
        ends = self._ends[name]
        group = group or self._defaults[name]
        if group not in ends:
            raise ValueError(f"unknown {name.capitalize()} menu group {group!r}; one of {tuple(ends)}")
        return ends[group]
